"""Building the store from the data folder: source files, their fingerprint, the zone file, loading, carrying over.

The store is rebuilt only when its file is absent or the folder's files changed
(:func:`fingerprint` differs from the stored one). :func:`fill` writes a whole
new database into a fresh file — schema, bundled zones and tables, then the
batch log and zone edits of the old file (active batches replayed in order) —
and :meth:`nightmap.store.core.Store.rebuild` publishes it under the write lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from nightmap import i18n
from nightmap.errors import Problem, StoreError, ValidationError
from nightmap.ingest import parse_path
from nightmap.schema import CATEGORIES, CONFIDENCE_LEVELS, KINDS, TABLES, UNKNOWN_CONFIDENCE, ZONE_KINDS
from nightmap.store import writes
from nightmap.store.schema_ddl import (
    SCHEMA_VERSION,
    ZONE_FIELDS,
    cols,
    create_schema,
    derived,
    q,
    update_zones_in_order,
)

SOURCE_SUFFIXES: tuple[str, ...] = (".parquet", ".csv", ".xlsx")


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
        raise ValidationError([Problem.of(name, 0, "", "", "store.geojson_unreadable", exc=exc)]) from exc
    levels = {"zh": {"levels": "/".join(CONFIDENCE_LEVELS)}, "en": {"levels": ", ".join(CONFIDENCE_LEVELS)}}
    rows, problems, seen = [], [], set()
    for i, feat in enumerate(features, start=1):
        props = feat.get("properties") or {}
        zid = str(props.get("zone_id") or "")
        cats = props.get("categories") or []
        checks = [
            (not zid, "zone_id", "", "store.zone_id_missing"),
            (zid in seen, "zone_id", zid, "store.zone_id_twice"),
            (props.get("kind") not in ZONE_KINDS, "kind", props.get("kind"), "store.zone_kind_bad"),
            (not cats or any(c not in CATEGORIES for c in cats), "categories", cats, "store.zone_categories_bad"),
            (not props.get("name_zh"), "name_zh", "", "store.zone_name_missing"),
            (not feat.get("geometry"), "geometry", "", "store.zone_geometry_missing"),
            (props.get("location_confidence") not in (None, "", *CONFIDENCE_LEVELS), "location_confidence",
             props.get("location_confidence"), "store.zone_confidence_bad"),
        ]
        for bad, col, value, key in checks:
            if bad:
                problems.append(Problem.of(name, i, col, str(value or ""), key, **levels))
        seen.add(zid)
        row = {k: props.get(k) for k in ZONE_FIELDS}
        row["categories"] = [str(c) for c in cats]
        row["location_confidence"] = props.get("location_confidence") or UNKNOWN_CONFIDENCE
        row["geometry"] = json.dumps(feat.get("geometry"), separators=(",", ":"))
        rows.append(row)
    if problems:
        raise ValidationError(problems)
    return pd.DataFrame(rows, columns=[*ZONE_FIELDS, "geometry"])


def fill(con: duckdb.DuckDBPyConnection, *, path: Path, data_dir: Path) -> None:
    """Write a whole store into the empty database of ``con``; the caller holds the write lock.

    Parameters
    ----------
    con
        A connection to the fresh file that will replace the store.
    path
        The store's current file: when it exists, its batch log and zone edits are carried over.
    data_dir
        The folder of source files.
    """
    create_schema(con)
    zones = load_base(con, data_dir)
    if path.exists():
        carry_batches(con, path, zones)
    con.execute(
        "INSERT INTO meta VALUES ('fingerprint', ?), ('built_at', ?), ('source', ?), ('snapshot', ?)",
        [fingerprint(data_dir), dt.datetime.now().isoformat(timespec="seconds"),
         source_note(data_dir), uuid.uuid4().hex],
    )


def source_note(data_dir: Path) -> str:
    """The text of the folder's ``source.json`` (``"{}"`` when it has none)."""
    path = data_dir / "source.json"
    return path.read_text(encoding="utf-8") if path.exists() else "{}"


