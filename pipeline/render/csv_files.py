"""``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: the flattened tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import AtomicFile
from ..model import Document
from .rows import CSV_TABLES, Row

if TYPE_CHECKING:
    from . import Part

BOM = "\ufeff".encode("utf-8")  # so that Excel opens Dutch characters right


def _csv_text(rows: list[Row] | list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_share(document: Document) -> dict[str, bytes]:
    """A document's rows of each CSV file (its fragment's ``csv/<name>`` sections)."""
    return {f"csv/{name}": _csv_text(table.rows(document)) for name, table in CSV_TABLES.items()}


class CsvWriter:
    """``afspraken.csv``, ``targets.csv``, ``deadlines.csv``: UTF-8 with BOM, the documents' rows
    joined under the header."""

    def __init__(self, out: Path) -> None:
        self.files = {name: AtomicFile(out / name) for name in CSV_TABLES}
        for name, table in CSV_TABLES.items():
            self.files[name].handle.write(BOM + _csv_text([table.headers]))

    def add(self, part: Part) -> None:
        for name, target in self.files.items():
            target.handle.write(part.fragment[f"csv/{name}"])

    def finish(self, errors: list[dict[str, str]]) -> None:
        for target in self.files.values():
            target.commit()

    def discard(self) -> None:
        for target in self.files.values():
            target.discard()
