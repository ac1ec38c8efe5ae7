"""Render the static HTML site (Dutch) from the register: index, one page per document,
and the comparison. Works offline from file://: no CDN, plain CSS and a little JavaScript."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from functools import lru_cache
from typing import NamedTuple
from pathlib import Path

import regex

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from .. import __version__
from ..compare.goals import MARKER_LABELS, DocumentGoals, GoalCollector, GoalReport, document_goals
from ..compare.quantities import QUANTITY_LABELS
from ..compare.topics import afspraak_topics
from ..compare.units import nl_number
from ..files import is_safe_doc_id, remove_stale, write_atomic
from ..model import COMMITMENTS, THEME_LABELS, THEMES, Afspraak, Document
from ..model.contract import KIND_LABELS, MONTH_LABELS, PROGRESS_LABELS, RECURRENCE_LABELS, CorrectionRecord
from ..model.rules import Rules
from ..review import correction_name, review_items
from ..timeline.links import CHANGE_LABELS, LINK_LABELS
from ..timeline.timelines import TimelineCollector, timeline_group, timeline_page
from .compare import LEVEL_LABELS, ThemeStats, document_topics, format_target, theme_stats
from .fragment import AgreementSummary, Summary
from .highlight import segments

# One colour per municipality of the chart (up to CHART_MAX), the Rijkshuisstijl's.
CHART_COLORS = ["#154273", "#e17000", "#39870c", "#a90061", "#01689b", "#ffb612", "#d52b1e", "#8fcae7", "#275937", "#94710a", "#42145f", "#76d2b6"]
# The site's copies of the source PDFs: site/bron/<doc_id>.pdf, so every afspraak links to its page.
SOURCE_FOLDER = "bron"
# Each agreement's afspraken for the comparison's columns side by side: site/naast/<doc_id>.js,
# loaded when a reader chooses the municipality (a script, so that it loads from file://).
COLUMNS_FOLDER = "naast"
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


def _slug(doc_id: str) -> str:
    """A doc_id that names a file or a link: only ever a slug (the doc_id comes from the
    cache on disk, which is checked; this checks again)."""
    if not is_safe_doc_id(doc_id):
        raise ValueError(f"doc_id {doc_id!r} is not a slug; it is never used as a file name or link")
    return doc_id


def doc_page(doc_id: str) -> str:
    """The file name of a document's page, and the link to it: ``<slug>.html``."""
    return f"{_slug(doc_id)}.html"


def source_pdf(doc_id: str) -> str:
    """Where the site keeps a document's source PDF, relative to the site: the doc_id names
    it (a slug), never the file name it came with."""
    return f"{SOURCE_FOLDER}/{_slug(doc_id)}.pdf"


def columns_script(doc_id: str) -> str:
    """Where the site keeps an agreement's afspraken for the columns side by side."""
    return f"{COLUMNS_FOLDER}/{_slug(doc_id)}.js"


def afspraak_link(doc_id: str, afspraak_id: str) -> str:
    """The link to an afspraak's row on its document's page."""
    return f"{doc_page(doc_id)}#{anchor(afspraak_id)}"


def afspraak_ref(doc_id: str, afspraak_id: str, number: str | None, page: int | None, pdf: str | None) -> Markup:
    """A link to an afspraak and to its page in the source PDF (the site's copy): "afspraak 12 ·
    p. 4"."""
    ref = Markup('<a href="{}">afspraak {}</a>').format(afspraak_link(doc_id, afspraak_id), number or "zonder nummer")
    if pdf:
        return ref + Markup(' · <a class="bron" href="{}">{}</a>').format(page_link(pdf, page), f"p. {page}" if page else "bron")
    return ref + (f" · p. {page}" if page else "")


def page_link(pdf: str, page: int | None) -> str:
    """The link to a page of a source PDF (its first page when the page is unknown)."""
    return f"{pdf}#page={page or 1}"


_ENTITY = regex.compile(r"&(?=#?\w+;)")
_LINE_BREAKS = regex.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")


def markdown_text(value: object) -> object:
    """A value as plain text in Markdown: no HTML (``<`` ``>`` and entities escaped), no table
    pipes, no line breaks (a newline would start a new Markdown block). Applied to every
    expression of the Markdown template (the environment's ``finalize``)."""
    if not isinstance(value, str):
        return value
    text = _ENTITY.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return _LINE_BREAKS.sub(" ", text)


