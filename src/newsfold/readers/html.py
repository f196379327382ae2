"""HTML reader: main text and metadata of a web page by trafilatura, shared with the WARC reader."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.settings import set_date_params
from trafilatura.xml import xmltotxt

from newsfold.article import Article, parse_published
from newsfold.errors import InputError
from newsfold.readers import OnBytes, PendingPage, ReadResult, host_of, ignore_bytes

__all__ = ["extract_article", "read_html"]

# Metadata trafilatura finds that newsfold keeps as-is when present.
_KEPT_METADATA = ("author", "description", "language", "categories", "tags")
_PARAGRAPH = "\n\n"
_BREAK = "\ue000"  # marks a <lb/> while its block's text is read (a private-use character)
#: Fewest words of main text a page must give to be an article; the shortest news briefs run to 30 or more.
MIN_PAGE_WORDS = 12
# Extensive search guesses from any date in the page (a copyright year, say); no date beats a wrong one, and
# the WARC reader has the crawl date to fall back on. The time of day is kept where the page gives it
# (article:published_time, JSON-LD): breaking-news alerts and "newest first" work in hours, not days.
_TIME_FORMAT = {"outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def read_html(
    path: Path, *, source: str | None = None, on_bytes: OnBytes | None = None, defer_pages: bool = False
) -> Iterator[ReadResult | PendingPage]:
    """Read one HTML page as one article whose id is the file's stem (``defer_pages``: as the page, to be
    extracted later by :meth:`~newsfold.readers.PendingPage.extract`)."""
    data = path.read_bytes()
    (on_bytes or ignore_bytes)(len(data))
    page = PendingPage(data, article_id=path.stem, origin=str(path), source=source, id_from_name=True)
    yield page if defer_pages else page.extract()


def extract_article(
    page: bytes | str,
    *,
    article_id: str,
    origin: str,
    url: str | None = None,
    source: str | None = None,
    fallback_date: datetime | None = None,
) -> ReadResult:
    """A page's main text and metadata; ``url`` wins over the page's own, ``fallback_date`` fills a gap."""
    if isinstance(page, bytes):
        page = _decoded(page)
    try:
        # Recall over precision: newsfold's own cleaner removes the furniture that slips through.
        document = trafilatura.bare_extraction(
            page,
            url=url,
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params={**set_date_params(extensive=False), **_TIME_FORMAT},  # max date: today
        )
    except Exception as exc:  # trafilatura and lxml raise many exception types on hostile markup
        return InputError(origin, f"HTML extraction failed: {exc}")
    text = ""
    if document is not None:
        body = document.body
        raw = document.text or ""
        try:
            if body is not None and _unwrap_layout_tables(body):
                raw = xmltotxt(body, include_formatting=False)
        except Exception:  # noqa: BLE001 - hostile markup: keep trafilatura's own text
            raw = document.text or ""
        text = _paragraphs(raw, body)
    if not text:
        return InputError(origin, "no main text found")
    words = _word_count(text)
    if words < MIN_PAGE_WORDS:
        # What a front page or a page of menus leaves after extraction ("Ferry suspended"): no article.
        return InputError(
            origin,
            f"no article text found (only {words} word{'' if words == 1 else 's'}: a front page or a page of links?)",
        )
    page_url = url or document.url or None
    return Article(
        id=article_id,
        text=text,
        source=source or document.sitename or document.hostname or host_of(page_url),
        url=page_url,
        title=document.title or None,
        published=_declared_date(page) or _page_date(document.date) or fallback_date,
        metadata=_metadata(document),
        origin=origin,
    )


_BLOCKS = ("p", "head", "list", "quote")


def _unwrap_layout_tables(body: Any) -> bool:
    """Replace each table whose cells hold paragraphs (a page laid out in a table, as many older news sites
    are) by its cells' content, in order, each bare piece of text as a paragraph of its own; whether any
    was. trafilatura writes a table as rows of cells joined by "|", which would make a whole article one
    line. A table of one cell is a line of the page, as a paragraph. A table of data (cells of text alone)
    stays."""
    changed = False
    for table in list(body.iter("table")):
        # The table's own cells; a table nested in a cell moves as one block and is judged on its own.
        cells = [cell for cell in table.iter("cell") if next(cell.iterancestors("table")) is table]
        parent = table.getparent()
        if parent is None:
            continue
        if len(cells) == 1 and not any(child.tag in _BLOCKS for child in cells[0]):
            # A table of one cell lays out a line ("HOME | LOCAL" across the top): that line, as a paragraph.
            line = cells[0]
            line.tag = "p"
            line.attrib.clear()
            line.tail = table.tail
            parent.replace(table, line)
            changed = True
            continue
        if not any(child.tag in _BLOCKS for cell in cells for child in cell):
            continue
        blocks: list[Any] = []
        for cell in cells:
            blocks += _loose(cell.text)
            for child in cell:
                blocks.append(child)
                blocks += _loose(child.tail)
                child.tail = None
        index = parent.index(table)
        tail = table.tail
        parent.remove(table)
        for offset, block in enumerate(blocks):
            parent.insert(index + offset, block)
        if tail and tail.strip():
            parent.insert(index + len(blocks), *_loose(tail))
        changed = True
    return changed


def _loose(text: str | None) -> list[Any]:
    """Bare text of a cell as a paragraph element (none for whitespace)."""
    if not text or not text.strip():
        return []
    paragraph = etree.Element("p")
    paragraph.text = text.strip()
    return [paragraph]


def _paragraphs(text: str, body: Any = None) -> str:
    """trafilatura's one-line-per-block text with blank lines between blocks, as in newsfold's seeds.

    trafilatura writes a line break inside a paragraph (``<br>``) as a new line too; ``body``, its tree of
    the text, tells those apart, and they stay single line breaks inside their paragraph.
    """
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    breaks = _line_breaks(body) if body is not None else set()
    out: list[str] = []
    width = _wrap_width(lines)
    for line in lines:
        last = out[-1].rsplit("\n", 1)[-1] if out else ""
        if out and ((last, line) in breaks or _wrapped(last, line, width)):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return _PARAGRAPH.join(out)


# A line that ends a sentence or a clause (a wrapped line of a paragraph ends mid-sentence).
_ENDS = (".", "!", "?", ":", ";", '"', "”", "’", "'")


def _continues(line: str, following: str) -> bool:
    """Whether ``following`` plainly continues the sentence ``line`` leaves open: a lower-case word after a
    line of 40+ characters that ends mid-sentence."""
    return len(line) >= 40 and not line.endswith(_ENDS) and following[:1].islower()


def _wrap_width(lines: list[str]) -> int:
    """The width at which a page's text was hard-wrapped (``<pre>`` text, a press release with a ``<br>`` at
    the end of each line, which trafilatura gives as blocks of one line each), or 0 when it was not: the
    longest of the lines that plainly continue on the next."""
    pairs = zip(lines, lines[1:], strict=False)
    widths = [len(line) for line, following in pairs if _continues(line, following)]
    # One such pair is a chance; a wrapped paragraph gives several.
    return max(widths) if len(widths) >= 3 else 0


def _wrapped(line: str, following: str, width: int) -> bool:
    """Whether ``following`` is the next line of the hard-wrapped paragraph ``line`` belongs to: it plainly
    continues it, or ``line`` reaches the wrap width without ending a sentence."""
    if not width:
        return False
    return _continues(line, following) or (len(line) >= 0.8 * width and not line.endswith(_ENDS))


def _line_breaks(body: Any) -> set[tuple[str, str]]:
    """``(line, next line)`` pairs that a ``<lb/>`` inside one block of trafilatura's tree separates."""
    pairs: set[tuple[str, str]] = set()
    for block in body.iter("p", "head", "item", "quote"):
        if block.find(".//lb") is None:
            continue
        marked = copy.deepcopy(block)  # the page's own tree stays as trafilatura left it
        for lb in marked.iter("lb"):
            lb.text = _BREAK
        parts = "".join(marked.itertext()).split(_BREAK)
        segments = [" ".join(part.split()) for part in parts if part.strip()]
        pairs.update(zip(segments, segments[1:], strict=False))
    return pairs


