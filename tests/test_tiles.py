"""Offline basemap tile packs: tile maths, fetch against a local tile server, import/export, publish, CLI.

Every download goes to a tile server started here on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from nightmap import tiles
from nightmap.cli import cli
from nightmap.geo import load_districts

ROOT = Path(__file__).resolve().parents[1]
SMALL_BBOX = (113.235, 35.205, 113.255, 35.225)  # a few blocks of central 解放区
SMALL_ZOOMS = (12, 14)  # 1 + 4 + 4 tiles for AMap (GCJ-02)
JIAOZUO_BBOX = (113.0766, 35.0883, 113.4518, 35.3674)  # default_bbox() of the bundled districts


def png_for(z: int, x: int, y: int) -> bytes:
    """A small solid PNG whose colour depends on the tile, so every tile has its own bytes."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (z * 12 % 256, x % 256, y % 256)).save(buf, format="PNG")
    return buf.getvalue()


class TileServer:
    """A tile server on 127.0.0.1: ``/[anything/]{z}/{x}/{y}.png``, with chosen 404s, one-off 500s and 403s."""

    def __init__(self) -> None:
        self.missing: set[tuple[int, int, int]] = set()
        self.fail_once: set[tuple[int, int, int]] = set()
        self.forbidden = False
        self.requests: list[str] = []
        self.agents: list[str] = []
        self.sent: dict[tuple[int, int, int], bytes] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with server._lock:
                    server.requests.append(self.path)
                    server.agents.append(self.headers.get("User-Agent", ""))
                try:
                    z, x, y = (int(p) for p in self.path.rsplit(".png", 1)[0].split("/")[-3:])
                except ValueError:
                    self.send_error(400)
                    return
                key = (z, x, y)
                if server.forbidden:
                    self.send_error(403)
                    return
                if key in server.missing:
                    self.send_error(404)
                    return
                with server._lock:
                    if key in server.fail_once:
                        server.fail_once.discard(key)
                        self.send_error(500)
                        return
                body = png_for(z, x, y)
                server.sent[key] = body
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def tile_paths(self) -> list[str]:
        return [p for p in self.requests if p.endswith(".png")]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[TileServer]:
    srv = TileServer()
    yield srv
    srv.close()


@pytest.fixture
def tiles_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tiles"
    monkeypatch.setenv("NIGHTMAP_TILES_DIR", str(folder))
    monkeypatch.setenv("NIGHTMAP_STATIC_DIR", str(tmp_path / "static"))
    monkeypatch.setattr(tiles.download, "RETRY_BACKOFF", 0.01)
    return folder


def small_plan() -> list[tuple[int, int, int]]:
    return list(tiles.plan(SMALL_BBOX, SMALL_ZOOMS, basemap="amap").tiles())


def tile_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.png")}


