"""Presenter mode: the campaign played night by night (or one night hour by hour) on a full-screen map.

Three layers, none of which imports Streamlit:

* :func:`frames` — the numbers. Per frame (a night, or an hour of one night):
  every zone's visitors, spending, spend per visitor and change vs baseline,
  the totals for the big numbers, and that frame's events. Everything comes
  from DuckDB aggregates: one query for the (zone, night) or (zone, hour)
  measures of each kind and one for the events — never a query per frame.
  The colour scale of each metric is computed once over *all* frames, so a
  colour means the same value on every night.
* :func:`player_html` — one HTML document: a Leaflet map and a small player
  of our own (``player/player.js`` + ``player.css``, package data) with play,
  pause, step, speed, a slider, the big date and numbers, a legend, zone
  labels and the events of each frame. Playback runs entirely in the browser.
  With ``inline=True`` Leaflet, the player and the data are all inlined:
  the file opens from a USB stick with no network. With ``inline=False`` it
  loads them from the app's static folder (see :func:`publish_player_assets`).
* :func:`render_png` — a 1920×1080 PNG of one frame, drawn by headless
  Chromium (playwright), or a clear bilingual :class:`PngUnavailable`.

Safety: every piece of text is either escaped with :func:`html.escape` or set
with ``textContent`` in the browser; the data is embedded as JSON in a
``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as
``\\u003c`` etc., so an uploaded zone name or event title such as
``<img src=x onerror=alert(1)>`` is shown as text, never run.
"""

from __future__ import annotations

import base64
import concurrent.futures
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from nightmap import assets, event_effects, geo, i18n, mapview, metrics
from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START, baseline_nights
from nightmap.errors import NightmapError
from nightmap.filters import Filter, night_hour_index
from nightmap.i18n import t
from nightmap.schema import NIGHT_START_HOUR, is_verified
from nightmap.store import Store

MODES: tuple[str, ...] = ("nights", "hours")
"""``nights``: one frame per night of the filter; ``hours``: one frame per hour of one night."""

SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
FRAME_MS = 1800
"""Milliseconds per frame at speed 1×."""

PLAYER_VENDOR_DIR = assets.OWN_DIRNAME
"""Folder under ``<static>/vendor`` that :func:`publish_player_assets` fills."""

PNG_SIZE: tuple[int, int] = (1920, 1080)
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
"""An XML namespace name inside Leaflet (never fetched): the only ``http`` text an export contains."""

_PLAYER_FILES = {"player.js": "js/player.js", "player.css": "css/player.css", "labels.js": "js/labels.js"}
_MEASURES = ("visitors", "spend", "orders")


class PngUnavailable(NightmapError):
    """Headless Chromium (or playwright) is not installed, so no PNG can be drawn here."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        msg = t("presenter.png_unavailable", "zh") + " / " + t("presenter.png_unavailable", "en")
        super().__init__(msg + (f" ({detail})" if detail else ""))


# --------------------------------------------------------------------------- numbers




def _pct(actual: float | None, base: float | None) -> float | None:
    if actual is None or base is None or base <= 0:
        return None
    return (actual / base - 1.0) * 100.0


def _zone_entry(row: Mapping[str, Any]) -> dict[str, float | None]:
    """One zone's measures in one frame, with ratios and changes vs baseline (percent)."""
    vis, spend, orders = mapview.to_number(row.get("visitors")), mapview.to_number(row.get("spend")), mapview.to_number(row.get("orders"))
    b_vis, b_spend = mapview.to_number(row.get("base_visitors")), mapview.to_number(row.get("base_spend"))
    spv = spend / vis if spend is not None and vis else None
    b_spv = b_spend / b_vis if b_spend is not None and b_vis else None
    up_spend = _pct(spend, b_spend)
    return {
        "visitors": vis,
        "spend": spend,
        "orders": orders,
        "spend_per_visitor": spv,
        "uplift": up_spend,
        "base_visitors": b_vis,
        "base_spend": b_spend,
        "uplift_visitors": _pct(vis, b_vis),
        "uplift_spend": up_spend,
        "uplift_spend_per_visitor": _pct(spv, b_spv),
    }


