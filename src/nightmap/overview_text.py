"""What the overview writes beside its figures: KPI deltas, baseline basis, category note, attention reasons.

Plain functions of the numbers from :mod:`nightmap.metrics`, so the page only lays
them out and the tests can check every word. Every string comes from
:mod:`nightmap.i18n`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nightmap.i18n import fmt_date, fmt_pct, pct_sign, t
from nightmap.metrics import Attention, BasisSummary, ZoneAttention
from nightmap.schema import CATEGORIES

BASIS_DATES_SHOWN = 7
"""At most this many baseline nights are listed by date; more are counted."""


@dataclass(frozen=True)
class KpiDelta:
    """A KPI's change vs baseline as ``st.metric`` takes it."""

    text: str | None
    """``+5.1% 较基线``; None without a baseline."""
    colour: str
    """``normal`` (red/green by sign), or ``off`` (grey) for a change that rounds to 0."""
    arrow: str
    """``auto``, or ``off`` for a change that rounds to 0 (no arrow)."""
    note: str | None
    """The caveat beside the change: ``基于1个同星期基线夜`` when every night rests on one."""


def kpi_delta(pct: float | None, lang: str, basis: BasisSummary | None = None) -> KpiDelta:
    """The change of a KPI vs baseline, rounded to what is shown before its sign and colour are chosen.

    Parameters
    ----------
    pct
        The change in percent (NaN or None: no baseline).
    lang
        ``"zh"`` or ``"en"``.
    basis
        The view's :func:`nightmap.metrics.basis_summary`; when every night of the view
        rests on a single same-weekday baseline night the delta carries that caveat.

    Returns
    -------
    KpiDelta
        ``-0.04`` gives ``±0.0% 较基线`` in grey with no arrow.
    """
    if pct is None or pct != pct:
        return KpiDelta(None, "normal", "auto", None)
    neutral = pct_sign(pct) == ""
    text = t("kpi.delta_vs_baseline", lang, pct=fmt_pct(pct, lang))
    note = None
    if basis is not None and basis.single and len(basis.single) == basis.nights:
        note = t("kpi.one_night_note", lang)
    return KpiDelta(text, "off" if neutral else "normal", "off" if neutral else "auto", note)


def _dates(days: Sequence, lang: str) -> str:
    sep = "、" if lang != "en" else ", "
    shown = sep.join(fmt_date(d, lang, year=False) for d in list(days)[:BASIS_DATES_SHOWN])
    return shown + ("…" if len(days) > BASIS_DATES_SHOWN else "")


def basis_text(basis: BasisSummary, lang: str) -> str:
    """How many baseline nights the view's baseline rests on, for the KPI help.

    Parameters
    ----------
    basis
        :func:`nightmap.metrics.basis_summary` of the view.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        E.g. ``本视图的基线依据1个活动前夜晚（6月10日），每晚依据1个同星期几的基线夜。``
    """
    if not basis.used:
        return t("kpi.basis_none", lang)
    key = "kpi.basis" if basis.fewest == basis.most else "kpi.basis_range"
    return t(key, lang, n=len(basis.used), dates=_dates(basis.used, lang), lo=basis.fewest, hi=basis.most)


def single_night_caveat(basis: BasisSummary, lang: str) -> str | None:
    """The caveat shown under the KPIs when some or all nights rest on one same-weekday baseline night.

    Returns
    -------
    str or None
        None when every night rests on two or more (or none has a baseline).
    """
    if not basis.single:
        return None
    used = sorted({b for b in basis.used if any(b.weekday() == n.weekday() for n in basis.single)})
    if len(basis.single) == basis.nights:
        return t("kpi.basis_single_all", lang, dates=_dates(used, lang))
    return t("kpi.basis_single", lang, k=len(basis.single), dates=_dates(used, lang))


def kpi_help(basis: BasisSummary, lang: str, *, extra: str | None = None) -> str:
    """A KPI's help: what the baseline is and, for this view, how many nights it rests on.

    Parameters
    ----------
    basis
        :func:`nightmap.metrics.basis_summary` of the view.
    lang
        ``"zh"`` or ``"en"``.
    extra
        Said first (what the KPI is, e.g. 人均消费 = 消费额 ÷ 客流).
    """
    parts = [extra, t("baseline.help", lang), basis_text(basis, lang), single_night_caveat(basis, lang)]
    return "\n\n".join(p for p in parts if p)


def category_note(categories: Sequence[str], lang: str) -> str | None:
    """What visitors mean under a category filter (footfall is not split by kind), or None for all kinds.

    Parameters
    ----------
    categories
        The view's categories.
    lang
        ``"zh"`` or ``"en"``.
    """
    if set(categories) >= set(CATEGORIES):
        return None
    return t("kpi.visitors_by_category", lang)


def reason_text(item: Attention, lang: str) -> str:
    """One reason a zone is listed: ``消费额较基线 +6.8%`` or ``6月17日 仅为基线的 69%``."""
    if item.reason == "low_night" and item.night is not None:
        return t("overview.low_night", lang, night=fmt_date(item.night, lang, year=False), pct=f"{item.value:.0f}%")
    return t("overview.lagging", lang, metric=t("metric.spend", lang), pct=fmt_pct(item.value, lang))


def attention_label(group: ZoneAttention, name: str, lang: str) -> str:
    """A zone's button text: its name, every reason it is on this list, and why it is on the other one too.

    One line each (Markdown hard line breaks), short enough not to be cut off in a
    half-width button on a 1366-pixel laptop screen.

    Parameters
    ----------
    group
        The zone from :func:`nightmap.metrics.by_zone`.
    name
        The zone's name (already escaped for Markdown if need be).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        E.g. ``**百货大楼**`` / ``消费额较基线 +6.8%`` / ``6月17日 仅为基线的 69%``, or for a zone to
        watch that is also a best performer, a last line ``整个时段表现突出：消费额较基线 +65.5%``
        (and on the best list, ``但6月21日 仅为基线的 69%（见需关注片区）``).
    """
    lines = [f"**{name}**", *(reason_text(r, lang) for r in group.reasons)]
    if group.other:
        sep = "；" if lang != "en" else "; "
        others = sep.join(reason_text(r, lang) for r in group.other)
        on_best = all(r.reason == "best" for r in group.other)
        lines.append(t("overview.also_best" if on_best else "overview.but_also", lang, reasons=others))
    return "  \n".join(lines)
