"""``register.xlsx``: the flattened tables as sheets, written as SpreadsheetML.

Each document's rows of each sheet are kept in its fragment as XML already deflated
(:func:`xlsx_share`): rows and cells carry no reference (``r``), which the format allows, so
a document's rows do not depend on where they land, and pieces deflated apart join into one
stream (each ends on a byte boundary). A run writes the workbook by joining the documents'
pieces in doc_id order, between a head and a tail it deflates itself, and by combining their
CRC-32s: no document is rendered again and nothing large is compressed again, so a register
of thousands of documents is written in a fraction of a second. Cells are inline strings and
numbers, so document text is never a formula; characters that XML cannot hold (control
characters other than tab and line breaks) are left out. Each sheet has its header frozen,
filters on and text columns wide. The same documents give the same bytes.

The joined pieces are spooled to unnamed temporary files in ``<out>/.cache/tmp/`` while the
documents stream by (nothing is left behind when the run is killed, and nothing outside
``--out``), then written into the zip.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from ..files import SCRATCH_DIR, AtomicFile
from ..model import Document
from .rows import XLSX_TABLES, Cell, TableSpec

if TYPE_CHECKING:
    from . import Part

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _cell(value: Cell) -> str:
    if value is None or value == "":
        return "<c/>"  # an empty cell keeps the place of the cells after it
    if isinstance(value, (int, float)):
        return f'<c t="n"><v>{value!r}</v></c>'
    text = _NOT_XML.sub("", value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{escape(text).replace(chr(13), "&#13;")}</t></is></c>'


def _rows(rows: list[list[Cell]]) -> bytes:
    return "".join(f"<row>{''.join(_cell(v) for v in row)}</row>" for row in rows).encode("utf-8")


def _deflate(data: bytes, last: bool = False) -> bytes:
    """Raw deflate ending on a byte boundary, so that pieces deflated apart join into one
    stream; the ``last`` piece ends the stream."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def _crc_joined(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of two pieces of data joined, from theirs: CRC-32 is affine in the data, so
    the first piece's only shifts by as many zero bytes as the second has."""
    zeros = bytes(second_size)
    return second ^ zlib.crc32(zeros, first) ^ zlib.crc32(zeros)


def xlsx_share(document: Document) -> dict[str, bytes]:
    """A document's rows of each sheet, deflated (its fragment's ``xlsx/<sheet>`` sections),
    and per sheet how many rows, bytes of XML and the XML's CRC-32 (``xlsx``, JSON)."""
    share, sizes = {}, {}
    for table in XLSX_TABLES:
        rows = table.rows(document)
        xml = _rows(rows)
        share[f"xlsx/{table.name}"] = _deflate(xml) if rows else b""
        sizes[table.name] = [len(rows), len(xml), zlib.crc32(xml)]
    return {"xlsx": json.dumps(sizes).encode("utf-8"), **share}


def _sheet_head(table: TableSpec) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{table.width(header)}" customWidth="1"/>' for i, header in enumerate(table.headers, start=1)
    )
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
    ) + _rows([list(table.headers)]).decode("utf-8")


def _filter_range(table: TableSpec, rows: int) -> str:
    return f"A1:{column_letter(len(table.headers))}{rows}"


def _workbook(counts: list[int]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(t.name)} sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(XLSX_TABLES, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(repr(t.name))}!{_absolute(_filter_range(t, n))}</definedName>"
        for i, (t, n) in enumerate(zip(XLSX_TABLES, counts))
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>"
    )


def _absolute(cell_range: str) -> str:
    """"A1:M197" → "$A$1:$M$197"."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in cell_range.split(":"))


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
    """A sheet's rows as they are joined: deflated in a spool file, counted, checksummed."""

    spool: IO[bytes]
    rows: int = 1  # the header included
    size: int = 0  # bytes of XML spooled
    crc: int = 0  # of the XML spooled


# Zip records (APPNOTE.TXT): local file header, central directory header, end of central
# directory; version 2.0, deflated, dated 1980-01-01 (so the same register gives the same bytes).
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
        compressed = sum(len(p) if isinstance(p, bytes) else p.seek(0, 2) for p in pieces)
        offset = self.handle.tell()
        if max(size, compressed, offset) >= 1 << 32:
            raise ValueError(f"register.xlsx: {name} would reach 4 GiB, more than a workbook without ZIP64 holds")
        encoded = name.encode("ascii")
        self.handle.write(_LOCAL.pack(0x04034B50, 20, 0, 8, 0, _DATE, crc, compressed, size, len(encoded), 0) + encoded)
        for piece in pieces:
            if isinstance(piece, bytes):
                self.handle.write(piece)
            else:
                piece.seek(0)
                shutil.copyfileobj(piece, self.handle)
        self.directory += _CENTRAL.pack(0x02014B50, 20, 20, 0, 8, 0, _DATE, crc, compressed, size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        self.count += 1

    def add_bytes(self, name: str, data: bytes) -> None:
        self.add(name, zlib.crc32(data), len(data), [_deflate(data, last=True)])

    def close(self) -> None:
        offset = self.handle.tell()
        self.handle.write(self.directory + _END.pack(0x06054B50, 0, 0, self.count, self.count, len(self.directory), offset, 0))


class XlsxWriter:
    """``register.xlsx``: a sheet per table, joined from the documents' rows (:func:`xlsx_share`)."""

    def __init__(self, out: Path) -> None:
        scratch = out / SCRATCH_DIR
        scratch.mkdir(parents=True, exist_ok=True)
        self.target = AtomicFile(out / "register.xlsx")
        self.sheets = [_Sheet(tempfile.TemporaryFile(dir=scratch)) for _ in XLSX_TABLES]

    def add(self, part: Part) -> None:
        sizes = json.loads(part.fragment["xlsx"])
        for table, sheet in zip(XLSX_TABLES, self.sheets):
            rows, size, crc = sizes[table.name]
            if rows:
                sheet.spool.write(part.fragment[f"xlsx/{table.name}"])
                sheet.rows, sheet.size, sheet.crc = sheet.rows + rows, sheet.size + size, _crc_joined(sheet.crc, crc, size)

    def finish(self, errors: list[dict[str, str]]) -> None:
        book = _Zip(self.target.handle)
        for name, text in {**_package(len(XLSX_TABLES)), "xl/workbook.xml": _workbook([s.rows for s in self.sheets])}.items():
            book.add_bytes(name, text.encode("utf-8"))
        for i, (table, sheet) in enumerate(zip(XLSX_TABLES, self.sheets), start=1):
            head = _sheet_head(table).encode("utf-8")
            tail = f'</sheetData><autoFilter ref="{_filter_range(table, sheet.rows)}"/></worksheet>'.encode("utf-8")
            crc = _crc_joined(_crc_joined(zlib.crc32(head), sheet.crc, sheet.size), zlib.crc32(tail), len(tail))
            book.add(f"xl/worksheets/sheet{i}.xml", crc, len(head) + sheet.size + len(tail), [_deflate(head), sheet.spool, _deflate(tail, last=True)])
        book.close()
        self._close_sheets()
        self.target.commit()

    def _close_sheets(self) -> None:
        for sheet in self.sheets:
            sheet.spool.close()

    def discard(self) -> None:
        self._close_sheets()
        self.target.discard()
