// 投诉助手 review UI. Plain ES module, no build step, no CDN.
// Rule: every piece of data reaches the page through textContent / attributes set by h(),
// never through innerHTML — titles, notes and shop names are untrusted text.

const API = "/api/v1";

// -- labels (中文 first, English second) ------------------------------------------------------
const STATUS = {
  open: "处理中 Open", drafted: "已起草 Drafted", submitted: "已提交 Submitted",
  escalated: "已升级 Escalated", resolved: "已解决 Resolved", closed: "已关闭 Closed",
};
const PLATFORM = { taobao: "淘宝 Taobao", tmall: "天猫 Tmall" };
const KIND = { upload: "上传 Upload", url_capture: "网页存证 Page capture", tab_snapshot: "页面快照 Tab snapshot" };
const CATEGORY = {
  product_photo: "商品照片 Photo", unboxing_video: "开箱视频 Unboxing video", chat_log: "聊天记录 Chat log",
  order_page: "订单页面 Order page", listing_snapshot: "商品快照 Listing", logistics: "物流 Logistics",
  test_report: "检测报告 Test report", other: "其他 Other",
};
const TIMELINE_KIND = {
  created: "建档 Created", order_updated: "订单更新 Order updated", status_changed: "状态 Status",
  note: "记录 Note", notes_changed: "备注 Notes", evidence_added: "证据 Evidence",
  draft_saved: "草稿 Draft", manifest_signed: "签名 Signed", capture_failed: "存证失败 Capture failed",
};
const ROLE = {
  original: "原件 Original", screenshot: "截图 Screenshot", buyer_screenshot: "买家所见 What I saw",
  mhtml: "网页存档 MHTML", html: "网页 HTML", pdf: "PDF",
};
const PAGE_SIZE = 50;

// -- tiny DOM helper -------------------------------------------------------------------------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function safeHref(url) {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch { return null; }
}

function extLink(url, text) {
  const href = safeHref(url);
  return href ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, text || url) : (text || url || "");
}

// One formatter each: toLocaleString() builds a new ICU formatter per call (~ms each),
// which a case with hundreds of evidence items and timeline entries notices.
const TIME_FORMAT = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai", hour12: false, year: "numeric", month: "numeric", day: "numeric",
  hour: "2-digit", minute: "2-digit", second: "2-digit" });
const DATE_FORMAT = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric" });
const fmtTime = (iso) => {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d) ? iso : TIME_FORMAT.format(d);
};
const fmtDate = (iso) => {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d) ? iso : DATE_FORMAT.format(d);
};
const fmtSize = (n) => n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;

function toast(text) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 2500);
}

// -- API -------------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function api(path, { method = "GET", body } = {}) {
  const options = { method, headers: {}, credentials: "same-origin" };  // API answers say no-store
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, options);
  let data = null;
  try { data = await response.json(); } catch { /* not JSON */ }
  if (!response.ok) {
    if (response.status === 401) showLoggedOut();
    throw new ApiError(response.status, data?.error?.code || "http_error", data?.error?.message || `HTTP ${response.status}`);
  }
  return data;
}

/** An optional endpoint (built by another part of the helper): null when it does not exist yet. */
async function optional(path) {
  try { return await api(path); } catch (err) {
    if (err.status === 404 && err.code === "not_found" && /no such endpoint/.test(err.message)) return null;
    throw err;
  }
}

function showLoggedOut() {
  const main = document.getElementById("main");
  main.replaceChildren(h("div", { class: "error", role: "alert" },
    "登录已失效：请在终端运行 tousu-helper open。 Session expired: run `tousu-helper open`."));
}

const errorBox = (err) => h("div", { class: "error", role: "alert" }, err.message || String(err));

// -- routing -----------------------------------------------------------------------------------
const main = document.getElementById("main");
let renderToken = 0;

function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

let searchDebounce;

async function route() {
  clearTimeout(searchDebounce);
  const token = ++renderToken;
  const { parts, params } = parseHash();
  const alive = () => token === renderToken;
  try {
    if (parts[0] === "case" && parts[1] && parts[2] === "evidence" && parts[3]) {
      await renderViewer(parts[1], parts[3], params, alive);
    } else if (parts[0] === "case" && parts[1]) {
      await renderCase(parts[1], alive);
    } else {
      await renderList(params, alive);
    }
  } catch (err) {
    if (alive() && err.status !== 401) main.replaceChildren(errorBox(err));
  }
}

window.addEventListener("hashchange", () => { route(); main.focus({ preventScroll: true }); });

// -- reminders -------------------------------------------------------------------------------
const REMINDER_CACHE_MS = 5 * 60 * 1000;

/** The due follow-ups banner. Asked for after the first page has painted, and kept for five
 * minutes in this tab (GET /reminders walks every case, which takes a while with thousands). */
async function loadReminders() {
  const box = document.getElementById("reminders");
  let data = null;
  try {
    const cached = JSON.parse(sessionStorage.getItem("tousu.reminders") || "null");
    if (cached && Date.now() - cached.at < REMINDER_CACHE_MS) data = cached.data;
  } catch { /* ignore */ }
  if (!data) {
    try { data = await optional("/reminders"); } catch { return; }
    try { sessionStorage.setItem("tousu.reminders", JSON.stringify({ at: Date.now(), data })); } catch { /* full */ }
  }
  document.body.dataset.remindersLoaded = "1";
  const due = (data && data.reminders) || [];
  if (!due.length) { box.hidden = true; return; }
  box.replaceChildren(h("div", { class: "box", "data-testid": "reminders" },
    h("strong", {}, `待跟进 · Follow-ups due (${due.length})`),
    h("ul", {}, due.slice(0, 8).map((r) => h("li", {},
      r.case_id ? h("a", { href: `#/case/${encodeURIComponent(r.case_id)}` }, r.order_id || r.case_id) : "",
      " ", r.message || r.title || r.kind || "", r.due_at ? h("span", { class: `chip ${r.overdue ? "bad" : "warn"}` }, fmtDate(r.due_at)) : "")))));
  box.hidden = false;
}

