"""The map's look in numbers: colours and colour classes, number formatting, legend values.

* the palettes (:data:`SEQUENTIAL`, :data:`DIVERGING_NEG` / :data:`DIVERGING_POS`,
  :data:`NO_DATA_COLOUR`), the strokes of districts, zones and roads, the event
  colours (:data:`CATEGORY_COLOURS`), the font and the heat layer's blues;
* :class:`ColourScale` / :func:`colour_scale`: equal-interval classes with round breaks;
* :func:`to_number`, :func:`metric_title`, :func:`format_value` and
  :func:`format_ticks`: numbers as the tooltips and the legend write them.

The same values colour the presenter (:mod:`nightmap.playback`) and the briefing's
printed map (:mod:`nightmap.briefing_map`). ``static/css/map.css`` writes the font
and the stroke colours out; change them there too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nightmap import i18n
from nightmap.i18n import t
from nightmap.metrics import is_change

SEQUENTIAL: tuple[str, ...] = ("#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
"""ColorBrewer YlOrRd without its palest step (which vanishes on a light background)."""

CHANGE_FLOOR = 100.0
"""A change vs baseline can't fall below −100 %: the lowest class bound of a diverging scale."""
DIVERGING_NEG: tuple[str, ...] = ("#2166ac", "#67a9cf", "#d1e5f0")
"""Decrease, strongest first (ColorBrewer RdBu)."""

DIVERGING_POS: tuple[str, ...] = ("#fddbc7", "#ef8a62", "#b2182b")
"""Increase, weakest first (ColorBrewer RdBu)."""

NO_DATA_COLOUR = "#c8c8c8"
BACKGROUND = "#e9e6df"
FOCUS_STROKE = "#2e3450"
NEIGHBOUR_STROKE = "#a39d90"
COMPLEX_STROKE = "#111111"
STREET_STROKE = "#5c5c5c"
SELECTED_STROKE = "#0057ff"
UNVERIFIED_STROKE = "#262626"
UNVERIFIED_DASH = "7 5"
"""Outline of a zone whose place is not surveyed (``location_confidence`` other than ``high``)."""
ROAD_CASING = "#b3aa99"
ROAD_FILL = "#fbfaf6"
CATEGORY_COLOURS: dict[str, str] = {"eat": "#e8590c", "shop": "#7048e8", "play": "#0c8599"}
"""Event marker colours; chosen apart from the zone palettes so markers stand out."""

FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

HEAT_GRADIENT = {0.2: "#9ecae1", 0.5: "#4292c6", 0.8: "#2171b5", 1.0: "#08306b"}
"""The visitor heat layer in blues, apart from the zones' yellow-to-red fill (the legend shows it)."""


# --------------------------------------------------------------------------- formatting


