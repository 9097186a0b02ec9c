"""Cached access to the store: one store per process, query results cached per filter.

``st.cache_resource`` holds the store; ``st.cache_data`` holds query results,
keyed by the filter and a token that changes whenever an ingest, rollback or
zone edit changes the data, so no page ever shows stale numbers. Cached frames
are returned as copies by Streamlit and never mutated here.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

import nightmap.map as nmap
from nightmap import config, event_effects, geo, metrics
from nightmap.filters import Filter
from nightmap.store import Store


@st.cache_resource(show_spinner=False)
def _open_store(db_path: str, data_dir: str) -> Store:
    return Store.open(Path(db_path), data_dir=Path(data_dir))


def get_store() -> Store:
    """The process-wide store for the configured paths, built from the data folder on first use."""
    return _open_store(str(config.db_path()), str(config.data_dir()))


def data_token(store: Store) -> str:
    """Changes whenever the data changes: each committed write or rebuild, in this process or another.

    The store reopens a snapshot another process published before this query
    (:mod:`nightmap.store`), so the token read here is the newest one.
    """
    return str(store.scalar(
        "SELECT coalesce(max(batch_id), 0) || ':' || count(rolled_back_at) || ':' || "
        "(SELECT count(*) FROM zone_versions) || ':' || "
        "(SELECT value FROM meta WHERE key = 'fingerprint') || ':' || "
        "coalesce((SELECT value FROM meta WHERE key = 'snapshot'), '') FROM batches"
    ))


@st.cache_data(show_spinner=False, max_entries=8)
def zone_nights(_store: Store, token: str, flt: Filter) -> pd.DataFrame:
    """:func:`nightmap.metrics.zone_nights`, cached: one scan serves the zone summary and the nights by zone."""
    return metrics.zone_nights(_store, flt)


@st.cache_data(show_spinner=False, max_entries=512)
def zone_summary(_store: Store, token: str, flt: Filter) -> pd.DataFrame:
    """:func:`nightmap.metrics.zone_summary`, cached."""
    return metrics.zone_summary(_store, flt, nights=zone_nights(_store, token, flt))


@st.cache_data(show_spinner=False, max_entries=256)
def nightly(_store: Store, token: str, flt: Filter, zone_id: str | None = None) -> pd.DataFrame:
    """:func:`nightmap.metrics.nightly`, cached."""
    return metrics.nightly(_store, flt, zone_id=zone_id)


@st.cache_data(show_spinner=False, max_entries=256)
def nightly_by_zone(_store: Store, token: str, flt: Filter) -> pd.DataFrame:
    """:func:`nightmap.metrics.nightly_by_zone`, cached."""
    return metrics.nightly_by_zone(_store, flt, nights=zone_nights(_store, token, flt))


@st.cache_data(show_spinner=False, max_entries=256)
def hourly_profile(_store: Store, token: str, flt: Filter, zone_id: str | None = None) -> pd.DataFrame:
    """:func:`nightmap.metrics.hourly_profile`, cached."""
    return metrics.hourly_profile(_store, flt, zone_id=zone_id)


@st.cache_data(show_spinner=False, max_entries=256)
def category_mix(_store: Store, token: str, flt: Filter, zone_id: str | None = None) -> pd.DataFrame:
    """:func:`nightmap.metrics.category_mix`, cached."""
    return metrics.category_mix(_store, flt, zone_id=zone_id)


@st.cache_data(show_spinner=False, max_entries=256)
def events(_store: Store, token: str, flt: Filter) -> pd.DataFrame:
    """Events on the filter's nights, including ones begun earlier and still running
    (:func:`nightmap.event_effects.event_list`, as on the events page and in the presenter), cached,
    in display order (:func:`nightmap.event_effects.rank_for_display`: the ceremony first)."""
    return event_effects.rank_for_display(event_effects.event_list(_store, flt))


@st.cache_data(show_spinner=False)
def data_range(_store: Store, token: str) -> tuple[dt.date, dt.date] | None:
    """:func:`nightmap.metrics.data_range`, cached."""
    return metrics.data_range(_store)


@st.cache_data(show_spinner=False)
def zones(_store: Store, token: str) -> gpd.GeoDataFrame:
    """The zones as a GeoDataFrame (WGS-84)."""
    return geo.zones_from_table(_store.zones())


@st.cache_data(show_spinner=False)
def districts() -> gpd.GeoDataFrame:
    """The district boundaries (WGS-84)."""
    return geo.load_districts()


@st.cache_data(show_spinner=False)
def roads() -> gpd.GeoDataFrame:
    """The reference roads of the schematic map (WGS-84; empty without ``roads.geojson``)."""
    return geo.load_roads()


@st.cache_data(show_spinner=False)
def data_status(_store: Store, token: str) -> str:
    """``simulated``, ``mixed`` or ``real``."""
    return _store.data_status()


@st.cache_data(show_spinner=False, max_entries=256)
def totals(_store: Store, token: str, flt: Filter) -> dict[str, float]:
    """:func:`nightmap.metrics.totals` of the cached zone summary."""
    return metrics.totals(zone_summary(_store, token, flt))


@st.cache_data(show_spinner=False, max_entries=256)
def attention(_store: Store, token: str, flt: Filter) -> tuple[list[metrics.Attention], list[metrics.Attention]]:
    """:func:`nightmap.metrics.attention` (zones to watch, best performers), cached."""
    return metrics.attention(zone_summary(_store, token, flt), nightly_by_zone(_store, token, flt))


@st.cache_data(show_spinner=False, max_entries=256)
def basis(_store: Store, token: str, flt: Filter) -> metrics.BasisSummary:
    """:func:`nightmap.metrics.basis_summary` of the view's :func:`~nightmap.metrics.baseline_basis`, cached."""
    return metrics.basis_summary(metrics.baseline_basis(_store, flt))


