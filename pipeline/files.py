"""Files on disk: which inputs are read, outputs written atomically (a reader sees the old file
or the whole new one), JSON as the register writes it, and clean-up of what a killed run or a
removed document left."""

from __future__ import annotations

import hashlib
import json
import re
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

# The input files the pipeline reads, by suffix, and their format.
SUPPORTED_SUFFIXES = {".pdf": "pdf", ".txt": "text"}

_mode_lock = threading.Lock()
_file_mode: int | None = None


def _read_umask() -> int:
    """The process umask: on Linux from ``/proc/self/status`` ("Umask:\t0022"), which reads it
    without changing it; elsewhere by setting it and setting it back (under the lock)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split(":", 1)[1].strip(), 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode of an output file: ``0o666`` less the umask, read once on first use.

    mkstemp creates files readable by their owner only; outputs get the usual permissions."""
    global _file_mode
    if _file_mode is None:
        with _mode_lock:
            if _file_mode is None:
                _file_mode = 0o666 & ~_read_umask()
    return _file_mode


class AtomicFile:
    """A file written in pieces beside its destination and renamed into place on commit,
    so readers see the old file or the whole new one, never half of it."""

    def __init__(self, path: Path, mode: str = "wb", **open_args: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        self.path, self.tmp = path, Path(tmp)
        self.handle: IO[Any] = os.fdopen(fd, mode, **open_args)

    def commit(self) -> None:
        self.handle.close()
        os.chmod(self.tmp, file_mode())
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place; a file that already
    holds ``data`` is left as it is (a run that changes one document rewrites only what changed)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    target = AtomicFile(path)
    try:
        target.handle.write(data)
    except BaseException:
        target.discard()
        raise
    target.commit()


# Where a run spools what it writes in pieces (the workbook's sheets): inside --out, beside the
# result cache, never in the system temp folder.
SCRATCH_DIR = Path(".cache") / "tmp"


def remove_partial_files(out: Path) -> None:
    """Temporary files a killed run left behind (``.<name>.<random>`` beside the outputs, and
    whatever is in the scratch folder); the real files are intact."""
    for path in out.rglob(".*"):
        if path.is_file():
            path.unlink()
    scratch = out / SCRATCH_DIR
    if scratch.is_dir():
        for path in scratch.iterdir():
            if path.is_file() or path.is_symlink():
                path.unlink()


def remove_stale(folder: Path, pattern: str, current: set[str]) -> None:
    """Files of documents no longer in the register, so a folder describes the same documents."""
    for stale in folder.glob(pattern):
        if stale.name not in current:
            stale.unlink()


def to_json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")




# A doc_id is a file name (json/, site/, markdown/) and a link on the site: a slug, nothing else.
DOC_ID_MAX = 80
DOC_ID_PATTERN = re.compile(rf"[a-z0-9](?:[a-z0-9-]{{0,{DOC_ID_MAX - 1}}})")
# What safe_doc_id leaves room for: a clash suffix ("-2") must still fit in DOC_ID_MAX.
_DOC_ID_STEM_MAX = DOC_ID_MAX - 8


def is_safe_doc_id(doc_id: object) -> bool:
    """Lowercase letters, digits and hyphens, starting with a letter or digit, at most 80 characters."""
    return isinstance(doc_id, str) and DOC_ID_PATTERN.fullmatch(doc_id) is not None


def safe_doc_id(doc_id: str, sha256: str) -> str:
    """``doc_id`` as a safe slug: anything else than ``a-z0-9`` becomes a hyphen, at most 72
    characters; when nothing is left (a file named ``---.txt``), ``document-<first 8 hex of sha256>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", doc_id.lower()).strip("-")[:_DOC_ID_STEM_MAX].strip("-")
    return slug or f"document-{sha256[:8]}"


def printable(text: str) -> str:
    """``text`` for one line of a terminal: control characters (newline, escape, …) and
    undecodable bytes escaped as in a Python string literal, so a file name cannot forge a line."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii") for ch in text)


# Correction files (corrections/): listed and hashed here, without parsing them, so that a run
# with nothing new tells so without loading the correction models (pipeline.correct).
CORRECTION_SUFFIXES = (".yaml", ".yml")


def correction_files(folder: Path) -> list[Path]:
    """The correction files of a folder (``*.yaml``, ``*.yml``, not hidden), sorted by name."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in CORRECTION_SUFFIXES and not p.name.startswith("."))


def corrections_digest(files: Iterable[tuple[str, str]]) -> str:
    """What the outputs depend on of the correction files: each one's name and the sha256 of its bytes."""
    return hashlib.sha256("".join(f"{name}\0{digest}\0" for name, digest in files).encode()).hexdigest()


def folder_corrections_digest(folder: Path) -> str:
    """:func:`corrections_digest` of the files in ``folder``, read but not parsed."""
    return corrections_digest((path.name, hashlib.sha256(path.read_bytes()).hexdigest()) for path in correction_files(folder))