# The publication time a page declares for machines: Open Graph's article:published_time, a meta tag named
# for it, or schema.org's datePublished in JSON-LD. trafilatura's date search takes a date in the page's
# address first ("/2024/03/12/" in a canonical link), which has no time of day, and can be the day before
# in UTC: a report published at 23:30 in New York is 04:30 the next morning.
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_META_ATTR = re.compile(
    r"""\b(property|name|itemprop|content)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL
)
_DECLARED = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "dc.date.issued",
    }
)
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
_HEAD_BYTES = 200_000  # the declarations sit in the head; a page's megabytes of script need not be read


def _declared_date(page: bytes | str) -> datetime | None:
    """The publication time the page declares, when it gives a time of day; else ``None``."""
    head = page[:_HEAD_BYTES]
    text = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    candidates = []
    for tag in _META_TAG.finditer(text):
        attrs = {name.lower(): value for name, _, value in _META_ATTR.findall(tag.group(0))}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _DECLARED and attrs.get("content"):
            candidates.append(attrs["content"])
    candidates.extend(_JSON_LD_DATE.findall(text))
    for value in candidates:
        if "T" not in value and ":" not in value:
            continue  # a day alone: trafilatura's reading is as good
        try:
            return parse_published(value.strip())
        except ValueError:
            continue
    return None


_CHARSET = re.compile(rb"charset\s*=\s*[\"']?[\w-]+|encoding\s*=\s*[\"'][\w-]+", re.IGNORECASE)


def _decoded(page: bytes) -> bytes | str:
    """A page's bytes as text where they declare no charset: UTF-8 when they are UTF-8, else windows-1252,
    as browsers take an undeclared Western page (a detector guessed Latin-1 Spanish as Central European:
    "Seńora Muńoz"). A declared charset is trafilatura's to honour."""
    try:
        return page.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _CHARSET.search(page[:_HEAD_BYTES]):
        return page
    return page.decode("cp1252", errors="replace")


# Chinese and Japanese write without spaces, Korean with spaces between phrases: their characters count,
# two to a word, so a CJK article is not a "page of links" for having few spaces.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _word_count(text: str) -> int:
    return len(text.split()) + len(_CJK.findall(text)) // 2


def _page_date(value: Any) -> datetime | None:
    try:
        return parse_published(value)
    except ValueError:
        # A date trafilatura guessed but newsfold cannot read is no date at all.
        return None


def _metadata(document: Any) -> dict[str, Any]:
    kept = {}
    for key in _KEPT_METADATA:
        value = getattr(document, key, None)
        if value:
            kept[key] = value
    return kept
