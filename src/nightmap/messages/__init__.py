"""Every user-facing string in Chinese and English, one module per part of the app.

Each module holds a ``STRINGS`` dict, key -> ``(zh, en)``; keys start with the
part they belong to (``overview.``, ``data.``, ``briefing.`` …). Add a new string
to the module of the page or layer that shows it; :mod:`nightmap.i18n` merges
them and looks them up with :func:`nightmap.i18n.t`. A key defined twice is an
error at import, so two parts cannot silently overwrite each other's words.

Modules: common, map_charts, overview, compare, events, data, auth, briefing,
``ingest`` (files coming in: reading and checking uploads and data files) and
``store`` (the store's and geo's refusals: batches, zone edits, zone shapes).
"""

from __future__ import annotations

from nightmap.messages import (
    auth,
    briefing,
    common,
    compare,
    data,
    events,
    ingest,
    map_charts,
    overview,
    store,
)

PARTS = (common, map_charts, overview, compare, events, data, auth, briefing, ingest, store)


def merged() -> dict[str, tuple[str, str]]:
    """All parts' strings in one dict.

    Raises
    ------
    ValueError
        When a key is defined in two parts.
    """
    out: dict[str, tuple[str, str]] = {}
    for part in PARTS:
        twice = sorted(set(out) & set(part.STRINGS))
        if twice:
            raise ValueError(f"strings defined twice ({part.__name__}): {', '.join(twice)}")
        out.update(part.STRINGS)
    return out
