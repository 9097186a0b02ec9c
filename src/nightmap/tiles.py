"""Offline basemap tile packs: plan, fetch, list, import, export and publish them.

The app runs where there is no internet, so the AMap 高德 and OpenStreetMap
basemaps are blank there. A *tile pack* is a folder of map tiles fetched once on
a connected machine, copied over (as a folder or a ``.zip``) and served by the
app itself::

    <tiles_dir>/<name>/pack.json
    <tiles_dir>/<name>/<z>/<x>/<y>.png

``<tiles_dir>`` is :func:`nightmap.config.tiles_dir` (``NIGHTMAP_TILES_DIR``,
default ``<project>/tiles``, git-ignored). ``<name>`` is the basemap: ``"amap"``
(高德, tiles drawn in GCJ-02) or ``"osm"`` (OpenStreetMap, WGS-84). Tile
indices are standard slippy-map (web-mercator XYZ) indices *of the provider*:
for AMap the WGS-84 area is converted to GCJ-02 before the indices are worked
out, because AMap draws its tiles in GCJ-02.

``pack.json`` (format ``"nightmap-tiles/1"``)::

    {"format": "nightmap-tiles/1", "basemap": "amap", "datum": "GCJ-02",
     "attribution": "&copy; 高德地图 <a ...>Gaode.com</a>", "source_url": "https://webrd0{s}...",
     "min_zoom": 12, "max_zoom": 17, "bbox": [west, south, east, north],   # WGS-84
     "tiles": 21000, "bytes": 250000000, "missing": 0, "failed": 0,
     "fetched_at": "2026-01-02T10:00:00+08:00", "ext": "png"}

``tiles``/``bytes`` count what is on disk; ``min_zoom``/``max_zoom`` are the
zoom folders present; ``bbox`` is the union of every fetch into the pack;
``missing`` (HTTP 404) and ``failed`` describe the last fetch.

Streamlit (1.67, Starlette server) serves ``<project>/static`` at
``/app/static/`` but resolves symbolic links and refuses (HTTP 400) any file
whose real path lies outside the static folder, so :func:`publish` does not
symlink a pack: it mirrors the pack's tiles into ``<static>/tiles/<name>`` with
*hard links* (no copy of hundreds of MB; a plain copy only when the two folders
are on different file systems) and keeps a stamp so that an unchanged pack
costs a single ``stat`` on the next start. PNGs are sent as ``image/png``.

Terms: tiles belong to their providers. Packs are meant for the bureau's own
offline briefings, with the provider's attribution shown on the map
(``Pack.attribution``); OpenStreetMap's tile usage policy forbids bulk offline
downloads at zoom 17 and above without permission, so :func:`fetch` stops at
zoom 16 for OSM unless ``url`` points at another server.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from nightmap import config
from nightmap.errors import NightmapError

FORMAT = "nightmap-tiles/1"
"""Value of ``format`` in every ``pack.json``."""

EXT = "png"
"""Tile file extension (every provider here serves PNG)."""

ZOOM_LIMITS = (0, 19)
"""Smallest and largest zoom a pack may hold."""

MAX_PLAN_TILES = 100_000
"""A single fetch asks for at most this many tiles (about 1.2 GB of AMap tiles)."""

MAX_TILE_BYTES = 2 * 1024 * 1024
"""A tile larger than this (downloaded or imported) is refused; real tiles are 1–60 KB."""

MAX_PACK_BYTES = 4 * 1024**3
"""An imported pack may hold at most this many bytes of tiles."""

MAX_PACK_FILES = 1_000_000
"""An imported pack may hold at most this many files."""

MAX_PACK_JSON_BYTES = 64 * 1024
"""``pack.json`` is small; a larger one is refused."""

USER_AGENT = (
    "nightmap/0.1 (offline basemap pack for the Jiefang District, Jiaozuo night-economy dashboard; "
    "one-off polite download, <= 4 requests/s)"
)
"""User-Agent sent with every tile request (OSM requires an identifying one)."""

RETRIES = 3
"""Extra attempts for a tile after a network error, HTTP 429 or 5xx."""

RETRY_BACKOFF = 1.0
"""Seconds before the first retry, doubled for each further retry."""

RETRY_AFTER_CAP = 30.0
"""A server's ``Retry-After`` is honoured up to this many seconds."""

GIVE_UP_FIRST = 1
"""Tiles failing (after their retries) before any answer at all, after which :func:`fetch` stops (no network)."""

GIVE_UP_LATER = 20
"""Tiles failing in a row, after some succeeded, after which :func:`fetch` stops."""

STATIC_SUBDIR = "tiles"
"""Packs are published under ``<static>/tiles/<name>``."""

DEFAULT_BASE_URL = "/app/static/tiles"
"""Where Streamlit serves ``<static>/tiles`` (``[server] enableStaticServing``)."""

BBOX_PAD_DEG = 0.01
"""Degrees added around the districts' extent by :func:`default_bbox` (about 1 km)."""

_MAX_LAT = 85.05112878
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TILE_RE = re.compile(r"^(\d{1,2})/(\d{1,6})/(\d{1,6})\.png$")
_DIR_RE = re.compile(r"^\d{1,2}(/\d{1,6})?/?$")
_PACK_JSON = "pack.json"
_TZ = ZoneInfo(config.TIMEZONE)


