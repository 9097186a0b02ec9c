"""The map of many zones: only the zones in view, as one layer, and the box of the view to draw.

For a city's or a province's worth of zones the overview draws a base map without
zones once (:func:`nightmap.map.build.build_base_map`) and sends the zones in view
as a separate layer (:func:`zones_layer`; Streamlit-folium's ``feature_group_to_add``),
so a pan or a click replaces only that layer. :func:`view_box` turns the bounds the
map reports into the box to draw (:func:`bounds_box` then :func:`snap_box`): a
little wider than the view and snapped to a grid, so a short pan reuses the layer.
The first view of a large city sends every zone as a dot with a one-line tooltip;
outlines, names and events come only for the zones in view.

The layer's markers call ``nmMap.points``, defined by the base map's
:class:`nightmap.map.elements._Scripts`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from nightmap import basemaps, i18n
from nightmap.map.elements import _Points
from nightmap.map.layers import _event_items
from nightmap.map.style import colour_scale, to_number
from nightmap.map.zones import (
    LABELLED_ZONES,
    _check,
    _draw_zones,
    _shown,
    _to_datum,
    _top_zones,
    _values_by_zone,
    _zones_geojson,
)
from nightmap.metrics import is_change

IN_VIEW_POLYGONS = 250
"""On a map of many zones (:func:`zones_layer`): with more zones than this in view they are
drawn as dots with one-line tooltips; with fewer, as outlines with full tooltips, labels and events."""

VIEW_PAD = 0.25
"""The in-view layer covers the view plus this share of its size on every side, so a short pan
shows zones at once and does not need a new layer."""

Box = tuple[float, float, float, float]
"""``(south, west, north, east)`` in degrees, in the map's datum (GCJ-02 on the AMap basemap)."""


def zones_layer(
    *,
    zones: gpd.GeoDataFrame,
    values: pd.DataFrame | None,
    metric: str,
    lang: str = i18n.DEFAULT_LANG,
    events: pd.DataFrame | None = None,
    basemap: str = "none",
    selected: str | None = None,
    box: Box | None = None,
    only: Collection[str] | None = None,
) -> folium.FeatureGroup:
    """The zones in view, as one layer for the map from :func:`build_base_map`.

    Zones whose bounding box meets ``box`` are drawn (zones outside the zone
    filter are left out). With more than :data:`IN_VIEW_POLYGONS` of them, each
    is a dot with a one-line tooltip and only the :data:`LABELLED_ZONES` highest
    are labelled; with fewer, they are outlines with full tooltips, labels and
    event markers, as on the district map.

    Parameters
    ----------
    zones, values, metric, lang, events, basemap, selected
        As for :func:`build_map`.
    box
        The area in view (see :func:`view_box`), in the basemap's datum;
        ``None``: every zone.
    only
        The zone filter (``None``: all zones).

    Returns
    -------
    folium.FeatureGroup
        Not in the layer control; features carry ``properties.zone_id``.
    """
    _check(metric, basemap)
    lang = "en" if lang == "en" else "zh"
    base = _shown(zones, only)
    by_zone = _values_by_zone(values)
    scale = colour_scale([by_zone.get(str(z), {}).get("value") for z in base["zone_id"]], diverging=is_change(metric))
    faded: set[str] = set()
    if selected is not None and only is not None and str(selected) not in {str(z) for z in only}:
        # the picked zone is drawn even outside the zone filter (faded, with the selection outline)
        base = _shown(zones, [*only, str(selected)])
        faded = {str(selected)}
    if box is not None and basemaps.is_gcj02(basemap):  # cull roughly in WGS-84 (GCJ-02 is < 1 km off), then exactly
        s, w, n, e = box
        base = _in_box(base, (s - 0.02, w - 0.02, n + 0.02, e + 0.02))
    in_view = _to_datum(base, basemap)
    if box is not None:
        in_view = _in_box(in_view, box)
    dots = len(in_view) > IN_VIEW_POLYGONS
    ids = [str(z) for z in in_view["zone_id"]]
    labelled = None
    if dots:
        labelled = _top_zones(ids, by_zone, LABELLED_ZONES) | ({str(selected)} if selected is not None else set())
    drawn = _draw_zones(in_view, by_zone=by_zone, scale=scale, metric=metric, lang=lang, selected=selected,
                        short_tips=dots, simplify=True, dots=dots, labelled=labelled, faded=faded)
    group = folium.FeatureGroup(name="zones in view", control=False)
    if drawn.feats:
        _zones_geojson(drawn, dots=dots).add_to(group)
    items, _ = ([], []) if dots else _event_items(events, drawn=drawn, lang=lang)
    if items or drawn.labels:
        _Points(drawn.labels + items).add_to(group)
    return group


def _in_box(frame: gpd.GeoDataFrame, box: Box) -> gpd.GeoDataFrame:
    """The rows of ``frame`` whose bounding box meets ``box``."""
    if frame.empty:
        return frame
    s, w, n, e = box
    b = frame.geometry.bounds
    return frame[(b["maxx"] >= w) & (b["minx"] <= e) & (b["maxy"] >= s) & (b["miny"] <= n)]


def bounds_box(bounds: Mapping[str, Any] | None) -> Box | None:
    """``st_folium``'s ``bounds`` as a :data:`Box`, or ``None`` for anything that is not a real view.

    ``bounds`` is ``{"_southWest": {"lat", "lng"}, "_northEast": {"lat", "lng"}}``;
    missing parts, ``None`` or non-numeric values and an empty view give ``None``.
    """
    if not isinstance(bounds, Mapping):
        return None
    sw, ne = bounds.get("_southWest"), bounds.get("_northEast")
    if not isinstance(sw, Mapping) or not isinstance(ne, Mapping):
        return None
    s, w, n, e = (to_number(sw.get("lat")), to_number(sw.get("lng")), to_number(ne.get("lat")), to_number(ne.get("lng")))
    if s is None or w is None or n is None or e is None or n <= s or e <= w:
        return None
    return (s, w, n, e)


def snap_box(view: Box, *, pad: float = VIEW_PAD) -> Box:
    """The area to draw around ``view``: widened by ``pad`` of its size on every side and
    snapped outward to a grid a quarter of the view's size (a power of two in degrees),
    so small pans give the same box (and reuse the same layer)."""
    s, w, n, e = view
    span = max(n - s, e - w)
    s, w, n, e = s - pad * (n - s), w - pad * (e - w), n + pad * (n - s), e + pad * (e - w)
    step = 2.0 ** math.floor(math.log2(span / 4))
    return (math.floor(s / step) * step, math.floor(w / step) * step,
            math.ceil(n / step) * step, math.ceil(e / step) * step)


def view_box(bounds: Mapping[str, Any] | None, *, pad: float = VIEW_PAD) -> Box | None:
    """The area to draw for the map's view, from ``st_folium``'s ``bounds``.

    :func:`bounds_box` then :func:`snap_box`.

    Parameters
    ----------
    bounds
        ``{"_southWest": {"lat", "lng"}, "_northEast": {"lat", "lng"}}``; anything
        else (missing, ``None`` values, an empty view) gives ``None``.
    pad
        Share of the view's height and width added on every side.

    Returns
    -------
    Box or None
        ``(south, west, north, east)``.
    """
    view = bounds_box(bounds)
    return None if view is None else snap_box(view, pad=pad)
