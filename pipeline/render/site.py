"""Render the static HTML site (Dutch) from the register: index, one page per document,
and the comparison. Works offline from file://: no CDN, plain CSS and a little JavaScript."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import regex

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from ..files import is_safe_doc_id, remove_stale, write_atomic
from ..model import COMMITMENTS, THEME_LABELS, THEMES, Afspraak, Document
from ..model.contract import KIND_LABELS, MONTH_LABELS, RECURRENCE_LABELS
from ..model.rules import Rules
from .compare import LEVEL_LABELS, ThemeStats, TopicValue, document_topics, format_target, theme_stats, topic_rows
from .highlight import segments

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


def environment(markdown: bool = False) -> Environment:
    """The templates' environment: HTML autoescaped; for Markdown (``markdown=True``) every
    expression passes through :func:`markdown_text`."""
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


class SiteWriter:
    """``site/``: index.html, <doc_id>.html per document, vergelijking.html.

    Document pages are written as documents arrive; the index and the comparison need only
    a summary of each (no afspraak texts), which is what is kept.
    """

    def __init__(self, rules: Rules, out: Path, n_documents: int) -> None:
        self.rules, self.site, self.n_documents = rules, out / "site", n_documents
        self.env = environment()
        self.page = self.env.get_template("document.html")
        self.summaries: list[Document] = []  # documents without their afspraken
        self.counts: dict[str, int] = {}  # doc_id → afspraken
        self.stats: dict[str, dict[str, ThemeStats]] = {}  # agreements only
        self.topics: dict[str, dict[str, list[TopicValue]]] = {}

    def add(self, document: Document) -> None:
        rows = [{"afspraak": a, "segments": segments(a)} for a in document.afspraken]
        html = self.page.render(d=document, rows=rows, n_documents=self.n_documents)
        write_atomic(self.site / doc_page(document.doc_id), html.encode("utf-8"))
        self.summaries.append(document.model_copy(update={"afspraken": []}))
        self.counts[document.doc_id] = len(document.afspraken)
        if document.doc_type == "prestatieafspraken":
            self.stats[document.doc_id] = {s.theme: s for s in theme_stats(document)}
            self.topics[document.doc_id] = document_topics(document, self.rules.topics)

    def finish(self, errors: list[dict[str, str]]) -> None:
        common = {"n_documents": self.n_documents}
        index = self.env.get_template("index.html").render(
            documents=self.summaries, counts=self.counts, errors=errors, n_afspraken=sum(self.counts.values()), **common
        )
        write_atomic(self.site / "index.html", index.encode("utf-8"))
        agreements = [d for d in self.summaries if d.doc_id in self.stats]
        comparison = self.env.get_template("vergelijking.html").render(
            agreements=agreements,
            stats=self.stats,
            topics=topic_rows(self.topics, self.rules.topics),
            max_count=max((s.afspraken for by_theme in self.stats.values() for s in by_theme.values()), default=0),
            colors=CHART_COLORS,
            shown_columns=SHOWN_COLUMNS,
            chart_max=CHART_MAX,
            **common,
        )
        write_atomic(self.site / "vergelijking.html", comparison.encode("utf-8"))
        for name in STATIC:
            write_atomic(self.site / name, (Path(__file__).parent / "templates" / name).read_bytes())
        remove_stale(self.site, "*.html", {"index.html", "vergelijking.html", *(f"{d.doc_id}.html" for d in self.summaries)})

    def discard(self) -> None:
        pass
