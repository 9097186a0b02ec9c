"""Page CSS that makes the pages fit a 1366×768 laptop as well as a 1920×1080 screen.

* The overview: below :data:`STACK_BELOW` pixels of window width, a zone's
  detail goes under the map instead of beside it, so the map keeps the page's
  whole width (its zones and legend fit; see :class:`nightmap.map.elements._Fit`).
* Multiselects (the compare page's zones; any page may call :func:`wrap_chips_css`):
  the chips wrap onto a second line instead of scrolling sideways out of sight.
"""

from __future__ import annotations

import streamlit as st

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
"""CSS selector of the frame streamlit-folium draws a map in."""

STACK_BELOW = 1600
"""Window width (CSS px) under which the overview's zone detail goes under the map."""

_OVERVIEW_CSS = """
<style>
@media (max-width: %(below)dpx) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] %(iframe)s) { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] %(iframe)s) > [data-testid="stColumn"] {
    flex: 1 1 100%% !important; width: 100%% !important; min-width: 100%% !important; }
}
</style>
"""

_CHIPS_CSS = """
<style>
/* the chips of a multiselect wrap onto more lines instead of scrolling sideways out of sight */
[data-testid="stMain"] [data-testid="stMultiSelect"] div:has(> span > span[data-tag]) {
  flex-wrap: wrap !important; overflow: visible !important; }
</style>
"""


def overview_css() -> None:
    """Stack the overview's map and zone detail on a narrow window."""
    st.markdown(_OVERVIEW_CSS % {"below": STACK_BELOW - 1, "iframe": MAP_IFRAME}, unsafe_allow_html=True)


def wrap_chips_css() -> None:
    """Let the chips of the page's multiselects (not the sidebar's) wrap onto more lines."""
    st.markdown(_CHIPS_CSS, unsafe_allow_html=True)
