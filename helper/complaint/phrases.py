"""The engine's own wording, Chinese and English.

Everything here is text the engine writes; the tests lint every rendering of it, so a
phrase that reads as emotional, absolute or threatening fails the build, not a buyer.
"""

from __future__ import annotations

from helper.models import Language, Platform

ZH: dict[str, str] = {
    "title": "关于订单 {order_id}（{item}）{label}的投诉",
    "title_no_item": "关于订单 {order_id} {label}的投诉",
    "h_order": "一、订单信息", "h_facts": "二、问题经过", "h_evidence": "三、证据清单",
    "h_demand": "四、诉求", "h_basis": "五、依据", "h_deadline": "六、处理期限",
    "order_id": "订单号：{order_id}（{platform}）。",
    "form_order_id": "订单号：{order_id}。",
    "shop": "店铺：{shop}。", "seller": "卖家：{seller}。",
    "item": "商品：{title}{sku}，单价 {price} × {quantity}。", "item_no_price": "商品：{title}{sku} × {quantity}。",
    "paid": "实付金额：{paid}。",
    "created_at": "下单时间：{at}。", "paid_at": "付款时间：{at}。", "shipped_at": "发货时间：{at}。",
    "received_at": "签收时间：{at}。",
    "logistics": "物流：{company}{tracking}。",
    "form_item": "商品：{title}。",
    "form_type": "问题：{label}。",
    "m_paid": "买家付款。", "m_shipped": "卖家发货{logistics}。", "m_received": "买家签收。",
    "notes": "补充说明：{notes}",
    "no_facts": "{summary}具体情况见证据清单。",
    "evidence_line": "{n}. {label}｜{title}｜保存于 {at}｜SHA-256 {sha}",
    "evidence_total": "以上证据共 {n} 项，均保存原件并记录了哈希值，可随时提供。",
    "evidence_none": "目前尚未保存证据，将补充提交。",
    "form_evidence": "已保存证据 {n} 项：{kinds}。", "form_evidence_kind": "{label} {n} 项",
    "demand_refund_only": "请求仅退款，退款金额 {amount}。",
    "demand_refund_only_full": "请求仅退款，退还全部货款。",
    "demand_return_refund": "请求退货退款，退款金额 {amount}{shipping}。",
    "demand_return_refund_full": "请求退货退款，退还全部货款{shipping}。",
    "shipping_seller": "，退货运费由卖家承担",
    "demand_exchange": "请求更换同款同规格的合格商品，往返运费由卖家承担。",
    "demand_reship": "请求补发未收到或缺少的商品，运费由卖家承担。",
    "demand_repair": "请求免费维修，维修往返运费由卖家承担。",
    "demand_compensation_refund": "请求退款 {refund}，并依据{basis}赔偿 {amount}，合计 {total}。",
    "demand_compensation": "请求依据{basis}赔付 {amount}。",
    "form_demand": "诉求：{demand}",
    "basis_line": "{n}. {title}：{summary}",
    "basis_promise": "{n}. 卖家在商品页面承诺“{promise}”，卖家承诺对其有约束力（《淘宝平台争议处理规则》第十五条）。",
    "form_basis": "依据：{titles}。", "form_basis_more": "另见：{titles}。",
    "deadline": "请于 {at} 前（{hours} 小时内）答复处理意见。逾期未答复的，将申请平台客服介入处理，并保留向 12315 反映的权利。",
    "form_deadline": "请于 {at} 前答复。",
    "list_sep": "、",
}

EN: dict[str, str] = {
    "title": "Complaint about order {order_id} ({item}): {label}",
    "title_no_item": "Complaint about order {order_id}: {label}",
    "h_order": "1. Order", "h_facts": "2. What happened", "h_evidence": "3. Evidence",
    "h_demand": "4. Request", "h_basis": "5. Basis", "h_deadline": "6. Reply deadline",
    "order_id": "Order number: {order_id} ({platform}).",
    "form_order_id": "Order number: {order_id}.",
    "shop": "Shop: {shop}.", "seller": "Seller: {seller}.",
    "item": "Item: {title}{sku}, unit price {price} × {quantity}.",
    "item_no_price": "Item: {title}{sku} × {quantity}.",
    "paid": "Amount paid: {paid}.",
    "created_at": "Ordered: {at}.", "paid_at": "Paid: {at}.", "shipped_at": "Shipped: {at}.",
    "received_at": "Signed for: {at}.",
    "logistics": "Courier: {company}{tracking}.",
    "form_item": "Item: {title}.",
    "form_type": "Problem: {label}.",
    "m_paid": "The buyer paid.", "m_shipped": "The seller shipped{logistics}.",
    "m_received": "The buyer signed for the parcel.",
    "notes": "Additional notes: {notes}",
    "no_facts": "{summary} Details are in the evidence list.",
    "evidence_line": "{n}. {label} | {title} | saved {at} | SHA-256 {sha}",
    "evidence_total": "{n} items in total; the originals are kept with their hashes and can be provided.",
    "evidence_none": "No evidence saved yet; it will be provided.",
    "form_evidence": "Evidence saved: {kinds}.", "form_evidence_kind": "{label} ×{n}",
    "demand_refund_only": "I request a refund of {amount} (no return).",
    "demand_refund_only_full": "I request a full refund (no return).",
    "demand_return_refund": "I request to return the goods for a refund of {amount}{shipping}.",
    "demand_return_refund_full": "I request to return the goods for a full refund{shipping}.",
    "shipping_seller": ", with return shipping paid by the seller",
    "demand_exchange": "I request a replacement of the same item and variant, with shipping both ways paid by the seller.",
    "demand_reship": "I request that the missing goods be sent, with shipping paid by the seller.",
    "demand_repair": "I request a free repair, with shipping both ways paid by the seller.",
    "demand_compensation_refund": "I request a refund of {refund} and compensation of {amount} under {basis}, {total} in total.",
    "demand_compensation": "I request a payout of {amount} under {basis}.",
    "form_demand": "Request: {demand}",
    "basis_line": "{n}. {title}: {summary}",
    "basis_promise": "{n}. The listing promises \u201c{promise}\u201d; a seller's own promise binds it (Taobao Dispute Rules, Art. 15).",
    "form_basis": "Basis: {titles}.", "form_basis_more": "See also: {titles}.",
    "deadline": "Please reply with a resolution by {at} (within {hours} hours). Without a reply I will ask the platform to step in, and I keep the right to contact 12315.",
    "form_deadline": "Please reply by {at}.",
    "list_sep": "; ",
}

PLATFORMS = {Language.zh: {Platform.taobao: "淘宝", Platform.tmall: "天猫"},
             Language.en: {Platform.taobao: "Taobao", Platform.tmall: "Tmall"}}


def phrases(language: Language) -> dict[str, str]:
    return EN if language is Language.en else ZH
