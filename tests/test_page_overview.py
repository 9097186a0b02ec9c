"""AppTest of the overview page (app.py): every metric and language, filters drive the KPIs, URL state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_support import run_page
from nightmap import metrics
from nightmap.auth import Actor
from nightmap.filters import Filter
from nightmap.i18n import fmt_int, fmt_money
from nightmap.store import Store

ADMIN = Actor("测试管理员", "admin")
"""The actor of the writes these tests make (the store refuses a write without one)."""

ROOT = Path(__file__).resolve().parents[1]


def kpis(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected(store: Store, flt: Filter) -> dict[str, float]:
    return metrics.totals(metrics.zone_summary(store, flt))


@pytest.mark.parametrize("metric", metrics.METRICS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_runs_for_every_metric_and_language(app_store: Store, metric: str, lang: str) -> None:
    at = run_page("app.py", metric=metric, lang=lang)
    assert not at.exception
    title = "解放区夜经济地图" if lang == "zh" else "Jiefang District Night-Economy Map"
    assert at.title[0].value == title
    assert len(at.metric) == 5  # 总客流, 总消费额, 总订单数, 人均消费, 客单价
    banner = at.warning[0].value
    assert ("模拟数据" in banner) if lang == "zh" else ("SIMULATED" in banner)
    heading = [h.value for h in at.subheader if ("排名" in h.value or "ranking" in h.value)]
    assert heading, [h.value for h in at.subheader]


def test_default_kpis_equal_the_package(app_store: Store) -> None:
    at = run_page("app.py")
    tot = expected(app_store, Filter())
    shown = kpis(at)
    assert shown["总客流"] == fmt_int(tot["visitors"], "zh") + " 人次"
    assert shown["总消费额"] == fmt_money(tot["spend"], "zh")
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["总客流"] == f"{tot['uplift_visitors']:+.1f}% 较基线"


def test_changing_categories_changes_kpis_to_the_package_values(app_store: Store) -> None:
    at = run_page("app.py")
    before = kpis(at)
    at.sidebar.multiselect(key="nm_cats").set_value(["eat"]).run()
    assert not at.exception
    after = kpis(at)
    assert after != before
    tot = expected(app_store, Filter(categories=("eat",)))
    assert after["总消费额"] == fmt_money(tot["spend"], "zh")
    assert at.query_params["cat"] == ["eat"] or at.query_params["cat"] == "eat"


def test_changing_nights_changes_kpis(app_store: Store) -> None:
    at = run_page("app.py")
    at.sidebar.date_input(key="nm_nights").set_value((dt.date(2022, 6, 17), dt.date(2022, 6, 17))).run()
    tot = expected(app_store, Filter(dt.date(2022, 6, 17), dt.date(2022, 6, 17)))
    assert kpis(at)["总客流"] == fmt_int(tot["visitors"], "zh") + " 人次"


def test_url_state_round_trips(app_store: Store) -> None:
    at = run_page("app.py", **{"from": "2022-06-18", "to": "2022-06-19", "hours": "18-23", "cat": "shop",
                    "metric": "spend", "lang": "en", "zone": "wanda_mall"})
    assert not at.exception
    assert at.sidebar.multiselect(key="nm_cats_en").value == ["shop"]
    assert at.sidebar.radio(key="nm_metric_en").value == "spend"
    assert at.sidebar.radio(key="nm_lang").value == "en"
    assert at.sidebar.select_slider(key="nm_hours_en").value == (18, 23)
    tot = expected(app_store, Filter(dt.date(2022, 6, 18), dt.date(2022, 6, 19), (18, 23), ("shop",)))
    assert kpis(at)["Total visitors"] == fmt_int(tot["visitors"], "en") + " visits"
    assert any("Zone detail: Wanda Plaza" in h.value for h in at.subheader)
    q = {k: at.query_params[k] for k in at.query_params}
    flat = {k: (v[0] if isinstance(v, list) else v) for k, v in q.items()}
    assert flat["from"] == "2022-06-18" and flat["to"] == "2022-06-19" and flat["hours"] == "18-23"
    assert flat["zone"] == "wanda_mall" and flat["metric"] == "spend" and flat["lang"] == "en"


def test_language_switch_changes_labels(app_store: Store) -> None:
    at = run_page("app.py")
    at.sidebar.multiselect(key="nm_cats").set_value(["eat"]).run()
    at.sidebar.radio(key="nm_metric").set_value("spend").run()
    at.sidebar.radio(key="nm_lang").set_value("en").run()
    assert "Total visitors" in kpis(at)
    assert at.title[0].value == "Jiefang District Night-Economy Map"
    # fresh widgets for English (so the browser shows English options), starting from the same choices
    cats, metric = at.sidebar.multiselect(key="nm_cats_en"), at.sidebar.radio(key="nm_metric_en")
    assert cats.value == ["eat"] and cats.options == ["Eat", "Shop", "Play"]
    assert metric.value == "spend" and metric.options[0] == "Visitors"
    tot = expected(app_store, Filter(categories=("eat",)))
    assert kpis(at)["Total spending"] == fmt_money(tot["spend"], "en", short=True)
    assert fmt_money(tot["spend"], "en", short=True).endswith("M yuan")
    at.sidebar.radio(key="nm_lang").set_value("zh").run()
    assert at.sidebar.multiselect(key="nm_cats").value == ["eat"] and at.sidebar.radio(key="nm_metric").value == "spend"


def test_attention_button_opens_zone_detail(app_store: Store) -> None:
    at = run_page("app.py")
    lagging, _ = metrics.attention(metrics.zone_summary(app_store, Filter()),
                                   metrics.nightly_by_zone(app_store, Filter()))
    at.button(key=f"att_{lagging[0].zone_id}").click().run()
    assert not at.exception
    name = app_store.zones().set_index("zone_id").loc[lagging[0].zone_id, "name_zh"]
    assert any(h.value == f"片区详情：{name}" for h in at.subheader)


def test_user_edited_zone_names_are_escaped_in_markdown(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    db = tmp_path / "edited.duckdb"
    monkeypatch.setenv("NIGHTMAP_DB", str(db))
    monkeypatch.chdir(ROOT)
    store = Store.open(db)
    evil = "![x](http://example.com/x.png) *百货*"
    store.update_zone("baihuo_dalou", name_zh=evil, actor=ADMIN)
    store.close()
    at = run_page("app.py", zone="baihuo_dalou")
    assert not at.exception
    heading = next(h.value for h in at.subheader if h.value.startswith("片区详情"))
    assert "![x](http" not in heading
    assert r"\!\[x\]\(http\://example\.com/x\.png\) \*百货\*" in heading
    assert any(r"\!\[x\]" in b.label for b in at.button)


def test_zone_detail_lists_events_still_running(app_store: Store) -> None:
    """The voucher round began on 17 June and runs to the 20th: it belongs to the nights of 18–19 June."""
    at = run_page("app.py", **{"from": "2022-06-18", "to": "2022-06-19", "zone": "dayangshu_street"})
    assert not at.exception
    table = at.dataframe[0].value
    voucher = table[table["活动"] == "第1轮餐饮消费券发放"]
    assert len(voucher) == 1
    assert voucher["时间"].iloc[0] == "6月17日 17:00—6月20日 02:00"


def test_zones_to_watch_say_why(app_store: Store) -> None:
    at = run_page("app.py")
    assert any(c.value == "较基线增幅最小的片区，以及有某一晚不到基线七成的片区" for c in at.caption)
    at = run_page("app.py", lang="en")
    assert any("under 70% of it" in c.value for c in at.caption)
    # English headline figures are written short enough to fit (with a smaller font, see nightmap.ui.page)
    spend = kpis(at)["Total spending"]
    assert spend.endswith("M yuan") and len(spend) <= 12
    assert any("stMetricValue" in m.value and "1.7rem" in m.value for m in at.markdown)


def test_zone_location_note_is_behind_its_help_icon(app_store: Store) -> None:
    at = run_page("app.py", zone="xinan_road", lang="en")
    caption = next(c for c in at.caption if c.value.endswith("Location note"))
    assert caption.value.startswith("Street district")
    assert "a DJI store stands at" in caption.proto.help and "DJI" not in caption.value
    assert "Position unverified (confidence: medium)" in caption.value  # 新安路: road known, spot not
    at = run_page("app.py", zone="xinya_mall", lang="zh")
    caption = next(c for c in at.caption if c.value.endswith("位置说明"))
    assert "位置待核实" not in caption.value and "B0187004F9" in caption.proto.help  # surveyed: an AMap POI


def test_zone_events_name_the_ceremony_first(app_store: Store) -> None:
    """新安路 on launch night: the zone's event list opens with the 启动仪式, not the voucher round that began earlier."""
    at = run_page("app.py", zone="xinan_road", **{"from": "2022-06-17", "to": "2022-06-17"})
    assert not at.exception
    lists = [d.value for d in at.dataframe if "活动来源" in d.value.columns]
    assert len(lists) == 1
    events = lists[0]
    assert list(events["活动"]) == ["“城市烟火气·点亮夜经济”活动启动仪式", "第1轮餐饮消费券发放"]
    assert list(events["活动来源"]) == ["新闻报道", "模拟"]
