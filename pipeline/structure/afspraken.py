"""Blocks → afspraken: which numbered items are agreements, and their unique numbers."""

from __future__ import annotations

import regex

from ..metadata.parties import is_party_item
from ..model import Afspraak, Block, SourceDocument
from ..model.rules import Rules
from .blocks import lines_to_blocks, table_to_blocks


def document_blocks(doc: SourceDocument, rules: Rules) -> list[Block]:
    """Headings and items of the cleaned document, ruled afspraken tables included."""
    lines = [line for page in doc.pages for line in page.lines]
    blocks = lines_to_blocks(lines, rules.structure)
    for page in doc.pages:
        for table in page.tables:
            before = [b for b in blocks if b.page is not None and page.number is not None and b.page <= page.number]
            path = _path_after(before)
            blocks.extend(table_to_blocks(table, path, len(path)))
    return blocks


def _path_after(blocks: list[Block]) -> list[str]:
    """The section path in force after the last of ``blocks``."""
    for block in reversed(blocks):
        if block.kind == "heading":
            return [*block.section_path, block.text]
        if block.kind == "item":
            return block.section_path
    return []


def _is_agreement(block: Block, rules: Rules) -> bool:
    """Items that are afspraken: not party entries, not lists in an introduction or process section."""
    if block.kind != "item" or block.in_intro_list or is_party_item(block.text, rules.parties):
        return False
    sections = rules.structure.non_agreement_sections
    for heading in block.section_path:
        words = regex.sub(r"^[\d.\s]+", "", heading).lower()
        if any(words == s or words.startswith(s + " ") for s in sections):
            return False
    return True


def _unique_numbers(items: list[Block]) -> list[str]:
    """Numbers as printed; a number seen before gets its section's number in front ("2.1")."""
    seen: set[str] = set()
    numbers = []
    for item in items:
        number = item.number or "?"
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


def build_afspraken(doc_id: str, blocks: list[Block], paged: bool, rules: Rules) -> list[Afspraak]:
    items = [b for b in blocks if _is_agreement(b, rules)]
    return [
        Afspraak(
            id=f"{doc_id}#{number}",
            number=number,
            text=item.text,
            section_path=item.section_path,
            page=item.page if paged else None,
        )
        for item, number in zip(items, _unique_numbers(items))
    ]