// -- deadline urgency ---------------------------------------------------------------------------
function urgencyChip(deadline) {
  const due = deadline && (deadline.ends_at || deadline.due_at);
  if (!due) return h("span", { class: "muted" }, "—");
  const days = deadline.days_left ?? Math.ceil((new Date(due) - Date.now()) / 86400000);
  const cls = days < 0 ? "bad" : days <= 3 ? "bad" : days <= 7 ? "warn" : "ok";
  const when = days < 0 ? `已过 ${-days} 天 · ${-days}d overdue` : days === 0 ? "今天 · today" : `剩 ${days} 天 · ${days}d left`;
  return h("span", { class: `chip ${cls}`, title: `${deadline.label || ""} ${fmtTime(due)}`, "data-days-left": days },
    `${deadline.label ? deadline.label + " · " : ""}${when}`);
}

// -- case list --------------------------------------------------------------------------------------
async function renderList(params, alive) {
  const q = params.get("q") || "";
  const status = params.get("status") || "";
  const platform = params.get("platform") || "";
  const sort = params.get("sort") || "updated";
  const page = Math.max(0, parseInt(params.get("page") || "0", 10) || 0);
  document.title = "投诉档案 · Cases — 投诉助手";

  const form = h("form", { class: "filters", role: "search", "aria-label": "筛选 Filter" },
    h("label", {}, "搜索 · Search",
      h("input", { type: "search", name: "q", value: q, placeholder: "订单号、店铺、商品 · order id, shop, item", "aria-label": "搜索 Search" })),
    h("label", {}, "状态 · Status",
      h("select", { name: "status" }, h("option", { value: "" }, "全部 All"),
        Object.entries(STATUS).map(([k, v]) => h("option", { value: k, selected: k === status }, v)))),
    h("label", {}, "平台 · Platform",
      h("select", { name: "platform" }, h("option", { value: "" }, "全部 All"),
        Object.entries(PLATFORM).map(([k, v]) => h("option", { value: k, selected: k === platform }, v)))),
    h("label", {}, "排序 · Sort",
      h("select", { name: "sort" },
        h("option", { value: "updated", selected: sort === "updated" }, "最近更新 Recently updated"),
        h("option", { value: "deadline", selected: sort === "deadline" }, "期限最近 Nearest deadline"))),
    h("button", { type: "submit", class: "primary" }, "查找 · Search"));
  const go = (overrides = {}) => {
    if (!form.isConnected) return; // a late debounce from a page that is gone
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const [k, v] of data.entries()) if (v && !(k === "sort" && v === "updated")) next.set(k, v);
    for (const [k, v] of Object.entries(overrides)) if (v) next.set(k, v); else next.delete(k);
    const hash = "#/" + (next.toString() ? "?" + next : "");
    if (location.hash !== hash) location.hash = hash; else route();
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); go(); });
  form.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => go()));
  form.querySelector("input[type=search]").addEventListener("input", () => {
    clearTimeout(searchDebounce);
    searchDebounce = setTimeout(() => go(), 350);
  });

  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(page * PAGE_SIZE), sort });
  if (q) query.set("q", q);
  if (status) query.set("status", status);
  if (platform) query.set("platform", platform);
  const listing = await api(`/ui/cases?${query}`);
  if (!alive()) return;

  const rows = listing.cases.map((c) => h("tr", { "data-case-id": c.id },
    h("td", { class: "mono" }, h("a", { href: `#/case/${encodeURIComponent(c.id)}`, "data-testid": "case-link" }, c.order_id)),
    h("td", {}, PLATFORM[c.platform] || c.platform),
    h("td", {}, c.shop_name || "—"),
    h("td", { class: "title", title: c.title || "" }, c.title || "—"),
    h("td", {}, h("span", { class: "chip accent" }, STATUS[c.status] || c.status)),
    h("td", {}, urgencyChip(c.next_deadline)),
    h("td", { class: "muted" }, fmtTime(c.updated_at))));
  const first = page * PAGE_SIZE + 1;
  const last = page * PAGE_SIZE + listing.cases.length;
  const pager = h("nav", { class: "pager", "aria-label": "分页 Pages" },
    h("button", { type: "button", disabled: page === 0, onclick: () => go({ page: page > 1 ? String(page - 1) : "" }) }, "← 上一页 Prev"),
    h("span", { class: "muted", "data-testid": "count" },
      listing.total ? `${first}–${last} / 共 ${listing.total} 件 · of ${listing.total}` : "没有找到案件 · no cases"),
    h("button", { type: "button", disabled: last >= listing.total, onclick: () => go({ page: String(page + 1) }) }, "下一页 Next →"));
  const question = await timestampQuestion();
  if (!alive()) return;
  main.replaceChildren(
    h("h1", {}, "投诉档案 · Cases"),
    question || "",
    form,
    listing.cases.length ? h("table", { class: "cases" },
      h("thead", {}, h("tr", {}, ["订单号 Order", "平台 Platform", "店铺 Shop", "商品 Item", "状态 Status", "期限 Deadline", "更新 Updated"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows)) : h("p", { class: "muted" }, q ? `没有匹配「${q}」的案件 · nothing matches “${q}”` : "还没有案件。在淘宝订单页点击「投诉助手」按钮建立档案。 No cases yet."),
    pager,
    // VERIFY.txt asks reviewers to compare the bundle's key with the one the buyer shows here
    ...(listing.signing_key_sha256 ? [h("p", { class: "muted", "data-testid": "signing-key" },
      "签名公钥指纹 · Signing key fingerprint: ", h("span", { class: "mono" }, `sha256:${listing.signing_key_sha256}`),
      " — 审核方用它核对导出的证据包 · reviewers check exported bundles against it (verify-bundle --key)")] : []));
}

// -- case page ---------------------------------------------------------------------------------
const caseCache = new Map();

// Bidi controls reorder what follows them: "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const plainText = (text) => typeof text === "string" ? text.replace(BIDI_CONTROLS, "") : text;

/** Evidence as the page shows it: titles and file names without bidi controls, so a name
 * cannot disguise what it is (the ids and hashes the page links by are untouched). */
function forDisplay(ev) {
  const m = ev.metadata || {};
  return {
    ...ev, title: plainText(ev.title),
    artifacts: ev.artifacts.map((a) => ({ ...a, filename: plainText(a.filename) })),
    metadata: { ...m, ...Object.fromEntries(["title", "page_title", "original_filename"]
      .filter((k) => k in m).map((k) => [k, plainText(m[k])])) },
  };
}

async function loadCase(caseId) {
  const [kase, evidence] = await Promise.all([
    api(`/cases/${encodeURIComponent(caseId)}`),
    api(`/cases/${encodeURIComponent(caseId)}/evidence`),
  ]);
  const entry = { kase, evidence: evidence.evidence.map(forDisplay) };
  caseCache.set(caseId, entry);
  return entry;
}

function factsList(order) {
  const rows = [
    ["订单号 Order id", h("span", { class: "mono" }, order.order_id)],
    ["平台 Platform", PLATFORM[order.platform] || order.platform],
    ["店铺 Shop", order.shop_name], ["卖家 Seller", order.seller_nick],
    ["订单状态 Order status", order.status_text], ["实付 Paid", order.actual_fee ? `¥${order.actual_fee}` : null],
    ["下单 Created", order.created_at && fmtTime(order.created_at)], ["付款 Paid at", order.paid_at && fmtTime(order.paid_at)],
    ["发货 Shipped", order.shipped_at && fmtTime(order.shipped_at)], ["收货 Received", order.received_at && fmtTime(order.received_at)],
    ["物流 Logistics", order.logistics ? [order.logistics.company, order.logistics.tracking_no].filter(Boolean).join(" ") : null],
    ["订单详情 Detail page", order.detail_url ? extLink(order.detail_url, "打开 open") : null],
  ].filter(([, v]) => v);
  const items = (order.items || []).map((it) => h("li", {},
    it.item_url ? extLink(it.item_url, it.title || it.item_id || it.sub_order_id) : (it.title || it.sub_order_id),
    it.sku ? h("span", { class: "muted" }, ` · ${it.sku}`) : "",
    h("span", { class: "muted" }, ` · ${it.unit_price ? "¥" + it.unit_price + " × " : "× "}${it.quantity}`),
    it.snapshot_url ? [" · ", extLink(it.snapshot_url, "交易快照 snapshot")] : ""));
  return [h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    items.length ? [h("h3", {}, "商品 · Items"), h("ul", { "data-testid": "items" }, items)] : ""];
}

const TIMELINE_FIRST = 40;

function timelineList(timeline, all = false) {
  const entries = [...timeline].reverse();
  const shown = all ? entries : entries.slice(0, TIMELINE_FIRST);
  const list = h("ol", { class: "timeline", "data-testid": "timeline", "aria-label": "时间线 Timeline" },
    shown.map((t) => h("li", { class: t.kind },
      h("time", { datetime: t.at }, fmtTime(t.at)),
      h("span", { class: "chip" }, TIMELINE_KIND[t.kind] || t.kind), " ",
      h("span", { class: "text" }, t.text))));
  if (shown.length === entries.length) return list;
  const more = h("button", { type: "button", class: "link", "data-action": "timeline-all" },
    `显示全部 ${entries.length} 条 · show all ${entries.length}`);
  const box = h("div", {}, list, more);
  more.addEventListener("click", () => box.replaceWith(timelineList(timeline, true)));
  return box;
}

function integrityChip(state, detail) {
  if (state === true) return h("span", { class: "chip ok", "data-integrity": "verified", title: detail || "" }, "✓ 已校验 Verified");
  if (state === false) return h("span", { class: "chip bad", "data-integrity": "altered", title: detail || "" }, "✗ 已被改动 Altered");
  return h("span", { class: "chip", "data-integrity": "unknown", title: detail || "" }, "未校验 Not checked");
}

/** The verify report (GET /cases/{id}/verify) → case verdict + per-evidence verdicts.
 * Each problem names its item ("ev-…/screenshot", "evidence ev-… metadata", "audit #12", "manifest"). */
function readVerify(report) {
  if (!report) return null;
  const items = {};
  for (const p of report.problems || []) {
    const match = /\b(ev-[0-9a-f]+)\b/.exec(`${p.item || ""} ${p.message || ""}`);
    if (!match) continue;
    const entry = items[match[1]] || (items[match[1]] = { ok: false, detail: [] });
    entry.detail.push(p.message);
  }
  for (const entry of Object.values(items)) entry.detail = entry.detail.join("; ");
  const detail = (report.problems || []).map((p) => p.message).join("; ")
    || `${report.artifacts_checked ?? "?"} 个文件已重新计算哈希 · files re-hashed`;
  return { ok: report.ok, detail, items };
}

async function renderCase(caseId, alive) {
  const { kase, evidence } = await loadCase(caseId);
  if (!alive()) return;
  const order = kase.order;
  const title = `${order.shop_name || ""} ${order.items?.[0]?.title || ""}`.trim() || order.order_id;
  document.title = `${title} — 投诉助手`;

  const caseBadge = h("span", { "data-testid": "case-integrity" }, integrityChip(null));
  const statusSelect = h("select", { "aria-label": "案件状态 Case status", name: "status" },
    Object.entries(STATUS).map(([k, v]) => h("option", { value: k, selected: k === kase.status }, v)));
  statusSelect.addEventListener("change", async () => {
    try {
      const updated = await api(`/cases/${encodeURIComponent(caseId)}`, { method: "PATCH", body: { status: statusSelect.value } });
      timelineBox.replaceChildren(timelineList(updated.timeline));
      toast("状态已更新 · status saved");
    } catch (err) { toast(err.message); }
  });
  const exportButton = h("button", { type: "button", class: "primary", "data-action": "export" }, "导出证据包 · Export bundle");
  exportButton.addEventListener("click", () => exportCase(caseId, order.order_id, exportButton));
  const waczButton = h("button", { type: "button", "data-action": "export-wacz",
    title: "网页存档（WACZ），可在 ReplayWeb.page 中回放 · web archive for ReplayWeb.page" }, "导出网页存档 · Export WACZ");
  waczButton.addEventListener("click", () => exportCase(caseId, order.order_id, waczButton, "wacz"));
  const stampButton = h("button", { type: "button", "data-action": "timestamp", hidden: true,
    title: "只发送哈希值，不发送任何内容 · only SHA-256 hashes are sent" }, "申请可信时间戳 · Timestamp");
  stampButton.addEventListener("click", () => timestampCase(caseId, stampButton));
  const verifyButton = h("button", { type: "button", "data-action": "verify" }, "重新校验 · Verify");
  const deleteButton = h("button", { type: "button", class: "danger", "data-action": "delete-case" }, "删除档案 · Delete case");
  deleteButton.addEventListener("click", () => deleteCase(caseId, order.order_id, deleteButton));

  // timeline + note form
  const timelineBox = h("div", {}, timelineList(kase.timeline));
  const noteInput = h("textarea", { name: "note", maxlength: "2000", required: true, "aria-label": "新记录 New entry",
    placeholder: "例如：2025-11-20 电话联系卖家，卖家同意退货 · e.g. called the seller on …" });
  const noteForm = h("form", { class: "note-form", "data-testid": "note-form" },
    noteInput,
    h("div", { class: "row" },
      h("button", { type: "submit", class: "primary" }, "添加记录 · Add entry"),
      ...[["已电话联系卖家", "called seller"], ["已在旺旺联系卖家", "messaged seller"], ["卖家已回复", "seller replied"]].map(([zh, en]) =>
        h("button", { type: "button", onclick: () => { noteInput.value = `${DATE_FORMAT.format(new Date())} ${zh}：`; noteInput.focus(); } }, `${zh} · ${en}`))));
  noteForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = noteInput.value.trim();
    if (!text) return;
    try {
      const updated = await api(`/cases/${encodeURIComponent(caseId)}`, { method: "PATCH", body: { timeline_note: text } });
      noteInput.value = "";
      timelineBox.replaceChildren(timelineList(updated.timeline));
      toast("已添加 · entry added");
    } catch (err) { toast(err.message); }
  });

  // evidence gallery
  const badges = new Map();
  const tiles = evidence.map((ev) => {
    const badge = h("span", {}, integrityChip(null));
    badges.set(ev.id, badge);
    const shot = ev.artifacts.find((a) => a.media_type.startsWith("image/"));
    return h("a", { class: "tile", href: `#/case/${encodeURIComponent(caseId)}/evidence/${encodeURIComponent(ev.id)}`, "data-evidence-id": ev.id },
      h("img", { src: `/ui/thumb/${encodeURIComponent(ev.id)}${shot ? "?v=" + shot.sha256 : ""}`, alt: "", loading: "lazy", decoding: "async", width: "320", height: "240" }),
      h("span", { class: "meta" },
        h("strong", { class: "ev-title" }, ev.title),
        h("span", { class: "muted" }, `${KIND[ev.kind] || ev.kind} · ${CATEGORY[ev.category] || ev.category}`),
        h("span", { class: "muted" }, fmtTime(ev.created_at)),
        ev.status !== "complete" ? h("span", { class: "chip warn" }, ev.status === "partial" ? "部分 Partial" : "处理中 Pending") : "",
        badge));
  });

  const deadlinesBox = h("div", { "data-testid": "deadlines" }, h("p", { class: "muted" }, "加载中… Loading…"));
  const draftBox = h("div", { "data-testid": "draft" }, h("p", { class: "muted" }, "加载中… Loading…"));

  main.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← 返回列表 · Back to cases")),
    h("div", { class: "case-head" },
      h("div", {}, h("h1", { "data-testid": "case-title" }, title),
        h("span", { class: "muted mono" }, `订单 ${order.order_id} · 案件 ${kase.id} · `), caseBadge),
      h("div", { class: "actions" }, statusSelect, verifyButton, stampButton, exportButton, waczButton, deleteButton)),
    h("div", { class: "grid" },
      h("div", {},
        h("section", { class: "card", "aria-labelledby": "facts-h" }, h("h2", { id: "facts-h" }, "订单信息 · Order facts"), factsList(order)),
        h("section", { class: "card", "aria-labelledby": "deadline-h" }, h("h2", { id: "deadline-h" }, "期限与提醒 · Deadlines & reminders"), deadlinesBox)),
      h("div", {},
        h("section", { class: "card", "aria-labelledby": "timeline-h" }, h("h2", { id: "timeline-h" }, "时间线 · Timeline"), timelineBox, noteForm),
        h("section", { class: "card", "aria-labelledby": "draft-h" }, h("h2", { id: "draft-h" }, "投诉草稿 · Current draft"), draftBox))),
    h("section", { class: "card", "aria-labelledby": "ev-h" },
      h("h2", { id: "ev-h" }, `证据 · Evidence (${evidence.length})`),
      evidence.length ? h("div", { class: "gallery", "data-testid": "gallery" }, tiles)
        : h("p", { class: "muted" }, "还没有证据 · no evidence yet")));

  const runVerify = async () => {
    caseBadge.replaceChildren(h("span", { class: "chip" }, "校验中… Checking…"));
    try {
      const report = readVerify(await optional(`/cases/${encodeURIComponent(caseId)}/verify`));
      if (!report) { caseBadge.replaceChildren(integrityChip(null, "verify is not available in this helper version")); return; }
      caseBadge.replaceChildren(integrityChip(report.ok, report.detail));
      for (const [id, badge] of badges) {
        const item = report.items[id];
        badge.replaceChildren(integrityChip(item ? false : true, item?.detail || "哈希一致 · hashes match"));
      }
    } catch (err) { caseBadge.replaceChildren(h("span", { class: "chip bad" }, err.message)); }
  };
  verifyButton.addEventListener("click", runVerify);
  // verify re-hashes every file: start it once the first thumbnails have loaded (no layout
  // query here: measuring 200 tiles would force a synchronous layout before the first paint)
  const inView = [...main.querySelectorAll(".gallery img")].slice(0, 12);
  Promise.race([
    Promise.all(inView.map((i) => i.complete ? null : new Promise((r) => { i.addEventListener("load", r, { once: true }); i.addEventListener("error", r, { once: true }); }))),
    new Promise((r) => setTimeout(r, 1500)),
  ]).then(() => { if (alive()) runVerify(); });
  loadDeadlines(caseId, deadlinesBox);
  loadDraft(caseId, draftBox);
  optional("/ui/timestamps").then((consent) => { if (consent && alive()) stampButton.hidden = !consent.agreed; }).catch(() => {});
}

