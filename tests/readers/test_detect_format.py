"""Format detection: extension first, then the first bytes; binary and empty files are refused."""

from __future__ import annotations

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
