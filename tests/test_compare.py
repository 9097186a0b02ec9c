"""The comparison module: selection, ranks among all zones, gaps not zeros, and the safe workbook."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from nightmap import compare, metrics
from nightmap.filters import Filter
from nightmap.store import Store

COMPLEXES = ("wanda_mall", "wangfujing_store", "baihuo_dalou", "xinya_mall")


def test_default_is_the_four_commercial_complexes(bundled_store: Store) -> None:
    zones = bundled_store.zones()
    assert compare.default_zones(zones) == COMPLEXES
    assert compare.selection([], zones) == COMPLEXES
    assert compare.selection(["xinan_road"], zones) == COMPLEXES  # fewer than two: the default
    assert compare.selection(["xinan_road", "nowhere", "xinan_road", "wanda_square"], zones) == (
        "xinan_road", "wanda_square")
    assert len(compare.selection(list(zones["zone_id"]), zones)) == compare.MAX_ZONES


def test_comparison_table_ranks_among_all_zones_and_shows_baseline(bundled_store: Store) -> None:
    flt = Filter()
    summary = metrics.zone_summary(bundled_store, flt)
    table = compare.comparison_table(summary, bundled_store.zones(), COMPLEXES, "zh")
    assert list(table["片区"]) == ["万达商业广场", "王府井百货", "百货大楼", "新亚商厦"]
    s = summary.set_index("zone_id")
    ranked = metrics.ranking(summary, "visitors").set_index("zone_id")
    for i, z in enumerate(COMPLEXES):
        assert table.loc[i, "客流（人次）"] == round(s.loc[z, "visitors"])
        assert table.loc[i, "客流基线"] == round(s.loc[z, "base_visitors"])
        assert table.loc[i, "客流排名（共13个）"] == ranked.loc[z, "rank"]
        assert table.loc[i, "消费额较基线变化 (%)"] == pytest.approx(round(s.loc[z, "uplift_spend"], 1))
    assert {"人均消费（元/人）", "人均消费基线", "人均消费排名（共13个）", "消费额较基线变化排名（共13个）",
            "客流较基线变化 (%)", "客流较基线变化排名（共13个）"} <= set(table.columns)
    for i, z in enumerate(COMPLEXES):  # visitors' change vs baseline beside spending's
        assert table.loc[i, "客流较基线变化 (%)"] == pytest.approx(round(s.loc[z, "uplift_visitors"], 1))
    en = compare.comparison_table(summary, bundled_store.zones(), COMPLEXES, "en")
    assert "Visitors rank (of 13)" in en.columns and en.loc[0, "Zone"] == "Wanda Plaza"


def test_missing_nights_are_gaps_not_zeros(tiny_store: Store) -> None:
    flt = Filter(dt.date(2022, 6, 10), dt.date(2022, 6, 17))
    chosen = ("xinan_road", "baihuo_dalou")
    grid = compare.nightly_grid(metrics.nightly_by_zone(tiny_store, flt), chosen, flt.nights)
    assert len(grid) == 2 * 8
    xr = grid[grid["zone_id"] == "xinan_road"].set_index("night")
    assert xr.loc[dt.date(2022, 6, 17), "visitors"] == 180
    assert np.isnan(xr.loc[dt.date(2022, 6, 12), "visitors"])  # a gap, not 0
    gaps = compare.missing_nights(grid)
    assert gaps["xinan_road"] == [dt.date(2022, 6, d) for d in range(11, 17)]
    note = compare.missing_note(gaps, {"xinan_road": "新安路步行街", "baihuo_dalou": "百货大楼"}, "zh")
    assert "新安路步行街有6晚无数据" in note and "6月11日" in note and "不按0计" in note


def _workbook(zones: pd.DataFrame, lang: str) -> openpyxl.Workbook:
    chosen = tuple(zones["zone_id"])
    summary = pd.DataFrame({
        "zone_id": list(chosen), "nights": 1, "visitors": [100.0, -5.0], "spend": [1000.0, 50.0],
        "orders": 1.0, "m_visitors": [100.0, -5.0], "m_spend": [1000.0, 50.0], "m_orders": 1.0,
        "base_visitors": 90.0, "base_spend": 900.0, "base_orders": 1.0,
    })
    summary = metrics._add_ratios(summary)
    table = compare.comparison_table(summary, zones, chosen, lang)
    filters = compare.filter_sheet(
        start=dt.date(2022, 6, 17), end=dt.date(2022, 6, 30), hours=(17, 2), categories=("eat",), chosen=chosen,
        zones=zones, status="simulated", source={"simulated": True, "seed": 2022}, lang=lang, note="=note",
        exported_at=dt.datetime(2022, 7, 1, 9, 0),
    )
    grid = compare.nightly_grid(pd.DataFrame(columns=["zone_id", "night", "visitors", "spend", "orders",
                                                      "base_visitors", "base_spend"]),
                                chosen, [dt.date(2022, 6, 17)])
    hourly = pd.DataFrame({"zone_id": [chosen[0]], "hour": [20], "visitors": [1.0], "base_visitors": [1.0],
                           "spend": [1.0], "base_spend": [1.0]})
    mix = pd.DataFrame({"zone_id": [chosen[0]], "category": ["eat"], "spend": [1.0], "orders": [1.0],
                        "share": [100.0]})
    sheets = compare.workbook_sheets(
        filters=filters, table=table, nightly=compare.nightly_sheet(grid, zones, lang),
        hourly=compare.hourly_sheet(hourly, zones, lang), mix=compare.category_sheet(mix, zones, lang), lang=lang,
    )
    return openpyxl.load_workbook(io.BytesIO(compare.workbook_bytes(sheets)))


HOSTILE = pd.DataFrame({
    "zone_id": ["a", "b"],
    "name_zh": ["=HYPERLINK(\"http://x\",\"点我\")", "@SUM(A1:A9)"],
    "name_en": ["+cmd|' /C calc'!A0", "-2+3"],
    "kind": ["complex", "street"],
})


def test_xlsx_opens_with_the_filter_sheet_first_and_neutralises_formulas() -> None:
    wb = _workbook(HOSTILE, "zh")
    assert wb.sheetnames == ["筛选条件", "片区对比", "逐夜数据", "时段分布", "业态构成"]
    first = wb["筛选条件"]
    rows = {r[0]: r[1] for r in first.iter_rows(min_row=2, values_only=True)}
    assert [c.value for c in first[1]] == ["项目", "内容"]
    assert rows["夜晚与时段"] == "2022年6月17日 至 2022年6月30日，17:00—02:00"
    assert rows["业态"] == "夜食"
    assert rows["数据性质"].startswith("模拟数据")
    assert rows["数据来源"] == "simulated=True; seed=2022"
    assert rows["说明"] == "'=note"
    assert rows["对比片区"].startswith("'=HYPERLINK")
    table = wb["片区对比"]
    assert table["A1"].value == "片区" and table["C1"].value == "客流（人次）"
    assert table["A2"].value == "'=HYPERLINK(\"http://x\",\"点我\")"
    assert table["A3"].value == "'@SUM(A1:A9)"
    assert table["C3"].value == -5  # numbers stay numbers, even negative ones
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v[:1] in "=+-@"), (ws.title, v)
                assert not (isinstance(v, str) and v.startswith("'") and v[1:2] not in "=+-@"), (ws.title, v)


def test_xlsx_in_english_has_english_sheets_and_headers() -> None:
    wb = _workbook(HOSTILE, "en")
    assert wb.sheetnames[0] == "Filters"
    assert wb["Comparison"]["A1"].value == "Zone"
    assert wb["Comparison"]["A2"].value == "'+cmd|' /C calc'!A0"
    assert wb["Comparison"]["A3"].value == "'-2+3"


def test_csv_is_formula_safe() -> None:
    summary = metrics._add_ratios(pd.DataFrame({
        "zone_id": ["a", "b"], "nights": 1, "visitors": 1.0, "spend": 1.0, "orders": 1.0, "m_visitors": 1.0,
        "m_spend": 1.0, "m_orders": 1.0, "base_visitors": 1.0, "base_spend": 1.0, "base_orders": 1.0}))
    raw = compare.table_csv(compare.comparison_table(summary, HOSTILE, ("a", "b"), "zh"))
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)
    assert list(back["片区"]) == ["'=HYPERLINK(\"http://x\",\"点我\")", "'@SUM(A1:A9)"]


def test_gap_reaches_the_chart_as_null(tiny_store: Store) -> None:
    from nightmap import charts

    flt = Filter(dt.date(2022, 6, 10), dt.date(2022, 6, 17))
    grid = compare.nightly_grid(metrics.nightly_by_zone(tiny_store, flt), ("xinan_road", "baihuo_dalou"), flt.nights)
    spec = charts.nightly_multiples(grid, measure="visitors", names={"xinan_road": "新安路", "baihuo_dalou": "百货"},
                                    lang="zh").to_dict()
    rows = next(iter(spec["datasets"].values()))
    gap = [r for r in rows if r["zone"] == "新安路" and r["label"] == "6月12日" and r["series"] == "实际"]
    assert gap and gap[0]["value"] is None  # null breaks the line; it is never drawn as 0
    assert spec["resolve"]["scale"]["y"] == "shared"
