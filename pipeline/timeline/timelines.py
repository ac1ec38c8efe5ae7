"""The timeline of one municipality (or one set of municipalities): its agreements year by
year, the links between their afspraken, and what yearly updates report on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Optional

import regex
from pydantic import BaseModel, ConfigDict

from ..model import THEMES, Afspraak, Document
from ..model.contract import Progress
from ..model.rules import Rules
from .links import AfspraakLink, link_afspraken, report_links

_YEAR = regex.compile(r"(?:19|20)\d{2}")


class TimelineDocument(BaseModel):
    """A document of a timeline: its afspraken (what matching needs) and its place in it."""

    model_config = ConfigDict(frozen=True)
    doc_id: str
    title: Optional[str]
    year: int
    update: bool  # a yearly update reporting on an earlier agreement
    afspraken: list[Afspraak]


class ThemeProgress(BaseModel):
    """Per theme: the agreements' afspraken, those with a reported status, those realised."""

    theme: str
    afspraken: int = 0
    reported: int = 0
    realised: int = 0

    @property
    def reported_share(self) -> float | None:
        return self.reported / self.afspraken if self.afspraken else None

    @property
    def realised_share(self) -> float | None:
        return self.realised / self.afspraken if self.afspraken else None


class Timeline(BaseModel):
    key: str  # slug of the municipalities: names the page tijdlijn-<key>.html
    name: str  # "Tynaarlo"
    documents: list[TimelineDocument]  # by year, an agreement before the update of its year
    links: list[AfspraakLink]

    def afspraak(self, afspraak_id: str) -> Afspraak:
        return next(a for d in self.documents for a in d.afspraken if a.id == afspraak_id)

    def doc_of(self, afspraak_id: str) -> str:
        return afspraak_id.rsplit("#", 1)[0]

    def progress(self, afspraak_id: str) -> list[Progress]:
        """What is reported on an afspraak: its own statements and those of the update rows
        that report on it."""
        reports = [link.source for link in self.links if link.kind == "reports_on" and link.target == afspraak_id]
        own = self.afspraak(afspraak_id).progress
        return [*own, *(p for source in reports if source for p in self.afspraak(source).progress)]

    def steps(self) -> list[tuple[TimelineDocument, TimelineDocument]]:
        """Each agreement with the next one (by year)."""
        agreements = [d for d in self.documents if not d.update]
        return list(zip(agreements, agreements[1:]))

    def reported(self) -> list[tuple[TimelineDocument, list[Afspraak]]]:
        """Each agreement with its afspraken on which progress is reported."""
        return [
            (d, [a for a in d.afspraken if self.progress(a.id)]) for d in self.documents
            if not d.update and any(self.progress(a.id) for a in d.afspraken)
        ]

    def between(self, old: str, new: str) -> list[AfspraakLink]:
        """The links from the agreement ``old`` to the agreement ``new``."""
        return [
            link for link in self.links if link.kind != "reports_on"
            and (link.source is None or self.doc_of(link.source) == old) and (link.target is None or self.doc_of(link.target) == new)
        ]

    def summary(self) -> list[ThemeProgress]:
        """Per theme, over the afspraken of every agreement (not the updates)."""
        stats = {theme: ThemeProgress(theme=theme) for theme in THEMES}
        for document in self.documents:
            if document.update:
                continue
            for afspraak in document.afspraken:
                if afspraak.theme is None:
                    continue
                statuses = [p.status for p in self.progress(afspraak.id)]
                row = stats[afspraak.theme]
                row.afspraken += 1
                row.reported += any(s != "onbekend" for s in statuses)
                row.realised += "gerealiseerd" in statuses
        return [row for row in stats.values() if row.afspraken]


def document_year(document: Document) -> int | None:
    """The first year of validity, else the first year in the title or the doc_id."""
    if document.validity.start:
        return int(document.validity.start[:4])
    for text in (document.title or "", document.doc_id):
        if m := _YEAR.search(text):
            return int(m.group(0))
    return None


def is_update(afspraken: list[Afspraak], rules: Rules) -> bool:
    return bool(afspraken) and sum(bool(a.progress) for a in afspraken) >= rules.timeline.update_share * len(afspraken)


def build_timeline(key: str, name: str, documents: list[TimelineDocument], rules: Rules) -> Timeline:
    documents = sorted(documents, key=lambda d: (d.year, d.update, d.doc_id))
    agreements = [d for d in documents if not d.update]
    links: list[AfspraakLink] = []
    for old, new in zip(agreements, agreements[1:]):
        links += link_afspraken(old.afspraken, new.afspraken, rules)
    for update in (d for d in documents if d.update):
        reported = [a for a in agreements if a.year <= update.year]
        if reported:
            links += report_links(reported[-1].afspraken, update.afspraken, rules)
    return Timeline(key=key, name=name, documents=documents, links=links)


def timeline_group(document: Document) -> tuple[str, ...] | None:
    """The timeline a document can be on (its municipalities, sorted), None for one that is on
    none: not an agreement, no municipality, no year or no afspraken."""
    if document.doc_type != "prestatieafspraken" or not document.municipalities or document_year(document) is None or not document.afspraken:
        return None
    return tuple(sorted(document.municipalities))


def timeline_member(document: Document, rules: Rules) -> tuple[tuple[str, ...], TimelineDocument] | None:
    """A document's group (:func:`timeline_group`) and its place on that timeline."""
    group, year = timeline_group(document), document_year(document)
    if group is None or year is None:
        return None
    afspraken = [a.model_copy(update={"mentions": [], "fields": []}) for a in document.afspraken]
    member = TimelineDocument(doc_id=document.doc_id, title=document.title, year=year, update=is_update(afspraken, rules), afspraken=afspraken)
    return group, member


class TimelineCollector:
    """Collects the agreements of the register document by document and builds a timeline for
    every municipality with two or more of them. A member is given as a function that loads it,
    called only when its group has two or more members (most municipalities have one agreement
    in a register: their afspraken are never loaded)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.groups: dict[tuple[str, ...], list[tuple[str, Callable[[], TimelineDocument]]]] = defaultdict(list)  # doc_id, loader
        self.built: list[Timeline] | None = None

    def add(self, document: Document) -> None:
        if member := timeline_member(document, self.rules):
            group, timeline_document = member
            self.add_member(group, document.doc_id, lambda: timeline_document)

    def add_member(self, group: tuple[str, ...], doc_id: str, load: Callable[[], TimelineDocument]) -> None:
        self.groups[group].append((doc_id, load))
        self.built = None

    def pages(self) -> dict[str, str]:
        """doc_id → the timeline page it is on (``tijdlijn-<key>.html``); nothing is loaded."""
        from ..extract import slugify

        return {
            doc_id: timeline_page(slugify("-".join(names))) for names, members in self.groups.items() if len(members) >= 2 for doc_id, _ in members
        }

    def timelines(self) -> list[Timeline]:
        """One per municipality (set) with two or more documents, by name; built once."""
        if self.built is None:
            from ..extract import slugify

            self.built = [
                build_timeline(slugify("-".join(names)), ", ".join(names), [load() for _, load in members], self.rules)
                for names, members in sorted(self.groups.items()) if len(members) >= 2
            ]
        return self.built


def timeline_page(key: str) -> str:
    return f"tijdlijn-{key}.html"
