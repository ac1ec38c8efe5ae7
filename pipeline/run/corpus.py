"""The corpus run — the body of ``afspraken extract``, callable in-process: batch → register
plan → outputs digest → render → manifest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..correct import CorrectionFile, Corrections, apply_correction
from ..extract import stage_clock
from ..files import to_json, write_atomic
from ..read import SUPPORTED_SUFFIXES
from ..register import Entry, Fingerprint, Planned, apply_plan, plan_register
from ..model import Document
from ..model.rules import Rules
from .cache import load_extraction
from .lock import output_lock
from .manifest import outputs_digest, outputs_up_to_date, record_outputs
from .workers import BatchSettings, OnDone, run_batch


@dataclass(frozen=True)
class Inputs:
    """What a run reads, and what it skips with the reason."""

    files: list[Path]
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def supported(self) -> list[Path]:
        """The files the pipeline can read (.pdf, .txt)."""
        return [p for p in self.files if p.suffix.lower() in SUPPORTED_SUFFIXES]


def _leaves(link: Path, folder: Path) -> bool:
    """Whether the symbolic link ``link`` points outside ``folder`` (a resolved path); a link
    that cannot be resolved (a loop) is treated as leaving it."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return True
    return target != folder and folder not in target.parents


def scan_inputs(paths: Iterable[Path]) -> Inputs:
    """Files as given, and the files inside given folders (recursively), PDFs first.

    PDFs come first because that is how documents arrive. A symbolic link inside a folder that
    points outside it is not followed (a folder of agreements must not publish ``/etc/passwd``):
    it is skipped with the reason. A file given by name is read wherever it is.
    """
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        root = path.resolve()
        for candidate in sorted(path.rglob("*")):
            if candidate.name.startswith("."):
                continue
            if candidate.is_symlink() and _leaves(candidate, root):
                skipped.append((candidate, f"symbolic link pointing outside {path}; skipped"))
            elif candidate.is_file():
                found.append(candidate)
    unique = list(dict.fromkeys(found))
    return Inputs(sorted(unique, key=lambda p: (p.suffix.lower() != ".pdf", str(p))), sorted(dict.fromkeys(skipped)))


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """The files a run over ``paths`` reads (:func:`scan_inputs`)."""
    return scan_inputs(paths).files


@dataclass
class RunSummary:
    documents: int
    afspraken: int
    warnings: int
    errors: list[dict[str, str]]  # path, error (and traceback with debug)
    processed: int
    cached: int
    pages_processed: int
    stage_seconds: dict[str, float] = field(default_factory=dict)
    review: dict[str, list[str]] = field(default_factory=dict)  # doc_id → what a person should check
    warned: list[str] = field(default_factory=list)  # doc_ids of documents with warnings
    notes: list[str] = field(default_factory=list)  # warnings about the run itself
    corrected: list[str] = field(default_factory=list)  # doc_ids of documents a person corrected or checked
    stale: list[str] = field(default_factory=list)  # doc_ids of documents with a correction not applied

    def to_check(self) -> dict[str, list[str]]:
        """Every document a person should look at, with why: review reasons, "warnings"."""
        names = sorted(set(self.review) | set(self.warned))
        return {name: [*self.review.get(name, []), *(["warnings"] if name in self.warned else [])] for name in names}

    def stats(self) -> dict[str, object]:
        """What ``--stats`` writes."""
        return {"documents": self.documents, "processed": self.processed, "cached": self.cached, "failed": len(self.errors),
                "pages_processed": self.pages_processed, "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()}}


def run_corpus(
    paths: Iterable[Path], out: Path, rules: Rules, settings: BatchSettings = BatchSettings(), on_done: OnDone = lambda path, error: None,
    on_wait: Callable[[], None] | None = None, corrections: Corrections = Corrections(),
) -> RunSummary:
    """Extract every document under ``paths`` (cached results reused), apply ``corrections``
    and write the register to ``out``.

    Holds the lock on ``out`` for the whole run. When another run is writing there it waits
    (calling ``on_wait`` once), or, without ``on_wait``, raises :class:`.lock.OutputInUse`
    having written nothing. Failures come back sorted by path
    (``errors.json`` and the site list them in that order, whatever order workers finish in).
    Corrections are applied to the cached extractions, so changing one writes the outputs
    again without extracting anything; a correction that names what its document does not
    hold raises :class:`pipeline.correct.CorrectionError` before any output is written.
    """
    with output_lock(out, on_wait):
        inputs = scan_inputs(paths)
        for path, reason in inputs.skipped:
            on_done(path, reason)
        result = run_batch(inputs.files, rules, out / ".cache", settings, on_done)
        failures = sorted([{"path": str(p), "error": reason} for p, reason in inputs.skipped] + result.errors,
                          key=lambda e: (e["path"], e["error"]))
        errors = [{"path": e["path"], "error": e["error"]} for e in failures]
        plan = plan_register(result.entries, _fingerprint)
        digest = outputs_digest(plan, errors, rules, corrections.digest)
        counts = None if result.processed else outputs_up_to_date(out, digest)
        if counts is None:
            from ..render import render_register  # the writers load jinja2 and openpyxl: only when writing

            with stage_clock(result.stage_seconds, "rendering"):
                corrected, unmatched = _corrected(plan, corrections, rules)
                documents = (corrected.get(p.doc_id) or _registered(p) for p in plan)
                counts = render_register(documents, len(plan), errors, rules, out)
                counts.unmatched = [str(file.path) for file in unmatched]
                record_outputs(out, digest, counts)
    notes = [*result.notes, *(f"{path}: matches no document of the register; not applied" for path in counts.unmatched)]
    return RunSummary(len(plan), counts.afspraken, counts.warnings, failures, result.processed, result.cached, result.pages,
                      result.stage_seconds, counts.review, counts.warned, notes, counts.corrected, counts.stale)


def _registered(planned: Planned) -> Document:
    """A document as the register holds it, before corrections."""
    return apply_plan(load_extraction(planned.entry.cache_file, planned.entry.path).document, planned)


def _corrected(plan: list[Planned], corrections: Corrections, rules: Rules) -> tuple[dict[str, Document], list[CorrectionFile]]:
    """The documents that have a correction file, corrected, and the files that match no
    document. Done before any output is written, so that a correction naming what its
    document does not hold stops the run with the previous outputs intact; only the corrected
    documents are kept in memory."""
    if not corrections.files:
        return {}, []
    found, unmatched = corrections.match((p.doc_id, _registered(p).source.sha256) for p in plan)
    by_id = {p.doc_id: p for p in plan}
    return {doc_id: apply_correction(_registered(by_id[doc_id]), file, rules) for doc_id, file in found.items()}, unmatched


def _fingerprint(entry: Entry) -> Fingerprint:
    extraction = load_extraction(entry.cache_file, entry.path)
    source = extraction.document.source
    parties = frozenset(p.name.lower() for p in extraction.document.parties)
    return Fingerprint(source.sha256, source.format, extraction.words, extraction.length, parties)


def write_stats(path: Path, summary: RunSummary) -> None:
    write_atomic(path, to_json(summary.stats()))
