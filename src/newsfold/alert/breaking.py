"""Breaking stories: several distinct outlets report one story within a short window.

The rule (docs/alerts.md): a story is *breaking* at time ``now`` when at least ``min_outlets`` distinct
outlets first reported it within the last ``window_hours``. Copies (``duplicate_of`` set) do not count: a
wire story republished by five sites is one report. An outlet is the article's ``source``, else the host of
its URL; an article with neither cannot be told apart from others and does not count.

A report's time is its publication time, but never later than when newsfold stored it (a feed that dates
its entries in the future cannot make a story look fresher) and never later than ``now``; undated articles
use the time they were stored.

The score ranks stories by how many outlets report them, how recently, and how fast the story spread::

    score = (2 - span / W) * sum over outlets in the window of 2 ** (-age / H)

with ``W`` the window, ``span`` the time between the first and last outlet's first report inside it, ``age``
the time since an outlet's first report and ``H`` the half-life (``window_hours / 2`` unless set).

Reads the store's ``articles`` and ``stories`` tables; writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from newsfold.alert.tables import iso, parse_iso
from newsfold.errors import ConfigError
from newsfold.readers import host_of
from newsfold.store import Store, articles, stories

__all__ = [
    "ArticleTime",
    "BreakingSettings",
    "BreakingStatus",
    "OutletReport",
    "assess",
    "breaking_stories",
    "load_article_times",
    "outlet_key",
    "story_status",
]


@dataclass(slots=True, frozen=True)
class BreakingSettings:
    """When a story counts as breaking (``[breaking]`` in the watch config; see docs/alerts.md)."""

    min_outlets: int = field(
        default=3, metadata={"help": "distinct outlets (copies excluded) that make a story breaking"}
    )
    window_hours: float = field(
        default=6.0, metadata={"help": "the window, ending now, in which their first reports must fall"}
    )
    half_life_hours: float | None = field(
        default=None, metadata={"help": "how fast an outlet's weight in the score halves (default window/2)"}
    )

    def __post_init__(self) -> None:
        if self.min_outlets < 1:
            raise ConfigError(f"breaking.min_outlets must be at least 1, not {self.min_outlets}")
        if self.window_hours <= 0:
            raise ConfigError(f"breaking.window_hours must be positive, not {self.window_hours}")
        if self.half_life_hours is not None and self.half_life_hours <= 0:
            raise ConfigError(f"breaking.half_life_hours must be positive, not {self.half_life_hours}")

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)

    @property
    def half_life(self) -> timedelta:
        return timedelta(hours=self.half_life_hours or self.window_hours / 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_outlets": self.min_outlets,
            "window_hours": self.window_hours,
            "half_life_hours": self.half_life.total_seconds() / 3600,
        }


@dataclass(slots=True, frozen=True)
class ArticleTime:
    """What breaking detection reads of one article."""

    article_id: str
    outlet: str | None
    at: datetime
    duplicate: bool = False


@dataclass(slots=True, frozen=True)
class OutletReport:
    """An outlet's first report of a story."""

    outlet: str
    article_id: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "article_id": self.article_id, "at": self.at.isoformat()}


@dataclass(slots=True)
class BreakingStatus:
    """Whether a story is breaking at ``now``, with its score and the outlets that count."""

    story_id: str
    breaking: bool
    score: float
    now: datetime
    outlets: list[OutletReport] = field(default_factory=list)
    title: str = ""

    @property
    def outlet_count(self) -> int:
        return len(self.outlets)

    @property
    def span(self) -> timedelta:
        if len(self.outlets) < 2:
            return timedelta(0)
        return self.outlets[-1].at - self.outlets[0].at

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "title": self.title,
            "breaking": self.breaking,
            "score": self.score,
            "outlet_count": self.outlet_count,
            "span_minutes": round(self.span.total_seconds() / 60, 1),
            "outlets": [o.to_dict() for o in self.outlets],
            "at": self.now.isoformat(),
        }


def outlet_key(source: str | None, url: str | None) -> str | None:
    """The name an article's outlet counts under: its source, else its URL's host; ``None`` if neither."""
    if source and source.strip():
        return " ".join(source.split())
    return host_of(url)


