"""Map labels, zoom titles and the tile fall-back, as the map's HTML carries them (issue #14).

The browser side (no overlaps, each label by its zone, the notice when tiles fail) is
tested in ``test_browser_layout.py``.
"""

from __future__ import annotations

import html
import json

import pytest

import nightmap.map as nmap
from nightmap import assets, basemaps, geo, playback
from nightmap.filters import Filter
from nightmap.i18n import t
from nightmap.store import Store


@pytest.mark.parametrize(("name", "short"), [
    ("Jiaozuo Department Store (Baihuo Dalou)", "Jiaozuo Dept. Store"),
    ("Jingshui'an Pedestrian Street, Mengzhou Road", "Jingshui'an Ped. St."),
    ("Wangfujing Outer Square", "Wangfujing Outer Sq."),
    ("Jinxiang Commercial Street", "Jinxiang Comm. St."),
    ("Xinya Shopping Mall", "Xinya Mall"),
    ("Wanda Plaza", "Wanda Plaza"),
    ("(Only brackets)", "(Only brackets)"),
])
def test_english_map_labels_are_short(name: str, short: str) -> None:
    assert nmap.map_label(name, "en") == short


def test_chinese_map_labels_are_the_names() -> None:
    assert nmap.map_label("孟州路京水岸步行街", "zh") == "孟州路京水岸步行街"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_carries_label_layout_and_titled_zoom(lang: str) -> None:
    zones = geo.load_zones()
    fmap = nmap.build_map(zones=zones, districts=geo.load_districts(), values=None, metric="visitors", lang=lang)
    doc = fmap.get_root().render()
    spans = [it["html"] for c in fmap._children.values() if isinstance(c, nmap.elements._Points) for it in c.items
             if it["cls"].startswith("nm-label")]
    assert "window.nmLabels.place(" in doc and "root.nmLabels = {place: place" in doc  # labels.js inlined
    assert f"zoomInTitle: {json.dumps(t('map.zoom_in', lang))}" in doc
    assert f"zoomOutTitle: {json.dumps(t('map.zoom_out', lang))}" in doc
    assert '"zoomControl": false' in doc  # Leaflet's own English-titled buttons are not drawn
    expected = {nmap.map_label(nmap.zone_name(r, lang), lang) for r in zones.to_dict("records")}
    assert sorted(h.split(">", 1)[1].removesuffix("</span>") for h in spans) == sorted(html.escape(x) for x in expected)
    assert json.dumps(t("map.tiles_failed", lang)) not in doc  # no tiles, nothing to fall back from


@pytest.mark.parametrize("basemap", ["osm", "amap"])
def test_tiled_map_falls_back_to_the_schematic(basemap: str) -> None:
    assert basemaps.needs_internet(basemap) and not basemaps.needs_internet("none")
    fmap = nmap.build_map(zones=geo.load_zones(), districts=geo.load_districts(), values=None, metric="visitors",
                          lang="zh", basemap=basemap, roads=geo.load_roads())
    doc = fmap.get_root().render()
    assert "tileerror" in doc and json.dumps(t("map.tiles_failed", "zh")) in doc
    assert '"className": "nm-road nm-fb"' in doc and '"cls": "nm-rlabel nm-fb"' in doc  # hidden until tiles fail
    assert '"className": "nm-dfocus"' in doc


def test_player_places_labels_with_the_same_script(bundled_store: Store) -> None:
    run = playback.frames(bundled_store, Filter())
    zones = geo.zones_from_table(bundled_store.zones())
    inline = playback.player_html(run, zones, None, metric="visitors", lang="en", inline=True)
    assert nmap.label_script().strip()[:200] in inline  # the file opened alone carries the script
    served = playback.player_html(run, zones, None, metric="visitors", lang="en", inline=False)
    assert "/app/static/vendor/nightmap/js/labels.js?v=" in served  # the page refers to the same published file
    assert nmap.label_script() == assets.own_text("js/labels.js")
    data = playback.player_data(run, zones, None, metric="visitors", lang="en")
    labels = {f["properties"]["id"]: f["properties"]["label"] for f in data["zones"]["features"]}
    assert labels["baihuo_dalou"] == "Jiaozuo Dept. Store"
