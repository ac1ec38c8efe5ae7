"""The command line as a user runs it: real corpus in, register files out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, FIXTURES, ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    """One run over the corpus PDFs and their text exports together."""
    inputs = tmp_path_factory.mktemp("in")
    for path in [*CORPUS.glob("*.pdf"), FIXTURES / "tynaarlo-2023.txt", FIXTURES / "aa-en-hunze-2022.txt"]:
        shutil.copy(path, inputs / path.name)
    (inputs / "notities.docx").write_bytes(b"PK\x03\x04 not supported")
    (inputs / "leeg.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("out")
    return run("extract", str(inputs), "--out", str(out)), out


def test_exit_code_and_summary_line(corpus_run):
    result, out = corpus_run
    assert result.returncode == 1  # two inputs failed, the rest is written
    assert result.stdout.splitlines() == [
        f"5 documents, 196 afspraken, 3 warnings, 2 failed (7 processed, 0 from cache); register written to {out}/",
        # two text twins of PDFs, and the woonvisie registered without afspraken
        "3 to check: aa-en-hunze-2022 (warnings); assen-2021 (warnings); tynaarlo-2023 (warnings)",
    ]


def test_each_bad_input_gets_one_clear_line(corpus_run):
    result, _ = corpus_run
    lines = sorted(result.stderr.strip().splitlines())
    assert len(lines) == 2
    assert lines[0].startswith("error: ") and lines[0].endswith("leeg.txt: empty file")
    assert lines[1].endswith("notities.docx: unsupported file type '.docx' (expected .pdf or .txt)")
    assert "Traceback" not in result.stderr


def test_register_keeps_pdfs_and_warns_about_text_twins(corpus_run):
    _, out = corpus_run
    register = json.loads((out / "register.json").read_text(encoding="utf-8"))
    assert [(d["doc_id"], d["source"]["format"]) for d in register] == [
        ("aa-en-hunze-2022", "pdf"), ("assen-2021", "pdf"), ("assen-2022", "pdf"), ("midden-drenthe-2023", "pdf"), ("tynaarlo-2023", "pdf"),
    ]
    tynaarlo = register[4]
    assert tynaarlo["warnings"][0].startswith("Dubbele invoer: ") and "tynaarlo-2023.txt is hetzelfde document als" in tynaarlo["warnings"][0]
    assert sorted(p.name for p in (out / "json").iterdir()) == ["aa-en-hunze-2022.json", "assen-2021.json", "assen-2022.json", "midden-drenthe-2023.json", "tynaarlo-2023.json"]
    single = json.loads((out / "json" / "tynaarlo-2023.json").read_text(encoding="utf-8"))
    assert single == tynaarlo
    assert single["afspraken"][11]["id"] == "tynaarlo-2023#12"


def test_schema_and_errors_files(corpus_run):
    _, out = corpus_run
    schema = json.loads((out / "register.schema.json").read_text(encoding="utf-8"))
    assert {"doc_id", "source", "parties", "signing", "validity", "afspraken", "warnings"} <= set(schema["properties"])
    errors = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert [e["error"] for e in errors] == ["empty file", "unsupported file type '.docx' (expected .pdf or .txt)"]


def test_help_and_usage_errors(tmp_path):
    assert run("--help").returncode == 0
    assert "--out" in run("extract", "--help").stdout
    assert run("extract").returncode == 2
    missing = run("extract", str(tmp_path / "nergens.pdf"), "--out", str(tmp_path))
    assert missing.returncode == 2 and "nergens.pdf: no such file or folder" in missing.stderr


def test_outputs_are_readable_by_others_like_any_written_file(corpus_run):
    _, out = corpus_run
    mask = os.umask(0)
    os.umask(mask)
    for name in ["register.json", "json/tynaarlo-2023.json", "site/index.html", "register.xlsx", "register.sqlite", "afspraken.csv"]:
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~mask, name


def test_summary_names_the_documents_to_review_also_when_nothing_changed(tmp_path):
    """A fictional municipality is unknown to the CBS list: the document is flagged, run after run."""
    out = tmp_path / "out"
    for _ in range(2):
        result = run("extract", str(ROOT / "tests" / "synthetic" / "oosterzand-2025.txt"), "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "1 to check: oosterzand-2025 (unknown_municipality)"
    register = json.loads((out / "register.json").read_text(encoding="utf-8"))
    assert register[0]["review"] == ["unknown_municipality"] and register[0]["municipality_codes"] == [None]


def test_summary_names_ten_documents_to_check_and_counts_the_rest(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(12):  # fictional municipalities, unknown to the CBS list
        (inputs / f"proef-{i:02d}.txt").write_text(
            f"Prestatieafspraken Proefdorp{i:02d} 2024\n1. Gemeente Proefdorp{i:02d}, vertegenwoordigd door wethouder A. Bakker.\n"
            "3 Samenwerking\n1. De gemeente overlegt jaarlijks met de huurders.\n", encoding="utf-8")
    result = run("extract", str(inputs), "--out", str(tmp_path / "out"))
    line = result.stdout.splitlines()[-1]
    assert line.startswith("12 to check: proefdorp00-2024 (unknown_municipality); ") and line.endswith("; and 2 more")
    assert line.count("(unknown_municipality)") == 10
