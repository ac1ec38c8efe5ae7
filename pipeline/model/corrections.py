"""A correction file: what a person fixed in one document of the register.

One YAML file per document in ``corrections/``, named ``<doc_id>.yaml`` or after the first
characters (at least 8) of the source file's sha256. Validated like the rule files: a mistake
stops the run with one line naming the file, the line and the problem. Field names are those
of the register contract; what a file leaves out stays as the extractor found it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Optional

import regex
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .contract import Check, Commitment, Deadline, DocType, Party, PartyKind, Signing, Target, Theme, Validity

_STRICT = ConfigDict(extra="forbid")


def iso_date(value: Optional[str]) -> Optional[str]:
    """An ISO date (``2025-12-31``) or nothing; anything else is a mistake."""
    if value is not None:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date like 2025-12-31") from None
    return value


def _check_from_text(value: Any) -> Any:
    """``checked: J. de Vries, 2025-03-14`` (name, comma, ISO date) as ``{by, date}``."""
    if not isinstance(value, str):
        return value
    by, comma, date = value.rpartition(",")
    if not comma or not by.strip():
        raise ValueError("expected 'name, date', e.g. 'J. de Vries, 2025-03-14'")
    return {"by": by.strip(), "date": date.strip()}


def _number_as_text(value: Any) -> Any:
    """``afspraak: 12`` means "12"; ``2.10`` would be read as the number 2.1, so a number
    with a dot must be quoted."""
    if isinstance(value, float):
        raise ValueError(f"write a number with a dot in quotes: '{value}'")
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# An afspraak's number as printed ("12", "12a", "2.3.1"), or the first words of its text.
Ref = Annotated[str, BeforeValidator(_number_as_text)]


class _Checkable(BaseModel):
    model_config = _STRICT
    checked: Optional[Check] = None  # ``checked: <name>, <date>``

    _check = field_validator("checked", mode="before")(_check_from_text)

    @field_validator("checked")
    @classmethod
    def _check_date(cls, value: Optional[Check]) -> Optional[Check]:
        if value is not None:
            iso_date(value.date)  # also when written as {by, date}
        return value


class DeadlineFix(Deadline):
    """A deadline as a person writes it: text, date and/or recurrence (no span: it is found
    in the afspraak's text when it stands there)."""

    _date = field_validator("date")(iso_date)

    @field_validator("recurrence")
    @classmethod
    def _duration(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not regex.fullmatch(r"P\d+[YMWD]", value):
            raise ValueError(f"{value!r} is not an ISO 8601 duration like 'P1Y'")
        return value


class SigningFix(Signing):
    _date = field_validator("date")(iso_date)


class ValidityFix(Validity):
    _dates = field_validator("start", "end")(iso_date)


class Tags(_Checkable):
    """The tags of an afspraak a person may set; a tag left out stays as found."""

    theme: Optional[Theme] = None
    responsible: Optional[list[str]] = None  # party names (as corrected)
    deadlines: Optional[list[DeadlineFix]] = None
    targets: Optional[list[Target]] = None
    commitment: Optional[Commitment] = None

    @field_validator("theme")
    @classmethod
    def _theme_given(cls, value: Optional[Theme]) -> Optional[Theme]:
        if value is None:  # only an explicit null gets here
            raise ValueError("every afspraak has a theme")
        return value


# The tags a correction sets, in the order they are applied and reported.
TAG_FIELDS = ("theme", "responsible", "deadlines", "targets", "commitment")


class SplitPart(Tags):
    """Where an afspraak the extractor read as one holds another: the words it starts with
    (``at``), and the new afspraak's number, page and tags (by default those of the first)."""

    at: str = Field(min_length=1)
    number: Optional[Ref] = None
    page: Optional[int] = Field(default=None, ge=1)


class AfspraakFix(Tags):
    """A correction of an afspraak the extractor found, named by its ``afspraak`` number
    and/or the ``first_words`` of its text (an unnumbered afspraak: the words alone). Both
    given, the words verify that the number still names the same afspraak."""

    afspraak: Optional[Ref] = None
    first_words: Optional[str] = None
    drop: bool = False
    merge: list[Ref] = Field(default_factory=list)  # afspraken appended to this one
    split: list[SplitPart] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_afspraak_one_action(self) -> AfspraakFix:
        if not (self.afspraak or (self.first_words or "").strip()):
            raise ValueError("name the afspraak: 'afspraak: <number>' and/or 'first_words: <its first words>'")
        if self.drop and self.model_fields_set - {"afspraak", "first_words", "drop"}:
            raise ValueError("a dropped afspraak takes no other correction")
        if self.merge and self.split:
            raise ValueError("merge and split are two corrections: split the result in a second entry")
        return self

    @property
    def reference(self) -> str:
        """How the file names the afspraak, for messages."""
        return f"afspraak {self.afspraak}" if self.afspraak else f"the afspraak starting {self.first_words!r}"


class NewAfspraak(_Checkable):
    """An afspraak the extractor missed, placed after the afspraak ``after`` names (a number,
    or an unnumbered afspraak's first words); without ``after``, at the start."""

    after: Optional[Ref] = None
    number: Optional[Ref] = None
    text: str = Field(min_length=1)
    page: Optional[int] = Field(default=None, ge=1)
    section_path: Optional[list[str]] = None  # default: that of the afspraak before it
    theme: Theme
    responsible: list[str] = Field(default_factory=list)
    deadlines: list[DeadlineFix] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    commitment: Optional[Commitment] = None


class PartyFix(BaseModel):
    """A correction of a signing party the extractor found (``party``: its name as found):
    the fields given replace those found, or ``drop: true`` removes it."""

    model_config = _STRICT
    party: str
    drop: bool = False
    name: Optional[str] = Field(default=None, min_length=1)
    kind: Optional[PartyKind] = None
    aliases: Optional[list[str]] = None
    representative: Optional[str] = None
    representative_role: Optional[str] = None

    @model_validator(mode="after")
    def _drop_alone(self) -> PartyFix:
        if self.drop and self.model_fields_set - {"party", "drop"}:
            raise ValueError("a dropped party takes no other correction")
        return self


SHA256 = r"[0-9a-f]{64}"


class Correction(_Checkable):
    """One correction file. ``source_sha256`` is the sha256 of the source file it was
    written against: when the file changes, the correction is reported, not applied."""

    source_sha256: str = Field(pattern=f"^{SHA256}$")
    doc_type: Optional[DocType] = None
    title: Optional[str] = None
    municipalities: Optional[list[str]] = None
    signing: Optional[SigningFix] = None  # the fields given replace those found
    validity: Optional[ValidityFix] = None
    parties: list[PartyFix] = Field(default_factory=list)
    new_parties: list[Party] = Field(default_factory=list)
    afspraken: list[AfspraakFix] = Field(default_factory=list)
    new_afspraken: list[NewAfspraak] = Field(default_factory=list)

    @field_validator("source_sha256", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        if isinstance(value, int):  # a sha256 of digits only reads as a number
            raise ValueError("write the sha256 in quotes")
        return value.strip().lower() if isinstance(value, str) else value