def to_number(value: Any) -> float | None:
    """A finite float, or ``None`` for missing / NaN / non-numbers."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def metric_title(metric: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """Legend title with unit, e.g. ``客流（人次）`` / ``Visitors (visits)``.

    Parameters
    ----------
    metric
        One of :data:`METRICS`.
    lang
        ``"zh"`` or ``"en"``.
    """
    if is_change(metric):  # says which measure changed: 消费额较基线变化 / 客流较基线变化
        label, unit = t(f"metric.{metric}", lang), t("unit.pct", lang)
    else:
        label = t(f"metric.{metric}", lang)
        unit = t({"visitors": "unit.people", "spend": "unit.yuan", "spend_per_visitor": "unit.yuan_per_person"}[metric], lang)
    return f"{label}（{unit}）" if lang != "en" else f"{label} ({unit})"


def format_value(value: Any, metric: str, lang: str = i18n.DEFAULT_LANG, *, like: float | None = None) -> str:
    """A metric value with its unit, as written in tooltips (``1.2万人次``, ``8,560 yuan``).

    Parameters
    ----------
    value
        The number; missing values give ``—``.
    metric
        One of :data:`METRICS`; ``uplift`` and ``uplift_visitors`` are percentages.
    lang
        ``"zh"`` or ``"en"``.
    like
        The largest value shown beside this one: counts and money are written in the unit it
        takes (万/亿 in Chinese), so a row of labels reads in one unit.
    """
    v = to_number(value)
    if v is None:
        return "—"
    if metric == "visitors":
        sep = " " if lang == "en" else ""
        return f"{i18n.fmt_int(v, lang, like=like)}{sep}{t('unit.people', lang)}"
    if metric == "spend":
        return i18n.fmt_money(v, lang, like=like)
    if metric == "spend_per_visitor":
        sep = " " if lang == "en" else ""
        return f"{v:,.1f}{sep}{t('unit.yuan_per_person', lang)}"
    return i18n.fmt_pct(v, lang)


def format_ticks(values: Sequence[float], metric: str, lang: str) -> list[str]:
    """A legend's breaks, without unit (it is in the title), all written the same way:
    ``0 — 5万``, ``5万 — 10万``, never ``50,000 — 10.0万``.

    Counts and money from 100,000 are written in 万 in Chinese (from 1 billion in 亿)
    and from 1 million in millions (``M``) in English, across the whole legend, with
    as few decimals as make every break read differently.
    """
    if is_change(metric):
        return [f"{v:+.0f}%" if v else "0%" for v in values]
    if not values:
        return []
    top = max(abs(v) for v in values)
    if metric == "spend_per_visitor" or top < (1_000_000 if lang == "en" else 100_000):
        div, unit = 1.0, ""
    elif lang == "en":
        div, unit = 1_000_000.0, "M"
    else:
        div, unit = (100_000_000.0, "亿") if top >= 1_000_000_000 else (10_000.0, "万")
    scaled = [v / div for v in values]

    def written(decimals: int) -> list[str]:
        return [f"{x:,.{decimals}f}{unit}" if x else "0" for x in scaled]

    for decimals in range(5):  # as many decimals as the breaks have, if that is few
        if all(abs(round(x, decimals) - x) < 1e-9 * max(1.0, abs(x)) for x in scaled):
            return written(decimals)
    for decimals in range(5):  # else as few as tell them apart
        if len(set(written(decimals))) == len(scaled):
            return written(decimals)
    return written(4)


# --------------------------------------------------------------------------- classes


_ROUND = (1.0, 2.0, 2.5, 5.0, 10.0)
_ROUND_FINE = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5, 10.0)


def _nice_step(raw: float, multipliers: Sequence[float] = _ROUND) -> float:
    """The smallest round step (``multipliers`` × 10^k) that is at least ``raw``."""
    if raw <= 0:
        return 1.0
    exp = math.floor(math.log10(raw))
    for m in multipliers:
        step = m * 10**exp
        if step >= raw * (1 - 1e-9):
            return step
    return 10.0 ** (exp + 1)


@dataclass(frozen=True)
class ColourScale:
    """Classed colours for one metric: ``breaks`` has one more entry than ``colours``.

    Class ``i`` covers ``breaks[i] <= v < breaks[i + 1]`` (the last class includes its top).
    """

    breaks: tuple[float, ...]
    colours: tuple[str, ...]
    diverging: bool

    def colour(self, value: Any) -> str:
        """Fill colour for ``value``; :data:`NO_DATA_COLOUR` when missing."""
        v = to_number(value)
        if v is None or not self.colours:
            return NO_DATA_COLOUR
        for i in range(len(self.colours)):
            if v < self.breaks[i + 1]:
                return self.colours[i]
        return self.colours[-1]


def colour_scale(values: Sequence[float], *, diverging: bool = False, classes: int = 5) -> ColourScale:
    """Equal-interval classes with round breaks, sequential or diverging around 0.

    Parameters
    ----------
    values
        The values to classify (missing ones ignored).
    diverging
        Use classes around 0 for a change in % (``uplift``, ``uplift_visitors``):
        three above 0 and three below, symmetric while that fits, but no class
        goes below −100 % (a change can't): the falling side then gets its own
        round step over [−100 %, 0] (or over the values' fall when smaller).
    classes
        Target number of classes for a sequential scale (at most 5).

    Returns
    -------
    ColourScale
        Empty (no colours) when there is no value at all.
    """
    vals = [v for v in (to_number(x) for x in values) if v is not None]
    if not vals:
        return ColourScale((), (), diverging)
    if diverging:
        fall = min(max(-min(vals), 0.0), CHANGE_FLOOR)  # how far the values fall: at most −100 %
        limit = max(max(vals), fall) or 1.0  # the spread on either side of 0
        step = _nice_step(limit / 3, _ROUND_FINE)  # fine steps: the strongest class is used
        down = step
        if 3 * step > CHANGE_FLOOR:  # symmetric classes would reach below −100 %: own step for the fall
            down = _nice_step((fall or CHANGE_FLOOR) / 3, _ROUND_FINE)
        lower = tuple(max(-k * down, -CHANGE_FLOOR) for k in (3, 2, 1))  # −100 % closes the lowest class
        breaks = (*lower, *(k * step for k in range(0, 4)))
        return ColourScale(breaks, DIVERGING_NEG + DIVERGING_POS, True)
    lo, hi = min(vals), max(vals)
    n = max(1, min(classes, len(SEQUENTIAL)))
    if hi - lo <= 1e-6 * max(abs(hi), 1.0):
        step = _nice_step(abs(hi) / n if hi else 1.0)
        start = math.floor(lo / step) * step
        return ColourScale((start, start + step), (SEQUENTIAL[-1],), False)
    step = _nice_step((hi - lo) / n)
    while True:  # widen the step until at most len(SEQUENTIAL) round classes cover [lo, hi]
        start = math.floor(lo / step) * step
        k = max(1, math.ceil((hi - start) / step - 1e-9))
        if start + k * step <= hi:
            k += 1  # hi sits exactly on a break: it belongs to the class above
        if k <= len(SEQUENTIAL):
            break
        step = _nice_step(step * 1.01)
    breaks = [start + i * step for i in range(k + 1)]
    # spread k classes over the palette, keeping its darkest end
    idx = [round(i * (len(SEQUENTIAL) - 1) / (k - 1)) if k > 1 else len(SEQUENTIAL) - 1 for i in range(k)]
    return ColourScale(tuple(breaks), tuple(SEQUENTIAL[i] for i in idx), False)
