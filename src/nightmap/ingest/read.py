"""Bytes to rows of text cells: CSV decoding and delimiters, XLSX read within zip-bomb limits.

:func:`read_cells` reads a CSV file with the ``csv`` module, or the first sheet
of an XLSX file with openpyxl (read only, cell values), into a frame of text
cells indexed by **Excel row number**; blank rows are left out. CSV bytes are
decoded by :func:`decode_csv` (UTF-16 with a byte-order mark, UTF-8 with or
without BOM, GB18030). Before an XLSX file is opened its zip directory is checked
against the ``XLSX_*`` limits of :mod:`nightmap.ingest.limits`; rows and columns
are bounded while reading, so nothing big is built from a hostile file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pandas as pd

from nightmap.errors import ValidationError
from nightmap.ingest import limits
from nightmap.ingest.problems import refuse, rows_limit_error, unreadable

ALLOWED_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")
"""File names must end in one of these (any case)."""


# --------------------------------------------------------------------------- CSV


def decode_csv(data: bytes, *, file_name: str = "") -> str:
    """Decode CSV bytes: UTF-16 with a byte-order mark, else UTF-8 (with or without BOM), else GB18030.

    Raises
    ------
    ValidationError
        When none of them fits, advising to save the file as UTF-8 or GB18030 CSV.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise refuse(file_name, "ingest.csv.bad_utf16") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise refuse(file_name, "ingest.csv.unknown_encoding")


def _sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits the most of the first lines into the same number of cells."""
    lines = [line for line in text[:65_536].splitlines() if line.strip()][:30]
    best, best_score = ",", (0, 0)
    for delimiter in (",", "\t", ";"):
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _csv_rows(data: bytes, file_name: str) -> tuple[list[int], list[list[str]]]:
    """The non-blank records of a CSV file and their numbers (record index + 1, as Excel numbers the rows)."""
    if data.startswith(b"PK\x03\x04"):
        raise refuse(file_name, "ingest.csv.is_xlsx")
    text = decode_csv(data, file_name=file_name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    numbers: list[int] = []
    records: list[list[str]] = []
    most = limits.most_nonblank_rows()
    start = 1
    while chunk := list(itertools.islice(reader, 50_000)):
        if start + len(chunk) - 1 > limits.MAX_SHEET_ROWS:
            raise refuse(file_name, "ingest.csv.too_long", limit=f"{limits.MAX_SHEET_ROWS:,}")
        size = len(chunk)
        kept = [i for i, r in enumerate(chunk) if any(r) and "".join(r).strip()]
        if len(kept) < size:
            chunk = [chunk[i] for i in kept]
        if max(map(len, chunk), default=0) > limits.MAX_COLUMNS:
            chunk = [r[:limits.MAX_COLUMNS] for r in chunk]
        numbers.extend(start + i for i in kept)
        records.extend(chunk)
        start += size
        if len(records) > most:
            raise rows_limit_error(file_name)
    return numbers, records


# --------------------------------------------------------------------------- XLSX


def _cell_text(value: object) -> str:
    """An XLSX cell as text: ``123``, ``18650.5``, ``2022-06-18 20:00:00``, ``2022-06-18``, ``true``, ``""``."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        number = float(value)  # type: ignore[arg-type]
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, dt.datetime):
        if value.microsecond:
            value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return (f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
                f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}")
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return str(value)


