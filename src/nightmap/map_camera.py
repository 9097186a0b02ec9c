"""Where the map of many zones looks: keep the user's view across redraws, pan to a picked zone.

The overview's map of many zones (see :mod:`nightmap.ui.overview_map`) is a base
map redrawn whenever the metric, the dates, the hours, the categories, the
language or the heat layer change, plus a layer of the zones in view. Without care every such
change would throw away where the user had zoomed to. This module decides, from
what the browser last reported, three things for the next draw: the area whose
zones to send, and whether to move the map (a centre and a zoom) — back to where
the user was when the base map is new, or to a zone picked from a list that is
out of sight. Pure functions over plain values; no Streamlit.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from nightmap.map import Box, bounds_box, snap_box, to_number

LatLng = tuple[float, float]
"""``(lat, lng)`` in the map's datum."""


@dataclass(frozen=True)
class Seen:
    """The view the browser last reported, for one framing of the map.

    Attributes
    ----------
    frame
        What decides the map's framing (the data and the zone filter): a view
        seen under another frame is not restored, the map frames its zones anew.
    south, west, north, east
        The bounds in view, in degrees.
    zoom
        The map's zoom.
    """

    frame: Hashable
    south: float
    west: float
    north: float
    east: float
    zoom: float

    @property
    def centre(self) -> LatLng:
        """The middle of the view."""
        return ((self.south + self.north) / 2, (self.west + self.east) / 2)

    def contains(self, point: LatLng) -> bool:
        """Whether ``point`` is in view."""
        return self.south <= point[0] <= self.north and self.west <= point[1] <= self.east

    @property
    def box(self) -> Box:
        """The bounds in view as ``(south, west, north, east)``."""
        return (self.south, self.west, self.north, self.east)

    def shows(self, centre: LatLng, zoom: float) -> bool:
        """Whether this is the view centred on ``centre`` at ``zoom`` (within 2% of its size)."""
        c = self.centre
        return (abs(self.zoom - zoom) < 0.01 and abs(c[0] - centre[0]) <= 0.02 * (self.north - self.south)
                and abs(c[1] - centre[1]) <= 0.02 * (self.east - self.west))

    def moved_to(self, centre: LatLng) -> Seen:
        """The same view (size and zoom) around ``centre``."""
        half_h, half_w = (self.north - self.south) / 2, (self.east - self.west) / 2
        return Seen(self.frame, centre[0] - half_h, centre[1] - half_w, centre[0] + half_h, centre[1] + half_w,
                    self.zoom)


@dataclass(frozen=True)
class Camera:
    """What to draw and where to put the map.

    Attributes
    ----------
    box
        The area whose zones to send (:func:`nightmap.map.snap_box` of the view);
        ``None``: every zone (the map frames them).
    centre, zoom
        Where to move the map (``st_folium``'s ``center`` and ``zoom``);
        ``None``: leave it where it is (or where its own framing puts it).
    """

    box: Box | None = None
    centre: LatLng | None = None
    zoom: float | None = None


def seen_from(returned: Mapping[str, Any] | None, *, frame: Hashable) -> Seen | None:
    """The view in ``st_folium``'s return value, if the browser reported one.

    Until the browser reports, ``st_folium`` returns defaults computed on the
    server, which carry no ``center``; those are not a view the user has seen.

    Parameters
    ----------
    returned
        ``st_folium``'s return value, asked for ``bounds``, ``center`` and ``zoom``.
    frame
        The framing the map was drawn under (see :class:`Seen`).

    Returns
    -------
    Seen or None
        ``None`` when nothing usable was reported.
    """
    if not isinstance(returned, Mapping) or not isinstance(returned.get("center"), Mapping):
        return None
    view, zoom = bounds_box(returned.get("bounds")), to_number(returned.get("zoom"))
    if view is None or zoom is None:
        return None
    return Seen(frame, *view, zoom)


def plan(seen: Seen | None, *, frame: Hashable, redrawn: bool, focus: LatLng | None = None) -> Camera:
    """Decide what the next draw sends and whether it moves the map.

    Parameters
    ----------
    seen
        The view the browser last reported (any base map), or ``None``.
    frame
        The framing of the map about to be drawn.
    redrawn
        The base map is new this time (so the browser will show it framed
        afresh unless told where the user was).
    focus
        A zone just picked outside the map (list, button), as a point in the
        map's datum: when it is out of sight the map pans to it, keeping its zoom.

    Returns
    -------
    Camera
        With no view seen under this frame: every zone, no move (the map frames
        its zones). Otherwise the zones around the seen view, and a move back to
        it when the base map is new, or to ``focus`` when that is out of sight.
    """
    if seen is None or seen.frame != frame:
        return Camera()
    move = redrawn
    if focus is not None and not seen.contains(focus):
        seen, move = seen.moved_to(focus), True
    box = snap_box(seen.box)
    return Camera(box, seen.centre, seen.zoom) if move else Camera(box)


@dataclass(frozen=True)
class Pending:
    """A move the map was asked to make and has not yet been seen to make.

    Attributes
    ----------
    centre, zoom
        Where the map was asked to go.
    misses
        Reports that came back from elsewhere since.
    """

    centre: LatLng
    zoom: float
    misses: int = 0


def accept(report: Seen | None, pending: Pending | None, *, patience: int = 2) -> tuple[Seen | None, Pending | None]:
    """Whether the browser's report is the user's view, while a move is pending.

    A map drawn anew reports its own framing before it applies the move it was
    given; that framing is not a view the user saw, and restoring it later would
    lose where the user was. The first report at the target ends the wait; after
    ``patience`` reports from elsewhere the user is taken to have moved on.

    Returns
    -------
    tuple
        The view to keep (``None``: ignore this report) and what is still pending.
    """
    if report is None or pending is None:
        return report, pending
    if report.shows(pending.centre, pending.zoom):
        return report, None
    if pending.misses + 1 >= patience:
        return report, None
    return None, replace(pending, misses=pending.misses + 1)
