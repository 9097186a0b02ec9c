"""AppTest of the 活动 page: the effects table equals the package, and every control changes what is shown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from apptest_support import run_page
from nightmap import charts, event_effects, tables
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
        eff = eff[eff["kind"].isin(kinds)]
    return tables.event_effects_table(event_effects.rank_for_display(eff), store.zones(), lang, store.data_status())


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


# --------------------------------------------------------------------------- charts sized to their rows, URL


def chart_specs(at: AppTest) -> list[tuple[dict, list[pd.DataFrame]]]:
    """Each chart's Vega-Lite spec and its data sets (decoded from Arrow), in page order."""
    out = []
    for el in at.get("vega_lite_chart"):
        frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in el.proto.datasets]
        out.append((json.loads(el.proto.spec), frames))
    return out


def test_one_kind_one_zone_one_night_charts_have_room(app_store: Store) -> None:
    """Filtering to one kind, one zone or one night never blanks a chart, and every row gets its height."""
    one_kind = run_page(PAGE, ev_kinds="ceremony")
    one_zone = run_page(PAGE, ev_zones="xinan_road")
    one_night = run_page(PAGE, **{"from": "2022-06-17", "to": "2022-06-17"})
    heights = {}
    for name, at, rows in (("kind", one_kind, 1), ("zone", one_zone, 7), ("night", one_night, 12)):
        assert not at.exception, name
        assert len(shown(at)) == rows, name
        (timeline, t_data), (effect, e_data) = chart_specs(at)
        # never blank: the timeline's bars and the effect chart's dots carry every event
        assert sum(len(f) for f in t_data) == rows, name
        assert max(len(f) for f in e_data) == rows, name
        # the page fits the chart to its container, so its height must include legends and axis
        assert timeline["width"] == effect["width"] == "container"
        assert timeline["height"] == charts.timeline_height(shown_events(app_store, at))
        assert effect["height"] == charts.effect_height(rows) >= rows * charts.EFFECT_ROW_HEIGHT
        assert timeline["height"] >= charts.TIMELINE_MIN_HEIGHT and effect["height"] >= charts.EFFECT_MIN_HEIGHT
        heights[name] = (timeline["height"], effect["height"])
    # more rows, more height: 1 event < 7 events < 12 events
    assert heights["kind"][1] < heights["zone"][1] < heights["night"][1]
    assert heights["night"][1] >= 12 * 28 + 90  # twelve rows are not squashed into ~140 px
    assert heights["kind"][0] < heights["night"][0]  # one zone row vs nine zones with four kinds each
    labels = list(chart_specs(one_zone)[1][1][0]["event"])
    assert len(set(labels)) == len(labels)  # each event on a row of its own


def shown_events(store: Store, at: AppTest) -> pd.DataFrame:
    """The events the page shows, as :func:`nightmap.event_effects.event_effects` rows."""
    ids = list(shown(at)["活动 ID"])
    eff = event_effects.event_effects(store, Filter(dt.date(2022, 6, 3), dt.date(2022, 6, 30)))
    return eff.set_index("event_id").loc[ids].reset_index()


def test_shared_url_reopens_the_events_filters(app_store: Store) -> None:
    at = run_page(PAGE, ev_zones="xinan_road,baihuo_dalou", ev_kinds="ceremony,performance", ev_measure="spend")
    assert not at.exception
    assert at.multiselect(key="nm_ev_zones").value == ["xinan_road", "baihuo_dalou"]
    assert at.multiselect(key="nm_ev_kinds").value == ["ceremony", "performance"]
    assert at.radio(key="nm_ev_measure").value == "spend"
    assert any(h.value == "活动效果：消费额较普通夜晚同一时段的变化" for h in at.subheader)
    pd.testing.assert_frame_equal(
        shown(at), expected(app_store, Filter(zones=("xinan_road", "baihuo_dalou")), kinds=["ceremony", "performance"]))
    # the page keeps them in its URL (next to the sidebar's view), so the link can be sent on
    q = dict(at.query_params)
    assert q["ev_zones"] == "xinan_road,baihuo_dalou" and q["ev_kinds"] == "ceremony,performance"
    assert q["ev_measure"] == "spend" and q["from"] == "2022-06-17"
    # a change on the page goes into the URL; the defaults leave it
    at.multiselect(key="nm_ev_kinds").set_value(["ceremony"]).run()
    at.radio(key="nm_ev_measure").set_value("visitors").run()
    q = dict(at.query_params)
    assert q["ev_kinds"] == "ceremony" and "ev_measure" not in q
    # and that URL opened afresh shows the same view
    again = run_page(PAGE, **q)
    assert again.multiselect(key="nm_ev_kinds").value == ["ceremony"]
    assert again.multiselect(key="nm_ev_zones").value == ["xinan_road", "baihuo_dalou"]
    pd.testing.assert_frame_equal(shown(again), shown(at))


def test_bad_events_url_falls_back(app_store: Store) -> None:
    at = run_page(PAGE, ev_zones="nowhere", ev_kinds="nonsense", ev_measure="weather")
    assert not at.exception
    assert at.multiselect(key="nm_ev_zones").value == []
    assert at.multiselect(key="nm_ev_kinds").value == ["ceremony", "promotion", "voucher", "market", "performance"]
    assert at.radio(key="nm_ev_measure").value == "visitors"
    pd.testing.assert_frame_equal(shown(at), expected(app_store, Filter()))


def test_source_and_effect_data_are_told_apart(app_store: Store) -> None:
    table = shown(run_page(PAGE)).set_index("活动 ID")
    launch = table.loc[LAUNCH]
    assert launch["活动来源"] == "新闻报道"  # the ceremony is a fact from the source article …
    assert launch["效果数据"] == "模拟"  # … its measured effect is simulated, like all bundled data
    assert "模拟" not in table.columns
    assert table.loc["ev-20220617-xinan_road-voucher-r1", "活动来源"] == "模拟"
    assert set(table["效果数据"]) == {"模拟"}
    assert table.index[0] == LAUNCH  # ranked for display: the ceremony first
    lo, hi = launch["客流基线最低—最高"].split("–")
    assert int(lo.replace(",", "")) < launch["客流基线均值"] < int(hi.replace(",", ""))
