"""Charts: the nightly trend's axis and campaign band."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nightmap import charts


def nightly(first: dt.date, last: dt.date) -> pd.DataFrame:
    nights = pd.date_range(first, last).date
    return pd.DataFrame({"night": nights, "visitors": range(len(nights)), "base_visitors": range(len(nights))})


def test_trend_axis_ends_with_the_data() -> None:
    spec = charts.nightly_chart(nightly(dt.date(2022, 6, 3), dt.date(2022, 6, 30))).to_dict()
    shade, lines = spec["layer"]
    domain = lines["encoding"]["x"]["scale"]["domain"]
    assert domain == ["2022-06-02T12:00:00", "2022-06-30T12:00:00"]  # not to 1 July
    assert lines["encoding"]["x"]["scale"]["nice"] is False
    assert shade["mark"]["clip"] is True
    band = pd.DataFrame(spec["datasets"][shade["data"]["name"]])
    assert band["a"].iloc[0].startswith("2022-06-16T12:00") and band["b"].iloc[0].startswith("2022-06-30T12:00")


def test_trend_of_nothing_still_draws() -> None:
    spec = charts.nightly_chart(nightly(dt.date(2022, 6, 3), dt.date(2022, 6, 2))).to_dict()
    assert "domain" not in spec["layer"][1]["encoding"]["x"].get("scale", {})


def test_timeline_names_are_not_cut_short(bundled_store) -> None:
    from nightmap import event_effects
    from nightmap.filters import Filter

    events = event_effects.event_list(bundled_store, Filter())
    spec = charts.event_timeline(events, names={"wangfujing_square": "Wangfujing Outer Square"}, lang="en").to_dict()
    y_axes = [layer["encoding"]["y"]["axis"] for layer in spec["layer"] if "axis" in layer["encoding"].get("y", {})]
    assert y_axes and all(a["labelLimit"] == 340 for a in y_axes)


def test_timeline_kind_legend_wraps_so_six_kinds_fit_a_laptop(bundled_store) -> None:
    from nightmap import event_effects
    from nightmap.filters import Filter

    events = event_effects.event_list(bundled_store, Filter())
    spec = charts.event_timeline(events, names={}, lang="en").to_dict()
    shapes = [layer["encoding"]["shape"] for layer in spec["layer"] if "shape" in layer["encoding"]]
    assert shapes and shapes[0]["legend"]["columns"] == 3
