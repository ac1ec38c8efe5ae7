"""Targets: what a party commits to reach or keep, as numbers with a unit.

Dutch notation ("9.170", "€ 633,23", "1/3", "6-tal", number words), ranges ("10-15",
"4 tot 6"), comparators (minimaal, maximaal, circa), percentages, money, counted nouns
(lemma of the noun: "woningen" → "woning") and energy labels. Years, dates, agreement
and chapter numbers, needs, forecasts and stock counts are no targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ..model import Target
from ..model.contract import Comparator
from ..model.rules import Rules, TargetRules, alternation, compiled
from .nlp import lemma

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?(?:/\d+)?"
_YEAR = regex.compile(r"(?:19|20)\d{2}")
_THOUSANDS = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # "9.170", "1.200,50"
_LOWER_WORD = regex.compile(r"[\p{Ll}-]+")


@dataclass(frozen=True)
class Found:
    """A target with its span in the afspraak text."""

    start: int
    end: int
    target: Target


def parse_number(text: str, number_words: dict[str, int] | None = None, suffixes: Sequence[str] = ()) -> float | None:
    """Dutch notation → number: "9.170" → 9170, "633,25" → 633.25, "1/3" → 0.3333, and with
    the approximate ``suffixes`` of the rules "6-tal" → 6."""
    text = text.strip().lower()
    for suffix in suffixes:
        text = text.removesuffix(f"-{suffix}").removesuffix(suffix)
    if number_words and text in number_words:
        return float(number_words[text])
    if "/" in text:
        top, _, bottom = text.partition("/")
        if top.isdigit() and bottom.isdigit() and int(bottom):
            return round(int(top) / int(bottom), 4)
        return None
    if _THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _build(rules: TargetRules) -> dict[str, regex.Pattern[str]]:
    number_words = alternation(list(rules.number_words))
    articles, suffixes = alternation(rules.approximate_articles), alternation(rules.approximate_suffixes)
    value = rf"(?:{_NUMBER}|(?:(?:{articles})\s+)?\d+-?(?:{suffixes})|{number_words})"
    letters, label, prefixes = alternation(rules.label_letters), alternation(rules.label_words), alternation(rules.label_prefixes)
    percent = alternation(rules.percent_words)
    ranges = {kind: rf"(?:-|–|{alternation(words)})" for kind, words in rules.range_words.items()}
    # "ca 65", "ca. 65", "circa 65": an abbreviation may lose its period and touch the number
    approximations = "|".join(
        rf"{regex.escape(w)}\.?\s*" if w in rules.abbreviations else rf"{regex.escape(w)}\s+" for w in rules.stock_approximations
    )
    flags = regex.IGNORECASE
    return {
        "label": regex.compile(
            rf"(?<!\w)(?:{prefixes})?(?:{label})\s+(?P<label>{letters})(?![\w+])|(?<![\w+])(?P<label2>{letters})-(?:{label})\b"
        ),
        # every label match has a label word; a text without one is not scanned for labels
        "label_word": regex.compile(rf"(?:{label})"),
        "money": regex.compile(
            rf"(?:€|{alternation(rules.currency_words)})\s?(?P<value>{_NUMBER})(?:,-)?(?:\s*{ranges['money']}\s*(?:€\s?)?(?P<max>{_NUMBER}))?"
            rf"(?:\s*(?P<multiplier>{alternation(list(rules.multipliers))})(?![\p{{L}}]))?",
            flags,
        ),
        # "659.635 euro", "1,2 miljoen euro": the currency word after the amount
        "money_after": regex.compile(
            rf"(?<![\w.,])(?P<value>{_NUMBER})(?:\s*{ranges['money']}\s*(?P<max>{_NUMBER}))?"
            rf"(?:\s*(?P<multiplier>{alternation(list(rules.multipliers))}))?\s*(?:{alternation(rules.currency_words)})(?!\w)",
            flags,
        ),
        "percent": regex.compile(
            rf"(?<![\w.,])(?P<value>{_NUMBER})(?:\s*(?:%|{percent})?\s*{ranges['percent']}\s*(?P<max>{_NUMBER}))?\s?(?:%|(?:{percent})\b)",
            flags,
        ),
        "count": regex.compile(
            rf"(?<![\w.,/€-])(?P<value>{value})(?:\s*{ranges['count']}\s*(?P<max>{_NUMBER}))?"
            rf"(?P<words>(?:,?\s+[\p{{Ll}}-]+){{1,5}})",
            flags,
        ),
        "comparator": regex.compile(
            "|".join(rf"(?P<c{i}>(?<!\w)(?:{alternation(words)})(?!\w))" for i, words in enumerate(rules.comparators.values())),
            flags,
        ),
        # Where a clause ends: not after abbreviations ("ca. 65"), not in "(2022: € 633,25)".
        "clause_end": regex.compile(rf"(?<!\b(?:{alternation(rules.abbreviations)}))[.;]\s|(?<!\d):\s|,\s(?=\p{{Ll}}+\s)"),
        # A sentence ends before a capital or a number ("… toe. 2 woningen"), not after "ca.".
        "sentence_end": regex.compile(rf"(?<=[.!?])(?<!\b(?:{alternation(rules.abbreviations)})\.)\s+(?=[\p{{Lu}}\d]|$)"),
        # on lower-case text: a stock count ("heeft ca. 4.000")
        "stock": regex.compile(rf"\b(?:{alternation(rules.stock_verbs)})\s+(?:{approximations or '(?!)'})?$"),
        "article": regex.compile(rf"^(?:{articles})\s+"),
        "per_after": regex.compile(rf"\s*(?:(?:{alternation(rules.per_year_leads)})\s+)?(?:{'|'.join(map(regex.escape, rules.per_year)) or '(?!)'})\b"),
        "per_before": regex.compile(rf"(?:{alternation(rules.per_year_before)})\s+$"),
        # on lower-case text: "tot de tweede aftoppingsgrens (€ 678)", needs, forecasts, references
        "definition": regex.compile(rf"(?:{'|'.join(map(regex.escape, rules.definition_names)) or '(?!)'})\s*\([^()]*$"),
        "cue": regex.compile(rf"(?<!\w)(?:{'|'.join(map(regex.escape, rules.non_target_cues)) or '(?!)'})(?!\w)"),
        "approximate": regex.compile(rf"\d-?(?:{'|'.join(map(regex.escape, rules.approximate_suffixes)) or '(?!)'})\b"),
        "follower": regex.compile(rf"\s*(?:{'|'.join(map(regex.escape, rules.non_target_followers)) or '(?!)'})"),
    }


def _patterns(rules: TargetRules) -> dict[str, regex.Pattern[str]]:
    return compiled(rules, "targets", lambda: _build(rules))


def _comparator(text: str, start: int, rules: Rules) -> tuple[Comparator, int]:
    """The comparator word closest before ``start`` (at most five words back, same clause).

    Returns the comparator and where its word starts, or ("=", ``start``) when there is none.
    """
    window_start = max(0, start - 60)
    window = text[window_start:start]
    patterns = _patterns(rules.targets)
    clause = max((m.end() for m in patterns["clause_end"].finditer(window)), default=0)
    comparators: list[Comparator] = list(rules.targets.comparators)
    best = None
    for match in patterns["comparator"].finditer(window, clause):
        if len(window[match.end() :].split()) <= 5:
            best = match
    if best is None:
        return "=", start
    index = next(i for i in range(len(comparators)) if best.group(f"c{i}"))
    return comparators[index], window_start + best.start()


def _sentence_before(text: str, start: int, rules: TargetRules) -> str:
    return _patterns(rules)["sentence_end"].split(text[:start])[-1].lower()


def _excluded(text: str, start: int, end: int, rules: TargetRules) -> bool:
    """Needs, forecasts, stock counts, references and definitions of limits are no targets."""
    before = _sentence_before(text, start, rules)
    patterns = _patterns(rules)
    if patterns["definition"].search(text[max(0, start - 40) : start].lower()):
        return True  # "tot de tweede aftoppingsgrens (€ 678)"
    if patterns["cue"].search(before):
        return True
    if patterns["stock"].search(before):
        return True
    return False


def _per(text: str, start: int, end: int, rules: TargetRules) -> str | None:
    after = text[end : end + 25].lower()
    before = text[max(0, start - 12) : start].lower()
    patterns = _patterns(rules)
    if patterns["per_after"].match(after) or patterns["per_before"].search(before):
        return "jaar"
    return None


def _count_unit(noun: str, rules: TargetRules) -> str | None:
    """The counted noun's lemma when it is (a compound of) a counted noun, else ``None``."""
    base = lemma(noun.strip("-"))
    return base if any(base.endswith(n) for n in rules.count_nouns) else None


