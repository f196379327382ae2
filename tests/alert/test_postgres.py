"""The alert tables, a watch cycle and delivery on PostgreSQL (skipped without NEWSFOLD_TEST_PG_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from servers import DEMO_FEEDS, DEMO_NOW, demo_site

from newsfold.alert import (
    add_subscription,
    ensure_tables,
    list_alerts,
    list_subscriptions,
    remove_subscription,
)
from newsfold.alert.deliver import SmtpSettings
from newsfold.store import Store, open_store
from newsfold.watch import Watcher, list_feeds

PG_URL_VAR = "NEWSFOLD_TEST_PG_URL"


@pytest.fixture
def pg_store() -> Iterator[Store]:
    """A store in a fresh schema of the test server, dropped afterwards."""
    url = os.environ.get(PG_URL_VAR)
    if not url:
        pytest.skip(f'{PG_URL_VAR} is not set; run `eval "$(./scripts/ci-services)"` as root to start one')
    pytest.importorskip("psycopg", reason="pip install -e '.[postgres]'")
    base = sa.make_url(url).set(drivername="postgresql+psycopg")
    name = f"newsfold_alert_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    except sa.exc.SQLAlchemyError as exc:
        admin.dispose()
        pytest.skip(f"the PostgreSQL at {PG_URL_VAR} cannot be used: {str(exc).splitlines()[0]}")
    schema_url = base.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
        hide_password=False
    )
    try:
        with open_store(schema_url) as store:
            yield store
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def test_watch_alert_and_deliver_on_postgresql(pg_store, feed_server, smtp_sink, webhook):
    ensure_tables(pg_store)
    ensure_tables(pg_store)
    assert {"feeds", "subscriptions", "alerts"} <= set(sa.inspect(pg_store.engine).get_table_names())
    add_subscription(pg_store, "keywords", "dam", "email", "reader@example.org")
    add_subscription(pg_store, "entities", "Helen Brooke", "webhook", webhook.url, secret=webhook.secret)
    demo_site(feed_server.root, feed_server.port)
    urls = [feed_server.url(f"feeds/{name}") for name in DEMO_FEEDS]
    smtp = SmtpSettings(host="127.0.0.1", port=smtp_sink.port)
    for force in (False, True):  # the second run is a restart: 304s, no new alert
        with Watcher(pg_store, urls, clock=lambda: DEMO_NOW, smtp=smtp) as watcher:
            report = watcher.run_once(force=force)
    assert [f.status for f in report.feeds] == ["not-modified"] * 4
    assert len(smtp_sink.messages) == 1 and len(webhook.received) == 1
    assert [a.status for a in list_alerts(pg_store)] == ["sent", "sent"]
    assert all(f.etag for f in list_feeds(pg_store))
    for sub in list_subscriptions(pg_store):
        assert remove_subscription(pg_store, sub.id)
    assert list_alerts(pg_store) == []
