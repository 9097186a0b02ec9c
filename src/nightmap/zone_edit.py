"""Correcting zone positions: the drawing map, GeoJSON and coordinate input, checks before saving.

Officials redraw a zone on a folium map. folium's ``Draw`` plugin needs the
leaflet.draw JavaScript and CSS, which no installed pip package ships (and
the app may not load them from a CDN), so this module brings its own small
polygon tool, :class:`DrawPolygon`, written inline into the map's HTML — no
file, no network:

* "开始绘制 / Draw" starts; each click on the map adds a vertex (a dashed
  line shows the outline so far); "撤销 / Undo" removes the last vertex;
* a double-click, or "完成 / Finish", closes the polygon (three vertices at
  least); "取消 / Cancel" throws the drawing away;
* on finishing, the tool fires Leaflet's standard ``draw:created`` event with
  the polygon layer — the event streamlit-folium already listens to — so
  ``st_folium(..., returned_objects=["last_active_drawing"])`` returns the
  drawn polygon as a GeoJSON Feature, exactly as with leaflet.draw.

The drawn polygon is in the basemap's datum; :func:`geometry_from_drawing`
brings it back to WGS-84 (from GCJ-02 for the AMap basemap). Shapes can also
come from an uploaded GeoJSON file (:func:`read_geojson`) or typed
coordinates (:func:`geometry_from_text`). :func:`shape_problems` tells what is
wrong before anything is saved; :meth:`nightmap.store.Store.update_zone`
checks again and writes.

Every name that reaches the map HTML is escaped with :func:`html.escape`;
:func:`nightmap.i18n.md_escape` makes user text safe for Streamlit Markdown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from nightmap import assets, basemaps, geo
from nightmap.basemaps import BASEMAPS
from nightmap.errors import Problem, ValidationError
from nightmap.i18n import t

MAX_GEOJSON_MB = 5.0
"""A zone outline is a few kilobytes; anything larger is not a zone file."""

SELECTED_COLOUR = "#0057ff"
DRAW_COLOUR = "#e03131"




class DrawPolygon(MacroElement):
    """A minimal offline polygon-drawing control; fires ``draw:created`` like leaflet.draw.

    Parameters
    ----------
    lang
        Language of the buttons and hints.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.js }}
        nmMap.drawPolygon({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, *, lang: str = "zh") -> None:
        super().__init__()
        self._name = "DrawPolygon"
        self.colour = DRAW_COLOUR
        keys = ("start", "start_help", "finish", "finish_help", "undo", "cancel", "hint_idle", "hint_drawing",
                "hint_done", "need3")
        self.texts = {k: t(f"data.draw.{k}", lang) for k in keys}
        self.options = {"texts": self.texts, "colour": self.colour,
                        "zoomInTitle": t("map.zoom_in", lang), "zoomOutTitle": t("map.zoom_out", lang)}
        self.js = assets.own_text("js/draw.js")  # static/js/draw.js, inlined; its CSS comes with _LabelCss


def _to_datum(frame: gpd.GeoDataFrame, basemap: str) -> gpd.GeoDataFrame:
    return geo.frame_to_gcj02(frame) if basemaps.is_gcj02(basemap) and not frame.empty else frame


def _zone_name(row: Mapping[str, Any], lang: str) -> str:
    key = "name_en" if lang == "en" else "name_zh"
    return str(row.get(key) or row.get("name_zh") or row.get("zone_id") or "")


def edit_map(
    *,
    zones: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    zone_id: str,
    lang: str = "zh",
    basemap: str = "none",
    preview: BaseGeometry | None = None,
) -> folium.Map:
    """The map for redrawing one zone: 解放区, every zone faint, the chosen zone outlined, the draw tool.

    Parameters
    ----------
    zones
        The zones, WGS-84 (:func:`nightmap.geo.zones_from_table`).
    districts
        District boundaries, WGS-84 (:func:`nightmap.geo.load_districts`), or None.
    zone_id
        The zone being edited; the map is centred on it.
    lang
        Language of labels and the tool.
    basemap
        ``"none"`` (offline schematic), ``"amap"`` (GCJ-02 tiles) or ``"osm"``; drawings on
        ``"amap"`` come back in GCJ-02 (see :func:`geometry_from_drawing`).
    preview
        A proposed new outline (WGS-84) to show dashed, e.g. from an uploaded file.

    Notes
    -----
    Call :func:`nightmap.assets.use_local_assets` first so the map loads Leaflet locally.
    No layer is interactive: every click on the map reaches the draw tool.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {BASEMAPS}")
    e = html.escape
    zones_d = _to_datum(zones, basemap)
    chosen = zones_d[zones_d["zone_id"] == zone_id]
    focus = chosen if not chosen.empty else zones_d
    minx, miny, maxx, maxy = (float(v) for v in focus.total_bounds)
    fmap = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=17, tiles=None,
                      zoom_snap=0.25, zoom_delta=0.5, max_zoom=20, min_zoom=11,
                      zoom_control=False)  # draw.js adds one titled in the page's language
    spec = basemaps.tile_spec(basemap, packs=basemaps.installed_packs() if basemap in basemaps.PACK_OF else None)
    if spec is not None:  # an offline pack draws real streets to trace, with no internet
        folium.TileLayer(spec.url, attr=spec.attribution, max_zoom=20, max_native_zoom=spec.max_native_zoom,
                         min_native_zoom=spec.min_native_zoom, subdomains=spec.subdomains).add_to(fmap)
    if districts is not None and not districts.empty:
        dist = _to_datum(districts, basemap)
        feats = [{"type": "Feature", "properties": {"focus": bool(r["is_focus"])},
                  "geometry": mapping(r["geometry"].simplify(0.0001))} for r in dist.to_dict("records")]
        folium.GeoJson(
            {"type": "FeatureCollection", "features": feats}, interactive=False, control=False,
            style_function=lambda f: {"color": "#2e3450" if f["properties"]["focus"] else "#a39d90",
                                      "weight": 3 if f["properties"]["focus"] else 1, "fill": False,
                                      "dashArray": None if f["properties"]["focus"] else "4 4"},
        ).add_to(fmap)
    feats = []
    for rec in zones_d.to_dict("records"):
        feats.append({"type": "Feature", "properties": {"sel": rec["zone_id"] == zone_id},
                      "geometry": mapping(rec["geometry"])})
        point = rec["geometry"].representative_point()
        cls = "nm-elabel nm-sel" if rec["zone_id"] == zone_id else "nm-elabel"
        folium.Marker(
            [point.y, point.x], interactive=False,
            icon=folium.DivIcon(html=f'<div class="{cls}"><span>{e(_zone_name(rec, lang))}</span></div>',
                                icon_size=(0, 0)),
        ).add_to(fmap)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": feats}, interactive=False, control=False,
        style_function=lambda f: {"color": SELECTED_COLOUR if f["properties"]["sel"] else "#5c5c5c",
                                  "weight": 4 if f["properties"]["sel"] else 1.2,
                                  "fillColor": SELECTED_COLOUR if f["properties"]["sel"] else "#c8c8c8",
                                  "fillOpacity": 0.25 if f["properties"]["sel"] else 0.3},
    ).add_to(fmap)
    if preview is not None:
        shown = geo.geometry_to_gcj02(preview) if basemaps.is_gcj02(basemap) else preview
        folium.GeoJson(mapping(shown), interactive=False, control=False,
                       style_function=lambda f: {"color": DRAW_COLOUR, "weight": 3, "dashArray": "6 4",
                                                 "fillOpacity": 0.1}).add_to(fmap)
    _LabelCss().add_to(fmap)
    DrawPolygon(lang=lang).add_to(fmap)
    if not chosen.empty:
        pad = 0.0015
        fmap.fit_bounds([[miny - pad, minx - pad], [maxy + pad, maxx + pad]])
    return fmap


class _LabelCss(MacroElement):
    """The editing map's background, font and zone labels (``static/css/draw.css``)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self.css = assets.own_text("css/draw.css")


# --------------------------------------------------------------------------- shapes in


def _problem(source: str, key: str, *, row: int = 0, value: str = "", **kwargs: object) -> ValidationError:
    """One problem with an outline, its reason the message ``key`` in both languages."""
    return ValidationError([Problem.of(source, row, "geometry", value, key, **kwargs)])


def geometry_from_object(obj: Any, *, source: str = "GeoJSON", zone_id: str | None = None) -> BaseGeometry:
    """A shapely geometry from a parsed GeoJSON geometry, Feature or FeatureCollection.

    A FeatureCollection must hold one feature, or one whose ``properties.zone_id`` is ``zone_id``.

    Raises
    ------
    ValidationError
        When the object is not GeoJSON or holds no single shape.
    """
    if not isinstance(obj, Mapping):
        raise _problem(source, "data.shape.not_geojson")
    if obj.get("type") == "FeatureCollection":
        features = [f for f in obj.get("features") or [] if isinstance(f, Mapping)]
        if zone_id is not None:
            named = [f for f in features if (f.get("properties") or {}).get("zone_id") == zone_id]
            features = named or features
        if len(features) != 1:
            raise _problem(source, "data.shape.many_features", n=len(features))
        obj = features[0]
    if obj.get("type") == "Feature":
        obj = obj.get("geometry")
        if not isinstance(obj, Mapping):
            raise _problem(source, "data.shape.no_geometry")
    try:
        return shape(obj)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise _problem(source, "data.shape.unreadable", why=exc) from exc


def read_geojson(data: bytes, *, file_name: str, zone_id: str | None = None) -> BaseGeometry:
    """A zone outline (WGS-84) from an uploaded ``.geojson``/``.json`` file; nothing is executed.

    Raises
    ------
    ValidationError
        For a file that is too large, not UTF-8 JSON, or not a single shape.
    """
    from nightmap.templates import check_upload_size

    if not file_name.lower().endswith((".geojson", ".json")):
        raise _problem(file_name, "data.shape.file_type")
    check_upload_size(len(data), file_name=file_name, limit_mb=MAX_GEOJSON_MB)
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _problem(file_name, "data.shape.bad_json", why=exc) from exc
    return geometry_from_object(obj, source=file_name, zone_id=zone_id)


def geometry_from_text(text: str, *, source: str = "coordinates") -> BaseGeometry:
    """A polygon from typed text: GeoJSON, or one ``lon, lat`` pair per line (WGS-84).

    Raises
    ------
    ValidationError
        When the text is neither.
    """
    body = (text or "").strip()
    if body.startswith("{"):
        try:
            return geometry_from_object(json.loads(body), source=source)
        except ValueError as exc:
            if isinstance(exc, ValidationError):
                raise
            raise _problem(source, "data.shape.bad_json", why=exc) from exc
    points = []
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p for p in re.split(r"[\s,，;；]+", line.strip()) if p]
        try:
            lon, lat = (float(p) for p in parts)
        except ValueError:
            raise _problem(source, "data.shape.lon_lat", row=number, value=line.strip()[:40]) from None
        points.append((lon, lat))
    if len(points) < 3:
        raise _problem(source, "data.shape.three_vertices")
    return Polygon(points)


