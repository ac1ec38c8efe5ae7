"""Stage 7 — render: every output of the register, in two steps.

1. :func:`render_document` renders one document: its own pages (``json/``, ``site/``,
   ``markdown/``) and its *fragment*, its share of the outputs that hold every document
   (register.json, the site's index and comparison, CSV, XLSX, SQLite) — what the run keeps in
   its cache, so that a document is rendered once (in the worker that extracted it), not
   again on every run.
2. :func:`render_register` writes those aggregate outputs from the documents' parts, one
   document at a time in doc_id order, and removes the pages of documents no longer in the
   register. A writer that fails leaves the previous outputs in place (``discard``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from ..files import is_safe_doc_id, remove_partial_files, remove_stale
from ..model import Document
from ..model.rules import Rules
from ..model.stages import RenderCounts
from .csv_files import CsvWriter, csv_share
from .markdown import markdown_page
from .register_json import RegisterWriter, document_json, register_share
from .site import SITE_PAGES, SiteWriter, Summary, document_page, site_summary
from .sqlite import SqliteWriter, sql_share
from .xlsx import XlsxWriter, xlsx_share

# A document's own pages: folder and suffix.
PAGES = {"json": ".json", "site": ".html", "markdown": ".md"}


def page_paths(doc_id: str) -> list[str]:
    """Where a document's pages go, relative to ``--out``."""
    if not is_safe_doc_id(doc_id):  # it names files: json/<doc_id>.json, site/, markdown/
        raise ValueError(f"doc_id {doc_id!r} is not a slug; no output is written under it")
    return [f"{folder}/{doc_id}{suffix}" for folder, suffix in PAGES.items()]


@dataclass(frozen=True)
class Part:
    """A document as the aggregate outputs take it: its fragment, its JSON page (register.json
    indents it), and whether its rows are new to register.sqlite."""

    doc_id: str
    fragment: dict[str, bytes]
    json_page: bytes
    changed: bool = True

    @cached_property
    def summary(self) -> Summary:
        return Summary.parse(self.fragment["summary"])


@dataclass(frozen=True)
class Rendered:
    """One document rendered: its pages (path under ``--out`` → content) and its fragment."""

    doc_id: str
    pages: dict[str, bytes]
    fragment: dict[str, bytes]

    def part(self, changed: bool = True) -> Part:
        return Part(self.doc_id, self.fragment, self.pages[page_paths(self.doc_id)[0]], changed)


def render_document(document: Document, rules: Rules) -> Rendered:
    """Everything one document contributes to the outputs."""
    json_path, site_path, markdown_path = page_paths(document.doc_id)
    pages = {json_path: document_json(document), site_path: document_page(document), markdown_path: markdown_page(document)}
    fragment = {
        "summary": site_summary(document, rules), **register_share(pages[json_path]), **csv_share(document), **xlsx_share(document),
        "sql": sql_share(document),
    }
    return Rendered(document.doc_id, pages, fragment)


class Writer(Protocol):
    def add(self, part: Part) -> None: ...
    def finish(self, errors: list[dict[str, str]]) -> None: ...
    def discard(self) -> None: ...


def render_register(
    parts: Iterable[Part], n_documents: int, errors: list[dict[str, str]], rules: Rules, out: Path, sqlite_holds: set[str] | None = None
) -> RenderCounts:
    """Write the aggregate outputs from ``parts`` (sorted by doc_id, their pages written);
    return what was written. ``sqlite_holds``: the doc_ids register.sqlite holds when it is
    to be updated in place (the parts not ``changed`` are in it as they are), None to build
    it afresh."""
    remove_partial_files(out)
    writers: list[Writer] = [RegisterWriter(out), SiteWriter(rules, out, n_documents), CsvWriter(out), XlsxWriter(out), SqliteWriter(out, sqlite_holds)]
    counts = RenderCounts()
    doc_ids: set[str] = set()
    try:
        for part in parts:
            page_paths(part.doc_id)  # a doc_id that is not a slug stops the run
            for writer in writers:
                writer.add(part)
            summary = part.summary
            doc_ids.add(part.doc_id)
            counts.afspraken += summary.afspraken
            counts.warnings += summary.warnings
            if summary.review:
                counts.review[part.doc_id] = list(summary.review)
            if summary.warnings:
                counts.warned.append(part.doc_id)
        for writer in writers:
            writer.finish(errors)
    except BaseException:
        for writer in writers:
            writer.discard()
        raise
    for folder, suffix in PAGES.items():
        kept = {f"{doc_id}{suffix}" for doc_id in doc_ids} | (SITE_PAGES if folder == "site" else set())
        remove_stale(out / folder, f"*{suffix}", kept)
    return counts
