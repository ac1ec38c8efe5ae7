"""``markdown/<doc_id>.md``: the register of one document as Markdown."""

from __future__ import annotations

from ..model import Document
from ..model.rules import Rules
from .site import environment


def markdown_page(document: Document, rules: Rules) -> bytes:
    """One readable page per document."""
    return environment(markdown=True).get_template("document.md").render(d=document, units=rules.quantities).encode("utf-8")
