"""AppTest of sign-in and roles: anonymous visitors get only the form on every page; the Data page shows each
role exactly its controls; the store refuses what the page does not offer; single-user mode without a file."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nightmap import auth
from nightmap.auth import AccessDeniedError, Actor
from nightmap.ingest import parse_file
from nightmap.store import Store
from nightmap.ui.auth import ACTOR_KEY

ROOT = Path(__file__).resolve().parents[1]
DATA_PAGE = ROOT / "pages" / "4_数据管理_Data.py"
PAGES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
NEW_FOOTFALL = "片区编号,时间,客流\nxinan_road,2022-06-19 20:00,70\n"
PASSWORDS = {"zhao": "viewer-pass-1", "wang": "editor-pass-1", "li": "admin-pass-1"}
ROLES = {"zhao": "viewer", "wang": "editor", "li": "admin"}
SECTIONS_ZH = {"upload": "上传数据", "batches": "导入批次与回滚", "zones": "片区位置", "log": "操作记录"}


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("auth") / "auth.yaml"
    for user, role in ROLES.items():
        auth.add_user(path, user, password=PASSWORDS[user], role=role)
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tiny_dir: Path, tmp_path: Path, users_file: Path) -> Path:
    shutil.copy(ROOT / "data" / "districts.geojson", tiny_dir / "districts.geojson")
    db = tmp_path / "auth_page.duckdb"
    monkeypatch.setenv("NIGHTMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("NIGHTMAP_DB", str(db))
    monkeypatch.setenv("NIGHTMAP_AUTH", str(users_file))
    monkeypatch.chdir(ROOT)
    auth.THROTTLE.succeeded("ip:unknown")  # AppTest has no client address
    return db


def page(script: Path = DATA_PAGE, user: str | None = None) -> AppTest:
    """The page as ``user`` sees it after signing in (the sign-in library's session keys), or anonymous."""
    at = AppTest.from_file(str(script), default_timeout=90)
    if user:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = user
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("success", "error", "warning", "info", "caption", "markdown") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in [*parts, *(c.value for c in at.sidebar.caption)])


def sections(at: AppTest) -> list[str]:
    radio = next(r for r in at.radio if r.label == "功能")
    return list(radio.options)


def add_batch(db: Path, tiny_dir: Path) -> None:
    store = Store.open(db, data_dir=tiny_dir)
    store.ingest(parse_file(NEW_FOOTFALL.encode(), file_name="客流.csv", kind="footfall",
                            known_zones=store.zone_ids()), actor=Actor("wang", "editor"))
    store.close()


def batch_row(db: Path, tiny_dir: Path) -> dict:
    store = Store.open(db, data_dir=tiny_dir)
    try:
        return store.batches().iloc[0].to_dict()
    finally:
        store.close()


@pytest.mark.parametrize("script", PAGES, ids=lambda p: p.stem)
def test_anonymous_visitor_sees_only_the_sign_in_form(env: Path, script: Path) -> None:
    at = page(script)
    assert not at.exception
    assert [e.value for e in at.title] == ["解放区夜经济地图"]
    assert [w.label for w in at.text_input] == ["用户名", "密码"]
    assert [b.label for b in at.button] == ["登录"]
    for kind in ("radio", "selectbox", "multiselect", "slider", "select_slider", "checkbox", "dataframe",
                 "table", "metric", "file_uploader", "tabs"):
        assert len(getattr(at, kind)) == 0, kind
    assert ACTOR_KEY not in at.session_state
    assert not env.exists()  # the page stopped before it even opened the store


