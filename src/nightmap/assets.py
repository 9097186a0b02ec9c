"""Offline JavaScript and CSS for the map: publish from pip packages, point folium at them.

The app runs on a machine with no internet. folium, by default, loads Leaflet,
jQuery, Bootstrap, Font Awesome and awesome-markers from CDNs, so with no
network the map is blank. This module

1. copies the few files the map needs from installed pip packages
   (``xstatic-leaflet``, ``xstatic-jquery`` and folium's own
   ``templates/leaflet_heat.min.js``) into ``<static>/vendor/`` with
   :func:`publish_assets`, where Streamlit serves them at
   ``/app/static/vendor/...`` (``enableStaticServing = true`` in
   ``.streamlit/config.toml``); and
2. rewrites folium's class-level asset lists so that every map refers to those
   local URLs, with :func:`use_local_assets`.

Nothing vendored is committed: ``static/vendor/`` is git-ignored and rebuilt
cheaply at start-up (identical files are skipped).

Layout under ``<static>/vendor/`` (the presenter's own player files included)::

    leaflet/leaflet.js, leaflet/leaflet.css, leaflet/images/*.png
    jquery/jquery.min.js
    leaflet-heat/leaflet_heat.min.js
    nightmap/js/*.js, nightmap/css/*.css   (our own files, from ``nightmap/static/``)

Our own JavaScript and CSS live as real files in the package's ``static/``
folder (``static/js/labels.js``, ``static/js/player.js``, ``static/css/player.css``
…): :func:`own_file` and :func:`own_text` find them, :func:`publish_assets`
publishes them under ``vendor/nightmap/``, and the map and the presenter refer
to (or, in files meant to be opened alone, inline) the same file.

The map draws no icon fonts (labels and event markers are plain HTML), so
Font Awesome, Bootstrap and awesome-markers are dropped, not published.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import folium
import folium.plugins

from nightmap import config

DEFAULT_BASE_URL = "/app/static/vendor"
"""Where Streamlit serves ``<project>/static/vendor`` (``[server] enableStaticServing``)."""

VENDOR_DIRNAME = "vendor"


@dataclass(frozen=True)
class _Asset:
    """One file to publish: where it comes from and where it goes under ``vendor/``."""

    source: Path
    target: str


def leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as xs_leaflet

    return Path(xs_leaflet.BASE_DIR)


def _jquery_dir() -> Path:
    import xstatic.pkg.jquery as xs_jquery

    return Path(xs_jquery.BASE_DIR)


def _folium_templates_dir() -> Path:
    return Path(folium.__file__).resolve().parent / "templates"


def asset_files() -> list[_Asset]:
    """Every file :func:`publish_assets` copies, with its source in an installed package.

    Returns
    -------
    list of _Asset
        ``source`` is an absolute path inside site-packages; ``target`` is a
        POSIX path relative to ``<static>/vendor``.

    Raises
    ------
    ModuleNotFoundError
        If ``xstatic-leaflet`` or ``xstatic-jquery`` is not installed.
    """
    leaflet = leaflet_dir()
    files = [
        _Asset(leaflet / "leaflet.js", "leaflet/leaflet.js"),
        _Asset(leaflet / "leaflet.css", "leaflet/leaflet.css"),
    ]
    files += [
        _Asset(png, f"leaflet/images/{png.name}") for png in sorted((leaflet / "images").glob("*.png"))
    ]
    files.append(_Asset(_jquery_dir() / "jquery.min.js", "jquery/jquery.min.js"))
    files.append(_Asset(_folium_templates_dir() / "leaflet_heat.min.js", "leaflet-heat/leaflet_heat.min.js"))
    files += [_Asset(path, f"{OWN_DIRNAME}/{rel}") for rel, path in own_files().items()]
    return files


OWN_DIRNAME = "nightmap"
"""Folder under ``vendor/`` where our own ``static/js`` and ``static/css`` files are published."""


def _own_root() -> Path:
    return Path(str(resources.files("nightmap").joinpath("static")))


def own_files() -> dict[str, Path]:
    """Every JavaScript and CSS file of our own, by its path under ``static/`` (``"js/labels.js"``)."""
    root = _own_root()
    found = sorted([*root.glob("js/*.js"), *root.glob("css/*.css")])
    return {path.relative_to(root).as_posix(): path for path in found}


def own_file(rel: str) -> Path:
    """The package's own static file ``rel`` (e.g. ``"js/labels.js"``).

    Raises
    ------
    FileNotFoundError
        When the package holds no such file.
    """
    path = own_files().get(rel)
    if path is None:
        raise FileNotFoundError(f"nightmap/static/{rel} is not a file of the package")
    return path


def own_text(rel: str) -> str:
    """The text of the package's own static file ``rel``, for inlining into a stand-alone HTML file."""
    return own_file(rel).read_text(encoding="utf-8")


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``b`` is an independent copy holding exactly the bytes of ``a`` (cheap checks first).

    A hard link to ``a`` counts as *not* the same: it is replaced by a copy, so
    that editing a published file can never change the installed package.
    """
    if not b.exists():
        return False
    if os.path.samefile(a, b):
        return False
    if a.stat().st_size != b.stat().st_size:
        return False
    return filecmp.cmp(a, b, shallow=False)


def publish_assets(static_dir: Path | None = None) -> Path:
    """Copy the map's JS, CSS and images from pip packages into ``<static>/vendor``.

    Idempotent: files already identical are left alone, so calling this on
    every app start costs a few ``stat`` calls and byte comparisons of ~200 KB.
    Files are always copied, never hard-linked: a hard link would let anyone
    editing ``static/`` silently change the installed pip package.

    Parameters
    ----------
    static_dir
        Streamlit's static folder; default :func:`nightmap.config.static_dir`.

    Returns
    -------
    Path
        The ``vendor`` folder that now holds the files.

    Raises
    ------
    FileNotFoundError
        If a source file is missing from its package (a broken install).
    """
    vendor = Path(static_dir if static_dir is not None else config.static_dir()) / VENDOR_DIRNAME
    for asset in asset_files():
        if not asset.source.is_file():
            raise FileNotFoundError(f"map asset missing from its pip package: {asset.source}")
        dest = vendor / asset.target
        if _same_file(asset.source, dest):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        tmp.unlink(missing_ok=True)
        shutil.copyfile(asset.source, tmp)
        os.replace(tmp, dest)  # atomic: a concurrent reader never sees half a file
    return vendor


def local_urls(base_url: str = DEFAULT_BASE_URL) -> dict[str, str]:
    """The local URL of each published file, keyed by a short name.

    Parameters
    ----------
    base_url
        URL prefix where ``<static>/vendor`` is served.
    """
    base = base_url.rstrip("/")
    return {
        "leaflet_js": f"{base}/leaflet/leaflet.js",
        "leaflet_css": f"{base}/leaflet/leaflet.css",
        "jquery": f"{base}/jquery/jquery.min.js",
        "leaflet_heat": f"{base}/leaflet-heat/leaflet_heat.min.js",
    }


def use_local_assets(base_url: str = DEFAULT_BASE_URL) -> None:
    """Point folium (map and the plugins the app uses) at the published local files.

    Changes class attributes, so it affects every map built afterwards in this
    process; calling it again with the same ``base_url`` is harmless.
    Bootstrap, Font Awesome and awesome-markers are dropped (the map does not
    use them). jQuery is kept because folium's GeoJSON code path can use it.

    Parameters
    ----------
    base_url
        URL prefix where ``<static>/vendor`` is served; Streamlit serves
        ``<project>/static`` at ``/app/static``.
    """
    urls = local_urls(base_url)
    folium.Map.default_js = [("leaflet", urls["leaflet_js"]), ("jquery", urls["jquery"])]
    folium.Map.default_css = [("leaflet_css", urls["leaflet_css"])]
    folium.plugins.HeatMap.default_js = [("leaflet-heat.js", urls["leaflet_heat"])]


def setup_offline_map(static_dir: Path | None = None, base_url: str = DEFAULT_BASE_URL) -> Path:
    """Publish the files and point folium at them: the one call an app makes at start-up.

    Parameters
    ----------
    static_dir
        Streamlit's static folder; default :func:`nightmap.config.static_dir`.
    base_url
        URL prefix where ``<static_dir>/vendor`` is served.

    Returns
    -------
    Path
        The ``vendor`` folder.
    """
    vendor = publish_assets(static_dir)
    use_local_assets(base_url)
    return vendor