/** Asked once, in plain words: may the helper send hashes to a time-stamping authority? */
async function timestampQuestion() {
  const consent = await optional("/ui/timestamps").catch(() => null);
  if (!consent || consent.asked) return null;
  const box = h("section", { class: "card", role: "region", "aria-label": "可信时间戳 Trusted timestamps", "data-testid": "timestamp-consent" },
    h("h2", {}, "为证据加可信时间戳？ · Add trusted timestamps to your evidence?"),
    h("p", {}, "只发送哈希值，不发送任何内容。时间戳服务机构签名证明：某份证据在某个时间已经存在、之后没有改动。",
      h("br"), "Only a SHA-256 hash is sent, never the content: a time-stamping authority signs that the evidence existed, unchanged, at that time."),
    h("p", { class: "muted mono" }, consent.tsa_urls.join(" · ")));
  const answer = (agreed) => async () => {
    try {
      await api("/ui/timestamps", { method: "PUT", body: { agreed } });
      box.remove();
      toast(agreed ? "已同意：之后的存证会加可信时间戳 · timestamps on" : "不加可信时间戳 · timestamps off");
    } catch (err) { toast(err.message); }
  };
  box.append(h("p", { class: "actions" },
    h("button", { type: "button", class: "primary", "data-action": "timestamps-agree", onclick: answer(true) }, "同意 · Agree"), " ",
    h("button", { type: "button", "data-action": "timestamps-decline", onclick: answer(false) }, "不同意 · No thanks")));
  return box;
}

