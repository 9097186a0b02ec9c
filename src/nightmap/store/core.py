"""The only door to the DuckDB store.

One database file (default ``data/nightmap.duckdb``, ``NIGHTMAP_DB``
overrides) holds the tables of the contract — ``zones``, ``footfall``,
``sales``, ``events`` — plus the batch log (``batches``, ``batch_rows_*``,
``batch_prior_*``), the zone edit log (``zone_versions``) and ``meta``.

Sharing the store between processes (app processes, the Data page, the
``nightmap`` command) works by **immutable snapshots**:

- The file at ``path`` is never written in place. Readers open it read-only
  (DuckDB's shared lock), so any number of app processes and commands read at
  once and never block a writer.
- A write (ingest, rollback, zone edit, rebuild) takes an exclusive ``flock``
  on ``<path>.lock`` — waiting at most :func:`nightmap.config.write_wait_seconds`,
  then failing with :class:`~nightmap.errors.StoreBusyError` having changed
  nothing — copies the file to ``<path>.tmp``, runs one transaction there,
  checkpoints, ``fsync``s and atomically renames the copy over ``path``.
  A kill at any moment leaves either the old file or the new one: whole
  batches or none.
- Every write names its actor (:class:`nightmap.auth.Actor`); the write path
  refuses, before taking the lock, an actor whose role may not do it
  (:func:`nightmap.auth.require`) and records user and role in the same
  transaction as the change (:meth:`Store.audit_log`).
- Each snapshot carries a fresh ``meta.snapshot`` id. A reader notices a
  replaced file (its inode changed) before its next query and reopens, so the
  app shows committed data on its next rerun without a restart.
- The store is rebuilt from the data folder only when the file is absent or
  the folder's files changed (the stored fingerprint differs) — never because
  a read failed. The rebuild happens under the write lock into a new file and
  replays every ingested batch that was not rolled back, so uploads survive a
  change of the bundled files; edited zones keep their latest state and history.

Why snapshots rather than short-lived connections with retries: DuckDB allows
one read-write process *or* many read-only ones per file, so a writer would
have to wait for every reader of every app process; with snapshots readers
never hold up a write and a write never shows half its rows. The cost is one
file copy per write, a few milliseconds for the district's store (batches are
nightly, not per second). All SQL takes parameters; identifiers in SQL text
come from the contract in :mod:`nightmap.schema`, never from users.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from nightmap import auth, config
from nightmap.auth import Actor
from nightmap.errors import Problem, StoreBusyError, StoreError, ValidationError
from nightmap.ingest import ParsedFile, parse_path, zone_aliases
from nightmap.schema import (
    CATEGORIES,
    CONFIDENCE_LEVELS,
    KINDS,
    TABLES,
    UNKNOWN_CONFIDENCE,
    ZONE_KINDS,
    TableSpec,
)

SCHEMA_VERSION = "4"
"""Bump when the table layout changes: stores built by older code are rebuilt."""

SOURCE_SUFFIXES: tuple[str, ...] = (".parquet", ".csv", ".xlsx")
ZONE_FIELDS: tuple[str, ...] = (
    "zone_id", "name_zh", "name_en", "kind", "categories", "address_zh", "location_note", "location_confidence",
)
MAX_ZONE_NAME = 60
"""Longest zone name (characters) an edit may set."""
MAX_NOTE = 200
"""Longest note (characters) kept with a batch."""
T = TypeVar("T")


@dataclass(frozen=True)
class BatchResult:
    """What an ingest or a rollback did."""

    batch_id: int
    kind: str
    file_name: str
    rows: int
    inserted: int
    updated: int
    recorded: bool = True
    """False when the file changed nothing: no batch was written (``batch_id`` is 0)."""

    @property
    def unchanged(self) -> int:
        """Rows that were already in the store with the same values."""
        return self.rows - self.inserted - self.updated


class _Unchanged(Exception):  # noqa: N818 - control flow, never escapes the store
    """Raised inside a write whose batch changed no row, to roll the copy back."""

    def __init__(self, result: BatchResult) -> None:
        self.result = result


def _q(name: str) -> str:
    """Quote an identifier from the contract."""
    return '"' + name.replace('"', '""') + '"'


def _cols(spec: TableSpec, prefix: str = "") -> str:
    return ", ".join(prefix + _q(c) for c in spec.names)


def _derived(spec: TableSpec, prefix: str = "") -> str:
    """SQL for the derived columns: ``night`` (and ``hour`` for hourly tables)."""
    if spec.kind == "events":
        return f"CAST({prefix}\"start\" - INTERVAL 6 HOUR AS DATE) AS night"
    return f"CAST({prefix}ts - INTERVAL 6 HOUR AS DATE) AS night, CAST(hour({prefix}ts) AS TINYINT) AS hour"


def _table_ddl(name: str, spec: TableSpec, *, derived: bool, batch: bool = False) -> str:
    cols = [f"{_q(c.name)} {c.sql}" for c in spec.columns]
    if batch:
        cols.insert(0, "batch_id INTEGER NOT NULL")
    if derived:
        cols.append("night DATE NOT NULL")
        if spec.kind != "events":
            cols.append("hour TINYINT NOT NULL")
    return f"CREATE TABLE {name} ({', '.join(cols)})"


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE zones (zone_id VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR,"
        " kind VARCHAR NOT NULL, categories VARCHAR[] NOT NULL, address_zh VARCHAR, location_note VARCHAR,"
        " location_confidence VARCHAR NOT NULL DEFAULT 'none', geometry VARCHAR NOT NULL)"
    )
    for kind in KINDS:
        spec = TABLES[kind]
        con.execute(_table_ddl(kind, spec, derived=True))
        con.execute(_table_ddl(f"batch_rows_{kind}", spec, derived=False, batch=True))
        con.execute(_table_ddl(f"batch_prior_{kind}", spec, derived=False, batch=True))
    con.execute(
        "CREATE TABLE batches (batch_id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, file_name VARCHAR NOT NULL,"
        " sha256 VARCHAR NOT NULL, rows INTEGER NOT NULL, inserted INTEGER NOT NULL, updated INTEGER NOT NULL,"
        " created_at TIMESTAMP NOT NULL, rolled_back_at TIMESTAMP, note VARCHAR NOT NULL DEFAULT '',"
        " actor VARCHAR NOT NULL DEFAULT '', actor_role VARCHAR NOT NULL DEFAULT '',"
        " rolled_back_by VARCHAR, rolled_back_role VARCHAR)"
    )
    con.execute(
        "CREATE TABLE zone_versions (version_id INTEGER PRIMARY KEY, zone_id VARCHAR NOT NULL,"
        " name_zh VARCHAR NOT NULL, name_en VARCHAR, kind VARCHAR NOT NULL, categories VARCHAR[] NOT NULL,"
        " address_zh VARCHAR, location_note VARCHAR, location_confidence VARCHAR NOT NULL DEFAULT 'none',"
        " geometry VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL,"
        " note VARCHAR NOT NULL DEFAULT '', restored_from INTEGER,"
        " actor VARCHAR NOT NULL DEFAULT '', actor_role VARCHAR NOT NULL DEFAULT '')"
    )
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")


def _update_zones_in_order(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> None:
    """Run an ``UPDATE zones_keep ...`` on a copy of ``zones`` and write it back in file order.

    DuckDB moves a row to the end when a list column (``categories``) is
    updated, and the zones are read in insertion order, so the table is
    rewritten whole (13 rows) inside the caller's transaction instead.
    """
    con.execute("CREATE OR REPLACE TEMP TABLE zones_keep AS "
                "SELECT row_number() OVER (ORDER BY rowid) AS nm_pos, * FROM zones")
    con.execute(sql, list(params))
    con.execute("DELETE FROM zones")
    con.execute("INSERT INTO zones SELECT * EXCLUDE (nm_pos) FROM zones_keep ORDER BY nm_pos")
    con.execute("DROP TABLE zones_keep")


SNAPSHOT_ALIAS = "nm"
"""The name the store's file is attached under in a reader's private in-memory database."""


def _open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
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


def source_files(data_dir: Path) -> dict[str, Path]:
    """The source files of a data folder: ``zones``, each kind present, and ``source`` (source.json)."""
    found: dict[str, Path] = {}
    zones = data_dir / "zones.geojson"
    if zones.exists():
        found["zones"] = zones
    for kind in KINDS:
        for suffix in SOURCE_SUFFIXES:
            path = data_dir / f"{kind}{suffix}"
            if path.exists():
                found[kind] = path
                break
    if (data_dir / "source.json").exists():
        found["source"] = data_dir / "source.json"
    return found


def fingerprint(data_dir: Path) -> str:
    """A digest of the data folder's source files (names, sizes, modification times) and the schema version."""
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for name, path in sorted(source_files(data_dir).items()):
        st = path.stat()
        h.update(f"{name}:{path.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()


def read_zone_features(path: Path) -> pd.DataFrame:
    """Zones of a GeoJSON file as a frame with the geometry as GeoJSON text; every problem raised at once."""
    name = path.name
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise ValidationError(
            [Problem(name, 0, "", "", f"无法读取 GeoJSON：{exc}", f"cannot read GeoJSON: {exc}")]
        ) from exc
    rows, problems, seen = [], [], set()
    for i, feat in enumerate(features, start=1):
        props = feat.get("properties") or {}
        zid = str(props.get("zone_id") or "")
        cats = props.get("categories") or []
        checks = [
            (not zid, "zone_id", "", "缺少片区编号", "zone_id is missing"),
            (zid in seen, "zone_id", zid, "片区编号重复", "duplicate zone_id"),
            (props.get("kind") not in ZONE_KINDS, "kind", props.get("kind"), "类型应为 street 或 complex",
             "kind must be street or complex"),
            (not cats or any(c not in CATEGORIES for c in cats), "categories", cats,
             "业态应为 eat/shop/play 的子集", "categories must be a subset of eat, shop, play"),
            (not props.get("name_zh"), "name_zh", "", "缺少中文名称", "name_zh is missing"),
            (not feat.get("geometry"), "geometry", "", "缺少几何图形", "geometry is missing"),
            (props.get("location_confidence") not in (None, "", *CONFIDENCE_LEVELS), "location_confidence",
             props.get("location_confidence"), "位置可信度应为 " + "/".join(CONFIDENCE_LEVELS),
             "location_confidence must be one of " + ", ".join(CONFIDENCE_LEVELS)),
        ]
        for bad, col, value, zh, en in checks:
            if bad:
                problems.append(Problem(name, i, col, str(value or ""), zh, en))
        seen.add(zid)
        row = {k: props.get(k) for k in ZONE_FIELDS}
        row["categories"] = [str(c) for c in cats]
        row["location_confidence"] = props.get("location_confidence") or UNKNOWN_CONFIDENCE
        row["geometry"] = json.dumps(feat.get("geometry"), separators=(",", ":"))
        rows.append(row)
    if problems:
        raise ValidationError(problems)
    return pd.DataFrame(rows, columns=[*ZONE_FIELDS, "geometry"])


def confirmed_location(note: str = "", *, today: dt.date) -> dict[str, str]:
    """The location fields of a zone whose outline the bureau has just drawn: ``high``, with who/when.

    Parameters
    ----------
    note
        The editor's note (who, why), kept in the location note too.
    today
        The day of the edit (Asia/Shanghai).
    """
    when = f"{today.year}年{today.month}月{today.day}日"
    extra = " ".join(str(note or "").split())[:200]
    zh = f"经区商务局确认（{when}{'，' + extra if extra else ''}）"
    en = f"confirmed by the bureau ({today.isoformat()}{', ' + extra if extra else ''})"
    return {"location_confidence": "high", "location_note": f"{zh} / {en}"}


class Store:
    """The DuckDB store: build, read, ingest, roll back.

    Use :meth:`Store.open`; it builds or rebuilds the database when needed.
    """

    def __init__(self, path: Path, data_dir: Path) -> None:
        self.path = Path(path)
        self.data_dir = Path(data_dir)
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._con_identity: tuple[int, int, int] | None = None
        self._write_depth = 0

    # --- opening and building -------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, *, data_dir: Path | None = None) -> Store:
        """Open the store at ``path``, building it from ``data_dir`` first if it is missing or stale.

        Parameters
        ----------
        path
            The database file; default :func:`nightmap.config.db_path`.
        data_dir
            The folder of source files; default :func:`nightmap.config.data_dir`.
        """
        store = cls(path or config.db_path(), data_dir or config.data_dir())
        store.ensure_built()
        return store

    @property
    def lock_path(self) -> Path:
        """The file whose exclusive ``flock`` every writer holds."""
        return self.path.with_name(self.path.name + ".lock")

    @property
    def _tmp_path(self) -> Path:
        return self.path.with_name(self.path.name + ".tmp")

    def _identity(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def stored_fingerprint(self) -> str | None:
        """The fingerprint the database was built from; ``None`` only when there is no database file.

        A file of an older layout (no ``meta`` table or fingerprint) gives ``""``:
        stale, so it is rebuilt with its batches carried over.

        Raises
        ------
        StoreError
            When the file exists but cannot be read: it is never treated as absent
            (a rebuild would drop committed batches).
        """
        if not self.path.exists():
            return None
        try:
            con = _open_snapshot(self.path)
        except duckdb.Error as exc:
            raise StoreError(
                f"无法打开数据库 {self.path}（{type(exc).__name__}），未做任何修改 / cannot open the store "
                f"{self.path} ({exc}); nothing was changed"
            ) from exc
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except duckdb.CatalogException:
            row = None
        finally:
            con.close()
        return row[0] if row else ""

    def is_stale(self) -> bool:
        """Whether the file is missing or was built from other source files (or an older layout)."""
        return self.stored_fingerprint() != fingerprint(self.data_dir)

    def ensure_built(self) -> bool:
        """Build or rebuild when the file is missing or the data folder changed; return whether a build ran."""
        with self._lock:
            if self._con is not None:
                return False
            built = False
            if self.is_stale():
                with self._write_lock():
                    if self.is_stale():  # another process may have built it while we waited
                        self._rebuild_locked()
                        built = True
            self._connect_read()
            return built

    def rebuild(self) -> None:
        """Build a fresh database from the data folder, replaying active batches; replace the old file."""
        with self._lock, self._write_lock():
            self._rebuild_locked()
            self._connect_read()

    def _rebuild_locked(self) -> None:
        """:meth:`rebuild`'s work; the caller holds the write lock."""
        self.close()
        tmp = self._fresh_tmp()
        con = duckdb.connect(str(tmp))
        try:
            _create_schema(con)
            zones = self._load_base(con)
            if self.path.exists():
                self._carry_batches(con, zones)
            con.execute(
                "INSERT INTO meta VALUES ('fingerprint', ?), ('built_at', ?), ('source', ?), ('snapshot', ?)",
                [fingerprint(self.data_dir), dt.datetime.now().isoformat(timespec="seconds"),
                 self._source_note(), uuid.uuid4().hex],
            )
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            self._drop_tmp()
            raise
        con.close()
        self._publish(tmp)

    # --- the write lock and snapshots ------------------------------------------------------------
    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Hold the exclusive write lock (re-entrant in this store); wait at most the configured bound."""
        with self._lock:
            if self._write_depth:
                self._write_depth += 1
                try:
                    yield
                finally:
                    self._write_depth -= 1
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            wait = config.write_wait_seconds()
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
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
                self._write_depth = 1
                try:
                    yield
                finally:
                    self._write_depth = 0
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _fresh_tmp(self) -> Path:
        """An empty ``<path>.tmp`` (a leftover of a killed write is removed); the caller holds the lock."""
        self._drop_tmp()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self._tmp_path

    def _drop_tmp(self) -> None:
        tmp = self._tmp_path
        for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
            stale.unlink(missing_ok=True)

    def _publish(self, tmp: Path) -> None:
        """Make the finished file ``tmp`` the store: fsync it, rename it over ``path``, fsync the folder."""
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        Path(str(self.path) + ".wal").unlink(missing_ok=True)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _source_note(self) -> str:
        path = self.data_dir / "source.json"
        return path.read_text(encoding="utf-8") if path.exists() else "{}"

    def _load_base(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        files = source_files(self.data_dir)
        if "zones" not in files:
            raise StoreError(f"缺少 zones.geojson / zones.geojson is missing in {self.data_dir}")
        zones = read_zone_features(files["zones"])
        con.register("zones_df", zones)
        con.execute("INSERT INTO zones SELECT * FROM zones_df")
        con.unregister("zones_df")
        zone_ids = zones["zone_id"].tolist()
        for kind in KINDS:
            if kind in files:
                self._load_kind(con, kind, files[kind], zone_ids)
        return zone_ids

    def _load_kind(self, con: duckdb.DuckDBPyConnection, kind: str, path: Path, zone_ids: list[str]) -> None:
        spec = TABLES[kind]
        order = "night, zone_id" + (", ts" if kind != "events" else "")
        if path.suffix == ".parquet":
            select = ", ".join(f"CAST({_q(c.name)} AS {c.sql}) AS {_q(c.name)}" for c in spec.columns
                               if c.name != "simulated")
            if "simulated" in spec.names:
                select += ', coalesce(CAST("simulated" AS BOOLEAN), FALSE) AS "simulated"'
            sql = (f"INSERT INTO {kind} SELECT *, {_derived(spec)} FROM (SELECT {select} "
                   f"FROM read_parquet(?)) ORDER BY {order}")
            con.execute(sql, [str(path)])
            self._check_loaded(con, kind, path.name, zone_ids)
        else:
            parsed = parse_path(path, kind=kind, known_zones=zone_ids)
            con.register("base_df", parsed.frame)
            sql = f"INSERT INTO {kind} SELECT {_cols(spec)}, {_derived(spec)} FROM base_df ORDER BY {order}"
            con.execute(sql)
            con.unregister("base_df")

    def _check_loaded(self, con: duckdb.DuckDBPyConnection, kind: str, name: str, zone_ids: list[str]) -> None:
        """Cheap checks of a bulk-loaded (Parquet) table, done in SQL."""
        checks = {
            "footfall": "visitors < 0 OR visitors IS NULL",
            "sales": "spend_cny < 0 OR orders < 0 OR category NOT IN ('eat', 'shop', 'play')",
            "events": '"end" <= "start"',
        }
        bad = con.execute(f"SELECT count(*) FROM {kind} WHERE {checks[kind]}").fetchone()[0]
        unknown = con.execute(
            f"SELECT count(*) FROM {kind} WHERE NOT list_contains(?::VARCHAR[], zone_id)", [zone_ids]
        ).fetchone()[0]
        if bad or unknown:
            raise ValidationError(
                [Problem(name, 0, "", f"{bad + unknown}", "有不符合数据约定的行（负值、未知业态或片区）",
                         "rows break the data contract (negative values, unknown category or zone)")]
            )

    def _carry_batches(self, con: duckdb.DuckDBPyConnection, zone_ids: list[str]) -> None:
        """Copy the batch log and zone edits from the old database; replay the active batches in order."""
        # attached under a name that is not the new file's own catalog (DuckDB names that after the file)
        own = con.execute("SELECT current_database()").fetchone()[0]
        old = "previous" if own != "previous" else "previous_store"
        con.execute(f"ATTACH ? AS {old} (READ_ONLY)", [str(self.path)])
        try:
            old_tables = {r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [old]).fetchall()}
            if "zone_versions" in old_tables and "zones" in old_tables:
                self._carry_zone_edits(con, old)
            if "batches" not in old_tables:
                return
            old_cols = {r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND table_name = 'batches'", [old]
            ).fetchall()}
            # schema 3 kept a free-text uploader; it is carried over as the batch's note
            renamed = " EXCLUDE (uploaded_by), uploaded_by AS note" if "uploaded_by" in old_cols else ""
            con.execute(f"INSERT INTO batches BY NAME SELECT *{renamed} FROM {old}.batches")
            for kind in KINDS:
                if f"batch_rows_{kind}" in old_tables:
                    con.execute(f"INSERT INTO batch_rows_{kind} SELECT * FROM {old}.batch_rows_{kind}")
        finally:
            con.execute(f"DETACH {old}")
        active = con.execute(
            "SELECT batch_id, kind FROM batches WHERE rolled_back_at IS NULL ORDER BY batch_id"
        ).fetchall()
        for batch_id, kind in active:
            self._apply_batch(con, kind, batch_id)

    @staticmethod
    def _carry_zone_edits(con: duckdb.DuckDBPyConnection, old: str) -> None:
        """Copy ``zone_versions`` from the attached old database and re-apply each edited zone's state.

        A zone that has versions was edited (or restored) by an official: its
        current row in the old database is the latest edited state and wins
        over the bundled file. Zones no longer in the bundled file keep their
        history but are not re-created. ``old`` is the name the old database is attached under.
        """
        con.execute(f"INSERT INTO zone_versions BY NAME SELECT * FROM {old}.zone_versions")
        fields = [f for f in (*ZONE_FIELDS, "geometry") if f != "zone_id"]
        sets = ", ".join(f"{_q(f)} = o.{_q(f)}" for f in fields)
        _update_zones_in_order(
            con,
            f"UPDATE zones_keep SET {sets} FROM {old}.zones o WHERE zones_keep.zone_id = o.zone_id "
            f"AND o.zone_id IN (SELECT zone_id FROM {old}.zone_versions)",
        )

    # --- reading ---------------------------------------------------------------------------------
    def _connect_read(self) -> None:
        """(Re)open the read-only connection on the current snapshot."""
        if self._con is not None:
            self._con.close()
            self._con = None
        identity = self._identity()  # before connecting: a swap in between only causes one more reopen
        self._con = _open_snapshot(self.path)
        self._con_identity = identity

    @contextmanager
    def _reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._con is None:
                self.ensure_built()
            elif self._identity() != self._con_identity and self.path.exists():
                self._connect_read()  # another process published a new snapshot
            assert self._con is not None
            cursor = self._con.cursor()
            cursor.execute(f"USE {SNAPSHOT_ALIAS}")
            try:
                yield cursor
            finally:
                cursor.close()

    def snapshot_id(self) -> str:
        """The id of the snapshot being read; it changes with every committed write or rebuild."""
        return str(self.scalar("SELECT value FROM meta WHERE key = 'snapshot'") or "")

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a read-only query with ``?`` parameters and return a DataFrame."""
        with self._reader() as cur:
            return cur.execute(sql, list(params or [])).df()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run a read-only query and return the first cell (None when no row)."""
        with self._reader() as cur:
            row = cur.execute(sql, list(params or [])).fetchone()
            return row[0] if row else None

    def zone_ids(self) -> list[str]:
        """Every zone id, in file order."""
        return self.query("SELECT zone_id FROM zones ORDER BY rowid")["zone_id"].tolist()

    def zones(self) -> pd.DataFrame:
        """The zones table (geometry as GeoJSON text)."""
        return self.query("SELECT * FROM zones ORDER BY rowid")

    def batches(self) -> pd.DataFrame:
        """The batch log, newest first."""
        return self.query("SELECT * FROM batches ORDER BY batch_id DESC")

    def audit_log(self) -> pd.DataFrame:
        """Every change users made, newest first: commits, rollbacks, zone edits and restores.

        Columns: ``at`` (time), ``user``, ``role``, ``action`` (``ingest``,
        ``rollback``, ``zone_edit``, ``zone_restore``), ``target`` (``#<batch> <file>``
        or the zone id) and ``note``. Built from the batch log and the zone
        versions, which record the actor inside the same transaction as the
        change, so the log cannot miss or invent a change. Rows from before
        sign-in existed have an empty user.
        """
        return self.query(
            'SELECT "at", "user", role, action, target, note FROM ('
            " SELECT created_at AS \"at\", actor AS \"user\", actor_role AS role, 'ingest' AS action,"
            "  '#' || batch_id || ' ' || file_name AS target, note, batch_id AS seq FROM batches"
            " UNION ALL SELECT rolled_back_at, coalesce(rolled_back_by, ''), coalesce(rolled_back_role, ''),"
            "  'rollback', '#' || batch_id || ' ' || file_name, '', batch_id"
            "  FROM batches WHERE rolled_back_at IS NOT NULL"
            " UNION ALL SELECT changed_at, actor, actor_role,"
            "  CASE WHEN restored_from IS NULL THEN 'zone_edit' ELSE 'zone_restore' END, zone_id, note, version_id"
            "  FROM zone_versions"
            # times are stored to the microsecond (pages show seconds); should two still tie,
            # a rollback comes after the batch it undoes and later ids after earlier ones
            ') ORDER BY "at" DESC, CASE action WHEN \'rollback\' THEN 1 ELSE 0 END DESC, seq DESC'
        )

    def zone_history(self, zone_id: str) -> pd.DataFrame:
        """Earlier versions of a zone, newest first.

        Each row is the zone as it was *before* the change made at
        ``changed_at`` (with that change's ``note``; ``restored_from`` names
        the version a restore brought back). Columns: ``version_id``, the zone
        fields, ``geometry`` (GeoJSON text), ``changed_at``, ``note``,
        ``restored_from``.
        """
        return self.query(
            "SELECT * FROM zone_versions WHERE zone_id = ? ORDER BY version_id DESC", [zone_id]
        )

    def source_info(self) -> dict[str, Any]:
        """What the bundled data is (``source.json`` of the data folder), e.g. ``{"simulated": true}``."""
        text = self.scalar("SELECT value FROM meta WHERE key = 'source'") or "{}"
        return json.loads(text)

    def data_status(self) -> str:
        """``"simulated"``, ``"mixed"`` (simulated base plus uploads) or ``"real"``."""
        simulated = bool(self.source_info().get("simulated"))
        uploads = self.scalar("SELECT count(*) FROM batches WHERE rolled_back_at IS NULL") or 0
        if simulated:
            return "mixed" if uploads else "simulated"
        return "real"

    # --- writing ---------------------------------------------------------------------------------
    def _write(self, work: Callable[[duckdb.DuckDBPyConnection], T], *, actor: Actor | None, action: str) -> T:
        """Run ``work`` in one transaction on a copy of the store and publish the copy: all of it, or none.

        This is the one path by which users change data, so the role check is
        here: before anything else, ``actor`` must be allowed to do ``action``
        (:func:`nightmap.auth.require`) — whichever page, command or call asks.

        Parameters
        ----------
        work
            The transaction's body; it records ``actor`` in the audit columns.
        actor
            Who asks for the write (``None``: nobody signed in).
        action
            ``"ingest"``, ``"rollback"`` or ``"zone_edit"`` (see :data:`nightmap.auth.ACTIONS`).

        Raises
        ------
        AccessDeniedError
            When there is no actor or its role may not do ``action``; nothing was written.
        StoreBusyError
            When another process held the write lock past the bounded wait.
        """
        auth.require(actor, action)
        with self._lock, self._write_lock():
            if self.is_stale():
                self._rebuild_locked()
            tmp = self._fresh_tmp()
            shutil.copyfile(self.path, tmp)
            con = duckdb.connect(str(tmp))
            try:
                con.execute("BEGIN TRANSACTION")
                try:
                    result = work(con)
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('snapshot', ?)", [uuid.uuid4().hex])
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("CHECKPOINT")
            except BaseException:
                con.close()
                self._drop_tmp()
                raise
            con.close()
            self._publish(tmp)
            self._connect_read()
            return result

    def ingest(self, parsed: ParsedFile, *, actor: Actor | None, note: str = "") -> BatchResult:
        """Upsert a validated file as one batch; a file that changes no row records no batch.

        Re-ingesting an identical file (or any file whose rows all equal the
        stored ones) writes nothing: the result has ``recorded=False`` and
        ``batch_id`` 0, so the batch log holds no second copy of the rows.

        Parameters
        ----------
        parsed
            The output of :func:`nightmap.ingest.parse_file`, validated against this store's zones.
        actor
            Who commits the file: must be an editor or admin; user and role go into the batch log.
        note
            An optional remark kept with the batch (free text, at most 200 characters).

        Raises
        ------
        AccessDeniedError
            When ``actor`` may not ingest; nothing is written.
        """
        spec = TABLES[parsed.kind]

        def work(con: duckdb.DuckDBPyConnection) -> BatchResult:
            batch_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").fetchone()[0]
            con.execute(
                "INSERT INTO batches (batch_id, kind, file_name, sha256, rows, inserted, updated, created_at,"
                " note, actor, actor_role) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)",
                [batch_id, parsed.kind, parsed.file_name, parsed.sha256, parsed.rows,
                 dt.datetime.now(), " ".join(str(note or "").split())[:MAX_NOTE],
                 actor.user, actor.role],
            )
            con.register("incoming_df", parsed.frame[list(spec.names)])
            con.execute(f"INSERT INTO batch_rows_{parsed.kind} SELECT ?, {_cols(spec)} FROM incoming_df",
                        [batch_id])
            con.unregister("incoming_df")
            result = self._apply_batch(con, parsed.kind, batch_id)
            if result.inserted == 0 and result.updated == 0:
                raise _Unchanged(result)  # rolls the copy back: a file that changes nothing is not logged
            return result

        try:
            return self._write(work, actor=actor, action="ingest")
        except _Unchanged as same:
            return dataclasses.replace(same.result, batch_id=0, recorded=False)

    def ingest_path(self, path: Path, *, kind: str, actor: Actor | None, note: str = "") -> BatchResult:
        """Validate a file on disk against this store's zones (by id, Chinese or English name) and ingest it."""
        names = self.query("SELECT zone_id, name_zh, name_en FROM zones ORDER BY rowid")
        return self.ingest(parse_path(Path(path), kind=kind, known_zones=zone_aliases(names)), actor=actor, note=note)

    @staticmethod
    def _apply_batch(con: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> BatchResult:
        """Upsert the rows of a batch, saving the rows it replaces so it can be rolled back."""
        spec = TABLES[kind]
        on = " AND ".join(f"t.{_q(k)} = b.{_q(k)}" for k in spec.key)
        changed = " OR ".join(f"t.{_q(c)} IS DISTINCT FROM b.{_q(c)}" for c in spec.value_columns)
        rows = f"(SELECT * FROM batch_rows_{kind} WHERE batch_id = ?)"
        con.execute(f"DELETE FROM batch_prior_{kind} WHERE batch_id = ?", [batch_id])
        con.execute(
            f"INSERT INTO batch_prior_{kind} SELECT ?, {_cols(spec, 't.')} FROM {kind} t JOIN {rows} b ON {on}",
            [batch_id, batch_id],
        )
        updated = con.execute(
            f"SELECT count(*) FROM {kind} t JOIN {rows} b ON {on} WHERE {changed}", [batch_id]
        ).fetchone()[0]
        total = con.execute(f"SELECT count(*) FROM {rows}", [batch_id]).fetchone()[0]
        existing = con.execute(f"SELECT count(*) FROM batch_prior_{kind} WHERE batch_id = ?", [batch_id]).fetchone()[0]
        con.execute(f"DELETE FROM {kind} t USING {rows} b WHERE {on}", [batch_id])
        con.execute(
            f"INSERT INTO {kind} SELECT {_cols(spec)}, {_derived(spec)} FROM {rows}", [batch_id]
        )
        inserted = total - existing
        con.execute("UPDATE batches SET inserted = ?, updated = ? WHERE batch_id = ?", [inserted, updated, batch_id])
        file_name = con.execute("SELECT file_name FROM batches WHERE batch_id = ?", [batch_id]).fetchone()[0]
        return BatchResult(batch_id, kind, file_name, total, inserted, updated)

    def rollback(self, batch_id: int, *, actor: Actor | None) -> BatchResult:
        """Restore exactly the rows as they were before batch ``batch_id``.

        ``actor`` must be an admin; user and role are recorded with the batch.

        Raises
        ------
        AccessDeniedError
            When ``actor`` may not roll back; nothing is written.
        StoreError
            If the batch does not exist, is already rolled back, or a later
            active batch changed some of the same rows (roll that back first).
        """

        def work(con: duckdb.DuckDBPyConnection) -> BatchResult:
            row = con.execute(
                "SELECT kind, file_name, rows, inserted, updated, rolled_back_at FROM batches WHERE batch_id = ?",
                [batch_id],
            ).fetchone()
            if row is None:
                raise StoreError(f"批次 {batch_id} 不存在 / batch {batch_id} does not exist")
            kind, file_name, rows, inserted, updated, rolled = row
            if rolled is not None:
                raise StoreError(f"批次 {batch_id} 已经回滚 / batch {batch_id} was already rolled back")
            spec = TABLES[kind]
            on = " AND ".join(f"a.{_q(k)} = b.{_q(k)}" for k in spec.key)
            later = con.execute(
                f"SELECT DISTINCT a.batch_id FROM batch_rows_{kind} a JOIN batch_rows_{kind} b ON {on} "
                "JOIN batches l ON l.batch_id = a.batch_id "
                "WHERE b.batch_id = ? AND a.batch_id > ? AND l.rolled_back_at IS NULL ORDER BY 1",
                [batch_id, batch_id],
            ).fetchall()
            if later:
                ids = ", ".join(str(r[0]) for r in later)
                raise StoreError(
                    f"之后的批次 {ids} 修改了相同的行，请先回滚它们 / "
                    f"later batch(es) {ids} changed the same rows; roll them back first"
                )
            t_on = " AND ".join(f"t.{_q(k)} = b.{_q(k)}" for k in spec.key)
            con.execute(
                f"DELETE FROM {kind} t USING (SELECT * FROM batch_rows_{kind} WHERE batch_id = ?) b WHERE {t_on}",
                [batch_id],
            )
            con.execute(
                f"INSERT INTO {kind} SELECT {_cols(spec)}, {_derived(spec)} FROM batch_prior_{kind} "
                "WHERE batch_id = ?",
                [batch_id],
            )
            con.execute("UPDATE batches SET rolled_back_at = ?, rolled_back_by = ?, rolled_back_role = ? "
                        "WHERE batch_id = ?",
                        [dt.datetime.now(), actor.user, actor.role, batch_id])
            return BatchResult(batch_id, kind, file_name, rows, inserted, updated)

        return self._write(work, actor=actor, action="rollback")

    # --- zone edits -------------------------------------------------------------------------------
    def _district_geometry(self) -> Any:
        """解放区's boundary: ``districts.geojson`` of the data folder, else of the configured one."""
        from nightmap import geo

        path = self.data_dir / "districts.geojson"
        return geo.focus_district(geo.load_districts(path if path.exists() else None))

    def update_zone(
        self,
        zone_id: str,
        *,
        geometry: Any = None,
        name_zh: str | None = None,
        name_en: str | None = None,
        categories: Sequence[str] | None = None,
        note: str = "",
        actor: Actor | None,
    ) -> int:
        """Change a zone's outline, names or categories, keeping the old state as a version.

        Validates first: the geometry must be a valid polygon inside 解放区
        (:func:`nightmap.geo.zone_problems`), names non-empty and at most
        :data:`MAX_ZONE_NAME` characters, categories a non-empty subset of
        eat/shop/play. Then, in one transaction, the zone's current row is
        saved in ``zone_versions`` and ``zones`` is updated.

        Parameters
        ----------
        zone_id
            The zone to change.
        geometry
            New outline in WGS-84: a GeoJSON geometry or Feature (mapping or
            JSON text) or a shapely geometry; ``None`` keeps the outline.
        name_zh, name_en
            New names; ``None`` keeps them.
        categories
            New categories; ``None`` keeps them.
        note
            Why the change was made (kept with the version).
        actor
            Who makes the change: an editor or admin; recorded with the version.

        Returns
        -------
        int
            The id of the version that holds the zone's previous state.

        Raises
        ------
        ValidationError
            Listing every problem (in Chinese and English); nothing is written.
        StoreError
            If the zone does not exist.
        """
        auth.require(actor, "zone_edit")  # first: a refused caller learns nothing about the zone
        current = self._zone_row(zone_id)
        problems: list[Problem] = []
        changes: dict[str, Any] = {}
        if geometry is not None:
            text, geo_problems = self._check_geometry(zone_id, geometry)
            problems += geo_problems
            if text is not None and text != current["geometry"]:
                changes["geometry"] = text
                changes.update(confirmed_location(note, today=config.today()))
        for field, value in (("name_zh", name_zh), ("name_en", name_en)):
            if value is None:
                continue
            clean = " ".join(str(value).split())
            if not clean:
                problems.append(Problem(zone_id, 0, field, "", "名称不能为空", "the name must not be empty"))
            elif len(clean) > MAX_ZONE_NAME:
                problems.append(Problem(zone_id, 0, field, clean[:20] + "…",
                                        f"名称最多 {MAX_ZONE_NAME} 个字符",
                                        f"the name must be at most {MAX_ZONE_NAME} characters"))
            elif clean != current[field]:
                changes[field] = clean
        if categories is not None:
            cats = [str(c) for c in categories]
            if not cats or any(c not in CATEGORIES for c in cats):
                problems.append(Problem(zone_id, 0, "categories", ", ".join(cats),
                                        "业态应为 eat/shop/play 中至少一项", "categories must be one or more of eat, shop, play"))
            else:
                ordered = [c for c in CATEGORIES if c in cats]
                if ordered != list(current["categories"]):
                    changes["categories"] = ordered
        if problems:
            raise ValidationError(problems)
        if not changes:
            raise ValidationError([Problem(zone_id, 0, "", "", "没有需要保存的修改", "nothing was changed")])
        return self._save_zone(zone_id, changes, note=note, restored_from=None, actor=actor)

    def restore_zone(self, version_id: int, *, actor: Actor | None, note: str = "") -> int:
        """Bring a zone back to an earlier version; the state it replaces becomes a new version.

        ``actor`` must be an editor or admin (as for :meth:`update_zone`).

        Returns
        -------
        int
            The id of the new version (the state before the restore).

        Raises
        ------
        StoreError
            If the version does not exist or its zone is gone.
        """
        auth.require(actor, "zone_edit")  # first, as in update_zone
        rows = self.query("SELECT * FROM zone_versions WHERE version_id = ?", [int(version_id)])
        if rows.empty:
            raise StoreError(f"版本 {version_id} 不存在 / version {version_id} does not exist")
        old = rows.iloc[0]
        self._zone_row(str(old["zone_id"]))
        changes = {f: old[f] for f in (*ZONE_FIELDS, "geometry") if f != "zone_id"}
        changes["categories"] = [str(c) for c in old["categories"]]
        note = note or f"恢复版本 {version_id} / restored version {version_id}"
        return self._save_zone(str(old["zone_id"]), changes, note=note, restored_from=int(version_id), actor=actor)

    def _zone_row(self, zone_id: str) -> dict[str, Any]:
        rows = self.query("SELECT * FROM zones WHERE zone_id = ?", [zone_id])
        if rows.empty:
            raise StoreError(f"片区 {zone_id} 不存在 / zone {zone_id} does not exist")
        row = rows.iloc[0].to_dict()
        row["categories"] = [str(c) for c in row["categories"]]
        return row

    def _check_geometry(self, zone_id: str, geometry: Any) -> tuple[str | None, list[Problem]]:
        """The geometry as compact GeoJSON text, and its problems against 解放区."""
        from shapely.geometry import mapping, shape
        from shapely.geometry.base import BaseGeometry

        from nightmap import geo

        try:
            if isinstance(geometry, BaseGeometry):
                geom = geometry
            else:
                obj = json.loads(geometry) if isinstance(geometry, str | bytes) else dict(geometry)
                if obj.get("type") == "Feature":
                    obj = obj.get("geometry") or {}
                geom = shape(obj)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            return None, [Problem(zone_id, 0, "geometry", "", f"无法读取几何图形：{exc}",
                                  f"cannot read the geometry: {exc}")]
        problems = geo.zone_problems(geom, self._district_geometry())
        if problems:
            out = []
            for text in problems:
                zh, _, en = text.partition("/ ")
                out.append(Problem(zone_id, 0, "geometry", "", zh.strip(), (en or zh).strip()))
            return None, out
        return json.dumps(mapping(geom), separators=(",", ":")), []

    def _save_zone(self, zone_id: str, changes: dict[str, Any], *, note: str, restored_from: int | None,
                   actor: Actor | None) -> int:
        fields = [f for f in (*ZONE_FIELDS, "geometry") if f != "zone_id"]

        def work(con: duckdb.DuckDBPyConnection) -> int:
            version_id = con.execute("SELECT coalesce(max(version_id), 0) + 1 FROM zone_versions").fetchone()[0]
            con.execute(
                f"INSERT INTO zone_versions (version_id, zone_id, {', '.join(_q(f) for f in fields)}, "
                "changed_at, note, restored_from, actor, actor_role) "
                f"SELECT ?, zone_id, {', '.join(_q(f) for f in fields)}, ?, ?, ?, ?, ? FROM zones WHERE zone_id = ?",
                [version_id, dt.datetime.now(), str(note or "")[:500], restored_from,
                 actor.user, actor.role, zone_id],
            )
            sets = ", ".join(f"{_q(f)} = ?" for f in changes)
            _update_zones_in_order(con, f"UPDATE zones_keep SET {sets} WHERE zone_id = ?",
                                   [*changes.values(), zone_id])
            return int(version_id)

        return self._write(work, actor=actor, action="zone_edit")

    def close(self) -> None:
        """Close the read connection (a later read reopens it)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
