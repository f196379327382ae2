"""Input readers: turn files, folders and feed URLs into :class:`Article` records or :class:`InputError`s.

Each format lives in its own module with one ``read_*`` entry point. This module expands the inputs, picks
each file's format and keeps the byte count that a progress bar needs. Readers never raise for bad data: a
bad record becomes an ``InputError`` in the stream and reading goes on.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import importlib
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from newsfold.article import Article
from newsfold.errors import InputError

__all__ = ["FORMATS", "ReadResult", "detect_format", "input_size", "read_inputs"]

#: What every reader yields: an article, or the reason one record could not be read.
ReadResult = Article | InputError
OnBytes = Callable[[int], None]

#: The input formats, as :func:`detect_format` names them.
FORMATS = ("text", "jsonl", "html", "feed", "warc")

GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = codecs.BOM_UTF8
_HEAD_SIZE = 64 * 1024
# Checked before the single suffixes so ``x.warc.gz`` is not taken for an unknown ``.gz``.
_COMPOUND_SUFFIXES = {".jsonl.gz": "jsonl", ".ndjson.gz": "jsonl", ".warc.gz": "warc"}
_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
}
_READERS = {
    "text": ("text", "read_text"),
    "jsonl": ("jsonl", "read_jsonl"),
    "html": ("html", "read_html"),
    "feed": ("feed", "read_feed"),
    "warc": ("warc", "read_warc"),
}
# Bytes that plain text never contains in bulk; a head full of them is a binary file.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B} | {0x7F}
_MAX_CONTROL_SHARE = 0.1


def read_inputs(
    inputs: Iterable[str | Path],
    *,
    source: str | None = None,
    on_bytes: OnBytes | None = None,
) -> Iterator[ReadResult]:
    """Read files, folders and feed URLs lazily, yielding one result per article or bad record."""
    report = on_bytes or ignore_bytes
    for item in inputs:
        if is_url(item):
            from newsfold.readers.feed import read_feed_url

            yield from read_feed_url(str(item), source=source)
            continue
        for entry in expand_input(Path(item)):
            if isinstance(entry, InputError):
                yield entry
            else:
                yield from _read_file(entry, source, report)


def input_size(inputs: Iterable[str | Path]) -> int:
    """Total bytes of the files the inputs expand to; URLs count 0, their size unknown before fetching."""
    total = 0
    for item in inputs:
        if is_url(item):
            continue
        for entry in expand_input(Path(item)):
            if isinstance(entry, Path):
                total += _file_size(entry)
    return total


def detect_format(path: Path) -> str:
    """The format of a file, from its name or else its first bytes; raises ``InputError`` if unreadable."""
    where = str(path)
    head = _read_head(path)
    if not head:
        raise InputError(where, "empty file")
    by_name = format_from_name(path.name)
    if head.startswith(GZIP_MAGIC):
        return _detect_compressed(path, by_name)
    if by_name == "warc":
        # Uncompressed archives embed images and other binary payloads; warcio judges them.
        return by_name
    if b"\0" in head or _control_share(head) > _MAX_CONTROL_SHARE:
        raise InputError(where, "binary file")
    if _is_blank(path, head):
        raise InputError(where, "empty file")
    if by_name is not None:
        return by_name
    return _sniff(head, where)


def format_from_name(name: str) -> str | None:
    """The format a file name's extension implies, or ``None`` for an unknown extension."""
    lowered = name.lower()
    for suffix, fmt in _COMPOUND_SUFFIXES.items():
        if lowered.endswith(suffix):
            return fmt
    return _SUFFIXES.get(Path(lowered).suffix)


def expand_input(path: Path) -> Iterator[Path | InputError]:
    """The files one path stands for: itself, or the visible files under a folder in sorted order."""
    if path.is_dir():
        yield from _walk(path)
    elif path.is_file():
        yield path
    elif path.exists():
        yield InputError(str(path), "not a regular file or folder")
    else:
        yield InputError(str(path), "no such file or folder")


def is_url(item: str | Path) -> bool:
    """Whether an input names a feed by http(s) URL rather than a local path."""
    return isinstance(item, str) and item.lower().startswith(("http://", "https://"))


