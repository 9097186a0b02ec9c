"""The data contract: tables, columns, types, keys and Chinese header aliases.

Three kinds of data come in as files (``footfall``, ``sales``, ``events``); the
zones come from ``data/zones.geojson``. Every timestamp is local time in
Asia/Shanghai, hourly, ``ts`` being the start of the hour. A night belongs to
the date it began on: hours 00:00–05:59 belong to the previous date's night.
The ``night`` and ``hour`` columns are derived in the store, never supplied.

The pandera schemas here check values once types are parsed; ``ingest`` turns
their failures into :class:`nightmap.errors.Problem` rows. The plausible ranges
of values (:data:`VALUE_RANGES`, :data:`TIME_MIN`, :data:`TIME_MAX`) and the
words offices use for the three categories (:data:`CATEGORY_SYNONYMS`) are
defined here once and listed in ``docs/data.md``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

import pandera.pandas as pa

from nightmap import i18n

CATEGORIES: tuple[str, ...] = ("eat", "shop", "play")
ZONE_KINDS: tuple[str, ...] = ("street", "complex")
EVENT_KINDS: tuple[str, ...] = ("ceremony", "promotion", "voucher", "performance", "market", "other")
KINDS: tuple[str, ...] = ("footfall", "sales", "events")
NIGHT_START_HOUR = 6
"""Hours before this belong to the previous date's night."""

# --------------------------------------------------------------------------- plausible ranges
VISITORS_MAX = 1_000_000
"""Most visitors one zone can count in one hour (``footfall.visitors``)."""
SPEND_MAX_CNY = 100_000_000
"""Most yuan one zone can take in one hour and category (``sales.spend_cny``)."""
ORDERS_MAX = 1_000_000
"""Most orders one zone can take in one hour and category (``sales.orders``)."""
EXPECTED_VISITORS_MAX = 10_000_000
"""Most visitors an event can expect (``events.expected_visitors``)."""
VALUE_RANGES: dict[str, tuple[int, int]] = {
    "visitors": (0, VISITORS_MAX),
    "spend_cny": (0, SPEND_MAX_CNY),
    "orders": (0, ORDERS_MAX),
    "expected_visitors": (0, EXPECTED_VISITORS_MAX),
}
"""Inclusive bounds of each numeric column. They keep every value far inside the
store's INTEGER (int32) and DOUBLE columns, so a typo such as ``3000000000`` is a
row-level problem, never an overflow."""
TIME_MIN = dt.datetime(2000, 1, 1)
"""Earliest accepted time (``ts``, ``start``, ``end``)."""
TIME_MAX = dt.datetime(2100, 12, 31, 23, 59, 59)
"""Latest accepted time (``ts``, ``start``, ``end``)."""
TIME_COLUMNS: tuple[str, ...] = ("ts", "start", "end")

