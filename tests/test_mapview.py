"""The folium map as HTML and objects: zones, colours, legend, escaping, datum, size, click lookup."""

from __future__ import annotations

import json
import re

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

import nightmap.map as nmap
from nightmap import assets, geo

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def local_assets():
    """Every map here is built as the app builds it: with local assets."""
    saved = (folium.Map.default_js, folium.Map.default_css, folium.plugins.HeatMap.default_js)
    assets.use_local_assets()
    yield
    folium.Map.default_js, folium.Map.default_css, folium.plugins.HeatMap.default_js = saved


@pytest.fixture(scope="module")
def zones() -> gpd.GeoDataFrame:
    return geo.load_zones()


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return geo.load_districts()


def small_zones() -> gpd.GeoDataFrame:
    """Three zones near Jiaozuo's centre: two streets and a complex."""
    return gpd.GeoDataFrame(
        {
            "zone_id": ["s1", "s2", "c1"],
            "name_zh": ["一号街", "二号街", "三号商厦"],
            "name_en": ["Street One", "Street Two", "Mall Three"],
            "kind": ["street", "street", "complex"],
        },
        geometry=[
            box(113.2250, 35.2120, 113.2290, 35.2123),
            box(113.2300, 35.2140, 113.2303, 35.2180),
            box(113.2320, 35.2150, 113.2332, 35.2160),
        ],
        crs="EPSG:4326",
    )


def make_values(zone_ids, values, *, baseline=None, uplift=None) -> pd.DataFrame:
    n = len(zone_ids)
    return pd.DataFrame(
        {
            "zone_id": list(zone_ids),
            "value": list(values),
            "baseline": list(baseline) if baseline is not None else [np.nan] * n,
            "uplift_pct": list(uplift) if uplift is not None else [np.nan] * n,
        }
    )


def zone_layer(m: folium.Map) -> folium.GeoJson:
    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "zones"]
    assert len(layers) == 1
    return layers[0]


def zone_styles(m: folium.Map) -> dict[str, dict]:
    layer = zone_layer(m)
    return {f["properties"]["zone_id"]: layer.style_function(f) for f in layer.data["features"]}


def legend_html(m: folium.Map) -> str:
    return next(c.html for c in m._children.values() if isinstance(c, nmap.elements._Legend))


def sample_events(zone_id: str, title_zh: str = "启动仪式") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"event_id": "E1", "zone_id": zone_id, "start": pd.Timestamp("2022-06-17 19:30"),
             "end": pd.Timestamp("2022-06-17 21:00"), "category": "play", "kind": "ceremony",
             "title_zh": title_zh, "title_en": "Launch"},
            {"event_id": "E2", "zone_id": zone_id, "start": pd.Timestamp("2022-06-18 18:00"),
             "end": pd.Timestamp("2022-06-19 01:00"), "category": "eat", "kind": "market",
             "title_zh": "美食市集", "title_en": "Food market"},
        ]
    )


# --------------------------------------------------------------------------- zones and colours


def test_zone_count_and_ids(zones, districts) -> None:
    vals = make_values(zones["zone_id"], range(13))
    m = nmap.build_map(zones=zones, districts=districts, values=vals, metric="visitors")
    feats = zone_layer(m).data["features"]
    assert len(feats) == len(zones) == 13
    assert sorted(f["properties"]["zone_id"] for f in feats) == sorted(zones["zone_id"])
    assert all(set(f["properties"]) == {"zone_id", "tip", "verified"} for f in feats)
    html = m.get_root().render()
    assert html.count('"zone_id": ') == 13


def test_colours_order_by_value(zones) -> None:
    rng = np.random.default_rng(7)
    raw = rng.uniform(1_000, 30_000, len(zones))
    m = nmap.build_map(zones=zones, districts=None, values=make_values(zones["zone_id"], raw), metric="visitors")
    styles = zone_styles(m)
    order = np.argsort(raw)
    ranks = [nmap.SEQUENTIAL.index(styles[zones["zone_id"].iloc[i]]["fillColor"]) for i in order]
    assert ranks == sorted(ranks)
    assert ranks[0] < ranks[-1]
    assert ranks[-1] == len(nmap.SEQUENTIAL) - 1  # the top zone gets the darkest colour


def test_no_data_is_grey_and_said_so(zones) -> None:
    ids = list(zones["zone_id"])
    vals = make_values(ids[:-2], range(11))
    vals = pd.concat([vals, make_values(ids[-2:-1], [np.nan])])
    m = nmap.build_map(zones=zones, districts=None, values=vals, metric="spend")
    styles = zone_styles(m)
    assert styles[ids[-1]]["fillColor"] == nmap.NO_DATA_COLOUR
    assert styles[ids[-2]]["fillColor"] == nmap.NO_DATA_COLOUR
    assert "无数据" in legend_html(m)
    tips = {f["properties"]["zone_id"]: f["properties"]["tip"] for f in zone_layer(m).data["features"]}
    assert "无数据" in tips[ids[-1]]


