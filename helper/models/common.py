"""Shared building blocks of every model: id and money strings, Beijing time, the base classes.

Ids are strings of digits on purpose: Taobao's 19-digit ids lose precision as
JavaScript numbers, so a number where an id belongs is refused, not "fixed".
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
EARLIEST_DAY = date(2003, 1, 1)
"""Taobao opened in 2003: no order, payment or delivery on it is older."""
CLIENT_INPUT = "client_input"
"""Validation-context flag for what a client sends (set by `helper.api.routes.read_json`).
The date window judges a request against today; stored orders and drafts are history
and load as they were stored, so one old bad row never stops a case from loading."""

D = TypeVar("D", date, datetime)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def date_window(now: datetime | None = None) -> tuple[date, date]:
    """The first and last Beijing day a client-sent date may fall on: from 2003-01-01 to a
    year from today. A later date is a typing or page-reading mistake, and it would push
    every deadline computed from it past what a date can hold."""
    today = (now or utc_now()).astimezone(CHINA_TZ).date()
    try:
        return EARLIEST_DAY, today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return EARLIEST_DAY, today.replace(year=today.year + 1, day=28)


def _in_window(value: D, info: ValidationInfo) -> D:
    if not (info.context or {}).get(CLIENT_INPUT):
        return value
    first, last = date_window()
    if isinstance(value, datetime):
        # compared as aware times: converting 0001-01-01 or 9999-12-31 to +08:00 overflows
        moment = value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)
        inside = (datetime.combine(first, time.min, CHINA_TZ) <= moment
                  <= datetime.combine(last, time.max, CHINA_TZ))
    else:
        inside = first <= value <= last
    if not inside:
        raise PydanticCustomError(
            "date_out_of_range",
            "{value} is not a plausible date: it must lie between {first} and {last} "
            "(Taobao began in 2003; a date more than a year ahead is a typing or reading mistake)",
            {"value": value.isoformat(), "first": first.isoformat(), "last": last.isoformat()})
    return value


def _to_china_time(value: datetime) -> datetime:
    """Taobao shows naive Beijing times ("2025-11-08 03:44:47"); store them with +08:00."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=CHINA_TZ)
    try:
        return value.astimezone(CHINA_TZ)
    except OverflowError:
        raise ValueError(f"{value.isoformat()} cannot be expressed in Beijing time") from None


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

ChinaTime = Annotated[datetime, AfterValidator(_in_window), AfterValidator(_to_china_time)]
"""ISO 8601; a time without an offset is taken as Beijing time (+08:00). From a client it
must fall within `date_window()`."""


def _china_time_if_time(value: date) -> date:
    return _to_china_time(value) if isinstance(value, datetime) else value


DayOrTime = Annotated[date | datetime, AfterValidator(_in_window), AfterValidator(_china_time_if_time)]
"""A day (2025-11-10) or a time, which becomes Beijing time like `ChinaTime`. The window
is checked on the value as parsed, so its refusal names the field once."""

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
