"""Comparable numbers and the national goals, on afspraken written here (the spans as the
taggers set them): kinds, periods, yearly figures, what adds up and what does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.compare.goals import document_goals, goal_reports
from pipeline.compare.quantities import Amount, afspraak_quantities
from pipeline.compare.units import unit_counted, unit_plural
from pipeline.model import Afspraak, Document
from pipeline.model.contract import Deadline, Source, Target, Validity
from pipeline.model.rules import DEFAULT_RULES_DIR, RuleError, load_rules


def _target(text: str, words: str, value: float, unit: str = "woning", **fields) -> Target:
    start = text.index(words)
    return Target(text=words, comparator=fields.pop("comparator", "="), value=value, unit=unit, start=start, end=start + len(words), **fields)


def _deadline(text: str, words: str, date: str) -> Deadline:
    start = text.index(words)
    return Deadline(text=words, date=date, start=start, end=start + len(words))


def _afspraak(number: str, text: str, targets: list[Target], deadlines: list[Deadline] = (), section: list[str] = ()) -> Afspraak:  # type: ignore[assignment]
    return Afspraak(id=f"proef-2022#{number}", number=number, ordinal=1, text=text, targets=targets, deadlines=list(deadlines),
                    section_path=list(section), theme="beschikbaarheid", page=3)


def _document(*afspraken: Afspraak, doc_id: str = "proef-2022", name: str = "Proefdorp", validity=("2022-01-01", "2025-12-31")) -> Document:
    return Document(doc_id=doc_id, source=Source(path="proef.txt", sha256="0", format="text"), doc_type="prestatieafspraken",
                    municipalities=[name], validity=Validity(start=validity[0], end=validity[1]), afspraken=list(afspraken))


def test_units_in_the_plural(rules):
    assert unit_plural("woning", rules.quantities) == "woningen"
    assert unit_plural("nieuwbouwwoning", rules.quantities) == "nieuwbouwwoningen"
    assert unit_plural("standplaats", rules.quantities) == "standplaatsen"
    assert unit_plural("%", rules.quantities) == "%"
    assert unit_counted("huurwoning", ["woning"]) and not unit_counted("%", ["woning"]) and unit_counted("%", ["%"])


def test_growth_since_a_named_date_until_the_deadline_before_it(rules):
    text = ("Eind 2025 bedraagt de kernvoorraad tenminste 9.170 woningen. Dat is een netto toename van 300 woningen "
            "ten opzichte van 1 januari 2020.")
    afspraak = _afspraak("12a", text, [_target(text, "tenminste 9.170 woningen", 9170, comparator=">="), _target(text, "300 woningen", 300)],
                         [_deadline(text, "Eind 2025", "2025-12-31")])
    stock, growth = afspraak_quantities(afspraak, _document(afspraak), rules)
    assert (stock.kind, stock.yearly, stock.describe()) == ("stock", None, "voorraad: ≥ 9.170 woningen eind 2025")
    assert growth.kind == "growth" and growth.period is not None and growth.period.label == "2020–2025"
    assert growth.yearly == Amount(low=50) and growth.over_period == Amount(low=300)
    assert growth.describe() == "groei: 300 woningen in 2020–2025 (50 per jaar)"


def test_a_yearly_number_over_a_span_of_years(rules):
    text = "Proefhuis zorgt voor jaarlijks 40 sociale huurwoningen erbij in 2025–2028."
    afspraak = _afspraak("1", text, [_target(text, "40 sociale huurwoningen", 40, unit="huurwoning", per="jaar")],
                         [_deadline(text, "in 2025–2028", "2028-12-31")])
    (quantity,) = afspraak_quantities(afspraak, _document(afspraak, validity=("2025-01-01", "2028-12-31")), rules)
    assert (quantity.kind, quantity.yearly, quantity.over_period) == ("growth", Amount(low=40), Amount(low=160))
    assert quantity.describe() == "groei: 40 huurwoningen per jaar in 2025–2028 (160 in de periode)"


def test_a_range_keeps_both_ends_over_the_validity(rules):
    text = "De corporaties verkopen gezamenlijk circa 4 tot 6 woningen per jaar."
    afspraak = _afspraak("29", text, [_target(text, "4 tot 6 woningen", 4, value_max=6, comparator="range", per="jaar")])
    (quantity,) = afspraak_quantities(afspraak, _document(afspraak), rules)
    assert quantity.kind == "decrease" and quantity.yearly == Amount(low=4, high=6) and quantity.over_period == Amount(low=16, high=24)
    assert quantity.amount_text() == "4–6 woningen per jaar"


def test_a_number_under_a_yearly_heading_is_that_years(rules):
    text = "Woonborg heeft in de planning de oplevering van 48 nieuwbouwwoningen."
    afspraak = _afspraak("21", text, [_target(text, "48 nieuwbouwwoningen", 48, unit="nieuwbouwwoning")],
                         section=["4.2 Beschikbaarheid", "Prestaties Woonborg en SEW 2023"])
    (quantity,) = afspraak_quantities(afspraak, _document(afspraak), rules)
    assert quantity.kind == "growth" and quantity.period is not None and quantity.period.label == "2023"
    assert quantity.describe() == "groei: 48 nieuwbouwwoningen in 2023"


def test_the_nearest_kind_word_decides(rules):
    text = "In de wijk zijn sloopplannen voor ca. 65 woningen en vervolgens vervangende nieuwbouw van ca. 45 woningen."
    afspraak = _afspraak("31", text, [_target(text, "ca. 65 woningen", 65, comparator="~"), _target(text, "ca. 45 woningen", 45, comparator="~")])
    assert [q.kind for q in afspraak_quantities(afspraak, _document(afspraak), rules)] == ["decrease", "growth"]


def test_a_count_at_a_months_end_starts_the_period_the_next_day(rules):
    text = "Eind 2026 bedraagt de kernvoorraad 3.341 woningen. Dat is een netto-toename van 102 woningen t.o.v. 31 december 2022."
    afspraak = _afspraak("1a", text, [_target(text, "102 woningen", 102)], [_deadline(text, "Eind 2026", "2026-12-31")])
    (quantity,) = afspraak_quantities(afspraak, _document(afspraak, validity=("2022-01-01", "2026-12-31")), rules)
    assert quantity.sentence == "Dat is een netto-toename van 102 woningen t.o.v. 31 december 2022."  # "t.o.v." ends no sentence
    assert quantity.period is not None and quantity.period.label == "2023–2026" and quantity.yearly == Amount(low=25.5)


def test_a_sentence_starting_with_a_number_is_a_sentence_of_its_own(rules):
    text = "In 2023 worden 10 woningen verduurzaamd door het isoleren van daken. 50 woningen krijgen extra dakisolatie."
    afspraak = _afspraak("26", text, [_target(text, "10 woningen", 10), _target(text, "50 woningen", 50)], [_deadline(text, "In 2023", "2023-12-31")])
    first, second = afspraak_quantities(afspraak, _document(afspraak), rules)
    assert (first.kind, second.kind) == ("work", "growth")  # "extra" is nearer the 50 than "verduurzaamd", and in its sentence
    assert second.sentence == "50 woningen krijgen extra dakisolatie." and second.period is not None and second.period.label == "2023"


def test_kind_words_are_rule_data(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    path = rules_dir / "quantities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  growth: [toevoeg,", "  growth: [opknappen, toevoeg,"), encoding="utf-8")
    text = "Wij knappen 20 woningen op; in totaal opknappen we 30 woningen."
    afspraak = _afspraak("1", text, [_target(text, "30 woningen", 30)])
    assert afspraak_quantities(afspraak, _document(afspraak), load_rules())[0].kind is None
    assert afspraak_quantities(afspraak, _document(afspraak), load_rules(rules_dir))[0].kind == "growth"


def _goal_document(rules, doc_id: str, name: str, start: str, *afspraken: Afspraak):
    return document_goals(_document(*afspraken, doc_id=doc_id, name=name, validity=(start, start[:4] + "-12-31")), rules)


def test_a_goal_counts_each_plan_once_and_adds_up_afspraken(rules):
    text = ("De kernvoorraad groeit. Eind 2022 is er een toename van 30 woningen. Daarmee realiseren we 30 woningen. Voor de "
            "langere termijn is het doel een groei van 200 sociale huurwoningen in de periode 2022-2031.")
    plan = _afspraak("1", text, [_target(text, "van 30 woningen", 30), _target(text, "we 30 woningen", 30),
                                 _target(text, "200 sociale huurwoningen", 200, unit="huurwoning")],
                     [_deadline(text, "Eind 2022", "2022-12-31")])
    other_text = "De corporatie bouwt 12 nieuwe sociale huurwoningen erbij in 2022."
    other = _afspraak("2", other_text, [_target(other_text, "12 nieuwe sociale huurwoningen", 12, unit="huurwoning")],
                      [_deadline(other_text, "in 2022", "2022-12-31")])
    entry = _goal_document(rules, "proef-2022", "Proefdorp", "2022-01-01", plan, other).goals["sociale_huur"]
    assert [(n.quantity.amount_text(), n.skipped) for n in entry.numbers] == [
        ("30 woningen", None), ("30 woningen", "herhaald"), ("200 huurwoningen", "andere termijn"), ("12 huurwoningen", None)]
    assert entry.yearly == Amount(low=42)


def test_the_register_total_takes_each_municipalitys_latest_agreement(rules):
    def growth(number: int, year: int) -> Afspraak:
        text = f"De corporatie bouwt {number} sociale huurwoningen erbij in {year}."
        return _afspraak("1", text, [_target(text, f"{number} sociale huurwoningen", number, unit="huurwoning")],
                         [_deadline(text, f"in {year}", f"{year}-12-31")])

    none = _afspraak("1", "De gemeente overlegt jaarlijks met de huurders.", [])
    documents = [
        _goal_document(rules, "proef-2022", "Proefdorp", "2022-01-01", growth(10, 2022)),
        _goal_document(rules, "proef-2023", "Proefdorp", "2023-01-01", growth(20, 2023)),
        _goal_document(rules, "oost-2023", "Oostdorp", "2023-01-01", growth(5, 2023)),
        _goal_document(rules, "west-2023", "Westdorp", "2023-01-01", none),
    ]
    report = next(r for r in goal_reports(documents, rules) if r.key == "sociale_huur")
    assert report.total == Amount(low=25)
    assert [(r.doc_id, r.in_total) for r in report.with_numbers] == [("proef-2022", False), ("proef-2023", True), ("oost-2023", True)]
    assert [r.doc_id for r in report.none] == ["west-2023"]
    assert (report.municipalities_counted, report.municipalities_in_register, report.municipalities_in_country) == (2, 3, 342)


def _edited(tmp_path: Path, file: str, old: str, new: str) -> Path:
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    path = rules_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return rules_dir


def test_every_counted_noun_needs_a_plural(tmp_path):
    rules_dir = _edited(tmp_path, "quantities.yaml", "  energiecoach: energiecoaches\n", "")
    with pytest.raises(RuleError, match=r"quantities\.yaml:\d+: plurals: no plural for the counted noun 'energiecoach'"):
        load_rules(rules_dir)


def test_a_goal_names_known_topics(tmp_path):
    rules_dir = _edited(tmp_path, "national_goals.yaml", "counts: {topics: [middenhuur],", "counts: {topics: [middeldure_huur],")
    with pytest.raises(RuleError, match=r"national_goals\.yaml:\d+: goals\.middenhuur\.counts\.topics: unknown topic 'middeldure_huur'"):
        load_rules(rules_dir)


def test_a_goal_with_a_figure_needs_its_unit(tmp_path):
    rules_dir = _edited(tmp_path, "national_goals.yaml", "    figure: 20000\n    unit: plaatsen\n", "    figure: 20000\n")
    with pytest.raises(RuleError, match=r"national_goals\.yaml:\d+: goals\.verpleegzorgplaatsen: .*needs its unit"):
        load_rules(rules_dir)
