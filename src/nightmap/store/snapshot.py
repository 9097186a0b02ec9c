"""Snapshot files: opening one read-only, the write lock, and publishing a finished copy atomically.

The store's file is never written in place. A reader attaches the file as it
is now (:func:`open_snapshot`); a writer holds the exclusive ``flock`` on
``<path>.lock`` (:func:`exclusive_lock`, a bounded wait), fills ``<path>.tmp``
and makes it the store with :func:`publish` (``fsync``, atomic ``rename``,
``fsync`` of the folder). A kill at any moment leaves the old file or the new
one; the lock dies with the process and :func:`drop_tmp` clears a leftover copy.
The re-entrant bookkeeping of the lock within one store lives in
:class:`nightmap.store.core.Store`.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from nightmap.errors import StoreBusyError

SNAPSHOT_ALIAS = "nm"
"""The name the store's file is attached under in a reader's private in-memory database."""


def open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file at ``path`` as it is now.

    The file is attached to a private in-memory database rather than opened
    with ``duckdb.connect(path)``: DuckDB caches one database instance per path
    and process, and a cached instance would keep serving a snapshot that
    another process has since replaced.
    """
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH ? AS {SNAPSHOT_ALIAS} (READ_ONLY)", [str(path)])
        con.execute(f"USE {SNAPSHOT_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def exclusive_lock(lock_path: Path, wait: float) -> Iterator[None]:
    """Hold the exclusive ``flock`` on ``lock_path``, waiting at most ``wait`` seconds for it.

    Parameters
    ----------
    lock_path
        The lock file (created when missing; its folder must exist).
    wait
        The bounded wait in seconds (:func:`nightmap.config.write_wait_seconds`).

    Raises
    ------
    StoreBusyError
        When another process held the lock past ``wait``; nothing was done.
    """
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        pause = 0.02
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusyError(wait) from None
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                pause = min(pause * 2, 0.5)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def drop_tmp(tmp: Path) -> None:
    """Remove the copy ``tmp`` and its write-ahead log, if any (the caller holds the lock)."""
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)


def publish(tmp: Path, path: Path) -> None:
    """Make the finished file ``tmp`` the store: fsync it, rename it over ``path``, fsync the folder."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
