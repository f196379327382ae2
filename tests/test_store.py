"""The store: articles and stories round-trip, story bookkeeping, URL resolution, WAL and sharing a file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from builders import stored_article

from newsfold.article import Article, Removed
from newsfold.dedup import content_hash
from newsfold.errors import StoreError
from newsfold.store import DEFAULT_DB, Store, open_store, resolve_db_url

pytestmark = pytest.mark.usefixtures("no_db_env")

CEST = timezone(timedelta(hours=2))


def add(store: Store, article: Article, title: str = "A story") -> None:
    store.add_article(article, content_hash(article.clean_text), title)


# --- articles ----------------------------------------------------------------------------------------------
def test_article_round_trips_every_field(store):
    original = stored_article("a1", published=datetime(2024, 3, 5, 11, 30, tzinfo=CEST))
    original.duplicate_of = "a0"
    add(store, original)
    back = store.get_article("a1")
    assert back is not None
    assert back.id == "a1"
    assert back.text == original.text
    assert back.clean_text == original.clean_text
    assert back.source == "Avon Echo"
    assert back.url == "https://example.org/a1"
    assert back.title == "Title of a1"
    assert back.metadata == {"lang": "en", "tags": ["council", "bridge"], "words": 14}
    assert back.origin == "feed.jsonl:a1"
    assert back.removed == [Removed("Advertisement", "advertisement")]
    assert back.duplicate_of == "a0"
    assert back.story_id == "s-1"
    # The same instant, given back in UTC.
    assert back.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert back.published.utcoffset() == timedelta(0)


def test_article_without_optional_fields_round_trips(store):
    bare = Article(id="bare", text="Text.", clean_text="Text.", story_id="s-bare")
    add(store, bare)
    back = store.get_article("bare")
    assert back is not None
    assert [back.source, back.url, back.title, back.published, back.duplicate_of] == [None] * 5
    assert back.removed == [] and back.metadata == {} and back.origin == ""


def test_unicode_text_round_trips(store):
    text = "Ταχυδρόμος “quoted” — naïve café 東京 🚒"
    add(store, stored_article("u", text=text))
    back = store.get_article("u")
    assert back is not None and back.clean_text == text


def test_has_get_count_and_missing(store):
    assert store.count_articles() == 0
    assert store.get_article("nope") is None
    assert not store.has_article("a1")
    add(store, stored_article("a1"))
    add(store, stored_article("a2"))
    assert store.has_article("a1") and store.has_article("a2")
    assert store.count_articles() == 2


def test_iter_articles_in_ingest_order_and_by_story(store):
    for article_id, story_id in [("c", "s-1"), ("a", "s-2"), ("b", "s-1")]:
        add(store, stored_article(article_id, story_id=story_id))
    assert [a.id for a in store.iter_articles()] == ["c", "a", "b"]
    assert [a.id for a in store.iter_articles(story_id="s-1")] == ["c", "b"]
    assert [a.id for a in store.iter_articles(since_seq=1)] == ["a", "b"]


def test_find_by_hash_gives_the_earliest_stored(store):
    add(store, stored_article("first", text="Same words in both articles, exactly."))
    add(store, stored_article("second", text="Same words in both articles, exactly."))
    assert store.find_by_hash(content_hash("Same words in both articles, exactly.")) == "first"
    assert store.find_by_hash(content_hash("Other words.")) is None


def test_adding_an_id_twice_fails_and_changes_nothing(store):
    add(store, stored_article("a1", published=datetime(2024, 3, 5, tzinfo=UTC)))
    with pytest.raises(sa.exc.IntegrityError):
        add(store, stored_article("a1", published=datetime(2024, 1, 1, tzinfo=UTC)))
    assert store.count_articles() == 1
    story = store.get_story("s-1")
    assert story is not None
    assert story.article_ids == ["a1"]
    assert story.first_seen == datetime(2024, 3, 5, tzinfo=UTC)


def test_transaction_rolls_back_article_and_story_together(store):
    with pytest.raises(RuntimeError), store.transaction() as conn:
        store.add_article(stored_article("a1", story_id="s-9"), "h", "Doomed", conn)
        raise RuntimeError("crash before commit")
    assert store.count_articles() == 0
    assert store.count_stories() == 0
    assert store.get_story("s-9") is None


# --- stories -----------------------------------------------------------------------------------------------
def test_story_tracks_first_and_last_seen_and_members(store):
    day = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    add(store, stored_article("mid", published=day), title="Bridge approved")
    add(
        store, stored_article("late", published=day + timedelta(days=1), source="Western Post"), title="Later"
    )
    add(store, stored_article("early", published=day - timedelta(hours=5)), title="Earlier")
    story = store.get_story("s-1")
    assert story is not None
    assert story.id == "s-1"
    assert story.title == "Bridge approved"  # a story keeps the title it was created with
    assert story.article_ids == ["mid", "late", "early"]  # ingest order
    assert story.sources == ["Avon Echo", "Western Post"]
    assert story.first_seen == day - timedelta(hours=5)
    assert story.last_seen == day + timedelta(days=1)
    assert store.count_stories() == 1


def test_an_article_dated_in_the_future_counts_as_seen_when_it_arrived(store):
    before = datetime.now(UTC)
    add(store, stored_article("typo", published=datetime(9999, 12, 31, tzinfo=UTC)))
    story = store.get_story("s-1")
    assert before <= story.last_seen <= datetime.now(UTC)  # not year 9999: the list stays newest first
    assert store.get_article("typo").published.year == 9999  # the article keeps the date it was given


def test_story_seen_times_compare_instants_not_local_clocks(store):
    # 10:00 at UTC+2 is 08:00 UTC: earlier than 09:00 UTC although its wall clock reads later.
    add(store, stored_article("utc", published=datetime(2024, 3, 5, 9, 0, tzinfo=UTC)))
    add(store, stored_article("cest", published=datetime(2024, 3, 5, 10, 0, tzinfo=CEST)))
    story = store.get_story("s-1")
    assert story is not None
    assert story.first_seen == datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
    assert story.last_seen == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)


def test_undated_article_is_seen_when_it_was_stored(store):
    before = datetime.now(UTC)
    add(store, stored_article("undated", published=None))
    after = datetime.now(UTC)
    story = store.get_story("s-1")
    assert story is not None
    assert before <= story.first_seen <= after
    assert story.first_seen == story.last_seen


def test_iter_stories_newest_first_or_in_creation_order(store):
    day = datetime(2024, 3, 5, tzinfo=UTC)
    add(store, stored_article("a", story_id="s-old", published=day))
    add(store, stored_article("b", story_id="s-new", published=day + timedelta(days=2)))
    add(store, stored_article("c", story_id="s-mid", published=day + timedelta(days=1)))
    assert [s.id for s in store.iter_stories()] == ["s-new", "s-mid", "s-old"]
    assert [s.id for s in store.iter_stories(newest_first=False)] == ["s-old", "s-new", "s-mid"]
    assert [s.id for s in store.iter_stories(limit=1)] == ["s-new"]
    assert [s.id for s in store.iter_stories(limit=2, offset=1)] == ["s-mid", "s-old"]
    assert store.get_story("s-none") is None


def test_state_is_saved_and_replaced(store):
    assert store.load_state("cursor") is None
    store.save_state("cursor", "17")
    store.save_state("cursor", "18")
    assert store.load_state("cursor") == "18"


# --- opening -----------------------------------------------------------------------------------------------
def test_resolve_db_url_default_env_path_and_url(monkeypatch, tmp_path):
    assert resolve_db_url(None) == f"sqlite:///{DEFAULT_DB}" == "sqlite:///newsfold.db"
    monkeypatch.setenv("NEWSFOLD_DB", str(tmp_path / "env.db"))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    # An explicit --db wins over the environment.
    assert resolve_db_url(tmp_path / "explicit.db") == f"sqlite:///{tmp_path / 'explicit.db'}"
    assert resolve_db_url("postgresql://u@localhost/news") == "postgresql://u@localhost/news"
    monkeypatch.setenv("NEWSFOLD_DB", "sqlite:////var/lib/news.db")
    assert resolve_db_url(None) == "sqlite:////var/lib/news.db"


def test_resolve_db_url_expands_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_db_url("~/news.db") == f"sqlite:///{tmp_path / 'news.db'}"


def test_open_store_uses_env_var_then_default(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSFOLD_DB", str(tmp_path / "from-env.db"))
    with open_store() as store:
        add(store, stored_article("a1"))
    assert (tmp_path / "from-env.db").is_file()
    assert not (tmp_path / DEFAULT_DB).exists()
    monkeypatch.delenv("NEWSFOLD_DB")
    with open_store() as store:
        assert store.count_articles() == 0
    assert (tmp_path / DEFAULT_DB).is_file()


def test_sqlite_store_runs_in_wal_mode(store, db_path):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_a_second_store_on_the_same_file_reads_what_the_first_wrote(store, db_path):
    add(store, stored_article("a1", published=datetime(2024, 3, 5, tzinfo=UTC)))
    with open_store(db_path) as other:
        assert other.count_articles() == 1
        assert other.get_article("a1") == store.get_article("a1")
        story = other.get_story("s-1")
        assert story is not None and story.article_ids == ["a1"]
        # And the first sees what the second writes, while both are open.
        add(other, stored_article("a2"))
    assert store.has_article("a2")
    assert [s.article_ids for s in store.iter_stories()] == [["a1", "a2"]]


def test_reopening_keeps_the_data(db_path):
    with open_store(db_path) as first:
        add(first, stored_article("a1"))
    with open_store(db_path) as again:
        assert again.has_article("a1")


def test_store_from_a_newer_newsfold_is_refused(db_path):
    open_store(db_path).close()
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("INSERT INTO schema_version (version) VALUES (99)")
    raw.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(db_path)


def test_unopenable_path_raises_store_error(tmp_path):
    with pytest.raises(StoreError, match="cannot open store"):
        open_store(tmp_path / "no" / "such" / "folder" / "news.db")


def test_in_memory_store_works(memory_store):
    add(memory_store, stored_article("a1"))
    assert memory_store.count_articles() == 1
    assert memory_store.get_story("s-1") is not None


def test_store_path_may_be_a_pathlike(tmp_path: Path):
    with open_store(tmp_path / "p.db") as store:
        assert store.url == f"sqlite:///{tmp_path / 'p.db'}"


def test_a_missing_folder_is_a_clear_store_error(tmp_path):
    from newsfold.errors import StoreError

    missing = tmp_path / "no-such-folder" / "news.db"
    with pytest.raises(StoreError, match="no-such-folder does not exist"):
        open_store(missing)
    assert not missing.parent.exists()  # nothing was created on the way


def test_a_storys_outlets_are_listed_once_however_spelt(store, make_article):
    from newsfold.pipeline import Pipeline

    spellings = ["Gulf Times", "GULF TIMES", "Gulf  Times ", "Doha News"]
    base = make_article("ferry")
    articles = [
        Article(id=f"a{i}", text=base.text + f" Update {i}.", source=source, published=base.published)
        for i, source in enumerate(spellings)
    ]
    Pipeline(store).run(articles)
    [story] = list(store.iter_stories())
    assert story.sources == ["Gulf Times", "Doha News"]
