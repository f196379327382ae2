"""read_inputs and input_size over files, folders and bad paths."""

from __future__ import annotations

import json
import os

import pytest

from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import input_size, read_inputs


@pytest.fixture
def corpus(tmp_path, build):
    """A folder of mixed inputs, some broken, some hidden."""
    root = tmp_path / "corpus"
    build.write(root, "b.txt", "Second file.\n")
    build.write(root, "a.txt", "First file.\n")
    build.write(
        root, "sub/c.jsonl", build.jsonl({"id": "c1", "text": "c one"}, "{oops", {"id": "c2", "text": "c2"})
    )
    build.write(root, "sub/deeper/d.html", build.page("Deep page"))
    build.write(root, "sub/empty.txt", "")
    build.write(root, "z.bin", b"\x00\x01\x02binary")
    build.write(root, ".hidden.txt", "Never read.\n")
    build.write(root, ".git/config.txt", "Never read either.\n")
    return root


def describe(result: Article | InputError) -> str:
    return result.id if isinstance(result, Article) else f"error {result.where}"


def test_folder_walk_is_recursive_sorted_and_skips_hidden(corpus):
    results = list(read_inputs([corpus]))
    assert [describe(result) for result in results] == [
        "a",
        "b",
        "c1",
        f"error {corpus}/sub/c.jsonl:2",
        "c2",
        "d",
        f"error {corpus}/sub/empty.txt",
        f"error {corpus}/z.bin",
    ]
    assert results[0].origin == f"{corpus}/a.txt"
    assert results[-1].message == "binary file"


def test_symlinked_folders_are_named_and_not_followed(tmp_path, build):
    root = tmp_path / "root"
    build.write(root, "a.txt", "Text.\n")
    os.symlink(root, root / "loop")
    article, error = read_inputs([root])
    assert article.id == "a"
    assert error.where == str(root / "loop") and "symlinked folder not followed" in error.message


def test_progress_total_matches_input_size(corpus, tmp_path):
    missing = tmp_path / "missing.txt"
    seen: list[int] = []
    results = list(read_inputs([corpus, missing], on_bytes=seen.append))
    visible = [path for path in corpus.rglob("*") if path.is_file() and ".git" not in path.parts]
    visible = [path for path in visible if not path.name.startswith(".")]
    expected = sum(path.stat().st_size for path in visible)
    assert input_size([corpus, missing]) == expected
    assert sum(seen) == expected
    assert describe(results[-1]) == f"error {missing}"


def test_missing_path_is_a_single_error_and_the_run_goes_on(tmp_path, build):
    good = build.write(tmp_path, "good.txt", "Text.\n")
    missing = tmp_path / "nope"
    first, second = read_inputs([str(missing), good])
    assert isinstance(first, InputError)
    assert first.where == str(missing)
    assert "no such file" in first.message
    assert isinstance(second, Article) and second.id == "good"


def test_str_and_path_inputs_mix(tmp_path, build):
    a = build.write(tmp_path, "a.txt", "A.\n")
    b = build.write(tmp_path, "b.txt", "B.\n")
    assert [article.id for article in read_inputs([str(a), b])] == ["a", "b"]
    assert input_size([str(a), b]) == a.stat().st_size + b.stat().st_size


def test_source_override_applies_to_every_format(corpus):
    outlets = {
        result.source for result in read_inputs([corpus], source="Wire") if isinstance(result, Article)
    }
    assert outlets == {"Wire"}


def test_nothing_is_read_before_iteration(corpus):
    seen: list[int] = []
    results = read_inputs([corpus], on_bytes=seen.append)
    assert seen == []
    first = next(results)
    assert first.id == "a"
    assert sum(seen) == (corpus / "a.txt").stat().st_size


def test_a_file_unreadable_midway_is_one_error(tmp_path, build, monkeypatch):
    path = build.write(tmp_path, "a.txt", "Text.\n")

    def vanish(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_bytes", vanish)
    seen: list[int] = []
    (error,) = read_inputs([path], on_bytes=seen.append)
    assert isinstance(error, InputError)
    assert error.where == str(path)
    assert "Permission denied" in error.message
    assert sum(seen) == path.stat().st_size


def test_json_documents_are_read_whatever_their_extension(tmp_path, build):
    """JSON saved as .json, as .jsonl or with no extension; and prose that merely opens with a brace."""
    array = [{"id": "arr1", "text": "Dock workers ended a strike."}, {"id": "arr2", "text": "Backlog."}]
    single = {"id": "one", "title": "Port strike ends", "text": "Dock workers ended a strike."}
    root = tmp_path / "mixed"
    build.write(root, "a-articles.json", json.dumps(array, indent=2))
    build.write(root, "b-pretty.jsonl", json.dumps(single, indent=2))
    build.write(root, "c-export", json.dumps(array, indent=2))
    build.write(root, "d-startsbrace", "{Updated} Council votes to close the library\n\nThe vote was 7-2.\n")
    results = list(read_inputs([root]))
    assert [(describe(result), result.origin) for result in results] == [
        ("arr1", f"{root}/a-articles.json[0]"),
        ("arr2", f"{root}/a-articles.json[1]"),
        ("one", f"{root}/b-pretty.jsonl"),
        ("arr1", f"{root}/c-export[0]"),
        ("arr2", f"{root}/c-export[1]"),
        ("d-startsbrace", f"{root}/d-startsbrace"),
    ]
    assert results[2].title == "Port strike ends"
    assert results[-1].text.startswith("{Updated} Council votes")


def test_a_utf16_file_is_one_error_saying_what_to_do(tmp_path, build):
    path = build.write(tmp_path, "out.jsonl", '{"text": "Written by PowerShell."}\r\n'.encode("utf-16"))
    good = build.write(tmp_path, "z.txt", "Text.\n")
    error, article = read_inputs([tmp_path])
    assert isinstance(error, InputError)
    assert error.where == str(path)
    assert error.message == "UTF-16 text; newsfold reads UTF-8: convert it (iconv -f UTF-16 -t UTF-8)"
    assert article.origin == str(good)


def test_an_uncompressed_archive_without_extension_is_read(tmp_path, build):
    records = [
        build.WarcRecord("http://x.example/logo.png", b"\x89PNG\x00\x00\x01\x02", content_type="image/png"),
        build.WarcRecord("http://x.example/story", build.page("Story")),
    ]
    path = build.write(tmp_path, "crawl", build.warc(records, compress=False))
    (article,) = read_inputs([path])
    assert article.title == "Story"
    assert article.origin == f"{path} record 3 (http://x.example/story)"


def test_a_file_can_be_shown_by_another_name(tmp_path, build):
    good = build.write(tmp_path, "spool", build.jsonl({"id": "a", "text": "Text."}) + b"not json\n")
    article, error = read_inputs([good], names={str(good): "<stdin>"})
    assert article.origin == "<stdin>:1" and error.where == "<stdin>:2"
