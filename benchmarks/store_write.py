"""Benchmark the store's shared use: the cost of a write (copy, commit, publish) and reads during writes.

Builds a store from simulated data of ``--zones`` zones over ``--nights`` nights
(CSV written by :func:`nightmap.simulate.run_simulation`, seed 2022), then
ingests ``--writes`` batches of one night of footfall each while a second
process queries the store in a loop. Prints the store size, each write's
duration (median and max) and the reader's query latency (median, p95, max)
with the number of queries that failed (must be 0).

Usage::

    python benchmarks/store_write.py                 # the district: 13 zones, June 2022
    python benchmarks/store_write.py --zones 500 --nights 365
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

READER = """
    import json, sys, time
    from pathlib import Path
    from nightmap.store import Store
    store = Store.open(Path(sys.argv[1]), data_dir=Path(sys.argv[2]))
    stop = time.monotonic() + float(sys.argv[3])
    times, errors, snapshots = [], 0, set()
    while time.monotonic() < stop:
        t = time.perf_counter()
        try:
            store.scalar("SELECT sum(visitors) FROM footfall")
            snapshots.add(store.snapshot_id())
        except Exception:
            errors += 1
        times.append(time.perf_counter() - t)
    print(json.dumps({"times": times, "errors": errors, "snapshots": len(snapshots)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=13)
    parser.add_argument("--nights", type=int, default=28, help="nights of data in the store")
    parser.add_argument("--writes", type=int, default=10)
    args = parser.parse_args()

    from nightmap import geo
    from nightmap.auth import local_actor
    from nightmap.ingest import parse_file
    from nightmap.simulate import run_simulation
    from nightmap.store import Store

    work = Path(tempfile.mkdtemp(prefix="nm_write_"))
    data = work / "data"
    data.mkdir()
    start = dt.date(2022, 6, 3)
    end = start + dt.timedelta(days=args.nights - 1)
    zones = geo.load_zones(ROOT / "data" / "zones.geojson")
    written = run_simulation(out_dir=data, seed=2022, zones=zones, n_zones=args.zones, start=start, end=end,
                             fmt="csv")
    if (data / "zones.geojson") not in written:  # synthetic zones come with their own zones file
        (data / "zones.geojson").write_text((ROOT / "data" / "zones.geojson").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    (data / "source.json").write_text(json.dumps({"simulated": True}), encoding="utf-8")
    db = work / "store.duckdb"
    t = time.perf_counter()
    store = Store.open(db, data_dir=data)
    build_s = time.perf_counter() - t
    zone_ids = store.zone_ids()
    size_mb = db.stat().st_size / 1e6

    batches = []
    for i in range(args.writes):
        night = end + dt.timedelta(days=1 + i)
        rows = "zone_id,ts,visitors\n" + "".join(
            f"{z},{night.isoformat()} {h:02d}:00,{100 + h}\n" for z in zone_ids for h in range(18, 24)
        )
        batches.append(parse_file(rows.encode(), file_name=f"night_{i}.csv", kind="footfall", known_zones=zone_ids))

    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(READER), str(db), str(data), str(max(5.0, args.writes * 1.5))],
        stdout=subprocess.PIPE, text=True,
    )
    time.sleep(1.0)
    writes = []
    for parsed in batches:
        t = time.perf_counter()
        store.ingest(parsed, actor=local_actor())
        writes.append(time.perf_counter() - t)
    out = json.loads(reader.communicate(timeout=600)[0])
    reads = sorted(out["times"])
    store.close()

    def ms(x: float) -> str:
        return f"{x * 1000:.1f} ms"

    print(f"store: {args.zones} zones × {args.nights} nights, {size_mb:.1f} MB, built in {build_s:.1f} s")
    print(f"writes ({len(writes)} batches of {len(zone_ids) * 6} rows): median {ms(statistics.median(writes))}, "
          f"max {ms(max(writes))}")
    print(f"reader during writes: {len(reads)} queries, median {ms(statistics.median(reads))}, "
          f"p95 {ms(reads[int(len(reads) * 0.95)])}, max {ms(reads[-1])}, failed {out['errors']}, "
          f"snapshots seen {out['snapshots']}")


if __name__ == "__main__":
    main()
