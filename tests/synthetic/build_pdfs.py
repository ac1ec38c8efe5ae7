#!/usr/bin/env python3
"""Build the synthetic integration-test documents in this folder from ``sources/<doc>.src``.

For every source it writes, next to this script:

- ``<doc>.txt``  the document text, one page per form feed, one line per laid-out line;
- ``<doc>.pdf``  the same words laid out as a real A4 PDF (running header, footer with page
  numbers, ruled tables with a repeated header row where a table breaks, footnotes at the foot
  of the page, side-by-side signature columns);
- ``<doc>.json`` the gold (tests/devset/FORMAT.md), assembled from the ``!gold`` block and the
  ``G:`` annotation written by hand in the source above each afspraak. Only bookkeeping is
  derived here: ``first_words`` (first 8 words of the afspraak's text), ``section_path`` (the
  headings above it), ``page`` (where the layout put it) and the theme of the heading it sits
  under. The gold never comes from the project's pipeline.

The generated files are committed; CI does not rebuild them. To rebuild (fpdf2 is not a project
dependency; use a throwaway venv):

    python3 -m venv /tmp/synth && /tmp/synth/bin/pip install fpdf2 pypdf
    /tmp/synth/bin/python tests/synthetic/build_pdfs.py            # build all, then check
    /tmp/synth/bin/python tests/synthetic/build_pdfs.py --check    # only compare PDF and .txt words

Source format (one directive per line; ``%%`` starts a comment line)::

    !set KEY VALUE          header, footer ({page}, {pages}), header_from, bullet, labelw, labelbold
    !gold ... !endgold      document-level gold as JSON (parties carry a short "key" for G: lines)
    !page / !space MM       page break / vertical space
    T: / ST:                title / subtitle
    H1[theme]: / H2: / H3:  headings (they make section_path; [theme] sets the theme below it)
    P: / PB:                paragraph / bold paragraph (PB is not a heading)
    I1: LABEL | TEXT        numbered item with a hanging label (I2: one level deeper);
                            ^{3} in a label or footnote mark is a raised small digit in the PDF
    B1: TEXT                bullet item (bullet character from !set bullet)
    F: LABEL | TEXT         labelled field line ("Wie:", "Planning:")
    TOC: TEXT | PAGE        table-of-contents line with a dot leader
    C: A || B || C          one line of side-by-side columns (signature blocks)
    TBL: W1,W2,...          ruled table (column widths in mm); TH: header row, TR: row
                            (cells split on " | "), ENDTBL
    FN: MARK | TEXT         footnote at the foot of the current page
    G: {json}               gold for the next P/PB/I/B/TR: n (number), r (party keys or groups),
                            c (commitment), d ([[text, date, recurrence]]), t ([[text,
                            comparator, value, value_max, unit, label, per]]), th (theme), col
                            (the table column holding the afspraak text, default 1)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PUA_BULLET = "\uf0b7"  # the bullet of Word's Symbol font, as text extraction reports it

# Page geometry (mm).
LEFT, RIGHT, TOP, BOTTOM = 25.0, 190.0, 26.0, 268.0
WIDTH = RIGHT - LEFT
HEADER_Y, FOOTER_Y, FOOTNOTE_TOP = 12.0, 282.0, 262.0

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# A footnote mark counts as a word of its own: pdftotext splits a raised small digit off its code.
FROM_SUPERSCRIPTS = {ord(c): f" {n}" for n, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}
THEMES = {"betaalbaarheid", "beschikbaarheid", "duurzaamheid", "wonen_en_zorg", "leefbaarheid",
          "bijzondere_doelgroepen", "samenwerking"}
COMMITMENTS = {"resultaat", "inspanning", "onderzoek", "afstemming"}
FIRST_WORDS = 8


@dataclass
class Block:
    kind: str
    args: dict
    gold: dict | None = None


@dataclass
class Source:
    name: str
    settings: dict = field(default_factory=dict)
    gold: dict = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


def parse_source(path: Path) -> Source:
    src = Source(name=path.stem)
    lines = path.read_text(encoding="utf-8").splitlines()
    pending_gold: dict | None = None
    i = 0

    def add(kind: str, **args: object) -> None:
        nonlocal pending_gold
        src.blocks.append(Block(kind, dict(args), pending_gold))
        pending_gold = None

    while i < len(lines):
        raw = lines[i].rstrip()
        i += 1
        line = raw.strip()
        if not line or line.startswith("%%"):
            continue
        if line == "!gold":
            body = []
            while lines[i].strip() != "!endgold":
                body.append(lines[i])
                i += 1
            i += 1
            src.gold = json.loads("\n".join(body))
            continue
        if line.startswith("!set "):
            key, _, value = line[5:].partition(" ")
            src.settings[key] = value.replace("\\uf0b7", PUA_BULLET)
            continue
        if line == "!page":
            add("page")
            continue
        if line.startswith("!space "):
            add("space", mm=float(line[7:]))
            continue
        if line.startswith("G:"):
            pending_gold = json.loads(line[2:])
            continue
        m = re.match(r"^(T|ST|P|PB|H1|H2|H3|I1|I2|B1|B2|F|TOC|C|TBL|TH|TR|FN)(?:\[(\w+)\])?:\s?(.*)$", line)
        if m:
            kind, theme, rest = m.groups()
            if kind in ("H1", "H2", "H3"):
                add("heading", level=int(kind[1]), text=rest, theme=theme)
            elif kind in ("I1", "I2"):
                label, _, text = rest.partition(" | ")
                add("item", level=int(kind[1]), label=label, text=text)
            elif kind in ("B1", "B2"):
                add("bullet", level=int(kind[1]), text=rest)
            elif kind == "F":
                label, _, text = rest.partition(" | ")
                add("field", label=label, text=text)
            elif kind == "TOC":
                text, _, page = rest.rpartition(" | ")
                add("toc", text=text, page=page)
            elif kind == "C":
                add("columns", cells=[c.strip() for c in rest.split("||")])
            elif kind == "TBL":
                add("table", widths=[float(w) for w in rest.split(",")], header=None, rows=[])
            elif kind in ("TH", "TR"):
                table = next(b for b in reversed(src.blocks) if b.kind == "table")
                cells = [c.strip() for c in rest.split(" | ")]
                if len(cells) != len(table.args["widths"]):
                    raise SystemExit(f"{path.name}:{i}: {len(cells)} cells for {len(table.args['widths'])} columns")
                if kind == "TH":
                    table.args["header"] = cells
                else:
                    table.args["rows"].append((cells, pending_gold))
                    pending_gold = None
            elif kind == "FN":
                mark, _, text = rest.partition(" | ")
                add("footnote", mark=mark, text=text)
            else:
                add(kind.lower(), text=rest)
            continue
        if line == "ENDTBL":
            continue
        raise SystemExit(f"{path.name}:{i}: cannot parse: {raw}")
    if pending_gold is not None:
        raise SystemExit(f"{path.name}: a G: line has no block after it")
    return src


def label_segments(label: str) -> list[tuple[str, bool]]:
    """'B1^{3}' -> [('B1', False), ('3', True)]: the True parts are raised small digits."""
    parts = re.split(r"\^\{(.+?)\}", label)
    return [(p, n % 2 == 1) for n, p in enumerate(parts) if p]


def label_text(label: str) -> str:
    return "".join(p.translate(SUPERSCRIPTS) if sup else p for p, sup in label_segments(label))


def patched_font(tmp: Path) -> Path:
    """DejaVu Sans with U+F0B7 mapped to its bullet glyph, as Word's Symbol bullet is extracted."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_DIR / "DejaVuSans.ttf"), recalcTimestamp=False)
    bullet = font.getBestCmap()[0x2022]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0xF0B7] = bullet
    out = tmp / "DejaVuSans-pua.ttf"
    font.save(str(out))
    return out


