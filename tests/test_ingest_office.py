"""Spreadsheets as offices make them: titles, totals, notes, full-width digits, Chinese dates, odd encodings, bombs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from nightmap import ingest
from nightmap.auth import Actor
from nightmap.errors import ValidationError
from nightmap.ingest import SkippedRow, check_upload, normalise_cell, parse_file, parse_number
from nightmap.schema import CATEGORIES, CATEGORY_SYNONYMS, CHECK_REASONS, category_of
from nightmap.store import Store

ADMIN = Actor("测试管理员", "admin")
"""The actor of the writes these tests make (the store refuses a write without one)."""

ROOT = Path(__file__).resolve().parents[1]
ZONES = {"xinan_road", "baihuo_dalou"}


def xlsx(rows: list[list[object]], *, title: str | None = None, merge: str | None = None) -> bytes:
    """An XLSX file: an optional title in A1 (merged over ``merge``), then ``rows`` appended below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if title is not None:
        ws["A1"] = title
        if merge:
            ws.merge_cells(merge)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[object]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def problems_of(data: bytes, *, file_name: str, kind: str) -> list[tuple[int, str, str]]:
    """(row, column, English reason) of every problem of a file that must fail."""
    with pytest.raises(ValidationError) as info:
        parse_file(data, file_name=file_name, kind=kind, known_zones=ZONES)
    return [(p.row, p.column, p.reason_en) for p in info.value.problems]


# --------------------------------------------------------------------------- a government-style sheet

SALES_HEADER = ["业态", "时间", "订单数", "片区编号", "消费额（元）"]


def office_sales(*, bad_orders: object = 5) -> bytes:
    """解放区夜经济销售日报: title row 1 (merged A1:E1), blank row 2, header row 3, data 4–6, blank 7, total 8, note 9."""
    return xlsx(
        [
            [],                                                                             # row 2
            SALES_HEADER,                                                                   # row 3
            ["餐饮", dt.datetime(2022, 6, 18, 20, 0), 12, "xinan_road", 1234.5],            # row 4
            ["购物", "2022年6月18日 21时", bad_orders, "xinan_road", "¥1,000"],             # row 5
            ["娱乐", "2022/6/18 22:00", "３", "baihuo_dalou", "300元"],                     # row 6
            [],                                                                             # row 7
            ["合计", "", 20, "", 2534.5],                                                   # row 8
            ["注：数据来源：区商务局，统计口径为夜间 18 时至次日 2 时"],                     # row 9
        ],
        title="解放区夜经济销售日报", merge="A1:E1",
    )


def test_government_sheet_parses_with_its_header_on_row_3_and_skipped_rows_listed() -> None:
    parsed = parse_file(office_sales(), file_name="销售日报.xlsx", kind="sales", known_zones=ZONES)
    assert parsed.header_row == 3
    assert [(s.row, s.kind) for s in parsed.skipped] == [
        (1, "title"), (2, "blank"), (7, "blank"), (8, "total"), (9, "note")
    ]
    by_row = {s.row: s for s in parsed.skipped}
    assert by_row[1].text == "解放区夜经济销售日报"
    assert by_row[8].text == "合计 | 20 | 2534.5"
    assert by_row[9].text.startswith("注：数据来源：区商务局")
    assert by_row[8].reason("zh") == "合计行，已跳过（不计入数据）"
    assert by_row[8].reason("en") == "totals row, skipped (not imported)"
    assert by_row[1].reason("en") == "title or note row above the header, skipped"
    assert parsed.source_rows == (4, 5, 6)
    assert parsed.ignored_columns == ()
    frame = parsed.frame
    assert list(frame.index) == [0, 1, 2]  # a plain RangeIndex for the store
    assert frame["category"].tolist() == ["eat", "shop", "play"]
    assert frame["ts"].tolist() == [pd.Timestamp("2022-06-18 20:00"), pd.Timestamp("2022-06-18 21:00"),
                                    pd.Timestamp("2022-06-18 22:00")]
    assert frame["orders"].tolist() == [12, 5, 3]
    assert frame["spend_cny"].tolist() == [1234.5, 1000.0, 300.0]
    assert frame["zone_id"].tolist() == ["xinan_road", "xinan_road", "baihuo_dalou"]
    assert str(frame["orders"].dtype) == "Int64" and str(frame["ts"].dtype) == "datetime64[us]"


def test_a_bad_cell_of_the_government_sheet_is_named_by_its_excel_row() -> None:
    found = problems_of(office_sales(bad_orders="五"), file_name="销售日报.xlsx", kind="sales")
    assert found == [(5, "订单数", "not a valid number")]


def test_check_upload_gives_header_skipped_rows_and_a_preview_under_excel_row_numbers() -> None:
    check = check_upload(office_sales(), file_name="销售日报.xlsx", kind="sales", known_zones=ZONES)
    assert check.header_row == 3
    assert [s.row for s in check.skipped if s.kind != "blank"] == [1, 8, 9]
    assert list(check.preview.index) == [4, 5, 6]
    assert list(check.preview.columns) == SALES_HEADER
    assert check.preview.loc[5, "消费额（元）"] == "¥1,000"  # the cell as written
    assert check.result.rows == 3

    bad = check_upload(office_sales(bad_orders=-1), file_name="销售日报.xlsx", kind="sales", known_zones=ZONES)
    assert isinstance(bad.result, ValidationError)
    assert bad.header_row == 3 and [s.row for s in bad.skipped] == [1, 2, 7, 8, 9]  # filled for a bad file too
    assert [(p.row, p.column) for p in bad.result.problems] == [(5, "订单数")]
    assert "negative" in bad.result.problems[0].reason_en


def test_office_sheet_ingests_into_the_store(tiny_store: Store) -> None:
    parsed = parse_file(office_sales(), file_name="销售日报.xlsx", kind="sales", known_zones=tiny_store.zone_ids())
    result = tiny_store.ingest(parsed, actor=ADMIN)
    assert (result.inserted, result.rows) == (3, 3)
    got = tiny_store.scalar(
        "SELECT orders FROM sales WHERE zone_id = 'baihuo_dalou' AND ts = TIMESTAMP '2022-06-18 22:00'"
    )
    assert got == 3


