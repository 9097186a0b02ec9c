"""Comparing zones side by side: the selection, the comparison table with ranks, and the workbook.

Nothing here queries the store: every function takes the small frames of
:mod:`nightmap.metrics` (computed for all zones under the shared filter) and
shapes them for the 片区对比 page and its downloads. What the page shows and
what the download holds are the same frames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nightmap import metrics
from nightmap.campaign import baseline_period
from nightmap.export import to_csv_bytes, to_xlsx_bytes
from nightmap.i18n import fmt_date, fmt_hour, t
from nightmap.tables import zone_names

MIN_ZONES = 2
MAX_ZONES = 6
DEFAULT_KIND = "complex"
"""The default selection: the four commercial complexes."""
COMPARE_METRICS: tuple[str, ...] = ("visitors", "spend", "spend_per_visitor", "uplift_visitors", "uplift")
"""Metrics of the comparison table; ``uplift_visitors`` and ``uplift`` are the changes of visitors and
of spending vs baseline (as on the map)."""


def default_zones(zones: pd.DataFrame) -> tuple[str, ...]:
    """The commercial complexes (at most :data:`MAX_ZONES`), else the first four zones."""
    ids = tuple(zones.loc[zones["kind"] == DEFAULT_KIND, "zone_id"])[:MAX_ZONES]
    return ids if len(ids) >= MIN_ZONES else tuple(zones["zone_id"])[:4]


def selection(requested: Sequence[str], zones: pd.DataFrame) -> tuple[str, ...]:
    """The zones to compare: known ids from ``requested`` (in order, no repeats, at most six).

    Fewer than :data:`MIN_ZONES` valid ids fall back to :func:`default_zones`.
    """
    known = set(zones["zone_id"])
    out = tuple(dict.fromkeys(z for z in requested if z in known))[:MAX_ZONES]
    return out if len(out) >= MIN_ZONES else default_zones(zones)


def _value_label(metric: str, lang: str) -> str:
    if metrics.is_change(metric):
        return t(f"metric.{metric}", lang) + " (%)"
    return t(f"col.{metric}", lang)


def comparison_table(
    summary: pd.DataFrame, zones: pd.DataFrame, chosen: Sequence[str], lang: str
) -> pd.DataFrame:
    """Each metric per chosen zone, with its rank among all zones and its baseline beside it.

    Parameters
    ----------
    summary
        :func:`nightmap.metrics.zone_summary` for *all* zones under the filter
        (the ranks are among them).
    zones
        The zones (``zone_id, name_zh, name_en, kind``).
    chosen
        The zones to show, in order.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    DataFrame
        One row per chosen zone: zone, type, then for each of
        :data:`COMPARE_METRICS` its value, rank (1 = highest; empty when the
        zone has no data) and baseline (``uplift`` has no baseline column: its
        baseline is 0 %).
    """
    names = zone_names(zones, lang)
    kinds = dict(zip(zones["zone_id"], zones["kind"], strict=False))
    cols: dict[str, Any] = {
        t("col.zone", lang): [names.get(z, z) for z in chosen],
        t("col.kind", lang): [t(f"kind.{kinds.get(z, 'street')}", lang) for z in chosen],
    }
    for metric in COMPARE_METRICS:
        ranked = metrics.ranking(summary, metric).set_index("zone_id")
        n = int(ranked["value"].notna().sum())
        decimals = 1 if metric == "spend_per_visitor" or metrics.is_change(metric) else 0
        value = ranked["value"].reindex(list(chosen)).astype(float)
        rank = ranked["rank"].reindex(list(chosen)).where(value.notna())
        short = t(f"metric.{metric}", lang)
        cols[_value_label(metric, lang)] = value.round(decimals).to_numpy()
        cols[t("compare.col.rank", lang, metric=short, n=n)] = rank.astype("Int64").to_numpy()
        if not metrics.is_change(metric):
            base = ranked["baseline"].reindex(list(chosen)).astype(float)
            cols[t("compare.col.baseline", lang, metric=short)] = base.round(decimals).to_numpy()
    return pd.DataFrame(cols)


def nightly_grid(by_zone: pd.DataFrame, chosen: Sequence[str], nights: Sequence[dt.date]) -> pd.DataFrame:
    """Every chosen zone × every night, NaN where a zone has no data that night (a gap, never a zero).

    Parameters
    ----------
    by_zone
        :func:`nightmap.metrics.nightly_by_zone`.
    chosen, nights
        The zones and the nights of the filter.

    Returns
    -------
    DataFrame
        ``zone_id, night, visitors, spend, orders, base_visitors, base_spend,
        spend_per_visitor, has_data`` in zone then night order.
    """
    grid = pd.MultiIndex.from_product([list(chosen), list(nights)], names=["zone_id", "night"])
    cols = ["visitors", "spend", "orders", "base_visitors", "base_spend"]
    data = by_zone[by_zone["zone_id"].isin(chosen)].set_index(["zone_id", "night"])[cols]
    out = data.reindex(grid).reset_index()
    for c in cols:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    out["has_data"] = out["visitors"].notna() | out["spend"].notna()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["spend_per_visitor"] = np.where(out["visitors"] > 0, out["spend"] / out["visitors"], np.nan)
    return out


def missing_nights(grid: pd.DataFrame) -> dict[str, list[dt.date]]:
    """Zones of a :func:`nightly_grid` with nights without data: ``zone_id`` → those nights."""
    gaps = grid[~grid["has_data"]]
    return {str(z): list(g["night"]) for z, g in gaps.groupby("zone_id", sort=False)}


def missing_note(gaps: Mapping[str, Sequence[dt.date]], names: Mapping[str, str], lang: str) -> str:
    """One sentence per zone with gaps: which nights have no data and that they show as gaps, not zeros."""
    parts = []
    for zone_id, nights in gaps.items():
        days = "、".join(fmt_date(d, lang, year=False) for d in nights) if lang != "en" else ", ".join(
            fmt_date(d, lang, year=False) for d in nights)
        parts.append(t("compare.missing", lang, zone=names.get(zone_id, zone_id), nights=days, n=len(nights)))
    return " ".join(parts)


def uplift_frame(summary: pd.DataFrame, chosen: Sequence[str]) -> pd.DataFrame:
    """``zone_id, uplift_visitors, uplift_spend`` (percent vs baseline) for the chosen zones, in order."""
    s = summary.set_index("zone_id").reindex(list(chosen))
    return pd.DataFrame({
        "zone_id": list(chosen),
        "uplift_visitors": s["uplift_visitors"].astype(float).to_numpy(),
        "uplift_spend": s["uplift_spend"].astype(float).to_numpy(),
    })


def spv_frame(summary: pd.DataFrame, chosen: Sequence[str]) -> pd.DataFrame:
    """``zone_id, spend_per_visitor, base_spend_per_visitor`` for the chosen zones, in order."""
    s = summary.set_index("zone_id").reindex(list(chosen))
    return pd.DataFrame({
        "zone_id": list(chosen),
        "spend_per_visitor": s["spend_per_visitor"].astype(float).to_numpy(),
        "base_spend_per_visitor": s["base_spend_per_visitor"].astype(float).to_numpy(),
    })


def stack(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per-zone frames (``zone_id`` → frame) as one frame with a leading ``zone_id`` column."""
    parts = [f.assign(zone_id=z)[["zone_id", *f.columns]] for z, f in frames.items()]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["zone_id"])


