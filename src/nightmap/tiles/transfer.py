"""Importing a pack from a zip or a folder (checked completely, size-limited) and exporting one to a zip."""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nightmap.tiles.errors import PackError
from nightmap.tiles.pack import (
    _PACK_JSON,
    _PNG_SIGNATURE,
    EXT,
    MAX_PACK_JSON_BYTES,
    MAX_TILE_BYTES,
    Pack,
    _iter_tiles,
    _load_pack,
    _tile_ok,
    _tiles_root,
    _validate_meta,
    _write_pack_json,
    get_pack,
)

MAX_PACK_BYTES = 4 * 1024**3
"""An imported pack may hold at most this many bytes of tiles."""

MAX_PACK_FILES = 1_000_000
"""An imported pack may hold at most this many files."""

_TILE_RE = re.compile(r"^(\d{1,2})/(\d{1,6})/(\d{1,6})\.png$")
_DIR_RE = re.compile(r"^\d{1,2}(/\d{1,6})?/?$")


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
