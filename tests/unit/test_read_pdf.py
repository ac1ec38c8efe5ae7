"""read_pdf_pages on the real corpus PDFs: page counts, reading order, tables, bold."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.model import Page
from pipeline.read.pdf import PdfReadSettings, _layout, read_pdf_pages

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

WOONVISIE_HEADER = "Woonvisie Assen 2021 – Van binnenuit beter Gemeente Assen"
TYNAARLO_HEADER = "Prestatieafspraken Tynaarlo 2023 Gemeente Tynaarlo | Woonborg | SEW | AH WOON | HBV"
AA_HEADER = "Prestatieafspraken 2022 gemeente Aa en Hunze"


def _read(name: str) -> tuple[list[Page], str | None]:
    return read_pdf_pages(CORPUS / name)


@pytest.fixture(scope="module")
def tynaarlo():
    return _read("tynaarlo-2023.pdf")


@pytest.fixture(scope="module")
def aa_en_hunze():
    return _read("aa-en-hunze-2022.pdf")


@pytest.fixture(scope="module")
def woonvisie():
    return _read("woonvisie-assen-2021.pdf")


def _texts(page: Page) -> list[str]:
    return [line.text for line in page.lines]


# --------------------------------------------------------------------------- whole documents


@pytest.mark.parametrize(
    ("fixture", "count", "title"),
    [
        ("tynaarlo", 11, "Prestatieafspraken Tynaarlo 2023"),
        ("aa_en_hunze", 13, "Prestatieafspraken Aa en Hunze 2022"),
        ("woonvisie", 60, "Woonvisie Assen 2021 - Van binnenuit beter"),
    ],
)
def test_page_count_numbers_and_title(request, fixture, count, title):
    pages, pdf_title = request.getfixturevalue(fixture)
    assert len(pages) == count
    assert [page.number for page in pages] == list(range(1, count + 1))
    assert pdf_title == title
    for page in pages:
        assert page.furniture == []
        assert all(line.page == page.number for line in page.lines)
        assert all(table.page == page.number for table in page.tables)
        assert all(line.text and line.text == line.text.strip() for line in page.lines)


@pytest.mark.parametrize("fixture", ["tynaarlo", "aa_en_hunze", "woonvisie"])
def test_lines_are_raw_text_lines(request, fixture):
    """Every prose line is a line of raw_text; single-column pages keep raw_text's order."""
    pages, _ = request.getfixturevalue(fixture)
    for page in pages:
        raw = page.raw_text.split("\n")
        assert set(_texts(page)) <= set(raw), page.number
        if fixture != "woonvisie":
            # no columns: the lines are raw_text minus the table text, in the same order
            remaining = iter(raw)
            assert all(any(text == r for r in remaining) for text in _texts(page)), page.number


def test_running_headers_and_page_numbers_are_kept_in_place(tynaarlo, aa_en_hunze, woonvisie):
    for page in tynaarlo[0]:
        assert page.lines[0].text == TYNAARLO_HEADER
        assert page.lines[-1].text == f"Pagina {page.number} van 11"
    for page in aa_en_hunze[0]:
        assert page.lines[0].text == AA_HEADER
        assert page.lines[-1].text == f"Pagina {page.number} van 13"
    for page in woonvisie[0]:
        assert page.lines[0].text == WOONVISIE_HEADER  # left and right part stay one line
        assert page.lines[-1].text == f"25 mei 2023 | Woonvisie Assen {page.number}"


# --------------------------------------------------------------------------- two columns


def test_woonvisie_page_3_left_column_before_right_column(woonvisie):
    lines = _texts(woonvisie[0][2])
    assert lines[:4] == [
        WOONVISIE_HEADER,
        "In de sociale huur gaat het, naast een kwaliteitsverbe-",
        "tering van de bestaande voorraad, om een ‘sprint’.",
        "Naast 525-625 woningen om groei van de vraag op te",
    ]
    # On the page "WOONVISIE" (right column) stands level with the first left line.
    right_start = lines.index("WOONVISIE")
    assert lines.index("Naast 525-625 woningen om groei van de vraag op te") < right_start
    # the left column is contiguous ...
    after = lines.index("de sprint nodig is. Hiernaast is er behoefte aan mid-")
    assert lines[after + 1] == "denhuur waarbij we de corporaties uitnodigen om een"
    assert lines[after + 2] == "rol te nemen. In de koopsector is in verschillende seg-"
    # ... down to its last line, which is followed by the right column's first lines
    assert lines[right_start - 2 : right_start + 4] == [
        "11. We communiceren actief over de aantrekkelijk-",
        "heid van Assen als woonplek",
        "WOONVISIE",
        "1. Woningbouw maakt plekken",
        "beter",
        "Assen speelt een hoofdrol in de regionale woning-",
    ]
    assert lines[-2] == "licht in hoofdstuk 4 en de bijlage van deze Woonvisie."
    assert lines[-1] == "25 mei 2023 | Woonvisie Assen 3"


