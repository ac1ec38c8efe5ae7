"""Corrections: what a person fixed in a document, applied after extraction and before rendering.

``corrections/`` holds one YAML file per document (:mod:`pipeline.model.corrections`), named
by the document's doc_id or by the first characters of its source file's sha256. Every file is
validated when it is loaded; what it names is checked against the document it corrects: a
party or an afspraak the document does not hold is an error (one line, file:line). A
correction whose document changed under it is reported (a warning, the review reason
``stale_correction``), never applied blindly: a file written against another version of the
source (``source_sha256``), or an afspraak whose text no longer starts with the
``first_words`` it was corrected under.

Afspraken are named as the extractor numbers them (or by their first words); after the
corrections the ordinals are counted again, so they stay the position in the document.
Every corrected value is recorded in ``Document.corrections`` (file, line, field, old, new).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import regex
import yaml
from pydantic import BaseModel, JsonValue

from .files import correction_files, corrections_digest, is_safe_doc_id
from .metadata.municipalities import lookup
from .model import Afspraak, Deadline, Document, Mention, Target
from .model.contract import CorrectionRecord, ReviewReason, afspraak_id
from .model.corrections import TAG_FIELDS, AfspraakFix, Correction, NewAfspraak, SplitPart, Tags
from .model.rules import RuleError, Rules, load_yaml, yaml_line

# A correction file named after the source's sha256 uses at least this many of its first characters.
SHA_PREFIX_MIN = 8
_SHA_PREFIX = regex.compile(rf"[0-9a-f]{{{SHA_PREFIX_MIN},64}}")
# How many words of an afspraak's text name it (``first_words``) in messages and snippets.
FIRST_WORDS = 8


class CorrectionError(RuleError):
    """A correction file is malformed or names what its document does not hold (one line)."""


@dataclass(frozen=True)
class CorrectionFile:
    """One correction file, validated, with its YAML tree for the line of a later problem."""

    path: Path
    correction: Correction
    tree: yaml.Node | None
    digest: str  # sha256 of the file's bytes

    def line(self, *loc: str | int) -> int:
        return yaml_line(self.tree, loc) or 1

    def error(self, loc: Sequence[str | int], problem: str) -> CorrectionError:
        field_path = ".".join(str(part) for part in loc)
        return CorrectionError(f"{self.path}:{self.line(*loc)}: {field_path + ': ' if field_path else ''}{problem}")


@dataclass(frozen=True)
class Corrections:
    """Every correction file of a folder, sorted by name."""

    files: tuple[CorrectionFile, ...] = ()

    @property
    def digest(self) -> str:
        """Changes when any correction file changes (part of what the outputs depend on)."""
        return corrections_digest((f.path.name, f.digest) for f in self.files)

    def match(self, documents: Iterable[tuple[str, str]]) -> tuple[dict[str, CorrectionFile], list[CorrectionFile]]:
        """Which file corrects which document (given as ``(doc_id, sha256)``), and the files
        that match none. A file's name is a doc_id, else a sha256 prefix."""
        documents = list(documents)
        by_id = {doc_id for doc_id, _ in documents}
        found: dict[str, CorrectionFile] = {}
        orphans: list[CorrectionFile] = []
        for file in self.files:
            stem = file.path.stem
            targets = [stem] if stem in by_id else [d for d, sha in documents if _SHA_PREFIX.fullmatch(stem) and sha.startswith(stem)]
            if len(targets) > 1:
                raise CorrectionError(f"{file.path}: the name matches several documents ({', '.join(targets)}); use their doc_ids")
            if not targets:
                orphans.append(file)
            elif targets[0] in found:
                raise CorrectionError(f"{file.path}: {found[targets[0]].path.name} corrects {targets[0]} already; one file per document")
            else:
                found[targets[0]] = file
        return found, orphans


def load_corrections(folder: Path | None) -> Corrections:
    """The correction files in ``folder`` (``*.yaml``, ``*.yml``), validated; none without a
    folder. Raises :class:`CorrectionError` for the first bad file."""
    if folder is None:
        return Corrections()
    if not folder.is_dir():
        raise CorrectionError(f"{folder}: no such corrections folder")
    files = []
    for path in correction_files(folder):
        if not (is_safe_doc_id(path.stem) or _SHA_PREFIX.fullmatch(path.stem)):
            raise CorrectionError(f"{path}: name it <doc_id>.yaml or <first {SHA_PREFIX_MIN}+ characters of the source's sha256>.yaml")
        try:
            correction, tree = load_yaml(path, Correction, "correction file")
        except RuleError as exc:
            raise CorrectionError(str(exc)) from exc
        files.append(CorrectionFile(path, correction, tree, hashlib.sha256(path.read_bytes()).hexdigest()))
    return Corrections(tuple(files))


