"""Generates the order-page fixtures under tests/fixtures/site/ (run: python -m tests.e2e.fixturegen).

Each page is built from a public sample of the real page or response where one exists,
and says so in its header (`SOURCES` below), with the parts that are invented:
- the legacy list, its asyncBought pages and the Taobao/Tmall detail blobs follow real
  data saved in DF-wu/taobaoOrderExporter (resource/dataSamples/, commit 91a98838):
  `var data = JSON.parse('…')` whose sub-order ids are 19-digit JSON *numbers* (a
  browser's JSON.parse loses precision), `pcH5SnapUrl` carrying the MAIN id, detail
  `orderInfo.lines` namevalue pairs and `orderBar` steps, Tmall sub-orders without ids;
- the new list's mtop queryboughtlistV2 response follows a public one-order sample
  (components shopInfo_/orderItemInfo_/orderPayment_/orderStatus_/orderLogistics_ with
  `packagePreview.packageViewList`, `actualTotalFee` as the unit price);
- rendered rows and the new detail page follow shared/DOMAIN.md §1 and the selectors of
  yaotutu/wishop-extension (src/content/taobao/adapters/order-detail-adapter.ts).
Orders, shops, people and numbers are invented (no real buyer's data), except order id
4865640015090004803, taken from the public sample. The generated files are committed;
`heavy_list_page(n)` is used by the benchmark at run time.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
LIST_DIR = SITE / "buyertrade.taobao.com" / "trade" / "itemlist"
DF_WU = "DF-wu/taobaoOrderExporter, resource/dataSamples/{} (commit 91a98838c41cb15c50d47b00b8e05cbc4453e5d1)"

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
BUYER_ID = "2200000000009"                  # invented; memo links name the buyer
BUYER_NICK = "小明同学2024"                  # invented; the site bar greets the buyer by nick
SELLER_ID = 2200000001


def header(source: str, invented: str) -> str:
    """The provenance comment every fixture page starts with."""
    return f"<!-- Fixture. Source: {source}\n     Invented: {invented} -->\n"


def sub(sub_id: str, item_id: str | None, title: str, price: str, qty: Any, *, main_id: str, sku=None, tmall=False):
    """A legacy list sub-order in the shape of the public sample (orders.json mainOrders[].subOrders[])."""
    info: dict[str, Any] = {"title": title, "skuText": sku or [], "xtCurrent": False,
                            "pic": "//img.alicdn.com/imgextra/i1/O1CN01fixture_!!0-item_pic.jpg_80x80.jpg"}
    if item_id:
        info.update({
            "id": int(item_id), "skuId": int(item_id) * 10 + 1,
            "itemUrl": (f"//detail.tmall.com/item.htm?id={item_id}" if tmall else f"//item.taobao.com/item.htm?id={item_id}"),
            # the real pcH5SnapUrl names the MAIN order even for one item of several
            "pcH5SnapUrl": f"https://market.m.taobao.com/app/tp/snapshot-m/pages/entry/index.html?bizOrderId={main_id}",
            "snapUrl": f"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={sub_id}&snapShot=true",
            "snapshotUseH5": True,
            "serviceIcons": [{"linkTitle": "保障卡", "type": 3, "url": "//img.alicdn.com/tps/i2/T1S4ysXh8pXXXXXXXX-52-16.png",
                              "linkUrl": f"http://trade.taobao.com/trade/security/security_card.htm?bizOrderId={sub_id}"}],
        })
    return {"id": int(sub_id), "itemInfo": info, "priceInfo": {"realTotal": price}, "quantity": qty,
            "operations": [{"style": "t0", "text": "退款/退货", "url": f"//refund2.taobao.com/dispute/applyRouter.htm?bizOrderId={sub_id}"},
                           {"action": "a3", "attribute": "", "style": "t0", "text": "投诉卖家",
                            "dataUrl": f"//rights.taobao.com/complaint/redirect.jhtml?bizId={main_id}"}]}


def main_order(oid: str, *, tmall=False, shop, nick, created, fee, status, trade_status, subs):
    """A legacy list main order in the shape of the public sample (orders.json mainOrders[])."""
    detail = (f"//trade.tmall.com/detail/orderDetail.htm?bizOrderId={oid}" if tmall
              else f"//trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId={oid}")
    info: dict[str, Any] = {"createDay": created[:10], "createTime": created, "id": oid}
    if tmall:
        info["b2C"] = True
    return {
        "extra": {"bizType": 200, "currency": "CNY", "currencySymbol": "￥", "id": int(oid), "needDisplay": True,
                  "tradeStatus": trade_status, "visibility": True},
        "id": oid,
        "operations": [{"id": "flag", "style": "thead", "text": "编辑标记信息，仅自己可见", "type": "operation",
                        "url": f"//trade.taobao.com/trade/memo/update_buy_memo.htm?bizOrderId={oid}&buyerId={BUYER_ID}&user_type=0"}],
        "orderInfo": info,
        "payInfo": {"actualFee": fee, "postFees": [{"prefix": "(含运费", "suffix": ")", "value": "￥0.00"}]},
        "presentOrder": False,
        "seller": {"alertStyle": 0, "guestUser": False, "id": SELLER_ID, "nick": nick, "notShowSellerInfo": False,
                   "opeanSearch": False, "shopDisable": False, "shopName": shop, "wangwangType": "nonAlipay",
                   "shopUrl": f"//store.taobao.com/shop/view_shop.htm?user_number_id={SELLER_ID}"},
        "statusInfo": {"operations": [{"id": "viewDetail", "style": "t0", "text": "订单详情", "type": "operation", "url": detail}],
                       "text": status, "type": "t0", "url": detail},
        "subOrders": subs,
    }


PAGE1 = [
    main_order(TAOBAO_SINGLE, shop="好物数码旗舰店", nick="好物数码", created="2025-11-08 03:44:47", fee="47.40",
               status="卖家已发货", trade_status="WAIT_BUYER_CONFIRM_GOODS",
               subs=[sub(TAOBAO_SINGLE, "712345678901", "无线蓝牙耳机 降噪版", "47.40", "1", main_id=TAOBAO_SINGLE,
                         sku=[{"name": "颜色分类", "value": "白色", "visible": "SOLID"}])]),
    main_order(TMALL_MULTI, tmall=True, shop="优品家居天猫旗舰店", nick="优品家居旗舰店", created="2025-10-30 21:05:11",
               fee="186.28", status="交易成功", trade_status="TRADE_FINISHED",
               subs=[sub(TMALL_SUB_1, "634567890123", "纯棉四件套 1.8m床", "79.14", {"count": "2"}, main_id=TMALL_MULTI, tmall=True,
                         sku=[{"name": "颜色", "value": "灰色"}, {"name": "尺寸", "value": "1.8m"}]),
                     sub(TMALL_SUB_2, "634567890124", "记忆棉枕头", "28.00", "1", main_id=TMALL_MULTI, tmall=True),
                     sub(TMALL_INSURANCE, None, "保险服务 - 退货运费险", "0.00", "1", main_id=TMALL_MULTI)]),
    main_order(CLOSED, shop="小店甲", nick="小店甲", created="2025-09-01 10:00:00", fee="12.00",
               status="交易关闭", trade_status="TRADE_CLOSED",
               subs=[sub(CLOSED, "600000000001", "手机壳", "12.00", "1", main_id=CLOSED)]),
    main_order(OLD16, shop="老店", nick="老店掌柜", created="2019-05-20 13:14:00", fee="99.00",
               status="交易成功", trade_status="TRADE_FINISHED",
               subs=[sub(OLD16, "500000000002", "保温杯 500ml", "99.00", "1", main_id=OLD16)]),
]
PAGE2 = [
    main_order(PAGE2_A, shop="第二页店铺", nick="第二页", created="2025-08-01 08:00:00", fee="10.50",
               status="交易成功", trade_status="TRADE_FINISHED",
               subs=[sub(PAGE2_A, "600000000010", "数据线 1米 快充", "10.50", {"count": "1"}, main_id=PAGE2_A)]),
    main_order(PAGE2_B, tmall=True, shop="天猫超市", nick="天猫超市", created="2025-07-15 19:30:00", fee="65.00",
               status="卖家已发货", trade_status="WAIT_BUYER_CONFIRM_GOODS",
               subs=[sub(PAGE2_B, "600000000011", "洗衣液 3kg", "32.50", "2", main_id=PAGE2_B, tmall=True)]),
]
GBK_PAGE = [
    main_order(GBK_ORDER, shop="中文编码测试店", nick="编码掌柜", created="2025-06-06 06:06:06", fee="66.60",
               status="卖家已发货", trade_status="WAIT_BUYER_CONFIRM_GOODS",
               subs=[sub(GBK_ORDER, "612345678900", "龘靐齉 生僻字毛巾（纯棉）", "33.30", "2", main_id=GBK_ORDER)]),
]


def blob(orders: list[dict], page: int = 1, total: int = 2) -> dict:
    """The top level of `var data` / asyncBought, as in the public sample."""
    return {
        "error": "",
        "extra": {"asyncRequestUrl": "/trade/itemlist/asyncBought.htm?action=itemlist/BoughtQueryAction&event_submit_do_query=1&_input_charset=utf8",
                  "hasPageList": True, "i18n": "zh-CN", "mainBizOrderIds": "-".join(o["id"] for o in orders), "showB2BMenu": True},
        "mainOrders": orders,
        "page": {"currentPage": page, "globalCodes": [], "pageSize": 50, "queryForTitle": False,
                 "totalNumber": 50 * (total - 1) + len(orders), "totalPage": total},
        "query": {"pageNum": page, "pageSize": 50, "queryForV2": False},
        "tabs": [{"code": "all", "herf": "/trade/itemlist/list_bought_items.htm", "selected": True, "text": "所有订单", "type": "t1"},
                 {"code": "waitConfirm", "herf": "/trade/itemlist/list_bought_items.htm?tabCode=waitConfirm", "text": "待收货", "type": "t1"}],
    }


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


def _plain(text: str) -> str:
    return html.escape(text)


def machine_translated(words: dict[str, str]):  # noqa: ANN201
    """Text as Chrome's built-in translation leaves it: the English in two <font dir="auto">
    wrappers (what Chrome writes into the page), words it has no translation for as they were."""
    def tr(text: str) -> str:
        inner = html.escape(words.get(text, text))
        return ('<font dir="auto" style="vertical-align: inherit;"><font dir="auto" style="vertical-align: inherit;">'
                f"{inner}</font></font>")
    return tr


def _qty(s: dict) -> str:
    return str(s["quantity"]["count"] if isinstance(s["quantity"], dict) else s["quantity"])


def legacy_sub_row(s: dict, mo: dict, first: bool, span: int, tr) -> str:  # noqa: ANN001
    """One sub-order's <tr> as the real list renders it (the class names and nesting of a copy
    of the real page's markup: ml-mod/production-mod/price-mod/sol-mod, sku-item spans)."""
    info = s["itemInfo"]
    item_url = info.get("itemUrl")
    title = (f'<a href="{html.escape(item_url)}"><span></span><span style="line-height:16px;">{tr(info["title"])}</span><span></span></a>'
             if item_url else f'<span></span><span style="line-height:16px;">{tr(info["title"])}</span><span></span>')
    skus = "".join(f'<span class="production-mod__sku-item___1ZqJR"><span>{tr(k["name"])}</span><span>：</span><span>{tr(k["value"])}</span></span>'
                   for k in info.get("skuText") or [])
    snap = (f'<p><a href="{html.escape(info["snapUrl"])}" class="text-mod__link___1rXmw">{tr("[交易快照]")}</a></p>'
            if info.get("snapUrl") else "")
    media = (f'<div class="ml-mod__media___2sZrj" style="width:80px;"><a class="production-mod__pic___G8alD" href="{html.escape(item_url)}">'
             f'<img src="{html.escape(info["pic"])}"></a></div><div style="margin-left:90px;">' if item_url
             else '<div class="ml-mod__media___2sZrj" style="width:0;"></div><div style="margin-left:0;">')
    price = s["priceInfo"]["realTotal"]
    orig = s["priceInfo"].get("original")
    struck = f'<del class="price-mod__del___3kcDc"><span>￥</span><span>{orig}</span></del>' if orig else ""
    cells = [
        f'<td class="sol-mod__no-br___3Ev-2"><div class="ml-mod__container___2DOxT production-mod__production___123Ax suborder-mod__production___3WebF">'
        f'{media}<p>{title}</p><p>{skus}</p>{snap}</div></div></td>',
        (f'<td class="sol-mod__no-br___3Ev-2 price-td"><div class="price-mod__price___cYafX">'
         f'<p>{struck}</p>'
         f'<p><span>￥</span><span>{price}</span></p></div></td>') if item_url else
        '<td class="sol-mod__no-br___3Ev-2"><div class="price-mod__price___cYafX"><p></p></div></td>',
        f'<td class="sol-mod__no-br___3Ev-2"><div><p>{_qty(s)}</p></div></td>' if item_url else '<td class="sol-mod__no-br___3Ev-2"><div></div></td>',
        "<td><div>" + "".join(
            f'<p style="margin-bottom:3px;"><a href="{html.escape(op.get("url") or op.get("dataUrl"))}" class="text-mod__link___1rXmw text-mod__hover___1TDrR">{tr(op["text"])}</a></p>'
            for op in (s.get("operations") if item_url else [])) + "</div></td>",
    ]
    if first:
        detail = mo["statusInfo"]["url"]
        fee = mo["payInfo"]["actualFee"]
        cells += [
            f'<td rowspan="{span}"><div><div class="price-mod__price___cYafX"><p><strong><span>￥</span><span>{fee}</span></strong></p></div>'
            f'<p style="color:#6c6c6c;font-family:verdana;"><span>{tr("(含运费：")}</span><span>￥0.00</span><span>)</span></p></div></td>',
            f'<td rowspan="{span}"><div><p style="margin-bottom:3px;"><span class="text-mod__link___1rXmw">{tr(mo["statusInfo"]["text"])}</span></p>'
            f'<div><p style="margin-bottom:3px;"><a href="{html.escape(detail)}" class="text-mod__link___1rXmw text-mod__hover___1TDrR" id="viewDetail">{tr("订单详情")}</a></p></div></div></td>',
            f'<td rowspan="{span}"><div><p style="margin-bottom:3px;"><a class="text-mod__link___1rXmw text-mod__hover___1TDrR">{tr("再次购买")}</a></p></div></td>',
        ]
    return "<tr>" + "".join(cells) + "</tr>"


