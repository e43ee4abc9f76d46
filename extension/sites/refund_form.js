// 退款/退货 and 申请售后 forms (refund2.taobao.com/dispute/apply.htm after applyRouter or
// taobaoAfterDisputeRedirect; Tmall: refund2.tmall.com/dispute/disputeRedirect.htm). The
// URL names the SUB-order (bizOrderId / tradeId). Words as the real page shows them:
// 退款原因 (today a div.mod-select-pc whose options come from the server per order, service
// type and goods state), 服务类型 仅退款 / 退货退款 / 换货, 货物状态 未收到货 / 已收到货 (未发货
// before shipping), 退款金额 (hint "可修改，最多¥X"), 补充描述和凭证 (200 characters). Its 提交
// is a div.button-item in #submitButtonContainer_1, not a <button>.
(() => {
  const S = globalThis.TousuSites;
  S.register({
    id: "refund_form",
    label: "退款/售后申请",
    kind: "form",
    matches: ["https://refund2.taobao.com/*", "https://refund2.tmall.com/*"],
    detect: (doc) => /退款原因|服务类型|退款金额/.test(doc.body ? doc.body.textContent : ""),
    idParams: { sub: ["bizOrderId", "tradeId", "subOrderId"], main: ["bizId", "orderId", "mainOrderId"] },
    labels: {
      reason: ["退款原因", "退货原因", "申请原因"],
      description: ["补充描述和凭证", "补充描述", "退款说明", "申请说明"],
      amount: ["退款金额"],
      kind: ["服务类型", "售后类型"],
      goods: ["货物状态"],
    },
    // 货物状态 as the page words it, by what the case knows (today's page asks it before it
    // offers the reasons, whose list depends on it).
    goods: { unshipped: ["未发货"], not_received: ["未收到货"], received: ["已收到货"] },
    // Our complaint types as the page's reason words (shared DOMAIN.md §2), best first.
    reasons: {
      quality_problem: ["质量问题"],
      not_as_described: ["与商品描述不符"],
      counterfeit: ["假冒品牌/产品", "假冒品牌"],
      damaged_or_missing: ["包装/商品破损", "少件/漏发"],
      wrong_item: ["卖家发错货"],
      late_shipment: ["未按约定时间发货"],
      not_received: ["未收到商品"],
      false_advertising: ["与商品描述不符"],
      other: ["其他"],
    },
    kinds: { refund_only: ["仅退款"], return_refund: ["退货退款"], exchange: ["换货"] },
    submit: { selectors: [".button-item"], words: ["提交", "确定提交", "提交申请", "确认提交"] },
    tests: [
      { page: "https://refund2.taobao.com/dispute/apply.htm?bizOrderId=4865640015090004803",
        fields: { reason: "dropdown", kind: "radio", goods: "radio", amount: "text", description: "text" }, maxLength: 200 },
      { page: "https://refund2.tmall.com/dispute/disputeRedirect.htm?tradeId=2938475610293847563",
        fields: { reason: "dropdown", kind: "radio", goods: "radio", amount: "text", description: "text" }, maxLength: 200 },
      // today's page: only 服务类型 until it is chosen; the 200 characters shown as "0/200"
      { page: "https://refund2.taobao.com/dispute/applyRouter.htm?bizOrderId=4865640015090004803",
        waitFor: ".mod-select-pc", fields: { kind: "modselect", description: "text" }, maxLength: 200 },
      { page: "https://refund2.taobao.com/dispute/taobaoAfterDisputeRedirect.htm?tradeId=2938475610293847562",
        fields: { reason: "select", kind: "select", amount: "text", description: "text" }, maxLength: 200 },
    ],
  });
})();
