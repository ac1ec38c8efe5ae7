"""Writing a run's outputs: each document's fragment and pages only where they are missing or
out of date, then the aggregate outputs from every fragment, in doc_id order.

A document's fragment depends on its fragment id (:func:`fragment_id`: its extraction, path,
doc_id, the register's notes and its correction file); it is kept in the cache under that id.
Its pages depend on that id and on the timeline page they link to; they are kept when the
manifest says the last run wrote them for the same two and nobody touched them since.
register.sqlite is updated in place for the documents whose fragment changed, when the last
run wrote it with this code and at most half of the documents changed; otherwise it is
written afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import write_atomic
from ..register import Entry, Planned, apply_plan
from .cache import load_extraction
from .manifest import CACHE, Manifest

if TYPE_CHECKING:
    from ..correct import CorrectionFile, Corrections
    from ..model import Document
    from ..model.rules import Rules
    from ..model.stages import RenderCounts
    from ..render import Part
    from ..render.fragment import Summary
    from ..timeline.timelines import TimelineDocument

# Beside the extractions: each document's fragment, named by its fragment id, and the pages
# workers rendered, waiting to be moved into place once the register is planned.
FRAGMENTS = "fragments"
STAGED = "staged"


def fragment_id(planned: Planned, correction: str | None) -> str:
    """What a document's rendered outputs depend on: its extraction (the cache key: file, code
    and rules), the path it was read from, its doc_id in the register, the notes the register
    adds and its correction file's digest."""
    entry = planned.entry
    return hashlib.sha256(json.dumps([entry.cache_file.stem, str(entry.path), planned.doc_id, list(planned.notes), correction]).encode()).hexdigest()


@dataclass(frozen=True)
class Written:
    """What the outputs now hold: the counts, per doc_id the fragment id and timeline page its
    pages were rendered with, and the correction files that match no document."""

    counts: RenderCounts
    outputs: dict[str, list[str | None]]
    unmatched: list[CorrectionFile]


def read_recorded_summaries(out: Path, previous: Manifest | None, into: dict[str, Summary]) -> Iterator[None]:
    """The summaries of the fragments the last run recorded, untouched since, read into
    ``into`` (fragment id → summary), one per step: what the main process does while workers
    extract, so that :func:`write_outputs` finds them read."""
    if previous is None:
        return
    from ..render.fragment import SUMMARY, load_fragment, read_summary

    for fid, _ in previous.outputs.values():
        if fid is not None and f"{CACHE}/{FRAGMENTS}/{fid}" in previous.untouched:
            try:
                into[fid] = read_summary(load_fragment(out / CACHE / FRAGMENTS / fid, [SUMMARY]))
            except ValueError:  # damaged: write_outputs renders the document again
                pass
            yield None


def write_outputs(
    plan: list[Planned], errors: list[dict[str, str]], rules: Rules, corrections: Corrections, out: Path, shas: dict[Path, str],
    previous: Manifest | None, rendered: set[str], read: dict[str, Summary] | None = None,
) -> Written:
    """Write every output for ``plan`` (``shas``: the sha256 of each input, ``previous``: what
    the last run recorded, ``rendered``: the fragments workers rendered in this run, ``read``:
    summaries :func:`read_recorded_summaries` read already).

    A fragment holds rendered output (HTML cells, XML rows, CSV text), which cannot be checked
    the way a document is: it is used only when this run rendered it or the last run recorded
    it and nobody touched it since (the manifest's sizes and mtimes); else the document is
    rendered again from its cache entry, which is validated. A correction that names what its document does not hold raises
    :class:`pipeline.correct.CorrectionError` before any output is written."""
    from ..render import Part, render_register
    from ..render.fragment import SUMMARY, load_fragment, read_summary
    from ..timeline.timelines import TimelineCollector

    folder = out / CACHE / FRAGMENTS
    found, unmatched = corrections.match((p.doc_id, shas.get(p.entry.path, "")) for p in plan)
    fids = {p.doc_id: fragment_id(p, found[p.doc_id].digest if p.doc_id in found else None) for p in plan}
    corrected = _corrected([p for p in plan if p.doc_id in found and not (folder / fids[p.doc_id]).is_file()], found, rules)

    def document(planned: Planned) -> Document:
        return corrected.get(planned.doc_id) or apply_plan(load_extraction(planned.entry.cache_file, planned.entry.path).document, planned)

    recorded = previous.outputs if previous is not None else {}
    untouched = previous.untouched if previous is not None else frozenset()
    summaries: dict[str, Summary] = {}
    fresh: set[str] = set()  # rendered in this run, their pages linking to no timeline
    timelines = TimelineCollector(rules)
    for planned in plan:
        doc_id, fid = planned.doc_id, fids[planned.doc_id]
        path = folder / fid
        try:
            if not (fid in rendered or f"{CACHE}/{FRAGMENTS}/{fid}" in untouched):
                raise ValueError(f"{path}: not written by this run or the last one")
            summaries[doc_id] = (read or {}).get(fid) or read_summary(load_fragment(path, [SUMMARY]))
        except ValueError:  # missing, damaged or touched: rendered again
            summaries[doc_id] = read_summary(_render(document(planned), rules, out, path))
            fresh.add(doc_id)
        if (group := summaries[doc_id].timeline_group) is not None:
            timelines.add_member(tuple(group), doc_id, partial(_timeline_member, path))
    on_timeline = timelines.pages()
    outputs: dict[str, list[str | None]] = {}
    for planned in plan:
        doc_id, timeline = planned.doc_id, on_timeline.get(planned.doc_id)
        outputs[doc_id] = [fids[doc_id], timeline]
        if doc_id in fresh and timeline is None:
            continue
        if timeline is None and fids[doc_id] in rendered and _place_staged(out, fids[doc_id], _pages(summaries[doc_id])):
            continue
        if recorded.get(doc_id) != outputs[doc_id] or not all(page in untouched for page in _pages(summaries[doc_id])):
            _write_pages(document(planned), rules, out, timeline)
    changed = {doc_id for doc_id, fid in fids.items() if recorded.get(doc_id, [None])[0] != fid}
    # The fragment id holds the code's digest (in the cache key): no fragment is unchanged
    # when the code changed, so a database written by other code is never updated in place.
    in_place = "register.sqlite" in untouched and 2 * len(changed) <= len(plan)

    def parts() -> Iterator[Part]:
        for planned in plan:
            yield Part(summaries[planned.doc_id], partial(load_fragment, folder / fids[planned.doc_id]), changed=planned.doc_id in changed)

    counts = render_register(parts(), len(plan), errors, rules, out, timelines, set(recorded) if in_place else None)
    for stale in folder.glob("*"):
        if stale.name not in fids.values():
            stale.unlink()
    shutil.rmtree(out / CACHE / STAGED, ignore_errors=True)
    return Written(counts, outputs, unmatched)


