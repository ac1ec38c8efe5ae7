"""``register.sqlite``: the register as SQL tables with a full-text index.

The rows come from the table definitions in ``rows.py`` (shared with CSV and XLSX); a column
there with an ``sql`` name is a column of the schema here. Each document's rows are rendered
once into its fragment (:func:`sql_share`, the section ``sql``); the database is written from
the fragments.

A run with a few new or changed documents updates the database in place, in one transaction:
the rows of documents removed or changed are deleted, those of new or changed documents
inserted, and their rows of the full-text index with them; the fragments of unchanged
documents are not even read. The result holds what a full run writes (``iterdump`` is the same
but for the full-text index's own tables, whose layout depends on the order of writes; the
index is consistent with its table either way: FTS5's ``integrity-check``), whatever the order
of inserts and deletes: the tables keyed by document are ``WITHOUT ROWID`` (stored in key
order); an afspraak's rowid, which the full-text index refers to, is its document's block (a
hash of the doc_id) plus its position, so a document's afspraken keep their rowids when others
come and go (a table scan without ``ORDER BY`` gives the documents in hash order, each one's
afspraken in order); afspraak_links is written again. A database that is not the
one expected (not a database, damaged, another schema, other documents than ``holds``) is
built afresh instead.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path

from ..files import AtomicFile
from ..model import Document
from ..model.rules import Rules
from ..timeline.timelines import TimelineCollector
from .link_rows import LINK_SQL_COLUMNS, link_rows
from .rows import Cell, TableSpec, tables

SQLITE_SCHEMA = """
CREATE TABLE documents (
  doc_id TEXT PRIMARY KEY, doc_type TEXT NOT NULL, title TEXT, municipalities TEXT,
  signing_date TEXT, signing_place TEXT, validity_start TEXT, validity_end TEXT, validity_text TEXT,
  source_path TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_format TEXT NOT NULL, source_pages INTEGER,
  warnings TEXT, municipality_codes TEXT, review TEXT, checked TEXT, corrections INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE parties (
  doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL, name TEXT NOT NULL,
  kind TEXT NOT NULL, aliases TEXT, representative TEXT, representative_role TEXT,
  PRIMARY KEY (doc_id, position)
) WITHOUT ROWID;
CREATE TABLE afspraken (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL,
  number TEXT, text TEXT NOT NULL, section_path TEXT, theme TEXT, page INTEGER,
  responsible TEXT, commitment TEXT, corrected TEXT, checked TEXT
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
CREATE TABLE corrections (
  doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,
  afspraak_id TEXT, field TEXT NOT NULL, old TEXT, new TEXT, PRIMARY KEY (doc_id, position)
) WITHOUT ROWID;
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

SQL_SECTION = "sql"  # the fragment's section with the document's rows

# A document's rows, table by table: what deleting a document deletes.
_DELETE = [
    # the full-text index of an external-content table forgets a row given its old text
    "INSERT INTO afspraken_fts(afspraken_fts, rowid, text) SELECT 'delete', rowid, text FROM afspraken WHERE doc_id = ?",
    "DELETE FROM targets WHERE afspraak_id IN (SELECT id FROM afspraken WHERE doc_id = ?)",
    "DELETE FROM deadlines WHERE afspraak_id IN (SELECT id FROM afspraken WHERE doc_id = ?)",
    "DELETE FROM afspraken WHERE doc_id = ?",
    "DELETE FROM parties WHERE doc_id = ?",
    "DELETE FROM corrections WHERE doc_id = ?",
    "DELETE FROM documents WHERE doc_id = ?",
]
# An afspraak's rowid: its document's block, a hash of the doc_id (the next free one on the
# rare clash), plus its position in the document.
_BLOCK_BITS = 16  # afspraken of one document: fewer than 65,536
_BLOCKS = 1 << 47  # blocks: rowids below 2**63


def _block(doc_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big") % _BLOCKS


SqlRows = dict[str, list[list[Cell]]]
_CELL_TYPES = {str, int, float, bool, type(None)}  # what JSON holds but lists and objects


def sql_share(document: Document, rules: Rules) -> dict[str, bytes]:
    """A document's rows of each table, in each table's ``sql_columns`` order: its fragment's
    section ``sql`` (JSON, values as they are)."""
    rows = {table.sql: table.sql_rows(document) for table in tables(rules).sqlite}
    return {SQL_SECTION: json.dumps(rows, ensure_ascii=False).encode("utf-8")}


def read_sql_share(data: bytes, doc_id: str, rules: Rules) -> SqlRows:
    """The rows of a fragment's section ``sql`` (a file on disk): ValueError unless it holds,
    for every table, rows of its columns' number of values (text, numbers, null), of the
    document ``doc_id`` only."""
    return _read_rows(data, doc_id, tables(rules).sqlite)


def _read_rows(data: bytes, doc_id: str, specs: list[TableSpec]) -> SqlRows:
    try:
        rows = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"{doc_id}: the SQL rows are not JSON ({error})") from None
    if not isinstance(rows, dict) or set(rows) != {t.sql for t in specs}:
        raise ValueError(f"{doc_id}: the SQL rows are not the tables {sorted(str(t.sql) for t in specs)}")
    for table in specs:
        width = len(table.sql_columns)
        table_rows = rows[table.sql]
        if (
            not isinstance(table_rows, list)
            or not all(isinstance(row, list) and len(row) == width for row in table_rows)
            or not {type(c) for row in table_rows for c in row} <= _CELL_TYPES
        ):
            raise ValueError(f"{doc_id}: the rows of table {table.sql} are not rows of {width} values")
    if len(rows.get("documents", [None])) != 1:
        raise ValueError(f"{doc_id}: the SQL rows are not those of one document")
    id_column = next(t.sql_columns for t in specs if t.sql == "afspraken").index("id")
    afspraken = {row[id_column] for row in rows["afspraken"]}
    for table in specs:
        # every row is the document's: by its doc_id, or (targets, deadlines) by its afspraak
        key, allowed = ("doc_id", {doc_id}) if "doc_id" in table.sql_columns else ("afspraak_id", afspraken)
        if key in table.sql_columns:
            i = table.sql_columns.index(key)
            if any(row[i] not in allowed for row in rows[table.sql]):
                raise ValueError(f"{doc_id}: table {table.sql} holds rows of another document")
    return rows


def _schema(db: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def _expected_schema() -> list[tuple[str, str, str, str | None]]:
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SQLITE_SCHEMA)
        return _schema(db)
    finally:
        db.close()


def _open_in_place(path: Path, holds: set[str]) -> sqlite3.Connection | None:
    """The database at ``path`` in a transaction, if it is the one expected: this schema and
    the documents ``holds``; ``None`` for one to build afresh."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        db.execute("BEGIN IMMEDIATE")  # a file that is not a database raises here or below
        if (
            _schema(db) != _expected_schema()
            or {doc_id for (doc_id,) in db.execute("SELECT doc_id FROM documents")} != holds
            or db.execute("PRAGMA quick_check").fetchall() != [("ok",)]
        ):
            db.execute("ROLLBACK")
            db.close()
            return None
    except sqlite3.Error:
        db.close()
        return None
    return db


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
    """``register.sqlite`` from the documents' fragments.

    ``holds`` ``None``: built afresh in a temporary file, then copied into the existing
    database in place (or renamed into place when there is none). ``holds`` the doc_ids the
    database at ``out`` holds (untouched since the run that wrote it): updated in place, in one
    transaction, with the rows of the documents removed, new or ``changed``; a database that is
    not the one expected is built afresh instead, and so is one that fails on the way."""

    def __init__(self, out: Path, rules: Rules, timelines: TimelineCollector | None = None, holds: set[str] | None = None) -> None:
        self.tables, self.timelines = tables(rules).sqlite, timelines or TimelineCollector(rules)
        self.path = out / "register.sqlite"
        self.target: AtomicFile | None = None
        self.seen: set[str] = set()
        # in place: every document added, to build afresh from if the update fails on the way
        self.added: list[tuple[str, Callable[[], Mapping[str, bytes]]]] = []
        self.holds = holds
        db = None if holds is None else _open_in_place(self.path, holds)
        if db is None:
            self.holds = None
            db = self._fresh()
        self.db = db

    def _fresh(self) -> sqlite3.Connection:
        self.target = AtomicFile(self.path)
        self.target.handle.close()
        db = sqlite3.connect(self.target.tmp, isolation_level=None)
        try:
            db.executescript(SQLITE_SCHEMA)
            db.execute("BEGIN")
        except BaseException:
            db.close()
            self.target.discard()
            raise
        return db

    def add(self, doc_id: str, load: Callable[[], Mapping[str, bytes]], changed: bool) -> None:
        """A document's rows (the section ``sql`` of the fragment ``load`` reads), unless the
        database holds them already: in place and not ``changed``, the fragment is not read.
        In place, the full-text index is updated row by row (a rebuild costs the register)."""
        if doc_id in self.seen:
            raise ValueError(f"document {doc_id} added twice to register.sqlite")
        self.seen.add(doc_id)
        if self.holds is None:
            self._insert(doc_id, load)
            return
        self.added.append((doc_id, load))
        if doc_id in self.holds and not changed:
            return
        rows = _read_rows(load()[SQL_SECTION], doc_id, self.tables)  # a damaged fragment fails here, not the database
        try:
            if doc_id in self.holds:
                self._delete(doc_id)
            self._insert_rows(doc_id, rows)
            self.db.execute("INSERT INTO afspraken_fts(rowid, text) SELECT rowid, text FROM afspraken WHERE doc_id = ?", (doc_id,))
        except sqlite3.Error:
            self._fall_back()

    def _insert(self, doc_id: str, load: Callable[[], Mapping[str, bytes]]) -> None:
        self._insert_rows(doc_id, _read_rows(load()[SQL_SECTION], doc_id, self.tables))

    def _insert_rows(self, doc_id: str, rows: SqlRows) -> None:
        for table in self.tables:
            columns, values = table.sql_columns, rows[str(table.sql)]
            if table.sql == "afspraken":  # rowids of the document's block
                if len(values) >= 1 << _BLOCK_BITS:
                    raise ValueError(f"{doc_id}: {len(values)} afspraken, more than register.sqlite numbers")
                first = self._free_block(doc_id) << _BLOCK_BITS
                columns, values = ["rowid", *columns], [[first + i, *row] for i, row in enumerate(values)]
            self.db.executemany(
                f"INSERT INTO {table.sql} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values
            )

    def _free_block(self, doc_id: str) -> int:
        """The document's block of afspraken rowids: its hash, or the next one free on a clash."""
        block = _block(doc_id)
        while self.db.execute(
            "SELECT 1 FROM afspraken WHERE rowid BETWEEN ? AND ?", (block << _BLOCK_BITS, ((block + 1) << _BLOCK_BITS) - 1)
        ).fetchone():
            block = (block + 1) % _BLOCKS
        return block

    def _delete(self, doc_id: str) -> None:
        for statement in _DELETE:
            self.db.execute(statement, (doc_id,))

    def _fall_back(self) -> None:
        """The update in place failed (a damaged database): build afresh from every document
        added so far."""
        try:
            self.db.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        self.db.close()
        self.holds = None
        self.db = self._fresh()
        for doc_id, load in sorted(self.added, key=lambda added: added[0]):
            self._insert(doc_id, load)
        self.added = []

    def finish(self, errors: list[dict[str, str]]) -> None:
        if self.holds is not None:
            try:
                self._finish_in_place()
                return
            except sqlite3.Error:
                self._fall_back()
        self._finish_fresh()

    def _links(self) -> None:
        self.db.executemany(
            f"INSERT INTO afspraak_links ({', '.join(LINK_SQL_COLUMNS)}) VALUES ({', '.join('?' * len(LINK_SQL_COLUMNS))})",
            link_rows(self.timelines.timelines()),
        )

    def _finish_in_place(self) -> None:
        assert self.holds is not None
        for doc_id in sorted(self.holds - self.seen):  # removed from the register
            self._delete(doc_id)
        self.db.execute("DELETE FROM afspraak_links")
        self._links()
        self.db.execute("COMMIT")
        self.db.close()

    def _finish_fresh(self) -> None:
        assert self.target is not None
        self._links()
        self.db.execute("INSERT INTO afspraken_fts(afspraken_fts) VALUES ('rebuild')")
        self.db.execute("COMMIT")
        try:
            _update_in_place(self.db, self.path)
        except sqlite3.Error:  # no database there (or a damaged one): the new file replaces it
            self.db.close()
            # a journal left by a killed update belongs to the database replaced here
            self.path.with_name(self.path.name + "-journal").unlink(missing_ok=True)
            self.target.commit()
            return
        self.db.close()
        self.target.discard()

    def discard(self) -> None:
        try:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
        except sqlite3.ProgrammingError:  # closed: finished
            pass
        self.db.close()
        if self.target is not None:
            self.target.discard()
