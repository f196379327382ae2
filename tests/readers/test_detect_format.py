"""Format detection: extension first, then the first bytes; binary and empty files are refused."""

from __future__ import annotations

import codecs
import gzip

import pytest

from newsfold.errors import InputError
from newsfold.readers import detect_format


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "text"),
        ("a.text", "text"),
        ("notes.md", "text"),
        ("A.TXT", "text"),
        ("d.jsonl", "jsonl"),
        ("d.NDJSON", "jsonl"),
        ("d.json", "json"),
        ("p.html", "html"),
        ("p.htm", "html"),
        ("f.xml", "feed"),
        ("f.rss", "feed"),
        ("f.atom", "feed"),
        ("w.warc", "warc"),
    ],
)
def test_extension_decides_for_known_names(tmp_path, build, name, fmt):
    # The content is plain prose, so only the extension can explain each answer.
    path = build.write(tmp_path, name, "Just some prose, nothing more.\n")
    assert detect_format(path) == fmt


def test_compressed_extensions(tmp_path, build):
    jsonl = build.write(tmp_path, "d.jsonl.gz", gzip.compress(build.jsonl({"text": "x"})))
    archive = build.write(tmp_path, "w.warc.gz", build.warc([]))
    assert detect_format(jsonl) == "jsonl"
    assert detect_format(archive) == "warc"


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (b'  \n{"text": "hello"}\n', "jsonl"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', "feed"),
        (b"<!DOCTYPE html>\n<html><body><p>x</p></body></html>", "html"),
        (b"<html lang='en'><body>x</body></html>", "html"),
        (b"\xef\xbb\xbf<!doctype HTML><html></html>", "html"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n", "warc"),
        ("Plain words, caf\u00e9 and all.\n".encode(), "text"),
        (b"<p>an html fragment is just text</p>", "text"),
    ],
)
def test_sniffs_unknown_extensions(tmp_path, build, content, fmt):
    path = build.write(tmp_path, "input.dat", content)
    assert detect_format(path) == fmt


def test_sniffs_compressed_content(tmp_path, build):
    archive = build.write(tmp_path, "crawl.gz", build.warc([]))
    lines = build.write(tmp_path, "dump.gz", gzip.compress(b'{"text": "a"}\n'))
    other = build.write(tmp_path, "other.gz", gzip.compress(b"plain words"))
    assert detect_format(archive) == "warc"
    assert detect_format(lines) == "jsonl"
    with pytest.raises(InputError, match="binary file"):
        detect_format(other)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        ("story.txt", b"Looks like text\x00but has a NUL"),
        ("page.html", b"\x01\x02\x03\x04\x05\x06<html>" * 10),
        ("latin.dat", "caf\u00e9 cr\u00e8me".encode("latin-1")),
        ("story.txt.gz", gzip.compress(b"story")),
        ("story.txt", gzip.compress(b"story")),
    ],
)
def test_binary_files_are_refused(tmp_path, build, name, content):
    path = build.write(tmp_path, name, content)
    with pytest.raises(InputError, match="binary file") as raised:
        detect_format(path)
    assert raised.value.where == str(path)


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf \n", b" " * 200_000])
def test_empty_files_are_refused(tmp_path, build, content):
    path = build.write(tmp_path, "blank.txt", content)
    with pytest.raises(InputError, match="empty file"):
        detect_format(path)


def test_whitespace_then_text_past_the_head_is_not_empty(tmp_path, build):
    path = build.write(tmp_path, "late.txt", b" " * 100_000 + b"finally some words")
    assert detect_format(path) == "text"


def test_uncompressed_warc_may_hold_binary_payloads(tmp_path, build):
    image = build.WarcRecord("http://x.org/a.png", body=b"\x89PNG\x00\x00\x01", content_type="image/png")
    path = build.write(tmp_path, "w.warc", build.warc([image], compress=False))
    assert b"\x00" in path.read_bytes()
    assert detect_format(path) == "warc"


def test_uncompressed_warc_is_sniffed_without_an_extension(tmp_path, build):
    image = build.WarcRecord("http://x.org/a.png", body=b"\x89PNG\x00\x00\x01" * 50, content_type="image/png")
    path = build.write(tmp_path, "crawl", build.warc([image], compress=False))
    assert detect_format(path) == "warc"


def test_a_known_extension_still_wins_over_a_warc_header(tmp_path, build):
    image = build.WarcRecord("http://x.org/a.png", body=b"\x89PNG\x00\x00\x01" * 50, content_type="image/png")
    path = build.write(tmp_path, "notes.txt", build.warc([image], compress=False))
    with pytest.raises(InputError, match="binary file"):
        detect_format(path)


