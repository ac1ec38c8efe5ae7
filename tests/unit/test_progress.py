"""Progress statements read into status, year and number; the timeline rules validated at
start-up; afspraken matched by content, not by number."""

from __future__ import annotations

import shutil

import pytest

from pipeline.model import Afspraak
from pipeline.model.rules import DEFAULT_RULES_DIR, RuleError, load_rules
from pipeline.timeline.links import link_afspraken
from pipeline.timeline.progress import read_progress


@pytest.mark.parametrize(
    ("label", "text", "expected"),
    [
        ("Stand van zaken", "Loopt: 84 van 120 woningen opgeleverd.", (2023, "loopt", 84.0, 120.0, "woningen")),
        ("Stand van zaken", "Niet gerealiseerd: 4 van de 12 woningen verbeterd.", (2023, "niet_gehaald", 4.0, 12.0, "woningen")),
        ("Realisatie 2024", "Gerealiseerd: 87% van het bezit.", (2024, "gerealiseerd", 87.0, None, "%")),
        ("Status", "Komt te vervallen.", (2023, "vervallen", None, None, None)),
        ("Voortgang", "Vertraagd; de vergunning volgt in 1.200 dagen.", (2023, "vertraagd", None, None, None)),
        ("Status", "Wordt besproken in het bestuurlijk overleg.", (2023, "onbekend", None, None, None)),
    ],
)
def test_progress_statement(rules, label, text, expected):
    p = read_progress(label, text, 2023, rules.timeline)
    assert (p.year, p.status, p.value, p.of, p.unit) == expected
    assert p.text == text


def test_onbekend_has_no_words(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    path = rules_dir / "timeline.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  onbekend: [onduidelijk]\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"timeline\.yaml:\d+: statuses: .*onbekend"):
        load_rules(rules_dir)


def test_a_threshold_above_one_is_refused(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    path = rules_dir / "timeline.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("min_score: 0.85", "min_score: 1.5"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"timeline\.yaml:\d+: match\.min_score"):
        load_rules(rules_dir)


def _afspraak(doc: str, number: str, text: str, ordinal: int) -> Afspraak:
    return Afspraak(id=f"{doc}#{number}", number=number, ordinal=ordinal, text=text, theme="beschikbaarheid")


def test_matched_by_content_not_by_number(rules):
    old = [
        _afspraak("a-2023", "1", "Woonborg sloopt in 2023 18 woningen aan de Oranjelaan.", 1),
        _afspraak("a-2023", "2", "De gemeente stelt een woonzorgvisie op.", 2),
    ]
    new = [
        _afspraak("a-2024", "1", "De corporaties plaatsen zonnepanelen op seniorencomplexen.", 1),
        _afspraak("a-2024", "2", "De gemeente stelt een woonzorgvisie op.", 2),
    ]
    links = [(link.kind, link.source, link.target) for link in link_afspraken(old, new, rules)]
    assert links == [("unchanged", "a-2023#2", "a-2024#2"), ("dropped", "a-2023#1", None), ("new", None, "a-2024#1")]
