"""Commitment: resultaat / inspanning / onderzoek / afstemming from the main committing phrase."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from ..model.rules import CommitmentRules, compiled
from .nlp import lemmas

if TYPE_CHECKING:  # spaCy is loaded with the pipeline (tag.nlp.load_nlp)
    from spacy.tokens import Span


def _phrase(phrase: str) -> str:
    """A phrase as a pattern: up to three words may stand between its words, up to eight at "…"."""
    parts = [regex.escape(part.strip()).replace(r"\ ", r"\s+(?:\S+\s+){0,3}?") for part in phrase.split("…")]
    return r"\s+(?:\S+\s+){0,8}?".join(parts)


def _patterns(rules: CommitmentRules) -> list[tuple[str, regex.Pattern[str]]]:
    def build() -> list[tuple[str, regex.Pattern[str]]]:
        return [
            (
                name,
                regex.compile(
                    r"(?<!\p{L})(?:" + "|".join(_phrase(p) for p in phrases) + r")(?!\p{L})",
                    regex.IGNORECASE,
                ),
            )
            for name, phrases in rules.classes.items()
        ]

    return compiled(rules, "commitment", build)


def classify_commitment(sentence: Span, rules: CommitmentRules) -> str:
    """The first class (in rule order) with a phrase in the sentence's words or lemmas.

    A phrase's words may have up to three words between them (eight at "…"), so "zet zich
    in" also matches "zet zich actief in".
    """
    words = sentence.text
    lemma_text = " ".join(lemmas(sentence))
    for name, pattern in _patterns(rules):
        if pattern.search(words) or pattern.search(lemma_text):
            return name
    return rules.default
