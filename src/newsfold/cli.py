"""The ``newsfold`` command: a few lines per command over the library; no SQL and no algorithms here."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

import click
import sqlalchemy as sa
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsfold import __version__
from newsfold.errors import InputError, NewsfoldError
from newsfold.store import Store, open_store, resolve_db_url, shown_url

if TYPE_CHECKING:
    from newsfold.article import Article
    from newsfold.dask_engine import DaskEngine

# Piped output is read by programs and people with wide windows: do not wrap or crop it at 80 columns.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)

db_option = click.option(
    "--db",
    envvar="NEWSFOLD_DB",
    default=None,
    help="Store: a SQLite path or a database URL. Default: $NEWSFOLD_DB, else ./newsfold.db.",
)


output_option = click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File to write (default stdout).",
)


class _Newsfold(click.Group):
    """The command group: Ctrl-C ends any command with status 130, as a shell expects of an interrupted
    program (click's own answer is "Aborted!" and 1, the status of a failure)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/]")
            sys.exit(130)


@click.group(cls=_Newsfold, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsfold")
def main() -> None:
    """newsfold: turn raw news from many outlets into clean, deduplicated stories."""


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _fail(exc: NewsfoldError) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(str(exc))}")
    sys.exit(1)


def _open(db: str | None, *, existing: bool = False) -> Store:
    """The store at ``--db``, or a clear error and exit status 1.

    ``existing``: the command only reads or edits what is stored, so a SQLite file that is not there is a
    mistyped path, not a new store to create."""
    if existing:
        url = sa.make_url(resolve_db_url(db))
        if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
            _fail(
                NewsfoldError(
                    f"no store at {url.database}: give the right --db (or $NEWSFOLD_DB), "
                    "or ingest articles there first"
                )
            )
    try:
        return open_store(db)
    except NewsfoldError as exc:
        _fail(exc)


def _none(what: str) -> None:
    """Say on stderr that a listing is empty (stdout stays empty for scripts)."""
    err.print(f"[dim]{what}[/]")


#: How messages and stored origins name what was read from stdin.
STDIN_NAME = "<stdin>"


@contextmanager
def _stdin_as_file(inputs: Sequence[str]) -> Iterator[tuple[list[str], dict[str, str]]]:
    """``inputs`` with ``-`` replaced by stdin spooled to a file, and the name to show that file by.

    The spool is named ``stdin`` with no extension, so stdin is read exactly as a file is: its format sniffed
    from its first bytes (HTML, JSONL, feed, WARC, gzip, text), binary and non-UTF-8 data refused; a text or
    HTML article read from it takes the id ``stdin``. Errors and origins call it ``<stdin>``
    (:func:`newsfold.readers.read_inputs`' ``names``)."""
    if "-" not in inputs:
        yield list(inputs), {}
        return
    with tempfile.TemporaryDirectory(prefix="newsfold-") as folder:
        spool = Path(folder) / "stdin"
        with spool.open("wb") as handle:
            shutil.copyfileobj(sys.stdin.buffer, handle)
        yield [str(spool) if item == "-" else item for item in inputs], {str(spool): STDIN_NAME}


# --- ingest ------------------------------------------------------------------------------------------------
@contextmanager
def _engine(address: str | None) -> Iterator[DaskEngine | None]:
    """The Dask cluster at ``address`` (None without one), or a clear error and exit status 1."""
    if not address:
        yield None
        return
    from newsfold.dask_engine import dask_engine

    with ExitStack() as stack:
        try:
            engine = stack.enter_context(dask_engine(address))
        except NewsfoldError as exc:
            _fail(exc)
        yield engine


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--source", default=None, help="Outlet name for every article read (overrides the input's).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the closing summary.")
@click.option(
    "--dask",
    "dask_address",
    default=None,
    envvar="NEWSFOLD_DASK",
    metavar="ADDRESS",
    help="Extract and clean on the workers of the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786; "
    "$NEWSFOLD_DASK; local: a cluster of this machine's CPUs); copies, stories and the store stay here.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes that extract and clean here (default: one per CPU; 1: none).",
)
def ingest(
    inputs: tuple[str, ...],
    db: str | None,
    source: str | None,
    quiet: bool,
    dask_address: str | None,
    workers: int | None,
) -> None:
    """Ingest files, folders, feed URLs or stdin (-): text, JSONL, HTML, RSS/Atom, WARC.

    Exit status is 0 when every record was read, 1 when some could not be (they are listed; the rest
    were stored). When none of the inputs exists, nothing is read and no store is created; nor when the
    Dask scheduler given cannot be used.
    """
    from newsfold.pipeline import Outcome
    from newsfold.pipeline import ingest as run_ingest
    from newsfold.readers import input_size, is_url

    if dask_address and workers is not None:
        _fail(
            NewsfoldError(
                "--workers and --dask (or $NEWSFOLD_DASK) exclude each other: the cluster's workers do that work"
            )
        )
    missing = [item for item in inputs if item != "-" and not is_url(item) and not Path(item).exists()]
    if len(missing) == len(inputs):
        # Only mistyped paths: naming them is the whole answer, and an empty store there would hide the typo.
        for item in missing:
            err.print(f"[yellow]skipped[/] {escape(item)}: no such file or folder")
        _fail(NewsfoldError("nothing ingested and no store created: none of the inputs exists"))
    with _stdin_as_file(inputs) as (paths, names), _engine(dask_address) as engine:
        store = _open(db)
        show_bar = err.is_terminal and not quiet
        progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[articles]} articles"),
            TimeElapsedColumn(),
            console=err,
            disable=not show_bar,
            transient=True,
        )
        with store, progress:
            task = progress.add_task("ingest", total=input_size(paths) or None, articles=0)
            count = 0

            def on_outcome(outcome: Outcome) -> None:
                nonlocal count
                count += 1
                progress.update(task, articles=count)
                # An article with nothing left to keep is named; one already stored is a re-run's normal case.
                if outcome.status == "skipped" and outcome.reason != "already stored" and not quiet:
                    err.print(
                        f"[yellow]skipped[/] {escape(outcome.origin or outcome.article_id)}: {outcome.reason}"
                    )

            def on_error(error: NewsfoldError) -> None:
                if not quiet:
                    err.print(f"[yellow]skipped[/] {escape(str(error))}")

            try:
                report = run_ingest(
                    store,
                    paths,
                    source=source,
                    names=names,
                    on_bytes=lambda n: progress.advance(task, n),
                    on_outcome=on_outcome,
                    on_error=on_error,
                    engine=engine,
                    workers=workers,
                )
            except KeyboardInterrupt:
                progress.stop()
                err.print(
                    "[yellow]interrupted[/]: every article stored so far is kept; run the same command to continue"
                )
                # At once: each article was committed with its story, and a normal exit would wait on the
                # cleaning pool's threads, which a worker stopped mid-message can keep waiting for ever.
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(130)
            stories = store.count_stories()
    reasons = ", ".join(f"{why}: {n}" for why, n in report.skip_reasons.most_common())
    err.print(
        f"[bold green]ingested[/] {_plural(report.ingested, 'article')} "
        f"({_plural(report.duplicates, 'duplicate')}, {_plural(report.new_stories, 'new story', 'new stories')}; "
        f"{_plural(stories, 'story', 'stories')} in store), "
        f"[bold]skipped[/] {report.skipped}" + (f" ({reasons})" if reasons else "")
    )
    if report.errors:
        sys.exit(1)


