"""The site in a real browser (headless Chromium): filters work, no JavaScript errors.

Screenshots of each page type are kept in output/screenshots/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from pipeline.model.rules import default_rules
from pipeline.run import BatchSettings, run_corpus
from tests.conftest import CORPUS, ROOT, corpus_with

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in a sandbox without network: no sandbox, no background traffic.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "output" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert not run_corpus([CORPUS], out, default_rules(), BatchSettings(workers=2)).errors
    return out / "site"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    return page, errors


def visible_rows(page) -> int:
    return page.locator("#afspraken tbody tr:not(.hidden)").count()


def test_theme_and_target_filters_change_the_visible_rows(site, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, errors = open_page(browser, (site / "tynaarlo-2023.html").as_uri())
    assert visible_rows(page) == 43
    page.screenshot(path=str(SCREENSHOTS / "document.png"))
    page.select_option("#f-theme", "duurzaamheid")
    assert visible_rows(page) == 5
    assert page.locator("#f-count").inner_text() == "5 van 43 afspraken"
    assert page.locator("#a-26").is_visible() and not page.locator("#a-12").is_visible()
    page.check("#f-target")
    assert visible_rows(page) == 3
    page.select_option("#f-theme", "")
    page.uncheck("#f-target")
    page.select_option("#f-party", "Huurdersbelangenvereniging Eelde-Paterswolde")
    assert 0 < visible_rows(page) < 43
    assert errors == []


def test_index_and_comparison_pages_load_without_errors(site, browser):
    for name in ("index.html", "vergelijking.html", "landelijk.html"):
        page, errors = open_page(browser, (site / name).as_uri())
        assert page.locator("h1").count() == 1 and page.locator("nav a[href='landelijk.html']").count() == 1
        if name == "index.html":
            page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)
        assert errors == []
    page, _ = open_page(browser, (site / "vergelijking.html").as_uri())
    assert page.locator("#chart .bar").count() == 4 * 7
    page.click("a[href='tynaarlo-2023.html#a-12']")
    assert page.url.endswith("tynaarlo-2023.html#a-12")


def test_comparison_shows_the_chosen_municipalities(site, browser):
    page, errors = open_page(browser, (site / "vergelijking.html").as_uri())
    assert page.locator("#g-count").inner_text() == "4 van 4 gemeenten getoond"
    tynaarlo = page.locator("table [data-doc='tynaarlo-2023']")
    assert tynaarlo.count() == 1 + 7 + 1 + page.locator("#onderwerpen tbody tr").count()  # two headers, a cell per row
    page.uncheck("input.g-kies[value='tynaarlo-2023']")
    assert page.locator("#g-count").inner_text() == "3 van 4 gemeenten getoond"
    assert all(not tynaarlo.nth(i).is_visible() for i in range(tynaarlo.count()))
    assert page.locator("#thema-vergelijking th[data-doc='aa-en-hunze-2022']").is_visible()
    page.fill("#g-zoek", "tyn")
    assert page.locator("label:has(input[value='tynaarlo-2023'])").is_visible()
    assert not page.locator("label:has(input[value='aa-en-hunze-2022'])").is_visible()
    assert errors == []


def test_the_chart_follows_the_picker_and_names_every_municipality(site, browser):
    page, errors = open_page(browser, (site / "vergelijking.html").as_uri())
    legend = page.locator("#chart .chart-legend li")
    assert [legend.nth(i).inner_text() for i in range(legend.count())] == ["Aa en Hunze", "Assen", "Midden-Drenthe", "Tynaarlo"]
    assert all(legend.nth(i).is_visible() for i in range(4))
    assen, tynaarlo = page.locator("#chart [data-doc='assen-2022']"), page.locator("#chart .bar[data-doc='tynaarlo-2023']")
    assert assen.count() == 7 + 1 and all(assen.nth(i).is_visible() for i in range(assen.count()))  # a bar per theme, the legend
    page.uncheck("input.g-kies[value='assen-2022']")
    assert not any(assen.nth(i).is_visible() for i in range(assen.count()))
    assert all(tynaarlo.nth(i).is_visible() for i in range(7))
    page.check("input.g-kies[value='assen-2022']")
    assert all(assen.nth(i).is_visible() for i in range(assen.count()))
    assert errors == []


def goal_numbers(page, goal: str) -> list[tuple[str, str, str, str]]:
    """(municipality, number, period, summed) per row of a goal's table on landelijk.html."""
    rows = page.locator(f"#doel-{goal} table.getallen tbody tr")
    cells = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]
    return [(row[0], row[2], row[4], row[7]) for row in cells]


