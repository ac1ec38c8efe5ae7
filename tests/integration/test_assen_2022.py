"""Assen 2022 (another house style): parties only as a numbered list of names after
"… leggen we vast tussen:", theme and chapter lists that hold no afspraken."""

from __future__ import annotations

from tests.conftest import both_versions

doc = both_versions("assen-2022")


def test_parties_from_a_plain_numbered_list(doc):
    assert [(p.name, p.kind) for p in doc.parties] == [
        ("Gemeente Assen", "gemeente"),
        ("Actium", "corporatie"),
        ("Woonservice", "corporatie"),
        ("Huurdersplatform MEVM", "huurdersorganisatie"),
        ("Huurdersvereniging Samen Sterk", "huurdersorganisatie"),
    ]
    assert doc.municipalities == ["Assen"]
    assert (doc.validity.start, doc.validity.end) == ("2022-01-01", "2025-12-31")


def test_theme_list_and_chapters_are_not_afspraken(doc):
    numbers = [a.number for a in doc.afspraken]
    assert numbers == [str(n) for n in range(1, 12)] + ["12a", "12b", "12c"] + [str(n) for n in range(13, 37)]
    assert doc.afspraken[1].text.startswith("Actium borgt met haar streefhuurbeleid dat minimaal 85%")
    assert doc.review == []
