"""Every user-facing string in Chinese and English, and number, money and date formatting.

Chinese (``"zh"``) is the default language. Look strings up with :func:`t`;
format values with :func:`fmt_int`, :func:`fmt_money`, :func:`fmt_pct` and
:func:`fmt_date` so every page writes numbers the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import re

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
    # --- map ---------------------------------------------------------------------------------------
    "map.legend.darker_higher": ("颜色越深，数值越高", "Darker = higher"),
    "map.legend.diverging": ("红色为增长，蓝色为下降", "Red = increase, blue = decrease"),
    "map.legend.no_data": ("无数据", "No data"),
    "map.legend.street": ("街区：细边框", "Street district: thin outline"),
    "map.legend.complex": ("商业综合体：黑色粗边框", "Commercial complex: thick black outline"),
    "map.legend.focus": ("解放区边界", "Jiefang District boundary"),
    "map.legend.selected": ("当前选中片区", "Selected zone"),
    "map.legend.events": ("活动", "Events"),
    "map.legend.heat": ("热力：客流（越深越多）", "Heat: visitors (darker = more)"),
    "map.legend.filtered_out": ("未选入筛选的片区", "Zones outside the zone filter"),
    "map.legend.unverified": ("虚线边框：位置待核实（示意位置）", "Dashed outline: position unverified (approximate)"),
    "map.legend.roads": ("主要道路（大致走向，仅画有依据的路段）", "Main roads (approximate; only the known stretches)"),
    "map.road.label": ("{name}≈", "{name} ≈"),
    "map.zoom_in": ("放大", "Zoom in"),
    "map.zoom_out": ("缩小", "Zoom out"),
    "map.tiles_failed": ("底图无法加载（无网络），已改用示意底图",
                         "Basemap tiles could not load (no internet); showing the schematic map"),
    "map.online_note": ("在线底图（高德、OpenStreetMap）需要联网；无网络时地图自动改用示意底图。",
                        "Online basemaps (AMap, OpenStreetMap) need internet; without it the map falls back to "
                        "the schematic."),
    "map.tooltip.unverified": ("⚠ 位置待核实（可信度：{level}）", "⚠ Position unverified (confidence: {level})"),
    "map.tooltip.unverified_short": ("· 位置待核实", "· position unverified"),
    "confidence.high": ("高", "high"),
    "confidence.medium": ("中", "medium"),
    "confidence.low": ("低", "low"),
    "confidence.none": ("无依据", "none"),
    "map.legend.more": ("▸ 图例详情", "▸ Legend details"),
    "map.legend.less": ("▴ 收起", "▴ Hide details"),
    "map.legend.in_view": ("共 {n} 个片区；只绘制视野内的片区，片区多时画作圆点，放大可见轮廓、名称和活动",
                           "{n} zones; only those in view are drawn, as dots when many — zoom in for outlines, "
                           "names and events"),
    "map.layer.heat": ("客流热力图", "Visitor heat map"),
    "map.layer.events": ("活动标记", "Event markers"),
    "map.layer.amap": ("高德地图", "AMap (Gaode)"),
    "map.layer.osm": ("OpenStreetMap", "OpenStreetMap"),
    "map.layer.amap_pack": ("高德地图（离线包）", "AMap (offline pack)"),
    "map.layer.osm_pack": ("OpenStreetMap（离线包）", "OpenStreetMap (offline pack)"),
    "map.tooltip.value": ("{label}：{value}", "{label}: {value}"),
    "map.tooltip.vs_baseline": ("较基线：{pct}（基线 {baseline}）", "vs baseline: {pct} (baseline {baseline})"),
    "map.tooltip.no_data": ("无数据", "No data"),
    "map.tooltip.filtered_out": ("不在片区筛选范围内", "Not in the zone filter"),
    "map.tooltip.events_more": ("另有 {n} 项活动", "{n} more events"),
    "map.tooltip.events_in_cat": ("{zone} · {cat}活动 {n} 项", "{zone} · {n} {cat} events"),
    "map.basemap.none": ("无底图（示意）", "No basemap (schematic)"),
    "map.basemap.amap_pack": ("高德（离线包）", "AMap (offline pack)"),
    "map.basemap.osm_pack": ("OpenStreetMap（离线包）", "OpenStreetMap (offline pack)"),
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
    "overview.attention_help": ("较基线增幅最小的片区，以及有某一晚不到基线七成的片区",
                                "The smallest rises against the baseline, and zones with a night under 70% of it"),
    "overview.attention_more": ("另有 {n} 个片区需关注", "{n} more zones to watch"),
    "overview.best": ("表现最好的片区", "Best performers"),
    "overview.lagging": ("{metric}较基线 {pct}", "{metric} {pct} vs baseline"),
    "overview.low_night": ("{night} 仅为基线的 {pct}", "{night}: only {pct} of baseline"),
    "overview.also_best": ("整个时段表现突出：{reasons}", "Best over the period: {reasons}"),
    "overview.but_also": ("但{reasons}（见需关注片区）", "But {reasons} (see zones to watch)"),
    "overview.none": ("暂无", "None"),
    "overview.map": ("片区地图", "Zone map"),
    "overview.map_help": ("点击片区查看详情。", "Click a zone to see its details."),
    "overview.basemap": ("底图", "Basemap"),
    "overview.basemap.none": ("无底图（离线示意图）", "None (offline schematic)"),
    "overview.basemap.amap_pack": ("高德（离线包）", "AMap (offline pack)"),
    "overview.basemap.osm_pack": ("OpenStreetMap（离线包）", "OpenStreetMap (offline pack)"),
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
    "col.change_of": ("{metric}较基线变化", "{metric} vs baseline"),
    "col.visitors": ("客流（人次）", "Visitors"),
    "col.spend": ("消费额（元）", "Spending (yuan)"),
    "col.orders": ("订单数", "Orders"),
    "col.spend_per_visitor": ("人均消费（元/人）", "Spend per visitor (yuan)"),
    "col.spend_per_order": ("客单价（元/单）", "Spend per order (yuan)"),
    "col.time": ("时间", "Time"),
    "col.event": ("活动", "Event"),
    "col.category": ("业态", "Category"),
    "col.event_kind": ("类型", "Kind"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # --- presenter ---------------------------------------------------------------------------------
    "presenter.page_title": ("汇报模式", "Presenter"),
    "presenter.mode": ("播放方式", "Playback"),
    "presenter.mode.nights": ("逐夜播放", "Night by night"),
    "presenter.mode.hours": ("单晚逐时播放", "One night, hour by hour"),
    "presenter.night": ("播放哪一晚", "Night to play"),
    "presenter.autoplay": ("打开即自动播放", "Start playing on open"),
    "presenter.play": ("播放", "Play"),
    "presenter.pause": ("暂停", "Pause"),
    "presenter.prev": ("上一帧", "Previous"),
    "presenter.next": ("下一帧", "Next"),
    "presenter.first": ("第一帧", "First"),
    "presenter.last": ("最后一帧", "Last"),
    "presenter.speed": ("速度", "Speed"),
    "presenter.fullscreen": ("全屏", "Full screen"),
    "presenter.slider": ("播放进度", "Playback position"),
    "presenter.keys": ("空格：播放/暂停　←/→（翻页笔）：上一帧/下一帧", "Space: play/pause · ←/→ (clicker): previous/next"),
    "presenter.visitors_night": ("当晚客流", "Visitors that night"),
    "presenter.spend_night": ("当晚消费额", "Spending that night"),
    "presenter.visitors_hour": ("该时段客流", "Visitors this hour"),
    "presenter.spend_hour": ("该时段消费额", "Spending this hour"),
    "presenter.visitors_change": ("客流较基线", "Visitors vs baseline"),
    "presenter.spend_change": ("消费额较基线", "Spending vs baseline"),
    "presenter.night_n": ("活动第 {n} 晚", "Campaign night {n}"),
    "presenter.before": ("活动开始前（基线期）", "Before the campaign (baseline period)"),
    "presenter.after": ("活动结束后", "After the campaign"),
    "presenter.next_day": ("次日", "next day"),
    "presenter.events_night": ("当晚活动", "Events that night"),
    "presenter.events_hour": ("正在进行的活动", "Events under way"),
    "presenter.no_events": ("暂无活动", "No events"),
    "presenter.scale_fixed": ("全程统一色阶，各帧颜色可直接比较", "One colour scale for the whole run"),
    "presenter.zone_no_data": ("无数据", "No data"),
    "presenter.badge_simulated": ("模拟数据 Simulated data", "Simulated data 模拟数据"),
    "presenter.badge_mixed": ("部分为模拟数据 Partly simulated", "Partly simulated 部分为模拟数据"),
    "presenter.settings": ("播放设置与导出", "Playback settings and export"),
    "presenter.bookmark": (
        "提示：收藏当前网址，下次打开即是同样的筛选、指标和播放方式。按 F11 可全屏。",
        "Tip: bookmark this address to reopen the same filters, metric and playback. Press F11 for full screen.",
    ),
    "presenter.export_html": ("下载离线汇报文件（HTML）", "Download offline briefing (HTML)"),
    "presenter.export_html_help": (
        "单个文件，内含全部脚本、样式和数据；可拷到U盘，在没有网络的电脑上用浏览器打开即可播放。",
        "One file with all scripts, styles and data inside: copy it to a USB stick and open it in a browser "
        "on a computer with no network.",
    ),
    "presenter.png_frame": ("PNG 显示哪一帧", "Frame for the PNG"),
    "presenter.png_make": ("生成 PNG 图片（1920×1080）", "Make PNG (1920×1080)"),
    "presenter.png_download": ("下载 PNG 图片", "Download PNG"),
    "presenter.png_unavailable": (
        "本机未安装无头浏览器 Chromium，无法生成 PNG。安装方法：sudo apt-get install chromium"
        "（或 pip install playwright 后运行 playwright install chromium）。"
        "也可以先下载离线汇报文件，在浏览器中按 F11 全屏后截图。",
        "Headless Chromium is not installed here, so no PNG can be made. Install it with: "
        "sudo apt-get install chromium (or pip install playwright, then playwright install chromium). "
        "Alternatively download the offline briefing, open it, press F11 and take a screenshot.",
    ),
    "presenter.png_failed": ("生成 PNG 失败：{msg}", "Could not make the PNG: {msg}"),
    "presenter.cli_wrote": ("已写出 {path}", "wrote {path}"),
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
    # --- data page ---------------------------------------------------------------------------------
    "data.title": ("数据管理", "Data management"),
    "data.subtitle": (
        "上传每日客流、消费和活动文件：写入前逐行检查，可回滚；校正片区位置。",
        "Upload the daily footfall, sales and events files: every row is checked before anything is written, "
        "and every upload can be rolled back. Correct zone positions.",
    ),
    "data.section": ("功能", "Section"),
    "data.section.upload": ("上传数据", "Upload data"),
    "data.section.batches": ("导入批次与回滚", "Batches and rollback"),
    "data.section.zones": ("片区位置", "Zone positions"),
    "data.section.log": ("操作记录", "Change log"),
    "data.fresh.header": ("数据新鲜度", "Data freshness"),
    "data.fresh.stale": (
        "{table}数据的最新夜晚为 {night}，早于昨晚：活动期间请上传最新文件。",
        "The latest night of {table} is {night}, older than last night: upload the newest file during the campaign.",
    ),
    "data.col.table": ("数据表", "Table"),
    "data.col.latest_night": ("最新夜晚", "Latest night"),
    "data.col.rows": ("行数", "Rows"),
    "data.col.last_batch": ("最近一次导入", "Last batch"),
    "data.col.row": ("行（Excel行号）", "Row (as in Excel)"),
    "data.col.column": ("列", "Column"),
    "data.col.value": ("值", "Value"),
    "data.col.problem": ("问题", "Problem"),
    "data.col.batch": ("批次", "Batch"),
    "data.col.file": ("文件名", "File name"),
    "data.col.who": ("操作人", "By"),
    "data.col.when": ("时间", "When"),
    "data.col.inserted": ("新增行", "Inserted"),
    "data.col.updated": ("更新行", "Updated"),
    "data.col.status": ("状态", "Status"),
    "data.col.version": ("版本", "Version"),
    "data.col.note": ("说明", "Note"),
    "data.col.restored_from": ("恢复自", "Restored from"),
    "data.batch.active": ("有效", "active"),
    "data.batch.rolled_back": ("已回滚", "rolled back"),
    "data.upload.header": ("上传数据文件", "Upload a data file"),
    "data.upload.kind": ("数据类型", "Kind of data"),
    "data.upload.who": ("备注（可选）", "Note (optional)"),
    "data.upload.who_placeholder": ("例如：6月20日补报数据", "e.g. late figures for 20 June"),
    "data.upload.file": ("选择 CSV 或 XLSX 文件（最大 {mb} MB）", "Choose a CSV or XLSX file (at most {mb} MB)"),
    "data.upload.file_help": (
        "CSV 可为 UTF-8 或 GB18030（Excel 中文版另存的 CSV）。列名可用中文或英文，见下载模板；"
        "片区可填写编号、中文名或英文名。",
        "CSV may be UTF-8 or GB18030 (as saved by Excel on Chinese Windows). Headers in Chinese or English; "
        "see the templates. Zones by id, Chinese or English name.",
    ),
    "data.upload.preview": ("预览（前20行）", "Preview (first 20 rows)"),
    "data.upload.preview_help": ("左侧行号与 Excel 中的行号一致（表头在第 {header} 行）。",
                                 "Row numbers on the left are as in Excel (the header is row {header})."),
    "data.upload.skipped": ("表头在第 {header} 行；以下 {n} 行未导入：",
                            "The header is row {header}; these {n} rows are not imported:"),
    "data.upload.blank_rows": ("另有 {n} 个空行已跳过。", "{n} blank rows were skipped as well."),
    "data.col.reason": ("原因", "Reason"),
    "data.col.content": ("内容", "Content"),
    "data.upload.unchanged": (
        "{file} 的 {rows} 行与库中数据完全相同：未记录新批次，数据未变。",
        "All {rows} rows of {file} equal the stored data: no batch was recorded, nothing changed.",
    ),
    "data.verdict.bad": (
        "发现 {n} 个问题：文件不能提交，未写入任何数据。请修改后重新上传。",
        "{n} problems found: the file cannot be committed and nothing was written. Fix them and upload again.",
    ),
    "data.verdict.good": ("文件检查通过：{n} 行{kind}数据，可以提交。", "The file is clean: {n} rows of {kind}, ready to commit."),
    "data.upload.ignored": ("以下列不在数据约定中，将被忽略：{cols}", "These columns are not in the contract and are ignored: {cols}"),
    "data.upload.commit": ("提交写入", "Commit"),
    "data.report.more": ("仅显示前 {shown} 个问题，共 {n} 个；可下载完整清单。",
                         "Showing the first {shown} of {n} problems; download the full list."),
    "data.report.download": ("下载问题清单（CSV）", "Download the problem list (CSV)"),
    "data.upload.committed": (
        "已写入批次 #{batch}（{file}）：新增 {inserted} 行，更新 {updated} 行，未变 {unchanged} 行。",
        "Committed batch #{batch} ({file}): {inserted} rows inserted, {updated} updated, {unchanged} unchanged.",
    ),
    "data.templates.header": ("下载模板", "Download templates"),
    "data.templates.help": (
        "每个模板含表头和一行标有“【示例·请删除本行】”的示例行：上传前请删除，否则文件会被拒绝。"
        "片区列可填写片区编号、中文名或英文名；XLSX 模板的第二个工作表“片区 Zones”列出全部片区。",
        "Each template has the headers and one example row marked “[EXAMPLE - delete this row]”: delete it "
        "before uploading, or the file is refused. The zone column takes a zone id, Chinese or English name; "
        "the XLSX templates' second sheet “片区 Zones” lists every zone.",
    ),
    "data.templates.zh_xlsx": ("中文表头 XLSX", "Chinese headers, XLSX"),
    "data.templates.zh_csv": ("中文表头 CSV", "Chinese headers, CSV"),
    "data.templates.en_xlsx": ("英文表头 XLSX", "English headers, XLSX"),
    "data.templates.en_csv": ("英文表头 CSV", "English headers, CSV"),
    "data.zonelist.header": ("片区编号与名称", "Zone ids and names"),
    "data.zonelist.help": (
        "上传文件的片区列可填写片区编号、中文名或英文名（例如 新安路步行街），导入时统一换成片区编号。",
        "A file's zone column may hold the zone id, the Chinese or the English name (e.g. Xin'an Road "
        "Pedestrian Street); names become ids on import.",
    ),
    "data.zonelist.download": ("下载片区列表（CSV）", "Download the zone list (CSV)"),
    "zones.col.id": ("片区编号", "Zone id"),
    "zones.col.name_zh": ("中文名", "Chinese name"),
    "zones.col.name_en": ("英文名", "English name"),
    "ui.uploader.button": ("选择文件", "Upload"),
    "ui.uploader.drop": ("或将文件拖放到此处", "or drag a file here"),
    "ui.input.enter": ("按回车键确认", "Press Enter to apply"),
    "ui.input.submit": ("按回车键提交", "Press Enter to submit form"),
    "ui.input.ctrl_enter": ("按 Ctrl+Enter（Mac：⌘+Enter）确认", "Press Ctrl+Enter (Mac: ⌘+Enter) to apply"),
    "data.batches.header": ("导入批次", "Ingested batches"),
    "data.batches.none": ("还没有上传过文件。", "No file has been uploaded yet."),
    "data.rollback.pick": ("选择要回滚的批次", "Batch to roll back"),
    "data.rollback.start": ("回滚该批次…", "Roll back this batch…"),
    "data.rollback.confirm_text": (
        "确定回滚 {batch} 吗？该批次写入或修改的行将恢复为导入前的数据。",
        "Roll back {batch}? The rows it inserted or changed go back to what they were before.",
    ),
    "data.rollback.confirm": ("确认回滚批次 #{batch}", "Yes, roll back batch #{batch}"),
    "data.rollback.cancel": ("取消", "Cancel"),
    "data.rollback.done": ("已回滚批次 #{batch}（{file}）。", "Rolled back batch #{batch} ({file})."),
    "data.rollback.nothing": ("没有可回滚的批次。", "There is no active batch to roll back."),
    "data.zones.header": ("校正片区位置", "Correct zone positions"),
    "data.zones.help": (
        "在地图上点击“开始绘制”，逐点点击画出新边界，双击或点“完成”结束；也可上传 GeoJSON 或输入坐标。"
        "新边界须位于解放区内；旧版本会保留，可随时恢复。",
        "Click “Draw” on the map, click each vertex of the new outline, double-click or press “Finish”; or upload "
        "GeoJSON or type coordinates. The new outline must lie inside Jiefang District; old versions are kept and "
        "can be restored.",
    ),
    "data.zones.pick": ("选择片区", "Zone"),
    "data.zones.upload": ("上传 GeoJSON", "Upload GeoJSON"),
    "data.zones.upload_help": ("一个多边形（WGS-84 经纬度）", "One polygon (WGS-84 longitude/latitude)"),
    "data.zones.use_file": ("使用此文件中的边界", "Use the outline from this file"),
    "data.zones.coords": ("按坐标编辑顶点", "Edit vertices as coordinates"),
    "data.zones.coords_help": ("每行一个顶点：经度, 纬度（WGS-84）", "One vertex per line: longitude, latitude (WGS-84)"),
    "data.zones.use_coords": ("使用这些坐标", "Use these coordinates"),
    "data.zones.source.draw": ("地图绘制", "drawn on the map"),
    "data.zones.source.file": ("GeoJSON 文件", "GeoJSON file"),
    "data.zones.source.coords": ("坐标", "coordinates"),
    "data.zones.new_shape": ("新边界（{source}），面积约 {area} 平方米", "New outline ({source}), about {area} m²"),
    "data.zones.shape_bad": ("新边界不能使用：", "The new outline cannot be used:"),
    "data.zones.shape_good": ("新边界有效，位于解放区内。", "The new outline is valid and inside Jiefang District."),
    "data.zones.note": ("修改说明（可选）", "Reason for the change (optional)"),
    "data.zones.save_shape": ("保存新边界", "Save the new outline"),
    "data.zones.discard": ("放弃", "Discard"),
    "data.zones.saved": ("已保存片区“{zone}”的修改，旧版本已保留。", "Saved the change to “{zone}”; the old version is kept."),
    "data.zones.props": ("名称与业态", "Names and categories"),
    "data.zones.name_zh": ("中文名称", "Chinese name"),
    "data.zones.name_en": ("英文名称", "English name"),
    "data.zones.save_props": ("保存名称与业态", "Save names and categories"),
    "data.zones.history": ("历史版本", "Earlier versions"),
    "data.zones.no_history": ("此片区尚未修改过。", "This zone has not been changed yet."),
    "data.zones.history_help": ("每个版本是修改之前的状态。", "Each version is the zone as it was before a change."),
    "data.zones.restore_pick": ("要恢复的版本", "Version to restore"),
    "data.zones.restore": ("恢复此版本", "Restore this version"),
    "data.zones.restored": ("已将“{zone}”恢复为版本 #{version}。", "Restored “{zone}” to version #{version}."),
    "data.draw.start": ("✏ 开始绘制", "✏ Draw"),
    "data.draw.start_help": ("逐点点击画出新边界", "Click each vertex of the new outline"),
    "data.draw.finish": ("完成", "Finish"),
    "data.draw.finish_help": ("闭合多边形（也可双击）", "Close the polygon (or double-click)"),
    "data.draw.undo": ("撤销", "Undo"),
    "data.draw.cancel": ("取消", "Cancel"),
    "data.draw.hint_idle": ("点击“开始绘制”重画所选片区。", "Press “Draw” to redraw the selected zone."),
    "data.draw.hint_drawing": ("已有 {n} 个顶点：继续点击添加，双击或点“完成”结束。",
                               "{n} vertices: click to add more, double-click or press Finish."),
    "data.draw.hint_done": ("已画好：请在下方检查并保存。", "Drawn: check and save below the map."),
    "data.draw.need3": ("至少需要 3 个顶点。", "At least 3 vertices are needed."),
    # --- sign-in and roles (nightmap.auth, nightmap.ui.auth) ---------------------------------------
    "auth.single_user": (
        "单机模式：未启用登录（修改记录为本机用户 {user}）",
        "Single-user mode: sign-in is off (changes are recorded as {user})",
    ),
    "auth.form": ("登录", "Sign in"),
    "auth.intro": ("请登录后使用。账号由区商务局管理员分配。", "Please sign in. The bureau's administrator gives out accounts."),
    "auth.username": ("用户名", "User name"),
    "auth.password": ("密码", "Password"),
    "auth.sign_in": ("登录", "Sign in"),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.signed_out": ("已退出登录。", "You have signed out."),
    "auth.wrong": (
        "用户名或密码不正确。多次输入错误后，每次重试需要等待更长时间。",
        "Wrong user name or password. After repeated failures each retry has to wait longer.",
    ),
    "auth.signed_in": ("已登录：{name}（{role}）", "Signed in: {name} ({role})"),
    "auth.role.viewer": ("查看", "viewer"),
    "auth.role.editor": ("编辑", "editor"),
    "auth.role.admin": ("管理员", "admin"),
    "auth.config_error": ("登录配置有误，请联系管理员：{msg}", "The sign-in configuration is broken; tell the administrator: {msg}"),
    "auth.need_editor": (
        "上传数据和修改片区需要“编辑”或“管理员”角色；您的角色是“{role}”。",
        "Uploading data and editing zones needs the editor or admin role; your role is {role}.",
    ),
    "auth.need_admin": ("回滚批次需要“管理员”角色。", "Rolling back a batch needs the admin role."),
    "auth.log.header": ("操作记录（谁在何时导入、回滚、修改了什么）", "Change log (who committed, rolled back or edited what, when)"),
    "auth.log.none": ("还没有任何修改记录。", "No changes recorded yet."),
    "auth.log.action": ("操作", "Action"),
    "auth.log.target": ("对象", "Target"),
    "auth.log.role": ("角色", "Role"),
    "auth.action.ingest": ("导入", "commit"),
    "auth.action.rollback": ("回滚", "rollback"),
    "auth.action.zone_edit": ("修改片区", "zone edit"),
    "auth.action.zone_restore": ("恢复片区版本", "zone restore"),
    "auth.users.header": ("可登录的用户（仅管理员可见）", "Users who may sign in (admins only)"),
    "auth.users.help": (
        "用命令 nightmap users add/remove 管理用户；页面不显示密码。",
        "Manage users with the nightmap users add/remove command; passwords are never shown.",
    ),
    "auth.users.single": ("单机模式：没有用户文件。", "Single-user mode: there is no users file."),
    "auth.col.user": ("用户名", "User"),
    "auth.col.name": ("姓名", "Name"),
    # --- errors ---------------------------------------------------------------------------------------
    "error.generic": ("出错了：{msg}", "Something went wrong: {msg}"),
    # --- daily briefing (nightmap.briefing, the overview's button, `nightmap report`) ---------------------
    "briefing.title": (
        "解放区“城市烟火气·点亮夜经济”活动夜经济日报",
        "Jiefang District “City Fireworks · Light Up the Night Economy” — Night Economy Daily Briefing",
    ),
    "briefing.issuer": ("解放区商务局", "Jiefang District Commerce Bureau"),
    "briefing.date_one": ("{date}（{weekday}）", "{weekday} {date}"),
    "briefing.date_range": ("{start}（{wd0}）至{end}（{wd1}）", "{wd0} {start} – {wd1} {end}"),
    "briefing.s1": ("总体情况", "Headline figures"),
    "briefing.s2": ("片区分布图", "Map of the zones"),
    "briefing.s3": ("片区排名与需关注片区", "Zone ranking and zones to watch"),
    "briefing.s4": ("活动开展及成效", "Events and their effect"),
    "briefing.s5": ("数据说明", "About the data"),
    "briefing.scope": ("统计范围：{when}每晚{h0}至{h1}，{zones}，业态为{cats}。",
                       "Scope: {when}, {h0} to {h1} each night; {zones}; categories: {cats}."),
    "briefing.zones_all": ("全区{n}个片区", "all {n} zones of the district"),
    "briefing.zones_some": ("所选{n}个片区", "the {n} selected zones"),
    "briefing.headline": ("{when}，{zones}客流{visitors}，{v}；消费额{spend}，{s}；人均消费{spv}，{p}。",
                          "{when}, {zones} had {visitors}, {v}; spending was {spend}, {s}; "
                          "spend per visitor was {spv}, {p}."),
    "briefing.when_one": ("{date}", "On {date}"),
    "briefing.when_range": ("{start}至{end}", "From {start} to {end}"),
    "briefing.vs_base": ("较基线{change}", "{change} on the baseline"),
    "briefing.vs_prev_one": ("较前一晚{change}", "{change} on the night before"),
    "briefing.vs_prev_range": ("较前{n}晚{change}", "{change} on the {n} nights before"),
    "briefing.and": ("，", " and "),
    "briefing.up": ("增长{pct}", "up {pct}"),
    "briefing.down": ("下降{pct}", "down {pct}"),
    "briefing.flat": ("持平", "unchanged"),
    "briefing.no_base": ("无可比基线", "with no baseline to compare with"),
    "briefing.basis": ("基线为活动前同星期几夜晚的平均值，本期依据{n}个基线夜晚（{dates}）。",
                       "The baseline averages pre-campaign nights on the same weekday; this period rests on "
                       "{n} baseline nights ({dates})."),
    "briefing.basis_few": ("基线仅依据{n}个活动前同星期几的夜晚（{dates}），对比仅供参考。",
                           "The baseline rests on only {n} pre-campaign night(s) on the same weekday ({dates}): "
                           "read the comparison with care."),
    "briefing.basis_count": ("共{n}个", "{n} in all"),
    "briefing.basis_none": ("所选夜晚没有可比的活动前基线夜晚。",
                            "No pre-campaign night on the same weekday can serve as the baseline."),
    "briefing.no_data": ("所选范围内没有数据。", "There is no data in the selected range."),
    "briefing.table_kpi": ("表1  主要指标", "Table 1  Headline figures"),
    "briefing.col.indicator": ("指标", "Indicator"),
    "briefing.col.value": ("本期", "This period"),
    "briefing.col.baseline": ("基线", "Baseline"),
    "briefing.col.vs_base": ("较基线", "vs baseline"),
    "briefing.col.prev": ("上期（{when}）", "Previous ({when})"),
    "briefing.col.vs_prev": ("较上期", "vs previous"),
    "briefing.map_caption": ("图1  各片区{metric}（{when}）。虚线边框为位置待核实的片区，位置仅为示意。",
                             "Figure 1  {metric} by zone ({when}). Dashed outline: position unverified "
                             "(approximate)."),
    "briefing.map_missing": ("（地图未能生成：{why}）", "(The map could not be drawn: {why})"),
    "briefing.rank_intro": ("按{metric}排名，前{k}位依次为{top}；末位为{bottom}。",
                            "By {metric}, the top {k} are {top}; last is {bottom}."),
    "briefing.rank_caption": ("表2  片区{metric}排名", "Table 2  Zones ranked by {metric}"),
    "briefing.rank_caption_cut": ("表2  片区{metric}排名（前{n}位与后{n}位）",
                                  "Table 2  Zones ranked by {metric} (top {n} and bottom {n})"),
    "briefing.attention_head": ("需关注片区（{n}个）：", "Zones that need attention ({n}):"),
    "briefing.attention_none": ("本期没有需要特别关注的片区。", "No zone needs particular attention in this period."),
    "briefing.lagging": ("{zone}：消费额{change}，增幅在各片区中居后。",
                         "{zone}: spending {change}, among the smallest rises of all zones."),
    "briefing.low_night": ("{zone}：{night}消费额仅为基线的{pct}，明显低于平常。",
                           "{zone}: spending on {night} was only {pct} of its baseline, far below usual."),
    "briefing.zone_reasons": ("{zone}：{reasons}。", "{zone}: {reasons}."),
    "briefing.reason_sep": ("；", "; "),
    "briefing.reason.lagging": ("消费额{change}，增幅在各片区中居后", "spending {change}, among the smallest rises of all zones"),
    "briefing.reason.low_night": ("{night}消费额仅为基线的{pct}，明显低于平常",
                                  "spending on {night} was only {pct} of its baseline, far below usual"),
    "briefing.reason.also_best": ("整个时段消费额{change}，同时列为表现突出的片区",
                                  "over the whole period spending {change}, so it is also among the best performers"),
    "briefing.best": ("表现突出的片区：{items}。", "Best performers: {items}."),
    "briefing.events_intro": ("{when}共有{n}项活动（含此前开始、仍在进行的活动），按活动时段与普通夜晚同一时段比较。",
                              "{n} events ran {when} (including ones begun earlier and still running), each "
                              "compared with the same hours of ordinary nights."),
    "briefing.event_line": ("{title}（{zone}，{time}）：活动时段客流{v}，消费额{s}，{verdict}。",
                            "{title} ({zone}, {time}): visitors during its hours {v}, spending {s}; {verdict}."),
    "briefing.vs_ordinary": ("较普通夜晚{change}", "{change} on ordinary nights"),
    "briefing.events_none": ("所选范围内没有活动。", "No event ran in the selected range."),
    "briefing.events_caption": ("表3  活动及成效（与普通夜晚同一时段相比）",
                                "Table 3  Events and their effect (against the same hours of ordinary nights)"),
    "briefing.events_more": ("另有{n}项活动未列出，详见“活动”页。", "{n} more events are not listed; see the Events page."),
    "briefing.col.v_change": ("客流变化", "Visitors"),
    "briefing.col.s_change": ("消费额变化", "Spending"),
    "briefing.col.verdict": ("判断（客流）", "Verdict (visitors)"),
    "briefing.simulated": ("本报告数据为模拟数据，用于演示，并非真实统计。",
                           "The data in this briefing is SIMULATED for demonstration; it is not real statistics."),
    "briefing.mixed": ("本报告数据为模拟数据与上传数据的混合：内置部分为模拟数据，并非真实统计。",
                       "The data in this briefing is partly SIMULATED (the bundled part) and partly uploaded."),
    "briefing.real": ("本报告数据为真实数据（非模拟）。", "The data in this briefing is real (not simulated)."),
    "briefing.source_sim": ("模拟数据由 nightmap simulate 生成（随机种子{seed}）。",
                            "The simulated data was made by nightmap simulate (seed {seed})."),
    "briefing.fresh": ("数据截至：客流{footfall}，消费{sales}，活动安排{events}。",
                       "Latest night with data: visitors {footfall}, sales {sales}, events {events}."),
    "briefing.last_batch": ("最近一次导入：批次#{id}（{file}，{at}）。", "Last upload: batch #{id} ({file}, {at})."),
    "briefing.baseline_rule": (
        "基线：同一片区、同一时段、同一业态在活动开始前28天内同星期几夜晚的平均值，法定节假日及与之相连的周末"
        "（如端午6月3日—5日）不计入，基线夜晚本身不计入其自身基线。一个夜晚从6:00至次日5:59，凌晨1:00计入前一晚。",
        "Baseline: the average of the same zone, hours and categories on the nights of the same weekday within "
        "the 28 days before the campaign, public holidays and the weekend days joined to them (Dragon Boat "
        "break 3–5 June) excluded; a baseline night never counts in its own baseline. A night runs from 06:00 "
        "to 05:59 the next morning: 01:00 belongs to the night before.",
    ),
    "briefing.event_rule": (
        "活动成效：活动所在片区在活动时段的客流和消费额，与同星期几普通夜晚同一时段的平均值相比；"
        "高于全部基线夜晚中最高的一晚，判断为“高于所有普通夜晚”（低于最低的一晚则为“低于所有普通夜晚”）。",
        "Event effect: the zone's visitors and spending during the event's hours against the mean of the same "
        "hours on ordinary nights of the same weekday; above the busiest of all baseline nights is “above every "
        "ordinary night” (below the quietest, “below every ordinary night”).",
    ),
    "briefing.unverified": ("地图中以虚线绘制的片区位置尚待核实，仅为示意。",
                            "Zones drawn dashed on the map are at approximate, unverified positions."),
    "briefing.generated": ("本报告由解放区夜经济地图（nightmap）于{when}（北京时间）生成。",
                           "Made by the nightmap dashboard on {when} (Beijing time)."),
    "briefing.make": ("生成日报", "Make the daily briefing"),
    "briefing.make_help": ("按当前视图（夜晚、时段、业态、片区、指标、语言）生成 Word 日报",
                           "A Word briefing of the current view (nights, hours, categories, zones, metric, language)"),
    "briefing.download": ("下载日报（DOCX）", "Download the briefing (DOCX)"),
    "briefing.map.north": ("北", "N"),
    "briefing.map.metres": ("{n}米", "{n} m"),
    "briefing.map.km": ("{n}千米", "{n} km"),
    "briefing.map.inset": ("解放区全域", "Jiefang District"),
    "briefing.cli.bad_date": ("日期格式错误：{value}（应为 YYYY-MM-DD，例如 2022-06-17）",
                              "bad date: {value} (expected YYYY-MM-DD, e.g. 2022-06-17)"),
    "briefing.cli.order": ("--to {end} 早于 --night {start}", "--to {end} is before --night {start}"),
    "briefing.cli.outside": ("{night} 不在数据范围内（{lo} 至 {hi}）", "{night} is outside the data ({lo} to {hi})"),
    "briefing.cli.empty": ("库中没有数据", "the store holds no data"),
    "briefing.cli.unwritable": ("无法写出 {path}：{why}", "cannot write {path}: {why}"),
    "briefing.cli.wrote": ("已写出 {path}", "wrote {path}"),
    "briefing.cli.no_office": ("未找到 LibreOffice（libreoffice 或 soffice），无法转换为 PDF；DOCX 已写出：{path}",
                               "LibreOffice (libreoffice or soffice) is not on PATH, so no PDF; the DOCX was "
                               "written: {path}"),
    "briefing.cli.pdf_failed": ("PDF 转换失败：{why}；DOCX 已写出：{path}",
                                "PDF conversion failed: {why}; the DOCX was written: {path}"),
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
    """A count with thousands separators; large Chinese numbers in 万 or 亿 (``12.3万``, ``1.25亿``)."""
    if _is_missing(value):
        return "—"
    v = float(value)
    if lang != "en" and abs(v) >= 100_000:
        return _wan_yi(v)
    return f"{round(v):,}"


def _wan_yi(v: float) -> str:
    """``12.3万`` from 100,000, ``1.25亿`` from 100 million, as Chinese reports write large numbers."""
    if abs(v) >= 100_000_000:
        return f"{v / 100_000_000:,.2f}亿"
    return f"{v / 10_000:,.1f}万"


def fmt_money(value: float | None, lang: str = DEFAULT_LANG, *, decimals: int = 0, short: bool = False) -> str:
    """Money in 元: ``1.25亿元`` / ``12.3万元`` / ``8,560元`` in Chinese, ``8,560 yuan`` in English.

    ``short``: in English, millions as ``16.55M yuan`` (for a headline figure that must fit).
    """
    if _is_missing(value):
        return "—"
    v = float(value)
    if lang == "en":
        if short and abs(v) >= 1_000_000:
            return f"{v / 1_000_000:,.2f}M yuan"
        return f"{v:,.{decimals}f} yuan"
    if abs(v) >= 100_000:
        return _wan_yi(v) + "元"
    return f"{v:,.{decimals}f}元"


def fmt_pct(value: float | None, lang: str = DEFAULT_LANG, *, signed: bool = True, decimals: int = 1) -> str:
    """A percentage such as ``+12.5%``; ``—`` when there is nothing to compare with.

    Rounded before the sign is chosen: a change that rounds to zero is written ``±0.0%``
    (``0.0%`` unsigned), never ``-0.0%``.
    """
    if _is_missing(value):
        return "—"
    shown = round(float(value), decimals)
    if shown == 0:
        return f"±{0:.{decimals}f}%" if signed else f"{0:.{decimals}f}%"
    return f"{shown:+.{decimals}f}%" if signed else f"{shown:.{decimals}f}%"


def pct_sign(value: float | None, decimals: int = 1) -> str:
    """``"up"``, ``"down"`` or ``""`` (missing, or zero at the shown precision) for a change in percent.

    Parameters
    ----------
    value
        The change in percent.
    decimals
        The decimals it is shown with: the sign is that of the rounded value, so
        ``-0.04`` shown as ``±0.0%`` is neutral, not a decrease.

    Returns
    -------
    str
        The direction for arrows and colours.
    """
    if _is_missing(value):
        return ""
    shown = round(float(value), decimals)
    return "" if shown == 0 else ("up" if shown > 0 else "down")


def fmt_date(day: dt.date, lang: str = DEFAULT_LANG, *, year: bool = True) -> str:
    """A date as people in Jiaozuo write it (``2022年6月17日``), or ``17 Jun 2022`` in English."""
    if lang == "en":
        return f"{day.day} {day.strftime('%b')} {day.year}" if year else f"{day.day} {day.strftime('%b')}"
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


def _moment(value: object) -> dt.datetime | None:
    """A datetime from a datetime, pandas Timestamp or ISO string; ``None`` for missing or NaT."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, dt.datetime) or value != value:  # NaT is not equal to itself
        return None
    return value


