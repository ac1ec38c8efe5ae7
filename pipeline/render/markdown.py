"""``markdown/<doc_id>.md``: the register of one document as Markdown."""

from __future__ import annotations

from ..model import Document
from .site import environment


def markdown_page(document: Document) -> bytes:
    """``markdown/<doc_id>.md``: one readable page per document."""
    return environment(markdown=True).get_template("document.md").render(d=document).encode("utf-8")
