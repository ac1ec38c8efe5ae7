"""``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: the flattened tables."""

from __future__ import annotations

import csv
from pathlib import Path

from ..files import AtomicFile
from ..model import Document
from .rows import CSV_TABLES


class CsvWriter:
    """``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: UTF-8 with BOM, so that Excel
    opens Dutch characters right."""

    def __init__(self, out: Path) -> None:
        self.files = {name: AtomicFile(out / name, "w", encoding="utf-8-sig", newline="") for name in CSV_TABLES}
        self.writers = {name: csv.writer(f.handle, lineterminator="\r\n") for name, f in self.files.items()}
        for name, table in CSV_TABLES.items():
            self.writers[name].writerow(table.headers)

    def add(self, document: Document) -> None:
        for name, table in CSV_TABLES.items():
            self.writers[name].writerows(table.rows(document))

    def finish(self, errors: list[dict[str, str]]) -> None:
        for target in self.files.values():
            target.commit()

    def discard(self) -> None:
        for target in self.files.values():
            target.discard()
