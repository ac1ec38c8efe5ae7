"""Stage 1 — read: a file path → :class:`SourceDocument` (pages of raw lines and tables).

Text files are UTF-8 (cp1252 accepted with a warning); a form feed is a page break.
PDFs go through :mod:`pipeline.read_pdf`. Anything unreadable raises :class:`ReadError`
with a one-line, user-facing reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import SUPPORTED_SUFFIXES
from ..model import Line, Page, SourceDocument, Table

if TYPE_CHECKING:  # read_pdf loads the PDF libraries; text input never needs them
    from .pdf import PdfReadSettings

# Share of printable characters below which a ".txt" file is taken for binary data.
MIN_PRINTABLE_SHARE = 0.95


class ReadError(Exception):
    """A document cannot be read; ``str(error)`` is the reason, without the file name."""


def read_document(path: Path, pdf_settings: PdfReadSettings | None = None) -> SourceDocument:
    """Read one input file into pages. Raises :class:`ReadError` for bad input.

    ``pdf_settings`` tunes PDF reading (default: :data:`pipeline.read_pdf.DEFAULT_SETTINGS`).
    """
    kind = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReadError(f"unsupported file type '{path.suffix or '(none)'}' (expected .pdf or .txt)")
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError("file disappeared before it could be read") from exc
    except OSError as exc:
        raise ReadError(f"cannot read file ({exc.strerror})") from exc
    if not data.strip():
        raise ReadError("empty file")
    sha256 = hashlib.sha256(data).hexdigest()
    if kind == "text":
        return _read_text(path, data, sha256)
    return _read_pdf(path, sha256, pdf_settings)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Bytes → text and warnings: UTF-8 first, cp1252 as the legacy fallback."""
    if b"\0" in data:
        raise ReadError("binary data, not a text file")
    try:
        text, warnings = data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ReadError("binary data, not a text file") from exc
        warnings = ["Tekstbestand is geen UTF-8; gelezen als Windows-1252 (cp1252)."]
    printable = sum(ch.isprintable() or ch in "\n\r\t\f" for ch in text)
    if printable < MIN_PRINTABLE_SHARE * len(text):
        raise ReadError("binary data, not a text file")
    return text, warnings


def text_to_pages(text: str) -> tuple[list[Page], bool]:
    """Split text on form feeds. Returns the pages and whether page numbers are real.

    Runs of two or more tab-separated lines (how a table arrives in a text export) become
    tables, kept apart from the prose like a PDF's ruled tables."""
    chunks = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    paged = len(chunks) > 1
    pages = []
    for index, chunk in enumerate(chunks, start=1):
        number = index if paged else None
        lines: list[Line] = []
        tables: list[Table] = []
        run: list[tuple[int, str]] = []

        def close_run() -> None:
            if len(run) >= 2:
                tables.append(Table(page=number, rows=[row.split("\t") for _, row in run], top=float(run[0][0])))
            else:
                lines.extend(Line(text=row, page=number, top=float(i)) for i, row in run)
            run.clear()

        chunk_lines = chunk.split("\n")
        for position, line in enumerate(chunk_lines):
            if "\t" in line.strip():
                run.append((position, line.strip()))
                continue
            close_run()
            blank_before = position > 0 and not chunk_lines[position - 1].strip()
            lines.append(Line(text=line, page=number, top=float(position), after_blank=blank_before))
        close_run()
        pages.append(Page(number=number, raw_text=chunk, lines=lines, tables=tables))
    return pages, paged


def _read_text(path: Path, data: bytes, sha256: str) -> SourceDocument:
    text, warnings = decode_text(data)
    pages, paged = text_to_pages(text)
    return SourceDocument(
        path=str(path), sha256=sha256, format="text", pages=pages, paged=paged, warnings=warnings
    )


def preload_pdf_reader() -> None:
    """Import the PDF stack now (a batch does this once before forking its workers)."""
    from . import pdf  # noqa: F401  (it imports pypdfium2, pdfplumber and pdfminer)


def _read_pdf(path: Path, sha256: str, settings: PdfReadSettings | None) -> SourceDocument:
    # Imported here so that reading text never pays for loading the PDF libraries.
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException
    from pypdfium2 import PdfiumError

    from .pdf import read_pdf_pages

    try:
        pages, title = read_pdf_pages(path, settings)
    except FileNotFoundError as exc:
        raise ReadError("file disappeared before it could be read") from exc
    except PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError("password-protected PDF; remove the password and run again") from exc
        raise ReadError(f"corrupt or truncated PDF ({str(exc).split('PDFium: ')[-1].rstrip(').')})") from exc
    except (PdfminerException, PDFSyntaxError, PSException) as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, MemoryError) or isinstance(exc.__context__, MemoryError):
            raise MemoryError from exc  # pdfplumber wraps it; the batch reports the memory cap
        raise ReadError(f"corrupt or truncated PDF ({type(cause).__name__})") from exc
    if not any(line.text.strip() for page in pages for line in page.lines) and not any(
        page.tables for page in pages
    ):
        raise ReadError(
            "PDF has no text layer (scanned pages?); run OCR on it first, e.g. ocrmypdf"
        )
    return SourceDocument(
        path=str(path), sha256=sha256, format="pdf", pages=pages, paged=True, pdf_title=title
    )
