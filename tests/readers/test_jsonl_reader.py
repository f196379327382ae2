"""The JSON Lines reader: field mapping, per-line errors that never stop the file, streaming."""

from __future__ import annotations

import gzip
import hashlib
import json
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import read_inputs
from newsfold.readers.jsonl import read_jsonl, read_jsonl_lines


def sha1_id(value: str) -> str:
    return "a-" + hashlib.sha1(value.encode()).hexdigest()[:16]


def test_fields_map_onto_the_article_and_the_rest_is_metadata(tmp_path, build):
    record = {
        "id": "x1",
        "source": "Daily Planet",
        "url": "https://planet.example/x1",
        "title": "Bridge vote",
        "published": "2024-03-05T10:00:00+01:00",
        "text": "The council voted.\n\nWork starts soon.",
        "lang": "en",
        "tags": ["politics", {"nested": [1, 2.5, None]}],
    }
    path = build.write(tmp_path, "d.jsonl", build.jsonl(record))
    (article,) = read_jsonl(path)
    assert article == Article(
        id="x1",
        text="The council voted.\n\nWork starts soon.",
        source="Daily Planet",
        url="https://planet.example/x1",
        title="Bridge vote",
        published=datetime(2024, 3, 5, 9, 0, tzinfo=UTC),
        metadata={"lang": "en", "tags": ["politics", {"nested": [1, 2.5, None]}]},
        origin=f"{path}:1",
    )


def test_optional_fields_and_derived_values(tmp_path, build):
    path = build.write(
        tmp_path,
        "d.jsonl",
        build.jsonl(
            {"id": 7, "text": "a", "published": "2024-03-05"},
            {"text": "b", "url": "https://www.wire.example/b", "published": None},
            {"text": "c", "id": None, "title": ""},
        ),
    )
    by_number, by_url, by_text = read_jsonl(path)
    assert by_number.id == "7"
    assert by_number.published == datetime(2024, 3, 5, tzinfo=UTC)
    assert by_number.source is None
    assert by_url.id == sha1_id("https://www.wire.example/b")
    assert by_url.source == "wire.example"
    assert by_url.published is None
    assert by_text.id == sha1_id("c")
    assert by_text.title is None


def test_derived_ids_are_stable_across_runs(tmp_path, build):
    path = build.write(tmp_path, "d.jsonl", build.jsonl({"text": "same"}, {"text": "other"}))
    first = [article.id for article in read_jsonl(path)]
    second = [article.id for article in read_jsonl(path)]
    assert first == second
    assert first[0] != first[1]


def test_an_invalid_line_in_the_middle_is_reported_and_the_rest_read(tmp_path, build):
    data = build.jsonl({"text": "one"}, '{"text": "two",', {"text": "three"})
    path = build.write(tmp_path, "d.jsonl", data)
    results = list(read_inputs([path]))
    assert [type(result) for result in results] == [Article, InputError, Article]
    assert [results[0].text, results[2].text] == ["one", "three"]
    assert results[1].where == f"{path}:2"
    assert "invalid JSON" in results[1].message
    assert results[2].origin == f"{path}:3"


