"""The ingest pipeline: read, clean, find copies, cluster into stories, store; one article at a time.

Each stage is a module with one entry point (``clean_text``, ``LineMemory.mark``, ``CopyIndex.match``,
``StoryClusterer.assign``); this module only wires them to the store. In-memory state (the lines seen across
stories, the copy index, the open stories) is rebuilt from the store when a pipeline starts, so a re-run
after a crash continues exactly where the last one stopped.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import signal
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy

from newsfold.article import Article
from newsfold.clean import Cleaned, clean_text
from newsfold.clean.repeats import COPY_ADDITION, LineMemory, RepeatGuard, fold, line_keys, overlap
from newsfold.cluster import ClusterSettings, Parsed, StoryClusterer, parse_article, story_id_for
from newsfold.dask_engine import DaskEngine
from newsfold.dates import find_date, find_lead_dateline
from newsfold.dedup import CopyIndex, Fingerprint, fingerprint
from newsfold.errors import InputError, NewsfoldError, StoreError
from newsfold.outlet import outlet_from_removed
from newsfold.readers import PendingPage, read_inputs
from newsfold.store import MAX_ID_LENGTH, Store

__all__ = ["Pipeline", "IngestReport", "Outcome", "ingest", "prepare", "story_title"]

#: Articles read before cleaning moves to worker processes (small batches are not worth starting them).
PARALLEL_AFTER = 64
#: Articles being cleaned ahead of the one being stored.
IN_FLIGHT = 256
#: Articles sent to a worker at once.
CHUNK = 16
#: Newest stored articles a new pipeline learns from (the copy index holds as many).
REPLAY_ARTICLES = 50_000
#: Longest article text taken, in characters. The longest long reads run to a few hundred thousand; a
#: record past this is a whole dump or a page's raw bytes in one field, and cleaning it would take
#: hundreds of megabytes (about 40 bytes of memory per character).
MAX_TEXT_CHARS = 5_000_000


@dataclass(slots=True)
class Outcome:
    """What happened to one article: ``stored``, ``duplicate`` (stored, marked as a copy) or ``skipped``."""

    article_id: str
    status: str
    story_id: str | None = None
    duplicate_of: str | None = None
    new_story: bool = False
    reason: str = ""
    origin: str | None = None  # where a skipped article came from (file and line), when it matters


@dataclass(slots=True)
class IngestReport:
    """Counts of one ingest run, and every input error with where it happened."""

    ingested: int = 0
    duplicates: int = 0
    skipped: int = 0
    new_stories: int = 0
    errors: list[InputError] = field(default_factory=list)
    skip_reasons: Counter[str] = field(default_factory=Counter)

    def fail(self, error: InputError, reason: str) -> None:
        """Count a record that could not be read or processed."""
        self.errors.append(error)
        self.skipped += 1
        self.skip_reasons[reason] += 1

    def to_dict(self) -> dict:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "new_stories": self.new_stories,
            "errors": len(self.errors),
            "skip_reasons": dict(self.skip_reasons),
        }


def _ignore_interrupts() -> None:
    """In a cleaning worker: Ctrl-C is the ingesting process's to handle. A terminal sends it to every
    process of the group; a worker stopped by it mid-message could leave the pool's shutdown waiting for ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _abandon(pool: ProcessPoolExecutor) -> None:
    """Stop a local pool at once after Ctrl-C: its queued chunks are dropped and its workers end; what is
    stored stays stored, and the same command continues where this one stopped."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way to stop workers
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def story_title(article: Article) -> str:
    """A new story's title: its first article's title, else that article's first sentence."""
    if article.title and article.title.strip():
        return article.title.strip()
    from newsfold.compare.sentences import split_sentences

    # The first sentence lies in the opening; splitting the whole text would cost more than the title is worth.
    opening = article.clean_text[:600]
    sentences = split_sentences(opening)
    first = " ".join(sentences[0].split()) if sentences else " ".join(opening.split())
    return first if len(first) <= 100 else first[:97].rsplit(" ", 1)[0] + "..."


