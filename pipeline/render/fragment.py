"""A document's *fragment*: its share of the outputs that hold every document (register.json,
the site's index and comparisons, the review queue, the timelines, CSV, XLSX, SQLite), rendered
once and kept in the cache, so that a run with one new document does not render the others again.

A fragment file is a JSON line naming its sections and their lengths, then the sections; a
reader takes only the sections it needs (the summary of every document, the timeline rows only
of municipalities with two or more agreements). It is a file on disk like any input: whatever
is read back is validated.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

from pydantic import BaseModel

from ..compare.goals import DocumentGoals
from ..files import write_atomic
from ..model import Document
from ..timeline.timelines import TimelineDocument
from .compare import ThemeStats

SUMMARY = "summary"
TIMELINE = "timeline"
JSON_PAGE = "json"


class AgreementSummary(BaseModel):
    """What the comparisons need of an agreement: its numbers per theme and national goal, and
    its cells in the comparison's tables (HTML, rendered when the document was: per theme, per
    topic its afspraken on the topic with their numbers; per national goal in landelijk.html
    each of its numbers on the goal, or the links to its afspraken on the goal without one)."""

    stats: list[ThemeStats]
    goals: DocumentGoals
    theme_cells: dict[str, str]
    topic_cells: dict[str, str]
    goal_cells: dict[str, list[str]]  # goal → its cells per number in goals.goals[goal].numbers
    goal_links: dict[str, str]  # goal → its links to goals.goals[goal].without_number


class Summary(BaseModel):
    """What the register-wide pages need of a document: the document without its afspraken,
    its counts, and for an agreement its numbers per theme, topic and national goal."""

    document: Document  # without its afspraken
    afspraken: int
    pdf: Optional[str]  # the site's copy of the source PDF
    review_items: int  # what a person should check in it (controleren.html) …
    review_section: Optional[str]  # … and its section there (HTML, rendered when the document was)
    timeline_group: Optional[list[str]]  # its municipalities, when it can be on a timeline
    agreement: Optional[AgreementSummary]  # None: not prestatieafspraken

    @property
    def doc_id(self) -> str:
        return self.document.doc_id


def store_fragment(path: Path, fragment: dict[str, bytes]) -> None:
    """A fragment as one file: a JSON line naming its sections and their lengths, then the sections."""
    header = json.dumps([[name, len(data)] for name, data in fragment.items()]).encode()
    write_atomic(path, header + b"\n" + b"".join(fragment.values()))


def load_fragment(path: Path, sections: Iterable[str] | None = None) -> dict[str, bytes]:
    """The sections of a fragment file (``sections``: only those; all when None). Raises
    ValueError for a missing or damaged file."""
    wanted = None if sections is None else set(sections)
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
            start, size = handle.tell(), path.stat().st_size
            fragment, offset = {}, 0
            for name, length in header:
                if not isinstance(name, str) or type(length) is not int or length < 0:
                    raise TypeError("a section is a name and a length")
                if wanted is None or name in wanted:
                    handle.seek(start + offset)
                    fragment[name] = handle.read(length)
                    if len(fragment[name]) != length:
                        raise ValueError("a section is cut short")
                offset += length
        if start + offset != size:
            raise ValueError("sections and file differ in length")
        if wanted is not None and not wanted <= set(fragment):
            raise ValueError(f"sections missing: {sorted(wanted - set(fragment))}")
    except (OSError, ValueError, TypeError) as exc:
        raise ValueError(f"{path}: damaged fragment") from exc
    return fragment


def read_summary(fragment: dict[str, bytes]) -> Summary:
    """Raises ValueError (pydantic's ValidationError) for a damaged section."""
    return Summary.model_validate_json(fragment[SUMMARY])


def read_timeline(fragment: dict[str, bytes]) -> TimelineDocument:
    return TimelineDocument.model_validate_json(fragment[TIMELINE])
