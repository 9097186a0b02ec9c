"""Roles and the audit: the store's write path refuses actors that may not write and records who wrote;
the users file and ``nightmap users``; the growing wait after wrong passwords."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from nightmap import auth, report_tables
from nightmap.auth import AccessDeniedError, Actor
from nightmap.cli import cli
from nightmap.ingest import parse_file
from nightmap.store import Store

NEW_FOOTFALL = "片区编号,时间,客流\nxinan_road,2022-06-19 20:00,70\n"
VIEWER = Actor("zhao", "viewer")
EDITOR = Actor("wang", "editor", "王科员")
ADMIN = Actor("li", "admin", "李科长")


def parsed(store: Store, rows: str = NEW_FOOTFALL, name: str = "f.csv") -> object:
    return parse_file(rows.encode(), file_name=name, kind="footfall", known_zones=store.zone_ids())


def test_role_matrix() -> None:
    assert [a for a in auth.ACTIONS if auth.can(VIEWER, a)] == []
    assert [a for a in auth.ACTIONS if auth.can(EDITOR, a)] == ["ingest", "zone_edit"]
    assert [a for a in auth.ACTIONS if auth.can(ADMIN, a)] == ["ingest", "zone_edit", "rollback", "users"]
    assert not auth.can(None, "ingest")
    assert not auth.can(Actor("", "admin"), "ingest")  # a role without a name is nobody
    assert not auth.can(Actor("x", "root"), "ingest")
    assert not auth.can(ADMIN, "format_disk")
    assert auth.data_sections(VIEWER) == ("batches", "log")
    assert auth.data_sections(EDITOR) == ("upload", "batches", "zones", "log")
    assert auth.data_sections(None) == ("batches", "log")


@pytest.mark.parametrize("actor", [None, VIEWER])
def test_store_refuses_ingest_and_zone_edits_without_an_allowed_actor(tiny_store: Store, actor: Actor | None) -> None:
    before = tiny_store.snapshot_id()
    with pytest.raises(AccessDeniedError) as caught:
        tiny_store.ingest(parsed(tiny_store), actor=actor)
    assert "nothing was written" in str(caught.value) and "未写入任何数据" in str(caught.value)
    with pytest.raises(AccessDeniedError):
        tiny_store.update_zone("xinan_road", name_en="Renamed", actor=actor)
    with pytest.raises(AccessDeniedError):
        tiny_store.restore_zone(1, actor=actor)
    assert tiny_store.batches().empty
    assert tiny_store.zones().set_index("zone_id").loc["xinan_road", "name_en"] != "Renamed"
    assert tiny_store.snapshot_id() == before  # no snapshot was published


def test_only_an_admin_rolls_back_and_every_change_records_user_role_and_time(tiny_store: Store) -> None:
    done = tiny_store.ingest(parsed(tiny_store), actor=EDITOR, note="  6月19日 补报  ")
    with pytest.raises(AccessDeniedError) as caught:
        tiny_store.rollback(done.batch_id, actor=EDITOR)
    assert "wang" in str(caught.value) and "admin" in str(caught.value)
    assert tiny_store.batches()["rolled_back_at"].isna().all()
    tiny_store.rollback(done.batch_id, actor=ADMIN)
    version = tiny_store.update_zone("xinan_road", name_en="Xin'an Walk", note="路牌", actor=EDITOR)
    tiny_store.restore_zone(version, actor=ADMIN)

    batch = tiny_store.batches().iloc[0]
    assert (batch["actor"], batch["actor_role"], batch["note"]) == ("wang", "editor", "6月19日 补报")
    assert (batch["rolled_back_by"], batch["rolled_back_role"]) == ("li", "admin")
    versions = tiny_store.zone_history("xinan_road")
    assert list(zip(versions["actor"], versions["actor_role"], strict=True)) == [("li", "admin"), ("wang", "editor")]

    log = tiny_store.audit_log()
    assert list(log.columns) == ["at", "user", "role", "action", "target", "note"]
    rows = [(r.action, r.user, r.role) for r in log.itertuples()]  # newest first, even within one second
    assert rows == [("zone_restore", "li", "admin"), ("zone_edit", "wang", "editor"),
                    ("rollback", "li", "admin"), ("ingest", "wang", "editor")]
    assert set(log.loc[log["action"] == "ingest", "target"]) == {"#1 f.csv"}
    assert log["at"].notna().all() and log["at"].is_monotonic_decreasing

    # as the Data page shows them: who with the role's name, in each language
    shown = report_tables.batch_log_table(tiny_store.batches(), "zh").iloc[0]
    assert shown["操作人"] == "wang (编辑)"
    assert shown["sha256"] == batch["sha256"]
    audit = report_tables.audit_table(log, "en")
    assert set(audit.iloc[:, 1]) == {"wang", "li"} and set(audit.iloc[:, 2]) == {"editor", "admin"}
    assert len(audit) == 4


def test_a_store_of_the_previous_layout_keeps_the_uploader_as_the_note(tiny_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "v3.duckdb"
    store = Store.open(db, data_dir=tiny_dir)
    store.ingest(parsed(store), actor=EDITOR)
    store.close()
    con = duckdb.connect(str(db))  # make it look like schema 3: free-text uploader, no actor columns
    con.execute("ALTER TABLE batches DROP COLUMN actor")
    con.execute("ALTER TABLE batches DROP COLUMN actor_role")
    con.execute("ALTER TABLE batches DROP COLUMN rolled_back_by")
    con.execute("ALTER TABLE batches DROP COLUMN rolled_back_role")
    con.execute("ALTER TABLE batches RENAME COLUMN note TO uploaded_by")
    con.execute("UPDATE batches SET uploaded_by = '张三'")
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'fingerprint'")
    con.close()
    reopened = Store.open(db, data_dir=tiny_dir)
    try:
        row = reopened.batches().iloc[0]
        assert (row["note"], row["actor"]) == ("张三", "")
        assert reopened.scalar("SELECT visitors FROM footfall WHERE ts = '2022-06-19 20:00'") == 70
    finally:
        reopened.close()


def test_growing_delay_after_wrong_passwords() -> None:
    assert [auth.failure_delay(n) for n in range(8)] == [0, 1, 2, 4, 8, 16, 30, 30]
    now = [1000.0]
    throttle = auth.LoginThrottle(clock=lambda: now[0])
    assert throttle.failed("ip:1") == 1 and throttle.failed("ip:1") == 2 and throttle.failed("ip:1") == 4
    assert throttle.remaining("ip:1") == 4
    now[0] += 3
    assert throttle.remaining("ip:1") == 1
    assert throttle.failed("ip:2") == 1  # another client is counted on its own
    throttle.succeeded("ip:1")
    assert throttle.failures("ip:1") == 0 and throttle.remaining("ip:1") == 0
    throttle.failed("ip:3")
    now[0] += auth.FORGET_AFTER_S + 1
    assert throttle.failures("ip:3") == 0


def test_users_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "auth.yaml"
    auth.add_user(path, "wang", password="correct horse", role="editor", name="王科员")
    config = auth.load_config(path)
    assert config.actor("WANG") == Actor("wang", "editor", "王科员")
    assert config.actor("nobody") is None
    assert auth.check_password("correct horse", config.users["wang"]["password"])
    assert not auth.check_password("wrong horse", config.users["wang"]["password"])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["cookie"]["key"] = "short"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(auth.AuthConfigError, match="cookie.key"):
        auth.load_config(path)
    data["cookie"]["key"] = "k" * 40
    data["credentials"]["usernames"]["wang"]["password"] = "plain-text"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(auth.AuthConfigError, match="bcrypt"):
        auth.load_config(path)
    with pytest.raises(auth.AuthConfigError, match="user name"):
        auth.add_user(path, "Bad Name", password="long enough", role="viewer")
    with pytest.raises(auth.AuthConfigError, match="at least 8"):
        auth.add_user(path, "li", password="short", role="viewer")


def test_example_users_file_is_valid_and_has_no_real_password() -> None:
    example = Path(__file__).resolve().parents[1] / "auth.example.yaml"
    config = auth.load_config(example)
    assert {r["role"] for r in config.user_rows()} == {"viewer", "editor", "admin"}
    assert all(auth.is_hash(u["password"]) for u in config.users.values())


# --------------------------------------------------------------------------- nightmap users


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nightmap.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, check=False)


def test_users_add_list_remove(tmp_path: Path) -> None:
    path = tmp_path / "auth.yaml"
    added = run_cli("users", "add", "wang", "--role", "editor", "--display-name", "王科员", "--password-stdin",
                    "--auth", str(path), stdin="s3cret-pass\n")
    assert added.returncode == 0, added.stderr
    assert "added user wang (editor)" in added.stdout
    assert "s3cret-pass" not in path.read_text(encoding="utf-8")  # only the hash is stored
    assert path.stat().st_mode & 0o077 == 0
    hashed = yaml.safe_load(path.read_text(encoding="utf-8"))["credentials"]["usernames"]["wang"]["password"]
    assert auth.check_password("s3cret-pass", hashed)

    prompted = CliRunner().invoke(cli, ["users", "add", "li", "--role", "admin", "--auth", str(path)],
                                  input="another-pass\nanother-pass\n")
    assert prompted.exit_code == 0, prompted.output
    assert "another-pass" not in prompted.output
    mismatch = CliRunner().invoke(cli, ["users", "add", "zhao", "--role", "viewer", "--auth", str(path)],
                                  input="first-pass1\nsecond-pass\n")
    assert "zhao" not in auth.load_config(path).users and mismatch.exit_code != 0

    listed = run_cli("users", "list", "--auth", str(path))
    assert listed.returncode == 0
    lines = [line.split() for line in listed.stdout.strip().splitlines()]
    assert lines == [["user", "role", "name"], ["li", "admin", "li"], ["wang", "editor", "王科员"]]
    assert "$2b$" not in listed.stdout

    removed = run_cli("users", "remove", "wang", "--auth", str(path))
    assert removed.returncode == 0 and "removed user wang" in removed.stdout
    assert list(auth.load_config(path).users) == ["li"]
    again = run_cli("users", "remove", "wang", "--auth", str(path))
    assert again.returncode == 1 and "there is no user wang" in again.stderr and "Traceback" not in again.stderr
    short = run_cli("users", "add", "zhao", "--role", "viewer", "--password-stdin", "--auth", str(path),
                    stdin="short\n")
    assert short.returncode == 1 and "at least 8" in short.stderr and "Traceback" not in short.stderr


def test_users_without_a_file_say_how_to_name_it() -> None:
    run = subprocess.run([sys.executable, "-m", "nightmap.cli", "users", "list"], capture_output=True, text=True,
                         timeout=60, check=False, env={k: v for k, v in os.environ.items()
                                                       if k != "NIGHTMAP_AUTH"})
    assert run.returncode == 1 and "NIGHTMAP_AUTH" in run.stderr and "Traceback" not in run.stderr


def test_cli_records_the_os_user_and_batches_shows_the_log(tiny_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    good = tmp_path / "客流.csv"
    good.write_text(NEW_FOOTFALL, encoding="utf-8")
    base = ["--db", str(db), "--data-dir", str(tiny_dir)]
    assert run_cli(*base, "ingest", "footfall", str(good), "--note", "补报").returncode == 0
    assert run_cli(*base, "rollback", "1").returncode == 0
    listed = run_cli(*base, "batches")
    assert listed.returncode == 0, listed.stderr
    me = auth.os_user()
    assert "change log" in listed.stdout
    log_lines = listed.stdout.split("change log:")[1]
    assert f"{me}" in log_lines and "rollback" in log_lines and "ingest" in log_lines and "补报" in listed.stdout
    store = Store.open(db, data_dir=tiny_dir)
    row = store.batches().iloc[0]
    store.close()
    assert [row["actor"], row["actor_role"], row["rolled_back_by"]] == [me, "admin", me]