def hashed_id(prefix: str, value: str) -> str:
    """A stable article id from a value: ``prefix`` + the first 16 hex digits of its SHA-1."""
    return prefix + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def host_of(url: str | None) -> str | None:
    """The host of a URL without a leading ``www.``, used as the outlet when nothing better is known."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def ignore_bytes(count: int) -> None:
    """The progress callback used when the caller gives none."""


class RawProgress:
    """Reports bytes consumed from a file on disk since the last call, whatever a decompressor made."""

    def __init__(self, raw: IO[bytes], report: OnBytes) -> None:
        self.raw = raw
        self.report = report
        self.position = raw.tell()

    def __call__(self, _count: int = 0) -> None:
        position = self.raw.tell()
        if position > self.position:
            self.report(position - self.position)
            self.position = position


class _ByteCounter:
    """Forwards progress to the caller's callback and remembers how much was reported."""

    def __init__(self, report: OnBytes) -> None:
        self.report = report
        self.done = 0

    def __call__(self, count: int) -> None:
        if count > 0:
            self.done += count
            self.report(count)

    def settle(self, total: int) -> None:
        """Report what the reader did not, so the run's sum matches :func:`input_size`."""
        self(total - self.done)


def _read_file(path: Path, source: str | None, report: OnBytes) -> Iterator[ReadResult]:
    """Read one file with the reader of its format, turning I/O failures into an ``InputError``."""
    size = _file_size(path)
    counter = _ByteCounter(report)
    try:
        reader = _reader(detect_format(path))
    except InputError as error:
        yield error
    else:
        try:
            yield from reader(path, source=source, on_bytes=counter)
        except OSError as exc:
            # The file vanished or became unreadable while we read it; the rest of the run goes on.
            yield InputError(str(path), f"cannot read: {exc.strerror or exc}")
    counter.settle(size)


def _reader(fmt: str) -> Callable[..., Iterator[ReadResult]]:
    """The read function of a format, imported on first use so heavy parsers load only when needed."""
    module_name, function_name = _READERS[fmt]
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, function_name)


def _walk(folder: Path) -> Iterator[Path | InputError]:
    """Visible files under a folder, depth first in name order; symlinked folders are not followed."""
    try:
        children = sorted(folder.iterdir(), key=lambda child: child.name)
    except OSError as exc:
        yield InputError(str(folder), f"cannot list folder: {exc.strerror or exc}")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir():
            # A symlinked folder can point back up the tree and make the walk endless.
            if not child.is_symlink():
                yield from _walk(child)
        elif child.is_file():
            yield child


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_HEAD_SIZE)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None


def _control_share(head: bytes) -> float:
    return sum(byte in _CONTROL_BYTES for byte in head) / len(head)


def _is_blank(path: Path, head: bytes) -> bool:
    """Whether the file holds only whitespace (and perhaps a BOM); reads past the head only if needed."""
    if head.removeprefix(_UTF8_BOM).strip():
        return False
    if len(head) < _HEAD_SIZE:
        return True
    with path.open("rb") as handle:
        handle.seek(len(head))
        while chunk := handle.read(_HEAD_SIZE):
            if chunk.strip():
                return False
    return True


def _detect_compressed(path: Path, by_name: str | None) -> str:
    """The format of a gzip file: only JSONL and WARC are read compressed."""
    if by_name in ("jsonl", "warc"):
        return by_name
    where = str(path)
    if by_name is not None:
        raise InputError(
            where, "binary file (gzip-compressed; only .jsonl.gz and .warc.gz are read compressed)"
        )
    try:
        with gzip.open(path, "rb") as handle:
            inner = handle.read(_HEAD_SIZE)
    except (OSError, EOFError, zlib.error):
        raise InputError(where, "binary file (corrupt gzip data)") from None
    if inner.startswith(b"WARC/"):
        return "warc"
    if inner.lstrip(b" \t\r\n").removeprefix(_UTF8_BOM).startswith(b"{"):
        return "jsonl"
    raise InputError(where, "binary file (gzip-compressed, neither JSONL nor WARC inside)")


def _sniff(head: bytes, where: str) -> str:
    """The format of a file with an unknown extension, from its first bytes."""
    if head.startswith(b"WARC/"):
        return "warc"
    stripped = head.removeprefix(_UTF8_BOM).lstrip()
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped.startswith(b"<"):
        markup = _markup_kind(stripped[:4096].lower())
        if markup is not None:
            return markup
    try:
        # Not final: the head may end inside a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise InputError(where, "binary file (not UTF-8 text)") from None
    return "text"


def _markup_kind(lowered: bytes) -> str | None:
    """``feed`` or ``html`` from whichever root tag comes first, past any XML prolog or comments."""
    found = {}
    for tag, kind in ((b"<rss", "feed"), (b"<feed", "feed"), (b"<rdf", "feed"), (b"<html", "html")):
        position = lowered.find(tag)
        if position >= 0:
            found[position] = kind
    if lowered.startswith(b"<!doctype html"):
        found[0] = "html"
    return found[min(found)] if found else None
