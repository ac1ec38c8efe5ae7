"""``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: the flattened tables, and each again
for Excel set to Dutch (``afspraken-nl.csv``, …)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..files import AtomicFile
from ..model import Document
from ..model.rules import Rules
from .rows import Cell, Row, tables

CSV_SECTION = "csv/"


def dutch_name(name: str) -> str:
    """"afspraken.csv" → "afspraken-nl.csv"."""
    return name.removesuffix(".csv") + "-nl.csv"


def dutch_row(row: Row) -> list[Cell]:
    """A row as Excel set to Dutch reads it: a decimal comma in numbers ("80,0")."""
    return [str(cell).replace(".", ",") if isinstance(cell, float) else cell for cell in row]


def _csv_text(rows: list[list[Cell]], delimiter: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _files(rules: Rules) -> dict[str, tuple[list[str], str]]:
    """Every CSV file: its headers and delimiter."""
    files = {}
    for name, table in tables(rules).csv.items():
        files[name] = (table.headers, ",")
        files[dutch_name(name)] = (table.headers, ";")
    return files


def csv_share(document: Document, rules: Rules) -> dict[str, bytes]:
    """A document's rows of every CSV file, written (its fragment's ``csv/<file>`` sections)."""
    share = {}
    for name, table in tables(rules).csv.items():
        rows = table.rows(document)
        share[CSV_SECTION + name] = _csv_text(rows, ",")
        share[CSV_SECTION + dutch_name(name)] = _csv_text([dutch_row(row) for row in rows], ";")
    return share


class CsvWriter:
    """``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: UTF-8 with BOM, so that Excel
    opens Dutch characters right; comma-separated with decimal points (the standard). Beside
    each, ``<name>-nl.csv`` with the same rows separated by ";" and decimal commas: what Excel
    set to Dutch opens in columns by a double click. Joined from the documents' shares
    (:func:`csv_share`)."""

    def __init__(self, out: Path, rules: Rules) -> None:
        self.files: dict[str, AtomicFile] = {}
        for name, (headers, delimiter) in _files(rules).items():
            self.files[name] = AtomicFile(out / name)
            self.files[name].handle.write(b"\xef\xbb\xbf" + _csv_text([list(headers)], delimiter))

    def add(self, fragment: dict[str, bytes]) -> None:
        for name, target in self.files.items():
            target.handle.write(fragment[CSV_SECTION + name])

    def finish(self, errors: list[dict[str, str]]) -> None:
        for target in self.files.values():
            target.commit()

    def discard(self) -> None:
        for target in self.files.values():
            target.discard()
