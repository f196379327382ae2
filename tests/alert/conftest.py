"""Fixtures of the alert tests: local servers (see servers.py) and a store holding the demo's stories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from servers import DEMO, DEMO_FEEDS, feed_server, smtp_sink, webhook  # noqa: F401 (fixtures)

from newsfold.article import Article
from newsfold.pipeline import Pipeline
from newsfold.readers.feed import parse_feed
from newsfold.readers.html import extract_article
from newsfold.store import Store

DAM_IDS = ("gazette-harwick-dam", "wire-harwick-collapse", "courier-harwick-explainer", "valley-dam-collapse")


def demo_articles() -> dict[str, Article]:
    """Every entry of the demo feeds, by id; the Courier's dam entry with the text of its article page."""
    found: dict[str, Article] = {}
    for name in DEMO_FEEDS:
        for record in parse_feed((DEMO / "feeds" / name).read_bytes(), name=name):
            assert isinstance(record, Article), record
            found[record.id] = record
    entry = found["courier-harwick-explainer"]
    page = extract_article(
        (DEMO / "pages" / "daily-courier" / "harwick-dam.html").read_bytes(),
        article_id=entry.id,
        origin="page",
        url=entry.url,
        source=entry.source,
        fallback_date=entry.published,
    )
    assert isinstance(page, Article)
    page.title = entry.title
    found[entry.id] = page
    return found


@pytest.fixture
def ingest_demo(store: Store) -> Callable[..., str | None]:
    """Ingest demo articles by id (all when none are named); returns the dam story's id once it exists."""
    pipeline = Pipeline(store)
    articles = demo_articles()

    def ingest(*ids: str) -> str | None:
        pipeline.catch_up()
        for article_id in ids or tuple(articles):
            pipeline.process(articles[article_id])
        dam = store.get_article("gazette-harwick-dam") or store.get_article("wire-harwick-collapse")
        return dam.story_id if dam else None

    ingest.pipeline = pipeline  # type: ignore[attr-defined]
    return ingest


@pytest.fixture
def demo_dir() -> Path:
    return DEMO
