"""The seeded night-economy simulator for the 2022 “城市烟火气·点亮夜经济” campaign.

Nothing here is measured data. The simulator makes hourly footfall and sales for
the 13 campaign zones (and any other zone, e.g. synthetic ones for scale tests)
that follow the shapes of a real night economy:

* an hour-of-day profile per zone and category: low daytime, a rise from 17:00,
  a peak around 19:00–21:00; food streets run past midnight, complexes close at
  about 22:00 and shops peak a little earlier than restaurants;
* nights before a day off (Fri/Sat) above Mon–Thu, public-holiday breaks (from
  the ``holidays`` package, plus the weekend days joined to them) high, Spring
  Festival eve low and the Lantern Festival high, a seasonal cycle (winter low),
  a mild yearly growth, a few seeded rainy nights per month (lower, mostly
  outdoors) and gamma-Poisson (negative binomial) noise;
* the campaign of 17–30 June 2022: a per-zone uplift (two laggards near 0 %),
  the launch ceremony on 新安路步行街 on 17 June from 19:30, the Father's Day /
  6·18 promotion at the four complexes on 18–19 June, two catering-voucher
  rounds (17 and 24 June) and simulated weekend performances and markets.

Values depend only on the seed, the zone id and the calendar month of a night,
never on the requested range or on how the work is chunked: every (zone, month)
draws from its own ``numpy`` generator spawned from the seed with
:class:`numpy.random.SeedSequence`. :func:`run_simulation` writes month by month,
fully vectorised, so 500 zones × 3 years stream to CSV or Parquet in bounded
memory.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import holidays
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from shapely.geometry import box

from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START, LAUNCH, LAUNCH_ZONE
from nightmap.schema import EVENTS, FOOTFALL, SALES

__all__ = [
    "CAMPAIGN_END",
    "CAMPAIGN_START",
    "CATEGORIES",
    "LAUNCH_ZONE",
    "SimulatedData",
    "rain_nights",
    "run_simulation",
    "simulate",
    "synthetic_zones",
]

CATEGORIES: tuple[str, ...] = ("eat", "play", "shop")
"""Sales categories in output order (alphabetical, so rows sort by category)."""

LAUNCH_NIGHT = LAUNCH.date()
FATHERS_DAY_NIGHTS = (dt.date(2022, 6, 18), dt.date(2022, 6, 19))
VOUCHER_ROUNDS = (dt.date(2022, 6, 17), dt.date(2022, 6, 24))
"""Issuance dates of the catering-voucher rounds (our choice; the seed gives none)."""

FOOTFALL_COLUMNS = list(FOOTFALL.names)
SALES_COLUMNS = list(SALES.names)
EVENT_COLUMNS = list(EVENTS.names)

_HOURS = 24
_NIGHT_START_HOUR = 6
_T = _NIGHT_START_HOUR + 0.5 + np.arange(_HOURS)  # clock hour at mid-hour, 6.5 … 29.5
_CLOCK = (_NIGHT_START_HOUR + np.arange(_HOURS)) % 24
_EPOCH = dt.date(1970, 1, 1)
_REF_DOY = 166  # mid-June: profile sizes are June weekday levels
_PEAK_DOY = 196  # mid-July: the warmest, busiest nights

# spawn-key tags for the seed sequence
_TAG_ZONE_MONTH = 1
_TAG_CITY_MONTH = 2
_TAG_PROFILE = 3
_TAG_EVENTS = 4
_TAG_SYNTHETIC = 5

_K_FOOTFALL = 120.0  # gamma-Poisson shape: variance = mu + mu**2 / k
_K_ORDERS = 60.0
_SIGMA_ZONE_NIGHT = 0.07
_SIGMA_CITY_NIGHT = 0.05

# night type → factor: (today off?, tomorrow off?) drives going out
_WORK_WORK = np.array([0.86, 0.85, 0.88, 0.91, 0.93, 0.90, 0.88])  # by weekday, Mon..Sun
_WORK_OFF = 1.22  # Friday-like
_OFF_OFF = 1.32  # Saturday-like
_OFF_WORK = 1.00  # Sunday-like

_RAIN_PER_MONTH = (1, 1, 2, 3, 3, 3, 5, 5, 3, 2, 2, 1)

SYNTHETIC_NOTE = "合成，用于规模测试 / synthetic, for scale tests"


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class _Cat:
    mix: float  # share of the zone's footfall drawn by this category
    conv: float  # orders per visitor
    aov: float  # yuan per order
    cv: float  # coefficient of variation of one order's value
    peak: float  # clock hour of the evening peak
    close: float  # clock hour of closing (24+ = after midnight)
    sharp: float = 0.6  # how abruptly it closes (hours)


@dataclass(frozen=True)
class _Profile:
    kind: str
    visitors: float  # June weekday night, whole 06:00–05:59
    cats: dict[str, _Cat]
    day: float = 0.2  # daytime level relative to the evening peak
    open_h: float = 10.0
    lunch: float = 0.3
    uplift: float = 0.15  # campaign footfall uplift
    rain: float = 0.55  # share of footfall lost on a heavy rain night
    amp: float = 1.0  # sensitivity to the day type (weekend, holiday)
    season: float = 0.20  # amplitude of the yearly cycle


def _street_cat(mix: float, conv: float, aov: float, cv: float, peak: float, close: float) -> _Cat:
    return _Cat(mix, conv, aov, cv, peak, close, 0.75)


def _complex_cat(mix: float, conv: float, aov: float, cv: float, peak: float, close: float) -> _Cat:
    return _Cat(mix, conv, aov, cv, peak, close, 0.3)


_PROFILES: dict[str, _Profile] = {
    # outer squares: snacks and restaurants round the square, rides and square dancing in the evening
    "wanda_square": _Profile(
        "street", 6500,
        {"eat": _street_cat(0.6, 0.30, 48, 0.6, 20.2, 24.6), "play": _street_cat(0.4, 0.12, 30, 0.5, 20.3, 22.6)},
        day=0.15, uplift=0.22, rain=0.55,
    ),
    "wangfujing_square": _Profile(
        "street", 4800,
        {"eat": _street_cat(0.6, 0.28, 45, 0.6, 20.0, 24.2), "play": _street_cat(0.4, 0.10, 28, 0.5, 20.3, 22.6)},
        day=0.15, uplift=0.18, rain=0.55,
    ),
    # the main pedestrian street and launch venue
    "xinan_road": _Profile(
        "street", 9500,
        {
            "eat": _street_cat(0.50, 0.38, 52, 0.7, 20.8, 26.0),
            "shop": _street_cat(0.35, 0.10, 160, 0.9, 19.4, 22.8),
            "play": _street_cat(0.15, 0.06, 35, 0.5, 20.4, 23.0),
        },
        day=0.22, uplift=0.30, rain=0.55,
    ),
    # 京水岸 antiques street, the night-economy highlight: few large antique sales
    "mengzhou_road": _Profile(
        "street", 5200,
        {
            "shop": _street_cat(0.50, 0.07, 280, 1.4, 19.6, 23.0),
            "play": _street_cat(0.30, 0.12, 25, 0.5, 20.4, 23.0),
            "eat": _street_cat(0.20, 0.18, 38, 0.6, 20.3, 24.5),
        },
        day=0.18, uplift=0.36, rain=0.6, amp=1.1,
    ),
    # food market: many small orders, a daytime market too, open late
    "xiaowoniu_market": _Profile(
        "street", 5600,
        {"eat": _street_cat(1.0, 0.92, 26, 0.5, 20.9, 26.6)},
        day=0.40, open_h=7.0, lunch=0.8, uplift=0.27, rain=0.5, amp=0.85,
    ),
    "dayangshu_street": _Profile(
        "street", 3900,
        {"eat": _street_cat(0.65, 0.35, 55, 0.7, 20.8, 25.6), "play": _street_cat(0.35, 0.08, 30, 0.5, 20.3, 23.0)},
        day=0.18, uplift=0.16, rain=0.55,
    ),
    # laggard 1: an ageing shopping street that the campaign hardly moves
    "hongkong_city": _Profile(
        "street", 3400,
        {"shop": _street_cat(0.65, 0.14, 120, 0.8, 19.3, 22.5), "eat": _street_cat(0.35, 0.25, 42, 0.6, 20.0, 24.0)},
        day=0.28, uplift=0.01, rain=0.5,
    ),
    "jinxiang_street": _Profile(
        "street", 3000,
        {"eat": _street_cat(0.60, 0.34, 50, 0.7, 20.8, 25.6), "shop": _street_cat(0.40, 0.10, 110, 0.8, 19.4, 22.5)},
        day=0.2, uplift=0.13, rain=0.55,
    ),
    "xindasha_square": _Profile(
        "street", 3600,
        {"eat": _street_cat(0.55, 0.28, 42, 0.6, 20.1, 24.6), "play": _street_cat(0.45, 0.12, 25, 0.5, 20.3, 22.6)},
        day=0.15, uplift=0.20, rain=0.55,
    ),
    # complexes: daytime trade, an early evening peak, closing at 22:00
    "wanda_mall": _Profile(
        "complex", 14000,
        {
            "shop": _complex_cat(0.50, 0.14, 330, 0.9, 19.2, 22.0),
            "eat": _complex_cat(0.35, 0.22, 88, 0.6, 19.0, 22.3),
            "play": _complex_cat(0.15, 0.07, 85, 0.5, 19.8, 22.3),
        },
        day=0.50, uplift=0.15, rain=0.18, amp=0.85, season=0.08,
    ),
    "wangfujing_store": _Profile(
        "complex", 8200,
        {"shop": _complex_cat(0.65, 0.16, 360, 0.9, 19.1, 22.0), "eat": _complex_cat(0.35, 0.20, 80, 0.6, 19.0, 22.2)},
        day=0.50, uplift=0.10, rain=0.18, amp=0.85, season=0.08,
    ),
    # laggard 2: the old department store, fewer and larger orders, no campaign effect
    "baihuo_dalou": _Profile(
        "complex", 3200,
        {"shop": _complex_cat(1.0, 0.13, 300, 0.6, 18.8, 21.6)},
        day=0.55, uplift=-0.01, rain=0.15, amp=0.8, season=0.08,
    ),
    "xinya_mall": _Profile(
        "complex", 4600,
        {"shop": _complex_cat(0.60, 0.15, 260, 0.8, 19.1, 22.0), "eat": _complex_cat(0.40, 0.20, 70, 0.6, 19.0, 22.2)},
        day=0.50, uplift=0.07, rain=0.18, amp=0.85, season=0.08,
    ),
}


def _zone_key(zone_id: str) -> int:
    """A stable 32-bit key of a zone id (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(zone_id.encode("utf-8"))


def _check_seed(seed: int) -> int:
    seed = int(seed)
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return seed


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def _as_categories(value: Any) -> list[str]:
    """Normalise a zone's ``categories`` cell (list, array, JSON or comma text) to known categories."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = [p for p in re.split(r"[,;|\s]+", text) if p]
        value = parsed if isinstance(parsed, list) else [parsed]
    try:
        items = [str(v).strip().lower() for v in value]
    except TypeError:
        return []
    out: list[str] = []
    for item in items:
        if item in CATEGORIES and item not in out:
            out.append(item)
    return out


def _drawn_profile(zone_id: str, kind: str, cats: list[str], *, seed: int) -> _Profile:
    """A plausible profile for a zone we know nothing about, drawn from its kind."""
    rng = _rng(seed, _TAG_PROFILE, _zone_key(zone_id))
    is_complex = kind == "complex"
    if not cats:
        first = rng.choice(["shop", "eat"] if is_complex else ["eat", "eat", "shop", "play"])
        others = [c for c in CATEGORIES if c != first and rng.random() < 0.5]
        cats = [str(first), *others]
    shares = np.array([0.6, 0.28, 0.12][: len(cats)])
    shares = shares / shares.sum()
    laggard = rng.random() < 0.15
    uplift = float(rng.uniform(-0.03, 0.03) if laggard else rng.uniform(0.08, 0.38))
    out: dict[str, _Cat] = {}
    if is_complex:
        for cat, share in zip(cats, shares, strict=True):
            close = float(rng.uniform(21.6, 22.2))
            if cat == "shop":
                out[cat] = _complex_cat(share, rng.uniform(0.10, 0.17), rng.uniform(200, 420), 0.9, 19.1, close)
            elif cat == "eat":
                out[cat] = _complex_cat(share, rng.uniform(0.18, 0.26), rng.uniform(60, 95), 0.6, 19.0, close + 0.2)
            else:
                out[cat] = _complex_cat(share, rng.uniform(0.05, 0.09), rng.uniform(60, 100), 0.5, 19.8, close + 0.2)
        return _Profile(
            "complex", float(rng.lognormal(np.log(6000), 0.45)), out,
            day=float(rng.uniform(0.45, 0.6)), uplift=uplift, rain=float(rng.uniform(0.12, 0.22)),
            amp=float(rng.uniform(0.8, 0.9)), season=0.08,
        )
    market = cats[0] == "eat" and rng.random() < 0.2
    for cat, share in zip(cats, shares, strict=True):
        if cat == "eat" and market:
            out[cat] = _street_cat(share, rng.uniform(0.75, 0.95), rng.uniform(22, 35), 0.5, 20.6, rng.uniform(25.5, 26.8))
        elif cat == "eat":
            out[cat] = _street_cat(share, rng.uniform(0.25, 0.42), rng.uniform(35, 65), 0.7, 20.3, rng.uniform(24.0, 26.3))
        elif cat == "shop":
            out[cat] = _street_cat(share, rng.uniform(0.08, 0.14), rng.uniform(90, 220), 0.9, 19.4, rng.uniform(22.0, 23.0))
        else:
            out[cat] = _street_cat(share, rng.uniform(0.06, 0.12), rng.uniform(25, 45), 0.5, 20.3, rng.uniform(22.3, 23.3))
    return _Profile(
        "street", float(rng.lognormal(np.log(4000), 0.4)), out,
        day=float(rng.uniform(0.4, 0.5) if market else rng.uniform(0.12, 0.3)),
        open_h=7.0 if market else 10.0, lunch=0.8 if market else 0.3,
        uplift=uplift, rain=float(rng.uniform(0.45, 0.6)), amp=float(rng.uniform(0.9, 1.1)),
    )


def _curve(cat: _Cat, prof: _Profile) -> np.ndarray:
    """Share of a category's night in each of the 24 hours (06:00 … 05:00), summing to 1."""
    width = np.where(_T < cat.peak, 2.0, 2.6)
    evening = np.exp(-0.5 * ((_T - cat.peak) / width) ** 2)
    opening = 1.0 / (1.0 + np.exp(-(_T - prof.open_h) / 0.7))
    lunch = 1.0 + prof.lunch * np.exp(-0.5 * ((_T - 12.3) / 1.0) ** 2)
    closing = 1.0 / (1.0 + np.exp(-(cat.close - _T) / cat.sharp))
    shape = (evening + prof.day * opening * lunch) * closing + 2e-4
    return shape / shape.sum()


@dataclass(frozen=True)
class _Zones:
    """The zones' profiles as arrays, zones sorted by id."""

    ids: tuple[str, ...]
    first_cat: tuple[str, ...]
    is_complex: np.ndarray  # (Z,) bool
    visitors: np.ndarray  # (Z,)
    foot_curve: np.ndarray  # (Z, 24) sums to 1
    ratio: np.ndarray  # (Z, 24, 3) category curve / footfall curve
    conv: np.ndarray  # (Z, 3)
    aov: np.ndarray  # (Z, 3)
    cv2: np.ndarray  # (Z, 3) squared coefficient of variation of an order
    uplift: np.ndarray
    rain: np.ndarray
    amp: np.ndarray
    season: np.ndarray
    keys: np.ndarray  # (Z,) CRC-32 of the ids

    @property
    def n(self) -> int:
        return len(self.ids)


def _zone_arrays(zones: pd.DataFrame, *, seed: int) -> _Zones:
    if "zone_id" not in zones.columns:
        raise ValueError("zones need a zone_id column")
    rows = zones.drop_duplicates("zone_id").sort_values("zone_id", kind="stable")
    ids = tuple(str(z) for z in rows["zone_id"])
    kinds = [str(k) if "kind" in rows.columns else "street" for k in (rows["kind"] if "kind" in rows.columns else ids)]
    cat_cells = rows["categories"] if "categories" in rows.columns else [None] * len(ids)
    profiles = []
    for zid, kind, cell in zip(ids, kinds, cat_cells, strict=True):
        prof = _PROFILES.get(zid)
        profiles.append(prof if prof is not None else _drawn_profile(zid, kind, _as_categories(cell), seed=seed))
    z = len(ids)
    foot = np.zeros((z, _HOURS))
    ratio = np.zeros((z, _HOURS, 3))
    conv = np.zeros((z, 3))
    aov = np.ones((z, 3))
    cv2 = np.ones((z, 3))
    first = []
    for i, prof in enumerate(profiles):
        total_mix = sum(c.mix for c in prof.cats.values())
        curves = np.zeros((_HOURS, 3))
        for j, name in enumerate(CATEGORIES):
            cat = prof.cats.get(name)
            if cat is None:
                continue
            curves[:, j] = _curve(cat, prof)
            foot[i] += cat.mix / total_mix * curves[:, j]
            conv[i, j], aov[i, j], cv2[i, j] = cat.conv, cat.aov, cat.cv**2
        ratio[i] = np.minimum(curves / foot[i][:, None], 4.0)
        first.append(max(prof.cats, key=lambda n, p=prof: p.cats[n].mix))
    return _Zones(
        ids=ids,
        first_cat=tuple(first),
        is_complex=np.array([p.kind == "complex" for p in profiles], dtype=bool),
        visitors=np.array([p.visitors for p in profiles]),
        foot_curve=foot,
        ratio=ratio,
        conv=conv,
        aov=aov,
        cv2=cv2,
        uplift=np.array([p.uplift for p in profiles]),
        rain=np.array([p.rain for p in profiles]),
        amp=np.array([p.amp for p in profiles]),
        season=np.array([p.season for p in profiles]),
        keys=np.array([_zone_key(i) for i in ids], dtype=np.uint64),
    )


# --------------------------------------------------------------------------- calendar


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


# --------------------------------------------------------------------------- events


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


# --------------------------------------------------------------------------- the month generator


@dataclass(frozen=True)
class _Block:
    """One calendar month of simulated rows (already cut to the requested nights), sorted by ts, zone, category."""

    hours: np.ndarray  # (H,) int64 seconds since epoch, one per hour
    visitors: np.ndarray  # (H, Z) int64
    orders: np.ndarray  # (H, Z, 3) int64
    cents: np.ndarray  # (H, Z, 3) int64


class _Simulator:
    def __init__(self, zones: pd.DataFrame, *, seed: int, start: dt.date, end: dt.date) -> None:
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        self.seed = _check_seed(seed)
        self.start, self.end = start, end
        self.zones = _zone_arrays(zones, seed=self.seed)
        self.cal = _Calendar()
        # plan whole months, so that a night's values never depend on the requested range …
        first = start.replace(day=1)
        last = end.replace(day=calendar.monthrange(end.year, end.month)[1])
        events, effects = _plan_events(self.zones, seed=self.seed, start=first, end=last, cal=self.cal)
        # … but report only the events that touch the requested nights, clipped to them
        lo = dt.datetime.combine(start, dt.time(_NIGHT_START_HOUR))
        hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(_NIGHT_START_HOUR))
        kept = []
        for ev in events:
            if ev["end"] > lo and ev["start"] < hi:
                kept.append({**ev, "start": max(ev["start"], lo), "end": min(ev["end"], hi)})
        self.events = _events_frame(kept)
        self.effects: dict[tuple[int, int], list[_Effect]] = {}
        for eff in effects:
            self.effects.setdefault((eff.night.year, eff.night.month), []).append(eff)

    def blocks(self) -> Iterator[_Block]:
        for year, month in _months(self.start, self.end):
            yield self._month(year, month)

    def _night_factor(self, days: list[dt.date], rain: dict[dt.date, float]) -> np.ndarray:
        zs = self.zones
        base, street, cplx = _day_factors(days, self.cal)
        nf = 1.0 + zs.amp[:, None] * (base[None, :] - 1.0)
        nf *= np.where(zs.is_complex[:, None], cplx[None, :], street[None, :])
        doy = np.array([d.timetuple().tm_yday for d in days], dtype=float)
        wave = np.cos(2 * np.pi * (doy - _PEAK_DOY) / 365.25)
        ref = np.cos(2 * np.pi * (_REF_DOY - _PEAK_DOY) / 365.25)
        nf *= (1.0 + zs.season[:, None] * wave[None, :]) / (1.0 + zs.season[:, None] * ref)
        years = np.array([(d - dt.date(2022, 6, 15)).days / 365.25 for d in days])
        nf *= (1.035**years)[None, :]
        wet = np.array([rain.get(d, 0.0) for d in days])
        nf *= 1.0 - zs.rain[:, None] * wet[None, :]
        n_camp = (CAMPAIGN_END - CAMPAIGN_START).days
        ramp = np.array([
            1.25 - 0.5 * (d - CAMPAIGN_START).days / n_camp if CAMPAIGN_START <= d <= CAMPAIGN_END else 0.0
            for d in days
        ])
        nf *= 1.0 + zs.uplift[:, None] * ramp[None, :]
        return nf

    def _month(self, year: int, month: int) -> _Block:
        zs = self.zones
        days = _month_days(year, month)
        n_days, n_z = len(days), zs.n
        rain = _rain_for_month(self.seed, year, month)
        nf = self._night_factor(days, rain)  # (Z, N)
        city = _rng(self.seed, _TAG_CITY_MONTH, year, month, 1)
        nf *= np.exp(city.normal(-_SIGMA_CITY_NIGHT**2 / 2, _SIGMA_CITY_NIGHT, size=n_days))[None, :]
        foot_mult = np.ones((n_z, n_days, _HOURS))
        conv_mult = np.ones((n_z, n_days, _HOURS, 3))
        aov_mult = np.ones((n_z, n_days, 3))
        for eff in self.effects.get((year, month), []):
            d = eff.night.day - 1
            foot_mult[eff.zone, d] *= eff.foot
            conv_mult[eff.zone, d] *= eff.conv
            aov_mult[eff.zone, d] *= eff.aov
        mu = (zs.visitors[:, None] * nf)[:, :, None] * zs.foot_curve[:, None, :] * foot_mult  # (Z, N, 24)
        rate = zs.conv[:, None, None, :] * zs.ratio[:, None, :, :] * conv_mult  # (Z, N, 24, 3)
        price = zs.aov[:, None, :] * aov_mult  # (Z, N, 3)
        visitors = np.empty((n_z, n_days, _HOURS), dtype=np.int64)
        orders = np.empty((n_z, n_days, _HOURS, 3), dtype=np.int64)
        spend = np.empty((n_z, n_days, _HOURS, 3))
        sig = _SIGMA_ZONE_NIGHT
        for z in range(n_z):  # one generator per (zone, month): values do not depend on chunking
            rng = _rng(self.seed, _TAG_ZONE_MONTH, int(zs.keys[z]), year, month)
            night = np.exp(rng.normal(-(sig**2) / 2, sig, size=n_days))
            m = mu[z] * night[:, None]
            v = rng.poisson(rng.gamma(_K_FOOTFALL, m / _K_FOOTFALL))
            lam = v[:, :, None] * rate[z]
            o = rng.poisson(rng.gamma(_K_ORDERS, lam / _K_ORDERS + 1e-12))
            o = np.minimum(o, v[:, :, None])
            cv2 = zs.cv2[z]
            spend[z] = rng.gamma(o / cv2, (price[z] * cv2)[:, None, :])
            visitors[z], orders[z] = v, o
        cents = np.rint(spend * 100.0).astype(np.int64)
        cents = np.where(orders > 0, np.maximum(cents, orders * 100), 0)  # at least 1 元 an order
        lo = max(0, (self.start - days[0]).days)
        hi = n_days - max(0, (days[-1] - self.end).days)
        first = (days[0] - _EPOCH).days * 86400 + _NIGHT_START_HOUR * 3600
        hours = first + 3600 * np.arange(lo * _HOURS, hi * _HOURS, dtype=np.int64)
        return _Block(
            hours=hours,
            visitors=visitors[:, lo:hi].reshape(n_z, -1).T.copy(),
            orders=orders[:, lo:hi].reshape(n_z, -1, 3).transpose(1, 0, 2).copy(),
            cents=cents[:, lo:hi].reshape(n_z, -1, 3).transpose(1, 0, 2).copy(),
        )


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class SimulatedData:
    """What :func:`simulate` returns: the three tables of the data contract.

    Attributes
    ----------
    footfall : pandas.DataFrame
        ``zone_id, ts, visitors``.
    sales : pandas.DataFrame
        ``zone_id, ts, category, spend_cny, orders``.
    events : pandas.DataFrame
        ``event_id, zone_id, start, end, category, kind, title_zh, title_en, expected_visitors, simulated``.
    """

    footfall: pd.DataFrame
    sales: pd.DataFrame
    events: pd.DataFrame


