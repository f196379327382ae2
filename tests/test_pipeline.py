"""The ingest pipeline: seeds into one story, idempotence, crash recovery, copies and input errors."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsfold.article import Article
from newsfold.errors import InputError, MissingDependencyError, StoreError
from newsfold.pipeline import Pipeline, ingest, story_title
from newsfold.readers import read_inputs
from newsfold.store import open_store
from newsfold.watch import FetchError

pytestmark = pytest.mark.usefixtures("no_db_env")

SEED_000 = "000_3bbf104ab086ed80"
SEED_002 = "002_80ae66bd9b1465fe"
EVENTS = ["bridge", "strike", "ferry", "fire"]


def table_counts(db_path: Path) -> dict[str, int]:
    raw = sqlite3.connect(db_path)
    try:
        return {
            table: raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "stories", "state", "schema_version")
        }
    finally:
        raw.close()


def read_seed(seeds_dir: Path, stem: str) -> Article:
    [article] = list(read_inputs([seeds_dir / f"{stem}.txt"]))
    assert isinstance(article, Article)
    return article


# --- the seeds ---------------------------------------------------------------------------------------------
def test_ingesting_the_seeds_gives_one_story_with_both(store, seeds_dir):
    report = ingest(store, [seeds_dir])
    assert (report.ingested, report.duplicates, report.skipped, report.new_stories) == (2, 0, 0, 1)
    assert report.errors == []
    [story] = list(store.iter_stories())
    assert sorted(story.article_ids) == [SEED_000, SEED_002]
    for article_id in (SEED_000, SEED_002):
        article = store.get_article(article_id)
        assert article is not None
        assert article.story_id == story.id
        # Two outlets' own reports of one event share facts and quotes but are not copies.
        assert article.duplicate_of is None


def test_seed_outlet_is_read_from_its_removed_boilerplate(store, seeds_dir):
    ingest(store, [seeds_dir])
    # Seed 000's sign-up prompt says "offers, events and updates from The Independent"; seed 002 names nobody.
    assert store.get_article(SEED_000).source == "The Independent"
    assert store.get_article(SEED_002).source is None
    [story] = list(store.iter_stories())
    assert story.sources == ["The Independent"]


def test_stored_seed_is_cleaned(store, seeds_dir, golden):
    ingest(store, [seeds_dir])
    for stem in (SEED_000, SEED_002):
        expected = golden(stem)
        article = store.get_article(stem)
        assert article.clean_text == expected["separator"].join(expected["kept"])
        assert [[r.reason, r.text] for r in article.removed] == expected["removed"]


def test_ingesting_twice_stores_nothing_new(store, seeds_dir, db_path):
    ingest(store, [seeds_dir])
    counts = table_counts(db_path)
    exported = [a.to_dict() for a in store.iter_articles()]
    again = ingest(store, [seeds_dir])
    assert (again.ingested, again.skipped, again.new_stories, again.duplicates) == (0, 2, 0, 0)
    assert dict(again.skip_reasons) == {"already stored": 2}
    assert table_counts(db_path) == counts
    assert counts["articles"] == 2 and counts["stories"] == 1
    assert [a.to_dict() for a in store.iter_articles()] == exported


def test_a_story_continues_across_pipelines(store, seeds_dir):
    Pipeline(store).run([read_seed(seeds_dir, SEED_000)])
    # A new pipeline rebuilds its state from the store, so the second report joins the first's story.
    report = Pipeline(store).run([read_seed(seeds_dir, SEED_002)])
    assert report.new_stories == 0
    [story] = list(store.iter_stories())
    assert story.article_ids == [SEED_000, SEED_002]


# --- crash recovery ----------------------------------------------------------------------------------------
def test_crash_between_articles_keeps_what_was_stored_and_resumes(store, db_path, make_article):
    committed_before_next: list[bool] = []

    def crashing_reader():
        for name in EVENTS[:2]:
            yield make_article(name)
            # Back here only once the article was processed: another connection must already see it.
            with open_store(db_path) as observer:
                committed_before_next.append(observer.has_article(name))
        raise RuntimeError("reader crashed")

    with pytest.raises(RuntimeError, match="reader crashed"):
        Pipeline(store).run(crashing_reader())
    assert committed_before_next == [True, True]
    assert [a.id for a in store.iter_articles()] == EVENTS[:2]

    # Re-run the whole input with a new pipeline: the first two are skipped, the rest stored once.
    report = Pipeline(store).run([make_article(name) for name in EVENTS])
    assert (report.ingested, report.skipped) == (2, 2)
    assert dict(report.skip_reasons) == {"already stored": 2}
    assert [a.id for a in store.iter_articles()] == EVENTS
    assert store.count_stories() == 4
    assert table_counts(db_path)["articles"] == 4


def test_resumed_pipeline_still_finds_copies_of_earlier_articles(store, make_article, reports, junk):
    Pipeline(store).run([make_article("bridge")])
    body = reports["bridge"]
    copy = make_article(
        "bridge", article_id="scraped", paragraphs=[junk["newsletter"], *body, junk["promo-spam"]]
    )
    report = Pipeline(store).run([copy])
    assert report.duplicates == 1
    assert store.get_article("scraped").duplicate_of == "bridge"


# --- copies ------------------------------------------------------------------------------------------------
def test_exact_copy_under_another_id_is_marked_and_joins_the_story(store, make_article):
    original = make_article("bridge")
    copy = make_article("bridge", article_id="bridge-syndicated", source="Wire Mirror")
    copy.published = original.published + timedelta(hours=3)
    outcomes = []
    report = Pipeline(store).run([original, make_article("strike"), copy], on_outcome=outcomes.append)
    assert (report.ingested, report.duplicates, report.new_stories) == (3, 1, 2)
    assert [(o.article_id, o.status, o.duplicate_of) for o in outcomes] == [
        ("bridge", "stored", None),
        ("strike", "stored", None),
        ("bridge-syndicated", "duplicate", "bridge"),
    ]
    stored_copy = store.get_article("bridge-syndicated")
    stored_original = store.get_article("bridge")
    assert stored_copy.duplicate_of == "bridge"
    assert stored_copy.story_id == stored_original.story_id
    assert store.get_story(stored_original.story_id).article_ids == ["bridge", "bridge-syndicated"]


def test_copy_with_other_quote_marks_is_a_copy(store, make_article, reports):
    plain = [p.replace("“", '"').replace("”", '"').replace("’", "'") for p in reports["bridge"]]
    assert plain != reports["bridge"]
    Pipeline(store).run(
        [make_article("bridge"), make_article("bridge", article_id="plain", paragraphs=plain)]
    )
    assert store.get_article("plain").duplicate_of == "bridge"


def test_copy_wrapped_in_junk_with_a_dropped_paragraph_is_a_copy(store, make_article, reports, junk):
    body = reports["bridge"]
    scraped = (
        [junk["newsletter"]]
        + body[:3]
        + [junk["share"]]
        + body[3:5]
        + [junk["advertisement"]]
        + body[6:]  # paragraph 5 dropped
        + [junk["source-footer"], junk["promo-spam"]]
    )
    copy = make_article("bridge", article_id="scraped", paragraphs=scraped, source="Spam Blog")
    Pipeline(store).run([make_article("bridge"), make_article("ferry"), copy])
    stored = store.get_article("scraped")
    assert stored.duplicate_of == "bridge"
    assert stored.story_id == store.get_article("bridge").story_id
    # The junk was cleaned away before comparing, and is kept with its reasons.
    assert stored.clean_text == "\n\n".join(body[:5] + body[6:])
    assert sorted(r.reason for r in stored.removed) == sorted(junk)


def test_an_exact_copy_of_a_scraped_copy_names_the_original_and_loses_the_same_additions(
    store, make_article, reports
):
    body = reports["bridge"]
    scraped = [
        *body[:5],
        *body[6:],
        "Shared by our reader Tom from Leeds",
    ]  # a paragraph dropped, a line added
    copy = make_article("bridge", article_id="scraped", paragraphs=scraped, source="Spam Blog")
    mirror = make_article("bridge", article_id="mirror", paragraphs=scraped, source="Mirror Blog")
    copy.published = mirror.published = make_article("bridge").published + timedelta(hours=3)
    Pipeline(store).run([make_article("bridge"), copy, mirror])
    assert store.get_article("scraped").duplicate_of == "bridge"
    # The mirror has the scraped copy's text exactly, so it holds the original as much: it copies that.
    stored = store.get_article("mirror")
    assert stored.duplicate_of == "bridge"
    assert stored.clean_text == store.get_article("scraped").clean_text == "\n\n".join(body[:5] + body[6:])


def test_another_outlets_report_of_the_same_event_is_not_a_copy(store, make_article):
    Pipeline(store).run([make_article("bridge"), make_article("bridge-other")])
    other = store.get_article("bridge-other")
    assert other.duplicate_of is None
    assert other.story_id == store.get_article("bridge").story_id


def test_unrelated_events_get_their_own_stories(store, make_article):
    report = Pipeline(store).run([make_article(name) for name in EVENTS])
    assert report.new_stories == 4
    assert len({store.get_article(name).story_id for name in EVENTS}) == 4
    assert all(store.get_article(name).duplicate_of is None for name in EVENTS)


def test_story_first_and_last_seen_follow_publication(store, make_article):
    first = make_article("bridge")
    later = make_article("bridge-other", published=first.published + timedelta(hours=5))
    Pipeline(store).run([later, first])
    story = store.get_story(store.get_article("bridge").story_id)
    assert story.first_seen == first.published
    assert story.last_seen == later.published


# --- errors ------------------------------------------------------------------------------------------------
def test_input_errors_are_counted_and_do_not_stop_the_batch(store, make_article):
    bad = InputError("feed.jsonl:2", "invalid JSON")
    errors: list[InputError] = []
    report = Pipeline(store).run(
        [make_article("bridge"), bad, make_article("strike")], on_error=errors.append
    )
    assert (report.ingested, report.skipped) == (2, 1)
    assert report.errors == [bad] and errors == [bad]
    assert dict(report.skip_reasons) == {"input error": 1}
    assert report.to_dict()["errors"] == 1
    assert store.count_articles() == 2


@pytest.mark.parametrize(
    "error",
    [
        InputError("feed.jsonl:2", "invalid JSON"),
        MissingDependencyError("spacy", "nlp"),
        FetchError("http://x/feed", "HTTP 503", retry_after=30.0),
        StoreError("cannot write"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_survive_the_trip_from_a_worker_process(error):
    import pickle

    # Errors made in a cleaning worker come back pickled; one that cannot be rebuilt broke the whole pool.
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
    assert vars(again) == vars(error)


def test_articles_made_in_python_get_the_readers_checks(store, make_article):
    good = make_article("ferry")
    bad = [
        Article(id="no-text", text=None),  # type: ignore[arg-type]
        Article(id="str-date", text="The council met on Tuesday.", published="2024-01-01"),  # type: ignore[arg-type]
        Article(id="", text="The council met on Tuesday."),
    ]
    report = Pipeline(store).run([*bad, good])
    assert report.ingested == 1 and store.has_article(good.id)
    assert [(e.where, e.message) for e in report.errors] == [
        ("no-text", "'text' must be a non-empty string"),
        ("str-date", "'published' must be a datetime or None, got str"),
        ("an article without an id", "'id' must be a non-empty string"),
    ]


def test_an_overlong_id_is_refused_in_a_message_of_one_line(store):
    report = Pipeline(store).run([Article(id="x" * 5000, text="The council met on Tuesday to approve it.")])
    [error] = report.errors
    assert "5,000 characters" in error.where and len(str(error)) < 200
    assert "'id' has 5,000 characters; the store keeps at most 512" in error.message


def test_a_record_too_long_for_an_article_is_refused_by_name(store, tmp_path, monkeypatch):
    import newsfold.pipeline as pipeline

    monkeypatch.setattr(pipeline, "MAX_TEXT_CHARS", 2_000)
    path = tmp_path / "dump.jsonl"
    short = "Firefighters were called to a warehouse blaze on Friday night, police said."
    rows = [{"id": "dump", "text": "All the news. " * 200}, {"id": "fire", "text": short}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = ingest(store, path)
    assert report.ingested == 1 and store.has_article("fire") and not store.has_article("dump")
    [error] = report.errors
    assert error.where == f"{path}:1" and "2,800 characters" in error.message and "2,000" in error.message


def test_files_of_one_name_in_two_folders_are_two_articles(store, tmp_path):
    reports = {
        "siteA/index.txt": "Firefighters were called to a warehouse blaze on Friday night, police said.",
        "siteB/index.txt": "The city council approved a new tram line on Monday after a long debate.",
        "siteB/index.html": "<html><body><article><p>Floods closed the coast road near Arle on Sunday, "
        "and the ferry to the island was cancelled until further notice, the harbour office said.</p>"
        "</article></body></html>",
    }
    folder = tmp_path / "in"
    for name, text in reports.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    first = ingest(store, folder)
    assert first.ingested == 3 and not first.errors
    texts = {a.id: a.text for a in store.iter_articles()}
    assert texts["index"] == reports["siteA/index.txt"]  # the first keeps its name
    assert sorted(texts.values())[0].startswith("Firefighters") and len(set(texts.values())) == 3
    # A re-run gives every file the id it took the first time.
    again = ingest(store, folder)
    assert again.ingested == 0 and again.skip_reasons == {"already stored": 3}


def test_an_id_given_twice_with_another_text_is_refused_by_name(store, tmp_path):
    path = tmp_path / "dup.jsonl"
    rows = [
        {"id": "x1", "text": "Firefighters were called to a warehouse blaze on Friday night, police said."},
        {"id": "x1", "text": "The city council approved a new tram line on Monday after a long debate."},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = ingest(store, path)
    assert report.ingested == 1 and store.get_article("x1").text == rows[0]["text"]
    # An error, named by file and line (the command exits 1), not a re-run's "already stored".
    assert [(e.where, e.message) for e in report.errors] == [
        (f"{path}:2", "could not process article x1: id 'x1' already stored with another text")
    ]
    assert report.skipped == 1 and "already stored" not in report.skip_reasons


def test_ingest_takes_one_path_alone_and_articles_among_paths(store, tmp_path, make_article):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "Firefighters were called to a warehouse blaze on Friday night, police said.", encoding="utf-8"
    )
    assert ingest(store, folder / "one.txt").ingested == 1  # not its characters, one by one
    assert ingest(store, str(folder)).skipped == 1  # the folder: the same file, already stored
    assert ingest(store, [make_article("ferry")]).ingested == 1


def test_bad_published_and_bad_json_lines_are_reported_by_file_and_line(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [
        {"id": "good-1", "text": "The council voted on Tuesday to approve the budget, the mayor said."},
        {"id": "bad-date", "text": "Some text about the fire.", "published": "yesterday"},
        "{not json",
        {
            "id": "good-2",
            "text": "Firefighters were called to a warehouse blaze on Friday night, police said.",
            "published": "2024-03-05T10:00:00+02:00",
        },
    ]
    (folder / "feed.jsonl").write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    report = ingest(store, [folder])
    assert report.ingested == 2
    assert [e.where for e in report.errors] == [f"{folder / 'feed.jsonl'}:2", f"{folder / 'feed.jsonl'}:3"]
    assert "published" in report.errors[0].message
    assert [a.id for a in store.iter_articles()] == ["good-1", "good-2"]
    assert store.get_article("good-2").published.isoformat() == "2024-03-05T08:00:00+00:00"


def test_article_with_nothing_left_after_cleaning_is_skipped(store, make_article, junk):
    empty = make_article("bridge", article_id="all-junk", paragraphs=list(junk.values()))
    report = Pipeline(store).run([empty, make_article("ferry")])
    assert report.ingested == 1
    assert dict(report.skip_reasons) == {"no text left after cleaning": 1}
    assert not store.has_article("all-junk")


def test_the_same_id_twice_in_one_batch_is_stored_once(store, make_article):
    report = Pipeline(store).run([make_article("bridge"), make_article("bridge")])
    assert (report.ingested, report.skipped) == (1, 1)
    assert store.count_articles() == 1


def test_an_article_the_store_rejects_is_an_error_not_a_crash(store, make_article, reports):
    # A lone surrogate (from a JSON "\ud83d" escape of a broken emoji) cannot be written as UTF-8.
    broken = reports["strike"][:-1] + [reports["strike"][-1] + " \ud83d"]
    report = Pipeline(store).run([make_article("strike", paragraphs=broken), make_article("ferry")])
    assert report.ingested == 1
    assert [e.where for e in report.errors] == ["test:strike"]
    assert dict(report.skip_reasons) == {"processing error": 1}
    assert [a.id for a in store.iter_articles()] == ["ferry"]


def test_a_rejected_article_leaves_no_trace_in_later_decisions(store, make_article, reports):
    broken = reports["strike"][:-1] + [reports["strike"][-1] + " \ud83d"]
    report = Pipeline(store).run(
        [
            make_article("strike", paragraphs=broken),
            make_article("strike", article_id="strike-wire", source="Wire"),
        ]
    )
    assert report.errors and report.ingested == 1
    wire = store.get_article("strike-wire")
    # Every duplicate_of must name a stored article, and the count of new stories must match the store.
    assert wire.duplicate_of is None or store.has_article(wire.duplicate_of)
    assert report.new_stories == store.count_stories() == 1


# --- story titles ------------------------------------------------------------------------------------------
def test_story_title_is_the_title_else_the_first_sentence():
    titled = Article(id="t", text="", title="  Bridge approved  ", clean_text="The council voted. Then more.")
    assert story_title(titled) == "Bridge approved"
    untitled = Article(id="u", text="", clean_text="The council voted on Tuesday.\n\nThen it went home.")
    assert story_title(untitled) == "The council voted on Tuesday."
    no_stop = Article(id="n", text="", clean_text="Council votes on bridge")
    assert story_title(no_stop) == "Council votes on bridge"


def test_long_first_sentence_is_shortened_at_a_word():
    words = " ".join(f"word{i}" for i in range(40)) + "."
    title = story_title(Article(id="l", text="", clean_text=words))
    assert title.endswith("...") and len(title) <= 100
    assert words.startswith(title[:-3])
    assert title[:-3].split()[-1] in words.split()


def test_first_sentence_is_not_cut_at_an_abbreviation():
    article = Article(
        id="a", text="", clean_text="U.S. officials said on Tuesday that talks would resume. More."
    )
    assert story_title(article) == "U.S. officials said on Tuesday that talks would resume."


# --- dates from the page -------------------------------------------------------------------------------
def test_undated_article_takes_its_date_from_a_removed_dateline(store, reports):
    text = "\n\n".join(["Published: 12 March 2024, 10:34 GMT", *reports["ferry"]])
    report = Pipeline(store).run([Article(id="undated", text=text, source="Island Times")])
    assert report.ingested == 1
    stored = store.get_article("undated")
    assert [(r.reason, r.text) for r in stored.removed] == [("byline", "Published: 12 March 2024, 10:34 GMT")]
    assert stored.published == datetime(2024, 3, 12, 10, 34, tzinfo=UTC)
    assert stored.metadata.get("published_from") == "dateline"


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("WASHINGTON, March 5, 2024 (AP) — ", datetime(2024, 3, 5, tzinfo=UTC)),
        ("NEW YORK, Oct. 3, 2023 10:32 a.m. EST -- ", datetime(2023, 10, 3, 15, 32, tzinfo=UTC)),
        ("WASHINGTON (AP) — ", None),  # no date in it
        ("The mayor said on March 5, 2024 — in a speech — that ", None),  # a sentence, not a dateline
    ],
)
def test_a_dateline_that_opens_the_report_dates_it(store, reports, opening, expected):
    first, *rest = reports["ferry"]
    text = "\n\n".join([opening + first, *rest])
    Pipeline(store).run([Article(id="wire", text=text, source="Wire")])
    stored = store.get_article("wire")
    assert stored.published == expected
    assert stored.clean_text.startswith(opening.strip())  # the report keeps its dateline
    assert ("published_from" in stored.metadata) == (expected is not None)


def test_a_given_date_is_not_replaced_by_a_dateline(store, reports, make_article):
    paragraphs = ["Published: 12 March 2024, 10:34 GMT", *reports["ferry"]]
    article = make_article("ferry", paragraphs=paragraphs)
    given = article.published
    Pipeline(store).run([article])
    stored = store.get_article("ferry")
    assert stored.published == given != datetime(2024, 3, 12, 10, 34, tzinfo=UTC)
    assert "published_from" not in stored.metadata


# --- parallel cleaning ---------------------------------------------------------------------------------------
def test_parallel_cleaning_gives_the_same_result_as_serial(tmp_path, reports, junk):
    from newsfold.pipeline import PARALLEL_AFTER

    # Enough articles to pass the serial head, each a junk-wrapped variant of a report under its own id.
    names = sorted(reports)
    articles = []
    for i in range(PARALLEL_AFTER + 40):
        paragraphs = reports[names[i % len(names)]]
        lines = [list(junk.values())[i % len(junk)], *paragraphs[: 2 + i % 3], f"Reporting line number {i}."]
        articles.append(Article(id=f"a{i:03d}", text="\n\n".join(lines), source=f"outlet-{i % 7}"))
    results = {}
    for workers in (1, 2):
        with open_store(tmp_path / f"w{workers}.db") as db:
            clones = [Article(id=a.id, text=a.text, source=a.source) for a in articles]
            report = Pipeline(db).run(clones, workers=workers)
            assert report.ingested == len(articles)
            results[workers] = [
                (a.id, a.story_id, a.duplicate_of, a.clean_text, a.removed) for a in db.iter_articles()
            ]
    assert results[1] == results[2]


def test_bad_records_among_parallel_ones_are_reported_and_the_rest_stored(tmp_path, reports):
    from newsfold.pipeline import PARALLEL_AFTER

    # Past the serial head, records travel to worker processes and their errors travel back.
    names = sorted(reports)
    records: list[Article | InputError] = []
    for i in range(PARALLEL_AFTER + 60):
        text = "\n\n".join([*reports[names[i % len(names)]][:3], f"Reporting line number {i}."])
        records.append(Article(id=f"a{i:03d}", text=text, source=f"outlet-{i % 7}"))
    records[PARALLEL_AFTER + 10] = InputError("feed.jsonl:75", "invalid JSON")
    # A lone surrogate cannot be written as UTF-8: the worker fails on this article, not the batch.
    records[PARALLEL_AFTER + 30] = Article(id="broken", text="Bad \ud83d emoji in a report.", source="x")
    errors: list[InputError] = []
    with open_store(tmp_path / "w.db") as db:
        report = Pipeline(db).run(records, workers=2, on_error=errors.append)
        assert report.ingested == len(records) - 2
        assert [e.where for e in errors] == ["feed.jsonl:75", "broken"]
        assert "could not process article broken" in errors[1].message
        assert db.count_articles() == len(records) - 2
        assert db.has_article(f"a{PARALLEL_AFTER + 59:03d}") and not db.has_article("broken")


def test_a_new_pipeline_replays_only_the_newest_articles(store, make_article, monkeypatch):
    import newsfold.pipeline as pipeline_module

    for name in EVENTS:
        Pipeline(store).run([make_article(name)])
    monkeypatch.setattr(pipeline_module, "REPLAY_ARTICLES", 2)
    fresh = Pipeline(store)
    # Only the two newest articles were learned from: the copy index holds exactly them.
    assert len(fresh.copies) == 2


@pytest.fixture
def extracted_here(monkeypatch) -> list[str]:
    """The ids of the pages extracted in this process (forked workers append to their own copy)."""
    import newsfold.readers.html as html_reader

    main_pid = os.getpid()
    here: list[str] = []
    extract = html_reader.extract_article

    def counted(*args, **kwargs):
        if os.getpid() == main_pid:
            here.append(kwargs["article_id"])
        return extract(*args, **kwargs)

    monkeypatch.setattr(html_reader, "extract_article", counted)
    return here


def test_web_pages_are_extracted_by_the_workers_with_the_same_result(tmp_path, reports, extracted_here):
    from newsfold.pipeline import PARALLEL_AFTER
    from newsfold.readers import read_inputs

    # Extraction is most of the cost of a page: past the serial head, the workers do it, not this process.
    here = extracted_here
    folder = tmp_path / "pages"
    folder.mkdir()
    names = sorted(reports)
    count = PARALLEL_AFTER + 40
    for i in range(count):
        paragraphs = "".join(f"<p>{p}</p>" for p in reports[names[i % len(names)]][: 2 + i % 3])
        page = f"<html><body><nav>Home | World</nav><article><h1>Report {i}</h1>{paragraphs}</article></body></html>"
        (folder / f"p{i:03d}.html").write_text(page, encoding="utf-8")
    # A page with no article on it: named by its file, and the rest go in.
    (folder / "p999.html").write_text("<html><body><nav>Home | World | Sport</nav></body></html>")
    results = {}
    for workers in (1, 2):
        here.clear()
        errors: list[InputError] = []
        with open_store(tmp_path / f"w{workers}.db") as db:
            pages = read_inputs([folder], defer_pages=True)
            report = Pipeline(db).run(pages, workers=workers, on_error=errors.append)
            assert report.ingested == count
            assert [e.where for e in errors] == [str(folder / "p999.html")]
            assert "no article text found" in errors[0].message
            results[workers] = [
                (a.id, a.story_id, a.duplicate_of, a.clean_text, a.removed, a.title)
                for a in db.iter_articles()
            ]
        extracted_here = len(here)
        if workers == 1:
            assert extracted_here == count + 1
        else:
            assert extracted_here == PARALLEL_AFTER
    assert results[1] == results[2]


def test_a_page_whose_extraction_fails_on_a_worker_costs_only_itself(tmp_path, reports, monkeypatch):
    import newsfold.readers.html as html_reader
    from newsfold.pipeline import PARALLEL_AFTER
    from newsfold.readers import read_inputs

    # Whatever goes wrong inside extraction (here, a recursion too deep on one page) is that page's error.
    extract = html_reader.extract_article

    def failing(page, **kwargs):
        if kwargs["article_id"] == "p070":
            raise RecursionError("maximum recursion depth exceeded")
        return extract(page, **kwargs)

    monkeypatch.setattr(html_reader, "extract_article", failing)
    folder = tmp_path / "pages"
    folder.mkdir()
    names = sorted(reports)
    for i in range(PARALLEL_AFTER + 20):
        paragraphs = "".join(f"<p>{p}</p>" for p in reports[names[i % len(names)]][:3])
        (folder / f"p{i:03d}.html").write_text(f"<html><body><article>{paragraphs}</article></body></html>")
    errors: list[InputError] = []
    with open_store(tmp_path / "w.db") as db:
        report = Pipeline(db).run(read_inputs([folder], defer_pages=True), workers=2, on_error=errors.append)
        assert [e.where for e in errors] == [str(folder / "p070.html")]
        assert "HTML extraction failed: RecursionError" in errors[0].message
        assert report.ingested == db.count_articles() == PARALLEL_AFTER + 19


def test_jsonl_records_with_a_page_are_extracted_by_the_workers(tmp_path, reports, extracted_here):
    from newsfold.pipeline import PARALLEL_AFTER
    from newsfold.readers import read_inputs

    here = extracted_here
    names = sorted(reports)
    rows = []
    for i in range(PARALLEL_AFTER + 30):
        paragraphs = "".join(f"<p>{p}</p>" for p in reports[names[i % len(names)]][: 2 + i % 3])
        page = f"<html><head><title>Page title {i}</title></head><body><article>{paragraphs}</article></body></html>"
        # The record's own title and fields win over the page's.
        rows.append({"id": f"r{i:03d}", "html": page, "title": f"Record title {i}", "crawl": "cc-2024"})
    rows[PARALLEL_AFTER + 5] = {"id": "bad", "html": "<html><body><nav>Home</nav></body></html>"}
    feed = tmp_path / "pages.jsonl"
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    results = {}
    for workers in (1, 2):
        here.clear()
        errors: list[InputError] = []
        with open_store(tmp_path / f"w{workers}.db") as db:
            Pipeline(db).run(read_inputs([feed], defer_pages=True), workers=workers, on_error=errors.append)
            assert [e.where for e in errors] == [f"{feed}:{PARALLEL_AFTER + 6}"]
            assert errors[0].message.startswith("'html': no article text found")
            results[workers] = [
                (a.id, a.title, a.metadata.get("crawl"), a.story_id, a.clean_text) for a in db.iter_articles()
            ]
        assert len(here) == (len(rows) if workers == 1 else PARALLEL_AFTER)
    assert results[1] == results[2]
    assert ("r000", "Record title 0", "cc-2024") == results[2][0][:3]
