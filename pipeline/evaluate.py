"""Extraction quality against hand-made gold: precision, recall, F1 per field, per group.

A group is a folder of gold files (``<name>.json``, written by reading the documents, never
from pipeline output) and the folder holding the documents they describe (``<name>.pdf`` and/or
``<name>.txt``; each version found is scored as a document of its own). Gold follows the register
contract (see ``tests/devset/FORMAT.md``): ``scope`` names the document-level fields a file is
scored on (all of them when absent); an afspraak tag that is absent from the gold is not scored.

Afspraken are matched to gold by printed number (where the gold has one) and first words; every
field is compared as a set of facts, e.g. ``(3, "Woonborg")`` for responsible of the third gold
afspraak, so an afspraak that is missed or invented counts against each of its fields.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
from pydantic import BaseModel

from .model import Document

Fact = tuple[Any, ...]
DOCUMENT_FIELDS = ["doc_type", "municipalities", "parties", "signing", "validity", "afspraken"]


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


def _words(text: str) -> str:
    return " ".join(regex.findall(r"[\p{L}\d%€]+", text.lower()))


def _targets(a: dict[str, Any], with_comparator: bool) -> Iterable[Fact]:
    for t in a["targets"]:
        fact: Fact = (_value(t["value"]), t["unit"], t.get("label"))
        yield fact + ((t["comparator"],) if with_comparator else ())


# afspraak field → its facts (afspraak as a dict in contract shape); the gold key it needs
AFSPRAAK_FIELDS: dict[str, tuple[str, Callable[[dict[str, Any]], Iterable[Fact]]]] = {
    "afspraak": ("first_words", lambda a: [()]),
    "theme": ("theme", lambda a: [(a["theme"],)] if a.get("theme") else []),
    "responsible": ("responsible", lambda a: [(name.lower(),) for name in a["responsible"]]),
    "deadline_date": ("deadlines", lambda a: [(d["date"],) for d in a["deadlines"] if d.get("date")]),
    "recurrence": ("deadlines", lambda a: [(d["recurrence"],) for d in a["deadlines"] if d.get("recurrence")]),
    "target_value_unit": ("targets", lambda a: _targets(a, with_comparator=False)),
    "target_comparator": ("targets", lambda a: _targets(a, with_comparator=True)),
    "commitment": ("commitment", lambda a: [(a["commitment"],)] if a.get("commitment") else []),
}


def _document_facts(d: dict[str, Any]) -> dict[str, Counter[Fact]]:
    """Document-level facts of a register document or a gold file."""
    parties = [(p["name"].lower(), p["kind"]) for p in d.get("parties", [])]
    return {
        "doc_type": Counter([(d.get("doc_type"),)]),
        "municipalities": Counter((m.lower(),) for m in d.get("municipalities", [])),
        "parties": Counter(parties),
        "signing": Counter((k, v) for k, v in (d.get("signing") or {}).items() if v is not None and k in ("date", "place")),
        "validity": Counter((k, v) for k, v in (d.get("validity") or {}).items() if v is not None and k in ("start", "end")),
    }


def _validity_alternatives(gold: dict[str, Any], predicted: Counter[Fact]) -> Counter[Fact]:
    """Gold validity facts, with a defensible alternative reading taking the place of the
    main one where the extractor chose it (``validity_alternatives``)."""
    facts = _document_facts(gold)["validity"]
    alternatives = gold.get("validity_alternatives") or {}
    for key in ("start", "end"):
        main = (gold.get("validity") or {}).get(key)
        for alternative in alternatives.get(key) or []:
            chosen = next((v for k, v in predicted if k == key), None)
            if chosen == alternative and alternative != main:
                if main is not None:
                    facts[(key, main)] -= 1
                facts[(key, alternative)] += 1
    return +facts


def match_afspraken(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[int, int]:
    """gold index → predicted index: same printed number (where the gold has one) and the
    predicted text starts with the gold's first words (their first five)."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for gi, g in enumerate(gold):
        head = " ".join(_words(g["first_words"]).split()[:5])
        for pi, p in enumerate(predicted):
            if pi in taken or (g.get("number") is not None and str(g["number"]) != str(p.get("number"))):
                continue
            if _words(p["text"]).startswith(head):
                pairs[gi] = pi
                taken.add(pi)
                break
    return pairs


