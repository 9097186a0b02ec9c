"""The calendar of nights: day types, holiday breaks, months and seeded rainy nights.

A night's level depends on whether the day and the next day are days off
(work/work, work/off = Friday-like, off/off = Saturday-like, off/work =
Sunday-like), on public-holiday breaks from the ``holidays`` package (plus the
weekend days joined to them), on Spring Festival eve (low) and the Lantern
Festival (high) — see :class:`_Calendar` and :func:`_day_factors`. Each
calendar month also draws a few rainy nights from the city's monthly generator
(:func:`_rain_for_month`, public :func:`rain_nights`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import holidays
import numpy as np

from nightmap.simulate.core import _TAG_CITY_MONTH, LAUNCH_NIGHT, _check_seed, _rng

# night type → factor: (today off?, tomorrow off?) drives going out
_WORK_WORK = np.array([0.86, 0.85, 0.88, 0.91, 0.93, 0.90, 0.88])  # by weekday, Mon..Sun
_WORK_OFF = 1.22  # Friday-like
_OFF_OFF = 1.32  # Saturday-like
_OFF_WORK = 1.00  # Sunday-like

_RAIN_PER_MONTH = (1, 1, 2, 3, 3, 3, 5, 5, 3, 2, 2, 1)  # typical rainy nights, Jan … Dec


@dataclass(frozen=True)
class _DayInfo:
    off: bool
    next_off: bool
    brk: str | None  # holiday name of the break the day is in
    next_brk: str | None
    special: str | None  # "nye" | "lantern"


_BREAK_NAMES = (
    ("Chinese New Year", "spring"),
    ("Dragon Boat", "dragon"),
    ("National Day", "national"),
    ("Mid-Autumn", "midautumn"),
    ("Labor Day", "labour"),
    ("Labour Day", "labour"),
    ("New Year's Day", "newyear"),
    ("Tomb-Sweeping", "qingming"),
)


class _Calendar:
    """Days off, holiday breaks, Spring Festival eve and Lantern Festival, from ``holidays.China``."""

    def __init__(self) -> None:
        self._years: set[int] = set()
        self._hol: dict[dt.date, str] = {}
        self._work: set[dt.date] = set()
        self._cny: set[dt.date] = set()
        self._info: dict[dt.date, _DayInfo] = {}

    def _load(self, year: int) -> None:
        for y in (year - 1, year, year + 1):
            if y in self._years:
                continue
            self._years.add(y)
            for day, name in holidays.China(years=y).items():
                self._hol[day] = name
                for m in re.finditer(r"substituted from (\d{2})/(\d{2})/(\d{4})", name):
                    self._work.add(dt.date(int(m[3]), int(m[1]), int(m[2])))
            firsts = sorted(
                d for d, n in self._hol.items()
                if d.year == y and n.startswith("Chinese New Year")
                and not self._hol.get(d - dt.timedelta(days=1), "").startswith("Chinese New Year")
            )
            if firsts:
                self._cny.add(firsts[0])

    def is_off(self, day: dt.date) -> bool:
        self._load(day.year)
        return day in self._hol or (day.weekday() >= 5 and day not in self._work)

    def break_name(self, day: dt.date) -> str | None:
        """The holiday a day off belongs to (public holiday plus joined weekend days), else None."""
        if not self.is_off(day):
            return None
        run = [day]
        for step in (-1, 1):
            other = day + dt.timedelta(days=step)
            while self.is_off(other) and len(run) < 12:
                run.append(other)
                other += dt.timedelta(days=step)
        names = [self._hol[d] for d in sorted(run) if d in self._hol]
        for name in names:
            for needle, key in _BREAK_NAMES:
                if needle in name:
                    return key
        if names:
            # a "Day off (substituted …)" only: take the nearest named holiday
            for d in sorted(self._hol, key=lambda d: abs((d - day).days))[:20]:
                for needle, key in _BREAK_NAMES:
                    if needle in self._hol[d]:
                        return key
            return "other"
        return None

    def info(self, day: dt.date) -> _DayInfo:
        if day not in self._info:
            nxt = day + dt.timedelta(days=1)
            self._load(day.year)
            special = None
            if nxt in self._cny:
                special = "nye"
            elif (day - dt.timedelta(days=14)) in self._cny:
                special = "lantern"
            self._info[day] = _DayInfo(
                self.is_off(day), self.is_off(nxt), self.break_name(day), self.break_name(nxt), special
            )
        return self._info[day]


_HOLIDAY_BOOST = {"spring": (1.22, 1.10), "national": (1.16, 1.12), "qingming": (1.0, 1.0), "other": (1.05, 1.05)}
_DEFAULT_BOOST = (1.12, 1.10)  # (streets, complexes)


def _day_factors(days: list[dt.date], cal: _Calendar) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day-type factor and holiday multipliers for streets and complexes, one value per night."""
    base = np.empty(len(days))
    street = np.ones(len(days))
    cplx = np.ones(len(days))
    for i, day in enumerate(days):
        info = cal.info(day)
        if info.off and info.next_off:
            base[i] = _OFF_OFF
        elif info.off:
            base[i] = _OFF_WORK
        elif info.next_off:
            base[i] = _WORK_OFF
        else:
            base[i] = _WORK_WORK[day.weekday()]
        if info.brk is not None:
            s, c = _HOLIDAY_BOOST.get(info.brk, _DEFAULT_BOOST)
            if not info.next_off:  # the last night of a break: people rest for work
                s, c = 1 + (s - 1) / 2, 1 + (c - 1) / 2
            street[i], cplx[i] = s, c
        if info.special == "nye":  # Spring Festival eve: reunion dinner at home, shops close early
            street[i], cplx[i] = 0.5, 0.55
        elif info.special == "lantern":
            street[i], cplx[i] = street[i] * 1.45, cplx[i] * 1.1
    return base, street, cplx


def _month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def _rain_for_month(seed: int, year: int, month: int) -> dict[dt.date, float]:
    """Rainy nights of a month and their intensity (0.5–1), drawn from the city's monthly generator."""
    rng = _rng(seed, _TAG_CITY_MONTH, year, month)
    days = _month_days(year, month)
    count = max(0, _RAIN_PER_MONTH[month - 1] + int(rng.integers(-1, 2)))
    candidates = [d for d in days if d != LAUNCH_NIGHT]  # the seed shows the launch went ahead outdoors
    picks = sorted(int(i) for i in rng.choice(len(candidates), size=count, replace=False))
    chosen = [candidates[i] for i in picks]
    late = [d for d in candidates if d.day >= 20 and d not in chosen]
    if month == 6 and chosen and not any(d.day >= 20 for d in chosen):  # late-June showers
        chosen[-1] = late[int(rng.integers(len(late)))]
    intensity = rng.uniform(0.5, 1.0, size=len(chosen))
    return {d: float(x) for d, x in zip(sorted(chosen), intensity, strict=True)}


def rain_nights(seed: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """The simulated rainy nights between ``start`` and ``end`` (inclusive) for a seed.

    Parameters
    ----------
    seed : int
        The simulation seed.
    start, end : datetime.date
        First and last night.

    Returns
    -------
    list of datetime.date
        Rainy nights, in order.
    """
    seed = _check_seed(seed)
    out: list[dt.date] = []
    for year, month in _months(start, end):
        out.extend(d for d in _rain_for_month(seed, year, month) if start <= d <= end)
    return out


def _months(start: dt.date, end: dt.date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
