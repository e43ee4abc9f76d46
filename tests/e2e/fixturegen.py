"""Generates the order-page fixtures under tests/fixtures/site/ (run: python -m tests.e2e.fixturegen).

The pages are built the way Taobao's are (shared/DOMAIN.md §1): the legacy list embeds
`var data = JSON.parse('…')` whose sub-order ids are JSON *numbers* (19 digits, so a
browser's JSON.parse loses precision), pages 2+ arrive GBK-encoded from asyncBought, the
new SPA fetches mtop queryboughtlistV2 and renders `shopOrderContainer_<id>` rows with
hashed class names. The generated files are committed; `heavy_list_page(n)` is used
by the benchmark at run time.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
LIST_DIR = SITE / "buyertrade.taobao.com" / "trade" / "itemlist"

# --- the orders (facts the tests assert on) -------------------------------------------------

TAOBAO_SINGLE = "4865640015090004803"      # as a JS number: 4865640015090005000
TMALL_MULTI = "2938475610293847561"
TMALL_SUB_1 = "2938475610293847562"
TMALL_SUB_2 = "2938475610293847563"
TMALL_INSURANCE = "2938475610293847564"
CLOSED = "3019283746501928374"
OLD16 = "1234567890123457"                  # an older 16-digit id, still > 2**53
PAGE2_A = "4001112223334445556"
PAGE2_B = "4001112223334445557"
GBK_ORDER = "5123456789012345678"


def sub(sub_id: str, item_id: str | None, title: str, price: str, qty: Any, sku=None, tmall=False):
    info: dict[str, Any] = {"title": title, "skuText": sku or [], "pic": "//img.alicdn.com/x.jpg"}
    if item_id:
        info.update({
            "id": int(item_id),
            "itemUrl": (f"//detail.tmall.com/item.htm?id={item_id}" if tmall else f"//item.taobao.com/item.htm?id={item_id}"),
            "snapUrl": f"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={sub_id}",
            "pcH5SnapUrl": f"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={sub_id}&snapShot=true",
        })
    return {"id": int(sub_id), "quantity": qty, "priceInfo": {"realTotal": price, "original": price},
            "itemInfo": info, "operations": [{"style": "t0", "text": "申请售后", "url": f"//refund2.taobao.com/dispute/applyRouter.htm?bizOrderId={sub_id}"}]}


def main_order(oid: str, *, tmall=False, shop, nick, created, fee, status, trade_status, subs):
    detail = (f"//trade.tmall.com/detail/orderDetail.htm?bizOrderId={oid}" if tmall
              else f"//trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId={oid}")
    return {"id": oid, "orderInfo": {"createTime": created, "createDay": created[:10], "b2C": tmall, "archive": False},
            "seller": {"id": 2200000001, "nick": nick, "shopName": shop, "shopUrl": "//shop.taobao.com"},
            "payInfo": {"actualFee": fee, "postFees": [{"prefix": "(含运费：", "value": "￥0.00", "suffix": ")"}]},
            "statusInfo": {"text": status, "url": detail, "operations": []},
            "extra": {"tradeStatus": trade_status}, "subOrders": subs}


PAGE1 = [
    main_order(TAOBAO_SINGLE, shop="好物数码旗舰店", nick="好物数码", created="2025-11-08 03:44:47", fee="47.40",
               status="卖家已发货", trade_status="WAIT_BUYER_CONFIRM_GOODS",
               subs=[sub(TAOBAO_SINGLE, "712345678901", "无线蓝牙耳机 降噪版", "47.40", "1",
                         [{"name": "颜色分类", "value": "白色"}])]),
    main_order(TMALL_MULTI, tmall=True, shop="优品家居天猫旗舰店", nick="优品家居旗舰店", created="2025-10-30 21:05:11",
               fee="186.28", status="交易成功", trade_status="TRADE_FINISHED",
               subs=[sub(TMALL_SUB_1, "634567890123", "纯棉四件套 1.8m床", "79.14", {"count": "2"},
                         [{"name": "颜色", "value": "灰色"}, {"name": "尺寸", "value": "1.8m"}], tmall=True),
                     sub(TMALL_SUB_2, "634567890124", "记忆棉枕头", "28.00", "1", tmall=True),
                     sub(TMALL_INSURANCE, None, "保险服务 - 退货运费险", "0.00", "1")]),
    main_order(CLOSED, shop="小店甲", nick="小店甲", created="2025-09-01 10:00:00", fee="12.00",
               status="交易关闭", trade_status="TRADE_CLOSED",
               subs=[sub(CLOSED, "600000000001", "手机壳", "12.00", "1")]),
    main_order(OLD16, shop="老店", nick="老店掌柜", created="2019-05-20 13:14:00", fee="99.00",
               status="交易成功", trade_status="TRADE_FINISHED",
               subs=[sub(OLD16, "500000000002", "保温杯 500ml", "99.00", "1")]),
]
PAGE2 = [
    main_order(PAGE2_A, shop="第二页店铺", nick="第二页", created="2025-08-01 08:00:00", fee="10.50",
               status="交易成功", trade_status="TRADE_FINISHED",
               subs=[sub(PAGE2_A, "600000000010", "数据线 1米 快充", "10.50", {"count": "1"})]),
    main_order(PAGE2_B, tmall=True, shop="天猫超市", nick="天猫超市", created="2025-07-15 19:30:00", fee="65.00",
               status="卖家已发货", trade_status="WAIT_BUYER_CONFIRM_GOODS",
               subs=[sub(PAGE2_B, "600000000011", "洗衣液 3kg", "32.50", "2", tmall=True)]),
]
GBK_PAGE = [
    main_order(GBK_ORDER, shop="中文编码测试店", nick="编码掌柜", created="2025-06-06 06:06:06", fee="66.60",
               status="卖家已发货", trade_status="WAIT_BUYER_CONFIRM_GOODS",
               subs=[sub(GBK_ORDER, "612345678900", "龘靐齉 生僻字毛巾（纯棉）", "33.30", "2")]),
]


def blob(orders: list[dict], page: int = 1, total: int = 2) -> dict:
    return {"error": "", "extra": {}, "mainOrders": orders, "page": {"currentPage": page, "pageSize": 15, "totalPage": total},
            "query": {}, "tabs": [{"id": "all", "text": "所有订单"}]}


def raw_json(data: Any) -> str:
    """JSON text in which every sub-order id stays a raw 19-digit number."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def js_literal(text: str) -> str:
    """The text as Taobao writes it inside JSON.parse('…'): \\" \\/ and uppercase \\uXXXX."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "'":
            out.append("\\'")
        elif ch == "/":
            out.append("\\/")
        elif ord(ch) > 126:
            out.append("".join(f"\\u{u:04X}" for u in _utf16(ch)))
        else:
            out.append(ch)
    return "".join(out)


def _utf16(ch: str) -> list[int]:
    b = ch.encode("utf-16-be")
    return [int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2)]


def legacy_rows(orders: list[dict]) -> str:
    rows = []
    for mo in orders:
        subs = "".join(
            f'<tr><td class="sol-mod__no-br___3Ev-2"><a href="{html.escape(s["itemInfo"].get("itemUrl", "#"))}">'
            f'{html.escape(s["itemInfo"]["title"])}</a> '
            + (f'<a href="{html.escape(s["itemInfo"]["snapUrl"])}">[交易快照]</a>' if s["itemInfo"].get("snapUrl") else "")
            + f'</td><td><span class="price-mod__price___cYafX">￥{s["priceInfo"]["realTotal"]}</span></td>'
            f'<td>{s["quantity"]["count"] if isinstance(s["quantity"], dict) else s["quantity"]}</td></tr>'
            for s in mo["subOrders"])
        rows.append(
            f'<div class="bought-wrapper-mod__trade-order___2lrzh trade-order-container" data-id="{mo["id"]}">'
            f'<table class="bought-table-mod__table___AnaXt"><tbody class="bought-wrapper-mod__head___2vnqo"><tr>'
            f'<td class="bought-wrapper-mod__head-info-cell___29cDO">'
            f'<span class="bought-wrapper-mod__create-time___yNWVS">{mo["orderInfo"]["createDay"]}</span> '
            f'<span>订单号: <span>{mo["id"]}</span></span></td>'
            f'<td><span class="seller-mod__container___zFAFV"><a class="seller-mod__name___2IlQm">{html.escape(mo["seller"]["nick"])}</a></span></td>'
            f'<td>{html.escape(mo["statusInfo"]["text"])}</td></tr></tbody><tbody>{subs}</tbody></table></div>')
    return "\n".join(rows)


LEGACY_SCRIPT = r"""
<script>
// What the real page does with its data: JS numbers for ids (precision lost), and
// page 2 fetched with XHR from asyncBought.htm, answered in GBK.
window.__renderedIds = (data.mainOrders || []).map(function (o) { return o.subOrders.map(function (s) { return s.id; }); });
document.getElementById('next-page').addEventListener('click', function () {
  var xhr = new XMLHttpRequest();
  xhr.open('POST', '/trade/itemlist/asyncBought.htm?action=itemlist/BoughtQueryAction&event_submit_do_query=1&_input_charset=utf8');
  xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
  xhr.onload = function () {
    var page = JSON.parse(xhr.responseText);
    var box = document.getElementById('orders');
    box.innerHTML = '';
    page.mainOrders.forEach(function (mo) {
      var div = document.createElement('div');
      div.className = 'bought-wrapper-mod__trade-order___2lrzh trade-order-container';
      div.setAttribute('data-id', mo.id);
      div.innerHTML = '<table><tbody><tr><td class="bought-wrapper-mod__head-info-cell___29cDO">' +
        '<span class="bought-wrapper-mod__create-time___yNWVS">' + mo.orderInfo.createDay + '</span> 订单号: ' + mo.id +
        '</td><td><a class="seller-mod__name___2IlQm"></a></td></tr></tbody></table>';
      div.querySelector('a').textContent = mo.seller.nick;
      box.appendChild(div);
    });
    document.getElementById('page-no').textContent = '2';
  };
  xhr.send('pageNum=2&pageSize=15&prePageNo=1');
});
// A newer build of the page asks with fetch() and decodes the GBK bytes itself.
document.getElementById('next-page-fetch').addEventListener('click', function () {
  fetch('/trade/itemlist/asyncBought.htm?action=itemlist/BoughtQueryAction&pageNum=2', {method: 'POST'})
    .then(function (r) { return r.arrayBuffer(); })
    .then(function (buf) {
      var page = JSON.parse(new TextDecoder('gbk').decode(buf));
      document.getElementById('page-no').textContent = '2 (' + page.mainOrders.length + ')';
    });
});
</script>"""


def legacy_page(orders: list[dict], *, charset: str = "utf-8", rows: bool = True, title="已买到的宝贝") -> str:
    literal = js_literal(raw_json(blob(orders)))
    body_rows = legacy_rows(orders) if rows else "".join(
        f'<section class="x-unknown-layout"><p>{html.escape(o["seller"]["shopName"])}</p></section>' for o in orders)
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{title}</title>
<style>.bought-wrapper-mod__trade-order___2lrzh {{ border: 1px solid #ddd; margin: 8px; padding: 4px; }}</style>
</head><body>
<h1>已买到的宝贝</h1>
<div id="orders">{body_rows}</div>
<div class="pagination"><span id="page-no">1</span> <button id="next-page">下一页</button> <button id="next-page-fetch">加载更多</button></div>
<script>var data = JSON.parse('{literal}');</script>
{LEGACY_SCRIPT}
</body></html>
"""


