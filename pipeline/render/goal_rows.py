"""The national goals as two XLSX sheets: ``landelijke_doelen`` (a row per goal: the national
figure beside the register's yearly total and its coverage) and ``landelijk`` (a row per
number of an agreement on a goal, and one per agreement without)."""

from __future__ import annotations

from ..compare.goals import GoalNumber, GoalReport, GoalRow
from ..compare.quantities import QUANTITY_LABELS, Amount
from .rows import Row, safe_cell

SUMMARY_SHEET, NUMBERS_SHEET = "landelijke_doelen", "landelijk"
SUMMARY_HEADERS = [
    "doel", "akkoord", "landelijk_doel", "cijfer", "eenheid", "van", "tot", "landelijk_per_jaar", "markering", "opmerking", "bron",
    "register_per_jaar", "register_per_jaar_max", "gemeenten_met_getal", "gemeenten_in_register", "gemeenten_in_nederland",
]
NUMBER_HEADERS = [
    "doel", "gemeente", "doc_id", "stand", "afspraak_id", "nummer", "pagina", "soort", "getal", "waarde", "waarde_max", "eenheid",
    "periode", "per_jaar", "per_jaar_max", "in_de_periode", "in_de_periode_max", "opgeteld", "tekst", "zin",
]


def _ends(amount: Amount | None) -> list[float | None]:
    return [None, None] if amount is None else [amount.low, amount.high]


def summary_rows(reports: list[GoalReport]) -> list[Row]:
    rows: list[Row] = []
    for r in reports:
        goal = r.goal
        years = [goal.period.start, goal.period.end] if goal.period else [None, None]
        rows.append([
            goal.label, r.agreement.label, goal.target, goal.figure, goal.unit, *years, goal.yearly,
            goal.marker, goal.note, r.agreement.source, *_ends(r.total), r.municipalities_counted, r.municipalities_in_register,
            r.municipalities_in_country,
        ])
    return [[safe_cell(c) for c in row] for row in rows]


def _counted(report: GoalReport, row: GoalRow, number: GoalNumber) -> str | None:
    """"ja" when the number is in the register's total, else why not; None where the goal has no total."""
    if report.goal.yearly is None:
        return None
    if number.skipped:
        return f"nee, {number.skipped}"
    return "ja" if row.in_total else "nee, niet de nieuwste afspraak van de gemeente"


def number_rows(reports: list[GoalReport]) -> list[Row]:
    rows: list[Row] = []
    for r in reports:
        for row in r.with_numbers:
            for number in row.entry.numbers:
                q = number.quantity
                rows.append([
                    r.goal.label, "; ".join(row.municipalities), row.doc_id, "getal", q.afspraak_id, q.number, q.page,
                    QUANTITY_LABELS[q.kind] if q.kind else None, q.amount_text(), *_ends(q.amount), q.unit_label,
                    q.period.label if q.period else None, *_ends(q.yearly), *_ends(q.over_period), _counted(r, row, number), q.text, q.sentence,
                ])
        for row in r.without_number:
            ids = "; ".join(a.afspraak_id for a in row.entry.without_number)
            rows.append([r.goal.label, "; ".join(row.municipalities), row.doc_id, "afspraak zonder getal", ids])
        for row in r.none:
            rows.append([r.goal.label, "; ".join(row.municipalities), row.doc_id, "geen afspraak"])
    return [[safe_cell(c) for c in row] + [None] * (len(NUMBER_HEADERS) - len(row)) for row in rows]
