"""The effect of each event: its zone's visitors and spending during its hours against ordinary nights.

Everything is aggregated in DuckDB through :meth:`nightmap.store.Store.query`
with ``?`` parameters; one row per event comes back.

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
   give the expected value (their mean) and their lowest and highest value.
   An event over several nights adds these up night by night.
4. **Spread (an ordinary night's noise).** The bundled data has only one or two
   baseline nights per weekday, too few for a standard deviation of their own.
   So the noise is estimated from *all* baseline nights: each night's relative
   deviation from the mean of its weekday group (same zone, same clock hours),
   pooled over the weekday groups (``sqrt(Σ d² / Σ (k − 1))``, the pooled
   within-weekday coefficient of variation ``cv``). The event's baseline
   standard deviation is ``cv × sqrt(Σ mean_n²)`` over its nights (``cv ×
   mean`` for a one-night event).
5. **Effect.** ``diff = actual − baseline``, ``pct = actual / baseline − 1``
   (in %), ``z = diff / std``. The effect is *within the normal range* when
   ``|z| <`` :data:`NORMAL_Z` — no bigger than an ordinary night's noise.
   Only event nights that have both data and at least one matched baseline
   night count; without them the effect is NaN (never zero).
6. **Overlap.** Events in the same zone whose times overlap (over all events in
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
"""An effect with ``|z|`` below this is within an ordinary night's noise."""
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
        ``|z|`` below this is "within the normal range".

    Returns
    -------
    DataFrame
        The columns of :func:`event_list`, then ``hours`` (the clock hours
        counted, in night order), ``nights`` (event nights counted),
        ``base_nights`` (distinct weekday-matched baseline nights used) and
        ``cv_<m>`` (pooled relative noise); and for ``m`` in ``visitors``,
        ``spend``: ``actual_m, base_m`` (mean of matched baseline nights),
        ``base_std_m, base_min_m, base_max_m, diff_m, pct_m`` (%), ``z_m`` and
        ``normal_m`` (bool; missing when ``z`` is). See the module docstring.
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
             SELECT 'spend' AS measure, zone_id, night, hour, sum(spend_cny)::DOUBLE AS v FROM sales
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
    matched AS (SELECT event_id, measure, night, avg(v) AS mu, min(v) AS mn, max(v) AS mx,
                       list(bnight) AS bnights
                FROM bv WHERE dayofweek(bnight) = dayofweek(night) GROUP BY event_id, measure, night),
    per_night AS (SELECT m.*, a.a FROM matched m JOIN act a USING (event_id, measure, night)),
    stats AS (SELECT p.event_id, p.measure, sum(p.a) AS actual, sum(p.mu) AS base, sum(p.mn) AS base_min,
                     sum(p.mx) AS base_max, n.cv, n.cv * sqrt(sum(p.mu * p.mu)) AS base_std,
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

    Parameters
    ----------
    frame
        Rows with ``actual_<m>``, ``base_<m>`` and ``base_std_<m>``.
    normal_z
        ``|z|`` below this is within the normal range.
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
        out[f"normal_{m}"] = pd.array([None if np.isnan(v) else bool(abs(v) < normal_z) for v in z],
                                      dtype="boolean")
    return out


def normal_range(effects: pd.DataFrame, measure: str, *, normal_z: float = NORMAL_Z) -> pd.DataFrame:
    """The ordinary-night range ``base ± normal_z × std`` of ``measure`` as ``lo, hi`` (absolute and in %).

    Returns
    -------
    DataFrame
        ``event_id, lo, hi, lo_pct, hi_pct`` (NaN where there is no spread).
    """
    base = effects[f"base_{measure}"].astype(float)
    std = effects[f"base_std_{measure}"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        half_pct = np.where(base > 0, normal_z * std / base * 100.0, np.nan)
    return pd.DataFrame({
        "event_id": effects["event_id"],
        "lo": base - normal_z * std,
        "hi": base + normal_z * std,
        "lo_pct": -half_pct,
        "hi_pct": half_pct,
    })


def verdict_key(pct: float, z: float, *, normal_z: float = NORMAL_Z) -> str:
    """``above``, ``below``, ``normal``, ``unknown`` (no spread to judge by) or ``no_data``.

    Parameters
    ----------
    pct
        The change vs baseline in percent (NaN without data or baseline).
    z
        Its z-score (NaN without a spread).
    normal_z
        ``|z|`` below this is within the normal range.
    """
    if pct != pct:
        return "no_data"
    if z != z:
        return "unknown"
    if z >= normal_z:
        return "above"
    if z <= -normal_z:
        return "below"
    return "normal"
