"""The store: articles, stories and pipeline state, on SQLite by default or PostgreSQL by URL.

SQLAlchemy Core keeps one schema and one set of queries for both; :mod:`newsfold.migrations` builds and
upgrades the schema. SQLite runs in WAL mode so the CLI can ingest while other processes read. Every
article is written in its own transaction together with its story, so a crash loses at most the article in
flight and a re-run continues where it stopped. Story bookkeeping is one atomic upsert, so processes adding
to the same story at once (on PostgreSQL, where writers run concurrently) never lose a count. See
docs/storage.md.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from newsfold.article import Article, Removed, Story, parse_published
from newsfold.errors import StoreError
from newsfold.migrations import LATEST, instant, migrate

__all__ = [
    "Store",
    "open_store",
    "DEFAULT_DB",
    "resolve_db_url",
    "metadata",
    "SCHEMA_VERSION",
    "story_sources",
]

DEFAULT_DB = "newsfold.db"
#: How long opening a store keeps retrying while another process holds the SQLite lock.
LOCKED_RETRY_SECONDS = 30.0
#: The schema version this code writes: the last step in :data:`newsfold.migrations.MIGRATIONS`.
SCHEMA_VERSION = LATEST
#: Longest article id the store keeps (the ``id`` and ``duplicate_of`` columns); PostgreSQL enforces it.
MAX_ID_LENGTH = 512

#: Every table of the store. Other modules may add their own tables here: a store creates them, if missing,
#: when it opens (after the migrations, which own the tables below).
metadata = sa.MetaData()

_INSTANT = instant()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(512), nullable=False, unique=True),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", _INSTANT),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("clean_text", sa.Text, nullable=False),
    sa.Column("removed", sa.Text, nullable=False),
    sa.Column("metadata", sa.Text, nullable=False),
    sa.Column("origin", sa.Text),
    sa.Column("content_hash", sa.String(64), index=True),
    sa.Column("duplicate_of", sa.String(512)),
    sa.Column("story_id", sa.String(64), index=True),
    sa.Column("ingested_at", _INSTANT, nullable=False),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_seen", _INSTANT),
    sa.Column("last_seen", _INSTANT),
    sa.Column("article_count", sa.Integer, nullable=False),
    sa.Column("created_seq", sa.Integer, nullable=False),
    sa.Column("updated_at", _INSTANT, nullable=False),
    sa.Index("ix_stories_last_seen", "last_seen", "created_seq"),
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

#: The tables :mod:`newsfold.migrations` creates and changes; any other table in ``metadata`` is created
#: when missing.
MIGRATED_TABLES = frozenset({"articles", "stories", "state", "schema_version"})


def story_sources(sources: Iterable[str | None]) -> list[str]:
    """A story's outlets in order of first article, each once however its feeds spell it ("Gulf Times",
    "GULF TIMES", "Gulf  Times "): under its first spelling, spaces tidied."""
    seen: dict[str, str] = {}
    for source in sources:
        if source and source.strip():
            seen.setdefault(" ".join(source.casefold().split()), " ".join(source.split()))
    return list(seen.values())


def resolve_db_url(db: str | os.PathLike[str] | None) -> str:
    """A database URL from ``--db``: a URL as is, a path as SQLite, nothing as ``$NEWSFOLD_DB`` or ./newsfold.db."""
    value = str(db) if db else os.environ.get("NEWSFOLD_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def engine_url(url: str) -> sa.URL:
    """The SQLAlchemy URL to connect with: ``postgresql://`` and ``postgres://`` use the psycopg 3 driver."""
    target = sa.make_url(url)
    if target.drivername in ("postgresql", "postgres"):
        target = target.set(drivername="postgresql+psycopg")
    return target


