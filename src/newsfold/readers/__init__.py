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
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from newsfold.article import Article
from newsfold.errors import InputError

__all__ = ["FORMATS", "PendingPage", "ReadResult", "detect_format", "input_size", "read_inputs"]

#: What every reader yields: an article, or the reason one record could not be read.
ReadResult = Article | InputError
OnBytes = Callable[[int], None]


@dataclass(slots=True)
class PendingPage:
    """A web page read but not yet extracted (HTML files, WARC records, JSONL records with ``html``).

    Extracting a page's main text (trafilatura) costs about 17 ms a page, ten times the cleaning of the
    article it gives, and depends on the page alone: the pipeline has its workers do it, in parallel, where
    :func:`read_inputs` would do it in the reading process. :meth:`extract` gives what the reader would have
    given."""

    page: bytes | str
    article_id: str
    origin: str
    url: str | None = None
    source: str | None = None
    fallback_date: datetime | None = None
    id_from_name: bool = False
    # What the record that carried the page says itself (a JSONL record's title, date, other fields): it
    # wins over what the page says; and how an extraction error names the field the page came in.
    title: str | None = None
    published: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    error_prefix: str = ""

    def extract(self) -> ReadResult:
        from newsfold.readers.html import extract_article

        try:
            result = extract_article(
                self.page,
                article_id=self.article_id,
                origin=self.origin,
                url=self.url,
                source=self.source,
                fallback_date=self.fallback_date,
            )
        except Exception as exc:  # noqa: BLE001 - one hostile page (a recursion too deep, say) costs only itself
            return InputError(self.origin, f"HTML extraction failed: {type(exc).__name__}: {exc}")
        if isinstance(result, InputError):
            return (
                InputError(result.where, self.error_prefix + result.message) if self.error_prefix else result
            )
        result.id_from_name = self.id_from_name
        result.title = self.title or result.title
        result.published = self.published or result.published
        result.metadata.update(self.extra)
        return result


#: The input formats, as :func:`detect_format` names them.
FORMATS = ("text", "jsonl", "json", "html", "feed", "warc")

GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = codecs.BOM_UTF8
# UTF-32 first: its little-endian BOM begins with UTF-16's.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_HEAD_SIZE = 64 * 1024
# Checked before the single suffixes so ``x.warc.gz`` is not taken for an unknown ``.gz``.
_COMPOUND_SUFFIXES = {".jsonl.gz": "jsonl", ".ndjson.gz": "jsonl", ".warc.gz": "warc"}
_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
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
    "json": ("json_doc", "read_json"),
    "html": ("html", "read_html"),
    "feed": ("feed", "read_feed"),
    "warc": ("warc", "read_warc"),
}
# Formats whose readers give pages to extract (PendingPage): read_inputs extracts them unless told to defer.
_PAGE_FORMATS = frozenset({"html", "warc", "jsonl"})
# Bytes that plain text never contains in bulk; a head full of them is a binary file.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B} | {0x7F}
_MAX_CONTROL_SHARE = 0.1


def read_inputs(
    inputs: Iterable[str | Path],
    *,
    source: str | None = None,
    on_bytes: OnBytes | None = None,
    names: Mapping[str, str] | None = None,
    defer_pages: bool = False,
) -> Iterator[ReadResult | PendingPage]:
    """Read files, folders and feed URLs lazily, yielding one result per article or bad record.

    ``names`` maps a file's path to the name errors and origins give it instead (``<stdin>`` for the file
    the CLI spooled stdin to). With ``defer_pages``, an HTML file or a WARC record's page comes as a
    :class:`PendingPage`, for the caller to extract where it likes.
    """
    for result in _read_inputs(inputs, source, on_bytes, names):
        yield result if defer_pages or not isinstance(result, PendingPage) else result.extract()


def _read_inputs(
    inputs: Iterable[str | Path],
    source: str | None,
    on_bytes: OnBytes | None,
    names: Mapping[str, str] | None,
) -> Iterator[ReadResult | PendingPage]:
    report = on_bytes or ignore_bytes
    for item in inputs:
        if is_url(item):
            from newsfold.readers.feed import read_feed_url

            yield from read_feed_url(str(item), source=source)
            continue
        for entry in expand_input(Path(item)):
            if isinstance(entry, InputError):
                yield entry
            elif names and str(entry) in names:
                shown = names[str(entry)]
                yield from (
                    _renamed(result, str(entry), shown) for result in _read_file(entry, source, report)
                )
            else:
                yield from _read_file(entry, source, report)


def _renamed(result: ReadResult | PendingPage, path: str, shown: str) -> ReadResult | PendingPage:
    """``result`` of the file at ``path`` with the file called ``shown`` in its location and message."""
    if isinstance(result, InputError):
        if result.where.startswith(path):
            return InputError(shown + result.where.removeprefix(path), result.message.replace(path, shown))
    elif result.origin.startswith(path):
        result.origin = shown + result.origin.removeprefix(path)
    return result


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
    """The format of a file, from its name or else its content; raises ``InputError`` if unreadable.

    JSON and JSON Lines, often saved under each other's extension, are told apart by their first lines
    (:func:`_json_or_lines`).
    """
    where = str(path)
    head = _read_head(path)
    if not head:
        raise InputError(where, "empty file")
    by_name = format_from_name(path.name)
    if head.startswith(GZIP_MAGIC):
        return _detect_compressed(path, by_name)
    if by_name == "warc" or (by_name is None and head.startswith(b"WARC/")):
        # Uncompressed archives embed images and other binary payloads; warcio judges them.
        return "warc"
    _refuse_wide_text(head, where)
    if b"\0" in head or _control_share(head) > _MAX_CONTROL_SHARE:
        raise InputError(where, "binary file")
    if _is_blank(path, head):
        raise InputError(where, "empty file")
    if by_name in ("json", "jsonl"):
        return _json_or_lines(path, by_name) or by_name
    if by_name is not None:
        return by_name
    return _sniff(path, head)


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


