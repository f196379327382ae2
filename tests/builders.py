"""Records the store tests build, shared by the SQLite and PostgreSQL suites."""

from __future__ import annotations

from datetime import datetime

from newsfold.article import Article, Removed


def stored_article(
    article_id: str,
    *,
    story_id: str = "s-1",
    published: datetime | None = None,
    source: str | None = "Avon Echo",
    text: str | None = None,
) -> Article:
    body = text or f"Body of {article_id}: the council met on Tuesday and voted on the bridge."
    return Article(
        id=article_id,
        text="Advertisement\n\n" + body,
        source=source,
        url=f"https://example.org/{article_id}",
        title=f"Title of {article_id}",
        published=published,
        metadata={"lang": "en", "tags": ["council", "bridge"], "words": 14},
        origin=f"feed.jsonl:{article_id}",
        clean_text=body,
        removed=[Removed("Advertisement", "advertisement")],
        story_id=story_id,
    )
