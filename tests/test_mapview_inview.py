"""A map of many zones: the base map, the layer of zones in view, the view box, the zone filter on the map."""

from __future__ import annotations

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely.geometry

import nightmap.map as nmap
from nightmap import geo
from nightmap.simulate import synthetic_zones

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def many() -> gpd.GeoDataFrame:
    """The 13 real zones and 387 synthetic ones (100 m squares on a 250 m grid), one named with markup."""
    z = synthetic_zones(400, seed=3, base=geo.load_zones())
    z.loc[z.index[-1], "name_zh"] = XSS
    return z


@pytest.fixture(scope="module")
def values(many: gpd.GeoDataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    n = len(many)
    return pd.DataFrame({"zone_id": many["zone_id"], "value": rng.uniform(100, 50_000, n),
                         "baseline": rng.uniform(100, 50_000, n), "uplift_pct": rng.uniform(-30, 60, n)})


def events_for(zone_ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame([
        {"event_id": f"E{i}", "zone_id": z, "start": pd.Timestamp("2022-06-17 19:30"),
         "end": pd.Timestamp("2022-06-17 21:00"), "category": "eat", "kind": "market",
         "title_zh": "美食市集", "title_en": "Food market"}
        for i, z in enumerate(zone_ids)
    ])


def layer_geojson(group: folium.FeatureGroup) -> folium.GeoJson | None:
    found = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    assert len(found) <= 1
    return found[0] if found else None


def layer_points(group: folium.FeatureGroup) -> list[dict]:
    return [it for c in group._children.values() if isinstance(c, nmap.elements._Points) for it in c.items]


def bounds(s: float, w: float, n: float, e: float) -> dict:
    return {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}}


def box_around(frame: gpd.GeoDataFrame, zone_id: str, half: float) -> nmap.Box:
    c = frame.set_index("zone_id").loc[zone_id].geometry.centroid
    return (c.y - half, c.x - half, c.y + half, c.x + half)


# --------------------------------------------------------------------------- the view box


@pytest.mark.parametrize("raw", [None, {}, {"_southWest": None}, bounds(35.2, 113.3, 35.1, 113.4),
                                 bounds(35.2, 113.3, 35.2, 113.3), {"_southWest": {"lat": "x", "lng": 1},
                                                                    "_northEast": {"lat": 2, "lng": 3}}])
def test_view_box_of_nothing_is_none(raw) -> None:
    assert nmap.view_box(raw) is None


def test_view_box_pads_and_snaps_so_small_pans_share_a_box() -> None:
    view = (35.20, 113.22, 35.22, 113.25)  # 0.02° × 0.03°
    box = nmap.view_box(bounds(*view))
    s, w, n, e = box
    # covers the view and a quarter of its size on every side
    assert s <= 35.20 - 0.005 and n >= 35.22 + 0.005 and w <= 113.22 - 0.0075 and e >= 113.25 + 0.0075
    # but not far more: snapping adds at most a quarter of the view's larger side per edge
    assert (n - s) <= 0.02 * 1.5 + 2 * 0.03 / 4 + 1e-9
    # the edges sit on a power-of-two grid, so a small pan gives the very same box
    step = 2.0 ** np.floor(np.log2(0.03 / 4))
    for edge in box:
        assert abs(edge / step - round(edge / step)) < 1e-6
    nudged = nmap.view_box(bounds(35.2001, 113.2201, 35.2201, 113.2501))
    assert nudged == box
    far = nmap.view_box(bounds(35.30, 113.22, 35.32, 113.25))
    assert far != box


# --------------------------------------------------------------------------- the zones in view


def test_all_zones_in_view_are_dots_with_short_tips(many, values) -> None:
    group = nmap.zones_layer(zones=many, values=values, metric="visitors", events=events_for(["syn_0001"]))
    gj = layer_geojson(group)
    feats = gj.data["features"]
    assert len(feats) == len(many) > nmap.IN_VIEW_POLYGONS
    assert {f["geometry"]["type"] for f in feats} == {"Point"}
    assert all("<br>" not in f["properties"]["tip"] for f in feats)  # one line: name and value
    labels = [p for p in layer_points(group) if p["cls"].startswith("nm-label")]
    assert len(labels) == nmap.LABELLED_ZONES
    # the labelled ones are the highest values
    top = many[many.zone_id.isin(set(values.nlargest(nmap.LABELLED_ZONES, "value")["zone_id"]))]
    top_names = {f">{nmap.zone_name(r, 'zh')}<" for r in top.to_dict("records")}
    assert all(any(name in p["html"] for name in top_names) for p in labels)
    assert not [p for p in layer_points(group) if p["cls"] == "nm-evt"]  # no event markers at this scale
    # dots are filled with the metric's colour class
    style = gj.style_function(feats[0])
    assert style["fill"] is True and style["fillColor"] in nmap.SEQUENTIAL


def test_a_zoomed_view_sends_only_the_zones_in_it_as_outlines(many, values) -> None:
    box = box_around(many, "syn_0100", 0.004)
    ev = events_for(["syn_0100", "syn_0300"])
    group = nmap.zones_layer(zones=many, values=values, metric="visitors", events=ev, box=box)
    feats = layer_geojson(group).data["features"]
    ids = {f["properties"]["zone_id"] for f in feats}
    assert "syn_0100" in ids and 3 <= len(ids) <= 40
    s, w, n, e = box
    for zid in ids:
        minx, miny, maxx, maxy = many.set_index("zone_id").loc[zid].geometry.bounds
        assert maxx >= w and minx <= e and maxy >= s and miny <= n
    inside = many[many.geometry.intersects(shapely.geometry.box(w, s, e, n))]
    assert ids == set(inside["zone_id"])  # every zone in view, nothing else
    assert {f["geometry"]["type"] for f in feats} == {"Polygon"}
    tip = next(f["properties"]["tip"] for f in feats if f["properties"]["zone_id"] == "syn_0100")
    assert "较基线" in tip  # the full tooltip of the district map
    points = layer_points(group)
    assert len([p for p in points if p["cls"].startswith("nm-label")]) == len(ids)  # every zone in view labelled
    evts = [p for p in points if p["cls"] == "nm-evt"]
    assert len(evts) == 1 and "美食市集" in evts[0]["tip"]  # syn_0300 is out of view
    html = folium.Map().add_child(group).get_root().render()
    assert "syn_0300" not in html


def test_zoomed_layer_is_a_fraction_of_the_whole_map(many, values) -> None:
    whole = nmap.build_map(zones=many, districts=None, values=values, metric="visitors").get_root().render()
    box = box_around(many, "syn_0100", 0.006)
    fmap = folium.Map()
    nmap.zones_layer(zones=many, values=values, metric="visitors", box=box).add_to(fmap)
    part = fmap.get_root().render()
    assert len(part.encode()) < len(whole.encode()) / 4


def test_colours_do_not_depend_on_the_view(many, values) -> None:
    scale = nmap.colour_scale(values["value"])
    for half in (0.002, 0.01):
        gj = layer_geojson(nmap.zones_layer(zones=many, values=values, metric="spend",
                                            box=box_around(many, "syn_0200", half)))
        by_id = values.set_index("zone_id")["value"]
        for f in gj.data["features"]:
            assert gj.style_function(f)["fillColor"] == scale.colour(by_id[f["properties"]["zone_id"]])


def test_zone_filter_leaves_other_zones_out_of_the_layer(many, values) -> None:
    only = ["syn_0001", "syn_0002", "jinxiang_street"]
    gj = layer_geojson(nmap.zones_layer(zones=many, values=values, metric="visitors", only=only))
    assert {f["properties"]["zone_id"] for f in gj.data["features"]} == set(only) & set(many["zone_id"])


def test_selected_zone_stands_out_in_the_layer(many, values) -> None:
    gj = layer_geojson(nmap.zones_layer(zones=many, values=values, metric="visitors", selected="syn_0005"))
    styles = {f["properties"]["zone_id"]: gj.style_function(f) for f in gj.data["features"]}
    assert styles["syn_0005"]["color"] == nmap.SELECTED_STROKE
    assert gj.data["features"][-1]["properties"]["zone_id"] == "syn_0005"  # drawn on top


def test_names_are_escaped_in_the_layer(many, values) -> None:
    last = many["zone_id"].iloc[-1]
    box = box_around(many, last, 0.002)
    for b in (None, box):
        group = nmap.zones_layer(zones=many, values=values.assign(value=lambda v: np.where(
            v.zone_id == last, 1e9, v.value)), metric="visitors", box=b)
        html = folium.Map().add_child(group).get_root().render()
        assert XSS not in html
        assert "&lt;img" in html or "\\u0026lt;img" in html  # escaped, then embedded as JSON


def test_amap_layer_culls_in_gcj02(many, values) -> None:
    wgs_box = box_around(many, "syn_0100", 0.004)
    shift_lng, shift_lat = geo.wgs84_to_gcj02(113.24, 35.22)
    dx, dy = shift_lng - 113.24, shift_lat - 35.22
    gcj_box = (wgs_box[0] + dy, wgs_box[1] + dx, wgs_box[2] + dy, wgs_box[3] + dx)
    ids = lambda g: {f["properties"]["zone_id"] for f in layer_geojson(g).data["features"]}  # noqa: E731
    wgs = ids(nmap.zones_layer(zones=many, values=values, metric="visitors", box=wgs_box))
    gcj = ids(nmap.zones_layer(zones=many, values=values, metric="visitors", box=gcj_box, basemap="amap"))
    assert len(wgs ^ gcj) <= 2 and "syn_0100" in gcj


def test_an_empty_view_gives_an_empty_layer(many, values) -> None:
    group = nmap.zones_layer(zones=many, values=values, metric="visitors", box=(10.0, 10.0, 10.1, 10.1))
    assert layer_geojson(group) is None and layer_points(group) == []


# --------------------------------------------------------------------------- the base map


def test_base_map_has_no_zones_but_the_legend_of_all(many, values) -> None:
    fmap = nmap.build_base_map(zones=many, districts=geo.load_districts(), values=values, metric="visitors",
                               events=events_for(["syn_0001"]), heat=values.rename(columns={"value": "visitors"}))
    html = fmap.get_root().render()
    assert "syn_0001" not in html and "zone_id" not in html
    legend = next(c.html for c in fmap._children.values() if isinstance(c, nmap.elements._Legend))
    assert "共 400 个片区" in legend and "夜食" in legend
    scale = nmap.colour_scale(values["value"])
    assert all(c in legend for c in scale.colours)
    assert any(isinstance(c, folium.FeatureGroup) for c in fmap._children.values())  # heat, switchable


def test_base_map_frames_the_zone_filter(many, values) -> None:
    only = ["syn_0001", "syn_0002"]
    fmap = nmap.build_base_map(zones=many, districts=None, values=values, metric="visitors", only=only)
    (s, w), (n, e) = next(c for c in fmap._children.values() if isinstance(c, nmap.elements._Fit)).bounds
    sub = many[many.zone_id.isin(only)].total_bounds
    assert (w, s, e, n) == pytest.approx(tuple(sub))


def test_base_map_in_english(many, values) -> None:
    fmap = nmap.build_base_map(zones=many, districts=None, values=values, metric="visitors", lang="en")
    legend = next(c.html for c in fmap._children.values() if isinstance(c, nmap.elements._Legend))
    assert "400 zones; only those in view are drawn" in legend


# --------------------------------------------------------------------------- the zone filter on the district map


def test_zones_outside_the_filter_are_faded_not_no_data() -> None:
    z = geo.load_zones()
    vals = pd.DataFrame({"zone_id": ["wanda_square"], "value": [100.0], "baseline": [80.0], "uplift_pct": [25.0]})
    fmap = nmap.build_map(zones=z, districts=None, values=vals, metric="visitors", only=["wanda_square"])
    gj = next(c for c in fmap._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "zones")
    styles = {f["properties"]["zone_id"]: gj.style_function(f) for f in gj.data["features"]}
    tips = {f["properties"]["zone_id"]: f["properties"]["tip"] for f in gj.data["features"]}
    assert styles["wanda_square"]["fillColor"] in nmap.SEQUENTIAL
    others = [zid for zid in styles if zid != "wanda_square"]
    assert all(styles[o].get("dashArray") and styles[o]["fillOpacity"] < 0.5 for o in others)
    assert all("不在片区筛选范围内" in tips[o] for o in others)
    legend = next(c.html for c in fmap._children.values() if isinstance(c, nmap.elements._Legend))
    assert "未选入筛选的片区" in legend and "无数据" not in legend
    labels = [it for c in fmap._children.values() if isinstance(c, nmap.elements._Points) for it in c.items
              if it["cls"].startswith("nm-label")]
    assert len(labels) == 1
    assert gj.data["features"][-1]["properties"]["zone_id"] == "wanda_square"  # the chosen zone on top


def test_a_selected_zone_outside_the_filter_keeps_its_selection_outline() -> None:
    z = geo.load_zones()
    fmap = nmap.build_map(zones=z, districts=None, values=None, metric="visitors", only=["wanda_square"],
                          selected="xinan_road")
    gj = next(c for c in fmap._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "zones")
    styles = {f["properties"]["zone_id"]: gj.style_function(f) for f in gj.data["features"]}
    assert styles["xinan_road"]["color"] == nmap.SELECTED_STROKE and "dashArray" not in styles["xinan_road"]
    assert styles["xinan_road"]["fillOpacity"] < 0.5  # still faded: its numbers are not in the totals
    assert gj.data["features"][-1]["properties"]["zone_id"] == "xinan_road"  # on top
    labels = [it["cls"] for c in fmap._children.values() if isinstance(c, nmap.elements._Points) for it in c.items
              if it["cls"].startswith("nm-label")]
    assert sorted(labels) == ["nm-label", "nm-label nm-selected"]


def test_a_selected_zone_outside_the_filter_is_in_the_layer(many, values) -> None:
    only = ["syn_0001", "syn_0002"]
    gj = layer_geojson(nmap.zones_layer(zones=many, values=values, metric="visitors", only=only,
                                        selected="syn_0300"))
    styles = {f["properties"]["zone_id"]: gj.style_function(f) for f in gj.data["features"]}
    assert set(styles) == {"syn_0001", "syn_0002", "syn_0300"}
    assert styles["syn_0300"]["color"] == nmap.SELECTED_STROKE and styles["syn_0300"]["fillOpacity"] < 0.5
    assert gj.data["features"][-1]["properties"]["zone_id"] == "syn_0300"
    # the colour classes are those of the filter's zones only
    gj_no_sel = layer_geojson(nmap.zones_layer(zones=many, values=values, metric="visitors", only=only))
    assert gj.style_function(gj.data["features"][0]) == gj_no_sel.style_function(
        next(f for f in gj_no_sel.data["features"] if f["properties"]["zone_id"] == gj.data["features"][0]
             ["properties"]["zone_id"]))


def test_base_map_legend_has_no_selected_row(many, values) -> None:
    fmap = nmap.build_base_map(zones=many, districts=None, values=values, metric="visitors")
    legend = next(c.html for c in fmap._children.values() if isinstance(c, nmap.elements._Legend))
    assert "当前选中片区" not in legend


def test_heat_layer_is_shown_when_asked_for(many, values) -> None:
    heat = values.rename(columns={"value": "visitors"})
    z13 = geo.load_zones()
    heat13 = pd.DataFrame({"zone_id": z13["zone_id"], "visitors": range(1, len(z13) + 1)})
    for fmap in (nmap.build_base_map(zones=many, districts=None, values=values, metric="visitors", heat=heat),
                 nmap.build_map(zones=z13, districts=None, values=None, metric="visitors", heat=heat13)):
        groups = [c for c in fmap._children.values() if isinstance(c, folium.FeatureGroup) and "热力" in c.layer_name]
        assert len(groups) == 1 and groups[0].show is True
        legend = next(c.html for c in fmap._children.values() if isinstance(c, nmap.elements._Legend))
        assert "热力：客流（越深越多）" in legend and "linear-gradient(90deg, #9ecae1" in legend
        heat_layer = next(c for c in groups[0]._children.values() if isinstance(c, folium.plugins.HeatMap))
        assert heat_layer.options["gradient"] == {"0.2": "#9ecae1", "0.5": "#4292c6", "0.8": "#2171b5", "1.0": "#08306b"}
    plain = nmap.build_base_map(zones=many, districts=None, values=values, metric="visitors")
    assert "热力" not in next(c.html for c in plain._children.values() if isinstance(c, nmap.elements._Legend))


def test_zoom_limits_follow_the_extent(many) -> None:
    district = nmap.build_map(zones=geo.load_zones(), districts=None, values=None, metric="visitors")
    city = nmap.build_base_map(zones=many, districts=None, values=None, metric="visitors")
    spread = many.copy()
    spread["geometry"] = spread.geometry.scale(60, 60, origin=(113.24, 35.22))  # a province's width
    province = nmap.build_base_map(zones=spread, districts=None, values=None, metric="visitors")
    zooms = [m.options["minZoom"] for m in (district, city, province)]
    assert zooms[0] >= 11 and zooms[0] > zooms[1] > zooms[2] >= 5
    html = district.get_root().render()
    assert f'"minZoom": {zooms[0]}' in html and '"maxZoom": 19' in html


def test_framing_one_zone_stops_at_street_level() -> None:
    fmap = nmap.build_base_map(zones=geo.load_zones(), districts=None, values=None, metric="visitors",
                               only=["xinan_road"])
    fit = next(c for c in fmap._children.values() if isinstance(c, nmap.elements._Fit))
    assert fit.max_zoom == nmap.FIT_MAX_ZOOM == 16
    html = fmap.get_root().render()
    assert "maxZoom: 16" in html and "map.on('resize'" in html


def test_label_layout_ignores_tooltips_opening() -> None:
    html = nmap.build_map(zones=geo.load_zones(), districts=None, values=None, metric="visitors").get_root().render()
    assert "e.layer instanceof L.DivOverlay" in html


def test_zone_point_is_inside_the_zone_in_either_datum() -> None:
    z = geo.load_zones()
    lat, lng = nmap.zone_point(z, "xinan_road")
    geom = z.set_index("zone_id").loc["xinan_road"].geometry
    assert geom.contains(shapely.geometry.Point(lng, lat))
    glat, glng = nmap.zone_point(z, "xinan_road", basemap="amap")
    assert (glng, glat) == pytest.approx(tuple(float(v) for v in geo.wgs84_to_gcj02(lng, lat)))
    assert nmap.zone_point(z, None) is None and nmap.zone_point(z, "nope") is None


@pytest.mark.parametrize(("breaks", "metric", "lang", "expected"), [
    ([0, 50_000, 100_000, 150_000], "visitors", "zh", ["0", "5万", "10万", "15万"]),
    ([0, 25_000, 50_000, 75_000, 100_000], "spend", "zh", ["0", "2.5万", "5.0万", "7.5万", "10.0万"]),
    ([0, 2_500_000, 5_000_000, 10_000_000, 12_500_000], "spend", "zh",
     ["0", "250万", "500万", "1,000万", "1,250万"]),
    ([0, 500_000_000, 1_000_000_000], "spend", "zh", ["0", "5亿", "10亿"]),
    ([0, 2_000, 4_000], "visitors", "zh", ["0", "2,000", "4,000"]),
    ([0, 50_000, 100_000], "visitors", "en", ["0", "50,000", "100,000"]),
    ([0, 2_500_000, 5_000_000, 12_500_000], "spend", "en", ["0", "2.5M", "5.0M", "12.5M"]),
    ([0, 2.5, 5, 7.5], "visitors", "en", ["0", "2.5", "5.0", "7.5"]),  # not rounded half to even
    ([100_000, 100_020, 100_040], "visitors", "zh", ["10.000万", "10.002万", "10.004万"]),
    ([1_234_567_890, 1_234_600_000, 1_234_700_000], "spend", "zh", ["12.3457亿", "12.3460亿", "12.3470亿"]),
    ([-20, 0, 20], "uplift", "zh", ["-20%", "0%", "+20%"]),
    ([40, 60], "spend_per_visitor", "en", ["40", "60"]),
])
def test_legend_ticks_are_written_one_way(breaks, metric, lang, expected) -> None:
    assert nmap.format_ticks(breaks, metric, lang) == expected


def test_legend_folds_its_details_on_a_narrow_map(values, many) -> None:
    fmap = nmap.build_base_map(zones=many, districts=None, values=values, metric="visitors")
    legend = next(c for c in fmap._children.values() if isinstance(c, nmap.elements._Legend))
    assert '<div class="nm-more"><hr>' in legend.html and legend.html.endswith("</div></div>")
    assert "▸ 图例详情" in legend.html and "▴ 收起" in legend.html
    html = fmap.get_root().render()
    assert "map.on('resize', byWidth)" in html and ".nm-legend.nm-compact .nm-more { display: none; }" in html
