"""``register.xlsx``: the flattened tables as sheets."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..files import SCRATCH_DIR, AtomicFile, temporary_files_in
from ..model import Document
from .rows import XLSX_TABLES


class XlsxWriter:
    """``register.xlsx``: a sheet per table, header frozen, filters on, text columns wide.

    openpyxl's write-only mode streams rows to disk; it needs the column widths before the
    first row, so they come from the table definitions rather than from the data.

    Those streams are temporary files that openpyxl creates (on a sheet's first row) through
    :mod:`tempfile`; they go to ``<out>/.cache/tmp/``, not to the system temp folder, so a
    killed run leaves nothing outside ``--out`` and the next run removes them
    (:func:`pipeline.files.remove_partial_files`).
    """

    def __init__(self, out: Path) -> None:
        self.scratch = out / SCRATCH_DIR
        self.target = AtomicFile(out / "register.xlsx")
        self.target.handle.close()  # openpyxl writes the file itself, on save
        self.workbook = Workbook(write_only=True)
        self.sheets = []
        self.counts = [1] * len(XLSX_TABLES)
        with temporary_files_in(self.scratch):
            for table in XLSX_TABLES:
                sheet = self.workbook.create_sheet(table.name)
                for index, header in enumerate(table.headers, start=1):
                    sheet.column_dimensions[get_column_letter(index)].width = table.width(header)
                sheet.freeze_panes = "A2"
                sheet.append(table.headers)  # creates the sheet's temporary file
                self.sheets.append(sheet)

    def add(self, document: Document) -> None:
        for index, (table, sheet) in enumerate(zip(XLSX_TABLES, self.sheets)):
            rows = table.rows(document)
            for row in rows:
                sheet.append(row)
            self.counts[index] += len(rows)

    def finish(self, errors: list[dict[str, str]]) -> None:
        for table, sheet, count in zip(XLSX_TABLES, self.sheets, self.counts):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.headers))}{count}"
        with temporary_files_in(self.scratch):
            self.workbook.save(self.target.tmp)
        self.target.commit()

    def discard(self) -> None:
        # Saving closes openpyxl's streams and removes its temporary files; left open, they
        # print "Exception ignored" tracebacks when collected (an interrupted run).
        try:
            with temporary_files_in(self.scratch):
                self.workbook.save(self.target.tmp)
        except Exception:
            pass
        self.target.discard()