# --- clean -------------------------------------------------------------------------------------------------
@main.command(name="clean")
@click.argument("file", default="-")
@click.option("--explain", is_flag=True, help="Also print each removed line, with its reason, to stderr.")
def clean_command(file: str, explain: bool) -> None:
    """Clean FILE (or stdin, -): print the kept lines unchanged and in order.

    FILE and stdin are read as ingest reads a file (text, HTML, JSONL, feeds, WARC, the format sniffed from
    the content; each article cleaned in turn), and what ingest would refuse (binary, not UTF-8) is an error.
    When more than one article is cleaned, each starts with a line "==> ID (ORIGIN) <==", as head(1) names
    the files it prints."""
    from newsfold.readers import read_inputs

    failed = False
    held: Article | None = None  # the first article waits until we know whether another follows
    printer = _CleanPrinter(explain)
    with _stdin_as_file([file]) as (paths, names):
        for result in read_inputs(paths, names=names):
            if isinstance(result, InputError):
                err.print(f"[yellow]skipped[/] {escape(str(result))}")
                failed = True
            elif held is None and not printer.count:
                held = result
            else:
                if held is not None:
                    printer.show(held, header=True)
                    held = None
                printer.show(result, header=True)
    if held is not None:
        printer.show(held, header=False)
    if failed:
        sys.exit(1)


