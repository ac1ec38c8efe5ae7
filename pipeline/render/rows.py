"""The register flattened into tables: one row-builder for CSV, XLSX and SQLite.

Each table is defined once: the records of one document (the document, each party, each
afspraak, …) and its columns, each column one value function with its Dutch header (CSV and
XLSX) and/or its SQL column name (``register.sqlite``). The writers stream document by
document. Spreadsheet rows are escaped against formulas (:func:`safe_cell`); SQLite gets the
values as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from ..model import COMMITMENTS, THEME_LABELS, THEMES, Afspraak, Commitment, Deadline, Document, Target, Theme
from ..model.contract import Check
from ..model.rules import QuantityRules, Rules, compiled
from .compare import ThemeStats, concreteness, format_target, theme_stats

Cell = str | int | float | None
Row = list[Cell]

# Columns holding running text get this width in XLSX (characters; the text wraps there);
# the other columns fit their header.
WIDE_COLUMN = 60
WIDE_COLUMNS = {
    "tekst", "sectie", "titel", "bron", "waarschuwingen", "naam", "vertegenwoordiger", "doelen", "termijnen", "verantwoordelijk",
    "oud", "nieuw", "doel", "landelijk_doel", "opmerking", "zin",
}


# A spreadsheet reads a cell starting with one of these as a formula (also after spaces);
# tab and carriage return start one in some programs. Such text gets a leading "'" (the
# OWASP advice against CSV injection), in CSV and XLSX alike: document text is never a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
FORMULA_CONTROLS = ("\t", "\r")


def column_width(header: str) -> int:
    """An XLSX column's width for its header (characters)."""
    return WIDE_COLUMN if header in WIDE_COLUMNS else max(len(header) + 4, 12)


