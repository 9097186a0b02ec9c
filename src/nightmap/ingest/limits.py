"""Size limits of incoming files: rows, columns, problems listed, and the XLSX zip checks.

Every reader and checker in :mod:`nightmap.ingest` looks these up here at the
time of use (``limits.MAX_ROWS``), so one assignment (or one ``monkeypatch`` in a
test) changes a limit everywhere. ``docs/data.md`` describes them.
"""

from __future__ import annotations

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


def most_nonblank_rows() -> int:
    """Non-blank rows a reader keeps before refusing: the data limit plus room for titles and notes."""
    return MAX_ROWS + HEADER_SEARCH_ROWS + 20
