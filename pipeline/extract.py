"""The pipeline for one file: read → clean → structure → metadata → tag.

Each stage is a function of the previous stage's typed output; this module only
wires them together and builds the register :class:`~pipeline.model.Document`.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import regex

from .clean import clean_document
from .clock import stage_clock
from .files import safe_doc_id
from .metadata import Metadata, extract_metadata
from .model import Afspraak, Document, Extraction, Source
from .model.contract import ReviewReason
from .model.rules import Rules
from .read import read_document
from .structure import agreement_items, build_afspraken, document_blocks
from .timeline.progress import with_progress

# A document with at least this many afspraken is an agreement (unless its title says otherwise).
MIN_AFSPRAKEN = 3
# How much of the top of the document may hold its title, period and a cover listing the parties.
OPENING_PAGES = 3
OPENING_LINES = 60
from .tag import tag_afspraken


def slugify(text: str) -> str:
    ascii_text = regex.sub(r"\p{Mn}", "", unicodedata.normalize("NFKD", text))
    return regex.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def review_reasons(document: Document) -> list[ReviewReason]:
    """What a person should check: facts every agreement states that were not found, and
    afspraken whose text reads like a heading (a few words, no sentence)."""
    reasons: list[ReviewReason] = []
    if not document.municipalities or None in document.municipality_codes:
        reasons.append("unknown_municipality")
    if document.doc_type == "prestatieafspraken":
        if not document.parties:
            reasons.append("no_parties")
        if not document.afspraken:
            reasons.append("no_afspraken")
        if not (document.validity.start or document.validity.end):
            reasons.append("no_validity")
        if any(len(a.text.split()) <= 3 and not a.text.rstrip().endswith(".") for a in document.afspraken):
            reasons.append("afspraak_looks_like_heading")
    return reasons


def make_doc_id(meta: Metadata, path: Path, sha256: str) -> str:
    """Municipality + first year of validity; the file name fills what the text lacks. Always
    a safe slug (it names files and links)."""
    return safe_doc_id(_doc_id(meta, path), sha256)


def _doc_id(meta: Metadata, path: Path) -> str:
    stem = slugify(path.stem)
    name = meta.region or (meta.municipalities[0] if meta.municipalities else None)
    place = slugify(name) if name else None
    year = meta.year
    if year is None and (m := regex.search(r"(?:19|20)\d{2}", path.stem)):
        year = int(m.group(0))
    if place is None:
        return stem
    return f"{place}-{year}" if year else place


def extract_document(path: Path, rules: Rules, timings: dict[str, float] | None = None) -> Extraction:
    """Run every stage on one file. Raises :class:`pipeline.read.ReadError` for bad input.

    ``timings``, when given, receives the seconds spent per stage.
    """
    with stage_clock(timings, "reading"):
        raw = read_document(path)
    with stage_clock(timings, "cleaning"):
        source = clean_document(raw, rules.cleaning)
    with stage_clock(timings, "structure"):
        blocks = document_blocks(source, rules)
    with stage_clock(timings, "metadata"):
        full_text = "\n".join(line.text for page in source.pages for line in page.lines)
        tables = [table.rows for page in source.pages for table in page.tables]
        # the opening pages as printed (a text without form feeds is one long "page")
        first_lines = [line for page in source.pages[:OPENING_PAGES] for line in page.raw_text.splitlines()][:OPENING_LINES]
        has_afspraken = len(agreement_items(blocks, rules)) >= MIN_AFSPRAKEN
        meta = extract_metadata(blocks, full_text, first_lines, source.pdf_title, rules, tables, has_afspraken)
        doc_id = make_doc_id(meta, path, source.sha256)
    warnings = list(source.warnings)
    afspraken: list[Afspraak] = []
    if meta.doc_type == "woonvisie":
        warnings.append("Woonvisie: een beleidsvisie, geen overeenkomst; er zijn geen afspraken uit gehaald.")
    else:
        with stage_clock(timings, "tagging"):
            afspraken = build_afspraken(doc_id, blocks, source.paged, rules)
            afspraken = tag_afspraken(afspraken, meta.parties, meta.validity, meta.signing, rules)
            afspraken = [with_progress(a, meta.year, rules.timeline) for a in afspraken]
        if not afspraken:
            warnings.append("Geen genummerde afspraken gevonden.")
    document = Document(
        doc_id=doc_id,
        source=Source(path=str(path), sha256=source.sha256, format=source.format, pages=len(source.pages) if source.paged else None),
        doc_type=meta.doc_type,
        title=meta.title,
        municipalities=meta.municipalities,
        municipality_codes=meta.municipality_codes,
        parties=meta.parties,
        signing=meta.signing,
        validity=meta.validity,
        afspraken=afspraken,
        warnings=warnings,
    )
    document.review = review_reasons(document)
    words = regex.findall(r"\p{L}{4,}", full_text)
    return Extraction(document, frozenset(w.lower() for w in words), len(words))