def window_text(start: dt.date, end: dt.date, hours: tuple[int, int], lang: str) -> str:
    """``2022年6月17日 至 2022年6月30日，17:00—02:00`` in the page's words."""
    return t("filter.window", lang, start=fmt_date(start, lang), end=fmt_date(end, lang),
             h0=fmt_hour(hours[0]), h1=fmt_hour(hours[1] % 24))


def filter_sheet(
    *,
    start: dt.date,
    end: dt.date,
    hours: tuple[int, int],
    categories: Sequence[str],
    chosen: Sequence[str],
    zones: pd.DataFrame,
    status: str,
    source: Mapping[str, Any],
    lang: str,
    note: str = "",
    exported_at: dt.datetime | None = None,
    data_range: tuple[dt.date, dt.date] | None = None,
) -> pd.DataFrame:
    """The workbook's first sheet: the filters and the data's source, as ``item, value`` rows.

    The baseline row states one period, from one source
    (:func:`nightmap.campaign.baseline_period`): the first and last baseline
    night that can have data, and how many nights.

    Parameters
    ----------
    start, end, hours, categories
        The shared filter.
    chosen
        The compared zones.
    zones
        The zones (for names).
    status
        :meth:`nightmap.store.Store.data_status` (``simulated``, ``mixed``, ``real``).
    source
        :meth:`nightmap.store.Store.source_info` (the data folder's ``source.json``).
    lang
        ``"zh"`` or ``"en"``.
    note
        The missing-data note, if any.
    exported_at
        When the file was made (default: now).
    data_range
        First and last night with data (default: the ``start`` and ``end`` of ``source``).
    """
    names = zone_names(zones, lang)
    if data_range is None and source.get("start") and source.get("end"):
        data_range = (dt.date.fromisoformat(str(source["start"])), dt.date.fromisoformat(str(source["end"])))
    period = baseline_period(*(data_range or (None, None)))
    src = "; ".join(f"{k}={v}" for k, v in source.items()) if source else "—"
    rows = [
        (t("compare.sheet.window", lang), window_text(start, end, hours, lang)),
        (t("filter.categories", lang), " / ".join(t(f"cat.{c}", lang) for c in categories)),
        (t("compare.sheet.zones", lang), " / ".join(names.get(z, z) for z in chosen)),
        (t("compare.sheet.baseline", lang),
         t("compare.sheet.baseline_rule", lang, start=fmt_date(period[0], lang), end=fmt_date(period[-1], lang),
           n=len(period)) if period else "—"),
        (t("compare.sheet.status", lang), t(f"compare.status.{status}", lang)),
        (t("compare.sheet.source", lang), src),
        (t("compare.sheet.exported", lang), (exported_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")),
    ]
    if note:
        rows.append((t("compare.sheet.note", lang), note))
    return pd.DataFrame(rows, columns=[t("compare.sheet.item", lang), t("compare.sheet.value", lang)])


def nightly_sheet(grid: pd.DataFrame, zones: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The night-by-night data of a :func:`nightly_grid` with localised headers (gaps stay empty)."""
    names = zone_names(zones, lang)
    return pd.DataFrame({
        t("col.zone", lang): [names.get(z, z) for z in grid["zone_id"]],
        t("chart.night", lang): [d.isoformat() for d in grid["night"]],
        t("col.visitors", lang): grid["visitors"].round(0).to_numpy(),
        t("compare.col.baseline", lang, metric=t("metric.visitors", lang)): grid["base_visitors"].round(0).to_numpy(),
        t("col.spend", lang): grid["spend"].round(0).to_numpy(),
        t("compare.col.baseline", lang, metric=t("metric.spend", lang)): grid["base_spend"].round(0).to_numpy(),
        t("col.spend_per_visitor", lang): grid["spend_per_visitor"].round(1).to_numpy(),
    })


def hourly_sheet(hourly: pd.DataFrame, zones: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Hour-of-night profiles (stacked :func:`nightmap.metrics.hourly_profile`) with localised headers."""
    names = zone_names(zones, lang)
    per = t("chart.per_night", lang).lstrip("，, ")
    return pd.DataFrame({
        t("col.zone", lang): [names.get(z, z) for z in hourly["zone_id"]],
        t("chart.hour", lang): [fmt_hour(int(h)) for h in hourly["hour"]],
        f"{t('col.visitors', lang)} · {per}": hourly["visitors"].round(1).to_numpy(),
        t("compare.col.baseline", lang, metric=t("metric.visitors", lang)): hourly["base_visitors"].round(1).to_numpy(),
        f"{t('col.spend', lang)} · {per}": hourly["spend"].round(1).to_numpy(),
        t("compare.col.baseline", lang, metric=t("metric.spend", lang)): hourly["base_spend"].round(1).to_numpy(),
    })


def category_sheet(mix: pd.DataFrame, zones: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Category mixes (stacked :func:`nightmap.metrics.category_mix`) with localised headers."""
    names = zone_names(zones, lang)
    return pd.DataFrame({
        t("col.zone", lang): [names.get(z, z) for z in mix["zone_id"]],
        t("col.category", lang): [t(f"cat.{c}", lang) for c in mix["category"]],
        t("col.spend", lang): mix["spend"].round(0).to_numpy(),
        t("col.orders", lang): mix["orders"].round(0).to_numpy(),
        t("chart.share", lang) + " (%)": mix["share"].round(1).to_numpy(),
    })


def workbook_sheets(
    *,
    filters: pd.DataFrame,
    table: pd.DataFrame,
    nightly: pd.DataFrame,
    hourly: pd.DataFrame,
    mix: pd.DataFrame,
    lang: str,
) -> dict[str, pd.DataFrame]:
    """The workbook's sheets in order, named in ``lang``: filters first, then one sheet per table."""
    return {
        t("compare.sheet.filters", lang): filters,
        t("compare.sheet.table", lang): table,
        t("compare.sheet.nightly", lang): nightly,
        t("compare.sheet.hourly", lang): hourly,
        t("compare.sheet.mix", lang): mix,
    }


def workbook_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """The comparison workbook (formula-safe XLSX)."""
    return to_xlsx_bytes(sheets)


def table_csv(table: pd.DataFrame) -> bytes:
    """The comparison table as formula-safe CSV."""
    return to_csv_bytes(table)
