// In-page UI, each piece in its own open shadow root (page CSS cannot reach in; tests
// and assistive tools can): a 投诉助手 button per recognised row, and the page panel
// "本页订单 (N)" that lists every order found and hosts the case panel.
/* global Tousu */
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
  const STATE_TEXT = { saving: "正在保存…", saved: "已保存到助手", queued: "助手未连接，已暂存，连接后自动发送", error: "保存失败" };

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
    ul.orders { list-style: none; padding: 0; margin: 0; }
    ul.orders li { display: flex; gap: 8px; align-items: center; padding: 6px 0; border-bottom: 1px solid #f0f0f0; }
    ul.orders li .t { flex: 1; min-width: 0; }
    ul.orders li .t div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .muted { color: #888; font-size: 12px; }
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

  function shadowHost(kind, tag = "div") {
    const host = document.createElement(tag);
    host.setAttribute("data-tousu-host", kind);
    const root = host.attachShadow({ mode: "open" });
    root.append(h("style", { text: CSS }));
    return { host, root };
  }
  Tousu.shadowHost = shadowHost;

  const ui = (Tousu.ui = { orders: new Map(), states: new Map(), open: null, panel: null });

  // ---- row buttons ----
  ui.rowButton = (anchor, orderId) => {
    if (anchor.querySelector(':scope > [data-tousu-host="row"]')) return;
    const { host, root } = shadowHost("row", "span");
    host.style.cssText = "display:inline-block;margin-left:8px;vertical-align:middle;";
    root.append(h("button", {
      class: "btn", "data-tousu-action": "open-case", "data-order-id": orderId, title: "把这笔订单交给投诉助手",
      onclick: (e) => { e.preventDefault(); e.stopPropagation(); ui.openCase(orderId); },
    }, "投诉助手"));
    anchor.append(host);
  };

  // ---- page panel ----
  function ensurePanel() {
    if (ui.panel && ui.panel.host.isConnected) return ui.panel;
    const { host, root } = shadowHost("panel");
    const count = h("span", { "data-tousu-count": "0" }, "0");
    const list = h("ul", { class: "orders", "data-tousu-list": "" });
    const caseBox = h("div", { "data-tousu-case-box": "" });
    const panel = h("div", { class: "panel collapsed", role: "region", "aria-label": "投诉助手" },
      h("div", { class: "head", onclick: () => panel.classList.toggle("collapsed") },
        h("h2", {}, "投诉助手 · 本页订单 (", count, ")"),
        h("button", { "aria-label": "展开/收起", "data-tousu-action": "toggle-panel" }, "▾")),
      h("div", { class: "body" }, list, caseBox));
    root.append(panel);
    (document.body || document.documentElement).append(host);
    ui.panel = { host, root, panel, list, count, caseBox };
    return ui.panel;
  }

  ui.setOrders = (orders) => {
    const p = ensurePanel();
    for (const o of orders) ui.orders.set(o.order_id, { ...(ui.orders.get(o.order_id) || {}), ...o });
    p.count.textContent = String(ui.orders.size);
    p.count.setAttribute("data-tousu-count", String(ui.orders.size));
    const have = new Set([...p.list.children].map((li) => li.getAttribute("data-order-id")));
    for (const o of ui.orders.values()) {
      if (have.has(o.order_id)) continue;
      const first = (o.items && o.items[0]) || {};
      p.list.append(h("li", { "data-order-id": o.order_id },
        h("div", { class: "t" },
          h("div", {}, first.title || o.shop_name || "订单"),
          h("div", { class: "muted" }, `${o.platform === "tmall" ? "天猫" : "淘宝"} · ${o.order_id}${o.status_text ? " · " + o.status_text : ""}`)),
        h("button", { class: "btn", "data-tousu-action": "open-case", "data-order-id": o.order_id, onclick: () => ui.openCase(o.order_id) }, "投诉助手")));
    }
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
    const r = await Tousu.send("order.save", { order: clean });
    if (r.ok) {
      setState(orderId, "saved");
      renderCase(box, r.data.case, order);
    } else if (r.queued) {
      setState(orderId, "queued");
      waitForQueue(box, orderId, order);
    } else {
      setState(orderId, "error", r.error && r.error.message);
    }
  };

  function waitForQueue(box, orderId, order) {
    const timer = setInterval(async () => {
      if (!box.isConnected) { clearInterval(timer); return; }
      await Tousu.send("queue.flush", {});
      const s = await Tousu.send("queue.status", { order_id: orderId });
      const done = (s.done || []).filter((d) => d.kind === "order" && d.ok);
      if (!(s.pending || []).some((x) => x.kind === "order") && done.length) {
        clearInterval(timer);
        setState(orderId, "saved");
        renderCase(box, done[done.length - 1].data.case, order);
      }
    }, 2000);
  }

  const api = (method, path, body, timeout) => Tousu.send("api", { method, path, body, timeout });

  async function renderCase(box, kase, order) {
    const body = box.querySelector("[data-tousu-case-body]");
    const settings = await Tousu.send("settings.get", {});
    const evidenceList = h("ul", { class: "plain", "data-tousu-evidence": "" });
    const checklist = h("ul", { class: "plain", "data-tousu-checklist": "" });
    const deadlines = h("ul", { class: "plain", "data-tousu-deadlines": "" });
    const captureMsg = h("div", { class: "muted", "data-tousu-capture-status": "" });
    const typeSel = h("select", { "data-tousu-field": "complaint-type", "aria-label": "投诉类型" },
      TYPES.map(([v, t]) => h("option", { value: v }, t)));
    const demandSel = h("select", { "data-tousu-field": "demand", "aria-label": "诉求" },
      DEMANDS.map(([v, t]) => h("option", { value: v }, t)));
    const amount = h("input", { "data-tousu-field": "amount", type: "text", inputmode: "decimal", size: "8", placeholder: "金额（元）", "aria-label": "赔偿金额" });
    const draftBox = h("div", { "data-tousu-draft-box": "" });
    const snapUrl = ((order.items || []).find((i) => i.snapshot_url) || {}).snapshot_url || order._snapshot;
    const reviewUrl = `${settings.helperUrl}/ui/#/cases/${encodeURIComponent(kase.id)}`;
    body.replaceChildren(
      h("section", {}, h("div", {}, "案件状态：", h("b", { "data-tousu-case-status": kase.status }, kase.status), " · ",
        h("a", { href: reviewUrl, target: "_blank", rel: "noopener", "data-tousu-action": "open-review" }, "在助手中查看"))),
      h("section", {}, h("h3", {}, "时限"), deadlines),
      h("section", {}, h("h3", {}, "证据"), checklist, evidenceList,
        h("div", { class: "row" },
          h("button", { class: "btn", "data-tousu-action": "capture-tab", onclick: () => captureTab(kase, order, captureMsg, evidenceList, checklist) }, "保存本页快照"),
          snapUrl ? h("button", { class: "btn", "data-tousu-action": "capture-snapshot", onclick: () => captureUrl(kase, snapUrl, captureMsg, evidenceList, checklist) }, "保存交易快照") : null),
        captureMsg),
      h("section", {}, h("h3", {}, "诉求与草稿"),
        h("div", { class: "row" }, typeSel, demandSel, amount,
          h("button", { class: "btn primary", "data-tousu-action": "draft", onclick: () => makeDraft(kase, typeSel.value, demandSel.value, amount.value, draftBox, deadlines, checklist) }, "生成草稿")),
        draftBox));
    refreshEvidence(kase, evidenceList, checklist);
    loadDeadlines(kase, deadlines);
  }

  async function refreshEvidence(kase, list, checklist, required) {
    const r = await api("GET", `/cases/${kase.id}/evidence`);
    if (!r.ok) { list.replaceChildren(h("li", { class: "muted" }, r.error.message)); return; }
    const ev = r.data.evidence || [];
    list.replaceChildren(...ev.map((e) => h("li", { "data-evidence-id": e.id, "data-kind": e.kind, "data-status": e.status },
      `${CATEGORY[e.category] || e.category} · ${e.title}${e.status !== "complete" ? `（${e.status}）` : ""}`)));
    if (!ev.length) list.append(h("li", { class: "muted" }, "还没有证据"));
    const have = new Set(ev.map((e) => e.category));
    const need = required || checklist._required || ["order_page", "listing_snapshot", "product_photo", "chat_log", "logistics"];
    checklist._required = need;
    checklist.replaceChildren(...need.map((c) => {
      const key = typeof c === "string" ? c : c.category;
      const ok = have.has(key);
      return h("li", { class: ok ? "ok" : "missing", "data-category": key, "data-present": ok ? "1" : "0" },
        `${ok ? "✓" : "✗"} ${CATEGORY[key] || (c.label || key)}`);
    }));
  }

  async function pollJob(jobId, msg) {
    for (let i = 0; i < 90; i++) {
      const j = await api("GET", `/jobs/${jobId}`);
      if (!j.ok) return j;
      const st = j.data.status || j.data.state;
      if (["done", "complete", "completed", "succeeded", "failed", "error", "partial"].includes(st)) return j;
      msg.textContent = `正在保存…（${st}）`;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return { ok: false, error: { message: "timed out waiting for the capture" } };
  }

  async function afterCapture(r, kase, msg, list, checklist, what) {
    if (r.queued) { msg.textContent = `${what}已暂存，助手连接后发送`; msg.setAttribute("data-tousu-state", "queued"); return; }
    if (!r.ok) {
      msg.textContent = r.status === 404 || r.status === 405 ? `当前助手版本还不支持${what}（${r.error.message}）` : `${what}失败：${r.error.message}`;
      msg.setAttribute("data-tousu-state", "error");
      return;
    }
    const job = r.data && (r.data.job || (r.data.job_id && { id: r.data.job_id }));
    if (job && job.id && !(r.data.evidence)) {
      const j = await pollJob(job.id, msg);
      if (!j.ok || ["failed", "error"].includes(j.data.status || j.data.state)) {
        msg.textContent = `${what}失败：${(j.error && j.error.message) || (j.data && (j.data.error && j.data.error.message || j.data.error)) || ""}`;
        msg.setAttribute("data-tousu-state", "error");
        return;
      }
    }
    msg.textContent = `${what}已保存`;
    msg.setAttribute("data-tousu-state", "saved");
    refreshEvidence(kase, list, checklist);
  }

  async function captureTab(kase, order, msg, list, checklist) {
    msg.textContent = "正在保存本页…";
    msg.setAttribute("data-tousu-state", "saving");
    const snapshot = { url: location.href, title: document.title, html: Tousu.snapshotHtml() };
    const r = await Tousu.send("capture.tab", { order_id: order.order_id, snapshot });
    afterCapture(r, kase, msg, list, checklist, "本页快照");
  }

  async function captureUrl(kase, url, msg, list, checklist) {
    msg.textContent = "正在保存交易快照…";
    msg.setAttribute("data-tousu-state", "saving");
    const r = await api("POST", `/cases/${kase.id}/captures`, { url, category: "listing_snapshot" }, 60000);
    afterCapture(r, kase, msg, list, checklist, "交易快照");
  }

  async function loadDeadlines(kase, list) {
    const r = await api("GET", `/cases/${kase.id}/deadlines`);
    if (!r.ok) { list.replaceChildren(h("li", { class: "muted" }, r.status === 404 ? "（助手尚未提供时限计算）" : r.error.message)); return; }
    showDeadlines(r.data.deadlines || r.data, list);
  }

  function showDeadlines(items, list) {
    if (!Array.isArray(items)) return;
    list.replaceChildren(...items.map((d) => h("li", { "data-deadline": d.kind || d.id || "" },
      `${d.label || d.title || d.kind}：${(d.due_at || d.due || d.date || "").toString().slice(0, 10)}${d.note ? `（${d.note}）` : ""}${d.basis ? ` · ${d.basis}` : ""}`)));
    if (!items.length) list.append(h("li", { class: "muted" }, "暂无"));
  }

  function highlight(text, findings) {
    const frag = h("div", { class: "draft", "data-tousu-draft": "" });
    const sorted = [...(findings || [])].filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end)).sort((a, b) => a.start - b.start);
    let at = 0;
    for (const f of sorted) {
      if (f.start < at) continue;
      frag.append(text.slice(at, f.start));
      frag.append(h("mark", { "data-tousu-finding": f.category || "", "data-severity": f.severity || "", title: f.suggestion || f.message || f.category || "" }, text.slice(f.start, f.end)));
      at = f.end;
    }
    frag.append(text.slice(at));
    return frag;
  }

  async function makeDraft(kase, type, demandKind, amount, box, deadlines, checklist) {
    box.replaceChildren(h("div", { class: "muted" }, "正在生成草稿…"));
    const demand = { kind: demandKind };
    if (demandKind === "compensation" && Tousu.money(amount)) demand.amount = Tousu.money(amount);
    const r = await api("POST", `/cases/${kase.id}/draft`, { complaint_type: type, demand }, 20000);
    if (!r.ok) {
      box.replaceChildren(h("div", { class: "missing", "data-tousu-state": "error" }, r.status === 404 && /endpoint/.test(r.error.message) ? "当前助手版本还不支持起草（需要更新 tousu-helper）" : `草稿失败：${r.error.message}`));
      return;
    }
    const d = r.data.draft || r.data;
    const text = d.text || d.body || (d.fields && d.fields.description) || "";
    let findings = d.findings || d.lint || (d.lint_findings) || null;
    if (!findings && text) {
      const l = await api("POST", "/lint", { text });
      findings = l.ok ? l.data.findings : [];
    }
    const warnings = [...(d.warnings || []), ...(findings || []).map((f) => f.suggestion ? `「${text.slice(f.start, f.end)}」：${f.suggestion}` : null)].filter(Boolean);
    box.replaceChildren(
      highlight(text, findings),
      warnings.length ? h("ul", { class: "plain", "data-tousu-warnings": String(warnings.length) }, warnings.map((w) => h("li", {}, typeof w === "string" ? w : (w.message || w.text || JSON.stringify(w))))) : h("div", { class: "ok", "data-tousu-warnings": "0" }, "没有发现措辞问题"),
      h("div", { class: "muted" }, "在退款/投诉页面点「填入投诉内容」即可自动填写（不会替你提交）。"));
    box.setAttribute("data-tousu-state", "drafted");
    if (d.deadlines) showDeadlines(d.deadlines, deadlines);
    const req = d.evidence_checklist || d.checklist;
    if (Array.isArray(req)) checklist._required = req.map((c) => (typeof c === "string" ? c : c.category)).filter(Boolean);
  }
})();
