"""The daily briefing's words: one view's numbers as sentences and tables (see :mod:`nightmap.briefing`).

Every function reads a :class:`nightmap.briefing.Content` — numbers already
computed by the package functions the overview uses — and writes them with the
overview's formatters (:mod:`nightmap.i18n`): counts as on the KPI cards, money
in 元, dates as Jiaozuo people write them (2022年6月17日). A change is rounded to
one decimal before it is called a rise (增长), a fall (下降) or no change (持平).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

import nightmap.map as nmap
from nightmap import event_effects, metrics, tables
from nightmap.briefing_docx import Table
from nightmap.filters import Filter
from nightmap.i18n import fmt_date, fmt_hour, fmt_int, fmt_money, fmt_pct, fmt_when, pct_sign, t

if TYPE_CHECKING:
    from nightmap.briefing import Content

FEW_BASELINE_NIGHTS = 3
"""Below this many baseline nights a night's comparison is said to rest on few nights."""
RANK_SHOWN = 5
"""Zones shown at each end of the ranking table when there are more than twice as many."""
EVENTS_SHOWN = 30
"""Events listed in the table; the rest are counted."""
KPIS: tuple[tuple[str, str, int], ...] = (
    ("visitors", "unit.people", 0), ("spend", "unit.yuan", 0), ("orders", "unit.orders", 0),
    ("spend_per_visitor", "unit.yuan_per_person", 1), ("spend_per_order", "unit.yuan_per_order", 1),
)
"""The overview's five KPIs: key, unit, decimals in the table (人均消费 = spend ÷ visitors, 客单价 = spend ÷ orders)."""


def previous_range(flt: Filter) -> tuple[dt.date, dt.date]:
    """The nights just before the view's, as many as it has (the night before, for one night)."""
    n = len(flt.nights)
    return flt.start - dt.timedelta(days=n), flt.start - dt.timedelta(days=1)


def title_lines(lang: str) -> list[str]:
    """The title, in Chinese on two lines after 活动 (it is too long for one line of 二号 type)."""
    title = t("briefing.title", lang)
    head, sep, tail = title.partition("活动")
    return [head + sep, tail] if lang != "en" and tail else [title]


def _weekday(day: dt.date, lang: str) -> str:
    return day.strftime("%A") if lang == "en" else "星期" + "一二三四五六日"[day.weekday()]


def long_date(day: dt.date, lang: str, *, year: bool = True) -> str:
    if lang == "en":
        return f"{day.day} {day:%B}" + (f" {day.year}" if year else "")
    return fmt_date(day, lang, year=year)


def date_line(start: dt.date, end: dt.date, lang: str) -> str:
    """``2022年6月17日（星期五）``, or a range ``2022年6月17日（星期五）至6月23日（星期四）``."""
    if start == end:
        return t("briefing.date_one", lang, date=long_date(start, lang), weekday=_weekday(start, lang))
    return t("briefing.date_range", lang, start=long_date(start, lang),
             end=long_date(end, lang, year=lang == "en" or start.year != end.year), wd0=_weekday(start, lang),
             wd1=_weekday(end, lang))


def span(start: dt.date, end: dt.date, lang: str) -> str:
    """The nights in a sentence: ``6月17日`` / ``6月17日至23日`` / ``17 June`` / ``17–23 June``."""
    if start == end:
        return long_date(start, lang, year=False)
    if lang == "en":
        first = f"{start.day}" if start.month == end.month else long_date(start, lang, year=False)
        return f"{first}–{long_date(end, lang, year=False)}"
    last = f"{end.day}日" if start.month == end.month else fmt_date(end, lang, year=False)
    return f"{fmt_date(start, lang, year=False)}至{last}"


def _when(flt: Filter, lang: str, *, capital: bool = True) -> str:
    if flt.start == flt.end:
        text = t("briefing.when_one", lang, date=span(flt.start, flt.end, lang))
    else:
        text = t("briefing.when_range", lang, start=long_date(flt.start, lang, year=False),
                 end=long_date(flt.end, lang, year=False))
    return text if capital or lang != "en" else text[0].lower() + text[1:]


def change(pct: float | None, lang: str) -> str | None:
    """增长12.3% / 下降4.0% / 持平 (``up`` / ``down`` / ``unchanged``), rounded to 0.1 first; None without a value."""
    if pct is None or pct != pct:
        return None
    sign = pct_sign(pct)  # the overview's rule: the sign of the value as shown
    if not sign:
        return t("briefing.flat", lang)
    return t(f"briefing.{sign}", lang, pct=f"{abs(float(pct)):.1f}%")


