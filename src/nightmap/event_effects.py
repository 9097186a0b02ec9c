"""The effect of each event: its zone's visitors and spending during its hours against ordinary nights.

Everything is aggregated in DuckDB through :meth:`nightmap.store.Store.query`
with ``?`` parameters; one row per event comes back. Sums of spending are
rounded to 6 decimals so the order DuckDB adds in (it runs in parallel) never
changes a shown figure.

Method
------
1. **The event's hours.** Every clock hour whose slot ``[h, h+1)`` overlaps the
   event's ``[start, end)`` (19:30–21:30 counts 19:00, 20:00 and 21:00), kept
   only when it falls in the filter's nights and hour window. A slot belongs to
   a night like every other row (00:00–05:59 count to the night before); an
   event over several nights (a voucher round) has several *event nights*.
2. **Actual.** The zone's visitors (footfall) and spending (sales of the
   filter's categories) in those slots.
3. **Baseline.** For each event night, the same zone and the same clock hours
   on every baseline night (:func:`nightmap.campaign.baseline_nights`,
   holidays excluded; the event night itself never counts) that has data. The
   *weekday-matched* baseline nights — the same weekday as the event night —
   give the expected value (their mean). An event over several nights adds
   these up night by night.
4. **Ordinary-night range.** For each event night, the lowest and highest
   value of the same zone and clock hours over *every* baseline night with
   data (any weekday), added up night by night: ``base_min``, ``base_max``
   and ``range_nights`` (the baseline nights it rests on; for a multi-night
   event the fewest over its nights). This is the *normal range* the page
   draws and judges by: an effect is *above* when the actual value exceeds
   the busiest ordinary night, *below* under the quietest, else *within*.
   With fewer than :data:`MIN_RANGE_NIGHTS` baseline nights there is no
   range to judge by. (A band of ``±2`` pooled standard deviations was used
   before; on the bundled data three of the eight Monday–Thursday baseline
   nights are rain nights, so it spanned about ±80 % and called +62 %
   "normal". Rain only lowers a night, so the real range is lopsided: it
   reaches far down and only a little up.)
5. **Spread (an ordinary night's noise).** The bundled data has only one or two
   baseline nights per weekday, too few for a standard deviation of their own.
   So the noise is estimated from *all* baseline nights: each night's relative
   deviation from the mean of its weekday group (same zone, same clock hours),
   pooled over the weekday groups (``sqrt(Σ d² / Σ (k − 1))``, the pooled
   within-weekday coefficient of variation ``cv``). The event's baseline
   standard deviation is ``cv × sqrt(Σ mean_n²)`` over its nights (``cv ×
   mean`` for a one-night event).
6. **Effect.** ``diff = actual − baseline``, ``pct = actual / baseline − 1``
   (in %), ``z = diff / std`` (how many ordinary-night standard deviations;
   shown, and used to rank effects, but the verdict is by the range of 4).
   Only event nights that have both data and at least one matched baseline
   night count; without them the effect is NaN (never zero).
7. **Overlap.** Events in the same zone whose times overlap (over all events in
   the store, whatever the filter) are flagged: their effects cannot be told
   apart.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from nightmap.campaign import CAMPAIGN_START, baseline_nights
from nightmap.filters import Filter, night_hour_index
from nightmap.store import Store

NORMAL_Z = 2.0
"""An effect with ``|z|`` below this is within ``NORMAL_Z`` ordinary-night standard deviations (informative)."""
MIN_RANGE_NIGHTS = 2
"""The normal range needs at least this many baseline nights (one night is no range)."""
MEASURES: tuple[str, ...] = ("visitors", "spend")
STAT_FIELDS: tuple[str, ...] = ("actual", "base", "base_std", "base_min", "base_max", "diff", "pct", "z", "normal")
"""Per measure ``m`` the result has columns ``<field>_<m>`` for each of these."""


def _events_cte(flt: Filter) -> tuple[str, list[object]]:
    """CTE ``ev``: events whose nights overlap the filter's nights, in its zones and categories."""
    z_where, z_params = flt.zone_sql("e.zone_id")
    c_where, c_params = flt.category_sql("e.category")
    sql = f"""
    ev AS (SELECT e.event_id, e.zone_id, e."start", e."end", e.category, e.kind, e.title_zh, e.title_en,
                  e.expected_visitors, e.simulated, e.night,
                  CAST(e."end" - INTERVAL 6 HOUR - INTERVAL 1 MICROSECOND AS DATE) AS last_night
           FROM events e
           WHERE e.night <= ? AND CAST(e."end" - INTERVAL 6 HOUR - INTERVAL 1 MICROSECOND AS DATE) >= ?
             AND {z_where} AND {c_where})
    """
    return sql, [flt.end, flt.start, *z_params, *c_params]