def test_which_municipalities_agreed_a_number_of_new_social_rental_homes_and_how_many(site, browser):
    """Read from landelijk.html alone. Expected values from the agreements' own words
    (tests/fixtures/*.txt): Aa en Hunze 31 "vervangende nieuwbouw van ca. 45 woningen", 32 "De
    Volmacht is voornemens om een 6-tal … sociale huurwoningen … te realiseren", both under
    "Prestaties Woonborg en De Volmacht 2022"; Assen 12a "netto toename van 300 woningen ten
    opzichte van 1 januari 2020" by "Eind 2025", and for the longer term "toevoeging van 625
    sociale huurwoningen in de periode 2020-2030" (the same plan: not summed); Midden-Drenthe 1a
    "netto-toename van 102 woningen t.o.v. 31 december 2022" by "Eind 2026" (said twice);
    Tynaarlo 21 "Woonborg heeft in 2023 de oplevering van 48 nieuwbouwwoningen in de planning".
    Stock counts (kernvoorraad 9.170, 3.341) are no new homes."""
    page, errors = open_page(browser, (site / "landelijk.html").as_uri())
    page.screenshot(path=str(SCREENSHOTS / "landelijk.png"), full_page=True)
    assert goal_numbers(page, "sociale_huur") == [
        ("Aa en Hunze", "± 45 woningen", "2022", "ja"),
        ("Aa en Hunze", "± 6 huurwoningen", "2022", "ja"),
        ("Assen", "300 woningen", "2020–2025", "ja"),
        ("Assen", "625 huurwoningen", "2020–2030", "nee, andere termijn"),
        ("Midden-Drenthe", "102 woningen", "2023–2026", "ja"),
        ("Midden-Drenthe", "102 woningen", "2023–2026", "nee, herhaald"),
        ("Tynaarlo", "48 nieuwbouwwoningen", "2023", "ja"),
    ]
    section = page.locator("#doel-sociale_huur")
    assert "3.341" not in section.inner_text() and "9.170" not in section.inner_text()
    # per year: 45 + 6, 300 over 2020–2025, 102 over 2023–2026, 48: 51 + 50 + 25,5 + 48
    assert "Opgeteld in het register: 174,5 woningen per jaar uit 4 van de 342 gemeenten in het register" in section.locator("p.totaal").inner_text()
    assert "landelijk 30.000 woningen per jaar" in section.locator("p.totaal").inner_text()
    assen = section.locator("tr", has_text="300 woningen")
    with page.expect_navigation() as navigation:
        assen.locator("a.bron").click()
    assert navigation.value is not None and page.url.endswith("/site/bron/assen-2022.pdf#page=7")
    page.go_back()
    section.locator("tr", has_text="300 woningen").locator("a", has_text="afspraak 12a").click()
    assert page.url.endswith("assen-2022.html#a-12a") and "netto toename van 300 woningen" in page.locator("tr:target").inner_text()
    assert errors == []


