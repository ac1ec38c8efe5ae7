"""Dates: Dutch calendar dates in text ("6 december 2021", "1 jan. 2023", "06-12-2021"), the
signing date and place, and the validity period."""

from __future__ import annotations

import datetime as dt

import regex

from ..model import Signing, Validity
from ..model.rules import DocumentRules, Rules, compiled

_YEAR_RANGE = regex.compile(r"\b((?:19|20)\d{2})\s*(?:-|–|t/m|tot en met)\s*((?:19|20)\d{2})\b")
_PLACE = r"\p{Lu}[\p{L}'-]+(?:[\s-](?:aan|op|en|de|den)?\s?\p{Lu}[\p{L}'-]+)*"


def _date_source(rules: DocumentRules) -> str:
    """A pattern with groups day/month/year, or nday/nmonth/nyear for numeric dates."""
    months = "|".join(sorted((regex.escape(m) for m in rules.months), key=len, reverse=True))
    return (
        rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{months})\.?\s+(?P<year>(?:19|20)\d{{2}})\b"
        rf"|\b(?P<nday>\d{{1,2}})[-/.](?P<nmonth>\d{{1,2}})[-/.](?P<nyear>(?:19|20)\d{{2}})\b"
    )


def date_pattern(rules: DocumentRules) -> regex.Pattern[str]:
    return compiled(rules, "dates", lambda: regex.compile(_date_source(rules), regex.IGNORECASE))


def match_to_date(match: regex.Match[str], months: dict[str, int]) -> dt.date | None:
    """The calendar date of a :func:`date_pattern` match; ``None`` if it is impossible (31 februari)."""
    try:
        if match.group("day"):
            return dt.date(int(match.group("year")), months[match.group("month").lower()], int(match.group("day")))
        return dt.date(int(match.group("nyear")), int(match.group("nmonth")), int(match.group("nday")))
    except ValueError:
        return None


def find_dates(text: str, rules: DocumentRules) -> list[tuple[dt.date, regex.Match[str]]]:
    """Every valid date in ``text`` with its match, in order."""
    found = []
    for match in date_pattern(rules).finditer(text):
        date = match_to_date(match, rules.months)
        if date is not None:
            found.append((date, match))
    return found


def _signing_pattern(rules: DocumentRules) -> regex.Pattern[str]:
    def build() -> regex.Pattern[str]:
        phrases = "|".join(regex.escape(p) for p in sorted(rules.signing_phrases, key=len, reverse=True))
        dates = _date_source(rules)
        return regex.compile(
            rf"(?i:{phrases})(?:\s+(?i:te)\s+(?P<place1>{_PLACE}))?,?\s+(?i:op|d\.d\.)?\s*(?P<date>(?i:{dates}))(?:,?\s+(?i:te)\s+(?P<place2>{_PLACE}))?"
        )

    return compiled(rules, "signing", build)


def find_signing(text: str, rules: Rules) -> Signing:
    """"Ondertekend op 6 december 2021 te Gieten", "Aldus overeengekomen te Beilen op 28 juni 2023"."""
    match = _signing_pattern(rules.documents).search(text)
    if not match:
        return Signing()
    found = find_dates(match.group("date"), rules.documents)
    place = match.group("place1") or match.group("place2")
    return Signing(date=found[0][0].isoformat() if found else None, place=place)


def _end_of_year(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def find_validity(sentences: list[str], title: str | None, rules: DocumentRules) -> Validity:
    """Start and end of validity from the sentence that states it, else a year range in the title."""
    words = "|".join(regex.escape(w) for w in rules.validity_words)
    for sentence in sentences:
        if not regex.search(rf"\b(?:{words})\b", sentence, regex.IGNORECASE):
            continue
        start: dt.date | None = None
        end: dt.date | None = None
        for date, match in find_dates(sentence, rules):
            before = sentence[max(0, match.start() - 14) : match.start()].lower()
            if regex.search(r"(tot en met|t/m|tot)\s*$", before):
                end = date if "tot en met" in before or "t/m" in before else date - dt.timedelta(days=1)
            elif regex.search(r"(vanaf|van|per|ingaande|met ingang van)\s*$", before) and start is None:
                start = date
        years = _YEAR_RANGE.search(sentence)
        if years:
            start = start or dt.date(int(years.group(1)), 1, 1)
            end = end or _end_of_year(int(years.group(2)))
        until_year = regex.search(r"\b(?:tot en met|t/m)\s+((?:19|20)\d{2})\b(?!\s*\d)", sentence)
        if end is None and until_year:
            end = _end_of_year(int(until_year.group(1)))
        single = regex.search(r"\b(?:prestatieafspraken|afspraken|overeenkomst)\s+((?:19|20)\d{2})\b(?![-–]\d)", sentence, regex.IGNORECASE)
        if single and not years:
            year = int(single.group(1))
            start = start or dt.date(year, 1, 1)
            end = end or _end_of_year(year)
        if start or end:
            return Validity(start=start.isoformat() if start else None, end=end.isoformat() if end else None, text=sentence)
    if title and (years := _YEAR_RANGE.search(title)):
        return Validity(start=f"{years.group(1)}-01-01", end=f"{years.group(2)}-12-31", text=title)
    return Validity()


