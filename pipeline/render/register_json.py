"""``json/<doc_id>.json`` per document, ``register.json`` (streamed), its JSON Schema and
``errors.json``."""

from __future__ import annotations

from pathlib import Path

from ..files import AtomicFile, to_json, write_atomic
from ..model import Document


def document_json(document: Document) -> bytes:
    """``json/<doc_id>.json``: the document as the register contract has it; serialised by
    pydantic (in Rust), as ``to_json`` writes the same data, several times faster."""
    return document.model_dump_json(indent=2).encode("utf-8") + b"\n"


class RegisterWriter:
    """``register.json`` (streamed, from the documents' JSON pages), ``register.schema.json``
    and ``errors.json``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.documents = 0
        self.register = AtomicFile(out / "register.json")
        self.register.handle.write(b"[")

    def add(self, json_page: bytes) -> None:
        """A document's JSON page (:func:`document_json`), indented one level as an item of the
        list. Indented at "\\n" only, which JSON text holds only between tokens (a string's
        line breaks, and U+2028 and the like, are escaped or kept as they are)."""
        separator = b",\n" if self.documents else b"\n"
        self.register.handle.write(separator + b"  " + json_page.rstrip(b"\n").replace(b"\n", b"\n  "))
        self.documents += 1

    def finish(self, errors: list[dict[str, str]]) -> None:
        self.register.handle.write(b"\n]\n" if self.documents else b"]\n")
        self.register.commit()
        write_atomic(self.out / "register.schema.json", to_json(Document.model_json_schema()))
        write_atomic(self.out / "errors.json", to_json(sorted(errors, key=lambda e: e["path"])))

    def discard(self) -> None:
        self.register.discard()
