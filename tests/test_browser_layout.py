"""Every page on a 1366×768 laptop, in Chinese and English, in headless Chromium (issue #14, "pages that break").

One server, one browser, many page loads:

* no page's main block is wider than the window (``scrollWidth <= clientWidth + 1``);
* on the overview (also with a zone open from the URL) and in the presenter: every zone
  is drawn inside the map's box and clear of the legend, no two zone labels' boxes
  overlap, and each label sits by its own zone — nearer to it than to any other zone,
  or joined to it by a leader line that ends inside it;
* the compare page's zone chips are not scrolled out of sight; the presenter's events
  panel ends above its controls;
* the zoom buttons are titled in the page's language;
* an online basemap with no internet (every request off the machine is refused here)
  falls back to the schematic with a notice on the map and a caption on the page.

Screenshots: ``test-artifacts/layout_<page>_<lang>.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

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
from nightmap.i18n import t

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1366, 768
PLAYER_IFRAME = 'iframe[title="st.iframe"]'
PAGES = {
    "overview": "/",
    "overview_zone": "/?zone=baihuo_dalou",
    "compare": "/片区对比_Compare",
    "events": "/活动_Events",
    "presenter": "/汇报模式_Presenter",
    "data": "/数据管理_Data",
}

MAIN_OVERFLOW = """() => {
  const m = document.querySelector('[data-testid="stMainBlockContainer"]') || document.querySelector('section.main');
  return [m.scrollWidth, m.clientWidth];
}"""

# Boxes of the zones, the zone labels (and the zone each names), the map and its legend, in the frame's
# pixels. ``project`` turns a label's data-b (s,w,n,e of its zone) into the zone's box with the map's own
# projection, so "its own zone" is checked against the geography, not against where the layout thought it was.
MAP_GEOMETRY = """([labelSel, mapSel, coverSel, mapExpr]) => {
  const map = eval(mapExpr);
  const box = (r) => [r.left, r.top, r.right, r.bottom];
  const container = map.getContainer().getBoundingClientRect();
  const project = (el) => {
    const b = el.getAttribute('data-b').split(',').map(parseFloat);
    const p0 = map.latLngToContainerPoint([b[2], b[1]]), p1 = map.latLngToContainerPoint([b[0], b[3]]);
    return [p0.x + container.left, p0.y + container.top, p1.x + container.left, p1.y + container.top];
  };
  const labels = Array.from(document.querySelectorAll(labelSel))
    .filter((el) => getComputedStyle(el).visibility !== 'hidden')
    .map((el) => ({text: el.textContent, box: box(el.getBoundingClientRect()), zone: project(el),
                   leader: el.hasAttribute('data-leader')
                     ? el.getAttribute('data-leader').split(',').map(parseFloat) : null}));
  const zones = Array.from(map.getContainer().querySelectorAll('path.leaflet-interactive'))
    .map((el) => box(el.getBoundingClientRect()));
  const covers = Array.from(document.querySelectorAll(coverSel)).map((el) => box(el.getBoundingClientRect()));
  return {map: box(document.querySelector(mapSel).getBoundingClientRect()), origin: [container.left, container.top],
          covers: covers, labels: labels, zones: zones};
}"""
FOLIUM_MAP = ("(window.map instanceof L.Map ? window.map"  # streamlit-folium keeps the map as window.map
              " : window[Object.keys(window).find((k) => /^map_[0-9a-f]+$/.test(k) && window[k] instanceof L.Map)])")


def _overlap(a: list[float], b: list[float], tol: float = 0.5) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol


def _gap(a: list[float], b: list[float]) -> float:
    dx = max(0.0, a[0] - b[2], b[0] - a[2])
    dy = max(0.0, a[1] - b[3], b[1] - a[3])
    return float((dx * dx + dy * dy) ** 0.5)


def _inside(inner: list[float], outer: list[float], tol: float = 1.0) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol
            and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def check_map(geo: dict[str, Any], *, n_zones: int, where: str) -> None:
    """The zones fit the map, clear of what covers it (legend, panels); labels don't overlap and each reads
    as its own zone's."""
    zones, labels, frame = geo["zones"], geo["labels"], geo["map"]
    assert len(zones) >= n_zones, f"{where}: {len(zones)} zones drawn"
    for z in zones:
        assert _inside(z, frame), f"{where}: a zone {z} is cut by the map's edge {frame}"
        for cover in geo["covers"]:
            assert not _overlap(z, cover), f"{where}: a zone {z} is under the legend or a panel {cover}"
    assert len(labels) >= n_zones, f"{where}: {len(labels)} zone labels shown"
    for i, a in enumerate(labels):
        assert _inside(a["box"], frame), f"{where}: label {a['text']!r} leaves the map"
        for b in labels[i + 1:]:
            assert not _overlap(a["box"], b["box"]), f"{where}: labels {a['text']!r} and {b['text']!r} overlap"
        if a["leader"] is not None:  # joined to its own zone: the line ends inside it
            ox, oy = geo["origin"]
            end = [a["leader"][2] + ox, a["leader"][3] + oy] * 2
            assert _inside(end, a["zone"], tol=1.5), f"{where}: the leader of {a['text']!r} misses its zone"
        else:
            own = _gap(a["box"], a["zone"])
            others = [_gap(a["box"], b["zone"]) for b in labels if b is not a and b["zone"] != a["zone"]]
            assert all(own < o for o in others), f"{where}: label {a['text']!r} is as near another zone as its own"


