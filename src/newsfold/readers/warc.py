"""WARC reader: the HTML pages of a web archive, streamed record by record through the HTML extractor."""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

from newsfold.article import parse_published
from newsfold.errors import InputError
from newsfold.readers import OnBytes, PendingPage, RawProgress, ReadResult, hashed_id, ignore_bytes

__all__ = ["read_warc"]

# On a damaged archive warcio raises ArchiveLoadFailed, StatusAndHeadersParserException, EOFError or
# zlib.error, and on some damage trips over its own feet (an AttributeError on a record cut off in its
# headers). One broken archive must end only itself, not the run, so any exception there counts as damage.
_ARCHIVE_ERRORS = Exception
_BLOCK_SIZE = 64 * 1024
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)")
# Records that carry a page: a crawled HTTP response, or a resource stored as it is (WARC 1.1, 6.4).
_PAGE_RECORDS = ("response", "resource")
# A body without a Content-Type is HTML if it opens as a page, or shows page tags within its first bytes.
_SNIFF_SIZE = 1024
_PAGE_TAG = re.compile(rb"<(?:body|p)[\s>/]")


def read_warc(
    path: Path, *, source: str | None = None, on_bytes: OnBytes | None = None, defer_pages: bool = False
) -> Iterator[ReadResult | PendingPage]:
    """An article per 2xx HTML response or HTML resource record; a damaged archive ends with one
    ``InputError`` where it broke, and a page whose body does not decode is one ``InputError``.
    ``defer_pages``: each page as a :class:`~newsfold.readers.PendingPage`, extracted later."""
    name = str(path)
    with path.open("rb") as raw:
        progress = RawProgress(raw, on_bytes or ignore_bytes)
        records = ArchiveIterator(raw)
        number = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except _ARCHIVE_ERRORS as exc:
                yield _broken(name, number + 1, exc)
                return
            number += 1
            where = _where(name, number, record)
            if record.format != "warc":
                # warcio reads ARC too, and takes many a line of junk for an ARC header.
                yield _broken(where, None, "not a WARC record")
                return
            try:
                page = _page(record, where)
                complete = _drain(record)
            except _ARCHIVE_ERRORS as exc:
                yield _broken(where, None, exc)
                return
            if not complete:
                yield _broken(where, None, "the record ends early")
                return
            progress()
            if isinstance(page, InputError):
                yield page
            elif page is not None:
                pending = _article(record, page, where, source)
                yield pending if defer_pages else pending.extract()
        if _has_trailing_data(raw, records, number):
            # warcio stops silently at a record cut off in its headers; bytes left over betray it.
            yield _broken(name, number + 1, "an incomplete record at the end")


def _where(name: str, number: int, record: Any) -> str:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    return f"{name} record {number}" + (f" ({uri})" if uri else "")


def _broken(where: str, number: int | None, cause: object) -> InputError:
    location = where if number is None else f"{where} record {number}"
    # Some of warcio's errors (a bare EOFError) carry no message; their type still says something.
    detail = str(cause) or type(cause).__name__
    return InputError(location, f"truncated or corrupt archive: {detail}")


def _page(record: Any, where: str) -> bytes | str | InputError | None:
    """The HTML of a 2xx HTML response or an HTML resource record, ``None`` for any other record.

    A record that says nothing of its type is HTML if its body looks like a page (:func:`_looks_like_html`).
    """
    if record.rec_type not in _PAGE_RECORDS:
        return None
    http = record.http_headers
    if http is not None:
        status = http.get_statuscode() or ""
        if not (len(status) == 3 and status.startswith("2")):
            return None
        content_type = http.get_header("Content-Type")
    else:
        # No HTTP message (a resource, or a response over another protocol): the record's type is the body's.
        content_type = record.rec_headers.get_header("Content-Type")
    content_type = (content_type or "").strip().lower()
    if content_type and "html" not in content_type:
        return None
    try:
        body = _body(record)
    except (zlib.error, OSError, ValueError, EOFError) as exc:
        # A bad Content-Encoding spoils this page only; the archive framing around it may be intact.
        return InputError(where, f"unreadable HTTP body: {exc}")
    if not content_type and not _looks_like_html(body):
        return None
    return _decode(body, content_type)


