"""Altair charts for the detail panel and the comparison pages, labelled in the current language.

Each function takes a small frame from :mod:`nightmap.metrics` and returns an
``alt.Chart``; nothing here queries the store.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from nightmap import event_effects
from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START
from nightmap.i18n import fmt_date, fmt_hour, fmt_when, pct_sign, t
from nightmap.map import CATEGORY_COLOURS

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
    half = pd.Timedelta(hours=12)  # each night's point in the middle of its day, the band edges between nights
    domain = ([(data["night"].min() - half).isoformat(), (data["night"].max() + half).isoformat()]
              if len(data) else alt.Undefined)
    x = alt.X("night:T", title=t("chart.night", lang), scale=alt.Scale(domain=domain, nice=False),
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
    band = pd.DataFrame({"a": [pd.Timestamp(CAMPAIGN_START) - half], "b": [pd.Timestamp(CAMPAIGN_END) + half],
                         "text": [t("chart.campaign", lang)]})
    shade = alt.Chart(band).mark_rect(opacity=0.08, color=ACTUAL_COLOUR, clip=True).encode(x="a:T", x2="b:T")
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


# --------------------------------------------------------------------------- small multiples (片区对比)

FAINT = "#adb5bd"
UP_COLOUR = "#d9480f"
DOWN_COLOUR = "#1c7ed6"


def _configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Fonts and legend of every chart, for charts (facets, concats) that take no outer height."""
    return chart.configure_axis(
        labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12
    ).configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=13, orient="top").configure_title(
        font=FONT).configure_header(labelFont=FONT, titleFont=FONT, labelFontSize=14, labelFontWeight="bold")


PANELS_PER_ROW = 4
"""Small multiples per row at most: five or six zones wrap onto a second row of three."""


def panels_per_row(n: int) -> int:
    """Panels in one row for ``n`` panels: all of them up to :data:`PANELS_PER_ROW`, else half (rounded up)."""
    return n if n <= PANELS_PER_ROW else -(-n // 2)


def panel_width(n: int, *, total: int = 780, lo: int = 130, hi: int = 330) -> int:
    """Width of one panel when ``n`` panels share rows (:func:`panels_per_row`) of about ``total`` pixels.

    ``total`` leaves room for the y axis and the gaps between panels within the
    ~900 px a 1366×768 laptop gives the page, so a row never runs off it.
    """
    return max(lo, min(hi, total // max(panels_per_row(n), 1) - 20))


def _facet(chart: alt.Chart | alt.LayerChart, order: list[str], columns: int) -> alt.FacetChart:
    return chart.facet(
        facet=alt.Facet("zone:N", sort=order, title=None,  # a long name is cut ("…") rather than run over the next
                        header=alt.Header(labelOrient="top", labelLimit=panel_width(columns))),
        columns=panels_per_row(columns),
    ).resolve_scale(y="shared", x="shared")


def nightly_multiples(
    grid: pd.DataFrame,
    *,
    measure: str,
    names: dict[str, str],
    lang: str = "zh",
    height: int = 190,
) -> alt.FacetChart:
    """Night-by-night ``measure`` against baseline, one panel per zone, one shared y scale.

    Parameters
    ----------
    grid
        :func:`nightmap.compare.nightly_grid` (every zone × night; NaN where
        there is no data, drawn as a gap in the line, never as zero).
    measure
        ``"visitors"`` or ``"spend"``.
    names
        ``zone_id`` → name, in the order to show.
    """
    order = [names.get(z, z) for z in dict.fromkeys(grid["zone_id"])]
    actual, base = t("chart.actual", lang), t("chart.baseline", lang)
    rows = []
    for r in grid.itertuples(index=False):
        zone, label = names.get(r.zone_id, r.zone_id), fmt_date(r.night, lang, year=False)
        rows.append({"zone": zone, "night": pd.Timestamp(r.night), "label": label, "series": actual,
                     "value": getattr(r, measure)})
        rows.append({"zone": zone, "night": pd.Timestamp(r.night), "label": label, "series": base,
                     "value": getattr(r, f"base_{measure}")})
    data = pd.DataFrame(rows, columns=["zone", "night", "label", "series", "value"])
    data["value"] = data["value"].astype(float)
    colour = alt.Color("series:N", title=None,
                       scale=alt.Scale(domain=[actual, base], range=[ACTUAL_COLOUR, BASELINE_COLOUR]))
    fmt = "%-m月%-d日" if lang != "en" else "%d %b"
    # a night without data is null: the line breaks there (a gap), it never drops to zero
    lines = alt.Chart().mark_line(point=True, strokeWidth=2, invalid="break-paths-show-path-domains").encode(
        x=alt.X("night:T", title=None, axis=alt.Axis(format=fmt, labelAngle=-45, labelOverlap=True)),
        y=alt.Y("value:Q", title=_axis_title(measure, lang)),
        color=colour,
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=[actual, base], range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("zone:N", title=t("col.zone", lang)),
                 alt.Tooltip("label:N", title=t("chart.night", lang)), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=t(_MEASURE_KEYS[measure], lang), format=",.0f")],
    ).properties(width=panel_width(len(order)), height=height)
    return _configure(_facet(alt.layer(lines, data=data), order, len(order)))


def hourly_multiples(
    hourly: pd.DataFrame,
    *,
    measure: str = "visitors",
    names: dict[str, str],
    lang: str = "zh",
    height: int = 170,
) -> alt.FacetChart:
    """Average ``measure`` per hour of the night against baseline, one panel per zone, shared y scale.

    ``hourly`` is stacked :func:`nightmap.metrics.hourly_profile` output with a ``zone_id`` column.
    """
    order = [names.get(z, z) for z in dict.fromkeys(hourly["zone_id"])]
    actual, base = t("chart.actual", lang), t("chart.baseline", lang)
    hours = [fmt_hour(h) for h in hourly.sort_values("order")["hour"].drop_duplicates()]
    data = pd.concat([
        pd.DataFrame({"zone": [names.get(z, z) for z in hourly["zone_id"]],
                      "hour": [fmt_hour(h) for h in hourly["hour"]], "series": s,
                      "value": hourly[col].astype(float).to_numpy()})
        for s, col in ((actual, measure), (base, f"base_{measure}"))
    ])
    chart = alt.Chart().mark_line(point=True, strokeWidth=2).encode(
        x=alt.X("hour:O", sort=hours, title=None, axis=alt.Axis(labelAngle=-90, labelOverlap=True)),
        y=alt.Y("value:Q", title=_axis_title(measure, lang) + t("chart.per_night", lang)),
        color=alt.Color("series:N", title=None,
                        scale=alt.Scale(domain=[actual, base], range=[ACTUAL_COLOUR, BASELINE_COLOUR])),
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=[actual, base], range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("zone:N", title=t("col.zone", lang)), alt.Tooltip("hour:N", title=t("chart.hour", lang)),
                 alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=t(_MEASURE_KEYS[measure], lang), format=",.0f")],
    ).properties(width=panel_width(len(order)), height=height)
    return _configure(_facet(alt.layer(chart, data=data), order, len(order)))