def _block_columns(block: _Block, zone_ids: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    n_h, n_z = block.visitors.shape
    ts_f = np.repeat(block.hours, n_z)
    zone_f = np.tile(np.arange(n_z), n_h)
    foot = {"ts": ts_f, "zone": zone_f, "visitors": block.visitors.ravel()}
    sales = {
        "ts": np.repeat(block.hours, n_z * 3),
        "zone": np.repeat(zone_f, 3),
        "cat": np.tile(np.arange(3), n_h * n_z),
        "orders": block.orders.ravel(),
        "cents": block.cents.ravel(),
    }
    return foot, sales


def simulate(
    zones: pd.DataFrame,
    *,
    seed: int,
    start: dt.date = dt.date(2022, 6, 3),
    end: dt.date = dt.date(2022, 6, 30),
) -> SimulatedData:
    """Simulate hourly footfall, sales and events for ``zones`` over the nights ``start``–``end``.

    Parameters
    ----------
    zones : pandas.DataFrame
        At least ``zone_id``; ``kind`` and ``categories`` (list, in order of
        importance) shape the profile of zones other than the 13 campaign zones.
    seed : int
        Non-negative seed; the same seed and arguments give the same values.
    start, end : datetime.date
        First and last night (inclusive). Night D covers D 06:00 to D+1 05:00.

    Returns
    -------
    SimulatedData
        Footfall, sales and events in the contract's columns, ``ts`` as ``datetime64[us]``,
        rows sorted by ts, zone_id (and category).
    """
    sim = _Simulator(zones, seed=seed, start=start, end=end)
    ids = np.array(sim.zones.ids, dtype=object)
    cats = np.array(CATEGORIES, dtype=object)
    feet, sales = [], []
    for block in sim.blocks():
        f, s = _block_columns(block, sim.zones.ids)
        feet.append(pd.DataFrame({
            "zone_id": pd.array(ids[f["zone"]], dtype="str"),
            "ts": (f["ts"] * 1_000_000).astype("datetime64[us]"),
            "visitors": f["visitors"].astype(np.int64),
        }))
        sales.append(pd.DataFrame({
            "zone_id": pd.array(ids[s["zone"]], dtype="str"),
            "ts": (s["ts"] * 1_000_000).astype("datetime64[us]"),
            "category": pd.array(cats[s["cat"]], dtype="str"),
            "spend_cny": s["cents"] / 100.0,
            "orders": s["orders"].astype(np.int64),
        }))
    footfall = pd.concat(feet, ignore_index=True) if feet else pd.DataFrame(columns=FOOTFALL_COLUMNS)
    sales_df = pd.concat(sales, ignore_index=True) if sales else pd.DataFrame(columns=SALES_COLUMNS)
    return SimulatedData(footfall=footfall, sales=sales_df, events=sim.events)


# --------------------------------------------------------------------------- synthetic zones


def synthetic_zones(n_total: int, *, seed: int, base: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``base`` plus ``n_total - len(base)`` synthetic zones for scale tests.

    Synthetic zones are 100 m squares on a 250 m grid filled ring by ring outward
    from Jiaozuo's centre (≈ 113.24 E, 35.22 N), skipping cells that touch a base
    zone, so hundreds fit without overlapping.

    Parameters
    ----------
    n_total : int
        Number of zones wanted in total; if not above ``len(base)``, ``base`` is returned unchanged.
    seed : int
        Seed for kinds, categories and the small jitter of positions.
    base : geopandas.GeoDataFrame
        The real zones (columns zone_id, name_zh, name_en, kind, categories,
        address_zh, location_note, location_confidence, geometry).

    Returns
    -------
    geopandas.GeoDataFrame
        Same columns as ``base``, EPSG:4326, ids ``syn_0001`` … after the base rows.
    """
    seed = _check_seed(seed)
    base = base.to_crs(4326) if base.crs is not None and base.crs.to_epsg() != 4326 else base
    n_new = int(n_total) - len(base)
    if n_new <= 0:
        return base.copy()
    rng = _rng(seed, _TAG_SYNTHETIC)
    lon0, lat0 = 113.24, 35.22
    m_lat = 1.0 / 111_320.0
    m_lon = 1.0 / (111_320.0 * np.cos(np.radians(lat0)))
    step, half, jitter = 250.0, 50.0, 50.0
    taken = base.geometry.union_all().buffer(60 * m_lat) if len(base) else None
    radius = int(np.ceil(np.sqrt((n_new + len(base) * 4) / np.pi))) + 2
    while True:
        gx, gy = np.meshgrid(np.arange(-radius, radius + 1), np.arange(-radius, radius + 1))
        gx, gy = gx.ravel(), gy.ravel()
        order = np.lexsort((np.arctan2(gy, gx), np.hypot(gx, gy)))
        gx, gy = gx[order], gy[order]
        jx = rng.uniform(-jitter, jitter, size=gx.size)
        jy = rng.uniform(-jitter, jitter, size=gx.size)
        rows: list[dict[str, Any]] = []
        for x, y, dx, dy in zip(gx, gy, jx, jy, strict=True):
            cx = lon0 + (x * step + dx) * m_lon
            cy = lat0 + (y * step + dy) * m_lat
            cell = box(cx - half * m_lon, cy - half * m_lat, cx + half * m_lon, cy + half * m_lat)
            if taken is not None and cell.intersects(taken):
                continue
            rows.append({"geometry": cell})
            if len(rows) == n_new:
                break
        if len(rows) == n_new:
            break
        radius *= 2
    kinds = rng.choice(["street", "complex"], size=n_new, p=[0.7, 0.3])
    width = max(4, len(str(n_new)))
    for i, (row, kind) in enumerate(zip(rows, kinds, strict=True), start=1):
        if kind == "complex":
            first = "shop" if rng.random() < 0.8 else "eat"
        else:
            first = str(rng.choice(["eat", "shop", "play"], p=[0.55, 0.25, 0.2]))
        cats = [first] + [c for c in ("eat", "shop", "play") if c != first and rng.random() < 0.45]
        num = f"{i:0{width}d}"
        row.update({
            "zone_id": f"syn_{num}",
            "name_zh": f"合成片区{num}",
            "name_en": f"Synthetic zone {num}",
            "kind": str(kind),
            "categories": cats,
            "address_zh": "合成地址（规模测试）",
            "location_note": SYNTHETIC_NOTE,
            "location_confidence": "none",
        })
    columns = [c for c in base.columns if c != base.geometry.name]
    extra = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    for col in columns:
        if col not in extra.columns:
            extra[col] = None
    extra = extra[[*columns, "geometry"]]
    if base.geometry.name != "geometry":
        extra = extra.rename_geometry(base.geometry.name)
    out = pd.concat([base, extra], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry=base.geometry.name, crs=4326)


# --------------------------------------------------------------------------- writing


_FRAC = pa.array([f"{i:02d}" for i in range(100)])
_FOOT_SCHEMA = pa.schema([("zone_id", pa.string()), ("ts", pa.timestamp("us")), ("visitors", pa.int64())])
_SALES_SCHEMA = pa.schema([
    ("zone_id", pa.string()),
    ("ts", pa.timestamp("us")),
    ("category", pa.string()),
    ("spend_cny", pa.float64()),
    ("orders", pa.int64()),
])
_EVENT_SCHEMA = pa.schema([
    ("event_id", pa.string()),
    ("zone_id", pa.string()),
    ("start", pa.timestamp("us")),
    ("end", pa.timestamp("us")),
    ("category", pa.string()),
    ("kind", pa.string()),
    ("title_zh", pa.string()),
    ("title_en", pa.string()),
    ("expected_visitors", pa.int64()),
    ("simulated", pa.bool_()),
])


def _money_text(cents: np.ndarray) -> pa.Array:
    """Yuan with exactly two decimals (``1234.50``) from integer cents, vectorised in Arrow."""
    arr = pa.array(cents, type=pa.int64())
    whole = pc.cast(pa.array(cents // 100, type=pa.int64()), pa.string())
    frac = _FRAC.take(pa.array(cents % 100, type=pa.int64()))
    return pc.binary_join_element_wise(whole, frac, ".") if len(arr) else pa.array([], pa.string())


class _Sink:
    """Appends footfall and sales blocks to CSV files or Parquet files."""

    def __init__(self, out_dir: Path, fmt: str) -> None:
        self.fmt = fmt
        self.paths = {name: out_dir / f"{name}.{fmt}" for name in ("footfall", "sales")}
        if fmt == "csv":
            self._files = {n: pa.OSFile(str(p), "wb") for n, p in self.paths.items()}
            self._files["footfall"].write(b"zone_id,ts,visitors\n")
            self._files["sales"].write(b"zone_id,ts,category,spend_cny,orders\n")
            self._opts = pa_csv.WriteOptions(include_header=False, quoting_style="none", batch_size=1 << 16)
        else:
            self._writers = {
                "footfall": pq.ParquetWriter(str(self.paths["footfall"]), _FOOT_SCHEMA, compression="zstd"),
                "sales": pq.ParquetWriter(str(self.paths["sales"]), _SALES_SCHEMA, compression="zstd"),
            }

    def write(self, block: _Block, zone_ids: pa.Array) -> None:
        foot, sales = _block_columns(block, ())
        f_zone = zone_ids.take(pa.array(foot["zone"]))
        s_zone = zone_ids.take(pa.array(sales["zone"]))
        s_cat = pa.array(list(CATEGORIES)).take(pa.array(sales["cat"]))
        if self.fmt == "csv":
            ts_type = pa.timestamp("s")
            f_tab = pa.table({"zone_id": f_zone, "ts": pa.array(foot["ts"], ts_type), "visitors": foot["visitors"]})
            s_tab = pa.table({
                "zone_id": s_zone,
                "ts": pa.array(sales["ts"], ts_type),
                "category": s_cat,
                "spend_cny": _money_text(sales["cents"]),
                "orders": sales["orders"],
            })
            pa_csv.write_csv(f_tab, self._files["footfall"], write_options=self._opts)
            pa_csv.write_csv(s_tab, self._files["sales"], write_options=self._opts)
        else:
            us = pa.timestamp("us")
            f_tab = pa.table(
                [f_zone, pa.array(foot["ts"] * 1_000_000, us), pa.array(foot["visitors"], pa.int64())],
                schema=_FOOT_SCHEMA,
            )
            s_tab = pa.table(
                [s_zone, pa.array(sales["ts"] * 1_000_000, us), s_cat,
                 pa.array(sales["cents"] / 100.0, pa.float64()), pa.array(sales["orders"], pa.int64())],
                schema=_SALES_SCHEMA,
            )
            self._writers["footfall"].write_table(f_tab)
            self._writers["sales"].write_table(s_tab)

    def close(self) -> None:
        if self.fmt == "csv":
            for f in self._files.values():
                f.close()
        else:
            for w in self._writers.values():
                w.close()


def _write_events(events: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        data = {col: events[col].tolist() for col in EVENT_COLUMNS}
        for col in ("start", "end"):
            data[col] = [t.to_pydatetime() for t in events[col]]
        data["expected_visitors"] = [None if pd.isna(v) else int(v) for v in events["expected_visitors"]]
        pq.write_table(pa.table(data, schema=_EVENT_SCHEMA), str(path), compression="zstd")
        return
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(EVENT_COLUMNS)
    for row in events.itertuples(index=False):
        rec = row._asdict()
        writer.writerow([
            rec["event_id"],
            rec["zone_id"],
            f"{rec['start']:%Y-%m-%d %H:%M:%S}",
            f"{rec['end']:%Y-%m-%d %H:%M:%S}",
            rec["category"],
            rec["kind"],
            rec["title_zh"],
            rec["title_en"],
            "" if pd.isna(rec["expected_visitors"]) else str(int(rec["expected_visitors"])),
            "true" if rec["simulated"] else "false",
        ])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def _write_zones(zones: gpd.GeoDataFrame, path: Path) -> None:
    frame = zones.copy()
    if "categories" in frame.columns:
        frame["categories"] = [_as_categories(c) for c in frame["categories"]]
    text = frame.to_json(ensure_ascii=False, indent=1, drop_id=True)
    path.write_bytes((text + "\n").encode("utf-8"))


def run_simulation(
    *,
    out_dir: Path,
    seed: int,
    zones: gpd.GeoDataFrame,
    n_zones: int | None = None,
    start: dt.date,
    end: dt.date,
    fmt: str = "csv",
) -> list[Path]:
    """Simulate and write ``footfall``, ``sales`` and ``events`` files, one calendar month at a time.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder to write into (created if missing); existing files are replaced.
    seed : int
        Non-negative seed; the same seed and arguments give byte-identical files.
    zones : geopandas.GeoDataFrame
        The zones to simulate.
    n_zones : int, optional
        Total number of zones: more than ``len(zones)`` adds synthetic zones (see
        :func:`synthetic_zones`) and writes ``zones.geojson``; fewer keeps the first ``n_zones``.
    start, end : datetime.date
        First and last night (inclusive).
    fmt : {"csv", "parquet"}
        File format. CSV is UTF-8 without BOM, ``\\n`` line endings, money with two decimals.

    Returns
    -------
    list of pathlib.Path
        The files written: footfall, sales, events (and zones.geojson when synthetic zones were added).
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written_zones: Path | None = None
    if n_zones is not None and n_zones > len(zones):
        zones = synthetic_zones(n_zones, seed=seed, base=zones)
        written_zones = out_dir / "zones.geojson"
        _write_zones(zones, written_zones)
    elif n_zones is not None:
        zones = zones.iloc[: max(0, int(n_zones))]
    sim = _Simulator(zones, seed=seed, start=start, end=end)
    sink = _Sink(out_dir, fmt)
    zone_ids = pa.array(list(sim.zones.ids), pa.string())
    try:
        for block in sim.blocks():
            sink.write(block, zone_ids)
    finally:
        sink.close()
    events_path = out_dir / f"events.{fmt}"
    _write_events(sim.events, events_path, fmt)
    paths = [sink.paths["footfall"], sink.paths["sales"], events_path]
    if written_zones is not None:
        paths.append(written_zones)
    return paths
