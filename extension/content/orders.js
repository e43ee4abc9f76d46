// Order pages: the translators that cover this URL (sites/*.js) read what the page already
// has — the data it embeds, the responses it receives (via the MAIN-world hook) and its
// rows — and every order found gets a 投诉助手 button on its row and a line in the page
// panel. Once the page is quiet, what it shows is checked against what was read, and the
// panel says so when orders were missed (content/page_report.js).
/* global Tousu, TousuSites */
(() => {
  if (window.__tousuOrders) return;
  window.__tousuOrders = true;
  const translators = TousuSites.forUrl(location.href, ["list", "detail"]);
  if (!translators.length) return;
  const page = { url: location.href };
  const list = translators.some((t) => t.kind === "list");
  const responses = []; // raw texts, for a bug-report sample
  let rows = 0;

  const add = (orders) => { if (orders.length) { Tousu.ui.setOrders(orders); schedule(); } };

  window.addEventListener("message", (event) => {
    const d = event.data;
    if (event.source !== window || !d || d.__tousu !== "tousu-helper:response" || typeof d.text !== "string") return;
    handleResponse(d.url, d.text);
  });

  const seenResponses = new Set();
  function handleResponse(url, text) {
    const readers = translators.filter((t) => t.fromResponse && t.responses.some((re) => re.test(url)));
    const key = url + "#" + text.length + "#" + text.slice(0, 64);
    if (!readers.length || seenResponses.has(key)) return;
    seenResponses.add(key);
    if (responses.length < 10) responses.push({ url, text });
    let data;
    try { data = Tousu.parseResponseText(text); } catch (err) { console.warn("[投诉助手] unreadable response", url, err); return; }
    for (const t of readers) add(t.fromResponse(data, page));
  }

  // The page's own data, and its DOM where a translator reads the page itself.
  function readPage() {
    for (const t of translators) {
      let found = [];
      for (const b of t.blobs) {
        const blob = Tousu.extractBlob(document, b.marker, b.kind);
        if (blob && t.fromBlob) found = found.concat(t.fromBlob(blob, page));
      }
      if (!found.length && t.fromDom) found = t.fromDom(document, page);
      add(found);
      const anchor = found.length && t.anchor && t.anchor(document);
      if (anchor) Tousu.ui.rowButton(anchor, found[0].order_id);
    }
  }

  // Row buttons where rows can be matched; a row no data covered is read from its DOM.
  function scanRows() {
    let matched = 0;
    const fallback = [];
    for (const t of translators) {
      if (!t.rows) continue;
      for (const row of document.querySelectorAll(t.rows.selector)) {
        const id = t.rows.orderId(row);
        if (!id) continue;
        matched++;
        if (!Tousu.ui.orders.has(id) && t.fromRow) {
          const o = t.fromRow(row, page);
          if (o) fallback.push(o);
        }
        Tousu.ui.rowButton(t.rows.anchor(row), id);
      }
    }
    if (fallback.length) Tousu.ui.setOrders(fallback);
    rows = matched;
  }

  let detailFound = false;
  let timer = null;
  function schedule() {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!list && !detailFound) { readPage(); detailFound = Tousu.ui.orders.size > 0; }
      scanRows();
      settle();
    }, 150);
  }

  // The report waits for the page to be quiet (an SPA renders late); it is redrawn when
  // the page changes again.
  let quiet = null;
  function settle() {
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      const report = Tousu.pageReport.judge({ orders: Tousu.ui.orders, shown: Tousu.pageReport.shownOrderIds(document), rows, list });
      Tousu.pageReport.show(report, () => Tousu.sample.build({ report, translators, responses }));
    }, 1000);
  }

  readPage();
  detailFound = Tousu.ui.orders.size > 0;
  window.postMessage({ __tousu: "tousu-helper:replay" }, location.origin);
  scanRows();
  // A page opened is a chance to send what waits (the queue keeps its own pauses).
  Tousu.send("queueFlush", {}).then(() => Tousu.queuePanel.render());
  settle();
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType === 1 && !(n.hasAttribute && n.hasAttribute("data-tousu-host"))) { schedule(); return; }
      }
    }
  }).observe(document.body, { childList: true, subtree: true });

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
})();