def safe_cell(value: Cell) -> Cell:
    """A cell as data, never as a formula: text that a spreadsheet would evaluate gets a
    leading "'". Numbers stay numbers (a negative number is a number, not a formula)."""
    if isinstance(value, str) and (value.startswith(FORMULA_CONTROLS) or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its value for a record, its Dutch header in CSV/XLSX (``None``: not in the
    spreadsheets) and its column in ``register.sqlite`` (``None``: not in SQLite)."""

    value: Callable[[R], Cell]
    header: str | None = None
    sql: str | None = None


@dataclass(frozen=True)
class TableSpec(Generic[R]):
    """A table: the records one document contributes and the columns of each record."""

    name: str  # the XLSX sheet
    sql: str | None  # the SQLite table (its schema in ``sqlite.py``); ``None``: not in SQLite
    records: Callable[[Document], list[R]]
    columns: list[Column[R]]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns if c.header is not None]

    def rows(self, document: Document) -> list[Row]:
        """One document's spreadsheet rows, every text cell safe to open in a spreadsheet."""
        columns = [c for c in self.columns if c.header is not None]
        return [[safe_cell(c.value(record)) for c in columns] for record in self.records(document)]

    @property
    def sql_columns(self) -> list[str]:
        return [c.sql for c in self.columns if c.sql is not None]

    def sql_rows(self, document: Document) -> list[tuple[Cell, ...]]:
        """One document's SQLite rows, in :attr:`sql_columns` order, values unescaped."""
        columns = [c for c in self.columns if c.sql is not None]
        return [tuple(c.value(record) for c in columns) for record in self.records(document)]

    def width(self, header: str) -> int:
        return column_width(header)


def _join(values: Sequence[str]) -> str:
    return "; ".join(values)


def _checked(check: Check | None) -> str | None:
    """Who checked it by hand, and when: "J. de Vries, 2025-03-14"."""
    return f"{check.by}, {check.date}" if check else None


def _corrected(document: Document, afspraak: Afspraak) -> str:
    """The fields of an afspraak a person corrected ("responsible; deadlines"), "" for none."""
    return _join(list(dict.fromkeys(r.field for r in document.corrections if r.afspraak == afspraak.id)))


def _json(value: object) -> str | None:
    """A corrected value (text, list, object) in one cell, as JSON."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


class Item(NamedTuple, Generic[R]):
    """A record: a value of a document, with its position in the document's list."""

    doc: Document
    position: int
    value: R


class Sub(NamedTuple, Generic[R]):
    """A record: a value of an afspraak (a target, a deadline), with its position in the list."""

    doc: Document
    afspraak: Afspraak
    position: int
    value: R


class ThemeRow(NamedTuple):
    doc: Document
    theme: Theme
    stats: ThemeStats


def _commitment_count(commitment: Commitment) -> Column[ThemeRow]:
    """The number of afspraken of a theme with this commitment, headed by the commitment."""
    return Column(lambda r: r.stats.commitments.get(commitment, 0), commitment)


def _comparison_records(d: Document) -> list[ThemeRow]:
    if d.doc_type != "prestatieafspraken":
        return []
    by_theme = {s.theme: s for s in theme_stats(d)}
    return [ThemeRow(d, theme, by_theme[theme]) for theme in THEMES]


# Columns in spreadsheet order; SQLite inserts by column name, so its schema's order is free.
DOCUMENTS: TableSpec[Document] = TableSpec("documenten", "documents", lambda d: [d], [
    Column(lambda d: d.doc_id, "doc_id", "doc_id"),
    Column(lambda d: _join(d.municipalities), "gemeente", "municipalities"),
    Column(lambda d: _join([code or "" for code in d.municipality_codes]), "cbs_code", "municipality_codes"),
    Column(lambda d: d.doc_type, "type", "doc_type"),
    Column(lambda d: d.title, "titel", "title"),
    Column(lambda d: d.signing.date, "ondertekend", "signing_date"),
    Column(lambda d: d.signing.place, "plaats", "signing_place"),
    Column(lambda d: d.validity.start, "geldig_vanaf", "validity_start"),
    Column(lambda d: d.validity.end, "geldig_tot", "validity_end"),
    Column(lambda d: d.validity.text, sql="validity_text"),
    Column(lambda d: d.source.pages, "paginas", "source_pages"),
    Column(lambda d: len(d.afspraken), "afspraken"),
    Column(lambda d: d.source.path, "bron", "source_path"),
    Column(lambda d: d.source.sha256, "sha256", "source_sha256"),
    Column(lambda d: d.source.format, sql="source_format"),
    Column(lambda d: _join(d.warnings), "waarschuwingen"),
    Column(lambda d: "\n".join(d.warnings), sql="warnings"),  # one warning a line
    Column(lambda d: _join(d.review), "controleren", "review"),
    Column(lambda d: _checked(d.checked), "gecontroleerd", "checked"),
    Column(lambda d: len(d.corrections), "correcties", "corrections"),
])
def _listed(name: str, sql: str, values: Callable[[Document], Sequence[R]], columns: list[Column[Item[R]]]) -> TableSpec[Item[R]]:
    """A table of one of a document's lists (its parties, its corrections): a row per value,
    tied to the document by its doc_id and position."""
    return TableSpec(name, sql, lambda d: [Item(d, i, v) for i, v in enumerate(values(d))], [
        Column(lambda r: r.doc.doc_id, "doc_id", "doc_id"),
        Column(lambda r: r.position, sql="position"),
        *columns,
    ])


PARTIES = _listed("partijen", "parties", lambda d: d.parties, [
    Column(lambda r: r.value.name, "naam", "name"),
    Column(lambda r: r.value.kind, "soort", "kind"),
    Column(lambda r: _join(r.value.aliases), "aliassen", "aliases"),
    Column(lambda r: r.value.representative, "vertegenwoordiger", "representative"),
    Column(lambda r: r.value.representative_role, "rol", "representative_role"),
])


def _afspraken(units: QuantityRules) -> TableSpec[Item[Afspraak]]:
    """The afspraken, their targets printed with units in the plural (``units``)."""
    return TableSpec("afspraken", "afspraken", lambda d: [Item(d, i, a) for i, a in enumerate(d.afspraken)], [
        Column(lambda r: r.doc.doc_id, "doc_id", "doc_id"),
        Column(lambda r: _join(r.doc.municipalities), "gemeente"),
        Column(lambda r: r.value.id, "afspraak_id", "id"),
        Column(lambda r: r.position, sql="position"),
        Column(lambda r: r.value.number, "nummer", "number"),
        Column(lambda r: r.value.theme, "thema", "theme"),
        Column(lambda r: " › ".join(r.value.section_path), "sectie", "section_path"),
        Column(lambda r: _join(r.value.responsible), "verantwoordelijk", "responsible"),
        Column(lambda r: _join([t.text for t in r.value.deadlines]), "termijnen"),
        Column(lambda r: _join([format_target(t, units) for t in r.value.targets]), "doelen"),
        Column(lambda r: r.value.commitment, "soort_afspraak", "commitment"),
        Column(lambda r: concreteness(r.value), "concreetheid"),
        Column(lambda r: r.value.page, "pagina", "page"),
        Column(lambda r: _corrected(r.doc, r.value), "gecorrigeerd", "corrected"),
        Column(lambda r: _checked(r.value.checked), "gecontroleerd", "checked"),
        Column(lambda r: r.value.text, "tekst", "text"),
    ])


def _sub_columns() -> list[Column]:
    """The columns that tie a target or deadline row to its document and afspraak."""
    return [
        Column(lambda r: r.doc.doc_id, "doc_id"),
        Column(lambda r: r.afspraak.id, "afspraak_id", "afspraak_id"),
        Column(lambda r: r.position, sql="position"),
        Column(lambda r: r.afspraak.number, "nummer"),
    ]


TARGETS: TableSpec[Sub[Target]] = TableSpec(
    "doelen", "targets", lambda d: [Sub(d, a, j, t) for a in d.afspraken for j, t in enumerate(a.targets)], [
        *_sub_columns(),
        Column(lambda r: r.value.text, "tekst", "text"),
        Column(lambda r: r.value.comparator, "vergelijking", "comparator"),
        Column(lambda r: r.value.value, "waarde", "value"),
        Column(lambda r: r.value.value_max, "waarde_max", "value_max"),
        Column(lambda r: r.value.unit, "eenheid", "unit"),
        Column(lambda r: r.value.label, "label", "label"),
        Column(lambda r: r.value.per, "per", "per"),
    ],
)
DEADLINES: TableSpec[Sub[Deadline]] = TableSpec(
    "termijnen", "deadlines", lambda d: [Sub(d, a, j, t) for a in d.afspraken for j, t in enumerate(a.deadlines)], [
        *_sub_columns(),
        Column(lambda r: r.value.text, "tekst", "text"),
        Column(lambda r: r.value.date, "datum", "date"),
        Column(lambda r: r.value.recurrence, "herhaling", "recurrence"),
    ],
)
CORRECTIONS = _listed("correcties", "corrections", lambda d: d.corrections, [
    Column(lambda r: r.value.file, "bestand", "file"),
    Column(lambda r: r.value.line, "regel", "line"),
    Column(lambda r: r.value.afspraak, "afspraak_id", "afspraak_id"),
    Column(lambda r: r.value.field, "veld", "field"),
    Column(lambda r: _json(r.value.old), "oud", "old"),
    Column(lambda r: _json(r.value.new), "nieuw", "new"),
])
COMPARISON: TableSpec[ThemeRow] = TableSpec("vergelijking", None, _comparison_records, [
    Column(lambda r: r.doc.doc_id, "doc_id"),
    Column(lambda r: _join(r.doc.municipalities), "gemeente"),
    Column(lambda r: THEME_LABELS[r.theme], "thema"),
    Column(lambda r: r.stats.afspraken, "afspraken"),
    Column(lambda r: r.stats.with_target, "met_doel"),
    Column(lambda r: r.stats.with_deadline, "met_termijn"),
    *(_commitment_count(commitment) for commitment in COMMITMENTS),
    Column(lambda r: r.stats.level, "concreetheid"),
])


@dataclass(frozen=True)
class Tables:
    """The tables of one set of rules (its units' plurals): XLSX sheets in order, CSV files
    by name, and the SQLite tables among them."""

    xlsx: list[TableSpec]
    csv: dict[str, TableSpec]

    @property
    def sqlite(self) -> list[TableSpec]:
        return [t for t in self.xlsx if t.sql is not None]


def tables(rules: Rules) -> Tables:
    """The flattened tables for ``rules``, built once per rules object."""

    def build() -> Tables:
        afspraken = _afspraken(rules.quantities)
        return Tables(
            [DOCUMENTS, PARTIES, afspraken, TARGETS, DEADLINES, CORRECTIONS, COMPARISON],
            {"afspraken.csv": afspraken, "targets.csv": TARGETS, "deadlines.csv": DEADLINES},
        )

    return compiled(rules, "tables", build)
