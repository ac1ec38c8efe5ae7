"""Typed objects passed between the pipeline stages.

Two groups live here:
- intermediate objects (``Line``, ``Table``, ``Page``, ``SourceDocument``, ``Block``) that
  the stages read → clean → structure pass along;
- the register contract (``Document`` and its parts), whose field names are fixed by
  ``shared/register-contract.md``. Extra fields may be added; none may be renamed.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

# --------------------------------------------------------------------------- intermediate


class Line(BaseModel):
    """One line of text on a page, in reading order."""

    text: str
    page: Optional[int] = None  # 1-based; None for text input without form feeds
    bold: bool = False  # every character bold (PDF only): a heading hint, never required


class Table(BaseModel):
    """A ruled table kept as rows of cells, never interleaved into the prose."""

    page: Optional[int] = None
    rows: list[list[str]]


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
    format: Literal["pdf", "text"]
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


# --------------------------------------------------------------------------- contract

_STRICT = ConfigDict(extra="forbid")


class Source(BaseModel):
    model_config = _STRICT
    path: str
    sha256: str
    format: Literal["pdf", "text"]
    pages: Optional[int] = None


class Party(BaseModel):
    model_config = _STRICT
    name: str
    kind: Literal["gemeente", "corporatie", "huurdersorganisatie", "overig"]
    aliases: list[str] = Field(default_factory=list)
    representative: Optional[str] = None
    representative_role: Optional[str] = None


class Signing(BaseModel):
    model_config = _STRICT
    date: Optional[str] = None
    place: Optional[str] = None


class Validity(BaseModel):
    model_config = _STRICT
    start: Optional[str] = None
    end: Optional[str] = None
    text: Optional[str] = None


class Deadline(BaseModel):
    model_config = _STRICT
    text: str
    date: Optional[str] = None
    recurrence: Optional[str] = None


class Target(BaseModel):
    model_config = _STRICT
    text: str
    comparator: Literal[">=", "<=", "~", "=", "range"]
    value: Optional[float] = None
    value_max: Optional[float] = None
    unit: str
    label: Optional[str] = None
    per: Optional[str] = None


Theme = Literal[
    "betaalbaarheid",
    "beschikbaarheid",
    "duurzaamheid",
    "wonen_en_zorg",
    "leefbaarheid",
    "bijzondere_doelgroepen",
    "samenwerking",
]


class Afspraak(BaseModel):
    model_config = _STRICT
    id: str
    number: str
    text: str
    section_path: list[str] = Field(default_factory=list)
    # The contract requires a theme; ``None`` only until the tagging stage has run on
    # an afspraak without a thematic heading.
    theme: Optional[Theme] = None
    page: Optional[int] = None
    responsible: list[str] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    commitment: Optional[Literal["resultaat", "inspanning", "onderzoek", "afstemming"]] = None


class Document(BaseModel):
    """One register entry: the public data contract, version 1."""

    model_config = _STRICT
    schema_version: Literal["1"] = "1"
    doc_id: str
    source: Source
    doc_type: Literal["prestatieafspraken", "woonvisie", "onbekend"]
    title: Optional[str] = None
    municipalities: list[str] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    signing: Signing = Field(default_factory=Signing)
    validity: Validity = Field(default_factory=Validity)
    afspraken: list[Afspraak] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
