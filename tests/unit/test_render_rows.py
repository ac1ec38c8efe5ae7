"""One row-builder for CSV, XLSX and SQLite: the SQLite writer takes its rows from the table
definitions in ``render/rows.py``, unescaped; the spreadsheets get them escaped."""

from __future__ import annotations

import sqlite3

from pipeline.model import Afspraak, Deadline, Document, Party, Target
from pipeline.model.contract import Signing, Source, Validity
from pipeline.model.rules import default_rules
from pipeline.render.rows import tables
from pipeline.render.sqlite import SQLITE_SCHEMA, SqliteWriter, sql_share

TABLES = tables(default_rules())
AFSPRAKEN = next(t for t in TABLES.xlsx if t.name == "afspraken")



def _ordinal(n: int) -> dict[str, int]:
    """The afspraak's position, where the contract has that field."""
    return {"ordinal": n} if "ordinal" in Afspraak.model_fields else {}


DOCUMENT = Document(
    doc_id="proef-2024",
    source=Source(path="in/proef-2024.txt", sha256="ab" * 32, format="text", pages=2),
    doc_type="prestatieafspraken",
    title="=Prestatieafspraken Proefdorp",
    municipalities=["Proefdorp"],
    parties=[Party(name="Gemeente Proefdorp", kind="gemeente", aliases=["de gemeente"], representative="A. Bakker", representative_role="wethouder"),
             Party(name="Woonborg", kind="corporatie")],
    signing=Signing(date="2024-01-15", place="Proefdorp"),
    validity=Validity(start="2024-01-01", end="2024-12-31", text="2024"),
    afspraken=[
        Afspraak(id="proef-2024#1", number="1", **_ordinal(1), text="-De gemeente bouwt 20 woningen vóór 1 april 2024.", section_path=["Wonen", "Nieuwbouw"],
                 theme="beschikbaarheid", page=1, responsible=["Gemeente Proefdorp"], commitment="resultaat",
                 deadlines=[Deadline(text="vóór 1 april 2024", date="2024-04-01")],
                 targets=[Target(text="20 woningen", comparator="=", value=20, unit="woning"),
                          Target(text="-5%", comparator="<=", value=-5, unit="%")]),
        Afspraak(id="proef-2024#2", number="2", **_ordinal(2), text="Partijen overleggen jaarlijks.", commitment="afstemming",
                 deadlines=[Deadline(text="jaarlijks", recurrence="P1Y")]),
    ],
    warnings=["eerste", "=tweede"],
)


def test_every_sql_column_is_a_column_of_the_schema():
    db = sqlite3.connect(":memory:")
    db.executescript(SQLITE_SCHEMA)
    for table in TABLES.sqlite:
        schema = [row[1] for row in db.execute(f"PRAGMA table_info({table.sql})")]
        assert sorted(table.sql_columns) == sorted(schema), table.sql
    assert {t.sql for t in TABLES.sqlite} == {"documents", "parties", "afspraken", "targets", "deadlines", "corrections"}
    assert all(any(t is x for x in TABLES.xlsx) for t in TABLES.csv.values())


def test_sqlite_gets_the_same_values_unescaped(tmp_path):
    writer = SqliteWriter(tmp_path, default_rules())
    writer.add(DOCUMENT.doc_id, lambda: sql_share(DOCUMENT, default_rules()), True)
    writer.finish([])
    db = sqlite3.connect(tmp_path / "register.sqlite")
    assert db.execute("SELECT title, municipalities, warnings, source_pages FROM documents").fetchall() == [
        ("=Prestatieafspraken Proefdorp", "Proefdorp", "eerste\n=tweede", 2)]
    assert db.execute("SELECT * FROM parties ORDER BY position").fetchall() == [
        ("proef-2024", 0, "Gemeente Proefdorp", "gemeente", "de gemeente", "A. Bakker", "wethouder"),
        ("proef-2024", 1, "Woonborg", "corporatie", "", None, None)]
    assert db.execute("SELECT * FROM afspraken ORDER BY position").fetchall() == [
        ("proef-2024#1", "proef-2024", 0, "1", "-De gemeente bouwt 20 woningen vóór 1 april 2024.", "Wonen › Nieuwbouw", "beschikbaarheid", 1,
         "Gemeente Proefdorp", "resultaat", "", None),
        ("proef-2024#2", "proef-2024", 1, "2", "Partijen overleggen jaarlijks.", "", None, None, "", "afstemming", "", None)]
    assert db.execute("SELECT * FROM targets").fetchall() == [
        ("proef-2024#1", 0, "20 woningen", "=", 20.0, None, "woning", None, None),
        ("proef-2024#1", 1, "-5%", "<=", -5.0, None, "%", None, None)]
    assert db.execute("SELECT * FROM deadlines").fetchall() == [
        ("proef-2024#1", 0, "vóór 1 april 2024", "2024-04-01", None), ("proef-2024#2", 0, "jaarlijks", None, "P1Y")]


def test_spreadsheet_rows_are_escaped_from_the_same_values():
    rows = AFSPRAKEN.rows(DOCUMENT)
    assert rows[0][AFSPRAKEN.headers.index("tekst")] == "'-De gemeente bouwt 20 woningen vóór 1 april 2024."
    assert AFSPRAKEN.sql_rows(DOCUMENT)[0][AFSPRAKEN.sql_columns.index("text")] == "-De gemeente bouwt 20 woningen vóór 1 april 2024."
    documents = next(t for t in TABLES.xlsx if t.name == "documenten")
    assert documents.rows(DOCUMENT)[0][documents.headers.index("waarschuwingen")] == "eerste; =tweede"
    assert len(AFSPRAKEN.headers) == len(rows[0])
    assert rows[0][AFSPRAKEN.headers.index("doelen")] == "20 woningen; ≤ -5%"  # units in the plural
