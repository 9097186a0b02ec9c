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

Modules
-------
:mod:`~nightmap.simulate.core`
    Categories, contract columns, the night's 24-hour grid, spawn-key tags and
    the seeded generators shared by the others.
:mod:`~nightmap.simulate.calendar`
    Day types, holiday breaks, Spring Festival eve and Lantern Festival, months
    and seeded rainy nights (:func:`rain_nights`).
:mod:`~nightmap.simulate.profiles`
    The campaign zones' profiles (category mixes, conversion, order values,
    hourly curves), profiles drawn for other zones, and their array form.
:mod:`~nightmap.simulate.events`
    The event plan (launch ceremony, Father's Day promotion, vouchers, shows,
    markets, holiday events) and the effects of each event on a zone-night.
:mod:`~nightmap.simulate.draw`
    The month-by-month hourly draw (gamma-Poisson footfall and orders, gamma
    spend), :class:`SimulatedData` and :func:`simulate`.
:mod:`~nightmap.simulate.synthetic`
    :func:`synthetic_zones` for scale tests and :data:`SYNTHETIC_NOTE`.
:mod:`~nightmap.simulate.writers`
    CSV / Parquet sinks and :func:`run_simulation`.
"""

from __future__ import annotations

from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START, LAUNCH_ZONE
from nightmap.simulate.calendar import rain_nights
from nightmap.simulate.core import CATEGORIES, EVENT_COLUMNS, FOOTFALL_COLUMNS, LAUNCH_NIGHT, SALES_COLUMNS
from nightmap.simulate.draw import SimulatedData, simulate
from nightmap.simulate.events import FATHERS_DAY_NIGHTS, VOUCHER_ROUNDS
from nightmap.simulate.synthetic import SYNTHETIC_NOTE, synthetic_zones
from nightmap.simulate.writers import run_simulation

__all__ = [
    "CAMPAIGN_END",
    "CAMPAIGN_START",
    "CATEGORIES",
    "EVENT_COLUMNS",
    "FATHERS_DAY_NIGHTS",
    "FOOTFALL_COLUMNS",
    "LAUNCH_NIGHT",
    "LAUNCH_ZONE",
    "SALES_COLUMNS",
    "SYNTHETIC_NOTE",
    "VOUCHER_ROUNDS",
    "SimulatedData",
    "rain_nights",
    "run_simulation",
    "simulate",
    "synthetic_zones",
]
