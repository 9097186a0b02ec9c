"""The campaign calendar: campaign dates, public holidays and baseline nights.

The baseline of a campaign night is the average of the pre-campaign nights on
the same weekday, public holidays (and the weekend days joined to them, such as
the Dragon Boat break of 3–5 June 2022) excluded.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

CAMPAIGN_START = dt.date(2022, 6, 17)
CAMPAIGN_END = dt.date(2022, 6, 30)
LAUNCH = dt.datetime(2022, 6, 17, 19, 30)
LAUNCH_ZONE = "xinan_road"
BASELINE_DAYS = 28
"""How far before the campaign start baseline nights are taken from."""


@lru_cache(maxsize=64)
def _china_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.China(years=year).keys())


def is_public_holiday(day: dt.date) -> bool:
    """Whether ``day`` is a Chinese public holiday."""
    return day in _china_holidays(day.year)


def is_holiday_night(day: dt.date) -> bool:
    """Whether the night of ``day`` is in a holiday break.

    A break is a public holiday plus the weekend days joined to it (a holiday
    Friday takes the Saturday and Sunday after it along).
    """
    if is_public_holiday(day):
        return True
    if day.weekday() < 5:
        return False
    for step in (-1, 1):
        other = day + dt.timedelta(days=step)
        while other.weekday() >= 5 and not is_public_holiday(other):
            other += dt.timedelta(days=step)
        if is_public_holiday(other) and abs((other - day).days) <= 2:
            return True
    return False


def baseline_nights(
    *, campaign_start: dt.date = CAMPAIGN_START, days: int = BASELINE_DAYS
) -> list[dt.date]:
    """Pre-campaign nights usable as baseline: the ``days`` nights before the start, holidays excluded."""
    first = campaign_start - dt.timedelta(days=days)
    nights = (first + dt.timedelta(days=i) for i in range(days))
    return [n for n in nights if not is_holiday_night(n)]


def in_campaign(day: dt.date) -> bool:
    """Whether the night of ``day`` is a campaign night."""
    return CAMPAIGN_START <= day <= CAMPAIGN_END


def baseline_period(
    first_night: dt.date | None = None,
    last_night: dt.date | None = None,
    *,
    campaign_start: dt.date = CAMPAIGN_START,
) -> list[dt.date]:
    """The baseline nights that can have data: :func:`baseline_nights` within ``first_night … last_night``.

    The one source of the baseline period every export states (first and last
    of these, and how many).

    Parameters
    ----------
    first_night, last_night
        The first and last night with data (None: no limit).
    campaign_start
        Baseline nights are the holiday-free nights before it.
    """
    lo, hi = first_night or dt.date.min, last_night or dt.date.max
    return [n for n in baseline_nights(campaign_start=campaign_start) if lo <= n <= hi]
