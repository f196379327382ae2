"""Watch RSS/Atom feeds: poll them politely, ingest new entries through the pipeline, then alert.

A :class:`Watcher` keeps each feed's state in the store (``feeds`` table): the validators of the last
answer (ETag, Last-Modified) for conditional requests, when to poll next, and how many polls in a row
failed. A failure (down, slow, malformed, too big, an HTTP error) is reported and delays that feed's next
poll with exponential backoff and jitter; the other feeds carry on. New entries whose text is short (a
summary-only feed) get their article page fetched and extracted with the HTML reader. Everything goes
through one :class:`~newsfold.pipeline.Pipeline`, which catches up with articles other processes stored
before each batch. After each poll cycle the alert pass (:class:`~newsfold.alert.engine.Alerter`) decides
and delivers alerts. All state lives in the store, so a restarted watcher resumes where the last one
stopped and never alerts twice. With no feed to watch, a cycle is the alert pass alone: what a scheduler runs
to alert on articles that ``newsfold ingest`` or the REST API stored.

Feeds and pages are downloaded with httpx (transport injectable, so tests use local servers), streamed
and cut off at ``max_bytes``, with ``timeout`` covering the whole download.
"""

from __future__ import annotations

import functools
import logging
import math
import random as random_module
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa

from newsfold.alert.breaking import BreakingSettings
from newsfold.alert.config import FeedSpec, WatchConfig, WatchSettings, load_config
from newsfold.alert.deliver import DeliverySettings, SmtpSettings
from newsfold.alert.engine import Alerter, AlertReport
from newsfold.alert.tables import ensure_tables, feeds, iso, parse_iso
from newsfold.article import Article
from newsfold.errors import ConfigError, InputError, NewsfoldError
from newsfold.pipeline import Outcome, Pipeline
from newsfold.readers import PendingPage
from newsfold.readers.feed import USER_AGENT, parse_feed
from newsfold.store import Store, open_store

__all__ = [
    "MAX_INTERVAL",
    "MIN_INTERVAL",
    "CycleReport",
    "FeedResult",
    "FeedState",
    "Fetch",
    "FetchError",
    "FetchResult",
    "HttpFetcher",
    "Watcher",
    "check_interval",
    "configured_watcher",
    "list_feeds",
    "remove_feed",
    "watch_feeds",
]

log = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
Clock = Callable[[], datetime]
#: The shortest interval ``newsfold watch`` and ``newsfold serve --watch`` take: polling one feed more often
#: gains nothing (outlets publish minutes apart) and burdens its server.
MIN_INTERVAL = 10.0
#: The longest: a week. A longer interval is a typo, and a huge one would overflow the next poll's date.
MAX_INTERVAL = 7 * 24 * 3600.0