class _CleanPrinter:
    """Prints cleaned articles for ``newsfold clean``: kept lines on stdout, removed ones on stderr."""

    def __init__(self, explain: bool) -> None:
        self.explain = explain
        self.count = 0
        self.gap_needed = False  # stdout's last line is not blank: the next article starts after one

    def show(self, article: Article, *, header: bool) -> None:
        from newsfold.clean import clean_text

        cleaned = clean_text(article.text)
        if self.gap_needed:
            click.echo("")
        self.count += 1
        self.gap_needed = False
        if header:
            click.echo(
                f"==> {article.id} ({article.origin}) <==" if article.origin else f"==> {article.id} <=="
            )
            self.gap_needed = True
        for line, reason in zip(cleaned.lines, cleaned.reasons, strict=True):
            if reason is None:
                click.echo(line)
                self.gap_needed = cleaned.separator != "\n\n"
                if not self.gap_needed:
                    click.echo("")
            elif self.explain:
                # A hard-wrapped paragraph is one block to the cleaner; each of its lines is marked as removed.
                for part in line.split("\n"):
                    err.print(f"[red]- \\[{reason}][/] [dim]{escape(part)}[/]")
        if self.explain:
            # Lines as printed: a hard-wrapped paragraph counts its lines.
            sizes = [line.count("\n") + 1 for line in cleaned.lines]
            removed = sum(size for size, reason in zip(sizes, cleaned.reasons, strict=True) if reason)
            whose = f" from {escape(article.id)}" if header else ""
            err.print(f"[bold]{removed} of {sum(sizes)} lines removed{whose}[/]")


@main.command(name="reasons")
def reasons_command() -> None:
    """List the reason codes the cleaner gives for removed lines."""
    from newsfold.clean import REASONS

    for code, meaning in REASONS.items():
        click.echo(f"{code:14} {meaning}")


# --- stories -----------------------------------------------------------------------------------------------
def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"  # type: ignore[attr-defined]


def _limit_option(default: int, what: str):  # type: ignore[no-untyped-def]
    """``--limit/-n`` of the listings: a positive count (0 or less is a usage error, not "all" or "none")."""
    return click.option(
        "--limit",
        "-n",
        type=click.IntRange(min=1),
        default=default,
        show_default=True,
        help=f"How many {what}.",
    )


@main.command()
@db_option
@_limit_option(50, "stories, newest first")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="JSON Lines, one story per line (as `export stories --no-compare`).",
)
def stories(db: str | None, limit: int, as_json: bool) -> None:
    """List stories, newest first: title, outlets, articles, first and last seen."""
    store = _open(db, existing=True)
    with store:
        if as_json:
            _write_jsonl((story.to_dict() for story in store.iter_stories(limit=limit)), sys.stdout)
            return
        total = store.count_stories()
        if not total:
            _none("no stories")
            return
        shown = _plural(total, "story", "stories")
        table = Table(title=shown if total <= limit else f"newest {limit} of {shown}", show_lines=False)
        table.add_column("story", style="cyan", no_wrap=True)
        table.add_column("title", ratio=3, min_width=24)
        table.add_column("outlets", ratio=1, min_width=10)
        table.add_column("articles", justify="right")
        table.add_column("first seen", no_wrap=True)
        table.add_column("last seen", no_wrap=True)
        for story in store.iter_stories(limit=limit):
            table.add_row(
                story.id,
                escape(story.title),
                escape(", ".join(story.sources) or "-"),
                str(len(story.article_ids)),
                _when(story.first_seen),
                _when(story.last_seen),
            )
    out.print(table)


def _outlets(sources: list[str], articles: int) -> str:
    """The outlets of a story for a sentence: their names, else that they are unknown."""
    return ", ".join(sources) or ("an unknown outlet" if articles == 1 else "unknown outlets")


def _outlet_label(article_id: str, members: dict) -> str:
    article = members.get(article_id)
    return f"{article.source or 'unknown'} ({article_id})" if article else article_id


