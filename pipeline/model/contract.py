"""The register contract: the public data model, whose field names are fixed by
``shared/register-contract.md`` (extra fields may be added; none may be renamed).

This is also the one home of the contract's vocabularies (themes, party kinds, commitment
classes, …) and of their Dutch labels for the reports.
"""

from __future__ import annotations

from typing import Literal, Optional, get_args

from pydantic import BaseModel, ConfigDict, Field, JsonValue

# --------------------------------------------------------------------------- vocabularies

Theme = Literal[
    "betaalbaarheid",
    "beschikbaarheid",
    "duurzaamheid",
    "wonen_en_zorg",
    "leefbaarheid",
    "bijzondere_doelgroepen",
    "samenwerking",
]
PartyKind = Literal["gemeente", "corporatie", "huurdersorganisatie", "overig"]
Commitment = Literal["resultaat", "inspanning", "onderzoek", "afstemming"]
Comparator = Literal[">=", "<=", "~", "=", "range"]
DocType = Literal["prestatieafspraken", "woonvisie", "onbekend"]
SourceFormat = Literal["pdf", "text"]
# Why a person should check a document (contract: ``review``).
ReviewReason = Literal[
    "no_parties", "no_afspraken", "unknown_municipality", "no_validity", "afspraak_looks_like_heading", "stale_correction",
]

THEMES: list[Theme] = list(get_args(Theme))
PARTY_KINDS: list[PartyKind] = list(get_args(PartyKind))
COMMITMENTS: list[Commitment] = list(get_args(Commitment))

THEME_LABELS: dict[Theme, str] = {
    "betaalbaarheid": "Betaalbaarheid",
    "beschikbaarheid": "Beschikbaarheid",
    "duurzaamheid": "Duurzaamheid en kwaliteit",
    "wonen_en_zorg": "Wonen en zorg",
    "leefbaarheid": "Leefbaarheid",
    "bijzondere_doelgroepen": "Bijzondere doelgroepen",
    "samenwerking": "Samenwerking",
}
KIND_LABELS: dict[PartyKind, str] = {kind: kind for kind in PARTY_KINDS}
MONTH_LABELS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
RECURRENCE_LABELS = {"P1Y": "jaarlijks", "P6M": "halfjaarlijks", "P3M": "ieder kwartaal", "P2Y": "tweejaarlijks", "P1M": "maandelijks"}
COMPARATOR_SIGNS: dict[Comparator, str] = {">=": "≥", "<=": "≤", "~": "±", "=": "", "range": ""}
REVIEW_LABELS: dict[ReviewReason, str] = {
    "no_parties": "geen partijen gevonden",
    "no_afspraken": "geen afspraken gevonden",
    "unknown_municipality": "gemeente niet gevonden of onbekend bij het CBS",
    "no_validity": "geen looptijd gevonden",
    "afspraak_looks_like_heading": "een afspraak lijkt een kopje",
    "stale_correction": "een correctie past niet meer bij het document en is niet toegepast",
}

# --------------------------------------------------------------------------- models

_STRICT = ConfigDict(extra="forbid")


class Source(BaseModel):
    model_config = _STRICT
    path: str
    sha256: str
    format: SourceFormat
    pages: Optional[int] = None


class Party(BaseModel):
    model_config = _STRICT
    name: str
    kind: PartyKind
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
    # Where ``text`` stands in the afspraak's text: ``text[start:end]``.
    start: Optional[int] = None
    end: Optional[int] = None


class Target(BaseModel):
    model_config = _STRICT
    text: str
    comparator: Comparator
    value: Optional[float] = None
    value_max: Optional[float] = None
    unit: str
    label: Optional[str] = None
    per: Optional[str] = None
    # Where ``text`` stands in the afspraak's text: ``text[start:end]``.
    start: Optional[int] = None
    end: Optional[int] = None


class Mention(BaseModel):
    """Where the afspraak's text names signing parties: ``text[start:end]`` stands for ``parties``
    (one for a name or alias, several for a collective word such as "de corporaties")."""

    model_config = _STRICT
    parties: list[str]
    start: int
    end: int


