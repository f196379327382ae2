"""The alert pass: only stories changed since the last pass, a cursor in the store, failures contained."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servers import DEMO_NOW

import newsfold.alert.engine as engine
from newsfold.alert import add_subscription, list_alerts, run_alerts
from newsfold.alert.deliver import SmtpSettings
from newsfold.alert.engine import CURSOR_KEY, Alerter


def test_a_pass_alerts_on_changed_stories_once_and_remembers_how_far_it_got(store, ingest_demo, webhook):
    dam = ingest_demo()
    add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    report = run_alerts(store, now=DEMO_NOW, smtp=SmtpSettings())
    assert report.breaking == [dam] and len(report.created) == 1 and report.delivery.sent == 1
    assert report.stories == 5
    assert store.load_state(CURSOR_KEY) == str(store.max_seq())
    # Nothing changed since: nothing is looked at, nothing is sent, even for a new subscription.
    add_subscription(store, "outlets", "Northern Wire", "webhook", webhook.url, secret=webhook.secret)
    again = run_alerts(store, now=DEMO_NOW, smtp=SmtpSettings())
    assert (again.stories, again.created, again.delivery.sent) == (0, [], 0)
    assert len(webhook.received) == 1


def test_a_store_that_never_ran_a_pass_skips_articles_older_than_the_window(store, ingest_demo, webhook):
    ingest_demo()
    add_subscription(
        store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret, breaking_only=False
    )
    much_later = datetime.now(UTC) + timedelta(days=1)
    report = run_alerts(store, now=much_later, smtp=SmtpSettings())
    assert report.stories == 0 and list_alerts(store) == []


def test_one_failing_decision_does_not_stop_the_others(store, ingest_demo, webhook, monkeypatch):
    ingest_demo()
    broken = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    fine = add_subscription(store, "keywords", "lowmere", "webhook", webhook.url, secret=webhook.secret)
    real = engine.decide

    def decide(store, sub, view, now):
        if sub.id == broken.id:
            raise KeyError("a comparison bug")
        return real(store, sub, view, now)

    monkeypatch.setattr(engine, "decide", decide)
    with Alerter(store, smtp=SmtpSettings()) as alerter:
        report = alerter.run(DEMO_NOW)
    assert report.errors and all(broken.id in e for e in report.errors)
    assert [a.subscription_id for a in list_alerts(store)] == [fine.id]
