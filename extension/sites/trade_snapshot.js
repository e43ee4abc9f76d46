// 交易快照 (the listing as it was when the buyer ordered): buyertrade.taobao.com or
// trade.taobao.com /trade/detail/tradeSnap.htm?tradeID=<SUB id> (Taobao's detail page
// spells it trade_id=). The page needs the buyer's login, so the helper's own browser
// cannot capture it; the buyer's tab saves it. What the page is: the sub-order it shows.
(() => {
  const S = globalThis.TousuSites;
  S.register({
    id: "trade_snapshot",
    label: "交易快照",
    kind: "snapshot",
    matches: ["https://buyertrade.taobao.com/trade/detail/tradeSnap.htm*", "https://trade.taobao.com/trade/detail/tradeSnap.htm*"],
    detect: (doc) => /交易快照|snapshot/i.test(doc.title + " " + (doc.body ? doc.body.textContent.slice(0, 2000) : "")),
    subOrder: (url) => S.fields.snapshotId(url),
    tests: [
      { page: "https://buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID=4865640015090004803&snapShot=true",
        subOrder: "4865640015090004803" },
    ],
  });
})();
