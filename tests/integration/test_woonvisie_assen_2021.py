"""Woonvisie Assen 2021: a policy vision (two-column PDF), registered without afspraken."""

from __future__ import annotations

from tests.conftest import CORPUS, FIXTURES, both_versions, document_words, extracted, word_overlap

PDF, TXT = CORPUS / "woonvisie-assen-2021.pdf", FIXTURES / "woonvisie-assen-2021.txt"

doc = both_versions("woonvisie-assen-2021")


def test_registered_as_woonvisie_without_afspraken(doc):
    assert doc.doc_id == "assen-2021"
    assert doc.doc_type == "woonvisie"
    assert doc.municipalities == ["Assen"]
    assert doc.parties == [] and doc.afspraken == []
    assert doc.signing.date is None and doc.validity.start is None
    assert any(w.startswith("Woonvisie: een beleidsvisie") for w in doc.warnings)


def test_pdf_specifics():
    doc = extracted(PDF)
    assert doc.source.pages == 60
    assert doc.title == "Woonvisie Assen 2021 - Van binnenuit beter"


def test_two_column_pdf_reads_like_the_text():
    # 0.9987 measured: the PDF misses only its page footers' words ("25 mei 2023 | Woonvisie Assen")
    assert word_overlap(document_words(PDF), document_words(TXT)) >= 0.998
