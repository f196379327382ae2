"""The JSON reader: an array of article objects or one object, each read as a JSON Lines record."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import input_size, read_inputs
from newsfold.readers.json_doc import parse_json, read_json
from newsfold.readers.jsonl import parse_line

ARRAY = [
    {
        "id": "arr1",
        "source": "Array Times",
        "title": "Port strike ends",
        "text": "Dock workers ended a strike.",
    },
    {
        "id": "arr2",
        "title": "Kessel backlog",
        "text": "The backlog will take a week.",
        "published": "2024-04-10",
    },
]


def test_an_array_gives_one_article_per_object(tmp_path, build):
    path = build.write(tmp_path, "articles.json", json.dumps(ARRAY, indent=2))
    first, second = read_json(path)
    assert (first.id, first.source, first.title, first.text) == (
        "arr1",
        "Array Times",
        "Port strike ends",
        "Dock workers ended a strike.",
    )
    assert first.origin == f"{path}[0]"
    assert second.origin == f"{path}[1]"
    assert second.published == datetime(2024, 4, 10, tzinfo=UTC)


def test_a_single_object_gives_one_article(tmp_path, build):
    path = build.write(tmp_path, "single.json", json.dumps(ARRAY[0], indent=2))
    (article,) = read_json(path)
    assert article.id == "arr1"
    assert article.origin == str(path)


def test_each_item_reads_exactly_as_a_jsonl_record(tmp_path, build):
    records = [
        {"text": "No id: one is made from the text.", "url": "https://www.paper.example/a", "lang": "en"},
        {"html": build.page("From a page").decode(), "id": "p1"},
        {"id": "x", "text": "<p>Para one.</p><p>Para &amp; two.</p>", "tags": ["a", "b"]},
    ]
    path = build.write(tmp_path, "mixed.json", json.dumps(records))
    for index, (record, article) in enumerate(zip(records, read_json(path), strict=True)):
        expected = parse_line(json.dumps(record).encode(), where=f"{path}[{index}]")
        assert isinstance(article, Article)
        assert article == expected


def test_bad_items_are_named_by_index_and_the_rest_is_read(tmp_path, build):
    items = [
        {"id": "ok1", "text": "Fine."},
        {"id": "no-text"},
        "a string",
        {"id": "bad-date", "text": "x", "published": "someday"},
        {"id": "ok2", "text": "Also fine."},
    ]
    path = build.write(tmp_path, "articles.json", json.dumps(items))
    results = list(read_json(path))
    assert [result.id for result in build.articles(results)] == ["ok1", "ok2"]
    problems = {error.where: error.message for error in build.errors(results)}
    assert list(problems) == [f"{path}[1]", f"{path}[2]", f"{path}[3]"]
    assert problems[f"{path}[1]"] == "missing 'text'"
    assert problems[f"{path}[2]"] == "expected a JSON object, got a string"
    assert problems[f"{path}[3]"].startswith("bad 'published'")


def test_source_override_wins(tmp_path, build):
    path = build.write(tmp_path, "articles.json", json.dumps(ARRAY))
    assert {article.source for article in read_inputs([path], source="Wire")} == {"Wire"}


def test_invalid_json_is_one_error_at_its_line(tmp_path, build):
    path = build.write(
        tmp_path, "broken.json", '[\n  {"id": "a", "text": "x"},\n  {"id": "b" "text": "y"}\n]\n'
    )
    (error,) = read_json(path)
    assert error.where == f"{path}:3"
    assert error.message == "invalid JSON: Expecting ',' delimiter at column 14"


def test_prose_in_a_json_file_is_one_error(tmp_path, build):
    path = build.write(tmp_path, "notes.json", "Just some prose.\nOver two lines.\n")
    (error,) = read_inputs([path])
    assert isinstance(error, InputError)
    assert error.where == f"{path}:1"
    assert error.message.startswith("invalid JSON")


def test_a_bom_is_ignored(tmp_path, build):
    path = build.write(tmp_path, "bom.json", b"\xef\xbb\xbf" + json.dumps(ARRAY).encode())
    assert [article.id for article in read_json(path)] == ["arr1", "arr2"]


def test_not_utf8_is_located_by_line(tmp_path, build):
    path = build.write(
        tmp_path, "latin.json", b"\xef\xbb\xbf" + '[\n{"text": "caf\u00e9"}\n]'.encode("latin-1")
    )
    (error,) = read_json(path)
    assert error.where == f"{path}:2"
    assert error.message == "not valid UTF-8 (byte 0xe9)"


def test_documents_that_are_no_articles(tmp_path, build):
    cases = {
        "empty.json": ("[]", "no articles: the JSON array is empty"),
        "number.json": ("42", "expected a JSON object or an array of objects, got a number"),
        "nan.json": ('[{"text": "x", "score": NaN}]', "invalid JSON: NaN is not allowed"),
        "deep.json": ("[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
    }
    for name, (content, message) in cases.items():
        path = build.write(tmp_path, name, content)
        (error,) = read_json(path)
        assert (error.where, error.message) == (str(path), message), name


def test_a_lone_surrogate_spoils_only_its_item(tmp_path, build):
    path = build.write(
        tmp_path, "s.json", '[{"id": "a", "text": "ok"}, {"id": "b", "text": "half \\ud800 pair"}]'
    )
    good, bad = read_json(path)
    assert good.id == "a"
    assert bad.where == f"{path}[1]"
    assert "lone surrogate" in bad.message


def test_read_inputs_counts_every_byte(tmp_path, build):
    path = build.write(tmp_path, "articles.json", json.dumps(ARRAY, indent=2))
    seen: list[int] = []
    assert len(list(read_inputs([path], on_bytes=seen.append))) == 2
    assert sum(seen) == input_size([path]) == path.stat().st_size


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from([b"", b"[", b"{", b'[{"text": "a"}, ', b"\xef\xbb\xbf"]),
    data=st.binary(max_size=1024),
    name=st.sampled_from(["input.json", "input.jsonl", "input"]),
)
def test_arbitrary_bytes_never_raise(prefix, data, name):
    assert all(
        isinstance(result, Article | InputError) for result in parse_json(prefix + data, name="x.json")
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(prefix + data)
        seen: list[int] = []
        results = list(read_inputs([path], on_bytes=seen.append))
    assert all(isinstance(result, Article | InputError) for result in results)
    assert sum(seen) == len(prefix + data)
