"""Screenshot checks: not blank, and Chinese text drawn with a real CJK font (not tofu)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

SHOT_DIR = os.environ.get("TOUSU_UI_SCREENSHOTS")


def check_not_blank(png: bytes) -> dict[str, float]:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    small = img.resize((max(1, img.width // 4), max(1, img.height // 4)))
    counts = small.getcolors(maxcolors=1 << 24)
    total = sum(n for n, _ in counts)
    _, background = max(counts)
    differing = sum(n for n, c in counts if sum(abs(a - b) for a, b in zip(c, background)) > 60)
    colors = len(counts)
    share = differing / total
    assert colors > 50 and share > 0.02, f"screenshot looks blank: {colors} colours, {share:.1%} ink"
    return {"colors": colors, "ink": round(share, 3)}


async def cjk_fonts(page: Any, selector: str) -> list[dict[str, Any]]:
    """The platform fonts Chromium really used for the element's text (DevTools CSS domain)."""
    cdp = await page.context.new_cdp_session(page)
    try:
        await cdp.send("DOM.enable")
        await cdp.send("CSS.enable")
        root = await cdp.send("DOM.getDocument", {"depth": 0})
        node = await cdp.send("DOM.querySelector", {"nodeId": root["root"]["nodeId"], "selector": selector})
        fonts = await cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
        return fonts["fonts"]
    finally:
        await cdp.detach()


async def check_chinese(page: Any, selector: str) -> str:
    fonts = await cjk_fonts(page, selector)
    cjk = [f for f in fonts if "CJK" in f["familyName"] or "SC" in f["familyName"].split()
           or "Hei" in f["familyName"] or "Song" in f["familyName"]]
    assert cjk and sum(f["glyphCount"] for f in cjk) > 0, f"no CJK font drew {selector}: {fonts}"
    return cjk[0]["familyName"]


def save(name: str, png: bytes) -> None:
    if SHOT_DIR:
        Path(SHOT_DIR).mkdir(parents=True, exist_ok=True)
        (Path(SHOT_DIR) / name).write_bytes(png)


async def wait_until(page: Any, expression: str, arg: Any = None, timeout: float = 10.0) -> Any:
    """Poll a JS function with page.evaluate (DevTools, not eval: works under the UI's CSP,
    where Playwright's wait_for_function cannot run)."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = await page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression} ({arg!r})")
        await asyncio.sleep(0.05)