def _main_fits(page: Any, where: str) -> None:
    scroll, client = page.evaluate(MAIN_OVERFLOW)
    assert scroll <= client + 1, f"{where}: the main block is {scroll} px wide in {client} px"


def _settle(page: Any) -> None:
    page.wait_for_timeout(1500)
    wait_until_idle(page, timeout=60)


def _overview_map(page: Any, lang: str, where: str) -> None:
    wait_for_one_map(page, timeout=60)
    frame = page.frame_locator(FOLIUM_IFRAME)
    expect(frame.locator(".nm-label span").nth(12)).to_be_attached(timeout=30_000)
    page.locator(FOLIUM_IFRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(2000)  # the labels are laid out again 1.5 s after the map is drawn
    expect(frame.locator(".leaflet-control-zoom-in")).to_have_attribute("title", t("map.zoom_in", lang))
    expect(frame.locator(".leaflet-control-zoom-out")).to_have_attribute("title", t("map.zoom_out", lang))
    inner = page.locator(FOLIUM_IFRAME).element_handle().content_frame()
    check_map(inner.evaluate(MAP_GEOMETRY, [".nm-label span[data-b]", ".leaflet-container", ".nm-legend", FOLIUM_MAP]),
              n_zones=13, where=where)


def _presenter(page: Any, where: str) -> None:
    player = page.frame_locator(PLAYER_IFRAME)
    expect(player.locator("html[data-nm-ready]")).to_be_attached(timeout=60_000)
    page.wait_for_timeout(1500)
    inner = page.locator(PLAYER_IFRAME).element_handle().content_frame()
    geo = inner.evaluate(MAP_GEOMETRY, [".nm-zl[data-b]", "#nm-map", ".nm-head, .nm-side > *, .nm-controls",
                                        "window.nmPlayer.map"])
    check_map(geo, n_zones=13, where=where)
    events, controls = (inner.locator(s).bounding_box() for s in (".nm-events", ".nm-controls"))
    assert events is not None and controls is not None
    assert events["y"] + events["height"] <= controls["y"] + 1, f"{where}: the events panel runs under the controls"
    cut = inner.evaluate("() => { const b = document.querySelector('.nm-events'); return b.scrollHeight - b.clientHeight; }")
    assert cut <= 1, f"{where}: {cut} px of the events list are cut off"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """One server and one browser for every test here: ``(base_url, browser)``."""
    env = {"NIGHTMAP_DB": str(tmp_path_factory.mktemp("layout") / "layout.duckdb"),
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}  # no "file changed" prompt mid-test
    with run_streamlit(PROJECT_ROOT / "app.py", env=env) as base_url, chromium() as browser:
        yield base_url, browser


def test_every_page_fits_a_laptop(site: tuple[str, Any]) -> None:
    base_url, browser = site
    page, offsite = offline_page(browser, width=WIDTH, height=HEIGHT)
    try:
        for lang in ("zh", "en"):
            for name, path in PAGES.items():
                where = f"{name} ({lang})"
                url = base_url + path + (("&" if "?" in path else "?") + "lang=en" if lang == "en" else "")
                with screenshot_on_failure(page, f"layout_{name}_{lang}"):
                    page.goto(url, wait_until="domcontentloaded")
                    expect(page.locator('[data-testid="stMainBlockContainer"]')).to_be_visible(timeout=90_000)
                    _settle(page)
                    if name.startswith("overview"):
                        _overview_map(page, lang, where)
                    elif name == "presenter":
                        _presenter(page, where)
                    elif name == "compare":
                        chips = page.locator('.st-key-nm_compare span[data-tag]')
                        expect(chips.nth(1)).to_be_visible(timeout=30_000)
                        for i in range(chips.count()):  # every picked zone's chip in sight
                            box = chips.nth(i).bounding_box()
                            host = page.locator(".st-key-nm_compare").bounding_box()
                            assert box is not None and host is not None
                            assert box["x"] + box["width"] <= host["x"] + host["width"] + 1, f"{where}: chip {i} cut"
                    _main_fits(page, where)
                    save_screenshot(page, f"layout_{name}_{lang}", full_page=False)
        assert offsite == [], f"requests left the machine: {offsite}"
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_online_basemap_without_internet_falls_back(site: tuple[str, Any], lang: str) -> None:
    base_url, browser = site
    page, offsite = offline_page(browser, width=WIDTH, height=HEIGHT)  # refuses the tiles: "no internet"
    try:
        with screenshot_on_failure(page, f"layout_basemap_{lang}"):
            page.goto(f"{base_url}/?base=osm&lang={lang}", wait_until="domcontentloaded")
            expect(page.get_by_text(t("map.online_note", lang)).first).to_be_visible(timeout=90_000)
            wait_for_one_map(page, timeout=60)
            frame = page.frame_locator(FOLIUM_IFRAME)
            notice = frame.locator(".nm-notice")
            expect(notice).to_have_text(t("map.tiles_failed", lang), timeout=30_000)
            expect(frame.locator(".leaflet-container.nm-fallback")).to_have_count(1)
            expect(frame.locator(".leaflet-tile-pane")).to_be_hidden()
            inner = page.locator(FOLIUM_IFRAME).element_handle().content_frame()
            shown = inner.evaluate("() => Array.from(document.querySelectorAll('path.nm-road'))"
                                   ".map((el) => getComputedStyle(el).display !== 'none')")
            assert len(shown) >= 4 and all(shown), shown  # the schematic's roads are shown
            names = inner.evaluate("() => Array.from(document.querySelectorAll('.nm-rlabel span'))"
                                   ".filter((el) => getComputedStyle(el).display !== 'none')"
                                   ".map((el) => { const r = el.getBoundingClientRect();"
                                   " return [r.left, r.top, r.right, r.bottom]; })")
            assert len(names) >= 3, names  # and named, where a name collides with no other
            assert not [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
                        if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])], names
            page.locator(FOLIUM_IFRAME).scroll_into_view_if_needed()
            page.wait_for_timeout(1000)
            save_screenshot(page, f"layout_basemap_{lang}", full_page=False)
        assert offsite and all("openstreetmap" in u for u in offsite), offsite  # only the tiles were refused
    finally:
        page.context.close()
