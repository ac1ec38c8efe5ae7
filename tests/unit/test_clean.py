"""Cleaning: page furniture, hyphenation, footnotes."""

from __future__ import annotations

import pytest

from pipeline.clean import clean_document, join_hyphenated, normalise_line, split_footnotes
from pipeline.model import Line, Page, SourceDocument
from tests.conftest import as_lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de woning-\ncorporaties bouwen", ["de woningcorporaties", "bouwen"]),
        ("voor woon-\nen zorgvoorzieningen", ["voor woon-", "en zorgvoorzieningen"]),
        ("sloop- of\nnieuwbouw", ["sloop- of", "nieuwbouw"]),
        ("de sloop-\nnieuwbouw in Assen", ["de sloop-nieuwbouw", "in Assen"]),
        ("in Noord-\nDrenthe", ["in Noord-Drenthe"]),
        ("kwalitatief niet-\npassende woningen", ["kwalitatief niet-passende", "woningen"]),
        ("de zee-\negel", ["de zee-egel"]),
        ("de CAO-\nloonontwikkeling", ["de CAO-loonontwikkeling"]),
        ("meerjarige kaderprestatie-\nafspraken op te stellen", ["meerjarige kaderprestatieafspraken", "op te stellen"]),
        ("zoals nu -\nwant", ["zoals nu -", "want"]),
    ],
)
def test_join_hyphenated(rules, text, expected):
    lines = [Line(text=t) for t in text.split("\n")]
    assert [line.text for line in join_hyphenated(lines, rules.cleaning)] == expected


def test_soft_hyphens_and_odd_spaces_are_normalised():
    assert normalise_line("  woning\u00adcorporaties\u00a0 bouwen  ") == "woningcorporaties bouwen"


def _page(number: int, *texts: str) -> Page:
    return Page(number=number, raw_text="\n".join(texts), lines=[Line(text=t, page=number) for t in texts])


def test_running_headers_footers_and_page_numbers_are_furniture(rules):
    pages = [
        _page(n, "Prestatieafspraken Hoogeveen 2024", f"Hoofdstuk {word} begint hier.", f"Meer {word}.", f"Pagina {n} van 3")
        for n, word in ((1, "een"), (2, "twee"), (3, "drie"))
    ]
    pages.append(_page(4, "Prestatieafspraken Hoogeveen 2024", "Laatste tekst.", "4"))
    doc = SourceDocument(path="x.pdf", sha256="0", format="pdf", pages=pages, paged=True)
    cleaned = clean_document(doc, rules.cleaning)
    assert [line.text for line in cleaned.pages[0].lines] == ["Hoofdstuk een begint hier.", "Meer een."]
    assert cleaned.pages[0].furniture == ["Prestatieafspraken Hoogeveen 2024", "Pagina 1 van 3"]
    assert [line.text for line in cleaned.pages[3].lines] == ["Laatste tekst."]
    assert cleaned.pages[3].raw_text == "Prestatieafspraken Hoogeveen 2024\nLaatste tekst.\n4"


def test_hyphenation_is_joined_across_a_page_break(rules):
    pages = [_page(1, "Tekst.", "De woning-"), _page(2, "corporaties bouwen.", "Slot.")]
    cleaned = clean_document(SourceDocument(path="x.pdf", sha256="0", format="pdf", pages=pages, paged=True), rules.cleaning)
    assert [line.text for line in cleaned.pages[0].lines] == ["Tekst.", "De woningcorporaties"]
    assert [line.text for line in cleaned.pages[1].lines] == ["bouwen.", "Slot."]


def test_footnote_is_kept_apart_from_the_afspraak():
    lines = as_lines(
        """
        12. De Volmacht hanteert een huurprijs tot de tweede aftoppingsgrens (€ 678) 1.
        16. Voor 2022 geldt dat de huursom met maximaal 1%
        1 De huurprijsgrenzen in deze prestatieafspraken zijn gebaseerd op prijspeil 2021.
        boven inflatie kan stijgen.
        """
    )
    prose, notes = split_footnotes(lines)
    assert [n.text for n in notes] == ["1 De huurprijsgrenzen in deze prestatieafspraken zijn gebaseerd op prijspeil 2021."]
    assert len(prose) == 3


def test_numbered_heading_is_not_a_footnote():
    prose, notes = split_footnotes(as_lines("Zie afspraak 1.\n1 Inleiding"))
    assert notes == [] and len(prose) == 2
