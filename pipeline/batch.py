"""Run the pipeline over many files: isolated worker processes, limits, and a result cache.

Documents are processed by forked worker processes, one document at a time each (the parent
has loaded the rules and the spaCy pipeline once, so a worker starts with them in memory, and
keeps what it builds lazily for its next documents). A worker that runs past the time limit is
killed and replaced; a document that exceeds the memory cap fails with a clear reason and its
worker is replaced; either way the batch goes on. Results are cached by the file's sha256, the
pipeline version and the rules digest, so an unchanged document is never processed twice. The
cache is also where the results stay: the parent keeps only a small :class:`Entry` per
document, so memory does not grow with the size of the corpus.

The standard library's process pools cannot kill one hung task without losing the pool,
which is why the workers are managed here.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from . import __version__
from .extract import extract_document
from .models import Document
from .nlp import load_nlp
from .read import SUPPORTED_SUFFIXES, ReadError, preload_pdf_reader
from .register import Entry, Extraction, to_json, write_atomic
from .rules import Rules

# How often the parent looks at its workers, in seconds.
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class BatchSettings:
    workers: int = os.cpu_count() or 1
    timeout: float = 600.0  # seconds per document; generous: a 60-page PDF takes about 6 s
    memory_mb: int = 4096  # address space a document may add to what a worker starts with
    force: bool = False  # ignore the cache
    debug: bool = False  # keep tracebacks of internal errors


@dataclass
class BatchResult:
    entries: list[Entry] = field(default_factory=list)  # in input order
    errors: list[dict[str, str]] = field(default_factory=list)
    processed: int = 0
    cached: int = 0
    pages: int = 0  # pages of the documents processed in this run
    stage_seconds: dict[str, float] = field(default_factory=dict)  # summed over processed documents


def cache_key(data: bytes, rules: Rules) -> str:
    """What a cached result depends on: the file's bytes, the pipeline version, the rules."""
    return hashlib.sha256(hashlib.sha256(data).digest() + f"|{__version__}|{rules.digest}".encode()).hexdigest()


