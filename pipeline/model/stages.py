"""Objects the stages pass to one another (read → clean → structure), and what a worker
hands back for one document. None of these is part of the public register."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from pydantic import BaseModel, Field

from .contract import Document, LabelledField, SourceFormat


class Line(BaseModel):
    """One line of text on a page, in reading order."""

    text: str
    page: Optional[int] = None  # 1-based; None for text input without form feeds
    bold: bool = False  # every character bold (PDF only): a heading hint, never required
    top: Optional[float] = None  # vertical position on its page (PDF points; line index for text)
    after_blank: bool = False  # a blank line (text) or more than a line's height of space (PDF) before it


class Table(BaseModel):
    """A ruled table kept as rows of cells, never interleaved into the prose."""

    page: Optional[int] = None
    rows: list[list[str]]
    top: Optional[float] = None  # vertical position on its page, comparable with ``Line.top``


class Page(BaseModel):
    """One page as read (``raw_text``) and, after cleaning, its prose ``lines``."""

    number: Optional[int] = None
    raw_text: str
    lines: list[Line] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    furniture: list[str] = Field(default_factory=list)  # removed headers, footers, page numbers
    footnotes: list[str] = Field(default_factory=list)  # kept apart so they never split an afspraak


class SourceDocument(BaseModel):
    """What the reading stage hands on: the file's identity and its pages."""

    path: str
    sha256: str
    format: SourceFormat
    pages: list[Page]
    paged: bool  # True when page numbers are real (PDF, or text with form feeds)
    pdf_title: Optional[str] = None
    warnings: list[str] = Field(default_factory=list)


class Block(BaseModel):
    """A structural unit found in the text: a heading or a numbered item."""

    kind: Literal["heading", "item"]
    number: Optional[str] = None  # heading number ("4.1") or normalised item number ("12a")
    text: str
    page: Optional[int] = None
    level: int = 0  # heading depth; for items the depth of the heading they sit under
    section_path: list[str] = Field(default_factory=list)
    in_intro_list: bool = False  # item of a list introduced as parties, themes or steps
    party_list: bool = False  # item of a list of the signing parties
    fields: list[LabelledField] = Field(default_factory=list)  # "Wie: …", "Wanneer: …" (not in ``text``)
    first_line: str = ""  # the item's own first line (without continuation lines)




@dataclass(frozen=True)
class Extraction:
    """A document, and the words of its cleaned text and their number (used to recognise
    duplicates: :mod:`pipeline.register`)."""

    document: Document
    words: frozenset[str]
    length: int = 0  # words in the cleaned text, repeats counted


class RenderCounts(BaseModel):
    """What a run wrote: counts for the summary line, and the documents a person should check."""

    afspraken: int = 0
    warnings: int = 0
    review: dict[str, list[str]] = Field(default_factory=dict)  # doc_id → review reasons
    warned: list[str] = Field(default_factory=list)  # doc_ids of documents with warnings
    corrected: list[str] = Field(default_factory=list)  # doc_ids of documents a person corrected or checked
    stale: list[str] = Field(default_factory=list)  # doc_ids of documents with a correction not applied
    unmatched: list[str] = Field(default_factory=list)  # correction files that match no document
