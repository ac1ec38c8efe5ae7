"""``register.xlsx`` joined from each document's rows rendered once (:func:`xlsx_share`):
openpyxl reads back what ``render/rows.py`` defines, in the order the shares were added."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pipeline.compare.goals import GoalCollector
from pipeline.model import Document
from pipeline.model.rules import default_rules
from pipeline.render.goal_rows import NUMBER_HEADERS, NUMBERS_SHEET, SUMMARY_HEADERS, SUMMARY_SHEET, number_rows, summary_rows
from pipeline.render.link_rows import LINK_HEADERS, LINK_SHEET, sheet_rows
from pipeline.render.rows import Row, column_width, tables
from pipeline.render.xlsx import GOAL_SECTION, SECTION_PREFIX, XlsxWriter, _crc_joined, _deflate, xlsx_share
from pipeline.timeline.timelines import TimelineCollector
from tests.conftest import FIXTURES, ROOT, extracted

RULES = default_rules()
NAMES = ["tynaarlo-2023", "assen-2022", "woonvisie-assen-2021"]


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {name: extracted(FIXTURES / f"{name}.txt") for name in NAMES}


def write(out: Path, documents: list[Document]) -> Path:
    timelines, goals = TimelineCollector(RULES), GoalCollector(RULES)
    writer = XlsxWriter(out, RULES, timelines, goals)
    for document in documents:
        timelines.add(document)
        goals.add(document)
        writer.add(xlsx_share(document, RULES))
    writer.finish([])
    return out / "register.xlsx"


def expected(rows: list[Row]) -> list[list[object]]:
    """Rows as openpyxl reads them back: "" is an empty cell, XML-illegal characters are gone."""
    clean = str.maketrans({c: None for c in [*map(chr, range(0x20)), "\ufffe", "\uffff"] if c not in "\t\n\r"})
    return [[None if v == "" else v.translate(clean) if isinstance(v, str) else v for v in row] for row in rows]


def sheets(documents: list[Document]) -> dict[str, tuple[list[str], list[Row]]]:
    """Each sheet's headers and rows as ``rows.py`` and the collectors define them."""
    timelines, goals = TimelineCollector(RULES), GoalCollector(RULES)
    for document in documents:
        timelines.add(document)
        goals.add(document)
    reports = goals.reports()
    result = {t.name: (t.headers, [row for d in documents for row in t.rows(d)]) for t in tables(RULES).xlsx}
    result[SUMMARY_SHEET] = (SUMMARY_HEADERS, summary_rows(reports))
    result[NUMBERS_SHEET] = (NUMBER_HEADERS, number_rows(reports))
    result[LINK_SHEET] = (LINK_HEADERS, sheet_rows(timelines.timelines()))
    return result


def test_the_workbook_holds_what_rows_py_defines(tmp_path, documents):
    docs = list(documents.values())
    path = write(tmp_path, docs)
    assert zipfile.ZipFile(path).testzip() is None
    workbook = load_workbook(path)
    wanted = sheets(docs)
    assert workbook.sheetnames == [
        "documenten", "partijen", "afspraken", "doelen", "termijnen", "correcties", "vergelijking", "landelijke_doelen", "landelijk",
        "afspraak_links"] == list(wanted)
    for sheet in workbook.worksheets:
        headers, rows = wanted[sheet.title]
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0] == headers
        assert values[1:] == expected(rows), sheet.title
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        for index, header in enumerate(headers, start=1):
            assert sheet.column_dimensions[get_column_letter(index)].width == column_width(header)
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert len(wanted["afspraken"][1]) > 50 and wanted["landelijk"][1]  # real rows on both kinds of sheet
    doelen = workbook["doelen"]
    headers = [c.value for c in doelen[1]]
    row = next(r for r in doelen.iter_rows(min_row=2, values_only=True) if r[1] == "tynaarlo-2023#12")
    assert (row[headers.index("waarde")], row[headers.index("eenheid")]) == (80, "%")


def test_shares_joined_in_either_order(tmp_path, documents):
    first, second = documents["tynaarlo-2023"], documents["assen-2022"]
    for order in ([first, second], [second, first]):
        out = tmp_path / order[0].doc_id
        path = write(out, order)
        assert zipfile.ZipFile(path).testzip() is None
        workbook = load_workbook(path)
        wanted = sheets(order)
        for name in [t.name for t in tables(RULES).xlsx]:
            assert [list(r) for r in workbook[name].iter_rows(min_row=2, values_only=True)] == expected(wanted[name][1]), name
        ids = [r[0] for r in workbook["documenten"].iter_rows(min_row=2, values_only=True)]
        assert ids == [d.doc_id for d in order]


