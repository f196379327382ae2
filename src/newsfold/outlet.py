"""Name the outlet of an article from the furniture its page carried.

Boilerplate often names its publisher: a copyright line, a sign-up prompt ("updates from The Daily X"),
a syndication footer ("appeared first on X"). The cleaner removes those lines; this module reads the
publisher's name back out of them when the input did not say which outlet it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsfold.article import Removed

__all__ = ["outlet_from_removed"]

_WORD = r"[A-Z][\w&'’-]*(?:\.[a-z]{2,4}\b)?"
_NAME = r"((?:The\s+)?" + _WORD + r"(?:\s+" + _WORD + r"){0,4})"
_PATTERNS = [
    re.compile(
        r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*[-–]?\s*(?:(?:19|20)\d\d)?\s*)?" + _NAME, re.IGNORECASE
    ),
    re.compile(r"\b(?:offers|updates|news|emails?|newsletters?)\s+from\s+" + _NAME),
    re.compile(r"\bappeared\s+first\s+on\s+" + _NAME),
    re.compile(r"\boriginally\s+(?:published|appeared)\s+(?:on|in|at)\s+" + _NAME),
    re.compile(r"^\W*source\s*:\s*" + _NAME + r"\W*$", re.IGNORECASE),
]
_NOT_NAMES = {"All", "The", "This", "Our", "Your", "Read", "Please", "Source", "Link"}


def outlet_from_removed(removed: Iterable[Removed]) -> str | None:
    """The first publisher name found in removed boilerplate, or ``None``."""
    for line in removed:
        for pattern in _PATTERNS:
            match = pattern.search(line.text)
            if not match:
                continue
            name = match.group(1).strip().rstrip(".,;:")
            name = re.sub(r"\s+(?:All|Rights|Reserved|Inc|Ltd|LLC)\b.*$", "", name)
            if name and name not in _NOT_NAMES and len(name) > 2:
                return name
    return None
