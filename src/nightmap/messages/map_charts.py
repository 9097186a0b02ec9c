"""Strings of the map and the charts: legends, tooltips, basemaps, labels, confidence of places.

Key -> (Chinese, English); :mod:`nightmap.i18n` looks them up.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
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
}
