"""Render the static HTML site (Dutch) from the register: index, one page per document,
and the comparison. Works offline from file://: no CDN, plain CSS and a little JavaScript."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..files import is_safe_doc_id, write_atomic
from ..model import COMMITMENTS, THEME_LABELS, THEMES, Afspraak, Document
from ..model.contract import KIND_LABELS, MONTH_LABELS, RECURRENCE_LABELS
from ..model.rules import Rules
from .compare import LEVEL_LABELS, document_topics, format_target, theme_stats
from .highlight import segments

if TYPE_CHECKING:
    from . import Part

CHART_COLORS = ["#154273", "#e17000", "#39870c", "#a90061", "#01689b", "#ffb612"]
STATIC = ["style.css", "filter.js", "vergelijking.js"]
# The comparison shows this many municipalities side by side until the reader picks others,
# and draws its chart only up to CHART_MAX of them (more bars cannot be read).
SHOWN_COLUMNS = 8
CHART_MAX = 12


def nl_date(value: str | None) -> str:
    """"2022-12-08" → "8 december 2022"; unknown → "onbekend"."""
    if not value:
        return "onbekend"
    date = dt.date.fromisoformat(value)
    return f"{date.day} {MONTH_LABELS[date.month - 1]} {date.year}"


def doc_page(doc_id: str) -> str:
    """The file name of a document's page, and the link to it: only ever ``<slug>.html``
    (the doc_id comes from the cache on disk, which is checked; this checks again)."""
    if not is_safe_doc_id(doc_id):
        raise ValueError(f"doc_id {doc_id!r} is not a slug; it is never used as a file name or link")
    return f"{doc_id}.html"


_ENTITY = regex.compile(r"&(?=#?\w+;)")


def markdown_text(value: object) -> object:
    """A value as plain text in Markdown: no HTML (``<`` ``>`` and entities escaped), no table
    pipes, no line breaks (a newline would start a new Markdown block). Applied to every
    expression of the Markdown template (the environment's ``finalize``)."""
    if not isinstance(value, str):
        return value
    text = _ENTITY.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return regex.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", text)


def anchor(afspraak_id: str) -> str:
    """The HTML id of an afspraak's row: "a-12", "a-o3" for the third, unnumbered one."""
    return "a-" + afspraak_id.rsplit("#", 1)[-1]


def afspraak_label(afspraak: Afspraak) -> str:
    """The printed number, or "•3" for an unnumbered afspraak (the third in the document)."""
    return afspraak.number if afspraak.number is not None else f"•{afspraak.ordinal}"


@lru_cache(maxsize=2)
def environment(markdown: bool = False) -> Environment:
    """The templates' environment (one per process): HTML autoescaped; for Markdown
    (``markdown=True``) every expression passes through :func:`markdown_text`."""
    env = Environment(
        loader=PackageLoader("pipeline.render", "templates"),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
        finalize=markdown_text if markdown else None,
    )
    env.filters["nl_date"] = nl_date
    env.filters["anchor"] = anchor
    env.filters["label"] = afspraak_label
    env.filters["page"] = doc_page
    env.filters["target"] = format_target
    env.globals.update(
        theme_labels=THEME_LABELS,
        kind_labels=KIND_LABELS,
        level_labels=LEVEL_LABELS,
        recurrence_labels=RECURRENCE_LABELS,
        themes=THEMES,
        commitments=COMMITMENTS,
        version=__version__,
    )
    return env


# The site's pages that are not a document's.
SITE_PAGES = {"index.html", "vergelijking.html"}


def document_page(document: Document) -> bytes:
    """``site/<doc_id>.html``: the register of one document, its afspraken highlighted."""
    rows = [{"afspraak": a, "segments": segments(a)} for a in document.afspraken]
    return environment().get_template("document.html").render(d=document, rows=rows).encode("utf-8")


def site_summary(document: Document, rules: Rules) -> bytes:
    """A document's part of the index and of the comparison, rendered (``parts.html``), and
    the counts the run's summary needs (its fragment's ``summary`` section, JSON)."""
    parts = environment().get_template("parts.html").module
    data: dict[str, object] = {
        "afspraken": len(document.afspraken),
        "warnings": len(document.warnings),
        "review": list(document.review),
        "index_row": str(parts.index_row(document, len(document.afspraken))),  # type: ignore[attr-defined]
        "agreement": None,
    }
    if document.doc_type == "prestatieafspraken":
        stats = {s.theme: s for s in theme_stats(document)}
        topics = document_topics(document, rules.topics)
        data["agreement"] = {
            "municipalities": document.municipalities,
            "afspraken_per_theme": {theme: s.afspraken for theme, s in stats.items()},
            "picker": [str(parts.picker_open(document)), str(parts.picker_close(document))],  # type: ignore[attr-defined]
            "theme_head": str(parts.theme_head(document)),  # type: ignore[attr-defined]
            "themes": {theme: str(parts.theme_cell(document, s)) for theme, s in stats.items()},  # type: ignore[attr-defined]
            "topic_head": str(parts.topic_head(document)),  # type: ignore[attr-defined]
            "topics": {key: str(parts.topic_cell(document, values)) for key, values in topics.items()},  # type: ignore[attr-defined]
        }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Summary:
    """A document's :func:`site_summary`, read back."""

    afspraken: int
    warnings: int
    review: list[str]
    index_row: str
    agreement: dict[str, Any] | None  # its part of the comparison (agreements only)

    @classmethod
    def parse(cls, data: bytes) -> Summary:
        summary = json.loads(data)
        return cls(summary["afspraken"], summary["warnings"], summary["review"], summary["index_row"], summary["agreement"])


class SiteWriter:
    """``site/``: index.html, vergelijking.html and the static files, joined from the documents'
    parts (:func:`site_summary`); the documents' own pages are written with their other pages."""

    def __init__(self, rules: Rules, out: Path, n_documents: int) -> None:
        self.rules, self.site, self.n_documents = rules, out / "site", n_documents
        self.env = environment()
        self.rows: list[str] = []  # the index, a row per document
        self.n_afspraken = 0
        self.agreements: list[dict[str, Any]] = []  # the comparison, a column per agreement

    def add(self, part: Part) -> None:
        summary = part.summary
        self.rows.append(summary.index_row)
        self.n_afspraken += summary.afspraken
        if summary.agreement is not None:
            self.agreements.append({"doc_id": part.doc_id, **summary.agreement})

    def finish(self, errors: list[dict[str, str]]) -> None:
        common = {"n_documents": self.n_documents}
        index = self.env.get_template("index.html").render(
            rows=Markup("".join(self.rows)), n_listed=len(self.rows), errors=errors, n_afspraken=self.n_afspraken, **common
        )
        write_atomic(self.site / "index.html", index.encode("utf-8"))
        agreements = self.agreements
        stats = {a["doc_id"]: {theme: {"afspraken": n} for theme, n in a["afspraken_per_theme"].items()} for a in agreements}
        pickers = (a["picker"][0] + (" checked" if i < SHOWN_COLUMNS else "") + a["picker"][1] for i, a in enumerate(agreements))
        comparison = self.env.get_template("vergelijking.html").render(
            agreements=agreements,
            stats=stats,
            topics=[{"topic": key, "label": topic.label} for key, topic in self.rules.topics.topics.items()],
            pickers=Markup("".join(pickers)),
            theme_heads=Markup("".join(a["theme_head"] for a in agreements)),
            theme_cells={theme: Markup("".join(a["themes"][theme] for a in agreements)) for theme in THEMES},
            topic_heads=Markup("".join(a["topic_head"] for a in agreements)),
            topic_cells={key: Markup("".join(a["topics"][key] for a in agreements)) for key in self.rules.topics.topics},
            max_count=max((n for a in agreements for n in a["afspraken_per_theme"].values()), default=0),
            colors=CHART_COLORS,
            shown_columns=SHOWN_COLUMNS,
            chart_max=CHART_MAX,
            **common,
        )
        write_atomic(self.site / "vergelijking.html", comparison.encode("utf-8"))
        for name in STATIC:
            write_atomic(self.site / name, (Path(__file__).parent / "templates" / name).read_bytes())

    def discard(self) -> None:
        pass
