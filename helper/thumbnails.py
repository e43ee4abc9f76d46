"""Evidence thumbnails: generated once per image content, cached on disk by its SHA-256.

A thumbnail is keyed by the hash of the artifact it shows, so it never goes stale and
two evidence items with the same picture share one file. Full-page screenshots are
tall (10,000 px and more): the thumbnail shows the top of the page, cropped to the
card's aspect ratio, the part a person recognises. Pillow is imported on first use.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from helper.file_cache import OnceAtATime, write_atomic
from helper.models import Artifact, Evidence
from helper.store.blobs import BlobStore

WIDTH, HEIGHT = 320, 240
THUMB_TYPE = "image/jpeg"
IMAGE_ROLES = ("screenshot", "buyer_screenshot", "original", "png", "image")
DECODABLE = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp")
MAX_PIXELS = 200_000_000  # a 1280 × 150,000 px page; beyond that: no thumbnail, no bomb


def source_artifact(evidence: Evidence) -> Artifact | None:
    """The image a thumbnail of this evidence should show, if any."""
    images = [a for a in evidence.artifacts if a.media_type in DECODABLE]
    for role in IMAGE_ROLES:
        for artifact in images:
            if artifact.role == role:
                return artifact
    return images[0] if images else None


def _decode_top_only(img, rows: int) -> bool:  # noqa: ANN001 - a PIL image
    """A full-page screenshot is 10,000+ px tall and its thumbnail shows the top ~1,000:
    decode just those rows of a plain (non-interlaced, single-stream) PNG — pixel-identical
    to decoding everything and cropping, and ~8× faster. False: decode normally."""
    if img.format != "PNG" or img.info.get("interlace") or len(img.tile) != 1:
        return False
    try:
        img._size = (img.size[0], rows)
        img.tile = [img.tile[0]._replace(extents=(0, 0, img.size[0], rows))]
        img.load()
        return True
    except Exception as exc:  # noqa: BLE001 - any surprise: decode the whole image instead
        raise _TopOnlyFailed from exc


class _TopOnlyFailed(Exception):
    pass


class Thumbnails:
    def __init__(self, cache_dir: Path, blobs: BlobStore) -> None:
        self.cache_dir = cache_dir
        self.blobs = blobs
        self._once: OnceAtATime[Path | None] = OnceAtATime()
        self._slots = asyncio.Semaphore(2)

    def cached_path(self, sha256: str) -> Path:
        self.blobs.path(sha256)  # validates the digest
        return self.cache_dir / sha256[:2] / f"{sha256}-{WIDTH}x{HEIGHT}.jpg"

    async def get(self, artifact: Artifact) -> Path | None:
        """The cached thumbnail's path, generating it on the first request (once, even when
        many requests for it arrive together). None when the image cannot be decoded."""
        path = self.cached_path(artifact.sha256)
        if path.is_file():
            return path

        async def make() -> Path | None:
            async with self._slots:
                return await asyncio.to_thread(self.generate, artifact.sha256)

        return await self._once.run(artifact.sha256, make)

    def generate(self, sha256: str) -> Path | None:
        """Decode, crop the top to 4:3, shrink, write atomically. Synchronous (a thread)."""
        try:
            return self._generate(sha256, fast=True)
        except _TopOnlyFailed:
            return self._generate(sha256, fast=False)

    def _generate(self, sha256: str, fast: bool) -> Path | None:
        from PIL import Image, ImageOps

        path = self.cached_path(sha256)
        source = self.blobs.path(sha256)
        if not source.is_file():
            return None
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        try:
            with Image.open(source) as opened:
                opened.draft("RGB", (WIDTH * 2, HEIGHT * 2))  # JPEG: decode at a reduced scale
                img = opened
                if opened.format in ("JPEG", "WEBP"):  # phone photos: honour EXIF rotation
                    img = ImageOps.exif_transpose(opened) or opened
                width, height = img.size
                crop_h = min(height, max(1, round(width * HEIGHT / WIDTH)))
                if fast and crop_h < height and _decode_top_only(img, crop_h):
                    top = img  # only the rows the thumbnail shows were decoded
                else:
                    top = img.crop((0, 0, width, crop_h)) if crop_h < height else img
                if top.mode not in ("RGB", "L"):
                    rgba = top.convert("RGBA")
                    top = Image.new("RGB", rgba.size, "white")
                    top.paste(rgba, mask=rgba.getchannel("A"))
                top.thumbnail((WIDTH, HEIGHT), Image.Resampling.LANCZOS, reducing_gap=3.0)
                rgb = top.convert("RGB")
                write_atomic(path, lambda fh: rgb.save(fh, "JPEG", quality=80, optimize=True))
        except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
            return None
        return path

    def read_data_uri(self, path: Path) -> str:
        import base64

        return f"data:{THUMB_TYPE};base64," + base64.b64encode(path.read_bytes()).decode()
