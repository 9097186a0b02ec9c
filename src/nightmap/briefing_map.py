"""The daily briefing's map picture: zones coloured by a metric, drawn without a browser.

geopandas geometries are drawn with matplotlib's Agg canvas (no pyplot, no
display) in UTM 49N metres (:data:`nightmap.geo.METRIC_CRS`), so the scale bar
is true. The picture uses the same colour classes, legend breaks and titles
as the dashboard's map (:func:`nightmap.map.colour_scale`,
:func:`~nightmap.map.format_ticks`, :func:`~nightmap.map.metric_title`):
the 解放区 boundary, the reference roads, each zone filled by its value — a
commercial complex with a thick black outline, a zone whose place is not
surveyed (:func:`nightmap.schema.is_verified`) dashed —, zone names, a legend,
a scale bar, a north arrow and an inset of the whole district.

Under it, when an offline tile pack is given (:mod:`nightmap.tiles`), the
pack's tiles: read for the frame (:func:`nightmap.tiles.read_mosaic`, at the
zoom :func:`~nightmap.tiles.choose_zoom` picks for the picture's width), placed
in UTM metres by an affine transform fitted by least squares to the tiles'
web-mercator (GCJ-02 → WGS-84 for AMap) positions (:meth:`~nightmap.tiles.Mosaic.affine_to`;
over a few kilometres it is right to a few metres, less than a pixel of the
picture), faded toward white so that the coloured zones stay the figure, with
the provider's attribution in the lower right corner. With tiles the 解放区 land
is not filled (its outline stays), the neighbours are veiled, and the reference
roads are left out: they are approximate, and the tiles show the real streets
with their names. :func:`draw_map` says what was drawn (:class:`MapPicture`);
:func:`render_map` gives only the PNG.

Chinese text needs a CJK font: :func:`cjk_font` looks for Noto Sans CJK
(Debian's ``fonts-noto-cjk``) and a few others through
:mod:`matplotlib.font_manager`. Without one the picture is drawn in English and
a warning says which package to install.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Affine2D, Bbox
from pyproj import Transformer

import nightmap.map as nmap
from nightmap import geo, metrics, tiles
from nightmap.i18n import t
from nightmap.schema import is_verified

CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC", "Noto Sans CJK", "Noto Serif CJK SC", "Noto Serif CJK", "Source Han Sans SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "SimHei", "Microsoft YaHei", "PingFang SC",
)
"""Font families that draw Chinese, best first (a name matches every family that begins with it)."""
FONT_HINT = "apt-get install fonts-noto-cjk"
SIZE_IN: tuple[float, float] = (6.3, 7.0)
"""The picture's size in inches: 16 cm wide, the text width of an A4 page with official margins."""
DPI = 200
LAND = "#f7f5f0"
WATER_OR_OUT = nmap.BACKGROUND
TILE_STRENGTH = 0.55
"""Share of a tile's colour kept under the map (the rest is white), so the coloured zones stay the figure."""
NEIGHBOUR_VEIL = 0.45
"""Opacity of the white veil over the neighbouring districts when tiles are drawn."""
_TO_WGS84 = Transformer.from_crs(geo.METRIC_CRS, "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class MapPicture:
    """The map picture and what lies under it.

    Attributes
    ----------
    png
        The picture.
    pack
        The tile pack drawn under the map; ``None``: the schematic basemap.
    wanted
        The pack asked for (``None``: none was).
    zoom
        Zoom level of the tiles read (``None`` when none were).
    found, missing
        Tiles of the frame drawn, and tiles of the frame not on disk or unreadable (left blank).
    residual_m
        Largest error, in metres, of the affine placement of the tiles over the
        frame (``None`` without tiles).
    why_not
        Why the pack asked for was not drawn: ``""`` (it was, or none was asked for),
        ``"uncovered"`` (no tile of the frame on disk), ``"too_many"`` (the frame needs
        too many tiles) or ``"misfit"`` (the affine placement is off by more than a pixel).
    """

    png: bytes
    pack: tiles.Pack | None = None
    wanted: tiles.Pack | None = None
    zoom: int | None = None
    found: int = 0
    missing: int = 0
    residual_m: float | None = None
    why_not: str = ""


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font that draws Chinese, or ``None``.

    Looks through :data:`CJK_FONTS` in order in matplotlib's font list (which
    reads the system fonts, e.g. ``/usr/share/fonts/opentype/noto``).
    """
    names = sorted({f.name for f in font_manager.fontManager.ttflist})
    for wanted in CJK_FONTS:
        for name in names:
            if name == wanted or (name.startswith(wanted) and "Mono" not in name):
                return name
    return None


def _font(lang: str) -> tuple[str, str]:
    """``(family, lang)`` to draw with: the CJK font, or DejaVu Sans and English when there is none."""
    family = cjk_font()
    if family is None:
        if lang != "en":
            warnings.warn(f"no CJK font found: the map is drawn in English ({FONT_HINT})", stacklevel=3)
        return "DejaVu Sans", "en"
    return family, lang


def _nice_length(span_m: float) -> float:
    """A round scale-bar length near a quarter of ``span_m`` metres."""
    target = span_m / 4
    best = 100.0
    for v in (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if v <= target:
            best = float(v)
    return best


def _frame_box(zones_m: gpd.GeoDataFrame, aspect: float, pad: float = 0.12) -> tuple[float, float, float, float]:
    """The zones' bounds, padded and widened or heightened to the axes' width/height ``aspect``."""
    minx, miny, maxx, maxy = (float(v) for v in zones_m.total_bounds)
    w, h = max(maxx - minx, 400.0), max(maxy - miny, 400.0)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    w, h = w * (1 + 2 * pad), h * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


_DIRECTIONS: tuple[tuple[int, int, str, str], ...] = (
    (1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"), (0, -1, "center", "top"),
    (1, 1, "left", "bottom"), (-1, 1, "right", "bottom"), (1, -1, "left", "top"), (-1, -1, "right", "top"),
)


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _place_labels(ax, fig: Figure, items: list[tuple[tuple[float, float, float, float], str, bool]],  # noqa: ANN001
                  family: str) -> list[Bbox]:
    """Zone names beside their zones (``items``: bounds in map units, name, bold), each put where it covers
    no other name and no zone, moving further out (with a leader line) when the near places are taken;
    where no place is free, the one that covers least.

    Returns the boxes (display coordinates) the zones and names take.
    """
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    shapes = [Bbox(ax.transData.transform([b[:2], b[2:]])).expanded(1.1, 1.1) for b, _, _ in items]
    labels: list[Bbox] = []
    for k, (bounds, name, strong) in enumerate(items):
        x0, y0, x1, y1 = bounds
        best: tuple[float, tuple] | None = None
        for gap in (3, 14, 28, 44):
            for sx, sy, ha, va in _DIRECTIONS:
                anchor = ((x0, x1)[sx > 0] if sx else (x0 + x1) / 2, (y0, y1)[sy > 0] if sy else (y0 + y1) / 2)
                text = ax.annotate(name, anchor, xytext=(sx * gap, sy * gap), textcoords="offset points", ha=ha,
                                   va=va, fontsize=8, family=family, fontweight="bold" if strong else "normal")
                box = text.get_window_extent(renderer).expanded(1.04, 1.1)
                text.remove()
                cost = sum(_overlap(box, b) for i, b in enumerate(shapes) if i != k) \
                    + 3 * sum(_overlap(box, b) for b in labels) + 0.01 * gap
                if not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)):
                    cost += 1e9
                if best is None or cost < best[0]:
                    best = (cost, (anchor, sx * gap, sy * gap, ha, va, box))
            if best is not None and best[0] < 1:
                break
        assert best is not None
        anchor, dx, dy, ha, va, box = best[1]
        ax.annotate(name, anchor, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=8,
                    family=family, fontweight="bold" if strong else "normal", color="#1a1a1a", zorder=8,
                    path_effects=[withStroke(linewidth=2.6, foreground="white")],
                    arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.6} if abs(dx) + abs(dy) > 10 else None)
        labels.append(box)
    return shapes + labels


def _road_labels(ax, fig: Figure, roads_m: gpd.GeoDataFrame, taken: list, lang: str, family: str) -> None:  # noqa: ANN001
    """Each road's name (``解放路≈``: its course is approximate) where it is in the frame and clear of names."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for rec in roads_m.to_dict("records"):
        name = nmap.zone_name({"name_zh": rec.get("name_zh"), "name_en": rec.get("name_en"), "zone_id": ""}, lang)
        spots = [(at, dy) for at in sorted((i / 20 for i in range(1, 20)), key=lambda a: abs(a - 0.5))
                 for dy in (0, 9, -9, 16, -16)]
        for at, dy in spots:  # on the road, or just beside it
            mid = rec["geometry"].interpolate(at, normalized=True)
            text = ax.annotate(t("map.road.label", lang, name=name), (mid.x, mid.y), xytext=(0, dy),
                               textcoords="offset points", fontsize=7, color="#6b6353", family=family,
                               style="italic" if lang == "en" else "normal", ha="center", va="center", zorder=3,
                               path_effects=[withStroke(linewidth=2.2, foreground=LAND)])
            box = text.get_window_extent(renderer)
            if frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1) and \
                    not any(box.overlaps(b) for b in taken):
                taken.append(box)
                break
            text.remove()