def _totals(zones: Mapping[str, Mapping[str, float | None]]) -> dict[str, float | None]:
    """Totals over zones; change vs baseline on the zones that have both a value and a baseline."""
    out: dict[str, float | None] = {}
    for m in ("visitors", "spend", "orders"):
        vals = [z[m] for z in zones.values() if z.get(m) is not None]
        out[m] = float(sum(vals)) if vals else None
    for m in ("visitors", "spend"):
        pairs = [(z[m], z[f"base_{m}"]) for z in zones.values()
                 if z.get(m) is not None and z.get(f"base_{m}") is not None]
        actual = sum(p[0] for p in pairs) if pairs else None
        base = sum(p[1] for p in pairs) if pairs else None
        out[f"base_{m}"] = base
        out[f"uplift_{m}"] = _pct(actual, base)
    vis, spend = out["visitors"], out["spend"]
    out["spend_per_visitor"] = spend / vis if spend is not None and vis else None
    return out


def _event_records(events: pd.DataFrame) -> list[dict[str, Any]]:
    recs = []
    for r in events.to_dict("records"):
        start, end = pd.Timestamp(r["start"]), pd.Timestamp(r["end"])
        recs.append({
            "id": str(r["event_id"]),
            "zone_id": str(r["zone_id"]),
            "start": start.isoformat() if not pd.isna(start) else None,
            "end": end.isoformat() if not pd.isna(end) else None,
            "category": str(r.get("category") or ""),
            "kind": str(r.get("kind") or ""),
            "title_zh": str(r.get("title_zh") or ""),
            "title_en": str(r.get("title_en") or "") if pd.notna(r.get("title_en")) else "",
            "night": pd.Timestamp(r["night"]).date().isoformat(),
            "last_night": pd.Timestamp(r.get("last_night", r["night"])).date().isoformat(),
        })
    return recs


def _slot(night: dt.date, hour: int) -> dt.datetime:
    """The start of ``hour`` in the night of ``night`` (hours before 06:00 are the next day)."""
    day = night + dt.timedelta(days=1) if hour < NIGHT_START_HOUR else night
    return dt.datetime.combine(day, dt.time(hour))


def _scale_dict(scale: mapview.ColourScale) -> dict[str, Any]:
    return {"breaks": list(scale.breaks), "colours": list(scale.colours), "diverging": scale.diverging}


def scale_of(run: Mapping[str, Any], metric: str) -> mapview.ColourScale:
    """The fixed colour scale of ``metric`` for a whole run from :func:`frames`."""
    s = run["scales"][metric]
    return mapview.ColourScale(tuple(s["breaks"]), tuple(s["colours"]), bool(s["diverging"]))


def _hours_rows(store: Store, flt: Filter, night: dt.date, base: list[dt.date]) -> pd.DataFrame:
    """Per zone and hour of ``night``: measures and their same-weekday baseline averages (2 queries)."""
    night_cond = "(night = ? OR (list_contains(?::DATE[], night) AND dayofweek(night) = dayofweek(?::DATE)))"
    out = []
    for table, cols in (("footfall", {"visitors": "visitors"}), ("sales", {"spend": "spend_cny", "orders": "orders"})):
        where, params = flt.where(table, nights=False)
        inner = ", ".join(f"sum({src})::DOUBLE AS {name}" for name, src in cols.items())
        outer = ", ".join(
            f"sum({name}) FILTER (WHERE night = ?) AS {name}, avg({name}) FILTER (WHERE night <> ?) AS base_{name}"
            for name in cols
        )
        sql = f"""
        SELECT zone_id, hour, {outer}
        FROM (SELECT zone_id, night, hour, {inner} FROM {table}
              WHERE {where} AND {night_cond} GROUP BY zone_id, night, hour)
        GROUP BY zone_id, hour
        """
        p: list[object] = []
        for _ in cols:
            p += [night, night]
        out.append(store.query(sql, [*p, *params, night, base, night]).set_index(["zone_id", "hour"]))
    joined = out[0].join(out[1], how="outer").reset_index()
    return joined


