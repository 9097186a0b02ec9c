"""Strings in both languages, and numbers, money, dates and event times as people in Jiaozuo write them."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from nightmap import i18n
from nightmap.i18n import STRINGS, fmt_date, fmt_int, fmt_money, fmt_pct, fmt_when, md_escape, night_of, t

FIELD = re.compile(r"{(\w+)}")


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_in_both_languages_with_the_same_fields(key: str) -> None:
    zh, en = STRINGS[key]
    assert zh.strip() and en.strip(), key
    assert set(FIELD.findall(zh)) == set(FIELD.findall(en)), key


def test_lookup_defaults_to_chinese_and_fills_fields() -> None:
    assert t("app.title") == "解放区夜经济地图"
    assert t("app.title", "en") == "Jiefang District Night-Economy Map"
    assert t("map.legend.in_view", "zh", n="500") .startswith("共 500 个片区")


@pytest.mark.parametrize(
    ("value", "lang", "count", "money"),
    [
        (8_560, "zh", "8,560", "8,560元"),
        (123_456, "zh", "12.3万", "12.3万元"),
        (29_506_000, "zh", "2,950.6万", "2,950.6万元"),
        (1_012_402_000, "zh", "10.12亿", "10.12亿元"),
        (-250_000, "zh", "-25.0万", "-25.0万元"),
        (1_012_402_000, "en", "1,012,402,000", "1,012,402,000 yuan"),
        (None, "zh", "—", "—"),
        (float("nan"), "en", "—", "—"),
    ],
)
def test_counts_and_money(value, lang: str, count: str, money: str) -> None:
    assert fmt_int(value, lang) == count
    assert fmt_money(value, lang) == money


def test_percent_and_dates() -> None:
    assert fmt_pct(12.345) == "+12.3%" and fmt_pct(-3.0, "en") == "-3.0%" and fmt_pct(None) == "—"
    assert fmt_date(dt.date(2022, 6, 17)) == "2022年6月17日"
    assert fmt_date(dt.date(2022, 6, 17), "en") == "17 Jun 2022"
    assert fmt_date(dt.date(2022, 6, 17), year=False) == "6月17日"


def test_a_night_runs_past_midnight() -> None:
    assert night_of(dt.datetime(2022, 6, 18, 1, 0)) == dt.date(2022, 6, 17)
    assert night_of(dt.datetime(2022, 6, 18, 6, 0)) == dt.date(2022, 6, 18)
    assert night_of(dt.datetime(2022, 6, 17, 19, 30)) == dt.date(2022, 6, 17)


@pytest.mark.parametrize(
    ("start", "end", "lang", "date", "text"),
    [
        ("2022-06-17 19:30", "2022-06-17 21:30", "zh", True, "6月17日 19:30—21:30"),
        ("2022-06-17 19:30", "2022-06-17 21:30", "en", True, "17 Jun 19:30–21:30"),
        # past midnight is still the same night
        ("2022-06-18 18:00", "2022-06-19 01:00", "zh", True, "6月18日 18:00—01:00"),
        ("2022-06-18 18:00", "2022-06-19 06:00", "zh", True, "6月18日 18:00—06:00"),
        # a voucher round over three nights shows both dates
        ("2022-06-17 17:00", "2022-06-20 02:00", "zh", True, "6月17日 17:00—6月20日 02:00"),
        ("2022-06-17 17:00", "2022-06-20 02:00", "en", True, "17 Jun 17:00–20 Jun 02:00"),
        ("2022-06-17 17:00", "2022-06-20 02:00", "zh", False, "17:00—02:00"),
        ("2022-06-17 19:30", None, "zh", True, "6月17日 19:30"),
        (None, "2022-06-17 21:30", "zh", True, ""),
        ("not a time", None, "zh", True, ""),
    ],
)
def test_event_times(start, end, lang: str, date: bool, text: str) -> None:
    assert fmt_when(start, end, lang, date=date) == text
    as_ts = (pd.Timestamp(start) if start not in (None, "not a time") else start,
             pd.Timestamp(end) if end is not None else pd.NaT)
    assert fmt_when(*as_ts, lang, date=date) == text  # pandas timestamps and NaT read the same


def test_markdown_escape() -> None:
    assert md_escape("a*b<c>_[x](y)") == r"a\*b\<c\>\_\[x\]\(y\)"
    assert i18n.has("app.title") and not i18n.has("no.such.key")


def test_short_money_for_headline_figures() -> None:
    assert fmt_money(16_547_235, "en", short=True) == "16.55M yuan"
    assert fmt_money(950_000, "en", short=True) == "950,000 yuan"
    assert fmt_money(16_547_235, "zh", short=True) == fmt_money(16_547_235, "zh") == "1,654.7万元"


def test_a_key_defined_in_two_parts_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from nightmap import messages

    assert i18n.STRINGS == messages.merged() and len(i18n.STRINGS) > 500
    monkeypatch.setattr(messages.data, "STRINGS", {**messages.data.STRINGS, "app.title": ("甲", "A")})
    with pytest.raises(ValueError, match=r"strings defined twice \(nightmap.messages.data\): app.title"):
        messages.merged()


@pytest.mark.parametrize(("value", "like", "zh", "en"), [
    (92_077, None, "92,077元", "92,077 yuan"),
    (92_077, 952_000, "9.2万元", "92,077 yuan"),  # beside a 万 figure, in 万 too
    (1_840, 140_000_000, "0.00亿元", "1,840 yuan"),
    (140_000, 50_000, "14.0万元", "140,000 yuan"),  # like never makes a unit smaller
    (None, 952_000, "—", "—"),
])
def test_money_written_in_the_unit_of_its_neighbours(value, like, zh: str, en: str) -> None:
    assert fmt_money(value, "zh", like=like) == zh
    assert fmt_money(value, "en", like=like) == en


def test_counts_written_in_the_unit_of_its_neighbours() -> None:
    assert fmt_int(4_492, "zh", like=190_000) == "0.4万"
    assert fmt_int(4_492, "zh") == "4,492"
    assert fmt_int(4_492, "en", like=190_000) == "4,492"