async function timestampCase(caseId, button) {
  button.disabled = true;
  try {
    const done = await api(`/cases/${encodeURIComponent(caseId)}/timestamp`, { method: "POST" });
    const failed = done.outcomes.filter((o) => !o.timestamped);
    toast(done.ok ? "已加盖可信时间戳 · timestamped" : `未能全部加盖 · not all timestamped: ${failed.map((o) => o.detail).join("; ")}`);
  } catch (err) { toast(err.message); }
  finally { button.disabled = false; }
}

async function loadDeadlines(caseId, box) {
  try {
    const data = await optional(`/cases/${encodeURIComponent(caseId)}/deadlines`);
    if (!data) { box.replaceChildren(h("p", { class: "muted" }, "期限计算尚不可用 · deadlines are not available in this helper version")); return; }
    const list = data.deadlines || [];
    const warnings = data.warnings || [];
    let reminders = [];
    try {
      const cached = JSON.parse(sessionStorage.getItem("tousu.reminders") || "null");
      reminders = ((cached && cached.data && cached.data.reminders) || []).filter((r) => r.case_id === caseId);
    } catch { /* none */ }
    box.replaceChildren(
      list.length ? h("ul", { class: "deadlines" }, list.map((d) => h("li", { "data-key": d.key, class: d.state },
        h("span", {}, h("strong", {}, d.label), h("br"), h("span", { class: "muted" }, `${d.counted_from} · ${d.basis}`),
          d.confirmed ? "" : h("span", { class: "chip warn", title: d.note || "" }, "未确认 unconfirmed"),
          d.note ? [h("br"), h("span", { class: "muted" }, d.note)] : ""),
        h("span", {}, d.last_day, " ", d.state === "passed" ? h("span", { class: "chip" }, "已过 passed") : urgencyChip({ ends_at: d.ends_at, days_left: d.days_left }))))) : h("p", { class: "muted" }, warnings.some((w) => /^missing_(received|shipped)_at$/.test(w.code))
        ? "还算不出期限：缺少签收/发货日期，可在扩展的投诉面板里填写 · no deadlines yet: the receipt/shipping date is missing; give it in the extension's panel"
        : "没有期限 · no deadlines"),
      warnings.length ? h("ul", { class: "findings" }, warnings.map((w) => h("li", {}, w.message))) : "",
      reminders.length ? h("div", {}, h("h3", {}, "待跟进 · Follow-ups due"), h("ul", { "data-testid": "case-reminders" }, reminders.map((r) => h("li", {},
        r.message, " ", h("span", { class: `chip ${r.overdue ? "bad" : "warn"}` }, fmtDate(r.due_at)))))) : "");
  } catch (err) { box.replaceChildren(errorBox(err)); }
}

