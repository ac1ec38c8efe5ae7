"""Hardening (issue 16): spreadsheet formulas, the untrusted cache, workers that die with the
main process, interrupts, long texts, Markdown escaping, bad --out, control characters in file
names, file names without a doc_id, one run at a time per --out, different agreements never
merged as duplicates (and doc_ids that do not depend on the order of paths), failures in sorted
order, empty input, symbolic links out of the input folders, openpyxl's temporary files."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
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
from pipeline.render import Part, document_fragment, render_pages, render_register
from pipeline.render.site import site_summary
from pipeline.timeline.timelines import TimelineCollector
from pipeline.render.rows import safe_cell
from pipeline.run import BatchSettings, run_corpus
from pipeline.run.cache import cached_doc_id
from pipeline.tag.nlp import load_nlp
from tests.conftest import FIXTURES, ROOT

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
    notes = []
    for _ in range(2):  # the next run repairs the entry (and says so); the one after reads it from the cache
        summary = run_corpus([inputs], out, rules, BatchSettings(workers=1))
        assert summary.errors == [] and summary.documents == 1 and summary.afspraken == 4
        notes.append(summary.notes)
    assert (summary.processed, summary.cached) == (0, 1)
    assert len(notes[0]) == 1 and "damaged cache entry" in notes[0][0] and notes[1] == []


def test_no_output_is_written_under_a_doc_id_that_is_not_a_slug(tmp_path):
    document = extract_document(write(tmp_path / "proef-2024.txt", HOSTILE), default_rules()).document
    bad = document.model_copy(update={"doc_id": "../ontsnapt"})
    out = tmp_path / "out"
    rules = default_rules()
    with pytest.raises(ValueError, match="not a slug"):
        render_pages(bad, rules, out, None)
    with pytest.raises(ValueError, match="not a slug"):
        render_register(iter([Part(site_summary(bad, rules, None), lambda: document_fragment(bad, rules, None))]), 1, [], rules, out, TimelineCollector(rules))
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


def test_out_pointing_at_a_file_is_one_line_and_exit_1(tmp_path):
    text = write(tmp_path / "proef-2024.txt", HOSTILE)
    for out in (text, text / "sub"):
        result = cli("extract", str(text), "--out", str(out))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith(f"afspraken: error: {out}: ")


def test_a_read_only_out_is_one_line_and_exit_1():
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
        assert result.returncode == 1, result.stderr
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


# 5. One run at a time per --out


def tree(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under ``out`` (the cache too): size, mtime and content."""
    return {str(p.relative_to(out)): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(out.rglob("*")) if p.is_file()}


def locked_message(out: Path) -> str:
    return f"afspraken: error: another afspraken run is writing to {out}; try again when it has finished"


def test_with_no_wait_a_second_run_on_a_locked_out_stops_at_once_and_writes_nothing(tmp_path):
    text = write(tmp_path / "proef-2024.txt", HOSTILE)
    out = tmp_path / "out"
    assert cli("extract", str(text), "--out", str(out)).returncode == 0
    before = tree(out)
    with open(out / ".cache" / "run.lock", "a") as held:  # another run holds --out
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        started = time.monotonic()
        second = cli("extract", str(text), "--out", str(out), "--force", "--no-wait")
        assert time.monotonic() - started < 60  # it does not wait for the lock
    assert second.returncode == 2
    assert second.stderr.splitlines() == [locked_message(out)] and second.stdout == ""
    assert tree(out) == before  # not a byte written, not a cache entry touched
    again = cli("extract", str(text), "--out", str(out), "--force")  # the lock went with its holder
    assert again.returncode == 0 and "(1 processed, 0 from cache)" in again.stdout


