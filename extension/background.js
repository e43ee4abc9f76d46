// The service worker: the only place that talks to the helper. A content script's fetch
// carries the page's Origin (which the helper refuses); ours carries the extension's.
// Holds the token, applies timeouts and retries, and keeps orders and snapshots made
// while the helper is down in chrome.storage until it is back.
import { HelperClient, diagnose } from "./lib/client.js";
import { Queue } from "./lib/queue.js";

const client = new HelperClient();
const queue = new Queue(client);
let adaptersCache = null;

async function adapters() {
  if (!adaptersCache) {
    const load = async (name) => (await fetch(chrome.runtime.getURL(`adapters/${name}.json`))).json();
    const [orders, forms] = await Promise.all([load("orders"), load("forms")]);
    adaptersCache = { orders, forms };
  }
  return adaptersCache;
}

// What a content script may ask the helper for (method + path pattern).
const ALLOWED = [
  ["GET", /^\/cases(\?.*)?$/], ["GET", /^\/cases\/[\w-]+$/], ["PATCH", /^\/cases\/[\w-]+$/],
  ["GET", /^\/cases\/[\w-]+\/evidence$/], ["POST", /^\/cases\/[\w-]+\/captures$/],
  ["GET", /^\/cases\/[\w-]+\/(deadlines|verify|drafts|drafts\/(latest|\d+))$/], ["POST", /^\/cases\/[\w-]+\/(draft|demand-check)$/],
  ["GET", /^\/reminders$/],
  ["GET", /^\/jobs\/[\w-]+$/], ["GET", /^\/catalog$/], ["POST", /^\/lint$/], ["GET", /^\/health$/],
];

const handlers = {
  async adapters() { return { ok: true, ...(await adapters()) }; },

  async "order.save"({ order }) {
    const r = await queue.submit({ kind: "order", order_id: order.order_id, method: "POST", path: "/orders", body: order });
    updateBadge().catch(() => {});
    return r;
  },

  // Tab snapshot: the DOM as the buyer sees it; the helper renders it. Queued when the
  // helper is down; the case is looked up by order id when it is sent.
  async "capture.tab"({ order_id, snapshot, category }, sender) {
    const tab = sender && sender.tab;
    const body = { tab_snapshot: { ...snapshot, url: snapshot.url || (tab && tab.url), title: (snapshot.title || (tab && tab.title) || "").slice(0, 1000) } };
    if (category) body.category = category;
    return queue.submit({ kind: "capture", order_id, method: "POST", path: "/cases/{case}/captures", body, timeout: 60000 });
  },

  // The review UI must be opened by the extension: a navigation started by the Taobao
  // page is cross-site, and the helper rightly refuses it.
  async "review.open"({ case_id }) {
    const r = await client.call("POST", "/ui/login", undefined, { timeout: 8000, retries: 1 });
    if (!r.ok) return r;
    const url = r.data.url + (case_id ? `#/case/${encodeURIComponent(case_id)}` : "");
    await chrome.tabs.create({ url });
    return { ok: true };
  },

  async "queue.flush"() { return queue.flush(); },
  async "queue.status"({ order_id }) { return queue.status(order_id); },

  async api({ method, path, body, timeout }) {
    method = (method || "GET").toUpperCase();
    if (!ALLOWED.some(([m, re]) => m === method && re.test(path))) {
      return { ok: false, error: { code: "not_allowed", message: `${method} ${path} is not available to pages` } };
    }
    const r = await client.call(method, path, body, { timeout: timeout || 15000, retries: method === "GET" ? 2 : 0 });
    const m = /^\/cases\/([\w-]+)\/draft$/.exec(path);
    if (m && method === "POST" && r.ok) await rememberDraft(m[1], r.data, body);
    return r;
  },

  // The draft the prefill button uses: the helper's latest stored version. With
  // `form_limit` (the form box's maxLength, when smaller than the draft's) the helper
  // re-fits the text — the same request this browser made, so the buyer's facts stay.
  async "draft.latest"({ case_id, form_limit }) {
    const id = encodeURIComponent(case_id);
    const r = await client.call("GET", `/cases/${id}/drafts/latest`, undefined, { timeout: 10000, retries: 1 });
    if (!r.ok) {
      if (r.status === 404) return { ok: false, error: { code: "no_draft", message: "这笔订单还没有草稿：先在订单页的投诉助手面板里生成草稿" } };
      return r;
    }
    let draft = r.data;
    if (form_limit && form_limit >= 100 && form_limit < draft.form_limit) {
      const stored = ((await chrome.storage.local.get("drafts")).drafts || {})[case_id];
      const request = stored && stored.request && stored.version === draft.version
        ? { ...stored.request } : { complaint_type: draft.complaint_type, demand: draft.demand, language: draft.language };
      request.form_limit = form_limit;
      const refit = await client.call("POST", `/cases/${id}/draft`, request, { timeout: 20000, retries: 0 });
      if (refit.ok) { await rememberDraft(case_id, refit.data, request); draft = refit.data; }
    }
    return { ok: true, draft };
  },

  async "settings.get"() {
    const s = await client.settings();
    return { ok: true, helperUrl: s.helperUrl, paired: !!s.token, clientName: s.clientName || null, pending: (await queue.items()).length };
  },

  async "settings.setUrl"({ helperUrl }, sender) {
    if (!isExtensionPage(sender)) return denied();
    return client.setUrl(helperUrl);
  },

  async pair({ helperUrl, code }, sender) {
    if (!isExtensionPage(sender)) return denied();
    const r = await client.pair(helperUrl, code);
    if (r.ok) queue.flush();
    return r;
  },

  async unpair(_m, sender) {
    if (!isExtensionPage(sender)) return denied();
    await chrome.storage.local.remove(["token", "clientName"]);
    return { ok: true };
  },

  async diagnose() { return diagnose(client); },
};

