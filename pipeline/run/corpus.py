"""The corpus run — the body of ``afspraken extract``, callable in-process: survey the inputs
→ (nothing new: done) → batch → register plan → outputs digest → render → manifest.

What is new is decided from the inputs' bytes and the manifest before anything is loaded: a
run with nothing new loads neither the rules nor the pipeline, and forks no worker.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..clock import stage_clock
from ..files import SUPPORTED_SUFFIXES, folder_corrections_digest, to_json, write_atomic
from ..register import Entry, Fingerprint, plan_register
from .cache import code_digest, load_extraction, tree_digest
from .lock import output_lock
from .manifest import Manifest, outputs_digest, read_manifest, record_outputs
from .outputs import prepare_folders, read_recorded_summaries, write_outputs
from .workers import BatchSettings, OnDone, Survey, run_batch, survey_input

if TYPE_CHECKING:
    from ..correct import Corrections
    from ..model.rules import Rules
    from ..render.fragment import Summary

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

    def record(self) -> dict[str, Any]:
        """What the manifest keeps: the register's counts, the failures, the documents to check."""
        errors = [{"path": e["path"], "error": e["error"]} for e in self.errors]
        return {"documents": self.documents, "afspraken": self.afspraken, "warnings": self.warnings, "errors": errors,
                "found": self.processed + self.cached, "review": self.review, "warned": self.warned, "notes": self.notes,
                "corrected": self.corrected, "stale": self.stale}

    @classmethod
    def recorded(cls, data: dict[str, Any]) -> RunSummary | None:
        """The summary of a run that finds what :meth:`record` kept: nothing processed, every
        document from the cache. None unless every field has its type (a file on disk)."""
        counts: list[Any] = [data.get(name) for name in ("documents", "afspraken", "warnings", "found")]
        errors: Any = data.get("errors")
        review: Any = data.get("review")
        warned: Any = data.get("warned")
        lists: list[Any] = [data.get(name) for name in ("notes", "corrected", "stale")]
        if not (
            all(type(n) is int for n in counts)
            and isinstance(errors, list) and all(isinstance(e, dict) and _strings(list(e.values())) and list(e) == ["path", "error"] for e in errors)
            and isinstance(review, dict) and all(_strings(reasons) for reasons in review.values())
            and _strings(warned) and all(_strings(values) for values in lists)
        ):
            return None
        documents, afspraken, warnings, found = counts
        notes, corrected, stale = lists
        return cls(documents, afspraken, warnings, errors, 0, found, 0, review=review, warned=warned, notes=notes, corrected=corrected,
                   stale=stale)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def survey_inputs(files: list[Path], known: dict[str, list[Any]]) -> tuple[dict[Path, Survey], dict[str, list[Any]]]:
    """:func:`survey_input` of every file, but for a file whose size and mtime (in ns) are what
    the last run recorded with its sha256 (``known``): its bytes are not read again, as make
    and git decide what changed. Also returns, per file hashed, [size, mtime, sha256] for the
    next run, the size and mtime taken before its bytes were read (a file changed meanwhile
    has another mtime next time, and is hashed again)."""
    surveys, stats = {}, {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            surveys[path] = survey_input(path)
            continue
        size, mtime, sha256 = known.get(str(path), (None, None, None))
        if (stat.st_size, stat.st_mtime_ns) == (size, mtime) and stat.st_mtime_ns and path.is_file():
            surveys[path] = Survey(sha256=sha256)
        else:
            surveys[path] = survey_input(path)
        if surveys[path].sha256 is not None:
            stats[str(path)] = [stat.st_size, stat.st_mtime_ns, surveys[path].sha256]
    return surveys, stats


def run_state(inputs: Inputs, surveys: dict[Path, Survey], rules: Rules | Path, corrections: Corrections | Path | None = None) -> str:
    """What a run's results depend on: the pipeline's code, the rules (a folder: its files), the
    correction files, and every input — its path and the sha256 of its bytes, or why it is
    refused or skipped."""
    rules_state = tree_digest(rules) if isinstance(rules, Path) else rules.digest
    files = [[str(path), *surveys[path]] for path in inputs.files]
    skipped = [[str(path), reason] for path, reason in inputs.skipped]
    if isinstance(corrections, Path):
        corrections_state: str | None = folder_corrections_digest(corrections)
    else:
        corrections_state = None if corrections is None else corrections.digest
    state = [code_digest(), rules_state, corrections_state, files, skipped]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def run_corpus(
    paths: Iterable[Path], out: Path, rules: Rules | Path, settings: BatchSettings = BatchSettings(),
    on_done: OnDone = lambda path, error: None, on_wait: Callable[[], None] | None = None, corrections: Corrections | Path | None = None,
) -> RunSummary:
    """Extract every document under ``paths`` (cached results reused), apply ``corrections``
    and write the register to ``out``.

    ``rules``: the rules, or the folder to load them from (only when something is new; a
    malformed rule file then raises :class:`pipeline.model.rules.RuleError`). ``corrections``:
    the correction files, or the folder to load them from (likewise only when something is
    new: a malformed file then raises :class:`pipeline.correct.CorrectionError` before any
    output is written; None: there are none).

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
        manifest = None if settings.force else read_manifest(out)
        surveys, input_stats = survey_inputs(inputs.files, manifest.inputs if manifest is not None else {})
        state = run_state(inputs, surveys, rules, corrections)
        if manifest is not None and manifest.unchanged and manifest.state == state and (summary := RunSummary.recorded(manifest.summary)):
            failed = {e["path"]: e["error"] for e in summary.errors}
            for path in inputs.files:
                on_done(path, failed.get(str(path)))
            return summary
        if isinstance(rules, Path):
            from ..model.rules import load_rules

            rules = load_rules(rules)
        if corrections is None or isinstance(corrections, Path):
            from ..correct import Corrections, load_corrections

            corrections = Corrections() if corrections is None else load_corrections(corrections)
        known = manifest.known_entries() if manifest is not None else {}
        prepare_folders(out)
        read: dict[str, Summary] = {}
        result = run_batch(inputs.files, rules, out / ".cache", settings, on_done, surveys, known, read_recorded_summaries(out, manifest, read))
        failures = sorted([{"path": str(p), "error": reason} for p, reason in inputs.skipped] + result.errors,
                          key=lambda e: (e["path"], e["error"]))
        errors = [{"path": e["path"], "error": e["error"]} for e in failures]
        plan = plan_register(result.entries, _fingerprint)
        digest = outputs_digest(plan, errors, rules.digest, corrections.digest)
        written = None if result.processed else _kept_outputs(manifest, digest)
        outputs = manifest.outputs if manifest is not None else {}
        if written is not None:
            counts = written
        else:
            with stage_clock(result.stage_seconds, "rendering"):
                shas = {path: survey.sha256 for path, survey in surveys.items() if survey.sha256}
                rendered = write_outputs(plan, errors, rules, corrections, out, shas, manifest, result.rendered, read)
            outputs = rendered.outputs
            unmatched_notes = [f"{file.path}: matches no document of the register; not applied" for file in rendered.unmatched]
            counts = RunSummary(len(plan), rendered.counts.afspraken, rendered.counts.warnings, failures, 0, 0, 0, review=rendered.counts.review,
                                warned=rendered.counts.warned, notes=unmatched_notes, corrected=rendered.counts.corrected, stale=rendered.counts.stale)
        summary = RunSummary(len(plan), counts.afspraken, counts.warnings, failures, result.processed, result.cached, result.pages,
                             result.stage_seconds, counts.review, counts.warned, [*result.notes, *counts.notes], counts.corrected, counts.stale)
        entries = {entry.cache_file.stem: entry.doc_id for entry in result.entries}
        record = {**summary.record(), "notes": counts.notes}  # the run's own notes (a damaged cache entry) are not the outputs'
        record_outputs(out, Manifest(None if result.unsettled else state, digest, record, entries, outputs, input_stats))
    return summary


def _kept_outputs(manifest: Manifest | None, digest: str) -> RunSummary | None:
    """What the last run wrote, when that is what this run writes: the same digest, no file
    under --out touched since."""
    if manifest is None or not manifest.unchanged or manifest.digest != digest:
        return None
    return RunSummary.recorded(manifest.summary)


def _fingerprint(entry: Entry) -> Fingerprint:
    extraction = load_extraction(entry.cache_file, entry.path)
    source = extraction.document.source
    parties = frozenset(p.name.lower() for p in extraction.document.parties)
    return Fingerprint(source.sha256, source.format, extraction.words, extraction.length, parties)


def write_stats(path: Path, summary: RunSummary) -> None:
    write_atomic(path, to_json(summary.stats()))
