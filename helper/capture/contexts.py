"""Fresh browser contexts for URL captures, and a spare one prepared while the helper is idle.

Every capture runs in a never-used context (own cookies, cache and storage) behind its
own guarding proxy. Making one — proxy, context, guard routes, a blank page — costs
~0.3–0.5 s on a busy machine, so after each capture the next one is prepared in the
background; a capture takes the spare when it still fits (same guard settings, same
browser launch) and makes a new one otherwise. A spare made for a browser that has since
gone away is never awaited: calls on it may not return.

Each context notes its responses from the start (exchanges.py), for the capture's WARC.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from helper.capture import pages
from helper.capture.browser import BrowserManager
from helper.capture.exchanges import ExchangeRecorder
from helper.capture.guard import UrlGuard
from helper.capture.proxy import GuardProxy, parse_resolver_rules
from helper.config import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

VIEWPORT = {"width": 1280, "height": 800}


@dataclass
class Prepared:
    """A context ready for one capture: the settings it was made for, its proxy, a page."""

    key: tuple[Any, ...]
    proxy: GuardProxy
    context: Any
    page: Any
    netlog: pages.NetworkLog
    exchanges: ExchangeRecorder


class PreparedContexts:
    """Hands out fresh contexts, keeping at most one spare prepared in advance."""

    def __init__(self, settings: Settings, manager: Callable[[], BrowserManager]) -> None:
        self.settings = settings
        self._manager = manager  # the service's browser, made on first use
        self._spare: asyncio.Task[Prepared] | None = None
        self._closing = False

    def _key(self) -> tuple[Any, ...]:
        cap = self.settings.capture
        return (UrlGuard.from_settings(cap), cap.host_resolver_rules, cap.ignore_https_errors,
                cap.navigation_timeout_s, self._manager().launches)

    async def _prepare(self) -> Prepared:
        """A fresh, never-used context (own guarding proxy, guard routes) and a blank page."""
        from playwright.async_api import Error as PlaywrightError

        manager = self._manager()
        key = self._key()
        guard = key[0]
        proxy = await new_proxy(self.settings, guard)
        try:
            context = await manager.new_context(
                viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN", timezone_id="Asia/Shanghai",
                service_workers="block", accept_downloads=False, proxy=proxy_option(proxy),
                ignore_https_errors=self.settings.capture.ignore_https_errors)
        except BaseException:
            await proxy.close()
            raise
        netlog = pages.NetworkLog()
        exchanges = ExchangeRecorder()
        context.on("response", exchanges.on_response)
        try:
            _, page = await asyncio.gather(
                pages.install_guard(context, guard, netlog, only_suspicious=True), context.new_page())
        except (PlaywrightError, asyncio.CancelledError):
            await close_quietly(context, proxy)
            raise
        return Prepared(key=(*key[:-1], manager.launches), proxy=proxy, context=context,
                        page=page, netlog=netlog, exchanges=exchanges)

    async def take(self) -> Prepared:
        """The spare context if it still fits (same settings, same browser), else a new one;
        then start preparing the next spare, so a queued capture finds one ready."""
        manager = self._manager()
        spare, self._spare = self._spare, None
        prepared = None
        if spare is not None and not manager_connected(manager):
            spare.cancel()  # made for a browser that is gone; calls on it may never return
            spare.add_done_callback(_close_prepared)
        elif spare is not None:
            try:
                candidate = await asyncio.wait_for(asyncio.shield(spare), 5)
                if candidate.key == self._key() and manager_connected(manager):
                    prepared = candidate
                else:
                    await close_quietly(candidate.context, candidate.proxy)
            except Exception:  # noqa: BLE001 - a spare from a dead browser: make a new one
                spare.cancel()
                spare.add_done_callback(_close_prepared)
        if prepared is None:
            prepared = await self._prepare()
        return prepared

    def refill(self) -> None:
        """After a capture, get the next context ready while the helper is idle, so the
        next capture skips context and page creation."""
        if self._closing or self._spare is not None or not manager_connected(self._manager()):
            return
        self._spare = asyncio.get_running_loop().create_task(self._prepare())
        self._spare.add_done_callback(_swallow)

    async def idle(self) -> None:
        """Wait until background preparation is done (benchmarks measure from a quiet state)."""
        if self._spare is not None:
            await asyncio.wait([self._spare])

    async def close(self) -> None:
        """No more spares; close the one prepared, if any (before the browser closes)."""
        self._closing = True
        if self._spare is None:
            return
        spare, self._spare = self._spare, None
        try:
            prepared = await asyncio.wait_for(spare, 10)
            await close_quietly(prepared.context, prepared.proxy)
        except BaseException:  # noqa: BLE001 - the browser is closing anyway
            spare.cancel()


async def new_proxy(settings: Settings, guard: UrlGuard) -> GuardProxy:
    """A started guarding proxy for one context: every connection it makes is checked."""
    return await GuardProxy(guard, parse_resolver_rules(settings.capture.host_resolver_rules),
                            connect_timeout=settings.capture.navigation_timeout_s).start()


def proxy_option(proxy: GuardProxy) -> dict[str, str]:
    # "<-loopback>" removes Chromium's implicit bypass, so 127.0.0.1 goes to the guard too
    return {"server": proxy.url, "bypass": "<-loopback>"}


async def close_quietly(context: Any, proxy: GuardProxy) -> None:
    """Close a context (a dead browser's context cannot: give up after 5 s) and its proxy."""
    try:
        await asyncio.wait_for(context.close(), 5)
    except Exception:  # noqa: BLE001
        pass
    await proxy.close()


def manager_connected(manager: BrowserManager) -> bool:
    browser = manager._browser  # noqa: SLF001 - same package
    return browser is not None and browser.is_connected()


def _close_prepared(task: asyncio.Task[Prepared]) -> None:
    if task.cancelled() or task.exception() is not None:
        return
    prepared = task.result()
    asyncio.get_running_loop().create_task(close_quietly(prepared.context, prepared.proxy))


def _swallow(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it; take() handles it
