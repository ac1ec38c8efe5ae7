"""Render the static HTML site (Dutch) from the register: index, one page per document,
and the comparison. Works offline from file://: no CDN, plain CSS and a little JavaScript."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from . import __version__
from .compare import COMMITMENTS, LEVEL_LABELS, THEME_LABELS, THEMES, format_target, theme_stats, topic_rows
from .highlight import segments
from .models import Document
from .register import write_atomic
from .rules import Rules

KIND_LABELS = {"gemeente": "gemeente", "corporatie": "corporatie", "huurdersorganisatie": "huurdersorganisatie", "overig": "overig"}
RECURRENCE_LABELS = {"P1Y": "jaarlijks", "P6M": "halfjaarlijks", "P3M": "ieder kwartaal", "P2Y": "tweejaarlijks", "P1M": "maandelijks"}
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
CHART_COLORS = ["#154273", "#e17000", "#39870c", "#a90061", "#01689b", "#ffb612"]
STATIC = ["style.css", "filter.js"]


def nl_date(value: str | None) -> str:
    """"2022-12-08" → "8 december 2022"; unknown → "onbekend"."""
    if not value:
        return "onbekend"
    date = dt.date.fromisoformat(value)
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    env.filters["nl_date"] = nl_date
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


def render_site(documents: list[Document], errors: list[dict[str, str]], rules: Rules, out: Path) -> None:
    """Write ``out/site/``: index.html, <doc_id>.html per document, vergelijking.html."""
    env = environment()
    site = out / "site"
    common = {"n_documents": len(documents)}
    index = env.get_template("index.html").render(
        documents=documents, errors=errors, n_afspraken=sum(len(d.afspraken) for d in documents), **common
    )
    write_atomic(site / "index.html", index.encode("utf-8"))
    page = env.get_template("document.html")
    for document in documents:
        rows = [{"afspraak": a, "segments": segments(a, document.parties, rules.parties)} for a in document.afspraken]
        write_atomic(site / f"{document.doc_id}.html", page.render(d=document, rows=rows, **common).encode("utf-8"))
    agreements = [d for d in documents if d.doc_type == "prestatieafspraken"]
    stats = {d.doc_id: {s.theme: s for s in theme_stats(d)} for d in agreements}
    comparison = env.get_template("vergelijking.html").render(
        agreements=agreements,
        stats=stats,
        topics=topic_rows(agreements, rules.topics),
        max_count=max((s.afspraken for by_theme in stats.values() for s in by_theme.values()), default=0),
        colors=CHART_COLORS,
        **common,
    )
    write_atomic(site / "vergelijking.html", comparison.encode("utf-8"))
    for name in STATIC:
        write_atomic(site / name, (Path(__file__).parent / "templates" / name).read_bytes())
    current = {"index.html", "vergelijking.html", *STATIC, *(f"{d.doc_id}.html" for d in documents)}
    for stale in site.glob("*.html"):
        if stale.name not in current:
            stale.unlink()
