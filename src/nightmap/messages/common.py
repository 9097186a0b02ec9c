"""Strings every page shares: the app's title and data notices, languages, categories, kinds and metrics, the sidebar's filters, the KPI cards and errors.

Key -> (Chinese, English); :mod:`nightmap.i18n` looks them up.
"""

from __future__ import annotations

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
    "metric.spend_per_visitor": ("人均消费", "Spend per visitor"),
    "metric.spend_per_order": ("客单价", "Spend per order"),
    "metric.uplift": ("消费额较基线变化", "Spending vs baseline"),
    "metric.uplift_visitors": ("客流较基线变化", "Visitors vs baseline"),
    "metric.uplift_of": ("{metric}较基线变化", "{metric}: change vs baseline"),
    "unit.people": ("人次", "visits"),
    "unit.yuan": ("元", "yuan"),
    "unit.orders": ("单", "orders"),
    "unit.yuan_per_person": ("元/人", "yuan per visitor"),
    "unit.yuan_per_order": ("元/单", "yuan per order"),
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
    "filter.next_day_hour": ("次日{hour}", "{hour} (+1)"),
    "filter.categories": ("业态", "Categories"),
    "filter.metric": ("地图着色指标", "Map colour metric"),
    "filter.zones": ("片区", "Zones"),
    "filter.zones_all": ("全部片区（可输入名称搜索）", "All zones (type to search)"),
    "filter.choose": ("请选择（可输入搜索）", "Choose (type to search)"),
    "filter.no_category": ("请至少选择一个业态。", "Choose at least one category."),
    "filter.window": ("{start} 至 {end}，{h0}—{h1}", "{start} to {end}, {h0}–{h1}"),
    # --- KPIs ----------------------------------------------------------------------------------------
    "kpi.visitors": ("总客流", "Total visitors"),
    "kpi.spend": ("总消费额", "Total spending"),
    "kpi.orders": ("总订单数", "Total orders"),
    "kpi.spend_per_visitor": ("人均消费", "Spend per visitor"),
    "kpi.spend_per_order": ("客单价", "Spend per order"),
    "kpi.spend_per_visitor_help": ("人均消费 = 消费额 ÷ 客流（人次）。", "Spend per visitor = spending ÷ visitors."),
    "kpi.spend_per_order_help": ("客单价 = 消费额 ÷ 订单数（每笔订单的平均金额）。",
                                 "Spend per order = spending ÷ orders (the average order)."),
    "kpi.visitors_by_category": (
        "客流为所选业态所在片区的全部客流，不按业态区分；消费额和订单数只计所选业态。",
        "Visitors are all visitors of the zones that have the chosen kinds; footfall is not split by kind. "
        "Spending and orders count the chosen kinds only.",
    ),
    "kpi.delta_vs_baseline": ("{pct} 较基线", "{pct} vs baseline"),
    "kpi.one_night_note": ("基于1个同星期基线夜", "on 1 same-weekday night"),
    "kpi.basis": ("本视图的基线依据{n}个活动前夜晚（{dates}），每晚依据{lo}个同星期几的基线夜。",
                  "In this view the baseline rests on {n} pre-campaign nights ({dates}); each night on {lo} "
                  "same-weekday baseline night(s)."),
    "kpi.basis_range": ("本视图的基线依据{n}个活动前夜晚（{dates}），每晚依据{lo}—{hi}个同星期几的基线夜。",
                        "In this view the baseline rests on {n} pre-campaign nights ({dates}); each night on "
                        "{lo}–{hi} same-weekday baseline nights."),
    "kpi.basis_none": ("本视图没有可比的活动前基线夜晚。", "No pre-campaign night on the same weekday is in this view's baseline."),
    "kpi.basis_single": ("其中{k}晚的基线仅基于1个同星期基线夜（{dates}），对比仅供参考。",
                         "{k} of the nights rest on 1 same-weekday baseline night ({dates}): read the change with care."),
    "kpi.basis_single_all": ("基于1个同星期基线夜（{dates}），对比仅供参考。",
                             "Based on 1 same-weekday baseline night ({dates}): read the change with care."),
    "kpi.no_baseline": ("无基线", "no baseline"),
    "baseline.help": (
        "基线：活动前（6月3日—16日）同星期几的夜晚平均值，不含法定节假日（端午6月3日—5日）。",
        "Baseline: average of the pre-campaign nights (3–16 June) on the same weekday, "
        "public holidays excluded (Dragon Boat break 3–5 June).",
    ),
    # --- errors ---------------------------------------------------------------------------------------
    "error.generic": ("出错了：{msg}", "Something went wrong: {msg}"),
}
