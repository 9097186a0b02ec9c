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

Modules
-------
- :mod:`~nightmap.store.core` — the :class:`Store`: opening (building when
  needed), the read queries, and the one write path :meth:`Store._write`
  (role check, write lock, copy, one transaction, publish).
- :mod:`~nightmap.store.schema_ddl` — :data:`SCHEMA_VERSION`, the tables' DDL
  and the SQL helpers built from the contract.
- :mod:`~nightmap.store.build` — the data folder's source files,
  :func:`fingerprint`, :func:`read_zone_features`, and filling a new file
  for a rebuild (carrying batches and zone edits over).
- :mod:`~nightmap.store.snapshot` — opening a snapshot read-only, the
  ``flock`` with its bounded wait, and the atomic publish of a finished copy.
- :mod:`~nightmap.store.writes` — the bodies of the write transactions
  (ingest, rollback, zone edits and their checks) and :class:`BatchResult`.

The store's messages are keys of :mod:`nightmap.messages.store`, raised in both
languages with :func:`nightmap.i18n.both_text` and :meth:`nightmap.errors.Problem.of`.

A new read query is a :class:`Store` method in ``core`` built on
:meth:`Store.query` or :meth:`Store.scalar`. A new write is a transaction body
in ``writes`` (a function of the connection and the actor that records the
actor) plus a thin :class:`Store` method passing it to :meth:`Store._write`
with its action (:data:`nightmap.auth.ACTIONS`) — never a connection of its own.
"""

from __future__ import annotations

from nightmap.store.build import SOURCE_SUFFIXES, fingerprint, read_zone_features, source_files
from nightmap.store.core import Store
from nightmap.store.schema_ddl import SCHEMA_VERSION, ZONE_FIELDS
from nightmap.store.snapshot import SNAPSHOT_ALIAS
from nightmap.store.writes import MAX_NOTE, MAX_ZONE_NAME, BatchResult, confirmed_location

__all__ = [
    "MAX_NOTE",
    "MAX_ZONE_NAME",
    "SCHEMA_VERSION",
    "SNAPSHOT_ALIAS",
    "SOURCE_SUFFIXES",
    "ZONE_FIELDS",
    "BatchResult",
    "Store",
    "confirmed_location",
    "fingerprint",
    "read_zone_features",
    "source_files",
]
