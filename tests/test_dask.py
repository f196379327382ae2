"""Cleaning on a Dask cluster (``newsfold ingest --dask``): a real local cluster of worker processes."""

from __future__ import annotations

import json

import pytest
from test_cli import run

from newsfold.article import Article
from newsfold.dask_engine import dask_engine
from newsfold.errors import InputError, NewsfoldError
from newsfold.pipeline import PARALLEL_AFTER, Pipeline
from newsfold.store import open_store

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes with one thread each, the scheduler on a local port."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local


def _articles(reports, junk) -> list[Article]:
    # Past the serial head, so that the cluster cleans most of them; junk-wrapped variants of the reports,
    # some of them copies of others, so that copies and stories are decided from what the workers sent back.
    names = sorted(reports)
    out = []
    for i in range(PARALLEL_AFTER + 60):
        paragraphs = reports[names[i % len(names)]]
        lines = [
            list(junk.values())[i % len(junk)],
            *paragraphs[: 2 + i % 3],
            f"Reporting line number {i % 9}.",
        ]
        out.append(Article(id=f"a{i:03d}", text="\n\n".join(lines), source=f"outlet-{i % 7}"))
    return out


def _stored(db) -> list[tuple]:
    return [(a.id, a.story_id, a.duplicate_of, a.clean_text, a.removed, a.source) for a in db.iter_articles()]


def test_cleaning_on_the_cluster_gives_what_local_cleaning_gives(tmp_path, cluster, reports, junk):
    articles = _articles(reports, junk)
    results = {}
    with dask_engine(cluster.scheduler_address) as engine:
        assert engine.slots == 2
        for how in ("local", "dask"):
            with open_store(tmp_path / f"{how}.db") as db:
                clones = [Article(id=a.id, text=a.text, source=a.source) for a in articles]
                if how == "dask":
                    report = Pipeline(db).run(clones, engine=engine)
                else:
                    report = Pipeline(db).run(clones, workers=1)
                assert report.ingested == len(articles)
                results[how] = _stored(db)
    assert results["dask"] == results["local"]
    assert any(row[2] for row in results["dask"])  # copies were found among them
    # The workers did the cleaning: the scheduler ran the pipeline's chunk task.
    assert "prepare_chunk" in cluster.scheduler.task_prefixes


def test_bad_records_cleaned_on_the_cluster_are_named_and_the_rest_stored(tmp_path, cluster, reports, junk):
    records: list[Article | InputError] = list(_articles(reports, junk))
    records[PARALLEL_AFTER + 10] = InputError("feed.jsonl:75", "invalid JSON")
    # A lone surrogate cannot be written as UTF-8: the worker fails on this article, not the batch.
    records[PARALLEL_AFTER + 30] = Article(id="broken", text="Bad \ud83d emoji in a report.", source="x")
    errors: list[InputError] = []
    with dask_engine(cluster.scheduler_address) as engine, open_store(tmp_path / "d.db") as db:
        report = Pipeline(db).run(records, engine=engine, on_error=errors.append)
        assert [e.where for e in errors] == ["feed.jsonl:75", "broken"]
        assert "could not process article broken" in errors[1].message
        assert report.ingested == db.count_articles() == len(records) - 2


def test_ingest_dask_cli_stores_what_plain_ingest_stores(tmp_path, cluster, reports, junk):
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": a.id, "text": a.text, "source": a.source} for a in _articles(reports, junk)]
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    plain = run("ingest", "--db", str(tmp_path / "plain.db"), str(feed))
    on_cluster = run(
        "ingest", "--db", str(tmp_path / "dask.db"), "--dask", cluster.scheduler_address, str(feed)
    )
    assert plain.exit_code == on_cluster.exit_code == 0
    assert f"ingested {len(rows)} articles" in on_cluster.stderr
    with open_store(tmp_path / "plain.db") as a, open_store(tmp_path / "dask.db") as b:
        assert _stored(a) == _stored(b)


