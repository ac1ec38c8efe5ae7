"""Municipality names checked against the CBS list in ``rules/municipalities.yaml``: official
name and code, aliases ("Den Bosch") and former municipalities (merged since 2015) resolved."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

import regex

from ..model.rules import DocumentRules, MunicipalityRules, compiled
from .dates import place_pattern


@dataclass(frozen=True)
class Known:
    name: str  # official name today
    code: str  # CBS code, GM + 4 digits
    former: str | None = None  # the name as written, when it is a former municipality


def _key(name: str) -> str:
    """Case, accents, hyphens and spacing ignored: "Midden Drenthe" = "Midden-Drenthe"."""
    plain = regex.sub(r"\p{Mn}", "", unicodedata.normalize("NFKD", name))
    return " ".join(regex.sub(r"[-‐–'’.]", " ", plain.lower()).split())


def _index(rules: MunicipalityRules) -> dict[str, Known]:
    def build() -> dict[str, Known]:
        index: dict[str, Known] = {}
        codes = {m.name: m.code for m in rules.municipalities}
        for former in rules.former:
            for name in (former.name, *former.aliases):
                index[_key(name)] = Known(former.successor, codes[former.successor], former.name)
        for m in rules.municipalities:
            for name in (m.name, *m.aliases):
                index[_key(name)] = Known(m.name, m.code)
        return index

    return compiled(rules, "index", build)


def lookup(name: str, rules: MunicipalityRules) -> Known | None:
    """The municipality a name stands for, None when the list does not know it."""
    return _index(rules).get(_key(name))


def place_in_title(title: str, rules: DocumentRules) -> tuple[str | None, bool]:
    """The place a title is about and whether it is a region: "Meerjarige prestatieafspraken
    Assen 2022-2025" → ("Assen", False); "… Regio Kempenland 2024-2027" → ("Regio Kempenland", True)."""
    keywords = {w.lower() for words in rules.doc_types.values() for w in words}
    noise = {w.lower() for w in rules.title_noise} | keywords
    regions = {w.lower() for w in rules.region_words}
    particles = {w.lower() for w in rules.place_particles}
    run: list[str] = []
    for token in regex.split(r"\s+|[,:;|–—]\s*|\s-\s", title):
        word = token.strip("()[]'\"“”‘’")
        capital = bool(regex.match(r"\p{Lu}", word)) and not regex.search(r"\d", word)
        if run and word.lower() in particles and not _YEARLIKE.match(word):
            run.append(word)  # "Aa en Hunze", "Alphen aan den Rijn"
            continue
        if capital and word.lower().replace("-", "") not in noise:  # "Prestatie-afspraken" is a keyword too
            run.append(word)
            continue
        if run:
            break
    while run and run[-1].lower() in particles:
        run.pop()
    if not run:
        return None, False
    place = " ".join(run)
    return place, run[0].lower() in regions


_YEARLIKE = regex.compile(r"\d")


def _gemeente_x(rules: DocumentRules) -> regex.Pattern[str]:
    """"gemeente Aa en Hunze": the municipality named after the word "gemeente"."""
    return compiled(rules, "gemeente_x", lambda: regex.compile(rf"\b[Gg]emeente\s+(?P<name>{place_pattern(rules)})"))


def known_in_title(title: str, rules: MunicipalityRules) -> Known | None:
    """The first municipality the list knows among the title's capitalised word runs, longest
    first: "Woonagenda Hof van Twente 2016-2020" → Hof van Twente, "Prestatieafspraken Gemeente
    Breda, Laurentius, …" → Breda."""
    tokens = [t.strip("()[]'\"“”‘’") for t in regex.split(r"\s+|[,:;|–—/]\s*|\s-\s", title)]
    for i, first in enumerate(tokens):
        if not regex.match(r"\p{Lu}", first):
            continue
        for n in range(min(_LONGEST_NAME_WORDS, len(tokens) - i), 0, -1):
            if known := lookup(" ".join(tokens[i : i + n]), rules):
                return known
    return None


_LONGEST_NAME_WORDS = 5  # "Alphen aan den Rijn", "Wijk bij Duurstede", "Loon op Zand"


def display_name(name: str, rules: MunicipalityRules) -> str:
    """The official name without the province CBS adds ("Middelburg (Z.)" → "Middelburg"),
    unless another municipality shares the name ("Bergen (NH.)", "Bergen (L.)")."""
    def build() -> Counter[str]:
        return Counter(regex.sub(r"\s*\(.*\)$", "", m.name) for m in rules.municipalities)

    base = regex.sub(r"\s*\(.*\)$", "", name)
    return base if compiled(rules, "base_names", build)[base] == 1 else name


def municipality_names(
    gemeente_parties: list[str], title: str | None, text: str, documents: DocumentRules, rules: MunicipalityRules
) -> list[str]:
    """Every signing municipality (from the parties), else the municipality the title names,
    else the "gemeente X" the text names most often among those the CBS list knows, else the
    place in the title; official spelling where the list knows the name."""
    names = list(gemeente_parties)
    place, region = place_in_title(title, documents) if title else (None, False)
    if not names and title and not region:
        known = known_in_title(title, rules)
        if known is not None:
            names = [known.name]
    if not names:
        # a former municipality keeps its own name: the document predates the merger
        counts = Counter(known.former or known.name for m in _gemeente_x(documents).finditer(text) if (known := lookup(m.group("name"), rules)))
        names = [counts.most_common(1)[0][0]] if counts else []
    if not names and place and not region:
        names = [place]  # a name the list does not know yet (a new merger): kept, flagged for review
    official = []
    for name in names:
        known = lookup(name, rules)
        official.append(display_name(known.name, rules) if known and known.former is None else name)
    return list(dict.fromkeys(official))
