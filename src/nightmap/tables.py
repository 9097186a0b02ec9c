"""Tables as the pages show them: localised headers, zone names, rounded numbers.

What a page shows and what its download holds are the same frame, built here.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from nightmap import metrics
from nightmap.i18n import t


def zone_names(zones: pd.DataFrame, lang: str) -> dict[str, str]:
    """``zone_id`` → name in ``lang``."""
    col = "name_en" if lang == "en" else "name_zh"
    return {str(z): str(n or z) for z, n in zip(zones["zone_id"], zones[col], strict=False)}


def ranking_table(summary: pd.DataFrame, zones: gpd.GeoDataFrame | pd.DataFrame, metric: str,
                  lang: str) -> pd.DataFrame:
    """The zone ranking for ``metric``: rank, zone, type, value, baseline, change vs baseline (%).

    For ``uplift`` the value column is spending and the ranking is by its change.
    """
    names = zone_names(zones, lang)
    kinds = dict(zip(zones["zone_id"], zones["kind"], strict=False))
    shown = "spend" if metric == "uplift" else metric
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
            t("col.change", lang) + " (%)": vals.loc[ranked["zone_id"], "uplift_pct"].round(1).to_numpy(),
        }
    )
    return out


def events_table(events: pd.DataFrame, zones: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Events with localised headers: time, zone, event, category, kind, simulated."""
    names = zone_names(zones, lang)
    title = "title_en" if lang == "en" else "title_zh"

    def when(r: pd.Series) -> str:
        s, e = pd.Timestamp(r["start"]), pd.Timestamp(r["end"])
        day = f"{s.month}/{s.day}" if lang == "en" else f"{s.month}月{s.day}日"
        return f"{day} {s:%H:%M}–{e:%H:%M}"

    return pd.DataFrame(
        {
            t("col.time", lang): [when(r) for _, r in events.iterrows()],
            t("col.zone", lang): [names.get(z, z) for z in events["zone_id"]],
            t("col.event", lang): [str(v) if pd.notna(v) else "" for v in events[title]],
            t("col.category", lang): [t(f"cat.{c}", lang) for c in events["category"]],
            t("col.event_kind", lang): [t(f"event.kind.{k}", lang) for k in events["kind"]],
            t("col.simulated", lang): [t("yes" if s else "no", lang) for s in events["simulated"]],
        }
    )
