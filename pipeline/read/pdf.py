"""Read a PDF into pages of lines in reading order, with ruled tables kept apart.

Words and ruling lines come from pdfium (``pypdfium2``: characters with their boxes and the
segments of vector paths, over ten times faster than pdfplumber's parser, which interprets
every page in Python: ``bench/reading_paths.md``); the ruling lines go through pdfplumber's table finder (snap, join,
intersect, cells, tables), what pdfplumber does well. ``engine="pdfplumber"`` reads words and
tables with pdfplumber alone (kept as the reference the benchmark compares against).

Layout reading works on words (text, x0, x1, top, bottom, fontname):

1. Words inside ruled tables (pdfplumber's table finder) become :class:`Table` rows and are
   left out of the prose ``lines`` (they stay in ``raw_text``).
2. The page is cut into vertical *blocks* at bands of whitespace that are clearly taller
   than a paragraph break; this keeps running headers and footers in place.
3. In each block a *gutter* is sought: a band of x near the middle of the page that no
   word crosses on (nearly) every line. A block with a gutter and enough lines is read as
   two columns: lines that do cross it are full-width lines kept in place, and each run of
   lines between them is emitted left column first, then right column.
4. Everything else is read top to bottom, words joined in x order.

Nothing is cleaned here: headers, footers, page numbers and line-end hyphens are left for
the cleaning stage. pdfplumber/pdfminer exceptions propagate to the caller.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import statistics
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

import ctypes

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import TableSettings, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils import filter_edges

from ..model import Line, Page, Table

_PDFIUM_HYPHENS = {"\ufffe", "\x02"}
Word = dict[str, Any]  # a pdfplumber word: text, x0, x1, top, bottom, fontname, size, ...


@dataclass(frozen=True)
class PdfReadSettings:
    """Tunable numbers of the layout reader (PDF points unless stated otherwise)."""

    # Words share a line when their tops (or, for mixed font sizes on one baseline, their
    # bottoms) differ by at most this much; well under the ~11 pt line pitch of body text.
    line_tolerance: float = 3.0
    # Touching words (gap below this) were only split by a font change ("**" after a bold
    # word); they are joined without a space. A real space is wider than 1 pt.
    join_gap: float = 0.5
    # A hyphen ending a line that stands at most this far from its word (no space, just a
    # drawn gap, as Word exports it) belongs to the word: "woning -" is "woning-".
    hyphen_gap: float = 1.5
    # A band of empty page this many median line heights tall separates blocks: running
    # headers/footers sit 2.5-3 lines away from the body, paragraph breaks under 2.
    block_gap_lines: float = 2.0
    # Empty space above a line taller than this share of its own height is a blank line (a
    # paragraph break); the leading between lines of one paragraph is a fraction of that.
    blank_line_share: float = 0.75
    # The gutter is sought between these shares of the page width (columns meet mid-page).
    gutter_band: tuple[float, float] = (0.35, 0.65)
    # Narrower empty strips are word spaces that line up by chance.
    min_gutter_width: float = 6.0
    # Share of a block's lines that must not cross the gutter (the rest are full-width
    # headings and the like).
    min_gutter_share: float = 0.8
    # A block needs this many lines (and as many clear of the gutter) to be read as two
    # columns; fewer (a running header with a left and a right part, a signature row)
    # stays whole.
    min_column_block_lines: int = 3
    # A ruled "table" smaller than this (rows, columns) is a frame around prose, not a table.
    min_table_rows: int = 2
    min_table_cols: int = 2
    # Pages with fewer straight ruling segments than this cannot hold a ruled table (a
    # 2 x 2 table has 6); the table finder is not run on them.
    table_min_edges: int = 6
    # Characters further apart than this (or on another line, or in another weight) start a
    # new word; pdfplumber's default x_tolerance.
    word_gap: float = 3.0
    # Font weight from which a character counts as bold (400 regular, 700 bold).
    bold_weight: int = 600
    # Where the words come from: "pdfium" (fast) or "pdfplumber".
    engine: str = "pdfium"


DEFAULT_SETTINGS = PdfReadSettings()


def read_pdf_pages(
    path: Path, settings: Optional[PdfReadSettings] = None
) -> tuple[list[Page], str | None]:
    """Read a PDF into pages (1-based numbers) and return the PDF's metadata Title (or None)."""
    settings = settings or DEFAULT_SETTINGS
    if settings.engine == "pdfplumber":
        return _read_with_pdfplumber(path, settings)
    pages: list[Page] = []
    document = pdfium.PdfDocument(path)
    try:
        title = _metadata_title(document.get_metadata_dict())
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                width, height = page.get_size()
                words = _pdfium_words(textpage, height, settings)
                edges = _pdfium_edges(page, height)
                tables, boxes = _tables_from_edges(edges, words, index + 1, settings) if len(edges) >= settings.table_min_edges else ([], [])
                pages.append(_page(words, tables, boxes, index + 1, 0.0, width, settings))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return pages, title