def legacy_rows(orders: list[dict], tr=_plain) -> str:  # noqa: ANN001
    """The orders as the legacy list renders them; `tr` writes each piece of page text (as it
    is, or as a machine translation leaves it)."""
    rows = []
    for mo in orders:
        subs = mo["subOrders"]
        body = "".join(legacy_sub_row(s, mo, i == 0, len(subs), tr) for i, s in enumerate(subs))
        rows.append(
            f'<div class="index-mod__order-container___1ur4- js-order-container">'
            f'<div class="bought-wrapper-mod__trade-order___2lrzh trade-order-container" data-id="{mo["id"]}">'
            f'<table class="bought-table-mod__table___AnaXt bought-wrapper-mod__table___3xFFM"><tbody class="bought-wrapper-mod__head___2vnqo"><tr>'
            f'<td class="bought-wrapper-mod__head-info-cell___29cDO"><label class="bought-wrapper-mod__checkbox-label___3Va60">'
            f'<span class="bought-wrapper-mod__checkbox___11anQ"><input type="checkbox"></span>'
            f'<span class="bought-wrapper-mod__create-time___yNWVS">{mo["orderInfo"]["createDay"]}</span></label> '
            f'<span><span>{tr("订单号")}</span><span>: </span><span>{mo["id"]}</span></span></td>'
            f'<td colspan="2" class="bought-wrapper-mod__seller-container___3dAK3"><span class="seller-mod__container___zFAFV">'
            f'<a class="seller-mod__name___2IlQm" href="{html.escape(mo["seller"]["shopUrl"])}">{tr(mo["seller"]["nick"])}</a></span></td>'
            f'<td><span></span></td><td colspan="3" class="bought-wrapper-mod__thead-operations-container___2LwDA"></td></tr></tbody>'
            f'<tbody>{body}</tbody></table></div></div>')
    return "\n".join(rows)


