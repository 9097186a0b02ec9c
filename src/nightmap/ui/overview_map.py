"""The overview's map on the page: the whole map for the district, only the zones in view for many zones.

Up to :data:`nightmap.mapview.LARGE_MAP_ZONES` zones the map is drawn whole and
panning it costs nothing. Above that, the page draws a base map (districts,
legend, heat) once per filter and sends the zones in view as a separate layer
(``feature_group_to_add``): each pan reports the map's bounds, the page reruns
(every query is cached) and only that layer is replaced, so the map keeps its
place and the browser never holds hundreds of zones' outlines and tooltips.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from nightmap import mapview
from nightmap.filters import Filter
from nightmap.store import Store
from nightmap.ui import data
from nightmap.viewstate import ViewState

MAP_KEY = "overview_map"
_BASE_KEY = "nm_base_map_id"


def show_overview_map(
    store: Store, token: str, flt: Filter, view: ViewState, zones: gpd.GeoDataFrame, *, height: int = 640
) -> dict[str, Any]:
    """Draw the overview map and return what ``st_folium`` returned (clicks, bounds)."""
    if len(zones) <= mapview.LARGE_MAP_ZONES:
        fmap = data.overview_map(store, token, flt, view.metric, view.lang, view.basemap, view.heat, view.zone)
        return st_folium(fmap, height=height, use_container_width=True, key=MAP_KEY,
                         returned_objects=["last_object_clicked", "last_active_drawing"]) or {}
    base_id = (token, flt, view.metric, view.lang, view.basemap, view.heat)
    # bounds reported by this same base map; after a filter change the map is new and framed afresh
    reported = st.session_state.get(MAP_KEY) if st.session_state.get(_BASE_KEY) == base_id else None
    box = mapview.view_box((reported or {}).get("bounds"))
    fmap = data.base_map(store, token, flt, view.metric, view.lang, view.basemap, view.heat)
    layer = data.zones_layer(store, token, flt, view.metric, view.lang, view.basemap, view.zone, box)
    returned = st_folium(fmap, height=height, use_container_width=True, key=MAP_KEY, feature_group_to_add=layer,
                         returned_objects=["last_object_clicked", "last_active_drawing", "bounds"])
    st.session_state[_BASE_KEY] = base_id
    return returned or {}