def _read_with_pdfplumber(path: Path, settings: PdfReadSettings) -> tuple[list[Page], str | None]:
    pages: list[Page] = []
    with pdfplumber.open(path) as pdf:
        title = _metadata_title(pdf.metadata)
        for number, pdf_page in enumerate(pdf.pages, start=1):
            try:
                # fontname/size split a word where the font changes, so boldness is per word
                words = pdf_page.extract_words(extra_attrs=["fontname", "size"])
                tables, boxes = _find_tables(pdf_page, number, settings)
                pages.append(_page(words, tables, boxes, number, float(pdf_page.bbox[0]), float(pdf_page.width), settings))
            finally:
                pdf_page.close()  # drops cached chars/objects so memory stays flat
    return pages, title


# --------------------------------------------------------------------------- one page


_SUPERSCRIPTS = dict(zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _is_raised(top: float, bottom: float, word_top: float, word_bottom: float) -> bool:
    """A character smaller than the word it follows and standing above its baseline."""
    size = word_bottom - word_top
    return size > 0 and bottom - top < 0.8 * size and bottom < word_bottom - 0.25 * size


def _lean(function: Any) -> Any:
    """A pdfium function called without ctypes' argument conversion (a third of the cost of
    pypdfium2's binding): arguments are a ``c_void_p`` handle, ints and ``byref`` structs, the
    result an int."""
    prototype: Any = ctypes.CFUNCTYPE(ctypes.c_int)
    lean = prototype(ctypes.cast(function, ctypes.c_void_p).value)
    lean.argtypes = None
    return lean


_IS_GENERATED = _lean(pdfium_raw.FPDFText_IsGenerated)
_FONT_WEIGHT = _lean(pdfium_raw.FPDFText_GetFontWeight)
_LOOSE_CHAR_BOX = _lean(pdfium_raw.FPDFText_GetLooseCharBox)
_COUNT_RECTS = _lean(pdfium_raw.FPDFText_CountRects)
_RECT = struct.Struct("4f")  # FS_RECTF: left, top, right, bottom


def _pdfium_words(textpage: Any, height: float, settings: PdfReadSettings) -> list[Word]:
    """Characters with their (font-based) boxes grouped into words, in pdfplumber's shape.

    The page's text comes in one call. When it has one character per character of the page,
    pdfium's generated characters (the spaces and line breaks it inserts) are whitespace in
    it, so a word never spans whitespace and each run of non-whitespace is read on its own:
    most in a few calls (:meth:`_PdfiumChars.run_word`), the rest character by character.
    Otherwise the whole page is read character by character, asking which characters are
    generated.
    """
    text = textpage.get_text_range()
    n_chars = textpage.count_chars()
    page = _PdfiumChars(textpage, text, height, settings)
    if len(text) != n_chars:
        return page.words(text[:n_chars], 0, ask_generated=True)
    words: list[Word] = []
    run_word = page.run_word
    for run in _NON_WHITESPACE.finditer(text):
        word = run_word(run.group(), run.start())
        if word is not None:
            words.append(word)
        else:
            words.extend(page.words(run.group(), run.start(), ask_generated=False))
    return words


_NON_WHITESPACE = re.compile(r"\S+")  # \s is str.isspace
_HYPHEN_MARKER = re.compile("[" + "".join(_PDFIUM_HYPHENS) + "]")
# An f that may start a ligature (ff, fi, fl, ffi, ffl): pdfium gives each letter of a
# ligature the ligature's whole box, so the next letter can stand far left of the f's end.
_LIGATURE_F = re.compile("f(?=[fil])")


class _PdfiumChars:
    """The characters of one pdfium text page read into words (boxes top-down)."""

    def __init__(self, textpage: Any, text: str, height: float, settings: PdfReadSettings) -> None:
        self.raw = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
        self.height = height
        self.bold_weight, self.tolerance, self.gap = settings.bold_weight, settings.line_tolerance, settings.word_gap
        self.box = pdfium_raw.FS_RECTF()  # one box read into, by reference
        self.box_ref = ctypes.byref(self.box)
        self.hyphen_markers = not _PDFIUM_HYPHENS.isdisjoint(text)
        self.last_run: Optional[tuple[int, str]] = None  # start and font of the last run read whole

    def run_word(self, chars: str, start: int) -> Optional[Word]:
        """A run of non-whitespace characters (the page's from ``start`` on) read as one word
        from its first, second and last character; None when that could differ from reading
        it character by character.

        It is one word when all its characters come from one pdfium text object (one font, so
        one weight; one size and baseline, so one line and no raised digit) laid out left to
        right without a gap: pdfium puts a space where a text object jumps right (its kerning
        gaps), and a character spacing would show between the first two characters. A run in
        the text object of the last run read this way (most words of a line) takes its weight
        and spacing check from that run and needs no second character. The letter after an f
        that may start a ligature is checked too; a hyphen marker is read character by
        character.
        """
        raw, box, box_ref, unpack = self.raw, self.box, self.box_ref, _RECT.unpack_from
        length = len(chars)
        if length == 1:
            _LOOSE_CHAR_BOX(raw, start, box_ref)
            x0, top, x1, bottom = unpack(box)
            font = "Bold" if _FONT_WEIGHT(raw, start) >= self.bold_weight else "Regular"
            return {"text": "-" if chars in _PDFIUM_HYPHENS else chars, "x0": x0, "x1": x1,
                    "top": self.height - top, "bottom": self.height - bottom, "fontname": font}
        if self.hyphen_markers and _HYPHEN_MARKER.search(chars):
            return None
        end, last_run = start + length - 1, self.last_run
        # pdfium's rectangles of a range of characters: one per text object
        if last_run is not None and _COUNT_RECTS(raw, last_run[0], end + 1 - last_run[0]) == 1:
            object_font: Optional[str] = last_run[1]
        elif _COUNT_RECTS(raw, start, length) == 1:
            object_font = None
        else:
            return None
        _LOOSE_CHAR_BOX(raw, start, box_ref)
        x0, top, first_right, bottom = unpack(box)
        if object_font is None:
            _LOOSE_CHAR_BOX(raw, start + 1, box_ref)
            if not -self.gap <= box.left - first_right <= self.gap:
                return None
        if "f" in chars:
            for ligature in _LIGATURE_F.finditer(chars):
                _LOOSE_CHAR_BOX(raw, start + ligature.start(), box_ref)
                f_right = box.right
                _LOOSE_CHAR_BOX(raw, start + ligature.start() + 1, box_ref)
                if not -self.gap <= box.left - f_right <= self.gap:
                    return None
        _LOOSE_CHAR_BOX(raw, end, box_ref)
        _, last_top, x1, _ = unpack(box)
        if x1 < first_right or abs(last_top - top) > self.tolerance:
            return None
        font = object_font or ("Bold" if _FONT_WEIGHT(raw, start) >= self.bold_weight else "Regular")
        self.last_run = (start, font)
        return {"text": chars, "x0": x0, "x1": x1, "top": self.height - top, "bottom": self.height - bottom, "fontname": font}

    def words(self, text: str, offset: int, ask_generated: bool) -> list[Word]:
        """The words of ``text``, the page's characters from ``offset`` on, read one by one.

        A character continues the current word when it is close to its right end, in the same
        weight on the same line, or when it is a raised digit (a footnote mark)."""
        raw, box, box_ref, unpack, height = self.raw, self.box, self.box_ref, _RECT.unpack_from, self.height
        bold_weight, tolerance, gap = self.bold_weight, self.tolerance, self.gap
        words: list[Word] = []
        # the word being read: its characters (none: between words), box and font
        chars: list[str] = []
        x0 = x1 = word_top = word_bottom = 0.0
        word_font = ""
        for index, char in enumerate(text, offset):
            if char in _PDFIUM_HYPHENS:  # pdfium reports a hyphen at a line end as U+FFFE (its soft-hyphen marker)
                char = "-"
            if char.isspace() or (ask_generated and _IS_GENERATED(raw, index) == 1):
                if chars:
                    words.append({"text": "".join(chars), "x0": x0, "x1": x1, "top": word_top, "bottom": word_bottom, "fontname": word_font})
                    chars = []
                continue
            _LOOSE_CHAR_BOX(raw, index, box_ref)
            left, top, right, bottom = unpack(box)
            y_top, y_bottom = height - top, height - bottom
            font = "Bold" if _FONT_WEIGHT(raw, index) >= bold_weight else "Regular"
            if chars and -gap <= left - x1 <= gap:
                if char.isdigit() and _is_raised(y_top, y_bottom, word_top, word_bottom):
                    # a footnote mark ("A2²", "aftoppingsgrens¹"): kept as a superscript digit,
                    # never part of a number or code
                    chars.append(_SUPERSCRIPTS[char])
                    x1 = max(x1, right)
                    continue
                if word_font == font and abs(word_top - y_top) <= tolerance:
                    chars.append(char)
                    x1 = max(x1, right)
                    continue
            if chars:
                words.append({"text": "".join(chars), "x0": x0, "x1": x1, "top": word_top, "bottom": word_bottom, "fontname": word_font})
            chars = [char]
            x0, x1, word_top, word_bottom, word_font = left, right, y_top, y_bottom, font
        if chars:
            words.append({"text": "".join(chars), "x0": x0, "x1": x1, "top": word_top, "bottom": word_bottom, "fontname": word_font})
        return words


def _top(line: list[Word]) -> float:
    return float(min([w["top"] for w in line]))


def _bottom(line: list[Word]) -> float:
    return float(max([w["bottom"] for w in line]))


def _page(
    words: list[Word],
    tables: list[Table],
    boxes: list[tuple[float, float, float, float]],
    number: int,
    left: float,
    width: float,
    settings: PdfReadSettings,
) -> Page:
    # raw_text is laid out the same way, table words included, so every prose line is
    # also a line of raw_text
    raw_lines = _layout(words, left, width, settings)
    raw_texts = [_line_text(line, settings) for line in raw_lines]
    if boxes:
        lines = _layout([w for w in words if not any(_inside(w, box) for box in boxes)], left, width, settings)
        texts = [_line_text(line, settings) for line in lines]
    else:
        lines, texts = raw_lines, raw_texts
    tops, bottoms = [_top(line) for line in lines], [_bottom(line) for line in lines]
    return Page(
        number=number,
        raw_text="\n".join(raw_texts),
        lines=[
            Line(
                text=texts[k],
                page=number,
                bold=_is_bold(line),
                top=tops[k],
                after_blank=k > 0 and tops[k] - bottoms[k - 1] > settings.blank_line_share * (bottoms[k] - tops[k]),
            )
            for k, line in enumerate(lines)
        ],
        tables=tables,
        furniture=[],
    )


def _pdfium_edges(page: Any, height: float) -> list[Word]:
    """Horizontal and vertical segments of the page's vector paths, as pdfplumber edges
    (top-down coordinates). Curves are skipped: ruled tables are drawn with straight lines."""
    edges: list[Word] = []
    identity: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    objects = [(pdfium_raw.FPDFPage_GetObject(page.raw, i), identity) for i in range(pdfium_raw.FPDFPage_CountObjects(page.raw))]
    while objects:
        obj, parent = objects.pop()
        kind = pdfium_raw.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_raw.FPDF_PAGEOBJ_PATH, pdfium_raw.FPDF_PAGEOBJ_FORM):
            continue
        matrix = pdfium_raw.FS_MATRIX()
        if not pdfium_raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
            continue
        own = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), parent)
        if kind == pdfium_raw.FPDF_PAGEOBJ_FORM:
            objects.extend((pdfium_raw.FPDFFormObj_GetObject(obj, i), own) for i in range(pdfium_raw.FPDFFormObj_CountObjects(obj)))
            continue
        edges.extend(_path_edges(obj, own, height))
    return edges


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The PDF matrix applying ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_edges(path: Any, matrix: tuple[float, ...], height: float) -> list[Word]:
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[Word] = []
    start = previous = None
    for i in range(pdfium_raw.FPDFPath_CountSegments(path)):
        segment = pdfium_raw.FPDFPath_GetPathSegment(path, i)
        pdfium_raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        kind = pdfium_raw.FPDFPathSegment_GetType(segment)
        if kind == pdfium_raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_raw.FPDF_SEGMENT_LINETO and previous is not None:
            edges.extend(_edge(previous, point))
        if pdfium_raw.FPDFPathSegment_GetClose(segment) and start is not None:
            edges.extend(_edge(point, start))
        previous = point
    return edges


