"""Stage 7 — render: every output of the register, written document by document.

Each writer takes documents one at a time (``add``) and writes what needs the whole
register at the end (``finish``); a writer that fails leaves the previous outputs in place
(``discard``). Only one document is in memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from ..compare.goals import GoalCollector
from ..files import is_safe_doc_id, remove_partial_files
from ..model import Document
from ..model.stages import RenderCounts
from ..model.rules import Rules
from ..timeline.timelines import TimelineCollector
from .csv_files import CsvWriter
from .markdown import MarkdownWriter
from .register_json import RegisterWriter
from .site import SiteWriter
from .sqlite import SqliteWriter
from .xlsx import XlsxWriter, xlsx_share


class Writer(Protocol):
    def add(self, document: Document) -> None: ...
    def finish(self, errors: list[dict[str, str]]) -> None: ...
    def discard(self) -> None: ...


def render_register(
    documents: Iterable[Document], n_documents: int, errors: list[dict[str, str]], rules: Rules, out: Path
) -> RenderCounts:
    """Write all outputs for ``documents`` (sorted by doc_id); return what was written."""
    remove_partial_files(out)
    timelines = TimelineCollector(rules)  # the writers' finish reads the timelines of all documents
    goals = GoalCollector(rules)  # the site and the workbook show the same numbers: read once
    writers: list[Writer] = [
        RegisterWriter(out), SiteWriter(rules, out, n_documents, timelines, goals), MarkdownWriter(out, rules), CsvWriter(out, rules),
        SqliteWriter(out, rules, timelines),
    ]
    xlsx = XlsxWriter(out, rules, timelines, goals)  # takes a document's rows, rendered once (xlsx_share)
    every: list[Writer | XlsxWriter] = [*writers, xlsx]
    counts = RenderCounts()
    try:
        for document in documents:
            if not is_safe_doc_id(document.doc_id):  # it names files: json/<doc_id>.json, site/, markdown/
                raise ValueError(f"doc_id {document.doc_id!r} is not a slug; no output is written under it")
            timelines.add(document)
            goals.add(document)
            for writer in writers:
                writer.add(document)
            xlsx.add(xlsx_share(document, rules))
            counts.afspraken += len(document.afspraken)
            counts.warnings += len(document.warnings)
            if document.review:
                counts.review[document.doc_id] = list(document.review)
            if document.warnings:
                counts.warned.append(document.doc_id)
            if document.corrections or document.checked:
                counts.corrected.append(document.doc_id)
            if "stale_correction" in document.review:
                counts.stale.append(document.doc_id)
        for each in every:
            each.finish(errors)
    except BaseException:
        for each in every:
            each.discard()
        raise
    return counts