def test_a_share_does_not_depend_on_its_position(documents):
    document = documents["tynaarlo-2023"]
    share = xlsx_share(document, RULES)
    assert share == xlsx_share(document, RULES)
    assert all(name.startswith("xlsx") for name in share)
    xml = b"".join(zlib.decompressobj(-15).decompress(v) for k, v in share.items() if k.startswith(SECTION_PREFIX))
    assert xml.startswith(b"<row><c") and b' r="' not in xml
    doc_id, numbers, absent = json.loads(share[GOAL_SECTION])  # its cells of the landelijk sheet
    assert doc_id == "tynaarlo-2023" and numbers and absent and ' r="' not in share[GOAL_SECTION].decode()
    assert all(cells.startswith("<c") for by_number in numbers.values() for number in by_number for cells in number)


def test_the_same_input_gives_the_same_bytes(tmp_path, documents):
    docs = list(documents.values())
    assert write(tmp_path / "a", docs).read_bytes() == write(tmp_path / "b", docs).read_bytes()
    info = zipfile.ZipFile(tmp_path / "a" / "register.xlsx").infolist()
    assert {i.date_time for i in info} == {(1980, 1, 1, 0, 0, 0)}


def test_control_characters_and_formulas_come_out_safe(tmp_path, documents):
    document = documents["tynaarlo-2023"]
    afspraken = [
        document.afspraken[0].model_copy(update={"text": "De gemeente\x0bbouwt\x00 20 woningen.\ufffe"}),
        document.afspraken[1].model_copy(update={"text": "=SUM(1)"}),
        document.afspraken[2].model_copy(update={"text": "  regel\r\nregel\t "}),
    ]
    path = write(tmp_path, [document.model_copy(update={"afspraken": afspraken})])
    sheet = load_workbook(path)["afspraken"]
    headers = [c.value for c in sheet[1]]
    cells = [row[headers.index("tekst")] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["De gemeentebouwt 20 woningen.", "'=SUM(1)", "  regel\r\nregel\t "]
    assert all(c.data_type == "s" for c in cells)


def test_an_empty_register_and_a_failed_run(tmp_path, documents):
    path = write(tmp_path, [])
    workbook = load_workbook(path)
    empty = [s for s in workbook.worksheets if s.title not in (SUMMARY_SHEET, NUMBERS_SHEET)]  # the goals are there without documents
    assert len(empty) == 8 and all(s.max_row == 1 and s.auto_filter.ref.endswith("1") for s in empty)
    before = path.read_bytes()
    writer = XlsxWriter(tmp_path, RULES)
    writer.add(xlsx_share(documents["tynaarlo-2023"], RULES))
    writer.discard()
    assert path.read_bytes() == before  # the previous workbook stays
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["register.xlsx"]
    assert list((tmp_path / ".cache" / "tmp").iterdir()) == []


def test_crc_of_joined_pieces():
    generator = random.Random(7)
    for size in [0, 1, 100, 1 << 16, (1 << 16) + 1, 300_000]:
        first, second = generator.randbytes(generator.randint(0, 50)), generator.randbytes(size)
        assert _crc_joined(zlib.crc32(first), zlib.crc32(second), size) == zlib.crc32(first + second)
    pieces = [generator.randbytes(generator.randint(0, 5000)) for _ in range(5)]
    joined = b"".join(_deflate(p) for p in pieces) + _deflate(b"", last=True)
    assert zlib.decompress(joined, -15) == b"".join(pieces)


def test_spool_files_stay_inside_out_and_a_killed_run_leaves_none_behind(tmp_path):
    system_tmp = tmp_path / "systeem-tmp"
    system_tmp.mkdir()
    out = tmp_path / "out"
    killed = subprocess.run(
        [sys.executable, "-c", (
            "import os, signal, sys\n"
            "from pathlib import Path\n"
            "from pipeline.extract import extract_document\n"
            "from pipeline.model.rules import default_rules\n"
            "from pipeline.render.xlsx import XlsxWriter, xlsx_share\n"
            "document = extract_document(Path(sys.argv[1]), default_rules()).document\n"
            "writer = XlsxWriter(Path(sys.argv[2]), default_rules())\n"
            "writer.add(xlsx_share(document, default_rules()))\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n"
        ), str(FIXTURES / "tynaarlo-2023.txt"), str(out)],
        cwd=ROOT, env={**os.environ, "TMPDIR": str(system_tmp)}, capture_output=True, text=True, check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert list(system_tmp.iterdir()) == []
    assert list((out / ".cache" / "tmp").iterdir()) == []  # unnamed: gone with the process
    assert not (out / "register.xlsx").exists()
