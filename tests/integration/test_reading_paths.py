"""Both PDF reading paths read the same words as the text exports (pdfium is the default;
pdfplumber is kept as the reference the benchmark compares against)."""

from __future__ import annotations

import pytest

from pipeline.read.pdf import PdfReadSettings
from tests.conftest import CORPUS, FIXTURES, document_words, word_overlap


@pytest.mark.parametrize(
    "stem, floor",
    [("tynaarlo-2023", 1.0), ("aa-en-hunze-2022", 1.0), ("woonvisie-assen-2021", 0.998)],
)
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_pdf_words_match_the_text_export(stem, floor, engine):
    words = document_words(CORPUS / f"{stem}.pdf", PdfReadSettings(engine=engine))
    assert word_overlap(words, document_words(FIXTURES / f"{stem}.txt")) >= floor
