"""Downloads: CSV and XLSX files that a spreadsheet opens safely.

Cells that begin with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
are prefixed with an apostrophe so a spreadsheet shows them as text and never
runs them as formulas. Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel on Chinese Windows reads the Chinese headers), formula-safe."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per frame (sheet names cut to Excel's 31 characters), formula-safe."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=str(name)[:31], index=False)
    return buf.getvalue()
