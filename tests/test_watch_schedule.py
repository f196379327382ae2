"""When feeds are polled: ``--force`` in a continuous watch, and the interval given now against the next polls
stored by runs with another interval. Feeds are the alerts demo's, served on 127.0.0.1."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from alert import servers
from alert.servers import DEMO_NOW, down_url

from newsfold.alert.config import WatchSettings
from newsfold.alert.deliver import SmtpSettings
from newsfold.store import Store
from newsfold.watch import Watcher, list_feeds, watch_feeds

pytestmark = pytest.mark.usefixtures("no_db_env")
feed_server = servers.feed_server
site = servers.site
demo_urls = servers.demo_urls


def watcher(store: Store, feeds, *, now=DEMO_NOW, **kwargs) -> Watcher:
    return Watcher(store, feeds, clock=lambda: now, smtp=SmtpSettings(), random=random.Random(5), **kwargs)


def cycles(run, count: int) -> list:
    """The reports of the first ``count`` cycles of a continuous watch ``run(stop_event, on_cycle)``."""
    stop = threading.Event()
    reports = []

    def on_cycle(report):
        reports.append(report)
        if len(reports) == count:
            stop.set()

    thread = threading.Thread(target=run, args=(stop, on_cycle))
    thread.start()
    thread.join(timeout=30)
    stop.set()
    assert not thread.is_alive()
    return reports


# --- 2. --force in a continuous watch ----------------------------------------------------------------------
def test_force_polls_every_feed_in_the_first_cycle_of_a_continuous_watch(db_path, site):
    first = watch_feeds(str(db_path), demo_urls(site), once=True)
    assert [f.status for f in first.feeds] == ["fetched"] * 4  # next polls now 300 s away

    [report] = cycles(
        lambda stop, on_cycle: watch_feeds(str(db_path), force=True, stop_event=stop, on_cycle=on_cycle), 1
    )

    assert [f.status for f in report.feeds] == ["not-modified"] * 4


def test_force_applies_to_the_first_cycle_only(store, site):
    with watcher(store, demo_urls(site), interval=0.3) as w:
        w.run_once()

        def run(stop, on_cycle):
            w.run_forever(stop, on_cycle=on_cycle, force=True)

        forced, then = cycles(run, 2)
    assert [f.status for f in forced.feeds] == ["not-modified"] * 4
    assert [f.status for f in then.feeds] == ["waiting"] * 4  # the clock stands still: nothing is due


# --- 2. the interval given now wins ------------------------------------------------------------------------
def test_a_shorter_interval_applies_to_feeds_scheduled_by_a_longer_one(store, site):
    urls = demo_urls(site)
    with watcher(store, urls, settings=WatchSettings(interval=3600)) as hourly:
        hourly.run_once()
    assert all(f.next_poll_at == DEMO_NOW + timedelta(hours=1) for f in list_feeds(store))

    # A restart with a one-minute interval: the feeds are due a minute after their last poll, not in an hour.
    soon = DEMO_NOW + timedelta(seconds=30)
    with watcher(store, urls, now=soon, settings=WatchSettings(interval=60)) as often:
        waiting = often.run_once().feeds
    assert [f.status for f in waiting] == ["waiting"] * 4
    assert all(f.next_poll_at == DEMO_NOW + timedelta(seconds=60) for f in waiting)
    later = DEMO_NOW + timedelta(seconds=120)
    with watcher(store, urls, now=later, settings=WatchSettings(interval=60)) as often:
        report = often.run_once()
    assert [f.status for f in report.feeds] == ["not-modified"] * 4
    assert all(f.next_poll_at == later + timedelta(seconds=60) for f in list_feeds(store))


def test_a_feed_scheduled_sooner_than_the_interval_keeps_its_time(store, site):
    urls = demo_urls(site)
    with watcher(store, urls, settings=WatchSettings(interval=60)) as often:
        often.run_once()
    with watcher(
        store, urls, now=DEMO_NOW + timedelta(seconds=30), settings=WatchSettings(interval=3600)
    ) as w:
        report = w.run_once()
    assert [f.status for f in report.feeds] == ["waiting"] * 4
    assert all(f.next_poll_at == DEMO_NOW + timedelta(seconds=60) for f in report.feeds)


def test_a_failing_feed_keeps_its_backoff_under_a_shorter_interval(store):
    down = down_url()
    settings = WatchSettings(interval=3600, backoff_seconds=600)
    with watcher(store, [down], settings=settings) as w:
        [failed] = w.run_once().feeds
    assert failed.status == "error" and failed.next_poll_at >= DEMO_NOW + timedelta(seconds=300)
    with watcher(
        store, [down], now=DEMO_NOW + timedelta(seconds=120), settings=WatchSettings(interval=60)
    ) as w:
        [result] = w.run_once().feeds
    assert result.status == "waiting" and result.next_poll_at == failed.next_poll_at
