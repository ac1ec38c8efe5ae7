"""``afspraak_links`` (XLSX sheet and SQLite table): an afspraak of one year and its successor
(kind unchanged, changed, new, dropped) or the afspraak a yearly update reports on."""

from __future__ import annotations

from ..timeline.links import CHANGE_LABELS, AfspraakLink
from ..timeline.timelines import Timeline
from .rows import Row, safe_cell

LINK_SHEET = "afspraak_links"
LINK_HEADERS = ["gemeente", "van", "naar", "soort", "gelijkenis", "wijzigingen"]
LINK_SQL_COLUMNS = ["municipality", "from_id", "to_id", "kind", "similarity", "changes"]


def changes_text(link: AfspraakLink) -> str | None:
    """"doel: ≥ 80% → ≥ 75%; termijn: in 2023 → in 2024"; None for a link without changes."""
    parts = [f"{CHANGE_LABELS[c.field]}: {', '.join(c.old) or '—'} → {', '.join(c.new) or '—'}" for c in link.changes]
    return "; ".join(parts) or None


def link_rows(timelines: list[Timeline]) -> list[Row]:
    """One row per link, values as they are (SQLite); :func:`sheet_rows` for a spreadsheet."""
    return [
        [t.name, link.source, link.target, link.kind, link.similarity, changes_text(link)]
        for t in timelines for link in t.links
    ]


def sheet_rows(timelines: list[Timeline]) -> list[Row]:
    return [[safe_cell(c) for c in row] for row in link_rows(timelines)]
