"""Tables that tell data staff what happened to a file: its problems and the rows it leaves out.

Plain rows with localised column names, the row number (as in Excel) always the
first column, so a page shows them as they are and a download keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nightmap.i18n import t

if TYPE_CHECKING:
    from nightmap.errors import Problem
    from nightmap.ingest import SkippedRow


WHOLE_FILE = "—"
"""Shown in the row column for a problem of the whole file or edit (row 0)."""


def problems_table(problems: Sequence[Problem], lang: str = "zh") -> list[dict[str, object]]:
    """Problems as rows: row (as in Excel, first; "—" for the whole file), column, value, problem."""
    return [
        {t("data.col.row", lang): str(p.row) if p.row > 0 else WHOLE_FILE, t("data.col.column", lang): p.column,
         t("data.col.value", lang): p.value, t("data.col.problem", lang): p.reason(lang)}
        for p in problems
    ]


def skipped_table(skipped: Sequence[SkippedRow], lang: str = "zh") -> list[dict[str, object]]:
    """Rows an upload leaves out (title, note, totals rows): row (as in Excel, first), reason, content."""
    return [
        {t("data.col.row", lang): s.row, t("data.col.reason", lang): s.reason(lang),
         t("data.col.content", lang): s.text}
        for s in skipped
    ]
