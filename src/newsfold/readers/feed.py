"""RSS and Atom reader: one article per feed entry, from a file or an http(s) URL."""

from __future__ import annotations

import http.client
import io
import re
import urllib.request
import xml.parsers.expat
import xml.sax
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from newsfold.article import Article
from newsfold.dates import read_date
from newsfold.errors import InputError
from newsfold.readers import OnBytes, ReadResult, hashed_id, host_of, ignore_bytes, is_url
from newsfold.readers.markup import html_to_text

__all__ = ["FETCH_TIMEOUT", "USER_AGENT", "fetch_url", "parse_feed", "read_feed", "read_feed_url"]

FETCH_TIMEOUT = 30.0
USER_AGENT = "newsfold/0.1 (feed reader; +https://pypi.org/project/newsfold/)"
MAX_FEED_BYTES = 50 * 1024 * 1024
Fetch = Callable[[str], bytes]
# Entry ids short and plain enough to serve as article ids; anything else (URLs, long guids) is hashed.
_NICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
# A guid of digits alone ("1", "48213") numbers the entries of one feed; another outlet's feed has them too.
_SERIAL = re.compile(r"\d+")


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
    yield from parse_feed(data, name=url, source=source, base_url=url)


def read_feed(
    path: Path, *, source: str | None = None, on_bytes: OnBytes | None = None
) -> Iterator[ReadResult]:
    """Read the entries of a feed file."""
    data = path.read_bytes()
    (on_bytes or ignore_bytes)(len(data))
    yield from parse_feed(data, name=str(path), source=source)


#: What expat says when a document ends before its elements do.
_TRUNCATED = frozenset({"no element found", "unclosed token", "partial character", "unclosed CDATA section"})
#: The local names of the elements feedparser makes entries of (RSS and RDF ``item``, Atom ``entry``).
_ENTRY_ELEMENTS = frozenset({"item", "entry"})
# A page or a JSON document where a feed was expected: an HTML root (after an XML declaration and comments,
# as XHTML has them), or a JSON object or array.
_HTML_ROOT = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)
_JSON_START = (b"{", b"[")


def parse_feed(
    data: bytes, *, name: str, source: str | None = None, base_url: str | None = None
) -> Iterator[ReadResult]:
    """Articles from the bytes of an RSS or Atom document; ``name`` locates errors and origins.

    Relative entry links resolve against ``base_url``, the URL the feed was fetched from, else against the
    channel's own link when that is absolute.
    """
    # A stream, never a str or bytes: feedparser would treat those as a URL or file name to open.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser means never to raise, but does, e.g. on a garbled encoding name
        yield InputError(name, f"malformed feed: {exc!r}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if not_a_feed := _not_a_feed(data, name):
            yield InputError(name, not_a_feed)
        elif parsed.get("bozo"):
            yield InputError(name, f"malformed feed: {parsed.get('bozo_exception')}")
        elif not parsed.get("version"):
            yield InputError(name, "not an RSS or Atom feed")
        return
    broken = parsed.get("bozo_exception")
    # A feed cut short (an interrupted download). Other faults the lenient parser reads past (an undefined
    # entity) need no report.
    cut = isinstance(broken, xml.sax.SAXParseException) and broken.getMessage() in _TRUNCATED
    complete = len(entries)
    if cut and not _cut_between_entries(data, parsed.get("encoding")):
        # The entry the cut fell in is incomplete (its content, say, missing). Stored, it could never be
        # replaced by the whole entry, whose id it would hold: it is left for the next, complete read.
        complete -= 1
    channel = parsed.get("feed", {})
    title, link = _plain(channel.get("title")), _absolute_url(channel.get("link"))
    outlet = source or title
    base = base_url or link
    # Whose ids the entries' short guids are: the site's (its channel link), else the feed's title or address.
    scope = host_of(link) or title or base_url or name
    for number, entry in enumerate(entries[:complete], 1):
        yield _entry_article(entry, number=number, name=name, outlet=outlet, base=base, scope=scope)
    if not cut:
        return
    read = f"{complete} complete {'entry was' if complete == 1 else 'entries were'} read"
    if complete < len(entries):
        yield InputError(
            name, f"feed cut short ({broken}) in entry {len(entries)}, which is left out; {read}"
        )
    else:
        yield InputError(name, f"feed cut short ({broken}) after entry {complete}; {read}")


def _cut_between_entries(data: bytes, encoding: str | None) -> bool:
    """Whether a feed cut short ends outside every entry, so that all the entries feedparser read are whole.

    feedparser does not say where the cut fell, so the document is read again with expat (which feedparser's
    strict pass also uses), tracking whether the end comes inside an ``item`` or ``entry`` element. Anything
    unexpected counts as a cut inside an entry: leaving a whole entry for the next read costs little.
    """
    try:
        text = data.decode(encoding or "utf-8", "replace")
    except LookupError:
        text = data.decode("utf-8", "replace")
    # Given here, the encoding overrides the declared one: the bytes are UTF-8 now, whatever that says.
    parser = xml.parsers.expat.ParserCreate(encoding="utf-8")
    depth = 0

    def start(tag: str, attributes: Any) -> None:
        nonlocal depth
        depth += tag.rpartition(":")[2] in _ENTRY_ELEMENTS

    def end(tag: str) -> None:
        nonlocal depth
        depth -= tag.rpartition(":")[2] in _ENTRY_ELEMENTS

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text.encode("utf-8"), True)
    except xml.parsers.expat.ExpatError as exc:
        return depth == 0 and xml.parsers.expat.ErrorString(exc.code) in _TRUNCATED
    return False  # expat read a whole document where feedparser's parser found it cut: do not guess


