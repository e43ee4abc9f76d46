"""Complaint drafting input: types, demands, goods, the catalog, settings and the draft request."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator

from helper.models.common import Contract, DayOrTime, DigitId, Model, Money
from helper.models.evidence import EvidenceCategory


class ComplaintType(StrEnum):
    quality_problem = "quality_problem"
    not_as_described = "not_as_described"
    counterfeit = "counterfeit"
    damaged_or_missing = "damaged_or_missing"
    wrong_item = "wrong_item"
    late_shipment = "late_shipment"
    not_received = "not_received"
    after_sales_refused = "after_sales_refused"
    false_advertising = "false_advertising"
    other = "other"
    price_protection = "price_protection"
    service_harassment = "service_harassment"
    price_fraud = "price_fraud"
    food_safety = "food_safety"


class DemandKind(StrEnum):
    refund_only = "refund_only"
    return_refund = "return_refund"
    exchange = "exchange"
    reship = "reship"
    repair = "repair"
    compensation = "compensation"
    stop_and_apologize = "stop_and_apologize"


class Channel(StrEnum):
    """Where a draft goes, in the order a buyer should try them (communicate first)."""

    seller = "seller"
    platform = "platform"
    regulator = "regulator"
    association = "association"
    court = "court"


class GoodsKind(StrEnum):
    """What kind of goods: decides §148 (food), §23 (durable) and the §25 exclusions."""

    general = "general"
    food = "food"
    durable = "durable"
    custom_made = "custom_made"
    perishable = "perishable"
    digital_opened = "digital_opened"
    periodical = "periodical"


class Language(StrEnum):
    zh = "zh"
    en = "en"


class ComplaintSettings(Model):
    """Platform numbers that DOMAIN.md marks UNCONFIRMED: settings (`[complaint]` in
    config.toml), never law. Each deadline computed from them says so in its note."""

    model_config = ConfigDict(extra="forbid")

    after_sales_days: int = Field(default=15, ge=1, le=365, description=(
        "UNCONFIRMED: days after 交易成功 during which 申请售后 is open on Taobao"))
    seller_reply_hours: int = Field(default=48, ge=1, le=720, description=(
        "UNCONFIRMED: hours a seller has to answer a refund request before it auto-agrees; "
        "also the reply deadline a draft asks for"))
    auto_confirm_days: int = Field(default=10, ge=1, le=60, description=(
        "UNCONFIRMED: days after shipping before receipt is confirmed automatically"))
    late_shipment_payout_rate: Decimal = Field(default=Decimal("0.30"), ge=0, le=1, description=(
        "UNCONFIRMED: platform payout for late shipping as a share of the price"))
    late_shipment_payout_cap: Decimal = Field(default=Decimal("500"), ge=0, le=100_000, description=(
        "UNCONFIRMED: cap of the late-shipping payout, yuan"))
    form_limit: int = Field(default=500, ge=100, le=5000,
                            description="characters a complaint form's description box accepts")
    seller_message_limit: int = Field(default=300, ge=100, le=5000, description=(
        "characters of the first message to the seller: short enough to be read in a chat window"))
    regulator_limit: int = Field(default=2000, ge=100, le=5000, description=(
        "UNCONFIRMED: characters the 12315 complaint form's facts box accepts"))
    association_limit: int = Field(default=2000, ge=100, le=5000, description=(
        "UNCONFIRMED: characters a consumer association's online complaint form accepts"))
    court_limit: int = Field(default=5000, ge=100, le=5000,
                             description="characters of a court outline (no form: a length a judge reads)")
    follow_up_days: list[int] = Field(default_factory=lambda: [2, 7], max_length=10, description=(
        "days after submission at which a reminder asks whether the seller/platform answered"))
    reminder_window_days: int = Field(default=3, ge=0, le=60,
                                      description="a deadline this close (days) becomes a reminder")


class EvidenceRequirement(Contract):
    category: EvidenceCategory
    required: bool
    label: str = Field(description="what to collect, in Chinese")
    label_en: str
    why: str = Field(description="why a reviewer needs it")


class CatalogType(Contract):
    id: ComplaintType
    label: str = Field(description="the Chinese label, e.g. 质量问题")
    label_en: str
    synonyms: list[str] = Field(description="labels a platform form may use for this reason")
    summary: str = Field(description="one neutral sentence describing the problem (used when no facts)")
    summary_en: str
    summaries: dict[Literal["unshipped", "shipped", "received"], str] = Field(default_factory=dict, description=(
        "the summary by order state, where `summary` would assert what the order does not show"))
    summaries_en: dict[Literal["unshipped", "shipped", "received"], str] = Field(default_factory=dict)
    evidence: list[EvidenceRequirement]
    bases: list[str] = Field(description="ids of `CatalogBasis` that may apply")
    demands: list[DemandKind] = Field(description="demands that fit this type")


class CatalogDemand(Contract):
    id: DemandKind
    label: str
    label_en: str
    service_kind: str | None = Field(default=None, description="the refund form's 服务类型 option, if any")
    needs_amount: bool
    bases: list[str] = Field(default_factory=list, description="basis ids specific to this demand")


class CatalogBasis(Contract):
    id: str
    kind: Literal["law", "platform_rule"]
    title: str = Field(description="e.g. 《消费者权益保护法》第二十四条")
    title_en: str
    summary: str
    summary_en: str
    channel: Literal["platform", "regulator", "court"] = Field(
        description="who applies it: the platform, 12315/消协, or a court")
    statutory_damages: bool = Field(default=False,
                                    description="multiple-of-price damages the platform generally does not award")
    quote: str | None = Field(default=None, description="the article's text as quoted from `source`")
    source: str = Field(description="where the title and quote come from (a public copy of the text)")


class CatalogChannel(Contract):
    """One rung of the escalation ladder: 卖家 → 平台 → 12315 → 消协 → 法院."""

    id: Channel
    label: str
    label_en: str
    needs: list[str] = Field(description="what this channel requires before it acts, in Chinese")
    when: str = Field(description="when to move to this channel, in Chinese")
    source: str = Field(description="where the requirements come from")


class CatalogFraudFact(Contract):
    """A fact the buyer can state that makes a §55 (fraud) claim: a checked list, not free text."""

    label: str = Field(description="what the buyer ticks, e.g. 以假充真; the value of `fraud_facts`")
    label_en: str
    means: str = Field(description="what the buyer must be able to show, in Chinese")
    source: str


class CatalogLabel(Contract):
    id: str
    label: str
    label_en: str


class CatalogGoods(CatalogLabel):
    no_reason_return: bool = Field(description="whether §25 7-day no-reason return applies")


class Catalog(Contract):
    version: int
    types: list[CatalogType]
    demands: list[CatalogDemand]
    bases: list[CatalogBasis]
    evidence_categories: list[CatalogLabel]
    goods: list[CatalogGoods]
    channels: list[CatalogChannel] = Field(description="in the order a buyer should try them")
    fraud_facts: list[CatalogFraudFact]
    platform: ComplaintSettings = Field(default_factory=ComplaintSettings,
                                        description="the UNCONFIRMED platform numbers in effect")


def _positive_money(value: str | None) -> str | None:
    if value is not None and Decimal(value) <= 0:
        raise ValueError("must be more than 0")
    return value


PositiveMoney = Annotated[Money, AfterValidator(_positive_money)]
FactDate = Annotated[DayOrTime, Field(
    description="a day (2025-11-10) or a time (2025-11-10T14:02:00+08:00)")]


class Demand(Contract):
    kind: DemandKind
    amount: PositiveMoney | None = Field(default=None, description=(
        "yuan. refund_only/return_refund: the refund (default: what was paid); "
        "compensation: the compensation on top of the refund (required)"))
    no_reason: bool = Field(default=False, description="a §25 7-day no-reason return, not a fault")

    @model_validator(mode="after")
    def _amount_fits_kind(self) -> Demand:
        if self.kind is DemandKind.compensation and self.amount is None:
            raise ValueError("a compensation demand needs an amount")
        if self.amount is not None and self.kind not in (
                DemandKind.refund_only, DemandKind.return_refund, DemandKind.compensation):
            raise ValueError(f"{self.kind.value} takes no amount")
        return self


class Fact(Contract):
    date: FactDate | None = None
    text: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    seller_reply: bool = Field(default=False, description=(
        "the seller's answer or refusal: a form too small for every fact keeps the latest one first "
        "(a fact naming the seller's refusal is recognised without it)"))


class SellerPromise(Contract):
    text: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="the promise as the listing shows it, e.g. 假一赔三")
    multiplier: int | None = Field(default=None, ge=1, le=10,
                                   description="N of 假一赔N: N × price on top of the refund")
    amount: PositiveMoney | None = Field(default=None, description="a fixed promised amount, yuan")


Line = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Complainant(Contract):
    """The buyer as 12315, a consumer association or a court requires them (暂行办法 §9).
    Typed by the buyer and kept on this computer; these fields are never linted as a leak
    and appear only in the regulator, association and court texts."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 -]{4,19}$")]
    address: Line


