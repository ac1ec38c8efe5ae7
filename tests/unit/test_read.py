"""Reading text files, and the reasons given for input that cannot be read."""

from __future__ import annotations

import pytest

from pipeline.read import ReadError, read_document
from pipeline.model import Table
from pipeline.structure import table_to_blocks


def test_utf8_text_is_one_unpaged_page(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Prestatieafspraken Coevorden 2024\n1. Partijen overleggen.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "text" and not doc.paged and doc.warnings == []
    assert [line.text for line in doc.pages[0].lines][:2] == ["Prestatieafspraken Coevorden 2024", "1. Partijen overleggen."]
    assert doc.pages[0].number is None


def test_form_feeds_are_page_breaks(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("pagina een\n\fpagina twee\n\fpagina drie", encoding="utf-8")
    doc = read_document(path)
    assert doc.paged and [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.pages[1].lines[0].text == "pagina twee" and doc.pages[1].lines[0].page == 2


def test_cp1252_text_is_read_with_a_warning(tmp_path):
    path = tmp_path / "oud.txt"
    path.write_bytes("Huurverhoging € 25 per maand, coördinatie".encode("cp1252"))
    doc = read_document(path)
    assert doc.pages[0].lines[0].text == "Huurverhoging € 25 per maand, coördinatie"
    assert doc.warnings == ["Tekstbestand is geen UTF-8; gelezen als Windows-1252 (cp1252)."]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("leeg.txt", b"", "empty file"),
        ("spaties.txt", b"  \n\n ", "empty file"),
        ("binair.txt", bytes(range(256)) * 4, "binary data, not a text file"),
        ("afspraken.docx", b"PK\x03\x04", "unsupported file type '.docx' (expected .pdf or .txt)"),
        ("kapot.pdf", b"%PDF-1.4\n1 0 obj <<", "corrupt or truncated PDF"),
    ],
)
def test_unreadable_input_gives_one_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as error:
        read_document(path)
    assert str(error.value).startswith(reason)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="file disappeared"):
        read_document(tmp_path / "weg.pdf")


def test_afspraken_table_becomes_items_with_labelled_fields(rules):
    table = Table(
        page=4,
        rows=[
            ["Nr", "Afspraak", "Trekker", "Wanneer"],
            ["2.1", "Actium bouwt 40 sociale huurwoningen in Assen-Oost.", "Actium", "eind 2025"],
            ["2.2", "De gemeente levert grond tegen sociale grondprijs.", "Gemeente", ""],
        ],
    )
    blocks = table_to_blocks(table, ["2 Beschikbaarheid"], 1, rules.structure)
    assert [(b.number, b.text, b.page, b.section_path) for b in blocks] == [
        ("2.1", "Actium bouwt 40 sociale huurwoningen in Assen-Oost.", 4, ["2 Beschikbaarheid"]),
        ("2.2", "De gemeente levert grond tegen sociale grondprijs.", 4, ["2 Beschikbaarheid"]),
    ]
    assert [(f.label, f.kind, f.text) for f in blocks[0].fields] == [("Trekker", "responsible", "Actium"), ("Wanneer", "deadline", "eind 2025")]


def test_other_tables_are_not_afspraken(rules):
    table = Table(page=7, rows=[["", "Totaal gemeente"], ["Aantal sociale huurwoningen", "1.939"]])
    assert table_to_blocks(table, [], 0, rules.structure) == []
