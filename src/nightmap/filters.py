"""The filter: which nights, hours of the night, categories and zones to count.

A :class:`Filter` is a pure, hashable value. It turns itself into a SQL
``WHERE`` fragment with ``?`` parameters; no value ever enters the SQL text.

Rules
-----
- A night belongs to the date it began on: hours 00:00–05:59 count to the
  previous date (the store keeps a derived ``night`` column).
- The hour window ``(start, end)`` is a half-open range of hours of the day,
  ``start`` included and ``end`` excluded, that may wrap past midnight:
  ``(17, 2)`` is 17:00–02:00, i.e. hours 17–23 and 0–1. ``start == end`` means
  all 24 hours.
- Categories restrict sales to those categories, and zones (with their
  footfall) to zones that offer at least one of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START
from nightmap.schema import CATEGORIES, NIGHT_START_HOUR

DEFAULT_HOURS: tuple[int, int] = (17, 2)


def hours_in_window(start: int, end: int) -> tuple[int, ...]:
    """The hours of the day in the half-open window ``[start, end)``, wrapping past midnight."""
    if not (0 <= start <= 23 and 0 <= end <= 24):
        raise ValueError(f"hour window out of range: {start}–{end}")
    end %= 24
    if start == end:
        return tuple(range(24))
    if start < end:
        return tuple(range(start, end))
    return tuple(range(start, 24)) + tuple(range(0, end))


def night_hour_index(hour: int) -> int:
    """Position of an hour of the day within the night (06:00 is 0, 01:00 is 19)."""
    return (hour - NIGHT_START_HOUR) % 24


@dataclass(frozen=True)
class Filter:
    """A selection of nights, an hour window, categories and zones.

    Attributes
    ----------
    start, end
        First and last night, inclusive.
    hours
        ``(start_hour, end_hour)``, half-open, may wrap past midnight.
    categories
        Subset of ``eat``, ``shop``, ``play``.
    zones
        Zone ids to keep; empty means all zones.
    """

    start: dt.date = CAMPAIGN_START
    end: dt.date = CAMPAIGN_END
    hours: tuple[int, int] = DEFAULT_HOURS
    categories: tuple[str, ...] = CATEGORIES
    zones: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"last night {self.end} is before first night {self.start}")
        hours_in_window(*self.hours)
        unknown = [c for c in self.categories if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown categories: {unknown}")
        # canonical order, so equal selections compare and cache equal
        object.__setattr__(self, "categories", tuple(c for c in CATEGORIES if c in self.categories))
        object.__setattr__(self, "zones", tuple(sorted(set(self.zones))))

    @property
    def hour_list(self) -> tuple[int, ...]:
        """Hours of the day in the window, in night order."""
        return hours_in_window(*self.hours)

    @property
    def nights(self) -> list[dt.date]:
        """Every night in the range."""
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def with_(self, **changes: object) -> Filter:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    # --- SQL -----------------------------------------------------------------------------------------
    def hour_sql(self, column: str = "hour") -> tuple[str, list[object]]:
        """The hour-window condition."""
        start, end = self.hours[0], self.hours[1] % 24
        if start == end:
            return "TRUE", []
        joiner = "AND" if start < end else "OR"
        return f"({column} >= ? {joiner} {column} < ?)", [start, end]

    def zone_sql(self, column: str = "zone_id") -> tuple[str, list[object]]:
        """Zones chosen explicitly and offering at least one chosen category."""
        sql = f"{column} IN (SELECT zone_id FROM zones WHERE list_has_any(categories, ?::VARCHAR[])"
        params: list[object] = [list(self.categories)]
        if self.zones:
            sql += " AND list_contains(?::VARCHAR[], zone_id)"
            params.append(list(self.zones))
        return sql + ")", params

    def category_sql(self, column: str = "category") -> tuple[str, list[object]]:
        """The category condition for sales rows."""
        if len(self.categories) == len(CATEGORIES):
            return "TRUE", []
        placeholders = ", ".join("?" for _ in self.categories) or "NULL"
        return f"{column} IN ({placeholders})", list(self.categories)

    def where(self, table: str, *, nights: bool = True) -> tuple[str, list[object]]:
        """``WHERE`` conditions (without the keyword) for ``footfall`` or ``sales``.

        Parameters
        ----------
        table
            ``"footfall"`` or ``"sales"``; sales also filter by category.
        nights
            Include the night range; callers that add their own night set pass ``False``.
        """
        parts: list[tuple[str, list[object]]] = [self.zone_sql(), self.hour_sql()]
        if table == "sales":
            parts.append(self.category_sql())
        if nights:
            parts.append(("night BETWEEN ? AND ?", [self.start, self.end]))
        sql = " AND ".join(p[0] for p in parts)
        params = [v for p in parts for v in p[1]]
        return sql, params
