"""Keeping the user's view on the map of many zones across redraws (nightmap.map_camera)."""

from __future__ import annotations

import pytest

import nightmap.map as nmap
from nightmap import map_camera
from nightmap.map_camera import Camera, Seen

FRAME = ("token", None, "none")
VIEW = Seen(FRAME, 35.20, 113.22, 35.22, 113.26, 15.0)
INSIDE = (35.21, 113.23)
OUTSIDE = (35.30, 113.40)
BOX = nmap.snap_box(VIEW.box)


def returned(s=35.20, w=113.22, n=35.22, e=113.26, zoom=15.0, centre=True) -> dict:
    out = {"bounds": {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}}, "zoom": zoom}
    if centre:
        out["center"] = {"lat": (s + n) / 2, "lng": (w + e) / 2}
    return out


@pytest.mark.parametrize(
    ("seen", "frame", "redrawn", "focus", "expected"),
    [
        # nothing seen yet: every zone, the map frames them itself
        (None, FRAME, False, None, Camera()),
        (None, FRAME, True, OUTSIDE, Camera()),
        # seen under another zone filter: framed afresh, no stale box
        (VIEW, ("token", ("a", "b"), "none"), True, None, Camera()),
        (VIEW, ("token", ("a", "b"), "none"), False, INSIDE, Camera()),
        # same base map: the zones around the view, the map left alone
        (VIEW, FRAME, False, None, Camera(BOX)),
        (VIEW, FRAME, False, INSIDE, Camera(BOX)),
        # a new base map (metric, dates, language…): back to where the user was
        (VIEW, FRAME, True, None, Camera(BOX, VIEW.centre, 15.0)),
        (VIEW, FRAME, True, INSIDE, Camera(BOX, VIEW.centre, 15.0)),
        # a zone picked out of sight: pan to it, same zoom, the zones around it
        (VIEW, FRAME, False, OUTSIDE, Camera(nmap.snap_box(VIEW.moved_to(OUTSIDE).box), OUTSIDE, 15.0)),
        (VIEW, FRAME, True, OUTSIDE, Camera(nmap.snap_box(VIEW.moved_to(OUTSIDE).box), OUTSIDE, 15.0)),
    ],
)
def test_plan(seen, frame, redrawn, focus, expected) -> None:
    assert map_camera.plan(seen, frame=frame, redrawn=redrawn, focus=focus) == expected


def test_moved_view_keeps_its_size_and_contains_the_zone() -> None:
    moved = VIEW.moved_to(OUTSIDE)
    assert moved.centre == pytest.approx(OUTSIDE)
    assert moved.north - moved.south == pytest.approx(VIEW.north - VIEW.south)
    assert moved.east - moved.west == pytest.approx(VIEW.east - VIEW.west)
    assert moved.contains(OUTSIDE) and not VIEW.contains(OUTSIDE) and VIEW.contains(INSIDE)


def test_seen_from_a_browser_report() -> None:
    assert map_camera.seen_from(returned(), frame=FRAME) == VIEW


@pytest.mark.parametrize("value", [
    None, {}, returned(centre=False),  # server-side defaults carry no centre: not a view anyone saw
    returned(zoom=None), returned(s=35.3), {**returned(), "bounds": None},
    {**returned(), "bounds": {"_southWest": {"lat": None, "lng": 1}, "_northEast": {"lat": 2, "lng": 3}}},
])
def test_seen_from_nothing_usable(value) -> None:
    assert map_camera.seen_from(value, frame=FRAME) is None


def test_seen_shows_its_own_centre_and_zoom() -> None:
    assert VIEW.shows(VIEW.centre, 15.0)
    assert not VIEW.shows(VIEW.centre, 15.5)
    assert not VIEW.shows((VIEW.centre[0] + 0.001, VIEW.centre[1]), 15.0)


@pytest.mark.parametrize(
    ("report", "pending", "kept", "still"),
    [
        (None, None, None, None),
        (VIEW, None, VIEW, None),
        (None, map_camera.Pending(VIEW.centre, 15.0), None, map_camera.Pending(VIEW.centre, 15.0)),
        # the map reached the target: the wait ends, the report is the view
        (VIEW, map_camera.Pending(VIEW.centre, 15.0), VIEW, None),
        # the new map's own framing, before the move: ignored, once
        (VIEW, map_camera.Pending(OUTSIDE, 17.0), None, map_camera.Pending(OUTSIDE, 17.0, misses=1)),
        # a second report from elsewhere: the user has moved on
        (VIEW, map_camera.Pending(OUTSIDE, 17.0, misses=1), VIEW, None),
    ],
)
def test_accept_while_a_move_is_pending(report, pending, kept, still) -> None:
    assert map_camera.accept(report, pending) == (kept, still)
