"""``json/<doc_id>.json`` per document, ``register.json`` (streamed), its JSON Schema and
``errors.json``."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import AtomicFile, to_json, write_atomic
from ..model import Document

if TYPE_CHECKING:
    from . import Part

# Line breaks other than "\n" that json.dumps leaves in strings (ensure_ascii=False) and that
# textwrap.indent breaks lines at, in UTF-8.
_OTHER_LINE_BREAKS = tuple(mark.encode("utf-8") for mark in ("\x85", "\u2028", "\u2029"))


def document_json(document: Document) -> bytes:
    """``json/<doc_id>.json``: one register document."""
    return to_json(document.model_dump(mode="json"))


def register_share(page: bytes) -> dict[str, bytes]:
    """Whether a document's JSON page breaks lines at "\\n" only (its fragment's ``register``
    section), so that register.json indents it without looking for other line breaks."""
    return {"register": json.dumps({"plain_lines": not any(mark in page for mark in _OTHER_LINE_BREAKS)}).encode()}


def _indented(page: bytes, plain_lines: bool) -> bytes:
    """A document's JSON page as an entry of register.json: indented two spaces, as
    textwrap.indent does it (no line of the JSON is blank, so every line is indented)."""
    text = page.removesuffix(b"\n")
    if plain_lines:
        return b"  " + text.replace(b"\n", b"\n  ")
    return textwrap.indent(text.decode("utf-8"), "  ").encode("utf-8")


class RegisterWriter:
    """``register.json`` (the documents' JSON pages, streamed), ``register.schema.json`` and
    ``errors.json``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.documents = 0
        self.register = AtomicFile(out / "register.json")
        self.register.handle.write(b"[")

    def add(self, part: Part) -> None:
        plain_lines = json.loads(part.fragment["register"])["plain_lines"]
        self.register.handle.write((b",\n" if self.documents else b"\n") + _indented(part.json_page, plain_lines))
        self.documents += 1

    def finish(self, errors: list[dict[str, str]]) -> None:
        self.register.handle.write(b"\n]\n" if self.documents else b"]\n")
        self.register.commit()
        write_atomic(self.out / "register.schema.json", to_json(Document.model_json_schema()))
        write_atomic(self.out / "errors.json", to_json(sorted(errors, key=lambda e: e["path"])))

    def discard(self) -> None:
        self.register.discard()
