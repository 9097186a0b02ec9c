"""Templates (XLSX and CSV, Chinese and English headers, one example row) and the upload size limit."""

from __future__ import annotations

import io

import openpyxl
import pytest

from nightmap import templates
from nightmap.errors import ValidationError
from nightmap.ingest import decode_csv, parse_file
from nightmap.schema import KINDS, TABLES


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_template_parses_back_to_one_clean_row(kind: str, lang: str, fmt: str) -> None:
    data = templates.template_bytes(kind, lang=lang, fmt=fmt)
    parsed = parse_file(data, file_name=templates.template_file_name(kind, lang, fmt), kind=kind,
                        known_zones={"xinan_road"})
    assert parsed.rows == 1 and parsed.ignored_columns == ()
    assert list(parsed.frame.columns) == list(TABLES[kind].names)


def test_headers_are_the_first_chinese_alias_or_the_contract_name() -> None:
    assert templates.template_headers("footfall", "zh") == ["片区编号", "时间", "客流"]
    assert templates.template_headers("sales", "en") == ["zone_id", "ts", "category", "spend_cny", "orders"]
    assert templates.template_file_name("sales", "zh", "xlsx") == "nightmap_消费_模板.xlsx"
    assert templates.template_file_name("events", "en", "csv") == "nightmap_events_template.csv"


def test_csv_template_has_a_bom_for_excel_and_xlsx_one_sheet() -> None:
    csv = templates.template_bytes("footfall", lang="zh", fmt="csv")
    assert csv.startswith(b"\xef\xbb\xbf")
    assert decode_csv(csv).splitlines()[0] == "片区编号,时间,客流"
    book = openpyxl.load_workbook(io.BytesIO(templates.template_bytes("events", lang="zh", fmt="xlsx")))
    assert book.sheetnames == ["活动"]
    rows = list(book.active.values)
    assert len(rows) == 2 and rows[0][0] == "活动编号"


def test_templates_are_formula_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(templates.EXAMPLE_ROWS, "footfall",
                        {"zone_id": "=HYPERLINK(\"x\")", "ts": "2022-06-17 20:00", "visitors": 1})
    assert b"'=HYPERLINK" in templates.template_bytes("footfall", lang="en", fmt="csv")


def test_unknown_kind_or_format_is_an_error() -> None:
    with pytest.raises(ValueError):
        templates.template_bytes("weather")
    with pytest.raises(ValueError):
        templates.template_bytes("footfall", fmt="xls")


def test_upload_limit_comes_from_the_environment() -> None:
    assert templates.max_upload_mb({}) == 50
    assert templates.max_upload_mb({"NIGHTMAP_MAX_UPLOAD_MB": "5"}) == 5
    assert templates.max_upload_mb({"NIGHTMAP_MAX_UPLOAD_MB": "lots"}) == 50
    assert templates.max_upload_mb({"NIGHTMAP_MAX_UPLOAD_MB": "-1"}) == 50


def test_oversize_file_is_refused_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    templates.check_upload_size(50_000_000, file_name="ok.csv")
    with pytest.raises(ValidationError) as info:
        templates.check_upload_size(50_000_001, file_name="big.csv")
    (problem,) = info.value.problems
    assert problem.file == "big.csv" and "50 MB" in problem.reason_zh and "limit is 50 MB" in problem.reason_en
    monkeypatch.setenv("NIGHTMAP_MAX_UPLOAD_MB", "0.5")
    with pytest.raises(ValidationError, match="too large"):
        templates.check_upload_size(600_000, file_name="f.csv")
    templates.check_upload_size(600_000, file_name="f.csv", limit_mb=1)