class Respondent(Contract):
    """The operator behind the shop, from its licence page (店铺首页 → 营业执照/经营者信息)."""

    operator_name: Line | None = None
    operator_address: Line | None = None
    credit_code: Annotated[str, StringConstraints(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")] | None = Field(
        default=None, description="统一社会信用代码")


FraudFactLabel = Annotated[str, StringConstraints(min_length=1, max_length=20)]


class DraftRequest(Contract):
    complaint_type: ComplaintType
    demand: Demand
    facts: list[Fact] = Field(default_factory=list, max_length=50,
                              description="what happened, in the buyer's words; sorted by date")
    notes: Annotated[str, StringConstraints(max_length=200_000)] | None = Field(
        default=None, description="free-form notes; HTML is stripped, long notes are shortened")
    sub_order_id: DigitId | None = Field(default=None,
                                         description="the item complained about (default: the whole order)")
    sub_order_ids: list[DigitId] | None = Field(default=None, min_length=1, max_length=200, description=(
        "the items complained about (default: the whole order); amounts follow them, using what "
        "was actually paid for them (the order's discounts shared out by the items' prices)"))
    channel: Channel = Field(default=Channel.platform, description=(
        "who the draft is for: seller (first message), platform (申请售后/投诉 form), "
        "regulator (12315), association (消费者协会), court (an outline)"))
    fraud_facts: list[FraudFactLabel] = Field(default_factory=list, max_length=10, description=(
        "the buyer's stated facts that make a §55 (fraud) claim, as labelled in the catalog's "
        "fraud_facts (e.g. 以假充真, 虚构原价); without one a §55 demand is refused"))
    injury: bool = Field(default=False, description=(
        "the defect caused injury or damage to other property (产品质量法 §45 applies only then)"))
    ship_within_hours: int | None = Field(default=None, ge=1, le=24 * 90, description=(
        "the shipping time the listing promised, in hours from payment (e.g. 48)"))
    complainant: Complainant | None = Field(default=None, description="regulator, association and court only")
    respondent: Respondent | None = None
    goods: GoodsKind = GoodsKind.general
    seller_promise: SellerPromise | None = None
    language: Language = Language.zh
    form_limit: int | None = Field(default=None, ge=100, le=5000,
                                   description="characters of the form box (default: the channel's setting)")

    @model_validator(mode="after")
    def _one_way_to_name_items(self) -> DraftRequest:
        if self.sub_order_id is not None and self.sub_order_ids is not None:
            raise ValueError("give sub_order_ids or sub_order_id, not both")
        return self

    @property
    def items(self) -> list[str] | None:
        """The sub-orders complained about; None = the whole order."""
        if self.sub_order_ids is not None:
            return list(dict.fromkeys(self.sub_order_ids))
        return [self.sub_order_id] if self.sub_order_id is not None else None
