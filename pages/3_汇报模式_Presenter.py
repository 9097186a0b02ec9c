"""汇报模式 Presenter — the campaign played night by night (or one night hour by hour) on a full-screen map.

Layout only: the numbers come from :func:`nightmap.playback.frames`, the map
and player from :func:`nightmap.playback.player_html` (playback runs in the
browser, no server round trip per frame). The URL holds the filters, the
metric, the language and ``mode`` / ``night`` / ``play``, so a bookmarked link
opens the same run.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from nightmap import playback
from nightmap.filters import Filter
from nightmap.i18n import fmt_date, t
from nightmap.store import Store
from nightmap.ui import data
from nightmap.ui.page import data_banner, setup_page
from nightmap.ui.sidebar import filter_sidebar, keyed_in_language

CSS = """
<style>
.block-container { padding-top: 0.6rem !important; padding-bottom: 1rem !important; max-width: 100% !important;
                   padding-left: 0.8rem !important; padding-right: 0.8rem !important; }
header[data-testid="stHeader"] { background: transparent; height: 0; }
iframe[title="st.iframe"], [data-testid="stElementContainer"]:has(iframe[title="st.iframe"]) {
    height: calc(100vh - 2.4rem) !important; max-height: none !important; min-height: 560px !important;
    flex: none !important; }
</style>
"""


@st.cache_data(show_spinner=False, max_entries=64)
def _run(_store: Store, token: str, flt: Filter, mode: str, night: dt.date | None) -> dict:
    return playback.frames(_store, flt, mode=mode, night=night)


store = setup_page("汇报模式 Presenter · 解放区夜经济地图", sidebar="collapsed")
st.markdown(CSS, unsafe_allow_html=True)

# read our own URL parameters before filter_sidebar rewrites the query string with the view's
saved = st.session_state.get("nm_presenter", {})
url_mode = st.query_params.get("mode", saved.get("mode", "nights"))
url_night = st.query_params.get("night", saved.get("night"))
url_play = st.query_params.get("play", saved.get("play", "0"))

view = filter_sidebar(store, map_options=False)
lang = view.lang
token = data.data_token(store)
flt = view.filter()

player_slot = st.container()

st.subheader(t("presenter.settings", lang))
c_mode, c_night, c_play = st.columns([2, 2, 1])
modes = list(playback.MODES)
mode = c_mode.radio(t("presenter.mode", lang), modes, format_func=lambda m: t(f"presenter.mode.{m}", lang),
                    horizontal=True, key=keyed_in_language("nm_pmode", lang, url_mode if url_mode in modes else "nights"))
nights = flt.nights
try:
    wanted = dt.date.fromisoformat(url_night) if url_night else None
except ValueError:
    wanted = None
night = c_night.selectbox(t("presenter.night", lang), nights,
                          key=keyed_in_language("nm_pnight", lang, wanted if wanted in nights else nights[0],
                                                options=nights),
                          format_func=lambda d: fmt_date(d, lang), disabled=mode != "hours")
if "nm_pplay" not in st.session_state:
    st.session_state["nm_pplay"] = url_play in ("1", "true")
autoplay = c_play.toggle(t("presenter.autoplay", lang), key="nm_pplay")

st.session_state["nm_presenter"] = {"mode": mode, "night": night.isoformat(), "play": "1" if autoplay else "0"}
st.query_params["mode"] = mode
if mode == "hours":
    st.query_params["night"] = night.isoformat()
if autoplay:
    st.query_params["play"] = "1"

run = _run(store, token, flt, mode, night if mode == "hours" else None)
zones = data.zones(store, token)
districts, roads = data.districts(), data.roads()
with player_slot:
    # our own document: every text in it is escaped (see nightmap.playback), so it is safe to embed
    st.iframe(
        playback.player_html(run, zones, districts, metric=view.metric, lang=lang, inline=False, autoplay=autoplay,
                             roads=roads),
        height=880,
    )

data_banner(store, lang, token)
st.caption(t("presenter.bookmark", lang) + "　" + t("presenter.keys", lang))

c_html, c_png = st.columns(2)
with c_html:
    st.download_button(
        t("presenter.export_html", lang),
        # built when clicked (in Streamlit's download thread), not on every rerun
        lambda: playback.player_html(run, zones, districts, metric=view.metric, lang=lang, inline=True,
                                     roads=roads).encode("utf-8"),
        file_name=playback.export_file_name(flt, metric=view.metric, mode=mode, night=night),
        mime="text/html",
        help=t("presenter.export_html_help", lang),
        width="stretch",
    )
    st.caption(t("presenter.export_html_help", lang))
with c_png:
    labels = [playback.frame_label(f, lang, campaign=run["campaign"])["date"] for f in run["frames"]]
    pick = st.select_slider(t("presenter.png_frame", lang), options=list(range(len(labels))),
                            format_func=lambda i: labels[i], key="nm_pframe")
    if st.button(t("presenter.png_make", lang), width="stretch"):
        if not playback.png_available():
            st.info(t("presenter.png_unavailable", lang), icon="ℹ️")
        else:
            still = playback.player_html(run, zones, districts, metric=view.metric, lang=lang, inline=True, roads=roads,
                                         frame=pick, still=True)
            try:
                with st.spinner("…"):
                    png = playback.render_png_bytes(still)
                st.session_state["nm_png"] = (png, playback.export_file_name(
                    flt, metric=view.metric, mode=mode, night=night, ext="png"))
            except playback.PngUnavailable:
                st.info(t("presenter.png_unavailable", lang), icon="ℹ️")
            except Exception as exc:  # noqa: BLE001 - shown to the user, the page keeps working
                st.error(t("presenter.png_failed", lang, msg=str(exc)))
    if "nm_png" in st.session_state:
        png_bytes, png_name = st.session_state["nm_png"]
        st.download_button(t("presenter.png_download", lang), png_bytes, file_name=png_name, mime="image/png",
                           width="stretch")
