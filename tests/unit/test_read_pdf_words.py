"""pdfium words read run by run (a few calls per word) equal the words read character by
character, on the corpus and synthetic PDFs."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.read.pdf import DEFAULT_SETTINGS, _PdfiumChars, _pdfium_words

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted((ROOT / "corpus").glob("*.pdf")) + sorted((ROOT / "tests" / "synthetic").glob("*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_run_words_equal_char_words(path: Path) -> None:
    document = pdfium.PdfDocument(path)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                height = page.get_size()[1]
                text = textpage.get_text_range()
                chars = _PdfiumChars(textpage, text, height, DEFAULT_SETTINGS)
                by_char = chars.words(text[: textpage.count_chars()], 0, ask_generated=len(text) != textpage.count_chars())
                assert _pdfium_words(textpage, height, DEFAULT_SETTINGS) == by_char, f"page {index + 1}"
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
