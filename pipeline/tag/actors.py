"""Responsible parties: which signing parties an afspraak gives an action.

Mentions are found by the document's own party names and aliases, short forms
("De Volmacht", "gemeente") and collective words from ``rules/parties.yaml``
("de corporaties", "partijen", "we"). In each sentence the first group of coordinated
mentions ("Gemeente, SEW en Woonborg") that is not governed by a preposition ("met de
gemeente") nor followed by a passive of involvement ("worden betrokken") is its acting
subject; this covers inversion ("In 2023 voeren de Drentse corporaties … uit"). With a
trained spaCy parser the subject relation decides instead. Where no sentence names an
actor, a heading that does decides ("Prestaties gemeente 2023", "Gezamenlijke prestaties").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from ..model import Party
from ..model.rules import PartyRules, alternation, compiled

if TYPE_CHECKING:  # spaCy is loaded with the pipeline (tag.nlp.load_nlp)
    from spacy.tokens import Span


def _patterns(rules: PartyRules) -> dict[str, regex.Pattern[str]]:
    """The rule words of ``parties.yaml`` this module matches, compiled once per rules."""

    def build() -> dict[str, regex.Pattern[str]]:
        joiners, correlatives = alternation(rules.joiners), alternation(rules.correlatives)
        determiners = alternation(rules.joiner_determiners)
        auxiliaries = alternation([w.lower() for w in rules.passive_auxiliaries])
        return {
            "legal_form": regex.compile(rf"^(?:{alternation(rules.legal_forms)})\s+", regex.IGNORECASE),
            "joiner": regex.compile(
                rf"^(?:\s*,\s*|\s+(?:{joiners})\s+|\s*,?\s+(?:{correlatives})\s+)(?:(?:{determiners})\s+)*$", regex.IGNORECASE
            ),
            # on lower-case text
            "passive": regex.compile(rf"\b(?:{auxiliaries})\b"),
            "purpose": regex.compile(rf"\b(?:{alternation([w.lower() for w in rules.purpose_words])})\b|[;:]"),
            "infinitive": regex.compile(rf"\b(?:{alternation([w.lower() for w in rules.infinitive_markers])})\s+\p{{L}}+"),
            "involved": regex.compile(rf"(?:\s+\S+){{0,5}}?\s+(?:{'|'.join(map(regex.escape, rules.non_actor_participles)) or '(?!)'})\b"),
            "receiving": regex.compile(rf"\s*(?:{'|'.join(map(regex.escape, rules.non_actor_after)) or '(?!)'})\b"),
            "joint": regex.compile(rf"(?<!\p{{L}})(?:{'|'.join(map(regex.escape, rules.joint_headings)) or '(?!)'})(?!\p{{L}})"),
        }

    return compiled(rules, "actors", build)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    parties: tuple[str, ...]  # party names the words stand for


def party_lexicon(parties: list[Party], rules: PartyRules) -> dict[str, tuple[str, ...]]:
    """Lower-case surface form → the party names it stands for."""
    lexicon: dict[str, tuple[str, ...]] = {}
    by_kind: dict[str, list[str]] = {}
    for party in parties:
        by_kind.setdefault(party.kind, []).append(party.name)
    everyone = tuple(p.name for p in parties)
    for kind, words in rules.collectives.items():
        names = everyone if kind == "all" else tuple(by_kind.get(kind, []))
        for word in words:
            if names:
                lexicon[word.lower()] = names
    legal_form = _patterns(rules)["legal_form"]
    # A name without its legal form ("Woonstichting Akkerwoude" → "Akkerwoude") stands for the
    # party only when no other party's name or alias reads the same ("Huurdersvereniging
    # Akkerwoude" → "Akkerwoude" too): names and explicit aliases win, clashes are dropped.
    derived: dict[str, list[str]] = {}
    for party in parties:
        if party.kind != "gemeente":  # "Tynaarlo" alone is the place, not the municipality
            derived.setdefault(legal_form.sub("", party.name).lower(), []).append(party.name)
    explicit = {form.lower() for party in parties for form in (party.name, *party.aliases)}
    forms_of = {
        party.name: {party.name.lower(), *(a.lower() for a in party.aliases),
                     *(form for form, names in derived.items() if names == [party.name] and form not in explicit)}
        for party in parties
    }
    for party in parties:
        for form in forms_of[party.name]:
            if len(form) >= 2:
                lexicon[form] = (party.name,)
                for article in rules.mention_articles:
                    lexicon[f"{article} " + form.removeprefix(f"{article} ")] = (party.name,)
    return lexicon


_WHITESPACE = regex.compile(r"\s+")


@lru_cache(maxsize=64)
def _mention_pattern(forms: tuple[str, ...]) -> regex.Pattern:
    """Any of ``forms`` (longest first) as a whole word; compiled once per document's lexicon
    (keyed on the forms in the lexicon's order, which the sort keeps among forms of one length)."""
    return regex.compile(
        r"(?<![\p{L}\d])(?:" + "|".join(regex.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True)) + r")(?![\p{L}\d])",
        regex.IGNORECASE,
    )


