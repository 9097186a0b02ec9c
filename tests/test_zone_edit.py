"""Zone edits: validation, versions, restore, order, the data token, rebuild; GeoJSON/coordinate input; the draw map."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from shapely import affinity
from shapely.geometry import Polygon, box, shape

from nightmap import assets, geo, report_tables, zone_edit
from nightmap.auth import Actor
from nightmap.errors import StoreError, ValidationError
from nightmap.i18n import md_escape
from nightmap.ingest import parse_file
from nightmap.store import Store

ADMIN = Actor("测试管理员", "admin")
"""The actor of the writes these tests make (the store refuses a write without one)."""

NEW_FOOTFALL = "zone_id,ts,visitors\nxinan_road,2022-06-19 20:00,70\n"


def _on_the_border() -> Polygon:
    """A small square straddling 解放区's boundary (partly outside)."""
    district = geo.focus_district(geo.load_districts())
    x, y = district.boundary.interpolate(0.3, normalized=True).coords[0]
    return box(x - 0.001, y - 0.001, x + 0.001, y + 0.001)


def zone(store: Store, zone_id: str) -> dict:
    return store.zones().set_index("zone_id").loc[zone_id].to_dict()


def smaller(store: Store, zone_id: str, factor: float = 0.8):
    return affinity.scale(shape(json.loads(zone(store, zone_id)["geometry"])), factor, factor)


def test_update_geometry_keeps_the_old_version_and_the_zone_order(tiny_store: Store) -> None:
    before = zone(tiny_store, "xiaowoniu_market")
    new = smaller(tiny_store, "xiaowoniu_market")
    version = tiny_store.update_zone("xiaowoniu_market", geometry=new.__geo_interface__, note="实地核实", actor=ADMIN)
    after = zone(tiny_store, "xiaowoniu_market")
    assert shape(json.loads(after["geometry"])).equals_exact(new, 1e-9)
    assert tiny_store.zone_ids() == ["xinan_road", "xiaowoniu_market", "baihuo_dalou"]
    history = tiny_store.zone_history("xiaowoniu_market")
    assert history["version_id"].tolist() == [version]
    assert history.loc[0, "geometry"] == before["geometry"] and history.loc[0, "note"] == "实地核实"
    assert tiny_store.zone_history("xinan_road").empty


def test_redrawing_a_zone_confirms_its_place_with_who_and_when(tiny_store: Store, monkeypatch) -> None:
    import datetime as dt

    from nightmap import config

    monkeypatch.setattr(config, "today", lambda: dt.date(2026, 12, 2))
    before = zone(tiny_store, "xiaowoniu_market")
    assert before["location_confidence"] == "none"
    tiny_store.update_zone("xiaowoniu_market", name_en="Little Snail Market", actor=ADMIN)  # a name is no survey
    assert zone(tiny_store, "xiaowoniu_market")["location_confidence"] == "none"
    tiny_store.update_zone("xiaowoniu_market", geometry=smaller(tiny_store, "xiaowoniu_market"), note="王科员 实地核实", actor=ADMIN)
    after = zone(tiny_store, "xiaowoniu_market")
    assert after["location_confidence"] == "high"
    assert after["location_note"] == ("经区商务局确认（2026年12月2日，王科员 实地核实） / "
                                      "confirmed by the bureau (2026-12-02, 王科员 实地核实)")
    history = tiny_store.zone_history("xiaowoniu_market")  # the guess it replaced is kept, and can come back
    assert history.loc[0, "location_confidence"] == "none" and history.loc[0, "note"] == "王科员 实地核实"
    tiny_store.restore_zone(int(history.loc[0, "version_id"]), actor=ADMIN)
    assert zone(tiny_store, "xiaowoniu_market")["location_confidence"] == "none"


