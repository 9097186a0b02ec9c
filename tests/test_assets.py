"""Offline map assets: published from pip packages, and folium pointed at them (no CDN left)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

import nightmap.map as nmap
from nightmap import assets

REMOTE_REF = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


# folium's own asset lists, as imported (collection runs before any test can change them)
PRISTINE = (folium.Map.default_js, folium.Map.default_css, folium.plugins.HeatMap.default_js)


@pytest.fixture
def restore_folium():
    """Start from folium's own class-level asset lists and put back what was there after the test.

    Page tests running in the same process point folium at local files; each test here starts clean.
    """
    saved = (folium.Map.default_js, folium.Map.default_css, folium.plugins.HeatMap.default_js)
    folium.Map.default_js, folium.Map.default_css, folium.plugins.HeatMap.default_js = PRISTINE
    yield
    folium.Map.default_js, folium.Map.default_css, folium.plugins.HeatMap.default_js = saved


def test_publish_creates_files(tmp_path: Path) -> None:
    vendor = assets.publish_assets(tmp_path)
    assert vendor == tmp_path / "vendor"
    for rel in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/images/layers.png",
        "leaflet/images/marker-icon.png",
        "jquery/jquery.min.js",
        "leaflet-heat/leaflet_heat.min.js",
    ):
        f = vendor / rel
        assert f.is_file() and f.stat().st_size > 0, rel
    assert "1.9.3" in (vendor / "leaflet/leaflet.js").read_text(encoding="utf-8")[:400]


def test_publish_is_idempotent_and_repairs(tmp_path: Path) -> None:
    vendor = assets.publish_assets(tmp_path)
    js = vendor / "leaflet/leaflet.js"
    before = js.stat().st_mtime_ns
    assets.publish_assets(tmp_path)
    assert js.stat().st_mtime_ns == before  # identical file left alone
    js.unlink()
    css = vendor / "leaflet/leaflet.css"
    # published files are copies, never hard links: writing one must not touch the pip package
    source = next(a.source for a in assets.asset_files() if a.target == "leaflet/leaflet.css")
    assert not css.samefile(source)
    css.write_text("broken", encoding="utf-8")
    assets.publish_assets(tmp_path)
    assert js.stat().st_size > 100_000
    assert css.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
    assert not list(vendor.rglob("*.tmp"))


def test_publish_replaces_hard_links_with_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = next(a for a in assets.asset_files() if a.target == "leaflet/leaflet.js")
    source = tmp_path / "package" / "leaflet.js"  # stands in for the installed file, on the same disk
    source.parent.mkdir()
    source.write_bytes(real.source.read_bytes())
    monkeypatch.setattr(assets, "asset_files", lambda: [dataclasses.replace(real, source=source)])
    dest = tmp_path / "static/vendor/leaflet/leaflet.js"
    dest.parent.mkdir(parents=True)
    dest.hardlink_to(source)
    assets.publish_assets(tmp_path / "static")
    assert not dest.samefile(source)
    assert dest.read_bytes() == source.read_bytes()


def test_local_urls_match_published_layout(tmp_path: Path) -> None:
    vendor = assets.publish_assets(tmp_path)
    for url in assets.local_urls("/app/static/vendor").values():
        rel = url.removeprefix("/app/static/vendor/")
        assert (vendor / rel).is_file(), url


def _tiny_map(**kwargs) -> folium.Map:
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["a", "b"],
            "name_zh": ["甲街", "乙广场"],
            "name_en": ["A Street", "B Mall"],
            "kind": ["street", "complex"],
        },
        geometry=[box(113.225, 35.212, 113.229, 35.2125), box(113.230, 35.214, 113.231, 35.215)],
        crs="EPSG:4326",
    )
    values = pd.DataFrame({"zone_id": ["a", "b"], "value": [10.0, 20.0], "baseline": [8.0, 25.0], "uplift_pct": [25.0, -20.0]})
    heat = pd.DataFrame({"zone_id": ["a", "b"], "visitors": [100, 300]})
    events = pd.DataFrame(
        [{"event_id": "e", "zone_id": "a", "start": pd.Timestamp("2022-06-17 19:30"), "end": pd.Timestamp("2022-06-17 21:00"),
          "category": "eat", "kind": "market", "title_zh": "市集", "title_en": "Market"}]
    )
    return nmap.build_map(zones=zones, districts=None, values=values, metric="visitors", heat=heat, events=events, **kwargs)


def test_default_folium_map_uses_cdns(restore_folium) -> None:
    """Guard for the test below: without use_local_assets the page refers to CDNs."""
    html = folium.Map(location=[35.2, 113.2]).get_root().render()
    assert REMOTE_REF.search(html)


def test_map_html_has_no_remote_script_or_link(restore_folium) -> None:
    assets.use_local_assets("/app/static/vendor")
    html = _tiny_map().get_root().render()
    assert not REMOTE_REF.search(html), REMOTE_REF.search(html)
    assert 'src="/app/static/vendor/leaflet/leaflet.js"' in html
    assert 'href="/app/static/vendor/leaflet/leaflet.css"' in html
    assert "/app/static/vendor/leaflet-heat/leaflet_heat.min.js" in html
    for cdn in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn", "d3js.org"):
        assert cdn not in html


def test_only_tiles_are_remote_with_a_basemap(restore_folium) -> None:
    assets.use_local_assets()
    html = _tiny_map(basemap="osm").get_root().render()
    assert not REMOTE_REF.search(html)
    assert "tile.openstreetmap.org" in html  # the tile URL itself is allowed


def test_setup_offline_map(tmp_path: Path, restore_folium) -> None:
    vendor = assets.setup_offline_map(tmp_path, base_url="/x/vendor/")
    assert (vendor / "leaflet/leaflet.js").is_file()
    assert folium.Map.default_js[0] == ("leaflet", "/x/vendor/leaflet/leaflet.js")