def overview_map(
    store: Store, token: str, flt: Filter, metric: str, lang: str, basemap: str, heat: bool, selected: str | None
) -> folium.Map:
    """The overview's folium map with every zone, for one view: a copy of the cached build.

    folium appends to a map each time it renders it, so the cached map is never
    handed out itself; a deep copy (a few ms) is much cheaper than a build.
    Zones outside the zone filter are drawn faded.
    """
    return copy.deepcopy(_overview_map(store, token, flt, metric, lang, basemap, heat, selected))


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview_map(
    _store: Store, token: str, flt: Filter, metric: str, lang: str, basemap: str, heat: bool, selected: str | None
) -> folium.Map:
    summary = zone_summary(_store, token, flt)
    return nmap.build_map(
        zones=zones(_store, token), districts=districts(), roads=roads(), values=metrics.metric_values(summary, metric),
        metric=metric, lang=lang, events=events(_store, token, flt),
        heat=summary[["zone_id", "visitors"]].dropna() if heat else None, basemap=basemap, selected=selected,
        only=flt.zones or None,
    )


def base_map(store: Store, token: str, flt: Filter, metric: str, lang: str, basemap: str, heat: bool) -> folium.Map:
    """The map of many zones without its zones (:func:`nightmap.map.build_base_map`): a copy of the cached build."""
    return copy.deepcopy(_base_map(store, token, flt, metric, lang, basemap, heat))


@st.cache_resource(show_spinner=False, max_entries=32)
def _base_map(_store: Store, token: str, flt: Filter, metric: str, lang: str, basemap: str, heat: bool) -> folium.Map:
    summary = zone_summary(_store, token, flt)
    return nmap.build_base_map(
        zones=zones(_store, token), districts=districts(), roads=roads(), values=metrics.metric_values(summary, metric),
        metric=metric, lang=lang, events=events(_store, token, flt),
        heat=summary[["zone_id", "visitors"]].dropna() if heat else None, basemap=basemap, only=flt.zones or None,
    )


def zones_layer(
    store: Store, token: str, flt: Filter, metric: str, lang: str, basemap: str, selected: str | None,
    box: nmap.Box | None,
) -> folium.FeatureGroup:
    """The zones in ``box`` (:func:`nightmap.map.zones_layer`): a copy of the cached build."""
    return copy.deepcopy(_zones_layer(store, token, flt, metric, lang, basemap, selected, box))


@st.cache_resource(show_spinner=False, max_entries=64)
def _zones_layer(
    _store: Store, token: str, flt: Filter, metric: str, lang: str, basemap: str, selected: str | None,
    box: nmap.Box | None,
) -> folium.FeatureGroup:
    summary = zone_summary(_store, token, flt)
    return nmap.zones_layer(
        zones=zones(_store, token), values=metrics.metric_values(summary, metric), metric=metric, lang=lang,
        events=events(_store, token, flt), basemap=basemap, selected=selected, box=box, only=flt.zones or None,
    )
