"""Benchmark what the overview map sends to the browser for many zones, and how long a pan takes to build.

Builds 500 zones (the 13 real ones and 487 synthetic, as in ``benchmarks/scale.py``)
with seeded values and events, and measures the bytes Streamlit-folium sends
(map script, HTML and header, plus the layer of zones in view):

* ``all``: every zone drawn on one map (``nightmap.map.build_map``, lean mode);
* ``city``: the base map and the layer for the whole city in view (dots);
* ``zoomed``: the base map and the layer for a street-level view (outlines, names, events);
* ``pan``: only the new layer after a pan at street level (the base map stays).

and the time to build and serialise a street-level layer (median of 30 pans).
Target: a street-level view sends at most a quarter of the all-zones map, and a
pan's layer builds in ≤ 100 ms. Ends with one ``RESULT`` line.

Usage::

    python benchmarks/map_payload.py [--zones 500]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=500)
    args = parser.parse_args()

    # what st_folium sends: the same private helpers it calls (benchmark only)
    from streamlit_folium import _get_feature_group_string, _get_header, _get_html, _get_map_string

    import nightmap.map as nmap
    from nightmap import assets, geo
    from nightmap.simulate import synthetic_zones

    assets.use_local_assets()
    zones = synthetic_zones(args.zones, seed=2022, base=geo.load_zones())
    districts = geo.load_districts()
    rng = np.random.default_rng(2022)
    n = len(zones)
    values = pd.DataFrame({"zone_id": zones["zone_id"], "value": rng.uniform(500, 80_000, n),
                           "baseline": rng.uniform(500, 80_000, n), "uplift_pct": rng.uniform(-40, 80, n)})
    events = pd.DataFrame([
        {"event_id": f"E{i}", "zone_id": z, "start": pd.Timestamp("2022-06-17 19:30"),
         "end": pd.Timestamp("2022-06-17 21:00"), "category": ("eat", "shop", "play")[i % 3], "kind": "market",
         "title_zh": "美食市集", "title_en": "Food market"}
        for i, z in enumerate(zones["zone_id"].sample(frac=0.4, random_state=1))
    ])
    common = {"zones": zones, "values": values, "metric": "visitors", "events": events}

    def sent_map(fmap) -> int:
        fmap.render()
        parts = (_get_html(fmap), _get_header(fmap), _get_map_string(fmap))
        return sum(len(p.encode()) for p in parts)

    def sent_layer(fmap, layer) -> int:
        return len(_get_feature_group_string(layer, map=fmap).encode())

    everything = sent_map(nmap.build_map(districts=districts, **common))
    base = nmap.build_base_map(districts=districts, **common)
    base_bytes = sent_map(base)
    city = base_bytes + sent_layer(base, nmap.zones_layer(**common))

    centres = zones.geometry.representative_point()
    span = 0.006  # about 600 m × 700 m: a street-level view of 1140 × 640 px at zoom 16
    pans, pan_bytes = [], []
    for _ in range(30):
        p = centres.iloc[int(rng.integers(0, n))]
        box = nmap.view_box({"_southWest": {"lat": p.y - span / 2, "lng": p.x - span / 2},
                             "_northEast": {"lat": p.y + span / 2, "lng": p.x + span / 2}})
        t0 = time.perf_counter()
        layer = nmap.zones_layer(**common, box=box)
        size = sent_layer(base, layer)
        pans.append((time.perf_counter() - t0) * 1000)
        pan_bytes.append(size)
    zoomed = base_bytes + int(statistics.median(pan_bytes))
    print(f"zones={n} all_kb={everything / 1024:.0f} base_kb={base_bytes / 1024:.0f} city_kb={city / 1024:.0f} "
          f"zoomed_kb={zoomed / 1024:.0f}")
    print(f"pan layer: p50 {statistics.median(pan_bytes) / 1024:.1f} KB, build p50 {statistics.median(pans):.0f} ms, "
          f"max {max(pans):.0f} ms")
    ok = zoomed <= everything / 4 and statistics.median(pans) <= 100
    print(f"RESULT zones={n} all_kb={everything / 1024:.0f} city_kb={city / 1024:.0f} zoomed_kb={zoomed / 1024:.0f} "
          f"pan_kb={statistics.median(pan_bytes) / 1024:.1f} pan_build_ms={statistics.median(pans):.0f} "
          f"{'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
