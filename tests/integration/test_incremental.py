"""Incremental outputs: a run renders only the documents that are new or changed, updates
register.sqlite in place, and writes exactly what a full run (``--force``) writes on the same
inputs — every file byte for byte, XLSX cell by cell, SQLite by ``iterdump`` (but for the
full-text index's own tables, checked against its content instead: ``sqlite_content``)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.model.rules import default_rules
from pipeline.render.fragment import load_fragment, store_fragment
from pipeline.run import BatchSettings, RunSummary, run_corpus
from tests.conftest import CORPUS, FIXTURES, ROOT, sqlite_content
from tests.integration.test_hardening import changed_copy

SYNTHETIC = sorted((ROOT / "tests" / "synthetic").glob("*.txt"))


def outputs(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.relative_to(out).parts[0] != ".cache")


def assert_same_outputs(incremental: Path, full: Path) -> None:
    assert outputs(incremental) == outputs(full)
    for name in outputs(full):
        if name.endswith(".xlsx"):
            assert zipfile.ZipFile(incremental / name).testzip() is None  # every entry's CRC-32 holds
            books = [load_workbook(out / name) for out in (incremental, full)]
            assert [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in books[0].worksheets] == [
                [[c.value for c in row] for row in sheet.iter_rows()] for sheet in books[1].worksheets
            ], name
            assert [(s.title, s.freeze_panes, s.auto_filter.ref) for s in books[0].worksheets] == [
                (s.title, s.freeze_panes, s.auto_filter.ref) for s in books[1].worksheets
            ]
        elif name.endswith(".sqlite"):
            dumps = [sqlite_content(out / name) for out in (incremental, full)]
            assert dumps[0] == dumps[1], name
        else:
            assert (incremental / name).read_bytes() == (full / name).read_bytes(), name


class Register:
    """One input folder and its register, run after run; each run checked against a full run."""

    def __init__(self, root: Path) -> None:
        self.root, self.inputs, self.out = root, root / "in", root / "out"
        self.inputs.mkdir()
        self.rules = default_rules()
        self.runs = 0

    def run(self) -> RunSummary:
        summary = run_corpus([self.inputs], self.out, self.rules, BatchSettings(workers=2))
        self.runs += 1
        full = self.root / f"full-{self.runs}"
        forced = run_corpus([self.inputs], full, self.rules, BatchSettings(workers=2, force=True))
        assert (summary.documents, summary.afspraken, summary.errors) == (forced.documents, forced.afspraken, forced.errors)
        assert_same_outputs(self.out, full)
        shutil.rmtree(full)
        return summary

    def written(self, doc_id: str) -> dict[str, int]:
        """mtime of a document's pages and of register.sqlite's inode (in place: the same file)."""
        pages = [self.out / "json" / f"{doc_id}.json", self.out / "site" / f"{doc_id}.html", self.out / "markdown" / f"{doc_id}.md"]
        return {str(p.relative_to(self.out)): p.stat().st_mtime_ns for p in pages}


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Register:
    register = Register(tmp_path_factory.mktemp("incremental"))
    for path in SYNTHETIC:
        shutil.copy(path, register.inputs)
    assert register.run().processed == len(SYNTHETIC)
    return register


def test_a_new_document_is_rendered_alone_and_the_rest_stays_as_written(register):
    before = {doc_id: register.written(doc_id) for doc_id in ("brakeloo-2025", "veenhoven-2025")}
    database = (register.out / "register.sqlite").stat().st_ino
    shutil.copy(CORPUS / "assen-2022.pdf", register.inputs)
    summary = register.run()
    assert (summary.processed, summary.cached, summary.documents) == (1, 6, 7)
    assert {doc_id: register.written(doc_id) for doc_id in before} == before
    assert (register.out / "register.sqlite").stat().st_ino == database  # updated in place
    ids = [d["doc_id"] for d in json.loads((register.out / "register.json").read_text(encoding="utf-8"))]
    assert ids == ["assen-2022", "brakeloo-2025", "hoogmeer-2024", "lindewoude-2026", "oosterzand-2025", "regio-kempenland-2024", "veenhoven-2025"]


def test_a_changed_document_replaces_its_rows(register):
    path = register.inputs / "veenhoven-2025.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n99. De gemeente bouwt in 2026 minimaal 40 woningen.\n", encoding="utf-8")
    summary = register.run()
    assert (summary.processed, summary.documents) == (1, 7)
    db = sqlite3.connect(register.out / "register.sqlite")
    assert db.execute("SELECT text FROM afspraken WHERE id = 'veenhoven-2025#99'").fetchall() == [
        ("De gemeente bouwt in 2026 minimaal 40 woningen.",)]


def test_twins_and_clashing_doc_ids_are_rendered_under_their_register_id(register):
    original = (FIXTURES / "tynaarlo-2023.txt").read_text(encoding="utf-8")
    (register.inputs / "tynaarlo-2023.txt").write_text(original, encoding="utf-8")
    (register.inputs / "tynaarlo-kopie.txt").write_text(changed_copy(original), encoding="utf-8")
    shutil.copy(CORPUS / "tynaarlo-2023.pdf", register.inputs)  # the text export's twin: one document with a note
    summary = register.run()
    assert (summary.processed, summary.documents) == (3, 9)
    register_ids = [d["doc_id"] for d in json.loads((register.out / "register.json").read_text(encoding="utf-8"))]
    assert {"tynaarlo-2023", "tynaarlo-2023-2"} <= set(register_ids)


def test_a_removed_document_is_removed_everywhere(register):
    (register.inputs / "hoogmeer-2024.txt").unlink()
    summary = register.run()
    assert (summary.processed, summary.documents) == (0, 8)
    assert not any("hoogmeer" in name for name in outputs(register.out))
    assert "hoogmeer-2024" not in (register.out / "register.json").read_text(encoding="utf-8")
    assert "hoogmeer-2024" not in (register.out / "afspraken.csv").read_text(encoding="utf-8-sig")
    db = sqlite3.connect(register.out / "register.sqlite")
    assert db.execute("SELECT COUNT(*) FROM afspraken WHERE doc_id = 'hoogmeer-2024'").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM documents WHERE doc_id = 'hoogmeer-2024'").fetchone() == (0,)


def test_touched_outputs_are_written_again(register):
    (register.out / "site" / "brakeloo-2025.html").unlink()
    (register.out / "json" / "oosterzand-2025.json").write_text("{}", encoding="utf-8")
    with sqlite3.connect(register.out / "register.sqlite") as db:
        db.execute("DELETE FROM parties")
    summary = register.run()
    assert (summary.processed, summary.documents) == (0, 8)


def test_an_input_changed_to_the_same_size_is_read_again(register):
    """An input is hashed again unless its size and mtime are as the last run recorded them."""
    path = register.inputs / "brakeloo-2025.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("minimaal 30 woningen", "minimaal 31 woningen"), encoding="utf-8")
    summary = register.run()
    assert (summary.processed, summary.documents) == (1, 8)
    db = sqlite3.connect(register.out / "register.sqlite")
    assert db.execute("SELECT value FROM targets WHERE afspraak_id = 'brakeloo-2025#5'").fetchall() == [(31.0,)]


def test_a_touched_fragment_is_not_trusted(register):
    """A fragment holds rendered rows and cells; one changed on disk since the run that wrote it
    is rendered again from the document, not copied into the outputs."""
    folder = register.out / ".cache" / "fragments"
    path = next(p for p in sorted(folder.iterdir()) if b'"doc_id":"oosterzand-2025"' in load_fragment(p, ["summary"])["summary"])
    fragment = load_fragment(path)
    fragment["csv/afspraken.csv"] = b'"=HYPERLINK(""http://example.org"")",ingeschoven\r\n'
    store_fragment(path, fragment)
    summary = register.run()  # the run is checked against a full run: the same files
    assert (summary.processed, summary.documents) == (0, 8)
    assert "HYPERLINK" not in (register.out / "afspraken.csv").read_text(encoding="utf-8-sig")


def test_text_xml_cannot_hold_is_left_out_of_the_workbook_only(tmp_path):
    """A vertical tab (which openpyxl refused, failing the run) and a line separator (which
    textwrap.indent breaks lines at in register.json) in an afspraak."""
    register = Register(tmp_path)
    (register.inputs / "proef-2024.txt").write_text(
        "Prestatieafspraken Proefdorp 2024\n1. Gemeente Proefdorp, vertegenwoordigd door wethouder A. Bakker.\n"
        "3 Samenwerking\n1. De gemeente\x0bbouwt 20 woningen.\n2. De gemeente\u2028overlegt jaarlijks.\n", encoding="utf-8")
    assert register.run().errors == []
    texts = [row[-1].value for row in load_workbook(register.out / "register.xlsx")["afspraken"].iter_rows(min_row=2)]
    assert texts == ["De gemeentebouwt 20 woningen.", "De gemeente\u2028overlegt jaarlijks."]
    document = json.loads((register.out / "json" / "proefdorp-2024.json").read_text(encoding="utf-8"))
    assert [a["text"] for a in document["afspraken"]] == ["De gemeente\x0bbouwt 20 woningen.", "De gemeente\u2028overlegt jaarlijks."]
