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
from tests.conftest import CORPUS, ROOT

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
    for name, shot in (("index.html", "index.png"), ("vergelijking.html", "vergelijking.png")):
        page, errors = open_page(browser, (site / name).as_uri())
        assert page.locator("h1").count() == 1
        page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
        assert errors == []
    page, _ = open_page(browser, (site / "vergelijking.html").as_uri())
    assert page.locator("#chart rect").count() > 7
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
