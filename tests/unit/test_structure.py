"""Numbering styles and headings on realistic variants of real agreement templates."""

from __future__ import annotations

import pytest

from pipeline.structure import build_afspraken
from pipeline.model import Line
from pipeline.structure import classify_heading, lines_to_blocks
from tests.conftest import as_lines


def afspraken(text: str, rules, lines: list[Line] | None = None):
    blocks = lines_to_blocks(lines or as_lines(text), rules.structure)
    return build_afspraken("doc", blocks, paged=True, rules=rules)


def test_plain_numbers_continue_over_wrapped_lines(rules):
    found = afspraken(
        """
        4.1 Betaalbaarheid
        Prestaties gemeente 2024
        12. De gemeente verleent een reductie van 20% op de
        marktconforme kavelprijs.
        13. De gemeente onderzoekt de grondprijs.
        """,
        rules,
    )
    assert [a.number for a in found] == ["12", "13"]
    assert found[0].text == "De gemeente verleent een reductie van 20% op de marktconforme kavelprijs."
    assert found[0].section_path == ["4.1 Betaalbaarheid", "Prestaties gemeente 2024"]


def test_number_letter_items_are_separate(rules):
    found = afspraken(
        """
        Thema 2. Beschikbaarheid
        1a. Actium bouwt in 2024 40 sociale huurwoningen.
        1b. De gemeente levert daarvoor de grond.
        2. Partijen monitoren de wachttijden.
        """,
        rules,
    )
    assert [a.number for a in found] == ["1a", "1b", "2"]
    assert found[0].section_path == ["Thema 2. Beschikbaarheid"]


def test_number_then_letter_makes_every_letter_an_item(rules):
    found = afspraken(
        """
        Wat spreken we met elkaar af?
        12. a. De corporaties verkopen maximaal 10 woningen per jaar.
        b. De gemeente informeert de huurders.
        c. Partijen evalueren de verkoop eind 2025.
        13. Actium stelt een plan op.
        """,
        rules,
    )
    assert [a.number for a in found] == ["12a", "12b", "12c", "13"]
    assert found[2].text == "Partijen evalueren de verkoop eind 2025."
    assert found[0].section_path == ["Wat spreken we met elkaar af?"]


def test_lettered_sub_items_stay_in_their_afspraak(rules):
    found = afspraken(
        """
        39. De gemeente heeft een coördinerende rol door in te zetten op:
        a. het aanbod van zorgaanbieders;
        b. het afstemmen tussen zorgorganisaties en woningcorporaties;
        40. Gemeente en corporaties organiseren wijkschouwen.
        """,
        rules,
    )
    assert [a.number for a in found] == ["39", "40"]
    assert found[0].text.endswith("a. het aanbod van zorgaanbieders; b. het afstemmen tussen zorgorganisaties en woningcorporaties;")


def test_dotted_numbers_are_items_and_short_titles_headings(rules):
    found = afspraken(
        """
        3 Beschikbaarheid
        3.1 Nieuwbouw
        3.1.1 Lefier realiseert in 2025 minimaal 60 nieuwe sociale huurwoningen in de kern.
        3.1.2 De gemeente stelt bouwgrond beschikbaar tegen een sociale grondprijs.
        """,
        rules,
    )
    assert [a.number for a in found] == ["3.1.1", "3.1.2"]
    assert found[0].section_path == ["3 Beschikbaarheid", "3.1 Nieuwbouw"]


def test_labelled_fields_are_kept_apart_from_the_text(rules):
    found = afspraken(
        """
        2.3 Duurzaamheid
        Afspraak 2.3.1
        Domesta verbetert 120 woningen naar minimaal label B.
        Wie: Domesta
        Wanneer: eind 2025
        Afspraak 2.3.2: De gemeente zet energiecoaches in.
        """,
        rules,
    )
    assert [a.number for a in found] == ["2.3.1", "2.3.2"]
    assert found[0].text == "Domesta verbetert 120 woningen naar minimaal label B."
    assert [(f.label, f.kind, f.text) for f in found[0].fields] == [("Wie", "responsible", "Domesta"), ("Wanneer", "deadline", "eind 2025")]
    assert found[1].text == "De gemeente zet energiecoaches in." and found[1].fields == []