LEGACY_SCRIPT = r"""
<script>
// What the real page does with its data: JS numbers for ids (precision lost), and
// page 2 fetched with XHR from asyncBought.htm, answered in GBK.
window.__renderedIds = (data.mainOrders || []).map(function (o) { return o.subOrders.map(function (s) { return s.id; }); });
function renderRow(mo) {
  var div = document.createElement('div');
  div.className = 'bought-wrapper-mod__trade-order___2lrzh trade-order-container';
  div.setAttribute('data-id', mo.id);
  div.innerHTML = '<table><tbody class="bought-wrapper-mod__head___2vnqo"><tr><td class="bought-wrapper-mod__head-info-cell___29cDO">' +
    '<span class="bought-wrapper-mod__create-time___yNWVS">' + mo.orderInfo.createDay + '</span> 订单号: ' + mo.id +
    '</td><td><a class="seller-mod__name___2IlQm"></a></td></tr></tbody></table>';
  div.querySelector('a').textContent = mo.seller.nick;
  return div;
}
document.getElementById('next-page').addEventListener('click', function () {
  var xhr = new XMLHttpRequest();
  xhr.open('POST', '/trade/itemlist/asyncBought.htm?action=itemlist/BoughtQueryAction&event_submit_do_query=1&_input_charset=utf8');
  xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
  xhr.onload = function () {
    var page = JSON.parse(xhr.responseText);
    var box = document.getElementById('orders');
    box.innerHTML = '';
    page.mainOrders.forEach(function (mo) { box.appendChild(renderRow(mo)); });
    document.getElementById('page-no').textContent = '2';
  };
  xhr.send('pageNum=2&pageSize=15&prePageNo=1');
});
// A newer build of the page asks with fetch(), decodes the GBK bytes itself and adds the
// rows below the ones shown ("加载更多").
document.getElementById('next-page-fetch').addEventListener('click', function () {
  fetch('/trade/itemlist/asyncBought.htm?action=itemlist/BoughtQueryAction&pageNum=2', {method: 'POST'})
    .then(function (r) { return r.arrayBuffer(); })
    .then(function (buf) {
      var page = JSON.parse(new TextDecoder('gbk').decode(buf));
      var box = document.getElementById('orders');
      page.mainOrders.forEach(function (mo) { box.appendChild(renderRow(mo)); });
      document.getElementById('page-no').textContent = '2 (' + page.mainOrders.length + ')';
    });
});
</script>"""

LEGACY_SOURCE = (DF_WU.format("taobao_orders.html and orders.json") + ": the page keeps its data in "
                 "`var data = JSON.parse('…')` (escapes \\\" \\/ \\uXXXX, raw 19-digit sub-order ids) followed by "
                 "#J_bought_main, the blob's keys and value shapes; shared/DOMAIN.md §1 for the rows' class names.")
