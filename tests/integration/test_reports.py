"""The renderings a user opens: site, Markdown, CSV, XLSX, SQLite — checked on content.

A known afspraak is followed through every output: Tynaarlo afspraak 12, "minimaal 80% van
de huurwoningen … tot de eerste aftoppingsgrens" (page 6 of the PDF).
"""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from openpyxl import load_workbook

from pipeline.model.rules import default_rules
from pipeline.run import BatchSettings, run_corpus
from tests.conftest import CORPUS, corpus_with


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    inputs = corpus_with(tmp_path_factory.mktemp("in"), {
        # an afspraak with markup in it: document text is never trusted as HTML
        "proef-2024.txt": "Prestatieafspraken Proefdorp 2024\n"
        "1. Gemeente Proefdorp, vertegenwoordigd door wethouder A. Bakker, hierna te noemen: ‘de gemeente’.\n"
        "3 Samenwerking\n"
        "1. De gemeente <script>alert('x')</script> overlegt jaarlijks.\n",
        "kapot.pdf": b"%PDF-1.4 kapot",
    })
    target = tmp_path_factory.mktemp("out")
    summary = run_corpus([inputs], target, default_rules(), BatchSettings(workers=2))
    assert [e["path"] for e in summary.errors] == [str(inputs / "kapot.pdf")]
    return target


def test_index_lists_documents_and_failures(out):
    html = (out / "site" / "index.html").read_text(encoding="utf-8")
    for expected in ["Tynaarlo", "Aa en Hunze", "Assen", "woonvisie", "8 december 2022 te Vries", "Woningstichting De Volmacht"]:
        assert expected in html
    assert "kapot.pdf" in html and "corrupt or truncated PDF" in html
    assert 'lang="nl"' in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")  # offline: no CDN


def test_document_page_shows_sources_tags_and_pages(out):
    html = (out / "site" / "tynaarlo-2023.html").read_text(encoding="utf-8")
    row = html[html.index('<tr id="a-12"') : html.index('<tr id="a-13"')]
    assert '<mark class="doel">minimaal 80%</mark>' in row
    assert "≥ 80%" in row and 'data-theme="betaalbaarheid"' in row and 'data-target="1"' in row
    assert '<a class="bron" href="bron/tynaarlo-2023.pdf#page=6" title="deze pagina in de bron">6</a>' in row  # page 6 of the PDF
    assert '<mark class="partij">SEW</mark>' in row


