"""The records that flow through newsfold: one :class:`Article` through every stage, grouped into :class:`Story`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

__all__ = ["Article", "Removed", "Story", "parse_published"]


@dataclass(slots=True, frozen=True)
class Removed:
    """A line the cleaner removed, with the reason code that removed it."""

    text: str
    reason: str


@dataclass(slots=True)
class Article:
    """One news article.

    Readers fill ``id``, ``text`` and whatever metadata the input had; ``clean`` fills ``clean_text`` and
    ``removed``; ``dedup`` fills ``duplicate_of``; ``cluster`` fills ``story_id``. ``id_from_name`` says the
    reader made the id from a file name (``index`` from ``siteA/index.html``) or an address (a web archive's
    captures of one URL): another text under it then takes an id of its own instead of being refused.
    ``updates_id`` says the source republishes an id with another text by design (a feed entry corrected
    under its guid): the stored version stands, and the new text is skipped as already stored.
    """

    id: str
    text: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    origin: str = ""
    clean_text: str = ""
    removed: list[Removed] = field(default_factory=list)
    duplicate_of: str | None = None
    story_id: str | None = None
    id_from_name: bool = False
    updates_id: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape of an article (see README, "Export formats")."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "story_id": self.story_id,
            "duplicate_of": self.duplicate_of,
            "text": self.clean_text,
            "removed": [{"text": r.text, "reason": r.reason} for r in self.removed],
            "metadata": self.metadata,
        }


@dataclass(slots=True)
class Story:
    """Articles about one event, under a stable id."""

    id: str
    title: str
    article_ids: list[str]
    sources: list[str]
    first_seen: datetime | None
    last_seen: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "article_ids": list(self.article_ids),
            "sources": list(self.sources),
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


def parse_published(value: Any) -> datetime | None:
    """Parse an ISO 8601 date or datetime into an aware UTC datetime; ``None``/empty gives ``None``.

    Raises ``ValueError`` on a value that is present but not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not an ISO 8601 date or datetime: {value!r}") from None
    else:
        raise ValueError(f"not an ISO 8601 date or datetime: {value!r}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC)
    except OverflowError:
        # "0001-01-01T00:00+01:00" is a valid ISO string whose UTC time falls before year 1.
        raise ValueError(f"date out of range in UTC: {value!r}") from None
