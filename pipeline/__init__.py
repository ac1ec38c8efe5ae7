"""afspraken: Dutch housing performance agreements → a structured register."""

__version__ = "0.1.0"
