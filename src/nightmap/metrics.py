"""Metrics: totals, weekday-matched baseline, uplift, trends, profiles and rankings.

Every aggregate runs in DuckDB through :meth:`nightmap.store.Store.query`;
only small result frames (a row per zone, night, hour or category) come back.

Baseline
--------
The baseline of a night is the average, over the pre-campaign baseline nights
(:func:`nightmap.campaign.baseline_nights`, holidays excluded) that fall on the
same weekday, of the same zone's total for the same hour window and
categories; a baseline night itself is left out of its own baseline. A selection's baseline is the sum of its nights' baselines, taken
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

METRICS: tuple[str, ...] = ("visitors", "spend", "spend_per_visitor", "uplift", "uplift_visitors")
"""Metrics that can colour the map. ``uplift`` is spending's change vs baseline, ``uplift_visitors``
visitors' change vs baseline (both in percent); ``spend_per_visitor`` is 人均消费 (spend ÷ visitors)."""
CHANGE_METRICS: dict[str, str] = {"uplift": "spend", "uplift_visitors": "visitors"}
"""The change-vs-baseline metrics and the measure each one compares with its baseline."""
BASE_MEASURES: tuple[str, ...] = ("visitors", "spend", "orders")


def change_measure(metric: str) -> str | None:
    """The measure a change-vs-baseline metric compares, or None for any other metric.

    Parameters
    ----------
    metric
        A metric id, e.g. ``"uplift"`` (→ ``"spend"``) or ``"uplift_visitors"`` (→ ``"visitors"``).

    Returns
    -------
    str or None
        ``"spend"`` or ``"visitors"`` for the metrics of :data:`CHANGE_METRICS`, else None.
    """
    return CHANGE_METRICS.get(metric)


def is_change(metric: str) -> bool:
    """Whether ``metric`` is a change vs baseline in percent (coloured on a diverging scale).

    Parameters
    ----------
    metric
        A metric id.

    Returns
    -------
    bool
        True for ``uplift`` and ``uplift_visitors``.
    """
    return metric in CHANGE_METRICS


def _zone_cond(store: Store, flt: Filter) -> tuple[str, list[object]]:
    """The zone condition of ``flt`` for the big tables, or ``TRUE`` when it keeps every zone.

    The usual selection (every category, no zone subset) keeps all zones; dropping the
    semi-join then saves a hash probe per scanned row on a large store.
    """
    z_where, z_params = flt.zone_sql("zone_id")
    if flt.zones:
        return z_where, z_params
    kept, total = store.query(
        "SELECT count(*) FILTER (WHERE list_has_any(categories, ?::VARCHAR[])) AS kept, count(*) AS total FROM zones",
        [list(flt.categories)],
    ).iloc[0]
    return ("TRUE", []) if int(kept) == int(total) else (z_where, z_params)


