"""Issue #14, figures that mislead: every figure means what its label says (bundled data, 17–30 June 2022)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

import nightmap.map as nmap
from apptest_support import run_page
from nightmap import charts, geo, metrics, overview_text, playback, tables
from nightmap.filters import Filter
from nightmap.i18n import fmt_money, fmt_pct, pct_sign, t
from nightmap.store import Store
from nightmap.viewstate import from_query

LAUNCH = dt.date(2022, 6, 17)  # a Friday: its baseline is Friday 10 June alone


def totals(store: Store, flt: Filter) -> dict[str, float]:
    return metrics.totals(metrics.zone_summary(store, flt))


def legend_html(fmap) -> str:
    return next(c.html for c in fmap._children.values() if isinstance(c, nmap.elements._Legend))


# --------------------------------------------------------------------------- 客单价 and 人均消费


def test_spend_per_order_and_spend_per_visitor_are_their_own_ratios(bundled_store: Store) -> None:
    tot = totals(bundled_store, Filter())
    assert tot["spend_per_order"] == pytest.approx(tot["spend"] / tot["orders"])
    assert tot["spend_per_visitor"] == pytest.approx(tot["spend"] / tot["visitors"])
    assert tot["spend_per_order"] == pytest.approx(84.4, abs=0.05)  # the figures
    assert tot["spend_per_visitor"] == pytest.approx(41.7, abs=0.05)
    base = tot["base_spend"] / tot["base_orders"]
    assert tot["base_spend_per_order"] == pytest.approx(base)
    want = (tot["m_spend"] / tot["m_orders"] / base - 1) * 100
    assert tot["uplift_spend_per_order"] == pytest.approx(want)


def test_labels_say_per_visitor_and_per_order() -> None:
    assert t("kpi.spend_per_visitor", "zh") == "人均消费" and t("kpi.spend_per_order", "zh") == "客单价"
    assert t("metric.spend_per_visitor", "zh") == "人均消费" and t("col.spend_per_visitor", "zh") == "人均消费（元/人）"
    assert t("kpi.spend_per_order", "en") == "Spend per order"
    assert "客单价" not in t("compare.row.spv", "zh") and "客单价" not in t("briefing.headline", "zh")


def test_overview_kpis_show_spend_per_order_and_spend_per_visitor(app_store: Store) -> None:
    at = run_page("app.py")
    assert not at.exception
    tot = totals(app_store, Filter())
    shown = {m.label: m for m in at.metric}
    assert shown["客单价"].value == fmt_money(tot["spend"] / tot["orders"], "zh", decimals=1) == "84.4元"
    assert shown["人均消费"].value == fmt_money(tot["spend"] / tot["visitors"], "zh", decimals=1) == "41.7元"
    assert "消费额 ÷ 订单数" in shown["客单价"].help and "消费额 ÷ 客流" in shown["人均消费"].help
    assert shown["客单价"].delta == f"{fmt_pct(tot['uplift_spend_per_order'])} 较基线"


# --------------------------------------------------------------------------- the diverging scale


@pytest.mark.parametrize("values", [[-60, 300], [-100, 20], [-5, 250], [10, 300], [-99.9, -50], [-30, 40]])
def test_no_change_class_below_minus_100(values: list[float]) -> None:
    scale = nmap.colour_scale(values, diverging=True)
    assert min(scale.breaks) >= -100
    assert list(scale.breaks) == sorted(set(scale.breaks))  # strictly increasing
    assert len(scale.colours) == len(scale.breaks) - 1 == 6 and 0 in scale.breaks
    assert scale.breaks[0] <= min(values) and scale.breaks[-1] >= max(values)  # every value in a class
    assert scale.colour(min(values)) in (nmap.DIVERGING_NEG if min(values) < 0 else nmap.DIVERGING_POS)


def test_small_symmetric_changes_keep_symmetric_classes() -> None:
    scale = nmap.colour_scale([-30, 40], diverging=True)
    assert scale.breaks == (-45, -30, -15, 0, 15, 30, 45)


@pytest.mark.parametrize("metric", ["uplift", "uplift_visitors"])
@pytest.mark.parametrize(("start", "end"), [(LAUNCH, LAUNCH), (dt.date(2022, 6, 17), dt.date(2022, 6, 30)),
                                            (dt.date(2022, 6, 3), dt.date(2022, 6, 30))])
def test_uplift_legend_on_the_bundled_data_never_below_minus_100(bundled_store: Store, metric: str,
                                                                  start: dt.date, end: dt.date) -> None:
    summary = metrics.zone_summary(bundled_store, Filter(start, end))
    values = metrics.metric_values(summary, metric)
    scale = nmap.colour_scale(values["value"], diverging=True)
    assert min(scale.breaks) >= -100
    fmap = nmap.build_map(zones=geo.zones_from_table(bundled_store.zones()), districts=None, values=values, metric=metric, lang="zh")
    legend = legend_html(fmap)
    ticks = [int(x) for x in re.findall(r"([+-]?\d+)%", legend)]
    assert ticks and min(ticks) >= -100, legend
    title = "客流较基线变化（%）" if metric == "uplift_visitors" else "消费额较基线变化（%）"
    assert title in legend


# --------------------------------------------------------------------------- ±0.0 is neutral


def test_a_change_that_rounds_to_zero_is_neutral() -> None:
    assert fmt_pct(-0.04) == "±0.0%" and fmt_pct(0.04, "en") == "±0.0%" and fmt_pct(-0.05) == "-0.1%"
    assert fmt_pct(-0.04, signed=False) == "0.0%"
    assert pct_sign(-0.04) == "" and pct_sign(-0.06) == "down" and pct_sign(0.05) == "up"
    d = overview_text.kpi_delta(-0.04, "en")
    assert (d.text, d.colour, d.arrow) == ("±0.0% vs baseline", "off", "off")
    d = overview_text.kpi_delta(-3.0, "zh")
    assert (d.text, d.colour, d.arrow) == ("-3.0% 较基线", "normal", "auto")


def test_overview_shows_minus_zero_point_zero_grey_with_no_arrow(app_store: Store) -> None:
    """The issue's view: spend per visitor is −0.04 % on its baseline, once shown as a red "↓ −0.0%"."""
    query = {"hours": "17-0", "cat": "shop,play", "metric": "spend", "lang": "en"}
    tot = totals(app_store, from_query(query).filter())
    assert -0.05 < tot["uplift_spend_per_visitor"] < 0
    at = run_page("app.py", **query)
    assert not at.exception
    m = next(m for m in at.metric if m.label == "Spend per visitor")
    assert m.delta == "±0.0% vs baseline"
    assert m.proto.direction == MetricProto.MetricDirection.NONE and m.proto.color == MetricProto.MetricColor.GRAY
    other = next(m for m in at.metric if m.label == "Total spending")  # a real rise keeps its arrow and colour
    assert other.proto.direction == MetricProto.MetricDirection.UP and other.proto.color == MetricProto.MetricColor.GREEN


