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
  ``元`` are accepted in numbers; times in the usual Chinese office formats and
  Excel serial date-times (``44729.8333333``) are accepted, and a footfall or sales
  time may come as a date column and an hour column (``日期`` and ``时段``,
  :data:`nightmap.schema.SPLIT_TIME`); category words go through
  :data:`nightmap.schema.CATEGORY_SYNONYMS`.
- Sizes are bounded before anything big is built (:data:`MAX_ROWS`,
  :data:`MAX_COLUMNS`, the ``XLSX_*`` zip limits) and at most
  :data:`MAX_PROBLEMS` problems are listed.

Every message is in Chinese and English, from :mod:`nightmap.messages.ingest`.

Modules
-------
:mod:`~nightmap.ingest.read`
    Bytes to rows of text: CSV decoding (:func:`decode_csv`) and delimiters, XLSX
    with zip-bomb limits, :func:`read_cells`.
:mod:`~nightmap.ingest.text`
    Cell normalisation (:func:`normalise_cell`, :func:`normalise_header`),
    :func:`parse_numbers`, :func:`parse_number`, :func:`parse_times` (with Excel
    serials), :func:`parse_dates` and :func:`parse_hours` (a time as a date and an hour).
:mod:`~nightmap.ingest.layout`
    Header-row detection and header aliases; title, blank, totals and note rows
    (:class:`SkippedRow`, :data:`TOTAL_WORDS`, :data:`NOTE_PREFIXES`).
:mod:`~nightmap.ingest.zones`
    Zones by id, Chinese or English name (:class:`ZoneLookup`, :func:`zone_aliases`,
    :func:`zone_key`).
:mod:`~nightmap.ingest.parse`
    The entry points :func:`parse_file`, :func:`parse_path`, :func:`check_upload`
    (:class:`UploadCheck`), :class:`ParsedFile`, column parsing and value checks,
    template example rows (:data:`EXAMPLE_MARK`).
:mod:`~nightmap.ingest.problems`
    Problems in both languages, capped at :data:`MAX_PROBLEMS`.
:mod:`~nightmap.ingest.limits`
    The size limits. The names here are copies for reading: to change a limit
    (or monkeypatch it in a test), set it on :mod:`nightmap.ingest.limits`.
"""

from __future__ import annotations

from nightmap.ingest.layout import NOTE_PREFIXES, SKIP_KINDS, TOTAL_WORDS, SkippedRow
from nightmap.ingest.limits import (
    HEADER_SEARCH_ROWS,
    MAX_BLANK_RUN,
    MAX_COLUMNS,
    MAX_PROBLEMS,
    MAX_ROWS,
    MAX_SHEET_ROWS,
    XLSX_MAX_MEMBER_MB,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_TOTAL_MB,
    XLSX_RATIO_MIN_MB,
)
from nightmap.ingest.parse import EXAMPLE_MARK, ParsedFile, UploadCheck, check_upload, parse_file, parse_path
from nightmap.ingest.read import ALLOWED_SUFFIXES, decode_csv, read_cells
from nightmap.ingest.text import (
    NUMBER_UNITS,
    normalise_cell,
    normalise_header,
    parse_dates,
    parse_hours,
    parse_number,
    parse_numbers,
    parse_times,
)
from nightmap.ingest.zones import ZONE_LIST_MAX, ZoneLookup, zone_aliases, zone_key

__all__ = [
    "ALLOWED_SUFFIXES",
    "EXAMPLE_MARK",
    "HEADER_SEARCH_ROWS",
    "MAX_BLANK_RUN",
    "MAX_COLUMNS",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "MAX_SHEET_ROWS",
    "NOTE_PREFIXES",
    "NUMBER_UNITS",
    "SKIP_KINDS",
    "TOTAL_WORDS",
    "XLSX_MAX_MEMBERS",
    "XLSX_MAX_MEMBER_MB",
    "XLSX_MAX_RATIO",
    "XLSX_MAX_TOTAL_MB",
    "XLSX_RATIO_MIN_MB",
    "ZONE_LIST_MAX",
    "ParsedFile",
    "SkippedRow",
    "UploadCheck",
    "ZoneLookup",
    "check_upload",
    "decode_csv",
    "normalise_cell",
    "normalise_header",
    "parse_dates",
    "parse_file",
    "parse_hours",
    "parse_number",
    "parse_numbers",
    "parse_path",
    "parse_times",
    "read_cells",
    "zone_aliases",
    "zone_key",
]
