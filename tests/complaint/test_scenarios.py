"""The scenario table of issue 11: fifteen realistic cases, each drafted for every channel, with
exact verdicts, amounts, bases and demand texts (the court's as 诉讼请求), plus the sentences
each case turns on. Types are named by their Chinese labels, as a buyer picks them."""

from __future__ import annotations

from typing import Any

import pytest

from helper.complaint import catalog
from helper.complaint.draft import DraftRejected, build
from helper.complaint.tone import LintContext, lint, product_words
from helper.models import Channel, ComplaintSettings, DraftContent, DraftRequest, EvidenceCategory as C, Order
from tests.complaint.helpers import NOW, case, evidence
from tests.conftest import sample_order

INDEX = catalog.load()
TYPES = {t.label: t.id.value for t in INDEX.catalog.types}
HEADINGS = {Channel.platform: "四、诉求", Channel.regulator: "三、投诉请求", Channel.association: "五、诉求",
            Channel.court: "二、诉讼请求"}
SIGNED = {"shipped_at": "2025-11-09T10:00:00+08:00", "received_at": "2025-11-10T14:02:00+08:00"}
SCENARIOS: list[tuple[Any, ...]] = [
    ("not_shipped", "冬季加厚羽绒服", "459.00", "459.00", {"status_text": "买家已付款"}, "未按约定时间发货",
     {"demand": {"kind": "refund_only"}, "ship_within_hours": 48,
      "facts": [{"date": "2025-11-10", "text": "询问客服何时发货，客服称仓库缺货，未给出发货时间。"}]},
     [C.order_page, C.listing_snapshot]),
    ("stuck_logistics", "电动牙刷 声波款", "129.00", "129.00",
     {"status_text": "卖家已发货", "shipped_at": "2025-11-01T10:00:00+08:00"}, "未收到商品",
     {"demand": {"kind": "refund_only"},
      "facts": [{"date": "2025-11-03", "text": "物流信息停在“杭州转运中心”，此后没有更新。"},
                {"date": "2025-11-08", "text": "联系客服，客服称已催促快递，未给出处理时间。"}]},
     [C.logistics, C.chat_log]),
    ("defect_day_2", "无线蓝牙耳机 降噪版", "199.00", "199.00",
     {"status_text": "交易成功", "shipped_at": "2025-11-08T10:00:00+08:00", "received_at": "2025-11-09T15:00:00+08:00"},
     "质量问题", {"demand": {"kind": "return_refund"},
                  "facts": [{"date": "2025-11-10", "text": "开箱后发现左耳机无声音，重新配对三次结果相同。"}]},
     [C.product_photo, C.unboxing_video]),
    ("defect_day_20", "无线蓝牙耳机 降噪版", "199.00", "199.00",
     {"status_text": "交易成功", "shipped_at": "2025-10-21T10:00:00+08:00", "received_at": "2025-10-22T15:00:00+08:00"},
     "质量问题", {"demand": {"kind": "repair"},
                  "facts": [{"date": "2025-11-10", "text": "正常使用中左耳机突然无声音，重新配对三次结果相同。"}]},
     [C.product_photo]),
    ("material_not_as_described", "纯棉四件套 1.8米", "268.00", "268.00", {"status_text": "交易成功", **SIGNED},
     "与商品描述不符", {"demand": {"kind": "return_refund"},
                        "facts": [{"date": "2025-11-10", "text": "详情页写明100%纯棉，实物洗标显示涤纶65%、棉35%。"}]},
     [C.listing_snapshot, C.product_photo]),
    ("counterfeit_fake_one_pay_three", "运动鞋 经典款 42码", "299.00", "299.00", {"status_text": "交易成功", **SIGNED},
     "假冒品牌", {"demand": {"kind": "compensation", "amount": "897"}, "fraud_facts": ["以假充真"],
                  "seller_promise": {"text": "假一赔三", "multiplier": 3},
                  "facts": [{"date": "2025-11-10", "text": "品牌官方客服核验鞋盒防伪码，答复该码不存在。"}]},
     [C.product_photo, C.listing_snapshot, C.test_report]),
    ("wrong_item", "连帽卫衣 黑色 L", "159.00", "159.00", {"status_text": "交易成功", **SIGNED}, "卖家发错货",
     {"demand": {"kind": "exchange"},
      "facts": [{"date": "2025-11-10", "text": "订单规格为黑色L码，收到的是白色M码，吊牌同为白色M码。"}]},
     [C.order_page, C.product_photo]),
    ("missing_part", "电热水壶 1.7L", "89.00", "89.00", {"status_text": "交易成功", **SIGNED}, "包装/商品破损或少件",
     {"demand": {"kind": "reship"}, "facts": [{"date": "2025-11-10", "text": "开箱视频显示包装内没有底座，无法通电使用。"}]},
     [C.unboxing_video, C.product_photo]),
    ("refused_no_reason_return", "羊毛围巾 灰色", "128.00", "128.00",
     {"status_text": "交易成功", "shipped_at": "2025-11-06T10:00:00+08:00", "received_at": "2025-11-07T12:00:00+08:00"},
     "卖家拒绝售后", {"demand": {"kind": "return_refund", "no_reason": True},
                      "facts": [{"date": "2025-11-09", "text": "申请七天无理由退货，吊牌完好，未使用。"},
                                {"date": "2025-11-10", "text": "卖家以“已拆封，不支持无理由退货”为由拒绝。"}]},
     [C.chat_log, C.product_photo]),
    ("price_protection_refused", "空气炸锅 5L", "599.00", "599.00", {"status_text": "交易成功", **SIGNED}, "价保",
     {"demand": {"kind": "compensation", "amount": "100"}, "seller_promise": {"text": "30天价保", "amount": "100"},
      "facts": [{"date": "2025-11-10", "text": "同款同规格页面价格降为499元，申请价保补差100元。"},
                {"date": "2025-11-11", "text": "卖家拒绝价保，称降价属于平台活动。"}]},
     [C.listing_snapshot, C.other, C.order_page, C.chat_log]),
    ("raised_then_discounted", "保温杯 500ml", "399.00", "239.00", {"status_text": "交易成功", **SIGNED}, "价格欺诈",
     {"demand": {"kind": "compensation", "amount": "717"}, "fraud_facts": ["先涨后降"],
      "facts": [{"date": "2025-11-10", "text": "活动前一周页面售价为239元，活动当天标价399元并标注“6折”，折后价239元。"}]},
     [C.listing_snapshot, C.other]),
    ("harassment", "手机壳 透明款", "19.90", "19.90", {"status_text": "交易成功", **SIGNED}, "服务态度/骚扰",
     {"demand": {"kind": "stop_and_apologize"},
      "facts": [{"date": "2025-11-10", "text": "我给出中评后，卖家连续三天每天拨打十几个电话骚扰我。"},
                {"date": "2025-11-11", "text": "卖家发短信骂我“神经病”，要求删除评价。"}]},
     [C.chat_log, C.other]),
    ("expired_food", "进口曲奇饼干 礼盒", "50.00", "50.00", {"status_text": "交易成功", **SIGNED}, "食品安全问题",
     {"demand": {"kind": "compensation", "amount": "1000"}, "goods": "food",
      "facts": [{"date": "2025-11-10", "text": "包装标注生产日期2025-03-01、保质期6个月，收到时已超过保质期。"}]},
     [C.product_photo, C.unboxing_video]),
    ("fraud_12_90", "手机钢化膜 2片装", "12.90", "12.90", {"status_text": "交易成功", **SIGNED}, "虚假宣传",
     {"demand": {"kind": "compensation", "amount": "500"}, "fraud_facts": ["虚假宣传"],
      "facts": [{"date": "2025-11-10", "text": "详情页写明“9H硬度、康宁玻璃”，包装与检测显示为普通PET膜。"}]},
     [C.listing_snapshot, C.product_photo, C.test_report]),
    ("laptop_8999", "轻薄笔记本电脑 16G+1T", "8999.00", "8999.00",
     {"status_text": "交易成功", "shipped_at": "2025-10-31T10:00:00+08:00", "received_at": "2025-11-01T11:00:00+08:00"},
     "质量问题", {"demand": {"kind": "exchange"}, "goods": "durable",
                  "facts": [{"date": "2025-11-09", "text": "使用第八天开机后屏幕出现横向彩色条纹，外接显示器正常。"},
                            {"date": "2025-11-10", "text": "客服要求寄回检测，未同意换货。"}]},
     [C.product_photo, C.unboxing_video, C.chat_log]),
]