def _print_comparison(comparison, members: dict) -> None:  # type: ignore[no-untyped-def]
    from rich.columns import Columns

    if comparison.summary:
        out.print("\n[bold underline]Summary[/]")
        for sentence in comparison.summary:
            out.print(f"  {escape(sentence)}")
    out.print("\n[bold underline]Timeline[/]")
    for row in comparison.timeline:
        copy = f" [magenta](copy of {escape(row['duplicate_of'])})[/]" if row["duplicate_of"] else ""
        out.print(
            f"  {row['published'] or 'date unknown':25} {escape(_outlet_label(row['article_id'], members))}{copy}"
        )
    if comparison.shared:
        out.print(f"\n[bold underline]Reported by several outlets[/] ({len(comparison.shared)})")
        for fact in comparison.shared:
            out.print(f"  [green]{len(fact.article_ids)}x[/] {escape(fact.text)}")
    if comparison.related:
        out.print(f"\n[bold underline]Reported differently[/] ({len(comparison.related)})")
        for fact in comparison.related:
            for aid, wording in fact.variants.items():
                out.print(f"  [cyan]{escape(_outlet_label(aid, members))}[/]: {escape(wording)}")
            out.print("")
    if comparison.unique:
        out.print("\n[bold underline]What each outlet adds[/]")
        panels = [
            Panel(
                "\n".join(f"• {escape(s)}" for s in sentences) or "[dim]nothing of its own[/]",
                title=escape(_outlet_label(aid, members)),
                width=max(40, out.width // max(1, len(comparison.unique)) - 1),
            )
            for aid, sentences in comparison.unique.items()
        ]
        out.print(Columns(panels, equal=True, expand=True))
    if comparison.quotes:
        out.print(f"\n[bold underline]Quotes[/] ({len(comparison.quotes)})")
        for quote in comparison.quotes:
            text = quote.text if len(quote.text) <= 220 else quote.text[:217] + "..."
            speaker = escape(quote.speaker) if quote.speaker else "[dim]speaker unclear[/]"
            outlets = ", ".join(
                escape(members[a].source or a) if a in members else a for a in quote.article_ids
            )
            out.print(f"  [bold]{speaker}[/]: “{escape(text)}” [dim]({outlets})[/]")
    if comparison.figures:
        out.print("\n[bold underline]Figures[/]")
        for figure in comparison.figures:
            variants = " / ".join(sorted({escape(v.text) for v in figure.variants}))
            if figure.conflict:
                out.print(f"  [bold red]DISAGREE[/] {figure.counts}: {variants}")
            else:
                out.print(f"  [green]agree[/] {figure.counts}: {variants}")
    if comparison.entities:
        out.print("\n[bold underline]Who and where[/]")
        by_type: dict[str, list[str]] = {}
        for entity in comparison.entities[:40]:
            by_type.setdefault(entity.type, []).append(f"{entity.name} ({len(entity.article_ids)})")
        for kind, names in by_type.items():
            out.print(f"  [bold]{kind}[/]: {escape(', '.join(names))}")


@main.command()
@click.argument("story_id")
@db_option
@click.option("--removed/--no-removed", default=True, help="Show the lines removed from each article.")
@click.option("--compare/--no-compare", default=True, help="Show the cross-source comparison.")
def story(story_id: str, db: str | None, removed: bool, compare: bool) -> None:
    """Show one story: what its outlets share, add, quote and disagree on; what was removed and why."""
    store = _open(db, existing=True)
    with store:
        found = store.get_story(story_id)
        if found is None:
            _fail(NewsfoldError(f"no story {story_id!r} in {shown_url(store.url)}"))
        members = [a for a in (store.get_article(a) for a in found.article_ids) if a is not None]
    out.print(
        Panel(
            f"[bold]{escape(found.title)}[/]\n"
            f"{_plural(len(members), 'article')} from {escape(_outlets(found.sources, len(members)))}\n"
            f"first seen {_when(found.first_seen)}, last seen {_when(found.last_seen)}",
            title=f"story {found.id}",
            expand=False,
        )
    )
    if compare:
        from newsfold.compare import compare_story

        _print_comparison(compare_story(found, members), {a.id: a for a in members})
    out.print("\n[bold underline]Articles[/]")
    for article in members:
        copy = f" [magenta]copy of {escape(article.duplicate_of)}[/]" if article.duplicate_of else ""
        out.print(
            f"\n[bold cyan]{escape(article.id)}[/] [green]{escape(article.source or 'unknown outlet')}[/] "
            f"{_when(article.published)}{copy}"
        )
        if article.title:
            out.print(f"  [bold]{escape(article.title)}[/]")
        words = len(article.clean_text.split())
        out.print(f"  {words} words kept, {len(article.removed)} lines removed")
        if removed:
            for line in article.removed:
                short = line.text if len(line.text) <= 100 else line.text[:97] + "..."
                out.print(f"    [red]- \\[{line.reason}][/] [dim]{escape(short)}[/]")


# --- export ------------------------------------------------------------------------------------------------
def _write_jsonl(rows: Iterable[dict], output: TextIO) -> int:
    n = 0
    for row in rows:
        output.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


@main.group()
def export() -> None:
    """Export articles or stories as JSONL (the public contract in README)."""


@export.command(name="articles")
@db_option
@output_option
def export_articles(db: str | None, output: TextIO) -> None:
    """One JSON object per article, in ingest order."""
    store = _open(db, existing=True)
    with store:
        _write_jsonl((a.to_dict() for a in store.iter_articles()), output)


@export.command(name="stories")
@db_option
@output_option
@click.option("--compare/--no-compare", default=True, help="Include the cross-source comparison (slower).")
def export_stories(db: str | None, output: TextIO, compare: bool) -> None:
    """One JSON object per story, newest first, with its cross-source comparison."""
    store = _open(db, existing=True)
    from newsfold.compare import compare_story

    with store:

        def rows() -> Iterable[dict]:
            for story in store.iter_stories():
                members = [a for a in (store.get_article(i) for i in story.article_ids) if a is not None]
                row = story.to_dict()
                if compare:
                    row.update(compare_story(story, members).to_dict())
                yield row

        _write_jsonl(rows(), output)


# --- serve -------------------------------------------------------------------------------------------------
@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on."
)
@click.option(
    "--watch",
    "watch_config",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[CONFIG]",
    help="Also watch the feeds (of a config file, else those stored) in the same process.",
)
def serve(db: str | None, host: str, port: int, watch_config: str | None) -> None:
    """Serve the web UI at / and the REST API under /api (write token: $NEWSFOLD_TOKEN)."""
    import threading

    from newsfold.web import serve as run_server

    stop = threading.Event()
    watcher = thread = None
    try:
        if watch_config is not None:
            from newsfold.alert import load_config
            from newsfold.watch import configured_watcher

            cfg = load_config(watch_config or None)
            watcher = configured_watcher(open_store(db), cfg)
            thread = watcher.start(stop)
            rule = cfg.breaking
        else:
            rule = None
        run_server(db, host=host, port=port, breaking=rule)
    except NewsfoldError as exc:
        _fail(exc)
    finally:
        stop.set()
        if thread is not None:
            thread.join(timeout=30)
        if watcher is not None:
            watcher.close()


