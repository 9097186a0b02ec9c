"""Fetching a pack over HTTP: rate limiter, retries with backoff, resuming, giving up without a network."""

from __future__ import annotations

import datetime as dt
import math
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from nightmap import config
from nightmap.tiles.errors import FetchError, PackError, TilesArgumentError
from nightmap.tiles.pack import (
    _PACK_JSON,
    _PNG_SIGNATURE,
    EXT,
    MAX_TILE_BYTES,
    Pack,
    _read_meta,
    _tiles_root,
    _write_pack_json,
)
from nightmap.tiles.planning import check_plan, check_url, plan
from nightmap.tiles.providers import _provider

USER_AGENT = (
    "nightmap/0.1 (offline basemap pack for the Jiefang District, Jiaozuo night-economy dashboard; "
    "one-off polite download, <= 4 requests/s)"
)
"""User-Agent sent with every tile request (OSM requires an identifying one)."""

RETRIES = 3
"""Extra attempts for a tile after a network error, HTTP 429 or 5xx."""

RETRY_BACKOFF = 1.0
"""Seconds before the first retry, doubled for each further retry."""

RETRY_AFTER_CAP = 30.0
"""A server's ``Retry-After`` is honoured up to this many seconds."""

GIVE_UP_FIRST = 1
"""Tiles failing (after their retries) before any answer at all, after which :func:`fetch` stops (no network)."""

GIVE_UP_LATER = 20
"""Tiles failing in a row, after some succeeded, after which :func:`fetch` stops."""

_TZ = ZoneInfo(config.TIMEZONE)


# --------------------------------------------------------------------------- fetch


def _now_iso() -> str:
    return dt.datetime.now(_TZ).isoformat(timespec="seconds")


