"""Streaming story clustering: each article joins the best open story or starts a new one, in one pass.

An article becomes a sparse TF-IDF vector over three kinds of feature, each a signal that news clustering
research found to separate *events* rather than topics:

* words of the title and body (the title and the lead counted extra; IDF from the stream seen so far);
* named things (runs of capitalised words: people, places, organisations), weighted up, because two events
  of one topic share topic words but rarely the same names;
* figures (numbers and codes such as "4.6", "3,000", "A380"), weighted up for the same reason.

A story keeps the sum of its articles' vectors (its centroid), the sum of their leads, its first few
members, its dates and the latest year its articles mention. For a new article the open stories sharing its
strongest features are ranked by cosine; the best few are compared on a handful of *pair features*
(cosines per feature kind, similarity to single members and to the leads, names and figures of one side
missing from the other, time gap, years, story size, margin over the runner-up; see ``FEATURES``), which
small learned models (``data/cluster-model.json``, trained by :mod:`newsfold.cluster_train`: a logistic
ranker, a joiner of boosted trees) turn into the probability that the article reports the same event. The
article joins the most probable story if that probability passes ``join``, else it starts a story whose id
is derived from its first article, so ids never change as articles arrive.

Stories age out of the candidate set when no article joined them within ``window_days`` of publication time
(or within ``window_articles`` arrivals when the input gave no dates), so cost grows with the number of
*open* stories, not with history. See docs/clustering.md for the design, figures and memory use.

Reads ``clean_text``, ``title``, ``published``, ``metadata["published_from"]``; writes ``story_id``.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from itertools import repeat
from operator import itemgetter, mul
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsfold.article import Article
from newsfold.dates import find_text_date
from newsfold.errors import ConfigError
from newsfold.trees import Forest, Tree

__all__ = [
    "Parsed",
    "parse_article",
    "COSINE_MODEL",
    "FEATURES",
    "MODEL_FILE",
    "ClusterSettings",
    "PairModel",
    "StoryClusterer",
    "default_model",
    "detokenise",
    "features",
    "story_id_for",
]

MODEL_FILE = "cluster-model.json"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_FIGURE = re.compile(r"\b(?:[A-Z]{1,4}\d+[A-Z\d-]*|\d+(?:[.,]\d+)*)\b")
_NAME = re.compile(
    r"\b[A-Z][\w'’.-]*(?:[ \t]+(?:(?:of|the|de|del|da|van|von|al|bin|la|le)[ \t]+)?[A-Z][\w'’.-]*)*"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|[\"“‘]\s*|\n\s*)$")
_YEAR = re.compile(r"(?:19[5-9]\d|20[0-4]\d)")
_SPLIT = re.compile(r"([.:,]) (?=[\dA-Z])")  # candidates only; _join_split decides
_THREE_DIGITS = re.compile(r"\d{3}\b")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {
    "said",
    "says",
    "told",
    "mr",
    "mrs",
    "ms",
    "dr",
    "new",
    "year",
    "years",
}
_NAME_STOP = frozenset(w.capitalize() for w in _STOP) | {"I", "It's", "That's", "There's"}
_MONTHS = frozenset(
    "january february march april june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_KIND = {"w": 0, "n": 1, "f": 2}
_value = itemgetter(1)


def _strongest(vec: dict[str, float], k: int) -> list[tuple[str, float]]:
    """The ``k`` heaviest entries, heaviest first (a C sort beats a Python heap at these sizes)."""
    return sorted(vec.items(), key=_value, reverse=True)[:k]


#: The pair features the model weighs, in order (article vs one candidate story).
FEATURES = (
    "cos",  # cosine of the article to the story centroid, all kinds together
    "cos_words",  # the same, words only
    "cos_names",  # names only
    "cos_figures",  # figures only
    "max_member",  # best cosine to one of the story's first members (centroid drift control)
    "lead",  # cosine of title + lead to the story's titles + leads
    "title",  # share of the article's title words found in the story's titles
    "name_hit",  # share of the article's five strongest names found in the story
    "story_name_hit",  # share of the story's five strongest names found in the article
    "figure_miss",  # share of the article's five strongest figures (not years) absent from the story
    "story_figure_hit",  # share of the story's five strongest figures found in the article
    "gap",  # log(1 + days beyond window_days between the article and the story's dates), when both are dated
    "year_gap",  # years between the article's year (date, else latest year mentioned) and the story's, max 3, / 3
    "log_size",  # log of the story's size
    "unique",  # the part of the cosine from features no other candidate shares
    "unique_margin",  # unique minus the best other candidate's unique
    "margin",  # cosine minus the best other candidate's cosine
    "rank0",  # the story has the highest cosine
)


@dataclass(slots=True, frozen=True)
class ClusterSettings:
    """One setting for all data (documented in docs/clustering.md); weights learned on both dev sets."""

    name_weight: float = 2.0
    figure_weight: float = 3.0
    title_repeat: int = 2
    lead_chars: int = 400
    lead_repeat: int = 1
    max_terms: int = 250
    index_terms: int = 60
    query_terms: int = 40
    shortlist: int = 5
    candidates: int = 3
    members: int = 3
    member_terms: int = 50
    join: float = 0.7
    window_days: float = 7.0
    window_articles: int = 5000
    expire_every: int = 256
    df_window: int = 200_000

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(slots=True, frozen=True)
class PairModel:
    """Two models over ``FEATURES``: one ranks the candidate stories, one decides to join the best.

    Both estimate the probability that an article reports a story's event. The ranker is a logistic model
    trained on every candidate (most are easy: other topics). The joiner is trained only on each article's
    top-ranked candidate, which is where the hard cases are (another event of the same topic): boosted
    trees (``join_trees``, log-odds ``join_bias`` plus the trees' sum; the shipped file holds 10 bagged
    ensembles, their leaf values already divided by 10) when the model file has them, else logistic like
    the ranker.
    """

    rank_weights: tuple[float, ...]
    rank_bias: float
    join_weights: tuple[float, ...]
    join_bias: float
    meta: dict = field(default_factory=dict, compare=False)
    join_trees: tuple[Tree, ...] = ()
    _forest: Forest | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.join_trees:
            object.__setattr__(self, "_forest", Forest(self.join_trees))

    @staticmethod
    def _logistic(weights: tuple[float, ...], bias: float, x: list[float]) -> float:
        return _sigmoid(bias + sum(w * v for w, v in zip(weights, x, strict=True)))

    def rank(self, x: list[float]) -> float:
        return self._logistic(self.rank_weights, self.rank_bias, x)

    def join(self, x: list[float]) -> float:
        if self._forest is not None:
            return _sigmoid(self.join_bias + self._forest(x))
        return self._logistic(self.join_weights, self.join_bias, x)

    def to_json(self) -> dict:
        join: dict = {"weights": list(self.join_weights), "bias": self.join_bias}
        if self.join_trees:
            join["trees"] = [tree.to_json() for tree in self.join_trees]
        return {
            "features": list(FEATURES),
            "rank": {"weights": list(self.rank_weights), "bias": self.rank_bias},
            "join": join,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict) -> PairModel:
        if list(data.get("features", [])) != list(FEATURES):
            raise ConfigError(
                "cluster model was trained on other features: retrain with `python -m newsfold.cluster_train`"
            )
        rank, join = data["rank"], data["join"]
        return cls(
            tuple(float(w) for w in rank["weights"]),
            float(rank["bias"]),
            tuple(float(w) for w in join.get("weights", ())),
            float(join["bias"]),
            dict(data.get("meta", {})),
            tuple(Tree.from_json(t) for t in join.get("trees", ())),
        )

    @classmethod
    def load(cls, path: Path) -> PairModel:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


_COSINE = tuple(12.0 if f == "cos" else 0.0 for f in FEATURES)
#: A plain cosine threshold (0.24), close to the old clusterer: used if the shipped model file is missing,
#: and while training (when no model decides anything).
COSINE_MODEL = PairModel(_COSINE, -12.0 * 0.24, _COSINE, -12.0 * 0.24, {"name": "cosine >= 0.24"})


@lru_cache(maxsize=1)
def default_model() -> PairModel:
    """The pair model shipped in ``newsfold/data``; a cosine threshold if the file is absent."""
    resource = resources.files("newsfold") / "data" / MODEL_FILE
    if not resource.is_file():
        return COSINE_MODEL
    return PairModel.from_json(json.loads(resource.read_text(encoding="utf-8")))


_words: dict[str, str] = {}
_names: dict[str, tuple[str, bool]] = {}
_CACHE_LIMIT = 500_000  # distinct tokens remembered; past it, tokens are worked out each time


def _word_key(word: str) -> str:
    """``w:`` feature of a word ("" for a stop word); a light plural fold ("officers" ~ "officer")."""
    key = _words.get(word)
    if key is None:
        low = word.lower()
        if len(low) <= 2 or low in _STOP:
            key = ""
        else:
            if len(low) > 4 and low.endswith("ies"):
                low = low[:-3] + "y"
            elif len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")):
                low = low[:-1]
            key = "w:" + low
        if len(_words) < _CACHE_LIMIT:
            _words[word] = key
    return key


def _name_key(run: str) -> tuple[str, bool]:
    """``n:`` feature of a run of capitalised words ("" if none) and whether it is a lone word."""
    found = _names.get(run)
    if found is None:
        parts = run.split()
        for i, part in enumerate(parts[:-1]):
            # "Survey. The" is a sentence end, not one name; "U.S." and "J." are not.
            if part[-1] == "." and len(part) > 3 and "." not in part[:-1]:
                parts = parts[: i + 1]
                break
        name = " ".join(parts).rstrip(".'’-")
        lone = " " not in name
        if lone:
            if name in _NAME_STOP or len(name) < 3 or name.lower() in _STOP:
                name = ""
        elif parts[0] in _NAME_STOP:
            name = name.split(" ", 1)[1]
        found = ("n:" + name.lower() if name and name.lower() not in _MONTHS else "", lone)
        if len(_names) < _CACHE_LIMIT:
            _names[run] = found
    return found


def _figure_key(figure: str) -> str:
    """``f:`` feature of a figure, thousands separators dropped ("3,000" ~ "3000"), except where that would
    make a count look like a year: "2,000" stays "2,000", because the years an article mentions date it."""
    bare = figure.replace(",", "")
    return "f:" + (figure if bare != figure and _YEAR.fullmatch(bare) else bare).lower()


def _join_split(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    mark, before, after = match.group(1), text[start - 1] if start else "", text[end]
    if before.isdigit() and after.isdigit():
        if mark != "," or _THREE_DIGITS.match(text, end):
            return mark  # "4. 6" -> "4.6", "2: 09" -> "2:09", "650, 000" -> "650,000"
    elif (
        mark == "." and before.isupper() and after.isupper() and (start < 2 or not text[start - 2].isalnum())
    ):
        if text.startswith(".", end + 1):
            return mark  # "U. S." -> "U.S."
    return match.group(0)


def detokenise(text: str) -> str:
    """``text`` with what a tokeniser split apart joined back: tokenised sources write "4. 6", "650, 000"
    and "U. S."; joined, their figures and names match other outlets'."""
    return _SPLIT.sub(_join_split, text) if text else ""


