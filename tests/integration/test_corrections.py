"""Corrections in real runs: ``afspraken extract`` on real corpus PDFs with a corrections/ folder
beside them, run after run, as a reviewer uses it.

The reviewer of Aa en Hunze 2022 fixes a party (the tenants' association is also written "AH
Woon"), drops a decoy (afspraak 1 states the parties' roles, it commits no one to anything),
adds the commitment the extractor missed in the introduction on page 2 ("In 2022 onderzoeken we
hoe we komen tot meerjarige prestatieafspraken") and fixes the deadline of afspraak 34 (the bare
year in "wordt 2022 … opgesteld").
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.model.rules import DEFAULT_RULES_DIR
from tests.conftest import CORPUS

DOC_ID = "aa-en-hunze-2022"
SHA256 = "b7f42d22e72629cc1c145b9e33b64ee49f41598e12d65341d4d606c32912c095"  # of corpus/aa-en-hunze-2022.pdf
CORRECTION = f"""\
source_sha256: {SHA256}
parties:
  - party: Algemene Huurdersvereniging WOON
    aliases: [AH WOON, AH Woon]
afspraken:
  - afspraak: "1"
    first_words: Gelijkwaardigheid van gemeente Aa en Hunze-corporaties-huurdersorganisaties.
    drop: true
  - afspraak: "34"
    first_words: Het gemeentelijk woningbouwprogramma wordt 2022
    deadlines:
      - {{text: "2022", date: 2022-12-31}}
new_afspraken:
  - text: In 2022 onderzoeken we hoe we komen tot meerjarige prestatieafspraken.
    page: 2
    section_path: [1 Inleiding]
    theme: samenwerking
    responsible: [Gemeente Aa en Hunze, Woonborg, Algemene Huurdersvereniging WOON, Woningstichting De Volmacht, Huurdersvereniging De Deelmacht]
    deadlines: [{{text: In 2022, date: 2022-12-31}}]
    commitment: onderzoek
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, check=False)


def register(out: Path) -> dict[str, dict]:
    return {d["doc_id"]: d for d in json.loads((out / "register.json").read_text(encoding="utf-8"))}


