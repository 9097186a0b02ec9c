"""夜经济日报, the daily briefing: its figures equal the package's, its sections, map, data note, CLI and button."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import numpy as np
import pytest
from PIL import Image

import nightmap.map as nmap
from apptest_support import run_page
from nightmap import briefing, briefing_docx, briefing_map, event_effects, metrics, tables
from nightmap.briefing import file_name
from nightmap.briefing_text import change, date_line
from nightmap.filters import Filter
from nightmap.i18n import fmt_int, fmt_money, fmt_pct, t
from nightmap.store import Store

NIGHT = dt.date(2022, 6, 17)
ZH_SECTIONS = ["一、总体情况", "二、片区分布图", "三、片区排名与需关注片区", "四、活动开展及成效", "五、数据说明"]
EN_SECTIONS = ["1. Headline figures", "2. Map of the zones", "3. Zone ranking and zones to watch",
               "4. Events and their effect", "5. About the data"]
CHANGE = r"(增长[\d.]+%|下降[\d.]+%|持平)"
EN_CHANGE = r"(up [\d.]+%|down [\d.]+%|unchanged)"


def open_docx(data: bytes) -> docx.Document:
    return docx.Document(io.BytesIO(data))


def texts(doc: docx.Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def rows(table) -> list[list[str]]:  # noqa: ANN001
    return [[c.text for c in r.cells] for r in table.rows]


def signed(words: str) -> float:
    """增长40.3% → 40.3, 下降5.1% → -5.1, 持平 → 0 (and the English words)."""
    m = re.search(r"[\d.]+", words)
    value = float(m.group()) if m else 0.0
    return -value if words.startswith(("下降", "down")) else value


def number(text: str) -> float:
    """``88,424`` → 88424, ``370.0万`` → 3700000, ``20.45M`` → 20450000."""
    scale = 1e4 if "万" in text else 1e6 if "M" in text else 1.0
    return float(re.sub(r"[^\d.]", "", text)) * scale


def table_pct(cell: str) -> float:
    return float(cell.rstrip("%").lstrip("±"))  # ±0.0%: a change that rounds to zero


def totals(store: Store, flt: Filter) -> dict[str, float]:
    return metrics.totals(metrics.zone_summary(store, flt))


VIEWS = {
    "night": (Filter(NIGHT, NIGHT), "visitors"),
    "range_eat_spend": (Filter(dt.date(2022, 6, 18), dt.date(2022, 6, 20), (18, 23), ("eat",)), "spend"),
    "two_zones": (Filter(NIGHT, NIGHT, zones=("wanda_mall", "xinan_road")), "spend_per_visitor"),
}


@pytest.fixture(scope="module")
def made(bundled_store: Store) -> dict[tuple[str, str], bytes]:
    """Briefings of the bundled (simulated) data, made once for the module."""
    return {(name, lang): briefing.make_briefing(bundled_store, flt, metric=metric, lang=lang)
            for name, (flt, metric) in VIEWS.items() for lang in ("zh", "en") if lang == "zh" or name == "night"}


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize(("pct", "zh", "en"), [
    (40.286, "增长40.3%", "up 40.3%"), (-5.06, "下降5.1%", "down 5.1%"), (0.04, "持平", "unchanged"),
    (-0.049, "持平", "unchanged"), (0.06, "增长0.1%", "up 0.1%"), (float("nan"), None, None),
])
def test_a_change_is_rounded_before_it_is_called_a_rise_or_a_fall(pct: float, zh: str | None, en: str | None) -> None:
    assert change(pct, "zh") == zh and change(pct, "en") == en


def test_date_lines_and_file_names() -> None:
    assert date_line(NIGHT, NIGHT, "zh") == "2022年6月17日（星期五）"
    assert date_line(NIGHT, dt.date(2022, 6, 23), "zh") == "2022年6月17日（星期五）至6月23日（星期四）"
    assert date_line(NIGHT, NIGHT, "en") == "Friday 17 June 2022"
    assert file_name(NIGHT, NIGHT, "zh") == "夜经济日报_20220617.docx"
    assert file_name(NIGHT, dt.date(2022, 6, 23), "en") == "night_economy_briefing_20220617-20220623.docx"


# --------------------------------------------------------------------------- the document


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_title_date_line_and_numbered_sections(made: dict, lang: str) -> None:
    doc = open_docx(made[("night", lang)])
    paras = doc.paragraphs
    assert paras[0].style.name == "Title" and paras[0].text.replace("\n", "") == t("briefing.title", lang)
    assert paras[1].text == ("2022年6月17日（星期五）" if lang == "zh" else "Friday 17 June 2022")
    assert [p.text for p in paras if p.style.name == "Heading 1"] == (ZH_SECTIONS if lang == "zh" else EN_SECTIONS)
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer  # the page number
    fonts = doc.styles["Heading 1"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    body = doc.styles["Normal"].element.rPr.rFonts
    assert body.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"


def test_chinese_text_round_trips(made: dict, bundled_store: Store) -> None:
    text = "\n".join(texts(open_docx(made[("night", "zh")])))
    assert "解放区“城市烟火气·点亮夜经济”活动" in text and "夜经济日报" in text
    assert "“城市烟火气·点亮夜经济”活动启动仪式（新安路步行街，6月17日 19:30—21:30）" in text
    names = bundled_store.zones()["name_zh"]
    assert "新安路步行街" in set(names) and "百货大楼" in text


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_kpi_in_the_table_equals_metrics(made: dict, bundled_store: Store, view: str) -> None:
    flt, _ = VIEWS[view]
    doc = open_docx(made[(view, "zh")])
    kpi = rows(doc.tables[0])
    tot = totals(bundled_store, flt)
    n = len(flt.nights)
    prev = totals(bundled_store, flt.with_(start=flt.start - dt.timedelta(days=n),
                                           end=flt.start - dt.timedelta(days=1)))
    assert kpi[0][4] == f"上期（{briefing.span(flt.start - dt.timedelta(days=n), flt.start - dt.timedelta(days=1), 'zh')}）"
    for row, (key, decimals) in zip(kpi[1:], [("visitors", 0), ("spend", 0), ("orders", 0),
                                              ("spend_per_visitor", 1), ("spend_per_order", 1)], strict=True):
        assert row[1] == f"{tot[key]:,.{decimals}f}", key
        assert row[2] == f"{tot[f'base_{key}']:,.{decimals}f}", key
        assert row[3] == fmt_pct(tot[f"uplift_{key}"]), key
        assert row[4] == f"{prev[key]:,.{decimals}f}", key
        assert row[5] == fmt_pct((tot[key] / prev[key] - 1) * 100), key


@pytest.mark.parametrize("view", list(VIEWS))
def test_the_headline_sentence_says_the_tables_numbers_as_the_overview_writes_them(
        made: dict, bundled_store: Store, view: str) -> None:
    flt, _ = VIEWS[view]
    doc = open_docx(made[(view, "zh")])
    kpi = {r[0]: r for r in rows(doc.tables[0])[1:]}
    prev = "前一晚" if flt.start == flt.end else f"前{len(flt.nights)}晚"
    pattern = (rf"客流(.+?)人次，较基线{CHANGE}，较{prev}{CHANGE}；消费额(.+?)元，较基线{CHANGE}，较{prev}{CHANGE}；"
               rf"人均消费(.+?)元，较基线{CHANGE}，较{prev}{CHANGE}。")
    sentence = next(p for p in texts(doc) if "人均消费" in p and "较基线" in p)
    m = re.search(pattern, sentence)
    assert m, sentence
    tot = totals(bundled_store, flt)
    assert m.group(1) == fmt_int(tot["visitors"], "zh") and m.group(4) + "元" == fmt_money(tot["spend"], "zh")
    assert m.group(7) + "元" == fmt_money(tot["spend_per_visitor"], "zh", decimals=1)
    for (value, vs_base, vs_prev), label in zip([m.groups()[0:3], m.groups()[3:6], m.groups()[6:9]],
                                                ["总客流（人次）", "总消费额（元）", "人均消费（元/人）"], strict=True):
        row = kpi[label]
        exact = number(row[1])
        assert abs(number(value) - exact) <= (500 if "万" in value else 0.05), (value, row)
        assert signed(vs_base) == pytest.approx(table_pct(row[3]), abs=1e-9)
        assert signed(vs_prev) == pytest.approx(table_pct(row[5]), abs=1e-9)
    n = len(metrics.zone_summary(bundled_store, flt))
    zones_said = "全区13个片区" if n == 13 and not flt.zones else f"所选{n}个片区"
    assert zones_said in sentence


def test_few_baseline_nights_are_said_plainly(made: dict) -> None:
    text = texts(open_docx(made[("night", "zh")]))
    assert "基线仅依据1个活动前同星期几的夜晚（6月10日），对比仅供参考。" in text


def test_the_english_briefing_says_the_same_numbers(made: dict, bundled_store: Store) -> None:
    doc = open_docx(made[("night", "en")])
    tot = totals(bundled_store, Filter(NIGHT, NIGHT))
    sentence = next(p for p in texts(doc) if p.startswith("On 17 June"))
    m = re.search(rf"had ([\d,]+) visits, {EN_CHANGE} on the baseline and {EN_CHANGE} on the night before; "
                  rf"spending was (.+?) yuan", sentence)
    assert m, sentence
    assert m.group(1) == fmt_int(tot["visitors"], "en")
    assert signed(m.group(2)) == round(tot["uplift_visitors"], 1)
    assert m.group(4) + " yuan" == fmt_money(tot["spend"], "en", short=True)
    assert rows(doc.tables[0])[1][3] == fmt_pct(tot["uplift_visitors"])
    assert "The data in this briefing is SIMULATED" in "\n".join(texts(doc))


@pytest.mark.parametrize("view", ["night", "range_eat_spend"])
def test_ranking_and_zones_to_watch_equal_metrics(made: dict, bundled_store: Store, view: str) -> None:
    flt, metric = VIEWS[view]
    doc = open_docx(made[(view, "zh")])
    summary = metrics.zone_summary(bundled_store, flt)
    ranked = metrics.ranking(summary, metric)
    names = tables.zone_names(bundled_store.zones(), "zh")
    table = rows(doc.tables[1])
    assert table[0][3] == t(f"col.{metric}", "zh")
    body = [r for r in table[1:] if r[0] != "…"]
    assert len(body) == min(10, len(ranked))
    for r in body:
        want = ranked[ranked["rank"] == int(r[0])].iloc[0]
        assert r[1] == names[want["zone_id"]]
        assert r[3] == f"{want['value']:,.0f}" and r[5] == fmt_pct(want["uplift_pct"])
    top = ranked.iloc[0]
    intro = next(p for p in texts(doc) if p.startswith("按"))
    assert f"{names[top['zone_id']]}（{nmap.format_value(top['value'], metric, 'zh')}）" in intro
    lagging, best = metrics.attention(summary, metrics.nightly_by_zone(bundled_store, flt))
    text = texts(doc)
    groups = metrics.by_zone(lagging, best)  # a zone once, with every reason it is listed
    assert f"需关注片区（{len(groups)}个）：" in text
    for i, group in enumerate(groups, start=1):
        line = next(p for p in text if p.startswith(f"（{i}）{names[group.zone_id]}："))
        for item in group.reasons:
            if item.reason == "low_night":
                assert f"{item.night.month}月{item.night.day}日消费额仅为基线的{item.value:.0f}%" in line
            else:
                assert f"消费额较基线{change(item.value, 'zh')}" in line
        for b in group.other:
            assert f"整个时段消费额较基线{change(b.value, 'zh')}，同时列为表现突出的片区" in line
    best_line = next(p for p in text if p.startswith("表现突出的片区："))
    assert all(names[b.zone_id] in best_line for b in best)


def test_events_with_their_effect_ceremonies_first(made: dict, bundled_store: Store) -> None:
    doc = open_docx(made[("night", "zh")])
    effects = event_effects.event_effects(bundled_store, Filter(NIGHT, NIGHT))
    table = rows(doc.tables[2])
    assert len(table) - 1 == len(effects) == 12
    assert table[1][0] == "“城市烟火气·点亮夜经济”活动启动仪式"
    want = {(r.title_zh, fmt_pct(r.pct_visitors), fmt_pct(r.pct_spend)) for r in effects.itertuples()}
    assert {(r[0], r[3], r[4]) for r in table[1:]} == want
    launch = effects[effects["kind"] == "ceremony"].iloc[0]
    line = next(p for p in texts(doc) if p.startswith("“城市烟火气·点亮夜经济”活动启动仪式（"))
    assert f"客流较普通夜晚{change(launch['pct_visitors'], 'zh')}" in line and "高于所有普通夜晚" in line


def _picture_of(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _picture(doc: docx.Document) -> np.ndarray:
    blobs = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(blobs) == 1
    return _picture_of(blobs[0])


def test_the_map_picture_is_there_and_coloured_by_the_metric(made: dict, bundled_store: Store) -> None:
    doc = open_docx(made[("night", "zh")])
    pixels = _picture(doc)
    assert pixels.shape[0] > 1000 and pixels.shape[1] > 1000
    assert pixels.std() > 20
    colours = {tuple(c) for c in pixels.reshape(-1, 3)[::7]}
    assert len(colours) > 50
    values = metrics.metric_values(metrics.zone_summary(bundled_store, Filter(NIGHT, NIGHT)), "visitors")
    scale = nmap.colour_scale(list(values["value"]))
    used = {scale.colour(v) for v in values["value"]}
    assert len(used) >= 3
    panel = pixels[:, : int(pixels.shape[1] * 0.62)].reshape(-1, 3)  # the map, left of the inset and legend
    for hex_colour in used:  # every class a zone falls in is painted on the map
        rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
        assert (panel == rgb).all(axis=1).sum() > 30, hex_colour
    caption = next(p for p in texts(doc) if p.startswith("图1"))
    assert "客流（人次）" in caption and "虚线边框为位置待核实的片区" in caption


def test_without_a_cjk_font_the_map_falls_back_to_english(monkeypatch: pytest.MonkeyPatch,
                                                          bundled_store: Store) -> None:
    assert "CJK" in (briefing_map.cjk_font() or "")  # Debian's fonts-noto-cjk, as scripts/setup.sh installs
    content = briefing.collect(bundled_store, Filter(NIGHT, NIGHT), lang="zh")
    monkeypatch.setattr(briefing_map, "cjk_font", lambda: None)
    with pytest.warns(UserWarning, match="fonts-noto-cjk"):
        picture = briefing.map_picture(content)
    assert isinstance(picture, briefing_docx.Picture)
    assert _picture_of(picture.png).std() > 20


def test_simulated_data_is_said_plainly_and_real_data_is_not_called_simulated(
        made: dict, tiny_store: Store) -> None:
    simulated = "\n".join(texts(open_docx(made[("night", "zh")])))
    assert "本报告数据为模拟数据" in simulated
    real = open_docx(briefing.make_briefing(tiny_store, Filter(NIGHT, NIGHT), lang="zh"))
    text = "\n".join(texts(real))
    assert "模拟数据" not in text and t("briefing.real", "zh") in text
    # the tiny data, by hand: 150 + 30 (01:00 belongs to the 17th) + 60 + 40 visitors against 150 + 40 + 80 on the
    # 10th; spending 3,600 元 against 3,900 元; no data on the 16th, so no comparison with the night before
    assert "客流280人次，较基线增长3.7%；消费额3,600元，较基线下降7.7%；" in text and "较前一晚" not in text
    assert rows(real.tables[0])[1][1:5] == ["280", "270", "+3.7%", "—"]
    assert _picture(real).std() > 20


# --------------------------------------------------------------------------- the command


def nightmap(*args: str, db: Path, data_dir: Path, env: dict[str, str] | None = None,
             cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "nightmap.cli", "--db", str(db), "--data-dir", str(data_dir), "report", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False, env=env, cwd=cwd)


def test_report_writes_the_docx(tiny_dir: Path, tmp_path: Path) -> None:
    run = nightmap("--night", "2022-06-17", "--lang", "en", "--metric", "spend", db=tmp_path / "c.duckdb",
                   data_dir=tiny_dir, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "night_economy_briefing_20220617.docx"
    assert out.exists() and "wrote" in run.stdout
    doc = open_docx(out.read_bytes())
    assert doc.paragraphs[1].text == "Friday 17 June 2022"
    assert rows(doc.tables[1])[0][3] == "Spending (yuan)"


@pytest.mark.parametrize(("args", "code", "zh", "en"), [
    (("--night", "2022-07-01"), 1, "不在数据范围内", "is outside the data (2022-06-10 to 2022-06-17)"),
    (("--night", "2022-06-10", "--to", "2022-06-18"), 1, "不在数据范围内", "2022-06-18 is outside the data"),
    (("--night", "2022-06-31"), 2, "日期格式错误", "bad date: 2022-06-31"),
    (("--night", "17/06/2022"), 2, "日期格式错误", "expected YYYY-MM-DD"),
    (("--night", "2022-06-17", "--to", "2022-06-10"), 2, "早于", "--to 2022-06-10 is before --night 2022-06-17"),
])
def test_report_refuses_bad_nights_with_a_bilingual_message(tiny_dir: Path, tmp_path: Path, args: tuple,
                                                           code: int, zh: str, en: str) -> None:
    run = nightmap(*args, db=tmp_path / "c.duckdb", data_dir=tiny_dir, cwd=tmp_path)
    assert run.returncode == code, run.stderr
    assert zh in run.stderr and en in run.stderr and "Traceback" not in run.stderr
    assert not list(tmp_path.glob("*.docx"))


def test_report_to_an_unwritable_path_fails_cleanly(tiny_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    run = nightmap("--night", "2022-06-17", "--out", str(blocker / "日报.docx"), db=tmp_path / "c.duckdb",
                   data_dir=tiny_dir)
    assert run.returncode == 1
    assert "无法写出" in run.stderr and "cannot write" in run.stderr and "Traceback" not in run.stderr


def test_report_pdf_without_libreoffice_exits_1_and_keeps_the_docx(tiny_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path / "empty-bin")}
    out = tmp_path / "日报.docx"
    run = nightmap("--night", "2022-06-17", "--out", str(out), "--pdf", db=tmp_path / "c.duckdb",
                   data_dir=tiny_dir, env=env)
    assert run.returncode == 1
    assert "未找到 LibreOffice" in run.stderr and "LibreOffice (libreoffice or soffice) is not on PATH" in run.stderr
    assert out.exists() and not out.with_suffix(".pdf").exists()
    open_docx(out.read_bytes())


def _fake_office(folder: Path, script: str) -> str:
    """A stand-in ``libreoffice`` (the real one is not installed on CI): a small Python program."""
    folder.mkdir(parents=True, exist_ok=True)
    prog = folder / "libreoffice"
    prog.write_text(f"#!{sys.executable}\n{script}", encoding="utf-8")
    prog.chmod(0o755)
    return str(prog)


def test_pdf_is_converted_in_a_throwaway_profile_and_lands_beside_the_docx(made: dict, tmp_path: Path) -> None:
    seen = tmp_path / "argv.json"
    prog = _fake_office(tmp_path / "bin", (
        "import json, sys, pathlib\n"
        "args = sys.argv[1:]\n"
        f"pathlib.Path({str(seen)!r}).write_text(json.dumps(args))\n"
        "profile = pathlib.Path(args[0].split('=file://', 1)[1]) / 'user' / 'registrymodifications.xcu'\n"
        "assert 'Noto Serif CJK SC' in profile.read_text(encoding='utf-8') or 'Noto Sans CJK SC' in profile.read_text(encoding='utf-8')\n"
        "out = pathlib.Path(args[args.index('--outdir') + 1]); out.mkdir(parents=True, exist_ok=True)\n"
        "(out / (pathlib.Path(args[-1]).stem + '.pdf')).write_bytes(b'%PDF-1.7 fake')\n"
    ))
    out = tmp_path / "日报.docx"
    out.write_bytes(made[("night", "zh")])
    pdf = briefing_docx.to_pdf(out, program=prog)
    assert pdf == out.with_suffix(".pdf") and pdf.read_bytes().startswith(b"%PDF")
    args = json.loads(seen.read_text())
    assert args[0].startswith("-env:UserInstallation=file://")
    assert args[1:4] == ["--headless", "--convert-to", "pdf"] and args[-1] == str(out.resolve())


def test_pdf_failure_raises_the_programs_message(made: dict, tmp_path: Path) -> None:
    prog = _fake_office(tmp_path / "bin", "import sys\nsys.stderr.write('Error: source file could not be loaded')\nsys.exit(1)\n")
    out = tmp_path / "日报.docx"
    out.write_bytes(made[("night", "zh")])
    with pytest.raises(briefing_docx.PdfError, match="source file could not be loaded"):
        briefing_docx.to_pdf(out, program=prog)
    assert not out.with_suffix(".pdf").exists()


# --------------------------------------------------------------------------- the overview's button


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> list:
    """The in-memory media stores of AppTest runs, to read a download button's bytes."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stores: list = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            stores.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)
    return stores


