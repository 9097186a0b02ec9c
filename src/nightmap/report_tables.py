"""Tables that tell data staff what happened to a file: its problems and the rows it leaves out.

Plain rows with localised column names, the row number (as in Excel) always the
first column, so a page shows them as they are and a download keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from nightmap.auth import role_label
from nightmap.i18n import t
from nightmap.schema import KIND_LABELS

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


def _when(value: object, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    return f"{pd.Timestamp(value):{pattern}}"


def batch_log_table(log: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The batch log (:meth:`nightmap.store.Store.batches`) as shown on the Data page.

    Columns: batch, table, file, who (user and role), note, when, rows,
    inserted, updated, status (active, or rolled back and when) and the file's sha256.
    """
    return pd.DataFrame({
        t("data.col.batch", lang): log["batch_id"],
        t("data.col.table", lang): [KIND_LABELS[k][1 if lang == "en" else 0] for k in log["kind"]],
        t("data.col.file", lang): log["file_name"],
        t("data.col.who", lang): [f"{u} ({role_label(r, lang)})" if u else "—"
                                  for u, r in zip(log["actor"], log["actor_role"], strict=True)],
        t("data.col.note", lang): log["note"],
        t("data.col.when", lang): [_when(x) for x in log["created_at"]],
        t("data.col.rows", lang): log["rows"],
        t("data.col.inserted", lang): log["inserted"],
        t("data.col.updated", lang): log["updated"],
        t("data.col.status", lang): [
            t("data.batch.active", lang) if pd.isna(r) else
            f"{t('data.batch.rolled_back', lang)} {_when(r, '%Y-%m-%d %H:%M')}"
            for r in log["rolled_back_at"]
        ],
        "sha256": log["sha256"],
    })


def audit_table(audit: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The change log (:meth:`nightmap.store.Store.audit_log`): when, who, role, action, target, note."""
    return pd.DataFrame({
        t("data.col.when", lang): [_when(x) for x in audit["at"]],
        t("data.col.who", lang): [u or "—" for u in audit["user"]],
        t("auth.log.role", lang): [role_label(r, lang) if r else "—" for r in audit["role"]],
        t("auth.log.action", lang): [t(f"auth.action.{a}", lang) for a in audit["action"]],
        t("auth.log.target", lang): audit["target"],
        t("data.col.note", lang): audit["note"],
    })