# --- new SPA ------------------------------------------------------------------------------

SPA_A = "4211112223334445551"
SPA_TMALL = "4211112223334445561"
SPA_TMALL_SUB = "4211112223334445562"
SPA_DOM_ONLY = "4211112223334445571"


def spa_response() -> dict:
    d: dict[str, Any] = {}

    def order(oid, *, shop, seller, created, fee, status, items, tmall=False, logistics=None):
        d[f"shopInfo_{oid}"] = {"tag": "shopInfo", "id": oid, "fields": {
            "orderId": int(oid), "createTime": created, "shopName": shop, "sellerName": seller, "tradeTitle": status,
            "isTmall": tmall, "shopUrl": "//shop.tmall.com" if tmall else "//shop.taobao.com"}}
        for sub_id, item in items:
            d[f"orderItemInfo_{oid}_{sub_id}"] = {"tag": "orderItemInfo", "fields": {"item": item}}
        d[f"orderPayment_{oid}"] = {"tag": "orderPayment", "fields": {"actualFee": {"value": fee}}}
        d[f"orderStatus_{oid}"] = {"tag": "orderStatus", "fields": {
            "statusText": status, "detailUrl": f"//trade.taobao.com/trade/detail/trade_order_detail.htm?biz_order_id={oid}"}}
        if logistics:
            d[f"orderLogistics_{oid}"] = {"tag": "orderLogistics", "fields": {"packageViewList": [logistics]}}

    order(SPA_A, shop="新版店铺甲", seller="新版甲", created="2025-11-20 12:00:01", fee="￥59.90", status="卖家已发货",
          items=[(SPA_A, {"itemId": "720000000001", "title": "机械键盘 87键", "quantity": "1", "skuText": "轴体：红轴",
                          "itemUrl": "//item.taobao.com/item.htm?id=720000000001",
                          "snapshotUrl": f"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={SPA_A}",
                          "priceInfo": {"actualTotalFee": "￥59.90"}})],
          logistics={"cpName": "中通快递", "mailNo": "78901234567890"})
    order(SPA_TMALL, shop="新版天猫店", seller="新版天猫", created="2025-11-18 09:30:00", fee="￥194.28", status="交易成功",
          tmall=True,
          items=[(SPA_TMALL_SUB, {"itemId": "720000000002", "title": "空气炸锅 5L", "quantity": {"count": "2"},
                                  "itemUrl": "//detail.tmall.com/item.htm?id=720000000002",
                                  "priceInfo": {"actualTotalFee": "￥186.28"}}),
                 (SPA_TMALL_SUB[:-1] + "9", {"title": "保险服务", "quantity": "1", "priceInfo": {"actualTotalFee": "￥8.00"}})])
    d["pagination"] = {"fields": {"currentPage": 1, "pageSize": 20, "totalNumber": 3}}
    return {"api": "mtop.taobao.order.queryboughtlistv2", "v": "1.0", "ret": ["SUCCESS::调用成功"],
            "data": {"data": d, "hierarchy": {}, "linkage": {}}}


