"""Freshness: latest night, rows and last batch per table; the stale flag during the campaign."""

from __future__ import annotations

import datetime as dt

from nightmap import freshness
from nightmap.auth import Actor
from nightmap.ingest import parse_file
from nightmap.store import Store

ADMIN = Actor("测试管理员", "admin")
"""The actor of the writes these tests make (the store refuses a write without one)."""

D = dt.date


def by_kind(store: Store, today: dt.date) -> dict:
    return freshness.freshness(store, today).set_index("kind").to_dict("index")


def test_latest_night_rows_and_no_batch(tiny_store: Store) -> None:
    frame = freshness.freshness(tiny_store, D(2022, 6, 18))
    assert list(frame.columns) == list(freshness.COLUMNS)
    assert list(frame["kind"]) == ["footfall", "sales", "events"]
    rows = frame.set_index("kind")
    # 2022-06-18 01:00 belongs to the night of 17 June
    assert rows.loc["footfall", "latest_night"] == D(2022, 6, 17)
    assert rows.loc["footfall", "rows"] == 9 and rows.loc["sales", "rows"] == 8
    assert rows.loc["events", "latest_night"] == D(2022, 6, 17)
    assert rows["last_batch_id"].isna().all()


def test_stale_only_during_the_campaign_and_only_for_measured_tables(tiny_store: Store) -> None:
    on_time = by_kind(tiny_store, D(2022, 6, 18))  # yesterday = 17 June = latest night
    assert not any(r["stale"] for r in on_time.values())
    late = by_kind(tiny_store, D(2022, 6, 20))
    assert late["footfall"]["stale"] and late["sales"]["stale"] and not late["events"]["stale"]
    assert not any(r["stale"] for r in by_kind(tiny_store, D(2022, 6, 10)).values())  # before the campaign
    assert by_kind(tiny_store, D(2022, 7, 1))["footfall"]["stale"]  # the night of 30 June is still due
    assert not any(r["stale"] for r in by_kind(tiny_store, D(2026, 1, 5)).values())


def test_an_upload_freshens_a_table_and_names_its_batch(tiny_store: Store) -> None:
    text = "zone_id,ts,visitors\nxinan_road,2022-06-19 20:00,70\n"
    result = tiny_store.ingest(parse_file(text.encode(), file_name="6月19日.csv", kind="footfall",
                                          known_zones=tiny_store.zone_ids()), actor=ADMIN)
    row = by_kind(tiny_store, D(2022, 6, 20))["footfall"]
    assert (row["latest_night"], row["stale"]) == (D(2022, 6, 19), False)
    assert (row["last_batch_id"], row["last_batch_file"], row["last_batch_rolled_back"]) == (
        result.batch_id, "6月19日.csv", False)
    tiny_store.rollback(result.batch_id, actor=ADMIN)
    row = by_kind(tiny_store, D(2022, 6, 20))["footfall"]
    assert row["stale"] and row["last_batch_rolled_back"]


def test_today_is_taken_in_shanghai() -> None:
    late_utc = dt.datetime(2022, 6, 17, 17, 30, tzinfo=dt.UTC)  # 01:30 on 18 June in Shanghai
    assert freshness.today_in_shanghai(late_utc) == D(2022, 6, 18)
    assert freshness.campaign_running(D(2022, 6, 17)) and freshness.campaign_running(D(2022, 7, 1))
    assert not freshness.campaign_running(D(2022, 7, 2))