def make_pack(folder: Path, basemap: str = "amap", keys: tuple[tuple[int, int, int], ...] = ((12, 3336, 1619),
              (13, 6672, 3238))) -> Path:
    """A valid pack folder written by hand (not by fetch)."""
    for z, x, y in keys:
        (folder / str(z) / str(x)).mkdir(parents=True, exist_ok=True)
        (folder / str(z) / str(x) / f"{y}.png").write_bytes(png_for(z, x, y))
    meta = {"format": "nightmap-tiles/1", "basemap": basemap, "datum": tiles.PROVIDERS[basemap].datum,
            "attribution": tiles.PROVIDERS[basemap].attribution, "source_url": "http://example.invalid/{z}/{x}/{y}.png",
            "min_zoom": min(k[0] for k in keys), "max_zoom": max(k[0] for k in keys), "bbox": list(SMALL_BBOX),
            "tiles": len(keys), "bytes": 0, "fetched_at": "2026-01-02T10:00:00+08:00", "ext": "png"}
    (folder / "pack.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def free_closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- tile maths


def test_tile_range_known_values_and_gcj_shift() -> None:
    # web-mercator indices, cross-checked with pyproj's EPSG:3857
    assert tiles.tile_range(JIAOZUO_BBOX, 12, datum="WGS-84") == (3334, 1617, 3338, 1621)
    assert tiles.tile_range(JIAOZUO_BBOX, 17, datum="WGS-84") == (106705, 51753, 106842, 51878)
    # AMap draws in GCJ-02, ~580 m east here: at zoom 17 (~250 m tiles) the columns move 2–3 east,
    # the rows (56 m south) stay
    assert tiles.tile_range(JIAOZUO_BBOX, 17, datum="GCJ-02") == (106708, 51753, 106844, 51878)
    assert tiles.tile_range(JIAOZUO_BBOX, 12, datum="GCJ-02") == (3334, 1617, 3338, 1621)
    assert tiles.tile_range((-180, -85.06, 180, 85.06), 2, datum="WGS-84") == (0, 0, 3, 3)  # clamped


def test_default_bbox_pads_the_districts() -> None:
    west, south, east, north = load_districts().total_bounds
    box = tiles.default_bbox()
    pads = (west - box[0], south - box[1], box[2] - east, box[3] - north)
    assert all(0.01 <= p <= 0.0101 for p in pads), pads
    assert box == JIAOZUO_BBOX  # the bundled districts.geojson


def test_plan_counts_and_estimate() -> None:
    amap = tiles.plan(JIAOZUO_BBOX, (12, 14), basemap="amap")
    assert dict(amap.per_zoom) == {12: 25, 13: 81, 14: 288}
    assert amap.total == 394
    assert amap.est_bytes == 394 * 12 * 1024
    assert len(list(amap.tiles())) == 394
    osm = tiles.plan(JIAOZUO_BBOX, (16, 16), basemap="osm")
    assert dict(osm.ranges) == {16: (53352, 25876, 53421, 25939)}
    assert osm.total == 70 * 64 and osm.est_bytes == 70 * 64 * 20 * 1024
    assert tiles.plan(SMALL_BBOX, SMALL_ZOOMS, basemap="amap").total == 9


@pytest.mark.parametrize("zooms", [(5, 3), (-1, 3), (12, 20), (12.5, 13), (12,), "12-17", (True, 3)])
def test_bad_zoom_ranges_are_refused(zooms: object) -> None:
    with pytest.raises(tiles.TilesArgumentError, match="缩放级别.* / bad zoom range"):
        tiles.plan(SMALL_BBOX, zooms, basemap="amap")  # type: ignore[arg-type]


@pytest.mark.parametrize("bbox", [(113.3, 35.2, 113.2, 35.3), (113.2, 35.3, 113.3, 35.2), (113.2, 35.2, 113.3),
                                  (113.2, 35.2, 190.0, 35.3), (113.2, 35.2, float("nan"), 35.3),
                                  (113.2, 35.2, 113.3, 91.0), ("a", 1, 2, 3)])
def test_bad_bboxes_are_refused(bbox: object) -> None:
    with pytest.raises(tiles.TilesArgumentError, match="范围无效.* / bad bbox"):
        tiles.plan(bbox, (12, 13), basemap="amap")  # type: ignore[arg-type]


def test_parse_and_unknown_basemap() -> None:
    assert tiles.parse_zooms("12-17") == (12, 17)
    assert tiles.parse_zooms(" 15 ") == (15, 15)
    assert tiles.parse_bbox("113.1, 35.1,113.4,35.4") == (113.1, 35.1, 113.4, 35.4)
    with pytest.raises(tiles.TilesArgumentError, match="bad zoom"):
        tiles.parse_zooms("12-")
    with pytest.raises(tiles.TilesArgumentError, match="bad bbox"):
        tiles.parse_bbox("113.1,35.1,113.4")
    with pytest.raises(tiles.TilesArgumentError, match="未知底图.* / unknown basemap 'google'"):
        tiles.plan(SMALL_BBOX, (12, 12), basemap="google")
    with pytest.raises(ValueError):  # argument errors are ValueErrors too
        tiles.tile_range(SMALL_BBOX, 12, datum="BD-09")


# --------------------------------------------------------------------------- fetch


def test_fetch_builds_a_pack_retries_skips_404_and_resumes(server: TileServer, tiles_dir: Path) -> None:
    planned = small_plan()
    server.missing = {planned[1], planned[5]}
    server.fail_once = {planned[3]}
    calls: list[tuple[int, int]] = []
    pack = tiles.fetch("amap", zooms=SMALL_ZOOMS, bbox=SMALL_BBOX, url=server.url, rate=1000,
                       progress=lambda d, t: calls.append((d, t)))

    folder = tiles_dir / "amap"
    assert pack.path == folder and pack.name == "amap" and pack.datum == "GCJ-02"
    expected = {f"{z}/{x}/{y}.png" for z, x, y in planned} - {f"{z}/{x}/{y}.png" for z, x, y in server.missing}
    assert tile_files(folder) == expected
    assert len(expected) == 7
    for z, x, y in planned:
        if (z, x, y) not in server.missing:
            assert (folder / f"{z}/{x}/{y}.png").read_bytes() == server.sent[(z, x, y)] == png_for(z, x, y)
    # the 500 was retried once; every other tile asked for exactly once
    paths = server.tile_paths()
    z, x, y = planned[3]
    assert paths.count(f"/{z}/{x}/{y}.png") == 2
    assert len(paths) == 10
    assert all(a.startswith("nightmap/") for a in server.agents)
    assert calls[0] == (0, 9) and calls[-1] == (9, 9) and len(calls) == 10

    meta = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    size = sum((folder / rel).stat().st_size for rel in expected)
    assert meta == {
        "format": "nightmap-tiles/1", "basemap": "amap", "datum": "GCJ-02",
        "attribution": '&copy; 高德地图 <a href="https://www.amap.com/">Gaode.com</a>',
        "source_url": server.url, "min_zoom": 12, "max_zoom": 14, "bbox": list(SMALL_BBOX),
        "tiles": 7, "bytes": size, "missing": 2, "failed": 0, "fetched_at": meta["fetched_at"], "ext": "png",
    }
    fetched_at = dt.datetime.fromisoformat(meta["fetched_at"])
    assert fetched_at.utcoffset() == dt.timedelta(hours=8)
    assert abs((dt.datetime.now(dt.UTC) - fetched_at).total_seconds()) < 60
    assert (pack.tiles, pack.bytes, pack.missing) == (7, size, 2)
    assert not list(folder.rglob("*.tmp"))

    # resume: only the tiles not on disk (the two 404s) are asked for again
    server.requests.clear()
    again = tiles.fetch("amap", zooms=SMALL_ZOOMS, bbox=SMALL_BBOX, url=server.url, rate=1000)
    assert sorted(server.tile_paths()) == sorted(f"/{z}/{x}/{y}.png" for z, x, y in server.missing)
    assert again.tiles == 7 and again.missing == 2
    assert again.fetched_at == meta["fetched_at"]  # nothing new came in
    assert tiles.installed() == [again]


def test_fetch_uses_subdomains_round_robin_and_the_rate_limit(server: TileServer, tiles_dir: Path) -> None:
    url = f"http://127.0.0.1:{server.port}/{{s}}/{{z}}/{{x}}/{{y}}.png"
    started = time.monotonic()
    tiles.fetch("amap", zooms=SMALL_ZOOMS, bbox=SMALL_BBOX, url=url, rate=25)
    elapsed = time.monotonic() - started
    prefixes = [p.split("/")[1] for p in server.tile_paths()]
    assert prefixes == ["1", "2", "3", "4", "1", "2", "3", "4", "1"]
    assert elapsed >= 8 / 25  # nine requests, at least 1/25 s apart


def test_fetch_refuses_bad_arguments_before_any_request(server: TileServer, tiles_dir: Path) -> None:
    with pytest.raises(tiles.TilesArgumentError, match="bad zoom range"):
        tiles.fetch("amap", zooms=(14, 12), bbox=SMALL_BBOX, url=server.url)
    with pytest.raises(tiles.TilesArgumentError, match="bad bbox"):
        tiles.fetch("amap", zooms=(12, 12), bbox=(113.3, 35.2, 113.2, 35.3), url=server.url)
    with pytest.raises(tiles.TilesArgumentError, match="unknown basemap"):
        tiles.fetch("bing", zooms=(12, 12), bbox=SMALL_BBOX, url=server.url)
    with pytest.raises(tiles.TilesArgumentError, match="bad tile URL template"):
        tiles.fetch("amap", zooms=(12, 12), bbox=SMALL_BBOX, url="ftp://127.0.0.1/{z}/{x}.png")
    with pytest.raises(tiles.TilesArgumentError, match="bad rate"):
        tiles.fetch("amap", zooms=(12, 12), bbox=SMALL_BBOX, url=server.url, rate=0)
    # OSM's tile policy: no bulk download at zoom 17+ from its own servers (refused before any request)
    with pytest.raises(tiles.TilesArgumentError, match="zoom 17"):
        tiles.fetch("osm", zooms=(17, 17), bbox=SMALL_BBOX)
    with pytest.raises(tiles.TilesArgumentError, match="more than the limit"):
        tiles.fetch("amap", zooms=(12, 19), url=server.url)
    assert server.requests == []
    assert not (tiles_dir / "amap").exists()


def test_fetch_with_no_network_says_so(tiles_dir: Path) -> None:
    url = f"http://127.0.0.1:{free_closed_port()}/{{z}}/{{x}}/{{y}}.png"
    with pytest.raises(tiles.FetchError) as info:
        tiles.fetch("amap", zooms=SMALL_ZOOMS, bbox=SMALL_BBOX, url=url, rate=1000)
    msg = str(info.value)
    assert "一个瓦片也没有下载成功" in msg and "Not a single tile could be downloaded" in msg
    assert "nightmap tiles import" in msg and "Connection refused" in msg and "127.0.0.1" in msg
    assert tiles.installed() == []
    assert not tiles_dir.exists()  # no empty folders left behind


def test_fetch_forbidden_is_not_retried_and_all_404_fails(server: TileServer, tiles_dir: Path) -> None:
    server.forbidden = True
    with pytest.raises(tiles.FetchError, match="HTTP 403"):
        tiles.fetch("amap", zooms=SMALL_ZOOMS, bbox=SMALL_BBOX, url=server.url, rate=1000)
    assert len(server.tile_paths()) == tiles.GIVE_UP_FIRST  # stopped early, no retries of a 403
    server.forbidden = False
    server.missing = set(small_plan())
    with pytest.raises(tiles.FetchError, match="404 for every tile"):
        tiles.fetch("amap", zooms=SMALL_ZOOMS, bbox=SMALL_BBOX, url=server.url, rate=1000)


# --------------------------------------------------------------------------- import / export


def test_import_from_folder_and_zip(tmp_path: Path, tiles_dir: Path) -> None:
    src = make_pack(tmp_path / "src" / "amap")
    pack = tiles.import_pack(src)
    assert pack.path == tiles_dir / "amap"
    assert tile_files(pack.path) == {"12/3336/1619.png", "13/6672/3238.png"}
    assert (pack.path / "13/6672/3238.png").read_bytes() == png_for(13, 6672, 3238)
    assert pack.tiles == 2 and pack.bytes == len(png_for(12, 3336, 1619)) + len(png_for(13, 6672, 3238))
    assert json.loads((pack.path / "pack.json").read_text(encoding="utf-8"))["bytes"] == pack.bytes

    # a zip with the pack inside one folder replaces the installed pack
    osm_free = {(14, 13345, 6477)}
    members = {"pack/pack.json": b"", "pack/14/13345/6477.png": png_for(14, 13345, 6477)}
    meta = json.loads((src / "pack.json").read_text(encoding="utf-8")) | {"min_zoom": 14, "max_zoom": 14}
    members["pack/pack.json"] = json.dumps(meta).encode()
    again = tiles.import_pack(write_zip(tmp_path / "p.zip", members))
    assert tile_files(again.path) == {f"{z}/{x}/{y}.png" for z, x, y in osm_free}
    assert [p.name for p in tiles.installed()] == ["amap"]
    assert not [p for p in tiles_dir.iterdir() if p.name.startswith(".")]  # no staging or old folders left


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({"../evil.png": b"x"}, "not allowed"),
        ({"amap/../../evil.png": b"x"}, "not allowed"),
        ({"amap/readme.txt": b"hello"}, "not allowed"),
        ({"amap/12/3336/1619.png.exe": b"x"}, "not allowed"),
        ({"amap/12/9999/1619.png": b"x"}, "not allowed"),  # x out of range at zoom 12
        ({"amap/12/3336/1620.png": b"<html>not a png</html>"}, "not a PNG"),
        ({"amap/12/3336/1621.png": b"\x89PNG\r\n\x1a\n" + b"0" * tiles.MAX_TILE_BYTES}, "too large"),
    ],
)
def test_import_refuses_bad_zips_and_keeps_the_installed_pack(tmp_path: Path, tiles_dir: Path,
                                                              extra: dict[str, bytes], why: str) -> None:
    installed = tiles.import_pack(make_pack(tmp_path / "good" / "amap"))
    before = {p: p.read_bytes() for p in installed.path.rglob("*") if p.is_file()}
    good = make_pack(tmp_path / "new" / "amap", keys=((14, 13345, 6477),))
    members = {f"amap/{p.relative_to(good).as_posix()}": p.read_bytes() for p in good.rglob("*") if p.is_file()}
    with pytest.raises(tiles.PackError, match=why):
        tiles.import_pack(write_zip(tmp_path / "bad.zip", members | extra))
    assert {p: p.read_bytes() for p in installed.path.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tiles_dir.iterdir()) == ["amap"]


