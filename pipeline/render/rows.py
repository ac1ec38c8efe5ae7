"""The register flattened into tables (Dutch headers) for CSV and XLSX.

Each table is defined by its headers and a function giving one document's rows, so the
writers can stream document by document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import THEME_LABELS, THEMES, Document
from .compare import concreteness, format_target, theme_stats

Cell = str | int | float | None
Row = list[Cell]

# Columns holding running text get this width in XLSX (characters; the text wraps there);
# the other columns fit their header.
WIDE_COLUMN = 60
WIDE_COLUMNS = {"tekst", "sectie", "titel", "bron", "waarschuwingen", "naam", "vertegenwoordiger", "doelen", "termijnen", "verantwoordelijk"}


# A spreadsheet reads a cell starting with one of these as a formula (also after spaces);
# tab and carriage return start one in some programs. Such text gets a leading "'" (the
# OWASP advice against CSV injection), in CSV and XLSX alike: document text is never a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
FORMULA_CONTROLS = ("\t", "\r")


def safe_cell(value: Cell) -> Cell:
    """A cell as data, never as a formula: text that a spreadsheet would evaluate gets a
    leading "'". Numbers stay numbers (a negative number is a number, not a formula)."""
    if isinstance(value, str) and (value.startswith(FORMULA_CONTROLS) or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


@dataclass(frozen=True)
class TableSpec:
    name: str
    headers: list[str]
    build: Callable[[Document], list[Row]]

    def rows(self, document: Document) -> list[Row]:
        """One document's rows, every text cell safe to open in a spreadsheet."""
        return [[safe_cell(cell) for cell in row] for row in self.build(document)]

    def width(self, header: str) -> int:
        return WIDE_COLUMN if header in WIDE_COLUMNS else max(len(header) + 4, 12)


def _join(values: list[str]) -> str:
    return "; ".join(values)


def _document_rows(d: Document) -> list[Row]:
    return [[d.doc_id, _join(d.municipalities), d.doc_type, d.title, d.signing.date, d.signing.place, d.validity.start, d.validity.end,
             d.source.pages, len(d.afspraken), d.source.path, d.source.sha256, _join(d.warnings)]]


def _party_rows(d: Document) -> list[Row]:
    return [[d.doc_id, p.name, p.kind, _join(p.aliases), p.representative, p.representative_role] for p in d.parties]


def _afspraak_rows(d: Document) -> list[Row]:
    return [
        [d.doc_id, _join(d.municipalities), a.id, a.number, a.theme, " › ".join(a.section_path), _join(a.responsible),
         _join([t.text for t in a.deadlines]), _join([format_target(t) for t in a.targets]), a.commitment, concreteness(a), a.page, a.text]
        for a in d.afspraken
    ]


def _target_rows(d: Document) -> list[Row]:
    return [[d.doc_id, a.id, a.number, t.text, t.comparator, t.value, t.value_max, t.unit, t.label, t.per] for a in d.afspraken for t in a.targets]


def _deadline_rows(d: Document) -> list[Row]:
    return [[d.doc_id, a.id, a.number, t.text, t.date, t.recurrence] for a in d.afspraken for t in a.deadlines]


def _comparison_rows(d: Document) -> list[Row]:
    if d.doc_type != "prestatieafspraken":
        return []
    by_theme = {s.theme: s for s in theme_stats(d)}
    rows: list[Row] = []
    for theme in THEMES:
        s = by_theme[theme]
        rows.append([d.doc_id, _join(d.municipalities), THEME_LABELS[theme], s.afspraken, s.with_target, s.with_deadline,
                     s.commitments.get("resultaat", 0), s.commitments.get("inspanning", 0), s.commitments.get("onderzoek", 0),
                     s.commitments.get("afstemming", 0), s.level])
    return rows


DOCUMENTS = TableSpec(
    "documenten",
    ["doc_id", "gemeente", "type", "titel", "ondertekend", "plaats", "geldig_vanaf", "geldig_tot", "paginas", "afspraken", "bron", "sha256", "waarschuwingen"],
    _document_rows,
)
PARTIES = TableSpec("partijen", ["doc_id", "naam", "soort", "aliassen", "vertegenwoordiger", "rol"], _party_rows)
AFSPRAKEN = TableSpec(
    "afspraken",
    ["doc_id", "gemeente", "afspraak_id", "nummer", "thema", "sectie", "verantwoordelijk", "termijnen", "doelen", "soort_afspraak", "concreetheid", "pagina", "tekst"],
    _afspraak_rows,
)
TARGETS = TableSpec("doelen", ["doc_id", "afspraak_id", "nummer", "tekst", "vergelijking", "waarde", "waarde_max", "eenheid", "label", "per"], _target_rows)
DEADLINES = TableSpec("termijnen", ["doc_id", "afspraak_id", "nummer", "tekst", "datum", "herhaling"], _deadline_rows)
COMPARISON = TableSpec(
    "vergelijking",
    ["doc_id", "gemeente", "thema", "afspraken", "met_doel", "met_termijn", "resultaat", "inspanning", "onderzoek", "afstemming", "concreetheid"],
    _comparison_rows,
)

XLSX_TABLES = [DOCUMENTS, PARTIES, AFSPRAKEN, TARGETS, DEADLINES, COMPARISON]
CSV_TABLES = {"afspraken.csv": AFSPRAKEN, "targets.csv": TARGETS, "deadlines.csv": DEADLINES}
