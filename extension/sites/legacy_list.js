// 已买到的宝贝, legacy generation (buyertrade.taobao.com/trade/itemlist/list_bought_items.htm,
// `?route_to=tm1` forces it). Page 1 is embedded as `var data = JSON.parse('…')`; pages 2+
// arrive from asyncBought.htm in GBK; both have the same shape (mainOrders[]). Sub-order
// ids are JSON numbers of 19 digits there, so the blob is parsed with big numbers kept as
// strings and, failing that, ids come from the 交易快照 link of the same record.
// Rows: div[data-id] with CSS-module class names whose hash suffixes have held for years.
(() => {
  const S = globalThis.TousuSites;
  const ROW = 'div[data-id][class*="bought-wrapper-mod__trade-order"]';

  function order(mo, page) {
    const F = S.fields;
    const info = mo.orderInfo || {};
    const seller = mo.seller || {};
    const status = mo.statusInfo || {};
    const detail = F.absUrl(status.url, page.url);
    const orderId = F.digits(mo.id) || F.urlParam(detail, ["bizOrderId", "biz_order_id"]);
    if (!orderId) return null;
    const subs = mo.subOrders || [];
    const items = [];
    for (const so of subs) {
      const ii = so.itemInfo || {};
      const itemId = F.digits(ii.id);
      if (!itemId || F.isPseudoItem(ii.title)) continue;
      // pcH5SnapUrl carries the MAIN id even for a multi-item order: only tradeSnap links name the sub-order
      const subId = F.digits(so.id) || F.snapshotId(ii.snapUrl) || (subs.length === 1 ? orderId : null);
      if (!subId) continue;
      const price = so.priceInfo || {};
      items.push(F.clean({
        sub_order_id: subId, item_id: itemId, title: F.str(ii.title), sku: F.skuText(ii.skuText),
        unit_price: F.money(price.realTotal ?? price.original), quantity: F.quantity(so.quantity),
        item_url: F.absUrl(ii.itemUrl, page.url), snapshot_url: F.snapshotUrl(subId),
      }));
    }
    return F.clean({
      order_id: orderId, platform: info.b2C === true || info.b2C === "true" ? "tmall" : "taobao",
      shop_name: F.str(seller.shopName), seller_nick: F.str(seller.nick),
      created_at: F.chinaTime(info.createTime), status_text: F.str(status.text),
      actual_fee: F.money((mo.payInfo || {}).actualFee), items, detail_url: detail,
      source_url: page.url.split("#")[0],
    });
  }
  const fromMainOrders = (data, page) => ((data && data.mainOrders) || []).map((mo) => order(mo, page)).filter(Boolean);

  S.register({
    id: "legacy_list",
    label: "已买到的宝贝（旧版）",
    kind: "list",
    matches: ["https://buyertrade.taobao.com/trade/itemlist/*"],
    blobs: [{ marker: "var data = JSON.parse('", kind: "json_parse_literal" }],
    responses: [/\/trade\/itemlist\/asyncBought\.htm/i],
    detect: (doc) => !!doc.querySelector(ROW) || [...doc.scripts].some((s) => !s.src && s.textContent.includes("var data = JSON.parse('")),
    fromBlob: fromMainOrders,
    fromResponse: fromMainOrders,
    rows: {
      selector: ROW,
      orderId: (row) => S.fields.digits(row.getAttribute("data-id")),
      anchor: (row) => row.querySelector('[class*="bought-wrapper-mod__head-info-cell"], [class*="bought-wrapper-mod__create-time"], [class*="seller-mod__container"]') || row,
    },
    // A row read from what it shows: every sub-order's <tr> (the production cell with the item
    // link, its SKU spans and 交易快照; the unit price; the quantity), and in the first the
    // order's 实付款 (the price in <strong>) and status (the cell with the 订单详情 link). Found
    // by structure and links, not by words, so a translated page reads the same.
    fromRow(row, page) {
      const F = S.fields;
      const id = F.digits(row.getAttribute("data-id"));
      if (!id) return null;
      const q = (sel, root = row) => root.querySelector(sel);
      const lines = [...row.querySelectorAll("tbody > tr")].filter((tr) => q('[class*="production-mod__production___"], [class*="suborder-mod__production___"]', tr));
      const items = [];
      for (const tr of lines) {
        const link = q('a[href*="item.htm"], a[href*="detail.tmall.com"]', tr);
        const itemUrl = link ? F.absUrl(link.getAttribute("href"), page.url) : null;
        const titleEl = tr.querySelector('[class*="production-mod__production___"] p a span[style], [class*="production-mod__production___"] p a:not([class*="pic"])');
        const title = F.text(titleEl);
        if (!itemUrl || F.isPseudoItem(title)) continue;
        const sub = F.subOrderOfLinks(tr, page.url) || (lines.length === 1 ? id : null);
        if (!sub) continue;
        const priceCell = [...tr.children].find((td) => q('[class*="price-mod__price___"]', td) && !q("strong", td));
        const unit = priceCell && [...priceCell.querySelectorAll("p")].filter((p) => !q("del", p) && F.text(p)).pop();
        const qtyCell = priceCell && priceCell.nextElementSibling;
        items.push(F.clean({
          sub_order_id: sub, item_id: F.urlParam(itemUrl, ["id"]), title: F.pageWords(title, page),
          sku: F.pageWords([...tr.querySelectorAll('[class*="production-mod__sku-item___"]')].map((x) => F.text(x)).join("；"), page),
          unit_price: F.money(F.text(unit)), quantity: F.quantity(F.text(qtyCell)),
          item_url: itemUrl, snapshot_url: F.snapshotUrl(sub),
        }));
      }
      const detail = q('a[href*="trade_item_detail.htm"], a[href*="orderDetail.htm"], a[href*="trade_order_detail.htm"], a#viewDetail');
      const statusCell = detail && detail.closest("td");
      const status = statusCell && q("p", statusCell);
      const detailUrl = detail ? F.absUrl(detail.getAttribute("href"), page.url) : null;
      return F.clean({
        order_id: id, platform: /trade\.tmall\.com|tmall|天猫/i.test(detailUrl || row.innerHTML.slice(0, 4000)) ? "tmall" : "taobao",
        seller_nick: F.pageWords(F.text(q('[class*="seller-mod__name"]')), page),
        created_at: F.chinaTime(F.text(q('[class*="bought-wrapper-mod__create-time"]'))),
        status_text: F.pageWords(F.text(status), page),
        actual_fee: F.money(F.text(q('[class*="price-mod__price___"] strong'))),
        items, detail_url: detailUrl, source_url: page.url.split("#")[0],
      });
    },
    // Recorded pages (tests/fixtures/site/…) and the orders each must yield; every field
    // listed must be equal, items in order (tests/e2e/test_translators.py).
    tests: [
      {
        page: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm",
        rows: 4,
        orders: [
          { order_id: "4865640015090004803", platform: "taobao", shop_name: "好物数码旗舰店", seller_nick: "好物数码",
            created_at: "2025-11-08T03:44:47+08:00", status_text: "卖家已发货", actual_fee: "47.40",
            detail_url: "https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=4865640015090004803",
            items: [{ sub_order_id: "4865640015090004803", item_id: "712345678901", title: "无线蓝牙耳机 降噪版",
              sku: "颜色分类：白色", unit_price: "47.40", quantity: 1,
              snapshot_url: "https://buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID=4865640015090004803" }] },
          { order_id: "2938475610293847561", platform: "tmall", shop_name: "优品家居天猫旗舰店", actual_fee: "186.28",
            items: [
              { sub_order_id: "2938475610293847562", item_id: "634567890123", quantity: 2, unit_price: "79.14", sku: "颜色：灰色；尺寸：1.8m" },
              { sub_order_id: "2938475610293847563", item_id: "634567890124", quantity: 1, unit_price: "28.00" }] },
          { order_id: "3019283746501928374", status_text: "交易关闭", items: [{ sub_order_id: "3019283746501928374" }] },
          { order_id: "1234567890123457", created_at: "2019-05-20T13:14:00+08:00", items: [{ sub_order_id: "1234567890123457" }] },
        ],
      },
      {
        page: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm",
        responses: [{ url: "https://buyertrade.taobao.com/trade/itemlist/asyncBought.htm?action=itemlist/BoughtQueryAction&pageNum=2",
          file: "buyertrade.taobao.com/trade/itemlist/asyncBought.gbk.json", charset: "gbk" }],
        only: "responses",
        orders: [
          { order_id: "4001112223334445556", shop_name: "第二页店铺", items: [{ sub_order_id: "4001112223334445556", title: "数据线 1米 快充", quantity: 1 }] },
          { order_id: "4001112223334445557", platform: "tmall", shop_name: "天猫超市", items: [{ sub_order_id: "4001112223334445557", title: "洗衣液 3kg", quantity: 2 }] },
        ],
      },
      {
        page: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.gbk.htm",
        rows: 1,
        orders: [{ order_id: "5123456789012345678", shop_name: "中文编码测试店",
          items: [{ sub_order_id: "5123456789012345678", title: "龘靐齉 生僻字毛巾（纯棉）", quantity: 2 }] }],
      },
      // Rows read from their DOM alone (the buyer had paged on: the blob holds other orders).
      {
        page: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items_paged.htm",
        only: "rows",
        orders: [
          { order_id: "4400112233445566771", platform: "taobao", seller_nick: "管材五金", status_text: "交易成功",
            created_at: "2025-11-12T00:00:00+08:00", actual_fee: "2171.00",
            detail_url: "https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=4400112233445566771",
            items: [
              { sub_order_id: "4400112233445566772", item_id: "650000000001", title: "304不锈钢波纹管 4分 20cm", sku: "规格：4分；长度：20cm", unit_price: "12.50", quantity: 10 },
              { sub_order_id: "4400112233445566773", unit_price: "18.00", quantity: 20 },
              { sub_order_id: "4400112233445566774", unit_price: "26.00", quantity: 12 },
              { sub_order_id: "4400112233445566775", title: "波纹管接头 4分内丝", unit_price: "3.50", quantity: 40 },
              { sub_order_id: "4400112233445566776", unit_price: "39.00", quantity: 30 },
              { sub_order_id: "4400112233445566777", unit_price: "0.70", quantity: 100 }] },
          { order_id: "2938475610293847561", platform: "tmall", actual_fee: "186.28", status_text: "交易成功",
            items: [{ sub_order_id: "2938475610293847562", quantity: 2, unit_price: "79.14", sku: "颜色：灰色；尺寸：1.8m" },
              { sub_order_id: "2938475610293847563", quantity: 1, unit_price: "28.00", title: "记忆棉枕头" }] },
          { order_id: "4400112233445566781", status_text: "卖家已发货", actual_fee: "113.00",
            items: [{ sub_order_id: "4400112233445566782", title: "桌面收纳盒 小号", unit_price: "9.90", quantity: 8, sku: "颜色分类：白色" },
              { sub_order_id: "4400112233445566783", unit_price: "33.80", quantity: 1 }] },
        ],
      },
      // The same page after Chrome's translation: ids, prices, quantities and dates as before;
      // the words are the translation's, marked as such.
      {
        page: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items_translated.htm",
        only: "rows",
        orders: [
          { order_id: "4400112233445566771", status_text: "〔机器翻译〕Transaction successful", actual_fee: "2171.00",
            created_at: "2025-11-12T00:00:00+08:00",
            items: [
              { sub_order_id: "4400112233445566772", item_id: "650000000001", title: "〔机器翻译〕304 stainless steel bellows 4 points 20cm",
                sku: "〔机器翻译〕Specification：4 points；Length：20cm", unit_price: "12.50", quantity: 10 },
              { sub_order_id: "4400112233445566773", unit_price: "18.00", quantity: 20 },
              { sub_order_id: "4400112233445566774", unit_price: "26.00", quantity: 12 },
              { sub_order_id: "4400112233445566775", unit_price: "3.50", quantity: 40 },
              { sub_order_id: "4400112233445566776", unit_price: "39.00", quantity: 30 },
              { sub_order_id: "4400112233445566777", unit_price: "0.70", quantity: 100 }] },
          { order_id: "2938475610293847561", platform: "tmall", actual_fee: "186.28",
            items: [{ sub_order_id: "2938475610293847562", quantity: 2, unit_price: "79.14" }, { sub_order_id: "2938475610293847563", quantity: 1 }] },
          { order_id: "4400112233445566781", actual_fee: "113.00",
            items: [{ sub_order_id: "4400112233445566782", unit_price: "9.90", quantity: 8 }, { sub_order_id: "4400112233445566783", quantity: 1 }] },
        ],
      },
      {
        page: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items_norows.htm",
        rows: 0,
        orders: [{ order_id: "4865640015090004803" }, { order_id: "2938475610293847561" }, { order_id: "3019283746501928374" }, { order_id: "1234567890123457" }],
      },
    ],
  });
})();
