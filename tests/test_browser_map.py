"""The drawn map in headless Chromium: zones, Chinese labels, no request off the machine, metric switch.

Starts ``tests/apps/map_only.py`` with Streamlit and inspects the map inside
streamlit-folium's iframe. Saves ``test-artifacts/map_only.png`` (and a
``-failure`` screenshot when something breaks).
"""

from __future__ import annotations

import contextlib
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from browser import (
    FOLIUM_IFRAME,
    PROJECT_ROOT,
    chromium,
    offline_page,
    run_streamlit,
    save_screenshot,
    screenshot_on_failure,
)
from nightmap.map import SELECTED_STROKE

pytestmark = pytest.mark.browser

APP = PROJECT_ROOT / "tests" / "apps" / "map_only.py"
ZONE_PATHS = "path.leaflet-interactive"


def _settled_frame(page, legend_text: str, *, timeout: float = 30.0):
    """The map's frame once Streamlit shows only the new map, whose legend contains ``legend_text``.

    While a rerun is drawing, the stale iframe and the new one can coexist; wait
    until exactly one is left and it is the new one.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.locator(FOLIUM_IFRAME).count() == 1:
            frame = page.frame_locator(FOLIUM_IFRAME)
            with contextlib.suppress(PlaywrightError):
                if legend_text in frame.locator(".nm-legend").inner_text(timeout=1_000):
                    return frame
        page.wait_for_timeout(300)
    raise AssertionError(f"no single map with legend {legend_text!r} after {timeout:.0f} s")


def _fills(frame) -> list[str]:
    paths = frame.locator(ZONE_PATHS)
    return [paths.nth(i).get_attribute("fill") or "" for i in range(paths.count())]


def test_map_draws_offline_and_switches_metric() -> None:
    with run_streamlit(APP) as base_url, chromium() as browser:
        page, offsite = offline_page(browser)
        with screenshot_on_failure(page, "map_only"):
            page.goto(base_url, wait_until="domcontentloaded")
            frame = page.frame_locator(FOLIUM_IFRAME)
            expect(frame.locator(".leaflet-container")).to_be_visible(timeout=60_000)
            # 13 zones (districts are not interactive, so every interactive path is a zone)
            expect(frame.locator(ZONE_PATHS)).to_have_count(13, timeout=30_000)
            assert frame.locator(ZONE_PATHS).count() >= 13
            # Chinese zone names are drawn as permanent labels
            for name in ("百货大楼", "新安路步行街", "万达商业广场"):
                expect(frame.locator(".nm-label span", has_text=name)).to_be_visible()
            expect(frame.locator(".nm-legend")).to_contain_text("客流（人次）")
            page.wait_for_timeout(800)  # label layout settles
            shot = save_screenshot(page, "map_only", full_page=False)
            assert shot.stat().st_size > 10_000

            before = _fills(frame)
            page.get_by_role("combobox", name="地图着色指标").click()
            page.get_by_role("option", name="消费额", exact=True).click()
            frame = _settled_frame(page, "消费额（元）")
            expect(frame.locator(ZONE_PATHS)).to_have_count(13, timeout=30_000)
            after = _fills(frame)
            assert len(after) == 13
            assert after != before, "changing the metric did not recolour the zones"

            # clicking a zone reports its id back to Python
            frame.locator(".nm-label span", has_text="百货大楼").first.wait_for()
            box = frame.locator(ZONE_PATHS).nth(11).bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            expect(page.get_by_text("clicked: ", exact=False)).not_to_have_text("clicked: -", timeout=30_000)
            # the app redraws with the clicked zone outlined in the "selected" colour
            frame = _settled_frame(page, "当前选中片区")
            expect(frame.locator(f'path.leaflet-interactive[stroke="{SELECTED_STROKE}"]')).to_have_count(
                1, timeout=30_000
            )
            expect(frame.locator(".nm-label.nm-selected span")).to_be_visible()
            page.wait_for_timeout(800)
            save_screenshot(page, "map_only_clicked", full_page=False)

        assert offsite == [], f"requests left the machine: {offsite}"
