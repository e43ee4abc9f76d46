// Page values → the helper's Order fields, shared by the translators: exact ids, absolute
// URLs, Beijing times, money, item quantities and SKUs, the 交易快照 link, and the
// pseudo-items Taobao lists among the goods. Pure functions (no chrome.*, no page state)
// so the translators stay testable under Node and in a bare page.
globalThis.TousuSites.fields = (() => {
  // An id as an exact string. A JS number beyond 2^53 already lost digits: refuse it.
  const digits = (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? String(v) : null;
    const s = String(v).trim();
    return /^[0-9]{1,24}$/.test(s) ? s : null;
  };

  // Taobao writes protocol-relative links ("//item.taobao.com/…"); http on its own hosts
  // is upgraded, anything that is not http(s) is dropped.
  const absUrl = (u, base) => {
    if (!u || typeof u !== "string") return null;
    if (/^\/\/[\w.-]+\.(taobao|tmall)\.com\/[^\s"'<>\\]*$/.test(u)) return "https:" + u;
    if (/^https:\/\/[\w.-]+\/[^\s"'<>\\]*$/.test(u)) return u;
    try {
      const url = new URL(u.trim(), base);
      if (url.protocol === "http:" && /(^|\.)(taobao|tmall)\.com$/.test(url.hostname)) url.protocol = "https:";
      return /^https?:$/.test(url.protocol) ? url.href : null;
    } catch (_) { return null; }
  };

  // The first of `names` (any case) that holds digits, e.g. bizOrderId / biz_order_id.
  const urlParam = (u, names, base) => {
    if (!u) return null;
    try {
      const url = new URL(u, base || "https://taobao.com/");
      for (const name of names) {
        for (const [k, v] of url.searchParams) if (k.toLowerCase() === name.toLowerCase() && digits(v)) return v;
      }
    } catch (_) { /* not a URL */ }
    return null;
  };

  // "2025-11-08 03:44:47" (Beijing) → "2025-11-08T03:44:47+08:00"; epoch ms too.
  const chinaTime = (v) => {
    if (!v) return null;
    if (typeof v === "number" || /^\d{12,13}$/.test(String(v))) {
      const d = new Date(Number(v) + 8 * 3600e3);
      return d.toISOString().slice(0, 19) + "+08:00";
    }
    const m = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(String(v));
    if (!m) return null;
    const p = (x) => String(x || 0).padStart(2, "0");
    return `${m[1]}-${p(m[2])}-${p(m[3])}T${p(m[4])}:${p(m[5])}:${p(m[6])}+08:00`;
  };

  // "￥194.28", "194.28元", 47.4 → "194.28"
  const money = (v) => {
    if (v === null || v === undefined) return null;
    const m = /(\d{1,9})(\.\d{1,2})?/.exec(String(v).replace(/[,，\s]/g, ""));
    return m ? m[1] + (m[2] || "") : null;
  };

  const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
  const str = (v, max = 500) => (v === null || v === undefined ? null : String(v).replace(/\s+/g, " ").trim().slice(0, max) || null);
  const stripHtml = (v) => (v === null || v === undefined ? v : String(v).replace(/<[^>]*>/g, " "));

  // Drop empty fields: the helper merges what a page knows into the case, and an empty
  // value must not erase what another page said.
  const clean = (o) => {
    for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined || o[k] === "") delete o[k];
    return o;
  };

  // "6", {count: "6"}, 6 → 6
  const quantity = (q) => {
    const v = q && typeof q === "object" ? (q.count ?? q.num ?? q.value) : q;
    const n = parseInt(String(v ?? "1").replace(/[^\d]/g, ""), 10);
    return Number.isFinite(n) && n >= 1 ? n : 1;
  };

  // SKU text in every shape Taobao uses: a string; [{name, value}] (list); detail lines
  // [{content: [{value: {name, value}}]}]; Tmall [{key, content: [{text}]}].
  const skuText = (sku) => {
    if (!sku) return null;
    if (typeof sku === "string") return str(sku);
    if (!Array.isArray(sku)) return null;
    const parts = [];
    const add = (name, value) => {
      const n = String(name || "").replace(/[:：\s]+$/, "");
      const v = value && typeof value === "object" ? (value.text ?? value.value) : value;
      if (v !== undefined && v !== null && String(v).trim()) parts.push(n ? `${n}：${String(v).trim()}` : String(v).trim());
    };
    for (const s of sku) {
      if (typeof s === "string") parts.push(s);
      else if (s && Array.isArray(s.content) && s.key !== undefined) add(s.key, s.content.map((c) => c && (c.text ?? c.value)).filter(Boolean).join(" "));
      else if (s && Array.isArray(s.content)) for (const c of s.content) { if (c && c.value && typeof c.value === "object") add(c.value.name, c.value.value); }
      else if (s) add(s.name, s.value);
    }
    return str(parts.join("；"));
  };

  // 保险服务, 运费险 … are listed like goods but have no item behind them.
  const PSEUDO_ITEMS = ["保险服务", "增值服务", "买家秀", "购物金", "运费险", "退货宝"];
  const isPseudoItem = (title) => PSEUDO_ITEMS.some((p) => String(title || "").includes(p));

  // The 交易快照 of a sub-order is spelled three ways (list: buyertrade …?tradeID=…
  // &snapShot=true, Taobao detail: trade.taobao.com …?trade_id=, Tmall: under itemUrl).
  // One spelling keeps a case's snapshot link stable whichever page sent it.
  const SNAP = /\/trade\/detail\/tradeSnap\.htm/i;
  const snapshotId = (u) => (u && SNAP.test(u) ? urlParam(u, ["tradeID", "trade_id", "bizOrderId"]) : null);
  const snapshotUrl = (sub) => (sub ? `https://buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID=${sub}` : null);
  // Whichever of a record's string values is the 交易快照 link.
  const findSnapshotLink = (obj) => {
    for (const v of Object.values(obj || {})) if (typeof v === "string" && snapshotId(v)) return v;
    return null;
  };

  // Label/value pairs anywhere in a detail blob ({key|name|label, content|value|text}),
  // so a row moving between groups does not lose its value.
  function labelPairs(obj, out = [], depth = 0) {
    if (!obj || typeof obj !== "object" || depth > 12) return out;
    if (Array.isArray(obj)) { for (const x of obj) labelPairs(x, out, depth + 1); return out; }
    const key = obj.key ?? obj.label ?? obj.name ?? obj.title;
    let val = obj.content ?? obj.value ?? obj.text;
    if (typeof key === "string" && val !== undefined && val !== null) {
      if (Array.isArray(val)) val = val.map((v) => (v && typeof v === "object" ? (v.text ?? v.value ?? v.content ?? "") : v)).filter((v) => typeof v !== "object").join(" ");
      if (typeof val === "object") val = val.text ?? val.value ?? "";
      out.push([key.replace(/[:：\s]/g, ""), String(val).trim()]);
    }
    for (const v of Object.values(obj)) if (v && typeof v === "object") labelPairs(v, out, depth + 1);
    return out;
  }
  const byLabel = (pairs, names) => {
    for (const [k, v] of pairs) if (v && names.some((n) => k === n)) return v;
    return null;
  };
  function findAll(obj, pred, out = [], depth = 0) {
    if (!obj || typeof obj !== "object" || depth > 14) return out;
    if (pred(obj)) out.push(obj);
    for (const v of Object.values(obj)) if (v && typeof v === "object") findAll(v, pred, out, depth + 1);
    return out;
  }

  // Chrome's built-in translation rewrites the page's text in place (each piece wrapped in
  // <font dir="auto">, the root marked translated-ltr/-rtl); ids, prices, quantities, dates
  // and links survive, words do not. Words read from such a page are marked, so a case
  // never passes a translation off as what the seller wrote.
  const TRANSLATED = "〔机器翻译〕";
  const machineTranslated = (doc) => /\btranslated-(ltr|rtl)\b/.test(doc.documentElement.className || "") ||
    !!doc.querySelector('font[dir="auto"] > font[dir="auto"], font[style*="vertical-align: inherit"]');
  const pageWords = (v, page) => {
    const s = str(v);
    return s && page && page.translated && !s.startsWith(TRANSLATED) ? (TRANSLATED + s).slice(0, 500) : s;
  };

  // The sub-order a row's links name: its 交易快照 (tradeID) or its 退款/售后 link (bizOrderId /
  // tradeId of refund2) — both survive a translation, unlike the words around them.
  const REFUND_LINK = /\/\/refund2\.(taobao|tmall)\.com\//i;
  function subOrderOfLinks(el, base) {
    for (const a of el.querySelectorAll("a[href]")) {
      const href = absUrl(a.getAttribute("href"), base);
      const snap = snapshotId(href);
      if (snap) return snap;
      if (href && REFUND_LINK.test(href)) {
        const id = urlParam(href, ["bizOrderId", "tradeId", "subOrderId"]);
        if (id) return id;
      }
    }
    return null;
  }

  // One order as two sources tell it: `base` (e.g. what a row shows) with `extra` (e.g. what
  // the page's data holds for the same id) laid over it. `extra` wins where it has a value —
  // data carries exact ids and the seller's own words where the row may be a translation —
  // and what only `base` knows is kept; items are matched by sub-order id.
  function enrich(base, extra) {
    if (!base || !extra) return base || extra || null;
    const out = { ...base };
    for (const [k, v] of Object.entries(extra)) {
      if (k === "items" || v === null || v === undefined || v === "") continue;
      out[k] = k === "logistics" ? { ...(base.logistics || {}), ...v } : v;
    }
    const mine = extra.items || [];
    if (mine.length) {
      const shown = new Map((base.items || []).map((i) => [i.sub_order_id, i]));
      out.items = mine.map((i) => ({ ...(shown.get(i.sub_order_id) || {}), ...i }));
      const known = new Set(mine.map((i) => i.sub_order_id));
      out.items.push(...(base.items || []).filter((i) => !known.has(i.sub_order_id)));
    }
    return out;
  }

  return { digits, absUrl, urlParam, chinaTime, money, text, str, stripHtml, clean, quantity, skuText,
    isPseudoItem, snapshotId, snapshotUrl, findSnapshotLink, labelPairs, byLabel, findAll,
    TRANSLATED, machineTranslated, pageWords, subOrderOfLinks, enrich };
})();
