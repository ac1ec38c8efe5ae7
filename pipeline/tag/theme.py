"""Theme: the innermost thematic heading decides; elsewhere the content words."""

from __future__ import annotations

import regex

from ..model import Theme
from ..model.rules import ThemeRules, compiled


def _patterns(rules: ThemeRules, field: str) -> dict[Theme, regex.Pattern[str]]:
    """Per theme, any of its heading (or content) words at the start of a word."""

    def build() -> dict[Theme, regex.Pattern[str]]:
        return {
            theme: regex.compile(r"(?<!\p{L})(?:" + "|".join(_word_pattern(w) for w in getattr(rule, field)) + ")")
            for theme, rule in rules.themes.items()
            if getattr(rule, field)
        }

    return compiled(rules, field, build)


def _word_pattern(word: str) -> str:
    """A rule word matches at a word start ("verduurzam" in "verduurzaming"); one ending in "="
    only as a whole word ("zorg=" in "zorg", not in "zorgen")."""
    if word.endswith("="):
        return regex.escape(word[:-1].lower()) + r"(?!\p{L})"
    return regex.escape(word.lower())


def theme_from_headings(section_path: list[str], rules: ThemeRules) -> Theme | None:
    """The theme named by the innermost heading that names one, else ``None``."""
    for heading in reversed(section_path):
        low = heading.lower()
        for theme, pattern in _patterns(rules, "headings").items():
            if pattern.search(low):
                return theme
    return None


def theme_from_content(text: str, rules: ThemeRules) -> Theme:
    """The theme whose content words occur most often; ties go to the theme listed first."""
    low = text.lower()
    patterns = _patterns(rules, "content")
    scores = {theme: len(patterns[theme].findall(low)) if theme in patterns else 0 for theme in rules.themes}
    best = max(scores, key=lambda theme: scores[theme])
    return best if scores[best] else "samenwerking"
