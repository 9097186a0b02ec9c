"""The overview's answers in plain pandas: the baseline the DuckDB path is checked and timed against.

This is what a data analyst would write with the data held in memory as
DataFrames: boolean masks, ``groupby``, ``merge``. It computes the same
answers as :mod:`nightmap.metrics` for the queries the overview page issues —
:func:`zone_summary`, :func:`nightly_by_zone`, :func:`events_in` and
:func:`data_range` — by the same rules (see the module docstrings of
:mod:`nightmap.metrics` and :mod:`nightmap.filters`):

* a night is the date it began on (hours 00:00–05:59 belong to the previous date);
* the hour window is half-open and may wrap past midnight;
* categories restrict sales rows to those categories and zones to the zones
  offering at least one of them; an explicit zone list restricts further;
* the baseline of a (zone, night) is the average, over the baseline nights
  (:func:`nightmap.campaign.baseline_nights`, holidays excluded) on the same
  weekday, of that zone's nightly totals; a selection's baseline is summed over
  the (zone, night) pairs with data and a matching baseline weekday, and
  uplift compares the actual totals on exactly those pairs.

It shares no query code with :mod:`nightmap.metrics`, so a test comparing the
two (``tests/test_scale.py``) checks the SQL, and ``benchmarks/scale.py``
never buys speed with wrong numbers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nightmap.campaign import CAMPAIGN_START, baseline_nights
from nightmap.filters import Filter
from nightmap.schema import CATEGORIES

__all__ = ["Tables", "data_range", "events_in", "load", "nightly_by_zone", "zone_summary"]

_NIGHT_SHIFT = pd.Timedelta(hours=6)


@dataclass(frozen=True)
class Tables:
    """The data in memory.

    Attributes
    ----------
    zones
        ``zone_id, categories`` (a list per zone), in file order.
    footfall
        ``zone_id, night, hour, visitors``.
    sales
        ``zone_id, night, hour, category, spend_cny, orders``.
    events
        The events file's columns plus ``night``.
    """

    zones: pd.DataFrame
    footfall: pd.DataFrame
    sales: pd.DataFrame
    events: pd.DataFrame


def _read(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path, columns=columns)
    frame = pd.read_csv(path, usecols=columns)
    for col in ("ts", "start", "end"):
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col])
    return frame


def _find(data_dir: Path, kind: str) -> Path:
    for suffix in (".parquet", ".csv"):
        path = data_dir / f"{kind}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"no {kind}.parquet or {kind}.csv in {data_dir}")


def _with_night(frame: pd.DataFrame, ts: str, *, hour: bool) -> pd.DataFrame:
    stamps = frame.pop(ts) if hour else frame[ts]
    frame["night"] = (stamps - _NIGHT_SHIFT).dt.normalize()
    if hour:
        frame["hour"] = stamps.dt.hour.astype("int8")
    return frame


def load(data_dir: Path) -> Tables:
    """Read a data folder (``zones.geojson`` and footfall / sales / events as Parquet or CSV).

    Parameters
    ----------
    data_dir
        The folder, as given to :meth:`nightmap.store.Store.open`.

    Returns
    -------
    Tables
        Zone ids and categories as ``category`` dtype; ``night`` and ``hour``
        derived once here (the store derives them once at build time too).
    """
    data_dir = Path(data_dir)
    features = json.loads((data_dir / "zones.geojson").read_text(encoding="utf-8"))["features"]
    zones = pd.DataFrame(
        {
            "zone_id": [str(f["properties"]["zone_id"]) for f in features],
            "categories": [list(f["properties"].get("categories") or []) for f in features],
        }
    )
    footfall = _with_night(_read(_find(data_dir, "footfall"), ["zone_id", "ts", "visitors"]), "ts", hour=True)
    footfall["zone_id"] = footfall["zone_id"].astype("category")
    sales = _read(_find(data_dir, "sales"), ["zone_id", "ts", "category", "spend_cny", "orders"])
    sales = _with_night(sales, "ts", hour=True)
    sales["zone_id"] = sales["zone_id"].astype("category")
    sales["category"] = sales["category"].astype("category")
    events = _with_night(_read(_find(data_dir, "events")), "start", hour=False)
    return Tables(zones=zones, footfall=footfall, sales=sales, events=events)


def selected_zones(tables: Tables, flt: Filter) -> list[str]:
    """Zones offering at least one of the filter's categories (and in its zone list, if any), in file order."""
    keep = [
        z for z, cats in zip(tables.zones["zone_id"], tables.zones["categories"], strict=True)
        if any(c in flt.categories for c in cats)
    ]
    if flt.zones:
        keep = [z for z in keep if z in set(flt.zones)]
    return keep


