"""Blocks → afspraken: which numbered items are agreements, and their unique numbers."""

from __future__ import annotations

import regex

from ..metadata.parties import is_party_item
from ..model import Afspraak, Block, SourceDocument
from ..model.contract import afspraak_id
from ..model.rules import Rules, compiled
from .blocks import NUMBERING, lines_to_blocks


def document_blocks(doc: SourceDocument, rules: Rules) -> list[Block]:
    """Headings and items of the cleaned document, ruled afspraken tables included."""
    lines = [line for page in doc.pages for line in page.lines]
    return lines_to_blocks(lines, rules.structure, [table for page in doc.pages for table in page.tables])


def _is_agreement(block: Block, rules: Rules) -> bool:
    """Items that are afspraken: not party entries, not lists in an introduction or process section."""
    if block.kind != "item" or block.in_intro_list or is_party_item(block.text, rules.parties):
        return False
    return not any(_is_non_agreement_section(heading, rules) for heading in block.section_path)


def _is_non_agreement_section(heading: str, rules: Rules) -> bool:
    """A heading whose words are, or start with, a section name of ``non_agreement_sections``."""
    sections = compiled(rules.structure, "non_agreement_sections", lambda: regex.compile(
        rf"(?:{'|'.join(map(regex.escape, rules.structure.non_agreement_sections)) or '(?!)'})(?: |\Z)"
    ))
    return sections.match(NUMBERING.sub("", heading).lower()) is not None


def _unique_numbers(items: list[Block]) -> list[str | None]:
    """Numbers as printed; a number seen before gets its section's number in front ("2.1")."""
    seen: set[str] = set()
    numbers: list[str | None] = []
    for item in items:
        if item.number is None:  # an unnumbered afspraak (a bullet under an afspraken heading)
            numbers.append(None)
            continue
        number = item.number
        if number in seen:
            section = next((m.group(0) for h in reversed(item.section_path) if (m := regex.match(r"\d+(?:\.\d+)*", h))), "")
            candidate = f"{section}.{number}" if section else number
            suffix = 2
            while candidate in seen:
                candidate, suffix = f"{number}-{suffix}", suffix + 1
            number = candidate
        seen.add(number)
        numbers.append(number)
    return numbers


def agreement_items(blocks: list[Block], rules: Rules) -> list[Block]:
    """The items that are afspraken, in document order."""
    return [b for b in blocks if _is_agreement(b, rules)]


def build_afspraken(doc_id: str, blocks: list[Block], paged: bool, rules: Rules) -> list[Afspraak]:
    items = agreement_items(blocks, rules)
    return [
        Afspraak(
            id=afspraak_id(doc_id, number, ordinal),
            number=number,
            ordinal=ordinal,
            text=item.text,
            section_path=item.section_path,
            page=item.page if paged else None,
            fields=item.fields,
        )
        for ordinal, (item, number) in enumerate(zip(items, _unique_numbers(items)), start=1)
    ]
