"""One alert pass: the stories that changed since the last pass, the alerts they call for, then delivery.

The pass remembers how far it got as an article sequence number (``alert.cursor`` in the store's state).
Deciding is idempotent (:func:`newsfold.alert.subscriptions.decide`), so a pass that crashed before saving
the cursor is simply run again. A store that never ran a pass starts with the articles stored within the
breaking window, so turning alerts on for an old store does not alert on its history.
"""

from __future__ import annotations

import logging
import random as random_module
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa

from newsfold.alert.breaking import BreakingSettings
from newsfold.alert.deliver import Deliverer, DeliveryReport, DeliverySettings, SmtpSettings
from newsfold.alert.subscriptions import decide, list_subscriptions, load_view
from newsfold.alert.tables import ensure_tables, iso
from newsfold.store import Store, articles

__all__ = ["CURSOR_KEY", "AlertReport", "Alerter", "run_alerts"]

log = logging.getLogger(__name__)

CURSOR_KEY = "alert.cursor"
Clock = Callable[[], datetime]


@dataclass(slots=True)
class AlertReport:
    """What one pass did: stories looked at, which of them are breaking, alerts recorded, delivery."""

    stories: int = 0
    breaking: list[str] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stories": self.stories,
            "breaking": list(self.breaking),
            "alerts": len(self.created),
            "errors": len(self.errors),
            "delivery": self.delivery.to_dict(),
        }


class Alerter:
    """Decide and deliver alerts for the stories that changed since the last pass."""

    def __init__(
        self,
        store: Store,
        *,
        breaking: BreakingSettings | None = None,
        deliverer: Deliverer | None = None,
        smtp: SmtpSettings | None = None,
        delivery: DeliverySettings | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        random: random_module.Random | None = None,
    ) -> None:
        ensure_tables(store)
        self.store = store
        self.breaking = breaking or BreakingSettings()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.deliverer = deliverer or Deliverer(
            store, smtp=smtp, settings=delivery, transport=transport, clock=self.clock, random=random
        )

    def close(self) -> None:
        self.deliverer.close()

    def __enter__(self) -> Alerter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, now: datetime | None = None) -> AlertReport:
        """Decide the alerts of new and updated stories, then send every due alert."""
        now = now or self.clock()
        report = self.evaluate(now)
        report.delivery = self.deliverer.deliver_due(now)
        return report

    def evaluate(self, now: datetime | None = None) -> AlertReport:
        """Record the alerts that stories changed since the last pass call for; sends nothing."""
        now = now or self.clock()
        report = AlertReport()
        cursor = self._cursor(now)
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(articles.c.seq, articles.c.story_id)
                .where(articles.c.seq > cursor)
                .order_by(articles.c.seq)
            ).all()
        if not rows:
            return report
        story_ids = list(dict.fromkeys(row.story_id for row in rows if row.story_id))
        subs = list_subscriptions(self.store)
        for story_id in story_ids:
            view = load_view(self.store, story_id, now=now, settings=self.breaking)
            if view is None:
                continue
            report.stories += 1
            if view.status.breaking:
                report.breaking.append(story_id)
            for sub in subs:
                try:
                    alert_id = decide(self.store, sub, view, now)
                except sa.exc.SQLAlchemyError:
                    raise  # the store is in trouble: stop here, the next pass starts again from the cursor
                except Exception as exc:  # one story the comparison cannot handle must not stop alerts
                    log.exception("could not decide alert of %s for story %s", sub.id, story_id)
                    report.errors.append(f"{sub.id} {story_id}: {exc!r}")
                    continue
                if alert_id is not None:
                    report.created.append(alert_id)
        self.store.save_state(CURSOR_KEY, str(rows[-1].seq))
        return report

    def _cursor(self, now: datetime) -> int:
        saved = self.store.load_state(CURSOR_KEY)
        if saved is not None:
            return int(saved)
        cutoff = iso(now - self.breaking.window)
        with self.store.engine.connect() as conn:
            before = conn.execute(
                sa.select(sa.func.max(articles.c.seq)).where(articles.c.ingested_at < cutoff)
            )
            return int(before.scalar() or 0)


def run_alerts(
    store: Store,
    *,
    now: datetime | None = None,
    breaking: BreakingSettings | None = None,
    smtp: SmtpSettings | None = None,
    delivery: DeliverySettings | None = None,
    transport: httpx.BaseTransport | None = None,
) -> AlertReport:
    """One alert pass outside the watcher (after ``newsfold ingest``, or from the web server)."""
    alerter = Alerter(store, breaking=breaking, smtp=smtp, delivery=delivery, transport=transport)
    try:
        return alerter.run(now)
    finally:
        alerter.close()