def test_schedule_codes(rules):
    found = afspraken(
        """
        Jaarschijf 2024
        A1 Woonzorg Nederland levert 12 woningen op aan de Esweg.
        A2 De gemeente verleent de vergunning voor de Esweg in Q1 2024.
        B3a Partijen evalueren de urgentieregeling.
        """,
        rules,
    )
    assert [a.number for a in found] == ["A1", "A2", "B3a"]


def test_bullets_belong_to_the_item(rules):
    found = afspraken(
        """
        17. De streefhuurpercentages zijn:
        • 80% onder de eerste aftoppingsgrens
        • 10% tussen de aftoppingsgrenzen
        18. De gemeente handhaaft de rioolheffing.
        """,
        rules,
    )
    assert found[0].text == "De streefhuurpercentages zijn: • 80% onder de eerste aftoppingsgrens • 10% tussen de aftoppingsgrenzen"


def test_item_continues_across_page_break_and_keeps_start_page(rules):
    lines = [
        Line(text="Prestaties Woonborg 2024", page=3),
        Line(text="8. Woonborg sloopt 18 woningen aan de", page=3),
        Line(text="Oranjelaan ten behoeve van vervangende nieuwbouw.", page=4),
        Line(text="9. Woonborg informeert de huurders.", page=4),
    ]
    found = afspraken("", rules, lines)
    assert [(a.number, a.page) for a in found] == [("8", 3), ("9", 4)]
    assert found[0].text == "Woonborg sloopt 18 woningen aan de Oranjelaan ten behoeve van vervangende nieuwbouw."


def test_party_list_theme_list_and_process_steps_are_not_afspraken(rules):
    found = afspraken(
        """
        In dit document leggen we de prestatieafspraken vast tussen:
        1. Gemeente Midden-Drenthe, rechtsgeldig vertegenwoordigd door wethouder D. Kraaijenbrink, hierna te noemen: ‘de gemeente’.
        2. Woonservice, vertegenwoordigd door de directeur-bestuurder F. Schaap.
        Leeswijzer
        De afspraken zijn uitgewerkt in de volgende thema's:
        1. Betaalbaarheid
        2. Beschikbaarheid
        1 Procesafspraken
        We doorlopen de volgende stappen:
        1. Bod van de corporatie uiterlijk 1 juli.
        2. Reactie van de huurdersorganisatie.
        Afspraken
        1. Woonservice bouwt 30 woningen.
        """,
        rules,
    )
    assert [a.number for a in found] == ["1"]
    assert found[0].text == "Woonservice bouwt 30 woningen."


def test_repeated_numbering_per_chapter_gets_unique_ids(rules):
    found = afspraken(
        """
        1 Betaalbaarheid
        1. De gemeente verlaagt de grondprijs.
        2 Beschikbaarheid
        1. Actium bouwt 40 woningen.
        """,
        rules,
    )
    assert [a.id for a in found] == ["doc#1", "doc#2.1"]


@pytest.mark.parametrize(
    ("line", "prev", "nxt", "expected"),
    [
        ("4.1 Betaalbaarheid", "ergens.", "Doel", (2, "4.1 Betaalbaarheid")),
        ("3 Samenwerking", None, "Gemeente en corporaties", (1, "3 Samenwerking")),
        ("Thema 2. Beschikbaarheid", "tekst.", "Doel", (1, "Thema 2. Beschikbaarheid")),
        ("Prestaties Woonborg en SEW 2023", "gemaakt.", "21. Woonborg", (100, "Prestaties Woonborg en SEW 2023")),
        ("Wat spreken we met elkaar af?", "tekst.", "1. Partijen", (100, "Wat spreken we met elkaar af?")),
        ("Doorkijk naar 2023 en verder.", "buurten.", "85. De", (100, "Doorkijk naar 2023 en verder")),
        # a wrapped sentence is never a heading
        ("afspraken maken. De huurdersorganisaties volgen dit proces.", "zullen partijen scherpere", "19. Gemeente", None),
        ("Gemeente Tynaarlo", "in de", "gemeente is", None),
        ("12. SEW en Woonborg hebben voldoende woningen", "tekst.", "beschikbaar voor", None),
    ],
)
def test_classify_heading(rules, line, prev, nxt, expected):
    assert classify_heading(line, prev, nxt, rules.structure) == expected


