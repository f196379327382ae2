"""Find an article's date in its own text when the input gave none.

News pages print their date in a dateline or timestamp line ("Posted Feb. 4, 2009 10:53 AM", "2013-09-18").
The cleaner removes such lines as ``byline``; this module reads the date back out of them, so an article
without a ``published`` field still has a place in time, which keeps two events of one topic apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from dateutil import parser as dateparser

__all__ = ["find_date"]

_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}\b")
# Tokenised sources write "3: 37" and "05 / 03 / 2013"; fold the spaces back.
_SPACED = re.compile(r"\s*([:/])\s*|(?<=\d)\s+-\s+(?=\d)")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def _parse(line: str) -> datetime | None:
    if not _YEAR.search(line) or not (_MONTH_NAME.search(line) or _NUMERIC_DATE.search(line)):
        return None
    text = _SPACED.sub(lambda m: m.group(1) or "-", line)
    text = _ORDINAL.sub(r"\1", text)
    try:
        parsed = dateparser.parse(text, fuzzy=True, ignoretz=True, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1980 <= parsed.year <= 2049 or str(parsed.year) not in text:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def find_date(lines: Iterable[str]) -> datetime | None:
    """The first date (with a year) found in ``lines``, as an aware UTC datetime, or ``None``."""
    for line in lines:
        if len(line) > 200:
            continue
        found = _parse(line)
        if found is not None:
            return found
    return None
