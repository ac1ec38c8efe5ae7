"""Comparable numbers: each target of an afspraak read as what it commits to.

A target of the register ("ca. 45 woningen", "jaarlijks 40 sociale huurwoningen") becomes a
:class:`Quantity`: its amount (both ends of a range), its kind (growth, stock, share, work
on existing homes, decrease: from the words around it, ``rules/quantities.yaml``), and its
period, from which it gets a yearly figure and a figure over the period.

The period of a number, first found first:

1. a span of years in its sentence ("in 2025–2028", "in de periode 2020-2030");
2. its deadline (the one in its sentence nearest to it; for a count done or added in a
   period else the nearest before it in the afspraak, else the nearest after it): the year it
   names ("in 2023", for a count that is not per year), or the period up to it from a start
   named in its sentence ("ten opzichte van 1 januari 2020"), else from the start of the
   agreement's validity;
3. for a count without a deadline: the year of its heading ("Prestaties Woonborg 2023"),
   else the agreement's validity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Optional, cast

import regex
from pydantic import BaseModel

from ..metadata.dates import date_pattern, match_to_date
from ..model import Afspraak, Document, Target
from ..model.contract import Comparator, Deadline
from ..model.rules import QuantityKind, QuantityRules, Rules, alternation, compiled
from .units import MEASURES, amount_text, nl_number, unit_label

QUANTITY_LABELS: dict[QuantityKind, str] = {
    "growth": "groei",
    "stock": "voorraad",
    "share": "aandeel",
    "work": "verbetering",
    "decrease": "afname",
}
_YEAR = r"(?:19|20)\d{2}"


class Amount(BaseModel):
    """A number, or both ends of a range."""

    low: float
    high: Optional[float] = None

    def __add__(self, other: Amount) -> Amount:
        if self.high is None and other.high is None:
            return Amount(low=self.low + other.low)
        return Amount(low=self.low + other.low, high=(self.high or self.low) + (other.high or other.low))

    def scaled(self, factor: float) -> Amount:
        return Amount(low=self.low * factor, high=None if self.high is None else self.high * factor)

    def text(self, decimals: int = 0) -> str:
        """"50", "4–6", "25,5" (``decimals=1``)."""
        low = nl_number(self.low, decimals)
        return low if self.high is None else f"{low}–{nl_number(self.high, decimals)}"


class Period(BaseModel):
    """The days a number is for, first and last included."""

    start: dt.date
    end: dt.date

    @property
    def years(self) -> float:
        """Its length in years, to the month: 2020-01-01 … 2025-12-31 is 6."""
        return max(1, round(((self.end - self.start).days + 1) / 365.25 * 12)) / 12

    @property
    def first_year(self) -> int:
        return self.start.year

    @property
    def last_year(self) -> int:
        return self.end.year

    @property
    def label(self) -> str:
        """"2023", "2020–2025"."""
        if self.first_year == self.last_year:
            return str(self.last_year)
        return f"{self.first_year}–{self.last_year}"

    def overlaps(self, first_year: int, last_year: int) -> bool:
        return self.first_year <= last_year and self.last_year >= first_year


def _is_flow(unit: str, kind: QuantityKind | None) -> bool:
    """A count of things done or added in a period (not a stock, a share or money)."""
    return unit not in MEASURES and kind != "stock"


class Quantity(BaseModel):
    """A target of an afspraak as a comparable number."""

    afspraak_id: str
    number: Optional[str]  # the afspraak's printed number
    page: Optional[int]
    text: str  # the target's own words
    sentence: str  # the sentence it stands in (the afspraak's text for a target without a place in it)
    at: Optional[tuple[int, int]]  # where ``text`` stands in ``sentence``
    unit: str  # the contract's unit: a counted noun's lemma, "%", "EUR" or "label"
    unit_label: str  # the unit as printed: Dutch plural
    kind: Optional[QuantityKind]
    comparator: Comparator
    amount: Optional[Amount]  # None for an energy label
    label: Optional[str]  # the energy label letter
    per_year: bool  # "jaarlijks 40 woningen", "75 woningen per jaar"
    period: Optional[Period]

    @property
    def is_flow(self) -> bool:
        return _is_flow(self.unit, self.kind)

    @property
    def yearly(self) -> Amount | None:
        """The number per year: as the target says, or spread over its period."""
        if self.amount is None or not self.is_flow:
            return None
        if self.per_year:
            return self.amount
        return self.amount.scaled(1 / self.period.years) if self.period else None

    @property
    def over_period(self) -> Amount | None:
        """The number over its whole period."""
        if self.amount is None or not self.is_flow:
            return None
        if self.per_year:
            return self.amount.scaled(self.period.years) if self.period else None
        return self.amount

    def amount_text(self) -> str:
        """"± 45 woningen", "4–6 woningen per jaar", "≥ 80%", "€ 21.000", "label A"."""
        low, high = (self.amount.low, self.amount.high) if self.amount else (None, None)
        text = amount_text(self.comparator, low, high, self.unit, self.label, self.unit_label)
        return f"{text} per jaar" if self.per_year else text

    def describe(self) -> str:
        """The number as a reader compares it: "groei: 300 woningen in 2020–2025 (50 per
        jaar)", "voorraad: ≥ 9.170 woningen eind 2025"."""
        text = self.amount_text() + self._when()
        return f"{QUANTITY_LABELS[self.kind]}: {text}" if self.kind else text

    def _when(self) -> str:
        """" eind 2025" for a stock, " in 2030" for a share, " in 2020–2025 (50 per jaar)" for a
        count; nothing for money, a label or a number without a period."""
        if self.period is None or self.unit in ("EUR", "label"):
            return ""
        if self.kind == "stock":
            return f" eind {self.period.last_year}"
        if self.kind == "share":
            return f" in {self.period.last_year}"
        yearly, total = self.yearly, self.over_period
        if self.period.years > 1 and yearly is not None and total is not None:
            spread = f" ({total.text()} in de periode)" if self.per_year else f" ({yearly.text(1)} per jaar)"
            return f" in {self.period.label}{spread}"
        return f" in {self.period.label}"