def _scale_bar(ax, box: tuple[float, float, float, float], lang: str, family: str) -> None:  # noqa: ANN001
    """A two-part black and white bar with ``0`` and its length, and a north arrow, in the lower left."""
    minx, miny, maxx, maxy = box
    length = _nice_length(maxx - minx)
    x0, y0 = minx + 0.05 * (maxx - minx), miny + 0.045 * (maxy - miny)
    hgt = 0.009 * (maxy - miny)
    for i, colour in enumerate(("#1a1a1a", "white")):
        ax.add_patch(Rectangle((x0 + i * length / 2, y0), length / 2, hgt, facecolor=colour,
                               edgecolor="#1a1a1a", lw=0.8, zorder=9))
    label = (t("briefing.map.km", lang, n=f"{length / 1000:g}") if length >= 1000
             else t("briefing.map.metres", lang, n=f"{length:g}"))
    effects = [withStroke(linewidth=2.4, foreground="white")]
    ax.text(x0, y0 + 1.8 * hgt, "0", ha="center", va="bottom", fontsize=7, family=family, zorder=9,
            path_effects=effects)
    ax.text(x0 + length, y0 + 1.8 * hgt, label, ha="center", va="bottom", fontsize=7, family=family, zorder=9,
            path_effects=effects)
    nx, ny = minx + 0.07 * (maxx - minx), maxy - 0.1 * (maxy - miny)
    ax.annotate("", xy=(nx, ny + 0.05 * (maxy - miny)), xytext=(nx, ny), zorder=9,
                arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.7", "color": "#1a1a1a", "lw": 1.4})
    ax.text(nx, ny + 0.058 * (maxy - miny), t("briefing.map.north", lang), ha="center", va="bottom",
            fontsize=9, fontweight="bold", family=family, zorder=9, path_effects=effects)


def _legend(ax, scale: nmap.ColourScale, *, metric: str, lang: str, family: str, any_missing: bool,  # noqa: ANN001
            any_unverified: bool, has_roads: bool) -> None:
    """The colour classes (highest first) and the line styles, as on the dashboard's legend."""
    ticks = nmap.format_ticks(list(scale.breaks), metric, lang)

    def wrap(text: str) -> str:  # the legend's column is narrow: long explanations go on several lines
        return "\n".join(textwrap.wrap(text, 26) if lang == "en" else
                         [text[i:i + 12] for i in range(0, len(text), 12)])

    handles: list = [Patch(facecolor=c, edgecolor="#777777", lw=0.5, label=f"{ticks[i]} — {ticks[i + 1]}")
                     for i, c in enumerate(scale.colours)][::-1]
    if any_missing:
        handles.append(Patch(facecolor=nmap.NO_DATA_COLOUR, edgecolor="#777777", lw=0.5,
                             label=t("map.legend.no_data", lang)))
    handles.append(Line2D([], [], color=nmap.COMPLEX_STROKE, lw=2.2, label=wrap(t("map.legend.complex", lang))))
    handles.append(Line2D([], [], color=nmap.STREET_STROKE, lw=0.9, label=wrap(t("map.legend.street", lang))))
    if any_unverified:
        handles.append(Line2D([], [], color=nmap.UNVERIFIED_STROKE, lw=1.3, linestyle=(0, (4, 2.5)),
                              label=wrap(t("map.legend.unverified", lang))))
    handles.append(Line2D([], [], color=nmap.FOCUS_STROKE, lw=1.6, label=wrap(t("map.legend.focus", lang))))
    if has_roads:
        handles.append(Line2D([], [], color=nmap.ROAD_CASING, lw=2.6, label=wrap(t("map.legend.roads", lang))))
    legend = ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=7.4, title_fontsize=9,
                       title=nmap.metric_title(metric, lang), prop={"family": family, "size": 7.4},
                       borderaxespad=0.2, handlelength=2.2, labelspacing=0.7, alignment="left")
    legend.get_title().set_family(family)
    legend.get_title().set_fontweight("bold")
    ax.set_axis_off()


