"""Responsible parties, commitment and theme on wording variants of real templates."""

from __future__ import annotations

import pytest

from pipeline.model import Afspraak, Party, Signing, Validity
from pipeline.tag import tag_afspraken
from pipeline.tag.theme import theme_from_content, theme_from_headings

PARTIES = [
    Party(name="Gemeente Midden-Drenthe", kind="gemeente", aliases=["de gemeente"]),
    Party(name="Actium", kind="corporatie"),
    Party(name="Woningstichting Woonservice", kind="corporatie", aliases=["Woonservice"]),
    Party(name="Huurdersvereniging Beilen", kind="huurdersorganisatie", aliases=["HVB"]),
]
ALL = [p.name for p in PARTIES]
CORPORATIES = ["Actium", "Woningstichting Woonservice"]


def tag(text: str, section_path: list[str] | None = None, rules=None) -> Afspraak:
    afspraak = Afspraak(id="x#1", number="1", ordinal=1, text=text, section_path=section_path or [])
    [tagged] = tag_afspraken([afspraak], PARTIES, Validity(start="2024-01-01", end="2024-12-31"), Signing(), rules)
    return tagged


@pytest.mark.parametrize(
    ("text", "section_path", "expected"),
    [
        ("De gemeente en Actium voegen 40 woningen toe.", [], ["Gemeente Midden-Drenthe", "Actium"]),
        ("In 2024 voeren de corporaties een woonlastenonderzoek uit.", [], CORPORATIES),
        ("Bij nieuwbouwlocaties hanteert de gemeente sociale grondprijzen.", [], ["Gemeente Midden-Drenthe"]),
        ("Partijen evalueren de afspraken jaarlijks.", [], ALL),
        ("We maken nadere afspraken over Housing First.", [], ALL),
        ("Zowel corporaties als gemeente hebben aandacht voor draagkracht.", [], ["Gemeente Midden-Drenthe", *CORPORATIES]),
        ("Woonservice gaat in overleg met HVB over de huurverhoging.", [], ["Woningstichting Woonservice"]),
        ("Corporaties en huurdersorganisaties worden betrokken bij de woonzorgvisie.", [], []),
        ("De visie wordt door de gemeente opgesteld.", [], ["Gemeente Midden-Drenthe"]),
        ("Het beleid wordt voortgezet.", ["3 Betaalbaarheid", "Prestaties gemeente 2024"], ["Gemeente Midden-Drenthe"]),
        ("Het beleid wordt voortgezet.", ["Gezamenlijke prestaties 2024"], ALL),
        ("De huurprijs van nieuwbouw van Actium wordt vastgesteld.", ["Prestaties Actium en Woonservice 2024"], ["Actium"]),
        ("Zorgaanbieders en Vluchtelingenwerk begeleiden statushouders.", [], []),
        ("In de gemeente Midden-Drenthe is de leefbaarheid goed. Actium levert inzet.", [], ["Actium"]),
        ("Uiteraard betrekt zij HVB en de gemeente daarbij.", ["Prestaties Actium 2024"], ["Actium"]),
    ],
)
def test_responsible(rules, text, section_path, expected):
    assert tag(text, section_path, rules).responsible == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Actium realiseert 40 woningen.", "resultaat"),
        ("De gemeente borgt de sociale grondprijs.", "resultaat"),
        ("Woonservice spant zich in om huurders te helpen.", "inspanning"),
        ("Partijen streven naar structureel overleg.", "inspanning"),
        ("Actium is voornemens 18 woningen te slopen.", "inspanning"),
        ("De gemeente heeft de intentie om te bouwen.", "inspanning"),
        ("Actium wil 12 woningen verbeteren.", "inspanning"),
        ("De gemeente onderzoekt de mogelijkheden voor flexwonen.", "onderzoek"),
        ("Partijen verkennen de mogelijkheden.", "onderzoek"),
        ("In Q1 2024 gaan partijen in overleg over de Voorzieningenwijzer.", "afstemming"),
        ("De corporaties stemmen de planning af met de gemeente.", "afstemming"),
        ("Elk halfjaar monitoren de corporaties de toewijzingen.", "afstemming"),
        ("Zowel corporaties als gemeente hebben bij de huisvesting van doelgroepen aandacht voor draagkracht.", "inspanning"),
    ],
)
def test_commitment(rules, text, expected):
    assert tag(text, [], rules).commitment == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["4 Prestatieafspraken", "4.3 Kwaliteit van de woningvoorraad", "Prestaties gemeente 2023"], "duurzaamheid"),
        (["Thema 2. Beschikbaarheid"], "beschikbaarheid"),
        (["4.4 Huisvesting bijzondere doelgroepen"], "bijzondere_doelgroepen"),
        (["5 Wonen en zorg"], "wonen_en_zorg"),
        (["3 Samenwerking"], "samenwerking"),
        (["4.6 Kleine kernen", "Prestaties gemeente 2022"], None),
        (["2.1 Thema 1: Huisvesten spec. doelgroepen, Leefbaarheid, Wonen & Zorg", "2.1.1 Huisvesten specifieke doelgroepen"], "bijzondere_doelgroepen"),
        (["3 Aandachtsgroepen"], "bijzondere_doelgroepen"),
    ],
)
def test_theme_from_headings(rules, path, expected):
    assert theme_from_headings(path, rules.themes) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Woonservice verbetert 113 woningen naar label A door isolatie.", "duurzaamheid"),
        ("De huursomstijging blijft onder de inflatie; de huurprijs blijft onder de aftoppingsgrens.", "betaalbaarheid"),
        ("De gemeente huisvest statushouders volgens de taakstelling.", "bijzondere_doelgroepen"),
        ("Actium bouwt 30 nieuwbouwwoningen in de kleine kernen.", "beschikbaarheid"),
        ("Partijen pakken overlast aan met buurtbemiddeling.", "leefbaarheid"),
        ("Er komt een woonzorgvisie voor ouderen met een zorgvraag.", "wonen_en_zorg"),
        ("Niets van dit alles.", "samenwerking"),
        # "sociale huurwoningen" says nothing about the rent: who gets them is beschikbaarheid
        ("Beide corporaties zetten lokaal maatwerk in bij het toewijzen van sociale huurwoningen.", "beschikbaarheid"),
        ("Heidezoom start de bouw van 45 sociale huurwoningen.", "beschikbaarheid"),
        # "zorgen ervoor" is no care: "zorg=" counts the whole word only
        ("Corporaties zorgen ervoor dat de voorraad sociale huurwoningen met 3.000 woningen toeneemt.", "beschikbaarheid"),
        ("Partijen maken een werkafspraak over de vroegsignalering van huurachterstanden.", "betaalbaarheid"),
    ],
)
def test_theme_from_content(rules, text, expected):
    assert theme_from_content(text, rules.themes) == expected


def test_dependency_parse_picks_the_main_clause_subject(rules):
    """With a trained parser (here: a hand-made parse) the subject relation decides."""
    from spacy.tokens import Doc

    from pipeline.tag.actors import party_lexicon, sentence_actors
    from pipeline.tag.nlp import load_nlp

    words = ["Het", "plan", "dat", "Actium", "indient", ",", "beoordeelt", "de", "gemeente", "."]
    heads = [1, 6, 4, 4, 1, 6, 6, 8, 6, 6]
    deps = ["det", "obj", "obj", "nsubj", "acl:relcl", "punct", "ROOT", "det", "nsubj", "punct"]
    doc = Doc(load_nlp().vocab, words=words, heads=heads, deps=deps)
    lexicon = party_lexicon(PARTIES, rules.parties)
    assert sentence_actors(doc.text, lexicon, rules.parties, doc[:]) == ["Gemeente Midden-Drenthe"]
    # without the parse the first free mention is taken
    assert sentence_actors(doc.text, lexicon, rules.parties) == ["Actium"]
