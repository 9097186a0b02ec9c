"""Scale: the pandas baseline equals the metrics, the simulator is deterministic, the page runs on 200 zones.

The benchmark (``benchmarks/scale.py``) times DuckDB against the pandas baseline on
500 zones × 3 years; these tests make sure its speed is never bought with wrong
numbers, on stores small enough to simulate in a test.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from nightmap import geo, metrics
from nightmap.filters import Filter
from nightmap.i18n import fmt_int, fmt_money
from nightmap.simulate import run_simulation
from nightmap.store import Store


def _load_baseline() -> ModuleType:
    """benchmarks/pandas_baseline.py: benchmark code, not part of the installed package."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "pandas_baseline.py"
    spec = importlib.util.spec_from_file_location("pandas_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


pb = _load_baseline()

ROOT = Path(__file__).resolve().parents[1]
D = dt.date


def simulate(folder: Path, *, zones: int, start: dt.date, end: dt.date, seed: int = 7) -> Path:
    """Simulate ``zones`` zones (13 real, the rest synthetic) as Parquet into ``folder``."""
    run_simulation(out_dir=folder, seed=seed, zones=geo.load_zones(ROOT / "data" / "zones.geojson"),
                   n_zones=zones, start=start, end=end, fmt="parquet")
    (folder / "source.json").write_text('{"simulated": true}\n', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, pb.Tables, list[str]]:
    """30 zones × May–June 2022 (baseline and campaign), as a store and as pandas tables."""
    base = tmp_path_factory.mktemp("scale_small")
    data = simulate(base / "data", zones=30, start=D(2022, 5, 1), end=D(2022, 6, 30))
    store = Store.open(base / "small.duckdb", data_dir=data)
    tables = pb.load(data)
    yield store, tables, list(tables.zones["zone_id"])
    store.close()


FILTERS = {
    "default": lambda ids: Filter(),
    "wraps_midnight_eat": lambda ids: Filter(D(2022, 6, 1), D(2022, 6, 30), (20, 3), ("eat",)),
    "shop_play_zone_subset": lambda ids: Filter(D(2022, 5, 25), D(2022, 6, 20), (18, 22), ("shop", "play"),
                                                zones=tuple(ids[::3])),
    "one_night_all_hours": lambda ids: Filter(D(2022, 6, 17), D(2022, 6, 17), (6, 6)),
    "baseline_nights_only": lambda ids: Filter(D(2022, 5, 20), D(2022, 6, 16), (22, 4), ("play",)),
    "two_zones_to_midnight": lambda ids: Filter(D(2022, 6, 10), D(2022, 6, 24), (17, 24), zones=tuple(ids[:2])),
    "no_data": lambda ids: Filter(D(2023, 1, 1), D(2023, 1, 3)),
}


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert len(a) == len(b)
    for col in b.columns:
        x, y = a[col].reset_index(drop=True), b[col].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(y):
            np.testing.assert_allclose(x.to_numpy(float), y.to_numpy(float), rtol=1e-9, err_msg=col)
        else:
            assert list(x) == list(y), col


@pytest.mark.parametrize("name", list(FILTERS))
def test_pandas_baseline_equals_metrics(small, name: str) -> None:
    store, tables, ids = small
    flt = FILTERS[name](ids)
    summary = metrics.zone_summary(store, flt)
    assert_same(summary, pb.zone_summary(tables, flt))
    assert_same(metrics.nightly_by_zone(store, flt), pb.nightly_by_zone(tables, flt))
    assert list(metrics.events_in(store, flt)["event_id"]) == list(pb.events_in(tables, flt)["event_id"])
    assert metrics.data_range(store) == pb.data_range(tables)
    if name != "no_data":
        assert summary["visitors"].sum() > 0 and summary["base_spend"].notna().any()


def test_zone_summary_and_nightly_agree(small) -> None:
    """The summary is the per-zone sum of the nightly rows (they share one scan)."""
    store, _, _ = small
    flt = Filter(D(2022, 6, 1), D(2022, 6, 30), (19, 1))
    by_night = metrics.nightly_by_zone(store, flt).groupby("zone_id")[["visitors", "spend", "base_spend"]].sum()
    summary = metrics.zone_summary(store, flt).set_index("zone_id")
    np.testing.assert_allclose(summary.loc[by_night.index, "spend"], by_night["spend"], rtol=1e-12)
    np.testing.assert_allclose(summary.loc[by_night.index, "base_spend"], by_night["base_spend"], rtol=1e-12)


def test_scale_simulator_is_deterministic(tmp_path: Path) -> None:
    a = simulate(tmp_path / "a", zones=40, start=D(2022, 6, 28), end=D(2022, 7, 2), seed=11)
    b = simulate(tmp_path / "b", zones=40, start=D(2022, 6, 28), end=D(2022, 7, 2), seed=11)
    names = sorted(p.name for p in a.iterdir())
    assert {"footfall.parquet", "sales.parquet", "events.parquet", "zones.geojson"} <= set(names)
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    c = simulate(tmp_path / "c", zones=40, start=D(2022, 6, 28), end=D(2022, 7, 2), seed=12)
    assert (a / "footfall.parquet").read_bytes() != (c / "footfall.parquet").read_bytes()


@pytest.fixture(scope="session")
def big_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """200 zones × the year 2022 as Parquet, and its built store."""
    base = tmp_path_factory.mktemp("scale_200")
    data = simulate(base / "data", zones=200, start=D(2022, 1, 1), end=D(2022, 12, 31), seed=2022)
    shutil.copy(ROOT / "data" / "districts.geojson", data / "districts.geojson")  # the map needs it
    db = base / "big.duckdb"
    Store.open(db, data_dir=data).close()
    return db, data


def test_page_runs_on_200_zones_and_a_year(big_env, monkeypatch: pytest.MonkeyPatch) -> None:
    db, data = big_env
    monkeypatch.setenv("NIGHTMAP_DB", str(db))
    monkeypatch.setenv("NIGHTMAP_DATA_DIR", str(data))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    store = Store.open(db, data_dir=data)
    try:
        assert len(store.zone_ids()) == 200
        tot = metrics.totals(metrics.zone_summary(store, Filter()))
        items, _ = metrics.attention(metrics.zone_summary(store, Filter()), metrics.nightly_by_zone(store, Filter()))
        lagging = metrics.by_zone(items)  # one button per zone, with all its reasons
    finally:
        store.close()
    shown = {m.label: m.value for m in at.metric}
    assert shown["总客流"] == fmt_int(tot["visitors"], "zh") + " 人次"
    assert shown["总消费额"] == fmt_money(tot["spend"], "zh")
    assert shown["总订单数"] == fmt_int(tot["orders"], "zh")
    assert len(at.button) < 30  # a short list of zones to watch, not a button per zone
    # five above the map, the rest folded away
    assert len(lagging) > 6
    folded = [e for e in at.expander if "个片区需关注" in e.label]
    assert len(folded) == 1 and folded[0].label == f"另有 {len(lagging) - 5} 个片区需关注"
    assert [b.key for b in folded[0].button] == [f"att_{a.zone_id}" for a in lagging[5:]]
    assert len([b for b in at.button if b.key.startswith("att_")]) == len(lagging)
    assert "nm_base_map_id" in at.session_state  # the map sends the zones in view, not all 200
    picker = at.selectbox[0]
    assert len(picker.options) == 201  # “no zone” and every zone, searchable
    # with many zones the sidebar offers a searchable zone filter, and it drives the numbers
    only = at.sidebar.multiselect(key="nm_zones")
    assert len(only.options) == 200
    two = ["syn_0001", "syn_0002"]
    only.set_value(two).run()
    assert not at.exception, at.exception
    store = Store.open(db, data_dir=data)
    try:
        part = metrics.totals(metrics.zone_summary(store, Filter(zones=tuple(two))))
    finally:
        store.close()
    assert {m.label: m.value for m in at.metric}["总客流"] == fmt_int(part["visitors"], "zh") + " 人次"
    assert at.query_params["zones"] in ("syn_0001,syn_0002", ["syn_0001,syn_0002"])
