"""Metrics: totals, weekday-matched baseline, uplift, trends, profiles and rankings.

Every aggregate runs in DuckDB through :meth:`nightmap.store.Store.query`;
only small result frames (a row per zone, night, hour or category) come back.

Baseline
--------
The baseline of a night is the average, over the pre-campaign baseline nights
(:func:`nightmap.campaign.baseline_nights`, holidays excluded) that fall on the
same weekday, of the same zone's total for the same hour window and
categories. A selection's baseline is the sum of its nights' baselines, taken
over the (zone, night) pairs that have data and a matching baseline weekday;
uplift compares the actual total on exactly those pairs with it, in percent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nightmap.campaign import CAMPAIGN_START, baseline_nights
from nightmap.filters import Filter, night_hour_index
from nightmap.store import Store

METRICS: tuple[str, ...] = ("visitors", "spend", "spend_per_visitor", "uplift")
"""Metrics that can colour the map. ``uplift`` is spending's change vs baseline."""
BASE_MEASURES: tuple[str, ...] = ("visitors", "spend", "orders")


def _nights_cte(flt: Filter, base: list[dt.date], *, by_zone: bool = True) -> tuple[str, list[object]]:
    """CTEs ``n`` (zone, night totals for the window and baseline nights) and ``b`` (baseline by weekday)."""
    f_where, f_params = flt.where("footfall", nights=False)
    s_where, s_params = flt.where("sales", nights=False)
    night_cond = "(night BETWEEN ? AND ? OR list_contains(?::DATE[], night))"
    night_params: list[object] = [flt.start, flt.end, base]
    sql = f"""
    f AS (SELECT zone_id, night, sum(visitors)::DOUBLE AS visitors FROM footfall
          WHERE {f_where} AND {night_cond} GROUP BY zone_id, night),
    s AS (SELECT zone_id, night, sum(spend_cny)::DOUBLE AS spend, sum(orders)::DOUBLE AS orders FROM sales
          WHERE {s_where} AND {night_cond} GROUP BY zone_id, night),
    n AS (SELECT zone_id, night, f.visitors, s.spend, s.orders FROM f FULL OUTER JOIN s USING (zone_id, night)),
    b AS (SELECT zone_id, dayofweek(night) AS dow, avg(visitors) AS visitors, avg(spend) AS spend,
                 avg(orders) AS orders, count(*) AS base_nights
          FROM n WHERE list_contains(?::DATE[], night) GROUP BY zone_id, dayofweek(night)),
    c AS (SELECT n.zone_id, n.night, n.visitors, n.spend, n.orders,
                 b.visitors AS b_visitors, b.spend AS b_spend, b.orders AS b_orders
          FROM n LEFT JOIN b ON b.zone_id = n.zone_id AND b.dow = dayofweek(n.night)
          WHERE n.night BETWEEN ? AND ?)
    """
    params = [*f_params, *night_params, *s_params, *night_params, base, flt.start, flt.end]
    return sql, params


def _base_list(campaign_start: dt.date) -> list[dt.date]:
    return baseline_nights(campaign_start=campaign_start)


def _pct(actual: pd.Series | float, base: pd.Series | float) -> pd.Series | float:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (np.asarray(actual, dtype=float) / np.asarray(base, dtype=float) - 1.0) * 100.0
    out = np.where(np.isfinite(out), out, np.nan)
    if isinstance(actual, pd.Series):
        return pd.Series(out, index=actual.index)
    return float(out)