def test_what_one_municipality_agreed_on_verduurzaming_beside_another(site, browser):
    """Read from vergelijking.html alone. Expected afspraken from the agreements' own words:
    Tynaarlo 26 "In 2023 worden bij SEW 10 woningen verduurzaamd … 50 woningen worden
    verduurzaamd", 28 "jaarlijks 100 woningen met E, F & G labels aanpakken … in 2028", 29 "in
    2023 12 woningen in Zuidlaren verbeteren naar label A" (page 8); Midden-Drenthe 14
    "Woonservice verduurzaamt circa 75 woningen per jaar tot 2027. Actium heeft in dezelfde
    periode circa 91 renovaties gepland staan" (page 7)."""
    page, errors = open_page(browser, (site / "vergelijking.html").as_uri())
    page.select_option("#naast-1", "tynaarlo-2023")
    page.select_option("#naast-2", "midden-drenthe-2023")
    page.select_option("#naast-onderwerp", "theme:duurzaamheid")
    columns = page.locator("#naast-kolommen section.kolom")
    columns.nth(1).locator("article").first.wait_for()
    assert [columns.nth(i).locator("h3").inner_text() for i in range(columns.count())] == ["Tynaarlo", "Midden-Drenthe"]
    tynaarlo, midden = columns.nth(0), columns.nth(1)
    assert tynaarlo.locator("article").count() == 5  # the document page's theme filter shows 5 too
    assert {"10 woningen", "50 woningen", "100 woningen", "12 woningen"} <= set(tynaarlo.locator("mark.doel").all_inner_texts())
    assert {"circa 75 woningen", "circa 91 renovaties"} <= set(midden.locator("mark.doel").all_inner_texts())
    fourteen = midden.locator("article", has_text="Woonservice verduurzaamt")
    assert fourteen.locator("a", has_text="afspraak 14").get_attribute("href") == "midden-drenthe-2023.html#a-14"
    assert fourteen.locator("a.bron").get_attribute("href") == "bron/midden-drenthe-2023.pdf#page=7"
    assert all(a.get_attribute("data-theme") == "duurzaamheid" for a in tynaarlo.locator("article").all())
    page.select_option("#naast-onderwerp", "topic:slechte_labels")  # a topic instead of a theme
    assert [a.inner_text() for a in tynaarlo.locator("article").all()] == [
        "afspraak 28 · pagina 8 · Prestaties Woonborg en SEW 2023\n\nWoonborg gaat in haar hele werkgebied jaarlijks 100 woningen met E, F & G "
        "labels aanpakken zodat deze labels in 2028 verdwenen zijn."]
    assert midden.locator("article").count() == 0 and midden.locator("p.aantal").inner_text() == "geen afspraken hierover"
    page.select_option("#naast-onderwerp", "theme:duurzaamheid")
    page.uncheck("input.g-kies[value='assen-2022']")  # the screenshot: the chart without Assen
    page.screenshot(path=str(SCREENSHOTS / "vergelijking.png"), full_page=True)
    page.select_option("#naast-2", "")
    assert page.locator("#naast-melding").inner_text() == "Kies ten minste twee gemeenten."
    assert errors == []


def test_a_yearly_number_over_a_span_of_years_under_the_social_rent_goal(browser, tmp_path_factory):
    inputs = corpus_with(tmp_path_factory.mktemp("in"), {
        "proefstad-2025.txt": "Prestatieafspraken Proefstad 2025-2028\n\n"
        "Partijen\n"
        "1. Gemeente Proefstad, vertegenwoordigd door wethouder A. Bakker, hierna te noemen: ‘de gemeente’.\n"
        "2. Woningstichting Proefhuis, vertegenwoordigd door directeur-bestuurder B. de Vries, hierna te noemen: ‘Proefhuis’.\n\n"
        "De afspraken zijn, na ondertekening door alle partijen, geldig van 1 januari 2025 tot en met 31 december 2028.\n\n"
        "2 Beschikbaarheid\n"
        "1. Proefhuis zorgt voor jaarlijks 40 sociale huurwoningen erbij in 2025–2028.\n",
    })
    out = tmp_path_factory.mktemp("out")
    assert not run_corpus([inputs], out, default_rules(), BatchSettings(workers=2)).errors
    page, errors = open_page(browser, (out / "site" / "landelijk.html").as_uri())
    row = page.locator("#doel-sociale_huur table.getallen tbody tr", has_text="Proefstad")
    assert row.count() == 1
    assert row.locator("td.getal").inner_text() == "40 huurwoningen per jaar"
    assert (row.locator("td.per-jaar").inner_text(), row.locator("td.periode").inner_text()) == ("40", "160")
    assert "2025–2028" in row.inner_text() and "jaarlijks 40 sociale huurwoningen erbij in 2025–2028" in row.inner_text()
    assert "uit 5 van de 342 gemeenten in het register" in page.locator("#doel-sociale_huur p.totaal").inner_text()
    assert errors == []


