"""Errors that carry every problem at once, in Chinese and English.

Validation gathers all problems of a file before it fails, so a user fixes the
whole file in one go instead of meeting errors one at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nightmap import i18n


@dataclass(frozen=True)
class Problem:
    """One problem in one cell of an input file.

    Attributes
    ----------
    file
        The file name as the user knows it.
    row
        The row number as Excel shows it (title and blank rows above the header count); 0 for the whole file.
    column
        The column as written in the file (or the contract's name when it is missing).
    value
        The offending value as text ("" when missing).
    reason_zh, reason_en
        What is wrong, in Chinese and English.
    """

    file: str
    row: int
    column: str
    value: str
    reason_zh: str
    reason_en: str

    @classmethod
    def of(cls, file: str, row: int, column: str, value: str, key: str, *,
           zh: Mapping[str, object] | None = None, en: Mapping[str, object] | None = None,
           **kwargs: object) -> Problem:
        """A problem whose reason is the string ``key`` in both languages (:func:`nightmap.i18n.both`)."""
        return cls(file, row, column, value, *i18n.both(key, zh=zh, en=en, **kwargs))

    def reason(self, lang: str = "zh") -> str:
        """The reason in ``lang``."""
        return self.reason_en if lang == "en" else self.reason_zh

    def describe(self, lang: str = "zh") -> str:
        """One line naming file, row, column, value and reason."""
        if lang == "en":
            where = f"{self.file}, row {self.row}, column '{self.column}'"
            return f"{where}: value '{self.value}': {self.reason_en}"
        where = f"{self.file} 第{self.row}行 “{self.column}”列"
        return f"{where}：值“{self.value}”：{self.reason_zh}"


class NightmapError(Exception):
    """Base class of the errors nightmap raises on purpose."""


class ValidationError(NightmapError):
    """A file failed validation; ``problems`` lists every problem found.

    Nothing has been written when this is raised.
    """

    def __init__(self, problems: Sequence[Problem], *, limit: int = 50) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        shown = [p.describe("zh") + " | " + p.describe("en") for p in self.problems[:limit]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"……另有{more}个问题 / … and {more} more problems")
        header = f"发现{len(self.problems)}个问题，未写入任何数据 / {len(self.problems)} problems found, nothing was written"
        super().__init__(header + ":\n" + "\n".join(shown))

    def as_records(self, lang: str = "zh") -> list[dict[str, object]]:
        """The problems as rows for a table (file, row, column, value, reason)."""
        return [
            {"file": p.file, "row": p.row, "column": p.column, "value": p.value, "reason": p.reason(lang)}
            for p in self.problems
        ]


class StoreError(NightmapError):
    """A store operation was refused (e.g. a rollback that would undo a later batch)."""


class StoreBusyError(StoreError):
    """Another process kept the store's write lock longer than the bounded wait; nothing was written."""

    def __init__(self, waited_s: float) -> None:
        self.waited_s = waited_s
        super().__init__(i18n.both_text("store.busy", waited=f"{waited_s:g}"))
