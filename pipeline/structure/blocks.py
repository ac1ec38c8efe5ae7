"""Stage 3 — find structure: clean lines → headings and numbered items.

Each line is classified as an item start, a heading or a continuation. Items absorb their
continuation lines (across page breaks, bullets and lettered sub-items included) until the
next item or heading. A stack of headings gives every item its ``section_path``.

Numbering styles recognised: ``12.`` / ``12)``, ``1a.``, ``12. a.`` followed by ``b.``,
lettered sub-items ``a.`` under a numbered item, dotted numbers ``3.2``, labelled blocks
``Afspraak 2.3.1``, and schedule codes ``A1`` / ``B3a`` (only when a list has several).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..model import Block, Line, Table
from ..model.contract import LabelledField
from ..model.rules import StructureRules, compiled

_CLOSED = regex.compile(r"[.:;!?]\s*$")
_STARTS_LOWER = regex.compile(r"^[\p{Ll}(]")
_STARTS_UPPER = regex.compile(r"^[\p{Lu}\d'‘\"“]")
NUMBERING = regex.compile(r"^[\d.\s]+")  # a heading's number ("2.1 ") before its words
_NUMBERED_LINE = regex.compile(r"^\d{1,3}[.)]\s")

# Item numberings, tried in order; each yields (number, letter, text).
_NUM_LETTER = regex.compile(r"^(\d{1,3})[.)]\s*([a-z])[.)]\s+(\S.*)$")  # "12. a. tekst"
_NUM_WITH_LETTER = regex.compile(r"^(\d{1,3})([a-z])(?:[.)]\s+(\S.*)|\s+(\p{Lu}.*))$")  # "1a. tekst", "1a Tekst"
_NUM = regex.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")  # "12. tekst"
_DOTTED = regex.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3}[a-z]?)\.?\s+(\S.*)$")  # "3.2 tekst"
_LETTER = regex.compile(r"^([a-z])[.)]\s+(\S.*)$")  # "b. tekst"
_CODE = regex.compile(r"^([A-Z]\d{1,2}[a-z]?)[\u00b9\u00b2\u00b3\u2070-\u2079]*[.:)]?\s+(\p{Lu}.*)$")  # "B3a Tekst"
# Numbered headings: "4.1 Betaalbaarheid", "3 Samenwerking", "Thema 2. Beschikbaarheid".
def _heading_patterns(rules: StructureRules) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """A numbered heading ("4.2 Beschikbaarheid", "Hoofdstuk 3 Wonen en zorg") and its prefix."""

    def build() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
        prefixes = "|".join(regex.escape(p) for p in rules.heading_prefixes)
        number = r"(\d{1,2}(?:\.\d{1,2}){0,3})"
        return (
            # after a prefix the label may follow a colon and start in lower case ("Kernthema 1: herstructurering")
            regex.compile(rf"^(?:(?:{prefixes})\s+{number}[.:]?\s+(\S.*)|{number}\.?\s+(\p{{Lu}}.*))$", regex.IGNORECASE),
            regex.compile(rf"^(?:{prefixes})\s+\d", regex.IGNORECASE),
        )

    return compiled(rules, "headings", build)
_LETTER_HEADING = regex.compile(r"^[A-Z][.)]\s+(\p{Lu}.*)$")  # "C. Duurzaamheid"


@dataclass
class _Item:
    number: str | None  # None: a bullet under an afspraken heading
    lines: list[str]
    page: int | None
    section_path: list[str]
    level: int
    letters_are_items: bool = False  # "12. a." style: every letter is its own afspraak
    base: str = ""  # the number a lettered sibling ("b.") attaches to
    in_intro_list: bool = False
    party_list: bool = False
    fields: list[LabelledField] = field(default_factory=list)
    paragraph: bool = False  # an unnumbered paragraph: a blank line after a full stop ends it
    titled: bool = False  # the paragraphs under a numbered title ("1. Doorstroming")


@dataclass
class _State:
    rules: StructureRules
    headings: list[tuple[int, str, bool]] = field(default_factory=list)  # (level, text, numbered)
    blocks: list[Block] = field(default_factory=list)
    item: _Item | None = None
    in_intro_list: bool = False  # the current list was introduced as "... vast tussen:" etc.
    party_list: bool = False  # the current list names the signing parties
    afspraken_section: bool = False  # under "Wat doet de gemeente?" and the like: bullets are afspraken
    # "… de volgende prestatieafspraken.": unnumbered paragraphs are afspraken under every heading
    # that follows, until the document turns out to number its afspraken
    announced: bool = False
    title_number: str | None = None  # the number of the numbered title just read ("1. Doorstroming")
    titled: list[Block] = field(default_factory=list)  # the blocks read under such titles

    @property
    def path(self) -> list[str]:
        return [text for _, text, _ in self.headings]

    @property
    def numbered_depth(self) -> int:
        return max((level for level, _, numbered in self.headings if numbered), default=0)


def _label_pattern(rules: StructureRules) -> regex.Pattern[str]:
    def build() -> regex.Pattern[str]:
        labels = "|".join(regex.escape(label) for label in rules.item_labels)
        # "Afspraak 2.3.1", not "Afspraak 2021" (a year)
        return regex.compile(rf"^(?:{labels})\s+(\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}[a-z]?)(?!\d)\s*[:.)]?\s*(.*)$", regex.IGNORECASE)

    return compiled(rules, "item_labels", build)


def _looks_like_title(text: str, rules: StructureRules) -> bool:
    """Short, capitalised and not a sentence: the shape of a heading."""
    return (
        len(text) <= rules.max_heading_chars
        and bool(_STARTS_UPPER.match(text))
        and not _CLOSED.search(text.rstrip("?"))
        and not text.endswith(",")
        and ": " not in text
    )


def _starts_heading_word(text: str, rules: StructureRules) -> bool:
    low = text.lower()
    return any(low == w or low.startswith(w + " ") for w in rules.heading_starts)


def classify_heading(line: str, prev: str | None, nxt: str | None, rules: StructureRules, bold: bool = False) -> tuple[int, str] | None:
    """Return ``(level, text)`` when ``line`` is a heading, else ``None``.

    Numbered headings get their number's depth as level; unnumbered ones get level 100
    (resolved against the stack later). ``prev``/``nxt`` are the neighbouring lines.
    """
    if nxt is not None and _STARTS_LOWER.match(nxt):
        return None  # the sentence goes on
    letter = _LETTER_HEADING.match(line)
    if letter and _is_label(letter.group(1), rules, last=False) and not line.rstrip().endswith((";", ",")):
        return 1, line  # a theme letter: "C. Duurzaamheid" over codes C1, C2
    heading_num, heading_prefix = _heading_patterns(rules)
    match = heading_num.match(line)
    if match and (heading_prefix.match(line) or not _NUMBERED_LINE.match(line)):
        number, label = match.group(1) or match.group(3), match.group(2) or match.group(4)
        prefixed = heading_prefix.match(line) or heading_prefix.match(label)  # "2.1 Thema 1: Huisvesten …"
        if _looks_like_title(label, rules) or (prefixed and len(line) <= rules.max_heading_chars):
            return number.count(".") + 1, line
        return None
    if NUMBERING.sub("", line).lower().rstrip(" :?") in rules.afspraken_headings:
        return 100, line  # "Afspraken", "Wat spreken we af?" stand alone whatever came before
    previous_closed = prev is None or bool(_CLOSED.search(prev)) or bold
    if not previous_closed or not _STARTS_UPPER.match(line):
        return None
    if _starts_heading_word(line, rules) and len(line) <= rules.max_heading_chars:
        return 100, line.rstrip(".")
    if _looks_like_title(line, rules) and not _is_item_start(line, rules):
        return 100, line
    return None


def _is_item_start(line: str, rules: StructureRules) -> bool:
    return any(p.match(line) for p in (_NUM_LETTER, _NUM_WITH_LETTER, _NUM, _DOTTED, _label_pattern(rules)))


def match_item(line: str, rules: StructureRules) -> tuple[str, str, str] | None:
    """``(number, letter, text)`` for a line that starts a numbered item, else ``None``."""
    if m := _label_pattern(rules).match(line):
        return m.group(1), "", m.group(2)
    if m := _NUM_LETTER.match(line):
        return m.group(1), m.group(2), m.group(3)
    if m := _NUM_WITH_LETTER.match(line):
        return m.group(1) + m.group(2), "", m.group(3) or m.group(4)
    if m := _NUM.match(line):
        return m.group(1), "", m.group(2)
    if m := _DOTTED.match(line):
        return m.group(1), "", m.group(2)
    if m := _CODE.match(line):
        return m.group(1), "", m.group(2)
    return None


def _flush(state: _State) -> None:
    item = state.item
    if item is None:
        return
    state.blocks.append(
        Block(
            kind="item",
            number=item.number,
            text=join_lines(item.lines),
            page=item.page,
            level=item.level,
            section_path=item.section_path,
            in_intro_list=item.in_intro_list or item.party_list,
            party_list=item.party_list,
            first_line=item.lines[0].strip(),
            fields=item.fields,
        )
    )
    if item.titled:
        state.titled.append(state.blocks[-1])
    state.item = None


def _without_chapter_prose(state: _State) -> list[Block]:
    """Paragraphs read under numbered titles stay afspraken only when nothing else is numbered."""
    numbered = any(b.kind == "item" and b.number and not b.in_intro_list and b not in state.titled for b in state.blocks)
    return [b for b in state.blocks if not (numbered and b in state.titled)]


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines with single spaces (hyphenation was joined while cleaning)."""
    return " ".join(line.strip() for line in lines if line.strip())