LEGACY_INVENTED = ("every order except the id of the first, all shops, nicks, items and amounts; the rows are written "
                   "into the page (the real one renders them with g.alicdn.com/tp/bought/…/index.js) and their nesting; "
                   "the pagination buttons and their script.")


def legacy_page(orders: list[dict], *, charset: str = "utf-8", rows: bool = True, title="已买到的宝贝",
                shown: list[dict] | None = None, tr=_plain, html_attrs: str = 'lang="zh-CN"',  # noqa: ANN001
                invented_too: str = "") -> str:
    """The legacy list: `orders` in the embedded blob; the rows show `shown` (default: the
    same orders, as a page fresh from the server does)."""
    literal = js_literal(raw_json(blob(orders)))
    body_rows = legacy_rows(orders if shown is None else shown, tr) if rows else "".join(
        f'<section class="x-unknown-layout"><p>{html.escape(o["seller"]["shopName"])}</p></section>' for o in orders)
    invented = LEGACY_INVENTED if rows else LEGACY_INVENTED + (" This variant's rows are an unknown layout that names "
                                                               "no order number (rows that cannot be matched).")
    return f"""<!DOCTYPE html>
{header(LEGACY_SOURCE, invented + invented_too)}<html {html_attrs}><head><meta charset="{charset}"><title>{title}</title>
<style>.bought-wrapper-mod__trade-order___2lrzh {{ border: 1px solid #ddd; margin: 8px; padding: 4px; }}</style>
</head><body id="list-bought-items" class="bought mytaobao-v1">
<div class="site-nav" id="J_SiteNav"><ul class="site-nav-bd-l"><li class="site-nav-menu site-nav-login" id="J_SiteNavLogin">
<a class="site-nav-login-info-nick" href="//i.taobao.com/my_taobao.htm">{BUYER_NICK}</a></li></ul></div>
<div id="page"><h1>{tr("已买到的宝贝")}</h1>
<script>
 var data = JSON.parse('{literal}');
 window.canUpgrade2Tm2 = JSON.parse('false');
 window.showNewOrderDetailPage = JSON.parse('false');
</script>
<div id="J_bought_main"><div id="orders">{body_rows}</div>
<div class="pagination"><span id="page-no">1</span> <button id="next-page">下一页</button> <button id="next-page-fetch">加载更多</button></div>
</div></div>
{LEGACY_SCRIPT}
</body></html>
"""


# --- rows that are not the embedded data ------------------------------------------------------
# The buyer paged on (or searched) before saving the page: the rows show other orders than
# the blob, which still holds page 1. One row (TMALL_MULTI) is in both.

PAGED_PIPES = "4400112233445566771"
PAGED_PIPES_SUBS = [str(int(PAGED_PIPES) + i) for i in range(1, 7)]
PAGED_BOXES = "4400112233445566781"
PAGED_BOXES_SUBS = [str(int(PAGED_BOXES) + 1), str(int(PAGED_BOXES) + 2)]
PIPE_ITEMS = [  # (title, unit price, quantity, sku)
    ("304不锈钢波纹管 4分 20cm", "12.50", 10, [("规格", "4分"), ("长度", "20cm")]),
    ("304不锈钢波纹管 4分 40cm", "18.00", 20, [("规格", "4分"), ("长度", "40cm")]),
    ("304不锈钢波纹管 6分 50cm", "26.00", 12, [("规格", "6分"), ("长度", "50cm")]),
    ("波纹管接头 4分内丝", "3.50", 40, []),
    ("304不锈钢波纹管 4分 1米", "39.00", 30, [("规格", "4分"), ("长度", "1m")]),
    ("波纹管管卡 U型", "0.70", 100, []),
]
PAGED = [
    main_order(PAGED_PIPES, shop="管材五金专营店", nick="管材五金", created="2025-11-12 09:30:15", fee="2171.00",
               status="交易成功", trade_status="TRADE_FINISHED",
               subs=[sub(sid, str(650000000001 + i), t, p, str(q), main_id=PAGED_PIPES,
                         sku=[{"name": k, "value": v} for k, v in sku])
                     for i, (sid, (t, p, q, sku)) in enumerate(zip(PAGED_PIPES_SUBS, PIPE_ITEMS))]),
    PAGE1[1],
    main_order(PAGED_BOXES, shop="收纳小铺", nick="收纳小铺", created="2025-11-15 20:11:02", fee="113.00",
               status="卖家已发货", trade_status="WAIT_BUYER_CONFIRM_GOODS",
               subs=[sub(PAGED_BOXES_SUBS[0], "660000000001", "桌面收纳盒 小号", "9.90", "8", main_id=PAGED_BOXES,
                         sku=[{"name": "颜色分类", "value": "白色"}]),
                     sub(PAGED_BOXES_SUBS[1], "660000000002", "免打孔挂钩 20只装", "33.80", "1", main_id=PAGED_BOXES),
                     sub(str(int(PAGED_BOXES) + 3), None, "保险服务 - 退货运费险", "0.00", "1", main_id=PAGED_BOXES)]),
]
PAGED_INVENTED = (" The rows show other orders than the blob (the buyer had paged on before saving); "
                  "only TMALL_MULTI is in both.")

# What Chrome's translation made of this page's words (English as its translation reads).
ENGLISH = {
    "已买到的宝贝": "Purchased items", "订单号": "Order number", "[交易快照]": "[Transaction snapshot]",
    "(含运费：": "(Including shipping:", "订单详情": "Order details", "再次购买": "Buy again",
    "交易成功": "Transaction successful", "卖家已发货": "The seller has shipped", "退款/退货": "Refund/Return",
    "投诉卖家": "Complain about the seller", "规格": "Specification", "长度": "Length", "颜色分类": "Color classification",
    "白色": "White", "颜色": "Color", "灰色": "Gray", "尺寸": "Size", "管材五金": "Pipe hardware", "收纳小铺": "Storage shop",
    "4分": "4 points", "6分": "6 points",
    "304不锈钢波纹管 4分 20cm": "304 stainless steel bellows 4 points 20cm",
    "304不锈钢波纹管 4分 40cm": "304 stainless steel bellows 4 points 40cm",
    "304不锈钢波纹管 6分 50cm": "304 stainless steel bellows 6 points 50cm",
    "波纹管接头 4分内丝": "Bellows connector 4 points internal thread",
    "304不锈钢波纹管 4分 1米": "304 stainless steel bellows 4 points 1 meter",
    "波纹管管卡 U型": "Bellows pipe clamp U type",
    "桌面收纳盒 小号": "Desktop storage box small", "免打孔挂钩 20只装": "Punch-free hooks 20 pack",
    "保险服务 - 退货运费险": "Insurance service - return shipping insurance",
    "纯棉四件套 1.8m床": "Cotton four-piece set 1.8m bed", "记忆棉枕头": "Memory foam pillow",
    "优品家居旗舰店": "Youpin Home Flagship Store",
}
TRANSLATED_INVENTED = (PAGED_INVENTED + " The page went through Chrome's built-in translation before it was saved: "
                       "every piece of text in two <font dir=\"auto\"> wrappers, English words (invented, in the "
                       "manner of that translation), <html lang=\"en\" class=\"translated-ltr\">.")


