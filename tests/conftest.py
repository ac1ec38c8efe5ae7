"""Shared fixtures: the rules, and each corpus document extracted once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import extract_document
from pipeline.models import Document, Line
from pipeline.rules import Rules, default_rules

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


def as_lines(text: str, page: int | None = None) -> list[Line]:
    """Text (one line per line, blank lines dropped) as cleaned lines."""
    return [Line(text=t.strip(), page=page) for t in text.strip().splitlines() if t.strip()]
