"""Every user-facing string in Chinese and English, and number, money and date formatting.

Chinese (``"zh"``) is the default language. Look strings up with :func:`t`;
format values with :func:`fmt_int`, :func:`fmt_money`, :func:`fmt_pct` and
:func:`fmt_date` so every page writes numbers the same way.
"""

from __future__ import annotations

import datetime as dt
import math

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"

# key -> (zh, en). Sections keep related keys together; add new keys to the section that uses them.
STRINGS: dict[str, tuple[str, str]] = {
    # --- app -------------------------------------------------------------------------------------
    "app.title": ("解放区夜经济地图", "Jiefang District Night-Economy Map"),
    "app.subtitle": (
        "“城市烟火气·点亮夜经济”活动（2022年6月17日—30日）",
        "“City Fireworks · Light up the Night Economy” campaign (17–30 June 2022)",
    ),
    "app.simulated_banner": (
        "注意：当前显示的是模拟数据，用于演示，并非真实统计。真实数据可在“数据管理”页上传。",
        "Note: the data shown is SIMULATED for demonstration, not real statistics. "
        "Upload real data on the Data page.",
    ),
    "app.real_data": ("数据来源：已上传的真实数据。", "Data source: uploaded real data."),
    "app.mixed_data": (
        "注意：部分数据为模拟数据（内置），部分为上传数据。",
        "Note: part of the data is simulated (bundled) and part is uploaded.",
    ),
    "lang.label": ("语言 Language", "语言 Language"),
    "lang.zh": ("中文", "中文"),
    "lang.en": ("English", "English"),
    # --- categories, kinds, metrics ----------------------------------------------------------------
    "cat.eat": ("夜食", "Eat"),
    "cat.shop": ("夜购", "Shop"),
    "cat.play": ("夜娱", "Play"),
    "kind.street": ("街区", "Street district"),
    "kind.complex": ("商业综合体", "Commercial complex"),
    "metric.visitors": ("客流", "Visitors"),
    "metric.spend": ("消费额", "Spending"),
    "metric.orders": ("订单数", "Orders"),
    "metric.spend_per_visitor": ("客单价", "Spend per visitor"),
    "metric.uplift": ("较基线变化", "Change vs baseline"),
    "metric.uplift_of": ("{metric}较基线变化", "{metric}: change vs baseline"),
    "unit.people": ("人次", "visits"),
    "unit.yuan": ("元", "yuan"),
    "unit.orders": ("单", "orders"),
    "unit.yuan_per_person": ("元/人", "yuan per visitor"),
    "unit.pct": ("%", "%"),
    "event.kind.ceremony": ("启动仪式", "Ceremony"),
    "event.kind.promotion": ("促销活动", "Promotion"),
    "event.kind.voucher": ("消费券发放", "Voucher round"),
    "event.kind.performance": ("演出", "Performance"),
    "event.kind.market": ("市集", "Market"),
    "event.kind.other": ("其他", "Other"),
    # --- filters -----------------------------------------------------------------------------------
    "filter.header": ("筛选", "Filters"),
    "filter.nights": ("夜晚（日期范围）", "Nights (date range)"),
    "filter.nights_help": (
        "凌晨0:00—5:59计入前一天的夜晚。",
        "Hours 00:00–05:59 count towards the night before.",
    ),
    "filter.hours": ("夜间时段", "Hours of the night"),
    "filter.hours_help": (
        "可跨越午夜，例如17:00—02:00。",
        "May run past midnight, e.g. 17:00–02:00.",
    ),
    "filter.categories": ("业态", "Categories"),
    "filter.metric": ("地图着色指标", "Map colour metric"),
    "filter.zones": ("片区", "Zones"),
    "filter.no_category": ("请至少选择一个业态。", "Choose at least one category."),
    "filter.window": ("{start} 至 {end}，{h0}—{h1}", "{start} to {end}, {h0}–{h1}"),
    # --- KPIs ----------------------------------------------------------------------------------------
    "kpi.visitors": ("总客流", "Total visitors"),
    "kpi.spend": ("总消费额", "Total spending"),
    "kpi.orders": ("总订单数", "Total orders"),
    "kpi.spend_per_visitor": ("客单价", "Spend per visitor"),
    "kpi.delta_vs_baseline": ("{pct} 较基线", "{pct} vs baseline"),
    "kpi.no_baseline": ("无基线", "no baseline"),
    "baseline.help": (
        "基线：活动前（6月3日—16日）同星期几的夜晚平均值，不含法定节假日（端午6月3日—5日）。",
        "Baseline: average of the pre-campaign nights (3–16 June) on the same weekday, "
        "public holidays excluded (Dragon Boat break 3–5 June).",
    ),
    # --- map ---------------------------------------------------------------------------------------
    "map.legend.darker_higher": ("颜色越深，数值越高", "Darker = higher"),
    "map.legend.diverging": ("红色为增长，蓝色为下降", "Red = increase, blue = decrease"),
    "map.legend.no_data": ("无数据", "No data"),
    "map.legend.street": ("街区：细边框", "Street district: thin outline"),
    "map.legend.complex": ("商业综合体：黑色粗边框", "Commercial complex: thick black outline"),
    "map.legend.focus": ("解放区边界", "Jiefang District boundary"),
    "map.legend.selected": ("当前选中片区", "Selected zone"),
    "map.legend.events": ("活动", "Events"),
    "map.legend.heat": ("热力：客流", "Heat: visitors"),
    "map.layer.heat": ("客流热力图", "Visitor heat map"),
    "map.layer.events": ("活动标记", "Event markers"),
    "map.layer.amap": ("高德地图", "AMap (Gaode)"),
    "map.layer.osm": ("OpenStreetMap", "OpenStreetMap"),
    "map.tooltip.value": ("{label}：{value}", "{label}: {value}"),
    "map.tooltip.vs_baseline": ("较基线：{pct}（基线 {baseline}）", "vs baseline: {pct} (baseline {baseline})"),
    "map.tooltip.no_data": ("无数据", "No data"),
    "map.tooltip.events_more": ("另有 {n} 项活动", "{n} more events"),
    "map.basemap.none": ("无底图（示意）", "No basemap (schematic)"),
    "map.basemap.amap": ("高德地图（需联网）", "AMap (needs internet)"),
    "map.basemap.osm": ("OpenStreetMap（需联网）", "OpenStreetMap (needs internet)"),
    "map.cat.eat.short": ("食", "E"),
    "map.cat.shop.short": ("购", "S"),
    "map.cat.play.short": ("娱", "P"),
    # --- charts ------------------------------------------------------------------------------------
    "chart.actual": ("实际", "Actual"),
    "chart.baseline": ("基线", "Baseline"),
    "chart.night": ("夜晚", "Night"),
    "chart.hour": ("时段", "Hour"),
    "chart.per_night": ("，每晚平均", ", average per night"),
    "chart.campaign": ("活动期", "Campaign"),
    "chart.share": ("占比", "Share"),
    # --- overview page ------------------------------------------------------------------------------
    "overview.attention": ("需要关注的片区", "Zones that need attention"),
    "overview.best": ("表现最好的片区", "Best performers"),
    "overview.lagging": ("{metric}较基线 {pct}", "{metric} {pct} vs baseline"),
    "overview.low_night": ("{night} 仅为基线的 {pct}", "{night}: only {pct} of baseline"),
    "overview.none": ("暂无", "None"),
    "overview.map": ("片区地图", "Zone map"),
    "overview.map_help": ("点击片区查看详情。", "Click a zone to see its details."),
    "overview.basemap": ("底图", "Basemap"),
    "overview.basemap.none": ("无底图（离线示意图）", "None (offline schematic)"),
    "overview.basemap.amap": ("高德地图（需联网）", "AMap road map (needs internet)"),
    "overview.basemap.osm": ("OpenStreetMap（需联网）", "OpenStreetMap (needs internet)"),
    "overview.heat": ("显示客流热力图", "Show visitor heat map"),
    "overview.zone_select": ("查看片区详情", "Zone details"),
    "overview.zone_none": ("（未选择）", "(none selected)"),
    "overview.detail": ("片区详情：{zone}", "Zone detail: {zone}"),
    "overview.trend": ("逐夜走势（活动期 vs 基线）", "Night by night (campaign vs baseline)"),
    "overview.profile": ("夜间时段分布", "Hour-of-night profile"),
    "overview.mix": ("业态构成（消费额）", "Category mix (spending)"),
    "overview.events": ("片区活动", "Events in this zone"),
    "overview.no_events": ("所选时段内没有活动。", "No events in the selected nights."),
    "overview.ranking": ("片区排名：{metric}", "Zone ranking: {metric}"),
    "overview.download_csv": ("下载排名表（CSV）", "Download ranking (CSV)"),
    "overview.location_note": ("位置说明", "Location note"),
    "overview.no_data": ("所选范围内没有数据。", "No data in the selected range."),
    "overview.close_detail": ("关闭详情", "Close detail"),
    "col.rank": ("排名", "Rank"),
    "col.zone": ("片区", "Zone"),
    "col.kind": ("类型", "Type"),
    "col.value": ("数值", "Value"),
    "col.baseline": ("基线", "Baseline"),
    "col.change": ("较基线变化", "Change vs baseline"),
    "col.visitors": ("客流（人次）", "Visitors"),
    "col.spend": ("消费额（元）", "Spending (yuan)"),
    "col.orders": ("订单数", "Orders"),
    "col.spend_per_visitor": ("客单价（元/人）", "Spend per visitor (yuan)"),
    "col.time": ("时间", "Time"),
    "col.event": ("活动", "Event"),
    "col.category": ("业态", "Category"),
    "col.event_kind": ("类型", "Kind"),
    "col.simulated": ("模拟", "Simulated"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # --- errors ---------------------------------------------------------------------------------------
    "error.generic": ("出错了：{msg}", "Something went wrong: {msg}"),
}


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """Return the string ``key`` in ``lang``, formatted with ``kwargs``.

    Parameters
    ----------
    key
        A key of :data:`STRINGS`.
    lang
        ``"zh"`` or ``"en"``; anything else falls back to Chinese.
    **kwargs
        Values for ``{placeholders}`` in the string.

    Raises
    ------
    KeyError
        If ``key`` is unknown, so a missing translation fails loudly in tests.
    """
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**kwargs) if kwargs else text


