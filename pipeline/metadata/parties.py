"""The signing parties (name, kind, aliases, representative) and the municipalities."""

from __future__ import annotations

import regex

from ..model import Party, PartyKind
from ..model.rules import PartyKindRule, PartyRules, alternation, compiled

_QUOTED = r"[‘'\"“]\s*(?P<alias>[^’'\"”]{1,60}?)\s*[’'\"”]"


def _person_pattern(rules: PartyRules) -> regex.Pattern[str]:
    """A person as agreements name one: initials and surname, with its particles ("J.H. van der Berg")."""
    return compiled(rules, "person", lambda: regex.compile(
        rf"(?P<name>(?:\p{{Lu}}\.\s?)+(?:\p{{Lu}}\p{{Ll}}*\.?\s?)*\s*(?:(?:{alternation(rules.surname_particles)})\s+)*\p{{Lu}}[\p{{L}}'-]+)"
    ))


def is_party_item(text: str, rules: PartyRules) -> bool:
    low = text.lower()
    return any(marker in low for marker in rules.party_item_markers)


def _name_patterns(rule: PartyKindRule) -> list[regex.Pattern[str]]:
    return compiled(rule, "name_patterns", lambda: [regex.compile(p, regex.IGNORECASE) for p in rule.name_patterns])


def _named_kind(name: str, rules: PartyRules) -> PartyKind | None:
    """The kind a name reveals (its words, or a known organisation), None when it reveals none."""
    for kind, rule in rules.kinds.items():
        if any(p.search(name) for p in _name_patterns(rule)):
            return kind
        if any(name.lower() == k.lower() or name.lower().endswith(" " + k.lower()) for k in rule.known):
            return kind
    return None


def _party_kind(name: str, role: str | None, rules: PartyRules, default: PartyKind = "corporatie") -> PartyKind:
    if kind := _named_kind(name, rules):
        return kind
    for kind, rule in rules.kinds.items():
        if role and role in rule.roles:
            return kind
    # Under the Woningwet the signing parties are municipalities, corporations and tenant
    # organisations; a party whose name names neither of the others is a corporation
    # (unless the list it stands in says otherwise: ``default``).
    return default


def parse_party_item(text: str, full_text: str, rules: PartyRules) -> list[Party]:
    """One item of a party list; a group item names its members ("de Federatie, bestaande uit
    Heuvelrug Wonen, Rhenam Wonen en woningbouwvereniging Maarn")."""
    members = regex.search(rf"(?i:{alternation(rules.member_intros)})\s*:?\s+(?P<members>.+)$", text)
    if members and not is_party_item(text, rules):
        group = text[: members.start()]
        return enumerated_parties(f"{group} {members.group('members')}" if _group_kind(group, rules) else members.group("members"), rules)
    return [parse_party(text, full_text, rules)]


def _party_item_patterns(rules: PartyRules) -> dict[str, regex.Pattern[str]]:
    """"X, rechtsgeldig vertegenwoordigd door <role> <name>, gemachtigd …, hierna te noemen: ‘Y’"."""

    def build() -> dict[str, regex.Pattern[str]]:
        represented = alternation(rules.representation_words)
        by = alternation(rules.representation_by)
        alias = alternation(rules.alias_intros)
        mandate = alternation(rules.mandate_words)
        return {
            "name_end": regex.compile(rf",|\s+(?:{represented})\b|\s+(?:{alias})\b", regex.IGNORECASE),
            "representative": regex.compile(rf"(?:{by})\s+(?P<rest>.*?)(?:,?\s+(?:{mandate})\b|,?\s+(?:{alias})\b|$)", regex.IGNORECASE),
            "quoted_aliases": regex.compile(rf"(?:{alias})\s*:?\s*(?P<all>(?:{_QUOTED}(?:\s*(?:,|of|en)\s*)?)+)", regex.IGNORECASE),
            "unquoted_alias": regex.compile(rf"(?:{alias})\s*:\s*(?P<alias>[^;,.:]{{1,40}}?)\s*(?:[;,.]|$)", regex.IGNORECASE),
        }

    return compiled(rules, "party_item", build)