def category_multiples(
    mix: pd.DataFrame, *, names: dict[str, str], lang: str = "zh", height: int = 110
) -> alt.FacetChart:
    """Spending by category per zone as horizontal bars with their share, one shared x scale.

    ``mix`` is stacked :func:`nightmap.metrics.category_mix` output with a ``zone_id`` column.
    """
    order = [names.get(z, z) for z in dict.fromkeys(mix["zone_id"])]
    data = pd.DataFrame({
        "zone": [names.get(z, z) for z in mix["zone_id"]],
        "label": [t(f"cat.{c}", lang) for c in mix["category"]],
        "spend": mix["spend"].astype(float).to_numpy(),
        "share_text": [f"{s:.0f}%" if pd.notna(s) else "—" for s in mix["share"]],
    })
    domain = [t(f"cat.{c}", lang) for c in CATEGORY_COLOURS]
    base = alt.Chart().encode(
        y=alt.Y("label:N", sort=domain, title=None, scale=alt.Scale(domain=domain)),
        x=alt.X("spend:Q", title=_axis_title("spend", lang),
                axis=alt.Axis(format="~s", labelOverlap=True) if lang == "en" else alt.Axis(
                    labelExpr="datum.value == 0 ? '0' : format(datum.value / 10000, ',.0f') + '万'",
                    labelOverlap=True)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("label:N", legend=None, scale=alt.Scale(domain=domain, range=list(CATEGORY_COLOURS.values()))),
        tooltip=[alt.Tooltip("zone:N", title=t("col.zone", lang)),
                 alt.Tooltip("label:N", title=t("filter.categories", lang)),
                 alt.Tooltip("spend:Q", title=t("metric.spend", lang), format=",.0f"),
                 alt.Tooltip("share_text:N", title=t("chart.share", lang))],
    )
    text = base.mark_text(align="left", dx=3, fontSize=12).encode(text="share_text:N")
    layer = alt.layer(bars, text, data=data).properties(width=panel_width(len(order)), height=height)
    return _configure(_facet(layer, order, len(order)))


def pair_multiples(
    frame: pd.DataFrame,
    *,
    columns: dict[str, str],
    names: dict[str, str],
    axis_title: str,
    lang: str = "zh",
    diverging: bool = False,
    decimals: int = 1,
    suffix: str = "",
    height: int = 150,
) -> alt.FacetChart:
    """Two or more values per zone as labelled bars, one panel per zone, one shared y scale.

    Parameters
    ----------
    frame
        ``zone_id`` and the value columns.
    columns
        Value column → its label, in bar order (e.g. actual, baseline).
    names
        ``zone_id`` → name.
    axis_title
        The y axis title (with its unit).
    diverging
        Colour bars by sign (increase red, decrease blue) around a zero rule, for changes in %.
    decimals, suffix
        How the bar labels are written.
    """
    order = [names.get(z, z) for z in frame["zone_id"]]
    labels = list(columns.values())
    rows = []
    for r in frame.itertuples(index=False):
        for col, label in columns.items():
            v = getattr(r, col)
            v = float(v) if pd.notna(v) else float("nan")
            sign = "" if not diverging or v != v else (pct_sign(v, decimals) or "flat")
            text = "—" if v != v else (f"{v:,.{decimals}f}{suffix}" if not diverging else
                                       f"{round(v, decimals):+,.{decimals}f}{suffix}" if sign != "flat"
                                       else f"±{0:.{decimals}f}{suffix}")  # rounds to 0: neither up nor down
            rows.append({"zone": names.get(r.zone_id, r.zone_id), "series": label, "value": v, "sign": sign,
                         "text": text})
    data = pd.DataFrame(rows, columns=["zone", "series", "value", "sign", "text"])
    if diverging:
        colour = alt.Color("sign:N", legend=None, scale=alt.Scale(domain=["up", "down", "flat"],
                                                                    range=[UP_COLOUR, DOWN_COLOUR, BASELINE_COLOUR]))
    else:
        colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=labels,
                                                                    range=[ACTUAL_COLOUR, BASELINE_COLOUR]))
    base = alt.Chart().encode(
        x=alt.X("series:N", sort=labels, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=axis_title),
    )
    bars = base.mark_bar().encode(
        color=colour,
        tooltip=[alt.Tooltip("zone:N", title=t("col.zone", lang)), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("text:N", title=axis_title)],
    )
    text = base.mark_text(dy=-7, fontSize=12).encode(text="text:N")
    layers = [bars, text]
    if diverging:
        layers.append(alt.Chart().mark_rule(color="#495057").encode(y=alt.datum(0)))
    chart = alt.layer(*layers, data=data).properties(width=panel_width(len(order)), height=height)
    return _configure(_facet(chart, order, len(order)))


