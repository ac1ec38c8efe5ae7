"""Command line: ``afspraken extract PATH... --out DIR``, ``afspraken evaluate``,
``afspraken review DOC_ID``.

Exit codes: 0 every document was read, 1 some failed (the others are still written) or there
was nothing to read (no .pdf or .txt file among the inputs), 2 usage error (bad arguments,
missing input, malformed rule or correction file, a correction naming what its document does
not hold, another run writing to --out with --no-wait, a doc_id not in the register); an --out that
is not a writable folder, or any other OS error on output, is exit code 1, 130 interrupted
(Ctrl-C), 143 stopped (SIGTERM). Every error is one line on stderr; failed documents are
listed sorted by path, after the run.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

from typing import TYPE_CHECKING, NoReturn

from . import DEFAULT_RULES_DIR, __version__
from .files import SUPPORTED_SUFFIXES, is_safe_doc_id, printable, to_json, write_atomic
from .run import BatchSettings, OutputInUse, run_corpus, scan_inputs, write_stats

if TYPE_CHECKING:  # the rules and the stages are loaded when a command needs them, not for --help
    from tqdm import tqdm

    from .evaluate import Score

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM


class Terminated(BaseException):
    """The process received SIGTERM: unwound like Ctrl-C, so workers stop and partial files go."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def _error(message: str) -> None:
    print(f"afspraken: error: {message}", file=sys.stderr)


def _unwritable_out(out: Path) -> str | None:
    """Why ``--out`` cannot hold the register (one line), None when it can."""
    if out.exists() and not out.is_dir():
        return f"{printable(str(out))}: --out is not a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        return f"{printable(str(out))}: cannot write the register there ({exc.strerror or exc})"
    return None

# The groups `afspraken evaluate` scores by default (paths relative to the project root).
DEFAULT_GROUPS = ["corpus=tests/gold:corpus", "real=tests/devset/real", "synthetic=tests/synthetic"]
# The fictional follow-ups whose links across years `afspraken evaluate` scores (group "timeline").
DEFAULT_TIMELINE = Path("tests/timeline")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afspraken", description="Turn Dutch housing performance agreements into a structured register."
    )
    parser.add_argument("--version", action="version", version=f"afspraken {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    extract = commands.add_parser(
        "extract",
        help="extract the register from PDF and text files",
        description="Read agreements (.pdf, .txt; folders are searched) and write the register to --out.",
    )
    extract.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="input files or folders")
    extract.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    extract.add_argument("--rules", type=Path, default=DEFAULT_RULES_DIR, help="folder with the rule files (default: rules/)")
    extract.add_argument("--debug", action="store_true", help="show Python tracebacks for failed documents")
    defaults = BatchSettings()
    extract.add_argument("--workers", type=int, default=defaults.workers, help=f"documents processed at once (default: {defaults.workers}, the machine's cores)")
    extract.add_argument("--timeout", type=float, default=defaults.timeout, help=f"seconds one document may take before it is stopped (default: {defaults.timeout:g})")
    extract.add_argument("--memory-mb", type=int, default=defaults.memory_mb, help=f"memory a document may use, in MB, on top of the loaded pipeline (default: {defaults.memory_mb})")
    extract.add_argument("--force", action="store_true", help="process every document again, ignoring the cache")
    extract.add_argument("--no-wait", action="store_true", help="when another run is writing to --out, stop at once (exit code 2) instead of waiting for it")
    extract.add_argument("--stats", type=Path, metavar="FILE", help="write run statistics (pages, seconds per stage) as JSON to FILE")
    extract.add_argument(
        "--corrections", type=Path, metavar="DIR",
        help="folder with correction files, one per document (default: corrections/ beside the first input folder, if there is one)",
    )
    review = commands.add_parser(
        "review",
        help="list what a person should check in one document",
        description="Print the review queue of one document of the register in --out (as site/controleren.html shows it), "
        "each item with its links and a correction to paste.",
    )
    review.add_argument("doc_id", metavar="DOC_ID", help="the document, e.g. tynaarlo-2023")
    review.add_argument("--out", type=Path, default=Path("output"), help="the register's folder, written by extract (default: output/)")
    review.add_argument("--rules", type=Path, default=DEFAULT_RULES_DIR, help="folder with the rule files (default: rules/)")
    evaluate = commands.add_parser(
        "evaluate",
        help="score extraction against the gold annotations",
        description="Extract the documents of each gold group and print precision, recall and F1 per field.",
    )
    evaluate.add_argument(
        "--group", action="append", metavar="NAME=GOLD[:INPUTS]", dest="groups",
        help="a group of gold files (folder GOLD) and their documents (folder INPUTS, default GOLD); repeatable "
        f"(default: {' '.join(DEFAULT_GROUPS)})",
    )
    evaluate.add_argument(
        "--timeline", type=Path, default=DEFAULT_TIMELINE, metavar="DIR",
        help=f"gold of agreements and their follow-ups, scored on the links across years as group 'timeline' (default: {DEFAULT_TIMELINE}/; skipped when missing)",
    )
    evaluate.add_argument("--out", type=Path, default=Path("output"), help="folder for evaluation.json (default: output/)")
    evaluate.add_argument("--rules", type=Path, default=DEFAULT_RULES_DIR, help="folder with the rule files (default: rules/)")
    return parser