# --------------------------------------------------------------------------- category words
CATEGORY_SYNONYMS: dict[str, str] = {
    # eat — 夜食
    "eat": "eat", "food": "eat", "dining": "eat",
    "夜食": "eat", "餐饮": "eat", "美食": "eat", "小吃": "eat", "餐厅": "eat", "饮食": "eat",
    "夜宵": "eat", "宵夜": "eat", "食": "eat",
    # shop — 夜购
    "shop": "shop", "shopping": "shop", "retail": "shop",
    "夜购": "shop", "购物": "shop", "零售": "shop", "百货": "shop", "商超": "shop", "超市": "shop",
    "商品": "shop", "购": "shop",
    # play — 夜娱
    "play": "play", "entertainment": "play", "leisure": "play",
    "夜娱": "play", "娱乐": "play", "休闲": "play", "文旅": "play", "文娱": "play", "游乐": "play",
    "演艺": "play", "娱": "play",
}
"""Every word accepted in a ``category`` cell (sales and events), mapped to
``eat``, ``shop`` or ``play``. Keys are lower-case, without spaces; a cell is
matched after :func:`category_key`. ``docs/data.md`` lists the same words (a test
keeps them in step)."""


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the contract.

    Attributes
    ----------
    name
        The contract's (English) column name.
    dtype
        One of ``"str"``, ``"int"``, ``"float"``, ``"timestamp"``, ``"bool"``.
    required
        Whether every row needs a value.
    zh
        Chinese header names accepted for this column (the first one is used in templates).
    sql
        The DuckDB type of the column in the store.
    """

    name: str
    dtype: str
    required: bool
    zh: tuple[str, ...]
    sql: str


@dataclass(frozen=True)
class TableSpec:
    """One kind of input file and its store table."""

    kind: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Contract column names, in order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def value_columns(self) -> tuple[str, ...]:
        """Columns that are not part of the key."""
        return tuple(n for n in self.names if n not in self.key)


FOOTFALL = TableSpec(
    kind="footfall",
    columns=(
        ColumnSpec("zone_id", "str", True, ("片区编号", "片区ID", "区域编号"), "VARCHAR"),
        ColumnSpec("ts", "timestamp", True, ("时间", "时段开始", "时间戳"), "TIMESTAMP"),
        ColumnSpec("visitors", "int", True, ("客流", "客流量", "人次", "人数"), "INTEGER"),
    ),
    key=("zone_id", "ts"),
)

SALES = TableSpec(
    kind="sales",
    columns=(
        ColumnSpec("zone_id", "str", True, ("片区编号", "片区ID", "区域编号"), "VARCHAR"),
        ColumnSpec("ts", "timestamp", True, ("时间", "时段开始", "时间戳"), "TIMESTAMP"),
        ColumnSpec("category", "str", True, ("业态", "类别"), "VARCHAR"),
        ColumnSpec("spend_cny", "float", True, ("消费额", "消费金额", "金额（元）", "金额"), "DOUBLE"),
        ColumnSpec("orders", "int", True, ("订单数", "笔数", "交易笔数"), "INTEGER"),
    ),
    key=("zone_id", "ts", "category"),
)

EVENTS = TableSpec(
    kind="events",
    columns=(
        ColumnSpec("event_id", "str", True, ("活动编号", "活动ID"), "VARCHAR"),
        ColumnSpec("zone_id", "str", True, ("片区编号", "片区ID", "区域编号"), "VARCHAR"),
        ColumnSpec("start", "timestamp", True, ("开始时间", "开始"), "TIMESTAMP"),
        ColumnSpec("end", "timestamp", True, ("结束时间", "结束"), "TIMESTAMP"),
        ColumnSpec("category", "str", True, ("业态", "类别"), "VARCHAR"),
        ColumnSpec("kind", "str", True, ("活动类型", "类型"), "VARCHAR"),
        ColumnSpec("title_zh", "str", True, ("活动名称", "中文名称", "名称"), "VARCHAR"),
        ColumnSpec("title_en", "str", False, ("英文名称",), "VARCHAR"),
        ColumnSpec("expected_visitors", "int", False, ("预计客流", "预计人数"), "INTEGER"),
        ColumnSpec("simulated", "bool", False, ("模拟", "是否模拟"), "BOOLEAN"),
    ),
    key=("event_id",),
)

TABLES: dict[str, TableSpec] = {t.kind: t for t in (FOOTFALL, SALES, EVENTS)}

# --------------------------------------------------------------------------- a time as a date and an hour
SPLIT_TIME: dict[str, str] = {"footfall": "ts", "sales": "ts"}
"""Kinds whose one timestamp column (here by name) may come as a date column and an hour column.

A file of such a kind without a timestamp column but with a column of
:data:`DATE_HEADERS` and one of :data:`HOUR_HEADERS` has the two combined into the
timestamp: the start of that hour on that (calendar) date. A file with a timestamp
column ignores them, as any other extra column."""
DATE_HEADERS: tuple[str, ...] = ("date", "日期", "营业日期", "统计日期")
"""Accepted headers of the date column of a time given as a date and an hour (the first Chinese one is shown)."""
HOUR_HEADERS: tuple[str, ...] = ("hour", "时段", "小时", "时", "时间段")
"""Accepted headers of the hour column of a time given as a date and an hour (``20``, ``20:00``, ``20时``,
``20:00-21:00``)."""



KIND_LABELS: dict[str, tuple[str, str]] = {kind: i18n.both(f"schema.kind.{kind}") for kind in KINDS}
"""Each kind's name in Chinese and English (``客流`` / ``Footfall``)."""


def night_of(ts: dt.datetime) -> dt.date:
    """The night a timestamp belongs to: hours before 06:00 count to the previous date."""
    return (ts - dt.timedelta(hours=NIGHT_START_HOUR)).date()


def category_key(text: str) -> str:
    """The form of a category cell looked up in :data:`CATEGORY_SYNONYMS`: NFKC, lower case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def category_of(text: str) -> str | None:
    """``eat``, ``shop`` or ``play`` for an accepted category word, else ``None``."""
    return CATEGORY_SYNONYMS.get(category_key(text))


def category_words(category: str) -> tuple[str, ...]:
    """The accepted words for one category, in the order of :data:`CATEGORY_SYNONYMS`."""
    return tuple(word for word, cat in CATEGORY_SYNONYMS.items() if cat == category)


def header_aliases(spec: TableSpec) -> dict[str, str]:
    """Map every accepted header (lower-cased English name and Chinese names) to the contract name."""
    aliases: dict[str, str] = {}
    for c in spec.columns:
        aliases[c.name.lower()] = c.name
        for z in c.zh:
            aliases[z] = c.name
    return aliases


def split_time_aliases(spec: TableSpec) -> dict[str, str]:
    """Map every accepted header of a date or hour column to ``"date"`` or ``"hour"``; empty when ``spec``'s
    kind takes no time as a date and an hour (:data:`SPLIT_TIME`)."""
    if spec.kind not in SPLIT_TIME:
        return {}
    return {**dict.fromkeys(DATE_HEADERS, "date"), **dict.fromkeys(HOUR_HEADERS, "hour")}


def _category_reason() -> tuple[str, str]:
    """The reason of a category cell that is no accepted word, listing every category's synonyms."""

    def words(lang: str, sep: str, word_sep: str) -> str:
        return sep.join(
            i18n.t("schema.check.category_words", lang, category=cat,
                   words=word_sep.join(w for w in category_words(cat) if w != cat))
            for cat in CATEGORIES
        )

    return (i18n.t("schema.check.category", "zh", words=words("zh", "；", "、")),
            i18n.t("schema.check.category", "en", words=words("en", "; ", ", ")))