def load_extraction(cache_file: Path, source: Path) -> Extraction:
    """The cached extraction of the file at ``source``. Raises ValueError for a damaged entry."""
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        document = Document.model_validate(data["document"])
        words = frozenset(data["words"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{cache_file}: damaged cache entry") from exc
    document = document.model_copy(update={"source": document.source.model_copy(update={"path": str(source)})})
    return Extraction(document, words)


def _cached_doc_id(cache_file: Path) -> str | None:
    """The doc_id of a usable cache entry, None when it is missing or damaged. Entries are
    written atomically, so a parse of the JSON is enough here; the full validation happens
    when the register is written."""
    try:
        data = json.loads(cache_file.read_bytes())
        doc_id = data["document"]["doc_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return doc_id if isinstance(doc_id, str) and "words" in data else None


def _cache_store(path: Path, extraction: Extraction) -> None:
    write_atomic(path, to_json({"document": extraction.document.model_dump(mode="json"), "words": sorted(extraction.words)}))


@dataclass(frozen=True)
class _Reply:
    """What a worker sends back for one document."""

    extraction: Extraction | None = None
    timings: dict[str, float] = field(default_factory=dict)
    error: str = ""
    trace: str = ""
    worker_exits: bool = False  # after running out of memory a worker is replaced


def _extract_one(path: Path, rules: Rules, settings: BatchSettings) -> _Reply:
    """Extract one document under the memory cap.

    The cap counts from the worker's size when the document starts, so ``--memory-mb``
    means the same on every machine. Only the soft address-space limit is set, so that
    after a MemoryError it can be lifted again to send the reason.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + settings.memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    timings: dict[str, float] = {}
    try:
        return _Reply(extraction=extract_document(path, rules, timings), timings=timings)
    except ReadError as exc:
        return _Reply(error=str(exc))
    except MemoryError:
        return _Reply(error=f"ran out of memory (cap {settings.memory_mb} MB per document)", worker_exits=True)
    except Exception as exc:  # a bug must not take the batch down; --debug shows the trace
        return _Reply(error=f"internal error: {type(exc).__name__}: {exc}", trace=traceback.format_exc())
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _serve(conn: Connection, rules: Rules, settings: BatchSettings) -> None:
    """Worker process: extract the documents the parent sends, one at a time, until it sends
    None or goes away. A worker lives for many documents, so what the stages build lazily
    (compiled patterns, lemma caches) is built once per worker, not once per document."""
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        reply = _extract_one(path, rules, settings)
        try:
            conn.send(reply)
        except Exception:  # the parent reports a worker that sends nothing as crashed
            return
        if reply.worker_exits:
            return


def _address_space() -> int:
    """This process's mapped address space in bytes (0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _crash_reason(exitcode: int | None, settings: BatchSettings) -> str:
    """Why a worker ended without a result. Native code (pdfium) aborts when an allocation
    fails under the cap instead of raising MemoryError."""
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"worker crashed ({name}); it may have run out of memory (cap {settings.memory_mb} MB per document)"
    return f"worker crashed (exit code {exitcode})"


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: tuple[Path, str] | None = None  # the document it works on, and its cache key
    started: float = 0.0


def run_batch(
    inputs: list[Path],
    rules: Rules,
    cache_dir: Path,
    settings: BatchSettings,
    on_done: Callable[[Path, str | None], None] = lambda path, error: None,
) -> BatchResult:
    """Process ``inputs``; results come back in input order, whatever order workers finish in."""
    context = multiprocessing.get_context("fork")
    result = BatchResult()
    found: dict[Path, Entry] = {}
    used_keys: set[str] = set()
    pending: list[tuple[Path, str]] = []

    def fail(path: Path, reason: str, trace: str = "") -> None:
        record = {"path": str(path), "error": reason}
        if trace and settings.debug:
            record["traceback"] = trace
        result.errors.append(record)
        on_done(path, reason)

    for path in inputs:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            fail(path, f"unsupported file type '{path.suffix or '(none)'}' (expected .pdf or .txt)")
            continue
        if path.exists() and not path.is_file():
            fail(path, "not a regular file")  # a pipe or device would block the batch
            continue
        try:
            key = cache_key(path.read_bytes(), rules)
        except OSError as exc:
            fail(path, "file disappeared before it could be read" if isinstance(exc, FileNotFoundError) else f"cannot read file ({exc.strerror})")
            continue
        used_keys.add(key)
        cache_file = cache_dir / f"{key}.json"
        doc_id = None if settings.force else _cached_doc_id(cache_file)
        if doc_id is not None:
            found[path] = Entry(path, doc_id, cache_file)
            result.cached += 1
            on_done(path, None)
        else:
            pending.append((path, key))

    if pending:
        # Loaded once here and inherited by every forked worker: no worker pays for the
        # imports, and none fails to import under its memory cap.
        load_nlp()
        preload_pdf_reader()
    workers: list[_Worker] = []

    def retire(worker: _Worker) -> None:
        """Wait for a worker that ended (or was killed) and forget it."""
        worker.process.join()
        worker.conn.close()
        workers.remove(worker)

    def finish(worker: _Worker, reply: _Reply | None) -> None:
        assert worker.job is not None
        path, key = worker.job
        worker.job = None
        if reply is None:
            retire(worker)
            fail(path, _crash_reason(worker.process.exitcode, settings))
            return
        elif reply.extraction is not None:
            cache_file = cache_dir / f"{key}.json"
            _cache_store(cache_file, reply.extraction)
            found[path] = Entry(path, reply.extraction.document.doc_id, cache_file)
            result.processed += 1
            result.pages += reply.extraction.document.source.pages or 0
            for stage, seconds in reply.timings.items():
                result.stage_seconds[stage] = result.stage_seconds.get(stage, 0.0) + seconds
            on_done(path, None)
        else:
            fail(path, reply.error, reply.trace)
        if reply.worker_exits:
            retire(worker)

    try:
        while pending or any(w.job for w in workers):
            idle = [w for w in workers if w.job is None]
            while pending and len(workers) < max(1, settings.workers):
                ours, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs, rules, settings), daemon=True)
                process.start()
                theirs.close()
                idle.append(_Worker(process, ours))
                workers.append(idle[-1])
            for worker in idle:
                if pending:
                    worker.job, worker.started = pending.pop(0), time.monotonic()
                    worker.conn.send(worker.job[0])
            busy = [w for w in workers if w.job is not None]
            ready = wait([w.conn for w in busy], timeout=POLL_SECONDS)
            for worker in busy:
                if worker.conn in ready:
                    try:
                        reply = worker.conn.recv()
                    except (EOFError, OSError):
                        reply = None
                    finish(worker, reply)
                elif time.monotonic() - worker.started > settings.timeout:
                    assert worker.job is not None
                    worker.process.kill()
                    retire(worker)
                    fail(worker.job[0], f"timed out after {settings.timeout:g} s; the worker was stopped")
    finally:
        for worker in workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.conn.close()
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
    result.entries = [found[p] for p in inputs if p in found]
    for stale in cache_dir.glob("*.json"):
        if stale.stem not in used_keys:
            stale.unlink()
    return result