def _inset(ax, districts_m: gpd.GeoDataFrame, box: tuple[float, float, float, float], lang: str,  # noqa: ANN001
           family: str) -> None:
    """The whole of 解放区 (neighbours faint) with this map's frame in red."""
    focus = districts_m[districts_m["is_focus"].astype(bool)]
    districts_m.plot(ax=ax, facecolor=WATER_OR_OUT, edgecolor=nmap.NEIGHBOUR_STROKE, lw=0.5)
    focus.plot(ax=ax, facecolor=LAND, edgecolor=nmap.FOCUS_STROKE, lw=1.0)
    minx, miny, maxx, maxy = (float(v) for v in focus.total_bounds)
    pad = 0.08 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.add_patch(Rectangle((box[0], box[1]), box[2] - box[0], box[3] - box[1], fill=False, edgecolor="#c00000",
                           lw=1.2, zorder=5))
    ax.set_title(t("briefing.map.inset", lang), fontsize=7.5, family=family, pad=3)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)
    ax.set_aspect("equal")
    ax.set_xlabel("")
    ax.set_ylabel("")


def _box_wgs84(box: tuple[float, float, float, float], pad: float = 0.01) -> tuple[float, float, float, float]:
    """The WGS-84 ``(west, south, east, north)`` around a UTM box (its edges sampled, so the grid's tilt is
    covered), padded by ``pad`` of its size."""
    minx, miny, maxx, maxy = box
    f = np.linspace(0.0, 1.0, 9)
    xs = np.concatenate([minx + f * (maxx - minx), np.full(9, maxx), maxx - f * (maxx - minx), np.full(9, minx)])
    ys = np.concatenate([np.full(9, miny), miny + f * (maxy - miny), np.full(9, maxy), maxy - f * (maxy - miny)])
    lon, lat = _TO_WGS84.transform(xs, ys)
    west, east, south, north = float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max())
    dx, dy = pad * (east - west), pad * (north - south)
    return west - dx, south - dy, east + dx, north + dy


