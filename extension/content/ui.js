// In-page UI, each piece in its own open shadow root (page CSS cannot reach in; tests
// and assistive tools can): a 投诉助手 button per recognised row, and the page panel
// "本页订单 (N)" that lists every order found and hosts the case panel.
/* global Tousu, TousuSites */
(() => {
  const TYPES = [
    ["quality_problem", "质量问题"], ["not_as_described", "与描述不符"], ["counterfeit", "假冒商品"],
    ["damaged_or_missing", "破损/少件"], ["wrong_item", "发错货"], ["late_shipment", "延迟发货"],
    ["not_received", "未收到货"], ["after_sales_refused", "拒绝售后"], ["false_advertising", "虚假宣传"], ["other", "其他"],
  ];
  const DEMANDS = [
    ["refund_only", "仅退款"], ["return_refund", "退货退款"], ["exchange", "换货"], ["reship", "补发"],
    ["repair", "维修"], ["compensation", "赔偿"],
  ];
  const CATEGORY = {
    product_photo: "商品照片", unboxing_video: "开箱视频", chat_log: "聊天记录", order_page: "订单页面",
    listing_snapshot: "交易快照", logistics: "物流记录", test_report: "检测报告", other: "其他",
  };
  const STATUS = { open: "处理中", drafted: "已起草", submitted: "已提交", escalated: "已升级", resolved: "已解决", closed: "已关闭" };
  const M = (key, fallback) => Tousu.msg(key, fallback);
  const STATE_TEXT = { saving: M("stateSaving", "正在保存…"), saved: M("stateSaved", "已保存到助手"),
    queued: M("stateQueued", "已暂存在浏览器里，助手能接收时自动发送"), error: M("stateError", "保存失败") };

  const CSS = `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
    button { font: 12px/1.4 inherit; cursor: pointer; border-radius: 4px; }
    .btn { border: 1px solid #ff5000; background: #fff; color: #ff5000; padding: 2px 8px; }
    .btn:hover { background: #fff3ec; }
    .btn.primary { background: #ff5000; color: #fff; }
    .btn[disabled] { opacity: .5; cursor: default; }
    .panel { position: fixed; right: 16px; bottom: 16px; width: 380px; max-height: 80vh; display: flex; flex-direction: column;
      background: #fff; color: #333; border: 1px solid #ddd; box-shadow: 0 4px 18px rgba(0,0,0,.15); border-radius: 8px;
      font-size: 13px; z-index: 2147483000; overflow: hidden; }
    .panel.collapsed .body { display: none; }
    .head { display: flex; align-items: center; gap: 8px; padding: 8px 12px; background: #ff5000; color: #fff; cursor: pointer; }
    .head h2 { font-size: 14px; margin: 0; flex: 1; }
    .head button { background: transparent; border: 0; color: #fff; font-size: 16px; }
    .body { overflow: auto; padding: 8px 12px; }
    ul.orders { list-style: none; padding: 0; margin: 0; max-height: 30vh; overflow: auto; }
    ul.orders li { display: flex; gap: 8px; align-items: center; padding: 6px 0; border-bottom: 1px solid #f0f0f0; }
    ul.orders li .t { flex: 1; min-width: 0; }
    ul.orders li .t div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .muted { color: #888; font-size: 12px; }
    [data-tousu-notices] > * { margin: 4px 0 8px; padding: 6px; border: 1px solid #f3d7c9; border-radius: 4px; background: #fffaf6; }
    .case { border-top: 2px solid #ff5000; margin-top: 8px; padding-top: 8px; }
    .case h3 { font-size: 13px; margin: 4px 0; }
    .state { display: inline-block; padding: 1px 6px; border-radius: 3px; font-size: 12px; background: #eee; }
    .state[data-tousu-state="saved"] { background: #e6f7e6; color: #217a21; }
    .state[data-tousu-state="queued"] { background: #fff7e0; color: #8a6100; }
    .state[data-tousu-state="error"] { background: #fdecea; color: #b3261e; }
    section { margin: 8px 0; }
    label { display: block; margin: 4px 0; }
    select, input { font: inherit; padding: 2px 4px; }
    .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
    .draft { white-space: pre-wrap; border: 1px solid #eee; padding: 6px; background: #fafafa; max-height: 240px; overflow: auto; }
    mark { background: #ffe08a; }
    mark[data-severity="error"], mark[data-severity="high"] { background: #ffb4a8; }
    ul.plain { margin: 4px 0; padding-left: 18px; }
    .ok { color: #217a21; } .missing { color: #b3261e; }
    a { color: #0b57d0; }
  `;

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
    return el;
  }
  Tousu.h = h;

  // One constructed stylesheet shared by every shadow root (50 rows must not parse the
  // CSS 50 times); a <style> element where adoptedStyleSheets is unavailable.
  let sheet = null;
  try { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); } catch (_) { sheet = null; }

  function shadowHost(kind, tag = "div") {
    const host = document.createElement(tag);
    host.setAttribute("data-tousu-host", kind);
    const root = host.attachShadow({ mode: "open" });
    let adopted = false;
    if (sheet) { try { root.adoptedStyleSheets = [sheet]; adopted = root.adoptedStyleSheets.length === 1; } catch (_) { adopted = false; } }
    if (!adopted) root.append(h("style", { text: CSS }));
    return { host, root };
  }
  Tousu.shadowHost = shadowHost;

  const ui = (Tousu.ui = { orders: new Map(), states: new Map(), open: null, panel: null });

  const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  Tousu.esc = esc;

  // ---- row buttons ----
  ui.rowButton = (anchor, orderId) => {
    if (anchor.querySelector(':scope > [data-tousu-host="row"]')) return;
    const { host, root } = shadowHost("row", "span");
    host.style.cssText = "display:inline-block;margin-left:8px;vertical-align:middle;";
    root.innerHTML += `<button class="btn" data-tousu-action="open-case" data-order-id="${esc(orderId)}" title="${esc(M("btnOpenCaseTitle", "把这笔订单交给投诉助手"))}">${esc(M("btnOpenCase", "投诉助手"))}</button>`;
    root.addEventListener("click", (e) => { e.preventDefault(); e.stopPropagation(); ui.openCase(orderId); });
    anchor.append(host);
  };

  // ---- page panel ----
  function ensurePanel() {
    if (ui.panel && ui.panel.host.isConnected) return ui.panel;
    const { host, root } = shadowHost("panel");
    const count = h("span", { "data-tousu-count": "0" }, "0");
    const list = h("ul", { class: "orders", "data-tousu-list": "" });
    list.addEventListener("click", (e) => {
      const b = e.target.closest && e.target.closest('button[data-tousu-action="open-case"]');
      if (b) ui.openCase(b.getAttribute("data-order-id"));
    });
    const caseBox = h("div", { "data-tousu-case-box": "" });
    // What the page showed that we could not read, and what waits for the helper.
    const notices = h("div", { "data-tousu-notices": "" });
    // Open by default (the list is the fallback where rows are unknown); the buyer's
    // choice to fold it away holds for this tab.
    let folded = false;
    try { folded = sessionStorage.getItem("tousu-panel-folded") === "1"; } catch (_) { folded = false; }
    const panel = h("div", { class: folded ? "panel collapsed" : "panel", role: "region", "aria-label": "投诉助手" },
      h("div", { class: "head", onclick: () => {
        const now = panel.classList.toggle("collapsed");
        try { sessionStorage.setItem("tousu-panel-folded", now ? "1" : "0"); } catch (_) { /* page forbids storage */ }
      } },
        h("h2", {}, M("panelTitle", "投诉助手 · 本页订单"), " (", count, ")"),
        h("button", { "aria-label": "展开/收起", "data-tousu-action": "toggle-panel" }, "▾")),
      h("div", { class: "body" }, notices, list, caseBox));
    root.append(panel);
    (document.body || document.documentElement).append(host);
    ui.panel = { host, root, panel, list, count, caseBox, notices };
    return ui.panel;
  }
  ui.ensurePanel = ensurePanel;

  ui.setOrders = (orders) => {
    const p = ensurePanel();
    for (const o of orders) ui.orders.set(o.order_id, { ...(ui.orders.get(o.order_id) || {}), ...o });
    p.count.textContent = String(ui.orders.size);
    p.count.setAttribute("data-tousu-count", String(ui.orders.size));
    const have = new Set([...p.list.children].map((li) => li.getAttribute("data-order-id")));
    let markup = "";
    const openLabel = esc(M("btnOpenCase", "投诉助手"));
    for (const o of ui.orders.values()) {
      if (have.has(o.order_id)) continue;
      const first = (o.items && o.items[0]) || {};
      const id = esc(o.order_id);
      markup += `<li data-order-id="${id}"><div class="t"><div>${esc(first.title || o.shop_name || "订单")}</div>` +
        `<div class="muted">${o.platform === "tmall" ? "天猫" : "淘宝"} · ${id}${o.status_text ? " · " + esc(o.status_text) : ""}</div></div>` +
        `<button class="btn" data-tousu-action="open-case" data-order-id="${id}">${openLabel}</button></li>`;
    }
    if (markup) p.list.insertAdjacentHTML("beforeend", markup);
  };

  function setState(orderId, state, detail) {
    ui.states.set(orderId, state);
    const p = ensurePanel();
    const li = p.list.querySelector(`li[data-order-id="${orderId}"]`);
    if (li) li.setAttribute("data-tousu-state", state);
    const badge = p.caseBox.querySelector(`.case[data-order-id="${orderId}"] .state`);
    if (badge) {
      badge.setAttribute("data-tousu-state", state);
      badge.textContent = STATE_TEXT[state] + (detail ? `：${detail}` : "");
    }
  }

  ui.notice = (text) => {
    const p = ensurePanel();
    p.panel.classList.remove("collapsed");
    let n = p.caseBox.querySelector("[data-tousu-notice]");
    if (!n) { n = h("div", { class: "muted", "data-tousu-notice": "" }); p.caseBox.prepend(n); }
    n.textContent = text;
  };

  // the toolbar snapshot's outcome, shown in the open case
  ui.snapshotResult = (r, screenshot) => {
    const p = ensurePanel();
    const msg = p.caseBox.querySelector("[data-tousu-capture-status]");
    const text = r.ok ? `本页快照已保存${screenshot ? "（含截图）" : ""}` : r.queued ? "本页快照已暂存，助手连接后发送" : `本页快照失败：${r.error && r.error.message}`;
    if (msg) { msg.textContent = text; msg.setAttribute("data-tousu-state", r.ok ? "saved" : r.queued ? "queued" : "error"); } else ui.notice(text);
  };

  // ---- case panel ----
  ui.openCase = async (orderId) => {
    const p = ensurePanel();
    p.panel.classList.remove("collapsed");
    const order = ui.orders.get(orderId);
    if (!order) return;
    const first = (order.items && order.items[0]) || {};
    const box = h("div", { class: "case", "data-order-id": orderId, "data-tousu-case": "" },
      h("h3", {}, first.title || order.shop_name || orderId),
      h("div", { class: "muted" }, `订单号 ${orderId}${order.shop_name ? " · " + order.shop_name : ""}`),
      h("div", {}, h("span", { class: "state", "data-tousu-state": "saving" }, STATE_TEXT.saving)),
      h("div", { "data-tousu-case-body": "" }));
    p.caseBox.replaceChildren(box);
    ui.open = orderId;
    setState(orderId, "saving");
    const { _snapshot, ...clean } = order; // eslint-disable-line no-unused-vars
    const r = await Tousu.send("saveOrder", { order: clean });
    if (r.ok) {
      setState(orderId, "saved");
      renderCase(box, r.data.case, order);
    } else if (r.queued) {
      setState(orderId, "queued", r.status ? r.error && r.error.message : null);
      waitForQueue(box, orderId, order);
    } else {
      setState(orderId, "error", r.error && r.error.message);
    }
  };

  function waitForQueue(box, orderId, order) {
    const timer = setInterval(async () => {
      if (!box.isConnected) { clearInterval(timer); return; }
      await Tousu.send("queueFlush", {});
      const s = await Tousu.send("queueStatus", { order_id: orderId });
      if ((s.pending || []).some((x) => x.kind === "order")) return;
      const done = (s.done || []).filter((d) => d.kind === "order");
      const last = done[done.length - 1];
      if (!last) return;
      clearInterval(timer);
      if (last.ok) {
        setState(orderId, "saved");
        renderCase(box, last.data.case, order);
      } else {
        setState(orderId, "error", last.error && last.error.message);
      }
    }, 2000);
  }

  let catalogPromise = null;
  const catalog = () => (catalogPromise = catalogPromise || Tousu.send("catalog", {}).then((r) => (r.ok ? r.data : null)));

  async function renderCase(box, kase, order) {
    const body = box.querySelector("[data-tousu-case-body]");
    const cat = await catalog();
    const ctx = { kase, order, cat, evidence: [] };
    const evidenceList = h("ul", { class: "plain", "data-tousu-evidence": "" });
    const checklist = h("ul", { class: "plain", "data-tousu-checklist": "" });
    const deadlines = h("ul", { class: "plain", "data-tousu-deadlines": "" });
    const captureMsg = h("div", { class: "muted", "data-tousu-capture-status": "" });
    const types = cat ? cat.types.map((t) => [t.id, t.label]) : TYPES;
    const demands = cat ? cat.demands.map((d) => [d.id, d.label]) : DEMANDS;
    const typeSel = h("select", { "data-tousu-field": "complaint-type", "aria-label": "投诉类型" }, types.map(([v, t]) => h("option", { value: v }, t)));
    const demandSel = h("select", { "data-tousu-field": "demand", "aria-label": "诉求" }, demands.map(([v, t]) => h("option", { value: v }, t)));
    const amount = h("input", { "data-tousu-field": "amount", type: "text", inputmode: "decimal", size: "8", placeholder: "金额（元）", "aria-label": "金额（元）" });
    const notes = h("textarea", { "data-tousu-field": "notes", rows: "4", style: "width:100%", placeholder: M("notesPlaceholder", "用自己的话写下经过：什么时候、发生了什么（客观描述）"), "aria-label": "经过" });
    const draftBox = h("div", { "data-tousu-draft-box": "" });
    ctx.checklist = checklist;
    ctx.typeSel = typeSel;
    const snapUrl = ((order.items || []).find((i) => i.snapshot_url) || {}).snapshot_url || order._snapshot;
    const refreshChecklist = () => showChecklist(ctx);
    typeSel.addEventListener("change", refreshChecklist);
    body.replaceChildren(
      h("section", {}, h("div", {}, M("caseStatus", "案件状态"), "：", h("b", { "data-tousu-case-status": kase.status }, STATUS[kase.status] || kase.status), " · ",
        h("a", { href: "#", "data-tousu-action": "open-review", onclick: (e) => { e.preventDefault(); openReview(kase); } }, M("linkReview", "在助手中查看")))),
      h("section", {}, h("h3", {}, M("secDeadlines", "时限")), deadlines),
      h("section", {}, h("h3", {}, M("secEvidence", "证据")), checklist, evidenceList,
        h("div", { class: "row" },
          h("button", { class: "btn", "data-tousu-action": "capture-tab", onclick: () => captureTab(ctx, captureMsg, evidenceList) }, M("btnCaptureTab", "保存本页快照")),
          snapUrl ? h("button", { class: "btn", "data-tousu-action": "capture-snapshot", onclick: () => captureUrl(ctx, snapUrl, captureMsg, evidenceList) }, M("btnCaptureSnapshot", "保存交易快照")) : null),
        captureMsg),
      h("section", {}, h("h3", {}, M("secDraft", "诉求与草稿")),
        h("div", { class: "row" }, typeSel, demandSel, amount), notes,
        h("div", { class: "row" }, h("button", { class: "btn primary", "data-tousu-action": "draft",
          onclick: () => makeDraft(ctx, { type: typeSel.value, demand: demandSel.value, amount: amount.value, notes: notes.value }, draftBox, deadlines) }, M("btnDraft", "生成草稿"))),
        draftBox));
    refreshEvidence(ctx, evidenceList);
    loadDeadlines(kase, deadlines);
  }

  async function openReview(kase) {
    const r = await Tousu.send("openReview", { case_id: kase.id });
    if (!r.ok) ui.notice(`打不开助手：${r.error.message}`);
  }

  function showChecklist(ctx, items) {
    const have = {};
    for (const e of ctx.evidence) have[e.category] = (have[e.category] || 0) + 1;
    let need = items;
    if (!need) {
      const t = ctx.cat && ctx.cat.types.find((x) => x.id === ctx.typeSel.value);
      need = t ? t.evidence.map((e) => ({ category: e.category, label: e.label, required: e.required, why: e.why }))
        : ["order_page", "listing_snapshot", "product_photo", "chat_log", "logistics"].map((c) => ({ category: c, label: CATEGORY[c], required: false }));
    }
    // what the case already holds beyond the type's list still counts
    const listed = new Set(need.map((c) => c.category));
    need = [...need, ...Object.keys(have).filter((c) => !listed.has(c)).map((c) => ({ category: c, label: CATEGORY[c] || c, required: false }))];
    ctx.checklist.replaceChildren(...need.map((c) => {
      const n = have[c.category] || 0;
      return h("li", { class: n ? "ok" : c.required ? "missing" : "muted", "data-category": c.category, "data-present": String(n), title: c.why || "" },
        `${n ? "✓" : (c.required ? "✗" : "○")} ${c.label || CATEGORY[c.category]}${c.required ? "（必需）" : ""}${n ? ` ×${n}` : ""}`);
    }));
  }

  async function refreshEvidence(ctx, list) {
    const r = await Tousu.send("evidence", { case_id: ctx.kase.id });
    if (!r.ok) { list.replaceChildren(h("li", { class: "muted" }, r.error.message)); return; }
    ctx.evidence = r.data.evidence || [];
    list.replaceChildren(...ctx.evidence.map((e) => h("li", { "data-evidence-id": e.id, "data-kind": e.kind, "data-status": e.status },
      `${CATEGORY[e.category] || e.category} · ${e.title}${e.status !== "complete" ? `（${e.status === "pending" ? "处理中" : "部分"}）` : ""}`)));
    if (!ctx.evidence.length) list.append(h("li", { class: "muted" }, M("noEvidence", "还没有证据")));
    showChecklist(ctx, ctx.lastChecklist);
  }

  async function pollJob(jobId, msg) {
    for (let i = 0; i < 120; i++) {
      const j = await Tousu.send("job", { job_id: jobId });
      if (!j.ok) return j;
      if (["acknowledged", "done", "failed"].includes(j.data.state)) return j;
      msg.textContent = `正在保存…（${j.data.stage || j.data.state}）`;
      await new Promise((r) => setTimeout(r, 500));
    }
    return { ok: false, error: { message: "等待超时" } };
  }

  async function afterCapture(r, ctx, msg, list, what) {
    if (r.queued) { msg.textContent = `${what}已暂存在浏览器里，助手连接后发送`; msg.setAttribute("data-tousu-state", "queued"); return; }
    if (!r.ok) {
      msg.textContent = `${what}失败：${r.error.message}`;
      msg.setAttribute("data-tousu-state", "error");
      return;
    }
    let job = r.data;
    if (job && job.id && !["acknowledged", "done", "failed"].includes(job.state)) {
      const j = await pollJob(job.id, msg);
      if (!j.ok) { msg.textContent = `${what}失败：${j.error.message}`; msg.setAttribute("data-tousu-state", "error"); return; }
      job = j.data;
    }
    if (job && job.state === "failed") {
      msg.textContent = `${what}失败：${(job.error && job.error.message) || ""}`;
      msg.setAttribute("data-tousu-state", "error");
      return;
    }
    msg.textContent = `${what}已保存${job && job.evidence_id ? `（${job.evidence_id}）` : ""}`;
    msg.setAttribute("data-tousu-state", "saved");
    if (job && job.evidence_id) msg.setAttribute("data-evidence-id", job.evidence_id);
    refreshEvidence(ctx, list);
  }

  async function captureTab(ctx, msg, list) {
    msg.textContent = "正在保存本页…";
    msg.setAttribute("data-tousu-state", "saving");
    const snapshot = { url: location.href, title: document.title, html: Tousu.snapshotHtml(),
      viewport_width: Math.min(4000, Math.max(200, innerWidth)), viewport_height: Math.min(4000, Math.max(200, innerHeight)) };
    const r = await Tousu.send("captureTab", { order_id: ctx.order.order_id, snapshot, category: "order_page" });
    afterCapture(r, ctx, msg, list, "本页快照");
  }

  async function captureUrl(ctx, url, msg, list) {
    msg.textContent = "正在保存交易快照…";
    msg.setAttribute("data-tousu-state", "saving");
    const r = await Tousu.send("captureUrl", { case_id: ctx.kase.id, url, category: "listing_snapshot", title: "交易快照" });
    afterCapture(r, ctx, msg, list, "交易快照");
  }

  async function loadDeadlines(kase, list) {
    const r = await Tousu.send("deadlines", { case_id: kase.id });
    if (!r.ok) { list.replaceChildren(h("li", { class: "muted" }, r.error.message)); return; }
    showDeadlines(r.data.deadlines, list, r.data.warnings);
  }

  function showDeadlines(items, list, warnings) {
    if (!Array.isArray(items)) return;
    list.replaceChildren(...items.map((d) => h("li", { "data-deadline": d.key, "data-state": d.state, class: d.state === "passed" ? "muted" : d.state === "due_soon" ? "missing" : "", title: `${d.basis}${d.note ? "；" + d.note : ""}` },
      `${d.label}：${d.last_day}（${d.days_left >= 0 ? `还剩 ${d.days_left} 天` : "已过"}）${d.confirmed ? "" : " *平台惯例，未经确认"}`)));
    for (const w of warnings || []) list.append(h("li", { class: "muted" }, w.message));
    if (!items.length && !(warnings || []).length) list.append(h("li", { class: "muted" }, "暂无"));
  }

  // Lint spans are Python code-point offsets; slice by code points, not UTF-16 units.
  function highlight(text, findings, attrs) {
    const cps = Array.from(text);
    const box = h("div", { class: "draft", ...attrs });
    const sorted = [...(findings || [])].filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end)).sort((a, b) => a.start - b.start);
    let at = 0;
    for (const f of sorted) {
      if (f.start < at) continue;
      box.append(cps.slice(at, f.start).join(""));
      box.append(h("mark", { "data-tousu-finding": f.category || "", "data-severity": f.severity || "", title: f.suggestion || "" }, cps.slice(f.start, f.end).join("")));
      at = f.end;
    }
    box.append(cps.slice(at).join(""));
    return box;
  }

  async function makeDraft(ctx, input, box, deadlines) {
    box.replaceChildren(h("div", { class: "muted" }, "正在生成草稿…"));
    box.removeAttribute("data-tousu-state");
    const demand = { kind: input.demand };
    const amt = TousuSites.fields.money(input.amount);
    if (amt && ["refund_only", "return_refund", "compensation"].includes(input.demand)) demand.amount = amt;
    const request = { complaint_type: input.type, demand };
    if (input.notes && input.notes.trim()) request.notes = input.notes.trim();
    const r = await Tousu.send("draft", { case_id: ctx.kase.id, request });
    if (!r.ok) {
      const reasons = (r.error.details || []).map((d) => d.message).filter(Boolean);
      box.replaceChildren(h("div", { class: "missing", "data-tousu-state": "error" }, `草稿失败：${r.error.message}`),
        reasons.length ? h("ul", { class: "plain" }, reasons.map((x) => h("li", {}, x))) : null);
      box.setAttribute("data-tousu-state", "error");
      return;
    }
    const d = r.data;
    const textLint = await Tousu.send("lint", { text: d.text });
    const findings = textLint.ok ? textLint.data.findings : [];
    const own = (d.findings || []).filter((f) => f.source === "notes");
    const warnings = [
      ...(d.warnings || []).map((w) => w.message),
      ...((d.demand_check && d.demand_check.reasons) || []).filter((x) => x.level !== "info").map((x) => x.message),
      ...(d.findings || []).map((f) => `「${f.text}」：${f.suggestion}`),
      ...findings.map((f) => `「${f.text}」：${f.suggestion}`),
    ].filter(Boolean);
    box.replaceChildren(
      h("div", { class: "muted" }, `${d.title} · 第 ${d.version} 版 · 表单版 ${Array.from(d.form_text).length}/${d.form_limit} 字`),
      highlight(d.text, findings, { "data-tousu-draft": "" }),
      own.length ? h("div", {}, h("div", { class: "muted" }, "你写的经过里需要改的措辞："), highlight(input.notes.trim(), own, { "data-tousu-notes-lint": "" })) : null,
      warnings.length ? h("ul", { class: "plain", "data-tousu-warnings": String(warnings.length) }, warnings.map((w) => h("li", { class: "missing" }, w)))
        : h("div", { class: "ok", "data-tousu-warnings": "0" }, "没有发现问题"),
      d.basis && d.basis.length ? h("div", { class: "muted" }, "依据：" + d.basis.map((b) => b.title).join("；")) : null,
      h("div", { class: "muted" }, M("draftHint", "在退款/投诉页面点「填入投诉内容」即可自动填写（不会替你提交）。")));
    box.setAttribute("data-tousu-state", "drafted");
    if (d.deadlines) showDeadlines(d.deadlines, deadlines);
    if (Array.isArray(d.checklist)) { ctx.lastChecklist = d.checklist; showChecklist(ctx, d.checklist); }
  }
})();
