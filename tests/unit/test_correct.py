"""Corrections (``pipeline/correct.py``) and the review queue (``pipeline/review.py``), one
correction file at a time, on the extraction of a real corpus document."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from pipeline.correct import CorrectionError, Corrections, apply_correction, load_corrections
from pipeline.model import Document
from pipeline.model.corrections import Correction
from pipeline.model.rules import default_rules
from pipeline.review import review_items
from tests.conftest import CORPUS, extracted

DOC_ID = "aa-en-hunze-2022"


@pytest.fixture(scope="module")
def doc() -> Document:
    return extracted(CORPUS / f"{DOC_ID}.pdf")


def correct(tmp_path: Path, doc: Document, body: str, written_for: str | None = None) -> Document:
    """``doc`` corrected by a file holding ``body``, written against the source with sha256
    ``written_for`` (by default the document's own)."""
    folder = tmp_path / "corrections"
    folder.mkdir(exist_ok=True)
    (folder / f"{DOC_ID}.yaml").write_text(f"source_sha256: {written_for or doc.source.sha256}\n" + textwrap.dedent(body), encoding="utf-8")
    found, unmatched = load_corrections(folder).match([(doc.doc_id, doc.source.sha256)])
    assert not unmatched
    return apply_correction(doc, found[doc.doc_id], default_rules())


def by_number(document: Document) -> dict[str | None, object]:
    return {a.number: a for a in document.afspraken}


def test_document_fields_are_set_and_each_change_records_its_file_and_line(tmp_path, doc):
    fixed = correct(tmp_path, doc, """\
        title: Prestatieafspraken Aa en Hunze 2022-2026
        municipalities: [Aa en Hunze, Onbekenddorp]
        signing: {place: Gieten-Zuid}
        validity: {end: 2022-12-31}
        checked: J. de Vries, 2025-03-14
    """)
    assert fixed.title == "Prestatieafspraken Aa en Hunze 2022-2026"
    assert fixed.municipality_codes == ["GM1680", None]
    assert (fixed.signing.date, fixed.signing.place) == ("2021-12-06", "Gieten-Zuid")  # only the field given
    assert (fixed.validity.start, fixed.validity.end) == ("2022-01-01", "2022-12-31")
    assert fixed.checked is not None and (fixed.checked.by, fixed.checked.date) == ("J. de Vries", "2025-03-14")
    assert fixed.review == []  # checked by a person: nothing left to check
    records = {r.field: r for r in fixed.corrections}
    assert set(records) == {"title", "municipalities", "signing", "validity"}
    assert (records["title"].line, records["title"].old, records["title"].afspraak) == (2, "Prestatieafspraken Aa en Hunze 2022", None)
    assert records["signing"].new == {"date": "2021-12-06", "place": "Gieten-Zuid"}
    assert records["title"].file.endswith(f"corrections/{DOC_ID}.yaml")
    assert fixed.afspraken == doc.afspraken


def test_parties_are_renamed_dropped_and_added_and_afspraken_follow(tmp_path, doc):
    fixed = correct(tmp_path, doc, """\
        parties:
          - party: Woonborg
            name: Stichting Woonborg
            aliases: [Woonborg]
          - party: Huurdersvereniging De Deelmacht
            drop: true
        new_parties:
          - {name: Attenta, kind: overig}
    """)
    assert [p.name for p in fixed.parties] == [
        "Gemeente Aa en Hunze", "Stichting Woonborg", "Algemene Huurdersvereniging WOON", "Woningstichting De Volmacht", "Attenta"]
    everyone = by_number(fixed)["2"]
    assert everyone.responsible == ["Gemeente Aa en Hunze", "Stichting Woonborg", "Algemene Huurdersvereniging WOON", "Woningstichting De Volmacht"]
    assert all("Huurdersvereniging De Deelmacht" not in m.parties and "Woonborg" not in m.parties for a in fixed.afspraken for m in a.mentions)
    assert [(r.field, r.old and r.old["name"], r.new and r.new["name"]) for r in fixed.corrections] == [
        ("parties", "Woonborg", "Stichting Woonborg"), ("parties", "Huurdersvereniging De Deelmacht", None), ("parties", None, "Attenta")]
    assert not any(a.corrected for a in fixed.afspraken)  # the parties changed, not the afspraken


def test_afspraken_are_dropped_merged_split_and_added_in_document_order(tmp_path, doc):
    fixed = correct(tmp_path, doc, """\
        afspraken:
          - afspraak: 1
            drop: true
          - afspraak: "2"
            merge: ["3"]
          - afspraak: "16"
            first_words: Woonborg en AH WOON werken samen
            split:
              - at: Voor 2022 geldt daarom
                number: 16b
                theme: betaalbaarheid
        new_afspraken:
          - text: In 2022 onderzoeken we hoe we komen tot meerjarige prestatieafspraken.
            page: 2
            theme: samenwerking
            deadlines: [{text: In 2022, date: 2022-12-31}]
            commitment: onderzoek
          - after: "34"
            number: 34a
            text: De gemeente stelt het woningbouwprogramma vast.
            theme: beschikbaarheid
            responsible: [Gemeente Aa en Hunze]
    """)
    assert len(fixed.afspraken) == len(doc.afspraken) - 2 + 1 + 2  # 1 dropped, 3 merged into 2; 16 split; 2 added
    assert [a.ordinal for a in fixed.afspraken] == list(range(1, len(fixed.afspraken) + 1))
    first = fixed.afspraken[0]
    assert (first.number, first.id, first.page, first.section_path, first.corrected) == (None, f"{DOC_ID}#o1", 2, [], True)
    assert first.deadlines[0].start == 0 and first.deadlines[0].end == 7  # found in its text: highlighted on the site
    numbers = [a.number for a in fixed.afspraken]
    assert "1" not in numbers and "3" not in numbers and numbers[1] == "2"
    found = by_number(doc)
    merged = by_number(fixed)["2"]
    assert merged.text == f"{found['2'].text} {found['3'].text}"
    assert all(merged.text[m.start:m.end] in ("Partijen", "partijen") for m in merged.mentions)
    part_a, part_b = by_number(fixed)["16"], by_number(fixed)["16b"]
    assert part_a.text + " " + part_b.text == found["16"].text
    assert part_a.targets == [] and [part_b.text[t.start:t.end] for t in part_b.targets] == ["maximaal 1%"]
    assert (part_b.theme, part_b.page, numbers.index("16b")) == ("betaalbaarheid", found["16"].page, numbers.index("16") + 1)
    added = by_number(fixed)["34a"]
    assert numbers.index("34a") == numbers.index("34") + 1 and added.section_path == found["34"].section_path
    assert {(r.afspraak, r.field) for r in fixed.corrections} == {
        (f"{DOC_ID}#1", "afspraak"), (f"{DOC_ID}#3", "afspraak"), (f"{DOC_ID}#2", "text"), (f"{DOC_ID}#16", "text"),
        (f"{DOC_ID}#16b", "afspraak"), (f"{DOC_ID}#o1", "afspraak"), (f"{DOC_ID}#34a", "afspraak")}


def test_tags_set_by_a_person_are_placed_in_the_text_and_marked_corrected(tmp_path, doc):
    fixed = correct(tmp_path, doc, """\
        afspraken:
          - afspraak: "34"
            first_words: Het gemeentelijk woningbouwprogramma wordt 2022
            responsible: [Gemeente Aa en Hunze]
            deadlines:
              - {text: "2022", date: 2022-12-31}
            commitment: resultaat
            checked: J. de Vries, 2025-03-14
          - first_words: In 2022 wil Woonborg 14 woningen
            targets: []
            theme: duurzaamheid
    """)
    fix = by_number(fixed)["34"]
    assert fix.responsible == ["Gemeente Aa en Hunze"] and fix.commitment == "resultaat" and fix.corrected
    assert fix.text[fix.deadlines[0].start:fix.deadlines[0].end] == "2022" and fix.deadlines[0].date == "2022-12-31"
    assert fix.checked is not None and fix.checked.by == "J. de Vries"
    other = by_number(fixed)["35"]
    assert other.targets == [] and other.theme == "duurzaamheid"
    assert [(r.afspraak, r.field, r.line) for r in fixed.corrections] == [
        (f"{DOC_ID}#34", "responsible", 5), (f"{DOC_ID}#34", "deadlines", 7), (f"{DOC_ID}#34", "commitment", 8),
        (f"{DOC_ID}#35", "targets", 11)]  # its theme was duurzaamheid already: no change
    unchanged = correct(tmp_path, doc, """\
        afspraken:
          - {afspraak: "35", theme: duurzaamheid}
    """)
    assert unchanged.corrections == [] and not by_number(unchanged)["35"].corrected  # the value it had: nothing corrected


@pytest.mark.parametrize("body, line, problem", [
    ("afspraken:\n  - afspraak: 12\n    thema: leefbaarheid\n", 3, "afspraken.0.thema: Extra inputs are not permitted"),
    ("afspraken:\n  - afspraak: 12\n    theme: wonen\n", 3, "afspraken.0.theme: Input should be"),
    ("validity:\n  start: 1 januari 2022\n", 2, "validity.start: Value error, '1 januari 2022' is not a date"),
    ("checked: J. de Vries\n", 1, "checked: Value error, expected 'name, date'"),
    ("afspraken:\n  - afspraak: 2.10\n", 2, "write a number with a dot in quotes"),
    ("afspraken:\n  - afspraak: '12'\n    drop: true\n    theme: leefbaarheid\n", 2, "a dropped afspraak takes no other correction"),
    ("afspraken:\n  - theme: leefbaarheid\n", 2, "name the afspraak"),
    ("afspraken: [\n", 2, "not valid YAML"),
])
def test_a_bad_file_stops_with_its_name_line_and_problem(tmp_path, doc, body, line, problem):
    folder = tmp_path / "corrections"
    folder.mkdir()
    path = folder / f"{DOC_ID}.yaml"
    path.write_text(f"source_sha256: {doc.source.sha256}\n{body}", encoding="utf-8")
    with pytest.raises(CorrectionError) as caught:
        load_corrections(folder)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line + 1}: ") and problem in message and "\n" not in message