def paragraphs(text: str, rules):
    """Afspraken of a text export whose paragraphs are separated by blank lines."""
    from pipeline.clean import clean_document
    from pipeline.read import text_to_pages

    pages, _ = text_to_pages(text.strip())
    lines = [line.model_copy(update={"text": line.text.strip()}) for page in pages for line in page.lines if line.text.strip()]
    return afspraken("", rules, lines)


def test_paragraphs_after_an_announcement_are_afspraken_and_a_run_in_heading_is_split(rules):
    found = paragraphs(
        """
1 Prestatieafspraken 2030

Partijen zijn in overleg getreden. Dit heeft geleid tot de volgende uitvoeringsgerichte prestatieafspraken.

Kernthema 1: nieuwbouw en sloop. Woonstichting Noord bouwt in 2030 30 woningen. Er worden 12 woningen gesloopt.

Voor de leefbaarheid reserveert Woonstichting Noord 659.635 euro.
""",
        rules,
    )
    assert [(a.number, a.text[:26]) for a in found] == [(None, "Woonstichting Noord bouwt "), (None, "Voor de leefbaarheid reser")]
    assert found[0].section_path == ["Kernthema 1: nieuwbouw en sloop"]


def test_paragraphs_under_numbered_titles_are_afspraken_when_nothing_else_is_numbered(rules):
    text = """
Jaarschijf 2030

1. Doorstroming

Gemeente en corporaties zetten zich in voor doorstroming. In Q1 2030 besluiten partijen over de adviseur.

2. Lokaal maatwerk

Beide corporaties zetten in op lokaal maatwerk.

Nieuwbouw wordt altijd met lokaal maatwerk aangeboden.
"""
    found = paragraphs(text, rules)
    assert [(a.number, a.section_path[-1], a.text[:24]) for a in found] == [
        ("1", "1. Doorstroming", "Gemeente en corporaties "), ("2", "2. Lokaal maatwerk", "Beide corporaties zetten")
    ]
    assert found[1].text.endswith("aangeboden.")
    # numbered afspraken under the chapters: the chapter's prose is no afspraak
    numbered = paragraphs(text.replace("Beide corporaties", "2.1 Beide corporaties"), rules)
    assert [a.number for a in numbered] == ["2.1"]


def test_a_table_of_contents_read_as_headings_and_items_holds_no_afspraken(rules):
    found = afspraken(
        """
        Inleiding 4
        Samenwerking, uitvoering en monitoring 7
        1. Bestuurlijk Overleg 82. Nieuwe woonvisie en kaderafspraken 83. Monitoring 9
        Vitale wijken en buurten 10
        4. Gezamenlijke agenda dorps- en wijkvernieuwing met veel woorden in de titel 11
        Beschikbaarheid 18
        """,
        rules,
    )
    assert found == []


def test_two_headings_flattened_onto_one_line_are_split(rules):
    found = afspraken(
        """
        2.1 Thema 1: Huisvesten spec. doelgroepen, Leefbaarheid, Wonen & Zorg 2.1.1 Huisvesten specifieke doelgroepen
        Resultaatafspraak Federatie 2019-2024:
        • De Federatie onderzoekt alternatieve woonvormen.
        """,
        rules,
    )
    assert [(a.number, a.section_path) for a in found] == [
        (None, ["2.1 Thema 1: Huisvesten spec. doelgroepen, Leefbaarheid, Wonen & Zorg", "2.1.1 Huisvesten specifieke doelgroepen",
                "Resultaatafspraak Federatie 2019-2024:"])
    ]


def test_a_year_after_an_item_label_is_no_number(rules):
    found = afspraken(
        """
        Afspraak 2.3.1 De gemeente bouwt 20 woningen.
        Afspraak 2021
        n.v.t.
        """,
        rules,
    )
    assert [a.number for a in found] == ["2.3.1"]


def test_an_announcement_gives_way_to_headed_afspraken(rules):
    found = paragraphs(
        """
Inleiding

In dit document staan de volgende afspraken.

Wat doet de gemeente?

• De gemeente bouwt 20 woningen.

Toelichting

De gemeente heeft een woonvisie.
""",
        rules,
    )
    assert [a.text for a in found] == ["De gemeente bouwt 20 woningen."]
