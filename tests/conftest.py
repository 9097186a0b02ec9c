"""Shared fixtures: small seeded data folders built in code, stores made from them, and Chromium."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import chromium  # tests/browser.py
from nightmap.store import Store

ROOT = Path(__file__).resolve().parents[1]
TINY_ZONES = ("xinan_road", "xiaowoniu_market", "baihuo_dalou")

TINY_FOOTFALL = """zone_id,ts,visitors
xinan_road,2022-06-10 20:00:00,100
xinan_road,2022-06-11 00:00:00,50
xinan_road,2022-06-17 10:00:00,999
xinan_road,2022-06-17 20:00:00,150
xinan_road,2022-06-18 01:00:00,30
xiaowoniu_market,2022-06-10 21:00:00,40
xiaowoniu_market,2022-06-17 21:00:00,60
baihuo_dalou,2022-06-10 19:00:00,80
baihuo_dalou,2022-06-17 19:00:00,40
"""

TINY_SALES = """zone_id,ts,category,spend_cny,orders
xinan_road,2022-06-10 20:00:00,eat,1000,10
xinan_road,2022-06-10 20:00:00,shop,500,2
xinan_road,2022-06-17 20:00:00,eat,1500,15
xinan_road,2022-06-18 01:00:00,eat,300,5
xiaowoniu_market,2022-06-10 21:00:00,eat,400,20
xiaowoniu_market,2022-06-17 21:00:00,eat,800,40
baihuo_dalou,2022-06-10 19:00:00,shop,2000,4
baihuo_dalou,2022-06-17 19:00:00,shop,1000,2
"""

TINY_EVENTS = """event_id,zone_id,start,end,category,kind,title_zh,title_en,expected_visitors,simulated
ev-launch,xinan_road,2022-06-17 19:30:00,2022-06-17 21:30:00,play,ceremony,启动仪式,Launch ceremony,5000,false
"""


def write_tiny_data(folder: Path) -> Path:
    """A data folder of three real zones and a handful of hand-checkable rows."""
    folder.mkdir(parents=True, exist_ok=True)
    zones = json.loads((ROOT / "data" / "zones.geojson").read_text(encoding="utf-8"))
    zones["features"] = [f for f in zones["features"] if f["properties"]["zone_id"] in TINY_ZONES]
    (folder / "zones.geojson").write_text(json.dumps(zones, ensure_ascii=False), encoding="utf-8")
    (folder / "footfall.csv").write_text(TINY_FOOTFALL, encoding="utf-8")
    (folder / "sales.csv").write_text(TINY_SALES, encoding="utf-8")
    (folder / "events.csv").write_text(TINY_EVENTS, encoding="utf-8")
    (folder / "source.json").write_text('{"simulated": false}', encoding="utf-8")
    return folder


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_tiny_data(tmp_path / "data")


@pytest.fixture
def tiny_store(tiny_dir: Path, tmp_path: Path):
    store = Store.open(tmp_path / "db" / "test.duckdb", data_dir=tiny_dir)
    yield store
    store.close()


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory):
    """A store built from a copy of the bundled data folder."""
    folder = tmp_path_factory.mktemp("bundled")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*"))
    store = Store.open(folder / "bundled.duckdb", data_dir=data)
    yield store
    store.close()


@pytest.fixture
def app_store(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The bundled data in a database of the test session (pages under AppTest read it, never write)."""
    db = tmp_path_factory.getbasetemp() / "pages.duckdb"
    monkeypatch.setenv("NIGHTMAP_DB", str(db))
    monkeypatch.chdir(ROOT)
    return Store.open(db)


@pytest.fixture
def browser() -> Iterator[Any]:
    """The system Chromium, quiet and offline-minded (``tests/browser.py``), closed after the test."""
    with chromium() as b:
        yield b
