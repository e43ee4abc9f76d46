// Unit checks of the content scripts' pure helpers under Node (run by test_extract_unit.py).
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

globalThis.document = { scripts: [] };
globalThis.location = { href: "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm" };
const ext = path.resolve(__dirname, "../../extension");
for (const f of ["sites/registry.js", "sites/fields.js", "content/common.js", "sites/legacy_list.js"]) (0, eval)(fs.readFileSync(path.join(ext, f), "utf8"));
const T = globalThis.Tousu;
const F = globalThis.TousuSites.fields;

// exact ids, both parse paths
const json = '{"a":4865640015090004803,"b":[1234567890123457,-4865640015090004803,12,1.5e3,47.40],"s":"x:4865640015090004803,","n":{"id":9007199254740993}}';
for (const parse of [T.parseJSONExact, T._parseJSONQuotingBigInts]) {
  const d = parse(json);
  assert.equal(d.a, "4865640015090004803");
  assert.equal(String(d.b[0]), "1234567890123457");
  assert.equal(d.b[1], "-4865640015090004803");
  assert.deepEqual(d.b.slice(2), [12, 1500, 47.4]);
  assert.equal(d.s, "x:4865640015090004803,");
  assert.equal(d.n.id, "9007199254740993");
}
assert.equal(F.digits(4865640015090004803), null);          // already lost: refuse
assert.equal(F.digits(634567890123), "634567890123");
assert.equal(F.digits("4865640015090004803"), "4865640015090004803");

// JS string literal → JSON text (Taobao's escapes, and the slow path's extras)
assert.equal(T.unescapeJsLiteral(String.raw`{\"t\":\"\u4E2D\u6587\",\"u\":\"\/\/a\"}`), '{"t":"中文","u":"//a"}');
assert.equal(T.unescapeJsLiteral(String.raw`it\'s \x41\u{1F600}`), "it's A😀");
assert.equal(T.unescapeJsLiteral(String.raw`a\\\"b`), 'a\\"b');

// JSONP
assert.equal(T.parseResponseText('mtopjsonp3({"id":4865640015090004803})').id, "4865640015090004803");

// times and money
assert.equal(F.chinaTime("2025-11-08 03:44:47"), "2025-11-08T03:44:47+08:00");
assert.equal(F.chinaTime("2025年11月8日 3:04"), "2025-11-08T03:04:00+08:00");
assert.equal(F.money("￥1,194.28"), "1194.28");
assert.equal(F.money("47.4元"), "47.4");
assert.equal(F.absUrl("//item.taobao.com/item.htm?id=1"), "https://item.taobao.com/item.htm?id=1");
assert.equal(F.absUrl("javascript:alert(1)"), null);
assert.equal(F.urlParam("https://x.taobao.com/a?tradeID=4865640015090004803", ["tradeId"]), "4865640015090004803");

// legacy list mapping: pseudo-items, quantity shapes, sub id from the snapshot URL
const blob = T.parseJSONExact(JSON.stringify({ mainOrders: [{
  id: "2938475610293847561", orderInfo: { createTime: "2025-10-30 21:05:11", b2C: true },
  seller: { nick: "n", shopName: "s" }, payInfo: { actualFee: "186.28" }, statusInfo: { text: "交易成功", url: "//trade.tmall.com/detail/orderDetail.htm?bizOrderId=2938475610293847561" },
  subOrders: [
    { id: 1, quantity: { count: "2" }, priceInfo: { realTotal: "79.14" }, itemInfo: { id: 634567890123, title: "四件套", snapUrl: "//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID=2938475610293847562" } },
    { quantity: "1", priceInfo: { realTotal: "0.00" }, itemInfo: { title: "保险服务" } },
  ] }] }).replace('"id":1,', '"id":2938475610293847562,'));
const [o] = globalThis.TousuSites.get("legacy_list").fromBlob(blob, { url: location.href });
assert.equal(o.platform, "tmall");
assert.equal(o.items.length, 1);
assert.equal(o.items[0].sub_order_id, "2938475610293847562");
assert.equal(o.items[0].quantity, 2);
assert.equal(o.created_at, "2025-10-30T21:05:11+08:00");
console.log("extract unit checks: ok");
