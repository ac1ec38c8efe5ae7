"""Load and validate the rule files in ``rules/``.

Rules are data a domain expert edits; this module turns them into typed objects at
start-up and fails with one line naming the file, the line and the problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal, Optional, TypeVar

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .. import DEFAULT_RULES_DIR  # re-exported: where the rules are read from by default
from .contract import Commitment, DocType, FieldKind, PartyKind, ProgressStatus, Theme

T = TypeVar("T")


def _words_given(values: list[str] | dict[str, list[str]]) -> list[str] | dict[str, list[str]]:
    """Words that become part of a pattern: an empty or blank word would match anywhere."""
    for words in values.values() if isinstance(values, dict) else [values]:
        if any(not word.strip() for word in words):
            raise ValueError("a word or phrase must not be empty")
    return values


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
    # who acts in a sentence (tag/actors.py)
    legal_forms: list[str]
    mention_articles: list[str]
    joiners: list[str] = Field(min_length=1)
    correlatives: list[str]
    joiner_determiners: list[str]
    conjunctions: list[str]
    passive_auxiliaries: list[str] = Field(min_length=1)
    agent_words: list[str]
    purpose_words: list[str]
    infinitive_markers: list[str]

    _words_given = field_validator(
        "legal_forms", "mention_articles", "joiners", "correlatives", "joiner_determiners", "conjunctions",
        "passive_auxiliaries", "agent_words", "purpose_words", "infinitive_markers",
    )(_words_given)
    non_actor_participles: list[str]
    non_actor_after: list[str]
    joint_headings: list[str]
    owner_words: list[str]
    party_sentence_intros: list[str]
    group_heads: list[str]
    organisation_heads: list[str]
    party_table_headers: list[str]
    signature_headings: list[str]
    on_behalf_words: list[str]
    name_articles: list[str]
    not_party_words: list[str]
    member_intros: list[str]
    representation_words: list[str] = Field(min_length=1)
    representation_by: list[str] = Field(min_length=1)
    mandate_words: list[str]
    alias_intros: list[str] = Field(min_length=1)
    party_table_columns: list[str]
    name_particles: list[str]
    surname_particles: list[str]


class DocumentRules(_Rules):
    doc_types: dict[DocType, list[str]]
    self_references: list[str]
    title_noise: list[str]
    region_words: list[str]
    months: dict[str, int]
    signing_phrases: list[str] = Field(min_length=1)
    place_particles: list[str]
    signing_place_words: list[str] = Field(min_length=1)
    signing_date_words: list[str]
    validity_words: list[str] = Field(min_length=1)
    validity_start_cues: list[str] = Field(min_length=1)
    validity_until_inclusive: list[str] = Field(min_length=1)
    validity_until_exclusive: list[str] = Field(min_length=1)
    agreement_nouns: list[str] = Field(min_length=1)

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
    afspraken_headings: list[str]
    afspraken_intros: list[str]
    continuation_words: list[str]
    heading_prefixes: list[str] = Field(min_length=1)
    field_labels: dict[FieldKind, list[str]]
    bullets: list[str] = Field(min_length=1)
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
    period_leads: list[str]
    in_words: list[str]
    determiners: list[str]
    of_words: list[str]
    quarter_words: list[str] = Field(min_length=1)
    quarter_letters: list[str]
    month_leads: list[str]
    scope_leads: list[str]
    scope_followers: list[str]
    bare_year_words: list[str]
    span_leads: list[str] = Field(min_length=1)
    span_joiners: list[str] = Field(min_length=1)
    agreement_period_phrases: list[str] = Field(min_length=1)

    _words_given = field_validator(
        "period_leads", "in_words", "determiners", "of_words", "quarter_words", "quarter_letters", "month_leads",
        "scope_leads", "scope_followers",
    )(_words_given)

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
    approximate_articles: list[str]
    label_words: list[str] = Field(min_length=1)
    label_prefixes: list[str]
    currency_words: list[str]
    multipliers: dict[str, float]
    percent_words: list[str]
    range_words: dict[Literal["money", "percent", "count"], list[str]]
    abbreviations: list[str]
    stock_verbs: list[str]
    stock_approximations: list[str]
    per_year_leads: list[str]
    per_year_before: list[str]

    _words_given = field_validator(
        "approximate_suffixes", "approximate_articles", "label_words", "label_prefixes", "currency_words", "percent_words",
        "range_words", "abbreviations", "stock_verbs", "stock_approximations", "per_year_leads", "per_year_before",
    )(_words_given)

    @field_validator("range_words")
    @classmethod
    def _every_range(cls, values: dict[str, list[str]]) -> dict[str, list[str]]:
        missing = [kind for kind in ("money", "percent", "count") if kind not in values]
        if missing:
            raise ValueError(f"range words missing for {', '.join(missing)}")
        return values


class CommitmentRules(_Rules):
    default: Commitment
    classes: dict[Commitment, list[str]]


class Topic(_Rules):
    label: str
    words: list[str] = Field(min_length=1)
    units: list[str] = Field(default_factory=list)


class TopicRules(_Rules):
    topics: dict[str, Topic]


QuantityKind = Literal["growth", "stock", "share", "work", "decrease"]


class QuantityRules(_Rules):
    """How a target becomes a comparable number (``quantities.yaml``)."""

    kinds: dict[Literal["growth", "stock", "work", "decrease"], list[str]]
    start_cues: list[str]
    year_words: list[str]
    year_headings: list[str]
    plurals: dict[str, str]

    _words_given = field_validator("kinds", "start_cues", "year_words", "year_headings")(_words_given)


class YearSpan(_Rules):
    start: int = Field(ge=1900, le=2100)
    end: int = Field(ge=1900, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> YearSpan:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


class GoalCounts(_Rules):
    """Which local numbers count towards a goal: numbers of afspraken on one of ``topics``,
    with a unit of ``units`` (or a compound ending in one) and a kind of ``kinds``."""

    topics: list[str] = Field(min_length=1)
    units: list[str] = Field(min_length=1)
    kinds: list[QuantityKind] = Field(min_length=1)


class NationalAgreement(_Rules):
    label: str
    parties: str
    source: str


class NationalGoal(_Rules):
    agreement: str
    label: str
    target: str  # the national figure as a reader says it, Dutch
    figure: Optional[float] = None
    unit: Optional[str] = None  # Dutch plural: "woningen"
    period: Optional[YearSpan] = None
    per_year: Optional[float] = None  # the yearly figure where the source states one
    marker: Literal["V", "S", "U"]
    note: Optional[str] = None
    counts: GoalCounts

    @model_validator(mode="after")
    def _unit_given(self) -> NationalGoal:
        if (self.figure is not None or self.per_year is not None) and self.unit is None:
            raise ValueError("a goal with a figure needs its unit")
        return self

    @property
    def yearly(self) -> float | None:
        """The national figure per year: as the source states it, or the figure spread over
        the period; None where the goal is no number of things per year."""
        if self.per_year is not None:
            return self.per_year
        if self.figure and self.period is not None:
            return self.figure / (self.period.end - self.period.start + 1)
        return None


class GoalRules(_Rules):
    """The national goals (``national_goals.yaml``)."""

    agreements: dict[str, NationalAgreement] = Field(min_length=1)
    goals: dict[str, NationalGoal] = Field(min_length=1)

    @model_validator(mode="after")
    def _agreements_known(self) -> GoalRules:
        unknown = sorted({g.agreement for g in self.goals.values()} - set(self.agreements))
        if unknown:
            raise ValueError(f"agreement(s) {unknown} are not in agreements")
        return self


class Municipality(_Rules):
    name: str
    code: str = Field(pattern=r"^GM\d{4}$")
    aliases: list[str] = Field(default_factory=list)


class FormerMunicipality(_Rules):
    name: str
    successor: str
    year: int
    aliases: list[str] = Field(default_factory=list)
    split: list[str] = Field(default_factory=list)
    code: Optional[str] = Field(default=None, pattern=r"^GM\d{4}$")
    note: Optional[str] = None


class MunicipalityRules(_Rules):
    """The municipalities of the Netherlands (CBS) and the former ones merged since 2015."""

    municipalities: list[Municipality] = Field(min_length=1)
    former: list[FormerMunicipality] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> MunicipalityRules:
        codes = [m.code for m in self.municipalities]
        if len(set(codes)) != len(codes):
            raise ValueError("a CBS code is listed twice")
        names = {m.name for m in self.municipalities}
        unknown = sorted(f.successor for f in self.former if f.successor not in names)
        if unknown:
            raise ValueError(f"successor(s) {unknown} are not in the municipality list")
        return self


class MatchRules(_Rules):
    min_score: float = Field(gt=0, le=1)
    bonus_theme: float = Field(ge=0, le=1)
    bonus_parties: float = Field(ge=0, le=1)
    bonus_topic: float = Field(ge=0, le=1)
    unchanged_text: float = Field(gt=0, le=1)


class TimelineRules(_Rules):
    """Matching afspraken across years and reading progress statements (``timeline.yaml``)."""

    match: MatchRules
    update_share: float = Field(gt=0, le=1)
    statuses: dict[ProgressStatus, list[str]]

    _words_given = field_validator("statuses")(_words_given)

    @field_validator("statuses")
    @classmethod
    def _known_only(cls, values: dict[str, list[str]]) -> dict[str, list[str]]:
        if "onbekend" in values:
            raise ValueError("onbekend is what a statement without a status word gets; it has no words")
        return values


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
    municipalities: MunicipalityRules
    quantities: QuantityRules
    national_goals: GoalRules
    timeline: TimelineRules
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
    "municipalities": MunicipalityRules,
    "quantities": QuantityRules,
    "national_goals": GoalRules,
    "timeline": TimelineRules,
}


def yaml_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
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


def _iso_dates(data: Any) -> Any:
    """YAML reads ``2022-12-31`` as a date; a file a person edits means the text it shows."""
    if isinstance(data, dict):
        return {key: _iso_dates(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_iso_dates(value) for value in data]
    return data.isoformat() if isinstance(data, (dt.date, dt.datetime)) else data


M = TypeVar("M", bound=BaseModel)

# libyaml's parser where PyYAML was built with it (PyPI's wheels are): the rules load in a
# tenth of the time of the pure-Python one, with the same results (both are YAML 1.1 safe loaders).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, model: type[M], what: str = "rule file") -> tuple[M, yaml.Node | None]:
    """A YAML file a person edits, validated by ``model``, and its node tree (for the line of
    a later problem: :func:`yaml_line`). Raises :class:`RuleError` naming the file, the line
    and the problem."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read {what} ({getattr(exc, 'strerror', None) or exc})") from exc
    try:
        data = yaml.load(source, Loader=_LOADER)
        tree = yaml.compose(source, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise RuleError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    try:
        return model.model_validate(_iso_dates(data)), tree
    except ValidationError as exc:
        first = exc.errors()[0]
        line = yaml_line(tree, tuple(first["loc"]))
        where = f":{line}" if line else ""
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise RuleError(f"{path}{where}: {field}: {first['msg']}") from exc


def _across_files(parts: dict[str, Any]) -> list[tuple[str, tuple[Any, ...], str]]:
    """What one rule file must agree on with another: (file, where, problem) each."""
    problems: list[tuple[str, tuple[Any, ...], str]] = []
    for noun in parts["targets"].count_nouns:
        if noun not in parts["quantities"].plurals:
            problems.append(("quantities", ("plurals",), f"no plural for the counted noun {noun!r} of targets.yaml"))
    for key, goal in parts["national_goals"].goals.items():
        for topic in goal.counts.topics:
            if topic not in parts["topics"].topics:
                problems.append(("national_goals", ("goals", key, "counts", "topics"), f"unknown topic {topic!r} (topics.yaml)"))
    return problems


def load_rules(rules_dir: Path = DEFAULT_RULES_DIR) -> Rules:
    """Load every rule file from ``rules_dir``; raise :class:`RuleError` on the first problem."""
    parts: dict[str, _Rules] = {}
    trees: dict[str, yaml.Node | None] = {}
    digest = hashlib.sha256()
    for name, model in _FILES.items():
        path = rules_dir / f"{name}.yaml"
        parts[name], trees[name] = load_yaml(path, model)
        digest.update(name.encode() + b"\0" + path.read_bytes())
    problems = _across_files(parts)
    if problems:
        name, loc, problem = problems[0]
        line = yaml_line(trees[name], loc)
        raise RuleError(f"{rules_dir / f'{name}.yaml'}{f':{line}' if line else ''}: {'.'.join(map(str, loc))}: {problem}")
    return Rules.model_validate({**parts, "digest": digest.hexdigest()})


@lru_cache(maxsize=4)
def default_rules(rules_dir: Path = DEFAULT_RULES_DIR) -> Rules:
    """The rules, loaded once per process."""
    return load_rules(rules_dir)


def alternation(words: list[str]) -> str:
    """Rule words as one regex alternation: longest first, a space matching any whitespace;
    an empty list never matches. The one way rule words become a pattern."""
    if not words:
        return "(?!)"
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def compiled(owner: _Rules | Rules, key: str, build: Callable[[], T]) -> T:
    """The one way to derive something from rules (compiled patterns): built on first use and
    kept on the rules object itself, so it lives exactly as long as the rules it came from."""
    # ``owner._derived`` would go through pydantic's ``__getattr__``, which costs more than most
    # pattern searches; this runs at every use of a pattern.
    store: dict[str, Any] = owner.__pydantic_private__["_derived"]  # type: ignore[index]
    if key not in store:
        store[key] = build()
    return store[key]