# The summary names at most this many documents to check.
SUMMARY_NAMES = 10


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _names(doc_ids: list[str]) -> str:
    """At most SUMMARY_NAMES doc_ids, then how many more."""
    more = f" and {len(doc_ids) - SUMMARY_NAMES} more" if len(doc_ids) > SUMMARY_NAMES else ""
    return ", ".join(doc_ids[:SUMMARY_NAMES]) + more


def run_extract(args: argparse.Namespace) -> int:
    """``afspraken extract``; the rules are loaded by the run, and only when something is new."""
    inputs = scan_inputs(args.paths)
    if not inputs.supported:  # an empty folder, or only other file types: nothing to register
        suffixes = " or ".join(SUPPORTED_SUFFIXES)
        _error(f"{', '.join(printable(str(p)) for p in args.paths)}: no {suffixes} files to read")
        return EXIT_FAILURES
    corrections = _corrections_folder(args.corrections, args.paths)  # loaded by the run, when something is new
    if corrections is not None and not corrections.is_dir():
        _error(f"{printable(str(corrections))}: no such corrections folder")
        return EXIT_USAGE
    if problem := _unwritable_out(args.out):
        _error(problem)
        return EXIT_FAILURES  # an OS error on output, like a full disk later on
    try:
        return _extract(args, corrections, len(inputs.files) + len(inputs.skipped))
    except OutputInUse:
        _error(f"another afspraken run is writing to {printable(str(args.out))}; try again when it has finished")
        return EXIT_USAGE
    except OSError as exc:  # an output could not be written (disk full, permissions changed)
        if args.debug:
            raise
        where = printable(str(exc.filename)) + ": " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}; the previous outputs are intact")
        return EXIT_FAILURES
    except Exception as exc:
        if not _correction_error(exc):
            raise
        # malformed, or names what its document does not hold: found before any output is written
        _error(f"{printable(str(exc))}; the previous outputs are intact")
        return EXIT_USAGE


def _corrections_folder(given: Path | None, paths: list[Path]) -> Path | None:
    """``--corrections``, else ``corrections/`` beside the first input folder (the folder of
    the first input file) when there is one."""
    if given is not None:
        return given
    first = paths[0] if paths[0].is_dir() else paths[0].parent
    beside = Path(os.path.normpath(first / os.pardir / "corrections"))
    return beside if beside.is_dir() else None


def _correction_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a :class:`pipeline.correct.CorrectionError` (the module is loaded
    only when there are corrections)."""
    correct = sys.modules.get("pipeline.correct")
    return correct is not None and isinstance(exc, correct.CorrectionError)


def _progress_bar(total: int) -> tqdm[NoReturn] | None:
    """A progress bar on a terminal (tqdm is loaded only then), else None."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr)


