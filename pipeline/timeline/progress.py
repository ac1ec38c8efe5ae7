"""Progress statements: a "Stand van zaken" / "Realisatie 2024" field of an afspraak read into
its ``progress`` (year, status, the words, the number reported)."""

from __future__ import annotations

import regex

from ..model import Afspraak
from ..model.contract import Progress, ProgressStatus
from ..model.rules import TimelineRules, alternation, compiled

_YEAR = regex.compile(r"\b((?:19|20)\d{2})\b")
_NUMBER = r"\d+(?:[.,]\d+)*"
# "84 van 120 woningen", "84 van de 120 woningen"; else "87%"
_OUT_OF = regex.compile(rf"(?P<value>{_NUMBER})\s+van\s+(?:de\s+)?(?P<of>{_NUMBER})\s+(?P<unit>\p{{L}}+)")
_PERCENT = regex.compile(rf"(?P<value>{_NUMBER})\s*%")


def _status_pattern(rules: TimelineRules) -> regex.Pattern[str]:
    def build() -> regex.Pattern[str]:
        groups = "|".join(f"(?P<{status}>{alternation(words)})" for status, words in rules.statuses.items())
        return regex.compile(rf"\b(?:{groups})\b", regex.IGNORECASE)

    return compiled(rules, "statuses", build)


def _number(text: str) -> float:
    """A Dutch number: "1.200" → 1200, "2,5" → 2.5."""
    return float(text.replace(".", "").replace(",", "."))


def statement_status(text: str, rules: TimelineRules) -> ProgressStatus:
    """The status of the first status word in ``text`` (longest first at one place)."""
    found = _status_pattern(rules).search(text)
    if found is None or found.lastgroup is None:
        return "onbekend"
    status: ProgressStatus = found.lastgroup  # type: ignore[assignment]  # a group is named by a status
    return status


def read_progress(label: str, text: str, year: int | None, rules: TimelineRules) -> Progress:
    """One statement; a year in the label ("Realisatie 2024") is the year reported on."""
    if in_label := _YEAR.search(label):
        year = int(in_label.group(1))
    value = of = None
    unit = None
    if m := _OUT_OF.search(text):
        value, of, unit = _number(m["value"]), _number(m["of"]), m["unit"]
    elif m := _PERCENT.search(text):
        value, unit = _number(m["value"]), "%"
    return Progress(year=year, status=statement_status(text, rules), text=text, value=value, of=of, unit=unit)


def with_progress(afspraak: Afspraak, year: int | None, rules: TimelineRules) -> Afspraak:
    """The afspraak with its progress fields read (``year``: the document's, when the label
    names none)."""
    progress = [read_progress(f.label, f.text, year, rules) for f in afspraak.fields if f.kind == "progress"]
    return afspraak.model_copy(update={"progress": progress}) if progress else afspraak