REDESIGN_PAGE = f"""<!DOCTYPE html>
{header("none: a hypothetical future 已买到的宝贝 that no translator knows (shared/DOMAIN.md §1 lists the two generations).",
        "all of it — no embedded data, no known rows, two orders that show their numbers, a recipient's name, phone and address.")}<html><head><meta charset="utf-8"><title>已买到的宝贝</title></head>
<body><div id="app-root-v3"><main class="boughtV3-list">
<article class="orderCard-Qz81"><header>订单号：4300000000000000001 · 2025-12-01 10:00:00 · 未来小店</header>
<p class="goods-Qz81">加湿器 4L · ￥129.00 · 卖家已发货</p>
<p class="receiver-Qz81">收货人：王小红 13812345678 浙江省杭州市西湖区文三路 100 号</p></article>
<article class="orderCard-Qz81"><header>订单号：4300000000000000002 · 2025-12-02 11:00:00 · 未来小店</header>
<p class="goods-Qz81">滤芯 2 个 · ￥39.00 · 交易成功</p></article>
</main></div></body></html>
"""


# --- new SPA ------------------------------------------------------------------------------

SPA_A = "4211112223334445551"
SPA_TMALL = "4211112223334445561"
SPA_TMALL_SUB = "4211112223334445562"
SPA_DOM_ONLY = "4211112223334445571"
SPA_DOM_MULTI = "4211112223334445581"
SPA_MULTI_ITEMS = [
    {"sub": "4211112223334445582", "item": "730000000021", "title": "硅胶铲 耐高温", "sku": "颜色：灰色", "price": "9.90", "qty": 8},
    {"sub": "4211112223334445583", "item": "730000000022", "title": "不粘锅 28cm", "sku": "尺寸：28cm", "price": "33.80", "qty": 1},
]
SPA_SOURCE = ("a public one-order sample of the mtop.taobao.order.queryboughtlistV2 response (a parser test in a public "
              "GitHub project whose name the code index did not record; found by the string "
              "'native$tbpc_bought_list_order_shop_info', order 5113222887354003142): component keys, `tag`/`id`/`type`/`fields`, "
              "shopInfo.{createDay, createTime, orderId, sellerName, shopName, tradeTitle}, orderStatus.{cpCode, mailNo, "
              "title}, orderLogistics.packagePreview.packageViewList[].{cpCode, cpName, mailNo, subOrderList}, "
              "orderItemInfo.item.{itemId, title, priceInfo.{actualTotalFee, promotion}, quantity}, "
              "orderPayment.{actualFee, totalFee}.{prefix, value}.")
SPA_INVENTED = ("the orders and values; shopInfo.isTmall and shopUrl (how the new list marks Tmall orders is not in "
                "the sample); item.skuText and item.itemUrl (absent from the sample); the pagination component.")


def spa_response() -> dict:
    d: dict[str, Any] = {}

    def order(oid, *, shop, seller, created, fee, total, status, items, tmall=False, parcel=None):
        d[f"shopInfo_{oid}"] = {"tag": "shopInfo", "id": oid, "type": "native$tbpc_bought_list_order_shop_info", "fields": {
            "createDay": created[:10], "createTime": created, "orderId": oid, "sellerName": seller, "shopName": shop,
            "tradeTitle": status, "isTmall": tmall, "shopUrl": "//shop.tmall.com" if tmall else "//shop.taobao.com"}}
        for sub_id, item in items:
            d[f"orderItemInfo_{oid}_{sub_id}"] = {"tag": "orderItemInfo", "id": f"{oid}_{sub_id}", "type": "native$tbpc_order_item_info",
                                                 "fields": {"item": item, "orderId": oid}}
        d[f"orderPayment_{oid}"] = {"tag": "orderPayment", "id": oid, "type": "native$tbpc_bought_list_order_payment", "fields": {
            "actualFee": {"prefix": "实付款", "value": fee}, "totalFee": {"prefix": "总价", "value": total}}}
        if parcel:
            cp_code, cp_name, mail_no = parcel
            d[f"orderStatus_{oid}"] = {"tag": "orderStatus", "id": oid, "type": "native$tbpc_bought_list_order_status", "fields": {
                "cpCode": cp_code, "highlight": "false", "mailNo": mail_no, "showArrow": "false", "subTitle": "预计明天送达", "title": "运输中"}}
            d[f"orderLogistics_{oid}"] = {"tag": "orderLogistics", "id": oid, "type": "native$tbpc_bought_list_order_logistics", "fields": {
                "packagePreview": {"mainOrderId": oid, "showTaoXiaoBao": False, "packageViewList": [
                    {"cpCode": cp_code, "cpName": cp_name, "mailNo": mail_no, "showTaoXiaoBao": False, "subOrderList": [oid]}]}}}

    order(SPA_A, shop="新版店铺甲", seller="新版甲", created="2025-11-20 12:00:01", fee="￥59.90", total="￥59.90", status="卖家已发货",
          items=[(SPA_A, {"itemId": "720000000001", "title": "机械键盘 87键", "quantity": "1", "skuText": "轴体：红轴",
                          "itemUrl": "//item.taobao.com/item.htm?id=720000000001",
                          "priceInfo": {"actualTotalFee": "￥59.90", "promotion": "￥59.90"}})],
          parcel=("ZTO", "中通快递", "78901234567890"))
    order(SPA_TMALL, shop="新版天猫店", seller="新版天猫", created="2025-11-18 09:30:00", fee="￥194.28", total="￥194.28",
          status="交易成功", tmall=True,
          items=[(SPA_TMALL_SUB, {"itemId": "720000000002", "title": "空气炸锅 5L", "quantity": "2",
                                  "itemUrl": "//detail.tmall.com/item.htm?id=720000000002",
                                  "priceInfo": {"actualTotalFee": "￥93.14", "promotion": "￥93.14"}}),
                 (SPA_TMALL_SUB[:-1] + "9", {"title": "保险服务", "quantity": "1", "priceInfo": {"actualTotalFee": "￥8.00"}})])
    d["pagination"] = {"tag": "pagination", "fields": {"currentPage": 1, "pageSize": 20, "totalNumber": 3}}
    return {"_fixture": f"Source: {SPA_SOURCE} Invented: {SPA_INVENTED}",
            "api": "mtop.taobao.order.queryboughtlistv2", "v": "1.0", "ret": ["SUCCESS::调用成功"],
            "data": {"data": d, "hierarchy": {}, "linkage": {}}}


