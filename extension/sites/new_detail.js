// 订单详情, new generation (trade.taobao.com/trade/detail/trade_order_detail.htm?biz_order_id=):
// no embedded data, so the rendered page is read: #headerContainer (or #headerP1Container)
// holds the status, each parcel a header [class^="logisticsPackageHeader--"] with the
// carrier [class^="logisticsPackageEXTxt--"] and the waybill [class^="logisticsPackageNo--"]
// (class names carry build hashes: match by prefix), dates as "label：value" lines, and
// the goods as 交易快照 links whose tradeID is the sub-order.
(() => {
  const S = globalThis.TousuSites;
  const HEADER = "#headerContainer, #headerP1Container";
  const prefixed = (name) => `[class^="${name}--"], [class*=" ${name}--"]`;

  function fromPage(doc, page) {
    const F = S.fields;
    const id = F.urlParam(page.url, ["biz_order_id", "bizOrderId"]);
    if (!id || !doc.querySelector(HEADER)) return [];
    const body = doc.body.innerText || doc.body.textContent || "";
    const after = (names) => {
      for (const n of names) {
        const m = new RegExp(n + "\\s*[:：]?\\s*([^\\n]+)").exec(body);
        if (m) return m[1].trim();
      }
      return null;
    };
    const parcel = doc.querySelector(prefixed("logisticsPackageHeader")) || doc;
    const trackingEl = parcel.querySelector(prefixed("logisticsPackageNo"));
    const companyEl = parcel.querySelector(`${prefixed("logisticsPackageEXTxt")}, ${prefixed("logisticsPackageCompany")}`);
    const tracking = trackingEl ? F.text(trackingEl).replace(/^.*?[:：]/, "").replace(/复制$/, "").trim() : after(["运单号码", "运单号", "快递单号"]);
    const items = [];
    for (const a of doc.querySelectorAll('a[href*="tradeSnap.htm"]')) {
      const sub = F.snapshotId(F.absUrl(a.getAttribute("href"), page.url));
      if (sub && !items.some((i) => i.sub_order_id === sub)) items.push({ sub_order_id: sub, snapshot_url: F.snapshotUrl(sub), quantity: 1 });
    }
    const order = F.clean({
      order_id: id, platform: "taobao",
      created_at: F.chinaTime(after(["创建时间", "下单时间"])), paid_at: F.chinaTime(after(["付款时间", "支付时间"])),
      shipped_at: F.chinaTime(after(["发货时间"])), received_at: F.chinaTime(after(["确认收货时间", "收货时间"])),
      items, detail_url: page.url.split("#")[0], source_url: page.url.split("#")[0],
    });
    if (tracking) order.logistics = F.clean({ company: F.str(companyEl ? F.text(companyEl) : after(["物流公司", "快递公司"])), tracking_no: F.str(tracking, 64) });
    return [order];
  }

  S.register({
    id: "new_detail",
    label: "订单详情（新版）",
    kind: "detail",
    matches: ["https://trade.taobao.com/trade/detail/*"],
    excludes: ["https://trade.taobao.com/trade/detail/tradeSnap.htm*"],
    detect: (doc) => !!doc.querySelector(HEADER),
    fromDom: fromPage,
    anchor: (doc) => doc.querySelector(HEADER),
    tests: [
      {
        page: "https://trade.taobao.com/trade/detail/trade_order_detail.htm?biz_order_id=4211112223334445551",
        orders: [{
          order_id: "4211112223334445551", platform: "taobao", created_at: "2025-11-20T12:00:01+08:00",
          paid_at: "2025-11-20T12:01:30+08:00", shipped_at: "2025-11-21T18:00:00+08:00",
          logistics: { company: "中通快递", tracking_no: "78901234567890" },
          items: [{ sub_order_id: "4211112223334445551" }],
        }],
      },
    ],
  });
})();
