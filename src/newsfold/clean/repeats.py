"""Lines that recur across stories: site furniture and injected spam, learned from the stream itself.

A line of reporting belongs to one story. Its copies (wire reprints, scraped republications) and other
outlets' reports of the same event may repeat it, but they all land in the same story. A line that earlier
articles of several *different* stories also carried is not reporting: it is a site's template (a sign-up
prompt, a consent button, "Link copied to clipboard"), or what a scraper adds to everything it republishes.
This is the signal boilerplate research draws from repetition across the pages of a site or a crawl, and
it needs no idea of what the junk says, so it catches kinds of junk that neither the rules nor the line
model have seen.

:class:`LineMemory` maps a folded form of each line (case, whitespace and quote marks folded, digits dropped:
"Share 131 Tweet 3" and "Share 55 Tweet 2" are one line) to the first few distinct stories that carried it. The
pipeline asks it about each kept line of an article before storing, and tells it every line of the article
(kept or removed) with the article's story afterwards. A kept line whose stories reach ``spread`` is removed
with reason ``repeated``, unless the line model is sure it is prose or it is a long paragraph
(:class:`RepeatGuard`): furniture is short, and a background paragraph that an outlet repeats across its
follow-ups stays. The memory is bounded: past ``capacity`` lines, the oldest are forgotten. After a restart,
the pipeline rebuilds it from the stored articles, like its other indexes.

The cleaning workers cannot see the memory, so the pipeline sends each article with a flag per line: whether
the line is repeated when the article leaves for a worker (:meth:`LineMemory.flags`); the worker removes
those lines before it fingerprints and parses the article. When the article comes back, the pipeline marks
it again with what the memory knows then (:meth:`LineMemory.mark`) and redoes the fingerprint and the parse
only if that changed anything, so the result is the same as cleaning in one process.

The same guard decides which of the lines a near copy adds to its original may go (reason ``copy-addition``):
once copy detection has found the original, the copy's lines whose folded words do not occur in the
original's folded text are what a scraper or a syndicator wrapped around it (a line that only wraps the
original's text differently does occur; :meth:`newsfold.pipeline.Pipeline.process`).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsfold.clean import Cleaned

__all__ = [
    "COPY_ADDITION",
    "REPEATED",
    "LineMemory",
    "RepeatGuard",
    "fold",
    "line_key",
    "line_keys",
    "overlap",
]

REPEATED = "repeated"  # the reason code of a removed repeated line
COPY_ADDITION = "copy-addition"  # the reason code of a line a copy adds to the article it copies

# Quote marks, apostrophes and dashes folded (copies swap curly and straight marks); digits are dropped later.
_FOLD = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-"}
)
_DIGITS = b"0123456789"


def fold(text: str) -> bytes:
    """``text`` with case, whitespace and quote marks folded and digits dropped, as UTF-8.

    Folding works on the bytes, where dropping digits and splitting on whitespace are single C calls.
    """
    if text.isascii():
        raw = text.lower().encode("ascii")
    else:
        raw = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD).encode("utf-8")
    return b" ".join(raw.translate(None, _DIGITS).split()).strip(b" .,;:!?-|*")


def line_keys(text: str) -> list[int]:
    """The :func:`line_key` of each line the cleaner judges in ``text`` (its :func:`~newsfold.clean.split_units`)."""
    from newsfold.clean import split_units

    return [line_key(unit) for unit in split_units(text)[0]]


def overlap(lines: Sequence[str], reference: str) -> list[float]:
    """For each line, the share of its content words (:func:`~newsfold.clean.features.content_words`) that
    ``reference`` also has; 1.0 for a line without content words."""
    from newsfold.clean.features import content_words, words

    theirs = content_words([words(reference)])[0]
    return [len(found & theirs) / len(found) if found else 1.0 for found in content_words(map(words, lines))]


def line_key(line: str) -> int:
    """A 64-bit key for a line, equal for lines that differ only in case, whitespace, digits or quote marks.

    Python's hash (randomised per interpreter), so keys are only compared within one process: the pipeline
    computes them all in its main process and rebuilds the memory from the store when it starts.
    """
    return hash(fold(line))


@dataclass(slots=True, frozen=True)
class RepeatGuard:
    """Which repeated lines may go: not prose the line model is sure of (``keep_above``), not a paragraph of
    more than ``keep_words`` words, and never every kept line of an article.

    For the lines a copy adds to its original, :meth:`mark` can be given each line's ``shared``: the share
    of its content words that the original has (:func:`overlap`). Neither protection then holds for a line
    of more than ``topic_words`` words under ``off_topic``: what a copy wraps around its original and is
    about something else is no paragraph of the copy's own, however well written (a scraper's disclaimer,
    an advert in prose, another story's paragraph). Repeated lines keep both protections: a roundup's items
    are paragraphs of other stories about other things, and they are its reporting."""

    # At 0.95 the line model protects 75% of the short content lines it keeps and 12% of the short junk
    # lines it misses (junk of kinds held out of its training; docs/cleaning.md).
    keep_above: float = 0.95
    keep_words: int = 30
    # Paragraphs of more than 15 words, measured against a BASIL article: of another outlet's report of the
    # same event (what a syndicator's own added paragraph is like, or less) 8.2% share under 0.15 of their
    # content words with it, of a report of another event 59% (3.6% and 36% under 0.1; docs/copies.md).
    off_topic: float = 0.15
    topic_words: int = 15

    def mark(
        self,
        cleaned: Cleaned,
        repeated: Sequence[bool],
        reason: str = REPEATED,
        shared: Sequence[float] | None = None,
    ) -> bool:
        """Give ``reason`` to the kept lines of ``cleaned`` flagged in ``repeated`` (one flag per line) that may
        go, and only to them; whether that changed any reason.

        Lines an earlier call marked with ``reason`` count as kept, so marking again with newer knowledge
        corrects it.
        """
        reasons = cleaned.reasons
        for name, values in (("flags", repeated), ("shares", shared)):
            if values is not None and len(values) != len(reasons):
                raise ValueError(f"{len(values)} {name} for {len(reasons)} lines")
        kept = [i for i, why in enumerate(reasons) if why is None or why == reason]
        drop = {i for i in kept if repeated[i] and not self._protected(cleaned, i, shared)}
        if len(drop) == len(kept):
            drop = set()
        changed = False
        for i in kept:
            want = reason if i in drop else None
            if reasons[i] != want:
                reasons[i] = want
                changed = True
        return changed

    def _protected(self, cleaned: Cleaned, i: int, shared: Sequence[float] | None) -> bool:
        words = len(cleaned.lines[i].split())
        if shared is not None and words > self.topic_words and shared[i] < self.off_topic:
            return False
        sure = cleaned.probabilities[i] if cleaned.probabilities else 0.0
        return sure >= self.keep_above or words > self.keep_words


class LineMemory:
    """Which stories each recent line appeared in (up to ``spread`` of them), for ``capacity`` lines.

    A line is repeated when ``spread`` different stories carried it (:meth:`flags`).
    """

    def __init__(self, spread: int = 3, capacity: int = 200_000, guard: RepeatGuard | None = None) -> None:
        self.spread = spread
        self.capacity = capacity
        self.guard = guard or RepeatGuard()
        self._stories: dict[int, tuple[str, ...]] = {}  # insertion order is age order

    def __len__(self) -> int:
        return len(self._stories)

    def flags(self, keys: Iterable[int]) -> list[bool]:
        """For each key, whether its line is repeated: what a cleaning worker needs to know of the memory."""
        stories, spread = self._stories, self.spread
        return [len(stories.get(key, ())) >= spread for key in keys]

    def mark(self, cleaned: Cleaned, keys: Sequence[int]) -> bool:
        """:meth:`RepeatGuard.mark` with what the memory knows now (``keys``: the lines' :func:`line_key`)."""
        return self.guard.mark(cleaned, self.flags(keys))

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
