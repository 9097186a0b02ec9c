"""Read and validate incoming files: CSV (UTF-8, UTF-8 with BOM, GB18030, UTF-16) and XLSX.

:func:`parse_file` turns the bytes of an uploaded or local file into a frame in
the contract's columns and types, or raises one
:class:`~nightmap.errors.ValidationError` that lists every problem with file,
Excel row number, column, value and reason. Nothing from a file is executed or
unpickled; cells are read as text and parsed. Writing is the store's job
(:meth:`nightmap.store.Store.ingest`).

Files come as offices make them, so reading is forgiving where it is safe and
strict where a guess could change a number:

- :func:`read_cells` reads the cells with the ``csv`` module or openpyxl (read
  only, first sheet) into text, each row under its **Excel row number**.
- The header row is searched for in the first :data:`HEADER_SEARCH_ROWS`
  non-blank rows; title, blank, totals (合计) and note (注：…) rows are skipped
  and reported as :class:`SkippedRow`.
- Cells are normalised (:func:`normalise_cell`: NFKC, so full-width ``１２３`` is
  ``123``) before they are parsed; thousands separators, ``¥`` and a unit such as
  ``元`` are accepted in numbers; times in the usual Chinese office formats are
  accepted; category words go through :data:`nightmap.schema.CATEGORY_SYNONYMS`.
- Sizes are bounded before anything big is built (:data:`MAX_ROWS`,
  :data:`MAX_COLUMNS`, the ``XLSX_*`` zip limits) and at most
  :data:`MAX_PROBLEMS` problems are listed.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import itertools
import re
import unicodedata
import warnings
import zipfile
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pandera.pandas as pa
from openpyxl.utils import get_column_letter

from nightmap.errors import Problem, ValidationError
from nightmap.schema import (
    CATEGORY_SYNONYMS,
    CHECK_REASONS,
    TABLES,
    ColumnSpec,
    TableSpec,
    header_aliases,
    pandera_schema,
)

ALLOWED_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")
HEADER_SEARCH_ROWS = 15
"""The header row is looked for in this many non-blank rows from the top."""
MAX_ROWS = 300_000
"""Most data rows a file may have (larger files are refused: split them)."""
MAX_COLUMNS = 64
"""Columns read from each row; cells further right are not read."""
MAX_SHEET_ROWS = 1_048_576
"""Most rows a file may span, blank ones included (Excel's own sheet size)."""
MAX_BLANK_RUN = 2_000
"""Blank rows in a row after which an XLSX sheet whose declared size goes on is refused (stray far cells)."""
MAX_PROBLEMS = 1_000
"""Problems listed for one file; the rest are counted in one summary problem."""
XLSX_MAX_MEMBERS = 1_000
"""Most parts (zip members) an XLSX file may have."""
XLSX_MAX_MEMBER_MB = 100
"""Most uncompressed MB of any one part of an XLSX file."""
XLSX_MAX_TOTAL_MB = 200
"""Most uncompressed MB of all parts of an XLSX file together."""
XLSX_MAX_RATIO = 200
"""Highest compression ratio of a part larger than :data:`XLSX_RATIO_MIN_MB` (zip bombs compress far better)."""
XLSX_RATIO_MIN_MB = 10
"""Parts up to this many uncompressed MB are not checked for their compression ratio."""

TOTAL_WORDS: frozenset[str] = frozenset(
    {"合计", "总计", "小计", "累计", "total", "totals", "sum", "grandtotal"}
)
"""A cell with one of these words (spaces and a trailing colon removed, any case) marks a totals row."""
NOTE_PREFIXES: tuple[str, ...] = (
    "注", "备注", "说明", "数据来源", "来源", "制表", "填表", "审核", "note", "source",
)
"""A row whose every non-empty cell starts with one of these (any case) is a note row."""
NUMBER_UNITS: tuple[str, ...] = ("人次", "元", "人", "笔", "单", "个")
"""Units accepted after a number (``1,234元``, ``56人次``); 万元 and the like are not (they scale)."""

_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f", ""}
_FREE_TEXT = {"title_zh", "title_en"}
_LOWER = {"category", "kind", "simulated"}
_SCALE_WORDS = ("万", "千", "百", "亿", "k")


# --------------------------------------------------------------------------- results


_SKIP_REASONS: dict[str, tuple[str, str]] = {
    "title": ("表头上方的标题/说明行，已跳过", "title or note row above the header, skipped"),
    "blank": ("空行，已跳过", "blank row, skipped"),
    "note": ("表格下方的备注/说明行，已跳过", "note row, skipped"),
    "total": ("合计行，已跳过（不计入数据）", "totals row, skipped (not imported)"),
}
SKIP_KINDS: tuple[str, ...] = tuple(_SKIP_REASONS)


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
        zh, en = _SKIP_REASONS[self.kind]
        return en if lang == "en" else zh


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


# --------------------------------------------------------------------------- problems


def _problem(file: str, row: int, column: str, value: object, key: str) -> Problem:
    zh, en = CHECK_REASONS.get(key, (key, key))
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return Problem(file=file, row=row, column=column, value=text, reason_zh=zh, reason_en=en)


def _plain(file: str, row: int, column: str, value: object, zh: str, en: str) -> Problem:
    text = "" if value is None else str(value)
    return Problem(file=file, row=row, column=column, value=text, reason_zh=zh, reason_en=en)


def _refuse(file_name: str, zh: str, en: str, value: object = "") -> ValidationError:
    """One file-level (row 0) problem as an error to raise."""
    return ValidationError([_plain(file_name, 0, "", value, zh, en)])


class _Problems:
    """Collects a file's problems, at most :data:`MAX_PROBLEMS` of each kind, counting the rest."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.items: list[Problem] = []
        self.unlisted = 0

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def cells(self, rows: Iterable[int], column: str, values: pd.Series, zh: str, en: str) -> None:
        """One problem per row of ``rows`` (ascending), the value taken from ``values`` by row."""
        rows = list(rows)
        for row in rows[:MAX_PROBLEMS]:
            self.items.append(_plain(self.file_name, int(row), column, _text(values.get(row, "")), zh, en))
        self.unlisted += max(0, len(rows) - MAX_PROBLEMS)

    def finish(self) -> list[Problem]:
        """Deduplicated, sorted by row and column, capped at :data:`MAX_PROBLEMS` with a summary."""
        seen: set[tuple[int, str, str]] = set()
        out: list[Problem] = []
        for p in sorted(self.items, key=lambda p: (p.row, p.column)):
            key = (p.row, p.column, p.reason_en)
            if key not in seen:
                seen.add(key)
                out.append(p)
        more = self.unlisted + max(0, len(out) - MAX_PROBLEMS)
        out = out[:MAX_PROBLEMS]
        if more:
            out.append(_plain(
                self.file_name, 0, "", f"{more:,}",
                f"另有 {more:,} 个问题未列出（只列出前 {MAX_PROBLEMS:,} 个），请先修正以上问题再上传",
                f"{more:,} more problems not listed (only the first {MAX_PROBLEMS:,} are shown); "
                "fix the ones above and upload again",
            ))
        return out


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


# --------------------------------------------------------------------------- normalising text

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None) | {ord("\u2212"): "-"}
_SPACES = re.compile(r"\s+")
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
    return _SPACES.sub(" ", out).strip()


def _normalise_series(text: pd.Series, *, nfkc: bool = True) -> pd.Series:
    """:func:`normalise_cell` on a column; printable-ASCII cells (the bulk) take a vectorised shortcut."""
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


# --------------------------------------------------------------------------- reading files


def decode_csv(data: bytes, *, file_name: str = "") -> str:
    """Decode CSV bytes: UTF-16 with a byte-order mark, else UTF-8 (with or without BOM), else GB18030.

    Raises
    ------
    ValidationError
        When none of them fits, advising to save the file as UTF-8 or GB18030 CSV.
    """
    advice_zh = "请在 Excel 中另存为 UTF-8 或 GB18030 编码的 CSV（或 XLSX）"
    advice_en = "save it as UTF-8 or GB18030 CSV (or XLSX) in Excel"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse(file_name, f"文件看似 UTF-16 编码，但无法解码；{advice_zh}",
                          f"the file looks like UTF-16 but cannot be decoded; {advice_en}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(file_name, f"无法识别文件的编码（不是 UTF-8、GB18030 或 UTF-16）；{advice_zh}",
                  f"the file's encoding is not UTF-8, GB18030 or UTF-16; {advice_en}")


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


def _rows_limit_error(file_name: str) -> ValidationError:
    return _refuse(
        file_name,
        f"文件行数过多：最多 {MAX_ROWS:,} 个数据行；请拆分成多个文件后再上传",
        f"the file has too many rows: at most {MAX_ROWS:,} data rows; split it into smaller files",
    )


def _most_nonblank_rows() -> int:
    """Non-blank rows a reader keeps before refusing: the data limit plus room for titles and notes."""
    return MAX_ROWS + HEADER_SEARCH_ROWS + 20


def _csv_rows(data: bytes, file_name: str) -> tuple[list[int], list[list[str]]]:
    """The non-blank records of a CSV file and their numbers (record index + 1, as Excel numbers the rows)."""
    if data.startswith(b"PK\x03\x04"):
        raise _refuse(file_name, "文件内容是 XLSX（压缩包），但扩展名是 .csv；请改回 .xlsx 后再上传",
                      "the file is an XLSX (zip) file named .csv; rename it to .xlsx")
    text = decode_csv(data, file_name=file_name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    numbers: list[int] = []
    records: list[list[str]] = []
    most = _most_nonblank_rows()
    start = 1
    while chunk := list(itertools.islice(reader, 50_000)):
        if start + len(chunk) - 1 > MAX_SHEET_ROWS:
            raise _refuse(file_name, f"文件超过 {MAX_SHEET_ROWS:,} 行（含空行）；请删除多余的行或拆分文件",
                          f"the file has more than {MAX_SHEET_ROWS:,} rows (blank ones included); "
                          "remove the extra rows or split it")
        size = len(chunk)
        kept = [i for i, r in enumerate(chunk) if any(r) and "".join(r).strip()]
        if len(kept) < size:
            chunk = [chunk[i] for i in kept]
        if max(map(len, chunk), default=0) > MAX_COLUMNS:
            chunk = [r[:MAX_COLUMNS] for r in chunk]
        numbers.extend(start + i for i in kept)
        records.extend(chunk)
        start += size
        if len(records) > most:
            raise _rows_limit_error(file_name)
    return numbers, records


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
        raise _refuse(
            file_name,
            "不是有效的 XLSX 文件（可能是改了扩展名的 CSV 或旧版 .xls）；请在 Excel 中另存为 .xlsx",
            "not a valid XLSX file (a renamed CSV or an old .xls?); save it as .xlsx in Excel",
        ) from None
    limit_zh = (f"（上限：{XLSX_MAX_MEMBERS:,} 个部件，单个部件解压后 {XLSX_MAX_MEMBER_MB} MB，"
                f"合计 {XLSX_MAX_TOTAL_MB} MB，压缩比 {XLSX_MAX_RATIO}）")
    limit_en = (f" (limits: {XLSX_MAX_MEMBERS:,} parts, {XLSX_MAX_MEMBER_MB} MB per part and "
                f"{XLSX_MAX_TOTAL_MB} MB in all uncompressed, compression ratio {XLSX_MAX_RATIO})")
    mb = 1_000_000
    why = ""
    if len(infos) > XLSX_MAX_MEMBERS:
        why = f"parts: {len(infos):,}"
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > XLSX_MAX_MEMBER_MB * mb:
            why = why or f"{info.filename}: {info.file_size / mb:,.0f} MB"
        elif info.file_size > XLSX_RATIO_MIN_MB * mb and ratio > XLSX_MAX_RATIO:
            why = why or f"{info.filename}: {info.file_size / mb:,.0f} MB, ratio {ratio:,.0f}"
    if not why and total > XLSX_MAX_TOTAL_MB * mb:
        why = f"{total / mb:,.0f} MB"
    if why:
        raise _refuse(file_name, f"XLSX 文件解压后过大或结构异常，未读取{limit_zh}；请另存为 CSV 或拆分文件",
                      f"the XLSX file is too large when unpacked or malformed, so it was not read{limit_en}; "
                      "save it as CSV or split it", value=why)


def _xlsx_rows(data: bytes, file_name: str) -> tuple[list[int], list[list[str]]]:
    """The non-blank rows of the first sheet of an XLSX file and their Excel row numbers."""
    _check_zip(data, file_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise _refuse(file_name, "XLSX 文件中没有工作表", "the XLSX file has no sheet")
            sheet = book.worksheets[0]
            declared = sheet.max_row
            sheet.reset_dimensions()  # some writers declare a wrong size; read the rows that are there
            return _sheet_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), declared, file_name)
        finally:
            book.close()


def _sheet_rows(
    rows: Iterable[tuple], declared: int | None, file_name: str
) -> tuple[list[int], list[list[str]]]:
    """The non-blank rows of a sheet as text, refusing sheets too long or padded out to far stray cells."""
    numbers: list[int] = []
    records: list[list[str]] = []
    most = _most_nonblank_rows()
    width = 0
    blank_run = 0
    for number, values in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise _refuse(file_name, f"工作表超过 {MAX_SHEET_ROWS:,} 行", f"the sheet has more than {MAX_SHEET_ROWS:,} rows")
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
                    raise _rows_limit_error(file_name)
                continue
        blank_run += 1
        if blank_run > MAX_BLANK_RUN and declared is not None and declared > number:
            first = number - blank_run + 1
            raise _refuse(
                file_name,
                f"第 {first:,} 行起有超过 {MAX_BLANK_RUN:,} 个连续空行，但工作表一直延伸到第 {declared:,} 行；"
                "请删除多余的空行和远处的零散单元格后再上传",
                f"more than {MAX_BLANK_RUN:,} blank rows in a row from row {first:,}, but the sheet goes on to "
                f"row {declared:,}; delete the blank rows and stray far cells",
            )
    return numbers, records


def read_cells(data: bytes, *, file_name: str) -> pd.DataFrame:
    """Read a CSV or XLSX file into a frame of text cells, one row per non-blank row of the file.

    The frame's index is the **Excel row number** of each row (a CSV record's
    number counting from 1; an XLSX row's own number); its columns are the cell
    positions 0, 1, 2, … (at most :data:`MAX_COLUMNS`); every cell is text as
    written (``""`` when empty). Blank rows are left out: their numbers are the
    gaps in the index.

    Raises
    ------
    ValidationError
        One file-level problem when the file type is not allowed, the file
        cannot be read, or it breaks a size limit.
    """
    suffix = Path(file_name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise _refuse(file_name, "只接受 CSV 或 XLSX 文件", "only CSV or XLSX files are accepted", value=suffix)
    try:
        numbers, records = _csv_rows(data, file_name) if suffix == ".csv" else _xlsx_rows(data, file_name)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is the file's fault: one clear refusal
        raise _unreadable(file_name, exc) from exc
    width = max(map(len, records), default=0)
    for record in records:
        if len(record) < width:
            record.extend([""] * (width - len(record)))
    return pd.DataFrame(records, index=pd.Index(numbers, dtype="int64", name="row"), columns=range(width),
                        dtype=str)


def _unreadable(file_name: str, exc: BaseException) -> ValidationError:
    detail = f"{type(exc).__name__}: {exc}"[:200]
    return _refuse(file_name, f"无法读取文件（{detail}）；请在 Excel 中另存为 XLSX 或 UTF-8 CSV 后再上传",
                   f"the file cannot be read ({detail}); save it as XLSX or UTF-8 CSV in Excel and upload again")


# --------------------------------------------------------------------------- layout: header and skipped rows


@dataclass
class _Layout:
    """Where a file's header and data are, and what was left out."""

    header_row: int
    headers: dict[int, str]
    mapping: dict[int, str]
    ignored: tuple[str, ...]
    skipped: tuple[SkippedRow, ...]
    data: pd.DataFrame
    problems: list[Problem]


def _row_text(values: Iterable[str]) -> str:
    text = " | ".join(v.strip() for v in values if v and v.strip())
    return text if len(text) <= 80 else text[:79] + "…"


def _alias_table(spec: TableSpec) -> dict[str, str]:
    return {normalise_header(alias)[0]: name for alias, name in header_aliases(spec).items()}


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


def _find_header(cells: pd.DataFrame, spec: TableSpec) -> tuple[int, dict[int, tuple[str, str]]]:
    """The Excel row of the header and its matched cells; ``(0, {})`` when no row names any column.

    The first row naming every required column wins; else the row naming the
    most of them (the first of equals).
    """
    aliases = _alias_table(spec)
    required = {c.name for c in spec.columns if c.required}
    best_row, best, best_count = 0, {}, 0
    for row in cells.index[:HEADER_SEARCH_ROWS]:
        matched = _match_row(cells.loc[row], aliases)
        count = len(required & {name for name, _ in matched.values()})
        if count == len(required):
            return int(row), matched
        if count > best_count:
            best_row, best, best_count = int(row), matched, count
    return best_row, best


def _display_headers(values: pd.Series) -> dict[int, str]:
    """Header text of each column: the cell as written, the column letter when empty, made unique."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for pos, value in values.items():
        text = _SPACES.sub(" ", str(value)).strip() or get_column_letter(int(pos) + 1)
        name, n = text, 2
        while name in used:
            name, n = f"{text} ({n})", n + 1
        used.add(name)
        out[int(pos)] = name
    return out


def _layout(cells: pd.DataFrame, spec: TableSpec, file_name: str) -> _Layout:
    """Find the header, map its columns, and split off the rows that are not data."""
    header_row, matched = _find_header(cells, spec)
    problems: list[Problem] = []
    if not header_row:
        if cells.empty:
            problems.append(_plain(file_name, 0, "", "", "文件是空的", "the file is empty"))
        else:
            need_zh = "；".join(f"{c.name}（或 {'、'.join(c.zh)}）" for c in spec.columns if c.required)
            need_en = "; ".join(f"{c.name} (or {', '.join(c.zh)})" for c in spec.columns if c.required)
            problems.append(_plain(
                file_name, 0, "", "",
                f"在前 {HEADER_SEARCH_ROWS} 个非空行中找不到表头行；表头应包含这些列（括号内为可用列名）：{need_zh}。"
                "如果文件不是 UTF-8/GB18030 编码（例如 Big5），请另存为 UTF-8 编码的 CSV 或 XLSX",
                f"no header row found in the first {HEADER_SEARCH_ROWS} non-blank rows; the header must name these "
                f"columns (accepted headers in brackets): {need_en}. If the file is not UTF-8/GB18030 (e.g. Big5), "
                "save it as UTF-8 CSV or XLSX",
            ))
        headers = {int(p): get_column_letter(int(p) + 1) for p in cells.columns}
        return _Layout(0, headers, {}, (), (), cells, problems)

    header_values = cells.loc[header_row]
    headers = _display_headers(header_values)
    mapping: dict[int, str] = {}
    for pos, (name, unit) in matched.items():
        header = headers[pos]
        if name in mapping.values():
            problems.append(_plain(file_name, header_row, header, header, "重复的列", "duplicate column"))
            continue
        mapping[pos] = name
        if spec.column(name).dtype in ("int", "float") and any(w in unit for w in _SCALE_WORDS):
            problems.append(_plain(
                file_name, header_row, header, header,
                f"该列的单位“{unit}”会改变数值；请把数值换算成元、人次或笔（不带万、千等），并改用列名"
                f"{_accepted_headers(spec.column(name), sep='、')}",
                f"the unit '{unit}' of this column scales the values; convert them to yuan, visitors or orders "
                f"(no 万/千) and use one of the headers {_accepted_headers(spec.column(name), sep=', ')}",
            ))
    ignored = tuple(headers[int(p)] for p, v in header_values.items()
                    if int(p) not in mapping and int(p) not in matched and str(v).strip())
    for col in spec.columns:
        if col.required and col.name not in mapping.values():
            problems.append(_plain(
                file_name, header_row, col.name, "",
                f"缺少必需的列（可用列名：{col.name} 或 {'、'.join(col.zh)}）",
                f"required column is missing (accepted headers: {col.name}, {', '.join(col.zh)})",
            ))

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
    return _Layout(header_row, headers, mapping, ignored, tuple(skipped), data, problems)


# --------------------------------------------------------------------------- parsing values

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


_TYPE_REASONS: dict[str, tuple[str, str]] = {
    "int": ("不是有效的数字", "not a valid number"),
    "float": ("不是有效的数字", "not a valid number"),
    "timestamp": ("不是有效的时间（例如 2022-06-17 19:00 或 2022年6月17日 19时）",
                  "not a valid time (e.g. 2022-06-17 19:00)"),
    "bool": ("应为 true/false（是/否）", "must be true/false"),
}


def _parse_column(
    raw: pd.Series, col: ColumnSpec, *, header: str, problems: _Problems
) -> tuple[pd.Series, pd.Series]:
    """Parse one column of text cells (indexed by Excel row); returns the values and a mask of failed cells.

    Integer columns stay float64 here so that the range checks see any value;
    they become ``Int64`` once the whole file is valid.
    """
    text = _normalise_series(raw, nfkc=col.name not in _FREE_TEXT)
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
            problems.cells(raw.index[fractional.to_numpy()], header, raw, "应为整数", "must be a whole number")
            failed |= fractional
            values = values.where(~fractional)
    elif col.dtype == "timestamp":
        values, bad, other_zone = parse_times(text)
        problems.cells(raw.index[other_zone.to_numpy()], header, raw,
                       "时间带有时区（例如 Z 或 +09:00）；请填写北京时间（不带时区，或 +08:00）",
                       "time has a time-zone offset (e.g. Z or +09:00); give local Beijing time "
                       "(no offset, or +08:00)")
        failed |= other_zone
    elif col.dtype == "bool":
        bad = ~text.isin(_TRUE | _FALSE)
        values = text.isin(_TRUE).astype("boolean")
    else:  # pragma: no cover - the contract only has the types above
        raise ValueError(col.dtype)
    if col.dtype != "str":
        problems.cells(raw.index[bad.to_numpy()], header, raw, *_TYPE_REASONS[col.dtype])
        failed |= bad
    if col.required:
        problems.cells(raw.index[empty.to_numpy()], header, raw, "缺少值", "value is missing")
    return values, failed


# --------------------------------------------------------------------------- zones by id or name

ZONE_LIST_MAX = 20
"""Up to this many zones, a problem with an unknown zone (and no close match) lists every accepted name."""
EXAMPLE_MARK = re.compile(r"^\W*(?:示例|example)(?![a-z])", re.IGNORECASE)
"""A cell starting with this (``【示例·请删除本行】…``, ``[EXAMPLE …]``) belongs to a template's example row."""


def zone_key(text: object) -> str:
    """How a zone id or name is compared: NFKC, case-folded, without spaces or punctuation (``_`` kept).

    ``Xin’an Road  Pedestrian Street`` and ``xin'an road pedestrian street`` have the same key.
    """
    return re.sub(r"[^\w]", "", unicodedata.normalize("NFKC", str(text)).casefold())


def zone_aliases(zones: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Zone id → its other accepted names (Chinese, English), from a zones table.

    Parameters
    ----------
    zones
        A frame with ``zone_id`` and, when known, ``name_zh`` and ``name_en`` (the store's
        ``zones`` table, or :func:`nightmap.geo.load_zones`).

    Returns
    -------
    dict
        For :func:`parse_file`'s ``known_zones``: files may then name a zone by id, Chinese or English name.
    """
    out: dict[str, tuple[str, ...]] = {}
    for row in zones.itertuples(index=False):
        names = (getattr(row, "name_zh", None), getattr(row, "name_en", None))
        out[str(row.zone_id)] = tuple(str(n) for n in names if isinstance(n, str) and n.strip())
    return out


class ZoneLookup:
    """Turns what a file writes in a zone column (id, Chinese or English name) into a zone id.

    An exact id wins; then the :func:`zone_key` of an id (``XINAN_ROAD``); then a name's key.
    A name two zones share is ambiguous and matches neither.

    Parameters
    ----------
    known_zones
        Zone ids, or a mapping zone id → names (:func:`zone_aliases`).
    """

    def __init__(self, known_zones: Collection[str] | Mapping[str, Sequence[str]]) -> None:
        aliases: Mapping[str, Sequence[str]] = (
            known_zones if isinstance(known_zones, Mapping) else dict.fromkeys(known_zones, ())
        )
        self.ids: tuple[str, ...] = tuple(str(z) for z in aliases)
        self.names: dict[str, tuple[str, ...]] = {str(z): tuple(aliases[z]) for z in aliases}
        self._exact = set(self.ids)
        by_id = {zone_key(z): z for z in self.ids}
        by_name: dict[str, set[str]] = {}
        for zone, names in self.names.items():
            for name in names:
                by_name.setdefault(zone_key(name), set()).add(zone)
        self._keys: dict[str, str | None] = {
            k: (next(iter(zs)) if len(zs) == 1 else None) for k, zs in by_name.items() if k
        }
        self._keys.update(by_id)

    def resolve(self, text: str) -> str | None:
        """The zone id ``text`` names, or ``None`` (unknown, or a name two zones share)."""
        if text in self._exact:
            return text
        return self._keys.get(zone_key(text))

    def label(self, zone: str, lang: str) -> str:
        """``新安路步行街（xinan_road）`` / ``Xin'an Road Pedestrian Street (xinan_road)``."""
        names = self.names.get(zone, ())
        name = (names[1] if lang == "en" and len(names) > 1 else names[0]) if names else ""
        if not name:
            return zone
        return f"{name} ({zone})" if lang == "en" else f"{name}（{zone}）"

    def suggestion(self, text: str) -> str | None:
        """The zone whose id or name is closest to ``text`` (difflib), or ``None``."""
        key = zone_key(text)
        found = difflib.get_close_matches(key, [k for k, z in self._keys.items() if z], n=1, cutoff=0.6)
        return self._keys[found[0]] if found else None

    def reason(self, text: str) -> tuple[str, str]:
        """Why ``text`` is not a zone, in Chinese and English: a close match if there is one, else the
        accepted names (up to :data:`ZONE_LIST_MAX` zones; with more, where they are listed)."""
        key = zone_key(text)
        if key in self._keys and self._keys[key] is None:
            zh = "该名称对应多个片区，请改填片区编号"
            en = "this name belongs to more than one zone; give the zone id"
        else:
            zh = "未知的片区编号或名称"
            en = "unknown zone id or name"
        close = self.suggestion(text)
        if close:
            zh += f"；是否为 {self.label(close, 'zh')}？片区编号与名称见模板的“片区”工作表或“数据管理”页"
            en += (f"; did you mean {self.label(close, 'en')}? Zone ids and names are in the template's "
                   "Zones sheet and on the Data page")
        elif len(self.ids) <= ZONE_LIST_MAX:
            zh += "；可填写片区编号、中文名或英文名：" + "、".join(self.label(z, "zh") for z in self.ids)
            en += "; give a zone id, Chinese or English name: " + "; ".join(self.label(z, "en") for z in self.ids)
        else:
            zh += "；片区编号与名称见“数据管理”页的片区列表"
            en += "; zone ids and names are listed on the Data page"
        return zh, en


def _resolve_zones(
    frame: pd.DataFrame, known_zones: Collection[str] | Mapping[str, Sequence[str]], header: str,
    raw: pd.Series, problems: _Problems,
) -> None:
    """Replace zone names in ``frame["zone_id"]`` by ids; one problem per row naming no known zone."""
    lookup = ZoneLookup(known_zones)
    values = frame["zone_id"]
    present = values.notna()
    mapping = {v: lookup.resolve(str(v)) for v in pd.unique(values[present])}
    frame["zone_id"] = values.map(mapping).where(present, None)
    unknown = [v for v, z in mapping.items() if z is None]
    if not unknown:
        return
    bad = values[values.isin(unknown)]
    groups = sorted(bad.groupby(bad, sort=False).groups.items(), key=lambda item: int(item[1].min()))
    budget = MAX_PROBLEMS  # rows listed in all; the rest are counted (and their reasons never worked out)
    for value, rows in groups:
        listed = rows.sort_values()[:budget]
        if len(listed):
            problems.cells(listed, header, raw, *lookup.reason(str(value)))
        problems.unlisted += len(rows) - len(listed)
        budget -= len(listed)


_COLUMN_TYPES: dict[str, str] = {c.name: c.dtype for spec in TABLES.values() for c in spec.columns}
"""Each contract column's type (a column has the same type in every table)."""


def _example_rows(cells: pd.DataFrame, layout: _Layout, problems: _Problems) -> pd.Index:
    """Rows that still carry a template's example marker (:data:`EXAMPLE_MARK`): one problem each."""
    found: dict[int, int] = {}
    text_columns = [pos for pos, name in layout.mapping.items() if _COLUMN_TYPES.get(name) == "str"]
    for pos in sorted(text_columns):  # the marks are in text columns; numbers and times are not searched
        marked = _normalise_series(cells[pos]).str.contains(EXAMPLE_MARK)
        for row in cells.index[marked.to_numpy()]:
            found.setdefault(int(row), pos)
    for row, pos in sorted(found.items()):
        problems.add(_plain(problems.file_name, row, layout.headers[pos], cells.at[row, pos],
                            "示例行未删除：这是模板的示例行，请删除后再上传",
                            "example row left in the file: this is the template's example row; "
                            "delete it and upload again"))
    return pd.Index(sorted(found), dtype="int64")


_FRAME_CHECK_COLUMN = {"end_after_start": "end", "spend_without_orders": "spend_cny"}


def _check_values(
    frame: pd.DataFrame, spec: TableSpec, headers: dict[str, str], raw: dict[str, pd.Series],
    failed: dict[str, pd.Series], problems: _Problems,
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
        Zone ids that exist, or a mapping zone id → its names (:func:`zone_aliases`): then a zone
        column may hold the id, the Chinese or the English name (:class:`ZoneLookup`), and names
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
    layout = _layout(cells, TABLES[kind], file_name)
    return _parse_layout(layout, sha=hashlib.sha256(data).hexdigest(), file_name=file_name, kind=kind,
                         known_zones=known_zones)


def _parse_layout(
    layout: _Layout, *, sha: str, file_name: str, kind: str, known_zones: Collection[str] | None
) -> ParsedFile:
    """:func:`parse_file` after reading and finding the header: parse and check every column and row."""
    spec = TABLES[kind]
    if layout.problems:
        raise ValidationError(layout.problems)
    cells = layout.data
    if cells.empty:
        raise _refuse(file_name, "文件中没有数据行", "the file has no data rows")
    if len(cells) > MAX_ROWS:
        raise _rows_limit_error(file_name)
    problems = _Problems(file_name)
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
        _resolve_zones(frame, known_zones, headers["zone_id"], raw["zone_id"], problems)
    keys = list(spec.key)
    dup = frame.duplicated(keys, keep="first") & frame[keys].notna().all(axis=1)
    if bool(dup.any()):
        rows = frame.index[dup.to_numpy()]
        key_text = pd.Series(
            [" / ".join(_text(frame.at[r, k]) for k in keys) for r in rows[:MAX_PROBLEMS]],
            index=rows[:MAX_PROBLEMS],
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


def _preview(layout: _Layout, rows: int) -> pd.DataFrame:
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
        return UploadCheck(sha, None, _unreadable(file_name, exc))
    try:
        layout = _layout(cells, TABLES[kind], file_name)
    except Exception as exc:  # noqa: BLE001
        return UploadCheck(sha, None, _unreadable(file_name, exc))
    try:
        result: ParsedFile | ValidationError = _parse_layout(layout, sha=sha, file_name=file_name, kind=kind,
                                                             known_zones=known_zones)
    except ValidationError as exc:
        result = exc
    except Exception as exc:  # noqa: BLE001
        result = _unreadable(file_name, exc)
    try:
        preview: pd.DataFrame | None = _preview(layout, preview_rows)
    except Exception:  # noqa: BLE001 - a preview is a courtesy
        preview = None
    return UploadCheck(sha, preview, result, layout.header_row, layout.skipped)


def parse_path(path: Path, *, kind: str, known_zones: Collection[str] | None = None) -> ParsedFile:
    """:func:`parse_file` for a file on disk."""
    return parse_file(Path(path).read_bytes(), file_name=Path(path).name, kind=kind, known_zones=known_zones)
