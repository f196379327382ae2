"""The watcher end to end, with real parts: feeds served over HTTP from local files (the alerts demo's, and
broken ones), a real SMTP server and a real webhook receiver, all on 127.0.0.1."""

from __future__ import annotations

import random
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alert import servers
from alert.servers import DEMO_NOW, FeedServer, SmtpSink, WebhookReceiver, down_url

from newsfold.alert import add_subscription, list_alerts
from newsfold.alert.config import WatchSettings
from newsfold.alert.deliver import Deliverer, DeliverySettings, SmtpSettings
from newsfold.store import Store, articles, open_store
from newsfold.watch import FetchError, FetchResult, HttpFetcher, Watcher, list_feeds, remove_feed, watch_feeds

pytestmark = pytest.mark.usefixtures("no_db_env")
# The local servers, shared with tests/alert.
feed_server = servers.feed_server
site = servers.site
demo_urls = servers.demo_urls
smtp_sink = servers.smtp_sink
webhook = servers.webhook

EMAIL = "reader@example.org"
UPDATE_ITEM = """
    <item>
      <title>Harwick dam: death toll rises to three</title>
      <link>http://127.0.0.1:{port}/pages/lowmere-gazette/death-toll.html</link>
      <guid isPermaLink="false">gazette-death-toll</guid>
      <pubDate>Sun, 22 Nov 2026 09:30:00 +0000</pubDate>
      <description><![CDATA[
<p>Three people have now died after the Harwick Reservoir dam collapsed above Lowmere, Northdale Fire and Rescue Service said on Sunday morning.</p>
<p>Rescue crews searching the flooded cottages on Mill Lane found the body of a man in his seventies.</p>
<p>Mayor Helen Brooke said the whole town was in mourning, and a book of condolence has opened at the town hall.</p>
]]></description>
    </item>
"""


def watcher(store: Store, feeds, smtp: SmtpSink | None = None, *, now=DEMO_NOW, **kwargs) -> Watcher:
    smtp_settings = (
        SmtpSettings(host="127.0.0.1", port=smtp.port, sender="alerts@newsfold.example") if smtp else None
    )
    return Watcher(
        store,
        feeds,
        clock=lambda: now,
        smtp=smtp_settings or SmtpSettings(),
        delivery=DeliverySettings(backoff_seconds=30, lease_seconds=120),
        random=random.Random(11),
        **kwargs,
    )


def subscribe(store: Store, hook: WebhookReceiver) -> None:
    add_subscription(store, "keywords", "dam", "email", EMAIL)
    add_subscription(store, "entities", "Helen Brooke", "webhook", hook.url, secret=hook.secret)


def add_update(server: FeedServer) -> None:
    """The Gazette's feed gains a later report of the same story."""
    feed = server.root / "feeds" / "lowmere-gazette.xml"
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("<channel>", "<channel>" + UPDATE_ITEM.format(port=server.port), 1), "utf-8")
    # Its article page is up too (a recent entry whose page fails would wait for the next poll).
    page = server.root / "pages" / "lowmere-gazette" / "death-toll.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    paragraphs = UPDATE_ITEM.split("<![CDATA[", 1)[1].split("]]>", 1)[0]
    page.write_text(f"<html><body><article>{paragraphs}</article></body></html>", "utf-8")


# --- the happy path and a restart --------------------------------------------------------------------------
def test_watching_the_demo_feeds_alerts_once_and_a_restart_alerts_no_more(db_path, site, smtp_sink, webhook):
    with open_store(db_path) as store:
        subscribe(store, webhook)
        with watcher(store, demo_urls(site), smtp_sink) as first:
            report = first.run_once()
        by_url = {f.url.rsplit("/", 1)[1]: f for f in report.feeds}
        assert [f.status for f in report.feeds] == ["fetched"] * 4
        assert report.ingested == 8
        assert by_url["daily-courier.xml"].pages == 1  # the summary-only entry got its article page
        assert by_url["valley-radio.xml"].duplicates == 1  # the word-for-word copy of the wire report
        [dam] = report.alerts.breaking
        assert report.alerts.delivery.sent == 2
        courier = store.get_article("courier-harwick-explainer")
        assert "independent panel of engineers" in courier.text
        assert courier.story_id == dam and courier.metadata["page_fetched"] is True
        assert courier.title == "Lowmere flood: what we know about the Harwick dam failure"
        states = {f.url: f for f in list_feeds(store)}
        assert all(s.etag and s.failures == 0 and s.last_status == "fetched" for s in states.values())

    [mail] = smtp_sink.messages
    assert mail.recipients == [EMAIL]
    assert mail.message["Subject"].startswith("Breaking: ")
    [hook] = webhook.received
    assert hook.valid and hook.json["story"]["id"] == dam and hook.json["type"] == "breaking"

    # Restart: a new process on the same store. Nothing is due yet; forced, every feed answers 304.
    with open_store(db_path) as store, watcher(store, demo_urls(site), smtp_sink) as second:
        assert [f.status for f in second.run_once().feeds] == ["waiting"] * 4
        again = second.run_once(force=True)
        assert [f.status for f in again.feeds] == ["not-modified"] * 4
        assert again.alerts.created == [] and again.alerts.delivery.sent == 0
        for url in demo_urls(site):
            assert site.hits(url.split(str(site.port))[1])[-1]["If-None-Match"]
    assert len(smtp_sink.messages) == 1 and len(webhook.received) == 1

    # The Gazette adds a report to the same story: stored, but the story was already alerted.
    add_update(site)
    later = DEMO_NOW + timedelta(hours=3)
    with open_store(db_path) as store, watcher(store, demo_urls(site), smtp_sink, now=later) as third:
        report = third.run_once()
        assert [f.status for f in report.feeds] == ["fetched", "not-modified", "not-modified", "not-modified"]
        assert report.ingested == 1 and report.alerts.created == []
        assert store.get_article("gazette-death-toll").story_id == dam
    assert len(smtp_sink.messages) == 1 and len(webhook.received) == 1