def _edge(p0: tuple[float, float], p1: tuple[float, float]) -> list[Word]:
    (x0, y0), (x1, y1) = p0, p1
    if abs(y0 - y1) < 0.01:
        orientation = "h"
    elif abs(x0 - x1) < 0.01:
        orientation = "v"
    else:
        return []  # a slanted line rules no table
    left, right, top, bottom = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    return [{"x0": left, "x1": right, "top": top, "bottom": bottom, "width": right - left, "height": bottom - top,
             "orientation": orientation, "object_type": "line"}]


def _tables_from_edges(
    edges: list[Word], words: list[Word], number: int, settings: PdfReadSettings
) -> tuple[list[Table], list[tuple[float, float, float, float]]]:
    """pdfplumber's table finder (its default "lines" strategy) on pdfium's ruling lines;
    a cell's text is the words whose centre lies in it, in reading order."""
    ts = TableSettings.resolve(None)
    edges = filter_edges(edges, min_length=ts.edge_min_length_prefilter)
    edges = merge_edges(edges, ts.snap_x_tolerance, ts.snap_y_tolerance, ts.join_x_tolerance, ts.join_y_tolerance)
    edges = filter_edges(edges, min_length=ts.edge_min_length)
    cells = intersections_to_cells(edges_to_intersections(edges, ts.intersection_x_tolerance, ts.intersection_y_tolerance))
    found = [PlumberTable(None, group) for group in cells_to_tables(cells)]  # type: ignore[arg-type]  # no page: we never crop
    return _keep_tables(found, lambda cell: _cell_words_text([w for w in words if _inside(w, cell)], settings), number, settings)