def _extract(args: argparse.Namespace, corrections: Path | None, n_inputs: int) -> int:
    settings = BatchSettings(workers=args.workers, timeout=args.timeout, memory_mb=args.memory_mb, force=args.force, debug=args.debug)
    progress = _progress_bar(n_inputs)

    def done(path: Path, error: str | None) -> None:
        if progress is not None:
            progress.update(1)

    def waiting() -> None:
        print(f"waiting: another afspraken run is writing to {printable(str(args.out))}", file=sys.stderr, flush=True)

    try:
        summary = run_corpus(args.paths, args.out, args.rules, settings, done, on_wait=None if args.no_wait else waiting, corrections=corrections)
    finally:
        if progress is not None:
            progress.close()
    # After the run, sorted by path: the same lines in the same order on every run, whatever
    # order the workers finished in.
    for record in summary.errors:
        print(f"error: {printable(record['path'])}: {printable(record['error'])}", file=sys.stderr)
    if args.debug:
        for record in summary.errors:
            if "traceback" in record:
                print(record["traceback"], file=sys.stderr)
    for note in summary.notes:
        print(f"warning: {printable(note)}", file=sys.stderr)
    print(
        f"{_count(summary.documents, 'document')}, {summary.afspraken} afspraken, {_count(summary.warnings, 'warning')}, "
        f"{len(summary.errors)} failed ({summary.processed} processed, {summary.cached} from cache); "
        f"register written to {printable(str(args.out))}/"
    )
    if summary.corrected:
        print(f"corrections applied to {_count(len(summary.corrected), 'document')}: {_names(summary.corrected)}")
    if summary.stale:
        print(f"corrections not applied, their document changed: {_names(summary.stale)} (see site/controleren.html)")
    if to_check := summary.to_check():
        listed = [f"{doc_id} ({', '.join(reasons)})" for doc_id, reasons in to_check.items()]
        more = f"; and {len(listed) - SUMMARY_NAMES} more" if len(listed) > SUMMARY_NAMES else ""
        print(f"{len(listed)} to check: {'; '.join(listed[:SUMMARY_NAMES])}{more}")
    if args.stats:
        write_stats(args.stats, summary)
    return EXIT_FAILURES if summary.errors else EXIT_OK


def _parse_group(text: str) -> tuple[str, Path, Path | None]:
    name, _, folders = text.partition("=")
    gold, _, inputs = folders.partition(":")
    if not name or not gold:
        raise ValueError(f"--group {text!r}: expected NAME=GOLD[:INPUTS]")
    return name, Path(gold), Path(inputs) if inputs else None


def run_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_document, group_cases, report
    from .extract import extract_document
    from .model.rules import load_rules
    from .timeline.evaluate import evaluate_timelines

    rules = load_rules(args.rules)
    groups: dict[str, dict[str, dict[str, Score]]] = {}
    for text in args.groups or DEFAULT_GROUPS:
        try:
            name, gold_dir, input_dir = _parse_group(text)
        except ValueError as exc:
            print(f"afspraken: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        cases = group_cases(gold_dir, input_dir) if gold_dir.is_dir() else []
        if not cases:
            print(f"afspraken: error: {gold_dir}: no gold files with input documents", file=sys.stderr)
            return EXIT_USAGE
        groups[name] = {case.name: evaluate_document(extract_document(case.path, rules).document, case.gold) for case in cases}
    if args.timeline.is_dir():
        groups["timeline"] = evaluate_timelines(args.timeline, rules)
    table, data = report(groups)
    print(table)
    write_atomic(args.out / "evaluation.json", to_json(data))
    return EXIT_OK


def run_review(args: argparse.Namespace) -> int:
    from .model import Document
    from .model.rules import load_rules
    from .render.review_text import review_text
    from .review import review_items

    if not is_safe_doc_id(args.doc_id):
        _error(f"{printable(args.doc_id)}: not a doc_id (lower-case letters, digits and hyphens)")
        return EXIT_USAGE
    path = args.out / "json" / f"{args.doc_id}.json"
    try:
        document = Document.model_validate_json(path.read_bytes())  # a file on disk: validated like any input
    except FileNotFoundError:
        _error(f"{printable(str(path))}: no such document in the register; run 'afspraken extract' first")
        return EXIT_USAGE
    except (OSError, ValueError) as exc:
        _error(f"{printable(str(path))}: not a register document ({type(exc).__name__})")
        return EXIT_FAILURES
    print(review_text(document, review_items(document, load_rules(args.rules)), args.out / "site"))
    return EXIT_OK


COMMANDS = {"extract": run_extract, "evaluate": run_evaluate, "review": run_review}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    missing = [p for p in getattr(args, "paths", []) if not p.exists()]
    if missing:
        _error(f"{printable(str(missing[0]))}: no such file or folder")
        return EXIT_USAGE
    command = COMMANDS[args.command]
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return command(args)
    except Exception as exc:
        from .model.rules import RuleError  # loaded by then if a rule file was read

        if not isinstance(exc, RuleError):
            raise
        print(f"afspraken: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error("interrupted; the previous outputs are intact, the next run completes them")
        return EXIT_INTERRUPTED
    except Terminated:
        _error("stopped (SIGTERM); the previous outputs are intact, the next run completes them")
        return EXIT_TERMINATED
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
