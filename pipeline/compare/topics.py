"""Which afspraken are on which topic (``rules/topics.yaml``)."""

from __future__ import annotations

import regex

from ..model import Afspraak
from ..model.rules import TopicRules, compiled


# Texts whose topics are kept at once: more than one document's afspraken.
_KNOWN_TEXTS = 2048


def _topic_pattern(rules: TopicRules, key: str) -> regex.Pattern[str]:
    words = rules.topics[key].words
    return compiled(rules, key, lambda: regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in words) + ")", regex.IGNORECASE))


def afspraak_topics(afspraak: Afspraak, rules: TopicRules) -> list[str]:
    """The topics whose words the afspraak's text holds (at a word start), in the file's order.

    Kept per text for the rules' lifetime: the site, the comparison, the national goals and the
    timelines all ask for the same afspraken (a bounded memo: memory stays flat in the corpus)."""
    known: dict[str, list[str]] = compiled(rules, "topics-of-text", dict)
    if afspraak.text not in known:
        if len(known) >= _KNOWN_TEXTS:
            known.clear()
        known[afspraak.text] = [key for key in rules.topics if _topic_pattern(rules, key).search(afspraak.text)]
    return list(known[afspraak.text])
