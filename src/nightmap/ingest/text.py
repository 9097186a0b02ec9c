"""Cell text as it is parsed: normalising (NFKC, full-width digits, spaces), numbers and times.

- :func:`normalise_cell` (and :func:`normalise_series` for a column): NFKC, so
  full-width ``１２３`` is ``123``; zero-width marks removed, whitespace collapsed.
- :func:`normalise_header`: a header cell as matched against the accepted
  headers, with a bracketed unit split off (``金额（元）``).
- :func:`parse_numbers` / :func:`parse_number`: thousands separators in their
  places, a leading ``¥`` and a unit of :data:`NUMBER_UNITS` are accepted.
- :func:`parse_times`: times in the usual Chinese office formats, Beijing time.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

NUMBER_UNITS: tuple[str, ...] = ("人次", "元", "人", "笔", "单", "个")
"""Units accepted after a number (``1,234元``, ``56人次``); 万元 and the like are not (they scale)."""

# --------------------------------------------------------------------------- normalising text

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None) | {ord("\u2212"): "-"}
SPACES = re.compile(r"\s+")
"""Runs of whitespace (collapsed to one space)."""
_PLAIN_ASCII = r"[!-~]+(?: [!-~]+)*"


def normalise_cell(text: object) -> str:
    """A cell's text as it is parsed: Unicode NFKC, zero-width marks removed, whitespace collapsed and trimmed.

    NFKC turns full-width digits, letters and punctuation into their ASCII forms
    (``１２３．５`` → ``123.5``, ``１，２３４`` → ``1,234``, ``：`` → ``:``, ``（元）`` → ``(元)``,
    the ideographic space → a space, ``￥`` → ``¥``); the minus sign ``−`` becomes ``-``.

    Parameters
    ----------
    text
        The cell as read (``None`` is empty).

    Returns
    -------
    str
        The normalised text (``""`` for an empty cell).
    """
    if text is None:
        return ""
    out = unicodedata.normalize("NFKC", str(text)).translate(_ZERO_WIDTH)
    return SPACES.sub(" ", out).strip()


def normalise_series(text: pd.Series, *, nfkc: bool = True) -> pd.Series:
    """:func:`normalise_cell` on a column; printable-ASCII cells (the bulk) take a vectorised shortcut.

    With ``nfkc=False`` (free text such as titles) only whitespace is collapsed and trimmed.
    """
    text = text.astype(str)
    if not nfkc:
        return text.str.replace(r"\s+", " ", regex=True).str.strip()
    plain = text.str.fullmatch(_PLAIN_ASCII) | (text == "")
    if bool(plain.all()):
        return text
    out = text.astype(object)
    odd = ~plain.to_numpy()
    out[odd] = [normalise_cell(v) for v in text[odd]]
    return out.astype(str)


def normalise_header(text: object) -> tuple[str, str]:
    """A header cell as matched against the accepted headers, and the unit it names in brackets.

    NFKC, no spaces, lower case, ``*`` marks removed; a trailing bracketed unit
    (``金额（元）``, ``客流[人次]``) is split off.

    Returns
    -------
    tuple of str
        ``(name, unit)``, e.g. ``("金额", "元")``; ``unit`` is ``""`` when there is none.
    """
    name = "".join(normalise_cell(text).split()).lower().strip("*")
    unit = ""
    match = re.fullmatch(r"(.+?)[(\[【]([^()\[\]【】]*)[)\]】]", name)
    if match:
        name, unit = match.group(1), match.group(2)
    return name.strip("*"), unit


# --------------------------------------------------------------------------- numbers


# Patterns without \s, \d or lookarounds run in pyarrow (cells are normalised: single spaces, no newlines).
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_GROUPED = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_UNIT_RE = r" ?(?:" + "|".join(NUMBER_UNITS) + r")$"


def parse_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse normalised cells as numbers.

    Accepted: ``123``, ``-1``, ``18650.5``, ``1e20``, thousands separators in
    their places only (``1,234``, ``12,345.5``; not ``1,0`` or ``1,2,3,4``), a
    leading ``¥`` and a trailing unit of :data:`NUMBER_UNITS` (``1,234元``).
    ``inf``, ``nan`` and anything that overflows (``1e400``) are not numbers.

    Parameters
    ----------
    text
        Cells after :func:`normalise_cell`.

    Returns
    -------
    tuple of pandas.Series
        The numbers (float64, NaN where empty or invalid) and a mask of the
        non-empty cells that are not valid numbers.
    """
    text = text.astype(str)
    empty = text == ""
    bare = text.str.replace(r"^¥ ?", "", regex=True).str.replace(_UNIT_RE, "", regex=True)
    has_comma = bare.str.contains(",", regex=False)
    bad_comma = has_comma & ~bare.str.fullmatch(_GROUPED)
    bare = bare.str.replace(",", "", regex=False)
    syntax = bare.str.fullmatch(_NUMBER) & ~bad_comma
    numbers = pd.to_numeric(bare.where(syntax, None), errors="coerce").astype("float64")
    finite = np.isfinite(numbers.to_numpy())
    numbers = numbers.where(finite)
    bad = ~empty & ~(syntax & finite)
    return numbers, bad


