"""Alerts: breaking stories, subscriptions, and delivery by email and webhook, exactly once in effect.

Modules, one job each: :mod:`.tables` (storage), :mod:`.breaking` (the rule and the score),
:mod:`.subscriptions` (who wants what, matching, what is new in a followed story), :mod:`.deliver` (the
outbox and the channels), :mod:`.message` (what an email or webhook says), :mod:`.engine` (one pass over
the stories that changed), :mod:`.config` (the watch config file). ``newsfold.watch`` polls the feeds and
runs the pass after each cycle. See docs/alerts.md.
"""

from __future__ import annotations

from newsfold.alert.breaking import BreakingSettings, BreakingStatus, breaking_stories, story_status
from newsfold.alert.config import FeedSpec, WatchConfig, WatchSettings, load_config, settings_table
from newsfold.alert.deliver import (
    Deliverer,
    DeliveryError,
    DeliveryReport,
    DeliverySettings,
    SmtpSettings,
    idempotency_key,
    sign,
)
from newsfold.alert.engine import Alerter, AlertReport, run_alerts
from newsfold.alert.outbox import AlertRecord, list_alerts, retry_alert
from newsfold.alert.subscriptions import (
    CHANNELS,
    DIGESTS,
    KINDS,
    Subscription,
    add_subscription,
    get_subscription,
    list_subscriptions,
    remove_subscription,
)
from newsfold.alert.tables import ensure_tables

__all__ = [
    "CHANNELS",
    "DIGESTS",
    "KINDS",
    "AlertRecord",
    "AlertReport",
    "Alerter",
    "BreakingSettings",
    "BreakingStatus",
    "Deliverer",
    "DeliveryError",
    "DeliveryReport",
    "DeliverySettings",
    "FeedSpec",
    "SmtpSettings",
    "Subscription",
    "WatchConfig",
    "WatchSettings",
    "add_subscription",
    "breaking_stories",
    "ensure_tables",
    "get_subscription",
    "idempotency_key",
    "list_alerts",
    "list_subscriptions",
    "load_config",
    "remove_subscription",
    "retry_alert",
    "run_alerts",
    "settings_table",
    "sign",
    "story_status",
]
