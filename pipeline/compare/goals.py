"""The local numbers against the national goals (``rules/national_goals.yaml``).

Per agreement (:func:`document_goals`, one document at a time): for each goal, the numbers
that count towards it (afspraken on one of the goal's topics, a unit and a kind the goal
counts, a period that overlaps the goal's), the afspraken on its topics without such a
number, and — where the goal is a number of things per year — the agreement's yearly sum.

Within one afspraak, a number said again (the same amount) counts once, and numbers for
different periods are horizons of one plan ("300 woningen tot 2025 … 625 tot 2030"): the
one whose period ends nearest the end of the agreement's validity counts. Numbers of
different afspraken add up.

Across the register (:func:`goal_reports`): per goal, which municipalities have numbers,
which have afspraken without, which have none, and the register's yearly total beside the
national figure, taking each municipality's most recent agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Optional

from pydantic import BaseModel

from ..model import Afspraak, Document
from ..model.rules import NationalAgreement, NationalGoal, Rules
from .quantities import Amount, Quantity, afspraak_quantities
from .topics import afspraak_topics
from .units import unit_counted

# Where a goal's figure comes from (``marker`` in national_goals.yaml), for the reports.
MARKER_LABELS = {"V": "de bron zegt het", "S": "secundaire bron", "U": "niet geverifieerd"}
# Why a number of a goal is not in its agreement's yearly sum.
Skipped = Literal["herhaald", "andere termijn", "geen periode"]


class AfspraakRef(BaseModel):
    afspraak_id: str
    number: Optional[str]
    page: Optional[int]


class GoalNumber(BaseModel):
    quantity: Quantity
    skipped: Optional[Skipped] = None  # None: in the agreement's yearly sum, where the goal is a number per year


class DocumentGoal(BaseModel):
    """One agreement on one goal."""

    numbers: list[GoalNumber] = []
    without_number: list[AfspraakRef] = []  # afspraken on the goal's topics without a number for it
    yearly: Optional[Amount] = None  # the sum per year, where the goal is a number per year


class DocumentGoals(BaseModel):
    """One agreement on every goal: what the national comparison keeps of a document."""

    doc_id: str
    municipalities: list[str]
    validity_start: Optional[str]
    goals: dict[str, DocumentGoal]


def _counts(goal: NationalGoal, quantity: Quantity) -> bool:
    if quantity.kind not in goal.counts.kinds or not unit_counted(quantity.unit, goal.counts.units):
        return False
    return goal.period is None or quantity.period is None or quantity.period.overlaps(goal.period.start, goal.period.end)


def _in_sum(numbers: list[Quantity], validity_end: int | None) -> list[GoalNumber]:
    """One afspraak's numbers of a goal, each marked with why it is not in the yearly sum."""
    marked: list[GoalNumber] = []
    seen: list[Amount | None] = []
    for quantity in numbers:
        skipped: Skipped | None = None
        if quantity.amount in seen:
            skipped = "herhaald"
        elif quantity.yearly is None:
            skipped = "geen periode"
        seen.append(quantity.amount)
        marked.append(GoalNumber(quantity=quantity, skipped=skipped))
    periods = {(n.quantity.period.first_year, n.quantity.period.last_year) for n in marked if not n.skipped and n.quantity.period}
    if len(periods) > 1:
        target = validity_end or min(last for _, last in periods)
        chosen = min(periods, key=lambda p: (abs(p[1] - target), p[1]))
        for number in marked:
            period = number.quantity.period
            if not number.skipped and period and (period.first_year, period.last_year) != chosen:
                number.skipped = "andere termijn"
    return marked


def _sum(amounts: Iterable[Amount]) -> Amount | None:
    total: Amount | None = None
    for amount in amounts:
        total = amount if total is None else total + amount
    return total


def _ref(afspraak: Afspraak) -> AfspraakRef:
    return AfspraakRef(afspraak_id=afspraak.id, number=afspraak.number, page=afspraak.page)


