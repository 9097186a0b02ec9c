"""Scale benchmark: the overview's queries on a province-sized store, DuckDB vs a pandas baseline.

Usage::

    python benchmarks/scale.py                      # 500 zones × 3 years (about 13 M footfall, 39 M sales rows)
    python benchmarks/scale.py --zones 50 --years 0.5   # a quick run

Steps:

1. Generate the data with ``nightmap simulate --format parquet`` into
   ``benchmarks/.cache/z<zones>_y<years>_s<seed>/data`` (reused when present).
2. Build the DuckDB store from it (``Store.open(db, data_dir=...)``), in its own process.
3. Draw a fixed, seeded list of 30 realistic filter changes: night ranges from one
   night to a year, hour windows (some wrapping past midnight), category and zone subsets.
4. Run each side in its own process (``--worker duckdb`` / ``--worker pandas``): for every
   filter, the overview's queries as the page issues them — ``zone_summary``,
   ``nightly_by_zone``, ``events_in``, ``data_range`` — timed together; the pandas side
   first loads the data into memory (timed separately). Each worker reports its peak RSS
   (``getrusage(RUSAGE_SELF).ru_maxrss``) and writes its answers to disk.
5. Check the two sides' answers equal, print per-side figures and one final line::

       RESULT rows=... p50_ms=... p95_ms=... pandas_p50_ms=... speedup=... peak_rss_mb=... pandas_peak_rss_mb=...

Targets on the 2-core reference machine: p50 ≤ 300 ms, p95 ≤ 1 s, DuckDB ≥ 5× faster than
pandas at p50, peak memory of the app's query path ≤ 2 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
N_FILTERS = 30
HOUR_WINDOWS: tuple[tuple[int, int], ...] = (
    (17, 2), (17, 2), (18, 22), (19, 1), (20, 0), (21, 3), (22, 4), (6, 6), (12, 18), (17, 24), (18, 5),
)
"""Hour windows an official would pick; most wrap past midnight."""
NIGHT_SPANS: tuple[int, ...] = (1, 1, 2, 3, 7, 7, 7, 14, 14, 14, 28, 30, 31, 61, 92, 183, 365)
"""Lengths of night ranges, in nights: mostly days to a month, some a quarter to a year."""
CATEGORY_SETS: tuple[tuple[str, ...], ...] = (
    ("eat", "shop", "play"), ("eat", "shop", "play"), ("eat", "shop", "play"),
    ("eat",), ("shop",), ("play",), ("eat", "shop"), ("eat", "play"),
)
TARGETS = {"p50_ms": 300.0, "p95_ms": 1000.0, "speedup": 5.0, "peak_rss_mb": 2048.0}


# --------------------------------------------------------------------------- data


def span(years: float) -> tuple[dt.date, dt.date]:
    """First and last night of ``years`` years of data, always covering May–June 2022 (baseline and campaign).

    Whole years run from 1 January (3 years: 2021-01-01 … 2023-12-31); shorter runs end
    on 30 June 2022 or start on 1 May 2022.
    """
    if years >= 1 and float(years).is_integer():
        start = dt.date(2022 - (int(years) - 1) // 2, 1, 1)
        return start, dt.date(start.year + int(years), 1, 1) - dt.timedelta(days=1)
    days = max(1, round(365.25 * years))
    start = min(dt.date(2022, 5, 1), dt.date(2022, 6, 30) - dt.timedelta(days=days - 1))
    return start, start + dt.timedelta(days=days - 1)


def ensure_data(*, zones: int, years: float, seed: int) -> Path:
    """Generate (once) the Parquet data folder for ``zones`` × ``years``; return its path."""
    folder = CACHE / f"z{zones}_y{years:g}_s{seed}"
    data = folder / "data"
    done = folder / "generated.json"
    if done.exists():
        return data
    start, end = span(years)
    print(f"generating {zones} zones, nights {start} … {end} into {data} …", flush=True)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "nightmap.cli", "--data-dir", str(ROOT / "data"), "simulate", "--seed", str(seed),
         "--zones", str(zones), "--start", start.isoformat(), "--end", end.isoformat(), "--format", "parquet",
         "--out", str(data)],
        check=True, stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - t0
    done.write_text(json.dumps({"zones": zones, "start": start.isoformat(), "end": end.isoformat(), "seed": seed,
                                "seconds": round(elapsed, 1)}) + "\n")
    print(f"generated in {elapsed:.0f} s", flush=True)
    return data


def ensure_store(data: Path) -> Path:
    """Build (once, in a child process) the DuckDB store of ``data``; return the database path."""
    db = data.parent / "store.duckdb"
    t0 = time.perf_counter()
    code = (
        "import sys; from pathlib import Path; from nightmap.store import Store; "
        "s = Store.open(Path(sys.argv[1]), data_dir=Path(sys.argv[2])); s.close()"
    )
    subprocess.run([sys.executable, "-c", code, str(db), str(data)], check=True)
    elapsed = time.perf_counter() - t0
    if elapsed > 5:
        print(f"store built in {elapsed:.0f} s ({db.stat().st_size / 2**20:.0f} MiB)", flush=True)
    return db


# --------------------------------------------------------------------------- filters


def make_filters(
    *, zone_ids: list[str], first: dt.date, last: dt.date, seed: int, n: int = N_FILTERS
) -> list[dict[str, Any]]:
    """A fixed, seeded list of ``n`` filter changes as plain dicts (``start, end, hours, categories, zones``)."""
    rng = random.Random(seed)
    total = (last - first).days + 1
    out: list[dict[str, Any]] = []
    for i in range(n):
        nights = min(rng.choice(NIGHT_SPANS), total)
        if i % 3 == 0:  # around the 2022 campaign, where most questions are
            anchor = dt.date(2022, 6, 17)
            start = max(first, min(anchor - dt.timedelta(days=rng.randrange(0, max(1, nights))),
                                   last - dt.timedelta(days=nights - 1)))
        else:
            start = first + dt.timedelta(days=rng.randrange(0, total - nights + 1))
        zones: list[str] = []
        if rng.random() < 0.3:
            zones = sorted(rng.sample(zone_ids, rng.choice((1, 3, 10, 40, min(150, len(zone_ids))))))
        out.append({
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=nights - 1)).isoformat(),
            "hours": list(rng.choice(HOUR_WINDOWS)),
            "categories": list(rng.choice(CATEGORY_SETS)),
            "zones": zones,
        })
    return out


def to_filter(spec: dict[str, Any]):  # noqa: ANN201 - nightmap.filters.Filter, imported in workers only
    """The :class:`~nightmap.filters.Filter` of a filter dict."""
    from nightmap.filters import Filter

    return Filter(dt.date.fromisoformat(spec["start"]), dt.date.fromisoformat(spec["end"]),
                  tuple(spec["hours"]), tuple(spec["categories"]), tuple(spec["zones"]))


# --------------------------------------------------------------------------- workers


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _events_key(frame: pd.DataFrame) -> list[str]:
    return [str(x) for x in frame["event_id"]]


def worker(side: str, *, db: Path, data: Path, filters_path: Path, out_path: Path) -> None:
    """Run the filters on one side and write timings, answers and peak RSS to ``out_path`` (pickle)."""
    specs = json.loads(filters_path.read_text())
    t0 = time.perf_counter()
    if side == "duckdb":
        from nightmap import metrics
        from nightmap.store import Store

        store = Store.open(db, data_dir=data)

        def answers(flt):  # noqa: ANN001, ANN202
            nights = metrics.zone_nights(store, flt)  # once per filter, as the page's cache does
            return (metrics.zone_summary(store, flt, nights=nights), metrics.nightly_by_zone(store, flt, nights=nights),
                    metrics.events_in(store, flt), metrics.data_range(store))
    else:
        import pandas_baseline as pb  # benchmarks/pandas_baseline.py, beside this script

        tables = pb.load(data)

        def answers(flt):  # noqa: ANN001, ANN202
            nights = pb.zone_nights(tables, flt)
            return (pb.zone_summary(tables, flt, nights=nights), pb.nightly_by_zone(tables, flt, nights=nights),
                    pb.events_in(tables, flt), pb.data_range(tables))
    load_s = time.perf_counter() - t0
    from nightmap.filters import Filter

    answers(Filter())  # warm-up: the page's first load, not one of the measured changes
    wall, cpu, results = [], [], []
    for spec in specs:
        flt = to_filter(spec)
        c0, w0 = time.process_time(), time.perf_counter()
        summary, by_night, events, rng = answers(flt)
        wall.append((time.perf_counter() - w0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
        results.append({"summary": summary, "by_night": by_night, "events": _events_key(events), "range": rng})
    payload = {"side": side, "load_s": load_s, "wall_ms": wall, "cpu_ms": cpu, "peak_rss_mb": _peak_rss_mb(),
               "results": results}
    out_path.write_bytes(pickle.dumps(payload))


def run_worker(side: str, *, db: Path, data: Path, filters_path: Path, workdir: Path) -> dict[str, Any]:
    """Run one side in a fresh process and read back what it wrote."""
    out = workdir / f"answers_{side}.pkl"
    out.unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", side, "--db", str(db), "--data", str(data),
         "--filters", str(filters_path), "--answers", str(out)],
        check=True,
    )
    return pickle.loads(out.read_bytes())


# --------------------------------------------------------------------------- checking and reporting


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> str | None:
    """``None`` when ``b``'s columns of ``a`` equal ``b`` (floats to 1e-9 relative), else what differs."""
    if len(a) != len(b):
        return f"{len(a)} rows vs {len(b)}"
    for col in b.columns:
        x, y = a[col].reset_index(drop=True), b[col].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            xv, yv = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
            if not np.allclose(xv, yv, rtol=1e-9, atol=1e-6, equal_nan=True):
                return f"column {col} differs"
        elif list(x) != list(y):
            return f"column {col} differs"
    return None


