"""Which basemaps are offered, which one a view opens on, and the datum and tiles of each."""

from __future__ import annotations

import pytest

from nightmap import basemaps
from nightmap.viewstate import from_query


@pytest.mark.parametrize("installed, offered, default", [
    ({}, ("none", "amap", "osm"), "none"),
    ({"amap": (12, 17)}, ("none", "amap_pack", "amap", "osm"), "amap_pack"),
    ({"osm": (12, 16)}, ("none", "osm_pack", "amap", "osm"), "osm_pack"),
    ({"amap": (12, 17), "osm": (12, 16)}, ("none", "amap_pack", "osm_pack", "amap", "osm"), "amap_pack"),
])
def test_packs_are_offered_only_when_installed_and_amap_wins_the_default(installed, offered, default) -> None:
    assert basemaps.available(installed) == offered
    assert basemaps.default(installed) == default
    view = from_query({}, basemaps=offered, default_basemap=default)
    assert view.basemap == default
    # a link naming a pack this laptop does not have opens on this laptop's default
    assert from_query({"base": "osm_pack"}, basemaps=offered, default_basemap=default).basemap == (
        "osm_pack" if "osm_pack" in offered else default)


@pytest.mark.parametrize("basemap, gcj", [("none", False), ("amap_pack", True), ("amap", True),
                                          ("osm_pack", False), ("osm", False)])
def test_datum_of_each_basemap(basemap: str, gcj: bool) -> None:
    assert basemaps.is_gcj02(basemap) is gcj


def test_a_pack_is_served_by_the_app_with_its_zooms_and_attribution() -> None:
    spec = basemaps.tile_spec("amap_pack", packs={"amap": (12, 16)})
    assert spec is not None and spec.url == "/app/static/tiles/amap/{z}/{x}/{y}.png"
    assert (spec.min_native_zoom, spec.max_native_zoom) == (12, 16) and "高德" in spec.attribution
    assert basemaps.tile_spec("amap_pack", packs={}) is None
    assert basemaps.tile_spec("none") is None
    assert basemaps.tile_spec("osm").url.startswith("https://")  # the online layers need the internet
