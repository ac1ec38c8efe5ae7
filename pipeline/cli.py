"""Command line: ``afspraken extract PATH... --out DIR``.

Exit codes: 0 every document was read, 1 some failed (the others are still written),
2 usage error (bad arguments, missing input, malformed rule file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from .evaluate import evaluate_document, load_gold, report
from .extract import extract_document
from .files import to_json, write_atomic
from .model import Document
from .model.rules import DEFAULT_RULES_DIR, RuleError, Rules, load_rules
from .read import SUPPORTED_SUFFIXES
from .run import BatchSettings, find_inputs, run_corpus, write_stats

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


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
    settings = BatchSettings(workers=args.workers, timeout=args.timeout, memory_mb=args.memory_mb, force=args.force, debug=args.debug)
    n_inputs = len(find_inputs(args.paths))
    with tqdm(total=n_inputs, unit="doc", disable=not sys.stderr.isatty(), file=sys.stderr) as progress:

        def done(path: Path, error: str | None) -> None:
            progress.update(1)
            if error is not None:
                tqdm.write(f"error: {path}: {error}", file=sys.stderr)

        summary = run_corpus(args.paths, args.out, rules, settings, done)
    if args.debug:
        for record in summary.errors:
            if "traceback" in record:
                print(record["traceback"], file=sys.stderr)
    print(
        f"{summary.documents} documents, {summary.afspraken} afspraken, {summary.warnings} warnings, {len(summary.errors)} failed "
        f"({summary.processed} processed, {summary.cached} from cache); register written to {args.out}/"
    )
    if args.stats:
        write_stats(args.stats, summary)
    return EXIT_FAILURES if summary.errors else EXIT_OK


def run_evaluate(args: argparse.Namespace, rules: Rules) -> int:
    gold = load_gold(args.gold)
    if not gold:
        print(f"afspraken: error: {args.gold}: no gold files", file=sys.stderr)
        return EXIT_USAGE
    documents: dict[str, Document] = {}
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
