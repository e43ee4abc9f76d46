"""The capture browser: found once, launched lazily, kept warm, restarted after a crash.

One Chromium process serves every capture; each capture gets a fresh, isolated browser
context (its own cookies, cache and storage), closed when the capture ends. A semaphore
limits how many captures run at once (`capture.concurrency`, default 2); the rest queue.

Playwright is imported here only inside methods: the daemon starts without it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import secrets
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helper.config import CaptureSettings

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Playwright

log = logging.getLogger("tousu.capture")

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "msedge", "microsoft-edge")
STANDARD_LOCATIONS = {
    "darwin": ["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
               "/Applications/Chromium.app/Contents/MacOS/Chromium",
               "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"],
    "win32": [r"{PROGRAMFILES}\Google\Chrome\Application\chrome.exe",
              r"{PROGRAMFILES(X86)}\Google\Chrome\Application\chrome.exe",
              r"{LOCALAPPDATA}\Google\Chrome\Application\chrome.exe",
              r"{PROGRAMFILES(X86)}\Microsoft\Edge\Application\msedge.exe",
              r"{PROGRAMFILES}\Microsoft\Edge\Application\msedge.exe"],
}
BASE_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--disable-gpu", "--disable-quic", "--disable-extensions",
             "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
             "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
             "--disable-features=DnsOverHttps,MediaRouter,OptimizationHints,Translate"]


class BrowserUnavailable(RuntimeError):
    """No usable Chromium-family browser; the message says how to get one."""


def _standard_locations() -> list[str]:
    key = "win32" if sys.platform.startswith("win") else sys.platform
    out = []
    for template in STANDARD_LOCATIONS.get(key, []):
        try:
            out.append(template.format_map({k: v for k, v in os.environ.items()}))
        except KeyError:
            continue
    return out


def find_browser(settings: CaptureSettings, playwright_path: str | None = None) -> str:
    """config → Playwright's own browser (if installed) → PATH → standard locations."""
    if settings.browser:
        if Path(settings.browser).is_file() or shutil.which(settings.browser):
            return shutil.which(settings.browser) or settings.browser
        raise BrowserUnavailable(f"capture.browser = {settings.browser!r} does not exist")
    if playwright_path and Path(playwright_path).is_file():
        return playwright_path
    for name in BROWSER_NAMES:
        if path := shutil.which(name):
            return path
    for path in _standard_locations():
        if Path(path).is_file():
            return path
    raise BrowserUnavailable(
        "no Chromium, Chrome or Edge found for evidence capture; install one (Debian/Ubuntu: "
        "apt-get install chromium) or set capture.browser in config.toml")


class BrowserManager:
    """Owns the Playwright driver and the warm browser."""

    def __init__(self, settings: CaptureSettings) -> None:
        self.settings = settings
        self.marker = secrets.token_hex(8)
        """Passed as a harmless extra flag so this browser's processes can be found (RSS, tests)."""
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self.executable: str | None = None
        self.version: str | None = None
        self.launches = 0
        self._closed = False

    @property
    def slots(self) -> asyncio.Semaphore:
        return self._slots

    async def browser(self) -> Browser:
        async with self._lock:
            if self._closed:
                raise BrowserUnavailable("the helper is shutting down")
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            self._browser = None
            if self._pw is None:
                from playwright.async_api import async_playwright

                self._pw = await async_playwright().start()
            try:
                own = self._pw.chromium.executable_path
            except Exception:  # noqa: BLE001 - no Playwright browser installed
                own = None
            self.executable = find_browser(self.settings, own)
            args = [*BASE_ARGS, f"--tousu-capture={self.marker}"]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
            # host_resolver_rules are applied by each capture's guarding proxy (proxy.py),
            # which resolves every host the browser reaches; the browser only resolves the proxy.
            try:
                browser = await self._pw.chromium.launch(
                    executable_path=self.executable, headless=True, args=args,
                    timeout=30_000, handle_sigint=False, handle_sigterm=False, handle_sighup=False)
            except Exception as exc:  # noqa: BLE001 - Playwright raises its own Error type
                raise BrowserUnavailable(f"the capture browser {self.executable} did not start: "
                                         f"{str(exc).splitlines()[0][:300]}") from None
            browser.on("disconnected", self._on_disconnected)
            self._browser = browser
            self.version = browser.version
            self.launches += 1
            log.info("capture browser started (%s %s)", Path(self.executable).name, self.version)
            return browser

    def _on_disconnected(self, browser: Browser) -> None:
        if self._browser is browser:
            log.warning("the capture browser went away; the next capture starts a new one")
            self._browser = None

    async def new_context(self, **options: Any) -> BrowserContext:
        browser = await self.browser()
        return await browser.new_context(**options)

    def pids(self) -> list[int]:
        """Processes of this manager's browser (Linux /proc; empty elsewhere)."""
        flag = f"--tousu-capture={self.marker}".encode()
        found = []
        proc = Path("/proc")
        if not proc.is_dir():
            return found
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if flag in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    def browser_pid(self) -> int | None:
        """The browser's main process (the one whose parent is not one of its own)."""
        pids = set(self.pids())
        for pid in pids:
            try:
                ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid not in pids:
                return pid
        return None

    def environment(self) -> dict[str, Any]:
        return {"browser": Path(self.executable).name if self.executable else None,
                "browser_version": self.version, "os": platform.platform(),
                "python": platform.python_version()}

    async def close(self) -> None:
        async with self._lock:
            self._closed = True
            browser, self._browser = self._browser, None
            pw, self._pw = self._pw, None
        if browser is not None:
            try:
                await asyncio.wait_for(browser.close(), 10)
            except Exception:  # noqa: BLE001 - a crashed browser cannot close cleanly
                pass
        if pw is not None:
            try:
                await asyncio.wait_for(pw.stop(), 10)
            except Exception:  # noqa: BLE001
                pass
