"""Benchmark the overview page: server-side rerun time after a filter change, and the map HTML sent.

Runs ``app.py`` in Streamlit's AppTest on the bundled data (its own database
file), changes a filter (categories, nights, hours, metric — cycling) at least
20 times and times each rerun; then builds the default map and measures its
HTML. Targets: median rerun ≤ 150 ms, map HTML ≤ 300 KB.

Usage::

    python benchmarks/overview.py [--changes 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30, help="filter changes to time (at least 20)")
    args = parser.parse_args()
    os.environ.setdefault("NIGHTMAP_DB", str(Path(tempfile.mkdtemp()) / "bench_overview.duckdb"))
    os.chdir(ROOT)

    from streamlit.testing.v1 import AppTest

    import nightmap.map as nmap
    from nightmap import assets, geo, metrics
    from nightmap.filters import Filter
    from nightmap.store import Store

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    changes = [
        lambda a: a.sidebar.multiselect(key="nm_cats").set_value(["eat"]),
        lambda a: a.sidebar.multiselect(key="nm_cats").set_value(["eat", "shop", "play"]),
        lambda a: a.sidebar.date_input(key="nm_nights").set_value((dt.date(2022, 6, 17), dt.date(2022, 6, 20))),
        lambda a: a.sidebar.select_slider(key="nm_hours").set_value((18, 23)),
        lambda a: a.sidebar.radio(key="nm_metric").set_value("spend"),
        lambda a: a.sidebar.multiselect(key="nm_cats").set_value(["shop", "play"]),
        lambda a: a.sidebar.date_input(key="nm_nights").set_value((dt.date(2022, 6, 17), dt.date(2022, 6, 30))),
        lambda a: a.sidebar.select_slider(key="nm_hours").set_value((17, 2)),
        lambda a: a.sidebar.radio(key="nm_metric").set_value("uplift"),
        lambda a: a.sidebar.radio(key="nm_metric").set_value("visitors"),
    ]
    times = []
    for i in range(max(20, args.changes)):
        changes[i % len(changes)](at)
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
    cold = sorted(times[: len(changes)])  # first visit of each view: nothing cached yet
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]

    assets.use_local_assets()
    store = Store.open()
    summary = metrics.zone_summary(store, Filter())
    fmap = nmap.build_map(
        zones=geo.zones_from_table(store.zones()), districts=geo.load_districts(),
        values=metrics.metric_values(summary, "visitors"), metric="visitors",
        events=metrics.events_in(store, Filter()),
    )
    html_kb = len(fmap.get_root().render().encode("utf-8")) / 1024
    print(f"reruns timed: {len(times)} (after a warm-up run), cycling through {len(changes)} views; "
          f"min {times[0]:.0f} ms, max {times[-1]:.0f} ms")
    print(f"first visit of each view (queries and map not cached yet): p50 {statistics.median(cold):.0f} ms")
    print("targets: p50 <= 150 ms, map HTML <= 300 KB")
    print(f"RESULT rerun_ms_p50={p50:.0f} rerun_ms_p95={p95:.0f} map_html_kb={html_kb:.0f}")


if __name__ == "__main__":
    main()
