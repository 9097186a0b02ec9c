"""The folium map of the 13 campaign zones: colours, legend, labels, tooltips, events, heat, basemaps.

:func:`build_map` draws

* the districts: 解放区 (``is_focus``) outlined in dark ink, its neighbours faint
  with their names;
* the zones, filled by the chosen metric in classed colours (sequential for
  visitors / spending / spend per visitor, diverging around 0 for uplift; grey
  for zones with no data). Complexes have a thick black outline, streets a thin
  one. Each zone carries its ``zone_id`` so the Streamlit side can tell which
  zone was clicked (:func:`zone_at`);
* permanent zone-name labels with a white halo, laid out in the browser so they
  do not overlap;
* a legend in the current language (own HTML in a Leaflet control, no d3);
* optionally event markers (coloured by eat / shop / play), a visitor heat
  layer, and a tile basemap (AMap in GCJ-02 or OpenStreetMap in WGS-84).

For a city's or a province's worth of zones, :func:`build_base_map` draws the
map without its zones and :func:`zones_layer` the zones in view (dots when very
many are in view, outlines otherwise); :func:`view_box` turns the map's reported
bounds into the box to draw: the first view of a large city sends every zone as a dot
with a one-line tooltip, and outlines, names and events only for the zones in view.

All user text that reaches the HTML is escaped with :func:`html.escape`; data
for the browser is embedded with Jinja's ``tojson`` (which escapes ``<``,
``>``, ``&`` and ``'``). No Streamlit import here: the map is testable as HTML.

Offline use needs :func:`nightmap.assets.use_local_assets` to have been called
before :func:`build_map` (the default basemap ``"none"`` then needs no network).
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import branca.element
import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from nightmap import assets, basemaps, i18n
from nightmap.basemaps import (
    BASEMAPS,  # none (offline schematic), amap_pack / osm_pack (offline tiles), amap, osm
)
from nightmap.i18n import t
from nightmap.metrics import METRICS, is_change  # noqa: F401 - metrics the zones can be coloured by
from nightmap.schema import CATEGORIES, CONFIDENCE_LEVELS, UNKNOWN_CONFIDENCE, is_verified


@functools.lru_cache(maxsize=1024)
def _compiled_template(source: str) -> Template:
    return Template(source)


# branca compiles a new Jinja template for every Element made from a string, and folium makes
# several on every render (header tags, CSS); compiling dominated the render time. A compiled
# template is immutable, so one per distinct source is shared.
branca.element.Template = _compiled_template  # type: ignore[assignment]


SEQUENTIAL: tuple[str, ...] = ("#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
"""ColorBrewer YlOrRd without its palest step (which vanishes on a light background)."""

CHANGE_FLOOR = 100.0
"""A change vs baseline can't fall below −100 %: the lowest class bound of a diverging scale."""
DIVERGING_NEG: tuple[str, ...] = ("#2166ac", "#67a9cf", "#d1e5f0")
"""Decrease, strongest first (ColorBrewer RdBu)."""

DIVERGING_POS: tuple[str, ...] = ("#fddbc7", "#ef8a62", "#b2182b")
"""Increase, weakest first (ColorBrewer RdBu)."""

NO_DATA_COLOUR = "#c8c8c8"
BACKGROUND = "#e9e6df"
FOCUS_STROKE = "#2e3450"
NEIGHBOUR_STROKE = "#a39d90"
COMPLEX_STROKE = "#111111"
STREET_STROKE = "#5c5c5c"
SELECTED_STROKE = "#0057ff"
UNVERIFIED_STROKE = "#262626"
UNVERIFIED_DASH = "7 5"
"""Outline of a zone whose place is not surveyed (``location_confidence`` other than ``high``)."""
ROAD_CASING = "#b3aa99"
ROAD_FILL = "#fbfaf6"
CATEGORY_COLOURS: dict[str, str] = {"eat": "#e8590c", "shop": "#7048e8", "play": "#0c8599"}
"""Event marker colours; chosen apart from the zone palettes so markers stand out."""

FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

HEAT_GRADIENT = {0.2: "#9ecae1", 0.5: "#4292c6", 0.8: "#2171b5", 1.0: "#08306b"}
"""The visitor heat layer in blues, apart from the zones' yellow-to-red fill (the legend shows it)."""

EVENTS_IN_TOOLTIP = 5
"""Events listed in an event marker's tooltip (one marker per category per zone); the rest are counted."""

LARGE_MAP_ZONES = 60
"""Above this many zones (a city or province rather than the district) the map is drawn lean:
zone outlines simplified to ~1 m, one-line tooltips (name and value), permanent labels only
for the :data:`LABELLED_ZONES` highest values and the selected zone."""

LARGE_MAP_HIDE_BELOW = 99.0
"""On the map of many zones a name that finds no free spot is hidden at any zoom (zones of a city lie
close together; the tooltip still names each); the selected zone's name always shows."""

LABELLED_ZONES = 15
"""Zones labelled permanently on a large map (highest values first)."""

_COORD_DECIMALS = 6  # ~0.1 m; keeps the embedded GeoJSON small


# --------------------------------------------------------------------------- formatting


