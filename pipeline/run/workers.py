"""Run the pipeline over many files: isolated worker processes, limits, and the result cache.

Documents are processed by forked worker processes, one document at a time each (the parent
has loaded the rules and the spaCy pipeline once, so a worker starts with them in memory, and
keeps what it builds lazily for its next documents). A worker that runs past the time limit is
killed and replaced; a document that exceeds the memory cap fails with a clear reason and its
worker is replaced; either way the batch goes on. Results are cached (:mod:`.cache`), so an
unchanged document is never processed twice. The cache is also where the results stay: the
parent keeps only a small :class:`Entry` per document, so memory does not grow with the size
of the corpus.

The standard library's process pools cannot kill one hung task without losing the pool,
which is why the workers are managed here.
"""

from __future__ import annotations

import ctypes
import dataclasses
import ctypes.util
import hashlib
import multiprocessing
import os
import resource
import signal
import time
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..files import SUPPORTED_SUFFIXES
from ..register import Entry
from .cache import cache_key, cached_doc_id, remove_unused, store_extraction

if TYPE_CHECKING:  # the stages are loaded only when a document is to be extracted (_load_pipeline)
    from ..model import Extraction
    from ..model.rules import Rules

# How often the parent looks at its workers, in seconds.
POLL_SECONDS = 0.2
_DONE = object()  # the end of the idle work
# How often an idle worker checks that its parent is still there, in seconds.
PARENT_CHECK_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

OnDone = Callable[[Path, "str | None"], None]


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
    found: dict[Path, Entry] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # warnings about the run itself (a damaged cache entry)
    rendered: set[str] = field(default_factory=set)  # fragment ids the workers rendered
    # Some failure may not recur on the same files (a time-out, a crash, an internal error):
    # the next run tries those documents again, even when nothing changed.
    unsettled: bool = False

    def fail(self, path: Path, reason: str, on_done: OnDone, trace: str = "", debug: bool = False, settled: bool = True) -> None:
        """Record a document that failed; ``settled``: bad input, it fails again on every run."""
        record = {"path": str(path), "error": reason}
        if trace and debug:
            record["traceback"] = trace
        self.errors.append(record)
        self.unsettled |= not settled
        on_done(path, reason)


@dataclass(frozen=True)
class _Reply:
    """What a worker sends back for one document."""

    extraction: Extraction | None = None  # in the worker; stored in the cache before the reply is sent
    stored: tuple[str, int] | None = None  # the extraction stored: its doc_id and pages
    timings: dict[str, float] = field(default_factory=dict)
    rendered: str | None = None  # the fragment id of the document rendered in the worker
    error: str = ""
    bad_input: bool = False  # the error is the file's (a ReadError): it fails the same way every time
    trace: str = ""
    worker_exits: bool = False  # after running out of memory a worker is replaced


def _extract_one(path: Path, rules: Rules, settings: BatchSettings) -> _Reply:
    """Extract one document under the memory cap.

    The cap counts from the worker's size when the document starts, so ``--memory-mb``
    means the same on every machine. Only the soft address-space limit is set, so that
    after a MemoryError it can be lifted again to send the reason.
    """
    from ..extract import extract_document  # loaded by the parent before forking (_load_pipeline)
    from ..read import ReadError

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + settings.memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    timings: dict[str, float] = {}
    try:
        return _Reply(extraction=extract_document(path, rules, timings), timings=timings)
    except ReadError as exc:
        return _Reply(error=str(exc), bad_input=True)
    except MemoryError:
        return _Reply(error=f"ran out of memory (cap {settings.memory_mb} MB per document)", worker_exits=True)
    except Exception as exc:  # a bug must not take the batch down; --debug shows the trace
        return _Reply(error=f"internal error: {type(exc).__name__}: {exc}", trace=traceback.format_exc())
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _store_one(path: Path, cache_file: Path, reply: _Reply, rules: Rules) -> _Reply:
    """Store the extraction in the cache and render it, here: the main process gets its doc_id
    and pages, not the document (serialising every document there would hold up the workers'
    CPUs)."""
    assert reply.extraction is not None
    document = reply.extraction.document
    try:
        store_extraction(cache_file, reply.extraction)
    except OSError as exc:
        return _Reply(error=f"internal error: the cache entry could not be written: {exc}")
    reply = _render_one(path, cache_file, reply, rules)
    return dataclasses.replace(reply, extraction=None, stored=(document.doc_id, document.source.pages or 0))


