"""Where a file's header and data are: header-row detection, header aliases, rows that are not data.

:func:`find_layout` looks for the header row in the first
:data:`~nightmap.ingest.limits.HEADER_SEARCH_ROWS` non-blank rows, matching
header cells (after :func:`~nightmap.ingest.text.normalise_header`) against each
column's English name and Chinese aliases (:func:`nightmap.schema.header_aliases`).
Title rows above the header, blank rows, totals rows (:data:`TOTAL_WORDS`) and
note rows (:data:`NOTE_PREFIXES`) are left out and reported as :class:`SkippedRow`.

A footfall or sales file without a timestamp column may give the time as a date
column and an hour column (:data:`nightmap.schema.SPLIT_TIME`); the header row then
names them instead (:attr:`Layout.split`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from nightmap import i18n
from nightmap.errors import Problem
from nightmap.ingest import limits
from nightmap.ingest.problems import both, plain
from nightmap.ingest.text import SPACES, normalise_header
from nightmap.schema import (
    DATE_HEADERS,
    HOUR_HEADERS,
    SPLIT_TIME,
    ColumnSpec,
    TableSpec,
    header_aliases,
    split_time_aliases,
)

TOTAL_WORDS: frozenset[str] = frozenset(
    {"合计", "总计", "小计", "累计", "total", "totals", "sum", "grandtotal"}
)
"""A cell with one of these words (spaces and a trailing colon removed, any case) marks a totals row."""
NOTE_PREFIXES: tuple[str, ...] = (
    "注", "备注", "说明", "数据来源", "来源", "制表", "填表", "审核", "note", "source",
)
"""A row whose every non-empty cell starts with one of these (any case) is a note row."""
SKIP_KINDS: tuple[str, ...] = ("title", "blank", "note", "total")
"""Kinds of rows left out; each has its reason ``ingest.skip.<kind>`` in :mod:`nightmap.messages.ingest`."""

_SCALE_WORDS = ("万", "千", "百", "亿", "k")


@dataclass(frozen=True)
class SkippedRow:
    """A row of a file that is not data and is left out.

    Attributes
    ----------
    row
        The row number as Excel shows it.
    kind
        ``title`` (above the header), ``blank``, ``note`` (注：…, 数据来源…) or ``total`` (合计…).
    text
        The row's non-empty cells joined by ``" | "`` (at most 80 characters).
    """

    row: int
    kind: str
    text: str = ""

    def reason(self, lang: str = "zh") -> str:
        """Why the row is left out, in ``lang``."""
        return i18n.t(f"ingest.skip.{self.kind}", lang)


@dataclass
class Layout:
    """Where a file's header and data are, and what was left out.

    ``split`` is empty, or (for a file giving its time as a date and an hour)
    ``{"date": position, "hour": position}`` of the two columns that make the
    timestamp column of :data:`nightmap.schema.SPLIT_TIME`, which is then not in ``mapping``.
    """

    header_row: int
    headers: dict[int, str]
    mapping: dict[int, str]
    ignored: tuple[str, ...]
    skipped: tuple[SkippedRow, ...]
    data: pd.DataFrame
    problems: list[Problem]
    split: dict[str, int] = field(default_factory=dict)


def _row_text(values: Iterable[str]) -> str:
    text = " | ".join(v.strip() for v in values if v and v.strip())
    return text if len(text) <= 80 else text[:79] + "…"


def _alias_table(spec: TableSpec) -> dict[str, str]:
    return {normalise_header(alias)[0]: name for alias, name in header_aliases(spec).items()}


def _split_table(spec: TableSpec) -> dict[str, str]:
    """Normalised date and hour headers → ``"date"`` / ``"hour"`` (empty for kinds without a split time)."""
    return {normalise_header(alias)[0]: part for alias, part in split_time_aliases(spec).items()}


def _names(matched: dict[int, tuple[str, str]], parts: dict[int, tuple[str, str]], spec: TableSpec) -> set[str]:
    """Contract columns a header row names: its matched cells, and the timestamp made of a date and an hour."""
    names = {name for name, _ in matched.values()}
    made = {part for part, _ in parts.values()}
    if {"date", "hour"} <= made:
        names.add(SPLIT_TIME[spec.kind])
    return names


def _match_row(values: pd.Series, aliases: dict[str, str]) -> dict[int, tuple[str, str]]:
    """Cell position → (contract name, unit) for the cells of one row that are accepted headers."""
    out: dict[int, tuple[str, str]] = {}
    for pos, value in values.items():
        name, unit = normalise_header(value)
        if name in aliases:
            out[int(pos)] = (aliases[name], unit)
    return out


def _accepted_headers(col: ColumnSpec, *, sep: str) -> str:
    return sep.join((col.name, *col.zh))


def _find_header(
    cells: pd.DataFrame, spec: TableSpec
) -> tuple[int, dict[int, tuple[str, str]], dict[int, tuple[str, str]]]:
    """The Excel row of the header, its matched cells and its date and hour cells; ``(0, {}, {})`` when no
    row names any column.

    The first row naming every required column wins; else the row naming the
    most of them (the first of equals). A date column and an hour column together
    name the timestamp column of :data:`~nightmap.schema.SPLIT_TIME`.
    """
    aliases = _alias_table(spec)
    split = _split_table(spec)
    required = {c.name for c in spec.columns if c.required}
    best_row, best, best_parts, best_count = 0, {}, {}, 0
    for row in cells.index[:limits.HEADER_SEARCH_ROWS]:
        matched = _match_row(cells.loc[row], aliases)
        parts = _match_row(cells.loc[row], split) if split else {}
        count = len(required & _names(matched, parts, spec))
        if count == len(required):
            return int(row), matched, parts
        if count > best_count:
            best_row, best, best_parts, best_count = int(row), matched, parts, count
    return best_row, best, best_parts


def _display_headers(values: pd.Series) -> dict[int, str]:
    """Header text of each column: the cell as written, the column letter when empty, made unique."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for pos, value in values.items():
        text = SPACES.sub(" ", str(value)).strip() or get_column_letter(int(pos) + 1)
        name, n = text, 2
        while name in used:
            name, n = f"{text} ({n})", n + 1
        used.add(name)
        out[int(pos)] = name
    return out


