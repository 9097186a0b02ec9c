"""Presenter playback: frames checked by hand and against metrics, the fixed scale, safe self-contained HTML."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from nightmap import event_effects, geo, metrics, playback
from nightmap.cli import cli
from nightmap.filters import Filter
from nightmap.store import Store

NIGHT = dt.date(2022, 6, 17)
XSS = "<img src=x onerror=alert(1)>"


class _Refs(HTMLParser):
    """Every ``src``/``href`` attribute and the text of each ``<script>``."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self._in: str | None = None
        self.scripts: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "srcset", "data", "poster", "action"):
                self.refs.append((tag, k, v or ""))
        if tag == "script":
            self._in = dict(attrs).get("id") or f"script{len(self.scripts)}"
            self.scripts[self._in] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.scripts[self._in] += data


def parse(doc: str) -> _Refs:
    p = _Refs()
    p.feed(doc)
    return p


def embedded_data(doc: str) -> dict:
    return json.loads(parse(doc).scripts["nm-data"])


# --------------------------------------------------------------------------- frames


def test_night_frames_by_hand(tiny_store: Store) -> None:
    run = playback.frames(tiny_store, Filter(NIGHT, NIGHT))
    assert run["mode"] == "nights" and len(run["frames"]) == 1
    f = run["frames"][0]
    xr = f["zones"]["xinan_road"]
    # 17:00–02:00: 20:00 150 + 01:00 (next day) 30; the 10:00 row is outside the window
    assert xr["visitors"] == 180
    # baseline: Friday 10 June, 20:00 100 + 00:00 50
    assert xr["base_visitors"] == 150
    assert xr["uplift_visitors"] == pytest.approx(20.0)
    assert xr["spend"] == 1800 and xr["base_spend"] == 1500
    assert xr["uplift"] == pytest.approx(20.0)
    assert f["totals"]["visitors"] == 180 + 60 + 40
    assert f["totals"]["uplift_visitors"] == pytest.approx((280 / (150 + 40 + 80) - 1) * 100)
    assert [e["id"] for e in f["events"]] == ["ev-launch"]
    assert run["status"] == "real"


def test_hour_frames_by_hand(tiny_store: Store) -> None:
    run = playback.frames(tiny_store, Filter(NIGHT, NIGHT), mode="hours", night=NIGHT)
    hours = [f["hour"] for f in run["frames"]]
    assert hours == [17, 18, 19, 20, 21, 22, 23, 0, 1]
    by_hour = {f["hour"]: f for f in run["frames"]}
    assert by_hour[20]["zones"]["xinan_road"]["visitors"] == 150
    assert by_hour[20]["zones"]["xinan_road"]["uplift_visitors"] == pytest.approx(50.0)
    assert by_hour[1]["zones"]["xinan_road"]["visitors"] == 30  # 01:00 on the 18th belongs to the night of the 17th
    # the launch runs 19:30–21:30: on during hours 19, 20, 21 only
    live = [h for h, f in by_hour.items() if f["events"]]
    assert sorted(live) == [19, 20, 21]


def test_night_frames_match_metrics(bundled_store: Store) -> None:
    flt = Filter(dt.date(2022, 6, 10), dt.date(2022, 6, 30), categories=("eat", "shop"))
    run = playback.frames(bundled_store, flt)
    nightly = metrics.nightly(bundled_store, flt).set_index("night")
    assert [f["night"] for f in run["frames"]] == [d.isoformat() for d in flt.nights]
    events = event_effects.event_list(bundled_store, flt)  # events running on a night, not only starting
    for f in run["frames"]:
        day = dt.date.fromisoformat(f["night"])
        assert f["totals"]["visitors"] == pytest.approx(nightly.loc[day, "visitors"])
        assert f["totals"]["spend"] == pytest.approx(nightly.loc[day, "spend"])
        running = (pd.to_datetime(events["night"]).dt.date <= day) & (pd.to_datetime(events["last_night"]).dt.date >= day)
        assert len(f["events"]) == int(running.sum())
    # a frame's change vs baseline equals the overview's for that single night
    one = metrics.totals(metrics.zone_summary(bundled_store, flt.with_(start=dt.date(2022, 6, 24), end=dt.date(2022, 6, 24))))
    f24 = next(f for f in run["frames"] if f["night"] == "2022-06-24")
    assert f24["totals"]["uplift_spend"] == pytest.approx(one["uplift_spend"])


def test_one_colour_scale_for_the_whole_run(bundled_store: Store) -> None:
    run = playback.frames(bundled_store, Filter())
    for metric in metrics.METRICS:
        scale = playback.scale_of(run, metric)
        vals = [z[metric] for f in run["frames"] for z in f["zones"].values() if z[metric] is not None]
        assert scale.breaks[0] <= min(vals) and max(vals) <= scale.breaks[-1]
    assert playback.scale_of(run, "uplift").diverging
    data = playback.player_data(run, geo.zones_from_table(bundled_store.zones()), None, metric="visitors", lang="zh")
    colours = [tuple(sorted(f["colours"].values())) for f in data["frames"]]
    assert len(set(colours)) > 1, "colours never change between nights"


