"""``register.xlsx``: the flattened tables as sheets, then the national goals and the links
across years, written as SpreadsheetML without a spreadsheet library.

Each document's rows of each table sheet are rendered once, as XML already deflated
(:func:`xlsx_share`, sections of the document's fragment): rows and cells carry no reference
(``r``), which the format allows, so a document's rows do not depend on where they land, and
pieces deflated apart join into one stream (each ends on a byte boundary, ``Z_SYNC_FLUSH``).
A run writes the workbook by joining the documents' pieces in the order they are added,
between a head and a tail it deflates itself, and by combining their CRC-32s: no document is
rendered again and nothing large is compressed again. The goal sheets (``landelijke_doelen``,
``landelijk``) and the links (``afspraak_links``) need the whole register and are written at
the end from their rows.

Cells are inline strings and numbers, so document text is never a formula (the rows already
went through :func:`~pipeline.render.rows.safe_cell`); characters that XML cannot hold
(control characters other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF) are left
out of the workbook only. Each sheet has its header frozen, filters on over the used range and
text columns wide. The same documents give the same bytes (the zip entries carry a fixed date).

The joined pieces are spooled to unnamed temporary files in ``<out>/.cache/tmp/`` while the
documents stream by (nothing is left behind when the run is killed, and nothing outside
``--out``), then copied into the zip, which is written beside ``register.xlsx`` and renamed
into place (:class:`~pipeline.files.AtomicFile`).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import struct
import tempfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from ..compare.goals import DocumentGoals, GoalCollector, GoalReport, document_goals
from ..files import SCRATCH_DIR, AtomicFile
from ..model import Document
from ..model.rules import Rules
from ..timeline.timelines import TimelineCollector
from .goal_rows import NUMBER_HEADERS, NUMBERS_SHEET, SUMMARY_HEADERS, SUMMARY_SHEET, absent_values, counted, number_values, summary_rows
from .link_rows import LINK_HEADERS, LINK_SHEET, sheet_rows
from .rows import Cell, Row, column_width, safe_cell, tables

# Characters XML cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF): left out of
# the workbook only (the other outputs keep the text as it is).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# The fragment's sections: per sheet the rows deflated, and the sizes of all sheets (JSON).
SECTION = "xlsx"
SECTION_PREFIX = "xlsx/"
GOAL_SECTION = "xlsx-goals"


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _text_cell(text: str) -> str:
    text = _NOT_XML.sub("", text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{escape(text).replace(chr(13), "&#13;")}</t></is></c>'


def _cell(value: Cell) -> str:
    if value is None or value == "":
        return "<c/>"  # an empty cell keeps the place of the cells after it
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c t="n"><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c t="n"><v>{value!r}</v></c>' if math.isfinite(value) else _text_cell(repr(value))
    return _text_cell(str(value))


def _cells(values: Sequence[Cell]) -> str:
    return "".join(_cell(v) for v in values)


def _rows(rows: Sequence[Sequence[Cell]]) -> bytes:
    return "".join(f"<row>{_cells(row)}</row>" for row in rows).encode("utf-8")


def _deflate(data: bytes, last: bool = False) -> bytes:
    """Raw deflate ending on a byte boundary, so that pieces deflated apart join into one
    stream; the ``last`` piece ends the stream."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


# CRC-32 of joined data from the pieces' CRC-32s (zlib's crc32_combine, which Python does not
# expose): polynomials over GF(2) modulo the CRC's, bit-reflected.
_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    """a·b modulo the CRC polynomial."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if a & (m - 1) == 0:
                return p
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _powers() -> list[int]:
    """x^(2^k) modulo the CRC polynomial, k = 0 … 31."""
    table, p = [], 1 << 30  # x^1
    for _ in range(32):
        table.append(p)
        p = _multmodp(p, p)
    return table


_X2N = _powers()
_SHORT = 1 << 16  # below this many bytes, the zeros are quicker than the polynomials


def _crc_joined(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of two pieces of data joined, from theirs and the second's length: CRC-32 is
    affine in the data, so the first piece's shifts by as many zero bytes as the second has."""
    if second_size <= _SHORT:
        zeros = bytes(second_size)
        return second ^ zlib.crc32(zeros, first) ^ zlib.crc32(zeros)
    p, n, k = 1 << 31, second_size, 3  # x^(8·second_size)
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return _multmodp(p, first) ^ second


