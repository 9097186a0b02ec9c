"""The daily briefing's map over an offline tile pack: mosaic geometry, zoom choice, drawing, basemap choice, CLI.

Every pack is made here in ``tmp_path`` (small PNGs written with Pillow); nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import docx
import numpy as np
import pytest
from PIL import Image

import nightmap.map as nmap
from apptest_support import run_page
from conftest import TINY_ZONES
from nightmap import briefing, briefing_map, geo, tiles
from nightmap.filters import Filter
from nightmap.store import Store
from nightmap.tiles.planning import _tile_xy, tile_range
from test_briefing import media  # noqa: F401 - the fixture is used by name

ROOT = Path(__file__).resolve().parents[1]
NIGHT = dt.date(2022, 6, 17)
POINT = (113.2445, 35.2150)  # WGS-84, central 解放区 (near 百货大楼)
MAGENTA = (255, 0, 255)
FETCHED_AT = "2026-01-03T10:00:00+08:00"


# --------------------------------------------------------------------------- fake packs


def png(colour: tuple[int, int, int], *, dot: tuple[int, int] | None = None, size: int = 256) -> bytes:
    """A solid tile, with a 3 × 3 red dot centred on pixel ``dot`` (column, row) when given."""
    img = Image.new("RGB", (size, size), colour)
    if dot is not None:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                c, r = dot[0] + dx, dot[1] + dy
                if 0 <= c < size and 0 <= r < size:
                    img.putpixel((c, r), (255, 0, 0))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def make_pack(tiles_dir: Path, name: str, tiles_zxy: Iterable[tuple[int, int, int]], *,
              colour: tuple[int, int, int] = (255, 255, 255), special: dict | None = None) -> tiles.Pack:
    """A pack ``tiles_dir/name`` of solid tiles, ``special[(z, x, y)]`` overriding a tile's bytes."""
    folder = tiles_dir / name
    plain = png(colour)
    for z, x, y in tiles_zxy:
        path = folder / str(z) / str(x) / f"{y}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((special or {}).get((z, x, y), plain))
    tiles.pack._write_pack_json(folder, name, bbox=(113.0, 35.0, 113.5, 35.5), source_url="", fetched_at=FETCHED_AT)
    return tiles.get_pack(name, tiles_dir)


