"""``register.sqlite``: the register as SQL tables with a full-text index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..files import AtomicFile
from ..model import Document


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
