"""Deliver alerts exactly once in effect: an outbox row per decision, sent at least once, deduped by key.

:func:`record_alert` inserts the alert in the transaction that decided it, under a unique idempotency key
(hash of subscription, story and alert revision), so a decision is recorded once or not at all.
:class:`Deliverer` then sends every due row and marks it sent only after the channel accepted it. A crash
between insert and send leaves a pending row that the next run sends; a crash between send and mark sends
it again after the claim expires, under the same key (the email's Message-ID, the webhook's
``X-Newsfold-Idempotency-Key``), which receivers use to drop the repeat. Failures are retried with
exponential backoff and jitter up to ``max_attempts``, then the row is marked ``failed`` with its error.

Channels: email by SMTP (STARTTLS when the server offers it or when required; credentials from
``NEWSFOLD_SMTP_*``) and webhooks by an HTTP POST of JSON signed with HMAC-SHA256 over the raw body.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import random as random_module
import smtplib
import ssl
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import sqlalchemy as sa

from newsfold.alert.message import email_message, webhook_body
from newsfold.alert.tables import alerts, ensure_tables, iso, parse_iso, subscriptions
from newsfold.errors import ConfigError, NewsfoldError
from newsfold.store import Store

__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "DeliverySettings",
    "Deliverer",
    "SmtpSettings",
    "digest_period_end",
    "idempotency_key",
    "post_webhook",
    "record_alert",
    "send_email",
    "sign",
]

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
USER_AGENT = "newsfold/0.1 (alerts)"
SIGNATURE_HEADER = "X-Newsfold-Signature"
KEY_HEADER = "X-Newsfold-Idempotency-Key"
TIMESTAMP_HEADER = "X-Newsfold-Timestamp"
EVENT_HEADER = "X-Newsfold-Event"
_STARTTLS = ("auto", "always", "never")
_TRUE = {"1", "true", "yes", "on", "always", "required"}
_FALSE = {"0", "false", "no", "off", "never"}


class DeliveryError(NewsfoldError):
    """One attempt to deliver an alert failed; the alert is retried later."""


@dataclass(slots=True, frozen=True)
class SmtpSettings:
    """Where and how email alerts are sent (``[smtp]`` in the watch config, overridden by ``NEWSFOLD_SMTP_*``)."""

    host: str | None = field(
        default=None, metadata={"help": "SMTP server; email alerts wait until it is set"}
    )
    port: int = field(default=587, metadata={"help": "SMTP port"})
    user: str | None = field(default=None, metadata={"help": "login name; no login when unset"})
    password: str | None = field(
        default=None, repr=False, metadata={"help": "password (only from NEWSFOLD_SMTP_PASSWORD)"}
    )
    sender: str = field(default="newsfold@localhost", metadata={"help": "From address"})
    starttls: str = field(
        default="auto", metadata={"help": "auto: when the server offers it; always: required; never"}
    )
    timeout: float = field(default=30.0, metadata={"help": "seconds for each SMTP operation"})
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.starttls not in _STARTTLS:
            raise ConfigError(f"smtp.starttls must be one of {', '.join(_STARTTLS)}, not {self.starttls!r}")
        if not 0 < self.port < 65536:
            raise ConfigError(f"smtp.port must be a TCP port, not {self.port}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, base: SmtpSettings | None = None) -> SmtpSettings:
        """``base`` (or the defaults) with ``NEWSFOLD_SMTP_HOST/PORT/USER/PASSWORD/FROM/STARTTLS`` applied."""
        env = os.environ if env is None else env
        settings = base or cls()
        changes: dict[str, Any] = {}
        for name, key in (("host", "HOST"), ("user", "USER"), ("password", "PASSWORD"), ("sender", "FROM")):
            value = env.get(f"NEWSFOLD_SMTP_{key}")
            if value:
                changes[name] = value
        port = env.get("NEWSFOLD_SMTP_PORT")
        if port:
            try:
                changes["port"] = int(port)
            except ValueError:
                raise ConfigError(f"NEWSFOLD_SMTP_PORT must be a number, not {port!r}") from None
        starttls = env.get("NEWSFOLD_SMTP_STARTTLS")
        if starttls:
            changes["starttls"] = _starttls_mode(starttls)
        return replace(settings, **changes) if changes else settings


def _starttls_mode(value: str) -> str:
    low = value.strip().lower()
    if low in _STARTTLS:
        return low
    if low in _TRUE:
        return "always"
    if low in _FALSE:
        return "never"
    raise ConfigError(f"NEWSFOLD_SMTP_STARTTLS must be auto, always or never, not {value!r}")


@dataclass(slots=True, frozen=True)
class DeliverySettings:
    """How alerts are retried (``[delivery]`` in the watch config)."""

    max_attempts: int = field(default=8, metadata={"help": "attempts before an alert is marked failed"})
    backoff_seconds: float = field(default=30.0, metadata={"help": "delay before the first retry"})
    max_backoff_seconds: float = field(default=3600.0, metadata={"help": "longest delay between retries"})
    webhook_timeout: float = field(
        default=10.0, metadata={"help": "seconds a webhook receiver has to answer"}
    )
    lease_seconds: float = field(
        default=300.0, metadata={"help": "how long a claimed alert waits before another run may resend it"}
    )
    concurrency: int = field(
        default=8, metadata={"help": "messages sent at once: a receiver that hangs delays only its own"}
    )

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigError(f"delivery.max_attempts must be at least 1, not {self.max_attempts}")
        if self.concurrency < 1:
            raise ConfigError(f"delivery.concurrency must be at least 1, not {self.concurrency}")
        if self.backoff_seconds <= 0 or self.max_backoff_seconds < self.backoff_seconds:
            raise ConfigError("delivery backoff must be positive and max_backoff_seconds >= backoff_seconds")


@dataclass(slots=True)
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "retrying": self.retrying, "failed": self.failed, "waiting": self.waiting}


# --- the outbox --------------------------------------------------------------------------------------------
def idempotency_key(subscription_id: str, story_id: str, revision: int) -> str:
    """The key of one alert: the same subscription, story and revision always give the same key."""
    return hashlib.sha256(f"{subscription_id}\n{story_id}\n{revision}".encode()).hexdigest()


def digest_period_end(digest: str, now: datetime) -> datetime:
    """When the digest period containing ``now`` ends (UTC hours or days)."""
    now = now.astimezone(UTC)
    if digest == "hourly":
        return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if digest == "daily":
        return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    raise ValueError(f"not a digest period: {digest!r}")


def record_alert(
    conn: sa.Connection,
    *,
    subscription_id: str,
    digest: str,
    story_id: str,
    revision: int,
    payload: dict[str, Any],
    now: datetime,
) -> int | None:
    """Insert one alert into the outbox inside the caller's transaction; ``None`` if it already exists.

    The caller's transaction also records the decision (a followed story's new state), so both are
    committed together or not at all. A concurrent insert of the same key raises ``IntegrityError``,
    which rolls the whole decision back: the other process made it.
    """
    key = idempotency_key(subscription_id, story_id, revision)
    exists = conn.execute(sa.select(alerts.c.id).where(alerts.c.idempotency_key == key)).scalar()
    if exists is not None:
        return None
    due, digest_key = now, None
    if digest != "none":
        due = digest_period_end(digest, now)
        digest_key = f"{subscription_id}|{iso(due)}"
    body = dict(payload, idempotency_key=key, created_at=now.isoformat())
    result = conn.execute(
        alerts.insert().values(
            subscription_id=subscription_id,
            story_id=story_id,
            revision=revision,
            idempotency_key=key,
            payload=body,
            status="pending",
            attempts=0,
            next_attempt_at=iso(due),
            digest_key=digest_key,
            created_at=iso(now),
        )
    )
    return int(result.inserted_primary_key[0])


# --- channels ----------------------------------------------------------------------------------------------
SmtpFactory = Callable[..., smtplib.SMTP]


def send_email(
    settings: SmtpSettings, message: EmailMessage, *, smtp_factory: SmtpFactory | None = None
) -> None:
    """Send one message; STARTTLS when offered (``auto``) or required (``always``); login when a user is set."""
    if not settings.host:
        raise DeliveryError("SMTP is not configured: set NEWSFOLD_SMTP_HOST")
    factory = smtp_factory or smtplib.SMTP
    try:
        with factory(settings.host, settings.port, timeout=settings.timeout) as smtp:
            smtp.ehlo()
            if settings.starttls != "never" and smtp.has_extn("starttls"):
                smtp.starttls(context=settings.ssl_context or ssl.create_default_context())
                smtp.ehlo()
            elif settings.starttls == "always":
                raise DeliveryError(f"{settings.host}:{settings.port} does not offer STARTTLS")
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {settings.host}:{settings.port}: {exc}") from exc


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Newsfold-Signature`` value of a webhook: ``sha256=`` + the HMAC-SHA256 hex digest of the
    attempt's ``X-Newsfold-Timestamp``, a dot and the body. Signing the time as well lets a receiver refuse a
    captured request replayed later; the body alone would sign every retry, and every replay, the same."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def post_webhook(
    client: httpx.Client, url: str, *, secret: str, body: bytes, key: str, event: str, timestamp: int
) -> None:
    """POST one signed JSON body; any answer but 2xx is a failure to retry."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
        KEY_HEADER: key,
        TIMESTAMP_HEADER: str(timestamp),
        EVENT_HEADER: event,
    }
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook {url}: {type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"webhook {url}: HTTP {response.status_code}")