def anchor(afspraak_id: str) -> str:
    """The HTML id of an afspraak's row: "a-12", "a-o3" for the third, unnumbered one."""
    return "a-" + afspraak_id.rsplit("#", 1)[-1]


def afspraak_label(afspraak: Afspraak) -> str:
    """The printed number, or "•3" for an unnumbered afspraak (the third in the document)."""
    return afspraak.number if afspraak.number is not None else f"•{afspraak.ordinal}"


@lru_cache(maxsize=2)
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
    env.filters["columns_script"] = columns_script
    env.filters["number"] = nl_number
    env.filters["afspraak_link"] = afspraak_link
    env.filters["page_link"] = page_link
    env.filters["timeline_page"] = timeline_page
    env.globals.update(
        theme_labels=THEME_LABELS,
        kind_labels=KIND_LABELS,
        level_labels=LEVEL_LABELS,
        recurrence_labels=RECURRENCE_LABELS,
        quantity_kinds=QUANTITY_LABELS,
        marker_labels=MARKER_LABELS,
        themes=THEMES,
        commitments=COMMITMENTS,
        progress_labels=PROGRESS_LABELS,
        link_labels=LINK_LABELS,
        change_labels=CHANGE_LABELS,
        version=__version__,
        afspraak_ref=afspraak_ref,
    )
    return env


def display_names(documents: list[Document]) -> dict[str, str]:
    """doc_id → how a header names the document: its municipalities, and its doc_id only
    where two documents have the same municipalities."""
    names = {d.doc_id: ", ".join(d.municipalities) or d.doc_id for d in documents}
    twice = {name for name, n in Counter(names.values()).items() if n > 1}
    return {doc_id: f"{name} ({doc_id})" if name in twice else name for doc_id, name in names.items()}


def corrected_values(document: Document) -> dict[tuple[str | None, str], CorrectionRecord]:
    """(afspraak id or None for the document, field) → the correction that set it."""
    return {(r.afspraak, r.field): r for r in document.corrections}


def site_summary(document: Document, rules: Rules, pdf: str | None, goals: DocumentGoals | None = None) -> Summary:
    """What the site's register-wide pages keep of a document (its fragment's summary;
    ``goals``: an agreement's :func:`document_goals`, when read already)."""
    items, group = review_items(document, rules), timeline_group(document)
    summary_document = document.model_copy(update={"afspraken": []})
    review_section = environment().get_template("controleren_document.html").module.review_section  # type: ignore[attr-defined]
    return Summary(
        document=summary_document, afspraken=len(document.afspraken), pdf=pdf,
        review_items=len(items), review_section=str(review_section(summary_document, items, pdf, correction_name(document.doc_id))) if items else None,
        timeline_group=list(group) if group else None,
        agreement=_agreement_summary(document, rules, pdf, goals) if document.doc_type == "prestatieafspraken" else None,
    )


def _agreement_summary(document: Document, rules: Rules, pdf: str | None, goals: DocumentGoals | None) -> AgreementSummary:
    stats, cells = theme_stats(document), environment().get_template("vergelijking_cellen.html").module
    goals = goals or document_goals(document, rules)
    national = environment().get_template("landelijk_getal.html").module
    return AgreementSummary(
        stats=stats, goals=goals,
        goal_cells={key: [str(national.number_cells(document.doc_id, n.quantity, pdf)) for n in entry.numbers] for key, entry in goals.goals.items() if entry.numbers},  # type: ignore[attr-defined]
        goal_links={key: str(national.afspraak_links(document.doc_id, entry.without_number)) for key, entry in goals.goals.items() if entry.without_number},  # type: ignore[attr-defined]
        theme_cells={s.theme: str(cells.theme_cell(document.doc_id, s)) for s in stats},  # type: ignore[attr-defined]
        topic_cells={key: str(cells.topic_cell(document.doc_id, values, pdf)) for key, values in document_topics(document, rules).items()},  # type: ignore[attr-defined]
    )