def test_document_text_is_escaped(out):
    html = (out / "site" / "proefdorp-2024.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_comparison_puts_topic_values_side_by_side(out):
    html = (out / "site" / "vergelijking.html").read_text(encoding="utf-8")
    row = html[html.index('data-topic="aftoppingsgrenzen"') : html.index('data-topic="kernvoorraad"')]
    assert '<a href="tynaarlo-2023.html#a-12">afspraak 12</a> (<a class="bron" href="bron/tynaarlo-2023.pdf#page=6">p. 6</a>): aandeel: ≥ 80%' in row
    assert '<a href="aa-en-hunze-2022.html#a-12">afspraak 12</a> (<a class="bron" href="bron/aa-en-hunze-2022.pdf#page=5">p. 5</a>): aandeel: ≥ 85%' in row
    assert 'id="chart"' in html and "Aantal afspraken per thema per gemeente" in html
    themes = html[html.index('id="thema-vergelijking"') : html.index('id="onderwerpen"')]
    assert "niveau 3: meetbaar" in themes and "assen-2021" not in themes  # a woonvisie is not compared
    assert '<th data-doc="tynaarlo-2023">Tynaarlo</th>' in themes  # a municipality's name, no doc_id
    growth = html[html.index('data-topic="kernvoorraad"') : html.index('data-topic="middenhuur"')]
    # growth and stock told apart, each with its period; units in the plural
    assert "voorraad: ≥ 3.341 woningen eind 2026" in growth and "groei: 102 woningen in 2023–2026 (25,5 per jaar)" in growth
    assert "label" not in growth


def test_comparison_columns_load_escaped_from_a_script_per_agreement(out):
    script = (out / "site" / "naast" / "proefdorp-2024.js").read_text(encoding="utf-8")
    assert script.startswith('afsprakenNaast("proefdorp-2024", "') and "<script>alert" not in script and "&lt;script&gt;alert" in script
    tynaarlo = (out / "site" / "naast" / "tynaarlo-2023.js").read_text(encoding="utf-8")
    assert 'data-theme=\\"duurzaamheid\\"' in tynaarlo and 'bron/tynaarlo-2023.pdf#page=8' in tynaarlo
    assert not (out / "site" / "naast" / "assen-2021.js").exists()  # a woonvisie is not compared


def test_markdown_register(out):
    text = (out / "markdown" / "tynaarlo-2023.md").read_text(encoding="utf-8")
    assert "- **Ondertekend:** 8 december 2022 te Vries" in text
    line = next(line for line in text.splitlines() if line.startswith("| 12 |"))
    assert "| Betaalbaarheid |" in line and "≥ 80%" in line and "| 6 |" in line


def _csv(path, delimiter=","):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_files(out):
    targets = _csv(out / "targets.csv")
    row = next(r for r in targets if r["afspraak_id"] == "tynaarlo-2023#12")
    assert (row["waarde"], row["eenheid"], row["vergelijking"], row["tekst"]) == ("80.0", "%", ">=", "minimaal 80%")
    afspraken = _csv(out / "afspraken.csv")
    assert len([r for r in afspraken if r["doc_id"] == "tynaarlo-2023"]) == 43
    deadlines = _csv(out / "deadlines.csv")
    assert {"afspraak_id": "tynaarlo-2023#8", "tekst": "In Q1 2023", "datum": "2023-03-31"}.items() <= next(
        r for r in deadlines if r["afspraak_id"] == "tynaarlo-2023#8"
    ).items()


def test_csv_files_for_dutch_excel(out):
    for name in ("afspraken", "targets", "deadlines"):
        standard, dutch = _csv(out / f"{name}.csv"), _csv(out / f"{name}-nl.csv", delimiter=";")
        assert len(dutch) == len(standard) and dutch[0].keys() == standard[0].keys()
    row = next(r for r in _csv(out / "targets-nl.csv", delimiter=";") if r["afspraak_id"] == "midden-drenthe-2023#11")
    assert (row["waarde"], row["tekst"]) == ("1157,95", "€1.157,95")  # a decimal comma: a number in Dutch Excel
    afspraken = _csv(out / "afspraken-nl.csv", delimiter=";")
    assert next(r for r in afspraken if r["afspraak_id"] == "tynaarlo-2023#28")["doelen"] == "100 woningen per jaar"


def test_xlsx_workbook(out):
    workbook = load_workbook(out / "register.xlsx")
    assert workbook.sheetnames == [
        "documenten", "partijen", "afspraken", "doelen", "termijnen", "correcties", "vergelijking", "landelijke_doelen", "landelijk",
        "afspraak_links"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    doelen = workbook["doelen"]
    headers = [c.value for c in doelen[1]]
    row = next(r for r in doelen.iter_rows(min_row=2, values_only=True) if r[1] == "tynaarlo-2023#12")
    assert (row[headers.index("waarde")], row[headers.index("eenheid")]) == (80, "%")
    assert doelen.column_dimensions["D"].width > 10
    goals = [dict(zip([c.value for c in workbook["landelijke_doelen"][1]], r)) for r in workbook["landelijke_doelen"].iter_rows(min_row=2, values_only=True)]
    social = next(g for g in goals if g["doel"] == "Nieuwe sociale huurwoningen van corporaties")
    assert (social["landelijk_per_jaar"], social["gemeenten_in_nederland"], social["markering"]) == (30000, 342, "V")
    numbers = [dict(zip([c.value for c in workbook["landelijk"][1]], r)) for r in workbook["landelijk"].iter_rows(min_row=2, values_only=True)]
    assen = [n for n in numbers if n["doel"] == social["doel"] and n["doc_id"] == "assen-2022"]
    assert [(n["getal"], n["periode"], n["per_jaar"], n["opgeteld"]) for n in assen] == [
        ("300 woningen", "2020–2025", 50, "ja"), ("625 huurwoningen", "2020–2030", 625 / 11, "nee, andere termijn")]
    assert any(n["stand"] == "geen afspraak" and n["doc_id"] == "proefdorp-2024" for n in numbers)


def test_sqlite_register(out):
    db = sqlite3.connect(out / "register.sqlite")
    assert db.execute("SELECT value, unit, comparator FROM targets WHERE afspraak_id = 'tynaarlo-2023#12'").fetchall() == [(80.0, "%", ">=")]
    hits = db.execute(
        "SELECT a.id FROM afspraken_fts JOIN afspraken a ON a.rowid = afspraken_fts.rowid WHERE afspraken_fts MATCH 'buurtbemiddeling' ORDER BY a.id"
    ).fetchall()
    assert hits == [("tynaarlo-2023#41",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT COUNT(*) FROM afspraken WHERE doc_id = 'aa-en-hunze-2022'").fetchone() == (85,)


def test_comparison_of_many_municipalities_starts_with_a_few_and_no_chart(tmp_path):
    from pipeline.render.site import CHART_MAX, SHOWN_COLUMNS, SiteWriter, site_summary
    from tests.conftest import extracted

    base, rules = extracted(CORPUS / "tynaarlo-2023.pdf"), default_rules()
    writer = SiteWriter(rules, tmp_path, 15)
    for i in range(15):
        writer.add(site_summary(base.model_copy(update={"doc_id": f"gemeente-{i:02d}-2023", "municipalities": [f"Gemeente {i:02d}"]}), rules, None))
    writer.finish([])
    html = (tmp_path / "site" / "vergelijking.html").read_text(encoding="utf-8")
    assert SHOWN_COLUMNS < 15 and CHART_MAX < 15
    assert html.count('class="g-kies"') == 15 and html.count(" checked>") == SHOWN_COLUMNS
    assert f'value="gemeente-{SHOWN_COLUMNS - 1:02d}-2023" checked>' in html and f'value="gemeente-{SHOWN_COLUMNS:02d}-2023">' in html
    assert 'id="geen-grafiek"' in html and 'id="chart"' not in html
    assert (tmp_path / "site" / "vergelijking.js").exists()


def test_every_tagged_value_is_grounded_in_its_afspraak_text_and_highlighted_there():
    """Spans in the register point at the exact words; the page marks those words, not an
    earlier occurrence of the same text."""
    from pipeline.render.highlight import segments
    from tests.conftest import extracted

    from pipeline.tag.actors import party_lexicon

    document = extracted(CORPUS / "aa-en-hunze-2022.pdf")
    lexicon = party_lexicon(document.parties, default_rules().parties)
    values = mentions = 0
    for afspraak in document.afspraken:
        for value in [*afspraak.targets, *afspraak.deadlines]:
            assert value.start is not None and value.end is not None
            assert afspraak.text[value.start : value.end] == value.text
            values += 1
        for mention in afspraak.mentions:
            words = " ".join(afspraak.text[mention.start : mention.end].lower().split())
            assert lexicon[words] == tuple(mention.parties)
            mentions += 1
    assert (values, mentions) >= (40, 100)
    # Aa en Hunze's afspraak with three percentages, two of them "10%": both are marked.
    streefhuur = next(a for a in document.afspraken if a.text.startswith("De streefhuurpercentages voor Woonborg"))
    marked = [s.text for s in segments(streefhuur) if s.kind == "doel"]
    assert marked == ["80%", "10%", "10%"]
