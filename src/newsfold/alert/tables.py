"""The alert tables: watched feeds, subscriptions and the alerts outbox, on the store's own metadata.

SQLAlchemy Core with portable types only (strings, integers, booleans, JSON), so the same schema runs on
SQLite and PostgreSQL. Times are ISO 8601 strings in UTC with a fixed width (see :func:`iso`), so that SQL
compares them in time order, as the store does for its own tables.
"""

from __future__ import annotations

import threading
import weakref
from datetime import UTC, datetime

import sqlalchemy as sa

from newsfold.errors import StoreError
from newsfold.migrations import instant
from newsfold.store import Store, metadata, shown_url

__all__ = ["alerts", "ensure_tables", "feeds", "iso", "parse_iso", "subscriptions", "TABLES"]


feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("url", sa.String(2048), primary_key=True),
    # Outlet name for every entry of the feed; NULL means the feed's own title.
    sa.Column("source", sa.Text),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("next_poll_at", instant()),
    sa.Column("last_polled_at", instant()),
    sa.Column("last_status", sa.String(40)),
    sa.Column("failures", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text),
    sa.Column("added_at", instant(), nullable=False),
)

subscriptions = sa.Table(
    "subscriptions",
    metadata,
    # Random ids, never reused: an idempotency key names its subscription, so a new subscription must not
    # inherit the alerts of a deleted one that happened to have the same number.
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # keywords | entities | outlets | story
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),  # email | webhook
    sa.Column("target", sa.Text, nullable=False),  # an email address or a webhook URL
    sa.Column("secret", sa.Text),  # HMAC key of a webhook
    sa.Column("digest", sa.String(16), nullable=False, default="none"),  # none | hourly | daily
    # Keyword, entity and outlet subscriptions alert on breaking stories only unless this is false.
    sa.Column("breaking_only", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", instant(), nullable=False),
    # What the last alert of a followed story said: revision, outlets, fact and figure fingerprints.
    sa.Column("last_alert_state", sa.JSON),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "subscription_id",
        sa.String(32),
        sa.ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("story_id", sa.String(64), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, default=0),
    # hash(subscription, story, revision): the row exists once, and receivers dedupe deliveries on it.
    sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, default="pending"),  # pending | sent | failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", instant(), nullable=False),
    # Alerts of a digest subscription that go out together share this key (subscription and period end).
    sa.Column("digest_key", sa.String(96)),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", instant(), nullable=False),
    sa.Column("sent_at", instant()),
    sa.Index("ix_alerts_due", "status", "next_attempt_at"),
    sa.Index("ix_alerts_subscription_story", "subscription_id", "story_id"),
)

#: Every table this package owns, in creation order.
TABLES = (feeds, subscriptions, alerts)

_ready: weakref.WeakSet[sa.Engine] = weakref.WeakSet()
_lock = threading.Lock()


def ensure_tables(store: Store) -> None:
    """Create the alert tables if they are missing; cheap to call again, safe with concurrent processes."""
    engine = store.engine
    if engine in _ready:
        return
    with _lock:
        try:
            metadata.create_all(engine, tables=list(TABLES))
        except sa.exc.SQLAlchemyError as exc:
            # Another process may have created them between the existence check and CREATE TABLE.
            missing = [t.name for t in TABLES if not sa.inspect(engine).has_table(t.name)]
            if missing:
                raise StoreError(
                    f"cannot create alert tables {missing} in {shown_url(store.url)}: {exc}"
                ) from exc
        _ready.add(engine)


def iso(value: datetime) -> str:
    """A UTC time as a fixed-width ISO 8601 string, which sorts in time order as text."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(value: str | None) -> datetime | None:
    """The inverse of :func:`iso`; also reads the store's own (variable-width) timestamps."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
