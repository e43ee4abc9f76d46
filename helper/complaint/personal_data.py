"""Personal data a complaint must not carry: it is read by the seller.

Phone numbers, ID numbers, bank cards, WeChat and QQ ids, e-mail and street addresses. A
long number alone proves nothing (Taobao's order ids are 19 digits), so ID numbers must
pass their GB 11643 check digit and carry a real birth date, and bank-card numbers must
pass the Luhn check and either follow a word that names a card or carry UnionPay's 62
prefix, and never follow a word naming an order, parcel or refund number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_PROVINCES = ("北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北"
              "|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门")
_HAN = r"\u4e00-\u9fff"

MOBILE = re.compile(_NOT_ALNUM_BEFORE + r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}" + _NOT_ALNUM_AFTER)
LANDLINE = re.compile(_NOT_ALNUM_BEFORE + r"0\d{2,3}-\d{7,8}" + _NOT_ALNUM_AFTER)
ID_CARD = re.compile(_NOT_ALNUM_BEFORE + r"\d{17}[\dXx]" + _NOT_ALNUM_AFTER)
CARD = re.compile(_NOT_ALNUM_BEFORE + r"\d(?:[ -]?\d){15,18}" + _NOT_ALNUM_AFTER)
CARD_WORD = re.compile(r"(?:卡|银行|账号|帐号|账户|户名|转账|打到|打款)[^0-9。！？；\n]{0,6}$")
NOT_A_CARD_WORD = re.compile(r"(?:订单|单号|编号|运单|快递|物流|售后|交易号|流水|批号|货号|型号|序列号)[^0-9。！？；\n]{0,6}$")
WECHAT = re.compile(r"(?:微信|威信|薇信|[Vv]信|加[Vv]|(?<![A-Za-z])(?:vx|VX|Vx|wx|WX)(?![A-Za-z]))(?:号码|号)?(?:是|为)?"
                    r"[：:\s]*([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])")
QQ = re.compile(r"(?:(?<![A-Za-z])[Qq]{2}(?![A-Za-z])|扣扣)(?:号码|号)?(?:是|为)?[：:\s]*([1-9]\d{4,10})(?!\d)")
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,5}"
                   r"\.[A-Za-z]{2,24}(?![A-Za-z])")
ADDRESS = re.compile(
    rf"(?:(?:{_PROVINCES})(?:省|自治区)?)?[{_HAN}]{{2,3}}(?:市|州|盟)[{_HAN}]{{1,6}}?(?:区|县|旗)"
    rf"[{_HAN}0-9]{{0,12}}?(?:路|街|大道|巷|弄|胡同|村)[0-9]{{1,6}}(?:号|弄)"
    rf"(?:[0-9A-Za-z{_HAN}-]{{0,12}}?(?:栋|幢|号楼|单元|室|楼))*")
PROVINCE = re.compile(_PROVINCES)
"""An address match may start with a word or two before the province (到北京市…): trim it."""
BUILDING = re.compile(r"(?<![0-9])[0-9]{1,4}(?:栋|幢|号楼)(?:[0-9]{1,3}单元)?[0-9]{1,5}室")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    severity: str
    suggestion: str
    replacement: str


def valid_id_number(value: str) -> bool:
    """GB 11643 check digit and a plausible birth date: keeps 18-digit order-ish numbers out."""
    check = "10X98765432"[sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=False)) % 11]
    if value[17].upper() != check:
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def luhn(digits: str) -> bool:
    total = 0
    for n, d in enumerate(reversed(digits)):
        x = int(d) * (2 if n % 2 else 1)
        total += x - 9 if x > 9 else x
    return total % 10 == 0


def _card(text: str, m: re.Match[str]) -> bool:
    digits = re.sub(r"[ -]", "", m.group())
    if not 16 <= len(digits) <= 19 or not luhn(digits):
        return False
    before = text[max(0, m.start() - 12):m.start()]
    if NOT_A_CARD_WORD.search(before):
        return False
    return bool(CARD_WORD.search(before)) or digits.startswith("62")


def find(text: str) -> Iterator[Found]:
    for m in MOBILE.finditer(text):
        yield Found(m.start(), m.end(), "high", "删除手机号：联系方式平台已有，不要写进投诉正文。", "[手机号已隐去]")
    for m in LANDLINE.finditer(text):
        yield Found(m.start(), m.end(), "high", "删除电话号码：联系方式平台已有，不要写进投诉正文。", "[电话已隐去]")
    for m in ID_CARD.finditer(text):
        if valid_id_number(m.group()):
            yield Found(m.start(), m.end(), "high", "删除身份证号：投诉正文不需要，且会被卖家看到。", "[身份证号已隐去]")
    for m in CARD.finditer(text):
        if _card(text, m):
            yield Found(m.start(), m.end(), "high", "删除银行卡号：退款原路退回，不需要卡号。", "[银行卡号已隐去]")
    for pattern, what in ((WECHAT, "微信号"), (QQ, "QQ 号")):
        for m in pattern.finditer(text):
            yield Found(m.start(1), m.end(1), "high", f"删除{what}：请通过平台沟通，不要在投诉中留私人联系方式。",
                        "[已隐去]")
    for m in EMAIL.finditer(text):
        yield Found(m.start(), m.end(), "medium", "删除邮箱地址：联系方式平台已有。", "[邮箱已隐去]")
    for pattern in (ADDRESS, BUILDING):
        for m in pattern.finditer(text):
            if pattern is ADDRESS and (province := PROVINCE.search(m.group(), 0, 6)):
                m = pattern.match(text, m.start() + province.start()) or m
            yield Found(m.start(), m.end(), "high", "删除详细地址：收货信息平台已有，不要写进投诉正文。", "[地址已隐去]")