def afspraak_id(doc_id: str, number: str | None, ordinal: int) -> str:
    """``<doc_id>#<number>``, or ``<doc_id>#o<ordinal>`` for an unnumbered afspraak."""
    return f"{doc_id}#{number}" if number is not None else f"{doc_id}#o{ordinal}"


FieldKind = Literal["responsible", "deadline", "target", "progress"]


class LabelledField(BaseModel):
    """A labelled field of an afspraak ("Wie: Kempenhuis en Akkerwoude"), kept out of its
    text; ``kind`` says which tag it feeds."""

    model_config = _STRICT
    label: str
    kind: FieldKind
    text: str


ProgressStatus = Literal["gerealiseerd", "loopt", "vertraagd", "niet_gehaald", "vervallen", "onbekend"]
# How the site writes a status: "niet gehaald".
PROGRESS_LABELS: dict[ProgressStatus, str] = {status: status.replace("_", " ") for status in get_args(ProgressStatus)}


class Progress(BaseModel):
    """What a yearly update or a status column reports about the afspraak ("Stand van zaken:
    Loopt: 84 van 120 woningen opgeleverd"); never part of the afspraak's text, targets or
    deadlines."""

    model_config = _STRICT
    year: Optional[int] = None  # the year reported on
    status: ProgressStatus
    text: str  # the words, as printed
    value: Optional[float] = None  # the number reported: 84 in "84 van 120 woningen"
    of: Optional[float] = None  # out of: 120
    unit: Optional[str] = None  # "woningen", "%"


class Check(BaseModel):
    """A person checked a document or an afspraak by hand (``checked:`` in a correction file)."""

    model_config = _STRICT
    by: str = Field(min_length=1)
    date: str  # ISO date


class CorrectionRecord(BaseModel):
    """One value a person corrected, and where the correction came from (``corrections/``)."""

    model_config = _STRICT
    file: str  # the correction file, as found: "corrections/aa-en-hunze-2022.yaml"
    line: int  # where in that file
    afspraak: Optional[str] = None  # the afspraak's id; None for a field of the document
    # What changed: a document field ("title", "signing", "parties", …), an afspraak's tag
    # ("responsible", "deadlines", …), or "afspraak" for one dropped, added, merged or split.
    field: str
    old: JsonValue = None
    new: JsonValue = None


class Afspraak(BaseModel):
    model_config = _STRICT
    id: str
    number: Optional[str]  # as printed; null for an unnumbered afspraak (a bullet under "Wat doet de gemeente?")
    ordinal: int = Field(ge=1)  # 1-based position in the document
    text: str
    section_path: list[str] = Field(default_factory=list)
    # The contract requires a theme; ``None`` only until the tagging stage has run on
    # an afspraak without a thematic heading.
    theme: Optional[Theme] = None
    page: Optional[int] = None
    responsible: list[str] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    commitment: Optional[Commitment] = None
    mentions: list[Mention] = Field(default_factory=list)
    fields: list[LabelledField] = Field(default_factory=list)
    progress: list[Progress] = Field(default_factory=list)
    corrected: bool = False  # a person corrected it (what and where: ``Document.corrections``)
    checked: Optional[Check] = None


class Document(BaseModel):
    """One register entry: the public data contract, version 1."""

    model_config = _STRICT
    schema_version: Literal["1"] = "1"
    doc_id: str
    source: Source
    doc_type: DocType
    title: Optional[str] = None
    municipalities: list[str] = Field(default_factory=list)
    # CBS codes of ``municipalities`` (GM1680), same order; null for a name the list does not know
    municipality_codes: list[Optional[str]] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    signing: Signing = Field(default_factory=Signing)
    validity: Validity = Field(default_factory=Validity)
    afspraken: list[Afspraak] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    review: list[ReviewReason] = Field(default_factory=list)
    checked: Optional[Check] = None
    corrections: list[CorrectionRecord] = Field(default_factory=list)