class FetchError(NewsfoldError):
    """A feed or page could not be downloaded; ``retry_after`` is the server's own wish, in seconds."""

    def __init__(self, url: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return functools.partial(type(self), retry_after=self.retry_after), (self.url, self.message)


@dataclass(slots=True, frozen=True)
class FetchResult:
    """One download: status 200 with a body, or 304 (not modified) without."""

    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    url: str = ""


#: Downloads a URL with the given request headers; raises :class:`FetchError` on any failure.
Fetch = Callable[[str, Mapping[str, str]], FetchResult]


class HttpFetcher:
    """The default :data:`Fetch`: httpx, redirects followed, size cap and a deadline for the whole download."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 20.0,
        max_bytes: int = 10 * 1024 * 1024,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": user_agent},
        )

    def close(self) -> None:
        self.client.close()

    def __call__(self, url: str, headers: Mapping[str, str]) -> FetchResult:
        deadline = time.monotonic() + self.timeout
        try:
            with self.client.stream("GET", url, headers=dict(headers)) as response:
                etag = response.headers.get("ETag")
                last_modified = response.headers.get("Last-Modified")
                if response.status_code == 304:
                    return FetchResult(304, b"", etag, last_modified, str(response.url))
                if response.status_code >= 400:
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                    raise FetchError(url, f"HTTP {response.status_code}", retry_after=retry_after)
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(url, f"{int(length)} bytes is more than the {self.max_bytes} allowed")
                chunks: list[bytes] = []
                size = 0
                # Decoded bytes are counted, so a small gzip bomb is cut off like a huge plain body.
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"cut off: more than the {self.max_bytes} bytes allowed")
                    if time.monotonic() > deadline:
                        raise FetchError(url, f"timed out after {self.timeout:g} s")
                    chunks.append(chunk)
                return FetchResult(
                    response.status_code, b"".join(chunks), etag, last_modified, str(response.url)
                )
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out after {self.timeout:g} s ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


# --- reports -----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class FeedResult:
    """What one poll of one feed did.

    ``status``: ``fetched`` (new content), ``not-modified`` (304), ``error`` (see ``error``), or ``waiting``
    (not due yet). ``errors`` lists, each by name, the entries that could not be read or stored and the article
    pages that could not be fetched while the feed itself was fine: a partial failure. ``dropped`` names the
    entries the pipeline left out on purpose (no text left after cleaning), as ``newsfold ingest`` names them.
    """

    url: str
    status: str
    entries: int = 0
    ingested: int = 0
    duplicates: int = 0
    skipped: int = 0
    pages: int = 0
    deferred: int = 0  # entries left for the next poll: their article page failed, and they are recent
    errors: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    error: str | None = None
    next_poll_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "entries": self.entries,
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "pages": self.pages,
            "deferred": self.deferred,
            "errors": list(self.errors),
            "dropped": list(self.dropped),
            "error": self.error,
            "next_poll_at": self.next_poll_at.isoformat() if self.next_poll_at else None,
        }


@dataclass(slots=True)
class CycleReport:
    """One poll cycle: every feed's result, then the alert pass."""

    started_at: datetime
    feeds: list[FeedResult] = field(default_factory=list)
    alerts: AlertReport = field(default_factory=AlertReport)

    @property
    def ingested(self) -> int:
        return sum(f.ingested for f in self.feeds)

    @property
    def failed_feeds(self) -> list[FeedResult]:
        return [f for f in self.feeds if f.status == "error"]

    @property
    def errors(self) -> list[str]:
        """Every entry and article page that failed in a feed that was polled (see ``FeedResult.errors``)."""
        return [error for f in self.feeds for error in f.errors]

    def to_dict(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "ingested": self.ingested,
            "feeds": [f.to_dict() for f in self.feeds],
            "alerts": self.alerts.to_dict(),
        }


@dataclass(slots=True)
class FeedState:
    """A watched feed as stored."""

    url: str
    source: str | None
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime | None
    last_polled_at: datetime | None
    last_status: str | None
    failures: int
    last_error: str | None

    @classmethod
    def from_row(cls, row: Any) -> FeedState:
        return cls(
            url=row.url,
            source=row.source,
            etag=row.etag,
            last_modified=row.last_modified,
            next_poll_at=parse_iso(row.next_poll_at),
            last_polled_at=parse_iso(row.last_polled_at),
            last_status=row.last_status,
            failures=row.failures or 0,
            last_error=row.last_error,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "source": self.source,
            "next_poll_at": self.next_poll_at.isoformat() if self.next_poll_at else None,
            "last_polled_at": self.last_polled_at.isoformat() if self.last_polled_at else None,
            "last_status": self.last_status,
            "failures": self.failures,
            "last_error": self.last_error,
        }


def list_feeds(store: Store) -> list[FeedState]:
    """Every watched feed with its polling state."""
    ensure_tables(store)
    with store.engine.connect() as conn:
        return [FeedState.from_row(row) for row in conn.execute(sa.select(feeds).order_by(feeds.c.added_at))]


def remove_feed(store: Store, url: str) -> bool:
    """Stop watching a feed (its articles stay); ``False`` if it was not watched."""
    ensure_tables(store)
    with store.transaction() as conn:
        return conn.execute(feeds.delete().where(feeds.c.url == url)).rowcount > 0


# --- the watcher -------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Download:
    result: FetchResult | None = None
    error: FetchError | None = None
    records: list[Article | InputError] = field(default_factory=list)


class Watcher:
    """Poll feeds, ingest new entries, run the alert pass; ``run_once`` or ``run_forever``."""

    def __init__(
        self,
        store: Store,
        feeds: Iterable[str | FeedSpec] = (),
        *,
        fetch: Fetch | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        interval: float | None = None,
        max_bytes: int | None = None,
        timeout: float | None = None,
        settings: WatchSettings | None = None,
        breaking: BreakingSettings | None = None,
        smtp: SmtpSettings | None = None,
        delivery: DeliverySettings | None = None,
        alerter: Alerter | None = None,
        random: random_module.Random | None = None,
    ) -> None:
        settings = settings or WatchSettings()
        overrides = {"interval": interval, "max_bytes": max_bytes, "timeout": timeout}
        settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
        ensure_tables(store)
        self.store = store
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        self.random = random or random_module.Random()
        self._fetcher: HttpFetcher | None = None
        if fetch is None:
            self._fetcher = HttpFetcher(
                transport=transport, timeout=settings.timeout, max_bytes=settings.max_bytes
            )
            fetch = self._fetcher
        self.fetch: Fetch = fetch
        self.alerter = alerter or Alerter(
            store,
            breaking=breaking,
            smtp=smtp,
            delivery=delivery,
            transport=transport,
            clock=self.clock,
            random=self.random,
        )
        self._pipeline: Pipeline | None = None
        specs = [spec if isinstance(spec, FeedSpec) else FeedSpec(spec) for spec in feeds]
        self.urls = self._register(specs) if specs else [f.url for f in list_feeds(store)]

    @property
    def pipeline(self) -> Pipeline:
        # Built on first use: rebuilding the copy index and open stories reads the whole store.
        if self._pipeline is None:
            self._pipeline = Pipeline(self.store)
        return self._pipeline

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
        self.alerter.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _register(self, specs: Sequence[FeedSpec]) -> list[str]:
        now = iso(self.clock())
        with self.store.transaction() as conn:
            for spec in specs:
                row = conn.execute(sa.select(feeds.c.source).where(feeds.c.url == spec.url)).first()
                if row is None:
                    conn.execute(
                        feeds.insert().values(url=spec.url, source=spec.source, failures=0, added_at=now)
                    )
                elif spec.source and row.source != spec.source:
                    conn.execute(feeds.update().where(feeds.c.url == spec.url).values(source=spec.source))
        return list(dict.fromkeys(spec.url for spec in specs))

    # --- one cycle ---------------------------------------------------------------------------------------
    def run_once(self, *, force: bool = False) -> CycleReport:
        """Poll every due feed (every feed with ``force``), ingest, then decide and deliver alerts.

        With no feed to watch, the cycle is the alert pass alone."""
        now = self.clock()
        report = CycleReport(started_at=now)
        rows: dict[str, Any] = {}
        if self.urls:
            with self.store.engine.connect() as conn:
                query = sa.select(feeds).where(feeds.c.url.in_(self.urls))
                rows = {row.url: row for row in conn.execute(query)}
        due = []
        for url in self.urls:
            row = rows.get(url)
            if row is None:
                continue  # removed by another process
            next_poll = self._due_at(
                parse_iso(row.next_poll_at), parse_iso(row.last_polled_at), row.failures or 0
            )
            if force or next_poll is None or next_poll <= now:
                due.append(row)
            else:
                report.feeds.append(FeedResult(url, "waiting", next_poll_at=next_poll))
        if due:
            with ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="newsfold-fetch") as pool:
                downloads: list[Future[_Download]] = [pool.submit(self._download, row) for row in due]
                for row, download in zip(due, downloads, strict=True):
                    report.feeds.append(self._ingest(row, download.result(), pool))
        report.alerts = self.alerter.run(self.clock())
        return report

    def _due_at(
        self, next_poll: datetime | None, last_polled: datetime | None, failures: int
    ) -> datetime | None:
        """When a feed is due: its stored next poll, but no later than one ``interval`` after its last poll.

        The stored time was set with the interval of the run that polled it; the interval of this run wins, so
        a shorter ``--interval`` applies at once. A failing feed keeps its backoff (and the server's
        ``Retry-After``), which may well be longer than the interval on purpose."""
        if next_poll is None or last_polled is None or failures:
            return next_poll
        return min(next_poll, last_polled + timedelta(seconds=self.settings.interval))

    def _download(self, row: Any) -> _Download:
        """Fetch and parse one feed (in a worker thread: no store access here)."""
        headers = {"Accept": FEED_ACCEPT}
        if row.etag:
            headers["If-None-Match"] = row.etag
        if row.last_modified:
            headers["If-Modified-Since"] = row.last_modified
        try:
            result = self.fetch(row.url, headers)
            if result.status == 304:
                return _Download(result=result)
            records = list(
                parse_feed(result.body, name=row.url, source=row.source, base_url=result.url or row.url)
            )
        except FetchError as exc:
            return _Download(error=exc)
        except Exception as exc:  # a fetch function or parser bug is this feed's failure, not the cycle's
            log.exception("polling %s failed", row.url)
            return _Download(error=FetchError(row.url, f"{type(exc).__name__}: {exc}"))
        return _Download(result=result, records=records)

    def _ingest(self, row: Any, download: _Download, pool: ThreadPoolExecutor) -> FeedResult:
        url = row.url
        if download.error is not None:
            return self._failed(row, download.error.message, download.error.retry_after)
        assert download.result is not None
        if download.result.status == 304:
            return self._succeeded(row, download.result, FeedResult(url, "not-modified"))
        entries = [r for r in download.records if isinstance(r, Article)]
        problems = [str(r) for r in download.records if isinstance(r, InputError)]
        if not entries and problems:
            # The feed as a whole is unreadable (malformed XML, not a feed): a failure, backed off.
            return self._failed(row, "; ".join(p.removeprefix(f"{url}: ") for p in problems), None)
        result = FeedResult(url, "fetched", entries=len(entries), errors=problems)
        for article in entries:
            article.metadata.setdefault("feed", url)
        new = [a for a in entries if not self.store.has_article(a.id)]
        result.skipped = len(entries) - len(new)
        new = self._with_pages(new, result, pool)
        pipeline = self.pipeline
        pipeline.catch_up()

        def on_outcome(outcome: Outcome) -> None:
            # Named as ``newsfold ingest`` names it; an entry stored meanwhile by another process is not news.
            if outcome.status == "skipped" and outcome.reason != "already stored":
                result.dropped.append(f"{outcome.origin or outcome.article_id}: {outcome.reason}")

        # In this process: forking a cleaning pool while download threads run could deadlock the children,
        # and a feed's few new entries are not worth a pool.
        ingest = pipeline.run(new, workers=1, on_outcome=on_outcome)
        result.ingested = ingest.ingested
        result.duplicates = ingest.duplicates
        result.skipped += ingest.skipped
        result.errors.extend(str(e) for e in ingest.errors)
        return self._succeeded(row, download.result, result)

    def _with_pages(self, new: list[Article], result: FeedResult, pool: ThreadPoolExecutor) -> list[Article]:
        """Replace short entries by their article page, when the page has more text."""
        short = [
            i
            for i, a in enumerate(new)
            if len(a.text) < self.settings.page_min_chars
            and a.url
            and urlsplit(a.url).scheme in ("http", "https")
        ]
        if not short:
            return new
        fetched = list(pool.map(self._page, [new[i] for i in short]))
        out: list[Article | None] = list(new)
        recent = self.clock() - timedelta(hours=self.settings.page_retry_hours)
        for i, (article, problem) in zip(short, fetched, strict=True):
            if problem and article.published is not None and article.published >= recent:
                # A page that fails soon after publication (a site still publishing it, a server busy with
                # the news) usually works minutes later. Once stored, the entry would never be read again:
                # it waits, and the feed is read whole at the next poll (see _succeeded).
                result.errors.append(f"{problem}; the entry waits for the next poll")
                result.deferred += 1
                out[i] = None
                continue
            if problem:
                result.errors.append(f"{problem}; kept the feed's text")
            elif article is not new[i]:
                result.pages += 1
            out[i] = article
        return [a for a in out if a is not None]

    def _page(self, entry: Article) -> tuple[Article, str | None]:
        assert entry.url is not None
        try:
            page = self.fetch(entry.url, {"Accept": PAGE_ACCEPT})
        except FetchError as exc:
            return entry, f"article page {exc}"
        except Exception as exc:  # a fetch function's bug costs this page only
            return entry, f"article page {entry.url}: {type(exc).__name__}: {exc}"
        extracted = PendingPage(
            page.body,
            article_id=entry.id,
            origin=entry.url,
            url=entry.url,
            source=entry.source,
            fallback_date=entry.published,
        ).extract()
        if isinstance(extracted, InputError):
            return entry, f"article page {extracted}"
        if len(extracted.text) <= len(entry.text):
            return entry, None
        # The feed's title and date describe the entry as its outlet meant it; the page fills the gaps.
        extracted.title = entry.title or extracted.title
        extracted.published = entry.published or extracted.published
        extracted.metadata = {**extracted.metadata, **entry.metadata, "page_fetched": True}
        extracted.origin = entry.origin
        return extracted, None

    def _succeeded(self, row: Any, fetched: FetchResult, result: FeedResult) -> FeedResult:
        now = self.clock()
        result.next_poll_at = now + timedelta(seconds=self.settings.interval)
        with self.store.transaction() as conn:
            conn.execute(
                feeds.update()
                .where(feeds.c.url == row.url)
                .values(
                    # A 304 may omit the validators; the old ones still describe what we hold. With entries
                    # left for the next poll we do not hold all of it: no validators, so the feed comes whole.
                    etag=None if result.deferred else fetched.etag or row.etag,
                    last_modified=None if result.deferred else fetched.last_modified or row.last_modified,
                    next_poll_at=iso(result.next_poll_at),
                    last_polled_at=iso(now),
                    last_status=result.status,
                    failures=0,
                    last_error=None,
                )
            )
        return result

    def _failed(self, row: Any, message: str, retry_after: float | None) -> FeedResult:
        now = self.clock()
        failures = (row.failures or 0) + 1
        delay = min(self.settings.backoff_seconds * 2 ** (failures - 1), self.settings.max_backoff_seconds)
        # Jitter: feeds that failed together (a network outage) do not all come back at the same second.
        delay *= self.random.uniform(0.5, 1.0)
        if retry_after:
            delay = max(delay, min(retry_after, self.settings.max_backoff_seconds))
        next_poll = now + timedelta(seconds=delay)
        log.warning("feed %s failed (%d in a row): %s; next poll %s", row.url, failures, message, next_poll)
        with self.store.transaction() as conn:
            conn.execute(
                feeds.update()
                .where(feeds.c.url == row.url)
                .values(
                    next_poll_at=iso(next_poll),
                    last_polled_at=iso(now),
                    last_status="error",
                    failures=failures,
                    last_error=message,
                )
            )
        return FeedResult(row.url, "error", error=message, next_poll_at=next_poll)

    # --- forever -----------------------------------------------------------------------------------------
    def run_forever(
        self,
        stop_event: threading.Event,
        *,
        on_cycle: Callable[[CycleReport], None] | None = None,
        force: bool = False,
    ) -> None:
        """Run cycles until ``stop_event`` is set, sleeping until the next feed or alert is due.

        ``force`` polls every feed in the first cycle, due or not; later cycles poll feeds when due."""
        while not stop_event.is_set():
            try:
                report = self.run_once(force=force)
            except Exception:  # a cycle that failed (store locked, disk full) is retried, not fatal
                log.exception("watch cycle failed; retrying in %g s", self.settings.backoff_seconds)
                stop_event.wait(self.settings.backoff_seconds)
                continue
            force = False
            if on_cycle is not None:
                on_cycle(report)
            stop_event.wait(self._seconds_to_next())

    def _seconds_to_next(self) -> float:
        now = self.clock()
        due = [
            self._due_at(f.next_poll_at, f.last_polled_at, f.failures)
            for f in list_feeds(self.store)
            if f.url in self.urls
        ]
        times = [when for when in due if when is not None]
        pending = self.alerter.deliverer.next_due()
        if pending is not None:
            times.append(pending)
        longest = max(self.settings.interval, 1.0)
        if not times:
            return longest
        return min(max((min(times) - now).total_seconds(), 0.2), longest)

    def start(self, stop_event: threading.Event) -> threading.Thread:
        """``run_forever`` in a daemon thread (for ``newsfold serve``); set ``stop_event`` to end it."""
        thread = threading.Thread(
            target=self.run_forever, args=(stop_event,), name="newsfold-watch", daemon=True
        )
        thread.start()
        return thread


