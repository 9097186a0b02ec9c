"""片区对比 Compare zones — 2 to 6 zones side by side, with a ranked comparison table and downloads.

Layout only; every number comes from ``nightmap`` (metrics, compare, charts, tables).
"""

from __future__ import annotations

import streamlit as st

from nightmap import charts, compare, metrics, tables
from nightmap.i18n import md_escape, t
from nightmap.ui import cache_compare, data
from nightmap.ui.layout import wrap_chips_css
from nightmap.ui.page import data_banner, setup_page
from nightmap.ui.sidebar import filter_sidebar, remember
from nightmap.ui.table_view import show_table

store = setup_page("片区对比 Compare zones")
view = filter_sidebar(store, metric=False, map_options=False)
lang = view.lang
token = data.data_token(store)
flt = view.filter()
zones = data.zones(store, token)
names = tables.zone_names(zones, lang)
defaults = compare.default_zones(zones)

st.title(t("compare.title", lang))
st.caption(t("compare.caption", lang))
data_banner(store, lang, token)
st.markdown("**" + compare.window_text(view.start, view.end, view.hours, lang) + "**")

if "nm_compare" not in st.session_state:
    st.session_state["nm_compare"] = list(compare.selection(view.compare, zones))


def _reset() -> None:
    st.session_state["nm_compare"] = list(defaults)


wrap_chips_css()  # the chips wrap on a narrow page
picked = st.multiselect(
    t("compare.pick", lang), list(zones["zone_id"]), format_func=lambda z: names.get(z, z),
    max_selections=compare.MAX_ZONES, help=t("compare.pick_help", lang), placeholder=t("filter.choose", lang),
    key="nm_compare",
)
st.button(t("compare.reset", lang), on_click=_reset, key="nm_compare_reset")
remember(view.with_(compare=tuple(picked)))
if len(picked) < compare.MIN_ZONES:
    st.warning(t("compare.too_few", lang))
chosen = compare.selection(picked, zones)
chosen_names = {z: names.get(z, z) for z in chosen}

summary = data.zone_summary(store, token, flt)
grid = compare.nightly_grid(data.nightly_by_zone(store, token, flt), chosen, flt.nights)
note = compare.missing_note(compare.missing_nights(grid), {z: md_escape(n) for z, n in names.items()}, lang)
if note:
    st.info(note)
hourly = cache_compare.hourly_by_zone(store, token, flt, chosen)
mix = cache_compare.category_by_zone(store, token, flt, chosen)

st.subheader(t("compare.row.nightly_visitors", lang))
st.altair_chart(charts.nightly_multiples(grid, measure="visitors", names=chosen_names, lang=lang), width="content")
st.subheader(t("compare.row.nightly_spend", lang))
st.altair_chart(charts.nightly_multiples(grid, measure="spend", names=chosen_names, lang=lang), width="content")
st.subheader(t("compare.row.hourly", lang))
st.altair_chart(charts.hourly_multiples(hourly, measure="visitors", names=chosen_names, lang=lang), width="content")
st.subheader(t("compare.row.mix", lang))
st.altair_chart(charts.category_multiples(mix, names=chosen_names, lang=lang), width="content")
st.subheader(t("compare.row.spv", lang))
st.altair_chart(charts.pair_multiples(
    compare.spv_frame(summary, chosen),
    columns={"spend_per_visitor": t("chart.actual", lang), "base_spend_per_visitor": t("chart.baseline", lang)},
    names=chosen_names, axis_title=t("col.spend_per_visitor", lang), lang=lang, decimals=1,
), width="content")
st.subheader(t("compare.row.uplift", lang))
st.altair_chart(charts.pair_multiples(
    compare.uplift_frame(summary, chosen),
    columns={"uplift_visitors": t("metric.visitors", lang), "uplift_spend": t("metric.spend", lang)},
    names=chosen_names, axis_title=t("events.chart.change", lang), lang=lang, diverging=True, suffix="%",
), width="content")

st.subheader(t("compare.table", lang))
n_ranked = int(metrics.metric_values(summary, "visitors")["value"].notna().sum())
st.caption(t("compare.table_help", lang, n=n_ranked))
table = compare.comparison_table(summary, zones, chosen, lang)
show_table(table)

filters = compare.filter_sheet(
    start=view.start, end=view.end, hours=view.hours, categories=view.categories, chosen=chosen, zones=zones,
    status=data.data_status(store, token), source=cache_compare.source_info(store, token), lang=lang, note=note,
    data_range=data.data_range(store, token),
)
sheets = compare.workbook_sheets(
    filters=filters, table=table, nightly=compare.nightly_sheet(grid, zones, lang),
    hourly=compare.hourly_sheet(hourly, zones, lang), mix=compare.category_sheet(mix, zones, lang), lang=lang,
)
stem = f"nightmap_compare_{view.start:%Y%m%d}-{view.end:%Y%m%d}"
x_col, c_col = st.columns(2)
x_col.download_button(
    t("compare.download_xlsx", lang), lambda: compare.workbook_bytes(sheets), file_name=f"{stem}.xlsx",  # on click
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="nm_compare_xlsx",
)
c_col.download_button(t("compare.download_csv", lang), compare.table_csv(table), file_name=f"{stem}.csv",
                      mime="text/csv", key="nm_compare_csv")
