"""The bundled zones sit at the places the public evidence gives (shared/geo/zone_evidence.md).

Evidence points are GCJ-02 (AMap); the zones are stored in WGS-84, so each point is
converted before measuring, in metres (UTM 49N).
"""

from __future__ import annotations

import json
import sys

import pytest
from pyproj import Transformer
from shapely.geometry import Point, shape

from nightmap import config, geo
from nightmap.schema import CONFIDENCE_LEVELS

_TO_M = Transformer.from_crs("EPSG:4326", geo.METRIC_CRS, always_xy=True)

# zone -> evidence point in GCJ-02 (lon, lat), as written in the evidence note
STRONG_EVIDENCE = {
    "wanda_mall": (113.2387, 35.2049),      # 丰收路 × 民主路 (DJI store and AMap mall POI)
    "wanda_square": (113.2387, 35.2049),    # the mall's outer square
    "xinya_mall": (113.229121, 35.242592),  # AMap mall POI B0187004F9
    "baihuo_dalou": (113.2315, 35.2425),    # 民主路 × 解放路, estimated from nearby AMap POIs
}


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = _TO_M.transform(*a)
    bx, by = _TO_M.transform(*b)
    return float(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5)


@pytest.fixture(scope="module")
def zones():
    return geo.load_zones(config.PROJECT_ROOT / "data" / "zones.geojson").set_index("zone_id")


@pytest.mark.parametrize("zone_id", sorted(STRONG_EVIDENCE))
def test_strong_evidence_zones_are_within_100_m_of_their_evidence(zones, zone_id: str) -> None:
    evidence_wgs = geo.gcj02_to_wgs84(*STRONG_EVIDENCE[zone_id])
    centroid = zones.loc[zone_id].geometry.centroid
    assert _metres((centroid.x, centroid.y), evidence_wgs) < 100.0


def test_the_datum_is_converted_not_copied(zones) -> None:
    """Drawn on the GCJ-02 point unconverted, 新亚商厦 would sit ~580 m east of where it is."""
    centroid = zones.loc["xinya_mall"].geometry.centroid
    assert _metres((centroid.x, centroid.y), STRONG_EVIDENCE["xinya_mall"]) > 450.0


def test_roads_and_areas_put_zones_where_the_evidence_says(zones) -> None:
    def near(zone_id: str, gcj: tuple[float, float]) -> float:
        c = zones.loc[zone_id].geometry
        return c.distance(Point(*geo.gcj02_to_wgs84(*gcj))) * 90_000  # ~m at this latitude

    assert near("wangfujing_store", (113.243806, 35.218617)) < 60     # contains the Xiaomi shop inside it
    assert near("xinan_road", (113.232365, 35.216677)) < 30          # runs through 新安路 × 政一街
    assert near("hongkong_city", (113.2395, 35.239)) < 150           # by the 和平街 market
    assert near("jinxiang_street", (113.2387, 35.2057)) < 600        # on 丰收路, near 万达


def test_every_zone_is_inside_jiefang_and_none_overlap(zones) -> None:
    district = geo.focus_district(geo.load_districts(config.PROJECT_ROOT / "data" / "districts.geojson"))
    for zone_id, row in zones.iterrows():
        assert geo.zone_problems(row.geometry, district) == [], zone_id
    ids = list(zones.index)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            assert zones.loc[a].geometry.intersection(zones.loc[b].geometry).area == 0, (a, b)


def test_every_zone_says_how_sure_its_place_is_and_cites_a_source(zones) -> None:
    assert set(zones["location_confidence"]) <= set(CONFIDENCE_LEVELS)
    assert set(zones.loc[["wanda_mall", "xinya_mall"], "location_confidence"]) == {"high"}
    assert set(zones.loc[["mengzhou_road", "xiaowoniu_market", "xindasha_square"], "location_confidence"]) == {"none"}
    for zone_id, note in zones["location_note"].items():
        assert "Sources:" in note and " / " in note, zone_id
        cited = note.split("Sources:", 1)[1]
        assert any(s in cited for s in ("S1", "S2", "S3", "S5", "S7", "S8", "seed")), zone_id


def test_the_reference_roads_carry_names_and_an_approximate_note() -> None:
    roads = json.loads((config.PROJECT_ROOT / "data" / "roads.geojson").read_text(encoding="utf-8"))["features"]
    names = {f["properties"]["name_zh"] for f in roads}
    assert names == {"解放路", "民主路", "丰收路", "人民路"}
    for f in roads:
        assert shape(f["geometry"]).geom_type == "LineString"
        assert f["properties"]["name_en"] and f["properties"]["note"]


def test_make_zones_reproduces_the_bundled_files() -> None:
    """scripts/make_zones.py is the one source of the placements: the files are exactly what it writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_zones", config.PROJECT_ROOT / "scripts" / "make_zones.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_zones"] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["make_zones"]
    zones = json.loads((config.PROJECT_ROOT / "data" / "zones.geojson").read_text(encoding="utf-8"))
    roads = json.loads((config.PROJECT_ROOT / "data" / "roads.geojson").read_text(encoding="utf-8"))
    assert zones["features"] == json.loads(json.dumps([module.zone_feature(z) for z in module.ZONES]))
    assert roads["features"] == json.loads(json.dumps([module.road_feature(r) for r in module.ROADS]))
    assert module.problems(zones["features"]) == []
