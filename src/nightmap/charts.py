"""Altair charts for the detail panel and the comparison pages, labelled in the current language.

Each function takes a small frame from :mod:`nightmap.metrics` and returns an
``alt.Chart``; nothing here queries the store.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START
from nightmap.i18n import fmt_date, fmt_hour, t
from nightmap.mapview import CATEGORY_COLOURS

ACTUAL_COLOUR = "#d9480f"
BASELINE_COLOUR = "#868e96"
FONT = "Noto Sans CJK SC, Microsoft YaHei, sans-serif"

_MEASURE_KEYS = {"visitors": "metric.visitors", "spend": "metric.spend", "orders": "metric.orders"}


def _axis_title(measure: str, lang: str) -> str:
    unit = {"visitors": "unit.people", "spend": "unit.yuan", "orders": "unit.orders"}[measure]
    return f"{t(_MEASURE_KEYS[measure], lang)}（{t(unit, lang)}）" if lang != "en" else (
        f"{t(_MEASURE_KEYS[measure], lang)} ({t(unit, lang)})"
    )


def _style(chart: alt.Chart, *, height: int) -> alt.Chart:
    return chart.properties(height=height).configure_axis(
        labelFont=FONT, titleFont=FONT, labelFontSize=13, titleFontSize=13
    ).configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=13, orient="top").configure_title(font=FONT)


def nightly_chart(frame: pd.DataFrame, *, measure: str = "visitors", lang: str = "zh", height: int = 260) -> alt.Chart:
    """Nightly ``measure`` against its weekday-matched baseline, the campaign period shaded.

    Parameters
    ----------
    frame
        :func:`nightmap.metrics.nightly` output (``night``, ``<measure>``, ``base_<measure>``).
    """
    actual, base = t("chart.actual", lang), t("chart.baseline", lang)
    rows = []
    for r in frame.itertuples(index=False):
        label = fmt_date(r.night, lang, year=False)
        rows.append({"night": pd.Timestamp(r.night), "label": label, "series": actual, "value": getattr(r, measure)})
        rows.append({"night": pd.Timestamp(r.night), "label": label, "series": base,
                     "value": getattr(r, f"base_{measure}")})
    data = pd.DataFrame(rows, columns=["night", "label", "series", "value"])
    colour = alt.Color("series:N", title=None,
                       scale=alt.Scale(domain=[actual, base], range=[ACTUAL_COLOUR, BASELINE_COLOUR]))
    x = alt.X("night:T", title=t("chart.night", lang),
              axis=alt.Axis(format="%-m/%-d" if lang != "en" else "%d %b", labelAngle=0, tickCount="day"))
    lines = alt.Chart(data).mark_line(point=True, strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("value:Q", title=_axis_title(measure, lang)),
        color=colour,
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=[actual, base], range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("label:N", title=t("chart.night", lang)), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=t(_MEASURE_KEYS[measure], lang), format=",.0f")],
    )
    band = pd.DataFrame({"a": [pd.Timestamp(CAMPAIGN_START)], "b": [pd.Timestamp(CAMPAIGN_END + dt.timedelta(days=1))],
                         "text": [t("chart.campaign", lang)]})
    shade = alt.Chart(band).mark_rect(opacity=0.08, color=ACTUAL_COLOUR).encode(x="a:T", x2="b:T")
    return _style(alt.layer(shade, lines), height=height)


def hourly_chart(frame: pd.DataFrame, *, measure: str = "visitors", lang: str = "zh", height: int = 240) -> alt.Chart:
    """Average ``measure`` per hour of the night (06:00 first, after-midnight hours last) against baseline."""
    actual, base = t("chart.actual", lang), t("chart.baseline", lang)
    order = [fmt_hour(h) for h in frame["hour"]]
    data = pd.concat(
        [
            pd.DataFrame({"hour": order, "series": actual, "value": frame[measure].to_numpy()}),
            pd.DataFrame({"hour": order, "series": base, "value": frame[f"base_{measure}"].to_numpy()}),
        ]
    )
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("hour:N", sort=order, title=t("chart.hour", lang), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series:N", sort=[actual, base]),
        y=alt.Y("value:Q", title=_axis_title(measure, lang) + t("chart.per_night", lang)),
        color=alt.Color("series:N", title=None,
                        scale=alt.Scale(domain=[actual, base], range=[ACTUAL_COLOUR, BASELINE_COLOUR])),
        tooltip=[alt.Tooltip("hour:N", title=t("chart.hour", lang)), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=t(_MEASURE_KEYS[measure], lang), format=",.0f")],
    )
    return _style(chart, height=height)


def category_chart(frame: pd.DataFrame, *, lang: str = "zh", height: int = 150) -> alt.Chart:
    """Spending by category (夜食 / 夜购 / 夜娱) as horizontal bars with their share."""
    data = frame.assign(
        label=[t(f"cat.{c}", lang) for c in frame["category"]],
        share_text=[f"{s:.0f}%" if pd.notna(s) else "—" for s in frame["share"]],
    )
    domain = [t(f"cat.{c}", lang) for c in CATEGORY_COLOURS]
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=domain, title=None),
        x=alt.X("spend:Q", title=_axis_title("spend", lang)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("label:N", legend=None,
                        scale=alt.Scale(domain=domain, range=list(CATEGORY_COLOURS.values()))),
        tooltip=[alt.Tooltip("label:N", title=t("filter.categories", lang)),
                 alt.Tooltip("spend:Q", title=t("metric.spend", lang), format=",.0f"),
                 alt.Tooltip("share_text:N", title=t("chart.share", lang))],
    )
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(text="share_text:N")
    return _style(alt.layer(bars, text), height=height)
