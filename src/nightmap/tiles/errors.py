"""Errors of the tile-pack operations; every message is bilingual (中文 / English)."""

from __future__ import annotations

from nightmap.errors import NightmapError


class TilesError(NightmapError):
    """A tile-pack operation failed; the message is bilingual (中文 / English)."""


class TilesArgumentError(TilesError, ValueError):
    """A bad zoom range, bounding box, basemap, URL template or rate."""


class FetchError(TilesError):
    """Downloading tiles failed (no network, blocked, or the server keeps failing)."""


class PackError(TilesError):
    """A pack is invalid or could not be installed; nothing installed was changed."""
