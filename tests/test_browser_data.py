"""The data page in headless Chromium: real uploads through the file input, rollback, oversize files, drawing.

One ``streamlit run app.py`` server (its own database file) serves every test
here; files go in through the page's ``<input type=file>`` with Playwright's
``set_input_files``. The package's upload limit is set to 1 MB and
Streamlit's own to 2 MB so that "too large" files stay small. No request may
leave the machine. Screenshots: ``test-artifacts/data_*.png``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from playwright.sync_api import expect

from browser import (
    FOLIUM_IFRAME,
    PROJECT_ROOT,
    offline_page,
    run_streamlit,
    save_screenshot,
    screenshot_on_failure,
)

pytestmark = pytest.mark.browser
DATA_PAGE = "/" + quote("数据管理_Data")
BAD_FOOTFALL = (
    "片区编号,时间,客流\n"
    "xinan_road,2022-06-20 20:00,-5\n"
    "xinan_road,2022-06-20 21:00,120\n"
    "nowhere_zone,2022-06-20 22:00,80\n"
    "xinan_road,昨天晚上,50\n"
)
GOOD_FOOTFALL = "片区编号,时间,客流\nxinan_road,2022-06-20 20:00,99999\nbaihuo_dalou,2022-06-21 19:00,88888\n"


@dataclass(frozen=True)
class Server:
    url: str
    db: Path

    def scalar(self, sql: str) -> object:
        """Read the server's database from this process (read-only; the server only reads while idle)."""
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("browser_data") / "data.duckdb"
    env = {
        "NIGHTMAP_DB": str(db),
        "NIGHTMAP_MAX_UPLOAD_MB": "1",
        "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "2",
    }
    with run_streamlit(PROJECT_ROOT / "app.py", env=env) as base_url:
        yield Server(base_url, db)


def _kpi(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    value = metric.locator('[data-testid="stMetricValue"]')
    expect(value).to_be_visible(timeout=60_000)
    return value.inner_text()



def _problem_table(page):  # noqa: ANN001, ANN202
    """The upload's problem report (not the file guide's table of columns, also an ``st.table``)."""
    return page.locator('[data-testid="stTable"]', has_text="行（Excel行号）")


def _open_data_page(page, base_url: str) -> None:
    page.goto(base_url + DATA_PAGE, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="数据管理").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("数据新鲜度").first).to_be_visible(timeout=30_000)


def _section(page, name: str) -> None:
    page.locator('[data-testid="stRadio"]', has_text="功能").get_by_text(name, exact=True).click()


def _upload(page, name: str, data: bytes, mime: str = "text/csv") -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def test_bad_file_writes_nothing_good_file_commits_and_rollback_restores(server: Server, browser) -> None:
    page, offsite = offline_page(browser, width=1500, height=1800)
    with screenshot_on_failure(page, "data_upload"):
        page.goto(server.url, wait_until="domcontentloaded")
        before = _kpi(page, "总客流")

        _open_data_page(page, server.url)
        _upload(page, "客流_有错.csv", BAD_FOOTFALL.encode("gb18030"))
        expect(page.get_by_text("发现 3 个问题").first).to_be_visible(timeout=30_000)
        table = _problem_table(page)
        for row, value in (("2", "-5"), ("4", "nowhere_zone"), ("5", "昨天晚上")):
            expect(table.get_by_role("row", name=re.compile(rf"^{row} "))).to_contain_text(value)
        expect(table).to_contain_text("不能为负数")
        expect(table).to_contain_text("未知的片区编号")
        expect(page.get_by_role("button", name="提交写入")).to_be_disabled()
        save_screenshot(page, "data_upload_bad")
        _section(page, "导入批次与回滚")
        expect(page.get_by_text("还没有上传过文件。")).to_be_visible(timeout=30_000)
        assert server.scalar("SELECT count(*) FROM batches") == 0

        _section(page, "上传数据")
        _upload(page, "客流_6月20日.csv", GOOD_FOOTFALL.encode("gb18030"))
        expect(page.get_by_text("文件检查通过：2 行客流数据").first).to_be_visible(timeout=30_000)
        save_screenshot(page, "data_upload_good")
        page.get_by_role("button", name="提交写入").click()
        expect(page.get_by_text("已写入批次 #1").first).to_be_visible(timeout=30_000)

        page.goto(server.url, wait_until="domcontentloaded")
        expect(page.locator('[data-testid="stMetric"]', has_text="总客流")
               .locator('[data-testid="stMetricValue"]')).not_to_have_text(before, timeout=60_000)
        assert _kpi(page, "总客流") != before

        _open_data_page(page, server.url)
        _section(page, "导入批次与回滚")
        page.get_by_role("button", name="回滚该批次…").click()
        expect(page.get_by_text("确定回滚").first).to_be_visible(timeout=30_000)
        save_screenshot(page, "data_rollback_confirm")
        page.get_by_role("button", name="确认回滚批次 #1").click()
        expect(page.get_by_text("已回滚批次 #1").first).to_be_visible(timeout=30_000)

        page.goto(server.url, wait_until="domcontentloaded")
        expect(page.locator('[data-testid="stMetric"]', has_text="总客流")
               .locator('[data-testid="stMetricValue"]')).to_have_text(before, timeout=60_000)
    assert offsite == [], f"requests left the machine: {offsite}"