def _count(text: str, repeat: int = 1) -> Counter[str]:
    """Word, name and figure features of ``text``, each counted ``repeat`` times per occurrence."""
    tokens = _WORD.findall(text)
    keys = list(map(_words.get, tokens))  # almost every word is known after the first few articles
    if None in keys:
        keys = [_word_key(t) if k is None else k for k, t in zip(keys, tokens, strict=True)]
    counts = Counter(filter(None, keys))
    names = []
    for match in _NAME.finditer(text):
        key, lone = _names.get(match.group(0)) or _name_key(match.group(0))
        # A lone capitalised word at a sentence start is usually just a sentence start.
        if key and not (lone and _SENTENCE_START.search(text, max(0, match.start() - 3), match.start())):
            names.append(key)
    counts.update(names)
    counts.update(map(_figure_key, _FIGURE.findall(text)))
    if repeat != 1:
        for k in counts:
            counts[k] *= repeat
    return counts


def _texts(article: Article, settings: ClusterSettings) -> tuple[str, str, str]:
    """Title, lead (the body's first ``lead_chars``, cut at a space) and the rest of the body."""
    title = detokenise(article.title or "")
    body = detokenise(article.clean_text or article.text)
    if len(body) <= settings.lead_chars:
        return title, body, ""
    cut = body.rfind(" ", 0, settings.lead_chars)
    cut = cut if cut > 0 else settings.lead_chars
    return title, body[:cut], body[cut:]