def _patterns(rules: Rules) -> dict[str, regex.Pattern[str]]:
    def build() -> dict[str, regex.Pattern[str]]:
        quantities = rules.quantities
        kinds = "|".join(rf"(?P<{kind}>{alternation(words)})" for kind, words in quantities.kinds.items())
        abbreviations = alternation(rules.targets.abbreviations)
        joiners = alternation(rules.temporal.span_joiners)
        return {
            "kind": regex.compile(rf"(?<!\p{{L}})(?:{kinds})", regex.IGNORECASE),
            # a sentence ends before a capital or a number, not after "ca." or "t.o.v."; a
            # semicolon ends a clause
            "sentence_end": regex.compile(rf"(?:(?<![\s(]\b(?:{abbreviations})|\.\p{{L}})[.!?]|;)\s+(?=[*\"'‘“(]?[\p{{Lu}}\d])"),
            "span": regex.compile(rf"(?<!\d)(?P<first>{_YEAR})\s*(?:{joiners})\s*(?P<last>{_YEAR})(?!\d)", regex.IGNORECASE),
            "start_cue": regex.compile(rf"(?<!\p{{L}})(?:{alternation(quantities.start_cues)})\s+", regex.IGNORECASE),
            "year": regex.compile(rf"{_YEAR}(?!\d)"),
            "in_year": regex.compile(rf"(?:{alternation(quantities.year_words)})\s+(?P<year>{_YEAR})", regex.IGNORECASE),
            "year_heading": regex.compile(rf"(?<!\p{{L}})(?:{alternation(quantities.year_headings)})", regex.IGNORECASE),
        }

    return compiled(rules, "quantities", build)


def _sentence(text: str, start: int, end: int, rules: Rules) -> tuple[int, int]:
    """Where the sentence holding ``text[start:end]`` begins and ends."""
    ends = [m.end() for m in _patterns(rules)["sentence_end"].finditer(text)]
    return max((e for e in ends if e <= start), default=0), min((e for e in ends if e > end), default=len(text))


def _distance(start: int, end: int, other_start: int, other_end: int) -> int:
    """Characters between two spans; 0 when they touch or overlap."""
    return max(0, other_start - end, start - other_end)


def _kind(target: Target, text: str, bounds: tuple[int, int], span: tuple[int, int], rules: Rules) -> QuantityKind | None:
    """A percentage is a share; a count takes the kind of the nearest kind word in its sentence."""
    if target.unit == "%":
        return "share"
    if target.unit in MEASURES:
        return None
    found = [(_distance(*span, m.start(), m.end()), m.lastgroup) for m in _patterns(rules)["kind"].finditer(text, *bounds)]
    nearest = min(found, default=None)
    return cast(QuantityKind, nearest[1]) if nearest else None


def _deadline(deadlines: Sequence[Deadline], bounds: tuple[int, int], start: int, end: int, flow: bool) -> Deadline | None:
    """The deadline of the number at ``text[start:end]``: in its sentence the nearest; for a
    count done or added in a period (``flow``) else the nearest before it, else the nearest
    after it."""
    placed = [d for d in deadlines if d.date and d.start is not None and d.end is not None]
    inside = [d for d in placed if bounds[0] <= d.start < bounds[1]]  # type: ignore[operator]
    if inside:
        return min(inside, key=lambda d: _distance(start, end, d.start, d.end))  # type: ignore[arg-type]
    if not flow:
        return None
    before = [d for d in placed if d.end <= start]  # type: ignore[operator]
    after = [d for d in placed if d.start >= end]  # type: ignore[operator]
    if before:
        return max(before, key=lambda d: d.end)  # type: ignore[arg-type, return-value]
    if after:
        return min(after, key=lambda d: d.start)  # type: ignore[arg-type, return-value]
    dated = [d for d in deadlines if d.date]
    return dated[0] if len(dated) == 1 else None