def test_import_refuses_missing_or_bad_pack_json(tmp_path: Path, tiles_dir: Path) -> None:
    tile = {"amap/12/3336/1619.png": png_for(12, 3336, 1619)}
    with pytest.raises(tiles.PackError, match="no pack.json"):
        tiles.import_pack(write_zip(tmp_path / "a.zip", tile))
    wrong_datum = {"format": "nightmap-tiles/1", "basemap": "amap", "datum": "WGS-84", "min_zoom": 12,
                   "max_zoom": 12, "bbox": list(SMALL_BBOX), "ext": "png"}
    with pytest.raises(tiles.PackError, match="invalid pack.json.*datum"):
        tiles.import_pack(write_zip(tmp_path / "b.zip", tile | {"amap/pack.json": json.dumps(wrong_datum).encode()}))
    with pytest.raises(tiles.PackError, match="not a folder or a zip"):
        tiles.import_pack(tmp_path / "b.zip.nothing")
    (tmp_path / "c.zip").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(tiles.PackError):
        tiles.import_pack(tmp_path / "c.zip")
    link_src = make_pack(tmp_path / "linked" / "amap")
    (link_src / "12" / "3336" / "1618.png").symlink_to(link_src / "12" / "3336" / "1619.png")
    with pytest.raises(tiles.PackError, match="not allowed"):
        tiles.import_pack(link_src)
    assert not tiles_dir.exists() or list(tiles_dir.iterdir()) == []


