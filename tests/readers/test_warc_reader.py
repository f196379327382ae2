"""The WARC reader: 2xx HTML responses and HTML resources, streamed; damage keeps the records before it."""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from datetime import UTC, datetime

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

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


def archive(records: list[tuple[str, str, bytes, list[tuple[str, str]] | None, str | None]]) -> bytes:
    """An uncompressed archive of (kind, uri, body, HTTP headers or None, WARC Content-Type) records.

    Unlike the ``build.warc`` fixture, the HTTP headers are exactly those given, so one may be missing.
    """
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for kind, uri, body, headers, warc_type in records:
        http = None if headers is None else StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                uri, kind, payload=io.BytesIO(body), http_headers=http, warc_content_type=warc_type
            )
        )
    return buffer.getvalue()


def outcomes(results) -> list[tuple[str, str]]:
    """What each result was, and where: ``("article", origin)`` or ``("error", where)``."""
    return [
        ("article", result.origin) if isinstance(result, Article) else ("error", result.where)
        for result in results
    ]


def test_a_response_without_content_type_is_read_if_its_body_is_html(tmp_path, build):
    # No doctype, no <html>: a page fragment known by its paragraph tags.
    fragment = f"<div class='story'><p>{build.paragraph(4)}</p><p>{build.paragraph(5)}</p></div>".encode()
    path = build.write(
        tmp_path,
        "untyped.warc",
        archive(
            [
                ("response", "http://x.example/page", build.page("Untyped"), [], None),
                # Whitespace and a BOM before the doctype, as some servers send.
                ("response", "http://x.example/bom", b"\n \xef\xbb\xbf" + build.page("With BOM"), [], None),
                ("response", "http://x.example/fragment", fragment, [], None),
                ("response", "http://x.example/api", b'{"headline": "x"}', [], None),
                ("response", "http://x.example/robots.txt", b"User-agent: *\nDisallow: /\n", [], None),
            ]
        ),
    )
    results = list(read_warc(path))
    assert outcomes(results) == [
        ("article", f"{path} record 1 (http://x.example/page)"),
        ("article", f"{path} record 2 (http://x.example/bom)"),
        ("article", f"{path} record 3 (http://x.example/fragment)"),
    ]
    assert [article.title for article in results[:2]] == ["Untyped", "With BOM"]
    assert build.paragraph(4) in results[2].text


def test_html_resource_records_are_read_like_responses(tmp_path, build):
    path = build.write(
        tmp_path,
        "resources.warc",
        archive(
            [
                ("resource", "http://x.example/poem.html", build.page("Poem"), None, "text/html"),
                ("resource", "http://x.example/logo.png", b"\x89PNG\x00\x00", None, "image/png"),
                ("resource", "http://x.example/notes.txt", b"just some notes", None, "text/plain"),
                ("resource", "http://x.example/second.html", build.page("Second"), None, "text/html"),
            ]
        ),
    )
    poem, second = read_inputs([path])
    assert poem.id == warc_id("http://x.example/poem.html")
    assert poem.url == "http://x.example/poem.html"
    assert poem.title == "Poem"
    assert poem.origin == f"{path} record 1 (http://x.example/poem.html)"
    assert second.title == "Second"


def gzip_chunked(body: bytes) -> bytes:
    data = gzip.compress(body)
    return b"%x\r\n" % len(data) + data + b"\r\n0\r\n\r\n"


def deflate(body: bytes, *, raw: bool) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return compressor.compress(body) + compressor.flush()


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("GZIP", gzip.compress),
        # Bytes after the gzip stream, as some servers send, are ignored as browsers ignore them.
        ("gzip", lambda body: gzip.compress(body) + b"\r\n\x00\x00"),
        ("deflate", lambda body: deflate(body, raw=False)),
        ("deflate", lambda body: deflate(body, raw=True)),
        # Some crawlers store the body decoded but keep the header; a page is still a page.
        ("gzip", lambda body: body),
    ],
    ids=["gzip", "x-gzip", "upper-case", "gzip-padded", "deflate-zlib", "deflate-raw", "already-decoded"],
)
def test_content_encodings_are_decoded(tmp_path, build, coding, encode):
    headers = [("Content-Type", "text/html"), ("Content-Encoding", coding)]
    path = build.write(
        tmp_path,
        "enc.warc",
        archive([("response", "http://x.example/", encode(build.page("Coded")), headers, None)]),
    )
    (article,) = read_warc(path)
    assert article.title == "Coded"


def test_gzip_and_chunked_together(tmp_path, build):
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
    body = gzip_chunked(build.page("Chunked"))
    path = build.write(
        tmp_path, "chunked.warc", archive([("response", "http://x.example/", body, headers, None)])
    )
    (article,) = read_warc(path)
    assert article.title == "Chunked"


@pytest.mark.parametrize(
    "body",
    [
        b"not gzip at all <html>",
        gzip.compress(b"<html><body><p>cut short</p></body></html>" * 50)[:60],
    ],
    ids=["not-gzip", "truncated-gzip"],
)
def test_a_body_that_does_not_decode_is_an_error_and_reading_goes_on(tmp_path, build, body):
    bad = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    path = build.write(
        tmp_path,
        "bad.warc",
        archive(
            [
                ("response", "http://bad.example/x", body, bad, None),
                (
                    "response",
                    "http://x.example/ok",
                    build.page("Fine"),
                    [("Content-Type", "text/html")],
                    None,
                ),
            ]
        ),
    )
    error, article = read_warc(path)
    assert isinstance(error, InputError)
    assert error.where == f"{path} record 1 (http://bad.example/x)"
    assert error.message.startswith(
        "unreadable HTTP body: Content-Encoding is gzip but the body does not decode"
    )
    assert article.title == "Fine"


def test_a_later_capture_of_a_url_with_other_text_is_stored_beside_the_first(tmp_path, build):
    import newsfold

    uri = "http://news.example/live"
    first = [build.paragraph(n) for n in (1, 2, 3)]
    later = [build.paragraph(n) for n in (11, 12, 13)]
    records = [
        build.WarcRecord(uri, build.page("Live", first)),
        build.WarcRecord(uri, build.page("Live", later)),
    ]
    path = build.write(tmp_path, "recrawl.warc.gz", build.warc(records))
    with newsfold.open_store(tmp_path / "news.db") as store:
        report = newsfold.ingest(store, [path])
        assert report.errors == [] and report.ingested == 2
        ids = [a.id for a in store.iter_articles()]
        assert ids[0] == warc_id(uri) and ids[1].startswith(warc_id(uri) + "-")
        again = newsfold.ingest(store, [path])  # the same archive again: nothing new, nothing refused
        assert again.errors == [] and again.ingested == 0