def test_oversize_files_are_refused(server: Server, browser) -> None:
    page, offsite = offline_page(browser)
    with screenshot_on_failure(page, "data_oversize"):
        _open_data_page(page, server.url)
        row = "xinan_road,2022-06-20 20:00,1\n"
        over_package = ("zone_id,ts,visitors\n" + row * (1_500_000 // len(row))).encode()
        _upload(page, "big.csv", over_package)
        expect(page.get_by_text("文件过大").first).to_be_visible(timeout=60_000)
        expect(page.get_by_role("button", name="提交写入")).to_be_disabled()
        save_screenshot(page, "data_oversize")
        over_streamlit = over_package * 2
        _upload(page, "bigger.csv", over_streamlit)
        expect(page.get_by_text("2.0MB", exact=False).first).to_be_visible(timeout=30_000)
    assert offsite == [], f"requests left the machine: {offsite}"


def test_zone_is_redrawn_on_the_map_and_restored(server: Server, browser) -> None:
    page, offsite = offline_page(browser, width=1500, height=1400)
    with screenshot_on_failure(page, "data_zone"):
        _open_data_page(page, server.url)
        _section(page, "片区位置")
        frame = page.frame_locator(FOLIUM_IFRAME)
        container = frame.locator(".leaflet-container")
        expect(container).to_be_visible(timeout=60_000)
        hint = frame.locator(".nm-draw-hint")
        expect(hint).to_contain_text("开始绘制", timeout=30_000)
        frame.get_by_role("button", name="✏ 开始绘制").click()
        expect(hint).to_contain_text("已有 0 个顶点")
        box = container.bounding_box()
        assert box is not None
        cx, cy = box["width"] / 2, box["height"] / 2
        for n, (dx, dy) in enumerate(((-40, -30), (40, -30), (40, 30)), start=1):
            container.click(position={"x": cx + dx, "y": cy + dy})
            expect(hint).to_contain_text(f"已有 {n} 个顶点")
        container.dblclick(position={"x": cx - 40, "y": cy + 30})
        expect(hint).to_contain_text("已画好")
        expect(page.get_by_text("新边界有效").first).to_be_visible(timeout=30_000)
        save_screenshot(page, "data_zone_drawn")
        page.get_by_role("button", name="保存新边界").click()
        expect(page.get_by_text("已保存片区").first).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name="恢复此版本")).to_be_visible(timeout=30_000)
        ring = server.scalar("SELECT geometry FROM zones ORDER BY rowid LIMIT 1")
        assert len(json.loads(ring)["coordinates"][0]) == 5  # four vertices, closed
        assert server.scalar("SELECT count(*) FROM zone_versions") == 1
        page.get_by_role("button", name="恢复此版本").click()
        expect(page.get_by_text("恢复为版本 #1").first).to_be_visible(timeout=30_000)
    assert offsite == [], f"requests left the machine: {offsite}"


ROWS_4_AND_7 = (
    "片区编号,时间,客流\n"
    "xinan_road,2022-06-22 19:00,10\n"   # row 2
    "xinan_road,2022-06-22 20:00,20\n"   # row 3
    "xinan_road,2022-06-22 21:00,-30\n"  # row 4: negative
    "xinan_road,2022-06-22 22:00,40\n"   # row 5
    "xinan_road,2022-06-22 23:00,50\n"   # row 6
    "xinan_road,2022-06-23 00:00,很多\n"  # row 7: text
    "xinan_road,2022-06-23 01:00,70\n"   # row 8
)