def test_export_import_round_trip(tmp_path: Path, tiles_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = tiles.import_pack(make_pack(tmp_path / "src" / "amap"))
    out = tiles.export_pack("amap", tmp_path / "out" / "amap.zip")
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["amap/12/3336/1619.png", "amap/13/6672/3238.png", "amap/pack.json"]
    other = tmp_path / "laptop" / "tiles"
    copy = tiles.import_pack(out, tiles_dir=other)
    assert copy.path == other / "amap"
    assert {p: (copy.path / p).read_bytes() for p in tile_files(copy.path)} == {
        p: (original.path / p).read_bytes() for p in tile_files(original.path)}
    assert (copy.tiles, copy.bytes, copy.bbox, copy.fetched_at) == (
        original.tiles, original.bytes, original.bbox, original.fetched_at)
    with pytest.raises(tiles.PackError, match="no 'osm' tile pack"):
        tiles.export_pack("osm", tmp_path / "osm.zip")


# --------------------------------------------------------------------------- publish


def test_publish_links_tiles_under_static_and_unpublishes(tmp_path: Path, tiles_dir: Path) -> None:
    static = tmp_path / "static"
    pack = tiles.import_pack(make_pack(tmp_path / "src" / "amap"))
    published = tiles.publish()
    assert list(published) == ["amap"]
    served = static / "tiles" / "amap" / "12" / "3336" / "1619.png"
    assert served.read_bytes() == png_for(12, 3336, 1619)
    # a real file inside static/ (Streamlit refuses files whose real path leaves static/)
    assert not any(p.is_symlink() for p in [served, *served.parents])
    assert os.path.realpath(served).startswith(os.path.realpath(static) + os.sep)
    assert os.path.samefile(served, pack.path / "12" / "3336" / "1619.png")  # a hard link, not a copy
    assert tiles.tile_url("amap") == "/app/static/tiles/amap/{z}/{x}/{y}.png"
    assert tile_files(static / "tiles" / "amap") == tile_files(pack.path)

    # idempotent; a re-fetched pack with a new tile is published again
    inode = served.stat().st_ino
    assert tiles.publish() == published and served.stat().st_ino == inode
    new = pack.path / "14" / "13345" / "6477.png"
    new.parent.mkdir(parents=True)
    new.write_bytes(png_for(14, 13345, 6477))
    tiles.pack._write_pack_json(pack.path, "amap", bbox=SMALL_BBOX, source_url="", fetched_at="2026-01-03T10:00:00+08:00")
    tiles.publish()
    assert (static / "tiles" / "amap" / "14" / "13345" / "6477.png").read_bytes() == png_for(14, 13345, 6477)

    # the pack removed: publishing again removes it from static/
    import shutil

    shutil.rmtree(pack.path)
    assert tiles.publish() == {}
    assert list((static / "tiles").iterdir()) == []


def test_published_tiles_pass_streamlits_static_path_check(tmp_path: Path, tiles_dir: Path) -> None:
    """What Streamlit 1.67's /app/static route does with a path: a symlinked pack is refused, ours served."""
    from streamlit.web.server.component_file_utils import build_safe_abspath, guess_content_type

    static = tmp_path / "static"
    pack = tiles.import_pack(make_pack(tmp_path / "src" / "amap"))
    tiles.publish()
    rel = "tiles/amap/12/3336/1619.png"
    assert build_safe_abspath(str(static), rel) == os.path.realpath(static / rel)
    assert guess_content_type(str(static / rel)) == "image/png"
    (static / "tiles" / "linked").symlink_to(pack.path, target_is_directory=True)
    assert build_safe_abspath(str(static), "tiles/linked/12/3336/1619.png") is None


# --------------------------------------------------------------------------- command line


def test_cli_fetch_list_export_import(server: TileServer, tiles_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["tiles", "fetch", "--basemap", "amap", "--zoom", "12-14", "--bbox", ",".join(map(str, SMALL_BBOX)),
            "--url", server.url, "--rate", "1000"]
    empty = runner.invoke(cli, ["tiles", "list"])
    assert empty.exit_code == 0 and "no packs installed" in empty.output and "没有安装瓦片包" in empty.output

    result = runner.invoke(cli, [*args, "--yes"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert re.search(r"z12\s+1 瓦片 tiles\n\s+z13\s+4 瓦片 tiles\n\s+z14\s+4 瓦片 tiles\n", out)
    assert "total: 9" in out and "0.1 MB" in out
    assert "Gaode.com" in out and "offline briefings only" in out
    assert "完成 done: 9 瓦片 tiles" in out and "missing (404): 0" in out
    assert str(tiles_dir / "amap") in out
    assert len(tile_files(tiles_dir / "amap")) == 9

    listed = runner.invoke(cli, ["tiles", "list"])
    assert listed.exit_code == 0
    row = next(line for line in listed.output.splitlines() if line.startswith("amap"))
    assert row.split()[:4] == ["amap", "GCJ-02", "12-14", "9"]
    assert str(tiles_dir / "amap") in row

    zipped = runner.invoke(cli, ["tiles", "export", "amap", str(tmp_path / "x.zip")])
    assert zipped.exit_code == 0 and (tmp_path / "x.zip").is_file()
    imported = runner.invoke(cli, ["tiles", "import", str(tmp_path / "x.zip")])
    assert imported.exit_code == 0 and "imported amap: 9" in imported.output


@pytest.mark.parametrize("answer", ["n\n", ""])  # declined, and stdin closed without an answer
def test_cli_fetch_declined_downloads_nothing(server: TileServer, tiles_dir: Path, answer: str) -> None:
    result = CliRunner().invoke(cli, ["tiles", "fetch", "--basemap", "amap", "--zoom", "12-13", "--bbox",
                                      ",".join(map(str, SMALL_BBOX)), "--url", server.url], input=answer)
    assert result.exit_code == 1
    assert "cancelled, nothing downloaded" in result.output and "已取消" in result.output
    assert "Start the download?" in result.output
    assert server.requests == []
    assert not tiles_dir.exists()


def test_cli_unreachable_url_fails_cleanly(tiles_dir: Path) -> None:
    url = f"http://127.0.0.1:{free_closed_port()}/{{z}}/{{x}}/{{y}}.png"
    result = CliRunner().invoke(cli, ["tiles", "fetch", "--basemap", "amap", "--zoom", "12-13", "--bbox",
                                      ",".join(map(str, SMALL_BBOX)), "--url", url, "--yes"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "错误 / error: 一个瓦片也没有下载成功" in result.stderr
    assert "on a connected machine" in result.stderr and "nightmap tiles import" in result.stderr
    assert "Traceback" not in result.output


def test_cli_bad_arguments_fail_cleanly(tiles_dir: Path) -> None:
    runner = CliRunner()
    bad_zoom = runner.invoke(cli, ["tiles", "fetch", "--basemap", "amap", "--zoom", "15-12", "--yes"])
    assert bad_zoom.exit_code == 1 and "bad zoom range" in bad_zoom.stderr and "缩放级别" in bad_zoom.stderr
    bad_box = runner.invoke(cli, ["tiles", "fetch", "--basemap", "osm", "--bbox", "1,2,3", "--yes"])
    assert bad_box.exit_code == 1 and "bad bbox" in bad_box.stderr
    missing = runner.invoke(cli, ["tiles", "export", "amap", "x.zip"])
    assert missing.exit_code == 1 and "no 'amap' tile pack installed" in missing.stderr
    assert all(isinstance(r.exception, SystemExit) for r in (bad_zoom, bad_box, missing))


def test_cli_without_stdin_does_not_hang(tmp_path: Path) -> None:
    """The real command with stdin at end of file and no --yes: aborts at once, status 1, nothing fetched."""
    env = os.environ | {"NIGHTMAP_TILES_DIR": str(tmp_path / "tiles")}
    url = f"http://127.0.0.1:{free_closed_port()}/{{z}}/{{x}}/{{y}}.png"
    run = subprocess.run([sys.executable, "-m", "nightmap.cli", "tiles", "fetch", "--basemap", "amap", "--zoom",
                          "12", "--bbox", ",".join(map(str, SMALL_BBOX)), "--url", url],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, env=env, check=False)
    assert run.returncode == 1
    assert "cancelled, nothing downloaded" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "tiles").exists()
