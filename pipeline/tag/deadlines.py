"""Deadlines: Dutch temporal expressions → end-of-period ISO dates and recurrences.

"eind 2025" → 2025-12-31, "in Q1 2023" → 2023-03-31, "vóór 1 april" (2023 document) →
2023-04-01, "tot 2027" → 2027-01-01, "t/m 2026" → 2026-12-31, "jaarlijks" → P1Y.
Reference dates ("prijspeil 2021", "ten opzichte van 1 januari 2020", "(2022: € 633,25)")
and dates before the agreement's start are not deadlines.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import regex

from ..model import Deadline
from ..model.rules import Rules, TemporalRules, alternation, compiled

_YEAR = r"(?:19|20)\d{2}"
_WHITESPACE = regex.compile(r"\s+")
_CLAUSE_END = regex.compile(r"[.;:]\s")
# "jaarlijks 100 woningen": a number within four words
_AMOUNT = regex.compile(r"(?:\s+[\p{L}-]+){0,4}?\s+(?:€\s*)?\d")


@dataclass(frozen=True)
class Found:
    """A deadline with its span in the afspraak text."""

    start: int
    end: int
    deadline: Deadline


@dataclass(frozen=True)
class _Kind:
    """One kind of deadline expression, and parts every match of it contains (``anchors``,
    cheapest first). A text without them is not scanned for the kind: most patterns open with
    optional words, so a scan tries them at every character, while most afspraken name no year."""

    pattern: regex.Pattern[str]
    anchors: tuple[regex.Pattern[str], ...] = ()


def _kinds(rules: Rules) -> dict[str, _Kind]:
    return compiled(rules, "deadlines", lambda: _build_kinds(rules.temporal, list(rules.documents.months)))


def _build_kinds(rules: TemporalRules, months: list[str]) -> dict[str, _Kind]:
    month = alternation(months)
    period = alternation(list(rules.periods))
    ordinal = alternation(list(rules.ordinals))
    lead = alternation(rules.before_words + rules.through_words)
    # "uiterlijk ", "in ", "het ", "van " as optional words around a quarter or period
    upto, in_, the, of = (rf"(?:(?:{alternation(words)})\s+)" for words in (rules.period_leads, rules.in_words, rules.determiners, rules.of_words))
    quarter, letter = alternation(rules.quarter_words), alternation(rules.quarter_letters)
    # anchors: a year, a digit, a quarter's mark, and the words a match has after its optional leading ones
    year, digit, quarter_mark = _YEAR, r"\d", rf"(?:{letter})[1-4]|(?:{quarter})"
    quarter_core = rf"(?:(?:{letter})(?P<q>[1-4])|(?P<ord>{ordinal})\s+(?:{quarter}))"
    period_core = rf"(?P<period>{period})\s+{of}?(?P<year>{_YEAR})\b"
    date_core = rf"(?P<day>\d{{1,2}})\s+(?P<month>{month})"
    month_core = rf"(?P<month>{month})\s+(?P<year>{_YEAR})\b"
    recurrences = "|".join(rf"(?P<{duration}>{alternation(words)})" for duration, words in rules.recurrences.items())

    def kind(pattern: str, *anchors: str) -> _Kind:
        flags = regex.IGNORECASE
        return _Kind(regex.compile(pattern, flags), tuple(regex.compile(anchor, flags) for anchor in anchors))

    return {
        "quarter": kind(rf"(?:{upto}?{in_})?{the}?{quarter_core}(?:\s+{of}?(?P<year>{_YEAR}))?\b", quarter_mark),
        "period": kind(rf"(?:{upto}?{in_}?{the}?)?{period_core}", year, period_core),
        "date": kind(rf"(?:(?P<lead>{lead})\s+)?{date_core}\.?(?:\s+(?P<year>{_YEAR}))?\b", digit, date_core),
        "month": kind(rf"(?:(?P<lead>{lead}|{alternation(rules.month_leads)})\s+)?{month_core}", year, month_core),
        "year": kind(rf"(?P<lead>{lead})\s+(?P<year>{_YEAR})\b(?!\s*[-–/]\s*\d)(?!\s*:)", year),
        # "in de periode 2020-2023": the end of the span
        "span": kind(
            rf"(?<!\p{{L}})(?:{alternation(rules.span_leads)})\s+{_YEAR}\s*(?:{alternation(rules.span_joiners)})\s*(?P<year>{_YEAR})\b", year
        ),
        # "binnen de afsprakenperiode": the end of the agreement's validity
        "term": kind(rf"(?<!\p{{L}})(?:{alternation(rules.agreement_period_phrases)})(?!\p{{L}})"),
        "relative": kind(rf"(?<!\p{{L}})(?P<relative>{alternation(list(rules.relative_years))})(?!\p{{L}})"),
        "recurrence": kind(rf"\b(?:{recurrences})\b"),
    }


def _month_day(year: int, month_day: str) -> dt.date:
    month, day = (int(part) for part in month_day.split("-"))
    return dt.date(year, month, day)


def _is_exclusive(lead: str | None, rules: TemporalRules) -> bool:
    return lead is not None and _WHITESPACE.sub(" ", lead.lower()) in rules.before_words


def _resolve(kind: str, match: regex.Match[str], year: int | None, rules: Rules) -> dt.date | None:
    """The last day of the period a match names; ``None`` when it names no year we know."""
    temporal, months = rules.temporal, rules.documents.months
    found_year = int(match.group("year")) if "year" in match.groupdict() and match.group("year") else year
    if found_year is None:
        return None
    if kind == "quarter":
        quarter = match.group("q") or str(temporal.ordinals[match.group("ord").lower()])
        return _month_day(found_year, temporal.quarters[quarter])  # type: ignore[index]
    if kind == "period":
        return _month_day(found_year, temporal.periods[_WHITESPACE.sub(" ", match.group("period").lower())])
    if kind == "date":
        try:
            return dt.date(found_year, months[match.group("month").lower()], int(match.group("day")))
        except ValueError:
            return None
    if kind == "relative":
        return dt.date(found_year + temporal.relative_years[_WHITESPACE.sub(" ", match.group("relative").lower())], 12, 31)
    if kind == "month":
        number = months[match.group("month").lower()]
        if _is_exclusive(match.group("lead"), rules.temporal):
            return dt.date(found_year, number, 1)
        return dt.date(found_year, number, calendar.monthrange(found_year, number)[1])
    # a year: "tot 2027" / "vóór 2030" is its first day, "in 2023" / "t/m 2026" its last; but
    # "voor 2020" in an agreement for 2020 cannot mean before it began: it is "for 2020"
    lead = match.group("lead")
    for_the_year = lead is not None and lead.lower() in rules.temporal.scope_leads and year is not None and found_year <= year
    return dt.date(found_year, 1, 1) if _is_exclusive(lead, rules.temporal) and not for_the_year else dt.date(found_year, 12, 31)


def _is_reference(text: str, start: int, rules: TemporalRules) -> bool:
    """A reference cue in the 40 characters before, within the same clause."""
    before = _CLAUSE_END.split(text[max(0, start - 40) : start].lower())[-1]
    cues = compiled(
        rules, "reference_cues",
        lambda: regex.compile(rf"(?<!\p{{L}})(?:{'|'.join(map(regex.escape, rules.reference_cues)) or '(?!)'})(?!\p{{L}})"),
    )
    return bool(cues.search(before))


def _amount_follows(text: str, end: int) -> bool:
    """"jaarlijks 100 woningen", "Jaarlijks verkoopt Woonborg 2 á 3 woningen": the amount's
    ``per``, not a recurrence."""
    return bool(_AMOUNT.match(text, end))


def _is_scope(text: str, match: regex.Match[str], rules: TemporalRules) -> bool:
    """"voor 2022" meaning "for 2022": after a scope word, or followed by "geldt"."""
    if match.group("lead").lower() not in rules.scope_leads:
        return False
    previous = text[: match.start()].split()[-1:]
    following = text[match.end() :].split()[:1]
    return (bool(previous) and previous[0].lower().strip(",") in rules.year_scope_words) or (
        bool(following) and following[0] in rules.scope_followers
    )


def find_deadlines(
    text: str, year: int | None, not_before: dt.date | None, rules: Rules, period_end: dt.date | None = None
) -> list[Found]:
    """Deadlines in ``text`` in order of appearance, overlapping matches resolved longest first.

    ``year`` completes dates that name none ("vóór 1 april"); dates before ``not_before``
    (the agreement's start) are history, not deadlines; ``period_end`` (the end of validity)
    is the date of "binnen de afsprakenperiode".
    """
    candidates: list[tuple[int, int, Deadline]] = []
    for kind, spec in _kinds(rules).items():
        if not all(anchor.search(text) for anchor in spec.anchors):
            continue
        for match in spec.pattern.finditer(text):
            raw = match.group(0)
            words = raw.strip()
            start, end = match.start() + len(raw) - len(raw.lstrip()), match.start() + len(raw.rstrip())
            if kind == "recurrence":
                if _amount_follows(text, match.end()):
                    continue
                duration = next(name for name, value in match.groupdict().items() if value)
                candidates.append((match.start(), match.end(), Deadline(text=words, recurrence=duration, start=start, end=end)))
                continue
            if _is_reference(text, match.start(), rules.temporal):
                continue
            if kind == "year" and _is_scope(text, match, rules.temporal):
                continue  # "afspraken voor 2022", "Voor 2023 geldt dat ...": the year meant, not a deadline
            if kind == "term" and period_end is None:
                continue
            date = period_end if kind == "term" else dt.date(int(match.group("year")), 12, 31) if kind == "span" else _resolve(kind, match, year, rules)
            if date is not None and not_before is not None and date < not_before:
                continue
            candidates.append((match.start(), match.end(), Deadline(text=words, date=date.isoformat() if date else None, start=start, end=end)))
    chosen: list[Found] = []
    for start, end, deadline in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(end <= f.start or start >= f.end for f in chosen):
            chosen.append(Found(start, end, deadline))
    return sorted(chosen, key=lambda f: f.start)