def test_a_zone_file_with_an_unknown_confidence_is_refused(tmp_path: Path) -> None:
    from nightmap.store import read_zone_features

    src = json.loads((Path(__file__).resolve().parents[1] / "data" / "zones.geojson").read_text(encoding="utf-8"))
    src["features"][2]["properties"]["location_confidence"] = "surveyed"
    del src["features"][3]["properties"]["location_confidence"]
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(src, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_zone_features(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "location_confidence", "surveyed")
    del src["features"][2]["properties"]["location_confidence"]
    path.write_text(json.dumps(src, ensure_ascii=False), encoding="utf-8")
    frame = read_zone_features(path)
    assert frame.loc[[2, 3], "location_confidence"].tolist() == ["none", "none"]  # not said: unverified


@pytest.mark.parametrize("form", ["mapping", "feature_text", "shapely"])
def test_geometry_is_accepted_as_mapping_feature_text_or_shapely(tiny_store: Store, form: str) -> None:
    new = smaller(tiny_store, "baihuo_dalou")
    given = {"mapping": new.__geo_interface__,
             "feature_text": json.dumps({"type": "Feature", "properties": {}, "geometry": new.__geo_interface__}),
             "shapely": new}[form]
    tiny_store.update_zone("baihuo_dalou", geometry=given, actor=ADMIN)
    assert shape(json.loads(zone(tiny_store, "baihuo_dalou")["geometry"])).equals_exact(new, 1e-9)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda g: affinity.translate(g, 0.5, 0.5), "outside Jiefang District"),
        (lambda g: _on_the_border(), "outside Jiefang District"),
        (lambda g: Polygon([(g.bounds[0], g.bounds[1]), (g.bounds[2], g.bounds[3]),
                            (g.bounds[2], g.bounds[1]), (g.bounds[0], g.bounds[3])]), "Invalid polygon"),
        (lambda g: g.centroid, "Not a polygon"),
        (lambda g: affinity.scale(g, 20, 20), "Implausibly large"),
    ],
)
def test_bad_geometry_is_refused_in_both_languages_and_nothing_is_written(tiny_store: Store, make, reason) -> None:
    before = tiny_store.zones()
    with pytest.raises(ValidationError) as info:
        tiny_store.update_zone("xinan_road", geometry=make(smaller(tiny_store, "xinan_road", 1.0)), actor=ADMIN)
    assert any(reason in p.reason_en and p.reason_zh and p.column == "geometry" for p in info.value.problems)
    assert tiny_store.zones().equals(before)
    assert tiny_store.zone_history("xinan_road").empty


def test_unreadable_geometry_is_a_problem(tiny_store: Store) -> None:
    with pytest.raises(ValidationError, match="cannot read the geometry"):
        tiny_store.update_zone("xinan_road", geometry="{not json", actor=ADMIN)


def test_names_and_categories_are_validated_all_at_once(tiny_store: Store) -> None:
    with pytest.raises(ValidationError) as info:
        tiny_store.update_zone("xinan_road", name_zh="  ", name_en="x" * 61, categories=["eat", "drink"], actor=ADMIN)
    columns = sorted(p.column for p in info.value.problems)
    assert columns == ["categories", "name_en", "name_zh"]
    with pytest.raises(ValidationError, match="nothing was changed"):
        tiny_store.update_zone("xinan_road", name_zh="新安路步行街", actor=ADMIN)
    with pytest.raises(StoreError, match="does not exist"):
        tiny_store.update_zone("nowhere", name_zh="x", actor=ADMIN)


def test_names_are_stored_as_typed_and_escaped_on_the_map(tiny_store: Store) -> None:
    evil = '<img src=x onerror="alert(1)">夜市'
    tiny_store.update_zone("xinan_road", name_zh=evil, name_en="Night <b>market</b>", categories=["play", "eat"], actor=ADMIN)
    row = zone(tiny_store, "xinan_road")
    assert row["name_zh"] == evil and list(row["categories"]) == ["eat", "play"]
    zones = geo.zones_from_table(tiny_store.zones())
    html = zone_edit.edit_map(zones=zones, districts=None, zone_id="xinan_road").get_root().render()
    assert "<img src=x" not in html and "\\u003cimg" not in html
    assert "\\u0026lt;img src=x" in html  # html.escape'd, then JSON-escaped into the divIcon
    assert md_escape("**[x](javascript:1)**") == r"\*\*\[x\]\(javascript\:1\)\*\*"