class Layout:
    def __init__(self, src: Source, font: Path, total_pages: int | None):
        from fpdf import FPDF

        self.src = src
        self.total = total_pages
        self.pdf = FPDF(unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.set_creation_date(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
        self.pdf.set_title(src.gold.get("title") or src.name)
        self.pdf.set_creator("tests/synthetic/build_pdfs.py")
        self.pdf.add_font("dv", "", str(font))
        self.pdf.add_font("dv", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.page = 0
        self.pages: list[list[str]] = []
        self.body: list[str] = []
        self.footnotes: list[tuple[str, str]] = []
        self.y = TOP
        self.max_y = TOP
        self.headings: dict[int, tuple[str, str | None]] = {}
        self.afspraken: list[dict] = []
        s = src.settings
        self.bullet = s.get("bullet", "•")
        self.labelw = float(s.get("labelw", "10"))
        self.labelbold = s.get("labelbold", "0") == "1"
        self.header = s.get("header")
        self.header_from = int(s.get("header_from", "2"))
        self.footer = s.get("footer")

    # -- pages ---------------------------------------------------------------------------
    def new_page(self) -> None:
        if self.page:
            self.finish_page()
        self.pdf.add_page()
        self.page += 1
        self.body, self.footnotes = [], []
        self.y = self.max_y = TOP

    def finish_page(self) -> None:
        pdf, lines = self.pdf, []
        if self.header and self.page >= self.header_from:
            pdf.set_font("dv", "", 8)
            pdf.set_text_color(90, 90, 90)
            pdf.set_xy(LEFT, HEADER_Y)
            pdf.cell(WIDTH, 4, self.header, align="R")
            pdf.set_draw_color(150, 150, 150)
            pdf.line(LEFT, HEADER_Y + 5, RIGHT, HEADER_Y + 5)
            pdf.set_text_color(0, 0, 0)
            lines.append(self.header)
        lines += self.body
        if self.footnotes:
            fy = FOOTNOTE_TOP - 4.2 * sum(len(self.wrap(t, WIDTH - 6, 8)) for _, t in self.footnotes)
            if self.max_y > fy - 2:
                raise SystemExit(f"{self.src.name}: page {self.page}: body runs into the footnotes")
            pdf.set_draw_color(0, 0, 0)
            pdf.line(LEFT, fy - 1.5, LEFT + 40, fy - 1.5)
            for mark, text in self.footnotes:
                wrapped = self.wrap(text, WIDTH - 6, 8)
                self.draw_label(mark, LEFT, fy, 8, "", 4.2)
                for n, part in enumerate(wrapped):
                    pdf.set_font("dv", "", 8)
                    pdf.set_xy(LEFT + 4, fy)
                    pdf.cell(WIDTH - 6, 4.2, part)
                    lines.append((label_text(mark) + " " + part) if n == 0 else part)
                    fy += 4.2
        if self.footer:
            text = self.footer.format(page=self.page, pages=self.total or 0)
            pdf.set_font("dv", "", 8)
            pdf.set_xy(LEFT, FOOTER_Y)
            pdf.cell(WIDTH, 4, text, align="C")
            lines.append(text)
        self.pages.append(lines)

    def need(self, h: float) -> None:
        if self.y + h > BOTTOM:
            self.new_page()

    def advance(self, h: float) -> None:
        self.y += h
        self.max_y = max(self.max_y, self.y)

    # -- text ----------------------------------------------------------------------------
    def wrap(self, text: str, width: float, size: float, style: str = "") -> list[str]:
        self.pdf.set_font("dv", style, size)
        lines, cur = [], ""
        for word in text.split():
            cand = f"{cur} {word}" if cur else word
            if cur and self.pdf.get_string_width(cand) > width:
                lines.append(cur)
                cur = word
            else:
                cur = cand
        if cur:
            lines.append(cur)
        return lines or [""]

    def draw_label(self, label: str, x: float, y: float, size: float, style: str, lh: float) -> None:
        pdf = self.pdf
        for part, sup in label_segments(label):
            if sup:
                pdf.set_font("dv", "", size * 0.62)
                pdf.set_xy(x, y - size * 0.12)
            else:
                pdf.set_font("dv", style, size)
                pdf.set_xy(x, y)
            w = pdf.get_string_width(part)
            pdf.cell(w, lh, part)
            x += w

    def text_lines(self, text: str, x: float, size: float, lh: float, style: str = "",
                   first_prefix: str = "", label: str | None = None, label_style: str = "") -> None:
        """Wrap text into [x, RIGHT]; a label (if any) sits at LEFT of x on the first line."""
        wrapped = self.wrap(text, RIGHT - x, size, style)
        for n, part in enumerate(wrapped):
            self.need(lh)
            if n == 0:
                self.mark_afspraak()
            if n == 0 and label is not None:
                self.draw_label(label, x - self.cur_labelw, self.y, size, label_style, lh)
            self.pdf.set_font("dv", style, size)
            self.pdf.set_xy(x, self.y)
            self.pdf.cell(RIGHT - x, lh, part)
            self.body.append(f"{first_prefix}{part}" if n == 0 else part)
            self.advance(lh)

    # -- gold bookkeeping ----------------------------------------------------------------
    def start_afspraak(self, gold: dict | None, text: str) -> None:
        self.pending = (gold, text) if gold is not None else None

    def mark_afspraak(self) -> None:
        pending = getattr(self, "pending", None)
        if not pending:
            return
        gold, text = pending
        self.pending = None
        path = [self.headings[k][0] for k in sorted(self.headings)]
        theme = gold.get("th")
        if theme is None:
            themes = [self.headings[k][1] for k in sorted(self.headings) if self.headings[k][1]]
            theme = themes[-1] if themes else None
        self.afspraken.append({"gold": gold, "text": text, "page": self.page, "section_path": path, "theme": theme})

    # -- blocks --------------------------------------------------------------------------
    def render(self) -> None:
        self.new_page()
        for block in self.src.blocks:
            getattr(self, "do_" + block.kind)(block)
        self.finish_page()

    def do_page(self, b: Block) -> None:
        self.new_page()

    def do_space(self, b: Block) -> None:
        self.advance(b.args["mm"])

    def do_t(self, b: Block) -> None:
        self.start_afspraak(b.gold, b.args["text"])
        self.text_lines(b.args["text"], LEFT, 18, 9, "B")
        self.body.append("")
        self.advance(3)

    def do_st(self, b: Block) -> None:
        self.text_lines(b.args["text"], LEFT, 12, 6.5)
        self.body.append("")
        self.advance(3)

    def do_heading(self, b: Block) -> None:
        level = b.args["level"]
        size, lh, before = {1: (13, 7, 4), 2: (11.5, 6, 3), 3: (10.5, 5.5, 2)}[level]
        self.advance(before if self.y > TOP else 0)
        self.need(lh + 24)
        for k in [k for k in self.headings if k >= level]:
            del self.headings[k]
        self.headings[level] = (b.args["text"], b.args["theme"])
        if self.body and self.body[-1] != "":
            self.body.append("")
        self.text_lines(b.args["text"], LEFT, size, lh, "B")
        self.advance(1.5)

    def do_p(self, b: Block, style: str = "") -> None:
        self.start_afspraak(b.gold, b.args["text"])
        self.text_lines(b.args["text"], LEFT, 10, 5, style)
        self.advance(2.5)

    def do_pb(self, b: Block) -> None:
        self.need(20)
        self.do_p(b, "B")

    def do_item(self, b: Block) -> None:
        indent = (b.args["level"] - 1) * self.labelw
        label = b.args["label"]
        self.pdf.set_font("dv", "B" if self.labelbold else "", 10)
        self.cur_labelw = max(self.labelw, self.pdf.get_string_width(label_text(label)) + 3)
        x = LEFT + indent + self.cur_labelw
        self.start_afspraak(b.gold, b.args["text"])
        self.text_lines(b.args["text"], x, 10, 5, first_prefix=label_text(label) + " ", label=label,
                        label_style="B" if self.labelbold else "")
        self.advance(1.5)

    def do_bullet(self, b: Block) -> None:
        indent = 2 + (b.args["level"] - 1) * 8
        self.cur_labelw = 6
        self.start_afspraak(b.gold, b.args["text"])
        self.text_lines(b.args["text"], LEFT + indent + 6, 10, 5, first_prefix=self.bullet + " ",
                        label=self.bullet)
        self.advance(1)

    def do_field(self, b: Block) -> None:
        label = b.args["label"]
        self.pdf.set_font("dv", "B", 10)
        self.cur_labelw = max(22.0, self.pdf.get_string_width(label) + 2)
        self.text_lines(b.args["text"], LEFT + 6 + self.cur_labelw, 10, 5, first_prefix=label + " ",
                        label=label, label_style="B")
        self.advance(0.5)

    def do_toc(self, b: Block) -> None:
        self.need(5.5)
        pdf = self.pdf
        pdf.set_font("dv", "", 10)
        text, page = b.args["text"], b.args["page"]
        room = WIDTH - pdf.get_string_width(f"{text}  {page}")
        dots = "." * max(3, int(room / pdf.get_string_width(".")) - 2)
        line = f"{text} {dots} {page}"
        pdf.set_xy(LEFT, self.y)
        pdf.cell(pdf.get_string_width(f"{text} {dots}"), 5.5, f"{text} {dots}")
        pdf.set_xy(RIGHT - 15, self.y)
        pdf.cell(15, 5.5, page, align="R")
        self.body.append(line)
        self.advance(5.5)

    def do_columns(self, b: Block) -> None:
        cells = b.args["cells"]
        width = WIDTH / len(cells)
        self.need(5)
        self.pdf.set_font("dv", "", 9)
        for n, cell in enumerate(cells):
            if self.pdf.get_string_width(cell) > width - 3:
                raise SystemExit(f"{self.src.name}: column text too wide: {cell!r}")
            if cell:
                self.pdf.set_xy(LEFT + n * width, self.y)
                self.pdf.cell(width, 5, cell)
        self.body.append("    ".join(c for c in cells if c))
        self.advance(5)

    def do_footnote(self, b: Block) -> None:
        self.footnotes.append((b.args["mark"], b.args["text"]))

    def do_table(self, b: Block) -> None:
        widths, header = b.args["widths"], b.args["header"]
        size, lh, pad = 9, 4.3, 1.6
        if abs(sum(widths) - WIDTH) > 0.01:
            raise SystemExit(f"{self.src.name}: table widths sum to {sum(widths)}, not {WIDTH}")

        def row_height(cells: list[str], style: str) -> tuple[float, list[list[str]]]:
            wrapped = [self.wrap(c, w - 2 * pad, size, style) for c, w in zip(cells, widths)]
            return max(len(w) for w in wrapped) * lh + 2 * pad, wrapped

        def draw_row(cells: list[str], style: str) -> None:
            h, wrapped = row_height(cells, style)
            x = LEFT
            pdf = self.pdf
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.3)
            for w, parts in zip(widths, wrapped):
                if style == "B":
                    pdf.set_fill_color(220, 225, 232)
                    pdf.rect(x, self.y, w, h, style="DF")
                else:
                    pdf.rect(x, self.y, w, h)
                pdf.set_font("dv", style, size)
                for n, part in enumerate(parts):
                    pdf.set_xy(x + pad, self.y + pad + n * lh)
                    pdf.cell(w - 2 * pad, lh, part)
                x += w
            self.body.append("\t".join(" ".join(c.split()) for c in cells))
            self.advance(h)

        self.advance(1)
        first = True
        for cells, gold in b.args["rows"]:
            h, _ = row_height(cells, "")
            hh = row_height(header, "B")[0] if header else 0
            if first or self.y + h > BOTTOM:
                if self.y + h + (hh if first else 0) > BOTTOM:
                    self.new_page()
                if header:
                    draw_row(header, "B")
                first = False
            if gold is not None:
                self.start_afspraak(gold, cells[gold.get("col", 1)])
                self.mark_afspraak()
            draw_row(cells, "")
        self.advance(4)
        self.body.append("")


def first_words(text: str) -> str:
    return " ".join(text.split()[:FIRST_WORDS])


def build_gold(src: Source, afspraken: list[dict], pages: int) -> dict:
    meta = src.gold
    parties = meta["parties"]
    keys = {p["key"]: p["name"] for p in parties}
    groups = {k: [keys[x] for x in v] for k, v in meta.get("groups", {}).items()}
    groups["all"] = [p["name"] for p in parties]
    out_afspraken = []
    for a in afspraken:
        g = a["gold"]
        responsible: list[str] = []
        for ref in g["r"]:
            for name in groups.get(ref) or [keys[ref]]:
                if name not in responsible:
                    responsible.append(name)
        order = [p["name"] for p in parties]
        responsible.sort(key=order.index)
        if a["theme"] not in THEMES:
            raise SystemExit(f"{src.name}: afspraak {g.get('n')!r} has theme {a['theme']!r}")
        if g["c"] not in COMMITMENTS:
            raise SystemExit(f"{src.name}: afspraak {g.get('n')!r} has commitment {g['c']!r}")
        targets = []
        for t in g.get("t", []):
            text, comparator, value, value_max, unit, label, per = t
            targets.append({"text": text, "comparator": comparator, "value": value, "value_max": value_max,
                            "unit": unit, "label": label, "per": per})
        deadlines = [{"text": d[0], "date": d[1], "recurrence": d[2]} for d in g.get("d", [])]
        out_afspraken.append({
            "number": g["n"],
            "first_words": first_words(a["text"]),
            "section_path": a["section_path"],
            "page": a["page"],
            "theme": a["theme"],
            "responsible": responsible,
            "deadlines": deadlines,
            "targets": targets,
            "commitment": g["c"],
        })
    gold = {
        "case_id": src.name,
        "doc_id": src.name,
        "synthetic": True,
        "source_file": f"{src.name}.txt",
        "pdf_file": f"{src.name}.pdf",
        "pages": pages,
        "title": meta.get("title"),
        "municipality_of_source": meta["municipalities"][0],
        "scope": ["doc_type", "municipalities", "parties", "signing", "validity", "afspraken"],
        "doc_type": meta["doc_type"],
        "municipalities": meta["municipalities"],
        "parties": [{k: v for k, v in p.items() if k != "key"} for p in parties],
        "signing": meta["signing"],
        "validity": meta["validity"],
    }
    if "validity_alternatives" in meta:
        gold["validity_alternatives"] = meta["validity_alternatives"]
    gold["afspraken"] = out_afspraken
    gold["notes"] = meta.get("notes", [])
    return gold


def build(path: Path, font: Path) -> None:
    src = parse_source(path)
    first = Layout(src, font, None)
    first.render()
    layout = Layout(src, font, first.page)
    layout.render()
    text = "\f".join("\n".join(lines).rstrip("\n") + "\n" for lines in layout.pages)
    (HERE / f"{src.name}.txt").write_text(text, encoding="utf-8")
    layout.pdf.output(str(HERE / f"{src.name}.pdf"))
    gold = build_gold(src, layout.afspraken, layout.page)
    # Every first_words must occur on its page (whitespace normalised).
    pages = text.split("\f")
    for a in gold["afspraken"]:
        page_text = " ".join(pages[a["page"] - 1].split())
        if a["first_words"] not in page_text:
            raise SystemExit(f"{src.name}: first_words {a['first_words']!r} not on page {a['page']}")
        # Target and deadline words come from the afspraak or its labelled lines (same or next page).
        near = " ".join(" ".join(p.split()) for p in pages[a["page"] - 1 : a["page"] + 1])
        for t in a["targets"] + a["deadlines"]:
            if t["text"] not in near:
                raise SystemExit(f"{src.name}: {t['text']!r} (afspraak {a['number']!r}) not near page {a['page']}")
    (HERE / f"{src.name}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{src.name}: {layout.page} pages, {len(gold['afspraken'])} afspraken")


# -- checking ---------------------------------------------------------------------------
WORD = re.compile(r"[^\W_]+(?:[-'’.,/][^\W_]+)*")


def words(text: str) -> Counter[str]:
    text = text.translate(FROM_SUPERSCRIPTS).replace(PUA_BULLET, " ")
    return Counter(w.lower() for w in WORD.findall(text))


def pdf_pages_text(pdf: Path) -> tuple[str, list[str]]:
    """Each page's text: pdftotext where installed, else pypdf."""
    try:
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
        return "pdftotext", out.stdout.rstrip("\f").split("\f")
    except FileNotFoundError:
        from pypdf import PdfReader

        return "pypdf", [page.extract_text() for page in PdfReader(str(pdf)).pages]


def check(name: str) -> bool:
    txt_pages = (HERE / f"{name}.txt").read_text(encoding="utf-8").split("\f")
    tool, pdf_pages = pdf_pages_text(HERE / f"{name}.pdf")
    ok = len(txt_pages) == len(pdf_pages)
    if not ok:
        print(f"{name}: {len(txt_pages)} text pages, {len(pdf_pages)} PDF pages")
    for n, (t, p) in enumerate(zip(txt_pages, pdf_pages), start=1):
        wt, wp = words(t), words(p)
        if wt != wp:
            ok = False
            print(f"{name} p{n} ({tool}): only in txt {dict(wt - wp)}; only in pdf {dict(wp - wt)}")
    if PUA_BULLET in "".join(txt_pages) and PUA_BULLET not in "".join(pdf_pages):
        print(f"{name}: the PDF text lost the U+F0B7 bullets")
        ok = False
    print(f"{name}: PDF and text {'match' if ok else 'DIFFER'} in words ({tool}, {len(pdf_pages)} pages)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="*", help="source names (default: all)")
    parser.add_argument("--check", action="store_true", help="only compare each PDF's words with its .txt")
    args = parser.parse_args()
    names = args.docs or sorted(p.stem for p in SOURCES.glob("*.src"))
    if not args.check:
        with tempfile.TemporaryDirectory() as tmp:
            font = patched_font(Path(tmp))
            for name in names:
                build(SOURCES / f"{name}.src", font)
    return 0 if all([check(name) for name in names]) else 1


if __name__ == "__main__":
    sys.exit(main())
