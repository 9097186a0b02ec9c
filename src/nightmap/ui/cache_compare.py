"""Cached queries of the 片区对比 (compare) and 活动 (events) pages.

Like :mod:`nightmap.ui.data`: results are cached per filter and per
:func:`nightmap.ui.data.data_token`, so a change of the data is never shown stale.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nightmap import compare, metrics
from nightmap import event_effects as effects_mod
from nightmap.filters import Filter
from nightmap.store import Store


@st.cache_data(show_spinner=False, max_entries=128)
def hourly_by_zone(_store: Store, token: str, flt: Filter, zone_ids: tuple[str, ...]) -> pd.DataFrame:
    """:func:`nightmap.metrics.hourly_profile` of each zone, stacked with a ``zone_id`` column."""
    return compare.stack({z: metrics.hourly_profile(_store, flt, zone_id=z) for z in zone_ids})


@st.cache_data(show_spinner=False, max_entries=128)
def category_by_zone(_store: Store, token: str, flt: Filter, zone_ids: tuple[str, ...]) -> pd.DataFrame:
    """:func:`nightmap.metrics.category_mix` of each zone, stacked with a ``zone_id`` column."""
    return compare.stack({z: metrics.category_mix(_store, flt, zone_id=z) for z in zone_ids})


@st.cache_data(show_spinner=False, max_entries=128)
def event_effects(_store: Store, token: str, flt: Filter) -> pd.DataFrame:
    """:func:`nightmap.event_effects.event_effects`, cached."""
    return effects_mod.event_effects(_store, flt)


@st.cache_data(show_spinner=False)
def source_info(_store: Store, token: str) -> dict:
    """:meth:`nightmap.store.Store.source_info`, cached."""
    return dict(_store.source_info())