def _open_item(
    state: _State, number: str | None, text_line: str, page: int | None, letters: bool = False, base: str = "",
    paragraph: bool = False, titled: bool = False,
) -> None:
    _flush(state)
    state.item = _Item(
        number, [text_line], page, state.path, state.numbered_depth, letters, base, state.in_intro_list, state.party_list,
        paragraph=paragraph, titled=titled,
    )


def _introduces_non_agreements(line: str | None, rules: StructureRules) -> bool:
    """"In dit document leggen we de prestatieafspraken vast tussen:" and the like."""
    low = (line or "").lower().rstrip(" :")
    return any(phrase in low for phrase in rules.non_agreement_list_intros)


def _introduces_parties(line: str | None, path: list[str], rules: StructureRules) -> bool:
    """A list after "… vast tussen:" or under a heading "Partijen" names the signing parties."""
    low = (line or "").lower().rstrip(" :")
    # a phrase at the end of the line ("… overleg tussen:"), or a longer one anywhere in it
    if any(low.endswith(phrase) or (" " in phrase and phrase in low) for phrase in rules.party_list_intros):
        return True
    if low in rules.party_headings:
        return True  # "Partijen:" read as a line, not a heading
    heading = NUMBERING.sub("", path[-1]).lower().strip(" :") if path else ""
    return heading in rules.party_headings


