"""The view and its URL: round trip, forgiving decoding, clamping to the data."""

from __future__ import annotations

import datetime as dt

import pytest

from nightmap.viewstate import ViewState, from_query, to_query

RANGE = (dt.date(2022, 6, 3), dt.date(2022, 6, 30))


@pytest.mark.parametrize(
    "view",
    [
        ViewState(),
        ViewState(start=dt.date(2022, 6, 18), end=dt.date(2022, 6, 19), hours=(18, 23), categories=("shop",),
                  metric="uplift", zone="wanda_mall", lang="en", basemap="amap", heat=True,
                  compare=("xinan_road", "baihuo_dalou"), zones=("xinan_road",)),
    ],
)
def test_round_trip(view: ViewState) -> None:
    assert from_query(to_query(view), data_range=RANGE, zone_ids=("wanda_mall", "xinan_road", "baihuo_dalou")) == view


@pytest.mark.parametrize(
    ("params", "field", "expected"),
    [
        ({"metric": "happiness"}, "metric", "visitors"),
        ({"lang": "fr"}, "lang", "zh"),
        ({"base": "google"}, "basemap", "none"),
        ({"hours": "25-2"}, "hours", (17, 2)),
        ({"hours": "x"}, "hours", (17, 2)),
        ({"cat": "drink"}, "categories", ("eat", "shop", "play")),
        ({"cat": "play,eat"}, "categories", ("eat", "play")),
        ({"zone": "nowhere"}, "zone", None),
        ({"from": "2022-13-01"}, "start", dt.date(2022, 6, 17)),
        ({"from": "2021-01-01"}, "start", dt.date(2022, 6, 3)),
        ({"to": "2023-01-01"}, "end", dt.date(2022, 6, 30)),
        ({"from": "2022-06-25", "to": "2022-06-20"}, "start", dt.date(2022, 6, 17)),
    ],
)
def test_bad_or_old_links_fall_back(params: dict[str, str], field: str, expected: object) -> None:
    view = from_query(params, data_range=RANGE, zone_ids=("wanda_mall",))
    assert getattr(view, field) == expected


def test_view_makes_its_filter() -> None:
    flt = ViewState(categories=("eat",), hours=(18, 22)).filter(zones=("b", "a"))
    assert flt.categories == ("eat",) and flt.hours == (18, 22) and flt.zones == ("a", "b")
    assert ViewState(zones=("c",)).filter().zones == ("c",)
    assert ViewState(zones=("c",)).filter(zones=("d",)).zones == ("d",)
    assert from_query({"zones": "xinan_road,nowhere"}, zone_ids=("xinan_road",)).zones == ("xinan_road",)


def test_events_filters_round_trip_and_fall_back() -> None:
    from nightmap.viewstate import EventsView, events_from_query, events_to_query

    ev = EventsView(zones=("xinan_road", "baihuo_dalou"), kinds=("ceremony",), measure="spend")
    q = events_to_query(ev)
    assert q == {"ev_zones": "xinan_road,baihuo_dalou", "ev_kinds": "ceremony", "ev_measure": "spend"}
    assert events_from_query(q, zone_ids=("xinan_road", "baihuo_dalou"), kinds=("ceremony", "market")) == ev
    assert events_to_query(EventsView()) == {}  # the default view adds nothing to the link
    assert events_from_query({}) == EventsView()
    # every kind unticked is kept apart from "all kinds"
    none = EventsView(kinds=())
    assert events_to_query(none) == {"ev_kinds": "-"} and events_from_query(events_to_query(none)) == none
    # unknown zones, kinds and measures are dropped, never an error
    bad = events_from_query({"ev_zones": "nowhere,xinan_road", "ev_kinds": "nonsense", "ev_measure": "rain"},
                            zone_ids=("xinan_road",), kinds=("ceremony",))
    assert bad == EventsView(zones=("xinan_road",), kinds=None, measure="visitors")
