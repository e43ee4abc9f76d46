// Order pages: gather orders from everything the page already has (embedded blob,
// responses it received — via the MAIN-world hook — and the DOM), put a 投诉助手
// button on every recognised row and list every order in the page panel.
/* global Tousu */
(() => {
  if (window.__tousuOrders) return;
  window.__tousuOrders = true;
  const pendingResponses = [];
  let A = null; // adapters.orders
  let page = null;

  window.addEventListener("message", (event) => {
    const d = event.data;
    if (event.source !== window || !d || d.__tousu !== "tousu-helper:response" || typeof d.text !== "string") return;
    if (A) handleResponse(d.url, d.text); else pendingResponses.push(d);
  });

  const seenResponses = new Set();
  function handleResponse(url, text) {
    const key = url + "#" + text.length + "#" + text.slice(0, 64);
    if (seenResponses.has(key)) return;
    seenResponses.add(key);
    let data;
    try { data = Tousu.parseResponseText(text); } catch (err) { console.warn("[投诉助手] unreadable response", url, err); return; }
    let orders = [];
    if (new RegExp(A.hook.legacy_list, "i").test(url)) orders = Tousu.fromLegacyList(data, A);
    else if (new RegExp(A.hook.spa_list, "i").test(url)) orders = Tousu.fromSpaList(data);
    if (orders.length) addOrders(orders);
  }

  function addOrders(orders) {
    Tousu.ui.setOrders(orders);
    schedule();
  }

  // Attach row buttons where rows can be matched (legacy data-id, SPA container id).
  let generation = null; // "legacy" once the blob is found: no SPA rows to look for
  function scanRows() {
    const L = A.legacy_dom;
    for (const row of document.querySelectorAll(L.row)) {
      const id = Tousu.digits(row.getAttribute(L.row_id_attr));
      if (!id) continue;
      if (!Tousu.ui.orders.has(id)) {
        const o = Tousu.fromLegacyRow(row, L);
        if (o) Tousu.ui.setOrders([o]);
      }
      Tousu.ui.rowButton(row.querySelector(L.button_anchor) || row, id);
    }
    if (generation === "legacy") return;
    const S = A.spa_dom;
    const fallback = [];
    for (const row of document.querySelectorAll(S.row)) {
      const id = Tousu.digits(row.id.slice(S.row_id_prefix.length));
      if (!id) continue;
      if (!Tousu.ui.orders.has(id)) {
        const o = Tousu.fromSpaRow(row, S);
        if (o) fallback.push(o);
      }
      Tousu.ui.rowButton(row.querySelector(S.button_anchor) || row, id);
    }
    if (fallback.length) Tousu.ui.setOrders(fallback);
  }

  let timer = null;
  function schedule() {
    if (timer) return;
    timer = setTimeout(() => { timer = null; scanRows(); }, 150);
  }

  async function main() {
    const ad = await Tousu.send("adapters", {});
    if (!ad.ok) { console.warn("[投诉助手] no adapters:", ad.error); return; }
    Tousu.adapters = { orders: ad.orders, forms: ad.forms };
    A = ad.orders;
    page = A.pages.find((p) => new RegExp(p.match).test(location.href));
    if (!page) return;
    if (page.kind === "list") {
      const blob = Tousu.extractBlob(A.blobs.legacy_list.script_marker, A.blobs.legacy_list.kind);
      const orders = blob ? Tousu.fromLegacyList(blob, A) : [];
      if (blob) generation = "legacy";
      Tousu.ui.setOrders(orders);
      for (const d of pendingResponses.splice(0)) handleResponse(d.url, d.text);
      window.postMessage({ __tousu: "tousu-helper:replay" }, location.origin);
      scanRows();
      new MutationObserver((records) => {
        for (const r of records) {
          for (const n of r.addedNodes) {
            if (n.nodeType === 1 && !(n.hasAttribute && n.hasAttribute("data-tousu-host"))) { schedule(); return; }
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    } else {
      const cfg = page.platform === "tmall" ? A.blobs.tmall_detail : A.blobs.taobao_detail;
      const blob = Tousu.extractBlob(cfg.script_marker, cfg.kind);
      const order = (blob && Tousu.fromDetailBlob(blob, page.platform, A)) || Tousu.fromDetailDom(A);
      if (order) {
        Tousu.ui.setOrders([order]);
        const anchor = document.querySelector(A.detail_dom.header) || document.querySelector("h1, h2, .order-info, body");
        if (anchor) Tousu.ui.rowButton(anchor, order.order_id);
      }
    }
  }

  // The toolbar button asks for a snapshot of this tab for the case open in the panel
  // (or the page's only order).
  chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
    if (msg && msg.type === "snapshot.request") {
      const ids = [...Tousu.ui.orders.keys()];
      const orderId = Tousu.ui.open || (ids.length === 1 ? ids[0] : null);
      if (!orderId) {
        reply({ ok: false, error: "先点一笔订单的「投诉助手」，再用工具栏按钮保存快照" });
        Tousu.ui.notice && Tousu.ui.notice("先点一笔订单的「投诉助手」，再用工具栏按钮保存快照");
        return false;
      }
      reply({ ok: true, order_id: orderId, category: "order_page",
        snapshot: { url: location.href, title: document.title, html: Tousu.snapshotHtml(),
          viewport_width: Math.min(4000, Math.max(200, innerWidth)), viewport_height: Math.min(4000, Math.max(200, innerHeight)) } });
      return false;
    }
    if (msg && msg.type === "snapshot.result") Tousu.ui.snapshotResult && Tousu.ui.snapshotResult(msg.result, msg.screenshot);
    return false;
  });

  main().catch((err) => console.warn("[投诉助手]", err));
})();