EXPECTED: dict[str, dict[str, tuple]] = {
    "not_shipped": {
        'seller': ('ok', '459.00', None, '459.00', ('tb_25', 'ecl_20'), '请求仅退款，退款金额 ¥459.00。'),
        'platform': ('ok', '459.00', None, '459.00', ('tb_25', 'ecl_20'), '请求仅退款，退款金额 ¥459.00。'),
        'regulator': ('ok', '459.00', None, '459.00', ('tb_25', 'ecl_20'), '请求仅退款，退款金额 ¥459.00。'),
        'association': ('ok', '459.00', None, '459.00', ('tb_25', 'ecl_20'), '请求仅退款，退款金额 ¥459.00。'),
        'court': ('ok', '459.00', None, '459.00', ('tb_25', 'ecl_20'), '1. 判令被告退还货款 ¥459.00；\n2. 判令被告承担本案诉讼费用。'),
    },
    "stuck_logistics": {
        'seller': ('ok', '129.00', None, '129.00', ('ecl_20', 'tb_5'), '请求仅退款，退款金额 ¥129.00。'),
        'platform': ('ok', '129.00', None, '129.00', ('ecl_20', 'tb_5'), '请求仅退款，退款金额 ¥129.00。'),
        'regulator': ('ok', '129.00', None, '129.00', ('ecl_20', 'tb_5'), '请求仅退款，退款金额 ¥129.00。'),
        'association': ('ok', '129.00', None, '129.00', ('ecl_20', 'tb_5'), '请求仅退款，退款金额 ¥129.00。'),
        'court': ('ok', '129.00', None, '129.00', ('ecl_20', 'tb_5'), '1. 判令被告退还货款 ¥129.00；\n2. 判令被告承担本案诉讼费用。'),
    },
    "defect_day_2": {
        'seller': ('ok', '199.00', None, '199.00', ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '请求退货退款，退款金额 ¥199.00，退货运费由卖家承担。'),
        'platform': ('ok', '199.00', None, '199.00', ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '请求退货退款，退款金额 ¥199.00，退货运费由卖家承担。'),
        'regulator': ('ok', '199.00', None, '199.00', ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '请求退货退款，退款金额 ¥199.00，退货运费由卖家承担。'),
        'association': ('ok', '199.00', None, '199.00', ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '请求退货退款，退款金额 ¥199.00，退货运费由卖家承担。'),
        'court': ('ok', '199.00', None, '199.00', ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '1. 判令被告退还货款 ¥199.00；\n2. 判令被告承担本案诉讼费用。'),
    },
    "defect_day_20": {
        'seller': ('ok', None, None, None, ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '请求免费维修，维修往返运费由卖家承担。'),
        'platform': ('ok', None, None, None, ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '请求免费维修，维修往返运费由卖家承担。'),
        'regulator': ('ok', None, None, None, ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '请求免费维修，维修往返运费由卖家承担。'),
        'association': ('ok', None, None, None, ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '请求免费维修，维修往返运费由卖家承担。'),
        'court': ('ok', None, None, None, ('csl_24', 'pql_40', 'tb_65', 'tb_66'), '1. 判令被告免费维修；\n2. 判令被告承担本案诉讼费用。'),
    },
    "material_not_as_described": {
        'seller': ('ok', '268.00', None, '268.00', ('ecl_17', 'csl_24', 'ecl_62'), '请求退货退款，退款金额 ¥268.00，退货运费由卖家承担。'),
        'platform': ('ok', '268.00', None, '268.00', ('ecl_17', 'csl_24', 'ecl_62'), '请求退货退款，退款金额 ¥268.00，退货运费由卖家承担。'),
        'regulator': ('ok', '268.00', None, '268.00', ('ecl_17', 'csl_24', 'ecl_62'), '请求退货退款，退款金额 ¥268.00，退货运费由卖家承担。'),
        'association': ('ok', '268.00', None, '268.00', ('ecl_17', 'csl_24', 'ecl_62'), '请求退货退款，退款金额 ¥268.00，退货运费由卖家承担。'),
        'court': ('ok', '268.00', None, '268.00', ('ecl_17', 'csl_24', 'ecl_62'), '1. 判令被告退还货款 ¥268.00；\n2. 判令被告承担本案诉讼费用。'),
    },
    "counterfeit_fake_one_pay_three": {
        'seller': ('ok', '299.00', '897.00', '1196.00', ('tb_66', 'tb_5', 'ecl_62', 'seller_promise'), '请求退款 ¥299.00，并依据卖家承诺“假一赔三”赔偿 ¥897.00，合计 ¥1,196.00。'),
        'platform': ('ok', '299.00', '897.00', '1196.00', ('tb_66', 'tb_5', 'ecl_62', 'seller_promise'), '请求退款 ¥299.00，并依据卖家承诺“假一赔三”赔偿 ¥897.00，合计 ¥1,196.00。'),
        'regulator': ('ok', '299.00', '897.00', '1196.00', ('tb_66', 'tb_5', 'ecl_62', 'seller_promise'), '请求退款 ¥299.00，并依据卖家承诺“假一赔三”赔偿 ¥897.00，合计 ¥1,196.00。'),
        'association': ('ok', '299.00', '897.00', '1196.00', ('tb_66', 'tb_5', 'ecl_62', 'seller_promise'), '请求退款 ¥299.00，并依据卖家承诺“假一赔三”赔偿 ¥897.00，合计 ¥1,196.00。'),
        'court': ('ok', '299.00', '897.00', '1196.00', ('tb_66', 'tb_5', 'ecl_62', 'seller_promise'), '1. 判令被告退还货款 ¥299.00；\n2. 判令被告依据卖家承诺“假一赔三”支付赔偿金 ¥897.00；\n3. 判令被告承担本案诉讼费用。'),
    },
    "wrong_item": {
        'seller': ('ok', None, None, None, ('ecl_20', 'csl_24', 'ecl_62'), '请求更换同款同规格的合格商品，往返运费由卖家承担。'),
        'platform': ('ok', None, None, None, ('ecl_20', 'csl_24', 'ecl_62'), '请求更换同款同规格的合格商品，往返运费由卖家承担。'),
        'regulator': ('ok', None, None, None, ('ecl_20', 'csl_24', 'ecl_62'), '请求更换同款同规格的合格商品，往返运费由卖家承担。'),
        'association': ('ok', None, None, None, ('ecl_20', 'csl_24', 'ecl_62'), '请求更换同款同规格的合格商品，往返运费由卖家承担。'),
        'court': ('ok', None, None, None, ('ecl_20', 'csl_24', 'ecl_62'), '1. 判令被告更换同款同规格的合格商品；\n2. 判令被告承担本案诉讼费用。'),
    },
    "missing_part": {
        'seller': ('ok', None, None, None, ('ecl_20', 'csl_24'), '请求补发未收到或缺少的商品，运费由卖家承担。'),
        'platform': ('ok', None, None, None, ('ecl_20', 'csl_24'), '请求补发未收到或缺少的商品，运费由卖家承担。'),
        'regulator': ('ok', None, None, None, ('ecl_20', 'csl_24'), '请求补发未收到或缺少的商品，运费由卖家承担。'),
        'association': ('ok', None, None, None, ('ecl_20', 'csl_24'), '请求补发未收到或缺少的商品，运费由卖家承担。'),
        'court': ('ok', None, None, None, ('ecl_20', 'csl_24'), '1. 判令被告补发未交付的商品；\n2. 判令被告承担本案诉讼费用。'),
    },
    "refused_no_reason_return": {
        'seller': ('ok', '128.00', None, '128.00', ('csl_25', 'csl_reg_19', 'nr_measures', 'ecl_62'), '请求退货退款，退款金额 ¥128.00。'),
        'platform': ('ok', '128.00', None, '128.00', ('csl_25', 'csl_reg_19', 'nr_measures', 'ecl_62'), '请求退货退款，退款金额 ¥128.00。'),
        'regulator': ('ok', '128.00', None, '128.00', ('csl_25', 'csl_reg_19', 'nr_measures', 'ecl_62'), '请求退货退款，退款金额 ¥128.00。'),
        'association': ('ok', '128.00', None, '128.00', ('csl_25', 'csl_reg_19', 'nr_measures', 'ecl_62'), '请求退货退款，退款金额 ¥128.00。'),
        'court': ('ok', '128.00', None, '128.00', ('csl_25', 'csl_reg_19', 'nr_measures', 'ecl_62'), '1. 判令被告退还货款 ¥128.00；\n2. 判令被告承担本案诉讼费用。'),
    },
    "price_protection_refused": {
        'seller': ('ok', None, '100.00', '100.00', ('csl_16', 'seller_promise'), '请求依据卖家承诺“30天价保”赔付 ¥100.00。'),
        'platform': ('ok', None, '100.00', '100.00', ('csl_16', 'seller_promise'), '请求依据卖家承诺“30天价保”赔付 ¥100.00。'),
        'regulator': ('ok', None, '100.00', '100.00', ('csl_16', 'seller_promise'), '请求依据卖家承诺“30天价保”赔付 ¥100.00。'),
        'association': ('ok', None, '100.00', '100.00', ('csl_16', 'seller_promise'), '请求依据卖家承诺“30天价保”赔付 ¥100.00。'),
        'court': ('ok', None, '100.00', '100.00', ('csl_16', 'seller_promise'), '1. 判令被告依据卖家承诺“30天价保”支付赔偿金 ¥100.00；\n2. 判令被告承担本案诉讼费用。'),
    },
    "raised_then_discounted": {
        'seller': ('block', 'statutory_not_on_platform'),
        'platform': ('block', 'statutory_not_on_platform'),
        'regulator': ('warn', '239.00', '717.00', '956.00', ('csl_55', 'price_law_14', 'pricing_rules_2', 'price_law_41', 'ecl_17'), '请求退款 ¥239.00，并依据《消费者权益保护法》第五十五条第一款赔偿 ¥717.00，合计 ¥956.00。'),
        'association': ('warn', '239.00', '717.00', '956.00', ('csl_55', 'price_law_14', 'pricing_rules_2', 'price_law_41', 'ecl_17'), '请求退款 ¥239.00，并依据《消费者权益保护法》第五十五条第一款赔偿 ¥717.00，合计 ¥956.00。'),
        'court': ('warn', '239.00', '717.00', '956.00', ('csl_55', 'price_law_14', 'pricing_rules_2', 'price_law_41', 'ecl_17'), '1. 判令被告退还货款 ¥239.00；\n2. 判令被告依据《消费者权益保护法》第五十五条第一款支付赔偿金 ¥717.00；\n3. 判令被告承担本案诉讼费用。'),
    },
    "harassment": {
        'seller': ('ok', None, None, None, ('csl_14', 'csl_27', 'csl_29', 'csl_50'), '请求卖家停止上述行为并赔礼道歉。'),
        'platform': ('ok', None, None, None, ('csl_14', 'csl_27', 'csl_29', 'csl_50'), '请求卖家停止上述行为并赔礼道歉。'),
        'regulator': ('ok', None, None, None, ('csl_14', 'csl_27', 'csl_29', 'csl_50'), '请求卖家停止上述行为并赔礼道歉。'),
        'association': ('ok', None, None, None, ('csl_14', 'csl_27', 'csl_29', 'csl_50'), '请求卖家停止上述行为并赔礼道歉。'),
        'court': ('ok', None, None, None, ('csl_14', 'csl_27', 'csl_29', 'csl_50'), '1. 判令被告停止侵害、赔礼道歉；\n2. 判令被告承担本案诉讼费用。'),
    },
    "expired_food": {
        'seller': ('block', 'statutory_not_on_platform'),
        'platform': ('block', 'statutory_not_on_platform'),
        'regulator': ('warn', '50.00', '1000.00', '1050.00', ('food_148', 'food_34', 'csl_24', 'ecl_62'), '请求退款 ¥50.00，并依据《食品安全法》第一百四十八条第二款赔偿 ¥1,000.00，合计 ¥1,050.00。'),
        'association': ('warn', '50.00', '1000.00', '1050.00', ('food_148', 'food_34', 'csl_24', 'ecl_62'), '请求退款 ¥50.00，并依据《食品安全法》第一百四十八条第二款赔偿 ¥1,000.00，合计 ¥1,050.00。'),
        'court': ('warn', '50.00', '1000.00', '1050.00', ('food_148', 'food_34', 'csl_24', 'ecl_62'), '1. 判令被告退还货款 ¥50.00；\n2. 判令被告依据《食品安全法》第一百四十八条第二款支付赔偿金 ¥1,000.00；\n3. 判令被告承担本案诉讼费用。'),
    },
    "fraud_12_90": {
        'seller': ('block', 'statutory_not_on_platform'),
        'platform': ('block', 'statutory_not_on_platform'),
        'regulator': ('warn', '12.90', '500.00', '512.90', ('csl_55', 'ecl_17', 'ecl_62'), '请求退款 ¥12.90，并依据《消费者权益保护法》第五十五条第一款赔偿 ¥500.00，合计 ¥512.90。'),
        'association': ('warn', '12.90', '500.00', '512.90', ('csl_55', 'ecl_17', 'ecl_62'), '请求退款 ¥12.90，并依据《消费者权益保护法》第五十五条第一款赔偿 ¥500.00，合计 ¥512.90。'),
        'court': ('warn', '12.90', '500.00', '512.90', ('csl_55', 'ecl_17', 'ecl_62'), '1. 判令被告退还货款 ¥12.90；\n2. 判令被告依据《消费者权益保护法》第五十五条第一款支付赔偿金 ¥500.00；\n3. 判令被告承担本案诉讼费用。'),
    },
    "laptop_8999": {
        'seller': ('ok', None, None, None, ('csl_24', 'sanbao', 'pql_40', 'csl_23', 'tb_65', 'tb_66'), '请求更换同款同规格的合格商品，往返运费由卖家承担。'),
        'platform': ('ok', None, None, None, ('csl_24', 'sanbao', 'pql_40', 'csl_23', 'tb_65', 'tb_66'), '请求更换同款同规格的合格商品，往返运费由卖家承担。'),
        'regulator': ('ok', None, None, None, ('csl_24', 'sanbao', 'pql_40', 'csl_23', 'tb_65', 'tb_66'), '请求更换同款同规格的合格商品，往返运费由卖家承担。'),
        'association': ('ok', None, None, None, ('csl_24', 'sanbao', 'pql_40', 'csl_23', 'tb_65', 'tb_66'), '请求更换同款同规格的合格商品，往返运费由卖家承担。'),
        'court': ('ok', None, None, None, ('csl_24', 'sanbao', 'pql_40', 'csl_23', 'tb_65', 'tb_66'), '1. 判令被告更换同款同规格的合格商品；\n2. 判令被告承担本案诉讼费用。'),
    },
}


