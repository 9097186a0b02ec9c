"""Presenter mode in headless Chromium, offline: the exported file and the page.

* The exported HTML opened from disk with every request off the machine
  blocked: 13 zones drawn, stepping changes the colours and the date, uploaded
  text stays text, a PNG of a frame at 1920×1080.
* The Streamlit page: the player fills the screen and Play advances the frame.

Screenshots go to ``test-artifacts/presenter_*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import (
    PROJECT_ROOT,
    chromium,
    is_local,
    offline_page,
    run_streamlit,
    save_screenshot,
    screenshot_on_failure,
    wait_until_idle,
)

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from nightmap import geo, playback
from nightmap.filters import Filter
from nightmap.i18n import t
from nightmap.store import Store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium"),
]

ZONES = "#nm-map path.leaflet-interactive"
XSS = "<img src=x onerror=alert(1)>"


def _file_page(browser, *, width: int = 1920, height: int = 1080):
    """A page that may read ``file:`` URLs (the export, as from a USB stick) and nothing off the machine."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    offsite: list[str] = []

    def handle(route) -> None:
        url = route.request.url
        if url.startswith("file:") or is_local(url):
            route.continue_()
        else:
            offsite.append(url)
            route.abort()

    context.route(re.compile(r".*"), handle)
    return context.new_page(), offsite


def _fills(page_or_frame) -> list[str]:
    paths = page_or_frame.locator(ZONES)
    return [paths.nth(i).get_attribute("fill") or "" for i in range(paths.count())]



def _download(page, label: str, folder: Path) -> Path:
    """Click a download button and save the file; click once more if the first click landed mid-rerun
    (seen under a full parallel-loaded run: the button was redrawn under the click and no download began)."""
    for attempt, wait in enumerate((30_000, 60_000)):
        wait_until_idle(page)
        try:
            with page.expect_download(timeout=wait) as dl:
                page.get_by_role("button", name=label).click()
        except PlaywrightTimeoutError:
            if attempt:
                raise
            continue
        saved = folder / dl.value.suggested_filename
        dl.value.save_as(saved)
        return saved
    raise AssertionError("unreachable")

def test_exported_file_plays_offline(bundled_store: Store, tmp_path: Path) -> None:
    run = playback.frames(bundled_store, Filter())
    zones = geo.zones_from_table(bundled_store.zones())
    zones.loc[zones["zone_id"] == "xinan_road", "name_zh"] = XSS  # as an upload could name it
    doc = playback.player_html(run, zones, geo.load_districts(), metric="visitors", lang="zh", inline=True)
    path = tmp_path / "briefing.html"
    path.write_text(doc, encoding="utf-8")

    with chromium() as browser:
        page, offsite = _file_page(browser)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        with screenshot_on_failure(page, "presenter_export"):
            page.goto(path.as_uri())
            page.locator("html[data-nm-ready='1']").wait_for(state="attached", timeout=30_000)
            expect(page.locator(ZONES)).to_have_count(13)
            expect(page.locator("#nm-date")).to_have_text("2022年6月17日 周五")
            expect(page.locator(".nm-badge")).to_have_text("模拟数据 Simulated data")
            expect(page.locator(".nm-zl-name", has_text=XSS)).to_have_count(1)  # shown as text
            assert page.locator("#nm-map img").count() == 0
            # zone names and figures are drawn above the event markers
            lifts = page.evaluate("() => Array.from(document.querySelectorAll('.nm-zlabel'))"
                                  ".map(e => parseInt(e.style.zIndex) - e._leaflet_pos.y)")
            assert len(lifts) == 13 and min(lifts) >= 1000
            page.wait_for_timeout(600)
            save_screenshot(page, "presenter_export_1920x1080", full_page=False)

            before, date_before = _fills(page), page.locator("#nm-date").inner_text()
            page.locator("button.nm-next").click()
            expect(page.locator("#nm-root")).to_have_attribute("data-frame", "1")
            assert page.locator("#nm-date").inner_text() != date_before
            assert page.locator("#nm-date").inner_text() == "2022年6月18日 周六"
            assert _fills(page) != before, "stepping did not recolour the zones"
            # keyboard, as a presenter's clicker sends it
            page.keyboard.press("PageDown")
            expect(page.locator("#nm-root")).to_have_attribute("data-frame", "2")
            page.keyboard.press("PageUp")
            expect(page.locator("#nm-root")).to_have_attribute("data-frame", "1")
            # the 17th has the launch events, shown in the list
            page.locator("button.nm-first").click()
            n_events = len(run["frames"][0]["events"])
            shown = page.locator("#nm-events-list li")
            expect(shown.last).to_have_text(re.compile(rf"另有 {n_events - shown.count() + 1} 项活动"))
            assert shown.count() >= 3
            expect(shown.first).to_contain_text("启动仪式")  # ranked first, so it survives the cut
        assert dialogs == [] and errors == []
        assert offsite == [], f"requests left the machine: {offsite}"

    png = playback.render_png(path, tmp_path / "frame.png")
    from PIL import Image

    with Image.open(png) as img:
        assert img.size == (1920, 1080)
    out = PROJECT_ROOT / "test-artifacts" / "presenter_render_png.png"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(png.read_bytes())


