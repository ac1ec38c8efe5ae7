"""Stage 5 — tag afspraken: one tagger per field, run in order on each afspraak.

Every tagger has the same small interface: it takes the :class:`Work` on one afspraak (its
text parsed once by the Dutch spaCy pipeline, the document's context, and what earlier
taggers found) and returns the afspraak fields it fills. Values carry their character spans
in the afspraak text (``start``/``end``; party ``mentions``), so reports highlight exactly
what was tagged; values read from a labelled field ("Wanneer: eind 2025") have no span. A new tag field is a model field plus a tagger in :data:`TAGGERS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import regex

from ..model import Afspraak, Deadline, Mention, Party, Signing, Target, Validity
from ..model.rules import Rules, TemporalRules, compiled
from .actors import fallback_actors, find_mentions, party_lexicon, sentence_actors
from .commitment import classify_commitment
from .deadlines import find_deadlines
from .nlp import deferred_lemmatizer, load_nlp

if TYPE_CHECKING:  # spaCy is loaded with the pipeline (load_nlp), not by the review queue's theme_from_headings
    from spacy.language import Language
    from spacy.tokens import Doc, Span
from .targets import find_targets
from .theme import theme_from_content, theme_from_headings

_YEAR = regex.compile(r"\b((?:19|20)\d{2})\b")
T = TypeVar("T", Deadline, Target)


@dataclass(frozen=True)
class Context:
    """What the taggers know about the document an afspraak belongs to."""

    parties: list[Party]
    validity: Validity
    signing: Signing
    rules: Rules
    lexicon: dict[str, tuple[str, ...]]  # surface form → party names

    @property
    def everyone(self) -> list[str]:
        return [p.name for p in self.parties]

    @property
    def period_end(self) -> dt.date | None:
        return dt.date.fromisoformat(self.validity.end) if self.validity.end else None

    @property
    def not_before(self) -> dt.date | None:
        """Dates before this are history: the start of validity, else the signing date."""
        start = self.validity.start or self.signing.date
        return dt.date.fromisoformat(start) if start else None


@dataclass
class Work:
    """One afspraak being tagged, and what the taggers before found (``notes``)."""

    afspraak: Afspraak
    doc: Doc
    context: Context
    notes: dict[str, Any] = field(default_factory=dict)


Tagger = Callable[[Work], dict[str, Any]]


def tag_mentions(work: Work) -> dict[str, Any]:
    """Every place the text names signing parties (by name, alias or collective word)."""
    mentions = find_mentions(work.afspraak.text, work.context.lexicon)
    work.notes["mention_spans"] = [(m.start, m.end) for m in mentions]
    return {"mentions": [Mention(parties=list(m.parties), start=m.start, end=m.end) for m in mentions]}


def _field_texts(afspraak: Afspraak, kind: str) -> list[str]:
    return [f.text for f in afspraak.fields if f.kind == kind]


def tag_responsible(work: Work) -> dict[str, Any]:
    """The parties a "Wie:"/"Trekker" field names; else the acting parties of each sentence;
    else a heading naming a party."""
    ctx, afspraak = work.context, work.afspraak
    named = [name for text in _field_texts(afspraak, "responsible") for m in find_mentions(text, ctx.lexicon) for name in m.parties]
    responsible: list[str] = list(named)
    acting: list[Span] = []  # sentences in which a party acts; the first carries the commitment
    for sentence in work.doc.sents:
        text = afspraak.text[sentence.start_char : sentence.end_char]  # the Doc's text; Span.text joins its tokens again
        actors = sentence_actors(text, ctx.lexicon, ctx.rules.parties, sentence)
        if actors:
            acting.append(sentence)
        if not named:
            responsible.extend(actors)
    if not responsible:
        responsible = fallback_actors(afspraak.text, afspraak.section_path, ctx.lexicon, ctx.everyone, ctx.rules.parties)
    work.notes["acting"] = acting
    order = {name: i for i, name in enumerate(ctx.everyone)}
    return {"responsible": sorted(set(responsible), key=order.__getitem__)}


def _reference_year(section_path: list[str], validity: Validity) -> int | None:
    """The year a date without one belongs to: a year in the headings, else the start of validity."""
    for heading in reversed(section_path):
        if match := _YEAR.search(heading):
            return int(match.group(1))
    return int(validity.start[:4]) if validity.start else None


def _unplaced(value: T) -> T:
    """A value read from a labelled field: it has no span in the afspraak's text."""
    return value.model_copy(update={"start": None, "end": None})


def tag_deadlines(work: Work) -> dict[str, Any]:
    """Deadlines in the text and in "Wanneer:"/"Planning:" fields."""
    ctx, afspraak = work.context, work.afspraak
    year = _reference_year(afspraak.section_path, ctx.validity)
    found = find_deadlines(afspraak.text, year, ctx.not_before, ctx.rules, ctx.period_end)
    work.notes["deadline_spans"] = [(d.start, d.end) for d in found]
    from_fields = [_unplaced(d.deadline) for text in _field_texts(afspraak, "deadline") for d in find_deadlines(text, year, ctx.not_before, ctx.rules, ctx.period_end)]
    return {"deadlines": _without_subsumed_years([d.deadline for d in found] + from_fields, ctx.rules.temporal)}


