"""Delivery: the outbox, email through a real local SMTP server, signed webhooks to a real local receiver,
retries with backoff, and exactly-once in effect across crashes and restarts."""

from __future__ import annotations

import json
import random
import ssl
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from servers import SmtpSink, self_signed_cert

from newsfold.alert.deliver import (
    Deliverer,
    DeliverySettings,
    SmtpSettings,
    idempotency_key,
    record_alert,
    sign,
)
from newsfold.alert.outbox import list_alerts, retry_alert
from newsfold.alert.subscriptions import add_subscription, remove_subscription
from newsfold.alert.tables import alerts
from newsfold.errors import ConfigError

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
FAST = DeliverySettings(backoff_seconds=30, max_backoff_seconds=600, lease_seconds=120, max_attempts=4)


def payload(story_id: str = "s-000000000001", title: str = "Harwick dam gives way") -> dict:
    return {
        "type": "breaking",
        "revision": 0,
        "subscription": {"id": "sub-x", "kind": "keywords", "query": "dam"},
        "story": {
            "id": story_id,
            "title": title,
            "outlets": ["Lowmere Gazette", "Northern Wire", "The Daily Courier"],
            "article_count": 3,
            "summary": ["Part of the Harwick Reservoir dam collapsed in the early hours of Sunday."],
            "articles": [
                {
                    "id": "gazette-harwick-dam",
                    "source": "Lowmere Gazette",
                    "title": title,
                    "url": "http://127.0.0.1/gazette/harwick-dam.html",
                    "published": "2026-11-22T06:10:00+00:00",
                    "duplicate_of": None,
                }
            ],
        },
        "breaking": {"outlet_count": 3, "score": 5.03, "window_hours": 6.0},
    }


def record(store, sub, *, story_id="s-000000000001", revision=0, now=NOW) -> int | None:
    with store.transaction() as conn:
        return record_alert(
            conn,
            subscription_id=sub.id,
            digest=sub.digest,
            story_id=story_id,
            revision=revision,
            payload=dict(
                payload(story_id), subscription={"id": sub.id, "kind": sub.kind, "query": sub.query}
            ),
            now=now,
        )


def smtp_for(sink: SmtpSink, **changes) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1", port=sink.port, sender="alerts@newsfold.example", timeout=5, **changes
    )


def deliverer(store, *, smtp=None, now=NOW, **kwargs) -> Deliverer:
    return Deliverer(
        store,
        smtp=smtp or SmtpSettings(),
        settings=FAST,
        clock=lambda: now,
        random=random.Random(7),
        **kwargs,
    )


def statuses(store) -> list[tuple[str, int]]:
    with store.engine.connect() as conn:
        return [(r.status, r.attempts) for r in conn.execute(sa.select(alerts).order_by(alerts.c.id))]


# --- the outbox --------------------------------------------------------------------------------------------
def test_an_alert_is_recorded_once_per_key(store):
    sub = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
    first = record(store, sub)
    assert first is not None
    assert record(store, sub) is None  # same subscription, story and revision
    assert record(store, sub, revision=1) is not None
    assert record(store, sub, story_id="s-000000000002") is not None
    assert len(list_alerts(store)) == 3
    assert idempotency_key(sub.id, "s-1", 0) != idempotency_key(sub.id, "s-1", 1)


def test_a_decision_that_crashes_before_commit_leaves_no_alert(store):
    sub = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        record_alert(
            conn,
            subscription_id=sub.id,
            digest="none",
            story_id="s-1",
            revision=0,
            payload=payload(),
            now=NOW,
        )
        raise RuntimeError("crash right after the insert")
    assert list_alerts(store) == []
    # Deciding again after the restart records it, once.
    assert record(store, sub, story_id="s-1") is not None
    assert record(store, sub, story_id="s-1") is None


