"""Tables on the pages: numbers with separators, ids hidden on screen but kept in the data."""

from __future__ import annotations

import json

import pandas as pd

from apptest_support import run_page
from nightmap.store import Store
from nightmap.ui.table_view import column_config


def test_numbers_are_localized_and_ids_hidden() -> None:
    frame = pd.DataFrame({"活动 ID": ["ev-1"], "片区": ["新安路步行街"], "客流": [152262], "变化": [12.5],
                          "有基线": [True]})
    config = column_config(frame, hide=["活动 ID", "not a column"])
    assert config["活动 ID"] is None and "not a column" not in config
    assert set(config) == {"活动 ID", "客流", "变化"}
    assert all(config[c]["type_config"]["format"] == "localized" for c in ("客流", "变化"))


def _columns(at, index: int = -1) -> dict:
    return json.loads(at.dataframe[index].proto.columns)


def test_ranking_and_event_tables_on_the_pages(app_store: Store) -> None:
    at = run_page("app.py")
    ranking = _columns(at)
    assert any(v.get("type_config", {}).get("format") == "localized" for v in ranking.values())
    at = run_page("pages/2_活动_Events.py")
    effects = _columns(at)
    assert effects["活动 ID"] == {"hidden": True}
    assert "活动 ID" in at.dataframe[-1].value.columns  # still in the data (and the CSV)
