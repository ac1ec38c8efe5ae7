"""Which afspraken are on which topic (``rules/topics.yaml``)."""

from __future__ import annotations

import regex

from ..model import Afspraak
from ..model.rules import TopicRules, compiled


def _topic_pattern(rules: TopicRules, key: str) -> regex.Pattern[str]:
    words = rules.topics[key].words
    return compiled(rules, key, lambda: regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in words) + ")", regex.IGNORECASE))


def afspraak_topics(afspraak: Afspraak, rules: TopicRules) -> list[str]:
    """The topics whose words the afspraak's text holds (at a word start), in the file's order."""
    return [key for key in rules.topics if _topic_pattern(rules, key).search(afspraak.text)]
