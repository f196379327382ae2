"""The store: articles, stories and pipeline state, on SQLite by default or PostgreSQL by URL.

SQLAlchemy Core keeps one schema and one set of queries for both. SQLite runs in WAL mode so the CLI can
ingest while other processes read. Every article is written in its own transaction together with its
story, so a crash loses at most the article in flight and a re-run continues where it stopped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from newsfold.article import Article, Removed, Story, parse_published
from newsfold.errors import StoreError

__all__ = ["Store", "open_store", "DEFAULT_DB", "resolve_db_url"]

DEFAULT_DB = "newsfold.db"
SCHEMA_VERSION = 1

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(512), nullable=False, unique=True),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(40)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("clean_text", sa.Text, nullable=False),
    sa.Column("removed", sa.Text, nullable=False),
    sa.Column("metadata", sa.Text, nullable=False),
    sa.Column("origin", sa.Text),
    sa.Column("content_hash", sa.String(64), index=True),
    sa.Column("duplicate_of", sa.String(512)),
    sa.Column("story_id", sa.String(64), index=True),
    sa.Column("ingested_at", sa.String(40), nullable=False),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_seen", sa.String(40)),
    sa.Column("last_seen", sa.String(40)),
    sa.Column("article_count", sa.Integer, nullable=False),
    sa.Column("created_seq", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

state = sa.Table(
    "state",
    metadata,
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

schema = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
)


def resolve_db_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL as is, a path as SQLite, nothing as ``$NEWSFOLD_DB`` or ./newsfold.db."""
    value = str(db) if db else os.environ.get("NEWSFOLD_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _row_to_article(row: Any) -> Article:
    return Article(
        id=row.id,
        text=row.text,
        source=row.source,
        url=row.url,
        title=row.title,
        published=parse_published(row.published),
        metadata=json.loads(row.metadata),
        origin=row.origin or "",
        clean_text=row.clean_text,
        removed=[Removed(r["text"], r["reason"]) for r in json.loads(row.removed)],
        duplicate_of=row.duplicate_of,
        story_id=row.story_id,
    )


class Store:
    """Articles and stories behind a small interface; open with :func:`open_store`."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = sa.create_engine(url, future=True)
            if self.engine.dialect.name == "sqlite":
                sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self._migrate()
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"cannot open store {url}: {exc}") from exc

    # --- lifecycle -------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            version = conn.execute(sa.select(sa.func.max(schema.c.version))).scalar()
            if version is None:
                conn.execute(schema.insert().values(version=SCHEMA_VERSION))
            elif version > SCHEMA_VERSION:
                raise StoreError(
                    f"store {self.url} has schema {version}, newer than this newsfold ({SCHEMA_VERSION})"
                )

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.engine.begin() as conn:
            yield conn

    # --- articles --------------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return (
                conn.execute(sa.select(articles.c.seq).where(articles.c.id == article_id)).first() is not None
            )

    def find_by_hash(self, content_hash: str) -> str | None:
        """Id of the earliest stored article with this clean-text hash."""
        query = (
            sa.select(articles.c.id)
            .where(articles.c.content_hash == content_hash)
            .order_by(articles.c.seq)
            .limit(1)
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def add_article(
        self, article: Article, content_hash: str, story_title: str, conn: Connection | None = None
    ) -> None:
        """Store ``article`` and create or update its story, in one transaction.

        ``story_title`` names a new story; a story keeps the title it was created with.
        """
        if conn is None:
            with self.transaction() as own:
                self.add_article(article, content_hash, story_title, own)
            return
        now = _now()
        result = conn.execute(
            articles.insert().values(
                id=article.id,
                source=article.source,
                url=article.url,
                title=article.title,
                published=_iso(article.published),
                text=article.text,
                clean_text=article.clean_text,
                removed=json.dumps([{"text": r.text, "reason": r.reason} for r in article.removed]),
                metadata=json.dumps(article.metadata, default=str),
                origin=article.origin,
                content_hash=content_hash,
                duplicate_of=article.duplicate_of,
                story_id=article.story_id,
                ingested_at=now,
            )
        )
        seq = result.inserted_primary_key[0]
        seen = _iso(article.published) or now
        row = conn.execute(sa.select(stories).where(stories.c.id == article.story_id)).first()
        if row is None:
            conn.execute(
                stories.insert().values(
                    id=article.story_id,
                    title=story_title,
                    first_seen=seen,
                    last_seen=seen,
                    article_count=1,
                    created_seq=seq,
                    updated_at=now,
                )
            )
        else:
            conn.execute(
                stories.update()
                .where(stories.c.id == article.story_id)
                .values(
                    first_seen=min(row.first_seen, seen) if row.first_seen else seen,
                    last_seen=max(row.last_seen, seen) if row.last_seen else seen,
                    article_count=row.article_count + 1,
                    updated_at=now,
                )
            )

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return _row_to_article(row) if row else None

    def iter_articles(self, *, story_id: str | None = None, since_seq: int = 0) -> Iterator[Article]:
        """Stored articles in ingest order, streamed."""
        query = sa.select(articles).where(articles.c.seq > since_seq).order_by(articles.c.seq)
        if story_id is not None:
            query = query.where(articles.c.story_id == story_id)
        with self.engine.connect() as conn:
            for row in conn.execution_options(stream_results=True, yield_per=500).execute(query):
                yield _row_to_article(row)

    def iter_articles_since(self, seq: int) -> Iterator[tuple[int, Article]]:
        """``(seq, article)`` for every article stored after ingest sequence number ``seq``, in order."""
        query = sa.select(articles).where(articles.c.seq > seq).order_by(articles.c.seq)
        with self.engine.connect() as conn:
            for row in conn.execution_options(stream_results=True, yield_per=500).execute(query):
                yield row.seq, _row_to_article(row)

    def max_seq(self) -> int:
        """The ingest sequence number of the newest article (0 for an empty store)."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.max(articles.c.seq))).scalar() or 0)

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar() or 0)

    # --- stories ---------------------------------------------------------------------------------------
    def _story_from_row(self, conn: Connection, row: Any) -> Story:
        members = conn.execute(
            sa.select(articles.c.id, articles.c.source)
            .where(articles.c.story_id == row.id)
            .order_by(articles.c.seq)
        ).all()
        sources: list[str] = []
        for m in members:
            if m.source and m.source not in sources:
                sources.append(m.source)
        return Story(
            id=row.id,
            title=row.title,
            article_ids=[m.id for m in members],
            sources=sources,
            first_seen=parse_published(row.first_seen),
            last_seen=parse_published(row.last_seen),
        )

    def get_story(self, story_id: str) -> Story | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(stories).where(stories.c.id == story_id)).first()
            return self._story_from_row(conn, row) if row else None

    def iter_stories(
        self, *, newest_first: bool = True, limit: int | None = None, offset: int = 0
    ) -> Iterator[Story]:
        order = stories.c.last_seen.desc() if newest_first else stories.c.created_seq
        query = sa.select(stories).order_by(order, stories.c.created_seq.desc()).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            for row in rows:
                yield self._story_from_row(conn, row)

    def count_stories(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(stories)).scalar() or 0)

    # --- pipeline state --------------------------------------------------------------------------------
    def save_state(self, key: str, value: str, conn: Connection | None = None) -> None:
        if conn is None:
            with self.transaction() as own:
                self.save_state(key, value, own)
            return
        conn.execute(state.delete().where(state.c.key == key))
        conn.execute(state.insert().values(key=key, value=value))

    def load_state(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(state.c.value).where(state.c.key == key)).scalar()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_store(db: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating if needed) the store at a path or URL; ``None`` means ``$NEWSFOLD_DB`` or ./newsfold.db."""
    return Store(resolve_db_url(db))