def block(bbox: tuple[float, float, float, float], zoom: int, datum: str) -> list[tuple[int, int, int]]:
    """Every tile of ``bbox`` at ``zoom`` in the provider's indices."""
    x0, y0, x1, y1 = tile_range(bbox, zoom, datum=datum)
    return [(zoom, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def padded_bounds(frame, pad: float) -> tuple[float, float, float, float]:  # noqa: ANN001
    west, south, east, north = (float(v) for v in frame.total_bounds)
    return west - pad, south - pad, east + pad, north + pad


def magentaish(pixels: np.ndarray) -> np.ndarray:
    """Pixels that are a (faded) magenta: red and blue high, green clearly lower."""
    r, g, b = (pixels[..., i].astype(int) for i in range(3))
    return (r > 230) & (b > 230) & (g < 215)


def utm(lon: float, lat: float) -> np.ndarray:
    return geo._to_metric(np.array([[lon, lat]]))[0]


# --------------------------------------------------------------------------- (a) geometry


@pytest.mark.parametrize("name", ["amap", "osm"])
def test_a_marked_tile_pixel_lands_on_its_point(tmp_path: Path, name: str) -> None:
    datum = tiles.PROVIDERS[name].datum
    zoom = 16
    lon, lat = geo.wgs84_to_gcj02(*POINT) if datum == "GCJ-02" else POINT
    fx, fy = _tile_xy(lon, lat, zoom)
    tx, ty = int(fx), int(fy)
    dot = (int((fx - tx) * 256), int((fy - ty) * 256))
    around = [(zoom, tx + i, ty + j) for i in range(-2, 3) for j in range(-2, 3)]
    pack = make_pack(tmp_path / "tiles", name, around, special={(zoom, tx, ty): png((255, 255, 255), dot=dot)})

    box = (POINT[0] - 0.004, POINT[1] - 0.003, POINT[0] + 0.004, POINT[1] + 0.003)
    mosaic = tiles.read_mosaic(pack, box, zoom)
    assert mosaic.datum == datum and mosaic.found == mosaic.total > 1 and mosaic.missing == 0
    (west, east), (north, south) = mosaic.lonlat([0, mosaic.width], [0, mosaic.height])
    assert west < box[0] and east > box[2] and south < box[1] and north > box[3]  # the tiles cover the box
    img = mosaic.image
    red = (img[..., 0] > 200) & (img[..., 1] < 80) & (img[..., 2] < 80) & (img[..., 3] == 255)
    rows, cols = np.nonzero(red)
    assert len(rows) == 9
    col, row = cols.mean() + 0.5, rows.mean() + 0.5  # the centre of the dot's middle pixel

    matrix, residual = mosaic.affine_to(briefing_map._to_utm)
    assert residual < 1.0  # metres, over ~1 km: web mercator (and GCJ-02's offset) are near-affine in UTM
    x, y, one = matrix @ np.array([col, row, 1.0])
    assert one == pytest.approx(1.0)
    assert math.hypot(*(np.array([x, y]) - utm(*POINT))) < 5.0
    # through WGS-84 directly too: the pixel's lon/lat is the point's
    plon, plat = mosaic.lonlat(col, row)
    assert math.hypot(*(utm(float(plon), float(plat)) - utm(*POINT))) < 5.0
    if datum == "GCJ-02":  # what the test guards: taking AMap's tiles as WGS-84 would put the dot this far off
        assert math.hypot(*(utm(lon, lat) - utm(*POINT))) > 300


def test_missing_and_unreadable_tiles_are_left_transparent_and_counted(tmp_path: Path) -> None:
    box = (POINT[0] - 0.004, POINT[1] - 0.003, POINT[0] + 0.004, POINT[1] + 0.003)
    zxy = block(box, 16, "WGS-84")
    assert len(zxy) >= 3
    broken, gone = zxy[0], zxy[1]
    pack = make_pack(tmp_path / "tiles", "osm", zxy, colour=MAGENTA, special={broken: b"\x89PNG\r\n\x1a\nrubbish"})
    (pack.path / str(gone[0]) / str(gone[1]) / f"{gone[2]}.png").unlink()
    mosaic = tiles.read_mosaic(pack, box, 16)
    assert (mosaic.found, mosaic.missing, mosaic.unreadable) == (len(zxy) - 2, 1, 1)
    for _z, x, y in (broken, gone):
        r, c = (y - mosaic.y0) * 256, (x - mosaic.x0) * 256
        assert (mosaic.image[r:r + 256, c:c + 256, 3] == 0).all()
    z, x, y = zxy[2]
    r, c = (y - mosaic.y0) * 256, (x - mosaic.x0) * 256
    assert tuple(mosaic.image[r + 10, c + 10]) == (*MAGENTA, 255)


def test_the_attribution_is_plain_text() -> None:
    assert tiles.plain_attribution(tiles.PROVIDERS["amap"].attribution) == "© 高德地图 Gaode.com"
    assert tiles.plain_attribution(tiles.PROVIDERS["osm"].attribution) == "© OpenStreetMap contributors"


# --------------------------------------------------------------------------- (c) zoom choice


def test_choose_zoom_keeps_to_the_packs_zooms_and_the_tile_cap(tmp_path: Path) -> None:
    box = (113.235, 35.205, 113.255, 35.225)  # 0.02° wide: 800 px need zoom 15.8 → 16
    width = 800

    def pack(name: str, zooms: Iterable[int]) -> tiles.Pack:
        folder = tmp_path / f"t{'-'.join(map(str, zooms))}"
        return make_pack(folder, name, [(z, *tile_range(box, z, datum="WGS-84")[:2]) for z in zooms])

    assert tiles.choose_zoom(pack("osm", range(12, 19)), box, width) == 16
    assert tiles.choose_zoom(pack("osm", range(12, 15)), box, width) == 14  # none fine enough: the finest
    assert tiles.choose_zoom(pack("osm", (17, 18)), box, width, max_tiles=100) == 17  # all finer: the coarsest
    assert tiles.choose_zoom(pack("osm", (14, 17)), box, width, max_tiles=100) == 17  # 15, 16 not on disk
    assert tiles.choose_zoom(pack("osm", range(12, 19)), box, 3000, max_tiles=500) == 18  # wider: finer tiles
    assert tiles.choose_zoom(pack("osm", range(12, 19)), box, 3000) == 16  # …unless that is too many tiles

    full = pack("amap", range(12, 19))
    capped = tiles.choose_zoom(full, box, width, max_tiles=4)
    x0, y0, x1, y1 = tile_range(box, capped, datum="GCJ-02")
    assert capped < 16 and (x1 - x0 + 1) * (y1 - y0 + 1) <= 4
    x0, y0, x1, y1 = tile_range(box, capped + 1, datum="GCJ-02")
    assert (x1 - x0 + 1) * (y1 - y0 + 1) > 4  # lowered no further than needed
    with pytest.raises(tiles.TilesArgumentError, match="more than 1"):
        tiles.choose_zoom(pack("amap", (16, 17)), box, width, max_tiles=1)
    with pytest.raises(tiles.TilesArgumentError, match="more than 2"):
        tiles.read_mosaic(full, box, 16, max_tiles=2)


# --------------------------------------------------------------------------- (b) the picture


@pytest.fixture(scope="module")
def zones_and_frames():  # noqa: ANN201
    zones = geo.load_zones(ROOT / "data" / "zones.geojson")
    values = zones[["zone_id"]].assign(value=np.arange(len(zones), dtype=float))
    return zones, geo.load_districts(), geo.load_roads(), values


def _draw(frames, pack: tiles.Pack | None) -> briefing_map.MapPicture:  # noqa: ANN001
    zones, districts, roads, values = frames
    return briefing_map.draw_map(zones=zones, districts=districts, roads=roads, values=values, metric="visitors",
                                 lang="zh", dpi=100, pack=pack)


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_the_tiles_are_drawn_faded_under_the_zones(tmp_path: Path, zones_and_frames) -> None:  # noqa: ANN001
    zones = zones_and_frames[0]
    pack = make_pack(tmp_path / "tiles", "amap", block(padded_bounds(zones, 0.05), 14, "GCJ-02"), colour=MAGENTA)
    plain = _draw(zones_and_frames, None)
    drawn = _draw(zones_and_frames, pack)
    assert plain.pack is None and plain.wanted is None and plain.residual_m is None
    assert drawn.pack == pack and drawn.zoom == 14 and drawn.found > 0 and drawn.missing == 0
    assert drawn.residual_m is not None and drawn.residual_m < 5.0

    with_tiles, without = _pixels(drawn.png), _pixels(plain.png)
    panel = slice(None), slice(0, int(with_tiles.shape[1] * 0.62))  # the map, left of the inset and legend
    assert magentaish(without).sum() == 0
    assert magentaish(with_tiles[panel]).mean() > 0.5  # most of the map shows the tiles…
    assert (with_tiles[panel] == MAGENTA).all(axis=-1).sum() == 0  # …faded, never at full strength
    assert magentaish(with_tiles[:, int(with_tiles.shape[1] * 0.66):]).sum() == 0  # not in the inset nor legend
    # the zones are drawn over the tiles in their own colours, as many pixels of each as without tiles
    values = zones_and_frames[3]["value"]
    scale = nmap.colour_scale(list(values))
    for hex_colour in {scale.colour(v) for v in values}:
        rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
        before, after = ((px[panel] == rgb).all(axis=-1).sum() for px in (without, with_tiles))
        assert before > 30 and after > 0.8 * before, hex_colour


def test_a_pack_with_no_tile_in_the_frame_draws_the_schematic(tmp_path: Path, zones_and_frames) -> None:  # noqa: ANN001
    elsewhere = (116.30, 39.90, 116.32, 39.92)  # Beijing
    pack = make_pack(tmp_path / "tiles", "osm", block(elsewhere, 14, "WGS-84"), colour=MAGENTA)
    drawn = _draw(zones_and_frames, pack)
    assert drawn.pack is None and drawn.wanted == pack and drawn.why_not == "uncovered" and drawn.found == 0
    assert drawn.png == _draw(zones_and_frames, None).png
    note = briefing.basemap_note(drawn, "en")
    assert note == "Basemap: schematic (the OpenStreetMap offline tile pack does not cover this map)."


# --------------------------------------------------------------------------- (d) the briefing and the command


def _caption(data: bytes, start: str) -> str:
    doc = docx.Document(io.BytesIO(data))
    return next(p.text for p in doc.paragraphs if p.text.startswith(start))


def _docx_picture(data: bytes) -> np.ndarray:
    doc = docx.Document(io.BytesIO(data))
    blobs = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(blobs) == 1
    return _pixels(blobs[0])


def tiny_pack(tiles_dir: Path, name: str) -> tiles.Pack:
    zones = geo.load_zones(ROOT / "data" / "zones.geojson")
    tiny = zones[zones["zone_id"].isin(TINY_ZONES)]
    return make_pack(tiles_dir, name, block(padded_bounds(tiny, 0.03), 14, tiles.PROVIDERS[name].datum),
                     colour=MAGENTA)


def test_choose_pack_prefers_amap_then_osm_and_refuses_a_pack_not_installed(tmp_path: Path) -> None:
    folder = tmp_path / "tiles"
    assert briefing.choose_pack("auto", tiles_dir=folder) is None
    with pytest.raises(tiles.PackError, match="no 'amap' tile pack installed"):
        briefing.choose_pack("amap", tiles_dir=folder)
    with pytest.raises(ValueError, match="unknown basemap"):
        briefing.choose_pack("amap_pack", tiles_dir=folder)
    osm = tiny_pack(folder, "osm")
    assert briefing.choose_pack("auto", tiles_dir=folder) == osm
    amap = tiny_pack(folder, "amap")
    assert briefing.choose_pack("auto", tiles_dir=folder) == amap
    assert briefing.choose_pack("osm", tiles_dir=folder) == osm
    assert briefing.choose_pack("none", tiles_dir=folder) is None


def test_the_caption_names_the_basemap(tmp_path: Path, tiny_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIGHTMAP_TILES_DIR", str(tmp_path / "tiles"))
    flt = Filter(NIGHT, NIGHT)
    schematic = briefing.make_briefing(tiny_store, flt, lang="en")
    assert _caption(schematic, "Figure 1").endswith(" Basemap: schematic (district boundaries and main roads, "
                                                    "approximate).")
    assert magentaish(_docx_picture(schematic)).sum() == 0
    with pytest.raises(tiles.PackError):
        briefing.make_briefing(tiny_store, flt, lang="en", basemap="osm")

    tiny_pack(tmp_path / "tiles", "osm")
    on_osm = briefing.make_briefing(tiny_store, flt, lang="en")
    assert _caption(on_osm, "Figure 1").endswith(
        " Basemap: OpenStreetMap offline tile pack, © OpenStreetMap contributors.")
    assert magentaish(_docx_picture(on_osm)).sum() > 10_000
    none = briefing.make_briefing(tiny_store, flt, lang="zh", basemap="none")
    assert _caption(none, "图1").endswith("位置仅为示意。底图：示意底图（行政区界与主要道路，位置为近似）。")
    assert magentaish(_docx_picture(none)).sum() == 0


def nightmap(*args: str, db: Path, data_dir: Path, tiles_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "nightmap.cli", "--db", str(db), "--data-dir", str(data_dir), "report", *args]
    env = {**os.environ, "NIGHTMAP_TILES_DIR": str(tiles_dir)}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False, env=env, cwd=cwd)


def test_report_basemap_option(tiny_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tiles"
    run = nightmap("--night", "2022-06-17", "--basemap", "osm", db=tmp_path / "c.duckdb", data_dir=tiny_dir,
                   tiles_dir=folder, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "未安装可用的“osm”离线瓦片包" in run.stderr and "no usable 'osm' offline tile pack is installed" in run.stderr
    assert "Traceback" not in run.stderr and not list(tmp_path.glob("*.docx"))

    tiny_pack(folder, "amap")
    run = nightmap("--night", "2022-06-17", db=tmp_path / "c.duckdb", data_dir=tiny_dir, tiles_dir=folder,
                   cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = (tmp_path / "夜经济日报_20220617.docx").read_bytes()
    assert _caption(data, "图1").endswith("底图：高德地图离线瓦片包，© 高德地图 Gaode.com。")
    assert magentaish(_docx_picture(data)).sum() > 10_000


@pytest.mark.parametrize(("view_basemap", "wanted"), [
    ("amap_pack", "amap"), ("osm_pack", "osm"), ("none", "none"), ("amap", "auto"), ("osm", "auto"),
])
def test_the_overview_button_draws_the_views_offline_basemap(view_basemap: str, wanted: str) -> None:
    assert briefing.basemap_of_view(view_basemap) == wanted


def test_the_overview_button_draws_the_pack_of_the_view(app_store: Store, media: list, tmp_path: Path,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIGHTMAP_TILES_DIR", str(tmp_path / "tiles"))
    monkeypatch.setenv("NIGHTMAP_STATIC_DIR", str(tmp_path / "static"))
    tiny_pack(tmp_path / "tiles", "osm")
    captions = {}
    for base in ("osm_pack", "none"):
        at = run_page("app.py", **{"from": "2022-06-18", "to": "2022-06-18", "base": base})
        assert not at.exception
        at.button(key="nm_briefing_make").click().run()
        assert not at.exception
        button = next(b for b in at.get("download_button") if b.label == "下载日报（DOCX）")
        captions[base] = _caption(media[-1].get_file(button.proto.url.rsplit("/", 1)[1]).content, "图1")
    assert captions["osm_pack"].endswith("底图：OpenStreetMap 离线瓦片包，© OpenStreetMap contributors。")
    assert captions["none"].endswith("底图：示意底图（行政区界与主要道路，位置为近似）。")
