"""The presenter's HTML page: :func:`player_html`, :func:`presenter_html` and the player's assets.

:func:`player_html` is one HTML document: a Leaflet map and a small player of
our own (``static/js/player.js`` + ``static/css/player.css``, with the overview
map's ``static/js/labels.js``) with play,
pause, step, speed, a slider, the big date and numbers, a legend, zone labels
and the events of each frame. Playback runs entirely in the browser. With
``inline=True`` Leaflet, the player and the data are all inlined: the file
opens from a USB stick with no network. With ``inline=False`` it loads them
from the app's static folder (see :func:`publish_player_assets`).
:func:`presenter_html` is the whole view for a store (the CLI's one call) and
:func:`export_file_name` names the exported file.

Safety: every piece of text is either escaped with :func:`html.escape` or set
with ``textContent`` in the browser; the data is embedded as JSON in a
``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as
``\\u003c`` etc., so an uploaded zone name or event title such as
``<img src=x onerror=alert(1)>`` is shown as text, never run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd

from nightmap import assets, geo
from nightmap.filters import Filter
from nightmap.i18n import t
from nightmap.playback.numbers import frames
from nightmap.playback.player import player_data
from nightmap.store import Store

PLAYER_VENDOR_DIR = assets.OWN_DIRNAME
"""Folder under ``<static>/vendor`` that :func:`publish_player_assets` fills."""

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
"""An XML namespace name inside Leaflet (never fetched): the only ``http`` text an export contains."""

_PLAYER_FILES = {"player.js": "js/player.js", "player.css": "css/player.css", "labels.js": "js/labels.js"}


# --------------------------------------------------------------------------- HTML


def _player_source(name: str) -> str:
    return assets.own_text(_PLAYER_FILES[name])


def player_asset_paths() -> dict[str, Path]:
    """The player's files inside the installed package (``player.js``, ``player.css``, ``labels.js``)."""
    return {name: assets.own_file(rel) for name, rel in _PLAYER_FILES.items()}


def publish_player_assets(static_dir: Path | None = None) -> Path:
    """Publish the player's files (and every other asset) under ``<static>/vendor/nightmap`` (idempotent).

    Parameters
    ----------
    static_dir
        Streamlit's static folder; default :func:`nightmap.config.static_dir`.

    Returns
    -------
    Path
        The folder holding the published files.
    """
    return assets.publish_assets(static_dir) / PLAYER_VENDOR_DIR


def _asset_version() -> str:
    h = hashlib.sha256()
    for src in player_asset_paths().values():
        h.update(src.read_bytes())
    return h.hexdigest()[:12]


def _leaflet_dir() -> Path:
    return assets.leaflet_dir()


def _inline_leaflet() -> tuple[str, str]:
    """Leaflet's JS and CSS ready to inline: images as ``data:`` URIs, no source map, no web links."""
    folder = _leaflet_dir()
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js).replace("https://leafletjs.com", "leafletjs.com")
    css = re.sub(r"/\*.*?\*/", "", (folder / "leaflet.css").read_text(encoding="utf-8"), flags=re.S)  # links in comments

    def data_uri(match: re.Match[str]) -> str:
        png = folder / "images" / match.group(1)
        if not png.is_file():
            return "none"
        return "url(data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii") + ")"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+)\)", data_uri, css)
    return js, css