def _pct(now: float, before: float) -> float:
    return (now / before - 1.0) * 100.0 if before and before == before and now == now else float("nan")


def _kpi_text(key: str, value: float, lang: str) -> str:
    """A KPI written as on the overview's cards."""
    if key == "visitors":
        return fmt_int(value, lang) + (" " if lang == "en" else "") + t("unit.people", lang)
    if key == "spend":
        return fmt_money(value, lang, short=True)
    if key in ("spend_per_visitor", "spend_per_order"):
        return fmt_money(value, lang, decimals=1)
    return fmt_int(value, lang)


def _comparisons(c: Content, key: str) -> str:
    lang = c.lang
    base = change(c.totals.get(f"uplift_{key}"), lang)
    parts = [t("briefing.vs_base", lang, change=base) if base else t("briefing.no_base", lang)]
    if c.previous is not None:
        prev = change(_pct(c.totals[key], c.previous[key]), lang)
        n = len(c.flt.nights)
        if prev:
            parts.append(t("briefing.vs_prev_one", lang, change=prev) if n == 1
                         else t("briefing.vs_prev_range", lang, n=n, change=prev))
    return t("briefing.and", lang).join(parts)


def _zones_phrase(c: Content) -> str:
    n = len(c.summary)
    key = "briefing.zones_all" if n == len(c.zones) and not c.flt.zones else "briefing.zones_some"
    return t(key, c.lang, n=n)


def headline(c: Content) -> list[str]:
    """Section 1's sentences: scope, headline figures with their changes, and what the baseline rests on."""
    lang, flt = c.lang, c.flt
    h0, h1 = flt.hours[0], flt.hours[1] % 24
    end = fmt_hour(h1) if h1 > h0 else t("filter.next_day_hour", lang, hour=fmt_hour(h1))
    sep = "、" if lang != "en" else ", "
    scope = t("briefing.scope", lang, when=span(flt.start, flt.end, lang), h0=fmt_hour(h0), h1=end,
              zones=_zones_phrase(c), cats=sep.join(t(f"cat.{x}", lang) for x in flt.categories))
    if c.totals.get("visitors") != c.totals.get("visitors"):
        return [scope, t("briefing.no_data", lang)]
    figures = t("briefing.headline", lang, when=_when(flt, lang), zones=_zones_phrase(c),
                visitors=_kpi_text("visitors", c.totals["visitors"], lang), v=_comparisons(c, "visitors"),
                spend=_kpi_text("spend", c.totals["spend"], lang), s=_comparisons(c, "spend"),
                spv=_kpi_text("spend_per_visitor", c.totals["spend_per_visitor"], lang),
                p=_comparisons(c, "spend_per_visitor"))
    return [scope, figures, basis_text(c.basis, lang)]


def basis_text(basis: dict[dt.date, list[dt.date]], lang: str) -> str:
    """What the baseline rests on, said plainly when it is few nights (:data:`FEW_BASELINE_NIGHTS`)."""
    counts = [len(v) for v in basis.values() if v]
    if not counts:
        return t("briefing.basis_none", lang)
    used = sorted({d for v in basis.values() for d in v})
    dates = (("、" if lang != "en" else ", ").join(long_date(d, lang, year=False) for d in used)
             if len(used) <= 7 else t("briefing.basis_count", lang, n=len(used)))
    if max(counts) < FEW_BASELINE_NIGHTS:
        lo, hi = min(counts), max(counts)
        n = str(lo) if lo == hi else f"{lo}—{hi}" if lang != "en" else f"{lo}–{hi}"
        return t("briefing.basis_few", lang, n=n, dates=dates)
    return t("briefing.basis", lang, n=len(used), dates=dates)


