"""The sidebar filters shared by every page, kept in the URL query string.

The view is read from the URL (or, when the URL is empty, from the session,
so moving between pages keeps it), the widgets start from it, and the view
they produce is written back to the URL so it can be bookmarked or sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from nightmap import basemaps
from nightmap.i18n import LANGS, fmt_hour, t
from nightmap.metrics import METRICS
from nightmap.schema import CATEGORIES
from nightmap.store import Store
from nightmap.ui import data
from nightmap.ui.page import chinese_widget_words
from nightmap.viewstate import ViewState, from_query, to_query

SESSION_KEY = "nm_view"
ZONE_FILTER_FROM = 13
"""With more zones than this, the sidebar offers a searchable zone filter."""
HOUR_OPTIONS: tuple[int, ...] = (*range(12, 24), *range(0, 7))
"""End-points of the hour window, in night order: 12:00 … 23:00, then 00:00 … 06:00 of the next day."""


def _hour_label(hour: int, lang: str) -> str:
    return t("filter.next_day_hour", lang, hour=fmt_hour(hour)) if hour < 12 else fmt_hour(hour)


def _metric_label(metric: str, lang: str) -> str:
    return t(f"metric.{metric}", lang)


def current_view(store: Store, token: str | None = None) -> ViewState:
    """The view from the URL, else from this session, else the default, checked against the data."""
    token = token or data.data_token(store)
    rng = data.data_range(store, token)
    zone_ids = tuple(data.zones(store, token)["zone_id"])
    packs = basemaps.installed_packs()
    offered = basemaps.available(packs)
    checked = {"data_range": rng, "zone_ids": zone_ids, "basemaps": offered, "default_basemap": basemaps.default(packs)}
    params = {k: st.query_params.get(k) for k in st.query_params.keys()}  # noqa: SIM118
    if params:
        return from_query(params, **checked)
    saved = st.session_state.get(SESSION_KEY)
    if isinstance(saved, ViewState) and saved.basemap in offered:
        return saved
    return from_query({}, **checked)


def remember(view: ViewState) -> None:
    """Keep the view in the session and the URL."""
    st.session_state[SESSION_KEY] = view
    # written on every run: a run cut short by st.rerun() may not have reached the browser's address bar
    st.query_params.from_dict(to_query(view))


def widget_key(name: str, lang: str) -> str:
    """The key of a sidebar widget whose labels depend on the language: one widget per language.

    Streamlit keeps a keyed widget across reruns when only its labels change, and
    the browser then goes on showing the old language's option labels (and a radio
    loses its selection). With a key per language, switching language draws fresh
    widgets, which start from the view (the URL), so no choice is lost. Chinese
    keeps the plain name.
    """
    return name if lang == "zh" else f"{name}_{lang}"


def keyed_in_language(name: str, lang: str, initial: object, *, options: Sequence[object] | None = None) -> str:
    """The key of a page widget whose labels depend on the language, with its value carried over.

    As :func:`widget_key`: one widget per language. A widget whose value does not
    come from the view (the URL) starts from what the user chose in the other
    language's widget (still in the session on the run that switches language),
    else from ``initial``; the value is put in the session under the key, so the
    widget must be drawn without ``default`` / ``index`` / ``value``. With
    ``options``, a value no longer among them is dropped (from a list) or
    replaced by ``initial``, as the options change with the data.
    """
    key = widget_key(name, lang)
    if key not in st.session_state:
        others = [widget_key(name, other) for other in LANGS if other != lang]
        carried = next((st.session_state[k] for k in others if k in st.session_state), initial)
        st.session_state[key] = carried
    if options is not None:
        value = st.session_state[key]
        if isinstance(value, list):
            st.session_state[key] = [v for v in value if v in options]
        elif value not in options:
            st.session_state[key] = initial
    return key


def language_picker(view: ViewState) -> str:
    """The language switch (中文 first); in Chinese it also puts Streamlit's own widget words in Chinese."""
    lang = st.sidebar.radio(
        t("lang.label", view.lang),
        LANGS,
        index=LANGS.index(view.lang),
        format_func=lambda code: t(f"lang.{code}", view.lang),
        horizontal=True,
        key="nm_lang",
    )
    chinese_widget_words(lang)
    return lang


