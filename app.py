"""解放区夜经济地图 — the app's entry: page navigation and the overview page.

The overview shows the campaign on the district map, KPIs, zones to watch and
zone detail. Layout only; every number comes from ``nightmap`` (see src/nightmap/).
The other pages are the scripts in ``pages/``, listed with bilingual titles.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

import nightmap.map as nmap
from nightmap import basemaps, charts, export, metrics, overview_text, tables
from nightmap.i18n import fmt_date, fmt_hour, fmt_int, fmt_money, md_escape, t
from nightmap.ui import data
from nightmap.ui.briefing import briefing_button
from nightmap.ui.layout import overview_css
from nightmap.ui.overview_map import note_pick, show_overview_map
from nightmap.ui.page import data_banner, english_css, setup_page
from nightmap.ui.sidebar import filter_sidebar, remember
from nightmap.ui.table_view import show_table

ATTENTION_SHOWN = 5  # zones to watch listed as buttons above the map; the rest fold into an expander


def overview() -> None:
    """The overview page."""
    store = setup_page("解放区夜经济地图 Night-Economy Map")
    view = filter_sidebar(store)
    lang = view.lang
    token = data.data_token(store)
    flt = view.filter()
    zones = data.zones(store, token)
    names = tables.zone_names(zones, lang)

    english_css(lang)
    st.title(t("app.title", lang))
    st.caption(t("app.subtitle", lang))
    data_banner(store, lang, token)
    st.markdown(
        "**" + t("filter.window", lang, start=fmt_date(view.start, lang), end=fmt_date(view.end, lang),
                 h0=fmt_hour(view.hours[0]), h1=fmt_hour(view.hours[1] % 24)) + "**"
    )

    summary = data.zone_summary(store, token, flt)
    tot = data.totals(store, token, flt)


    basis = data.basis(store, token, flt)  # how many baseline nights this view's baseline rests on
    by_cat = overview_text.category_note(view.categories, lang)  # visitors aren't split by category


    def _kpi(col: st.delta_generator.DeltaGenerator, label: str, value: str, key: str, what: str | None = None) -> None:
        d = overview_text.kpi_delta(tot.get(f"uplift_{key}"), lang, basis)  # ±0.0% is grey, with no arrow
        col.metric(label, value, d.text, delta_color=d.colour, delta_arrow=d.arrow, delta_description=d.note,
                   help=overview_text.kpi_help(basis, lang, extra=what))


    k1, k2, k3 = st.columns(3)  # totals, then per-visitor and per-order averages: five won't fit a laptop row
    _kpi(k1, t("kpi.visitors", lang), fmt_int(tot["visitors"], lang) + " " + t("unit.people", lang), "visitors", by_cat)
    _kpi(k2, t("kpi.spend", lang), fmt_money(tot["spend"], lang, short=True), "spend")
    _kpi(k3, t("kpi.orders", lang), fmt_int(tot["orders"], lang), "orders")
    k4, k5, _ = st.columns(3)
    _kpi(k4, t("kpi.spend_per_visitor", lang), fmt_money(tot["spend_per_visitor"], lang, decimals=1), "spend_per_visitor",
         " ".join(x for x in (t("kpi.spend_per_visitor_help", lang), by_cat) if x))
    _kpi(k5, t("kpi.spend_per_order", lang), fmt_money(tot["spend_per_order"], lang, decimals=1), "spend_per_order",
         t("kpi.spend_per_order_help", lang))
    for note in (by_cat, overview_text.single_night_caveat(basis, lang)):
        if note:
            st.caption(note)
    briefing_button(store, token, view)  # 夜经济日报 (DOCX) of this view, made on demand


    def _select_zone(zone_id: str | None) -> None:
        if zone_id is not None:
            note_pick()
        remember(view.with_(zone=zone_id))


    def _attention_button(group: metrics.ZoneAttention, prefix: str = "att") -> None:
        # one button per zone with every reason it is listed (and why it is on the other list too)
        label = overview_text.attention_label(group, md_escape(names.get(group.zone_id, group.zone_id)), lang)
        st.button(label, key=f"{prefix}_{group.zone_id}", on_click=_select_zone, args=(group.zone_id,), width="stretch")


    lagging_items, best_items = data.attention(store, token, flt)
    lagging, best = metrics.by_zone(lagging_items, best_items), metrics.by_zone(best_items, lagging_items)
    a_col, b_col = st.columns(2)
    with a_col:
        st.subheader(t("overview.attention", lang))
        st.caption(t("overview.attention_help", lang))
        if not lagging:
            st.write(t("overview.none", lang))
        shown = lagging if len(lagging) <= ATTENTION_SHOWN + 1 else lagging[:ATTENTION_SHOWN]
        for item in shown:
            _attention_button(item)
        if len(lagging) > len(shown):
            with st.expander(t("overview.attention_more", lang, n=len(lagging) - len(shown))):
                for item in lagging[len(shown):]:
                    _attention_button(item)
    with b_col:
        st.subheader(t("overview.best", lang))
        for item in best:
            _attention_button(item, "best")

    # the map sits in the first column of one columns block either way, so opening or closing a zone's
    # detail beside it keeps the same map (and where the user has zoomed to) instead of drawing a new one
    overview_css()  # on a laptop the detail goes under the map, which keeps the page's width
    if view.zone:
        map_col, detail_col = st.columns([3, 2], gap="medium")
    else:
        (map_col,), detail_col = st.columns(1), st.container()
    with map_col:
        st.subheader(t("overview.map", lang))
        st.caption(t("overview.map_help", lang))
        if basemaps.needs_internet(view.basemap):  # the map itself says so, and falls back, when tiles fail
            st.caption(t("map.online_note", lang))
        events = data.events(store, token, flt)
        returned = show_overview_map(store, token, flt, view, zones)
        click = (returned or {}).get("last_object_clicked")
        if click and click != st.session_state.get("nm_last_click"):
            st.session_state["nm_last_click"] = click
            clicked = nmap.zone_at(returned, zones=zones, basemap=view.basemap)
            if clicked and clicked != view.zone:
                _select_zone(clicked)
                st.rerun()

    with detail_col:
        options = [None, *zones["zone_id"]]
        picked = st.selectbox(
            t("overview.zone_select", lang), options, index=options.index(view.zone) if view.zone in options else 0,
            format_func=lambda z: t("overview.zone_none", lang) if z is None else names.get(z, z),
        )
        if picked != view.zone:
            _select_zone(picked)
            st.rerun()
        if view.zone:
            zone = zones.set_index("zone_id").loc[view.zone]
            st.subheader(t("overview.detail", lang, zone=md_escape(names[view.zone])))
            st.button(t("overview.close_detail", lang), on_click=_select_zone, args=(None,), key="nm_close_detail")
            st.caption(f"{t(f'kind.{zone.kind}', lang)} · "
                       + " / ".join(t(f"cat.{c}", lang) for c in zone.categories)
                       + "".join(f" · {w}" for w in [nmap.unverified_text(zone.location_confidence, lang)] if w)
                       + f" · {t('overview.location_note', lang)}",
                       help=md_escape(zone.location_note))  # how the outline was placed, on hover
            measure = "visitors" if (metrics.change_measure(view.metric) or view.metric) == "visitors" else "spend"
            st.markdown("**" + t("overview.trend", lang) + "**")
            first_night = (data.data_range(store, token) or (flt.start,))[0]
            trend_flt = flt.with_(start=max(first_night, flt.start - dt.timedelta(days=28)))
            st.altair_chart(charts.nightly_chart(data.nightly(store, token, trend_flt, view.zone),
                                                 measure=measure, lang=lang), width="stretch")
            st.markdown("**" + t("overview.profile", lang) + "**")
            st.altair_chart(charts.hourly_chart(data.hourly_profile(store, token, flt, view.zone),
                                                measure=measure, lang=lang), width="stretch")
            st.markdown("**" + t("overview.mix", lang) + "**")
            st.altair_chart(charts.category_chart(data.category_mix(store, token, flt, view.zone), lang=lang),
                            width="stretch")
            st.markdown("**" + t("overview.events", lang) + "**")
            zone_events = events[events["zone_id"] == view.zone]
            if zone_events.empty:
                st.write(t("overview.no_events", lang))
            else:
                show_table(tables.events_table(zone_events, zones, lang))

    metric_name = t(f"metric.{view.metric}", lang)
    st.subheader(t("overview.ranking", lang, metric=metric_name))
    ranking = tables.ranking_table(summary, zones, view.metric, lang)
    show_table(ranking)
    st.download_button(
        t("overview.download_csv", lang), export.to_csv_bytes(ranking),
        file_name=f"nightmap_ranking_{view.metric}_{view.start:%Y%m%d}-{view.end:%Y%m%d}.csv", mime="text/csv",
    )


def _title(script: Path) -> str:
    """``1_片区对比_Compare.py`` → ``片区对比 Compare``."""
    parts = script.stem.split("_")
    return " ".join(parts[1:] if parts[0].isdigit() else parts)


PAGES = [st.Page(overview, title="总览 Overview", default=True)] + [
    st.Page(str(p.relative_to(Path(__file__).parent)), title=_title(p))
    for p in sorted((Path(__file__).parent / "pages").glob("*.py"))
]
st.navigation(PAGES).run()
