"""Quantitative targets: Dutch numbers, ranges, comparators, units, labels."""

from __future__ import annotations

import pytest

from pipeline.tag.targets import find_targets, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9.170", 9170), ("633,23", 633.23), ("1.544", 1544), ("1/3", 0.3333), ("6-tal", 6), ("2,5", 2.5), ("12", 12)],
)
def test_parse_number(rules, text, expected):
    assert parse_number(text, rules.targets.number_words, rules.targets.approximate_suffixes) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De Volmacht hanteert voor minimaal 85% van haar bezit een lage huur.", [("minimaal 85%", ">=", 85, None, "%", None, None)]),
        ("Actium bouwt tenminste 9.170 woningen.", [("tenminste 9.170 woningen", ">=", 9170, None, "woning", None, None)]),
        ("De huursom stijgt met maximaal 1% boven inflatie.", [("maximaal 1%", "<=", 1, None, "%", None, None)]),
        ("De gemeente rekent € 21.000 per kavel.", [("€ 21.000", "=", 21000, None, "EUR", None, None)]),
        ("De corporaties dragen elk €6.533 per jaar bij.", [("€6.533", "=", 6533, None, "EUR", None, "jaar")]),
        ("Zij verkopen circa 4 tot 6 woningen per jaar.", [("4 tot 6 woningen", "range", 4, 6, "woning", None, "jaar")]),
        ("Er komen 525-625 sociale huurwoningen bij.", [("525-625 sociale huurwoningen", "range", 525, 625, "huurwoning", None, None)]),
        ("Het gaat om 10-15 standplaatsen.", [("10-15 standplaatsen", "range", 10, 15, "standplaats", None, None)]),
        ("De Volmacht bouwt een 6-tal levensloopgeschikte sociale huurwoningen.",
         [("een 6-tal levensloopgeschikte sociale huurwoningen", "~", 6, None, "huurwoning", None, None)]),
        ("Woonborg verbetert 12 woningen naar label A.",
         [("12 woningen", "=", 12, None, "woning", None, None), ("label A", "=", None, None, "label", "A", None)]),
        ("Bij nieuwe verhuur geldt minimaal energielabel C.", [("minimaal energielabel C", ">=", None, None, "label", "C", None)]),
        ("De gemeente zet in op ca. 30% sociale huur.", [("ca. 30%", "~", 30, None, "%", None, None)]),
        ("De huur wordt afgetopt op € 678 (prijspeil 2021).", [("afgetopt op € 678", "<=", 678, None, "EUR", None, None)]),
        ("Woonborg gaat jaarlijks 100 woningen aanpakken.", [("100 woningen", "=", 100, None, "woning", None, "jaar")]),
        ("Voor de leefbaarheid is 659.635 Euro voorzien.", [("659.635 Euro", "=", 659635, None, "EUR", None, None)]),
        ("Het fonds bedraagt 1,2 miljoen euro.", [("1,2 miljoen euro", "=", 1200000, None, "EUR", None, None)]),
        # a sentence may start with a number: the count before it is not its context
        ("Het totaal aantal woningen neemt toe. 2 woningen worden verkocht.", [("2 woningen", "=", 2, None, "woning", None, None)]),
        ("Zij zorgen voor twintig woonwagenstandplaatsen.", [("twintig woonwagenstandplaatsen", "=", 20, None, "woonwagenstandplaats", None, None)]),
    ],
)
def test_targets(rules, text, expected):
    found = find_targets(text, rules)
    assert [(f.target.text, f.target.comparator, f.target.value, f.target.value_max, f.target.unit, f.target.label, f.target.per) for f in found] == expected
    assert all(f.target.text in text for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "Zie afspraak 34 over het woningbouwprogramma.",
        "Het aantal van 1895 benodigde sociale huurwoningen is het vertrekpunt.",
        "De Volmacht heeft ca. 1500 woningen.",
        "Woonborg heeft 397 woningen in de gemeente.",
        "Jaarlijks verkoopt Woonborg naar verwachting 2 á 3 woningen.",
        "voldoende woningen voor 1-2 persoonshuishoudens",
        "Dit staat in hoofdstuk 5 en tabel 3.",
        "Er is behoefte aan 220 woningen.",
        "een huurprijs tot de tweede aftoppingsgrens (€ 678)",
        "Woonborg verbetert woningen met C-label.",
        "met maximaal de CAO-loonontwikkeling plus 0,5 procent punt",
        "In 2023 gaan partijen in overleg.",
    ],
)
def test_not_targets(rules, text):
    assert find_targets(text, rules) == []
