"""The pack format on disk: ``pack.json`` (read, validate, write), scanning the tiles, installed packs.

A pack is ``<tiles_dir>/<name>/pack.json`` and ``<tiles_dir>/<name>/<z>/<x>/<y>.png``
(see :mod:`nightmap.tiles`); :class:`Pack` is what its ``pack.json`` says.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nightmap import config
from nightmap.tiles.errors import PackError, TilesArgumentError
from nightmap.tiles.planning import ZOOM_LIMITS, check_bbox, check_zooms
from nightmap.tiles.providers import PROVIDERS, _provider

FORMAT = "nightmap-tiles/1"
"""Value of ``format`` in every ``pack.json``."""

EXT = "png"
"""Tile file extension (every provider here serves PNG)."""
MAX_TILE_BYTES = 2 * 1024 * 1024
"""A tile larger than this (downloaded or imported) is refused; real tiles are 1–60 KB."""

MAX_PACK_JSON_BYTES = 64 * 1024
"""``pack.json`` is small; a larger one is refused."""

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PACK_JSON = "pack.json"


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
