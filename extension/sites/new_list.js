// 已买到的宝贝, new generation (the SPA rolled out since about 2025-03): no embedded data;
// the page asks mtop.taobao.order.queryboughtlistV2 and gets components keyed by order id
// (shopInfo_<id>, orderItemInfo_<id>_<sub>, orderPayment_<id>, orderStatus_<id>,
// orderLogistics_<id>). Rows are div#shopOrderContainer_<id> with `<name>--<hash>` class
// names, matched by prefix. Field meanings are read off a public one-order sample:
// orderItemInfo's actualTotalFee is the unit price (￥49.90 × 2 = 实付款 ￥99.80), the trade
// status is shopInfo.tradeTitle, orderStatus is the parcel's state (运输中).
(() => {
  const S = globalThis.TousuSites;
  const ROW = 'div[id^="shopOrderContainer_"]';

  function fromComponents(resp, page) {
    const F = S.fields;
    let comps = resp && resp.data;
    if (comps && comps.data && typeof comps.data === "object" && !comps.shopInfo) comps = comps.data;
    if (!comps || typeof comps !== "object") return [];
    const f = (c) => (c && c.fields) || {};
    const orders = new Map();
    const get = (id) => {
      if (!orders.has(id)) orders.set(id, { order_id: id, platform: "taobao", items: [], source_url: page.url.split("#")[0] });
      return orders.get(id);
    };
    for (const [key, comp] of Object.entries(comps)) {
      let m;
      if ((m = /^shopInfo_(\d+)$/.exec(key))) {
        const x = f(comp);
        Object.assign(get(m[1]), F.clean({
          shop_name: F.str(x.shopName), seller_nick: F.str(x.sellerName || x.sellerNick),
          created_at: F.chinaTime(x.createTime), status_text: F.str(x.tradeTitle),
          platform: x.isTmall === true || x.b2C === true || /tmall/i.test(String(x.shopUrl || "")) ? "tmall" : "taobao",
        }));
      } else if ((m = /^orderItemInfo_(\d+)_(\d+)$/.exec(key))) {
        const item = f(comp).item || {};
        if (F.isPseudoItem(item.title) || !(F.digits(item.itemId) || item.itemUrl)) continue;
        const itemUrl = F.absUrl(item.itemUrl, page.url);
        const priceInfo = item.priceInfo || {};
        get(m[1]).items.push(F.clean({
          sub_order_id: m[2], item_id: F.digits(item.itemId) || F.urlParam(itemUrl, ["id"]), title: F.str(item.title),
          sku: F.skuText(item.skuText), unit_price: F.money(priceInfo.actualTotalFee ?? priceInfo.promotion),
          quantity: F.quantity(item.quantity), item_url: itemUrl, snapshot_url: F.snapshotUrl(m[2]),
        }));
      } else if ((m = /^orderPayment_(\d+)$/.exec(key))) {
        const fee = f(comp).actualFee;
        Object.assign(get(m[1]), F.clean({ actual_fee: F.money(fee && typeof fee === "object" ? fee.value : fee) }));
      } else if ((m = /^orderLogistics_(\d+)$/.exec(key))) {
        const x = f(comp);
        const pkg = ((x.packagePreview || x).packageViewList || [])[0];
        if (pkg) get(m[1]).logistics = F.clean({ company: F.str(pkg.cpName), tracking_no: F.str(pkg.mailNo, 64) });
      }
    }
    return [...orders.values()].map(F.clean);
  }

  S.register({
    id: "new_list",
    label: "已买到的宝贝（新版）",
    kind: "list",
    matches: ["https://buyertrade.taobao.com/trade/itemlist/*", "https://i.taobao.com/my_taobao/*",
      "https://i.taobao.com/my_itaobao/*", "https://www.taobao.com/my_taobao/*"],
    responses: [/mtop\.taobao\.order\.queryboughtlistv2/i],
    detect: (doc) => !!doc.querySelector(ROW),
    fromResponse: fromComponents,
    rows: {
      selector: ROW,
      orderId: (row) => S.fields.digits(row.id.slice("shopOrderContainer_".length)),
      anchor: (row) => row.querySelector('[class*="shopInfoStatus"], [class*="shopInfoOrderTime"]') || row,
    },
    // A row rendered from data we did not see (a cached order, a response we missed, a
    // page saved after paging on): items with their sub-order (交易快照 or 退款/售后 link),
    // unit price, quantity and SKU, the order's 实付款, status and time, matched by the
    // class-name prefixes and links, not by words (a translated page reads the same).
    fromRow(row, page) {
      const F = S.fields;
      const id = F.digits(row.id.slice("shopOrderContainer_".length));
      if (!id) return null;
      const q = (sel, root = row) => root.querySelector(sel);
      const cells = [...row.querySelectorAll('[class*="itemInfo--"], [class*="orderItem--"]')];
      const items = [];
      for (const el of cells) {
        const link = q('a[href*="item.htm"], a[href*="detail.tmall.com"]', el);
        const itemUrl = link ? F.absUrl(link.getAttribute("href"), page.url) : null;
        const title = F.text(q('[class*="title--"]', el));
        const sub = F.subOrderOfLinks(el, page.url) || (cells.length === 1 ? id : null);
        if (!sub || !itemUrl || F.isPseudoItem(title)) continue;
        const qty = q('[class*="itemInfoColQuantity"], [class*="quantity--"]', el);
        items.push(F.clean({ sub_order_id: sub, item_id: F.urlParam(itemUrl, ["id"]), title: F.pageWords(title.slice(0, 500), page),
          sku: F.pageWords(F.text(q('[class*="skuText--"], [class*="sku--"]', el)), page),
          unit_price: F.money(F.text(q('[class*="itemInfoColPrice"], [class*="priceReal--"]', el))),
          quantity: F.quantity(qty ? F.text(qty) : (/[×xX]\s*(\d+)/.exec(F.text(el)) || [])[1]),
          item_url: itemUrl, snapshot_url: F.snapshotUrl(sub) }));
      }
      return F.clean({
        order_id: id, platform: /天猫|tmall/i.test(row.innerHTML.slice(0, 4000)) ? "tmall" : "taobao",
        shop_name: F.pageWords(F.text(q('[class*="shopInfoName"]')), page),
        created_at: F.chinaTime(F.text(q('[class*="shopInfoOrderTime"]'))),
        status_text: F.pageWords(F.text(q('[class*="shopInfoStatus"]')), page),
        actual_fee: F.money(F.text(q('[class*="actualFee--"], [class*="orderPayment--"] [class*="price"]'))),
        items, source_url: page.url.split("#")[0],
      });
    },
    tests: [
      {
        page: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items_new.htm",
        waitFor: 'div[id="shopOrderContainer_4211112223334445571"]',
        responses: [{ url: "https://h5api.m.taobao.com/h5/mtop.taobao.order.queryboughtlistv2/1.0/?api=mtop.taobao.order.queryboughtlistV2",
          file: "h5api.m.taobao.com/h5/mtop.taobao.order.queryboughtlistv2/1.0/response.json" }],
        rows: 3,
        orders: [
          { order_id: "4211112223334445551", platform: "taobao", shop_name: "新版店铺甲", status_text: "卖家已发货",
            created_at: "2025-11-20T12:00:01+08:00", actual_fee: "59.90", logistics: { company: "中通快递", tracking_no: "78901234567890" },
            items: [{ sub_order_id: "4211112223334445551", item_id: "720000000001", sku: "轴体：红轴", unit_price: "59.90", quantity: 1 }] },
          { order_id: "4211112223334445561", platform: "tmall", shop_name: "新版天猫店", actual_fee: "194.28",
            items: [{ sub_order_id: "4211112223334445562", quantity: 2, unit_price: "93.14" }] },
          { order_id: "4211112223334445571", shop_name: "缓存小店", status_text: "交易成功",
            items: [{ sub_order_id: "4211112223334445571", item_id: "730000000009", unit_price: "88.00" }] },
        ],
      },
      // A multi-item order the page rendered from its cache, read from the row alone.
      {
        page: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items_new_cached.htm",
        waitFor: 'div[id="shopOrderContainer_4211112223334445581"]',
        responses: [{ url: "https://h5api.m.taobao.com/h5/mtop.taobao.order.queryboughtlistv2/1.0/?api=mtop.taobao.order.queryboughtlistV2",
          file: "h5api.m.taobao.com/h5/mtop.taobao.order.queryboughtlistv2/1.0/response.json" }],
        rows: 4,
        orders: [
          { order_id: "4211112223334445551" }, { order_id: "4211112223334445561" }, { order_id: "4211112223334445571" },
          { order_id: "4211112223334445581", shop_name: "厨房好物店", status_text: "卖家已发货", created_at: "2025-11-02T19:45:00+08:00",
            actual_fee: "113.00",
            items: [{ sub_order_id: "4211112223334445582", item_id: "730000000021", title: "硅胶铲 耐高温", sku: "颜色：灰色", unit_price: "9.90", quantity: 8 },
              { sub_order_id: "4211112223334445583", item_id: "730000000022", sku: "尺寸：28cm", unit_price: "33.80", quantity: 1 }] },
        ],
      },
    ],
  });
})();