# --- live news and alerts ----------------------------------------------------------------------------------
def _feed_line(feed) -> str:  # type: ignore[no-untyped-def]
    if feed.status == "error":
        return f"  {feed.status:<12} {feed.url}: {feed.error}"
    if feed.status == "fetched":
        problems = f", {_plural(len(feed.errors), 'problem')}" if feed.errors else ""
        return (
            f"  {feed.status:<12} {feed.url}: {feed.entries} entries, {feed.ingested} new "
            f"({feed.duplicates} copies), {feed.pages} article pages fetched{problems}"
        )
    return f"  {feed.status:<12} {feed.url}"


@main.command()
@click.argument("feeds", nargs=-1)
@db_option
@click.option(
    "--config",
    "config",
    type=click.Path(exists=True, dir_okay=False),
    help="TOML file: [[feeds]], [watch], [breaking], [smtp], [delivery].",
)
@click.option(
    "--interval",
    type=float,
    default=None,
    help="Seconds between two polls of one feed, 10 to 604800 (default from config: 300).",
)
@click.option("--once", is_flag=True, help="Poll once, run the alert pass, and exit.")
@click.option("--force", is_flag=True, help="Poll every feed now, due or not (then when due).")
def watch(
    feeds: tuple[str, ...],
    db: str | None,
    config: str | None,
    interval: float | None,
    once: bool,
    force: bool,
) -> None:
    """Watch RSS/Atom feeds: poll with conditional requests, ingest, detect breaking stories, send alerts.

    Without FEEDS it watches the feeds of --config and those stored by earlier runs; with none at all it runs
    the alert pass alone, for articles stored by `newsfold ingest` or the API. A restart resumes from the
    stored feed state and never sends an alert twice. With --once the exit status is 1 when a feed could not
    be polled, or an entry or article page failed (each is listed; the rest is stored).
    """
    from newsfold.alert import breaking_stories, load_config
    from newsfold.watch import check_interval, watch_feeds

    if interval is not None:
        try:
            check_interval(interval)
        except NewsfoldError as exc:
            raise click.BadParameter(str(exc), param_hint="'--interval'") from None

    def show(report) -> None:  # type: ignore[no-untyped-def]
        if not report.feeds:
            out.print(
                escape("  no feeds     alert pass only (give FEED_URLs or a --config with [[feeds]] to poll)")
            )
        for feed in report.feeds:
            out.print(escape(_feed_line(feed)))
            # Named as `newsfold ingest` names a record it skips: the rest of the feed went in.
            for problem in feed.errors:
                err.print(f"[yellow]failed[/] {escape(problem)}")
            for dropped in feed.dropped:
                err.print(f"[yellow]skipped[/] {escape(dropped)}")
        alerts = report.alerts
        given_up = f", {alerts.delivery.failed} given up" if alerts.delivery.failed else ""
        waiting = f", {alerts.delivery.waiting} waiting for SMTP" if alerts.delivery.waiting else ""
        out.print(
            f"  alerts       {len(alerts.created)} recorded, {alerts.delivery.sent} sent, "
            f"{alerts.delivery.retrying} to retry{given_up}{waiting}"
        )

    try:
        report = watch_feeds(
            db, feeds, interval, once, config=config, force=force, on_cycle=None if once else show
        )
        if report is not None:
            show(report)
            rule = load_config(config).breaking  # the [breaking] section the alerts were decided by
            with open_store(db) as store:
                for story in breaking_stories(store, settings=rule):
                    outlets = ", ".join(o.outlet for o in story.outlets)
                    out.print(
                        f"  breaking     {story.story_id} score {story.score:.2f}: {escape(story.title)} ({escape(outlets)})"
                    )
            # A scheduled --once run tells its scheduler that a feed, or part of one, could not be taken in.
            failures = []
            if report.failed_feeds:
                failures.append(f"{_plural(len(report.failed_feeds), 'feed')} could not be polled")
            if report.errors:
                many = "entries or article pages"
                failures.append(f"{_plural(len(report.errors), 'entry or article page', many)} failed")
            if report.alerts.delivery.failed:  # given up after their last attempt: see newsfold alerts
                failures.append(f"{_plural(report.alerts.delivery.failed, 'alert')} given up")
            if failures:
                err.print(f"[yellow]{'; '.join(failures)}[/]")
                sys.exit(1)
    except NewsfoldError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        err.print("[yellow]stopped[/]: feed state is stored; run the same command to resume")


