"""Parties, signing, validity and document type on wording variants."""

from __future__ import annotations

import pytest

from pipeline.metadata import detect_doc_type, find_signing, find_validity, split_sentences
from pipeline.metadata.parties import parse_party
from pipeline.metadata.doctype import find_title
from pipeline.metadata.municipalities import municipality_names


@pytest.mark.parametrize(
    ("text", "name", "kind", "aliases", "rep", "role"),
    [
        (
            "Stichting Eelder Woningbouw, rechtsgeldig vertegenwoordigd door de directeur-bestuurder de heer M. Veenstra, hierna te noemen: ‘SEW’.",
            "Stichting Eelder Woningbouw", "corporatie", ["SEW"], "M. Veenstra", "directeur-bestuurder",
        ),
        (
            "Gemeente Midden-Drenthe, vertegenwoordigd door wethouder mevrouw D. Kraaijenbrink, hierna te noemen ‘de gemeente’.",
            "Gemeente Midden-Drenthe", "gemeente", ["de gemeente"], "D. Kraaijenbrink", "wethouder",
        ),
        (
            "Huurdersvereniging Beilen e.o., vertegenwoordigd door haar voorzitter J.H. van der Berg, hierna: 'HVB'.",
            "Huurdersvereniging Beilen e.o.", "huurdersorganisatie", ["HVB"], "J.H. van der Berg", "voorzitter",
        ),
        (
            "Actium, rechtsgeldig vertegenwoordigd door de directeur-bestuurder de heer R. Zijlstra, hierna te noemen: ‘Actium’.",
            "Actium", "corporatie", [], "R. Zijlstra", "directeur-bestuurder",
        ),
        (
            "Woonstichting Mooiland, vertegenwoordigd door J. Jansen, bestuurder.",
            "Woonstichting Mooiland", "corporatie", [], "J. Jansen", "bestuurder",
        ),
    ],
)
def test_parse_party(rules, text, name, kind, aliases, rep, role):
    party = parse_party(text, text, rules.parties)
    assert (party.name, party.kind, party.aliases, party.representative, party.representative_role) == (
        name, kind, aliases, rep, role,
    )


def test_abbreviation_used_in_the_document_is_an_alias(rules):
    text = "Bewonersraad Noord Oost, vertegenwoordigd door haar voorzitter A. de Vries."
    party = parse_party(text, text + " De BNO wordt betrokken.", rules.parties)
    assert party.kind == "huurdersorganisatie" and party.aliases == ["BNO"]


@pytest.mark.parametrize(
    ("text", "date", "place"),
    [
        ("Ondertekend op 6 december 2021 te Gieten.", "2021-12-06", "Gieten"),
        ("Aldus overeengekomen te Beilen op 28 juni 2023", "2023-06-28", "Beilen"),
        ("Aldus overeengekomen en ondertekend te Nieuw-Amsterdam op 1 februari 2024.", "2024-02-01", "Nieuw-Amsterdam"),
        ("Getekend op 14-12-2022 te Hoogeveen", "2022-12-14", "Hoogeveen"),
        ("Ondertekend op 8 december 2022.", "2022-12-08", None),
        # the place on the signature block's line of the same date
        ("De partijen hebben getekend 4 december 2025.\n4 december 2025 te Aalten,\nMevrouw L. de Slegte", "2025-12-04", "Aalten"),
        ("Getekend op 4 december 2025.\n1 maart 2024 te Aalten,", "2025-12-04", None),
        ("Er is niets ondertekend.", None, None),
    ],
)
def test_find_signing(rules, text, date, place):
    signing = find_signing(text, rules)
    assert (signing.date, signing.place) == (date, place)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Deze afspraken zijn geldig van 1 januari 2022 tot en met 31 december 2025.", "2022-01-01", "2025-12-31"),
        ("De overeenkomst is geldig tot en met 31 december 2026.", None, "2026-12-31"),
        ("Deze prestatieafspraken zijn geldig vanaf 1 januari 2023 na ondertekening.", "2023-01-01", None),
        ("Deze prestatieafspraken 2022-2026 zijn geldig vanaf 1 januari 2022.", "2022-01-01", "2026-12-31"),
        ("Deze prestatieafspraken 2023 zijn geldig vanaf 1 januari 2023.", "2023-01-01", "2023-12-31"),
        ("De looptijd is van 1 juli 2023 tot 1 juli 2027.", "2023-07-01", "2027-06-30"),
        ("Deze afspraken gelden tot en met 2027.", None, "2027-12-31"),
    ],
)
def test_find_validity(rules, text, start, end):
    validity = find_validity(split_sentences(text), None, rules.documents)
    assert (validity.start, validity.end, validity.text) == (start, end, text)