def _named_as_in_gold(data: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    """A party the extractor names by one of the gold's names for it ("Woningcorporatie Wonen
    Midden-Delfland" where the gold has it as an alias of "Wonen Midden-Delfland") is that
    party: its name is replaced by the gold's, in the parties and in every `responsible`."""
    renamed: dict[str, str] = {}
    for party in data.get("parties", []):
        names = {n.lower() for n in (party["name"], *party.get("aliases", []))}
        for candidate in gold.get("parties", []):
            if candidate["kind"] == party["kind"] and names & {n.lower() for n in (candidate["name"], *candidate.get("aliases", []))}:
                renamed[party["name"]] = candidate["name"]
                break
    parties = [{**party, "name": renamed.get(party["name"], party["name"])} for party in data.get("parties", [])]
    afspraken = [{**a, "responsible": [renamed.get(r, r) for r in a.get("responsible", [])]} for a in data.get("afspraken", [])]
    return {**data, "parties": parties, "afspraken": afspraken}


def evaluate_document(document: Document, gold: dict[str, Any]) -> dict[str, Score]:
    """Scores per field for one document; fields outside the gold's scope are left out."""
    scope = gold.get("scope", DOCUMENT_FIELDS)
    data = _named_as_in_gold(document.model_dump(mode="json"), gold)
    scores: dict[str, Score] = {}
    predicted_facts = _document_facts(data)
    gold_facts = _document_facts(gold)
    gold_facts["validity"] = _validity_alternatives(gold, predicted_facts["validity"])
    for field in ("doc_type", "municipalities", "parties", "signing", "validity"):
        if field in scope:
            p, g = predicted_facts[field], gold_facts[field]
            scores[field] = Score(true_positives=sum((p & g).values()), predicted=sum(p.values()), gold=sum(g.values()))
    if "afspraken" not in scope:
        return scores
    predicted = data["afspraken"]
    pairs = match_afspraken(predicted, gold["afspraken"])
    for field, (needs, facts_of) in AFSPRAAK_FIELDS.items():
        scored = [i for i, g in enumerate(gold["afspraken"]) if needs in g]
        if gold["afspraken"] and not scored:
            continue  # the gold does not annotate this field here
        p_facts: Counter[Fact] = Counter()
        for gi in scored:
            if gi in pairs:
                p_facts.update((gi, *f) for f in facts_of(predicted[pairs[gi]]))
        matched = set(pairs.values())
        for pi, a in enumerate(predicted):  # invented afspraken count against every field
            if pi not in matched:
                p_facts.update((f"p{pi}", *f) for f in facts_of(a))
        g_facts = Counter((gi, *f) for gi in scored for f in facts_of(gold["afspraken"][gi]))
        scores[field] = Score(true_positives=sum((p_facts & g_facts).values()), predicted=sum(p_facts.values()), gold=sum(g_facts.values()))
    return scores


def combine(scores: Iterable[Score]) -> Score:
    items = list(scores)
    return Score(
        true_positives=sum(s.true_positives for s in items),
        predicted=sum(s.predicted for s in items),
        gold=sum(s.gold for s in items),
    )


@dataclass(frozen=True)
class Case:
    """One document to score: its input file and its gold."""

    name: str
    path: Path
    gold: dict[str, Any]


def group_cases(gold_dir: Path, input_dir: Path | None = None) -> list[Case]:
    """Every gold file of a group with each input version of it (PDF, text) that exists."""
    cases = []
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        if "afspraken" not in gold and "scope" not in gold:
            continue  # not a gold file
        folder = input_dir or gold_dir
        for suffix in (".pdf", ".txt"):
            path = folder / f"{gold_file.stem}{suffix}"
            if path.exists():
                cases.append(Case(f"{gold_file.stem}{suffix}", path, gold))
    return cases


def report(groups: dict[str, dict[str, dict[str, Score]]]) -> tuple[str, dict[str, Any]]:
    """A plain-text table (per group, then per document) and the JSON of ``evaluation.json``."""
    rows = [("group", "document", "field", "precision", "recall", "f1", "tp/pred/gold")]
    data: dict[str, Any] = {"groups": {}}
    for group, documents in groups.items():
        fields = list(dict.fromkeys(f for scores in documents.values() for f in scores))
        overall = {f: combine(scores[f] for scores in documents.values() if f in scores) for f in fields}
        data["groups"][group] = {
            "overall": {f: s.as_dict() for f, s in overall.items()},
            "documents": {name: {f: s.as_dict() for f, s in scores.items()} for name, scores in documents.items()},
        }
        for name, scores in [("OVERALL", overall), *documents.items()]:
            for field, s in scores.items():
                rows.append((group, name, field, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.true_positives}/{s.predicted}/{s.gold}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    table = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows)
    return table, data
