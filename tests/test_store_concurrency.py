"""Several processes on one store: readers never block writers, writers wait a bounded time, nothing is lost.

Each test starts real processes (a reader that keeps its connection open, a
writer that holds the write lock, the ``nightmap`` command) on a store built
from the tiny data folder, and checks the rows afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nightmap.auth import Actor
from nightmap.errors import StoreBusyError, StoreError
from nightmap.ingest import parse_file
from nightmap.store import Store

ADMIN = Actor("测试管理员", "admin")
"""The actor of the writes these tests make (the store refuses a write without one)."""

NEW_ROWS = "片区编号,时间,客流\nxinan_road,2022-06-19 20:00,70\nxinan_road,2022-06-19 21:00,80\n"


def nightmap(*args: str, db: Path, data_dir: Path, env: dict[str, str] | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "nightmap.cli", "--db", str(db), "--data-dir", str(data_dir), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **(env or {})})


def start_python(code: str) -> subprocess.Popen[str]:
    """A child Python process that talks line by line on stdin/stdout."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)


def read_line(proc: subprocess.Popen[str], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline() if proc.stdout else ""
        if line:
            return line.strip()
        if proc.poll() is not None:
            raise AssertionError(f"child exited {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
    raise AssertionError("child did not answer")


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


@pytest.fixture
def built(tiny_dir: Path, tmp_path: Path) -> Path:
    """The database file of a store built from the tiny folder (no connection kept open here)."""
    db = tmp_path / "db" / "shared.duckdb"
    Store.open(db, data_dir=tiny_dir).close()
    return db


READER = """
    import sys
    from pathlib import Path
    from nightmap.store import Store
    store = Store.open(Path(sys.argv[1] if len(sys.argv) > 1 else {db!r}), data_dir=Path({data!r}))
    for line in sys.stdin:
        n = store.scalar("SELECT count(*) FROM footfall")
        print(n, store.snapshot_id(), flush=True)
"""


def test_ingest_from_the_command_line_while_a_reader_holds_the_store(built: Path, tiny_dir: Path,
                                                                      tmp_path: Path) -> None:
    reader = start_python(READER.format(db=str(built), data=str(tiny_dir)))
    try:
        reader.stdin.write("?\n")
        before, snap_before = read_line(reader).split()
        assert before == "9"
        second = start_python(READER.format(db=str(built), data=str(tiny_dir)))  # a second app process
        try:
            second.stdin.write("?\n")
            assert read_line(second).split()[0] == "9"
            file = tmp_path / "夜间客流.csv"
            file.write_text(NEW_ROWS, encoding="utf-8")
            run = nightmap("ingest", "footfall", str(file), db=built, data_dir=tiny_dir, timeout=60)
            assert run.returncode == 0, run.stderr
            assert "新增 inserted 2" in run.stdout and "Traceback" not in run.stderr
            for proc in (reader, second):  # both readers see the committed rows on their next query
                proc.stdin.write("?\n")
                after, snap_after = read_line(proc).split()
                assert after == "11"
                assert snap_after != snap_before
        finally:
            stop(second)
    finally:
        stop(reader)


HOLDER = """
    import sys, time
    from pathlib import Path
    from nightmap.ingest import parse_file
    from nightmap.auth import Actor
    from nightmap.store import Store
    store = Store.open(Path({db!r}), data_dir=Path({data!r}))
    def slow(con):
        con.execute("DELETE FROM footfall WHERE zone_id = 'baihuo_dalou'")
        print("holding", flush=True)
        sys.stdin.readline()
        return 0
    store._write(slow, actor=Actor('holder', 'admin'), action='ingest')
    print("done", flush=True)
"""


def test_a_write_waits_a_bounded_time_then_fails_cleanly(built: Path, tiny_dir: Path, tmp_path: Path) -> None:
    holder = start_python(HOLDER.format(db=str(built), data=str(tiny_dir)))
    try:
        assert read_line(holder) == "holding"
        file = tmp_path / "f.csv"
        file.write_text(NEW_ROWS, encoding="utf-8")
        started = time.monotonic()
        run = nightmap("ingest", "footfall", str(file), db=built, data_dir=tiny_dir,
                       env={"NIGHTMAP_WRITE_WAIT": "1"}, timeout=60)
        waited = time.monotonic() - started
        assert run.returncode == 1
        assert "数据库正在被另一个写入操作" in run.stderr and "the store is busy" in run.stderr
        assert "Traceback" not in run.stderr
        assert waited < 20
        # readers are not blocked meanwhile, and nothing of the refused write is there
        listed = nightmap("batches", db=built, data_dir=tiny_dir, timeout=60)
        assert listed.returncode == 0 and "没有导入批次" in listed.stdout
        holder.stdin.write("go\n")
        assert read_line(holder) == "done"
    finally:
        stop(holder)
    store = Store.open(built, data_dir=tiny_dir)
    try:
        assert store.scalar("SELECT count(*) FROM footfall") == 7  # the holder's write committed whole
        assert store.scalar("SELECT count(*) FROM batches") == 0
        again = store.ingest(parse_file(NEW_ROWS.encode(), file_name="f.csv", kind="footfall",
                                        known_zones=store.zone_ids()), actor=ADMIN)
        assert again.inserted == 2  # the lock is free again
    finally:
        store.close()


def test_commands_started_during_a_write_never_rebuild_away_a_committed_batch(built: Path, tiny_dir: Path,
                                                                              tmp_path: Path) -> None:
    store = Store.open(built, data_dir=tiny_dir)
    committed = store.ingest(parse_file(NEW_ROWS.encode(), file_name="batch1.csv", kind="footfall",
                                        known_zones=store.zone_ids()), actor=ADMIN)
    store.close()
    assert committed.batch_id == 1
    holder = start_python(HOLDER.format(db=str(built), data=str(tiny_dir)))
    try:
        assert read_line(holder) == "holding"
        for _ in range(3):
            listed = nightmap("batches", db=built, data_dir=tiny_dir, timeout=60)
            assert listed.returncode == 0, listed.stderr
            assert "batch1.csv" in listed.stdout
        holder.stdin.write("go\n")
        assert read_line(holder) == "done"
    finally:
        stop(holder)
    store = Store.open(built, data_dir=tiny_dir)
    try:
        assert store.scalar("SELECT count(*) FROM batches WHERE rolled_back_at IS NULL") == 1
        assert store.scalar("SELECT count(*) FROM footfall WHERE ts >= '2022-06-19'") == 2
    finally:
        store.close()


def test_an_unreadable_store_is_an_error_not_a_rebuild(built: Path, tiny_dir: Path) -> None:
    store = Store.open(built, data_dir=tiny_dir)
    store.ingest(parse_file(NEW_ROWS.encode(), file_name="keep.csv", kind="footfall", known_zones=store.zone_ids()),
                 actor=ADMIN)
    store.close()
    inode = built.stat().st_ino
    # a foreign read-write connection (older nightmap, a DBA's duckdb shell) locks the file exclusively
    foreign = start_python(f"""
        import duckdb, sys
        con = duckdb.connect({str(built)!r})
        print("open", flush=True)
        sys.stdin.readline()
    """)
    try:
        assert read_line(foreign) == "open"
        with pytest.raises(StoreError, match="无法打开数据库"):
            Store(built, tiny_dir).stored_fingerprint()
        run = nightmap("batches", db=built, data_dir=tiny_dir, timeout=60)
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert built.stat().st_ino == inode  # not replaced
    finally:
        stop(foreign)
    store = Store.open(built, data_dir=tiny_dir)
    try:
        assert store.batches()["file_name"].tolist() == ["keep.csv"]
    finally:
        store.close()


KILLED = """
    import sys
    from pathlib import Path
    from nightmap.ingest import parse_file
    from nightmap.store import Store
    store = Store.open(Path({db!r}), data_dir=Path({data!r}))
    parsed = parse_file({rows!r}.encode(), file_name="killed.csv", kind="footfall", known_zones=store.zone_ids())
    from nightmap.store import writes
    real_apply = writes.apply_batch
    def apply_then_hang(con, kind, batch_id):
        result = real_apply(con, kind, batch_id)
        print("applied", flush=True)
        sys.stdin.readline()
        return result
    from nightmap.auth import Actor
    writes.apply_batch = apply_then_hang
    store.ingest(parsed, actor=Actor('killed', 'admin'))
"""


def test_kill_9_in_the_middle_of_a_write_leaves_whole_batches_or_none(built: Path, tiny_dir: Path) -> None:
    victim = start_python(KILLED.format(db=str(built), data=str(tiny_dir), rows=NEW_ROWS))
    try:
        assert read_line(victim) == "applied"
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
    finally:
        stop(victim)
    store = Store.open(built, data_dir=tiny_dir)
    try:
        assert store.scalar("SELECT count(*) FROM batches") == 0
        assert store.scalar("SELECT count(*) FROM footfall") == 9
        done = store.ingest(parse_file(NEW_ROWS.encode(), file_name="after.csv", kind="footfall",
                                       known_zones=store.zone_ids()), actor=ADMIN)
        assert (done.batch_id, done.inserted) == (1, 2)  # the lock died with the process
    finally:
        store.close()


def test_a_reader_in_this_process_sees_a_rebuild_made_by_another(built: Path, tiny_dir: Path) -> None:
    app = Store.open(built, data_dir=tiny_dir)
    try:
        before = app.snapshot_id()
        assert app.scalar("SELECT count(*) FROM footfall") == 9
        (tiny_dir / "footfall.csv").write_text(
            (tiny_dir / "footfall.csv").read_text(encoding="utf-8") + "baihuo_dalou,2022-06-18 19:00:00,10\n",
            encoding="utf-8",
        )
        run = nightmap("build", db=built, data_dir=tiny_dir, timeout=60)
        assert run.returncode == 0, run.stderr
        assert app.scalar("SELECT count(*) FROM footfall") == 10  # no restart needed
        assert app.snapshot_id() != before
    finally:
        app.close()


def test_write_lock_is_bounded_in_process_too(built: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIGHTMAP_WRITE_WAIT", "0.3")
    holder = start_python(HOLDER.format(db=str(built), data=str(tiny_dir)))
    store = Store.open(built, data_dir=tiny_dir)
    try:
        assert read_line(holder) == "holding"
        parsed = parse_file(NEW_ROWS.encode(), file_name="f.csv", kind="footfall", known_zones=store.zone_ids())
        started = time.monotonic()
        with pytest.raises(StoreBusyError) as caught:
            store.ingest(parsed, actor=ADMIN)
        assert time.monotonic() - started < 5
        assert "0.3" in str(caught.value)
        assert store.scalar("SELECT count(*) FROM footfall") == 9  # reading is not blocked
    finally:
        holder.stdin.write("go\n")
        stop(holder)
        store.close()
