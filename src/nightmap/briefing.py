"""夜经济日报, the daily briefing: one view's numbers turned into sentences, tables and a map, as a DOCX.

The briefing of a view (a :class:`~nightmap.filters.Filter`, a metric and a
language) has five numbered sections:

1. 总体情况 — the headline figures (visitors, spending, spend per visitor) as
   sentences, with the change against the weekday-matched baseline and against
   the night (or as many nights) before, and a table of the four KPIs;
2. 片区分布图 — the map picture (:mod:`nightmap.briefing_map`), over an
   installed offline tile pack as the dashboard opens on (:func:`choose_pack`:
   the AMap pack, else the OSM pack, else the schematic; ``basemap=`` chooses),
   its caption naming the basemap and its attribution;
3. 片区排名与需关注片区 — the ranking by the metric (top and bottom) and the
   zones to watch with their reasons;
4. 活动开展及成效 — the events with their measured effect, ceremonies first;
5. 数据说明 — simulated or real, sources, freshness and the baseline rule.

One code path for numbers: every figure comes from the functions the overview
uses for the same filter — :func:`nightmap.metrics.zone_summary`,
:func:`~nightmap.metrics.totals`, :func:`~nightmap.metrics.ranking` (through
:func:`nightmap.tables.ranking_table`), :func:`~nightmap.metrics.attention`,
:func:`nightmap.event_effects.event_effects` — and is written with the
overview's formatters (:mod:`nightmap.i18n`), so the document says what the
dashboard shows. Here the numbers are gathered (:func:`collect`); the words are
:mod:`nightmap.briefing_text`'s, the map :mod:`nightmap.briefing_map`'s and the
Word file :mod:`nightmap.briefing_docx`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd

import nightmap.map as nmap
from nightmap import (
    basemaps,
    briefing_docx,
    briefing_map,
    config,
    event_effects,
    freshness,
    geo,
    metrics,
    tiles,
)
from nightmap.briefing_docx import Picture, Section, Table
from nightmap.briefing_text import (
    data_note,
    date_line,
    events,
    headline,
    kpi_table,
    long_date,
    previous_range,
    ranking,
    span,
    title_lines,
)
from nightmap.filters import Filter
from nightmap.i18n import t
from nightmap.store import Store


@dataclass(frozen=True)
class Content:
    """Everything a briefing says, computed once from the store for one view."""

    flt: Filter
    metric: str
    lang: str
    zones: gpd.GeoDataFrame
    summary: pd.DataFrame
    totals: dict[str, float]
    previous: dict[str, float] | None
    """:func:`nightmap.metrics.totals` of the nights just before, as many as the view has (None: no data)."""
    basis: dict[dt.date, list[dt.date]]
    lagging: list[metrics.Attention]
    best: list[metrics.Attention]
    effects: pd.DataFrame
    status: str
    source: dict[str, Any]
    fresh: pd.DataFrame
    last_batch: dict[str, Any] | None
    made_at: dt.datetime
    data_dir: Path
    """The store's data folder: its ``districts.geojson`` and ``roads.geojson`` are drawn when it has them."""


def collect(store: Store, flt: Filter, *, metric: str = "visitors", lang: str = "zh",
            now: dt.datetime | None = None) -> Content:
    """The numbers of one view, from the same functions the overview uses.

    Parameters
    ----------
    store
        The store.
    flt
        The view's nights, hours, categories and zones.
    metric
        The metric of the map and ranking (:data:`nightmap.metrics.METRICS`).
    lang
        ``"zh"`` or ``"en"``.
    now
        The time the briefing is made (default: now in Asia/Shanghai).
    """
    if metric not in metrics.METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {metrics.METRICS}")
    summary = metrics.zone_summary(store, flt)
    prev_start, prev_end = previous_range(flt)
    lo = (metrics.data_range(store) or (flt.start, flt.end))[0]
    previous = metrics.totals(metrics.zone_summary(store, flt.with_(start=prev_start, end=prev_end))) \
        if prev_start >= lo else None
    if previous is not None and previous["visitors"] != previous["visitors"]:
        previous = None
    lagging, best = metrics.attention(summary, metrics.nightly_by_zone(store, flt))
    batches = store.batches()
    now = now or dt.datetime.now(ZoneInfo(config.TIMEZONE))
    return Content(
        flt=flt, metric=metric, lang=lang, zones=geo.zones_from_table(store.zones()), summary=summary,
        totals=metrics.totals(summary), previous=previous, basis=metrics.baseline_basis(store, flt),
        lagging=lagging, best=best, effects=event_effects.event_effects(store, flt), status=store.data_status(),
        source=store.source_info(), fresh=freshness.freshness(store, now.date()),
        last_batch=batches.iloc[0].to_dict() if len(batches) else None, made_at=now, data_dir=store.data_dir,
    )


