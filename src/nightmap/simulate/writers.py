"""Writers: stream the simulated months to CSV or Parquet files (:func:`run_simulation`).

:class:`_Sink` appends each month's footfall and sales block to
``footfall.{csv,parquet}`` and ``sales.{csv,parquet}`` with Arrow, so years of
hundreds of zones are written in bounded memory; CSV money is written from
integer cents with exactly two decimals. :func:`_write_events` writes the
events table and :func:`_write_zones` the zones (when synthetic zones were
added). The same seed and arguments give byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from nightmap.simulate.core import CATEGORIES, EVENT_COLUMNS
from nightmap.simulate.draw import _Block, _block_columns, _Simulator
from nightmap.simulate.profiles import _as_categories
from nightmap.simulate.synthetic import synthetic_zones

_FRAC = pa.array([f"{i:02d}" for i in range(100)])
_FOOT_SCHEMA = pa.schema([("zone_id", pa.string()), ("ts", pa.timestamp("us")), ("visitors", pa.int64())])
_SALES_SCHEMA = pa.schema([
    ("zone_id", pa.string()),
    ("ts", pa.timestamp("us")),
    ("category", pa.string()),
    ("spend_cny", pa.float64()),
    ("orders", pa.int64()),
])
_EVENT_SCHEMA = pa.schema([
    ("event_id", pa.string()),
    ("zone_id", pa.string()),
    ("start", pa.timestamp("us")),
    ("end", pa.timestamp("us")),
    ("category", pa.string()),
    ("kind", pa.string()),
    ("title_zh", pa.string()),
    ("title_en", pa.string()),
    ("expected_visitors", pa.int64()),
    ("simulated", pa.bool_()),
])


def _money_text(cents: np.ndarray) -> pa.Array:
    """Yuan with exactly two decimals (``1234.50``) from integer cents, vectorised in Arrow."""
    arr = pa.array(cents, type=pa.int64())
    whole = pc.cast(pa.array(cents // 100, type=pa.int64()), pa.string())
    frac = _FRAC.take(pa.array(cents % 100, type=pa.int64()))
    return pc.binary_join_element_wise(whole, frac, ".") if len(arr) else pa.array([], pa.string())


class _Sink:
    """Appends footfall and sales blocks to CSV files or Parquet files."""

    def __init__(self, out_dir: Path, fmt: str) -> None:
        self.fmt = fmt
        self.paths = {name: out_dir / f"{name}.{fmt}" for name in ("footfall", "sales")}
        if fmt == "csv":
            self._files = {n: pa.OSFile(str(p), "wb") for n, p in self.paths.items()}
            self._files["footfall"].write(b"zone_id,ts,visitors\n")
            self._files["sales"].write(b"zone_id,ts,category,spend_cny,orders\n")
            self._opts = pa_csv.WriteOptions(include_header=False, quoting_style="none", batch_size=1 << 16)
        else:
            self._writers = {
                "footfall": pq.ParquetWriter(str(self.paths["footfall"]), _FOOT_SCHEMA, compression="zstd"),
                "sales": pq.ParquetWriter(str(self.paths["sales"]), _SALES_SCHEMA, compression="zstd"),
            }

    def write(self, block: _Block, zone_ids: pa.Array) -> None:
        foot, sales = _block_columns(block, ())
        f_zone = zone_ids.take(pa.array(foot["zone"]))
        s_zone = zone_ids.take(pa.array(sales["zone"]))
        s_cat = pa.array(list(CATEGORIES)).take(pa.array(sales["cat"]))
        if self.fmt == "csv":
            ts_type = pa.timestamp("s")
            f_tab = pa.table({"zone_id": f_zone, "ts": pa.array(foot["ts"], ts_type), "visitors": foot["visitors"]})
            s_tab = pa.table({
                "zone_id": s_zone,
                "ts": pa.array(sales["ts"], ts_type),
                "category": s_cat,
                "spend_cny": _money_text(sales["cents"]),
                "orders": sales["orders"],
            })
            pa_csv.write_csv(f_tab, self._files["footfall"], write_options=self._opts)
            pa_csv.write_csv(s_tab, self._files["sales"], write_options=self._opts)
        else:
            us = pa.timestamp("us")
            f_tab = pa.table(
                [f_zone, pa.array(foot["ts"] * 1_000_000, us), pa.array(foot["visitors"], pa.int64())],
                schema=_FOOT_SCHEMA,
            )
            s_tab = pa.table(
                [s_zone, pa.array(sales["ts"] * 1_000_000, us), s_cat,
                 pa.array(sales["cents"] / 100.0, pa.float64()), pa.array(sales["orders"], pa.int64())],
                schema=_SALES_SCHEMA,
            )
            self._writers["footfall"].write_table(f_tab)
            self._writers["sales"].write_table(s_tab)

    def close(self) -> None:
        if self.fmt == "csv":
            for f in self._files.values():
                f.close()
        else:
            for w in self._writers.values():
                w.close()


def _write_events(events: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        data = {col: events[col].tolist() for col in EVENT_COLUMNS}
        for col in ("start", "end"):
            data[col] = [t.to_pydatetime() for t in events[col]]
        data["expected_visitors"] = [None if pd.isna(v) else int(v) for v in events["expected_visitors"]]
        pq.write_table(pa.table(data, schema=_EVENT_SCHEMA), str(path), compression="zstd")
        return
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(EVENT_COLUMNS)
    for row in events.itertuples(index=False):
        rec = row._asdict()
        writer.writerow([
            rec["event_id"],
            rec["zone_id"],
            f"{rec['start']:%Y-%m-%d %H:%M:%S}",
            f"{rec['end']:%Y-%m-%d %H:%M:%S}",
            rec["category"],
            rec["kind"],
            rec["title_zh"],
            rec["title_en"],
            "" if pd.isna(rec["expected_visitors"]) else str(int(rec["expected_visitors"])),
            "true" if rec["simulated"] else "false",
        ])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def _write_zones(zones: gpd.GeoDataFrame, path: Path) -> None:
    frame = zones.copy()
    if "categories" in frame.columns:
        frame["categories"] = [_as_categories(c) for c in frame["categories"]]
    text = frame.to_json(ensure_ascii=False, indent=1, drop_id=True)
    path.write_bytes((text + "\n").encode("utf-8"))


def run_simulation(
    *,
    out_dir: Path,
    seed: int,
    zones: gpd.GeoDataFrame,
    n_zones: int | None = None,
    start: dt.date,
    end: dt.date,
    fmt: str = "csv",
) -> list[Path]:
    """Simulate and write ``footfall``, ``sales`` and ``events`` files, one calendar month at a time.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder to write into (created if missing); existing files are replaced.
    seed : int
        Non-negative seed; the same seed and arguments give byte-identical files.
    zones : geopandas.GeoDataFrame
        The zones to simulate.
    n_zones : int, optional
        Total number of zones: more than ``len(zones)`` adds synthetic zones (see
        :func:`synthetic_zones`) and writes ``zones.geojson``; fewer keeps the first ``n_zones``.
    start, end : datetime.date
        First and last night (inclusive).
    fmt : {"csv", "parquet"}
        File format. CSV is UTF-8 without BOM, ``\\n`` line endings, money with two decimals.

    Returns
    -------
    list of pathlib.Path
        The files written: footfall, sales, events (and zones.geojson when synthetic zones were added).
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written_zones: Path | None = None
    if n_zones is not None and n_zones > len(zones):
        zones = synthetic_zones(n_zones, seed=seed, base=zones)
        written_zones = out_dir / "zones.geojson"
        _write_zones(zones, written_zones)
    elif n_zones is not None:
        zones = zones.iloc[: max(0, int(n_zones))]
    sim = _Simulator(zones, seed=seed, start=start, end=end)
    sink = _Sink(out_dir, fmt)
    zone_ids = pa.array(list(sim.zones.ids), pa.string())
    try:
        for block in sim.blocks():
            sink.write(block, zone_ids)
    finally:
        sink.close()
    events_path = out_dir / f"events.{fmt}"
    _write_events(sim.events, events_path, fmt)
    paths = [sink.paths["footfall"], sink.paths["sales"], events_path]
    if written_zones is not None:
        paths.append(written_zones)
    return paths
