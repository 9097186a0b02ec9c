"""解放区夜经济地图 — the app's entry: page navigation and the overview page.

The overview shows the campaign on the district map, KPIs, zones to watch and
zone detail. Layout only; every number comes from ``nightmap`` (see src/nightmap/).
The other pages are the scripts in ``pages/``, listed with bilingual titles.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from nightmap import charts, export, mapview, metrics, tables
from nightmap.i18n import fmt_date, fmt_hour, fmt_int, fmt_money, fmt_pct, md_escape, t
from nightmap.ui import data
from nightmap.ui.briefing import briefing_button
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


    def _delta(key: str) -> str | None:
        pct = tot.get(f"uplift_{key}")
        return t("kpi.delta_vs_baseline", lang, pct=fmt_pct(pct)) if pct == pct else None


    k1, k2, k3, k4 = st.columns(4)
    k1.metric(t("kpi.visitors", lang), fmt_int(tot["visitors"], lang) + " " + t("unit.people", lang),
              _delta("visitors"), help=t("baseline.help", lang))
    k2.metric(t("kpi.spend", lang), fmt_money(tot["spend"], lang, short=True), _delta("spend"), help=t("baseline.help", lang))
    k3.metric(t("kpi.orders", lang), fmt_int(tot["orders"], lang), _delta("orders"), help=t("baseline.help", lang))
    k4.metric(t("kpi.spend_per_visitor", lang), fmt_money(tot["spend_per_visitor"], lang, decimals=1),
              _delta("spend_per_visitor"), help=t("baseline.help", lang))
    briefing_button(store, token, view)  # 夜经济日报 (DOCX) of this view, made on demand


    def _select_zone(zone_id: str | None) -> None:
        if zone_id is not None:
            note_pick()
        remember(view.with_(zone=zone_id))


    def _attention_button(item: metrics.Attention, prefix: str = "att") -> None:
        if item.reason == "low_night":
            why = t("overview.low_night", lang, night=fmt_date(item.night, lang, year=False), pct=f"{item.value:.0f}%")
        else:
            why = t("overview.lagging", lang, metric=t("metric.spend", lang), pct=fmt_pct(item.value))
        st.button(f"{md_escape(names.get(item.zone_id, item.zone_id))} — {why}", key=f"{prefix}_{item.zone_id}",
                  on_click=_select_zone, args=(item.zone_id,), width="stretch")


    lagging, best = data.attention(store, token, flt)
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
    if view.zone:
        map_col, detail_col = st.columns([3, 2], gap="medium")
    else:
        (map_col,), detail_col = st.columns(1), st.container()
    with map_col:
        st.subheader(t("overview.map", lang))
        st.caption(t("overview.map_help", lang))
        events = data.events(store, token, flt)
        returned = show_overview_map(store, token, flt, view, zones)
        click = (returned or {}).get("last_object_clicked")
        if click and click != st.session_state.get("nm_last_click"):
            st.session_state["nm_last_click"] = click
            clicked = mapview.zone_at(returned, zones=zones, basemap=view.basemap)
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
                       + "".join(f" · {w}" for w in [mapview.unverified_text(zone.location_confidence, lang)] if w)
                       + f" · {t('overview.location_note', lang)}",
                       help=md_escape(zone.location_note))  # how the outline was placed, on hover
            measure = "visitors" if view.metric == "visitors" else "spend"
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
