"""The national goals as two XLSX sheets: ``landelijke_doelen`` (a row per goal: the national
figure beside the register's yearly total and its coverage) and ``landelijk`` (a row per
number of an agreement on a goal, and one per agreement without)."""

from __future__ import annotations

from ..compare.goals import DocumentGoal, GoalNumber, GoalReport, GoalRow
from ..compare.quantities import QUANTITY_LABELS, Amount, Quantity
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


def counted(report: GoalReport, row: GoalRow, number: GoalNumber) -> str | None:
    """"ja" when the number is in the register's total, else why not; None where the goal has no total."""
    if report.goal.yearly is None:
        return None
    if number.skipped:
        return f"nee, {number.skipped}"
    return "ja" if row.in_total else "nee, niet de nieuwste afspraak van de gemeente"


def number_values(municipalities: list[str], doc_id: str, q: Quantity) -> tuple[Row, Row]:
    """A number's cells of the ``landelijk`` sheet after the goal's, before and after "opgeteld"
    (which depends on the other agreements): a document's own, rendered once (``xlsx_share``)."""
    before: Row = [
        "; ".join(municipalities), doc_id, "getal", q.afspraak_id, q.number, q.page, QUANTITY_LABELS[q.kind] if q.kind else None,
        q.amount_text(), *_ends(q.amount), q.unit_label, q.period.label if q.period else None, *_ends(q.yearly), *_ends(q.over_period),
    ]
    return [safe_cell(c) for c in before], [safe_cell(c) for c in (q.text, q.sentence)]


def absent_values(municipalities: list[str], doc_id: str, entry: DocumentGoal) -> Row:
    """An agreement's row of a goal it has no number on, after the goal's cell: its afspraken on
    the goal without a number, or none (padded to the sheet's width)."""
    if entry.without_number:
        values: Row = ["; ".join(municipalities), doc_id, "afspraak zonder getal", "; ".join(a.afspraak_id for a in entry.without_number)]
    else:
        values = ["; ".join(municipalities), doc_id, "geen afspraak"]
    return [safe_cell(c) for c in values] + [None] * (len(NUMBER_HEADERS) - 1 - len(values))


def number_rows(reports: list[GoalReport]) -> list[Row]:
    """The ``landelijk`` sheet's rows (``XlsxWriter`` joins them from each document's
    :func:`number_values`)."""
    rows: list[Row] = []
    for r in reports:
        for row in r.with_numbers:
            for number in row.entry.numbers:
                before, after = number_values(row.municipalities, row.doc_id, number.quantity)
                rows.append([safe_cell(r.goal.label), *before, safe_cell(counted(r, row, number)), *after])
        for row in r.without_number + r.none:
            rows.append([safe_cell(r.goal.label), *absent_values(row.municipalities, row.doc_id, row.entry)])
    return rows
