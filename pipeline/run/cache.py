"""The result cache: one JSON file per extracted document in ``<out>/.cache/``.

An entry is keyed by what the result depends on: the file's bytes, the rules, and the
pipeline's own source code (a digest of every file of the package), so that a new version
of the code never serves results of the old one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
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


# Beside the extractions: each document's fragment (its share of the aggregate outputs), and the
# pages workers rendered, waiting to be moved into place once the register is planned.
FRAGMENTS = "fragments"
STAGED = "pages"


def fragment_id(key: str, source: Path, doc_id: str, notes: tuple[str, ...]) -> str:
    """What a document's rendered outputs depend on: its extraction (cache key), the path it
    was read from, its doc_id in the register and the notes the register adds."""
    return hashlib.sha256(json.dumps([key, str(source), doc_id, list(notes)]).encode()).hexdigest()


def store_fragment(path: Path, fragment: dict[str, bytes]) -> None:
    """A fragment as one file: a JSON line naming its sections and their lengths, then the sections."""
    header = json.dumps([[name, len(data)] for name, data in fragment.items()]).encode()
    write_atomic(path, header + b"\n" + b"".join(fragment.values()))


def load_fragment(path: Path) -> dict[str, bytes]:
    """The sections of a fragment file. Raises ValueError for a missing or damaged file."""
    try:
        header, _, body = path.read_bytes().partition(b"\n")
        fragment, offset = {}, 0
        for name, length in json.loads(header):
            if not isinstance(name, str) or type(length) is not int or length < 0:
                raise TypeError("a section is a name and a length")
            fragment[name], offset = body[offset : offset + length], offset + length
        if offset != len(body):
            raise ValueError("sections and file differ in length")
    except (OSError, ValueError, TypeError) as exc:
        raise ValueError(f"{path}: damaged fragment") from exc
    return fragment


def stage_pages(cache_dir: Path, fid: str, pages: dict[str, bytes]) -> None:
    """Keep a document's pages (path under --out → content) until the register is planned."""
    for page, data in pages.items():
        write_atomic(cache_dir / STAGED / fid / page, data)


def place_pages(cache_dir: Path, fid: str, out: Path, pages: list[str]) -> bool:
    """Move staged pages into place; False when they are not all there."""
    staged = cache_dir / STAGED / fid
    if not all((staged / page).is_file() for page in pages):
        return False
    for page in pages:
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged / page, out / page)
    return True
