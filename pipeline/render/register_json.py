"""``json/<doc_id>.json`` per document, ``register.json`` (streamed), its JSON Schema and
``errors.json``."""

from __future__ import annotations

import json
from pathlib import Path

from ..files import AtomicFile, remove_stale, to_json, write_atomic
from ..model import Document


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
        # Indented line by line at "\n" only: textwrap.indent would also break lines at the
        # line separators (U+2028, ...) a string may hold, changing the text.
        self.register.handle.write(separator + "  " + json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        self.names.add(f"{document.doc_id}.json")

    def finish(self, errors: list[dict[str, str]]) -> None:
        self.register.handle.write("\n]\n" if self.names else "]\n")
        self.register.commit()
        remove_stale(self.out / "json", "*.json", self.names)
        write_atomic(self.out / "register.schema.json", to_json(Document.model_json_schema()))
        write_atomic(self.out / "errors.json", to_json(sorted(errors, key=lambda e: e["path"])))

    def discard(self) -> None:
        self.register.discard()