@main.command()
@click.argument("kind", type=click.Choice(["keywords", "entities", "outlets", "story"]))
@click.argument("query")
@db_option
@click.option(
    "--email", default=None, help="Send alerts to this address (SMTP settings from NEWSFOLD_SMTP_*)."
)
@click.option("--webhook", default=None, help="POST alerts as signed JSON to this URL.")
@click.option("--secret", default=None, help="HMAC-SHA256 secret for the webhook (generated when omitted).")
@click.option("--digest", type=click.Choice(["none", "hourly", "daily"]), default="none", show_default=True)
@click.option("--any-story", is_flag=True, help="Alert on any matching story, not only breaking ones.")
def subscribe(
    kind: str,
    query: str,
    db: str | None,
    email: str | None,
    webhook: str | None,
    secret: str | None,
    digest: str,
    any_story: bool,
) -> None:
    """Subscribe to stories by keywords, entities, outlets, or follow one story (QUERY = its id)."""
    from newsfold.alert import add_subscription

    if bool(email) == bool(webhook):
        _fail(NewsfoldError("give exactly one of --email ADDRESS or --webhook URL"))
    channel, target = ("email", email) if email else ("webhook", webhook)
    try:
        with open_store(db) as store:
            sub = add_subscription(
                store, kind, query, channel, target, secret=secret, digest=digest, breaking_only=not any_story
            )
    except NewsfoldError as exc:
        _fail(exc)
    out.print(
        f"subscription {sub.id}: {sub.kind} {escape(repr(sub.query))} -> {sub.channel} {escape(sub.target)}"
    )
    if sub.channel == "webhook" and not secret:
        out.print(f"webhook secret (shown once): {sub.secret}")


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True)
def subscriptions(db: str | None, as_json: bool) -> None:
    """List subscriptions."""
    from newsfold.alert import list_subscriptions

    with _open(db, existing=True) as store:
        subs = list_subscriptions(store)
    if as_json:
        _write_jsonl((sub.to_dict() for sub in subs), sys.stdout)
        return
    if not subs:
        _none("no subscriptions")
    for sub in subs:
        mode = (
            "follows the story"
            if sub.kind == "story"
            else "breaking only"
            if sub.breaking_only
            else "any story"
        )
        out.print(
            f"{sub.id}  {sub.kind:<9} {escape(repr(sub.query))} -> {sub.channel} {escape(sub.target)} "
            f"({mode}, digest {sub.digest})"
        )