def words(text: str) -> str:
    """Whitespace joined and case folded: how first words are compared."""
    return " ".join(text.split()).casefold()


def first_words(text: str) -> str:
    return " ".join(text.split()[:FIRST_WORDS])


def _dump(value: Any) -> JsonValue:
    """A value as it stands in the register's JSON (a deadline or target without its span)."""
    if isinstance(value, (Deadline, Target)):
        return value.model_dump(mode="json", exclude={"start", "end"})
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


def _change(old: Any, new: Any) -> tuple[JsonValue, JsonValue] | None:
    """``(old, new)`` as the register's JSON has them, None when they are the same: a value a
    person "corrected" to what it was is no correction."""
    old, new = _dump(old), _dump(new)
    return None if old == new else (old, new)


V = TypeVar("V", Deadline, Target)


def _placed(values: Sequence[V], text: str, model: type[V]) -> list[V]:
    """Values a person wrote, as register values: found in the afspraak's text where they
    stand there (so the site highlights them), else without a span."""
    placed = []
    for value in values:
        start = text.find(value.text) if value.text else -1
        span = {"start": start, "end": start + len(value.text)} if start >= 0 else {"start": None, "end": None}
        placed.append(model.model_validate({**value.model_dump(), **span}))
    return placed


@dataclass
class _Row:
    """An afspraak while the corrections are applied: where it came from and what changed."""

    afspraak: Afspraak
    changes: list[tuple[int, str, JsonValue, JsonValue]] = field(default_factory=list)  # line, field, old, new

    def change(self, line: int, name: str, old: Any, new: Any) -> None:
        if changed := _change(old, new):
            self.changes.append((line, name, *changed))


