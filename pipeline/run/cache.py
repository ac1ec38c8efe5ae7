"""The result cache: one JSON file per extracted document in ``<out>/.cache/``.

An entry is keyed by what the result depends on: the file's bytes, the rules, and the
pipeline's own source code (a digest of every file of the package), so that a new version
of the code never serves results of the old one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import is_safe_doc_id, to_json, write_atomic

if TYPE_CHECKING:  # the models are loaded only when an entry is read or written
    from ..model import Extraction

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def tree_digest(folder: Path) -> str:
    """sha256 over the files under ``folder`` (paths and contents; compiled Python left out)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """sha256 over the pipeline's source files and templates (paths and contents)."""
    return tree_digest(package_dir)


def cache_key(sha256: str, rules_digest: str) -> str:
    """What a cached result depends on: the file's bytes (their sha256, hex), the pipeline's
    code, the rules (:attr:`Rules.digest`)."""
    return hashlib.sha256(bytes.fromhex(sha256) + f"|{code_digest()}|{rules_digest}".encode()).hexdigest()


def _read_entry(cache_file: Path) -> Extraction:
    """The extraction a cache entry holds, validated like any input from disk: the document
    against the register model, its doc_id against the slug pattern (it becomes a file name
    and a link). Raises ValueError for a missing or damaged entry."""
    from ..model import Document, Extraction

    try:
        data = json.loads(cache_file.read_bytes())
        document = Document.model_validate(data["document"])
        words = frozenset(data["words"])
        if not all(isinstance(w, str) for w in words):
            raise TypeError("words must be strings")
        length = data["length"]
        if type(length) is not int or length < 0:
            raise TypeError("length must be a count")
    except (OSError, ValueError, KeyError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        raise ValueError(f"{cache_file}: damaged cache entry") from exc
    if not is_safe_doc_id(document.doc_id):
        raise ValueError(f"{cache_file}: damaged cache entry (doc_id is not a slug)")
    return Extraction(document, words, length)


def load_extraction(cache_file: Path, source: Path) -> Extraction:
    """The cached extraction of the file at ``source``. Raises ValueError for a damaged entry."""
    extraction = _read_entry(cache_file)
    document = extraction.document
    document = document.model_copy(update={"source": document.source.model_copy(update={"path": str(source)})})
    return dataclasses.replace(extraction, document=document)


def cached_doc_id(cache_file: Path) -> str | None:
    """The doc_id of a usable cache entry, None when it is missing or damaged. The cache is
    data from disk like any input: an entry that is not a valid document, or whose doc_id is
    not a slug, is a miss, and the document is processed again."""
    try:
        return _read_entry(cache_file).document.doc_id
    except ValueError:
        return None


def store_extraction(path: Path, extraction: Extraction) -> None:
    write_atomic(path, to_json({"document": extraction.document.model_dump(mode="json"), "words": sorted(extraction.words), "length": extraction.length}))


def remove_unused(cache_dir: Path, used_keys: set[str]) -> None:
    """Entries of files no longer in the corpus (or of an older code or rules version)."""
    for stale in cache_dir.glob("*.json"):
        if stale.stem not in used_keys:
            stale.unlink()

