"""Stage 5 — tag afspraken: theme, responsible parties, deadlines, targets, commitment.

Runs the Dutch spaCy pipeline once per afspraak (sentences, lemmas) and the rule-based
taggers of :mod:`actors`, :mod:`commitment`, :mod:`deadlines` and :mod:`targets` on it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import regex

from .actors import fallback_actors, party_lexicon, sentence_actors
from .commitment import classify_commitment
from .deadlines import find_deadlines
from .models import Afspraak, Party, Signing, Validity
from .nlp import load_nlp
from .rules import Rules, ThemeRules
from .targets import find_targets

_YEAR = regex.compile(r"\b((?:19|20)\d{2})\b")


@lru_cache(maxsize=None)
def _word_pattern(word: str) -> regex.Pattern:
    """A word at the start of a word (compiled once: it is asked for every afspraak)."""
    return regex.compile(rf"(?<!\p{{L}}){regex.escape(word.lower())}")


def theme_from_headings(section_path: list[str], rules: ThemeRules) -> str | None:
    """The theme named by the innermost heading that names one, else ``None``."""
    for heading in reversed(section_path):
        low = heading.lower()
        for theme, rule in rules.themes.items():
            if any(_word_pattern(word).search(low) for word in rule.headings):
                return theme
    return None


def theme_from_content(text: str, rules: ThemeRules) -> str:
    """The theme whose content words occur most often; ties go to the theme listed first."""
    low = text.lower()
    scores = {theme: sum(len(_word_pattern(w).findall(low)) for w in rule.content) for theme, rule in rules.themes.items()}
    best = max(scores, key=lambda theme: scores[theme])
    return best if scores[best] else "samenwerking"


def _reference_year(section_path: list[str], validity: Validity) -> int | None:
    """The year a date without one belongs to: a year in the headings, else the start of validity."""
    for heading in reversed(section_path):
        if match := _YEAR.search(heading):
            return int(match.group(1))
    return int(validity.start[:4]) if validity.start else None


def _not_before(validity: Validity, signing: Signing) -> dt.date | None:
    """Dates before this are history: the start of validity, else the signing date."""
    start = validity.start or signing.date
    return dt.date.fromisoformat(start) if start else None


def tag_afspraken(afspraken: list[Afspraak], parties: list[Party], validity: Validity, signing: Signing, rules: Rules) -> list[Afspraak]:
    """Every tagging field of every afspraak."""
    nlp = load_nlp()
    lexicon = party_lexicon(parties, rules.parties)
    order = {p.name: i for i, p in enumerate(parties)}
    everyone = [p.name for p in parties]
    not_before = _not_before(validity, signing)
    tagged = []
    for afspraak in afspraken:
        doc = nlp(afspraak.text)
        responsible: list[str] = []
        acting = []  # sentences in which a party acts; the first carries the commitment
        for sentence in doc.sents:
            actors = sentence_actors(sentence.text, lexicon, rules.parties, sentence)
            if actors:
                acting.append(sentence)
            responsible.extend(actors)
        if not responsible:
            responsible = fallback_actors(afspraak.text, afspraak.section_path, lexicon, everyone, rules.parties)
        deadlines = find_deadlines(afspraak.text, _reference_year(afspraak.section_path, validity), not_before, rules)
        targets = find_targets(afspraak.text, rules, masked=[(d.start, d.end) for d in deadlines])
        theme = theme_from_headings(afspraak.section_path, rules.themes) or theme_from_content(afspraak.text, rules.themes)
        tagged.append(
            afspraak.model_copy(
                update={
                    "theme": theme,
                    "responsible": sorted(set(responsible), key=order.__getitem__),
                    "deadlines": [d.deadline for d in deadlines],
                    "targets": [t.target for t in targets],
                    "commitment": classify_commitment(acting[0] if acting else doc[:], rules.commitment),
                }
            )
        )
    return tagged