def test_no_values_at_all() -> None:
    m = nmap.build_map(zones=small_zones(), districts=None, values=None, metric="visitors")
    assert {s["fillColor"] for s in zone_styles(m).values()} == {nmap.NO_DATA_COLOUR}
    assert "无数据" in legend_html(m)


def test_uplift_diverges_around_zero() -> None:
    z = small_zones()
    m = nmap.build_map(zones=z, districts=None, values=make_values(z["zone_id"], [-20, 2, 35]), metric="uplift")
    styles = zone_styles(m)
    assert styles["s1"]["fillColor"] in nmap.DIVERGING_NEG
    assert styles["s2"]["fillColor"] in nmap.DIVERGING_POS
    assert styles["c1"]["fillColor"] == nmap.DIVERGING_POS[-1]
    legend = legend_html(m)
    assert "%" in legend and "0%" in legend and "红色为增长" in legend


def test_streets_and_complexes_look_different_and_selected_stands_out() -> None:
    z = small_zones()
    m = nmap.build_map(zones=z, districts=None, values=make_values(z["zone_id"], [1, 2, 3]), metric="visitors",
                       selected="s2")
    styles = zone_styles(m)
    assert styles["c1"]["color"] == nmap.COMPLEX_STROKE and styles["c1"]["weight"] > styles["s1"]["weight"]
    assert styles["s2"]["color"] == nmap.SELECTED_STROKE and styles["s2"]["weight"] >= 5
    assert "当前选中片区" in legend_html(m)


def test_colour_scale_breaks_are_round() -> None:
    scale = nmap.colour_scale([1_234, 8_000, 23_456])
    assert scale.breaks[0] == 0 and scale.breaks[-1] >= 23_456
    assert all(b % 1000 == 0 for b in scale.breaks)
    assert scale.colour(None) == nmap.NO_DATA_COLOUR
    same = nmap.colour_scale([5.0, 5.0])
    assert same.colour(5.0) == nmap.SEQUENTIAL[-1]


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("lang", "metric", "title"),
    [
        ("zh", "visitors", "客流（人次）"),
        ("zh", "spend", "消费额（元）"),
        ("zh", "spend_per_visitor", "人均消费（元/人）"),
        ("zh", "uplift", "消费额较基线变化（%）"),
        ("zh", "uplift_visitors", "客流较基线变化（%）"),
        ("en", "visitors", "Visitors (visits)"),
        ("en", "spend", "Spending (yuan)"),
        ("en", "uplift", "Spending vs baseline (%)"),
        ("en", "uplift_visitors", "Visitors vs baseline (%)"),
    ],
)
def test_legend_title_and_units(lang, metric, title) -> None:
    z = small_zones()
    m = nmap.build_map(zones=z, districts=None, values=make_values(z["zone_id"], [10, 20, 30]), metric=metric,
                       lang=lang)
    legend = legend_html(m)
    assert title in legend
    if lang == "en":
        assert "Commercial complex" in legend and "Street district" in legend
        assert not re.search(r"[\u4e00-\u9fff]", legend)
    else:
        assert "商业综合体" in legend and "街区" in legend
    # the legend reaches the page (as a JSON string inside the script)
    assert json.dumps(title)[1:-1] in m.get_root().render()


def test_tooltip_values_and_baseline() -> None:
    z = small_zones()
    vals = make_values(z["zone_id"], [12_345, 250_000, 80], baseline=[10_000, 200_000, 100], uplift=[23.46, 25.0, -20.0])
    m = nmap.build_map(zones=z, districts=None, values=vals, metric="visitors")
    tips = {f["properties"]["zone_id"]: f["properties"]["tip"] for f in zone_layer(m).data["features"]}
    assert "一号街" in tips["s1"] and "12,345人次" in tips["s1"] and "+23.5%" in tips["s1"]
    assert "25.0万人次" in tips["s2"]
    m_en = nmap.build_map(zones=z, districts=None, values=vals, metric="visitors", lang="en")
    tips_en = {f["properties"]["zone_id"]: f["properties"]["tip"] for f in zone_layer(m_en).data["features"]}
    assert "Street One" in tips_en["s1"] and "12,345 visits" in tips_en["s1"] and "baseline 10,000 visits" in tips_en["s1"]
    m_money = nmap.build_map(zones=z, districts=None, values=vals, metric="spend")
    tips_money = {f["properties"]["zone_id"]: f["properties"]["tip"] for f in zone_layer(m_money).data["features"]}
    assert "12,345元" in tips_money["s1"] and "25.0万元" in tips_money["s2"]