def event_list(store: Store, flt: Filter) -> pd.DataFrame:
    """Events whose nights overlap the filter's nights, in its zones and categories, by start time.

    Unlike :func:`nightmap.metrics.events_in`, an event that began before the
    first night but still runs (a voucher round) is included.

    Returns
    -------
    DataFrame
        The columns of :func:`nightmap.metrics.events_in` plus ``last_night``,
        ``overlap`` (bool) and ``overlaps_with`` (list of event ids).
    """
    ev_sql, ev_params = _events_cte(flt)
    sql = f"""
    WITH {ev_sql}, {_OVERLAP_CTE}
    SELECT ev.*, coalesce(len(ov.overlaps_with), 0) > 0 AS overlap,
           coalesce(ov.overlaps_with, []::VARCHAR[]) AS overlaps_with
    FROM ev LEFT JOIN ov USING (event_id)
    ORDER BY ev."start", ev.zone_id, ev.event_id
    """
    out = store.query(sql, ev_params)
    return _dates(out)


_OVERLAP_CTE = """
    ov AS (SELECT a.event_id, list(b.event_id ORDER BY b."start", b.event_id) AS overlaps_with
           FROM events a JOIN events b
             ON a.zone_id = b.zone_id AND a.event_id <> b.event_id AND a."start" < b."end" AND b."start" < a."end"
           WHERE a.event_id IN (SELECT event_id FROM ev)
           GROUP BY a.event_id)
"""


def _dates(out: pd.DataFrame) -> pd.DataFrame:
    for col in ("night", "last_night"):
        if col in out:
            out[col] = pd.to_datetime(out[col]).dt.date
    out["overlaps_with"] = [list(v) if v is not None else [] for v in out["overlaps_with"]]
    return out


