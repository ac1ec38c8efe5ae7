"""``make bench``: throughput, memory and scaling of ``afspraken extract``, against the raw PDF readers.

1. Builds a synthetic corpus from the real documents: document *i* is a generated cover page
   naming a municipality of its own (so every document gets its own doc_id and sha256: the
   cache and the duplicate check cannot short-circuit), then all pages of one of the real
   agreements, then a run of 4–9 pages of the woonvisie (two-column pages, tables). Every
   fifth document is a text file built the same way from the text exports.
2. For each N (default 10, 100, 1000: the first N documents) runs the full
   ``afspraken extract`` with a cold cache, then again with a warm cache (nothing changed),
   sampling the RSS of the whole process tree.
3. The everyday run: adds one new document to the register of N (``+1``), removes it again
   (``-1``), adds ten (``+10``); each against the same new documents run alone into an empty
   register.
4. Times the raw readers on the same PDFs, one process, page by page: pdfplumber's
   ``extract_text()`` and pypdfium2's ``get_text_range()``.
5. Starts: ``afspraken --help`` and ``--version``, and cold and unchanged runs over the
   five-document ``corpus/``.
6. Writes ``bench/results.json`` and ``bench/results.md``.

Run ``python bench/run.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pdfplumber
import psutil
import pypdfium2 as pdfium
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parents[1]
CORPUS, FIXTURES = ROOT / "corpus", ROOT / "tests" / "fixtures"
AGREEMENTS = ["tynaarlo-2023", "aa-en-hunze-2022"]
VISION = "woonvisie-assen-2021"
TEXT_EVERY = 5  # every fifth document is a text export
SYLLABLES = ["ba", "de", "ko", "lu", "mi", "no", "pe", "ra", "si", "to"]
STAGES = ["reading", "cleaning", "structure", "metadata", "tagging", "rendering"]


# --------------------------------------------------------------------------- the corpus


def municipality(index: int) -> str:
    """A made-up municipality name of letters only, unique per index ("Badekoveen")."""
    return "".join(SYLLABLES[int(d)] for d in f"{index:04d}").capitalize() + "veen"


def cover_lines(index: int) -> list[str]:
    name = municipality(index)
    return [
        f"Prestatieafspraken gemeente {name}",
        "",
        "In dit document leggen we de prestatieafspraken vast tussen:",
        "",
        f"1. Gemeente {name}, rechtsgeldig vertegenwoordigd door wethouder J. Jansen, hierna te noemen: 'de gemeente'.",
    ]


def cover_pdf(index: int) -> PdfReader:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in cover_lines(index):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return PdfReader(io.BytesIO(bytes(pdf.output())))


def vision_window(index: int, pages: int) -> range:
    length = 4 + index % 6
    start = (index * 7) % (pages - length)
    return range(start, start + length)


def build_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` synthetic documents in ``folder`` (kept between runs: rebuilt only when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    readers = {name: PdfReader(CORPUS / f"{name}.pdf") for name in [*AGREEMENTS, VISION]}
    texts = {name: (FIXTURES / f"{name}.txt").read_text(encoding="utf-8") for name in [*AGREEMENTS, VISION]}
    vision_lines = texts[VISION].splitlines()
    paths = []
    for index in range(n):
        base = AGREEMENTS[index % len(AGREEMENTS)]
        stem = f"synth-{index:04d}-{municipality(index).lower()}"
        if index % TEXT_EVERY == TEXT_EVERY - 1:
            path = folder / f"{stem}.txt"
            if not path.exists():
                window = vision_window(index, len(vision_lines) // 40)
                extra = vision_lines[window.start * 40 : window.stop * 40]
                path.write_text("\n".join([*cover_lines(index), "", texts[base], *extra]) + "\n", encoding="utf-8")
        else:
            path = folder / f"{stem}.pdf"
            if not path.exists():
                writer = PdfWriter()
                writer.append(cover_pdf(index))
                writer.append(readers[base])
                writer.append(readers[VISION], pages=list(vision_window(index, len(readers[VISION].pages))))
                writer.add_metadata({"/Title": f"Prestatieafspraken gemeente {municipality(index)}"})
                with path.open("wb") as handle:
                    writer.write(handle)
        paths.append(path)
    return paths


def link_subset(paths: list[Path], folder: Path) -> None:
    """``folder`` holds exactly ``paths`` (hard links: no copies on disk)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in paths:
        os.link(path, folder / path.name)


# --------------------------------------------------------------------------- measuring


