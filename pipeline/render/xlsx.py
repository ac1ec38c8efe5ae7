"""``register.xlsx``: the flattened tables as sheets, and the national goals."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..compare.goals import GoalCollector
from ..files import SCRATCH_DIR, AtomicFile, temporary_files_in
from ..model import Document
from ..model.rules import Rules
from .goal_rows import NUMBER_HEADERS, NUMBERS_SHEET, SUMMARY_HEADERS, SUMMARY_SHEET, number_rows, summary_rows
from ..timeline.timelines import TimelineCollector
from .link_rows import LINK_HEADERS, LINK_SHEET, sheet_rows
from .rows import Row, column_width, tables

# Characters XML cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF), which openpyxl
# refuses: left out of the workbook only (the other outputs keep the text as it is).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(row: Row) -> Row:
    return [_NOT_XML.sub("", cell) if isinstance(cell, str) else cell for cell in row]


def xlsx_share(document: Document, rules: Rules) -> dict[str, bytes]:
    return {"xlsx": json.dumps([table.rows(document) for table in tables(rules).xlsx]).encode()}


class XlsxWriter:
    """``register.xlsx``: a sheet per table, then the national goals (``landelijke_doelen``,
    ``landelijk``) and the links across years (``afspraak_links``); header frozen, filters on, text columns wide.

    openpyxl's write-only mode streams rows to disk; it needs the column widths before the
    first row, so they come from the table definitions rather than from the data. The goal
    sheets are written at the end, from what each agreement contributes to them (its numbers
    on the goals, a few per document).

    Those streams are temporary files that openpyxl creates (on a sheet's first row) through
    :mod:`tempfile`; they go to ``<out>/.cache/tmp/``, not to the system temp folder, so a
    killed run leaves nothing outside ``--out`` and the next run removes them
    (:func:`pipeline.files.remove_partial_files`).
    """

    def __init__(self, out: Path, rules: Rules, timelines: TimelineCollector | None = None, goals: GoalCollector | None = None) -> None:
        self.rules, self.tables, self.timelines = rules, tables(rules).xlsx, timelines or TimelineCollector(rules)
        self.goals = goals or GoalCollector(rules)
        self.scratch = out / SCRATCH_DIR
        self.target = AtomicFile(out / "register.xlsx")
        self.target.handle.close()  # openpyxl writes the file itself, on save
        self.workbook = Workbook(write_only=True)
        with temporary_files_in(self.scratch):
            self.sheets = [self._sheet(table.name, table.headers) for table in self.tables]
            self.summary = self._sheet(SUMMARY_SHEET, SUMMARY_HEADERS)
            self.numbers = self._sheet(NUMBERS_SHEET, NUMBER_HEADERS)
            self.links = self._sheet(LINK_SHEET, LINK_HEADERS)
        self.counts = {sheet.title: 1 for sheet in [*self.sheets, self.summary, self.numbers, self.links]}

    def _sheet(self, name: str, headers: list[str]) -> Any:
        sheet = self.workbook.create_sheet(name)
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column_width(header)
        sheet.freeze_panes = "A2"
        sheet.append(headers)  # creates the sheet's temporary file
        return sheet

    def _append(self, sheet: Any, rows: list[Row]) -> None:
        for row in rows:
            sheet.append(_xml_safe(row))
        self.counts[sheet.title] += len(rows)

    def add(self, fragment: Mapping[str, bytes]) -> None:
        for rows, sheet in zip(json.loads(fragment["xlsx"]), self.sheets):
            self._append(sheet, rows)

    def finish(self, errors: list[dict[str, str]]) -> None:
        reports = self.goals.reports()
        self._append(self.summary, summary_rows(reports))
        self._append(self.numbers, number_rows(reports))
        self._append(self.links, sheet_rows(self.timelines.timelines()))
        widths = [*(len(table.headers) for table in self.tables), len(SUMMARY_HEADERS), len(NUMBER_HEADERS), len(LINK_HEADERS)]
        for sheet, width in zip([*self.sheets, self.summary, self.numbers, self.links], widths):
            sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{self.counts[sheet.title]}"
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
