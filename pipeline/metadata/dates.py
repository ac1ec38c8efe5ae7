"""Dates: Dutch calendar dates in text ("6 december 2021", "1 jan. 2023", "06-12-2021"), the
signing date and place, and the validity period."""

from __future__ import annotations

import datetime as dt

import regex

from ..model import Signing, Validity
from ..model.rules import DocumentRules, Rules, alternation, compiled

_YEAR_RANGE = regex.compile(r"\b((?:19|20)\d{2})\s*(?:-|–|(?i:t/m|tot en met))\s*((?:19|20)\d{2})\b")
def place_pattern(rules: DocumentRules) -> str:
    """A place name: capitalised words, joined by the particles of ``place_particles``
    ("Alphen aan den Rijn", "Bergen op Zoom")."""
    return rf"\p{{Lu}}[\p{{L}}'-]+(?:[ \t-](?:{alternation(rules.place_particles)})?[ \t]?\p{{Lu}}[\p{{L}}'-]+)*"


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
        phrases = alternation(rules.signing_phrases)
        dates = _date_source(rules)
        at, on = alternation(rules.signing_place_words), alternation(rules.signing_date_words)
        return regex.compile(
            rf"(?i:{phrases})(?:\s+(?i:{at})\s+(?P<place1>{place_pattern(rules)}))?,?\s+(?i:{on})?\s*(?P<date>(?i:{dates}))(?:,?\s+(?i:{at})\s+(?P<place2>{place_pattern(rules)}))?"
        )

    return compiled(rules, "signing", build)


def _place_date_line(rules: DocumentRules) -> regex.Pattern[str]:
    """A line holding only a place and a date, as a signature block opens: "Brakeloo, 16 december
    2024" or "4 december 2025 te Aalten,"."""
    def build() -> regex.Pattern[str]:
        place, date, at = place_pattern(rules), _date_source(rules), alternation(rules.signing_place_words)
        return regex.compile(
            rf"(?m)^\s*(?:(?P<place>{place}),\s+(?P<date>(?i:{date}))|(?P<date2>(?i:{date}))\s+(?i:{at})\s+(?P<place2>{place}),?)\s*$"
        )

    return compiled(rules, "place_date", build)


def find_signing(text: str, rules: Rules) -> Signing:
    """"Ondertekend op 6 december 2021 te Gieten", "Aldus overeengekomen te Beilen op 28 juni
    2023", "digitaal ondertekend op 9 december 2025"; else the last line that holds only a place
    and a date ("Brakeloo, 16 december 2024": how a signature block opens)."""
    lines = [
        (found[0][0].isoformat() if (found := find_dates(m.group("date") or m.group("date2"), rules.documents)) else None, m.group("place") or m.group("place2"))
        for m in _place_date_line(rules.documents).finditer(text)
    ]
    match = _signing_pattern(rules.documents).search(text)
    if match:
        found = find_dates(match.group("date"), rules.documents)
        date = found[0][0].isoformat() if found else None
        # "… getekend 4 december 2025." with the place on the signature block's line of that date
        place = match.group("place1") or match.group("place2") or next((p for d, p in lines if d == date and date), None)
        return Signing(date=date, place=place)
    if not lines:
        return Signing()
    return Signing(date=lines[-1][0], place=lines[-1][1])