def scenario(name: str) -> tuple[Order, dict[str, Any], list[C]]:
    _, title, price, paid, order_fields, label, req, kinds = next(s for s in SCENARIOS if s[0] == name)
    raw = sample_order(actual_fee=paid, **order_fields)
    raw["items"][0].update(title=title, unit_price=price, sku=None)
    return Order.model_validate(raw), {**req, "complaint_type": TYPES[label]}, kinds


def draft(name: str, channel: Channel) -> DraftContent:
    the_order, req, kinds = scenario(name)
    request = DraftRequest.model_validate({**req, "channel": channel.value})
    return build(case(the_order), evidence(kinds), request, INDEX, ComplaintSettings(), NOW)


def demand_text(d: DraftContent) -> str:
    if d.channel is Channel.seller:
        return next(line for line in d.text.splitlines() if line.startswith("我的诉求："))[len("我的诉求："):]
    return d.text.split(HEADINGS[d.channel] + "\n", 1)[1].split("\n\n", 1)[0]


CASES = [(name, channel) for name in EXPECTED for channel in Channel]


def test_the_table_has_the_fifteen_situations() -> None:
    assert [s[0] for s in SCENARIOS] == list(EXPECTED) and len(EXPECTED) == 15


@pytest.mark.parametrize(("name", "channel"), CASES)
def test_verdict_amounts_bases_and_demand(name: str, channel: Channel) -> None:
    expected = EXPECTED[name][channel.value]
    if expected[0] == "block":
        with pytest.raises(DraftRejected) as refused:
            draft(name, channel)
        assert expected[1] in {r.code for r in refused.value.check.reasons if r.level == "block"}
        return
    d = draft(name, channel)
    c = d.demand_check
    assert (c.verdict, c.refund, c.compensation, c.total, tuple(b.id for b in d.basis), demand_text(d)) == expected
    assert len(d.form_text) <= d.form_limit and d.form_text.startswith(("订单号：", "您好，", "诉求："))