def frames(
    store: Store,
    flt: Filter,
    *,
    mode: str = "nights",
    night: dt.date | None = None,
    campaign_start: dt.date = CAMPAIGN_START,
    campaign_end: dt.date = CAMPAIGN_END,
) -> dict[str, Any]:
    """The frames of a playback run, with a fixed colour scale per metric.

    Parameters
    ----------
    store
        The store.
    flt
        Nights, hour window, categories and zones to count.
    mode
        ``"nights"``: one frame per night of ``flt``; ``"hours"``: one frame
        per hour of ``flt``'s hour window on one night.
    night
        The night played in ``"hours"`` mode; default (or when outside the
        filter's nights) the filter's first night.
    campaign_start, campaign_end
        The campaign, for the baseline nights and the "campaign night n" label.

    Returns
    -------
    dict
        Plain JSON-able data: ``mode``, ``night`` (ISO date or None),
        ``status`` (:meth:`Store.data_status`), ``filter``
        (``start, end, hours, categories``), ``zone_ids`` (the zones the
        filter selects), ``frames`` (list of dicts ``key, night, hour, zones,
        totals, events``; ``zones`` maps zone id to ``visitors, spend, orders,
        spend_per_visitor, uplift`` (spending's change in %), ``base_*`` and
        ``uplift_*``; missing values are None) and ``scales`` (metric ->
        ``breaks, colours, diverging``, over all frames).

    Raises
    ------
    ValueError
        For an unknown ``mode``.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    base = baseline_nights(campaign_start=campaign_start)
    z_where, z_params = flt.zone_sql("zone_id")
    zone_ids = store.query(f"SELECT zone_id FROM zones WHERE {z_where} ORDER BY rowid", z_params)["zone_id"].tolist()
    out_frames: list[dict[str, Any]] = []
    if mode == "nights":
        rows = metrics.nightly_by_zone(store, flt, campaign_start=campaign_start)
        events = _event_records(event_effects.rank_for_display(event_effects.event_list(store, flt)))
        by_night: dict[dt.date, dict[str, dict[str, float | None]]] = {}
        for r in rows.to_dict("records"):
            by_night.setdefault(r["night"], {})[str(r["zone_id"])] = _zone_entry(r)
        for day in flt.nights:
            zones = by_night.get(day, {})
            out_frames.append({
                "key": day.isoformat(), "night": day.isoformat(), "hour": None,
                "zones": zones, "totals": _totals(zones),
                "events": [e for e in events if e["night"] <= day.isoformat() <= e["last_night"]],
            })
        shown_night = None
    else:
        day = night if night is not None and flt.start <= night <= flt.end else flt.start
        shown_night = day.isoformat()
        rows = _hours_rows(store, flt, day, base)
        events = _event_records(event_effects.rank_for_display(
            event_effects.event_list(store, flt.with_(start=day, end=day))))
        by_hour: dict[int, dict[str, dict[str, float | None]]] = {}
        for r in rows.to_dict("records"):
            by_hour.setdefault(int(r["hour"]), {})[str(r["zone_id"])] = _zone_entry(r)
        for hour in sorted(flt.hour_list, key=night_hour_index):
            s0 = _slot(day, hour)
            s1 = s0 + dt.timedelta(hours=1)
            live = [e for e in events if e["start"] and e["end"]
                    and dt.datetime.fromisoformat(e["start"]) < s1 and dt.datetime.fromisoformat(e["end"]) > s0]
            zones = by_hour.get(hour, {})
            out_frames.append({
                "key": f"{shown_night}T{hour:02d}", "night": shown_night, "hour": hour,
                "zones": zones, "totals": _totals(zones), "events": live,
            })
    scales = {}
    for metric in metrics.METRICS:
        vals = [z.get(metric) for f in out_frames for z in f["zones"].values()]
        scales[metric] = _scale_dict(mapview.colour_scale(vals, diverging=metrics.is_change(metric)))
    return {
        "mode": mode,
        "night": shown_night,
        "status": store.data_status(),
        "filter": {"start": flt.start.isoformat(), "end": flt.end.isoformat(), "hours": list(flt.hours),
                   "categories": list(flt.categories)},
        "campaign": {"start": campaign_start.isoformat(), "end": campaign_end.isoformat()},
        "zone_ids": zone_ids,
        "frames": out_frames,
        "scales": scales,
    }


# --------------------------------------------------------------------------- labels


def _hour_span(hour: int, lang: str) -> str:
    dash = "–" if lang == "en" else "—"
    text = f"{i18n.fmt_hour(hour)}{dash}{i18n.fmt_hour((hour + 1) % 24)}"
    if hour < NIGHT_START_HOUR:
        text += f" ({t('presenter.next_day', lang)})" if lang == "en" else f"（{t('presenter.next_day', lang)}）"
    return text


def frame_label(frame: Mapping[str, Any], lang: str, *, campaign: Mapping[str, str] | None = None) -> dict[str, str]:
    """The texts that say which frame is shown.

    Returns
    -------
    dict
        ``date`` (the big line), ``sub`` (campaign night n, before/after the
        campaign, or the night of an hour) and ``tick`` (short, for the slider).
    """
    day = dt.date.fromisoformat(frame["night"])
    c_start = dt.date.fromisoformat((campaign or {}).get("start", CAMPAIGN_START.isoformat()))
    c_end = dt.date.fromisoformat((campaign or {}).get("end", CAMPAIGN_END.isoformat()))
    sep = " " if lang == "en" else " "
    weekday = i18n.fmt_weekday(day, lang)
    full = (f"{weekday} {i18n.fmt_date(day, lang)}" if lang == "en"
            else f"{i18n.fmt_date(day, lang)}{sep}{weekday}")
    if frame.get("hour") is None:
        if day < c_start:
            sub = t("presenter.before", lang)
        elif day > c_end:
            sub = t("presenter.after", lang)
        else:
            sub = t("presenter.night_n", lang, n=(day - c_start).days + 1)
        tick = f"{day.month}/{day.day}"
        return {"date": full, "sub": sub, "tick": tick}
    hour = int(frame["hour"])
    return {"date": _hour_span(hour, lang), "sub": full, "tick": i18n.fmt_hour(hour)[:2]}


# --------------------------------------------------------------------------- HTML


def _player_source(name: str) -> str:
    return assets.own_text(_PLAYER_FILES[name])


def player_asset_paths() -> dict[str, Path]:
    """The player's files inside the installed package (``player.js``, ``player.css``, ``labels.js``)."""
    return {name: assets.own_file(rel) for name, rel in _PLAYER_FILES.items()}