def test_review_queue_links_to_the_afspraak_and_to_its_page_in_the_source_pdf(site, browser):
    page, errors = open_page(browser, (site / "controleren.html").as_uri())
    page.screenshot(path=str(SCREENSHOTS / "controleren.png"), full_page=True)
    item = page.locator("li.item", has=page.locator("a.naar-afspraak", has_text="Afspraak 12b"))
    assert "geen verantwoordelijke partij gevonden" in item.inner_text() and "responsible: []" in item.inner_text()
    item.locator("a.naar-afspraak").click()
    assert page.url.endswith("assen-2022.html#a-12b")
    row = page.locator("tr:target")
    assert row.get_attribute("id") == "a-12b" and row.is_visible() and "De realisatie van deze aantallen" in row.inner_text()
    page.go_back()
    with page.expect_navigation() as navigation:
        item.locator("a.naar-bron").click()
    assert navigation.value is not None and navigation.value.headers["content-type"] == "application/pdf"
    assert page.url.endswith("/site/bron/assen-2022.pdf#page=7")
    printed = " ".join(PdfReader(site / "bron" / "assen-2022.pdf").pages[7 - 1].extract_text().split())
    assert "De realisatie van deze aantallen" in printed  # the page the link opens holds the afspraak
    assert errors == []


def test_every_afspraak_links_to_its_page_in_the_source_pdf(site, browser):
    page, errors = open_page(browser, (site / "tynaarlo-2023.html").as_uri())
    links = page.locator("#afspraken tbody tr a.bron")
    assert links.count() == 43
    with page.expect_navigation() as navigation:
        page.locator("#a-12 a.bron").click()
    assert navigation.value is not None and navigation.value.headers["content-type"] == "application/pdf"
    assert page.url.endswith("/site/bron/tynaarlo-2023.pdf#page=6")
    assert errors == []


@pytest.fixture(scope="module")
def timeline_site(tmp_path_factory) -> Path:
    """Tynaarlo 2023 with its fictional follow-up and yearly update (tests/timeline/)."""
    folder = tmp_path_factory.mktemp("timeline-in")
    timeline = ROOT / "tests" / "timeline"
    for path in [CORPUS / "tynaarlo-2023.pdf", timeline / "tynaarlo-2024.txt", timeline / "tynaarlo-voortgang-2023.txt"]:
        shutil.copy(path, folder / path.name)
    out = tmp_path_factory.mktemp("timeline-out")
    assert not run_corpus([folder], out, default_rules(), BatchSettings(workers=1)).errors
    return out / "site"


def test_timeline_shows_a_changed_target_and_a_dropped_afspraak(timeline_site, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, errors = open_page(browser, (timeline_site / "tynaarlo-2024.html").as_uri())
    page.click("#tijdlijn")
    assert page.url.endswith("/tijdlijn-tynaarlo.html")
    # gold (tests/timeline/tynaarlo.json): afspraak 12 of 2023 is afspraak 3 of 2024, its target 80% → 75%
    changed = page.locator("tr.link-changed", has_text="afspraak 12")
    assert changed.locator(".wijziging .oud").first.inner_text() == "≥ 80%"
    assert changed.locator(".wijziging .nieuw").first.inner_text() == "≥ 75%"
    # afspraak 8 of 2023 (the Voorzieningenwijzer) is not in 2024; the update reports it vervallen
    dropped = page.locator("tr.link-dropped", has_text="Voorzieningenwijzer")
    assert dropped.count() == 1 and "vervallen" in dropped.locator(".status").inner_text()
    assert page.locator("tr.link-dropped").count() == 35
    page.screenshot(path=str(SCREENSHOTS / "tijdlijn.png"), full_page=True)
    assert not errors
