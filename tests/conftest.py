"""Shared fixtures: the rules, and each corpus document extracted once per test session."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
import regex

from pipeline.clean import clean_document
from pipeline.extract import extract_document
from pipeline.read import read_document
from pipeline.read.pdf import PdfReadSettings
from pipeline.model import Document, Line
from pipeline.model.rules import Rules, default_rules

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return default_rules()


_CACHE: dict[Path, Document] = {}


def extracted(path: Path) -> Document:
    """The register document for one real corpus file (extracted once per session)."""
    if path not in _CACHE:
        _CACHE[path] = extract_document(path, default_rules()).document
    return _CACHE[path]


def corpus_with(folder: Path, extra: dict[str, str | bytes]) -> Path:
    """``folder`` holding the corpus PDFs and ``extra`` files (name → text or bytes)."""
    for path in CORPUS.glob("*.pdf"):
        shutil.copy(path, folder / path.name)
    for name, content in extra.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    return folder


def as_lines(text: str, page: int | None = None) -> list[Line]:
    """Text (one line per line, blank lines dropped) as cleaned lines."""
    return [Line(text=t.strip(), page=page) for t in text.strip().splitlines() if t.strip()]


def document_words(path: Path, pdf_settings: PdfReadSettings | None = None) -> Counter[str]:
    """Words of the cleaned document (prose and table cells), lower case, as a multiset."""
    rules = default_rules()
    doc = clean_document(read_document(path, pdf_settings), rules.cleaning)
    texts = [line.text for page in doc.pages for line in page.lines]
    texts += [cell for page in doc.pages for table in page.tables for row in table.rows for cell in row]
    return Counter(w.lower() for text in texts for w in regex.findall(r"[\p{L}\d]+(?:[-'’][\p{L}\d]+)*", text))


def word_overlap(a: Counter[str], b: Counter[str]) -> float:
    """Shared words ÷ words of the longer version: 1.0 when both read the same words."""
    return sum((a & b).values()) / max(sum(a.values()), sum(b.values()))


def both_versions(stem: str):
    """A module fixture ``doc`` giving the document read from its PDF and from its text export."""

    @pytest.fixture(params=[CORPUS / f"{stem}.pdf", FIXTURES / f"{stem}.txt"], ids=["pdf", "text"], scope="module")
    def doc(request):
        return extracted(request.param)

    return doc


# The full-text index's own tables in register.sqlite: their layout depends on the order of
# writes (an update in place adds and removes rows; a full build writes them at once).
FTS_TABLES = ("afspraken_fts_",)


def sqlite_content(path: Path) -> list[str]:
    """What register.sqlite holds, as ``iterdump`` gives it, but for the rows of the full-text
    index's own tables; that index is checked against the afspraken it indexes instead (FTS5's
    ``integrity-check`` with the content table), so two databases with the same content hold
    the same index."""
    db = sqlite3.connect(path)
    try:
        db.execute("INSERT INTO afspraken_fts(afspraken_fts, rank) VALUES ('integrity-check', 1)")
        return [line for line in db.iterdump() if not line.startswith(tuple(f'INSERT INTO "{t}' for t in FTS_TABLES))]
    finally:
        db.close()