def _no_header(spec: TableSpec) -> tuple[str, str]:
    """The reason of a file without a header row, listing the required columns and their accepted headers."""
    required = [c for c in spec.columns if c.required]

    def columns(lang: str, sep: str, alias_sep: str) -> str:
        return sep.join(_accepted(c, spec, lang, alias_sep) for c in required)

    rows = limits.HEADER_SEARCH_ROWS
    return (i18n.t("ingest.header.not_found", "zh", rows=rows, columns=columns("zh", "；", "、")),
            i18n.t("ingest.header.not_found", "en", rows=rows, columns=columns("en", "; ", ", ")))


def _accepted(col: ColumnSpec, spec: TableSpec, lang: str, sep: str) -> str:
    """A required column and its accepted headers, for the no-header message (with the date and hour columns
    that may stand for it)."""
    if SPLIT_TIME.get(spec.kind) == col.name:
        return i18n.t("ingest.header.accepted_split", lang, name=col.name, aliases=sep.join(col.zh),
                      dates=sep.join(DATE_HEADERS), hours=sep.join(HOUR_HEADERS))
    return i18n.t("ingest.header.accepted", lang, name=col.name, aliases=sep.join(col.zh))


def _missing(col: ColumnSpec, spec: TableSpec, lang: str, sep: str) -> str:
    """The reason of a required column the header does not name."""
    if SPLIT_TIME.get(spec.kind) == col.name:
        return i18n.t("ingest.header.missing_split", lang, name=col.name, aliases=sep.join(col.zh),
                      dates=sep.join(DATE_HEADERS), hours=sep.join(HOUR_HEADERS))
    return i18n.t("ingest.header.missing", lang, name=col.name, aliases=sep.join(col.zh))