def parse_number(text: str) -> float | None:
    """One cell by :func:`parse_numbers` (after :func:`normalise_cell`); ``None`` when empty or invalid."""
    numbers, _bad = parse_numbers(pd.Series([normalise_cell(text)]))
    value = numbers.iloc[0]
    return None if pd.isna(value) else float(value)


# --------------------------------------------------------------------------- times

_ISO_FAST = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?"
_TIME_RE = (
    r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<mo>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*T?\s*(?P<h>\d{1,2})\s*(?:"
    r":\s*(?P<mi>\d{1,2})(?:\s*:\s*(?P<s>\d{1,2})(?P<f>\.\d+)?)?"
    r"|[时点]\s*(?:(?P<mi2>\d{1,2})\s*分(?:\s*(?P<s2>\d{1,2})\s*秒)?)?"
    r"))?"
    r"\s*(?P<tz>[zZ]|[+-]\d{1,2}(?::?\d{2})?)?$"
)
_BEIJING_OFFSETS = {"+08:00", "+0800", "+08", "+8", "+8:00"}


def parse_times(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse normalised cells as local (Asia/Shanghai) times.

    Accepted: ``2022-06-18 20:00``, ``2022/6/18 20:00``, ``2022.6.18 20:00``,
    ``2022年6月18日 20时``, ``2022年6月18日20时00分``, ``2022年6月18日 20点``,
    ``2022-06-18T20:00:00`` (ISO, also with ``+08:00``, Beijing time), seconds
    optional, and a date alone (midnight). Excel date cells arrive as
    ``2022-06-18 20:00:00`` from :func:`read_cells`.

    Returns
    -------
    tuple of pandas.Series
        The times (``datetime64[us]``, NaT where empty or invalid), a mask of the
        non-empty cells that are not valid times, and a mask of the cells with a
        time-zone offset other than Beijing's (``Z``, ``+09:00``, …).
    """
    text = text.astype(str)
    empty = text == ""
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    fast = text.str.fullmatch(_ISO_FAST)
    if bool(fast.any()):
        values[fast] = pd.to_datetime(text[fast], format="ISO8601", errors="coerce").astype("datetime64[us]")
    other_zone = pd.Series(False, index=text.index)
    rest = ~fast & ~empty
    if bool(rest.any()):
        parts = text[rest].str.extract(_TIME_RE)
        ok = parts["y"].notna()
        tz = parts["tz"].fillna("")
        foreign = ok & (tz != "") & ~tz.isin(_BEIJING_OFFSETS)
        other_zone[foreign[foreign].index] = True
        good = ok & ~foreign
        if bool(good.any()):
            p = parts[good].fillna("")
            minute = p["mi"].where(p["mi"] != "", p["mi2"]).replace("", "0")
            second = p["s"].where(p["s"] != "", p["s2"]).replace("", "0")
            iso = (p["y"] + "-" + p["mo"].str.zfill(2) + "-" + p["d"].str.zfill(2) + "T"
                   + p["h"].replace("", "0").str.zfill(2) + ":" + minute.str.zfill(2) + ":" + second.str.zfill(2)
                   + p["f"])
            values[iso.index] = pd.to_datetime(iso, format="ISO8601", errors="coerce").astype("datetime64[us]")
    bad = values.isna() & ~empty & ~other_zone
    return values, bad, other_zone

