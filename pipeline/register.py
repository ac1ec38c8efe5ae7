"""Stage 6 — register: one JSON per document, the whole register and its JSON Schema.

Also decides which inputs are the same document (a PDF and its text export): the register
keeps one and warns about the other, so comparisons never count a document twice.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .models import Document

# Two inputs with the same doc_id whose word sets overlap at least this much are one document.
SAME_DOCUMENT_JACCARD = 0.6


@dataclass(frozen=True)
class Extraction:
    """A document and the words of its cleaned text (used to recognise duplicates)."""

    document: Document
    words: frozenset[str]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _with_doc_id(doc: Document, doc_id: str) -> Document:
    afspraken = [a.model_copy(update={"id": f"{doc_id}#{a.number}"}) for a in doc.afspraken]
    return doc.model_copy(update={"doc_id": doc_id, "afspraken": afspraken})


def merge_duplicates(extractions: list[Extraction]) -> list[Document]:
    """One document per real document; clashing doc_ids of different documents get -2, -3.

    Inputs are taken in order (callers sort PDFs first, since documents arrive as PDF).
    """
    kept: list[Extraction] = []
    for ext in extractions:
        twin = next(
            (k for k in kept if k.document.doc_id == ext.document.doc_id and jaccard(k.words, ext.words) >= SAME_DOCUMENT_JACCARD),
            None,
        )
        if twin is None:
            kept.append(ext)
            continue
        note = (
            f"Dubbele invoer: {ext.document.source.path} is hetzelfde document als "
            f"{twin.document.source.path}; alleen dat laatste is opgenomen."
        )
        index = kept.index(twin)
        kept[index] = Extraction(twin.document.model_copy(update={"warnings": [*twin.document.warnings, note]}), twin.words)
    documents: list[Document] = []
    taken: set[str] = set()
    for ext in kept:
        doc, base, suffix = ext.document, ext.document.doc_id, 2
        while doc.doc_id in taken:
            doc, suffix = _with_doc_id(ext.document, f"{base}-{suffix}"), suffix + 1
        taken.add(doc.doc_id)
        documents.append(doc)
    return documents


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_partial_files(out: Path) -> None:
    """Temporary files a killed run left behind (``.<name>.<random>``); the real files are intact."""
    for path in out.rglob(".*"):
        if path.is_file():
            path.unlink()


def to_json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def write_register(documents: list[Document], errors: list[dict[str, str]], out: Path) -> None:
    """Per-document JSON, ``register.json``, ``register.schema.json`` and ``errors.json``.

    Per-document files of documents no longer in the register are removed, so the
    folder always describes the same set of documents as ``register.json``.
    """
    remove_partial_files(out)
    documents = sorted(documents, key=lambda d: d.doc_id)
    json_dir = out / "json"
    for doc in documents:
        write_atomic(json_dir / f"{doc.doc_id}.json", to_json(doc.model_dump(mode="json")))
    current = {f"{doc.doc_id}.json" for doc in documents}
    for stale in json_dir.glob("*.json"):
        if stale.name not in current:
            stale.unlink()
    write_atomic(out / "register.json", to_json([doc.model_dump(mode="json") for doc in documents]))
    write_atomic(out / "register.schema.json", to_json(Document.model_json_schema()))
    write_atomic(out / "errors.json", to_json(sorted(errors, key=lambda e: e["path"])))