# --- email -------------------------------------------------------------------------------------------------
def test_email_alert_arrives_with_message_id_derived_from_its_key(store, smtp_sink):
    sub = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
    record(store, sub)
    with deliverer(store, smtp=smtp_for(smtp_sink)) as d:
        report = d.deliver_due()
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [received] = smtp_sink.messages
    key = idempotency_key(sub.id, "s-000000000001", 0)
    message = received.message
    assert received.recipients == ["reader@example.org"]
    assert received.sender == "alerts@newsfold.example"
    assert message["Message-ID"] == f"<{key}@newsfold.example>"
    assert message["X-Newsfold-Idempotency-Key"] == key
    assert message["Subject"] == "Breaking: Harwick dam gives way"
    body = message.get_content()
    assert "3 outlets reported this story in the last 6 hours" in body
    assert "Lowmere Gazette, Northern Wire, The Daily Courier" in body
    assert "http://127.0.0.1/gazette/harwick-dam.html" in body
    assert statuses(store) == [("sent", 1)]
    [alert] = list_alerts(store, status="sent")
    assert alert.sent_at == NOW
    # Nothing is due any more: delivering again sends nothing.
    with deliverer(store, smtp=smtp_for(smtp_sink)) as d:
        assert d.deliver_due().sent == 0
    assert len(smtp_sink.messages) == 1


def test_email_waits_without_using_attempts_while_smtp_is_not_configured(store, smtp_sink):
    sub = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
    record(store, sub)
    with deliverer(store, smtp=SmtpSettings()) as d:
        report = d.deliver_due()
    assert report.waiting == 1 and statuses(store) == [("pending", 0)]
    with deliverer(store, smtp=smtp_for(smtp_sink)) as d:
        assert d.deliver_due().sent == 1


@pytest.fixture
def tls_files(tmp_path):
    files = self_signed_cert(tmp_path)
    if files is None:
        pytest.skip("needs the openssl command to make a test certificate")
    return files


def test_email_uses_starttls_and_logs_in(store, tls_files):
    cert, _key = tls_files
    sink = SmtpSink(tls=tls_files, login=("alerts", "pa55word"))
    try:
        sub = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
        record(store, sub)
        trusted = ssl.create_default_context(cafile=str(cert))
        smtp = smtp_for(sink, user="alerts", password="pa55word", ssl_context=trusted)
        with deliverer(store, smtp=smtp) as d:
            assert d.deliver_due().sent == 1
        assert len(sink.messages) == 1

        # A wrong password is a failed attempt, retried later; nothing arrives.
        record(store, sub, story_id="s-000000000002")
        bad = smtp_for(sink, user="alerts", password="wrong", ssl_context=trusted)
        with deliverer(store, smtp=bad) as d:
            report = d.deliver_due()
        assert report.retrying == 1 and "SMTP" in report.errors[0]
        assert len(sink.messages) == 1
        # Without STARTTLS this server refuses the mail: never sent in the clear.
        with deliverer(store, smtp=smtp_for(sink, starttls="never"), now=NOW + timedelta(hours=1)) as d:
            assert d.deliver_due().retrying == 1
        assert len(sink.messages) == 1
    finally:
        sink.close()


def test_starttls_always_refuses_a_server_that_does_not_offer_it(store, smtp_sink):
    sub = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
    record(store, sub)
    with deliverer(store, smtp=smtp_for(smtp_sink, starttls="always")) as d:
        report = d.deliver_due()
    assert report.retrying == 1 and "does not offer STARTTLS" in report.errors[0]
    assert smtp_sink.messages == []


def test_smtp_settings_from_the_environment():
    env = {
        "NEWSFOLD_SMTP_HOST": "mail.example.org",
        "NEWSFOLD_SMTP_PORT": "2525",
        "NEWSFOLD_SMTP_USER": "me",
        "NEWSFOLD_SMTP_PASSWORD": "secret",
        "NEWSFOLD_SMTP_FROM": "News <news@example.org>",
        "NEWSFOLD_SMTP_STARTTLS": "true",
    }
    smtp = SmtpSettings.from_env(env)
    assert (smtp.host, smtp.port, smtp.user, smtp.password, smtp.sender, smtp.starttls) == (
        "mail.example.org",
        2525,
        "me",
        "secret",
        "News <news@example.org>",
        "always",
    )
    assert "secret" not in repr(smtp)
    assert SmtpSettings.from_env({"NEWSFOLD_SMTP_STARTTLS": "0"}).starttls == "never"
    assert SmtpSettings.from_env({}, base=SmtpSettings(host="a")).host == "a"
    with pytest.raises(ConfigError):
        SmtpSettings.from_env({"NEWSFOLD_SMTP_PORT": "smtp"})
    with pytest.raises(ConfigError):
        SmtpSettings.from_env({"NEWSFOLD_SMTP_STARTTLS": "maybe"})


