"""AppTest of the 活动 page: the effects table equals the package, and every control changes what is shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from apptest_support import run_page
from nightmap import event_effects, tables
from nightmap.filters import Filter
from nightmap.store import Store

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "pages" / "2_活动_Events.py"
LAUNCH = "ev-20220617-xinan_road-launch"


def shown(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def expected(store: Store, flt: Filter, lang: str = "zh", kinds: list[str] | None = None) -> pd.DataFrame:
    eff = event_effects.event_effects(store, flt)
    if kinds is not None:
        eff = eff[eff["kind"].isin(kinds)].reset_index(drop=True)
    return tables.event_effects_table(eff, store.zones(), lang)


def chart_bytes(at: AppTest, i: int) -> bytes:
    proto = at.get("vega_lite_chart")[i].proto
    return proto.spec.encode() + b"".join(d.data.data for d in proto.datasets) + proto.data.data


def test_default_table_equals_the_package(app_store: Store) -> None:
    at = run_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "活动"
    table = shown(at)
    pd.testing.assert_frame_equal(table, expected(app_store, Filter()))
    launch = table.set_index("活动 ID").loc[LAUNCH]
    assert "第1轮餐饮消费券发放" in launch["时间重叠的活动"]  # the launch overlaps the voucher round
    assert launch["时间"] == "6月17日 19:30—21:30"
    fathers = table[table["活动"].str.contains("父亲节")]
    assert len(fathers) == 4
    assert len(at.get("vega_lite_chart")) == 2
    assert len(at.get("component_instance")) == 1  # the st_folium map (an unknown element to AppTest)
    assert at.get("download_button")[0].label == "下载活动效果表（CSV）"
    eff = event_effects.event_effects(app_store, Filter())
    assert any(f"共{len(eff)}项活动，其中{int(eff['overlap'].sum())}项" in m.value for m in at.markdown)


def test_zone_filter(app_store: Store) -> None:
    at = run_page(PAGE)
    at.multiselect(key="nm_ev_zones").set_value(["xinan_road"]).run()
    assert not at.exception
    pd.testing.assert_frame_equal(shown(at), expected(app_store, Filter(zones=("xinan_road",))))
    assert set(shown(at)["片区"]) == {"新安路步行街"}


def test_kind_filter(app_store: Store) -> None:
    at = run_page(PAGE)
    at.multiselect(key="nm_ev_kinds").set_value(["ceremony", "promotion"]).run()
    pd.testing.assert_frame_equal(shown(at), expected(app_store, Filter(), kinds=["ceremony", "promotion"]))
    assert len(shown(at)) == 5


def test_choices_survive_switching_language(app_store: Store) -> None:
    at = run_page(PAGE)
    at.multiselect(key="nm_ev_kinds").set_value(["ceremony", "promotion"]).run()
    at.radio(key="nm_ev_measure").set_value("spend").run()
    at.sidebar.radio(key="nm_lang").set_value("en").run()
    assert not at.exception
    assert not [w for w in at.warning if "Session State" in w.value]  # no "set via Session State API" warning
    kinds, measure = at.multiselect(key="nm_ev_kinds_en"), at.radio(key="nm_ev_measure_en")
    assert kinds.value == ["ceremony", "promotion"] and {"Ceremony", "Promotion"} <= set(kinds.options)
    assert measure.value == "spend" and measure.options == ["Visitors", "Spending"]
    pd.testing.assert_frame_equal(shown(at), expected(app_store, Filter(), "en", kinds=["ceremony", "promotion"]))
    at.sidebar.radio(key="nm_lang").set_value("zh").run()
    assert at.multiselect(key="nm_ev_kinds").value == ["ceremony", "promotion"]
    assert at.radio(key="nm_ev_measure").value == "spend"


def test_measure_switch_changes_the_effect_chart(app_store: Store) -> None:
    at = run_page(PAGE)
    before = chart_bytes(at, 1)
    at.radio(key="nm_ev_measure").set_value("spend").run()
    assert chart_bytes(at, 1) != before
    assert any(h.value == "活动效果：消费额较普通夜晚同一时段的变化" for h in at.subheader)


def test_sidebar_filters_change_the_effects(app_store: Store) -> None:
    at = run_page(PAGE)
    before = shown(at)
    at.sidebar.multiselect(key="nm_cats").set_value(["eat"]).run()
    assert not shown(at).equals(before)
    pd.testing.assert_frame_equal(shown(at), expected(app_store, Filter(categories=("eat",))))
    at.sidebar.select_slider(key="nm_hours").set_value((20, 22)).run()
    pd.testing.assert_frame_equal(shown(at), expected(app_store, Filter(hours=(20, 22), categories=("eat",))))
    night = dt.date(2022, 6, 24)
    at.sidebar.date_input(key="nm_nights").set_value((night, night)).run()
    pd.testing.assert_frame_equal(
        shown(at), expected(app_store, Filter(night, night, (20, 22), ("eat",))))


def test_english(app_store: Store) -> None:
    at = run_page(PAGE, lang="en", **{"from": "2022-06-18", "to": "2022-06-19"})
    assert not at.exception
    assert at.title[0].value == "Events"
    flt = Filter(dt.date(2022, 6, 18), dt.date(2022, 6, 19))
    pd.testing.assert_frame_equal(shown(at), expected(app_store, flt, "en"))
    assert "Visitors z-score" in shown(at).columns
    assert "ev-20220617-xinan_road-voucher-r1" in set(shown(at)["Event ID"])  # began on 17 June, still running


def test_range_without_events_says_so(app_store: Store) -> None:
    at = run_page(PAGE, **{"from": "2022-06-20", "to": "2022-06-21"})
    assert not at.exception
    assert event_effects.event_effects(app_store, Filter(dt.date(2022, 6, 20), dt.date(2022, 6, 21))).empty
    assert [i.value for i in at.info] == ["所选范围内没有活动。"]
    assert len(at.dataframe) == 0