def prepare_folders(out: Path) -> None:
    """The fragment and staging folders as plain folders inside ``--out`` before workers write
    there: pages a killed run staged are removed, and a symbolic link in their place (a file on
    disk like any other) is removed, not followed."""
    for folder in (out / CACHE / STAGED, out / CACHE / FRAGMENTS):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            folder.unlink()
        elif folder.name == STAGED:
            shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)


def stage_rendered(document: Document, path: Path, cache_file: Path, rules: Rules) -> str:
    """Render a document just extracted (in a worker) as the register takes it when nothing
    changes it: under its own doc_id, with no notes or correction. Its fragment goes into the
    cache, its pages to ``<cache>/staged/<fragment id>/``; returns the fragment id."""
    cache = cache_file.parent
    fid = fragment_id(Planned(Entry(path, document.doc_id, cache_file), document.doc_id), None)
    staged = cache / STAGED / fid
    _render(document, rules, staged, cache / FRAGMENTS / fid)
    return fid


def _place_staged(out: Path, fid: str, pages: list[str]) -> bool:
    """Move a document's staged pages into place; False when they are not all there."""
    staged = out / CACHE / STAGED / fid
    if not all((staged / page).is_file() for page in pages):
        return False
    for page in pages:
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged / page, out / page)
    return True


def _timeline_member(fragment_file: Path) -> TimelineDocument:
    from ..render.fragment import TIMELINE, load_fragment, read_timeline

    return read_timeline(load_fragment(fragment_file, [TIMELINE]))


def _pages(summary: Summary) -> list[str]:
    """A document's pages under ``--out``: JSON, Markdown, its site page, for an agreement its
    columns, and the site's copy of its PDF."""
    from ..render import page_paths
    from ..render.site import columns_script, doc_page

    site = [doc_page(summary.doc_id), *([columns_script(summary.doc_id)] if summary.agreement else []), *([summary.pdf] if summary.pdf else [])]
    return [*page_paths(summary.doc_id), *(f"site/{name}" for name in site)]


def _write_pages(document: Document, rules: Rules, out: Path, timeline: str | None) -> None:
    """Render and write a document's pages, linking to its ``timeline`` page."""
    from ..render import render_pages

    _write(out, render_pages(document, rules, out, timeline)[0])


def _render(document: Document, rules: Rules, root: Path, fragment_file: Path) -> dict[str, bytes]:
    """A document rendered: its pages written under ``root`` (linking to no timeline), its
    fragment kept and returned."""
    from ..render import render_document
    from ..render.fragment import store_fragment

    pages, fragment = render_document(document, rules, root)
    _write(root, pages)
    store_fragment(fragment_file, fragment)
    return fragment


def _write(root: Path, pages: dict[str, bytes]) -> None:
    for page, data in pages.items():
        write_atomic(root / page, data)


def _corrected(plan: list[Planned], found: dict[str, CorrectionFile], rules: Rules) -> dict[str, Document]:
    """The documents of ``plan`` with their correction applied. Done before any output is
    written, so that a correction naming what its document does not hold stops the run with
    the previous outputs intact; only these documents (to be rendered) are kept in memory."""
    from ..correct import apply_correction

    return {
        p.doc_id: apply_correction(apply_plan(load_extraction(p.entry.cache_file, p.entry.path).document, p), found[p.doc_id], rules)
        for p in plan
    }
