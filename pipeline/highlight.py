"""Split an afspraak's text into plain and tagged segments, for highlighting in reports."""

from __future__ import annotations

from pydantic import BaseModel

from .actors import find_mentions, party_lexicon
from .models import Afspraak, Party
from .rules import PartyRules


class Segment(BaseModel):
    text: str
    kind: str | None = None  # "doel", "termijn", "partij" or None for plain text


def segments(afspraak: Afspraak, parties: list[Party], rules: PartyRules) -> list[Segment]:
    """The text with its targets, deadlines and party mentions marked (first match wins)."""
    text = afspraak.text
    spans: list[tuple[int, int, str]] = []

    def claim(start: int, end: int, kind: str) -> None:
        if start >= 0 and all(end <= s or start >= e for s, e, _ in spans):
            spans.append((start, end, kind))

    for kind, words in (("doel", [t.text for t in afspraak.targets]), ("termijn", [d.text for d in afspraak.deadlines])):
        for word in words:
            start = text.find(word)
            claim(start, start + len(word), kind)
    for mention in find_mentions(text, party_lexicon(parties, rules)):
        claim(mention.start, mention.end, "partij")
    out, position = [], 0
    for start, end, kind in sorted(spans):
        if start > position:
            out.append(Segment(text=text[position:start]))
        out.append(Segment(text=text[start:end], kind=kind))
        position = end
    if position < len(text):
        out.append(Segment(text=text[position:]))
    return out