def zone_summary(store: Store, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START) -> pd.DataFrame:
    """One row per zone selected by the filter's zones and categories.

    Returns
    -------
    DataFrame
        ``zone_id, nights, visitors, spend, orders, spend_per_visitor`` for the
        selection; ``m_visitors, m_spend, m_orders`` (actual totals on nights
        with a matching baseline), ``base_visitors, base_spend, base_orders,
        base_spend_per_visitor``; and ``uplift_visitors, uplift_spend,
        uplift_orders, uplift_spend_per_visitor`` in percent (NaN where there
        is no baseline). Zones without data have NaN measures.
    """
    base = _base_list(campaign_start)
    ctes, params = _nights_cte(flt, base)
    z_where, z_params = flt.zone_sql("zone_id")
    sql = f"""
    WITH {ctes}
    SELECT z.zone_id,
           count(c.night) AS nights,
           sum(c.visitors) AS visitors, sum(c.spend) AS spend, sum(c.orders) AS orders,
           sum(CASE WHEN c.b_visitors IS NOT NULL THEN c.visitors END) AS m_visitors,
           sum(CASE WHEN c.b_spend IS NOT NULL THEN c.spend END) AS m_spend,
           sum(CASE WHEN c.b_orders IS NOT NULL THEN c.orders END) AS m_orders,
           sum(c.b_visitors) AS base_visitors, sum(c.b_spend) AS base_spend, sum(c.b_orders) AS base_orders
    FROM (SELECT zone_id, rowid AS pos FROM zones WHERE {z_where}) z
    LEFT JOIN c ON c.zone_id = z.zone_id
    GROUP BY z.zone_id, z.pos ORDER BY z.pos
    """
    out = store.query(sql, [*params, *z_params])
    return _add_ratios(out)


