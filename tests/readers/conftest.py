"""Small fixture builders for the reader tests: pages, JSONL lines and WARC archives, made in memory."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfold.article import Article
from newsfold.errors import InputError

WORDS = "The council voted on Tuesday to approve the new bridge across the river after months of debate"


def paragraph(seed: int, words: int = 40) -> str:
    """A distinct, sentence-like paragraph long enough for trafilatura to treat as main text."""
    vocabulary = WORDS.split()
    body = " ".join(vocabulary[(seed + i) % len(vocabulary)] for i in range(words))
    return f"Paragraph {seed}: {body}."


def page(
    title: str = "Bridge vote passes",
    paragraphs: Iterable[str] | None = None,
    *,
    date: str | None = None,
    sitename: str | None = None,
    canonical: str | None = None,
    charset: str = "utf-8",
) -> bytes:
    """An article page with navigation and footer furniture around the main text."""
    body = "".join(f"<p>{text}</p>" for text in (paragraphs or [paragraph(1), paragraph(2), paragraph(3)]))
    meta = f'<meta charset="{charset}">'
    if date:
        meta += f'<meta property="article:published_time" content="{date}">'
    if sitename:
        meta += f'<meta property="og:site_name" content="{sitename}">'
    if canonical:
        meta += f'<link rel="canonical" href="{canonical}">'
    html = (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright 2024</footer></body></html>"
    )
    return html.encode(charset)


def jsonl(*records: dict[str, Any] | str) -> bytes:
    """JSON Lines bytes; a ``str`` item is written verbatim, to plant broken lines."""
    lines = [item if isinstance(item, str) else json.dumps(item) for item in records]
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class WarcRecord:
    """One record to write: a response unless ``kind`` says otherwise."""

    uri: str
    body: bytes = b""
    kind: str = "response"
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    date: str | None = None
    extra_headers: list[tuple[str, str]] = field(default_factory=list)


def warc(records: Iterable[WarcRecord], *, compress: bool = True, warcinfo: bool = True) -> bytes:
    """A WARC archive written by warcio, one gzip member per record when compressed."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    if warcinfo:
        writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "newsfold tests"}))
    for record in records:
        writer.write_record(_warc_record(writer, record))
    return buffer.getvalue()


def _warc_record(writer: WARCWriter, record: WarcRecord) -> Any:
    warc_headers = {"WARC-Date": record.date} if record.date else None
    if record.kind == "request":
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
    elif record.kind == "response":
        headers = [("Content-Type", record.content_type), *record.extra_headers]
        http = StatusAndHeaders(record.status, headers, protocol="HTTP/1.1")
    else:
        http = None
    return writer.create_warc_record(
        record.uri,
        record.kind,
        payload=io.BytesIO(record.body),
        http_headers=http,
        warc_headers_dict=warc_headers,
    )


def record_starts(data: bytes) -> list[int]:
    """Byte offsets where each record of an archive starts, as warcio sees them."""
    from warcio.archiveiterator import ArchiveIterator

    iterator = ArchiveIterator(io.BytesIO(data))
    return [iterator.get_record_offset() for _ in iterator]


def articles(results: Iterable[Article | InputError]) -> list[Article]:
    return [result for result in results if isinstance(result, Article)]


def errors(results: Iterable[Article | InputError]) -> list[InputError]:
    return [result for result in results if isinstance(result, InputError)]


def write(folder: Path, name: str, data: bytes | str) -> Path:
    """Write a fixture file (creating sub-folders) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


class Build:
    """The builders, handed to tests through the ``build`` fixture."""

    paragraph = staticmethod(paragraph)
    page = staticmethod(page)
    jsonl = staticmethod(jsonl)
    warc = staticmethod(warc)
    WarcRecord = WarcRecord
    record_starts = staticmethod(record_starts)
    articles = staticmethod(articles)
    errors = staticmethod(errors)
    write = staticmethod(write)


@pytest.fixture(scope="session")
def build() -> type[Build]:
    return Build