def _night_totals(
    tables: Tables, flt: Filter, nights: Callable[[pd.Series], pd.Series]
) -> pd.DataFrame:
    """``zone_id, night, visitors, spend, orders`` for the filter, on the nights ``nights`` keeps.

    ``nights`` takes a ``night`` column and returns a boolean mask.
    """
    zones = selected_zones(tables, flt)
    hours = list(flt.hour_list)
    ff = tables.footfall
    f_mask = ff["zone_id"].isin(zones) & ff["hour"].isin(hours) & nights(ff["night"])
    f = ff[f_mask].groupby(["zone_id", "night"], observed=True)["visitors"].sum().astype(float).to_frame()
    sa = tables.sales
    s_mask = sa["zone_id"].isin(zones) & sa["hour"].isin(hours) & nights(sa["night"])
    if len(flt.categories) < len(CATEGORIES):
        s_mask &= sa["category"].isin(list(flt.categories))
    s = sa[s_mask].groupby(["zone_id", "night"], observed=True)[["spend_cny", "orders"]].sum().astype(float)
    s = s.rename(columns={"spend_cny": "spend"})
    out = f.join(s, how="outer").reset_index()
    out["zone_id"] = out["zone_id"].astype(str)
    return out


def zone_nights(tables: Tables, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START) -> pd.DataFrame:
    """Per (zone, night) of the range: totals and the weekday-matched baseline ``b_*``.

    As :func:`nightmap.metrics.zone_nights`: computed once per filter by the caller and
    passed to :func:`zone_summary` and :func:`nightly_by_zone` as ``nights=``, so the
    benchmark's two sides share work the same way.
    """
    return _compute_zone_nights(tables, flt, campaign_start)


def _compute_zone_nights(tables: Tables, flt: Filter, campaign_start: dt.date) -> pd.DataFrame:
    base = pd.to_datetime(pd.Series(baseline_nights(campaign_start=campaign_start), dtype="object"))
    lo, hi = pd.Timestamp(flt.start), pd.Timestamp(flt.end)
    cur = _night_totals(tables, flt, lambda night: (night >= lo) & (night <= hi))
    nb = _night_totals(tables, flt, lambda night: night.isin(base))
    measures = ["visitors", "spend", "orders"]
    nb["dow"] = nb["night"].dt.day_of_week
    grouped = nb.groupby(["zone_id", "dow"])[measures]
    sums = grouped.sum(min_count=1).add_prefix("s_").reset_index()
    counts = grouped.count().add_prefix("n_").reset_index()
    cur["dow"] = cur["night"].dt.day_of_week
    out = cur.merge(sums, on=["zone_id", "dow"], how="left").merge(counts, on=["zone_id", "dow"], how="left")
    own = nb[["zone_id", "night", *measures]].add_prefix("o_").rename(
        columns={"o_zone_id": "zone_id", "o_night": "night"})
    out = out.merge(own, on=["zone_id", "night"], how="left")
    for m in measures:  # a baseline night never counts in its own baseline
        n = out[f"n_{m}"] - out[f"o_{m}"].notna().astype(int)
        out[f"b_{m}"] = (out[f"s_{m}"] - out[f"o_{m}"].fillna(0)) / n.where(n > 0)
    return out[[*cur.columns.drop("dow"), "b_visitors", "b_spend", "b_orders"]]


