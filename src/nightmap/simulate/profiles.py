"""Zone profiles: category mixes, conversion, order values and hourly curves.

The 13 campaign zones have hand-set profiles (:data:`_PROFILES`): how many
visitors a June weekday night brings, how they split over eat / play / shop,
orders per visitor and yuan per order, when each category peaks and closes,
the campaign uplift and how much rain hurts. Any other zone gets a plausible
profile drawn from its kind (street or complex) and categories
(:func:`_drawn_profile`). :func:`_zone_arrays` turns the profiles of a zone
table into the arrays (:class:`_Zones`) the hourly draw works on.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nightmap.simulate.core import _HOURS, _T, _TAG_PROFILE, CATEGORIES, _rng, _zone_key


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
