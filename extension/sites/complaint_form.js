// 投诉卖家/投诉商家 (rights.taobao.com, reached from complaint/redirect.jhtml?bizId=<MAIN id>).
// What is public about it: it submits a reason and sub-reason code, the items, proof
// images with a memo (sub-reasons seen: 未按约定时间发货, 缺货). Its field labels and limits
// are not public (shared DOMAIN.md §1, UNCONFIRMED): the labels below are our best guess
// and are matched loosely; the reason list is read from the page itself.
(() => {
  const S = globalThis.TousuSites;
  S.register({
    id: "complaint_form",
    label: "投诉卖家",
    kind: "form",
    matches: ["https://rights.taobao.com/*"],
    detect: (doc) => /投诉/.test(doc.body ? doc.body.textContent : ""),
    idParams: { sub: ["bizOrderId", "tradeId", "subOrderId"], main: ["bizId", "orderId", "mainOrderId"] },
    labels: {
      reason: ["投诉原因", "投诉类型", "问题类型"],
      description: ["投诉内容", "问题描述", "补充说明"],
      amount: ["退款金额", "申请金额"],
      kind: ["期望结果", "处理方式"],
    },
    reasons: {
      quality_problem: ["商品质量问题", "质量问题"],
      not_as_described: ["描述不符", "与商品描述不符"],
      counterfeit: ["假冒商品", "假冒品牌/产品"],
      damaged_or_missing: ["包装/商品破损", "少件/漏发"],
      wrong_item: ["卖家发错货"],
      late_shipment: ["未按约定时间发货"],
      not_received: ["未收到商品"],
      after_sales_refused: ["售后服务", "卖家拒绝售后"],
      false_advertising: ["虚假宣传"],
      other: ["其他"],
    },
    kinds: { refund_only: ["退款", "仅退款"], return_refund: ["退货退款"], exchange: ["换货"], reship: ["补发"],
      repair: ["维修"], compensation: ["赔偿"] },
    submit: { selectors: [], words: ["提交", "提交投诉", "确认提交"] },
    tests: [
      { page: "https://rights.taobao.com/complaint/complaint.htm?bizId=2938475610293847561",
        fields: { reason: "dropdown", kind: "radio", description: "text" }, maxLength: 500 },
    ],
  });
})();
