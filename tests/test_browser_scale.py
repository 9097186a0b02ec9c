"""A city's worth of zones in headless Chromium: the map sends only the zones in view.

Starts the real server on a store of 300 zones (13 real, 287 synthetic) and
checks that the whole view shows every zone as a dot, that zooming in replaces
them with the outlines, names and events of the zones in view while the map
keeps its place, that panning brings the next zones, that clicking a zone
opens its detail without losing the view, that another metric redraws the map
where the user was, and that a zone picked from the list out of sight is panned
to. No request may leave the machine.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

import nightmap.map as nmap
from browser import (
    FOLIUM_IFRAME,
    PROJECT_ROOT,
    chromium,
    offline_page,
    run_streamlit,
    save_screenshot,
    screenshot_on_failure,
    wait_for_one_map,
    wait_until_idle,
)
from nightmap import geo
from test_scale import simulate

pytestmark = pytest.mark.browser
N_ZONES = 300


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("city")
    data = simulate(base / "data", zones=N_ZONES, start=dt.date(2022, 6, 3), end=dt.date(2022, 6, 30))
    shutil.copy(PROJECT_ROOT / "data" / "districts.geojson", data / "districts.geojson")
    return {"NIGHTMAP_DB": str(base / "city.duckdb"), "NIGHTMAP_DATA_DIR": str(data)}


def _centre(data_dir: str, zone_id: str) -> tuple[float, float]:
    zones = geo.load_zones(Path(data_dir) / "zones.geojson").set_index("zone_id")
    p = zones.loc[zone_id].geometry.representative_point()
    return p.y, p.x


def _near(leaflet, lat: float, lng: float, *, zoom: float) -> bool:
    """Whether the map shows ``(lat, lng)`` near its middle at ``zoom``."""
    c, z = leaflet.evaluate("[window.map.getCenter(), window.map.getZoom()]")
    return z == zoom and abs(c["lat"] - lat) < 0.002 and abs(c["lng"] - lng) < 0.003


def _poll(check, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.25)
    return False


def _settle(count, *, below: int | None = None, timeout: float = 40.0) -> int:
    """Poll ``count()`` until it is stable (and below ``below``) for a second; return it."""
    end, last, since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < end:
        n = count()
        if n != last:
            last, since = n, time.monotonic()
        elif time.monotonic() - since > 1.5 and (below is None or n < below):
            return n
        time.sleep(0.25)
    return last


def test_map_of_many_zones_draws_only_the_zones_in_view(city: dict[str, str]) -> None:
    assert N_ZONES > nmap.IN_VIEW_POLYGONS
    with run_streamlit(PROJECT_ROOT / "app.py", env=city) as base_url, chromium() as browser:
        page, offsite = offline_page(browser, width=1600, height=1400)
        with screenshot_on_failure(page, "scale_map"):
            page.goto(base_url, wait_until="domcontentloaded")
            frame = page.frame_locator(FOLIUM_IFRAME)
            zones = frame.locator("path.leaflet-interactive")
            expect(zones.nth(N_ZONES - 1)).to_be_attached(timeout=90_000)
            page.locator(FOLIUM_IFRAME).scroll_into_view_if_needed()
            # the whole city: every zone, as a dot, no event markers, a few names
            assert _settle(zones.count) == N_ZONES
            assert frame.locator(".nm-evt").count() == 0
            assert 0 < frame.locator(".nm-label span").count() <= nmap.LABELLED_ZONES
            expect(frame.locator(".nm-legend")).to_contain_text(f"共 {N_ZONES} 个片区")
            save_screenshot(page, "scale_map_city")

            # zoom in on one zone: only the zones around it, as outlines with names and events
            leaflet = page.locator(FOLIUM_IFRAME).element_handle().content_frame()
            lat, lng = _centre(city["NIGHTMAP_DATA_DIR"], "syn_0100")
            leaflet.evaluate(f"window.map.setView([{lat}, {lng}], 17)")
            shown = _settle(zones.count, below=N_ZONES)
            assert 1 <= shown <= 60, shown
            expect(frame.locator(".nm-label span", has_text="合成片区0100")).to_be_attached(timeout=20_000)
            assert frame.locator(".nm-label span").count() == shown
            assert leaflet.evaluate("window.map.getZoom()") == 17  # the map kept its place: not redrawn
            save_screenshot(page, "scale_map_zoomed")

            # pan to a zone far off: it comes in, the first one goes
            lat2, lng2 = _centre(city["NIGHTMAP_DATA_DIR"], "syn_0280")
            leaflet.evaluate(f"window.map.setView([{lat2}, {lng2}], 17)")
            expect(frame.locator(".nm-label span", has_text="合成片区0280")).to_be_attached(timeout=30_000)
            expect(frame.locator(".nm-label span", has_text="合成片区0100")).to_have_count(0, timeout=30_000)
            assert leaflet.evaluate("window.map.getZoom()") == 17

            # a click on a zone in view opens its detail
            point = leaflet.evaluate("ll => { const p = window.map.latLngToContainerPoint(ll); return [p.x, p.y]; }",
                                     [lat2, lng2])
            box = page.locator(FOLIUM_IFRAME).bounding_box()
            page.mouse.click(box["x"] + point[0], box["y"] + point[1])
            expect(page.get_by_role("heading", name="合成片区0280")).to_be_visible(timeout=30_000)
            # the detail opens beside the same map: it is still where the user zoomed to
            expect(frame.locator(".nm-label.nm-selected span", has_text="合成片区0280")).to_be_attached(
                timeout=20_000)
            leaflet = page.locator(FOLIUM_IFRAME).element_handle().content_frame()
            assert leaflet.evaluate("window.map.getZoom()") == 17

            # another metric redraws the map, which opens where the user was
            wait_until_idle(page)  # the map has reported the view the user left it at
            page.locator('[data-testid="stSidebar"]').get_by_text("消费额", exact=True).click()
            page.wait_for_timeout(500)
            wait_for_one_map(page)
            expect(frame.locator(".nm-legend h4")).to_have_text("消费额（元）", timeout=30_000)
            expect(frame.locator(".nm-label span", has_text="合成片区0280")).to_be_attached(timeout=30_000)
            leaflet = page.locator(FOLIUM_IFRAME).element_handle().content_frame()
            assert _poll(lambda: _near(leaflet, lat2, lng2, zoom=17)), leaflet.evaluate(
                "[window.map.getCenter(), window.map.getZoom()]")

            # a zone picked from the list, out of sight: the map pans to it
            picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="查看片区详情")
            picker.locator("input").fill("合成片区0100")
            page.get_by_role("option", name="合成片区0100").click()
            expect(page.get_by_role("heading", name="合成片区0100")).to_be_visible(timeout=30_000)
            expect(frame.locator(".nm-label.nm-selected span", has_text="合成片区0100")).to_be_attached(
                timeout=30_000)
            assert _poll(lambda: _near(leaflet, lat, lng, zoom=17)), leaflet.evaluate(
                "[window.map.getCenter(), window.map.getZoom()]")
            save_screenshot(page, "scale_map_picked")
        assert offsite == []