def xlsx_share(document: Document, rules: Rules, goals: DocumentGoals | None = None) -> dict[str, bytes]:
    """A document's rows of each table sheet, deflated (sections ``xlsx/<sheet>``; empty for a
    sheet without rows), and per sheet its rows, bytes of XML and the XML's CRC-32 (``xlsx``,
    JSON): the same rows :class:`XlsxWriter` writes, ready to be joined. For an agreement also
    its cells of the ``landelijk`` sheet (``xlsx-goals``, JSON: its doc_id, per goal and number
    the XML before and after "opgeteld", per goal without a number its row after the goal's
    cell; ``goals``: its :func:`document_goals`, when read already)."""
    share, sizes = {}, {}
    for table in tables(rules).xlsx:
        rows = table.rows(document)
        xml = _rows(rows)
        share[SECTION_PREFIX + table.name] = _deflate(xml) if rows else b""
        sizes[table.name] = [len(rows), len(xml), zlib.crc32(xml)]
    numbers: dict[str, list[tuple[str, str]]] = {}  # goal → per number the cells before and after "opgeteld"
    absent: dict[str, str] = {}  # goal → its row's cells, when it has no number on the goal
    if document.doc_type == "prestatieafspraken":
        for key, entry in (goals or document_goals(document, rules)).goals.items():
            if entry.numbers:
                cells = [number_values(document.municipalities, document.doc_id, n.quantity) for n in entry.numbers]
                numbers[key] = [(_cells(before), _cells(after)) for before, after in cells]
            else:
                absent[key] = _cells(absent_values(document.municipalities, document.doc_id, entry))
    share[GOAL_SECTION] = json.dumps([document.doc_id, numbers, absent]).encode("utf-8")
    return {SECTION: json.dumps(sizes, sort_keys=True).encode("utf-8"), **share}


def _quoted(name: str) -> str:
    """A sheet name in a formula: 'name', an apostrophe doubled."""
    return "'" + name.replace("'", "''") + "'"


def _absolute(cell_range: str) -> str:
    """"A1:M197" → "$A$1:$M$197"."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in cell_range.split(":"))


@dataclass(frozen=True)
class _Layout:
    """A sheet as it looks: its name and headers (the columns' widths follow)."""

    name: str
    headers: list[str]

    def filter_range(self, rows: int) -> str:
        return f"A1:{column_letter(len(self.headers))}{rows}"

    def head(self) -> bytes:
        widths = "".join(
            f'<col min="{i}" max="{i}" width="{column_width(header)}" customWidth="1"/>' for i, header in enumerate(self.headers, start=1)
        )
        return (
            f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
        ).encode("utf-8") + _rows([self.headers])

    def tail(self, rows: int) -> bytes:
        return f'</sheetData><autoFilter ref="{self.filter_range(rows)}"/></worksheet>'.encode("utf-8")


def _workbook(sheets: list[tuple[_Layout, int]]) -> str:
    names = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>' for i, (s, _) in enumerate(sheets, start=1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(s.name))}!{_absolute(s.filter_range(n))}</definedName>"
        for i, (s, n) in enumerate(sheets)
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{names}</sheets><definedNames>{filters}</definedNames></workbook>"
    )


def _package(n_sheets: int) -> dict[str, str]:
    """The workbook's parts besides the workbook and its sheets."""
    worksheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{worksheet}"/>' for i in range(1, n_sheets + 1))
    relationships = "".join(
        f'<Relationship Id="rId{i}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n_sheets + 1)
    )
    return {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{relationships}'
            f'<Relationship Id="rId{n_sheets + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
    }