def document_goals(document: Document, rules: Rules) -> DocumentGoals:
    """An agreement's numbers on every national goal."""
    validity_end = int(document.validity.end[:4]) if document.validity.end else None
    on_topic = [(a, set(afspraak_topics(a, rules.topics)), afspraak_quantities(a, document, rules)) for a in document.afspraken]
    goals = {}
    for key, goal in rules.national_goals.goals.items():
        entry = DocumentGoal()
        for afspraak, topics, quantities in on_topic:
            if not topics & set(goal.counts.topics):
                continue
            numbers = [q for q in quantities if _counts(goal, q)]
            if not numbers:
                entry.without_number.append(_ref(afspraak))
            elif goal.yearly is None:
                entry.numbers += [GoalNumber(quantity=q) for q in numbers]
            else:
                entry.numbers += _in_sum(numbers, validity_end)
        if goal.yearly is not None:
            entry.yearly = _sum(n.quantity.yearly for n in entry.numbers if not n.skipped and n.quantity.yearly)
        goals[key] = entry
    return DocumentGoals(doc_id=document.doc_id, municipalities=document.municipalities, validity_start=document.validity.start, goals=goals)


class GoalRow(BaseModel):
    """An agreement in a goal's report."""

    doc_id: str
    municipalities: list[str]
    entry: DocumentGoal
    in_total: bool = False  # its yearly sum is part of the register's total


class GoalReport(BaseModel):
    """One national goal across the register."""

    key: str
    goal: NationalGoal
    agreement: NationalAgreement
    with_numbers: list[GoalRow]
    without_number: list[GoalRow]  # afspraken on the goal's topics, none with a number for it
    none: list[GoalRow]  # no afspraak on the goal's topics at all
    total: Optional[Amount]  # the register's yearly total, where the goal is a number per year
    municipalities_counted: int  # municipalities whose numbers make the total (or have numbers)
    municipalities_in_register: int  # municipalities with an agreement in the register
    municipalities_in_country: int  # rules/municipalities.yaml


def _latest(rows: list[GoalRow], documents: dict[str, DocumentGoals]) -> list[GoalRow]:
    """Per set of municipalities, the agreement that starts last (then the last doc_id)."""
    latest: dict[tuple[str, ...], GoalRow] = {}
    for row in rows:
        key = tuple(row.municipalities) or (row.doc_id,)
        order = (documents[row.doc_id].validity_start or "", row.doc_id)
        current = latest.get(key)
        if current is None or order > (documents[current.doc_id].validity_start or "", current.doc_id):
            latest[key] = row
    return list(latest.values())


def goal_reports(documents: list[DocumentGoals], rules: Rules) -> list[GoalReport]:
    """Every national goal across the agreements of the register (:func:`document_goals` each)."""
    by_id = {d.doc_id: d for d in documents}
    in_register = {m for d in documents for m in d.municipalities}
    reports = []
    for key, goal in rules.national_goals.goals.items():
        rows = [GoalRow(doc_id=d.doc_id, municipalities=d.municipalities, entry=d.goals[key]) for d in documents]
        with_numbers = [r for r in rows if r.entry.numbers]
        total = None
        counted = {m for r in with_numbers for m in r.municipalities}
        if goal.yearly is not None:
            summed = _latest([r for r in with_numbers if r.entry.yearly], by_id)
            for row in summed:
                row.in_total = True
            total = _sum(r.entry.yearly for r in summed if r.entry.yearly)
            counted = {m for r in summed for m in r.municipalities}
        reports.append(
            GoalReport(
                key=key,
                goal=goal,
                agreement=rules.national_goals.agreements[goal.agreement],
                with_numbers=with_numbers,
                without_number=[r for r in rows if not r.entry.numbers and r.entry.without_number],
                none=[r for r in rows if not r.entry.numbers and not r.entry.without_number],
                total=total,
                municipalities_counted=len(counted),
                municipalities_in_register=len(in_register),
                municipalities_in_country=len(rules.municipalities.municipalities),
            )
        )
    return reports


class GoalCollector:
    """The agreements' numbers on the national goals, read once per document however many
    writers show them (the site's ``landelijk.html``, the workbook's goal sheets)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.by_document: dict[str, DocumentGoals] = {}  # doc_id → its numbers; agreements only
        self.built: list[GoalReport] | None = None

    def add(self, document: Document) -> None:
        """Every writer adds each document; the first one reads its numbers."""
        if document.doc_type == "prestatieafspraken" and document.doc_id not in self.by_document:
            self.add_goals(document_goals(document, self.rules))

    def add_goals(self, goals: DocumentGoals) -> None:
        """An agreement's numbers as :func:`document_goals` read them (kept in its fragment)."""
        self.by_document[goals.doc_id] = goals
        self.built = None

    def reports(self) -> list[GoalReport]:
        """:func:`goal_reports` of the documents added so far; built once."""
        if self.built is None:
            self.built = goal_reports(list(self.by_document.values()), self.rules)
        return self.built