def _add_ratios(out: pd.DataFrame) -> pd.DataFrame:
    out = out.copy()
    for col in ("visitors", "spend", "orders", "m_visitors", "m_spend", "m_orders",
                "base_visitors", "base_spend", "base_orders"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["spend_per_visitor"] = np.where(out["visitors"] > 0, out["spend"] / out["visitors"], np.nan)
        m_spv = np.where(out["m_visitors"] > 0, out["m_spend"] / out["m_visitors"], np.nan)
        out["base_spend_per_visitor"] = np.where(
            out["base_visitors"] > 0, out["base_spend"] / out["base_visitors"], np.nan
        )
    for m in BASE_MEASURES:
        out[f"uplift_{m}"] = _pct(out[f"m_{m}"], out[f"base_{m}"])
    out["uplift_spend_per_visitor"] = _pct(pd.Series(m_spv, index=out.index), out["base_spend_per_visitor"])
    return out


def totals(summary: pd.DataFrame) -> dict[str, float]:
    """Totals over the zones of a :func:`zone_summary`, with baseline and uplift (percent).

    Keys: ``visitors, spend, orders, spend_per_visitor`` and for each
    ``base_<m>`` and ``uplift_<m>``.
    """
    sums = summary[["visitors", "spend", "orders", "m_visitors", "m_spend", "m_orders",
                    "base_visitors", "base_spend", "base_orders"]].sum(min_count=1)
    row = pd.DataFrame([sums.to_dict()])
    row["nights"] = summary["nights"].max() if len(summary) else 0
    ratios = _add_ratios(row).iloc[0]
    return {k: (float(v) if pd.notna(v) else float("nan")) for k, v in ratios.items()}


def metric_values(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """``zone_id, value, baseline, uplift_pct`` of ``metric`` per zone, as the map and rankings need.

    ``uplift`` is spending's change vs baseline: its value is the percentage,
    its baseline the baseline spending.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {METRICS}")
    if metric == "uplift":
        value, baseline, uplift = summary["uplift_spend"], summary["base_spend"], summary["uplift_spend"]
    else:
        value, baseline, uplift = summary[metric], summary[f"base_{metric}"], summary[f"uplift_{metric}"]
    return pd.DataFrame(
        {"zone_id": summary["zone_id"], "value": value, "baseline": baseline, "uplift_pct": uplift}
    ).reset_index(drop=True)


def ranking(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Zones ranked by ``metric`` (highest first, zones without data last), with rank 1..n."""
    vals = metric_values(summary, metric).sort_values("value", ascending=False, na_position="last")
    vals.insert(0, "rank", range(1, len(vals) + 1))
    return vals.reset_index(drop=True)


def nightly(
    store: Store, flt: Filter, *, zone_id: str | None = None, campaign_start: dt.date = CAMPAIGN_START
) -> pd.DataFrame:
    """Per night: ``night, visitors, spend, orders`` and their weekday-matched baselines ``base_*``.

    Sums over the filter's zones, or only ``zone_id``. Nights with no data are absent (a gap, not a zero).
    """
    flt = flt.with_(zones=(zone_id,)) if zone_id else flt
    ctes, params = _nights_cte(flt, _base_list(campaign_start))
    sql = f"""
    WITH {ctes}
    SELECT night, sum(visitors) AS visitors, sum(spend) AS spend, sum(orders) AS orders,
           sum(b_visitors) AS base_visitors, sum(b_spend) AS base_spend, sum(b_orders) AS base_orders
    FROM c GROUP BY night ORDER BY night
    """
    out = store.query(sql, params)
    out["night"] = pd.to_datetime(out["night"]).dt.date
    return out


def nightly_by_zone(store: Store, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START) -> pd.DataFrame:
    """Per zone and night: ``zone_id, night, visitors, spend, orders, base_visitors, base_spend``."""
    ctes, params = _nights_cte(flt, _base_list(campaign_start))
    sql = f"""
    WITH {ctes}
    SELECT zone_id, night, visitors, spend, orders, b_visitors AS base_visitors, b_spend AS base_spend
    FROM c ORDER BY zone_id, night
    """
    out = store.query(sql, params)
    out["night"] = pd.to_datetime(out["night"]).dt.date
    return out


def hourly_profile(
    store: Store, flt: Filter, *, zone_id: str | None = None, campaign_start: dt.date = CAMPAIGN_START
) -> pd.DataFrame:
    """Average per hour of the night over the selected nights and over the baseline nights.

    Returns ``hour, order, visitors, spend, base_visitors, base_spend`` with
    ``order`` the position in the night (06:00 first), sorted by it.
    """
    flt = flt.with_(zones=(zone_id,)) if zone_id else flt
    base = _base_list(campaign_start)
    out = []
    for table, measure in (("footfall", "sum(visitors)::DOUBLE"), ("sales", "sum(spend_cny)::DOUBLE")):
        where, params = flt.where(table, nights=False)
        sql = f"""
        SELECT hour,
          sum(CASE WHEN night BETWEEN ? AND ? THEN v END) / nullif(count(DISTINCT CASE WHEN night BETWEEN ? AND ? THEN night END), 0) AS cur,
          sum(CASE WHEN list_contains(?::DATE[], night) THEN v END) / nullif(count(DISTINCT CASE WHEN list_contains(?::DATE[], night) THEN night END), 0) AS base
        FROM (SELECT hour, night, {measure} AS v FROM {table} WHERE {where}
              AND (night BETWEEN ? AND ? OR list_contains(?::DATE[], night)) GROUP BY hour, night)
        GROUP BY hour
        """
        p = [flt.start, flt.end, flt.start, flt.end, base, base, *params, flt.start, flt.end, base]
        out.append(store.query(sql, p).set_index("hour"))
    prof = pd.DataFrame(index=pd.Index(flt.hour_list, name="hour"))
    prof["visitors"] = out[0]["cur"]
    prof["base_visitors"] = out[0]["base"]
    prof["spend"] = out[1]["cur"]
    prof["base_spend"] = out[1]["base"]
    prof = prof.reset_index()
    prof["order"] = prof["hour"].map(night_hour_index)
    return prof.sort_values("order").reset_index(drop=True)


def category_mix(store: Store, flt: Filter, *, zone_id: str | None = None) -> pd.DataFrame:
    """Spending and orders by category for the selection: ``category, spend, orders, share`` (share in %)."""
    flt = flt.with_(zones=(zone_id,)) if zone_id else flt
    where, params = flt.where("sales")
    sql = f"""
    SELECT category, sum(spend_cny)::DOUBLE AS spend, sum(orders)::DOUBLE AS orders FROM sales
    WHERE {where} GROUP BY category ORDER BY CASE category WHEN 'eat' THEN 1 WHEN 'shop' THEN 2 ELSE 3 END
    """
    out = store.query(sql, params)
    total = out["spend"].sum()
    out["share"] = out["spend"] / total * 100.0 if total > 0 else np.nan
    return out


def events_in(store: Store, flt: Filter, *, zone_id: str | None = None) -> pd.DataFrame:
    """Events whose night is in the filter's range, in its zones and categories, by start time."""
    z_where, z_params = flt.zone_sql("e.zone_id")
    c_where, c_params = flt.category_sql("e.category")
    sql = f"""
    SELECT e.event_id, e.zone_id, e."start", e."end", e.category, e.kind, e.title_zh, e.title_en,
           e.expected_visitors, e.simulated, e.night
    FROM events e WHERE e.night BETWEEN ? AND ? AND {z_where} AND {c_where}
    """
    params: list[object] = [flt.start, flt.end, *z_params, *c_params]
    if zone_id:
        sql += " AND e.zone_id = ?"
        params.append(zone_id)
    return store.query(sql + ' ORDER BY e."start", e.zone_id', params)


def data_range(store: Store) -> tuple[dt.date, dt.date] | None:
    """First and last night with footfall or sales data, or None for an empty store."""
    row = store.query(
        "SELECT min(night) AS lo, max(night) AS hi FROM (SELECT night FROM footfall UNION ALL SELECT night FROM sales)"
    ).iloc[0]
    if pd.isna(row["lo"]):
        return None
    return pd.Timestamp(row["lo"]).date(), pd.Timestamp(row["hi"]).date()


@dataclass(frozen=True)
class Attention:
    """A zone that needs attention, or a best performer, with the reason."""

    zone_id: str
    reason: str
    """``lagging`` (worst change vs baseline), ``low_night`` (a night far below its usual) or ``best``."""
    value: float
    """The uplift in percent, or for ``low_night`` the night's ratio to baseline in percent."""
    night: dt.date | None = None


def attention(
    summary: pd.DataFrame,
    by_night: pd.DataFrame,
    *,
    n: int = 3,
    low_ratio: float = 0.7,
    measure: str = "spend",
) -> tuple[list[Attention], list[Attention]]:
    """Zones that need attention and the best performers.

    Needs attention: the ``n`` zones with the worst change of ``measure`` vs
    baseline (only those below the median), plus any zone with a night below
    ``low_ratio`` of its own baseline for that night. Best: the ``n`` with the
    highest change.
    """
    up = summary[["zone_id", f"uplift_{measure}"]].dropna().sort_values(f"uplift_{measure}")
    lag: list[Attention] = []
    if len(up):
        median = up[f"uplift_{measure}"].median()
        worst = up[up[f"uplift_{measure}"] < median].head(n)
        lag = [Attention(r.zone_id, "lagging", float(getattr(r, f"uplift_{measure}"))) for r in worst.itertuples()]
    bn = by_night.dropna(subset=[measure, f"base_{measure}"])
    bn = bn[bn[f"base_{measure}"] > 0]
    if len(bn):
        ratio = bn[measure] / bn[f"base_{measure}"]
        low = bn.assign(ratio=ratio)[ratio < low_ratio].sort_values("ratio")
        flagged = {a.zone_id for a in lag}
        for r in low.drop_duplicates("zone_id").itertuples():
            if r.zone_id not in flagged:
                lag.append(Attention(r.zone_id, "low_night", float(r.ratio * 100.0), r.night))
    best_rows = up.sort_values(f"uplift_{measure}", ascending=False).head(n)
    best = [Attention(r.zone_id, "best", float(getattr(r, f"uplift_{measure}"))) for r in best_rows.itertuples()]
    return lag, best
