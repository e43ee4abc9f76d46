"""Secrets (the Ed25519 signing key, the local admin token) and pairing codes.

Secrets live in the OS keyring through `keyring`. Where no keyring backend exists (a
headless Linux without Secret Service, CI), they live in `secrets.json` in the data dir
with mode 0600, and `tousu-helper status` says so. Client tokens are never stored at
rest at all: the store keeps only their SHA-256, the raw token lives in the extension.

Pairing codes exist only in the daemon's memory: 5 minutes, single use, five wrong tries
lock that client name for a minute, and one guessing budget for all callers keeps any
program from guessing its way to a token (see `Pairing`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEYRING_SERVICE = "tousu-helper"


class SecretBackend(Protocol):
    name: str

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


class KeyringBackend:
    """The OS keyring (macOS Keychain, Windows Credential Locker, Secret Service)."""

    name = "keyring"

    def __init__(self, data_dir: Path) -> None:
        import keyring

        self._keyring = keyring
        # One data dir, one set of secrets: tests and second profiles must not collide.
        self._scope = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]

    def get(self, key: str) -> str | None:
        return self._keyring.get_password(KEYRING_SERVICE, f"{key}@{self._scope}")

    def set(self, key: str, value: str) -> None:
        self._keyring.set_password(KEYRING_SERVICE, f"{key}@{self._scope}", value)


class FileBackend:
    """A JSON file readable by the owner only; used when there is no keyring."""

    name = "file"

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "secrets.json"
        self._lock = threading.Lock()

    def _read(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def get(self, key: str) -> str | None:
        return self._read().get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            data = self._read()
            data[key] = value
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            os.chmod(self.path, 0o600)


def _keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or backend.priority <= 0:
            return False
        keyring.get_password(KEYRING_SERVICE, "probe")
        return True
    except Exception:  # noqa: BLE001 - any keyring failure means "no usable keyring"
        return False


def secret_backend(data_dir: Path, choice: str = "auto") -> SecretBackend:
    if choice == "file" or (choice == "auto" and not _keyring_usable()):
        return FileBackend(data_dir)
    return KeyringBackend(data_dir)


class LazyBackend:
    """Chooses the backend on first use: probing a keyring costs 50–300 ms (D-Bus, plugin
    discovery), which the daemon's start-up and `/health` should not pay."""

    def __init__(self, data_dir: Path, choice: str = "auto") -> None:
        self._data_dir, self._choice = data_dir, choice
        self._backend: SecretBackend | None = None

    @property
    def resolved(self) -> SecretBackend:
        if self._backend is None:
            self._backend = secret_backend(self._data_dir, self._choice)
        return self._backend

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.resolved.name

    def get(self, key: str) -> str | None:
        return self.resolved.get(key)

    def set(self, key: str, value: str) -> None:
        self.resolved.set(key, value)


class Secrets:
    """Typed access to the helper's secrets on top of a backend."""

    def __init__(self, backend: SecretBackend, data_dir: Path) -> None:
        self.backend = backend
        self._data_dir = data_dir

    @property
    def description(self) -> str:
        return "keyring" if self.backend.name == "keyring" else "file (no keyring)"

    def _get_or_create(self, key: str, make: Callable[[], str]) -> str:
        value = self.backend.get(key)
        if value is None:
            value = make()
            self.backend.set(key, value)
        return value

    def admin_token(self) -> str:
        """Lets the CLI (same user, same data dir) ask the daemon for pairing codes."""
        return self._get_or_create("admin_token", lambda: "adm_" + secrets.token_urlsafe(32))

    def signing_key(self) -> Ed25519PrivateKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw = self._get_or_create(
            "signing_key",
            lambda: base64.b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode())
        key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw))
        public = self._data_dir / "signing_key.pub"
        if not public.exists():
            public.write_bytes(key.public_key().public_bytes(Encoding.PEM,
                                                             PublicFormat.SubjectPublicKeyInfo))
        return key


PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed by hand


def normalize_code(code: str) -> str:
    """The code's letters and digits, upper case. NFKC first, so a code typed with a
    Chinese input method's full-width characters (ＡＢＣＤ－２３４５) still matches;
    whatever is not ASCII after that cannot be part of a code."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", code).upper()
                   if ch.isascii() and ch.isalnum())


@dataclass
class _Code:
    value: str
    expires: float


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0


class Pairing:
    """One-time pairing codes: 8 characters of 31 (8.5·10¹¹ codes), 5 minutes, single use.

    Every caller of `POST /pair` comes from 127.0.0.1 and may send any `client_name`, so
    no caller can be told apart for sure. A lock-out for everyone (what this once was)
    hands any local program a cheap way to keep the buyer from pairing: five wrong codes
    a minute. So there are two limits, for two different jobs:

    - Per client name, five wrong codes lock *that name* for a minute: the guard against
      a typo loop in one client, which never locks out a client with another name. An
      attacker can change names, so this alone does not stop guessing.
    - One guessing budget for all names together (a GCRA schedule): `burst` codes may be
      checked at once, then `rate` per second. Past the budget, an attempt is not refused
      but *waits its turn* (`admit()`), in arrival order. That bounds guessing — at 2 a
      second, a code living 5 minutes meets at most 620 guesses, a 7·10⁻¹⁰ chance — while a
      flood only delays an honest pairing by the flood's queue (at most the daemon's
      connection cap, 64 × 0.5 s), and never locks it out.
    """

    def __init__(self, ttl_s: float = 300, max_failures: int = 5, lockout_s: float = 60,
                 burst: int = 20, rate_per_s: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s, self.max_failures, self.lockout_s = ttl_s, max_failures, lockout_s
        self._interval = 1 / rate_per_s
        self._tolerance = burst * self._interval
        self._clock = clock
        self._codes: list[_Code] = []
        self._failures: dict[str, _Failures] = {}
        self._next_slot = 0.0

    def new_code(self) -> tuple[str, datetime]:
        raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))
        now = self._clock()
        self._codes = [c for c in self._codes if c.expires > now]
        self._codes.append(_Code(raw, now + self.ttl_s))
        expires_at = datetime.now(timezone.utc) + timedelta(seconds=self.ttl_s)
        return f"{raw[:4]}-{raw[4:]}", expires_at

    def locked_for(self, client: str = "") -> float:
        """Seconds until this client name may try again (0: it may now)."""
        entry = self._failures.get(_client_key(client))
        return max(0.0, entry.locked_until - self._clock()) if entry else 0.0

    def admit(self) -> float:
        """Take the next slot of the shared guessing budget; the seconds to wait for it."""
        now = self._clock()
        slot = max(self._next_slot, now)
        self._next_slot = slot + self._interval
        return max(0.0, self._next_slot - now - self._tolerance)

    def redeem(self, code: str, client: str = "") -> bool:
        """True exactly once per valid code. A locked name's code is not even checked."""
        now = self._clock()
        if self.locked_for(client) > 0:
            return False
        given = normalize_code(code).encode()
        for c in self._codes:
            if c.expires > now and hmac.compare_digest(c.value.encode(), given):
                self._codes.remove(c)
                self._failures.pop(_client_key(client), None)
                return True
        self._count_failure(_client_key(client), now)
        return False

    def _count_failure(self, key: str, now: float) -> None:
        # Forget names that are neither locked nor failed lately: the budget caps how many
        # failures (and so names) a minute can bring, so this stays small.
        self._failures = {k: f for k, f in self._failures.items()
                          if f.locked_until > now or f.last > now - self.lockout_s}
        entry = self._failures.setdefault(key, _Failures())
        entry.count, entry.last = entry.count + 1, now
        if entry.count >= self.max_failures:
            entry.count, entry.locked_until = 0, now + self.lockout_s


def _client_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()