def test_charts_and_presenter_treat_zero_as_neither_up_nor_down() -> None:
    frame = pd.DataFrame({"zone_id": ["a"], "near_zero": [-0.04], "fall": [-5.0]})
    chart = charts.pair_multiples(frame, columns={"near_zero": "x", "fall": "y"}, names={"a": "A"}, axis_title="%",
                                  diverging=True, decimals=1, suffix="%")
    data = chart.data
    assert list(data["sign"]) == ["flat", "down"] and list(data["text"]) == ["±0.0%", "-5.0%"]
    numbers = playback.player._numbers({"uplift_visitors": -0.04, "uplift_spend": 2.0}, "nights", "zh")
    assert [n["sign"] for n in numbers[2:]] == ["", "up"] and numbers[2]["value"] == "±0.0%"


# --------------------------------------------------------------------------- the measure of a change


def test_uplift_visitors_is_visitors_change_and_uplift_is_spendings(bundled_store: Store) -> None:
    summary = metrics.zone_summary(bundled_store, Filter())
    vis = metrics.metric_values(summary, "uplift_visitors").set_index("zone_id")
    spend = metrics.metric_values(summary, "uplift").set_index("zone_id")
    s = summary.set_index("zone_id")
    assert vis["value"].tolist() == pytest.approx(s["uplift_visitors"].tolist())
    assert spend["value"].tolist() == pytest.approx(s["uplift_spend"].tolist())
    assert vis["value"].tolist() != pytest.approx(spend["value"].tolist())
    assert t("metric.uplift", "zh") == "消费额较基线变化" and t("metric.uplift", "en") == "Spending vs baseline"
    assert t("metric.uplift_visitors", "zh") == "客流较基线变化"
    assert from_query({"metric": "uplift_visitors"}).metric == "uplift_visitors"