def _not_a_feed(data: bytes, name: str) -> str | None:
    """What a document that is no feed is instead (an HTML page, JSON), as an error message; else ``None``."""
    head = data[: 64 * 1024].removeprefix(b"\xef\xbb\xbf")
    if _HTML_ROOT.match(head):
        what = "an HTML page"
    elif head.lstrip().startswith(_JSON_START):
        what = "JSON"
    else:
        return None
    if is_url(name):
        hint = "newsfold reads feed URLs, other formats as files"
        return f"not an RSS or Atom feed (the URL serves {what}); {hint}"
    return f"not an RSS or Atom feed (the file is {what})"


def _absolute_url(value: Any) -> str | None:
    """An absolute http(s) URL to resolve links against, or ``None``."""
    url = _plain(value)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _resolved(link: str | None, base: str | None) -> str | None:
    """A relative link made absolute against ``base``; a link that cannot be resolved stays as it is."""
    if link is None or base is None:
        return link
    try:
        if urlsplit(link).scheme:
            return link
        return urljoin(base, link)
    except ValueError:  # e.g. a malformed IPv6 host
        return link


def _entry_article(
    entry: Any, *, number: int, name: str, outlet: str | None, base: str | None, scope: str
) -> ReadResult:
    raw_link = _plain(entry.get("link"))
    if (
        raw_link
        and raw_link == _plain(entry.get("id"))
        and urlsplit(raw_link).scheme not in ("http", "https")
    ):
        # feedparser offers a guid as the link when there is none ("hg-2024-0005", "tag:site,2024:3"): no
        # page lives there.
        raw_link = None
    link = _resolved(raw_link, base)
    where = f"{name} entry {number}" + (f" ({link})" if link else "")
    text = _entry_text(entry)
    if not text:
        return InputError(where, "entry has no text")
    return Article(
        # The link as written, so that an entry keeps the id it had before links were resolved, and the same
        # id whichever base (the feed's URL or its channel link) resolved it.
        id=_entry_id(_plain(entry.get("id")) or raw_link, text, scope),
        text=text,
        source=outlet or host_of(link),
        url=link,
        title=_entry_title(entry),
        published=_entry_date(entry),
        metadata=_entry_metadata(entry),
        origin=where,
        updates_id=True,  # a feed corrects an entry under its guid
    )


def _entry_id(raw_id: str | None, text: str, scope: str) -> str:
    """The article id of an entry: its guid when that is plain ("vt-2024-0312-01"); a serial number ("1",
    "48213") numbers one feed's entries only, so it is hashed with the feed's ``scope``; a URL or a long guid
    is hashed alone; no guid, the text is."""
    if raw_id and _NICE_ID.fullmatch(raw_id):
        return hashed_id("f-", f"{scope}\n{raw_id}") if _SERIAL.fullmatch(raw_id) else raw_id
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
    """Published, else updated time: the entry's own text read as a JSONL date is (``read_date``: named
    zones, a Unix time, no guess at a day and month that could be swapped), else feedparser's reading of it
    when that is a plausible news date. feedparser alone read "2024.07.03" as November 1 and a Unix time as
    the year 1720, and dropped the zone of "22:00 CEST"."""
    for key in ("published", "updated"):
        raw = _plain(entry.get(key))
        if raw is None:
            continue
        try:
            return read_date(raw)
        except ValueError as exc:
            if "ambiguous" in str(exc):
                return None  # no date beats a wrong one
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                value = datetime(*parsed[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
            if _PLAUSIBLE[0] <= value.year <= _PLAUSIBLE[1]:
                return value
    return None


_PLAUSIBLE = (1980, 2099)  # years a feed entry can be from


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
