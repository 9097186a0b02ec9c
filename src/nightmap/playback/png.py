"""A PNG of one presenter frame, drawn by headless Chromium (playwright), offline.

:func:`render_png` / :func:`render_png_bytes` draw a :func:`nightmap.playback.page.player_html`
export at projector size; :func:`chromium_path` and :func:`png_available` say
whether that can run here. Without playwright or a Chromium they raise a clear
bilingual :class:`PngUnavailable` that says how to install one.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from nightmap.errors import NightmapError
from nightmap.i18n import t

PNG_SIZE: tuple[int, int] = (1920, 1080)


class PngUnavailable(NightmapError):
    """Headless Chromium (or playwright) is not installed, so no PNG can be drawn here."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        msg = t("presenter.png_unavailable", "zh") + " / " + t("presenter.png_unavailable", "en")
        super().__init__(msg + (f" ({detail})" if detail else ""))


def chromium_path() -> str | None:
    """A Chromium (or Chrome) executable for :func:`render_png`, or None.

    Looks at ``$NIGHTMAP_CHROMIUM``, then ``/usr/bin/chromium`` and friends on
    the ``PATH``, then the browser playwright downloaded itself.
    """
    env = os.environ.get("NIGHTMAP_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = name if Path(name).is_file() else shutil.which(name)
        if found:
            return found
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            exe = pw.chromium.executable_path
        return exe if exe and Path(exe).is_file() else None
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return None


def png_available() -> bool:
    """Whether :func:`render_png` can run here (playwright importable and a Chromium found)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return chromium_path() is not None


_CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync")


def _render(path: Path, out: Path, width: int, height: int, exe: str, timeout_ms: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=list(_CHROMIUM_ARGS))
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)

            def block(route: Any) -> None:
                if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    route.abort()

            context.route(re.compile(r".*"), block)
            page = context.new_page()
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_selector("html[data-nm-ready='1']", state="attached", timeout=timeout_ms)
            page.wait_for_timeout(300)
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()


def render_png(
    html_path_or_str: str | Path,
    out: str | Path,
    *,
    width: int = PNG_SIZE[0],
    height: int = PNG_SIZE[1],
    timeout_ms: int = 30_000,
) -> Path:
    """Draw an HTML document (a :func:`player_html` export) to a PNG with headless Chromium, offline.

    Parameters
    ----------
    html_path_or_str
        A path to an HTML file, or the HTML itself (a ``str`` starting with ``<``).
    out
        The PNG to write.
    width, height
        Viewport in pixels (projector resolution by default).
    timeout_ms
        How long to wait for the player to be drawn.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    PngUnavailable
        When playwright or a Chromium is not installed (the message, in
        Chinese and English, says how to install one).
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise PngUnavailable("playwright not installed") from exc
    exe = chromium_path()
    if exe is None:
        raise PngUnavailable("chromium not found")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nightmap-png-") as tmp:
        if isinstance(html_path_or_str, str) and html_path_or_str.lstrip().startswith("<"):
            path = Path(tmp) / "frame.html"
            path.write_text(html_path_or_str, encoding="utf-8")
        else:
            path = Path(html_path_or_str)
        # playwright's sync API refuses to run inside a thread with a running asyncio loop: use our own thread
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(_render, path, out, width, height, exe, timeout_ms).result()
    return out


def render_png_bytes(html_text: str, *, width: int = PNG_SIZE[0], height: int = PNG_SIZE[1]) -> bytes:
    """:func:`render_png` of an HTML string, returning the PNG's bytes (no file left behind).

    Raises
    ------
    PngUnavailable
        As :func:`render_png`.
    """
    with tempfile.TemporaryDirectory(prefix="nightmap-png-") as tmp:
        out = render_png(html_text, Path(tmp) / "frame.png", width=width, height=height)
        return out.read_bytes()
