"""The overview's map on the page: the whole map for the district, only the zones in view for many zones.

Up to :data:`nightmap.map.LARGE_MAP_ZONES` zones the map is drawn whole and
panning it costs nothing. Above that, the page draws a base map (districts,
legend, heat) once per view of the data and sends the zones in view as a
separate layer (``feature_group_to_add``): each pan reports the map's bounds,
the page reruns (every query is cached) and only that layer is replaced, so the
map keeps its place. The first view of a large city sends every zone as a dot;
outlines, names and events come only for the zones in view.

When the base map is redrawn (another metric, dates, hours, categories, language, heat)
the map opens where the user was; a zone picked from a list that is out of
sight is panned to (:mod:`nightmap.map_camera`), also after a visit to another
page. A new zone filter or basemap frames its zones afresh.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

import nightmap.map as nmap
from nightmap import map_camera
from nightmap.filters import Filter
from nightmap.store import Store
from nightmap.ui import data, page
from nightmap.viewstate import ViewState

MAP_KEY = "overview_map"
BASE_KEY = "nm_base_map_id"
"""Session key: the base map drawn last and its framing (to tell when it is redrawn or reframed)."""
SEEN_KEY = "nm_map_seen"
"""Session key: the view the browser last reported (:class:`nightmap.map_camera.Seen`)."""
PICK_KEY = "nm_pick"
"""Session key: how many times the user has picked a zone (:func:`note_pick`)."""
PICK_SEEN_KEY = "nm_map_pick_seen"
"""Session key: the pick count when the map was drawn last (to tell a new pick)."""
PENDING_KEY = "nm_map_pending"
"""Session key: a move the map was asked to make (:class:`nightmap.map_camera.Pending`)."""
MOVE_SEQ_KEY = "nm_map_moves"
"""Session key: moves sent, to make each centre sent differ from the last."""


def show_overview_map(
    store: Store, token: str, flt: Filter, view: ViewState, zones: gpd.GeoDataFrame, *, height: int = 640
) -> dict[str, Any]:
    """Draw the overview map and return what ``st_folium`` returned (clicks, bounds)."""
    if len(zones) <= nmap.LARGE_MAP_ZONES:
        fmap = data.overview_map(store, token, flt, view.metric, view.lang, view.basemap, view.heat, view.zone)
        return st_folium(fmap, height=height, use_container_width=True, key=MAP_KEY,
                         returned_objects=["last_object_clicked", "last_active_drawing"]) or {}
    base_id = (token, flt, view.metric, view.lang, view.basemap, view.heat)
    frame = (token, flt.zones, view.basemap)
    last = st.session_state.get(BASE_KEY)  # (base_id, frame) of the map drawn last
    back = page.came_from_another_page()  # the map's frame is new even if the base map is not
    if last is not None and not back:  # the browser's newest report (set before this run), for that map
        latest, pending = map_camera.accept(map_camera.seen_from(st.session_state.get(MAP_KEY), frame=last[1]),
                                            st.session_state.get(PENDING_KEY))
        st.session_state[PENDING_KEY] = pending
        if latest is not None:
            st.session_state[SEEN_KEY] = latest
    redrawn = last is None or last[0] != base_id or back
    if redrawn:  # that report belongs to the old map; the new one reports its own once it has been looked at
        st.session_state.pop(MAP_KEY, None)
    pick = st.session_state.get(PICK_KEY, 0)
    picked = view.zone if pick != st.session_state.get(PICK_SEEN_KEY) else None
    camera = map_camera.plan(
        st.session_state.get(SEEN_KEY), frame=frame, redrawn=redrawn,
        focus=nmap.zone_point(zones, picked, basemap=view.basemap),
    )
    centre = camera.centre
    if centre is not None:  # streamlit-folium applies a centre only when it differs from the last one sent
        seq = st.session_state.get(MOVE_SEQ_KEY, 0) + 1
        st.session_state[MOVE_SEQ_KEY] = seq
        centre = (centre[0] + (seq % 2) * 1e-9, centre[1])
        st.session_state[PENDING_KEY] = map_camera.Pending(camera.centre, camera.zoom)
    fmap = data.base_map(store, token, flt, view.metric, view.lang, view.basemap, view.heat)
    layer = data.zones_layer(store, token, flt, view.metric, view.lang, view.basemap, view.zone, camera.box)
    returned = st_folium(fmap, height=height, use_container_width=True, key=MAP_KEY, feature_group_to_add=layer,
                         center=centre, zoom=camera.zoom,
                         returned_objects=["last_object_clicked", "last_active_drawing", "bounds", "center", "zoom"])
    st.session_state[BASE_KEY] = (base_id, frame)
    st.session_state[PICK_SEEN_KEY] = pick
    return returned or {}


def note_pick() -> None:
    """Call when the user picks a zone (list, button, map): the map pans to it if it is out of sight,
    even when it is the zone already selected."""
    st.session_state[PICK_KEY] = st.session_state.get(PICK_KEY, 0) + 1
