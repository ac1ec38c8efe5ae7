"""Commitment: resultaat / inspanning / onderzoek / afstemming from the main committing phrase."""

from __future__ import annotations

import regex
from spacy.tokens import Span

from .rules import CommitmentRules, compiled


def _patterns(rules: CommitmentRules) -> list[tuple[str, regex.Pattern[str]]]:
    def build() -> list[tuple[str, regex.Pattern[str]]]:
        return [
            (
                name,
                regex.compile(
                    r"(?<!\p{L})(?:" + "|".join(regex.escape(p).replace(r"\ ", r"\s+(?:\S+\s+){0,3}?") for p in phrases) + r")(?!\p{L})",
                    regex.IGNORECASE,
                ),
            )
            for name, phrases in rules.classes.items()
        ]

    return compiled(rules, "commitment", build)


def classify_commitment(sentence: Span, rules: CommitmentRules) -> str:
    """The first class (in rule order) with a phrase in the sentence's words or lemmas.

    A phrase's words may have up to three words between them, so "zet zich in" also matches
    "zet zich actief in" and "gaan … in overleg" is found through "overleg".
    """
    words = sentence.text
    lemmas = " ".join(token.lemma_ or token.text for token in sentence)
    for name, pattern in _patterns(rules):
        if pattern.search(words) or pattern.search(lemmas):
            return name
    return rules.default
