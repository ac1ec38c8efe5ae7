"""Stage 4 — extract metadata: document type, title, municipality, parties, signing, validity."""

from __future__ import annotations

from collections.abc import Iterable

import regex
from pydantic import BaseModel, Field

from ..model import Block, Party, Signing, Validity
from ..model.contract import DocType
from ..model.rules import Rules
from .dates import find_signing, find_validity
from .doctype import OPENING_CHARS, detect_doc_type, find_title
from .municipalities import lookup, municipality_names, place_in_title
from ..model.rules import PartyRules
from .parties import (
    is_party_item, parties_from_cover, parse_party_item, parties_from_rows, parties_from_sentence, party_table_rows, signature_rows,
    with_short_forms,
)

_SENTENCE_END = regex.compile(r"(?<=[.!?])\s+(?=[\p{Lu}‘'\"“])")
_WHITESPACE = regex.compile(r"\s+")


class Metadata(BaseModel):
    """Document-level facts, before the afspraken are tagged."""

    doc_type: DocType
    title: str | None = None
    municipalities: list[str] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    signing: Signing = Field(default_factory=Signing)
    validity: Validity = Field(default_factory=Validity)
    municipality_codes: list[str | None] = Field(default_factory=list)
    region: str | None = None  # the region a regional agreement's title names ("Regio Kempenland")
    year: int | None = None  # first year of validity, for the doc_id


def split_sentences(text: str) -> list[str]:
    return [_WHITESPACE.sub(" ", s).strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _unique_names(parties: Iterable[Party]) -> list[Party]:
    """Each party once (a party list and a signature block may both name it), first wins."""
    seen: dict[str, Party] = {}
    for party in parties:
        seen.setdefault(party.name.lower(), party)
    return list(seen.values())


def find_parties(
    blocks: list[Block], full_text: str, first_lines: list[str], tables: list[list[list[str]]], rules: PartyRules
) -> list[Party]:
    """The signing parties from the first form that names them: a numbered or bulleted party
    list, a party table, a running sentence in the opening, a cover listing them, the
    signature block at the end."""
    candidates = [b for b in blocks if b.kind == "item" and (b.party_list or is_party_item(b.text, rules))]
    if any(is_party_item(b.text, rules) for b in candidates):
        # parties named with their representatives: an item without one is a considerans
        candidates = [b for b in candidates if is_party_item(b.text, rules)]
    listed = _unique_names(
        party
        for b in candidates
        for party in parse_party_item(b.text if is_party_item(b.text, rules) else b.first_line, full_text, rules)
        if party.name
    )
    if listed:
        return with_short_forms(listed, full_text, rules)
    lines = full_text.split("\n")
    for found in (
        lambda: parties_from_rows(party_table_rows(lines, tables, rules), rules),
        lambda: parties_from_sentence(full_text[:OPENING_CHARS], full_text, rules),
        lambda: parties_from_cover(first_lines, rules),
        lambda: parties_from_rows(signature_rows(lines, rules), rules),
    ):
        parties = _unique_names(found())
        if parties:
            return with_short_forms(parties, full_text, rules)
    return []


def extract_metadata(
    blocks: list[Block],
    full_text: str,
    first_lines: list[str],
    pdf_title: str | None,
    rules: Rules,
    tables: list[list[list[str]]] | None = None,
    has_afspraken: bool = False,
) -> Metadata:
    """Everything about the document that is not an afspraak. ``first_lines``: the top of the
    first page as printed (a running title is still there); ``has_afspraken``: whether the
    structure holds afspraken (a document with afspraken is never a woonvisie unless its title
    says so)."""
    title = find_title(first_lines, pdf_title, rules.documents)
    parties = find_parties(blocks, full_text, first_lines, tables or [], rules.parties)
    doc_type = detect_doc_type(title, full_text[:OPENING_CHARS], has_afspraken, rules.documents, bool(parties))
    sentences = split_sentences(full_text)
    validity = find_validity(sentences, title, rules.documents, first_lines)
    year = int(validity.start[:4]) if validity.start else None
    if year is None and title and (m := regex.search(r"\b((?:19|20)\d{2})\b", title)):
        year = int(m.group(1))
    gemeenten = [regex.sub(r"^gemeente\s+", "", p.name, flags=regex.IGNORECASE) for p in parties if p.kind == "gemeente"]
    municipalities = municipality_names(gemeenten, title, full_text, rules.documents, rules.municipalities)
    place, is_region = place_in_title(title, rules.documents) if title else (None, False)
    codes = [known.code if (known := lookup(m, rules.municipalities)) and known.former is None else None for m in municipalities]
    return Metadata(
        doc_type=doc_type,
        title=title,
        municipalities=municipalities,
        municipality_codes=codes,
        region=place if is_region else None,
        parties=parties,
        signing=find_signing(full_text, rules),
        validity=validity,
        year=year,
    )