# --- webhooks ----------------------------------------------------------------------------------------------
def test_webhook_is_signed_over_the_timestamp_and_raw_body_with_key(store, webhook):
    sub = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    record(store, sub)
    with deliverer(store) as d:
        assert d.deliver_due().sent == 1
    [hook] = webhook.received
    assert hook.valid
    stamp = int(hook.headers["X-Newsfold-Timestamp"])
    assert hook.headers["X-Newsfold-Signature"] == sign(webhook.secret, stamp, hook.body)
    # The time is signed: the same body at another time (a replay) has another signature.
    assert sign(webhook.secret, stamp + 600, hook.body) != sign(webhook.secret, stamp, hook.body)
    assert hook.key == idempotency_key(sub.id, "s-000000000001", 0)
    assert hook.headers["X-Newsfold-Timestamp"] == str(int(NOW.timestamp()))
    assert hook.headers["X-Newsfold-Event"] == "breaking"
    assert hook.headers["Content-Type"] == "application/json"
    body = hook.json
    assert body["idempotency_key"] == hook.key
    assert body["story"]["title"] == "Harwick dam gives way"
    assert body["subscription"]["id"] == sub.id


def test_a_webhook_with_the_wrong_secret_is_refused_and_retried(store, webhook):
    sub = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret="not-the-receivers")
    record(store, sub)
    with deliverer(store) as d:
        report = d.deliver_due()
    assert report.retrying == 1 and "HTTP 401" in report.errors[0]
    assert [h.valid for h in webhook.received] == [False]


def test_webhook_retries_with_exponential_backoff_then_succeeds(store, webhook):
    sub = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    record(store, sub)
    webhook.fail_next = 2
    now = NOW
    delays = []
    for _ in range(3):
        with deliverer(store, now=now) as d:
            report = d.deliver_due()
        [alert] = list_alerts(store)
        if alert.status == "sent":
            break
        delays.append((alert.next_attempt_at - now).total_seconds())
        # Not due before its time.
        with deliverer(store, now=now + timedelta(seconds=delays[-1] - 1)) as d:
            assert d.deliver_due().sent == 0
        now = alert.next_attempt_at
    assert report.sent == 1
    # 30 s then 60 s, each shortened by up to half by jitter.
    assert 15 <= delays[0] <= 30 and 30 <= delays[1] <= 60
    assert len(webhook.received) == 3 and len(webhook.unique()) == 1
    assert statuses(store) == [("sent", 3)]


def _fail_every_attempt(store, webhook) -> datetime:
    """Let the webhook fail every attempt, an hour apart, until the alert is given up; the time after."""
    webhook.fail_next = 100
    now = NOW
    for _ in range(FAST.max_attempts):
        with deliverer(store, now=now) as d:
            d.deliver_due()
        now += timedelta(hours=1)
    return now


def test_an_alert_fails_after_max_attempts_and_can_be_retried(store, webhook, caplog):
    sub = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    alert_id = record(store, sub)
    now = _fail_every_attempt(store, webhook)
    logged = [r.getMessage() for r in caplog.records if "alert delivery failed" in r.getMessage()]
    assert [("giving up" in m, "will retry" in m) for m in logged] == [(False, True)] * 3 + [(True, False)]
    [alert] = list_alerts(store)
    assert (alert.status, alert.attempts) == ("failed", FAST.max_attempts)
    assert "HTTP 500" in alert.last_error
    with deliverer(store, now=now) as d:
        assert d.deliver_due().sent == 0  # failed alerts are not retried on their own
    webhook.fail_next = 0
    assert retry_alert(store, alert_id, now=now)
    assert not retry_alert(store, alert_id, now=now)  # pending now, not failed
    with deliverer(store, now=now) as d:
        assert d.deliver_due().sent == 1


