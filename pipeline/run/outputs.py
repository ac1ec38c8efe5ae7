"""Writing a run's outputs: each document's pages and fragment only where they are missing or
out of date, then the aggregate outputs from every fragment, in doc_id order.

A document's outputs depend on its fragment id (:func:`.cache.fragment_id`: its extraction,
path, doc_id and notes). Its pages and fragment are kept when the manifest says the last run
wrote them for the same id and nobody touched them since; else the pages a worker rendered in
this run are moved into place; else (a document whose doc_id clashes, a PDF with a text twin,
a touched page) it is rendered here from its cache entry. register.sqlite is updated in place
for the documents whose id changed, when the last run wrote it with this code and at most half
of the documents changed; otherwise it is written afresh.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import write_atomic
from ..register import Planned, apply_plan
from .cache import FRAGMENTS, STAGED, code_digest, fragment_id, load_extraction, load_fragment, place_pages, store_fragment
from .manifest import CACHE, Manifest

if TYPE_CHECKING:
    from ..model.rules import Rules
    from ..model.stages import RenderCounts
    from ..render import Part


def write_outputs(
    plan: list[Planned], errors: list[dict[str, str]], rules: Rules, out: Path, staged: set[str], previous: Manifest | None
) -> tuple[RenderCounts, dict[str, str]]:
    """Write every output for ``plan``; ``staged``: fragments the workers rendered in this run,
    ``previous``: what the last run recorded. Returns what was written and, per doc_id, the
    fragment its outputs now hold."""
    from ..render import render_register  # the writers load jinja2: only when writing

    cache = out / CACHE
    fids = {p.doc_id: fragment_id(p.entry.cache_file.stem, p.entry.path, p.doc_id, p.notes) for p in plan}
    recorded = previous.outputs if previous is not None else {}
    untouched = previous.untouched if previous is not None else frozenset()
    changed = sum(recorded.get(doc_id) != fid for doc_id, fid in fids.items())
    in_place = previous is not None and previous.code == code_digest() and "register.sqlite" in untouched and 2 * changed <= len(plan)

    def parts() -> Iterator[Part]:
        for planned in plan:
            fid = fids[planned.doc_id]
            trusted = fid in staged or f"{CACHE}/{FRAGMENTS}/{fid}" in untouched
            yield _part(planned, fid, rules, out, trusted, recorded.get(planned.doc_id) == fid, untouched)

    counts = render_register(parts(), len(plan), errors, rules, out, set(recorded) if in_place else None)
    for stale in (cache / FRAGMENTS).glob("*"):
        if stale.name not in fids.values():
            stale.unlink()
    shutil.rmtree(cache / STAGED, ignore_errors=True)
    return counts, fids


def _part(planned: Planned, fid: str, rules: Rules, out: Path, trusted: bool, recorded: bool, untouched: frozenset[str]) -> Part:
    """A document's part of the aggregates, its pages in place (``trusted``: its fragment was
    written by this run or the last; ``recorded``: the last run wrote its outputs for ``fid``)."""
    from ..render import Part, page_paths, render_document

    cache, pages = out / CACHE, page_paths(planned.doc_id)
    if trusted:
        try:
            fragment = load_fragment(cache / FRAGMENTS / fid)
        except ValueError:
            fragment = None
        current = recorded and all(page in untouched for page in pages)
        if fragment is not None and (current or place_pages(cache, fid, out, pages)):
            return Part(planned.doc_id, fragment, (out / pages[0]).read_bytes(), changed=not recorded)
    document = apply_plan(load_extraction(planned.entry.cache_file, planned.entry.path).document, planned)
    rendered = render_document(document, rules)
    for page, data in rendered.pages.items():
        write_atomic(out / page, data)
    store_fragment(cache / FRAGMENTS / fid, rendered.fragment)
    return rendered.part(changed=not recorded)