def zone_summary(
    tables: Tables, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START, nights: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per selected zone, as :func:`nightmap.metrics.zone_summary` returns it.

    Parameters
    ----------
    tables
        From :func:`load`.
    flt
        The filter.
    campaign_start
        The campaign's first night; baseline nights are the 28 before it, holidays excluded.
    nights
        :func:`zone_nights` for this filter, when the caller has it already (not modified).

    Returns
    -------
    DataFrame
        ``zone_id, nights, visitors, spend, orders, m_*, base_*`` and the ratios
        ``spend_per_visitor, base_spend_per_visitor, uplift_*``.
    """
    c = (zone_nights(tables, flt, campaign_start=campaign_start) if nights is None else nights).copy()
    for m in ("visitors", "spend", "orders"):
        c[f"m_{m}"] = c[m].where(c[f"b_{m}"].notna())
    sums = c.groupby("zone_id")[
        ["visitors", "spend", "orders", "m_visitors", "m_spend", "m_orders", "b_visitors", "b_spend", "b_orders"]
    ].sum(min_count=1)
    sums = sums.rename(columns={"b_visitors": "base_visitors", "b_spend": "base_spend", "b_orders": "base_orders"})
    sums["nights"] = c.groupby("zone_id").size()
    out = sums.reindex(selected_zones(tables, flt))
    out["nights"] = out["nights"].fillna(0).astype("int64")
    out = out.rename_axis("zone_id").reset_index()
    return _ratios(out)


def _ratios(out: pd.DataFrame) -> pd.DataFrame:
    def ratio(a: pd.Series, b: pd.Series) -> pd.Series:
        return (a / b).where(b > 0)

    def pct(a: pd.Series, b: pd.Series) -> pd.Series:
        r = (a / b - 1.0) * 100.0
        return r.where(np.isfinite(r))

    out["spend_per_visitor"] = ratio(out["spend"], out["visitors"])
    out["base_spend_per_visitor"] = ratio(out["base_spend"], out["base_visitors"])
    for m in ("visitors", "spend", "orders"):
        out[f"uplift_{m}"] = pct(out[f"m_{m}"], out[f"base_{m}"])
    out["uplift_spend_per_visitor"] = pct(ratio(out["m_spend"], out["m_visitors"]), out["base_spend_per_visitor"])
    return out


def nightly_by_zone(
    tables: Tables, flt: Filter, *, campaign_start: dt.date = CAMPAIGN_START, nights: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per zone and night: ``zone_id, night, visitors, spend, orders, base_visitors, base_spend``.

    As :func:`nightmap.metrics.nightly_by_zone`: sorted by zone and night, ``night`` a ``datetime.date``.
    """
    c = zone_nights(tables, flt, campaign_start=campaign_start) if nights is None else nights
    c = c.sort_values(["zone_id", "night"]).reset_index(drop=True)
    out = c[["zone_id", "night", "visitors", "spend", "orders", "b_visitors", "b_spend"]].rename(
        columns={"b_visitors": "base_visitors", "b_spend": "base_spend"}
    )
    out["night"] = out["night"].dt.date
    return out


def events_in(tables: Tables, flt: Filter) -> pd.DataFrame:
    """Events whose night is in the range, in the selected zones and categories, by start time and zone."""
    ev = tables.events
    mask = (ev["night"] >= pd.Timestamp(flt.start)) & (ev["night"] <= pd.Timestamp(flt.end))
    mask &= ev["zone_id"].isin(selected_zones(tables, flt))
    if len(flt.categories) < len(CATEGORIES):
        mask &= ev["category"].isin(list(flt.categories))
    return ev[mask].sort_values(["start", "zone_id"], kind="stable").reset_index(drop=True)


def data_range(tables: Tables) -> tuple[dt.date, dt.date] | None:
    """First and last night with footfall or sales data, or None when there is none."""
    nights = [s for s in (tables.footfall["night"], tables.sales["night"]) if len(s)]
    if not nights:
        return None
    lo = min(s.min() for s in nights)
    hi = max(s.max() for s in nights)
    return lo.date(), hi.date()