def _to_utm(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xy = geo._to_metric(np.column_stack([np.ravel(lon), np.ravel(lat)]))
    return xy[:, 0], xy[:, 1]


def _faded(image: np.ndarray) -> np.ndarray:
    """RGBA tiles blended toward white (:data:`TILE_STRENGTH` of their colour kept); transparency kept."""
    rgb = 255.0 - (255.0 - image[..., :3].astype(float)) * TILE_STRENGTH
    return np.dstack([np.clip(np.rint(rgb), 0, 255).astype(np.uint8), image[..., 3]])


def _tile_layer(ax, pack: tiles.Pack, box: tuple[float, float, float, float], width_px: float,  # noqa: ANN001
                ) -> dict[str, object]:
    """Draw the pack's tiles under the frame ``box`` (UTM); returns what :class:`MapPicture` records.

    Nothing is drawn (``why_not`` says why) when no tile of the frame is on disk, when the frame needs too
    many tiles, or when the affine placement is off by more than a pixel of the picture (with a warning).
    """
    bbox = _box_wgs84(box)
    try:
        zoom = tiles.choose_zoom(pack, bbox, width_px)
        mosaic = tiles.read_mosaic(pack, bbox, zoom)
    except tiles.TilesArgumentError as exc:
        warnings.warn(f"tile pack {pack.name} not drawn under the map: {exc}", stacklevel=3)
        return {"why_not": "too_many"}
    info: dict[str, object] = {"zoom": zoom, "found": mosaic.found, "missing": mosaic.missing + mosaic.unreadable}
    if mosaic.found == 0:
        return {**info, "why_not": "uncovered"}
    matrix, residual = mosaic.affine_to(_to_utm)
    info["residual_m"] = residual
    pixel_m = (box[2] - box[0]) / width_px
    if residual > pixel_m:
        warnings.warn(f"tile pack {pack.name} not drawn under the map: its placement is off by {residual:.1f} m, "
                      f"more than a pixel ({pixel_m:.1f} m)", stacklevel=3)
        return {**info, "why_not": "misfit"}
    ax.imshow(_faded(mosaic.image), extent=(0, mosaic.width, mosaic.height, 0),
              transform=Affine2D(matrix) + ax.transData, interpolation="bilinear", zorder=0.5)
    return {**info, "pack": pack}


def _attribution(ax, pack: tiles.Pack, family: str) -> None:  # noqa: ANN001
    """The provider's attribution, small, in the map's lower right corner (Latin letters only without a CJK font)."""
    text = tiles.plain_attribution(pack.attribution)
    if cjk_font() is None:
        text = " ".join("".join(ch for ch in text if ord(ch) < 0x2000).split())
    ax.text(0.993, 0.006, text, transform=ax.transAxes, ha="right", va="bottom", fontsize=5.5, color="#333333",
            family=family, zorder=10, path_effects=[withStroke(linewidth=2.0, foreground="white")])


def draw_map(
    *,
    zones: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    roads: gpd.GeoDataFrame | None,
    values: pd.DataFrame,
    metric: str,
    lang: str,
    only: Collection[str] | None = None,
    dpi: int = DPI,
    pack: tiles.Pack | None = None,
) -> MapPicture:
    """The map picture, and what lies under it.

    Parameters
    ----------
    zones, districts, roads
        WGS-84 frames (:func:`nightmap.geo.zones_from_table`, :func:`~nightmap.geo.load_districts`,
        :func:`~nightmap.geo.load_roads`); ``roads`` may be empty or ``None``.
    values
        ``zone_id, value`` of the metric (:func:`nightmap.metrics.metric_values`); a zone without a
        row is outside the selection and drawn faded, a zone with a NaN value as "no data".
    metric
        One of :data:`nightmap.metrics.METRICS`.
    lang
        ``"zh"`` or ``"en"``.
    only
        Zones the view is limited to (the rest drawn faded); empty or ``None``: all.
    dpi
        Resolution of the PNG.
    pack
        An offline tile pack to draw under the map (:func:`nightmap.tiles.get_pack`); ``None``, or a pack with
        no tile in the frame: the schematic basemap (districts and reference roads).
    """
    family, lang = _font(lang)
    utm = geo.METRIC_CRS
    zones_m = zones.to_crs(utm)
    districts_m = districts.to_crs(utm)
    roads_m = roads.to_crs(utm) if roads is not None and not roads.empty else None
    vals = {str(z): nmap.to_number(v) for z, v in zip(values["zone_id"], values["value"], strict=False)}
    keep = set(only or ()) or set(vals)
    scale = nmap.colour_scale(list(vals.values()), diverging=metrics.is_change(metric))

    fig = Figure(figsize=SIZE_IN, dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.005, 0.005, 0.64, 0.99))
    box = _frame_box(zones_m, (0.64 * SIZE_IN[0]) / (0.99 * SIZE_IN[1]))
    ax.set_facecolor(WATER_OR_OUT)
    under = _tile_layer(ax, pack, box, 0.64 * SIZE_IN[0] * dpi) if pack is not None else {}
    shown = under.get("pack")
    is_focus = districts_m["is_focus"].astype(bool)
    focus = districts_m[is_focus]
    if shown is None:
        districts_m.plot(ax=ax, facecolor=WATER_OR_OUT, edgecolor=nmap.NEIGHBOUR_STROKE, lw=0.8, zorder=1)
        focus.plot(ax=ax, facecolor=LAND, edgecolor="none", zorder=1.5)
    else:  # the tiles are the land: the district only outlined, its neighbours veiled, no approximate roads
        districts_m[~is_focus].plot(ax=ax, facecolor="white", edgecolor="none", alpha=NEIGHBOUR_VEIL, zorder=1)
        districts_m.boundary.plot(ax=ax, color=nmap.NEIGHBOUR_STROKE, lw=0.8, zorder=1.1)
        roads_m = None
        _attribution(ax, shown, family)
    focus.boundary.plot(ax=ax, color=nmap.FOCUS_STROKE, lw=1.8, zorder=6)
    if roads_m is not None:
        roads_m.plot(ax=ax, color=nmap.ROAD_CASING, lw=3.4, zorder=2)
        roads_m.plot(ax=ax, color=nmap.ROAD_FILL, lw=2.0, zorder=2.1)
    labels: list[tuple[tuple[float, float, float, float], str, bool]] = []
    any_missing = any_unverified = False
    for rec in zones_m.to_dict("records"):
        zid, geom = str(rec["zone_id"]), rec["geometry"]
        complex_ = rec.get("kind") == "complex"
        unverified = not is_verified(rec.get("location_confidence"))
        frame = gpd.GeoSeries([geom], crs=utm)
        if zid not in keep:
            frame.plot(ax=ax, facecolor="none", edgecolor="#9a9a9a", lw=0.8, linestyle=(0, (2, 2)), zorder=4)
            continue
        value = vals.get(zid)
        any_missing |= value is None
        any_unverified |= unverified
        fill = scale.colour(value)
        # a narrow street is a few pixels wide at this scale: a band of its colour around it keeps it legible
        frame.boundary.plot(ax=ax, color=fill, lw=4.5, zorder=3.9, capstyle="round", joinstyle="round")
        frame.plot(ax=ax, facecolor=fill, edgecolor="none", zorder=4)
        frame.boundary.plot(ax=ax, color=nmap.COMPLEX_STROKE if complex_ else nmap.STREET_STROKE,
                            lw=1.8 if complex_ else (1.1 if unverified else 0.8),
                            linestyle=(0, (4, 2.5)) if unverified else "-", zorder=5)
        name = nmap.zone_name(rec, lang)
        labels.append((tuple(geom.bounds), textwrap.fill(name, 20) if lang == "en" else name, complex_))
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#444444")
        spine.set_linewidth(0.8)
    _scale_bar(ax, box, lang, family)
    taken = _place_labels(ax, fig, sorted(labels, key=lambda it: (not it[2], -it[0][3])), family)
    if roads_m is not None:
        _road_labels(ax, fig, roads_m, taken, lang, family)

    _inset(fig.add_axes((0.67, 0.655, 0.32, 0.31)), districts_m, box, lang, family)
    _legend(fig.add_axes((0.665, 0.005, 0.33, 0.6)), scale, metric=metric, lang=lang, family=family,
            any_missing=any_missing, any_unverified=any_unverified, has_roads=roads_m is not None)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return MapPicture(png=buf.getvalue(), wanted=pack, **under)  # type: ignore[arg-type]


def render_map(
    *,
    zones: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    roads: gpd.GeoDataFrame | None,
    values: pd.DataFrame,
    metric: str,
    lang: str,
    only: Collection[str] | None = None,
    dpi: int = DPI,
    pack: tiles.Pack | None = None,
) -> bytes:
    """The map picture as PNG bytes: :func:`draw_map`'s picture (same parameters)."""
    return draw_map(zones=zones, districts=districts, roads=roads, values=values, metric=metric, lang=lang,
                    only=only, dpi=dpi, pack=pack).png

