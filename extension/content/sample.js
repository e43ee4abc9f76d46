// A masked sample of the page for a bug report, made when no translator could read the
// page's orders (Taobao changed the page). It is saved as a file on this computer by the
// buyer; nothing is sent anywhere. Masking is deny-by-default: every run of letters or
// Chinese characters becomes ＊/x unless it is page vocabulary (labels, statuses — the
// words a translator needs), so names, nicknames, addresses and shop names go without
// having to be recognised; digit runs of 5–15 (phones, postcodes, waybills, user ids)
// become 0s. Kept: the markup's structure (tags, class names, ids), order ids (16–24
// digits), dates, amounts, and the page's embedded data and responses, masked the same way.
/* global Tousu, TousuSites */
(() => {
  // Vocabulary a sample keeps, beyond the form labels and option words the translators list.
  const WORDS = [
    "已买到的宝贝", "订单号", "订单编号", "订单详情", "订单信息", "订单状态", "当前订单状态", "创建时间", "成交时间", "下单时间",
    "付款时间", "支付时间", "发货时间", "确认收货", "收货时间", "交易成功", "交易关闭", "卖家已发货", "商家已发货", "买家已付款",
    "等待买家付款", "等待卖家发货", "等待买家确认", "待确认收货", "运输中", "已签收", "派送中", "实付款", "总价", "商品总价", "含运费", "运费",
    "物流公司", "快递公司", "运单号", "运单号码", "快递单号", "查看物流", "交易快照", "再次购买", "申请售后", "退款/退货", "投诉卖家",
    "确认收货", "延长收货时间", "删除订单", "宝贝", "宝贝属性", "数量", "单价", "状态", "服务", "操作", "天猫", "淘宝", "店铺", "商家",
    "卖家", "卖家昵称", "收货人", "收货地址", "买家留言", "支付宝交易号", "拍下宝贝", "拍下商品", "付款到支付宝", "卖家发货", "评价", "更多",
    "颜色分类", "尺码", "尺寸", "保险服务", "运费险", "退货宝", "包裹", "全部", "所有订单", "待付款", "待发货", "待收货", "待评价",
    "上一页", "下一页", "加载更多", "复制",
  ];
  const LATIN = new Set(["tmall", "taobao", "https", "http", "www", "com", "htm", "html", "id", "px"]);

  let vocab = null;
  function vocabulary() {
    if (vocab) return vocab;
    const words = new Set(WORDS);
    for (const t of TousuSites.all) {
      for (const group of [t.labels, t.reasons, t.kinds]) for (const list of Object.values(group || {})) for (const w of list) words.add(w);
      if (t.label) for (const w of t.label.split(/[（）()]/)) if (w) words.add(w);
    }
    const alternation = [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|");
    vocab = new RegExp(alternation, "g");
    return vocab;
  }

  const HAN = "\\u3400-\\u9fff\\uf900-\\ufaff";
  const TOKEN = new RegExp(`(\\d{4}[-/.年]\\d{1,2}[-/.月]\\d{1,2}日?(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2})?)?)|(\\d{16,24})|(\\d{1,9}\\.\\d{1,2}(?!\\d))|(\\d+)|([A-Za-z]+)|([${HAN}]+)`, "g");

  function maskHan(run) {
    const re = vocabulary();
    let out = "";
    let at = 0;
    re.lastIndex = 0;
    for (let m = re.exec(run); m; m = re.exec(run)) {
      out += "＊".repeat(m.index - at) + m[0];
      at = m.index + m[0].length;
    }
    return out + "＊".repeat(run.length - at);
  }

  const maskText = (s) => String(s).replace(TOKEN, (all, date, id, amount, num, latin, han) => {
    if (date || id || amount) return all;
    if (num) return num.length >= 5 ? "0".repeat(num.length) : num;
    if (latin) return LATIN.has(latin.toLowerCase()) ? latin : "x".repeat(latin.length);
    return maskHan(han);
  });

  // A link keeps its scheme, host and path (Taobao's paths are structure); the values of
  // its query are masked like text, so ids stay and nicknames do not.
  function maskUrl(u) {
    try {
      const url = new URL(u, location.href);
      for (const [k, v] of [...url.searchParams]) url.searchParams.set(k, maskText(v));
      url.hash = url.hash ? maskText(url.hash) : "";
      return url.href;
    } catch (_) { return maskText(u); }
  }

  function maskJson(v) {
    if (typeof v === "string") return /^(https?:)?\/\//.test(v) ? maskUrl(v) : maskText(v);
    if (typeof v === "number") {
      const n = String(Math.trunc(Math.abs(v))).length; // ids that are still safe numbers: user ids, phones
      return n >= 5 && n < 16 ? 0 : v;
    }
    if (Array.isArray(v)) return v.map(maskJson);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskJson(x)]));
    return v;
  }

  const STRUCTURE_ATTRS = new Set(["class", "id", "style", "type", "role", "for", "name", "rel", "charset", "lang", "dir", "tabindex", "width", "height", "colspan", "rowspan"]);
  const URL_ATTRS = new Set(["href", "src", "action", "poster", "data-src"]);

  // The page's markup minus scripts (their data is in `blobs`), comments and our own UI.
  function maskedHtml() {
    const clone = document.documentElement.cloneNode(true);
    clone.querySelectorAll("[data-tousu-host], script, noscript, iframe, object, embed").forEach((el) => el.remove());
    const walker = document.createTreeWalker(clone, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT | NodeFilter.SHOW_COMMENT);
    const comments = [];
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (n.nodeType === Node.COMMENT_NODE) { comments.push(n); continue; }
      if (n.nodeType === Node.TEXT_NODE) {
        if (!n.parentNode || n.parentNode.nodeName !== "STYLE") n.nodeValue = maskText(n.nodeValue);
        continue;
      }
      for (const attr of [...n.attributes]) {
        const name = attr.name.toLowerCase();
        if (STRUCTURE_ATTRS.has(name)) continue;
        n.setAttribute(attr.name, URL_ATTRS.has(name) ? maskUrl(attr.value) : maskText(attr.value));
      }
      if (n.nodeName === "INPUT" || n.nodeName === "TEXTAREA") n.removeAttribute("value");
    }
    comments.forEach((c) => c.remove());
    return "<!DOCTYPE html>\n" + clone.outerHTML;
  }

  // report: what the page showed against what the translators read (orders.js).
  function build({ report, translators, responses }) {
    const blobs = [];
    for (const t of translators) {
      for (const b of t.blobs) {
        const data = Tousu.extractBlob(document, b.marker, b.kind);
        if (data) blobs.push({ translator: t.id, marker: b.marker, data: maskJson(data) });
      }
    }
    const seen = responses.map((r) => {
      let data;
      try { data = maskJson(Tousu.parseResponseText(r.text)); } catch (_) { data = maskText(r.text.slice(0, 200000)); }
      return { url: maskUrl(r.url), data };
    });
    return {
      about: "投诉助手 page sample for a bug report: names, nicknames, addresses, phone numbers and other text are masked; order ids, dates and amounts are kept.",
      extension_version: chrome.runtime.getManifest().version,
      url: maskUrl(location.href), title: maskText(document.title),
      report, translators: translators.map((t) => t.id),
      html: maskedHtml(), blobs, responses: seen,
    };
  }

  // A Blob link clicked from the page: the file lands in the buyer's downloads folder.
  function download(sample) {
    const blob = new Blob([JSON.stringify(sample, null, 2)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `tousu-sample-${location.hostname}-${Date.now()}.json`;
    a.setAttribute("data-tousu-host", "sample-link");
    (document.body || document.documentElement).append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 10000);
    return a.download;
  }

  Tousu.sample = { build, download, maskText, maskJson, maskUrl };
})();