def geometry_from_drawing(drawing: Mapping[str, Any] | None, *, basemap: str = "none") -> BaseGeometry | None:
    """The drawn polygon from ``st_folium``'s ``last_active_drawing``, in WGS-84 (None when nothing was drawn)."""
    if not drawing:
        return None
    geom = geometry_from_object(drawing, source="drawing")
    return geo.geometry_to_wgs84(geom) if basemaps.is_gcj02(basemap) else geom


def coordinates_text(geom: BaseGeometry) -> str:
    """A polygon's outer ring as ``lon, lat`` lines (7 decimals, ~1 cm), for editing in a text box."""
    poly = max(geom.geoms, key=lambda g: g.area) if geom.geom_type == "MultiPolygon" else geom
    coords = list(poly.exterior.coords)
    if len(coords) > 1 and coords[0] == coords[-1]:
        coords = coords[:-1]
    return "\n".join(f"{x:.7f}, {y:.7f}" for x, y in coords)


def shape_problems(geom: BaseGeometry | None, district: BaseGeometry | None, *, source: str) -> list[Problem]:
    """What is wrong with a proposed outline (empty list when it can be saved), as problems."""
    out = []
    for text in geo.zone_problems(geom, district):
        zh, _, en = text.partition("/ ")
        out.append(Problem(source, 0, "geometry", "", zh.strip(), (en or zh).strip()))
    return out
