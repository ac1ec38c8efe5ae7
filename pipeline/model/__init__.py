"""The types of the pipeline: the register contract, the objects between stages, the rules."""

from .contract import (
    COMMITMENTS, PARTY_KINDS, THEME_LABELS, THEMES, Afspraak, Commitment, Deadline, Document, Mention, Party, PartyKind,
    Signing, Source, Target, Theme, Validity,
)
from .stages import Block, Extraction, Line, Page, SourceDocument, Table

__all__ = [
    "COMMITMENTS", "PARTY_KINDS", "THEME_LABELS", "THEMES", "Afspraak", "Block", "Commitment", "Deadline", "Document",
    "Extraction", "Line", "Mention", "Page", "Party", "PartyKind", "Signing", "Source", "SourceDocument", "Table",
    "Target", "Theme", "Validity",
]
