"""JSON Lines reader: one article per line, streamed in constant memory, plain or gzip-compressed."""

from __future__ import annotations

import codecs
import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from newsfold.article import Article
from newsfold.dates import read_date
from newsfold.errors import InputError
from newsfold.readers import (
    GZIP_MAGIC,
    OnBytes,
    PendingPage,
    RawProgress,
    ReadResult,
    hashed_id,
    host_of,
    ignore_bytes,
)
from newsfold.readers.markup import plain_line, plain_text

__all__ = [
    "InvalidJson",
    "LONE_SURROGATE",
    "decode_record",
    "has_lone_surrogate",
    "json_type",
    "load_json",
    "parse_line",
    "read_jsonl",
    "read_jsonl_lines",
    "record_to_article",
]

#: Fields that map onto :class:`Article`; every other field of a record is kept in ``metadata``.
ARTICLE_FIELDS = frozenset({"id", "source", "url", "title", "published", "text"})
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number"}


class _BadRecord(ValueError):
    """A record that parsed as JSON but cannot be an article."""


def read_jsonl(
    path: Path, *, source: str | None = None, on_bytes: OnBytes | None = None, defer_pages: bool = False
) -> Iterator[ReadResult | PendingPage]:
    """Stream a ``.jsonl`` file, gzip-compressed or not (told by its magic bytes), line by line.
    ``defer_pages``: a record that gives a page's ``html`` comes as a :class:`~newsfold.readers.PendingPage`."""
    report = on_bytes or ignore_bytes
    with path.open("rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        if not compressed:
            yield from read_jsonl_lines(
                raw, name=str(path), source=source, on_bytes=report, defer_pages=defer_pages
            )
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            progress = RawProgress(raw, report)
            yield from read_jsonl_lines(
                stream, name=str(path), source=source, on_bytes=progress, defer_pages=defer_pages
            )


def read_jsonl_lines(
    lines: Iterable[bytes],
    *,
    name: str,
    source: str | None = None,
    on_bytes: OnBytes | None = None,
    defer_pages: bool = False,
) -> Iterator[ReadResult | PendingPage]:
    """Parse byte lines one at a time, so memory stays flat however long the input is."""
    report = on_bytes or ignore_bytes
    iterator = iter(lines)
    number = 0
    while True:
        try:
            line = next(iterator)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error) as exc:
            # A truncated or corrupt gzip stream: what came before is kept, nothing after can be trusted.
            yield InputError(f"{name}:{number + 1}", f"truncated or corrupt compressed data ({exc})")
            return
        number += 1
        report(len(line))
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if line.strip():
            yield parse_line(line, where=f"{name}:{number}", source=source, defer_pages=defer_pages)


def parse_line(
    line: bytes, *, where: str, source: str | None = None, defer_pages: bool = False
) -> ReadResult | PendingPage:
    """One JSON line as an article, or an ``InputError`` located at ``where`` (``defer_pages``: a record
    with a page's ``html`` as a :class:`~newsfold.readers.PendingPage`)."""
    record = decode_record(line, where=where)
    if isinstance(record, InputError):
        return record
    return _record(record, where=where, source=source, defer_pages=defer_pages)


