"""The entry points: :func:`parse_file`, :func:`parse_path`, :func:`check_upload`, and the value checks.

:func:`parse_file` reads a file (:mod:`~nightmap.ingest.read`), finds its header
(:mod:`~nightmap.ingest.layout`), parses every column (:mod:`~nightmap.ingest.text`),
runs the contract's pandera checks, resolves zone names
(:mod:`~nightmap.ingest.zones`) and refuses duplicate keys and template example
rows; it returns a :class:`ParsedFile` or raises one
:class:`~nightmap.errors.ValidationError` listing every problem.
:func:`check_upload` does the same for the Data page without ever raising, and
keeps a preview (:class:`UploadCheck`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from openpyxl.utils import get_column_letter

from nightmap.errors import ValidationError
from nightmap.ingest import limits
from nightmap.ingest.layout import Layout, SkippedRow, find_layout
from nightmap.ingest.problems import Problems, both, plain, refuse, rows_limit_error, text_of, unreadable
from nightmap.ingest.read import read_cells
from nightmap.ingest.text import (
    HOUR_PROBLEMS,
    normalise_series,
    parse_dates,
    parse_hours,
    parse_numbers,
    parse_times,
)
from nightmap.ingest.zones import resolve_zones
from nightmap.schema import (
    CATEGORY_SYNONYMS,
    CHECK_REASONS,
    SPLIT_TIME,
    TABLES,
    ColumnSpec,
    TableSpec,
    pandera_schema,
)

EXAMPLE_MARK = re.compile(r"^\W*(?:示例|example)(?![a-z])", re.IGNORECASE)
"""A cell starting with this (``【示例·请删除本行】…``, ``[EXAMPLE …]``) belongs to a template's example row."""

_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f", ""}
_FREE_TEXT = {"title_zh", "title_en"}
_LOWER = {"category", "kind", "simulated"}