# --------------------------------------------------------------------------- errors


class TilesError(NightmapError):
    """A tile-pack operation failed; the message is bilingual (中文 / English)."""


class TilesArgumentError(TilesError, ValueError):
    """A bad zoom range, bounding box, basemap, URL template or rate."""


class FetchError(TilesError):
    """Downloading tiles failed (no network, blocked, or the server keeps failing)."""


class PackError(TilesError):
    """A pack is invalid or could not be installed; nothing installed was changed."""


# --------------------------------------------------------------------------- providers


@dataclass(frozen=True)
class Provider:
    """A tile source: where tiles come from and how they must be credited.

    Attributes
    ----------
    basemap
        Pack name and basemap key (``"amap"``, ``"osm"``).
    label
        Bilingual human name.
    url
        URL template with ``{z}``, ``{x}``, ``{y}`` and optionally ``{s}``.
    datum
        ``"GCJ-02"`` or ``"WGS-84"``: the datum the tiles are drawn in.
    attribution
        HTML attribution to show on the map (kept from the provider).
    subdomains
        Values ``{s}`` takes, round-robin.
    avg_tile_bytes
        Average size of one tile, used by :func:`plan` to estimate the download.
    default_zooms
        Zoom range :func:`fetch` uses when none is given.
    max_fetch_zoom
        Highest zoom :func:`fetch` asks the provider's own servers for.
    terms
        Bilingual note on the provider's terms, shown before a download.
    """

    basemap: str
    label: str
    url: str
    datum: str
    attribution: str
    subdomains: tuple[str, ...]
    avg_tile_bytes: int
    default_zooms: tuple[int, int]
    max_fetch_zoom: int
    terms: str


PROVIDERS: Mapping[str, Provider] = {
    "amap": Provider(
        basemap="amap",
        label="高德地图 AMap (Gaode)",
        url="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        datum="GCJ-02",
        attribution='&copy; 高德地图 <a href="https://www.amap.com/">Gaode.com</a>',
        subdomains=("1", "2", "3", "4"),
        avg_tile_bytes=12 * 1024,  # road tiles of a Chinese city centre, measured typically 5–25 KB
        default_zooms=(12, 17),
        max_fetch_zoom=19,
        terms=(
            "高德地图瓦片版权归高德所有：仅供本局内部离线汇报使用，不得转发或公开发布，地图上须保留署名。"
            " / AMap tiles are © AutoNavi: for the bureau's own offline briefings only — do not redistribute "
            "or publish them, and keep the attribution on the map."
        ),
    ),
    "osm": Provider(
        basemap="osm",
        label="OpenStreetMap",
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        datum="WGS-84",
        attribution='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        subdomains=(),
        avg_tile_bytes=20 * 1024,  # OSM Carto PNG tiles over a built-up area
        default_zooms=(12, 16),
        max_fetch_zoom=16,
        terms=(
            "OpenStreetMap 数据采用 ODbL 许可，须署名；其瓦片服务器使用政策禁止未经许可批量下载 17 级及以上的"
            "瓦片：仅供本局内部离线汇报使用。 / OpenStreetMap data is ODbL (attribution required); the OSM tile "
            "usage policy forbids bulk offline downloads at zoom 17+ without permission: for the bureau's own "
            "offline briefings only."
        ),
    ),
}
"""The basemaps a pack can hold, by name (``"amap"`` first)."""


def _provider(basemap: str) -> Provider:
    try:
        return PROVIDERS[basemap]
    except (KeyError, TypeError):
        known = ", ".join(PROVIDERS)
        raise TilesArgumentError(
            f"未知底图 “{basemap}”，可选：{known} / unknown basemap '{basemap}', choose one of: {known}"
        ) from None


# --------------------------------------------------------------------------- packs


@dataclass(frozen=True)
class Pack:
    """An installed tile pack, as described by its ``pack.json``.

    Attributes
    ----------
    name
        Folder name, equal to ``basemap``.
    basemap
        ``"amap"`` or ``"osm"``.
    datum
        ``"GCJ-02"`` (amap) or ``"WGS-84"`` (osm).
    attribution
        The provider's HTML attribution (always the one in :data:`PROVIDERS`,
        never taken from a file, so an imported pack cannot inject HTML).
    min_zoom, max_zoom
        Zoom levels present.
    bbox
        ``(west, south, east, north)`` in WGS-84.
    tiles, bytes
        Tiles on disk and their total size.
    path
        The pack folder.
    fetched_at
        ISO time of the last fetch (Asia/Shanghai).
    source_url
        URL template the tiles came from.
    missing, failed
        Tiles the last fetch found missing (HTTP 404) or could not get.
    """

    name: str
    basemap: str
    datum: str
    attribution: str
    min_zoom: int
    max_zoom: int
    bbox: tuple[float, float, float, float]
    tiles: int
    bytes: int
    path: Path
    fetched_at: str
    source_url: str = ""
    missing: int = 0
    failed: int = 0

    @property
    def megabytes(self) -> float:
        """Size on disk in MB (10⁶ bytes)."""
        return self.bytes / 1e6


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


# --------------------------------------------------------------------------- files of a pack


def _tiles_root(tiles_dir: Path | str | None) -> Path:
    return Path(tiles_dir) if tiles_dir is not None else config.tiles_dir()


