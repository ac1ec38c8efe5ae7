"""Render the register as Markdown (per document), CSV, XLSX and SQLite, document by document."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .models import Document
from .register import AtomicFile, remove_stale, write_atomic
from .render_site import environment
from .tables import CSV_TABLES, XLSX_TABLES


class MarkdownWriter:
    """``markdown/<doc_id>.md``: one readable page per document."""

    def __init__(self, out: Path) -> None:
        self.folder = out / "markdown"
        self.template = environment().get_template("document.md")
        self.names: set[str] = set()

    def add(self, document: Document) -> None:
        write_atomic(self.folder / f"{document.doc_id}.md", self.template.render(d=document).encode("utf-8"))
        self.names.add(f"{document.doc_id}.md")

    def finish(self, errors: list[dict[str, str]]) -> None:
        remove_stale(self.folder, "*.md", self.names)

    def discard(self) -> None:
        pass


class CsvWriter:
    """``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: UTF-8 with BOM, so that Excel
    opens Dutch characters right."""

    def __init__(self, out: Path) -> None:
        self.files = {name: AtomicFile(out / name, "w", encoding="utf-8-sig", newline="") for name in CSV_TABLES}
        self.writers = {name: csv.writer(f.handle, lineterminator="\r\n") for name, f in self.files.items()}
        for name, table in CSV_TABLES.items():
            self.writers[name].writerow(table.headers)

    def add(self, document: Document) -> None:
        for name, table in CSV_TABLES.items():
            self.writers[name].writerows(table.rows(document))

    def finish(self, errors: list[dict[str, str]]) -> None:
        for target in self.files.values():
            target.commit()

    def discard(self) -> None:
        for target in self.files.values():
            target.discard()


class XlsxWriter:
    """``register.xlsx``: a sheet per table, header frozen, filters on, text columns wide.

    openpyxl's write-only mode streams rows to disk; it needs the column widths before the
    first row, so they come from the table definitions rather than from the data.
    """

    def __init__(self, out: Path) -> None:
        self.target = AtomicFile(out / "register.xlsx")
        self.target.handle.close()  # openpyxl writes the file itself, on save
        self.workbook = Workbook(write_only=True)
        self.sheets = []
        self.counts = [1] * len(XLSX_TABLES)
        for table in XLSX_TABLES:
            sheet = self.workbook.create_sheet(table.name)
            for index, header in enumerate(table.headers, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = table.width(header)
            sheet.freeze_panes = "A2"
            sheet.append(table.headers)
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
        self.workbook.save(self.target.tmp)
        self.target.commit()

    def discard(self) -> None:
        self.target.discard()


SQLITE_SCHEMA = """
CREATE TABLE documents (
  doc_id TEXT PRIMARY KEY, doc_type TEXT NOT NULL, title TEXT, municipalities TEXT,
  signing_date TEXT, signing_place TEXT, validity_start TEXT, validity_end TEXT, validity_text TEXT,
  source_path TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_format TEXT NOT NULL, source_pages INTEGER,
  warnings TEXT
);
CREATE TABLE parties (
  doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL, name TEXT NOT NULL,
  kind TEXT NOT NULL, aliases TEXT, representative TEXT, representative_role TEXT,
  PRIMARY KEY (doc_id, position)
);
CREATE TABLE afspraken (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL,
  number TEXT NOT NULL, text TEXT NOT NULL, section_path TEXT, theme TEXT, page INTEGER,
  responsible TEXT, commitment TEXT
);
CREATE TABLE deadlines (
  afspraak_id TEXT NOT NULL REFERENCES afspraken(id), position INTEGER NOT NULL,
  text TEXT NOT NULL, date TEXT, recurrence TEXT, PRIMARY KEY (afspraak_id, position)
);
CREATE TABLE targets (
  afspraak_id TEXT NOT NULL REFERENCES afspraken(id), position INTEGER NOT NULL,
  text TEXT NOT NULL, comparator TEXT NOT NULL, value REAL, value_max REAL, unit TEXT NOT NULL,
  label TEXT, per TEXT, PRIMARY KEY (afspraak_id, position)
);
CREATE INDEX afspraken_doc ON afspraken(doc_id);
CREATE INDEX afspraken_theme ON afspraken(theme);
CREATE INDEX parties_name ON parties(name);
CREATE INDEX deadlines_date ON deadlines(date);
CREATE INDEX targets_unit ON targets(unit);
CREATE VIRTUAL TABLE afspraken_fts USING fts5(text, content='afspraken', content_rowid='rowid');
"""


class SqliteWriter:
    """``register.sqlite``, built in a temporary file and renamed into place."""

    def __init__(self, out: Path) -> None:
        self.target = AtomicFile(out / "register.sqlite")
        self.target.handle.close()
        self.db = sqlite3.connect(self.target.tmp)
        self.db.executescript(SQLITE_SCHEMA)

    def add(self, d: Document) -> None:
        db = self.db
        db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (d.doc_id, d.doc_type, d.title, "; ".join(d.municipalities), d.signing.date, d.signing.place, d.validity.start,
             d.validity.end, d.validity.text, d.source.path, d.source.sha256, d.source.format, d.source.pages, "\n".join(d.warnings)),
        )
        db.executemany(
            "INSERT INTO parties VALUES (?,?,?,?,?,?,?)",
            [(d.doc_id, i, p.name, p.kind, "; ".join(p.aliases), p.representative, p.representative_role) for i, p in enumerate(d.parties)],
        )
        for i, a in enumerate(d.afspraken):
            db.execute(
                "INSERT INTO afspraken VALUES (?,?,?,?,?,?,?,?,?,?)",
                (a.id, d.doc_id, i, a.number, a.text, " › ".join(a.section_path), a.theme, a.page, "; ".join(a.responsible), a.commitment),
            )
            db.executemany("INSERT INTO deadlines VALUES (?,?,?,?,?)", [(a.id, j, t.text, t.date, t.recurrence) for j, t in enumerate(a.deadlines)])
            db.executemany(
                "INSERT INTO targets VALUES (?,?,?,?,?,?,?,?,?)",
                [(a.id, j, t.text, t.comparator, t.value, t.value_max, t.unit, t.label, t.per) for j, t in enumerate(a.targets)],
            )

    def finish(self, errors: list[dict[str, str]]) -> None:
        self.db.execute("INSERT INTO afspraken_fts(afspraken_fts) VALUES ('rebuild')")
        self.db.commit()
        self.db.close()
        self.target.commit()

    def discard(self) -> None:
        self.db.close()
        self.target.discard()
