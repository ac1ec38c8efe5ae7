"""Midden-Drenthe 2023: "1a."/"1b." items, a numbered party list with representatives, an
introduction listing the themes "1. Beschikbaarheid; … 5. Wonen, welzijn, zorg." and chapter
headings "2. Betaalbaarheid" that are not afspraken."""

from __future__ import annotations

from tests.conftest import both_versions

doc = both_versions("midden-drenthe-2023")


def test_parties_signing_and_validity(doc):
    assert [(p.name, p.representative, p.representative_role) for p in doc.parties] == [
        ("Gemeente Midden-Drenthe", "D. Bouwman", "wethouder"),
        ("Actium", "R. Swart", "directeur-bestuurder"),
        ("Woonservice", "B. Buma", "directeur-bestuurder"),
        ("Huurdersorganisatie MEVM", "M. Bomers", "voorzitter"),
        ("Huurdersvereniging Samen Sterk", "P. Vereijken", "voorzitter"),
    ]
    assert (doc.signing.date, doc.signing.place) == ("2023-06-28", "Beilen")
    assert doc.validity.end == "2026-12-31"


def test_theme_list_and_chapter_headings_are_not_afspraken(doc):
    numbers = [a.number for a in doc.afspraken]
    assert numbers[:3] == ["1a", "1b", "2"]
    assert set(["1a", "1b", *map(str, range(2, 30))]) <= set(numbers)
    assert not any(a.text.rstrip(" ;.") in {"Beschikbaarheid", "Betaalbaarheid"} for a in doc.afspraken)
    assert doc.afspraken[0].text.startswith("Eind 2026 bedraagt de kernvoorraad sociale huurwoningen tenminste 3.341")
