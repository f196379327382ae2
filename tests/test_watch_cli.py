"""``newsfold watch`` and ``newsfold serve`` from the command line: watching no feed runs the alert pass, problems
with single entries and article pages are named and set the exit status, and bad intervals and ports are usage
errors. Feeds, pages and webhooks are served on 127.0.0.1 (tests/alert/servers.py)."""

from __future__ import annotations

import threading

import pytest
from alert import servers
from alert.servers import DEMO, DEMO_FEEDS, FeedServer, down_url
from click.testing import CliRunner

from newsfold.alert import add_subscription, list_alerts
from newsfold.cli import main
from newsfold.store import open_store
from newsfold.watch import MAX_INTERVAL, MIN_INTERVAL, list_feeds, watch_feeds

pytestmark = pytest.mark.usefixtures("no_db_env")
feed_server = servers.feed_server
webhook = servers.webhook

LONG_TEXT = (
    "<p>The council of Riverside voted on Tuesday evening to approve a new road bridge across the river, "
    "ending three years of debate over how to ease traffic in the town centre.</p>"
    "<p>Councillors backed the plan by 31 votes to 12 after a four-hour meeting at the town hall, where dozens "
    "of residents queued to speak for and against the scheme.</p>"
    "<p>Construction is expected to begin next spring and take about two years, the council leader said.</p>"
)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def flat(text: str) -> str:
    return " ".join(text.split())


