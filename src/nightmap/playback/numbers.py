"""The numbers of presenter mode: the frames of a run, their colour scales and the texts naming a frame.

* :func:`frames` — per frame (a night, or an hour of one night): every zone's
  visitors, spending, spend per visitor and change vs baseline, the totals
  for the big numbers, and that frame's events. Everything comes from DuckDB
  aggregates: one query for the (zone, night) or (zone, hour) measures of
  each kind and one for the events — never a query per frame. The colour
  scale of each metric is computed once over *all* frames, so a colour means
  the same value on every night.
* :func:`scale_of` — the fixed colour scale of one metric for a run.
* :func:`frame_label` — the big date, the "campaign night n" line and the
  slider tick of a frame.

No Streamlit, no HTML: the player's data is built by
:mod:`nightmap.playback.player`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

import nightmap.map as nmap
from nightmap import event_effects, i18n, metrics
from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START, baseline_nights
from nightmap.filters import Filter, night_hour_index
from nightmap.i18n import t
from nightmap.schema import NIGHT_START_HOUR
from nightmap.store import Store

MODES: tuple[str, ...] = ("nights", "hours")
"""``nights``: one frame per night of the filter; ``hours``: one frame per hour of one night."""

_MEASURES = ("visitors", "spend", "orders")


# --------------------------------------------------------------------------- numbers


def _pct(actual: float | None, base: float | None) -> float | None:
    if actual is None or base is None or base <= 0:
        return None
    return (actual / base - 1.0) * 100.0


def _zone_entry(row: Mapping[str, Any]) -> dict[str, float | None]:
    """One zone's measures in one frame, with ratios and changes vs baseline (percent)."""
    vis, spend, orders = nmap.to_number(row.get("visitors")), nmap.to_number(row.get("spend")), nmap.to_number(row.get("orders"))
    b_vis, b_spend = nmap.to_number(row.get("base_visitors")), nmap.to_number(row.get("base_spend"))
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


def _scale_dict(scale: nmap.ColourScale) -> dict[str, Any]:
    return {"breaks": list(scale.breaks), "colours": list(scale.colours), "diverging": scale.diverging}


def scale_of(run: Mapping[str, Any], metric: str) -> nmap.ColourScale:
    """The fixed colour scale of ``metric`` for a whole run from :func:`frames`."""
    s = run["scales"][metric]
    return nmap.ColourScale(tuple(s["breaks"]), tuple(s["colours"]), bool(s["diverging"]))


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
        scales[metric] = _scale_dict(nmap.colour_scale(vals, diverging=metrics.is_change(metric)))
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

