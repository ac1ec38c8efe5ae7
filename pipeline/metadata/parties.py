"""The signing parties (name, kind, aliases, representative) and the municipalities."""

from __future__ import annotations

from collections import Counter

import regex

from ..model import Party, PartyKind
from ..model.rules import PartyRules

_QUOTED = r"[‘'\"“]\s*(?P<alias>[^’'\"”]{1,60}?)\s*[’'\"”]"
_INITIAL_NAME = regex.compile(
    r"(?P<name>(?:\p{Lu}\.\s?)+(?:\p{Lu}\p{Ll}*\.?\s?)*\s*(?:(?:van|de|der|den|ter|ten|het|'t)\s+)*\p{Lu}[\p{L}'-]+)"
)
_MUNICIPALITY = regex.compile(
    r"\b[Gg]emeente\s+(?P<name>\p{Lu}[\p{L}'-]+(?:\s+(?:en|aan|op|de|den)\s+\p{Lu}[\p{L}'-]+|\s+\p{Lu}[\p{Ll}'-]+)*)"
)


def is_party_item(text: str, rules: PartyRules) -> bool:
    low = text.lower()
    return any(marker in low for marker in rules.party_item_markers)


def _party_kind(name: str, role: str | None, rules: PartyRules) -> PartyKind:
    for kind, rule in rules.kinds.items():
        if any(regex.search(p, name, regex.IGNORECASE) for p in rule.name_patterns):
            return kind
        if any(name.lower() == k.lower() or name.lower().endswith(" " + k.lower()) for k in rule.known):
            return kind
    for kind, rule in rules.kinds.items():
        if role and role in rule.roles:
            return kind
    return "overig"


def parse_party(text: str, full_text: str, rules: PartyRules) -> Party:
    """One party-list entry: "Woonborg, rechtsgeldig vertegenwoordigd door ..., hierna te noemen: ‘Woonborg’."""
    name = regex.split(r",|\s+(?:rechtsgeldig\s+)?vertegenwoordigd\b|\s+hierna\b", text, maxsplit=1)[0].strip()
    role = representative = None
    rep = regex.search(r"vertegenwoordigd\s+door\s+(?P<rest>.*?)(?:,?\s+gemachtigd\b|,?\s+hierna\b|$)", text, regex.IGNORECASE)
    if rep:
        rest = rep.group("rest")
        low = rest.lower()
        role = next((r for r in rules.roles if regex.search(rf"\b{regex.escape(r)}\b", low)), None)
        names = _INITIAL_NAME.findall(rest.split(",")[0])
        representative = names[-1].strip() if names else None
    aliases = []
    hierna = regex.search(rf"hierna(?:\s+te\s+noemen|\s+genoemd)?\s*:?\s*(?P<all>(?:{_QUOTED}(?:\s*(?:,|of|en)\s*)?)+)", text, regex.IGNORECASE)
    if hierna:
        aliases = [m.group("alias") for m in regex.finditer(_QUOTED, hierna.group("all"))]
    initials = "".join(w[0] for w in regex.findall(r"\b\p{Lu}[\p{L}-]*", name))
    if len(initials) >= 2 and regex.search(rf"\b{initials}\b", full_text):
        aliases.append(initials)
    aliases = list(dict.fromkeys(a for a in aliases if a.lower() != name.lower()))
    return Party(name=name, kind=_party_kind(name, role, rules), aliases=aliases, representative=representative, representative_role=role)


def find_municipalities(parties: list[Party], text: str) -> list[str]:
    """Municipalities of the gemeente parties; failing those, the most named "gemeente X"."""
    names = [regex.sub(r"^gemeente\s+", "", p.name, flags=regex.IGNORECASE) for p in parties if p.kind == "gemeente"]
    if names:
        return names
    counts = Counter(m.group("name") for m in _MUNICIPALITY.finditer(text))
    return [counts.most_common(1)[0][0]] if counts else []