SPA_PAGE = r"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>我的淘宝 - 已买到的宝贝</title>
<style>.shopOrderContainer--a1B2c { border: 1px solid #eee; margin: 8px; padding: 6px; }</style></head>
<body><div id="ice-container"><div class="loading--x9Y8z">加载中…</div></div>
<script>
// The new SPA: no embedded blob; it asks mtop for the list and renders rows whose class
// names carry build hashes. One row (a cached order) is rendered without any data the
// extension can hook: the DOM fallback has to read it.
(function () {
  var url = 'https://h5api.m.taobao.com/h5/mtop.taobao.order.queryboughtlistv2/1.0/?jsv=2.7.2&appKey=12574478&t=1764000000000&sign=0&api=mtop.taobao.order.queryboughtlistV2&v=1.0&type=originaljson&dataType=json';
  fetch(url, { credentials: 'include' }).then(function (r) { return r.json(); }).then(function (resp) {
    var comps = resp.data.data, box = document.getElementById('ice-container');
    box.innerHTML = '';
    Object.keys(comps).forEach(function (key) {
      var m = /^shopInfo_(\d+)$/.exec(key); if (!m) return;
      var id = m[1], f = comps[key].fields;
      var row = document.createElement('div');
      row.id = 'shopOrderContainer_' + id; row.className = 'shopOrderContainer--a1B2c';
      var items = Object.keys(comps).filter(function (k) { return k.indexOf('orderItemInfo_' + id + '_') === 0; }).map(function (k) {
        var it = comps[k].fields.item;
        return '<div class="itemInfo--Qw3rT"><a class="title--Zx81a" href="' + (it.itemUrl || '#') + '">' + it.title + '</a>' +
          '<span class="itemInfoColPrice--p0O9i">' + it.priceInfo.actualTotalFee + '</span></div>';
      }).join('');
      row.innerHTML = '<div class="shopInfo--Lk2m3"><span class="shopInfoName--Hh7g6">' + f.shopName + '</span>' +
        '<span class="shopInfoOrderTime--Vb4n5">' + f.createTime + '</span>' +
        '<span class="shopInfoOrderId--Cc3d4">订单号：' + id + '</span>' +
        '<span class="shopInfoStatus--Ff5g6">' + comps['orderStatus_' + id].fields.statusText + '</span></div>' + items;
      box.appendChild(row);
    });
    var cached = document.createElement('div');
    cached.id = 'shopOrderContainer_%DOM_ONLY%'; cached.className = 'shopOrderContainer--a1B2c';
    cached.innerHTML = '<div class="shopInfo--Lk2m3"><span class="shopInfoName--Hh7g6">缓存小店</span>' +
      '<span class="shopInfoOrderTime--Vb4n5">2025-10-01 08:08:08</span>' +
      '<span class="shopInfoStatus--Ff5g6">交易成功</span></div>' +
      '<div class="itemInfo--Qw3rT"><a class="title--Zx81a" href="//item.taobao.com/item.htm?id=730000000009">台灯 护眼</a>' +
      '<a href="//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID=%DOM_ONLY%">[交易快照]</a>' +
      '<span class="itemInfoColPrice--p0O9i">￥88.00</span></div>';
    box.appendChild(cached);
  });
})();
</script></body></html>
""".replace("%DOM_ONLY%", SPA_DOM_ONLY)


# --- detail pages -------------------------------------------------------------------------

def taobao_detail() -> str:
    data = {
        "mainOrder": {"id": TAOBAO_SINGLE, "subOrders": [
            {"id": int(TAOBAO_SINGLE), "idStr": TAOBAO_SINGLE, "quantity": "1", "priceInfo": {"realTotal": "47.40"},
             "itemInfo": {"id": 712345678901, "title": "无线蓝牙耳机 降噪版", "itemUrl": "//item.taobao.com/item.htm?id=712345678901",
                          "auctionUrl": f"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={TAOBAO_SINGLE}",
                          "skuText": [{"name": "颜色分类", "value": "白色"}]}},
            {"id": int(TAOBAO_SINGLE) + 1, "quantity": "1", "itemInfo": {"title": "保险服务"}}]},
        "seller": {"nick": "好物数码", "shopName": "好物数码旗舰店"},
        "statusInfo": {"text": "卖家已发货"},
        "payInfo": {"actualFee": "47.40"},
        "deliveryInfo": {"logisticsName": "圆通速递", "logisticsNum": "YT7524689513570", "address": "（已隐藏）"},
        "orderInfo": {"lines": [{"content": [
            {"key": "订单编号", "content": [{"text": TAOBAO_SINGLE}]},
            {"key": "支付宝交易号", "content": [{"text": "2025110822001156781234567890"}]},
            {"key": "创建时间", "content": [{"text": "2025-11-08 03:44:47"}]},
            {"key": "付款时间", "content": [{"text": "2025-11-08 03:45:10"}]},
            {"key": "发货时间", "content": [{"text": "2025-11-09 16:20:00"}]}]}]},
    }
    literal = js_literal(raw_json(data))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>交易详情</title></head><body>
<div id="detail-panel"><h2 class="order-info">订单信息</h2><div id="app">交易详情加载中</div></div>
<script>var data = JSON.parse('{literal}');</script>
<script>document.getElementById('app').textContent = '订单编号：' + data.mainOrder.id + '  物流：' + data.deliveryInfo.logisticsName;</script>
</body></html>
"""


def tmall_detail() -> str:
    data = {
        "basic": {"lists": [
            {"key": "订单编号", "content": [{"type": "text", "text": TMALL_MULTI}]},
            {"key": "成交时间", "content": [{"type": "text", "text": "2025-11-02 10:00:00"}]},
            {"key": "付款时间", "content": [{"type": "text", "text": "2025-10-30 21:06:00"}]},
            {"key": "发货时间", "content": [{"type": "text", "text": "2025-10-31 09:15:00"}]},
            {"key": "卖家昵称", "content": [{"type": "text", "text": "优品家居旗舰店"}]}]},
        "orders": {"list": [{
            "logistic": {"content": [{"companyName": "顺丰速运", "mailNo": "SF1400238755123"}]},
            "status": [{"subOrders": [
                {"id": int(TMALL_SUB_1), "quantity": "2", "priceInfo": "79.14",
                 "itemInfo": {"title": "纯棉四件套 1.8m床", "itemUrl": "//detail.tmall.com/item.htm?id=634567890123",
                              "snapUrl": f"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={TMALL_SUB_1}"}},
                {"id": int(TMALL_SUB_2), "quantity": "1", "priceInfo": "28.00",
                 "itemInfo": {"title": "记忆棉枕头", "itemUrl": "//detail.tmall.com/item.htm?id=634567890124",
                              "snapUrl": f"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={TMALL_SUB_2}"}},
                {"id": int(TMALL_INSURANCE), "quantity": "1", "itemInfo": {"title": "保险服务 - 退货运费险"}}]}]}]},
        "overStatus": {"status": {"content": [{"text": "交易成功"}]}},
    }
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>订单详情 - 天猫</title></head><body>
<div id="J_OrderDetail"><h2 class="order-info">订单详情</h2></div>
<script>
var detailData = {raw_json(data)};
</script>
</body></html>
"""


NEW_DETAIL = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>订单详情</title></head><body>
<div id="headerContainer" class="header--Ab12c"><span class="statusText--Xy98z">卖家已发货</span></div>
<div class="orderInfo--Qq11w">
  <div>订单编号：{SPA_A}</div>
  <div>创建时间：2025-11-20 12:00:01</div>
  <div>付款时间：2025-11-20 12:01:30</div>
  <div>发货时间：2025-11-21 18:00:00</div>
</div>
<div class="logistics--Zz22x"><span class="logisticsPackageCompany--Ee33r">中通快递</span>
<span class="logisticsPackageNo--Rr44t">运单号：78901234567890</span></div>
<div><a href="//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={SPA_A}">交易快照</a></div>
</body></html>
"""


def heavy_list_page(n: int = 50) -> str:
    """A 50-order legacy list page (page 1 blob + rendered rows) for the benchmark."""
    orders = []
    for i in range(n):
        oid = str(4800000000000000000 + i * 1000003)
        subs = [sub(oid, str(710000000000 + i), f"测试商品 {i} 号 长标题" * 3, "19.90", {"count": "1"} if i % 2 else "1",
                    [{"name": "颜色", "value": "黑"}])]
        if i % 3 == 0:
            subs.append(sub(str(int(oid) + 1), str(710000100000 + i), f"配件 {i}", "5.00", "2"))
        orders.append(main_order(oid, tmall=bool(i % 4 == 0), shop=f"店铺{i}", nick=f"掌柜{i}",
                                 created="2025-10-01 10:00:00", fee="24.90", status="交易成功",
                                 trade_status="TRADE_FINISHED", subs=subs))
    return legacy_page(orders)


def main() -> None:
    LIST_DIR.mkdir(parents=True, exist_ok=True)
    (LIST_DIR / "list_bought_items.htm").write_text(legacy_page(PAGE1), encoding="utf-8")
    (LIST_DIR / "list_bought_items_norows.htm").write_text(legacy_page(PAGE1, rows=False), encoding="utf-8")
    (LIST_DIR / "list_bought_items.gbk.htm").write_bytes(legacy_page(GBK_PAGE, charset="gbk").encode("gbk"))
    (LIST_DIR / "asyncBought.gbk.json").write_bytes(raw_json(blob(PAGE2, page=2)).encode("gbk"))
    (LIST_DIR / "list_bought_items_new.htm").write_text(SPA_PAGE, encoding="utf-8")
    mtop = SITE / "h5api.m.taobao.com" / "h5" / "mtop.taobao.order.queryboughtlistv2" / "1.0"
    mtop.mkdir(parents=True, exist_ok=True)
    (mtop / "response.json").write_text(raw_json(spa_response()), encoding="utf-8")
    detail = SITE / "trade.taobao.com" / "trade" / "detail"
    detail.mkdir(parents=True, exist_ok=True)
    (detail / "trade_item_detail.htm").write_text(taobao_detail(), encoding="utf-8")
    (detail / "trade_order_detail.htm").write_text(NEW_DETAIL, encoding="utf-8")
    tmall = SITE / "trade.tmall.com" / "detail"
    tmall.mkdir(parents=True, exist_ok=True)
    (tmall / "orderDetail.htm").write_text(tmall_detail(), encoding="utf-8")
    # sanity: the ids really are raw numbers in the blob
    assert re.search(r'"id":' + TMALL_SUB_1, (LIST_DIR / "list_bought_items.htm").read_text()) is None  # escaped form
    print("fixtures written under", SITE)


if __name__ == "__main__":
    main()