def _first_cells(table) -> list[str]:
    """The first cell of each body row of a rendered table, as shown on screen."""
    return [t.strip() for t in table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => (r.querySelector('th, td') || {innerText: ''}).innerText)")]


def test_problem_report_shows_the_excel_row_numbers(server: Server, browser) -> None:
    page, offsite = offline_page(browser, width=1366, height=768)
    with screenshot_on_failure(page, "data_rows"):
        _open_data_page(page, server.url)
        _upload(page, "客流_第4和第7行有错.csv", ROWS_4_AND_7.encode("utf-8"))
        expect(page.get_by_text("发现 2 个问题").first).to_be_visible(timeout=30_000)
        table = _problem_table(page)
        expect(table).to_contain_text("不能为负数")
        header = table.locator("thead").inner_text()
        assert header.split("\t")[0].strip().startswith("行（Excel行号）"), header
        assert _first_cells(table) == ["4", "7"]
        text = table.inner_text()
        assert "-30" in text and "很多" in text
        save_screenshot(page, "data_rows_4_7")
    assert offsite == [], f"requests left the machine: {offsite}"


def _office_xlsx() -> bytes:
    """A sheet as an office makes it: a merged title, a blank row, the header on row 3, totals and a note."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "解放区夜经济客流日报（6月24日）"
    ws.merge_cells("A1:C1")
    ws.append([])
    ws.append(["时间", "片区编号", "客流（人次）"])            # row 3
    ws.append(["2022年6月24日 20时", "xinan_road", "１２３"])  # row 4: full-width digits
    ws.append(["2022/6/24 21:00", "xinan_road", "1,234人次"])  # row 5
    ws.append(["合计", "", 1357])                             # row 6
    ws.append(["注：数据来源：区商务局"])                      # row 7
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_office_spreadsheet_commits_and_the_command_line_loads_while_the_app_runs(
    server: Server, browser, tmp_path: Path
) -> None:
    import subprocess

    page, offsite = offline_page(browser, width=1366, height=768)
    with screenshot_on_failure(page, "data_office"):
        one_night = f"{server.url}/?from=2022-06-25&to=2022-06-25&zones=baihuo_dalou"  # small enough to show every visitor
        page.goto(one_night, wait_until="domcontentloaded")
        before = _kpi(page, "总客流")
        _open_data_page(page, server.url)
        _upload(page, "客流日报.xlsx", _office_xlsx(),
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        expect(page.get_by_text("文件检查通过：2 行客流数据").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("表头在第 3 行").first).to_be_visible()
        skipped = page.locator('[data-testid="stTable"]', has_text="合计").first
        expect(skipped).to_be_visible(timeout=30_000)  # the page draws the table after the lines above it
        assert _first_cells(skipped) == ["1", "6", "7"]
        save_screenshot(page, "data_office_xlsx")
        page.get_by_role("button", name="提交写入").click()
        expect(page.get_by_text("已写入批次").first).to_be_visible(timeout=30_000)
        assert server.scalar("SELECT visitors FROM footfall WHERE zone_id = 'xinan_road' "
                             "AND ts = TIMESTAMP '2022-06-24 21:00'") == 1234
        batches = server.scalar("SELECT count(*) FROM batches")
        # the rerun after a commit draws a fresh, empty uploader; until then the old one is still on the page
        expect(page.locator('[data-testid="stFileChip"]')).to_have_count(0, timeout=30_000)
        _upload(page, "客流日报.xlsx", _office_xlsx(),  # the same file again: nothing to record
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        expect(page.get_by_text("文件检查通过：2 行客流数据").first).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="提交写入").click()
        expect(page.get_by_text("未记录新批次").first).to_be_visible(timeout=30_000)
        assert server.scalar("SELECT count(*) FROM batches") == batches

        # data staff load a file from the command line while the app keeps serving
        file = tmp_path / "客流_命令行.csv"
        file.write_text("片区编号,时间,客流\nbaihuo_dalou,2022-06-25 19:00,4321\n", encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "nightmap.cli", "--db", str(server.db), "--data-dir", str(PROJECT_ROOT / "data"),
             "ingest", "footfall", str(file)],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert run.returncode == 0, run.stderr
        assert "更新 updated 1" in run.stdout  # the simulated night had a figure for that hour
        assert server.scalar("SELECT visitors FROM footfall WHERE zone_id = 'baihuo_dalou' "
                             "AND ts = TIMESTAMP '2022-06-25 19:00'") == 4321
        page.goto(one_night, wait_until="domcontentloaded")
        after = _kpi(page, "总客流")
        assert after != before, (before, after)  # the running app reads the snapshot the command line wrote
        _open_data_page(page, server.url)
        _section(page, "导入批次与回滚")
        rollback_choice = page.get_by_role("combobox", name="选择要回滚的批次")
        expect(rollback_choice).to_have_value(re.compile("客流_命令行.csv"), timeout=30_000)  # newest batch first
    assert offsite == [], f"requests left the machine: {offsite}"


def _pseudo(locator, what: str = "::after") -> dict[str, str]:
    """The computed font size of an element and the content and font size of its pseudo-element."""
    return locator.evaluate(
        "(e, what) => { const s = getComputedStyle(e), a = getComputedStyle(e, what);"
        " return {size: s.fontSize, content: a.content, after: a.fontSize}; }", what)


def test_uploader_speaks_chinese_zone_names_are_accepted_and_the_template_example_is_refused(
    server: Server, browser
) -> None:
    import io

    import openpyxl

    from nightmap import templates

    page, offsite = offline_page(browser, width=1366, height=900)
    with screenshot_on_failure(page, "data_words"):
        _open_data_page(page, server.url)
        page.get_by_text("下载模板", exact=True).click()
        with page.expect_download(timeout=30_000) as fetched:  # the file is made when the button is clicked
            page.get_by_role("button", name="中文表头 XLSX").click()
        assert fetched.value.suggested_filename == "nightmap_客流_模板.xlsx"
        book = openpyxl.load_workbook(io.BytesIO(Path(fetched.value.path()).read_bytes()))
        assert book.sheetnames == ["客流", "片区 Zones"] and len(list(book["片区 Zones"].values)) == 1 + 13
        assert str(book["客流"]["A2"].value).startswith("【示例·请删除本行】")

        dropzone = page.locator('[data-testid="stFileUploaderDropzone"]').first
        button = _pseudo(dropzone.locator('[data-testid="stBaseButton-secondary"] p'))
        assert button == {"size": "0px", "content": '"选择文件"', "after": "14px"}, button  # not "Upload"
        hint = _pseudo(dropzone.locator('[data-testid="stFileUploaderDropzoneInstructions"] span'))
        assert hint == {"size": "0px", "content": '"或将文件拖放到此处"', "after": "14px"}, hint  # not "200MB per file"
        who = page.locator('[data-testid="stTextInput"]').first
        who.locator("input").fill("张三")
        enter = _pseudo(who.locator('[data-testid="InputInstructions"] > span').first)
        assert enter["size"] == "0px" and enter["content"] == '"按回车键确认"', enter  # not "Press Enter to apply"
        save_screenshot(page, "data_words_zh")

        names = "片区编号,时间,客流\n新安路步行街,2022-06-26 20:00,11\nJiaozuo Department Store (Baihuo Dalou),2022-06-26 21:00,12\n"
        _upload(page, "客流_按名称.csv", names.encode("gb18030"))
        expect(page.get_by_text("文件检查通过：2 行客流数据").first).to_be_visible(timeout=30_000)

        _upload(page, "nightmap_客流_模板.csv", templates.template_bytes("footfall", lang="zh", fmt="csv"))
        expect(page.get_by_text("发现 1 个问题").first).to_be_visible(timeout=30_000)
        table = page.locator('[data-testid="stTable"]', has_text="示例行未删除").first
        expect(table).to_be_visible(timeout=30_000)
        assert _first_cells(table) == ["2"]  # the row as Excel shows it
        expect(page.get_by_role("button", name="提交写入")).to_be_disabled()
        save_screenshot(page, "data_example_row")

        page.goto(server.url + DATA_PAGE + "?lang=en", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name="Data management").first).to_be_visible(timeout=60_000)
        dropzone = page.locator('[data-testid="stFileUploaderDropzone"]').first
        expect(dropzone.locator('[data-testid="stBaseButton-secondary"] p')).to_have_text("Upload", timeout=30_000)
        assert _pseudo(dropzone.locator('[data-testid="stBaseButton-secondary"] p'))["size"] != "0px"
    assert offsite == [], f"requests left the machine: {offsite}"