class _Apply:
    """One correction file applied to one document (:func:`apply_correction`)."""

    def __init__(self, document: Document, file: CorrectionFile, rules: Rules) -> None:
        self.doc, self.file, self.rules = document, file, rules
        self.fix = file.correction
        self.update: dict[str, Any] = {}
        self.records: list[CorrectionRecord] = []
        self.stale: list[str] = []
        self.parties = list(document.parties)
        self.found = document.afspraken  # as extracted: what the file's references name
        self.rows: list[_Row | None] = [_Row(a) for a in self.found]  # None: dropped or merged away
        self.inserted: dict[int, list[_Row]] = {}  # after which found afspraak (-1: at the start)

    def record(self, line: int, name: str, old: Any, new: Any, afspraak: str | None = None) -> None:
        if changed := _change(old, new):
            self.records.append(CorrectionRecord(file=str(self.file.path), line=line, afspraak=afspraak, field=name, old=changed[0], new=changed[1]))

    # ---------------------------------------------------------------- the document

    def document_fields(self) -> None:
        fix, doc = self.fix, self.doc
        for name in ("doc_type", "title"):
            if name in fix.model_fields_set:
                self.set_field(name, getattr(fix, name))
        if fix.municipalities is not None:
            known = [lookup(name, self.rules.municipalities) for name in fix.municipalities]
            self.set_field("municipalities", fix.municipalities)
            self.update["municipality_codes"] = [k.code if k and k.former is None else None for k in known]
        for name, given in (("signing", fix.signing), ("validity", fix.validity)):
            if given is not None:
                current = getattr(doc, name)
                self.set_field(name, current.model_copy(update={k: getattr(given, k) for k in given.model_fields_set}))
        if fix.checked is not None:
            self.update["checked"] = fix.checked

    def set_field(self, name: str, value: Any) -> None:
        self.record(self.file.line(name), name, getattr(self.doc, name), value)
        self.update[name] = value

    def party_fixes(self) -> None:
        renamed: dict[str, str | None] = {}  # old name → new name (None: dropped)
        for i, fix in enumerate(self.fix.parties):
            names = [p.name for p in self.parties]
            if fix.party not in names:
                raise self.file.error(("parties", i, "party"), f"no party {fix.party!r} in {self.doc.doc_id} (parties: {'; '.join(names) or 'none'})")
            position = names.index(fix.party)
            old = self.parties[position]
            new = None if fix.drop else old.model_copy(update={k: getattr(fix, k) for k in fix.model_fields_set - {"party", "drop"}})
            if new is None:
                del self.parties[position]
            else:
                self.parties[position] = new
            renamed[old.name] = None if new is None else new.name
            self.record(self.file.line("parties", i), "parties", old, new)
        for i, party in enumerate(self.fix.new_parties):
            if party.name in (p.name for p in self.parties):
                raise self.file.error(("new_parties", i, "name"), f"{party.name!r} is a party already")
            self.parties.append(party)
            self.record(self.file.line("new_parties", i), "parties", None, party)
        if renamed:
            self.rows = [row and _Row(_renamed(row.afspraak, renamed), row.changes) for row in self.rows]
        if self.parties != self.doc.parties:
            self.update["parties"] = self.parties

    # ---------------------------------------------------------------- afspraken

    def starting(self, text: str, loc: tuple[str | int, ...]) -> int | None:
        """The found afspraak whose text starts with ``text``; an error when several do."""
        found = [i for i, a in enumerate(self.found) if words(a.text).startswith(words(text))]
        if len(found) > 1:
            raise self.file.error(loc, "several afspraken start with these words; give more")
        return found[0] if found else None

    def resolve(self, ref: str, loc: tuple[str | int, ...]) -> int:
        """The found afspraak a number or first words name (an error when none)."""
        index = next((i for i, a in enumerate(self.found) if a.number == ref), None)
        if index is None:
            index = self.starting(ref, loc)
        if index is None:
            raise self.file.error(loc, f"no afspraak numbered or starting {ref!r} in {self.doc.doc_id}")
        return index

    def target(self, i: int, fix: AfspraakFix) -> int | None:
        """The found afspraak an entry names; None (and a stale note) when its text no longer
        starts with the entry's first words."""
        loc: tuple[str | int, ...] = ("afspraken", i)
        if fix.afspraak:
            index = self.resolve(fix.afspraak, (*loc, "afspraak"))
            if not fix.first_words or words(self.found[index].text).startswith(words(fix.first_words)):
                return index
            self.note_stale(loc, f"afspraak {fix.afspraak} begint nu met ‘{first_words(self.found[index].text)}’")
            return None
        assert fix.first_words is not None
        found = self.starting(fix.first_words, (*loc, "first_words"))
        if found is not None:
            return found
        self.note_stale(loc, f"geen afspraak begint nu met ‘{fix.first_words}’")
        return None

    def note_stale(self, loc: tuple[str | int, ...], why: str) -> None:
        self.stale.append(f"Correctie {self.file.path}:{self.file.line(*loc)} is niet toegepast: {why}.")

    def afspraak_fixes(self) -> None:
        named: dict[int, int] = {}  # found afspraak → the entry that corrects it
        for i, fix in enumerate(self.fix.afspraken):
            index = self.target(i, fix)
            if index is None:
                continue
            if index in named:
                raise self.file.error(("afspraken", i), f"{fix.reference} is corrected in entry {named[index] + 1} already; one entry per afspraak")
            named[index] = i
            row = self.rows[index]
            if row is None:
                raise self.file.error(("afspraken", i), f"{fix.reference} is merged into another afspraak by this file")
            line = self.file.line("afspraken", i)
            if fix.drop:
                self.record(line, "afspraak", row.afspraak.text, None, row.afspraak.id)
                self.rows[index] = None
                continue
            self.merge(index, row, fix.merge, named, ("afspraken", i))
            if fix.split:
                self.split(index, row, fix.split, ("afspraken", i))
            self.set_tags(row, fix, ("afspraken", i))

    def merge(self, index: int, row: _Row, refs: list[str], named: dict[int, int], loc: tuple[str | int, ...]) -> None:
        """The afspraken ``refs`` name appended to the one at ``index`` (and gone themselves)."""
        text, line = row.afspraak.text, self.file.line(*loc, "merge")
        for j, ref in enumerate(refs):
            other = self.resolve(ref, (*loc, "merge", j))
            absorbed = self.rows[other]
            if other == index or absorbed is None or other in named:
                raise self.file.error((*loc, "merge", j), f"afspraak {ref!r} cannot be merged here (it is this one, dropped, or corrected on its own)")
            self.record(line, "afspraak", absorbed.afspraak.text, None, absorbed.afspraak.id)
            row.afspraak = _merged(row.afspraak, absorbed.afspraak)
            self.rows[other] = None
        row.change(line, "text", text, row.afspraak.text)

    def set_tags(self, row: _Row, tags: Tags, loc: tuple[str | int, ...]) -> None:
        names = {p.name for p in self.parties}
        update: dict[str, Any] = {}
        for name in TAG_FIELDS:
            if name not in tags.model_fields_set:
                continue
            value = getattr(tags, name)
            if name == "responsible":
                self.check_parties(value or [], names, (*loc, name))
            elif name == "deadlines":
                value = _placed(value or [], row.afspraak.text, Deadline)
            elif name == "targets":
                value = _placed(value or [], row.afspraak.text, Target)
            row.change(self.file.line(*loc, name), name, getattr(row.afspraak, name), value)
            update[name] = value
        if tags.checked is not None:
            update["checked"] = tags.checked
        row.afspraak = row.afspraak.model_copy(update=update)

    def check_parties(self, responsible: list[str], names: set[str], loc: tuple[str | int, ...]) -> None:
        for name in responsible:
            if name not in names:
                raise self.file.error(loc, f"{name!r} is no party of {self.doc.doc_id} (parties: {'; '.join(p.name for p in self.parties)})")

    def split(self, index: int, row: _Row, parts: list[SplitPart], loc: tuple[str | int, ...]) -> None:
        text, line = row.afspraak.text, self.file.line(*loc, "split")
        cuts = [0]
        for j, part in enumerate(parts):
            at = text.find(part.at, cuts[-1] + 1)
            if at <= 0:
                raise self.file.error((*loc, "split", j, "at"), f"{part.at!r} does not stand in the text after the previous part")
            cuts.append(at)
        pieces = _pieces(row.afspraak, cuts)
        row.change(line, "text", text, pieces[0].text)
        row.afspraak = pieces[0]
        new_rows = []
        for j, (part, piece) in enumerate(zip(parts, pieces[1:])):
            new = _Row(piece.model_copy(update={"number": part.number, "page": part.page or piece.page, "checked": None}))
            self.set_tags(new, part, (*loc, "split", j))
            new.change(line, "afspraak", None, new.afspraak.text)
            new_rows.append(new)
        self.inserted.setdefault(index, [])[:0] = new_rows

    def new_afspraken(self) -> None:
        for i, new in enumerate(self.fix.new_afspraken):
            loc: tuple[str | int, ...] = ("new_afspraken", i)
            after = -1 if new.after is None else self.resolve(new.after, (*loc, "after"))
            section = new.section_path if new.section_path is not None else (self.found[after].section_path if after >= 0 else [])
            row = _Row(_new_afspraak(new, section))
            self.check_parties(new.responsible, {p.name for p in self.parties}, (*loc, "responsible"))
            row.change(self.file.line(*loc), "afspraak", None, new.text)
            self.inserted.setdefault(after, []).append(row)

    def afspraken(self) -> list[Afspraak]:
        """The afspraken in document order, ordinals counted again, ids made anew; every
        change recorded under the afspraak's final id."""
        ordered = [*self.inserted.get(-1, [])]
        for index, row in enumerate(self.rows):
            ordered += [row] if row is not None else []
            ordered += self.inserted.get(index, [])
        result, ids = [], set()
        for ordinal, row in enumerate(ordered, start=1):
            new_id = afspraak_id(self.doc.doc_id, row.afspraak.number, ordinal)
            if new_id in ids:
                raise CorrectionError(f"{self.file.path}: two afspraken would be numbered {row.afspraak.number} in {self.doc.doc_id}")
            ids.add(new_id)
            for line, name, old, new in row.changes:
                self.record(line, name, old, new, new_id)
            result.append(row.afspraak.model_copy(update={"ordinal": ordinal, "id": new_id, "corrected": row.afspraak.corrected or bool(row.changes)}))
        return result

    def result(self) -> Document:
        afspraken = self.afspraken()
        if afspraken != self.doc.afspraken:
            self.update["afspraken"] = afspraken
        document = self.doc.model_copy(update={**self.update, "corrections": [*self.doc.corrections, *self.records]})
        return _reviewed(document, self.stale)


