"""Prestatieafspraken Tynaarlo 2023, read as PDF and as text: values checked by reading it."""

from __future__ import annotations

from tests.conftest import CORPUS, FIXTURES, both_versions, document_words, extracted, word_overlap

PDF, TXT = CORPUS / "tynaarlo-2023.pdf", FIXTURES / "tynaarlo-2023.txt"

doc = both_versions("tynaarlo-2023")


def test_identity(doc):
    assert doc.doc_id == "tynaarlo-2023"
    assert doc.doc_type == "prestatieafspraken"
    assert doc.municipalities == ["Tynaarlo"]


def test_afspraak_numbers(doc):
    assert [a.number for a in doc.afspraken] == [str(n) for n in range(1, 44)]
    assert len({a.id for a in doc.afspraken}) == 43


def test_parties(doc):
    assert [(p.name, p.kind, p.aliases, p.representative, p.representative_role) for p in doc.parties] == [
        ("Gemeente Tynaarlo", "gemeente", ["de gemeente"], "J. Vellinga", "wethouder"),
        ("Woonborg", "corporatie", [], "E. Borstlap", "directeur-bestuurder"),
        ("Stichting Eelder Woningbouw", "corporatie", ["SEW"], "M. Veenstra", "directeur-bestuurder"),
        ("Algemene Huurdersvereniging WOON", "huurdersorganisatie", ["AH WOON"], "J. Emmens", "voorzitter"),
        ("Huurdersbelangenvereniging Eelde-Paterswolde", "huurdersorganisatie", ["HBV"], "F. Verhoeven", "voorzitter"),
    ]


def test_signing_and_validity(doc):
    assert (doc.signing.date, doc.signing.place) == ("2022-12-08", "Vries")
    assert (doc.validity.start, doc.validity.end) == ("2023-01-01", "2023-12-31")
    assert doc.validity.text == (
        "Deze prestatieafspraken 2023 zijn geldig vanaf 1 januari 2023 na ondertekening door alle partijen "
        "en worden jaarlijks per 1 januari herijkt."
    )


def test_sections_and_texts(doc):
    by_number = {a.number: a for a in doc.afspraken}
    assert by_number["21"].section_path == ["4 Prestatieafspraken", "4.2 Beschikbaarheid", "Prestaties Woonborg en SEW 2023"]
    assert by_number["8"].text == "In Q1 2023 gaan partijen in overleg over het toepassen van de Voorzieningenwijzer."
    assert by_number["39"].text.endswith(
        "c. activiteiten van partijen in samenhang en afstemming te plannen en te organiseren."
    )
    # the box "Urgentieregeling Thuiskompas" after afspraak 36 is not part of it
    assert by_number["36"].text.endswith("ook in relatie tot gezinshereniging.")
    assert [by_number[n].theme for n in ("1", "8", "21", "26", "31", "37", "40")] == [
        "samenwerking", "betaalbaarheid", "beschikbaarheid", "duurzaamheid",
        "bijzondere_doelgroepen", "wonen_en_zorg", "leefbaarheid",
    ]


def test_pdf_specifics():
    doc = extracted(PDF)
    assert doc.source.format == "pdf" and doc.source.pages == 11
    assert doc.title == "Prestatieafspraken Tynaarlo 2023"
    assert {a.number: a.page for a in doc.afspraken if a.number in {"1", "12", "21", "39", "43"}} == {
        "1": 4, "12": 6, "21": 7, "39": 10, "43": 11,
    }
    # hyphenation joined: "prestatieaf-" + "spraken" at a line end on page 2 of the PDF
    assert "kaderprestatieafspraken" in {a.number: a for a in doc.afspraken}["6"].text


def test_text_specifics():
    doc = extracted(TXT)
    assert doc.source.format == "text" and doc.source.pages is None
    assert doc.title is None  # the text export starts with the party list, no title line
    assert all(a.page is None for a in doc.afspraken)


def test_pdf_and_text_agree():
    pdf, txt = extracted(PDF), extracted(TXT)
    assert [(a.number, a.text, a.section_path) for a in pdf.afspraken] == [
        (a.number, a.text, a.section_path) for a in txt.afspraken
    ]
    assert word_overlap(document_words(PDF), document_words(TXT)) == 1.0