def test_the_overview_button_offers_the_briefing_of_the_current_view(app_store: Store, media: list) -> None:
    at = run_page("app.py", **{"from": "2022-06-18", "to": "2022-06-19", "hours": "18-23", "cat": "eat,play",
                               "metric": "spend"})
    assert not at.exception
    assert "下载日报（DOCX）" not in [b.label for b in at.get("download_button")]  # made only when asked
    at.button(key="nm_briefing_make").click().run()
    assert not at.exception
    button = next(b for b in at.get("download_button") if b.label == "下载日报（DOCX）")
    file = media[-1].get_file(button.proto.url.rsplit("/", 1)[1])
    assert file.filename == "夜经济日报_20220618-20220619.docx" and file.mimetype.endswith("wordprocessingml.document")
    doc = open_docx(file.content)
    assert doc.paragraphs[1].text == "2022年6月18日（星期六）至6月19日（星期日）"
    flt = Filter(dt.date(2022, 6, 18), dt.date(2022, 6, 19), (18, 23), ("eat", "play"))
    tot = totals(app_store, flt)
    assert rows(doc.tables[0])[2][1] == f"{tot['spend']:,.0f}"
    shown = {m.label: m.value for m in at.metric}
    assert shown["总消费额"] == fmt_money(tot["spend"], "zh")  # what the overview shows, from the same numbers
    assert rows(doc.tables[1])[0][3] == "消费额（元）"
    # another view: the button comes back instead of a stale file
    at.sidebar.radio(key="nm_lang").set_value("en").run()
    labels = [b.label for b in at.get("download_button")]
    assert "Download the briefing (DOCX)" not in labels and "下载日报（DOCX）" not in labels
    assert at.button(key="nm_briefing_make").label == "Make the daily briefing"
