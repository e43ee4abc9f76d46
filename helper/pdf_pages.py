"""PDF evidence shown as page images, rendered by PDFium without a JavaScript engine.

Why: an uploaded PDF is untrusted, and Chromium's PDF viewer runs a PDF's JavaScript (an
OpenAction `app.alert(...)` fires inside the review UI). So the UI never hands a PDF to
the browser: the helper renders its pages to PNG with pypdfium2, whose PDFium is built
without V8, and never sets up a form environment (the only way PDFium would run a
script), so nothing in the file runs. The user sees pictures of the pages.

Rendering runs in a child process (`python -m helper.pdf_pages`) with a time limit and a
memory cap: a hostile or broken PDF costs one child, never stalls or crashes the helper
(PDFium is not thread-safe either). Images are cached on disk by the PDF's SHA-256, like
thumbnails, so each page is rendered once. Bounded: the first MAX_PAGES pages are shown,
each at most WIDTH px wide and MAX_HEIGHT px tall.
"""

from __future__ import annotations

import asyncio
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from helper.file_cache import OnceAtATime, write_atomic

if TYPE_CHECKING:
    from helper.store.blobs import BlobStore

MAX_PAGES = 50
WIDTH = 1240  # A4 at 150 dpi: small print stays legible, a page stays ~200 KB
MAX_HEIGHT = 4000
MAX_SCALE = 4.0
RENDER_TIMEOUT_S = 30.0
CHILD_MEMORY_BYTES = 1 << 30
UNREADABLE_EXIT = 3


class PdfUnreadable(Exception):
    """PDFium could not open or render the file (damaged, encrypted, or too slow)."""


class PdfPreview(BaseModel):
    """What the viewer needs before loading images: how many pages, and each image's size."""

    pages: int
    shown: int
    sizes: list[tuple[int, int]]


def image_size(width_pt: float, height_pt: float) -> tuple[float, tuple[int, int]]:
    """The render scale for a page of this size (points) and the image size it gives."""
    scale = min(WIDTH / max(width_pt, 1.0), MAX_HEIGHT / max(height_pt, 1.0), MAX_SCALE)
    return scale, (max(1, math.ceil(width_pt * scale)), max(1, math.ceil(height_pt * scale)))  # as PDFium


class PdfPages:
    def __init__(self, cache_dir: Path, blobs: BlobStore) -> None:
        self.cache_dir = cache_dir
        self.blobs = blobs
        self._once: OnceAtATime[Path] = OnceAtATime()
        self._slots = asyncio.Semaphore(2)  # the machine is shared with captures

    def _cached(self, sha256: str, name: str) -> Path:
        self.blobs.path(sha256)  # validates the digest
        return self.cache_dir / sha256[:2] / f"{sha256}-{name}"

    async def preview(self, sha256: str) -> PdfPreview:
        path = await self._make(sha256, "pages.json", "info")
        return PdfPreview.model_validate_json(await asyncio.to_thread(path.read_bytes))

    async def page(self, sha256: str, index: int) -> Path:
        """The PNG of page `index` (0-based); IndexError beyond the pages shown."""
        preview = await self.preview(sha256)
        if not 0 <= index < preview.shown:
            raise IndexError(index)
        return await self._make(sha256, f"p{index}-{WIDTH}.png", str(index))

    async def _make(self, sha256: str, name: str, what: str) -> Path:
        out = self._cached(sha256, name)
        if out.is_file():
            return out

        async def make() -> Path:
            async with self._slots:
                await _render_in_child(self.blobs.path(sha256), out, what)
            return out

        return await self._once.run(out, make)


async def _render_in_child(source: Path, out: Path, what: str) -> None:
    if not source.is_file():
        raise PdfUnreadable("the stored file is missing")
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "helper.pdf_pages", str(source), str(out), what,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE)
    try:
        _, err = await asyncio.wait_for(child.communicate(), RENDER_TIMEOUT_S)
    except asyncio.TimeoutError:
        await _stop(child)
        raise PdfUnreadable(f"rendering took longer than {RENDER_TIMEOUT_S:g} s") from None
    except asyncio.CancelledError:
        await _stop(child)
        raise
    if child.returncode != 0 or not out.is_file():
        reason = err.decode("utf-8", "replace").strip().splitlines()
        raise PdfUnreadable(reason[-1][:200] if child.returncode == UNREADABLE_EXIT and reason
                            else f"the renderer stopped (exit {child.returncode})")


async def _stop(child: asyncio.subprocess.Process) -> None:
    child.kill()
    await child.wait()


def _render(source: Path, out: Path, what: str) -> None:
    """In the child: write the page list (`info`) or one page's PNG to `out`."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(source))  # no init_forms(): no form environment, no scripts
        if what == "info":
            shown = min(len(pdf), MAX_PAGES)
            sizes = [image_size(*pdf.get_page_size(i))[1] for i in range(shown)]
            preview = PdfPreview(pages=len(pdf), shown=shown, sizes=sizes)
            write_atomic(out, lambda fh: fh.write(preview.model_dump_json().encode()))
            return
        page = pdf[int(what)]
        scale, _ = image_size(*page.get_size())
        image = page.render(scale=scale, may_draw_forms=False).to_pil()
    except pdfium.PdfiumError as exc:
        print(f"PDFium cannot read this PDF: {exc}", file=sys.stderr)
        raise SystemExit(UNREADABLE_EXIT) from None
    write_atomic(out, lambda fh: image.save(fh, "PNG"))


def main() -> None:
    if sys.platform != "win32":
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    source, out, what = sys.argv[1:4]
    _render(Path(source), Path(out), what)


if __name__ == "__main__":
    main()
