"""Streaming story clustering: each article joins the best open story or starts a new one, in one pass.

An article is a sparse TF-IDF vector over three kinds of feature, each a signal that news clustering
research found to separate *events* rather than topics:

* words of the title and body (the title counted twice; IDF from the stream seen so far);
* named things (runs of capitalised words: people, places, organisations), weighted up, because two events
  of one topic share topic words but rarely the same names;
* figures (numbers and codes such as "24", "3,000", "NX121"), weighted up for the same reason.

A story keeps the sum of its articles' vectors. An article joins the story whose centroid is most similar,
if that similarity passes a threshold and the story is near in time; otherwise it starts a story whose id is
derived from its first article, so ids never change as articles arrive. Stories age out of the candidate
set when no article joined them within ``window_days`` of publication time (or within ``window_articles``
arrivals when dates are missing), so cost grows with the number of *open* stories, not with history.

Reads ``clean_text``, ``title``, ``published``, ``duplicate_of``; writes ``story_id``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsfold.article import Article

__all__ = ["ClusterSettings", "StoryClusterer", "story_id_for", "features"]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_FIGURE = re.compile(r"\b(?:[A-Z]{1,4}\d+[A-Z\d]*|\d+(?:[.,]\d+)*)\b")
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|the|de|del|da|van|von|al|bin|la|le)\s+)?[A-Z][\w'’.-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|[\"“‘]\s*|\n\s*)$")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "mr", "mrs", "ms", "dr", "new", "year", "years"}
_NAME_STOP = frozenset(w.capitalize() for w in _STOP) | {"I", "It's", "That's", "There's"}
_MONTHS = {"january", "february", "march", "april", "june", "july", "august", "september", "october",
           "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass(slots=True, frozen=True)
class ClusterSettings:
    """One setting for all data (documented in docs/clustering.md); tuned once on both dev sets together."""

    threshold: float = 0.22
    name_weight: float = 2.0
    figure_weight: float = 1.0
    title_repeat: int = 2
    window_days: float = 7.0
    window_articles: int = 5000
    max_terms: int = 400

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _stem(word: str) -> str:
    # A light plural fold ("officers" ~ "officer") helps recall without a stemmer's surprises.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def features(article: Article, settings: ClusterSettings) -> Counter[str]:
    """Raw counts of the article's word (``w:``), name (``n:``) and figure (``f:``) features."""
    title = article.title or ""
    body = article.clean_text or article.text
    counts: Counter[str] = Counter()
    for text, repeat in ((title, settings.title_repeat), (body, 1)):
        for word in _WORD.findall(text):
            low = word.lower()
            if low not in _STOP and len(low) > 2:
                counts["w:" + _stem(low)] += repeat
        for match in _NAME.finditer(text):
            name = match.group(0).rstrip(".'’-")
            parts = name.split()
            if len(parts) == 1:
                # A lone capitalised word at a sentence start is usually just a sentence start.
                if name in _NAME_STOP or name.lower() in _STOP or len(name) < 3:
                    continue
                if _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
                    continue
            elif parts[0] in _NAME_STOP:
                name = " ".join(parts[1:])
            if name.lower() in _MONTHS:
                continue
            counts["n:" + name.lower()] += repeat
        for fig in _FIGURE.findall(text):
            counts["f:" + fig.replace(",", "").lower()] += repeat
    return counts


def story_id_for(first_article_id: str) -> str:
    """A story's id: derived from its first article, so it never changes as articles join."""
    return "s-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class _OpenStory:
    id: str
    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    size: int = 0
    first: float | None = None
    last: float | None = None
    last_arrival: int = 0
    terms: list[str] = field(default_factory=list)


