"""The folium map of the campaign's zones: a package with one concern per module.

Callers use ``import nightmap.map as nmap`` (never ``map``, the builtin) or
``from nightmap.map import build_map``; everything below is re-exported here.

The map of the map
------------------
``build.py``
    Assembles a folium map: :func:`build_map` (every zone on one map, the district's
    view) and :func:`build_base_map` (the map of many zones without its zones).
    Also the empty map (``_frame``: scripts, CSS, tiles, zoom buttons, districts,
    roads) and its framing (``_fit``).
``inview.py``
    The map of many zones: :func:`zones_layer` (the zones in view as one layer,
    dots when very many), :func:`view_box` / :func:`bounds_box` / :func:`snap_box`
    (the box of the view to draw), :data:`IN_VIEW_POLYGONS`, :data:`Box`.
``zones.py``
    The zones as the browser gets them (``_draw_zones``: outline or dot, fill,
    stroke, tooltip, label; ``_zones_geojson``), and helpers the map and the
    in-view layer share (the datum, the zone filter, argument checks).
``layers.py``
    The other layers: districts, reference roads, event markers, the heat layer.
``text.py``
    Words on the map: :func:`zone_name`, :func:`map_label`, :func:`unverified_text`
    and the legend's HTML (``_legend_html``), all escaped.
``style.py``
    Colours and numbers: the palettes and strokes, :func:`colour_scale`,
    :func:`format_value`, :func:`format_ticks`, :func:`metric_title`.
``elements.py``
    The branca elements that put our JavaScript and CSS on the map. They hold no
    JavaScript: ``static/js/{labels,points,legend,fit,chrome,tiles_fallback,label_layout}.js``
    define functions on ``window.nmMap`` and are inlined once per map document
    (``_Scripts``, the map's first child, so the map's HTML carries all it needs
    and a saved copy opens alone), ``static/css/map.css`` is inlined by ``_Css``;
    each element's template only calls ``nmMap.x(map, {...})`` with JSON arguments.
``hit.py``
    Which zone a click hit (:func:`zone_at`) and a point inside a zone (:func:`zone_point`).

Adding a layer
--------------
Write a function in ``layers.py`` that turns a frame (in the map's datum) into a
folium layer (and label items for ``_Points`` if it names things); add it to the
map in ``build.py`` (``build_map`` and, if the map of many zones needs it,
``build_base_map``); explain it in the legend (``text._legend_html``). Its
browser-side behaviour, if any, goes into a new ``static/js/*.js`` file listed in
``elements.MAP_SCRIPTS``, called from an element's template; its CSS into
``static/css/map.css``.

All user text that reaches the HTML is escaped with :func:`html.escape`; data for
the browser is embedded with Jinja's ``tojson`` (which escapes ``<``, ``>``, ``&``
and ``'``). No Streamlit import here: the map is testable as HTML.
"""

from __future__ import annotations

from nightmap.basemaps import BASEMAPS
from nightmap.map import build, elements, hit, inview, layers, style, text, zones
from nightmap.map.build import FIT_MAX_ZOOM, LARGE_MAP_HIDE_BELOW, LARGE_MAP_ZONES, build_base_map, build_map
from nightmap.map.elements import label_script
from nightmap.map.hit import zone_at, zone_point
from nightmap.map.inview import IN_VIEW_POLYGONS, VIEW_PAD, Box, bounds_box, snap_box, view_box, zones_layer
from nightmap.map.layers import EVENTS_IN_TOOLTIP
from nightmap.map.style import (
    BACKGROUND,
    CATEGORY_COLOURS,
    CHANGE_FLOOR,
    COMPLEX_STROKE,
    DIVERGING_NEG,
    DIVERGING_POS,
    FOCUS_STROKE,
    FONT_STACK,
    HEAT_GRADIENT,
    NEIGHBOUR_STROKE,
    NO_DATA_COLOUR,
    ROAD_CASING,
    ROAD_FILL,
    SELECTED_STROKE,
    SEQUENTIAL,
    STREET_STROKE,
    UNVERIFIED_DASH,
    UNVERIFIED_STROKE,
    ColourScale,
    colour_scale,
    format_ticks,
    format_value,
    metric_title,
    to_number,
)
from nightmap.map.text import map_label, unverified_text, zone_name
from nightmap.map.zones import LABELLED_ZONES
from nightmap.metrics import METRICS

__all__ = [
    "BACKGROUND", "BASEMAPS", "CATEGORY_COLOURS", "CHANGE_FLOOR", "COMPLEX_STROKE", "DIVERGING_NEG",
    "DIVERGING_POS", "EVENTS_IN_TOOLTIP", "FIT_MAX_ZOOM", "FOCUS_STROKE", "FONT_STACK", "HEAT_GRADIENT",
    "IN_VIEW_POLYGONS", "LABELLED_ZONES", "LARGE_MAP_HIDE_BELOW", "LARGE_MAP_ZONES", "METRICS",
    "NEIGHBOUR_STROKE", "NO_DATA_COLOUR", "ROAD_CASING", "ROAD_FILL", "SELECTED_STROKE", "SEQUENTIAL",
    "STREET_STROKE", "UNVERIFIED_DASH", "UNVERIFIED_STROKE", "VIEW_PAD", "Box", "ColourScale",
    "bounds_box", "build", "build_base_map", "build_map", "colour_scale", "elements", "format_ticks",
    "format_value", "hit", "inview", "label_script", "layers", "map_label", "metric_title", "snap_box",
    "style", "text", "to_number", "unverified_text", "view_box", "zone_at", "zone_name", "zone_point",
    "zones", "zones_layer",
]
