"""The store's messages in both languages, built from :mod:`nightmap.messages.store` through :mod:`nightmap.i18n`.

A :class:`~nightmap.errors.StoreError` carries one text, Chinese then English
(``"中文 / English"``); a :class:`~nightmap.errors.Problem` carries the two
separately. Both are made here from one message key, so the store's modules
hold no inline translations.
"""

from __future__ import annotations

from collections.abc import Mapping

from nightmap import i18n
from nightmap.errors import Problem


def both(key: str, *, zh: Mapping[str, object] | None = None, en: Mapping[str, object] | None = None,
         **kwargs: object) -> str:
    """The message ``key`` as ``"中文 / English"``.

    Parameters
    ----------
    key
        A key of :mod:`nightmap.messages.store` (``store.…``).
    zh, en
        Values of placeholders that differ between the languages (e.g. a list
        joined with ``/`` in Chinese and ``, `` in English).
    **kwargs
        Values of the placeholders, the same in both languages.
    """
    return i18n.t(key, "zh", **kwargs, **(zh or {})) + " / " + i18n.t(key, "en", **kwargs, **(en or {}))


def problem(file: str, row: int, column: str, value: str, key: str, *, zh: Mapping[str, object] | None = None,
            en: Mapping[str, object] | None = None, **kwargs: object) -> Problem:
    """A :class:`~nightmap.errors.Problem` whose reasons are the message ``key`` in Chinese and English.

    ``zh``, ``en`` and ``kwargs`` fill the placeholders as in :func:`both`.
    """
    return Problem(file, row, column, value, i18n.t(key, "zh", **kwargs, **(zh or {})),
                   i18n.t(key, "en", **kwargs, **(en or {})))