def publish_player_assets(static_dir: Path | None = None) -> Path:
    """Publish the player's files (and every other asset) under ``<static>/vendor/nightmap`` (idempotent).

    Parameters
    ----------
    static_dir
        Streamlit's static folder; default :func:`nightmap.config.static_dir`.

    Returns
    -------
    Path
        The folder holding the published files.
    """
    return assets.publish_assets(static_dir) / PLAYER_VENDOR_DIR


def _asset_version() -> str:
    h = hashlib.sha256()
    for src in player_asset_paths().values():
        h.update(src.read_bytes())
    return h.hexdigest()[:12]


def _leaflet_dir() -> Path:
    return assets.leaflet_dir()


def _inline_leaflet() -> tuple[str, str]:
    """Leaflet's JS and CSS ready to inline: images as ``data:`` URIs, no source map, no web links."""
    folder = _leaflet_dir()
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js).replace("https://leafletjs.com", "leafletjs.com")
    css = re.sub(r"/\*.*?\*/", "", (folder / "leaflet.css").read_text(encoding="utf-8"), flags=re.S)  # links in comments

    def data_uri(match: re.Match[str]) -> str:
        png = folder / "images" / match.group(1)
        if not png.is_file():
            return "none"
        return "url(data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii") + ")"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+)\)", data_uri, css)
    return js, css


