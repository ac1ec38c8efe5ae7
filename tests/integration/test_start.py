"""Start only what is needed: what a command loads, and when a run forks workers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CORPUS, FIXTURES, ROOT

# Runs the command line in a fresh interpreter, counting forks, and reports on its last line
# which of the heavy libraries it loaded.
PROBE = """
import json, os, sys
forks = []
fork = os.fork
def counted_fork():
    forks.append(1)
    return fork()
os.fork = counted_fork
from pipeline.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = {"spacy", "pdfplumber", "pypdfium2", "openpyxl", "jinja2", "pydantic"}
print(json.dumps({"code": code, "forks": len(forks), "loaded": sorted(heavy & {m.split(".")[0] for m in sys.modules})}))
"""


def probe(*args: str) -> tuple[dict, str]:
    """(exit code, forks, heavy libraries loaded) of one command, and what it printed before."""
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, check=False)
    *printed, last = result.stdout.splitlines()
    return json.loads(last), "\n".join(printed)


def test_help_and_version_load_no_library_of_the_pipeline():
    for args in (["--help"], ["extract", "--help"], ["--version"]):
        report, printed = probe(*args)
        assert report == {"code": 0, "forks": 0, "loaded": []}, args
    assert printed == "afspraken 0.1.0"


def test_a_run_with_nothing_new_loads_nothing_and_forks_no_worker(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(FIXTURES / "tynaarlo-2023.txt", inputs)
    shutil.copy(CORPUS / "assen-2022.pdf", inputs)
    (inputs / "leeg.pdf").write_bytes(b"")  # bad input fails the same way every run: nothing to retry
    first, printed = probe("extract", str(inputs), "--out", str(out), "--workers", "2")
    assert first["code"] == 1 and first["forks"] == 2
    assert printed == f"2 documents, 81 afspraken, 0 warnings, 1 failed (2 processed, 0 from cache); register written to {out}/"
    again, printed = probe("extract", str(inputs), "--out", str(out))
    assert again == {"code": 1, "forks": 0, "loaded": []}
    assert printed == f"2 documents, 81 afspraken, 0 warnings, 1 failed (0 processed, 2 from cache); register written to {out}/"


def test_removing_a_document_renders_without_loading_the_pipeline(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for name in ("tynaarlo-2023.txt", "aa-en-hunze-2022.txt"):
        shutil.copy(FIXTURES / name, inputs)
    probe("extract", str(inputs), "--out", str(out))
    (inputs / "aa-en-hunze-2022.txt").unlink()
    report, printed = probe("extract", str(inputs), "--out", str(out))
    assert report["forks"] == 0 and "spacy" not in report["loaded"] and "pypdfium2" not in report["loaded"]
    assert printed.startswith("1 document, 43 afspraken, ")
    assert [d["doc_id"] for d in json.loads((out / "register.json").read_text(encoding="utf-8"))] == ["tynaarlo-2023"]


def test_new_text_files_leave_the_pdf_libraries_unloaded(tmp_path):
    report, _ = probe("extract", str(FIXTURES / "tynaarlo-2023.txt"), "--out", str(tmp_path / "out"), "--workers", "1")
    assert report["forks"] == 1 and "spacy" in report["loaded"]
    assert "pdfplumber" not in report["loaded"] and "pypdfium2" not in report["loaded"]


def test_a_malformed_rule_file_is_still_a_usage_error(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "themes.yaml").write_text("themes: [niet, af\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "extract", str(FIXTURES / "tynaarlo-2023.txt"), "--out", str(tmp_path / "out"), "--rules", str(rules)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"afspraken: error: {rules / 'themes.yaml'}:") and "not valid YAML" in result.stderr
    assert len(result.stderr.splitlines()) == 1
