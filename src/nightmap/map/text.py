"""The words on the map: zone names and labels, the "position unverified" warning, the legend's HTML.

:func:`zone_name` and :func:`map_label` are shared with the presenter and the
briefing; :func:`_legend_html` writes the legend that :class:`nightmap.map.elements._Legend`
puts on the map. Every piece of text that reaches the HTML is escaped here with
:func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from nightmap import i18n
from nightmap.i18n import t
from nightmap.map.style import (
    CATEGORY_COLOURS,
    HEAT_GRADIENT,
    NO_DATA_COLOUR,
    SEQUENTIAL,
    ColourScale,
    format_ticks,
    metric_title,
)
from nightmap.schema import CATEGORIES, CONFIDENCE_LEVELS, UNKNOWN_CONFIDENCE, is_verified

# --------------------------------------------------------------------------- names


def zone_name(row: Mapping[str, Any], lang: str) -> str:
    """The zone's name in ``lang``, falling back to the other language and the id."""
    first, second = ("name_en", "name_zh") if lang == "en" else ("name_zh", "name_en")
    for col in (first, second, "zone_id"):
        value = row.get(col)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return str(row.get("zone_id", ""))


_SHORT_WORDS: tuple[tuple[str, str], ...] = (
    ("Pedestrian Street", "Ped. St."), ("Commercial Street", "Comm. St."), ("Department Store", "Dept. Store"),
    ("Outer Square", "Outer Sq."), ("Shopping Mall", "Mall"),
)
"""Long English words a map label writes short (the tooltip and every table keep the full name)."""


def map_label(name: str, lang: str) -> str:
    """A zone's name as its map label: in English short enough to sit beside a small zone.

    ``"Jiaozuo Department Store (Baihuo Dalou)"`` → ``"Jiaozuo Dept. Store"``,
    ``"Jingshui'an Pedestrian Street, Mengzhou Road"`` → ``"Jingshui'an Ped. St."``:
    what follows a comma or stands in brackets is dropped and long words are
    abbreviated (:data:`_SHORT_WORDS`). Chinese names are kept as they are.

    Parameters
    ----------
    name
        The zone's name in ``lang`` (:func:`zone_name`).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The label text (the full name when shortening would leave nothing).
    """
    if lang != "en":
        return name
    short = name.split(",")[0]
    if "(" in short and not short.startswith("("):
        short = short[: short.index("(")]
    for long, abbr in _SHORT_WORDS:
        short = short.replace(long, abbr)
    short = " ".join(short.split())
    return short or name


def unverified_text(confidence: Any, lang: str) -> str | None:
    """"⚠ 位置待核实（可信度：低）" for a zone whose place is not ``high`` confidence, else ``None``."""
    if is_verified(confidence):
        return None
    return t("map.tooltip.unverified", lang, level=_confidence_label(str(confidence or UNKNOWN_CONFIDENCE), lang))


def _confidence_label(confidence: str, lang: str) -> str:
    """"低" / "low": a ``location_confidence`` level in words."""
    level = confidence if confidence in CONFIDENCE_LEVELS else UNKNOWN_CONFIDENCE
    return t(f"confidence.{level}", lang)


def _label_key(key: str, lang: str, fallback: str) -> str:
    """``t(key)`` if the key exists, else ``fallback`` (event kinds may be free text)."""
    return t(key, lang) if i18n.has(key) else fallback


# --------------------------------------------------------------------------- legend


def _legend_html(
    *,
    scale: ColourScale,
    metric: str,
    lang: str,
    any_missing: bool,
    event_cats: Sequence[str],
    has_selected: bool,
    has_faded: bool = False,
    has_heat: bool = False,
    has_unverified: bool = False,
    has_roads: bool = False,
    note: str | None = None,
) -> str:
    """The legend's HTML; every piece of text is escaped."""
    e = html.escape
    parts = [f"<h4>{e(metric_title(metric, lang))}</h4>"]
    sub = t("map.legend.diverging", lang) if scale.diverging else t("map.legend.darker_higher", lang)
    parts.append(f'<div class="nm-sub">{e(sub)}</div>')
    dash = "–" if lang == "en" else "—"
    rows = []
    ticks = format_ticks(list(scale.breaks), metric, lang)
    for i, colour in enumerate(scale.colours):
        label = f"{ticks[i]} {dash} {ticks[i + 1]}"
        rows.append(f'<div class="nm-row"><span class="nm-sw" style="background:{colour}"></span>{e(label)}</div>')
    parts.extend(reversed(rows))  # highest at the top
    if any_missing or not scale.colours:
        parts.append(
            f'<div class="nm-row"><span class="nm-sw" style="background:{NO_DATA_COLOUR}"></span>'
            f"{e(t('map.legend.no_data', lang))}</div>"
        )
    if has_unverified:  # never folded away: nobody may take a guessed place for a surveyed one
        parts.append(f'<div class="nm-row nm-unv-row"><span class="nm-sw nm-unverified"></span>'
                     f'{e(t("map.legend.unverified", lang))}</div>')
    # what the outlines, events and notes mean: folded away on a narrow map (see _Legend)
    parts.append(f'<div class="nm-toggle" role="button" tabindex="0"><span class="nm-show">'
                 f'{e(t("map.legend.more", lang))}</span><span class="nm-hide">{e(t("map.legend.less", lang))}'
                 f"</span></div>")
    parts.append('<div class="nm-more">')
    parts.append("<hr>")
    parts.append(
        f'<div class="nm-row"><span class="nm-sw" style="background:{SEQUENTIAL[1]}"></span>'
        f"{e(t('map.legend.street', lang))}</div>"
    )
    parts.append(
        f'<div class="nm-row"><span class="nm-sw nm-complex" style="background:{SEQUENTIAL[1]}"></span>'
        f"{e(t('map.legend.complex', lang))}</div>"
    )
    if has_selected:
        parts.append(
            f'<div class="nm-row"><span class="nm-sw nm-sel"></span>{e(t("map.legend.selected", lang))}</div>'
        )
    if has_faded:
        parts.append(
            f'<div class="nm-row"><span class="nm-sw nm-faded"></span>{e(t("map.legend.filtered_out", lang))}</div>'
        )
    parts.append(f'<div class="nm-row"><span class="nm-sw nm-line"></span>{e(t("map.legend.focus", lang))}</div>')
    if has_roads:
        parts.append(f'<div class="nm-row"><span class="nm-sw nm-road"></span>{e(t("map.legend.roads", lang))}</div>')
    if has_heat:
        stops = ", ".join(HEAT_GRADIENT.values())
        parts.append(f'<div class="nm-row"><span class="nm-sw" style="background:linear-gradient(90deg, {stops})">'
                     f'</span>{e(t("map.legend.heat", lang))}</div>')
    if event_cats:
        parts.append("<hr>")
        dots = "".join(
            f'<span class="nm-dot" style="background:{CATEGORY_COLOURS[c]}">{e(t(f"map.cat.{c}.short", lang))}</span>'
            f"{e(t(f'cat.{c}', lang))}"
            for c in CATEGORIES
            if c in event_cats
        )
        parts.append(f'<div class="nm-row">{e(t("map.legend.events", lang))}：{dots}</div>'
                     if lang != "en" else f'<div class="nm-row">{e(t("map.legend.events", lang))}: {dots}</div>')
    if note:
        parts.append(f'<div class="nm-sub nm-note">{e(note)}</div>')
    parts.append("</div>")
    return "".join(parts)
