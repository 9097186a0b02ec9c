"""Page set-up shared by every page: config, offline map assets, the simulated-data banner."""

from __future__ import annotations

import streamlit as st

from nightmap import assets, tiles
from nightmap.i18n import t
from nightmap.store import Store
from nightmap.ui import auth as auth_ui
from nightmap.ui import data

CSS = """
<style>
html, body, [class*="css"] { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
[data-testid="stMetricValue"] { font-size: 2.1rem; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; font-weight: 600; }
.nm-banner { background: #fff3bf; border-left: 6px solid #f08c00; padding: .6rem 1rem; border-radius: 4px;
             font-size: 1.05rem; margin-bottom: .6rem; }
</style>
"""


@st.cache_resource(show_spinner=False)
def _offline_assets() -> str:
    """Publish the map's JS/CSS under ``static/`` once per process and point folium at them."""
    return str(assets.setup_offline_map())


def publish_tiles() -> None:
    """Make the installed offline tile packs servable under ``static/tiles`` (a few ``stat`` calls when
    nothing changed; a pack imported while the app runs shows up on the next rerun)."""
    try:
        tiles.publish()
    except (OSError, tiles.TilesError) as exc:  # the map still works on the schematic
        st.caption(f"离线底图包无法发布 / offline tile packs could not be published: {exc}")


PAGE_KEY = "nm_page"
PREV_PAGE_KEY = "nm_prev_page"


EN_CSS = """
<style>
[data-testid="stMetricValue"] { font-size: 1.7rem; }  /* English figures carry longer units */
</style>
"""


def english_css(lang: str) -> None:
    """Smaller headline figures in English, so "927,890 visits" fits a quarter of a laptop screen."""
    if lang == "en":
        st.markdown(EN_CSS, unsafe_allow_html=True)


# Streamlit's own words (English in its frontend, no option to change them), put in Chinese by CSS: the text
# is shrunk to nothing and the translation drawn in its place. What CSS cannot reach is in docs/i18n.md.
_WIDGET_WORDS_CSS = """
<style>
/* file uploader: the "Upload" button and "200MB per file • CSV, XLSX" (our label gives the real limit) */
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p {{
  font-size: 0; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after {{
  content: "{button}"; font-size: .875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{drop}"; font-size: .875rem; }}
/* inputs: "Press Enter to apply", "… to submit form", "Press Ctrl+Enter to apply" (a n/60 counter after it stays) */
:is([data-testid="stTextInput"], [data-testid="stTextArea"]) [data-testid="InputInstructions"] > span:first-child {{
  font-size: 0; }}
:is([data-testid="stTextInput"], [data-testid="stTextArea"]) [data-testid="InputInstructions"] > span:first-child::after {{
  content: "{enter}"; font-size: .75rem; }}
[data-testid="stForm"] [data-testid="stTextInput"] [data-testid="InputInstructions"] > span:first-child::after {{
  content: "{submit}"; }}
[data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child::after {{ content: "{ctrl_enter}"; }}
</style>
"""


def widget_words_css(lang: str) -> str:
    """The CSS that shows Streamlit's own uploader and text-input instructions in Chinese (``""`` in English).

    Parameters
    ----------
    lang
        The page language; only ``"zh"`` needs it (Streamlit writes English).
    """
    if lang != "zh":
        return ""
    return _WIDGET_WORDS_CSS.format(button=t("ui.uploader.button", lang), drop=t("ui.uploader.drop", lang),
                                    enter=t("ui.input.enter", lang), submit=t("ui.input.submit", lang),
                                    ctrl_enter=t("ui.input.ctrl_enter", lang))


def chinese_widget_words(lang: str) -> None:
    """Put Streamlit's own widget words in Chinese on this page when ``lang`` is Chinese (see :func:`widget_words_css`)."""
    css = widget_words_css(lang)
    if css:
        st.html(css)  # style only: Streamlit puts it in the event container, so it takes no room on the page


def _leave_pages_folder_mode() -> None:
    """Run the app through ``app.py``'s navigation even when the first visit of a new server opens a page's URL.

    Streamlit (1.67) runs a new server's scripts in its old "pages folder" mode until some run calls
    ``st.navigation``; a first visitor who opens ``/数据管理_Data`` directly would get the page script alone
    and a menu naming the overview "app". Leaving that mode and rerunning makes ``app.py`` draw the menu and
    run the page asked for.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def setup_page(title: str, *, layout: str = "wide", sidebar: str = "expanded") -> Store:
    """Configure the page, make the map assets local, let the visitor in, and return the store.

    With a users file (``$NIGHTMAP_AUTH``) an anonymous visitor sees only the
    sign-in form and the page stops here (:func:`nightmap.ui.auth.gate`); the
    signed-in actor is then :func:`nightmap.ui.auth.current_actor`.
    """
    _leave_pages_folder_mode()
    st.session_state[PREV_PAGE_KEY] = st.session_state.get(PAGE_KEY)
    st.session_state[PAGE_KEY] = title
    st.set_page_config(page_title=title, page_icon="🌃", layout=layout, initial_sidebar_state=sidebar)
    _offline_assets()
    assets.use_local_assets()
    publish_tiles()
    st.markdown(CSS, unsafe_allow_html=True)
    auth_ui.gate()
    return data.get_store()


def data_banner(store: Store, lang: str, token: str | None = None) -> None:
    """Say plainly when the data shown is simulated (or partly simulated).

    ``token`` is the page's :func:`nightmap.ui.data.data_token`, if it has one (saves a query).
    """
    status = data.data_status(store, token or data.data_token(store))
    if status == "simulated":
        st.warning(t("app.simulated_banner", lang), icon="⚠️")
    elif status == "mixed":
        st.warning(t("app.mixed_data", lang), icon="⚠️")
    else:
        st.caption(t("app.real_data", lang))


def came_from_another_page() -> bool:
    """Whether the previous run of this session drew another page (so this page's widgets are new)."""
    prev = st.session_state.get(PREV_PAGE_KEY)
    return prev is not None and prev != st.session_state.get(PAGE_KEY)