def find_layout(cells: pd.DataFrame, spec: TableSpec, file_name: str) -> Layout:
    """Find the header, map its columns, and split off the rows that are not data.

    Parameters
    ----------
    cells
        The file as read by :func:`~nightmap.ingest.read.read_cells`.
    spec
        The table the file should hold.
    file_name
        The name shown in problems.

    Returns
    -------
    Layout
        The header row (0 when none was found), the columns mapped to the contract,
        the rows left out, the data rows, and the header's problems (not raised).
    """
    header_row, matched, parts = _find_header(cells, spec)
    problems: list[Problem] = []
    if not header_row:
        if cells.empty:
            problems.append(plain(file_name, 0, "", "", *both("ingest.empty_file")))
        else:
            problems.append(plain(file_name, 0, "", "", *_no_header(spec)))
        headers = {int(p): get_column_letter(int(p) + 1) for p in cells.columns}
        return Layout(0, headers, {}, (), (), cells, problems)

    header_values = cells.loc[header_row]
    headers = _display_headers(header_values)
    mapping: dict[int, str] = {}
    for pos, (name, unit) in matched.items():
        header = headers[pos]
        if name in mapping.values():
            problems.append(plain(file_name, header_row, header, header, *both("ingest.header.duplicate")))
            continue
        mapping[pos] = name
        if spec.column(name).dtype in ("int", "float") and any(w in unit for w in _SCALE_WORDS):
            col = spec.column(name)
            problems.append(plain(
                file_name, header_row, header, header,
                i18n.t("ingest.header.scaling_unit", "zh", unit=unit, headers=_accepted_headers(col, sep="、")),
                i18n.t("ingest.header.scaling_unit", "en", unit=unit, headers=_accepted_headers(col, sep=", ")),
            ))
    split: dict[str, int] = {}
    split_column = SPLIT_TIME.get(spec.kind)
    named_parts = {part for part, _unit in parts.values()}
    if split_column and split_column not in mapping.values() and {"date", "hour"} <= named_parts:
        # no timestamp column: the date and hour columns make it (otherwise they are extra columns, ignored)
        for pos, (part, _unit) in sorted(parts.items()):
            if part in split:
                problems.append(plain(file_name, header_row, headers[pos], headers[pos],
                                      *both("ingest.header.duplicate")))
                continue
            split[part] = pos
    ignored = tuple(headers[int(p)] for p, v in header_values.items()
                    if int(p) not in mapping and int(p) not in matched
                    and not (split and int(p) in parts) and str(v).strip())
    for col in spec.columns:
        if col.required and col.name not in mapping.values() and not (split and col.name == split_column):
            problems.append(plain(file_name, header_row, col.name, "",
                                  _missing(col, spec, "zh", "、"), _missing(col, spec, "en", ", ")))

    skipped: list[SkippedRow] = []
    above = cells.loc[cells.index < header_row]
    present = set(int(r) for r in above.index)
    for row in range(1, header_row):
        if row in present:
            skipped.append(SkippedRow(row, "title", _row_text(above.loc[row])))
        else:
            skipped.append(SkippedRow(row, "blank", ""))

    body = cells.loc[cells.index > header_row]
    drop = np.zeros(len(body), dtype=bool)
    kinds: dict[int, str] = {}
    if len(body):
        total = np.zeros(len(body), dtype=bool)
        note = np.ones(len(body), dtype=bool)  # every row here has a non-empty cell (blank rows are not read)
        for pos in body.columns:
            cell = body[pos].str.strip()
            key = (cell.str.replace(" ", "", regex=False).str.replace("\u3000", "", regex=False)
                   .str.rstrip(":：").str.lower())
            total |= key.isin(TOTAL_WORDS).to_numpy()
            note &= (cell.str.lower().str.startswith(NOTE_PREFIXES) | (cell == "")).to_numpy()
        for i in np.flatnonzero(total):
            kinds[int(body.index[i])] = "total"
        for i in np.flatnonzero(note & ~total):
            kinds[int(body.index[i])] = "note"
        drop = total | note
        gaps = np.ones(int(body.index[-1]) - header_row, dtype=bool)
        gaps[body.index.to_numpy() - header_row - 1] = False
        for row in np.flatnonzero(gaps) + header_row + 1:
            kinds[int(row)] = "blank"
        for row in sorted(kinds):
            text = "" if kinds[row] == "blank" else _row_text(body.loc[row])
            skipped.append(SkippedRow(row, kinds[row], text))
    data = body.loc[~drop]
    return Layout(header_row, headers, mapping, ignored, tuple(skipped), data, problems, split)
