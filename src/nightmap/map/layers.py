"""The map's layers besides the zones: districts, reference roads, event markers, the heat layer.

Each function turns a frame (in the map's datum, see :func:`nightmap.map.zones._to_datum`)
into a folium layer and, where names go on the map, label items for
:class:`nightmap.map.elements._Points`:

* :func:`_draw_districts`: the focus district and its neighbours, with their names;
* :func:`_draw_roads`: the schematic's reference roads (:class:`_Roads`), each named;
* :func:`_event_items`: one marker per event category per zone, above the zone;
* :func:`_heat_group`: the switchable visitor heat layer.

A new layer goes here; :mod:`nightmap.map.build` adds it to the map (and the
legend, :func:`nightmap.map.text._legend_html`, explains it).
"""

from __future__ import annotations

import html
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd

from nightmap import i18n
from nightmap.i18n import t
from nightmap.map.style import (
    BACKGROUND,
    CATEGORY_COLOURS,
    FOCUS_STROKE,
    HEAT_GRADIENT,
    NEIGHBOUR_STROKE,
    ROAD_CASING,
    ROAD_FILL,
    to_number,
)
from nightmap.map.text import _label_key, zone_name
from nightmap.map.zones import _Drawn, _round_geojson
from nightmap.schema import CATEGORIES

EVENTS_IN_TOOLTIP = 5
"""Events listed in an event marker's tooltip (one marker per category per zone); the rest are counted."""


def _draw_districts(
    districts_d: gpd.GeoDataFrame, *, lang: str, tiles: bool,
) -> tuple[folium.GeoJson, list[dict[str, Any]]]:
    """The districts' outlines (one GeoJSON layer, not interactive) and a name label on each.

    The focus district (``is_focus``) is outlined in dark ink, its neighbours faint
    and dashed. On tiles (``tiles``) they are not filled, except the focus
    district's fill that shows when the tiles fail (``nm-dfocus``, ``nm-fallback``).
    Returns the layer and the labels, for :class:`nightmap.map.elements._Points`.
    """
    e = html.escape
    labels: list[dict[str, Any]] = []
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

    layer = folium.GeoJson({"type": "FeatureCollection", "features": feats}, style_function=district_style,
                           control=False, interactive=False)
    return layer, labels


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
    for a tiled map, shown only if its tiles fail (:class:`nightmap.map.elements._MapChrome`).
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
    """The event categories present in ``events``, in :data:`CATEGORIES` order (for the legend)."""
    if events is None or len(events) == 0 or "category" not in events.columns:
        return []
    present = set(events["category"].astype(str))
    return [c for c in CATEGORIES if c in present]