def event_effects(
    store: Store,
    flt: Filter,
    *,
    campaign_start: dt.date = CAMPAIGN_START,
    normal_z: float = NORMAL_Z,
) -> pd.DataFrame:
    """One row per event of :func:`event_list` with its effect on visitors and spending.

    Parameters
    ----------
    store
        The store.
    flt
        Nights, hour window, categories and zones; only the event's hours in
        the nights and hour window count, spending only in the categories.
    campaign_start
        Baseline nights are the holiday-free nights before it.
    normal_z
        Only for frames without a min–max range (see :func:`add_effects`).

    Returns
    -------
    DataFrame
        The columns of :func:`event_list`, then ``hours`` (the clock hours
        counted, in night order), ``nights`` (event nights counted),
        ``base_nights`` (distinct weekday-matched baseline nights used),
        ``range_nights`` (baseline nights of any weekday the normal range rests
        on) and ``cv_<m>`` (pooled relative noise); and for ``m`` in
        ``visitors``, ``spend``: ``actual_m, base_m`` (mean of matched
        baseline nights), ``base_std_m``, ``base_min_m, base_max_m`` (the
        quietest and busiest baseline night), ``diff_m, pct_m`` (%), ``z_m``
        and ``normal_m`` (bool: within the min–max range; missing without a
        range). See the module docstring.
    """
    base = baseline_nights(campaign_start=campaign_start)
    ev_sql, ev_params = _events_cte(flt)
    hour_sql, hour_params = flt.hour_sql("hour")
    cat_sql, cat_params = flt.category_sql("category")
    sql = f"""
    WITH {ev_sql}, {_OVERLAP_CTE},
    raw AS (SELECT ev.event_id, ev.zone_id,
                   unnest(generate_series(date_trunc('hour', ev."start"), ev."end" - INTERVAL 1 MICROSECOND,
                                          INTERVAL 1 HOUR)) AS slot
            FROM ev WHERE ev."end" > ev."start"),
    slots AS (SELECT DISTINCT event_id, zone_id, night, hour FROM (
                SELECT event_id, zone_id, CAST(slot - INTERVAL 6 HOUR AS DATE) AS night,
                       CAST(hour(slot) AS TINYINT) AS hour FROM raw)
              WHERE night BETWEEN ? AND ? AND {hour_sql}),
    vals AS (SELECT 'visitors' AS measure, zone_id, night, hour, sum(visitors)::DOUBLE AS v FROM footfall
             WHERE zone_id IN (SELECT zone_id FROM ev) AND {hour_sql} GROUP BY zone_id, night, hour
             UNION ALL
             SELECT 'spend' AS measure, zone_id, night, hour, round(sum(spend_cny), 6)::DOUBLE AS v FROM sales
             WHERE zone_id IN (SELECT zone_id FROM ev) AND {hour_sql} AND {cat_sql}
             GROUP BY zone_id, night, hour),
    act AS (SELECT s.event_id, v.measure, s.night, sum(v.v) AS a
            FROM slots s JOIN vals v ON v.zone_id = s.zone_id AND v.night = s.night AND v.hour = s.hour
            GROUP BY s.event_id, v.measure, s.night),
    bv AS (SELECT s.event_id, v.measure, s.night, v.night AS bnight, sum(v.v) AS v
           FROM slots s JOIN vals v ON v.zone_id = s.zone_id AND v.hour = s.hour
           WHERE list_contains(?::DATE[], v.night) AND v.night <> s.night
           GROUP BY s.event_id, v.measure, s.night, v.night),
    bg AS (SELECT *, avg(v) OVER w AS mu_g, count(*) OVER w AS k_g
           FROM bv WINDOW w AS (PARTITION BY event_id, measure, night, dayofweek(bnight))),
    noise AS (SELECT event_id, measure,
                     sqrt(sum(CASE WHEN mu_g > 0 THEN power(v / mu_g - 1, 2) END)
                          / nullif(sum(CASE WHEN mu_g > 0 THEN 1 - 1.0 / k_g END), 0)) AS cv
              FROM bg GROUP BY event_id, measure),
    matched AS (SELECT event_id, measure, night, avg(v) AS mu, list(bnight) AS bnights
                FROM bv WHERE dayofweek(bnight) = dayofweek(night) GROUP BY event_id, measure, night),
    spread AS (SELECT event_id, measure, night, min(v) AS mn, max(v) AS mx, count(*) AS k
               FROM bv GROUP BY event_id, measure, night),
    per_night AS (SELECT m.*, r.mn, r.mx, r.k, a.a FROM matched m JOIN act a USING (event_id, measure, night)
                  JOIN spread r USING (event_id, measure, night)),
    stats AS (SELECT p.event_id, p.measure, round(sum(p.a), 6) AS actual, round(sum(p.mu), 6) AS base,
                     round(sum(p.mn), 6) AS base_min, round(sum(p.mx), 6) AS base_max, min(p.k) AS range_nights,
                     n.cv, n.cv * sqrt(sum(p.mu * p.mu)) AS base_std,
                     count(*) AS nights, len(list_distinct(flatten(list(p.bnights)))) AS base_nights
              FROM per_night p LEFT JOIN noise n USING (event_id, measure)
              GROUP BY p.event_id, p.measure, n.cv),
    hrs AS (SELECT event_id, list(DISTINCT hour) AS hours,
                   count(DISTINCT night) AS event_nights
            FROM slots GROUP BY event_id)
    SELECT ev.*, coalesce(len(ov.overlaps_with), 0) > 0 AS overlap,
           coalesce(ov.overlaps_with, []::VARCHAR[]) AS overlaps_with,
           coalesce(h.hours, []::TINYINT[]) AS hours, coalesce(h.event_nights, 0) AS event_nights,
           greatest(coalesce(sv.nights, 0), coalesce(ss.nights, 0)) AS nights,
           greatest(coalesce(sv.base_nights, 0), coalesce(ss.base_nights, 0)) AS base_nights,
           greatest(coalesce(sv.range_nights, 0), coalesce(ss.range_nights, 0)) AS range_nights,
           sv.cv AS cv_visitors, ss.cv AS cv_spend,
           sv.actual AS actual_visitors, sv.base AS base_visitors, sv.base_std AS base_std_visitors,
           sv.base_min AS base_min_visitors, sv.base_max AS base_max_visitors,
           ss.actual AS actual_spend, ss.base AS base_spend, ss.base_std AS base_std_spend,
           ss.base_min AS base_min_spend, ss.base_max AS base_max_spend
    FROM ev LEFT JOIN ov USING (event_id) LEFT JOIN hrs h USING (event_id)
    LEFT JOIN (SELECT * FROM stats WHERE measure = 'visitors') sv USING (event_id)
    LEFT JOIN (SELECT * FROM stats WHERE measure = 'spend') ss USING (event_id)
    ORDER BY ev."start", ev.zone_id, ev.event_id
    """
    params = [
        *ev_params,
        flt.start, flt.end, *hour_params,
        *hour_params, *hour_params, *cat_params,
        base,
    ]
    out = _dates(store.query(sql, params))
    out["hours"] = [sorted(v, key=night_hour_index) if v is not None else [] for v in out["hours"]]
    return add_effects(out, normal_z=normal_z)


