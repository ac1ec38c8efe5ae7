"""``register.sqlite``: the register as SQL tables with a full-text index.

The rows come from the table definitions in ``rows.py`` (shared with CSV and XLSX); a column
there with an ``sql`` name is a column of the schema here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..files import AtomicFile
from ..model import Document
from ..model.rules import Rules
from ..timeline.timelines import TimelineCollector
from .link_rows import LINK_SQL_COLUMNS, link_rows
from .rows import tables


SQLITE_SCHEMA = """
CREATE TABLE documents (
  doc_id TEXT PRIMARY KEY, doc_type TEXT NOT NULL, title TEXT, municipalities TEXT,
  signing_date TEXT, signing_place TEXT, validity_start TEXT, validity_end TEXT, validity_text TEXT,
  source_path TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_format TEXT NOT NULL, source_pages INTEGER,
  warnings TEXT, municipality_codes TEXT, review TEXT, checked TEXT, corrections INTEGER NOT NULL
);
CREATE TABLE parties (
  doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL, name TEXT NOT NULL,
  kind TEXT NOT NULL, aliases TEXT, representative TEXT, representative_role TEXT,
  PRIMARY KEY (doc_id, position)
);
CREATE TABLE afspraken (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL,
  number TEXT, text TEXT NOT NULL, section_path TEXT, theme TEXT, page INTEGER,
  responsible TEXT, commitment TEXT, corrected TEXT, checked TEXT
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
CREATE TABLE corrections (
  doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,
  afspraak_id TEXT, field TEXT NOT NULL, old TEXT, new TEXT, PRIMARY KEY (doc_id, position)
);
CREATE TABLE afspraak_links (
  municipality TEXT NOT NULL, from_id TEXT, to_id TEXT, kind TEXT NOT NULL, similarity REAL, changes TEXT
);
CREATE INDEX afspraken_doc ON afspraken(doc_id);
CREATE INDEX afspraken_theme ON afspraken(theme);
CREATE INDEX parties_name ON parties(name);
CREATE INDEX deadlines_date ON deadlines(date);
CREATE INDEX targets_unit ON targets(unit);
CREATE VIRTUAL TABLE afspraken_fts USING fts5(text, content='afspraken', content_rowid='rowid');
"""


def _update_in_place(built: sqlite3.Connection, path: Path) -> None:
    """Copy the database ``built`` into the one at ``path``, in place, in one transaction (the
    file keeps its inode; readers see the old register or the new one)."""
    if not path.is_file():
        raise sqlite3.DatabaseError(f"no database at {path}")
    target = sqlite3.connect(path)
    try:
        target.execute("PRAGMA schema_version")  # raises on a file that is not a database
        built.backup(target)
    finally:
        target.close()


class SqliteWriter:
    """``register.sqlite``, built in a temporary file, then copied into the existing database in
    place (or renamed into place when there is none)."""

    def __init__(self, out: Path, rules: Rules, timelines: TimelineCollector | None = None) -> None:
        self.tables, self.timelines = tables(rules).sqlite, timelines or TimelineCollector(rules)
        self.target = AtomicFile(out / "register.sqlite")
        self.target.handle.close()
        self.db = sqlite3.connect(self.target.tmp)
        self.db.executescript(SQLITE_SCHEMA)

    def add(self, d: Document) -> None:
        """One document's rows, from the same table definitions as CSV and XLSX (unescaped)."""
        for table in self.tables:
            columns = table.sql_columns
            self.db.executemany(
                f"INSERT INTO {table.sql} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", table.sql_rows(d)
            )

    def finish(self, errors: list[dict[str, str]]) -> None:
        self.db.executemany(
            f"INSERT INTO afspraak_links ({', '.join(LINK_SQL_COLUMNS)}) VALUES ({', '.join('?' * len(LINK_SQL_COLUMNS))})",
            link_rows(self.timelines.timelines()),
        )
        self.db.execute("INSERT INTO afspraken_fts(afspraken_fts) VALUES ('rebuild')")
        self.db.commit()
        try:
            _update_in_place(self.db, self.target.path)
        except sqlite3.Error:  # no database there (or a damaged one): the new file replaces it
            self.db.close()
            self.target.commit()
            return
        self.db.close()
        self.target.discard()

    def discard(self) -> None:
        self.db.close()
        self.target.discard()
