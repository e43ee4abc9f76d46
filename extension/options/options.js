// Options: helper URL, pairing with the one-time code, and a diagnosis that says what
// is wrong in words a buyer can act on. All helper traffic goes through the worker.
const $ = (id) => document.getElementById(id);
const send = (type, payload = {}) => chrome.runtime.sendMessage({ type, ...payload });

/* global Tousu */
// One language, the browser's (chrome.i18n); the helper's errors by their code (content/labels.js).
const { t, error: errorText } = Tousu.labels;
for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
document.title = t("optPageTitle");
document.documentElement.lang = chrome.i18n.getUILanguage();

const LABEL = Object.fromEntries([["paired", "diagPaired"], ["unpaired", "diagUnpaired"], ["not_running", "diagNotRunning"],
  ["wrong_program", "diagWrongProgram"], ["token_revoked", "diagTokenRevoked"], ["blocked", "diagBlocked"],
  ["forbidden", "diagForbidden"], ["error", "diagError"], ["pair_failed", "diagPairFailed"]].map(([state, key]) => [state, t(key)]));

function show(state, message) {
  const el = $("status");
  el.setAttribute("data-tousu-state", state);
  el.textContent = LABEL[state] || state;
  $("hint").textContent = message || "";
  // The automation surface: [data-tousu-state="paired"] exists once paired.
  document.body.setAttribute("data-tousu-state", state);
}

async function check() {
  const d = await send("diagnose");
  show(d.state, d.message);
  const s = await send("settings");
  $("pending").textContent = s.pending ? t("optPending", s.pending) : "";
  return d;
}

async function init() {
  const s = await send("settings");
  $("helper-url").value = s.helperUrl;
  await check();
}

$("pair-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const helperUrl = $("helper-url").value;
  const code = $("pairing-code").value.trim();
  if (!code) { show("pair_failed", t("optNoCode")); return; }
  $("pair").disabled = true;
  try {
    const r = await send("pair", { helperUrl, code });
    if (r.ok) {
      $("pairing-code").value = "";
      $("helper-url").value = r.helperUrl;
      await check();
    } else {
      const known = r.diagnosis && LABEL[r.diagnosis];
      show(known ? r.diagnosis : "pair_failed", known ? r.error.message : errorText(r.error, helperUrl));
    }
  } finally {
    $("pair").disabled = false;
  }
});

$("check").addEventListener("click", async () => {
  const r = await send("setHelperUrl", { helperUrl: $("helper-url").value });
  if (!r.ok) { show("error", errorText(r.error)); return; }
  $("helper-url").value = r.helperUrl;
  await check();
});

$("unpair").addEventListener("click", async () => { await send("unpair"); await check(); });

init();
