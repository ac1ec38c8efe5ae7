"""Stage 7 — render: every output of the register, in two steps.

1. :func:`render_document` renders one document: its own pages (``json/``, ``site/``,
   ``markdown/``; :func:`document_pages`) and its *fragment*, its share of the outputs that
   hold every document (register.json, the site's index, comparisons, review queue and
   timelines, CSV, XLSX, SQLite; :func:`document_fragment`), which the run keeps in its cache:
   a document is rendered once, not again on every run.
2. :func:`render_register` writes those aggregate outputs from the documents' fragments, one
   document at a time in doc_id order, and removes the pages of documents no longer in the
   register. A writer that fails leaves the previous outputs in place (``discard``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from ..compare.goals import GoalCollector, document_goals
from ..files import is_safe_doc_id, remove_partial_files, remove_stale
from ..model import Document
from ..model.rules import Rules
from ..model.stages import RenderCounts
from ..timeline.timelines import TimelineCollector, timeline_member
from .csv_files import CsvWriter, csv_share
from .fragment import JSON_PAGE, SUMMARY, TIMELINE, Summary
from .markdown import markdown_page
from .register_json import RegisterWriter, document_json
from .site import SiteWriter, copy_source, document_pages, environment, site_summary
from .sqlite import SqliteWriter, sql_share
from .xlsx import XlsxWriter, xlsx_share

# A document's own pages: folder and suffix (besides its site pages, see ``document_pages``).
PAGES = {"json": ".json", "markdown": ".md"}


def page_paths(doc_id: str) -> list[str]:
    """Where a document's JSON and Markdown pages go, relative to ``--out``."""
    if not is_safe_doc_id(doc_id):  # it names files: json/<doc_id>.json, site/, markdown/
        raise ValueError(f"doc_id {doc_id!r} is not a slug; no output is written under it")
    return [f"{folder}/{doc_id}{suffix}" for folder, suffix in PAGES.items()]


def render_pages(document: Document, rules: Rules, out: Path, timeline: str | None) -> tuple[dict[str, bytes], str | None]:
    """A document's own pages (path under ``--out`` → content; ``timeline``: the timeline page
    its page links to) and the site's copy of its source PDF, copied into ``site/bron/``."""
    json_path, markdown_path = page_paths(document.doc_id)
    pdf = copy_source(document, out / "site")
    pages = {json_path: document_json(document), markdown_path: markdown_page(document, rules)}
    pages |= {f"site/{name}": data for name, data in document_pages(document, rules, pdf, timeline).items()}
    return pages, pdf


def preload_templates() -> None:
    """Compile the templates of a document's pages once, before the workers fork: each of them
    inherits them compiled."""
    for name in ("document.html", "naast.html", "vergelijking_cellen.html", "controleren_document.html", "landelijk_getal.html"):
        environment().get_template(name)
    environment(markdown=True).get_template("document.md")


def render_document(document: Document, rules: Rules, root: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """A document's pages (under ``root``, linking to no timeline; its source PDF copied there)
    and its fragment."""
    pages, pdf = render_pages(document, rules, root, None)
    return pages, document_fragment(document, rules, pdf, pages[page_paths(document.doc_id)[0]])


def document_fragment(document: Document, rules: Rules, pdf: str | None, json_page: bytes | None = None) -> dict[str, bytes]:
    """Everything one document contributes to the aggregate outputs, by section (``json_page``:
    its JSON page, when it is rendered already)."""
    goals = document_goals(document, rules) if document.doc_type == "prestatieafspraken" else None  # for the site and the workbook
    summary = site_summary(document, rules, pdf, goals)
    fragment = {SUMMARY: summary.model_dump_json().encode("utf-8"), JSON_PAGE: json_page or document_json(document)}
    if member := timeline_member(document, rules):
        fragment[TIMELINE] = member[1].model_dump_json().encode("utf-8")
    return {**fragment, **csv_share(document, rules), **xlsx_share(document, rules, goals), **sql_share(document, rules)}


class Writer(Protocol):
    def finish(self, errors: list[dict[str, str]]) -> None: ...
    def discard(self) -> None: ...


@dataclass(frozen=True)
class Part:
    """A document as the aggregate outputs take it: its summary, its fragment (``load``: all
    sections), and whether its rows are new to register.sqlite."""

    summary: Summary
    load: Callable[[], dict[str, bytes]]
    changed: bool = True

    @property
    def doc_id(self) -> str:
        return self.summary.doc_id

    @cached_property
    def fragment(self) -> dict[str, bytes]:
        return self.load()


def render_register(
    parts: Iterable[Part], n_documents: int, errors: list[dict[str, str]], rules: Rules, out: Path,
    timelines: TimelineCollector, sqlite_holds: set[str] | None = None,
) -> RenderCounts:
    """Write the aggregate outputs from ``parts`` (sorted by doc_id; their pages written, their
    timeline members in ``timelines``); return what was written. ``sqlite_holds``: the doc_ids
    register.sqlite holds when it is to be updated in place (the parts not ``changed`` are in
    it as they are), None to build it afresh."""
    remove_partial_files(out)
    goals = GoalCollector(rules)  # the site and the workbook show the same numbers
    register, site, csv = RegisterWriter(out), SiteWriter(rules, out, n_documents, timelines, goals), CsvWriter(out, rules)
    xlsx, sqlite = XlsxWriter(out, rules, timelines, goals), SqliteWriter(out, rules, timelines, sqlite_holds)
    writers: list[Writer] = [register, site, csv, xlsx, sqlite]
    counts = RenderCounts()
    doc_ids: set[str] = set()
    try:
        for part in parts:
            page_paths(part.doc_id)  # a doc_id that is not a slug stops the run
            summary, fragment = part.summary, part.fragment
            if summary.agreement is not None:
                goals.add_goals(summary.agreement.goals)
            register.add(fragment[JSON_PAGE])
            site.add(summary)
            csv.add(fragment)
            xlsx.add(fragment)
            sqlite.add(part.doc_id, part.load, part.changed)
            doc_ids.add(part.doc_id)
            _count(summary, counts)
        for writer in writers:
            writer.finish(errors)
    except BaseException:
        for writer in writers:
            writer.discard()
        raise
    for folder, suffix in PAGES.items():
        remove_stale(out / folder, f"*{suffix}", {f"{doc_id}{suffix}" for doc_id in doc_ids})
    return counts


def _count(summary: Summary, counts: RenderCounts) -> None:
    document = summary.document
    counts.afspraken += summary.afspraken
    counts.warnings += len(document.warnings)
    if document.review:
        counts.review[document.doc_id] = list(document.review)
    if document.warnings:
        counts.warned.append(document.doc_id)
    if document.corrections or document.checked:
        counts.corrected.append(document.doc_id)
    if "stale_correction" in document.review:
        counts.stale.append(document.doc_id)