def add_effects(frame: pd.DataFrame, *, normal_z: float = NORMAL_Z) -> pd.DataFrame:
    """Add ``diff_m, pct_m, z_m, normal_m`` from ``actual_m, base_m, base_std_m`` for each measure.

    ``normal_m`` is whether ``actual_m`` lies within ``base_min_m … base_max_m``
    (missing without a range: fewer than :data:`MIN_RANGE_NIGHTS` baseline
    nights, or no data); without those columns, whether ``|z| < normal_z``.

    Parameters
    ----------
    frame
        Rows with ``actual_<m>``, ``base_<m>`` and ``base_std_<m>`` (and
        ``base_min_<m>``, ``base_max_<m>``, ``range_nights``).
    normal_z
        Without a min–max range: ``|z|`` below this is within the normal range.
    """
    out = frame.copy()
    for m in MEASURES:
        actual = pd.to_numeric(out[f"actual_{m}"], errors="coerce").astype(float)
        base = pd.to_numeric(out[f"base_{m}"], errors="coerce").astype(float)
        std = pd.to_numeric(out[f"base_std_{m}"], errors="coerce").astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            diff = actual - base
            pct = np.where(base > 0, (actual / base - 1.0) * 100.0, np.nan)
            z = np.where(std > 0, diff / std, np.nan)
        out[f"diff_{m}"] = diff
        out[f"pct_{m}"] = pct
        out[f"z_{m}"] = z
        if f"base_min_{m}" in out and f"base_max_{m}" in out:
            lo, hi = _range_of(out, m)
            out[f"normal_{m}"] = pd.array(
                [None if (a != a or x != x or y != y) else bool(x <= a <= y)
                 for a, x, y in zip(actual, lo, hi, strict=True)], dtype="boolean")
        else:
            out[f"normal_{m}"] = pd.array([None if np.isnan(v) else bool(abs(v) < normal_z) for v in z],
                                          dtype="boolean")
    return out


def _range_of(effects: pd.DataFrame, measure: str) -> tuple[pd.Series, pd.Series]:
    """``base_min``, ``base_max`` of ``measure``; NaN where fewer than :data:`MIN_RANGE_NIGHTS` nights."""
    lo = pd.to_numeric(effects[f"base_min_{measure}"], errors="coerce").astype(float)
    hi = pd.to_numeric(effects[f"base_max_{measure}"], errors="coerce").astype(float)
    if "range_nights" in effects:
        few = pd.to_numeric(effects["range_nights"], errors="coerce").fillna(0).to_numpy() < MIN_RANGE_NIGHTS
        lo, hi = lo.mask(few), hi.mask(few)
    return lo, hi


