"""Hardening (issue 16): spreadsheet formulas, the untrusted cache, workers that die with the
main process, interrupts, long texts, Markdown escaping, bad --out, control characters in file
names, file names without a doc_id."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.extract import extract_document
from pipeline.files import safe_doc_id
from pipeline.model import Document
from pipeline.model.rules import default_rules
from pipeline.render import render_register
from pipeline.render.rows import safe_cell
from pipeline.run import BatchSettings, run_corpus
from pipeline.run.cache import cached_doc_id
from pipeline.tag.nlp import load_nlp
from tests.conftest import ROOT

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HOSTILE = (
    "Prestatieafspraken Proefdorp 2024\n"
    "1. Gemeente Proefdorp, vertegenwoordigd door wethouder A. Bakker, hierna te noemen: ‘de gemeente’.\n"
    '2. =HYPERLINK("http://x","klik"), vertegenwoordigd door directeur B. Smit.\n'
    "3 Samenwerking\n"
    '1. =HYPERLINK("http://x","klik") De gemeente bouwt 200 woningen.\n'
    "2. +cmd|' /C calc'!A0 De gemeente overlegt jaarlijks.\n"
    "3. -2+3 De gemeente bouwt in 2025 minimaal 50 woningen.\n"
    "4. @SUM(1+1) De gemeente <img src=x onerror=alert(1)> overlegt | jaarlijks.\n"
)


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, check=False, cwd=ROOT, **kwargs)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("in")
    (inputs / "proef-2024.txt").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    summary = run_corpus([inputs], out, default_rules(), BatchSettings(workers=1))
    assert not summary.errors and summary.documents == 1
    return inputs, out


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and (value.startswith(("\t", "\r")) or value.lstrip().startswith(FORMULA_STARTS))


# 1. Spreadsheet formula injection


def test_xlsx_has_no_formula_cells(hostile):
    _, out = hostile
    workbook = load_workbook(out / "register.xlsx")
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                assert not looks_like_formula(cell.value), f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                texts.append(cell.value)
    assert '\'=HYPERLINK("http://x","klik") De gemeente bouwt 200 woningen.' in texts
    assert "'+cmd|' /C calc'!A0 De gemeente overlegt jaarlijks." in texts
    assert "'-2+3 De gemeente bouwt in 2025 minimaal 50 woningen." in texts
    assert any(isinstance(t, str) and t.startswith("'@SUM(1+1)") for t in texts)
    assert '\'=HYPERLINK("http://x"' in [c.value for c in workbook["partijen"]["B"]]
    # numbers stay numbers
    values = [c.value for c in workbook["doelen"]["F"][1:]]
    assert sorted(values) == [50, 200] and all(isinstance(v, (int, float)) for v in values)


def test_csv_cells_never_start_a_formula(hostile):
    _, out = hostile
    for name in ("afspraken.csv", "targets.csv", "deadlines.csv"):
        with open(out / name, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) > 1, name
        for row in rows:
            for cell in row:
                assert not looks_like_formula(cell), f"{name}: {cell!r}"
    with open(out / "afspraken.csv", encoding="utf-8-sig", newline="") as handle:
        texts = [row[-1] for row in csv.reader(handle)]
    assert '\'=HYPERLINK("http://x","klik") De gemeente bouwt 200 woningen.' in texts
    assert "'+cmd|' /C calc'!A0 De gemeente overlegt jaarlijks." in texts


def test_the_shared_cell_rule_covers_whitespace_tab_and_cr_and_keeps_numbers():
    assert safe_cell("  =1+1") == "'  =1+1"
    assert safe_cell("\t=1") == "'\t=1" and safe_cell("\rx") == "'\rx" and safe_cell("\n@x") == "'\n@x"
    assert safe_cell("-5") == "'-5"  # text, not a number: escaped
    assert safe_cell(-5) == -5 and safe_cell(-2.5) == -2.5 and safe_cell(None) is None
    assert safe_cell("De gemeente") == "De gemeente" and safe_cell("") == ""


# 2. The cache is untrusted


def rewrite_cache(out: Path, change) -> None:
    entries = list((out / ".cache").glob("*.json"))
    assert len(entries) == 1
    data = json.loads(entries[0].read_text(encoding="utf-8"))
    change(data)
    entries[0].write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("bad_id", ["../../buiten", "/tmp/afspraken-absoluut", "javascript:alert(1)", "", "A" * 3, "x" * 81, ".verborgen"])
def test_a_cached_doc_id_that_is_not_a_slug_is_a_miss(tmp_path, bad_id):
    inputs, out = tmp_path / "in", tmp_path / "deep" / "out"
    inputs.mkdir()
    (inputs / "proef-2024.txt").write_text(HOSTILE, encoding="utf-8")
    rules = default_rules()
    run_corpus([inputs], out, rules, BatchSettings(workers=1))
    rewrite_cache(out, lambda data: data["document"].update(doc_id=bad_id))
    assert cached_doc_id(next((out / ".cache").glob("*.json"))) is None
    summary = run_corpus([inputs], out, rules, BatchSettings(workers=1))
    assert (summary.processed, summary.cached, summary.errors) == (1, 0, [])
    assert sorted(p.name for p in (out / "json").iterdir()) == ["proefdorp-2024.json"]
    assert not list(tmp_path.rglob("buiten*")) and not Path("/tmp/afspraken-absoluut.json").exists()
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="proefdorp-2024.html"' in index and "javascript:" not in index


def test_a_cache_entry_that_is_not_a_document_is_reprocessed(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "proef-2024.txt").write_text(HOSTILE, encoding="utf-8")
    rules = default_rules()
    run_corpus([inputs], out, rules, BatchSettings(workers=1))
    rewrite_cache(out, lambda data: data.update(document={"doc_id": "proefdorp-2024", "afspraken": "geen lijst"}))
    for _ in range(2):  # the next run repairs the entry; the one after reads it from the cache
        summary = run_corpus([inputs], out, rules, BatchSettings(workers=1))
        assert summary.errors == [] and summary.documents == 1 and summary.afspraken == 4
    assert (summary.processed, summary.cached) == (0, 1)


def test_no_output_is_written_under_a_doc_id_that_is_not_a_slug(tmp_path):
    document = extract_document(write(tmp_path / "proef-2024.txt", HOSTILE), default_rules()).document
    bad = document.model_copy(update={"doc_id": "../ontsnapt"})
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="not a slug"):
        render_register(iter([bad]), 1, [], default_rules(), out)
    assert not list(tmp_path.rglob("ontsnapt*"))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# 3. Workers die with the main process; interrupts are one line


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def busy_run(tmp_path):
    """The CLI working on a long document (minutes of tagging), with its worker(s) busy."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    body = "De gemeente bouwt in 2025 minimaal 50 woningen en overlegt jaarlijks met de huurders. " * 3000
    for name in ("lang-2024.txt", "lang-2025.txt"):
        write(inputs / name, f"Prestatieafspraken Proefdorp 2024\n3 Samenwerking\n1. {body}\n2. De gemeente overlegt. {name}\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "extract", str(inputs), "--out", str(tmp_path / "out"), "--workers", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        workers = children(process.pid)
    time.sleep(1.0)  # both are extracting now
    try:
        assert len(workers) == 2 and process.poll() is None
        yield process, workers
    finally:
        for pid in workers:  # never leave a test's workers behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
        process.communicate()


def gone_soon(pids: set[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def test_workers_die_when_the_main_process_is_killed(busy_run):
    process, workers = busy_run
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert gone_soon(workers), "workers outlived a SIGKILLed main process"


@pytest.mark.parametrize(("signum", "code", "word"), [(signal.SIGTERM, 143, "stopped"), (signal.SIGINT, 130, "interrupted")])
def test_sigterm_and_ctrl_c_give_one_line_and_stop_the_workers(busy_run, signum, code, word):
    process, workers = busy_run
    os.kill(process.pid, signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == code
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1 and stderr.startswith("afspraken: error: ") and word in stderr
    assert gone_soon(workers)


# 4. Smaller


def test_an_afspraak_longer_than_spacys_limit_is_tagged_in_pieces(tmp_path, monkeypatch):
    body = " ".join(
        f"De gemeente bouwt in {2024 + i % 5} minimaal {10 + i} woningen. De corporatie overlegt jaarlijks met de huurders." for i in range(40)
    )
    path = write(tmp_path / "proef-2024.txt", HOSTILE + f"5. {body}\n")
    rules = default_rules()
    whole = extract_document(path, rules).document
    monkeypatch.setattr(load_nlp(), "max_length", 500)  # spaCy refuses texts of this length and more
    assert len(body) > 6 * 500
    pieces = extract_document(path, rules).document
    assert pieces == whole
    assert len(pieces.afspraken[-1].targets) == 40 and pieces.afspraken[-1].responsible


def test_markdown_escapes_html_and_table_pipes(hostile):
    _, out = hostile
    markdown = (out / "markdown" / "proefdorp-2024.md").read_text(encoding="utf-8")
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in markdown
    row = next(line for line in markdown.splitlines() if "@SUM" in line)
    assert "overlegt \\| jaarlijks" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 9  # the table's own 8 columns, nothing more


def test_out_pointing_at_a_file_is_one_line_and_exit_2(tmp_path):
    text = write(tmp_path / "proef-2024.txt", HOSTILE)
    for out in (text, text / "sub"):
        result = cli("extract", str(text), "--out", str(out))
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith(f"afspraken: error: {out}: ")


def test_a_read_only_out_is_one_line_and_exit_2():
    """Run as an unprivileged user (root may write anywhere): a folder it cannot write to."""
    base = Path(tempfile.mkdtemp(prefix="afspraken-ro-"))
    try:
        os.chmod(base, 0o755)
        text = write(base / "proef-2024.txt", HOSTILE)
        os.chmod(text, 0o644)
        out = base / "alleen-lezen"
        out.mkdir(mode=0o555)
        os.chmod(out, 0o555)
        command = [sys.executable, "-m", "pipeline.cli", "extract", str(text), "--out", str(out)]
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv: cannot make a folder read-only")
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith(f"afspraken: error: {out}: cannot write the register there")
        assert not list(out.iterdir())
    finally:
        os.chmod(base / "alleen-lezen", 0o755)
        shutil.rmtree(base)


def test_control_characters_in_a_file_name_cannot_forge_lines(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "x\nerror: vervalst.txt").write_bytes(bytes(range(256)) * 16)  # binary: fails
    (inputs / "kleur\x1b[31m.txt").write_bytes(b"")  # empty: fails
    result = cli("extract", str(inputs), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.stderr
    assert sorted(lines) == sorted(
        [f"error: {inputs}/x\\nerror: vervalst.txt: binary data, not a text file", f"error: {inputs}/kleur\\x1b[31m.txt: empty file"]
    )
    assert "\x1b" not in result.stderr


def test_a_file_name_without_a_doc_id_gets_one_from_its_sha256(tmp_path):
    data = "3 Samenwerking\n1. De partijen werken samen aan betaalbaar wonen.\n2. De partijen overleggen jaarlijks.\n".encode()
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "---.txt").write_bytes(data)
    out = tmp_path / "out"
    result = cli("extract", str(inputs), "--out", str(out))
    assert result.returncode == 0, result.stderr
    doc_id = f"document-{hashlib.sha256(data).hexdigest()[:8]}"
    assert doc_id == safe_doc_id("", hashlib.sha256(data).hexdigest())
    document = Document.model_validate_json((out / "json" / f"{doc_id}.json").read_bytes())
    assert document.doc_id == doc_id and all(a.id.startswith(f"{doc_id}#") for a in document.afspraken)
    for folder, suffix in (("json", ".json"), ("site", ".html"), ("markdown", ".md")):
        assert (out / folder / f"{doc_id}{suffix}").is_file()
        assert not [p.name for p in (out / folder).iterdir() if p.name.startswith(".")]