def test_event_tooltip_time_in_chinese() -> None:
    z = small_zones()
    m = nmap.build_map(zones=z, districts=None, values=None, metric="visitors", events=sample_events("s1"))
    points = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    items = [it for g in points for c in g._children.values() if isinstance(c, nmap.elements._Points) for it in c.items]
    tips = " ".join(it["tip"] for it in items)
    assert "6月17日 19:30—21:00" in tips
    assert "6月18日 18:00—01:00" in tips
    assert "启动仪式" in tips and "夜娱" in tips


# --------------------------------------------------------------------------- escaping


def test_zone_name_and_event_title_are_escaped() -> None:
    z = small_zones()
    z.loc[0, "name_zh"] = XSS
    events = sample_events("s1", title_zh=XSS + "</script><script>alert(2)</script>")
    m = nmap.build_map(zones=z, districts=None, values=make_values(z["zone_id"], [1, 2, 3]), metric="visitors",
                       events=events)
    html = m.get_root().render()
    assert "<img src=x onerror=" not in html
    assert "</script><script>alert(2)" not in html
    # the name is still there, as text
    tips = [f["properties"]["tip"] for f in zone_layer(m).data["features"]]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in tip for tip in tips)
    # nothing injected a script: the page has exactly the scripts folium writes
    assert html.count("<script") == html.count("</script>")


def test_district_names_are_escaped(districts) -> None:
    d = districts.copy()
    d.loc[d.index[1], "name_zh"] = XSS
    m = nmap.build_map(zones=small_zones(), districts=d, values=None, metric="visitors")
    assert "<img src=x onerror=" not in m.get_root().render()


# --------------------------------------------------------------------------- basemaps, size


def _first_coords(m: folium.Map) -> np.ndarray:
    feats = zone_layer(m).data["features"]
    return np.array([c for f in feats for c in f["geometry"]["coordinates"][0]])


def test_amap_shifts_to_gcj02(zones, districts) -> None:
    vals = make_values(zones["zone_id"], range(13))
    before = zones.copy()
    wgs = _first_coords(nmap.build_map(zones=zones, districts=districts, values=vals, metric="visitors"))
    m = nmap.build_map(zones=zones, districts=districts, values=vals, metric="visitors", basemap="amap")
    gcj = _first_coords(m)
    dlon, dlat = (gcj - wgs).mean(axis=0)
    assert dlon == pytest.approx(0.0064, abs=0.0004)
    assert dlat == pytest.approx(-0.0005, abs=0.0003)
    html = m.get_root().render()
    assert "autonavi.com" in html and "https://" in html and "Gaode" in html
    assert zones.geometry.geom_equals(before.geometry).all()  # the caller's frame is untouched


def test_osm_basemap_keeps_wgs84(zones) -> None:
    vals = make_values(zones["zone_id"], range(13))
    wgs = _first_coords(nmap.build_map(zones=zones, districts=None, values=vals, metric="visitors"))
    osm = _first_coords(nmap.build_map(zones=zones, districts=None, values=vals, metric="visitors", basemap="osm"))
    np.testing.assert_allclose(wgs, osm)


def test_no_basemap_has_no_tiles(zones) -> None:
    html = nmap.build_map(zones=zones, districts=None, values=None, metric="visitors").get_root().render()
    assert "L.tileLayer" not in html


def test_html_size_for_the_full_map(zones, districts) -> None:
    ids = list(zones["zone_id"])
    vals = make_values(ids, np.linspace(1_000, 20_000, 13), baseline=np.linspace(900, 15_000, 13),
                       uplift=np.linspace(-5, 30, 13))
    events = pd.concat([sample_events(z).assign(event_id=lambda d, z=z: d["event_id"] + z) for z in ids])
    heat = pd.DataFrame({"zone_id": ids, "visitors": np.linspace(1_000, 20_000, 13)})
    for basemap in nmap.BASEMAPS:
        html = nmap.build_map(zones=zones, districts=districts, values=vals, metric="visitors", events=events,
                              heat=heat, basemap=basemap, selected=ids[0]).get_root().render()
        assert len(html.encode("utf-8")) < 300_000, basemap


def test_heat_layer_is_switchable(zones) -> None:
    heat = pd.DataFrame({"zone_id": zones["zone_id"], "visitors": range(1, 14)})
    m = nmap.build_map(zones=zones, districts=None, values=None, metric="visitors", heat=heat)
    html = m.get_root().render()
    assert "L.heatLayer" in html and "L.control.layers" in html
    assert "客流热力图" in html or json.dumps("客流热力图")[1:-1] in html