/** The draft text with the linter's findings marked; text nodes only. */
function markedText(text, findings) {
  const out = [];
  let at = 0;
  const spans = [...findings].filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end) && f.end > f.start)
    .sort((a, b) => a.start - b.start);
  for (const f of spans) {
    if (f.start < at) continue;
    out.push(text.slice(at, f.start));
    out.push(h("mark", { title: f.suggestion ? `建议 suggestion: ${f.suggestion}` : (f.category || "") }, text.slice(f.start, f.end)));
    at = f.end;
  }
  out.push(text.slice(at));
  return out;
}

/** The buyer's draft choices, as the extension's panel shows them (GET /cases/{id}/draft-state):
 * the same type, demand, items, notes and looked-at version in every tab and here. */
function draftStateBox(state, order, catalog) {
  const c = state.choices;
  const named = (list, id) => { const x = ((catalog || {})[list] || []).find((e) => e.id === id); return x ? `${x.label} ${x.label_en}` : id; };
  const items = c.sub_order_ids ? (order.items || []).filter((i) => c.sub_order_ids.includes(i.sub_order_id)) : null;
  const rows = [
    ["投诉类型 Type", c.complaint_type && named("types", c.complaint_type)],
    ["诉求 Demand", c.demand_kind && named("demands", c.demand_kind)], ["金额 Amount", c.amount ? `¥${c.amount}` : null],
    ["商品 Items", items ? items.map((i) => i.title || i.sub_order_id).join("；") : "整笔订单 whole order"],
    ["经过 Notes", c.notes],
    ["买家在看 Looked at", c.draft_version ? `第 ${c.draft_version} 版 · version ${c.draft_version}` : null],
  ].filter(([, v]) => v);
  return h("dl", { class: "facts", "data-testid": "draft-state", "data-revision": String(state.revision) },
    rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

/** The channels in the order a buyer should try them (卖家 → 平台 → 12315 → 消协 → 法院), each
 * drafting the request behind the shown draft for that reader; the one shown is pressed. */
function channelBar(caseId, box, draft, catalog) {
  if (!catalog || !catalog.channels) return "";
  return h("p", { class: "channels", "data-testid": "channels" }, "渠道 · Channel: ",
    catalog.channels.map((c) => {
      const button = h("button", { type: "button", "data-channel": c.id, "aria-pressed": String(c.id === (draft.channel || "platform")),
        title: c.when }, c.label);
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          const made = await api(`/cases/${encodeURIComponent(caseId)}/drafts/${draft.version}/redraft`,
            { method: "POST", body: { channel: c.id } });
          await loadDraft(caseId, box, made);
        } catch (err) {
          box.prepend(h("p", { class: "chip bad", "data-testid": "channel-refused" }, `${c.label}：${err.message}`));
        } finally {
          button.disabled = false;
        }
      });
      return button;
    }));
}

