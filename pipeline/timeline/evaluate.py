"""Matching quality against the fictional follow-ups of ``tests/timeline/`` (gold by
construction): precision and recall of the links between the years, of the update rows'
links to the afspraken they report on, and of the progress read from them.

A gold file names an agreement, its next-year agreement and a yearly update on it (paths
relative to the gold file's folder); afspraken
are named by their printed numbers. Facts: ``(kind, from, to, changed fields)`` per link
(``dropped``: no ``to``; ``new``: no ``from``), ``(row, afspraak)`` per report, and
``(row, year, status, value, of, unit)`` per progress statement.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..evaluate import Fact, Score
from ..extract import extract_document
from ..model import Document
from ..model.rules import Rules
from ..register import Entry, Planned, apply_plan
from .timelines import Timeline, TimelineCollector


def _score(predicted: Counter[Fact], gold: Counter[Fact]) -> Score:
    return Score(true_positives=sum((predicted & gold).values()), predicted=sum(predicted.values()), gold=sum(gold.values()))


def _unique(documents: list[Document]) -> list[Document]:
    """The documents under distinct doc_ids (an update of 2023 and the agreement of 2023 both
    read as ``<gemeente>-2023``), as the register names them: -2, -3."""
    seen: set[str] = set()
    unique = []
    for document in documents:
        doc_id, suffix = document.doc_id, 2
        while doc_id in seen:
            doc_id, suffix = f"{document.doc_id}-{suffix}", suffix + 1
        seen.add(doc_id)
        entry = Entry(Path(document.source.path), document.doc_id, Path())
        unique.append(apply_plan(document, Planned(entry, doc_id)))
    return unique


def gold_facts(gold: dict[str, Any]) -> dict[str, Counter[Fact]]:
    links: Counter[Fact] = Counter((g["kind"], g["from"], g["to"], tuple(sorted(g.get("changes", {})))) for g in gold["links"])
    links.update(("dropped", number, None, ()) for number in gold["dropped"])
    links.update(("new", None, number, ()) for number in gold["new"])
    reports = Counter((p["row"], p["reports_on"]) for p in gold["progress"])
    progress = Counter((p["row"], p["year"], p["status"], p["value"], p["of"], p["unit"]) for p in gold["progress"])
    return {"links": links, "reports_on": reports, "progress": progress}


def predicted_facts(timeline: Timeline, update_id: str) -> dict[str, Counter[Fact]]:
    def number(afspraak_id: str | None) -> str | None:
        return timeline.afspraak(afspraak_id).number if afspraak_id else None

    links: Counter[Fact] = Counter(
        (link.kind, number(link.source), number(link.target), tuple(sorted(c.field for c in link.changes)))
        for link in timeline.links if link.kind != "reports_on"
    )
    reports = Counter((number(link.source), number(link.target)) for link in timeline.links if link.kind == "reports_on")
    update = next(d for d in timeline.documents if d.doc_id == update_id)
    progress = Counter((a.number, p.year, p.status, p.value, p.of, p.unit) for a in update.afspraken for p in a.progress)
    return {"links": links, "reports_on": reports, "progress": progress}


def case_timeline(gold: dict[str, Any], folder: Path, rules: Rules) -> tuple[Timeline, list[Document]]:
    """The timeline of a gold file's three documents (agreement, next agreement, update)."""
    documents = _unique([extract_document(folder / gold[key], rules).document for key in ("agreement", "next", "update")])
    collector = TimelineCollector(rules)
    for document in documents:
        collector.add(document)
    (timeline,) = collector.timelines()
    return timeline, documents


def evaluate_timelines(folder: Path, rules: Rules) -> dict[str, dict[str, Score]]:
    """Per gold file: scores of links, reports and progress."""
    scores = {}
    for gold_file in sorted(folder.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        timeline, documents = case_timeline(gold, folder, rules)
        predicted, expected = predicted_facts(timeline, documents[2].doc_id), gold_facts(gold)
        scores[gold_file.stem] = {field: _score(predicted[field], expected[field]) for field in expected}
    return scores
