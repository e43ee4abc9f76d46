"""The complaint catalog: types, demands, evidence checklists and bases, as data files.

The TOML files in `data/` are the knowledge (labels, synonyms, articles); this module
only loads them, validates them with the contract models and checks that they are
complete — every complaint type and demand kind of DESIGN.md's vocabulary exactly once,
every basis a type names exists — so a typo fails at startup, not in a buyer's draft.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from helper.models import (
    Catalog,
    CatalogBasis,
    CatalogChannel,
    CatalogDemand,
    CatalogFraudFact,
    CatalogGoods,
    CatalogType,
    Channel,
    ComplaintSettings,
    ComplaintType,
    DemandKind,
    EvidenceCategory,
    GoodsKind,
    Language,
)

FILES = ("vocabulary.toml", "types.toml", "bases.toml")


class CatalogError(ValueError):
    """The catalog data is inconsistent; the message names the entry."""


def _read() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    root = resources.files("helper.complaint").joinpath("data")
    for name in FILES:
        merged.update(tomllib.loads(root.joinpath(name).read_text("utf-8")))
    return merged


def _check_complete(catalog: Catalog) -> None:
    def exactly_once(found: list[str], expected: list[str], what: str) -> None:
        if sorted(found) != sorted(expected):
            raise CatalogError(f"catalog {what}: expected each of {sorted(expected)} once, got {sorted(found)}")

    exactly_once([t.id.value for t in catalog.types], [t.value for t in ComplaintType], "types")
    exactly_once([d.id.value for d in catalog.demands], [d.value for d in DemandKind], "demands")
    exactly_once([e.id for e in catalog.evidence_categories], [e.value for e in EvidenceCategory],
                 "evidence_categories")
    exactly_once([g.id for g in catalog.goods], [g.value for g in GoodsKind], "goods")
    exactly_once([c.id.value for c in catalog.channels], [c.value for c in Channel], "channels")
    if [c.id for c in catalog.channels] != list(Channel):
        raise CatalogError("catalog channels must be listed in the escalation order of `Channel`")
    labels = [f.label for f in catalog.fraud_facts]
    if len(set(labels)) != len(labels):
        raise CatalogError(f"catalog fraud_facts: a label is listed twice in {labels}")
    known = {b.id for b in catalog.bases}
    for owner, ids in [*((t.id.value, t.bases) for t in catalog.types),
                       *((d.id.value, d.bases) for d in catalog.demands)]:
        if missing := set(ids) - known:
            raise CatalogError(f"catalog entry {owner} names unknown bases {sorted(missing)}")


@dataclass(frozen=True)
class Index:
    """The loaded catalog with lookups by id."""

    catalog: Catalog
    types: dict[ComplaintType, CatalogType]
    demands: dict[DemandKind, CatalogDemand]
    bases: dict[str, CatalogBasis]
    goods: dict[GoodsKind, CatalogGoods]
    evidence: dict[EvidenceCategory, tuple[str, str]]
    channels: dict[Channel, CatalogChannel]
    fraud_facts: dict[str, CatalogFraudFact]

    def evidence_label(self, category: EvidenceCategory, language: Language) -> str:
        zh, en = self.evidence[category]
        return en if language is Language.en else zh

    def with_settings(self, settings: ComplaintSettings) -> Catalog:
        """The catalog as served: data plus the platform numbers in effect."""
        return self.catalog.model_copy(update={"platform": settings})


@cache
def load() -> Index:
    try:
        catalog = Catalog.model_validate(_read())
    except ValueError as exc:
        raise CatalogError(f"catalog data is invalid: {exc}") from exc
    _check_complete(catalog)
    return Index(
        catalog=catalog,
        types={t.id: t for t in catalog.types},
        demands={d.id: d for d in catalog.demands},
        bases={b.id: b for b in catalog.bases},
        goods={GoodsKind(g.id): g for g in catalog.goods},
        evidence={EvidenceCategory(e.id): (e.label, e.label_en) for e in catalog.evidence_categories},
        channels={c.id: c for c in catalog.channels},
        fraud_facts={f.label: f for f in catalog.fraud_facts},
    )
