"""Compare the two PDF reading paths on the corpus: seconds and agreement with the text exports.

``pdfium``: words from pypdfium2's characters and boxes, pdfplumber only for ruled tables on
pages with enough vector paths; ``pdfplumber``: words and tables from pdfplumber. Writes
``bench/reading_paths.md`` and ``bench/reading_paths.json``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.read.pdf import PdfReadSettings, read_pdf_pages  # noqa: E402
from tests.conftest import CORPUS, FIXTURES, document_words, word_overlap  # noqa: E402

ENGINES = ["pdfplumber", "pdfium"]
REPEATS = 3  # best of three, so a busy machine does not decide


def best_seconds(path: Path, settings: PdfReadSettings) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        read_pdf_pages(path, settings)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    rows = []
    for pdf in sorted(CORPUS.glob("*.pdf")):
        text_words = document_words(FIXTURES / f"{pdf.stem}.txt")
        row = {"document": pdf.stem}
        for engine in ENGINES:
            settings = PdfReadSettings(engine=engine)
            row[engine] = {
                "seconds": round(best_seconds(pdf, settings), 3),
                "overlap_with_text": round(word_overlap(document_words(pdf, settings), text_words), 4),
            }
        rows.append(row)
    (ROOT / "bench" / "reading_paths.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# PDF reading paths",
        "",
        f"Best of {REPEATS} runs of `read_pdf_pages`; overlap = shared words ÷ words of the longer version, against the `.txt` export.",
        "",
        "| document | pdfplumber (s) | pdfium (s) | speed-up | overlap pdfplumber | overlap pdfium |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        a, b = r["pdfplumber"], r["pdfium"]
        lines.append(f"| {r['document']} | {a['seconds']} | {b['seconds']} | {a['seconds'] / b['seconds']:.1f}× | {a['overlap_with_text']} | {b['overlap_with_text']} |")
    (ROOT / "bench" / "reading_paths.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
