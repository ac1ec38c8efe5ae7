"""Dutch temporal expressions → deadlines (dates at the end of the named period)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.tag.deadlines import find_deadlines

START = dt.date(2023, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Woonborg levert het plan eind 2025 op.", [("eind 2025", "2025-12-31", None)]),
        ("De gemeente besluit uiterlijk op 1 juli.", [("uiterlijk op 1 juli", "2023-07-01", None)]),
        ("De corporaties leveren vóór 15 december het bod in.", [("vóór 15 december", "2023-12-15", None)]),
        ("In Q1 2023 gaan partijen in overleg.", [("In Q1 2023", "2023-03-31", None)]),
        ("Actium neemt in het eerste kwartaal van 2024 het initiatief.", [("in het eerste kwartaal van 2024", "2024-03-31", None)]),
        ("De gemeente kiest uiterlijk begin 2023.", [("uiterlijk begin 2023", "2023-03-31", None)]),
        ("Partijen evalueren in het najaar van 2023.", [("in het najaar van 2023", "2023-12-31", None)]),
        ("Het project loopt t/m 2026.", [("t/m 2026", "2026-12-31", None)]),
        ("Het project loopt tot 2027.", [("tot 2027", "2027-01-01", None)]),
        ("Het project loopt tot en met december 2026.", [("tot en met december 2026", "2026-12-31", None)]),
        ("Partijen starten per 1 januari 2023 met buurtbemiddeling.", [("per 1 januari 2023", "2023-01-01", None)]),
        ("Woonborg sloopt in 2024 18 woningen.", [("in 2024", "2024-12-31", None)]),
        ("Partijen ondertekenen voor mei 2023.", [("voor mei 2023", "2023-05-01", None)]),
        # "voor 2023" in an agreement for 2023 cannot be before it began: "for 2023"
        ("Daarnaast staat voor 2023 de verkoop van 2 kavels gepland.", [("voor 2023", "2023-12-31", None)]),
        ("Alle woningen hebben voor 2030 label A.", [("voor 2030", "2030-01-01", None)]),
        ("De voorraad neemt in de periode 2023-2026 met 3.000 woningen toe.", [("in de periode 2023-2026", "2026-12-31", None)]),
        ("AH WOON zoekt het komende jaar contact.", [("het komende jaar", "2023-12-31", None)]),
        ("Partijen evalueren jaarlijks.", [("jaarlijks", None, "P1Y")]),
        ("Elk halfjaar monitoren de corporaties.", [("Elk halfjaar", None, "P6M")]),
        ("De gemeente informeert ieder kwartaal.", [("ieder kwartaal", None, "P3M")]),
        ("Partijen houden een tweejaarlijkse rondgang.", [("tweejaarlijkse", None, "P2Y")]),
        ("De stuurgroep komt twee keer per jaar bijeen.", [("twee keer per jaar", None, "P6M")]),
    ],
)
def test_deadlines(rules, text, expected):
    found = find_deadlines(text, 2023, START, rules)
    assert [(f.deadline.text, f.deadline.date, f.deadline.recurrence) for f in found] == expected
    assert all(text[f.start : f.end] == f.deadline.text for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "De huurprijs is gebaseerd op prijspeil 2021.",
        "De stijging ten opzichte van 1 januari 2020 is klein.",
        "onder de aftoppingsgrens (2022: € 633,25)",
        "Woonborg is in 2021 begonnen met een visie.",  # before the agreement: history
        "oplevering verwacht in 2024",
        "Het aantal van 1895 benodigde sociale huurwoningen in 2024 is het vertrekpunt.",
        "Voor 2023 geldt dat de huursom beperkt stijgt.",
        "Als de afspraken voor 2024 onvoldoende zijn, overleggen partijen.",
        "Woonborg gaat jaarlijks 100 woningen aanpakken.",  # the amount's per, not a recurrence
        "Jaarlijks verkoopt Woonborg 2 á 3 woningen.",
    ],
)
def test_not_deadlines(rules, text):
    assert find_deadlines(text, 2023, START, rules) == []


def test_missing_year_without_reference_gives_no_date(rules):
    found = find_deadlines("vóór 1 april", None, None, rules)
    assert [(f.deadline.text, f.deadline.date) for f in found] == [("vóór 1 april", None)]


def test_within_the_agreement_period_is_the_end_of_its_validity(rules):
    text = "De projecten komen binnen de afsprakenperiode tot oplevering."
    found = find_deadlines(text, 2023, START, rules, period_end=dt.date(2026, 12, 31))
    assert [(f.deadline.text, f.deadline.date) for f in found] == [("binnen de afsprakenperiode", "2026-12-31")]
    assert find_deadlines(text, 2023, START, rules) == []  # no validity known: no date to give
