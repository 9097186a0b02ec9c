"""Every multiselect on every page speaks the page's language: no Streamlit "Choose options" left."""

from __future__ import annotations

import pytest

from apptest_support import run_page
from nightmap.i18n import STRINGS, t
from nightmap.store import Store
from nightmap.ui.sidebar import widget_key

PAGES = ["app.py", "pages/1_片区对比_Compare.py", "pages/2_活动_Events.py", "pages/4_数据管理_Data.py"]
OURS = {lang: {t(k, lang) for k in ("filter.choose", "filter.zones_all")} for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_multiselect_placeholders_are_translated(app_store: Store, page: str, lang: str) -> None:
    at = run_page(page, lang=lang)
    if "Data" in page:  # the zone section holds the multiselect
        at.radio(key=widget_key("nm_data_section", lang)).set_value("zones").run()
    assert not at.exception, at.exception
    boxes = list(at.multiselect) + list(at.sidebar.multiselect)
    assert boxes, f"{page} has no multiselect"
    for box in boxes:
        assert box.proto.placeholder in OURS[lang], (page, box.label, box.proto.placeholder)


def test_placeholder_strings_exist_in_both_languages() -> None:
    zh, en = STRINGS["filter.choose"]
    assert zh != en and "搜索" in zh and "search" in en
