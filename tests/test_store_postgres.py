"""The store on PostgreSQL: the behaviours of test_store.py and the pipeline's, against a real server.

The server comes from ``$NEWSFOLD_TEST_PG_URL`` (``eval "$(./scripts/ci-services)"`` starts one and sets it);
every test gets a schema of its own, dropped afterwards. Without the variable, or with a server that cannot
be reached, the PostgreSQL tests skip and say why. Tests marked "both backends" run on SQLite too: they pin
what the two must do alike (migrations, the CLI ingesting while another process reads, the same exports).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from builders import stored_article

from newsfold.article import Article, Removed
from newsfold.dedup import content_hash
from newsfold.errors import StoreError
from newsfold.migrations import LATEST, migrate
from newsfold.pipeline import Pipeline, ingest
from newsfold.readers import read_inputs
from newsfold.store import (
    MIGRATED_TABLES,
    Store,
    engine_url,
    metadata,
    open_store,
    resolve_db_url,
)

pytestmark = pytest.mark.usefixtures("no_db_env")

PG_URL_VAR = "NEWSFOLD_TEST_PG_URL"
HOW_TO_START = 'run `eval "$(./scripts/ci-services)"` as root to start one'
SCRIPT = Path(sys.executable).with_name("newsfold")
CEST = timezone(timedelta(hours=2))
SEED_000 = "000_3bbf104ab086ed80"
SEED_002 = "002_80ae66bd9b1465fe"
EVENTS = ["bridge", "strike", "ferry", "fire"]


# --- servers and stores ------------------------------------------------------------------------------------


@contextmanager
def fresh_schema(server_url: str) -> Iterator[str]:
    """A new, empty schema; yields a URL whose connections work in it. Dropped with everything in it after."""
    name = f"newsfold_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(engine_url(server_url))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        yield (
            sa.make_url(server_url)
            .update_query_dict({"options": f"-csearch_path={name}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as conn:
            # A reader a failed test left open must not hang the suite.
            conn.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A URL for a store of its own on the test server."""
    with fresh_schema(pg_server) as url:
        yield url


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    with open_store(pg_url) as opened:
        yield opened


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both backends: a fresh SQLite file, then a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    return request.getfixturevalue("pg_url")


# --- helpers -----------------------------------------------------------------------------------------------


def add(store: Store, article: Article, title: str = "A story", conn: sa.Connection | None = None) -> None:
    store.add_article(article, content_hash(article.clean_text), title, conn)


def table_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("articles", "stories", "state", "schema_version")
        }


def versions(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars())


def article_count_column(store: Store, story_id: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT article_count FROM stories WHERE id = :id"), {"id": story_id}
        ).scalar()


def read_seed(seeds_dir: Path, stem: str) -> Article:
    [article] = list(read_inputs([seeds_dir / f"{stem}.txt"]))
    assert isinstance(article, Article)
    return article


