"""Sign-in in headless Chromium on the real server with a users file (``NIGHTMAP_AUTH``).

An anonymous visitor gets only the sign-in form on every page URL; each role then sees exactly its controls
on the Data page; a wrong password is refused with one message; sign-out works and survives a reload; a
tampered cookie signs the visitor out. One server, its own database (one batch committed beforehand so the
rollback button would show) and its own users file. Screenshots: ``test-artifacts/auth_*.png``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

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
from nightmap import auth
from nightmap.auth import Actor
from nightmap.ingest import parse_file
from nightmap.store import Store

pytestmark = pytest.mark.browser
PAGE_URLS = ["/", *("/" + quote(name) for name in ("片区对比_Compare", "活动_Events", "汇报模式_Presenter",
                                                   "数据管理_Data"))]
DATA_PAGE = "/" + quote("数据管理_Data")
PASSWORDS = {"zhao": "viewer-pass-1", "wang": "editor-pass-1", "li": "admin-pass-1"}
ROLES = {"zhao": "viewer", "wang": "editor", "li": "admin"}


@dataclass(frozen=True)
class Server:
    url: str
    db: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("browser_auth")
    users = root / "auth.yaml"
    for user, role in ROLES.items():
        auth.add_user(users, user, password=PASSWORDS[user], role=role)
    db = root / "data.duckdb"
    store = Store.open(db, data_dir=PROJECT_ROOT / "data")
    store.ingest(parse_file("片区编号,时间,客流\nxinan_road,2022-06-20 20:00,99999\n".encode(), file_name="客流.csv",
                            kind="footfall", known_zones=store.zone_ids()), actor=Actor("wang", "editor"))
    store.close()
    with run_streamlit(PROJECT_ROOT / "app.py", env={"NIGHTMAP_DB": str(db), "NIGHTMAP_AUTH": str(users)}) as url:
        yield Server(url, db)


def _form_only(page) -> None:
    """The sign-in form is there, and nothing of the app's data or controls is."""
    expect(page.get_by_role("textbox", name="用户名")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("textbox", name="密码")).to_be_visible()
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    wait_until_idle(page)
    main = page.locator('[data-testid="stMain"]')
    for testid in ("stMetric", "stDataFrame", "stFileUploader", "stRadio", "stSelectbox", "stTable",
                   "stIFrame", "stDownloadButton"):
        assert main.locator(f'[data-testid="{testid}"]').count() == 0, testid
    assert page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').count() == 0  # no language or filters
    assert page.get_by_text("数据新鲜度").count() == 0
    assert page.get_by_role("button", name="退出登录").count() == 0
    assert page.get_by_text("已登录：").count() == 0


def _sign_in(page, base_url: str, user: str, password: str | None = None, path: str = DATA_PAGE) -> None:
    page.goto(base_url + path, wait_until="domcontentloaded")
    page.get_by_role("textbox", name="用户名").fill(user)
    page.get_by_role("textbox", name="密码").fill(password or PASSWORDS[user])
    page.get_by_role("button", name="登录", exact=True).click()


def _auth_cookie(page, timeout: float = 20.0) -> dict:
    """The sign-in cookie, once the page's cookie component has set it (it runs in an iframe after sign-in)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == "nightmap_auth"]
        if found:
            return found[0]
        page.wait_for_timeout(200)
    raise AssertionError("no sign-in cookie was set")


def _cookie_gone(page, timeout: float = 20.0) -> None:
    """Wait until the page's cookie component has deleted the sign-in cookie (it runs in an iframe at sign-out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not [c for c in page.context.cookies() if c["name"] == "nightmap_auth"]:
            return
        page.wait_for_timeout(200)
    raise AssertionError("the sign-in cookie was not deleted at sign-out")


def _section_names(page) -> list[str]:
    radio = page.locator('[data-testid="stRadio"]', has_text="功能")
    expect(radio).to_be_visible(timeout=60_000)
    return [t.strip() for t in radio.locator("label").all_inner_texts() if t.strip() and t.strip() != "功能"]


def _section(page, name: str) -> None:
    page.locator('[data-testid="stRadio"]', has_text="功能").get_by_text(name, exact=True).click()
    wait_until_idle(page)


