"""Strings of the events page (活动效果).

Key -> (Chinese, English); :mod:`nightmap.i18n` looks them up.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # --- events page -------------------------------------------------------------------------------
    "events.title": ("活动", "Events"),
    "events.caption": (
        "所有活动的时间线；每项活动期间，所在片区的客流和消费额与普通夜晚同一时段相比变化多少。",
        "All events on a timeline, and for each how its zone's visitors and spending during its hours "
        "compare with the same hours of ordinary nights.",
    ),
    "events.zones": ("只看这些片区（不选即全部）", "Only these zones (none = all)"),
    "events.kinds": ("活动类型", "Event kinds"),
    "events.measure": ("效果指标", "Effect measure"),
    "events.count": ("共{n}项活动，其中{k}项与同片区其他活动时间重叠（⚠）。",
                     "{n} events; {k} overlap another event in the same zone (⚠)."),
    "events.none": ("所选范围内没有活动。", "No events in the selected range."),
    "events.timeline": ("活动时间线（按片区）", "Event timeline (by zone)"),
    "events.effect": ("活动效果：{metric}较普通夜晚同一时段的变化", "Event effect: {metric} vs the same hours of ordinary nights"),
    "events.effect_help": (
        "圆点：活动期间较基线的变化；灰色横条：普通夜晚的范围（基线夜晚中最低到最高的一晚）。"
        "圆点在灰条右侧（红色），说明比任何一个普通夜晚都高。",
        "Dot: the change during the event vs baseline; grey bar: the ordinary-night range (the quietest to the "
        "busiest baseline night). A dot right of the grey bar (red) beat every ordinary night.",
    ),
    "events.method_title": ("计算方法", "How it is computed"),
    "events.method": (
        "活动时段：与活动时间重叠的每个整点小时（如19:30—21:30计19、20、21点），且在左侧所选夜晚与夜间时段内。"
        "基线：同一片区、同样钟点，在活动前同星期几的夜晚（不含端午等节假日）的平均值；跨多晚的活动逐晚相加。"
        "正常范围：同一片区、同样钟点在全部基线夜晚（任何星期几）中最低与最高的一晚（跨多晚逐晚相加）；"
        "活动高于最高的一晚才算“高于普通夜晚”，低于最低的一晚才算“低于普通夜晚”，基线夜晚少于2晚则无法判断。"
        "普通夜晚的波动（标准差）由全部基线夜晚相对于同星期几均值的偏离估计（合并变异系数），"
        "z值 = 变化 ÷ 标准差，仅供参考。"
        "同一片区时间重叠的活动已标出（⚠），它们的效果无法分开。",
        "Event hours: every clock hour that overlaps the event (19:30–21:30 counts 19, 20 and 21), within the "
        "nights and hours chosen on the left. Baseline: the same zone and clock hours on the pre-campaign nights "
        "of the same weekday (holidays such as the Dragon Boat break excluded); events over several nights add "
        "up night by night. Normal range: the quietest and the busiest baseline night (any weekday) of the same "
        "zone and clock hours (added up night by night); an event is above ordinary nights only when it beats "
        "the busiest, below only under the quietest; with fewer than 2 baseline nights there is no verdict. "
        "An ordinary night's noise (std) is estimated from how every baseline night deviates from its weekday's "
        "mean (pooled coefficient of variation); z = change ÷ std, for reference. Events that overlap in a zone are "
        "flagged (⚠): their effects can't be told apart.",
    ),
    "events.map": ("活动地图", "Event map"),
    "events.map_help": (
        "片区颜色：消费额较基线变化；圆点：活动（颜色表示业态）。",
        "Zone colour: spending's change vs baseline; dots: events (colour = category).",
    ),
    "events.table": ("活动效果表", "Event effects"),
    "events.download_csv": ("下载活动效果表（CSV）", "Download event effects (CSV)"),
    "events.verdict.above": ("高于所有普通夜晚", "Above every ordinary night"),
    "events.verdict.below": ("低于所有普通夜晚", "Below every ordinary night"),
    "events.verdict.normal": ("在普通夜晚范围内", "Within the ordinary-night range"),
    "events.verdict.unknown": ("无法判断（基线夜晚不足）", "Can't tell (too few baseline nights)"),
    "events.verdict.no_data": ("无数据", "No data"),
    "events.col.hours": ("计入时段", "Hours counted"),
    "events.col.nights": ("计入夜晚数", "Nights counted"),
    "events.col.base_nights": ("同星期几基线夜晚数", "Same-weekday baseline nights"),
    "events.col.range_nights": ("正常范围所依基线夜晚数", "Baseline nights in the normal range"),
    "events.col.source": ("活动来源", "Event source"),
    "events.source.reported": ("新闻报道", "News report"),
    "events.source.simulated": ("模拟", "Simulated"),
    "events.col.effect_data": ("效果数据", "Effect data"),
    "events.effect_data.simulated": ("模拟", "Simulated"),
    "events.effect_data.mixed": ("部分模拟", "Partly simulated"),
    "events.effect_data.real": ("实测", "Measured"),
    "events.col.actual": ("{metric}（活动期间）", "{metric} during event"),
    "events.col.base": ("{metric}基线均值", "{metric} baseline mean"),
    "events.col.range": ("{metric}基线最低—最高", "{metric} baseline min–max"),
    "events.col.range_pct": ("{metric}正常范围（较基线均值）", "{metric} normal range (vs baseline mean)"),
    "events.col.std": ("{metric}普通夜晚波动（标准差）", "{metric} ordinary-night noise (std)"),
    "events.col.diff": ("{metric}变化", "{metric} change"),
    "events.col.pct": ("{metric}变化（%）", "{metric} change (%)"),
    "events.col.z": ("{metric} z值", "{metric} z-score"),
    "events.col.verdict": ("{metric}判断", "{metric} verdict"),
    "events.col.overlap": ("时间重叠的活动", "Overlaps with"),
    "events.chart.change": ("较基线变化（%）", "Change vs baseline (%)"),
    "events.chart.range": ("普通夜晚范围（最低—最高）", "Ordinary-night range (min–max)"),
    "events.chart.time": ("时间", "Time"),
    "events.chart.verdict": ("判断", "Verdict"),
}