def _is_chapter(found: tuple[str, str, str], nxt: str | None, rules: StructureRules) -> bool:
    """"2. Betaalbaarheid" is a chapter heading, not an item, when the next line does not
    go on with the list ("3. …"): a numbered label followed by prose or by a new list."""
    number, sub, rest = found
    if sub or not number.isdigit() or not _is_label(rest, rules, last=False) or rest.rstrip().endswith((";", ",")):
        return False
    if nxt is not None and _STARTS_LOWER.match(nxt):
        return False  # the sentence goes on
    if regex.search(r"\d", rest) or rest.split()[-1].lower() in rules.continuation_words:
        return False  # "8. Woonborg sloopt 18 woningen aan de" wraps onto "Oranjelaan …"
    following = match_item(nxt, rules) if nxt else None
    return following is None or not _continues(number, following[0])


def _continues(previous: str | None, number: str) -> bool:
    """``number`` is the next one after ``previous`` in a plain numbered list."""
    return previous is not None and previous.isdigit() and number.isdigit() and int(number) == int(previous) + 1


def _field_pattern(rules: StructureRules) -> regex.Pattern[str]:
    def build() -> regex.Pattern[str]:
        labels = [label for labels in rules.field_labels.values() for label in labels]
        alternatives = "|".join(regex.escape(label).replace(r"\ ", r"\s+") for label in sorted(labels, key=len, reverse=True))
        return regex.compile(rf"^(?P<label>{alternatives})\s*:\s*(?P<text>.*)$", regex.IGNORECASE)

    return compiled(rules, "field_labels", build)