def _read_file(path: Path, source: str | None, report: OnBytes) -> Iterator[ReadResult | PendingPage]:
    """Read one file with the reader of its format, turning I/O failures into an ``InputError``."""
    size = _file_size(path)
    counter = _ByteCounter(report)
    try:
        fmt = detect_format(path)
        reader = _reader(fmt)
    except InputError as error:
        yield error
    else:
        try:
            if fmt in _PAGE_FORMATS:
                yield from reader(path, source=source, on_bytes=counter, defer_pages=True)
            else:
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
            # A symlinked folder can point back up the tree and make the walk endless: named, not followed.
            if child.is_symlink():
                yield InputError(str(child), "symlinked folder not followed; give its own path to read it")
            else:
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
    if by_name == "warc":
        return by_name
    where = str(path)
    if by_name not in (None, "jsonl"):
        raise InputError(
            where, "binary file (gzip-compressed; only .jsonl.gz and .warc.gz are read compressed)"
        )
    inner = _gzip_head(path)
    if by_name == "jsonl":
        # A damaged stream is the JSONL reader's to report, after the lines it could read.
        if inner is not None:
            _refuse_wide_text(inner, where)
        return by_name
    if inner is None:
        raise InputError(where, "binary file (corrupt gzip data)")
    if inner.startswith(b"WARC/"):
        return "warc"
    if inner.lstrip(b" \t\r\n").removeprefix(_UTF8_BOM).startswith(b"{"):
        return "jsonl"
    raise InputError(where, "binary file (gzip-compressed, neither JSONL nor WARC inside)")


def _gzip_head(path: Path) -> bytes | None:
    """The first decompressed bytes of a gzip file, ``None`` if the data is corrupt or cut short early."""
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read(_HEAD_SIZE)
    except (OSError, EOFError, zlib.error):
        return None


def _refuse_wide_text(head: bytes, where: str) -> None:
    """Raise for UTF-16 or UTF-32 text (marked by its BOM), which would otherwise pass for a binary file.

    Not decoded and read: every reader takes UTF-8 bytes, and converting is one command for the user.
    """
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            try:
                # Not final: the head may end inside a character.
                codecs.getincrementaldecoder(encoding.lower())().decode(head, final=False)
            except UnicodeDecodeError:
                return  # not text after all; the binary check judges it
            raise InputError(
                where, f"{encoding} text; newsfold reads UTF-8: convert it (iconv -f {encoding} -t UTF-8)"
            )


def _json_or_lines(path: Path, by_name: str | None) -> str | None:
    """``json`` or ``jsonl`` from a file's first two non-blank lines, or ``None`` if it is neither.

    A JSON Lines file's first line is a whole object; a pretty-printed document's first line opens one and
    stops ("{", "[{"), and a one-line array is a document on its own. The extension decides the rest.
    """
    lines = _leading_lines(path, 2)
    first = _line_kind(lines[0]) if lines else None
    second = _line_kind(lines[1]) if len(lines) > 1 else None
    if by_name == "json":
        # Tools often write JSON Lines under a .json name.
        return "jsonl" if first == second == "object" else "json"
    if by_name == "jsonl":
        # A second line that is a whole record makes a broken first line just one bad record.
        opened = first == "open" and second != "object"
        return "json" if opened or (first == "array" and len(lines) == 1) else "jsonl"
    # An unknown name: prose may begin with a brace too, so the content must prove itself.
    if first == "object":
        return "jsonl"
    if first in ("open", "array") and _is_json_document(path):
        return "json"
    return None


def _line_kind(line: bytes) -> str | None:
    """``object``, ``array``, ``open`` (JSON that goes on past the line) or ``None`` (not JSON)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.startswith(("{", "[")):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        # JSON strings cannot span lines, so valid JSON cut at a line's end fails exactly at that end.
        return "open" if exc.pos >= len(text) else None
    except (ValueError, RecursionError):
        return None
    return "object" if isinstance(value, dict) else "array"


def _leading_lines(path: Path, count: int) -> list[bytes]:
    """The first ``count`` non-blank lines of a file, stripped, past any UTF-8 BOM."""
    found: list[bytes] = []
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle):
                stripped = (line.removeprefix(_UTF8_BOM) if number == 0 else line).strip()
                if stripped:
                    found.append(stripped)
                    if len(found) == count:
                        break
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return found


def _is_json_document(path: Path) -> bool:
    """Whether the whole file parses as one JSON object or array (read whole, as its reader would)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        value = json.loads(data.removeprefix(_UTF8_BOM).decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict | list)


def _sniff(path: Path, head: bytes) -> str:
    """The format of a file with an unknown extension, from its first bytes."""
    where = str(path)
    stripped = head.removeprefix(_UTF8_BOM).lstrip()
    if stripped.startswith((b"{", b"[")):
        fmt = _json_or_lines(path, None)
        if fmt is not None:
            return fmt
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