def parse_party(text: str, full_text: str, rules: PartyRules) -> Party:
    """One party-list entry: "Woonborg, rechtsgeldig vertegenwoordigd door ..., hierna te noemen: ‘Woonborg’."""
    p = _party_item_patterns(rules)
    name = clean_name(p["name_end"].split(text, maxsplit=1)[0], rules)
    role = representative = None
    rep = p["representative"].search(text)
    if rep:
        rest = rep.group("rest")
        low = rest.lower()
        role = next((r for r in rules.roles if regex.search(rf"\b{regex.escape(r)}\b", low)), None)
        names = _person_pattern(rules).findall(rest.split(",")[0])
        representative = names[-1].strip() if names else None
    aliases = []
    hierna = p["quoted_aliases"].search(text)
    if hierna:
        aliases = [m.group("alias") for m in regex.finditer(_QUOTED, hierna.group("all"))]
    elif unquoted := p["unquoted_alias"].search(text):
        aliases = [unquoted.group("alias")]
    if abbreviation := regex.search(rf"{regex.escape(name)}\s*\((?P<alias>[^)]{{1,40}})\)", text):
        aliases.append(abbreviation.group("alias"))  # "Huurdersorganisatie Vechtdal (HOV)"
    initials = "".join(w[0] for w in regex.findall(r"\b\p{Lu}[\p{L}-]*", name))
    if len(initials) >= 2 and regex.search(rf"\b{initials}\b", full_text):
        aliases.append(initials)
    aliases = list(dict.fromkeys(a for a in aliases if a.lower() != name.lower()))
    return Party(name=name, kind=_party_kind(name, role, rules), aliases=aliases, representative=representative, representative_role=role)


# --------------------------------------------------------------------------- other forms
# A numbered party list is read item by item (:func:`parse_party`). The forms below are
# read from lines: a running sentence, a party table (a ruled table or tab-separated lines,
# one row per party) and a signature block, where names stand side by side.


# Lower-case words that may stand inside a name ("Huurderbelangenvereniging de Eendracht").
# Punctuation that may stand inside a name ("Huurdersraad Maarn – Maarsbergen").
_NAME_PUNCTUATION = {"–", "-", "&"}


def clean_name(text: str, rules: PartyRules) -> str:
    """The organisation name in a fragment of a list or sentence: "de gemeente Heezewijk;" →
    "Gemeente Heezewijk", "de lokale huurdersorganisaties Stichting X" → "Stichting X",
    "Huurdersvereniging Samen Sterk voor de periode 2021-2024" → "Huurdersvereniging Samen Sterk";
    a capitalised article that belongs to the name stays ("De Veste")."""
    articles = {a.lower() for a in rules.name_articles}
    groups = {g.lower() for g in rules.group_heads}
    tokens = regex.sub(r"\s+", " ", text).strip(" ,;:\u2013-").split()

    def lower(token: str) -> bool:
        """No capital anywhere ("deltaWonen" is a name), no "’t Huurdertje", no "e.o."."""
        return not regex.search(r"\p{Lu}", token) and token.lower() not in {"'t", "’t"} and not regex.fullmatch(r"(?:\p{Ll}\.)+", token)

    heads = {h.lower() for h in rules.organisation_heads}
    particles = {p.lower() for p in rules.name_particles} | _NAME_PUNCTUATION

    def gemeente_name(i: int) -> bool:
        """"gemeente Hoogmeer", "huurdersvereniging ’t Huurdertje": a head word of a name."""
        # not "de woningcorporatie Woningbouwvereniging Arnemuiden": there the name has its own head
        return tokens[i].lower() in heads and i + 1 < len(tokens) and not lower(tokens[i + 1]) and tokens[i + 1].lower() not in heads

    while tokens and not gemeente_name(0) and (
        lower(tokens[0]) or (len(tokens) > 1 and (tokens[0].lower() in articles and lower(tokens[1]) or tokens[0].lower() in groups))
    ):
        tokens.pop(0)
    name: list[str] = []
    for token in tokens:
        if name and (lower(token) and token.lower() not in particles or regex.match(r"[\d(]", token)):
            break
        name.append(token)
    while name and name[-1].lower() in particles:
        name.pop()
    joined = " ".join(name).strip(" ,;:")
    if joined.endswith(".") and not regex.search(r"(?:^|\s)(?:\p{L}\.)+$", joined):
        joined = joined[:-1]  # a full stop, not the end of "e.o."
    return joined[:1].upper() + joined[1:]


