"""Files for upload: blank templates to fill in, and the upload size limit.

Templates are what the bureau hands to a telecom operator, a payment provider
or its own staff: one sheet (or CSV) per kind with the contract's columns —
headers in Chinese (the first Chinese alias of each column in
:mod:`nightmap.schema`) or English (the contract names) — and one example row,
marked ``【示例·请删除本行】`` so it is never taken for data (an upload that keeps
it is refused). XLSX templates have a second sheet listing every zone's id,
Chinese and English name; a zone column accepts any of them.
Both header styles are read back by :func:`nightmap.ingest.parse_file`. Files
are written formula-safe by :mod:`nightmap.export`.

The size limit is checked here too (not only by Streamlit's
``server.maxUploadSize``), so the CLI and tests apply the same rule:
``NIGHTMAP_MAX_UPLOAD_MB`` (default 50).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pandas as pd

from nightmap import export
from nightmap.errors import Problem, ValidationError
from nightmap.i18n import t
from nightmap.schema import KIND_LABELS, TABLES

DEFAULT_MAX_UPLOAD_MB = 50
"""Upload limit in MB (10^6 bytes, as Streamlit counts) when ``NIGHTMAP_MAX_UPLOAD_MB`` is not set."""

HEADER_LANGS: tuple[str, ...] = ("zh", "en")
FORMATS: tuple[str, ...] = ("xlsx", "csv")

EXAMPLE_MARKS: dict[str, str] = {"zh": "【示例·请删除本行】", "en": "[EXAMPLE - delete this row] "}
"""Written before the first cell and the zone of a template's example row; an upload that still has it is
refused (:data:`nightmap.ingest.EXAMPLE_MARK`)."""
EXAMPLE_ZONE: dict[str, str] = {"zh": "新安路步行街", "en": "xinan_road"}
"""The example row's zone: the Chinese name in Chinese templates (names are accepted), the id in English ones."""
ZONE_SHEET = "片区 Zones"
"""The XLSX templates' second sheet: every zone's id, Chinese and English name."""

EXAMPLE_ROWS: dict[str, dict[str, object]] = {
    "footfall": {"zone_id": "xinan_road", "ts": "2022-06-17 20:00", "visitors": 1520},
    "sales": {"zone_id": "xinan_road", "ts": "2022-06-17 20:00", "category": "eat", "spend_cny": 18650.5,
              "orders": 412},
    "events": {
        "event_id": "ev-20220617-launch", "zone_id": "xinan_road", "start": "2022-06-17 19:30",
        "end": "2022-06-17 21:30", "category": "play", "kind": "ceremony", "title_zh": "活动启动仪式",
        "title_en": "Campaign launch ceremony", "expected_visitors": 5000, "simulated": "false",
    },
}
"""One plausible row per kind, written as a person would type it in Excel (marked as an example in templates)."""


def template_headers(kind: str, lang: str = "zh") -> list[str]:
    """The header row of a template: the first Chinese alias of each column, or the contract names.

    Parameters
    ----------
    kind
        ``footfall``, ``sales`` or ``events``.
    lang
        ``"zh"`` for Chinese headers, ``"en"`` for the contract's English names.
    """
    spec = TABLES[kind]
    if lang == "en":
        return list(spec.names)
    return [c.zh[0] if c.zh else c.name for c in spec.columns]


def template_frame(kind: str, lang: str = "zh") -> pd.DataFrame:
    """The template as a one-row frame (the example row) under :func:`template_headers`.

    The example row's first cell and its zone start with :data:`EXAMPLE_MARKS` (``【示例·请删除本行】``),
    so it cannot pass for data: :func:`nightmap.ingest.parse_file` refuses a file that still has it.
    """
    if kind not in TABLES:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(TABLES)}")
    example = {**EXAMPLE_ROWS[kind], "zone_id": EXAMPLE_ZONE.get(lang, EXAMPLE_ZONE["en"])}
    spec = TABLES[kind]
    mark = EXAMPLE_MARKS.get(lang, EXAMPLE_MARKS["en"])
    marked = {spec.names[0], "zone_id"}
    row = [f"{mark}{example.get(name, '')}" if name in marked else example.get(name, "") for name in spec.names]
    return pd.DataFrame([row], columns=template_headers(kind, lang))