def find_mentions(text: str, lexicon: dict[str, tuple[str, ...]]) -> list[Mention]:
    """Non-overlapping party mentions, longest form first."""
    if not lexicon:
        return []
    mentions = []
    for match in _mention_pattern(tuple(lexicon)).finditer(text):
        key = _WHITESPACE.sub(" ", match.group(0).lower())
        mentions.append(Mention(match.start(), match.end(), lexicon[key]))
    return mentions


def _groups(sentence: str, mentions: list[Mention], rules: PartyRules) -> list[list[Mention]]:
    """Mentions joined by commas, "en", "als", "zowel … als" (``joiners``) form one group."""
    joiner = _patterns(rules)["joiner"]
    groups: list[list[Mention]] = []
    for mention in mentions:
        if groups and joiner.match(sentence[groups[-1][-1].end : mention.start]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


def _governor(before: list[str], rules: PartyRules) -> str:
    """The word governing a mention: determiners skipped, and past a non-party conjunct
    ("tussen zorgorganisaties en woningcorporaties" is governed by "tussen")."""
    words = list(before)
    while words and words[-1] in rules.determiners:
        words.pop()
    if len(words) >= 3 and words[-1] in rules.conjunctions:
        words = words[:-2]
        while words and words[-1] in rules.determiners:
            words.pop()
    if words and words[-1] in rules.correlatives:
        words.pop()
    return words[-1] if words else ""


def _is_actor_group(sentence: str, group: list[Mention], rules: PartyRules) -> bool:
    governor = _governor(sentence[: group[0].start].lower().split(), rules)
    after = sentence[group[-1].end :].lower()
    patterns = _patterns(rules)
    passive = bool(patterns["passive"].search(sentence.lower()))
    if governor in rules.agent_words:
        # the agent of a passive ("wordt door de gemeente gekeken"), not "door partijen … te brengen"
        clause = " ".join(patterns["purpose"].split(after, maxsplit=1)[0].split()[:12])
        return passive and not patterns["infinitive"].search(clause)
    if governor in rules.non_actor_before:
        return False
    if passive and patterns["involved"].match(after):
        return False
    return not patterns["receiving"].match(after)


def owner_actors(text: str, lexicon: dict[str, tuple[str, ...]], rules: PartyRules) -> list[str]:
    """Parties named as owner ("nieuwbouwwoningen van Woonborg", "voor Woonborg")."""
    names: list[str] = []
    for group in _groups(text, find_mentions(text, lexicon), rules):
        if _governor(text[: group[0].start].lower().split(), rules) in rules.owner_words:
            names.extend(name for mention in group for name in mention.parties)
    return list(dict.fromkeys(names))


def fallback_actors(
    text: str, section_path: list[str], lexicon: dict[str, tuple[str, ...]], everyone: list[str], rules: PartyRules
) -> list[str]:
    """Responsible parties of an afspraak whose sentences name no actor.

    A heading that names parties decides; an owner named in the text narrows it to those
    of its parties ("Prestaties SEW en Woonborg" + "nieuwbouwwoningen van Woonborg"). A joint
    heading means every party; without a heading the owners decide.
    """
    heading = heading_actors(section_path, lexicon, everyone, rules)
    owners = owner_actors(text, lexicon, rules)
    if heading and set(heading) != set(everyone):
        narrowed = [name for name in heading if name in owners]
        return narrowed or heading
    return heading or owners


def _subject_by_parse(span: Span, groups: list[list[Mention]]) -> list[Mention] | None:
    """With a dependency parse: the group holding the main clause's nominal subject
    (subjects of subordinate clauses only when the main clause has none)."""
    subjects = sorted((t for t in span if t.dep_ == "nsubj"), key=lambda t: t.head.dep_ != "ROOT")
    for token in subjects:
        offset = token.idx - span.start_char
        for group in groups:
            if any(m.start <= offset < m.end for m in group):
                return group
    return None


def sentence_actors(sentence: str, lexicon: dict[str, tuple[str, ...]], rules: PartyRules, span: Span | None = None) -> list[str]:
    """Party names acting in one sentence (its subject group), in order of mention."""
    groups = _groups(sentence, find_mentions(sentence, lexicon), rules)
    if span is not None and span.doc.has_annotation("DEP"):
        subject = _subject_by_parse(span, groups)
    else:
        subject = next((g for g in groups if _is_actor_group(sentence, g, rules)), None)
    if subject is None:
        return []
    return list(dict.fromkeys(name for mention in subject for name in mention.parties))


def heading_actors(section_path: list[str], lexicon: dict[str, tuple[str, ...]], everyone: list[str], rules: PartyRules) -> list[str]:
    """Parties named by the innermost heading that names any ("Prestaties Woonborg en SEW 2023")."""
    for heading in reversed(section_path):
        names = [name for m in find_mentions(heading, lexicon) for name in m.parties]
        if names:
            return list(dict.fromkeys(names))
        low = heading.lower()
        if _patterns(rules)["joint"].search(low):
            return list(everyone)
    return []