def check_interval(interval: float) -> float:
    """``interval`` if ``newsfold watch`` may poll at it (``MIN_INTERVAL`` to ``MAX_INTERVAL`` seconds); else
    a :class:`~newsfold.errors.ConfigError` that says why."""
    if not (math.isfinite(interval) and MIN_INTERVAL <= interval <= MAX_INTERVAL):
        raise ConfigError(
            f"the watch interval must be {MIN_INTERVAL:g} to {MAX_INTERVAL:g} seconds, not {interval:g}: "
            "polling a feed more often gains nothing and burdens its server"
        )
    return interval


def configured_watcher(
    store: Store,
    config: WatchConfig,
    feeds: Iterable[str | FeedSpec] = (),
    *,
    interval: float | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Watcher:
    """The watcher of ``newsfold watch`` and ``newsfold serve --watch``: the config's feeds and ``feeds`` (else
    those stored), with the config's settings; ``interval`` overrides the config's. Refuses an interval
    outside :func:`check_interval`'s range, from either."""
    specs = [*config.feeds, *(f if isinstance(f, FeedSpec) else FeedSpec(f) for f in feeds)]
    interval = check_interval(config.watch.interval if interval is None else interval)
    return Watcher(
        store,
        specs,
        settings=replace(config.watch, interval=interval),
        breaking=config.breaking,
        smtp=config.smtp,
        delivery=config.delivery,
        transport=transport,
    )


def watch_feeds(
    db: str | None,
    feeds: Iterable[str | FeedSpec] = (),
    interval: float | None = None,
    once: bool = False,
    *,
    config: str | None = None,
    force: bool = False,
    stop_event: threading.Event | None = None,
    on_cycle: Callable[[CycleReport], None] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> CycleReport | None:
    """What ``newsfold watch`` runs: feeds from arguments and the config file (else the stored ones).

    ``once`` runs one cycle and returns its report; otherwise cycles run until ``stop_event`` is set (or
    Ctrl-C). ``force`` polls every feed in the (first) cycle, due or not. With no feed at all, each cycle is
    the alert pass alone, for the articles other processes stored (its report lists no feeds).
    """
    cfg = load_config(config)
    # Checked before the store opens, so a mistyped URL or interval does not leave a new, empty store behind.
    feeds = [f if isinstance(f, FeedSpec) else FeedSpec(f) for f in feeds]
    check_interval(cfg.watch.interval if interval is None else interval)
    with open_store(db) as store:
        watcher = configured_watcher(store, cfg, feeds, interval=interval, transport=transport)
        try:
            if once:
                return watcher.run_once(force=force)
            watcher.run_forever(stop_event or threading.Event(), on_cycle=on_cycle, force=force)
            return None
        finally:
            watcher.close()