def test_sign_in_form_speaks_english_with_lang_en(env: Path) -> None:
    at = AppTest.from_file(str(DATA_PAGE), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert [w.label for w in at.text_input] == ["User name", "Password"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert [e.value for e in at.title] == ["Jiefang District Night-Economy Map"]


def test_wrong_password_gives_one_message_and_a_growing_wait(env: Path) -> None:
    at = page()
    waits, messages = [], []
    for user, password in (("wang", "not-the-password"), ("nobody", "whatever-1")):
        at.text_input[0].input(user)
        at.text_input[1].input(password)
        started = time.monotonic()
        at.button[0].click().run(timeout=60)
        waits.append(time.monotonic() - started)
        messages.append([e.value for e in at.error])
    assert messages[0] == messages[1] == ["用户名或密码不正确。多次输入错误后，每次重试需要等待更长时间。"]
    assert waits[0] >= 1.0 and waits[1] >= 2.0
    assert ACTOR_KEY not in at.session_state
    at.text_input[0].input("wang")
    at.text_input[1].input(PASSWORDS["wang"])
    at.button[0].click().run(timeout=60)
    assert not at.exception
    assert at.session_state[ACTOR_KEY] == Actor("wang", "editor", "wang")
    assert "已登录：wang（编辑）" in texts(at)
    assert sections(at) == list(SECTIONS_ZH.values())
    at.button(key="nm_logout").click().run()
    assert not at.exception
    assert [e.value for e in at.info] == ["已退出登录。"]
    assert [w.label for w in at.text_input] == ["用户名", "密码"] and [b.label for b in at.button] == ["登录"]
    assert "已登录" not in texts(at) and ACTOR_KEY not in at.session_state
    at.run()  # the browser's cookie component reruns the page: the note stays on the form
    assert [e.value for e in at.info] == ["已退出登录。"]
    assert [w.label for w in at.text_input] == ["用户名", "密码"] and ACTOR_KEY not in at.session_state
    at.text_input[0].input("wang")
    at.text_input[1].input(PASSWORDS["wang"])
    at.button[0].click().run(timeout=60)
    assert at.session_state[ACTOR_KEY] == Actor("wang", "editor", "wang")
    assert at.info.len == 0 or "已退出登录。" not in [e.value for e in at.info]


def test_viewer_sees_no_writing_controls_and_a_forced_write_is_refused(env: Path, tiny_dir: Path) -> None:
    add_batch(env, tiny_dir)
    at = AppTest.from_file(str(DATA_PAGE), default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "zhao"
    at.session_state["nm_data_section"] = "upload"  # forced: the section is not offered, so it falls back
    at.session_state["nm_rollback_confirm"] = 1  # forced: as if the confirm button had been pressed
    at.run()
    assert not at.exception
    assert sections(at) == [SECTIONS_ZH["batches"], SECTIONS_ZH["log"]]
    assert len(at.file_uploader) == 0
    keys = {b.key for b in at.button}
    assert not keys & {"nm_commit", "nm_rollback_start", "nm_rollback_yes"}
    assert "回滚批次需要“管理员”角色。" in texts(at)
    assert "上传数据和修改片区需要“编辑”或“管理员”角色；您的角色是“查看”。" in texts(at)
    viewer = at.session_state[ACTOR_KEY]
    assert viewer == Actor("zhao", "viewer", "zhao")
    store = Store.open(env, data_dir=tiny_dir)
    try:
        with pytest.raises(AccessDeniedError):
            store.rollback(1, actor=viewer)
        with pytest.raises(AccessDeniedError):
            store.update_zone("xinan_road", name_en="Hacked", actor=viewer)
        assert store.batches()["rolled_back_at"].isna().all()
    finally:
        store.close()
    at.radio(key="nm_data_section").set_value("log").run()
    assert not at.exception
    assert len(at.dataframe) == 2  # freshness, change log; no user list for a viewer
    assert "可登录的用户（仅管理员可见）" not in [s.value for s in at.subheader]


def test_editor_commits_but_cannot_roll_back(env: Path, tiny_dir: Path) -> None:
    at = page(user="wang")
    assert not at.exception
    assert sections(at) == list(SECTIONS_ZH.values())
    at.file_uploader(key="nm_upload_0").set_value(("客流.csv", NEW_FOOTFALL.encode("gb18030"), "text/csv")).run()
    at.text_input(key="nm_upload_who").input("6月19日补报").run()
    at.button(key="nm_commit").click().run()
    assert not at.exception
    assert "已写入批次 #1（客流\\.csv）：新增 1 行" in texts(at)  # the file name is Markdown-escaped
    row = batch_row(env, tiny_dir)
    assert (row["actor"], row["actor_role"], row["note"]) == ("wang", "editor", "6月19日补报")
    at.radio(key="nm_data_section").set_value("batches").run()
    assert "nm_rollback_start" not in {b.key for b in at.button}
    assert "回滚批次需要“管理员”角色。" in texts(at)
    shown = at.dataframe[1].value
    assert list(shown["操作人"]) == ["wang (编辑)"] and list(shown["说明"]) == ["6月19日补报"]


def test_admin_rolls_back_and_sees_the_log_and_users(env: Path, tiny_dir: Path) -> None:
    add_batch(env, tiny_dir)
    at = page(user="li")
    at.radio(key="nm_data_section").set_value("batches").run()
    at.button(key="nm_rollback_start").click().run()
    at.button(key="nm_rollback_yes").click().run()
    assert not at.exception
    assert "已回滚批次 #1" in texts(at)
    row = batch_row(env, tiny_dir)
    assert (row["rolled_back_by"], row["rolled_back_role"]) == ("li", "admin")
    at.radio(key="nm_data_section").set_value("log").run()
    log, people = at.dataframe[1].value, at.dataframe[2].value
    assert list(zip(log["操作人"], log["操作"], strict=True)) == [("li", "回滚"), ("wang", "导入")]
    assert sorted(people["用户名"]) == ["li", "wang", "zhao"]
    assert "$2b$" not in people.to_string()


def test_a_removed_user_is_signed_out(env: Path) -> None:
    at = page(user="ghost")  # a session (or cookie) of a user no longer in the file
    assert not at.exception
    assert [w.label for w in at.text_input] == ["用户名", "密码"]
    assert ACTOR_KEY not in at.session_state


def test_single_user_mode_without_a_users_file(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIGHTMAP_AUTH")
    at = page()
    assert not at.exception
    assert f"单机模式：未启用登录（修改记录为本机用户 {auth.os_user()}）" in texts(at)
    assert sections(at) == list(SECTIONS_ZH.values())
    assert at.session_state[ACTOR_KEY] == auth.local_actor()
    assert [w.label for w in at.text_input if w.label in ("用户名", "密码")] == []
