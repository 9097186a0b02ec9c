"""Strings of the store and the zone checks: refusals, zone file problems, zone edits (nightmap.store, nightmap.geo).

Key -> (Chinese, English); :mod:`nightmap.i18n` looks them up. The store and
:mod:`nightmap.geo` build each message in both languages from one key (their
errors carry Chinese and English together).
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # --- opening and building the store (nightmap.store.core, nightmap.store.build) ---------------
    "store.cannot_open": (
        "无法打开数据库 {path}（{detail}），未做任何修改",
        "cannot open the store {path} ({detail}); nothing was changed",
    ),
    "store.loaded_rows_bad": (
        "有不符合数据约定的行（负值、未知业态或片区）",
        "rows break the data contract (negative values, unknown category or zone)",
    ),
    # --- the zone file (nightmap.store.build.read_zone_features) ----------------------------------
    "store.geojson_unreadable": ("无法读取 GeoJSON：{exc}", "cannot read GeoJSON: {exc}"),
    "store.zone_id_missing": ("缺少片区编号", "zone_id is missing"),
    "store.zone_id_twice": ("片区编号重复", "duplicate zone_id"),
    "store.zone_kind_bad": ("类型应为 street 或 complex", "kind must be street or complex"),
    "store.zone_categories_bad": ("业态应为 eat/shop/play 的子集", "categories must be a subset of eat, shop, play"),
    "store.zone_name_missing": ("缺少中文名称", "name_zh is missing"),
    "store.zone_geometry_missing": ("缺少几何图形", "geometry is missing"),
    "store.zone_confidence_bad": ("位置可信度应为 {levels}", "location_confidence must be one of {levels}"),
    # --- rollback (nightmap.store.writes) ---------------------------------------------------------
    "store.batch_missing": ("批次 {batch_id} 不存在", "batch {batch_id} does not exist"),
    "store.batch_rolled_back": ("批次 {batch_id} 已经回滚", "batch {batch_id} was already rolled back"),
    "store.batch_later": (
        "之后的批次 {ids} 修改了相同的行，请先回滚它们",
        "later batch(es) {ids} changed the same rows; roll them back first",
    ),
    # --- zone edits (nightmap.store.writes) -------------------------------------------------------
    "store.zone_missing": ("片区 {zone_id} 不存在", "zone {zone_id} does not exist"),
    "store.version_missing": ("版本 {version_id} 不存在", "version {version_id} does not exist"),
    "store.version_restored": ("恢复版本 {version_id}", "restored version {version_id}"),
    "store.name_empty": ("名称不能为空", "the name must not be empty"),
    "store.name_too_long": ("名称最多 {limit} 个字符", "the name must be at most {limit} characters"),
    "store.categories_bad": ("业态应为 eat/shop/play 中至少一项", "categories must be one or more of eat, shop, play"),
    "store.nothing_changed": ("没有需要保存的修改", "nothing was changed"),
    "store.geometry_unreadable": ("无法读取几何图形：{exc}", "cannot read the geometry: {exc}"),
    "store.location_confirmed": ("经区商务局确认（{when}）", "confirmed by the bureau ({when})"),
    "store.location_confirmed_note": ("经区商务局确认（{when}，{note}）", "confirmed by the bureau ({when}, {note})"),
    # --- checks of a drawn zone (nightmap.geo.zone_problems) --------------------------------------
    "geo.not_polygon": ("不是多边形（{kind}）", "Not a polygon ({kind})"),
    "geo.empty": ("区域为空", "The zone is empty"),
    "geo.invalid": ("多边形无效（如自相交）", "Invalid polygon (e.g. self-intersecting)"),
    "geo.too_large": (
        "面积过大（{area:.2f} 平方公里 > {limit:g}）",
        "Implausibly large ({area:.2f} km² > {limit:g})",
    ),
    "geo.outside": ("区域在解放区之外", "The zone is outside Jiefang District"),
    "store.zones_missing": ("数据文件夹 {folder} 中缺少 zones.geojson", "zones.geojson is missing in {folder}"),
    "store.busy": (
        "数据库正在被另一个写入操作（导入、回滚、重建或片区修改）占用，已等待 {waited} 秒，未写入任何数据，请稍后再试",
        "the store is busy with another write (ingest, rollback, rebuild or zone edit); waited {waited} s, "
        "nothing was written — try again shortly",
    ),
    "geo.partly_outside": (
        "区域部分超出解放区（约 {outside_m2:,.0f} 平方米）",
        "Part of the zone (~{outside_m2:,.0f} m²) is outside Jiefang District",
    ),
}
