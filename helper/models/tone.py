"""The tone linter's request and findings."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from helper.models.common import Contract, Model
from helper.models.complaint import ComplaintType


class LintRequest(Contract):
    text: Annotated[str, StringConstraints(max_length=200_000)]
    case_id: Annotated[str, StringConstraints(max_length=64)] | None = Field(default=None, description=(
        "the case the text belongs to: its item titles are product names, not insults (骗子鱼, 傻瓜相机)"))
    complaint_type: ComplaintType | None = Field(default=None, description=(
        "the complaint's type: 骚扰 is the subject of a service_harassment complaint"))


class LintCategory(StrEnum):
    insult = "insult"
    threat = "threat"
    absolute = "absolute"
    punctuation = "punctuation"
    shouting = "shouting"
    emotional = "emotional"
    personal_data = "personal_data"


class LintFinding(Model):
    start: int = Field(description="offset of the first character (Python str index, code points)")
    end: int = Field(description="offset after the last character")
    category: LintCategory
    severity: Literal["low", "medium", "high"]
    text: str = Field(description="the flagged text")
    suggestion: str = Field(description="a neutral rewrite or what to do instead")
    replacement: str | None = Field(default=None,
                                    description="a drop-in neutral replacement when one exists")


class LintResult(Model):
    findings: list[LintFinding]
    truncated: bool = Field(default=False, description="more findings than the response lists (the first 1,000)")


class SourcedFinding(LintFinding):
    """A finding in the buyer's own input; offsets index that field's text as sent
    (after the leading/trailing whitespace every request string is trimmed of)."""

    source: str = Field(description="where in the request: facts[0], notes …")