@dataclass(frozen=True)
class ParsedFile:
    """A validated file, ready to be written.

    Attributes
    ----------
    kind
        ``footfall``, ``sales`` or ``events``.
    file_name
        The name the user gave the file.
    sha256
        Hex digest of the file's bytes.
    frame
        The rows in the contract's columns and types (a plain RangeIndex).
    ignored_columns
        Headers that are not in the contract (kept out, reported).
    header_row
        Excel row number of the header.
    skipped
        Rows left out: above the header, blank, totals and note rows.
    source_rows
        The Excel row number of each row of ``frame``, in order.
    """

    kind: str
    file_name: str
    sha256: str
    frame: pd.DataFrame
    ignored_columns: tuple[str, ...] = field(default_factory=tuple)
    header_row: int = 1
    skipped: tuple[SkippedRow, ...] = field(default_factory=tuple)
    source_rows: tuple[int, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> int:
        """Number of data rows."""
        return len(self.frame)


# --------------------------------------------------------------------------- parsing columns

_TYPE_REASONS: dict[str, str] = {
    "int": "ingest.cell.not_number",
    "float": "ingest.cell.not_number",
    "timestamp": "ingest.cell.not_time",
    "bool": "ingest.cell.not_bool",
}
"""The message key of a cell that is not of its column's type."""


def _parse_column(
    raw: pd.Series, col: ColumnSpec, *, header: str, problems: Problems
) -> tuple[pd.Series, pd.Series]:
    """Parse one column of text cells (indexed by Excel row); returns the values and a mask of failed cells.

    Integer columns stay float64 here so that the range checks see any value;
    they become ``Int64`` once the whole file is valid.
    """
    text = normalise_series(raw, nfkc=col.name not in _FREE_TEXT)
    if col.name in _LOWER:
        text = text.str.lower()
    empty = text == ""
    failed = pd.Series(False, index=raw.index)
    if col.dtype == "str":
        if col.name == "category":
            # the vectorised form of schema.category_key (NFKC and lower case are done above)
            text = text.str.replace(" ", "", regex=False).map(CATEGORY_SYNONYMS).fillna(text).astype(str)
        values = text.where(~empty, None).astype(object)
        bad = pd.Series(False, index=raw.index)
    elif col.dtype in ("int", "float"):
        values, bad = parse_numbers(text)
        if col.dtype == "int":
            fractional = values.notna() & (values != values.round())
            problems.cells(raw.index[fractional.to_numpy()], header, raw, *both("ingest.cell.not_whole"))
            failed |= fractional
            values = values.where(~fractional)
    elif col.dtype == "timestamp":
        values, bad, other_zone = parse_times(text)
        problems.cells(raw.index[other_zone.to_numpy()], header, raw, *both("ingest.cell.time_zone"))
        failed |= other_zone
    elif col.dtype == "bool":
        bad = ~text.isin(_TRUE | _FALSE)
        values = text.isin(_TRUE).astype("boolean")
    else:  # pragma: no cover - the contract only has the types above
        raise ValueError(col.dtype)
    if col.dtype != "str":
        problems.cells(raw.index[bad.to_numpy()], header, raw, *both(_TYPE_REASONS[col.dtype]))
        failed |= bad
    if col.required:
        problems.cells(raw.index[empty.to_numpy()], header, raw, *both("ingest.cell.missing"))
    return values, failed


def _parse_split_time(
    date_raw: pd.Series, hour_raw: pd.Series, *, date_header: str, hour_header: str, problems: Problems
) -> tuple[pd.Series, pd.Series]:
    """A timestamp column made of a date column and an hour column: the start of the hour on that date.

    The date is the row's calendar date (``2022-06-18`` and ``01`` is 2022-06-18 01:00,
    which belongs to the night of the 17th); it is not shifted. Each bad or missing
    cell is a problem on its own column. Returns the times and a mask of the failed rows.
    """
    date_text = normalise_series(date_raw)
    hour_text = normalise_series(hour_raw)
    dates, bad_date = parse_dates(date_text)
    hours, hour_reason = parse_hours(hour_text)
    problems.cells(date_raw.index[bad_date.to_numpy()], date_header, date_raw, *both("ingest.cell.not_date"))
    for key in HOUR_PROBLEMS:
        rows = hour_raw.index[(hour_reason == key).to_numpy()]
        problems.cells(rows, hour_header, hour_raw, *both(key))
    no_date = date_text == ""
    no_hour = hour_text == ""
    problems.cells(date_raw.index[no_date.to_numpy()], date_header, date_raw, *both("ingest.cell.missing"))
    problems.cells(hour_raw.index[no_hour.to_numpy()], hour_header, hour_raw, *both("ingest.cell.missing"))
    values = (dates + pd.to_timedelta(hours, unit="h")).astype("datetime64[us]")
    failed = bad_date | (hour_reason != "")
    return values, failed


# --------------------------------------------------------------------------- checking values

_COLUMN_TYPES: dict[str, str] = {c.name: c.dtype for spec in TABLES.values() for c in spec.columns}
"""Each contract column's type (a column has the same type in every table)."""


def _example_rows(cells: pd.DataFrame, layout: Layout, problems: Problems) -> pd.Index:
    """Rows that still carry a template's example marker (:data:`EXAMPLE_MARK`): one problem each."""
    found: dict[int, int] = {}
    text_columns = [pos for pos, name in layout.mapping.items() if _COLUMN_TYPES.get(name) == "str"]
    for pos in sorted(text_columns):  # the marks are in text columns; numbers and times are not searched
        marked = normalise_series(cells[pos]).str.contains(EXAMPLE_MARK)
        for row in cells.index[marked.to_numpy()]:
            found.setdefault(int(row), pos)
    for row, pos in sorted(found.items()):
        problems.add(plain(problems.file_name, row, layout.headers[pos], cells.at[row, pos],
                           *both("ingest.example_row")))
    return pd.Index(sorted(found), dtype="int64")


_FRAME_CHECK_COLUMN = {"end_after_start": "end", "spend_without_orders": "spend_cny"}


def _check_values(
    frame: pd.DataFrame, spec: TableSpec, headers: dict[str, str], raw: dict[str, pd.Series],
    failed: dict[str, pd.Series], problems: Problems,
) -> None:
    """Run the pandera schema and turn its failures into problems.

    Failures on cells that did not parse (already reported) and pandera's own
    null checks (missing values are reported by the parser) are left out.
    """
    try:
        pandera_schema(spec).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna() & cases["check"].astype(str).isin(list(CHECK_REASONS))]
        for (key, column), group in cases.groupby([cases["check"].astype(str),
                                                   cases["column"].astype(object).fillna("")], sort=False):
            column = _FRAME_CHECK_COLUMN.get(key, column)
            if column not in spec.names:
                continue
            rows = pd.Index(group["index"].astype("int64").unique()).sort_values()
            rows = rows[~failed[column].reindex(rows, fill_value=False).to_numpy()]
            zh, en = CHECK_REASONS[key]
            problems.cells(rows, headers.get(column, column), raw.get(column, frame[column]), zh, en)


