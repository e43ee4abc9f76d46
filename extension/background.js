// The service worker: the only place that talks to the helper. A content script's fetch
// carries the page's Origin (which the helper refuses); ours carries the extension's.
// Pages ask for named things ({type: "saveOrder", order}, {type: "draft", case_id,
// request} …), each mapped here to one helper call, so a page can reach exactly these
// calls and nothing else of the helper's API. Orders and snapshots the helper cannot take
// right now wait in the offline queue (lib/queue.js).
import { HelperClient, diagnose } from "./lib/client.js";
import { Queue } from "./lib/queue.js";

const client = new HelperClient();
const queue = new Queue(client);

// Ids go into URL paths: only the helper's own id shapes pass.
const ID = /^[\w-]{1,100}$/;
const DIGITS = /^\d{1,24}$/;
const bad = (what) => ({ ok: false, error: { code: "bad_request", message: `invalid ${what}` } });
const path = (template, value, shape = ID) => (shape.test(String(value)) ? template.replace("{}", encodeURIComponent(value)) : null);

// Named reads and writes a page may ask for: message → [method, path, body, options].
const CALLS = {
  caseFor: ({ order_id, sub_order_id }) => (sub_order_id
    ? ["GET", path("/cases?sub_order_id={}&limit=1", sub_order_id, DIGITS)]
    : ["GET", path("/cases?order_id={}&limit=1", order_id, DIGITS)]),
  evidence: ({ case_id }) => ["GET", path("/cases/{}/evidence", case_id)],
  deadlines: ({ case_id }) => ["GET", path("/cases/{}/deadlines", case_id)],
  catalog: () => ["GET", "/catalog"],
  job: ({ job_id }) => ["GET", path("/jobs/{}", job_id)],
  lint: ({ text }) => ["POST", "/lint", { text: String(text || "") }],
  captureUrl: ({ case_id, url, category, title }) => ["POST", path("/cases/{}/captures", case_id),
    { url, category, title }, { timeout: 30000, retries: 0 }],
  draftLatest: ({ case_id }) => ["GET", path("/cases/{}/drafts/latest", case_id), undefined, { retries: 1 }],
  draftVersion: ({ case_id, version }) => (Number.isInteger(version) && version > 0
    ? ["GET", path("/cases/{}/drafts/" + version, case_id), undefined, { retries: 1 }] : [null, null]),
  caseGet: ({ case_id }) => ["GET", path("/cases/{}", case_id)],
  draftState: ({ case_id }) => ["GET", path("/cases/{}/draft-state", case_id)],
  demandCheck: ({ case_id, request }) => ["POST", path("/cases/{}/demand-check", case_id), request, { retries: 1 }],
  noteCase: ({ case_id, note }) => ["PATCH", path("/cases/{}", case_id), { timeline_note: String(note || "").slice(0, 2000) }],
};

// Calls that change a case's shared draft state: every other tab showing the case hears of
// it (chrome.storage.onChanged) and reloads the state, so all tabs show the same thing.
const SHARED = {
  chooseDraft: ({ case_id, choices }) => ["PATCH", path("/cases/{}/draft-state", case_id), choices || {}],
  stateDates: ({ case_id, dates }) => ["PUT", path("/cases/{}/stated-dates", case_id), dates || {}],
};

async function helperCall(table, name, message) {
  const [method, p, body, opts = {}] = table[name](message);
  if (!p) return bad(name);
  return client.call(method, p, body, { timeout: opts.timeout || 15000, retries: opts.retries ?? (method === "GET" ? 2 : 0) });
}

async function announce(caseId, revision) {
  await chrome.storage.local.set({ draftStateChanged: { case_id: caseId, revision: revision ?? null, at: Date.now() } });
}

const handlers = {
  ...Object.fromEntries(Object.keys(CALLS).map((name) => [name, (m) => helperCall(CALLS, name, m)])),
  ...Object.fromEntries(Object.keys(SHARED).map((name) => [name, async (m) => {
    const r = await helperCall(SHARED, name, m);
    if (r.ok) await announce(m.case_id, r.data && r.data.revision);
    return r;
  }])),

  async saveOrder({ order }) {
    if (!order || !DIGITS.test(String(order.order_id))) return bad("order");
    const r = await queue.submit({ kind: "order", order_id: order.order_id, method: "POST", path: "/orders", body: order });
    updateBadge().catch(() => {});
    return r;
  },

  // Tab snapshot: the DOM as the buyer sees it; the helper renders it. Queued when the
  // helper cannot take it; the case is looked up by order id when it is sent.
  async captureTab({ order_id, snapshot, category }, sender) {
    if (!DIGITS.test(String(order_id)) || !snapshot) return bad("snapshot");
    const tab = sender && sender.tab;
    const body = { tab_snapshot: { ...snapshot, url: snapshot.url || (tab && tab.url), title: (snapshot.title || (tab && tab.title) || "").slice(0, 1000) } };
    if (category) body.category = category;
    const r = await queue.submit({ kind: "capture", order_id, method: "POST", path: "/cases/{case}/captures", body, timeout: 60000 });
    updateBadge().catch(() => {});
    return r;
  },

  // A new draft version. The request behind every version is kept by the helper (and the
  // version the buyer looks at in its draft state), so nothing about drafts lives here.
  async draft({ case_id, request }) {
    const p = path("/cases/{}/draft", case_id);
    if (!p || !request || typeof request !== "object") return bad("draft request");
    const r = await client.call("POST", p, request, { timeout: 20000, retries: 0 });
    if (r.ok) await announce(case_id, null);
    return r;
  },

  // The review UI must be opened by the extension: a navigation started by the Taobao
  // page is cross-site, and the helper rightly refuses it.
  async openReview({ case_id }) {
    if (case_id && !ID.test(String(case_id))) return bad("case");
    const r = await client.call("POST", "/ui/login", undefined, { timeout: 8000, retries: 1 });
    if (!r.ok) return r;
    const url = r.data.url + (case_id ? `#/case/${encodeURIComponent(case_id)}` : "");
    await chrome.tabs.create({ url });
    return { ok: true };
  },

  async queueFlush({ force }) {
    const r = await queue.flush({ force: !!force });
    updateBadge().catch(() => {});
    return r;
  },
  async queueStatus({ order_id }) { return queue.status(order_id); },
  async queueDismiss({ id }) { return queue.dismiss(id); },

  async settings() {
    const s = await client.settings();
    return { ok: true, helperUrl: s.helperUrl, paired: !!s.token, clientName: s.clientName || null, pending: (await queue.items()).length };
  },

  async setHelperUrl({ helperUrl }, sender) {
    if (!isExtensionPage(sender)) return denied();
    return client.setUrl(helperUrl);
  },

  async pair({ helperUrl, code }, sender) {
    if (!isExtensionPage(sender)) return denied();
    const r = await client.pair(helperUrl, code);
    if (r.ok) queue.flush({ force: true });
    return r;
  },

  async unpair(_m, sender) {
    if (!isExtensionPage(sender)) return denied();
    await chrome.storage.local.remove(["token", "clientName"]);
    return { ok: true };
  },

  async diagnose() { return diagnose(client); },
};

