"""PDF pages rendered to images by PDFium in a child process (helper/pdf_pages.py): sizes
bounded, rendered once per content, damaged / encrypted / slow PDFs refused cleanly."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import pytest
from PIL import Image

from helper import pdf_pages
from helper.pdf_pages import MAX_HEIGHT, MAX_PAGES, WIDTH, PdfPages, PdfUnreadable, image_size
from helper.store.blobs import BlobStore
from tests.support.pdfs import INK, encrypted_pdf, make_pdf


def _pages(tmp_path: Path) -> PdfPages:
    return PdfPages(tmp_path / "pdf-pages", BlobStore(tmp_path / "blobs"))


def _put(pages: PdfPages, data: bytes) -> str:
    return pages.blobs.put_bytes(data).sha256


def test_image_size_bounds() -> None:
    assert image_size(595, 842) == (WIDTH / 595, (WIDTH, math.ceil(842 * WIDTH / 595)))
    _, banner = image_size(14400, 200)  # wide: the width is capped
    assert banner[0] == WIDTH and banner[1] < MAX_HEIGHT
    _, scroll = image_size(200, 14400)  # tall: the height is capped
    assert scroll[1] == MAX_HEIGHT and scroll[0] < WIDTH
    scale, stamp = image_size(20, 20)  # tiny: enlarged at most 4 times
    assert scale == 4.0 and stamp == (80, 80)


async def test_pages_render_once_and_show_the_page(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    sha = _put(pages, make_pdf(3, script="app.alert('x')"))
    first, again = await asyncio.gather(pages.preview(sha), pages.preview(sha))
    assert first == again
    a4 = (WIDTH, math.ceil(842 * WIDTH / 595))
    assert first.pages == first.shown == 3 and first.sizes == [a4] * 3
    path = await pages.page(sha, 2)
    with Image.open(path) as img:
        assert img.format == "PNG" and img.size == a4
        assert img.convert("RGB").getpixel((a4[0] // 2, a4[1] // 2)) == INK  # the page's block
    stamp = path.stat().st_mtime_ns
    assert await pages.page(sha, 2) == path and path.stat().st_mtime_ns == stamp  # from the cache
    with pytest.raises(IndexError):
        await pages.page(sha, 3)


async def test_page_count_and_pixel_caps(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    many = await pages.preview(_put(pages, make_pdf(MAX_PAGES + 7)))
    assert many.pages == MAX_PAGES + 7 and many.shown == MAX_PAGES and len(many.sizes) == MAX_PAGES
    sha = _put(pages, make_pdf(1, size=(300, 14400)))
    with Image.open(await pages.page(sha, 0)) as img:
        assert img.height == MAX_HEIGHT and img.width == math.ceil(300 * MAX_HEIGHT / 14400)


async def test_unreadable_pdfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _pages(tmp_path)
    for data in (b"%PDF-1.7\nnot really a pdf", encrypted_pdf()):
        with pytest.raises(PdfUnreadable, match="PDFium cannot read this PDF"):
            await pages.preview(_put(pages, data))
    sha = _put(pages, make_pdf(1))
    pages.blobs.path(sha).unlink()
    with pytest.raises(PdfUnreadable, match="missing"):
        await pages.preview(sha)
    monkeypatch.setattr(pdf_pages, "RENDER_TIMEOUT_S", 0.001)  # no interpreter starts that fast
    with pytest.raises(PdfUnreadable, match="took longer"):
        await pages.preview(_put(pages, make_pdf(2)))
    assert list((tmp_path / "pdf-pages").rglob("*.json")) == []  # nothing cached for any of them

