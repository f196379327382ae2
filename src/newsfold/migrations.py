"""Schema migrations: an ordered list of steps, each taking a store from one version to the next.

A store records each step applied to it in ``schema_version``. Opening a store applies the missing steps
in one transaction under a lock (a PostgreSQL advisory lock; SQLite's write lock, taken by BEGIN IMMEDIATE),
so two processes opening a new store at once neither race nor apply a step twice, and a step that fails
leaves the store as it was. A store newer than this code is refused rather than misread.

A step writes out the tables and columns it touches instead of taking them from :mod:`newsfold.store`,
so it does the same thing in a year as on the day it was written. To change the schema, change the
tables in ``store.py`` and append a step here that makes the same change; ``LATEST`` follows the list, and
``tests/test_store_postgres.py`` checks that the steps build what ``store.py`` declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from newsfold.errors import StoreError

__all__ = ["Migration", "MIGRATIONS", "LATEST", "migrate", "current_version"]

#: The PostgreSQL advisory lock held while migrating: the bytes of "newsfold" as one 64-bit key.
LOCK_KEY = int.from_bytes(b"newsfold", "big")

_versions = sa.Table("schema_version", sa.MetaData(), sa.Column("version", sa.Integer, primary_key=True))


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: ``apply`` takes a store at ``version - 1`` to ``version``, inside the caller's transaction."""

    version: int
    summary: str
    apply: Callable[[Connection], None]


def instant() -> sa.types.TypeEngine:
    """The column type of every point in time: ISO 8601 UTC text.

    Collation "C" keeps PostgreSQL's order the byte order SQLite and Python use.
    """
    return sa.String(40).with_variant(sa.String(40, collation="C"), "postgresql")


def _v1_articles_stories_state(conn: Connection) -> None:
    # A frozen copy of the first schema, not a reference to store.py's tables: a migration must keep
    # building what it built when it was written, whatever the tables become later (a test checks that
    # all migrations together build what store.py declares).
    meta = sa.MetaData()
    sa.Table(
        "articles",
        meta,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(512), nullable=False, unique=True),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", instant()),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("clean_text", sa.Text, nullable=False),
        sa.Column("removed", sa.Text, nullable=False),
        sa.Column("metadata", sa.Text, nullable=False),
        sa.Column("origin", sa.Text),
        sa.Column("content_hash", sa.String(64), index=True),
        sa.Column("duplicate_of", sa.String(512)),
        sa.Column("story_id", sa.String(64), index=True),
        sa.Column("ingested_at", instant(), nullable=False),
    )
    sa.Table(
        "stories",
        meta,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_seen", instant()),
        sa.Column("last_seen", instant()),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("created_seq", sa.Integer, nullable=False),
        sa.Column("updated_at", instant(), nullable=False),
    )
    sa.Table(
        "state",
        meta,
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    # checkfirst: a store from before migrations may hold these tables without its version row.
    meta.create_all(conn, checkfirst=True)


def _v2_stories_newest_first_index(conn: Connection) -> None:
    # The story list (CLI, API, web) pages through stories newest first; without this it sorts them all.
    conn.execute(
        sa.text("CREATE INDEX IF NOT EXISTS ix_stories_last_seen ON stories (last_seen, created_seq)")
    )


def _v3_word_hash_content_hashes(conn: Connection) -> None:
    # Copy detection moved to word hashes computed on the bytes (newsfold.dedup.word_hashes), and the exact-copy
    # hash with it. Stored hashes are recomputed from the stored clean text so that a copy arriving after the
    # upgrade still finds its stored original by hash. The one step that calls newsfold code: its job is to
    # agree with that code; should the hash change again, a later step recomputes it again.
    from newsfold.dedup import content_hash

    articles = sa.table("articles", sa.column("seq"), sa.column("clean_text"), sa.column("content_hash"))
    last = -1
    while True:
        rows = conn.execute(
            sa.select(articles.c.seq, articles.c.clean_text)
            .where(articles.c.seq > last)
            .order_by(articles.c.seq)
            .limit(1000)
        ).all()
        if not rows:
            return
        conn.execute(
            articles.update().where(articles.c.seq == sa.bindparam("at")),
            [{"at": seq, "content_hash": content_hash(text)} for seq, text in rows],
        )
        last = rows[-1][0]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, stories and pipeline state", _v1_articles_stories_state),
    Migration(2, "index stories by last seen, for the newest-first list", _v2_stories_newest_first_index),
    Migration(3, "exact-copy hashes of stored articles from word hashes", _v3_word_hash_content_hashes),
)
LATEST = MIGRATIONS[-1].version
assert [m.version for m in MIGRATIONS] == list(range(1, LATEST + 1)), "migrations must be numbered 1, 2, ..."


def current_version(conn: Connection) -> int:
    """The schema version of the store on ``conn``: the newest step it records, 0 for an empty database."""
    if not sa.inspect(conn).has_table(_versions.name):
        return 0
    return int(conn.execute(sa.select(sa.func.max(_versions.c.version))).scalar() or 0)


def migrate(engine: Engine, *, extra_tables: Iterable[sa.Table] = (), upto: int = LATEST) -> int:
    """Apply the steps the store at ``engine`` lacks, up to ``upto``; returns the version it had before.

    ``extra_tables`` (tables other modules add to ``newsfold.store.metadata``) are then created if missing,
    in the same transaction. Raises :class:`StoreError` for a store newer than this code.
    """
    with engine.connect() as conn:
        _lock(conn)
        _versions.create(conn, checkfirst=True)
        found = current_version(conn)
        if found > LATEST:
            shown = engine.url.render_as_string(hide_password=True)
            raise StoreError(
                f"store {shown} has schema version {found}, newer than this newsfold knows ({LATEST}): "
                "upgrade newsfold to open it"
            )
        for step in MIGRATIONS:
            if found < step.version <= upto:
                step.apply(conn)
                conn.execute(_versions.insert().values(version=step.version))
        for table in extra_tables:
            table.create(conn, checkfirst=True)
        conn.commit()
    return found


def _lock(conn: Connection) -> None:
    """Start the migration transaction holding a lock only one process at a time can have."""
    if conn.dialect.name == "postgresql":
        # Released by the commit or rollback that ends the transaction.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        # The Python driver would begin lazily and as a reader; IMMEDIATE takes the write lock now, and a
        # second process waits for it (busy_timeout), then finds the steps applied.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
