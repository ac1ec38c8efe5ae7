"""afspraken: Dutch housing performance agreements → a structured register."""

from pathlib import Path

__version__ = "0.1.0"

# The rule files a run reads unless told otherwise (``--rules``).
DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