def _own(c: Content, name: str) -> Path | None:
    """A file of the store's data folder, or None (the configured data folder's), as the store does."""
    return c.data_dir / name if (c.data_dir / name).exists() else None


BASEMAP_CHOICES: tuple[str, ...] = ("auto", "none", "amap", "osm")
"""What ``basemap=`` (and ``nightmap report --basemap``) takes: ``auto`` as the dashboard, no pack, or one pack."""


def choose_pack(basemap: str = "auto", *, tiles_dir: Path | str | None = None) -> tiles.Pack | None:
    """The offline tile pack to draw under the briefing's map.

    Parameters
    ----------
    basemap
        ``"auto"``: the pack the dashboard opens on (:func:`nightmap.basemaps.default` over the installed
        packs: AMap, else OSM, else none); ``"none"``: the schematic; ``"amap"`` or ``"osm"``: that pack.
    tiles_dir
        Folder of packs; default :func:`nightmap.config.tiles_dir`.

    Returns
    -------
    Pack or None
        ``None`` for the schematic. Tiles are only ever read from disk, never fetched.

    Raises
    ------
    ValueError
        For a ``basemap`` not in :data:`BASEMAP_CHOICES`.
    nightmap.tiles.PackError
        When the pack asked for by name is not installed (or its ``pack.json`` is invalid).
    """
    if basemap not in BASEMAP_CHOICES:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {BASEMAP_CHOICES}")
    if basemap == "none":
        return None
    if basemap != "auto":
        return tiles.get_pack(basemap, tiles_dir)
    packs = {p.name: p for p in tiles.installed(tiles_dir)}
    return packs.get(basemaps.PACK_OF.get(basemaps.default(packs), ""))


def basemap_of_view(view_basemap: str) -> str:
    """What the briefing draws under its map for a dashboard view's basemap (a ``basemap=`` of :func:`choose_pack`).

    The view's offline pack (``amap_pack`` → ``"amap"``, ``osm_pack`` → ``"osm"``), the schematic for the
    schematic, and ``"auto"`` for an online layer (a document is never drawn from the internet).
    """
    if view_basemap in basemaps.PACK_OF:
        return basemaps.PACK_OF[view_basemap]
    return "none" if view_basemap == "none" else "auto"


def basemap_note(drawn: briefing_map.MapPicture, lang: str) -> str:
    """The caption's sentence on what lies under the map: the pack and its attribution, or the schematic."""
    if drawn.pack is not None:
        fields = {"name": t(f"briefing.basemap.{drawn.pack.name}", lang),
                  "attribution": tiles.plain_attribution(drawn.pack.attribution)}
        if drawn.missing:
            return t("briefing.map_basemap_gaps", lang, n=drawn.missing, **fields)
        return t("briefing.map_basemap", lang, **fields)
    if drawn.wanted is not None:
        key = "briefing.map_schematic_" + ("uncovered" if drawn.why_not == "uncovered" else "unused")
        return t(key, lang, name=t(f"briefing.basemap.{drawn.wanted.name}", lang))
    return t("briefing.map_schematic", lang)


