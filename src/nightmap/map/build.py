"""Assembling a folium map: :func:`build_map` (every zone) and :func:`build_base_map` (zones apart).

:func:`build_map` draws

* the districts: 解放区 (``is_focus``) outlined in dark ink, its neighbours faint
  with their names;
* the zones, filled by the chosen metric in classed colours (sequential for
  visitors / spending / spend per visitor, diverging around 0 for uplift; grey
  for zones with no data). Complexes have a thick black outline, streets a thin
  one. Each zone carries its ``zone_id`` so the Streamlit side can tell which
  zone was clicked (:func:`nightmap.map.hit.zone_at`);
* permanent zone-name labels with a white halo, laid out in the browser so they
  do not overlap;
* a legend in the current language (own HTML in a Leaflet control, no d3);
* optionally event markers (coloured by eat / shop / play), a visitor heat
  layer, and a tile basemap (AMap in GCJ-02 or OpenStreetMap in WGS-84).

For a city's or a province's worth of zones, :func:`build_base_map` draws the map
without its zones and :func:`nightmap.map.inview.zones_layer` the zones in view.

Offline use needs :func:`nightmap.assets.use_local_assets` to have been called
before :func:`build_map` (the default basemap ``"none"`` then needs no network).
"""

from __future__ import annotations

import html
import math
from collections.abc import Collection
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from nightmap import basemaps, i18n
from nightmap.i18n import t
from nightmap.map.elements import _Css, _Fit, _LabelLayout, _Legend, _MapChrome, _Points, _Scripts
from nightmap.map.layers import _draw_districts, _draw_roads, _event_categories, _event_items, _heat_group
from nightmap.map.style import colour_scale, to_number
from nightmap.map.text import _legend_html
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
from nightmap.schema import is_verified

LARGE_MAP_ZONES = 60
"""Above this many zones (a city or province rather than the district) the map is drawn lean:
zone outlines simplified to ~1 m, one-line tooltips (name and value), permanent labels only
for the :data:`LABELLED_ZONES` highest values and the selected zone."""

LARGE_MAP_HIDE_BELOW = 99.0
"""On the map of many zones a name that finds no free spot is hidden at any zoom (zones of a city lie
close together; the tooltip still names each); the selected zone's name always shows."""

FIT_MAX_ZOOM = 16
"""Framing a few zones (or one) stops at this zoom, so the street around them stays in view."""

ZOOM_OUT_LEVELS = 3
"""How far the map zooms out past the framing of its zones (about three levels, never below 5), so a
district's map cannot be zoomed out to a pile of labels while a province's still shows it whole."""


def _frame(
    districts_d: gpd.GeoDataFrame | None, *, basemap: str, lang: str, centre: tuple[float, float],
    roads: gpd.GeoDataFrame | None = None, avoid: Any = None,
) -> tuple[folium.Map, list[dict[str, Any]]]:
    """The empty map: its scripts and page CSS, optional tiles, the districts and, on the schematic, the roads.

    Returns the map and the labels of the districts (and roads), for :class:`_Points`.
    """
    fmap = folium.Map(location=list(centre), zoom_start=15, tiles=None, zoom_snap=0.25, zoom_delta=0.5,
                      zoom_control=False)  # our own, titled in the map's language (_MapChrome)
    fmap.options.update(maxZoom=19)  # folium passes min/max zoom only to a tile layer; minZoom: _fit
    _Scripts().add_to(fmap)  # first: every element after it calls its functions
    _Css().add_to(fmap)
    spec = basemaps.tile_spec(basemap, packs=basemaps.installed_packs() if basemap in basemaps.PACK_OF else None)
    if spec is not None:
        folium.TileLayer(spec.url, attr=spec.attribution, name=t(spec.label_key, lang), max_zoom=19,
                         max_native_zoom=spec.max_native_zoom, min_native_zoom=spec.min_native_zoom,
                         subdomains=spec.subdomains, overlay=False).add_to(fmap)
    _MapChrome(lang=lang, notice=t("map.tiles_failed", lang) if spec is not None else None,
               tiled=basemap != "none").add_to(fmap)

    labels: list[dict[str, Any]] = []
    if districts_d is None or districts_d.empty:
        return fmap, labels
    tiles = basemap != "none"
    layer, labels = _draw_districts(districts_d, lang=lang, tiles=tiles)
    layer.add_to(fmap)
    # on tiles the roads are drawn hidden, for the schematic the map falls back to when the tiles fail
    labels += _draw_roads(roads, lang=lang, avoid=avoid, hidden=tiles).add_to(fmap).labels
    return fmap, labels


