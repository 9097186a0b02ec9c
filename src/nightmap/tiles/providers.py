"""The tile providers a pack can hold (AMap 高德, OpenStreetMap): URL, datum, attribution and terms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nightmap.tiles.errors import TilesArgumentError


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
