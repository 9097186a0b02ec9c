"""Which zone a click on the map hit, and where a zone is: :func:`zone_at`, :func:`zone_point`.

Both work on what Streamlit-folium returns and on the zones in WGS-84; on the AMap
basemap the map's points are in GCJ-02 and are converted (:mod:`nightmap.geo`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd

from nightmap import basemaps
from nightmap.map.style import to_number


def zone_at(
    returned: Mapping[str, Any] | None,
    *,
    zones: gpd.GeoDataFrame | None = None,
    basemap: str = "none",
) -> str | None:
    """The ``zone_id`` of the zone the user clicked, from ``st_folium``'s return value.

    Looks first for a GeoJSON feature with ``properties.zone_id`` (in
    ``last_active_drawing`` or ``last_object_clicked``); failing that, if
    ``zones`` is given, finds the zone containing the clicked point
    (``last_object_clicked`` as ``{"lat", "lng"}``).

    Parameters
    ----------
    returned
        The dict ``st_folium`` returned (may be ``None``).
    zones
        The zones in WGS-84, for the point lookup.
    basemap
        The basemap the map was drawn on; for ``"amap"`` the clicked point is in
        GCJ-02 and is converted back to WGS-84 before the lookup.

    Returns
    -------
    str or None
        The zone id, or ``None`` when nothing (or no zone) was clicked.
    """
    if not returned:
        return None
    for key in ("last_active_drawing", "last_object_clicked"):
        obj = returned.get(key)
        if isinstance(obj, Mapping):
            props = obj.get("properties")
            if isinstance(props, Mapping) and props.get("zone_id") not in (None, ""):
                return str(props["zone_id"])
            if obj.get("zone_id") not in (None, ""):
                return str(obj["zone_id"])
    clicked = returned.get("last_object_clicked")
    if zones is None or not isinstance(clicked, Mapping):
        return None
    lat, lng = to_number(clicked.get("lat")), to_number(clicked.get("lng"))
    if lat is None or lng is None:
        return None
    if basemaps.is_gcj02(basemap):
        from nightmap import geo

        lng, lat = geo.gcj02_to_wgs84(lng, lat)
    from shapely.geometry import Point

    pt = Point(lng, lat)
    hits = zones[zones.geometry.intersects(pt)]
    if hits.empty:
        return None
    # the smallest zone wins when zones touch
    smallest = min(range(len(hits)), key=lambda i: hits.geometry.iloc[i].area)
    return str(hits["zone_id"].iloc[smallest])


def zone_point(zones: gpd.GeoDataFrame, zone_id: str | None, *, basemap: str = "none") -> tuple[float, float] | None:
    """A point inside the zone (its representative point) as ``(lat, lng)`` in the basemap's datum.

    ``None`` for ``zone_id=None`` or an unknown zone.
    """
    if zone_id is None:
        return None
    hits = zones[zones["zone_id"].astype(str) == str(zone_id)]
    if hits.empty:
        return None
    point = hits.geometry.iloc[0].representative_point()
    lng, lat = point.x, point.y
    if basemaps.is_gcj02(basemap):
        from nightmap import geo

        lng, lat = geo.wgs84_to_gcj02(lng, lat)
    return (float(lat), float(lng))
