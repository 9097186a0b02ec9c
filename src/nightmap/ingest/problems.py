"""Problems found in a file, in both languages: building, collecting and capping them.

A :class:`~nightmap.errors.Problem` carries its reason in Chinese and English;
the texts come from :mod:`nightmap.messages.ingest` through :func:`both`. A
file-level problem (row 0) is raised at once with :func:`refuse`; row-level
problems are gathered in a :class:`Problems` list, at most
:data:`~nightmap.ingest.limits.MAX_PROBLEMS` of each kind, the rest counted.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from nightmap.errors import Problem, ValidationError
from nightmap.i18n import both
from nightmap.ingest import limits


def text_of(value: object) -> str:
    """A value as a problem shows it: ``""`` for ``None`` and NaN."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def plain(file: str, row: int, column: str, value: object, zh: str, en: str) -> Problem:
    """A problem with its reason in Chinese and English."""
    text = "" if value is None else str(value)
    return Problem(file=file, row=row, column=column, value=text, reason_zh=zh, reason_en=en)


def refuse(file_name: str, key: str, *, value: object = "", **kwargs: object) -> ValidationError:
    """One file-level (row 0) problem, the message ``key`` filled with ``kwargs``, as an error to raise."""
    return ValidationError([plain(file_name, 0, "", value, *both(key, **kwargs))])


def rows_limit_error(file_name: str) -> ValidationError:
    """The refusal of a file with more than :data:`~nightmap.ingest.limits.MAX_ROWS` data rows."""
    return refuse(file_name, "ingest.too_many_rows", limit=f"{limits.MAX_ROWS:,}")


def unreadable(file_name: str, exc: BaseException) -> ValidationError:
    """The refusal of a file a reader failed on, naming the failure."""
    detail = f"{type(exc).__name__}: {exc}"[:200]
    return refuse(file_name, "ingest.unreadable", detail=detail)


class Problems:
    """Collects a file's problems, at most :data:`~nightmap.ingest.limits.MAX_PROBLEMS` of each kind,
    counting the rest."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.items: list[Problem] = []
        self.unlisted = 0

    def add(self, problem: Problem) -> None:
        """Add one problem."""
        self.items.append(problem)

    def cells(self, rows: Iterable[int], column: str, values: pd.Series, zh: str, en: str) -> None:
        """One problem per row of ``rows`` (ascending), the value taken from ``values`` by row."""
        rows = list(rows)
        most = limits.MAX_PROBLEMS
        for row in rows[:most]:
            self.items.append(plain(self.file_name, int(row), column, text_of(values.get(row, "")), zh, en))
        self.unlisted += max(0, len(rows) - most)

    def finish(self) -> list[Problem]:
        """Deduplicated, sorted by row and column, capped at :data:`~nightmap.ingest.limits.MAX_PROBLEMS`
        with a summary."""
        most = limits.MAX_PROBLEMS
        seen: set[tuple[int, str, str]] = set()
        out: list[Problem] = []
        for p in sorted(self.items, key=lambda p: (p.row, p.column)):
            key = (p.row, p.column, p.reason_en)
            if key not in seen:
                seen.add(key)
                out.append(p)
        more = self.unlisted + max(0, len(out) - most)
        out = out[:most]
        if more:
            out.append(plain(self.file_name, 0, "", f"{more:,}",
                             *both("ingest.more_problems", more=f"{more:,}", limit=f"{most:,}")))
        return out