def compare(duck: dict[str, Any], pand: dict[str, Any]) -> list[str]:
    """Differences between the two sides' answers, one line per filter that differs."""
    problems = []
    for i, (d, p) in enumerate(zip(duck["results"], pand["results"], strict=True)):
        for key in ("summary", "by_night"):
            diff = _same_frame(d[key], p[key])
            if diff:
                problems.append(f"filter {i}: {key}: {diff}")
        if d["events"] != p["events"]:
            problems.append(f"filter {i}: events differ")
        if d["range"] != p["range"]:
            problems.append(f"filter {i}: data range differs")
    return problems


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def describe(side: dict[str, Any]) -> str:
    """One line of figures for a side."""
    w, c = side["wall_ms"], side["cpu_ms"]
    return (f"{side['side']:>6}: load {side['load_s']:.1f} s | wall p50 {_pct(w, 50):.0f} ms, p95 {_pct(w, 95):.0f} ms, "
            f"max {max(w):.0f} ms | cpu p50 {_pct(c, 50):.0f} ms, p95 {_pct(c, 95):.0f} ms | "
            f"peak RSS {side['peak_rss_mb']:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark (or one worker)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zones", type=int, default=500, help="total zones (default 500)")
    ap.add_argument("--years", type=float, default=3.0, help="years of hourly data (default 3)")
    ap.add_argument("--seed", type=int, default=2022, help="seed of the data and of the filter list")
    ap.add_argument("--worker", choices=("duckdb", "pandas"), help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--filters", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--answers", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, db=args.db, data=args.data, filters_path=args.filters, out_path=args.answers)
        return 0

    data = ensure_data(zones=args.zones, years=args.years, seed=args.seed)
    db = ensure_store(data)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("footfall", "sales", "events")}
        first, last = con.execute("SELECT min(night), max(night) FROM footfall").fetchone()
        zone_ids = [r[0] for r in con.execute("SELECT zone_id FROM zones ORDER BY zone_id").fetchall()]
    specs = make_filters(zone_ids=zone_ids, first=first, last=last, seed=args.seed)
    workdir = data.parent
    filters_path = workdir / "filters.json"
    filters_path.write_text(json.dumps(specs, indent=1) + "\n")
    print(f"store: {len(zone_ids)} zones, nights {first} … {last}, "
          + ", ".join(f"{k} {v:,}" for k, v in rows.items()), flush=True)
    print(f"{len(specs)} filters (seed {args.seed}): spans "
          + ", ".join(str((dt.date.fromisoformat(s['end']) - dt.date.fromisoformat(s['start'])).days + 1)
                      for s in specs), flush=True)
    load_before = os.getloadavg()
    duck = run_worker("duckdb", db=db, data=data, filters_path=filters_path, workdir=workdir)
    print(describe(duck), flush=True)
    pand = run_worker("pandas", db=db, data=data, filters_path=filters_path, workdir=workdir)
    print(describe(pand), flush=True)
    load_after = os.getloadavg()
    problems = compare(duck, pand)
    print(f"answers equal: {len(specs) - len({p.split(':')[0] for p in problems})}/{len(specs)} filters", flush=True)
    for p in problems[:20]:
        print("  DIFF", p)
    print(f"load average (1 min) before/after: {load_before[0]:.2f} / {load_after[0]:.2f} on {os.cpu_count()} CPUs")
    p50, p95 = _pct(duck["wall_ms"], 50), _pct(duck["wall_ms"], 95)
    pandas_p50 = _pct(pand["wall_ms"], 50)
    speedup = pandas_p50 / p50 if p50 > 0 else float("inf")
    figures = {"p50_ms": p50, "p95_ms": p95, "speedup": speedup, "peak_rss_mb": duck["peak_rss_mb"]}
    misses = [k for k, v in figures.items() if (v < TARGETS[k] if k == "speedup" else v > TARGETS[k])]
    print("targets: " + ("all met" if not misses else "missed " + ", ".join(misses)))
    print(f"RESULT rows={rows['footfall'] + rows['sales']} p50_ms={p50:.0f} p95_ms={p95:.0f} "
          f"pandas_p50_ms={pandas_p50:.0f} speedup={speedup:.1f} peak_rss_mb={duck['peak_rss_mb']:.0f} "
          f"pandas_peak_rss_mb={pand['peak_rss_mb']:.0f}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
