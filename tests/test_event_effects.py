"""Event effects against hand-computed values on a fixture built for them.

Zone 新安路 (xinan_road) has the event ``e1`` on Friday 17 June 20:00–22:00,
so its hours are 20:00 and 21:00. Its baseline nights with data are Friday
10 June (the weekday match), Monday 6 and Monday 13 June (which only feed the
noise estimate), and Friday 3 June, the Dragon Boat holiday, which must never
count. ``e2`` (21:00–23:00) overlaps ``e1``. ``e3`` at 小蜗牛市场 runs over two
nights; ``e4`` at 百货大楼 has no data at all.

Visitors, event hours (20:00 + 21:00):
  17 Jun 300 + 200 = 500 (19:00's 1000 is outside the event)
  10 Jun 150 + 100 = 250 → baseline 250
  6 Jun 90 + 30 = 120, 13 Jun 60 + 20 = 80: mean 100, deviations ±0.2 → cv = √0.08 = 0.2828
  std = 0.2828 × 250 = 70.71; diff = 250; +100 %; z = 3.536
  normal range: the quietest and busiest baseline night of any weekday, 80 (13 Jun) – 250 (10 Jun),
  i.e. −68 % … 0 %; 500 is above it
Spending (eat and shop): 17 Jun 1000 + 500 shop; 10 Jun 800; 6 Jun 600; 13 Jun 400
  Mondays 600 and 400: deviations ±0.2 → cv = 0.2828; std = 226.3; range 400 – 800
  all categories: diff = 700, z = 3.09; eat only: diff = 200, +25 %, z = 0.884, but 1000 beats the
  busiest baseline night (800): above the normal range
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from nightmap import event_effects as ee
from nightmap.filters import Filter
from nightmap.store import Store

ROOT = Path(__file__).resolve().parents[1]
NIGHT = dt.date(2022, 6, 17)

FOOTFALL = """zone_id,ts,visitors
xinan_road,2022-06-17 19:00:00,1000
xinan_road,2022-06-17 20:00:00,300
xinan_road,2022-06-17 21:00:00,200
xinan_road,2022-06-10 20:00:00,150
xinan_road,2022-06-10 21:00:00,100
xinan_road,2022-06-06 20:00:00,90
xinan_road,2022-06-06 21:00:00,30
xinan_road,2022-06-13 20:00:00,60
xinan_road,2022-06-13 21:00:00,20
xinan_road,2022-06-03 20:00:00,5000
xiaowoniu_market,2022-06-17 20:00:00,100
xiaowoniu_market,2022-06-18 20:00:00,200
xiaowoniu_market,2022-06-10 20:00:00,50
xiaowoniu_market,2022-06-11 20:00:00,100
"""

SALES = """zone_id,ts,category,spend_cny,orders
xinan_road,2022-06-17 20:00:00,eat,1000,10
xinan_road,2022-06-17 21:00:00,shop,500,1
xinan_road,2022-06-10 20:00:00,eat,800,8
xinan_road,2022-06-06 20:00:00,eat,600,6
xinan_road,2022-06-13 20:00:00,eat,400,4
xinan_road,2022-06-03 20:00:00,eat,99999,9
xiaowoniu_market,2022-06-17 20:00:00,eat,100,1
xiaowoniu_market,2022-06-10 20:00:00,eat,50,1
"""

EVENTS = """event_id,zone_id,start,end,category,kind,title_zh,title_en,expected_visitors,simulated
e1,xinan_road,2022-06-17 20:00:00,2022-06-17 22:00:00,eat,ceremony,启动仪式,Launch,,false
e2,xinan_road,2022-06-17 21:00:00,2022-06-17 23:00:00,play,performance,演出,Show,,false
e3,xiaowoniu_market,2022-06-17 20:00:00,2022-06-18 21:00:00,eat,voucher,消费券,Vouchers,,false
e4,baihuo_dalou,2022-06-20 19:00:00,2022-06-20 21:00:00,shop,promotion,促销,Promotion,,false
"""


@pytest.fixture
def store(tmp_path: Path):
    folder = tmp_path / "data"
    folder.mkdir()
    zones = json.loads((ROOT / "data" / "zones.geojson").read_text(encoding="utf-8"))
    keep = {"xinan_road", "xiaowoniu_market", "baihuo_dalou"}
    zones["features"] = [f for f in zones["features"] if f["properties"]["zone_id"] in keep]
    (folder / "zones.geojson").write_text(json.dumps(zones, ensure_ascii=False), encoding="utf-8")
    (folder / "footfall.csv").write_text(FOOTFALL, encoding="utf-8")
    (folder / "sales.csv").write_text(SALES, encoding="utf-8")
    (folder / "events.csv").write_text(EVENTS, encoding="utf-8")
    (folder / "source.json").write_text('{"simulated": false}', encoding="utf-8")
    s = Store.open(tmp_path / "effects.duckdb", data_dir=folder)
    yield s
    s.close()


def effects(store: Store, flt: Filter) -> dict[str, dict]:
    return ee.event_effects(store, flt).set_index("event_id").to_dict("index")


def test_single_night_effect_matches_hand_computation(store: Store) -> None:
    e1 = effects(store, Filter(NIGHT, NIGHT))["e1"]
    assert e1["hours"] == [20, 21]
    assert e1["nights"] == 1 and e1["base_nights"] == 1
    assert e1["actual_visitors"] == 500
    assert e1["base_visitors"] == 250  # Friday 10 June only; the Dragon Boat Friday 3 June is excluded
    assert e1["base_min_visitors"] == 80 and e1["base_max_visitors"] == 250  # every baseline night: 13 and 10 Jun
    assert e1["range_nights"] == 3  # 6, 10 and 13 June (3 June is a holiday)
    assert e1["cv_visitors"] == pytest.approx(math.sqrt(0.08))
    assert e1["base_std_visitors"] == pytest.approx(math.sqrt(0.08) * 250)
    assert e1["diff_visitors"] == 250
    assert e1["pct_visitors"] == pytest.approx(100.0)
    assert e1["z_visitors"] == pytest.approx(250 / (math.sqrt(0.08) * 250))
    assert bool(e1["normal_visitors"]) is False
    assert e1["actual_spend"] == 1500 and e1["base_spend"] == 800
    assert e1["base_std_spend"] == pytest.approx(math.sqrt(0.08) * 800)
    assert e1["z_spend"] == pytest.approx(700 / (math.sqrt(0.08) * 800))


def test_categories_restrict_spending(store: Store) -> None:
    e1 = effects(store, Filter(NIGHT, NIGHT, categories=("eat",)))["e1"]
    assert e1["actual_spend"] == 1000 and e1["diff_spend"] == 200
    assert e1["pct_spend"] == pytest.approx(25.0)
    assert e1["z_spend"] == pytest.approx(200 / (math.sqrt(0.08) * 800))
    assert e1["base_min_spend"] == 400 and e1["base_max_spend"] == 800
    assert bool(e1["normal_spend"]) is False  # 1000 beats every ordinary night (at most 800)
    assert e1["actual_visitors"] == 500  # visitors are not split by category


def test_hour_window_limits_the_event_hours(store: Store) -> None:
    e1 = effects(store, Filter(NIGHT, NIGHT, hours=(21, 2)))["e1"]
    assert e1["hours"] == [21]
    assert e1["actual_visitors"] == 200 and e1["base_visitors"] == 100
    assert e1["cv_visitors"] == pytest.approx(math.sqrt(0.08))  # Mondays 30 and 20: deviations ±0.2


def test_overlapping_events_are_flagged(store: Store) -> None:
    got = effects(store, Filter(NIGHT, dt.date(2022, 6, 20)))
    assert got["e1"]["overlap"] and got["e1"]["overlaps_with"] == ["e2"]
    assert got["e2"]["overlap"] and got["e2"]["overlaps_with"] == ["e1"]
    assert not got["e3"]["overlap"] and not got["e4"]["overlap"]
    # e2's hours are 21:00 and 22:00; 22:00 has no data, so only 21:00 counts
    assert got["e2"]["actual_visitors"] == 200 and got["e2"]["base_visitors"] == 100


def test_multi_night_event_adds_nights_up(store: Store) -> None:
    e3 = effects(store, Filter(NIGHT, dt.date(2022, 6, 20)))["e3"]
    assert e3["nights"] == 2 and e3["base_nights"] == 2  # Fri 17 ↔ Fri 10, Sat 18 ↔ Sat 11
    assert e3["actual_visitors"] == 300 and e3["base_visitors"] == 150
    # each night's range spans Fri 10 (50) and Sat 11 June (100), added up over the two nights
    assert e3["base_min_visitors"] == 100 and e3["base_max_visitors"] == 200 and e3["range_nights"] == 2
    assert e3["pct_visitors"] == pytest.approx(100.0)
    assert math.isnan(e3["z_visitors"])  # one night per weekday: no spread, so no z-score
    assert bool(e3["normal_visitors"]) is False  # but a range: 300 is above the busiest (200)
    assert ee.verdicts(ee.event_effects(store, Filter(NIGHT, dt.date(2022, 6, 20))).query("event_id == 'e3'"),
                       "visitors") == ["above"]
    only_first = effects(store, Filter(NIGHT, NIGHT))["e3"]
    assert only_first["nights"] == 1 and only_first["actual_visitors"] == 100


def test_event_without_data_is_nan_not_zero(store: Store) -> None:
    e4 = effects(store, Filter(NIGHT, dt.date(2022, 6, 20)))["e4"]
    assert e4["nights"] == 0
    assert math.isnan(e4["actual_visitors"]) and math.isnan(e4["pct_spend"])


def test_event_list_filters_like_the_rest(store: Store) -> None:
    ids = list(ee.event_list(store, Filter(dt.date(2022, 6, 18), dt.date(2022, 6, 20)))["event_id"])
    assert ids == ["e3", "e4"]  # e3 began on 17 June but still runs on 18 June
    assert list(ee.event_list(store, Filter(NIGHT, NIGHT, categories=("play",)))["event_id"]) == ["e2"]
    assert list(ee.event_list(store, Filter(NIGHT, NIGHT, zones=("xiaowoniu_market",)))["event_id"]) == ["e3"]


def test_normal_range_band(store: Store) -> None:
    eff = ee.event_effects(store, Filter(NIGHT, NIGHT))
    band = ee.normal_range(eff, "visitors").set_index("event_id").loc["e1"]
    assert band["lo"] == 80 and band["hi"] == 250  # the quietest and busiest baseline night
    assert band["lo_pct"] == pytest.approx(-68.0) and band["hi_pct"] == pytest.approx(0.0)
    assert ee.verdicts(eff.query("event_id == 'e1'"), "visitors") == ["above"]


def test_verdict_follows_the_range() -> None:
    assert ee.verdict_key(10.0, -30.0, 20.0) == "normal"
    assert ee.verdict_key(20.0, -30.0, 20.0) == "normal"  # on the edge: as busy as the busiest ordinary night
    assert ee.verdict_key(20.1, -30.0, 20.0) == "above"
    assert ee.verdict_key(-31.0, -30.0, 20.0) == "below"
    assert ee.verdict_key(10.0, float("nan"), float("nan")) == "unknown"
    assert ee.verdict_key(float("nan"), -30.0, 20.0) == "no_data"


def test_one_baseline_night_is_no_range() -> None:
    frame = ee.pd.DataFrame({
        "event_id": ["a", "b"], "range_nights": [1, 4],
        "actual_visitors": [130.0, 130.0], "base_visitors": [100.0, 100.0], "base_std_visitors": [10.0, 10.0],
        "base_min_visitors": [100.0, 60.0], "base_max_visitors": [100.0, 140.0],
        "actual_spend": [1.0, 1.0], "base_spend": [1.0, 1.0], "base_std_spend": [0.0, 0.0],
        "base_min_spend": [1.0, 1.0], "base_max_spend": [1.0, 1.0],
    })
    out = ee.add_effects(frame)
    assert out["normal_visitors"].isna().tolist() == [True, False] and bool(out["normal_visitors"][1]) is True
    band = ee.normal_range(out, "visitors")
    assert math.isnan(band["lo_pct"][0]) and band["lo_pct"][1] == pytest.approx(-40.0)
    assert band["hi_pct"][1] == pytest.approx(40.0)
    assert ee.verdicts(out, "visitors") == ["unknown", "normal"]


def test_bundled_launch_ceremony_overlaps_the_voucher_round(bundled_store: Store) -> None:
    eff = ee.event_effects(bundled_store, Filter()).set_index("event_id")
    launch = eff.loc["ev-20220617-xinan_road-launch"]
    assert launch["overlap"] and "ev-20220617-xinan_road-voucher-r1" in launch["overlaps_with"]
    assert launch["hours"] == [19, 20, 21]
    assert launch["actual_visitors"] > launch["base_visitors"]


def test_bundled_spread_is_a_real_min_max(bundled_store: Store) -> None:
    """On the bundled data the baseline min–max is a range (not the mean twice) and the band is believable."""
    eff = ee.event_effects(bundled_store, Filter()).set_index("event_id")
    launch = eff.loc["ev-20220617-xinan_road-launch"]
    # the launch's hours (19–21) on the 11 baseline nights 6–16 June: quietest 13 June, busiest 11 June
    assert launch["range_nights"] == 11
    assert launch["base_min_visitors"] == 1582 and launch["base_max_visitors"] == 4706
    assert launch["base_min_visitors"] < launch["base_visitors"] < launch["base_max_visitors"]
    assert launch["base_visitors"] == 4449  # the one Friday, 10 June
    spread = eff[(eff["base_min_visitors"] < eff["base_visitors"]) & (eff["base_visitors"] < eff["base_max_visitors"])]
    assert len(spread) >= len(eff) // 2
    band = ee.normal_range(eff.reset_index(), "visitors").set_index("event_id")
    # the busiest ordinary night is at most ~50 % above the baseline mean, never the old ±80 %
    assert (band["hi_pct"] < 55).all() and (band["lo_pct"] > -80).all()
    # the jinxiang night market's +62 % is no longer "normal": its busiest ordinary night was +0.4 %
    market = eff.loc["ev-20220617-jinxiang_street-market"]
    assert market["pct_visitors"] == pytest.approx(61.95, abs=0.01)
    assert band.loc["ev-20220617-jinxiang_street-market", "hi_pct"] == pytest.approx(0.38, abs=0.01)
    assert bool(market["normal_visitors"]) is False


def test_ranking_puts_the_ceremony_first_on_launch_night(bundled_store: Store) -> None:
    night = dt.date(2022, 6, 17)
    listed = ee.event_list(bundled_store, Filter(night, night))
    assert listed["event_id"].iloc[0] != "ev-20220617-xinan_road-launch"  # by start time it comes late
    ranked = ee.rank_for_display(listed)
    assert ranked["event_id"].iloc[0] == "ev-20220617-xinan_road-launch"
    assert ranked["kind"].iloc[0] == "ceremony"
    assert sorted(ranked["event_id"]) == sorted(listed["event_id"])  # same events, only re-ordered
    # over the campaign: ceremony, then the source article's real events (Father's Day), then the rest
    every = ee.rank_for_display(ee.event_list(bundled_store, Filter()))
    groups = [ee.display_group(k, s) for k, s in zip(every["kind"], every["simulated"], strict=True)]
    assert groups == sorted(groups) and groups[0] == 0
    assert list(every["event_id"][1:5]) == sorted(e for e in every["event_id"] if "fathers-day" in e)
