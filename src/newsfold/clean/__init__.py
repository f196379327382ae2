"""Clean an article line by line: keep the reporting unchanged and in order, drop the rest with a reason.

A *line* is a line of the input, or a paragraph where blank lines separate paragraphs. Two layers decide:

1. reason-coded rules (:mod:`newsfold.clean.rules`) for kinds of junk that can be named;
2. a learned line model (:mod:`newsfold.clean.model`) for page furniture no rule names, judged from the
   line and its neighbours.

In the pipeline a third layer, :mod:`newsfold.clean.repeats`, removes lines that articles of several other
stories carried; it needs the stream, so :func:`clean_text` does not use it.

Reads ``Article.text``; writes ``Article.clean_text`` and ``Article.removed``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from newsfold.article import Article, Removed
from newsfold.clean.features import FEATURE_NAMES, line_features, main_block
from newsfold.clean.model import LineModel, default_model
from newsfold.clean.rules import REASONS, SENTENCE_END, is_footer_marker, is_label, rule_reason

__all__ = ["Cleaned", "clean_text", "clean", "split_units", "REASONS"]

_UNSET = object()
_STOP_RATIO = FEATURE_NAMES.index("stop_ratio")
_TEXTY = FEATURE_NAMES.index("texty")


@dataclass(slots=True)
class Cleaned:
    """What the cleaner decided: every non-blank line in order, each with ``None`` (kept) or a reason.

    ``probabilities`` are the line model's content probabilities, one per line (empty without a model).
    """

    lines: list[str] = field(default_factory=list)
    reasons: list[str | None] = field(default_factory=list)
    separator: str = "\n"
    probabilities: list[float] = field(default_factory=list)

    @property
    def kept(self) -> list[str]:
        return [line for line, reason in zip(self.lines, self.reasons, strict=True) if reason is None]

    @property
    def removed(self) -> list[Removed]:
        return [Removed(line, r) for line, r in zip(self.lines, self.reasons, strict=True) if r is not None]

    @property
    def text(self) -> str:
        return self.separator.join(self.kept)

    def apply(self, article: Article) -> Article:
        """Fill ``clean_text`` and ``removed`` of ``article`` from these decisions."""
        article.clean_text = self.text
        article.removed = self.removed
        return article


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def split_units(text: str) -> tuple[list[str], str]:
    """The units the cleaner judges, and how to join the kept ones.

    A unit is a line, and the kept units are joined by a blank line where blank lines separate the page's
    paragraphs. Where the paragraphs are hard-wrapped (broken mid-sentence at a fixed width), a unit is a
    paragraph, its line breaks kept. Lines that share a paragraph without being wrapped (a ``<br>``, or a
    scraper that put its junk line under an article's paragraph) are judged one by one: a junk line must
    not take the paragraph with it. In wrapped text, a line well short of the width ends a paragraph: what
    follows it in the same block ("Share this article" under the paragraph's last line) is a unit of its own.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in text.split("\n") if line.strip()]
    if _BLANK_LINE.search(text):
        blocks = [block.strip("\n") for block in _BLANK_LINE.split(text) if block.strip()]
        width = _wrap_width(blocks)
        if width:
            return [part for block in blocks for part in _wrapped_paragraphs(block, width)], "\n\n"
        if len(blocks) >= 0.5 * len(lines):
            return lines, "\n\n"
    return lines, "\n"


def _wrapped_paragraphs(block: str, width: int) -> list[str]:
    """``block`` cut after each line that ends a paragraph: shorter than 0.6 of the wrap ``width``, and
    ending a sentence or followed by a line that starts one (a capital); a wrapped sentence goes on in lower
    case ("routers and / adapters are based ...")."""
    lines = block.split("\n")
    parts: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        current.append(line)
        stripped = line.rstrip()
        following = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
        if len(stripped) < 0.6 * width and (stripped.endswith(SENTENCE_END) or following[:1].isupper()):
            parts.append("\n".join(current))
            current = []
    if current:
        parts.append("\n".join(current))
    return [part for part in parts if part.strip()]


def _wrap_width(blocks: list[str]) -> int:
    """The width multi-line blocks are wrapped at, if they look like paragraphs wrapped at a fixed width
    (lines of near-equal length); 0 if they do not."""
    breaks = [
        (line.rstrip(), after.lstrip())
        for block in blocks
        for line, after in pairwise(block.split("\n"))
        if line.strip() and after.strip()
    ]
    if not breaks:
        return 0
    inner = [line for line, _ in breaks]
    width = max(map(len, inner))
    # Wrapped lines break mid-sentence at a fixed width; a line that is a paragraph ends like a sentence.
    mid_sentence = sum(1 for line in inner if not line.endswith((*SENTENCE_END, ":")))
    # And the sentence goes on on the next line, most often with a word in lower case; a headline over its
    # teaser, or a label over its value, is followed by a capital.
    goes_on = sum(1 for _, after in breaks if after[:1].islower() or after[:1].isdigit())
    wrapped = (
        40 <= width <= 120
        and sum(1 for line in inner if len(line) >= 0.6 * width) >= 0.8 * len(inner)
        and mid_sentence >= 0.6 * len(inner)
        and goes_on >= 0.4 * len(inner)
    )
    return width if wrapped else 0


def _model_reason(line: str) -> str:
    # The model says only "not content"; a short label-like line is navigation, anything else furniture.
    if is_label(line, 6):
        return "navigation"
    return "boilerplate"


# A list item as extractors write one ("- ", "• "): the marker, then the item's text.
_LIST_ITEM = re.compile(r"^[-•*·–]\s+\S")
# A table row: cells between pipes ("| Bath | 14 | 54 |"), or at least three cells without the outer pipes
# ("Pos | Team | Pts"). A one-line menu has the same shape; only a colon lead-in makes rows of it.
_TABLE_ROW = re.compile(r"^\|.*\|$|^[^|]+\|[^|]*\|[^|]*$|^[^|]+(?:\|[^|]*){3,}$")


def _follow_related(flat: list[str], reasons: list[str | None], prose_start: int) -> None:
    """The units right after a related-links heading ("Related stories", "You might also like:") that are
    list items, or headlines (a few words, no sentence ending) from the start of the page's densest run of
    prose on, are its links: they take its reason, up to the first unit that is neither. Before the prose,
    the headline after a heading ("Top Stories", "Printable version") is the article's own."""
    following = False
    for i, line in enumerate(flat):
        if following and (_LIST_ITEM.match(line) or (i >= prose_start and _headline(line))):
            reasons[i] = reasons[i] or "related"
        else:
            following = reasons[i] == "related"


def _keep_inline_lists(
    flat: list[str], reasons: list[str | None], model_reasons: list[str | None], texty: Sequence[float]
) -> None:
    """A list that the article's own prose surrounds is the article's (its lead-in, "Key points:" or a short
    heading, and its items): kept whatever the model says of its short items, when a paragraph the model
    keeps comes at most two units after it and another at most two units before it. Lists in a row (results,
    then a table) are one. After a lead-in that ends in
    a colon ("Saturday's results:", "At the close:"), table rows and short lines without a sentence ending
    are items too ("Chelsea 1-2 Arsenal"), and a last sentence right after the list, which the model takes
    for the page's furniture, is kept with it. No rule may have named its units (a related list keeps its
    heading's reason), except a table's header row, which the navigation rule takes for a menu."""

    def prose(i: int) -> bool:
        # A paragraph the model keeps: prose by its features, or a kept sentence of five words or more (a
        # short quote, "“Safety comes first,” a spokesperson said.").
        if not (0 <= i < len(flat) and reasons[i] is None and model_reasons[i] is None):
            return False
        return bool(texty[i]) or (flat[i].endswith(SENTENCE_END) and len(flat[i].split()) >= 5)

    def closing(i: int) -> bool:
        return i == len(flat) - 1 and bool(texty[i]) and reasons[i] is None

    def item(i: int, colon: bool) -> bool:
        line = flat[i]
        if _LIST_ITEM.match(line):
            return True
        return colon and (_TABLE_ROW.match(line) is not None or (_headline(line) and len(line.split()) <= 8))

    i = 0
    while i < len(flat):
        start = i
        colon = flat[i].endswith(":")
        lead_in = colon or (_headline(flat[i]) and len(flat[i].split()) <= 8)
        if lead_in and i + 1 < len(flat) and item(i + 1, colon):
            i += 1  # the lead-in ("Key points:", "What we know")
        else:
            colon = False
        while i < len(flat) and item(i, colon):
            i += 1
            # Lists in a row ("Results:" and its scores, then "Standings:" and its table) are judged as one.
            if i + 1 < len(flat) and flat[i].endswith(":") and item(i + 1, True) and not item(i, colon):
                colon = True
                i += 1
        end = i
        if end > start and item(end - 1, colon):
            # What follows (directly, or past one unit of furniture) is a paragraph the model keeps, or the
            # page's last unit, a sentence no rule names (the model takes a page's last unit for furniture
            # more readily than any other).
            after = next((k for k in (end, end + 1) if prose(k) or closing(k)), None)
            before = prose(start - 1) or prose(start - 2)
            # A table's header row looks like a menu to the navigation rule; inside the article it is the table's.
            header = [
                k for k in range(start, end) if reasons[k] == "navigation" and _TABLE_ROW.match(flat[k])
            ]
            named = any(reasons[k] for k in range(start, end) if k not in header)
            if after is not None and before and not named:
                model_reasons[start:end] = [None] * (end - start)
                if closing(after):
                    model_reasons[after] = None
                for k in header:
                    reasons[k] = None
        else:
            i = start + 1


# A live blog's entry: a clock time, a dash, and a sentence ("10:32 a.m. — The Senate gavels in."). Short, so
# the model, which learned that timestamps are furniture, would take it; it is reporting.
_LIVE_ENTRY = re.compile(
    r"^\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\s*)?[—–-]\s+[A-Z\"“].*\s.*\s.*\s.*[.!?\"”]$",
    re.IGNORECASE,
)


def _live_entry(line: str) -> bool:
    return bool(_LIVE_ENTRY.match(line))


def _headline(line: str) -> bool:
    return is_label(line, 15) and not line.rstrip().endswith(":")


def _bulk_prose(flat: list[str], stop_ratio: Sequence[float]) -> list[bool]:
    """Units that are the bulk of the page's prose: 30+ words, a quarter of them function words, and at
    least 30% of the page's words. The model does not remove them: a page that gives its whole article as
    one or two units (a table layout, a body without paragraphs) surrounds it with furniture, and the
    model, which judges a unit by its neighbours, took such articles for furniture. In the L3S-GN1 pages
    all 7 such units are content."""
    sizes = [len(line.split()) for line in flat]
    total = sum(sizes)
    return [n >= 30 and r >= 0.25 and n >= 0.3 * total for n, r in zip(sizes, stop_ratio, strict=True)]


def clean_text(text: str, *, model: LineModel | None | object = _UNSET) -> Cleaned:
    """Decide, for each non-blank line of ``text``, whether it is reporting or junk (and which junk)."""
    if not isinstance(text, str):
        raise TypeError(f"clean_text takes the text as a str, got {type(text).__name__}")
    line_model = default_model() if model is _UNSET else model
    lines, separator = split_units(text)
    flat = [" ".join(line.split()) for line in lines]
    reasons: list[str | None] = [rule_reason(line) for line in flat]
    probabilities: list[float] = []
    features = None
    if line_model is not None and lines:
        features = line_features(flat)
        probability = line_model.content_probability(features)
        probabilities = [float(p) for p in probability]
        bulk = _bulk_prose(flat, features[:, _STOP_RATIO])
        model_reasons = [
            _model_reason(line)
            if reason is None and p < line_model.threshold and not (big or _live_entry(flat_line))
            else None
            for line, flat_line, reason, p, big in zip(lines, flat, reasons, probability, bulk, strict=True)
        ]
        _keep_inline_lists(flat, reasons, model_reasons, features[:, _TEXTY])
        # The model judges a line by its page; if it would leave no line at all, the page is unlike the
        # pages it learned from (a short summary, a list of quotes), so trust the rules alone.
        if any(r is None and m is None for r, m in zip(reasons, model_reasons, strict=True)):
            reasons = [r if r is not None else m for r, m in zip(reasons, model_reasons, strict=True)]

    # The page's densest run of prose (the article), from the model's features; without them or without
    # prose, the page.
    prose_start, prose_end = main_block(features[:, _TEXTY]) if features is not None else (0, 0)
    if prose_start == prose_end:
        prose_start, prose_end = 0, len(lines)
    _follow_related(flat, reasons, prose_start)
    # A scraper's footer ("Source link", "appeared first on") ends the outlet's article: what follows it
    # is the scraper's own addition. Only trusted in the second half, after some kept text.
    _to_the_end(reasons, is_footer_marker, "after-footer", len(lines) / 2)
    # Reader comments run from their heading ("32 Comments", "Join the conversation") to the end of the
    # page: after the article's densest run of prose, or in the second half, and only where most of what
    # follows is already furniture (names, times, "Reply"); a comment count amid the article's paragraphs
    # is no comments section.
    _to_the_end(
        reasons,
        lambda reason: reason == "comments",
        "comments",
        min(prose_end, len(lines) / 2),
        furniture=0.5,
    )
    return Cleaned(lines, reasons, separator, probabilities)


def _to_the_end(
    reasons: list[str | None],
    marker: Callable[[str | None], bool],
    tail: str,
    after: float,
    furniture: float = 0.0,
) -> None:
    """Every kept unit after the first ``marker`` at position ``after`` or later, with kept text before it
    and at least a ``furniture`` share of removed units after it, takes reason ``tail``."""
    for i, reason in enumerate(reasons):
        if marker(reason) and i >= after and any(r is None for r in reasons[:i]):
            rest = reasons[i + 1 :]
            if rest and sum(r is not None for r in rest) < furniture * len(rest):
                continue
            reasons[i + 1 :] = [r if r is not None else tail for r in rest]
            return


def clean(article: Article, *, model: LineModel | None | object = _UNSET) -> Article:
    """Fill ``clean_text`` and ``removed`` of ``article`` from its ``text``; returns the same article."""
    return clean_text(article.text, model=model).apply(article)