def _tile_ok(z: int, x: int, y: int) -> bool:
    return ZOOM_LIMITS[0] <= z <= ZOOM_LIMITS[1] and 0 <= x < 2**z and 0 <= y < 2**z


def _numeric_dirs(folder: Path) -> Iterator[tuple[int, os.DirEntry[str]]]:
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.isdigit() and entry.is_dir(follow_symlinks=False):
            yield int(entry.name), entry


def _iter_tiles(root: Path, *, clean_tmp: bool = False) -> Iterator[tuple[int, int, int, os.DirEntry[str]]]:
    """Every well-formed ``z/x/y.png`` regular file under ``root`` (``clean_tmp``: delete stale temp files)."""
    for z, zdir in _numeric_dirs(root):
        for x, xdir in _numeric_dirs(Path(zdir.path)):
            for entry in os.scandir(xdir.path):
                name = entry.name
                if clean_tmp and name.startswith(".") and name.endswith(".tmp"):
                    Path(entry.path).unlink(missing_ok=True)
                    continue
                if not name.endswith(".png") or not name[:-4].isdigit():
                    continue
                if entry.is_file(follow_symlinks=False) and _tile_ok(z, x, int(name[:-4])):
                    yield z, x, int(name[:-4]), entry


def _scan(root: Path, *, clean_tmp: bool = False) -> tuple[int, int, list[int]]:
    """``(tiles, bytes, sorted zooms present)`` of a pack folder."""
    count = size = 0
    zooms: set[int] = set()
    for z, _x, _y, entry in _iter_tiles(root, clean_tmp=clean_tmp):
        count += 1
        size += entry.stat(follow_symlinks=False).st_size
        zooms.add(z)
    return count, size, sorted(zooms)


def _now_iso() -> str:
    return dt.datetime.now(_TZ).isoformat(timespec="seconds")


def _write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _validate_meta(meta: Any, where: str) -> dict[str, Any]:
    """Check a parsed ``pack.json``; return it normalised. Raises :class:`PackError`."""
    problems: list[str] = []
    if not isinstance(meta, dict):
        raise PackError(f"{where}：pack.json 不是 JSON 对象 / {where}: pack.json is not a JSON object")
    if meta.get("format") != FORMAT:
        problems.append(f"format ≠ {FORMAT}")
    basemap = meta.get("basemap")
    if basemap not in PROVIDERS:
        problems.append(f"basemap {basemap!r} ∉ {list(PROVIDERS)}")
    elif meta.get("datum") != PROVIDERS[basemap].datum:
        problems.append(f"datum {meta.get('datum')!r} ≠ {PROVIDERS[basemap].datum}")
    if meta.get("ext", EXT) != EXT:
        problems.append(f"ext {meta.get('ext')!r} ≠ {EXT}")
    try:
        zooms = check_zooms((meta.get("min_zoom"), meta.get("max_zoom")))
    except TilesArgumentError:
        problems.append(f"min_zoom/max_zoom {meta.get('min_zoom')!r}/{meta.get('max_zoom')!r}")
        zooms = (0, 0)
    try:
        bbox = check_bbox(meta.get("bbox"))  # type: ignore[arg-type]
    except TilesArgumentError:
        problems.append(f"bbox {meta.get('bbox')!r}")
        bbox = (0.0, 0.0, 0.0, 0.0)
    for key in ("tiles", "bytes", "missing", "failed"):
        value = meta.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{key} {value!r}")
    for key in ("fetched_at", "source_url", "attribution"):
        if not isinstance(meta.get(key, ""), str):
            problems.append(f"{key} {meta.get(key)!r}")
    if problems:
        raise PackError(
            f"{where}：pack.json 无效（{'；'.join(problems)}） / {where}: invalid pack.json ({'; '.join(problems)})"
        )
    out = dict(meta)
    out["min_zoom"], out["max_zoom"] = zooms
    out["bbox"] = list(bbox)
    return out


def _read_meta(folder: Path) -> dict[str, Any]:
    path = folder / _PACK_JSON
    try:
        if path.is_symlink() or path.stat().st_size > MAX_PACK_JSON_BYTES:
            raise PackError(f"{path}：pack.json 过大或是链接 / {path}: pack.json too large or a link")
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{folder}：没有 pack.json / {folder}: no pack.json") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackError(f"{path}：无法读取（{exc}） / {path}: unreadable ({exc})") from None
    return _validate_meta(meta, str(folder))


def _pack_from_meta(meta: Mapping[str, Any], folder: Path) -> Pack:
    basemap = str(meta["basemap"])
    return Pack(
        name=folder.name,
        basemap=basemap,
        datum=PROVIDERS[basemap].datum,
        attribution=PROVIDERS[basemap].attribution,
        min_zoom=int(meta["min_zoom"]),
        max_zoom=int(meta["max_zoom"]),
        bbox=tuple(float(v) for v in meta["bbox"]),  # type: ignore[arg-type]
        tiles=int(meta.get("tiles", 0)),
        bytes=int(meta.get("bytes", 0)),
        path=folder,
        fetched_at=str(meta.get("fetched_at", "")),
        source_url=str(meta.get("source_url", "")),
        missing=int(meta.get("missing", 0)),
        failed=int(meta.get("failed", 0)),
    )


