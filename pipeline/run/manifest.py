"""The outputs manifest: what the last run wrote, so that a run with nothing new does nothing.

It records the run's *state* — the pipeline's code, the rules, every input (its path and the
sha256 of its bytes, or why it was refused) — the *digest* of what the outputs hold (which
extractions under which doc_ids, the failures, code and rules), the run's summary, and the
size and mtime of every file under ``--out`` (outputs and cache). While no file was touched
since: the same state means nothing is new (the recorded summary is the run's, no rules are
loaded, no worker is forked); the same digest means the outputs are up to date.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import SCRATCH_DIR, to_json, write_atomic
from .cache import code_digest
from .lock import LOCK_FILE

if TYPE_CHECKING:
    from ..register import Planned

# Where the last run recorded what it wrote; beside the result cache, not an output.
MANIFEST = Path(".cache") / "outputs.manifest"


def outputs_digest(plan: list[Planned], errors: list[dict[str, str]], rules_digest: str) -> str:
    """Everything the outputs depend on: which extractions under which doc_ids, the failures,
    the pipeline's code and the rules."""
    state = [[p.doc_id, str(p.entry.path), p.entry.cache_file.name, list(p.notes)] for p in plan]
    return hashlib.sha256(json.dumps([code_digest(), rules_digest, state, errors]).encode()).hexdigest()


def file_stats(out: Path) -> dict[str, list[int]]:
    """(size, mtime) of every file under ``out`` — outputs and cache — but the manifest itself,
    the lock and scratch files: if any is touched, the next run looks again."""
    skipped = {str(MANIFEST), str(LOCK_FILE)}
    files = {}
    for folder, subfolders, names in os.walk(out):
        subfolders.sort()
        relative = os.path.relpath(folder, out)
        if Path(relative) == SCRATCH_DIR:
            continue
        for name in sorted(names):
            path = os.path.normpath(os.path.join(relative, name))
            if path not in skipped:
                stat = os.stat(os.path.join(folder, name))
                files[path] = [stat.st_size, stat.st_mtime_ns]
    return files


@dataclass(frozen=True)
class Manifest:
    state: str | None  # None: some failure may not recur, so the next run tries again
    digest: str
    summary: dict[str, Any]  # what the run's summary needs, as recorded (checked by the reader)


def read_manifest(out: Path) -> Manifest | None:
    """What the last run recorded, if no file under ``out`` was touched since; None otherwise
    (also when the manifest is damaged: it is a file on disk like any other)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        state, digest, summary = data["state"], data["digest"], data["summary"]
        if not (state is None or isinstance(state, str)) or not isinstance(digest, str) or not isinstance(summary, dict):
            return None
        if data["files"] != file_stats(out):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Manifest(state, digest, summary)


def record_outputs(out: Path, manifest: Manifest) -> None:
    """Record what the outputs now hold (after they are all written)."""
    data = {"state": manifest.state, "digest": manifest.digest, "summary": manifest.summary, "files": file_stats(out)}
    write_atomic(out / MANIFEST, to_json(data))
