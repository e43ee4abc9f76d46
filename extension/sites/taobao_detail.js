// 订单详情, Taobao legacy generation (trade.taobao.com or buyertrade.taobao.com
// /trade/detail/trade_item_detail.htm?bizOrderId=): `var data = JSON.parse('…')` with
// deliveryInfo.{logisticsName, logisticsNum}, mainOrder.{seller, statusInfo, payInfo,
// subOrders[].{idStr, itemInfo.auctionUrl (the 交易快照)}, orderInfo.lines (订单编号 /
// 创建时间 / 付款时间 as namevalue pairs)} and orderBar.nodes, the dated steps
// (拍下宝贝, 付款到支付宝, 卖家发货, 确认收货) — the only place the shipping time is.
(() => {
  const S = globalThis.TousuSites;
  const STEPS = { 拍下宝贝: "created_at", 付款到支付宝: "paid_at", 卖家发货: "shipped_at", 确认收货: "received_at" };

  function fromData(blob, page) {
    const F = S.fields;
    if (!blob || typeof blob !== "object") return [];
    const main = blob.mainOrder || {};
    const pairs = F.labelPairs(main.orderInfo || {});
    const orderId = F.digits(main.id) || F.digits(F.byLabel(pairs, ["订单编号"])) || F.urlParam(page.url, ["bizOrderId", "biz_order_id"]);
    if (!orderId) return [];
    const items = [];
    for (const so of main.subOrders || []) {
      const ii = so.itemInfo || {};
      const title = F.str(ii.title);
      if (F.isPseudoItem(title)) continue;
      const sub = F.digits(so.idStr) || F.digits(so.id) || F.snapshotId(ii.auctionUrl);
      if (!sub) continue;
      const itemUrl = F.absUrl(ii.itemUrl, page.url);
      items.push(F.clean({
        sub_order_id: sub, item_id: F.digits(ii.id || ii.itemId) || F.urlParam(itemUrl, ["id"]), title,
        sku: F.skuText(ii.skuText), unit_price: F.money(so.priceInfo), quantity: F.quantity(so.quantity),
        item_url: itemUrl, snapshot_url: F.snapshotUrl(sub),
      }));
    }
    const steps = {};
    for (const node of (blob.orderBar && blob.orderBar.nodes) || []) if (STEPS[node.text] && node.date) steps[STEPS[node.text]] = F.chinaTime(node.date);
    const status = F.str(((main.statusInfo && main.statusInfo.text) || "").replace(/^当前订单状态[:：]/, "").split(/[，,]/)[0]);
    const fee = main.payInfo && main.payInfo.actualFee;
    const delivery = blob.deliveryInfo || {};
    const order = F.clean({
      order_id: orderId, platform: "taobao",
      seller_nick: F.str((main.seller && main.seller.nick) || delivery.sellerNick),
      created_at: F.chinaTime(F.byLabel(pairs, ["创建时间"])) || steps.created_at,
      paid_at: F.chinaTime(F.byLabel(pairs, ["付款时间"])) || steps.paid_at,
      shipped_at: F.chinaTime(F.byLabel(pairs, ["发货时间"])) || steps.shipped_at,
      received_at: F.chinaTime(F.byLabel(pairs, ["确认收货时间", "成交时间"])) || steps.received_at,
      status_text: status, actual_fee: F.money(fee && typeof fee === "object" ? fee.value : fee),
      items, detail_url: page.url.split("#")[0], source_url: page.url.split("#")[0],
    });
    if (delivery.logisticsName || delivery.logisticsNum) {
      order.logistics = F.clean({ company: F.str(delivery.logisticsName), tracking_no: F.str(delivery.logisticsNum, 64) });
    }
    return [order];
  }

  S.register({
    id: "taobao_detail",
    label: "订单详情（淘宝旧版）",
    kind: "detail",
    matches: ["https://trade.taobao.com/trade/detail/*", "https://buyertrade.taobao.com/trade/detail/*"],
    excludes: ["https://trade.taobao.com/trade/detail/tradeSnap.htm*", "https://buyertrade.taobao.com/trade/detail/tradeSnap.htm*"],
    blobs: [{ marker: "var data = JSON.parse('", kind: "json_parse_literal" }],
    detect: (doc) => [...doc.scripts].some((s) => !s.src && s.textContent.includes("var data = JSON.parse('")),
    fromBlob: fromData,
    anchor: (doc) => doc.querySelector("#detail-panel, .order-info, h1, h2") || doc.body,
    tests: [
      {
        page: "https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=4865640015090004803",
        orders: [{
          order_id: "4865640015090004803", platform: "taobao", seller_nick: "好物数码", status_text: "卖家已发货", actual_fee: "47.40",
          created_at: "2025-11-08T03:44:47+08:00", paid_at: "2025-11-08T03:45:10+08:00", shipped_at: "2025-11-09T16:20:00+08:00",
          logistics: { company: "圆通速递", tracking_no: "YT7524689513570" },
          items: [{ sub_order_id: "4865640015090004803", title: "无线蓝牙耳机 降噪版", sku: "颜色分类：白色", unit_price: "47.40", quantity: 1,
            snapshot_url: "https://buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID=4865640015090004803" }],
        }],
      },
    ],
  });
})();