def _nights_cte(
    flt: Filter, base: list[dt.date], *, zone_cond: tuple[str, list[object]] | None = None
) -> tuple[str, list[object]]:
    """CTEs ending in ``c``: per (zone, night) of the range, totals and the weekday-matched baseline.

    The nights of the range and the baseline nights are scanned separately, each with a
    plain ``night BETWEEN`` bound (the tables are sorted by night, so DuckDB skips the row
    groups outside it), and aggregated separately: ``n`` holds the range's (zone, night)
    totals, ``nb`` the baseline nights' and ``b`` their average by zone and weekday.

    Parameters
    ----------
    flt
        The filter.
    base
        The baseline nights.
    zone_cond
        The zone condition (see :func:`_zone_cond`); default ``flt.zone_sql()``.
    """
    z_sql, z_params = zone_cond if zone_cond is not None else flt.zone_sql()
    h_sql, h_params = flt.hour_sql()
    c_sql, c_params = flt.category_sql()
    ranges: dict[str, tuple[str, list[object]]] = {
        "cur": ("night BETWEEN ? AND ?", [flt.start, flt.end]),
        "base": (
            ("night BETWEEN ? AND ? AND list_contains(?::DATE[], night)", [min(base), max(base), base])
            if base else ("FALSE", [])
        ),
    }
    parts: list[str] = []
    params: list[object] = []
    for key, (r_sql, r_params) in ranges.items():
        parts.append(
            f"f_{key} AS (SELECT zone_id, night, sum(visitors)::DOUBLE AS visitors FROM footfall"
            f" WHERE {r_sql} AND {z_sql} AND {h_sql} GROUP BY zone_id, night)"
        )
        params += [*r_params, *z_params, *h_params]
        parts.append(
            f"s_{key} AS (SELECT zone_id, night, sum(spend_cny)::DOUBLE AS spend, sum(orders)::DOUBLE AS orders"
            f" FROM sales WHERE {r_sql} AND {z_sql} AND {h_sql} AND {c_sql} GROUP BY zone_id, night)"
        )
        params += [*r_params, *z_params, *h_params, *c_params]
    parts.append(
        "n AS (SELECT zone_id, night, f.visitors, s.spend, s.orders"
        " FROM f_cur f FULL OUTER JOIN s_cur s USING (zone_id, night))"
    )
    parts.append(
        "nb AS (SELECT zone_id, night, f.visitors, s.spend, s.orders"
        " FROM f_base f FULL OUTER JOIN s_base s USING (zone_id, night))"
    )
    parts.append(
        "b AS (SELECT zone_id, dayofweek(night) AS dow, sum(visitors) AS sv, count(visitors) AS cv,"
        " sum(spend) AS ss, count(spend) AS cs, sum(orders) AS so, count(orders) AS co"
        " FROM nb GROUP BY zone_id, dayofweek(night))"
    )
    # A night's baseline is the mean of the *other* baseline nights on its weekday: a pre-campaign
    # night never counts in its own baseline (o is that night's own row when it is a baseline night).
    loo = ", ".join(
        f"(b.s{m[0]} - coalesce(o.{m}, 0)) / nullif(b.c{m[0]} - CASE WHEN o.{m} IS NULL THEN 0 ELSE 1 END, 0)"
        f" AS b_{m}"
        for m in ("visitors", "spend", "orders")
    )
    parts.append(
        f"c AS (SELECT n.zone_id, n.night, n.visitors, n.spend, n.orders, {loo}"
        " FROM n LEFT JOIN b ON b.zone_id = n.zone_id AND b.dow = dayofweek(n.night)"
        " LEFT JOIN nb o ON o.zone_id = n.zone_id AND o.night = n.night)"
    )
    return ",\n    ".join(parts), params


def _base_list(campaign_start: dt.date) -> list[dt.date]:
    return baseline_nights(campaign_start=campaign_start)


def _pct(actual: pd.Series | float, base: pd.Series | float) -> pd.Series | float:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (np.asarray(actual, dtype=float) / np.asarray(base, dtype=float) - 1.0) * 100.0
    out = np.where(np.isfinite(out), out, np.nan)
    if isinstance(actual, pd.Series):
        return pd.Series(out, index=actual.index)
    return float(out)


def zone_nights(store: Store, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START) -> pd.DataFrame:
    """Per (zone, night) of the range, with each night's weekday baseline: one scan of the big tables.

    :func:`zone_summary` and :func:`nightly_by_zone` are both built from these rows
    (at most zones × nights); the overview asks for both with the same filter, so it
    computes them once and passes them as ``nights=`` (the page caches them).

    Returns
    -------
    DataFrame
        ``zone_id, night, visitors, spend, orders, b_visitors, b_spend, b_orders``,
        sorted by zone and night; ``night`` as ``datetime64``.
    """
    ctes, params = _nights_cte(flt, _base_list(campaign_start), zone_cond=_zone_cond(store, flt))
    sql = f"""
    WITH {ctes}
    SELECT zone_id, night, visitors, spend, orders, b_visitors, b_spend, b_orders FROM c ORDER BY zone_id, night
    """
    return store.query(sql, params)


def _as_dates(values: pd.Series) -> pd.Series:
    """A date column as ``datetime.date`` objects (converting each distinct night once)."""
    codes, uniques = pd.factorize(values)
    if len(values) == 0:
        return pd.Series([], index=values.index, dtype=object)
    dates = np.asarray(pd.DatetimeIndex(uniques).date, dtype=object)
    return pd.Series(dates[codes], index=values.index, dtype=object)