def _safe_json(data: Any) -> str:
    """JSON that cannot end the ``<script>`` element it sits in (``<``, ``>``, ``&`` as ``\\u`` escapes)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline_style(css: str) -> str:
    return "<style>\n" + css.replace("</", "<\\/") + "\n</style>"


def _inline_script(js: str) -> str:
    return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>"


def player_html(
    run: Mapping[str, Any],
    zones: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    *,
    metric: str,
    lang: str,
    inline: bool,
    frame: int = 0,
    autoplay: bool = False,
    still: bool = False,
    base_url: str = "/app/static/vendor",
    roads: gpd.GeoDataFrame | None = None,
) -> str:
    """One HTML document with the map and the player.

    Parameters
    ----------
    run
        From :func:`frames`.
    zones, districts
        WGS-84 GeoDataFrames.
    metric, lang, frame, autoplay, still, roads
        As in :func:`player_data`.
    inline
        ``True``: Leaflet, the player's JS/CSS and the data are all inside the
        document (no ``src``/``href`` to anything outside it; opens from a
        USB stick offline). ``False``: JS/CSS are loaded from ``base_url``
        (the app's published static folder; see :func:`publish_player_assets`).
    base_url
        Where ``<static>/vendor`` is served, for ``inline=False``.

    Returns
    -------
    str
        The HTML document.
    """
    data = player_data(run, zones, districts, metric=metric, lang=lang, frame=frame, autoplay=autoplay, still=still,
                       roads=roads)
    if inline:
        leaflet_js, leaflet_css = _inline_leaflet()
        head_assets = _inline_style(leaflet_css) + "\n" + _inline_style(_player_source("player.css"))
        body_assets = (_inline_script(leaflet_js) + "\n" + _inline_script(_player_source("labels.js")) + "\n"
                       + _inline_script(_player_source("player.js")))
    else:
        base = html.escape(base_url.rstrip("/"), quote=True)
        v = _asset_version()

        def own(name: str) -> str:  # the published copy, stamped with the player's version
            return f"{base}/{PLAYER_VENDOR_DIR}/{_PLAYER_FILES[name]}?v={v}"

        head_assets = (f'<link rel="stylesheet" href="{base}/leaflet/leaflet.css">\n'
                       f'<link rel="stylesheet" href="{own("player.css")}">')
        body_assets = (f'<script src="{base}/leaflet/leaflet.js"></script>\n'
                       f'<script src="{own("labels.js")}"></script>\n'  # the overview map's label placement
                       f'<script src="{own("player.js")}"></script>')
    e = html.escape
    lang_attr = "en" if data["lang"] == "en" else "zh-CN"
    still_cls = " nm-still" if still else ""
    badge = f'<div class="nm-badge" role="note">{e(data["badge"])}</div>' if data["badge"] else ""
    return f"""<!DOCTYPE html>
<html lang="{lang_attr}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(data["title"])} — {e(t("presenter.page_title", data["lang"]))}</title>
{head_assets}
</head>
<body class="nm-body nm-lang-{data["lang"]}{still_cls}">
<div id="nm-root" class="nm-root" data-frame="">
  <div id="nm-map" class="nm-map" role="img" aria-label="{e(data["title"])}"></div>
  <header class="nm-head">
    <div class="nm-titles">
      <h1 class="nm-title">{e(data["title"])}</h1>
      <div class="nm-subtitle">{e(data["subtitle"])}</div>
      <div class="nm-when"><div id="nm-date" class="nm-date"></div><div id="nm-sub" class="nm-sub"></div></div>
    </div>
    <div id="nm-numbers" class="nm-numbers"></div>
  </header>
  <aside class="nm-side">
    {badge}
    <section id="nm-legend" class="nm-legend"></section>
    <section class="nm-events"><h2 id="nm-events-title"></h2><ol id="nm-events-list"></ol></section>
  </aside>
  <footer id="nm-controls" class="nm-controls"></footer>
</div>
<script type="application/json" id="nm-data">{_safe_json(data)}</script>
{body_assets}
</body>
</html>
"""


# --------------------------------------------------------------------------- whole views


def presenter_html(
    store: Store,
    flt: Filter,
    *,
    metric: str,
    lang: str,
    mode: str = "nights",
    night: dt.date | None = None,
    inline: bool = True,
    frame: int = 0,
    autoplay: bool = False,
    still: bool = False,
) -> str:
    """:func:`frames` + :func:`player_html` for a store: the one call the CLI makes.

    Parameters are those of :func:`frames` and :func:`player_html`.
    """
    run = frames(store, flt, mode=mode, night=night)
    zones = geo.zones_from_table(store.zones())
    return player_html(run, zones, geo.load_districts(), metric=metric, lang=lang, inline=inline,
                       frame=frame, autoplay=autoplay, still=still, roads=geo.load_roads())


def export_file_name(flt: Filter, *, metric: str, mode: str, night: dt.date | None = None, ext: str = "html") -> str:
    """A descriptive file name such as ``nightmap_nights_visitors_20220617-20220630.html``."""
    span = f"{night:%Y%m%d}" if mode == "hours" and night else f"{flt.start:%Y%m%d}-{flt.end:%Y%m%d}"
    return f"nightmap_{mode}_{metric}_{span}.{ext}"