@dataclass
class _Sheet:
    """A table sheet's rows as they are joined: deflated in a spool file, counted, checksummed."""

    layout: _Layout
    spool: IO[bytes]
    rows: int = 1  # the header included
    size: int = 0  # bytes of XML spooled
    crc: int = 0  # of the XML spooled


# Zip records (APPNOTE.TXT): local file header, central directory header, end of central
# directory; version 2.0, deflated, dated 1980-01-01 00:00 (so the same register gives the same bytes).
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_DATE = (0 << 9) | (1 << 5) | 1


class _Zip:
    """A zip file of deflated entries written in order; no entry or offset may reach 4 GiB."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.directory, self.count = handle, b"", 0

    def add(self, name: str, crc: int, size: int, pieces: list[bytes | IO[bytes]]) -> None:
        """An entry of ``size`` bytes with CRC-32 ``crc``, whose deflated data are ``pieces``
        (bytes, or spool files read from their start)."""
        compressed = 0
        for piece in pieces:
            if isinstance(piece, bytes):
                compressed += len(piece)
            else:
                piece.seek(0, 2)
                compressed += piece.tell()
        offset = self.handle.tell()
        if max(size, compressed, offset + compressed) >= 1 << 32 or self.count >= 0xFFFF:
            raise ValueError(f"register.xlsx: {name} would reach 4 GiB, more than a workbook without ZIP64 holds")
        encoded = name.encode("ascii")
        self.handle.write(_LOCAL.pack(0x04034B50, 20, 0, 8, 0, _DATE, crc, compressed, size, len(encoded), 0) + encoded)
        for piece in pieces:
            if isinstance(piece, bytes):
                self.handle.write(piece)
            else:
                piece.seek(0)
                shutil.copyfileobj(piece, self.handle, 1 << 20)
        self.directory += _CENTRAL.pack(0x02014B50, 20, 20, 0, 8, 0, _DATE, crc, compressed, size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        self.count += 1

    def add_bytes(self, name: str, data: bytes) -> None:
        self.add(name, zlib.crc32(data), len(data), [_deflate(data, last=True)])

    def add_sheet(self, name: str, layout: _Layout, rows: int, body: list[bytes | IO[bytes]], body_size: int, body_crc: int) -> None:
        """A sheet: its head, ``body`` (its rows, deflated, ``body_size`` bytes of XML), its tail."""
        head, tail = layout.head(), layout.tail(rows)
        crc = _crc_joined(_crc_joined(zlib.crc32(head), body_crc, body_size), zlib.crc32(tail), len(tail))
        self.add(name, crc, len(head) + body_size + len(tail), [_deflate(head), *body, _deflate(tail, last=True)])

    def close(self) -> None:
        offset = self.handle.tell()
        if offset + len(self.directory) >= 1 << 32:
            raise ValueError("register.xlsx would reach 4 GiB, more than a workbook without ZIP64 holds")
        self.handle.write(self.directory + _END.pack(0x06054B50, 0, 0, self.count, self.count, len(self.directory), offset, 0))


class XlsxWriter:
    """``register.xlsx``: a sheet per table, joined from the documents' rows (:func:`xlsx_share`),
    then the national goals (``landelijke_doelen``, ``landelijk``) and the links across years
    (``afspraak_links``), written at the end from what the collectors gathered; the caller feeds
    ``timelines`` and ``goals`` every document."""

    def __init__(self, out: Path, rules: Rules, timelines: TimelineCollector | None = None, goals: GoalCollector | None = None) -> None:
        self.rules, self.timelines = rules, timelines or TimelineCollector(rules)
        self.goals = goals or GoalCollector(rules)
        scratch = out / SCRATCH_DIR
        scratch.mkdir(parents=True, exist_ok=True)
        self.target = AtomicFile(out / "register.xlsx")
        self.sheets: list[_Sheet] = []
        # doc_id → goal → its cells of the landelijk sheet (xlsx_share): per number, or without one
        self.numbers: dict[str, dict[str, list[tuple[str, str]]]] = {}
        self.absent: dict[str, dict[str, str]] = {}
        try:
            for table in tables(rules).xlsx:
                self.sheets.append(_Sheet(_Layout(table.name, table.headers), tempfile.TemporaryFile(dir=scratch)))
        except BaseException:
            self.discard()
            raise

    def add(self, fragment: Mapping[str, bytes]) -> None:
        """A document's rows: the sections :func:`xlsx_share` made of it."""
        sizes = json.loads(fragment[SECTION])
        for sheet in self.sheets:
            name = sheet.layout.name
            if name not in sizes:
                raise ValueError(f"register.xlsx: a document's rows lack sheet {name!r} (rendered with other rules)")
            rows, size, crc = sizes[name]
            if rows:
                sheet.spool.write(fragment[SECTION_PREFIX + name])
                sheet.rows, sheet.size, sheet.crc = sheet.rows + rows, sheet.size + size, _crc_joined(sheet.crc, crc, size)
        doc_id, self.numbers[doc_id], self.absent[doc_id] = json.loads(fragment[GOAL_SECTION])

    def _late_sheets(self) -> list[tuple[_Layout, bytes, int]]:
        """The sheets that need the whole register: their XML and rows."""
        reports = self.goals.reports()
        summary, links = summary_rows(reports), sheet_rows(self.timelines.timelines())
        return [
            (_Layout(SUMMARY_SHEET, SUMMARY_HEADERS), _rows(summary), len(summary)),
            (_Layout(NUMBERS_SHEET, NUMBER_HEADERS), *self._number_sheet(reports)),
            (_Layout(LINK_SHEET, LINK_HEADERS), _rows(links), len(links)),
        ]

    def _number_sheet(self, reports: list[GoalReport]) -> tuple[bytes, int]:
        """The ``landelijk`` sheet (:func:`~pipeline.render.goal_rows.number_rows`), joined from
        each agreement's cells and the one cell that depends on the others ("opgeteld")."""
        rows: list[str] = []
        for r in reports:
            label = _cell(safe_cell(r.goal.label))
            for row in r.with_numbers:
                cells = self.numbers.get(row.doc_id, {}).get(r.key, [])
                if len(cells) != len(row.entry.numbers):
                    raise ValueError(f"register.xlsx: the cells of {row.doc_id}'s numbers on {r.key} are missing")
                for number, (before, after) in zip(row.entry.numbers, cells):
                    rows.append(f"<row>{label}{before}{_cell(safe_cell(counted(r, row, number)))}{after}</row>")
            for row in r.without_number + r.none:
                if (cells_after_label := self.absent.get(row.doc_id, {}).get(r.key)) is None:
                    raise ValueError(f"register.xlsx: the cells of {row.doc_id} on {r.key} are missing")
                rows.append(f"<row>{label}{cells_after_label}</row>")
        return "".join(rows).encode("utf-8"), len(rows)

    def finish(self, errors: list[dict[str, str]]) -> None:
        late = self._late_sheets()
        counts = [(s.layout, s.rows) for s in self.sheets] + [(layout, 1 + n) for layout, _, n in late]
        book = _Zip(self.target.handle)
        for name, text in {**_package(len(counts)), "xl/workbook.xml": _workbook(counts)}.items():
            book.add_bytes(name, text.encode("utf-8"))
        for i, sheet in enumerate(self.sheets, start=1):
            book.add_sheet(f"xl/worksheets/sheet{i}.xml", sheet.layout, sheet.rows, [sheet.spool], sheet.size, sheet.crc)
        for i, (layout, xml, n) in enumerate(late, start=len(self.sheets) + 1):
            book.add_sheet(f"xl/worksheets/sheet{i}.xml", layout, 1 + n, [_deflate(xml)], len(xml), zlib.crc32(xml))
        book.close()
        self._close_sheets()
        self.target.commit()

    def _close_sheets(self) -> None:
        for sheet in self.sheets:
            sheet.spool.close()

    def discard(self) -> None:
        self._close_sheets()
        self.target.discard()
