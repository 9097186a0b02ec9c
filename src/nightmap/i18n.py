"""Every user-facing string in Chinese and English, and number, money and date formatting.

Chinese (``"zh"``) is the default language. The strings themselves live in
:mod:`nightmap.messages`, one module per part of the app. Look them up with :func:`t`;
format values with :func:`fmt_int`, :func:`fmt_money`, :func:`fmt_pct` and
:func:`fmt_date` so every page writes numbers the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

from nightmap import messages

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"

# key -> (zh, en), gathered from the parts of nightmap.messages; add new keys there.
STRINGS: dict[str, tuple[str, str]] = messages.merged()


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """Return the string ``key`` in ``lang``, formatted with ``kwargs``.

    Parameters
    ----------
    key
        A key of :data:`STRINGS`.
    lang
        ``"zh"`` or ``"en"``; anything else falls back to Chinese.
    **kwargs
        Values for ``{placeholders}`` in the string.

    Raises
    ------
    KeyError
        If ``key`` is unknown, so a missing translation fails loudly in tests.
    """
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**kwargs) if kwargs else text


def both(key: str, *, zh: Mapping[str, object] | None = None, en: Mapping[str, object] | None = None,
         **kwargs: object) -> tuple[str, str]:
    """The string ``key`` in Chinese and in English, for messages that carry both (errors, file problems, the CLI).

    Parameters
    ----------
    key
        A key of :data:`STRINGS`.
    zh, en
        Values of placeholders that differ between the languages (a list joined
        with ``、`` in Chinese and ``, `` in English).
    **kwargs
        Values of the placeholders, the same in both languages.
    """
    return t(key, "zh", **kwargs, **(zh or {})), t(key, "en", **kwargs, **(en or {}))


def both_text(key: str, *, sep: str = " / ", zh: Mapping[str, object] | None = None,
              en: Mapping[str, object] | None = None, **kwargs: object) -> str:
    """:func:`both` as one text, ``中文 / English`` (``sep`` between), as errors and the CLI print it."""
    return sep.join(both(key, zh=zh, en=en, **kwargs))


def has(key: str) -> bool:
    """Whether ``key`` is a known string."""
    return key in STRINGS


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: float | int | None, lang: str = DEFAULT_LANG, *, like: float | None = None) -> str:
    """A count with thousands separators; large Chinese numbers in 万 or 亿 (``12.3万``, ``1.25亿``).

    ``like``: write the value in the unit that ``like`` takes (the largest of the values shown beside
    it), so neighbouring figures read in one unit (``1.8万`` beside ``14.0万``, not ``18,400``).
    """
    if _is_missing(value):
        return "—"
    v = float(value)
    if lang != "en" and max(abs(v), abs(like or 0.0)) >= 100_000:
        return _wan_yi(v, like=like)
    return f"{round(v):,}"


def _wan_yi(v: float, *, like: float | None = None) -> str:
    """``12.3万`` from 100,000, ``1.25亿`` from 100 million, as Chinese reports write large numbers.

    The unit is the one ``max(|v|, |like|)`` takes.
    """
    if max(abs(v), abs(like or 0.0)) >= 100_000_000:
        return f"{v / 100_000_000:,.2f}亿"
    return f"{v / 10_000:,.1f}万"


def fmt_money(value: float | None, lang: str = DEFAULT_LANG, *, decimals: int = 0, short: bool = False,
              like: float | None = None) -> str:
    """Money in 元: ``1.25亿元`` / ``12.3万元`` / ``8,560元`` in Chinese, ``8,560 yuan`` in English.

    ``short``: in English, millions as ``16.55M yuan`` (for a headline figure that must fit).
    ``like``: in Chinese, the unit that ``like`` takes (see :func:`fmt_int`).
    """
    if _is_missing(value):
        return "—"
    v = float(value)
    if lang == "en":
        if short and abs(v) >= 1_000_000:
            return f"{v / 1_000_000:,.2f}M yuan"
        return f"{v:,.{decimals}f} yuan"
    if max(abs(v), abs(like or 0.0)) >= 100_000:
        return _wan_yi(v, like=like) + "元"
    return f"{v:,.{decimals}f}元"


def fmt_pct(value: float | None, lang: str = DEFAULT_LANG, *, signed: bool = True, decimals: int = 1) -> str:
    """A percentage such as ``+12.5%``; ``—`` when there is nothing to compare with.

    Rounded before the sign is chosen: a change that rounds to zero is written ``±0.0%``
    (``0.0%`` unsigned), never ``-0.0%``.
    """
    if _is_missing(value):
        return "—"
    shown = round(float(value), decimals)
    if shown == 0:
        return f"±{0:.{decimals}f}%" if signed else f"{0:.{decimals}f}%"
    return f"{shown:+.{decimals}f}%" if signed else f"{shown:.{decimals}f}%"


def pct_sign(value: float | None, decimals: int = 1) -> str:
    """``"up"``, ``"down"`` or ``""`` (missing, or zero at the shown precision) for a change in percent.

    Parameters
    ----------
    value
        The change in percent.
    decimals
        The decimals it is shown with: the sign is that of the rounded value, so
        ``-0.04`` shown as ``±0.0%`` is neutral, not a decrease.

    Returns
    -------
    str
        The direction for arrows and colours.
    """
    if _is_missing(value):
        return ""
    shown = round(float(value), decimals)
    return "" if shown == 0 else ("up" if shown > 0 else "down")


def fmt_date(day: dt.date, lang: str = DEFAULT_LANG, *, year: bool = True) -> str:
    """A date as people in Jiaozuo write it (``2022年6月17日``), or ``17 Jun 2022`` in English."""
    if lang == "en":
        return f"{day.day} {day.strftime('%b')} {day.year}" if year else f"{day.day} {day.strftime('%b')}"
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


def _moment(value: object) -> dt.datetime | None:
    """A datetime from a datetime, pandas Timestamp or ISO string; ``None`` for missing or NaT."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, dt.datetime) or value != value:  # NaT is not equal to itself
        return None
    return value