def zone_summary(
    store: Store, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START, nights: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per zone selected by the filter's zones and categories, in the zones' order.

    The totals are summed in DuckDB per (zone, night) (:func:`zone_nights`, or
    ``nights`` when the caller already has them for this filter); only those rows —
    at most zones × nights — are summed here per zone. ``nights`` is not modified.

    Returns
    -------
    DataFrame
        ``zone_id, nights, visitors, spend, orders, spend_per_visitor`` for the
        selection; ``m_visitors, m_spend, m_orders`` (actual totals on nights
        with a matching baseline), ``base_visitors, base_spend, base_orders,
        base_spend_per_visitor``; and ``uplift_visitors, uplift_spend,
        uplift_orders, uplift_spend_per_visitor`` in percent (NaN where there
        is no baseline); ``spend_per_order, base_spend_per_order,
        uplift_spend_per_order`` likewise (客单价). Zones without data have NaN measures.
    """
    c = zone_nights(store, flt, campaign_start=campaign_start) if nights is None else nights
    z_where, z_params = flt.zone_sql("zone_id")
    zone_ids = store.query(f"SELECT zone_id FROM zones WHERE {z_where} ORDER BY rowid", z_params)["zone_id"]
    sums = pd.DataFrame({"zone_id": c["zone_id"]})
    for m in BASE_MEASURES:
        sums[m] = c[m]
    for m in BASE_MEASURES:
        sums[f"m_{m}"] = c[m].where(c[f"b_{m}"].notna())
    for m in BASE_MEASURES:
        sums[f"base_{m}"] = c[f"b_{m}"]
    grouped = sums.groupby("zone_id", sort=False)
    totals_ = grouped.sum(min_count=1)
    totals_.insert(0, "nights", grouped.size())
    out = totals_.reindex(pd.Index(zone_ids, name="zone_id")).reset_index()
    out["nights"] = out["nights"].fillna(0).astype("int64")
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
        # 客单价: spending per order (what officials mean by it), beside 人均消费 (spend per visitor)
        out["spend_per_order"] = np.where(out["orders"] > 0, out["spend"] / out["orders"], np.nan)
        m_spo = np.where(out["m_orders"] > 0, out["m_spend"] / out["m_orders"], np.nan)
        out["base_spend_per_order"] = np.where(out["base_orders"] > 0, out["base_spend"] / out["base_orders"], np.nan)
    for m in BASE_MEASURES:
        out[f"uplift_{m}"] = _pct(out[f"m_{m}"], out[f"base_{m}"])
    out["uplift_spend_per_visitor"] = _pct(pd.Series(m_spv, index=out.index), out["base_spend_per_visitor"])
    out["uplift_spend_per_order"] = _pct(pd.Series(m_spo, index=out.index), out["base_spend_per_order"])
    return out


def totals(summary: pd.DataFrame) -> dict[str, float]:
    """Totals over the zones of a :func:`zone_summary`, with baseline and uplift (percent).

    Keys: ``visitors, spend, orders, spend_per_visitor`` (人均消费, spend ÷ visitors),
    ``spend_per_order`` (客单价, spend ÷ orders) and for each ``base_<m>`` and ``uplift_<m>``.
    """
    sums = summary[["visitors", "spend", "orders", "m_visitors", "m_spend", "m_orders",
                    "base_visitors", "base_spend", "base_orders"]].sum(min_count=1)
    row = pd.DataFrame([sums.to_dict()])
    row["nights"] = summary["nights"].max() if len(summary) else 0
    ratios = _add_ratios(row).iloc[0]
    return {k: (float(v) if pd.notna(v) else float("nan")) for k, v in ratios.items()}


def metric_values(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """``zone_id, value, baseline, uplift_pct`` of ``metric`` per zone, as the map and rankings need.

    ``uplift`` (spending) and ``uplift_visitors`` (visitors) are changes vs baseline:
    the value is the percentage, the baseline that measure's baseline.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {METRICS}")
    measure = change_measure(metric)
    if measure is not None:
        value, baseline, uplift = summary[f"uplift_{measure}"], summary[f"base_{measure}"], summary[f"uplift_{measure}"]
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
    ctes, params = _nights_cte(flt, _base_list(campaign_start), zone_cond=_zone_cond(store, flt))
    sql = f"""
    WITH {ctes}
    SELECT night, sum(visitors) AS visitors, sum(spend) AS spend, sum(orders) AS orders,
           sum(b_visitors) AS base_visitors, sum(b_spend) AS base_spend, sum(b_orders) AS base_orders
    FROM c GROUP BY night ORDER BY night
    """
    out = store.query(sql, params)
    out["night"] = pd.to_datetime(out["night"]).dt.date
    return out


def nightly_by_zone(
    store: Store, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START, nights: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per zone and night: ``zone_id, night, visitors, spend, orders, base_visitors, base_spend``.

    From :func:`zone_nights`, or ``nights`` when the caller already has them for this filter.
    """
    c = zone_nights(store, flt, campaign_start=campaign_start) if nights is None else nights
    out = c[["zone_id", "night", "visitors", "spend", "orders", "b_visitors", "b_spend"]].rename(
        columns={"b_visitors": "base_visitors", "b_spend": "base_spend"}
    )
    out["night"] = _as_dates(out["night"])
    return out.reset_index(drop=True)


def hourly_profile(
    store: Store, flt: Filter, *, zone_id: str | None = None, campaign_start: dt.date = CAMPAIGN_START
) -> pd.DataFrame:
    """Average per hour of the night over the selected nights, and its weekday-matched baseline.

    For each selected night with data, the baseline of an hour is the mean of that
    hour over the baseline nights on the same weekday (the night itself left out,
    holidays excluded), as for the KPIs; both columns are averaged over those nights.

    Returns ``hour, order, visitors, spend, base_visitors, base_spend`` with
    ``order`` the position in the night (06:00 first), sorted by it.
    """
    flt = flt.with_(zones=(zone_id,)) if zone_id else flt
    base = _base_list(campaign_start)
    b_lo, b_hi = (min(base), max(base)) if base else (flt.start, flt.start)
    out = []
    for table, measure in (("footfall", "sum(visitors)::DOUBLE"), ("sales", "sum(spend_cny)::DOUBLE")):
        where, params = flt.where(table, nights=False)
        sql = f"""
        WITH t AS (SELECT hour, night, {measure} AS v FROM {table} WHERE {where}
                   AND (night BETWEEN ? AND ? OR (night BETWEEN ? AND ? AND list_contains(?::DATE[], night)))
                   GROUP BY hour, night),
        cur AS (SELECT hour, night, v FROM t WHERE night BETWEEN ? AND ?),
        sel AS (SELECT DISTINCT night FROM cur),
        bn AS (SELECT hour, night, v FROM t WHERE list_contains(?::DATE[], night)),
        bd AS (SELECT hour, dayofweek(night) AS dow, sum(v) AS s, count(*) AS c FROM bn GROUP BY hour, dayofweek(night)),
        ex AS (SELECT bd.hour, (bd.s - coalesce(o.v, 0)) / nullif(bd.c - CASE WHEN o.v IS NULL THEN 0 ELSE 1 END, 0) AS e
               FROM sel JOIN bd ON bd.dow = dayofweek(sel.night)
               LEFT JOIN bn o ON o.hour = bd.hour AND o.night = sel.night),
        n AS (SELECT nullif(count(*), 0)::DOUBLE AS k FROM sel)
        SELECT h.hour,
               (SELECT sum(v) FROM cur WHERE cur.hour = h.hour) / (SELECT k FROM n) AS cur,
               (SELECT sum(e) FROM ex WHERE ex.hour = h.hour) / (SELECT k FROM n) AS base
        FROM (SELECT DISTINCT hour FROM t) h
        """
        p = [*params, flt.start, flt.end, b_lo, b_hi, base, flt.start, flt.end, base]
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
    row = store.query(  # min and max per table: far cheaper than over their union
        "SELECT least(f.lo, s.lo) AS lo, greatest(f.hi, s.hi) AS hi"
        " FROM (SELECT min(night) AS lo, max(night) AS hi FROM footfall) f,"
        " (SELECT min(night) AS lo, max(night) AS hi FROM sales) s"
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
    max_low: int = 10,
) -> tuple[list[Attention], list[Attention]]:
    """Zones that need attention and the best performers.

    Needs attention: the ``n`` zones with the worst change of ``measure`` vs
    baseline (only those below the median), plus any zone with a night below
    ``low_ratio`` of its own baseline for that night — its lowest such night, for
    the ``max_low`` zones with the lowest, so a city of hundreds of zones over a
    year gives a short list, not a button per zone. A lagging zone keeps its low
    night as a second reason (百货大楼: +6.8 % over the campaign, but 69 % of its
    baseline on launch night), except in a one-night view, where both say the
    same. Best: the ``n`` with the highest change. A zone may be on both lists
    (best over the period, one night low); :func:`by_zone` groups the reasons.
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
        low = low.drop_duplicates("zone_id")
        if bn["night"].nunique() == 1:  # one night: its low ratio is the lagging change said again
            low = low[~low["zone_id"].isin(flagged)]
        low = low.head(max_low)
        lag += [Attention(r.zone_id, "low_night", float(r.ratio * 100.0), r.night) for r in low.itertuples()]
    best_rows = up.sort_values(f"uplift_{measure}", ascending=False).head(n)
    best = [Attention(r.zone_id, "best", float(getattr(r, f"uplift_{measure}"))) for r in best_rows.itertuples()]
    return lag, best


@dataclass(frozen=True)
class ZoneAttention:
    """A zone on the attention (or best) list with every reason it is there.

    ``reasons`` are its items on this list, in the list's order; ``other`` its items
    on the other list, so the page can say why a zone is on both (best over the
    period, but one night low).
    """

    zone_id: str
    reasons: tuple[Attention, ...]
    other: tuple[Attention, ...] = ()


def by_zone(items: list[Attention], other: list[Attention] | None = None) -> list[ZoneAttention]:
    """Group :func:`attention` items per zone: one entry per zone, with all its reasons.

    Parameters
    ----------
    items
        One list from :func:`attention` (zones to watch, or best performers).
    other
        The other list; a zone's items there become its ``other``.

    Returns
    -------
    list of ZoneAttention
        In the order each zone first appears in ``items``.
    """
    grouped: dict[str, list[Attention]] = {}
    for item in items:
        grouped.setdefault(item.zone_id, []).append(item)
    elsewhere: dict[str, list[Attention]] = {}
    for item in other or []:
        elsewhere.setdefault(item.zone_id, []).append(item)
    return [ZoneAttention(z, tuple(r), tuple(elsewhere.get(z, ()))) for z, r in grouped.items()]


def baseline_basis(
    store: Store, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START
) -> dict[dt.date, list[dt.date]]:
    """The baseline nights each night of the range rests on, as in :func:`zone_summary`'s baseline.

    For every night of the filter's range with footfall in its zones and hours, the
    pre-campaign baseline nights (holidays excluded) on the same weekday that have
    footfall there, the night itself left out. A report says how few they are.

    Returns
    -------
    dict
        night → sorted baseline nights (an empty list: no baseline for that night).
    """
    base = _base_list(campaign_start)
    where, params = flt.where("footfall", nights=False)
    lo, hi = (min(base), max(base)) if base else (flt.start, flt.start)
    rows = store.query(
        f"SELECT DISTINCT night FROM footfall WHERE {where} AND"
        " (night BETWEEN ? AND ? OR (night BETWEEN ? AND ? AND list_contains(?::DATE[], night))) ORDER BY night",
        [*params, flt.start, flt.end, lo, hi, base],
    )
    nights = [pd.Timestamp(v).date() for v in rows["night"]]
    with_data = [n for n in nights if n in set(base)]
    return {
        n: [b for b in with_data if b.weekday() == n.weekday() and b != n]
        for n in nights if flt.start <= n <= flt.end
    }


@dataclass(frozen=True)
class BasisSummary:
    """How many baseline nights a view's baseline rests on (from :func:`baseline_basis`)."""

    used: tuple[dt.date, ...]
    """Every baseline night used by some night of the view, sorted."""
    fewest: int
    """The fewest baseline nights any night of the view rests on (nights without a baseline left out)."""
    most: int
    """The most baseline nights any night of the view rests on."""
    single: tuple[dt.date, ...]
    """The nights of the view whose baseline is one same-weekday night (Friday–Sunday in the bundled data)."""
    nights: int
    """Nights of the view with data."""


def basis_summary(basis: dict[dt.date, list[dt.date]]) -> BasisSummary:
    """Summarise :func:`baseline_basis` for a view: the nights used and how few each night rests on.

    Parameters
    ----------
    basis
        night → its baseline nights, as :func:`baseline_basis` returns.

    Returns
    -------
    BasisSummary
        ``fewest`` and ``most`` are 0 when no night of the view has a baseline.
    """
    counts = [len(v) for v in basis.values() if v]
    used = sorted({b for v in basis.values() for b in v})
    single = tuple(sorted(n for n, v in basis.items() if len(v) == 1))
    return BasisSummary(tuple(used), min(counts, default=0), max(counts, default=0), single, len(basis))
