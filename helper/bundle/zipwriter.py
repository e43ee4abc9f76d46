"""Adding files to the bundle's ZIP: streamed, hashed while written, compressed only where
it helps (photos, video and PDFs are stored as they are)."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime
from pathlib import Path

from helper.bundle.layout import CHUNK

COMPRESSIBLE = ("text/", "application/json", "multipart/related", "message/rfc822",
                "application/x-mimearchive", "image/svg+xml", "image/bmp")


class AlteredOnDisk(Exception):
    """An archived file no longer has the SHA-256 its evidence record holds."""


def _info(arcname: str, media_type: str) -> zipfile.ZipInfo:
    now = datetime.now()
    info = zipfile.ZipInfo(arcname, date_time=(max(now.year, 1980), now.month, now.day,
                                               now.hour, now.minute, now.second))
    info.compress_type = zipfile.ZIP_DEFLATED if media_type.startswith(COMPRESSIBLE) else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def add_file(zf: zipfile.ZipFile, arcname: str, source: Path, media_type: str,
             expected_sha256: str | None = None) -> tuple[str, int]:
    """Copy `source` in chunks (evidence can be gigabytes); (sha256, size) of what was written."""
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as src, zf.open(_info(arcname, media_type), "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    sha = digest.hexdigest()
    if expected_sha256 is not None and sha != expected_sha256:
        raise AlteredOnDisk(f"{arcname}: the archived file no longer matches its recorded SHA-256 "
                            f"(now {sha[:16]}…, recorded {expected_sha256[:16]}…); it was altered on "
                            "disk — run `tousu-helper verify`")
    return sha, size


def add_bytes(zf: zipfile.ZipFile, arcname: str, data: bytes, media_type: str) -> tuple[str, int]:
    zf.writestr(_info(arcname, media_type), data)
    return hashlib.sha256(data).hexdigest(), len(data)
