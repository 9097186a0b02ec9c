"""What an uploaded file may contain, told on the Data page: its columns, their accepted headers and formats.

Data staff learn the contract where they upload, not from ``docs/data.md``: for
each kind of file (:data:`nightmap.schema.KINDS`) :func:`column_guide` gives one
row per column — its name in the templates, whether it is required, every header
the reader accepts, what goes in it and its range — built from
:mod:`nightmap.schema` (the same specs, ranges and category words the checks use),
and :func:`formats` the accepted ways of writing times, dates, hours, categories
and numbers. Every example shown here is parsed by :mod:`nightmap.ingest.text`
in ``tests/test_file_guide.py``, so the page never promises what the reader
refuses.
"""

from __future__ import annotations

import pandas as pd

from nightmap import schema
from nightmap.i18n import LANGS, fmt_date, fmt_int, t

TIME_EXAMPLES: tuple[str, ...] = (
    "2022-06-17 20:00", "2022/6/17 20:00", "2022.6.17 20:00", "2022年6月17日 20时", "2022年6月17日20时00分",
    "2022-06-17T20:00:00+08:00",
)
"""Ways of writing a time the reader accepts (local Beijing time)."""
DATE_EXAMPLES: tuple[str, ...] = ("2022-06-17", "2022/6/17", "2022年6月17日")
"""Ways of writing the date of a date column."""
HOUR_EXAMPLES: tuple[str, ...] = ("20", "20:00", "20时", "20点", "20:00-21:00", "20-21", "20时-21时")
"""Ways of writing the hour of an hour column (a whole hour, or a one-hour range)."""
NUMBER_EXAMPLES: tuple[str, ...] = ("12345", "12,345", "１２３４５", "12345元", "12345人次")
"""Ways of writing a number (thousands separators, full-width digits, a trailing unit)."""
TRUE_WORDS: tuple[str, ...] = ("是", "true", "yes", "1")
"""Words a ``simulated`` cell may hold for yes (empty or anything else: no)."""


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")


def _bound(value: int, lang: str) -> str:
    """A range bound as written in a notice: ``100万``, ``1亿`` in Chinese, ``1,000,000`` in English."""
    if lang == "zh" and value:
        for size, unit in ((100_000_000, "亿"), (10_000, "万")):
            if value % size == 0:
                return f"{value // size}{unit}"
    return fmt_int(value, "en")


def _range(name: str, lang: str) -> str:
    lo, hi = schema.VALUE_RANGES[name]
    return t("guide.range", lang, lo=_bound(lo, lang), hi=_bound(hi, lang))


def _content(spec: schema.TableSpec, col: schema.ColumnSpec, lang: str) -> str:
    """What goes in one column, with its range or accepted words."""
    if col.name in schema.VALUE_RANGES:
        return t("guide.with_range", lang, what=t(f"guide.col.{col.name}", lang), range=_range(col.name, lang))
    if col.name == "category":
        return t("guide.col.category", lang)
    if col.name == "kind":
        kinds = [f"{k}（{t(f'event.kind.{k}', lang)}）" if lang == "zh" else k for k in schema.EVENT_KINDS]
        return t("guide.col.kind", lang, kinds=" / ".join(kinds))
    if col.name == "simulated":
        return t("guide.col.simulated", lang, words=" / ".join(TRUE_WORDS))
    if col.dtype == "timestamp":
        text = t(f"guide.col.{spec.kind}.{col.name}", lang)
        if spec.kind in schema.SPLIT_TIME and col.name == schema.SPLIT_TIME[spec.kind]:
            text += t("guide.col.split_time", lang)
        return text
    return t(f"guide.col.{col.name}", lang)


def column_guide(kind: str, lang: str = "zh") -> pd.DataFrame:
    """One row per column of a ``kind`` file: header, required, accepted headers, content and range.

    Parameters
    ----------
    kind
        ``footfall``, ``sales`` or ``events``.
    lang
        ``"zh"`` or ``"en"``: the language of the cells and of the column names.

    Returns
    -------
    pandas.DataFrame
        Columns ``guide.head.column``, ``guide.head.required``, ``guide.head.headers``, ``guide.head.content``
        (in ``lang``), in the contract's column order.
    """
    _check_lang(lang)
    spec = schema.TABLES[kind]
    rows = []
    for col in spec.columns:
        shown = col.zh[0] if lang == "zh" else col.name
        headers = [col.name, *col.zh]
        if spec.kind in schema.SPLIT_TIME and col.name == schema.SPLIT_TIME[spec.kind]:
            headers.append(t("guide.headers.split_time", lang, date=" / ".join(schema.DATE_HEADERS),
                             hour=" / ".join(schema.HOUR_HEADERS)))
        rows.append({
            t("guide.head.column", lang): shown,
            t("guide.head.required", lang): t("guide.yes" if col.required else "guide.no", lang),
            t("guide.head.headers", lang): "、".join(headers) if lang == "zh" else ", ".join(headers),
            t("guide.head.content", lang): _content(spec, col, lang),
        })
    return pd.DataFrame(rows)


def formats(kind: str, lang: str = "zh") -> list[str]:
    """The accepted ways of writing this kind's cells, one Markdown line each (times, numbers, categories, …).

    Parameters
    ----------
    kind
        ``footfall``, ``sales`` or ``events``.
    lang
        ``"zh"`` or ``"en"``.
    """
    _check_lang(lang)
    sep = "、" if lang == "zh" else ", "

    def code(items: tuple[str, ...]) -> str:
        return sep.join(f"`{x}`" for x in items)

    lines = [t("guide.fmt.times", lang, examples=code(TIME_EXAMPLES)),
             t("guide.fmt.time_range", lang, lo=fmt_date(schema.TIME_MIN.date(), lang),
               hi=fmt_date(schema.TIME_MAX.date(), lang))]
    if kind in schema.SPLIT_TIME:
        lines.append(t("guide.fmt.date_hour", lang, dates=code(DATE_EXAMPLES), hours=code(HOUR_EXAMPLES)))
        lines.append(t("guide.fmt.night", lang, hour=schema.NIGHT_START_HOUR))
    lines.append(t("guide.fmt.numbers", lang, examples=code(NUMBER_EXAMPLES)))
    if "category" in schema.TABLES[kind].names:
        for category in schema.CATEGORIES:
            lines.append(t("guide.fmt.category", lang, category=t(f"cat.{category}", lang),
                           words=code(schema.category_words(category))))
    lines.append(t("guide.fmt.zones", lang, list=t("data.zonelist.header", lang)))
    return lines
