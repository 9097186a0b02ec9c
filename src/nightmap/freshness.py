"""Is the data up to date? The latest night, row count and last batch of each table.

During the campaign the bureau expects a file every day, so a measured table
(footfall, sales) whose latest night is older than yesterday's is flagged.
The events table is a schedule entered ahead of time, not a daily
measurement, so it is shown but never flagged. "Today" is passed in
(Asia/Shanghai, see :func:`today_in_shanghai`) so the rule is testable.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd

from nightmap import campaign, config
from nightmap.schema import KINDS
from nightmap.store import Store

CHECKED_KINDS: tuple[str, ...] = ("footfall", "sales")
"""Tables expected to receive a file every campaign day."""

COLUMNS: tuple[str, ...] = (
    "kind", "latest_night", "rows", "last_batch_id", "last_batch_file", "last_batch_at", "last_batch_rolled_back",
    "stale",
)


def today_in_shanghai(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Asia/Shanghai (from ``now``, an aware datetime, or the clock)."""
    tz = ZoneInfo(config.TIMEZONE)
    return (now or dt.datetime.now(tz)).astimezone(tz).date()


def campaign_running(today: dt.date) -> bool:
    """Whether data for campaign nights is still coming in: from the first campaign day to the day after the last."""
    return campaign.in_campaign(today) or campaign.in_campaign(today - dt.timedelta(days=1))


def freshness(store: Store, today: dt.date) -> pd.DataFrame:
    """One row per table (footfall, sales, events) saying how fresh it is.

    Parameters
    ----------
    store
        The store to read.
    today
        Today's date in Asia/Shanghai.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``latest_night`` (a date, or None when the table is empty),
        ``rows``, the last batch of that kind (id, file name, time, whether rolled back; None
        when there is none), and ``stale``: True when the campaign is running and a table of
        :data:`CHECKED_KINDS` has no night at or after yesterday.
    """
    yesterday = today - dt.timedelta(days=1)
    running = campaign_running(today)
    rows = []
    for kind in KINDS:
        latest, count = store.query(f"SELECT max(night) AS latest, count(*) AS n FROM {kind}").iloc[0]
        latest_night = pd.Timestamp(latest).date() if pd.notna(latest) else None
        batch = store.query(
            "SELECT batch_id, file_name, created_at, rolled_back_at FROM batches WHERE kind = ? "
            "ORDER BY batch_id DESC LIMIT 1",
            [kind],
        )
        last = batch.iloc[0] if not batch.empty else None
        stale = bool(running and kind in CHECKED_KINDS and (latest_night is None or latest_night < yesterday))
        rows.append({
            "kind": kind,
            "latest_night": latest_night,
            "rows": int(count),
            "last_batch_id": int(last["batch_id"]) if last is not None else None,
            "last_batch_file": str(last["file_name"]) if last is not None else None,
            "last_batch_at": last["created_at"] if last is not None else None,
            "last_batch_rolled_back": bool(pd.notna(last["rolled_back_at"])) if last is not None else None,
            "stale": stale,
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))