def labelled_field(label: str, text: str, rules: StructureRules) -> LabelledField | None:
    """The field a label names ("Wanneer" → a deadline field, "Realisatie 2024" → a progress
    field), None for another label."""
    low = regex.sub(r"\s+(?:19|20)\d{2}$", "", " ".join(label.lower().split()))
    kind = next((k for k, labels in rules.field_labels.items() if low in labels), None)
    return LabelledField(label=label.strip(), kind=kind, text=text.strip()) if kind else None


def _names_afspraken(heading: str, rules: StructureRules) -> bool:
    low = NUMBERING.sub("", heading).lower().rstrip(" :?")
    # "Resultaatafspraak Federatie 2019-2024" names afspraken; "Afspraken over wonen tussen
    # gemeente, corporaties en huurders" is a title
    return any(low == h or (low.startswith(h + " ") and len(low.split()) <= len(h.split()) + 3) for h in rules.afspraken_headings)


def _bullet_text(line: str, rules: StructureRules) -> str | None:
    """The text after a bullet ("• De gemeente …" → "De gemeente …"), None without one."""
    def build() -> regex.Pattern[str]:
        return regex.compile(r"^(?:" + "|".join(regex.escape(b) for b in rules.bullets) + r")\s+(?P<text>\S.*)$")

    match = compiled(rules, "bullets", build).match(line)
    return match.group("text") if match else None


def _push_heading(state: _State, level: int, text: str) -> None:
    _flush(state)
    state.in_intro_list = state.party_list = False
    numbered = level != 100
    if not numbered:  # one level below the deepest numbered heading; replaces its siblings
        level = state.numbered_depth + 1
    state.headings = [h for h in state.headings if h[0] < level]
    state.headings.append((level, text, numbered))
    named = _names_afspraken(text, state.rules)
    # a document that heads its afspraken ("Wat doet de gemeente?") no longer needs the announcement
    state.announced = state.announced and not named
    state.afspraken_section = state.announced or named
    state.blocks.append(Block(kind="heading", text=text, level=level, section_path=state.path[:-1]))


def _before(table: Table, line: Line) -> bool:
    """The table stands before the line: on an earlier page, or higher on the same page."""
    if table.page != line.page:
        return table.page is not None and line.page is not None and table.page < line.page
    return table.top is not None and line.top is not None and table.top < line.top


def _emit_table(state: _State, table: Table, rules: StructureRules) -> None:
    """An afspraken table's rows, as items under the headings in force where it stands."""
    _flush(state)
    state.blocks.extend(table_to_blocks(table, state.path, state.numbered_depth, rules))


def _announces_afspraken(line: str, rules: StructureRules) -> bool:
    """"Dit heeft geleid tot de volgende prestatieafspraken.": the paragraphs after it are afspraken."""
    def build() -> regex.Pattern[str]:
        phrases = (regex.escape(phrase).replace(r"\ \*\ ", r"(?:\s+\w+){0,2}\s+").replace(r"\ ", r"\s+") for phrase in rules.afspraken_intros)
        return regex.compile(rf"\b(?:{'|'.join(phrases)})\s*[.:]?\s*$", regex.IGNORECASE)

    return bool(compiled(rules, "afspraken_intros", build).search(line))


