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

The package, one concern a module (everything public is re-exported here, so
``from nightmap import tiles; tiles.fetch(...)`` is the way to use it):

- :mod:`~nightmap.tiles.errors`: :class:`TilesError` and its subclasses
  :class:`TilesArgumentError`, :class:`FetchError`, :class:`PackError`.
- :mod:`~nightmap.tiles.providers`: :class:`Provider` and :data:`PROVIDERS`
  (URL template, datum, attribution, terms of AMap and OSM).
- :mod:`~nightmap.tiles.planning`: the download plan: :func:`check_zooms`,
  :func:`check_bbox`, :func:`parse_zooms`, :func:`parse_bbox`, :func:`check_url`,
  :func:`default_bbox`, :func:`tile_range`, :func:`plan` (a :class:`Plan`) and
  :func:`check_plan`; :data:`ZOOM_LIMITS`, :data:`MAX_PLAN_TILES`, :data:`BBOX_PAD_DEG`.
- :mod:`~nightmap.tiles.pack`: the format on disk: :class:`Pack`, reading,
  validating and writing ``pack.json``, scanning tiles, :func:`installed`,
  :func:`get_pack`; :data:`FORMAT`, :data:`EXT`, :data:`MAX_TILE_BYTES`,
  :data:`MAX_PACK_JSON_BYTES`.
- :mod:`~nightmap.tiles.download`: :func:`fetch` over HTTP (rate limiter,
  retries, backoff, resuming); :data:`USER_AGENT`, :data:`RETRIES`,
  :data:`RETRY_BACKOFF`, :data:`RETRY_AFTER_CAP`, :data:`GIVE_UP_FIRST`, :data:`GIVE_UP_LATER`.
- :mod:`~nightmap.tiles.transfer`: :func:`import_pack` from a zip or a folder
  (checked, size-limited) and :func:`export_pack` to a zip;
  :data:`MAX_PACK_BYTES`, :data:`MAX_PACK_FILES`.
- :mod:`~nightmap.tiles.publishing`: :func:`publish` under Streamlit's static
  folder and :func:`tile_url`; :data:`STATIC_SUBDIR`, :data:`DEFAULT_BASE_URL`.
- :mod:`~nightmap.tiles.mosaic`: a pack's tiles over a box stitched into one
  picture for the daily briefing's map: :func:`choose_zoom`, :func:`read_mosaic`
  (a :class:`Mosaic`, whose pixels map to WGS-84 and, by a fitted affine, to UTM),
  :func:`plain_attribution`; :data:`TILE_PX`, :data:`MAX_MOSAIC_TILES`.

The modules that do the work are named apart from the functions (``planning``,
``download``, ``publishing``), so ``tiles.plan``, ``tiles.fetch`` and
``tiles.publish`` stay functions. A test that patches a constant or helper patches
it in the module that uses it (e.g. ``tiles.download.RETRY_BACKOFF``): the names
here are only re-exports.
"""

from __future__ import annotations

from nightmap.tiles.download import (
    GIVE_UP_FIRST,
    GIVE_UP_LATER,
    RETRIES,
    RETRY_AFTER_CAP,
    RETRY_BACKOFF,
    USER_AGENT,
    fetch,
)
from nightmap.tiles.errors import FetchError, PackError, TilesArgumentError, TilesError
from nightmap.tiles.mosaic import (
    MAX_MOSAIC_TILES,
    TILE_PX,
    Mosaic,
    choose_zoom,
    plain_attribution,
    read_mosaic,
)
from nightmap.tiles.pack import (
    EXT,
    FORMAT,
    MAX_PACK_JSON_BYTES,
    MAX_TILE_BYTES,
    Pack,
    get_pack,
    installed,
)
from nightmap.tiles.planning import (
    BBOX_PAD_DEG,
    MAX_PLAN_TILES,
    ZOOM_LIMITS,
    Plan,
    check_bbox,
    check_plan,
    check_url,
    check_zooms,
    default_bbox,
    parse_bbox,
    parse_zooms,
    plan,
    tile_range,
)
from nightmap.tiles.providers import PROVIDERS, Provider
from nightmap.tiles.publishing import DEFAULT_BASE_URL, STATIC_SUBDIR, publish, tile_url
from nightmap.tiles.transfer import MAX_PACK_BYTES, MAX_PACK_FILES, export_pack, import_pack

__all__ = [
    "BBOX_PAD_DEG",
    "DEFAULT_BASE_URL",
    "EXT",
    "FORMAT",
    "GIVE_UP_FIRST",
    "GIVE_UP_LATER",
    "MAX_MOSAIC_TILES",
    "MAX_PACK_BYTES",
    "MAX_PACK_FILES",
    "MAX_PACK_JSON_BYTES",
    "MAX_PLAN_TILES",
    "MAX_TILE_BYTES",
    "PROVIDERS",
    "RETRIES",
    "RETRY_AFTER_CAP",
    "RETRY_BACKOFF",
    "STATIC_SUBDIR",
    "TILE_PX",
    "USER_AGENT",
    "ZOOM_LIMITS",
    "FetchError",
    "Mosaic",
    "Pack",
    "PackError",
    "Plan",
    "Provider",
    "TilesArgumentError",
    "TilesError",
    "check_bbox",
    "check_plan",
    "check_url",
    "check_zooms",
    "choose_zoom",
    "default_bbox",
    "export_pack",
    "fetch",
    "get_pack",
    "import_pack",
    "installed",
    "parse_bbox",
    "parse_zooms",
    "plain_attribution",
    "plan",
    "publish",
    "read_mosaic",
    "tile_range",
    "tile_url",
]
