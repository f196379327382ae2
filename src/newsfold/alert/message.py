"""What an alert says: the email message and the webhook body, from stored alert payloads.

Both are built only from the payload stored in the outbox, never from the live store, so a message sent
again after a crash says exactly what the first one said.
"""

from __future__ import annotations

import email.policy
import json
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

__all__ = ["body_json", "email_message", "email_text", "subject", "webhook_body"]

KEY_HEADER = "X-Newsfold-Idempotency-Key"
# Headers unfolded: a folded key header would reach receivers with a leading space.
_POLICY = email.policy.default.clone(max_line_length=998)


def body_json(value: Any) -> bytes:
    """The exact bytes a webhook receives and its signature covers: compact, key-sorted UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def subject(payload: dict[str, Any]) -> str:
    title = payload["story"]["title"] or payload["story"]["id"]
    kind = payload.get("type")
    if kind == "breaking":
        return f"Breaking: {title}"
    if kind == "update":
        return f"Update: {title}"
    return f"New story: {title}"


def _when(value: str | None) -> str:
    if not value:
        return "date unknown"
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return value


def email_text(payload: dict[str, Any]) -> str:
    """The plain-text body for one alert."""
    story = payload["story"]
    lines = [story["title"] or story["id"], ""]
    breaking = payload.get("breaking")
    if payload.get("type") == "breaking" and breaking:
        hours = breaking.get("window_hours")
        lines.append(
            f"Breaking: {breaking['outlet_count']} outlets reported this story"
            + (f" in the last {hours:g} hours" if hours else "")
            + f" (score {breaking['score']:.2f})."
        )
        lines.append("")
    new = payload.get("new")
    if payload.get("type") == "update" and new:
        lines.append(f"New since the last alert (revision {payload.get('revision')}):")
        if new.get("outlets"):
            lines.append("  New outlets: " + ", ".join(new["outlets"]))
        if new.get("facts"):
            lines.append("  New facts:")
            lines.extend(f"  - {fact}" for fact in new["facts"])
        if new.get("figures"):
            lines.append("  Changed figures:")
            for figure in new["figures"]:
                before = ", ".join(figure["before"]) or "none"
                lines.append(f"  - {figure['what']}: {', '.join(figure['after'])} (was {before})")
        lines.append("")
    if story.get("summary"):
        lines.append("Summary")
        lines.extend(f"  {sentence}" for sentence in story["summary"])
        lines.append("")
    lines.append(f"Outlets: {', '.join(story.get('outlets') or []) or 'unknown'}")
    lines.append("Articles:")
    for article in story.get("articles") or []:
        copy = f" (copy of {article['duplicate_of']})" if article.get("duplicate_of") else ""
        lines.append(
            f"  - {article.get('source') or 'unknown'}, {_when(article.get('published'))}: "
            f"{article.get('title') or article['id']}{copy}"
        )
        if article.get("url"):
            lines.append(f"    {article['url']}")
    sub = payload["subscription"]
    lines += [
        "",
        f"Story {story['id']}. You receive this because of subscription {sub['id']} ({sub['kind']}: {sub['query']}).",
    ]
    return "\n".join(lines) + "\n"


def email_message(
    payloads: Sequence[dict[str, Any]],
    *,
    to: str,
    sender: str,
    key: str,
    digest: bool = False,
    sent: datetime | None = None,
) -> EmailMessage:
    """One email for one alert, or for a digest of several; its Message-ID is derived from ``key``.

    An alert is dated when it was raised; a digest when it is ``sent`` (the end of its period), not by its
    last alert."""
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = to
    domain = sender.rpartition("@")[2].strip(" >") or "newsfold.invalid"
    # Receivers and mail stores drop a second message with the same Message-ID: the resend after a crash.
    message["Message-ID"] = f"<{key}@{domain}>"
    message[KEY_HEADER] = key
    created = payloads[-1].get("created_at")
    if (digest or len(payloads) > 1) and sent is not None:
        message["Date"] = format_datetime(sent)
    elif created:
        message["Date"] = format_datetime(datetime.fromisoformat(created))
    if digest or len(payloads) > 1:
        count = len(payloads)
        message["Subject"] = f"newsfold digest: {count} alert{'s' if count != 1 else ''}"
        parts = [f"{i}. {subject(p)}\n\n{email_text(p)}" for i, p in enumerate(payloads, 1)]
        message.set_content(("\n" + "-" * 72 + "\n\n").join(parts))
    else:
        message["Subject"] = subject(payloads[0])
        message.set_content(email_text(payloads[0]))
    return message


def webhook_body(
    payloads: Sequence[dict[str, Any]], *, key: str, digest_key: str | None = None
) -> tuple[str, bytes]:
    """The event name and the exact JSON bytes to POST: one alert as is, or a digest wrapping several."""
    if digest_key is None:
        payload = payloads[0]
        return str(payload.get("type", "alert")), body_json(payload)
    body = {
        "type": "digest",
        "idempotency_key": key,
        "subscription": payloads[0]["subscription"],
        "period_end": digest_key.partition("|")[2],
        "alerts": list(payloads),
    }
    return "digest", body_json(body)
