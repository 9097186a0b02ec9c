"""An offline AMap tile pack at a briefing with no internet, in headless Chromium on the real server.

A pack is fetched from a tile server on 127.0.0.1 with ``nightmap tiles fetch``, exported and
imported on "another machine" (another folder) with ``nightmap tiles import``; the app is started
on it with every request off the machine blocked. The overview then opens on the pack: tile images
come from the app itself, the zones lie on top in GCJ-02 (as the AMap tiles are drawn), and
unverified zones are dashed and say so in their tooltip, in Chinese and in English.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from browser import (
    FOLIUM_IFRAME,
    PROJECT_ROOT,
    chromium,
    offline_page,
    run_streamlit,
    save_screenshot,
    screenshot_on_failure,
    wait_for_one_map,
)
from nightmap import geo
from test_tiles import TileServer

pytestmark = pytest.mark.browser

XINYA_GCJ = (113.229121, 35.242592)  # 新亚商厦, AMap POI (GCJ-02)

# the layer of one zone, found through Leaflet inside the map's frame
ZONE_CENTRE_JS = """(zid) => {
  for (const k of Object.keys(window)) {
    const m = window[k];
    if (!k.startsWith('map_') || !m || !m.eachLayer) continue;
    let found = null;
    m.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.zone_id === zid
                             && l.getBounds) { found = l.getBounds().getCenter(); } });
    if (found) return [found.lng, found.lat];
  }
  return null;
}"""


def _nightmap(*args: str, tiles_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NIGHTMAP_TILES_DIR": str(tiles_dir)}
    return subprocess.run([sys.executable, "-m", "nightmap.cli", *args], capture_output=True, text=True, env=env,
                          cwd=PROJECT_ROOT, stdin=subprocess.DEVNULL, timeout=120, check=False)


def _make_pack(tmp_path: Path) -> Path:
    """Fetch a pack covering the zones from a local tile server, export it, import it elsewhere."""
    zones = geo.load_zones()
    w, s, e, n = zones.total_bounds
    bbox = f"{w - 0.01:.4f},{s - 0.01:.4f},{e + 0.01:.4f},{n + 0.01:.4f}"
    server = TileServer()
    try:
        made = _nightmap("tiles", "fetch", "--basemap", "amap", "--zoom", "12-15", "--bbox", bbox,
                         "--url", server.url, "--rate", "1000", "--yes", tiles_dir=tmp_path / "connected")
    finally:
        server.close()
    assert made.returncode == 0, made.stdout + made.stderr
    assert len(server.tile_paths()) > 10
    exported = _nightmap("tiles", "export", "amap", str(tmp_path / "amap.zip"), tiles_dir=tmp_path / "connected")
    assert exported.returncode == 0, exported.stdout + exported.stderr
    briefing = tmp_path / "briefing-laptop"
    imported = _nightmap("tiles", "import", str(tmp_path / "amap.zip"), tiles_dir=briefing)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    listed = _nightmap("tiles", "list", tiles_dir=briefing)
    assert "amap" in listed.stdout and "GCJ-02" in listed.stdout
    return briefing


def test_overview_opens_on_the_offline_pack_with_zones_on_top_in_gcj02(tmp_path: Path) -> None:
    briefing = _make_pack(tmp_path)
    env = {"NIGHTMAP_DB": str(tmp_path / "browser.duckdb"), "NIGHTMAP_TILES_DIR": str(briefing)}
    with run_streamlit(PROJECT_ROOT / "app.py", env=env) as base_url, chromium() as browser:
        page, offsite = offline_page(browser, width=1366, height=900)
        with screenshot_on_failure(page, "tiles_overview"):
            for lang, words in (("zh", "位置待核实"), ("en", "Position unverified")):
                page.goto(f"{base_url}/?lang={lang}")  # no basemap in the URL: the installed pack is the default
                page.wait_for_selector(FOLIUM_IFRAME, timeout=90_000)
                wait_for_one_map(page, timeout=60)
                page.locator(FOLIUM_IFRAME).scroll_into_view_if_needed()
                frame = page.frame_locator(FOLIUM_IFRAME)
                frame.locator("img.leaflet-tile-loaded").first.wait_for(state="attached", timeout=30_000)
                srcs = frame.locator("img.leaflet-tile").evaluate_all("els => els.map(e => e.src)")
                loaded = frame.locator("img.leaflet-tile-loaded").evaluate_all(
                    "els => els.filter(e => e.complete && e.naturalWidth > 0).length")
                assert srcs and all(s.startswith(f"{base_url}/app/static/tiles/amap/") for s in srcs), srcs[:3]
                assert loaded >= 4
                # the zones are drawn over the tiles, in GCJ-02 like the AMap tiles under them
                assert frame.locator("path.leaflet-interactive").count() >= 13
                lng, lat = _centre(page, "xinya_mall")
                assert abs(lng - XINYA_GCJ[0]) < 0.001 and abs(lat - XINYA_GCJ[1]) < 0.001, (lng, lat)
                # unverified places: dashed outlines and a warning in the tooltip
                dashed = frame.locator("path.leaflet-interactive[stroke-dasharray]")
                unverified = int((geo.load_zones()["location_confidence"] != "high").sum())
                assert dashed.count() == unverified == 11
                dashed.first.dispatch_event("mouseover")
                assert words in frame.locator(".leaflet-tooltip").first.inner_text(timeout=5_000)
                legend = frame.locator(".nm-legend").inner_text()
                assert ("虚线边框" if lang == "zh" else "Dashed outline") in legend
                layers = frame.locator(".leaflet-control-layers").inner_text()
                assert ("高德地图（离线包）" if lang == "zh" else "AMap (offline pack)") in layers
            save_screenshot(page, "tiles_overview", full_page=False)
        assert offsite == []


def _centre(page, zone_id: str) -> tuple[float, float]:
    """The centre (lng, lat) of a zone's drawn outline, read from Leaflet in the map's frame."""
    for fr in page.frames:
        if fr == page.main_frame:
            continue
        try:
            got = fr.evaluate(ZONE_CENTRE_JS, zone_id)
        except Exception:  # noqa: BLE001 - frames without a map
            continue
        if got:
            return float(got[0]), float(got[1])
    raise AssertionError(f"zone {zone_id} not found on any map")


def test_pack_json_names_its_datum_and_attribution(tmp_path: Path) -> None:
    briefing = _make_pack(tmp_path)
    meta = json.loads((briefing / "amap" / "pack.json").read_text(encoding="utf-8"))
    assert meta["datum"] == "GCJ-02" and "高德" in meta["attribution"]