# --- delivery ----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Unit:
    """What goes out in one message: one alert, or the alerts of one digest period."""

    subscription_id: str
    ids: list[int]
    digest_key: str | None


class Deliverer:
    """Send due alerts from the outbox through their subscription's channel."""

    def __init__(
        self,
        store: Store,
        *,
        smtp: SmtpSettings | None = None,
        settings: DeliverySettings | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        random: random_module.Random | None = None,
        smtp_factory: SmtpFactory | None = None,
    ) -> None:
        self.store = store
        self.smtp = smtp if smtp is not None else SmtpSettings.from_env()
        self.settings = settings or DeliverySettings()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.random = random or random_module.Random()
        self.smtp_factory = smtp_factory
        self._warned_smtp = False
        self.client = httpx.Client(
            transport=transport, timeout=self.settings.webhook_timeout, follow_redirects=False
        )
        ensure_tables(store)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Deliverer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def deliver_due(self, now: datetime | None = None) -> DeliveryReport:
        """Send every pending alert whose time has come; returns what happened."""
        now = now or self.clock()
        report = DeliveryReport()
        # The store is read and written here, in order; only the sending runs in threads, so that a
        # receiver that hangs until its timeout holds up its own message, not every other one.
        claimed = [c for unit in self._due_units(now) if (c := self._claim_unit(unit, now, report))]
        workers = min(self.settings.concurrency, len(claimed))
        if workers > 1:
            with ThreadPoolExecutor(workers, thread_name_prefix="newsfold-deliver") as pool:
                outcomes = list(pool.map(lambda c: self._try_send(c, now), claimed))
        else:
            outcomes = [self._try_send(c, now) for c in claimed]
        for (_, _, rows), error in zip(claimed, outcomes, strict=True):
            if error is None:
                self._mark_sent([row.id for row in rows], now)
                report.sent += len(rows)
            else:
                self._failed(rows, max(row.attempts for row in rows), error, now, report)
        return report

    def next_due(self) -> datetime | None:
        """When the earliest pending alert is due, or ``None``."""
        with self.store.engine.connect() as conn:
            value = conn.execute(
                sa.select(sa.func.min(alerts.c.next_attempt_at)).where(alerts.c.status == "pending")
            ).scalar()
        return parse_iso(value)

    def _due_units(self, now: datetime) -> list[_Unit]:
        query = (
            sa.select(alerts.c.id, alerts.c.subscription_id, alerts.c.digest_key)
            .where(alerts.c.status == "pending", alerts.c.next_attempt_at <= iso(now))
            .order_by(alerts.c.id)
        )
        units: list[_Unit] = []
        digests: dict[str, _Unit] = {}
        with self.store.engine.connect() as conn:
            for row in conn.execute(query):
                if row.digest_key is None:
                    units.append(_Unit(row.subscription_id, [row.id], None))
                elif row.digest_key in digests:
                    digests[row.digest_key].ids.append(row.id)
                else:
                    digests[row.digest_key] = unit = _Unit(row.subscription_id, [row.id], row.digest_key)
                    units.append(unit)
        return units

    def _claim_unit(
        self, unit: _Unit, now: datetime, report: DeliveryReport
    ) -> tuple[_Unit, Any, list[Any]] | None:
        """The unit's subscription and rows, claimed for this process; ``None`` when it is not to be sent now."""
        with self.store.engine.connect() as conn:
            sub = conn.execute(
                sa.select(subscriptions).where(subscriptions.c.id == unit.subscription_id)
            ).first()
        if sub is None:  # removed meanwhile; its alerts go with it
            return None
        if sub.channel == "email" and not self.smtp.host:
            # Not an attempt: the alert waits, without using up its retries, until SMTP is configured.
            report.waiting += len(unit.ids)
            if not self._warned_smtp:
                log.warning("email alerts wait: SMTP is not configured (set NEWSFOLD_SMTP_HOST)")
                self._warned_smtp = True
            return None
        claimed = self._claim(unit, now)
        if not claimed:
            return None  # another process took it
        return unit, sub, claimed

    def _try_send(self, claimed: tuple[_Unit, Any, list[Any]], now: datetime) -> str | None:
        """Send one claimed unit; the error, or ``None`` when it went out."""
        unit, sub, rows = claimed
        try:
            self._send(sub, [row.payload for row in rows], unit.digest_key, now)
        except DeliveryError as exc:
            return str(exc)
        except Exception as exc:  # a bug must use up attempts like any failure, not retry forever
            log.exception("unexpected error delivering alerts %s", [row.id for row in rows])
            return f"{type(exc).__name__}: {exc}"
        return None

    def _mark_sent(self, ids: list[int], now: datetime) -> None:
        # A crash before this commit resends the alert after its claim expires, under the same key.
        with self.store.transaction() as conn:
            conn.execute(
                alerts.update()
                .where(alerts.c.id.in_(ids))
                .values(status="sent", sent_at=iso(now), last_error=None)
            )

    def _claim(self, unit: _Unit, now: datetime) -> list[Any]:
        """Take the unit's rows for this process: counts the attempt and hides them for ``lease_seconds``."""
        lease = iso(now + timedelta(seconds=self.settings.lease_seconds))
        with self.store.transaction() as conn:
            result = conn.execute(
                alerts.update()
                .where(
                    alerts.c.id.in_(unit.ids),
                    alerts.c.status == "pending",
                    alerts.c.next_attempt_at <= iso(now),
                )
                .values(attempts=alerts.c.attempts + 1, next_attempt_at=lease)
            )
            if result.rowcount == 0:
                return []
            return list(
                conn.execute(
                    sa.select(alerts.c.id, alerts.c.payload, alerts.c.attempts)
                    .where(alerts.c.id.in_(unit.ids), alerts.c.next_attempt_at == lease)
                    .order_by(alerts.c.id)
                )
            )

    def _send(self, sub: Any, payloads: list[dict[str, Any]], digest_key: str | None, now: datetime) -> None:
        if digest_key is None:
            key = payloads[0]["idempotency_key"]
        else:  # the digest's key names what it holds: a later send of part of it is another message
            key = _digest_id(digest_key, [p["idempotency_key"] for p in payloads])
        if sub.channel == "email":
            message = email_message(
                payloads,
                to=sub.target,
                sender=self.smtp.sender,
                key=key,
                digest=digest_key is not None,
                sent=now,
            )
            send_email(self.smtp, message, smtp_factory=self.smtp_factory)
        elif sub.channel == "webhook":
            event, body = webhook_body(payloads, key=key, digest_key=digest_key)
            post_webhook(
                self.client,
                sub.target,
                secret=sub.secret or "",
                body=body,
                key=key,
                event=event,
                timestamp=int(now.timestamp()),
            )
        else:
            raise DeliveryError(f"unknown channel {sub.channel!r}")

    def _failed(
        self, rows: list[Any], attempts: int, error: str, now: datetime, report: DeliveryReport
    ) -> None:
        ids = [row.id for row in rows]
        report.errors.append(error)
        last = self.settings.max_attempts
        if attempts >= last:
            log.warning("alert delivery failed (attempt %d of %d), giving up: %s", attempts, last, error)
            values: dict[str, Any] = {"status": "failed", "last_error": error}
            report.failed += len(ids)
        else:
            log.warning("alert delivery failed (attempt %d of %d), will retry: %s", attempts, last, error)
            delay = min(
                self.settings.backoff_seconds * 2 ** (attempts - 1), self.settings.max_backoff_seconds
            )
            # Jitter spreads the retries of many alerts that failed together (a receiver that was down).
            delay *= self.random.uniform(0.5, 1.0)
            values = {"next_attempt_at": iso(now + timedelta(seconds=delay)), "last_error": error}
            report.retrying += len(ids)
        with self.store.transaction() as conn:
            conn.execute(alerts.update().where(alerts.c.id.in_(ids)).values(**values))


def _digest_id(digest_key: str, alert_keys: list[str]) -> str:
    return hashlib.sha256("\n".join(["digest", digest_key, *sorted(alert_keys)]).encode()).hexdigest()
