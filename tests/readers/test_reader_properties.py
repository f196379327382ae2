"""Property tests: whatever the bytes, readers yield articles or errors, never raise, and count every byte."""

from __future__ import annotations

import codecs
import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import input_size, read_inputs
from newsfold.readers.jsonl import read_jsonl_lines
from newsfold.readers.markup import plain_text
from newsfold.readers.text import parse_text

EXTENSIONS = [".txt", ".md", ".jsonl", ".jsonl.gz", ".html", ".xml", ".rss", ".warc", ".warc.gz", ".dat", ""]
# Prefixes that steer content sniffing and the parsers down their less travelled paths.
PREFIXES = [b"", b"{", b"<rss>", b"<feed>", b"<html>", b"WARC/1.0\r\n", b"\x1f\x8b", b"\xef\xbb\xbf"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_all(data: bytes, name: str) -> tuple[list[Article | InputError], int, int]:
    """Read one file holding ``data``; returns the results, bytes reported and the expected total."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        seen: list[int] = []
        results = list(read_inputs([path], on_bytes=seen.append))
        return results, sum(seen), input_size([path])


@SETTINGS
@given(
    prefix=st.sampled_from(PREFIXES),
    data=st.binary(max_size=2048),
    extension=st.sampled_from(EXTENSIONS),
)
def test_arbitrary_bytes_never_raise(prefix, data, extension):
    results, reported, total = read_all(prefix + data, "input" + extension)
    assert all(isinstance(result, Article | InputError) for result in results)
    assert reported == total == len(prefix + data)
    for result in results:
        if isinstance(result, Article):
            assert result.text.strip()
            assert result.origin


@SETTINGS
@given(
    data=st.binary(min_size=1, max_size=2048),
    extension=st.sampled_from([".jsonl.gz", ".warc.gz", ".gz"]),
)
def test_arbitrary_gzip_payloads_never_raise(data, extension):
    results, reported, total = read_all(gzip.compress(data), "input" + extension)
    assert all(isinstance(result, Article | InputError) for result in results)
    assert reported == total


GOOD_RECORD = st.fixed_dictionaries(
    {"text": st.text(min_size=1).filter(str.strip)},
    optional={"id": st.one_of(st.text(min_size=1), st.integers()), "extra": st.integers()},
)
# No byte-order mark: the reader drops the first line's (test_utf8_bom_on_the_first_line_is_ignored).
BAD_LINE = st.binary(min_size=1).filter(
    lambda line: b"\n" not in line and line.strip() and not line.startswith(codecs.BOM_UTF8)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(GOOD_RECORD, BAD_LINE, st.just(b"")), max_size=20))
def test_jsonl_yields_one_result_per_non_blank_line_in_order(lines):
    encoded = [item if isinstance(item, bytes) else json.dumps(item).encode() for item in lines]
    results = list(read_jsonl_lines((line + b"\n" for line in encoded), name="x.jsonl"))
    numbered = [
        number for number, line in enumerate(encoded, 1) if line.removeprefix(codecs.BOM_UTF8).strip()
    ]
    located = [result.origin if isinstance(result, Article) else result.where for result in results]
    assert located == [f"x.jsonl:{number}" for number in numbered]
    kept = [
        line for line in lines if not isinstance(line, bytes) or line.removeprefix(codecs.BOM_UTF8).strip()
    ]
    for item, result in zip(kept, results, strict=True):
        if isinstance(item, dict):
            # A JSON object with non-empty text always makes an article, whatever else it holds.
            assert isinstance(result, Article)
            assert result.text == plain_text(item["text"])  # HTML in it made plain
            assert result.metadata == ({"extra": item["extra"]} if "extra" in item else {})


@settings(max_examples=200, deadline=None)
@given(st.text().filter(str.strip))
def test_text_without_a_header_is_kept_exactly(text):
    # Without a colon no line can open a header block, so the text must come back byte for byte.
    text = text.replace(":", ";").replace("\x00", "").lstrip("\ufeff")
    result = parse_text(text.encode("utf-8"), name="t.txt", article_id="t")
    if not text.strip():
        assert isinstance(result, InputError)
        return
    assert result.text == text


ARCHIVES: dict[bool, bytes] = {}


@SETTINGS
@given(st.data())
def test_truncated_archives_yield_a_prefix_then_at_most_one_error(build, data):
    compress = data.draw(st.booleans())
    if compress not in ARCHIVES:
        # Built once: record ids are random, so a rebuilt archive could change length between examples.
        pages = [build.WarcRecord(f"http://x.example/{i}", build.page(f"Page {i}")) for i in range(3)]
        ARCHIVES[compress] = build.warc(pages, compress=compress)
    archive = ARCHIVES[compress]
    cut = data.draw(st.integers(min_value=1, max_value=len(archive)))
    results, reported, total = read_all(archive[:cut], "cut.warc.gz" if compress else "cut.warc")
    titles = [result.title for result in results if isinstance(result, Article)]
    assert titles == [f"Page {i}" for i in range(len(titles))]
    problems = [result for result in results if isinstance(result, InputError)]
    assert len(problems) <= 1
    if problems:
        assert results[-1] is problems[0]
    if cut == len(archive):
        assert titles == ["Page 0", "Page 1", "Page 2"] and not problems
    assert reported == total
