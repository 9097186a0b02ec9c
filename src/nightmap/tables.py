"""Tables as the pages show them: localised headers, zone names, rounded numbers.

What a page shows and what its download holds are the same frame, built here.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from nightmap import metrics
from nightmap.event_effects import normal_range, verdicts
from nightmap.i18n import fmt_when, t


def zone_names(zones: pd.DataFrame, lang: str) -> dict[str, str]:
    """``zone_id`` → name in ``lang``."""
    col = "name_en" if lang == "en" else "name_zh"
    return {str(z): str(n or z) for z, n in zip(zones["zone_id"], zones[col], strict=False)}


def ranking_table(summary: pd.DataFrame, zones: gpd.GeoDataFrame | pd.DataFrame, metric: str,
                  lang: str) -> pd.DataFrame:
    """The zone ranking for ``metric``: rank, zone, type, value, baseline, change vs baseline (%).

    For ``uplift`` (``uplift_visitors``) the value column is spending (visitors) and the
    ranking is by its change; the change column names its measure (消费额较基线变化).
    """
    names = zone_names(zones, lang)
    kinds = dict(zip(zones["zone_id"], zones["kind"], strict=False))
    shown = metrics.change_measure(metric) or metric
    ranked = metrics.ranking(summary, metric)
    vals = metrics.metric_values(summary, shown).set_index("zone_id")
    decimals = 1 if shown == "spend_per_visitor" else 0
    out = pd.DataFrame(
        {
            t("col.rank", lang): ranked["rank"].to_numpy(),
            t("col.zone", lang): [names.get(z, z) for z in ranked["zone_id"]],
            t("col.kind", lang): [t(f"kind.{kinds.get(z, 'street')}", lang) for z in ranked["zone_id"]],
            t(f"col.{shown}", lang): vals.loc[ranked["zone_id"], "value"].round(decimals).to_numpy(),
            t("col.baseline", lang): vals.loc[ranked["zone_id"], "baseline"].round(decimals).to_numpy(),
            t("col.change_of", lang, metric=t(f"metric.{shown}", lang)) + " (%)":
                vals.loc[ranked["zone_id"], "uplift_pct"].round(1).to_numpy(),
        }
    )
    return out


def events_table(events: pd.DataFrame, zones: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Events with localised headers: time, zone, event, category, kind, source of the event.

    The source says whether the event itself is a fact (reported in the news:
    ``simulated`` false) or simulated; whether its *figures* are simulated is a
    separate matter (:func:`event_effects_table`'s effect-data column).
    """
    names = zone_names(zones, lang)
    title = "title_en" if lang == "en" else "title_zh"

    return pd.DataFrame(
        {
            t("col.time", lang): [fmt_when(s, e, lang) for s, e in zip(events["start"], events["end"], strict=True)],
            t("col.zone", lang): [names.get(z, z) for z in events["zone_id"]],
            t("col.event", lang): [str(v) if pd.notna(v) else "" for v in events[title]],
            t("col.category", lang): [t(f"cat.{c}", lang) for c in events["category"]],
            t("col.event_kind", lang): [t(f"event.kind.{k}", lang) for k in events["kind"]],
            t("events.col.source", lang): [t(f"events.source.{'simulated' if s else 'reported'}", lang)
                                           for s in events["simulated"]],
        }
    )


def _whole(values: pd.Series) -> pd.arrays.IntegerArray:
    """Rounded to whole numbers as a nullable integer array (a gap stays a gap)."""
    return pd.array(pd.to_numeric(values, errors="coerce").astype(float).round(0), dtype="Int64")


def _hours_text(hours: list[int]) -> str:
    """Clock hours in night order as ranges: ``[19, 20, 21]`` → ``19:00–22:00``."""
    if not hours:
        return "—"
    parts, run = [], [hours[0]]
    for h in hours[1:]:
        if h == (run[-1] + 1) % 24:
            run.append(h)
        else:
            parts.append(run)
            run = [h]
    parts.append(run)
    return ", ".join(f"{r[0]:02d}:00–{(r[-1] + 1) % 24:02d}:00" for r in parts)


def event_effects_table(effects: pd.DataFrame, zones: pd.DataFrame, lang: str,
                        data_status: str = "simulated") -> pd.DataFrame:
    """Event effects as the events page shows and downloads them, headers in ``lang``.

    Columns: the :func:`events_table` columns (the event's source), whether
    the effect's figures are simulated or measured, then the hours and nights
    counted, for visitors and spending the actual value, the baseline mean,
    its min–max (the quietest and busiest baseline night: the normal range),
    the ordinary-night noise (std), the change (absolute, %), the z-score and
    the verdict, and the events it overlaps with. Counts are integers.

    Parameters
    ----------
    effects
        :func:`nightmap.event_effects.event_effects`.
    zones
        The zones (for names).
    lang
        ``"zh"`` or ``"en"``.
    data_status
        :meth:`nightmap.store.Store.data_status` (``simulated``, ``mixed``,
        ``real``): the effect-data column says so on every row.
    """
    base = events_table(effects, zones, lang)
    base[t("events.col.effect_data", lang)] = t(f"events.effect_data.{data_status}", lang)
    title = "title_en" if lang == "en" else "title_zh"
    titles = dict(zip(effects["event_id"], effects[title], strict=False))
    base.insert(0, t("col.event", lang) + " ID", list(effects["event_id"]))
    base[t("col.time", lang)] = [fmt_when(s, e, lang) for s, e in zip(effects["start"], effects["end"], strict=False)]
    base[t("events.col.hours", lang)] = [_hours_text(list(h)) for h in effects["hours"]]
    base[t("events.col.nights", lang)] = effects["nights"].astype(int).to_numpy()
    base[t("events.col.base_nights", lang)] = effects["base_nights"].astype(int).to_numpy()
    base[t("events.col.range_nights", lang)] = effects["range_nights"].astype(int).to_numpy()
    for m in ("visitors", "spend"):
        name = t(f"metric.{m}", lang)

        def col(key: str, name: str = name) -> str:
            return t(f"events.col.{key}", lang, metric=name)

        lo, hi = effects[f"base_min_{m}"].astype(float), effects[f"base_max_{m}"].astype(float)
        band = normal_range(effects, m)
        base[col("actual")] = _whole(effects[f"actual_{m}"])
        base[col("base")] = _whole(effects[f"base_{m}"])
        base[col("range")] = [("—" if pd.isna(a) else f"{a:,.0f}" if a == b else f"{a:,.0f}–{b:,.0f}")
                              for a, b in zip(lo, hi, strict=False)]
        base[col("range_pct")] = [("—" if pd.isna(a) or pd.isna(b) else f"{a:+.1f}% … {b:+.1f}%")
                                  for a, b in zip(band["lo_pct"], band["hi_pct"], strict=True)]
        base[col("std")] = _whole(effects[f"base_std_{m}"])
        base[col("diff")] = _whole(effects[f"diff_{m}"])
        base[col("pct")] = effects[f"pct_{m}"].astype(float).round(1).to_numpy()
        base[col("z")] = effects[f"z_{m}"].astype(float).round(2).to_numpy()
        base[col("verdict")] = [t(f"events.verdict.{k}", lang) for k in verdicts(effects, m)]
    base[t("events.col.overlap", lang)] = [
        "; ".join(f"{titles[o]} ({o})" if pd.notna(titles.get(o)) else str(o) for o in ov)
        for ov in effects["overlaps_with"]
    ]
    return base