def load_base(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[str]:
    """Load the bundled zones and tables of ``data_dir``; return the zone ids in file order."""
    files = source_files(data_dir)
    if "zones" not in files:
        raise StoreError(i18n.both_text("store.zones_missing", folder=data_dir))
    zones = read_zone_features(files["zones"])
    con.register("zones_df", zones)
    con.execute("INSERT INTO zones SELECT * FROM zones_df")
    con.unregister("zones_df")
    zone_ids = zones["zone_id"].tolist()
    for kind in KINDS:
        if kind in files:
            load_kind(con, kind, files[kind], zone_ids)
    return zone_ids


def load_kind(con: duckdb.DuckDBPyConnection, kind: str, path: Path, zone_ids: list[str]) -> None:
    """Load one bundled table: Parquet in bulk (checked in SQL), CSV/Excel through the upload checks."""
    spec = TABLES[kind]
    order = "night, zone_id" + (", ts" if kind != "events" else "")
    if path.suffix == ".parquet":
        select = ", ".join(f"CAST({q(c.name)} AS {c.sql}) AS {q(c.name)}" for c in spec.columns
                           if c.name != "simulated")
        if "simulated" in spec.names:
            select += ', coalesce(CAST("simulated" AS BOOLEAN), FALSE) AS "simulated"'
        sql = (f"INSERT INTO {kind} SELECT *, {derived(spec)} FROM (SELECT {select} "
               f"FROM read_parquet(?)) ORDER BY {order}")
        con.execute(sql, [str(path)])
        check_loaded(con, kind, path.name, zone_ids)
    else:
        parsed = parse_path(path, kind=kind, known_zones=zone_ids)
        con.register("base_df", parsed.frame)
        sql = f"INSERT INTO {kind} SELECT {cols(spec)}, {derived(spec)} FROM base_df ORDER BY {order}"
        con.execute(sql)
        con.unregister("base_df")


def check_loaded(con: duckdb.DuckDBPyConnection, kind: str, name: str, zone_ids: list[str]) -> None:
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
        raise ValidationError([Problem.of(name, 0, "", f"{bad + unknown}", "store.loaded_rows_bad")])


def carry_batches(con: duckdb.DuckDBPyConnection, old_path: Path, zone_ids: list[str]) -> None:
    """Copy the batch log and zone edits from the old database at ``old_path``; replay the active batches in order."""
    # attached under a name that is not the new file's own catalog (DuckDB names that after the file)
    own = con.execute("SELECT current_database()").fetchone()[0]
    old = "previous" if own != "previous" else "previous_store"
    con.execute(f"ATTACH ? AS {old} (READ_ONLY)", [str(old_path)])
    try:
        old_tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [old]).fetchall()}
        if "zone_versions" in old_tables and "zones" in old_tables:
            carry_zone_edits(con, old)
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
        writes.apply_batch(con, kind, batch_id)


def carry_zone_edits(con: duckdb.DuckDBPyConnection, old: str) -> None:
    """Copy ``zone_versions`` from the attached old database and re-apply each edited zone's state.

    A zone that has versions was edited (or restored) by an official: its
    current row in the old database is the latest edited state and wins
    over the bundled file. Zones no longer in the bundled file keep their
    history but are not re-created. ``old`` is the name the old database is attached under.
    """
    con.execute(f"INSERT INTO zone_versions BY NAME SELECT * FROM {old}.zone_versions")
    fields = [f for f in (*ZONE_FIELDS, "geometry") if f != "zone_id"]
    sets = ", ".join(f"{q(f)} = o.{q(f)}" for f in fields)
    update_zones_in_order(
        con,
        f"UPDATE zones_keep SET {sets} FROM {old}.zones o WHERE zones_keep.zone_id = o.zone_id "
        f"AND o.zone_id IN (SELECT zone_id FROM {old}.zone_versions)",
    )
