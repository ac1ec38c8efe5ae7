"""``register.sqlite``: the register as SQL tables with a full-text index.

The rows come from the table definitions in ``rows.py`` (shared with CSV and XLSX); a column
there with an ``sql`` name is a column of the schema here.

A run with a few new or changed documents updates the database in place, in one transaction:
the rows of documents removed or changed are deleted, those of new or changed documents
inserted. The result is the database a full run writes (``iterdump`` is the same): the tables
keyed by document are ``WITHOUT ROWID`` (stored in key order, whatever the order of inserts),
afspraken are numbered again in doc_id order (the full-text index refers to their rowid) and
the full-text index is rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import AtomicFile
from ..model import Document
from .rows import SQLITE_TABLES

if TYPE_CHECKING:
    from . import Part


SQLITE_SCHEMA = """
CREATE TABLE documents (
  doc_id TEXT PRIMARY KEY, doc_type TEXT NOT NULL, title TEXT, municipalities TEXT,
  signing_date TEXT, signing_place TEXT, validity_start TEXT, validity_end TEXT, validity_text TEXT,
  source_path TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_format TEXT NOT NULL, source_pages INTEGER,
  warnings TEXT, municipality_codes TEXT, review TEXT
) WITHOUT ROWID;
CREATE TABLE parties (
  doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL, name TEXT NOT NULL,
  kind TEXT NOT NULL, aliases TEXT, representative TEXT, representative_role TEXT,
  PRIMARY KEY (doc_id, position)
) WITHOUT ROWID;
CREATE TABLE afspraken (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL,
  number TEXT, text TEXT NOT NULL, section_path TEXT, theme TEXT, page INTEGER,
  responsible TEXT, commitment TEXT
);
CREATE TABLE deadlines (
  afspraak_id TEXT NOT NULL REFERENCES afspraken(id), position INTEGER NOT NULL,
  text TEXT NOT NULL, date TEXT, recurrence TEXT, PRIMARY KEY (afspraak_id, position)
) WITHOUT ROWID;
CREATE TABLE targets (
  afspraak_id TEXT NOT NULL REFERENCES afspraken(id), position INTEGER NOT NULL,
  text TEXT NOT NULL, comparator TEXT NOT NULL, value REAL, value_max REAL, unit TEXT NOT NULL,
  label TEXT, per TEXT, PRIMARY KEY (afspraak_id, position)
) WITHOUT ROWID;
CREATE INDEX afspraken_doc ON afspraken(doc_id);
CREATE INDEX afspraken_theme ON afspraken(theme);
CREATE INDEX parties_name ON parties(name);
CREATE INDEX deadlines_date ON deadlines(date);
CREATE INDEX targets_unit ON targets(unit);
CREATE VIRTUAL TABLE afspraken_fts USING fts5(text, content='afspraken', content_rowid='rowid');
"""


# A document's rows, table by table: what deleting a document deletes.
_DELETE = [
    "DELETE FROM targets WHERE afspraak_id IN (SELECT id FROM afspraken WHERE doc_id = ?)",
    "DELETE FROM deadlines WHERE afspraak_id IN (SELECT id FROM afspraken WHERE doc_id = ?)",
    "DELETE FROM afspraken WHERE doc_id = ?",
    "DELETE FROM parties WHERE doc_id = ?",
    "DELETE FROM documents WHERE doc_id = ?",
]
# Afspraken numbered 1, 2, … in doc_id and position order, as a full run inserts them. Each
# document's afspraken are a run of rowids in position order (inserted together, moved
# together); the runs out of place move up out of the way, then down to where they belong.
_FAR = 1 << 40  # above every rowid
_RENUMBER = [
    "CREATE TEMP TABLE blocks (doc_id TEXT PRIMARY KEY, first INTEGER NOT NULL, target INTEGER NOT NULL)",
    "INSERT INTO temp.blocks SELECT doc_id, MIN(rowid), SUM(COUNT(*)) OVER (ORDER BY doc_id) - COUNT(*) + 1 FROM afspraken GROUP BY doc_id",
    f"UPDATE afspraken SET rowid = rowid + {_FAR} WHERE doc_id IN (SELECT doc_id FROM temp.blocks WHERE first != target)",
    f"UPDATE afspraken SET rowid = rowid - {_FAR} - (SELECT first - target FROM temp.blocks b WHERE b.doc_id = afspraken.doc_id) WHERE rowid > {_FAR}",
    "DROP TABLE temp.blocks",
]


def sql_share(document: Document) -> bytes:
    """A document's rows of each table (its fragment's ``sql`` section, JSON)."""
    return json.dumps({table.sql: table.sql_rows(document) for table in SQLITE_TABLES}, ensure_ascii=False).encode("utf-8")


class SqliteWriter:
    """``register.sqlite``: built afresh in a temporary file and renamed into place, or, given
    the doc_ids it holds (``holds``, the database untouched since the run that wrote it),
    updated in place in one transaction."""

    def __init__(self, out: Path, holds: set[str] | None = None) -> None:
        self.path, self.holds = out / "register.sqlite", holds
        self.target: AtomicFile | None = None
        if holds is None:
            self.target = AtomicFile(self.path)
            self.target.handle.close()
            self.db = sqlite3.connect(self.target.tmp, isolation_level=None)
            self.db.executescript(SQLITE_SCHEMA)
        else:
            self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("BEGIN")
        self.seen: set[str] = set()
        self.changed = holds is None

    def add(self, part: Part) -> None:
        """A document's rows, unless the database holds them already (unchanged)."""
        self.seen.add(part.doc_id)
        if self.holds is not None and part.doc_id in self.holds:
            if not part.changed:
                return
            self._delete(part.doc_id)
        rows = json.loads(part.fragment["sql"])
        for table in SQLITE_TABLES:
            columns = table.sql_columns
            self.db.executemany(
                f"INSERT INTO {table.sql} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows[table.sql]
            )
        self.changed = True

    def _delete(self, doc_id: str) -> None:
        for statement in _DELETE:
            self.db.execute(statement, (doc_id,))
        self.changed = True

    def finish(self, errors: list[dict[str, str]]) -> None:
        if self.holds is not None:
            for doc_id in sorted(self.holds - self.seen):  # removed from the register
                self._delete(doc_id)
            if self.changed:
                for statement in _RENUMBER:  # one by one: executescript would commit first
                    self.db.execute(statement)
        if self.changed:
            self.db.execute("INSERT INTO afspraken_fts(afspraken_fts) VALUES ('rebuild')")
        self.db.execute("COMMIT")
        self.db.close()
        if self.target is not None:
            # a journal left by a killed update belongs to the database replaced here
            self.path.with_name(self.path.name + "-journal").unlink(missing_ok=True)
            self.target.commit()

    def discard(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()
        if self.target is not None:
            self.target.discard()
