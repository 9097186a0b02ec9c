"""The :class:`Store`: opening (and building when needed), the read queries, and the one write path.

Readers attach the current snapshot read-only and reopen when another process
published a new one (:meth:`Store._reader`); every write goes through
:meth:`Store._write`, which checks the actor's role, takes the write lock,
runs one transaction (a body from :mod:`nightmap.store.writes`) on a copy and
publishes it (:mod:`nightmap.store.snapshot`). Rebuilds from the data folder
(:mod:`nightmap.store.build`) take the same lock. A new read query is a method
here built on :meth:`Store.query` / :meth:`Store.scalar`.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from nightmap import auth, config, i18n
from nightmap.auth import Actor
from nightmap.errors import StoreError
from nightmap.ingest import ParsedFile, parse_path, zone_aliases
from nightmap.store import build, snapshot, writes
from nightmap.store.snapshot import SNAPSHOT_ALIAS, open_snapshot
from nightmap.store.writes import BatchResult

T = TypeVar("T")


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
            con = open_snapshot(self.path)
        except duckdb.Error as exc:
            raise StoreError(
                i18n.both_text("store.cannot_open", path=self.path, zh={"detail": type(exc).__name__}, en={"detail": exc})
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
        return self.stored_fingerprint() != build.fingerprint(self.data_dir)

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
            build.fill(con, path=self.path, data_dir=self.data_dir)
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
            with snapshot.exclusive_lock(self.lock_path, wait):
                self._write_depth = 1
                try:
                    yield
                finally:
                    self._write_depth = 0

    def _fresh_tmp(self) -> Path:
        """An empty ``<path>.tmp`` (a leftover of a killed write is removed); the caller holds the lock."""
        self._drop_tmp()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self._tmp_path

    def _drop_tmp(self) -> None:
        snapshot.drop_tmp(self._tmp_path)

    def _publish(self, tmp: Path) -> None:
        """Make the finished file ``tmp`` the store (:func:`nightmap.store.snapshot.publish`)."""
        snapshot.publish(tmp, self.path)

    # --- reading ---------------------------------------------------------------------------------
    def _connect_read(self) -> None:
        """(Re)open the read-only connection on the current snapshot."""
        if self._con is not None:
            self._con.close()
            self._con = None
        identity = self._identity()  # before connecting: a swap in between only causes one more reopen
        self._con = open_snapshot(self.path)
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
        def work(con: duckdb.DuckDBPyConnection) -> BatchResult:
            return writes.ingest_batch(con, parsed, actor=actor, note=note)

        try:
            return self._write(work, actor=actor, action="ingest")
        except writes.Unchanged as same:
            return dataclasses.replace(same.result, batch_id=0, recorded=False)

    def ingest_path(self, path: Path, *, kind: str, actor: Actor | None, note: str = "") -> BatchResult:
        """Validate a file on disk against this store's zones (by id, Chinese or English name) and ingest it."""
        names = self.query("SELECT zone_id, name_zh, name_en FROM zones ORDER BY rowid")
        return self.ingest(parse_path(Path(path), kind=kind, known_zones=zone_aliases(names)), actor=actor, note=note)

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
            return writes.rollback_batch(con, batch_id, actor=actor)

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
        :data:`~nightmap.store.writes.MAX_ZONE_NAME` characters, categories a non-empty subset of
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
        changes = writes.zone_changes(zone_id, current, geometry=geometry, name_zh=name_zh, name_en=name_en,
                                      categories=categories, note=note, district=self._district_geometry)
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
            raise StoreError(i18n.both_text("store.version_missing", version_id=version_id))
        old = rows.iloc[0]
        self._zone_row(str(old["zone_id"]))
        changes = writes.restored_changes(old)
        note = note or i18n.both_text("store.version_restored", version_id=version_id)
        return self._save_zone(str(old["zone_id"]), changes, note=note, restored_from=int(version_id), actor=actor)

    def _zone_row(self, zone_id: str) -> dict[str, Any]:
        return writes.zone_row(self.query("SELECT * FROM zones WHERE zone_id = ?", [zone_id]), zone_id)

    def _save_zone(self, zone_id: str, changes: dict[str, Any], *, note: str, restored_from: int | None,
                   actor: Actor | None) -> int:
        def work(con: duckdb.DuckDBPyConnection) -> int:
            return writes.save_zone(con, zone_id, changes, note=note, restored_from=restored_from, actor=actor)

        return self._write(work, actor=actor, action="zone_edit")

    def close(self) -> None:
        """Close the read connection (a later read reopens it)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
