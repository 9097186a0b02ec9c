"""Cell text as it is parsed: normalising (NFKC, full-width digits, spaces), numbers and times.

- :func:`normalise_cell` (and :func:`normalise_series` for a column): NFKC, so
  full-width ``１２３`` is ``123``; zero-width marks removed, whitespace collapsed.
- :func:`normalise_header`: a header cell as matched against the accepted
  headers, with a bracketed unit split off (``金额（元）``).
- :func:`parse_numbers` / :func:`parse_number`: thousands separators in their
  places, a leading ``¥`` and a unit of :data:`NUMBER_UNITS` are accepted.
- :func:`parse_times`: times in the usual Chinese office formats, Beijing time, and
  Excel serial date-times (``44729.8333333``).
- :func:`parse_dates` and :func:`parse_hours`: a time given as a date column and an
  hour column (``2022年6月17日`` and ``20:00-21:00``).
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
_DATE_PART = r"(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<mo>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
"""A calendar date as offices write it (``2022-06-18``, ``2022/6/18``, ``2022.6.18``, ``2022年6月18日``)."""
_TIME_RE = (
    rf"^{_DATE_PART}"
    r"(?:\s*T?\s*(?P<h>\d{1,2})\s*(?:"
    r":\s*(?P<mi>\d{1,2})(?:\s*:\s*(?P<s>\d{1,2})(?P<f>\.\d+)?)?"
    r"|[时点]\s*(?:(?P<mi2>\d{1,2})\s*分(?:\s*(?P<s2>\d{1,2})\s*秒)?)?"
    r"))?"
    r"\s*(?P<tz>[zZ]|[+-]\d{1,2}(?::?\d{2})?)?$"
)
_BEIJING_OFFSETS = {"+08:00", "+0800", "+08", "+8", "+8:00"}

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
"""Day 0 of Excel's 1900 date system (serial 1 is 1900-01-01 only after Excel's 1900 leap-day bug)."""
SERIAL_MIN = 36_526
"""Smallest Excel serial read as a date-time: 2000-01-01."""
SERIAL_MAX = 73_415
"""Largest whole Excel serial read as a date-time: 2100-12-31 (its fraction up to the end of that day)."""
_SERIAL = r"[0-9]{5}(?:\.[0-9]*)?"


def _serials(text: pd.Series, *, whole: bool) -> pd.Series:
    """Cells that are Excel serial numbers in the plausible range, as times rounded to the minute (NaT else).

    With ``whole`` only whole serials (dates) count: ``44729`` or ``44729.0``.
    """
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    number = text.str.fullmatch(_SERIAL)
    if not bool(number.any()):
        return out
    serial = pd.to_numeric(text[number], errors="coerce").astype("float64")
    ok = (serial >= SERIAL_MIN) & (serial < SERIAL_MAX + 1)
    if whole:
        ok &= serial == serial.round()
    serial = serial[ok]
    minutes = (serial * 1440).round().astype("int64")
    out[serial.index] = (EXCEL_EPOCH + pd.to_timedelta(minutes, unit="min")).astype("datetime64[us]")
    return out


def parse_times(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse normalised cells as local (Asia/Shanghai) times.

    Accepted: ``2022-06-18 20:00``, ``2022/6/18 20:00``, ``2022.6.18 20:00``,
    ``2022年6月18日 20时``, ``2022年6月18日20时00分``, ``2022年6月18日 20点``,
    ``2022-06-18T20:00:00`` (ISO, also with ``+08:00``, Beijing time), seconds
    optional, and a date alone (midnight). Excel date cells arrive as
    ``2022-06-18 20:00:00`` from :func:`read_cells`. A number (an Excel number
    cell, or numeric text from a CSV saved with the cell formatted as General)
    is an Excel serial date-time (1900 date system, day 0 = 1899-12-30) when it
    lies between :data:`SERIAL_MIN` and :data:`SERIAL_MAX` (2000–2100):
    ``44729.8333333`` is ``2022-06-17 20:00``, rounded to the minute. Other
    numbers are not times.

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
        unread = rest & values.isna() & ~other_zone
        if bool(unread.any()):
            serials = _serials(text[unread], whole=False)
            values[serials.index] = serials
    bad = values.isna() & ~empty & ~other_zone
    return values, bad, other_zone


_DATE_RE = (
    rf"^{_DATE_PART}"
    r"(?:\s*T?\s*0{1,2}:00(?::00(?:\.0+)?)?)?$"
)


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse normalised cells of a date column: calendar dates, no time of day.

    Accepted: ``2022-06-17``, ``2022/6/17``, ``2022.6.17``, ``2022年6月17日``, an
    Excel date cell (``2022-06-17 00:00:00`` from :func:`read_cells`) and a whole
    Excel serial between :data:`SERIAL_MIN` and :data:`SERIAL_MAX` (``44729``).
    A date with a time of day other than midnight is not a date.

    Returns
    -------
    tuple of pandas.Series
        The dates at midnight (``datetime64[us]``, NaT where empty or invalid) and
        a mask of the non-empty cells that are not valid dates.
    """
    text = text.astype(str)
    empty = text == ""
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    rest = ~empty
    if bool(rest.any()):
        parts = text[rest].str.extract(_DATE_RE)
        ok = parts["y"].notna()
        if bool(ok.any()):
            p = parts[ok]
            iso = p["y"] + "-" + p["mo"].str.zfill(2) + "-" + p["d"].str.zfill(2)
            values[iso.index] = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
        unread = rest & values.isna()
        if bool(unread.any()):
            serials = _serials(text[unread], whole=True)
            values[serials.index] = serials
    bad = values.isna() & ~empty
    return values, bad


