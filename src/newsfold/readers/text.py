"""Plain-text reader: one article per file, with its title and outlet found in the text where possible."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newsfold.article import Article
from newsfold.dates import read_date
from newsfold.errors import InputError
from newsfold.readers import OnBytes, ReadResult, host_of, ignore_bytes
from newsfold.readers.markup import plain_line, plain_text

__all__ = ["parse_text", "read_text"]

MAX_TITLE_WORDS = 20
# Header keys and the article field each fills; other ``Key: value`` lines in a header go to metadata.
_HEADER_FIELDS = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "date": "published",
    "published": "published",
    "url": "url",
    "link": "url",
}
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9 _-]{0,30}):[ \t]*(.*?)\s*")
# A line ending like a sentence (or mid-sentence) reads as prose, not as a headline.
_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")


@dataclass(slots=True)
class _Header:
    """What a leading ``Key: value`` block said, and how many lines it took (with its blank terminator)."""

    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    line_count: int = 0


def read_text(
    path: Path, *, source: str | None = None, on_bytes: OnBytes | None = None
) -> Iterator[ReadResult]:
    """Read one text file as one article whose id is the file's stem."""
    data = path.read_bytes()
    (on_bytes or ignore_bytes)(len(data))
    yield parse_text(data, name=str(path), article_id=path.stem, source=source)


def parse_text(data: bytes, *, name: str, article_id: str, source: str | None = None) -> ReadResult:
    """Turn the bytes of a text file into an article, or an ``InputError`` saying why not."""
    if b"\0" in data:
        return InputError(name, "binary file")
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return InputError(f"{name}:{line}", f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
    if not text.strip():
        return InputError(name, "empty file")
    lines = text.splitlines(keepends=True)
    header = _parse_header(lines)
    body = plain_text("".join(lines[header.line_count :]))
    if name.lower().endswith((".md", ".markdown")):
        body = _markdown_plain(body)
    if not body.strip():
        return InputError(name, "no text after the header")
    try:
        published = _parse_date(header.fields.get("published"))
    except ValueError as exc:
        return InputError(f"{name}:{header.field_lines['published']}", str(exc))
    url = header.fields.get("url")
    return Article(
        id=article_id,
        text=body,
        source=source or header.fields.get("source") or host_of(url),
        url=url,
        title=plain_line(header.fields.get("title")) or _title_line(body.splitlines()),
        published=published,
        metadata=header.metadata,
        origin=name,
        id_from_name=True,
    )


# Markdown's marks around words: links "[text](url)", images, emphasis "**bold**" / "_it_", headings "# ".
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
# Underscores only at word edges: "file_name_here" is a word, not emphasis.
_MD_EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\3(?!\w)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
# A block quote's marks at the start of its lines ("> ", nested "> > ").
_MD_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE)


def _markdown_plain(text: str) -> str:
    """Markdown as the text a reader sees: link and emphasis marks, heading hashes and block-quote marks go,
    the words stay."""
    text = _MD_IMAGE.sub(lambda m: m.group(1), text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text)
    return _MD_QUOTE.sub("", _MD_HEADING.sub("", text))


def _parse_header(lines: list[str]) -> _Header:
    """The leading ``Key: value`` block, if the file starts with one naming a known field and ending blank."""
    header = _Header()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            if header.fields:
                header.line_count = number
                return header
            break
        match = _HEADER_LINE.fullmatch(line)
        if match is None:
            break
        key, value = match.group(1).strip().lower(), match.group(2)
        target = _HEADER_FIELDS.get(key)
        if target is None:
            header.metadata[key] = value
        elif value:
            header.fields.setdefault(target, value)
            header.field_lines.setdefault(target, number)
    # No header after all: every line stays in the text.
    return _Header()


def _title_line(lines: list[str]) -> str | None:
    """A short first line standing alone before more text reads as the headline."""
    for index, line in enumerate(lines):
        candidate = line.strip()
        if not candidate:
            continue
        rest = lines[index + 1 :]
        standalone = bool(rest) and not rest[0].strip() and any(other.strip() for other in rest)
        short = len(candidate.split()) <= MAX_TITLE_WORDS
        if standalone and short and not _SENTENCE_END.search(candidate):
            return candidate
        return None
    return None


def _parse_date(value: str | None) -> datetime | None:
    """A header date as :func:`~newsfold.dates.read_date` reads it (ISO 8601, e-mail form, written dates)."""
    return read_date(value)