def kpi_table(c: Content) -> Table:
    """The five KPIs: this period, baseline, change, the period before and the change on it."""
    lang = c.lang
    p0, p1 = previous_range(c.flt)
    header = [t("briefing.col.indicator", lang), t("briefing.col.value", lang), t("briefing.col.baseline", lang),
              t("briefing.col.vs_base", lang), t("briefing.col.prev", lang, when=span(p0, p1, lang)),
              t("briefing.col.vs_prev", lang)]
    rows = []
    for key, unit, decimals in KPIS:
        label = t(f"kpi.{key}", lang) + (f" ({t(unit, lang)})" if lang == "en" else f"（{t(unit, lang)}）")
        prev = c.previous[key] if c.previous is not None else float("nan")

        def num(v: float, decimals: int = decimals) -> str:
            return "—" if v != v else f"{v:,.{decimals}f}"

        rows.append([label, num(c.totals[key]), num(c.totals[f"base_{key}"]), fmt_pct(c.totals[f"uplift_{key}"]),
                     num(prev), fmt_pct(_pct(c.totals[key], prev))])
    return Table(t("briefing.table_kpi", lang), header, rows, numeric={1, 2, 3, 4, 5})


def ranking(c: Content) -> list[str | Table]:
    """Section 3: the ranking sentence and table, the zones to watch with their reasons, the best ones."""
    lang, metric = c.lang, c.metric
    names = tables.zone_names(c.zones, lang)
    ranked = metrics.ranking(c.summary, metric).dropna(subset=["value"])
    label = nmap.metric_title(metric, lang).split("（")[0].split(" (")[0]
    label = label[0].lower() + label[1:] if lang == "en" else label
    blocks: list[str | Table] = []
    if len(ranked):
        top = ranked.head(3)
        sep = "、" if lang != "en" else ", "
        items = sep.join(f"{names.get(z, z)}" + (f"（{nmap.format_value(v, metric, lang)}）" if lang != "en"
                                                    else f" ({nmap.format_value(v, metric, lang)})")
                         for z, v in zip(top["zone_id"], top["value"], strict=True))
        last = ranked.iloc[-1]
        bottom = names.get(last["zone_id"], last["zone_id"]) + (
            f"（{nmap.format_value(last['value'], metric, lang)}）" if lang != "en"
            else f" ({nmap.format_value(last['value'], metric, lang)})")
        blocks.append(t("briefing.rank_intro", lang, metric=label, k=len(top), top=items, bottom=bottom))
    frame = tables.ranking_table(c.summary, c.zones, metric, lang)
    cut = len(frame) > 2 * RANK_SHOWN
    shown = pd.concat([frame.head(RANK_SHOWN), frame.tail(RANK_SHOWN)]) if cut else frame
    decimals = 1 if metric == "spend_per_visitor" else 0
    rows = [_ranking_row(r, decimals) for r in shown.itertuples(index=False)]
    if cut:
        rows.insert(RANK_SHOWN, ["…"] * len(frame.columns))
    caption = (t("briefing.rank_caption_cut", lang, metric=label, n=RANK_SHOWN) if cut
               else t("briefing.rank_caption", lang, metric=label))
    blocks.append(Table(caption, list(frame.columns), rows, numeric={0, 3, 4, 5}))
    blocks += attention_lines(c, names)
    return blocks


def _ranking_row(row: tuple, decimals: int) -> list[str]:
    rank, zone, kind, value, base, pct = row

    def num(v: float) -> str:
        return "—" if v != v else f"{v:,.{decimals}f}"

    return [str(rank), str(zone), str(kind), num(value), num(base), fmt_pct(pct)]


def attention_lines(c: Content, names: dict[str, str]) -> list[str]:
    """Each zone to watch with every reason (:func:`nightmap.metrics.attention`), then the best performers.

    A zone is numbered once, with all its reasons; one that is also a best performer says so.
    """
    lang = c.lang
    groups = metrics.by_zone(c.lagging, c.best)
    if not groups:
        lines = [t("briefing.attention_none", lang)]
    else:
        lines = [t("briefing.attention_head", lang, n=len(groups))]
        for i, group in enumerate(groups, start=1):
            zone = names.get(group.zone_id, group.zone_id)
            reasons = []
            for item in group.reasons:
                if item.reason == "low_night" and item.night is not None:
                    reasons.append(t("briefing.reason.low_night", lang, night=long_date(item.night, lang, year=False),
                                     pct=f"{item.value:.0f}%"))
                else:
                    reasons.append(t("briefing.reason.lagging", lang,
                                     change=t("briefing.vs_base", lang, change=change(item.value, lang))))
            reasons += [t("briefing.reason.also_best", lang,
                          change=t("briefing.vs_base", lang, change=change(b.value, lang))) for b in group.other]
            text = t("briefing.zone_reasons", lang, zone=zone, reasons=t("briefing.reason_sep", lang).join(reasons))
            lines.append(f"{i}. {text}" if lang == "en" else f"（{i}）{text}")
    if c.best:
        sep = "；" if lang != "en" else "; "
        spend = t("metric.spend", lang)
        items = sep.join(
            f"{names.get(b.zone_id, b.zone_id)}"
            + (f"（{spend}{t('briefing.vs_base', lang, change=change(b.value, lang))}）" if lang != "en"
               else f" ({spend.lower()} {t('briefing.vs_base', lang, change=change(b.value, lang))})")
            for b in c.best)
        lines.append(t("briefing.best", lang, items=items))
    return lines


