"""The Dutch words the taggers match come from the rule files: editing a list in a copy of
``rules/`` changes what is tagged, and a malformed list is rejected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.model import Party
from pipeline.model.rules import DEFAULT_RULES_DIR, RuleError, Rules, load_rules
from pipeline.tag.actors import party_lexicon, sentence_actors
from pipeline.tag.deadlines import find_deadlines
from pipeline.tag.targets import find_targets, parse_number

PARTIES = [
    Party(name="Gemeente Midden-Drenthe", kind="gemeente", aliases=["de gemeente"]),
    Party(name="Woningstichting Woonservice", kind="corporatie"),
    Party(name="Actium", kind="corporatie"),
]


def edited(tmp_path: Path, file: str, line: str, replacement: str) -> Rules:
    """The shipped rules with one line of ``file`` replaced (the line must be there)."""
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    path = target / f"{file}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(line) == 1, f"{line!r} not once in {file}.yaml"
    path.write_text(text.replace(line, replacement), encoding="utf-8")
    return load_rules(target)


def actors(text: str, rules: Rules) -> list[str]:
    return sentence_actors(text, party_lexicon(PARTIES, rules.parties), rules.parties)


# --- parties.yaml: who acts -------------------------------------------------------------


def test_passive_auxiliaries(rules, tmp_path):
    text = "Er wordt door de gemeente gekeken naar de wachttijden."
    assert actors(text, rules) == ["Gemeente Midden-Drenthe"]  # the agent of a passive acts
    other = edited(tmp_path, "parties", "passive_auxiliaries: [wordt, worden, zijn, is]", "passive_auxiliaries: [worden]")
    assert actors(text, other) == []  # no passive: "door de gemeente" is no actor


def test_purpose_words(rules, tmp_path):
    text = "De woningen worden door de gemeente om de wijk te versterken gebouwd."
    assert actors(text, rules) == ["Gemeente Midden-Drenthe"]  # "te versterken" lies beyond "om"
    other = edited(tmp_path, "parties", "purpose_words: [om]", "purpose_words: [omdat]")
    assert actors(text, other) == []  # now an infinitive follows the agent: a means, no actor


def test_infinitive_markers_and_agent_words(rules, tmp_path):
    text = "Dit wordt bereikt door de gemeente en Actium bij elkaar te brengen."
    assert actors(text, rules) == []
    assert actors(text, edited(tmp_path, "parties", "infinitive_markers: [te]", "infinitive_markers: [teneinde]")) == [
        "Gemeente Midden-Drenthe", "Actium"]
    assert actors("Er wordt door de gemeente gebouwd.", edited(tmp_path / "2", "parties", "agent_words: [door]", "agent_words: []")) == []


def test_joiners_correlatives_and_determiners(rules, tmp_path):
    assert actors("De gemeente en Actium bouwen samen.", rules) == ["Gemeente Midden-Drenthe", "Actium"]
    assert actors("De gemeente en Actium bouwen samen.",
                  edited(tmp_path, "parties", "joiners: [en, als, of, '&', en/of]", "joiners: [als, of]")) == ["Gemeente Midden-Drenthe"]
    text = "Zowel de gemeente als alle Actium bouwen."
    assert actors(text, rules) == ["Gemeente Midden-Drenthe", "Actium"]
    other = edited(tmp_path / "2", "parties", "joiner_determiners: [de, het, beide, alle, haar, hun]", "joiner_determiners: [de]")
    assert actors(text, other) == ["Gemeente Midden-Drenthe"]


def test_conjunctions(rules, tmp_path):
    text = "Afstemming tussen zorgorganisaties en Actium vindt plaats."
    assert actors(text, rules) == []  # governed by "tussen"
    other = edited(tmp_path, "parties", "conjunctions: [en, of, als]", "conjunctions: [of]")
    assert actors(text, other) == ["Actium"]  # governed by "en", which governs nothing


def test_legal_forms_and_mention_articles(rules, tmp_path):
    lexicon = party_lexicon(PARTIES, rules.parties)
    assert lexicon["woonservice"] == lexicon["de woonservice"] == ("Woningstichting Woonservice",)
    other = edited(tmp_path, "parties", "legal_forms: [stichting, woningstichting,", "legal_forms: [stichting,")
    assert "woonservice" not in party_lexicon(PARTIES, other.parties)
    other = edited(tmp_path / "2", "parties", "mention_articles: [de]", "mention_articles: [het]")
    lexicon = party_lexicon(PARTIES, other.parties)
    assert "de woonservice" not in lexicon and "het woonservice" in lexicon


# --- targets.yaml -------------------------------------------------------------------------


def targets(text: str, rules: Rules) -> list[tuple[str, str, float | None, float | None, str, str | None]]:
    return [(t.target.text, t.target.comparator, t.target.value, t.target.value_max, t.target.unit, t.target.per)
            for t in find_targets(text, rules)]


@pytest.mark.parametrize(
    ("text", "line", "replacement", "before", "after"),
    [
        ("Woonborg bouwt ca. 65 woningen.", "abbreviations: [ca, o.a,", "abbreviations: [o.a,",
         [("ca. 65 woningen", "~", 65, None, "woning", None)], [("65 woningen", "=", 65, None, "woning", None)]),
        ("Woonborg bezit circa 4.000 woningen.", "stock_verbs: [heeft, hebben, bezit,", "stock_verbs: [heeft, hebben,",
         [], [("circa 4.000 woningen", "~", 4000, None, "woning", None)]),
        ("Woonborg heeft ca 4.000 woningen.", "stock_approximations: [ca, circa, ongeveer]", "stock_approximations: [circa, ongeveer]",
         [], [("ca 4.000 woningen", "~", 4000, None, "woning", None)]),
        ("Woonborg verkoopt 2 à 3 woningen.", "  count: [tot, à, á, a]", "  count: [tot]",
         [("2 à 3 woningen", "range", 2, 3, "woning", None)], [("3 woningen", "=", 3, None, "woning", None)]),
        ("De bijdrage is 2 tot 3 procent.", "  percent: [tot, à, á]", "  percent: [à, á]",
         [("2 tot 3 procent", "range", 2, 3, "%", None)], [("tot 3 procent", "<=", 3, None, "%", None)]),
        ("De bijdrage is euro 500 tot 600.", "  money: [tot]", "  money: [à]",
         [("euro 500 tot 600", "range", 500, 600, "EUR", None)], [("euro 500", "=", 500, None, "EUR", None)]),
        ("De bijdrage is euro 500.", "currency_words: [EUR, euro]", "currency_words: [EUR]", [("euro 500", "=", 500, None, "EUR", None)], []),
        ("De huur daalt 5 procent.", "percent_words: [procent]", "percent_words: [pct]", [("5 procent", "=", 5, None, "%", None)], []),
        ("Zij bouwen een 6-tal woningen.", "approximate_articles: [een]", "approximate_articles: []",
         [("een 6-tal woningen", "~", 6, None, "woning", None)], [("6-tal woningen", "~", 6, None, "woning", None)]),
        ("Zij verkopen jaarlijks 20 woningen.", "per_year_before: [jaarlijks]", "per_year_before: []",
         [("20 woningen", "=", 20, None, "woning", "jaar")], [("20 woningen", "=", 20, None, "woning", None)]),
        ("Alle woningen krijgen minimaal energielabel B.", "label_prefixes: [energie]", "label_prefixes: []",
         [("minimaal energielabel B", ">=", None, None, "label", None)], []),
        ("Alle woningen krijgen minimaal energielabel B.", "label_words: [label]", "label_words: [etiket]", [("minimaal energielabel B", ">=", None, None, "label", None)], []),
    ],
)
def test_target_words(rules, tmp_path, text, line, replacement, before, after):
    assert targets(text, rules) == before
    assert targets(text, edited(tmp_path, "targets", line, replacement)) == after


def test_parse_number_strips_the_rules_suffixes(rules):
    assert parse_number("6-tal", rules.targets.number_words, rules.targets.approximate_suffixes) == 6
    assert parse_number("tiental", rules.targets.number_words, rules.targets.approximate_suffixes) == 10
    assert parse_number("6-tal") is None  # no suffixes given, no approximate count


# --- temporal.yaml ------------------------------------------------------------------------


def deadlines(text: str, rules: Rules) -> list[tuple[str, str | None]]:
    return [(d.deadline.text, d.deadline.date) for d in find_deadlines(text, 2023, None, rules)]


@pytest.mark.parametrize(
    ("text", "line", "replacement", "before", "after"),
    [
        ("Gereed in het eerste kwartaal van 2024.", "in_words: [in]", "in_words: [binnen]",
         [("in het eerste kwartaal van 2024", "2024-03-31")], [("het eerste kwartaal van 2024", "2024-03-31")]),
        ("Gereed uiterlijk in Q2 2024.", "period_leads: [uiterlijk]", "period_leads: []",
         [("uiterlijk in Q2 2024", "2024-06-30")], [("in Q2 2024", "2024-06-30")]),
        ("Gereed in het najaar van 2024.", "determiners: [het]", "determiners: [de]",
         [("in het najaar van 2024", "2024-12-31")], [("najaar van 2024", "2024-12-31")]),
        ("Gereed eind van 2024.", "of_words: [van]", "of_words: []", [("eind van 2024", "2024-12-31")], []),
        ("Gereed in het derde kwartaal.", "quarter_words: [kwartaal]", "quarter_words: [trimester]",
         [("in het derde kwartaal", "2023-09-30")], []),
        ("Gereed in K3 2024.", "quarter_letters: [Q]", "quarter_letters: [Q, K]", [], [("in K3 2024", "2024-09-30")]),
        ("Gereed medio maart 2024.", "month_leads: [begin, eind]", "month_leads: [begin, eind, medio]",
         [("maart 2024", "2024-03-31")], [("medio maart 2024", "2024-03-31")]),
        ("Voor 2024 geldt een huurstop.", "scope_followers: [geldt]", "scope_followers: []", [], [("Voor 2024", "2024-01-01")]),
        ("De afspraken voor 2024 staan vast.", "scope_leads: [voor]", "scope_leads: []", [], [("voor 2024", "2024-01-01")]),
    ],
)
def test_temporal_words(rules, tmp_path, text, line, replacement, before, after):
    assert deadlines(text, rules) == before
    assert deadlines(text, edited(tmp_path, "temporal", line, replacement)) == after


# --- validation ---------------------------------------------------------------------------


def test_a_blank_word_is_rejected(tmp_path):
    with pytest.raises(RuleError, match=r"parties\.yaml:\d+: passive_auxiliaries: .*must not be empty"):
        edited(tmp_path, "parties", "passive_auxiliaries: [wordt, worden, zijn, is]", "passive_auxiliaries: [wordt, '']")


def test_every_range_kind_is_required(tmp_path):
    with pytest.raises(RuleError, match=r"targets\.yaml:\d+: range_words: .*money"):
        edited(tmp_path, "targets", "  money: [tot]\n", "")


def test_passive_auxiliaries_may_not_be_empty(tmp_path):
    with pytest.raises(RuleError, match=r"parties\.yaml:\d+: passive_auxiliaries"):
        edited(tmp_path, "parties", "passive_auxiliaries: [wordt, worden, zijn, is]", "passive_auxiliaries: []")