@dataclass(slots=True)
class Prepared:
    """What :func:`prepare` computed for an article besides filling its fields."""

    fingerprint: Fingerprint
    parsed: Parsed
    cleaned: Cleaned
    keys: list[int]  # the cleaned lines' line_key, computed in the main process


def prepare(
    article: Article,
    settings: ClusterSettings | None = None,
    keys: list[int] | None = None,
    repeated: Sequence[bool] | None = None,
    guard: RepeatGuard | None = None,
) -> tuple[Article, Prepared]:
    """The pure per-article stages: clean, outlet and date from the removed lines, copy fingerprint, and
    the clusterer's feature counts; safe to run in a worker process.

    ``keys`` are the text's :func:`~newsfold.clean.repeats.line_keys` (computed here if not given);
    ``repeated`` flags, line by line, the lines that recur across stories (:mod:`newsfold.clean.repeats`),
    removed as ``guard`` allows.
    """
    # Fail before any index learns from an article the store would then reject (unencodable text).
    article.text.encode("utf-8")
    cleaned = clean_text(article.text)
    keys = line_keys(article.text) if keys is None else keys
    if repeated is not None:
        (guard or RepeatGuard()).mark(cleaned, repeated)
    cleaned.apply(article)
    if not article.source:
        article.source = outlet_from_removed(article.removed)
    if article.published is None:
        # A dateline the cleaner removed as a byline, else one that opens the report ("WASHINGTON, March 5,
        # 2024 (AP) — The Senate ...").
        article.published = find_date(
            r.text for r in article.removed if r.reason == "byline"
        ) or find_lead_dateline(article.clean_text)
        if article.published is not None:
            article.metadata["published_from"] = "dateline"
    parsed = parse_article(article, settings or ClusterSettings())
    return article, Prepared(fingerprint(article.clean_text), parsed, cleaned, keys)


def _prepare_chunk(
    records: list[tuple[Article | InputError | PendingPage, list[int], list[bool] | None]],
    settings: ClusterSettings,
    guard: RepeatGuard,
) -> list[tuple[Article | InputError, Prepared | None, BaseException | None]]:
    """:func:`prepare` over a chunk in a worker; input errors pass through, a failing article carries its error.

    Each record comes with its :func:`~newsfold.clean.repeats.line_keys` and, line by line, whether the line
    was repeated when sent; a page still to extract comes with no keys (its text is not known yet), and the
    main process computes them when it comes back.
    """
    out: list[tuple[Article | InputError, Prepared | None, BaseException | None]] = []
    for record, keys, repeated in records:
        if isinstance(record, PendingPage):
            record = _checked(record.extract())
        if isinstance(record, InputError):
            out.append((record, None, None))
            continue
        try:
            article, done = prepare(record, settings, keys, repeated, guard)
            out.append((article, done, None))
        except (NewsfoldError, ValueError, UnicodeError) as exc:
            # The main process reports it as it would had the article failed there (see ``Pipeline.run``).
            out.append((record, None, exc))
    return out


def _checked(record: Article | InputError | PendingPage) -> Article | InputError | PendingPage:
    """``record`` if its fields have the types an article needs, else an ``InputError`` saying which does
    not: articles made in Python (``Pipeline.run``) get the reader's checks too."""
    if isinstance(record, InputError | PendingPage):
        return record  # a page is checked once extracted
    if not isinstance(record, Article):
        return InputError(repr(record)[:80], f"expected an Article, got {type(record).__name__}")
    where = record.origin or (
        _shown_id(record.id) if isinstance(record.id, str) and record.id else "an article without an id"
    )
    problem = None
    if not isinstance(record.id, str) or not record.id.strip():
        problem = "'id' must be a non-empty string"
    elif len(record.id) > MAX_ID_LENGTH:
        problem = f"'id' has {len(record.id):,} characters; the store keeps at most {MAX_ID_LENGTH}"
    elif not isinstance(record.text, str) or not record.text.strip():
        problem = "'text' must be a non-empty string"
    elif len(record.text) > MAX_TEXT_CHARS:
        problem = (
            f"'text' has {len(record.text):,} characters, more than an article has "
            f"(at most {MAX_TEXT_CHARS:,}); is it a whole file in one record?"
        )
    elif record.published is not None and not isinstance(record.published, datetime):
        problem = f"'published' must be a datetime or None, got {type(record.published).__name__}"
    elif any(v is not None and not isinstance(v, str) for v in (record.title, record.source, record.url)):
        problem = "'title', 'source' and 'url' must be strings or None"
    if problem is not None:
        return InputError(where, problem)
    if record.published is not None and record.published.tzinfo is None:
        record.published = record.published.replace(tzinfo=UTC)  # as the readers read a naive time
    return _without_nul(record)


