"""AppTest of the presenter page: modes and languages from the URL, the URL kept, the player and the exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_support import run_page
from nightmap import playback

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "pages" / "3_汇报模式_Presenter.py"


def player_doc(at: AppTest) -> str:
    frames = [e for e in at.main if getattr(e, "type", None) == "iframe"]
    assert len(frames) == 1
    return frames[0].proto.srcdoc


def player_data(at: AppTest) -> dict:
    doc = player_doc(at)
    m = re.search(r'<script type="application/json" id="nm-data">(.*?)</script>', doc, re.S)
    assert m
    return json.loads(m.group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["nights", "hours"])
def test_page_runs_in_each_mode_and_language(app_store: object, lang: str, mode: str) -> None:
    at = run_page(PAGE, lang=lang, mode=mode, metric="spend")
    assert not at.exception
    data = player_data(at)
    assert data["lang"] == lang and data["mode"] == mode and data["metric"] == "spend"
    assert len(data["zones"]["features"]) == 13
    assert len(data["frames"]) == (14 if mode == "nights" else 9)
    assert data["title"] == ("解放区夜经济地图" if lang == "zh" else "Jiefang District Night-Economy Map")
    # said plainly: simulated, on the page and inside the player
    banner = at.warning[0].value
    assert ("模拟数据" in banner) if lang == "zh" else ("SIMULATED" in banner)
    assert "Simulated data" in data["badge"]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载离线汇报文件（HTML）" if lang == "zh" else "Download offline briefing (HTML)"]


def test_chinese_by_default_and_url_keeps_mode(app_store: object) -> None:
    at = run_page(PAGE)
    assert not at.exception
    assert player_data(at)["lang"] == "zh"
    assert at.query_params["mode"] == ["nights"] or at.query_params["mode"] == "nights"
    assert at.radio(key="nm_pmode").value == "nights"
    at.radio(key="nm_pmode").set_value("hours").run()
    assert not at.exception
    qp = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert qp["mode"] == "hours" and qp["night"] == "2022-06-17"
    assert qp["metric"] == "visitors" and qp["from"] == "2022-06-17"  # the filters are still in the URL
    assert player_data(at)["mode"] == "hours"


def test_bookmarked_url_opens_the_same_run(app_store: object) -> None:
    at = run_page(PAGE, **{"from": "2022-06-20", "to": "2022-06-26", "hours": "18-23", "cat": "eat",
                     "metric": "uplift", "mode": "hours", "night": "2022-06-24", "play": "1", "lang": "en"})
    assert not at.exception
    assert at.selectbox(key="nm_pnight_en").value.isoformat() == "2022-06-24"  # English: its own widget
    assert at.toggle(key="nm_pplay").value is True
    data = player_data(at)
    assert data["autoplay"] is True and data["metric"] == "uplift" and data["mode"] == "hours"
    assert [f["tick"] for f in data["frames"]] == ["18", "19", "20", "21", "22"]
    assert "24 Jun 2022" in data["subtitle"] and "Eat" in data["subtitle"]


def test_player_on_page_uses_local_assets(app_store: object) -> None:
    doc = player_doc(run_page(PAGE))
    assert "/app/static/vendor/nightmap/js/player.js" in doc
    assert not re.search(r'(src|href)="https?://', doc)
    assert (ROOT / "static" / "vendor" / playback.PLAYER_VENDOR_DIR / "js" / "player.js").is_file()


def test_png_without_chromium_shows_how_to_install(app_store: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(playback.png, "chromium_path", lambda: None)
    at = run_page(PAGE)
    at.button[0].click().run()
    assert not at.exception
    assert any("apt-get install chromium" in i.value for i in at.info)
