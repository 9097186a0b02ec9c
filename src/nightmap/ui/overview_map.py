"""The overview's map on the page: the whole map for the district, only the zones in view for many zones.

Up to :data:`nightmap.mapview.LARGE_MAP_ZONES` zones the map is drawn whole and
panning it costs nothing. Above that, the page draws a base map (districts,
legend, heat) once per view of the data and sends the zones in view as a
separate layer (``feature_group_to_add``): each pan reports the map's bounds,
the page reruns (every query is cached) and only that layer is replaced, so the
map keeps its place. The first view of a large city sends every zone as a dot;
outlines, names and events come only for the zones in view.

When the base map is redrawn (another metric, dates, language, basemap, heat)
the map opens where the user was; a zone picked from a list that is out of
sight is panned to (:mod:`nightmap.map_camera`). A new zone filter frames its
zones afresh.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from nightmap import map_camera, mapview
from nightmap.filters import Filter
from nightmap.store import Store
from nightmap.ui import data
from nightmap.viewstate import ViewState

MAP_KEY = "overview_map"
BASE_KEY = "nm_base_map_id"
"""Session key: the base map drawn last and its framing (to tell when it is redrawn or reframed)."""
SEEN_KEY = "nm_map_seen"
"""Session key: the view the browser last reported (:class:`nightmap.map_camera.Seen`)."""
ZONE_KEY = "nm_map_zone"
"""Session key: the zone selected when the map was drawn last (to tell a newly picked one)."""


def show_overview_map(
    store: Store, token: str, flt: Filter, view: ViewState, zones: gpd.GeoDataFrame, *, height: int = 640
) -> dict[str, Any]:
    """Draw the overview map and return what ``st_folium`` returned (clicks, bounds)."""
    if len(zones) <= mapview.LARGE_MAP_ZONES:
        fmap = data.overview_map(store, token, flt, view.metric, view.lang, view.basemap, view.heat, view.zone)
        return st_folium(fmap, height=height, use_container_width=True, key=MAP_KEY,
                         returned_objects=["last_object_clicked", "last_active_drawing"]) or {}
    base_id = (token, flt, view.metric, view.lang, view.basemap, view.heat)
    frame = (token, flt.zones, view.basemap)
    last = st.session_state.get(BASE_KEY)  # (base_id, frame) of the map drawn last
    if last is not None:  # the browser's newest report (set before this run), for the map it was drawn on
        latest = map_camera.seen_from(st.session_state.get(MAP_KEY), frame=last[1])
        if latest is not None:
            st.session_state[SEEN_KEY] = latest
    redrawn = last is None or last[0] != base_id
    if redrawn:  # that report belongs to the old map; the new one reports its own once it has been looked at
        st.session_state.pop(MAP_KEY, None)
    picked = view.zone if view.zone != st.session_state.get(ZONE_KEY) else None
    camera = map_camera.plan(
        st.session_state.get(SEEN_KEY), frame=frame, redrawn=redrawn,
        focus=mapview.zone_point(zones, picked, basemap=view.basemap),
    )
    fmap = data.base_map(store, token, flt, view.metric, view.lang, view.basemap, view.heat)
    layer = data.zones_layer(store, token, flt, view.metric, view.lang, view.basemap, view.zone, camera.box)
    returned = st_folium(fmap, height=height, use_container_width=True, key=MAP_KEY, feature_group_to_add=layer,
                         center=camera.centre, zoom=camera.zoom,
                         returned_objects=["last_object_clicked", "last_active_drawing", "bounds", "center", "zoom"])
    st.session_state[BASE_KEY] = (base_id, frame)
    st.session_state[ZONE_KEY] = view.zone
    return returned or {}
