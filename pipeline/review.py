"""The review queue: what a person should check in a document, each with a correction to paste.

The document's ``review`` reasons (:func:`pipeline.extract.review_reasons`, and corrections that
were not applied) and the values the extractor is least sure of: an afspraak without a
responsible party, a target whose unit is none the rules know, a deadline before the agreement
starts, a theme decided by the text's words because no heading names one. A value a person
corrected, an afspraak a person checked, and every value of a checked document leave the
queue, and so does an afspraak a person added or split off. Each item carries a correction file (YAML) that can be pasted as it is and then edited:
as pasted, it changes nothing.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

import yaml
from pydantic import BaseModel

from .correct import first_words
from .model import THEMES, Afspraak, Document
from .model.contract import PARTY_KINDS, REVIEW_LABELS, ReviewReason
from .model.rules import Rules

# What the extractor is least sure of, per afspraak.
Concern = Literal["no_responsible", "unknown_unit", "deadline_before_start", "theme_by_content"]
CONCERN_LABELS: dict[Concern, str] = {
    "no_responsible": "geen verantwoordelijke partij gevonden",
    "unknown_unit": "een doel met een onbekende eenheid",
    "deadline_before_start": "een termijn vóór het begin van de looptijd",
    "theme_by_content": "thema gekozen op de woorden van de tekst (geen kopje noemt een thema)",
}
# The tag a person corrects to settle a concern.
CONCERN_FIELDS: dict[Concern, str] = {
    "no_responsible": "responsible", "unknown_unit": "targets", "deadline_before_start": "deadlines", "theme_by_content": "theme",
}
# Units that are not a counted noun.
KNOWN_UNITS = ("%", "EUR", "label")
# Below an afspraak's entry: delete "# " to mark it checked.
CHECK_LINE = "  # checked: <naam>, <jjjj-mm-dd>"
# What a tag may hold, shown below its entry.
TAG_HELP = {
    "theme": ", ".join(THEMES),
    "deadlines": "text, date (jjjj-mm-dd), recurrence (P1Y, P6M …)",
    "targets": "text, comparator (>=, <=, ~, =, range), value, value_max, unit, label, per",
}


class ReviewItem(BaseModel):
    """One thing to check: a document review reason, or a concern about one afspraak."""

    doc_id: str
    reason: str  # a review reason of the contract, or a Concern
    label: str  # in Dutch
    afspraak: Optional[str] = None  # the afspraak's id
    number: Optional[str] = None  # as the site shows it: "34", "•3"
    page: Optional[int] = None
    text: Optional[str] = None  # the afspraak's first words
    snippet: str  # a correction file to paste (YAML)


def correction_name(doc_id: str) -> str:
    """The file a document's corrections go in."""
    return f"{doc_id}.yaml"


def _snippet(document: Document, body: dict[str, Any], comments: list[str]) -> str:
    head = {"source_sha256": document.source.sha256, **body}
    text = yaml.safe_dump(head, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return text + "".join(f"{line}\n" for line in comments)


def _corrected_fields(document: Document) -> set[tuple[str | None, str]]:
    return {(r.afspraak, r.field) for r in document.corrections}


def concerns(afspraak: Afspraak, document: Document, rules: Rules) -> list[Concern]:
    """What the extractor is least sure of in one afspraak."""
    found: list[Concern] = []
    if not afspraak.responsible:
        found.append("no_responsible")
    counted = rules.targets.count_nouns
    if any(t.unit not in KNOWN_UNITS and not any(t.unit.endswith(noun) for noun in counted) for t in afspraak.targets):
        found.append("unknown_unit")
    start = document.validity.start
    if start and any(d.date and d.date < start for d in afspraak.deadlines):
        found.append("deadline_before_start")
    from .tag.theme import theme_from_headings  # pipeline.tag loads spaCy: not for a run that only renders

    if theme_from_headings(afspraak.section_path, rules.themes) is None:
        found.append("theme_by_content")
    return found


def _afspraak_item(document: Document, afspraak: Afspraak, concern: Concern) -> ReviewItem:
    name = CONCERN_FIELDS[concern]
    entry: dict[str, Any] = {"afspraak": afspraak.number} if afspraak.number is not None else {}
    entry["first_words"] = first_words(afspraak.text)
    value = getattr(afspraak, name)
    if name in ("deadlines", "targets"):
        value = [v.model_dump(mode="json", exclude={"start", "end"}) for v in value]
    entry[name] = value
    choices = "; ".join(p.name for p in document.parties) if name == "responsible" else TAG_HELP[name]
    return ReviewItem(
        doc_id=document.doc_id, reason=concern, label=CONCERN_LABELS[concern], afspraak=afspraak.id,
        number=afspraak.number if afspraak.number is not None else f"•{afspraak.ordinal}", page=afspraak.page,
        text=first_words(afspraak.text), snippet=_snippet(document, {"afspraken": [entry]}, [f"  # {name}: {choices}", CHECK_LINE]),
    )


def _document_body(document: Document, reason: ReviewReason) -> tuple[dict[str, Any], list[str]]:
    """The correction that settles a document review reason: its fields as found, or an
    example in comments where nothing was found to correct."""
    if reason == "unknown_municipality":
        return {"municipalities": document.municipalities}, []
    if reason == "no_validity":
        return {"validity": {"start": document.validity.start, "end": document.validity.end}}, []
    if reason == "no_parties":
        return {}, ["# new_parties:", f"#   - {{name: Gemeente …, kind: gemeente, aliases: [de gemeente]}}   # kind: {', '.join(PARTY_KINDS)}"]
    if reason == "no_afspraken":
        return {}, ["# new_afspraken:", "#   - {number: '1', text: …, page: 1, theme: samenwerking}"]
    if reason == "afspraak_looks_like_heading":
        return {}, ["# afspraken:", "#   - {afspraak: '<nummer>', drop: true}"]
    # stale_correction: the correction's afspraken and source_sha256 checked against the source as it is now
    return {}, ["# hierboven de sha256 van het bronbestand zoals het nu is: zet die in de correctie nadat u die hebt nagekeken"]


def review_items(document: Document, rules: Rules) -> list[ReviewItem]:
    """What a person should check in ``document``: its review reasons first, then the
    afspraken in document order."""
    items = [
        ReviewItem(doc_id=document.doc_id, reason=reason, label=REVIEW_LABELS[reason], snippet=_snippet(document, *_document_body(document, reason)))
        for reason in document.review
    ]
    if document.checked:
        return items
    corrected = _corrected_fields(document)
    for afspraak in document.afspraken:
        if afspraak.checked or (afspraak.id, "afspraak") in corrected:  # checked, or written by a person (added, split off)
            continue
        items += [
            _afspraak_item(document, afspraak, concern)
            for concern in concerns(afspraak, document, rules)
            if (afspraak.id, CONCERN_FIELDS[concern]) not in corrected
        ]
    return items
