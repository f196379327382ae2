"""The WARC reader: only 2xx HTML responses, streamed; a damaged archive keeps what came before it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import input_size, read_inputs
from newsfold.readers.warc import read_warc

CRAWL_DATE = "2024-06-01T12:00:00Z"


def warc_id(uri: str) -> str:
    return "w-" + hashlib.sha1(uri.encode()).hexdigest()[:16]


def crawl(build):
    """warcinfo, then: request, 200 page, 404 page, 200 image, 301 redirect, 200 page with a date."""
    record = build.WarcRecord
    return [
        record("http://news.example/a", kind="request"),
        record("http://news.example/a", build.page("Page A", sitename="News Example"), date=CRAWL_DATE),
        record("http://news.example/gone", build.page("Missing"), status="404 Not Found"),
        record("http://news.example/logo.png", b"\x89PNG\x00\x00", content_type="image/png"),
        record("http://news.example/old", b"", status="301 Moved Permanently"),
        record("http://news.example/b", build.page("Page B", date="2023-02-03"), date=CRAWL_DATE),
    ]


@pytest.mark.parametrize("compress", [True, False])
def test_only_successful_html_responses_are_read(tmp_path, build, compress):
    name = "crawl.warc.gz" if compress else "crawl.warc"
    path = build.write(tmp_path, name, build.warc(crawl(build), compress=compress))
    first, second = read_warc(path)
    assert first.id == warc_id("http://news.example/a")
    assert first.url == "http://news.example/a"
    assert first.title == "Page A"
    assert first.source == "News Example"
    assert build.paragraph(1) in first.text.split("\n\n")
    # Record 1 is the warcinfo record, so the page response is record 3.
    assert first.origin == f"{path} record 3 (http://news.example/a)"
    # No date in page A: the crawl date stands in; page B has its own date.
    assert first.published == datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    assert second.published == datetime(2023, 2, 3, tzinfo=UTC)
    assert second.origin == f"{path} record 7 (http://news.example/b)"


def test_host_is_the_source_and_override_wins(tmp_path, build):
    records = [build.WarcRecord("https://www.paper.example/x", build.page("X"))]
    path = build.write(tmp_path, "p.warc.gz", build.warc(records))
    (article,) = read_inputs([path])
    (overridden,) = read_inputs([path], source="Wire")
    assert article.source == "paper.example"
    assert overridden.source == "Wire"


def test_http_charset_decodes_the_page(tmp_path, build):
    words = [f"Le caf\u00e9 cr\u00e8me {build.paragraph(i)}" for i in range(3)]
    # The page claims UTF-8 but the server said (correctly) windows-1252, which takes precedence.
    body = build.page("Caf\u00e9", words).decode().encode("windows-1252")
    records = [build.WarcRecord("http://fr.example/", body, content_type="text/html; charset=windows-1252")]
    path = build.write(tmp_path, "fr.warc.gz", build.warc(records))
    (article,) = read_warc(path)
    assert "Le caf\u00e9 cr\u00e8me" in article.text


def test_page_without_text_is_an_error_and_reading_goes_on(tmp_path, build):
    records = [
        build.WarcRecord("http://x.example/empty", b"<html><body></body></html>"),
        build.WarcRecord("http://x.example/full", build.page("Full")),
    ]
    path = build.write(tmp_path, "x.warc.gz", build.warc(records, warcinfo=False))
    error, article = read_warc(path)
    assert isinstance(error, InputError)
    assert error.where == f"{path} record 1 (http://x.example/empty)"
    assert article.title == "Full"


def five_pages(build) -> bytes:
    pages = [build.WarcRecord(f"http://x.example/{i}", build.page(f"Page {i}")) for i in range(1, 6)]
    return build.warc(pages, warcinfo=False)


@pytest.mark.parametrize("where_in_record", [0.1, 0.5, 0.95])
def test_truncated_gzip_archive_keeps_earlier_records(tmp_path, build, where_in_record):
    data = five_pages(build)
    starts = build.record_starts(data)
    fourth, fifth = starts[3], starts[4]
    cut = fourth + int((fifth - fourth) * where_in_record)
    path = build.write(tmp_path, "cut.warc.gz", data[:cut])
    *good, error = read_inputs([path])
    assert [article.title for article in good] == ["Page 1", "Page 2", "Page 3"]
    assert isinstance(error, InputError)
    assert error.where.startswith(f"{path} record 4")
    assert "truncated or corrupt archive" in error.message


def test_truncated_uncompressed_archive(tmp_path, build):
    data = build.warc(
        [build.WarcRecord(f"http://x.example/{i}", build.page(f"Page {i}")) for i in range(1, 4)],
        compress=False,
        warcinfo=False,
    )
    starts = build.record_starts(data)
    for offset, label in [(40, "headers"), (600, "body")]:
        path = build.write(tmp_path, f"cut-{label}.warc", data[: starts[2] + offset])
        *good, error = read_warc(path)
        assert [article.title for article in good] == ["Page 1", "Page 2"], label
        assert error.where.startswith(f"{path} record 3"), label


def test_garbage_is_an_error_at_record_one(tmp_path, build):
    path = build.write(tmp_path, "junk.warc", b"this is not an archive at all\r\n\r\n")
    (error,) = read_inputs([path])
    assert isinstance(error, InputError)
    assert error.where == f"{path} record 1"


def test_garbage_after_good_records(tmp_path, build):
    path = build.write(tmp_path, "tail.warc.gz", five_pages(build) + b"\x1f\x8b garbage")
    *good, error = read_warc(path)
    assert len(good) == 5
    assert all(isinstance(article, Article) for article in good)
    assert error.where.startswith(f"{path} record 6")


def bulky_paragraph(seed: int) -> str:
    """Hex words: text gzip cannot shrink much, so the archive outgrows warcio's read-ahead buffer."""
    return " ".join(hashlib.sha256(f"{seed}-{i}".encode()).hexdigest() for i in range(200)) + "."


@pytest.mark.parametrize("truncate", [False, True])
def test_progress_adds_up_to_the_file_size(tmp_path, build, truncate):
    pages = [
        build.WarcRecord(
            f"http://x.example/{i}", build.page(f"Page {i}", [bulky_paragraph(i * 10 + j) for j in range(3)])
        )
        for i in range(5)
    ]
    data = build.warc(pages)
    assert len(data) > 80_000
    path = build.write(tmp_path, "p.warc.gz", data[: len(data) - 300] if truncate else data)
    seen: list[int] = []
    list(read_inputs([path], on_bytes=seen.append))
    assert len(seen) > 1  # reported as records are read, not once at the end
    assert sum(seen) == input_size([path]) == path.stat().st_size