def test_woonvisie_page_2_right_column_follows_whole_left_column(woonvisie):
    lines = _texts(woonvisie[0][1])
    assert lines[1] == "We zetten in de bestaande stad in op meer doorstro-"
    assert lines[2] == "ming, in het bijzonder door ouderen te verleiden met"
    end_left = lines.index("meenten.")
    assert lines[end_left + 1] == "In de bestaande stad zijn in potentie veel kansen om"
    assert lines[-2] == "plekken een kwaliteitsimpuls krijgen."


def test_woonvisie_page_16_diagram_comes_after_left_column(woonvisie):
    lines = _texts(woonvisie[0][15])
    assert lines[1:5] == [
        "MEER MOGELIJK MAKEN IN DE",
        "BESTAANDE STAD",
        "Meer ontspannen stedelijke",
        "locaties ontwikkelen",
    ]
    pagina = lines.index("op de pagina hierna.")
    assert lines[pagina + 1] == "1-1 > We zorgen voor meer personele capaciteit om"
    last_left = lines.index("jaarlijks, en delen dit met de")
    for diagram_label in ("Binnenstad", "650-725", "Stadsrand", "Kloosterveen: 2.400"):
        assert lines.index(diagram_label) > last_left
    assert lines.index("Woonvraag volgens het marktonderzoek") > lines.index("Binnenstad")


def test_woonvisie_page_26_headings_of_both_columns_stay_apart(woonvisie):
    page = woonvisie[0][25]
    lines = _texts(page)
    assert lines[1] == "Huiseigenaren: ga verbouwen"  # left, level with the right heading
    assert lines[lines.index("zorgpartners.") + 1] == "Nieuwbouw: in meer vormen dan nu"
    bold = {line.text for line in page.lines if line.bold}
    assert {"Huiseigenaren: ga verbouwen", "Nieuwbouw: in meer vormen dan nu"} <= bold
    assert lines[lines.index("liggen kansen.") + 1] == "2-6 > We creëren, in samenwerking met zorginstel-"
    assert lines[-3:-1] == ["OPGAVEN EN OPLOSSINGEN", "VOOR OUDEREN"]  # end of the right column


# --------------------------------------------------------------------------- single column


def test_tynaarlo_page_1_reads_top_to_bottom(tynaarlo):
    assert _texts(tynaarlo[0][0]) == [
        TYNAARLO_HEADER,
        "Ondertekening",
        "In dit document leggen we de prestatieafspraken vast tussen:",
        "1. Gemeente Tynaarlo, rechtsgeldig vertegenwoordigd door wethouder de heer J. Vellinga gemachtigd",
        "door de burgemeester, handelend namens het College van Burgemeester en Wethouders, hierna te",
        "noemen: ‘de gemeente’.",
        "2. Woonborg, rechtsgeldig vertegenwoordigd door de directeur-bestuurder mevrouw E. Borstlap, hierna",
        "te noemen: ‘Woonborg’.",
        "3. Stichting Eelder Woningbouw, rechtsgeldig vertegenwoordigd door de directeur-bestuurder de heer M.",
        "Veenstra, hierna te noemen: ‘SEW’.",
        "4. Algemene Huurdersvereniging WOON, rechtsgeldig vertegenwoordigd door haar voorzitter de heer J.",
        "Emmens, hierna te noemen: ‘AH WOON’.",
        "5. Huurdersbelangenvereniging Eelde-Paterswolde, rechtsgeldig vertegenwoordigd door haar voorzitter",
        "de heer F. Verhoeven , hierna te noemen: ‘HBV’.",
        "Gemeente, Woonborg, SEW, AH WOON en HBV gezamenlijk ook te noemen: ‘partijen’ of aangeduid als",
        "‘we’.",
        "We werken vanuit het gedeelde belang van voldoende betaalbare huurwoningen van goede kwaliteit in een",
        "prettige omgeving in de gemeente Tynaarlo. Deze prestatieafspraken 2023 zijn geldig vanaf 1 januari 2023",
        "na ondertekening door alle partijen en worden jaarlijks per 1 januari herijkt. Deze overeenkomst kan alleen",
        "met instemming van alle partijen worden ontbonden.",
        "Ondertekend op 8 december 2022 te Vries.",
        # the signature block is not mistaken for columns
        "Gemeente Tynaarlo: J. Vellinga Woonborg: E. Borstlap AH WOON: J. Emmens",
        "Wethouder Volkshuisvesting Directeur-bestuurder Voorzitter",
        "_________________________ ___________________ _______________________",
        "SEW: M. Veenstra HBV: F. Verhoeven",
        "Directeur-bestuurder Voorzitter",
        "___________________ _______________________",
        "Pagina 1 van 11",
    ]


