"""The download plan: zoom and bbox checks, slippy-map tile ranges and the size of a fetch.

Tile indices are standard web-mercator XYZ indices *of the provider*: for AMap
the WGS-84 area is converted to GCJ-02 first, because AMap draws its tiles in
GCJ-02 (:func:`tile_range`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from nightmap.tiles.errors import TilesArgumentError
from nightmap.tiles.providers import _provider

ZOOM_LIMITS = (0, 19)
"""Smallest and largest zoom a pack may hold."""

MAX_PLAN_TILES = 100_000
"""A single fetch asks for at most this many tiles (about 1.2 GB of AMap tiles)."""

BBOX_PAD_DEG = 0.01
"""Degrees added around the districts' extent by :func:`default_bbox` (about 1 km)."""

_MAX_LAT = 85.05112878


@dataclass(frozen=True)
class Plan:
    """What a fetch would download.

    Attributes
    ----------
    basemap, datum
        The provider and the datum its tiles are drawn in.
    bbox
        ``(west, south, east, north)`` in WGS-84.
    min_zoom, max_zoom
        Zoom range, inclusive.
    ranges
        ``zoom -> (x0, y0, x1, y1)`` inclusive tile indices.
    per_zoom
        ``zoom -> number of tiles``.
    total
        Number of tiles.
    avg_tile_bytes
        Average tile size the estimate uses (:attr:`Provider.avg_tile_bytes`).
    est_bytes
        ``total * avg_tile_bytes``.
    """

    basemap: str
    datum: str
    bbox: tuple[float, float, float, float]
    min_zoom: int
    max_zoom: int
    ranges: Mapping[int, tuple[int, int, int, int]]
    per_zoom: Mapping[int, int]
    total: int
    avg_tile_bytes: int
    est_bytes: int

    def tiles(self) -> Iterator[tuple[int, int, int]]:
        """Every ``(z, x, y)`` of the plan, zoom by zoom, column by column."""
        for z in range(self.min_zoom, self.max_zoom + 1):
            x0, y0, x1, y1 = self.ranges[z]
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    yield z, x, y


# --------------------------------------------------------------------------- checks and parsing


def check_zooms(zooms: Sequence[int]) -> tuple[int, int]:
    """Validate a ``(min_zoom, max_zoom)`` pair.

    Raises
    ------
    TilesArgumentError
        Unless both are integers with ``0 <= min <= max <= 19``.
    """
    lo_lim, hi_lim = ZOOM_LIMITS
    try:
        lo, hi = zooms
    except (TypeError, ValueError):
        lo = hi = None
    ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi))
    if not ok or not (lo_lim <= lo <= hi <= hi_lim):  # type: ignore[operator]
        raise TilesArgumentError(
            f"缩放级别范围无效：{zooms!r}（须为 {lo_lim}–{hi_lim} 的整数且最小 ≤ 最大）"
            f" / bad zoom range {zooms!r}: integers {lo_lim}–{hi_lim} with min <= max"
        )
    return lo, hi  # type: ignore[return-value]


def check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """Validate a WGS-84 ``(west, south, east, north)`` box.

    Raises
    ------
    TilesArgumentError
        Unless it is four finite numbers with west < east, south < north,
        longitudes in −180…180 and latitudes in −90…90 (tiles stop at web mercator's ±85.05°).
    """
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        west = south = east = north = math.nan
    good = (
        all(math.isfinite(v) for v in (west, south, east, north))
        and -180.0 <= west < east <= 180.0
        and -90.0 <= south < north <= 90.0
    )
    if not good:
        raise TilesArgumentError(
            f"范围无效：{bbox!r}（须为 西,南,东,北 的 WGS-84 经纬度，西<东，南<北）"
            f" / bad bbox {bbox!r}: WGS-84 west,south,east,north with west < east and south < north"
        )
    return west, south, east, north


def parse_zooms(text: str) -> tuple[int, int]:
    """Parse ``"12-17"`` or ``"15"`` into a checked ``(min, max)`` zoom pair."""
    parts = [p.strip() for p in str(text).split("-")]
    try:
        values = [int(p) for p in parts]
    except ValueError:
        values = []
    if len(values) == 1:
        values *= 2
    if len(values) != 2:
        raise TilesArgumentError(
            f"缩放级别写法无效：“{text}”（例：12-17 或 15） / bad zoom '{text}' (e.g. 12-17 or 15)"
        )
    return check_zooms(tuple(values))


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``"W,S,E,N"`` (WGS-84 degrees) into a checked bbox."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4:
        raise TilesArgumentError(
            f"范围写法无效：“{text}”（例：113.15,35.15,113.30,35.32） / bad bbox '{text}' "
            "(e.g. 113.15,35.15,113.30,35.32)"
        )
    return check_bbox(values)


def check_url(template: str, basemap: str) -> str:
    """Validate a tile URL template for ``basemap`` (``{z}``, ``{x}``, ``{y}``; ``{s}`` only with subdomains)."""
    provider = _provider(basemap)
    ok = isinstance(template, str) and template.startswith(("http://", "https://"))
    ok = ok and all(k in template for k in ("{z}", "{x}", "{y}"))
    ok = ok and ("{s}" not in template or bool(provider.subdomains))
    if not ok:
        raise TilesArgumentError(
            f"瓦片地址模板无效：“{template}”（须以 http(s):// 开头并含 {{z}} {{x}} {{y}}）"
            f" / bad tile URL template '{template}': http(s):// with {{z}}, {{x}} and {{y}}"
            + ("" if provider.subdomains else " ({s} is not available for this basemap)")
        )
    return template


