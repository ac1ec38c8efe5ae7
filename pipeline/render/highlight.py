"""Split an afspraak's text into plain and tagged segments, for highlighting in reports.

The spans come from the register (set by the taggers), so a report marks exactly the words
that were tagged.
"""

from __future__ import annotations

from pydantic import BaseModel

from ..model import Afspraak


class Segment(BaseModel):
    text: str
    kind: str | None = None  # "doel", "termijn", "partij" or None for plain text


def segments(afspraak: Afspraak) -> list[Segment]:
    """The text with its targets, deadlines and party mentions marked (targets first where
    spans overlap, then deadlines, then parties)."""
    text = afspraak.text
    spans: list[tuple[int, int, str]] = []
    tagged = [
        *((t.start, t.end, "doel") for t in afspraak.targets),
        *((d.start, d.end, "termijn") for d in afspraak.deadlines),
        *((m.start, m.end, "partij") for m in afspraak.mentions),
    ]
    for start, end, kind in tagged:
        if start is not None and end is not None and all(end <= s or start >= e for s, e, _ in spans):
            spans.append((start, end, kind))
    out, position = [], 0
    for start, end, kind in sorted(spans):
        if start > position:
            out.append(Segment(text=text[position:start]))
        out.append(Segment(text=text[start:end], kind=kind))
        position = end
    if position < len(text):
        out.append(Segment(text=text[position:]))
    return out
