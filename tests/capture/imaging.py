"""Just enough PNG and PDF reading to check captured artifacts without extra dependencies."""

from __future__ import annotations

import re
import struct
import zlib


def make_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour RGB PNG (for fixture images)."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Png:
    def __init__(self, width: int, height: int, channels: int, rows: list[bytes]) -> None:
        self.width, self.height, self.channels, self.rows = width, height, channels, rows

    def pixel(self, x: int, y: int) -> tuple[int, ...]:
        c = self.channels
        return tuple(self.rows[y][x * c:(x + 1) * c])

    def region(self, x0: int, y0: int, x1: int, y1: int) -> bytes:
        c = self.channels
        return b"".join(self.rows[y][x0 * c:x1 * c] for y in range(y0, y1))


def decode_png(data: bytes) -> Png:
    """Decode an 8-bit RGB/RGBA/grey PNG (what Chromium writes); checks every chunk CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert ihdr is not None
    width, height, depth, colour, _, _, interlace = ihdr
    assert depth == 8 and interlace == 0, (depth, interlace)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    i = 0
    for _ in range(height):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if ftype == 0:
            rows.append(bytes(line))
            prev = line
            continue
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return Png(width, height, channels, rows)


def pdf_page_count(data: bytes) -> int:
    assert data.startswith(b"%PDF-"), "not a PDF"
    assert b"%%EOF" in data[-1024:], "PDF is truncated"
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def pdf_font_names(data: bytes) -> list[str]:
    names = re.findall(rb"/(?:BaseFont|FontName)\s*/([A-Za-z0-9+\-_,]+)", data)
    names += re.findall(rb"/FontFamily\s*\(([^)]*)\)", data)
    return sorted({m.decode("latin-1") for m in names})