def document_pages(document: Document, rules: Rules, pdf: str | None, timeline: str | None) -> dict[str, bytes]:
    """A document's own pages on the site (relative to ``site/``): ``<doc_id>.html`` (linking
    to its ``timeline`` page, if any) and, for an agreement, its columns ``naast/<doc_id>.js``."""
    env = environment()
    rows = [{"afspraak": a, "segments": segments(a)} for a in document.afspraken]
    html = env.get_template("document.html").render(
        d=document, rows=rows, pdf=pdf, fixes=corrected_values(document), units=rules.quantities, timeline=timeline
    )
    pages = {doc_page(document.doc_id): html.encode("utf-8")}
    if document.doc_type == "prestatieafspraken":
        # naast/<doc_id>.js: the afspraken rendered (autoescaped) and handed to the comparison
        # page's ``afsprakenNaast`` as a JSON string.
        topics = [{**row, "topics": afspraak_topics(a, rules.topics)} for row, a in zip(rows, document.afspraken)]
        columns = env.get_template("naast.html").render(d=document, rows=topics, pdf=pdf)
        script = f"afsprakenNaast({json.dumps(document.doc_id)}, {json.dumps(columns)});\n"
        pages[columns_script(document.doc_id)] = script.encode("utf-8")
    return pages


class GoalParts(NamedTuple):
    """A national goal's parts of landelijk.html that list the agreements."""

    rows: Markup  # the table: a row per number of every agreement
    without_number: Markup  # the agreements with afspraken on the goal, none with a number
    no_afspraak: Markup  # the agreements without


def goal_parts(report: GoalReport, name_links: dict[str, Markup], agreements: dict[str, AgreementSummary]) -> GoalParts:
    """A goal's lists of agreements, joined from what was rendered with each document (its
    summary's ``goal_cells`` and ``goal_links``) and what depends on the other agreements: the
    municipality's name and whether a number is summed. Joined here, not in the template: the
    table has a row per number in the register."""
    summed = report.goal.yearly is not None
    rows = []
    for row in report.with_numbers:
        start = f'\n<tr data-doc="{escape(row.doc_id)}">\n  <td>{name_links[row.doc_id]}</td>\n  '
        for number, cells in zip(row.entry.numbers, agreements[row.doc_id].goal_cells[report.key], strict=True):
            verdict = f"nee, {escape(number.skipped)}" if number.skipped else "ja" if row.in_total else "nee, niet de nieuwste afspraken"
            rows.append(f"{start}{cells}\n  {f'<td>{verdict}</td>' if summed else ''}\n</tr>\n")
    return GoalParts(
        rows=Markup("".join(rows)),
        without_number=Markup("; ").join(
            Markup(f"{name_links[row.doc_id]} ({agreements[row.doc_id].goal_links[report.key]})") for row in report.without_number
        ),
        no_afspraak=Markup(", ").join(name_links[row.doc_id] for row in report.none),
    )


def copy_source(document: Document, site: Path) -> str | None:
    """The site's copy of a PDF source (copied when it is missing or differs), None for
    a text source or a source that is gone or changed since it was read (a link to
    another version would point at other pages)."""
    if document.source.format != "pdf":
        return None
    name = source_pdf(document.doc_id)
    target = site / name
    if not (target.is_file() and _sha256(target) == document.source.sha256):
        try:
            data = Path(document.source.path).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != document.source.sha256:
            return None
        write_atomic(target, data)
    return name


