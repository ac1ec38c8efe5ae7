"""Every rendering of the register: site, Markdown, CSV, XLSX, SQLite."""

from __future__ import annotations

from pathlib import Path

from .models import Document
from .render_files import render_csv, render_markdown, render_sqlite, render_xlsx
from .render_site import render_site
from .rules import Rules


def render_reports(documents: list[Document], errors: list[dict[str, str]], rules: Rules, out: Path) -> None:
    render_site(documents, errors, rules, out)
    render_markdown(documents, out)
    render_csv(documents, out)
    render_xlsx(documents, out)
    render_sqlite(documents, out)
