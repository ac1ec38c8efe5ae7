"""The register flattened into tables (Dutch headers) for CSV and XLSX."""

from __future__ import annotations

from pydantic import BaseModel

from .compare import THEME_LABELS, THEMES, concreteness, format_target, theme_stats
from .models import Document

Cell = str | int | float | None


class Table(BaseModel):
    name: str
    headers: list[str]
    rows: list[list[Cell]]


def _join(values: list[str]) -> str:
    return "; ".join(values)


def documents_table(documents: list[Document]) -> Table:
    return Table(
        name="documenten",
        headers=["doc_id", "gemeente", "type", "titel", "ondertekend", "plaats", "geldig_vanaf", "geldig_tot", "paginas", "afspraken", "bron", "sha256", "waarschuwingen"],
        rows=[
            [d.doc_id, _join(d.municipalities), d.doc_type, d.title, d.signing.date, d.signing.place, d.validity.start, d.validity.end,
             d.source.pages, len(d.afspraken), d.source.path, d.source.sha256, _join(d.warnings)]
            for d in documents
        ],
    )


def parties_table(documents: list[Document]) -> Table:
    return Table(
        name="partijen",
        headers=["doc_id", "naam", "soort", "aliassen", "vertegenwoordiger", "rol"],
        rows=[[d.doc_id, p.name, p.kind, _join(p.aliases), p.representative, p.representative_role] for d in documents for p in d.parties],
    )


def afspraken_table(documents: list[Document]) -> Table:
    return Table(
        name="afspraken",
        headers=["doc_id", "gemeente", "afspraak_id", "nummer", "thema", "sectie", "verantwoordelijk", "termijnen", "doelen", "soort_afspraak", "concreetheid", "pagina", "tekst"],
        rows=[
            [d.doc_id, _join(d.municipalities), a.id, a.number, a.theme, " › ".join(a.section_path), _join(a.responsible),
             _join([t.text for t in a.deadlines]), _join([format_target(t) for t in a.targets]), a.commitment, concreteness(a), a.page, a.text]
            for d in documents for a in d.afspraken
        ],
    )


def targets_table(documents: list[Document]) -> Table:
    return Table(
        name="doelen",
        headers=["doc_id", "afspraak_id", "nummer", "tekst", "vergelijking", "waarde", "waarde_max", "eenheid", "label", "per"],
        rows=[
            [d.doc_id, a.id, a.number, t.text, t.comparator, t.value, t.value_max, t.unit, t.label, t.per]
            for d in documents for a in d.afspraken for t in a.targets
        ],
    )


def deadlines_table(documents: list[Document]) -> Table:
    return Table(
        name="termijnen",
        headers=["doc_id", "afspraak_id", "nummer", "tekst", "datum", "herhaling"],
        rows=[[d.doc_id, a.id, a.number, t.text, t.date, t.recurrence] for d in documents for a in d.afspraken for t in a.deadlines],
    )


def comparison_table(documents: list[Document]) -> Table:
    rows: list[list[Cell]] = []
    for d in documents:
        if d.doc_type != "prestatieafspraken":
            continue
        by_theme = {s.theme: s for s in theme_stats(d)}
        for theme in THEMES:
            s = by_theme[theme]
            rows.append([d.doc_id, _join(d.municipalities), THEME_LABELS[theme], s.afspraken, s.with_target, s.with_deadline,
                         s.commitments.get("resultaat", 0), s.commitments.get("inspanning", 0), s.commitments.get("onderzoek", 0),
                         s.commitments.get("afstemming", 0), s.level])
    return Table(
        name="vergelijking",
        headers=["doc_id", "gemeente", "thema", "afspraken", "met_doel", "met_termijn", "resultaat", "inspanning", "onderzoek", "afstemming", "concreetheid"],
        rows=rows,
    )


def all_tables(documents: list[Document]) -> list[Table]:
    return [
        documents_table(documents), parties_table(documents), afspraken_table(documents),
        targets_table(documents), deadlines_table(documents), comparison_table(documents),
    ]
