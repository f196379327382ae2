"""Lines that recur across stories: site furniture and injected spam, learned from the stream itself.

A line of reporting belongs to one story. Its copies (wire reprints, scraped republications) and other
outlets' reports of the same event may repeat it, but they all land in the same story. A line that earlier
articles of several *different* stories also carried is not reporting: it is a site's template (a sign-up
prompt, a consent button, "Link copied to clipboard"), or what a scraper adds to everything it republishes.
This is the signal boilerplate research draws from repetition across the pages of a site or a crawl, and
it needs no idea of what the junk says, so it catches kinds of junk that neither the rules nor the line
model have seen.

:class:`LineMemory` maps a folded form of each line (case and whitespace folded, digits dropped: "Share 131 Tweet 3"
and "Share 55 Tweet 2" are one line) to the first few distinct stories that carried it. The pipeline asks
it about each kept line of an article before storing, and tells it every line of the article (kept or
removed) with the article's story afterwards. A kept line whose stories reach ``spread`` is removed with
reason ``repeated``, unless the line model is sure it is prose (``keep_above``) or it is a paragraph of more
than ``keep_words`` words: furniture is short, and a background paragraph that an outlet repeats across its
follow-ups stays. The memory is bounded: past ``capacity`` lines, the oldest
are forgotten. After a restart, the pipeline rebuilds it from the stored articles, like its other indexes.
"""

from __future__ import annotations

import hashlib
import itertools
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsfold.clean import Cleaned

__all__ = ["LineMemory", "line_key"]

_NO_DIGITS = str.maketrans("", "", "0123456789")


def line_key(line: str) -> int:
    """A 64-bit key for a line, equal for lines that differ only in case, whitespace or digits."""
    if not line.isascii():
        line = unicodedata.normalize("NFKC", line)
    folded = " ".join(line.casefold().translate(_NO_DIGITS).split()).strip(" .,;:!?-–—|•·*")
    return int.from_bytes(hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest(), "little")


class LineMemory:
    """Which stories each recent line appeared in (up to ``spread`` of them), for ``capacity`` lines."""

    def __init__(
        self, spread: int = 3, capacity: int = 200_000, keep_above: float = 0.95, keep_words: int = 30
    ) -> None:
        self.spread = spread
        self.capacity = capacity
        self.keep_above = keep_above
        self.keep_words = keep_words
        self._stories: dict[int, tuple[str, ...]] = {}  # insertion order is age order

    def __len__(self) -> int:
        return len(self._stories)

    def repeated(self, keys: Iterable[int]) -> list[bool]:
        """For each line (by :func:`line_key`), whether at least ``spread`` different stories carried it."""
        stories = self._stories
        return [len(stories.get(key, ())) >= self.spread for key in keys]

    def drop_repeated(self, cleaned: Cleaned) -> bool:
        """Mark ``repeated`` the kept lines of ``cleaned`` that ``spread`` stories carried; whether any were.

        Lines the line model is sure are prose (``keep_above``), paragraphs longer than ``keep_words`` words,
        and all lines of an article whose every kept line would go, stay.
        """
        kept = [i for i, reason in enumerate(cleaned.reasons) if reason is None]
        flags = self.repeated(cleaned.keys[i] for i in kept)
        sure = cleaned.probabilities or [0.0] * len(cleaned.lines)
        drop = [
            i
            for i, flag in zip(kept, flags, strict=True)
            if flag and sure[i] < self.keep_above and len(cleaned.lines[i].split()) <= self.keep_words
        ]
        if not drop or len(drop) == len(kept):
            return False
        for i in drop:
            cleaned.reasons[i] = "repeated"
        return True

    def remember(self, keys: Iterable[int], story_id: str) -> None:
        """Record that an article of ``story_id`` carried the lines of ``keys`` (see :func:`line_key`)."""
        stories = self._stories
        for key in set(keys):
            seen = stories.pop(key, ())  # re-inserted: a line seen again is young again
            if story_id not in seen and len(seen) < self.spread:
                seen = (*seen, story_id)
            stories[key] = seen
        excess = len(stories) - self.capacity
        if excess > 0:
            for key in list(itertools.islice(stories, excess)):
                del stories[key]
