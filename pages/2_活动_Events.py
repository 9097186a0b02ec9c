"""活动 Events — every event on a timeline, its effect against ordinary nights, a small map and a table.

Layout only; every number comes from ``nightmap`` (event_effects, charts, tables, map).
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from nightmap import charts, compare, event_effects, export, tables
from nightmap.i18n import t
from nightmap.ui import cache_compare, data
from nightmap.ui.events_filters import events_query, remember_events
from nightmap.ui.layout import wrap_chips_css
from nightmap.ui.page import data_banner, setup_page
from nightmap.ui.sidebar import filter_sidebar, keyed_in_language
from nightmap.ui.table_view import show_table
from nightmap.viewstate import EventsView, events_from_query

store = setup_page("活动 Events")
ev_params = events_query()  # before the sidebar rewrites the URL
view = filter_sidebar(store, metric=False, map_options=False)
lang = view.lang
token = data.data_token(store)
zones = data.zones(store, token)
names = tables.zone_names(zones, lang)

st.title(t("events.title", lang))
st.caption(t("events.caption", lang))
data_banner(store, lang, token)

wrap_chips_css()  # the kind chips wrap on a narrow page
all_effects = cache_compare.event_effects(store, token, view.filter())
zone_col, kind_col, measure_col = st.columns([3, 2, 1])
zone_options = [z for z in zones["zone_id"] if z in set(all_effects["zone_id"])]
kinds = list(dict.fromkeys(event_effects.rank_for_display(all_effects)["kind"]))
shared = events_from_query(ev_params, zone_ids=zone_options, kinds=kinds, measures=event_effects.MEASURES)
zone_pick = zone_col.multiselect(
    t("events.zones", lang), zone_options, format_func=lambda z: names.get(z, z),
    placeholder=t("filter.zones_all", lang),
    key=keyed_in_language("nm_ev_zones", lang, list(shared.zones), options=zone_options),
)
kind_pick = kind_col.multiselect(
    t("events.kinds", lang), kinds, format_func=lambda k: t(f"event.kind.{k}", lang),
    placeholder=t("filter.choose", lang),
    key=keyed_in_language("nm_ev_kinds", lang, kinds if shared.kinds is None else list(shared.kinds), options=kinds),
)
measure = measure_col.radio(
    t("events.measure", lang), event_effects.MEASURES, format_func=lambda m: t(f"metric.{m}", lang),
    key=keyed_in_language("nm_ev_measure", lang, shared.measure),
)
remember_events(EventsView(zones=tuple(zone_pick), kinds=None if set(kind_pick) == set(kinds) else tuple(kind_pick),
                           measure=measure))
flt = view.filter(zones=tuple(zone_pick))
effects = cache_compare.event_effects(store, token, flt)
effects = event_effects.rank_for_display(effects[effects["kind"].isin(kind_pick)])

st.markdown("**" + compare.window_text(view.start, view.end, view.hours, lang) + "**")
if effects.empty:
    st.info(t("events.none", lang))
    st.stop()
st.write(t("events.count", lang, n=len(effects), k=int(effects["overlap"].sum())))

st.subheader(t("events.timeline", lang))
st.altair_chart(charts.event_timeline(effects, names=names, lang=lang, nights=(view.start, view.end)),
                width="stretch")

st.subheader(t("events.effect", lang, metric=t(f"metric.{measure}", lang)))
st.caption(t("events.effect_help", lang))
band = event_effects.normal_range(effects, measure)
st.altair_chart(charts.event_effect_chart(effects, band, measure=measure, names=names, lang=lang), width="stretch")
with st.expander(t("events.method_title", lang)):
    st.write(t("events.method", lang))
    st.caption(t("baseline.help", lang))

st.subheader(t("events.map", lang))
st.caption(t("events.map_help", lang))
fmap = cache_compare.events_map(store, token, view.filter(), flt, tuple(kind_pick), lang, view.basemap)
st_folium(fmap, height=440, use_container_width=True, key="events_map", returned_objects=[])

st.subheader(t("events.table", lang))
table = tables.event_effects_table(effects, zones, lang, data.data_status(store, token))
show_table(table, hide=[t("col.event", lang) + " ID"])  # the id stays in the CSV
st.download_button(
    t("events.download_csv", lang), export.to_csv_bytes(table),
    file_name=f"nightmap_events_{view.start:%Y%m%d}-{view.end:%Y%m%d}.csv", mime="text/csv", key="nm_ev_csv",
)
