"""Shared building blocks of the simulator: categories, the night's hour grid and the seeded generators.

Every other module of :mod:`nightmap.simulate` builds on these: the sales
categories in output order, the contract's column names, the 24 hours of a
night (06:00 … 05:00 next day), the spawn-key tags that keep the random
streams of profiles, calendar, events, zones and synthetic zones apart, and
:func:`_rng`, which spawns one ``numpy`` generator per key from the seed with
:class:`numpy.random.SeedSequence`.
"""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np

from nightmap.campaign import LAUNCH
from nightmap.schema import EVENTS, FOOTFALL, SALES

CATEGORIES: tuple[str, ...] = ("eat", "play", "shop")
"""Sales categories in output order (alphabetical, so rows sort by category)."""

LAUNCH_NIGHT = LAUNCH.date()

FOOTFALL_COLUMNS = list(FOOTFALL.names)
SALES_COLUMNS = list(SALES.names)
EVENT_COLUMNS = list(EVENTS.names)

_HOURS = 24
_NIGHT_START_HOUR = 6
_T = _NIGHT_START_HOUR + 0.5 + np.arange(_HOURS)  # clock hour at mid-hour, 6.5 … 29.5
_CLOCK = (_NIGHT_START_HOUR + np.arange(_HOURS)) % 24
_EPOCH = dt.date(1970, 1, 1)

# spawn-key tags for the seed sequence
_TAG_ZONE_MONTH = 1
_TAG_CITY_MONTH = 2
_TAG_PROFILE = 3
_TAG_EVENTS = 4
_TAG_SYNTHETIC = 5


def _zone_key(zone_id: str) -> int:
    """A stable 32-bit key of a zone id (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(zone_id.encode("utf-8"))


def _check_seed(seed: int) -> int:
    """The seed as an ``int``; raises ``ValueError`` if it is negative."""
    seed = int(seed)
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return seed


def _rng(seed: int, *key: int) -> np.random.Generator:
    """The generator of one random stream: the seed's :class:`~numpy.random.SeedSequence` spawned at ``key``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))

