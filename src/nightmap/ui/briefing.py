"""The overview's daily-briefing button: make the DOCX of the current view on demand, then offer it.

Making a briefing takes a few seconds (the map picture), so a normal rerun never
makes one: the "生成日报" button records which view was asked for, and while the
view stays the same the download button offers the bytes, cached by the view and
the data token (:func:`nightmap.ui.data.data_token`), so a changed store makes a
new file. Changing the view brings the "make" button back.
"""

from __future__ import annotations

import streamlit as st

from nightmap import briefing, tiles
from nightmap.filters import Filter
from nightmap.i18n import t
from nightmap.store import Store
from nightmap.viewstate import ViewState

ASKED_KEY = "nm_briefing_for"
"""Session key: the (view, token) whose briefing was asked for."""
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_data(show_spinner=False, max_entries=16)
def briefing_bytes(_store: Store, token: str, flt: Filter, metric: str, lang: str, basemap: str = "auto") -> bytes:
    """:func:`nightmap.briefing.make_briefing` of one view, cached by the view, its basemap and the data token."""
    try:
        return briefing.make_briefing(_store, flt, metric=metric, lang=lang, basemap=basemap)
    except tiles.PackError:  # the view's pack was removed since the page was drawn: as the dashboard would open
        return briefing.make_briefing(_store, flt, metric=metric, lang=lang, basemap="auto")


def briefing_button(store: Store, token: str, view: ViewState) -> None:
    """A "make the daily briefing" button; once pressed for this view, the DOCX download button."""
    lang, flt = view.lang, view.filter()
    basemap = briefing.basemap_of_view(view.basemap)  # the map's offline pack under the document's map too
    asked = (flt, view.metric, lang, basemap, token)
    if st.session_state.get(ASKED_KEY) != asked:
        if not st.button(t("briefing.make", lang), help=t("briefing.make_help", lang), key="nm_briefing_make",
                         icon=":material/description:"):
            return
        st.session_state[ASKED_KEY] = asked
    with st.spinner(t("briefing.make", lang) + "…"):
        data = briefing_bytes(store, token, flt, view.metric, lang, basemap)
    st.download_button(t("briefing.download", lang), data, file_name=briefing.file_name(view.start, view.end, lang),
                       mime=MIME_DOCX, key="nm_briefing_download", icon=":material/download:")