def _render_one(path: Path, cache_file: Path, reply: _Reply, rules: Rules) -> _Reply:
    """Render the extracted document here, in parallel, under the doc_id it was extracted
    with: its fragment into the cache, its pages staged (:func:`.outputs.stage_rendered`). The
    main process takes them when the register keeps the document as it is (no clashing doc_id,
    no twin, no correction); otherwise it renders the document itself, and so it does when
    this fails (the failure is the main process's to report)."""
    from .outputs import stage_rendered

    assert reply.extraction is not None
    started = time.perf_counter()
    try:
        fid = stage_rendered(reply.extraction.document, path, cache_file, rules)
    except Exception:
        return reply
    reply.timings["rendering"] = reply.timings.get("rendering", 0.0) + time.perf_counter() - started
    return dataclasses.replace(reply, rendered=fid)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the main process ends, however it ends (SIGKILL
    included): Linux's parent-death signal. Elsewhere the worker checks its parent while it
    waits for work (:func:`_serve`). Signals meant for the main process are not the worker's:
    Ctrl-C reaches the whole process group, and the main process stops its workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the main process's handler is inherited by fork
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the parent check in _serve remains
    if os.getppid() != parent:  # the parent died before the signal was set up
        os._exit(0)


def _serve(conn: Connection, rules: Rules, settings: BatchSettings, cache_dir: Path, parent: int) -> None:
    """Worker process: extract the documents the parent sends, one at a time, until it sends
    None or goes away. A worker lives for many documents, so what the stages build lazily
    (compiled patterns, lemma caches) is built once per worker, not once per document."""
    _die_with_parent(parent)
    while True:
        try:
            while not conn.poll(PARENT_CHECK_SECONDS):
                if os.getppid() != parent:  # orphaned (where there is no parent-death signal)
                    return
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, key = job
        reply = _extract_one(path, rules, settings)
        if reply.extraction is not None:
            reply = _store_one(path, cache_dir / f"{key}.json", reply, rules)
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


