"""Stage 6 — register: which documents the register holds.

Decides which inputs are the same document (a PDF and its text export): the register keeps
one and warns about the other, so comparisons never count a document twice; clashing doc_ids
of different documents get -2, -3. Only small records of each document are used, so memory
does not grow with the corpus.

Two inputs are one document only when they are the same text in two formats: byte-identical
files, or a PDF and a text file whose word sets are nearly the same and whose lengths are
close. Two inputs of one format are two documents (a copy of an agreement with another
corporation and other numbers has almost the same words, but it is another agreement). Which
document gets the plain doc_id and which one -2 is decided by the files' sha256, never by the
order of the paths, so a document keeps its id from run to run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a run that only checks what is new never loads the models
    from .model import Document


@dataclass(frozen=True)
class Entry:
    """A document that was read: its input path, its doc_id and the file holding its extraction."""

    path: Path
    doc_id: str
    cache_file: Path


@dataclass(frozen=True)
class Fingerprint:
    """What decides whether two inputs are one document, and the order of clashing doc_ids."""

    sha256: str  # of the file's bytes
    format: str  # "pdf" or "text"
    words: frozenset[str]  # the words of the cleaned text
    length: int  # how many words the cleaned text has (repeats counted)
    parties: frozenset[str] = frozenset()  # the signing parties' names, lower case


# A PDF and a text file are one document when their word sets overlap at least this much (a PDF
# and its own text export: 0.96–1.0 on the corpus; two different agreements: 0.3) …
SAME_DOCUMENT_JACCARD = 0.9
# … and the shorter text has at least this share of the longer one's words (corpus: 0.94–1.0).
SAME_DOCUMENT_LENGTH_RATIO = 0.9


@dataclass(frozen=True)
class Planned:
    """A document as it goes into the register: under which doc_id, with which extra warnings."""

    entry: Entry
    doc_id: str
    notes: tuple[str, ...] = ()


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def same_document(a: Fingerprint, b: Fingerprint) -> bool:
    """The same text: byte-identical files, or two formats of one text (a PDF and its export)."""
    if a.sha256 == b.sha256:
        return True
    if a.format == b.format:
        return False  # two PDFs (or two text files) that differ are two documents
    shorter, longer = sorted((a.length, b.length))
    return (
        a.parties == b.parties  # a copy signed by another corporation is another agreement
        and jaccard(a.words, b.words) >= SAME_DOCUMENT_JACCARD
        and shorter >= SAME_DOCUMENT_LENGTH_RATIO * longer
    )


def plan_register(entries: list[Entry], fingerprint: Callable[[Entry], Fingerprint]) -> list[Planned]:
    """One document per real document, sorted by doc_id; clashing doc_ids of different
    documents get -2, -3 in the order of their sha256.

    The result does not depend on the order of ``entries``. Of two inputs that are one
    document the PDF is kept (that is how documents arrive, and it has page numbers).
    ``fingerprint`` is asked only for entries that share a doc_id with another.
    """
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.doc_id].append(entry)
    taken = set(groups)  # a suffixed id never takes the plain id of another document
    planned: list[Planned] = []
    for doc_id in sorted(groups):
        group = groups[doc_id]
        if len(group) == 1:
            planned.append(Planned(group[0], doc_id))
            continue
        kept, notes = _merge_twins(group, {entry: fingerprint(entry) for entry in group})
        suffix = 2
        for position, entry in enumerate(kept):
            register_id = doc_id
            if position:
                while f"{doc_id}-{suffix}" in taken:
                    suffix += 1
                register_id = f"{doc_id}-{suffix}"
                taken.add(register_id)
            planned.append(Planned(entry, register_id, tuple(notes.get(entry, ()))))
    return sorted(planned, key=lambda p: p.doc_id)


def _merge_twins(group: list[Entry], prints: dict[Entry, Fingerprint]) -> tuple[list[Entry], dict[Entry, list[str]]]:
    """The documents among inputs sharing a doc_id, sorted by sha256, and the notes on the
    inputs they stand for. Byte-identical copies are one document; otherwise a PDF and a text
    file are paired when they are the same text, each with at most one other, the most
    similar pairs first (a PDF, its text export and the export of a changed copy: the PDF
    pairs with its own export, the copy stays a document)."""

    def order(entry: Entry) -> tuple[bool, str, str]:
        return (prints[entry].format != "pdf", prints[entry].sha256, str(entry.path))

    twin_of: dict[Entry, Entry] = {}
    unique: dict[str, Entry] = {}
    for entry in sorted(group, key=order):
        if prints[entry].sha256 in unique:
            twin_of[entry] = unique[prints[entry].sha256]
        else:
            unique[prints[entry].sha256] = entry
    candidates = sorted(unique.values(), key=order)
    pairs = [
        (jaccard(prints[a].words, prints[b].words), a, b)
        for i, a in enumerate(candidates) for b in candidates[i + 1:] if same_document(prints[a], prints[b])
    ]
    paired: set[Entry] = set()
    for _, a, b in sorted(pairs, key=lambda pair: (-pair[0], order(pair[1]), order(pair[2]))):
        if a not in paired and b not in paired:
            paired.update((a, b))
            twin_of[b] = a  # a comes first in ``order``: the PDF
    notes: dict[Entry, list[str]] = defaultdict(list)
    for entry in sorted(twin_of, key=order):
        notes[twin_of[entry]].append(
            f"Dubbele invoer: {entry.path} is hetzelfde document als {twin_of[entry].path}; alleen dat laatste is opgenomen."
        )
    kept = sorted((e for e in group if e not in twin_of), key=lambda e: (prints[e].sha256, str(e.path)))
    return kept, notes


def apply_plan(document: Document, planned: Planned) -> Document:
    """The document under its register doc_id, with the duplicate notes added."""
    from .model.contract import afspraak_id

    update: dict[str, Any] = {}
    if planned.doc_id != document.doc_id:
        update["doc_id"] = planned.doc_id
        update["afspraken"] = [a.model_copy(update={"id": afspraak_id(planned.doc_id, a.number, a.ordinal)}) for a in document.afspraken]
    if planned.notes:
        update["warnings"] = [*document.warnings, *planned.notes]
    return document.model_copy(update=update) if update else document