def test_uplift_visitors_from_the_url_ranks_by_visitors_change(app_store: Store) -> None:
    at = run_page("app.py", metric="uplift_visitors")
    assert not at.exception
    assert at.sidebar.radio(key="nm_metric").value == "uplift_visitors"
    assert "片区排名：客流较基线变化" in [h.value for h in at.subheader]
    table = at.dataframe[-1].value
    assert "客流较基线变化 (%)" in table.columns and "客流（人次）" in table.columns
    summary = metrics.zone_summary(app_store, Filter())
    want = metrics.ranking(summary, "uplift_visitors")
    names = tables.zone_names(app_store.zones(), "zh")
    assert list(table["片区"]) == [names[z] for z in want["zone_id"]]
    assert list(table["客流较基线变化 (%)"]) == pytest.approx(list(want["uplift_pct"].round(1)))
    at = run_page("app.py", metric="uplift")
    table = at.dataframe[-1].value
    assert "消费额较基线变化 (%)" in table.columns and "客流较基线变化 (%)" not in table.columns


# --------------------------------------------------------------------------- visitors under a category filter


def test_category_filter_says_what_visitors_mean(app_store: Store) -> None:
    note = t("kpi.visitors_by_category", "zh")
    at = run_page("app.py", cat="eat")
    assert any(c.value == note for c in at.caption)
    spv = next(m for m in at.metric if m.label == "人均消费")
    assert note in spv.help and "不按业态区分" in spv.help
    at = run_page("app.py")
    assert not any(c.value == note for c in at.caption)
    assert note not in next(m for m in at.metric if m.label == "人均消费").help


# --------------------------------------------------------------------------- how many nights the baseline rests on


def test_baseline_basis_of_a_friday_is_one_night(bundled_store: Store) -> None:
    basis = metrics.basis_summary(metrics.baseline_basis(bundled_store, Filter(LAUNCH, LAUNCH)))
    assert basis.used == (dt.date(2022, 6, 10),) and basis.fewest == basis.most == 1 and basis.single == (LAUNCH,)
    campaign = metrics.basis_summary(metrics.baseline_basis(bundled_store, Filter()))
    assert (campaign.fewest, campaign.most, campaign.nights) == (1, 2, 14)
    assert {d.weekday() for d in campaign.single} == {4, 5, 6}  # Friday to Sunday
    assert len(campaign.used) == 11  # 6–16 June; 3–5 June (Dragon Boat) excluded


def test_friday_only_view_says_its_baseline_rests_on_one_night(app_store: Store) -> None:
    at = run_page("app.py", **{"from": "2022-06-17", "to": "2022-06-17"})
    assert not at.exception
    for m in at.metric:
        assert "每晚依据1个同星期几的基线夜" in m.help and "6月10日" in m.help, m.label
        assert m.proto.delta_description == "基于1个同星期基线夜", m.label
    assert any(c.value == "基于1个同星期基线夜（6月10日），对比仅供参考。" for c in at.caption)
    at = run_page("app.py", **{"from": "2022-06-20", "to": "2022-06-23"})  # Monday–Thursday: two nights each
    assert all(m.proto.delta_description == "" for m in at.metric)
    assert all("每晚依据2个同星期几的基线夜" in m.help for m in at.metric)
    assert not any("基于1个同星期基线夜" in c.value for c in at.caption)


# --------------------------------------------------------------------------- every reason a zone is listed