def test_validity_from_a_year_range_in_the_title(rules):
    validity = find_validity([], "Prestatieafspraken Emmen 2024-2027", rules.documents)
    assert (validity.start, validity.end) == ("2024-01-01", "2027-12-31")


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Prestatieafspraken 2024 tussen gemeente en corporaties, op basis van de woonvisie.", "prestatieafspraken"),
        ("WOONVISIE Assen. Met de woonvisie kiezen we. De woonvisie is de basis voor prestatieafspraken.", "woonvisie"),
        ("Jaarverslag van de bibliotheek.", "onbekend"),
        # what the text calls itself beats a woonvisie mentioned more often
        ("In deze jaarschijf benoemen we de resultaten. De nieuwe woonvisie volgt; de woonvisie en de woonvisies.", "prestatieafspraken"),
    ],
)
def test_detect_doc_type_without_a_title_counts_words_in_the_opening(rules, opening, expected):
    assert detect_doc_type(None, opening, False, rules.documents) == expected


@pytest.mark.parametrize(
    ("first_lines", "title", "doc_type"),
    [
        # the title decides, however often the body names the woonvisie
        (["Meerjarige Prestatieafspraken Gemeente Lindehoven", "", "Inleiding"], "Meerjarige Prestatieafspraken Gemeente Lindehoven", "prestatieafspraken"),
        (["Regionale prestatieafspraken Regio", "Kempenland 2024-2027", "De ondergetekenden:"], "Regionale prestatieafspraken Regio Kempenland 2024-2027", "prestatieafspraken"),
        (["Volkshuisvestingsprogramma Westerdal 2026-2030"], "Volkshuisvestingsprogramma Westerdal 2026-2030", "woonvisie"),
        (["Prestatie-afspraken Westerdal 2026"], "Prestatie-afspraken Westerdal 2026", "prestatieafspraken"),
        # a heading below the prose is a section's, not the title
        (["In deze Prestatieafspraken met de WBA Arnemuiden van 2023 tot en met 2026 zijn de prestatieafspraken vastgelegd die de "
          "gemeente Middelburg, de woningcorporatie en de huurdersbelangenvereniging met elkaar hebben gemaakt.",
          "Woonvisie Middelburg 2023-2026"], None, "prestatieafspraken"),
        # a sentence is no title
        (["In dit document leggen we de prestatieafspraken vast tussen:"], None, "prestatieafspraken"),
    ],
)
def test_title_decides_the_type(rules, first_lines, title, doc_type):
    found = find_title(first_lines, None, rules.documents)
    assert found == title
    woonvisie_body = "De woonvisie is leidend. De woonvisie van 2023 en de woonvisie van 2019."
    assert detect_doc_type(found, woonvisie_body, True, rules.documents, has_parties=True) == doc_type


def test_without_a_title_afspraken_without_parties_in_a_woonvisie_text_are_a_woonvisie(rules):
    """A woonvisie's "Wat gaan we doen?" lists are the municipality's plans, not an agreement."""
    body = "Met de woonvisie kiezen we een koers. De woonvisie loopt tot 2030."
    assert detect_doc_type(None, body, True, rules.documents, has_parties=False) == "woonvisie"
    assert detect_doc_type(None, body, True, rules.documents, has_parties=True) == "prestatieafspraken"


def test_a_cover_listing_the_parties_under_group_words(rules):
    from pipeline.metadata.parties import parties_from_cover

    lines = ["2", "PARTIJEN", "GEMEENTE", "", "ZANDHOVEN", "WONINGCORPORATIES", "", "DE ZANDKORREL", "", "WOONGOED ZUID",
             "HUURDERSORGANISATIES", "HBV ZANDHOVEN-NOORD", "", "INHOUDSOPGAVE"]
    assert [(p.name, p.kind) for p in parties_from_cover(lines, rules.parties)] == [
        ("Gemeente ZANDHOVEN", "gemeente"),
        ("DE ZANDKORREL", "corporatie"),
        ("WOONGOED ZUID", "corporatie"),
        ("HBV ZANDHOVEN-NOORD", "huurdersorganisatie"),
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Woonagenda Hof van Twente 2016-2020", ["Hof van Twente"]),
        ("Prestatieafspraken Het Hogeland 2024", ["Het Hogeland"]),
        ("Prestatieafspraken Gemeente Breda, Laurentius, Singelveste AlleeWonen", ["Breda"]),
        ("Woonvisie Middelburg 2023-2026", ["Middelburg"]),  # CBS: "Middelburg (Z.)"
        ("Prestatieafspraken Nieuwstad 2030", ["Nieuwstad"]),  # unknown (a new merger): kept
        ("Prestatie-afspraken Nieuwstad 2030", ["Nieuwstad"]),
    ],
)
def test_municipality_from_the_title_checked_against_the_list(rules, title, expected):
    assert municipality_names([], title, "", rules.documents, rules.municipalities) == expected


def test_municipality_from_the_text_when_the_title_names_none(rules):
    text = "De corporaties en de gemeente Utrecht staan samen voor grote opgaven. De gemeente Utrecht bouwt."
    assert municipality_names([], "Prestatieafspraken: Werken aan Balans", text, rules.documents, rules.municipalities) == ["Utrecht"]
    # a former municipality keeps its name in a document from before the merger
    assert municipality_names([], None, "de gemeente Noordwijkerhout", rules.documents, rules.municipalities) == ["Noordwijkerhout"]