def _year_span(text: str, rules: Rules) -> Period | None:
    match = _patterns(rules)["span"].search(text)
    if match is None or match["last"] < match["first"]:
        return None
    return Period(start=dt.date(int(match["first"]), 1, 1), end=dt.date(int(match["last"]), 12, 31))


def _named_start(sentence: str, rules: Rules) -> dt.date | None:
    """A start named in the sentence: "ten opzichte van 1 januari 2020", "vanaf 2024". A date
    at a month's end is a count at that date: the period starts the next day."""
    patterns = _patterns(rules)
    for cue in patterns["start_cue"].finditer(sentence):
        date_match = date_pattern(rules.documents).match(sentence, cue.end())
        if date_match and (date := match_to_date(date_match, rules.documents.months)):
            return date + dt.timedelta(days=1) if (date + dt.timedelta(days=1)).day == 1 else date
        if year := patterns["year"].match(sentence, cue.end()):
            return dt.date(int(year.group()), 1, 1)
    return None


def _last_day(deadline: Deadline) -> dt.date:
    """A deadline's date as the last day of a period: "tot 2027" (2027-01-01) ends on
    31 December 2026."""
    date = dt.date.fromisoformat(deadline.date)  # type: ignore[arg-type]
    return date - dt.timedelta(days=1) if date.day == 1 else date


def _heading_year(afspraak: Afspraak, rules: Rules) -> Period | None:
    patterns = _patterns(rules)
    for heading in reversed(afspraak.section_path):
        years = set(patterns["year"].findall(heading))
        if patterns["year_heading"].search(heading) and len(years) == 1:
            return _year(int(years.pop()))
    return None


def _validity(document: Document) -> Period | None:
    start, end = document.validity.start, document.validity.end
    if not (start and end) or end < start:
        return None
    return Period(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))


def _year(year: int) -> Period:
    return Period(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def _period(
    afspraak: Afspraak, document: Document, bounds: tuple[int, int], span: tuple[int, int], flow: bool, per_year: bool, rules: Rules
) -> Period | None:
    """The period of the number at ``afspraak.text[span]`` in the sentence at ``bounds``;
    only a count done or added in a period (``flow``) falls back on its heading or the
    agreement's validity."""
    sentence = afspraak.text[bounds[0] : bounds[1]]
    years = _year_span(sentence, rules)
    if years is not None:
        return years
    deadline = _deadline(afspraak.deadlines, bounds, *span, flow)
    validity = _validity(document)
    if deadline is not None:
        in_year = _patterns(rules)["in_year"].fullmatch(deadline.text.strip())
        if in_year and not per_year:
            return _year(int(in_year["year"]))
        last = _last_day(deadline)
        own = _year_span(deadline.text, rules)
        first = own.start if own else _named_start(sentence, rules) or (validity.start if validity else None)
        if first is None or first > last:
            first = dt.date(last.year, 1, 1)
        return Period(start=first, end=last)
    if not flow:
        return None
    return _heading_year(afspraak, rules) or validity


def afspraak_quantities(afspraak: Afspraak, document: Document, rules: Rules) -> list[Quantity]:
    """Every target of the afspraak as a comparable number, in the afspraak's order."""
    quantities = []
    for target in afspraak.targets:
        # a target a person added by hand may have no place in the text: its sentence is the text
        placed = target.start is not None and target.end is not None
        span = (target.start or 0, target.end or 0) if placed else (0, 0)
        bounds = _sentence(afspraak.text, *span, rules) if placed else (0, len(afspraak.text))
        kind = _kind(target, afspraak.text, bounds, span, rules) if placed or target.unit == "%" else None
        flow = _is_flow(target.unit, kind)
        quantities.append(
            Quantity(
                afspraak_id=afspraak.id,
                number=afspraak.number,
                page=afspraak.page,
                text=target.text,
                sentence=afspraak.text[bounds[0] : bounds[1]],
                at=(span[0] - bounds[0], span[1] - bounds[0]) if placed else None,
                unit=target.unit,
                unit_label=unit_label(target.unit, target.value, target.value_max, rules.quantities),
                kind=kind,
                comparator=target.comparator,
                amount=None if target.value is None else Amount(low=target.value, high=target.value_max),
                label=target.label,
                per_year=target.per == "jaar",
                period=_period(afspraak, document, bounds, span, flow, target.per == "jaar", rules),
            )
        )
    return quantities
