"""Find copies: exact duplicates, near-copies, syndicated wire copy and scraped republications.

Works on the *cleaned* text, so a scraper's added junk is mostly gone before comparison. Candidates come
from MinHash-LSH (rensa, a Rust MinHash) over word 5-gram shingles, and, when LSH offers none that verifies,
from the texts that open alike (a teaser: see OPENING); every candidate is then verified on the
real shingle sets, by *containment* (shared shingles over the smaller set) so that a copy with a dropped
paragraph or leftover junk still counts, while different outlets' own reports of one event, which share
facts but hardly any five-word runs, do not.

Reads ``Article.clean_text`` and ``published``; writes ``Article.duplicate_of``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

import numpy as np
from rensa import RMinHash, RMinHashLSH

from newsfold.article import Article

__all__ = [
    "content_hash",
    "word_hashes",
    "shingle_hashes",
    "fingerprint",
    "Fingerprint",
    "CopyIndex",
    "CopyMatch",
]

SHINGLE = 5
NUM_PERM = 126
NUM_BANDS = 42  # 3 rows a band: a pair with Jaccard 0.4 becomes a candidate 93% of the time, 0.5: 99.5%.
MIN_CONTAINMENT = 0.8
MIN_SHINGLES = 8
# Shared shingles that make a copy even 0.1 below the containment threshold (a trimmed copy with junk left).
LONG_RUN = 50
# A teaser (an aggregator's first paragraphs of an article and "Read the full story") shares too few shingles
# with a long original for LSH to offer it: its Jaccard similarity is about its share of the original. Its
# opening is the original's opening, though, so each text also keys its opening: the OPENING_KEYS smallest
# hashes among its first OPENING shingles (a bottom-k sketch, which a few words of junk left above the text
# shift only a little). An indexed text that shares MIN_OPENING_SHARED of them is verified like an LSH
# candidate.
OPENING = 64
OPENING_KEYS = 8
MIN_OPENING_SHARED = 2
# Entries one opening key may list: a key that many texts share is furniture, not evidence.
OPENING_POSTINGS = 64
# A text at most TEASER_SHARE the length of another, that opens as it does (they share SAME_OPENING of their
# opening keys; for a teaser of 40 shingles under an original's 64, about 5 of the 8 are expected), is its
# teaser with TEASER_SLACK less containment: the link back and the junk left around a short text weigh more.
SAME_OPENING = 4
TEASER_SHARE = 0.5
TEASER_SLACK = 0.25
# A text this many times longer than an indexed one that it contains is that text expanded (a brief, then
# the full report), not its copy.
EXPANSION = 3.0

# --- words -------------------------------------------------------------------------------------------------
# A word is a run of letters, digits and "_"; apostrophes are dropped ("didn't" is "didnt") and any non-ASCII
# character that is not punctuation counts as a letter. Words are found and hashed on the UTF-8 bytes with
# numpy instead of a regular expression and one hash call per word: the regex and CRC-32 version took about
# 3x the time (bench/dedup.py), the largest part of copy detection.
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789_", dtype=np.uint8)] = True
_WORD_BYTE[0x80:] = True  # bytes of non-ASCII characters; their punctuation is masked out below
# The non-ASCII punctuation most news text holds, replaced before anything else: most texts are then ASCII
# and take the fast path (str.replace is a C scan; str.translate looks every character up in a dict).
_APOSTROPHES = ("'", "\u2019", "\u2018")
_SPACES = ("\u201c", "\u201d", "\u2014", "\u2013", "\u2015", "\u2026", "\u00a0", "\u201e", "\u00ab", "\u00bb")
# Word hash: sum of byte * P**i over the word's bytes, mod 2**64; P is odd, so P**-i exists mod 2**64 and a
# word's hash is a difference of prefix sums shifted back to position 0, whatever its place in the text.
_P = np.uint64(0x100000001B3)
_P_INV = np.uint64(pow(int(_P), -1, 1 << 64))
_MIX = np.uint64(0x9E3779B97F4A7C15)
# (P**i, P**-i) for i below the tables' length; one tuple, replaced whole, so threads never see a mixed pair.
_tables: tuple[np.ndarray, np.ndarray] = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i mod 2**64 for i < n, grown on demand and kept."""
    global _tables
    powers, inverses = _tables
    if powers.size < n:
        size = max(n, 2 * powers.size, 1 << 16)
        with np.errstate(over="ignore"):
            powers = np.concatenate(([np.uint64(1)], np.cumprod(np.full(size - 1, _P, dtype=np.uint64))))
            inverses = np.concatenate(
                ([np.uint64(1)], np.cumprod(np.full(size - 1, _P_INV, dtype=np.uint64)))
            )
        _tables = (powers, inverses)
    return powers[:n], inverses[:n]