def night_of(moment: dt.datetime) -> dt.date:
    """The night a moment belongs to: a night runs to 06:00, so 01:00 belongs to the evening before."""
    return (moment - dt.timedelta(hours=6)).date()


def fmt_when(start: object, end: object = None, lang: str = DEFAULT_LANG, *, date: bool = True) -> str:
    """An event's time as one string, the same on every page, map and export.

    ``6月17日 19:30—21:30`` / ``17 Jun 19:30–21:30``; an event that runs past its
    first night shows both dates (``6月17日 17:00—6月20日 02:00``). With
    ``date=False`` (a player showing one night) only the clock times. Missing
    or unreadable times give ``""``; a missing end gives the start alone.
    """
    s, e = _moment(start), _moment(end)
    if s is None:
        return ""
    dash = "–" if lang == "en" else "—"
    text = f"{s:%H:%M}" if not date else f"{fmt_date(s.date(), lang, year=False)} {s:%H:%M}"
    if e is None:
        return text
    same_night = night_of(e - dt.timedelta(microseconds=1)) == night_of(s)
    if same_night or not date:
        return f"{text}{dash}{e:%H:%M}"
    return f"{text}{dash}{fmt_date(e.date(), lang, year=False)} {e:%H:%M}"


def fmt_weekday(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    """The weekday: ``周五`` / ``Fri``."""
    if lang == "en":
        return day.strftime("%a")
    return "周" + "一二三四五六日"[day.weekday()]


def fmt_hour(hour: int) -> str:
    """An hour of the day as ``HH:00``; 24 is shown as ``24:00``."""
    return f"{hour:02d}:00"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: object) -> str:
    """``text`` with Markdown (and HTML) special characters escaped, for ``st.markdown``-like calls.

    Zone names, notes and titles may come from uploads or edits: escaped, a name like
    ``![](http://x/y.png)`` shows as text and never makes the browser fetch anything.
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text if text is not None else ""))