def apply_correction(document: Document, file: CorrectionFile, rules: Rules) -> Document:
    """``document`` as ``file`` corrects it. A file written against another version of the
    source is not applied: the document gets a warning and the review reason
    ``stale_correction``. Raises :class:`CorrectionError` when the file names a party or
    afspraak the document does not hold."""
    sha = file.correction.source_sha256
    if sha != document.source.sha256:
        return _reviewed(document, [
            f"Correctie {file.path} is niet toegepast: die is geschreven voor een andere versie van het bronbestand "
            f"(sha256 {sha[:12]}…, nu {document.source.sha256[:12]}…). Controleer de correctie en zet source_sha256 op "
            f"{document.source.sha256}."
        ])
    work = _Apply(document, file, rules)
    work.document_fields()
    work.party_fixes()
    work.afspraak_fixes()
    work.new_afspraken()
    return work.result()


def _reviewed(document: Document, stale: list[str]) -> Document:
    """The review reasons of the corrected document: none once a person checked it; a
    correction that was not applied is always one."""
    from .extract import review_reasons  # the stages load spaCy: only when a document is corrected

    reasons: list[ReviewReason] = [] if document.checked else review_reasons(document)
    if stale:
        reasons.append("stale_correction")
    return document.model_copy(update={"review": reasons, "warnings": [*document.warnings, *stale]})


