"""The store and ingest: encodings, validation with row and column, upsert, batches, rollback, rebuild."""

from __future__ import annotations

import io
import os
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from nightmap.auth import Actor
from nightmap.errors import StoreError, ValidationError
from nightmap.ingest import parse_file
from nightmap.store import Store

ADMIN = Actor("测试管理员", "admin")
"""The actor of the writes these tests make (the store refuses a write without one)."""


def snapshot(store: Store, table: str) -> pd.DataFrame:
    cols = {"footfall": "zone_id, ts", "sales": "zone_id, ts, category", "events": "event_id"}[table]
    return store.query(f"SELECT * FROM {table} ORDER BY {cols}").reset_index(drop=True)


NEW_FOOTFALL = "片区编号,时间,客流\nxinan_road,2022-06-19 20:00,70\nxinan_road,2022-06-17 20:00,155\n"


def test_store_builds_from_files_with_derived_night(tiny_store: Store) -> None:
    ff = snapshot(tiny_store, "footfall")
    assert len(ff) == 9
    after_midnight = ff[ff["ts"] == pd.Timestamp("2022-06-18 01:00")].iloc[0]
    assert str(after_midnight["night"])[:10] == "2022-06-17"
    assert after_midnight["hour"] == 1
    assert tiny_store.zone_ids() == ["xinan_road", "xiaowoniu_market", "baihuo_dalou"]


def test_reads_use_a_read_only_connection(tiny_store: Store) -> None:
    with pytest.raises(duckdb.Error, match="read-only"):
        tiny_store.query("DELETE FROM footfall")


def test_gb18030_csv_with_chinese_headers_ingests(tiny_store: Store) -> None:
    result = tiny_store.ingest(
        parse_file(NEW_FOOTFALL.encode("gb18030"), file_name="客流.csv", kind="footfall",
                   known_zones=tiny_store.zone_ids()), actor=ADMIN)
    assert (result.inserted, result.updated, result.rows) == (1, 1, 2)
    ff = snapshot(tiny_store, "footfall").set_index(["zone_id", "ts"])
    assert ff.loc[("xinan_road", pd.Timestamp("2022-06-17 20:00")), "visitors"] == 155
    assert ff.loc[("xinan_road", pd.Timestamp("2022-06-19 20:00")), "visitors"] == 70


def test_utf8_bom_csv_ingests(tiny_store: Store) -> None:
    data = "\ufeff" + NEW_FOOTFALL
    result = tiny_store.ingest(parse_file(data.encode("utf-8"), file_name="f.csv", kind="footfall",
                                          known_zones=tiny_store.zone_ids()), actor=ADMIN)
    assert result.inserted == 1


def test_xlsx_ingests(tiny_store: Store) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["zone_id", "ts", "category", "spend_cny", "orders"])
    ws.append(["baihuo_dalou", "2022-06-19 19:00:00", "shop", 1234.5, 3])
    buf = io.BytesIO()
    wb.save(buf)
    result = tiny_store.ingest(parse_file(buf.getvalue(), file_name="sales.xlsx", kind="sales",
                                          known_zones=tiny_store.zone_ids()), actor=ADMIN)
    assert result.inserted == 1
    got = tiny_store.scalar("SELECT spend_cny FROM sales WHERE zone_id = 'baihuo_dalou' AND night = '2022-06-19'")
    assert got == pytest.approx(1234.5)