def newsfold(*args: str) -> subprocess.CompletedProcess:
    """Run the installed ``newsfold`` in a process of its own."""
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "FORCE_COLOR", "NEWSFOLD_DB"}}
    return subprocess.run(
        [str(SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=180,
    )


def in_thread(target: Callable[[], object]) -> tuple[threading.Thread, dict[str, object]]:
    """Start ``target`` in a thread; the dict gets its ``result`` or its ``error``."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = target()
        except BaseException as exc:  # handed back to the test, which asserts on it
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


# --- opening: URLs, drivers, errors (no server needed) -----------------------------------------------------
def test_postgresql_urls_use_the_psycopg_3_driver():
    assert str(engine_url("postgresql://u@db.example/news")) == "postgresql+psycopg://u@db.example/news"
    assert (
        str(engine_url("postgres://u@db.example:5433/news")) == "postgresql+psycopg://u@db.example:5433/news"
    )
    # A driver named explicitly is kept; SQLite URLs are left alone.
    assert str(engine_url("postgresql+psycopg2://u@h/n")) == "postgresql+psycopg2://u@h/n"
    assert str(engine_url("sqlite:///news.db")) == "sqlite:///news.db"


def test_an_unreachable_server_is_a_store_error_that_hides_the_password():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot open store") as caught:
        open_store("postgresql://newsfold:s3cret-pw@127.0.0.1:1/news?connect_timeout=3")
    assert "s3cret-pw" not in str(caught.value)
    assert "postgresql://newsfold:***@127.0.0.1:1/news" in str(caught.value)


def test_a_database_other_than_sqlite_or_postgresql_is_refused_clearly():
    with pytest.raises(StoreError, match="SQLite .* or PostgreSQL"):
        open_store("mysql://u:pw@localhost/news")


# --- articles (as in test_store.py) ------------------------------------------------------------------------
def test_article_round_trips_every_field(pg_store):
    original = stored_article("a1", published=datetime(2024, 3, 5, 11, 30, tzinfo=CEST))
    original.duplicate_of = "a0"
    add(pg_store, original)
    back = pg_store.get_article("a1")
    assert back is not None
    assert back == Article(
        id="a1",
        text=original.text,
        source="Avon Echo",
        url="https://example.org/a1",
        title="Title of a1",
        published=datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
        metadata={"lang": "en", "tags": ["council", "bridge"], "words": 14},
        origin="feed.jsonl:a1",
        clean_text=original.clean_text,
        removed=[Removed("Advertisement", "advertisement")],
        duplicate_of="a0",
        story_id="s-1",
    )
    assert back.published.utcoffset() == timedelta(0)


def test_article_without_optional_fields_round_trips(pg_store):
    add(pg_store, Article(id="bare", text="Text.", clean_text="Text.", story_id="s-bare"))
    back = pg_store.get_article("bare")
    assert back is not None
    assert [back.source, back.url, back.title, back.published, back.duplicate_of] == [None] * 5
    assert back.removed == [] and back.metadata == {} and back.origin == ""


def test_unicode_text_round_trips(pg_store):
    text = "Ταχυδρόμος “quoted” — naïve café 東京 🚒"
    add(pg_store, stored_article("u", text=text))
    assert pg_store.get_article("u").clean_text == text


def test_has_get_count_and_missing(pg_store):
    assert pg_store.count_articles() == 0 and pg_store.max_seq() == 0
    assert pg_store.get_article("nope") is None and not pg_store.has_article("a1")
    add(pg_store, stored_article("a1"))
    add(pg_store, stored_article("a2"))
    assert pg_store.has_article("a1") and pg_store.has_article("a2")
    assert pg_store.count_articles() == 2 and pg_store.max_seq() == 2


def test_iter_articles_in_ingest_order_and_by_story(pg_store):
    for article_id, story_id in [("c", "s-1"), ("a", "s-2"), ("b", "s-1")]:
        add(pg_store, stored_article(article_id, story_id=story_id))
    assert [a.id for a in pg_store.iter_articles()] == ["c", "a", "b"]
    assert [a.id for a in pg_store.iter_articles(story_id="s-1")] == ["c", "b"]
    assert [a.id for a in pg_store.iter_articles(since_seq=1)] == ["a", "b"]
    assert [(seq, a.id) for seq, a in pg_store.iter_articles_since(1)] == [(2, "a"), (3, "b")]


def test_find_by_hash_gives_the_earliest_stored(pg_store):
    add(pg_store, stored_article("first", text="Same words in both articles, exactly."))
    add(pg_store, stored_article("second", text="Same words in both articles, exactly."))
    assert pg_store.find_by_hash(content_hash("Same words in both articles, exactly.")) == "first"
    assert pg_store.find_by_hash(content_hash("Other words.")) is None


def test_adding_an_id_twice_fails_and_changes_nothing(pg_store):
    add(pg_store, stored_article("a1", published=datetime(2024, 3, 5, tzinfo=UTC)))
    with pytest.raises(sa.exc.IntegrityError):
        add(pg_store, stored_article("a1", published=datetime(2024, 1, 1, tzinfo=UTC)))
    assert pg_store.count_articles() == 1
    story = pg_store.get_story("s-1")
    assert story.article_ids == ["a1"]
    assert story.first_seen == datetime(2024, 3, 5, tzinfo=UTC)
    assert article_count_column(pg_store, "s-1") == 1


def test_transaction_rolls_back_article_and_story_together(pg_store):
    with pytest.raises(RuntimeError), pg_store.transaction() as conn:
        add(pg_store, stored_article("a1", story_id="s-9"), "Doomed", conn)
        raise RuntimeError("crash before commit")
    assert pg_store.count_articles() == 0 and pg_store.count_stories() == 0
    assert pg_store.get_story("s-9") is None


def test_iter_articles_streams_through_a_server_side_cursor(pg_store):
    import psycopg

    for i in range(3):
        add(pg_store, stored_article(f"a{i}"))
    cursors: list[type] = []

    def note_cursor(conn, cursor, statement, parameters, context, executemany):
        if "FROM articles" in statement:
            cursors.append(type(cursor))

    sa.event.listen(pg_store.engine, "before_cursor_execute", note_cursor)
    stream = pg_store.iter_articles()
    assert next(stream).id == "a0"
    assert cursors and all(issubclass(c, psycopg.ServerCursor) for c in cursors)
    # The open cursor blocks no writer, and keeps reading the rows as they were when it opened.
    add(pg_store, stored_article("a3"))
    assert [a.id for a in stream] == ["a1", "a2"]
    assert [a.id for a in pg_store.iter_articles()] == ["a0", "a1", "a2", "a3"]


# --- stories (as in test_store.py) -------------------------------------------------------------------------
def test_story_tracks_first_and_last_seen_and_members(pg_store):
    day = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    add(pg_store, stored_article("mid", published=day), title="Bridge approved")
    add(pg_store, stored_article("late", published=day + timedelta(days=1), source="Western Post"), "Later")
    add(pg_store, stored_article("early", published=day - timedelta(hours=5)), title="Earlier")
    story = pg_store.get_story("s-1")
    assert story.title == "Bridge approved"  # a story keeps the title it was created with
    assert story.article_ids == ["mid", "late", "early"]
    assert story.sources == ["Avon Echo", "Western Post"]
    assert story.first_seen == day - timedelta(hours=5)
    assert story.last_seen == day + timedelta(days=1)
    assert pg_store.count_stories() == 1
    assert article_count_column(pg_store, "s-1") == 3


def test_story_seen_times_compare_instants_not_local_clocks(pg_store):
    add(pg_store, stored_article("utc", published=datetime(2024, 3, 5, 9, 0, tzinfo=UTC)))
    add(pg_store, stored_article("cest", published=datetime(2024, 3, 5, 10, 0, tzinfo=CEST)))
    story = pg_store.get_story("s-1")
    assert story.first_seen == datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
    assert story.last_seen == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)


def test_seen_times_order_by_time_whatever_the_database_collation(pg_store):
    # Instants are ISO text: "09:00:00+00:00" sorts before "09:00:00.5+00:00" byte by byte, as time does,
    # but not under every collation a database may default to (an ICU one puts "." before "+"). The time
    # columns therefore use collation "C" on PostgreSQL, whatever the database's default.
    with pg_store.engine.connect() as conn:
        icu = conn.execute(sa.text("SELECT count(*) FROM pg_collation WHERE collname = 'und-x-icu'")).scalar()
        if icu:
            assert not conn.execute(
                sa.text("SELECT '09:00:00+00:00' < '09:00:00.5+00:00' COLLATE \"und-x-icu\"")
            ).scalar()
    columns = {c["name"]: c for c in sa.inspect(pg_store.engine).get_columns("stories")}
    assert columns["first_seen"]["type"].collation == columns["last_seen"]["type"].collation == "C"
    whole = datetime(2024, 3, 5, 9, 0, 0, tzinfo=UTC)
    add(pg_store, stored_article("half", story_id="s-half", published=whole + timedelta(microseconds=500000)))
    add(pg_store, stored_article("whole", story_id="s-whole", published=whole))
    assert [s.id for s in pg_store.iter_stories()] == ["s-half", "s-whole"]
    add(pg_store, stored_article("later-whole", story_id="s-half", published=whole))
    assert pg_store.get_story("s-half").first_seen == whole


def test_undated_article_is_seen_when_it_was_stored(pg_store):
    before = datetime.now(UTC)
    add(pg_store, stored_article("undated", published=None))
    after = datetime.now(UTC)
    story = pg_store.get_story("s-1")
    assert before <= story.first_seen <= after
    assert story.first_seen == story.last_seen


def test_iter_stories_newest_first_or_in_creation_order(pg_store):
    day = datetime(2024, 3, 5, tzinfo=UTC)
    add(pg_store, stored_article("a", story_id="s-old", published=day))
    add(pg_store, stored_article("b", story_id="s-new", published=day + timedelta(days=2)))
    add(pg_store, stored_article("c", story_id="s-mid", published=day + timedelta(days=1)))
    assert [s.id for s in pg_store.iter_stories()] == ["s-new", "s-mid", "s-old"]
    assert [s.id for s in pg_store.iter_stories(newest_first=False)] == ["s-old", "s-new", "s-mid"]
    assert [s.id for s in pg_store.iter_stories(limit=1)] == ["s-new"]
    assert [s.id for s in pg_store.iter_stories(limit=2, offset=1)] == ["s-mid", "s-old"]
    assert pg_store.get_story("s-none") is None


def test_state_is_saved_and_replaced(pg_store):
    assert pg_store.load_state("cursor") is None
    pg_store.save_state("cursor", "17")
    pg_store.save_state("cursor", "18")
    assert pg_store.load_state("cursor") == "18"
    assert table_counts(pg_store)["state"] == 1


def test_a_second_store_on_the_same_database_reads_what_the_first_wrote(pg_store, pg_url):
    add(pg_store, stored_article("a1", published=datetime(2024, 3, 5, tzinfo=UTC)))
    with open_store(pg_url) as other:
        assert other.get_article("a1") == pg_store.get_article("a1")
        add(other, stored_article("a2"))
    assert [s.article_ids for s in pg_store.iter_stories()] == [["a1", "a2"]]


# --- writers racing (PostgreSQL runs writers concurrently; SQLite takes them one at a time) ---------------
def test_a_second_writer_of_the_same_article_waits_then_fails_and_changes_nothing(pg_url):
    with open_store(pg_url) as first, open_store(pg_url) as second:
        inserted, release = threading.Event(), threading.Event()

        def first_writer() -> None:
            with first.transaction() as conn:
                add(first, stored_article("a1"), conn=conn)
                inserted.set()
                release.wait(30)

        writer, _ = in_thread(first_writer)
        assert inserted.wait(30)
        racer, raced = in_thread(lambda: add(second, stored_article("a1")))
        racer.join(0.5)
        assert racer.is_alive(), "the second writer should wait for the first one's commit"
        release.set()
        writer.join(30)
        racer.join(30)
        assert isinstance(raced.get("error"), sa.exc.IntegrityError)
        assert first.count_articles() == 1
        assert article_count_column(first, "s-1") == 1


def test_two_writers_adding_to_one_new_story_at_once_both_count(pg_url):
    day = datetime(2024, 3, 5, tzinfo=UTC)
    with open_store(pg_url) as first, open_store(pg_url) as second:
        inserted, release = threading.Event(), threading.Event()

        def first_writer() -> None:
            with first.transaction() as conn:
                add(first, stored_article("a", published=day), "First title", conn)
                inserted.set()
                release.wait(30)

        writer, wrote = in_thread(first_writer)
        assert inserted.wait(30)
        racer, raced = in_thread(lambda: add(second, stored_article("b", published=day - timedelta(days=1))))
        racer.join(0.5)
        release.set()
        writer.join(30)
        racer.join(30)
        assert "error" not in wrote and "error" not in raced, (wrote, raced)
        story = first.get_story("s-1")
        assert story.article_ids == ["a", "b"]
        assert story.title == "First title"
        assert (story.first_seen, story.last_seen) == (day - timedelta(days=1), day)
        assert article_count_column(first, "s-1") == 2


# --- migrations (both backends) ----------------------------------------------------------------------------
def test_a_new_store_records_every_migration(any_url):
    with open_store(any_url) as store:
        assert versions(store) == list(range(1, LATEST + 1))
        assert set(sa.inspect(store.engine).get_table_names()) >= MIGRATED_TABLES


def test_the_migrations_build_the_tables_store_py_declares(any_url, tmp_path, request):
    def describe(engine: sa.Engine) -> dict:
        inspector = sa.inspect(engine)
        return {
            name: {
                "columns": [
                    (c["name"], str(c["type"]), getattr(c["type"], "collation", None), c["nullable"])
                    for c in inspector.get_columns(name)
                ],
                "pk": inspector.get_pk_constraint(name)["constrained_columns"],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(name)
                ),
                "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)),
            }
            for name in sorted(MIGRATED_TABLES)
        }

    @contextmanager
    def declared() -> Iterator[sa.Engine]:
        # The same backend, built straight from store.py's tables.
        if any_url.startswith("postgresql"):
            with fresh_schema(request.getfixturevalue("pg_server")) as url:
                engine = sa.create_engine(engine_url(url))
                yield engine
                engine.dispose()
        else:
            engine = sa.create_engine(f"sqlite:///{tmp_path / 'declared.db'}")
            yield engine
            engine.dispose()

    with open_store(any_url) as store, declared() as engine:
        metadata.create_all(engine, tables=[metadata.tables[name] for name in MIGRATED_TABLES])
        assert describe(store.engine) == describe(engine)


def test_an_older_store_is_upgraded_and_keeps_its_data(any_url):
    old = sa.create_engine(engine_url(resolve_db_url(any_url)))
    assert migrate(old, upto=1) == 0
    with old.begin() as conn:
        conn.execute(sa.text("INSERT INTO state (key, value) VALUES ('cursor', '7')"))
    old.dispose()
    with open_store(any_url) as store:
        assert versions(store) == list(range(1, LATEST + 1))
        assert store.load_state("cursor") == "7"
        indexes = {i["name"] for i in sa.inspect(store.engine).get_indexes("stories")}
        assert "ix_stories_last_seen" in indexes


def test_upgrading_recomputes_the_exact_copy_hashes_of_stored_articles(any_url):
    old = sa.create_engine(engine_url(resolve_db_url(any_url)))
    assert migrate(old, upto=2) == 0
    texts = {f"a{i}": f"Article {i}: the council approved the bridge." for i in range(3)}
    with old.begin() as conn:
        for article_id, text in texts.items():
            conn.execute(
                sa.text(
                    "INSERT INTO articles (id, text, clean_text, removed, metadata, content_hash, ingested_at) "
                    "VALUES (:id, :text, :text, '[]', '{}', 'an old hash', '2024-03-05T09:00:00+00:00')"
                ),
                {"id": article_id, "text": text},
            )
    old.dispose()
    with open_store(any_url) as store:
        assert versions(store) == list(range(1, LATEST + 1))
        for article_id, text in texts.items():
            assert store.find_by_hash(content_hash(text)) == article_id
        assert store.find_by_hash("an old hash") is None


def test_a_store_newer_than_this_newsfold_is_refused(any_url):
    with open_store(any_url) as store, store.transaction() as conn:
        conn.execute(sa.text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": LATEST + 1})
    with pytest.raises(StoreError, match=rf"schema version {LATEST + 1}, newer .* upgrade newsfold"):
        open_store(any_url)


def test_stores_opened_at_the_same_moment_migrate_once(any_url):
    start = threading.Barrier(4)

    def open_one() -> None:
        start.wait(30)
        open_store(any_url).close()

    opened = [in_thread(open_one) for _ in range(4)]
    for thread, _ in opened:
        thread.join(60)
    assert [outcome.get("error") for _, outcome in opened] == [None] * 4
    with open_store(any_url) as store:
        assert versions(store) == list(range(1, LATEST + 1))


def test_tables_other_modules_add_to_the_metadata_are_created(any_url):
    rules = sa.Table("test_alert_rules", metadata, sa.Column("id", sa.Integer, primary_key=True))
    try:
        with open_store(any_url) as store:
            assert sa.inspect(store.engine).has_table("test_alert_rules")
            later = sa.Table("test_alert_log", metadata, sa.Column("id", sa.Integer, primary_key=True))
            try:
                store.create_missing_tables()
                assert sa.inspect(store.engine).has_table("test_alert_log")
            finally:
                metadata.remove(later)
    finally:
        metadata.remove(rules)


# --- the pipeline on PostgreSQL ----------------------------------------------------------------------------
def test_ingesting_the_seeds_gives_one_story_with_both(pg_store, seeds_dir):
    report = ingest(pg_store, [seeds_dir])
    assert (report.ingested, report.duplicates, report.skipped, report.new_stories) == (2, 0, 0, 1)
    assert report.errors == []
    [story] = list(pg_store.iter_stories())
    assert sorted(story.article_ids) == [SEED_000, SEED_002]
    for article_id in (SEED_000, SEED_002):
        article = pg_store.get_article(article_id)
        assert article.story_id == story.id and article.duplicate_of is None


def test_ingesting_twice_stores_nothing_new(pg_store, seeds_dir):
    ingest(pg_store, [seeds_dir])
    counts = table_counts(pg_store)
    exported = [a.to_dict() for a in pg_store.iter_articles()]
    again = ingest(pg_store, [seeds_dir])
    assert (again.ingested, again.skipped, again.new_stories, again.duplicates) == (0, 2, 0, 0)
    assert dict(again.skip_reasons) == {"already stored": 2}
    assert table_counts(pg_store) == counts
    assert counts["articles"] == 2 and counts["stories"] == 1
    assert [a.to_dict() for a in pg_store.iter_articles()] == exported


def test_a_story_continues_across_pipelines(pg_store, seeds_dir):
    Pipeline(pg_store).run([read_seed(seeds_dir, SEED_000)])
    report = Pipeline(pg_store).run([read_seed(seeds_dir, SEED_002)])
    assert report.new_stories == 0
    [story] = list(pg_store.iter_stories())
    assert story.article_ids == [SEED_000, SEED_002]


def test_crash_between_articles_keeps_what_was_stored_and_resumes(pg_store, pg_url, make_article):
    committed_before_next: list[bool] = []

    def crashing_reader():
        for name in EVENTS[:2]:
            yield make_article(name)
            with open_store(pg_url) as observer:
                committed_before_next.append(observer.has_article(name))
        raise RuntimeError("reader crashed")

    with pytest.raises(RuntimeError, match="reader crashed"):
        Pipeline(pg_store).run(crashing_reader())
    assert committed_before_next == [True, True]
    assert [a.id for a in pg_store.iter_articles()] == EVENTS[:2]

    report = Pipeline(pg_store).run([make_article(name) for name in EVENTS])
    assert (report.ingested, report.skipped) == (2, 2)
    assert dict(report.skip_reasons) == {"already stored": 2}
    assert [a.id for a in pg_store.iter_articles()] == EVENTS
    assert pg_store.count_stories() == 4


def test_copies_are_found_and_join_the_story(pg_store, make_article, reports, junk):
    body = reports["bridge"]
    scraped = make_article(
        "bridge", article_id="scraped", paragraphs=[junk["newsletter"], *body], source="Spam"
    )
    report = Pipeline(pg_store).run([make_article("bridge"), make_article("bridge-other"), scraped])
    assert (report.ingested, report.duplicates, report.new_stories) == (3, 1, 1)
    assert pg_store.get_article("scraped").duplicate_of == "bridge"
    [story] = list(pg_store.iter_stories())
    assert story.article_ids == ["bridge", "bridge-other", "scraped"]


def test_an_article_the_store_rejects_is_an_error_not_a_crash(pg_store, make_article, reports):
    broken = reports["strike"][:-1] + [reports["strike"][-1] + " \ud83d"]
    report = Pipeline(pg_store).run([make_article("strike", paragraphs=broken), make_article("ferry")])
    assert report.ingested == 1
    assert [e.where for e in report.errors] == ["test:strike"]
    assert [a.id for a in pg_store.iter_articles()] == ["ferry"]


def test_an_article_another_writer_stores_first_is_skipped_and_the_batch_goes_on(any_url, make_article):
    # The race concurrent ingests meet: another process stores the same id between this pipeline's check and
    # its write. The failed write must leave the batch's connection usable (PostgreSQL aborts the transaction).
    with open_store(any_url) as store:
        pipeline = Pipeline(store)
        assign = pipeline.clusterer.assign
        raced: list[str] = []

        def assign_then_lose_the_race(article, **kwargs):
            if not raced:
                raced.append(article.id)
                with open_store(any_url) as other:
                    Pipeline(other).run([make_article(article.id)], workers=1)
            return assign(article, **kwargs)

        pipeline.clusterer.assign = assign_then_lose_the_race
        report = pipeline.run([make_article(name) for name in EVENTS[:3]], workers=1)
        assert raced == [EVENTS[0]]
        assert (report.ingested, report.skipped, report.errors) == (2, 1, [])
        assert dict(report.skip_reasons) == {"already stored": 1}
        assert sorted(a.id for a in store.iter_articles()) == sorted(EVENTS[:3])
        assert store.count_stories() == 3


def test_nul_characters_and_overlong_ids_are_treated_alike_on_both_backends(any_url, make_article, reports):
    # A NUL in the text is dropped (PostgreSQL could not keep it); a NUL in the id, or an overlong id, is refused.
    nul = make_article("strike", paragraphs=[reports["strike"][0] + "\x00", *reports["strike"][1:]])
    nul_id = make_article("bridge", article_id="bridge\x00")
    long_id = make_article("fire", article_id="x" * 600)
    with open_store(any_url) as store:
        report = Pipeline(store).run([nul, nul_id, long_id, make_article("ferry")])
        assert report.ingested == 2
        # The overlong id is refused before any stage runs, as the readers' checks refuse bad fields.
        assert dict(report.skip_reasons) == {"processing error": 1, "input error": 1}
        assert "NUL character" in report.errors[0].message
        assert "600 characters" in report.errors[1].message
        assert [a.id for a in store.iter_articles()] == ["strike", "ferry"]
        stored = store.get_article("strike")
        assert "\x00" not in stored.text and stored.metadata["nul_removed"] == 1
        with pytest.raises(StoreError, match="NUL character"):
            store.check_storable(make_article("strike", paragraphs=["Text with a \x00 in it."]))


# --- the CLI, across processes (both backends) -------------------------------------------------------------
@contextmanager
def read_snapshot(store: Store, db: str) -> Iterator[Callable[[], int]]:
    """A reader in a transaction of its own, as another process would hold one; yields its article count."""
    if store.backend == "sqlite":
        raw = sqlite3.connect(db, isolation_level=None)
        try:
            raw.execute("BEGIN")
            yield lambda: raw.execute("SELECT count(*) FROM articles").fetchone()[0]
            raw.execute("COMMIT")
        finally:
            raw.close()
    else:
        with (
            store.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
            conn.begin(),
        ):
            yield lambda: conn.execute(sa.text("SELECT count(*) FROM articles")).scalar()


def test_the_cli_ingests_while_another_process_reads(any_url, make_article, seeds_dir):
    with open_store(any_url) as reader:
        Pipeline(reader).run([make_article(name) for name in EVENTS])
        stream = reader.iter_articles()
        assert next(stream).id == EVENTS[0]
        with read_snapshot(reader, any_url) as count:
            assert count() == 4
            result = newsfold("ingest", str(seeds_dir), "--db", any_url)
            assert result.returncode == 0, result.stderr
            assert "ingested 2 articles" in " ".join(result.stderr.split())
            # The reader keeps the view it started with (WAL on SQLite, MVCC on PostgreSQL)...
            assert count() == 4
        assert [a.id for a in stream] == EVENTS[1:]
        # ...and sees the new articles once it reads again.
        assert reader.count_articles() == 6
        assert reader.has_article(SEED_000) and reader.has_article(SEED_002)


def undated_times_masked(stories: list[dict], articles: list[dict]) -> list[dict]:
    """Stories with the seen times of undated-only stories (which are ingest times) masked."""
    undated = {a["id"] for a in articles if a["published"] is None}
    masked = []
    for story in stories:
        if set(story["article_ids"]) <= undated:
            story = {**story, "first_seen": "(ingest time)", "last_seen": "(ingest time)"}
        masked.append(story)
    return masked


def test_postgresql_exports_equal_sqlites_for_the_same_input(
    pg_url, tmp_path, seeds_dir, make_article, reports, junk
):
    inputs = tmp_path / "in"
    inputs.mkdir()
    scraped = make_article(
        "bridge",
        article_id="scraped",
        paragraphs=[junk["newsletter"], *reports["bridge"], junk["promo-spam"]],
    )
    scraped.published = make_article("bridge").published + timedelta(hours=2)
    records = [make_article(name) for name in [*EVENTS, "bridge-other"]] + [scraped]
    (inputs / "feed.jsonl").write_text(
        "".join(
            json.dumps({"id": a.id, "text": a.text, "source": a.source, "published": a.published.isoformat()})
            + "\n"
            for a in records
        ),
        encoding="utf-8",
    )
    # The PostgreSQL store through the postgres:// spelling, which must work like postgresql://.
    pg = "postgres://" + pg_url.split("://", 1)[1]
    exports = {}
    for name, db in (("sqlite", str(tmp_path / "news.db")), ("postgresql", pg)):
        for source in (seeds_dir, inputs):
            result = newsfold("ingest", str(source), "--db", db)
            assert result.returncode == 0, result.stderr
        articles = newsfold("export", "articles", "--db", db)
        stories = newsfold("export", "stories", "--db", db)
        assert articles.returncode == 0 and stories.returncode == 0, articles.stderr + stories.stderr
        article_rows = [json.loads(line) for line in articles.stdout.splitlines()]
        story_rows = [json.loads(line) for line in stories.stdout.splitlines()]
        exports[name] = (article_rows, undated_times_masked(story_rows, article_rows))
    sqlite_articles, sqlite_stories = exports["sqlite"]
    assert len(sqlite_articles) == 8 and len(sqlite_stories) == 5
    assert sum(a["duplicate_of"] == "bridge" for a in sqlite_articles) == 1
    assert exports["postgresql"] == exports["sqlite"]