_HOUR_END = r"(\d{1,2})(?:\.0+)?(?::(\d{1,2})(?::(\d{1,2}))?)?\s*(?:[时点]\s*(?:(\d{1,2})\s*分)?)?"
_HOUR_RE = re.compile(rf"{_HOUR_END}(?:\s*(?:-+|—+|–+|~|至|到)\s*{_HOUR_END})?")

HOUR_PROBLEMS: tuple[str, ...] = (
    "ingest.cell.not_hour", "ingest.cell.hour_range", "ingest.cell.hour_not_whole", "ingest.cell.hour_span",
)
"""The message keys of an hour cell that is not a whole hour 0–23 or a one-hour range."""


def hour_of(text: str) -> tuple[int | None, str]:
    """One normalised cell of an hour column: the hour it starts, or ``None`` and the message key of its problem.

    Accepted: ``20``, ``20:00``, ``20:00:00`` (an Excel time cell), ``20时``, ``20点``,
    and a one-hour range starting on the hour: ``20:00-21:00``, ``20-21``,
    ``20:00—21:00``, ``20时-21时``, ``23:00-24:00`` (dashes, ``~``, ``至`` or ``到``).
    Hours are 0–23; ``20:30`` is not a whole hour and ``20:00-22:00`` not one hour.
    """
    match = _HOUR_RE.fullmatch(text)
    if not match:
        return None, "ingest.cell.not_hour"
    g = match.groups()

    def end(h: str, m: str | None, sec: str | None, m2: str | None) -> tuple[int, int, int]:
        return int(h), int(m or m2 or 0), int(sec or 0)

    hour, minute, second = end(*g[:4])
    if minute > 59 or second > 59:
        return None, "ingest.cell.not_hour"
    if hour > 23:
        return None, "ingest.cell.hour_range"
    if g[4] is None:
        return (hour, "") if minute == second == 0 else (None, "ingest.cell.hour_not_whole")
    last, last_minute, last_second = end(*g[4:])
    if last_minute > 59 or last_second > 59:
        return None, "ingest.cell.not_hour"
    one_hour = last == hour + 1 or (hour == 23 and last == 0)
    if minute or second or last_minute or last_second or not one_hour:
        return None, "ingest.cell.hour_span"
    return hour, ""


def parse_hours(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse normalised cells of an hour column with :func:`hour_of` (each distinct text once).

    Returns
    -------
    tuple of pandas.Series
        The hours (float64, NaN where empty or invalid) and each cell's problem:
        a key of :data:`HOUR_PROBLEMS`, ``""`` when the cell is fine or empty.
    """
    text = text.astype(str)
    found = {value: hour_of(value) for value in text.unique() if value != ""}
    found[""] = (None, "")
    hours = text.map(lambda v: found[v][0]).astype("float64")
    reasons = text.map(lambda v: found[v][1]).astype(str)
    return hours, reasons

