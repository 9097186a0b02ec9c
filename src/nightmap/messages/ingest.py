"""Strings about files coming in: reading and checking uploads and data files, and the store's refusals.

Key -> (Chinese, English); :mod:`nightmap.i18n` looks them up. Used by
:mod:`nightmap.ingest`, :mod:`nightmap.schema`, :mod:`nightmap.store` and
:mod:`nightmap.geo` for the messages they raise.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
}
