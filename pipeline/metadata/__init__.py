"""Stage 4 — extract metadata: document type, title, municipality, parties, signing, validity."""

from __future__ import annotations

from collections.abc import Iterable

import regex
from pydantic import BaseModel, Field

from ..model import Block, Party, Signing, Validity
from ..model.contract import DocType
from ..model.rules import Rules
from .dates import find_signing, find_validity
from .doctype import OPENING_CHARS, detect_doc_type
from .parties import find_municipalities, is_party_item, parse_party

_SENTENCE_END = regex.compile(r"(?<=[.!?])\s+(?=[\p{Lu}‘'\"“])")


class Metadata(BaseModel):
    """Document-level facts, before the afspraken are tagged."""

    doc_type: DocType
    title: str | None = None
    municipalities: list[str] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    signing: Signing = Field(default_factory=Signing)
    validity: Validity = Field(default_factory=Validity)
    year: int | None = None  # first year of validity, for the doc_id


def split_sentences(text: str) -> list[str]:
    return [regex.sub(r"\s+", " ", s).strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _unique_names(parties: Iterable[Party]) -> list[Party]:
    """Each party once (a party list and a signature block may both name it), first wins."""
    seen: dict[str, Party] = {}
    for party in parties:
        seen.setdefault(party.name.lower(), party)
    return list(seen.values())


def extract_metadata(blocks: list[Block], full_text: str, pdf_title: str | None, rules: Rules) -> Metadata:
    """Everything about the document that is not an afspraak."""
    doc_type = detect_doc_type(full_text[:OPENING_CHARS], rules.documents)
    parties = _unique_names(
        parse_party(b.text if is_party_item(b.text, rules.parties) else b.first_line, full_text, rules.parties)
        for b in blocks
        if b.kind == "item" and (b.party_list or is_party_item(b.text, rules.parties))
    )
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