# --- crashes -----------------------------------------------------------------------------------------------
def test_crash_after_the_insert_and_before_sending_delivers_once_after_restart(store, smtp_sink, webhook):
    mail = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
    hook = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    record(store, mail)
    record(store, hook)
    # The process dies here: recorded, never sent. A new process (restart) delivers each exactly once.
    for _ in range(3):
        with deliverer(store, smtp=smtp_for(smtp_sink)) as d:
            d.deliver_due()
    assert len(smtp_sink.messages) == 1
    assert len(webhook.received) == 1
    assert statuses(store) == [("sent", 1), ("sent", 1)]


class Crash(BaseException):
    """A process dying: not an Exception, so nothing on the way catches it."""


def test_crash_after_sending_resends_under_the_same_key_once_the_claim_expires(
    store, smtp_sink, webhook, monkeypatch
):
    mail = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
    hook = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    record(store, mail)
    record(store, hook)

    def crash(self, ids, now):
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(Deliverer, "_mark_sent", crash)
        with deliverer(store, smtp=smtp_for(smtp_sink)) as d, pytest.raises(Crash):
            d.deliver_due()
    # Both went out (they are sent together), then the process died before marking them. A restart within
    # the claims' lease leaves them alone (the first process might still be sending) ...
    assert len(smtp_sink.messages) == 1 and len(webhook.received) == 1
    with deliverer(store, smtp=smtp_for(smtp_sink), now=NOW + timedelta(seconds=60)) as d:
        assert d.deliver_due().sent == 0
    # ... and after the lease sends them again under the same keys, which the receivers drop.
    later = NOW + timedelta(seconds=FAST.lease_seconds + 1)
    with deliverer(store, smtp=smtp_for(smtp_sink), now=later) as d:
        assert d.deliver_due().sent == 2
    assert len(smtp_sink.messages) == 2 and len(smtp_sink.unique()) == 1
    assert len(webhook.received) == 2 and len(webhook.unique()) == 1
    assert [s for s, _ in statuses(store)] == ["sent", "sent"]


# --- digests -----------------------------------------------------------------------------------------------
def test_a_digest_sends_the_alerts_of_one_period_together(store, smtp_sink, webhook):
    mail = add_subscription(store, "keywords", "dam", "email", "reader@example.org", digest="hourly")
    hook = add_subscription(
        store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret, digest="daily"
    )
    for sub in (mail, hook):
        record(store, sub, story_id="s-000000000001", now=NOW + timedelta(minutes=5))
        record(store, sub, story_id="s-000000000002", now=NOW + timedelta(minutes=40))
    with deliverer(store, smtp=smtp_for(smtp_sink), now=NOW + timedelta(minutes=59)) as d:
        assert d.deliver_due().sent == 0
    with deliverer(store, smtp=smtp_for(smtp_sink), now=NOW + timedelta(hours=1)) as d:
        assert d.deliver_due().sent == 2
    [digest] = smtp_sink.messages
    assert digest.message["Subject"] == "newsfold digest: 2 alerts"
    # Dated when sent, at the end of its hour, not when its last alert was raised.
    assert digest.message["Date"].datetime == NOW + timedelta(hours=1)
    assert digest.message.get_content().count("Breaking: Harwick dam gives way") == 2
    assert webhook.received == []
    midnight = datetime(2026, 11, 23, tzinfo=UTC)
    with deliverer(store, smtp=smtp_for(smtp_sink), now=midnight) as d:
        assert d.deliver_due().sent == 2
    [posted] = webhook.received
    body = json.loads(posted.body)
    assert posted.valid and body["type"] == "digest" and len(body["alerts"]) == 2
    assert body["idempotency_key"] == posted.key
    assert body["period_end"] == "2026-11-23T00:00:00.000000+00:00"
    assert {a["story"]["id"] for a in body["alerts"]} == {"s-000000000001", "s-000000000002"}


