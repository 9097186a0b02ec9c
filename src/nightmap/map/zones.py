"""The zones as the browser gets them: outline or dot, fill, stroke, tooltip and label of each zone.

:func:`_draw_zones` turns a frame of zones (in the map's datum) into GeoJSON
features, one style per zone, tooltips and label items (:class:`_Drawn`);
:func:`_zones_geojson` makes them one folium layer. Used by the whole map
(:mod:`nightmap.map.build`) and by the layer of zones in view
(:mod:`nightmap.map.inview`). Also here: the checks and helpers both share
(:func:`_check`, :func:`_shown`, :func:`_to_datum`, :func:`_values_by_zone`,
:func:`_round_geojson`).
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from nightmap import basemaps, i18n
from nightmap.basemaps import BASEMAPS
from nightmap.i18n import t
from nightmap.map.style import (
    COMPLEX_STROKE,
    SELECTED_STROKE,
    STREET_STROKE,
    UNVERIFIED_DASH,
    UNVERIFIED_STROKE,
    ColourScale,
    format_value,
    to_number,
)
from nightmap.map.text import map_label, unverified_text, zone_name
from nightmap.metrics import METRICS, is_change

LABELLED_ZONES = 15
"""Zones labelled permanently on a large map (highest values first)."""

_COORD_DECIMALS = 6  # ~0.1 m; keeps the embedded GeoJSON small

_FADED_STYLE = {"color": "#9a9a9a", "weight": 1.0, "opacity": 0.7, "dashArray": "3 3",
                "fillColor": "#ffffff", "fillOpacity": 0.25}


def _check(metric: str, basemap: str) -> None:
    """Raise :class:`ValueError` for an unknown ``metric`` or ``basemap``."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {METRICS}")
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {BASEMAPS}")


def _shown(zones_d: gpd.GeoDataFrame, only: Collection[str] | None) -> gpd.GeoDataFrame:
    """The rows of ``zones_d`` in the zone filter ``only`` (all for ``None``)."""
    if only is None:
        return zones_d
    keep = {str(z) for z in only}
    return zones_d[zones_d["zone_id"].astype(str).isin(keep)]


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
