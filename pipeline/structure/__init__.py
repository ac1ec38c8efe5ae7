"""Stage 3 — find structure: lines and tables → headings and numbered items (``blocks``), and
which items are afspraken (``afspraken``)."""

from .afspraken import agreement_items, build_afspraken, document_blocks
from .blocks import classify_heading, lines_to_blocks, match_item, table_to_blocks

__all__ = ["agreement_items", "build_afspraken", "classify_heading", "document_blocks", "lines_to_blocks", "match_item", "table_to_blocks"]
