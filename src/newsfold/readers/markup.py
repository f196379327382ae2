"""HTML fragments as plain text: the markup a feed entry, a JSON export or a text file carries in its text.

Light on purpose (lxml only): the JSONL and text readers call :func:`plain_text` on every record, and only
whole pages need trafilatura (:mod:`newsfold.readers.html`).
"""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.html
from lxml import etree

__all__ = ["html_to_text", "plain_line", "plain_text"]

_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main ol p pre section table tr ul".split()
)
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_INLINE_TAGS = frozenset("a abbr b cite code em font i img mark q s small span strong sub sup time u".split())
# A tag of a known HTML element, opening or closing: "<p>", "</a>", "<br/>", '<img src="x">'. A stray "<"
# in prose ("x < y", "<-") or an unknown word in angle brackets is not markup.
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,9})(?:\s[^<>]{0,2000})?/?>")
_KNOWN_TAGS = _BLOCK_TAGS | _DROPPED_TAGS | _INLINE_TAGS | {"br", "td", "th", "tbody", "thead", "iframe"}
_BREAKING_TAGS = _BLOCK_TAGS | {"br", "td", "th"}
# Text needs two such tags to count as markup: one "<b>" can be a word in a story about HTML.
_MIN_TAGS = 2
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,30});")
# lxml refuses strings with control characters that XML cannot hold.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WHITESPACE = re.compile(r"\s+")
_PARAGRAPH = "\n\n"


def plain_text(text: str) -> str:
    """``text`` without its HTML: tags removed and entities decoded.

    Text whose markup makes its lines (paragraph or break tags) is read as HTML, one paragraph per block.
    Text with inline tags only (links, bold) keeps its own lines, each freed of its tags. Text without
    markup comes back as it is, except that character entities (``&amp;``, ``&#8217;``) are decoded.
    """
    tags = [match.group(1).lower() for match in _TAG.finditer(text)]
    known = [tag for tag in tags if tag in _KNOWN_TAGS]
    if len(known) < _MIN_TAGS:
        return html.unescape(text) if _ENTITY.search(text) else text
    if any(tag in _BREAKING_TAGS for tag in known):
        return html_to_text(text)
    lines = [html_to_text(line) if "<" in line or "&" in line else line.strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def plain_line(text: str | None) -> str | None:
    """A title or other one-line field as :func:`plain_text`, on one line; ``None`` if nothing is left."""
    if text is None:
        return None
    return " ".join(plain_text(text).split()) or None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one paragraph per block element, paragraphs split by a blank line."""
    cleaned = _XML_INVALID.sub("", fragment)
    if not cleaned.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    pieces: list[str] = []
    _collect_text(root, pieces)
    return _paragraphs_from_pieces("".join(pieces))


def _collect_text(element: Any, pieces: list[str]) -> None:
    """Append an element's text, with newline markers at block and ``<br>`` boundaries."""
    tag = element.tag if isinstance(element.tag, str) else None  # comments have a function as tag
    if tag is not None and tag not in _DROPPED_TAGS:
        block = tag in _BLOCK_TAGS
        if block:
            pieces.append(_PARAGRAPH)
        if tag == "br":
            pieces.append("\n")
        if element.text:
            # Source newlines inside markup are just spaces; only tags make breaks.
            pieces.append(_spaced(element.text))
        for child in element:
            _collect_text(child, pieces)
        if block:
            pieces.append(_PARAGRAPH)
    if element.tail:
        pieces.append(_spaced(element.tail))


def _spaced(text: str) -> str:
    """Collapse whitespace runs to one space but keep a space at either edge, as HTML rendering does."""
    return _WHITESPACE.sub(" ", text)


def _paragraphs_from_pieces(text: str) -> str:
    paragraphs = []
    for block in re.split(r"\n{2,}", text):
        lines = [line.strip() for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return _PARAGRAPH.join(paragraphs)