@main.command()
@click.argument("subscription_id")
@db_option
def unsubscribe(subscription_id: str, db: str | None) -> None:
    """Remove a subscription."""
    from newsfold.alert import remove_subscription

    with _open(db, existing=True) as store:
        if not remove_subscription(store, subscription_id):
            _fail(NewsfoldError(f"no subscription {subscription_id!r}"))
    out.print(f"removed {subscription_id}")


@main.command()
@db_option
@_limit_option(20, "breaking stories, highest score first")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--config",
    "config",
    type=click.Path(exists=True, dir_okay=False),
    help="TOML file whose [breaking] section sets the rule (as for watch).",
)
def breaking(db: str | None, limit: int, as_json: bool, config: str | None) -> None:
    """Breaking stories now, highest score first (the rule: docs/alerts.md)."""
    from newsfold.alert import breaking_stories, load_config

    try:
        rule = load_config(config).breaking
    except NewsfoldError as exc:
        _fail(exc)
    with _open(db, existing=True) as store:
        found = breaking_stories(store, limit=limit, settings=rule)
    if as_json:
        _write_jsonl((b.to_dict() for b in found), sys.stdout)
        return
    if not found:
        _none("no breaking stories now")
    for story in found:
        outlets = ", ".join(o.outlet for o in story.outlets)
        out.print(f"{story.score:6.2f}  {story.story_id}  {escape(story.title)}  [dim]({escape(outlets)})[/]")


@main.command()
@db_option
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]), default=None)
@click.option("--retry", "retry_id", type=int, default=None, help="Queue a failed alert for delivery again.")
@_limit_option(100, "alerts, newest first")
def alerts(db: str | None, status: str | None, retry_id: int | None, limit: int) -> None:
    """The alert outbox: what was recorded, sent, or is waiting to be retried."""
    from newsfold.alert import list_alerts, retry_alert

    with _open(db, existing=True) as store:
        if retry_id is not None:
            if not retry_alert(store, retry_id):
                _fail(NewsfoldError(f"no failed alert #{retry_id}"))
            out.print(f"alert #{retry_id} queued again")
            return
        listed = list_alerts(store, status=status, limit=limit + 1)  # one more: are there others?
        if not listed:
            _none(f"no {status} alerts" if status else "no alerts")
        if len(listed) > limit:
            listed = listed[:limit]
            err.print(f"the newest {limit} shown; there are more (-n to show more)")
        for alert in listed:
            # Why the last attempt failed, for a failed alert or one waiting for its retry.
            error = (
                f" [red]{escape(alert.last_error)}[/]" if alert.last_error and alert.status != "sent" else ""
            )
            # When a pending alert goes (a digest's at the end of its period, a retry after its backoff).
            due = (
                f" due {alert.next_attempt_at:%Y-%m-%d %H:%M} UTC"
                if alert.status == "pending" and alert.next_attempt_at
                else ""
            )
            out.print(
                f"  #{alert.id} {alert.status:<7} {alert.type:<8} {alert.subscription_id} {alert.story_id} "
                f"attempts={alert.attempts}{due} key={alert.idempotency_key[:12]}…{error}"
            )


@main.command()
@db_option
@click.option("--remove", "remove_url", default=None, help="Stop watching this feed.")
def feeds(db: str | None, remove_url: str | None) -> None:
    """The watched feeds and their state."""
    from newsfold.watch import list_feeds, remove_feed

    with _open(db, existing=True) as store:
        if remove_url:
            if not remove_feed(store, remove_url):
                _fail(NewsfoldError(f"no feed {remove_url!r}"))
            out.print(f"removed {escape(remove_url)}")
            return
        watched = list_feeds(store)
        if not watched:
            _none("no feeds watched (add them with newsfold watch)")
        for feed in watched:
            error = f" [red]{escape(feed.last_error)}[/]" if feed.last_error else ""
            out.print(
                f"{escape(feed.url)}  {feed.last_status or 'never polled'}, failures {feed.failures}, "
                f"next poll {_when(feed.next_poll_at)}{error}"
            )


# --- evaluation --------------------------------------------------------------------------------------------
def _figures_table(title: str, figures: dict) -> Table:
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        if isinstance(value, (dict, list)):
            continue
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    return table