def test_unknown_mode_and_metric(bundled_store: Store) -> None:
    with pytest.raises(ValueError):
        playback.frames(bundled_store, Filter(), mode="weeks")
    run = playback.frames(bundled_store, Filter(NIGHT, NIGHT))
    with pytest.raises(ValueError):
        playback.player_data(run, geo.zones_from_table(bundled_store.zones()), None, metric="nope", lang="zh")


def test_frame_labels() -> None:
    zh = playback.frame_label({"night": "2022-06-17", "hour": None}, "zh")
    assert zh["date"] == "2022年6月17日 周五" and zh["sub"] == "活动第 1 晚" and zh["tick"] == "6/17"
    assert playback.frame_label({"night": "2022-06-10", "hour": None}, "en")["sub"].startswith("Before")
    late = playback.frame_label({"night": "2022-06-17", "hour": 1}, "zh")
    assert late["date"] == "01:00—02:00（次日）" and late["sub"].startswith("2022年6月17日")


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def export_doc(bundled_store: Store) -> str:
    return playback.presenter_html(bundled_store, Filter(), metric="visitors", lang="zh", inline=True)


def test_export_is_self_contained(export_doc: str) -> None:
    p = parse(export_doc)
    off = [r for r in p.refs if not (r[2].startswith(("#", "data:")) or r[2] == "")]
    assert off == [], f"references outside the file: {off}"
    assert "script" in p.tags and "style" in export_doc
    # no web address at all, except the SVG namespace name inside Leaflet (an identifier, never fetched)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", export_doc))
    assert urls <= {playback.SVG_NAMESPACE}, urls
    assert "sourceMappingURL" not in export_doc
    assert "url(images/" not in export_doc
    data = embedded_data(export_doc)
    assert len(data["zones"]["features"]) == 13
    assert len(data["frames"]) == 14
    assert data["badge"] == "模拟数据 Simulated data"
    assert "模拟数据 Simulated data" in export_doc  # also visible as text in the page itself


def test_page_html_loads_from_static(bundled_store: Store, tmp_path: Path) -> None:
    run = playback.frames(bundled_store, Filter(NIGHT, NIGHT))
    doc = playback.player_html(run, geo.zones_from_table(bundled_store.zones()), None, metric="spend",
                               lang="en", inline=False)
    srcs = [r[2] for r in parse(doc).refs]
    assert any(s.startswith("/app/static/vendor/leaflet/leaflet.js") for s in srcs)
    assert any(s.startswith("/app/static/vendor/nightmap/js/player.js?v=") for s in srcs)
    folder = playback.publish_player_assets(tmp_path)
    published = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert {"css/player.css", "js/labels.js", "js/player.js"} <= set(published)
    assert any(s.startswith("/app/static/vendor/nightmap/js/labels.js?v=") for s in srcs)  # one labels.js
    assert playback.publish_player_assets(tmp_path) == folder  # idempotent


def test_user_text_is_escaped(bundled_store: Store) -> None:
    run = playback.frames(bundled_store, Filter(NIGHT, NIGHT))
    zones = geo.zones_from_table(bundled_store.zones())
    zones.loc[0, "name_zh"] = XSS + "</script><script>alert(2)</script>"
    run["frames"][0]["events"][0]["title_zh"] = XSS
    doc = playback.player_html(run, zones, None, metric="visitors", lang="zh", inline=True)
    assert XSS not in doc and "alert(2)</script>" not in doc
    p = parse(doc)
    assert "img" not in p.tags
    data = embedded_data(doc)
    assert data["zones"]["features"][0]["properties"]["name"].startswith(XSS)
    assert any(e["title"] == XSS for e in data["frames"][0]["events"])
    # the player sets text with textContent only
    js = playback.player_asset_paths()["player.js"].read_text(encoding="utf-8")
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", js)


def test_png_unavailable_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(playback.png, "chromium_path", lambda: None)
    assert not playback.png_available()
    with pytest.raises(playback.PngUnavailable) as info:
        playback.render_png("<html></html>", tmp_path / "x.png")
    assert "apt-get install chromium" in str(info.value)
    assert "Chromium" in str(info.value) and "无法生成" in str(info.value)


def test_cli_export_html(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "brief.html"
    result = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "cli.duckdb"), "--data-dir", str(tiny_dir), "export-html", str(out),
         "--from", "2022-06-17", "--to", "2022-06-17", "--hours", "18-1", "--cat", "eat", "--metric", "uplift",
         "--mode", "hours", "--night", "2022-06-17", "--lang", "en"],
    )
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert data["lang"] == "en" and data["metric"] == "uplift" and data["mode"] == "hours"
    assert [f["tick"] for f in data["frames"]] == ["18", "19", "20", "21", "22", "23", "00"]
    assert data["badge"] is None  # the tiny data is marked real
    assert "Eat" in data["subtitle"] and "Shop" not in data["subtitle"]


