"""The event plan: the 2022 campaign's events and simulated shows, with their effects on the numbers.

:func:`_plan_events` lays out, for whole months, the launch ceremony on
新安路步行街 (17 June 2022), the Father's Day / 6·18 promotion at the four
complexes, the two catering-voucher rounds, simulated weekend performances and
markets during the campaign, and shows on holiday breaks and the Lantern
Festival outside it. Each event comes with :class:`_Effect` multipliers on the
footfall, conversion and order value of one zone-night, which the hourly draw
applies. :func:`_events_frame` turns the event records into the contract's
``events`` table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START, LAUNCH_ZONE
from nightmap.simulate.calendar import _Calendar, _day_factors
from nightmap.simulate.core import (
    _CLOCK,
    _HOURS,
    _NIGHT_START_HOUR,
    _TAG_EVENTS,
    CATEGORIES,
    EVENT_COLUMNS,
    LAUNCH_NIGHT,
    _rng,
)
from nightmap.simulate.profiles import _PROFILES, _Zones

FATHERS_DAY_NIGHTS = (dt.date(2022, 6, 18), dt.date(2022, 6, 19))
"""Nights of the Father's Day / 6·18 promotion at the four complexes."""
VOUCHER_ROUNDS = (dt.date(2022, 6, 17), dt.date(2022, 6, 24))
"""Issuance dates of the catering-voucher rounds (our choice; the seed gives none)."""


@dataclass
class _Effect:
    """Multipliers an event puts on one zone-night."""

    zone: int
    night: dt.date
    foot: np.ndarray = field(default_factory=lambda: np.ones(_HOURS))
    conv: np.ndarray = field(default_factory=lambda: np.ones((_HOURS, 3)))
    aov: np.ndarray = field(default_factory=lambda: np.ones(3))


def _hours_mask(start: float, end: float) -> np.ndarray:
    """Fraction of each night hour (06:00 … 05:00) covered by clock hours ``start``–``end`` (end may pass 24)."""
    lo = _NIGHT_START_HOUR + np.arange(_HOURS)
    return np.clip(np.minimum(lo + 1, end) - np.maximum(lo, start), 0.0, 1.0)


def _ts(day: dt.date, hour: float) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=round(hour * 60))


_CI = {c: i for i, c in enumerate(CATEGORIES)}

_SQUARE_SHOWS = (
    ("广场文艺演出", "Open-air stage performance"),
    ("夜光音乐会", "Evening music concert"),
    ("街舞快闪", "Street-dance flash show"),
)
_STREET_MARKETS = {
    "eat": (("美食夜市", "Food night market"), ("夜市集", "Night market")),
    "shop": (("文创市集", "Creative crafts market"), ("夜市集", "Night market")),
    "play": (("夜市集", "Night market"),),
}
_HOLIDAY_TITLES = {
    "dragon": (("端午民俗夜市", "Dragon Boat folk night market"), ("端午文艺演出", "Dragon Boat stage show")),
    "spring": (("新春庙会", "Spring Festival temple fair"), ("新春文艺演出", "Spring Festival stage show")),
    "lantern": (("元宵灯会", "Lantern Festival lantern show"), ("元宵猜灯谜晚会", "Lantern riddles evening")),
    "national": (("国庆美食夜市", "National Day food night market"), ("国庆文艺晚会", "National Day evening show")),
    "midautumn": (("中秋夜市", "Mid-Autumn night market"), ("中秋赏月晚会", "Mid-Autumn moon-viewing evening")),
    "labour": (("五一美食夜市", "May Day food night market"), ("五一文艺演出", "May Day stage show")),
    "newyear": (("元旦夜市", "New Year night market"), ("跨年音乐会", "New Year's concert")),
}


def _show_kind(zones: _Zones, i: int, rng: np.random.Generator) -> str:
    """``performance`` for squares and play-led zones, a coin toss for other streets with play, else ``market``."""
    if "square" in zones.ids[i] or zones.first_cat[i] == "play":
        return "performance"
    if zones.conv[i, _CI["play"]] > 0 and rng.random() < 0.5:
        return "performance"
    return "market"


