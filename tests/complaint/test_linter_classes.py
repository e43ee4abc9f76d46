"""The classes of issue 11, span by span: threat shapes, self-harm pressure, profanity,
sarcasm, punctuation runs, bank cards (Luhn), ID check digits, WeChat/QQ ids; and what is
not the buyer's tone: seller quotes, product names, 骚扰 as a harassment case's subject."""

from __future__ import annotations

import pytest

from helper.complaint.personal_data import luhn, valid_id_number
from helper.complaint.tone import LintContext, lint, product_words, rewrite_suggestion
from helper.models import ComplaintType

HARASSMENT = LintContext(situation=ComplaintType.service_harassment)


def spans(text: str, context: LintContext | None = None) -> list[tuple[str, str]]:
    return [(f.text, f.category.value) for f in lint(text, context)]


@pytest.mark.parametrize(("text", "expected"), [
    ("再不处理我就去网上曝光你们", [("再不处理我就去网上曝光你们", "threat")]),
    ("信不信我天天去你们店门口", [("信不信我天天去你们店门口", "threat")]),
    ("我会让你们付出代价", [("我会让你们付出代价", "threat")]),
    ("我知道你们仓库在哪", [("知道你们仓库在哪", "threat")]),
    ("再不处理，我将向12315投诉。", []),
    ("如果再不回复，我就申请平台客服介入。", []),
    ("我就跳楼，你们负全责。", [("跳楼", "threat")]),
    ("操，又坏了。", [("操", "insult")]),
    ("WTF 这也叫全新", [("WTF", "insult")]),
    ("真是大开眼界呢。", [("真是大开眼界呢", "emotional")]),
    ("厉害厉害，半个月没发货。", [("厉害厉害", "emotional")]),
    ("等了十天。。。。", [("。。。。", "punctuation")]),
    ("音箱有杂音……", []),
    ("收到的货和图片差别很大！", []),
])
def test_tone_classes(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected


def test_bank_cards_need_luhn_and_a_card_context() -> None:
    assert luhn("6222021234567890128") and not luhn("6222021234567890127")
    assert spans("退款打到我的卡6222021234567890128。") == [("6222021234567890128", "personal_data")]
    assert spans("卡号 6217 0000 1234 5678 907") == [("6217 0000 1234 5678 907", "personal_data")]
    assert spans("卡号 6217 0000 1234 5678 908") == []  # fails Luhn: not a card number
    assert spans("订单号3712345678901234561。") == []  # passes Luhn, but it is an order number


def test_id_numbers_need_their_check_digit_and_birth_date() -> None:
    assert valid_id_number("110105199003071239") and not valid_id_number("110105199003071238")
    assert spans("身份证号110105199003071239") == [("110105199003071239", "personal_data")]
    assert spans("编号110105199003071238") == []


def test_wechat_and_qq_ids_are_masked_keeping_the_word() -> None:
    found = lint("加我微信tousu_2024详聊，QQ：382910475。")
    assert [(f.text, f.replacement) for f in found] == [("tousu_2024", "[已隐去]"), ("382910475", "[已隐去]")]
    assert lint("微信支付的订单，型号 SB-700。") == []


def test_the_sellers_quoted_words_are_evidence_not_tone() -> None:
    assert spans("客服回复“你个穷鬼买不起就别买”。") == []
    assert spans("卖家说：“再闹就让你好看。”") == []
    assert spans("我跟客服说“你们是骗子”。") == [("骗子", "insult")]  # the buyer's own words
    assert spans("客服说“不退”，真是垃圾商家。") == [("垃圾商家", "insult")]
    assert spans("客服回复“打13812345678”。") == [("13812345678", "personal_data")]  # data stays data


def test_product_names_of_the_order_and_innocent_product_words() -> None:
    fish = LintContext(product_words("骗子鱼 活体 2条"))
    assert spans("收到的骗子鱼死了一条。") == [] and spans("骗子鱼", fish) == []
    assert spans("“去死皮”磨砂膏漏了。") == [] and spans("傻瓜相机快门坏了。") == []
    assert spans("你们是骗子。", fish) == [("骗子", "insult")]


def test_harassment_as_the_subject_of_a_harassment_case() -> None:
    assert spans("商家每天打电话骚扰我。", HARASSMENT) == []
    assert spans("我就天天骚扰你们。") == [("我就天天骚扰", "threat")]


def test_rewrites_keep_the_fact() -> None:
    text = "你们就是骗子"
    assert rewrite_suggestion(text, lint(text)) == "商品与描述不符，我认为存在误导。"
    text = "卧槽，音箱一开机就冒烟"
    assert rewrite_suggestion(text, lint(text)) == "音箱一开机就冒烟。"
    text = "再不退钱我就去你们公司门口拉横幅"
    assert rewrite_suggestion(text, lint(text)) == "如仍未解决，我将依法向平台、12315 或法院反映。"