SPA_PAGE = r"""<!DOCTYPE html>
%HEADER%<html><head><meta charset="utf-8"><title>我的淘宝 - 已买到的宝贝</title>
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
        return '<div class="itemInfo--Qw3rT"><a class="title--Zx81a" href="' + (it.itemUrl || '#') + '"><span class="titleText--Pp2o3">' + it.title + '</span></a>' +
          '<span class="itemInfoColPrice--p0O9i">' + it.priceInfo.actualTotalFee + '</span>' +
          '<span class="itemInfoColQuantity--Qn5m6">×' + it.quantity + '</span></div>';
      }).join('');
      row.innerHTML = '<div class="shopInfo--Lk2m3"><a class="shopInfoName--Hh7g6">' + f.shopName + '</a>' +
        '<span class="shopInfoOrderTime--Vb4n5">' + f.createTime + '</span>' +
        '<span class="shopInfoOrderId--Cc3d4">订单号：' + id + '</span>' +
        '<span class="shopInfoStatus--Ff5g6">' + f.tradeTitle + '</span></div>' + items;
      box.appendChild(row);
    });
    var cached = document.createElement('div');
    cached.id = 'shopOrderContainer_%DOM_ONLY%'; cached.className = 'shopOrderContainer--a1B2c';
    cached.innerHTML = '<div class="shopInfo--Lk2m3"><a class="shopInfoName--Hh7g6">缓存小店</a>' +
      '<span class="shopInfoOrderTime--Vb4n5">2025-10-01 08:08:08</span>' +
      '<span class="shopInfoStatus--Ff5g6">交易成功</span></div>' +
      '<div class="itemInfo--Qw3rT"><a class="title--Zx81a" href="//item.taobao.com/item.htm?id=730000000009">台灯 护眼</a>' +
      '<a href="//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID=%DOM_ONLY%">[交易快照]</a>' +
      '<span class="itemInfoColPrice--p0O9i">￥88.00</span></div>';
    box.appendChild(cached);
%MULTI%  });
})();
</script></body></html>
"""
# The same page where a multi-item order, too, is rendered from the page's cache (read from
# its DOM alone: quantities, SKUs, 实付款).
SPA_MULTI_ROW = r"""    var multi = document.createElement('div');
    multi.id = 'shopOrderContainer_%DOM_MULTI%'; multi.className = 'shopOrderContainer--a1B2c';
    multi.innerHTML = '<div class="shopInfo--Lk2m3"><a class="shopInfoName--Hh7g6">厨房好物店</a>' +
      '<span class="shopInfoOrderTime--Vb4n5">2025-11-02 19:45:00</span>' +
      '<span class="shopInfoOrderId--Cc3d4">订单号：%DOM_MULTI%</span>' +
      '<span class="shopInfoStatus--Ff5g6">卖家已发货</span></div>' +
      %DOM_MULTI_ITEMS% +
      '<div class="orderPayment--Pm2n3">实付款<span class="actualFee--Af4g5">￥113.00</span></div>';
    box.appendChild(multi);
""".replace("%DOM_MULTI_ITEMS%", " + ".join(
    "'<div class=\"itemInfo--Qw3rT\"><a class=\"title--Zx81a\" href=\"//item.taobao.com/item.htm?id={item}\">{title}</a>"
    "<span class=\"skuText--Sk7u8\">{sku}</span>"
    "<a href=\"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={sub}\">[交易快照]</a>"
    "<a href=\"//refund2.taobao.com/dispute/applyRouter.htm?bizOrderId={sub}\">退款</a>"
    "<span class=\"itemInfoColPrice--p0O9i\">￥{price}</span><span class=\"itemInfoColQuantity--Qn5m6\">×{qty}</span></div>'".format(**i)
    for i in SPA_MULTI_ITEMS)).replace("%DOM_MULTI%", SPA_DOM_MULTI)
SPA_PAGE = SPA_PAGE.replace("%DOM_ONLY%", SPA_DOM_ONLY).replace("%HEADER%", header(
    "shared/DOMAIN.md §1 (New SPA: div[id^=\"shopOrderContainer_\"], `<name>--<hash>` classes shopInfoOrderTime, "
    "shopInfoOrderId, shopInfoName, shopInfoStatus, title--, itemInfoColPrice) and the response sample named in "
    "h5api.m.taobao.com/h5/mtop.taobao.order.queryboughtlistv2/1.0/response.json.",
    "the page's markup and script, the hashes, #ice-container, the two cached rows rendered without data, and the "
    "class names of what DOMAIN.md does not list: itemInfoColQuantity (×N), skuText, orderPayment/actualFee."))


# --- detail pages -------------------------------------------------------------------------

def namevalue(name: str, value: Any) -> dict:
    return {"type": "namevalue", "value": {"name": name, "value": value, "type": "text"}}


