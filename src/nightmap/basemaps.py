"""Basemaps: what lies under the zones, the datum it needs, and where its tiles come from.

=============  =========  ===================================================================
basemap        datum      tiles
=============  =========  ===================================================================
``none``       WGS-84     no tiles: the schematic (districts, reference roads); works anywhere
``amap_pack``  GCJ-02     an installed offline pack of AMap 高德 tiles, served by the app itself
``osm_pack``   WGS-84     an installed offline pack of OpenStreetMap tiles, served by the app
``amap``       GCJ-02     AMap 高德 online (needs internet)
``osm``        WGS-84     OpenStreetMap online (needs internet)
=============  =========  ===================================================================

The data are WGS-84; on a GCJ-02 basemap every geometry is converted when drawn
(and clicks and drawings converted back), see :func:`is_gcj02`. A pack is offered
only when it is installed (``nightmap tiles fetch`` / ``import``, see
:mod:`nightmap.tiles`), and an installed AMap pack becomes the default basemap: the
real streets show at a briefing with no internet.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from nightmap import tiles

BASEMAPS: tuple[str, ...] = ("none", "amap_pack", "osm_pack", "amap", "osm")
"""Every basemap, in the order the selector lists them."""

PACK_OF: dict[str, str] = {"amap_pack": "amap", "osm_pack": "osm"}
"""The tile pack (:mod:`nightmap.tiles` name) each offline basemap draws from."""

_GCJ02 = frozenset(b for b in BASEMAPS if b != "none" and tiles.PROVIDERS[PACK_OF.get(b, b)].datum == "GCJ-02")


def installed_packs(tiles_dir: str | None = None) -> dict[str, tuple[int, int]]:
    """The installed offline tile packs: name → ``(min_zoom, max_zoom)`` (see :func:`nightmap.tiles.installed`)."""
    return {p.name: (p.min_zoom, p.max_zoom) for p in tiles.installed(tiles_dir)}


def is_gcj02(basemap: str) -> bool:
    """Whether geometries must be converted to GCJ-02 to sit right on this basemap."""
    return basemap in _GCJ02


def needs_internet(basemap: str) -> bool:
    """Whether the basemap's tiles come from the internet (AMap or OSM online, not a pack nor the schematic)."""
    return basemap in BASEMAPS and basemap != "none" and basemap not in PACK_OF


def available(installed: Collection[str]) -> tuple[str, ...]:
    """The basemaps to offer, given the names of the installed packs (``"amap"``, ``"osm"``).

    Offline packs are offered only when installed; the schematic and the online
    layers always are.
    """
    return tuple(b for b in BASEMAPS if b not in PACK_OF or PACK_OF[b] in installed)


def default(installed: Collection[str]) -> str:
    """The basemap a new view opens on: the AMap pack if installed, else the OSM pack, else the schematic."""
    for basemap in ("amap_pack", "osm_pack"):
        if PACK_OF[basemap] in installed:
            return basemap
    return "none"


@dataclass(frozen=True)
class TileSpec:
    """What folium needs for a tile layer."""

    url: str
    attribution: str
    label_key: str
    max_native_zoom: int = 19
    min_native_zoom: int = 0
    subdomains: str = "abc"


def tile_spec(basemap: str, *, packs: Mapping[str, tuple[int, int]] | None = None) -> TileSpec | None:
    """The tile layer of ``basemap``, or ``None`` for the schematic (or a pack not installed).

    URL, attribution and subdomains are the provider's (:data:`nightmap.tiles.PROVIDERS`); a pack is
    served by the app itself (:func:`nightmap.tiles.tile_url`).

    Parameters
    ----------
    basemap
        One of :data:`BASEMAPS`.
    packs
        Installed packs: name → ``(min_zoom, max_zoom)`` on disk. Beyond a pack's
        zooms Leaflet scales its nearest tiles instead of asking for missing ones.
    """
    name = PACK_OF.get(basemap, basemap)
    if name not in tiles.PROVIDERS:
        return None
    provider = tiles.PROVIDERS[name]
    subdomains = "".join(provider.subdomains) or "abc"
    if basemap not in PACK_OF:
        return TileSpec(provider.url, provider.attribution, f"map.layer.{basemap}", subdomains=subdomains)
    if not packs or name not in packs:
        return None
    lo, hi = packs[name]
    return TileSpec(tiles.tile_url(name), provider.attribution, f"map.layer.{basemap}",
                    max_native_zoom=int(hi), min_native_zoom=int(lo))
