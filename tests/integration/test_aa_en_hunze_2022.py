"""Prestatieafspraken Aa en Hunze 2022(-2026), read as PDF and as text."""

from __future__ import annotations

from tests.conftest import CORPUS, FIXTURES, both_versions, document_words, extracted, word_overlap

PDF, TXT = CORPUS / "aa-en-hunze-2022.pdf", FIXTURES / "aa-en-hunze-2022.txt"

doc = both_versions("aa-en-hunze-2022")


def test_identity(doc):
    assert doc.doc_id == "aa-en-hunze-2022"
    assert doc.doc_type == "prestatieafspraken"
    assert doc.municipalities == ["Aa en Hunze"]


def test_afspraak_numbers(doc):
    assert [a.number for a in doc.afspraken] == [str(n) for n in range(1, 86)]


def test_parties(doc):
    assert [(p.name, p.kind, p.aliases, p.representative, p.representative_role) for p in doc.parties] == [
        ("Gemeente Aa en Hunze", "gemeente", ["de gemeente"], "H. Heijerman", "wethouder"),
        ("Woonborg", "corporatie", [], "E. Borstlap", "directeur-bestuurder"),
        ("Algemene Huurdersvereniging WOON", "huurdersorganisatie", ["AH WOON"], "J. Emmens", "voorzitter"),
        ("Woningstichting De Volmacht", "corporatie", ["De Volmacht"], "J. Boekholt", "directeur-bestuurder"),
        ("Huurdersvereniging De Deelmacht", "huurdersorganisatie", ["De Deelmacht"], "W. Hoving", "voorzitter"),
    ]


def test_signing_and_validity(doc):
    assert (doc.signing.date, doc.signing.place) == ("2021-12-06", "Gieten")
    assert (doc.validity.start, doc.validity.end) == ("2022-01-01", "2026-12-31")
    assert doc.validity.text.startswith("Deze prestatieafspraken 2022-2026 zijn geldig vanaf 1 januari 2022")


def test_sections_and_texts(doc):
    by_number = {a.number: a for a in doc.afspraken}
    # the footnote on the page break inside afspraak 16 is kept out of its text
    assert "met maximaal 1% boven inflatie kan stijgen" in by_number["16"].text
    assert "prijspeil 2021" not in by_number["16"].text
    assert by_number["17"].text.endswith("(€ 678/ € 752)")
    assert by_number["71"].section_path == ["4 Prestatieafspraken", "4.6 Kleine kernen", "De Volmacht en Woonborg 2022"]
    assert by_number["85"].section_path[-1] == "Doorkijk naar 2023 en verder"
    # the table and text between afspraak 21 and 22 belong to neither
    assert by_number["21"].text == "Binnen de Regiodeal Zuid- en Oost-Drenthe ontwikkelt de gemeente Aa en Hunze een aanpak Energiearmoede."
    # "Kleine kernen" names no theme: the content decides ("behouden positie in de kleine kernen")
    assert by_number["71"].theme == "beschikbaarheid"


def test_pdf_specifics():
    doc = extracted(PDF)
    assert doc.source.pages == 13
    assert doc.title == "Prestatieafspraken Aa en Hunze 2022"
    assert {a.number: a.page for a in doc.afspraken if a.number in {"1", "16", "52", "85"}} == {
        "1": 4, "16": 5, "52": 10, "85": 12,
    }


def test_pdf_and_text_agree():
    pdf, txt = extracted(PDF), extracted(TXT)
    assert [(a.number, a.text, a.section_path) for a in pdf.afspraken] == [
        (a.number, a.text, a.section_path) for a in txt.afspraken
    ]
    assert word_overlap(document_words(PDF), document_words(TXT)) == 1.0