function isExtensionPage(sender) {
  // the options page (opened in a tab, so sender.tab is set) — never a content script
  return !!(sender && sender.id === chrome.runtime.id && sender.url && sender.url.startsWith(chrome.runtime.getURL("")));
}
const denied = () => ({ ok: false, error: { code: "not_allowed", message: "only the options page may do this" } });

const QUIET = new Set(["queueFlush", "queueStatus", "queueDismiss", "saveOrder", "captureTab"]);
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = message && Object.hasOwn(handlers, message.type) && handlers[message.type];
  if (!handler) return false;
  handler(message, sender).then(sendResponse, (err) => sendResponse({ ok: false, error: { code: "extension_error", message: String(err && err.message || err) } }));
  // Any sign of life (a page opened, the options checked) is a chance to send what waits.
  if (!QUIET.has(message.type)) queue.flushIfPending();
  return true;
});

// The toolbar badge: deadlines about to pass and follow-ups due (GET /reminders), plus
// anything still waiting in the offline queue ("…").
async function updateBadge() {
  const pending = (await queue.items()).length;
  const r = await client.call("GET", "/reminders", undefined, { timeout: 5000, retries: 0 });
  const count = r.ok ? r.data.count : 0;
  const overdue = r.ok && r.data.reminders.some((x) => x.overdue);
  const text = count ? String(Math.min(count, 99)) : pending ? "…" : "";
  await chrome.action.setBadgeText({ text });
  await chrome.action.setBadgeBackgroundColor({ color: overdue ? "#b3261e" : count ? "#ff5000" : "#8a6100" });
  const title = [chrome.i18n.getMessage("actionTitle")];
  if (r.ok) for (const x of r.data.reminders.slice(0, 5)) title.push(`· ${x.message}`);
  if (pending) title.push(`· ${pending} ⏳`);
  await chrome.action.setTitle({ title: title.join("\n") });
  return { text, count, pending };
}
globalThis.tousuUpdateBadge = updateBadge; // for tests

// Backstop for the offline queue (content scripts also nudge a flush while a page
// waits) and the badge's refresh.
chrome.alarms.create("tousu-flush", { periodInMinutes: 1 });
chrome.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name !== "tousu-flush") return;
  await queue.flush();
  updateBadge().catch(() => {});
});
chrome.runtime.onStartup.addListener(() => { queue.flush().then(() => updateBadge()).catch(() => {}); });
// The toolbar button (and its shortcut) is a user gesture that grants activeTab, so from
// there a snapshot can include a screenshot of what is visible (an in-page button cannot:
// captureVisibleTab would need <all_urls>). Elsewhere it opens the options.
async function onAction(tab) {
  let reply = null;
  try { reply = await chrome.tabs.sendMessage(tab.id, { type: "snapshot.request" }); } catch (_) { reply = null; }
  if (!reply || !reply.ok) {
    if (!reply) chrome.runtime.openOptionsPage();
    return { ok: false, reason: reply ? reply.error : "not an order page" };
  }
  let screenshot_png;
  try {
    const dataUrl = await chrome.tabs.captureVisibleTab(tab.windowId, { format: "png" });
    screenshot_png = dataUrl.slice(dataUrl.indexOf(",") + 1);
  } catch (err) {
    console.warn("[投诉助手] no screenshot:", err && err.message);
  }
  const snapshot = { ...reply.snapshot };
  if (screenshot_png) snapshot.screenshot_png = screenshot_png;
  const r = await handlers.captureTab({ order_id: reply.order_id, snapshot, category: reply.category || "order_page" }, { tab });
  try { await chrome.tabs.sendMessage(tab.id, { type: "snapshot.result", result: r, screenshot: !!screenshot_png }); } catch (_) { /* tab gone */ }
  return { ok: r.ok, queued: !!r.queued, screenshot: !!screenshot_png };
}
globalThis.tousuOnAction = onAction; // for tests: the toolbar cannot be clicked headless
chrome.action.onClicked.addListener((tab) => { onAction(tab); });