def night_of(moment: dt.datetime) -> dt.date:
    """The night a moment belongs to: a night runs to 06:00, so 01:00 belongs to the evening before."""
    return (moment - dt.timedelta(hours=6)).date()


def fmt_when(start: object, end: object = None, lang: str = DEFAULT_LANG, *, date: bool = True) -> str:
    """An event's time as one string, the same on every page, map and export.

    ``6月17日 19:30—21:30`` / ``17 Jun 19:30–21:30``; an event that runs past its
    first night shows both dates (``6月17日 17:00—6月20日 02:00``). With
    ``date=False`` (a player showing one night) only the clock times. Missing
    or unreadable times give ``""``; a missing end gives the start alone.
    """
    s, e = _moment(start), _moment(end)
    if s is None:
        return ""
    dash = "–" if lang == "en" else "—"
    text = f"{s:%H:%M}" if not date else f"{fmt_date(s.date(), lang, year=False)} {s:%H:%M}"
    if e is None:
        return text
    same_night = night_of(e - dt.timedelta(microseconds=1)) == night_of(s)
    if same_night or not date:
        return f"{text}{dash}{e:%H:%M}"
    return f"{text}{dash}{fmt_date(e.date(), lang, year=False)} {e:%H:%M}"


def fmt_weekday(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    """The weekday: ``周五`` / ``Fri``."""
    if lang == "en":
        return day.strftime("%a")
    return "周" + "一二三四五六日"[day.weekday()]


def fmt_hour(hour: int) -> str:
    """An hour of the day as ``HH:00``; 24 is shown as ``24:00``."""
    return f"{hour:02d}:00"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: object) -> str:
    """``text`` with Markdown (and HTML) special characters escaped, for ``st.markdown``-like calls.

    Zone names, notes and titles may come from uploads or edits: escaped, a name like
    ``![](http://x/y.png)`` shows as text and never makes the browser fetch anything.
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text if text is not None else ""))
