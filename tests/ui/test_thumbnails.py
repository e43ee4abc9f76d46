"""Thumbnails: the top of a tall page at 320 × 240, decoded top-only yet pixel-identical,
cached by content hash, and nothing for what is not an image."""

from __future__ import annotations

import io

from helper.store.blobs import BlobStore
from helper.thumbnails import Thumbnails
from tests.ui.conftest import png_bytes


def test_tall_png_top_only_matches_full_decode(tmp_path) -> None:  # noqa: ANN001
    from PIL import Image

    blobs = BlobStore(tmp_path / "blobs")
    ref = blobs.put_bytes(png_bytes(1280, 10900, "#7a5af8"))
    fast = Thumbnails(tmp_path / "fast", blobs)._generate(ref.sha256, fast=True)
    slow = Thumbnails(tmp_path / "slow", blobs)._generate(ref.sha256, fast=False)
    assert fast is not None and slow is not None
    assert fast.read_bytes() == slow.read_bytes()
    assert Image.open(fast).size == (320, 240)


def test_cached_once_and_bad_input(tmp_path) -> None:  # noqa: ANN001
    from PIL import Image

    blobs = BlobStore(tmp_path / "blobs")
    thumbs = Thumbnails(tmp_path / "thumbs", blobs)
    ref = blobs.put_bytes(png_bytes(600, 300))
    first = thumbs.generate(ref.sha256)
    assert first is not None and Image.open(first).size == (320, 160)
    assert thumbs.cached_path(ref.sha256) == first
    # RGBA, palette, greyscale and JPEG with EXIF rotation
    for mode in ("RGBA", "P", "L"):
        buf = io.BytesIO()
        Image.new(mode, (400, 300)).save(buf, "PNG")
        assert thumbs.generate(blobs.put_bytes(buf.getvalue()).sha256) is not None
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90°
    Image.new("RGB", (400, 300), "red").save(buf, "JPEG", exif=exif)
    rotated = thumbs.generate(blobs.put_bytes(buf.getvalue()).sha256)
    assert Image.open(rotated).size == (300, 225)  # turned upright (300 wide), then the top 4:3
    for junk in (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, b"GIF89a broken", b"%PDF-1.4"):
        assert thumbs.generate(blobs.put_bytes(junk).sha256) is None
