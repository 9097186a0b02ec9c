"""A pack's tiles over a box, stitched into one picture: the zoom to read, the mosaic and where its pixels lie.

Pure functions, no plotting: :mod:`nightmap.briefing_map` draws the result under
the daily briefing's map. Tile indices are the provider's (see
:mod:`nightmap.tiles`): for an AMap pack (GCJ-02) the WGS-84 box is converted
to GCJ-02 before the indices are worked out (:func:`~nightmap.tiles.tile_range`),
and a mosaic pixel's GCJ-02 position is converted back to WGS-84 by
:meth:`Mosaic.lonlat`. Nothing is fetched: only tiles on disk are read.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from PIL import Image

from nightmap.tiles.errors import TilesArgumentError
from nightmap.tiles.pack import MAX_TILE_BYTES, Pack
from nightmap.tiles.planning import check_bbox, tile_range

TILE_PX = 256
"""Side of a tile in pixels; a tile of another size is resampled to it."""

MAX_MOSAIC_TILES = 64
"""A mosaic holds at most this many tiles (a 2048 × 2048 picture for 8 × 8)."""


@dataclass(frozen=True)
class Mosaic:
    """The tiles of one zoom over a box, side by side.

    Pixel coordinates are continuous: ``(0, 0)`` is the top-left corner of the
    top-left tile, ``(width, height)`` the bottom-right corner of the last one;
    pixel ``(i, j)`` covers ``[i, i + 1] × [j, j + 1]`` (as ``imshow`` with
    ``extent=(0, width, height, 0)`` draws it).

    Attributes
    ----------
    image
        ``(height, width, 4)`` RGBA ``uint8``; a missing or unreadable tile is transparent.
    zoom
        The zoom level read.
    x0, y0
        Tile indices of the top-left tile.
    datum
        The datum the tiles are drawn in (the pack's): ``"GCJ-02"`` or ``"WGS-84"``.
    found, missing, unreadable
        Tiles read, tiles not on disk, tiles on disk that could not be read as pictures.
    """

    image: np.ndarray
    zoom: int
    x0: int
    y0: int
    datum: str
    found: int
    missing: int
    unreadable: int = 0

    @property
    def width(self) -> int:
        """Width in pixels."""
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        """Height in pixels."""
        return int(self.image.shape[0])

    @property
    def total(self) -> int:
        """Tiles the box needs (found, missing or unreadable)."""
        return self.found + self.missing + self.unreadable

    def lonlat(self, col: ArrayLike, row: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """WGS-84 longitude and latitude of mosaic pixel coordinates.

        Parameters
        ----------
        col, row
            Pixel coordinates (see the class docstring), broadcast together.

        Returns
        -------
        tuple of numpy.ndarray
            ``(lon, lat)`` in WGS-84 degrees. For a GCJ-02 pack the tiles'
            web-mercator position is a GCJ-02 one and is converted with
            :func:`nightmap.geo.gcj02_to_wgs84`.
        """
        col_arr, row_arr = np.broadcast_arrays(np.asarray(col, dtype=float), np.asarray(row, dtype=float))
        n = 2.0**self.zoom
        tx = self.x0 + col_arr / TILE_PX
        ty = self.y0 + row_arr / TILE_PX
        lon = tx / n * 360.0 - 180.0
        lat = np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * ty / n))))
        if self.datum == "GCJ-02":
            from nightmap.geo import gcj02_to_wgs84

            lon, lat = gcj02_to_wgs84(lon, lat)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def affine_to(self, project: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]], *,
                  samples: int = 9) -> tuple[np.ndarray, float]:
        """The affine map from pixel coordinates to a projected CRS, fitted by least squares.

        Over a few kilometres web mercator (and GCJ-02's smooth offset) differ
        from a transverse-mercator grid by an almost affine map, so one affine
        transform places the picture to within a few metres.

        Parameters
        ----------
        project
            WGS-84 ``(lon, lat)`` arrays → projected ``(x, y)`` arrays (e.g. UTM metres).
        samples
            The fit uses a ``samples × samples`` grid of points over the mosaic.

        Returns
        -------
        tuple
            ``(matrix, residual)``: a 3 × 3 matrix ``M`` with
            ``(x, y, 1) = M @ (col, row, 1)``, and the largest distance, in the
            projected units, between a sample point's projected position and
            the one the matrix gives.
        """
        cols, rows = np.meshgrid(np.linspace(0, self.width, samples), np.linspace(0, self.height, samples))
        cols, rows = cols.ravel(), rows.ravel()
        lon, lat = self.lonlat(cols, rows)
        x, y = (np.asarray(v, dtype=float) for v in project(lon, lat))
        design = np.column_stack([cols, rows, np.ones_like(cols)])
        coef, *_ = np.linalg.lstsq(design, np.column_stack([x, y]), rcond=None)
        fitted = design @ coef
        residual = float(np.hypot(fitted[:, 0] - x, fitted[:, 1] - y).max())
        matrix = np.vstack([coef.T, [0.0, 0.0, 1.0]])
        return matrix, residual


def plain_attribution(text: str) -> str:
    """A provider's HTML attribution as plain text: tags dropped, entities unescaped, spaces collapsed.

    ``'&copy; 高德地图 <a href="…">Gaode.com</a>'`` → ``'© 高德地图 Gaode.com'``.
    """
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split())


def _zooms_on_disk(pack: Pack) -> list[int]:
    """The pack's zooms with a folder on disk (all of ``min_zoom``…``max_zoom`` when none is found)."""
    every = list(range(pack.min_zoom, pack.max_zoom + 1))
    present = [z for z in every if (Path(pack.path) / str(z)).is_dir()]
    return present or every


def _count(bbox: Sequence[float], zoom: int, datum: str) -> int:
    x0, y0, x1, y1 = tile_range(bbox, zoom, datum=datum)
    return (x1 - x0 + 1) * (y1 - y0 + 1)


def choose_zoom(pack: Pack, bbox_wgs84: Sequence[float], width_px: float, *,
                max_tiles: int = MAX_MOSAIC_TILES) -> int:
    """The zoom to read for a picture of ``bbox_wgs84`` ``width_px`` pixels wide.

    The smallest of the pack's zooms whose tile pixels are at least as fine as
    the picture's (the largest zoom when none is fine enough), lowered while
    the box would need more than ``max_tiles`` tiles.

    Parameters
    ----------
    pack
        The pack; only its zooms present on disk are considered.
    bbox_wgs84
        ``(west, south, east, north)`` in WGS-84.
    width_px
        The picture's width in pixels for the box's width.
    max_tiles
        Most tiles a mosaic may hold.

    Returns
    -------
    int
        The zoom level.

    Raises
    ------
    TilesArgumentError
        For a bad box or width, or when the box needs more than ``max_tiles``
        tiles even at the pack's smallest zoom.
    """
    west, _south, east, _north = check_bbox(bbox_wgs84)
    if not (isinstance(width_px, int | float) and math.isfinite(width_px) and width_px > 0):
        raise TilesArgumentError(f"图片宽度无效：{width_px!r} / bad picture width {width_px!r}")
    zooms = _zooms_on_disk(pack)
    need = math.log2(360.0 * width_px / (TILE_PX * (east - west)))  # 2**z tiles of TILE_PX px span 360°
    fine = [z for z in zooms if z >= need - 1e-9]
    k = zooms.index(fine[0]) if fine else len(zooms) - 1
    while k > 0 and _count(bbox_wgs84, zooms[k], pack.datum) > max_tiles:
        k -= 1
    n = _count(bbox_wgs84, zooms[k], pack.datum)
    if n > max_tiles:
        raise TilesArgumentError(
            f"该范围在瓦片包最小缩放级别 {zooms[k]} 下也需要 {n} 个瓦片，超过上限 {max_tiles}"
            f" / the box needs {n} tiles even at the pack's smallest zoom {zooms[k]}, more than {max_tiles}"
        )
    return zooms[k]


def _read_tile(path: Path) -> np.ndarray | None:
    """A tile as ``(TILE_PX, TILE_PX, 4)`` RGBA, or ``None`` when it is not a readable picture."""
    try:
        if path.is_symlink() or path.stat().st_size > MAX_TILE_BYTES:
            return None
        with Image.open(path) as img:
            rgba = img.convert("RGBA")
            if rgba.size != (TILE_PX, TILE_PX):
                rgba = rgba.resize((TILE_PX, TILE_PX), Image.Resampling.BILINEAR)
            return np.asarray(rgba, dtype=np.uint8)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def read_mosaic(pack: Pack, bbox_wgs84: Sequence[float], zoom: int, *,
                max_tiles: int = MAX_MOSAIC_TILES) -> Mosaic:
    """The pack's tiles of one zoom covering ``bbox_wgs84``, stitched together.

    Parameters
    ----------
    pack
        The pack to read from (``<pack.path>/<z>/<x>/<y>.png``).
    bbox_wgs84
        ``(west, south, east, north)`` in WGS-84; converted to the pack's datum
        for the tile indices (:func:`~nightmap.tiles.tile_range`).
    zoom
        The zoom level (see :func:`choose_zoom`).
    max_tiles
        Most tiles the mosaic may hold.

    Returns
    -------
    Mosaic
        Missing tiles and tiles that cannot be read are left transparent and
        counted (``missing``, ``unreadable``), never an error.

    Raises
    ------
    TilesArgumentError
        For a bad box or zoom, or a box that needs more than ``max_tiles`` tiles.
    """
    x0, y0, x1, y1 = tile_range(bbox_wgs84, zoom, datum=pack.datum)
    nx, ny = x1 - x0 + 1, y1 - y0 + 1
    if nx * ny > max_tiles:
        raise TilesArgumentError(
            f"该范围在缩放级别 {zoom} 下需要 {nx * ny} 个瓦片，超过上限 {max_tiles}"
            f" / the box needs {nx * ny} tiles at zoom {zoom}, more than {max_tiles}"
        )
    image = np.zeros((ny * TILE_PX, nx * TILE_PX, 4), dtype=np.uint8)
    found = missing = unreadable = 0
    root = Path(pack.path) / str(zoom)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            path = root / str(x) / f"{y}.png"
            if not path.is_file():
                missing += 1
                continue
            tile = _read_tile(path)
            if tile is None:
                unreadable += 1
                continue
            found += 1
            r, c = (y - y0) * TILE_PX, (x - x0) * TILE_PX
            image[r:r + TILE_PX, c:c + TILE_PX] = tile
    return Mosaic(image=image, zoom=zoom, x0=x0, y0=y0, datum=pack.datum, found=found, missing=missing,
                  unreadable=unreadable)
