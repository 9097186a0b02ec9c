"""Shared helpers for browser tests: run a Streamlit script, drive headless Chromium, stay offline.

Typical use::

    with run_streamlit(APP) as base_url, sync_playwright() as pw:
        browser = launch_browser(pw)
        page, offsite = offline_page(browser)
        with screenshot_on_failure(page, "my_test"):
            page.goto(base_url)
            ...
        assert offsite == []

Everything here is test-only; the app never imports it.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
FOLIUM_IFRAME = 'iframe[title="streamlit_folium\\.st_folium"]'
"""CSS selector of the iframe streamlit-folium draws the map in."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - local URL only
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def run_streamlit(
    script: Path,
    *,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> Iterator[str]:
    """Run ``python -m streamlit run <script>`` headless and yield its base URL.

    The server runs with the project root as working directory (so
    ``.streamlit/config.toml`` applies, including static serving) and is always
    terminated on exit, even when the body raises.

    Parameters
    ----------
    script
        The Streamlit script.
    port
        Port to listen on; default a free one.
    env
        Extra environment variables (e.g. ``NIGHTMAP_DB``); the current
        environment, including any ``NIGHTMAP_*``, is passed through.
    timeout
        Seconds to wait for ``/_stcore/health``.

    Yields
    ------
    str
        ``http://127.0.0.1:<port>``.

    Raises
    ------
    RuntimeError
        If the server exits early or does not become healthy in time; the
        message includes the tail of its output.
    """
    port = port or free_port()
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("PYTHONUNBUFFERED", "1")
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{Path(script).stem}-{port}.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(  # noqa: S603 - fixed command line
            cmd, cwd=PROJECT_ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while not _healthy(f"{base}/_stcore/health"):
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{_tail(log_path)}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{_tail(log_path)}")
                time.sleep(0.3)
            yield base
        finally:
            _stop(proc)


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def _stop(proc: subprocess.Popen[Any]) -> None:
    """Terminate the server's process group (it was started in its own session), then kill if needed."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def launch_browser(playwright: Any, *, headless: bool = True) -> Any:
    """Launch the system Chromium (``/usr/bin/chromium``) with flags that keep it quiet and offline.

    Parameters
    ----------
    playwright
        The object from ``sync_playwright()``.
    headless
        Run without a window.

    Returns
    -------
    playwright.sync_api.Browser
    """
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=headless, args=list(CHROMIUM_ARGS))


@contextlib.contextmanager
def chromium(*, headless: bool = True) -> Iterator[Any]:
    """The system Chromium (:func:`launch_browser`) for the length of a ``with`` block, closed after it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_browser(pw, headless=headless)
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    """Whether ``url`` stays on this machine (``data:``/``blob:``/``about:`` URLs count as local)."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    return (parsed.hostname or "") in LOCAL_HOSTS


def block_offsite(context_or_page: Any) -> list[str]:
    """Abort every request that would leave the machine and record its URL.

    Works on a browser context or a page (routes set on a context also cover
    iframes such as the folium map).

    Returns
    -------
    list of str
        Filled as the page runs; assert it is empty at the end.
    """
    offsite: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            offsite.append(url)
            route.abort()

    context_or_page.route(re.compile(r".*"), handle)
    return offsite


def offline_page(browser: Any, *, width: int = 1400, height: int = 1000, locale: str = "zh-CN") -> tuple[Any, list[str]]:
    """A new page whose off-machine requests are aborted and recorded.

    Parameters
    ----------
    browser
        From :func:`launch_browser`.
    width, height
        Viewport size in CSS pixels.
    locale
        Browser locale.

    Returns
    -------
    tuple
        ``(page, offsite_urls)``.
    """
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    offsite = block_offsite(context)
    return context.new_page(), offsite


def save_screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG screenshot as ``test-artifacts/<name>.png`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@contextlib.contextmanager
def screenshot_on_failure(page: Any, name: str) -> Iterator[None]:
    """Save ``test-artifacts/<name>-failure.png`` if the body raises, then re-raise."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            save_screenshot(page, f"{name}-failure")
        raise


def wait_for_one_map(page: Any, *, steady: float = 1.0, timeout: float = 30.0) -> None:
    """Wait until the page holds exactly one map frame, steadily for ``steady`` seconds.

    After a rerun Streamlit may briefly show the old map's frame beside the new one.
    """
    end = time.monotonic() + timeout
    since: float | None = None
    while time.monotonic() < end:
        if page.locator(FOLIUM_IFRAME).count() == 1:
            since = since or time.monotonic()
            if time.monotonic() - since >= steady:
                return
        else:
            since = None
        page.wait_for_timeout(100)
    raise AssertionError(f"the page did not settle on one map in {timeout:.0f} s")


def wait_until_idle(page: Any, *, steady: float = 1.5, timeout: float = 30.0) -> None:
    """Wait until the app has run no script for ``steady`` seconds (Streamlit's status widget is gone).

    A click that lands while a rerun is drawing can hit a widget the rerun is about to replace
    (a download button's deferred file, a map about to report its view).
    """
    end = time.monotonic() + timeout
    since: float | None = None
    status = page.locator('[data-testid="stStatusWidget"]')
    while time.monotonic() < end:
        busy = any(status.nth(i).is_visible() for i in range(status.count()))
        if busy:
            since = None
        else:
            since = since or time.monotonic()
            if time.monotonic() - since >= steady:
                return
        page.wait_for_timeout(100)
    raise AssertionError(f"the app did not settle in {timeout:.0f} s")