def test_header_search_reports_the_best_row_or_no_header_at_all() -> None:
    partial = xlsx([["说明：本表由街道填报"], ["片区编号", "时间", "人流"], ["xinan_road", "2022-06-18 20:00", 5]],
                   title="客流日报")
    found = problems_of(partial, file_name="p.xlsx", kind="footfall")
    assert found == [(3, "visitors", "required column is missing (accepted headers: visitors, 客流, 客流量, 人次, 人数)")]

    nothing = csv_bytes([["甲", "乙", "丙"], ["1", "2", "3"]])
    check = check_upload(nothing, file_name="n.csv", kind="footfall")
    assert isinstance(check.result, ValidationError) and check.header_row == 0 and check.skipped == ()
    (problem,) = check.result.problems
    assert problem.row == 0
    assert "no header row found in the first 15 non-blank rows" in problem.reason_en
    assert "visitors (or 客流, 客流量, 人次, 人数)" in problem.reason_en
    assert "Big5" in problem.reason_en and "UTF-8 CSV or XLSX" in problem.reason_en
    assert "Big5" in problem.reason_zh
    assert list(check.preview.columns) == ["A", "B", "C"] and list(check.preview.index) == [1, 2]

    too_deep = [[f"第{i}行说明"] for i in range(15)] + [["片区编号", "时间", "客流"], ["xinan_road", "2022-06-18 20:00", "5"]]
    assert problems_of(csv_bytes(too_deep), file_name="d.csv", kind="footfall")[0][0] == 0


def test_header_cells_are_normalised_and_a_scaling_unit_is_refused() -> None:
    data = csv_bytes([[" 片区 编号 ", "*时间", "ＶＩＳＩＴＯＲＳ", "备注"], ["xinan_road", "2022-06-18 20:00", "5", "晴"]])
    parsed = parse_file(data, file_name="h.csv", kind="footfall", known_zones=ZONES)
    assert parsed.frame["visitors"].tolist() == [5] and parsed.ignored_columns == ("备注",)

    scaled = csv_bytes([SALES_HEADER[:4] + ["消费额（万元）"], ["餐饮", "2022-06-18 20:00", "5", "xinan_road", "1.2"]])
    found = problems_of(scaled, file_name="w.csv", kind="sales")
    assert len(found) == 1 and found[0][:2] == (1, "消费额（万元）") and "scales the values" in found[0][2]


def test_totals_and_note_words_are_recognised_in_their_forms() -> None:
    rows = [["片区编号", "时间", "客流"], ["xinan_road", "2022-06-18 20:00", "5"]]
    tails = [["总 计：", "", "5"], ["", "Grand Total", "5"], ["小计", "", ""], ["TOTAL:", "", "5"],
             ["备注：单位为人次"], ["Source: bureau"], ["制表：张三", "", "审核：李四"]]
    parsed = parse_file(csv_bytes(rows + tails), file_name="t.csv", kind="footfall", known_zones=ZONES)
    assert parsed.rows == 1
    assert [(s.row, s.kind) for s in parsed.skipped] == [
        (3, "total"), (4, "total"), (5, "total"), (6, "total"), (7, "note"), (8, "note"), (9, "note")
    ]
    # a one-cell row that is no note stays data and is reported
    found = problems_of(csv_bytes(rows + [["天气晴"]]), file_name="t.csv", kind="footfall")
    assert {(r, c) for r, c, _ in found} == {(3, "片区编号"), (3, "时间"), (3, "客流")}


def test_skipped_row_text_is_short() -> None:
    long_title = "解放区" * 40
    parsed = parse_file(csv_bytes([[long_title, "第二格"], ["片区编号", "时间", "客流"],
                                   ["xinan_road", "2022-06-18 20:00", "5"]]),
                        file_name="l.csv", kind="footfall", known_zones=ZONES)
    (title,) = parsed.skipped
    assert title == SkippedRow(1, "title", title.text) and len(title.text) == 80 and title.text.endswith("…")


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("１２３", "123"),
        ("１２３．５", "123.5"),
        ("１，２３４", "1,234"),
        ("  a\u3000\u3000b\t c  ", "a b c"),
        ("金额（元）", "金额(元)"),
        ("２０２２年６月１８日　２０：００", "2022年6月18日 20:00"),
        ("−5", "-5"),
        ("1\u200b2", "12"),
        ("￥1", "¥1"),
        (None, ""),
    ],
)
def test_normalise_cell(text: str | None, normalised: str) -> None:
    assert normalise_cell(text) == normalised


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("123", 123.0), ("１２３", 123.0), ("１２３．５", 123.5), ("１，２３４", 1234.0), ("1,234元", 1234.0),
        ("¥1,234.5", 1234.5), ("￥１，２３４．５", 1234.5), ("12,345.5", 12345.5), ("1,234,567", 1234567.0),
        ("56人次", 56.0), ("7 笔", 7.0), ("8单", 8.0), ("9个", 9.0), ("10人", 10.0), ("-1", -1.0), ("−1", -1.0),
        ("+3", 3.0), ("1e20", 1e20), (".5", 0.5), ("3000000000", 3e9),
        ("1,0", None), ("1,2,3,4", None), ("12,34", None), ("1,234.5.6", None), ("inf", None), ("-inf", None),
        ("nan", None), ("1e400", None), ("1" * 400, None), ("abc", None), ("1 234", None), ("1,234万元", None),
        ("", None), ("¥", None), ("元", None),
    ],
)
def test_parse_number(text: str, number: float | None) -> None:
    assert parse_number(text) == number