def _looks_like_organisation(name: str, rules: PartyRules) -> bool:
    """A short name with a capital, not a collective word, not a person."""
    words = name.split()
    if not 1 <= len(words) <= 7 or len(name) < 3 or not regex.match(r"[\p{Lu}\d'’]", name) or not regex.search(r"\p{L}", name) or _person_pattern(rules).fullmatch(name):
        return False
    if words[0].lower() in {w.lower() for w in rules.not_party_words}:
        return False
    collectives = {w.lower() for words in rules.collectives.values() for w in words}
    return name.lower() not in collectives and name.lower() not in {r.lower() for r in rules.roles}


def _split_organisations(text: str, rules: PartyRules) -> list[str]:
    """"Gemeente Brakeloo Woonstichting De Brake" → both names: split before each
    organisation head word that starts a capitalised word."""
    heads = alternation(rules.organisation_heads)
    parts = [p.strip() for p in regex.split(rf"\s+(?=(?i:{heads})\s+\p{{Lu}})", text) if p.strip()]
    merged: list[str] = []
    for part in parts:  # "Stichting" + "Huurdersbelang Heidezoom" is one name
        if merged and merged[-1].lower() in {h.lower() for h in rules.organisation_heads}:
            merged[-1] += " " + part
        else:
            merged.append(part)
    return merged


def parties_from_sentence(opening: str, full_text: str, rules: PartyRules) -> list[Party]:
    """"Deze prestatieafspraken zijn gesloten tussen de gemeente Hoogmeer, Stichting Meerzicht
    Wonen (hierna: Meerzicht), … en Bewonersraad Polderhof." → the named parties."""
    match = regex.search(rf"(?i:{alternation(rules.party_sentence_intros)})\s*:?\s+", opening)
    if match:
        rest = opening[match.end() :]
    else:
        # "De gemeente Zwolle, de woningcorporaties A, B en de huurdersorganisaties C … hebben …"
        groups = alternation(rules.group_heads)
        enumeration = regex.search(
            rf"(?:\b(?i:de)\s+)?\b(?i:gemeente)(?:\s+\p{{Lu}}[\p{{L}}-]*)+\s*,\s*(?:(?i:de)\s+)?(?:\p{{L}}+-\s+)?(?i:{groups})\b", opening
        )
        if not enumeration:
            return []
        rest = opening[enumeration.start() :]
    end = regex.search(r"(?<!\b\p{Lu})\.(?:\s|$)", rest)
    parties = enumerated_parties(rest[: end.start() if end else 400], rules)
    return parties if len(parties) >= 2 else []


def enumerated_parties(text: str, rules: PartyRules) -> list[Party]:
    """The organisations an enumeration names: "de gemeente X, de woningcorporaties A, B en C
    en de huurdersorganisaties D (hierna: E)"; a collective word gives the kind of the names
    after it, parenthesised words are aliases."""
    sentence = regex.sub(r"\s+", " ", text)
    sentence = regex.sub(r"(\p{Ll})- (\p{Ll})", r"\1\2", sentence)  # "huurders- organisaties", a line-end hyphen
    aliases: dict[str, str] = {}

    def keep_alias(found: regex.Match[str]) -> str:
        key = f"§{len(aliases)}§"
        aliases[key] = found.group("alias").strip()
        return " " + key

    alias_intro = alternation(rules.alias_intros)
    sentence = regex.sub(rf"\s*\((?:(?i:{alias_intro})\s*:?\s*)?(?P<alias>[^)]+)\)", keep_alias, sentence)
    parties: list[Party] = []
    group_kind: PartyKind | None = None  # "de huurdersorganisaties X, Y en Z": the kind of X, Y, Z
    for fragment in regex.split(r"\s*(?:,|;|:|\s+en\s+|\s+&\s+)\s*", sentence):
        keys = regex.findall(r"§\d+§", fragment)
        fragment = regex.sub(r"\s*§\d+§", "", fragment)
        group_kind = _group_kind(fragment, rules) or group_kind
        name = clean_name(fragment, rules)
        if not _looks_like_organisation(name, rules) or regex.fullmatch(r"(?i:gemeente)", name):
            continue
        kind = _party_kind(name, None, rules, default=group_kind or "corporatie")
        parties.append(Party(name=name, kind=kind, aliases=[aliases[k] for k in keys]))
    return parties