def test_events_running_over_several_nights_show_on_each(bundled_store) -> None:
    import datetime as dt

    from nightmap.filters import Filter

    run = playback.frames(bundled_store, Filter(dt.date(2022, 6, 17), dt.date(2022, 6, 21)))
    by_night = {f["night"]: {e["id"] for e in f["events"]} for f in run["frames"]}
    voucher = "ev-20220617-xiaowoniu_market-voucher-r1"
    assert voucher in by_night["2022-06-17"] and voucher in by_night["2022-06-19"]
    assert voucher not in by_night["2022-06-21"]
    # a view that starts mid-round still shows the running round
    later = playback.frames(bundled_store, Filter(dt.date(2022, 6, 18), dt.date(2022, 6, 18)))
    assert voucher in {e["id"] for e in later["frames"][0]["events"]}


def test_presenter_marks_unverified_places_and_draws_the_roads(export_doc: str, bundled_store: Store) -> None:
    data = embedded_data(export_doc)
    zones = {f["properties"]["id"]: f["properties"] for f in data["zones"]["features"]}
    confidence = dict(zip(bundled_store.zones()["zone_id"], bundled_store.zones()["location_confidence"], strict=True))
    for zid, props in zones.items():
        assert props["verified"] == (confidence[zid] == "high"), zid
        assert (props["unverified"] is None) == props["verified"], zid
    assert zones["xinan_road"]["unverified"] == "⚠ 位置待核实（可信度：中）"
    assert data["legend"]["unverified"].startswith("虚线边框") and data["legend"]["roads"].startswith("主要道路")
    assert sorted(f["properties"]["name"] for f in data["roads"]["features"]) == sorted(
        ["解放路≈", "民主路≈", "丰收路≈", "人民路≈"])
    english = embedded_data(playback.presenter_html(bundled_store, Filter(), metric="visitors", lang="en", inline=True))
    en_zones = {f["properties"]["id"]: f["properties"] for f in english["zones"]["features"]}
    assert en_zones["mengzhou_road"]["unverified"] == "⚠ Position unverified (confidence: none)"


def test_launch_night_names_the_ceremony_first(bundled_store: Store, export_doc: str) -> None:
    """On 17 June the presenter (and its HTML and PNG, drawn from the same data) lists the 启动仪式 first."""
    launch = "ev-20220617-xinan_road-launch"
    run = playback.frames(bundled_store, Filter(NIGHT, NIGHT))
    events = run["frames"][0]["events"]
    assert len(events) == 12 and events[0]["id"] == launch
    assert events[0]["kind"] == "ceremony"
    by_start = event_effects.event_list(bundled_store, Filter(NIGHT, NIGHT))
    assert by_start["event_id"].iloc[0] != launch  # by start time it would come eighth or later
    # hour by hour: from 19:00 it heads the list too
    hours = playback.frames(bundled_store, Filter(NIGHT, NIGHT), mode="hours", night=NIGHT)
    live = {f["hour"]: [e["id"] for e in f["events"]] for f in hours["frames"]}
    assert live[19][0] == launch and live[21][0] == launch and launch not in live[18]
    # the exported file (what the PNG is rendered from) carries it first, by name
    data = embedded_data(export_doc)
    first = data["frames"][0]["events"][0]
    assert "启动仪式" in first["title"] and first["id"] == launch


def test_district_names_sit_inside_their_own_district(bundled_store: Store) -> None:
    from shapely.geometry import Point

    districts = geo.load_districts()
    data = playback.player_data(playback.frames(bundled_store, Filter(NIGHT, NIGHT)),
                                geo.zones_from_table(bundled_store.zones()), districts, metric="visitors", lang="zh")
    shapes = dict(zip(districts["name_zh"], districts.geometry, strict=True))
    focus = next(g for n, g in shapes.items() if n == "解放区")
    for f in data["districts"]["features"]:
        lat, lng = f["properties"]["at"]
        name = f["properties"]["name"]
        assert shapes[name].contains(Point(lng, lat)), name
        if name != "解放区":  # e.g. 山阳区, whose box's centre lies inside 解放区
            assert not focus.contains(Point(lng, lat)), name


def test_presenter_labels_read_in_one_unit(bundled_store: Store) -> None:
    run = playback.frames(bundled_store, Filter(NIGHT, NIGHT + dt.timedelta(days=3)))
    zones = geo.zones_from_table(bundled_store.zones())
    data = playback.player_data(run, zones, None, metric="spend", lang="zh")
    values = [v for f in data["frames"] for v in f["values"].values() if v != "无数据"]
    assert values and all(v.endswith("万元") for v in values), values  # no 92,077元 beside 14.0万元
    small = [v for v in values if float(v[:-2].replace(",", "")) < 10]
    assert small, "some zones take less than 10万元 a night, written in 万 as well"
    en = playback.player_data(run, zones, None, metric="spend", lang="en")
    assert all(v.endswith(" yuan") for f in en["frames"] for v in f["values"].values() if v != "No data")