def _plan_events(
    zones: _Zones, *, seed: int, start: dt.date, end: dt.date, cal: _Calendar
) -> tuple[list[dict[str, Any]], list[_Effect]]:
    """Events in ``start``–``end`` and the effects they have on the simulated numbers."""
    events: list[dict[str, Any]] = []
    effects: list[_Effect] = []
    index = {z: i for i, z in enumerate(zones.ids)}
    streets = [i for i in range(zones.n) if not zones.is_complex[i]]
    known_streets = [i for i in streets if zones.ids[i] in _PROFILES]
    pool = known_streets or streets

    def add(
        zone: int, day: dt.date, name: str, start_h: float, end_h: float, category: str, kind: str,
        title: tuple[str, str], expected: int | None, simulated: bool,
    ) -> None:
        events.append({
            "event_id": f"ev-{day:%Y%m%d}-{zones.ids[zone]}-{name}",
            "zone_id": zones.ids[zone],
            "start": _ts(day, start_h),
            "end": _ts(day, end_h),
            "category": category,
            "kind": kind,
            "title_zh": title[0],
            "title_en": title[1],
            "expected_visitors": expected,
            "simulated": simulated,
        })

    def show(zone: int, day: dt.date, rng: np.random.Generator, holiday: str | None) -> None:
        """A simulated performance or market with its bump in footfall and spending.

        ``holiday`` picks the titles of a holiday break (see ``_HOLIDAY_TITLES``).
        """
        square = _show_kind(zones, zone, rng) == "performance"
        bump = float(rng.uniform(0.25, 0.5))
        if square:
            start_h, end_h, kind, cat = 19.5, 21.5, "performance", "play"
            if holiday is not None:
                title = _HOLIDAY_TITLES[holiday][1]
            else:
                title = _SQUARE_SHOWS[int(rng.integers(len(_SQUARE_SHOWS)))]
        else:
            start_h, end_h, kind, cat = 18.5, 22.5, "market", zones.first_cat[zone]
            if holiday is not None:
                title = _HOLIDAY_TITLES[holiday][0]
            elif zones.ids[zone] == "mengzhou_road":
                title = ("京水岸古玩夜市", "Jingshui'an antiques night market")
            else:
                options = _STREET_MARKETS[cat]
                title = options[int(rng.integers(len(options)))]
        mask = _hours_mask(start_h, end_h)
        eff = _Effect(zone, day)
        eff.foot = 1.0 + bump * mask
        eff.conv[:, _CI[cat]] *= 1.0 + 1.2 * bump * mask
        base, _s, _c = _day_factors([day], cal)
        expected = zones.visitors[zone] * base[0] * float((zones.foot_curve[zone] * mask).sum()) * (1 + bump)
        add(zone, day, kind, start_h, end_h, cat, kind, title,
            max(100, int(round(expected, -2))), True)
        effects.append(eff)

    # --- the 2022 campaign
    if start <= CAMPAIGN_END and end >= CAMPAIGN_START:
        if LAUNCH_ZONE in index and start <= LAUNCH_NIGHT <= end:
            z = index[LAUNCH_ZONE]
            add(z, LAUNCH_NIGHT, "launch", 19.5, 21.5, "play", "ceremony",
                ("“城市烟火气·点亮夜经济”活动启动仪式",
                 "Launch ceremony of the “City Bustle · Light Up the Night Economy” campaign"),
                None, False)
            eff = _Effect(z, LAUNCH_NIGHT)
            spike = {18: 1.2, 19: 1.8, 20: 2.4, 21: 2.1, 22: 1.4, 23: 1.15, 0: 1.05}
            for h, m in spike.items():
                eff.foot[_CLOCK == h] = m
            eff.conv[np.isin(_CLOCK, (19, 20, 21)), _CI["play"]] *= 1.6
            eff.conv[np.isin(_CLOCK, (21, 22, 23)), _CI["eat"]] *= 1.1
            effects.append(eff)
        complexes = [i for i in range(zones.n) if zones.is_complex[i] and zones.ids[i] in _PROFILES]
        for day in FATHERS_DAY_NIGHTS:
            if not start <= day <= end:
                continue
            for z in complexes:
                if day == FATHERS_DAY_NIGHTS[0] or not start <= FATHERS_DAY_NIGHTS[0] <= end:
                    add(z, day, "fathers-day-618", 10.0, 46.0 if day == FATHERS_DAY_NIGHTS[0] else 22.0,
                        "shop", "promotion",
                        ("倾情“父”出，感恩“6·18”父亲节促销", "“Devoted to Dad, Grateful for 6·18” Father's Day promotion"),
                        None, False)
                eff = _Effect(z, day)
                eff.foot *= 1.12
                eff.conv[:, _CI["shop"]] *= 1.45
                eff.aov[_CI["shop"]] *= 1.12
                effects.append(eff)
        eat_zones = [i for i in range(zones.n) if zones.first_cat[i] == "eat"]
        for rnd, issued in enumerate(VOUCHER_ROUNDS, start=1):
            nights = [issued + dt.timedelta(days=k) for k in range(3)]
            if not any(start <= d <= end for d in nights):
                continue
            for z in eat_zones:
                first = max(issued, start)
                add(z, first, f"voucher-r{rnd}", 17.0, 26.0 + 24.0 * (min(nights[-1], end) - first).days,
                    "eat", "voucher", (f"第{rnd}轮餐饮消费券发放", f"Catering vouchers, round {rnd}"), None, True)
                for k, day in enumerate(nights):
                    if not start <= day <= end:
                        continue
                    eff = _Effect(z, day)
                    eff.foot *= (1.06, 1.04, 1.02)[k]
                    eff.conv[:, _CI["eat"]] *= (1.35, 1.22, 1.10)[k]
                    eff.aov[_CI["eat"]] *= 1.06
                    effects.append(eff)
        day = CAMPAIGN_START
        while day <= CAMPAIGN_END:
            if start <= day <= end and day.weekday() >= 4:
                rng = _rng(seed, _TAG_EVENTS, day.toordinal())
                cands = [i for i in pool if not (day == LAUNCH_NIGHT and zones.ids[i] == LAUNCH_ZONE)]
                k = min(4, len(cands))
                for z in sorted(int(i) for i in rng.choice(cands, size=k, replace=False)) if k else []:
                    show(z, day, rng, None)
            day += dt.timedelta(days=1)

    # --- holiday breaks and the Lantern Festival outside the campaign: at most 3 events a night
    day = start
    while day <= end:
        if not CAMPAIGN_START <= day <= CAMPAIGN_END:
            info = cal.info(day)
            key = "lantern" if info.special == "lantern" else info.brk
            if key in _HOLIDAY_TITLES and info.special != "nye" and pool:
                rng = _rng(seed, _TAG_EVENTS, day.toordinal())
                k = min(3 if info.next_off or key == "lantern" else 1, len(pool))
                for z in sorted(int(i) for i in rng.choice(pool, size=k, replace=False)):
                    show(z, day, rng, key)
        day += dt.timedelta(days=1)

    events.sort(key=lambda e: (e["start"], e["zone_id"], e["event_id"]))
    return events, effects


def _events_frame(events: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(events, columns=EVENT_COLUMNS)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[us]")
    frame["expected_visitors"] = pd.array(
        [None if v is None or pd.isna(v) else int(v) for v in frame["expected_visitors"]], dtype="Int64"
    )
    frame["simulated"] = frame["simulated"].astype(bool)
    for col in ("event_id", "zone_id", "category", "kind", "title_zh", "title_en"):
        frame[col] = frame[col].astype("str")
    return frame.reset_index(drop=True)