def decode_record(line: bytes, *, where: str) -> dict[str, Any] | InputError:
    """One JSON line as a JSON object (any fields), or an ``InputError`` located at ``where``."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(where, f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1})")
    try:
        record = load_json(text)
    except InvalidJson as exc:
        return InputError(where, str(exc))
    if not isinstance(record, dict):
        return InputError(where, f"expected a JSON object, got {json_type(record)}")
    if _SURROGATE_ESCAPE.search(line) and has_lone_surrogate(record):
        return InputError(where, LONE_SURROGATE)
    return record


class InvalidJson(ValueError):
    """JSON that does not parse; the message is the one a user sees, ``line`` where it breaks (0: unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


#: The message for a string that JSON escapes to half a surrogate pair (it cannot be stored or written as UTF-8).
LONE_SURROGATE = "invalid JSON: a \\u escape makes a lone surrogate, which is not Unicode"


def load_json(text: str) -> Any:
    """``text`` parsed as the readers take JSON (NaN and Infinity refused); raises :class:`InvalidJson`."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        # Some messages end in "at" ("Invalid control character at"): the column completes them.
        raise InvalidJson(
            f"invalid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}", exc.lineno
        ) from None
    except ValueError as exc:
        raise InvalidJson(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise InvalidJson("invalid JSON: nested too deeply") from None


def has_lone_surrogate(value: Any) -> bool:
    """Whether a parsed JSON value holds a string with half a surrogate pair."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except RecursionError:
        return False  # json.loads read this depth; the strings are checked no deeper
    return False


def record_to_article(record: dict[str, Any], *, where: str, source: str | None = None) -> ReadResult:
    """Map a decoded JSON object onto an article; unknown fields go to ``metadata`` unchanged.

    ``text`` is read as plain text, freed of any HTML it carries (:func:`~newsfold.readers.markup.plain_text`).
    A record with no ``text`` but an ``html`` page has its main text extracted as an HTML file's would be.
    """
    result = _record(record, where=where, source=source, defer_pages=False)
    assert not isinstance(result, PendingPage)
    return result


def _record(
    record: dict[str, Any], *, where: str, source: str | None, defer_pages: bool
) -> ReadResult | PendingPage:
    try:
        url = _optional_string(record, "url")
        if record.get("text") is None and record.get("html") is not None:
            page = _from_page(record, url, where=where, source=source)
            return page if defer_pages else page.extract()
        text = _text(record)
        article_id = _id(record) or hashed_id("a-", url or text)
        published = _published(record)
        article = Article(
            id=article_id,
            text=text,
            source=source or _optional_string(record, "source") or host_of(url),
            url=url,
            title=plain_line(_optional_string(record, "title")),
            published=published,
            metadata={key: value for key, value in record.items() if key not in ARTICLE_FIELDS},
            origin=where,
        )
    except _BadRecord as exc:
        return InputError(where, str(exc))
    return article


def _from_page(record: dict[str, Any], url: str | None, *, where: str, source: str | None) -> PendingPage:
    """The page of a record that gives its ``html`` instead of ``text``, to extract; the record's own fields
    win over what the page says (its id, title, date and outlet)."""
    page = record["html"]
    if not isinstance(page, str):
        raise _BadRecord(f"'html' must be a string, got {json_type(page)}")
    if not page.strip():
        raise _BadRecord("empty 'html' (and no 'text')")
    article_id = _id(record) or hashed_id("a-", url or page)
    published = _published(record)
    title = plain_line(_optional_string(record, "title"))
    outlet = source or _optional_string(record, "source")
    return PendingPage(
        page,
        article_id=article_id,
        origin=where,
        url=url,
        source=outlet,
        title=title,
        published=published,
        extra={k: v for k, v in record.items() if k not in ARTICLE_FIELDS and k != "html"},
        error_prefix="'html': ",
    )


def _text(record: dict[str, Any]) -> str:
    value = record.get("text")
    if value is None:
        raise _BadRecord("missing 'text'" + _text_hint(record))
    if not isinstance(value, str):
        raise _BadRecord(f"'text' must be a string, got {json_type(value)}")
    text = plain_text(value)
    if not text.strip():
        raise _BadRecord("empty 'text'")
    return text


def _text_hint(record: dict[str, Any]) -> str:
    """Which fields the record has instead, so that a user with another export's field names sees why."""
    strings = [key for key, value in record.items() if isinstance(value, str) and key not in ARTICLE_FIELDS]
    if not strings:
        return ""
    shown = ", ".join(repr(key) for key in strings[:6]) + (", ..." if len(strings) > 6 else "")
    return f" (the record's text fields are {shown}; newsfold reads 'text', or a page in 'html')"


def _id(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    # bool is an int subclass, but ``true`` as an id is a data error, not the number 1.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None or isinstance(value, str):
        return value or None
    raise _BadRecord(f"'id' must be a string or an integer, got {json_type(value)}")


def _optional_string(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value or None
    raise _BadRecord(f"'{key}' must be a string, got {json_type(value)}")


def _published(record: dict[str, Any]) -> datetime | None:
    value = record.get("published")
    if value is not None and not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _BadRecord(f"bad 'published': expected a date string or a Unix time, got {json_type(value)}")
    try:
        return read_date(value)
    except ValueError as exc:
        raise _BadRecord(f"bad 'published': {exc}") from None


def json_type(value: Any) -> str:
    """How an error names a JSON value's type: "an object", "a number", "null", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _reject_constant(name: str) -> Any:
    """``json.loads``' ``parse_constant``: NaN and Infinity are refused."""
    # NaN and Infinity are not JSON; letting them into metadata would break the JSON export later.
    raise ValueError(f"{name} is not allowed")
