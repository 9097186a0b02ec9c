"""Tests for the seeded campaign simulator (``nightmap.simulate``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from nightmap.simulate import (
    CATEGORIES,
    EVENT_COLUMNS,
    FOOTFALL_COLUMNS,
    SALES_COLUMNS,
    SYNTHETIC_NOTE,
    SimulatedData,
    rain_nights,
    run_simulation,
    simulate,
    synthetic_zones,
)

ZONES = [
    ("wanda_square", "street", ["eat", "play"]),
    ("wangfujing_square", "street", ["eat", "play"]),
    ("xinan_road", "street", ["eat", "shop", "play"]),
    ("mengzhou_road", "street", ["shop", "play", "eat"]),
    ("xiaowoniu_market", "street", ["eat"]),
    ("dayangshu_street", "street", ["eat", "play"]),
    ("hongkong_city", "street", ["shop", "eat"]),
    ("jinxiang_street", "street", ["eat", "shop"]),
    ("xindasha_square", "street", ["eat", "play"]),
    ("wanda_mall", "complex", ["shop", "eat", "play"]),
    ("wangfujing_store", "complex", ["shop", "eat"]),
    ("baihuo_dalou", "complex", ["shop"]),
    ("xinya_mall", "complex", ["shop", "eat"]),
]
COMPLEXES = ["wanda_mall", "wangfujing_store", "baihuo_dalou", "xinya_mall"]
EAT_STREETS = ["xiaowoniu_market", "xinan_road", "dayangshu_street", "jinxiang_street"]
START, END = dt.date(2022, 6, 3), dt.date(2022, 6, 30)
SEED = 7  # rain falls on 19, 26 and 30 June: the baseline Friday (10 June) is dry


@pytest.fixture(scope="module")
def zones() -> gpd.GeoDataFrame:
    rows = []
    for i, (zid, kind, cats) in enumerate(ZONES):
        x, y = 113.22 + 0.003 * (i % 5), 35.21 + 0.003 * (i // 5)
        rows.append({
            "zone_id": zid,
            "name_zh": zid,
            "name_en": zid,
            "kind": kind,
            "categories": cats,
            "address_zh": "测试",
            "location_note": "test",
            "geometry": box(x, y, x + 0.001, y + 0.001),
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


@pytest.fixture(scope="module")
def june(zones: gpd.GeoDataFrame) -> SimulatedData:
    return simulate(zones, seed=SEED, start=START, end=END)


def _with_night(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["night"] = (out["ts"] - pd.Timedelta(hours=6)).dt.date
    out["hour"] = out["ts"].dt.hour
    return out


def _nightly(frame: pd.DataFrame, value: str = "visitors") -> pd.DataFrame:
    """Zone × night totals."""
    return _with_night(frame).pivot_table(index="night", columns="zone_id", values=value, aggfunc="sum")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- contract


def test_contract_columns_and_dtypes(june: SimulatedData) -> None:
    assert list(june.footfall.columns) == FOOTFALL_COLUMNS
    assert list(june.sales.columns) == SALES_COLUMNS
    assert list(june.events.columns) == EVENT_COLUMNS
    assert june.footfall["ts"].dtype == "datetime64[us]"
    assert june.sales["ts"].dtype == "datetime64[us]"
    assert june.footfall["visitors"].dtype == np.int64
    assert june.sales["orders"].dtype == np.int64
    assert june.sales["spend_cny"].dtype == np.float64
    assert june.events["start"].dtype == "datetime64[us]"
    assert june.events["simulated"].dtype == bool
    assert str(june.events["expected_visitors"].dtype) == "Int64"


def test_complete_grid_sorted_and_in_range(june: SimulatedData) -> None:
    nights = (END - START).days + 1
    assert len(june.footfall) == 13 * nights * 24
    assert len(june.sales) == 13 * nights * 24 * 3
    assert june.footfall["ts"].min() == pd.Timestamp("2022-06-03 06:00:00")
    assert june.footfall["ts"].max() == pd.Timestamp("2022-07-01 05:00:00")
    key = june.footfall[["ts", "zone_id"]]
    assert key.equals(key.sort_values(["ts", "zone_id"]).reset_index(drop=True))
    skey = june.sales[["ts", "zone_id", "category"]]
    assert skey.equals(skey.sort_values(["ts", "zone_id", "category"]).reset_index(drop=True))
    assert not skey.duplicated().any()
    assert set(june.sales["category"]) == set(CATEGORIES)
    assert (june.footfall.groupby("zone_id").size() == nights * 24).all()


def test_no_negatives_and_zero_orders_zero_spend(june: SimulatedData) -> None:
    assert (june.footfall["visitors"] >= 0).all()
    assert (june.sales["orders"] >= 0).all()
    assert (june.sales["spend_cny"] >= 0).all()
    zero = june.sales["orders"] == 0
    assert zero.any() and (june.sales.loc[zero, "spend_cny"] == 0).all()
    assert (june.sales.loc[~zero, "spend_cny"] > 0).all()
    cents = june.sales["spend_cny"] * 100
    assert np.allclose(cents, cents.round())
    merged = june.sales.merge(june.footfall, on=["zone_id", "ts"])
    assert (merged["orders"] <= merged["visitors"]).all()


def test_categories_follow_the_zones(june: SimulatedData) -> None:
    totals = june.sales.groupby(["zone_id", "category"])["orders"].sum()
    assert totals["baihuo_dalou", "eat"] == 0 and totals["baihuo_dalou", "shop"] > 0
    assert totals["xiaowoniu_market", "shop"] == 0 and totals["xiaowoniu_market", "eat"] > 0


# --------------------------------------------------------------------------- shapes and sizes


def test_peak_hour_in_the_evening(june: SimulatedData) -> None:
    by_hour = _with_night(june.footfall).groupby("hour")["visitors"].sum()
    assert 19 <= by_hour.idxmax() <= 22
    assert by_hour[20] > 2.5 * by_hour[12]
    assert by_hour[4] < 0.01 * by_hour[20]


def test_food_streets_run_past_midnight_complexes_close(june: SimulatedData) -> None:
    f = _with_night(june.footfall)
    late = f[f["hour"].isin([0, 1])]
    eat_late = late[late["zone_id"].isin(EAT_STREETS)].groupby("zone_id")["visitors"].mean()
    complex_late = late[late["zone_id"].isin(COMPLEXES)].groupby("zone_id")["visitors"].mean()
    assert eat_late.min() > 20 * max(complex_late.max(), 1)
    evening = f[f["hour"].isin([19, 20])]
    wanda_eve = evening[evening["zone_id"] == "wanda_mall"]["visitors"].mean()
    wanda_23 = f[(f["zone_id"] == "wanda_mall") & (f["hour"] == 23)]["visitors"].mean()
    assert wanda_23 < 0.05 * wanda_eve


def test_shop_peaks_earlier_than_eat(june: SimulatedData) -> None:
    s = _with_night(june.sales)
    s = s[s["zone_id"] == "xinan_road"]
    by = s.groupby(["category", "hour"])["orders"].sum()
    hours = np.array([(h - 6) % 24 for h in range(24)])  # order within the night
    def centre(cat: str) -> float:
        w = by[cat].reindex(range(24)).to_numpy()
        return float((w * hours).sum() / w.sum())
    assert centre("shop") < centre("eat") - 0.5


def test_sizes_are_believable(june: SimulatedData) -> None:
    nightly = _nightly(june.footfall)
    assert 3000 < nightly["xinan_road"].median() < 20000
    ordinary = nightly["xinan_road"].drop(index=dt.date(2022, 6, 17))
    assert ordinary.max() < 25000
    assert nightly.loc[dt.date(2022, 6, 17), "xinan_road"] < 45000
    assert 1000 < nightly["baihuo_dalou"].median() < 10000
    assert nightly["wanda_mall"].median() > nightly["baihuo_dalou"].median()
    s = june.sales.groupby(["zone_id", "category"])[["spend_cny", "orders"]].sum()
    aov = s["spend_cny"] / s["orders"]
    assert 20 <= aov["xiaowoniu_market", "eat"] <= 60
    assert 200 <= aov["baihuo_dalou", "shop"] <= 600
    per_visitor = june.sales.groupby("zone_id")["spend_cny"].sum() / june.footfall.groupby("zone_id")[
        "visitors"
    ].sum()
    assert per_visitor.between(10, 200).all()


def test_weekend_nights_above_midweek(june: SimulatedData) -> None:
    nightly = _nightly(june.footfall).sum(axis=1)
    rain = rain_nights(SEED, START, END)
    base = [dt.date(2022, 6, d) for d in range(6, 17) if dt.date(2022, 6, d) not in rain]
    friday_saturday = nightly[[d for d in base if d.weekday() in (4, 5)]].mean()
    midweek = nightly[[d for d in base if d.weekday() < 4]].mean()
    assert friday_saturday > 1.15 * midweek


def test_dragon_boat_break_is_high(june: SimulatedData) -> None:
    nightly = _nightly(june.footfall).sum(axis=1)
    midweek = nightly[[dt.date(2022, 6, d) for d in (6, 7, 8, 9, 13, 14, 15, 16)]].mean()
    assert nightly[[dt.date(2022, 6, 3), dt.date(2022, 6, 4)]].mean() > 1.3 * midweek


def test_rainy_nights_are_lower(june: SimulatedData) -> None:
    rain = rain_nights(SEED, START, END)
    assert 2 <= len(rain) <= 5
    assert any(d.day >= 20 for d in rain)
    assert dt.date(2022, 6, 17) not in rain
    streets = _nightly(june.footfall)[["wanda_square", "xindasha_square", "dayangshu_street"]].sum(axis=1)
    for day in rain:
        same_weekday = [
            d for d in streets.index if d.weekday() == day.weekday() and d not in rain and d != day
            and (d >= dt.date(2022, 6, 17)) == (day >= dt.date(2022, 6, 17))
        ]
        if same_weekday:
            assert streets[day] < 0.9 * streets[same_weekday].mean()


# --------------------------------------------------------------------------- campaign


def test_launch_night_spike_on_xinan_road(june: SimulatedData) -> None:
    assert dt.date(2022, 6, 10) not in rain_nights(SEED, START, END)
    f = _with_night(june.footfall)
    x = f[(f["zone_id"] == "xinan_road") & f["hour"].isin([19, 20, 21, 22])]
    launch = x[x["night"] == dt.date(2022, 6, 17)].set_index("hour")["visitors"]
    friday = x[x["night"] == dt.date(2022, 6, 10)].set_index("hour")["visitors"]
    assert (launch > 1.5 * friday.mean()).all()
    assert launch.sum() > 2.0 * friday.sum()


def test_campaign_nights_above_baseline(june: SimulatedData) -> None:
    nightly = _nightly(june.footfall)
    base = nightly.loc[[dt.date(2022, 6, d) for d in range(6, 17)]]
    camp = nightly.loc[[dt.date(2022, 6, d) for d in range(17, 31)]]
    weekday_base = base.groupby([d.weekday() for d in base.index]).mean()
    expected = weekday_base.loc[[d.weekday() for d in camp.index]].to_numpy()
    uplift = camp.to_numpy().sum(axis=0) / expected.sum(axis=0) - 1
    uplift = pd.Series(uplift, index=nightly.columns)
    assert uplift.mean() > 0.08
    assert (uplift > 0.05).sum() >= 8  # most zones gain …
    assert uplift[["hongkong_city", "baihuo_dalou"]].max() < uplift.median()  # … the laggards do not


def test_fathers_day_618_lifts_complex_shop_spend(june: SimulatedData) -> None:
    s = _with_night(june.sales)
    shop = s[(s["category"] == "shop") & s["zone_id"].isin(COMPLEXES)]
    per_night = shop.groupby("night")["spend_cny"].sum()
    promo = per_night[[dt.date(2022, 6, 18), dt.date(2022, 6, 19)]].sum()
    baseline_weekend = per_night[[dt.date(2022, 6, 11), dt.date(2022, 6, 12)]].sum()
    assert promo > 1.3 * baseline_weekend


def test_vouchers_lift_eat_spend(june: SimulatedData) -> None:
    s = _with_night(june.sales)
    eat = s[(s["category"] == "eat") & s["zone_id"].isin(EAT_STREETS)].groupby("night")["spend_cny"].sum()
    rounds = eat[[dt.date(2022, 6, 24), dt.date(2022, 6, 25)]].mean()
    before = eat[[dt.date(2022, 6, 10), dt.date(2022, 6, 11)]].mean()
    assert rounds > 1.25 * before


def test_events(june: SimulatedData) -> None:
    ev = june.events
    launch = ev[ev["event_id"] == "ev-20220617-xinan_road-launch"]
    assert len(launch) == 1
    row = launch.iloc[0]
    assert row["zone_id"] == "xinan_road" and row["kind"] == "ceremony" and row["category"] == "play"
    assert row["start"] == pd.Timestamp("2022-06-17 19:30") and row["end"] == pd.Timestamp("2022-06-17 21:30")
    assert row["title_zh"] == "“城市烟火气·点亮夜经济”活动启动仪式"
    assert not row["simulated"]
    promo = ev[ev["kind"] == "promotion"]
    assert set(promo["zone_id"]) == set(COMPLEXES) and (promo["category"] == "shop").all()
    vouchers = ev[ev["kind"] == "voucher"]
    assert len(vouchers) > 0 and (vouchers["category"] == "eat").all() and vouchers["simulated"].all()
    assert "xiaowoniu_market" in set(vouchers["zone_id"])
    shows = ev[ev["kind"].isin(["performance", "market"])]
    assert len(shows) > 5 and shows["simulated"].all() and shows["expected_visitors"].notna().all()
    assert ev["event_id"].is_unique
    assert (ev["end"] > ev["start"]).all()
    assert set(ev["kind"]) <= {"ceremony", "promotion", "voucher", "performance", "market", "other"}
    assert ev["start"].min() >= pd.Timestamp(START) and ev["start"].max() < pd.Timestamp(END) + pd.Timedelta(days=1)
    assert ev["title_en"].str.len().gt(0).all()


def test_no_campaign_events_outside_the_campaign(zones: gpd.GeoDataFrame) -> None:
    may = simulate(zones, seed=SEED, start=dt.date(2022, 5, 9), end=dt.date(2022, 5, 20))
    assert may.events.empty
    assert list(may.events.columns) == EVENT_COLUMNS


def test_values_do_not_depend_on_the_range(zones: gpd.GeoDataFrame, june: SimulatedData) -> None:
    part = simulate(zones, seed=SEED, start=dt.date(2022, 6, 12), end=dt.date(2022, 6, 14))
    mask = (june.footfall["ts"] >= pd.Timestamp("2022-06-12 06:00")) & (
        june.footfall["ts"] < pd.Timestamp("2022-06-15 06:00")
    )
    pd.testing.assert_frame_equal(part.footfall, june.footfall[mask].reset_index(drop=True))


def test_unknown_zones_get_a_profile(zones: gpd.GeoDataFrame) -> None:
    extra = pd.DataFrame([
        {"zone_id": "new_food_street", "kind": "street", "categories": ["eat", "play"]},
        {"zone_id": "new_mall", "kind": "complex", "categories": ["shop", "eat"]},
    ])
    data = simulate(extra, seed=3, start=dt.date(2022, 6, 6), end=dt.date(2022, 6, 12))
    nightly = _nightly(data.footfall)
    assert (nightly > 500).all().all()
    orders = data.sales.groupby(["zone_id", "category"])["orders"].sum()
    assert orders["new_mall", "play"] == 0 and orders["new_mall", "shop"] > 0
    f = _with_night(data.footfall)
    assert f[(f["zone_id"] == "new_mall") & (f["hour"] == 1)]["visitors"].mean() < 5


def test_bad_arguments(zones: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        simulate(zones, seed=-1)
    with pytest.raises(ValueError):
        simulate(zones, seed=1, start=dt.date(2022, 6, 5), end=dt.date(2022, 6, 4))
    with pytest.raises(ValueError):
        run_simulation(out_dir=tmp_path, seed=1, zones=zones, start=START, end=END, fmt="xlsx")


# --------------------------------------------------------------------------- files


def test_same_seed_same_bytes_other_seed_differs(zones: gpd.GeoDataFrame, tmp_path: Path) -> None:
    a = run_simulation(out_dir=tmp_path / "a", seed=SEED, zones=zones, start=START, end=END)
    b = run_simulation(out_dir=tmp_path / "b", seed=SEED, zones=zones, start=START, end=END)
    c = run_simulation(out_dir=tmp_path / "c", seed=SEED + 1, zones=zones, start=START, end=END)
    assert [p.name for p in a] == ["footfall.csv", "sales.csv", "events.csv"]
    assert [_sha(p) for p in a] == [_sha(p) for p in b]
    assert _sha(a[0]) != _sha(c[0]) and _sha(a[1]) != _sha(c[1])


def test_csv_format_and_values(zones: gpd.GeoDataFrame, june: SimulatedData, tmp_path: Path) -> None:
    paths = run_simulation(out_dir=tmp_path, seed=SEED, zones=zones, start=START, end=END)
    raw = paths[1].read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == "zone_id,ts,category,spend_cny,orders"
    assert lines[1].startswith("baihuo_dalou,2022-06-03 06:00:00,eat,0.00,0")
    assert all(len(line.split(",")[3].split(".")[1]) == 2 for line in lines[1:200] if line)
    foot = pd.read_csv(paths[0], parse_dates=["ts"])
    sales = pd.read_csv(paths[1], parse_dates=["ts"])
    pd.testing.assert_frame_equal(foot, june.footfall, check_dtype=False)
    pd.testing.assert_frame_equal(sales, june.sales, check_dtype=False)
    events = paths[2].read_text(encoding="utf-8").split("\n")
    assert events[0] == ",".join(EVENT_COLUMNS)
    launch = next(line for line in events if line.startswith("ev-20220617-xinan_road-launch"))
    assert launch.endswith(",,false") and "2022-06-17 19:30:00,2022-06-17 21:30:00" in launch


def test_parquet_equals_csv(zones: gpd.GeoDataFrame, tmp_path: Path) -> None:
    start, end = dt.date(2022, 6, 15), dt.date(2022, 6, 20)
    csvs = run_simulation(out_dir=tmp_path / "csv", seed=5, zones=zones, start=start, end=end)
    pqs = run_simulation(out_dir=tmp_path / "pq", seed=5, zones=zones, start=start, end=end, fmt="parquet")
    assert [p.suffix for p in pqs] == [".parquet"] * 3
    for c, p, dates in zip(csvs, pqs, (["ts"], ["ts"], ["start", "end"]), strict=True):
        a = pd.read_csv(c, parse_dates=dates, keep_default_na=True)
        b = pd.read_parquet(p)
        for col in dates:
            b[col] = b[col].astype("datetime64[us]")
        if "expected_visitors" in a.columns:
            a["expected_visitors"] = a["expected_visitors"].astype("Int64")
            b["expected_visitors"] = b["expected_visitors"].astype("Int64")
        pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_synthetic_zones(zones: gpd.GeoDataFrame) -> None:
    out = synthetic_zones(40, seed=2, base=zones)
    assert len(out) == 40 and out["zone_id"].is_unique
    assert list(out.columns) == list(zones.columns)
    assert out.crs.to_epsg() == 4326
    syn = out.iloc[13:]
    assert list(syn["zone_id"][:2]) == ["syn_0001", "syn_0002"]
    assert syn.iloc[0]["name_zh"] == "合成片区0001" and syn.iloc[0]["name_en"] == "Synthetic zone 0001"
    assert (syn["location_note"] == SYNTHETIC_NOTE).all()
    assert set(syn["kind"]) <= {"street", "complex"}
    assert all(set(c) <= set(CATEGORIES) and len(c) >= 1 for c in syn["categories"])
    geoms = list(out.geometry)
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert not geoms[i].intersects(geoms[j]), (out.iloc[i]["zone_id"], out.iloc[j]["zone_id"])
    side = syn.to_crs(32649).geometry.area ** 0.5
    assert side.between(90, 110).all()
    centre = syn.geometry.union_all().centroid
    assert abs(centre.x - 113.24) < 0.05 and abs(centre.y - 35.22) < 0.05
    assert synthetic_zones(40, seed=2, base=zones).equals(out)


def test_multi_year_run_is_quick_deterministic_and_seasonal(zones: gpd.GeoDataFrame, tmp_path: Path) -> None:
    kwargs = {"zones": zones, "n_zones": 30, "start": dt.date(2022, 1, 1), "end": dt.date(2023, 12, 31)}
    t0 = time.perf_counter()
    a = run_simulation(out_dir=tmp_path / "a", seed=11, fmt="parquet", **kwargs)
    elapsed = time.perf_counter() - t0
    b = run_simulation(out_dir=tmp_path / "b", seed=11, fmt="parquet", **kwargs)
    assert elapsed < 10
    assert [p.name for p in a] == ["footfall.parquet", "sales.parquet", "events.parquet", "zones.geojson"]
    assert [_sha(p) for p in a] == [_sha(p) for p in b]
    foot = pd.read_parquet(a[0])
    assert len(foot) == 30 * 730 * 24
    assert foot["zone_id"].nunique() == 30
    xinan = _nightly(foot[foot["zone_id"] == "xinan_road"])["xinan_road"]
    xinan.index = pd.to_datetime(xinan.index)
    by_month = xinan.groupby(xinan.index.month).mean()
    assert by_month[[7, 8]].mean() > 1.2 * by_month[[12, 1]].mean()  # winter lower
    # Spring Festival 2023 (break 21–27 January): above the ordinary January nights
    jan = xinan["2023-01-01":"2023-01-31"]
    festival = jan["2023-01-22":"2023-01-26"].mean()
    ordinary = jan["2023-01-04":"2023-01-19"].mean()
    assert festival > 1.15 * ordinary
    events = pd.read_parquet(a[2])
    assert 20 < len(events) < 400  # events stay in festival and campaign periods
    assert events["event_id"].is_unique
    zones_out = gpd.read_file(a[3])
    assert len(zones_out) == 30
