"""Stage 7 — render: every output of the register, written document by document.

Each writer takes documents one at a time (``add``) and writes what needs the whole
register at the end (``finish``); a writer that fails leaves the previous outputs in place
(``discard``). Only one document is in memory at a time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from . import __version__
from .models import Document
from .register import Planned, RegisterWriter, remove_partial_files, to_json, write_atomic
from .render_files import CsvWriter, MarkdownWriter, SqliteWriter, XlsxWriter
from .render_site import SiteWriter
from .rules import Rules


class Writer(Protocol):
    def add(self, document: Document) -> None: ...
    def finish(self, errors: list[dict[str, str]]) -> None: ...
    def discard(self) -> None: ...


def render_register(
    documents: Iterable[Document], n_documents: int, errors: list[dict[str, str]], rules: Rules, out: Path
) -> tuple[int, int]:
    """Write all outputs for ``documents`` (sorted by doc_id); return (afspraken, warnings)."""
    remove_partial_files(out)
    writers: list[Writer] = [RegisterWriter(out), SiteWriter(rules, out, n_documents), MarkdownWriter(out), CsvWriter(out), XlsxWriter(out), SqliteWriter(out)]
    afspraken = warnings = 0
    try:
        for document in documents:
            for writer in writers:
                writer.add(document)
            afspraken += len(document.afspraken)
            warnings += len(document.warnings)
        for writer in writers:
            writer.finish(errors)
    except BaseException:
        for writer in writers:
            writer.discard()
        raise
    return afspraken, warnings


# Where the last run recorded what it wrote; beside the result cache, not an output.
MANIFEST = Path(".cache") / "outputs.manifest"


def outputs_digest(plan: list[Planned], errors: list[dict[str, str]], rules: Rules) -> str:
    """Everything the outputs depend on: which extractions under which doc_ids, the failures,
    the pipeline version and the rules."""
    state = [[p.doc_id, str(p.entry.path), p.entry.cache_file.name, list(p.notes)] for p in plan]
    return hashlib.sha256(json.dumps([__version__, rules.digest, state, errors]).encode()).hexdigest()


def _output_files(out: Path) -> dict[str, list[int]]:
    """(size, mtime) of every file under ``out`` but the cache: if any is touched, render again."""
    files = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if path.is_file() and relative.parts[0] != MANIFEST.parts[0]:
            stat = path.stat()
            files[str(relative)] = [stat.st_size, stat.st_mtime_ns]
    return files


def outputs_up_to_date(out: Path, digest: str) -> tuple[int, int] | None:
    """(afspraken, warnings) of the last run if it wrote the outputs for ``digest`` and they are
    untouched since; None when they must be written."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("digest") != digest or manifest.get("files") != _output_files(out):
        return None
    return manifest["afspraken"], manifest["warnings"]


def record_outputs(out: Path, digest: str, counts: tuple[int, int]) -> None:
    manifest = {"digest": digest, "afspraken": counts[0], "warnings": counts[1], "files": _output_files(out)}
    write_atomic(out / MANIFEST, to_json(manifest))