def events(c: Content) -> list[str | Table]:
    """Section 4: how many events, a sentence for each ceremony and the strongest effects, the table."""
    lang = c.lang
    if c.effects.empty:
        return [t("briefing.events_none", lang)]
    names = tables.zone_names(c.zones, lang)
    title_col = "title_en" if lang == "en" else "title_zh"
    fx = event_effects.rank_for_display(c.effects)  # ceremony first, then reported events, then the rest
    fx["verdict_v"] = event_effects.verdicts(fx, "visitors")
    blocks: list[str | Table] = [t("briefing.events_intro", lang, when=_when(c.flt, lang, capital=False), n=len(fx))]
    strong = fx[(fx["kind"] != "ceremony") & fx["z_visitors"].notna()].nlargest(3, "z_visitors")
    for row in pd.concat([fx[fx["kind"] == "ceremony"], strong]).itertuples():
        verdict = t(f"events.verdict.{row.verdict_v}", lang)
        blocks.append(t(
            "briefing.event_line", lang, title=getattr(row, title_col), zone=names.get(row.zone_id, row.zone_id),
            time=fmt_when(row.start, row.end, lang), verdict=verdict if lang != "en" else verdict.lower(),
            v=_vs_ordinary(row.pct_visitors, lang), s=_vs_ordinary(row.pct_spend, lang)))
    header = [t("col.event", lang), t("col.zone", lang), t("col.time", lang), t("briefing.col.v_change", lang),
              t("briefing.col.s_change", lang), t("briefing.col.verdict", lang)]
    rows = [[str(getattr(r, title_col)), names.get(r.zone_id, r.zone_id), fmt_when(r.start, r.end, lang),
             fmt_pct(r.pct_visitors), fmt_pct(r.pct_spend),
             t(f"events.verdict.{r.verdict_v}", lang)]
            for r in fx.head(EVENTS_SHOWN).itertuples()]
    blocks.append(Table(t("briefing.events_caption", lang), header, rows, numeric={3, 4}))
    if len(fx) > EVENTS_SHOWN:
        blocks.append(t("briefing.events_more", lang, n=len(fx) - EVENTS_SHOWN))
    return blocks


def _vs_ordinary(pct: float, lang: str) -> str:
    words = change(pct, lang)
    return t("briefing.vs_ordinary", lang, change=words) if words else t("events.verdict.no_data", lang)


def data_note(c: Content) -> list[str]:
    """Section 5: simulated or real (said plainly), the source, freshness, the rules, when it was made."""
    lang = c.lang
    lines = [t(f"briefing.{c.status}", lang)]
    if c.status != "real" and "seed" in c.source:
        lines.append(t("briefing.source_sim", lang, seed=c.source["seed"]))
    latest = {r.kind: (long_date(r.latest_night, lang) if r.latest_night else "—") for r in c.fresh.itertuples()}
    lines.append(t("briefing.fresh", lang, footfall=latest.get("footfall", "—"), sales=latest.get("sales", "—"),
                   events=latest.get("events", "—")))
    if c.last_batch:
        at = pd.Timestamp(c.last_batch["created_at"])
        lines.append(t("briefing.last_batch", lang, id=c.last_batch["batch_id"], file=c.last_batch["file_name"],
                       at=f"{long_date(at.date(), lang)} {at:%H:%M}"))
    lines.append(t("briefing.baseline_rule", lang))
    if not c.effects.empty:
        lines.append(t("briefing.event_rule", lang))
    lines.append(t("briefing.unverified", lang))
    lines.append(t("briefing.generated", lang, when=f"{long_date(c.made_at.date(), lang)} {c.made_at:%H:%M}"))
    return lines