def test_a_followed_story_gets_an_update_alert_when_a_feed_adds_to_it(store, site, webhook):
    with watcher(store, demo_urls(site)) as first:
        [dam] = first.run_once().alerts.breaking
    add_subscription(store, "story", dam, "webhook", webhook.url, secret=webhook.secret)
    add_update(site)
    with watcher(store, demo_urls(site), now=DEMO_NOW + timedelta(hours=3)) as second:
        report = second.run_once()
    assert report.alerts.delivery.sent == 1
    [hook] = webhook.received
    body = hook.json
    assert hook.valid and body["type"] == "update" and body["revision"] == 1
    assert hook.headers["X-Newsfold-Event"] == "update"
    assert {"what": "people (kill)", "before": ["2"], "after": ["2", "3"]} in body["new"]["figures"]
    assert any("man in his seventies" in fact for fact in body["new"]["facts"])


# --- crashes -----------------------------------------------------------------------------------------------
class Crash(BaseException):
    """The process dying: not an Exception, so nothing on the way catches it."""


def test_a_crash_between_recording_and_sending_delivers_exactly_once_after_restart(
    db_path, site, smtp_sink, webhook, monkeypatch
):
    def crash(self, now=None):
        raise Crash

    with open_store(db_path) as store:
        subscribe(store, webhook)
        with monkeypatch.context() as patch:
            patch.setattr(Deliverer, "deliver_due", crash)
            with watcher(store, demo_urls(site), smtp_sink) as doomed, pytest.raises(Crash):
                doomed.run_once()
        # Decided and recorded before the crash, not sent.
        assert [a.status for a in list_alerts(store)] == ["pending", "pending"]
    assert smtp_sink.messages == [] and webhook.received == []

    for _ in range(2):  # the restart, and one more for good measure
        with open_store(db_path) as store, watcher(store, demo_urls(site), smtp_sink) as restarted:
            restarted.run_once(force=True)
    assert len(smtp_sink.messages) == 1 and len(webhook.received) == 1
    with open_store(db_path) as store:
        assert [a.status for a in list_alerts(store)] == ["sent", "sent"]


# --- broken feeds ------------------------------------------------------------------------------------------
def test_broken_feeds_are_reported_backed_off_and_do_not_stop_the_others(store, site):
    (site.root / "truncated.xml").write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</ti'
    )
    (site.root / "not-a-feed.xml").write_bytes(b"<html><body>Oops, this is a web page</body></html>")
    site.slow_seconds = 5.0
    good = site.url("feeds/lowmere-gazette.xml")
    broken = {
        "down": down_url(),
        "slow": site.url("slow/feeds/northern-wire.xml"),
        "huge": site.url("huge.xml"),
        "truncated": site.url("truncated.xml"),
        "not a feed": site.url("not-a-feed.xml"),
        "HTTP 500": site.url("status/500"),
        "HTTP 503": site.url("status/503"),
        "missing": site.url("feeds/gone.xml"),
    }
    # A timeout generous enough that a busy machine never makes the good feeds look slow.
    settings = WatchSettings(timeout=1.5, max_bytes=256 * 1024, backoff_seconds=60, concurrency=8)
    with watcher(store, [good, *broken.values()], settings=settings) as w:
        report = w.run_once()
    results = {f.url: f for f in report.feeds}
    assert results[good].status == "fetched" and results[good].ingested == 2
    expected = {
        "down": "ConnectError",
        "slow": "timed out",
        "huge": "cut off",
        "truncated": "malformed feed",
        "not a feed": "not an RSS or Atom feed",
        "HTTP 500": "HTTP 500",
        "HTTP 503": "HTTP 503",
        "missing": "HTTP 404",
    }
    for name, url in broken.items():
        assert results[url].status == "error", name
        assert expected[name] in results[url].error, (name, results[url].error)
    states = {s.url: s for s in list_feeds(store)}
    for name, url in broken.items():
        state = states[url]
        assert state.failures == 1 and state.last_status == "error" and state.last_error
        wait = (state.next_poll_at - DEMO_NOW).total_seconds()
        if name == "HTTP 503":
            assert wait == 7200  # the server's Retry-After
        else:
            assert 30 <= wait <= 60, name  # backoff_seconds, shortened by up to half by jitter

    # Polled again when due: one more failure doubles the wait; a feed that recovers starts afresh.
    site.slow_seconds = 0
    later = DEMO_NOW + timedelta(hours=3)
    with watcher(store, [good, *broken.values()], settings=settings, now=later) as w:
        report = w.run_once()
    states = {s.url: s for s in list_feeds(store)}
    assert states[broken["slow"]].failures == 0 and states[broken["slow"]].last_status == "fetched"
    assert 60 <= (states[broken["down"]].next_poll_at - later).total_seconds() <= 120
    assert states[broken["down"]].failures == 2
    assert states[good].last_status == "not-modified"