def _end_of_year(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _validity_from_sentence(sentence: str, rules: DocumentRules) -> Validity | None:
    """"geldig van 1 januari 2022 tot en met 31 december 2025", "voor de periode 2020 tot en met
    2023", "gelden voor het jaar 2025, van 1 januari tot en met 31 december 2025"."""
    start: dt.date | None = None
    end: dt.date | None = None
    starts, inclusive, exclusive = (alternation(rules.validity_start_cues), alternation(rules.validity_until_inclusive), alternation(rules.validity_until_exclusive))
    for date, match in find_dates(sentence, rules):
        before = sentence[max(0, match.start() - 20) : match.start()]
        if regex.search(rf"(?i:{inclusive})\s*:?\s*$", before):
            end = date
        elif regex.search(rf"(?i:{exclusive})\s*:?\s*$", before):
            end = date - dt.timedelta(days=1)
        elif regex.search(rf"(?i:{starts})\s*:?\s*$", before) and start is None:
            start = date
    if start is None and end is not None:
        # "van 1 januari tot en met 31 december 2025": the start takes the end's year
        yearless = regex.search(rf"(?i:{starts})\s+(?P<day>\d{{1,2}})\s+(?P<month>{alternation(list(rules.months))})\b(?!\.?\s+\d)", sentence)
        if yearless and (month := rules.months.get(yearless.group("month").lower())):
            try:
                start = dt.date(end.year, month, int(yearless.group("day")))
            except ValueError:
                start = None
    if start is None and (year_start := regex.search(rf"(?i:{starts})\s+((?:19|20)\d{{2}})\b(?!\s*(?:-|–|\d))", sentence)):
        start = dt.date(int(year_start.group(1)), 1, 1)  # "voor de periode 2023 tot en met 31 december 2026"
    years = _YEAR_RANGE.search(sentence)
    if years:
        start = start or dt.date(int(years.group(1)), 1, 1)
        end = end or _end_of_year(int(years.group(2)))
    until_year = regex.search(rf"\b(?i:{inclusive})\s+((?:19|20)\d{{2}})\b(?!\s*\d)", sentence)
    if end is None and until_year:
        end = _end_of_year(int(until_year.group(1)))
    single = regex.search(rf"\b(?i:{alternation(rules.agreement_nouns)})\s+((?:19|20)\d{{2}})\b(?![-–]\d)", sentence)
    if single and not years:
        year = int(single.group(1))
        start = start or dt.date(year, 1, 1)
        end = end or _end_of_year(year)
    if start or end:
        return Validity(start=start.isoformat() if start else None, end=end.isoformat() if end else None, text=sentence)
    return None


def find_validity(sentences: list[str], title: str | None, rules: DocumentRules, opening_lines: list[str] | None = None) -> Validity:
    """Start and end of validity from the sentence that states it; else a year range in the
    title; else a line at the top of the document holding only a year range ("2024 t/m 2027")."""
    words = alternation(rules.validity_words)
    nouns = alternation(rules.agreement_nouns)
    title_years = _YEAR_RANGE.search(title or "")
    # a year of its own, not of a date ("… Breda 20 april 2015" names the signing day)
    undated = (title or "")
    for _, match in find_dates(undated, rules):
        undated = undated.replace(match.group(0), " ")
    single = regex.findall(r"\b(?:19|20)\d{2}\b", undated)
    # "Prestatieafspraken Tynaarlo 2023" (not "Woonvisie Assen 2021"): the agreement's own year
    title_year = single[0] if len(single) == 1 and regex.search(rf"\b(?i:{nouns})\b", title or "") else None
    states_validity = compiled(rules, "validity_words", lambda: regex.compile(rf"\b(?i:{words})\b"))
    for sentence in sentences:
        if states_validity.search(sentence) and (found := _validity_from_sentence(sentence, rules)):
            if title_year and (not _covers(found, title_year) or not _names_itself(sentence, rules)):
                # "De lopende prestatieafspraken gelden voor 2023" in "Prestatieafspraken 2024", "De
                # Raamovereenkomst 2018-2022 biedt …" in "Prestatieafspraken 2021": another agreement's period
                continue
            if found.start is None and title_years:  # "geldig tot en met 31 december 2026" in "… 2023-2027"
                found = found.model_copy(update={"start": f"{title_years.group(1)}-01-01"})
            return found
    woonvisie = alternation(rules.doc_types.get("woonvisie", []))
    for line in [title or "", *[" ".join(line.split()) for line in (opening_lines or [])]]:
        years = _YEAR_RANGE.search(line)
        # the title, a line holding only the years, a short line naming the agreement, or a
        # cover line of a few words ("ALLIANTIE 2015 T/M 2018") that is no woonvisie's
        named = regex.search(rf"\b(?i:{nouns})\b", line) and len(line.split()) <= 12
        cover = len(line.split()) <= _COVER_LINE_WORDS and not (woonvisie and regex.search(rf"(?i:{woonvisie})", line))
        # the title's own year outranks a short line ("1. Raamovereenkomst 2018-2022" in "Prestatieafspraken 2021")
        cover = cover and not title_year
        if years and (line == title or years.group(0) == line.strip(" .") or named or cover):
            return Validity(start=f"{years.group(1)}-01-01", end=f"{years.group(2)}-12-31", text=line)
    if title_year:
        return Validity(start=f"{title_year}-01-01", end=f"{title_year}-12-31", text=title)
    return Validity()


def _names_itself(sentence: str, rules: DocumentRules) -> bool:
    """"Deze afspraken gelden …", "Dit convenant loopt …": the sentence is about this document."""
    this, nouns = alternation(rules.self_references), alternation(rules.agreement_nouns)
    return bool(regex.search(rf"(?<!\p{{L}})(?i:{this})\s+(?:\p{{L}}+\s+)?(?i:{nouns})(?!\p{{L}})", sentence))


# A line at the top of this many words or fewer holding a year range is a cover line.
_COVER_LINE_WORDS = 5


def _covers(validity: Validity, year: str) -> bool:
    """The period includes ``year`` (an open end counts as covering it)."""
    return (validity.start is None or validity.start[:4] <= year) and (validity.end is None or validity.end[:4] >= year)


