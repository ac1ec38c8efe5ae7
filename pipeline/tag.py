"""Stage 5 — tag afspraken: the contract's tagging fields.

So far: the theme, where a thematic heading above the afspraak decides it.
"""

from __future__ import annotations

import regex

from .models import Afspraak
from .rules import ThemeRules


def theme_from_headings(section_path: list[str], rules: ThemeRules) -> str | None:
    """The theme named by the innermost heading that names one, else ``None``."""
    for heading in reversed(section_path):
        low = heading.lower()
        for theme, rule in rules.themes.items():
            if any(regex.search(rf"(?<!\p{{L}}){regex.escape(word.lower())}", low) for word in rule.headings):
                return theme
    return None


def tag_afspraken(afspraken: list[Afspraak], rules: ThemeRules) -> list[Afspraak]:
    """Fill the tagging fields that can be decided so far."""
    return [a.model_copy(update={"theme": theme_from_headings(a.section_path, rules)}) for a in afspraken]