def test_a_failed_digest_is_retried_whole_and_a_part_of_it_under_another_key(store, webhook):
    hook = add_subscription(
        store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret, digest="hourly"
    )
    first = record(store, hook, story_id="s-000000000001", now=NOW + timedelta(minutes=5))
    second = record(store, hook, story_id="s-000000000002", now=NOW + timedelta(minutes=40))
    webhook.fail_next = 100
    now = NOW + timedelta(hours=1)
    for _ in range(FAST.max_attempts):
        with deliverer(store, now=now) as d:
            d.deliver_due()
        now += timedelta(hours=1)
    assert [s for s, _ in statuses(store)] == ["failed", "failed"]
    given_up = webhook.received[-1].key
    webhook.fail_next = 0
    # Retrying one alert of the digest brings the whole digest back: one message, under its old key (a
    # receiver that got it after all drops it).
    assert retry_alert(store, first, now=now)
    with deliverer(store, now=now) as d:
        assert d.deliver_due().sent == 2
    resent = webhook.received[-1]
    assert resent.key == given_up and len(json.loads(resent.body)["alerts"]) == 2
    assert [s for s, _ in statuses(store)] == ["sent", "sent"]
    # A part of a digest is another message than the whole: another key, never dropped as a repeat.
    from newsfold.alert.deliver import _digest_id

    assert _digest_id("k", ["a"]) != _digest_id("k", ["a", "b"]) == _digest_id("k", ["b", "a"])
    assert second is not None


def test_a_receiver_that_hangs_delays_only_its_own_alert(store, webhook):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    release = threading.Event()

    class Hanging(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802 (http.server's naming)
            release.wait(5)
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hanging)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hung = [
            add_subscription(
                store, "keywords", "dam", "webhook", f"http://127.0.0.1:{server.server_port}/{n}"
            )
            for n in range(3)
        ]
        fast = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
        for sub in (*hung, fast):
            record(store, sub)
        settings = DeliverySettings(backoff_seconds=30, lease_seconds=120, webhook_timeout=1.0)
        started = time.monotonic()
        with Deliverer(store, smtp=SmtpSettings(), settings=settings, clock=lambda: NOW) as d:
            report = d.deliver_due()
        elapsed = time.monotonic() - started
    finally:
        release.set()
        server.shutdown()
        server.server_close()
    # Sent one after the other, three timeouts of 1 s would come first; at once, about one.
    assert report.sent == 1 and report.retrying == 3 and len(webhook.received) == 1
    assert elapsed < 2.5


def test_alerts_of_a_removed_subscription_are_never_sent(store, webhook):
    sub = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    record(store, sub)
    remove_subscription(store, sub.id)
    with deliverer(store) as d:
        assert d.deliver_due().sent == 0
    assert webhook.received == []


def test_the_alerts_command_says_when_it_shows_only_the_newest(store, db_path):
    from click.testing import CliRunner

    from newsfold.cli import main

    sub = add_subscription(store, "keywords", "dam", "email", "reader@example.org")
    for n in range(3):
        record(store, sub, story_id=f"s-00000000000{n}")
    runner = CliRunner()
    some = runner.invoke(main, ["alerts", "--db", str(db_path), "-n", "2"])
    assert some.exit_code == 0 and some.stdout.count("pending") == 2 and "there are more" in some.stderr
    assert "#3" in some.stdout and "#1" not in some.stdout  # the newest
    every = runner.invoke(main, ["alerts", "--db", str(db_path), "-n", "3"])
    assert every.stdout.count("pending") == 3 and "there are more" not in every.stderr
    # A pending alert says when it goes.
    assert every.stdout.count(f"due {NOW:%Y-%m-%d %H:%M} UTC") == 3


def test_the_alerts_command_shows_why_an_alert_failed(store, db_path, webhook):
    from click.testing import CliRunner

    from newsfold.cli import main

    sub = add_subscription(store, "keywords", "dam", "webhook", webhook.url, secret=webhook.secret)
    record(store, sub)
    _fail_every_attempt(store, webhook)
    listed = CliRunner().invoke(main, ["alerts", "--db", str(db_path)])
    assert listed.exit_code == 0 and "failed" in listed.output and "HTTP 500" in listed.output