def _without_subsumed_years(deadlines: list[Deadline], rules: TemporalRules) -> list[Deadline]:
    """"In 2024 … vóór 1 juli 2024": a bare year says less than a date in the same year; the
    same date said twice ("Eind 2026 … t/m 2026") is one deadline."""

    def build() -> regex.Pattern[str]:
        words = "|".join(regex.escape(w) for w in rules.bare_year_words)
        return regex.compile(rf"(?i)(?:(?:{words})\s+)?(?:19|20)\d{{2}}")

    bare = compiled(rules, "bare_year", build)
    precise = {d.date[:4] for d in deadlines if d.date and not bare.fullmatch(d.text)}
    kept: list[Deadline] = []
    for d in deadlines:
        subsumed = d.date is not None and bare.fullmatch(d.text) is not None and d.date[:4] in precise
        if not subsumed and not (d.date and any(k.date == d.date for k in kept)):
            kept.append(d)
    return kept


def _without_restatements(targets: list[Target]) -> list[Target]:
    """"maximaal 20% … Binnen de 20% …": a plain number repeating a bounded target is the same
    target, not a new one (two plain 10% shares stay two targets)."""
    kept: list[Target] = []
    for target in targets:
        repeats = any(t.value == target.value and t.unit == target.unit and t.comparator != "=" for t in kept)
        if not (repeats and target.comparator == "="):
            kept.append(target)
    return kept


def tag_targets(work: Work) -> dict[str, Any]:
    """Targets in the text (never inside a deadline's words) and in "Indicator:" fields."""
    rules, afspraak = work.context.rules, work.afspraak
    found = find_targets(afspraak.text, rules, masked=work.notes.get("deadline_spans", []))
    from_fields = [_unplaced(t.target) for text in _field_texts(afspraak, "target") for t in find_targets(text, rules)]
    return {"targets": _without_restatements([t.target for t in found] + from_fields)}


def tag_theme(work: Work) -> dict[str, Any]:
    """The innermost thematic heading; else the content words, party names left out (the
    "huur" of "huurdersorganisaties" says nothing about rents)."""
    themes = work.context.rules.themes
    afspraak = work.afspraak
    text = afspraak.text
    for start, end in work.notes.get("mention_spans", []):
        text = text[:start] + " " * (end - start) + text[end:]
    return {"theme": theme_from_headings(afspraak.section_path, themes) or theme_from_content(text, themes)}


def tag_commitment(work: Work) -> dict[str, Any]:
    """From the first sentence in which a party acts, else the whole text."""
    acting: list[Span] = work.notes.get("acting", [])
    return {"commitment": classify_commitment(acting[0] if acting else work.doc[:], work.context.rules.commitment)}


_SENTENCE_END = regex.compile(r"[.!?;:] (?=\S)")


def parse(nlp: Language, text: str) -> Doc:
    """``text`` parsed by spaCy, lemmas left to :func:`.nlp.lemmas`. A text longer than spaCy's
    ``nlp.max_length`` (1,000,000 characters) is parsed in pieces that end at a line or sentence
    end where there is one, and joined back into one Doc: the same text, so every character
    offset stays the same."""
    lemmatizer = deferred_lemmatizer(nlp)
    disable = [lemmatizer.name] if lemmatizer is not None else []
    if len(text) < nlp.max_length:
        return nlp(text, disable=disable)
    from spacy.tokens import Doc

    return Doc.from_docs(list(nlp.pipe(text_pieces(text, nlp.max_length - 1), disable=disable)), ensure_whitespace=False)


def text_pieces(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back to ``text``: cut
    after the last sentence end (". " before a word) of a piece, else before its last line
    break, else after its last space (in the second half of the piece), else at ``size``."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        half = size // 2
        ends = [m.end() for m in _SENTENCE_END.finditer(window, pos=half)]
        cut = ends[-1] if ends else max(window.rfind("\n", half), 0)  # the line break opens the next piece
        if not cut:
            cut = max(window.rfind(" ", half), window.rfind("\t", half)) + 1
        cut = cut or size
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


# In order: commitment reads the acting sentences found for responsible, targets skip deadlines.
TAGGERS: list[Tagger] = [tag_mentions, tag_responsible, tag_deadlines, tag_targets, tag_theme, tag_commitment]


def tag_afspraken(afspraken: list[Afspraak], parties: list[Party], validity: Validity, signing: Signing, rules: Rules) -> list[Afspraak]:
    """Every tagging field of every afspraak."""
    nlp = load_nlp()
    context = Context(parties, validity, signing, rules, party_lexicon(parties, rules.parties))
    tagged = []
    for afspraak in afspraken:
        work = Work(afspraak, parse(nlp, afspraak.text), context)
        update: dict[str, Any] = {}
        for tagger in TAGGERS:
            update.update(tagger(work))
        tagged.append(afspraak.model_copy(update=update))
    return tagged