def _range_reasons() -> dict[str, tuple[str, str]]:
    """``max_<column>`` → the reason of a value above :data:`VALUE_RANGES` (key ``schema.check.max_<column>``)."""
    return {f"max_{name}": i18n.both(f"schema.check.max_{name}", hi=f"{hi:,}")
            for name, (_lo, hi) in VALUE_RANGES.items()}


# Reasons for pandera checks, by the check's ``error`` key (texts in nightmap.messages.ingest, ``schema.check.*``).
CHECK_REASONS: dict[str, tuple[str, str]] = {
    "nonneg": i18n.both("schema.check.nonneg"),
    **_range_reasons(),
    "time_range": i18n.both("schema.check.time_range", lo=f"{TIME_MIN:%Y-%m-%d}", hi=f"{TIME_MAX:%Y-%m-%d}"),
    "category": _category_reason(),
    "event_kind": i18n.both("schema.check.event_kind"),
    "on_the_hour": i18n.both("schema.check.on_the_hour"),
    "end_after_start": i18n.both("schema.check.end_after_start"),
    "spend_without_orders": i18n.both("schema.check.spend_without_orders"),
    "duplicate_key": i18n.both("schema.check.duplicate_key"),
}


def _on_the_hour(s):  # noqa: ANN001, ANN202 - pandera check callback
    return (s.dt.minute == 0) & (s.dt.second == 0)


def pandera_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The pandera schema that checks the values of a parsed ``spec`` frame.

    Types are parsed before this runs (``ingest`` reports unparseable cells
    itself); this schema checks ranges, allowed values and row-level rules.
    """
    checks: dict[str, list[pa.Check]] = {c.name: [] for c in spec.columns}
    for name, (lo, hi) in VALUE_RANGES.items():
        if name in checks:
            checks[name].append(pa.Check.ge(lo, error="nonneg", ignore_na=True))
            checks[name].append(pa.Check.le(hi, error=f"max_{name}", ignore_na=True))
    for name in TIME_COLUMNS:
        if name in checks:
            checks[name].append(pa.Check.in_range(TIME_MIN, TIME_MAX, error="time_range", ignore_na=True))
    if "category" in checks:
        checks["category"].append(pa.Check.isin(list(CATEGORIES), error="category"))
    if "kind" in checks:
        checks["kind"].append(pa.Check.isin(list(EVENT_KINDS), error="event_kind"))
    if spec.kind in ("footfall", "sales"):
        checks["ts"].append(pa.Check(_on_the_hour, error="on_the_hour"))
    columns = {
        c.name: pa.Column(checks=checks[c.name], nullable=not c.required, coerce=False) for c in spec.columns
    }
    frame_checks: list[pa.Check] = []
    if spec.kind == "events":
        frame_checks.append(
            pa.Check(lambda df: df["end"] > df["start"], error="end_after_start", element_wise=False)
        )
    if spec.kind == "sales":
        frame_checks.append(
            pa.Check(lambda df: ~((df["orders"] == 0) & (df["spend_cny"] > 0)), error="spend_without_orders")
        )
    return pa.DataFrameSchema(columns, checks=frame_checks, strict=False)


CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low", "none")
"""How sure a zone's drawn place is (``location_confidence``), surest first.

``high``: a published POI of the place itself, or confirmed by the bureau (a zone
edit on the Data page); ``medium``: its road or junction is documented, not the
exact spot; ``low``: only the road or area (or a hint); ``none``: no evidence,
placed plausibly. Everything but ``high`` is drawn as unverified."""

UNKNOWN_CONFIDENCE = "none"
"""The confidence of a zone whose file does not say (drawn as unverified)."""


def is_verified(confidence: object) -> bool:
    """Whether a ``location_confidence`` counts as a surveyed place: only ``high`` (missing: not)."""
    return str(confidence or "").strip().lower() == "high"
