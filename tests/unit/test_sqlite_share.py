"""register.sqlite from the documents' fragments: a document's rows rendered once (``sql``
section, checked when read back), the database updated in place in one transaction — and the
result the database a full build writes, compared by ``iterdump`` (:func:`tests.conftest.sqlite_content`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pipeline.model import Document
from pipeline.model.contract import Check, CorrectionRecord
from pipeline.model.rules import default_rules
from pipeline.render.sqlite import SqliteWriter, read_sql_share, sql_share
from tests.conftest import sqlite_content
from tests.unit.test_render_rows import DOCUMENT

RULES = default_rules()


def document(doc_id: str, copies: int = 1, text: str = "") -> Document:
    """DOCUMENT as ``doc_id``, its afspraken ``copies`` times (ids of its own), ``text`` added."""
    afspraken = [
        a.model_copy(update={"id": f"{doc_id}#{n * 10 + i}", "text": a.text + text})
        for n in range(copies) for i, a in enumerate(DOCUMENT.afspraken)
    ]
    corrections = [CorrectionRecord(file=f"corrections/{doc_id}.yaml", line=3, afspraak=afspraken[0].id, field="responsible", old=["x"], new="y")]
    return DOCUMENT.model_copy(update={"doc_id": doc_id, "afspraken": afspraken, "corrections": corrections,
                                       "checked": Check(by="J. de Vries", date="2025-03-14")})


A, B, C = document("assen-2022", 2), document("borger-2023", 3), document("coevorden-2024", 1)
B2 = document("borger-2023", 4, " Gewijzigd.")  # B changed: more afspraken, other text
EARLY = document("aa-en-hunze-2022", 2)  # sorts before all: every afspraak's rowid moves


class Links:
    """A stand-in for the timelines: their links are what afspraak_links holds."""

    def __init__(self, *targets: str) -> None:
        self.targets = targets

    def timelines(self) -> list[Any]:
        links = [SimpleNamespace(source="assen-2022#0", target=t, kind="unchanged", similarity=0.9, changes=[]) for t in self.targets]
        return [SimpleNamespace(name="Assen", links=links)]


def build(out: Path, documents: list[Document], holds: set[str] | None = None, changed: set[str] = set(),
          links: tuple[str, ...] = ()) -> None:
    writer = SqliteWriter(out, RULES, Links(*links), holds)  # type: ignore[arg-type]
    for d in documents:
        writer.add(d.doc_id, partial(sql_share, d, RULES), holds is None or d.doc_id in changed or d.doc_id not in holds)
    writer.finish([])


def dump(out: Path) -> list[str]:
    return sqlite_content(out / "register.sqlite")


def fresh(tmp_path: Path, documents: list[Document], links: tuple[str, ...] = ()) -> list[str]:
    out = tmp_path / "fresh"
    out.mkdir(exist_ok=True)
    (out / "register.sqlite").unlink(missing_ok=True)
    build(out, documents, links=links)
    return dump(out)


def test_a_share_reads_back_as_its_rows():
    rows = read_sql_share(sql_share(B, RULES)["sql"], B.doc_id, RULES)
    assert set(rows) == {"documents", "parties", "afspraken", "targets", "deadlines", "corrections"}
    assert len(rows["afspraken"]) == 6 and len(rows["documents"]) == 1
    assert rows["targets"][0] == ["borger-2023#0", 0, "20 woningen", "=", 20, None, "woning", None, None]


def _damaged(rows: dict[str, Any]) -> Iterator[bytes]:
    yield b"{not json"
    yield b"\xff\xfe"
    yield b"[]"
    yield json.dumps({k: v for k, v in rows.items() if k != "parties"}).encode()
    yield json.dumps({**rows, "extra": []}).encode()
    yield json.dumps({**rows, "parties": {"a": 1}}).encode()
    yield json.dumps({**rows, "parties": [row[:-1] for row in rows["parties"]]}).encode()
    yield json.dumps({**rows, "parties": [[{"x": 1}, *row[1:]] for row in rows["parties"]]}).encode()
    yield json.dumps({**rows, "documents": rows["documents"] * 2}).encode()
    yield json.dumps({**rows, "documents": []}).encode()
    yield json.dumps({**rows, "parties": [["assen-2022", *row[1:]] for row in rows["parties"]]}).encode()
    yield json.dumps({**rows, "targets": [["assen-2022#0", *row[1:]] for row in rows["targets"]]}).encode()


@pytest.mark.parametrize("case", range(12))
def test_a_damaged_share_is_refused(case):
    rows = json.loads(sql_share(B, RULES)["sql"])
    data = list(_damaged(rows))[case]
    with pytest.raises(ValueError):
        read_sql_share(data, B.doc_id, RULES)


@pytest.mark.parametrize("after, changed", [
    ([A, C], set()),  # B removed, C new
    ([A, B2], {"borger-2023"}),  # B changed
    ([A, B, C], set()),  # C new
    ([EARLY, A, B], set()),  # a new one first
    ([A, B], set()),  # nothing changed
    ([B2], {"borger-2023"}),  # A removed, B changed
    ([], set()),  # all removed
])
def test_updated_in_place_is_what_a_full_build_writes(tmp_path, after, changed):
    out = tmp_path / "out"
    build(out, [A, B], links=("borger-2023#0",))
    inode = (out / "register.sqlite").stat().st_ino
    build(out, after, holds={"assen-2022", "borger-2023"}, changed=changed, links=("coevorden-2024#0", "x"))
    assert (out / "register.sqlite").stat().st_ino == inode  # in place
    assert dump(out) == fresh(tmp_path, after, links=("coevorden-2024#0", "x"))
    db = sqlite3.connect(out / "register.sqlite")
    assert db.execute("SELECT COUNT(*) FROM afspraken_fts WHERE afspraken_fts MATCH 'gewijzigd'").fetchone() == (len(B2.afspraken) if changed else 0,)
    assert db.execute("INSERT INTO afspraken_fts(afspraken_fts) VALUES ('integrity-check')").fetchall() == []
    assert [p.name for p in out.iterdir()] == ["register.sqlite"]  # no temporary file, no journal left


def test_a_full_build_does_not_depend_on_the_order_of_documents(tmp_path):
    build(tmp_path, [C, A, B])
    assert dump(tmp_path) == fresh(tmp_path, [A, B, C])


def unread() -> Mapping[str, bytes]:
    """The fragment of a document that must not be read."""
    raise AssertionError("an unchanged document's fragment was read")


def test_unchanged_documents_are_not_read(tmp_path):
    build(tmp_path, [A, B])
    writer = SqliteWriter(tmp_path, RULES, holds={"assen-2022", "borger-2023"})
    writer.add("assen-2022", unread, False)
    writer.add("borger-2023", unread, False)
    writer.add("coevorden-2024", lambda: sql_share(C, RULES), True)
    writer.finish([])
    assert dump(tmp_path) == fresh(tmp_path, [A, B, C])


def _other_schema(path: Path) -> None:
    """A database of another schema (as an older version wrote it)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE extra (x)")
    db.commit()
    db.close()