def _check_zip(data: bytes, file_name: str) -> None:
    """Refuse a file that is not a zip, or whose parts are too many, too large or compressed like a bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise refuse(file_name, "ingest.xlsx.invalid") from None
    mb = 1_000_000
    why = ""
    if len(infos) > limits.XLSX_MAX_MEMBERS:
        why = f"parts: {len(infos):,}"
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.XLSX_MAX_MEMBER_MB * mb:
            why = why or f"{info.filename}: {info.file_size / mb:,.0f} MB"
        elif info.file_size > limits.XLSX_RATIO_MIN_MB * mb and ratio > limits.XLSX_MAX_RATIO:
            why = why or f"{info.filename}: {info.file_size / mb:,.0f} MB, ratio {ratio:,.0f}"
    if not why and total > limits.XLSX_MAX_TOTAL_MB * mb:
        why = f"{total / mb:,.0f} MB"
    if why:
        raise refuse(file_name, "ingest.xlsx.too_large", value=why, members=f"{limits.XLSX_MAX_MEMBERS:,}",
                     member_mb=limits.XLSX_MAX_MEMBER_MB, total_mb=limits.XLSX_MAX_TOTAL_MB,
                     ratio=limits.XLSX_MAX_RATIO)


def _xlsx_rows(data: bytes, file_name: str) -> tuple[list[int], list[list[str]]]:
    """The non-blank rows of the first sheet of an XLSX file and their Excel row numbers."""
    _check_zip(data, file_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise refuse(file_name, "ingest.xlsx.no_sheet")
            sheet = book.worksheets[0]
            declared = sheet.max_row
            sheet.reset_dimensions()  # some writers declare a wrong size; read the rows that are there
            return _sheet_rows(sheet.iter_rows(max_col=limits.MAX_COLUMNS, values_only=True), declared,
                               file_name)
        finally:
            book.close()


def _sheet_rows(
    rows: Iterable[tuple], declared: int | None, file_name: str
) -> tuple[list[int], list[list[str]]]:
    """The non-blank rows of a sheet as text, refusing sheets too long or padded out to far stray cells."""
    numbers: list[int] = []
    records: list[list[str]] = []
    most = limits.most_nonblank_rows()
    width = 0
    blank_run = 0
    for number, values in enumerate(rows, start=1):
        if number > limits.MAX_SHEET_ROWS:
            raise refuse(file_name, "ingest.xlsx.too_long", limit=f"{limits.MAX_SHEET_ROWS:,}")
        size = len(values)
        if values.count(None) < size:
            if values[width:].count(None) < size - width:  # cells further right than before
                width = size - next(i for i, v in enumerate(reversed(values)) if v is not None)
            cells = [_cell_text(v) for v in values[:width]]
            if "".join(cells).strip():
                blank_run = 0
                numbers.append(number)
                records.append(cells)
                if len(records) > most:
                    raise rows_limit_error(file_name)
                continue
        blank_run += 1
        if blank_run > limits.MAX_BLANK_RUN and declared is not None and declared > number:
            raise refuse(file_name, "ingest.xlsx.blank_run", first=f"{number - blank_run + 1:,}",
                         blank_max=f"{limits.MAX_BLANK_RUN:,}", declared=f"{declared:,}")
    return numbers, records


# --------------------------------------------------------------------------- either


def read_cells(data: bytes, *, file_name: str) -> pd.DataFrame:
    """Read a CSV or XLSX file into a frame of text cells, one row per non-blank row of the file.

    The frame's index is the **Excel row number** of each row (a CSV record's
    number counting from 1; an XLSX row's own number); its columns are the cell
    positions 0, 1, 2, … (at most :data:`~nightmap.ingest.limits.MAX_COLUMNS`);
    every cell is text as written (``""`` when empty). Blank rows are left out:
    their numbers are the gaps in the index.

    Raises
    ------
    ValidationError
        One file-level problem when the file type is not allowed, the file
        cannot be read, or it breaks a size limit.
    """
    suffix = Path(file_name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise refuse(file_name, "ingest.file_type", value=suffix)
    try:
        numbers, records = _csv_rows(data, file_name) if suffix == ".csv" else _xlsx_rows(data, file_name)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is the file's fault: one clear refusal
        raise unreadable(file_name, exc) from exc
    width = max(map(len, records), default=0)
    for record in records:
        if len(record) < width:
            record.extend([""] * (width - len(record)))
    return pd.DataFrame(records, index=pd.Index(numbers, dtype="int64", name="row"), columns=range(width),
                        dtype=str)