def test_restore_brings_back_a_version_and_is_itself_undoable(tiny_store: Store) -> None:
    original = zone(tiny_store, "xinan_road")
    first = tiny_store.update_zone("xinan_road", geometry=smaller(tiny_store, "xinan_road"), name_zh="新名", actor=ADMIN)
    tiny_store.update_zone("xinan_road", name_en="New name", actor=ADMIN)
    restored = tiny_store.restore_zone(first, actor=ADMIN)
    now = zone(tiny_store, "xinan_road")
    assert (now["name_zh"], now["name_en"], now["geometry"]) == (
        original["name_zh"], original["name_en"], original["geometry"])
    history = tiny_store.zone_history("xinan_road")
    assert history["version_id"].tolist() == [restored, first + 1, first]
    assert history.loc[0, "restored_from"] == first and history.loc[0, "name_en"] == "New name"
    tiny_store.restore_zone(restored, actor=ADMIN)
    assert zone(tiny_store, "xinan_road")["name_en"] == "New name"
    with pytest.raises(StoreError):
        tiny_store.restore_zone(999, actor=ADMIN)


def test_data_token_changes_after_a_zone_edit(tiny_store: Store) -> None:
    from nightmap.ui.data import data_token

    before = data_token(tiny_store)
    tiny_store.update_zone("xinan_road", name_en="Xin'an Road", actor=ADMIN)
    assert data_token(tiny_store) != before


def test_zone_edits_survive_a_rebuild_with_batches(tiny_store: Store, tiny_dir: Path) -> None:
    new = smaller(tiny_store, "baihuo_dalou", 0.7)
    tiny_store.update_zone("baihuo_dalou", geometry=new, name_zh="百货大楼（核实）", actor=ADMIN)
    tiny_store.ingest(parse_file(NEW_FOOTFALL.encode(), file_name="f.csv", kind="footfall",
                                 known_zones=tiny_store.zone_ids()), note="张三", actor=ADMIN)
    edited = tiny_store.zones()
    tiny_store.close()
    path = tiny_dir / "events.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
    reopened = Store.open(tiny_store.path, data_dir=tiny_dir)
    try:
        assert reopened.stored_fingerprint() is not None
        assert reopened.zones().equals(edited)
        assert reopened.zone_ids() == ["xinan_road", "xiaowoniu_market", "baihuo_dalou"]
        assert len(reopened.zone_history("baihuo_dalou")) == 1
        assert reopened.batches().loc[0, "note"] == "张三"
        assert reopened.scalar("SELECT visitors FROM footfall WHERE ts = '2022-06-19 20:00'") == 70
        reopened.restore_zone(1, actor=ADMIN)
        assert zone(reopened, "baihuo_dalou")["name_zh"] == "百货大楼"
    finally:
        reopened.close()


# --------------------------------------------------------------------------- input helpers


