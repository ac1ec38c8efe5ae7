"""The comparison across municipalities, computed from the register (no rendering here).

Concreteness follows the three steps of the national monitor of prestatieafspraken:
1 no concrete agreement, 2 concrete but not measurable, 3 measurable (a target or a
deadline, with a named responsible party).
"""

from __future__ import annotations

from collections import Counter

import regex
from pydantic import BaseModel

from ..model import THEMES, Afspraak, Document, Target
from ..model.contract import COMPARATOR_SIGNS
from ..model.rules import TopicRules, compiled

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


def format_target(target: Target) -> str:
    """A target as a reader writes it: "≥ 80%", "4–6 woning", "label A", "€ 6.533 per jaar"."""
    if target.unit == "label":
        text = f"{COMPARATOR_SIGNS[target.comparator]} label {target.label}".strip()
    else:
        number = _number(target.value)
        if target.value_max is not None:
            number = f"{number}–{_number(target.value_max)}"
        sign = COMPARATOR_SIGNS[target.comparator]
        if target.unit == "EUR":
            text = f"{sign} € {number}".strip()
        elif target.unit == "%":
            text = f"{sign} {number}%".strip()
        else:
            text = f"{sign} {number} {target.unit}".strip()
    return f"{text} per {target.per}" if target.per else text


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


class TopicValue(BaseModel):
    afspraak_id: str
    number: str | None
    values: list[str]  # formatted targets; empty: an afspraak without a measurable target


def _topic_pattern(rules: TopicRules, key: str) -> regex.Pattern[str]:
    words = rules.topics[key].words
    return compiled(rules, key, lambda: regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in words) + ")", regex.IGNORECASE))


def document_topics(document: Document, rules: TopicRules) -> dict[str, list[TopicValue]]:
    """Per topic, the document's afspraken about it and their targets in the topic's units."""
    cells = {}
    for key, topic in rules.topics.items():
        pattern = _topic_pattern(rules, key)
        cells[key] = [
            TopicValue(
                afspraak_id=afspraak.id,
                number=afspraak.number,
                values=[format_target(t) for t in afspraak.targets if not topic.units or t.unit in topic.units],
            )
            for afspraak in document.afspraken
            if pattern.search(afspraak.text)
        ]
    return cells
