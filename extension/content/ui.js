// In-page UI, each piece in its own open shadow root (page CSS cannot reach in; tests
// and assistive tools can): a 投诉助手 button per recognised row, and the page panel
// "本页订单 (N)" that lists the orders on the page and hosts the case panel
// (content/case_panel.js).
/* global Tousu, TousuSites */
(() => {
  const L = Tousu.labels;
  const t = L.t;
  const STATE_TEXT = { saving: t("stateSaving"), saved: t("stateSaved"), queued: t("stateQueued"), error: t("stateError") };

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
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 4px 0; }
    dl.facts dt { color: #888; } dl.facts dd { margin: 0; }
    label.item { display: flex; gap: 6px; align-items: baseline; padding: 2px 0; }
    label.item .t { flex: 1; min-width: 0; }
    .question { list-style: none; margin: 4px 0 4px -18px; border: 1px solid #ffcfb3; background: #fff7f2; border-radius: 4px; padding: 6px; }
    .question .row { margin: 3px 0; }
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
    root.innerHTML += `<button class="btn" data-tousu-action="open-case" data-order-id="${esc(orderId)}" title="${esc(t("btnOpenCaseTitle"))}">${esc(t("btnOpenCase"))}</button>`;
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
    const panel = h("div", { class: folded ? "panel collapsed" : "panel", role: "region", "aria-label": t("extName") },
      h("div", { class: "head", onclick: () => {
        const now = panel.classList.toggle("collapsed");
        try { sessionStorage.setItem("tousu-panel-folded", now ? "1" : "0"); } catch (_) { /* page forbids storage */ }
      } },
        h("h2", {}, t("panelTitle"), " (", count, ")"),
        h("button", { "aria-label": t("panelToggle"), "data-tousu-action": "toggle-panel" }, "▾")),
      h("div", { class: "body" }, notices, list, caseBox));
    root.append(panel);
    (document.body || document.documentElement).append(host);
    ui.panel = { host, root, panel, list, count, caseBox, notices };
    return ui.panel;
  }
  ui.ensurePanel = ensurePanel;

  // The panel's list: exactly the orders given, in their order (orders.js passes the rows on
  // screen, or the page's data where it has no rows). Redrawn only when what it says changes.
  let listed = "";
  ui.showOrders = (orders, { translated = false } = {}) => {
    const p = ensurePanel();
    ui.orders = new Map(orders.map((o) => [o.order_id, o]));
    ui.translated = translated;
    const markup = orders.map((o) => {
      const items = o.items || [];
      const first = items[0] || {};
      const id = esc(o.order_id);
      const state = ui.states.get(o.order_id);
      const more = items.length > 1 ? " " + t("listMoreItems", items.length) : "";
      const facts = [o.platform === "tmall" ? t("platformTmall") : t("platformTaobao"), id,
        o.actual_fee ? `¥${esc(o.actual_fee)}` : "", o.status_text ? esc(o.status_text) : ""].filter(Boolean).join(" · ");
      return `<li data-order-id="${id}"${state ? ` data-tousu-state="${esc(state)}"` : ""} data-items="${items.length}">` +
        `<div class="t"><div>${esc(first.title || o.shop_name || o.seller_nick || t("listOrder"))}${esc(more)}</div>` +
        `<div class="muted">${facts}</div></div>` +
        `<button class="btn" data-tousu-action="open-case" data-order-id="${id}">${esc(t("btnOpenCase"))}</button></li>`;
    }).join("");
    p.count.textContent = String(orders.length);
    p.count.setAttribute("data-tousu-count", String(orders.length));
    if (markup !== listed) { p.list.innerHTML = markup; listed = markup; }
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
    const text = r.ok ? t(screenshot ? "snapshotSavedShot" : "snapshotSaved") : r.queued ? t("captureQueued") : t("captureFailed", L.error(r.error));
    if (msg) { msg.textContent = text; msg.setAttribute("data-tousu-state", r.ok ? "saved" : r.queued ? "queued" : "error"); } else ui.notice(text);
  };

  // While anything waits in the offline queue, ask the service worker to try every few
  // seconds (a helper that does not answer costs nothing to try), so what waits is sent
  // within seconds of the helper coming back; what it answers reaches the page through
  // chrome.storage (the queue panel, a waiting case, a queued snapshot).
  let watching = null;
  ui.watchQueue = () => {
    if (watching) return;
    watching = setInterval(async () => {
      const r = await Tousu.send("queueFlush", {});
      if (!r.ok || !r.pending) { clearInterval(watching); watching = null; }
    }, 2000);
  };

  // A page machine-translated by the browser: the case says so once, in its timeline.
  const TRANSLATION_NOTE = "保存时页面经浏览器机器翻译：标有〔机器翻译〕的商品名称、规格、状态等是译文，不是卖家的原文；订单号、金额、数量、日期不受翻译影响。";
  async function noteTranslation(kase, order) {
    const marked = (v) => typeof v === "string" && v.startsWith(TousuSites.fields.TRANSLATED);
    const translated = [order.status_text, order.shop_name, order.seller_nick, ...(order.items || []).flatMap((i) => [i.title, i.sku])].some(marked);
    if (!translated || kase.timeline.some((e) => e.kind === "note" && e.text === TRANSLATION_NOTE)) return;
    await Tousu.send("noteCase", { case_id: kase.id, note: TRANSLATION_NOTE });
  }

  // ---- case panel ----
  function caseBox(orderId, order) {
    const first = (order.items && order.items[0]) || {};
    const more = (order.items || []).length > 1 ? " " + t("listMoreItems", order.items.length) : "";
    return h("div", { class: "case", "data-order-id": orderId, "data-tousu-case": "" },
      h("h3", {}, (first.title || order.shop_name || orderId) + more),
      h("div", { class: "muted" }, t("caseOrderLine", orderId) + (order.shop_name ? " · " + order.shop_name : "")),
      h("div", {}, h("span", { class: "state", "data-tousu-state": "saving" }, STATE_TEXT.saving)),
      h("div", { "data-tousu-case-body": "" }));
  }

  async function saved(box, orderId, order, kase) {
    setState(orderId, "saved");
    await noteTranslation(kase, order);
    await Tousu.casePanel.render(box, kase);
  }

  ui.openCase = async (orderId) => {
    const p = ensurePanel();
    p.panel.classList.remove("collapsed");
    const order = (ui.current && ui.current(orderId)) || ui.orders.get(orderId);
    if (!order) return;
    const box = caseBox(orderId, order);
    p.caseBox.replaceChildren(box);
    ui.open = orderId;
    setState(orderId, "saving");
    const r = await Tousu.send("saveOrder", { order });
    if (r.ok) await saved(box, orderId, order, r.data.case);
    else if (r.queued) {
      setState(orderId, "queued", r.status ? L.error(r.error) : null);
      whenQueuedOrderSent(box, orderId, order, r.queue_id);
    } else setState(orderId, "error", L.error(r.error));
  };

  // The order waits in the queue: the case panel opens as soon as it is sent.
  function whenQueuedOrderSent(box, orderId, order, queueId) {
    const done = (changes, area) => {
      const result = area === "local" && changes.queueResults && (changes.queueResults.newValue || {})[queueId];
      if (!result) return;
      chrome.storage.onChanged.removeListener(done);
      if (!box.isConnected) return;
      if (result.ok) saved(box, orderId, order, result.data.case);
      else setState(orderId, "error", L.error(result.error));
    };
    chrome.storage.onChanged.addListener(done);
    ui.watchQueue();
  }
})();
