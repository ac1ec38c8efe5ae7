"""``markdown/<doc_id>.md``: the register of one document as Markdown."""

from __future__ import annotations

from pathlib import Path

from ..files import remove_stale, write_atomic
from ..model import Document
from ..model.rules import Rules
from .site import environment


class MarkdownWriter:
    """``markdown/<doc_id>.md``: one readable page per document."""

    def __init__(self, out: Path, rules: Rules) -> None:
        self.folder, self.units = out / "markdown", rules.quantities
        self.template = environment(markdown=True).get_template("document.md")
        self.names: set[str] = set()

    def add(self, document: Document) -> None:
        write_atomic(self.folder / f"{document.doc_id}.md", self.template.render(d=document, units=self.units).encode("utf-8"))
        self.names.add(f"{document.doc_id}.md")

    def finish(self, errors: list[dict[str, str]]) -> None:
        remove_stale(self.folder, "*.md", self.names)

    def discard(self) -> None:
        pass