def test_office_number_forms_parse_and_bad_ones_are_row_problems() -> None:
    good = [["片区编号", "时间", "业态", "消费额", "订单数"],
            ["xinan_road", "2022-06-18 20:00", "eat", "１２３", "１２"],
            ["xinan_road", "2022-06-18 21:00", "eat", "１２３．５", "1"],
            ["xinan_road", "2022-06-18 22:00", "eat", "１，２３４", "２笔"],
            ["xinan_road", "2022-06-18 23:00", "eat", "1,234元", "3"],
            ["xinan_road", "2022-06-19 00:00", "eat", "¥1,234.5", "1,000"]]
    parsed = parse_file(csv_bytes(good), file_name="n.csv", kind="sales", known_zones=ZONES)
    assert parsed.frame["spend_cny"].tolist() == [123.0, 123.5, 1234.0, 1234.0, 1234.5]
    assert parsed.frame["orders"].tolist() == [12, 1, 2, 3, 1000]

    bad = [["片区编号", "时间", "客流"],
           ["xinan_road", "2022-06-18 18:00", "1,0"],         # row 2
           ["xinan_road", "2022-06-18 19:00", "1,2,3,4"],     # row 3
           ["xinan_road", "2022-06-18 20:00", "inf"],         # row 4
           ["xinan_road", "2022-06-18 21:00", "1e400"],       # row 5
           ["xinan_road", "2022-06-18 22:00", "3000000000"],  # row 6
           ["xinan_road", "2022-06-18 23:00", "-1"],          # row 7
           ["xinan_road", "2022-06-19 00:00", "1e20"],        # row 8
           ["xinan_road", "2022-06-19 01:00", "1000000"]]     # row 9: the largest allowed
    found = problems_of(csv_bytes(bad), file_name="n.csv", kind="footfall")
    too_large = CHECK_REASONS["max_visitors"][1]
    assert found == [
        (2, "客流", "not a valid number"), (3, "客流", "not a valid number"), (4, "客流", "not a valid number"),
        (5, "客流", "not a valid number"), (6, "客流", too_large), (7, "客流", "must not be negative"),
        (8, "客流", too_large),
    ]
    assert "1,000,000" in too_large and "1,000,000" in CHECK_REASONS["max_visitors"][0]


def test_every_range_is_a_row_problem_not_an_overflow() -> None:
    sales = [["zone_id", "ts", "category", "spend_cny", "orders"],
             ["xinan_road", "2022-06-18 20:00", "eat", "100000001", "5"],
             ["xinan_road", "2022-06-18 21:00", "eat", "5", "3000000000"]]
    assert problems_of(csv_bytes(sales), file_name="s.csv", kind="sales") == [
        (2, "spend_cny", CHECK_REASONS["max_spend_cny"][1]), (3, "orders", CHECK_REASONS["max_orders"][1]),
    ]
    events = [["event_id", "zone_id", "start", "end", "category", "kind", "title_zh", "expected_visitors"],
              ["e1", "xinan_road", "2022-06-18 19:00", "2022-06-18 21:00", "夜娱", "Market", "市集", "10000001"]]
    assert problems_of(csv_bytes(events), file_name="e.csv", kind="events") == [
        (2, "expected_visitors", CHECK_REASONS["max_expected_visitors"][1]),
    ]


# --------------------------------------------------------------------------- categories


def test_category_words_map_and_an_unknown_word_names_the_accepted_ones() -> None:
    words = ["餐饮", "美食", "购物", "零售", "娱乐", "文旅", "EAT", "Shop", " 夜 娱 "]
    rows = [["片区编号", "时间", "业态", "消费额", "订单数"]] + [
        ["xinan_road", f"2022-06-18 {18 + i % 6}:00", w, "5", "1"] for i, w in enumerate(words)
    ]
    rows = [rows[0]] + [[r[0], f"2022-06-{10 + i} 20:00", *r[2:]] for i, r in enumerate(rows[1:])]
    parsed = parse_file(csv_bytes(rows), file_name="c.csv", kind="sales", known_zones=ZONES)
    assert parsed.frame["category"].tolist() == ["eat", "eat", "shop", "shop", "play", "play", "eat", "shop", "play"]

    bad = [rows[0], ["xinan_road", "2022-06-18 20:00", "奶茶店", "5", "1"]]
    with pytest.raises(ValidationError) as info:
        parse_file(csv_bytes(bad), file_name="c.csv", kind="sales", known_zones=ZONES)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "业态", "奶茶店")
    assert "eat, shop or play" in problem.reason_en
    for word in ("夜食", "餐饮", "购物", "文旅", "娱乐"):
        assert word in problem.reason_en and word in problem.reason_zh


def test_category_synonyms_cover_the_brief_and_map_to_categories() -> None:
    brief = {
        "eat": "夜食 餐饮 美食 小吃 餐厅 饮食 夜宵 宵夜 食",
        "shop": "夜购 购物 零售 百货 商超 超市 商品 购",
        "play": "夜娱 娱乐 休闲 文旅 文娱 游乐 演艺 娱",
    }
    for cat, words in brief.items():
        for word in [cat, *words.split()]:
            assert CATEGORY_SYNONYMS[word] == cat and category_of(word) == cat
    assert set(CATEGORY_SYNONYMS.values()) == set(CATEGORIES)
    assert all(k == k.lower() and " " not in k for k in CATEGORY_SYNONYMS)
    assert category_of("ＥＡＴ") == "eat" and category_of("奶茶店") is None


def test_docs_list_exactly_the_category_synonyms() -> None:
    text = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    section = text.split("### Category words", 1)[1].split("\n## ", 1)[0]
    listed: dict[str, str] = {}
    for cat in CATEGORIES:
        (row,) = [line for line in section.splitlines() if line.startswith(f"| {cat} |")]
        for word in re.findall(r"`([^`]+)`", row):
            listed[word] = cat
    assert listed == CATEGORY_SYNONYMS


# --------------------------------------------------------------------------- times

TIME_FORMATS = [
    "2022-06-18 20:00", "2022-06-18 20:00:00", "2022/6/18 20:00", "2022年6月18日 20时", "2022年6月18日20时00分",
    "2022年6月18日 20点", "2022.6.18 20:00", "2022-06-18T20:00:00", "2022-06-18T20:00+08:00",
    "2022-06-18T20:00:00+0800", "２０２２年６月１８日　２０：００", "2022年6月18日 20:00",
]


