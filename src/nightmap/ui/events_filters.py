"""The events page's own filters (zones, event kinds, measure) in the URL query string.

The shared sidebar (:func:`nightmap.ui.sidebar.filter_sidebar`) rewrites the
whole query string on every run, so the page reads its parameters *before*
drawing the sidebar (:func:`events_query`) and writes them back after its
widgets (:func:`remember_events`): a shared link reopens the same view.
"""

from __future__ import annotations

import streamlit as st

from nightmap.viewstate import EVENTS_PARAMS, EventsView, events_to_query


def events_query() -> dict[str, str]:
    """The events page's parameters in the URL now (call before the sidebar rewrites the URL)."""
    return {k: str(st.query_params.get(k)) for k in EVENTS_PARAMS if k in st.query_params}


def remember_events(ev: EventsView) -> None:
    """Put the events page's filters in the URL, next to the shared view's parameters."""
    wanted = events_to_query(ev)
    for k in EVENTS_PARAMS:
        if k not in wanted and k in st.query_params:
            del st.query_params[k]
    for k, v in wanted.items():
        if st.query_params.get(k) != v:
            st.query_params[k] = v