class _RateLimiter:
    """At most ``rate`` request starts per second (a minimum spacing, no bursts)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = 0.0

    def wait(self) -> None:
        now = time.monotonic()
        if now < self.next:
            time.sleep(self.next - now)
            now = self.next
        self.next = now + self.interval


def _describe(exc: BaseException) -> str:
    """A short reason for a requests error: its type and the innermost cause (e.g. ``Connection refused``)."""
    cause: BaseException = exc
    seen = {id(exc)}
    while True:
        inner = getattr(cause, "reason", None)
        if not isinstance(inner, BaseException):
            inner = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else cause.__cause__
        if inner is None or id(inner) in seen:
            break
        seen.add(id(inner))
        cause = inner
    text = str(cause)
    text = text.rsplit("): ", 1)[-1]  # urllib3 starts with "HTTPConnection(host=..., port=...): "
    if cause is exc:
        return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__
    return f"{type(exc).__name__} ({type(cause).__name__}: {text[:160]})"


def _retry_delay(attempt: int, retry_after: str | None) -> float:
    delay = RETRY_BACKOFF * 2 ** (attempt - 1)
    if retry_after:
        try:
            delay = max(delay, min(float(retry_after), RETRY_AFTER_CAP))
        except ValueError:
            pass
    return delay


def _download(session: Any, url: str, limiter: _RateLimiter, timeout: float,
              retries: int) -> tuple[str, bytes | None, str]:
    """One tile: ``("ok", body, "")``, ``("missing", None, "HTTP 404")`` or ``("failed", None, why)``."""
    import requests

    why = ""
    delay = 0.0
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(delay)
        limiter.wait()
        try:
            with session.get(url, timeout=timeout, stream=True) as resp:
                status = resp.status_code
                if status == 200:
                    body = resp.raw.read(MAX_TILE_BYTES + 1, decode_content=True)
                    if len(body) > MAX_TILE_BYTES:
                        return "failed", None, f"tile larger than {MAX_TILE_BYTES} bytes"
                    if not body.startswith(_PNG_SIGNATURE):
                        kind = resp.headers.get("Content-Type", "?")
                        return "failed", None, f"not a PNG (Content-Type {kind})"
                    return "ok", body, ""
                if status in (204, 404, 410):
                    return "missing", None, f"HTTP {status}"
                why = f"{urlsplit(url).netloc}: HTTP {status}"
                if status != 429 and status < 500:
                    return "failed", None, why  # 403 and friends: asking again will not help
                delay = _retry_delay(attempt + 1, resp.headers.get("Retry-After"))
        except requests.RequestException as exc:
            why = f"{urlsplit(url).netloc}: {_describe(exc)}"
            delay = _retry_delay(attempt + 1, None)
    return "failed", None, why


def _tile_url(template: str, subdomains: Sequence[str], i: int, z: int, x: int, y: int) -> str:
    url = template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
    if "{s}" in url:
        url = url.replace("{s}", subdomains[i % len(subdomains)])
    return url


def _no_network_message(why: str) -> str:
    return (
        f"一个瓦片也没有下载成功（最后的错误：{why}）。这台电脑可能无法上网：请在能上网的电脑上运行 "
        "`nightmap tiles fetch`，用 `nightmap tiles export` 打包，拷到这里后运行 `nightmap tiles import`。"
        f" / Not a single tile could be downloaded (last error: {why}). This machine may have no internet: "
        "run `nightmap tiles fetch` on a connected machine, pack it with `nightmap tiles export`, copy the "
        "zip here and run `nightmap tiles import`."
    )


def fetch(
    basemap: str,
    *,
    zooms: Sequence[int] | None = None,
    bbox: Sequence[float] | None = None,
    url: str | None = None,
    tiles_dir: Path | str | None = None,
    rate: float = 4.0,
    progress: Callable[[int, int], None] | None = None,
    timeout: float = 20.0,
    retries: int | None = None,
) -> Pack:
    """Download a tile pack into ``<tiles_dir>/<basemap>/``, resuming what is already there.

    Each tile is written to a temporary file and renamed into place, so a
    fetch interrupted at any moment leaves only whole tiles; tiles already on
    disk are not asked for again. Requests are polite: a User-Agent naming
    nightmap (:data:`USER_AGENT`), at most ``rate`` per second, up to
    ``retries`` retries with exponential backoff (and ``Retry-After``) on
    network errors, HTTP 429 and 5xx. HTTP 404/410/204 marks a tile missing
    (counted, skipped); other 4xx answers and non-PNG bodies fail the tile.
    ``pack.json`` is written at the end, counting what is on disk (its
    ``source_url`` and ``fetched_at`` stay as they were when nothing new came in).

    Parameters
    ----------
    basemap
        ``"amap"`` or ``"osm"``.
    zooms
        ``(min_zoom, max_zoom)``, inclusive; default the provider's
        (:attr:`Provider.default_zooms`: AMap 12–17, OSM 12–16).
    bbox
        WGS-84 ``(west, south, east, north)``; default :func:`default_bbox`.
    url
        Tile URL template overriding the provider's (``{z}``, ``{x}``, ``{y}``,
        and ``{s}`` for the provider's subdomains, round-robin). With an own
        server, the provider's policy zoom cap does not apply.
    tiles_dir
        Folder of packs; default :func:`nightmap.config.tiles_dir`.
    rate
        Most requests per second (retries included).
    progress
        Called as ``progress(done, total)`` after every tile (skipped ones
        included) and once with ``(0, total)`` at the start.
    timeout
        Seconds to wait for a server (connect and each read).
    retries
        Extra attempts per tile; default :data:`RETRIES`.

    Returns
    -------
    Pack
        The pack as now on disk; ``missing``/``failed`` count this fetch's
        404s and failures.

    Raises
    ------
    TilesArgumentError
        Bad basemap, zoom range, bbox, URL template, rate, or a plan too large
        (:func:`check_plan`).
    FetchError
        When nothing at all could be downloaded (no network: the message says
        to fetch on a connected machine and ``nightmap tiles import``), when
        the server answered 404 for every tile, or after
        :data:`GIVE_UP_LATER` failures in a row (re-run to resume).
    """
    import requests

    provider = _provider(basemap)
    the_plan = plan(bbox, provider.default_zooms if zooms is None else zooms, basemap=basemap)
    template = check_url(url, basemap) if url is not None else provider.url
    check_plan(the_plan, url=url)
    if not (isinstance(rate, int | float) and math.isfinite(rate) and rate > 0):
        raise TilesArgumentError(f"速率无效：{rate!r}（须 > 0） / bad rate {rate!r}: must be > 0")
    retries = RETRIES if retries is None else max(0, int(retries))

    root = _tiles_root(tiles_dir)
    folder = root / basemap
    created = [p for p in (root, folder) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    previous: dict[str, Any] | None = None
    if (folder / _PACK_JSON).exists():
        try:
            previous = _read_meta(folder)
        except PackError:
            previous = None

    try:
        limiter = _RateLimiter(rate)
        total = the_plan.total
        done = fetched = missing = failed = streak = 0
        last_why = ""
        if progress:
            progress(0, total)
        with requests.Session() as session:
            session.headers["User-Agent"] = USER_AGENT
            for i, (z, x, y) in enumerate(the_plan.tiles()):
                dest = folder / str(z) / str(x) / f"{y}.{EXT}"
                try:
                    present = dest.stat().st_size > 0
                except FileNotFoundError:
                    present = False
                if not present:
                    status, body, why = _download(session, _tile_url(template, provider.subdomains, i, z, x, y),
                                                  limiter, timeout, retries)
                    if status == "ok" and body is not None:
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
                        tmp.write_bytes(body)
                        os.replace(tmp, dest)
                        fetched += 1
                        streak = 0
                    elif status == "missing":
                        missing += 1
                        streak = 0
                    else:
                        failed += 1
                        streak += 1
                        last_why = why
                        if fetched == 0 and missing == 0 and streak >= GIVE_UP_FIRST:
                            raise FetchError(_no_network_message(last_why))
                        if streak >= GIVE_UP_LATER:
                            raise FetchError(
                                f"连续 {streak} 个瓦片下载失败（最后的错误：{last_why}），已停止；已下载的瓦片保留，"
                                f"稍后重新运行同一命令即可续传。 / {streak} tiles in a row failed (last error: "
                                f"{last_why}); stopped. Tiles downloaded so far are kept: run the same command "
                                "again later to resume."
                            )
                done += 1
                if progress:
                    progress(done, total)

        if failed and fetched == 0 and missing == 0:
            raise FetchError(_no_network_message(last_why))
        if missing == total:
            raise FetchError(
                f"服务器对每个瓦片都回答 404：请检查瓦片地址 {template} / the server answered 404 for every tile: "
                f"check the tile URL {template}"
            )
        box = list(the_plan.bbox)
        if previous is not None and previous.get("basemap") == basemap:
            old = previous["bbox"]
            box = [min(box[0], old[0]), min(box[1], old[1]), max(box[2], old[2]), max(box[3], old[3])]
        source_url, fetched_at = template, _now_iso()
        if fetched == 0 and previous is not None:  # nothing new came in: the tiles are still the earlier ones
            source_url = str(previous.get("source_url", "")) or template
            fetched_at = str(previous.get("fetched_at", "")) or fetched_at
        return _write_pack_json(folder, basemap, bbox=box, source_url=source_url, fetched_at=fetched_at,
                                missing=missing, failed=failed, clean_tmp=True)
    except BaseException:
        for made in (folder, root):  # leave no empty folders behind a failed first fetch
            if made in created and made.is_dir() and not any(made.iterdir()):
                made.rmdir()
        raise