def word_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the words of ``text``, in order, after folding case, compatibility forms
    (NFKC: full-width letters, ligatures), apostrophes, quote marks, dashes and whitespace.

    Stable across processes and runs (no per-process hash seed): the store keeps hashes made from it.
    """
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    if not text.isascii():
        for mark in _SPACES:
            text = text.replace(mark, " ")
    plain = text.isascii()
    if not plain and not unicodedata.is_normalized("NFKC", text):  # the check is 4x faster than normalising
        text = unicodedata.normalize("NFKC", text)
    data = np.frombuffer(text.lower().encode("utf-8"), dtype=np.uint8)
    n = data.size
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    word = np.take(_WORD_BYTE, data)
    if not plain:
        # Two UTF-8 lead bytes start only punctuation and symbols: C2 (U+0080..U+00BF: no-break space,
        # guillemets, Latin-1 signs) and E2 (U+2000..U+2FFF: spaces, dashes, quote marks, bullets, arrows,
        # technical symbols). Their characters are not words; all other non-ASCII characters are letters.
        lead = np.flatnonzero((data == 0xC2) | (data == 0xE2))
        lead = lead[lead < n - 1]
        word[lead] = word[lead + 1] = False
        lead = lead[(data[lead] == 0xE2) & (lead < n - 2)]
        word[lead + 2] = False
    padded = np.zeros(n + 2, dtype=bool)
    padded[1:-1] = word
    edges = np.flatnonzero(padded[1:] != padded[:-1])  # start, end, start, end, ...
    if edges.size == 0:
        return np.zeros(0, dtype=np.uint64)
    powers, inverses = _power_tables(n)
    prefix = np.zeros(n + 1, dtype=np.uint64)  # prefix[i]: sum of byte * P**k over k < i
    with np.errstate(over="ignore"):
        np.cumsum(data * powers, out=prefix[1:])
        starts = edges[0::2]
        hashes = (prefix[edges[1::2]] - prefix[starts]) * inverses[starts]
        # Spread the bits, so that nearby words do not give nearby window sums.
        hashes *= _MIX
        hashes ^= hashes >> np.uint64(29)
    return hashes


def content_hash(text: str) -> str:
    """Hash of the text's folded words (:func:`word_hashes`): equal for exact copies and trivial edits."""
    return _digest(word_hashes(text))


def _digest(words: np.ndarray) -> str:
    return hashlib.sha1(words.tobytes()).hexdigest()