def _counted_noun(match: regex.Match[str], rules: TargetRules) -> tuple[str, int] | None:
    """The first of the (up to five) words after a number that is a counted noun.

    Adjectives may stand between: "een 6-tal levensloopgeschikte, energie neutrale sociale
    huurwoningen" counts "huurwoning". A follower like "persoonshuishoudens" rules it out.
    """
    for word in _LOWER_WORD.finditer(match.group("words")):
        if word.start() == 0 or match.group("words")[: word.start()].strip(" ,") == "":
            if any(word.group(0).startswith(f) for f in rules.non_target_followers):
                return None
        unit = _count_unit(word.group(0), rules)
        if unit is not None:
            return unit, match.start("words") + word.end()
    return None


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else round(value * factor, 2)


def find_targets(text: str, rules: Rules, masked: Sequence[tuple[int, int]] = ()) -> list[Found]:
    """Targets in ``text`` in order. ``masked`` spans (dates, deadlines) hold no targets."""
    trules = rules.targets
    patterns = _patterns(trules)
    taken: list[tuple[int, int]] = list(masked)
    found: list[Found] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(
        match: regex.Match[str], unit: str, value: float | None, value_max: float | None,
        label: str | None = None, end: int | None = None,
    ) -> None:
        start, end = match.start(), end or match.end()
        if not free(start, end) or _excluded(text, start, end, trules):
            return
        comparator, evidence_start = ("range", start) if value_max is not None else _comparator(text, start, rules)
        if comparator == "=" and patterns["approximate"].search(text[start:end]):
            comparator = "~"  # "een 6-tal woningen"
        raw = text[evidence_start:end]
        words = raw.strip()
        words_start, words_end = evidence_start + len(raw) - len(raw.lstrip()), evidence_start + len(raw.rstrip())
        taken.append((start, end))
        per = _per(text, match.start(), end, trules)
        found.append(Found(start, end, Target(text=words, comparator=comparator, value=value, value_max=value_max, unit=unit, label=label, per=per, start=words_start, end=words_end)))

    for match in patterns["label"].finditer(text) if patterns["label_word"].search(text) else ():
        previous = text[: match.start()].split()[-1:]
        if previous and previous[0].lower() in trules.label_state_words:
            continue  # "woningen met C-label": the present state
        add(match, "label", None, None, (match.group("label") or match.group("label2")).upper())
    for match in (*patterns["money"].finditer(text), *patterns["money_after"].finditer(text)):
        # "€ 1,2 miljoen" = 1,200,000: the multiplier word scales both ends of a range
        factor = trules.multipliers[match.group("multiplier").lower()] if match.group("multiplier") else 1
        value, high = parse_number(match.group("value")), parse_number(match.group("max")) if match.group("max") else None
        add(match, "EUR", _scaled(value, factor), _scaled(high, factor))
    for match in patterns["percent"].finditer(text):
        if patterns["follower"].match(text, match.end()):
            continue
        add(match, "%", parse_number(match.group("value")), parse_number(match.group("max")) if match.group("max") else None)
    for match in patterns["count"].finditer(text):
        raw = match.group("value")
        if _YEAR.fullmatch(raw) or not free(*match.span("value")):
            continue
        noun = _counted_noun(match, trules)
        if noun is None:
            continue
        unit, noun_end = noun
        value = parse_number(patterns["article"].sub("", raw), trules.number_words, trules.approximate_suffixes)
        add(match, unit, value, parse_number(match.group("max")) if match.group("max") else None, end=noun_end)
    return sorted(found, key=lambda f: f.start)