def _body(record: Any) -> bytes:
    """The payload, de-chunked and decoded by its Content-Encoding; raises if that encoding fails.

    warcio passes a body that does not decompress through as it is, which would store compressed or
    mislabelled bytes as text. A body already decoded (some crawlers store it so but keep the header) is
    still read when it plainly is a page.
    """
    http = record.http_headers
    coding = (http.get_header("Content-Encoding") or "").strip().lower() if http is not None else ""
    decode = _DECODERS.get(coding)
    if decode is None:
        # No encoding, or one warcio alone knows (brotli, with the brotli package installed).
        return record.content_stream().read()
    chunked = (http.get_header("Transfer-Encoding") or "").strip().lower() == "chunked"
    # Not chunked after all, warcio's reader falls back to the bytes as they are, like its content_stream.
    body = (ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream).read()
    try:
        return decode(body)
    except (zlib.error, OSError, EOFError) as exc:
        if _looks_like_html(body):
            return body
        raise ValueError(f"Content-Encoding is {coding} but the body does not decode ({exc})") from None


def _gunzip(body: bytes) -> bytes:
    """gzip data; bytes after the stream (padding some servers send) are ignored, as browsers and warcio do."""
    return _inflated(zlib.decompressobj(16 + zlib.MAX_WBITS), body)


def _inflate(body: bytes) -> bytes:
    """HTTP's ``deflate`` is zlib data, but many servers send raw deflate data; both are read."""
    try:
        return _inflated(zlib.decompressobj(), body)
    except zlib.error:
        return _inflated(zlib.decompressobj(-zlib.MAX_WBITS), body)


def _inflated(decompressor: Any, body: bytes) -> bytes:
    data = decompressor.decompress(body)
    if not decompressor.eof:
        raise EOFError("the compressed data ends early")
    return data


_DECODERS: dict[str, Callable[[bytes], bytes]] = {"gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate}


def _looks_like_html(body: bytes) -> bool:
    """Whether a body opens as an HTML page (past whitespace and a BOM) or has page tags near its start."""
    head = body[:_SNIFF_SIZE].lstrip().removeprefix(codecs.BOM_UTF8).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or _PAGE_TAG.search(head) is not None


def _decode(body: bytes, content_type: str) -> bytes | str:
    """Decode by the HTTP charset, which overrides the page's own; without one trafilatura guesses."""
    match = _CHARSET.search(content_type)
    if match is None:
        return body
    try:
        return body.decode(match.group(1))
    except (LookupError, UnicodeDecodeError):
        return body


def _drain(record: Any) -> bool:
    """Read what is left of a record; ``False`` if the archive ended before its declared length."""
    stream = record.raw_stream
    while stream.read(_BLOCK_SIZE):
        pass
    # warcio wraps the record body in a LimitReader whose ``limit`` counts the bytes still owed.
    return getattr(stream, "limit", 0) <= 0


def _article(record: Any, page: bytes | str, where: str, source: str | None) -> PendingPage:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    return PendingPage(
        page,
        article_id=hashed_id("w-", uri or where),
        origin=where,
        url=uri,
        source=source,
        fallback_date=_warc_date(record),
        # A later capture of the URL with another text is another version of the page, stored beside it.
        id_from_name=True,
    )


def _warc_date(record: Any) -> datetime | None:
    try:
        return parse_published(record.rec_headers.get_header("WARC-Date"))
    except ValueError:
        return None


def _has_trailing_data(raw: IO[bytes], records: ArchiveIterator, count: int) -> bool:
    """Whether anything but whitespace follows the last complete record."""
    try:
        end = records.get_record_offset() + records.get_record_length() if count else 0
    except TypeError:
        # warcio lost track of the last record's extent; without it there is nothing to compare.
        return False
    raw.seek(end)
    while chunk := raw.read(_BLOCK_SIZE):
        if chunk.strip():
            return True
    return False