def shingle_hashes(words: np.ndarray, size: int = SHINGLE) -> np.ndarray:
    """64-bit hashes of the ``size``-word runs of a text, from its :func:`word_hashes`.

    A text shorter than ``size`` words gives one hash of all of it; no words, none.
    """
    if words.size == 0:
        return words
    size = min(size, words.size)
    combined = np.zeros(words.size - size + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            combined *= _P
            combined += words[offset : offset + combined.size]
    return combined


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """What copy detection needs of a text: its exact-copy hash and, when long enough, its shingle sketch.

    Pure and picklable, so it can be computed in a worker process.
    """

    digest: str
    minhash: RMinHash | None = None
    hashes: np.ndarray | None = None  # sorted unique 32-bit shingle hashes, for verification
    opening: tuple[int, ...] = ()  # the opening's keys (see OPENING)


def fingerprint(text: str) -> Fingerprint:
    """The :class:`Fingerprint` of a (clean) text."""
    words = word_hashes(text)
    digest = _digest(words)
    grams = shingle_hashes(words)
    if grams.size < MIN_SHINGLES:
        return Fingerprint(digest)
    minhash = RMinHash(num_perm=NUM_PERM, seed=42)
    minhash.update(grams.view("S8").tolist())
    # Verification keeps the top 32 bits of each shingle hash: half the memory of the index, and two texts of
    # 1,000 shingles share a false one with odds of about 1 in 4,000, a rounding error on containment.
    top = (grams >> np.uint64(32)).astype(np.uint32)
    top.sort()
    unique = top[np.concatenate(([True], top[1:] != top[:-1]))]
    opening = np.sort(grams[:OPENING])[:OPENING_KEYS]  # a 5-gram repeated this early is too rare to matter
    return Fingerprint(digest, minhash, unique, tuple(opening.tolist()))


@dataclass(slots=True, frozen=True)
class CopyMatch:
    """``article_id`` copies ``original_id``; ``containment`` is the share of the smaller text found in the other."""

    original_id: str
    containment: float


def _same_opening(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return len(set(a).intersection(b)) >= SAME_OPENING


def _shared(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of unique values have in common."""
    if a.size > b.size:
        a, b = b, a
    at = np.searchsorted(b, a)
    at[at == b.size] = 0
    return int(np.count_nonzero(b[at] == a))


@dataclass(slots=True)
class _Entry:
    article_id: str
    hashes: np.ndarray  # sorted unique 32-bit shingle hashes, for verification
    published: float | None
    seq: int
    original: str | None  # the article this one copies, if it is a copy
    opening: tuple[int, ...]


def _age(entry: _Entry) -> tuple[bool, float, int]:
    """Sorts the earliest first: the earliest published, then the undated, each by arrival."""
    return (entry.published is None, entry.published or 0.0, entry.seq)


class CopyIndex:
    """An in-memory LSH index of recent articles; the oldest age out after ``capacity`` entries."""

    def __init__(self, capacity: int = 50_000, min_containment: float = MIN_CONTAINMENT) -> None:
        self.capacity = capacity
        self.min_containment = min_containment
        self._lsh = RMinHashLSH(threshold=0.4, num_perm=NUM_PERM, num_bands=NUM_BANDS)
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._keys: dict[str, int] = {}  # article id -> entry key
        self._openings: dict[int, list[int]] = {}  # opening key -> entry keys, oldest first
        self._next = 0

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, article: Article, fp: Fingerprint | None = None) -> CopyMatch | None:
        """The article this one copies (earliest published, else earliest ingested), or ``None``; then remember it."""
        fp = fp or fingerprint(article.clean_text)
        if fp.minhash is None or fp.hashes is None:
            return None
        verified = self._verified(fp, self._lsh.query(fp.minhash))
        if not verified:
            verified = self._verified(fp, self._by_opening(fp.opening))
        if not verified:
            self._add(article, fp, None)
            return None
        # The source is the earliest of the strongest matches: a weak match to an older article must
        # not win over the article this one plainly copies.
        strongest = max(c for c, _ in verified)
        containment, entry = min(
            ((c, e) for c, e in verified if c >= strongest - 0.05), key=lambda ce: _age(ce[1])
        )
        # A copy of a copy copies its original too, which LSH, being probabilistic, may not have offered:
        # the original is taken where it is the earlier and this text holds it as well.
        root = self._original(entry)
        if root is not None and (held := self._verify(fp, root)) is not None:
            containment, entry = held, root
        self._add(article, fp, entry.article_id)
        return CopyMatch(entry.article_id, round(containment, 3))

    def _verified(self, fp: Fingerprint, keys: Iterable[int]) -> list[tuple[float, _Entry]]:
        """The entries among ``keys`` that this text copies (or that copy it), each with its containment."""
        verified = []
        for key in keys:
            entry = self._entries.get(key)
            if entry is not None and (containment := self._verify(fp, entry)) is not None:
                verified.append((containment, entry))
        return verified

    def _by_opening(self, opening: tuple[int, ...]) -> list[int]:
        """Entry keys that share at least MIN_OPENING_SHARED of the opening's keys."""
        postings = [p for p in map(self._openings.get, opening) if p]
        if len(postings) < MIN_OPENING_SHARED:
            return []
        counts = Counter(chain.from_iterable(postings))
        return [key for key, n in counts.items() if n >= MIN_OPENING_SHARED]

    def source(self, article_id: str) -> str:
        """What an exact copy of ``article_id`` copies: the original of ``article_id`` where that is a copy
        of an earlier article (the same text holds that original as much), else ``article_id``."""
        entry = self._entries.get(self._keys.get(article_id, -1))
        root = self._original(entry) if entry is not None else None
        return root.article_id if root is not None else article_id

    def _original(self, entry: _Entry) -> _Entry | None:
        """The indexed article ``entry`` copies, if it is the earlier of the two."""
        root = self._entries.get(self._keys.get(entry.original, -1)) if entry.original else None
        return root if root is not None and _age(root) < _age(entry) else None

    def _verify(self, fp: Fingerprint, entry: _Entry) -> float | None:
        """The share of the smaller text found in the other, if it makes a copy; else ``None``."""
        hashes = fp.hashes
        assert hashes is not None
        if hashes.size > EXPANSION * entry.hashes.size:
            return None
        shared = _shared(hashes, entry.hashes)
        smaller = min(hashes.size, entry.hashes.size)
        # A trimmed copy with a little leftover junk can fall below 0.8; enough shared shingles
        # (a long run of identical five-word sequences) still make it a copy. So does a short text that
        # opens as the other does and holds mostly its words: a teaser with a link and junk left around it.
        floor = self.min_containment * smaller
        if (
            shared >= floor
            or (shared >= floor - 0.1 * smaller and shared >= LONG_RUN)
            or (
                shared >= floor - TEASER_SLACK * smaller
                and smaller <= TEASER_SHARE * max(hashes.size, entry.hashes.size)
                and _same_opening(fp.opening, entry.opening)
            )
        ):
            return shared / smaller
        return None

    def remember(self, article: Article, fp: Fingerprint | None = None) -> None:
        """Index an article without matching it (used to rebuild the index from the store)."""
        fp = fp or fingerprint(article.clean_text)
        if fp.minhash is not None and fp.hashes is not None:
            self._add(article, fp, article.duplicate_of)

    def _add(self, article: Article, fp: Fingerprint, original: str | None) -> None:
        assert fp.minhash is not None and fp.hashes is not None
        key = self._next
        self._next += 1
        published = article.published.timestamp() if article.published else None
        self._entries[key] = _Entry(article.id, fp.hashes, published, key, original, fp.opening)
        self._keys[article.id] = key
        self._lsh.insert(key, fp.minhash)
        for opening_key in fp.opening:
            postings = self._openings.setdefault(opening_key, [])
            postings.append(key)
            if len(postings) > OPENING_POSTINGS:
                del postings[0]
        while len(self._entries) > self.capacity:
            old, entry = self._entries.popitem(last=False)
            self._lsh.remove(old)
            if self._keys.get(entry.article_id) == old:
                del self._keys[entry.article_id]
            for opening_key in entry.opening:
                postings = self._openings.get(opening_key)
                if postings and postings[0] == old:
                    del postings[0]
                    if not postings:
                        del self._openings[opening_key]
