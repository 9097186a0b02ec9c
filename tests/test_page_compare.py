"""AppTest of the 片区对比 page: the table equals the package, every control changes it, URL state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from apptest_support import run_page
from nightmap import compare, metrics
from nightmap.filters import Filter
from nightmap.store import Store

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "pages" / "1_片区对比_Compare.py"
COMPLEXES = ["wanda_mall", "wangfujing_store", "baihuo_dalou", "xinya_mall"]


def shown_table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def expected_table(store: Store, flt: Filter, chosen: list[str], lang: str = "zh") -> pd.DataFrame:
    return compare.comparison_table(metrics.zone_summary(store, flt), store.zones(), chosen, lang)


def flat_query(at: AppTest) -> dict[str, str]:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in ((k, at.query_params[k]) for k in at.query_params)}


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def chart_bytes(chart: object) -> bytes:
    """A chart's spec and data, to tell whether what it shows changed."""
    proto = chart.proto  # type: ignore[attr-defined]
    return proto.spec.encode() + b"".join(d.data.data for d in proto.datasets) + proto.data.data


def test_default_shows_the_complexes_and_package_values(app_store: Store) -> None:
    at = run_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "片区对比"
    assert at.multiselect(key="nm_compare").value == COMPLEXES
    pd.testing.assert_frame_equal(shown_table(at), expected_table(app_store, Filter(), COMPLEXES))
    assert len(charts(at)) == 6
    assert flat_query(at)["compare"] == ",".join(COMPLEXES)
    assert "模拟数据" in at.warning[0].value
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["下载对比（Excel）", "下载对比表（CSV）"]


def test_picking_zones_changes_table_charts_and_url(app_store: Store) -> None:
    at = run_page(PAGE)
    before = [chart_bytes(c) for c in charts(at)]
    at.multiselect(key="nm_compare").set_value(["xinan_road", "wanda_square", "xiaowoniu_market"]).run()
    assert not at.exception
    chosen = ["xinan_road", "wanda_square", "xiaowoniu_market"]
    pd.testing.assert_frame_equal(shown_table(at), expected_table(app_store, Filter(), chosen))
    assert flat_query(at)["compare"] == ",".join(chosen)
    after = [chart_bytes(c) for c in charts(at)]
    assert all(a != b for a, b in zip(before, after, strict=True))
    assert "新安路步行街".encode() in after[0] and "万达商业广场".encode() not in after[0]


def test_url_compare_round_trips(app_store: Store) -> None:
    at = run_page(PAGE, compare="xinan_road,wanda_mall", lang="en", cat="eat", **{"from": "2022-06-18", "to": "2022-06-19"})
    assert not at.exception
    assert at.multiselect(key="nm_compare").value == ["xinan_road", "wanda_mall"]
    flt = Filter(dt.date(2022, 6, 18), dt.date(2022, 6, 19), categories=("eat",))
    pd.testing.assert_frame_equal(shown_table(at), expected_table(app_store, flt, ["xinan_road", "wanda_mall"], "en"))
    assert at.title[0].value == "Compare zones"


def test_fewer_than_two_zones_warns_and_falls_back(app_store: Store) -> None:
    at = run_page(PAGE)
    at.multiselect(key="nm_compare").set_value(["xinan_road"]).run()
    assert any("至少选择2个片区" in w.value for w in at.warning)
    pd.testing.assert_frame_equal(shown_table(at), expected_table(app_store, Filter(), COMPLEXES))
    at.button(key="nm_compare_reset").click().run()
    assert at.multiselect(key="nm_compare").value == COMPLEXES
    assert not any("至少选择2个片区" in w.value for w in at.warning)


def test_sidebar_filters_change_the_table(app_store: Store) -> None:
    at = run_page(PAGE)
    before = shown_table(at)
    at.sidebar.multiselect(key="nm_cats").set_value(["shop"]).run()
    after = shown_table(at)
    assert not after.equals(before)
    pd.testing.assert_frame_equal(after, expected_table(app_store, Filter(categories=("shop",)), COMPLEXES))
    at.sidebar.select_slider(key="nm_hours").set_value((18, 22)).run()
    pd.testing.assert_frame_equal(
        shown_table(at), expected_table(app_store, Filter(hours=(18, 22), categories=("shop",)), COMPLEXES))
    night = dt.date(2022, 6, 18)
    at.sidebar.date_input(key="nm_nights").set_value((night, night)).run()
    pd.testing.assert_frame_equal(
        shown_table(at), expected_table(app_store, Filter(night, night, (18, 22), ("shop",)), COMPLEXES))


def test_language_switch(app_store: Store) -> None:
    at = run_page(PAGE)
    at.sidebar.radio(key="nm_lang").set_value("en").run()
    assert at.title[0].value == "Compare zones"
    assert "Visitors rank (of 13)" in shown_table(at).columns
    assert [d.label for d in at.get("download_button")][0] == "Download comparison (Excel)"