def _eval_progress() -> Progress:
    return Progress(
        TextColumn("[bold]eval"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )


def _run_eval(title: str, run, as_json: bool) -> dict:  # type: ignore[no-untyped-def]
    """Run ``run(progress, on_error)`` and print its figures. Records that cannot be read are named on
    stderr and left out; the figures then say how many (``skipped``) and the exit status is 1."""
    progress = _eval_progress()
    skipped: list[NewsfoldError] = []

    def on_error(error: NewsfoldError) -> None:
        skipped.append(error)
        err.print(f"[yellow]skipped[/] {escape(str(error))}")

    try:
        with progress:
            task = progress.add_task("eval", total=None)
            figures = run(lambda done, total: progress.update(task, completed=done, total=total), on_error)
    except NewsfoldError as exc:
        _fail(exc)
    if skipped:
        figures["skipped"] = len(skipped)
    if as_json:
        click.echo(json.dumps(figures, indent=2))
    else:
        _print_figures(title, figures)
    if skipped:
        sys.exit(1)
    return figures


def _print_figures(title: str, figures: dict) -> None:
    out.print(_figures_table(title, figures))
    # Per-kind tallies (junk kinds removed, copy kinds found): "done/total" under each kind.
    for kind, (done, total) in ((k, tuple(v.values())) for k, v in figures.get("by_kind", {}).items()):
        out.print(f"  {kind:18} {done}/{total}")
    if "alone" in figures:  # eval junk --sites: the baseline from the same run
        out.print(_figures_table("the same pages cleaned one by one", figures["alone"]))


@main.group(name="eval")
def eval_group() -> None:
    """Quality figures on labelled data."""


_json_option = click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
_paths = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


@eval_group.command(name="clustering")
@_paths
@_json_option
def eval_clustering_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Stream labelled JSONL (gold_story) into a fresh store: BCubed P/R/F1, ARI, articles/s."""
    from newsfold.evaluate import eval_clustering

    _run_eval(
        "story clustering",
        lambda progress, on_error: eval_clustering(list(files), progress, on_error),
        as_json,
    )


@eval_group.command(name="cleaning")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--html",
    "from_html",
    is_flag=True,
    help="Also read each page's html as ingest does (reader, then cleaner).",
)
@_json_option
def eval_cleaning_command(file: Path, from_html: bool, as_json: bool) -> None:
    """Character P/R/F1 of the cleaner on L3S-GN1-style labelled pages (page_text)."""
    from newsfold.evaluate import eval_cleaning

    _run_eval(
        "cleaning",
        lambda progress, on_error: eval_cleaning(file, progress, on_error, html=from_html),
        as_json,
    )


@eval_group.command(name="junk")
@_paths
@click.option("--seed", default=0, show_default=True, help="Seed of the junk generator.")
@click.option(
    "--sites",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Make the articles pages of this many sites, each with its own fixed junk, and clean them as a "
    "stream with the memory of lines that recur across stories (0: junk of its own for every article).",
)
@_json_option
def eval_junk_command(files: tuple[Path, ...], seed: int, sites: int, as_json: bool) -> None:
    """Wrap the articles in FILES in generated junk; score how much junk the cleaner removes and content it keeps."""
    from newsfold.evaluate import eval_junk

    _run_eval(
        "cleaning junk-wrapped articles",
        lambda progress, on_error: eval_junk(list(files), seed, progress, sites=sites, on_error=on_error),
        as_json,
    )


@eval_group.command(name="duplicates")
@_paths
@click.option("--seed", default=0, show_default=True, help="Seed of the copy generator.")
@_json_option
def eval_duplicates_command(files: tuple[Path, ...], seed: int, as_json: bool) -> None:
    """Make labelled copies (exact, near, syndicated, junk-wrapped) of the articles in FILES; score copy detection."""
    from newsfold.evaluate import eval_duplicates

    _run_eval(
        "copy detection",
        lambda progress, on_error: eval_duplicates(list(files), seed, progress, on_error),
        as_json,
    )


# --- training ----------------------------------------------------------------------------------------------
@main.command(name="train-cleaner")
@click.argument("pages", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
def train_cleaner(pages: Path, output: Path) -> None:
    """Train the cleaner's line model on labelled pages (L3S-GN1 JSONL) and write its weights."""
    from newsfold.clean.train import cross_validate, read_l3s, train_line_model

    try:
        # A model is trained on every line of the file or not at all: a broken line is an error to fix.
        p, r, f1 = cross_validate(list(read_l3s(pages)))
        err.print(f"5-fold cross-validated character P={p:.3f} R={r:.3f} F1={f1:.3f} (model alone)")
        model = train_line_model(pages)
    except NewsfoldError as exc:
        _fail(exc)
    output.write_text(json.dumps(model.to_json(), separators=(",", ":")), encoding="utf-8")
    err.print(f"wrote {output}")


if __name__ == "__main__":  # pragma: no cover
    main()
