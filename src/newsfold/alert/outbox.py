"""The alerts outbox as people see it: list alerts with their delivery status, retry a failed one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsfold.alert.tables import alerts, ensure_tables, iso, parse_iso
from newsfold.errors import ConfigError
from newsfold.store import Store

__all__ = ["STATUSES", "AlertRecord", "list_alerts", "retry_alert"]

STATUSES = ("pending", "sent", "failed")


@dataclass(slots=True)
class AlertRecord:
    """One alert in the outbox."""

    id: int
    subscription_id: str
    story_id: str
    revision: int
    idempotency_key: str
    type: str
    title: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime | None
    sent_at: datetime | None
    last_error: str | None
    payload: dict[str, Any]

    @classmethod
    def from_row(cls, row: Any) -> AlertRecord:
        payload = row.payload or {}
        return cls(
            id=row.id,
            subscription_id=row.subscription_id,
            story_id=row.story_id,
            revision=row.revision,
            idempotency_key=row.idempotency_key,
            type=str(payload.get("type", "")),
            title=str(payload.get("story", {}).get("title", "")),
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=parse_iso(row.next_attempt_at),
            created_at=parse_iso(row.created_at),
            sent_at=parse_iso(row.sent_at),
            last_error=row.last_error,
            payload=payload,
        )

    def to_dict(self, *, with_payload: bool = False) -> dict[str, Any]:
        data = {
            "id": self.id,
            "subscription_id": self.subscription_id,
            "story_id": self.story_id,
            "revision": self.revision,
            "idempotency_key": self.idempotency_key,
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "last_error": self.last_error,
        }
        if with_payload:
            data["payload"] = self.payload
        return data


def list_alerts(
    store: Store,
    *,
    status: str | None = None,
    subscription_id: str | None = None,
    limit: int | None = 100,
) -> list[AlertRecord]:
    """Alerts, newest first, optionally of one status or one subscription."""
    ensure_tables(store)
    if status is not None and status not in STATUSES:
        raise ConfigError(f"alert status must be one of {', '.join(STATUSES)}, not {status!r}")
    query = sa.select(alerts).order_by(alerts.c.id.desc())
    if status is not None:
        query = query.where(alerts.c.status == status)
    if subscription_id is not None:
        query = query.where(alerts.c.subscription_id == subscription_id)
    if limit is not None:
        query = query.limit(limit)
    with store.engine.connect() as conn:
        return [AlertRecord.from_row(row) for row in conn.execute(query)]


def retry_alert(store: Store, alert_id: int, *, now: datetime | None = None) -> bool:
    """Put a failed alert back in line with fresh attempts; ``False`` if there is no such failed alert.

    An alert of a digest takes the rest of its digest that failed with it: they were one message, and go
    again as one (under the key of that message, so a receiver that got it after all drops it)."""
    ensure_tables(store)
    with store.transaction() as conn:
        row = conn.execute(
            sa.select(alerts.c.digest_key).where(alerts.c.id == alert_id, alerts.c.status == "failed")
        ).first()
        if row is None:
            return False
        same = alerts.c.id == alert_id
        if row.digest_key is not None:
            same = sa.or_(same, alerts.c.digest_key == row.digest_key)
        conn.execute(
            alerts.update()
            .where(same, alerts.c.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=iso(now or datetime.now(UTC)))
        )
    return True
