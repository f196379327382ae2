"""Read-only queries the web layer needs beyond the :class:`~newsfold.store.Store` interface.

Every function takes the store's engine and returns records (``Story``, ``CopyRef``); the same SQLAlchemy
Core statements run on SQLite and PostgreSQL. Text filters are case-insensitive substring matches
(``LIKE``), which scan the articles' clean text: fine for a newsroom's store, not for a web-scale archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsfold.article import Story, parse_published
from newsfold.store import articles, stories, story_sources

__all__ = ["CopyRef", "StoryFilter", "copies_of", "find_stories", "search_terms"]

# A phrase runs to its closing quote, or to the end when the quote is never closed ("flood warning).
_TERM = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»", '"'))


@dataclass(slots=True, frozen=True)
class StoryFilter:
    """Which stories to list; every given condition must hold."""

    q: str | None = None
    entity: str | None = None
    outlet: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(slots=True, frozen=True)
class CopyRef:
    """An article that copies another, as listed on the original's page."""

    id: str
    source: str | None
    title: str | None
    published: datetime | None


def search_terms(q: str | None) -> list[str]:
    """The terms of a text query: words, or "quoted phrases" kept whole; a quote mark alone is no term.
    Typographic quotes (which phones and word processors type) quote as straight ones do."""
    terms = (" ".join(phrase.split()) or word for phrase, word in _TERM.findall((q or "").translate(_QUOTES)))
    return [term for term in terms if term]


def _iso(value: datetime) -> str:
    # Stored times are ISO 8601 strings in UTC, so the same format compares correctly as text.
    return value.astimezone(UTC).isoformat()


def _member_where(*conditions: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """Some article of the story meets every condition."""
    return sa.exists(sa.select(articles.c.seq).where(articles.c.story_id == stories.c.id, *conditions))


def _conditions(f: StoryFilter) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    for term in search_terms(f.q):
        where.append(
            sa.or_(
                stories.c.title.icontains(term, autoescape=True),
                _member_where(
                    sa.or_(
                        articles.c.title.icontains(term, autoescape=True),
                        articles.c.clean_text.icontains(term, autoescape=True),
                    )
                ),
            )
        )
    if f.entity and f.entity.strip():
        name = " ".join(f.entity.split())
        where.append(
            _member_where(
                sa.or_(
                    articles.c.clean_text.icontains(name, autoescape=True),
                    articles.c.title.icontains(name, autoescape=True),
                )
            )
        )
    if f.outlet and f.outlet.strip():
        where.append(_member_where(sa.func.lower(articles.c.source) == f.outlet.strip().lower()))
    if f.since is not None:
        where.append(stories.c.last_seen >= _iso(f.since))
    if f.until is not None:
        where.append(stories.c.first_seen <= _iso(f.until))
    return where


def find_stories(engine: Engine, f: StoryFilter, *, limit: int, offset: int) -> tuple[int, list[Story]]:
    """``(total, page)``: how many stories match ``f``, and one page of them, newest first."""
    where = _conditions(f)
    count = sa.select(sa.func.count()).select_from(stories).where(*where)
    page = (
        sa.select(stories)
        .where(*where)
        .order_by(stories.c.last_seen.desc(), stories.c.created_seq.desc())
        .limit(limit)
        .offset(offset)
    )
    with engine.connect() as conn:
        total = int(conn.execute(count).scalar() or 0)
        rows = conn.execute(page).all()
        members = (
            conn.execute(
                sa.select(articles.c.story_id, articles.c.id, articles.c.source)
                .where(articles.c.story_id.in_([row.id for row in rows]))
                .order_by(articles.c.seq)
            ).all()
            if rows
            else []
        )
    ids: dict[str, list[str]] = {row.id: [] for row in rows}
    sources: dict[str, list[str | None]] = {row.id: [] for row in rows}
    for m in members:
        ids[m.story_id].append(m.id)
        sources[m.story_id].append(m.source)
    found = [
        Story(
            id=row.id,
            title=row.title,
            article_ids=ids[row.id],
            sources=story_sources(sources[row.id]),
            first_seen=parse_published(row.first_seen),
            last_seen=parse_published(row.last_seen),
        )
        for row in rows
    ]
    return total, found


def copies_of(engine: Engine, article_id: str) -> list[CopyRef]:
    """The stored articles marked as copies of ``article_id``, in ingest order."""
    query = (
        sa.select(articles.c.id, articles.c.source, articles.c.title, articles.c.published)
        .where(articles.c.duplicate_of == article_id)
        .order_by(articles.c.seq)
    )
    with engine.connect() as conn:
        return [
            CopyRef(row.id, row.source, row.title, parse_published(row.published))
            for row in conn.execute(query)
        ]
