"""The compare page in headless Chromium: the Excel download is built on click and holds every sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from browser import PROJECT_ROOT, chromium, offline_page, run_streamlit, screenshot_on_failure
from nightmap.i18n import t

pytestmark = pytest.mark.browser


def test_compare_excel_download(tmp_path: Path) -> None:
    env = {"NIGHTMAP_DB": str(tmp_path / "compare.duckdb")}
    with run_streamlit(PROJECT_ROOT / "app.py", env=env) as base_url, chromium() as browser:
        page, offsite = offline_page(browser, width=1600, height=1400)
        with screenshot_on_failure(page, "compare_download"):
            page.goto(f"{base_url}/片区对比_Compare?compare=wanda_square,xinan_road,baihuo_dalou",
                      wait_until="domcontentloaded")
            button = page.get_by_role("button", name=t("compare.download_xlsx", "zh"))
            expect(button).to_be_visible(timeout=90_000)
            with page.expect_download(timeout=60_000) as dl:
                button.click()
            saved = tmp_path / dl.value.suggested_filename
            dl.value.save_as(saved)
        book = openpyxl.load_workbook(saved, read_only=True)
        assert book.sheetnames == [t(f"compare.sheet.{k}", "zh") for k in ("filters", "table", "nightly",
                                                                           "hourly", "mix")]
        table = [row for row in book[t("compare.sheet.table", "zh")].iter_rows(values_only=True)]
        text = " ".join(str(c) for row in table for c in row if c is not None)
        assert "万达外广场" in text and "新安路步行街" in text and "百货大楼" in text
        assert offsite == []