def _combine(
    title: Counter[str], lead: Counter[str], rest: Counter[str], settings: ClusterSettings
) -> Counter[str]:
    # The body counts once; the title ``title_repeat`` times, the lead ``lead_repeat`` times more.
    counts = rest
    for part, times in ((lead, 1 + settings.lead_repeat), (title, settings.title_repeat)):
        if times > 0:
            for k, n in part.items():
                counts[k] += n * times
    return counts


def features(article: Article, settings: ClusterSettings) -> Counter[str]:
    """Raw counts of the article's word (``w:``), name (``n:``) and figure (``f:``) features."""
    title, lead, rest = _texts(article, settings)
    return _combine(_count(title), _count(lead), _count(rest), settings)


def _title_words(title: str, body: str) -> frozenset[str]:
    if not title:
        # Without a title, a short first line is usually the headline.
        first = body.lstrip().split("\n", 1)[0]
        title = first if len(first) <= 150 else ""
    return frozenset(k for k in map(_word_key, _WORD.findall(title)) if k)


def story_id_for(first_article_id: str) -> str:
    """A story's id: derived from its first article, so it never changes as articles join."""
    return "s-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class Parsed:
    """The pure part of reading an article: feature counts and text signals; picklable, so a worker can do it."""

    head: Counter[str]
    counts: Counter[str]
    title_words: frozenset[str]
    text_date: datetime | None