# --------------------------------------------------------------------------- tile maths


def default_bbox() -> tuple[float, float, float, float]:
    """The WGS-84 extent of 解放区 and its neighbours, padded by :data:`BBOX_PAD_DEG`.

    Read from ``districts.geojson`` (WGS-84) with :func:`nightmap.geo.load_districts`.

    Returns
    -------
    tuple of float
        ``(west, south, east, north)``, rounded outwards to 4 decimals.
    """
    from nightmap.geo import load_districts

    west, south, east, north = (float(v) for v in load_districts().total_bounds)
    p = BBOX_PAD_DEG
    return (
        math.floor((west - p) * 1e4) / 1e4,
        math.floor((south - p) * 1e4) / 1e4,
        math.ceil((east + p) * 1e4) / 1e4,
        math.ceil((north + p) * 1e4) / 1e4,
    )


def _tile_xy(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """Fractional web-mercator tile coordinates of a point."""
    n = 2**zoom
    lat = max(min(lat, _MAX_LAT), -_MAX_LAT)
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_range(bbox: Sequence[float], zoom: int, *, datum: str) -> tuple[int, int, int, int]:
    """Slippy-map tile indices covering a WGS-84 box at one zoom.

    Parameters
    ----------
    bbox
        ``(west, south, east, north)`` in WGS-84.
    zoom
        Zoom level, 0–19.
    datum
        The datum the provider draws tiles in: ``"WGS-84"``, or ``"GCJ-02"``
        (AMap), in which case the box's corners are first converted with
        :func:`nightmap.geo.wgs84_to_gcj02`.

    Returns
    -------
    tuple of int
        ``(x0, y0, x1, y1)``, inclusive; ``y0`` is the northern row.

    Raises
    ------
    TilesArgumentError
        For a bad box, zoom or datum.
    """
    west, south, east, north = check_bbox(bbox)
    check_zooms((zoom, zoom))
    if datum == "GCJ-02":
        from nightmap.geo import wgs84_to_gcj02

        lons, lats = wgs84_to_gcj02([west, east, west, east], [south, south, north, north])
        west, east = float(min(lons)), float(max(lons))
        south, north = float(min(lats)), float(max(lats))
    elif datum != "WGS-84":
        raise TilesArgumentError(f"未知坐标系 “{datum}” / unknown datum '{datum}' (GCJ-02 or WGS-84)")
    n = 2**zoom
    fx0, fy0 = _tile_xy(west, north, zoom)
    fx1, fy1 = _tile_xy(east, south, zoom)

    def clamp(v: float) -> int:
        return min(max(int(math.floor(v)), 0), n - 1)

    return clamp(fx0), clamp(fy0), clamp(fx1), clamp(fy1)


def plan(bbox: Sequence[float] | None, zooms: Sequence[int], *, basemap: str) -> Plan:
    """Count the tiles a fetch of ``bbox`` over ``zooms`` would download, and estimate the size.

    Parameters
    ----------
    bbox
        WGS-84 ``(west, south, east, north)``; ``None`` for :func:`default_bbox`.
    zooms
        ``(min_zoom, max_zoom)``, inclusive.
    basemap
        ``"amap"`` or ``"osm"``.

    Returns
    -------
    Plan
        Tiles per zoom, total and an estimate of ``total`` × the provider's
        average tile size (12 KB AMap, 20 KB OSM).
    """
    provider = _provider(basemap)
    box = check_bbox(default_bbox() if bbox is None else bbox)
    lo, hi = check_zooms(zooms)
    ranges = {z: tile_range(box, z, datum=provider.datum) for z in range(lo, hi + 1)}
    per_zoom = {z: (x1 - x0 + 1) * (y1 - y0 + 1) for z, (x0, y0, x1, y1) in ranges.items()}
    total = sum(per_zoom.values())
    return Plan(
        basemap=basemap, datum=provider.datum, bbox=box, min_zoom=lo, max_zoom=hi, ranges=ranges,
        per_zoom=per_zoom, total=total, avg_tile_bytes=provider.avg_tile_bytes,
        est_bytes=total * provider.avg_tile_bytes,
    )


def check_plan(the_plan: Plan, *, url: str | None = None) -> None:
    """Refuse a plan :func:`fetch` would not run: too many tiles, or OSM beyond its policy zoom.

    Raises
    ------
    TilesArgumentError
        If the plan has more than :data:`MAX_PLAN_TILES` tiles, or asks the
        provider's own servers for a zoom above :attr:`Provider.max_fetch_zoom`.
    """
    provider = _provider(the_plan.basemap)
    if the_plan.total > MAX_PLAN_TILES:
        raise TilesArgumentError(
            f"要下载 {the_plan.total} 个瓦片，超过上限 {MAX_PLAN_TILES}：请缩小范围或降低最大缩放级别"
            f" / {the_plan.total} tiles is more than the limit of {MAX_PLAN_TILES}: narrow the bbox or "
            "lower the maximum zoom"
        )
    if url is None and the_plan.max_zoom > provider.max_fetch_zoom:
        raise TilesArgumentError(
            f"{provider.label} 的使用政策不允许批量下载 {provider.max_fetch_zoom + 1} 级及以上的瓦片，"
            f"最大缩放级别请用 {provider.max_fetch_zoom} / the {provider.label} tile usage policy forbids "
            f"bulk downloads at zoom {provider.max_fetch_zoom + 1}+: use a maximum zoom of "
            f"{provider.max_fetch_zoom}"
        )
