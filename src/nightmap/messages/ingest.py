"""Strings about files coming in: reading and checking uploads and data files.

Key -> (Chinese, English); :mod:`nightmap.i18n` looks them up. Used by
:mod:`nightmap.ingest` and :mod:`nightmap.schema` for the messages they raise
(the store's and geo's are in :mod:`nightmap.messages.store`). Problems carry both languages,
so the code builds each message in both (:func:`nightmap.i18n.both`).
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # nightmap.ingest: rows left out (SkippedRow.reason)
    "ingest.skip.title": ("表头上方的标题/说明行，已跳过", "title or note row above the header, skipped"),
    "ingest.skip.blank": ("空行，已跳过", "blank row, skipped"),
    "ingest.skip.note": ("表格下方的备注/说明行，已跳过", "note row, skipped"),
    "ingest.skip.total": ("合计行，已跳过（不计入数据）", "totals row, skipped (not imported)"),
    # nightmap.ingest: the whole file
    "ingest.more_problems": (
        "另有 {more} 个问题未列出（只列出前 {limit} 个），请先修正以上问题再上传",
        "{more} more problems not listed (only the first {limit} are shown); fix the ones above and upload again",
    ),
    "ingest.file_type": ("只接受 CSV 或 XLSX 文件", "only CSV or XLSX files are accepted"),
    "ingest.unreadable": (
        "无法读取文件（{detail}）；请在 Excel 中另存为 XLSX 或 UTF-8 CSV 后再上传",
        "the file cannot be read ({detail}); save it as XLSX or UTF-8 CSV in Excel and upload again",
    ),
    "ingest.too_many_rows": (
        "文件行数过多：最多 {limit} 个数据行；请拆分成多个文件后再上传",
        "the file has too many rows: at most {limit} data rows; split it into smaller files",
    ),
    "ingest.empty_file": ("文件是空的", "the file is empty"),
    "ingest.no_rows": ("文件中没有数据行", "the file has no data rows"),
    # nightmap.ingest: CSV
    "ingest.csv.bad_utf16": (
        "文件看似 UTF-16 编码，但无法解码；请在 Excel 中另存为 UTF-8 或 GB18030 编码的 CSV（或 XLSX）",
        "the file looks like UTF-16 but cannot be decoded; save it as UTF-8 or GB18030 CSV (or XLSX) in Excel",
    ),
    "ingest.csv.unknown_encoding": (
        "无法识别文件的编码（不是 UTF-8、GB18030 或 UTF-16）；"
        "请在 Excel 中另存为 UTF-8 或 GB18030 编码的 CSV（或 XLSX）",
        "the file's encoding is not UTF-8, GB18030 or UTF-16; save it as UTF-8 or GB18030 CSV (or XLSX) in Excel",
    ),
    "ingest.csv.is_xlsx": (
        "文件内容是 XLSX（压缩包），但扩展名是 .csv；请改回 .xlsx 后再上传",
        "the file is an XLSX (zip) file named .csv; rename it to .xlsx",
    ),
    "ingest.csv.too_long": (
        "文件超过 {limit} 行（含空行）；请删除多余的行或拆分文件",
        "the file has more than {limit} rows (blank ones included); remove the extra rows or split it",
    ),
    # nightmap.ingest: XLSX
    "ingest.xlsx.invalid": (
        "不是有效的 XLSX 文件（可能是改了扩展名的 CSV 或旧版 .xls）；请在 Excel 中另存为 .xlsx",
        "not a valid XLSX file (a renamed CSV or an old .xls?); save it as .xlsx in Excel",
    ),
    "ingest.xlsx.too_large": (
        "XLSX 文件解压后过大或结构异常，未读取（上限：{members} 个部件，单个部件解压后 {member_mb} MB，"
        "合计 {total_mb} MB，压缩比 {ratio}）；请另存为 CSV 或拆分文件",
        "the XLSX file is too large when unpacked or malformed, so it was not read (limits: {members} parts, "
        "{member_mb} MB per part and {total_mb} MB in all uncompressed, compression ratio {ratio}); "
        "save it as CSV or split it",
    ),
    "ingest.xlsx.no_sheet": ("XLSX 文件中没有工作表", "the XLSX file has no sheet"),
    "ingest.xlsx.too_long": ("工作表超过 {limit} 行", "the sheet has more than {limit} rows"),
    "ingest.xlsx.blank_run": (
        "第 {first} 行起有超过 {blank_max} 个连续空行，但工作表一直延伸到第 {declared} 行；"
        "请删除多余的空行和远处的零散单元格后再上传",
        "more than {blank_max} blank rows in a row from row {first}, but the sheet goes on to row {declared}; "
        "delete the blank rows and stray far cells",
    ),
    # nightmap.ingest: the header
    "ingest.header.not_found": (
        "在前 {rows} 个非空行中找不到表头行；表头应包含这些列（括号内为可用列名）：{columns}。"
        "如果文件不是 UTF-8/GB18030 编码（例如 Big5），请另存为 UTF-8 编码的 CSV 或 XLSX",
        "no header row found in the first {rows} non-blank rows; the header must name these columns "
        "(accepted headers in brackets): {columns}. If the file is not UTF-8/GB18030 (e.g. Big5), "
        "save it as UTF-8 CSV or XLSX",
    ),
    "ingest.header.accepted": ("{name}（或 {aliases}）", "{name} (or {aliases})"),
    "ingest.header.accepted_split": (
        "{name}（或 {aliases}；或分成日期列 {dates} 与时段列 {hours} 两列）",
        "{name} (or {aliases}; or a date column {dates} with an hour column {hours})",
    ),
    "ingest.header.duplicate": ("重复的列", "duplicate column"),
    "ingest.header.scaling_unit": (
        "该列的单位“{unit}”会改变数值；请把数值换算成元、人次或笔（不带万、千等），并改用列名{headers}",
        "the unit '{unit}' of this column scales the values; convert them to yuan, visitors or orders "
        "(no 万/千) and use one of the headers {headers}",
    ),
    "ingest.header.missing": (
        "缺少必需的列（可用列名：{name} 或 {aliases}）",
        "required column is missing (accepted headers: {name}, {aliases})",
    ),
    "ingest.header.missing_split": (
        "缺少必需的列（可用列名：{name} 或 {aliases}；或分成日期列（{dates}）与时段列（{hours}）两列）",
        "required column is missing (accepted headers: {name}, {aliases}; or a date column ({dates}) "
        "with an hour column ({hours}))",
    ),
    # nightmap.ingest: cells
    "ingest.cell.not_number": ("不是有效的数字", "not a valid number"),
    "ingest.cell.not_time": (
        "不是有效的时间（例如 2022-06-17 19:00 或 2022年6月17日 19时）",
        "not a valid time (e.g. 2022-06-17 19:00)",
    ),
    "ingest.cell.not_date": (
        "不是有效的日期（例如 2022-06-17、2022/6/17 或 2022年6月17日）",
        "not a valid date (e.g. 2022-06-17)",
    ),
    "ingest.cell.not_hour": (
        "不是有效的时段（例如 20、20:00、20时 或 20:00-21:00）",
        "not a valid hour (e.g. 20, 20:00 or 20:00-21:00)",
    ),
    "ingest.cell.hour_range": ("时段应为 0 至 23 时", "the hour must be 0 to 23"),
    "ingest.cell.hour_not_whole": (
        "时段应为整点（例如 20:00，不是 20:30）",
        "the hour must be a whole hour (e.g. 20:00, not 20:30)",
    ),
    "ingest.cell.hour_span": (
        "时段应为从整点开始的一个小时（例如 20:00-21:00）",
        "an hour range must be one hour starting on the hour (e.g. 20:00-21:00)",
    ),
    "ingest.cell.not_bool": ("应为 true/false（是/否）", "must be true/false"),
    "ingest.cell.not_whole": ("应为整数", "must be a whole number"),
    "ingest.cell.time_zone": (
        "时间带有时区（例如 Z 或 +09:00）；请填写北京时间（不带时区，或 +08:00）",
        "time has a time-zone offset (e.g. Z or +09:00); give local Beijing time (no offset, or +08:00)",
    ),
    "ingest.cell.missing": ("缺少值", "value is missing"),
    "ingest.example_row": (
        "示例行未删除：这是模板的示例行，请删除后再上传",
        "example row left in the file: this is the template's example row; delete it and upload again",
    ),
    # nightmap.ingest: zones by id or name
    "ingest.zone.label": ("{name}（{zone}）", "{name} ({zone})"),
    "ingest.zone.ambiguous": (
        "该名称对应多个片区，请改填片区编号",
        "this name belongs to more than one zone; give the zone id",
    ),
    "ingest.zone.unknown": ("未知的片区编号或名称", "unknown zone id or name"),
    "ingest.zone.did_you_mean": (
        "；是否为 {zone}？片区编号与名称见模板的“片区”工作表或“数据管理”页",
        "; did you mean {zone}? Zone ids and names are in the template's Zones sheet and on the Data page",
    ),
    "ingest.zone.accepted": (
        "；可填写片区编号、中文名或英文名：{zones}",
        "; give a zone id, Chinese or English name: {zones}",
    ),
    "ingest.zone.see_data_page": (
        "；片区编号与名称见“数据管理”页的片区列表",
        "; zone ids and names are listed on the Data page",
    ),
    # nightmap.schema: kinds of data
    "schema.kind.footfall": ("客流", "Footfall"),
    "schema.kind.sales": ("消费", "Sales"),
    "schema.kind.events": ("活动", "Events"),
    # nightmap.schema: reasons of the value checks (CHECK_REASONS)
    "schema.check.nonneg": ("不能为负数", "must not be negative"),
    "schema.check.max_visitors": (
        "数值过大，超出合理范围：每个片区每小时客流最多 {hi} 人次",
        "too large, out of the plausible range: at most {hi} visitors per zone and hour",
    ),
    "schema.check.max_spend_cny": (
        "数值过大，超出合理范围：每个片区每小时每个业态消费额最多 {hi} 元",
        "too large, out of the plausible range: at most {hi} yuan per zone, hour and category",
    ),
    "schema.check.max_orders": (
        "数值过大，超出合理范围：每个片区每小时每个业态订单数最多 {hi} 笔",
        "too large, out of the plausible range: at most {hi} orders per zone, hour and category",
    ),
    "schema.check.max_expected_visitors": (
        "数值过大，超出合理范围：活动预计客流最多 {hi} 人次",
        "too large, out of the plausible range: at most {hi} expected visitors per event",
    ),
    "schema.check.time_range": (
        "时间超出范围：应在 {lo} 至 {hi} 之间",
        "time out of range: must be between {lo} and {hi}",
    ),
    "schema.check.category": (
        "业态应为 eat / shop / play 或下列同义词之一（{words}）",
        "category must be eat, shop or play, or one of these words ({words})",
    ),
    "schema.check.category_words": ("{category}：{words}", "{category}: {words}"),
    "schema.check.event_kind": (
        "活动类型应为 ceremony/promotion/voucher/performance/market/other",
        "kind must be ceremony, promotion, voucher, performance, market or other",
    ),
    "schema.check.on_the_hour": ("时间应为整点（分、秒为0）", "time must be on the hour (minutes and seconds 0)"),
    "schema.check.end_after_start": ("结束时间应晚于开始时间", "end must be after start"),
    "schema.check.spend_without_orders": ("订单数为0时消费额应为0", "spend must be 0 when orders is 0"),
    "schema.check.duplicate_key": ("与文件中另一行的主键重复", "duplicates the key of another row in the file"),
}