def test_a_short_entry_keeps_its_own_text_when_its_page_cannot_be_fetched(store, feed_server):
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Brief News</title><item>'
        "<title>Harwick dam gives way</title>"
        f"<link>{feed_server.url('pages/missing.html')}</link><guid>brief-1</guid>"
        "<description>A dam above the town of Lowmere has partly collapsed, flooding homes.</description>"
        "</item></channel></rss>"
    )
    (feed_server.root / "brief.xml").write_text(feed, encoding="utf-8")
    with watcher(store, [feed_server.url("brief.xml")]) as w:
        [result] = w.run_once().feeds
    assert result.status == "fetched" and result.ingested == 1 and result.pages == 0
    assert "HTTP 404" in result.errors[0] and "kept the feed's text" in result.errors[0]
    assert store.get_article("brief-1").text.startswith("A dam above the town of Lowmere")


def test_a_recent_entry_whose_page_fails_waits_for_the_next_poll(store, feed_server):
    def rfc822(when):
        return when.strftime("%a, %d %b %Y %H:%M:%S +0000")

    def entry(guid, page, when):
        return (
            f"<item><title>Harwick dam gives way</title><link>{feed_server.url(page)}</link><guid>{guid}</guid>"
            f"<pubDate>{rfc822(when)}</pubDate>"
            "<description>A dam above the town of Lowmere has partly collapsed, flooding homes.</description></item>"
        )

    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Brief News</title>'
        + entry("fresh-1", "pages/fresh.html", DEMO_NOW - timedelta(minutes=20))
        + entry("old-1", "pages/old.html", DEMO_NOW - timedelta(days=2))
        + "</channel></rss>"
    )
    (feed_server.root / "brief.xml").write_text(feed, encoding="utf-8")
    url = feed_server.url("brief.xml")
    with watcher(store, [url]) as w:
        [result] = w.run_once().feeds
    # The page of the fresh entry is not there yet: the entry waits, the feed is not marked as held.
    assert result.deferred == 1 and result.ingested == 1
    assert store.get_article("fresh-1") is None
    assert any("fresh.html: HTTP 404; the entry waits for the next poll" in e for e in result.errors)
    assert any("old.html: HTTP 404; kept the feed's text" in e for e in result.errors)
    assert store.get_article("old-1").text.startswith("A dam above the town of Lowmere")
    [state] = list_feeds(store)
    assert state.etag is None and state.last_modified is None
    # Minutes later the page is up: the next poll reads the feed whole and stores the page's text.
    (feed_server.root / "pages").mkdir(exist_ok=True)
    body = "<p>The dam above Lowmere gave way at dawn, and the river rose through the town by noon.</p>" * 12
    (feed_server.root / "pages" / "fresh.html").write_text(
        f"<html><body><article>{body}</article></body></html>", encoding="utf-8"
    )
    with watcher(store, [url], now=DEMO_NOW + timedelta(minutes=10)) as w:
        [result] = w.run_once().feeds
    assert result.status == "fetched" and result.deferred == 0 and result.pages == 1
    assert store.get_article("fresh-1").text.startswith("The dam above Lowmere gave way at dawn")