# --------------------------------------------------------------------------- events (活动)


TIMELINE_MIN_HEIGHT = 230
"""The event timeline is never lower than this (a single zone and kind still has room)."""
TIMELINE_LANE_HEIGHT = 16
"""Height of one lane (an event kind) within a zone's row of the timeline."""
TIMELINE_MIN_ROW = 34
"""A zone's row is at least this high, however few its lanes."""
TIMELINE_CHROME = 150
"""Pixels of the timeline taken by its legends and time axis (the page fits the whole chart in its height)."""
EFFECT_MIN_HEIGHT = 200
"""The effect chart is never lower than this."""
EFFECT_ROW_HEIGHT = 28
"""Height of one event's row in the effect chart."""
EFFECT_CHROME = 90
"""Pixels of the effect chart taken by its legend and axis."""


def timeline_height(events: pd.DataFrame, *, lane_height: int = TIMELINE_LANE_HEIGHT,
                    minimum: int = TIMELINE_MIN_HEIGHT) -> int:
    """Height of :func:`event_timeline` for ``events``: a lane per event kind in every zone's row.

    Parameters
    ----------
    events
        The events drawn (``zone_id``, ``kind``).
    lane_height
        Pixels per lane.
    minimum
        The least height, however few the rows.
    """
    zones = max(1, events["zone_id"].nunique()) if len(events) else 1
    lanes = max(1, events["kind"].nunique()) if len(events) else 1
    return max(minimum, zones * max(TIMELINE_MIN_ROW, lanes * lane_height) + TIMELINE_CHROME)


