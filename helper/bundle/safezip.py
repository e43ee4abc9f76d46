"""Reading a ZIP from anyone with bounded memory and time.

`zipfile` trusts the archive: it reads the whole central directory into memory, reads
an entry as far as asked, and happily hands out two entries whose data overlap (the
"quoted overlap" zip bomb). Here every size is checked before anything is read: the
central directory from the end-of-central-directory record, each entry's declared size,
the sum of all, overlaps between entries; small files are read with a cap, large ones
only streamed through SHA-256; JSON is measured (depth, number of values) before
`json.loads` builds it. Each refusal is a `BundleReadError` whose message names the file.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import IO

from helper.bundle import layout

EOCD, EOCD64_LOCATOR, EOCD64 = b"PK\x05\x06", b"PK\x06\x07", b"PK\x06\x06"
READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
               NotImplementedError, RuntimeError, struct.error)
"""What `zipfile` raises on a damaged or hostile entry (RuntimeError: encrypted)."""


class BundleReadError(Exception):
    """A bundle (or one file in it) that cannot be read safely; the message names it."""


def directory_size(fh: IO[bytes], size: int) -> tuple[int, int]:
    """(entries, central directory bytes) as the end records declare them — what
    `zipfile.ZipFile` would load, learnt without loading it."""
    tail_len = min(size, 22 + 0xFFFF)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(EOCD)
    if at < 0 or len(tail) - at < 22:
        raise BundleReadError("not a ZIP file (no end-of-central-directory record)")
    entries, cd_size, cd_offset = struct.unpack("<HII", tail[at + 10:at + 20])
    if entries == 0xFFFF or 0xFFFFFFFF in (cd_size, cd_offset):
        record = tail[at - 76:at - 20] if at >= 76 else b""
        if tail[at - 20:at - 16] != EOCD64_LOCATOR or record[:4] != EOCD64:
            raise BundleReadError("a ZIP64 bundle without a readable ZIP64 end record")
        entries, cd_size = struct.unpack("<QQ", record[32:48])
    return entries, cd_size


def open_bundle(path: Path) -> zipfile.ZipFile:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            entries, cd_size = directory_size(fh, size)
    except OSError as exc:
        raise BundleReadError(f"cannot be read ({exc.strerror or exc})") from None
    if entries > layout.MAX_ENTRIES:
        raise BundleReadError(f"declares {entries} files; a bundle holds at most {layout.MAX_ENTRIES}")
    if cd_size > layout.MAX_CENTRAL_DIRECTORY:
        raise BundleReadError(f"its file list (central directory) is {cd_size} bytes; at most "
                              f"{layout.MAX_CENTRAL_DIRECTORY} are read")
    try:
        return zipfile.ZipFile(path)
    except READ_ERRORS as exc:
        raise BundleReadError(f"not a readable ZIP file ({exc})") from None


def entry_problems(zf: zipfile.ZipFile) -> list[str]:
    """Everything wrong with the entry list itself, before any entry is read."""
    infos = zf.infolist()
    out = []
    if len(infos) > layout.MAX_ENTRIES:
        return [f"the ZIP holds {len(infos)} entries; a bundle holds at most {layout.MAX_ENTRIES}"]
    total = 0
    for info in infos:
        name = info.filename
        if len(name.encode("utf-8", "surrogateescape")) > layout.MAX_NAME_BYTES:
            out.append(f"{name[:80]}…: a file name longer than {layout.MAX_NAME_BYTES} bytes")
            continue
        if (name.startswith("/") or ".." in PurePosixPath(name).parts or "\\" in name
                or re.match(r"^[A-Za-z]:", name) or "\x00" in name):
            out.append(f"{name}: unsafe path in the bundle")
        mode = info.external_attr >> 16
        if mode and not info.is_dir() and (mode & 0o170000) not in (0, 0o100000):
            out.append(f"{name}: not a regular file (a link or device) in the bundle")
        if info.file_size > layout.MAX_ENTRY_BYTES:
            out.append(f"{name}: {info.file_size} bytes unpacked; one file may be at most "
                       f"{layout.MAX_ENTRY_BYTES // 2**30} GiB")
        total += info.file_size
    if total > layout.MAX_TOTAL_BYTES:
        out.append(f"the files unpack to {total} bytes; a bundle may hold at most "
                   f"{layout.MAX_TOTAL_BYTES // 2**30} GiB")
    names = Counter(i.filename for i in infos if not i.is_dir())
    for name in sorted(n for n, count in names.items() if count > 1):
        out.append(f"{name}: appears more than once in the ZIP (unzip tools may pick "
                   "a different copy than the one checked)")
    out.extend(_overlaps(zf, infos))
    return out


def _overlaps(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[str]:
    """Entries whose data run into the next entry (or the central directory): the shape of
    a zip bomb that unpacks one compressed stream many times over."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    limits = [i.header_offset for i in ordered[1:]] + [zf.start_dir]
    out = []
    for info, limit in zip(ordered, limits):
        data_start = info.header_offset + 30 + len(info.orig_filename.encode("utf-8", "surrogateescape"))
        if data_start + info.compress_size > limit:
            out.append(f"{info.filename}: its data overlap another entry of the ZIP (a zip bomb's "
                       "trick, never made by an export)")
    return out


def read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """The whole entry, if it is at most `cap` bytes (declared and actual)."""
    if info.file_size > cap:
        raise BundleReadError(f"{info.filename}: {info.file_size} bytes; at most {cap} are read")
    try:
        with zf.open(info) as fh:
            data = fh.read(cap + 1)
    except READ_ERRORS as exc:
        raise BundleReadError(f"{info.filename}: corrupted in the ZIP ({exc})") from None
    if len(data) > cap:
        raise BundleReadError(f"{info.filename}: more than {cap} bytes; at most {cap} are read")
    return data


def hash_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    """SHA-256 and size, streamed (an entry may be gigabytes)."""
    digest, size = hashlib.sha256(), 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(layout.CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except READ_ERRORS as exc:
        raise BundleReadError(f"{info.filename}: corrupted in the ZIP ({exc})") from None
    return digest.hexdigest(), size


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_shape_problem(raw: bytes) -> str | None:
    """Too deep or too many values for `json.loads` to build safely; None when fine (or
    when malformed in a way json.loads itself reports)."""
    skeleton = _JSON_STRING.sub(b'""', raw)
    values = skeleton.count(b",") + skeleton.count(b"[") + skeleton.count(b"{")
    if values > layout.MAX_JSON_VALUES:
        return f"holds about {values} JSON values; at most {layout.MAX_JSON_VALUES} are read"
    brackets = skeleton.translate(_BRACKETS, _NOT_BRACKETS)
    for _ in range(layout.MAX_JSON_DEPTH):
        if not brackets:
            return None
        peeled = brackets.replace(b"[]", b"")
        if peeled == brackets:
            return None
        brackets = peeled
    if brackets and brackets.replace(b"[]", b"") != brackets:
        return f"JSON nested more than {layout.MAX_JSON_DEPTH} levels deep"
    return None
