"""The map's own branca elements: each inlines or calls a real JavaScript / CSS file of ``static/``.

No JavaScript function is written here. The behaviour lives in ``nightmap/static/js/*.js``
(each a small library on ``window.nmMap``) and the look in ``static/css/map.css``;
an element's Jinja template only *calls* a library function with JSON-encoded
arguments (``{{ this.x|tojson }}``).

* :class:`_Scripts` inlines every map script (:data:`MAP_SCRIPTS`, after
  ``labels.js``, shared with the presenter) once per map document: it is the
  map's first child, so its code runs before any element calls it, and the map's
  HTML carries all it needs (a saved copy opens with no server).
* :class:`_Css` inlines ``css/map.css`` into the page header.
* :class:`_Legend` (``legend.js``), :class:`_Fit` (``fit.js``),
  :class:`_MapChrome` (``chrome.js`` + ``tiles_fallback.js``), :class:`_Points`
  (``points.js``) and :class:`_LabelLayout` (``label_layout.js``) call them.

The zones of a layer sent on its own (Streamlit-folium's ``feature_group_to_add``,
:func:`nightmap.map.inview.zones_layer`) call ``nmMap.points`` defined by the
base map's :class:`_Scripts`.

Importing this module also makes branca share one compiled Jinja template per
distinct source (:func:`_compiled_template`).
"""

from __future__ import annotations

import functools
from typing import Any

import branca.element
from branca.element import MacroElement
from jinja2 import Template

from nightmap import assets
from nightmap.i18n import t


@functools.lru_cache(maxsize=1024)
def _compiled_template(source: str) -> Template:
    return Template(source)


# branca compiles a new Jinja template for every Element made from a string, and folium makes
# several on every render (header tags, CSS); compiling dominated the render time. A compiled
# template is immutable, so one per distinct source is shared.
branca.element.Template = _compiled_template  # type: ignore[assignment]


MAP_SCRIPTS: tuple[str, ...] = (
    "js/labels.js", "js/points.js", "js/legend.js", "js/fit.js", "js/tiles_fallback.js", "js/chrome.js",
    "js/label_layout.js",
)
"""The files under ``static/`` that :class:`_Scripts` inlines into every map, in this order."""

MAP_CSS = "css/map.css"
"""The map's style sheet under ``static/``, inlined by :class:`_Css`."""


@functools.lru_cache(maxsize=1)
def label_script() -> str:
    """The label placement script shared with the presenter (``static/js/labels.js``)."""
    return assets.own_text("js/labels.js")


def _without_header(source: str) -> str:
    """A script or style sheet without its leading ``/* … */`` comment (the file's documentation)."""
    text = source.lstrip()
    if text.startswith("/*") and "*/" in text:
        text = text[text.index("*/") + 2:].lstrip("\n")
    return text


@functools.lru_cache(maxsize=1)
def map_script() -> str:
    """Every map script of :data:`MAP_SCRIPTS`, joined without their header comments, for inlining once."""
    return "\n".join(_without_header(label_script() if rel == "js/labels.js" else assets.own_text(rel))
                     for rel in MAP_SCRIPTS)


@functools.lru_cache(maxsize=1)
def map_css() -> str:
    """The map's CSS (``static/css/map.css``)."""
    return _without_header(assets.own_text(MAP_CSS))


class _Scripts(MacroElement):
    """The map's JavaScript libraries (:func:`map_script`), inlined once; add it to the map first."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.lib }}
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "NightmapScripts"
        self.lib = map_script()


class _Css(MacroElement):
    """Page CSS (``static/css/map.css``): CJK font, schematic background, labels, legend, tooltips."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        {{ this.css }}
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "NightmapCss"
        self.css = map_css()


class _Legend(MacroElement):
    """A Leaflet control holding the legend's HTML (already escaped by the caller): ``nmMap.legend``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        nmMap.legend({{ this._parent.get_name() }}, {position: {{ this.position|tojson }},
            html: {{ this.html|tojson }}, compactBelow: {{ this.compact_below|tojson }}});
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

    ``nmMap.fit`` (``static/js/fit.js``): the room kept on the right is the legend's
    width (at most 45% of the map's), so a narrow map (beside a zone's detail) is
    framed as well as a wide one. Streamlit often sizes the map's frame after
    drawing it; while nobody has moved the map since it was framed, a resize frames
    it again. Once the map is moved (by the user, or put back where the user was by
    the page) it is left alone, except that the selected zone is kept in sight,
    clear of the legend, when the map is resized (the detail opening beside it) or
    a newly selected zone arrives.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        nmMap.fit({{ this._parent.get_name() }}, {bounds: {{ this.bounds|tojson }}, maxZoom: {{ this.max_zoom|tojson }}});
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

    ``nmMap.chrome`` (``static/js/chrome.js``) and ``nmMap.tilesFallback``
    (``tiles_fallback.js``): with a tile layer, the browser counts tiles loaded and
    failed (Leaflet ``tileerror``); when several fail and none loads, or none has
    loaded after :attr:`wait_ms`, the tiles are hidden, the schematic shows instead
    (its background, the focus district's fill, the reference roads drawn for it)
    and a notice on the map says so (``notice``). ``tiled``: the map is not the
    schematic (its light grey background until tiles load).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        nmMap.chrome({{ this._parent.get_name() }}, {zoomInTitle: {{ this.zoom_in|tojson }},
            zoomOutTitle: {{ this.zoom_out|tojson }}, tiled: {{ this.tiled|tojson }},
            notice: {{ this.notice|tojson }}, waitMs: {{ this.wait_ms|tojson }}});
        {% endmacro %}
        """
    )

    def __init__(self, *, lang: str, notice: str | None, tiled: bool, wait_ms: int = 10_000) -> None:
        super().__init__()
        self._name = "NightmapChrome"
        self.zoom_in = t("map.zoom_in", lang)
        self.zoom_out = t("map.zoom_out", lang)
        self.notice = notice or ""
        self.tiled = tiled
        self.wait_ms = wait_ms


class _Points(MacroElement):
    """Many small DivIcon markers from one embedded list (far smaller than one folium Marker each).

    ``nmMap.points`` (``static/js/points.js``). Each item: ``lat``, ``lng``, ``cls``
    (CSS class of the icon), ``html`` (icon HTML, escaped), optional ``tip``
    (tooltip HTML, escaped) and ``zone`` (the zone's id, for label layout). Markers
    without a tooltip are not interactive, so clicks go through to the zone below.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        nmMap.points({{ this._parent.get_name() }}, {{ this.items|tojson }});
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
    After every zoom, ``nmMap.labelLayout`` (``static/js/label_layout.js``) has the
    labels placed by ``static/js/labels.js`` (the same code places the presenter's
    labels): one by one (the selected zone's first, then complexes', then the
    smallest zones'), at the cheapest spot around their zone, never over another
    label; zones, event dots, controls and road and district names are kept clear
    where possible. A label set apart from its zone, or as near to another zone,
    gets a leader line to its zone. When no spot is free and the map is zoomed
    out below ``hide_below``, the label is hidden.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        nmMap.labelLayout({{ this._parent.get_name() }}, {hideBelow: {{ this.hide_below|tojson }}});
        {% endmacro %}
        """
    )

    def __init__(self, *, hide_below: float) -> None:
        super().__init__()
        self._name = "NightmapLabelLayout"
        self.hide_below = hide_below
