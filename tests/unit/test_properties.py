"""Property-based tests: the text-level parsers never raise on arbitrary text, and every span
they report lies inside the input."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clean import join_hyphenated, split_footnotes
from pipeline.metadata.dates import find_dates
from pipeline.tag.deadlines import find_deadlines
from pipeline.model import Line
from pipeline.model.rules import default_rules
from pipeline.structure.blocks import classify_heading, lines_to_blocks, match_item
from pipeline.tag.targets import find_targets, parse_number

RULES = default_rules()
# Text built from the pieces these parsers look for, mixed with arbitrary characters.
PIECES = st.sampled_from(
    ["12.", "1a.", "a.", "3.2", "Afspraak", "A1", "4.1 Betaalbaarheid", "minimaal", "circa", "€", "%", "9.170", "633,25",
     "1/3", "6-tal", "tot", "t/m", "eind", "Q1", "januari", "2023", "jaarlijks", "woningen", "label", "C", "-", "(", ")", ":",
     "\n", " ", "vóór", "uiterlijk", "op", "het eerste kwartaal van", "prijspeil", "woning-", "en"]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=40).map(" ".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text(max_size=20))
def test_parse_number_never_raises(text):
    value = parse_number(text, RULES.targets.number_words)
    assert value is None or isinstance(value, float)


@SETTINGS
@given(TEXT)
def test_dates_lie_inside_the_text(text):
    for _, match in find_dates(text, RULES.documents):
        assert text[match.start() : match.end()] == match.group(0)


@SETTINGS
@given(TEXT, st.one_of(st.none(), st.integers(1990, 2060)))
def test_deadlines_lie_inside_the_text(text, year):
    for found in find_deadlines(text, year, dt.date(2023, 1, 1), RULES):
        assert 0 <= found.start <= found.end <= len(text)
        assert text[found.start : found.end].strip() == found.deadline.text


@SETTINGS
@given(TEXT)
def test_targets_lie_inside_the_text(text):
    for found in find_targets(text, RULES):
        assert 0 <= found.start <= found.end <= len(text)
        assert found.target.text in text


@SETTINGS
@given(st.lists(TEXT, max_size=12))
def test_numbering_and_headings_never_raise(texts):
    lines = [Line(text=t.strip(), page=1) for t in texts if t.strip()]
    for i, line in enumerate(lines):
        found = match_item(line.text, RULES.structure)
        if found:
            assert found[2] in line.text
        classify_heading(line.text, lines[i - 1].text if i else None, None, RULES.structure)
    source = " ".join(line.text for line in lines)
    for block in lines_to_blocks(lines, RULES.structure):
        for word in block.text.split():
            assert word in source


@SETTINGS
@given(st.lists(TEXT, max_size=12))
def test_cleaning_keeps_every_character_but_hyphens(texts):
    lines = [Line(text=t.strip(), page=1) for t in texts if t.strip()]
    prose, notes = split_footnotes(lines)
    joined = join_hyphenated(prose, RULES.cleaning)
    before = "".join("".join(line.text.split()) for line in prose).replace("-", "")
    after = "".join("".join(line.text.split()) for line in joined).replace("-", "")
    assert before == after and len(prose) + len(notes) == len(lines)