def test_read_geojson_accepts_geometry_feature_and_collection() -> None:
    poly = Polygon([(113.23, 35.21), (113.231, 35.21), (113.231, 35.211)])
    geom = poly.__geo_interface__
    feature = {"type": "Feature", "properties": {"zone_id": "b"}, "geometry": geom}
    other = {"type": "Feature", "properties": {"zone_id": "a"}, "geometry": geom}
    for obj in (geom, feature, {"type": "FeatureCollection", "features": [feature]},
                {"type": "FeatureCollection", "features": [other, feature]}):
        got = zone_edit.read_geojson(json.dumps(obj).encode("utf-8"), file_name="z.geojson", zone_id="b")
        assert got.equals(poly)


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"{}", "z.kml", "only .geojson"),
        (b"\x80\x04pickle", "z.geojson", "not valid JSON"),
        (b'{"type": "FeatureCollection", "features": []}', "z.json", "holds 0 features"),
        (b'{"type": "Feature", "geometry": null}', "z.json", "no geometry"),
        (b"[1, 2]", "z.json", "not a GeoJSON object"),
        (b" " * 6_000_000, "z.json", "too large"),
    ],
)
def test_read_geojson_refuses_bad_files(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        zone_edit.read_geojson(data, file_name=name, zone_id="b")


def test_coordinates_text_round_trips_and_bad_lines_are_named() -> None:
    poly = Polygon([(113.2301234, 35.21), (113.231, 35.21), (113.231, 35.2111111)])
    text = zone_edit.coordinates_text(poly)
    assert len(text.splitlines()) == 3
    assert zone_edit.geometry_from_text(text).equals_exact(poly, 1e-7)
    assert zone_edit.geometry_from_text("113.23，35.21\n113.231 35.21\n113.231;35.211").area > 0
    assert zone_edit.geometry_from_text(json.dumps(poly.__geo_interface__)).equals(poly)
    with pytest.raises(ValidationError) as info:
        zone_edit.geometry_from_text("113.23, 35.21\nabc\n113.231, 35.211")
    assert info.value.problems[0].row == 2
    with pytest.raises(ValidationError, match="at least 3"):
        zone_edit.geometry_from_text("113.23, 35.21")


def test_drawing_on_amap_comes_back_in_wgs84() -> None:
    poly = Polygon([(113.23, 35.21), (113.231, 35.21), (113.231, 35.211)])
    gcj = geo.geometry_to_gcj02(poly)
    drawing = {"type": "Feature", "properties": {}, "geometry": gcj.__geo_interface__}
    assert zone_edit.geometry_from_drawing(drawing, basemap="amap").equals_exact(poly, 1e-6)
    assert zone_edit.geometry_from_drawing(drawing, basemap="none").equals(gcj)
    assert zone_edit.geometry_from_drawing(None) is None


def test_shape_problems_are_bilingual() -> None:
    district = geo.focus_district(geo.load_districts())
    far = Polygon([(100, 30), (100.001, 30), (100.001, 30.001)])
    (problem,) = zone_edit.shape_problems(far, district, source="z")
    assert problem.reason_zh == "区域在解放区之外" and "outside" in problem.reason_en
    rows = report_tables.problems_table([problem], "en")
    assert list(rows[0]) == ["Row (as in Excel)", "Column", "Value", "Problem"]
    assert rows[0]["Row (as in Excel)"] == "—"  # an edit's problem has no file row


def test_edit_map_is_offline_and_carries_the_draw_tool() -> None:
    assets.use_local_assets()
    zones = geo.load_zones()
    fmap = zone_edit.edit_map(zones=zones, districts=geo.load_districts(), zone_id="xinan_road", lang="en",
                              preview=zones.geometry.iloc[0])
    html = fmap.get_root().render()
    assert not re.findall(r"https?://", html), "no URL may leave the machine"
    assert "draw:created" in html and "Finish" in html and "nm-draw" in html
    assert all(src.startswith("/app/static/") for src in re.findall(r'(?:src|href)="([^"]+)"', html))
    assert '"zoomInTitle": "Zoom in"' in html and '"zoomControl": false' in html  # one zoom control, titled
    zh = zone_edit.edit_map(zones=zones, districts=None, zone_id="xinan_road", lang="zh").get_root().render()
    assert '"zoomInTitle": "\\u653e\\u5927"' in zh  # 放大, as tojson writes it
    with pytest.raises(ValueError):
        zone_edit.edit_map(zones=zones, districts=None, zone_id="xinan_road", basemap="google")
