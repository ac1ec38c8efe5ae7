"""The comparison across municipalities, computed from the register (no rendering here).

Concreteness follows the three steps of the national monitor of prestatieafspraken:
1 no concrete agreement, 2 concrete but not measurable, 3 measurable (a target or a
deadline, with a named responsible party).
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from ..compare.quantities import afspraak_quantities
from ..compare.topics import afspraak_topics
from ..compare.units import amount_text, unit_counted, unit_label
from ..model import THEMES, Afspraak, Document, Target
from ..model.rules import QuantityRules, Rules, TopicRules

LEVEL_LABELS = {1: "geen concrete afspraak", 2: "concreet, niet meetbaar", 3: "meetbaar"}


def concreteness(afspraak: Afspraak) -> int:
    """1, 2 or 3 on the monitor's scale."""
    measurable = bool(afspraak.targets or afspraak.deadlines)
    if measurable and afspraak.responsible:
        return 3
    if measurable or afspraak.responsible:
        return 2
    return 1


class ThemeStats(BaseModel):
    theme: str
    afspraken: int = 0
    with_target: int = 0
    with_deadline: int = 0
    commitments: dict[str, int] = {}
    levels: dict[int, int] = {}

    @property
    def level(self) -> int | None:
        """The step most afspraken of this theme reach (the higher step on a tie)."""
        if not self.afspraken:
            return None
        return max(self.levels, key=lambda level: (self.levels[level], level))


def theme_stats(document: Document) -> list[ThemeStats]:
    stats = []
    for theme in THEMES:
        items = [a for a in document.afspraken if a.theme == theme]
        stats.append(
            ThemeStats(
                theme=theme,
                afspraken=len(items),
                with_target=sum(bool(a.targets) for a in items),
                with_deadline=sum(bool(a.deadlines) for a in items),
                commitments=dict(Counter(a.commitment for a in items if a.commitment)),
                levels=dict(Counter(concreteness(a) for a in items)),
            )
        )
    return stats


def format_target(target: Target, units: QuantityRules) -> str:
    """A target as a reader writes it: "≥ 80%", "4–6 woningen", "label A", "€ 6.533 per jaar"."""
    printed = unit_label(target.unit, target.value, target.value_max, units)
    text = amount_text(target.comparator, target.value, target.value_max, target.unit, target.label, printed)
    return f"{text} per {target.per}" if target.per else text


class TopicValue(BaseModel):
    afspraak_id: str
    number: str | None
    page: int | None
    values: list[str]  # its numbers on the topic, as a reader compares them; empty: none


def document_topics(document: Document, rules: Rules) -> dict[str, list[TopicValue]]:
    """Per topic, the document's afspraken about it and their numbers in the topic's units."""
    cells: dict[str, list[TopicValue]] = {key: [] for key in rules.topics.topics}
    for afspraak in document.afspraken:
        topics = afspraak_topics(afspraak, rules.topics)
        quantities = afspraak_quantities(afspraak, document, rules) if topics else []
        for key in topics:
            units = rules.topics.topics[key].units
            values = [q.describe() for q in quantities if not units or unit_counted(q.unit, units)]
            cells[key].append(TopicValue(afspraak_id=afspraak.id, number=afspraak.number, page=afspraak.page, values=values))
    return cells
