"""Settings: data dir, port, capture and evidence options. Precedence: CLI flag > env >
config.toml > default.

The data dir is the platformdirs user data dir unless `--data-dir` or `TOUSU_DATA_DIR`
says otherwise; `config.toml` inside it is optional. The one setting the helper writes
itself is the buyer's answer to the timestamp question (`[evidence] timestamps`), asked
once in the review UI: `save_timestamp_consent` changes that line and nothing else.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from helper.models import ComplaintSettings

DEFAULT_PORT = 17345
EXTENSION_ID = "paegkndigljloklnnmkmaflceaiailcm"
"""Derived from the fixed `key` in extension/manifest.json; the helper pins this Origin."""

DEFAULT_ALLOWED_HOSTS = [
    "taobao.com", "tmall.com", "alicdn.com", "tbcdn.cn", "alipay.com",
    "taobaocdn.com", "tmall.hk", "alibaba.com", "mmstat.com",
]


class ConfigError(Exception):
    """A setting is wrong; the message says which and how to fix it."""


class CaptureSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    browser: str | None = Field(default=None, description="path to a Chromium-family browser")
    host_resolver_rules: str | None = Field(
        default=None, description='passed to the capture browser, e.g. "MAP *.taobao.com:443 127.0.0.1:8443"')
    extra_allowed_hosts: list[str] = Field(default_factory=list)
    allow_http: bool = False
    concurrency: Annotated[int, Field(ge=1, le=8)] = 2
    navigation_timeout_s: Annotated[float, Field(gt=0, le=300)] = 30
    capture_timeout_s: Annotated[float, Field(gt=0, le=600)] = 60
    ignore_https_errors: bool = Field(
        default=False, description="TEST ONLY: accept the fixture site's self-signed certificate")
    max_artifact_mb: Annotated[int, Field(ge=1, le=2048)] = 200


DEFAULT_TSA_URLS = ["http://timestamp.digicert.com", "http://timestamp.sectigo.com"]
"""Public RFC 3161 authorities reachable from China without an account (README lists
others, 联合信任时间戳服务中心 among them, which need one). Nothing is sent to them unless
the buyer agrees (`timestamps = true`)."""


class EvidenceSettings(BaseModel):
    """[evidence]: trusted timestamps. Only a SHA-256 ever leaves the machine, and only
    with the buyer's consent; without it, or without a reachable authority, evidence is
    kept exactly the same and its manifest says it is not timestamped."""

    model_config = ConfigDict(extra="forbid")

    timestamps: bool = Field(default=False, description=(
        "the buyer's consent to send SHA-256 hashes (never content) to the authorities below"))
    tsa_urls: list[Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=500)]] = Field(
        default_factory=lambda: list(DEFAULT_TSA_URLS), max_length=10,
        description="RFC 3161 time-stamping authorities, tried in order")
    tsa_timeout_s: Annotated[float, Field(gt=0, le=60)] = Field(
        default=5, description="how long one authority may take to answer")
    tsa_ca_file: str | None = Field(default=None, description=(
        "PEM file of extra trusted TSA root certificates (the system's roots are trusted too)"))
    clock_tolerance_s: Annotated[float, Field(gt=0, le=86_400)] = Field(
        default=300, description="how far a token's time may be from the capture's own clock")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_dir: Path
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = DEFAULT_PORT
    secrets_backend: str = Field(default="auto", pattern="^(auto|keyring|file)$")
    extension_ids: list[str] = Field(default_factory=lambda: [EXTENSION_ID])
    upload_max_mb: Annotated[int, Field(ge=1, le=4096)] = 500
    capture: CaptureSettings = Field(default_factory=CaptureSettings)
    complaint: ComplaintSettings = Field(
        default_factory=ComplaintSettings,
        description="[complaint]: platform numbers DOMAIN.md marks UNCONFIRMED, form limit, reminders")
    evidence: EvidenceSettings = Field(default_factory=EvidenceSettings)

    @field_validator("host")
    @classmethod
    def _loopback_only(cls, host: str) -> str:
        if host == "localhost":
            return "127.0.0.1"
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(
                f"refusing to listen on {host!r}: the helper only binds to loopback "
                "(127.0.0.1 or ::1) so no other computer can reach your evidence")
        return host

    @property
    def config_file(self) -> Path:
        return self.data_dir / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("tousu-helper", appauthor=False))


def load_settings(data_dir: str | os.PathLike[str] | None = None, **overrides: object) -> Settings:
    """Read settings; `overrides` (from CLI flags) win over config.toml. None means unset."""
    root = Path(data_dir or os.environ.get("TOUSU_DATA_DIR") or default_data_dir()).expanduser()
    values: dict[str, object] = {}
    config_file = root / "config.toml"
    if config_file.is_file():
        try:
            values = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_file}: not valid TOML ({exc})") from exc
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["data_dir"] = root
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'config'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors())
        raise ConfigError(f"invalid setting ({config_file}): {problems}") from exc
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ConfigError(f"cannot create the data dir {root}: {exc.strerror}") from exc
    return settings


_EVIDENCE_TABLE = re.compile(r"^\s*\[\s*evidence\s*\]\s*(#.*)?$")
_TABLE = re.compile(r"^\s*\[")
_TIMESTAMPS_KEY = re.compile(r"^\s*timestamps\s*=")


def timestamp_consent_asked(settings: Settings) -> bool:
    """True once config.toml holds an answer (`[evidence] timestamps = …`), either way."""
    try:
        values = tomllib.loads(settings.config_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return isinstance(values.get("evidence"), dict) and "timestamps" in values["evidence"]


def save_timestamp_consent(settings: Settings, agreed: bool) -> None:
    """Write the buyer's answer into config.toml, leaving every other line as it was, and
    apply it to the running settings. The file is replaced atomically and re-read: a file
    this edit would break is left alone (ConfigError)."""
    path = settings.config_file
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    value = f"timestamps = {'true' if agreed else 'false'}"
    table = next((i for i, line in enumerate(lines) if _EVIDENCE_TABLE.match(line)), None)
    if table is None:
        lines += ([""] if lines else []) + ["[evidence]", value]
    else:
        end = next((i for i in range(table + 1, len(lines)) if _TABLE.match(lines[i])), len(lines))
        key = next((i for i in range(table + 1, end) if _TIMESTAMPS_KEY.match(lines[i])), None)
        if key is None:
            lines.insert(table + 1, value)
        else:
            lines[key] = value
    text = "\n".join(lines) + "\n"
    try:
        parsed = tomllib.loads(text)["evidence"]["timestamps"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: cannot record the timestamp answer without breaking the file ({exc})") from exc
    if parsed is not agreed:
        raise ConfigError(f"{path}: the [evidence] table is written in a way this edit cannot follow")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    settings.evidence.timestamps = agreed