def test_ingest_dask_without_a_scheduler_there_fails_before_creating_a_store(
    tmp_path, monkeypatch, seeds_dir
):
    import newsfold.dask_engine

    monkeypatch.setattr(newsfold.dask_engine, "CONNECT_TIMEOUT", 1)
    db = tmp_path / "none.db"
    # A closed port: nothing listens there.
    result = run("ingest", "--db", str(db), "--dask", "tcp://127.0.0.1:9", str(seeds_dir))
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert not db.exists()
    for address in ("scheduler-without-a-port", "http://127.0.0.1:8786", "tcp://127.0.0.1:99999"):
        result = run("ingest", "--db", str(db), "--dask", address, str(seeds_dir))
        assert result.exit_code == 1
        assert "is not a Dask scheduler address" in result.stderr
        assert not db.exists()


def test_ingest_dask_at_a_port_where_another_server_answers_fails_clearly(tmp_path, monkeypatch, seeds_dir):
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    import newsfold.dask_engine

    # A web server where the scheduler should be (the dashboard's port given by mistake): a Dask client
    # would wait for an answer it never gets.
    monkeypatch.setattr(newsfold.dask_engine, "CONNECT_TIMEOUT", 2)
    server = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        db = tmp_path / "none.db"
        started = time.monotonic()
        address = f"tcp://127.0.0.1:{server.server_port}"
        result = run("ingest", "--db", str(db), "--dask", address, str(seeds_dir))
        assert result.exit_code == 1
        assert f"cannot reach the Dask scheduler at {address}" in result.stderr
        assert time.monotonic() - started < 15
        assert not db.exists()
    finally:
        server.shutdown()


def test_a_worker_with_another_newsfold_is_refused_by_name(cluster, monkeypatch):
    import newsfold.dask_engine

    # This process claims another version than the workers have; the workers are named.
    monkeypatch.setattr(newsfold.dask_engine, "VERSION", "0.0.0-other")
    with pytest.raises(NewsfoldError, match=r"must run newsfold 0\.0\.0-other.*tcp://127\.0\.0\.1:\d+ has "):
        with dask_engine(cluster.scheduler_address):
            pass


def test_local_starts_a_cluster_of_this_machines_cpus_for_the_time_of_the_with():
    import os

    with dask_engine("local") as engine:
        assert engine.slots == (os.cpu_count() or 1)
        assert engine.executor.submit(sum, [1, 2, 3]).result() == 6


def test_web_pages_extracted_on_the_cluster_meet_the_lines_repeated_across_stories(
    tmp_path, cluster, reports
):
    from newsfold.readers import read_inputs

    # Every page carries the site's line; once pages of several stories have carried it, it goes as
    # "repeated". The workers extract the pages, and the line must be known for what it is all the same
    # (a line's key is a Python hash, which differs between the workers and this process).
    site_line = "The Riverside Gazette is printed every weekday morning by Riverside Media Group in Oakford."
    folder = tmp_path / "pages"
    folder.mkdir()
    names = sorted(reports)
    for i in range(PARALLEL_AFTER + 40):
        paragraphs = "".join(f"<p>{p}</p>" for p in reports[names[i % len(names)]][: 2 + i % 3])
        page = (
            f"<html><body><article><h1>Report {i}</h1>{paragraphs}<p>{site_line}</p></article></body></html>"
        )
        (folder / f"p{i:03d}.html").write_text(page, encoding="utf-8")
    results = {}
    with dask_engine(cluster.scheduler_address) as engine:
        for how in ("local", "dask"):
            with open_store(tmp_path / f"{how}.db") as db:
                pages = read_inputs([folder], defer_pages=True)
                if how == "dask":
                    Pipeline(db).run(pages, engine=engine)
                else:
                    Pipeline(db).run(pages, workers=1)
                results[how] = _stored(db)
    assert results["dask"] == results["local"]
    repeated = [row for row in results["dask"] if any(r.reason == "repeated" for r in row[4])]
    assert len(repeated) > PARALLEL_AFTER  # the pages the workers extracted lost the line too
