"""Document type: prestatieafspraken, woonvisie or onbekend."""

from __future__ import annotations

from ..model.contract import DocType
from ..model.rules import DocumentRules

# How much of the opening text decides the document type.
OPENING_CHARS = 6000


def detect_doc_type(opening: str, rules: DocumentRules) -> DocType:
    """The type whose keywords occur most often in the opening text; ``onbekend`` if none."""
    low = opening.lower()
    counts = {kind: sum(low.count(word) for word in words) for kind, words in rules.doc_types.items()}
    best = max(counts, key=lambda kind: counts[kind], default=None)
    return best if best is not None and counts[best] > 0 else "onbekend"


