"""``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: the flattened tables, and each again
for Excel set to Dutch (``afspraken-nl.csv``, …)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..files import AtomicFile
from ..model import Document
from ..model.rules import Rules
from .rows import Cell, Row, tables


def dutch_name(name: str) -> str:
    """"afspraken.csv" → "afspraken-nl.csv"."""
    return name.removesuffix(".csv") + "-nl.csv"


def dutch_row(row: Row) -> list[Cell]:
    """A row as Excel set to Dutch reads it: a decimal comma in numbers ("80,0")."""
    return [str(cell).replace(".", ",") if isinstance(cell, float) else cell for cell in row]


class CsvWriter:
    """``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: UTF-8 with BOM, so that Excel
    opens Dutch characters right; comma-separated with decimal points (the standard). Beside
    each, ``<name>-nl.csv`` with the same rows separated by ";" and decimal commas: what Excel
    set to Dutch opens in columns by a double click."""

    def __init__(self, out: Path, rules: Rules) -> None:
        self.tables = tables(rules).csv
        self.files: dict[str, AtomicFile] = {}
        self.writers = {}
        for name in self.tables:
            for file, delimiter in ((name, ","), (dutch_name(name), ";")):
                self.files[file] = AtomicFile(out / file, "w", encoding="utf-8-sig", newline="")
                self.writers[file] = csv.writer(self.files[file].handle, delimiter=delimiter, lineterminator="\r\n")
        for name, table in self.tables.items():
            self.writers[name].writerow(table.headers)
            self.writers[dutch_name(name)].writerow(table.headers)

    def add(self, document: Document) -> None:
        for name, table in self.tables.items():
            rows = table.rows(document)
            self.writers[name].writerows(rows)
            self.writers[dutch_name(name)].writerows(dutch_row(row) for row in rows)

    def finish(self, errors: list[dict[str, str]]) -> None:
        for target in self.files.values():
            target.commit()

    def discard(self) -> None:
        for target in self.files.values():
            target.discard()