def map_picture(c: Content, *, basemap: str = "auto") -> Picture | str:
    """The map of the view's metric (or a sentence saying why it could not be drawn).

    Parameters
    ----------
    c
        The briefing's content.
    basemap
        What to draw under the map (:func:`choose_pack`); the caption says which basemap it is.

    Raises
    ------
    nightmap.tiles.PackError
        When the pack asked for by name is not installed (any other failure becomes the sentence).
    """
    pack = choose_pack(basemap)
    caption = t("briefing.map_caption", c.lang, metric=nmap.metric_title(c.metric, c.lang),
                when=span(c.flt.start, c.flt.end, c.lang))
    try:
        drawn = briefing_map.draw_map(
            zones=c.zones, districts=geo.load_districts(_own(c, "districts.geojson")),
            roads=geo.load_roads(_own(c, "roads.geojson")),
            values=metrics.metric_values(c.summary, c.metric), metric=c.metric, lang=c.lang,
            only=c.flt.zones or None, pack=pack)
    except Exception as exc:  # noqa: BLE001 - the briefing is still worth having without its picture
        return t("briefing.map_missing", c.lang, why=exc)
    sep = " " if c.lang == "en" else ""
    return Picture(drawn.png, f"{caption}{sep}{basemap_note(drawn, c.lang)}")


def sections(c: Content, *, basemap: str = "auto") -> list[Section]:
    """The five numbered sections of the briefing (``basemap``: under the map, see :func:`choose_pack`)."""
    lang = c.lang
    first: list[str | Table | Picture] = [*headline(c)]
    if c.totals.get("visitors") == c.totals.get("visitors"):
        first.append(kpi_table(c))
    return [
        Section(t("briefing.s1", lang), first),
        Section(t("briefing.s2", lang), [map_picture(c, basemap=basemap)]),
        Section(t("briefing.s3", lang), [*ranking(c)]),
        Section(t("briefing.s4", lang), [*events(c)]),
        Section(t("briefing.s5", lang), [*data_note(c)]),
    ]


def make_briefing(store: Store, flt: Filter, *, metric: str = "visitors", lang: str = "zh",
                  now: dt.datetime | None = None, basemap: str = "auto") -> bytes:
    """The DOCX bytes of the daily briefing of a view (see the module docstring).

    Parameters
    ----------
    store
        The store.
    flt
        The view's nights, hours, categories and zones.
    metric
        The metric of the map and ranking.
    lang
        ``"zh"`` or ``"en"``.
    now
        The time the briefing is made (default: now in Asia/Shanghai).
    basemap
        Under the map: ``"auto"`` (the installed AMap pack, else the OSM pack, else the schematic, as the
        dashboard opens), ``"none"``, ``"amap"`` or ``"osm"`` (:func:`choose_pack`).

    Raises
    ------
    ValueError
        For an unknown ``basemap``.
    nightmap.tiles.PackError
        When ``basemap`` names a pack that is not installed.
    """
    choose_pack(basemap)  # a pack asked for that is not installed stops here, before the numbers are gathered
    c = collect(store, flt, metric=metric, lang=lang, now=now)
    return briefing_docx.build(
        title=title_lines(lang), date_line=date_line(flt.start, flt.end, lang),
        sections=sections(c, basemap=basemap),
        sign=(t("briefing.issuer", lang), long_date(c.made_at.date(), lang)), lang=lang,
        subject=f"{flt.start.isoformat()}..{flt.end.isoformat()} {flt.hours[0]}-{flt.hours[1]} "
                f"{','.join(flt.categories)} {metric}",
    )


def file_name(start: dt.date, end: dt.date, lang: str) -> str:
    """``夜经济日报_20220617.docx`` (``_20220617-20220623`` for a range; ``night_economy_briefing_…`` in English)."""
    stem = "night_economy_briefing" if lang == "en" else "夜经济日报"
    days = f"{start:%Y%m%d}" if start == end else f"{start:%Y%m%d}-{end:%Y%m%d}"
    return f"{stem}_{days}.docx"