def test_blank_lines_are_skipped_but_still_counted(tmp_path, build):
    path = build.write(tmp_path, "d.jsonl", b'{"text": "a"}\n\n   \r\n[1]\n')
    article, error = read_jsonl(path)
    assert article.origin == f"{path}:1"
    assert error.where == f"{path}:4"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"[1, 2]", "expected a JSON object, got an array"),
        (b'"text"', "expected a JSON object, got a string"),
        (b'{"title": "no text"}', "missing 'text'"),
        (b'{"text": "   "}', "empty 'text'"),
        (b'{"text": 42}', "'text' must be a string"),
        (b'{"text": "t", "published": "yesterday"}', "bad 'published'"),
        (b'{"text": "t", "published": true}', "bad 'published'"),
        (b'{"text": "t", "published": "10/04/2024"}', "ambiguous date"),
        (b'{"text": "t", "published": [2024, 3, 5]}', "bad 'published'"),
        (b'{"text": "t", "id": true}', "'id' must be a string or an integer"),
        (b'{"text": "t", "id": 1.5}', "'id' must be a string or an integer"),
        (b'{"text": "t", "id": {"a": 1}}', "'id' must be a string or an integer"),
        (b'{"text": "t", "url": 3}', "'url' must be a string"),
        (b'{"text": "t", "score": NaN}', "NaN is not allowed"),
        (b'{"text": "caf\xe9"}', "not valid UTF-8"),
        (b'{"text": "half \\ud800 a pair"}', "lone surrogate"),
        (b"[" * 100_000, "invalid JSON"),
    ],
)
def test_bad_records_become_errors_naming_the_line(tmp_path, build, line, message):
    path = build.write(tmp_path, "d.jsonl", b'{"text": "good"}\n' + line + b'\n{"text": "also good"}\n')
    first, error, last = read_jsonl(path)
    assert isinstance(error, InputError)
    assert error.where == f"{path}:2"
    assert message in error.message
    assert (first.text, last.text) == ("good", "also good")


def test_utf8_bom_on_the_first_line_is_ignored(tmp_path, build):
    path = build.write(tmp_path, "d.jsonl", b'\xef\xbb\xbf{"text": "bom"}\n')
    (article,) = read_jsonl(path)
    assert article.text == "bom"


def test_source_override(tmp_path, build):
    path = build.write(tmp_path, "d.jsonl", build.jsonl({"text": "a", "source": "Planet"}))
    (article,) = read_inputs([path], source="Wire")
    assert article.source == "Wire"


def test_gzip_files_are_read(tmp_path, build):
    data = build.jsonl(*({"id": str(i), "text": f"text {i}"} for i in range(50)))
    path = build.write(tmp_path, "d.jsonl.gz", gzip.compress(data))
    seen: list[int] = []
    results = list(read_inputs([path], on_bytes=seen.append))
    assert [article.id for article in results] == [str(i) for i in range(50)]
    # Progress counts bytes on disk, so a compressed file's progress adds up to its size.
    assert sum(seen) == path.stat().st_size


