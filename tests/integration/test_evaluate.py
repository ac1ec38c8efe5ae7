"""`afspraken evaluate` against the hand-written gold of both agreements."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import CORPUS, ROOT


def test_evaluate_reports_every_field_and_meets_the_floors(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "evaluate", str(CORPUS), "--gold", str(ROOT / "tests" / "gold"), "--out", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["document", "field", "precision", "recall", "f1", "tp/pred/gold"]
    data = json.loads((tmp_path / "evaluation.json").read_text(encoding="utf-8"))
    assert sorted(data["documents"]) == ["aa-en-hunze-2022", "tynaarlo-2023"]
    overall = data["overall"]
    assert overall["afspraak"]["f1"] == 1.0 and overall["afspraak"]["gold"] == 128
    # floors measured on this corpus (see the closing note of the tagging issue); a drop is a regression
    for field in ("theme", "responsible", "deadline_date", "target_value_unit"):
        assert overall[field]["f1"] >= 0.90, (field, overall[field])
    assert any(line.startswith("OVERALL") and "commitment" in line for line in lines)