def _cell_words_text(words: list[Word], settings: PdfReadSettings) -> str:
    ordered = sorted(words, key=lambda w: (w["top"], w["x0"]))
    lines: list[list[Word]] = []
    for word in ordered:
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= settings.line_tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return " ".join(w["text"] for line in lines for w in sorted(line, key=lambda w: w["x0"]))


def _find_tables(
    page: Any, number: int, settings: PdfReadSettings
) -> tuple[list[Table], list[tuple[float, float, float, float]]]:
    """pdfplumber's own tables of a pdfplumber page (the ``pdfplumber`` engine)."""
    found = page.find_tables()
    texts = {}
    for table in found:
        for row, values in zip(table.rows, table.extract()):
            texts.update({cell: _cell_text(value) for cell, value in zip(row.cells, values) if cell})
    return _keep_tables(found, texts.__getitem__, number, settings)


def _keep_tables(
    found: list[Any], cell_text: Any, number: int, settings: PdfReadSettings
) -> tuple[list[Table], list[tuple[float, float, float, float]]]:
    """Tables with their rows of cell texts; ruled frames too small to be a table are dropped."""
    tables, boxes = [], []
    for table in found:
        rows = [[cell_text(cell) if cell else "" for cell in row.cells] for row in table.rows]
        columns = max((len(row) for row in rows), default=0)
        if len(rows) < settings.min_table_rows or columns < settings.min_table_cols:
            continue
        tables.append(Table(page=number, rows=rows, top=float(table.bbox[1])))
        boxes.append(tuple(table.bbox))
    return tables, boxes