def split_run_in_headings(lines: list[Line], rules: StructureRules) -> list[Line]:
    """Headings run into the next line: "Kernthema 1: herstructurering van woning. Woongoed heeft …"
    (a heading and its paragraph), "2.1 Thema 1: Wonen 2.1.1 Huisvesten doelgroepen" (a heading
    and its first subheading, as text exports flatten them)."""
    def build() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
        prefixes = "|".join(regex.escape(p) for p in rules.heading_prefixes)
        longest = rules.max_heading_chars
        return (
            regex.compile(rf"^((?i:{prefixes})\s+\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}\s*[:.]\s*[^.:;]{{3,{longest}}})\.\s+(\p{{Lu}}.*)$"),
            regex.compile(rf"^((?P<number>\d{{1,2}}(?:\.\d{{1,2}}){{0,2}})\.?\s+\p{{Lu}}(?:(?!\d+\.\d).){{3,{longest}}}?)\s+((?P=number)\.\d{{1,2}}\.?\s+\p{{Lu}}[^.:;]{{2,{longest}}})$"),
        )

    patterns = compiled(rules, "run_in_headings", build)
    split: list[Line] = []
    for line in lines:
        match = next((m for m in (p.match(line.text) for p in patterns) if m), None)
        if match:
            split.extend(line.model_copy(update={"text": match.group(group)}) for group in (1, match.lastindex or 1))
        else:
            split.append(line)
    return split


def lines_to_blocks(lines: list[Line], rules: StructureRules, tables: list[Table] | None = None) -> list[Block]:
    """Classify every line and assemble headings and items in document order; ``tables``
    (afspraken tables) are read where they stand between the lines."""
    state = _State(rules=rules)
    lines = split_run_in_headings(lines, rules)
    texts = [line.text for line in lines]
    pending = list(tables or [])
    after_heading = True
    for i, line in enumerate(lines):
        while pending and _before(pending[0], line):
            _emit_table(state, pending.pop(0), rules)
        text = line.text
        # A heading closes what came before it, like a full stop does.
        prev = None if after_heading else texts[i - 1]
        after_heading = False
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        item = state.item
        letter = _LETTER.match(text)
        if letter and item is not None:
            if item.letters_are_items:
                _open_item(state, item.base + letter.group(1), letter.group(2), line.page, True, item.base)
            else:
                item.lines.append(text)  # a sub-item belongs to its afspraak's text
            continue
        bulleted = _bullet_text(text, rules)
        if bulleted is not None and (item is None or item.number is None):
            if item is None and _introduces_parties(prev, [], rules):
                state.party_list = state.in_intro_list = True  # "… nemen de volgende partijen deel:" + bullets
            if state.afspraken_section or state.party_list:
                _open_item(state, None, bulleted, line.page)
                continue
        heading = classify_heading(text, prev, nxt, rules, line.bold or line.after_blank)
        found = match_item(text, rules) if heading is None else None
        following = match_item(nxt, rules) if nxt else None
        restated = following is not None and following[0] in (found[0] if found else None, "1")  # "3. Betaalbaarheid" + "3. De corporaties …"
        continues_list = found is not None and item is not None and not item.titled and _continues(item.number, found[0])
        titled = None  # the number of a numbered title ("1. Doorstroming") read as a heading
        if found is not None and (restated or not continues_list) and _is_chapter(found, nxt, rules):
            titled = found[0]
            heading, found = (1, text), None
        if found is not None:
            number, sub, rest = found
            state.announced = False
            restarts = item is not None and number == "1" and not sub and texts[i - 1] is not None
            if (item is None and not state.in_intro_list) or restarts:
                # a new list: what the line before it says decides what it holds
                intro = texts[i - 1] if i else None
                state.in_intro_list = _introduces_non_agreements(intro if restarts else prev, rules)
                state.party_list = _introduces_parties(intro if restarts else prev, state.path, rules)
            elif state.party_list and item is not None and not _continues(item.number, number):
                state.party_list = state.in_intro_list = False  # "3. Samenwerking" after the parties 1-5
            if sub:
                _open_item(state, number + sub, rest, line.page, letters=True, base=number)
            else:
                _open_item(state, number, rest, line.page)
            continue
        if heading is not None:
            _push_heading(state, *heading)
            state.title_number = titled
            after_heading = True
        elif item is None and state.title_number is not None and not text.rstrip().endswith(":"):
            # "1. Doorstroming" + its paragraphs: a titled afspraak, kept only if the document
            # numbers nothing else (otherwise "2. Betaalbaarheid" + prose is a chapter)
            _open_item(state, state.title_number, text, line.page, titled=True)
            state.title_number = None
        elif (item is None or item.number is None) and _announces_afspraken(text, rules):
            _flush(state)  # the announcement itself is no afspraak
            state.afspraken_section = state.announced = True
            state.in_intro_list = False
        elif item is None and state.afspraken_section and not state.in_intro_list and not text.rstrip().endswith(":") and following is None:
            # a paragraph under "Afspraken" is an unnumbered afspraak; not the line that
            # introduces a list ("We doorlopen de volgende stappen:")
            _open_item(state, None, text, line.page, paragraph=True)
        elif item is not None and item.paragraph and line.after_blank and _CLOSED.search(texts[i - 1]):
            _open_item(state, None, text, line.page, paragraph=True)  # the next paragraph is the next afspraak
        elif item is not None:
            labelled = _field_pattern(rules).match(text)
            if labelled and (found_field := labelled_field(labelled.group("label"), labelled.group("text"), rules)):
                item.fields.append(found_field)
            elif item.fields and not _is_item_start(text, rules):
                last = item.fields[-1]  # a field value wraps onto the next line
                item.fields[-1] = last.model_copy(update={"text": f"{last.text} {text.strip()}"})
            else:
                item.lines.append(text)
    for table in pending:
        _emit_table(state, table, rules)
    _flush(state)
    return _mark_introductions(_mark_contents_runs(_mark_label_lists(_drop_lone_codes(_without_chapter_prose(state)), rules)))


