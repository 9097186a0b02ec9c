"""The first visitor of a new server who opens a page's URL directly gets that page, with the app's menu.

Streamlit runs a new server in its old "pages folder" mode until a run calls ``st.navigation``; without
:func:`nightmap.ui.page._leave_pages_folder_mode` the page script ran alone and the menu named the
overview "app" (seen when a presenter opened a bookmarked page right after starting the app).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser import (
    PROJECT_ROOT,
    offline_page,
    run_streamlit,
    save_screenshot,
    screenshot_on_failure,
    wait_until_idle,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "heading"), [("/数据管理_Data?lang=zh", "数据管理"), ("/活动_Events?lang=en", "Events")])
def test_a_page_url_opened_first_on_a_new_server(browser, tmp_path, path: str, heading: str) -> None:
    with run_streamlit(PROJECT_ROOT / "app.py", env={"NIGHTMAP_DB": str(tmp_path / "first.duckdb")}) as url:
        page, offsite = offline_page(browser, width=1366, height=768)
        with screenshot_on_failure(page, "first_visit"):
            page.goto(url + path, wait_until="domcontentloaded")
            expect(page.locator("h1").first).to_have_text(heading, timeout=90_000)
            wait_until_idle(page)
            menu = page.locator('[data-testid="stSidebarNav"] a')
            assert [m.strip() for m in menu.all_inner_texts()][:2] == ["总览 Overview", "片区对比 Compare"]
            assert ("lang=" + path.rsplit("=", 1)[1]) in page.url  # the view's parameters are kept
            save_screenshot(page, "first_visit_" + heading)
        assert offsite == []
