// Order pages: the translators that cover this URL (sites/*.js) read what the page already
// has — the data it embeds, the responses it receives (via the MAIN-world hook) and its
// rows. Where the page shows order rows, the panel lists exactly those rows, in page
// order, each read from its DOM and enriched with what the page's data holds for the same
// id; data for orders not on screen belongs to another page and is not listed. Pages
// without rows (detail pages, unknown row layouts) list what the data holds. Once the page
// is quiet, what it shows is checked against what was read (content/page_report.js).
/* global Tousu, TousuSites */
(() => {
  if (window.__tousuOrders) return;
  window.__tousuOrders = true;
  const translators = TousuSites.forUrl(location.href, ["list", "detail"]);
  if (!translators.length) return;
  const F = TousuSites.fields;
  const page = { url: location.href, translated: false };
  const list = translators.some((t) => t.kind === "list");
  const responses = []; // raw texts, for a bug-report sample
  const data = new Map(); // order id → what the page's data (blob, responses, detail DOM) says
  let rows = 0;

  const addData = (orders) => {
    for (const o of orders) data.set(o.order_id, F.enrich(data.get(o.order_id), o));
    if (orders.length) schedule();
  };

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
    let parsed;
    try { parsed = Tousu.parseResponseText(text); } catch (err) { console.warn("[投诉助手] unreadable response", url, err); return; }
    for (const t of readers) addData(t.fromResponse(parsed, page));
  }

  // The page's own data, and its DOM where a translator reads the page itself.
  let anchors = [];
  function readPage() {
    for (const t of translators) {
      let found = [];
      for (const b of t.blobs) {
        const blob = Tousu.extractBlob(document, b.marker, b.kind);
        if (blob && t.fromBlob) found = found.concat(t.fromBlob(blob, page));
      }
      if (!found.length && t.fromDom) found = t.fromDom(document, page);
      addData(found);
      const anchor = found.length && t.anchor && t.anchor(document);
      if (anchor) anchors.push([anchor, found[0].order_id]);
    }
  }

  // The rows on screen, in page order (two generations may share a URL).
  function pageRows() {
    const found = [];
    for (const t of translators) {
      if (!t.rows) continue;
      for (const row of document.querySelectorAll(t.rows.selector)) {
        const id = t.rows.orderId(row);
        if (id) found.push({ t, row, id });
      }
    }
    return found.sort((a, b) => (a.row.compareDocumentPosition(b.row) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }

  // One order as the page shows it now: its row enriched by the data (a click may come
  // before the panel has redrawn for data that just arrived).
  function current(id) {
    const found = pageRows().find((r) => r.id === id);
    if (!found) return data.get(id) || null;
    return F.enrich(found.t.fromRow ? found.t.fromRow(found.row, page) : null, data.get(id));
  }
  Tousu.ui.current = current;

  // What the panel lists: the rows (each as its DOM shows it, enriched by the data), or,
  // on a page without rows, the data.
  function compose() {
    page.translated = F.machineTranslated(document);
    const found = pageRows();
    rows = found.length;
    const shown = [];
    const seen = new Set();
    for (const { t, row, id } of found) {
      if (seen.has(id)) continue;
      seen.add(id);
      const fromDom = t.fromRow ? t.fromRow(row, page) : null;
      shown.push(F.enrich(fromDom, data.get(id)) || { order_id: id, items: [] });
      Tousu.ui.rowButton(t.rows.anchor(row), id);
    }
    for (const [anchor, id] of anchors) Tousu.ui.rowButton(anchor, id);
    const orders = found.length ? shown : [...data.values()];
    if (orders.length || Tousu.ui.panel) Tousu.ui.showOrders(orders, { translated: page.translated });
  }

  let detailFound = false;
  let timer = null;
  function schedule() {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!list && !detailFound) { anchors = []; readPage(); detailFound = data.size > 0; }
      compose();
      settle();
    }, 150);
  }

  // The report waits for the page to be quiet (an SPA renders late); it is redrawn when
  // the page changes again.
  let quiet = null;
  function settle() {
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      const known = new Map([...data, ...Tousu.ui.orders]);
      const report = Tousu.pageReport.judge({ orders: known, shown: Tousu.pageReport.shownOrderIds(document), rows, list });
      Tousu.pageReport.show(report, () => Tousu.sample.build({ report, translators, responses }));
    }, 1000);
  }

  readPage();
  detailFound = data.size > 0;
  window.postMessage({ __tousu: "tousu-helper:replay" }, location.origin);
  compose();
  // A page opened is a chance to send what waits (the queue keeps its own pauses).
  Tousu.send("queueFlush", {}).then(() => Tousu.queuePanel.render());
  settle();
  // Rows added or removed (paging, an SPA render, Chrome translating the page in place).
  const ours = (n) => n.nodeType === 1 && n.hasAttribute && n.hasAttribute("data-tousu-host");
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of [...r.addedNodes, ...r.removedNodes]) {
        if (!ours(n) && !(r.target.closest && r.target.closest("[data-tousu-host]"))) { schedule(); return; }
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
        const text = Tousu.msg("toolbarNoCase");
        reply({ ok: false, error: text });
        Tousu.ui.notice(text);
        return false;
      }
      reply({ ok: true, order_id: orderId, category: "order_page", snapshot: Tousu.tabSnapshot() });
      return false;
    }
    if (msg && msg.type === "snapshot.result") Tousu.ui.snapshotResult(msg.result, msg.screenshot);
    return false;
  });
})();
