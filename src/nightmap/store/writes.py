"""The write transactions: ingest, rollback and zone edits, as functions of a connection and an actor.

Each ``*_batch`` / :func:`save_zone` function is the body of one transaction:
:meth:`nightmap.store.core.Store._write` — the one write path — checks the
actor's role, takes the write lock, opens a copy of the store, runs the body
inside ``BEGIN``/``COMMIT`` and publishes the copy. The bodies record the
actor (user and role) in the same transaction as the change. The checks of a
zone edit (:func:`zone_changes`, :func:`geometry_text`) run before the lock,
so a refused edit writes nothing. To add a write, add its body here and a
thin :class:`~nightmap.store.core.Store` method that passes it to ``_write``
with an action of :data:`nightmap.auth.ACTIONS`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from nightmap import config, i18n
from nightmap.auth import Actor
from nightmap.errors import Problem, StoreError, ValidationError
from nightmap.ingest import ParsedFile
from nightmap.schema import CATEGORIES, TABLES
from nightmap.store.schema_ddl import ZONE_FIELDS, cols, derived, q, update_zones_in_order

MAX_ZONE_NAME = 60
"""Longest zone name (characters) an edit may set."""
MAX_NOTE = 200
"""Longest note (characters) kept with a batch."""


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


class Unchanged(Exception):  # noqa: N818 - control flow, never escapes the store
    """Raised inside a write whose batch changed no row, to roll the copy back."""

    def __init__(self, result: BatchResult) -> None:
        self.result = result


# --- batches ------------------------------------------------------------------------------------
def ingest_batch(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, *, actor: Actor, note: str) -> BatchResult:
    """Record ``parsed`` as a new batch and upsert its rows.

    Raises
    ------
    Unchanged
        When no row changed, so that the caller rolls the copy back (such a file is not logged).
    """
    spec = TABLES[parsed.kind]
    batch_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").fetchone()[0]
    con.execute(
        "INSERT INTO batches (batch_id, kind, file_name, sha256, rows, inserted, updated, created_at,"
        " note, actor, actor_role) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)",
        [batch_id, parsed.kind, parsed.file_name, parsed.sha256, parsed.rows,
         dt.datetime.now(), " ".join(str(note or "").split())[:MAX_NOTE],
         actor.user, actor.role],
    )
    con.register("incoming_df", parsed.frame[list(spec.names)])
    con.execute(f"INSERT INTO batch_rows_{parsed.kind} SELECT ?, {cols(spec)} FROM incoming_df",
                [batch_id])
    con.unregister("incoming_df")
    result = apply_batch(con, parsed.kind, batch_id)
    if result.inserted == 0 and result.updated == 0:
        raise Unchanged(result)  # rolls the copy back: a file that changes nothing is not logged
    return result


def apply_batch(con: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> BatchResult:
    """Upsert the rows of a batch, saving the rows it replaces so it can be rolled back."""
    spec = TABLES[kind]
    on = " AND ".join(f"t.{q(k)} = b.{q(k)}" for k in spec.key)
    changed = " OR ".join(f"t.{q(c)} IS DISTINCT FROM b.{q(c)}" for c in spec.value_columns)
    rows = f"(SELECT * FROM batch_rows_{kind} WHERE batch_id = ?)"
    con.execute(f"DELETE FROM batch_prior_{kind} WHERE batch_id = ?", [batch_id])
    con.execute(
        f"INSERT INTO batch_prior_{kind} SELECT ?, {cols(spec, 't.')} FROM {kind} t JOIN {rows} b ON {on}",
        [batch_id, batch_id],
    )
    updated = con.execute(
        f"SELECT count(*) FROM {kind} t JOIN {rows} b ON {on} WHERE {changed}", [batch_id]
    ).fetchone()[0]
    total = con.execute(f"SELECT count(*) FROM {rows}", [batch_id]).fetchone()[0]
    existing = con.execute(f"SELECT count(*) FROM batch_prior_{kind} WHERE batch_id = ?", [batch_id]).fetchone()[0]
    con.execute(f"DELETE FROM {kind} t USING {rows} b WHERE {on}", [batch_id])
    con.execute(
        f"INSERT INTO {kind} SELECT {cols(spec)}, {derived(spec)} FROM {rows}", [batch_id]
    )
    inserted = total - existing
    con.execute("UPDATE batches SET inserted = ?, updated = ? WHERE batch_id = ?", [inserted, updated, batch_id])
    file_name = con.execute("SELECT file_name FROM batches WHERE batch_id = ?", [batch_id]).fetchone()[0]
    return BatchResult(batch_id, kind, file_name, total, inserted, updated)


def rollback_batch(con: duckdb.DuckDBPyConnection, batch_id: int, *, actor: Actor) -> BatchResult:
    """Restore the rows batch ``batch_id`` replaced and mark it rolled back by ``actor``.

    Raises
    ------
    StoreError
        If the batch does not exist, is already rolled back, or a later
        active batch changed some of the same rows.
    """
    row = con.execute(
        "SELECT kind, file_name, rows, inserted, updated, rolled_back_at FROM batches WHERE batch_id = ?",
        [batch_id],
    ).fetchone()
    if row is None:
        raise StoreError(i18n.both_text("store.batch_missing", batch_id=batch_id))
    kind, file_name, rows, inserted, updated, rolled = row
    if rolled is not None:
        raise StoreError(i18n.both_text("store.batch_rolled_back", batch_id=batch_id))
    spec = TABLES[kind]
    on = " AND ".join(f"a.{q(k)} = b.{q(k)}" for k in spec.key)
    later = con.execute(
        f"SELECT DISTINCT a.batch_id FROM batch_rows_{kind} a JOIN batch_rows_{kind} b ON {on} "
        "JOIN batches l ON l.batch_id = a.batch_id "
        "WHERE b.batch_id = ? AND a.batch_id > ? AND l.rolled_back_at IS NULL ORDER BY 1",
        [batch_id, batch_id],
    ).fetchall()
    if later:
        ids = ", ".join(str(r[0]) for r in later)
        raise StoreError(i18n.both_text("store.batch_later", ids=ids))
    t_on = " AND ".join(f"t.{q(k)} = b.{q(k)}" for k in spec.key)
    con.execute(
        f"DELETE FROM {kind} t USING (SELECT * FROM batch_rows_{kind} WHERE batch_id = ?) b WHERE {t_on}",
        [batch_id],
    )
    con.execute(
        f"INSERT INTO {kind} SELECT {cols(spec)}, {derived(spec)} FROM batch_prior_{kind} "
        "WHERE batch_id = ?",
        [batch_id],
    )
    con.execute("UPDATE batches SET rolled_back_at = ?, rolled_back_by = ?, rolled_back_role = ? "
                "WHERE batch_id = ?",
                [dt.datetime.now(), actor.user, actor.role, batch_id])
    return BatchResult(batch_id, kind, file_name, rows, inserted, updated)


# --- zone edits ---------------------------------------------------------------------------------
def confirmed_location(note: str = "", *, today: dt.date) -> dict[str, str]:
    """The location fields of a zone whose outline the bureau has just drawn: ``high``, with who/when.

    Parameters
    ----------
    note
        The editor's note (who, why), kept in the location note too.
    today
        The day of the edit (Asia/Shanghai).
    """
    extra = " ".join(str(note or "").split())[:200]
    key = "store.location_confirmed_note" if extra else "store.location_confirmed"
    zh = i18n.t(key, "zh", when=i18n.fmt_date(today, "zh"), note=extra)
    en = i18n.t(key, "en", when=today.isoformat(), note=extra)
    return {"location_confidence": "high", "location_note": f"{zh} / {en}"}


def zone_changes(
    zone_id: str,
    current: dict[str, Any],
    *,
    geometry: Any,
    name_zh: str | None,
    name_en: str | None,
    categories: Sequence[str] | None,
    note: str,
    district: Callable[[], Any],
) -> dict[str, Any]:
    """The fields an edit of the zone ``current`` changes (see :meth:`nightmap.store.core.Store.update_zone`).

    Parameters
    ----------
    zone_id
        The zone to change.
    current
        Its row as it is now (:func:`zone_row`).
    geometry, name_zh, name_en, categories, note
        The edit; ``None`` keeps a field.
    district
        Gives 解放区's boundary; called only for a geometry that could be read.

    Raises
    ------
    ValidationError
        Listing every problem, or saying that nothing would change.
    """
    problems: list[Problem] = []
    changes: dict[str, Any] = {}
    if geometry is not None:
        text, geo_problems = geometry_text(zone_id, geometry, district)
        problems += geo_problems
        if text is not None and text != current["geometry"]:
            changes["geometry"] = text
            changes.update(confirmed_location(note, today=config.today()))
    for field, value in (("name_zh", name_zh), ("name_en", name_en)):
        if value is None:
            continue
        clean = " ".join(str(value).split())
        if not clean:
            problems.append(Problem.of(zone_id, 0, field, "", "store.name_empty"))
        elif len(clean) > MAX_ZONE_NAME:
            problems.append(Problem.of(zone_id, 0, field, clean[:20] + "…", "store.name_too_long", limit=MAX_ZONE_NAME))
        elif clean != current[field]:
            changes[field] = clean
    if categories is not None:
        cats = [str(c) for c in categories]
        if not cats or any(c not in CATEGORIES for c in cats):
            problems.append(Problem.of(zone_id, 0, "categories", ", ".join(cats), "store.categories_bad"))
        else:
            ordered = [c for c in CATEGORIES if c in cats]
            if ordered != list(current["categories"]):
                changes["categories"] = ordered
    if problems:
        raise ValidationError(problems)
    if not changes:
        raise ValidationError([Problem.of(zone_id, 0, "", "", "store.nothing_changed")])
    return changes


def geometry_text(zone_id: str, geometry: Any, district: Callable[[], Any]) -> tuple[str | None, list[Problem]]:
    """The geometry as compact GeoJSON text, and its problems against 解放区 (``district()``)."""
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
        return None, [Problem.of(zone_id, 0, "geometry", "", "store.geometry_unreadable", exc=exc)]
    problems = geo.zone_problems(geom, district())
    if problems:
        out = []
        for text in problems:
            zh, _, en = text.partition("/ ")
            out.append(Problem(zone_id, 0, "geometry", "", zh.strip(), (en or zh).strip()))
        return None, out
    return json.dumps(mapping(geom), separators=(",", ":")), []


def zone_row(rows: Any, zone_id: str) -> dict[str, Any]:
    """The zone's row from ``rows`` (the result of selecting it from ``zones``), categories as a list.

    Raises
    ------
    StoreError
        If ``rows`` is empty: the zone does not exist.
    """
    if rows.empty:
        raise StoreError(i18n.both_text("store.zone_missing", zone_id=zone_id))
    row = rows.iloc[0].to_dict()
    row["categories"] = [str(c) for c in row["categories"]]
    return row


def restored_changes(version: Any) -> dict[str, Any]:
    """The fields that bring a zone back to ``version`` (a row of ``zone_versions``)."""
    changes = {f: version[f] for f in (*ZONE_FIELDS, "geometry") if f != "zone_id"}
    changes["categories"] = [str(c) for c in version["categories"]]
    return changes


def save_zone(con: duckdb.DuckDBPyConnection, zone_id: str, changes: dict[str, Any], *, note: str,
              restored_from: int | None, actor: Actor) -> int:
    """Keep the zone's current row as a new version, then apply ``changes``; return the version's id."""
    fields = [f for f in (*ZONE_FIELDS, "geometry") if f != "zone_id"]
    version_id = con.execute("SELECT coalesce(max(version_id), 0) + 1 FROM zone_versions").fetchone()[0]
    con.execute(
        f"INSERT INTO zone_versions (version_id, zone_id, {', '.join(q(f) for f in fields)}, "
        "changed_at, note, restored_from, actor, actor_role) "
        f"SELECT ?, zone_id, {', '.join(q(f) for f in fields)}, ?, ?, ?, ?, ? FROM zones WHERE zone_id = ?",
        [version_id, dt.datetime.now(), str(note or "")[:500], restored_from,
         actor.user, actor.role, zone_id],
    )
    sets = ", ".join(f"{q(f)} = ?" for f in changes)
    update_zones_in_order(con, f"UPDATE zones_keep SET {sets} WHERE zone_id = ?",
                          [*changes.values(), zone_id])
    return int(version_id)
