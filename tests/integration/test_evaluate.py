"""`afspraken evaluate`: the three gold groups (the corpus agreements, real excerpts of other
municipalities, synthetic layouts), scored in-process."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    out = tmp_path_factory.mktemp("eval")
    assert main(["evaluate", "--out", str(out)]) == 0
    return json.loads((out / "evaluation.json").read_text(encoding="utf-8"))


def test_every_group_is_scored_on_its_documents(evaluation):
    groups = evaluation["groups"]
    assert sorted(groups) == ["corpus", "real", "synthetic", "timeline"]
    assert sorted(groups["timeline"]["documents"]) == ["aa-en-hunze", "tynaarlo"]  # tests/timeline/*.json
    assert all(s["precision"] >= 0.95 and s["recall"] >= 0.95 for s in groups["timeline"]["overall"].values())
    assert sorted(groups["corpus"]["documents"]) == [
        "aa-en-hunze-2022.pdf", "assen-2022.pdf", "midden-drenthe-2023.pdf", "tynaarlo-2023.pdf"]
    real = {name.rsplit(".", 1)[0] for name in groups["real"]["documents"]}
    assert len(real) >= 30
    # every synthetic layout as PDF and as text
    synthetic = groups["synthetic"]["documents"]
    assert {name.rsplit(".", 1)[0] for name in synthetic} == {n.rsplit(".", 1)[0] for n in synthetic if n.endswith(".pdf")}
    assert len(synthetic) == 12


def test_corpus_agreements_meet_the_floors(evaluation):
    """Floors measured on the four agreements with the reconciled gold; a drop is a regression."""
    overall = evaluation["groups"]["corpus"]["overall"]
    assert overall["afspraak"]["gold"] == 196
    floors = {"afspraak": 1.0, "parties": 1.0, "validity": 1.0, "signing": 1.0, "responsible": 0.98, "theme": 0.99,
              "deadline_date": 0.92, "target_value_unit": 0.90}
    for field, floor in floors.items():
        assert overall[field]["f1"] >= floor, (field, overall[field])
    tynaarlo = evaluation["groups"]["corpus"]["documents"]["tynaarlo-2023.pdf"]
    assert tynaarlo["afspraak"]["f1"] == 1.0 and tynaarlo["parties"]["f1"] == 1.0


def test_synthetic_layouts_and_real_excerpts_meet_their_floors(evaluation):
    """Floors measured today (stop 10, 43 real excerpts of 37 municipalities); a drop in any group is a regression."""
    synthetic = evaluation["groups"]["synthetic"]["overall"]
    for field, floor in {"afspraak": 1.0, "parties": 1.0, "validity": 1.0, "signing": 1.0, "municipalities": 1.0,
                         "theme": 1.0, "responsible": 0.95, "deadline_date": 0.98, "target_value_unit": 0.91}.items():
        assert synthetic[field]["f1"] >= floor, (field, synthetic[field])
    real = evaluation["groups"]["real"]["overall"]
    for field, floor in {"afspraak": 0.95, "parties": 0.96, "validity": 1.0, "doc_type": 1.0, "municipalities": 0.98,
                         "theme": 0.95, "responsible": 0.90, "target_value_unit": 1.0, "deadline_date": 0.92}.items():
        assert real[field]["f1"] >= floor, (field, real[field])