def test_page_play_advances(tmp_path: Path) -> None:
    env = {"NIGHTMAP_DB": str(tmp_path / "presenter.duckdb")}
    app = PROJECT_ROOT / "app.py"
    with run_streamlit(app, env=env) as base_url, chromium() as browser:
        page, offsite = offline_page(browser, width=1920, height=1080)
        with screenshot_on_failure(page, "presenter_page"):
            page.goto(f"{base_url}/汇报模式_Presenter?mode=nights&metric=spend&lang=zh",
                      wait_until="domcontentloaded")
            frame = page.frame_locator('iframe[title="st.iframe"]')
            frame.locator("html[data-nm-ready='1']").wait_for(state="attached", timeout=90_000)
            expect(frame.locator(ZONES)).to_have_count(13, timeout=30_000)
            expect(frame.locator("#nm-root")).to_have_attribute("data-frame", "0")
            # the player fills the screen
            box = page.locator('iframe[title="st.iframe"]').bounding_box()
            assert box is not None and box["height"] > 900 and box["width"] > 1800
            page.wait_for_timeout(800)
            save_screenshot(page, "presenter_page_1920x1080", full_page=False)
            # a clicker works before anyone clicks into the player (the page has the focus)
            page.evaluate("() => { if (document.activeElement) { document.activeElement.blur(); } }")
            assert page.evaluate("() => document.activeElement === document.body")
            page.keyboard.press("PageDown")
            expect(frame.locator("#nm-root")).to_have_attribute("data-frame", "1", timeout=10_000)
            page.keyboard.press("ArrowLeft")
            expect(frame.locator("#nm-root")).to_have_attribute("data-frame", "0", timeout=10_000)
            before = _fills(frame)
            frame.locator("button.nm-sp", has_text="4×").click()
            frame.locator("button.nm-play").click()
            expect(frame.locator("#nm-root")).not_to_have_attribute("data-frame", "0", timeout=10_000)
            expect(frame.locator("#nm-root")).to_have_class("nm-root nm-playing")
            frame.locator("button.nm-play").click()  # pause
            expect(frame.locator("#nm-root")).to_have_class("nm-root")
            assert _fills(frame) != before
            save_screenshot(page, "presenter_page_playing", full_page=False)
            # the URL keeps mode and metric for a bookmark
            assert "mode=nights" in page.url and "metric=spend" in page.url
            # the briefing file is built when the button is clicked, and is the whole offline player
            saved = _download(page, t("presenter.export_html", "zh"), tmp_path)
            doc = saved.read_text(encoding="utf-8")
            assert saved.suffix == ".html" and "data-nm-ready" in doc and "<script src=" not in doc
            assert len(doc) > 100_000  # Leaflet and the data inlined
        assert offsite == [], f"requests left the machine: {offsite}"