class TreeMemory:
    """Peak of the summed RSS of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for proc in tree:
                try:
                    total += proc.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_extract(inputs: Path, out: Path, workers: int) -> dict:
    """One ``afspraken extract`` run: wall and CPU time, peak RSS of the process tree, its stats."""
    stats_file = out.parent / f"{out.name}-stats.json"
    command = [sys.executable, "-m", "pipeline.cli", "extract", str(inputs), "--out", str(out), "--stats", str(stats_file)]
    if workers:
        command += ["--workers", str(workers)]
    cpu_before, start = children_cpu(), time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"afspraken extract failed ({process.returncode}):\n{stdout}\n{stderr}")
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(children_cpu() - cpu_before, 2),
        "peak_rss_mb": round(peak, 1),
        "summary": next(line for line in stdout.splitlines() if " processed, " in line),
        "stage_s": {stage: stats["stage_seconds"].get(stage, 0.0) for stage in STAGES},
        "processed": stats["processed"],
        "cached": stats["cached"],
        "documents": stats["documents"],
    }


def pdfplumber_baseline(pdfs: list[Path]) -> dict:
    def read(path: Path) -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()

    return _timed(pdfs, read)


def pypdfium2_baseline(pdfs: list[Path]) -> dict:
    def read(path: Path) -> None:
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        document.close()

    return _timed(pdfs, read)


def _timed(pdfs: list[Path], read) -> dict:
    cpu, start = time.process_time(), time.perf_counter()
    for path in pdfs:
        read(path)
    return {"wall_s": round(time.perf_counter() - start, 2), "cpu_s": round(time.process_time() - cpu, 2)}


def pdf_pages(pdfs: list[Path]) -> int:
    total = 0
    for path in pdfs:
        document = pdfium.PdfDocument(path)
        total += len(document)
        document.close()
    return total


# --------------------------------------------------------------------------- one size

# The new documents of the incremental runs: +1 and +10 into every register size.
ADDED = [1, 10]


def timed_wall(command: list[str], repeats: int = 5) -> float | None:
    """Best wall time of a short command (a start, not a run over documents); None when it fails
    (an older version without the option)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        if subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode:
            return None
        best = min(best, time.perf_counter() - start)
    return round(best, 3)


def bench_starts(work: Path, workers: int) -> dict:
    """``--help``, ``--version``, and a cold and an unchanged run over the five-document corpus."""
    cli = [sys.executable, "-m", "pipeline.cli"]
    out = work / "out-corpus"
    shutil.rmtree(out, ignore_errors=True)
    cold = run_extract(CORPUS, out, workers)
    unchanged = run_extract(CORPUS, out, workers)
    print(f"corpus/: cold {cold['wall_s']} s, unchanged {unchanged['wall_s']} s", flush=True)
    return {
        "help_s": timed_wall([*cli, "--help"]),
        "version_s": timed_wall([*cli, "--version"]),
        "corpus_cold": cold,
        "corpus_unchanged": unchanged,
        "corpus_unchanged_share": round(unchanged["wall_s"] / cold["wall_s"], 4),
    }


def bench_alone(new: list[Path], work: Path, workers: int) -> dict[int, dict]:
    """The new documents of the incremental runs, each set alone into an empty register."""
    alone = {}
    for k in ADDED:
        inputs, out = work / f"alone-{k}", work / f"out-alone-{k}"
        link_subset(new[:k], inputs)
        shutil.rmtree(out, ignore_errors=True)
        alone[k] = run_extract(inputs, out, workers)
        print(f"{k} new alone: {alone[k]['wall_s']} s", flush=True)
    return alone


def bench_incremental(inputs: Path, out: Path, new: list[Path], alone: dict[int, dict], workers: int) -> dict:
    """+1, -1 and +10 documents into the register of ``inputs`` (its outputs in ``out``)."""
    added: dict[str, dict] = {}
    for k in ADDED:
        for path in new[:k]:
            os.link(path, inputs / path.name)
        run = run_extract(inputs, out, workers)
        if run["processed"] != k:
            raise SystemExit(f"+{k}: expected {k} documents processed, got {run['summary']}")
        added[f"+{k}"] = {**run, "alone_s": alone[k]["wall_s"], "ratio_to_alone": round(run["wall_s"] / alone[k]["wall_s"], 2)}
        for path in new[:k]:
            (inputs / path.name).unlink()
        removed = run_extract(inputs, out, workers)
        if k == 1:
            added["-1"] = removed
        print(f"  +{k} {run['wall_s']} s ({added[f'+{k}']['ratio_to_alone']}x alone)" + (f", -1 {removed['wall_s']} s" if k == 1 else ""), flush=True)
    return added


