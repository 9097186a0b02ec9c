"""Strings of the compare page (片区对比).

Key -> (Chinese, English); :mod:`nightmap.i18n` looks them up.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # --- compare page ------------------------------------------------------------------------------
    "compare.title": ("片区对比", "Compare zones"),
    "compare.caption": (
        "选择2至6个片区并排比较。同一行的各图使用同一刻度，可直接比高低。",
        "Pick 2 to 6 zones to compare side by side. Charts in one row share one scale, so heights compare directly.",
    ),
    "compare.pick": ("对比片区（2—6个）", "Zones to compare (2–6)"),
    "compare.pick_help": ("默认：四个商业综合体。", "Default: the four commercial complexes."),
    "compare.too_few": (
        "请至少选择2个片区；现显示默认的商业综合体。",
        "Pick at least 2 zones; showing the default commercial complexes.",
    ),
    "compare.reset": ("恢复默认（商业综合体）", "Reset to the commercial complexes"),
    "compare.row.nightly_visitors": (
        "逐夜客流（实线：实际；虚线：基线）",
        "Visitors night by night (solid: actual; dashed: baseline)",
    ),
    "compare.row.nightly_spend": (
        "逐夜消费额（实线：实际；虚线：基线）",
        "Spending night by night (solid: actual; dashed: baseline)",
    ),
    "compare.row.hourly": ("夜间时段分布：客流，每晚平均", "Hour-of-night profile: visitors, average per night"),
    "compare.row.mix": ("业态构成（消费额）", "Category mix (spending)"),
    "compare.row.spv": ("人均消费：实际与基线", "Spend per visitor: actual vs baseline"),
    "compare.row.uplift": ("较基线变化（客流、消费额）", "Change vs baseline (visitors, spending)"),
    "compare.table": ("对比表", "Comparison table"),
    "compare.table_help": (
        "排名为在全部{n}个片区中的名次（1为最高）；基线为活动前同星期几夜晚的平均值，不含节假日。",
        "Rank among all {n} zones (1 = highest); baseline is the average of pre-campaign nights on the same "
        "weekday, holidays excluded.",
    ),
    "compare.col.rank": ("{metric}排名（共{n}个）", "{metric} rank (of {n})"),
    "compare.col.baseline": ("{metric}基线", "{metric} baseline"),
    "compare.missing": (
        "{zone}有{n}晚无数据（{nights}），图中留空，不按0计。",
        "{zone}: no data for {n} night(s) ({nights}); shown as a gap, not as zero.",
    ),
    "compare.download_xlsx": ("下载对比（Excel）", "Download comparison (Excel)"),
    "compare.download_csv": ("下载对比表（CSV）", "Download comparison table (CSV)"),
    "compare.sheet.filters": ("筛选条件", "Filters"),
    "compare.sheet.table": ("片区对比", "Comparison"),
    "compare.sheet.nightly": ("逐夜数据", "Night by night"),
    "compare.sheet.hourly": ("时段分布", "Hour of night"),
    "compare.sheet.mix": ("业态构成", "Category mix"),
    "compare.sheet.item": ("项目", "Item"),
    "compare.sheet.value": ("内容", "Value"),
    "compare.sheet.window": ("夜晚与时段", "Nights and hours"),
    "compare.sheet.zones": ("对比片区", "Compared zones"),
    "compare.sheet.baseline": ("基线", "Baseline"),
    "compare.sheet.baseline_rule": (
        "活动前同星期几夜晚的平均值，不含法定节假日及与其相连的周末。基线夜晚：{start}至{end}，共{n}晚。",
        "Average of the pre-campaign nights on the same weekday, public holidays and the weekend days joined to "
        "them excluded. Baseline nights: {start} to {end}, {n} nights.",
    ),
    "compare.sheet.status": ("数据性质", "Data"),
    "compare.sheet.source": ("数据来源", "Data source"),
    "compare.sheet.exported": ("导出时间", "Exported at"),
    "compare.sheet.note": ("说明", "Note"),
    "compare.status.simulated": ("模拟数据（演示用，非真实统计）", "Simulated (for demonstration, not real statistics)"),
    "compare.status.mixed": ("部分为模拟数据，部分为上传的真实数据", "Partly simulated, partly uploaded real data"),
    "compare.status.real": ("上传的真实数据", "Uploaded real data"),
}