def _mark_introductions(blocks: list[Block]) -> list[Block]:
    """An unnumbered paragraph followed by numbered afspraken (or a table of them) in the same
    section introduces them ("In de onderstaande tabel staan de afspraken …"): no afspraak."""
    marked = list(blocks)
    for index, block in enumerate(blocks[:-1]):
        following = blocks[index + 1]
        if block.kind == "item" and block.number is None and following.kind == "item" and following.number is not None \
                and following.section_path == block.section_path:
            marked[index] = block.model_copy(update={"in_intro_list": True})
    return marked


def _is_label(text: str, rules: StructureRules, last: bool) -> bool:
    """A few words without a sentence: "Betaalbaarheid", "Wonen, welzijn, zorg;". A full
    stop ends a sentence ("De gemeente handhaaft de rioolheffing."), except after the last
    label of a list ("5. Leefbaarheid.")."""
    text = regex.sub(r"^[A-Z][.)]\s+", "", text.strip())  # "A. Betaalbaarheid en woonlasten;"
    words = text.rstrip(";,.").split()
    if not 0 < len(words) <= rules.max_label_words or regex.search(r"[.:!?]\s", text) or text.endswith(":"):
        return False
    return not text.endswith(".") or (last and len(words) <= rules.max_label_words // 2)


# A table-of-contents entry: a short title and its page number ("Inleiding 3",
# "Betaalbaarheid ........ 10", "beschikbaarheid p. 12"), or a chapter with its sections
# and a row of page numbers ("… 5.2. Leefbaarheid 22 22 25").
_CONTENTS_ENTRY = regex.compile(r"^(?P<title>\D.{0,100}?)(?:\s*(?:\.{2,}|…)\s*|\s+)(?:p\.\s*)?\d{1,3}$")
_PAGE_ROW = regex.compile(r"(?:\s\d{1,3}){2,}$")


def _is_contents_entry(block: Block) -> bool:
    entry = _CONTENTS_ENTRY.match(block.first_line)
    short_entry = entry is not None and len(block.first_line.split()) <= 12 and not entry.group("title").rstrip().endswith((".", ","))
    return short_entry or bool(_PAGE_ROW.search(block.text))


# The page number ending a table-of-contents line: "Inleiding 4", "Betaalbaarheid .... 10", "beleid p. 9".
_PAGE_AT_END = regex.compile(r"(?:\.{2,}|…|\s)\s*(?:p\.\s*)?(\d{1,3})$")
# This many blocks in a row ending in rising page numbers are a table of contents.
_CONTENTS_RUN = 4


def _mark_contents_runs(blocks: list[Block]) -> list[Block]:
    """Headings and items in a row that all end in a page number, the numbers never falling:
    a table of contents whose chapter lines read as headings and whose entries read as
    numbered items ("Samenwerking 7", "1. Bestuurlijk overleg 8", "Vitale wijken 10")."""
    marked = list(blocks)
    run: list[int] = []
    last_page = -1
    for index, block in enumerate([*blocks, None]):
        page = _PAGE_AT_END.search(block.text) if block is not None else None
        if page is not None and int(page.group(1)) >= last_page:
            run.append(index)
            last_page = int(page.group(1))
            continue
        if len(run) >= _CONTENTS_RUN:
            for i in run:
                if blocks[i].kind == "item":
                    marked[i] = blocks[i].model_copy(update={"in_intro_list": True})
        run, last_page = ([index], int(page.group(1))) if page is not None else ([], -1)
    return marked


def _mark_label_lists(blocks: list[Block], rules: StructureRules) -> list[Block]:
    """A numbered list whose items are all labels (themes, parties, chapters) holds no
    afspraken, wherever it stands: runs of two or more items with no heading between. A lone
    numbered label with nothing after it is a chapter heading ("2. Betaalbaarheid"). A run
    whose items are mostly table-of-contents entries is a table of contents."""
    runs: list[list[int]] = [[]]
    for index, block in enumerate(blocks):
        if block.kind == "item":
            runs[-1].append(index)
        elif runs[-1]:
            runs.append([])
    marked = list(blocks)
    for run in runs:
        lone_heading = len(run) == 1 and blocks[run[0]].text == blocks[run[0]].first_line
        labels = (len(run) >= 2 or lone_heading) and all(_is_label(blocks[i].first_line, rules, i == run[-1]) for i in run)
        contents = len(run) >= 2 and sum(_is_contents_entry(blocks[i]) for i in run) >= 0.6 * len(run)
        if labels or contents:
            for i in run:
                marked[i] = blocks[i].model_copy(update={"in_intro_list": True})
    return marked


def _drop_lone_codes(blocks: list[Block]) -> list[Block]:
    """Schedule codes (A1, B3a) count only when the document has several of them."""
    codes = [b for b in blocks if b.kind == "item" and b.number and b.number[0].isalpha()]
    if len(codes) >= 2:
        return blocks
    return [b for b in blocks if b not in codes]


def table_to_blocks(table: Table, section_path: list[str], level: int, rules: StructureRules) -> list[Block]:
    """A ruled afspraken table (Nr | Afspraak | Trekker | Wanneer) → one item per row.

    The header row must name a number column and an agreement column; a column whose header
    is a field label (Trekker, Wanneer, Indicator) becomes a labelled field; other columns are
    appended to the text as "Kop: waarde".
    """
    if len(table.rows) < 2:
        return []
    header = [cell.strip().lower() for cell in table.rows[0]]
    number_col = next((i for i, h in enumerate(header) if h in {"nr", "nr.", "nummer", "#", "code"}), None)
    text_col = next((i for i, h in enumerate(header) if h.startswith(("afspraak", "prestatie", "actie", "omschrijving", "wat"))), None)
    if number_col is None or text_col is None:
        return []
    blocks = []
    for row in table.rows[1:]:
        if len(row) <= max(number_col, text_col) or not row[number_col].strip():
            continue
        number = row[number_col].strip().rstrip(".").replace(" ", "").lower()
        extra, fields = [], []
        for i, cell in enumerate(row):
            if i in (number_col, text_col) or not cell.strip():
                continue
            found = labelled_field(table.rows[0][i], " ".join(cell.split()), rules)
            if found:
                fields.append(found)
            else:
                extra.append(f"{table.rows[0][i].strip()}: {cell.strip()}")
        text = join_lines([row[text_col]] + extra)
        blocks.append(Block(kind="item", number=number, text=text, page=table.page, level=level, section_path=section_path,
                            first_line=row[text_col].strip(), fields=fields))
    return blocks
