"""AppTest of the data page: every section in both languages, rollback only after confirmation, zone edits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nightmap.auth import Actor
from nightmap.ingest import parse_file
from nightmap.store import Store
from nightmap.ui.sidebar import widget_key

ADMIN = Actor("测试管理员", "admin")
"""The actor of the writes these tests make (the store refuses a write without one)."""

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "pages" / "4_数据管理_Data.py"
NEW_FOOTFALL = "片区编号,时间,客流\nxinan_road,2022-06-19 20:00,70\n"


@pytest.fixture
def page_env(monkeypatch: pytest.MonkeyPatch, tiny_dir: Path, tmp_path: Path) -> Path:
    shutil.copy(ROOT / "data" / "districts.geojson", tiny_dir / "districts.geojson")
    db = tmp_path / "page.duckdb"
    monkeypatch.setenv("NIGHTMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("NIGHTMAP_DB", str(db))
    monkeypatch.chdir(ROOT)
    return db


def run_page(lang: str = "zh", section: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    if section:
        at.radio(key=widget_key("nm_data_section", lang)).set_value(section).run()
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("success", "error", "warning", "info", "caption", "markdown") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("section", ["upload", "batches", "zones", "log"])
def test_every_section_runs_in_both_languages(page_env: Path, lang: str, section: str) -> None:
    at = run_page(lang, section)
    assert not at.exception
    assert at.title[0].value == ("数据管理" if lang == "zh" else "Data management")
    assert at.subheader[0].value == ("数据新鲜度" if lang == "zh" else "Data freshness")


def test_rollback_needs_confirmation(page_env: Path, tiny_dir: Path) -> None:
    store = Store.open(page_env, data_dir=tiny_dir)
    store.ingest(parse_file(NEW_FOOTFALL.encode("gb18030"), file_name="客流.csv", kind="footfall",
                            known_zones=store.zone_ids()), note="李四", actor=ADMIN)
    store.close()
    at = run_page(section="batches")
    assert not at.exception
    at.button(key="nm_rollback_start").click().run()
    assert "确定回滚 \\#1" in texts(at)
    check = Store.open(page_env, data_dir=tiny_dir)
    assert check.batches()["rolled_back_at"].isna().all()
    check.close()
    at.button(key="nm_rollback_no").click().run()
    assert "确定回滚" not in texts(at)
    at.button(key="nm_rollback_start").click().run()
    at.button(key="nm_rollback_yes").click().run()
    assert not at.exception
    assert "已回滚批次 #1" in texts(at)
    assert "没有可回滚的批次。" in texts(at)


def test_names_are_edited_validated_and_restored(page_env: Path, tiny_dir: Path) -> None:
    at = run_page(section="zones")
    at.selectbox(key="nm_zone_pick").set_value("baihuo_dalou").run()
    assert "此片区尚未修改过。" in texts(at)
    submit = "FormSubmitter:nm_zone_props_baihuo_dalou-保存名称与业态"

    name_zh = next(ti for ti in at.text_input if ti.label == "中文名称")
    name_zh.input("   ")
    at.multiselect[0].set_value([])
    at.button(key=submit).click().run()
    assert not at.exception
    assert "发现 2 个问题" in texts(at)
    table = at.table[0].value
    assert set(table["列"]) == {"name_zh", "categories"} and "名称不能为空" in set(table["问题"])

    name_zh = next(ti for ti in at.text_input if ti.label == "中文名称")
    name_zh.input("百货大楼 <script>")
    at.multiselect[0].set_value(["shop", "eat"])
    at.button(key=submit).click().run()
    assert not at.exception
    assert "已保存片区“百货大楼 \\<script\\>”的修改" in texts(at)
    check = Store.open(page_env, data_dir=tiny_dir)
    row = check.zones().set_index("zone_id").loc["baihuo_dalou"]
    assert row["name_zh"] == "百货大楼 <script>" and list(row["categories"]) == ["eat", "shop"]
    assert len(check.zone_history("baihuo_dalou")) == 1
    check.close()

    at.button(key="nm_zone_restore_baihuo_dalou").click().run()
    assert not at.exception
    assert "恢复为版本 #1" in texts(at)
    check = Store.open(page_env, data_dir=tiny_dir)
    assert check.zones().set_index("zone_id").loc["baihuo_dalou", "name_zh"] == "百货大楼"
    check.close()


def test_coordinates_outside_the_district_cannot_be_saved(page_env: Path) -> None:
    at = run_page(section="zones")
    at.text_area(key="nm_zone_coords_xinan_road").input("100.0, 30.0\n100.001, 30.0\n100.001, 30.001")
    at.button(key="nm_zone_use_coords_xinan_road").click().run()
    assert not at.exception
    assert "新边界不能使用" in texts(at)
    assert "区域在解放区之外" in set(at.table[0].value["问题"])
    assert at.button(key="nm_zone_save_xinan_road").disabled
    at.button(key="nm_zone_discard_xinan_road").click().run()
    assert "新边界不能使用" not in texts(at)


def html_bodies(at: AppTest) -> str:
    """The text of every ``st.html`` element of the run (style blocks included)."""
    return "\n".join(str(e.proto.body) for e in at.get("html"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_upload_section_lists_every_zone_id_and_name(page_env: Path, lang: str) -> None:
    at = run_page(lang, "upload")
    assert not at.exception
    headers = ["片区编号", "中文名", "英文名"] if lang == "zh" else ["Zone id", "Chinese name", "English name"]
    (table,) = [d.value for d in at.dataframe if list(d.value.columns) == headers]
    assert table.values.tolist() == [
        ["xinan_road", "新安路步行街", "Xin'an Road Pedestrian Street"],
        ["xiaowoniu_market", "小蜗牛市场", "Xiaowoniu Market"],
        ["baihuo_dalou", "百货大楼", "Jiaozuo Department Store (Baihuo Dalou)"],
    ]
    expander = next(e for e in at.expander if e.label == ("片区编号与名称" if lang == "zh" else "Zone ids and names"))
    assert any("新安路步行街" in c.value or "Xin'an Road" in c.value for c in expander.caption)
    labels = [e.proto.label for e in at.get("download_button")]
    assert ("下载片区列表（CSV）" if lang == "zh" else "Download the zone list (CSV)") in labels


def test_streamlit_uploader_and_input_words_are_chinese_only_in_chinese(page_env: Path) -> None:
    css = html_bodies(run_page("zh", "upload"))
    assert '[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "或将文件拖放到此处"' in css
    assert 'content: "选择文件"' in css and 'content: "按回车键确认"' in css and 'content: "按回车键提交"' in css
    assert "stFileUploaderDropzoneInstructions" not in html_bodies(run_page("en", "upload"))


@pytest.mark.parametrize(("lang", "placeholder"), [("zh", "请选择（可输入搜索）"), ("en", "Choose (type to search)")])
def test_sidebar_multiselect_placeholder_is_in_the_page_language(page_env: Path, lang: str, placeholder: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    cats = at.sidebar.multiselect(key=widget_key("nm_cats", lang))
    assert cats.proto.placeholder == placeholder
    assert cats.proto.placeholder != "Choose an option"
    cats.set_value([]).run()  # with nothing chosen the placeholder is what the box shows
    assert at.sidebar.multiselect(key=widget_key("nm_cats", lang)).proto.placeholder == placeholder