def effect_height(n_rows: int, *, row_height: int = EFFECT_ROW_HEIGHT, minimum: int = EFFECT_MIN_HEIGHT) -> int:
    """Height of :func:`event_effect_chart` for ``n_rows`` events: grows with the rows, at least ``minimum``."""
    return max(minimum, n_rows * row_height + EFFECT_CHROME)


def _event_label(row: pd.Series, names: dict[str, str], lang: str) -> str:
    s = pd.Timestamp(row["start"])
    title = row["title_en"] if lang == "en" else row["title_zh"]
    title = str(title) if pd.notna(title) else str(row["event_id"])
    if len(title) > 22:
        title = title[:21] + "…"
    mark = "⚠ " if bool(row.get("overlap", False)) else ""
    return f"{mark}{fmt_date(s.date(), lang, year=False)} {names.get(row['zone_id'], row['zone_id'])} · {title}"


def event_timeline(
    events: pd.DataFrame,
    *,
    names: dict[str, str],
    lang: str = "zh",
    nights: tuple[dt.date, dt.date] | None = None,
    lane_height: int = TIMELINE_LANE_HEIGHT,
    width: int | str = "container",
) -> alt.LayerChart:
    """Events as bars from start to end: one row per zone, a lane per event kind, coloured by category.

    Parameters
    ----------
    events
        :func:`nightmap.event_effects.event_list` (or effects) output.
    names
        ``zone_id`` → name, in row order (a zone missing here is drawn under its id).
    nights
        First and last night of the filter: the time axis spans them (06:00 to 06:00).
    lane_height
        Pixels per lane: the height grows with zones × kinds (:func:`timeline_height`).
    width
        ``"container"`` (the page's width) or pixels.
    """
    present = list(dict.fromkeys(events["zone_id"]))
    zone_order = [names.get(z, z) for z in names if z in set(present)]
    zone_order += [z for z in present if z not in names]
    title = "title_en" if lang == "en" else "title_zh"
    kinds = [t(f"event.kind.{k}", lang) for k in dict.fromkeys(events["kind"])]
    overlap = list(events["overlap"]) if "overlap" in events else [False] * len(events)
    data = pd.DataFrame({
        "zone": [names.get(z, z) for z in events["zone_id"]],
        "start": pd.to_datetime(events["start"]),
        "end": pd.to_datetime(events["end"]),
        "category": [t(f"cat.{c}", lang) for c in events["category"]],
        "kind": [t(f"event.kind.{k}", lang) for k in events["kind"]],
        "title": [(str(v) if pd.notna(v) else "") for v in events[title]],
        "when": [fmt_when(s, e, lang) for s, e in zip(events["start"], events["end"], strict=False)],
        "overlap": [t("yes" if o else "no", lang) for o in overlap],
    })
    domain = [t(f"cat.{c}", lang) for c in CATEGORY_COLOURS]
    colour = alt.Color("category:N", title=t("col.category", lang),
                       scale=alt.Scale(domain=domain, range=list(CATEGORY_COLOURS.values())))
    fmt = "%-m月%-d日" if lang != "en" else "%d %b"
    tooltip = [alt.Tooltip("title:N", title=t("col.event", lang)), alt.Tooltip("zone:N", title=t("col.zone", lang)),
               alt.Tooltip("when:N", title=t("col.time", lang)), alt.Tooltip("kind:N", title=t("col.event_kind", lang)),
               alt.Tooltip("overlap:N", title=t("events.col.overlap", lang))]
    y = alt.Y("zone:N", sort=zone_order, title=None,
              axis=alt.Axis(labelOverlap=False, labelFontSize=13, grid=True, gridColor="#e9ecef",
                            labelLimit=340))  # English zone names are long ("Wangfujing Outer Square")
    lane = alt.YOffset("kind:N", sort=kinds, title=None)
    base = alt.Chart(data)
    scale = alt.Undefined
    if nights is not None:
        lo = dt.datetime.combine(nights[0], dt.time(6))
        hi = dt.datetime.combine(nights[1] + dt.timedelta(days=1), dt.time(6))
        scale = alt.Scale(domain=[lo.isoformat(), hi.isoformat()], clamp=True)
    short = nights is not None and (nights[1] - nights[0]).days < 2
    # one or two nights: hour ticks (a day tick alone would leave the axis all but empty)
    x_axis = (alt.Axis(format="%H:%M", labelAngle=0, tickCount=8, grid=True,
                       orient="top") if short else
              alt.Axis(format=fmt, labelAngle=0, tickCount="day", grid=True, orient="top"))
    bars = base.mark_bar(opacity=0.85, cornerRadius=2).encode(
        x=alt.X("start:T", title=t("events.chart.time", lang), scale=scale, axis=x_axis),
        x2="end:T", y=y, yOffset=lane, color=colour, tooltip=tooltip,
    )
    starts = base.mark_point(filled=True, size=45, opacity=1, stroke="#212529", strokeWidth=0.6).encode(
        x="start:T", y=y, yOffset=lane, color=colour,
        shape=alt.Shape("kind:N", title=t("col.event_kind", lang), sort=kinds,
                        legend=alt.Legend(columns=3)),  # six kinds in two rows fit a laptop beside the categories
        tooltip=tooltip,
    )
    chart = alt.layer(bars, starts).properties(width=width, height=timeline_height(events, lane_height=lane_height))
    return _configure(chart)


