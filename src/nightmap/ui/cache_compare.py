"""Cached queries (and the events map) of the 片区对比 (compare) and 活动 (events) pages.

Like :mod:`nightmap.ui.data`: results are cached per filter and per
:func:`nightmap.ui.data.data_token`, so a change of the data is never shown stale.
"""

from __future__ import annotations

import copy

import folium
import pandas as pd
import streamlit as st

import nightmap.map as nmap
from nightmap import compare, metrics
from nightmap import event_effects as effects_mod
from nightmap.filters import Filter
from nightmap.store import Store
from nightmap.ui import data


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


def events_map(
    store: Store, token: str, view_flt: Filter, flt: Filter, kinds: tuple[str, ...], lang: str, basemap: str
) -> folium.Map:
    """The events page's map: zones coloured by change vs baseline under ``view_flt``, the events of
    ``flt`` of the given kinds as markers. A copy of the cached build (folium appends to a map it renders)."""
    return copy.deepcopy(_events_map(store, token, view_flt, flt, kinds, lang, basemap))


@st.cache_resource(show_spinner=False, max_entries=32)
def _events_map(
    _store: Store, token: str, view_flt: Filter, flt: Filter, kinds: tuple[str, ...], lang: str, basemap: str
) -> folium.Map:
    effects = event_effects(_store, token, flt)
    summary = data.zone_summary(_store, token, view_flt)
    return nmap.build_map(
        zones=data.zones(_store, token), districts=data.districts(), roads=data.roads(), values=metrics.metric_values(summary, "uplift"),
        metric="uplift", lang=lang, events=effects[effects["kind"].isin(kinds)], basemap=basemap,
    )


@st.cache_data(show_spinner=False)
def source_info(_store: Store, token: str) -> dict:
    """:meth:`nightmap.store.Store.source_info`, cached."""
    return dict(_store.source_info())