def _renamed(afspraak: Afspraak, renamed: dict[str, str | None]) -> Afspraak:
    """Responsible parties and mentions after parties were renamed or dropped."""

    def names(values: list[str]) -> list[str]:
        return [new for name in values if (new := renamed.get(name, name)) is not None]

    mentions = [m.model_copy(update={"parties": names(m.parties)}) for m in afspraak.mentions]
    return afspraak.model_copy(update={"responsible": names(afspraak.responsible), "mentions": [m for m in mentions if m.parties]})


S = TypeVar("S", Deadline, Target, Mention)


def _shifted(values: Sequence[S], offset: int, low: int = 0, high: int | None = None, unplaced: bool = True) -> list[S]:
    """The values whose span lies in ``text[low:high]``, spans moved by ``-offset``, and
    (``unplaced``) those without a span."""
    kept = []
    for value in values:
        if value.start is None or value.end is None:
            if unplaced:
                kept.append(value)
        elif value.start >= low and (high is None or value.end <= high):
            kept.append(value.model_copy(update={"start": value.start - offset, "end": value.end - offset}))
    return kept


def _merged(first: Afspraak, second: Afspraak) -> Afspraak:
    """Two afspraken as one: the texts joined, the second's values placed after the first's."""
    offset = len(first.text) + 1
    responsible = [*first.responsible, *(name for name in second.responsible if name not in first.responsible)]
    return first.model_copy(update={
        "text": f"{first.text} {second.text}",
        "responsible": responsible,
        "deadlines": [*first.deadlines, *_shifted(second.deadlines, -offset)],
        "targets": [*first.targets, *_shifted(second.targets, -offset)],
        "mentions": [*first.mentions, *_shifted(second.mentions, -offset)],
        "fields": [*first.fields, *second.fields],
    })


def _pieces(afspraak: Afspraak, cuts: list[int]) -> list[Afspraak]:
    """The afspraak cut at ``cuts`` (the first is 0): each piece keeps the values whose span
    lies in it (values without a span stay with the first)."""
    text, pieces = afspraak.text, []
    for j, low in enumerate(cuts):
        high = cuts[j + 1] if j + 1 < len(cuts) else len(text)
        raw = text[low:high]
        start = low + len(raw) - len(raw.lstrip())
        piece = raw.strip()
        end = start + len(piece)
        values = {name: _shifted(getattr(afspraak, name), start, start, end, unplaced=j == 0) for name in ("deadlines", "targets", "mentions")}
        pieces.append(afspraak.model_copy(update={"text": piece, **values, "fields": afspraak.fields if j == 0 else []}))
    return pieces


def _new_afspraak(new: NewAfspraak, section_path: list[str]) -> Afspraak:
    """A missed afspraak as a person wrote it (its id and ordinal are set with the others')."""
    return Afspraak(
        id="", number=new.number, ordinal=1, text=new.text, section_path=section_path, theme=new.theme, page=new.page,
        responsible=new.responsible, deadlines=_placed(new.deadlines, new.text, Deadline),
        targets=_placed(new.targets, new.text, Target), commitment=new.commitment, checked=new.checked,
    )