@pytest.mark.parametrize(("name", "channel"), CASES)
def test_no_internal_notes_no_findings_and_no_statutory_demand_on_the_platform(name: str, channel: Channel) -> None:
    if EXPECTED[name][channel.value][0] == "block":
        return
    d = draft(name, channel)
    the_order, _, _ = scenario(name)
    context = LintContext(product_words(*(i.title for i in the_order.items)))
    for text in (d.text, d.form_text, d.title):
        assert "未经核实" not in text and "UNCONFIRMED" not in text and "findings" not in text
        assert lint(text, context) == [], (name, channel)  # the scenarios carry no personal data
        if channel in (Channel.seller, Channel.platform):
            assert "第五十五条" not in text and "第一百四十八条" not in text


def texts(name: str) -> dict[Channel, str]:
    return {ch: draft(name, ch).text for ch in Channel if EXPECTED[name][ch.value][0] != "block"}


def test_not_shipped_past_the_promise() -> None:
    d = draft("not_shipped", Channel.platform)
    assert ("2. 2025-11-10 03:45 承诺的发货期限（付款后 48 小时）届满；截至 2025-11-11 10:00 卖家仍未发货，"
            "已超过 1 天 6 小时。") in d.text
    assert not {"missing_shipped_at", "missing_received_at", "missing_evidence"} & {w.code for w in d.warnings}