class StoryClusterer:
    """Single-pass clustering with an inverted index over the open stories' strongest features."""

    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.arrivals = 0
        self.stories: dict[str, _OpenStory] = {}
        self._postings: defaultdict[str, set[str]] = defaultdict(set)
        self._newest: float | None = None

    # --- vectors ---------------------------------------------------------------------------------------
    def _weight(self, feature: str) -> float:
        kind = feature[0]
        if kind == "n":
            return self.settings.name_weight
        if kind == "f":
            return self.settings.figure_weight
        return 1.0

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        n = self.docs + 1
        vec: dict[str, float] = {}
        for feat, tf in counts.items():
            idf = math.log((n + 1) / (self.df.get(feat, 0) + 1)) + 1.0
            vec[feat] = (1.0 + math.log(tf)) * idf * self._weight(feat)
        if len(vec) > self.settings.max_terms:
            vec = dict(sorted(vec.items(), key=lambda kv: -kv[1])[: self.settings.max_terms])
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {k: v / norm for k, v in vec.items()}

    # --- stream ----------------------------------------------------------------------------------------
    def assign(self, article: Article, *, copy_of_story: str | None = None) -> str:
        """Give ``article`` its story id (a copy joins the story of what it copies) and learn from it."""
        counts = features(article, self.settings)
        self._observe(counts)
        vec = self._vector(counts)
        when = article.published.timestamp() if article.published else None
        self.arrivals += 1
        self._expire(when)
        if copy_of_story is not None:
            story_id = copy_of_story
        else:
            best_id, best_score = None, 0.0
            for sid in self._candidates(vec):
                story = self.stories[sid]
                if not self._near_in_time(story, when):
                    continue
                score = self._cosine(vec, story)
                if score > best_score:
                    best_id, best_score = sid, score
            story_id = best_id if best_id is not None and best_score >= self.settings.threshold else story_id_for(article.id)
        self._add(story_id, vec, when)
        article.story_id = story_id
        return story_id

    def replay(self, article: Article) -> None:
        """Learn from an article already assigned (rebuilding state from the store); decides nothing."""
        if not article.story_id:
            return
        counts = features(article, self.settings)
        self._observe(counts)
        when = article.published.timestamp() if article.published else None
        self.arrivals += 1
        self._expire(when)
        self._add(article.story_id, self._vector(counts), when)

    def _observe(self, counts: Counter[str]) -> None:
        self.docs += 1
        self.df.update(counts.keys())

    def _candidates(self, vec: dict[str, float]) -> set[str]:
        strongest = sorted(vec.items(), key=lambda kv: -kv[1])[:40]
        found: set[str] = set()
        for feat, _ in strongest:
            found |= self._postings.get(feat, set())
        return found

    def _near_in_time(self, story: _OpenStory, when: float | None) -> bool:
        if when is None or story.first is None:
            return True
        window = self.settings.window_days * 86400.0
        return story.first - window <= when <= story.last + window

    @staticmethod
    def _cosine(vec: dict[str, float], story: _OpenStory) -> float:
        centroid = story.centroid
        dot = sum(v * centroid.get(k, 0.0) for k, v in vec.items())
        return dot / math.sqrt(story.norm2) if story.norm2 > 0 else 0.0

    def _add(self, story_id: str, vec: dict[str, float], when: float | None) -> None:
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = _OpenStory(story_id)
        centroid = story.centroid
        for k, v in vec.items():
            centroid[k] = centroid.get(k, 0.0) + v
        story.norm2 = sum(v * v for v in centroid.values())
        story.size += 1
        story.last_arrival = self.arrivals
        if when is not None:
            story.first = when if story.first is None else min(story.first, when)
            story.last = when if story.last is None else max(story.last, when)
            self._newest = when if self._newest is None else max(self._newest, when)
        self._index(story)

    def _index(self, story: _OpenStory) -> None:
        for feat in story.terms:
            self._postings[feat].discard(story.id)
        top = sorted(story.centroid.items(), key=lambda kv: -kv[1])[:60]
        story.terms = [k for k, _ in top]
        for feat in story.terms:
            self._postings[feat].add(story.id)

    def _expire(self, when: float | None) -> None:
        """Close stories that can no longer receive articles, so the candidate set stays small."""
        if self.arrivals % 256:
            return
        horizon = (self._newest - 2 * self.settings.window_days * 86400.0) if self._newest is not None else None
        closed = [
            s.id
            for s in self.stories.values()
            if (s.last is not None and horizon is not None and s.last < horizon)
            or (s.last is None and self.arrivals - s.last_arrival > self.settings.window_articles)
        ]
        for sid in closed:
            story = self.stories.pop(sid)
            for feat in story.terms:
                posting = self._postings.get(feat)
                if posting is not None:
                    posting.discard(sid)
                    if not posting:
                        del self._postings[feat]

    @property
    def open_stories(self) -> int:
        return len(self.stories)

    def settings_json(self) -> str:
        return json.dumps(self.settings.to_dict(), sort_keys=True)
