"""Which inputs form the register: duplicates of one document, clashing doc_ids."""

from __future__ import annotations

import itertools
from pathlib import Path

from pipeline.register import Entry, Fingerprint, plan_register, same_document

WORDS = {
    "a.pdf": frozenset({"woningen", "gemeente", "huurders", "corporatie", "sloop"}),
    "a.txt": frozenset({"woningen", "gemeente", "huurders", "corporatie", "sloop"}),
    "b.pdf": frozenset({"zorg", "ouderen", "welzijn", "wijkteam"}),
    "c.pdf": frozenset({"zonnepanelen", "isolatie"}),
}
SHA = {"a.pdf": "aa", "a.txt": "11", "b.pdf": "03", "c.pdf": "02"}


def entry(name: str, doc_id: str) -> Entry:
    return Entry(Path(name), doc_id, Path(f"cache/{name}.json"))


def fingerprint(e: Entry) -> Fingerprint:
    name = e.path.name
    return Fingerprint(SHA[name], "pdf" if name.endswith(".pdf") else "text", WORDS[name], 100)


def test_a_text_export_of_a_pdf_is_kept_once_with_a_note():
    asked: list[str] = []

    def fp(e: Entry) -> Fingerprint:
        asked.append(e.path.name)
        return fingerprint(e)

    plan = plan_register([entry("a.txt", "assen-2021"), entry("c.pdf", "zuidhorn-2020"), entry("a.pdf", "assen-2021")], fp)
    assert [(p.entry.path.name, p.doc_id) for p in plan] == [("a.pdf", "assen-2021"), ("c.pdf", "zuidhorn-2020")]
    assert plan[0].notes == ("Dubbele invoer: a.txt is hetzelfde document als a.pdf; alleen dat laatste is opgenomen.",)
    assert sorted(asked) == ["a.pdf", "a.txt"]  # fingerprints only of the inputs sharing a doc_id


def test_different_documents_with_one_doc_id_are_numbered_by_sha256_whatever_the_order():
    names = ["a.pdf", "b.pdf", "c.pdf"]
    expected = [("c.pdf", "assen-2021", ()), ("b.pdf", "assen-2021-2", ()), ("a.pdf", "assen-2021-3", ())]  # sha 02 < 03 < aa
    for order in itertools.permutations(names):
        plan = plan_register([entry(n, "assen-2021") for n in order], fingerprint)
        assert [(p.entry.path.name, p.doc_id, p.notes) for p in plan] == expected


def test_a_suffix_never_takes_another_documents_doc_id():
    plan = plan_register([entry("a.pdf", "x"), entry("b.pdf", "x"), entry("c.pdf", "x-2")], fingerprint)
    assert sorted((p.entry.path.name, p.doc_id) for p in plan) == [("a.pdf", "x-3"), ("b.pdf", "x"), ("c.pdf", "x-2")]


def test_only_the_same_text_in_two_formats_or_the_same_bytes_is_one_document():
    words = frozenset(f"woord{i}" for i in range(100))
    pdf = Fingerprint("01", "pdf", words, 1000)
    assert same_document(pdf, Fingerprint("02", "text", words, 980))  # its text export
    assert not same_document(pdf, Fingerprint("02", "pdf", words, 1000))  # two PDFs: two documents
    assert not same_document(Fingerprint("01", "text", words, 1000), Fingerprint("02", "text", words, 1000))
    assert same_document(pdf, Fingerprint("01", "pdf", words, 1000))  # byte-identical copies
    assert not same_document(pdf, Fingerprint("02", "text", words, 700))  # much shorter: not the same text
    most = frozenset(list(words)[:85])  # word overlap 0.85: another agreement in the same words
    assert not same_document(pdf, Fingerprint("02", "text", most, 1000))


def test_a_pdf_pairs_with_its_own_export_not_with_the_export_of_a_changed_copy():
    words = frozenset(f"woord{i}" for i in range(100))
    prints = {
        "a.pdf": Fingerprint("05", "pdf", words, 1000),
        "a.txt": Fingerprint("09", "text", words, 1000),  # its export
        "kopie.txt": Fingerprint("01", "text", words - {"woord1"} | {"lefier"}, 1000),  # another corporation
    }
    for order in itertools.permutations(prints):
        plan = plan_register([entry(n, "x") for n in order], lambda e: prints[e.path.name])
        assert [(p.entry.path.name, p.doc_id, len(p.notes)) for p in plan] == [("kopie.txt", "x", 0), ("a.pdf", "x-2", 1)]


def test_texts_signed_by_other_parties_are_two_documents():
    words = frozenset(f"woord{i}" for i in range(500))
    pdf = Fingerprint("01", "pdf", words, 1000, frozenset({"gemeente tynaarlo", "woonborg"}))
    assert same_document(pdf, Fingerprint("02", "text", words, 1000, frozenset({"gemeente tynaarlo", "woonborg"})))
    assert not same_document(pdf, Fingerprint("03", "text", words, 1000, frozenset({"gemeente tynaarlo", "lefier"})))