def zone_table(zones: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Every zone's id, Chinese and English name, under headers in ``lang`` (the Data page, the XLSX sheet).

    Parameters
    ----------
    zones
        A frame with ``zone_id``, ``name_zh`` and ``name_en`` (the store's zones, or :func:`nightmap.geo.load_zones`).
    lang
        Header language.
    """
    return pd.DataFrame({
        t("zones.col.id", lang): zones["zone_id"].astype(str).tolist(),
        t("zones.col.name_zh", lang): zones["name_zh"].fillna("").astype(str).tolist(),
        t("zones.col.name_en", lang): zones["name_en"].fillna("").astype(str).tolist(),
    })


def zone_list_bytes(zones: pd.DataFrame, lang: str = "zh") -> bytes:
    """:func:`zone_table` as CSV (UTF-8 with BOM): the list to keep beside a CSV template."""
    return export.to_csv_bytes(zone_table(zones, lang))


def _bundled_zones() -> pd.DataFrame:
    """The bundled ``zones.geojson`` without geometry (for templates made without the store's zones)."""
    from nightmap import geo  # geopandas only when no zones are given

    return pd.DataFrame(geo.load_zones().drop(columns="geometry"))


def template_file_name(kind: str, lang: str, fmt: str) -> str:
    """A file name such as ``nightmap_客流_模板.xlsx`` or ``nightmap_footfall_template.csv``."""
    zh, en = KIND_LABELS[kind]
    stem = f"nightmap_{zh}_模板" if lang == "zh" else f"nightmap_{kind}_template"
    return f"{stem}.{fmt}"


def template_bytes(kind: str, *, lang: str = "zh", fmt: str = "xlsx", zones: pd.DataFrame | None = None) -> bytes:
    """The template file's bytes.

    Parameters
    ----------
    kind
        ``footfall``, ``sales`` or ``events``.
    lang
        Header language, ``"zh"`` or ``"en"``.
    fmt
        ``"xlsx"`` (the data sheet named after the kind, then the sheet :data:`ZONE_SHEET` listing every
        zone's id and names — uploads read only the first sheet) or ``"csv"`` (the data alone, UTF-8 with
        BOM, which Excel on Chinese Windows opens correctly; the zone list is :func:`zone_list_bytes`).
    zones
        The zones to list (``zone_id``, ``name_zh``, ``name_en``); default the bundled ``zones.geojson``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    frame = template_frame(kind, lang)
    if fmt == "csv":
        return export.to_csv_bytes(frame)
    sheet = KIND_LABELS[kind][0 if lang == "zh" else 1]
    listed = zone_table(_bundled_zones() if zones is None else zones, lang)
    return export.to_xlsx_bytes({sheet: frame, ZONE_SHEET: listed})


# --------------------------------------------------------------------------- upload limit


def max_upload_mb(environ: Mapping[str, str] | None = None) -> float:
    """The upload limit in MB: ``NIGHTMAP_MAX_UPLOAD_MB`` when it is a positive number, else 50."""
    env = os.environ if environ is None else environ
    raw = str(env.get("NIGHTMAP_MAX_UPLOAD_MB", "")).strip()
    try:
        value = float(raw)
    except ValueError:
        return float(DEFAULT_MAX_UPLOAD_MB)
    return value if value > 0 else float(DEFAULT_MAX_UPLOAD_MB)


def check_upload_size(size: int, *, file_name: str, limit_mb: float | None = None) -> None:
    """Refuse a file larger than the limit, before it is read.

    Parameters
    ----------
    size
        The file's size in bytes.
    file_name
        Shown in the message.
    limit_mb
        The limit in MB (10^6 bytes); default :func:`max_upload_mb`.

    Raises
    ------
    ValidationError
        With one bilingual problem naming the size and the limit.
    """
    limit = max_upload_mb() if limit_mb is None else float(limit_mb)
    if size > limit * 1_000_000:
        got = size / 1_000_000
        raise ValidationError([
            Problem(file_name, 0, "", f"{got:,.1f} MB",
                    f"文件过大（{got:,.1f} MB），上限为 {limit:g} MB；请拆分成多个文件后再上传",
                    f"the file is too large ({got:,.1f} MB); the limit is {limit:g} MB — split it into "
                    "smaller files"),
        ])
