"""Rule files load, and a malformed one fails naming file, line and problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.model.rules import DEFAULT_RULES_DIR, RuleError, load_rules


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


def test_shipped_rules_load():
    rules = load_rules()
    assert "betaalbaarheid" in rules.themes.themes
    assert len(rules.digest) == 64


def test_wrong_type_names_file_line_and_field(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    path = rules_dir / "structure.yaml"
    path.write_text(path.read_text().replace("max_heading_chars: 80", "max_heading_chars: veel"))
    with pytest.raises(RuleError) as error:
        load_rules(rules_dir)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("max_heading_chars"))
    assert str(error.value).startswith(f"{path}:{line}: max_heading_chars: ")


def test_unknown_theme_is_rejected(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    path = rules_dir / "themes.yaml"
    path.write_text(path.read_text() + "  sport:\n    headings: [sport]\n")
    with pytest.raises(RuleError, match=r"themes\.yaml:\d+: themes\.sport"):
        load_rules(rules_dir)


def test_bad_regular_expression_is_rejected(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    path = rules_dir / "parties.yaml"
    path.write_text(path.read_text().replace("'bewonersraad'", "'bewoners(raad'"))
    with pytest.raises(RuleError, match=r"parties\.yaml:\d+: .*invalid regular expression"):
        load_rules(rules_dir)


def test_broken_yaml_names_the_line(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    (rules_dir / "documents.yaml").write_text("months:\n  januari: 1\n   februari: [\n")
    with pytest.raises(RuleError, match=r"documents\.yaml:\d+: not valid YAML"):
        load_rules(rules_dir)


def test_adding_a_synonym_changes_the_digest(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    before = load_rules(rules_dir).digest
    path = rules_dir / "themes.yaml"
    path.write_text(path.read_text().replace("[leefbaarheid,", "[leefbaarheid, schoon heel en veilig,"))
    after = load_rules(rules_dir)
    assert after.digest != before
    assert "schoon heel en veilig" in after.themes.themes["leefbaarheid"].headings
