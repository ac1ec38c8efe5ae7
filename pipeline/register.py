"""Stage 6 — register: which documents the register holds.

Decides which inputs are the same document (a PDF and its text export): the register keeps
one and warns about the other, so comparisons never count a document twice; clashing doc_ids
of different documents get -2, -3. Only small records of each document are used, so memory
does not grow with the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Document
from .model.contract import afspraak_id


@dataclass(frozen=True)
class Entry:
    """A document that was read: its input path, its doc_id and the file holding its extraction."""

    path: Path
    doc_id: str
    cache_file: Path


# Two inputs with the same doc_id whose word sets overlap at least this much are one document.
SAME_DOCUMENT_JACCARD = 0.6


@dataclass(frozen=True)
class Planned:
    """A document as it goes into the register: under which doc_id, with which extra warnings."""

    entry: Entry
    doc_id: str
    notes: tuple[str, ...] = ()


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def plan_register(entries: list[Entry], words: Callable[[Entry], frozenset[str]]) -> list[Planned]:
    """One document per real document, sorted by doc_id; clashing doc_ids of different
    documents get -2, -3.

    Entries are taken in order (callers sort PDFs first, since documents arrive as PDF).
    ``words`` is asked only for entries that share a doc_id with another.
    """
    shared = {doc_id for doc_id, n in Counter(e.doc_id for e in entries).items() if n > 1}
    loaded: dict[Entry, frozenset[str]] = {}

    def words_of(entry: Entry) -> frozenset[str]:
        if entry not in loaded:
            loaded[entry] = words(entry)
        return loaded[entry]

    kept: list[Entry] = []
    notes: dict[Entry, list[str]] = {}
    for entry in entries:
        twin = None
        if entry.doc_id in shared:
            twin = next(
                (k for k in kept if k.doc_id == entry.doc_id and jaccard(words_of(k), words_of(entry)) >= SAME_DOCUMENT_JACCARD),
                None,
            )
        if twin is None:
            kept.append(entry)
            continue
        notes.setdefault(twin, []).append(
            f"Dubbele invoer: {entry.path} is hetzelfde document als {twin.path}; alleen dat laatste is opgenomen."
        )
    planned: list[Planned] = []
    taken: set[str] = set()
    for entry in kept:
        doc_id, suffix = entry.doc_id, 2
        while doc_id in taken:
            doc_id, suffix = f"{entry.doc_id}-{suffix}", suffix + 1
        taken.add(doc_id)
        planned.append(Planned(entry, doc_id, tuple(notes.get(entry, ()))))
    return sorted(planned, key=lambda p: p.doc_id)


def apply_plan(document: Document, planned: Planned) -> Document:
    """The document under its register doc_id, with the duplicate notes added."""
    update: dict[str, Any] = {}
    if planned.doc_id != document.doc_id:
        update["doc_id"] = planned.doc_id
        update["afspraken"] = [a.model_copy(update={"id": afspraak_id(planned.doc_id, a.number, a.ordinal)}) for a in document.afspraken]
    if planned.notes:
        update["warnings"] = [*document.warnings, *planned.notes]
    return document.model_copy(update=update) if update else document