def test_truncated_gzip_keeps_what_came_before(tmp_path, build):
    lines = [json.dumps({"id": str(i), "text": f"text {i} " + "x" * 200}) for i in range(400)]
    compressed = gzip.compress("\n".join(lines).encode())
    path = build.write(tmp_path, "d.jsonl.gz", compressed[: len(compressed) // 2])
    results = list(read_jsonl(path))
    *good, error = results
    assert good, "the first half should still be read"
    assert all(isinstance(article, Article) for article in good)
    assert [article.id for article in good] == [str(i) for i in range(len(good))]
    assert isinstance(error, InputError)
    assert error.where == f"{path}:{len(good) + 1}"
    assert "compressed" in error.message


def test_on_bytes_is_called_per_line_and_sums_to_the_size(tmp_path, build):
    path = build.write(tmp_path, "d.jsonl", build.jsonl({"text": "a"}, "not json", {"text": "ccc"}))
    seen: list[int] = []
    list(read_jsonl(path, on_bytes=seen.append))
    assert seen == [len(b'{"text": "a"}\n'), len(b"not json\n"), len(b'{"text": "ccc"}\n')]


def test_lines_are_pulled_one_at_a_time():
    pulled: list[int] = []

    def lines() -> Iterator[bytes]:
        for number in range(1, 1001):
            pulled.append(number)
            yield json.dumps({"id": str(number), "text": "t"}).encode() + b"\n"

    results = read_jsonl_lines(lines(), name="gen.jsonl")
    assert pulled == []  # nothing happens until the first result is asked for
    first = next(results)
    assert first.id == "1"
    assert pulled == [1]
    assert next(results).id == "2"
    assert pulled == [1, 2]


def test_read_inputs_is_lazy(tmp_path, build):
    path = build.write(tmp_path, "d.jsonl", build.jsonl({"text": "a"}, {"text": "b"}))
    seen: list[int] = []
    results = read_inputs([path], on_bytes=seen.append)
    assert iter(results) is results
    assert seen == []
    next(results)
    assert seen == [len(b'{"text": "a"}\n')]


def test_large_file_streams_in_constant_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "word " * 2000, "url": "https://x.example/"}).encode() + b"\n"
    count = 20 * 1024 * 1024 // len(line)
    with path.open("wb") as handle:
        for number in range(count):
            handle.write(line.replace(b"x.example/", f"x.example/{number}".encode()))
    assert path.stat().st_size > 19 * 1024 * 1024
    tracemalloc.start()
    try:
        read = sum(1 for _ in read_inputs([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == count
    # Reading whole would need 20 MB at least; streaming needs a few lines' worth.
    assert peak < 2 * 1024 * 1024


def test_html_in_text_and_title_is_made_plain(tmp_path, build):
    record = {
        "title": "Bridge <b>reopens</b> &amp; traffic returns",
        "text": "<p>The bridge reopened on <a href='/d'>Tuesday</a>.</p><p>Traffic returned by noon.</p>",
    }
    (article,) = read_jsonl(build.write(tmp_path, "d.jsonl", build.jsonl(record)))
    assert article.title == "Bridge reopens & traffic returns"
    assert article.text == "The bridge reopened on Tuesday.\n\nTraffic returned by noon."


def test_a_record_with_a_page_instead_of_text_is_extracted(tmp_path, build):
    record = {
        "id": "p1",
        "url": "https://planet.example/p1",
        "html": build.page(
            "Page title", [build.paragraph(1), build.paragraph(2)], date="2023-01-02"
        ).decode(),
        "crawl": "cc-2024",
    }
    titled = {**record, "id": "p2", "title": "Record title", "published": "2024-05-06"}
    empty = {"id": "p3", "html": "<html><body><script>track()</script></body></html>"}
    path = build.write(tmp_path, "d.jsonl", build.jsonl(record, titled, empty))
    first, second, error = read_jsonl(path)
    assert first.id == "p1" and "Paragraph 1:" in first.text and "Paragraph 2:" in first.text
    assert "Home" not in first.text and first.title == "Page title"
    assert first.published == datetime(2023, 1, 2, tzinfo=UTC) and first.url == record["url"]
    assert first.metadata["crawl"] == "cc-2024" and "html" not in first.metadata
    # The record's own fields win over the page's.
    assert second.title == "Record title" and second.published == datetime(2024, 5, 6, tzinfo=UTC)
    assert isinstance(error, InputError) and error.where == f"{path}:3" and "'html'" in error.message


def test_missing_text_names_the_fields_the_record_has(tmp_path, build):
    path = build.write(tmp_path, "d.jsonl", build.jsonl({"headline": "h", "maintext": "Body.", "n": 1}))
    (error,) = read_jsonl(path)
    assert "missing 'text'" in error.message and "'headline', 'maintext'" in error.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed, 10 Apr 2024 14:00:00 GMT", datetime(2024, 4, 10, 14, tzinfo=UTC)),  # RSS and HTTP
        ("Wed, 10 Apr 2024 14:00:00 +0200", datetime(2024, 4, 10, 12, tzinfo=UTC)),
        (1712757600, datetime(2024, 4, 10, 14, tzinfo=UTC)),  # Unix seconds
        (1712757600000, datetime(2024, 4, 10, 14, tzinfo=UTC)),  # milliseconds, as JavaScript writes them
        ("1712757600", datetime(2024, 4, 10, 14, tzinfo=UTC)),  # a Unix time written as a string
        ("April 10, 2024", datetime(2024, 4, 10, tzinfo=UTC)),
        ("10 April 2024 14:00 BST", datetime(2024, 4, 10, 13, tzinfo=UTC)),
        ("25/04/2024", datetime(2024, 4, 25, tzinfo=UTC)),  # only one way to read it
        ("2024-04-10T14:00:00Z", datetime(2024, 4, 10, 14, tzinfo=UTC)),
    ],
)
def test_dates_in_the_forms_feeds_and_exports_write(tmp_path, build, value, expected):
    path = build.write(tmp_path, "d.jsonl", build.jsonl({"text": "t", "published": value}))
    (article,) = read_jsonl(path)
    assert article.published == expected
