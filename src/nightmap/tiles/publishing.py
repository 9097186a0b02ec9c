"""Publishing the installed packs under Streamlit's static folder (hard links, a stamp) and their URLs.

Streamlit refuses static files whose real path lies outside its static folder,
so a pack is mirrored there with hard links rather than symlinked (see :func:`publish`).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from nightmap import config
from nightmap.tiles.pack import _PACK_JSON, EXT, Pack, _iter_tiles, _write_json_atomic, installed
from nightmap.tiles.providers import _provider

STATIC_SUBDIR = "tiles"
"""Packs are published under ``<static>/tiles/<name>``."""

DEFAULT_BASE_URL = "/app/static/tiles"
"""Where Streamlit serves ``<static>/tiles`` (``[server] enableStaticServing``)."""


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