@pytest.mark.parametrize("damage", ["missing", "not a database", "truncated", "other documents", "other schema"])
def test_a_database_not_as_expected_is_built_afresh(tmp_path, damage):
    out = tmp_path / "out"
    build(out, [A, B])
    path = out / "register.sqlite"
    holds = {"assen-2022", "borger-2023"}
    if damage == "missing":
        path.unlink()
    elif damage == "not a database":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: 3 * 4096])
    elif damage == "other documents":
        holds = {"assen-2022", "borger-2023", "coevorden-2024"}
    else:
        _other_schema(path)
    # B and C given as unchanged: a fresh build needs their rows all the same
    build(out, [A, B, C], holds=holds, changed=set())
    assert dump(out) == fresh(tmp_path, [A, B, C])


def test_a_damaged_fragment_fails_the_run_and_leaves_the_database(tmp_path):
    build(tmp_path, [A, B])
    before = dump(tmp_path)
    writer = SqliteWriter(tmp_path, RULES, holds={"assen-2022", "borger-2023"})
    writer.add("assen-2022", lambda: {"sql": b"{"}, False)  # unchanged: not read
    with pytest.raises(ValueError):
        writer.add("borger-2023", lambda: {"sql": b"{"}, True)
    writer.discard()
    assert dump(tmp_path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["register.sqlite"]


def test_a_document_added_twice_is_refused(tmp_path):
    writer = SqliteWriter(tmp_path, RULES)
    writer.add(A.doc_id, lambda: sql_share(A, RULES), True)
    with pytest.raises(ValueError):
        writer.add(A.doc_id, lambda: sql_share(A, RULES), True)
    writer.discard()
    assert list(tmp_path.iterdir()) == []


class Failing(SqliteWriter):
    """A writer whose database fails on the way (as a damaged page would)."""

    def __init__(self, *args: Any, fail: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fail = fail

    def _delete(self, doc_id: str) -> None:
        if self.fail == "delete" and self.holds is not None:
            raise sqlite3.DatabaseError("database disk image is malformed")
        super()._delete(doc_id)

    def _links(self) -> None:
        if self.fail == "finish" and self.holds is not None:
            raise sqlite3.DatabaseError("database disk image is malformed")
        super()._links()


@pytest.mark.parametrize("fail", ["delete", "finish"])
def test_an_update_that_fails_on_the_way_builds_afresh(tmp_path, fail):
    build(tmp_path, [A, B])
    writer = Failing(tmp_path, RULES, holds={"assen-2022", "borger-2023"}, fail=fail)
    writer.add("assen-2022", lambda: sql_share(A, RULES), False)
    writer.add("borger-2023", lambda: sql_share(B2, RULES), True)
    writer.add("coevorden-2024", lambda: sql_share(C, RULES), True)
    writer.finish([])
    assert writer.holds is None  # built afresh
    assert dump(tmp_path) == fresh(tmp_path, [A, B2, C])
