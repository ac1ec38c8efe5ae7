"""Render the register as Markdown (per document), CSV, XLSX and SQLite."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .models import Document
from .register import write_atomic
from .render_site import environment
from .tables import Table, afspraken_table, all_tables, deadlines_table, targets_table

# Widest XLSX column, in characters; long texts wrap inside it.
MAX_COLUMN_WIDTH = 80


def render_markdown(documents: list[Document], out: Path) -> None:
    template = environment().get_template("document.md")
    folder = out / "markdown"
    for document in documents:
        write_atomic(folder / f"{document.doc_id}.md", template.render(d=document).encode("utf-8"))
    current = {f"{d.doc_id}.md" for d in documents}
    for stale in folder.glob("*.md"):
        if stale.name not in current:
            stale.unlink()


def table_to_csv(table: Table) -> bytes:
    """UTF-8 with BOM, so that Excel opens Dutch characters right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def render_csv(documents: list[Document], out: Path) -> None:
    for filename, table in (("afspraken.csv", afspraken_table(documents)), ("targets.csv", targets_table(documents)), ("deadlines.csv", deadlines_table(documents))):
        write_atomic(out / filename, table_to_csv(table))


def render_xlsx(documents: list[Document], out: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in all_tables(documents):
        sheet = workbook.create_sheet(table.name)
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.headers))}{len(table.rows) + 1}"
        for index, header in enumerate(table.headers, start=1):
            longest = max([len(header)] + [len(str(row[index - 1])) for row in table.rows if row[index - 1] is not None])
            sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_COLUMN_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(out / "register.xlsx", buffer.getvalue())


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


def _fill(db: sqlite3.Connection, documents: list[Document]) -> None:
    db.executescript(SQLITE_SCHEMA)
    for d in documents:
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
    db.execute("INSERT INTO afspraken_fts(afspraken_fts) VALUES ('rebuild')")


def render_sqlite(documents: list[Document], out: Path) -> None:
    """``register.sqlite``, built in a temporary file and renamed into place."""
    out.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".register.sqlite.", dir=out)
    os.close(fd)
    try:
        with sqlite3.connect(tmp) as db:
            _fill(db, documents)
        db.close()
        os.replace(tmp, out / "register.sqlite")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
