"""Downloads: CSV and XLSX files that a spreadsheet opens safely.

Cells that begin with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
are prefixed with an apostrophe so a spreadsheet shows them as text and never
runs them as formulas. Numbers stay numbers: a column of whole numbers (counts,
rounded amounts) is written as integers (``152262``, never ``152262.0``).

The XLSX workbook is ready to read: a frozen header row, column widths that
fit, number formats chosen from each column's header and values (thousands
separators; yuan with 2 decimals or none; changes in % with a sign; shares in
%), and dates as real date cells (also ISO ``YYYY-MM-DD`` text).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INT_FORMAT = "#,##0"
"""Counts and amounts rounded to the yuan: thousands separators, no decimals."""
YUAN_FORMAT = "#,##0.00"
"""Yuan with fen (2 decimals), for amounts that are not whole yuan."""
DECIMAL_FORMAT = "#,##0.0"
CHANGE_FORMAT = '+0.0"%";-0.0"%";0.0"%"'
"""A change already in percent (``12.3`` is +12.3 %): signed, one decimal."""
SHARE_FORMAT = '0.0"%"'
"""A share already in percent, unsigned."""
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CHANGE_WORDS = ("变化", "change", "z值", "z-score")
_SHARE_WORDS = ("占比", "share")
_YUAN_WORDS = ("元", "yuan", "cny")


def neutralise(value: object) -> object:
    """A cell value that cannot run as a formula: text starting with a formula character gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and header) neutralised."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every float column holding only whole numbers (and gaps) is a nullable integer column.

    So ``152262.0`` is written ``152262``; a gap stays a gap (never 0).
    """
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s):
            vals = s.dropna()
            if len(vals) and bool(((vals % 1) == 0).all()) and bool((vals.abs() < 2**53).all()):
                out[col] = s.round(0).astype("Int64")
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel on Chinese Windows reads the Chinese headers), formula-safe.

    Whole-number columns are written as integers (:func:`whole_numbers`).
    """
    return safe_frame(whole_numbers(frame)).to_csv(index=False).encode("utf-8-sig")


def _is_date(value: object) -> bool:
    return isinstance(value, (dt.date, pd.Timestamp)) or (isinstance(value, str) and bool(_ISO_DATE.match(value)))


def _as_dates(series: pd.Series) -> pd.Series | None:
    """``series`` as ``datetime.date`` values when every non-empty value is a date (or ISO date text), else None."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.map(lambda v: None if pd.isna(v) else pd.Timestamp(v).date())
    if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
        return None
    vals = [v for v in series if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not vals or not all(_is_date(v) for v in vals):
        return None
    return series.map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v))
                      else pd.Timestamp(v).date())


def number_format(header: str, series: pd.Series) -> str | None:
    """The Excel number format of a column from its header and values (None: text, left as is).

    Parameters
    ----------
    header
        The column header (its words say what the numbers are: 变化/change → signed %,
        占比/share → %, 元/yuan → money).
    series
        The column's values.
    """
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    low = header.lower()
    vals = pd.to_numeric(series, errors="coerce").dropna()
    whole = bool(len(vals)) and bool(((vals % 1) == 0).all())
    if "%" in header or any(w in low for w in _SHARE_WORDS + _CHANGE_WORDS):
        if any(w in low for w in ("z值", "z-score")):
            return "+0.00;-0.00;0.00"
        return CHANGE_FORMAT if any(w in low for w in _CHANGE_WORDS) else SHARE_FORMAT
    if any(w in low for w in _YUAN_WORDS):
        return INT_FORMAT if whole else YUAN_FORMAT
    return INT_FORMAT if whole else DECIMAL_FORMAT


def _text_width(text: str) -> int:
    """Display width of ``text``: a CJK (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _cell_text(value: object, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, dt.date):
        return "0000-00-00"
    if fmt and isinstance(value, (int, float)):
        decimals = 2 if fmt == YUAN_FORMAT else 1 if "0.0" in fmt else 0
        return f"{float(value):+,.{decimals}f}%" if "%" in fmt else f"{float(value):,.{decimals}f}"
    return str(value)


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per frame (sheet names cut to Excel's 31 characters), formula-safe.

    Each sheet has its header row frozen, columns as wide as their contents
    (at most :data:`MAX_WIDTH`), a number format per numeric column
    (:func:`number_format`) and real date cells for date columns.
    """
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe = safe_frame(whole_numbers(frame))
            dates = {}
            for col in safe.columns:
                as_dates = _as_dates(safe[col])
                if as_dates is not None:
                    dates[col] = True
                    safe[col] = as_dates.astype(object)
            sheet = str(name)[:31]
            safe.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for j, col in enumerate(safe.columns, start=1):
                fmt = DATE_FORMAT if col in dates else number_format(str(col), safe[col])
                letter = ws.cell(row=1, column=j).column_letter
                if fmt:
                    for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                        for cell in row:
                            if cell.value is not None:
                                cell.number_format = fmt
                widest = max([_text_width(str(col))] + [_text_width(_cell_text(v, fmt)) for v in safe[col]])
                ws.column_dimensions[letter].width = min(MAX_WIDTH, widest + 2)
    return buf.getvalue()