def _safe_json(data: Any) -> str:
    """JSON that cannot end the ``<script>`` element it sits in (``<``, ``>``, ``&`` as ``\\u`` escapes)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline_style(css: str) -> str:
    return "<style>\n" + css.replace("</", "<\\/") + "\n</style>"


def _inline_script(js: str) -> str:
    return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>"


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
        "colour": mapview.CATEGORY_COLOURS.get(cat, "#555555"),
        "short": t(f"map.cat.{cat}.short", lang) if i18n.has(f"map.cat.{cat}.short") else "•",
    }


def _numbers(totals: Mapping[str, Any], mode: str, lang: str) -> list[dict[str, str]]:
    suffix = "hour" if mode == "hours" else "night"

    def pct(v: float | None) -> dict[str, str]:
        return {"value": i18n.fmt_pct(v, lang), "sign": i18n.pct_sign(v)}  # ±0.0% is neither up nor down

    return [
        {"label": t(f"presenter.visitors_{suffix}", lang),
         "value": mapview.format_value(totals.get("visitors"), "visitors", lang), "sign": ""},
        {"label": t(f"presenter.spend_{suffix}", lang),
         "value": mapview.format_value(totals.get("spend"), "spend", lang), "sign": ""},
        {"label": t("presenter.visitors_change", lang), **pct(totals.get("uplift_visitors"))},
        {"label": t("presenter.spend_change", lang), **pct(totals.get("uplift_spend"))},
    ]


def _legend(scale: mapview.ColourScale, metric: str, lang: str) -> dict[str, Any]:
    dash = "–" if lang == "en" else "—"
    ticks = mapview.format_ticks(list(scale.breaks), metric, lang)
    rows = [{"colour": c, "label": f"{ticks[i]} {dash} {ticks[i + 1]}"} for i, c in enumerate(scale.colours)]
    return {
        "title": mapview.metric_title(metric, lang),
        "sub": t("map.legend.diverging" if scale.diverging else "map.legend.darker_higher", lang),
        "rows": list(reversed(rows)),
        "no_data": mapview.NO_DATA_COLOUR,
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
    names = {str(r["zone_id"]): mapview.zone_name(r, lang) for r in zone_recs}
    selected = set(run["zone_ids"])
    zone_fc = _feature_collection(zones, [
        {"id": str(r["zone_id"]), "name": names[str(r["zone_id"])], "label": mapview.map_label(names[str(r["zone_id"])], lang),
         "kind": "complex" if r.get("kind") == "complex" else "street", "selected": str(r["zone_id"]) in selected,
         "verified": is_verified(r.get("location_confidence")),
         "unverified": mapview.unverified_text(r.get("location_confidence"), lang)}
        for r in zone_recs
    ])
    road_fc = None
    if roads is not None and not roads.empty:
        road_fc = _feature_collection(roads, [
            {"name": t("map.road.label", lang, name=mapview.zone_name(
                {"name_zh": r.get("name_zh"), "name_en": r.get("name_en"), "zone_id": ""}, lang))}
            for r in roads.drop(columns="geometry").to_dict("records")
        ])
    district_fc = None
    if districts is not None and not districts.empty:
        drecs = districts.drop(columns="geometry").to_dict("records")
        district_fc = _feature_collection(
            districts.assign(geometry=districts.geometry.simplify(0.0002)),
            [{"name": mapview.zone_name({"name_zh": r.get("name_zh"), "name_en": r.get("name_en"), "zone_id": r.get("code")}, lang),
              "focus": bool(r.get("is_focus"))} for r in drecs],
        )
    out_frames = []
    for f in run["frames"]:
        colours, values = {}, {}
        for zid in names:
            z = f["zones"].get(zid) if zid in selected else None
            v = z.get(metric) if z else None
            colours[zid] = scale.colour(v)
            values[zid] = mapview.format_value(v, metric, lang) if v is not None else t("map.legend.no_data", lang)
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
        "colours": {"focus": mapview.FOCUS_STROKE, "neighbour": mapview.NEIGHBOUR_STROKE,
                    "complex": mapview.COMPLEX_STROKE, "street": mapview.STREET_STROKE,
                    "unverified": mapview.UNVERIFIED_STROKE, "dash": mapview.UNVERIFIED_DASH,
                    "road_casing": mapview.ROAD_CASING, "road_fill": mapview.ROAD_FILL,
                    "background": mapview.BACKGROUND, "no_data": mapview.NO_DATA_COLOUR},
    }


def player_html(
    run: Mapping[str, Any],
    zones: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    *,
    metric: str,
    lang: str,
    inline: bool,
    frame: int = 0,
    autoplay: bool = False,
    still: bool = False,
    base_url: str = "/app/static/vendor",
    roads: gpd.GeoDataFrame | None = None,
) -> str:
    """One HTML document with the map and the player.

    Parameters
    ----------
    run
        From :func:`frames`.
    zones, districts
        WGS-84 GeoDataFrames.
    metric, lang, frame, autoplay, still, roads
        As in :func:`player_data`.
    inline
        ``True``: Leaflet, the player's JS/CSS and the data are all inside the
        document (no ``src``/``href`` to anything outside it; opens from a
        USB stick offline). ``False``: JS/CSS are loaded from ``base_url``
        (the app's published static folder; see :func:`publish_player_assets`).
    base_url
        Where ``<static>/vendor`` is served, for ``inline=False``.

    Returns
    -------
    str
        The HTML document.
    """
    data = player_data(run, zones, districts, metric=metric, lang=lang, frame=frame, autoplay=autoplay, still=still,
                       roads=roads)
    if inline:
        leaflet_js, leaflet_css = _inline_leaflet()
        head_assets = _inline_style(leaflet_css) + "\n" + _inline_style(_player_source("player.css"))
        body_assets = (_inline_script(leaflet_js) + "\n" + _inline_script(_player_source("labels.js")) + "\n"
                       + _inline_script(_player_source("player.js")))
    else:
        base = html.escape(base_url.rstrip("/"), quote=True)
        v = _asset_version()

        def own(name: str) -> str:  # the published copy, stamped with the player's version
            return f"{base}/{PLAYER_VENDOR_DIR}/{_PLAYER_FILES[name]}?v={v}"

        head_assets = (f'<link rel="stylesheet" href="{base}/leaflet/leaflet.css">\n'
                       f'<link rel="stylesheet" href="{own("player.css")}">')
        body_assets = (f'<script src="{base}/leaflet/leaflet.js"></script>\n'
                       f'<script src="{own("labels.js")}"></script>\n'  # the overview map's label placement
                       f'<script src="{own("player.js")}"></script>')
    e = html.escape
    lang_attr = "en" if data["lang"] == "en" else "zh-CN"
    still_cls = " nm-still" if still else ""
    badge = f'<div class="nm-badge" role="note">{e(data["badge"])}</div>' if data["badge"] else ""
    return f"""<!DOCTYPE html>
<html lang="{lang_attr}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(data["title"])} — {e(t("presenter.page_title", data["lang"]))}</title>
{head_assets}
</head>
<body class="nm-body nm-lang-{data["lang"]}{still_cls}">
<div id="nm-root" class="nm-root" data-frame="">
  <div id="nm-map" class="nm-map" role="img" aria-label="{e(data["title"])}"></div>
  <header class="nm-head">
    <div class="nm-titles">
      <h1 class="nm-title">{e(data["title"])}</h1>
      <div class="nm-subtitle">{e(data["subtitle"])}</div>
      <div class="nm-when"><div id="nm-date" class="nm-date"></div><div id="nm-sub" class="nm-sub"></div></div>
    </div>
    <div id="nm-numbers" class="nm-numbers"></div>
  </header>
  <aside class="nm-side">
    {badge}
    <section id="nm-legend" class="nm-legend"></section>
    <section class="nm-events"><h2 id="nm-events-title"></h2><ol id="nm-events-list"></ol></section>
  </aside>
  <footer id="nm-controls" class="nm-controls"></footer>
</div>
<script type="application/json" id="nm-data">{_safe_json(data)}</script>
{body_assets}
</body>
</html>
"""


# --------------------------------------------------------------------------- whole views


def presenter_html(
    store: Store,
    flt: Filter,
    *,
    metric: str,
    lang: str,
    mode: str = "nights",
    night: dt.date | None = None,
    inline: bool = True,
    frame: int = 0,
    autoplay: bool = False,
    still: bool = False,
) -> str:
    """:func:`frames` + :func:`player_html` for a store: the one call the CLI makes.

    Parameters are those of :func:`frames` and :func:`player_html`.
    """
    run = frames(store, flt, mode=mode, night=night)
    zones = geo.zones_from_table(store.zones())
    return player_html(run, zones, geo.load_districts(), metric=metric, lang=lang, inline=inline,
                       frame=frame, autoplay=autoplay, still=still, roads=geo.load_roads())


def export_file_name(flt: Filter, *, metric: str, mode: str, night: dt.date | None = None, ext: str = "html") -> str:
    """A descriptive file name such as ``nightmap_nights_visitors_20220617-20220630.html``."""
    span = f"{night:%Y%m%d}" if mode == "hours" and night else f"{flt.start:%Y%m%d}-{flt.end:%Y%m%d}"
    return f"nightmap_{mode}_{metric}_{span}.{ext}"


# --------------------------------------------------------------------------- PNG


def chromium_path() -> str | None:
    """A Chromium (or Chrome) executable for :func:`render_png`, or None.

    Looks at ``$NIGHTMAP_CHROMIUM``, then ``/usr/bin/chromium`` and friends on
    the ``PATH``, then the browser playwright downloaded itself.
    """
    env = os.environ.get("NIGHTMAP_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = name if Path(name).is_file() else shutil.which(name)
        if found:
            return found
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            exe = pw.chromium.executable_path
        return exe if exe and Path(exe).is_file() else None
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return None


def png_available() -> bool:
    """Whether :func:`render_png` can run here (playwright importable and a Chromium found)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return chromium_path() is not None


_CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync")


def _render(path: Path, out: Path, width: int, height: int, exe: str, timeout_ms: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=list(_CHROMIUM_ARGS))
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)

            def block(route: Any) -> None:
                if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    route.abort()

            context.route(re.compile(r".*"), block)
            page = context.new_page()
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_selector("html[data-nm-ready='1']", state="attached", timeout=timeout_ms)
            page.wait_for_timeout(300)
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()