def _load_pack(folder: Path) -> Pack:
    meta = _read_meta(folder)
    if meta["basemap"] != folder.name:
        raise PackError(
            f"{folder}：文件夹名与 basemap “{meta['basemap']}” 不符 / {folder}: folder name does not match "
            f"basemap '{meta['basemap']}'"
        )
    return _pack_from_meta(meta, folder)


def _order(name: str) -> tuple[int, str]:
    names = list(PROVIDERS)
    return (names.index(name) if name in names else len(names), name)


def installed(tiles_dir: Path | str | None = None) -> list[Pack]:
    """The installed packs with a valid ``pack.json``, ``amap`` first.

    Parameters
    ----------
    tiles_dir
        Folder of packs; default :func:`nightmap.config.tiles_dir`.

    Returns
    -------
    list of Pack
        Empty when the folder does not exist. Folders without a valid
        ``pack.json`` (e.g. an interrupted first fetch) are left out.
    """
    root = _tiles_root(tiles_dir)
    packs: list[Pack] = []
    for name in sorted(PROVIDERS, key=_order):
        folder = root / name
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            packs.append(_load_pack(folder))
        except PackError:
            continue
    return packs


def get_pack(name: str, tiles_dir: Path | str | None = None) -> Pack:
    """The installed pack ``name``.

    Raises
    ------
    PackError
        If it is not installed (or its ``pack.json`` is invalid).
    """
    _provider(name)
    folder = _tiles_root(tiles_dir) / name
    if not folder.is_dir():
        raise PackError(f"没有安装 “{name}” 瓦片包（{folder}） / no '{name}' tile pack installed ({folder})")
    return _load_pack(folder)


def _write_pack_json(folder: Path, basemap: str, *, bbox: Sequence[float], source_url: str, fetched_at: str,
                     missing: int = 0, failed: int = 0, clean_tmp: bool = False) -> Pack:
    """Count ``folder`` and (re)write its ``pack.json``; returns the pack."""
    provider = PROVIDERS[basemap]
    count, size, zooms = _scan(folder, clean_tmp=clean_tmp)
    if count == 0:
        raise PackError(f"{folder}：没有任何瓦片 / {folder}: the pack holds no tiles")
    meta = {
        "format": FORMAT,
        "basemap": basemap,
        "datum": provider.datum,
        "attribution": provider.attribution,
        "source_url": source_url,
        "min_zoom": zooms[0],
        "max_zoom": zooms[-1],
        "bbox": [round(float(v), 6) for v in bbox],
        "tiles": count,
        "bytes": size,
        "missing": missing,
        "failed": failed,
        "fetched_at": fetched_at,
        "ext": EXT,
    }
    _write_json_atomic(folder / _PACK_JSON, meta)
    return _pack_from_meta(meta, folder)


# --------------------------------------------------------------------------- fetch


