"""The outputs manifest: what the last run wrote, so that an unchanged run writes nothing.

The outputs are up to date when the digest of everything they depend on (which extractions
under which doc_ids, the failures, the pipeline's code, the rules and the correction files) is the one recorded,
and no output file was touched since.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..files import to_json, write_atomic
from ..model.rules import Rules
from ..register import Planned
from ..model.stages import RenderCounts
from .cache import code_digest


# Where the last run recorded what it wrote; beside the result cache, not an output.
MANIFEST = Path(".cache") / "outputs.manifest"


def outputs_digest(plan: list[Planned], errors: list[dict[str, str]], rules: Rules, corrections: str) -> str:
    """Everything the outputs depend on: which extractions under which doc_ids, the failures,
    the pipeline's code, the rules and the correction files (``corrections``: their digest)."""
    state = [[p.doc_id, str(p.entry.path), p.entry.cache_file.name, list(p.notes)] for p in plan]
    return hashlib.sha256(json.dumps([code_digest(), rules.digest, corrections, state, errors]).encode()).hexdigest()


def _output_files(out: Path) -> dict[str, list[int]]:
    """(size, mtime) of every file under ``out`` but the cache: if any is touched, render again."""
    files = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if path.is_file() and relative.parts[0] != MANIFEST.parts[0]:
            stat = path.stat()
            files[str(relative)] = [stat.st_size, stat.st_mtime_ns]
    return files


def outputs_up_to_date(out: Path, digest: str) -> RenderCounts | None:
    """What the last run wrote, if it wrote the outputs for ``digest`` and they are untouched
    since; None when they must be written (also when the manifest is damaged: it is a file on
    disk like any other)."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("digest") != digest or manifest.get("files") != _output_files(out):
            return None
        return RenderCounts.model_validate(manifest["counts"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record_outputs(out: Path, digest: str, counts: RenderCounts) -> None:
    manifest = {"digest": digest, "counts": counts.model_dump(), "files": _output_files(out)}
    write_atomic(out / MANIFEST, to_json(manifest))
