"""The document's title and type: prestatieafspraken, woonvisie or onbekend.

The title decides the type (a "Prestatieafspraken …" is an agreement however often its
introduction mentions the woonvisie); without one, a document with afspraken is an agreement;
only then do keyword counts in the opening text decide.
"""

from __future__ import annotations

import regex

from ..model.contract import DocType
from ..model.rules import DocumentRules, compiled

# How much of the opening text decides the document type.
OPENING_CHARS = 6000
# How many lines at the top of the first page may hold the title.
TITLE_LINES = 6
_YEAR = regex.compile(r"\b(?:19|20)\d{2}\b")
# A line of more words than this, most of them in lower case, is a sentence, not a title (a
# cover line naming the parties, "Prestatieafspraken 2017 Gemeente Zutphen Woonbedrijf ieder1 …",
# is none); of more than _PARAGRAPH_WORDS, a paragraph: the title stood above it.
_TITLE_WORDS = 12
_PARAGRAPH_WORDS = 20


def _is_prose(line: str, longest: int) -> bool:
    words = line.split()
    capitalised = sum(bool(regex.match(r"[\p{Lu}\d]", w)) for w in words)
    return len(words) > longest and capitalised < len(words) / 2


def _keyword_patterns(rules: DocumentRules) -> dict[DocType, regex.Pattern[str]]:
    def build() -> dict[DocType, regex.Pattern[str]]:
        return {
            kind: regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in words) + r")(?!\p{L})", regex.IGNORECASE)
            for kind, words in rules.doc_types.items()
        }

    return compiled(rules, "doc_type_keywords", build)


def _unhyphenated(text: str) -> str:
    """"Prestatie-afspraken" is "prestatieafspraken" for the keywords (a compound may be written
    with a hyphen)."""
    return regex.sub(r"(?<=\p{L})-(?=\p{L})", "", text)


def title_type(text: str, rules: DocumentRules) -> DocType | None:
    """The type a title names; an agreement wins when both are named ("Prestatieafspraken
    bij de Woonvisie")."""
    found = [kind for kind, pattern in _keyword_patterns(rules).items() if pattern.search(_unhyphenated(text))]
    return "prestatieafspraken" if "prestatieafspraken" in found else (found[0] if found else None)


def find_title(first_lines: list[str], pdf_title: str | None, rules: DocumentRules) -> str | None:
    """The PDF's own title when it names a document type, else the first line at the top of
    the first page that does (with the next line when the title wraps before its years:
    "Regionale prestatieafspraken Regio" + "Kempenland 2024-2027")."""
    if pdf_title and title_type(pdf_title, rules):
        return " ".join(pdf_title.split())
    lines = [" ".join(line.split()) for line in first_lines if line.strip()][:TITLE_LINES]
    for index, line in enumerate(lines):
        if _is_prose(line, _PARAGRAPH_WORDS):
            break  # the title stands above the prose; a heading further down is a section's
        sentence = line.endswith((".", ":", ";")) or _is_prose(line, _TITLE_WORDS) or not regex.match(r"[\p{Lu}\d]", line)
        if not sentence and title_type(line, rules):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if not _YEAR.search(line) and _YEAR.search(following) and len(following.split()) <= 6:
                return f"{line} {following}"
            return line
    return " ".join(pdf_title.split()) if pdf_title else None


def detect_doc_type(title: str | None, opening: str, has_afspraken: bool, rules: DocumentRules, has_parties: bool = False) -> DocType:
    """From the title; else an agreement when afspraken between parties were found (a policy
    document lists what the municipality will do, but names no signing parties); else the
    type whose keywords occur most often in the opening text; ``onbekend`` if none."""
    if title and (kind := title_type(title, rules)):
        return kind
    opening = _unhyphenated(opening)
    counts = {kind: len(pattern.findall(opening)) for kind, pattern in _keyword_patterns(rules).items()}
    best = max(counts, key=lambda kind: counts[kind], default=None)
    if has_afspraken and (has_parties or best != "woonvisie"):
        return "prestatieafspraken"
    if (named := self_reference(opening, rules)) is not None:
        return named
    return best if best is not None and counts[best] > 0 else "onbekend"


def self_reference(opening: str, rules: DocumentRules) -> DocType | None:
    """What the text first calls itself: "In deze jaarschijf …", "Dit convenant …" (a
    woonvisie mentioned more often is the policy it builds on)."""
    def build() -> regex.Pattern[str]:
        words = {kind: "|".join(regex.escape(w) for w in kinds) for kind, kinds in rules.doc_types.items()}
        named = "|".join(rf"(?P<{kind}>{alternatives})" for kind, alternatives in words.items())
        return regex.compile(rf"(?<!\p{{L}})(?:{'|'.join(map(regex.escape, rules.self_references))})\s+(?:{named})(?!\p{{L}})", regex.IGNORECASE)

    match = compiled(rules, "self_reference", build).search(opening)
    return next((kind for kind in rules.doc_types if match.group(kind)), None) if match else None