def _cell_text(cell: Optional[str]) -> str:
    if not cell:
        return ""
    return " ".join(part.strip() for part in cell.splitlines() if part.strip())


def _inside(word: Word, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _metadata_title(metadata: dict[str, Any]) -> str | None:
    title = metadata.get("Title") if metadata else None
    if isinstance(title, bytes):
        title = title.decode("utf-8", errors="replace")
    if not isinstance(title, str):
        return None
    title = " ".join(title.replace("\x00", "").split())
    return title or None


# --------------------------------------------------------------------------- layout


def _layout(
    words: list[Word], page_left: float, page_width: float, settings: PdfReadSettings
) -> list[list[Word]]:
    """Words → lines (each a list of words in x order), in reading order."""
    if not words:
        return []
    ordered: list[list[Word]] = []
    for block in _blocks(words, settings):
        rows = _group_lines(block, settings)
        gutter = _find_gutter(rows, page_left, page_width, settings)
        if gutter is None:
            ordered.extend(rows)
        else:
            ordered.extend(_read_columns(rows, gutter, settings))
    return ordered


def _blocks(words: list[Word], settings: PdfReadSettings) -> list[list[Word]]:
    """Cut the page at horizontal bands of whitespace taller than ``block_gap_lines``."""
    heights = [w["bottom"] - w["top"] for w in words if w["bottom"] > w["top"]]
    line_height = statistics.median(heights) if heights else 10.0
    min_gap = settings.block_gap_lines * line_height
    blocks: list[list[Word]] = []
    reach = -math.inf  # lowest bottom seen so far
    for word in sorted(words, key=_TOP_X0):
        if not blocks or word["top"] - reach >= min_gap:
            blocks.append([])
        blocks[-1].append(word)
        if word["bottom"] > reach:
            reach = word["bottom"]
    return blocks


def _group_lines(words: Iterable[Word], settings: PdfReadSettings) -> list[list[Word]]:
    """Group words into lines by vertical position; lines top to bottom, words left to right."""
    tol = settings.line_tolerance
    lines: list[tuple[float, float, list[Word]]] = []  # (top, bottom) of the line's first word
    for word in sorted(words, key=_TOP_X0):
        word_top, word_bottom = word["top"], word["bottom"]
        if lines:  # most words continue the last line: tried first without a slice
            top, bottom, members = lines[-1]
            if abs(word_top - top) <= tol or abs(word_bottom - bottom) <= tol:
                members.append(word)
                continue
        for top, bottom, members in reversed(lines[-3:-1]):
            if abs(word_top - top) <= tol or abs(word_bottom - bottom) <= tol:
                members.append(word)
                break
        else:
            lines.append((word_top, word_bottom, [word]))
    return [sorted(members, key=_X0) for _, _, members in lines]


_TOP_X0, _X0 = operator.itemgetter("top", "x0"), operator.itemgetter("x0")


def _find_gutter(
    rows: list[list[Word]], page_left: float, page_width: float, settings: PdfReadSettings
) -> Optional[tuple[float, float]]:
    """The x-range of a column gutter in this block, or None when it is one column."""
    if len(rows) < settings.min_column_block_lines:
        return None
    lo = math.floor(page_left + settings.gutter_band[0] * page_width)
    hi = math.ceil(page_left + settings.gutter_band[1] * page_width)
    if hi - lo < settings.min_gutter_width:
        return None
    # crossings[i]: how many rows have a word covering x = lo + i + 0.5 (1 pt cells), summed
    # from where each row's covered runs start and end
    changes = [0] * (hi - lo + 1)
    for row in rows:  # words left to right (_group_lines)
        reach = 0  # the row's cells below this are counted
        for word in row:
            end = math.ceil(word["x1"] - lo - 0.5)
            if end <= reach:  # left of the band or of cells already counted
                continue
            start = max(math.ceil(word["x0"] - lo - 0.5), reach)
            end = min(end, hi - lo)
            if end > start:
                changes[start] += 1
                changes[end] -= 1
                reach = end
    crossings = list(itertools.accumulate(changes[:-1]))
    # Runs of equal crossing count; a gutter is a "valley": a run with more crossings on
    # both sides, i.e. bounded by column text. An empty run reaching the band's edge is an
    # open space (keys and values, a short left-aligned text), not a gutter.
    runs: list[tuple[int, int, int]] = []  # (count, first cell, end cell)
    i = 0
    for count, cells in itertools.groupby(crossings):
        j = i + len(list(cells))
        runs.append((count, i, j))
        i = j
    valleys = [
        run
        for k, run in enumerate(runs)
        if 0 < k < len(runs) - 1
        and runs[k - 1][0] > run[0] < runs[k + 1][0]
        and run[2] - run[1] >= settings.min_gutter_width
    ]
    if not valleys:
        return None
    _, start, end = min(valleys, key=lambda run: (run[0], run[1] - run[2]))  # fewest, widest
    gutter = (lo + start, lo + end)
    clear = [row for row in rows if not _crosses(row, gutter)]
    if len(clear) < settings.min_gutter_share * len(rows):
        return None
    if len(clear) < settings.min_column_block_lines:
        return None
    has_left = any(w["x1"] <= gutter[0] + 0.5 for row in clear for w in row)
    has_right = any(w["x0"] >= gutter[1] - 0.5 for row in clear for w in row)
    return gutter if has_left and has_right else None


def _crosses(row: list[Word], gutter: tuple[float, float]) -> bool:
    g0, g1 = gutter
    return any(w["x1"] > g0 + 0.5 and w["x0"] < g1 - 0.5 for w in row)


def _read_columns(
    rows: list[list[Word]], gutter: tuple[float, float], settings: PdfReadSettings
) -> list[list[Word]]:
    """Two-column block → rows crossing the gutter in place, runs between them left then right."""
    middle = (gutter[0] + gutter[1]) / 2
    ordered: list[list[Word]] = []
    run: list[Word] = []

    def flush() -> None:
        left = [w for w in run if (w["x0"] + w["x1"]) / 2 < middle]
        right = [w for w in run if (w["x0"] + w["x1"]) / 2 >= middle]
        ordered.extend(_group_lines(left, settings))
        ordered.extend(_group_lines(right, settings))
        run.clear()

    for row in rows:
        if _crosses(row, gutter):
            flush()
            ordered.append(row)
        else:
            run.extend(row)
    flush()
    return ordered


# --------------------------------------------------------------------------- lines


def _line_text(words: list[Word], settings: PdfReadSettings) -> str:
    if not words:
        return ""
    join_gap, hyphen_gap, last = settings.join_gap, settings.hyphen_gap, len(words) - 1
    parts = [words[0]["text"]]
    for index in range(1, len(words)):
        word, text = words[index], words[index]["text"]
        gap = word["x0"] - words[index - 1]["x1"]
        line_end_hyphen = text == "-" and index == last and gap < hyphen_gap
        if gap >= join_gap and not line_end_hyphen:
            parts.append(" ")
        parts.append(text)
    return "".join(parts)


def _is_bold(words: list[Word]) -> bool:
    return bool(words) and all("bold" in str(w.get("fontname", "")).lower() for w in words)
