"""Load and validate the rule files in ``rules/``.

Rules are data a domain expert edits; this module turns them into typed objects at
start-up and fails with one line naming the file, the line and the problem.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .contract import Commitment, DocType, PartyKind, Theme

T = TypeVar("T")

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


class RuleError(Exception):
    """A rule file is missing or malformed; the message is one line for the user."""


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)  # see :func:`compiled`


class ThemeRule(_Rules):
    headings: list[str] = Field(min_length=1)
    content: list[str] = Field(default_factory=list)


class ThemeRules(_Rules):
    themes: dict[Theme, ThemeRule]


def _patterns_compile(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
    return patterns


class PartyKindRule(_Rules):
    name_patterns: list[str] = Field(default_factory=list)
    known: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)

    _compile = field_validator("name_patterns")(_patterns_compile)


class PartyRules(_Rules):
    kinds: dict[PartyKind, PartyKindRule]
    roles: list[str]
    honorifics: list[str]
    party_item_markers: list[str] = Field(min_length=1)
    collectives: dict[Literal["all", "gemeente", "corporatie", "huurdersorganisatie"], list[str]]
    non_actor_before: list[str]
    determiners: list[str]
    non_actor_participles: list[str]
    non_actor_after: list[str]
    joint_headings: list[str]
    owner_words: list[str]


class DocumentRules(_Rules):
    doc_types: dict[DocType, list[str]]
    months: dict[str, int]
    signing_phrases: list[str] = Field(min_length=1)
    validity_words: list[str] = Field(min_length=1)

    @field_validator("months")
    @classmethod
    def _month_range(cls, months: dict[str, int]) -> dict[str, int]:
        for name, number in months.items():
            if not 1 <= number <= 12:
                raise ValueError(f"month {name!r} has number {number}, expected 1-12")
        return months


class StructureRules(_Rules):
    item_labels: list[str]
    non_agreement_sections: list[str]
    non_agreement_list_intros: list[str]
    heading_starts: list[str]
    party_list_intros: list[str]
    party_headings: list[str]
    max_label_words: int = Field(ge=1, le=12)
    max_heading_chars: int = Field(gt=10, le=200)


class CleaningRules(_Rules):
    furniture_min_share: float = Field(gt=0, le=1)
    furniture_edge_lines: int = Field(ge=1, le=5)
    page_number_patterns: list[str]
    omission_words: list[str]
    hyphen_compounds: list[str]
    hyphen_prefixes: list[str]

    _compile = field_validator("page_number_patterns")(_patterns_compile)


def _month_day(value: str) -> str:
    if not regex.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", value):
        raise ValueError(f"{value!r} is not a month-day like '12-31'")
    return value


class TemporalRules(_Rules):
    periods: dict[str, str]
    quarters: dict[Literal["1", "2", "3", "4"], str]
    ordinals: dict[str, int]
    before_words: list[str]
    through_words: list[str]
    recurrences: dict[str, list[str]]
    reference_cues: list[str]
    year_scope_words: list[str]
    relative_years: dict[str, int]

    @field_validator("periods", "quarters")
    @classmethod
    def _month_days(cls, values: dict[str, str]) -> dict[str, str]:
        for value in values.values():
            _month_day(value)
        return values

    @field_validator("recurrences")
    @classmethod
    def _durations(cls, values: dict[str, list[str]]) -> dict[str, list[str]]:
        for duration in values:
            if not regex.fullmatch(r"P\d+[YMWD]", duration):
                raise ValueError(f"{duration!r} is not an ISO 8601 duration like 'P1Y'")
        return values


class TargetRules(_Rules):
    comparators: dict[Literal[">=", "<=", "~"], list[str]]
    number_words: dict[str, int]
    count_nouns: list[str]
    label_letters: list[str]
    per_year: list[str]
    non_target_cues: list[str]
    non_target_followers: list[str]
    definition_names: list[str]
    label_state_words: list[str]
    approximate_suffixes: list[str]


class CommitmentRules(_Rules):
    default: Commitment
    classes: dict[Commitment, list[str]]


class Topic(_Rules):
    label: str
    words: list[str] = Field(min_length=1)
    units: list[str] = Field(default_factory=list)


class TopicRules(_Rules):
    topics: dict[str, Topic]


class Rules(BaseModel):
    """All rule files, validated. ``digest`` changes whenever any rule file changes."""

    model_config = ConfigDict(frozen=True)
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)  # see :func:`compiled`
    themes: ThemeRules
    parties: PartyRules
    documents: DocumentRules
    structure: StructureRules
    cleaning: CleaningRules
    temporal: TemporalRules
    targets: TargetRules
    commitment: CommitmentRules
    topics: TopicRules
    digest: str


_FILES: dict[str, type[_Rules]] = {
    "themes": ThemeRules,
    "parties": PartyRules,
    "documents": DocumentRules,
    "structure": StructureRules,
    "cleaning": CleaningRules,
    "temporal": TemporalRules,
    "targets": TargetRules,
    "commitment": CommitmentRules,
    "topics": TopicRules,
}


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line in the YAML source of the value at ``loc`` (pydantic's error path)."""
    line = None
    for key in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(key)), None)
            if node is None:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1 if node is not None else line


def _load_file(path: Path, model: type[_Rules]) -> _Rules:
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(source)
        tree = yaml.compose(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise RuleError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        line = _line_of(tree, tuple(first["loc"]))
        where = f":{line}" if line else ""
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise RuleError(f"{path}{where}: {field}: {first['msg']}") from exc


def load_rules(rules_dir: Path = DEFAULT_RULES_DIR) -> Rules:
    """Load every rule file from ``rules_dir``; raise :class:`RuleError` on the first problem."""
    parts: dict[str, _Rules] = {}
    digest = hashlib.sha256()
    for name, model in _FILES.items():
        path = rules_dir / f"{name}.yaml"
        parts[name] = _load_file(path, model)
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return Rules.model_validate({**parts, "digest": digest.hexdigest()})


@lru_cache(maxsize=4)
def default_rules(rules_dir: Path = DEFAULT_RULES_DIR) -> Rules:
    """The rules, loaded once per process."""
    return load_rules(rules_dir)


def compiled(owner: _Rules | Rules, key: str, build: Callable[[], T]) -> T:
    """The one way to derive something from rules (compiled patterns): built on first use and
    kept on the rules object itself, so it lives exactly as long as the rules it came from."""
    store = owner._derived
    if key not in store:
        store[key] = build()
    return store[key]
