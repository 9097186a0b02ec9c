"""The filter object and the SQL it builds, as one parametrised table."""

from __future__ import annotations

import datetime as dt

import pytest

from nightmap.filters import Filter, hours_in_window, night_hour_index

D1, D2 = dt.date(2022, 6, 17), dt.date(2022, 6, 30)


@pytest.mark.parametrize(
    ("flt", "table", "sql", "params"),
    [
        (
            Filter(D1, D2, (17, 2)),
            "footfall",
            "zone_id IN (SELECT zone_id FROM zones WHERE list_has_any(categories, ?::VARCHAR[])) "
            "AND (hour >= ? OR hour < ?) AND night BETWEEN ? AND ?",
            [["eat", "shop", "play"], 17, 2, D1, D2],
        ),
        (
            Filter(D1, D2, (18, 22), categories=("shop", "eat")),
            "sales",
            "zone_id IN (SELECT zone_id FROM zones WHERE list_has_any(categories, ?::VARCHAR[])) "
            "AND (hour >= ? AND hour < ?) AND category IN (?, ?) AND night BETWEEN ? AND ?",
            [["eat", "shop"], 18, 22, "eat", "shop", D1, D2],
        ),
        (
            Filter(D1, D1, (6, 6), zones=("b", "a")),
            "sales",
            "zone_id IN (SELECT zone_id FROM zones WHERE list_has_any(categories, ?::VARCHAR[]) "
            "AND list_contains(?::VARCHAR[], zone_id)) AND TRUE AND TRUE AND night BETWEEN ? AND ?",
            [["eat", "shop", "play"], ["a", "b"], D1, D1],
        ),
        (
            Filter(D1, D2, (20, 24), categories=("play",)),
            "footfall",
            "zone_id IN (SELECT zone_id FROM zones WHERE list_has_any(categories, ?::VARCHAR[])) "
            "AND (hour >= ? OR hour < ?) AND night BETWEEN ? AND ?",
            [["play"], 20, 0, D1, D2],
        ),
    ],
)
def test_where_builds_parameterised_sql(flt: Filter, table: str, sql: str, params: list) -> None:
    got_sql, got_params = flt.where(table)
    assert got_sql == sql
    assert got_params == params


def test_user_values_never_enter_sql_text() -> None:
    evil = "x'); DROP TABLE footfall; --"
    sql, params = Filter(D1, D2, zones=(evil,)).where("footfall")
    assert evil not in sql
    assert [evil] in params


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (17, 2, (17, 18, 19, 20, 21, 22, 23, 0, 1)),
        (18, 22, (18, 19, 20, 21)),
        (22, 24, (22, 23)),
        (0, 0, tuple(range(24))),
        (23, 1, (23, 0)),
    ],
)
def test_hour_windows_wrap_past_midnight(start: int, end: int, hours: tuple[int, ...]) -> None:
    assert hours_in_window(start, end) == hours


def test_night_order_puts_after_midnight_last() -> None:
    assert night_hour_index(6) == 0
    assert night_hour_index(23) < night_hour_index(0) < night_hour_index(5)


def test_invalid_filters_are_refused() -> None:
    with pytest.raises(ValueError):
        Filter(D2, D1)
    with pytest.raises(ValueError):
        Filter(D1, D2, categories=("drink",))
    with pytest.raises(ValueError):
        Filter(D1, D2, hours=(25, 2))


def test_equal_selections_are_equal_and_hashable() -> None:
    a = Filter(D1, D2, categories=("shop", "eat"), zones=("b", "a"))
    b = Filter(D1, D2, categories=("eat", "shop"), zones=("a", "b"))
    assert a == b and hash(a) == hash(b)