def parse_article(article: Article, settings: ClusterSettings) -> Parsed:
    """Count an article's word, name and figure features (title and lead weighted) and read its text date."""
    title, lead, rest = _texts(article, settings)
    in_title, in_lead = _count(title), _count(lead)
    text_date = None if article.published else find_text_date(article.clean_text or article.text)
    return Parsed(
        head=in_title + in_lead,
        counts=_combine(in_title, in_lead, _count(rest), settings),
        title_words=_title_words(title, lead),
        text_date=text_date,
    )


@dataclass(slots=True)
class _Doc:
    """One article as the clusterer sees it."""

    vec: dict[str, float]  # unit-length TF-IDF vector, all kinds
    kind_norm2: tuple[float, float, float]  # squared norm of its words / names / figures part
    lead: dict[str, float]  # unit-length TF-IDF vector of title + lead
    title: frozenset[str]
    names: list[str]  # five strongest names
    figures: list[str]  # five strongest figures that are not years
    when: float | None  # publication time, else a dateline in the text (POSIX seconds)
    clock: float | None  # publication time given by the input, which sets the arrival order
    year: int | None  # year of ``when``, else the latest year the text mentions


@dataclass(slots=True)
class _OpenStory:
    id: str
    centroid: dict[str, float] = field(default_factory=dict)
    kind_norm2: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    norm: float = 1.0
    lead: dict[str, float] = field(default_factory=dict)
    lead_norm: float = 1.0
    members: list[dict[str, float]] = field(default_factory=list)
    title: Counter[str] = field(default_factory=Counter)
    titled: int = 0
    size: int = 0
    first: float | None = None
    last: float | None = None
    clock_first: float | None = None
    clock_last: float | None = None
    year: int | None = None
    last_arrival: int = 0
    terms: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)


