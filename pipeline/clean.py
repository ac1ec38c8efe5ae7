"""Stage 2 — clean pages: raw lines → prose lines.

Removes page furniture (running headers and footers, page numbers) into each page's
``furniture`` list, drops blank lines, strips soft hyphens and joins words hyphenated
across a line end — conservatively, see :func:`join_hyphenated`.
"""

from __future__ import annotations

from collections import Counter

import regex

from .model import Line, Page, SourceDocument
from .model.rules import CleaningRules, compiled

_DIGITS = regex.compile(r"\d+")
_SPACES = regex.compile(r"[ \t\u00a0\u2007\u202f]+")
_SOFT_HYPHEN = "\u00ad"
# A line ending in a word fragment and a hyphen: "woning-" (not " -" or "2021-").
_TRAILING_HYPHEN = regex.compile(r"(?<=\p{L})-$")
_FIRST_WORD = regex.compile(r"^(\S+)(\s*)(.*)$")
_VOWEL_DIGRAPHS = {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ij", "oe", "oi", "oo", "ou", "ui", "uu"}


def normalise_line(text: str) -> str:
    """Soft hyphens out, odd spaces folded, ends stripped."""
    return _SPACES.sub(" ", text.replace(_SOFT_HYPHEN, "")).strip()


def _normalised(line: Line) -> Line:
    """``line`` with its text normalised; the line itself when that changes nothing (most do not)."""
    text = normalise_line(line.text)
    return line if text == line.text else line.model_copy(update={"text": text})


def _edge_key(text: str) -> str:
    """A furniture candidate's identity: case and numbers ignored ("Pagina 3 van 12")."""
    return _DIGITS.sub("#", text.lower())


def _is_page_number(text: str, rules: CleaningRules) -> bool:
    patterns = compiled(rules, "page_numbers", lambda: [regex.compile(p, regex.IGNORECASE) for p in rules.page_number_patterns])
    return any(p.fullmatch(text) for p in patterns)


def _edge_indexes(lines: list[Line], count: int) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.text]
    return sorted(set(filled[:count] + filled[-count:]))


def strip_furniture(pages: list[Page], paged: bool, rules: CleaningRules) -> list[Page]:
    """Move running headers/footers and page numbers from ``lines`` to ``furniture``.

    On paged input a line is furniture when it stands at a page edge and either looks like
    a page number or repeats (digits ignored) at the edges of most pages. Unpaged text has no
    edges, so only whole-line page numbers are taken out there.
    """
    edge_counts: Counter[str] = Counter()
    if paged:
        for page in pages:
            keys = {_edge_key(page.lines[i].text) for i in _edge_indexes(page.lines, rules.furniture_edge_lines)}
            edge_counts.update(keys)
    min_pages = max(2, rules.furniture_min_share * len(pages))
    cleaned = []
    for page in pages:
        edges = set(_edge_indexes(page.lines, rules.furniture_edge_lines)) if paged else None
        kept, furniture = [], list(page.furniture)
        for index, line in enumerate(page.lines):
            at_edge = edges is None or index in edges
            repeated = paged and at_edge and edge_counts[_edge_key(line.text)] >= min_pages
            if line.text and at_edge and (repeated or _is_page_number(line.text, rules)):
                furniture.append(line.text)
            else:
                kept.append(line)
        cleaned.append(page.model_copy(update={"lines": kept, "furniture": furniture}))
    return cleaned


