"""The current view (filters, metric, zone, language, basemap) and its URL query string.

An official can bookmark or send a view and it opens exactly so. Decoding is
forgiving: a bad or missing value falls back to its default, clamped to the
nights that have data, so an old or hand-edited link never breaks the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

from nightmap.basemaps import BASEMAPS
from nightmap.campaign import CAMPAIGN_END, CAMPAIGN_START
from nightmap.filters import DEFAULT_HOURS, Filter
from nightmap.i18n import DEFAULT_LANG, LANGS
from nightmap.metrics import METRICS
from nightmap.schema import CATEGORIES


@dataclass(frozen=True)
class ViewState:
    """Everything that decides what the pages show."""

    start: dt.date = CAMPAIGN_START
    end: dt.date = CAMPAIGN_END
    hours: tuple[int, int] = DEFAULT_HOURS
    categories: tuple[str, ...] = CATEGORIES
    metric: str = "visitors"
    zone: str | None = None
    lang: str = DEFAULT_LANG
    basemap: str = "none"
    heat: bool = False
    compare: tuple[str, ...] = field(default_factory=tuple)
    zones: tuple[str, ...] = field(default_factory=tuple)
    """Zones the numbers are limited to (empty: all); the sidebar offers it when there are many zones."""

    def filter(self, *, zones: tuple[str, ...] = ()) -> Filter:
        """The :class:`~nightmap.filters.Filter` of this view (``zones`` overrides the view's own)."""
        return Filter(self.start, self.end, self.hours, self.categories or CATEGORIES, zones or self.zones)

    def with_(self, **changes: object) -> ViewState:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def to_query(view: ViewState) -> dict[str, str]:
    """The query-string parameters of a view (defaults included, so a link is explicit)."""
    q = {
        "from": view.start.isoformat(),
        "to": view.end.isoformat(),
        "hours": f"{view.hours[0]}-{view.hours[1]}",
        "cat": ",".join(view.categories),
        "metric": view.metric,
        "lang": view.lang,
        "base": view.basemap,
    }
    if view.zone:
        q["zone"] = view.zone
    if view.heat:
        q["heat"] = "1"
    if view.compare:
        q["compare"] = ",".join(view.compare)
    if view.zones:
        q["zones"] = ",".join(view.zones)
    return q


def from_query(
    params: Mapping[str, str],
    *,
    data_range: tuple[dt.date, dt.date] | None = None,
    zone_ids: tuple[str, ...] | None = None,
    basemaps: Collection[str] = BASEMAPS,
    default_basemap: str = "none",
) -> ViewState:
    """Decode query-string parameters into a view, falling back to defaults for anything invalid.

    Parameters
    ----------
    params
        The query parameters (``st.query_params`` or a plain dict).
    data_range
        First and last night with data; the nights are clamped into it.
    zone_ids
        Known zone ids; an unknown ``zone`` is dropped.
    basemaps
        The basemaps offered here (:func:`nightmap.basemaps.available`: an offline
        pack only where it is installed); another one in the URL gives ``default_basemap``.
    default_basemap
        The basemap when the URL names none (:func:`nightmap.basemaps.default`).
    """
    d = ViewState()
    lo, hi = data_range or (dt.date.min, dt.date.max)
    default_start = min(max(d.start, lo), hi)
    default_end = max(min(d.end, hi), lo)
    start = min(max(_date(params.get("from"), default_start), lo), hi)
    end = min(max(_date(params.get("to"), default_end), lo), hi)
    if end < start:
        start, end = default_start, default_end
    hours = d.hours
    try:
        h0, h1 = (int(x) for x in str(params.get("hours", "")).split("-"))
        if 0 <= h0 <= 23 and 0 <= h1 <= 24:
            hours = (h0, h1)
    except ValueError:
        pass
    cats = tuple(c for c in CATEGORIES if c in str(params.get("cat", ",".join(CATEGORIES))).split(","))
    metric = params.get("metric", d.metric)
    lang = params.get("lang", d.lang)
    basemap = params.get("base", default_basemap)
    zone = params.get("zone") or None
    if zone_ids is not None and zone not in zone_ids:
        zone = None
    compare = tuple(z for z in str(params.get("compare", "")).split(",") if z)
    only = tuple(z for z in str(params.get("zones", "")).split(",") if z)
    if zone_ids is not None:
        compare = tuple(z for z in compare if z in zone_ids)
        only = tuple(z for z in only if z in zone_ids)
    return ViewState(
        start=start,
        end=end,
        hours=hours,
        categories=cats or CATEGORIES,
        metric=metric if metric in METRICS else d.metric,
        zone=zone,
        lang=lang if lang in LANGS else d.lang,
        basemap=basemap if basemap in basemaps else default_basemap,
        heat=params.get("heat") in ("1", "true"),
        compare=compare,
        zones=only,
    )


# --------------------------------------------------------------------------- the events page's own filters

EVENTS_PARAMS: tuple[str, ...] = ("ev_zones", "ev_kinds", "ev_measure")
"""Query parameters of the events page's filters (zones, event kinds, measure)."""
NO_KINDS = "-"
"""``ev_kinds`` value when every kind was unticked (an absent ``ev_kinds`` means all kinds)."""


@dataclass(frozen=True)
class EventsView:
    """The events page's filters: zones (empty: all), event kinds (None: all) and the measure."""

    zones: tuple[str, ...] = ()
    kinds: tuple[str, ...] | None = None
    measure: str = "visitors"


def events_to_query(ev: EventsView) -> dict[str, str]:
    """The query-string parameters of the events page's filters (only those that differ from the default)."""
    q: dict[str, str] = {}
    if ev.zones:
        q["ev_zones"] = ",".join(ev.zones)
    if ev.kinds is not None:
        q["ev_kinds"] = ",".join(ev.kinds) if ev.kinds else NO_KINDS
    if ev.measure != EventsView.measure:
        q["ev_measure"] = ev.measure
    return q


def events_from_query(
    params: Mapping[str, str],
    *,
    zone_ids: Collection[str] | None = None,
    kinds: Collection[str] | None = None,
    measures: Collection[str] = ("visitors", "spend"),
) -> EventsView:
    """Decode the events page's filters, dropping unknown zones, kinds and measures (never failing).

    Parameters
    ----------
    params
        The query parameters (``st.query_params`` or a plain dict).
    zone_ids
        Known zone ids (None: keep any).
    kinds
        Known event kinds (None: keep any). When every kind in the URL is
        unknown, all kinds are shown.
    measures
        The measures offered; another one gives the default.
    """
    zones = tuple(z for z in str(params.get("ev_zones") or "").split(",") if z)
    if zone_ids is not None:
        zones = tuple(z for z in zones if z in zone_ids)
    raw = params.get("ev_kinds")
    picked: tuple[str, ...] | None = None
    if raw is not None:
        if str(raw) == NO_KINDS:
            picked = ()
        else:
            asked = tuple(k for k in str(raw).split(",") if k)
            picked = tuple(k for k in asked if kinds is None or k in kinds) or None
    measure = str(params.get("ev_measure") or EventsView.measure)
    return EventsView(zones=zones, kinds=picked, measure=measure if measure in measures else EventsView.measure)