def bench_size(n: int, corpus: list[Path], new: list[Path], alone: dict[int, dict], work: Path, workers: int) -> dict:
    inputs = work / f"n{n}"
    link_subset(corpus[:n], inputs)
    pdfs = sorted(p for p in inputs.iterdir() if p.suffix == ".pdf")
    texts = sorted(p for p in inputs.iterdir() if p.suffix == ".txt")
    pages = pdf_pages(pdfs)
    out = work / f"out-n{n}"
    shutil.rmtree(out, ignore_errors=True)
    print(f"N={n}: {len(pdfs)} PDFs ({pages} pages), {len(texts)} texts", flush=True)
    cold = run_extract(inputs, out, workers)
    print(f"  cold {cold['wall_s']} s, peak {cold['peak_rss_mb']} MB: {cold['summary']}", flush=True)
    warm = run_extract(inputs, out, workers)
    print(f"  warm {warm['wall_s']} s: {warm['summary']}", flush=True)
    incremental = bench_incremental(inputs, out, new, alone, workers)
    plumber = pdfplumber_baseline(pdfs)
    print(f"  pdfplumber extract_text {plumber['wall_s']} s", flush=True)
    pdfium_raw = pypdfium2_baseline(pdfs)
    print(f"  pypdfium2 get_text_range {pdfium_raw['wall_s']} s", flush=True)
    if cold["documents"] != n or warm["processed"] != 0:
        raise SystemExit(f"N={n}: expected {n} documents and a warm run without processing, got {cold['summary']} / {warm['summary']}")
    return {
        "n": n,
        "pdf_documents": len(pdfs),
        "text_documents": len(texts),
        "pdf_pages": pages,
        "cold": {**cold, "docs_per_s": round(n / cold["wall_s"], 2), "pdf_pages_per_s": round(pages / cold["wall_s"], 1)},
        "warm": {**warm, "docs_per_s": round(n / warm["wall_s"], 2)},
        "pdfplumber": {**plumber, "pages_per_s": round(pages / plumber["wall_s"], 1)},
        "pypdfium2": {**pdfium_raw, "pages_per_s": round(pages / pdfium_raw["wall_s"], 1)},
        "ratio_to_pdfplumber": round(cold["wall_s"] / plumber["wall_s"], 3),
        "ratio_to_pypdfium2": round(cold["wall_s"] / pdfium_raw["wall_s"], 3),
        "cpu_ratio_to_pdfplumber": round(cold["cpu_s"] / plumber["cpu_s"], 3),
        "warm_share": round(warm["wall_s"] / cold["wall_s"], 4),
        "peak_rss_mb": cold["peak_rss_mb"],
        "incremental": incremental,
    }


# --------------------------------------------------------------------------- report