def filter_sidebar(store: Store, *, metric: bool = True, map_options: bool = True) -> ViewState:
    """Draw the sidebar filters and return the resulting view (also written to the URL).

    Parameters
    ----------
    store
        The store (for the nights that have data).
    metric
        Show the map-colour metric choice.
    map_options
        Show the basemap and heat-layer choices.
    """
    token = data.data_token(store)
    view = current_view(store, token)
    lang = language_picker(view)
    view = view.with_(lang=lang)
    sb = st.sidebar
    sb.header(t("filter.header", lang))
    rng = data.data_range(store, token) or (view.start, view.end)
    picked = sb.date_input(
        t("filter.nights", lang),
        value=(view.start, view.end),
        min_value=rng[0],
        max_value=rng[1],
        help=t("filter.nights_help", lang),
        format="YYYY/MM/DD",
        key=widget_key("nm_nights", lang),
    )
    start, end = view.start, view.end
    if isinstance(picked, (tuple, list)) and len(picked) == 2:
        start, end = picked
    elif isinstance(picked, (tuple, list)) and len(picked) == 1:
        start = end = picked[0]
    elif isinstance(picked, dt.date):
        start = end = picked
    hours = view.hours if view.hours[0] in HOUR_OPTIONS and view.hours[1] % 24 in HOUR_OPTIONS else (17, 2)
    hours = (hours[0], hours[1] % 24)
    if HOUR_OPTIONS.index(hours[1]) <= HOUR_OPTIONS.index(hours[0]):
        hours = (17, 2)
    h0, h1 = sb.select_slider(
        t("filter.hours", lang),
        options=HOUR_OPTIONS,
        value=hours,
        format_func=lambda h: _hour_label(h, lang),
        help=t("filter.hours_help", lang),
        key=widget_key("nm_hours", lang),
    )
    if h0 == h1:
        h0, h1 = hours
    cats = sb.multiselect(
        t("filter.categories", lang),
        CATEGORIES,
        default=list(view.categories),
        format_func=lambda c: t(f"cat.{c}", lang),
        placeholder=t("filter.choose", lang),
        key=widget_key("nm_cats", lang),
    )
    if not cats:
        sb.warning(t("filter.no_category", lang))
        cats = list(CATEGORIES)
    only = view.zones
    zones = data.zones(store, token)
    if len(zones) > ZONE_FILTER_FROM:  # a searchable picker instead of a long list
        names = dict(zip(zones["zone_id"], zones["name_en" if lang == "en" else "name_zh"], strict=False))
        only = tuple(sb.multiselect(
            t("filter.zones", lang), list(names), default=[z for z in view.zones if z in names],
            format_func=lambda z: names.get(z) or z, placeholder=t("filter.zones_all", lang), key=widget_key("nm_zones", lang),
        ))
    chosen_metric = view.metric
    if metric:
        chosen_metric = sb.radio(
            t("filter.metric", lang),
            METRICS,
            index=METRICS.index(view.metric),
            format_func=lambda m: _metric_label(m, lang),
            key=widget_key("nm_metric", lang),
        )
    basemap, heat = view.basemap, view.heat
    if map_options:
        offered = basemaps.available(basemaps.installed_packs())
        basemap = sb.selectbox(
            t("overview.basemap", lang),
            offered,
            index=offered.index(view.basemap) if view.basemap in offered else 0,
            format_func=lambda b: t(f"overview.basemap.{b}", lang),
            key=widget_key("nm_basemap", lang),
        )
        heat = sb.toggle(t("overview.heat", lang), value=view.heat, key=widget_key("nm_heat", lang))
    sb.caption(t("baseline.help", lang))
    view = view.with_(start=start, end=end, hours=(h0, h1), categories=tuple(cats), metric=chosen_metric,
                      basemap=basemap, heat=heat, zones=only)
    remember(view)
    return view