def test_anonymous_visitor_sees_only_the_sign_in_form_on_every_page(server: Server, browser) -> None:
    page, offsite = offline_page(browser)
    with screenshot_on_failure(page, "auth_anonymous"):
        for path in PAGE_URLS:
            page.goto(server.url + path, wait_until="domcontentloaded")
            _form_only(page)
        save_screenshot(page, "auth_anonymous_data_page")
    assert offsite == []


def test_wrong_password_is_refused_without_naming_the_cause(server: Server, browser) -> None:
    page, _ = offline_page(browser)
    with screenshot_on_failure(page, "auth_wrong"):
        message = "用户名或密码不正确。多次输入错误后，每次重试需要等待更长时间。"
        _sign_in(page, server.url, "wang", "not-the-password")
        expect(page.get_by_text(message)).to_be_visible(timeout=30_000)
        _sign_in(page, server.url, "nobody", "not-the-password")
        expect(page.get_by_text(message)).to_be_visible(timeout=30_000)
        _form_only(page)


def test_editor_gets_upload_but_not_rollback_then_signs_out(server: Server, browser) -> None:
    page, offsite = offline_page(browser, height=1400)
    with screenshot_on_failure(page, "auth_editor"):
        _sign_in(page, server.url, "wang")
        expect(page.get_by_text("已登录：wang（编辑）")).to_be_visible(timeout=60_000)
        assert _section_names(page) == ["上传数据", "导入批次与回滚", "片区位置", "操作记录"]
        expect(page.locator('[data-testid="stFileUploader"]')).to_be_visible(timeout=30_000)
        save_screenshot(page, "auth_editor_upload")
        _section(page, "导入批次与回滚")
        expect(page.get_by_text("回滚批次需要“管理员”角色。")).to_be_visible(timeout=30_000)
        assert page.get_by_role("button", name="回滚该批次…").count() == 0

        _auth_cookie(page)
        page.reload(wait_until="domcontentloaded")  # the signed cookie keeps the session across a reload
        expect(page.get_by_text("已登录：wang（编辑）")).to_be_visible(timeout=60_000)

        page.get_by_role("button", name="退出登录").click()
        expect(page.get_by_text("已退出登录。")).to_be_visible(timeout=30_000)
        _form_only(page)
        _cookie_gone(page)
        page.reload(wait_until="domcontentloaded")
        _form_only(page)
        assert page.get_by_text("已退出登录。").count() == 0  # the note belongs to the session that signed out
    assert offsite == []


def test_viewer_gets_no_writing_controls(server: Server, browser) -> None:
    page, _ = offline_page(browser, height=1400)
    with screenshot_on_failure(page, "auth_viewer"):
        _sign_in(page, server.url, "zhao")
        expect(page.get_by_text("已登录：zhao（查看）")).to_be_visible(timeout=60_000)
        assert _section_names(page) == ["导入批次与回滚", "操作记录"]
        wait_until_idle(page)
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        assert page.get_by_role("button", name="回滚该批次…").count() == 0
        expect(page.get_by_text("回滚批次需要“管理员”角色。")).to_be_visible()
        save_screenshot(page, "auth_viewer_batches")


def test_admin_gets_rollback_and_a_tampered_cookie_signs_out(server: Server, browser) -> None:
    page, _ = offline_page(browser, height=1400)
    with screenshot_on_failure(page, "auth_admin"):
        _sign_in(page, server.url, "li")
        expect(page.get_by_text("已登录：li（管理员）")).to_be_visible(timeout=60_000)
        cookie = _auth_cookie(page)
        _section(page, "导入批次与回滚")
        expect(page.get_by_role("button", name="回滚该批次…")).to_be_visible(timeout=30_000)
        _section(page, "操作记录")
        expect(page.get_by_text("可登录的用户（仅管理员可见）")).to_be_visible(timeout=30_000)
        save_screenshot(page, "auth_admin_log")

        context = page.context
        forged = dict(cookie, value=cookie["value"][:-4] + ("AAAA" if not cookie["value"].endswith("AAAA")
                                                             else "BBBB"))
        context.add_cookies([forged])
        page.reload(wait_until="domcontentloaded")
        _form_only(page)