def test_stuck_logistics_advises_extending_receipt() -> None:
    d = draft("stuck_logistics", Channel.platform)
    advice = next(w.message for w in d.warnings if w.code == "extend_receipt")
    assert "2025-11-11" in advice and "延长收货" in advice
    assert "missing_received_at" not in {w.code for w in d.warnings}


def test_a_defect_on_day_20_asks_for_repair_and_is_told_the_platform_window() -> None:
    d = draft("defect_day_20", Channel.platform)
    assert "after_sales_window_passed" in {w.code for w in d.warnings}
    assert "七日" not in demand_text(d)


def test_counterfeit_states_the_fraud_where_it_is_judged() -> None:
    by_channel = texts("counterfeit_fake_one_pay_three")
    line = "构成欺诈的事实：以假充真（证据见证据清单）。"
    assert line in by_channel[Channel.regulator] and line in by_channel[Channel.court]
    assert line not in by_channel[Channel.platform] and line not in by_channel[Channel.seller]
    assert "4. 卖家在商品页面承诺“假一赔三”，卖家承诺对其有约束力（《淘宝平台争议处理规则》第十五条）。" in \
        by_channel[Channel.platform]


def test_a_refused_no_reason_return_cites_section_25_first() -> None:
    text = draft("refused_no_reason_return", Channel.platform).text
    assert "五、依据\n1. 《消费者权益保护法》第二十五条：" in text
    assert "2. 《消费者权益保护法实施条例》第十九条：" in text and "3. 《网络购买商品七日无理由退货暂行办法》：" in text
    assert "第二十四条" not in text and "退货运费由卖家承担" not in text