class SiteWriter:
    """``site/``: index.html, vergelijking.html, landelijk.html, controleren.html and
    tijdlijn-<gemeente>.html per municipality with two or more agreements, from every
    document's summary (:class:`Summary`); the documents' own pages (:func:`document_pages`)
    and source PDFs in ``bron/`` are written apart, and only kept here (the stale ones removed).
    """

    def __init__(self, rules: Rules, out: Path, n_documents: int, timelines: TimelineCollector | None = None, goals: GoalCollector | None = None) -> None:
        self.rules, self.site, self.n_documents = rules, out / "site", n_documents
        self.timelines = timelines or TimelineCollector(rules)
        self.goals = goals or GoalCollector(rules)
        self.env = environment()
        self.summaries: list[Document] = []  # documents without their afspraken
        self.counts: dict[str, int] = {}  # doc_id → afspraken
        self.stats: dict[str, dict[str, ThemeStats]] = {}  # agreements only
        self.cells: dict[str, AgreementSummary] = {}  # doc_id → its comparison cells (HTML)
        self.review: list[Markup] = []  # the documents' sections of controleren.html
        self.review_items = 0
        self.pdfs: dict[str, str | None] = {}  # doc_id → the site's copy of its PDF (agreements only)
        self.sources: set[str] = set()  # the PDFs in bron/

    def add(self, summary: Summary) -> None:
        doc_id = summary.doc_id
        self.summaries.append(summary.document)
        # The HTML a summary holds was rendered when its document was, and is used only from a
        # fragment this run or the last one wrote (pipeline.run.outputs).
        if summary.review_section is not None:
            self.review.append(Markup(summary.review_section))
            self.review_items += summary.review_items
        self.counts[doc_id] = summary.afspraken
        if summary.pdf is not None:
            self.sources.add(summary.pdf)
        if summary.agreement is not None:
            self.stats[doc_id] = {s.theme: s for s in summary.agreement.stats}
            self.cells[doc_id] = summary.agreement
            self.pdfs[doc_id] = summary.pdf

    def finish(self, errors: list[dict[str, str]]) -> None:
        common = {"n_documents": self.n_documents}
        timelines = self.timelines.timelines()
        index = self.env.get_template("index.html").render(
            documents=self.summaries, counts=self.counts, errors=errors, n_afspraken=sum(self.counts.values()), timelines=timelines,
            **common,
        )
        write_atomic(self.site / "index.html", index.encode("utf-8"))
        agreements = [d for d in self.summaries if d.doc_id in self.stats]
        names = display_names(agreements)
        comparison = self.env.get_template("vergelijking.html").render(
            agreements=agreements,
            names=names,
            pdfs=self.pdfs,
            stats=self.stats,
            # a row of cells per theme and topic (rendered with each document), joined here: as
            # many cells as agreements in the register
            theme_rows={theme: Markup("".join(self.cells[d.doc_id].theme_cells[theme] for d in agreements)) for theme in THEMES},
            topic_rows={key: Markup("".join(self.cells[d.doc_id].topic_cells[key] for d in agreements)) for key in self.rules.topics.topics},
            topics=[(key, topic.label) for key, topic in self.rules.topics.topics.items()],
            max_count=max((s.afspraken for by_theme in self.stats.values() for s in by_theme.values()), default=0),
            colors=CHART_COLORS,
            shown_columns=SHOWN_COLUMNS,
            chart_max=CHART_MAX,
            timelines=timelines,
            **common,
        )
        write_atomic(self.site / "vergelijking.html", comparison.encode("utf-8"))
        name_links = {doc_id: Markup('<a href="{}">{}</a>').format(doc_page(doc_id), name) for doc_id, name in names.items()}
        reports = self.goals.reports()
        national = self.env.get_template("landelijk.html").render(
            reports=reports, agreements=self.rules.national_goals.agreements, name_links=name_links,
            parts={r.key: goal_parts(r, name_links, self.cells) for r in reports}, **common,
        )
        write_atomic(self.site / "landelijk.html", national.encode("utf-8"))
        queue = self.env.get_template("controleren.html").render(
            sections=self.review, n_items=self.review_items, **common
        )
        write_atomic(self.site / "controleren.html", queue.encode("utf-8"))
        for name in STATIC:
            write_atomic(self.site / name, (Path(__file__).parent / "templates" / name).read_bytes())
        pages = {"index.html", "vergelijking.html", "landelijk.html", "controleren.html", *(doc_page(d.doc_id) for d in self.summaries)}
        for timeline in timelines:
            page = timeline_page(timeline.key)
            write_atomic(self.site / page, self.env.get_template("tijdlijn.html").render(t=timeline, **common).encode("utf-8"))
            pages.add(page)
        remove_stale(self.site, "*.html", pages)
        remove_stale(self.site / SOURCE_FOLDER, "*.pdf", {Path(name).name for name in self.sources})
        remove_stale(self.site / COLUMNS_FOLDER, "*.js", {Path(columns_script(doc_id)).name for doc_id in self.stats})

    def discard(self) -> None:
        pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