def render_png(
    html_path_or_str: str | Path,
    out: str | Path,
    *,
    width: int = PNG_SIZE[0],
    height: int = PNG_SIZE[1],
    timeout_ms: int = 30_000,
) -> Path:
    """Draw an HTML document (a :func:`player_html` export) to a PNG with headless Chromium, offline.

    Parameters
    ----------
    html_path_or_str
        A path to an HTML file, or the HTML itself (a ``str`` starting with ``<``).
    out
        The PNG to write.
    width, height
        Viewport in pixels (projector resolution by default).
    timeout_ms
        How long to wait for the player to be drawn.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    PngUnavailable
        When playwright or a Chromium is not installed (the message, in
        Chinese and English, says how to install one).
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise PngUnavailable("playwright not installed") from exc
    exe = chromium_path()
    if exe is None:
        raise PngUnavailable("chromium not found")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nightmap-png-") as tmp:
        if isinstance(html_path_or_str, str) and html_path_or_str.lstrip().startswith("<"):
            path = Path(tmp) / "frame.html"
            path.write_text(html_path_or_str, encoding="utf-8")
        else:
            path = Path(html_path_or_str)
        # playwright's sync API refuses to run inside a thread with a running asyncio loop: use our own thread
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(_render, path, out, width, height, exe, timeout_ms).result()
    return out


def render_png_bytes(html_text: str, *, width: int = PNG_SIZE[0], height: int = PNG_SIZE[1]) -> bytes:
    """:func:`render_png` of an HTML string, returning the PNG's bytes (no file left behind).

    Raises
    ------
    PngUnavailable
        As :func:`render_png`.
    """
    with tempfile.TemporaryDirectory(prefix="nightmap-png-") as tmp:
        out = render_png(html_text, Path(tmp) / "frame.png", width=width, height=height)
        return out.read_bytes()