def normal_range(effects: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The ordinary-night range of ``measure``: quietest to busiest baseline night, absolute and in %.

    Parameters
    ----------
    effects
        :func:`event_effects` output.
    measure
        ``"visitors"`` or ``"spend"``.

    Returns
    -------
    DataFrame
        ``event_id, lo, hi`` (``base_min``, ``base_max``) and ``lo_pct, hi_pct``
        (their change vs the baseline mean, in %); NaN where there is no range
        (fewer than :data:`MIN_RANGE_NIGHTS` baseline nights, or no baseline).
    """
    lo, hi = _range_of(effects, measure)
    base = pd.to_numeric(effects[f"base_{measure}"], errors="coerce").astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo_pct = np.where(base > 0, (lo / base - 1.0) * 100.0, np.nan)
        hi_pct = np.where(base > 0, (hi / base - 1.0) * 100.0, np.nan)
    return pd.DataFrame({
        "event_id": effects["event_id"].to_numpy(),
        "lo": lo.to_numpy(),
        "hi": hi.to_numpy(),
        "lo_pct": lo_pct,
        "hi_pct": hi_pct,
    })


def verdict_key(pct: float, lo_pct: float, hi_pct: float) -> str:
    """``above``, ``below``, ``normal``, ``unknown`` (no range to judge by) or ``no_data``.

    Parameters
    ----------
    pct
        The change vs baseline in percent (NaN without data or baseline).
    lo_pct, hi_pct
        The normal range (:func:`normal_range`) in percent, NaN without one.
    """
    if pct != pct:
        return "no_data"
    if lo_pct != lo_pct or hi_pct != hi_pct:
        return "unknown"
    if pct > hi_pct:
        return "above"
    if pct < lo_pct:
        return "below"
    return "normal"


def verdicts(effects: pd.DataFrame, measure: str) -> list[str]:
    """:func:`verdict_key` of every row of :func:`event_effects` for ``measure``, in row order."""
    band = normal_range(effects, measure)
    pct = pd.to_numeric(effects[f"pct_{measure}"], errors="coerce").astype(float).to_numpy()
    return [verdict_key(float(p), float(lo), float(hi))
            for p, lo, hi in zip(pct, band["lo_pct"].to_numpy(), band["hi_pct"].to_numpy(), strict=True)]


# --------------------------------------------------------------------------- display order

DISPLAY_GROUPS: tuple[str, ...] = ("ceremony", "reported", "other")
"""Display order of events: the launch ceremony (and any ceremony), then the events the source article
reports (``simulated`` false), then the rest (simulated events)."""


def display_group(kind: object, simulated: object) -> int:
    """The display group of an event: 0 ceremony, 1 reported in the source article, 2 the rest.

    Parameters
    ----------
    kind
        The event kind (``ceremony``, ``promotion``, ``voucher`` …).
    simulated
        Whether the event itself is simulated (missing counts as simulated).
    """
    if str(kind) == "ceremony":
        return 0
    if simulated is not None and not pd.isna(simulated) and not bool(simulated):
        return 1
    return 2


def rank_for_display(events: pd.DataFrame) -> pd.DataFrame:
    """Events in the order every list shows them: ceremony first, then the source's real events, then the rest.

    Within a group by start time, zone and event id. The presenter and its
    exports, the overview's zone events and the events page all use this order,
    so the launch night names the 启动仪式 first.

    Parameters
    ----------
    events
        Rows with ``kind``, ``start``, ``zone_id``, ``event_id`` and (optional)
        ``simulated``.

    Returns
    -------
    DataFrame
        The same rows re-ordered, with a fresh index.
    """
    if events.empty:
        return events.reset_index(drop=True)
    sim = events["simulated"] if "simulated" in events else pd.Series([True] * len(events), index=events.index)
    group = [display_group(k, s) for k, s in zip(events["kind"], sim, strict=True)]
    keyed = events.assign(_group=group, _start=pd.to_datetime(events["start"]))
    cols = ["_group", "_start"] + [c for c in ("zone_id", "event_id") if c in events]
    return keyed.sort_values(cols, kind="stable").drop(columns=["_group", "_start"]).reset_index(drop=True)