def _fit(fmap: folium.Map, frame: gpd.GeoDataFrame) -> None:
    """Frame ``frame``'s zones, leaving room for the legend on the right."""
    if frame.empty:
        return
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    span = max(maxx - minx, maxy - miny, 1e-4)
    # ~2 zoom levels below the framing of a 900-px-wide map, minus ZOOM_OUT_LEVELS - 2
    fmap.options["minZoom"] = max(5, min(12, math.floor(math.log2(360.0 / span)) - (ZOOM_OUT_LEVELS - 2)))
    _Fit([[miny, minx], [maxy, maxx]], max_zoom=FIT_MAX_ZOOM).add_to(fmap)



def build_map(
    *,
    zones: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    values: pd.DataFrame | None,
    metric: str,
    lang: str = i18n.DEFAULT_LANG,
    events: pd.DataFrame | None = None,
    heat: pd.DataFrame | None = None,
    basemap: str = "none",
    selected: str | None = None,
    only: Collection[str] | None = None,
    roads: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Build the night-economy map with every zone on it.

    For many zones (above :data:`LARGE_MAP_ZONES`) the overview uses
    :func:`build_base_map` and :func:`nightmap.map.inview.zones_layer` instead, which send only the
    zones in view; ``build_map`` then draws lean (simplified outlines, one-line
    tooltips, labels for the top :data:`LABELLED_ZONES`).

    Parameters
    ----------
    zones
        Zones in WGS-84 (EPSG:4326) with ``zone_id, name_zh, name_en, kind`` and
        geometry (see :func:`nightmap.geo.load_zones`).
    districts
        Districts in WGS-84 with ``code, name_zh, name_en, is_focus``; may be
        ``None`` or empty.
    values
        ``zone_id, value, baseline, uplift_pct`` for the chosen metric. Zones
        missing from it (or with a NaN value) are drawn grey as "no data".
    metric
        One of :data:`METRICS`; for ``uplift`` (``uplift_visitors``), ``value`` is the percentage
        change of spending (visitors) vs baseline and colours diverge around 0, never below −100 %.
    lang
        ``"zh"`` (default) or ``"en"``.
    events
        ``event_id, zone_id, start, end, category, kind, title_zh, title_en``;
        drawn as markers coloured by category. ``None`` or empty: no markers.
    heat
        ``zone_id, visitors``; when given, a visitor heat layer (switchable).
    basemap
        ``"none"`` (schematic, offline), ``"amap"`` (GCJ-02 tiles; all
        geometry converted from WGS-84 first) or ``"osm"``.
    selected
        A ``zone_id`` to highlight with a thick blue outline.
    only
        The zone filter: zones not in it are drawn faded, dashed and unlabelled
        (their tooltip says they are filtered out). ``None``: no zone filter.
    roads
        Reference roads in WGS-84 (``name_zh, name_en``, see :func:`nightmap.geo.load_roads`),
        drawn and named on the schematic (``basemap="none"``) only; tiles show real streets.

    Zones whose ``location_confidence`` is not ``high`` (or missing) are outlined
    dashed, their tooltip says "位置待核实 / Position unverified" and the legend
    explains the dashes.

    Returns
    -------
    folium.Map
        Each zone feature carries ``properties.zone_id`` (see :func:`nightmap.map.hit.zone_at`).

    Raises
    ------
    ValueError
        For an unknown ``metric`` or ``basemap``.
    """
    _check(metric, basemap)
    lang = "en" if lang == "en" else "zh"
    zones_d = _to_datum(zones, basemap)
    districts_d = _to_datum(districts, basemap) if districts is not None else None
    faded = set() if only is None else {str(z) for z in zones_d["zone_id"]} - {str(z) for z in only}

    minx, miny, maxx, maxy = (float(v) for v in zones_d.total_bounds)
    fmap, district_labels = _frame(districts_d, basemap=basemap, lang=lang, centre=((miny + maxy) / 2, (minx + maxx) / 2),
                                   roads=_to_datum(roads, basemap), avoid=_union(zones_d, roads, basemap))

    by_zone = _values_by_zone(values)
    ids = [str(z) for z in zones_d["zone_id"] if str(z) not in faded]
    scale = colour_scale([by_zone.get(z, {}).get("value") for z in ids], diverging=is_change(metric))
    large = len(zones_d) > LARGE_MAP_ZONES
    labelled = None
    if large:
        labelled = _top_zones(ids, by_zone, LABELLED_ZONES) | ({str(selected)} if selected is not None else set())
    drawn = _draw_zones(zones_d, by_zone=by_zone, scale=scale, metric=metric, lang=lang, selected=selected,
                        short_tips=large, simplify=large, labelled=labelled, faded=faded)
    _zones_geojson(drawn, dots=False).add_to(fmap)

    overlays = False
    heat_group = _heat_group(heat, zones_d, lang)
    if heat_group is not None:
        heat_group.add_to(fmap)
        overlays = True
    items, event_cats = _event_items(events, drawn=drawn, lang=lang)
    if items:
        group = folium.FeatureGroup(name=html.escape(t("map.layer.events", lang)), show=True)
        _Points(items).add_to(group)
        group.add_to(fmap)
        overlays = True

    _Points(district_labels + drawn.labels).add_to(fmap)
    _LabelLayout(hide_below=14.0).add_to(fmap)
    _Legend(_legend_html(scale=scale, metric=metric, lang=lang, any_missing=drawn.any_missing, event_cats=event_cats,
                         has_selected=selected is not None and str(selected) in drawn.styles,
                         has_faded=bool(faded), has_heat=heat_group is not None,
                         has_unverified=drawn.any_unverified, has_roads=_has_roads(roads, basemap))).add_to(fmap)
    if overlays or basemap != "none":
        folium.LayerControl(position="topright", collapsed=False).add_to(fmap)
    _fit(fmap, zones_d)
    return fmap


def build_base_map(
    *,
    zones: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    values: pd.DataFrame | None,
    metric: str,
    lang: str = i18n.DEFAULT_LANG,
    events: pd.DataFrame | None = None,
    heat: pd.DataFrame | None = None,
    basemap: str = "none",
    only: Collection[str] | None = None,
    roads: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The map of many zones without the zones: districts, legend, heat, label layout.

    The zones come separately from :func:`nightmap.map.inview.zones_layer`, for the part of the map in
    view, so a city's or a province's worth of zones is never sent at once and a
    pan or a click changes only that layer (Streamlit-folium's
    ``feature_group_to_add``), not the map. The legend's colour classes are those
    of every zone in ``only`` (or all), so colours stay put while panning.

    Parameters
    ----------
    zones, districts, values, metric, lang, events, heat, basemap, roads
        As for :func:`build_map`; ``events`` only decide which categories the
        legend lists.
    only
        The zone filter; the map frames these zones (all when ``None``).

    Returns
    -------
    folium.Map
        Framed on the zones in ``only`` (or all zones).
    """
    _check(metric, basemap)
    lang = "en" if lang == "en" else "zh"
    shown = _shown(_to_datum(zones, basemap), only)
    districts_d = _to_datum(districts, basemap) if districts is not None else None
    minx, miny, maxx, maxy = (float(v) for v in (shown if not shown.empty else _to_datum(zones, basemap)).total_bounds)
    fmap, district_labels = _frame(districts_d, basemap=basemap, lang=lang, centre=((miny + maxy) / 2, (minx + maxx) / 2),
                                   roads=_to_datum(roads, basemap), avoid=_union(shown, roads, basemap))
    by_zone = _values_by_zone(values)
    ids = [str(z) for z in shown["zone_id"]]
    scale = colour_scale([by_zone.get(z, {}).get("value") for z in ids], diverging=is_change(metric))
    heat_group = _heat_group(heat, shown, lang)
    if heat_group is not None:
        heat_group.add_to(fmap)
    _Points(district_labels).add_to(fmap)
    _LabelLayout(hide_below=LARGE_MAP_HIDE_BELOW).add_to(fmap)  # tooltips still name every zone
    any_missing = any(to_number(by_zone.get(z, {}).get("value")) is None for z in ids)
    _Legend(_legend_html(scale=scale, metric=metric, lang=lang, any_missing=any_missing,
                         event_cats=_event_categories(events), has_selected=False, has_faded=False,
                         has_heat=heat_group is not None, has_roads=_has_roads(roads, basemap),
                         has_unverified=_any_unverified(shown),
                         note=t("map.legend.in_view", lang, n=i18n.fmt_int(len(ids), lang)))).add_to(fmap)
    if heat_group is not None or basemap != "none":
        folium.LayerControl(position="topright", collapsed=False).add_to(fmap)
    _fit(fmap, shown)
    return fmap


def _has_roads(roads: gpd.GeoDataFrame | None, basemap: str) -> bool:
    return basemap == "none" and roads is not None and not roads.empty


def _union(zones_d: gpd.GeoDataFrame, roads: gpd.GeoDataFrame | None, basemap: str) -> Any:
    """The zones as one shape, for keeping road names off them (only computed when roads are drawn)."""
    if not _has_roads(roads, basemap) or zones_d.empty:
        return None
    return zones_d.geometry.envelope.union_all()


def _any_unverified(zones_d: gpd.GeoDataFrame) -> bool:
    if "location_confidence" not in zones_d.columns:
        return not zones_d.empty
    return not all(is_verified(c) for c in zones_d["location_confidence"])