def taobao_detail() -> str:
    data = {
        "traceId": "0b00fixture00000000000000000000",
        "deliveryInfo": {"sellerNick": "好物数码", "logisticsName": "圆通速递", "logisticsNum": "YT7524689513570", "shipType": "快递",
                         "showLogistics": True, "address": "收件人（虚构），86-13800000000，某省 某市 某区 某路 1 号，000000",
                         "asyncLogisticsUrl": f"//detail.i56.taobao.com/call/queryTrace.do?dimension=TRADE_ID&tradeId={TAOBAO_SINGLE}"},
        "mainOrder": {
            "seller": {"nick": "好物数码", "id": SELLER_ID, "wangwangType": "wangwang", "mail": "h***", "phoneNum": "0571-****0000-",
                       "alipayAccount": "h***", "shopDisable": False},
            "statusInfo": {"text": "当前订单状态：卖家已发货，请查看页面下方物流信息了解宝贝寄送情况", "type": "t0"},
            "columns": ["宝贝", "宝贝属性", "状态", "服务", "数量/单价"],
            "subOrders": [
                {"idStr": TAOBAO_SINGLE, "id": int(TAOBAO_SINGLE), "priceInfo": "￥47.40", "quantity": "1",
                 "tradeStatus": [{"type": "line", "content": [{"type": "text", "value": "未确认收货"}]}],
                 "itemInfo": {"title": "无线蓝牙耳机 降噪版", "skuId": 0,
                              "skuText": [{"type": "line", "content": [namevalue("颜色分类：", "白色")]}],
                              "auctionUrl": f"//trade.taobao.com/trade/detail/tradeSnap.htm?trade_id={TAOBAO_SINGLE}",
                              "pic": "//img.alicdn.com/imgextra/i4/O1CN01fixture_!!0-item_pic.jpg_sum.jpg"}},
                {"idStr": str(int(TAOBAO_SINGLE) + 1), "id": int(TAOBAO_SINGLE) + 1, "priceInfo": "￥0.00", "quantity": "1",
                 "itemInfo": {"title": "保险服务", "skuText": []}}],
            "tradeStatus": "WAIT_BUYER_CONFIRM_GOODS",
            "orderInfo": {"type": "group", "lines": [
                {"type": "line", "content": []},
                {"type": "line", "content": [
                    {"type": "namevalue", "value": {"name": "订单编号:", "value": [{"type": "text", "value": TAOBAO_SINGLE}]}},
                    namevalue("支付宝交易号:", "2025110822001100000000000000"),
                    namevalue("创建时间:", "2025-11-08 03:44:47"),
                    namevalue("付款时间:", "2025-11-08 03:45:10")]}]},
            "id": TAOBAO_SINGLE,
            "payInfo": {"feeMess": [{"visible": "SOLID", "name": "商品总价", "value": "￥47.40"}, {"visible": "SOLID", "name": "运费", "value": "￥0.00"}],
                        "actualFee": {"visible": "SOLID", "highLight": True, "name": "实付款", "value": "￥47.40"}},
        },
        "buyMessage": "",
        "orderBar": {"nodes": [{"date": "2025-11-08 03:44:47", "index": 1, "text": "拍下宝贝"},
                               {"date": "2025-11-08 03:45:10", "index": 2, "text": "付款到支付宝"},
                               {"date": "2025-11-09 16:20:00", "index": 3, "text": "卖家发货"},
                               {"index": 4, "text": "确认收货"}], "currentStepIndex": 0, "currentIndex": 3},
        "crumbs": [{"text": "首页", "url": "//www.taobao.com"}, {"text": "已买到的宝贝", "url": "//trade.taobao.com/trade/itemlist/listBoughtItems.htm"}],
    }
    literal = js_literal(raw_json(data))
    return f"""<!DOCTYPE html>
{header(DF_WU.format("orderdetails.json") + " (keys and value shapes of the Taobao detail data); shared/DOMAIN.md §1 "
        "(the page embeds it as `var data = JSON.parse('…')`).",
        "the order's values, the recipient (a placeholder), the 保险服务 pseudo-item, and the page around the data.")}<html><head><meta charset="utf-8"><title>交易详情</title></head><body>
<div id="detail-panel"><h2 class="order-info">订单信息</h2><div id="app">交易详情加载中</div></div>
<script>var data = JSON.parse('{literal}');</script>
<script>document.getElementById('app').textContent = '订单编号：' + data.mainOrder.id + '  物流：' + data.deliveryInfo.logisticsName;</script>
</body></html>
"""


def tmall_item(sub_id: str, item_id: str, title: str, price: str, qty: str, sku: list[tuple[str, str]]) -> dict:
    snap = f"//trade.taobao.com/trade/detail/tradeSnap.htm?tradeID={sub_id}"
    return {"itemInfo": {"auctionUrl": f"//detail.tmall.com/item.htm?id={item_id}", "itemUrl": snap, "snapUrl": snap, "title": title,
                         "pic": "//img.alicdn.com/imgextra/i2/O1CN01fixture_!!0-item_pic.jpg",
                         "serviceIcons": [{"linkTitle": "正品保证", "name": "正品保证", "title": "正品保证", "type": 3,
                                           "linkUrl": "//rule.tmall.com/tdetail-4400.htm", "url": "//img.alicdn.com/tps/i2/T1SyeXFpliXXaSQP_X-16-16.png"}],
                         "skuText": [{"content": [{"text": v, "type": "label"}], "key": k} for k, v in sku]},
            "priceInfo": [{"text": price, "type": "label"}], "quantity": qty}


def tmall_detail() -> str:
    label = lambda key, text: {"content": [{"text": text, "type": "label"}], "key": key}  # noqa: E731
    data = {
        "basic": {"title": "订单信息", "lists": [
            label("收货地址", "收件人（虚构）,13800000000,某省 某市 某区 某路 1 号,000000"),
            label("买家留言", "-"),
            {"key": "订单编号", "content": [{"text": TMALL_MULTI, "type": "label"}, {
                "direction": "left", "noHover": False, "text": "更多", "type": "more", "moreList": [
                    label("支付宝交易号", "2025103022001100000000000001"), label("成交时间", "2025-10-30 21:05:11"),
                    label("付款时间", "2025-10-30 21:06:00"), label("发货时间", "2025-10-31 09:15:00")]}]},
            {"key": "商家", "content": [{"type": "html", "text": (
                "<span class='short-dd-nick' title='优**'>优**<span class='J_WangWang' data-nick='优品家居旗舰店' data-icon='small' "
                f"data-item='0:{TMALL_MULTI}' data-encode='true' data-display='inline'></span></span>")},
                {"direction": "left", "noHover": False, "text": "更多", "type": "more",
                 "moreList": [{"content": [{"type": "label"}], "key": "真实姓名"}, {"content": [{"type": "label"}], "key": "城市"}]}]}]},
        "bizCode": "ali.china.tmall.home",
        "orders": {"id": int(TMALL_MULTI), "list": [{
            "logistic": {"key": "", "content": [{"companyName": "顺丰速运", "mailNo": "SF1400238755123", "text": "包裹1", "type": "logistic",
                                                  "url": f"//detail.i56.taobao.com/call/query_trace_un_login.do?tradeId={TMALL_MULTI}&dimension=TRADE_ID"}]},
            "status": [{"statusInfo": [{"text": "交易成功", "type": "label"}], "subOrders": [
                tmall_item(TMALL_SUB_1, "634567890123", "纯棉四件套 1.8m床", "￥79.14", "2", [("颜色", "灰色"), ("尺寸", "1.8m")]),
                tmall_item(TMALL_SUB_2, "634567890124", "记忆棉枕头", "￥28.00", "1", []),
                {"itemInfo": {"title": "保险服务 - 退货运费险", "skuText": []}, "priceInfo": [{"text": "￥0.00", "type": "label"}], "quantity": "1"}]}]}]},
        "overStatus": {"explain": [], "prompt": [], "status": {"content": [{"text": "<h3>订单状态: 交易成功</h3>", "type": "html"}]}},
        "stepbar": {"current": 5, "options": [{"content": "拍下商品", "time": "2025-10-30 21:05:11"},
                                              {"content": "付款到支付宝", "time": "2025-10-30 21:06:00"},
                                              {"content": "卖家发货", "time": "2025-10-31 09:15:00"},
                                              {"content": "确认收货", "time": "2025-11-02 10:00:00"}, {"content": "评价"}]},
        "tradeStatus": "TRADE_FINISHED",
    }
    return f"""<!DOCTYPE html>
{header(DF_WU.format("tmall_orderdetails.json") + " (keys and value shapes of the Tmall detail data: basic.lists with "
        "更多.moreList, orders.list[].status[].subOrders without ids, overStatus HTML, stepbar); shared/DOMAIN.md §1 (the "
        "page embeds it as `var detailData = {…}`).",
        "the order's values, the recipient (a placeholder), the 保险服务 pseudo-item, the status words of a finished "
        "order (the sample's order was still shipping), and the page around the data.")}<html><head><meta charset="utf-8"><title>订单详情 - 天猫</title></head><body>
<div id="J_OrderDetail"><h2 class="order-info">订单详情</h2></div>
<script>
var detailData = {raw_json(data)};
</script>
</body></html>
"""