def test_hyphenation_is_not_joined(aa_en_hunze):
    lines = _texts(aa_en_hunze[0][6])
    i = lines.index("23. Gemeente wil in 2022 met de corporaties en huurdersverenigingen nieuwe afspraken maken over het toe-")
    assert lines[i + 1] == "voegen van sociale huurwoningen."


# --------------------------------------------------------------------------- bold


def test_tynaarlo_headings_are_bold(tynaarlo):
    page = tynaarlo[0][4]
    bold = {line.text: line.bold for line in page.lines}
    assert bold["4.1 Betaalbaarheid"] is True
    assert bold["4 Prestatieafspraken"] is True
    assert bold["Doel"] is True
    assert bold[TYNAARLO_HEADER] is False
    assert bold["8. In Q1 2023 gaan partijen in overleg over het toepassen van de Voorzieningenwijzer."] is False
    assert sum(line.bold for line in page.lines) == 6


# --------------------------------------------------------------------------- tables


def test_only_the_ruled_tables_are_found(tynaarlo, aa_en_hunze, woonvisie):
    assert [p.number for p in aa_en_hunze[0] if p.tables] == [7, 13]
    assert [len(p.tables) for p in aa_en_hunze[0] if p.tables] == [1, 1]
    assert not any(p.tables for p in tynaarlo[0])
    assert not any(p.tables for p in woonvisie[0])


def test_aa_en_hunze_page_7_table(aa_en_hunze):
    page = aa_en_hunze[0][6]
    (table,) = page.tables
    assert table.rows == [
        ["", "Totaal gemeente Aa en Hunze*", ""],
        ["Aantal sociale huurwoningen 1-11- 2021", "De Volmacht", "1.544"],
        ["", "Woonborg", "395"],
        ["", "Totaal", "1.939"],
        ["Verwachte voorraadontwikkeling door nieuwbouw, sloop en verkoop van sociale huurwoningen t/m 2025", "De Volmacht", "-2"],
        ["", "Woonborg", "-15"],
        ["", "Totaal", "-17"],
        ["Prognose aantal sociale huurwoningen eind 2025", "De Volmacht", "1.542"],
        ["", "Woonborg", "380"],
        ["", "Totaal", "1.922"],
    ]
    lines = _texts(page)
    for cell_text in ("1.544", "1.939", "Totaal gemeente", "Prognose aantal", "voorraadontwikkeling"):
        assert not any(cell_text in line for line in lines), cell_text
    # the note under the table is prose and follows the header directly
    assert lines[:3] == [AA_HEADER, "*Afgerond op vijftallen.", "Gezamenlijke prestaties 2022"]
    # raw_text keeps the table's words
    assert "Aantal sociale huurwoningen 1-11- De Volmacht 1.544" in page.raw_text.split("\n")


def test_aa_en_hunze_page_13_table(aa_en_hunze):
    page = aa_en_hunze[0][12]
    (table,) = page.tables
    assert len(table.rows) == 14
    assert table.rows[0] == ["Termijn", "Overleg resp. gespreksonderwerpen"]
    assert table.rows[3] == ["Juni 2022", "Ambtelijk voortgangsoverleg uitvoering prestatieafspraken 2022"]
    assert table.rows[1][1] == (
        "Ambtelijke bijeenkomst over: • Vaststellen jaarplanning • Uitvoering prestatieafspraken 2022"
        " en rest 2021 • Afspraken over procesondersteuning prestatieafspraken • Proces prestatieafspraken"
        " Kaderafspraken: ambtelijke overleggen van start vanaf januari"
    )
    assert table.rows[-1] == ["Uiterlijk 15 december 2022", "Indienen prestatieafspraken door corporaties."]
    assert _texts(page) == [
        AA_HEADER,
        "5 Agenda 2022",
        "Partijen hanteren de onderstaande agenda 2022 als uitgangspunt voor de uitvoering van de prestatieaf-",
        "spraken 2022 en de voorbereiding voor het proces van prestatieafspraken 2023:",
        "Pagina 13 van 13",
    ]
    assert "Termijn Overleg resp. gespreksonderwerpen" in page.raw_text.split("\n")


