"""What the browser player is given: :func:`player_data` and its helpers.

:func:`player_data` turns a run from :func:`nightmap.playback.numbers.frames`
into plain JSON-able data formatted for one language and one metric: each
frame's zone colours and values, the big numbers and the events, the legend,
the player's own texts, and the zones, districts and roads as GeoJSON
feature collections. Texts are plain: the player sets them with
``textContent`` (see :mod:`nightmap.playback.page` for how the data is
embedded safely).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import geopandas as gpd

import nightmap.map as nmap
from nightmap import i18n, metrics
from nightmap.i18n import t
from nightmap.playback.numbers import frame_label, scale_of
from nightmap.schema import is_verified

SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
FRAME_MS = 1800
"""Milliseconds per frame at speed 1×."""


def _feature_collection(frame: gpd.GeoDataFrame, props: list[dict[str, Any]]) -> dict[str, Any]:
    import shapely

    feats = []
    for geom, p in zip(frame.geometry, props, strict=True):
        g = shapely.set_precision(geom, 1e-6)
        feats.append({"type": "Feature", "properties": p, "geometry": shapely.geometry.mapping(g)})
    return {"type": "FeatureCollection", "features": feats}





def _texts(lang: str, mode: str) -> dict[str, str]:
    keys = ("play", "pause", "prev", "next", "first", "last", "speed", "fullscreen", "slider", "keys",
            "no_events", "scale_fixed", "zone_no_data")
    out = {k: t(f"presenter.{k}", lang) for k in keys}
    out["events"] = t("presenter.events_hour" if mode == "hours" else "presenter.events_night", lang)
    out["no_data"] = t("map.legend.no_data", lang)
    out["more"] = t("map.tooltip.events_more", lang, n="{n}")
    return out


def _event_view(ev: Mapping[str, Any], zone_names: Mapping[str, str], lang: str) -> dict[str, Any]:
    title = (ev.get("title_en") if lang == "en" else ev.get("title_zh")) or ev.get("title_zh") or ev.get("title_en") or ""
    kind, cat = ev.get("kind", ""), ev.get("category", "")
    kind_text = t(f"event.kind.{kind}", lang) if i18n.has(f"event.kind.{kind}") else kind
    when = i18n.fmt_when(ev.get("start"), ev.get("end"), lang, date=False)
    return {
        "id": ev["id"],
        "zone": ev["zone_id"],
        "title": title,
        "meta": " · ".join(x for x in (zone_names.get(ev["zone_id"], ev["zone_id"]), kind_text, when) if x),
        "colour": nmap.CATEGORY_COLOURS.get(cat, "#555555"),
        "short": t(f"map.cat.{cat}.short", lang) if i18n.has(f"map.cat.{cat}.short") else "•",
    }


def _numbers(totals: Mapping[str, Any], mode: str, lang: str) -> list[dict[str, str]]:
    suffix = "hour" if mode == "hours" else "night"

    def pct(v: float | None) -> dict[str, str]:
        return {"value": i18n.fmt_pct(v, lang), "sign": i18n.pct_sign(v)}  # ±0.0% is neither up nor down

    return [
        {"label": t(f"presenter.visitors_{suffix}", lang),
         "value": nmap.format_value(totals.get("visitors"), "visitors", lang), "sign": ""},
        {"label": t(f"presenter.spend_{suffix}", lang),
         "value": nmap.format_value(totals.get("spend"), "spend", lang), "sign": ""},
        {"label": t("presenter.visitors_change", lang), **pct(totals.get("uplift_visitors"))},
        {"label": t("presenter.spend_change", lang), **pct(totals.get("uplift_spend"))},
    ]


def _legend(scale: nmap.ColourScale, metric: str, lang: str) -> dict[str, Any]:
    dash = "–" if lang == "en" else "—"
    ticks = nmap.format_ticks(list(scale.breaks), metric, lang)
    rows = [{"colour": c, "label": f"{ticks[i]} {dash} {ticks[i + 1]}"} for i, c in enumerate(scale.colours)]
    return {
        "title": nmap.metric_title(metric, lang),
        "sub": t("map.legend.diverging" if scale.diverging else "map.legend.darker_higher", lang),
        "rows": list(reversed(rows)),
        "no_data": nmap.NO_DATA_COLOUR,
    }


def player_data(
    run: Mapping[str, Any],
    zones: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    *,
    metric: str,
    lang: str,
    frame: int = 0,
    autoplay: bool = False,
    still: bool = False,
    roads: gpd.GeoDataFrame | None = None,
) -> dict[str, Any]:
    """Everything the browser player needs, formatted for ``lang`` (numbers, labels, colours).

    Parameters
    ----------
    run
        From :func:`frames`.
    zones, districts
        WGS-84 GeoDataFrames (as :func:`nightmap.geo.zones_from_table` and
        :func:`nightmap.geo.load_districts` give). Zones whose place is not
        ``high`` confidence are drawn dashed, with "位置待核实 / Position
        unverified" in their tooltip and a legend row.
    metric
        One of :data:`nightmap.metrics.METRICS`; colours the zones.
    lang
        ``"zh"`` or ``"en"``.
    frame
        The frame shown first (clamped).
    autoplay
        Start playing as soon as the page is drawn.
    still
        Hide the playback controls (for a PNG).
    roads
        Reference roads (:func:`nightmap.geo.load_roads`), drawn and named under the zones.

    Returns
    -------
    dict
        JSON-able; texts are plain (the player sets them with ``textContent``).
    """
    if metric not in metrics.METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {metrics.METRICS}")
    lang = "en" if lang == "en" else "zh"
    mode = run["mode"]
    scale = scale_of(run, metric)
    zone_recs = zones.drop(columns="geometry").to_dict("records")
    names = {str(r["zone_id"]): nmap.zone_name(r, lang) for r in zone_recs}
    selected = set(run["zone_ids"])
    zone_fc = _feature_collection(zones, [
        {"id": str(r["zone_id"]), "name": names[str(r["zone_id"])], "label": nmap.map_label(names[str(r["zone_id"])], lang),
         "kind": "complex" if r.get("kind") == "complex" else "street", "selected": str(r["zone_id"]) in selected,
         "verified": is_verified(r.get("location_confidence")),
         "unverified": nmap.unverified_text(r.get("location_confidence"), lang)}
        for r in zone_recs
    ])
    road_fc = None
    if roads is not None and not roads.empty:
        road_fc = _feature_collection(roads, [
            {"name": t("map.road.label", lang, name=nmap.zone_name(
                {"name_zh": r.get("name_zh"), "name_en": r.get("name_en"), "zone_id": ""}, lang))}
            for r in roads.drop(columns="geometry").to_dict("records")
        ])
    district_fc = None
    if districts is not None and not districts.empty:
        drecs = districts.drop(columns="geometry").to_dict("records")
        district_fc = _feature_collection(
            districts.assign(geometry=districts.geometry.simplify(0.0002)),
            [{"name": nmap.zone_name({"name_zh": r.get("name_zh"), "name_en": r.get("name_en"), "zone_id": r.get("code")}, lang),
              "focus": bool(r.get("is_focus")),
              # the name sits at a point inside the district: the centre of a neighbour's box can fall
              # inside 解放区 itself (山阳区 wraps around it)
              "at": [round(pt.y, 6), round(pt.x, 6)]}
             for r, pt in zip(drecs, districts.geometry.representative_point(), strict=True)],
        )
    # every zone's figure in one unit for the whole run (9.2万元 beside 14.0万元, not 92,077元)
    shown = [abs(v) for f in run["frames"] for zid, z in f["zones"].items()
             if zid in selected and isinstance(v := nmap.to_number(z.get(metric)), float)]
    like = max(shown, default=None)
    out_frames = []
    for f in run["frames"]:
        colours, values = {}, {}
        for zid in names:
            z = f["zones"].get(zid) if zid in selected else None
            v = z.get(metric) if z else None
            colours[zid] = scale.colour(v)
            values[zid] = (nmap.format_value(v, metric, lang, like=like) if v is not None
                           else t("map.legend.no_data", lang))
        out_frames.append({
            "key": f["key"],
            **frame_label(f, lang, campaign=run.get("campaign")),
            "colours": colours,
            "values": values,
            "numbers": _numbers(f["totals"], mode, lang),
            "events": [_event_view(e, names, lang) for e in f["events"] if e["zone_id"] in names],
        })
    flt = run["filter"]
    start, end = dt.date.fromisoformat(flt["start"]), dt.date.fromisoformat(flt["end"])
    h0, h1 = flt["hours"]
    if mode == "hours" and run.get("night"):
        day = dt.date.fromisoformat(run["night"])
        dash = "–" if lang == "en" else "—"
        window = f"{i18n.fmt_date(day, lang)} {i18n.fmt_hour(h0)}{dash}{i18n.fmt_hour(h1 % 24)}"
    else:
        window = t("filter.window", lang, start=i18n.fmt_date(start, lang), end=i18n.fmt_date(end, lang),
                   h0=i18n.fmt_hour(h0), h1=i18n.fmt_hour(h1 % 24))
    cats = " / ".join(t(f"cat.{c}", lang) for c in flt["categories"])
    status = run.get("status", "simulated")
    badge = {"simulated": t("presenter.badge_simulated", lang), "mixed": t("presenter.badge_mixed", lang)}.get(status)
    mode_text = t(f"presenter.mode.{mode}", lang)
    return {
        "lang": lang,
        "metric": metric,
        "mode": mode,
        "title": t("app.title", lang),
        "subtitle": f"{mode_text} · {window} · {cats} · {t(f'metric.{metric}', lang)}",
        "badge": badge,
        "text": _texts(lang, mode),
        "zones": zone_fc,
        "districts": district_fc,
        "roads": road_fc,
        "legend": {**_legend(scale, metric, lang),
                   "unverified": t("map.legend.unverified", lang) if any(
                       not f["properties"]["verified"] for f in zone_fc["features"]) else None,
                   "roads": t("map.legend.roads", lang) if road_fc else None},
        "frames": out_frames,
        "start": max(0, min(int(frame), len(out_frames) - 1)),
        "autoplay": bool(autoplay),
        "still": bool(still),
        "frame_ms": FRAME_MS,
        "speeds": list(SPEEDS),
        "colours": {"focus": nmap.FOCUS_STROKE, "neighbour": nmap.NEIGHBOUR_STROKE,
                    "complex": nmap.COMPLEX_STROKE, "street": nmap.STREET_STROKE,
                    "unverified": nmap.UNVERIFIED_STROKE, "dash": nmap.UNVERIFIED_DASH,
                    "road_casing": nmap.ROAD_CASING, "road_fill": nmap.ROAD_FILL,
                    "background": nmap.BACKGROUND, "no_data": nmap.NO_DATA_COLOUR},
    }