@pytest.mark.parametrize(
    ("kind", "text", "row", "column", "reason"),
    [
        ("footfall", "zone_id,ts,visitors\nxinan_road,2022-06-19 20:00,-5\n", 2, "visitors", "negative"),
        ("footfall", "zone_id,ts,visitors\nxinan_road,2022-06-19 20:00,abc\n", 2, "visitors", "valid number"),
        ("footfall", "zone_id,ts,visitors\nxinan_road,yesterday,5\n", 2, "ts", "valid time"),
        ("footfall", "zone_id,ts,visitors\nxinan_road,2022-06-19 20:15,5\n", 2, "ts", "on the hour"),
        ("footfall", "zone_id,ts,visitors\nnowhere,2022-06-19 20:00,5\n", 2, "zone_id", "unknown zone"),
        ("footfall", "zone_id,ts,visitors\nxinan_road,2022-06-19 20:00,5\nxinan_road,2022-06-19 20:00,6\n",
         3, "zone_id", "duplicates"),
        ("footfall", "zone_id,ts\nxinan_road,2022-06-19 20:00\n", 1, "visitors", "missing"),
        ("footfall", "zone_id,ts,visitors\n,2022-06-19 20:00,5\n", 2, "zone_id", "missing"),
        ("sales", "zone_id,ts,category,spend_cny,orders\nxinan_road,2022-06-19 20:00,drink,5,1\n", 2, "category",
         "eat, shop or play"),
        ("sales", "zone_id,ts,category,spend_cny,orders\nxinan_road,2022-06-19 20:00,eat,5,1.5\n", 2, "orders",
         "whole number"),
        ("sales", "zone_id,ts,category,spend_cny,orders\nxinan_road,2022-06-19 20:00,eat,5,0\n", 2, "spend_cny",
         "orders is 0"),
        ("events", "event_id,zone_id,start,end,category,kind,title_zh\n"
                   "e1,xinan_road,2022-06-19 20:00,2022-06-19 19:00,play,market,市集\n", 2, "end", "after start"),
        ("events", "event_id,zone_id,start,end,category,kind,title_zh\n"
                   "e1,xinan_road,2022-06-19 20:00,2022-06-19 21:00,play,party,市集\n", 2, "kind", "kind must be"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(
    tiny_store: Store, kind: str, text: str, row: int, column: str, reason: str
) -> None:
    before = snapshot(tiny_store, kind)
    with pytest.raises(ValidationError) as info:
        tiny_store.ingest(parse_file(text.encode(), file_name="bad.csv", kind=kind,
                                     known_zones=tiny_store.zone_ids()), actor=ADMIN)
    hits = [p for p in info.value.problems if p.row == row and p.column == column and reason in p.reason_en]
    assert hits, info.value.problems
    assert hits[0].file == "bad.csv" and hits[0].reason_zh
    assert "bad.csv" in str(info.value) and f"row {row}" in str(info.value)
    pd.testing.assert_frame_equal(snapshot(tiny_store, kind), before)
    assert tiny_store.batches().empty


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = "zone_id,ts,visitors\nxinan_road,2022-06-19 20:00,-1\nxinan_road,bad,2\nxinan_road,2022-06-19 22:00,x\n"
    with pytest.raises(ValidationError) as info:
        parse_file(text.encode(), file_name="f.csv", kind="footfall", known_zones={"xinan_road"})
    assert sorted(p.row for p in info.value.problems) == [2, 3, 4]


def test_only_csv_and_xlsx_are_accepted() -> None:
    with pytest.raises(ValidationError, match="CSV"):
        parse_file(b"\x80\x04pickle", file_name="data.pkl", kind="footfall")


def test_reingesting_the_same_rows_changes_nothing(tiny_store: Store) -> None:
    parsed = parse_file(NEW_FOOTFALL.encode(), file_name="f.csv", kind="footfall", known_zones=tiny_store.zone_ids())
    tiny_store.ingest(parsed, actor=ADMIN)
    after_first = snapshot(tiny_store, "footfall")
    batches_before = tiny_store.batches()
    again = tiny_store.ingest(parsed, actor=ADMIN)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert (again.recorded, again.batch_id) == (False, 0)
    pd.testing.assert_frame_equal(snapshot(tiny_store, "footfall"), after_first)
    pd.testing.assert_frame_equal(tiny_store.batches(), batches_before)  # no second copy in the batch log
    assert tiny_store.scalar("SELECT count(*) FROM batch_rows_footfall") == 2


def test_rollback_restores_exactly_the_rows_before(tiny_store: Store) -> None:
    before = snapshot(tiny_store, "footfall")
    result = tiny_store.ingest(parse_file(NEW_FOOTFALL.encode(), file_name="f.csv", kind="footfall",
                                          known_zones=tiny_store.zone_ids()), actor=ADMIN)
    assert not snapshot(tiny_store, "footfall").equals(before)
    tiny_store.rollback(result.batch_id, actor=ADMIN)
    pd.testing.assert_frame_equal(snapshot(tiny_store, "footfall"), before)
    log = tiny_store.batches()
    assert log.loc[0, "rolled_back_at"] is not pd.NaT and pd.notna(log.loc[0, "rolled_back_at"])
    with pytest.raises(StoreError):
        tiny_store.rollback(result.batch_id, actor=ADMIN)


def test_rollback_refuses_when_a_later_batch_touched_the_same_rows(tiny_store: Store) -> None:
    ids = tiny_store.zone_ids()
    first = tiny_store.ingest(parse_file(NEW_FOOTFALL.encode(), file_name="a.csv", kind="footfall", known_zones=ids), actor=ADMIN)
    newer = NEW_FOOTFALL.replace(",70", ",71")
    second = tiny_store.ingest(parse_file(newer.encode(), file_name="b.csv", kind="footfall", known_zones=ids), actor=ADMIN)
    with pytest.raises(StoreError, match=str(second.batch_id)):
        tiny_store.rollback(first.batch_id, actor=ADMIN)
    tiny_store.rollback(second.batch_id, actor=ADMIN)
    tiny_store.rollback(first.batch_id, actor=ADMIN)


def test_batches_record_file_hash_and_counts(tiny_store: Store) -> None:
    data = NEW_FOOTFALL.encode()
    tiny_store.ingest(parse_file(data, file_name="客流.csv", kind="footfall", known_zones=tiny_store.zone_ids()), actor=ADMIN)
    log = tiny_store.batches().iloc[0]
    import hashlib

    assert log["file_name"] == "客流.csv"
    assert log["sha256"] == hashlib.sha256(data).hexdigest()
    assert (log["kind"], log["rows"], log["inserted"], log["updated"]) == ("footfall", 2, 1, 1)


@pytest.mark.parametrize("file_name", ["test.duckdb", "old.duckdb", "previous.duckdb", "nm.duckdb"])
def test_rebuild_on_changed_files_keeps_ingested_batches(file_name: str, tiny_dir: Path, tmp_path: Path) -> None:
    # the store's file may have any name, even one of the schema names the rebuild attaches under
    tiny_store = Store.open(tmp_path / "db" / file_name, data_dir=tiny_dir)
    tiny_store.ingest(parse_file(NEW_FOOTFALL.encode(), file_name="f.csv", kind="footfall",
                                 known_zones=tiny_store.zone_ids()), actor=ADMIN)
    tiny_store.close()
    path = tiny_dir / "footfall.csv"
    path.write_text(path.read_text(encoding="utf-8") + "baihuo_dalou,2022-06-18 19:00:00,11\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
    reopened = Store.open(tiny_store.path, data_dir=tiny_dir)
    ff = snapshot(reopened, "footfall").set_index(["zone_id", "ts"])
    assert ff.loc[("baihuo_dalou", pd.Timestamp("2022-06-18 19:00")), "visitors"] == 11
    assert ff.loc[("xinan_road", pd.Timestamp("2022-06-17 20:00")), "visitors"] == 155
    assert len(reopened.batches()) == 1
    reopened.close()


def test_bad_bundled_file_fails_the_build_with_file_and_row(tiny_dir: Path, tmp_path: Path) -> None:
    (tiny_dir / "footfall.csv").write_text("zone_id,ts,visitors\nxinan_road,2022-06-10 20:00:00,-3\n",
                                           encoding="utf-8")
    db = tmp_path / "bad.duckdb"
    with pytest.raises(ValidationError, match=r"footfall\.csv.*row 2"):
        Store.open(db, data_dir=tiny_dir)
    assert not db.exists()


def test_check_upload_reads_once_and_gives_preview_and_verdict(tiny_store: Store, monkeypatch) -> None:
    import hashlib

    import nightmap.ingest as ingest_mod
    import nightmap.ingest.parse as parse_mod

    reads: list[str] = []
    real = ingest_mod.read_cells
    monkeypatch.setattr(parse_mod, "read_cells", lambda data, *, file_name: reads.append(file_name) or
                        real(data, file_name=file_name))
    raw = NEW_FOOTFALL.encode("gb18030")
    good = ingest_mod.check_upload(raw, file_name="客流.csv", kind="footfall", known_zones=tiny_store.zone_ids())
    assert reads == ["客流.csv"]  # read once for the preview and the parse
    assert good.sha256 == hashlib.sha256(raw).hexdigest() == good.result.sha256
    assert good.result.rows == 2 and len(good.preview) == 2
    assert list(good.preview.columns) == ["片区编号", "时间", "客流"]  # the file's own headers
    assert list(good.preview.index) == [2, 3] and good.header_row == 1  # Excel row numbers

    bad_text = "zone_id,ts,visitors\nxinan_road,2022-06-19 20:00,-1\nnowhere,2022-06-19 21:00,2\n"
    bad = ingest_mod.check_upload(bad_text.encode(), file_name="f.csv", kind="footfall", known_zones={"xinan_road"})
    assert isinstance(bad.result, ValidationError) and sorted(p.row for p in bad.result.problems) == [2, 3]
    assert len(bad.preview) == 2  # the rows are still shown, so the problems can be found in them


def test_check_upload_refuses_too_large_and_unreadable_files_without_preview() -> None:
    from nightmap.ingest import check_upload

    big = check_upload(b"zone_id,ts,visitors\n" + b"x" * 2_000_000, file_name="big.csv", kind="footfall",
                       limit_mb=1)
    assert big.preview is None and isinstance(big.result, ValidationError)
    assert "MB" in str(big.result)
    odd = check_upload(b"\x80\x04pickle", file_name="data.pkl", kind="footfall")
    assert odd.preview is None and isinstance(odd.result, ValidationError)


def test_ingest_path_takes_zone_names_and_stores_ids(tiny_store: Store, tmp_path: Path) -> None:
    """As ``nightmap ingest`` does: a file naming zones in Chinese and English lands under their ids."""
    file = tmp_path / "客流_名称.csv"
    file.write_text("片区编号,时间,客流\n新安路步行街,2022-06-19 20:00,71\n"
                    "Jiaozuo Department Store (Baihuo Dalou),2022-06-19 21:00,72\n", encoding="gb18030")
    result = tiny_store.ingest_path(file, kind="footfall", actor=ADMIN)
    assert (result.inserted, result.updated) == (2, 0)
    ff = snapshot(tiny_store, "footfall").set_index(["zone_id", "ts"])
    assert ff.loc[("xinan_road", pd.Timestamp("2022-06-19 20:00")), "visitors"] == 71
    assert ff.loc[("baihuo_dalou", pd.Timestamp("2022-06-19 21:00")), "visitors"] == 72
    bad = tmp_path / "客流_未知.csv"
    bad.write_text("片区编号,时间,客流\n王府井百货,2022-06-19 20:00,1\n", encoding="utf-8")  # not a tiny-store zone
    with pytest.raises(ValidationError) as info:
        tiny_store.ingest_path(bad, kind="footfall", actor=ADMIN)
    (problem,) = info.value.problems
    assert problem.row == 2 and "新安路步行街（xinan_road）、小蜗牛市场（xiaowoniu_market）、百货大楼（baihuo_dalou）" \
        in problem.reason_zh
