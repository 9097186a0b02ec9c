"""The real overview page in headless Chromium: the map draws offline, and a filter changes a KPI.

Starts ``streamlit run app.py`` on a free port with its own database file,
records every request that would leave the machine (none may), and saves
``test-artifacts/overview*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import (
    FOLIUM_IFRAME,
    PROJECT_ROOT,
    chromium,
    offline_page,
    run_streamlit,
    save_screenshot,
    screenshot_on_failure,
    wait_for_one_map,
)

pytestmark = pytest.mark.browser


def _kpi(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def test_overview_draws_offline_and_category_filter_changes_kpi(tmp_path: Path) -> None:
    env = {"NIGHTMAP_DB": str(tmp_path / "browser.duckdb")}
    with run_streamlit(PROJECT_ROOT / "app.py", env=env) as base_url, chromium() as browser:
        page, offsite = offline_page(browser, width=1600, height=2000)
        with screenshot_on_failure(page, "overview"):
            page.goto(base_url, wait_until="domcontentloaded")
            expect(page.get_by_text("解放区夜经济地图").first).to_be_visible(timeout=60_000)
            frame = page.frame_locator(FOLIUM_IFRAME)
            expect(frame.locator(".leaflet-container")).to_be_visible(timeout=60_000)
            paths = frame.locator("path.leaflet-interactive")
            expect(paths.nth(12)).to_be_attached(timeout=30_000)
            assert paths.count() >= 13
            expect(frame.locator(".nm-label span", has_text="新安路步行街")).to_be_visible()
            expect(page.get_by_text("模拟数据").first).to_be_visible()
            before = _kpi(page, "总消费额")
            save_screenshot(page, "overview")

            # remove 夜购 and 夜娱 from the category filter
            for name in ("夜购", "夜娱"):
                page.locator('[data-testid="stSidebar"]').get_by_role("button", name=f"Remove {name}").click()
                page.wait_for_timeout(300)
            expect(page.locator('[data-testid="stMetric"]', has_text="总消费额")
                   .locator('[data-testid="stMetricValue"]')).not_to_have_text(before, timeout=30_000)
            after = _kpi(page, "总消费额")
            assert after != before and after.endswith("元")
            page.wait_for_url(re.compile(r".*cat=eat.*"), timeout=30_000)
            wait_for_one_map(page)  # the rerun has settled
            expect(page.frame_locator(FOLIUM_IFRAME).locator(".leaflet-container")).to_be_visible(timeout=30_000)
            save_screenshot(page, "overview_eat")

            # clicking a zone opens its detail panel and puts it in the URL
            page.frame_locator(FOLIUM_IFRAME).locator("path.leaflet-interactive").nth(2).dispatch_event("click")
            expect(page.get_by_text("片区详情：").first).to_be_visible(timeout=30_000)
            page.wait_for_url("**zone=*", timeout=30_000)

            # switching to English keeps every choice and shows the sidebar's options in English
            sidebar = page.locator('[data-testid="stSidebar"]')
            sidebar.get_by_text("English", exact=True).click()
            expect(sidebar.get_by_text("Categories", exact=True)).to_be_visible(timeout=30_000)
            tags = sidebar.locator('[data-testid="stMultiSelect"]').first.locator("span[data-tag] > span[title]")
            expect(tags).to_have_text(["Eat"], timeout=30_000)
            expect(sidebar.locator('[data-testid="stRadio"]').filter(has_text="Visitors")
                   .locator("input:checked")).to_have_count(1)
            # by its English name: while the rerun settles the Chinese selectbox can linger beside it
            expect(sidebar.get_by_role("combobox", name="Basemap")).to_have_value("None (offline schematic)",
                                                                                timeout=30_000)
            page.wait_for_url(re.compile(r".*lang=en.*"), timeout=30_000)
            assert "cat=eat" in page.url
            expect(page.locator('[data-testid="stMetric"]', has_text="Total spending")
                   .locator('[data-testid="stMetricValue"]')).to_contain_text("yuan", timeout=30_000)
            save_screenshot(page, "overview_en")
            assert offsite == [], f"requests left the machine: {offsite}"