def test_unknown_metric_or_basemap() -> None:
    with pytest.raises(ValueError, match="metric"):
        nmap.build_map(zones=small_zones(), districts=None, values=None, metric="orders")
    with pytest.raises(ValueError, match="basemap"):
        nmap.build_map(zones=small_zones(), districts=None, values=None, metric="visitors", basemap="google")


def test_cjk_font_in_css() -> None:
    html = nmap.build_map(zones=small_zones(), districts=None, values=None, metric="visitors").get_root().render()
    assert '"Noto Sans CJK SC"' in html and '"Microsoft YaHei"' in html


def test_map_css_and_scripts_are_inlined_once() -> None:
    """static/css/map.css writes the style's font and strokes out; the map's scripts come once, first."""
    css = assets.own_text("css/map.css")
    for value in (nmap.FONT_STACK, nmap.BACKGROUND, nmap.FOCUS_STROKE, nmap.COMPLEX_STROKE, nmap.SELECTED_STROKE,
                  nmap.UNVERIFIED_STROKE, nmap.ROAD_CASING):
        assert value in css, value
    fmap = nmap.build_map(zones=small_zones(), districts=None, values=None, metric="visitors",
                          events=sample_events("s1"))
    html = fmap.get_root().render()
    assert html.count("nm.points = function") == 1 and html.count("root.nmLabels = {place: place") == 1
    calls = [m.start() for m in re.finditer(r"nmMap\.(points|legend|fit|chrome|labelLayout)\((map|feature_group)_", html)]
    assert len(calls) >= 5 and html.index("nm.points = function") < min(calls)
    assert html.count(".nm-legend.nm-compact .nm-more") == 1


# --------------------------------------------------------------------------- clicks


def test_zone_at_from_feature() -> None:
    feature = {"type": "Feature", "properties": {"zone_id": "c1", "tip": "x"}, "geometry": None}
    assert nmap.zone_at({"last_active_drawing": feature, "last_object_clicked": {"lat": 1, "lng": 2}}) == "c1"
    assert nmap.zone_at({"last_object_clicked": feature}) == "c1"


def test_zone_at_nothing() -> None:
    assert nmap.zone_at(None) is None
    assert nmap.zone_at({}) is None
    assert nmap.zone_at({"last_object_clicked": None, "last_active_drawing": None}) is None
    assert nmap.zone_at({"last_object_clicked": {"lat": 35.2, "lng": 113.2}}) is None  # no zones to look in


def test_zone_at_from_point() -> None:
    z = small_zones()
    inside = {"last_object_clicked": {"lat": 35.2155, "lng": 113.2326}}
    assert nmap.zone_at(inside, zones=z) == "c1"
    assert nmap.zone_at({"last_object_clicked": {"lat": 35.0, "lng": 113.0}}, zones=z) is None
    lng, lat = geo.wgs84_to_gcj02(113.2326, 35.2155)
    assert nmap.zone_at({"last_object_clicked": {"lat": lat, "lng": lng}}, zones=z, basemap="amap") == "c1"
    assert nmap.zone_at({"last_object_clicked": {"lat": lat, "lng": lng}}, zones=z) is None


def test_one_event_marker_per_category_with_a_count() -> None:
    z = small_zones()
    day = pd.Timestamp("2022-06-17 19:00")
    events = pd.DataFrame([
        {"event_id": f"E{i}", "zone_id": "s1", "start": day + pd.Timedelta(days=i), "end": day + pd.Timedelta(days=i, hours=2),
         "category": "eat", "kind": "market", "title_zh": f"美食节第{i + 1}场", "title_en": f"Food fair {i + 1}"}
        for i in range(7)
    ] + [{"event_id": "P1", "zone_id": "s1", "start": day, "end": day + pd.Timedelta(hours=3), "category": "play",
          "kind": "show", "title_zh": "露天电影", "title_en": "Open-air film"}])
    m = nmap.build_map(zones=z, districts=None, values=None, metric="visitors", events=events.sample(frac=1, random_state=1))
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    items = [it for g in groups for c in g._children.values() if isinstance(c, nmap.elements._Points) for it in c.items]
    assert [re.search(r">([^<]*)</b>$", it["html"]).group(1) for it in items] == ["食7", "娱"]
    eat, play = items[0]["tip"], items[1]["tip"]
    assert eat.startswith("<b>") and "夜食活动 7 项" in eat
    assert eat.index("美食节第1场") < eat.index("美食节第5场") and "美食节第6场" not in eat and "另有 2 项活动" in eat
    assert "6月17日 19:00—21:00" in eat
    assert "露天电影" in play and "6月17日 19:00—22:00" in play and "项" not in play
