"""Stage 6 — register: which documents it holds, one JSON per document, the whole register
and its JSON Schema.

Also decides which inputs are the same document (a PDF and its text export): the register
keeps one and warns about the other, so comparisons never count a document twice.

Documents are written one at a time (see :mod:`pipeline.render`); only small records of
each are kept, so memory does not grow with the corpus.
"""

from __future__ import annotations

import json
import os
import tempfile
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .models import Document

# Two inputs with the same doc_id whose word sets overlap at least this much are one document.
SAME_DOCUMENT_JACCARD = 0.6


@dataclass(frozen=True)
class Extraction:
    """A document and the words of its cleaned text (used to recognise duplicates)."""

    document: Document
    words: frozenset[str]


@dataclass(frozen=True)
class Entry:
    """A document that was read: its input path, its doc_id and the file holding its extraction."""

    path: Path
    doc_id: str
    cache_file: Path


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
        update["afspraken"] = [a.model_copy(update={"id": f"{planned.doc_id}#{a.number}"}) for a in document.afspraken]
    if planned.notes:
        update["warnings"] = [*document.warnings, *planned.notes]
    return document.model_copy(update=update) if update else document


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; outputs get the usual permissions.
FILE_MODE = 0o666 & ~_umask()


class AtomicFile:
    """A file written in pieces beside its destination and renamed into place on commit,
    so readers see the old file or the whole new one, never half of it."""

    def __init__(self, path: Path, mode: str = "wb", **open_args: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        self.path, self.tmp = path, Path(tmp)
        self.handle: IO[Any] = os.fdopen(fd, mode, **open_args)

    def commit(self) -> None:
        self.handle.close()
        os.chmod(self.tmp, FILE_MODE)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    target = AtomicFile(path)
    try:
        target.handle.write(data)
    except BaseException:
        target.discard()
        raise
    target.commit()


def remove_partial_files(out: Path) -> None:
    """Temporary files a killed run left behind (``.<name>.<random>``); the real files are intact."""
    for path in out.rglob(".*"):
        if path.is_file():
            path.unlink()


def remove_stale(folder: Path, pattern: str, current: set[str]) -> None:
    """Files of documents no longer in the register, so a folder describes the same documents."""
    for stale in folder.glob(pattern):
        if stale.name not in current:
            stale.unlink()


def to_json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


class RegisterWriter:
    """``json/<doc_id>.json`` per document, ``register.json`` (streamed), ``register.schema.json``
    and ``errors.json``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.names: set[str] = set()
        self.register = AtomicFile(out / "register.json", "w", encoding="utf-8", newline="\n")
        self.register.handle.write("[")

    def add(self, document: Document) -> None:
        data = document.model_dump(mode="json")
        write_atomic(self.out / "json" / f"{document.doc_id}.json", to_json(data))
        separator = ",\n" if self.names else "\n"
        self.register.handle.write(separator + textwrap.indent(json.dumps(data, ensure_ascii=False, indent=2), "  "))
        self.names.add(f"{document.doc_id}.json")

    def finish(self, errors: list[dict[str, str]]) -> None:
        self.register.handle.write("\n]\n" if self.names else "]\n")
        self.register.commit()
        remove_stale(self.out / "json", "*.json", self.names)
        write_atomic(self.out / "register.schema.json", to_json(Document.model_json_schema()))
        write_atomic(self.out / "errors.json", to_json(sorted(errors, key=lambda e: e["path"])))

    def discard(self) -> None:
        self.register.discard()
