"""The outputs manifest: what the last run wrote, so that a run does only what is new.

It records the run's *state* — the pipeline's code, the rules, the correction files, every
input (its path and the sha256 of its bytes, or why it was refused) — the *digest* of what the
outputs hold (which extractions under which doc_ids, the failures, code, rules and correction
files), the run's summary, the doc_id of each cache entry, and the size and mtime of every
file under ``--out`` (outputs and cache). While no file was touched since, the same state means
nothing is new (the recorded summary is the run's, no rules are loaded, no worker is forked)
and the same digest that the outputs are up to date. A cache entry the manifest recorded and
nobody touched since is not validated again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import SCRATCH_DIR, is_safe_doc_id, write_atomic
from .cache import code_digest
from .lock import LOCK_FILE

if TYPE_CHECKING:
    from ..register import Planned

_SHA256 = re.compile(r"[0-9a-f]{64}")

# The result cache, and where the last run recorded what it wrote (beside it, not an output).
CACHE = ".cache"
MANIFEST = Path(CACHE) / "outputs.manifest"


def outputs_digest(plan: list[Planned], errors: list[dict[str, str]], rules_digest: str, corrections: str) -> str:
    """Everything the outputs depend on: which extractions under which doc_ids, the failures,
    the pipeline's code, the rules and the correction files (``corrections``: their digest)."""
    state = [[p.doc_id, str(p.entry.path), p.entry.cache_file.name, list(p.notes)] for p in plan]
    return hashlib.sha256(json.dumps([code_digest(), rules_digest, corrections, state, errors]).encode()).hexdigest()


def file_stats(out: Path) -> dict[str, list[int]]:
    """(size, mtime) of every file under ``out`` — outputs and cache — but the manifest itself,
    the lock and scratch files: if any is touched, the next run looks again."""
    skipped = {str(MANIFEST), str(LOCK_FILE), str(SCRATCH_DIR)}
    files: dict[str, list[int]] = {}

    def walk(folder: str, prefix: str) -> None:  # as os.walk, without its per-file path handling
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = prefix + entry.name
            if path in skipped:
                continue
            if entry.is_dir():
                if not entry.is_symlink():  # a link to a folder is not followed
                    walk(entry.path, path + "/")
            else:
                stat = entry.stat()
                files[path] = [stat.st_size, stat.st_mtime_ns]

    if out.is_dir():
        walk(str(out), "")
    return files


@dataclass(frozen=True)
class Manifest:
    state: str | None  # None: some failure may not recur, so the next run tries again
    digest: str
    summary: dict[str, Any]  # what the run's summary needs, as recorded (checked by the reader)
    entries: dict[str, str]  # cache key → the doc_id of its extraction
    outputs: dict[str, list[str | None]] = field(default_factory=dict)  # doc_id → its fragment id and timeline page
    inputs: dict[str, list[Any]] = field(default_factory=dict)  # input path → [size, mtime in ns, sha256]
    untouched: frozenset[str] = frozenset()  # recorded files unchanged since (set when read)
    unchanged: bool = False  # no file under --out was touched, added or removed since

    def known_entries(self) -> dict[str, str]:
        """The cache entries the last run read or wrote, untouched since: key → doc_id."""
        return {key: doc_id for key, doc_id in self.entries.items() if f"{CACHE}/{key}.json" in self.untouched}


def _mapping(value: object, values: Callable[[str], bool] = lambda v: True) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and values(v) for k, v in value.items()):
        raise TypeError("expected a mapping of strings")
    return value


def _output(doc_id: object, value: object) -> bool:
    """A document's outputs as recorded: [fragment id, timeline page or null]."""
    return (
        is_safe_doc_id(doc_id) and isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
        and (value[1] is None or isinstance(value[1], str))
    )


def _input(path: object, value: object) -> bool:
    """An input as recorded: [size, mtime in ns, sha256]."""
    return (
        isinstance(path, str) and isinstance(value, list) and len(value) == 3 and all(type(n) is int and n >= 0 for n in value[:2])
        and isinstance(value[2], str) and _SHA256.fullmatch(value[2]) is not None
    )


def read_manifest(out: Path) -> Manifest | None:
    """What the last run recorded, and which of its files are untouched since; None when there
    is no manifest or it is damaged (it is a file on disk like any other)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        state, digest, summary, recorded = data["state"], data["digest"], data["summary"], data["files"]
        if not (state is None or isinstance(state, str)) or not isinstance(digest, str) or not isinstance(summary, dict):
            return None
        if not isinstance(recorded, dict):
            return None
        entries = _mapping(data["entries"], is_safe_doc_id)
        outputs, inputs = data["outputs"], data["inputs"]
        if not (isinstance(outputs, dict) and all(_output(doc_id, value) for doc_id, value in outputs.items())):
            return None
        if not (isinstance(inputs, dict) and all(_input(path, value) for path, value in inputs.items())):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    files = file_stats(out)
    untouched = frozenset(path for path, stat in recorded.items() if files.get(path) == stat)
    return Manifest(state, digest, summary, entries, outputs, inputs, untouched, files == recorded)


def record_outputs(out: Path, manifest: Manifest) -> None:
    """Record what the outputs now hold (after they are all written)."""
    data = {"state": manifest.state, "digest": manifest.digest, "summary": manifest.summary, "entries": manifest.entries,
            "outputs": manifest.outputs, "inputs": manifest.inputs, "files": file_stats(out)}
    write_atomic(out / MANIFEST, json.dumps(data, separators=(",", ":")).encode("utf-8"))  # compact: read by the next run only
