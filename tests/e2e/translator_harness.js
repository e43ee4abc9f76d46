// Runs one translator (extension/sites/*.js) on the recorded page it was loaded into,
// the way content/orders.js and content/prefill.js do, and reports what it read:
// test_translators.py injects the registry, the field helpers, the translator and this
// file into the page, then compares the result with the translator's own `tests`.
/* global Tousu, TousuSites */
globalThis.TousuHarness = {
  cases(id) {
    return TousuSites.get(id).tests;
  },

  // responses: [{url, text}] — the recorded responses the case names. `only: "rows"` reads
  // every row from its DOM alone (what a row shows when the page's data does not cover it).
  orders(id, testCase, responses) {
    const t = TousuSites.get(id);
    const page = { url: location.href, translated: TousuSites.fields.machineTranslated(document) };
    const out = new Map();
    const add = (orders) => { for (const o of orders) out.set(o.order_id, { ...(out.get(o.order_id) || {}), ...o }); };
    if (testCase.only === "rows") {
      const rows = [...document.querySelectorAll(t.rows.selector)].map((row) => t.fromRow(row, page)).filter(Boolean);
      return { detected: t.detect(document, page), rows: rows.length, orders: rows, translated: page.translated };
    }
    if (testCase.only !== "responses") {
      for (const b of t.blobs) {
        const blob = Tousu.extractBlob(document, b.marker, b.kind);
        if (blob) add(t.fromBlob(blob, page));
      }
      if (t.fromDom) add(t.fromDom(document, page));
    }
    for (const r of responses) {
      if (t.responses.some((re) => re.test(r.url))) add(t.fromResponse(Tousu.parseResponseText(r.text), page));
    }
    let rows = 0;
    if (t.rows && testCase.only !== "responses") {
      for (const row of document.querySelectorAll(t.rows.selector)) {
        const orderId = t.rows.orderId(row);
        if (!orderId) continue;
        rows++;
        if (!out.has(orderId)) { const o = t.fromRow(row, page); if (o) add([o]); }
      }
    }
    return { detected: t.detect(document, page), rows, orders: [...out.values()] };
  },

  // The sub-order a snapshot page shows.
  snapshot(id) {
    const t = TousuSites.get(id);
    return { detected: t.detect(document), subOrder: t.subOrder(location.href) };
  },

  // What a form translator's labels find: slot → the kind of control found.
  fields(id) {
    const t = TousuSites.get(id);
    const found = {};
    let maxLength = 0;
    for (const [slot, names] of Object.entries(t.labels)) {
      const loc = Tousu.formFields.locate(names);
      if (!loc) continue;
      found[slot] = Tousu.formFields.kindOf(loc.control);
      if (slot === "description") maxLength = Tousu.formFields.limitOf(loc.control);
    }
    return { detected: t.detect(document, { url: location.href }), found, maxLength };
  },
};
