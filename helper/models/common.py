"""Shared building blocks of every model: id and money strings, Beijing time, the base classes.

Ids are strings of digits on purpose: Taobao's 19-digit ids lose precision as
JavaScript numbers, so a number where an id belongs is refused, not "fixed".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, WithJsonSchema

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def _to_china_time(value: datetime) -> datetime:
    """Taobao shows naive Beijing times ("2025-11-08 03:44:47"); store them with +08:00."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=CHINA_TZ)
    return value.astimezone(CHINA_TZ)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


DigitId = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[0-9]{1,24}$"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{1,24}$",
                    "description": "decimal digits as a string (never a JSON number)"}),
]
"""An exact Taobao id. `strict` refuses JSON numbers, which lose precision in browsers."""


Money = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[0-9]{1,9}(\.[0-9]{1,2})?$"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{1,9}(\\.[0-9]{1,2})?$",
                    "description": "yuan as a decimal string, e.g. \"47.40\""}),
]

ChinaTime = Annotated[datetime, AfterValidator(_to_china_time)]
"""ISO 8601; a time without an offset is taken as Beijing time (+08:00)."""

HttpUrl = Annotated[str, StringConstraints(max_length=4096, pattern=r"^https?://\S+$")]
ShortText = Annotated[str, StringConstraints(max_length=500)]


class Model(BaseModel):
    """Base of every model in helper.models. Validators are built on first use, not at import: the
    daemon must answer `/health` fast, and most models are not needed for that."""

    model_config = ConfigDict(defer_build=True)


class Contract(Model):
    """Base for request/contract models: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Notice(Model):
    """A warning or reason: a stable code plus a sentence the buyer can act on."""

    code: str
    message: str