class StoryClusterer:
    """Single-pass clustering with an inverted index over the open stories' strongest features."""

    def __init__(self, settings: ClusterSettings | None = None, *, model: PairModel | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self.model = model or default_model()
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.arrivals = 0
        self.stories: dict[str, _OpenStory] = {}
        self._postings: defaultdict[str, set[str]] = defaultdict(set)
        self._newest: float | None = None
        self._kind_weight = {"w": 1.0, "n": self.settings.name_weight, "f": self.settings.figure_weight}

    # --- stream ----------------------------------------------------------------------------------------
    def assign(
        self, article: Article, *, copy_of_story: str | None = None, parsed: Parsed | None = None
    ) -> str:
        """Give ``article`` its story id (a copy joins the story of what it copies) and learn from it.

        ``parsed`` is :func:`parse_article`'s result when it already ran (in a worker process).
        """
        doc = self._observe(article, parsed)
        if copy_of_story is not None:
            story_id = copy_of_story
        else:
            story_id = self._decide(doc) or story_id_for(article.id)
        self._add(story_id, doc)
        article.story_id = story_id
        return story_id

    def replay(self, article: Article) -> None:
        """Learn from an article already assigned (rebuilding state from the store); decides nothing."""
        if not article.story_id:
            return
        self._add(article.story_id, self._observe(article))

    @property
    def open_stories(self) -> int:
        return len(self.stories)

    def settings_json(self) -> str:
        return json.dumps(self.settings.to_dict(), sort_keys=True)

    # --- one article -----------------------------------------------------------------------------------
    def _observe(self, article: Article, parsed: Parsed | None = None) -> _Doc:
        """Update the document frequencies and the clock with ``article``; return its vectors."""
        s = self.settings
        parsed = parsed or parse_article(article, s)
        head, counts = parsed.head, parsed.counts
        self.docs += 1
        self.df.update(counts.keys())
        if self.docs >= 2 * s.df_window:
            self._forget()
        vec = self._vector(counts, s.max_terms)
        kind_norm2 = [0.0, 0.0, 0.0]
        names: list[tuple[float, str]] = []
        figures: list[tuple[float, str]] = []
        years: list[int] = []
        for feat, v in vec.items():
            kind = feat[0]
            if kind == "w":
                kind_norm2[0] += v * v
            elif kind == "n":
                kind_norm2[1] += v * v
                names.append((v, feat))
            else:
                kind_norm2[2] += v * v
                if _YEAR.fullmatch(feat, 2):
                    years.append(int(feat[2:]))
                else:
                    figures.append((v, feat))
        names.sort(reverse=True)
        figures.sort(reverse=True)
        published = article.published
        clock = None
        if published is not None and article.metadata.get("published_from") != "dateline":
            clock = published.timestamp()
        when_dt = published or parsed.text_date
        year = when_dt.year if when_dt is not None else (max(years) if years else None)
        self.arrivals += 1
        if clock is not None:
            self._newest = clock if self._newest is None else max(self._newest, clock)
        self._expire()
        return _Doc(
            vec=vec,
            kind_norm2=(kind_norm2[0], kind_norm2[1], kind_norm2[2]),
            lead=self._vector(head, s.max_terms),
            title=parsed.title_words,
            names=[f for _, f in names[:5]],
            figures=[f for _, f in figures[:5]],
            when=when_dt.timestamp() if when_dt is not None else None,
            clock=clock,
            year=year,
        )

    def _vector(self, counts: Counter[str], limit: int) -> dict[str, float]:
        """Unit-length TF-IDF (sublinear TF, smoothed IDF from the stream so far, kind weights)."""
        log_n = math.log(self.docs + 2)
        df = self.df
        log = math.log
        kind_weight = self._kind_weight
        vec = {
            feat: (1.0 + log(tf)) * (log_n - log(df.get(feat, 0) + 1) + 1.0) * kind_weight[feat[0]]
            for feat, tf in counts.items()
        }
        if len(vec) > limit:
            vec = dict(_strongest(vec, limit))
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {k: v / norm for k, v in vec.items()}

    def _forget(self) -> None:
        # Halve the document frequencies: IDF follows the recent stream and rare old terms drop out, so
        # memory stays bounded by the vocabulary of the last ``2 * df_window`` articles.
        self.docs //= 2
        self.df = Counter({k: v // 2 for k, v in self.df.items() if v > 1})

    # --- choosing a story ------------------------------------------------------------------------------
    def _decide(self, doc: _Doc) -> str | None:
        """The open story ``doc`` joins, or ``None`` for a new story."""
        candidates = self._candidates(doc)
        if not candidates:
            return None
        best, x = max(candidates, key=lambda c: self.model.rank(c[1]))
        return best if self.model.join(x) >= self.settings.join else None

    def _candidates(self, doc: _Doc) -> list[tuple[str, list[float]]]:
        """The few most similar open stories, each with its pair features (see ``FEATURES``)."""
        s = self.settings
        stories = self.stories
        postings = self._postings
        # Rough scores from the inverted index (the stories' strongest terms), then exact cosines.
        rough: dict[str, float] = defaultdict(float)
        for feat, v in _strongest(doc.vec, s.query_terms):
            for sid in postings.get(feat, ()):
                rough[sid] += v * stories[sid].centroid[feat]
        if doc.clock is not None:
            rough = {sid: r for sid, r in rough.items() if self._near_in_time(stories[sid], doc.clock)}
        if not rough:
            return []
        shortlist = heapq.nlargest(s.shortlist, rough, key=lambda sid: rough[sid] / stories[sid].norm)
        exact: list[tuple[float, str, list[float], list[tuple[str, float]]]] = []
        items = doc.vec.items()
        for sid in shortlist:
            story = stories[sid]
            get = story.centroid.get
            hits = [(k, v * c) for k, v in items if (c := get(k)) is not None]
            dots = [0.0, 0.0, 0.0]
            for k, p in hits:
                dots[_KIND[k[0]]] += p
            exact.append(((dots[0] + dots[1] + dots[2]) / story.norm, sid, dots, hits))
        exact.sort(key=lambda t: -t[0])
        top = exact[: s.candidates]
        cosines = [t[0] for t in exact[: s.candidates + 1]]
        # Features no other candidate shares: what tells two stories of one topic apart.
        shared: Counter[str] = Counter()
        for t in top:
            shared.update(k for k, _ in t[3])
        unique = [sum(p for k, p in t[3] if shared[k] == 1) / stories[t[1]].norm for t in top]
        out = []
        for i, (cos, sid, dots, _) in enumerate(top):
            x = self._pair(doc, stories[sid], cos, dots, s.window_days)
            x.append(unique[i])
            x.append(unique[i] - max((u for j, u in enumerate(unique) if j != i), default=0.0))
            x.append(cos - max((c for j, c in enumerate(cosines) if j != i), default=0.0))
            x.append(1.0 if i == 0 else 0.0)
            out.append((sid, x))
        return out

    @staticmethod
    def _pair(doc: _Doc, story: _OpenStory, cos: float, dots: list[float], window_days: float) -> list[float]:
        """The features of ``FEATURES`` that depend on this story alone."""
        kind_cos = []
        for i in range(3):
            denom = math.sqrt(doc.kind_norm2[i] * story.kind_norm2[i])
            kind_cos.append(dots[i] / denom if denom else 0.0)
        vec = doc.vec
        # Dot products as C loops over (weight, the other vector's weight or 0): same sums, same order.
        best_member = max(
            sum(map(mul, member.values(), map(vec.get, member, repeat(0.0)))) for member in story.members
        )
        lead = sum(map(mul, doc.lead.values(), map(story.lead.get, doc.lead, repeat(0.0)))) / story.lead_norm
        title = 0.0
        if doc.title and story.titled:
            title = sum(min(story.title[w], story.titled) for w in doc.title) / story.titled / len(doc.title)
        centroid = story.centroid
        name_hit = sum(1 for k in doc.names if k in centroid) / len(doc.names) if doc.names else 0.0
        story_name_hit = sum(1 for k in story.names if k in vec) / len(story.names) if story.names else 0.0
        figure_miss = (
            sum(1 for k in doc.figures if k not in centroid) / len(doc.figures) if doc.figures else 0.0
        )
        story_figure_hit = (
            sum(1 for k in story.figures if k in vec) / len(story.figures) if story.figures else 0.0
        )
        # Time only ever counts against a story (a gap, years apart), never for it: in a dense stream every
        # open story is recent, so closeness in time says nothing, although in sparse labelled data it would.
        gap = 0.0
        if doc.when is not None and story.first is not None and story.last is not None:
            days = max(0.0, story.first - doc.when, doc.when - story.last) / 86400.0 - window_days
            gap = math.log1p(min(days, 1000.0)) if days > 0 else 0.0
        year_gap = 0.0
        if doc.year is not None and story.year is not None:
            year_gap = min(abs(doc.year - story.year), 3) / 3.0
        return [
            cos,
            kind_cos[0],
            kind_cos[1],
            kind_cos[2],
            best_member,
            lead,
            title,
            name_hit,
            story_name_hit,
            figure_miss,
            story_figure_hit,
            gap,
            year_gap,
            math.log(story.size),
        ]

    def _near_in_time(self, story: _OpenStory, clock: float | None) -> bool:
        # Only dates the input gave gate candidates; a date read from the text is evidence, not a gate.
        if clock is None or story.clock_first is None or story.clock_last is None:
            return True
        window = self.settings.window_days * 86400.0
        return story.clock_first - window <= clock <= story.clock_last + window

    # --- story state -----------------------------------------------------------------------------------
    def _add(self, story_id: str, doc: _Doc) -> None:
        s = self.settings
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = _OpenStory(story_id)
        centroid = story.centroid
        kind_norm2 = story.kind_norm2
        for k, v in doc.vec.items():
            old = centroid.get(k, 0.0)
            centroid[k] = old + v
            kind_norm2[_KIND[k[0]]] += v * (2.0 * old + v)
        if len(centroid) > 3 * s.max_terms:
            # Centroid drift control and bounded memory: keep the story's strongest terms only.
            centroid = story.centroid = dict(_strongest(centroid, 2 * s.max_terms))
            kind_norm2 = story.kind_norm2 = [0.0, 0.0, 0.0]
            for k, v in centroid.items():
                kind_norm2[_KIND[k[0]]] += v * v
        story.norm = math.sqrt(kind_norm2[0] + kind_norm2[1] + kind_norm2[2]) or 1.0
        lead = story.lead
        norm2 = story.lead_norm * story.lead_norm if lead else 0.0
        for k, v in doc.lead.items():
            old = lead.get(k, 0.0)
            lead[k] = old + v
            norm2 += v * (2.0 * old + v)
        if len(lead) > 3 * s.max_terms:
            lead = story.lead = dict(_strongest(lead, 2 * s.max_terms))
            norm2 = sum(v * v for v in lead.values())
        story.lead_norm = math.sqrt(norm2) or 1.0
        if len(story.members) < s.members:
            story.members.append(dict(_strongest(doc.vec, s.member_terms)))
        if doc.title:
            story.title.update(doc.title)
            story.titled += 1
            if len(story.title) > 3 * s.max_terms:
                story.title = Counter(dict(story.title.most_common(2 * s.max_terms)))
        if doc.year is not None:
            story.year = doc.year if story.year is None else max(story.year, doc.year)
        if doc.when is not None:
            story.first = doc.when if story.first is None else min(story.first, doc.when)
            story.last = doc.when if story.last is None else max(story.last, doc.when)
        if doc.clock is not None:
            story.clock_first = doc.clock if story.clock_first is None else min(story.clock_first, doc.clock)
            story.clock_last = doc.clock if story.clock_last is None else max(story.clock_last, doc.clock)
        story.size += 1
        story.last_arrival = self.arrivals
        self._index(story)

    def _index(self, story: _OpenStory) -> None:
        s = self.settings
        postings = self._postings
        for feat in story.terms:
            postings[feat].discard(story.id)
        top = _strongest(story.centroid, 4 * s.index_terms)
        story.terms = [k for k, _ in top[: s.index_terms]]
        for feat in story.terms:
            postings[feat].add(story.id)
        story.names = [k for k, _ in top if k[0] == "n"][:5]
        story.figures = [k for k, _ in top if k[0] == "f" and not _YEAR.fullmatch(k, 2)][:5]

    def _expire(self) -> None:
        """Close stories that can no longer receive articles, so the candidate set stays small."""
        if self.arrivals % self.settings.expire_every:
            return
        s = self.settings
        horizon = self._newest - 2 * s.window_days * 86400.0 if self._newest is not None else None
        closed = [
            story.id
            for story in self.stories.values()
            if (story.clock_last is not None and horizon is not None and story.clock_last < horizon)
            or (story.clock_last is None and self.arrivals - story.last_arrival > s.window_articles)
        ]
        for sid in closed:
            story = self.stories.pop(sid)
            for feat in story.terms:
                posting = self._postings.get(feat)
                if posting is not None:
                    posting.discard(sid)
                    if not posting:
                        del self._postings[feat]