def event_effect_chart(
    effects: pd.DataFrame,
    band: pd.DataFrame,
    *,
    measure: str,
    names: dict[str, str],
    lang: str = "zh",
    row_height: int = EFFECT_ROW_HEIGHT,
    width: int | str = "container",
) -> alt.LayerChart:
    """Each event's change vs baseline (%) as a dot, over the grey range of ordinary nights.

    One row per event (labels made unique, so two events never share a row);
    the height grows with the rows (:func:`effect_height`), the width follows
    the page (``"container"``).

    Parameters
    ----------
    effects
        :func:`nightmap.event_effects.event_effects`.
    band
        :func:`nightmap.event_effects.normal_range` for ``measure``.
    measure
        ``"visitors"`` or ``"spend"``.
    """
    labels = _unique([_event_label(r, names, lang) for _, r in effects.iterrows()])
    pct = effects[f"pct_{measure}"].astype(float).to_numpy()
    z = effects[f"z_{measure}"].astype(float).to_numpy()
    verdict = [t(f"events.verdict.{k}", lang) for k in event_effects.verdicts(effects, measure)]
    data = pd.DataFrame({
        "event": labels, "pct": pct, "lo": band["lo_pct"].to_numpy(), "hi": band["hi_pct"].to_numpy(),
        "verdict": verdict, "z": z,
        "pct_text": [f"{p:+.1f}%" if p == p else "—" for p in pct],
    })
    kinds = [t(f"events.verdict.{k}", lang) for k in ("above", "normal", "below", "unknown")]
    y = alt.Y("event:N", sort=labels, title=None, axis=alt.Axis(labelLimit=420, labelOverlap=False))
    rng = alt.Chart(data).mark_bar(color="#dee2e6", height=row_height * 0.7).encode(
        x=alt.X("lo:Q", title=t("events.chart.change", lang)), x2="hi:Q", y=y,
        tooltip=[alt.Tooltip("event:N", title=t("col.event", lang)),
                 alt.Tooltip("lo:Q", title=t("events.chart.range", lang) + " −", format="+.1f"),
                 alt.Tooltip("hi:Q", title=t("events.chart.range", lang) + " +", format="+.1f")],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#495057").encode(x="x:Q")
    dots = alt.Chart(data).mark_point(filled=True, size=90, opacity=1).encode(
        x="pct:Q", y=y,
        color=alt.Color("verdict:N", title=t("events.chart.verdict", lang),
                        scale=alt.Scale(domain=kinds, range=[UP_COLOUR, "#495057", DOWN_COLOUR, FAINT]),
                        legend=alt.Legend(columns=2, labelLimit=320)),  # four long labels fit a laptop
        tooltip=[alt.Tooltip("event:N", title=t("col.event", lang)),
                 alt.Tooltip("pct_text:N", title=t("events.chart.change", lang)),
                 alt.Tooltip("z:Q", title="z", format=".1f"),
                 alt.Tooltip("verdict:N", title=t("events.chart.verdict", lang))],
    )
    text = alt.Chart(data).mark_text(align="left", dx=8, fontSize=12).encode(x="pct:Q", y=y, text="pct_text:N")
    chart = alt.layer(rng, zero, dots, text).properties(
        width=width, height=effect_height(len(labels), row_height=row_height))
    return _configure(chart)


def _unique(labels: list[str]) -> list[str]:
    """``labels`` with repeats numbered (``… (2)``), so every event keeps a row of its own."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out