def _extracted(record: Article | InputError | PendingPage) -> Article | InputError:
    """``record``, a page extracted (and checked) here."""
    return _checked(record.extract()) if isinstance(record, PendingPage) else record


def _shown_id(article_id: str) -> str:
    """An id as messages show it: an overlong one cut, so that a message stays a line."""
    return article_id if len(article_id) <= 80 else f"{article_id[:60]}... ({len(article_id):,} characters)"


def _without_nul(record: Article) -> Article:
    """``record`` with NUL characters dropped from its text fields: debris of a broken extraction or encoding,
    never reporting, and no store can keep them (PostgreSQL refuses them; SQLite is held to the same rule).
    How many went is noted in ``metadata["nul_removed"]``. An id with a NUL stays as it is, and is refused."""
    removed = 0
    for name in ("text", "title", "source", "url"):
        value = getattr(record, name)
        if value and "\x00" in value:
            removed += value.count("\x00")
            setattr(record, name, value.replace("\x00", ""))
    if removed:
        record.metadata["nul_removed"] = removed
    return record


class Pipeline:
    """Clean, dedup and cluster articles into a store, one transaction per article."""

    def __init__(self, store: Store, *, settings: ClusterSettings | None = None) -> None:
        self.store = store
        self.lines = LineMemory()
        self.copies = CopyIndex()
        self.clusterer = StoryClusterer(settings)
        # The connection ``run`` holds for its batch (None: each store call takes one from the pool).
        self._conn: sqlalchemy.Connection | None = None
        self._restore()

    def _restore(self) -> None:
        # The store is the truth: replaying its newest articles rebuilds the copy index and the open stories.
        # Older ones cannot matter: they have aged out of both (copy index capacity, story windows), so a
        # start costs the same for a week of news as for a year.
        self._seen_seq = max(0, self.store.max_seq() - REPLAY_ARTICLES)
        self._own: set[str] = set()
        self.catch_up()

    def catch_up(self) -> int:
        """Learn from articles other processes stored since this pipeline last looked; returns how many.

        A long-running pipeline (the web server, ``newsfold watch``) calls this before processing, so
        articles the CLI ingested meanwhile shape its decisions too.
        """
        learned = 0
        for seq, article in self.store.iter_articles_since(self._seen_seq):
            if article.id not in self._own:
                if article.story_id:
                    self.lines.remember(line_keys(article.text), article.story_id)
                self.copies.remember(article)
                self.clusterer.replay(article)
                learned += 1
            self._seen_seq = seq
        self._own.clear()
        return learned

    def process(self, article: Article, *, prepared: Prepared | None = None) -> Outcome:
        """Run one article through every stage and store it; never stores the same id twice.

        ``prepared`` is what :func:`prepare` returned when it already ran (in a worker process).
        """
        conn = self._conn
        if conn is None:
            return self._process(article, prepared)
        try:
            outcome = self._process(article, prepared)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return outcome

    def _process(self, article: Article, prepared: Prepared | None) -> Outcome:
        store, conn = self.store, self._conn
        # Refuse what the store would refuse before any in-memory index learns from it (and before an id
        # PostgreSQL cannot take is looked up).
        store.check_storable(article)
        if store.has_article(article.id, conn) and self._already_stored(article):
            return Outcome(article.id, "skipped", reason="already stored", origin=article.origin)
        if prepared is None:
            prepared = prepare(article, self.clusterer.settings)[1]
        prepared = self._drop_repeated(article, prepared)
        fp = prepared.fingerprint
        if not article.clean_text.strip():
            return Outcome(article.id, "skipped", reason="no text left after cleaning", origin=article.origin)
        digest = fp.digest
        exact = store.find_by_hash(digest, conn)
        if exact is not None:
            article.duplicate_of = self.copies.source(exact)
            self.copies.remember(article, fp)
        else:
            match = self.copies.match(article, fp)
            article.duplicate_of = match.original_id if match else None
        copy_story = None
        if article.duplicate_of is not None:
            original = store.get_article(article.duplicate_of, conn)
            copy_story = original.story_id if original else None
            # An exact copy of its original adds nothing; one of a copy adds what that copy added.
            if original is not None and article.duplicate_of != exact:
                prepared = self._drop_copy_additions(article, prepared, original)
        story_id = self.clusterer.assign(article, copy_of_story=copy_story, parsed=prepared.parsed)
        self.lines.remember(prepared.keys, story_id)
        new_story = story_id == story_id_for(article.id)
        try:
            # A title is only needed when this article starts the story.
            # With the batch's connection, ``process`` commits the article and its story at once.
            store.add_article(article, digest, story_title(article) if new_story else "", conn)
        except sqlalchemy.exc.IntegrityError:
            # Another process stored the same id first (PostgreSQL, concurrent ingests): same outcome.
            if conn is not None:
                conn.rollback()
            if store.has_article(article.id, conn):
                return Outcome(article.id, "skipped", reason="already stored")
            raise
        self._own.add(article.id)
        status = "duplicate" if article.duplicate_of else "stored"
        # A story is created exactly when its id derives from this article (see cluster.story_id_for).
        return Outcome(article.id, status, story_id, article.duplicate_of, new_story)

    def _already_stored(self, article: Article) -> bool:
        """Whether ``article``, under an id already stored, is a re-run to skip (``False``: renamed, it can
        be stored). Raises ``StoreError`` for another text under an id the input gave.

        The same text again is a re-run. Another text under a name-made id is another file of the same name
        (``siteA/index.html``, ``siteB/index.html``) or another capture of a URL: it takes the id plus a hash
        of its text, the same on every run. A feed entry corrected under its guid is skipped: the stored
        version stands (README). Another text under any other id the input gave is two records that share
        an id by mistake: an error, and it is not stored.
        """
        stored = self.store.get_article(article.id, self._conn)
        if stored is None or stored.text == article.text or article.updates_id:
            return True
        if not article.id_from_name:
            raise StoreError(f"id {article.id!r} already stored with another text")
        article.id = f"{article.id}-{hashlib.sha1(article.text.encode('utf-8')).hexdigest()[:10]}"
        article.id_from_name = False
        self.store.check_storable(article)
        return self.store.has_article(article.id, self._conn)

    def _drop_repeated(self, article: Article, prepared: Prepared) -> Prepared:
        """Remove the kept lines that articles of several other stories carried, as the memory knows them now
        (see :mod:`newsfold.clean.repeats`); the worker already removed those it knew of when it got the
        article, so this redoes the fingerprint and the parse only when the memory learned more since."""
        if not self.lines.mark(prepared.cleaned, prepared.keys):
            return prepared
        return self._reprepared(article, prepared)

    def _drop_copy_additions(self, article: Article, prepared: Prepared, original: Article) -> Prepared:
        """Remove the lines a near copy adds to its original: what a scraper or syndicator wrapped around the
        text (:class:`~newsfold.clean.repeats.RepeatGuard` decides which may go: short furniture, and longer
        lines about something else than the original)."""
        theirs = fold(original.text)
        cleaned = prepared.cleaned
        # Compared as text, not line by line, so that a copy wrapped at other places adds nothing.
        added = [fold(line) not in theirs for line in cleaned.lines]
        if not any(added):
            return prepared
        # Only the added lines are measured: the guard asks nothing of the others ("" shares everything).
        shared = overlap(
            [line if new else "" for line, new in zip(cleaned.lines, added, strict=True)], original.clean_text
        )
        if not self.lines.guard.mark(cleaned, added, COPY_ADDITION, shared):
            return prepared
        return self._reprepared(article, prepared, matched=True)

    def _reprepared(self, article: Article, prepared: Prepared, *, matched: bool = False) -> Prepared:
        """``prepared`` after its cleaning decisions changed: the text, fingerprint and parse again (the
        fingerprint not for a copy already ``matched``: nothing looks at it again)."""
        prepared.cleaned.apply(article)
        return Prepared(
            prepared.fingerprint if matched else fingerprint(article.clean_text),
            parse_article(article, self.clusterer.settings),
            prepared.cleaned,
            prepared.keys,
        )

    def _prepared(
        self,
        records: Iterable[Article | InputError | PendingPage],
        workers: int,
        engine: DaskEngine | None = None,
    ) -> Iterator[tuple[Article | InputError, Prepared | None, BaseException | None]]:
        """``(record, what prepare computed or None, error)`` in input order; workers prepare big batches.

        Cleaning is pure and per article, so it parallelises: over ``workers`` local processes, or over
        the workers of a Dask cluster (``engine``). Dedup, clustering and the store stay in this process,
        in arrival order, one transaction per article.
        """
        iterator = iter(records)
        # The first articles go through one by one: a small batch is not worth starting processes for.
        for record in itertools.islice(iterator, PARALLEL_AFTER if workers > 1 or engine else None):
            yield _extracted(record), None, None
        first = next(iterator, None)
        if first is None:
            return
        iterator = itertools.chain([first], iterator)
        pool: Executor
        if engine is None:
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_ignore_interrupts,
            )
            in_flight = IN_FLIGHT
        else:
            # The cluster's executor is the caller's to close; enough chunks in flight to keep its workers busy.
            pool = engine.executor
            in_flight = max(IN_FLIGHT, 4 * CHUNK * engine.slots)
        settings = self.clusterer.settings
        lines = self.lines
        # Articles travel to the workers in chunks: one round trip per chunk, not per article.
        pending: deque[Future] = deque()
        chunk: list[Article | InputError | PendingPage] = []
        pool_abandoned = False  # the local pool, stopped at once after Ctrl-C

        def with_lines(
            record: Article | InputError | PendingPage,
        ) -> tuple[Article | InputError | PendingPage, list[int], list[bool] | None]:
            if isinstance(record, PendingPage):
                # Extracted in the worker; its line keys are computed here when it comes back (they are
                # Python hashes, seeded per process: a Dask worker's would not match this memory), and the
                # lines repeated across stories are found when it is stored.
                return record, [], None
            if isinstance(record, InputError):
                return record, [], []
            try:
                keys = line_keys(record.text)
            except UnicodeError:
                # Text that cannot be UTF-8 (a lone surrogate): prepare() refuses it in the worker, which
                # reports it like any article that fails there.
                return record, [], []
            return record, keys, lines.flags(keys)

        def send() -> None:
            if chunk:
                work = [with_lines(record) for record in chunk]
                pending.append(pool.submit(_prepare_chunk, work, settings, lines.guard))
                chunk.clear()

        def drain(limit: int) -> Iterator[tuple[Article | InputError, Prepared | None, BaseException | None]]:
            while len(pending) > limit:
                for article, prepared, failure in pending.popleft().result():
                    if prepared is not None and not prepared.keys:  # a page extracted in the worker
                        prepared.keys = line_keys(article.text)
                    yield article, prepared, failure

        try:
            try:
                for record in iterator:
                    chunk.append(record)
                    if len(chunk) >= CHUNK:
                        send()
                        yield from drain(in_flight // CHUNK)
                send()
            except Exception:
                # The input failed: store what was read before it, then let the failure through.
                send()
                yield from drain(0)
                raise
            yield from drain(0)
        except KeyboardInterrupt:
            if engine is None:
                _abandon(pool)
                pool_abandoned = True
            raise
        finally:
            # A cluster's tasks still running end when the caller closes its client.
            if engine is None and not pool_abandoned:
                pool.shutdown(wait=True, cancel_futures=True)

    def run(
        self,
        records: Iterable[Article | InputError | PendingPage],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_error: Callable[[InputError], None] | None = None,
        workers: int | None = None,
        engine: DaskEngine | None = None,
    ) -> IngestReport:
        """Process a stream of read results; input errors are reported and counted, never fatal.

        A :class:`~newsfold.readers.PendingPage` among them is extracted where the article is cleaned.
        ``workers`` processes clean articles in parallel (default: one per CPU; 1 turns it off); with
        ``engine`` (:func:`newsfold.dask_engine.dask_engine`) a Dask cluster's workers clean them instead.
        """
        workers = (os.cpu_count() or 1) if workers is None else workers
        # One connection for the batch, still one transaction per article (``process`` commits each).
        with self.store.connection() as conn:
            self._conn = conn
            try:
                return self._run(records, on_outcome, on_error, workers, engine)
            finally:
                self._conn = None

    def _run(
        self,
        records: Iterable[Article | InputError | PendingPage],
        on_outcome: Callable[[Outcome], None] | None,
        on_error: Callable[[InputError], None] | None,
        workers: int,
        engine: DaskEngine | None,
    ) -> IngestReport:
        report = IngestReport()
        for record, prepared, failure in self._prepared(map(_checked, records), workers, engine):
            if isinstance(record, InputError):
                report.fail(record, "input error")
                if on_error:
                    on_error(record)
                continue
            try:
                if failure is not None:
                    raise failure
                outcome = self.process(record, prepared=prepared)
            except (NewsfoldError, ValueError, UnicodeError, sqlalchemy.exc.IntegrityError) as exc:
                # One article that cannot be processed must not stop the batch; it was not stored.
                error = InputError(
                    record.origin or _shown_id(record.id),
                    f"could not process article {_shown_id(record.id)}: {exc}",
                )
                report.fail(error, "processing error")
                if on_error:
                    on_error(error)
                continue
            if outcome.status == "skipped":
                report.skipped += 1
                report.skip_reasons[outcome.reason] += 1
            else:
                report.ingested += 1
                report.duplicates += outcome.status == "duplicate"
                report.new_stories += outcome.new_story
            if on_outcome:
                on_outcome(outcome)
        return report


def ingest(
    store: Store,
    inputs: Iterable[str | Path | Article] | str | Path,
    *,
    source: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    names: Mapping[str, str] | None = None,
    engine: DaskEngine | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Read files, folders or feed URLs and run every article through the pipeline into ``store``.

    ``inputs`` is a list of them (one path or URL alone is taken as a list of one); an
    :class:`~newsfold.article.Article` among them goes in as it is. ``names``: see
    :func:`~newsfold.readers.read_inputs`. ``engine``: clean on a Dask cluster (see
    :mod:`newsfold.dask_engine`); ``workers``: local worker processes (default one per CPU, 1 for none)."""
    pipeline = Pipeline(store)
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    records = _records(inputs, source, on_bytes, names)
    return pipeline.run(records, on_outcome=on_outcome, on_error=on_error, engine=engine, workers=workers)


def _records(
    inputs: Iterable[str | Path | Article],
    source: str | None,
    on_bytes: Callable[[int], None] | None,
    names: Mapping[str, str] | None,
) -> Iterator[Article | InputError | PendingPage]:
    """What ``ingest`` reads: each input's articles in turn, an ``Article`` given as such; web pages are
    extracted by the workers that clean (:class:`~newsfold.readers.PendingPage`)."""
    for item in inputs:
        if isinstance(item, Article):
            yield item
        else:
            yield from read_inputs([item], source=source, on_bytes=on_bytes, names=names, defer_pages=True)
