"""Stage 4 — extract metadata: document type, title, municipality, parties, signing, validity."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import regex
from pydantic import BaseModel, Field

from .dates import date_pattern, find_dates
from .models import Block, Party, Signing, Validity
from .rules import DocumentRules, PartyRules, Rules

# How much of the opening text decides the document type.
OPENING_CHARS = 6000

_QUOTED = r"[‘'\"“]\s*(?P<alias>[^’'\"”]{1,60}?)\s*[’'\"”]"
_INITIAL_NAME = regex.compile(
    r"(?P<name>(?:\p{Lu}\.\s?)+(?:\p{Lu}\p{Ll}*\.?\s?)*\s*(?:(?:van|de|der|den|ter|ten|het|'t)\s+)*\p{Lu}[\p{L}'-]+)"
)
_SENTENCE_END = regex.compile(r"(?<=[.!?])\s+(?=[\p{Lu}‘'\"“])")
_YEAR_RANGE = regex.compile(r"\b((?:19|20)\d{2})\s*(?:-|–|t/m|tot en met)\s*((?:19|20)\d{2})\b")
_PLACE = r"\p{Lu}[\p{L}'-]+(?:[\s-](?:aan|op|en|de|den)?\s?\p{Lu}[\p{L}'-]+)*"
_MUNICIPALITY = regex.compile(
    r"\b[Gg]emeente\s+(?P<name>\p{Lu}[\p{L}'-]+(?:\s+(?:en|aan|op|de|den)\s+\p{Lu}[\p{L}'-]+|\s+\p{Lu}[\p{Ll}'-]+)*)"
)


class Metadata(BaseModel):
    """Document-level facts, before the afspraken are tagged."""

    doc_type: str
    title: str | None = None
    municipalities: list[str] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    signing: Signing = Field(default_factory=Signing)
    validity: Validity = Field(default_factory=Validity)
    year: int | None = None  # first year of validity, for the doc_id


def detect_doc_type(opening: str, rules: DocumentRules) -> str:
    """The type whose keywords occur most often in the opening text; ``onbekend`` if none."""
    low = opening.lower()
    counts = {kind: sum(low.count(word) for word in words) for kind, words in rules.doc_types.items()}
    best = max(counts, key=counts.get, default=None)
    return best if best is not None and counts[best] > 0 else "onbekend"


def is_party_item(text: str, rules: PartyRules) -> bool:
    low = text.lower()
    return any(marker in low for marker in rules.party_item_markers)


def _party_kind(name: str, role: str | None, rules: PartyRules) -> str:
    for kind, rule in rules.kinds.items():
        if any(regex.search(p, name, regex.IGNORECASE) for p in rule.name_patterns):
            return kind
        if any(name.lower() == k.lower() or name.lower().endswith(" " + k.lower()) for k in rule.known):
            return kind
    for kind, rule in rules.kinds.items():
        if role and role in rule.roles:
            return kind
    return "overig"


def parse_party(text: str, full_text: str, rules: PartyRules) -> Party:
    """One party-list entry: "Woonborg, rechtsgeldig vertegenwoordigd door ..., hierna te noemen: ‘Woonborg’."""
    name = regex.split(r",|\s+(?:rechtsgeldig\s+)?vertegenwoordigd\b|\s+hierna\b", text, maxsplit=1)[0].strip()
    role = representative = None
    rep = regex.search(r"vertegenwoordigd\s+door\s+(?P<rest>.*?)(?:,?\s+gemachtigd\b|,?\s+hierna\b|$)", text, regex.IGNORECASE)
    if rep:
        rest = rep.group("rest")
        low = rest.lower()
        role = next((r for r in rules.roles if regex.search(rf"\b{regex.escape(r)}\b", low)), None)
        names = _INITIAL_NAME.findall(rest.split(",")[0])
        representative = names[-1].strip() if names else None
    aliases = []
    hierna = regex.search(rf"hierna(?:\s+te\s+noemen|\s+genoemd)?\s*:?\s*(?P<all>(?:{_QUOTED}(?:\s*(?:,|of|en)\s*)?)+)", text, regex.IGNORECASE)
    if hierna:
        aliases = [m.group("alias") for m in regex.finditer(_QUOTED, hierna.group("all"))]
    initials = "".join(w[0] for w in regex.findall(r"\b\p{Lu}[\p{L}-]*", name))
    if len(initials) >= 2 and regex.search(rf"\b{initials}\b", full_text):
        aliases.append(initials)
    aliases = list(dict.fromkeys(a for a in aliases if a.lower() != name.lower()))
    return Party(name=name, kind=_party_kind(name, role, rules), aliases=aliases, representative=representative, representative_role=role)


def find_signing(text: str, rules: Rules) -> Signing:
    """"Ondertekend op 6 december 2021 te Gieten", "Aldus overeengekomen te Beilen op 28 juni 2023"."""
    phrases = "|".join(regex.escape(p) for p in sorted(rules.documents.signing_phrases, key=len, reverse=True))
    dates = date_pattern(tuple(rules.documents.months)).pattern
    pattern = regex.compile(
        rf"(?i:{phrases})(?:\s+(?i:te)\s+(?P<place1>{_PLACE}))?,?\s+(?i:op|d\.d\.)?\s*(?P<date>{dates})(?:,?\s+(?i:te)\s+(?P<place2>{_PLACE}))?"
    )
    match = pattern.search(text)
    if not match:
        return Signing()
    found = find_dates(match.group("date"), rules.documents.months)
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
        start = end = None
        for date, match in find_dates(sentence, rules.months):
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
            return Validity(start=start and start.isoformat(), end=end and end.isoformat(), text=sentence)
    if title and (years := _YEAR_RANGE.search(title)):
        return Validity(start=f"{years.group(1)}-01-01", end=f"{years.group(2)}-12-31", text=title)
    return Validity()


def find_municipalities(parties: list[Party], text: str) -> list[str]:
    """Municipalities of the gemeente parties; failing those, the most named "gemeente X"."""
    names = [regex.sub(r"^gemeente\s+", "", p.name, flags=regex.IGNORECASE) for p in parties if p.kind == "gemeente"]
    if names:
        return names
    counts = Counter(m.group("name") for m in _MUNICIPALITY.finditer(text))
    return [counts.most_common(1)[0][0]] if counts else []


def split_sentences(text: str) -> list[str]:
    return [regex.sub(r"\s+", " ", s).strip() for s in _SENTENCE_END.split(text) if s.strip()]


def extract_metadata(blocks: list[Block], full_text: str, pdf_title: str | None, rules: Rules) -> Metadata:
    """Everything about the document that is not an afspraak."""
    doc_type = detect_doc_type(full_text[:OPENING_CHARS], rules.documents)
    party_items = [b for b in blocks if b.kind == "item" and is_party_item(b.text, rules.parties)]
    parties = [parse_party(b.text, full_text, rules.parties) for b in party_items]
    sentences = split_sentences(full_text)
    validity = find_validity(sentences, pdf_title, rules.documents)
    year = int(validity.start[:4]) if validity.start else None
    if year is None and pdf_title and (m := regex.search(r"\b((?:19|20)\d{2})\b", pdf_title)):
        year = int(m.group(1))
    return Metadata(
        doc_type=doc_type,
        title=pdf_title,
        municipalities=find_municipalities(parties, full_text),
        parties=parties,
        signing=find_signing(full_text, rules),
        validity=validity,
        year=year,
    )
