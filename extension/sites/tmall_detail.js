// 订单详情, Tmall legacy generation (trade.tmall.com/detail/orderDetail.htm?bizOrderId=):
// `var detailData = {…}` with basic.lists (订单编号 and, under its 更多, 成交时间 / 付款时间 /
// 发货时间; 商家 as HTML carrying data-nick), orders.list[].logistic.content[].{companyName,
// mailNo}, orders.list[].status[].subOrders[] — which carry no ids: the sub-order is the
// tradeID of the 交易快照 link (filed under itemUrl or snapUrl; auctionUrl is the item page)
// — overStatus.status (HTML "订单状态: …") and stepbar.options[].{content, time}. 成交时间 is
// when the deal was made (it equals 拍下商品), not when the buyer received the goods.
(() => {
  const S = globalThis.TousuSites;
  const STEPS = { 拍下商品: "created_at", 付款到支付宝: "paid_at", 卖家发货: "shipped_at", 确认收货: "received_at" };

  function fromData(blob, page) {
    const F = S.fields;
    if (!blob || typeof blob !== "object") return [];
    const lists = (blob.basic && blob.basic.lists) || [];
    const idRow = lists.find((l) => l.key === "订单编号");
    const orderId = F.digits(idRow && idRow.content && idRow.content[0] && idRow.content[0].text) ||
      F.urlParam(page.url, ["bizOrderId", "biz_order_id"]);
    if (!orderId) return [];
    const pairs = F.labelPairs(lists);
    const seller = lists.find((l) => l.key === "商家");
    const nick = /data-nick=['"]([^'"]+)['"]/.exec((seller && seller.content && seller.content[0] && seller.content[0].text) || "");
    const steps = {};
    for (const o of (blob.stepbar && blob.stepbar.options) || []) if (STEPS[o.content] && o.time) steps[STEPS[o.content]] = F.chinaTime(o.time);
    const items = [];
    let logistics = null;
    for (const entry of (blob.orders && blob.orders.list) || []) {
      const parcel = ((entry.logistic && entry.logistic.content) || []).find((c) => c && c.mailNo);
      if (parcel && !logistics) logistics = F.clean({ company: F.str(parcel.companyName), tracking_no: F.str(parcel.mailNo, 64) });
      for (const so of (entry.status || []).flatMap((st) => st.subOrders || [])) {
        const ii = so.itemInfo || {};
        const title = F.str(ii.title);
        if (F.isPseudoItem(title)) continue;
        const sub = F.snapshotId(F.findSnapshotLink(ii));
        if (!sub) continue;
        const itemUrl = [ii.auctionUrl, ii.itemUrl].map((u) => F.absUrl(u, page.url)).find((u) => u && !F.snapshotId(u)) || null;
        const price = Array.isArray(so.priceInfo) ? so.priceInfo.map((p) => p && p.text).find(Boolean) : so.priceInfo;
        items.push(F.clean({
          sub_order_id: sub, item_id: F.urlParam(itemUrl, ["id"]), title, sku: F.skuText(ii.skuText),
          unit_price: F.money(price), quantity: F.quantity(so.quantity), item_url: itemUrl, snapshot_url: F.snapshotUrl(sub),
        }));
      }
    }
    const statusHtml = ((blob.overStatus && blob.overStatus.status && blob.overStatus.status.content) || []).map((c) => c && c.text).join(" ");
    const order = F.clean({
      order_id: orderId, platform: "tmall", seller_nick: F.str(nick && nick[1]),
      created_at: F.chinaTime(F.byLabel(pairs, ["成交时间"])) || steps.created_at,
      paid_at: F.chinaTime(F.byLabel(pairs, ["付款时间"])) || steps.paid_at,
      shipped_at: F.chinaTime(F.byLabel(pairs, ["发货时间"])) || steps.shipped_at,
      received_at: F.chinaTime(F.byLabel(pairs, ["确认收货时间"])) || steps.received_at,
      status_text: F.str(F.stripHtml(statusHtml).replace(/^\s*订单状态\s*[:：]\s*/, "")),
      items, detail_url: page.url.split("#")[0], source_url: page.url.split("#")[0],
    });
    if (logistics) order.logistics = logistics;
    return [order];
  }

  S.register({
    id: "tmall_detail",
    label: "订单详情（天猫旧版）",
    kind: "detail",
    matches: ["https://trade.tmall.com/detail/*"],
    blobs: [{ marker: "var detailData = ", kind: "object_literal" }],
    detect: (doc) => [...doc.scripts].some((s) => !s.src && s.textContent.includes("var detailData = ")),
    fromBlob: fromData,
    anchor: (doc) => doc.querySelector("#J_OrderDetail, .order-info, h1, h2") || doc.body,
    tests: [
      {
        page: "https://trade.tmall.com/detail/orderDetail.htm?bizOrderId=2938475610293847561",
        orders: [{
          order_id: "2938475610293847561", platform: "tmall", seller_nick: "优品家居旗舰店", status_text: "交易成功",
          created_at: "2025-10-30T21:05:11+08:00", paid_at: "2025-10-30T21:06:00+08:00", shipped_at: "2025-10-31T09:15:00+08:00",
          received_at: "2025-11-02T10:00:00+08:00", logistics: { company: "顺丰速运", tracking_no: "SF1400238755123" },
          items: [
            { sub_order_id: "2938475610293847562", item_id: "634567890123", quantity: 2, unit_price: "79.14", sku: "颜色：灰色；尺寸：1.8m",
              item_url: "https://detail.tmall.com/item.htm?id=634567890123" },
            { sub_order_id: "2938475610293847563", item_id: "634567890124", quantity: 1, unit_price: "28.00" }],
        }],
      },
    ],
  });
})();