class _Pool:
    """Forked workers that take pending documents one at a time and store the results."""

    def __init__(
        self, rules: Rules, cache_dir: Path, settings: BatchSettings, result: BatchResult, on_done: OnDone, idle: Iterator[object] | None = None,
    ) -> None:
        self.rules, self.cache_dir, self.settings, self.result, self.on_done = rules, cache_dir, settings, result, on_done
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        self.idle = idle  # steps of work for this process while the workers work

    def run(self, pending: list[tuple[Path, str]]) -> None:
        try:
            while pending or any(w.job for w in self.workers):
                self._assign(pending)
                self._collect()
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now
            self._kill()
            raise
        self._close()

    def _kill(self) -> None:
        for worker in self.workers:
            worker.process.kill()
        for worker in self.workers:
            worker.process.join()
            worker.conn.close()
        self.workers.clear()

    def _fail(self, path: Path, reason: str, trace: str = "", settled: bool = False) -> None:
        self.result.fail(path, reason, self.on_done, trace, self.settings.debug, settled)

    def _spawn(self) -> _Worker:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(theirs, self.rules, self.settings, self.cache_dir, os.getpid()), daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self.workers.append(worker)
        return worker

    def _assign(self, pending: list[tuple[Path, str]]) -> None:
        """Give every idle worker a document, starting workers up to the limit."""
        idle = [w for w in self.workers if w.job is None]
        while pending and len(self.workers) < max(1, self.settings.workers):
            idle.append(self._spawn())
        for worker in idle:
            if pending:
                worker.job, worker.started = pending.pop(0), time.monotonic()
                worker.conn.send(worker.job)

    def _collect(self) -> None:
        """Take the replies that arrived; stop workers past the time limit."""
        busy = [w for w in self.workers if w.job is not None]
        ready = wait([w.conn for w in busy], timeout=0 if self.idle is not None else POLL_SECONDS)
        if not ready and self.idle is not None and next(self.idle, _DONE) is _DONE:
            self.idle = None
        for worker in busy:
            if worker.conn in ready:
                try:
                    reply = worker.conn.recv()
                except (EOFError, OSError):
                    reply = None
                self._finish(worker, reply)
            elif time.monotonic() - worker.started > self.settings.timeout:
                assert worker.job is not None
                worker.process.kill()
                self._retire(worker)
                self._fail(worker.job[0], f"timed out after {self.settings.timeout:g} s; the worker was stopped")

    def _retire(self, worker: _Worker) -> None:
        """Wait for a worker that ended (or was killed) and forget it."""
        worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)

    def _finish(self, worker: _Worker, reply: _Reply | None) -> None:
        assert worker.job is not None
        (path, key), worker.job = worker.job, None
        if reply is None:
            self._retire(worker)
            self._fail(path, _crash_reason(worker.process.exitcode, self.settings))
            return
        if reply.stored is not None:
            self._store(path, key, reply)
        else:
            self._fail(path, reply.error, reply.trace, settled=reply.bad_input)
        if reply.worker_exits:
            self._retire(worker)

    def _store(self, path: Path, key: str, reply: _Reply) -> None:
        assert reply.stored is not None
        result = self.result
        doc_id, pages = reply.stored
        result.found[path] = Entry(path, doc_id, self.cache_dir / f"{key}.json")
        if reply.rendered is not None:
            result.rendered.add(reply.rendered)
        result.processed += 1
        result.pages += pages
        for stage, seconds in reply.timings.items():
            result.stage_seconds[stage] = result.stage_seconds.get(stage, 0.0) + seconds
        self.on_done(path, None)

    def _close(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.conn.close()
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()


class Survey(NamedTuple):
    """An input file before any processing: the sha256 of its bytes, or why it cannot be read."""

    sha256: str | None = None
    refused: str | None = None


def survey_input(path: Path) -> Survey:
    """Hash a file the pipeline can read; refuse an unsupported type, a pipe or device (it would
    block the batch), a file that cannot be read."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return Survey(refused=f"unsupported file type '{path.suffix or '(none)'}' (expected .pdf or .txt)")
    if path.exists() and not path.is_file():
        return Survey(refused="not a regular file")
    try:
        return Survey(sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError as exc:
        return Survey(refused="file disappeared before it could be read" if isinstance(exc, FileNotFoundError) else f"cannot read file ({exc.strerror})")


def _classify_inputs(
    inputs: list[Path], surveys: dict[Path, Survey], rules: Rules, cache_dir: Path, settings: BatchSettings, result: BatchResult,
    on_done: OnDone, known: dict[str, str],
) -> tuple[list[tuple[Path, str]], set[str]]:
    """Refuse what cannot be read, take what the cache holds (``known``: entries whose doc_id
    the last run recorded, untouched since: not validated again); return the rest and every
    key in use."""
    pending: list[tuple[Path, str]] = []
    used_keys: set[str] = set()
    for path in inputs:
        survey = surveys[path]
        if survey.sha256 is None:
            result.fail(path, survey.refused or "", on_done)
            continue
        key = cache_key(survey.sha256, rules.digest)
        used_keys.add(key)
        cache_file = cache_dir / f"{key}.json"
        doc_id = None if settings.force else known.get(key) or cached_doc_id(cache_file)
        if doc_id is None:
            if not settings.force and cache_file.exists():
                result.notes.append(f"{path}: damaged cache entry {cache_file.name}; processed again")
            pending.append((path, key))
            continue
        result.found[path] = Entry(path, doc_id, cache_file)
        result.cached += 1
        on_done(path, None)
    return pending, used_keys


def _load_pipeline(pending: list[tuple[Path, str]]) -> None:
    """Import the stages and the writers and load the spaCy pipeline, and the PDF stack when a
    PDF is pending, once, here: every forked worker inherits them, so no worker pays for the
    imports and none fails to import under its memory cap."""
    from .. import extract  # noqa: F401
    from ..read import preload_pdf_reader
    from ..render import preload_templates  # the workers render what they extract
    from ..tag.nlp import load_nlp

    load_nlp()
    preload_templates()
    if any(path.suffix.lower() == ".pdf" for path, _ in pending):
        preload_pdf_reader()


def run_batch(
    inputs: list[Path],
    rules: Rules,
    cache_dir: Path,
    settings: BatchSettings,
    on_done: OnDone = lambda path, error: None,
    surveys: dict[Path, Survey] | None = None,
    known: dict[str, str] | None = None,
    idle: Iterator[object] | None = None,
) -> BatchResult:
    """Process ``inputs`` (``surveys``: their :func:`survey_input`, when the caller has them;
    ``known``: cache entries not to validate again, key → doc_id); results come back in input
    order, whatever order workers finish in. The pipeline is loaded, and workers forked, only when some
    document is not in the cache. ``idle``: work of the caller's, done a step at a time while
    waiting for the workers (none when nothing is extracted)."""
    result = BatchResult()
    surveys = surveys if surveys is not None else {path: survey_input(path) for path in inputs}
    pending, used_keys = _classify_inputs(inputs, surveys, rules, cache_dir, settings, result, on_done, known or {})
    if pending:
        _load_pipeline(pending)
        _Pool(rules, cache_dir, settings, result, on_done, idle).run(pending)
    result.entries = [result.found[p] for p in inputs if p in result.found]
    remove_unused(cache_dir, used_keys)
    return result