def test_by_default_a_second_run_waits_for_the_lock_and_then_completes(tmp_path):
    text = write(tmp_path / "proef-2024.txt", HOSTILE)
    out = tmp_path / "out"
    assert cli("extract", str(text), "--out", str(out)).returncode == 0
    with open(out / ".cache" / "run.lock", "a") as held:  # another run holds --out
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "extract", str(text), "--out", str(out), "--force"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(3)
        assert second.poll() is None  # still waiting
    stdout, stderr = second.communicate(timeout=120)  # the lock went with its holder
    assert second.returncode == 0
    assert stderr.splitlines() == [f"waiting: another afspraken run is writing to {out}"]
    assert "(1 processed, 0 from cache)" in stdout


def test_a_run_started_while_another_writes_to_the_same_out_leaves_it_complete(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("tynaarlo-2023.txt", "aa-en-hunze-2022.txt"):
        shutil.copy(FIXTURES / name, inputs / name)
    body = "De gemeente bouwt in 2025 minimaal 50 woningen en overlegt jaarlijks met de huurders. " * 2000  # some seconds of tagging
    write(inputs / "lang-2024.txt", f"Prestatieafspraken Proefdorp 2024\n3 Samenwerking\n1. {body}\n2. De gemeente overlegt.\n")
    out = tmp_path / "out"
    first = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "extract", str(inputs), "--out", str(out), "--workers", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not children(first.pid) and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.1)
        assert first.poll() is None, "the first run ended before the second could start"
        second = cli("extract", str(inputs), "--out", str(out), "--force", "--no-wait")
        assert first.poll() is None, "the first run ended before the second tried the lock: make its input longer"
        stdout, stderr = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert second.returncode == 2 and second.stderr.splitlines() == [locked_message(out)] and second.stdout == ""
    assert first.returncode == 0, stderr
    assert stdout.startswith("3 documents, ") and "(3 processed, 0 from cache)" in stdout and stderr == ""
    doc_ids = ["aa-en-hunze-2022", "proefdorp-2024", "tynaarlo-2023"]
    register = json.loads((out / "register.json").read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in register] == doc_ids
    assert [len(d["afspraken"]) for d in register] == [85, 2, 43]
    for folder, suffix in (("json", ".json"), ("site", ".html"), ("markdown", ".md")):
        assert sorted(p.name for p in (out / folder).glob(f"*{suffix}") if p.stem not in ("index", "vergelijking", "landelijk", "controleren")) == [
            f"{d}{suffix}" for d in doc_ids
        ]
    assert len(list((out / ".cache").glob("*.json"))) == 3
    with sqlite3.connect(out / "register.sqlite") as db:
        assert db.execute("SELECT count(*) FROM afspraken").fetchone() == (130,)
    assert len(list(load_workbook(out / "register.xlsx")["afspraken"].iter_rows())) == 131  # header + afspraken
    assert not [p for p in out.rglob(".*") if p.is_file()]  # no partial files left
    # and the next run finds it all in place
    third = cli("extract", str(inputs), "--out", str(out))
    assert third.returncode == 0 and "(0 processed, 3 from cache)" in third.stdout


# 6. Different agreements are not duplicates; doc_ids do not depend on the order of paths


def changed_copy(text: str, lines: int = 40) -> str:
    """The agreement with another corporation (Lefier for Woonborg) and other numbers, in
    ``lines`` lines; the years stay, so it is the same municipality and year (same doc_id)."""
    out, changed = [], 0
    for line in text.split("\n"):
        new = line.replace("Woonborg", "Lefier")
        if re.search(r"\d", new) and not re.search(r"20\d\d", new):
            new = re.sub(r"\d+", lambda m: str(int(m.group()) * 3 + 7), new)
        if new != line and changed < lines:
            out.append(new)
            changed += 1
        else:
            out.append(line)
    assert changed == lines
    return "\n".join(out)


def register_by_sha(out: Path) -> dict[str, tuple[str, list[str]]]:
    register = json.loads((out / "register.json").read_text(encoding="utf-8"))
    return {d["source"]["sha256"]: (d["doc_id"], d["warnings"]) for d in register}


