"""Read an article's date: from an input's date field in whatever form feeds and exports write it
(:func:`read_date`), or from its own text when the input gave none (:func:`find_date`, :func:`find_text_date`).

News pages print their date in a dateline or timestamp line ("Posted Feb. 4, 2009 10:53 AM", "2013-09-18").
The cleaner removes such lines as ``byline``; this module reads the date back out of them, so an article
without a ``published`` field still has a place in time, which keeps two events of one topic apart.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from dateutil import parser as dateparser
from dateutil import tz

from newsfold.article import parse_published

__all__ = ["find_date", "find_lead_dateline", "find_text_date", "read_date"]

_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(
    r"\b\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}(?:\b|(?=T\d))"
)  # ISO: "2024-03-05T10:00"
# Tokenised sources write "3: 37" and "05 / 03 / 2013"; fold the spaces back.
_SPACED = re.compile(r"\s*([:/])\s*|(?<=\d)\s+-\s+(?=\d)")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
# dateutil's fuzzy parser gives up on a date inside brackets: "(10:27 am PDT, Jun 11th 2012)".
_BRACKETS = re.compile(r"[()\[\]{}|]")
_ALPHA_WORD = re.compile(r"[^\W\d_]{4,}")
_DATELINE_WORDS = frozenset(
    "january february march april june july august september october november december sept "
    "monday tuesday wednesday thursday friday saturday sunday "
    "posted updated published last modified created date time edt pdt cdt mdt".split()
)


def _zones() -> dict[str, tzinfo]:
    """Time zone abbreviations that datelines print after the time ("10:32 AM EST", "12:36 PM ET").

    An abbreviation that names its offset (EST, CEST) keeps it; a generic one (ET, PT) follows the zone's
    daylight saving time on the date. Ambiguous ones (IST: India or Ireland; CST: also China) are left
    out, or take their North American meaning where news datelines mostly use them (CST)."""
    fixed = {
        "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2,
        "EEST": 3, "MSK": 3, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11, "NZST": 12,
        "NZDT": 13, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8,
        "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
    }  # fmt: skip
    zones: dict[str, tzinfo] = {name: timezone(timedelta(hours=hours)) for name, hours in fixed.items()}
    for name, zone in (("ET", "America/New_York"), ("CT", "America/Chicago"), ("MT", "America/Denver"),
                       ("PT", "America/Los_Angeles")):  # fmt: skip
        found = tz.gettz(zone)  # the system's zone data, else the copy dateutil ships
        if found is not None:
            zones[name] = found
    return zones


_ZONES = _zones()


# "10/04/2024": April 10 in most of the world, October 4 in the United States.
_SLASHED = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_FIELD_HINT = "ISO 8601 such as 2024-03-05 or 2024-03-05T14:30:00Z"


def read_date(value: Any) -> datetime | None:
    """The date of an input's date field as an aware UTC datetime; ``None`` for a missing or empty value.

    Read, in order: ISO 8601 (``2024-03-05``, ``2024-03-05T14:30:00+01:00``); e-mail form, as RSS and HTTP
    write it (``Wed, 10 Apr 2024 14:00:00 GMT``); a Unix time in seconds or milliseconds (a JSON number, or a
    string of 9 to 13 digits);
    and written dates with a month name and a year (``April 10, 2024``, ``10 Apr 2024 14:00 BST``).
    Raises ``ValueError`` for anything else, and for a date of numbers alone whose day and month could be
    swapped (``10/04/2024``): guessing would misdate half of them.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}; write {_FIELD_HINT}")
    if isinstance(value, int | float):
        return _unix_time(value)
    if not isinstance(value, str):
        return parse_published(value)
    if value.strip().isdigit() and 9 <= len(value.strip()) <= 13:
        return _unix_time(int(value))  # a Unix time written as a string ("1714557600")
    try:
        return parse_published(value)
    except ValueError as exc:
        if "out of range" in str(exc):
            raise
    text = value.strip()
    slashed = _SLASHED.match(text)
    if (
        slashed
        and int(slashed.group(1)) <= 12
        and int(slashed.group(2)) <= 12
        and slashed.group(1) != slashed.group(2)
    ):
        raise ValueError(f"ambiguous date {value!r} (day and month could be swapped); write {_FIELD_HINT}")
    found = _parse(text) if len(text) <= 80 else None
    if found is None:
        raise ValueError(f"cannot read {value!r} as a date; write {_FIELD_HINT}")
    return found


def _unix_time(value: float) -> datetime:
    # Seconds until 5138; a larger number counts milliseconds, as JavaScript writes them.
    seconds = value / 1000 if abs(value) >= 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"Unix time out of range: {value!r}") from None


def _parse(line: str) -> datetime | None:
    if not _YEAR.search(line) or not (_MONTH_NAME.search(line) or _NUMERIC_DATE.search(line)):
        return None
    text = _SPACED.sub(lambda m: m.group(1) or "-", _BRACKETS.sub(" ", line))
    text = _ORDINAL.sub(r"\1", text)
    try:
        with warnings.catch_warnings():
            # An unknown zone name leaves the time as printed (taken as UTC below), not an error.
            warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
            parsed = dateparser.parse(text, fuzzy=True, tzinfos=_ZONES, default=datetime(2000, 1, 1))
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


# Where a wire dateline ends and the report begins: "WASHINGTON, March 5, 2024 (AP) — The Senate ...".
_DATELINE_END = re.compile(r"\s(?:—|–|--?)\s")
# The only lower-case words a dateline opening has: "March 5, 2024 at 10:32 a.m. EST".
_DATELINE_LOWER = frozenset({"at", "am", "pm", "a.m", "p.m", "of", "st", "nd", "rd", "th", "de"})
_LOWER_WORD = re.compile(r"(?<![\w.])([a-z][a-z.]*)")


def find_lead_dateline(text: str) -> datetime | None:
    """The date of a dateline that opens the first line of ``text`` and runs into the report
    ("WASHINGTON, March 5, 2024 (AP) — The Senate passed ..."), or ``None``.

    The opening up to the first dash must be short and hold little but a place, a date and an agency.
    """
    first = text.lstrip().split("\n", 1)[0]
    end = _DATELINE_END.search(first, 0, 90)
    if end is None:
        return None
    opening = first[: end.start()]
    if len(_ALPHA_WORD.findall(opening)) > 6 or not _YEAR.search(opening):
        return None
    # A place, a date, an agency: capitalised words. "The mayor said on March 5, 2024 — ..." is a sentence.
    if any(w.rstrip(".") not in _DATELINE_LOWER for w in _LOWER_WORD.findall(opening)):
        return None
    return _parse(opening)


def find_text_date(text: str, *, lines: int = 5) -> datetime | None:
    """The date of a dateline among the first ``lines`` lines of an article's text, or ``None``.

    Only a short line that is mostly a date counts ("June 11, 2012 at 12:36 PM ET", "Posted Feb. 4, 2009"):
    a sentence that mentions a date ("The mayor was first elected in September 2010") says when something
    else happened, not when the article was written.
    """
    seen = 0
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        seen += 1
        if seen > lines:
            break
        if len(line) > 80:
            continue
        other_words = [w for w in _ALPHA_WORD.findall(line) if w.lower() not in _DATELINE_WORDS]
        if len(other_words) > 2:
            continue
        found = _parse(line)
        if found is not None:
            return found
    return None
