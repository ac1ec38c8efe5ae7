"""The tagging shortcuts change nothing: lemmas looked up only where a commitment needs them
are the ones the full pipeline sets, and a deadline kind is skipped only in texts where it
cannot match (every match holds each of its anchors)."""

from __future__ import annotations

import pytest

from pipeline.model.rules import default_rules
from pipeline.tag import parse
from pipeline.tag.deadlines import _kinds
from pipeline.tag.nlp import lemmas, load_nlp

TEXTS = [
    "De corporaties onderzoeken de mogelijkheden en zetten zich in voor 120 huurwoningen.",
    "Woonborg levert uiterlijk in het eerste kwartaal van 2024 het plan op; in Q3 2025 volgt de evaluatie.",
    "Partijen starten per 1 januari 2023 en leveren vóór 15 december het bod in, eind 2025 is het klaar.",
    "In de periode 2020-2023 overleggen we jaarlijks, tot en met december 2026 en binnen de afsprakenperiode.",
    "Het project loopt t/m 2026. Het volgende jaar bespreken we het 2x per jaar in het najaar van 2027.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_lemmas_are_the_ones_the_full_pipeline_sets(text):
    nlp = load_nlp()
    assert lemmas(parse(nlp, text)[:]) == [token.lemma_ or token.text for token in nlp(text)]


@pytest.mark.parametrize("text", TEXTS)
def test_every_deadline_match_holds_the_anchors_of_its_kind(text):
    for kind in _kinds(default_rules()).values():
        for match in kind.pattern.finditer(text):
            assert all(anchor.search(match.group(0)) for anchor in kind.anchors)
