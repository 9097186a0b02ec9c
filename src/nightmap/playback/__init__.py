"""Presenter mode: the campaign played night by night (or one night hour by hour) on a full-screen map.

Three layers, none of which imports Streamlit:

* :func:`frames` — the numbers. Per frame (a night, or an hour of one night):
  every zone's visitors, spending, spend per visitor and change vs baseline,
  the totals for the big numbers, and that frame's events. Everything comes
  from DuckDB aggregates: one query for the (zone, night) or (zone, hour)
  measures of each kind and one for the events — never a query per frame.
  The colour scale of each metric is computed once over *all* frames, so a
  colour means the same value on every night.
* :func:`player_html` — one HTML document: a Leaflet map and a small player
  of our own (``static/js/player.js`` + ``static/css/player.css``, with the
  overview map's ``static/js/labels.js``) with play,
  pause, step, speed, a slider, the big date and numbers, a legend, zone
  labels and the events of each frame. Playback runs entirely in the browser.
  With ``inline=True`` Leaflet, the player and the data are all inlined:
  the file opens from a USB stick with no network. With ``inline=False`` it
  loads them from the app's static folder (see :func:`publish_player_assets`).
* :func:`render_png` — a 1920×1080 PNG of one frame, drawn by headless
  Chromium (playwright), or a clear bilingual :class:`PngUnavailable`.

Safety: every piece of text is either escaped with :func:`html.escape` or set
with ``textContent`` in the browser; the data is embedded as JSON in a
``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as
``\\u003c`` etc., so an uploaded zone name or event title such as
``<img src=x onerror=alert(1)>`` is shown as text, never run.

Modules (everything public is re-exported here, so ``playback.frames(...)``
etc. work as before):

* :mod:`nightmap.playback.numbers` — :data:`MODES`, :func:`frames`,
  :func:`scale_of`, :func:`frame_label`: the frames and their numbers.
* :mod:`nightmap.playback.player` — :data:`SPEEDS`, :data:`FRAME_MS`,
  :func:`player_data` and its helpers (legend, texts, big numbers, events,
  GeoJSON feature collections): the browser player's data.
* :mod:`nightmap.playback.page` — :data:`PLAYER_VENDOR_DIR`,
  :data:`SVG_NAMESPACE`, :func:`player_html`, :func:`presenter_html`,
  :func:`player_asset_paths`, :func:`publish_player_assets`,
  :func:`export_file_name`: the HTML page, inline or with served assets.
* :mod:`nightmap.playback.png` — :data:`PNG_SIZE`, :class:`PngUnavailable`,
  :func:`chromium_path`, :func:`png_available`, :func:`render_png`,
  :func:`render_png_bytes`: the PNG drawn by headless Chromium.

A name is looked up in the module that defines it: to replace one in a test,
patch the submodule (e.g. ``monkeypatch.setattr(playback.png, "chromium_path", ...)``),
not this package.
"""

from __future__ import annotations

from nightmap.playback.numbers import MODES, frame_label, frames, scale_of
from nightmap.playback.page import (
    PLAYER_VENDOR_DIR,
    SVG_NAMESPACE,
    export_file_name,
    player_asset_paths,
    player_html,
    presenter_html,
    publish_player_assets,
)
from nightmap.playback.player import FRAME_MS, SPEEDS, player_data
from nightmap.playback.png import (
    PNG_SIZE,
    PngUnavailable,
    chromium_path,
    png_available,
    render_png,
    render_png_bytes,
)

__all__ = [
    "FRAME_MS",
    "MODES",
    "PLAYER_VENDOR_DIR",
    "PNG_SIZE",
    "SPEEDS",
    "SVG_NAMESPACE",
    "PngUnavailable",
    "chromium_path",
    "export_file_name",
    "frame_label",
    "frames",
    "png_available",
    "player_asset_paths",
    "player_data",
    "player_html",
    "presenter_html",
    "publish_player_assets",
    "render_png",
    "render_png_bytes",
    "scale_of",
]