def assess(
    story_id: str, times: Iterable[ArticleTime], now: datetime, settings: BreakingSettings | None = None
) -> BreakingStatus:
    """Apply the breaking rule and score to one story's articles (pure: no store, no clock)."""
    settings = settings or BreakingSettings()
    first: dict[str, OutletReport] = {}
    names: dict[str, str] = {}
    for item in times:
        if item.duplicate or not item.outlet:
            continue
        key = item.outlet.casefold()
        at = min(item.at, now)
        if key not in first or at < first[key].at:
            names.setdefault(key, item.outlet)
            first[key] = OutletReport(names[key], item.article_id, at)
    start = now - settings.window
    recent = sorted((r for r in first.values() if r.at >= start), key=lambda r: (r.at, r.outlet))
    status = BreakingStatus(story_id, len(recent) >= settings.min_outlets, 0.0, now, recent)
    if recent:
        half_life = settings.half_life.total_seconds()
        weight = sum(2 ** (-(now - r.at).total_seconds() / half_life) for r in recent)
        speed = 2 - status.span / settings.window
        status.score = round(speed * weight, 4)
    return status


def load_article_times(conn: sa.Connection, story_ids: Sequence[str]) -> dict[str, list[ArticleTime]]:
    """The :class:`ArticleTime` of every article of the given stories."""
    found: dict[str, list[ArticleTime]] = {sid: [] for sid in story_ids}
    if not story_ids:
        return found
    columns = (
        articles.c.id,
        articles.c.story_id,
        articles.c.source,
        articles.c.url,
        articles.c.published,
        articles.c.ingested_at,
        articles.c.duplicate_of,
    )
    # Chunked so a long list stays under SQLite's limit on bound parameters.
    for offset in range(0, len(story_ids), 500):
        chunk = list(story_ids[offset : offset + 500])
        query = sa.select(*columns).where(articles.c.story_id.in_(chunk)).order_by(articles.c.seq)
        for row in conn.execute(query):
            stored = parse_iso(row.ingested_at) or datetime.now(UTC)
            published = _published(row.published)
            at = min(published, stored) if published else stored
            found[row.story_id].append(
                ArticleTime(row.id, outlet_key(row.source, row.url), at, row.duplicate_of is not None)
            )
    return found


def _published(value: str | None) -> datetime | None:
    try:
        return parse_iso(value)
    except ValueError:
        return None


def story_status(
    store: Store, story_id: str, *, now: datetime | None = None, settings: BreakingSettings | None = None
) -> BreakingStatus:
    """Whether one story is breaking now (or at ``now``)."""
    now = now or datetime.now(UTC)
    with store.engine.connect() as conn:
        times = load_article_times(conn, [story_id])[story_id]
        title = conn.execute(sa.select(stories.c.title).where(stories.c.id == story_id)).scalar() or ""
    status = assess(story_id, times, now, settings)
    status.title = title
    return status


def breaking_stories(
    store: Store,
    *,
    now: datetime | None = None,
    settings: BreakingSettings | None = None,
    limit: int | None = 50,
    include_quiet: bool = False,
) -> list[BreakingStatus]:
    """Stories breaking now, highest score first; ``include_quiet`` also lists recent ones that are not."""
    settings = settings or BreakingSettings()
    now = now or datetime.now(UTC)
    cutoff = iso(now - settings.window)
    # A story that broke in the window was updated (stored) or last seen (published) in it.
    query = sa.select(stories.c.id, stories.c.title).where(
        sa.or_(stories.c.updated_at >= cutoff, stories.c.last_seen >= cutoff)
    )
    with store.engine.connect() as conn:
        titles = {row.id: row.title for row in conn.execute(query)}
        times = load_article_times(conn, list(titles))
    found = []
    for story_id, title in titles.items():
        status = assess(story_id, times[story_id], now, settings)
        status.title = title
        if status.breaking or (include_quiet and status.outlets):
            found.append(status)
    found.sort(key=lambda s: (-s.score, s.story_id))
    return found[:limit] if limit is not None else found