def test_validity_from_a_cover_line_and_not_from_a_previous_agreement(rules):
    cover = find_validity([], "Prestatieafspraken Gemeente Breda, AlleeWonen 20 april 2015", rules.documents,
                          ["ALLIANTIE 2015 T/M 2018", "Prestatieafspraken Gemeente Breda, AlleeWonen", "20 april 2015"])
    assert (cover.start, cover.end) == ("2015-01-01", "2018-12-31")
    # a woonvisie's period on the cover is not the agreement's
    woonvisie = find_validity([], "Prestatieafspraken Zandhoven 2024", rules.documents, ["Woonvisie 2020-2030"])
    assert (woonvisie.start, woonvisie.end) == ("2024-01-01", "2024-12-31")
    previous = find_validity(split_sentences("De vorige prestatieafspraken gelden tot en met 2023."), "Prestatieafspraken Wijchen 2024",
                             rules.documents)
    assert (previous.start, previous.end) == ("2024-01-01", "2024-12-31")


def test_considerans_bullets_after_the_parties_are_no_parties(rules):
    from pipeline.metadata import find_parties
    from pipeline.structure import lines_to_blocks
    from tests.conftest import as_lines

    text = """
    Partijen:
    • Woonstad Rotterdam, ten deze rechtsgeldig vertegenwoordigd door de voorzitter van de raad van bestuur
    • Gemeente Rotterdam, ten deze rechtsgeldig vertegenwoordigd door de wethouder
    • Huurdersbelang Stadswonen, ten deze rechtsgeldig vertegenwoordigd door een bestuurslid
    • De gemeente Rotterdam, Woonstad Rotterdam en Huurdersbelang Stadswonen elkaar blijvend als partners zien;
    • De prestatieafspraken gebaseerd zijn op de geactualiseerde Woonvisie 2030;
    Komen het volgende overeen:
    """
    blocks = lines_to_blocks(as_lines(text), rules.structure)
    parties = find_parties(blocks, text, [], [], rules.parties)
    assert [(p.name, p.kind) for p in parties] == [
        ("Woonstad Rotterdam", "corporatie"), ("Gemeente Rotterdam", "gemeente"), ("Huurdersbelang Stadswonen", "huurdersorganisatie")
    ]


def test_a_name_without_its_head_word_is_an_alias_when_the_text_uses_it(rules):
    from pipeline.metadata.parties import with_short_forms
    from pipeline.model import Party

    parties = [Party(name="Huurdersplatform MEVM", kind="huurdersorganisatie"), Party(name="Woonstichting De Brake", kind="corporatie"),
               Party(name="Huurdersvereniging De Brake", kind="huurdersorganisatie")]
    text = "Huurdersplatform MEVM en de twee De Brakes. MEVM adviseert. Overleg met MEVM en De Brake."
    assert [p.aliases for p in with_short_forms(parties, text, rules.parties)] == [["MEVM"], [], []]  # "De Brake" names neither


def test_the_title_year_of_a_yearly_agreement_outranks_another_agreements_period(rules):
    text = ("De Raamwerkovereenkomst Zandhoven 2018-2022 biedt voor de periode 2018 t/m 2022 het kader. "
            "Het is de onderlegger voor de jaarlijkse prestatieafspraken.")
    validity = find_validity(split_sentences(text), "Prestatieafspraken 2021", rules.documents, ["1. Raamovereenkomst Zandhoven 2018-2022"])
    assert (validity.start, validity.end) == ("2021-01-01", "2021-12-31")
    # the sentence that names this agreement still decides
    own = find_validity(split_sentences("Deze afspraken gelden voor de periode 2021 tot en met 2024."), "Prestatieafspraken 2021",
                        rules.documents)
    assert (own.start, own.end) == ("2021-01-01", "2024-12-31")


@pytest.mark.parametrize(
    ("first_lines", "title"),
    [
        # a running header sentence above the title is no title
        (["Dit addendum bij de raamovereenkomst wordt met bijlagen als de prestatieafspraken 2021 beschouwd", "Prestatieafspraken 2021"],
         "Prestatieafspraken 2021"),
        # a cover line naming the parties is long but no sentence
        (["1", "Prestatieafspraken Wonen 2017 Gemeente Zutphen Woonbedrijf ieder1 Stichting Woningbedrijf Warnsveld Woningstichting Ons Huis"],
         "Prestatieafspraken Wonen 2017 Gemeente Zutphen Woonbedrijf ieder1 Stichting Woningbedrijf Warnsveld Woningstichting Ons Huis"),
    ],
)
def test_title_among_sentences_and_cover_lines(rules, first_lines, title):
    assert find_title(first_lines, None, rules.documents) == title