def _keeps_hyphen(prefix_word: str, next_word: str, vocabulary: set[str], rules: CleaningRules) -> bool:
    """Whether ``prefix_word`` (ending in "-") + ``next_word`` is a real hyphenated word."""
    last_part = prefix_word[:-1].rsplit("-", 1)[-1]
    if (prefix_word[:-1] + next_word).lower() in vocabulary:
        return False  # the document writes the joined word elsewhere: "energie-index"
    if not next_word[:1].islower() or "-" in next_word:
        return True  # "Noord-Drenthe", "1-2 persoons", "blijf-van-mijn-lijfhuizen"
    if any(ch.isupper() or ch.isdigit() for ch in last_part[1:]):
        return True  # abbreviations and codes: "CAO-loonontwikkeling", "A1-locatie"
    joined_hyphen = (prefix_word + next_word).lower()
    last_part = last_part.lower()
    if joined_hyphen in vocabulary:
        return True  # the document writes it with a hyphen elsewhere
    if any(joined_hyphen.startswith(c) for c in rules.hyphen_compounds):
        return True
    if last_part in rules.hyphen_prefixes:
        return True
    # Dutch writes a hyphen where two vowels would be read as one sound: "zee-egel", "auto-industrie".
    return (last_part[-1:] + next_word[:1]).lower() in _VOWEL_DIGRAPHS


def join_hyphenated(lines: list[Line], rules: CleaningRules) -> list[Line]:
    """Join words split across a line end by a hyphen (conservatively).

    Joined only when the next line starts in lower case and the pair is not an omission
    hyphen ("woon- en zorg") or a real compound ("sloop-nieuwbouw"); the continuation
    fragment moves up to the first line, so every word keeps the page it starts on.
    """
    vocabulary = {w.lower().strip(".,;:()") for line in lines for w in line.text.split()}
    out = list(lines)  # a line is copied when a join changes it, so ``lines`` stay as they were
    for i in range(len(out) - 1):
        line, nxt = out[i], out[i + 1]
        if not _TRAILING_HYPHEN.search(line.text):
            continue
        match = _FIRST_WORD.match(nxt.text)
        if not match:
            continue
        next_word, _, rest = match.groups()
        core = next_word.rstrip(".,;:)")
        if core.lower() in rules.omission_words:
            continue
        prefix_word = line.text.rsplit(" ", 1)[-1]
        joined = line.text + next_word if _keeps_hyphen(prefix_word, core, vocabulary, rules) else line.text[:-1] + next_word
        out[i], out[i + 1] = line.model_copy(update={"text": joined}), nxt.model_copy(update={"text": rest})
    return [line for line in out if line.text]


_FOOTNOTE = regex.compile(r"^(\d{1,2})\s+\p{Lu}.{15,}[.]$")


def split_footnotes(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Separate footnotes ("1 De huurprijsgrenzen ... prijspeil 2021.") from the prose.

    A footnote is a sentence opened by a bare number (no period after it) whose number
    was used as a reference mark ("(€ 678) 1.") in one of the lines before it.
    """
    prose: list[Line] = []
    notes: list[Line] = []
    for line in lines:
        match = _FOOTNOTE.match(line.text)
        if match:
            mark = regex.compile(rf"[\p{{L}})%]\s?{match.group(1)}[.,;]?$|[\p{{L}})%]\s?{match.group(1)}[.,;]?\s")
            if any(mark.search(earlier.text) for earlier in prose[-80:]):
                notes.append(line)
                continue
        prose.append(line)
    return prose, notes


def clean_document(doc: SourceDocument, rules: CleaningRules) -> SourceDocument:
    """Furniture out, blank lines dropped, hyphenation joined — across page breaks too."""
    normalised = [
        page.model_copy(
            update={"lines": [_normalised(line) for line in page.lines]}
        )
        for page in doc.pages
    ]
    pages = strip_furniture(normalised, doc.paged, rules)
    flat, footnotes = split_footnotes([line for page in pages for line in page.lines if line.text])
    joined = join_hyphenated(flat, rules)
    notes_by_page: dict[int | None, list[str]] = {}
    for note in footnotes:
        notes_by_page.setdefault(note.page, []).append(note.text)
    by_page: dict[int | None, list[Line]] = {}
    for line in joined:
        by_page.setdefault(line.page, []).append(line)
    pages = [
        page.model_copy(update={"lines": by_page.get(page.number, []), "footnotes": notes_by_page.get(page.number, [])})
        for page in pages
    ]
    return doc.model_copy(update={"pages": pages})