def _group_kind(fragment: str, rules: PartyRules) -> PartyKind | None:
    """The kind a collective word in the fragment's lead announces ("de huurdersorganisaties …")."""
    lead = " ".join(regex.split(r"\s+(?=\p{Lu})", fragment.strip(), maxsplit=1)[0].lower().split())
    for kind in ("corporatie", "huurdersorganisatie", "gemeente"):
        words = rules.collectives.get(kind, [])
        if any(regex.search(rf"(?<!\p{{L}}){regex.escape(w.lower())}(?!\p{{L}})", lead) for w in words):
            return kind
    return None


def _person(text: str, rules: PartyRules) -> regex.Match[str] | None:
    return _person_pattern(rules).search(text)


def _role(text: str, rules: PartyRules) -> str | None:
    low = text.lower()
    return next((r for r in rules.roles if regex.search(rf"\b{regex.escape(r)}\b", low)), None)


def parties_from_rows(rows: list[str], rules: PartyRules) -> list[Party]:
    """Party-table rows or signature-block lines: organisations, with the person and role on
    the same row where there is one ("Gemeente Lindewoude K. Dijkstra, wethouder Wonen")."""
    behalf = alternation(rules.on_behalf_words)
    parties: list[Party] = []
    for row in rows:
        row = regex.sub(rf"^(?i:{behalf})\s+", "", row.strip())
        person = _person(row, rules)
        if person is None and _role(row, rules):
            continue  # a line of functions under the names
        names_part = row[: person.start()] if person else row
        representative = person.group("name").strip() if person else None
        role = _role(row[person.end() :], rules) if person else None
        # columns of a signature block: "Ymere Almere:    De gemeente Almere:    De Alliantie:"
        parts = [p for column in names_part.split(":") for p in _split_organisations(column, rules)]
        names = [clean_name(n, rules) for n in parts]
        headed = names_part.rstrip().endswith(":")  # "Ymere Almere:    De Alliantie:" heads signature columns
        names = [n for n in names if _looks_like_organisation(n, rules) and (person or headed or _named_kind(n, rules) is not None)]
        for name in names:
            single = len(names) == 1
            parties.append(Party(name=name, kind=_party_kind(name, role, rules), representative=representative if single else None,
                                 representative_role=role if single else None))
    return parties


def parties_from_cover(first_lines: list[str], rules: PartyRules) -> list[Party]:
    """Organisation names on lines of their own at the top of the first page (a cover that
    lists the parties): three or more, blank lines between them allowed. Lines holding only a
    collective word ("GEMEENTE", "WONINGCORPORATIES") head a group: the names below are of
    that kind ("GEMEENTE" + "HEERLEN" is Gemeente Heerlen)."""
    best: list[Party] = []
    run: list[Party] = []
    group: PartyKind | None = None
    for line in first_lines:
        text = " ".join(line.split())
        if not text or regex.fullmatch(r"\d{1,3}", text):
            continue  # blank lines and page numbers between the names
        if kind := _group_kind(text, rules) if len(text.split()) <= 2 and not _named_kind(text, rules) or text.lower() in _collective_words(rules) else None:
            group = kind
            continue
        name = clean_name(text, rules)
        named = _named_kind(name, rules)
        if len(text.split()) <= 8 and _looks_like_organisation(name, rules) and (named or group):
            if group == "gemeente" and not named:
                name = f"Gemeente {name}"
            run.append(Party(name=name, kind=named or group or "corporatie"))
            continue
        best, run, group = max(best, run, key=len), [], None
    best = max(best, run, key=len)
    return best if len(best) >= 3 else []