def test_every_reason_of_baihuo_dalou_is_listed(bundled_store: Store) -> None:
    flt = Filter()
    lag, best = metrics.attention(metrics.zone_summary(bundled_store, flt), metrics.nightly_by_zone(bundled_store, flt))
    groups = {g.zone_id: g for g in metrics.by_zone(lag, best)}
    reasons = {r.reason: r for r in groups["baihuo_dalou"].reasons}
    assert set(reasons) == {"lagging", "low_night"}
    assert reasons["lagging"].value == pytest.approx(6.75, abs=0.01)
    assert reasons["low_night"].night == LAUNCH and reasons["low_night"].value == pytest.approx(69.5, abs=0.05)
    label = overview_text.attention_label(groups["baihuo_dalou"], "百货大楼", "zh")
    assert label.split("  \n") == ["**百货大楼**", "消费额较基线 +6.8%", "6月17日 仅为基线的 69%"]


def test_overview_button_lists_every_reason_and_explains_both_lists(app_store: Store) -> None:
    at = run_page("app.py")
    assert not at.exception
    baihuo = at.button(key="att_baihuo_dalou").label
    assert "+6.8%" in baihuo and "6月17日 仅为基线的 69%" in baihuo
    assert len([b for b in at.button if b.key == "att_baihuo_dalou"]) == 1  # one button per zone
    watch = at.button(key="att_jinxiang_street").label.split("  \n")
    top = at.button(key="best_jinxiang_street").label.split("  \n")
    assert watch == ["**锦祥商业街**", "6月21日 仅为基线的 69%", "整个时段表现突出：消费额较基线 +65.5%"]
    assert top == ["**锦祥商业街**", "消费额较基线 +65.5%", "但6月21日 仅为基线的 69%（见需关注片区）"]
    at = run_page("app.py", lang="en")
    top = at.button(key="best_jinxiang_street").label.split("  \n")
    assert top[-1] == "But 21 Jun: only 69% of baseline (see zones to watch)"
    assert max(len(line) for b in at.button if b.key and b.key.startswith(("att_", "best_"))
               for line in b.label.split("  \n")) <= 60  # each line fits a half-width button at 1366 px


def test_a_one_night_view_does_not_say_the_same_reason_twice(bundled_store: Store) -> None:
    flt = Filter(LAUNCH, LAUNCH)
    lag, best = metrics.attention(metrics.zone_summary(bundled_store, flt), metrics.nightly_by_zone(bundled_store, flt))
    groups = {g.zone_id: g for g in metrics.by_zone(lag, best)}
    assert [r.reason for r in groups["baihuo_dalou"].reasons] == ["lagging"]
    assert groups["baihuo_dalou"].reasons[0].value == pytest.approx(-30.5, abs=0.05)
    assert overview_text.attention_label(groups["baihuo_dalou"], "百货大楼", "zh") == "**百货大楼**  \n消费额较基线 -30.5%"


def test_briefing_ranks_by_visitors_change_and_numbers_each_zone_once(bundled_store: Store) -> None:
    import io

    import docx

    from nightmap import briefing

    flt = Filter()
    doc = docx.Document(io.BytesIO(briefing.make_briefing(bundled_store, flt, metric="uplift_visitors", lang="zh")))
    text = [p.text for p in doc.paragraphs]
    assert any(p.startswith("表2  片区客流较基线变化排名") for p in text)
    header = [c.text for c in doc.tables[1].rows[0].cells]
    assert header[3] == "客流（人次）" and header[5] == "客流较基线变化 (%)"
    kpi_rows = [r.cells[0].text for r in doc.tables[0].rows[1:]]
    assert kpi_rows == ["总客流（人次）", "总消费额（元）", "总订单数（单）", "人均消费（元/人）", "客单价（元/单）"]
    line = next(p for p in text if p.startswith("（") and "百货大楼：" in p)  # one numbered line, every reason
    assert "消费额较基线增长6.8%，增幅在各片区中居后" in line and "6月17日消费额仅为基线的69%" in line


@pytest.mark.parametrize("command", ["report", "export-html"])
def test_cli_offers_both_changes_as_metrics(command: str) -> None:
    from click.testing import CliRunner

    from nightmap.cli import cli

    out = CliRunner().invoke(cli, [command, "--help"], terminal_width=200).output
    assert re.search(r"\[visitors\|spend\|spend_per_visitor\|uplift\|uplift_visitors\]", out), out
