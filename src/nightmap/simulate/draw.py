"""The hourly draw: per-night factors, event effects and gamma-Poisson counts, one month at a time.

:class:`_Simulator` plans the events of whole months, then yields one
:class:`_Block` per calendar month: a night factor per zone (day type,
holidays, season, yearly growth, rain, campaign uplift and city-wide noise)
times the zone's hourly curve and the event effects gives the expected
visitors; visitors, orders and spend are drawn as gamma-Poisson (negative
binomial) and gamma variates from one generator per (zone, month), so values
never depend on the requested range or on chunking. :func:`simulate` collects
the blocks into the contract's tables (:class:`SimulatedData`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START
from nightmap.simulate.calendar import _Calendar, _day_factors, _month_days, _months, _rain_for_month
from nightmap.simulate.core import (
    _EPOCH,
    _HOURS,
    _NIGHT_START_HOUR,
    _TAG_CITY_MONTH,
    _TAG_ZONE_MONTH,
    CATEGORIES,
    FOOTFALL_COLUMNS,
    SALES_COLUMNS,
    _check_seed,
    _rng,
)
from nightmap.simulate.events import _Effect, _events_frame, _plan_events
from nightmap.simulate.profiles import _zone_arrays

_REF_DOY = 166  # mid-June: profile sizes are June weekday levels
_PEAK_DOY = 196  # mid-July: the warmest, busiest nights

_K_FOOTFALL = 120.0  # gamma-Poisson shape: variance = mu + mu**2 / k
_K_ORDERS = 60.0
_SIGMA_ZONE_NIGHT = 0.07
_SIGMA_CITY_NIGHT = 0.05


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
