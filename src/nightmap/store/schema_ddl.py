"""The store's table layout: schema version, DDL, and the SQL helpers built from the contract.

Tables: ``zones``, one table per kind of the contract (``footfall``, ``sales``,
``events``, with the derived ``night``/``hour`` columns), the batch log
(``batches``, ``batch_rows_<kind>``, ``batch_prior_<kind>``), the zone edit log
(``zone_versions``) and ``meta``. A change of layout bumps
:data:`SCHEMA_VERSION`; stores built by older code are then rebuilt, and
:func:`nightmap.store.build.carry_batches` migrates their logs.
Identifiers in SQL text come from :mod:`nightmap.schema`, never from users.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from nightmap.schema import KINDS, TABLES, TableSpec

SCHEMA_VERSION = "4"
"""Bump when the table layout changes: stores built by older code are rebuilt."""

ZONE_FIELDS: tuple[str, ...] = (
    "zone_id", "name_zh", "name_en", "kind", "categories", "address_zh", "location_note", "location_confidence",
)


def q(name: str) -> str:
    """Quote an identifier from the contract."""
    return '"' + name.replace('"', '""') + '"'


def cols(spec: TableSpec, prefix: str = "") -> str:
    """The contract's columns of ``spec``, quoted, each after ``prefix``, comma-separated."""
    return ", ".join(prefix + q(c) for c in spec.names)


def derived(spec: TableSpec, prefix: str = "") -> str:
    """SQL for the derived columns: ``night`` (and ``hour`` for hourly tables)."""
    if spec.kind == "events":
        return f"CAST({prefix}\"start\" - INTERVAL 6 HOUR AS DATE) AS night"
    return f"CAST({prefix}ts - INTERVAL 6 HOUR AS DATE) AS night, CAST(hour({prefix}ts) AS TINYINT) AS hour"


def table_ddl(name: str, spec: TableSpec, *, derived: bool, batch: bool = False) -> str:
    """``CREATE TABLE`` for a table of ``spec``'s columns (plus the derived ones, or a leading ``batch_id``)."""
    columns = [f"{q(c.name)} {c.sql}" for c in spec.columns]
    if batch:
        columns.insert(0, "batch_id INTEGER NOT NULL")
    if derived:
        columns.append("night DATE NOT NULL")
        if spec.kind != "events":
            columns.append("hour TINYINT NOT NULL")
    return f"CREATE TABLE {name} ({', '.join(columns)})"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of the current layout in the empty database of ``con``."""
    con.execute(
        "CREATE TABLE zones (zone_id VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR,"
        " kind VARCHAR NOT NULL, categories VARCHAR[] NOT NULL, address_zh VARCHAR, location_note VARCHAR,"
        " location_confidence VARCHAR NOT NULL DEFAULT 'none', geometry VARCHAR NOT NULL)"
    )
    for kind in KINDS:
        spec = TABLES[kind]
        con.execute(table_ddl(kind, spec, derived=True))
        con.execute(table_ddl(f"batch_rows_{kind}", spec, derived=False, batch=True))
        con.execute(table_ddl(f"batch_prior_{kind}", spec, derived=False, batch=True))
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


def update_zones_in_order(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> None:
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
