"""Where things live: the data folder, the database file and the static folder.

Every path can be overridden by an environment variable so tests, benchmarks
and deployments can point the app at another store without code changes.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TIMEZONE = "Asia/Shanghai"


def data_dir() -> Path:
    """Folder with the source files (``NIGHTMAP_DATA_DIR``, default ``<project>/data``)."""
    return Path(os.environ.get("NIGHTMAP_DATA_DIR", PROJECT_ROOT / "data"))


def db_path() -> Path:
    """The DuckDB file (``NIGHTMAP_DB``, default ``<data dir>/nightmap.duckdb``)."""
    env = os.environ.get("NIGHTMAP_DB")
    return Path(env) if env else data_dir() / "nightmap.duckdb"


DEFAULT_WRITE_WAIT_S = 30.0
"""How long a write waits for another process's write to finish before it gives up."""


def write_wait_seconds() -> float:
    """Bounded wait for the store's write lock (``NIGHTMAP_WRITE_WAIT`` seconds, default 30)."""
    try:
        return max(0.0, float(os.environ.get("NIGHTMAP_WRITE_WAIT", DEFAULT_WRITE_WAIT_S)))
    except ValueError:
        return DEFAULT_WRITE_WAIT_S


def static_dir() -> Path:
    """Streamlit's static folder (served at ``/app/static/``), next to ``app.py``."""
    return Path(os.environ.get("NIGHTMAP_STATIC_DIR", PROJECT_ROOT / "static"))


def tiles_dir() -> Path:
    """Folder of offline basemap tile packs (``NIGHTMAP_TILES_DIR``, default ``<project>/tiles``, git-ignored)."""
    return Path(os.environ.get("NIGHTMAP_TILES_DIR", PROJECT_ROOT / "tiles"))


def today() -> dt.date:
    """Today's date in Jiaozuo (Asia/Shanghai), whatever the machine's time zone."""
    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()