NEW_DETAIL_HEADER = header(
    "yaotutu/wishop-extension, src/content/taobao/adapters/order-detail-adapter.ts (#headerContainer, "
    "#leftMainContentContainer, [class^=\"logisticsPackageHeader--\"] holding [class^=\"logisticsPackageEXTxt--\"] and "
    "[class^=\"logisticsPackageNo--\"], biz_order_id in the URL); shared/DOMAIN.md §1 (New detail page).",
    "the order, the hashes, and the layout of the date lines and the 交易快照 link.")
NEW_DETAIL = f"""<!DOCTYPE html>
{NEW_DETAIL_HEADER}<html><head><meta charset="utf-8"><title>订单详情</title></head><body>
<div id="headerContainer" class="header--Ab12c"><span class="statusText--Xy98z">卖家已发货</span></div>
<div id="leftMainContentContainer">
<div class="orderInfo--Qq11w">
  <div>订单编号：{SPA_A}</div>
  <div>创建时间：2025-11-20 12:00:01</div>
  <div>付款时间：2025-11-20 12:01:30</div>
  <div>发货时间：2025-11-21 18:00:00</div>
</div>
<div class="logisticsPackageHeader--Zz22x"><span class="logisticsPackageTitle--Aa11b">包裹1 (共1件)</span>
<span class="logisticsPackageEXTxt--Ee33r">中通快递</span> <span class="logisticsPackageNo--Rr44t">78901234567890</span></div>
<div><a href="//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={SPA_A}">交易快照</a></div>
</div>
</body></html>
"""


def heavy_list_page(n: int = 50) -> str:
    """A 50-order legacy list page (page 1 blob + rendered rows) for the benchmark."""
    orders = []
    for i in range(n):
        oid = str(4800000000000000000 + i * 1000003)
        subs = [sub(oid, str(710000000000 + i), f"测试商品 {i} 号 长标题" * 3, "19.90", {"count": "1"} if i % 2 else "1",
                    main_id=oid, sku=[{"name": "颜色", "value": "黑"}])]
        if i % 3 == 0:
            subs.append(sub(str(int(oid) + 1), str(710000100000 + i), f"配件 {i}", "5.00", "2", main_id=oid))
        orders.append(main_order(oid, tmall=bool(i % 4 == 0), shop=f"店铺{i}", nick=f"掌柜{i}",
                                 created="2025-10-01 10:00:00", fee="24.90", status="交易成功",
                                 trade_status="TRADE_FINISHED", subs=subs))
    return legacy_page(orders)


def async_page(orders: list[dict], page: int) -> bytes:
    """asyncBought.htm's answer: the blob's shape, GBK-encoded, with its provenance as a key."""
    data = {"_fixture": f"Source: {LEGACY_SOURCE} Invented: the orders and values.", **blob(orders, page=page)}
    return raw_json(data).encode("gbk")


def main() -> None:
    LIST_DIR.mkdir(parents=True, exist_ok=True)
    (LIST_DIR / "list_bought_items.htm").write_text(legacy_page(PAGE1), encoding="utf-8")
    (LIST_DIR / "list_bought_items_norows.htm").write_text(legacy_page(PAGE1, rows=False), encoding="utf-8")
    (LIST_DIR / "list_bought_items_paged.htm").write_text(
        legacy_page(PAGE1, shown=PAGED, invented_too=PAGED_INVENTED), encoding="utf-8")
    (LIST_DIR / "list_bought_items_translated.htm").write_text(legacy_page(
        PAGE1, shown=PAGED, tr=machine_translated(ENGLISH), html_attrs='lang="en" class="translated-ltr"',
        title="Purchased items", invented_too=TRANSLATED_INVENTED), encoding="utf-8")
    (LIST_DIR / "list_bought_items.gbk.htm").write_bytes(legacy_page(GBK_PAGE, charset="gbk").encode("gbk"))
    (LIST_DIR / "list_bought_items_redesign.htm").write_text(REDESIGN_PAGE, encoding="utf-8")
    (LIST_DIR / "asyncBought.gbk.json").write_bytes(async_page(PAGE2, page=2))
    (LIST_DIR / "list_bought_items_new.htm").write_text(SPA_PAGE.replace("%MULTI%", ""), encoding="utf-8")
    (LIST_DIR / "list_bought_items_new_cached.htm").write_text(SPA_PAGE.replace("%MULTI%", SPA_MULTI_ROW), encoding="utf-8")
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
    # the trap is real: the ids sit in the blob as raw numbers (escaped, so not as plain JSON)
    assert f'\\"id\\":{TMALL_SUB_1},' in (LIST_DIR / "list_bought_items.htm").read_text()
    print("fixtures written under", SITE)


if __name__ == "__main__":
    main()
