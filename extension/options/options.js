// Options: helper URL, pairing with the one-time code, and a diagnosis that says what
// is wrong in words a buyer can act on. All helper traffic goes through the worker.
const $ = (id) => document.getElementById(id);
const send = (type, payload = {}) => chrome.runtime.sendMessage({ type, ...payload });

const t = (key, fallback) => chrome.i18n.getMessage(key) || fallback;
for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n, el.textContent);
document.documentElement.lang = chrome.i18n.getUILanguage();

const LABEL = {
  paired: t("diagPaired", "✓ 已配对，连接正常"),
  unpaired: t("diagUnpaired", "助手在运行，但扩展还没有配对"),
  not_running: t("diagNotRunning", "✗ 连接不上助手"),
  wrong_program: t("diagWrongProgram", "✗ 这个端口上运行的不是投诉助手"),
  token_revoked: t("diagTokenRevoked", "✗ 助手不再接受这个扩展的凭据（已被撤销），请重新配对"),
  blocked: t("diagBlocked", "✗ 浏览器阻止了对本机助手的访问"),
  forbidden: t("diagForbidden", "✗ 助手拒绝了这个扩展"),
  error: t("diagError", "✗ 助手出错"),
  pair_failed: t("diagPairFailed", "✗ 配对失败"),
};

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
  $("pending").textContent = s.pending ? `有 ${s.pending} 项在浏览器里等待发送给助手。` : "";
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
  if (!code) { show("pair_failed", "请先填入 `tousu-helper pair` 显示的配对码"); return; }
  $("pair").disabled = true;
  try {
    const r = await send("pair", { helperUrl, code });
    if (r.ok) {
      $("pairing-code").value = "";
      $("helper-url").value = r.helperUrl;
      await check();
    } else {
      const known = r.diagnosis && LABEL[r.diagnosis];
      show(known ? r.diagnosis : "pair_failed", r.error && r.error.message);
    }
  } finally {
    $("pair").disabled = false;
  }
});

$("check").addEventListener("click", async () => {
  const r = await send("setHelperUrl", { helperUrl: $("helper-url").value });
  if (!r.ok) { show("error", r.error.message); return; }
  $("helper-url").value = r.helperUrl;
  await check();
});

$("unpair").addEventListener("click", async () => { await send("unpair"); await check(); });

init();
