"""Command line: ``afspraken extract PATH... --out DIR``.

Exit codes: 0 every document was read, 1 some failed (the others are still written),
2 usage error (bad arguments, missing input, malformed rule file).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from .batch import BatchSettings, load_extraction, run_batch
from .evaluate import evaluate_document, load_gold, report
from .extract import extract_document, stage_clock
from .read import SUPPORTED_SUFFIXES
from .register import apply_plan, plan_register, to_json, write_atomic
from .render import outputs_digest, outputs_up_to_date, record_outputs, render_register
from .rules import DEFAULT_RULES_DIR, RuleError, Rules, load_rules

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the files inside given folders (recursively), PDFs first.

    PDFs come first because when a PDF and its text export are both given, the register
    keeps the PDF: that is how documents arrive and it has page numbers.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        else:
            found.append(path)
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda p: (p.suffix.lower() != ".pdf", str(p)))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afspraken", description="Turn Dutch housing performance agreements into a structured register."
    )
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
    extract.add_argument("--stats", type=Path, metavar="FILE", help="write run statistics (pages, seconds per stage) as JSON to FILE")
    evaluate = commands.add_parser(
        "evaluate",
        help="score extraction against the gold annotations",
        description="Extract the documents in PATH and print precision, recall and F1 per field against --gold.",
    )
    evaluate.add_argument("paths", nargs="*", type=Path, default=[Path("corpus")], metavar="PATH", help="input files or folders (default: corpus/)")
    evaluate.add_argument("--gold", type=Path, default=Path("tests/gold"), help="folder of <doc_id>.json gold files (default: tests/gold/)")
    evaluate.add_argument("--out", type=Path, default=Path("output"), help="folder for evaluation.json (default: output/)")
    evaluate.add_argument("--rules", type=Path, default=DEFAULT_RULES_DIR, help="folder with the rule files (default: rules/)")
    return parser


def run_extract(args: argparse.Namespace, rules: Rules) -> int:
    inputs = find_inputs(args.paths)
    settings = BatchSettings(workers=args.workers, timeout=args.timeout, memory_mb=args.memory_mb, force=args.force, debug=args.debug)
    with tqdm(total=len(inputs), unit="doc", disable=not sys.stderr.isatty(), file=sys.stderr) as progress:

        def done(path: Path, error: str | None) -> None:
            progress.update(1)
            if error is not None:
                tqdm.write(f"error: {path}: {error}", file=sys.stderr)

        result = run_batch(inputs, rules, args.out / ".cache", settings, done)
    if args.debug:
        for record in result.errors:
            if "traceback" in record:
                print(record["traceback"], file=sys.stderr)
    errors = [{"path": e["path"], "error": e["error"]} for e in result.errors]
    plan = plan_register(result.entries, lambda entry: load_extraction(entry.cache_file, entry.path).words)
    digest = outputs_digest(plan, errors, rules)
    counts = None if result.processed else outputs_up_to_date(args.out, digest)
    if counts is None:
        with stage_clock(result.stage_seconds, "rendering"):
            documents = (apply_plan(load_extraction(p.entry.cache_file, p.entry.path).document, p) for p in plan)
            counts = render_register(documents, len(plan), errors, rules, args.out)
            record_outputs(args.out, digest, counts)
    print(
        f"{len(plan)} documents, {counts[0]} afspraken, {counts[1]} warnings, {len(errors)} failed "
        f"({result.processed} processed, {result.cached} from cache); register written to {args.out}/"
    )
    if args.stats:
        stats = {"documents": len(plan), "processed": result.processed, "cached": result.cached, "failed": len(errors),
                 "pages_processed": result.pages, "stage_seconds": {k: round(v, 3) for k, v in result.stage_seconds.items()}}
        write_atomic(args.stats, to_json(stats))
    return EXIT_FAILURES if errors else EXIT_OK


def run_evaluate(args: argparse.Namespace, rules: Rules) -> int:
    gold = load_gold(args.gold)
    if not gold:
        print(f"afspraken: error: {args.gold}: no gold files", file=sys.stderr)
        return EXIT_USAGE
    documents = {}
    for path in find_inputs(args.paths):
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            document = extract_document(path, rules).document
            documents.setdefault(document.doc_id, document)
    missing = sorted(set(gold) - set(documents))
    if missing:
        print(f"afspraken: error: no input document for gold {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    table, data = report({doc_id: evaluate_document(documents[doc_id], gold[doc_id]) for doc_id in gold})
    print(table)
    write_atomic(args.out / "evaluation.json", to_json(data))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"afspraken: error: {missing[0]}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        rules = load_rules(args.rules)
    except RuleError as exc:
        print(f"afspraken: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    command = run_extract if args.command == "extract" else run_evaluate
    return command(args, rules)


if __name__ == "__main__":
    sys.exit(main())
