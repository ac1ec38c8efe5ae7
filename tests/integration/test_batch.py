"""Batch runs: bad input, limits, interrupted runs, the cache, deterministic output."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.run.workers import BatchSettings, run_batch
from tests.conftest import CORPUS, FIXTURES, ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, check=False)


def summary_counts(result: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    """(processed, from cache) from the summary line."""
    line = next(line for line in result.stdout.splitlines() if " processed, " in line)
    inside = line[line.index("(") + 1 : line.index(")")]
    processed, cached = (int(part.split()[0]) for part in inside.split(", "))
    return processed, cached


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("in")
    shutil.copy(CORPUS / "tynaarlo-2023.pdf", inputs)
    shutil.copy(FIXTURES / "aa-en-hunze-2022.txt", inputs)
    (inputs / "leeg.pdf").write_bytes(b"")
    pdf = (CORPUS / "tynaarlo-2023.pdf").read_bytes()
    (inputs / "afgebroken.pdf").write_bytes(pdf[: len(pdf) // 2])
    (inputs / "onzin.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    locked = PdfWriter()
    locked.append(PdfReader(CORPUS / "tynaarlo-2023.pdf"))
    locked.encrypt("geheim")
    locked.write(inputs / "beveiligd.pdf")
    scanned = PdfWriter()
    scanned.add_blank_page(595, 842)
    scanned.write(inputs / "scan.pdf")
    (inputs / "oud-2021.txt").write_bytes(
        "1. Gemeente Oudeschans, vertegenwoordigd door wethouder K. Bos.\n3 Samenwerking\n1. De gemeente coördineert het overleg.\n".encode("cp1252")
    )
    (inputs / "binair.txt").write_bytes(bytes(range(256)) * 16)
    (inputs / "notulen.docx").write_bytes(b"PK\x03\x04")
    (inputs / "brief-2023.txt").write_text("Geachte heer, hierbij de stukken. Met vriendelijke groet.\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    return run("extract", str(inputs), "--out", str(out)), out


EXPECTED_ERRORS = {
    "leeg.pdf": "empty file",
    "afgebroken.pdf": "corrupt or truncated PDF (Data format error)",
    "onzin.pdf": "corrupt or truncated PDF (Data format error)",
    "beveiligd.pdf": "password-protected PDF; remove the password and run again",
    "scan.pdf": "PDF has no text layer (scanned pages?); run OCR on it first, e.g. ocrmypdf",
    "binair.txt": "binary data, not a text file",
    "notulen.docx": "unsupported file type '.docx' (expected .pdf or .txt)",
}


def test_bad_inputs_are_listed_with_their_reason(bad_batch):
    result, out = bad_batch
    assert result.returncode == 1
    errors = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert {Path(e["path"]).name: e["error"] for e in errors} == EXPECTED_ERRORS
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(EXPECTED_ERRORS) and "Traceback" not in result.stderr
    for name, reason in EXPECTED_ERRORS.items():
        assert any(line.startswith("error: ") and line.endswith(f"{name}: {reason}") for line in lines)
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert all(name in index for name in EXPECTED_ERRORS)


def test_good_documents_are_complete_despite_bad_ones(bad_batch):
    _, out = bad_batch
    register = {d["doc_id"]: d for d in json.loads((out / "register.json").read_text(encoding="utf-8"))}
    assert sorted(register) == ["aa-en-hunze-2022", "brief-2023", "oudeschans-2021", "tynaarlo-2023"]
    assert len(register["tynaarlo-2023"]["afspraken"]) == 43
    assert len(register["aa-en-hunze-2022"]["afspraken"]) == 85
    legacy = register["oudeschans-2021"]
    assert legacy["warnings"] == ["Tekstbestand is geen UTF-8; gelezen als Windows-1252 (cp1252)."]
    assert legacy["afspraken"][0]["text"] == "De gemeente coördineert het overleg."
    assert register["brief-2023"]["afspraken"] == []
    assert register["brief-2023"]["warnings"] == ["Geen genummerde afspraken gevonden."]


def test_hanging_document_is_stopped_and_the_batch_goes_on(rules, tmp_path):
    settings = BatchSettings(workers=2, timeout=0.05, force=True)
    result = run_batch([CORPUS / "woonvisie-assen-2021.pdf"], rules, tmp_path, settings)
    assert result.errors == [{"path": str(CORPUS / "woonvisie-assen-2021.pdf"), "error": "timed out after 0.05 s; the worker was stopped"}]
    settings = BatchSettings(workers=2, timeout=60, force=True)
    assert run_batch([FIXTURES / "tynaarlo-2023.txt"], rules, tmp_path, settings).processed == 1


def test_memory_cap_fails_one_document_not_the_batch(tmp_path):
    # Reading a 120 MB text file needs more than the 64 MB a document may add; the agreement
    # after it needs far less and is still registered.
    big = tmp_path / "in" / "groot-2024.txt"
    big.parent.mkdir()
    big.write_bytes(b"1. De gemeente bouwt woningen.\n" * 4_000_000)
    out = tmp_path / "out"
    result = run(
        "extract", str(big), str(FIXTURES / "tynaarlo-2023.txt"),
        "--out", str(out), "--workers", "1", "--memory-mb", "64",
    )
    assert result.returncode == 1
    errors = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert errors == [{"path": str(big), "error": "ran out of memory (cap 64 MB per document)"}]
    assert [d["doc_id"] for d in json.loads((out / "register.json").read_text(encoding="utf-8"))] == ["tynaarlo-2023"]


def test_file_that_disappears_or_is_no_file(rules, tmp_path):
    fifo = tmp_path / "pijp.txt"
    os.mkfifo(fifo)
    result = run_batch([tmp_path / "weg.pdf", fifo], rules, tmp_path / "cache", BatchSettings(workers=1))
    assert [e["error"] for e in result.errors] == ["file disappeared before it could be read", "not a regular file"]


def test_second_run_reuses_everything_and_a_change_redoes_one(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("tynaarlo-2023.txt", "aa-en-hunze-2022.txt"):
        shutil.copy(FIXTURES / name, inputs / name)
    out = tmp_path / "out"
    assert summary_counts(run("extract", str(inputs), "--out", str(out))) == (2, 0)
    assert summary_counts(run("extract", str(inputs), "--out", str(out))) == (0, 2)
    changed = inputs / "tynaarlo-2023.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert summary_counts(run("extract", str(inputs), "--out", str(out))) == (1, 1)
    assert summary_counts(run("extract", str(inputs), "--out", str(out), "--force")) == (2, 0)
    (inputs / "aa-en-hunze-2022.txt").unlink()
    run("extract", str(inputs), "--out", str(out))
    assert [d["doc_id"] for d in json.loads((out / "register.json").read_text(encoding="utf-8"))] == ["tynaarlo-2023"]
    assert not (out / "json" / "aa-en-hunze-2022.json").exists()
    assert not (out / "site" / "aa-en-hunze-2022.html").exists()


def test_changing_a_rule_redoes_every_document(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    out = tmp_path / "out"
    assert summary_counts(run("extract", str(FIXTURES / "tynaarlo-2023.txt"), "--out", str(out), "--rules", str(rules))) == (1, 0)
    themes = rules / "themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("[leefbaarheid,", "[leefbaarheid, schoon heel en veilig,"), encoding="utf-8")
    assert summary_counts(run("extract", str(FIXTURES / "tynaarlo-2023.txt"), "--out", str(out), "--rules", str(rules))) == (1, 0)


def test_editing_the_pipeline_code_redoes_every_document_and_every_output(tmp_path):
    """A new version of the code never serves results (or outputs) of the old one."""
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "pipeline", copy / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "rules", copy / "rules")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(copy)}

    def run_copy() -> subprocess.CompletedProcess[str]:
        args = ["extract", str(FIXTURES / "tynaarlo-2023.txt"), "--out", str(out)]
        return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, env=env, cwd=copy, check=False)

    assert summary_counts(run_copy()) == (1, 0)
    assert summary_counts(run_copy()) == (0, 1)
    register = (out / "register.json").stat().st_mtime_ns
    source = copy / "pipeline" / "tag" / "commitment.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# a local edit\n", encoding="utf-8")
    assert summary_counts(run_copy()) == (1, 0)
    assert (out / "register.json").stat().st_mtime_ns != register


def test_killed_run_leaves_previous_outputs_and_the_next_run_completes(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(FIXTURES / "tynaarlo-2023.txt", inputs)
    out = tmp_path / "out"
    run("extract", str(inputs), "--out", str(out))
    before = (out / "register.json").read_bytes()
    for path in CORPUS.glob("*.pdf"):
        shutil.copy(path, inputs)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "extract", str(inputs), "--out", str(out), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    cache = out / ".cache"
    deadline = time.monotonic() + 120
    while len(list(cache.glob("*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the first new document is done, then kill the whole run
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert (out / "register.json").read_bytes() == before
    result = run("extract", str(inputs), "--out", str(out), "--workers", "1")
    processed, cached = summary_counts(result)
    assert cached >= 2 and processed + cached == 1 + len(list(CORPUS.glob("*.pdf")))
    register = json.loads((out / "register.json").read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in register] == ["aa-en-hunze-2022", "assen-2021", "assen-2022", "midden-drenthe-2023", "tynaarlo-2023"]
    for doc in register:
        assert json.loads((out / "json" / f"{doc['doc_id']}.json").read_text(encoding="utf-8")) == doc
    assert [p for p in out.rglob(".*") if p.is_file()] == []  # no half-written files left behind


def test_output_is_byte_identical_across_runs(tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        run("extract", str(FIXTURES / "tynaarlo-2023.txt"), str(FIXTURES / "aa-en-hunze-2022.txt"), "--out", str(out), "--force")
    for name in ["register.json", "register.schema.json", "json/tynaarlo-2023.json", "afspraken.csv", "targets.csv", "deadlines.csv", "errors.json"]:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    dumps = ["\n".join(sqlite3.connect(out / "register.sqlite").iterdump()) for out in outs]
    assert dumps[0] == dumps[1]


def test_unchanged_run_leaves_outputs_alone_and_a_touched_output_is_written_again(tmp_path):
    inputs = [str(FIXTURES / "tynaarlo-2023.txt"), str(FIXTURES / "aa-en-hunze-2022.txt")]
    out = tmp_path / "out"
    first = run("extract", *inputs, "--out", str(out))
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    second = run("extract", *inputs, "--out", str(out))
    assert second.stdout.split("(")[0] == first.stdout.split("(")[0] == "2 documents, 128 afspraken, 0 warnings, 0 failed "
    assert {p: p.stat().st_mtime_ns for p in written} == written
    (out / "site" / "index.html").unlink()
    run("extract", *inputs, "--out", str(out))
    assert "128 afspraken" in (out / "site" / "index.html").read_text(encoding="utf-8")


def test_stats_file_counts_pages_and_times_every_stage(tmp_path):
    stats_file = tmp_path / "stats.json"
    run("extract", str(CORPUS), "--out", str(tmp_path / "out"), "--stats", str(stats_file))
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert (stats["documents"], stats["processed"], stats["cached"], stats["failed"], stats["pages_processed"]) == (5, 5, 0, 0, 114)
    assert set(stats["stage_seconds"]) == {"reading", "cleaning", "structure", "metadata", "tagging", "rendering"}
    assert all(seconds > 0 for seconds in stats["stage_seconds"].values())
