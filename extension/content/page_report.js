// What the page showed against what the translators read. When the page shows order
// numbers no translator could read, or orders whose rows cannot be found on it (Taobao
// changed the page), the panel says so plainly and offers a masked sample of the page
// for a bug report, saved on this computer (content/sample.js).
/* global Tousu */
(() => {
  const M = (key, fallback, subs) => Tousu.msg(key, fallback, subs);
  const NUMBER_AFTER_LABEL = /订单(?:编)?号\s*[:：]?\s*(\d{16,24})/g;
  const SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|TEXTAREA)$/;

  // The order numbers the page shows as text next to 订单号/订单编号 (not in scripts, not
  // in our own UI): the orders a buyer sees, whatever the markup around them.
  function shownOrderIds(doc) {
    const parts = [];
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => {
        if (n.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
        return SKIP.test(n.nodeName) || n.hasAttribute("data-tousu-host") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      },
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) parts.push(n.nodeValue);
    return new Set([...parts.join("").matchAll(NUMBER_AFTER_LABEL)].map((m) => m[1]));
  }

  // orders: Map of what was read; rows: order rows matched; list: a list page.
  function judge({ orders, shown, rows, list }) {
    const known = new Set();
    for (const o of orders.values()) {
      known.add(o.order_id);
      for (const i of o.items || []) known.add(i.sub_order_id);
    }
    const missed = [...shown].filter((id) => !known.has(id));
    let kind = null;
    if (!orders.size && missed.length) kind = "unknown";
    else if (missed.length) kind = "missed";
    else if (list && orders.size && !rows) kind = "rows";
    return { kind, orders: orders.size, shown: shown.size, missed: missed.length, rows };
  }

  function sentence(r) {
    if (r.kind === "unknown") return M("reportUnknown", "投诉助手认不出这个页面上的订单（淘宝可能改版了）。");
    if (r.kind === "missed") return M("reportMissed", "本页显示 $1 笔订单，投诉助手只认出 $2 笔：有 $3 笔没有认出来（淘宝可能改版了）。", [r.orders + r.missed, r.orders, r.missed]);
    return M("reportRows", "认出了 $1 笔订单，但在页面上找不到它们所在的行：请在下面的列表里点「投诉助手」。", [r.orders]);
  }

  // makeSample: () => the sample object (orders.js knows the translators and responses).
  function show(report, makeSample) {
    if (!report.kind && !Tousu.ui.panel) return; // a page without orders, and nothing to say
    const p = Tousu.ui.ensurePanel();
    p.notices.setAttribute("data-tousu-page-checked", report.kind || "ok");
    let box = p.notices.querySelector("[data-tousu-page-report]");
    if (!report.kind) { if (box) box.remove(); return; }
    if (box && box.getAttribute("data-tousu-page-report") === report.kind) return;
    const h = Tousu.h;
    const status = h("div", { class: "muted", "data-tousu-sample-status": "" });
    const save = h("button", { class: "btn", "data-tousu-action": "save-sample", onclick: () => {
      const name = Tousu.sample.download(makeSample());
      status.textContent = M("sampleSaved", "样本已保存到下载文件夹：$1", [name]);
      status.setAttribute("data-tousu-state", "saved");
    } }, M("btnSaveSample", "保存本页样本（已遮盖个人信息）"));
    const next = h("div", { class: "report", "data-tousu-page-report": report.kind, role: "status",
      "data-tousu-missed": String(report.missed), "data-tousu-read": String(report.orders) },
    h("div", { class: "missing" }, sentence(report)),
    h("div", { class: "muted" }, M("reportSampleHint", "可以把本页的样本存到电脑上，附在问题反馈里：姓名、昵称、电话、地址等已遮盖，只留订单号、时间和金额。样本不会被发送到任何地方。")),
    h("div", { class: "row" }, save), status);
    if (box) box.replaceWith(next); else p.notices.prepend(next);
  }

  Tousu.pageReport = { shownOrderIds, judge, show };
})();