class _RateLimiter:
    """At most ``rate`` request starts per second (a minimum spacing, no bursts)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = 0.0

    def wait(self) -> None:
        now = time.monotonic()
        if now < self.next:
            time.sleep(self.next - now)
            now = self.next
        self.next = now + self.interval


def _describe(exc: BaseException) -> str:
    """A short reason for a requests error: its type and the innermost cause (e.g. ``Connection refused``)."""
    cause: BaseException = exc
    seen = {id(exc)}
    while True:
        inner = getattr(cause, "reason", None)
        if not isinstance(inner, BaseException):
            inner = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else cause.__cause__
        if inner is None or id(inner) in seen:
            break
        seen.add(id(inner))
        cause = inner
    text = str(cause)
    text = text.rsplit("): ", 1)[-1]  # urllib3 starts with "HTTPConnection(host=..., port=...): "
    if cause is exc:
        return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__
    return f"{type(exc).__name__} ({type(cause).__name__}: {text[:160]})"


def _retry_delay(attempt: int, retry_after: str | None) -> float:
    delay = RETRY_BACKOFF * 2 ** (attempt - 1)
    if retry_after:
        try:
            delay = max(delay, min(float(retry_after), RETRY_AFTER_CAP))
        except ValueError:
            pass
    return delay


def _download(session: Any, url: str, limiter: _RateLimiter, timeout: float,
              retries: int) -> tuple[str, bytes | None, str]:
    """One tile: ``("ok", body, "")``, ``("missing", None, "HTTP 404")`` or ``("failed", None, why)``."""
    import requests

    why = ""
    delay = 0.0
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(delay)
        limiter.wait()
        try:
            with session.get(url, timeout=timeout, stream=True) as resp:
                status = resp.status_code
                if status == 200:
                    body = resp.raw.read(MAX_TILE_BYTES + 1, decode_content=True)
                    if len(body) > MAX_TILE_BYTES:
                        return "failed", None, f"tile larger than {MAX_TILE_BYTES} bytes"
                    if not body.startswith(_PNG_SIGNATURE):
                        kind = resp.headers.get("Content-Type", "?")
                        return "failed", None, f"not a PNG (Content-Type {kind})"
                    return "ok", body, ""
                if status in (204, 404, 410):
                    return "missing", None, f"HTTP {status}"
                why = f"{urlsplit(url).netloc}: HTTP {status}"
                if status != 429 and status < 500:
                    return "failed", None, why  # 403 and friends: asking again will not help
                delay = _retry_delay(attempt + 1, resp.headers.get("Retry-After"))
        except requests.RequestException as exc:
            why = f"{urlsplit(url).netloc}: {_describe(exc)}"
            delay = _retry_delay(attempt + 1, None)
    return "failed", None, why


def _tile_url(template: str, subdomains: Sequence[str], i: int, z: int, x: int, y: int) -> str:
    url = template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
    if "{s}" in url:
        url = url.replace("{s}", subdomains[i % len(subdomains)])
    return url


def _no_network_message(why: str) -> str:
    return (
        f"一个瓦片也没有下载成功（最后的错误：{why}）。这台电脑可能无法上网：请在能上网的电脑上运行 "
        "`nightmap tiles fetch`，用 `nightmap tiles export` 打包，拷到这里后运行 `nightmap tiles import`。"
        f" / Not a single tile could be downloaded (last error: {why}). This machine may have no internet: "
        "run `nightmap tiles fetch` on a connected machine, pack it with `nightmap tiles export`, copy the "
        "zip here and run `nightmap tiles import`."
    )


def fetch(
    basemap: str,
    *,
    zooms: Sequence[int] | None = None,
    bbox: Sequence[float] | None = None,
    url: str | None = None,
    tiles_dir: Path | str | None = None,
    rate: float = 4.0,
    progress: Callable[[int, int], None] | None = None,
    timeout: float = 20.0,
    retries: int | None = None,
) -> Pack:
    """Download a tile pack into ``<tiles_dir>/<basemap>/``, resuming what is already there.

    Each tile is written to a temporary file and renamed into place, so a
    fetch interrupted at any moment leaves only whole tiles; tiles already on
    disk are not asked for again. Requests are polite: a User-Agent naming
    nightmap (:data:`USER_AGENT`), at most ``rate`` per second, up to
    ``retries`` retries with exponential backoff (and ``Retry-After``) on
    network errors, HTTP 429 and 5xx. HTTP 404/410/204 marks a tile missing
    (counted, skipped); other 4xx answers and non-PNG bodies fail the tile.
    ``pack.json`` is written at the end, counting what is on disk (its
    ``source_url`` and ``fetched_at`` stay as they were when nothing new came in).

    Parameters
    ----------
    basemap
        ``"amap"`` or ``"osm"``.
    zooms
        ``(min_zoom, max_zoom)``, inclusive; default the provider's
        (:attr:`Provider.default_zooms`: AMap 12–17, OSM 12–16).
    bbox
        WGS-84 ``(west, south, east, north)``; default :func:`default_bbox`.
    url
        Tile URL template overriding the provider's (``{z}``, ``{x}``, ``{y}``,
        and ``{s}`` for the provider's subdomains, round-robin). With an own
        server, the provider's policy zoom cap does not apply.
    tiles_dir
        Folder of packs; default :func:`nightmap.config.tiles_dir`.
    rate
        Most requests per second (retries included).
    progress
        Called as ``progress(done, total)`` after every tile (skipped ones
        included) and once with ``(0, total)`` at the start.
    timeout
        Seconds to wait for a server (connect and each read).
    retries
        Extra attempts per tile; default :data:`RETRIES`.

    Returns
    -------
    Pack
        The pack as now on disk; ``missing``/``failed`` count this fetch's
        404s and failures.

    Raises
    ------
    TilesArgumentError
        Bad basemap, zoom range, bbox, URL template, rate, or a plan too large
        (:func:`check_plan`).
    FetchError
        When nothing at all could be downloaded (no network: the message says
        to fetch on a connected machine and ``nightmap tiles import``), when
        the server answered 404 for every tile, or after
        :data:`GIVE_UP_LATER` failures in a row (re-run to resume).
    """
    import requests

    provider = _provider(basemap)
    the_plan = plan(bbox, provider.default_zooms if zooms is None else zooms, basemap=basemap)
    template = check_url(url, basemap) if url is not None else provider.url
    check_plan(the_plan, url=url)
    if not (isinstance(rate, int | float) and math.isfinite(rate) and rate > 0):
        raise TilesArgumentError(f"速率无效：{rate!r}（须 > 0） / bad rate {rate!r}: must be > 0")
    retries = RETRIES if retries is None else max(0, int(retries))

    root = _tiles_root(tiles_dir)
    folder = root / basemap
    created = [p for p in (root, folder) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    previous: dict[str, Any] | None = None
    if (folder / _PACK_JSON).exists():
        try:
            previous = _read_meta(folder)
        except PackError:
            previous = None

    try:
        limiter = _RateLimiter(rate)
        total = the_plan.total
        done = fetched = missing = failed = streak = 0
        last_why = ""
        if progress:
            progress(0, total)
        with requests.Session() as session:
            session.headers["User-Agent"] = USER_AGENT
            for i, (z, x, y) in enumerate(the_plan.tiles()):
                dest = folder / str(z) / str(x) / f"{y}.{EXT}"
                try:
                    present = dest.stat().st_size > 0
                except FileNotFoundError:
                    present = False
                if not present:
                    status, body, why = _download(session, _tile_url(template, provider.subdomains, i, z, x, y),
                                                  limiter, timeout, retries)
                    if status == "ok" and body is not None:
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
                        tmp.write_bytes(body)
                        os.replace(tmp, dest)
                        fetched += 1
                        streak = 0
                    elif status == "missing":
                        missing += 1
                        streak = 0
                    else:
                        failed += 1
                        streak += 1
                        last_why = why
                        if fetched == 0 and missing == 0 and streak >= GIVE_UP_FIRST:
                            raise FetchError(_no_network_message(last_why))
                        if streak >= GIVE_UP_LATER:
                            raise FetchError(
                                f"连续 {streak} 个瓦片下载失败（最后的错误：{last_why}），已停止；已下载的瓦片保留，"
                                f"稍后重新运行同一命令即可续传。 / {streak} tiles in a row failed (last error: "
                                f"{last_why}); stopped. Tiles downloaded so far are kept: run the same command "
                                "again later to resume."
                            )
                done += 1
                if progress:
                    progress(done, total)

        if failed and fetched == 0 and missing == 0:
            raise FetchError(_no_network_message(last_why))
        if missing == total:
            raise FetchError(
                f"服务器对每个瓦片都回答 404：请检查瓦片地址 {template} / the server answered 404 for every tile: "
                f"check the tile URL {template}"
            )
        box = list(the_plan.bbox)
        if previous is not None and previous.get("basemap") == basemap:
            old = previous["bbox"]
            box = [min(box[0], old[0]), min(box[1], old[1]), max(box[2], old[2]), max(box[3], old[3])]
        source_url, fetched_at = template, _now_iso()
        if fetched == 0 and previous is not None:  # nothing new came in: the tiles are still the earlier ones
            source_url = str(previous.get("source_url", "")) or template
            fetched_at = str(previous.get("fetched_at", "")) or fetched_at
        return _write_pack_json(folder, basemap, bbox=box, source_url=source_url, fetched_at=fetched_at,
                                missing=missing, failed=failed, clean_tmp=True)
    except BaseException:
        for made in (folder, root):  # leave no empty folders behind a failed first fetch
            if made in created and made.is_dir() and not any(made.iterdir()):
                made.rmdir()
        raise


# --------------------------------------------------------------------------- import / export


@dataclass(frozen=True)
class _Member:
    """One file of a pack being imported: its path inside the pack and how to read it."""

    rel: str
    size: int
    open: Callable[[], Any]


def _classify(rel: str, problems: list[str]) -> bool:
    """Whether ``rel`` (inside the pack) is ``pack.json`` or a valid tile; records a problem otherwise."""
    if rel == _PACK_JSON:
        return True
    m = _TILE_RE.match(rel)
    if m and _tile_ok(int(m[1]), int(m[2]), int(m[3])):
        return True
    problems.append(rel)
    return False


def _zip_members(src: Path, zf: zipfile.ZipFile, problems: list[str]) -> list[_Member]:
    infos = zf.infolist()
    names = [i.filename for i in infos]
    inner = [n for n in names if n.count("/") == 1 and n.endswith("/" + _PACK_JSON)]
    if _PACK_JSON in names:
        prefix = ""
    elif len(inner) == 1:
        prefix = inner[0][: -len(_PACK_JSON)]  # "<folder>/"; anything outside it is refused below
    else:
        raise PackError(
            f"{src}：压缩包顶层或唯一的文件夹里没有 pack.json / {src}: no pack.json at the top of the zip "
            "or inside its one folder"
        )
    members: list[_Member] = []
    for info in infos:
        name = info.filename
        is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
        if is_link or info.flag_bits & 0x1 or "\\" in name:
            problems.append(name)
            continue
        if not name.startswith(prefix):
            problems.append(name)
            continue
        rel = name[len(prefix):]
        if info.is_dir():
            if rel and not _DIR_RE.match(rel):
                problems.append(name)
            continue
        if _classify(rel, problems):
            members.append(_Member(rel, info.file_size, lambda info=info: zf.open(info)))
    return members


def _folder_members(src: Path, problems: list[str]) -> list[_Member]:
    root = src
    if not (src / _PACK_JSON).exists():
        subs = list(src.iterdir())
        if len(subs) == 1 and subs[0].is_dir() and not subs[0].is_symlink() and (subs[0] / _PACK_JSON).exists():
            root = subs[0]
        else:
            raise PackError(f"{src}：文件夹里没有 pack.json / {src}: no pack.json in the folder")
    members: list[_Member] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        for d in list(dirnames):
            p = base / d
            rel = p.relative_to(root).as_posix()
            if p.is_symlink() or not _DIR_RE.match(rel):
                problems.append(rel + "/")
                dirnames.remove(d)
        for f in filenames:
            p = base / f
            rel = p.relative_to(root).as_posix()
            if p.is_symlink() or not p.is_file():
                problems.append(rel)
                continue
            if _classify(rel, problems):
                members.append(_Member(rel, p.stat().st_size, lambda p=p: open(p, "rb")))
    return members


def _copy_limited(member: _Member, dest: Path, limit: int) -> int:
    """Copy one member to ``dest``, never more than ``limit`` bytes; returns the size."""
    with member.open() as fin:
        data = fin.read(limit + 1)
    if len(data) > limit:
        raise PackError(f"{member.rel}：文件过大 / {member.rel}: file too large")
    if member.rel != _PACK_JSON and not data.startswith(_PNG_SIGNATURE):
        raise PackError(f"{member.rel}：不是 PNG 图片 / {member.rel}: not a PNG image")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    return len(data)


def _install(staged: Path, target: Path) -> None:
    """Move ``staged`` to ``target``, replacing (and then deleting) an existing pack there."""
    old: Path | None = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".old-{target.name}-{uuid.uuid4().hex[:8]}")
        os.rename(target, old)
    try:
        os.rename(staged, target)
    except OSError:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def import_pack(src: Path | str, *, tiles_dir: Path | str | None = None) -> Pack:
    """Install a pack from a folder or a ``.zip`` (e.g. made by :func:`export_pack` on another machine).

    ``pack.json`` may be at the top or inside the one top folder. The pack is
    checked before anything installed is touched: ``pack.json`` must be valid,
    and every other file must be a ``z/x/y.png`` tile (z 0–19, x and y within
    range, a real PNG of at most :data:`MAX_TILE_BYTES`); path traversal,
    links, encrypted entries, other files and more than :data:`MAX_PACK_FILES`
    files or :data:`MAX_PACK_BYTES` bytes are refused. The files are unpacked
    into a temporary folder beside the target and renamed into place,
    replacing an older pack of the same basemap. ``tiles`` and ``bytes`` in
    the installed ``pack.json`` are recounted; the attribution is the
    provider's own.

    Parameters
    ----------
    src
        A pack folder or a zip of one.
    tiles_dir
        Folder of packs; default :func:`nightmap.config.tiles_dir`.

    Returns
    -------
    Pack
        The installed pack.

    Raises
    ------
    PackError
        For anything invalid; the installed packs are then unchanged.
    """
    src = Path(src)
    root = _tiles_root(tiles_dir)
    problems: list[str] = []
    zf: zipfile.ZipFile | None = None
    try:
        if src.is_dir():
            members = _folder_members(src, problems)
        elif src.is_file() and zipfile.is_zipfile(src):
            zf = zipfile.ZipFile(src)
            members = _zip_members(src, zf, problems)
        else:
            raise PackError(f"{src}：不是文件夹或 zip 文件 / {src}: not a folder or a zip file")
        if problems:
            shown = ", ".join(problems[:10]) + (f" … (+{len(problems) - 10})" if len(problems) > 10 else "")
            raise PackError(
                f"{src}：含有不允许的文件（只允许 pack.json 和 z/x/y.png）：{shown} / {src}: files not allowed "
                f"in a pack (only pack.json and z/x/y.png): {shown}"
            )
        meta_member = next(m for m in members if m.rel == _PACK_JSON)
        if meta_member.size > MAX_PACK_JSON_BYTES:
            raise PackError(f"{src}：pack.json 过大 / {src}: pack.json too large")
        with meta_member.open() as fin:
            raw = fin.read(MAX_PACK_JSON_BYTES + 1)
        try:
            meta = _validate_meta(json.loads(raw.decode("utf-8")), str(src))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackError(f"{src}：pack.json 无法解析（{exc}） / {src}: pack.json unreadable ({exc})") from None
        tiles = [m for m in members if m.rel != _PACK_JSON]
        if not tiles:
            raise PackError(f"{src}：包里没有瓦片 / {src}: the pack holds no tiles")
        if len(members) > MAX_PACK_FILES or sum(m.size for m in tiles) > MAX_PACK_BYTES:
            raise PackError(
                f"{src}：包过大（最多 {MAX_PACK_FILES} 个文件、{MAX_PACK_BYTES // 1024**3} GB） / {src}: pack too "
                f"large (at most {MAX_PACK_FILES} files, {MAX_PACK_BYTES // 1024**3} GB)"
            )
        if any(m.size > MAX_TILE_BYTES for m in tiles):
            raise PackError(f"{src}：有瓦片过大 / {src}: a tile is too large")

        basemap = str(meta["basemap"])
        target = root / basemap
        if target.exists() and src.is_dir() and src.resolve() == target.resolve():
            return _load_pack(target)  # importing the installed pack onto itself
        root.mkdir(parents=True, exist_ok=True)
        staged = root / f".import-{basemap}-{uuid.uuid4().hex[:8]}"
        staged.mkdir()
        try:
            total = 0
            for m in tiles:
                total += _copy_limited(m, staged / m.rel, MAX_TILE_BYTES)
                if total > MAX_PACK_BYTES:
                    raise PackError(f"{src}：包过大 / {src}: pack too large")
            pack = _write_pack_json(
                staged, basemap, bbox=meta["bbox"], source_url=str(meta.get("source_url", "")),
                fetched_at=str(meta.get("fetched_at", "")), missing=int(meta.get("missing", 0)),
                failed=int(meta.get("failed", 0)),
            )
            _install(staged, target)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        return replace(pack, name=target.name, path=target)
    except zipfile.BadZipFile as exc:
        raise PackError(f"{src}：zip 文件损坏（{exc}） / {src}: broken zip file ({exc})") from None
    finally:
        if zf is not None:
            zf.close()


def export_pack(name: str, out_zip: Path | str, *, tiles_dir: Path | str | None = None) -> Path:
    """Zip an installed pack (``<name>/pack.json`` and ``<name>/z/x/y.png``) for another machine.

    Tiles are stored uncompressed (PNG is already compressed). The zip is
    written to a temporary file and renamed, so a half-written zip never
    carries the final name.

    Parameters
    ----------
    name
        The pack (``"amap"`` or ``"osm"``).
    out_zip
        Zip file to write (replaced if it exists).
    tiles_dir
        Folder of packs; default :func:`nightmap.config.tiles_dir`.

    Returns
    -------
    Path
        ``out_zip``.

    Raises
    ------
    PackError
        If the pack is not installed, or ``out_zip`` is inside it.
    """
    pack = get_pack(name, tiles_dir)
    out = Path(out_zip)
    folder = pack.path.resolve()
    if folder == out.parent.resolve() or folder in out.parent.resolve().parents:
        raise PackError(f"{out}：不能写进瓦片包自己的文件夹 / {out}: cannot write inside the pack itself")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.write(folder / _PACK_JSON, f"{name}/{_PACK_JSON}", compress_type=zipfile.ZIP_DEFLATED)
            for z, x, y, entry in sorted(_iter_tiles(folder), key=lambda t: t[:3]):
                zf.write(entry.path, f"{name}/{z}/{x}/{y}.{EXT}")
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


# --------------------------------------------------------------------------- publish for Streamlit


def tile_url(name: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """URL template of a published pack, for a Leaflet/folium tile layer.

    Parameters
    ----------
    name
        The pack (``"amap"`` or ``"osm"``).
    base_url
        Where ``<static>/tiles`` is served.

    Returns
    -------
    str
        e.g. ``"/app/static/tiles/amap/{z}/{x}/{y}.png"``.
    """
    _provider(name)
    return f"{base_url.rstrip('/')}/{name}/{{z}}/{{x}}/{{y}}.{EXT}"


def _stamp(pack: Pack) -> dict[str, Any]:
    # no paths in here: the stamp sits in the static folder, which anyone reaching the app can read
    st = (pack.path / _PACK_JSON).stat()
    return {"pack_json": [st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size], "tiles": pack.tiles,
            "bytes": pack.bytes, "fetched_at": pack.fetched_at}


def _same_content(src: os.DirEntry[str], dest: Path) -> bool:
    try:
        d = dest.stat(follow_symlinks=False)
    except FileNotFoundError:
        return False
    s = src.stat(follow_symlinks=False)
    if (s.st_dev, s.st_ino) == (d.st_dev, d.st_ino):
        return True  # the same hard link
    return s.st_size == d.st_size and s.st_mtime_ns == d.st_mtime_ns


def _mirror(pack: Pack, dest: Path) -> None:
    """Make ``dest`` hold exactly the pack's tiles: hard links, or copies across file systems."""
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        dest.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    wanted: set[str] = set()
    for z, x, y, entry in _iter_tiles(pack.path):
        rel = f"{z}/{x}/{y}.{EXT}"
        wanted.add(rel)
        target = dest / rel
        if _same_content(entry, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            os.link(entry.path, tmp)
        except OSError:
            shutil.copy2(entry.path, tmp)
        os.replace(tmp, target)
    for dirpath, _dirnames, filenames in os.walk(dest, topdown=False):
        base = Path(dirpath)
        for f in filenames:
            p = base / f
            if p.relative_to(dest).as_posix() not in wanted:
                p.unlink()
        if base != dest and not any(base.iterdir()):
            base.rmdir()


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def publish(static_dir: Path | str | None = None, tiles_dir: Path | str | None = None) -> dict[str, Pack]:
    """Make the installed packs reachable under Streamlit's static folder, at :func:`tile_url`.

    Streamlit 1.67 resolves symbolic links in ``/app/static/...`` and refuses
    (HTTP 400) files whose real path lies outside ``<project>/static``, so a
    symlink to the pack cannot be used. Instead ``<static>/tiles/<name>/`` gets
    a *hard link* to every tile of the pack (a copy when the two folders are
    on different file systems); no tile's bytes are duplicated on one disk.
    A stamp (``<static>/tiles/.<name>.published.json``) records which
    ``pack.json`` was published, so an unchanged pack costs only a couple of
    ``stat`` calls: cheap enough for every app start. Published packs that are
    no longer installed are removed. Idempotent.

    Parameters
    ----------
    static_dir
        Streamlit's static folder; default :func:`nightmap.config.static_dir`.
    tiles_dir
        Folder of packs; default :func:`nightmap.config.tiles_dir`.

    Returns
    -------
    dict of str to Pack
        The published packs by name (``amap`` first).
    """
    static = Path(static_dir) if static_dir is not None else config.static_dir()
    out_root = static / STATIC_SUBDIR
    packs = {p.name: p for p in installed(tiles_dir)}
    if not packs and not out_root.exists():
        return {}
    out_root.mkdir(parents=True, exist_ok=True)
    for name, pack in packs.items():
        stamp_path = out_root / f".{name}.published.json"
        stamp = _stamp(pack)
        try:
            current = json.loads(stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            current = None
        if current == stamp and (out_root / name).is_dir() and not (out_root / name).is_symlink():
            continue
        stamp_path.unlink(missing_ok=True)
        _mirror(pack, out_root / name)
        _write_json_atomic(stamp_path, stamp)
    keep = set(packs) | {f".{n}.published.json" for n in packs}
    for entry in out_root.iterdir():
        if entry.name not in keep:
            _remove(entry)
    return packs