def has(key: str) -> bool:
    """Whether ``key`` is a known string."""
    return key in STRINGS


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: float | int | None, lang: str = DEFAULT_LANG) -> str:
    """A count with thousands separators; large Chinese numbers in 万 (``12.3万``)."""
    if _is_missing(value):
        return "—"
    v = float(value)
    if lang != "en" and abs(v) >= 100_000:
        return f"{v / 10_000:,.1f}万"
    return f"{round(v):,}"


def fmt_money(value: float | None, lang: str = DEFAULT_LANG, *, decimals: int = 0) -> str:
    """Money in 元: ``12.3万元`` / ``8,560元`` in Chinese, ``8,560 yuan`` in English."""
    if _is_missing(value):
        return "—"
    v = float(value)
    if lang == "en":
        return f"{v:,.{decimals}f} yuan"
    if abs(v) >= 100_000:
        return f"{v / 10_000:,.1f}万元"
    return f"{v:,.{decimals}f}元"


def fmt_pct(value: float | None, lang: str = DEFAULT_LANG, *, signed: bool = True) -> str:
    """A percentage such as ``+12.5%``; ``—`` when there is nothing to compare with."""
    if _is_missing(value):
        return "—"
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


def fmt_date(day: dt.date, lang: str = DEFAULT_LANG, *, year: bool = True) -> str:
    """A date as people in Jiaozuo write it (``2022年6月17日``), or ``17 Jun 2022`` in English."""
    if lang == "en":
        return f"{day.day} {day.strftime('%b')} {day.year}" if year else f"{day.day} {day.strftime('%b')}"
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


def fmt_weekday(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    """The weekday: ``周五`` / ``Fri``."""
    if lang == "en":
        return day.strftime("%a")
    return "周" + "一二三四五六日"[day.weekday()]


def fmt_hour(hour: int) -> str:
    """An hour of the day as ``HH:00``; 24 is shown as ``24:00``."""
    return f"{hour:02d}:00"