def _collective_words(rules: PartyRules) -> set[str]:
    return {w.lower() for words in rules.collectives.values() for w in words} | {g.lower() for g in rules.group_heads}


def party_table_rows(lines: list[str], tables: list[list[list[str]]], rules: PartyRules) -> list[str]:
    """Rows of a party table ("Partij | Vertegenwoordigd door | Functie"), each as one line:
    a ruled table, or the lines after such a header line up to a blank line or a sentence."""
    headers = tuple(h.lower() for h in rules.party_table_headers)
    for table in tables:
        if table and table[0] and table[0][0].strip().lower() in headers:
            return [" ".join(cell for cell in row if cell) for row in table[1:]]
    columns = alternation([*rules.representation_words, *rules.party_table_columns])
    for index, line in enumerate(lines):
        first = line.strip().split(" ")[0].lower()
        if first in headers and regex.search(rf"(?i){columns}", line) and not line.rstrip().endswith((".", ":")):
            rows = []
            for row in lines[index + 1 :]:
                if not row.strip() or row.rstrip().endswith(".") or not _person(row, rules) or len(row.split()) > 12:
                    break
                rows.append(row)
            return rows
    return []


def signature_rows(lines: list[str], rules: PartyRules) -> list[str]:
    """The lines after the last signature heading, without dates and sentences."""
    headings = alternation(rules.signature_headings)
    behalf = alternation(rules.on_behalf_words)
    # the block opens after its heading, a "Plaats, datum" line, or a lone "Namens"
    opening = rf"(?:\d+\.?\s+)?(?i:{headings})\s*:?|(?i:{behalf})\s*:?|\p{{Lu}}[\p{{L}}' -]+,\s+\d{{1,2}}\s+\p{{L}}+\.?\s+(?:19|20)\d{{2}}"
    starts = [i for i, line in enumerate(lines) if regex.fullmatch(opening, line.strip())]
    if not starts:
        return []
    def sentence(line: str) -> bool:
        # "Ymere Almere: De gemeente Almere: De Alliantie:" are columns, not a sentence
        return line.rstrip().endswith(".") or (line.rstrip().endswith(":") and line.count(":") < 2 and len(line.split()) > 4)

    return [line for line in lines[starts[-1] + 1 :] if line.strip() and not sentence(line) and not regex.search(r"\d{4}", line)]


def with_short_forms(parties: list[Party], full_text: str, rules: PartyRules) -> list[Party]:
    """"Huurdersvereniging De Bewonersraad" that the text also calls "De Bewonersraad": the name
    without its organisation head word is an alias, when the text uses it on its own."""
    heads = {h.lower() for h in rules.organisation_heads} - {"gemeente"}  # "Tynaarlo" is the place
    articles = {a.lower() for a in rules.name_articles}

    def words(name: str) -> set[str]:
        return {w for w in name.lower().split() if w not in articles and w not in heads}

    found: list[Party] = []
    for party in parties:
        head, _, rest = party.name.partition(" ")
        # "Bewonersraad Polderhof" beside "De Polderhof", "Huurdersvereniging De Brake" beside
        # "Woonstichting De Brake": a short form sharing a word with another party names neither
        others = set().union(*(words(n) for other in parties if other is not party for n in (other.name, *other.aliases)))
        if words(rest) & others:
            found.append(party)
            continue
        own_uses = len(regex.findall(rf"(?<!\p{{L}}){regex.escape(rest)}(?!\p{{L}})", full_text)) if rest else 0
        name_uses = len(regex.findall(rf"(?<!\p{{L}}){regex.escape(party.name)}(?!\p{{L}})", full_text, flags=regex.IGNORECASE))
        if head.lower() in heads and regex.match(r"\p{Lu}", rest) and own_uses > name_uses and rest not in party.aliases:
            party = party.model_copy(update={"aliases": [*party.aliases, rest]})
        found.append(party)
    return found