// The request behind the latest draft (facts and notes are not echoed in the draft),
// so a re-fit for a smaller form box keeps the buyer's own words.
async function rememberDraft(caseId, data, request) {
  const drafts = (await chrome.storage.local.get("drafts")).drafts || {};
  const { form_limit: _limit, ...req } = request || {};
  drafts[caseId] = { version: data && data.version, request: req, at: Date.now() };
  const keep = Object.entries(drafts).sort((a, b) => b[1].at - a[1].at).slice(0, 50);
  await chrome.storage.local.set({ drafts: Object.fromEntries(keep) });
}

function isExtensionPage(sender) {
  // the options page (opened in a tab, so sender.tab is set) — never a content script
  return !!(sender && sender.id === chrome.runtime.id && sender.url && sender.url.startsWith(chrome.runtime.getURL("")));
}
const denied = () => ({ ok: false, error: { code: "not_allowed", message: "only the options page may do this" } });

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = message && handlers[message.type];
  if (!handler) return false;
  handler(message, sender).then(sendResponse, (err) => sendResponse({ ok: false, error: { code: "extension_error", message: String(err && err.message || err) } }));
  // Any sign of life (a page opened, the options checked) is a chance to send what waits.
  if (!String(message.type).startsWith("queue.") && message.type !== "order.save" && message.type !== "capture.tab") queue.flushIfPending();
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
  const r = await handlers["capture.tab"]({ order_id: reply.order_id, snapshot, category: reply.category || "order_page" }, { tab });
  try { await chrome.tabs.sendMessage(tab.id, { type: "snapshot.result", result: r, screenshot: !!screenshot_png }); } catch (_) { /* tab gone */ }
  return { ok: r.ok, queued: !!r.queued, screenshot: !!screenshot_png };
}
globalThis.tousuOnAction = onAction; // for tests: the toolbar cannot be clicked headless
chrome.action.onClicked.addListener((tab) => { onAction(tab); });