@pytest.mark.parametrize("text", TIME_FORMATS)
def test_every_office_time_format_parses(text: str) -> None:
    data = csv_bytes([["片区编号", "时间", "客流"], ["xinan_road", text, "5"]])
    parsed = parse_file(data, file_name="t.csv", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-18 20:00")]


def test_excel_datetime_cells_parse_even_with_float_noise() -> None:
    noisy = dt.datetime(2022, 6, 18, 20, 59, 59, 999_600)  # what a float serial can give for 21:00
    data = xlsx([["片区编号", "时间", "客流"], ["xinan_road", dt.datetime(2022, 6, 18, 20), 5],
                 ["xinan_road", noisy, 6]])
    parsed = parse_file(data, file_name="t.xlsx", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-18 20:00"), pd.Timestamp("2022-06-18 21:00")]


def test_time_zones_and_out_of_range_years_are_row_problems() -> None:
    rows = [["片区编号", "时间", "客流"],
            ["xinan_road", "2022-06-18T20:00+08:00", "1"],   # row 2: Beijing, fine
            ["xinan_road", "2022-06-18T21:00+09:00", "1"],   # row 3
            ["xinan_road", "2022-06-18T22:00Z", "1"],        # row 4
            ["xinan_road", "0001-01-01 20:00", "1"],         # row 5
            ["xinan_road", "9999-12-31 20:00", "1"],         # row 6
            ["xinan_road", "2022-02-30 20:00", "1"],         # row 7
            ["xinan_road", "昨天晚上", "1"]]                   # row 8
    found = problems_of(csv_bytes(rows), file_name="t.csv", kind="footfall")
    zone = "time has a time-zone offset (e.g. Z or +09:00); give local Beijing time (no offset, or +08:00)"
    out_of_range = CHECK_REASONS["time_range"][1]
    assert found == [(3, "时间", zone), (4, "时间", zone), (5, "时间", out_of_range), (6, "时间", out_of_range),
                     (7, "时间", "not a valid time (e.g. 2022-06-17 19:00)"),
                     (8, "时间", "not a valid time (e.g. 2022-06-17 19:00)")]
    assert "2000-01-01" in out_of_range and "2100-12-31" in out_of_range


def test_event_times_are_range_checked_too() -> None:
    events = [["event_id", "zone_id", "start", "end", "category", "kind", "title_zh"],
              ["e1", "xinan_road", "1999-12-31 20:00", "2022-06-18 21:00", "play", "market", "市集"]]
    assert problems_of(csv_bytes(events), file_name="e.csv", kind="events") == [
        (2, "start", CHECK_REASONS["time_range"][1]),
    ]


# --------------------------------------------------------------------------- a time as a date column and an hour column

NOT_DATE = "not a valid date (e.g. 2022-06-17)"
NOT_HOUR = "not a valid hour (e.g. 20, 20:00 or 20:00-21:00)"
HOUR_RANGE = "the hour must be 0 to 23"
HOUR_NOT_WHOLE = "the hour must be a whole hour (e.g. 20:00, not 20:30)"
HOUR_SPAN = "an hour range must be one hour starting on the hour (e.g. 20:00-21:00)"
NOT_TIME = "not a valid time (e.g. 2022-06-17 19:00)"


def test_an_xlsx_with_date_cells_and_hour_ranges_parses_to_hour_starts_on_the_calendar_date(
    tiny_store: Store,
) -> None:
    data = xlsx(
        [
            ["片区编号", "日期", "时段", "客流（人次）"],                                   # row 2
            ["xinan_road", dt.date(2022, 6, 17), "20:00-21:00", 120],                       # row 3
            ["xinan_road", dt.date(2022, 6, 17), "23:00-24:00", 80],                        # row 4
            ["xinan_road", dt.datetime(2022, 6, 18), "01:00-02:00", 30],                    # row 5: after midnight
            ["baihuo_dalou", dt.datetime(2022, 6, 17), "20:00—21:00", 45],                  # row 6: an em dash
            ["合计", "", "", 275],                                                          # row 7
        ],
        title="客流日报（按时段）", merge="A1:D1",
    )
    parsed = parse_file(data, file_name="客流.xlsx", kind="footfall", known_zones=ZONES)
    assert parsed.header_row == 2 and parsed.ignored_columns == ()
    assert parsed.source_rows == (3, 4, 5, 6)
    assert [(s.row, s.kind) for s in parsed.skipped] == [(1, "title"), (7, "total")]
    frame = parsed.frame
    assert list(frame.columns) == ["zone_id", "ts", "visitors"]
    assert frame["ts"].tolist() == [pd.Timestamp("2022-06-17 20:00"), pd.Timestamp("2022-06-17 23:00"),
                                    pd.Timestamp("2022-06-18 01:00"), pd.Timestamp("2022-06-17 20:00")]
    assert frame["visitors"].tolist() == [120, 80, 30, 45]
    assert frame["zone_id"].tolist() == ["xinan_road", "xinan_road", "xinan_road", "baihuo_dalou"]
    assert str(frame["ts"].dtype) == "datetime64[us]"

    parsed = parse_file(data, file_name="客流.xlsx", kind="footfall", known_zones=tiny_store.zone_ids())
    tiny_store.ingest(parsed, actor=ADMIN)
    nights = tiny_store.query("SELECT hour, night FROM footfall WHERE zone_id = 'xinan_road' "
                              "AND ts BETWEEN TIMESTAMP '2022-06-17 12:00' AND TIMESTAMP '2022-06-18 05:00' ORDER BY ts")
    assert [(int(h), str(n)[:10]) for h, n in nights.itertuples(index=False)] == [
        (20, "2022-06-17"), (23, "2022-06-17"), (1, "2022-06-17"),  # 01:00 on the 18th is the night of the 17th
    ]


def test_a_csv_with_date_and_hour_columns_parses_sales() -> None:
    rows = [["zone_id", "date", "hour", "category", "spend_cny", "orders"],
            ["xinan_road", "2022-06-17", "20时", "餐饮", "1,234.5", "12"],
            ["xinan_road", "2022/6/17", "21时", "eat", "100", "2"],
            ["baihuo_dalou", "2022年6月18日", "0时", "购物", "50", "1"]]
    parsed = parse_file(csv_bytes(rows), file_name="s.csv", kind="sales", known_zones=ZONES)
    frame = parsed.frame
    assert frame["ts"].tolist() == [pd.Timestamp("2022-06-17 20:00"), pd.Timestamp("2022-06-17 21:00"),
                                    pd.Timestamp("2022-06-18 00:00")]
    assert frame["spend_cny"].tolist() == [1234.5, 100.0, 50.0]
    assert frame["orders"].tolist() == [12, 2, 1]
    assert frame["category"].tolist() == ["eat", "eat", "shop"]
    assert parsed.ignored_columns == ()


@pytest.mark.parametrize(
    "hour",
    ["20", "20:00", "20:00:00", "20时", "20点", "20时00分", "20:00-21:00", "20-21", "20:00—21:00",
     "20:00 – 21:00", "20:00~21:00", "２０：００～２１：００", "20时-21时", "20:00至21:00", "２０时"],
)
@pytest.mark.parametrize("date", ["2022-06-17", "2022/6/17", "2022年6月17日", "2022.6.17", "44729"])
def test_every_date_and_hour_form_parses(date: str, hour: str) -> None:
    data = csv_bytes([["片区编号", "日期", "时段", "客流"], ["xinan_road", date, hour, "5"]])
    parsed = parse_file(data, file_name="t.csv", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-17 20:00")]


@pytest.mark.parametrize(("date_header", "hour_header"), [("日期", "小时"), ("营业日期", "时"), ("统计日期", "时间段"),
                                                          ("Date", "HOUR")])
def test_date_and_hour_header_aliases(date_header: str, hour_header: str) -> None:
    data = csv_bytes([["片区编号", date_header, hour_header, "客流"], ["xinan_road", "2022-06-17", "23", "5"]])
    parsed = parse_file(data, file_name="t.csv", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-17 23:00")]


def test_bad_hours_and_dates_are_row_problems_on_their_own_column() -> None:
    data = xlsx(
        [
            ["片区编号", "日期", "时段", "客流"],                        # row 2
            ["xinan_road", dt.date(2022, 6, 17), "20:00-21:00", 1],     # row 3: fine
            ["xinan_road", dt.date(2022, 6, 17), 25, 1],                # row 4
            ["xinan_road", dt.date(2022, 6, 17), "20:30", 1],           # row 5
            ["xinan_road", dt.date(2022, 6, 17), "20:00-22:00", 1],     # row 6
            ["xinan_road", "2022-02-30", "20", 1],                      # row 7
            ["xinan_road", "2022-06-17 20:00", "20", 1],                # row 8: a date with a time of day
            ["xinan_road", "昨天", "晚上", 1],                            # row 9: both bad
            ["xinan_road", "", "21", 1],                                # row 10
            ["xinan_road", dt.date(2022, 6, 17), None, 1],              # row 11
            ["xinan_road", dt.date(1999, 12, 31), "21", 1],             # row 12: out of range
            ["xinan_road", dt.date(2022, 6, 17), "20:30-21:30", 1],     # row 13
            ["xinan_road", dt.date(2022, 6, 17), 24, 1],                # row 14
        ],
        title="客流日报",
    )
    found = problems_of(data, file_name="t.xlsx", kind="footfall")
    assert found == [
        (4, "时段", HOUR_RANGE), (5, "时段", HOUR_NOT_WHOLE), (6, "时段", HOUR_SPAN), (7, "日期", NOT_DATE),
        (8, "日期", NOT_DATE), (9, "日期", NOT_DATE), (9, "时段", NOT_HOUR), (10, "日期", "value is missing"),
        (11, "时段", "value is missing"), (12, "日期", CHECK_REASONS["time_range"][1]), (13, "时段", HOUR_SPAN),
        (14, "时段", HOUR_RANGE),
    ]
    with pytest.raises(ValidationError) as info:
        parse_file(data, file_name="t.xlsx", kind="footfall", known_zones=ZONES)
    values = {(p.row, p.column): p.value for p in info.value.problems}
    assert values[(4, "时段")] == "25" and values[(6, "时段")] == "20:00-22:00" and values[(7, "日期")] == "2022-02-30"
    zh = {p.row: p.reason_zh for p in info.value.problems if p.column == "时段"}
    assert "0 至 23" in zh[4] and "整点" in zh[5] and "一个小时" in zh[6]


def test_the_same_date_and_hour_twice_is_a_duplicate_key() -> None:
    rows = [["片区编号", "日期", "时段", "客流"], ["xinan_road", "2022-06-17", "20", "1"],
            ["xinan_road", "2022/6/17", "20:00-21:00", "2"]]
    found = problems_of(csv_bytes(rows), file_name="t.csv", kind="footfall")
    assert found == [(3, "片区编号", CHECK_REASONS["duplicate_key"][1])]


def test_a_timestamp_column_wins_over_date_and_hour_columns() -> None:
    rows = [["片区编号", "日期", "时间", "时段", "客流"],
            ["xinan_road", "不是日期", "2022-06-17 22:00", "99", "5"]]
    parsed = parse_file(csv_bytes(rows), file_name="t.csv", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-17 22:00")]
    assert parsed.ignored_columns == ("日期", "时段")


def test_date_and_hour_are_not_taken_for_events_or_without_both_columns() -> None:
    only_date = csv_bytes([["片区编号", "日期", "客流"], ["xinan_road", "2022-06-17", "5"]])
    found = problems_of(only_date, file_name="t.csv", kind="footfall")
    assert len(found) == 1 and found[0][:2] == (1, "ts")
    assert "or a date column (date, 日期, 营业日期, 统计日期) with an hour column (hour, 时段, 小时, 时, 时间段)" in found[0][2]

    nothing = check_upload(csv_bytes([["甲", "乙"], ["1", "2"]]), file_name="n.csv", kind="sales")
    (problem,) = nothing.result.problems
    assert "ts (or 时间, 时段开始, 时间戳; or a date column date, 日期" in problem.reason_en
    assert "时段列" in problem.reason_zh

    events = [["event_id", "zone_id", "日期", "时段", "end", "category", "kind", "title_zh"],
              ["e1", "xinan_road", "2022-06-17", "20", "2022-06-17 21:00", "play", "market", "市集"]]
    found = problems_of(csv_bytes(events), file_name="e.csv", kind="events")
    assert [(r, c) for r, c, _ in found] == [(1, "start")]


# --------------------------------------------------------------------------- Excel serial date-times


def test_excel_serial_numbers_in_the_time_column_parse_to_the_minute() -> None:
    data = xlsx([["片区编号", "时间", "客流"],
                 ["xinan_road", 44729.8333333, 5],          # 2022-06-17 20:00
                 ["xinan_road", 44729.875, 6],              # 21:00, exactly
                 ["xinan_road", 44730, 7],                  # 2022-06-18 00:00
                 ["baihuo_dalou", 44729.9583333333, 8]])     # 23:00
    parsed = parse_file(data, file_name="t.xlsx", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-17 20:00"), pd.Timestamp("2022-06-17 21:00"),
                                           pd.Timestamp("2022-06-18 00:00"), pd.Timestamp("2022-06-17 23:00")]

    rows = [["片区编号", "时间", "客流"], ["xinan_road", "44729.8333333", "5"],            # CSV, cells as General
            ["baihuo_dalou", "44729.833333333336", "6"], ["xinan_road", "４４７２９．９１６６６６７", "7"],
            ["baihuo_dalou", "44730", "8"]]
    parsed = parse_file(csv_bytes(rows), file_name="t.csv", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-17 20:00"), pd.Timestamp("2022-06-17 20:00"),
                                           pd.Timestamp("2022-06-17 22:00"), pd.Timestamp("2022-06-18 00:00")]
    assert parsed.frame["visitors"].tolist() == [5, 6, 7, 8]


def test_excel_serials_round_to_the_minute_and_then_must_be_on_the_hour() -> None:
    rows = [["片区编号", "时间", "客流"], ["xinan_road", "44729.84", "5"]]  # 20:09:36 → 20:10
    found = problems_of(csv_bytes(rows), file_name="t.csv", kind="footfall")
    assert found == [(2, "时间", CHECK_REASONS["on_the_hour"][1])]
    events = [["event_id", "zone_id", "start", "end", "category", "kind", "title_zh"],
              ["e1", "xinan_road", "44729.84", "44729.9", "play", "market", "市集"]]
    frame = parse_file(csv_bytes(events), file_name="e.csv", kind="events", known_zones=ZONES).frame
    assert frame["start"].tolist() == [pd.Timestamp("2022-06-17 20:10")]
    assert frame["end"].tolist() == [pd.Timestamp("2022-06-17 21:36")]


def test_serials_outside_2000_to_2100_and_other_numbers_are_not_times() -> None:
    data = xlsx([["片区编号", "时间", "客流"],
                 ["xinan_road", 36525.5, 1],       # row 2: 1999-12-31 12:00
                 ["xinan_road", 73416, 1],         # row 3: 2101-01-01
                 ["xinan_road", 20, 1],            # row 4
                 ["xinan_road", 36526, 1],         # row 5: 2000-01-01, fine
                 ["xinan_road", 73415.5, 1],       # row 6: 2100-12-31 12:00, fine
                 ["xinan_road", -44729.5, 1]])     # row 7
    found = problems_of(data, file_name="t.xlsx", kind="footfall")
    assert found == [(2, "时间", NOT_TIME), (3, "时间", NOT_TIME), (4, "时间", NOT_TIME), (7, "时间", NOT_TIME)]

    rows = [["片区编号", "时间", "客流"], ["xinan_road", "99999.5", "1"], ["xinan_road", "4.47e4", "1"],
            ["xinan_road", "44,729.5", "1"]]
    found = problems_of(csv_bytes(rows), file_name="t.csv", kind="footfall")
    assert found == [(2, "时间", NOT_TIME), (3, "时间", NOT_TIME), (4, "时间", NOT_TIME)]


def test_whole_serials_are_dates_in_a_date_column() -> None:
    data = xlsx([["片区编号", "日期", "时段", "客流"],
                 ["xinan_road", 44729, "20", 1],       # row 2: 2022-06-17
                 ["xinan_road", 44729.5, "21", 1],     # row 3: not a whole day
                 ["xinan_road", 12345, "22", 1],       # row 4: 1933
                 ["xinan_road", 73416, "22", 1]])      # row 5: 2101
    found = problems_of(data, file_name="t.xlsx", kind="footfall")
    assert found == [(3, "日期", NOT_DATE), (4, "日期", NOT_DATE), (5, "日期", NOT_DATE)]
    ok = xlsx([["片区编号", "日期", "时段", "客流"], ["xinan_road", 44729, 20, 1], ["xinan_road", "44730.0", "1", 2]])
    parsed = parse_file(ok, file_name="t.xlsx", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-17 20:00"), pd.Timestamp("2022-06-18 01:00")]


def test_an_excel_time_cell_in_the_hour_column_parses() -> None:
    data = xlsx([["片区编号", "日期", "时段", "客流"], ["xinan_road", dt.date(2022, 6, 17), dt.time(20, 0), 1]])
    parsed = parse_file(data, file_name="t.xlsx", kind="footfall", known_zones=ZONES)
    assert parsed.frame["ts"].tolist() == [pd.Timestamp("2022-06-17 20:00")]


# --------------------------------------------------------------------------- encodings and wrong files

FOOTFALL = [["片区编号", "时间", "客流"], ["xinan_road", "2022-06-18 20:00", "5"], ["baihuo_dalou", "2022-06-18 21:00", "7"]]


def test_utf16_tab_separated_unicode_text_is_read() -> None:
    data = csv_bytes(FOOTFALL, encoding="utf-16", delimiter="\t")
    assert data[:2] == b"\xff\xfe"
    parsed = parse_file(data, file_name="unicode.csv", kind="footfall", known_zones=ZONES)
    assert parsed.frame["visitors"].tolist() == [5, 7]
    big_endian = "\ufeff" + "\r\n".join("\t".join(r) for r in FOOTFALL)
    parsed = parse_file(big_endian.encode("utf-16-be"), file_name="be.csv", kind="footfall", known_zones=ZONES)
    assert parsed.frame["zone_id"].tolist() == ["xinan_road", "baihuo_dalou"]


@pytest.mark.parametrize(("encoding", "delimiter"), [("gb18030", ","), ("utf-8-sig", ";"), ("utf-8", "\t")])
def test_gb18030_and_other_delimiters_are_read(encoding: str, delimiter: str) -> None:
    parsed = parse_file(csv_bytes([["解放区客流"], *FOOTFALL], encoding=encoding, delimiter=delimiter),
                        file_name="f.csv", kind="footfall", known_zones=ZONES)
    assert parsed.header_row == 2 and parsed.frame["visitors"].tolist() == [5, 7]


def test_a_csv_renamed_xlsx_and_an_xlsx_renamed_csv_are_refused_clearly() -> None:
    check = check_upload(csv_bytes(FOOTFALL), file_name="客流.xlsx", kind="footfall")
    (problem,) = check.result.problems
    assert problem.row == 0 and check.preview is None and check.header_row == 0 and check.skipped == ()
    assert problem.reason_zh.startswith("不是有效的 XLSX 文件（可能是改了扩展名的 CSV")
    assert "not a valid XLSX file (a renamed CSV" in problem.reason_en

    check = check_upload(xlsx(FOOTFALL), file_name="客流.csv", kind="footfall")
    assert "rename it to .xlsx" in check.result.problems[0].reason_en


def test_undecodable_csv_gets_the_encoding_advice() -> None:
    check = check_upload(b"\xff\x80\x81zone\xfe\x00\x81", file_name="x.csv", kind="footfall")
    (problem,) = check.result.problems
    assert problem.row == 0 and "save it as UTF-8 or GB18030 CSV" in problem.reason_en
    assert "UTF-8 或 GB18030" in problem.reason_zh


def test_random_bytes_never_raise_from_check_upload() -> None:
    rng = random.Random(13)
    seeds = [b"", b"\x00", b"PK\x03\x04" + bytes(40), b"\xef\xbb\xbf", b"\xff\xfe\x00", "片区编号,时间\n".encode()]
    samples = seeds + [rng.randbytes(rng.randrange(1, 3000)) for _ in range(40)]
    samples += [seed + rng.randbytes(200) for seed in seeds]
    for data in samples:
        for name in ("r.csv", "r.xlsx", "r.txt"):
            for kind in ("footfall", "sales", "events"):
                check = check_upload(data, file_name=name, kind=kind)
                assert isinstance(check.result, ValidationError)
                assert all(p.reason_zh and p.reason_en for p in check.result.problems)


def test_a_truncated_or_corrupt_xlsx_is_refused_without_a_traceback() -> None:
    good = xlsx(FOOTFALL)
    for data in (good[: len(good) // 2], good[:-30], good.replace(b"worksheets/sheet1.xml", b"worksheets/sheetX.xml")):
        check = check_upload(data, file_name="c.xlsx", kind="footfall")
        assert isinstance(check.result, ValidationError)
        (problem,) = check.result.problems
        assert problem.row == 0 and problem.reason_en


# --------------------------------------------------------------------------- size limits and bombs


def measured(data: bytes, file_name: str) -> tuple[ingest.UploadCheck, float, int]:
    """check_upload's verdict, seconds taken and peak traced memory in bytes."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        check = check_upload(data, file_name=file_name, kind="footfall", limit_mb=100)
        return check, time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_single_cell_at_xfd1048576_is_refused_fast() -> None:
    wb = openpyxl.Workbook()
    wb.active["XFD1048576"] = "x"
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    assert len(data) < 6_000
    check, seconds, peak = measured(data, "far.xlsx")
    assert seconds < 2 and peak < 300_000_000
    (problem,) = check.result.problems
    assert problem.row == 0 and "1,048,576" in problem.reason_en and "2,000 blank rows" in problem.reason_en


def _with_part(base: bytes, name: str, payload: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info.filename, src.read(info.filename))
        dst.writestr(name, payload)
    return out.getvalue()


def test_a_shared_strings_bomb_is_refused_before_it_is_parsed() -> None:
    base = xlsx([["片区编号", "时间", "客流"], ["xinan_road", "2022-06-18 20:00", 5]])
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    payload = head + b"<si><t>aaaaaaaaaaaaaaaaaaaa</t></si>" * 500_000 + b"</sst>"  # 16 MB, compresses > 200:1
    bomb = _with_part(base, "xl/sharedStrings.xml", payload)
    del payload
    assert len(bomb) < 200_000
    check, seconds, peak = measured(bomb, "sst.xlsx")
    assert seconds < 2 and peak < 300_000_000
    (problem,) = check.result.problems
    assert problem.row == 0 and "compression ratio 200" in problem.reason_en and "sharedStrings" in problem.value


def test_xlsx_part_size_total_and_count_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    base = xlsx([["片区编号", "时间", "客流"], ["xinan_road", "2022-06-18 20:00", 5]])
    noise = random.Random(1).randbytes(1_500_000)  # incompressible: only the size limits apply
    monkeypatch.setattr(ingest.limits, "XLSX_MAX_MEMBER_MB", 1)
    check, seconds, _ = measured(_with_part(base, "xl/media/image1.bin", noise), "big.xlsx")
    assert seconds < 2 and "1 MB per part" in check.result.problems[0].reason_en
    monkeypatch.setattr(ingest.limits, "XLSX_MAX_MEMBER_MB", 100)
    monkeypatch.setattr(ingest.limits, "XLSX_MAX_TOTAL_MB", 1)
    check, _, _ = measured(_with_part(base, "xl/media/image1.bin", noise), "big.xlsx")
    assert "1 MB in all" in check.result.problems[0].reason_en
    monkeypatch.setattr(ingest.limits, "XLSX_MAX_MEMBERS", 5)
    check, _, _ = measured(base, "many.xlsx")
    assert check.result.problems[0].value.startswith("parts:")


def test_a_sheet_with_more_rows_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest.limits, "MAX_ROWS", 500)
    hours = (dt.datetime(2022, 1, 1) + dt.timedelta(hours=i) for i in range(5_000))
    rows = [["片区编号", "时间", "客流"]] + [["xinan_road", f"{h:%Y-%m-%d %H:%M}", i] for i, h in enumerate(hours)]
    for data, name in ((xlsx(rows), "rows.xlsx"), (csv_bytes(rows), "rows.csv")):
        check, seconds, _ = measured(data, name)
        assert seconds < 2
        (problem,) = check.result.problems
        assert problem.row == 0 and "at most 500 data rows" in problem.reason_en and check.preview is None
    # exactly at the limit is fine (the title and the header do not count)
    ok = parse_file(csv_bytes([["客流日报"], *rows[:501]]), file_name="ok.csv", kind="footfall", known_zones=ZONES)
    assert ok.rows == 500


def test_columns_beyond_the_limit_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest.limits, "MAX_COLUMNS", 3)
    rows = [["片区编号", "时间", "客流", "备注"], ["xinan_road", "2022-06-18 20:00", "5", "x"]]
    for data, name in ((xlsx(rows), "w.xlsx"), (csv_bytes(rows), "w.csv")):
        parsed = parse_file(data, file_name=name, kind="footfall", known_zones=ZONES)
        assert parsed.ignored_columns == () and parsed.frame["visitors"].tolist() == [5]


def test_a_file_where_every_row_is_bad_is_capped_and_fast() -> None:
    rows = [["片区编号", "时间", "客流"]] + [["nowhere", f"bad{i}", "x"] for i in range(60_000)]
    start = time.perf_counter()
    check = check_upload(csv_bytes(rows), file_name="bad.csv", kind="footfall", known_zones=ZONES)
    assert time.perf_counter() - start < 10
    problems = check.result.problems
    assert len(problems) == ingest.MAX_PROBLEMS + 1
    assert [p.row for p in problems[:4]] == [2, 2, 2, 3]  # zone, time and count of each row, in order
    assert problems[ingest.MAX_PROBLEMS - 1].row == 2 + (ingest.MAX_PROBLEMS - 1) // 3
    summary = problems[-1]
    assert summary.row == 0 and summary.value == f"{3 * 60_000 - ingest.MAX_PROBLEMS:,}"
    assert "more problems not listed" in summary.reason_en and "未列出" in summary.reason_zh


def test_a_300000_row_csv_parses_in_a_few_seconds() -> None:
    zones = ("xinan_road", "baihuo_dalou")
    rows = [["zone_id", "ts", "category", "spend_cny", "orders"]]
    start = dt.datetime(2000, 1, 1)
    hour = 0
    while len(rows) <= 300_000:
        ts = (start + dt.timedelta(hours=hour)).strftime("%Y-%m-%d %H:%M:%S")
        hour += 1
        rows += [[z, ts, c, f"{hour % 997}.5", str(hour % 50 + 1)] for z in zones for c in CATEGORIES]
    data = csv_bytes(rows[:300_001])
    began = time.perf_counter()
    parsed = parse_file(data, file_name="big.csv", kind="sales", known_zones=zones)
    seconds = time.perf_counter() - began
    assert parsed.rows == 300_000 and parsed.source_rows[-1] == 300_001
    assert seconds < 15, seconds


# --------------------------------------------------------------------------- zones by id or name

def bundled_names() -> dict[str, tuple[str, ...]]:
    from nightmap import geo

    return ingest.zone_aliases(geo.load_zones(ROOT / "data" / "zones.geojson"))


@pytest.mark.parametrize("kind", ["footfall", "sales", "events"])
def test_zone_columns_take_the_chinese_or_english_name_and_store_the_id(kind: str) -> None:
    names = bundled_names()
    assert names["xinan_road"] == ("新安路步行街", "Xin'an Road Pedestrian Street")
    written = ["新安路步行街", "Xin'an Road Pedestrian Street", " xin’an road  PEDESTRIAN street ", "XINAN_ROAD",
               "ｘｉｎａｎ＿ｒｏａｄ", "百货大楼", "Jiaozuo Department Store (Baihuo Dalou)", "baihuo_dalou"]
    if kind == "footfall":
        rows = [["片区编号", "时间", "客流"]] + [[z, f"2022-06-20 {16 + i}:00", i] for i, z in enumerate(written)]
    elif kind == "sales":
        rows = [["zone_id", "ts", "category", "spend_cny", "orders"]] + [
            [z, f"2022-06-20 {16 + i}:00", "eat", 10, 1] for i, z in enumerate(written)]
    else:
        rows = [["event_id", "片区编号", "start", "end", "category", "kind", "title_zh"]] + [
            [f"e{i}", z, "2022-06-20 19:00", "2022-06-20 21:00", "play", "market", "市集"] for i, z in enumerate(written)]
    for data, name in ((csv_bytes(rows), "z.csv"), (xlsx(rows), "z.xlsx")):
        parsed = parse_file(data, file_name=name, kind=kind, known_zones=names)
        assert parsed.frame["zone_id"].tolist() == ["xinan_road"] * 5 + ["baihuo_dalou"] * 3


def test_an_unknown_zone_name_is_a_row_problem_that_lists_the_accepted_names() -> None:
    names = bundled_names()
    rows = [["片区编号", "时间", "客流"], ["新安路步行街", "2022-06-20 20:00", 1], ["解放路夜市", "2022-06-20 21:00", 2],
            ["解放路夜市", "2022-06-20 22:00", 3], ["新安路步行", "2022-06-20 23:00", 4]]
    with pytest.raises(ValidationError) as info:
        parse_file(csv_bytes(rows), file_name="客流.csv", kind="footfall", known_zones=names)
    problems = info.value.problems
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "片区编号", "解放路夜市"), (4, "片区编号", "解放路夜市"), (5, "片区编号", "新安路步行")]
    unknown, _, close = problems
    assert unknown.reason_zh.startswith("未知的片区编号或名称；可填写片区编号、中文名或英文名：")
    for zone_id, (zh, en) in names.items():  # every one of the 13 zones is named, in each language
        assert f"{zh}（{zone_id}）" in unknown.reason_zh and f"{en} ({zone_id})" in unknown.reason_en
    assert close.reason_zh.startswith("未知的片区编号或名称；是否为 新安路步行街（xinan_road）？")
    assert "did you mean Xin'an Road Pedestrian Street (xinan_road)?" in close.reason_en


def test_a_name_two_zones_share_is_refused_and_ids_still_win() -> None:
    names = {"a_zone": ("夜市", "Night Market"), "b_zone": ("夜市", "Night Fair"), "c_zone": ("a_zone", "C")}
    rows = [["片区编号", "时间", "客流"], ["夜市", "2022-06-20 20:00", 1], ["a_zone", "2022-06-20 21:00", 2],
            ["Night Fair", "2022-06-20 22:00", 3]]
    with pytest.raises(ValidationError) as info:
        parse_file(csv_bytes(rows), file_name="f.csv", kind="footfall", known_zones=names)
    (problem,) = info.value.problems
    assert problem.row == 2 and problem.reason_zh.startswith("该名称对应多个片区")
    parsed = parse_file(csv_bytes(rows[:1] + rows[2:]), file_name="f.csv", kind="footfall", known_zones=names)
    assert parsed.frame["zone_id"].tolist() == ["a_zone", "b_zone"]


def test_zone_ids_alone_still_refuse_names() -> None:
    rows = [["片区编号", "时间", "客流"], ["新安路步行街", "2022-06-20 20:00", 1]]
    assert [p[2].split(";")[0] for p in problems_of(csv_bytes(rows), file_name="f.csv", kind="footfall")] == [
        "unknown zone id or name"]


def test_many_unknown_zones_list_the_first_rows_and_count_the_rest() -> None:
    rows = [["片区编号", "时间", "客流"]] + [[f"zone{i}", "2022-06-20 20:00", 1] for i in range(1500)]
    problems = problems_of(csv_bytes(rows), file_name="many.csv", kind="footfall")
    assert len(problems) == ingest.MAX_PROBLEMS + 1
    assert [p[0] for p in problems[:3]] == [2, 3, 4] and problems[-1][0] == 0
    assert problems[-1][2].startswith("500 more problems not listed")