# --------------------------------------------------------------------------- layout unit checks


def _word(text: str, x0: float, top: float, size: float = 9.0, bold: bool = False) -> dict:
    width = 5.0 * len(text)
    return {
        "text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size,
        "fontname": "Font-Bold" if bold else "Font", "size": size,
    }


def _two_column_words(rows: int = 6) -> list[dict]:
    words = []
    for i in range(rows):
        top = 100 + 12 * i
        words += [_word(f"L{i}a", 50, top), _word(f"L{i}b", 250, top)]  # left column to x=265
        words += [_word(f"R{i}a", 320, top + 1), _word(f"R{i}b", 520, top + 1)]  # right from 320
    return words


def _texts_of(lines: list[list[dict]]) -> list[str]:
    return [" ".join(w["text"] for w in line) for line in lines]


def test_layout_reads_synthetic_columns_left_then_right():
    lines = _texts_of(_layout(_two_column_words(), 0.0, 595.0, PdfReadSettings()))
    assert lines == [f"L{i}a L{i}b" for i in range(6)] + [f"R{i}a R{i}b" for i in range(6)]


def test_layout_full_width_line_splits_column_regions():
    words = _two_column_words(3)
    words += [_word("full", 50, 137), _word("width-heading-across-the-gutter", 200, 137)]
    words += [_word(w["text"].lower(), w["x0"], w["top"] + 48) for w in _two_column_words(3)]
    lines = _texts_of(_layout(words, 0.0, 595.0, PdfReadSettings()))
    assert lines == (
        ["L0a L0b", "L1a L1b", "L2a L2b", "R0a R0b", "R1a R1b", "R2a R2b"]
        + ["full width-heading-across-the-gutter"]
        + ["l0a l0b", "l1a l1b", "l2a l2b", "r0a r0b", "r1a r1b", "r2a r2b"]
    )


def test_layout_keeps_key_value_rows_whole():
    # keys end far left of the middle band: an open space, not a gutter
    words = []
    for i in range(6):
        words += [_word(f"key{i}", 50, 100 + 12 * i), _word(f"value{i}", 330, 100 + 12 * i)]
    lines = _texts_of(_layout(words, 0.0, 595.0, PdfReadSettings()))
    assert lines == [f"key{i} value{i}" for i in range(6)]


def test_layout_settings_are_used_and_frozen():
    settings = PdfReadSettings(min_column_block_lines=7)  # 6 rows: too few for columns
    lines = _texts_of(_layout(_two_column_words(), 0.0, 595.0, settings))
    assert lines == [f"L{i}a L{i}b R{i}a R{i}b" for i in range(6)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.line_tolerance = 1.0  # type: ignore[misc]


def test_layout_of_no_words_is_empty():
    assert _layout([], 0.0, 595.0, PdfReadSettings()) == []


def test_a_line_end_hyphen_drawn_with_a_small_gap_stays_with_its_word():
    from pipeline.read.pdf import DEFAULT_SETTINGS, _line_text

    def word(text: str, x0: float, x1: float) -> dict[str, object]:
        return {"text": text, "x0": x0, "x1": x1, "top": 100.0, "bottom": 110.0, "fontname": "Regular"}

    woning = [word("de", 10, 20), word("woning", 23, 60)]
    assert _line_text([*woning, word("-", 61.0, 64)], DEFAULT_SETTINGS) == "de woning-"  # a 1 pt gap: Word's hyphen
    assert _line_text([*woning, word("-", 63.0, 66)], DEFAULT_SETTINGS) == "de woning -"  # a space: a dash
    assert _line_text([*woning, word("-", 61.0, 64), word("x", 67, 70)], DEFAULT_SETTINGS) == "de woning - x"  # not at a line end