UTF16_ADVICE = "UTF-16 text; newsfold reads UTF-8: convert it (iconv -f UTF-16 -t UTF-8)"
LINE = '{"id": "g1", "text": "Caf\u00e9 owners protest"}\r\n'


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        # What PowerShell's ``>`` writes: little-endian with a BOM.
        (codecs.BOM_UTF16_LE + LINE.encode("utf-16-le"), "UTF-16"),
        (codecs.BOM_UTF16_BE + LINE.encode("utf-16-be"), "UTF-16"),
        (codecs.BOM_UTF32_LE + LINE.encode("utf-32-le"), "UTF-32"),
        (codecs.BOM_UTF32_BE + LINE.encode("utf-32-be"), "UTF-32"),
    ],
    ids=["utf16-le", "utf16-be", "utf32-le", "utf32-be"],
)
@pytest.mark.parametrize("name", ["d.jsonl", "story.txt", "page.html", "input"])
def test_utf16_and_utf32_text_is_named_with_what_to_do(tmp_path, build, content, encoding, name):
    path = build.write(tmp_path, name, content)
    with pytest.raises(InputError) as raised:
        detect_format(path)
    assert raised.value.where == str(path)
    assert raised.value.message == (
        f"{encoding} text; newsfold reads UTF-8: convert it (iconv -f {encoding} -t UTF-8)"
    )


def test_utf16_inside_a_compressed_jsonl_is_named(tmp_path, build):
    path = build.write(tmp_path, "d.jsonl.gz", gzip.compress(LINE.encode("utf-16")))
    with pytest.raises(InputError) as raised:
        detect_format(path)
    assert raised.value.message == UTF16_ADVICE


def test_a_utf16_bom_before_binary_data_is_still_binary(tmp_path, build):
    # A lone low surrogate: not UTF-16 after all.
    path = build.write(tmp_path, "blob.dat", codecs.BOM_UTF16_LE + b"\x00\xdc\x00\x00" * 20)
    with pytest.raises(InputError) as raised:
        detect_format(path)
    assert raised.value.message == "binary file"


PRETTY_OBJECT = '{\n  "id": "a1",\n  "text": "Dock workers ended the strike."\n}\n'
PRETTY_ARRAY = (
    '[\n  {\n    "id": "a1",\n    "text": "One."\n  },\n  {\n    "id": "a2",\n    "text": "Two."\n  }\n]\n'
)


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (PRETTY_ARRAY, "json"),
        (PRETTY_OBJECT, "json"),
        ('[{"id": "a1", "text": "One."},\n {"id": "a2", "text": "Two."}]\n', "json"),
        ('[{"id": "a1", "text": "One."}, {"id": "a2", "text": "Two."}]', "json"),
        ("\ufeff \n" + PRETTY_ARRAY, "json"),
        ('{"id": "a1", "text": "One."}\n{"id": "a2", "text": "Two."}\n', "jsonl"),
        # Prose that happens to open with a bracket or brace is text, not broken JSON.
        ("{Updated} Council votes to close the old library\n\nThe council voted 7-2.\n", "text"),
        ("[Updated] Council votes to close the old library\n\nThe council voted 7-2.\n", "text"),
        ("{\nthis looked like JSON for one line only\n}\n", "text"),
        ('{"id": "a1",\n"text": "never closed"\n', "text"),
    ],
    ids=[
        "pretty-array",
        "pretty-object",
        "compact-array",
        "one-line-array",
        "bom-array",
        "lines",
        "brace-prose",
        "bracket-prose",
        "brace-line-prose",
        "broken-document",
    ],
)
def test_json_documents_are_sniffed_by_content(tmp_path, build, content, fmt):
    path = build.write(tmp_path, "export", content)
    assert detect_format(path) == fmt


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        # A JSON document saved as .jsonl: its first line cannot be a record.
        ("d.jsonl", PRETTY_OBJECT, "json"),
        ("d.jsonl", PRETTY_ARRAY, "json"),
        ("d.jsonl", '[{"id": "a1", "text": "One."}]\n', "json"),
        ("d.jsonl", '{"id": "a1", "text": "One."}\n{"id": "a2", "text": "Two."}\n', "jsonl"),
        # A broken first record followed by good ones is JSON Lines with one bad line.
        ("d.jsonl", '{"id": "a1", "text": "One."\n{"id": "a2", "text": "Two."}\n', "jsonl"),
        ("d.jsonl", '["a1"]\n{"id": "a2", "text": "Two."}\n', "jsonl"),
        ("d.json", PRETTY_ARRAY, "json"),
        ("d.json", PRETTY_OBJECT, "json"),
        ("d.json", '{"id": "a1", "text": "One."}', "json"),
        # JSON Lines under a .json name, as many tools write them.
        ("d.json", '{"id": "a1", "text": "One."}\n{"id": "a2", "text": "Two."}\n', "jsonl"),
        ("D.JSON", "Just some prose, nothing more.\n", "json"),
    ],
)
def test_json_or_json_lines_under_either_extension(tmp_path, build, name, content, fmt):
    path = build.write(tmp_path, name, content)
    assert detect_format(path) == fmt
