"""Metrics against hand-computed values on the tiny fixture (see conftest.py for the rows).

Night 17 June (a Friday) is compared with the baseline Friday 10 June. The
row at 18 June 01:00 belongs to the night of 17 June; the row at 11 June 00:00
to the night of 10 June; the row at 17 June 10:00 is outside the 17:00–02:00 window.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nightmap import metrics
from nightmap.filters import Filter
from nightmap.store import Store

NIGHT = dt.date(2022, 6, 17)
F = Filter(NIGHT, NIGHT, (17, 2))


def test_zone_summary_matches_hand_computed_values(tiny_store: Store) -> None:
    s = metrics.zone_summary(tiny_store, F).set_index("zone_id")
    assert s.loc["xinan_road", "visitors"] == 150 + 30  # 01:00 counts to the night before; 10:00 is outside
    assert s.loc["xinan_road", "base_visitors"] == 100 + 50
    assert s.loc["xinan_road", "spend"] == 1500 + 300
    assert s.loc["xinan_road", "uplift_visitors"] == pytest.approx(20.0)
    assert s.loc["xiaowoniu_market", "uplift_spend"] == pytest.approx(100.0)
    assert s.loc["baihuo_dalou", "uplift_spend"] == pytest.approx(-50.0)
    assert s.loc["baihuo_dalou", "spend_per_visitor"] == pytest.approx(25.0)


def test_totals_and_uplift(tiny_store: Store) -> None:
    tot = metrics.totals(metrics.zone_summary(tiny_store, F))
    assert tot["visitors"] == 280 and tot["base_visitors"] == 270
    assert tot["spend"] == 3600 and tot["base_spend"] == 3900
    assert tot["uplift_visitors"] == pytest.approx((280 / 270 - 1) * 100)
    assert tot["uplift_spend"] == pytest.approx((3600 / 3900 - 1) * 100)
    assert tot["spend_per_visitor"] == pytest.approx(3600 / 280)


def test_categories_restrict_sales_and_zones(tiny_store: Store) -> None:
    s = metrics.zone_summary(tiny_store, F.with_(categories=("eat",))).set_index("zone_id")
    assert list(s.index) == ["xinan_road", "xiaowoniu_market"]  # 百货大楼 offers no eat
    assert s["spend"].sum() == 1500 + 300 + 800
    assert s["base_spend"].sum() == 1000 + 400  # xinan_road's shop spend on 10 June is not eat


def test_hour_window_without_midnight(tiny_store: Store) -> None:
    s = metrics.zone_summary(tiny_store, F.with_(hours=(17, 24))).set_index("zone_id")
    assert s.loc["xinan_road", "visitors"] == 150
    assert s.loc["xinan_road", "base_visitors"] == 100


def test_zone_without_data_is_nan_not_zero(tiny_store: Store) -> None:
    s = metrics.zone_summary(tiny_store, Filter(dt.date(2022, 6, 20), dt.date(2022, 6, 20)))
    assert s["visitors"].isna().all()
    assert s["nights"].eq(0).all()


def test_holiday_nights_are_not_baseline(tiny_store: Store) -> None:
    # 3 June 2022 (Dragon Boat Festival) is a Friday: it must not serve as the Friday baseline.
    from nightmap.campaign import baseline_nights

    base = baseline_nights()
    assert dt.date(2022, 6, 3) not in base and dt.date(2022, 6, 4) not in base and dt.date(2022, 6, 5) not in base
    assert dt.date(2022, 6, 10) in base


def test_nightly_hourly_category_and_events(tiny_store: Store) -> None:
    n = metrics.nightly(tiny_store, Filter(dt.date(2022, 6, 10), NIGHT))
    assert list(n["night"]) == [dt.date(2022, 6, 10), NIGHT]
    assert n.set_index("night").loc[NIGHT, "base_visitors"] == 270
    prof = metrics.hourly_profile(tiny_store, F, zone_id="xinan_road").set_index("hour")
    assert prof.loc[20, "visitors"] == 150 and prof.loc[1, "visitors"] == 30
    assert list(metrics.hourly_profile(tiny_store, F)["hour"])[-2:] == [0, 1]
    mix = metrics.category_mix(tiny_store, F).set_index("category")
    assert mix.loc["eat", "spend"] == 2600 and mix["share"].sum() == pytest.approx(100)
    ev = metrics.events_in(tiny_store, F)
    assert list(ev["event_id"]) == ["ev-launch"]
    assert metrics.events_in(tiny_store, F.with_(categories=("shop",))).empty


def test_metric_values_ranking_and_attention(tiny_store: Store) -> None:
    s = metrics.zone_summary(tiny_store, F)
    vals = metrics.metric_values(s, "uplift").set_index("zone_id")
    assert vals.loc["baihuo_dalou", "value"] == pytest.approx(-50)
    rank = metrics.ranking(s, "spend")
    assert list(rank["zone_id"]) == ["xinan_road", "baihuo_dalou", "xiaowoniu_market"]
    assert list(rank["rank"]) == [1, 2, 3]
    lag, best = metrics.attention(s, metrics.nightly_by_zone(tiny_store, F), n=1)
    assert lag[0].zone_id == "baihuo_dalou" and lag[0].reason == "lagging"
    assert best[0].zone_id == "xiaowoniu_market"
    with pytest.raises(ValueError):
        metrics.metric_values(s, "happiness")


def test_data_range(tiny_store: Store) -> None:
    assert metrics.data_range(tiny_store) == (dt.date(2022, 6, 10), NIGHT)


def test_a_baseline_night_is_not_its_own_baseline(tiny_store: Store, bundled_store: Store) -> None:
    # 10 June is the tiny fixture's only baseline Friday: it has no other night to compare with
    n = metrics.nightly(tiny_store, Filter(dt.date(2022, 6, 10), dt.date(2022, 6, 10))).iloc[0]
    assert n["visitors"] == 100 + 50 + 40 + 80
    assert pd.isna(n["base_visitors"])
    # in the bundled data, Monday 6 June's baseline is the only other baseline Monday, 13 June
    both = metrics.nightly(bundled_store, Filter(dt.date(2022, 6, 6), dt.date(2022, 6, 13))).set_index("night")
    assert both.loc[dt.date(2022, 6, 6), "base_spend"] == pytest.approx(both.loc[dt.date(2022, 6, 13), "spend"])
    assert both.loc[dt.date(2022, 6, 13), "base_spend"] == pytest.approx(both.loc[dt.date(2022, 6, 6), "spend"])


def test_hourly_baseline_is_weekday_matched_like_the_kpis(bundled_store: Store) -> None:
    weekend = Filter(dt.date(2022, 6, 24), dt.date(2022, 6, 26), (6, 6))  # all hours: hours add up to nights
    prof = metrics.hourly_profile(bundled_store, weekend)
    nights = metrics.nightly(bundled_store, weekend)
    assert prof["base_spend"].sum() == pytest.approx(nights["base_spend"].mean(), rel=1e-9)
    assert prof["spend"].sum() == pytest.approx(nights["spend"].mean(), rel=1e-9)
    one = metrics.hourly_profile(bundled_store, Filter(NIGHT, NIGHT), zone_id="xinan_road").set_index("hour")
    friday = metrics.hourly_profile(bundled_store, Filter(dt.date(2022, 6, 10), dt.date(2022, 6, 10)),
                                    zone_id="xinan_road").set_index("hour")
    assert one.loc[20, "base_visitors"] == pytest.approx(friday.loc[20, "visitors"])  # the only other Friday


@pytest.mark.parametrize("flt", [Filter(), Filter(hours=(22, 3), categories=("eat",)),
                                 Filter(zones=("wanda_square", "xinan_road"))])
def test_one_scan_serves_summary_and_nights_by_zone(bundled_store: Store, flt: Filter) -> None:
    nights = metrics.zone_nights(bundled_store, flt)
    before = nights.copy()
    pd.testing.assert_frame_equal(metrics.zone_summary(bundled_store, flt, nights=nights),
                                  metrics.zone_summary(bundled_store, flt))
    pd.testing.assert_frame_equal(metrics.nightly_by_zone(bundled_store, flt, nights=nights),
                                  metrics.nightly_by_zone(bundled_store, flt))
    pd.testing.assert_frame_equal(nights, before)  # not modified
    assert set(nights["zone_id"]) <= set(flt.zones or nights["zone_id"])
    assert list(nights.columns) == ["zone_id", "night", "visitors", "spend", "orders", "b_visitors", "b_spend",
                                    "b_orders"]