async function loadDraft(caseId, box, shown = null) {
  let draft = shown;
  let state = null;
  try {
    state = await optional(`/cases/${encodeURIComponent(caseId)}/draft-state`);
    const version = state && state.choices.draft_version;
    draft = draft || await api(`/cases/${encodeURIComponent(caseId)}/drafts/${version || "latest"}`);
  } catch (err) {
    if (err.status === 404) {
      box.replaceChildren(h("p", { class: "muted" }, /no such endpoint/.test(err.message)
        ? "草稿功能尚不可用 · drafting is not available in this helper version"
        : "还没有草稿：在扩展的投诉面板中选择投诉类型和诉求后生成。 No draft yet: generate one from the extension's panel."));
      return;
    }
    box.replaceChildren(errorBox(err));
    return;
  }
  const text = draft.text || "";
  // the linter on the final text: spans index this text, so they can be marked in place
  let spans = [];
  try { spans = (await api("/lint", { method: "POST", body: { text } })).findings || []; } catch { /* optional */ }
  const inputFindings = draft.findings || [];
  const pre = h("div", { class: "draft", "data-testid": "draft-text", tabindex: "0", "aria-label": "草稿正文 Draft text" }, markedText(text, spans));
  const copyButton = (label, value, action) => {
    const button = h("button", { type: "button", "data-action": action }, label);
    button.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(value); toast("已复制 · copied"); }
      catch {
        const range = document.createRange(); range.selectNodeContents(pre);
        getSelection().removeAllRanges(); getSelection().addRange(range);
        toast("请按 Ctrl+C 复制 · press Ctrl+C");
      }
    });
    return button;
  };
  const findingItem = (f, where) => h("li", {},
    h("span", { class: `chip ${f.severity === "high" ? "bad" : "warn"}` }, f.category || f.severity), " ",
    where ? h("span", { class: "muted" }, `${where} `) : "", `「${f.text ?? text.slice(f.start, f.end)}」`,
    f.suggestion ? ` → ${f.suggestion}` : "");
  const order = ((caseCache.get(caseId) || {}).kase || {}).order || {};
  const latest = state && state.latest_draft_version;
  const catalog = await optional("/catalog").catch(() => null);
  const withheld = draft.withheld || [];
  box.replaceChildren(
    state ? draftStateBox(state, order, catalog) : "",
    channelBar(caseId, box, draft, catalog),
    latest && latest > draft.version ? h("p", { class: "chip warn", "data-testid": "newer-draft" },
      `另有更新的第 ${latest} 版 · a newer version ${latest} exists`) : "",
    h("p", { class: "muted" }, `第 ${draft.version} 版 · version ${draft.version} · ${fmtTime(draft.generated_at)}`,
      draft.title ? [h("br"), h("strong", {}, draft.title)] : ""),
    pre,
    h("p", {}, copyButton("复制草稿 · Copy draft", text, "copy-draft"), " ",
      draft.form_text ? copyButton(`复制表单版（≤${draft.form_limit} 字）· Copy form text`, draft.form_text, "copy-form-text") : ""),
    h("h3", {}, "语气检查 · Tone check"),
    spans.length || inputFindings.length
      ? h("ul", { class: "findings", "data-testid": "findings" },
        spans.map((f) => findingItem(f, "草稿 draft")), inputFindings.map((f) => findingItem(f, f.source)))
      : h("p", { class: "muted" }, "语气检查未发现问题 · the tone check found nothing"),
    withheld.length ? h("div", {}, h("h3", {}, "未写入草稿的句子 · Sentences left out"),
      h("ul", { class: "findings", "data-testid": "withheld" }, withheld.map((w) => h("li", { "data-action": w.action },
        h("span", { class: `chip ${w.action === "omitted" ? "bad" : "warn"}` }, w.action === "omitted" ? "未写入 left out" : "已改写 rewritten"),
        " ", h("span", { class: "muted" }, `${w.source} `), `「${w.text}」 → ${w.rewrite}`)))) : "",
    (draft.warnings || []).length ? h("div", {}, h("h3", {}, "提示 · Warnings"), h("ul", { class: "findings", "data-testid": "draft-warnings" },
      draft.warnings.map((w) => h("li", {}, w.message)))) : "",
    draft.demand_check && draft.demand_check.verdict !== "ok" ? h("p", { class: `chip ${draft.demand_check.verdict === "block" ? "bad" : "warn"}` },
      `诉求检查 demand check: ${draft.demand_check.verdict}`) : "");
}

async function deleteCase(caseId, orderId, button) {
  // Deleting cannot be undone: the buyer confirms with the order id in front of them.
  const question = `删除订单 ${orderId} 的投诉档案及其全部证据和草稿？此操作无法撤销（审计日志会记录此次删除）。\n` +
    `Delete the case of order ${orderId} with all its evidence and drafts? This cannot be undone.`;
  if (!window.confirm(question)) return;
  button.disabled = true;
  try {
    const result = await api(`/cases/${encodeURIComponent(caseId)}`, { method: "DELETE" });
    toast(`已删除档案（${result.evidence_deleted} 项证据）· case deleted`);
    location.hash = "#/";
  } catch (err) {
    toast(`删除失败 · delete failed: ${err.message}`);
    button.disabled = false;
  }
}