def test_a_changed_copy_of_an_agreement_is_its_own_document_under_a_stable_id(tmp_path):
    original = (FIXTURES / "tynaarlo-2023.txt").read_text(encoding="utf-8")
    copy = changed_copy(original)
    sha = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in (("original", original), ("copy", copy))}
    first_sha, second_sha = sorted(sha.values())
    runs = []
    # the same two texts under names that sort one way, then the other, given in opposite orders
    for index, names in enumerate([("a-tynaarlo.txt", "b-kopie.txt"), ("b-tynaarlo.txt", "a-kopie.txt")]):
        inputs = tmp_path / f"in{index}"
        inputs.mkdir()
        paths = [write(inputs / names[0], original), write(inputs / names[1], copy)]
        out = tmp_path / f"out{index}"
        result = cli("extract", *map(str, paths if index == 0 else reversed(paths)), "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("2 documents, 86 afspraken, 0 warnings, 0 failed")
        runs.append(register_by_sha(out))
    assert runs[0] == runs[1] == {first_sha: ("tynaarlo-2023", []), second_sha: ("tynaarlo-2023-2", [])}
    lefier = json.loads((tmp_path / "out0" / "json" / f"{runs[0][sha['copy']][0]}.json").read_text(encoding="utf-8"))
    assert any("Lefier" in p["name"] for p in lefier["parties"])
    assert not any("Woonborg" in p["name"] for p in lefier["parties"])


def test_a_pdf_is_merged_with_its_own_text_export_not_with_the_export_of_a_changed_copy(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(ROOT / "corpus" / "tynaarlo-2023.pdf", inputs / "tynaarlo-2023.pdf")
    original = (FIXTURES / "tynaarlo-2023.txt").read_text(encoding="utf-8")
    write(inputs / "tynaarlo-2023.txt", original)
    copy = write(inputs / "tynaarlo-kopie.txt", changed_copy(original))
    result = cli("extract", str(inputs), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    register = json.loads((tmp_path / "out" / "register.json").read_text(encoding="utf-8"))
    by_format = {d["source"]["path"]: d for d in register}
    assert sorted(Path(p).name for p in by_format) == ["tynaarlo-2023.pdf", "tynaarlo-kopie.txt"]
    pdf = by_format[str(inputs / "tynaarlo-2023.pdf")]
    assert pdf["warnings"] == [
        f"Dubbele invoer: {inputs / 'tynaarlo-2023.txt'} is hetzelfde document als {inputs / 'tynaarlo-2023.pdf'}; alleen dat laatste is opgenomen."
    ]
    assert by_format[str(copy)]["warnings"] == []
    assert {d["doc_id"] for d in register} == {"tynaarlo-2023", "tynaarlo-2023-2"}


# 7. Failures in sorted order, empty input, symbolic links, openpyxl's temporary files


def test_failures_are_listed_in_sorted_order_on_stderr_and_in_errors_json(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a-leeg.pdf").write_bytes(b"")  # fails in a worker
    (inputs / "b-notulen.docx").write_bytes(b"PK\x03\x04")  # fails before any worker starts
    (inputs / "c-binair.txt").write_bytes(bytes(range(256)) * 16)
    (inputs / "d-afgebroken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj")
    shutil.copy(FIXTURES / "tynaarlo-2023.txt", inputs / "e-tynaarlo-2023.txt")
    expected = [
        (inputs / "a-leeg.pdf", "empty file"),
        (inputs / "b-notulen.docx", "unsupported file type '.docx' (expected .pdf or .txt)"),
        (inputs / "c-binair.txt", "binary data, not a text file"),
        (inputs / "d-afgebroken.pdf", "corrupt or truncated PDF (Data format error)"),
    ]
    for attempt in range(2):
        result = cli("extract", str(inputs), "--out", str(tmp_path / "out"), "--workers", "2", "--force")
        assert result.returncode == 1
        assert result.stderr.splitlines() == [f"error: {path}: {reason}" for path, reason in expected]
        errors = json.loads((tmp_path / "out" / "errors.json").read_text(encoding="utf-8"))
        assert errors == [{"path": str(path), "error": reason} for path, reason in expected]


@pytest.mark.parametrize("content", ["empty", "unsupported", "hidden"])
def test_an_input_folder_without_pdf_or_text_files_is_one_line_and_exit_1(tmp_path, content):
    inputs = tmp_path / "in"
    inputs.mkdir()
    if content == "unsupported":
        (inputs / "notities.docx").write_bytes(b"PK\x03\x04")
    elif content == "hidden":
        write(inputs / ".verborgen.txt", HOSTILE)
    out = tmp_path / "out"
    result = cli("extract", str(inputs), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"afspraken: error: {inputs}: no .pdf or .txt files to read"] and result.stdout == ""
    assert not out.exists()


def test_symbolic_links_out_of_an_input_folder_are_skipped(tmp_path):
    outside = tmp_path / "buiten"
    (outside / "map").mkdir(parents=True)
    write(outside / "geheim-2024.txt", HOSTILE)
    write(outside / "map" / "ook-geheim-2024.txt", HOSTILE.replace("Proefdorp", "Elders"))
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "tynaarlo-2023.txt", inputs / "sub" / "tynaarlo-2023.txt")
    (inputs / "geheim.txt").symlink_to(outside / "geheim-2024.txt")
    (inputs / "map").symlink_to(outside / "map", target_is_directory=True)
    (inputs / "passwd.txt").symlink_to("/etc/passwd")
    (inputs / "binnen.txt").symlink_to(inputs / "sub" / "tynaarlo-2023.txt")  # stays inside: read (and one document)
    out = tmp_path / "out"
    result = cli("extract", str(inputs), "--out", str(out))
    assert result.returncode == 1
    skipped = [inputs / "geheim.txt", inputs / "map", inputs / "passwd.txt"]
    assert result.stderr.splitlines() == [f"error: {p}: symbolic link pointing outside {inputs}; skipped" for p in skipped]
    errors = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert errors == [{"path": str(p), "error": f"symbolic link pointing outside {inputs}; skipped"} for p in skipped]
    assert result.stdout.startswith("1 document, 43 afspraken")
    published = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file() and p.suffix in {".json", ".csv", ".md"})
    assert "Proefdorp" not in published and "Elders" not in published and "root:" not in published
    assert [d["doc_id"] for d in json.loads((out / "register.json").read_text(encoding="utf-8"))] == ["tynaarlo-2023"]


@pytest.mark.parametrize("folder", ["staged", "fragments"])
def test_a_cache_folder_that_is_a_link_is_not_followed(tmp_path, folder):
    """Workers write rendered pages and fragments into the cache: a symbolic link put there in
    place of their folder does not take them outside --out."""
    inputs, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elders"
    inputs.mkdir()
    elsewhere.mkdir()
    write(inputs / "proef-2024.txt", HOSTILE)
    (out / ".cache").mkdir(parents=True)
    (out / ".cache" / folder).symlink_to(elsewhere, target_is_directory=True)
    summary = run_corpus([inputs], out, default_rules(), BatchSettings(workers=1))
    assert (summary.documents, summary.errors) == (1, [])
    assert list(elsewhere.iterdir()) == []
    assert not (out / ".cache" / folder).is_symlink()
    (page,) = (out / "json").glob("*.json")  # the document's pages are in place
    assert (out / "site" / f"{page.stem}.html").is_file() and (out / "markdown" / f"{page.stem}.md").is_file()


def test_an_unchanged_rerun_with_failures_rewrites_nothing(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(FIXTURES / "tynaarlo-2023.txt", inputs)
    (inputs / "leeg.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert cli("extract", str(inputs), "--out", str(out)).returncode == 1
    before = tree(out)
    again = cli("extract", str(inputs), "--out", str(out))
    assert again.returncode == 1 and "(0 processed, 1 from cache)" in again.stdout
    after = tree(out)
    assert {k: v for k, v in after.items() if not k.startswith(".cache")} == {k: v for k, v in before.items() if not k.startswith(".cache")}
