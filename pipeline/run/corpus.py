"""The corpus run — the body of ``afspraken extract``, callable in-process: batch → register
plan → outputs digest → render → manifest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..extract import stage_clock
from ..files import to_json, write_atomic
from ..register import apply_plan, plan_register
from ..model.rules import Rules
from .cache import load_extraction
from .manifest import outputs_digest, outputs_up_to_date, record_outputs
from .workers import BatchSettings, OnDone, run_batch


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the files inside given folders (recursively), PDFs first.

    PDFs come first because when a PDF and its text export are both given, the register
    keeps the PDF: that is how documents arrive and it has page numbers.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        else:
            found.append(path)
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda p: (p.suffix.lower() != ".pdf", str(p)))


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

    def stats(self) -> dict[str, object]:
        """What ``--stats`` writes."""
        return {"documents": self.documents, "processed": self.processed, "cached": self.cached, "failed": len(self.errors),
                "pages_processed": self.pages_processed, "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()}}


def run_corpus(
    paths: Iterable[Path], out: Path, rules: Rules, settings: BatchSettings = BatchSettings(), on_done: OnDone = lambda path, error: None
) -> RunSummary:
    """Extract every document under ``paths`` (cached results reused) and write the register to ``out``."""
    inputs = find_inputs(paths)
    result = run_batch(inputs, rules, out / ".cache", settings, on_done)
    errors = [{"path": e["path"], "error": e["error"]} for e in result.errors]
    plan = plan_register(result.entries, lambda entry: load_extraction(entry.cache_file, entry.path).words)
    digest = outputs_digest(plan, errors, rules)
    counts = None if result.processed else outputs_up_to_date(out, digest)
    if counts is None:
        from ..render import render_register  # the writers load jinja2 and openpyxl: only when writing

        with stage_clock(result.stage_seconds, "rendering"):
            documents = (apply_plan(load_extraction(p.entry.cache_file, p.entry.path).document, p) for p in plan)
            counts = render_register(documents, len(plan), errors, rules, out)
            record_outputs(out, digest, counts)
    return RunSummary(len(plan), counts.afspraken, counts.warnings, result.errors, result.processed, result.cached, result.pages,
                      result.stage_seconds, counts.review)


def write_stats(path: Path, summary: RunSummary) -> None:
    write_atomic(path, to_json(summary.stats()))
