// Order extraction: the page's own data (legacy blob, hooked responses, detail blobs)
// turned into the helper's Order contract, plus DOM fallbacks. Ids stay exact strings.
/* global Tousu */
(() => {
  const { digits, absUrl, urlParam, chinaTime, money, text } = Tousu;
  const clean = (o) => {
    for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined || o[k] === "") delete o[k];
    return o;
  };
  const str = (v, max = 500) => (v === null || v === undefined ? null : String(v).replace(/\s+/g, " ").trim().slice(0, max) || null);
  const quantity = (q) => {
    const v = q && typeof q === "object" ? (q.count ?? q.num ?? q.value) : q;
    const n = parseInt(String(v ?? "1").replace(/[^\d]/g, ""), 10);
    return Number.isFinite(n) && n >= 1 ? n : 1;
  };
  const skuText = (sku) => {
    if (!sku) return null;
    if (typeof sku === "string") return str(sku);
    if (Array.isArray(sku)) return str(sku.map((s) => (typeof s === "string" ? s : [s.name, s.value].filter(Boolean).join("："))).join("；"));
    return null;
  };
  const isPseudo = (item, adapter) => {
    if (!item) return true;
    const title = String(item.title || "");
    return (adapter.pseudo_item_titles || []).some((p) => title.includes(p));
  };

  // ---- legacy list: `var data` and asyncBought (same shape) ----
  Tousu.fromLegacyList = (blob, adapter) => {
    const out = [];
    for (const mo of (blob && blob.mainOrders) || []) {
      const info = mo.orderInfo || {};
      const seller = mo.seller || {};
      const status = mo.statusInfo || {};
      const detail = absUrl(status.url);
      const orderId = digits(mo.id) || urlParam(detail, ["bizOrderId", "biz_order_id"]);
      if (!orderId) continue;
      const items = [];
      for (const so of mo.subOrders || []) {
        const ii = so.itemInfo || {};
        const itemId = digits(ii.id);
        if (!itemId || isPseudo(ii, adapter)) continue; // 保险服务 and friends are not goods
        const snap = absUrl(ii.snapUrl) || absUrl(ii.pcH5SnapUrl);
        const subId = digits(so.id) || urlParam(snap, ["tradeID", "tradeId", "bizOrderId"]) ||
          ((mo.subOrders || []).length === 1 ? orderId : null);
        if (!subId) continue;
        const price = so.priceInfo || {};
        items.push(clean({
          sub_order_id: subId, item_id: itemId, title: str(ii.title), sku: skuText(ii.skuText),
          unit_price: money(price.realTotal ?? price.original), quantity: quantity(so.quantity),
          item_url: absUrl(ii.itemUrl), snapshot_url: snap,
        }));
      }
      out.push(clean({
        order_id: orderId, platform: info.b2C === true || info.b2C === "true" ? "tmall" : "taobao",
        shop_name: str(seller.shopName), seller_nick: str(seller.nick),
        created_at: chinaTime(info.createTime), status_text: str(status.text),
        actual_fee: money((mo.payInfo || {}).actualFee), items, detail_url: detail,
        source_url: location.href.split("#")[0],
      }));
    }
    return out;
  };

  // ---- new SPA list: mtop queryboughtlistV2 components ----
  Tousu.fromSpaList = (resp) => {
    let comps = resp && resp.data;
    if (comps && comps.data && typeof comps.data === "object" && !comps.shopInfo) comps = comps.data;
    if (!comps || typeof comps !== "object") return [];
    const f = (c) => (c && c.fields) || c || {};
    const orders = new Map();
    const get = (id) => {
      if (!orders.has(id)) orders.set(id, { order_id: id, platform: "taobao", items: [], source_url: location.href.split("#")[0] });
      return orders.get(id);
    };
    for (const [key, comp] of Object.entries(comps)) {
      let m;
      if ((m = /^shopInfo_(\d+)$/.exec(key))) {
        const x = f(comp);
        const o = get(m[1]);
        Object.assign(o, clean({
          shop_name: str(x.shopName), seller_nick: str(x.sellerName || x.sellerNick),
          created_at: chinaTime(x.createTime),
          platform: x.isTmall === true || x.b2C === true || /tmall/i.test(String(x.shopUrl || x.shopIcon || "")) ? "tmall" : "taobao",
        }));
      } else if ((m = /^orderItemInfo_(\d+)_(\d+)$/.exec(key))) {
        const x = f(comp);
        const item = x.item || x;
        if (isPseudo(item, Tousu.adapters.orders) || !(digits(item.itemId) || item.itemUrl)) continue;
        const itemUrl = absUrl(item.itemUrl || item.auctionUrl);
        const priceInfo = item.priceInfo || {};
        const qty = quantity(item.quantity);
        let unit = money(priceInfo.price || priceInfo.unitPrice || priceInfo.realTotal);
        if (!unit && priceInfo.actualTotalFee) {
          const total = Number(money(priceInfo.actualTotalFee));
          unit = Number.isFinite(total) ? (total / qty).toFixed(2) : null;
        }
        get(m[1]).items.push(clean({
          sub_order_id: m[2], item_id: digits(item.itemId) || urlParam(itemUrl, ["id"]), title: str(item.title),
          sku: skuText(item.skuText), unit_price: unit, quantity: qty, item_url: itemUrl,
          snapshot_url: absUrl(item.snapshotUrl || item.snapUrl),
        }));
      } else if ((m = /^orderPayment_(\d+)$/.exec(key))) {
        const x = f(comp);
        const fee = x.actualFee && typeof x.actualFee === "object" ? x.actualFee.value : x.actualFee;
        Object.assign(get(m[1]), clean({ actual_fee: money(fee) }));
      } else if ((m = /^orderStatus_(\d+)$/.exec(key))) {
        const x = f(comp);
        const detail = absUrl(x.detailUrl || x.url);
        Object.assign(get(m[1]), clean({ status_text: str(x.statusText || x.text || x.title), detail_url: detail }));
      } else if ((m = /^orderLogistics_(\d+)$/.exec(key))) {
        const pkg = (f(comp).packageViewList || [])[0];
        if (pkg) get(m[1]).logistics = clean({ company: str(pkg.cpName), tracking_no: str(pkg.mailNo, 64) });
      }
    }
    return [...orders.values()].map(clean);
  };

  // ---- new SPA DOM fallback: div[id^="shopOrderContainer_"] with hashed class names ----
  Tousu.fromSpaRow = (row, a) => {
    const id = digits(row.id.slice(a.row_id_prefix.length));
    if (!id) return null;
    const q = (sel) => row.querySelector(sel);
    const items = [];
    for (const el of row.querySelectorAll(a.item)) {
      const link = el.querySelector(a.item_link);
      const snap = el.querySelector(a.snapshot_link);
      const itemUrl = link ? absUrl(link.getAttribute("href")) : null;
      const snapUrl = snap ? absUrl(snap.getAttribute("href")) : null;
      const sub = urlParam(snapUrl, ["tradeID", "tradeId", "bizOrderId"]) || el.getAttribute("data-sub-order-id");
      const title = text(el.querySelector(a.item_title));
      if (!sub || (Tousu.adapters.orders.pseudo_item_titles || []).some((p) => title.includes(p))) continue;
      items.push(clean({ sub_order_id: digits(sub), item_id: urlParam(itemUrl, ["id"]), title: title.slice(0, 500),
        unit_price: money(text(el.querySelector(a.item_price))), quantity: 1, item_url: itemUrl, snapshot_url: snapUrl }));
    }
    return clean({
      order_id: id, platform: /天猫|tmall/i.test(row.innerHTML.slice(0, 4000)) ? "tmall" : "taobao",
      shop_name: str(text(q(a.shop_name))), created_at: chinaTime(text(q(a.order_time))),
      status_text: str(text(q(a.status))), actual_fee: money(text(q(a.total))),
      items: items.filter((i) => i.sub_order_id), source_url: location.href.split("#")[0],
    });
  };

  // ---- legacy DOM (when the blob is missing for a row) ----
  Tousu.fromLegacyRow = (row, a) => {
    const id = digits(row.getAttribute(a.row_id_attr));
    if (!id) return null;
    const snap = row.querySelector(a.snapshot_link);
    const snapUrl = snap ? absUrl(snap.getAttribute("href")) : null;
    return clean({
      order_id: id, platform: /tmall|天猫/i.test(row.innerHTML.slice(0, 4000)) ? "tmall" : "taobao",
      seller_nick: str(text(row.querySelector(a.seller))), created_at: chinaTime(text(row.querySelector(a.create_time))),
      items: [], source_url: location.href.split("#")[0], detail_url: null,
      _snapshot: snapUrl,
    });
  };

  // ---- detail pages: label/value pairs anywhere in the blob ----
  function labelPairs(obj, out = [], depth = 0) {
    if (!obj || typeof obj !== "object" || depth > 12) return out;
    if (Array.isArray(obj)) { for (const x of obj) labelPairs(x, out, depth + 1); return out; }
    const key = obj.key ?? obj.label ?? obj.name ?? obj.title;
    let val = obj.content ?? obj.value ?? obj.text;
    if (typeof key === "string" && val !== undefined && val !== null) {
      if (Array.isArray(val)) val = val.map((v) => (v && typeof v === "object" ? (v.text ?? v.value ?? v.content ?? "") : v)).join(" ");
      if (typeof val === "object") val = val.text ?? val.value ?? "";
      out.push([key.replace(/[:：\s]/g, ""), String(val).trim()]);
    }
    for (const v of Object.values(obj)) if (v && typeof v === "object") labelPairs(v, out, depth + 1);
    return out;
  }
  const byLabel = (pairs, names) => {
    for (const [k, v] of pairs) if (v && names.some((n) => k === n || k.startsWith(n))) return v;
    return null;
  };
  function findAll(obj, pred, out = [], depth = 0) {
    if (!obj || typeof obj !== "object" || depth > 14) return out;
    if (pred(obj)) out.push(obj);
    for (const v of Object.values(obj)) if (v && typeof v === "object") findAll(v, pred, out, depth + 1);
    return out;
  }

  Tousu.fromDetailBlob = (blob, platform, adapter) => {
    if (!blob) return null;
    const L = adapter.labels;
    const pairs = labelPairs(blob);
    const orderId = digits(byLabel(pairs, L.order_id)) ||
      digits(blob.mainOrder && (blob.mainOrder.id || blob.mainOrder.idStr)) ||
      urlParam(location.href, adapter.detail_dom.order_id_param);
    if (!orderId) return null;
    // logistics
    const dl = blob.deliveryInfo || {};
    let company = dl.logisticsName || byLabel(pairs, L.logistics_company);
    let tracking = dl.logisticsNum || byLabel(pairs, L.tracking_no);
    if (!tracking) {
      const lg = findAll(blob, (o) => typeof o.mailNo === "string" || typeof o.mailNo === "number")[0];
      if (lg) { tracking = String(lg.mailNo); company = company || lg.companyName || lg.cpName; }
    }
    // items: Taobao mainOrder.subOrders[].idStr; Tmall orders.list[].status[].subOrders[]
    const items = [];
    const subs = findAll(blob, (o) => Array.isArray(o.subOrders)).flatMap((o) => o.subOrders);
    for (const so of subs) {
      const ii = so.itemInfo || so.item || {};
      const title = str(ii.title || ii.itemTitle);
      if ((adapter.pseudo_item_titles || []).some((p) => (title || "").includes(p))) continue;
      const snap = absUrl(ii.auctionUrl || ii.snapUrl || ii.snapshotUrl);
      const itemUrl = absUrl(ii.itemUrl || ii.pic2Url);
      const sub = digits(so.idStr) || digits(so.id) || urlParam(snap, ["tradeID", "tradeId", "bizOrderId"]);
      if (!sub) continue;
      const price = so.priceInfo || {};
      items.push(clean({
        sub_order_id: sub, item_id: digits(ii.id || ii.itemId) || urlParam(itemUrl, ["id"]), title,
        sku: skuText(ii.skuText), unit_price: money(price.realTotal ?? price.price ?? so.price ?? so.priceInfo),
        quantity: quantity(so.quantity ?? so.buyAmount), item_url: itemUrl, snapshot_url: snap,
      }));
    }
    const seller = blob.seller || {};
    const order = clean({
      order_id: orderId, platform,
      shop_name: str(seller.shopName || byLabel(pairs, ["店铺名称", "店铺"])),
      seller_nick: str(seller.nick || seller.sellerNick || byLabel(pairs, ["卖家昵称", "卖家", "商家"])),
      created_at: chinaTime(byLabel(pairs, L.created_at)), paid_at: chinaTime(byLabel(pairs, L.paid_at)),
      shipped_at: chinaTime(byLabel(pairs, L.shipped_at)), received_at: chinaTime(byLabel(pairs, L.received_at)),
      status_text: str((blob.overStatus && blob.overStatus.status && blob.overStatus.status.content && blob.overStatus.status.content[0] && blob.overStatus.status.content[0].text) ||
        (blob.statusInfo && blob.statusInfo.text) || byLabel(pairs, ["订单状态", "交易状态", "当前订单状态"])),
      actual_fee: money(byLabel(pairs, ["实付款", "实付", "订单总价"]) || (blob.payInfo && blob.payInfo.actualFee)),
      items, detail_url: location.href.split("#")[0], source_url: location.href.split("#")[0],
    });
    if (company || tracking) order.logistics = clean({ company: str(company), tracking_no: str(tracking, 64) });
    return order;
  };

  // New detail page (no blob): #headerContainer and logisticsPackageNo--<hash>.
  Tousu.fromDetailDom = (adapter) => {
    const d = adapter.detail_dom;
    const id = urlParam(location.href, d.order_id_param);
    if (!id || !document.querySelector(d.header)) return null;
    const body = document.body.innerText || "";
    const L = adapter.labels;
    const after = (names) => {
      for (const n of names) {
        const m = new RegExp(n + "\\s*[:：]?\\s*([^\\n]+)").exec(body);
        if (m) return m[1].trim();
      }
      return null;
    };
    const trackingEl = document.querySelector(d.tracking_no);
    const companyEl = document.querySelector(d.company);
    const tracking = trackingEl ? text(trackingEl).replace(/^.*?[:：]/, "").replace(/复制$/, "").trim() : after(L.tracking_no);
    const items = [];
    for (const a of document.querySelectorAll('a[href*="tradeSnap.htm"]')) {
      const snap = absUrl(a.getAttribute("href"));
      const sub = urlParam(snap, ["tradeID", "tradeId", "bizOrderId"]);
      if (sub && !items.some((i) => i.sub_order_id === sub)) items.push({ sub_order_id: sub, snapshot_url: snap, quantity: 1 });
    }
    const order = clean({
      order_id: id, platform: /tmall\.com$/.test(location.hostname) ? "tmall" : "taobao",
      created_at: chinaTime(after(L.created_at)), paid_at: chinaTime(after(L.paid_at)),
      shipped_at: chinaTime(after(L.shipped_at)), received_at: chinaTime(after(L.received_at)),
      items, detail_url: location.href.split("#")[0], source_url: location.href.split("#")[0],
    });
    if (tracking) order.logistics = clean({ company: str(companyEl ? text(companyEl) : after(L.logistics_company)), tracking_no: str(tracking, 64) });
    return order;
  };
})();
