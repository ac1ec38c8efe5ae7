"""``register.xlsx``: the flattened tables as sheets, written as SpreadsheetML.

Each document's rows are kept as XML in its fragment (:func:`xlsx_share`), with a mark where
the row number goes; the workbook is those rows joined in doc_id order and numbered, so a run
renders no document again, and a register of thousands of documents is written in seconds.
Cells are inline strings and numbers, so document text is never a formula; characters that
XML cannot hold (control characters other than tab and line breaks) are left out. Each sheet
has its header frozen, filters on and text columns wide.

The sheets' rows are spooled to unnamed temporary files in ``<out>/.cache/tmp/`` while the
documents stream by (nothing is left behind when the run is killed, and nothing outside
``--out``), then zipped.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from ..files import SCRATCH_DIR, AtomicFile
from ..model import Document
from .rows import XLSX_TABLES, Cell, TableSpec

if TYPE_CHECKING:
    from . import Part

# Stands for the row number in a document's rows; XML text cannot contain it.
ROW = "\x00"
_ROW = ROW.encode()
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Deflate level: the workbook of a large register is tens of MB of XML; level 1 zips it
# several times faster than the default, for a slightly larger file.
_COMPRESSION = 1

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


def _cell(column: str, value: Cell) -> str:
    if value is None or value == "":
        return ""  # an empty cell
    if isinstance(value, (int, float)):
        return f'<c r="{column}{ROW}" t="n"><v>{value!r}</v></c>'
    text = _NOT_XML.sub("", value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    escaped = escape(text).replace("\n", "&#10;").replace("\r", "&#13;")  # one row, one line
    return f'<c r="{column}{ROW}" t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def _rows(table: TableSpec, rows: list[list[Cell]]) -> str:
    """Rows as XML, one a line, the row number left as :data:`ROW`."""
    columns = [column_letter(i) for i in range(1, len(table.headers) + 1)]
    return "\n".join(f'<row r="{ROW}">{"".join(_cell(c, v) for c, v in zip(columns, row))}</row>' for row in rows)


def xlsx_share(document: Document) -> dict[str, bytes]:
    """A document's rows of each sheet (its fragment's ``xlsx/<sheet>`` sections)."""
    return {f"xlsx/{table.name}": _rows(table, table.rows(document)).encode("utf-8") for table in XLSX_TABLES}


def _sheet_head(table: TableSpec) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{table.width(header)}" customWidth="1"/>' for i, header in enumerate(table.headers, start=1)
    )
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
    )


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


class XlsxWriter:
    """``register.xlsx``: a sheet per table, from the documents' rows (:func:`xlsx_share`)."""

    def __init__(self, out: Path) -> None:
        scratch = out / SCRATCH_DIR
        scratch.mkdir(parents=True, exist_ok=True)
        self.target = AtomicFile(out / "register.xlsx")
        self.sheets: list[IO[bytes]] = [tempfile.TemporaryFile(dir=scratch) for _ in XLSX_TABLES]
        self.counts = [1] * len(XLSX_TABLES)  # rows so far, the header included
        for table, sheet in zip(XLSX_TABLES, self.sheets):
            sheet.write(_rows(table, [list(table.headers)]).replace(ROW, "1").encode("utf-8"))

    def add(self, part: Part) -> None:
        for index, (table, sheet) in enumerate(zip(XLSX_TABLES, self.sheets)):
            block = part.fragment[f"xlsx/{table.name}"]
            if not block:
                continue
            rows = block.split(b"\n")
            first = self.counts[index] + 1
            sheet.write(b"".join(row.replace(_ROW, b"%d" % number) for number, row in enumerate(rows, first)))
            self.counts[index] += len(rows)

    def finish(self, errors: list[dict[str, str]]) -> None:
        with zipfile.ZipFile(self.target.handle, "w", zipfile.ZIP_DEFLATED, compresslevel=_COMPRESSION) as book:
            for name, text in {**_package(len(XLSX_TABLES)), "xl/workbook.xml": _workbook(self.counts)}.items():
                book.writestr(name, text.encode("utf-8"))
            for i, (table, sheet, count) in enumerate(zip(XLSX_TABLES, self.sheets, self.counts), start=1):
                size = sheet.tell()
                sheet.seek(0)
                with book.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=size + 2**16 > zipfile.ZIP64_LIMIT) as entry:
                    entry.write(_sheet_head(table).encode("utf-8"))
                    shutil.copyfileobj(sheet, entry)
                    entry.write(f'</sheetData><autoFilter ref="{_filter_range(table, count)}"/></worksheet>'.encode("utf-8"))
        self._close_sheets()
        self.target.commit()

    def _close_sheets(self) -> None:
        for sheet in self.sheets:
            sheet.close()

    def discard(self) -> None:
        self._close_sheets()
        self.target.discard()
