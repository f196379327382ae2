"""RSS and Atom reader: one article per feed entry, from a file or an http(s) URL."""

from __future__ import annotations

import http.client
import io
import re
import urllib.request
import xml.sax
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import OnBytes, ReadResult, hashed_id, host_of, ignore_bytes
from newsfold.readers.markup import html_to_text

__all__ = ["FETCH_TIMEOUT", "USER_AGENT", "fetch_url", "parse_feed", "read_feed", "read_feed_url"]

FETCH_TIMEOUT = 30.0
USER_AGENT = "newsfold/0.1 (feed reader; +https://pypi.org/project/newsfold/)"
MAX_FEED_BYTES = 50 * 1024 * 1024
Fetch = Callable[[str], bytes]
# Entry ids short and plain enough to serve as article ids; anything else (URLs, long guids) is hashed.
_NICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def fetch_url(url: str, *, timeout: float = FETCH_TIMEOUT) -> bytes:
    """Download a feed; tests replace this function so they never touch the network."""
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8",
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data = response.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        raise ValueError(f"feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB")
    return data


def read_feed_url(url: str, *, source: str | None = None, fetch: Fetch | None = None) -> Iterator[ReadResult]:
    """Fetch a feed URL and read its entries; a failed fetch is one ``InputError`` naming the URL."""
    # Looked up at call time so that monkeypatching ``fetch_url`` reaches read_inputs too.
    get = fetch or fetch_url
    try:
        data = get(url)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # URLError, HTTPError and timeouts are all OSErrors.
        yield InputError(url, f"could not fetch feed: {exc}")
        return
    yield from parse_feed(data, name=url, source=source)


def read_feed(
    path: Path, *, source: str | None = None, on_bytes: OnBytes | None = None
) -> Iterator[ReadResult]:
    """Read the entries of a feed file."""
    data = path.read_bytes()
    (on_bytes or ignore_bytes)(len(data))
    yield from parse_feed(data, name=str(path), source=source)


#: What expat says when a document ends before its elements do.
_TRUNCATED = frozenset({"no element found", "unclosed token", "partial character", "unclosed CDATA section"})


def parse_feed(data: bytes, *, name: str, source: str | None = None) -> Iterator[ReadResult]:
    """Articles from the bytes of an RSS or Atom document; ``name`` locates errors and origins."""
    # A stream, never a str or bytes: feedparser would treat those as a URL or file name to open.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser means never to raise, but does, e.g. on a garbled encoding name
        yield InputError(name, f"malformed feed: {exc!r}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield InputError(name, f"malformed feed: {parsed.get('bozo_exception')}")
        elif not parsed.get("version"):
            yield InputError(name, "not an RSS or Atom feed")
        return
    outlet = source or _plain(parsed.get("feed", {}).get("title"))
    for number, entry in enumerate(entries, 1):
        yield _entry_article(entry, number=number, name=name, outlet=outlet)
    broken = parsed.get("bozo_exception")
    if isinstance(broken, xml.sax.SAXParseException) and broken.getMessage() in _TRUNCATED:
        # A feed cut short (an interrupted download): the entries before the cut were read, and are kept.
        # Other faults the lenient parser reads past (an undefined entity) need no report.
        yield InputError(name, f"feed cut short ({broken}); the {len(entries)} entries before it were read")


def _entry_article(entry: Any, *, number: int, name: str, outlet: str | None) -> ReadResult:
    link = _plain(entry.get("link"))
    where = f"{name} entry {number}" + (f" ({link})" if link else "")
    text = _entry_text(entry)
    if not text:
        return InputError(where, "entry has no text")
    return Article(
        id=_entry_id(_plain(entry.get("id")) or link, text),
        text=text,
        source=outlet or host_of(link),
        url=link,
        title=_entry_title(entry),
        published=_entry_date(entry),
        metadata=_entry_metadata(entry),
        origin=where,
    )


def _entry_id(raw_id: str | None, text: str) -> str:
    if raw_id and _NICE_ID.fullmatch(raw_id):
        return raw_id
    return hashed_id("f-", raw_id or text)


def _entry_text(entry: Any) -> str:
    """The entry's full content if it has any, else its summary, as plain text in paragraphs."""
    details = [*(entry.get("content") or []), entry.get("summary_detail")]
    for detail in details:
        text = _detail_text(detail)
        if text:
            return text
    return ""


def _detail_text(detail: Any) -> str:
    if not detail or not isinstance(detail.get("value"), str):
        return ""
    value = detail["value"]
    if "html" in (detail.get("type") or "html"):
        return html_to_text(value)
    return value.strip()


def _entry_title(entry: Any) -> str | None:
    detail = entry.get("title_detail")
    title = _detail_text(detail) if detail else _plain(entry.get("title"))
    if not title:
        return None
    # A title is one line even when the feed marked it up with breaks.
    return " ".join(title.split())


def _entry_date(entry: Any) -> datetime | None:
    """Published, else updated time; feedparser gives both as UTC ``struct_time``."""
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _entry_metadata(entry: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    author = _plain(entry.get("author"))
    if author:
        metadata["author"] = author
    tags = [tag.get("term") for tag in entry.get("tags") or [] if tag.get("term")]
    if tags:
        metadata["tags"] = tags
    return metadata


def _plain(value: Any) -> str | None:
    """A stripped string, or ``None`` for missing, blank or non-string values."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
