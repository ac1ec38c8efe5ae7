"""Which inputs form the register: duplicates of one document, clashing doc_ids."""

from __future__ import annotations

from pathlib import Path

from pipeline.register import Entry, plan_register

WORDS = {
    "a.pdf": frozenset({"woningen", "gemeente", "huurders", "corporatie", "sloop"}),
    "a.txt": frozenset({"woningen", "gemeente", "huurders", "corporatie"}),
    "b.pdf": frozenset({"zorg", "ouderen", "welzijn", "wijkteam"}),
    "c.pdf": frozenset({"zonnepanelen", "isolatie"}),
}


def entry(name: str, doc_id: str) -> Entry:
    return Entry(Path(name), doc_id, Path(f"cache/{name}.json"))


def test_a_text_export_of_a_pdf_is_kept_once_with_a_note():
    asked: list[str] = []

    def words(e: Entry) -> frozenset[str]:
        asked.append(e.path.name)
        return WORDS[e.path.name]

    plan = plan_register([entry("a.pdf", "assen-2021"), entry("c.pdf", "zuidhorn-2020"), entry("a.txt", "assen-2021")], words)
    assert [(p.entry.path.name, p.doc_id) for p in plan] == [("a.pdf", "assen-2021"), ("c.pdf", "zuidhorn-2020")]
    assert plan[0].notes == ("Dubbele invoer: a.txt is hetzelfde document als a.pdf; alleen dat laatste is opgenomen.",)
    assert sorted(asked) == ["a.pdf", "a.txt"]  # words only of the inputs sharing a doc_id


def test_different_documents_with_one_doc_id_are_numbered():
    plan = plan_register([entry("a.pdf", "assen-2021"), entry("b.pdf", "assen-2021"), entry("c.pdf", "assen-2021")], lambda e: WORDS[e.path.name])
    assert [(p.entry.path.name, p.doc_id, p.notes) for p in plan] == [
        ("a.pdf", "assen-2021", ()), ("b.pdf", "assen-2021-2", ()), ("c.pdf", "assen-2021-3", ()),
    ]
