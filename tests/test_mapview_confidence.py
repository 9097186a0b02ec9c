"""Unverified places and reference roads on the map: dashed outlines, tooltips, legend rows, road names."""

from __future__ import annotations

import folium
import pytest
from tests.test_mapview import (  # noqa: F401 - local_assets: the same autouse fixture
    legend_html,
    local_assets,
    make_values,
    small_zones,
    zone_layer,
    zone_styles,
)

import nightmap.map as nmap
from nightmap import geo


def zones_with(confidence: list[str | None]):
    z = small_zones()
    z["location_confidence"] = confidence
    return z


def tips(m: folium.Map) -> dict[str, str]:
    return {f["properties"]["zone_id"]: f["properties"]["tip"] for f in zone_layer(m).data["features"]}


@pytest.mark.parametrize("lang, words, legend_words", [
    ("zh", "位置待核实", "虚线边框：位置待核实"),
    ("en", "Position unverified", "Dashed outline: position unverified"),
])
def test_only_high_confidence_zones_are_drawn_solid(lang: str, words: str, legend_words: str) -> None:
    z = zones_with(["high", "low", None])  # None: a file that does not say
    m = nmap.build_map(zones=z, districts=None, values=make_values(z["zone_id"], [1, 2, 3]), metric="visitors",
                       lang=lang)
    styles, tip = zone_styles(m), tips(m)
    assert "dashArray" not in styles["s1"] and words not in tip["s1"]
    assert styles["s2"]["dashArray"] == nmap.UNVERIFIED_DASH and words in tip["s2"]
    assert styles["c1"]["dashArray"] == nmap.UNVERIFIED_DASH and words in tip["c1"]
    assert styles["c1"]["color"] == nmap.COMPLEX_STROKE  # still reads as a complex
    assert ("低" if lang == "zh" else "low") in tip["s2"]
    assert legend_words in legend_html(m)


def test_all_verified_map_has_no_unverified_legend_row() -> None:
    z = zones_with(["high", "high", "high"])
    m = nmap.build_map(zones=z, districts=None, values=make_values(z["zone_id"], [1, 2, 3]), metric="visitors")
    assert "位置待核实" not in legend_html(m)
    assert all("dashArray" not in s for s in zone_styles(m).values())


def test_selected_unverified_zone_keeps_the_blue_outline_and_the_warning() -> None:
    z = zones_with(["none", "none", "none"])
    m = nmap.build_map(zones=z, districts=None, values=make_values(z["zone_id"], [1, 2, 3]), metric="visitors",
                       selected="s1")
    assert zone_styles(m)["s1"]["color"] == nmap.SELECTED_STROKE
    assert "位置待核实" in tips(m)["s1"]


def test_bundled_zones_follow_their_confidence() -> None:
    zones = geo.load_zones()
    m = nmap.build_map(zones=zones, districts=None, values=None, metric="visitors", lang="en")
    styles = zone_styles(m)
    for rec in zones.to_dict("records"):
        dashed = "dashArray" in styles[rec["zone_id"]]
        assert dashed == (rec["location_confidence"] != "high"), rec["zone_id"]


def test_in_view_layer_marks_unverified_zones_too() -> None:
    z = zones_with(["high", "medium", "high"])
    group = nmap.zones_layer(zones=z, values=make_values(z["zone_id"], [1, 2, 3]), metric="visitors")
    layer = next(c for c in group._children.values() if isinstance(c, folium.GeoJson))
    styles = {f["properties"]["zone_id"]: layer.style_function(f) for f in layer.data["features"]}
    assert "dashArray" in styles["s2"] and "dashArray" not in styles["s1"]


@pytest.mark.parametrize("lang, name", [("zh", "解放路≈"), ("en", "Jiefang Rd ≈")])
def test_roads_drawn_and_named_on_the_schematic_only(lang: str, name: str) -> None:
    zones, roads = geo.load_zones(), geo.load_roads()
    m = nmap.build_map(zones=zones, districts=geo.load_districts(), values=None, metric="visitors", lang=lang,
                       roads=roads)
    assert ("主要道路" if lang == "zh" else "Main roads") in legend_html(m)
    groups = [c for c in m._children.values() if isinstance(c, nmap.layers._Roads)]
    assert len(groups) == 1 and len(groups[0].labels) == len(roads) == 4
    points = [c for c in m._children.values() if isinstance(c, nmap.elements._Points)]
    drawn = [p["html"] for c in points for p in c.items if p["cls"] == "nm-rlabel"]
    assert len(drawn) == 4 and any(name in h for h in drawn)
    on_tiles = nmap.build_map(zones=zones, districts=None, values=None, metric="visitors", lang=lang,
                              roads=roads, basemap="osm")
    assert not [c for c in on_tiles._children.values() if isinstance(c, nmap.layers._Roads)]
    assert '"cls": "nm-rlabel"' not in on_tiles.get_root().render()


def test_road_names_keep_off_the_zones() -> None:
    zones, roads = geo.load_zones(), geo.load_roads()
    group = nmap.layers._draw_roads(roads, lang="zh", avoid=zones.geometry.envelope.union_all())
    from shapely.geometry import Point

    union = zones.geometry.union_all()
    for label in group.labels:
        assert not union.contains(Point(label["lng"], label["lat"])), label["html"]


def test_missing_roads_file_gives_an_empty_frame(tmp_path) -> None:
    roads = geo.load_roads(tmp_path / "roads.geojson")
    assert roads.empty and list(roads.columns) == [*geo.ROAD_COLUMNS, "geometry"]
