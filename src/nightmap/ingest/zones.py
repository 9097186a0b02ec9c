"""Zones named by id, Chinese or English name: :class:`ZoneLookup`, :func:`zone_aliases`, :func:`zone_key`.

A file's zone column may hold a zone's id, its Chinese or its English name, in
any case and spacing (:func:`zone_key`); :class:`ZoneLookup` turns them into ids
and, for a cell naming no zone, says why, with a close match or the accepted names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

import pandas as pd

from nightmap import i18n
from nightmap.ingest import limits
from nightmap.ingest.problems import Problems

ZONE_LIST_MAX = 20
"""Up to this many zones, a problem with an unknown zone (and no close match) lists every accepted name."""


def zone_key(text: object) -> str:
    """How a zone id or name is compared: NFKC, case-folded, without spaces or punctuation (``_`` kept).

    ``Xin’an Road  Pedestrian Street`` and ``xin'an road pedestrian street`` have the same key.
    """
    return re.sub(r"[^\w]", "", unicodedata.normalize("NFKC", str(text)).casefold())


def zone_aliases(zones: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Zone id → its other accepted names (Chinese, English), from a zones table.

    Parameters
    ----------
    zones
        A frame with ``zone_id`` and, when known, ``name_zh`` and ``name_en`` (the store's
        ``zones`` table, or :func:`nightmap.geo.load_zones`).

    Returns
    -------
    dict
        For :func:`~nightmap.ingest.parse.parse_file`'s ``known_zones``: files may then name a zone
        by id, Chinese or English name.
    """
    out: dict[str, tuple[str, ...]] = {}
    for row in zones.itertuples(index=False):
        names = (getattr(row, "name_zh", None), getattr(row, "name_en", None))
        out[str(row.zone_id)] = tuple(str(n) for n in names if isinstance(n, str) and n.strip())
    return out


class ZoneLookup:
    """Turns what a file writes in a zone column (id, Chinese or English name) into a zone id.

    An exact id wins; then the :func:`zone_key` of an id (``XINAN_ROAD``); then a name's key.
    A name two zones share is ambiguous and matches neither.

    Parameters
    ----------
    known_zones
        Zone ids, or a mapping zone id → names (:func:`zone_aliases`).
    """

    def __init__(self, known_zones: Collection[str] | Mapping[str, Sequence[str]]) -> None:
        aliases: Mapping[str, Sequence[str]] = (
            known_zones if isinstance(known_zones, Mapping) else dict.fromkeys(known_zones, ())
        )
        self.ids: tuple[str, ...] = tuple(str(z) for z in aliases)
        self.names: dict[str, tuple[str, ...]] = {str(z): tuple(aliases[z]) for z in aliases}
        self._exact = set(self.ids)
        by_id = {zone_key(z): z for z in self.ids}
        by_name: dict[str, set[str]] = {}
        for zone, names in self.names.items():
            for name in names:
                by_name.setdefault(zone_key(name), set()).add(zone)
        self._keys: dict[str, str | None] = {
            k: (next(iter(zs)) if len(zs) == 1 else None) for k, zs in by_name.items() if k
        }
        self._keys.update(by_id)

    def resolve(self, text: str) -> str | None:
        """The zone id ``text`` names, or ``None`` (unknown, or a name two zones share)."""
        if text in self._exact:
            return text
        return self._keys.get(zone_key(text))

    def label(self, zone: str, lang: str) -> str:
        """``新安路步行街（xinan_road）`` / ``Xin'an Road Pedestrian Street (xinan_road)``."""
        names = self.names.get(zone, ())
        name = (names[1] if lang == "en" and len(names) > 1 else names[0]) if names else ""
        if not name:
            return zone
        return i18n.t("ingest.zone.label", lang, name=name, zone=zone)

    def suggestion(self, text: str) -> str | None:
        """The zone whose id or name is closest to ``text`` (difflib), or ``None``."""
        key = zone_key(text)
        found = difflib.get_close_matches(key, [k for k, z in self._keys.items() if z], n=1, cutoff=0.6)
        return self._keys[found[0]] if found else None

    def reason(self, text: str) -> tuple[str, str]:
        """Why ``text`` is not a zone, in Chinese and English: a close match if there is one, else the
        accepted names (up to :data:`ZONE_LIST_MAX` zones; with more, where they are listed)."""
        key = zone_key(text)
        what = "ingest.zone.ambiguous" if key in self._keys and self._keys[key] is None else "ingest.zone.unknown"
        close = self.suggestion(text)
        out: list[str] = []
        for lang, sep in (("zh", "、"), ("en", "; ")):
            if close:
                more = i18n.t("ingest.zone.did_you_mean", lang, zone=self.label(close, lang))
            elif len(self.ids) <= ZONE_LIST_MAX:
                more = i18n.t("ingest.zone.accepted", lang, zones=sep.join(self.label(z, lang) for z in self.ids))
            else:
                more = i18n.t("ingest.zone.see_data_page", lang)
            out.append(i18n.t(what, lang) + more)
        zh, en = out
        return zh, en


def resolve_zones(
    frame: pd.DataFrame, known_zones: Collection[str] | Mapping[str, Sequence[str]], header: str,
    raw: pd.Series, problems: Problems,
) -> None:
    """Replace zone names in ``frame["zone_id"]`` by ids; one problem per row naming no known zone."""
    lookup = ZoneLookup(known_zones)
    values = frame["zone_id"]
    present = values.notna()
    mapping = {v: lookup.resolve(str(v)) for v in pd.unique(values[present])}
    frame["zone_id"] = values.map(mapping).where(present, None)
    unknown = [v for v, z in mapping.items() if z is None]
    if not unknown:
        return
    bad = values[values.isin(unknown)]
    groups = sorted(bad.groupby(bad, sort=False).groups.items(), key=lambda item: int(item[1].min()))
    budget = limits.MAX_PROBLEMS  # rows listed in all; the rest are counted (and their reasons never worked out)
    for value, rows in groups:
        listed = rows.sort_values()[:budget]
        if len(listed):
            problems.cells(listed, header, raw, *lookup.reason(str(value)))
        problems.unlisted += len(rows) - len(listed)
        budget -= len(listed)
