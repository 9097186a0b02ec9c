"""Templates (XLSX and CSV, Chinese and English headers, one marked example row, the zone sheet) and the upload limit."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from nightmap import geo, templates
from nightmap.errors import ValidationError
from nightmap.ingest import decode_csv, parse_file
from nightmap.schema import KINDS, TABLES

ROOT = Path(__file__).resolve().parents[1]
XINAN = {"xinan_road": ("新安路步行街", "Xin'an Road Pedestrian Street")}


def without_marks(data: bytes, fmt: str) -> bytes:
    """The template with its example marks deleted (as if a person kept the row and removed the marks)."""
    marks = tuple(templates.EXAMPLE_MARKS.values())
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        for mark in marks:
            text = text.replace(mark, "")
        return text.encode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(data))
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            for mark in marks:
                if isinstance(cell.value, str):
                    cell.value = cell.value.replace(mark, "")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_template_example_is_marked_refused_and_otherwise_one_clean_row(kind: str, lang: str, fmt: str) -> None:
    data = templates.template_bytes(kind, lang=lang, fmt=fmt)
    name = templates.template_file_name(kind, lang, fmt)
    with pytest.raises(ValidationError) as info:
        parse_file(data, file_name=name, kind=kind, known_zones=XINAN)
    (problem,) = info.value.problems
    assert (problem.file, problem.row) == (name, 2)
    assert problem.reason_zh.startswith("示例行未删除") and problem.reason_en.startswith("example row left in the file")
    assert problem.value.startswith(templates.EXAMPLE_MARKS[lang])
    parsed = parse_file(without_marks(data, fmt), file_name=name, kind=kind, known_zones=XINAN)
    assert parsed.rows == 1 and parsed.ignored_columns == ()
    assert list(parsed.frame.columns) == list(TABLES[kind].names)
    assert parsed.frame["zone_id"].tolist() == ["xinan_road"]  # the Chinese template names it 新安路步行街


def test_an_example_row_left_among_real_rows_is_refused_with_its_row_number() -> None:
    lines = templates.template_bytes("footfall", lang="zh", fmt="csv").decode("utf-8-sig").splitlines()
    assert lines[1].startswith("【示例·请删除本行】新安路步行街,")
    text = "\n".join([lines[0], "xinan_road,2022-06-20 20:00,99", lines[1], "新安路步行街,2022-06-20 21:00,7"])
    with pytest.raises(ValidationError) as info:
        parse_file(text.encode("gb18030"), file_name="客流.csv", kind="footfall", known_zones=XINAN)
    assert [(p.row, p.column, p.reason_zh) for p in info.value.problems] == [
        (3, "片区编号", "示例行未删除：这是模板的示例行，请删除后再上传")]
    english = text.replace(lines[1], "[Example] xinan_road,2022-06-17 20:00,1520")
    with pytest.raises(ValidationError, match="example row left in the file"):
        parse_file(english.encode(), file_name="f.csv", kind="footfall", known_zones=XINAN)
    real = "\n".join([lines[0], "示范街,2022-06-20 20:00,99", "Examples Street,2022-06-20 21:00,7"])
    with pytest.raises(ValidationError) as info:  # names that only begin like the mark are zones, not examples
        parse_file(real.encode(), file_name="f.csv", kind="footfall", known_zones=XINAN)
    assert [p.reason_en.split(";")[0] for p in info.value.problems] == ["unknown zone id or name"] * 2


def test_xlsx_template_lists_every_zone_on_its_second_sheet() -> None:
    zones = geo.load_zones(ROOT / "data" / "zones.geojson")
    assert len(zones) == 13
    for lang, header in (("zh", ("片区编号", "中文名", "英文名")), ("en", ("Zone id", "Chinese name", "English name"))):
        book = openpyxl.load_workbook(io.BytesIO(templates.template_bytes("sales", lang=lang, zones=zones)))
        assert book.sheetnames == [("消费" if lang == "zh" else "Sales"), "片区 Zones"]
        rows = list(book["片区 Zones"].values)
        assert rows[0] == header
        assert rows[1:] == list(zip(zones["zone_id"], zones["name_zh"], zones["name_en"], strict=True))
        assert ("xinan_road", "新安路步行街", "Xin'an Road Pedestrian Street") in rows
    renamed = zones.copy()
    renamed.loc[renamed["zone_id"] == "baihuo_dalou", "name_zh"] = "焦作百货大楼"
    book = openpyxl.load_workbook(io.BytesIO(templates.template_bytes("footfall", zones=renamed)))
    assert ("baihuo_dalou", "焦作百货大楼", "Jiaozuo Department Store (Baihuo Dalou)") in list(book.worksheets[1].values)
    default = openpyxl.load_workbook(io.BytesIO(templates.template_bytes("footfall")))  # the bundled zones
    assert len(list(default.worksheets[1].values)) == 1 + 13


def test_zone_list_csv_is_the_table_of_ids_and_names() -> None:
    zones = geo.load_zones(ROOT / "data" / "zones.geojson")
    lines = templates.zone_list_bytes(zones, "zh").decode("utf-8-sig").splitlines()
    assert lines[0] == "片区编号,中文名,英文名" and len(lines) == 14
    assert "xinan_road,新安路步行街,Xin'an Road Pedestrian Street" in lines


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
    assert book.sheetnames == ["活动", "片区 Zones"]
    rows = list(book.worksheets[0].values)
    assert len(rows) == 2 and rows[0][0] == "活动编号"


def test_templates_are_formula_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(templates.EXAMPLE_ROWS, "footfall",
                        {"zone_id": "xinan_road", "ts": "=HYPERLINK(\"x\")", "visitors": 1})
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
