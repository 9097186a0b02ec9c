"""The Data page's file guide: every accepted header and word from the schema, every example readable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nightmap import file_guide, schema
from nightmap.ingest import parse_file
from nightmap.ingest.text import hour_of, normalise_series, parse_dates, parse_numbers, parse_times
from nightmap.ui.sidebar import widget_key
from test_page_data import page_env, run_page  # noqa: F401 - the fixture is used by name

CJK = r"[\u4e00-\u9fff]"


def test_every_time_example_reads_as_the_same_hour() -> None:
    times, bad, foreign = parse_times(normalise_series(pd.Series(file_guide.TIME_EXAMPLES)))
    assert not bad.any() and not foreign.any()
    assert set(times) == {pd.Timestamp("2022-06-17 20:00")}


def test_every_date_and_hour_example_reads() -> None:
    dates, bad = parse_dates(normalise_series(pd.Series(file_guide.DATE_EXAMPLES)))
    assert not bad.any() and set(dates) == {pd.Timestamp("2022-06-17")}
    cells = normalise_series(pd.Series(file_guide.HOUR_EXAMPLES))
    assert [hour_of(c)[0] for c in cells] == [20] * len(file_guide.HOUR_EXAMPLES)


def test_every_number_example_reads_as_the_same_number() -> None:
    values, bad = parse_numbers(normalise_series(pd.Series(file_guide.NUMBER_EXAMPLES)))
    assert not bad.any() and list(values) == [12345.0] * len(file_guide.NUMBER_EXAMPLES)


@pytest.mark.parametrize("word", file_guide.TRUE_WORDS)
def test_every_yes_word_marks_an_event_simulated(word: str) -> None:
    text = ("活动编号,片区编号,开始时间,结束时间,业态,活动类型,活动名称,模拟\n"
            f"e1,xinan_road,2022-06-17 19:30,2022-06-17 22:00,餐饮,ceremony,启动仪式,{word}\n")
    result = parse_file(text.encode("utf-8"), file_name="活动.csv", kind="events", known_zones={"xinan_road"})
    assert result.frame["simulated"].tolist() == [True]


@pytest.mark.parametrize("kind", schema.KINDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_column_guide_lists_every_column_and_every_accepted_header(kind: str, lang: str) -> None:
    guide = file_guide.column_guide(kind, lang)
    spec = schema.TABLES[kind]
    assert len(guide) == len(spec.columns)
    column, required, headers = guide.columns[:3]
    assert list(guide[column]) == [c.zh[0] if lang == "zh" else c.name for c in spec.columns]
    assert list(guide[required]) == [("是" if c.required else "否") if lang == "zh" else
                                     ("yes" if c.required else "no") for c in spec.columns]
    for cell, col in zip(guide[headers], spec.columns, strict=True):
        for header in (col.name, *col.zh):
            assert header in cell, (header, cell)
    if kind in schema.SPLIT_TIME:
        cell = guide[headers].iloc[spec.names.index("ts")]
        assert all(h in cell for h in (*schema.DATE_HEADERS, *schema.HOUR_HEADERS))
    if lang == "en":
        assert not guide.columns.str.contains(CJK).any()


@pytest.mark.parametrize(("kind", "lang", "column", "bound"), [
    ("footfall", "zh", "visitors", "0 至 100万"),
    ("footfall", "en", "visitors", "0 to 1,000,000"),
    ("sales", "zh", "spend_cny", "0 至 1亿"),
    ("sales", "en", "orders", "0 to 1,000,000"),
    ("events", "zh", "expected_visitors", "0 至 1000万"),
])
def test_ranges_are_the_checks_ranges(kind: str, lang: str, column: str, bound: str) -> None:
    guide = file_guide.column_guide(kind, lang)
    content = guide[guide.columns[3]].iloc[schema.TABLES[kind].names.index(column)]
    assert content.endswith(bound)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_formats_name_every_category_word_and_the_night_rule(lang: str) -> None:
    text = "\n".join(file_guide.formats("sales", lang))
    for word in schema.CATEGORY_SYNONYMS:
        assert f"`{word}`" in text
    assert ("计入前一天的夜晚" if lang == "zh" else "count to the night before") in text
    events = "\n".join(file_guide.formats("events", lang))
    assert "`2022年6月17日 20时`" in events and "`20时-21时`" not in events  # events take no hour column
    assert all(f"`{w}`" not in "\n".join(file_guide.formats("footfall", lang)) for w in ("餐饮", "dining"))


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        file_guide.column_guide("sales", "fr")


def test_the_data_page_shows_the_guide_of_the_chosen_kind(page_env: Path) -> None:  # noqa: F811
    at = run_page(section="upload")
    assert not at.exception
    [expander] = [e for e in at.expander if e.label.startswith("文件格式说明")]
    frames = [tb.value for tb in expander.table]
    assert frames and list(frames[0]["列"]) == ["片区编号", "时间", "客流"]
    text = "\n".join(m.value for m in expander.markdown)
    assert "客流文件的列" in text and "`2022年6月17日 20时`" in text and "`餐饮`" not in text
    at.radio(key=widget_key("nm_upload_kind", "zh")).set_value("sales").run()
    [expander] = [e for e in at.expander if e.label.startswith("文件格式说明")]
    assert list(expander.table[0].value["列"]) == ["片区编号", "时间", "业态", "消费额", "订单数"]
    assert "`餐饮`" in "\n".join(m.value for m in expander.markdown)
