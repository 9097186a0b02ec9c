"""Downloads: counts written as integers in CSV, and an XLSX that reads well (formats, widths, frozen header, dates)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from nightmap import compare, event_effects, export, metrics, tables
from nightmap.filters import Filter
from nightmap.store import Store

LAUNCH = "ev-20220617-xinan_road-launch"


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for the Chinese headers
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_event_effects_csv_writes_counts_as_integers(bundled_store: Store) -> None:
    eff = event_effects.rank_for_display(event_effects.event_effects(bundled_store, Filter()))
    table = tables.event_effects_table(eff, bundled_store.zones(), "zh", bundled_store.data_status())
    rows = {r["活动 ID"]: r for r in csv_rows(export.to_csv_bytes(table))}
    launch, want = rows[LAUNCH], eff.set_index("event_id").loc[LAUNCH]
    assert launch["客流（活动期间）"] == str(int(round(want["actual_visitors"])))
    assert launch["客流基线均值"] == "4449" and launch["计入夜晚数"] == "1"
    assert launch["消费额（活动期间）"] == str(int(round(want["actual_spend"])))
    for col in ("客流（活动期间）", "客流基线均值", "客流变化", "消费额（活动期间）", "同星期几基线夜晚数"):
        assert all(r[col] == "" or "." not in r[col] for r in rows.values()), col
    assert launch["客流变化（%）"] == f"{round(want['pct_visitors'], 1)}"  # a change keeps its decimal
    assert launch["活动来源"] == "新闻报道" and launch["效果数据"] == "模拟"


def test_ranking_csv_writes_counts_as_integers(bundled_store: Store) -> None:
    summary = metrics.zone_summary(bundled_store, Filter())
    table = tables.ranking_table(summary, bundled_store.zones(), "visitors", "zh")
    text = export.to_csv_bytes(table).decode("utf-8-sig")
    rows = csv_rows(export.to_csv_bytes(table))
    visitors = [c for c in table.columns if str(c).startswith("客流")][0]
    assert all(r[visitors].isdigit() for r in rows)
    assert str(int(table[visitors].iloc[0])) in text and f"{int(table[visitors].iloc[0])}.0" not in text


def test_whole_numbers_only_touches_whole_columns() -> None:
    frame = pd.DataFrame({"n": [152262.0, float("nan")], "x": [1.5, 2.0], "s": ["a", "b"]})
    out = export.whole_numbers(frame)
    assert str(out["n"].dtype) == "Int64" and out["n"].isna().tolist() == [False, True]
    assert out["x"].tolist() == [1.5, 2.0] and out["s"].tolist() == ["a", "b"]
    assert export.to_csv_bytes(frame).decode("utf-8-sig").splitlines() == ["n,x,s", "152262,1.5,a", ",2.0,b"]


@pytest.fixture
def book() -> openpyxl.Workbook:
    frame = pd.DataFrame({
        "片区": ["新安路步行街", "=HYPERLINK(\"x\")"],
        "夜晚": ["2022-06-17", "2022-06-18"],
        "日期": [dt.date(2022, 6, 17), None],
        "客流（人次）": [152262.0, 9.0],
        "消费额（元）": [1234.5, 99.25],
        "消费额基线（元）": [1200.0, 80.0],
        "较基线变化 (%)": [12.3, -4.0],
        "占比 (%)": [61.2, 38.8],
        "人均消费（元/人）": [41.7, 40.0],
    })
    return openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes({"数据": frame, "说明": frame.head(1)})))


def test_xlsx_has_formats_widths_frozen_header_and_dates(book: openpyxl.Workbook) -> None:
    ws = book["数据"]
    assert ws.freeze_panes == "A2" and book["说明"].freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    cells = {h: ws.cell(row=2, column=i + 1) for i, h in enumerate(header)}
    assert cells["客流（人次）"].value == 152262 and cells["客流（人次）"].number_format == "#,##0"
    assert cells["消费额（元）"].value == 1234.5 and cells["消费额（元）"].number_format == "#,##0.00"
    assert cells["消费额基线（元）"].number_format == "#,##0"  # whole yuan: no decimals
    assert cells["较基线变化 (%)"].value == 12.3 and cells["较基线变化 (%)"].number_format == export.CHANGE_FORMAT
    assert cells["占比 (%)"].number_format == export.SHARE_FORMAT
    assert cells["人均消费（元/人）"].number_format == "#,##0.00"
    for col in ("夜晚", "日期"):  # ISO text and date objects both become real date cells
        assert cells[col].is_date and cells[col].value == dt.datetime(2022, 6, 17)
        assert cells[col].number_format == export.DATE_FORMAT
    assert ws.cell(row=3, column=2).value == dt.datetime(2022, 6, 18)
    assert ws.cell(row=3, column=1).value == "'=HYPERLINK(\"x\")"  # still formula-safe
    widths = {h: ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width for i, h in enumerate(header)}
    assert widths["片区"] >= 2 * len("新安路步行街")  # wide characters count double
    assert widths["客流（人次）"] >= 2 * 4 + 4 and all(w <= export.MAX_WIDTH for w in widths.values())


def test_compare_workbook_states_one_baseline_period(bundled_store: Store) -> None:
    zones = bundled_store.zones()
    sheet = compare.filter_sheet(
        start=dt.date(2022, 6, 17), end=dt.date(2022, 6, 30), hours=(17, 2), categories=("eat",),
        chosen=("xinan_road",), zones=zones, status="simulated", source=bundled_store.source_info(), lang="zh",
        data_range=metrics.data_range(bundled_store))
    text = " ".join(sheet.iloc[:, 1].astype(str))
    baseline = sheet.set_index(sheet.columns[0]).loc["基线"].iloc[0]
    assert "2022年6月6日至2022年6月16日，共11晚" in baseline
    assert "5月20日" not in text and "6月3日" not in baseline  # no second period anywhere on the sheet
    assert text.count("基线夜晚") == 1
    # without an explicit range it reads the same period from the data's source.json
    again = compare.filter_sheet(
        start=dt.date(2022, 6, 17), end=dt.date(2022, 6, 30), hours=(17, 2), categories=("eat",),
        chosen=("xinan_road",), zones=zones, status="simulated", source=bundled_store.source_info(), lang="en")
    assert "2022 to" in again.iloc[3, 1] and "11 nights" in again.iloc[3, 1]


def test_compare_nightly_sheet_dates_are_date_cells(bundled_store: Store) -> None:
    flt = Filter(dt.date(2022, 6, 17), dt.date(2022, 6, 18), zones=("xinan_road",))
    grid = compare.nightly_grid(metrics.nightly_by_zone(bundled_store, flt), ("xinan_road",), flt.nights)
    sheet = compare.nightly_sheet(grid, bundled_store.zones(), "zh")
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes({"逐夜": sheet})))["逐夜"]
    assert ws.cell(row=2, column=2).is_date and ws.cell(row=2, column=2).value == dt.datetime(2022, 6, 17)
    assert ws.cell(row=2, column=3).number_format == "#,##0" and isinstance(ws.cell(row=2, column=3).value, int)
