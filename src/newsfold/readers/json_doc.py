"""JSON reader: one document per file, an array of article objects or a single object, read whole.

Each object is read exactly as a JSON Lines record (:func:`~newsfold.readers.jsonl.record_to_article`); only
the framing differs. An item is located by its index in the array, counted from 0: ``articles.json[3]``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsfold.errors import InputError
from newsfold.readers import OnBytes, ReadResult, ignore_bytes
from newsfold.readers.jsonl import (
    LONE_SURROGATE,
    InvalidJson,
    has_lone_surrogate,
    json_type,
    load_json,
    record_to_article,
)

__all__ = ["parse_json", "read_json"]

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def read_json(
    path: Path, *, source: str | None = None, on_bytes: OnBytes | None = None
) -> Iterator[ReadResult]:
    """Read a ``.json`` file: an article per object of a top-level array, or one for a top-level object."""
    data = path.read_bytes()
    (on_bytes or ignore_bytes)(len(data))
    yield from parse_json(data, name=str(path), source=source)


def parse_json(data: bytes, *, name: str, source: str | None = None) -> Iterator[ReadResult]:
    """The articles of one JSON document; a document that does not parse is a single ``InputError``."""
    document, escapes = _decode(data, name)
    if isinstance(document, InputError):
        yield document
    elif isinstance(document, dict):
        yield _article(document, where=name, source=source, escapes=escapes)
    elif isinstance(document, list):
        if not document:
            yield InputError(name, "no articles: the JSON array is empty")
        for index, item in enumerate(document):
            yield _article(item, where=f"{name}[{index}]", source=source, escapes=escapes)
    else:
        yield InputError(name, f"expected a JSON object or an array of objects, got {json_type(document)}")


def _decode(data: bytes, name: str) -> tuple[Any, bool]:
    """The parsed document (or an ``InputError`` located where it breaks), and whether it escapes a
    surrogate, which only then needs checking item by item."""
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        return InputError(f"{name}:{line}", f"not valid UTF-8 (byte 0x{body[exc.start]:02x})"), False
    try:
        document = load_json(text)
    except InvalidJson as exc:
        return InputError(f"{name}:{exc.line}" if exc.line else name, str(exc)), False
    return document, _SURROGATE_ESCAPE.search(text) is not None


def _article(item: Any, *, where: str, source: str | None, escapes: bool) -> ReadResult:
    """One item as a JSON Lines record would be read."""
    if not isinstance(item, dict):
        return InputError(where, f"expected a JSON object, got {json_type(item)}")
    if escapes and has_lone_surrogate(item):
        return InputError(where, LONE_SURROGATE)
    return record_to_article(item, where=where, source=source)
