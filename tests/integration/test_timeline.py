"""The fictional follow-ups of Tynaarlo 2023 and Aa en Hunze 2022 (tests/timeline/, gold by
construction): every link, every changed value old → new and every status as written in the
gold; the timeline in the site, XLSX and SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.model.rules import default_rules
from pipeline.run import BatchSettings, run_corpus
from pipeline.timeline.evaluate import case_timeline, evaluate_timelines
from tests.conftest import CORPUS, ROOT

TIMELINE = ROOT / "tests" / "timeline"
CASES = ["aa-en-hunze", "tynaarlo"]


def gold(name: str) -> dict:
    return json.loads((TIMELINE / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=CASES)
def case(request):
    expected = gold(request.param)
    timeline, documents = case_timeline(expected, TIMELINE, default_rules())
    return expected, timeline, documents


def _number(timeline, afspraak_id):
    return timeline.afspraak(afspraak_id).number if afspraak_id else None


def test_every_link_as_in_the_gold(case):
    expected, timeline, _ = case
    links = sorted((l.kind, _number(timeline, l.source), _number(timeline, l.target)) for l in timeline.links if l.kind != "reports_on")
    wanted = [(g["kind"], g["from"], g["to"]) for g in expected["links"]]
    wanted += [("dropped", n, None) for n in expected["dropped"]] + [("new", None, n) for n in expected["new"]]
    assert links == sorted(wanted)


def test_every_change_old_to_new(case):
    expected, timeline, _ = case
    by_pair = {(_number(timeline, l.source), _number(timeline, l.target)): l for l in timeline.links}
    for g in expected["links"]:
        link = by_pair[(g["from"], g["to"])]
        assert {c.field for c in link.changes} == set(g.get("changes", {}))
        old, new = timeline.afspraak(link.source), timeline.afspraak(link.target)
        for field, (before, after) in g.get("changes", {}).items():
            if field == "targets":
                assert [{"value": t.value, "unit": t.unit} for t in old.targets] == before
                assert [{"value": t.value, "unit": t.unit} for t in new.targets] == after
            elif field == "deadlines":
                assert ([d.text for d in old.deadlines], [d.text for d in new.deadlines]) == (before, after)
            else:
                assert (sorted(old.responsible), sorted(new.responsible)) == (before, after)


def test_statuses_with_their_numbers(case):
    expected, timeline, documents = case
    update = next(d for d in timeline.documents if d.doc_id == documents[2].doc_id)
    assert update.update and not any(d.update for d in timeline.documents if d is not update)
    read = {a.number: [(p.year, p.status, p.value, p.of, p.unit) for p in a.progress] for a in update.afspraken}
    assert read == {g["row"]: [(g["year"], g["status"], g["value"], g["of"], g["unit"])] for g in expected["progress"]}
    reports = {_number(timeline, l.source): _number(timeline, l.target) for l in timeline.links if l.kind == "reports_on"}
    assert reports == {g["row"]: g["reports_on"] for g in expected["progress"]}


def test_progress_is_never_the_afspraak_text(case):
    _, _, documents = case
    for afspraak in documents[2].afspraken:
        (statement,) = afspraak.progress
        assert statement.text not in afspraak.text
        for tag in [*afspraak.targets, *afspraak.deadlines]:  # every target and deadline is in the afspraak's own words
            assert tag.start is not None and tag.end is not None and afspraak.text[tag.start:tag.end] == tag.text


def test_link_precision_and_recall():
    scores = evaluate_timelines(TIMELINE, default_rules())
    assert sorted(scores) == CASES
    for by_field in scores.values():
        assert {field: (s.precision, s.recall) for field, s in by_field.items()} == {
            "links": (1.0, 1.0), "reports_on": (1.0, 1.0), "progress": (1.0, 1.0),
        }


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Path:
    """A register of Tynaarlo 2023, its follow-up and its yearly update."""
    folder = tmp_path_factory.mktemp("in")
    for path in [CORPUS / "tynaarlo-2023.pdf", TIMELINE / "tynaarlo-2024.txt", TIMELINE / "tynaarlo-voortgang-2023.txt"]:
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path_factory.mktemp("out")
    assert not run_corpus([folder], out, default_rules(), BatchSettings(workers=1)).errors
    return out


def test_links_in_sqlite_and_xlsx(register):
    expected = gold("tynaarlo")
    wanted = Counter(g["kind"] for g in expected["links"]) + Counter(
        {"dropped": len(expected["dropped"]), "new": len(expected["new"]), "reports_on": len(expected["progress"])}
    )
    db = sqlite3.connect(register / "register.sqlite")
    assert Counter(dict(db.execute("SELECT kind, count(*) FROM afspraak_links GROUP BY kind").fetchall())) == wanted
    sheet = load_workbook(register / "register.xlsx", read_only=True)["afspraak_links"]
    rows = list(sheet.values)
    assert rows[0] == ("gemeente", "van", "naar", "soort", "gelijkenis", "wijzigingen")
    assert Counter(row[3] for row in rows[1:]) == wanted
    assert ("Tynaarlo", "doel: ≥ 80% → ≥ 75%") in {(row[0], row[5]) for row in rows[1:] if len(row) == 6}


def test_timeline_linked_from_the_index_and_the_document_pages(register):
    site = register / "site"
    assert 'href="tijdlijn-tynaarlo.html"' in (site / "index.html").read_text(encoding="utf-8")
    for page in ["tynaarlo-2024.html", "tynaarlo-2023.html", "tynaarlo-2023-2.html"]:
        assert 'href="tijdlijn-tynaarlo.html" id="tijdlijn"' in (site / page).read_text(encoding="utf-8")
    comparison = (site / "vergelijking.html").read_text(encoding="utf-8")
    assert 'id="voortgang"' in comparison and "voortgang-per-thema" in comparison