def test_relative_entry_links_are_resolved_against_the_feed(store, feed_server):
    page = "<html><body><article>" + "<p>The dam report, told at length on its own page.</p>" * 20
    (feed_server.root / "pages").mkdir()
    (feed_server.root / "pages" / "rel.html").write_text(page + "</article></body></html>", encoding="utf-8")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Relative</title><item>'
        "<title>Dam</title><link>pages/rel.html</link><guid>rel-1</guid>"
        "<description>Short.</description></item></channel></rss>"
    )
    (feed_server.root / "rel.xml").write_text(feed, encoding="utf-8")
    with watcher(store, [feed_server.url("rel.xml")]) as w:
        [result] = w.run_once().feeds
    assert result.pages == 1
    assert store.get_article("rel-1").url == feed_server.url("pages/rel.html")


# --- downloads ---------------------------------------------------------------------------------------------
def test_the_fetcher_caps_size_by_header_and_by_stream_and_answers_304(feed_server):
    (feed_server.root / "big.xml").write_bytes(b"<rss>" + b"x" * 5000 + b"</rss>")
    fetch = HttpFetcher(timeout=2, max_bytes=2048)
    try:
        with pytest.raises(FetchError, match="5011 bytes is more than the 2048 allowed"):
            fetch(feed_server.url("big.xml"), {})
        with pytest.raises(FetchError, match="cut off"):
            fetch(feed_server.url("huge.xml"), {})
        fetch.max_bytes = 10_000
        first = fetch(feed_server.url("big.xml"), {})
        assert first.status == 200 and len(first.body) == 5011 and first.etag and first.last_modified
        again = fetch(feed_server.url("big.xml"), {"If-None-Match": first.etag})
        assert again.status == 304 and again.body == b""
        since = fetch(feed_server.url("big.xml"), {"If-Modified-Since": first.last_modified})
        assert since.status == 304
    finally:
        fetch.close()


# --- running -----------------------------------------------------------------------------------------------
def test_run_forever_polls_until_stopped(store, site):
    stop = threading.Event()
    reports = []

    def on_cycle(report):
        reports.append(report)
        if len(reports) == 2:
            stop.set()

    w = Watcher(store, demo_urls(site), interval=0.2, smtp=SmtpSettings())
    try:
        thread = threading.Thread(target=w.run_forever, args=(stop,), kwargs={"on_cycle": on_cycle})
        thread.start()
        thread.join(timeout=20)
        assert not thread.is_alive()
    finally:
        stop.set()
        w.close()
    assert [f.status for f in reports[0].feeds] == ["fetched"] * 4
    assert [f.status for f in reports[1].feeds] == ["not-modified"] * 4


def test_watch_feeds_reads_a_config_file_and_runs_once(db_path, site, smtp_sink, tmp_path):
    config = tmp_path / "watch.toml"
    lines = [f'[[feeds]]\nurl = "{url}"\n' for url in demo_urls(site)]
    lines.append(f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_sink.port}\nstarttls = "never"\n')
    lines.append("[breaking]\nmin_outlets = 2\nwindow_hours = 100000\n")
    config.write_text("\n".join(lines), encoding="utf-8")
    with open_store(db_path) as store:
        add_subscription(store, "keywords", "lowmere", "email", EMAIL)
    report = watch_feeds(str(db_path), [], once=True, config=str(config))
    assert report is not None and report.ingested == 8
    assert len(report.alerts.breaking) == 1 and report.alerts.delivery.sent == 1
    assert len(smtp_sink.messages) == 1
    # Without arguments the stored feeds are watched; without any feed, the alert pass runs alone.
    again = watch_feeds(str(db_path), once=True, force=True)
    assert [f.status for f in again.feeds] == ["not-modified"] * 4
    alone = watch_feeds(str(Path(db_path).with_name("empty.db")), once=True)
    assert alone is not None and alone.feeds == [] and alone.alerts.created == []


def test_feeds_can_be_listed_and_removed(store, site):
    urls = demo_urls(site)
    with watcher(store, urls, settings=WatchSettings(interval=60)):
        pass
    assert [f.url for f in list_feeds(store)] == urls
    assert remove_feed(store, urls[0]) and not remove_feed(store, urls[0])
    with watcher(store, []) as w:
        assert w.urls == urls[1:]
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar() == 0


def test_an_injected_fetch_replaces_downloading_and_its_failures_stay_with_one_feed(store):
    feed = (servers.DEMO / "feeds" / "lowmere-gazette.xml").read_bytes()
    seen = []

    def fetch(url, headers):
        seen.append(url)
        if url.endswith("bad.xml"):
            raise RuntimeError("a bug in the fetch function")
        return FetchResult(200, feed, etag='"v1"', url=url)

    with watcher(store, ["https://a.example/feed.xml", "https://b.example/bad.xml"], fetch=fetch) as w:
        good, bad = w.run_once().feeds
    assert (good.status, good.ingested) == ("fetched", 2)
    assert bad.status == "error" and "RuntimeError: a bug in the fetch function" in bad.error
    assert sorted(seen) == ["https://a.example/feed.xml", "https://b.example/bad.xml"]
