"""Dutch calendar dates in text: "6 december 2021", "1 jan. 2023", "06-12-2021"."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import regex


@lru_cache(maxsize=8)
def date_pattern(month_names: tuple[str, ...]) -> regex.Pattern[str]:
    """A pattern with groups day/month/year, or nday/nmonth/nyear for numeric dates."""
    months = "|".join(sorted((regex.escape(m) for m in month_names), key=len, reverse=True))
    return regex.compile(
        rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{months})\.?\s+(?P<year>(?:19|20)\d{{2}})\b"
        rf"|\b(?P<nday>\d{{1,2}})[-/.](?P<nmonth>\d{{1,2}})[-/.](?P<nyear>(?:19|20)\d{{2}})\b",
        regex.IGNORECASE,
    )


def match_to_date(match: regex.Match[str], months: dict[str, int]) -> dt.date | None:
    """The calendar date of a :func:`date_pattern` match; ``None`` if it is impossible (31 februari)."""
    try:
        if match.group("day"):
            return dt.date(int(match.group("year")), months[match.group("month").lower()], int(match.group("day")))
        return dt.date(int(match.group("nyear")), int(match.group("nmonth")), int(match.group("nday")))
    except ValueError:
        return None


def find_dates(text: str, months: dict[str, int]) -> list[tuple[dt.date, regex.Match[str]]]:
    """Every valid date in ``text`` with its match, in order."""
    found = []
    for match in date_pattern(tuple(months)).finditer(text):
        date = match_to_date(match, months)
        if date is not None:
            found.append((date, match))
    return found