def test_a_file_needs_the_source_sha256_and_a_name_that_says_which_document(tmp_path):
    folder = tmp_path / "corrections"
    folder.mkdir()
    (folder / f"{DOC_ID}.yaml").write_text("title: X\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"aa-en-hunze-2022.yaml:1: source_sha256: Field required"):
        load_corrections(folder)
    (folder / f"{DOC_ID}.yaml").write_text("source_sha256: 1234\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"aa-en-hunze-2022.yaml:1: source_sha256: Value error, write the sha256 in quotes"):
        load_corrections(folder)
    (folder / f"{DOC_ID}.yaml").unlink()
    (folder / "Aa en Hunze.yaml").write_text("title: X\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"name it <doc_id>.yaml"):
        load_corrections(folder)
    with pytest.raises(CorrectionError, match="no such corrections folder"):
        load_corrections(tmp_path / "nergens")


@pytest.mark.parametrize("body, line, problem", [
    ("afspraken:\n  - afspraak: '999'\n    theme: leefbaarheid\n", 3, "no afspraak numbered or starting '999' in aa-en-hunze-2022"),
    ("parties:\n  - {party: Woonbrog, drop: true}\n", 3, "no party 'Woonbrog' in aa-en-hunze-2022"),
    ("afspraken:\n  - afspraak: '34'\n    responsible: [Gemeente Assen]\n", 4, "'Gemeente Assen' is no party of aa-en-hunze-2022"),
    ("afspraken:\n  - {afspraak: '4', drop: true}\n  - {afspraak: '4', theme: leefbaarheid}\n", 4, "corrected in entry 1 already"),
    ("afspraken:\n  - afspraak: '2'\n    merge: ['2']\n", 4, "cannot be merged here"),
    ("afspraken:\n  - {first_words: Partijen, theme: leefbaarheid}\n", 3, "several afspraken start with these words"),
])
def test_a_correction_naming_what_the_document_does_not_hold_is_an_error(tmp_path, doc, body, line, problem):
    with pytest.raises(CorrectionError) as caught:
        correct(tmp_path, doc, body)
    assert str(caught.value).startswith(f"{tmp_path / 'corrections' / DOC_ID}.yaml:{line}: ") and problem in str(caught.value)


def test_two_afspraken_with_one_number_are_an_error(tmp_path, doc):
    with pytest.raises(CorrectionError, match="two afspraken would be numbered 5"):
        correct(tmp_path, doc, "new_afspraken:\n  - {number: '5', text: Nog een afspraak., theme: samenwerking}\n")


def test_a_correction_for_another_version_of_the_source_is_reported_not_applied(tmp_path, doc):
    stale = correct(tmp_path, doc, "title: Anders\nafspraken:\n  - {afspraak: '1', drop: true}\n", written_for="f" * 64)
    assert stale.title == doc.title and stale.afspraken == doc.afspraken and stale.corrections == []
    assert stale.review[-1] == "stale_correction"
    assert stale.warnings[-1].startswith(f"Correctie {tmp_path / 'corrections' / DOC_ID}.yaml is niet toegepast: die is geschreven voor een andere versie")
    assert doc.source.sha256 in stale.warnings[-1]  # what to write in the file once it is checked


def test_an_afspraak_whose_text_changed_under_its_correction_is_reported_the_rest_applied(tmp_path, doc):
    fixed = correct(tmp_path, doc, """\
        title: Nieuw
        afspraken:
          - afspraak: "34"
            first_words: De gemeente stelt het programma op
            theme: leefbaarheid
          - first_words: Deze woorden staan nergens
            theme: leefbaarheid
    """)
    assert fixed.title == "Nieuw" and by_number(fixed)["34"].theme == "beschikbaarheid"
    assert fixed.review == ["stale_correction"]
    assert fixed.warnings[-2:] == [
        f"Correctie {tmp_path / 'corrections' / DOC_ID}.yaml:4 is niet toegepast: afspraak 34 begint nu met "
        "‘Het gemeentelijk woningbouwprogramma wordt 2022 in afstemming met’.",
        f"Correctie {tmp_path / 'corrections' / DOC_ID}.yaml:7 is niet toegepast: geen afspraak begint nu met ‘Deze woorden staan nergens’.",
    ]


def test_files_match_documents_by_doc_id_or_sha256_prefix(tmp_path, doc):
    folder = tmp_path / "corrections"
    folder.mkdir()
    body = f"source_sha256: {doc.source.sha256}\n"
    (folder / f"{doc.source.sha256[:10]}.yaml").write_text(body, encoding="utf-8")
    (folder / "tynaarlo-2023.yaml").write_text(body, encoding="utf-8")
    corrections = load_corrections(folder)
    found, unmatched = corrections.match([(DOC_ID, doc.source.sha256)])
    assert found[DOC_ID].path.name == f"{doc.source.sha256[:10]}.yaml" and [f.path.name for f in unmatched] == ["tynaarlo-2023.yaml"]
    (folder / f"{DOC_ID}.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(CorrectionError, match="one file per document"):
        load_corrections(folder).match([(DOC_ID, doc.source.sha256)])
    assert Corrections().match([(DOC_ID, doc.source.sha256)]) == ({}, [])
    assert load_corrections(folder).digest != corrections.digest


def test_the_review_queue_lists_what_is_least_sure_with_snippets_that_change_nothing(tmp_path, doc, rules):
    items = review_items(doc, rules)
    assert [(i.reason, i.number, i.page) for i in items] == [
        ("no_responsible", "34", 8), ("theme_by_content", "71", 11), ("theme_by_content", "72", 11)]
    snippet = yaml.safe_load(items[0].snippet)
    assert snippet["afspraken"] == [{"afspraak": "34", "first_words": "Het gemeentelijk woningbouwprogramma wordt 2022 in afstemming met", "responsible": []}]
    assert "# responsible: Gemeente Aa en Hunze; Woonborg;" in items[0].snippet and "  # checked: <naam>, <jjjj-mm-dd>" in items[0].snippet
    for item in items:  # pasted as it is, each is a valid correction that changes nothing
        Correction.model_validate(yaml.safe_load(item.snippet))
        (tmp_path / "c").mkdir(exist_ok=True)
        pasted = correct(tmp_path / "c", doc, item.snippet.split("\n", 1)[1])
        assert pasted.corrections == [] and pasted.afspraken == doc.afspraken


def test_corrected_or_checked_values_leave_the_queue_and_other_concerns_join_it(tmp_path, doc, rules):
    fixed = correct(tmp_path, doc, """\
        afspraken:
          - {afspraak: "34", responsible: [Gemeente Aa en Hunze]}
          - {afspraak: "71", checked: "J. de Vries, 2025-03-14"}
          - afspraak: "4"
            deadlines: [{text: eind 2021, date: 2021-12-31}]
            targets: [{text: 3 dorpsgesprekken, comparator: "=", value: 3, unit: dorpsgesprek}]
    """)
    assert [(i.reason, i.number) for i in review_items(fixed, rules)] == [("theme_by_content", "72")]
    unsure = by_number(fixed)["4"]
    odd = fixed.model_copy(update={"afspraken": [unsure.model_copy(update={"corrected": False})], "corrections": []})
    assert [i.reason for i in review_items(odd, rules)] == ["unknown_unit", "deadline_before_start"]
    with_reason = doc.model_copy(update={"review": ["no_validity"], "validity": doc.validity.model_copy(update={"start": None, "end": None})})
    first = review_items(with_reason, rules)[0]
    assert (first.reason, first.afspraak, first.label) == ("no_validity", None, "geen looptijd gevonden")
    assert yaml.safe_load(first.snippet)["validity"] == {"start": None, "end": None}