def test_price_protection_keeps_the_goods() -> None:
    for text in texts("price_protection_refused").values():
        assert "请求退款" not in text and "¥699.00" not in text and "退还货款" not in text


def test_price_fraud_rests_on_the_price_rules_and_section_55_at_12315() -> None:
    with pytest.raises(DraftRejected) as refused:
        draft("raised_then_discounted", Channel.platform)
    assert "12315" in str(refused.value) and "第六条第六项" in str(refused.value)
    text = draft("raised_then_discounted", Channel.regulator).text
    assert "构成欺诈的事实：先涨后降（证据见证据清单）。" in text
    assert "理由：\n1. 《消费者权益保护法》第五十五条第一款：" in text
    assert "2. 《价格法》第十四条第（四）项：经营者不得利用虚假的或者使人误解的价格手段" in text


def test_harassment_keeps_the_subject_and_the_sellers_words() -> None:
    for channel in Channel:
        d = draft("harassment", channel)
        assert "卖家连续三天每天拨打十几个电话骚扰我。" in d.text
        assert "卖家发短信骂我“神经病”，要求删除评价。" in d.text
        assert d.withheld == []


def test_expired_food_rests_on_the_food_safety_law_without_section_55() -> None:
    d = draft("expired_food", Channel.regulator)
    assert "第五十五条" not in d.text
    assert [b.formula for b in d.demand_check.bases] == ["10 × 50.00 = 500.00，不足 1000.00 按 1000.00 计"]


def test_a_12_90_fraud_gets_the_500_floor() -> None:
    d = draft("fraud_12_90", Channel.regulator)
    assert [(b.basis, b.limit, b.formula) for b in d.demand_check.bases] == [
        ("csl_55", "500.00", "3 × 12.90 = 38.70，不足 500.00 按 500.00 计")]


def test_a_laptop_gets_the_three_guarantees() -> None:
    d = draft("laptop_8999", Channel.platform)
    assert "2. 《部分商品修理更换退货责任规定》（三包规定）：产品自售出之日起7日内发生性能故障" in d.text
    exchange = next(x for x in d.deadlines if x.key == "sanbao_exchange")
    assert exchange.last_day.isoformat() == "2025-11-16" and exchange.state == "open"
    assert "4. 《消费者权益保护法》第二十三条第三款：" in d.text
