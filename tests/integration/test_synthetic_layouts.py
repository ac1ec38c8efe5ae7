"""One fictional agreement per common layout (tests/synthetic/, written with its gold), read as
PDF and as text: document type, title, municipalities, parties, signing, validity and every
afspraak's number come out as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, extracted

SYNTHETIC = ROOT / "tests" / "synthetic"
LAYOUTS = sorted(p.stem for p in SYNTHETIC.glob("*.json"))
CASES = [(stem, suffix) for stem in LAYOUTS for suffix in (".pdf", ".txt")]


def gold(stem: str) -> dict:
    return json.loads((SYNTHETIC / f"{stem}.json").read_text(encoding="utf-8"))


def test_every_layout_is_there():
    assert LAYOUTS == ["brakeloo-2025", "hoogmeer-2024", "lindewoude-2026", "oosterzand-2025", "regio-kempenland-2024", "veenhoven-2025"]


@pytest.mark.parametrize(("stem", "suffix"), CASES, ids=[f"{s}{x}" for s, x in CASES])
def test_document_facts(stem: str, suffix: str):
    doc, expected = extracted(SYNTHETIC / f"{stem}{suffix}"), gold(stem)
    assert doc.doc_id == stem
    assert doc.doc_type == expected["doc_type"] == "prestatieafspraken"
    assert doc.municipalities == expected["municipalities"]
    assert [(p.name, p.kind) for p in doc.parties] == [(p["name"], p["kind"]) for p in expected["parties"]]
    assert (doc.signing.date, doc.signing.place) == (expected["signing"]["date"], expected["signing"]["place"])
    assert (doc.validity.start, doc.validity.end) == (expected["validity"]["start"], expected["validity"]["end"])


@pytest.mark.parametrize(("stem", "suffix"), CASES, ids=[f"{s}{x}" for s, x in CASES])
def test_every_afspraak_and_no_decoy(stem: str, suffix: str):
    doc, expected = extracted(SYNTHETIC / f"{stem}{suffix}"), gold(stem)
    assert [a.number for a in doc.afspraken] == [a["number"] for a in expected["afspraken"]]
    for afspraak, wanted in zip(doc.afspraken, expected["afspraken"]):
        assert " ".join(afspraak.text.split()).startswith(" ".join(wanted["first_words"].split()))


def test_layout_specifics():
    kempenland = extracted(SYNTHETIC / "regio-kempenland-2024.pdf")
    assert kempenland.municipality_codes == [None, None, None] and "unknown_municipality" in kempenland.review
    first = kempenland.afspraken[0]
    assert [(f.label, f.text) for f in first.fields] == [
        ("Wie", "Kempenhuis en Akkerwoude"), ("Wanneer", "eind 2027"), ("Indicator", "minimaal 120 sociale huurwoningen per jaar opgeleverd")]
    assert "Wie:" not in first.text and first.responsible == ["Stichting Kempenhuis Wonen", "Woonstichting Akkerwoude"]
    oosterzand = extracted(SYNTHETIC / "oosterzand-2025.pdf")
    assert all(a.number is None for a in oosterzand.afspraken) and [a.ordinal for a in oosterzand.afspraken] == list(range(1, 17))
    assert oosterzand.afspraken[0].id == "oosterzand-2025#o1"
    hoogmeer = extracted(SYNTHETIC / "hoogmeer-2024.pdf")
    c2 = next(a for a in hoogmeer.afspraken if a.number == "C2")
    assert [(t.value, t.unit) for t in c2.targets][0] == (1200000.0, "EUR")  # "€ 1,2 miljoen"