def parse_file(
    data: bytes,
    *,
    file_name: str,
    kind: str,
    known_zones: Collection[str] | None = None,
) -> ParsedFile:
    """Read, parse and validate a footfall, sales or events file.

    Parameters
    ----------
    data
        The file's bytes.
    file_name
        The name shown in messages; its suffix picks the reader (``.csv`` or ``.xlsx``).
    kind
        ``footfall``, ``sales`` or ``events``.
    known_zones
        Zone ids that exist, or a mapping zone id → its names (:func:`~nightmap.ingest.zones.zone_aliases`):
        then a zone column may hold the id, the Chinese or the English name
        (:class:`~nightmap.ingest.zones.ZoneLookup`), and names
        become ids. Rows naming another zone are problems that suggest a close match and list the
        accepted names. ``None`` skips the check (names stay as written).

    A row still carrying a template's example marker (:data:`EXAMPLE_MARK`, e.g.
    ``【示例·请删除本行】``) is a problem: "示例行未删除 / example row left in the file".

    Returns
    -------
    ParsedFile
        The frame in contract columns and types.

    Raises
    ------
    ValidationError
        Listing every problem found (row numbers as Excel shows them); nothing is written anywhere.
    """
    if kind not in TABLES:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(TABLES)}")
    cells = read_cells(data, file_name=file_name)
    layout = find_layout(cells, TABLES[kind], file_name)
    return _parse_layout(layout, sha=hashlib.sha256(data).hexdigest(), file_name=file_name, kind=kind,
                         known_zones=known_zones)


def _parse_layout(
    layout: Layout, *, sha: str, file_name: str, kind: str, known_zones: Collection[str] | None
) -> ParsedFile:
    """:func:`parse_file` after reading and finding the header: parse and check every column and row."""
    spec = TABLES[kind]
    if layout.problems:
        raise ValidationError(layout.problems)
    cells = layout.data
    if cells.empty:
        raise refuse(file_name, "ingest.no_rows")
    if len(cells) > limits.MAX_ROWS:
        raise rows_limit_error(file_name)
    problems = Problems(file_name)
    examples = _example_rows(cells, layout, problems)
    if len(examples):
        cells = cells.drop(examples)
        if cells.empty:
            raise ValidationError(problems.finish())
    headers = {name: layout.headers[pos] for pos, name in layout.mapping.items()}
    positions = {name: pos for pos, name in layout.mapping.items()}
    frame = pd.DataFrame(index=cells.index)
    raw: dict[str, pd.Series] = {}
    failed: dict[str, pd.Series] = {}
    for col in spec.columns:
        pos = positions.get(col.name)
        if pos is None and layout.split and col.name == SPLIT_TIME.get(kind):
            date_pos, hour_pos = layout.split["date"], layout.split["hour"]
            headers[col.name] = layout.headers[date_pos]  # a time out of range is the date's fault
            raw[col.name] = cells[date_pos]
            frame[col.name], failed[col.name] = _parse_split_time(
                cells[date_pos], cells[hour_pos], date_header=layout.headers[date_pos],
                hour_header=layout.headers[hour_pos], problems=problems)
            continue
        text = cells[pos] if pos is not None else pd.Series("", index=cells.index, dtype=str)
        raw[col.name] = text
        values, failed[col.name] = _parse_column(text, col, header=headers.get(col.name, col.name),
                                                 problems=problems)
        frame[col.name] = values
    if "title_en" in frame and "title_zh" in frame:
        frame["title_en"] = frame["title_en"].where(frame["title_en"].notna(), frame["title_zh"])
    if "simulated" in frame:
        frame["simulated"] = frame["simulated"].fillna(False)
    _check_values(frame, spec, headers, raw, failed, problems)
    if known_zones is not None:
        resolve_zones(frame, known_zones, headers["zone_id"], raw["zone_id"], problems)
    keys = list(spec.key)
    dup = frame.duplicated(keys, keep="first") & frame[keys].notna().all(axis=1)
    if bool(dup.any()):
        rows = frame.index[dup.to_numpy()]
        key_text = pd.Series(
            [" / ".join(text_of(frame.at[r, k]) for k in keys) for r in rows[:limits.MAX_PROBLEMS]],
            index=rows[:limits.MAX_PROBLEMS],
        )
        zh, en = CHECK_REASONS["duplicate_key"]
        problems.cells(rows, headers[spec.key[0]], key_text, zh, en)
    found = problems.finish()
    if found:
        raise ValidationError(found)
    for col in spec.columns:
        if col.dtype == "int":
            frame[col.name] = frame[col.name].round().astype("Int64")
        elif col.dtype == "float":
            frame[col.name] = frame[col.name].astype("Float64")
    source_rows = tuple(int(r) for r in frame.index)
    return ParsedFile(
        kind=kind, file_name=file_name, sha256=sha, frame=frame.reset_index(drop=True),
        ignored_columns=layout.ignored, header_row=layout.header_row, skipped=layout.skipped,
        source_rows=source_rows,
    )