def markdown(results: dict) -> str:
    rows = results["sizes"]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {results['machine']['cpus']} CPUs, {results['machine']['memory_gb']} GB, Python {results['machine']['python']}; "
        f"`afspraken extract` with {results['workers']} workers. Written by `make bench` on {results['date']}.",
        "",
        "Synthetic corpus: per document a generated cover page with its own municipality, all pages of one real agreement "
        "(Tynaarlo 2023 or Aa en Hunze 2022) and 4–9 pages of the Assen woonvisie (two-column pages); every fifth document is "
        "a text export built the same way. Raw readers: one process, page by page, on the same PDFs.",
        "",
        "| N | PDF pages | cold wall (s) | docs/s | PDF pages/s | CPU (s) | warm wall (s) | warm share | peak RSS (MB) | pdfplumber (s) | pypdfium2 (s) | ratio to pdfplumber | ratio to pypdfium2 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r['pdf_pages']} | {r['cold']['wall_s']} | {r['cold']['docs_per_s']} | {r['cold']['pdf_pages_per_s']} | "
            f"{r['cold']['cpu_s']} | {r['warm']['wall_s']} | {r['warm_share']:.1%} | {r['peak_rss_mb']} | {r['pdfplumber']['wall_s']} | "
            f"{r['pypdfium2']['wall_s']} | {r['ratio_to_pdfplumber']} | {r['ratio_to_pypdfium2']} |"
        )
    lines += [
        "",
        "The everyday run: new documents into a register of N (+1, +10), the one removed again (-1), each "
        "against the same new documents alone into an empty register; nothing changed (warm):",
        "",
        "| N | +1 (s) | +1 alone (s) | +1 ÷ alone | +10 (s) | +10 alone (s) | +10 ÷ alone | -1 (s) | nothing changed (s) | ÷ cold |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        inc = r["incremental"]
        lines.append(
            f"| {r['n']} | {inc['+1']['wall_s']} | {inc['+1']['alone_s']} | {inc['+1']['ratio_to_alone']} | {inc['+10']['wall_s']} | "
            f"{inc['+10']['alone_s']} | {inc['+10']['ratio_to_alone']} | {inc['-1']['wall_s']} | {r['warm']['wall_s']} | {r['warm_share']:.1%} |"
        )
    starts = results["starts"]
    lines += [
        "",
        f"Starts: `afspraken --help` {starts['help_s']} s, `--version` {starts['version_s']} s (best of 5); the five-document "
        f"`corpus/`: cold {starts['corpus_cold']['wall_s']} s, nothing changed {starts['corpus_unchanged']['wall_s']} s "
        f"({starts['corpus_unchanged_share']:.1%} of cold).",
    ]
    lines += ["", "Seconds per stage, cold run (summed over the worker processes; rendering: each document's pages and "
              "fragment in the worker that extracted it, then the aggregates in the main process):", ""]
    lines += ["| N | " + " | ".join(STAGES) + " |", "|---|" + "---|" * len(STAGES)]
    for r in rows:
        lines.append(f"| {r['n']} | " + " | ".join(f"{r['cold']['stage_s'][s]:.1f}" for s in STAGES) + " |")
    first, last = rows[0], rows[-1]
    goals = results["goals"]
    growth = last["peak_rss_mb"] / first["peak_rss_mb"]
    lines += [
        "",
        "A warm run processes nothing and writes nothing: its time is starting Python, comparing the inputs' sizes and "
        "mtimes (hashing those that differ) and the outputs with the outputs manifest (no rules, no spaCy, no worker).",
        "",
        f"Goals at N={last['n']}:",
        "",
        f"- full pipeline ÷ pdfplumber `extract_text()`: {last['ratio_to_pdfplumber']} (goal ≤ {goals['ratio_to_pdfplumber_max']}, "
        f"stretch ≤ {goals['ratio_to_pdfplumber_stretch']}); CPU time ÷ pdfplumber's CPU time: {last['cpu_ratio_to_pdfplumber']} "
        "(the same comparison without the parallel workers);",
        f"- warm ÷ cold: {last['warm_share']:.1%} (goal < {goals['warm_share_max']:.0%});",
        f"- peak RSS N={last['n']} ÷ N={first['n']}: {growth:.2f} (goal ≤ {goals['peak_rss_growth_max']});",
        f"- +1 document ÷ that document alone: {last['incremental']['+1']['ratio_to_alone']} (goal ≤ {goals['added_ratio_max']});",
        f"- nothing changed ÷ cold on `corpus/`: {starts['corpus_unchanged_share']:.1%} (goal ≤ {goals['unchanged_corpus_share_max']:.0%}); "
        f"at N={last['n']}: {last['warm_share']:.2%} (goal ≤ {goals.get('warm_share_large_max', 0.01):.0%}).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark afspraken extract against the raw PDF readers.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000], help="corpus sizes (default: 10 100 1000)")
    parser.add_argument("--work", type=Path, default=ROOT / "output" / "bench", help="folder for the synthetic corpus and outputs")
    parser.add_argument("--workers", type=int, default=0, help="workers for afspraken extract (default: its own default, the CPUs)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench", help="folder for results.json and results.md")
    parser.add_argument("--report-only", action="store_true", help="rewrite results.md from results.json without measuring")
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads((args.results / "results.json").read_text(encoding="utf-8"))
        (args.results / "results.md").write_text(markdown(results), encoding="utf-8")
        return 0
    corpus = build_corpus(args.work / "corpus", max(args.sizes) + max(ADDED))
    corpus, new = corpus[: max(args.sizes)], corpus[max(args.sizes):]
    starts = bench_starts(args.work, args.workers)
    alone = bench_alone(new, args.work, args.workers)
    sizes = [bench_size(n, corpus, new, alone, args.work, args.workers) for n in sorted(args.sizes)]
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1), "python": platform.python_version()},
        "workers": args.workers or os.cpu_count(),
        "sizes": sizes,
        "starts": starts,
        "goals": {
            "ratio_to_pdfplumber_max": 1.5,
            "ratio_to_pdfplumber_stretch": 0.1,
            "warm_share_max": 0.05,
            "peak_rss_growth_max": 1.5,
            "added_ratio_max": 2.0,
            "unchanged_corpus_share_max": 0.10,
            "warm_share_large_max": 0.01,
        },
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.results / "results.md").write_text(markdown(results), encoding="utf-8")
    print(f"written {args.results / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
