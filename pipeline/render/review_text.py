"""``afspraken review DOC_ID``: a document's review queue in the terminal, as
``site/controleren.html`` shows it (the content in Dutch, like every report)."""

from __future__ import annotations

from pathlib import Path

from ..files import printable
from ..model import Document
from ..review import ReviewItem, correction_name
from .site import afspraak_link, page_link, source_pdf


def _uri(site: Path, link: str) -> str:
    """A link of the site as a file URI a terminal can open (the fragment kept)."""
    name, hash_, fragment = link.partition("#")
    return (site / name).resolve().as_uri() + hash_ + fragment


def review_text(document: Document, items: list[ReviewItem], site: Path) -> str:
    """The queue as lines for a terminal: each item with its links and the correction to
    paste; every line from a document made printable (no control characters)."""
    pdf = source_pdf(document.doc_id)
    has_pdf = (site / pdf).is_file()
    lines = [
        f"{document.doc_id} — {document.title or 'zonder titel'} ({document.source.path})",
        f"{len(items)} {'punt' if len(items) == 1 else 'punten'} om na te kijken; correcties in corrections/{correction_name(document.doc_id)}",
    ]
    for number, item in enumerate(items, start=1):
        what = f"afspraak {item.number}" if item.afspraak else "document"
        where = f", pagina {item.page}" if item.page else ""
        lines += ["", f"{number}. {what}{where}: {item.label}"]
        if item.text:
            lines.append(f"   “{item.text} …”")
        if item.afspraak:
            lines.append(f"   afspraak: {_uri(site, afspraak_link(document.doc_id, item.afspraak))}")
        if has_pdf:
            lines.append(f"   bron:     {_uri(site, page_link(pdf, item.page))}")
        lines.append("   correctie:")
        lines += [f"     {line}" for line in item.snippet.splitlines()]
    return "\n".join(printable(line) for line in lines)