def item(guid: str, *, link: str | None = None, description: str | None = None) -> str:
    parts = [f"<item><title>Entry {guid}</title><guid isPermaLink='false'>{guid}</guid>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if description is not None:
        parts.append(f"<description><![CDATA[{description}]]></description>")
    return "".join(parts) + "</item>"


def serve_feed(server: FeedServer, name: str, *items: str) -> str:
    body = '<?xml version="1.0"?><rss version="2.0"><channel><title>Riverside Post</title>'
    (server.root / name).write_text(body + "".join(items) + "</channel></rss>", encoding="utf-8")
    return server.url(name)


def ingest_demo_feeds(db_path) -> None:
    """What a cron job's ``newsfold ingest`` stores: the demo outlets' entries, no watcher involved."""
    result = run(
        "ingest", "--quiet", "--db", str(db_path), *(str(DEMO / "feeds" / name) for name in DEMO_FEEDS)
    )
    assert result.exit_code == 0, result.output


# --- 1. no feeds: the alert pass alone ---------------------------------------------------------------------
def test_watch_once_without_feeds_alerts_on_what_ingest_stored(db_path, webhook):
    ingest_demo_feeds(db_path)
    with open_store(db_path) as store:
        add_subscription(
            store,
            "outlets",
            "Lowmere Gazette",
            "webhook",
            webhook.url,
            secret=webhook.secret,
            breaking_only=False,
        )

    result = run("watch", "--once", "--db", str(db_path))

    assert result.exit_code == 0, result.output
    assert (
        "no feeds     alert pass only (give FEED_URLs or a --config with [[feeds]] to poll)" in result.stdout
    )
    with open_store(db_path) as store:
        sent = list_alerts(store)
    assert sent and {a.status for a in sent} == {"sent"}
    assert f"{len(sent)} recorded, {len(sent)} sent" in result.stdout
    assert len(webhook.received) == len(sent) and all(hook.valid for hook in webhook.received)
    assert all("Lowmere Gazette" in hook.json["story"]["outlets"] for hook in webhook.received)

    # The next run finds nothing new, and sends nothing again.
    again = run("watch", "--once", "--db", str(db_path))
    assert again.exit_code == 0 and "0 recorded, 0 sent" in again.stdout
    assert len(webhook.received) == len(sent)


def test_a_continuous_watch_without_feeds_runs_the_alert_pass_each_cycle(db_path, webhook):
    ingest_demo_feeds(db_path)
    with open_store(db_path) as store:
        add_subscription(
            store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret, breaking_only=False
        )
    stop = threading.Event()
    reports = []

    def on_cycle(report):
        reports.append(report)
        stop.set()

    assert watch_feeds(str(db_path), stop_event=stop, on_cycle=on_cycle) is None
    [report] = reports
    assert (
        report.feeds == [] and report.alerts.created and report.alerts.delivery.sent == len(webhook.received)
    )


# --- 3. problems with entries and pages --------------------------------------------------------------------
def test_watch_once_names_bad_entries_and_failed_pages_and_exits_1(db_path, feed_server):
    url = serve_feed(
        feed_server,
        "post.xml",
        item("good", description=LONG_TEXT),
        item("no-text"),  # an entry without any text: not stored
        item("brief", link=feed_server.url("pages/gone.html"), description="<p>A short summary of it.</p>"),
    )

    result = run("watch", "--once", "--db", str(db_path), url)

    assert result.exit_code == 1, result.output
    assert f"{url}: 2 entries, 2 new (0 copies), 0 article pages fetched, 2 problems" in result.stdout
    errors = flat(result.stderr)
    assert f"failed {url} entry 2: entry has no text" in errors
    assert (
        f"failed article page {feed_server.url('pages/gone.html')}: HTTP 404; kept the feed's text" in errors
    )
    assert "2 entries or article pages failed" in errors
    assert "could not be polled" not in errors  # the feed itself was fine
    with open_store(db_path) as store:
        assert store.count_articles() == 2


def test_an_entry_cleaning_leaves_empty_is_named_without_failing_the_run(db_path, feed_server):
    boilerplate = "<p>Share this article</p><p>Subscribe to our newsletter</p><p>All rights reserved.</p>"
    url = serve_feed(
        feed_server,
        "post.xml",
        item("good", description=LONG_TEXT),
        item("furniture", description=boilerplate),
    )

    result = run("watch", "--once", "--db", str(db_path), url)

    assert result.exit_code == 0, result.output
    assert "no text left after cleaning" in result.stderr and "skipped" in result.stderr
    assert f"{url}: 2 entries, 1 new" in result.stdout


def test_a_feed_that_cannot_be_polled_and_a_bad_entry_are_both_told(db_path, feed_server):
    url = serve_feed(feed_server, "post.xml", item("good", description=LONG_TEXT), item("no-text"))

    result = run("watch", "--once", "--db", str(db_path), url, down_url())

    assert result.exit_code == 1
    assert "1 feed could not be polled; 1 entry or article page failed" in flat(result.stderr)


# --- 4. intervals and ports --------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["0", "0.3", "9.9", "-5", "nan", "inf", "1e12"])
def test_watch_refuses_an_interval_outside_its_range_as_a_usage_error(db_path, value):
    result = run(
        "watch", "--once", "--db", str(db_path), f"--interval={value}", "http://127.0.0.1:1/feed.xml"
    )
    assert result.exit_code == 2, result.output
    message = flat(result.stderr)
    assert "--interval" in message and f"{MIN_INTERVAL:g} to {MAX_INTERVAL:g} seconds" in message
    assert not db_path.exists()  # refused before anything was opened or polled


def test_watch_refuses_a_config_interval_below_the_minimum(db_path, tmp_path):
    config = tmp_path / "watch.toml"
    config.write_text("[watch]\ninterval = 0\n", encoding="utf-8")
    result = run("watch", "--once", "--db", str(db_path), "--config", str(config))
    assert result.exit_code == 1
    assert f"must be {MIN_INTERVAL:g} to {MAX_INTERVAL:g} seconds, not 0" in flat(result.stderr)
    assert not db_path.exists()


def test_watch_help_gives_the_interval_range():
    assert f"{MIN_INTERVAL:g} to {MAX_INTERVAL:g}" in flat(run("watch", "--help").stdout)


def test_watch_takes_the_minimum_interval(db_path, feed_server):
    url = serve_feed(feed_server, "post.xml", item("good", description=LONG_TEXT))
    result = run("watch", "--once", "--db", str(db_path), f"--interval={MIN_INTERVAL:g}", url)
    assert result.exit_code == 0, result.output
    with open_store(db_path) as store:
        [feed] = list_feeds(store)
    assert (feed.next_poll_at - feed.last_polled_at).total_seconds() == MIN_INTERVAL


@pytest.fixture
def served(monkeypatch):
    """Replaces the web server: records the call instead of listening."""
    calls = []
    monkeypatch.setattr("newsfold.web.serve", lambda db, **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.parametrize("port", ["0", "65536", "99999", "-1"])
def test_serve_refuses_a_port_outside_1_to_65535(db_path, served, port):
    result = run("serve", "--db", str(db_path), f"--port={port}")
    assert result.exit_code == 2 and "--port" in result.stderr and "1<=x<=65535" in result.stderr
    assert served == []


def test_serve_takes_a_valid_port(db_path, served):
    assert run("serve", "--db", str(db_path), "--port", "65535").exit_code == 0
    assert served == [{"host": "127.0.0.1", "port": 65535, "breaking": None}]


def test_serve_with_a_watch_config_lists_breaking_stories_by_its_rule(db_path, tmp_path, served, monkeypatch):
    monkeypatch.setattr("newsfold.watch.Watcher.start", lambda self, stop: None)
    config = tmp_path / "watch.toml"
    config.write_text("[breaking]\nmin_outlets = 2\nwindow_hours = 2\n", encoding="utf-8")
    assert run("serve", "--db", str(db_path), "--watch", str(config)).exit_code == 0
    [call] = served
    assert (call["breaking"].min_outlets, call["breaking"].window_hours) == (2, 2.0)


def test_serve_watch_refuses_a_config_interval_below_the_minimum(db_path, tmp_path, served):
    config = tmp_path / "watch.toml"
    config.write_text("[watch]\ninterval = 0.1\n", encoding="utf-8")
    result = run("serve", "--db", str(db_path), "--watch", str(config))
    assert result.exit_code == 1 and "watch interval must be" in flat(result.stderr)
    assert served == []


# --- 5. an alert given up ----------------------------------------------------------------------------------
def test_watch_says_when_an_alert_is_given_up(db_path, tmp_path, feed_server):
    url = serve_feed(feed_server, "post.xml", item("good", description=LONG_TEXT))
    with open_store(db_path) as store:
        add_subscription(
            store, "keywords", "bridge", "webhook", down_url(), secret="s" * 64, breaking_only=False
        )
    config = tmp_path / "watch.toml"
    config.write_text("[delivery]\nmax_attempts = 1\n", encoding="utf-8")

    result = run("watch", "--once", "--db", str(db_path), "--config", str(config), url)

    with open_store(db_path) as store:
        failed = list_alerts(store, status="failed")
    assert failed
    assert f"0 sent, 0 to retry, {len(failed)} given up" in result.stdout
    # A scheduler learns it: the exit status, and the reason on stderr.
    assert (
        result.exit_code == 1
        and f"{len(failed)} alert" in flat(result.stderr)
        and "given up" in flat(result.stderr)
    )
    # The outbox lists them, newest first, and says when it shows only some.
    listed = run("alerts", "--db", str(db_path), "--status", "failed")
    assert listed.exit_code == 0 and listed.stdout.count("failed") == len(failed)


def test_watch_says_when_email_alerts_wait_for_an_smtp_server(db_path, feed_server, monkeypatch):
    monkeypatch.delenv("NEWSFOLD_SMTP_HOST", raising=False)
    url = serve_feed(feed_server, "post.xml", item("good", description=LONG_TEXT))
    with open_store(db_path) as store:
        add_subscription(store, "keywords", "bridge", "email", "reader@example.org", breaking_only=False)
    result = run("watch", "--once", "--db", str(db_path), url)
    assert "0 sent, 0 to retry, 1 waiting for SMTP" in result.stdout, result.stdout
