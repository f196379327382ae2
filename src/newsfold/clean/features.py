"""Numeric features of each line in its page, for the learned line model.

Signals are the ones boilerplate research found to carry across sites (Kohlschütter et al. 2010, jusText,
body-text extraction): how long a line is, how much of it is function words, whether it ends like a
sentence, how "menu-like" it looks, and the same for its neighbours and its place relative to the page's
densest run of text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = ["line_features", "words", "FEATURE_NAMES", "main_block"]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*")
_SEPARATORS = re.compile(r"[|·•»›]|\s[/>-]\s")
_SEPARATOR_MARKS = "|·•»›/>-"  # one of them is in every separator
_URL = re.compile(r"https?://|www\.|(?<!\S)[^\s@]+@\S+\.\w+|\.(?:com|org|net|co\.uk)\b", re.IGNORECASE)
# The register of advertising: prices, percentages, pictographs (emoji, arrows) and exclamations.
_MONEY = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:USD|EUR|GBP|dollars|euros|pounds)\b")
_PERCENT = re.compile(r"\d\s?%|\bper ?cent\b", re.IGNORECASE)
_PICTOGRAPH = re.compile("[\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")
# An imperative opening: a content word, then a determiner, pronoun or particle ("Download the app", "Sign
# up", "Accept all", "Join our ..."). Reporting opens with its subject ("The council ...") or a preposition.
_IMPERATIVE_NEXT = frozenset("the a an your our this these up now all more here us it me".split())
# Exclamations count outside quotations only: an advert shouts at the reader, a report quotes the shouting.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_URL_MARKS = ("http", "www.", "@", ".com", ".org", ".net", ".co.uk")
_YOU = re.compile(r"\b(?:you|your|you're|you'll)\b", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ":", ")")
_STOP = ENGLISH_STOP_WORDS

_BASE = [
    "log_words",
    "log_chars",
    "ends_sentence",
    "stop_ratio",
    "upper_ratio",
    "title_ratio",
    "digit_ratio",
    "punct_ratio",
    "separators",
    "has_url",
    "second_person",
    "starts_quote",
    "comma_rate",
    "mean_word_len",
    "texty",
    "money",
    "percent",
    "pictographs",
    "exclaims",
    "imperative",
]
_NEIGHBOURS = (-2, -1, 1, 2)
_CONTEXT = ["log_words", "ends_sentence", "stop_ratio", "texty"]
_TEXTY = _BASE.index("texty")
_CONTEXT_IDX = [_BASE.index(name) for name in _CONTEXT]
FEATURE_NAMES: list[str] = (
    _BASE
    + [f"{name}@{off:+d}" for off in _NEIGHBOURS for name in _CONTEXT]
    + [
        "edge_before",
        "edge_after",
        "window_texty",
        "position",
        "in_block",
        "before_block",
        "after_block",
        "doc_texty_share",
        "log_doc_lines",
        "cohesion",
        "block_cohesion",
    ]
)


_ASCII_LETTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_DIGITS = b"0123456789"
_ASCII_SPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what str.isspace() accepts in ASCII


def _char_classes(line: str) -> tuple[int, int, int, int, int]:
    """Letters, alphanumerics, spaces, upper-case letters and digits (Unicode classes, as str.isalpha etc.)."""
    if line.isascii():
        # bytes.translate deletes a class in one C pass: 5x faster than looking at each character.
        data = line.encode("ascii")
        n = len(data)
        letters = n - len(data.translate(None, _ASCII_LETTERS))
        digit = n - len(data.translate(None, _ASCII_DIGITS))
        upper = n - len(data.translate(None, _ASCII_UPPER))
        space = n - len(data.translate(None, _ASCII_SPACE))
        return letters, letters + digit, space, upper, digit
    letters = alnum = space = upper = digit = 0
    for char, n in Counter(line).items():
        if char.isalpha():
            letters += n
            alnum += n
            if char.isupper():
                upper += n
        elif char.isdigit():
            digit += n
            alnum += n
        elif char.isalnum():
            alnum += n
        elif char.isspace():
            space += n
    return letters, alnum, space, upper, digit


def _imperative(words: Sequence[str]) -> bool:
    if len(words) < 2 or not words[0][:1].isupper() or words[0].lower() in _STOP:
        return False
    return words[1].lower() in _IMPERATIVE_NEXT


def _has_url(line: str, lower: str) -> bool:
    # Every match of _URL contains one of these; most lines contain none, and the regex is slow.
    if not any(map(lower.__contains__, _URL_MARKS)):
        return False
    return _URL.search(line) is not None


def _base(line: str, words: Sequence[str]) -> list[float]:
    n_words = len(words)
    n_chars = len(line)
    n_letters, n_alnum, n_space, n_upper, n_digit = _char_classes(line)
    stops = sum(map(_STOP.__contains__, map(str.lower, words)))
    stop_ratio = stops / n_words if n_words else 0.0
    stripped = line.strip()
    ends = 1.0 if stripped.endswith(_SENTENCE_END) else 0.0
    texty = 1.0 if n_words >= 10 and stop_ratio >= 0.25 and ends else 0.0
    lower = line.lower()
    # The regexes below are slow and rarely match; each runs only where the characters that every one of
    # its matches contains are present (a digit, "%", "you", "cent"): same values, a third of the time.
    money = n_digit > 0 and _MONEY.search(line) is not None
    percent = ((n_digit > 0 and "%" in line) or "cent" in lower) and _PERCENT.search(line) is not None
    return [
        math.log1p(n_words),
        math.log1p(n_chars),
        ends,
        stop_ratio,
        n_upper / max(1, n_letters),
        (sum(map(str.isupper, map(itemgetter(0), words))) / n_words) if n_words else 0.0,
        n_digit / max(1, n_chars),
        (n_chars - n_alnum - n_space) / max(1, n_chars),
        min(5.0, float(len(_SEPARATORS.findall(line))))
        if any(map(line.__contains__, _SEPARATOR_MARKS))
        else 0.0,
        1.0 if _has_url(line, lower) else 0.0,
        1.0 if "you" in lower and _YOU.search(line) else 0.0,
        1.0 if stripped[:1] in "\"“‘'" else 0.0,
        (line.count(",") / n_words) if n_words else 0.0,
        (sum(map(len, words)) / n_words) if n_words else 0.0,
        texty,
        1.0 if money else 0.0,
        1.0 if percent else 0.0,
        1.0 if not line.isascii() and _PICTOGRAPH.search(line) else 0.0,
        min(3.0, float(_QUOTED.sub("", line).count("!"))) if "!" in line else 0.0,
        1.0 if _imperative(words) else 0.0,
    ]


def words(line: str) -> list[str]:
    """The words of a line as the features see them."""
    return _WORD.findall(line)


def main_block(texty: Sequence[float]) -> tuple[int, int]:
    """The run of lines ``[start, end)`` with the largest surplus of text-like lines (maximum-sum subarray)."""
    best, best_span = 0.0, (0, 0)
    run, start = 0.0, 0
    for i, t in enumerate(texty):
        run += 1.0 if t else -0.5
        if run <= 0:
            run, start = 0.0, i + 1
        elif run > best:
            best, best_span = run, (start, i + 1)
    return best_span


def content_words(tokens: Sequence[Sequence[str]]) -> list[set[str]]:
    """Each line's content words (lower case, letters only, three or more, not stop words) from its
    :func:`words`."""
    return [{t.lower() for t in found if len(t) > 2 and t.isalpha()} - _STOP for found in tokens]


def cohesion(lines: Sequence[str], block: tuple[int, int] | None = None) -> list[float]:
    """For each line, the share of its content words that another line of the page also has: an article's
    lines share its topic, while injected junk ("Download the Highfield Echo app") and captions of other
    pictures mostly do not. 0 for a line without content words.

    With ``block`` (a run of lines ``[start, end)``, the page's main block), the other lines are those of
    the block only; a block of fewer than two lines gives nothing to compare with, so the whole page is
    used."""
    return _cohesion(content_words([_WORD.findall(line) for line in lines]), block)


def _cohesion(line_words: Sequence[set[str]], block: tuple[int, int] | None) -> list[float]:
    lo, hi = block if block is not None and block[1] - block[0] >= 2 else (0, len(line_words))
    lines_with: Counter[str] = Counter()
    for found in line_words[lo:hi]:
        lines_with.update(found)
    # A line of the block shares a word if another line has it too; a line outside, if any line has it.
    shared = {w for w, count in lines_with.items() if count > 1}
    seen = lines_with.keys()
    return [
        len(found & (shared if lo <= i < hi else seen)) / len(found) if found else 0.0
        for i, found in enumerate(line_words)
    ]


def line_features(lines: Sequence[str]) -> np.ndarray:
    """A ``(len(lines), len(FEATURE_NAMES))`` array of features for the non-blank lines of one page.

    No feature names a word: a learned word list (each word's boilerplate log-odds) fitted the vocabulary
    of the training pages and made the model remove reporting about apps, videos or updates
    (docs/cleaning.md).
    """
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    tokens = [_WORD.findall(line) for line in lines]
    base = np.array([_base(line, found) for line, found in zip(lines, tokens, strict=True)], dtype=float)
    texty = base[:, _TEXTY]
    start, end = main_block(texty)
    line_words = content_words(tokens)
    # The neighbours' context features, zero beyond the page's edges.
    context = base[:, _CONTEXT_IDX]
    padded = np.zeros((n + 4, len(_CONTEXT_IDX)))
    padded[2 : n + 2] = context
    neighbours = [padded[2 + off : 2 + off + n] for off in _NEIGHBOURS]
    # Place in the page: edges, the text-like share of the 7-line window, position, the main block.
    i = np.arange(n, dtype=float)
    cumulative = np.concatenate([[0.0], np.cumsum(texty)])
    lo = np.maximum(0, np.arange(n) - 3)
    hi = np.minimum(n, np.arange(n) + 4)
    place = np.column_stack(
        [
            i == 0,
            i == n - 1,
            (cumulative[hi] - cumulative[lo]) / (hi - lo),
            i / max(1, n - 1),
            (start <= i) & (i < end),
            np.where(i < start, np.log1p(np.maximum(start - i, 0)), 0.0),
            np.where(i >= end, np.log1p(np.maximum(i - end + 1, 0)), 0.0),
            np.full(n, float(texty.mean())),
            np.full(n, math.log1p(n)),
            _cohesion(line_words, None),
            _cohesion(line_words, (start, end)),
        ]
    ).astype(float)
    return np.hstack([base, *neighbours, place])
