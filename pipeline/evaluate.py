"""Extraction quality against hand-written gold annotations: precision, recall, F1 per field.

Gold lives in ``tests/gold/<doc_id>.json`` (written by reading the documents, never from
pipeline output). Each field is compared as a set of facts per afspraak number, e.g.
``("12", "Woonborg")`` for responsible or ``("41", 6533.0, "EUR")`` for a target.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .model import Document

Fact = tuple[Any, ...]


class Score(BaseModel):
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_positives": self.true_positives,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def _value(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _targets(a: dict[str, Any], with_comparator: bool) -> Iterable[Fact]:
    for t in a["targets"]:
        fact: Fact = (_value(t["value"]), t["unit"], t.get("label"))
        yield fact + ((t["comparator"],) if with_comparator else ())


# field → facts of one afspraak (as a dict in contract shape)
FIELDS: dict[str, Callable[[dict[str, Any]], Iterable[Fact]]] = {
    "afspraak": lambda a: [()],
    "theme": lambda a: [(a["theme"],)] if a.get("theme") else [],
    "responsible": lambda a: [(name,) for name in a["responsible"]],
    "deadline_date": lambda a: [(d["date"],) for d in a["deadlines"] if d.get("date")],
    "recurrence": lambda a: [(d["recurrence"],) for d in a["deadlines"] if d.get("recurrence")],
    "target_value_unit": lambda a: _targets(a, with_comparator=False),
    "target_comparator": lambda a: _targets(a, with_comparator=True),
    "commitment": lambda a: [(a["commitment"],)] if a.get("commitment") else [],
}


def facts(afspraken: list[dict[str, Any]], field: str) -> Counter[Fact]:
    return Counter((a["number"], *fact) for a in afspraken for fact in FIELDS[field](a))


def score_field(predicted: list[dict[str, Any]], gold: list[dict[str, Any]], field: str) -> Score:
    """Field facts compared; afspraken missing on either side count against the field."""
    p, g = facts(predicted, field), facts(gold, field)
    return Score(true_positives=sum((p & g).values()), predicted=sum(p.values()), gold=sum(g.values()))


def evaluate_document(document: Document, gold: dict[str, Any]) -> dict[str, Score]:
    predicted = [a.model_dump(mode="json") for a in document.afspraken]
    return {field: score_field(predicted, gold["afspraken"], field) for field in FIELDS}


def combine(scores: Iterable[Score]) -> Score:
    items = list(scores)
    return Score(
        true_positives=sum(s.true_positives for s in items),
        predicted=sum(s.predicted for s in items),
        gold=sum(s.gold for s in items),
    )


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(gold_dir.glob("*.json"))}


def report(per_document: dict[str, dict[str, Score]]) -> tuple[str, dict[str, Any]]:
    """A plain-text table and the JSON written to ``evaluation.json``."""
    overall = {field: combine(doc[field] for doc in per_document.values()) for field in FIELDS}
    rows = [("document", "field", "precision", "recall", "f1", "tp/pred/gold")]
    for name, scores in [*per_document.items(), ("OVERALL", overall)]:
        for field, s in scores.items():
            rows.append((name, field, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.true_positives}/{s.predicted}/{s.gold}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    table = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows)
    data = {
        "documents": {name: {f: s.as_dict() for f, s in scores.items()} for name, scores in per_document.items()},
        "overall": {f: s.as_dict() for f, s in overall.items()},
    }
    return table, data
