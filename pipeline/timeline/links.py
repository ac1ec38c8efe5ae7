"""Afspraken of two documents matched by content (not by number, which changes from year to
year) and each pair classified: unchanged, changed (what changed, old → new), new, dropped."""

from __future__ import annotations

from typing import Literal, Optional

import regex
from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from ..compare.topics import afspraak_topics
from ..model import Afspraak
from ..model.rules import Rules

LinkKind = Literal["unchanged", "changed", "new", "dropped", "reports_on"]
ChangedField = Literal["targets", "deadlines", "responsible", "commitment", "text"]
LINK_LABELS: dict[LinkKind, str] = {
    "unchanged": "ongewijzigd", "changed": "gewijzigd", "new": "nieuw", "dropped": "vervallen", "reports_on": "voortgang",
}
CHANGE_LABELS: dict[ChangedField, str] = {
    "targets": "doel", "deadlines": "termijn", "responsible": "verantwoordelijk", "commitment": "soort afspraak", "text": "tekst",
}


class Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    field: ChangedField
    old: list[str]
    new: list[str]


class AfspraakLink(BaseModel):
    """``afspraak_links``: an afspraak of one document and its successor in a later one (or
    the afspraak a yearly update reports on). ``source`` is None for a new afspraak, ``target``
    None for a dropped one."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: Optional[str]  # afspraak id ("from")
    target: Optional[str]  # afspraak id ("to")
    kind: LinkKind
    similarity: Optional[float] = None
    changes: list[Change] = []


def _words(text: str, numbers: bool) -> str:
    text = text.lower() if numbers else regex.sub(r"\d+(?:[.,]\d+)*", " ", text.lower())
    return " ".join(regex.findall(r"[\p{L}\d%€]+", text))


def text_similarity(a: str, b: str, numbers: bool = False) -> float:
    """0–1: how much the words of ``a`` and ``b`` agree (word order and repeats aside)."""
    return fuzz.token_set_ratio(_words(a, numbers), _words(b, numbers)) / 100


def pair_score(old: Afspraak, new: Afspraak, rules: Rules) -> float:
    """How likely ``new`` continues ``old``: text similarity without numbers, plus bonuses."""
    match = rules.timeline.match
    score = text_similarity(old.text, new.text)
    if old.theme and old.theme == new.theme:
        score += match.bonus_theme
    if old.responsible or new.responsible:
        shared, either = set(old.responsible) & set(new.responsible), set(old.responsible) | set(new.responsible)
        score += match.bonus_parties * len(shared) / len(either)
    if set(afspraak_topics(old, rules.topics)) & set(afspraak_topics(new, rules.topics)):
        score += match.bonus_topic
    return score


def _facts(afspraak: Afspraak, rules: Rules) -> dict[ChangedField, list[str]]:
    from ..render.compare import format_target  # the render package imports this module

    return {
        "targets": [format_target(t, rules.quantities) for t in afspraak.targets],
        "deadlines": [" ".join(d.text.split()) for d in afspraak.deadlines],
        "responsible": sorted(afspraak.responsible),
        "commitment": [afspraak.commitment] if afspraak.commitment else [],
    }


def changes(old: Afspraak, new: Afspraak, rules: Rules) -> list[Change]:
    """What differs: targets, deadlines, responsible parties, commitment; "text" when only the
    words differ beyond rewording."""
    before, after = _facts(old, rules), _facts(new, rules)
    found = [Change(field=field, old=before[field], new=after[field]) for field in before if before[field] != after[field]]
    if not found and text_similarity(old.text, new.text, numbers=True) < rules.timeline.match.unchanged_text:
        found.append(Change(field="text", old=[old.text], new=[new.text]))
    return found


def matched_pairs(old: list[Afspraak], new: list[Afspraak], rules: Rules) -> list[tuple[int, int, float]]:
    """(old index, new index, score), best first, each afspraak in one pair at most."""
    scored = sorted(
        ((pair_score(a, b, rules), i, j) for i, a in enumerate(old) for j, b in enumerate(new)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score < rules.timeline.match.min_score:
            break
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j, score))
    return pairs


def link_afspraken(old: list[Afspraak], new: list[Afspraak], rules: Rules) -> list[AfspraakLink]:
    """Every afspraak of two agreements of successive years, linked: pairs first (in the new
    agreement's order), then the dropped ones, then the new ones."""
    pairs = sorted(matched_pairs(old, new, rules), key=lambda p: p[1])
    links = []
    for i, j, score in pairs:
        found = changes(old[i], new[j], rules)
        links.append(AfspraakLink(source=old[i].id, target=new[j].id, kind="changed" if found else "unchanged",
                                  similarity=round(min(score, 1.0), 3), changes=found))
    linked_old, linked_new = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    links += [AfspraakLink(source=a.id, target=None, kind="dropped") for i, a in enumerate(old) if i not in linked_old]
    links += [AfspraakLink(source=None, target=b.id, kind="new") for j, b in enumerate(new) if j not in linked_new]
    return links


def report_links(agreement: list[Afspraak], update: list[Afspraak], rules: Rules) -> list[AfspraakLink]:
    """A yearly update's afspraken linked to the afspraken of the agreement they report on."""
    return [
        AfspraakLink(source=update[j].id, target=agreement[i].id, kind="reports_on", similarity=round(min(score, 1.0), 3))
        for i, j, score in sorted(matched_pairs(agreement, update, rules), key=lambda p: p[1])
    ]