def to_number(value: Any) -> float | None:
    """A finite float, or ``None`` for missing / NaN / non-numbers."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def metric_title(metric: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """Legend title with unit, e.g. ``客流（人次）`` / ``Visitors (visits)``.

    Parameters
    ----------
    metric
        One of :data:`METRICS`.
    lang
        ``"zh"`` or ``"en"``.
    """
    if is_change(metric):  # says which measure changed: 消费额较基线变化 / 客流较基线变化
        label, unit = t(f"metric.{metric}", lang), t("unit.pct", lang)
    else:
        label = t(f"metric.{metric}", lang)
        unit = t({"visitors": "unit.people", "spend": "unit.yuan", "spend_per_visitor": "unit.yuan_per_person"}[metric], lang)
    return f"{label}（{unit}）" if lang != "en" else f"{label} ({unit})"


def format_value(value: Any, metric: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """A metric value with its unit, as written in tooltips (``1.2万人次``, ``8,560 yuan``).

    Parameters
    ----------
    value
        The number; missing values give ``—``.
    metric
        One of :data:`METRICS`; ``uplift`` and ``uplift_visitors`` are percentages.
    lang
        ``"zh"`` or ``"en"``.
    """
    v = to_number(value)
    if v is None:
        return "—"
    if metric == "visitors":
        sep = " " if lang == "en" else ""
        return f"{i18n.fmt_int(v, lang)}{sep}{t('unit.people', lang)}"
    if metric == "spend":
        return i18n.fmt_money(v, lang)
    if metric == "spend_per_visitor":
        sep = " " if lang == "en" else ""
        return f"{v:,.1f}{sep}{t('unit.yuan_per_person', lang)}"
    return i18n.fmt_pct(v, lang)


def format_ticks(values: Sequence[float], metric: str, lang: str) -> list[str]:
    """A legend's breaks, without unit (it is in the title), all written the same way:
    ``0 — 5万``, ``5万 — 10万``, never ``50,000 — 10.0万``.

    Counts and money from 100,000 are written in 万 in Chinese (from 1 billion in 亿)
    and from 1 million in millions (``M``) in English, across the whole legend, with
    as few decimals as make every break read differently.
    """
    if is_change(metric):
        return [f"{v:+.0f}%" if v else "0%" for v in values]
    if not values:
        return []
    top = max(abs(v) for v in values)
    if metric == "spend_per_visitor" or top < (1_000_000 if lang == "en" else 100_000):
        div, unit = 1.0, ""
    elif lang == "en":
        div, unit = 1_000_000.0, "M"
    else:
        div, unit = (100_000_000.0, "亿") if top >= 1_000_000_000 else (10_000.0, "万")
    scaled = [v / div for v in values]

    def written(decimals: int) -> list[str]:
        return [f"{x:,.{decimals}f}{unit}" if x else "0" for x in scaled]

    for decimals in range(5):  # as many decimals as the breaks have, if that is few
        if all(abs(round(x, decimals) - x) < 1e-9 * max(1.0, abs(x)) for x in scaled):
            return written(decimals)
    for decimals in range(5):  # else as few as tell them apart
        if len(set(written(decimals))) == len(scaled):
            return written(decimals)
    return written(4)


# --------------------------------------------------------------------------- classes


_ROUND = (1.0, 2.0, 2.5, 5.0, 10.0)
_ROUND_FINE = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5, 10.0)


def _nice_step(raw: float, multipliers: Sequence[float] = _ROUND) -> float:
    """The smallest round step (``multipliers`` × 10^k) that is at least ``raw``."""
    if raw <= 0:
        return 1.0
    exp = math.floor(math.log10(raw))
    for m in multipliers:
        step = m * 10**exp
        if step >= raw * (1 - 1e-9):
            return step
    return 10.0 ** (exp + 1)


@dataclass(frozen=True)
class ColourScale:
    """Classed colours for one metric: ``breaks`` has one more entry than ``colours``.

    Class ``i`` covers ``breaks[i] <= v < breaks[i + 1]`` (the last class includes its top).
    """

    breaks: tuple[float, ...]
    colours: tuple[str, ...]
    diverging: bool

    def colour(self, value: Any) -> str:
        """Fill colour for ``value``; :data:`NO_DATA_COLOUR` when missing."""
        v = to_number(value)
        if v is None or not self.colours:
            return NO_DATA_COLOUR
        for i in range(len(self.colours)):
            if v < self.breaks[i + 1]:
                return self.colours[i]
        return self.colours[-1]


def colour_scale(values: Sequence[float], *, diverging: bool = False, classes: int = 5) -> ColourScale:
    """Equal-interval classes with round breaks, sequential or diverging around 0.

    Parameters
    ----------
    values
        The values to classify (missing ones ignored).
    diverging
        Use classes around 0 for a change in % (``uplift``, ``uplift_visitors``):
        three above 0 and three below, symmetric while that fits, but no class
        goes below −100 % (a change can't): the falling side then gets its own
        round step over [−100 %, 0] (or over the values' fall when smaller).
    classes
        Target number of classes for a sequential scale (at most 5).

    Returns
    -------
    ColourScale
        Empty (no colours) when there is no value at all.
    """
    vals = [v for v in (to_number(x) for x in values) if v is not None]
    if not vals:
        return ColourScale((), (), diverging)
    if diverging:
        fall = min(max(-min(vals), 0.0), CHANGE_FLOOR)  # how far the values fall: at most −100 %
        limit = max(max(vals), fall) or 1.0  # the spread on either side of 0
        step = _nice_step(limit / 3, _ROUND_FINE)  # fine steps: the strongest class is used
        down = step
        if 3 * step > CHANGE_FLOOR:  # symmetric classes would reach below −100 %: own step for the fall
            down = _nice_step((fall or CHANGE_FLOOR) / 3, _ROUND_FINE)
        lower = tuple(max(-k * down, -CHANGE_FLOOR) for k in (3, 2, 1))  # −100 % closes the lowest class
        breaks = (*lower, *(k * step for k in range(0, 4)))
        return ColourScale(breaks, DIVERGING_NEG + DIVERGING_POS, True)
    lo, hi = min(vals), max(vals)
    n = max(1, min(classes, len(SEQUENTIAL)))
    if hi - lo <= 1e-6 * max(abs(hi), 1.0):
        step = _nice_step(abs(hi) / n if hi else 1.0)
        start = math.floor(lo / step) * step
        return ColourScale((start, start + step), (SEQUENTIAL[-1],), False)
    step = _nice_step((hi - lo) / n)
    while True:  # widen the step until at most len(SEQUENTIAL) round classes cover [lo, hi]
        start = math.floor(lo / step) * step
        k = max(1, math.ceil((hi - start) / step - 1e-9))
        if start + k * step <= hi:
            k += 1  # hi sits exactly on a break: it belongs to the class above
        if k <= len(SEQUENTIAL):
            break
        step = _nice_step(step * 1.01)
    breaks = [start + i * step for i in range(k + 1)]
    # spread k classes over the palette, keeping its darkest end
    idx = [round(i * (len(SEQUENTIAL) - 1) / (k - 1)) if k > 1 else len(SEQUENTIAL) - 1 for i in range(k)]
    return ColourScale(tuple(breaks), tuple(SEQUENTIAL[i] for i in idx), False)


# --------------------------------------------------------------------------- custom elements


class _Css(MacroElement):
    """Page CSS: CJK font, schematic background, labels, legend, tooltips."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        html body .leaflet-container { background: {{ this.background }}; font-family: {{ this.font }}; }
        .leaflet-container .leaflet-tooltip { font-family: {{ this.font }}; font-size: 15px; line-height: 1.45; }
        .leaflet-container .leaflet-control-layers { font-family: {{ this.font }}; font-size: 14px; }
        .nm-label, .nm-dlabel { width: 0; height: 0; }
        .nm-label span, .nm-dlabel span {
            position: absolute; left: 0; top: 0; transform: translate(-50%, -50%);
            white-space: nowrap; pointer-events: none; font-family: {{ this.font }};
        }
        .nm-label span {
            font-size: 16px; font-weight: 700; color: #1b1b1b; letter-spacing: 0.02em;
            text-shadow: -2px -2px 0 #fff, 2px -2px 0 #fff, -2px 2px 0 #fff, 2px 2px 0 #fff,
                         0 -2px 0 #fff, 0 2px 0 #fff, -2px 0 0 #fff, 2px 0 0 #fff, 0 0 4px #fff;
        }
        .nm-label.nm-en span { white-space: normal; width: max-content; max-width: 12em; text-align: center; line-height: 1.15; }
        .nm-label.nm-selected span { color: {{ this.selected }}; font-size: 18px; text-decoration: underline; }
        .nm-label .nm-leader { display: none; position: absolute; height: 0; border-top: 1.5px solid rgba(27,27,27,.8);
            transform-origin: 0 0; pointer-events: none; }
        .nm-label .nm-leader::after { content: ""; position: absolute; right: -3px; top: -4px; width: 6px; height: 6px;
            border-radius: 50%; background: #1b1b1b; box-shadow: 0 0 0 1.5px #fff; }
        .nm-dlabel span {
            font-size: 18px; font-weight: 700; color: #8c8577; letter-spacing: 0.3em;
            text-shadow: 0 0 3px #fff, 0 0 3px #fff;
        }
        .nm-dlabel.nm-focus span { color: {{ this.focus }}; font-size: 22px; }
        .nm-evt { width: 0; height: 0; }
        .nm-evt b {
            position: absolute; left: 0; top: 0; transform: translate(-50%, -50%);
            display: block; min-width: 22px; height: 22px; padding: 0 3px; box-sizing: content-box;
            border-radius: 13px; border: 2px solid #fff; white-space: nowrap;
            box-shadow: 0 0 0 1px rgba(0,0,0,.45); color: #fff; font: 700 13px/22px {{ this.font }};
            text-align: center;
        }
        .nm-legend {
            background: rgba(255,255,255,.94); padding: 10px 12px; border-radius: 6px;
            box-shadow: 0 1px 5px rgba(0,0,0,.35); font: 14px/1.4 {{ this.font }}; color: #222;
            max-width: 290px;
        }
        .nm-legend h4 { margin: 0 0 2px; font-size: 15px; font-weight: 700; }
        .nm-legend .nm-sub { color: #555; font-size: 12.5px; margin-bottom: 6px; }
        .nm-legend .nm-row { display: flex; align-items: center; gap: 8px; margin: 2px 0; }
        .nm-legend .nm-sw { flex: none; width: 26px; height: 16px; border: 1px solid #5c5c5c; box-sizing: border-box; }
        .nm-legend .nm-sw.nm-complex { border: 3px solid {{ this.complex }}; }
        .nm-legend .nm-sw.nm-line { height: 0; border: none; border-top: 3px solid {{ this.focus }}; }
        .nm-legend .nm-sw.nm-sel { border: 4px solid {{ this.selected }}; }
        .nm-legend .nm-sw.nm-faded { border: 1px dashed #9a9a9a; background: #fff; }
        .nm-legend .nm-sw.nm-unverified { border: 2.5px dashed {{ this.unverified }}; background: #fff; }
        .nm-legend .nm-sw.nm-road { height: 7px; border: 1.5px solid {{ this.road }}; background: #fbfaf6; }
        .nm-tip .nm-unv { color: #9a3d00; font-weight: 600; font-size: 13.5px; }
        .nm-rlabel { width: 0; height: 0; }
        .nm-rlabel span {
            position: absolute; left: 0; top: 0; transform: translate(-50%, -50%); white-space: nowrap;
            pointer-events: none; font: italic 600 13px {{ this.font }}; color: #6f6757; letter-spacing: 0.1em;
            text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;
        }
        .nm-legend .nm-note { margin: 6px 0 0; }
        .leaflet-container .nm-fb { display: none; }
        .leaflet-container.nm-fallback .nm-fb { display: block; }
        .leaflet-container.nm-fallback path.nm-fb { display: inline; }
        html body .leaflet-container.nm-fallback { background: {{ this.schematic }}; }
        .leaflet-container.nm-fallback .leaflet-tile-pane { display: none; }
        .leaflet-container.nm-fallback path.nm-dfocus { fill: #ffffff; fill-opacity: 0.85; }
        .nm-notice { background: #fff4e5; border: 1px solid #f08c00; color: #7a3e00; border-radius: 6px;
            padding: 6px 10px; font: 600 14px/1.4 {{ this.font }}; max-width: 340px; box-shadow: 0 1px 5px rgba(0,0,0,.3); }
        .nm-legend .nm-toggle { cursor: pointer; color: #1f4fbf; font-size: 12.5px; margin-top: 4px; user-select: none; }
        .nm-legend .nm-toggle .nm-show { display: none; }
        .nm-legend.nm-compact .nm-toggle .nm-show { display: inline; }
        .nm-legend.nm-compact .nm-toggle .nm-hide { display: none; }
        .nm-legend.nm-compact .nm-more { display: none; }
        .nm-legend .nm-dot { flex: none; width: 18px; height: 18px; border-radius: 50%; color: #fff;
            font: 700 11px/18px {{ this.font }}; text-align: center; margin: 0 4px; }
        .nm-legend hr { border: none; border-top: 1px solid #ddd; margin: 6px 0; }
        .nm-tip b { font-size: 16px; }
        .nm-tip .nm-kind { color: #666; font-size: 13px; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self, *, background: str) -> None:
        super().__init__()
        self._name = "NightmapCss"
        self.background = background
        self.schematic = BACKGROUND
        self.font = FONT_STACK
        self.focus = FOCUS_STROKE
        self.complex = COMPLEX_STROKE
        self.selected = SELECTED_STROKE
        self.unverified = UNVERIFIED_STROKE
        self.road = ROAD_CASING


class _Legend(MacroElement):
    """A Leaflet control holding the legend's HTML (already escaped by the caller)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'nm-legend');
                div.innerHTML = {{ this.html|tojson }};
                var map = {{ this._parent.get_name() }}, toggled = false;
                function byWidth() {  // folded on a narrow map, until the user folds or unfolds it
                    if (!toggled) { div.classList.toggle('nm-compact', map.getSize().x < {{ this.compact_below|tojson }}); }
                }
                byWidth();
                map.on('resize', byWidth);
                var toggle = div.querySelector('.nm-toggle');
                if (toggle) {
                    var flip = function () { toggled = true; div.classList.toggle('nm-compact'); };
                    toggle.addEventListener('click', flip);
                    toggle.addEventListener('keydown', function (ev) {
                        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); flip(); }
                    });
                }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
            L.control.scale({imperial: false, position: 'bottomleft'}).addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str = "bottomright", compact_below: int = 1000) -> None:
        super().__init__()
        self._name = "NightmapLegend"
        self.html = html_text
        self.position = position
        self.compact_below = compact_below  # map width (px) under which the legend starts folded


class _Fit(MacroElement):
    """Frame ``bounds`` in the browser, leaving room for the legend, and again when the map is resized.

    The room kept on the right is the legend's width (at most 45% of the map's), so
    a narrow map (beside a zone's detail) is framed as well as a wide one.
    Streamlit often sizes the map's frame after drawing it; while nobody has moved
    the map since it was framed, a resize frames it again. Once the map is moved
    (by the user, or put back where the user was by the page) it is left alone,
    except that the selected zone is kept in sight, clear of the legend, when the
    map is resized (the detail opening beside it) or a newly selected zone arrives.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, bounds = {{ this.bounds|tojson }}, framed = null, shownSel = null;
            function legendRoom() {  // the legend's width (bottom right), at most 45% of the map
                var w = map.getSize().x, legend = map.getContainer().querySelector('.nm-legend');
                return Math.min(legend ? legend.offsetWidth + 20 : 250, 0.45 * w);
            }
            function fit() {
                map.fitBounds(bounds, {paddingTopLeft: [30, 40], paddingBottomRight: [legendRoom(), 40],
                                       maxZoom: {{ this.max_zoom|tojson }}, animate: false});
                framed = [map.getCenter(), map.getZoom()];
            }
            function keepSelected(always) {  // the selected zone stays in sight, clear of the legend
                var el = map.getContainer().querySelector('.nm-label.nm-selected span[data-a]');
                var key = el ? el.getAttribute('data-a') : null;
                if (key && (always || key !== shownSel)) {
                    var a = key.split(',').map(parseFloat);
                    map.panInside(a, {paddingTopLeft: [60, 60], paddingBottomRight: [legendRoom() + 20, 60], animate: false});
                }
                shownSel = key;
            }
            fit();
            map.whenReady(function () { shownSel = null; keepSelected(false); });
            map.on('resize', function () {
                if (framed && map.getZoom() === framed[1] && map.getCenter().distanceTo(framed[0]) < 1) { fit(); }
                else { framed = null; }
                keepSelected(true);
            });
            map.on('layeradd', function (e) {  // a new layer of zones: pan only when the selection changed
                if (!(e.layer instanceof L.DivOverlay)) { window.setTimeout(function () { keepSelected(false); }, 0); }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], *, max_zoom: float) -> None:
        super().__init__()
        self._name = "NightmapFit"
        self.bounds = bounds
        self.max_zoom = max_zoom


class _MapChrome(MacroElement):
    """The zoom buttons with titles in the map's language, and the fall-back from tiles that do not load.

    With a tile layer (``tiles``), the browser counts tiles loaded and failed
    (Leaflet ``tileerror``); when several fail and none loads, or none has loaded
    after :attr:`wait_ms`, the tiles are hidden, the schematic shows instead (its
    background, the focus district's fill, the reference roads drawn for it) and a
    notice on the map says so (``notice``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            L.control.zoom({position: 'topleft', zoomInTitle: {{ this.zoom_in|tojson }},
                            zoomOutTitle: {{ this.zoom_out|tojson }}}).addTo(map);
            var tiles = null;
            map.eachLayer(function (l) { if (l instanceof L.TileLayer) { tiles = l; } });
            if (!tiles) { return; }
            var loaded = 0, failed = 0, fell = false;
            function fallBack() {
                if (fell || loaded > 0) { return; }
                fell = true;
                map.getContainer().classList.add('nm-fallback');
                var notice = L.control({position: 'bottomleft'});  // over the scale bar, clear of the zones
                notice.onAdd = function () {
                    var div = L.DomUtil.create('div', 'nm-notice');
                    div.setAttribute('role', 'status');
                    div.textContent = {{ this.notice|tojson }};
                    return div;
                };
                notice.addTo(map);
                map.fire('resize');  // labels make room for the notice
            }
            tiles.on('tileload', function () { loaded += 1; });
            tiles.on('tileerror', function () { failed += 1; if (failed >= 3) { fallBack(); } });
            window.setTimeout(fallBack, {{ this.wait_ms|tojson }});  // tiles that neither load nor fail
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, lang: str, notice: str | None, wait_ms: int = 10_000) -> None:
        super().__init__()
        self._name = "NightmapChrome"
        self.zoom_in = t("map.zoom_in", lang)
        self.zoom_out = t("map.zoom_out", lang)
        self.notice = notice or ""
        self.wait_ms = wait_ms


class _Points(MacroElement):
    """Many small DivIcon markers from one embedded list (far smaller than one folium Marker each).

    Each item: ``lat``, ``lng``, ``cls`` (CSS class of the icon), ``html`` (icon
    HTML, escaped), optional ``tip`` (tooltip HTML, escaped) and ``zone`` (the
    zone's id, for label layout). Markers without a tooltip are not interactive,
    so clicks go through to the zone below.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var target = {{ this._parent.get_name() }};
            {{ this.items|tojson }}.forEach(function (it) {
                var m = L.marker([it.lat, it.lng], {
                    icon: L.divIcon({className: it.cls, html: it.html, iconSize: null}),
                    interactive: !!it.tip, keyboard: false, riseOnHover: !!it.tip
                });
                if (it.tip) { m.bindTooltip(it.tip, {direction: 'top', offset: [0, -12], className: 'nm-tip'}); }
                m.addTo(target);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "NightmapPoints"
        self.items = items


class _LabelLayout(MacroElement):
    """Browser-side placement of zone labels beside their zones, without overlaps.

    Each label span carries its zone's bounding box (``data-b="s,w,n,e"``).
    After every zoom, the labels are placed by ``static/js/labels.js`` (the same
    code places the presenter's labels): one by one (the selected zone's first,
    then complexes', then the smallest zones'), at the cheapest spot around
    their zone, never over another label; zones, event dots, controls and road
    and district names are kept clear where possible. A label set apart from its
    zone, or as near to another zone, gets a leader line to its zone. When no
    spot is free and the map is zoomed well out, the label is hidden.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.lib }}
        (function () {
            var map = {{ this._parent.get_name() }};
            var hideBelow = {{ this.hide_below|tojson }};
            function pt(lat, lng) { return map.latLngToContainerPoint([lat, lng]); }
            function isSel(sp) { return sp.parentNode.classList.contains('nm-selected'); }
            function nums(el, attr) { return el.getAttribute(attr).split(',').map(parseFloat); }
            function layout() {
                // all positions in container pixels, from the map's own projection (no DOM transforms)
                var root = map.getContainer(), size = map.getSize();
                var spans = Array.prototype.slice.call(root.querySelectorAll('.nm-label span[data-b]'));
                var zones = spans.map(function (sp) {
                    var b = nums(sp, 'data-b'), p0 = pt(b[2], b[1]), p1 = pt(b[0], b[3]);
                    return [p0.x, p0.y, p1.x, p1.y];
                });
                var obstacles = [], walls = [], origin = root.getBoundingClientRect();
                function boxesOf(selector, into) {
                    root.querySelectorAll(selector).forEach(function (el) {
                        var r = el.getBoundingClientRect();
                        if (r.width > 0) { into.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]); }
                    });
                }
                boxesOf('.leaflet-control', walls);  // legend, layers, zoom, scale, notices: a name under them is unread
                boxesOf('.nm-rlabel span, .nm-dlabel span', obstacles);  // road and district names, kept readable
                root.querySelectorAll('.nm-evt b[data-ll]').forEach(function (el) {
                    var ll = nums(el, 'data-ll'), off = nums(el, 'data-off'), p = pt(ll[0], ll[1]);
                    var x = p.x + off[0], y = p.y + off[1], r = 13;
                    obstacles.push([x - r, y - r, x + r, y + r]);
                });
                var order = spans.map(function (_, i) { return i; });
                order.sort(function (a, b) {  // the selected zone's name first, then complexes', then the smallest zones'
                    var sa = isSel(spans[a]), sb = isSel(spans[b]);
                    if (sa !== sb) { return sa ? -1 : 1; }
                    var ca = spans[a].hasAttribute('data-k'), cb = spans[b].hasAttribute('data-k');
                    if (ca !== cb) { return ca ? -1 : 1; }  // the landmarks officials find their way by
                    var za = zones[a], zb = zones[b];
                    return (za[2] - za[0]) * (za[3] - za[1]) - (zb[2] - zb[0]) * (zb[3] - zb[1]);
                });
                spans.forEach(function (sp) { sp.style.visibility = 'visible'; });
                var spots = window.nmLabels.place(order.map(function (i) {
                    return {zone: i, w: spans[i].offsetWidth, h: spans[i].offsetHeight};
                }), zones, obstacles, {x: size.x, y: size.y}, {hide: map.getZoom() < hideBelow, walls: walls});
                order.forEach(function (i, k) {
                    var sp = spans[i], s = spots[k], anchor = pt.apply(null, nums(sp, 'data-a'));
                    var line = sp.parentNode.querySelector('.nm-leader');
                    if (!line) { line = document.createElement('i'); line.className = 'nm-leader'; sp.parentNode.appendChild(line); }
                    sp.style.left = (s.x - anchor.x) + 'px'; sp.style.top = (s.y - anchor.y) + 'px';
                    if (s.hidden && !isSel(sp)) { sp.style.visibility = 'hidden'; }
                    var ld = s.hidden ? null : s.leader;
                    line.style.display = ld ? 'block' : 'none';
                    if (ld) {
                        line.style.left = (ld[0] - anchor.x) + 'px'; line.style.top = (ld[1] - anchor.y) + 'px';
                        line.style.width = Math.hypot(ld[2] - ld[0], ld[3] - ld[1]) + 'px';
                        line.style.transform = 'rotate(' + Math.atan2(ld[3] - ld[1], ld[2] - ld[0]) + 'rad)';
                        sp.setAttribute('data-leader', ld.map(function (v) { return v.toFixed(1); }).join(','));
                    } else { sp.removeAttribute('data-leader'); }
                });
            }
            var pending = false;
            function later() {
                if (pending) { return; }
                pending = true;
                window.requestAnimationFrame(function () { window.setTimeout(function () { pending = false; layout(); }, 0); });
            }
            map.on('zoomend viewreset resize', later);
            map.on('layeradd', function (e) {  // a new layer of zones in view; not a tooltip or popup opening
                if (!(e.layer instanceof L.DivOverlay)) { later(); }
            });
            map.whenReady(later);
            if (document.fonts && document.fonts.ready) { document.fonts.ready.then(later); }
            window.setTimeout(layout, 400);
            window.setTimeout(layout, 1500);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, hide_below: float) -> None:
        super().__init__()
        self._name = "NightmapLabelLayout"
        self.hide_below = hide_below
        self.lib = label_script()


@functools.lru_cache(maxsize=1)
def label_script() -> str:
    """The label placement script shared with the presenter (``static/js/labels.js``)."""
    return assets.own_text("js/labels.js")


# --------------------------------------------------------------------------- helpers


def zone_name(row: Mapping[str, Any], lang: str) -> str:
    """The zone's name in ``lang``, falling back to the other language and the id."""
    first, second = ("name_en", "name_zh") if lang == "en" else ("name_zh", "name_en")
    for col in (first, second, "zone_id"):
        value = row.get(col)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return str(row.get("zone_id", ""))


_SHORT_WORDS: tuple[tuple[str, str], ...] = (
    ("Pedestrian Street", "Ped. St."), ("Commercial Street", "Comm. St."), ("Department Store", "Dept. Store"),
    ("Outer Square", "Outer Sq."), ("Shopping Mall", "Mall"),
)
"""Long English words a map label writes short (the tooltip and every table keep the full name)."""


def map_label(name: str, lang: str) -> str:
    """A zone's name as its map label: in English short enough to sit beside a small zone.

    ``"Jiaozuo Department Store (Baihuo Dalou)"`` → ``"Jiaozuo Dept. Store"``,
    ``"Jingshui'an Pedestrian Street, Mengzhou Road"`` → ``"Jingshui'an Ped. St."``:
    what follows a comma or stands in brackets is dropped and long words are
    abbreviated (:data:`_SHORT_WORDS`). Chinese names are kept as they are.

    Parameters
    ----------
    name
        The zone's name in ``lang`` (:func:`zone_name`).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The label text (the full name when shortening would leave nothing).
    """
    if lang != "en":
        return name
    short = name.split(",")[0]
    if "(" in short and not short.startswith("("):
        short = short[: short.index("(")]
    for long, abbr in _SHORT_WORDS:
        short = short.replace(long, abbr)
    short = " ".join(short.split())
    return short or name


def _round_geojson(geom: Any, *, decimals: int = _COORD_DECIMALS) -> dict[str, Any]:
    """Shapely geometry to a GeoJSON dict with coordinates rounded to ``decimals`` (6: ~0.1 m)."""
    import shapely

    return shapely.geometry.mapping(shapely.set_precision(geom, 10**-decimals))


def _to_datum(frame: gpd.GeoDataFrame, basemap: str) -> gpd.GeoDataFrame:
    """The frame in the basemap's datum: GCJ-02 for AMap, WGS-84 (unchanged) otherwise."""
    if not basemaps.is_gcj02(basemap) or frame is None or frame.empty:
        return frame
    from nightmap import geo

    return geo.frame_to_gcj02(frame)


def _values_by_zone(values: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    """``zone_id -> {value, baseline, uplift_pct}`` from the metric frame."""
    if values is None or len(values) == 0:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for rec in values.to_dict("records"):
        out[str(rec["zone_id"])] = rec
    return out


def unverified_text(confidence: Any, lang: str) -> str | None:
    """"⚠ 位置待核实（可信度：低）" for a zone whose place is not ``high`` confidence, else ``None``."""
    if is_verified(confidence):
        return None
    return t("map.tooltip.unverified", lang, level=_confidence_label(str(confidence or UNKNOWN_CONFIDENCE), lang))


def _confidence_label(confidence: str, lang: str) -> str:
    """"低" / "low": a ``location_confidence`` level in words."""
    level = confidence if confidence in CONFIDENCE_LEVELS else UNKNOWN_CONFIDENCE
    return t(f"confidence.{level}", lang)


def _label_key(key: str, lang: str, fallback: str) -> str:
    """``t(key)`` if the key exists, else ``fallback`` (event kinds may be free text)."""
    return t(key, lang) if i18n.has(key) else fallback


# --------------------------------------------------------------------------- legend


def _legend_html(
    *,
    scale: ColourScale,
    metric: str,
    lang: str,
    any_missing: bool,
    event_cats: Sequence[str],
    has_selected: bool,
    has_faded: bool = False,
    has_heat: bool = False,
    has_unverified: bool = False,
    has_roads: bool = False,
    note: str | None = None,
) -> str:
    """The legend's HTML; every piece of text is escaped."""
    e = html.escape
    parts = [f"<h4>{e(metric_title(metric, lang))}</h4>"]
    sub = t("map.legend.diverging", lang) if scale.diverging else t("map.legend.darker_higher", lang)
    parts.append(f'<div class="nm-sub">{e(sub)}</div>')
    dash = "–" if lang == "en" else "—"
    rows = []
    ticks = format_ticks(list(scale.breaks), metric, lang)
    for i, colour in enumerate(scale.colours):
        label = f"{ticks[i]} {dash} {ticks[i + 1]}"
        rows.append(f'<div class="nm-row"><span class="nm-sw" style="background:{colour}"></span>{e(label)}</div>')
    parts.extend(reversed(rows))  # highest at the top
    if any_missing or not scale.colours:
        parts.append(
            f'<div class="nm-row"><span class="nm-sw" style="background:{NO_DATA_COLOUR}"></span>'
            f"{e(t('map.legend.no_data', lang))}</div>"
        )
    if has_unverified:  # never folded away: nobody may take a guessed place for a surveyed one
        parts.append(f'<div class="nm-row nm-unv-row"><span class="nm-sw nm-unverified"></span>'
                     f'{e(t("map.legend.unverified", lang))}</div>')
    # what the outlines, events and notes mean: folded away on a narrow map (see _Legend)
    parts.append(f'<div class="nm-toggle" role="button" tabindex="0"><span class="nm-show">'
                 f'{e(t("map.legend.more", lang))}</span><span class="nm-hide">{e(t("map.legend.less", lang))}'
                 f"</span></div>")
    parts.append('<div class="nm-more">')
    parts.append("<hr>")
    parts.append(
        f'<div class="nm-row"><span class="nm-sw" style="background:{SEQUENTIAL[1]}"></span>'
        f"{e(t('map.legend.street', lang))}</div>"
    )
    parts.append(
        f'<div class="nm-row"><span class="nm-sw nm-complex" style="background:{SEQUENTIAL[1]}"></span>'
        f"{e(t('map.legend.complex', lang))}</div>"
    )
    if has_selected:
        parts.append(
            f'<div class="nm-row"><span class="nm-sw nm-sel"></span>{e(t("map.legend.selected", lang))}</div>'
        )
    if has_faded:
        parts.append(
            f'<div class="nm-row"><span class="nm-sw nm-faded"></span>{e(t("map.legend.filtered_out", lang))}</div>'
        )
    parts.append(f'<div class="nm-row"><span class="nm-sw nm-line"></span>{e(t("map.legend.focus", lang))}</div>')
    if has_roads:
        parts.append(f'<div class="nm-row"><span class="nm-sw nm-road"></span>{e(t("map.legend.roads", lang))}</div>')
    if has_heat:
        stops = ", ".join(HEAT_GRADIENT.values())
        parts.append(f'<div class="nm-row"><span class="nm-sw" style="background:linear-gradient(90deg, {stops})">'
                     f'</span>{e(t("map.legend.heat", lang))}</div>')
    if event_cats:
        parts.append("<hr>")
        dots = "".join(
            f'<span class="nm-dot" style="background:{CATEGORY_COLOURS[c]}">{e(t(f"map.cat.{c}.short", lang))}</span>'
            f"{e(t(f'cat.{c}', lang))}"
            for c in CATEGORIES
            if c in event_cats
        )
        parts.append(f'<div class="nm-row">{e(t("map.legend.events", lang))}：{dots}</div>'
                     if lang != "en" else f'<div class="nm-row">{e(t("map.legend.events", lang))}: {dots}</div>')
    if note:
        parts.append(f'<div class="nm-sub nm-note">{e(note)}</div>')
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------- the map

IN_VIEW_POLYGONS = 250
"""On a map of many zones (:func:`zones_layer`): with more zones than this in view they are
drawn as dots with one-line tooltips; with fewer, as outlines with full tooltips, labels and events."""

VIEW_PAD = 0.25
"""The in-view layer covers the view plus this share of its size on every side, so a short pan
shows zones at once and does not need a new layer."""

Box = tuple[float, float, float, float]
"""``(south, west, north, east)`` in degrees, in the map's datum (GCJ-02 on the AMap basemap)."""

FIT_MAX_ZOOM = 16
"""Framing a few zones (or one) stops at this zoom, so the street around them stays in view."""

ZOOM_OUT_LEVELS = 3
"""How far the map zooms out past the framing of its zones (about three levels, never below 5), so a
district's map cannot be zoomed out to a pile of labels while a province's still shows it whole."""

_FADED_STYLE = {"color": "#9a9a9a", "weight": 1.0, "opacity": 0.7, "dashArray": "3 3",
                "fillColor": "#ffffff", "fillOpacity": 0.25}


def _check(metric: str, basemap: str) -> None:
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {METRICS}")
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {BASEMAPS}")


def _frame(
    districts_d: gpd.GeoDataFrame | None, *, basemap: str, lang: str, centre: tuple[float, float],
    roads: gpd.GeoDataFrame | None = None, avoid: Any = None,
) -> tuple[folium.Map, list[dict[str, Any]]]:
    """The empty map: page CSS, optional tiles, the districts and, on the schematic, the reference roads.

    Returns the map and the labels of the districts (and roads), for :class:`_Points`.
    """
    e = html.escape
    fmap = folium.Map(location=list(centre), zoom_start=15, tiles=None, zoom_snap=0.25, zoom_delta=0.5,
                      zoom_control=False)  # our own, titled in the map's language (_MapChrome)
    fmap.options.update(maxZoom=19)  # folium passes min/max zoom only to a tile layer; minZoom: _fit
    _Css(background=BACKGROUND if basemap == "none" else "#f2f2f2").add_to(fmap)
    spec = basemaps.tile_spec(basemap, packs=basemaps.installed_packs() if basemap in basemaps.PACK_OF else None)
    if spec is not None:
        folium.TileLayer(spec.url, attr=spec.attribution, name=t(spec.label_key, lang), max_zoom=19,
                         max_native_zoom=spec.max_native_zoom, min_native_zoom=spec.min_native_zoom,
                         subdomains=spec.subdomains, overlay=False).add_to(fmap)
    _MapChrome(lang=lang, notice=t("map.tiles_failed", lang) if spec is not None else None).add_to(fmap)

    labels: list[dict[str, Any]] = []
    if districts_d is None or districts_d.empty:
        return fmap, labels
    tiles = basemap != "none"
    feats = []
    for rec in districts_d.to_dict("records"):
        focus = bool(rec.get("is_focus"))
        feats.append({"type": "Feature", "properties": {"code": str(rec.get("code", "")), "focus": focus},
                      "geometry": _round_geojson(rec["geometry"].simplify(0.0002))})
        point = rec["geometry"].representative_point()
        name = zone_name({"name_zh": rec.get("name_zh"), "name_en": rec.get("name_en"), "zone_id": rec.get("code")}, lang)
        labels.append({"lat": round(point.y, 6), "lng": round(point.x, 6),
                       "cls": "nm-dlabel nm-focus" if focus else "nm-dlabel", "html": f"<span>{e(name)}</span>"})
    feats.sort(key=lambda f: f["properties"]["focus"])  # the focus district's outline on top of shared borders

    def district_style(feature: dict[str, Any]) -> dict[str, Any]:
        if feature["properties"]["focus"]:  # filled like the schematic's if the tiles fail (nm-fallback)
            return {"color": FOCUS_STROKE, "weight": 3.5, "fillColor": "#ffffff", "className": "nm-dfocus",
                    "fillOpacity": 0.0 if tiles else 0.85, "opacity": 0.95}
        return {"color": NEIGHBOUR_STROKE, "weight": 1.2, "fillColor": BACKGROUND,
                "fillOpacity": 0.0 if tiles else 0.4, "opacity": 0.8, "dashArray": "4 4"}

    folium.GeoJson({"type": "FeatureCollection", "features": feats}, style_function=district_style,
                   control=False, interactive=False).add_to(fmap)
    # on tiles the roads are drawn hidden, for the schematic the map falls back to when the tiles fail
    labels += _draw_roads(roads, lang=lang, avoid=avoid, hidden=tiles).add_to(fmap).labels
    return fmap, labels


class _Roads(folium.FeatureGroup):
    """The reference roads of the schematic: a casing and a light centre, not interactive."""

    def __init__(self, feats: list[dict[str, Any]], labels: list[dict[str, Any]], *, hidden: bool = False) -> None:
        super().__init__(name="roads", control=False)
        self.labels = labels
        if not feats:
            return
        collection = {"type": "FeatureCollection", "features": feats}
        cls = "nm-road nm-fb" if hidden else "nm-road"  # nm-fb: shown only when the tiles fail
        for colour, weight in ((ROAD_CASING, 8.0), (ROAD_FILL, 5.0)):
            folium.GeoJson(collection, style_function=lambda _f, c=colour, w=weight: {
                "color": c, "weight": w, "opacity": 1.0, "lineCap": "butt", "className": cls}, interactive=False,
                control=False).add_to(self)


def _draw_roads(roads: gpd.GeoDataFrame | None, *, lang: str, avoid: Any = None, hidden: bool = False) -> _Roads:
    """Roads (lines with ``name_zh, name_en``, in the map's datum) and a name label on each.

    The label goes to the point of the line farthest from ``avoid`` (the zones, a
    shapely geometry), so a road's name does not sit on a zone.

    Only the stretches whose course the evidence gives are in ``data/roads.geojson``;
    the label says they are approximate (``≈``), and so does the legend. ``hidden``: drawn
    for a tiled map, shown only if its tiles fail (:class:`_MapChrome`).
    """
    feats: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    if roads is None or roads.empty:
        return _Roads(feats, labels, hidden=hidden)
    for rec in roads.to_dict("records"):
        geom = rec["geometry"]
        if geom is None or geom.is_empty:
            continue
        feats.append({"type": "Feature", "properties": {}, "geometry": _round_geojson(geom)})
        spots = [geom.interpolate(f, normalized=True) for f in (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9)]
        mid = spots[0] if avoid is None or avoid.is_empty else max(spots, key=avoid.distance)
        name = zone_name({"name_zh": rec.get("name_zh"), "name_en": rec.get("name_en"), "zone_id": ""}, lang)
        labels.append({"lat": round(mid.y, 6), "lng": round(mid.x, 6), "cls": "nm-rlabel nm-fb" if hidden else "nm-rlabel",
                       "html": f"<span>{html.escape(t('map.road.label', lang, name=name))}</span>"})
    return _Roads(feats, labels, hidden=hidden)


def _fit(fmap: folium.Map, frame: gpd.GeoDataFrame) -> None:
    """Frame ``frame``'s zones, leaving room for the legend on the right."""
    if frame.empty:
        return
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    span = max(maxx - minx, maxy - miny, 1e-4)
    # ~2 zoom levels below the framing of a 900-px-wide map, minus ZOOM_OUT_LEVELS - 2
    fmap.options["minZoom"] = max(5, min(12, math.floor(math.log2(360.0 / span)) - (ZOOM_OUT_LEVELS - 2)))
    _Fit([[miny, minx], [maxy, maxx]], max_zoom=FIT_MAX_ZOOM).add_to(fmap)


@dataclass
class _Drawn:
    """The zones of one layer, ready for the browser."""

    feats: list[dict[str, Any]]
    styles: dict[str, dict[str, Any]]
    labels: list[dict[str, Any]]
    tops: dict[str, tuple[float, float]]  # north edge (lat) and middle (lng) of each zone's bbox, for events
    names: dict[str, str]
    any_missing: bool
    any_unverified: bool = False


def _top_zones(ids: Sequence[str], by_zone: Mapping[str, Mapping[str, Any]], n: int) -> set[str]:
    """The ``n`` zones among ``ids`` with the highest values."""
    ranked = sorted(((v, z) for z in ids if (v := to_number(by_zone.get(z, {}).get("value"))) is not None),
                    reverse=True)
    return {z for _, z in ranked[:n]}


def _draw_zones(
    zones_d: gpd.GeoDataFrame,
    *,
    by_zone: Mapping[str, Mapping[str, Any]],
    scale: ColourScale,
    metric: str,
    lang: str,
    selected: str | None,
    short_tips: bool,
    simplify: bool,
    dots: bool = False,
    labelled: set[str] | None = None,
    faded: set[str] = frozenset(),  # type: ignore[assignment]
) -> _Drawn:
    """Features, styles and labels for ``zones_d``.

    ``labelled=None`` labels every zone not ``faded``; ``dots`` draws each zone as a
    point (its representative point) instead of its outline.
    """
    e = html.escape
    metric_label = t(f"metric.{metric}", lang)  # a change names its measure (消费额较基线变化)
    out = _Drawn([], {}, [], {}, {}, False)
    for rec in zones_d.to_dict("records"):
        zid = str(rec["zone_id"])
        name = out.names[zid] = zone_name(rec, lang)
        kind = "complex" if rec.get("kind") == "complex" else "street"
        geom = rec["geometry"]
        point = geom.representative_point()
        w, s_, e_, n = geom.bounds
        out.tops[zid] = (n, (w + e_) / 2)
        is_sel = selected is not None and zid == str(selected)
        warning = unverified_text(rec.get("location_confidence"), lang)
        unverified = warning is not None
        out.any_unverified |= unverified and zid not in faded
        unv_tip = f'<span class="nm-unv">{e(warning or "")}</span>'
        if zid in faded:
            out.styles[zid] = dict(_FADED_STYLE)
            if is_sel:  # picked while outside the zone filter: the selection outline still shows where it is
                out.styles[zid].update({"color": SELECTED_STROKE, "weight": 6, "opacity": 1.0})
                del out.styles[zid]["dashArray"]
            tip = f"<b>{e(name)}</b><br>{e(t('map.tooltip.filtered_out', lang))}" + (f"<br>{unv_tip}" if unverified else "")
        else:
            row = by_zone.get(zid, {})
            value = to_number(row.get("value"))
            out.any_missing |= value is None
            if is_sel:
                style = {"color": SELECTED_STROKE, "weight": 6, "opacity": 1.0}
            elif kind == "complex":
                style = {"color": COMPLEX_STROKE, "weight": 3.5 if not dots else 2.5, "opacity": 1.0}
            else:
                style = {"color": STREET_STROKE, "weight": 1.2, "opacity": 0.9}
            if unverified and not is_sel:  # drawn so that nobody takes a guessed place for a surveyed one
                style.update({"color": COMPLEX_STROKE if kind == "complex" else UNVERIFIED_STROKE,
                              "weight": max(style["weight"], 2.2), "dashArray": UNVERIFIED_DASH})
            style.update({"fillColor": scale.colour(value), "fillOpacity": 0.92 if value is not None else 0.7})
            if dots:
                style["fill"] = True
            out.styles[zid] = style
            if short_tips:
                shown = format_value(value, metric, lang) if value is not None else t("map.tooltip.no_data", lang)
                tip = f"<b>{e(name)}</b> {e(shown)}" + (
                    f' <span class="nm-unv">{e(t("map.tooltip.unverified_short", lang))}</span>' if unverified else "")
            else:
                lines = [f'<b>{e(name)}</b> <span class="nm-kind">{e(t(f"kind.{kind}", lang))}</span>']
                if value is None:
                    lines.append(e(t("map.tooltip.value", lang, label=metric_label, value=t("map.tooltip.no_data", lang))))
                else:
                    lines.append(e(t("map.tooltip.value", lang, label=metric_label,
                                     value=format_value(value, metric, lang))))
                    pct, base = to_number(row.get("uplift_pct")), to_number(row.get("baseline"))
                    if not is_change(metric) and (pct is not None or base is not None):
                        lines.append(e(t("map.tooltip.vs_baseline", lang, pct=i18n.fmt_pct(pct, lang),
                                         baseline=format_value(base, metric, lang))))
                if unverified:
                    lines.append(unv_tip)
                tip = "<br>".join(lines)
        if dots:
            geometry: dict[str, Any] = {"type": "Point", "coordinates": [round(point.x, 5), round(point.y, 5)]}
        elif simplify:
            geometry = _round_geojson(geom.simplify(0.00001), decimals=5)
        else:
            geometry = _round_geojson(geom)
        props = {"zone_id": zid, "tip": tip, "verified": not unverified}
        out.feats.append({"type": "Feature", "properties": props, "geometry": geometry})
        if not is_sel and (zid in faded or (labelled is not None and zid not in labelled)):
            continue
        bbox = ",".join(f"{v:.6f}" for v in (s_, w, n, e_))
        complex_mark = ' data-k="c"' if kind == "complex" else ""  # complexes are labelled first
        out.labels.append({
            "lat": round(point.y, 6),
            "lng": round(point.x, 6),
            "cls": ("nm-label nm-selected" if is_sel else "nm-label") + (" nm-en" if lang == "en" else ""),
            "html": (f'<span data-b="{bbox}" data-a="{point.y:.6f},{point.x:.6f}"{complex_mark}>'
                     f"{e(map_label(name, lang))}</span>"),
        })
    # faded zones first, the selected zone last, so the outlines that matter are drawn on top
    out.feats.sort(key=lambda f: (f["properties"]["zone_id"] == str(selected), f["properties"]["zone_id"] not in faded))
    return out


def _zones_geojson(drawn: _Drawn, *, dots: bool, name: str = "zones") -> folium.GeoJson:
    """One GeoJSON layer for the drawn zones, styled per zone, with sticky tooltips."""
    styles = drawn.styles

    def zone_style(feature: dict[str, Any]) -> dict[str, Any]:
        return styles[feature["properties"]["zone_id"]]

    def zone_highlight(feature: dict[str, Any]) -> dict[str, Any]:
        return {"weight": styles[feature["properties"]["zone_id"]]["weight"] + 2.5, "fillOpacity": 1.0}

    return folium.GeoJson(
        {"type": "FeatureCollection", "features": drawn.feats},
        name=name,
        style_function=zone_style,
        highlight_function=zone_highlight,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, class_name="nm-tip", sticky=True),
        marker=folium.CircleMarker(radius=7) if dots else None,
        control=False,
    )


def _event_items(events: pd.DataFrame | None, *, drawn: _Drawn, lang: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Event markers above the drawn zones and the categories shown.

    One marker per category per zone (eat, shop, play: at most three), with the
    number of events when more than one, so a fortnight of events does not bury
    the zones. Its tooltip lists the first :data:`EVENTS_IN_TOOLTIP` events, in
    time order, with their times, and how many more there are.
    """
    e = html.escape
    items: list[dict[str, Any]] = []
    cats: list[str] = []
    if events is None or len(events) == 0:
        return items, cats
    ev = events.copy()
    ev["_zid"] = ev["zone_id"].astype(str)
    ev["_cat"] = ev["category"].astype(str) if "category" in ev.columns else ""
    if "start" in ev.columns:
        ev = ev.sort_values("start", kind="stable")
    order = {c: i for i, c in enumerate(CATEGORIES)}
    for zid, zone_df in ev.groupby("_zid", sort=False):
        if zid not in drawn.tops:
            continue
        groups = sorted(zone_df.groupby("_cat", sort=False), key=lambda g: order.get(g[0], len(order)))
        n = len(groups)
        lat, lng = drawn.tops[zid]
        for i, (cat, cat_df) in enumerate(groups):
            colour = CATEGORY_COLOURS.get(cat, "#555555")
            if cat in CATEGORIES and cat not in cats:
                cats.append(cat)
            short = t(f"map.cat.{cat}.short", lang) if cat in CATEGORIES else "•"
            recs = cat_df.to_dict("records")
            tip = []
            if len(recs) > 1:
                tip.append(f"<b>{e(t('map.tooltip.events_in_cat', lang, cat=_label_key(f'cat.{cat}', lang, cat), zone=drawn.names[zid], n=len(recs)))}</b>")
            for rec in recs[:EVENTS_IN_TOOLTIP]:
                title = rec.get("title_en" if lang == "en" else "title_zh") or rec.get("title_zh") or rec.get("title_en") or ""
                kind = str(rec.get("kind", "") or "")
                when = i18n.fmt_when(rec.get("start"), rec.get("end"), lang)
                if len(recs) == 1:
                    sub = " · ".join(x for x in (_label_key(f"event.kind.{kind}", lang, kind),
                                                 _label_key(f"cat.{cat}", lang, cat), drawn.names[zid]) if x)
                    tip += [f"<b>{e(str(title))}</b>", e(sub)] + ([e(when)] if when else [])
                else:
                    tip.append(e(f"{when} {title}".strip()))
            if len(recs) > EVENTS_IN_TOOLTIP:
                tip.append(e(t("map.tooltip.events_more", lang, n=len(recs) - EVENTS_IN_TOOLTIP)))
            text = short if len(recs) == 1 else f"{short}{len(recs)}"
            dx = (i - (n - 1) / 2) * 30
            items.append({
                "lat": round(lat, 6),
                "lng": round(lng, 6),
                "cls": "nm-evt",
                "html": (f'<b data-ll="{lat:.6f},{lng:.6f}" data-off="{dx:.0f},-15" '
                         f'style="left:{dx:.0f}px;top:-15px;background:{colour}">{e(text)}</b>'),
                "tip": "<br>".join(tip),
            })
    return items, cats


def _heat_group(heat: pd.DataFrame | None, zones_d: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup | None:
    """The switchable visitor heat layer (hidden at first), or ``None`` with nothing to show."""
    if heat is None or len(heat) == 0:
        return None
    points = {str(z): (g.representative_point().y, g.representative_point().x)
              for z, g in zip(zones_d["zone_id"], zones_d.geometry, strict=True)}
    weights = []
    for rec in heat.to_dict("records"):
        zid, v = str(rec.get("zone_id")), to_number(rec.get("visitors"))
        if zid in points and v is not None and v > 0:
            weights.append((points[zid], v))
    if not weights:
        return None
    top = max(w for _, w in weights)
    group = folium.FeatureGroup(name=html.escape(t("map.layer.heat", lang)), show=True)
    folium.plugins.HeatMap([[round(lat, 6), round(lng, 6), round(w / top, 4)] for (lat, lng), w in weights],
                           radius=55, blur=35, min_opacity=0.45, max_zoom=10,  # full strength from zoom 10
                           gradient={str(k): v for k, v in HEAT_GRADIENT.items()}).add_to(group)
    return group


def _event_categories(events: pd.DataFrame | None) -> list[str]:
    if events is None or len(events) == 0 or "category" not in events.columns:
        return []
    present = set(events["category"].astype(str))
    return [c for c in CATEGORIES if c in present]


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
    :func:`build_base_map` and :func:`zones_layer` instead, which send only the
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
        Each zone feature carries ``properties.zone_id`` (see :func:`zone_at`).

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

    The zones come separately from :func:`zones_layer`, for the part of the map in
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


def _shown(zones_d: gpd.GeoDataFrame, only: Collection[str] | None) -> gpd.GeoDataFrame:
    if only is None:
        return zones_d
    keep = {str(z) for z in only}
    return zones_d[zones_d["zone_id"].astype(str).isin(keep)]


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


# --------------------------------------------------------------------------- clicks


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