def assert_corrected(doc: dict) -> None:
    """The four corrections are in the register, each with where it came from."""
    woon = next(p for p in doc["parties"] if p["name"] == "Algemene Huurdersvereniging WOON")
    assert woon["aliases"] == ["AH WOON", "AH Woon"]
    afspraken = doc["afspraken"]
    assert [a["number"] for a in afspraken[:3]] == [None, "2", "3"]  # the missed one first, the decoy gone
    added = afspraken[0]
    assert (added["id"], added["page"], added["corrected"], added["deadlines"][0]["date"]) == (f"{DOC_ID}#o1", 2, True, "2022-12-31")
    fixed = next(a for a in afspraken if a["number"] == "34")
    assert fixed["deadlines"] == [{"text": "2022", "date": "2022-12-31", "recurrence": None, "start": 43, "end": 47}] and fixed["corrected"]
    assert len(afspraken) == 85 and [a["ordinal"] for a in afspraken] == list(range(1, 86))
    assert {(r["afspraak"], r["field"]) for r in doc["corrections"]} == {
        (None, "parties"), (f"{DOC_ID}#1", "afspraak"), (f"{DOC_ID}#34", "deadlines"), (f"{DOC_ID}#o1", "afspraak")}
    assert all(r["file"].endswith(f"corrections/{DOC_ID}.yaml") for r in doc["corrections"])
    assert "stale_correction" not in doc["review"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder: corpus/ with two real agreements, corrections/ beside it."""
    root = tmp_path_factory.mktemp("project")
    (root / "corpus").mkdir()
    for name in (f"{DOC_ID}.pdf", "tynaarlo-2023.pdf"):
        shutil.copy(CORPUS / name, root / "corpus" / name)
    (root / "corrections").mkdir()
    (root / "corrections" / f"{DOC_ID}.yaml").write_text(CORRECTION, encoding="utf-8")
    return root


def test_corrections_survive_every_later_run_and_a_new_version_of_the_pdf_is_reported(project, tmp_path):
    corpus, out = project / "corpus", project / "output"
    first = run("extract", str(corpus), "--out", str(out))  # corrections/ beside corpus/: found without an option
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[1] == f"corrections applied to 1 document: {DOC_ID}"
    assert_corrected(register(out)[DOC_ID])
    assert register(out)["tynaarlo-2023"]["corrections"] == []

    again = run("extract", str(corpus), "--out", str(out))
    assert "(0 processed, 2 from cache)" in again.stdout
    assert_corrected(register(out)[DOC_ID])

    # A changed correction writes the outputs again without extracting anything.
    correction = project / "corrections" / f"{DOC_ID}.yaml"
    correction.write_text(CORRECTION + "checked: J. de Vries, 2025-03-14\n", encoding="utf-8")
    changed = run("extract", str(corpus), "--out", str(out))
    assert "(0 processed, 2 from cache)" in changed.stdout
    assert register(out)[DOC_ID]["checked"] == {"by": "J. de Vries", "date": "2025-03-14"}
    assert_corrected(register(out)[DOC_ID])

    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    themes = rules / "themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("wijken en buurten", "wijken en buurten, schoon heel en veilig"), encoding="utf-8")
    new_rules = run("extract", str(corpus), "--out", str(out), "--rules", str(rules))
    assert "(2 processed, 0 from cache)" in new_rules.stdout, new_rules.stdout
    assert_corrected(register(out)[DOC_ID])

    forced = run("extract", str(corpus), "--out", str(out), "--force")
    assert "(2 processed, 0 from cache)" in forced.stdout
    assert_corrected(register(out)[DOC_ID])

    # The PDF replaced by a new version (other bytes, the same agreement): reported, not applied.
    writer = PdfWriter()
    writer.append(PdfReader(CORPUS / f"{DOC_ID}.pdf"))
    writer.add_metadata({"/Subject": "Versie 2, na redactionele wijzigingen"})
    writer.write(corpus / f"{DOC_ID}.pdf")
    replaced = run("extract", str(corpus), "--out", str(out))
    assert replaced.returncode == 0, replaced.stderr
    assert f"corrections not applied, their document changed: {DOC_ID} (see site/controleren.html)" in replaced.stdout.splitlines()
    assert replaced.stdout.splitlines()[-1] == f"1 to check: {DOC_ID} (stale_correction, warnings)"
    doc = register(out)[DOC_ID]
    assert doc["review"] == ["stale_correction"] and doc["corrections"] == [] and doc["checked"] is None
    assert doc["afspraken"][0]["number"] == "1"  # nothing applied blindly
    assert doc["warnings"][-1].startswith(f"Correctie {correction} is niet toegepast: die is geschreven voor een andere versie van het bronbestand")
    queue = (out / "site" / "controleren.html").read_text(encoding="utf-8")
    assert 'data-reason="stale_correction"' in queue and f"source_sha256: {doc['source']['sha256']}" in queue


def test_a_correction_naming_an_afspraak_the_document_lacks_stops_the_run_and_keeps_the_outputs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{DOC_ID}.pdf", corpus)
    corrections, out = tmp_path / "fixes", tmp_path / "out"
    corrections.mkdir()
    assert run("extract", str(corpus), "--out", str(out), "--corrections", str(corrections)).returncode == 0
    before = (out / "register.json").read_bytes()
    (corrections / f"{SHA256[:12]}.yaml").write_text(f"source_sha256: {SHA256}\nafspraken:\n  - afspraak: '86'\n    drop: true\n", encoding="utf-8")
    result = run("extract", str(corpus), "--out", str(out), "--corrections", str(corrections))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"afspraken: error: {corrections}/{SHA256[:12]}.yaml:3: afspraken.0.afspraak: no afspraak numbered or starting '86' in {DOC_ID}; "
        "the previous outputs are intact"]
    assert (out / "register.json").read_bytes() == before
    (corrections / f"{SHA256[:12]}.yaml").write_text("source_sha256: [\n", encoding="utf-8")
    bad = run("extract", str(corpus), "--out", str(out), "--corrections", str(corrections))
    assert bad.returncode == 2 and bad.stderr.startswith(f"afspraken: error: {corrections}/{SHA256[:12]}.yaml:2: not valid YAML")
    missing = run("extract", str(corpus), "--out", str(out), "--corrections", str(tmp_path / "nergens"))
    assert missing.returncode == 2 and "nergens: no such corrections folder" in missing.stderr
    (corrections / f"{SHA256[:12]}.yaml").unlink()
    (corrections / "0123456789ab.yaml").write_text(f"source_sha256: {'f' * 64}\n", encoding="utf-8")  # no document's sha256
    orphan = run("extract", str(corpus), "--out", str(out), "--corrections", str(corrections))
    assert orphan.returncode == 0 and orphan.stderr == f"warning: {corrections}/0123456789ab.yaml: matches no document of the register; not applied\n"


def test_the_register_files_carry_the_provenance_and_review_prints_the_queue(tmp_path):
    corpus, out, checked, unchecked = tmp_path / "corpus", tmp_path / "out", tmp_path / "checked", tmp_path / "unchecked"
    for folder in (corpus, checked, unchecked):
        folder.mkdir()
    shutil.copy(CORPUS / f"{DOC_ID}.pdf", corpus)
    (checked / f"{DOC_ID}.yaml").write_text(CORRECTION + "checked: J. de Vries, 2025-03-14\n", encoding="utf-8")
    (unchecked / f"{DOC_ID}.yaml").write_text(CORRECTION, encoding="utf-8")
    result = run("extract", str(corpus), "--out", str(out), "--corrections", str(checked))
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(out / "register.sqlite")
    assert db.execute("SELECT checked, corrections FROM documents").fetchall() == [("J. de Vries, 2025-03-14", 4)]
    assert db.execute("SELECT id, corrected FROM afspraken WHERE corrected != '' ORDER BY position").fetchall() == [
        (f"{DOC_ID}#o1", "afspraak"), (f"{DOC_ID}#34", "deadlines")]
    assert db.execute("SELECT field, old, new FROM corrections WHERE afspraak_id = ?", (f"{DOC_ID}#34",)).fetchall() == [
        ("deadlines", "[]", '[{"text": "2022", "date": "2022-12-31", "recurrence": null}]')]
    assert (out / "afspraken.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")[-3:] == ["gecorrigeerd", "gecontroleerd", "tekst"]
    page = (out / "site" / f"{DOC_ID}.html").read_text(encoding="utf-8")
    assert "Gecontroleerd door J. de Vries op 14 maart 2025." in page
    assert f'title="gecorrigeerd in {checked}/{DOC_ID}.yaml:12">✎</span>' in page  # the deadline of afspraak 34
    assert (out / "site" / "bron" / f"{DOC_ID}.pdf").read_bytes() == (corpus / f"{DOC_ID}.pdf").read_bytes()

    review = run("review", DOC_ID, "--out", str(out))
    assert review.returncode == 0 and review.stderr == ""
    assert review.stdout.splitlines() == [  # a checked document: nothing left to check
        f"{DOC_ID} — Prestatieafspraken Aa en Hunze 2022 ({corpus}/{DOC_ID}.pdf)", f"0 punten om na te kijken; correcties in corrections/{DOC_ID}.yaml"]
    assert run("extract", str(corpus), "--out", str(out), "--corrections", str(unchecked)).returncode == 0
    lines = run("review", DOC_ID, "--out", str(out)).stdout.splitlines()
    assert lines[1] == f"3 punten om na te kijken; correcties in corrections/{DOC_ID}.yaml"  # 34, 71, 72; not the one added
    assert lines[3] == "1. afspraak 34, pagina 8: geen verantwoordelijke partij gevonden"
    assert lines[5] == f"   afspraak: {(out / 'site' / DOC_ID).resolve().as_uri()}.html#a-34"
    assert lines[6] == f"   bron:     {(out / 'site' / 'bron' / DOC_ID).resolve().as_uri()}.pdf#page=8"
    assert lines[8:10] == [f"     source_sha256: {SHA256}", "     afspraken:"]
    assert run("review", "nergens-2020", "--out", str(out)).returncode == 2


def test_evaluate_scores_the_extractor_alone():
    """`make evaluate` runs `afspraken evaluate`, which reads no corrections: there is no option for them."""
    assert "--corrections" not in run("evaluate", "--help").stdout
