"""Read and validate incoming files: CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX.

:func:`parse_file` turns the bytes of an uploaded or local file into a frame in
the contract's columns and types, or raises one
:class:`~nightmap.errors.ValidationError` that lists every problem with file,
Excel row number, column, value and reason. Nothing from a file is executed or
unpickled; cells are read as text and parsed. Writing is the store's job
(:meth:`nightmap.store.Store.ingest`).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from nightmap.errors import Problem, ValidationError
from nightmap.schema import CHECK_REASONS, TABLES, TableSpec, header_aliases, pandera_schema

ALLOWED_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")
FIRST_DATA_ROW = 2
"""Excel row number of the first data row (the header is row 1)."""

_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f", ""}


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
        The rows in the contract's columns and types.
    ignored_columns
        Headers that are not in the contract (kept out, reported).
    """

    kind: str
    file_name: str
    sha256: str
    frame: pd.DataFrame
    ignored_columns: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> int:
        """Number of data rows."""
        return len(self.frame)


def _problem(file: str, row: int, column: str, value: object, key: str) -> Problem:
    zh, en = CHECK_REASONS.get(key, (key, key))
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return Problem(file=file, row=row, column=column, value=text, reason_zh=zh, reason_en=en)


def _plain(file: str, row: int, column: str, value: object, zh: str, en: str) -> Problem:
    text = "" if value is None else str(value)
    return Problem(file=file, row=row, column=column, value=text, reason_zh=zh, reason_en=en)


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else GB18030 (Excel on Chinese Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_cells(data: bytes, *, file_name: str) -> pd.DataFrame:
    """Read a CSV or XLSX file into a frame of text cells, whitespace trimmed.

    Raises
    ------
    ValidationError
        If the file type is not allowed or the file cannot be read at all.
    """
    suffix = Path(file_name).suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(io.StringIO(decode_csv(data)), dtype=str, keep_default_na=False)
        elif suffix == ".xlsx":
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            raise ValidationError(
                [
                    _plain(
                        file_name, 0, "", suffix,
                        "只接受 CSV 或 XLSX 文件", "only CSV or XLSX files are accepted",
                    )
                ]
            )
    except ValidationError:
        raise
    except (UnicodeDecodeError, ValueError, OSError, pd.errors.ParserError, KeyError) as exc:
        raise ValidationError(
            [_plain(file_name, 0, "", "", f"无法读取文件：{exc}", f"the file cannot be read: {exc}")]
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda s: s.astype(str).str.strip())


def _map_headers(
    frame: pd.DataFrame, spec: TableSpec, file_name: str
) -> tuple[dict[str, str], tuple[str, ...], list[Problem]]:
    aliases = header_aliases(spec)
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for header in frame.columns:
        name = aliases.get(header.lower(), aliases.get(header))
        if name is None:
            ignored.append(header)
        elif name in mapping.values():
            problems.append(_plain(file_name, 1, header, header, "重复的列", "duplicate column"))
        else:
            mapping[header] = name
    for col in spec.columns:
        if col.required and col.name not in mapping.values():
            problems.append(
                _plain(
                    file_name, 1, col.name, "",
                    f"缺少必需的列（可用列名：{col.name} 或 {'、'.join(col.zh)}）",
                    f"required column is missing (accepted headers: {col.name}, {', '.join(col.zh)})",
                )
            )
    return mapping, tuple(ignored), problems


def _parse_timestamps(text: pd.Series) -> pd.Series:
    normal = (
        text.str.replace("年", "-", regex=False)
        .str.replace("月", "-", regex=False)
        .str.replace("日", " ", regex=False)
        .str.replace("/", "-", regex=False)
        .str.replace("T", " ", regex=False)
        .str.strip()
    )
    parsed = pd.to_datetime(normal, errors="coerce", format="ISO8601")
    retry = parsed.isna() & (normal != "")
    if retry.any():
        parsed.loc[retry] = pd.to_datetime(normal[retry], errors="coerce", format="mixed")
    return parsed.astype("datetime64[us]")


def _parse_column(
    text: pd.Series, dtype: str, *, required: bool, header: str, file_name: str
) -> tuple[pd.Series, list[Problem]]:
    problems: list[Problem] = []
    empty = text == ""
    if dtype == "str":
        values = text.where(~empty, None).astype(object)
        bad = pd.Series(False, index=text.index)
    elif dtype in ("int", "float"):
        numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
        bad = numbers.isna() & ~empty
        if dtype == "int":
            fractional = numbers.notna() & (numbers != numbers.round())
            for idx in text.index[fractional]:
                problems.append(
                    _plain(file_name, idx + FIRST_DATA_ROW, header, text[idx], "应为整数", "must be a whole number")
                )
            values = numbers.where(~fractional).round().astype("Int64")
        else:
            values = numbers.astype("Float64")
    elif dtype == "timestamp":
        values = _parse_timestamps(text)
        bad = values.isna() & ~empty
    elif dtype == "bool":
        low = text.str.lower()
        bad = ~low.isin(_TRUE | _FALSE)
        values = low.isin(_TRUE).astype("boolean")
    else:  # pragma: no cover - the contract only has the types above
        raise ValueError(dtype)
    reasons = {
        "int": ("不是有效的数字", "not a valid number"),
        "float": ("不是有效的数字", "not a valid number"),
        "timestamp": ("不是有效的时间（例如 2022-06-17 19:00）", "not a valid time (e.g. 2022-06-17 19:00)"),
        "bool": ("应为 true/false（是/否）", "must be true/false"),
        "str": ("", ""),
    }[dtype]
    for idx in text.index[bad]:
        problems.append(_plain(file_name, idx + FIRST_DATA_ROW, header, text[idx], *reasons))
    if required:
        for idx in text.index[empty]:
            problems.append(_plain(file_name, idx + FIRST_DATA_ROW, header, "", "缺少值", "value is missing"))
    return values, problems


_FRAME_CHECK_COLUMN = {"end_after_start": "end", "spend_without_orders": "spend_cny"}


def _check_values(
    frame: pd.DataFrame, spec: TableSpec, headers: dict[str, str], file_name: str, unparsed: set[tuple[int, str]]
) -> list[Problem]:
    """Run the pandera schema and turn its failures into problems.

    Failures on cells that did not parse (already reported) and pandera's own
    null checks (missing values are reported by the parser) are left out.
    """
    problems: list[Problem] = []
    try:
        pandera_schema(spec).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            key = str(case.check)
            if key not in CHECK_REASONS or pd.isna(case.index):
                continue
            idx = int(case.index)
            column = _FRAME_CHECK_COLUMN.get(key, case.column)
            if not isinstance(column, str) or column not in spec.names or (idx, column) in unparsed:
                continue
            problems.append(
                _problem(file_name, idx + FIRST_DATA_ROW, headers.get(column, column), frame.at[idx, column], key)
            )
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int, str, str]] = set()
    out = []
    for p in sorted(problems, key=lambda p: (p.row, p.column)):
        k = (p.row, p.column, p.reason_en)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


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
        Zone ids that exist; rows naming another zone are problems. ``None`` skips the check.

    Returns
    -------
    ParsedFile
        The frame in contract columns and types.

    Raises
    ------
    ValidationError
        Listing every problem found; nothing is written anywhere.
    """
    if kind not in TABLES:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(TABLES)}")
    cells = read_cells(data, file_name=file_name)
    return _parse_cells(cells, sha=hashlib.sha256(data).hexdigest(), file_name=file_name, kind=kind,
                        known_zones=known_zones)


def _parse_cells(
    cells: pd.DataFrame, *, sha: str, file_name: str, kind: str, known_zones: Collection[str] | None
) -> ParsedFile:
    """:func:`parse_file` after reading: map headers, parse and check every column and row."""
    spec = TABLES[kind]
    mapping, ignored, problems = _map_headers(cells, spec, file_name)
    if problems:
        raise ValidationError(problems)
    if cells.empty:
        raise ValidationError([_plain(file_name, 0, "", "", "文件中没有数据行", "the file has no data rows")])
    headers = {name: header for header, name in mapping.items()}
    frame = pd.DataFrame(index=cells.index)
    unparsed: set[tuple[int, str]] = set()
    for col in spec.columns:
        header = headers.get(col.name)
        text = cells[header] if header else pd.Series("", index=cells.index)
        values, col_problems = _parse_column(
            text, col.dtype, required=col.required, header=header or col.name, file_name=file_name
        )
        frame[col.name] = values
        unparsed.update((p.row - FIRST_DATA_ROW, col.name) for p in col_problems)
        problems.extend(col_problems)
    if "title_en" in frame and "title_zh" in frame:
        frame["title_en"] = frame["title_en"].where(frame["title_en"].notna(), frame["title_zh"])
    if "simulated" in frame:
        frame["simulated"] = frame["simulated"].fillna(False)
    problems.extend(_check_values(frame, spec, headers, file_name, unparsed))
    if known_zones is not None:
        known = set(known_zones)
        header = headers["zone_id"]
        for idx in frame.index[frame["zone_id"].notna() & ~frame["zone_id"].isin(known)]:
            problems.append(
                _plain(
                    file_name, idx + FIRST_DATA_ROW, header, frame.at[idx, "zone_id"],
                    "未知的片区编号（见 zones.geojson 的 zone_id）", "unknown zone id (see zone_id in zones.geojson)",
                )
            )
    dup = frame.duplicated(list(spec.key), keep="first") & frame[list(spec.key)].notna().all(axis=1)
    for idx in frame.index[dup]:
        key_text = " / ".join(str(frame.at[idx, k]) for k in spec.key)
        problems.append(_problem(file_name, idx + FIRST_DATA_ROW, headers[spec.key[0]], key_text, "duplicate_key"))
    if problems:
        raise ValidationError(_dedupe(problems))
    return ParsedFile(kind=kind, file_name=file_name, sha256=sha, frame=frame, ignored_columns=ignored)


@dataclass(frozen=True)
class UploadCheck:
    """An uploaded file, checked once for the data page.

    Attributes
    ----------
    sha256
        Hex digest of the file's bytes.
    preview
        The first rows as read (all text, the file's own headers), or ``None``
        when the file is too large or cannot be read at all.
    result
        The parsed file, ready to ingest, or the :class:`ValidationError`
        listing every problem.
    """

    sha256: str
    preview: pd.DataFrame | None
    result: ParsedFile | ValidationError


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
    try:
        result: ParsedFile | ValidationError = _parse_cells(cells, sha=sha, file_name=file_name, kind=kind,
                                                            known_zones=known_zones)
    except ValidationError as exc:
        result = exc
    return UploadCheck(sha, cells.head(preview_rows), result)


def parse_path(path: Path, *, kind: str, known_zones: Collection[str] | None = None) -> ParsedFile:
    """:func:`parse_file` for a file on disk."""
    return parse_file(Path(path).read_bytes(), file_name=Path(path).name, kind=kind, known_zones=known_zones)
