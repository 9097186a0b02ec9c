"""Synthetic zones for scale tests: 100 m squares placed ring by ring round Jiaozuo's centre.

:func:`synthetic_zones` adds as many made-up zones as asked to the real ones,
with seeded kinds and categories, marked by :data:`SYNTHETIC_NOTE` in their
``location_note`` and ``location_confidence = "none"``. Their numbers then come
from profiles drawn by kind (see :mod:`nightmap.simulate.profiles`).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from nightmap.simulate.core import _TAG_SYNTHETIC, _check_seed, _rng

SYNTHETIC_NOTE = "合成，用于规模测试 / synthetic, for scale tests"


def synthetic_zones(n_total: int, *, seed: int, base: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``base`` plus ``n_total - len(base)`` synthetic zones for scale tests.

    Synthetic zones are 100 m squares on a 250 m grid filled ring by ring outward
    from Jiaozuo's centre (≈ 113.24 E, 35.22 N), skipping cells that touch a base
    zone, so hundreds fit without overlapping.

    Parameters
    ----------
    n_total : int
        Number of zones wanted in total; if not above ``len(base)``, ``base`` is returned unchanged.
    seed : int
        Seed for kinds, categories and the small jitter of positions.
    base : geopandas.GeoDataFrame
        The real zones (columns zone_id, name_zh, name_en, kind, categories,
        address_zh, location_note, location_confidence, geometry).

    Returns
    -------
    geopandas.GeoDataFrame
        Same columns as ``base``, EPSG:4326, ids ``syn_0001`` … after the base rows.
    """
    seed = _check_seed(seed)
    base = base.to_crs(4326) if base.crs is not None and base.crs.to_epsg() != 4326 else base
    n_new = int(n_total) - len(base)
    if n_new <= 0:
        return base.copy()
    rng = _rng(seed, _TAG_SYNTHETIC)
    lon0, lat0 = 113.24, 35.22
    m_lat = 1.0 / 111_320.0
    m_lon = 1.0 / (111_320.0 * np.cos(np.radians(lat0)))
    step, half, jitter = 250.0, 50.0, 50.0
    taken = base.geometry.union_all().buffer(60 * m_lat) if len(base) else None
    radius = int(np.ceil(np.sqrt((n_new + len(base) * 4) / np.pi))) + 2
    while True:
        gx, gy = np.meshgrid(np.arange(-radius, radius + 1), np.arange(-radius, radius + 1))
        gx, gy = gx.ravel(), gy.ravel()
        order = np.lexsort((np.arctan2(gy, gx), np.hypot(gx, gy)))
        gx, gy = gx[order], gy[order]
        jx = rng.uniform(-jitter, jitter, size=gx.size)
        jy = rng.uniform(-jitter, jitter, size=gx.size)
        rows: list[dict[str, Any]] = []
        for x, y, dx, dy in zip(gx, gy, jx, jy, strict=True):
            cx = lon0 + (x * step + dx) * m_lon
            cy = lat0 + (y * step + dy) * m_lat
            cell = box(cx - half * m_lon, cy - half * m_lat, cx + half * m_lon, cy + half * m_lat)
            if taken is not None and cell.intersects(taken):
                continue
            rows.append({"geometry": cell})
            if len(rows) == n_new:
                break
        if len(rows) == n_new:
            break
        radius *= 2
    kinds = rng.choice(["street", "complex"], size=n_new, p=[0.7, 0.3])
    width = max(4, len(str(n_new)))
    for i, (row, kind) in enumerate(zip(rows, kinds, strict=True), start=1):
        if kind == "complex":
            first = "shop" if rng.random() < 0.8 else "eat"
        else:
            first = str(rng.choice(["eat", "shop", "play"], p=[0.55, 0.25, 0.2]))
        cats = [first] + [c for c in ("eat", "shop", "play") if c != first and rng.random() < 0.45]
        num = f"{i:0{width}d}"
        row.update({
            "zone_id": f"syn_{num}",
            "name_zh": f"合成片区{num}",
            "name_en": f"Synthetic zone {num}",
            "kind": str(kind),
            "categories": cats,
            "address_zh": "合成地址（规模测试）",
            "location_note": SYNTHETIC_NOTE,
            "location_confidence": "none",
        })
    columns = [c for c in base.columns if c != base.geometry.name]
    extra = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    for col in columns:
        if col not in extra.columns:
            extra[col] = None
    extra = extra[[*columns, "geometry"]]
    if base.geometry.name != "geometry":
        extra = extra.rename_geometry(base.geometry.name)
    out = pd.concat([base, extra], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry=base.geometry.name, crs=4326)
