"""The ``nightmap`` command: simulate, build, ingest (good and bad files), batches, rollback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nightmap.store import Store


def nightmap(*args: str, db: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "nightmap.cli", "--db", str(db), "--data-dir", str(data_dir), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def test_ingest_batches_and_rollback(tiny_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    good = tmp_path / "客流.csv"
    good.write_bytes("片区编号,时间,客流\nxinan_road,2022-06-19 20:00,70\n".encode("gb18030"))
    run = nightmap("ingest", "footfall", str(good), db=db, data_dir=tiny_dir)
    assert run.returncode == 0, run.stderr
    assert "新增 inserted 1" in run.stdout
    listed = nightmap("batches", db=db, data_dir=tiny_dir)
    assert "客流.csv" in listed.stdout
    back = nightmap("rollback", "1", db=db, data_dir=tiny_dir)
    assert back.returncode == 0, back.stderr
    store = Store.open(db, data_dir=tiny_dir)
    assert store.scalar("SELECT count(*) FROM footfall WHERE night = '2022-06-19'") == 0
    store.close()


def test_bad_file_exits_non_zero_and_names_row_and_column(tiny_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    bad = tmp_path / "bad.csv"
    bad.write_text("zone_id,ts,visitors\nxinan_road,2022-06-19 20:00,-4\nmars,2022-06-19 21:00,3\n", encoding="utf-8")
    run = nightmap("ingest", "footfall", str(bad), db=db, data_dir=tiny_dir)
    assert run.returncode == 1
    assert "bad.csv, row 2, column 'visitors'" in run.stderr
    assert "bad.csv, row 3, column 'zone_id'" in run.stderr
    assert "第2行" in run.stderr
    store = Store.open(db, data_dir=tiny_dir)
    assert store.batches().empty
    store.close()


def test_rollback_of_unknown_batch_fails_cleanly(tiny_dir: Path, tmp_path: Path) -> None:
    run = nightmap("rollback", "99", db=tmp_path / "cli.duckdb", data_dir=tiny_dir)
    assert run.returncode == 1
    assert "batch 99 does not exist" in run.stderr


@pytest.mark.parametrize("fmt", ["csv"])
def test_simulate_writes_the_bundled_files_byte_identically(tmp_path: Path, fmt: str) -> None:
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "sim"
    cmd = [sys.executable, "-m", "nightmap.cli", "--data-dir", str(root / "data"), "simulate", "--seed", "2022",
           "--out", str(out), "--format", fmt]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    for name in ("footfall.csv", "sales.csv", "events.csv", "source.json"):
        assert (out / name).read_bytes() == (root / "data" / name).read_bytes(), name
