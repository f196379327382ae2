"""What the API and the UI both serve: stories, a story with its comparison, an article, and ingest.

One :class:`Service` per app holds the store, the one :class:`~newsfold.pipeline.Pipeline` that writes (behind
a lock: SQLite has one writer, and the pipeline's in-memory indexes are not thread-safe) and a small cache of
comparisons, which are slow to compute and change only when a story gains an article.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from newsfold.alert.breaking import BreakingSettings
from newsfold.article import Article, Story
from newsfold.compare import compare_story
from newsfold.errors import InputError
from newsfold.pipeline import Outcome, Pipeline
from newsfold.readers.jsonl import parse_line
from newsfold.store import Store
from newsfold.web import queries
from newsfold.web.queries import CopyRef, StoryFilter

__all__ = ["ArticleView", "ItemResult", "Service", "StoryView", "records_to_articles"]

COMPARISON_CACHE_SIZE = 256


@dataclass(slots=True)
class StoryView:
    """A story, its articles in arrival order, and (unless skipped) its comparison as exported."""

    story: Story
    members: list[Article]
    comparison: dict[str, Any] | None


@dataclass(slots=True)
class ArticleView:
    article: Article
    copies: list[CopyRef]


@dataclass(slots=True)
class ItemResult:
    """What happened to one posted record: ``stored``, ``duplicate``, ``skipped`` or ``error``."""

    index: int
    id: str | None
    status: str
    story_id: str | None = None
    new_story: bool = False
    duplicate_of: str | None = None
    reason: str | None = None
    error: dict[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "id": self.id,
            "status": self.status,
            "story_id": self.story_id,
            "new_story": self.new_story,
            "duplicate_of": self.duplicate_of,
            "reason": self.reason,
            "error": self.error,
        }


def records_to_articles(items: list[Any]) -> list[Article | InputError]:
    """Posted JSON values as articles, validated exactly as lines of a JSONL input are.

    Each value goes back through the JSONL reader's line parser, so a record is accepted or refused with
    the same messages as ``newsfold ingest`` gives (including NaN and lone surrogates).
    """
    return [
        parse_line(json.dumps(item, ensure_ascii=True).encode("ascii"), where=f"api[{i}]")
        for i, item in enumerate(items)
    ]


class _ComparisonCache:
    """Least recently used comparisons, keyed by story id and its article ids (stored articles never change)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, tuple[str, ...]], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, story: Story, members: list[Article]) -> dict[str, Any]:
        key = (story.id, tuple(a.id for a in members))
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compare_story(story, members).to_dict()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class Service:
    """Reads through the store and its queries; writes through one pipeline, one batch at a time."""

    def __init__(self, store: Store, *, breaking: BreakingSettings | None = None) -> None:
        self.store = store
        self.breaking = breaking or BreakingSettings()  # the rule `serve --watch CONFIG` alerts by
        self._pipeline: Pipeline | None = None
        self._write_lock = threading.Lock()
        self._comparisons = _ComparisonCache(COMPARISON_CACHE_SIZE)

    def close(self) -> None:
        self.store.close()

    # --- reads -----------------------------------------------------------------------------------------
    def stories(self, f: StoryFilter, *, limit: int, offset: int) -> tuple[int, list[Story]]:
        return queries.find_stories(self.store.engine, f, limit=limit, offset=offset)

    def story(self, story_id: str, *, compare: bool = True) -> StoryView | None:
        story = self.store.get_story(story_id)
        if story is None:
            return None
        members = list(self.store.iter_articles(story_id=story_id))
        # The story row and its articles are read apart; a story caught mid-ingest lists what was read.
        story.article_ids = [a.id for a in members]
        comparison = self._comparisons.get(story, members) if compare else None
        return StoryView(story, members, comparison)

    def article(self, article_id: str) -> ArticleView | None:
        article = self.store.get_article(article_id)
        if article is None:
            return None
        return ArticleView(article, queries.copies_of(self.store.engine, article_id))

    # --- writes ----------------------------------------------------------------------------------------
    def ingest(self, records: list[Article | InputError]) -> list[ItemResult]:
        """Run ``records`` through the pipeline, in order; a bad record gets an error, the rest go in."""
        with self._write_lock:
            if self._pipeline is None:
                self._pipeline = Pipeline(self.store)  # replays the store: learns everything stored so far
            else:
                self._pipeline.catch_up()  # what the CLI or another process stored meanwhile
            return [self._ingest_one(self._pipeline, i, record) for i, record in enumerate(records)]

    @staticmethod
    def _ingest_one(pipeline: Pipeline, index: int, record: Article | InputError) -> ItemResult:
        if isinstance(record, InputError):
            return ItemResult(index, None, "error", error=_item_error("invalid_record", record.message))
        outcomes: list[Outcome] = []
        # Pipeline.run, not process: the same per-article error handling as ``newsfold ingest``.
        report = pipeline.run([record], on_outcome=outcomes.append)
        if report.errors:
            return ItemResult(
                index, record.id, "error", error=_item_error("processing_error", report.errors[0].message)
            )
        outcome = outcomes[0]
        return ItemResult(
            index,
            outcome.article_id,
            outcome.status,
            story_id=outcome.story_id,
            new_story=outcome.new_story,
            duplicate_of=outcome.duplicate_of,
            reason=outcome.reason or None,
        )


def _item_error(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "details": None}
