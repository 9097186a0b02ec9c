"""The overview's map of many zones on the page: what it sends and where it puts the map.

``st_folium`` is replaced by a recorder that plays the browser: it returns the
view a user "panned" to, and keeps what the page passed (the layer, centre and
zoom), so the page's wiring of :mod:`nightmap.map_camera` is checked end to end
in AppTest. The real browser round trip is in ``test_browser_scale.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import folium
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import nightmap.map as nmap
from nightmap import geo
from nightmap.simulate import run_simulation
from nightmap.store import Store
from nightmap.ui import overview_map

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """90 zones (13 real, 77 synthetic) × June 2022."""
    base = tmp_path_factory.mktemp("city90")
    data = base / "data"
    run_simulation(out_dir=data, seed=5, zones=geo.load_zones(ROOT / "data" / "zones.geojson"), n_zones=90,
                   start=dt.date(2022, 6, 1), end=dt.date(2022, 6, 30), fmt="parquet")
    (data / "source.json").write_text('{"simulated": true}\n', encoding="utf-8")
    (data / "districts.geojson").write_bytes((ROOT / "data" / "districts.geojson").read_bytes())
    db = base / "city.duckdb"
    Store.open(db, data_dir=data).close()
    return db, data


FRAMING = (35.17, 113.17, 35.27, 113.31)  # the whole city, as a new map frames itself


class Browser:
    """Stands in for ``st_folium``: records each call and answers as streamlit-folium's frontend does.

    - A report from the browser reaches the page as ``st.session_state["overview_map"]``
      before the next run (one report per run, in order).
    - A new map frame (another base map, or the page drawn again after a visit to
      another page: :meth:`new_frame`) returns nothing at first and reports its own
      framing at once, before it applies the centre it was given.
    - A centre is applied only when it differs from the last one this frame applied.
    - :meth:`look_at` is the user panning and zooming.
    """

    def __init__(self, at: AppTest) -> None:
        self.at = at
        self.calls: list[dict[str, Any]] = []
        self.map_name: str | None = None
        self.fresh = False
        self.applied: tuple[float, float] | None = None
        self.queue: list[dict[str, Any]] = []
        self.moves: list[tuple[float, float]] = []  # centres applied

    def __call__(self, fmap: folium.Map, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        answer = dict(st.session_state.get(overview_map.MAP_KEY) or {})
        if fmap.get_name() != self.map_name or self.fresh:
            self.map_name, self.fresh, self.applied, answer = fmap.get_name(), False, None, {}
            self.queue = [_report(*FRAMING, 13.0)]
        centre = kwargs.get("center")
        if centre is not None and centre != self.applied:
            self.applied = centre
            self.moves.append(centre)
            lat, lng = centre
            half_h, half_w = 0.00275, 0.0045
            self.queue.append(_report(lat - half_h, lng - half_w, lat + half_h, lng + half_w, kwargs["zoom"]))
        if self.queue:
            st.session_state[overview_map.MAP_KEY] = self.queue.pop(0)
        return answer

    def look_at(self, s: float, w: float, n: float, e: float, zoom: float) -> None:
        self.queue = []
        self.at.session_state[overview_map.MAP_KEY] = _report(s, w, n, e, zoom)

    def new_frame(self) -> None:
        self.fresh = True

    @property
    def last(self) -> dict[str, Any]:
        return self.calls[-1]

    def sent(self) -> set[str]:
        layer = self.last["feature_group_to_add"]
        gj = [c for c in layer._children.values() if isinstance(c, folium.GeoJson)]
        return {f["properties"]["zone_id"] for g in gj for f in g.data["features"]}


@pytest.fixture
def page(city, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, Browser]:
    db, data = city
    monkeypatch.setenv("NIGHTMAP_DB", str(db))
    monkeypatch.setenv("NIGHTMAP_DATA_DIR", str(data))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    browser = Browser(at)
    monkeypatch.setattr(overview_map, "st_folium", browser)
    at.run()
    assert not at.exception, at.exception
    return at, browser


def test_map_keeps_the_users_view_when_redrawn_and_reframes_on_a_new_zone_filter(page) -> None:
    at, browser = page
    everything = browser.sent()
    assert len(everything) == 90 and browser.last["center"] is None  # first view: every zone, framed

    # the user zooms in on the old town
    s, w, n, e = 35.2125, 113.2290, 35.2180, 113.2380
    browser.look_at(s, w, n, e, 17.0)
    at.run()  # the browser reports: the layer now holds only the zones around the view
    near = browser.sent()
    assert 0 < len(near) < len(everything) and browser.last["center"] is None
    assert "xinan_road" in near  # the pedestrian street is in that view

    # another metric redraws the base map: it opens where the user was, with the same zones
    at.radio(key="nm_metric").set_value("spend").run()
    assert not at.exception
    assert browser.last["center"] == pytest.approx(((s + n) / 2, (w + e) / 2)) and browser.last["zoom"] == 17.0
    assert browser.sent() == near
    at.run()  # the new map reports its own framing first: not taken for the user's view
    assert browser.last["center"] is None and browser.sent() == near
    at.run()  # then the view it was moved to; no move again (no snapping back while the user pans)
    assert browser.last["center"] is None and browser.sent() == near
    seen = at.session_state[overview_map.SEEN_KEY]
    assert seen.zoom == 17.0 and seen.centre == pytest.approx(((s + n) / 2, (w + e) / 2), abs=1e-6)

    # back from another page: a new map frame, opened where the user was
    at.session_state["nm_page"] = "片区对比 Compare"
    browser.new_frame()
    at.run()
    assert browser.last["center"] == pytest.approx(((s + n) / 2, (w + e) / 2)) and browser.last["zoom"] == 17.0
    assert browser.sent() == near
    at.run()
    at.run()
    assert browser.last["center"] is None and browser.sent() == near

    # a new zone filter frames its zones afresh: no stale box, no move
    at.multiselect(key="nm_zones").set_value(["syn_0020", "syn_0040"]).run()
    assert browser.last["center"] is None and browser.sent() == {"syn_0020", "syn_0040"}
    at.run()
    assert browser.last["center"] is None and browser.sent() == {"syn_0020", "syn_0040"}


def test_map_pans_to_a_zone_picked_out_of_sight(page, city) -> None:
    at, browser = page
    store = Store.open(city[0], data_dir=city[1])
    try:
        zones = geo.zones_from_table(store.zones())
    finally:
        store.close()
    view = (35.2125, 113.2290, 35.2180, 113.2380)
    browser.look_at(*view, 17.0)
    at.run()

    # a zone in view, picked from the list: the map stays put
    inside = next(z for z in zones["zone_id"]
                  if _inside(nmap.zone_point(zones, z), view))
    _pick(at, inside)
    assert browser.last["center"] is None
    assert inside in browser.sent()

    # a zone out of sight: the map pans to it, keeping the zoom, and its outline is sent
    far = max(zones["zone_id"], key=lambda z: abs(nmap.zone_point(zones, z)[0] - 35.215))
    point = nmap.zone_point(zones, far)
    assert not _inside(point, view)
    _pick(at, far)
    assert browser.last["center"] == pytest.approx(point) and browser.last["zoom"] == 17.0
    assert far in browser.sent()
    at.run()
    assert browser.last["center"] is None  # moved once, not on every rerun

    # the user pans away, closes the detail and picks the same zone again: the map goes back to it
    browser.look_at(*view, 17.0)
    at.run()
    at.button(key="nm_close_detail").click().run()
    assert "zone" not in at.query_params
    moves = len(browser.moves)
    _pick(at, far)
    assert browser.last["center"] == pytest.approx(point) and len(browser.moves) == moves + 1
    assert far in browser.sent()


def _report(s: float, w: float, n: float, e: float, zoom: float) -> dict[str, Any]:
    return {"bounds": {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}},
            "center": {"lat": (s + n) / 2, "lng": (w + e) / 2}, "zoom": zoom,
            "last_object_clicked": None, "last_active_drawing": None}


def _inside(point: tuple[float, float], view: tuple[float, float, float, float]) -> bool:
    return view[0] <= point[0] <= view[2] and view[1] <= point[1] <= view[3]


def _pick(at: AppTest, zone_id: str) -> None:
    picker = next(sb for sb in at.selectbox if sb.label == "查看片区详情")
    picker.set_value(zone_id).run()
    assert not at.exception, at.exception
    assert at.query_params.get("zone") == zone_id