def shown_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages and logs."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


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
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            folder = Path(url.removeprefix("sqlite:///")).expanduser().parent
            if not folder.is_dir():
                raise StoreError(f"cannot open store {url}: the folder {folder} does not exist")
        try:
            self.engine: Engine = _create_engine(url)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"cannot open store {shown_url(url)}: {exc}") from exc
        try:
            self.create_missing_tables()
        except BaseException:
            self.engine.dispose()
            raise

    # --- lifecycle -------------------------------------------------------------------------------------
    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def create_missing_tables(self) -> None:
        """Bring the schema up to date, and create any table added to ``metadata`` since the store opened.

        Runs when a store opens; safe to call again (it takes the migration lock and does only what is missing).
        """
        extra = [t for t in metadata.sorted_tables if t.name not in MIGRATED_TABLES]
        deadline = time.monotonic() + LOCKED_RETRY_SECONDS
        delay = 0.05
        while True:
            try:
                migrate(self.engine, extra_tables=extra)
                return
            except sa.exc.OperationalError as exc:
                # SQLite answers "database is locked" at once, without waiting, when stores opened at the
                # same moment upgrade their transactions together; waiting and trying again resolves it.
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"cannot open store {shown_url(self.url)}: {exc}") from exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
            except sa.exc.SQLAlchemyError as exc:
                raise StoreError(f"cannot open store {shown_url(self.url)}: {exc}") from exc

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
    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """One connection for many calls (a batch): pass it as ``conn`` and commit it after each write.

        A connection from the pool costs more than a small query; the pipeline holds one for a whole batch.
        Whatever is left uncommitted when the block ends is rolled back.
        """
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _reading(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
        else:
            with self.engine.connect() as own:
                yield own

    def has_article(self, article_id: str, conn: Connection | None = None) -> bool:
        with self._reading(conn) as c:
            return c.execute(_ARTICLE_EXISTS, {"id": article_id}).first() is not None

    def find_by_hash(self, content_hash: str, conn: Connection | None = None) -> str | None:
        """Id of the earliest stored article with this clean-text hash."""
        with self._reading(conn) as c:
            return c.execute(_ARTICLE_BY_HASH, {"content_hash": content_hash}).scalar()

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
        _check_storable(article)
        now = _now()
        # The article first: a second writer of the same id fails here (IntegrityError), before any story
        # change, and on PostgreSQL it waits for the first writer's commit to learn that.
        result = conn.execute(
            _ARTICLE_INSERT,
            {
                "id": article.id,
                "source": article.source,
                "url": article.url,
                "title": article.title,
                "published": _iso(article.published),
                "text": article.text,
                "clean_text": article.clean_text,
                "removed": json.dumps([{"text": r.text, "reason": r.reason} for r in article.removed]),
                "metadata": json.dumps(article.metadata, default=str),
                "origin": article.origin,
                "content_hash": content_hash,
                "duplicate_of": article.duplicate_of,
                "story_id": article.story_id,
                "ingested_at": now,
            },
        )
        seq = result.inserted_primary_key[0]
        # A story is seen when its articles were published, but never later than they arrived: an article
        # dated in the future (a feed's error, a typo) cannot keep its story at the top of "newest first".
        published = _iso(article.published)
        seen = min(published, now) if published else now
        # Create the story or update it in one statement: a read-then-write would let two writers of the
        # same story both read the old count. The story keeps the title it was created with.
        conn.execute(
            _story_upsert(conn.dialect.name),
            {
                "id": article.story_id,
                "title": story_title,
                "first_seen": seen,
                "last_seen": seen,
                "article_count": 1,
                "created_seq": seq,
                "updated_at": now,
            },
        )

    def check_storable(self, article: Article) -> None:
        """Raise :class:`StoreError` if ``add_article`` would refuse ``article`` (NUL characters, an overlong id).

        The pipeline calls this before any in-memory index learns from the article.
        """
        _check_storable(article)

    def get_article(self, article_id: str, conn: Connection | None = None) -> Article | None:
        with self._reading(conn) as c:
            row = c.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return _row_to_article(row) if row else None

    def iter_articles(self, *, story_id: str | None = None, since_seq: int = 0) -> Iterator[Article]:
        """Stored articles in ingest order, streamed (a server-side cursor on PostgreSQL)."""
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

        return Story(
            id=row.id,
            title=row.title,
            article_ids=[m.id for m in members],
            sources=story_sources(m.source for m in members),
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
        insert = _insert(conn, state).values(key=key, value=value)
        conn.execute(
            insert.on_conflict_do_update(index_elements=[state.c.key], set_={"value": insert.excluded.value})
        )

    def load_state(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(state.c.value).where(state.c.key == key)).scalar()


def _create_engine(url: str) -> Engine:
    target = engine_url(url)
    backend = target.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(target)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend != "postgresql":
        raise StoreError(
            f"cannot open store {shown_url(url)}: newsfold stores data in SQLite (a path) "
            f"or PostgreSQL (postgresql://...), not {backend}"
        )
    connect_args = {} if "connect_timeout" in target.query else {"connect_timeout": 10}
    try:
        # pre_ping: a long-running server outlives database restarts and idle-connection reaping.
        return sa.create_engine(target, pool_pre_ping=True, connect_args=connect_args)
    except ImportError as exc:
        raise StoreError(
            f"cannot open store {shown_url(url)}: its driver {exc.name or ''} is not installed; "
            "for postgresql:// URLs install psycopg with: pip install 'newsfold[postgres]'"
        ) from None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # The timeout first: switching to WAL needs a lock another process may hold for a moment.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # SQLite's own lower() folds ASCII only: "ZÜRICH" would not find "Zürich" in a case-insensitive search.
    # PostgreSQL's lower() folds every letter; this makes SQLite's do the same.
    dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


# The statements run once per ingested article, built once: building them per article cost more than
# running them on SQLite.
_ARTICLE_INSERT = articles.insert()
_ARTICLE_EXISTS = sa.select(articles.c.seq).where(articles.c.id == sa.bindparam("id"))
_ARTICLE_BY_HASH = (
    sa.select(articles.c.id)
    .where(articles.c.content_hash == sa.bindparam("content_hash"))
    .order_by(articles.c.seq)
    .limit(1)
)


@lru_cache(maxsize=2)
def _story_upsert(dialect_name: str) -> Any:
    """Insert a story, or fold a new article's times into it (SQLite and PostgreSQL share ON CONFLICT)."""
    insert = (postgresql if dialect_name == "postgresql" else sqlite).insert(stories)
    new = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=[stories.c.id],
        set_={
            "first_seen": sa.case(
                (stories.c.first_seen.is_(None), new.first_seen),
                (new.first_seen < stories.c.first_seen, new.first_seen),
                else_=stories.c.first_seen,
            ),
            "last_seen": sa.case(
                (stories.c.last_seen.is_(None), new.last_seen),
                (new.last_seen > stories.c.last_seen, new.last_seen),
                else_=stories.c.last_seen,
            ),
            "article_count": stories.c.article_count + 1,
            "updated_at": new.updated_at,
        },
    )


def _insert(conn: Connection, table: sa.Table) -> Any:
    """An INSERT that can say ON CONFLICT, in the dialect of ``conn`` (SQLite and PostgreSQL share the syntax)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _check_storable(article: Article) -> None:
    """Refuse, on every backend alike, what PostgreSQL cannot store, so both keep the same articles."""
    for name, value in (("id", article.id), ("duplicate_of", article.duplicate_of)):
        if value is not None and len(value) > MAX_ID_LENGTH:
            raise StoreError(
                f"article {value[:40]!r}...: {name} is {len(value)} characters; "
                f"the store keeps at most {MAX_ID_LENGTH}"
            )
    fields = {
        "id": article.id,
        "text": article.text,
        "clean_text": article.clean_text,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "origin": article.origin,
        "story_id": article.story_id,
        "duplicate_of": article.duplicate_of,
    }
    for name, value in fields.items():
        if value and "\x00" in value:
            raise StoreError(
                f"article {article.id[:80]!r}: its {name} holds a NUL character (\\x00), "
                "which PostgreSQL cannot store"
            )


def open_store(db: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating if needed) the store at a path or URL; ``None`` means ``$NEWSFOLD_DB`` or ./newsfold.db."""
    return Store(resolve_db_url(db))