async function exportCase(caseId, orderId, button, format = "zip") {
  button.disabled = true;
  const label = button.textContent;
  button.textContent = "正在导出… Exporting…";
  try {
    const response = await fetch(`${API}/cases/${encodeURIComponent(caseId)}/export?format=${format}`, { credentials: "same-origin" });
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      try { message = (await response.json()).error.message; } catch { /* keep */ }
      throw new Error(message);
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: `tousu-${orderId}.${format}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    toast("证据包已导出 · bundle exported");
  } catch (err) {
    toast(`导出失败 · export failed: ${err.message}`);
    const box = h("div", { class: "error", role: "alert", "data-testid": "export-error" }, `导出失败 · export failed: ${err.message}`);
    button.closest(".case-head").after(box);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

// -- evidence viewer ---------------------------------------------------------------------------
function contentUrl(ev, artifact) {
  return `${API}/evidence/${encodeURIComponent(ev.id)}/content?role=${encodeURIComponent(artifact.role)}`;
}

/** `text/html; charset=utf-8` → `text/html`: artifacts carry parameters, decisions use the essence. */
const essence = (media) => String(media || "").split(";", 1)[0].trim().toLowerCase();

const PAGE_TYPES = ["text/html", "application/xhtml+xml", "multipart/related", "message/rfc822", "application/x-mimearchive"];

function isArchive(a) {
  return PAGE_TYPES.includes(essence(a.media_type)) || /\.mht(ml)?$/i.test(a.filename);
}

function imageStage(ev, artifact) {
  const img = h("img", { src: contentUrl(ev, artifact), alt: ev.title, "data-testid": "viewer-image" });
  const stage = h("div", { class: "stage", tabindex: "0", "aria-label": "图片 Image — + / − / 0" }, img);
  let scale = 0; // 0 = fit width
  const label = h("span", { class: "muted", "aria-live": "polite" }, "适应宽度 · fit");
  const apply = () => {
    const natural = img.naturalWidth || 1;
    const fit = Math.min(1, (stage.clientWidth - 2) / natural);
    const s = scale || fit;
    img.style.width = `${Math.round(natural * s)}px`;
    label.textContent = scale ? `${Math.round(s * 100)}%` : `适应宽度 · fit (${Math.round(fit * 100)}%)`;
  };
  const zoom = (factor) => {
    const natural = img.naturalWidth || 1;
    const current = scale || Math.min(1, (stage.clientWidth - 2) / natural);
    scale = Math.min(8, Math.max(0.05, current * factor));
    apply();
  };
  img.addEventListener("load", apply);
  stage.addEventListener("keydown", (e) => {
    if (e.key === "+" || e.key === "=") { zoom(1.25); e.preventDefault(); }
    else if (e.key === "-") { zoom(0.8); e.preventDefault(); }
    else if (e.key === "0") { scale = 0; apply(); e.preventDefault(); }
  });
  stage.addEventListener("wheel", (e) => { if (e.ctrlKey) { e.preventDefault(); zoom(e.deltaY < 0 ? 1.15 : 0.87); } }, { passive: false });
  const bar = h("div", { class: "zoombar", role: "toolbar", "aria-label": "缩放 Zoom" },
    h("button", { type: "button", "data-action": "zoom-out", onclick: () => zoom(0.8), "aria-label": "缩小 Zoom out" }, "−"),
    h("button", { type: "button", "data-action": "zoom-in", onclick: () => zoom(1.25), "aria-label": "放大 Zoom in" }, "+"),
    h("button", { type: "button", "data-action": "zoom-100", onclick: () => { scale = 1; apply(); } }, "100%"),
    h("button", { type: "button", "data-action": "zoom-fit", onclick: () => { scale = 0; apply(); } }, "适应 · Fit"),
    label);
  return [bar, stage];
}

/** A PDF never goes to the browser's PDF viewer, which runs the PDF's JavaScript: the helper
 * renders its pages to images (no script engine), shown one below the other. */
function pdfStage(ev, artifact) {
  const base = `/ui/pdf/${encodeURIComponent(ev.id)}/${encodeURIComponent(artifact.role)}`;
  const note = h("p", { class: "muted" }, "PDF 以图片逐页显示，文件中的脚本不会运行。 PDF shown as page images: scripts in it never run. ",
    h("a", { href: contentUrl(ev, artifact), download: artifact.filename, "data-action": "download-original" }, "下载原文件 · Download original"));
  const stage = h("div", { class: "stage pdf-pages", "data-testid": "viewer-pdf" }, h("p", { class: "muted" }, "加载中… Loading…"));
  fetch(base, { credentials: "same-origin" }).then(async (response) => {
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, data?.error?.code, data?.error?.message || `HTTP ${response.status}`);
    stage.replaceChildren(...data.sizes.map(([width, height], i) => h("img", {
      src: `${base}/${i}?v=${artifact.sha256}`, width, height, loading: "lazy", decoding: "async",
      alt: `第 ${i + 1} 页 · page ${i + 1}`, "data-testid": "viewer-pdf-page" })),
    data.pages > data.shown ? h("p", { class: "muted" }, `只显示前 ${data.shown} 页，共 ${data.pages} 页；请下载原文件查看全部。 Showing the first ${data.shown} of ${data.pages} pages; download the original for the rest.`) : "");
  }).catch((err) => stage.replaceChildren(errorBox(err)));
  return [note, stage];
}

function stageFor(ev, artifact) {
  const media = essence(artifact.media_type);
  if (media.startsWith("image/")) return imageStage(ev, artifact);
  if (media === "application/pdf") return pdfStage(ev, artifact);
  const viewUrl = `/ui/view/${encodeURIComponent(ev.id)}/${encodeURIComponent(artifact.role)}`;
  if (isArchive(artifact)) {
    return [h("p", { class: "muted" }, "网页存档在隔离框架中显示：脚本已禁用，不联网。 Archived page in a sandboxed frame: scripts off, no network."),
      h("div", { class: "stage" }, h("iframe", { src: viewUrl, sandbox: "", referrerpolicy: "no-referrer", title: `存档网页 Archived page: ${ev.title}`, "data-testid": "viewer-html" }))];
  }
  if (media.startsWith("video/")) return h("div", { class: "stage" }, h("video", { src: contentUrl(ev, artifact), controls: true, preload: "metadata" }));
  if (media.startsWith("audio/")) return h("audio", { src: contentUrl(ev, artifact), controls: true });
  if (media.startsWith("text/")) {
    return h("div", { class: "stage" }, h("iframe", { src: viewUrl, sandbox: "", title: ev.title, "data-testid": "viewer-text" }));
  }
  return h("p", {}, "此类文件不能在页面中预览，请下载查看。 This file cannot be previewed; download it.");
}

function metadataTable(ev) {
  const m = ev.metadata || {};
  const tls = m.tls || m.security_details || m.certificate;
  const browser = m.browser || {};
  const rows = [
    ["类型 Kind", `${KIND[ev.kind] || ev.kind} · ${CATEGORY[ev.category] || ev.category}`],
    ["状态 Status", ev.status],
    ["存证时间 Captured (UTC)", ev.created_at],
    ["存证时间 Captured (北京)", fmtTime(m.captured_at || ev.created_at)],
    ["网址 URL", m.url || m.requested_url ? extLink(m.url || m.requested_url) : null],
    ["最终网址 Final URL", m.final_url ? extLink(m.final_url) : null],
    ["页面标题 Page title", m.title || m.page_title],
    ["HTTP 状态 Status", m.http_status ?? m.status],
    ["服务器 Server", m.server_address ? (typeof m.server_address === "object" ? [m.server_address.ipAddress || m.server_address.ip, m.server_address.port].filter(Boolean).join(":") : m.server_address) : (m.server_ip || null)],
    ["TLS 证书 Certificate", tls ? (typeof tls === "object" ? Object.entries(tls).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(" · ") : tls) : null],
    ["浏览器 Browser", typeof browser === "object" ? [browser.name, browser.version, m.user_agent].filter(Boolean).join(" · ") || m.browser_version : browser],
    ["视口 Viewport", m.viewport ? (typeof m.viewport === "object" ? `${m.viewport.width}×${m.viewport.height}` : m.viewport) : null],
    ["助手版本 Helper", m.helper_version],
    ["原文件名 Original file", m.original_filename],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  const known = new Set(["tls", "security_details", "certificate", "browser", "url", "requested_url", "final_url", "title", "page_title", "http_status", "status", "server_address", "server_ip", "viewport", "helper_version", "original_filename", "captured_at", "user_agent", "browser_version"]);
  const extra = Object.entries(m).filter(([k]) => !known.has(k));
  return [
    h("dl", { class: "facts", "data-testid": "metadata" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", { class: "break" }, v)]),
      extra.map(([k, v]) => [h("dt", {}, k), h("dd", { class: "break mono" }, typeof v === "object" ? JSON.stringify(v) : String(v))])),
    h("h3", {}, "文件与哈希 · Files & SHA-256"),
    h("table", { class: "hashes", "data-testid": "hashes" },
      h("thead", {}, h("tr", {}, ["角色 Role", "文件 File", "类型 Type", "大小 Size", "SHA-256", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, ev.artifacts.map((a) => h("tr", {},
        h("td", {}, ROLE[a.role] || a.role), h("td", { class: "break" }, a.filename), h("td", {}, a.media_type),
        h("td", {}, fmtSize(a.size)), h("td", { class: "mono break" }, a.sha256),
        h("td", {}, h("a", { href: `${contentUrl(ev, a)}`, download: a.filename }, "下载 Download")))))),
  ];
}

async function renderViewer(caseId, evidenceId, params, alive) {
  const entry = caseCache.get(caseId) || await loadCase(caseId);
  if (!alive()) return;
  const ev = entry.evidence.find((e) => e.id === evidenceId);
  if (!ev) throw new Error(`证据不存在 · no evidence ${evidenceId}`);
  document.title = `${ev.title} — 投诉助手`;
  const order = ["screenshot", "buyer_screenshot", "original", "pdf", "html", "mhtml"];
  const artifacts = [...ev.artifacts].sort((a, b) => (order.indexOf(a.role) + 99) % 99 - (order.indexOf(b.role) + 99) % 99);
  const wanted = params.get("role");
  let current = artifacts.find((a) => a.role === wanted) || artifacts[0];
  const stageBox = h("div", { "data-testid": "stage" });
  const tabs = h("div", { class: "viewer-tabs", role: "tablist", "aria-label": "文件 Files" });
  const show = (artifact) => {
    current = artifact;
    tabs.replaceChildren(...artifacts.map((a) => h("button", {
      type: "button", role: "tab", "aria-selected": a === current ? "true" : "false", "data-role": a.role,
      onclick: () => show(a),
    }, `${ROLE[a.role] || a.role} · ${essence(a.media_type).split("/")[1] || a.media_type}`)));
    stageBox.replaceChildren(...[stageFor(ev, artifact)].flat());
  };
  const idx = entry.evidence.indexOf(ev);
  const prev = entry.evidence[idx - 1];
  const next = entry.evidence[idx + 1];
  const link = (e) => `#/case/${encodeURIComponent(caseId)}/evidence/${encodeURIComponent(e.id)}`;
  main.replaceChildren(
    h("p", {}, h("a", { href: `#/case/${encodeURIComponent(caseId)}` }, "← 返回案件 · Back to case"),
      prev ? [" · ", h("a", { href: link(prev) }, "← 上一个 Prev")] : "", next ? [" · ", h("a", { href: link(next) }, "下一个 Next →")] : ""),
    h("h1", { "data-testid": "evidence-title" }, ev.title),
    h("section", { class: "card", "aria-label": "预览 Preview" }, tabs, stageBox),
    h("section", { class: "card", "aria-labelledby": "meta-h" }, h("h2", { id: "meta-h" }, "存证信息 · Capture metadata"), metadataTable(ev)));
  show(current);
}

// -- start -----------------------------------------------------------------------------------------
route().finally(() => setTimeout(loadReminders, 200));