# --------------------------------------------------------------------------- the Data page's check


@dataclass(frozen=True)
class UploadCheck:
    """An uploaded file, checked once for the data page.

    Attributes
    ----------
    sha256
        Hex digest of the file's bytes.
    preview
        The first data rows as read (all text), indexed by their Excel row
        numbers, under the file's own header texts (skipped rows left out); the
        first rows under column letters when no header was found; ``None`` when
        the file is too large or cannot be read at all.
    result
        The parsed file, ready to ingest, or the :class:`ValidationError`
        listing every problem.
    header_row
        Excel row of the header (0 when none was found or the file could not be read).
    skipped
        Rows left out (title, blank, totals, note rows); empty when the file could not be read.
    """

    sha256: str
    preview: pd.DataFrame | None
    result: ParsedFile | ValidationError
    header_row: int = 0
    skipped: tuple[SkippedRow, ...] = ()


def _preview(layout: Layout, rows: int) -> pd.DataFrame:
    shown = layout.data.head(rows)
    return shown.rename(columns=lambda p: layout.headers.get(int(p), get_column_letter(int(p) + 1)))


def check_upload(
    data: bytes,
    *,
    file_name: str,
    kind: str,
    known_zones: Collection[str] | None = None,
    limit_mb: float | None = None,
    preview_rows: int = 20,
) -> UploadCheck:
    """Check an upload's size, read it once, and parse it: a preview and a verdict, never an exception.

    Parameters
    ----------
    data, file_name, kind, known_zones
        As for :func:`parse_file`.
    limit_mb
        Upload limit in MB (default :func:`nightmap.templates.max_upload_mb`); a
        larger file is refused before it is read.
    preview_rows
        Rows kept for the preview.
    """
    from nightmap.templates import check_upload_size

    if kind not in TABLES:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(TABLES)}")
    sha = hashlib.sha256(data).hexdigest()
    try:
        check_upload_size(len(data), file_name=file_name, limit_mb=limit_mb)
        cells = read_cells(data, file_name=file_name)
    except ValidationError as exc:
        return UploadCheck(sha, None, exc)
    except Exception as exc:  # noqa: BLE001 - never an exception for any bytes
        return UploadCheck(sha, None, unreadable(file_name, exc))
    try:
        layout = find_layout(cells, TABLES[kind], file_name)
    except Exception as exc:  # noqa: BLE001
        return UploadCheck(sha, None, unreadable(file_name, exc))
    try:
        result: ParsedFile | ValidationError = _parse_layout(layout, sha=sha, file_name=file_name, kind=kind,
                                                             known_zones=known_zones)
    except ValidationError as exc:
        result = exc
    except Exception as exc:  # noqa: BLE001
        result = unreadable(file_name, exc)
    try:
        preview: pd.DataFrame | None = _preview(layout, preview_rows)
    except Exception:  # noqa: BLE001 - a preview is a courtesy
        preview = None
    return UploadCheck(sha, preview, result, layout.header_row, layout.skipped)


def parse_path(path: Path, *, kind: str, known_zones: Collection[str] | None = None) -> ParsedFile:
    """:func:`parse_file` for a file on disk."""
    return parse_file(Path(path).read_bytes(), file_name=Path(path).name, kind=kind, known_zones=known_zones)
