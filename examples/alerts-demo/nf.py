"""Stand-in for the ``newsfold subscribe / watch / alerts`` commands, over the same library functions.

``demo.sh`` uses the real ``newsfold`` commands when they exist and this script otherwise; the arguments
are the same::

    python nf.py subscribe KIND QUERY (--email ADDRESS | --webhook URL [--secret S]) [--digest D] [--any-story]
    python nf.py watch [--config FILE] [--interval S] [--once] [--force] [FEED_URL ...]
    python nf.py alerts [--status pending|sent|failed]

The store is ``--db``, else ``$NEWSFOLD_DB``, else ./newsfold.db; SMTP settings come from ``NEWSFOLD_SMTP_*``.
"""

from __future__ import annotations

import argparse
import sys

from newsfold.alert import add_subscription, breaking_stories, list_alerts
from newsfold.errors import NewsfoldError
from newsfold.store import open_store
from newsfold.watch import watch_feeds


def subscribe(args: argparse.Namespace) -> None:
    if bool(args.email) == bool(args.webhook):
        raise SystemExit("give exactly one of --email ADDRESS or --webhook URL")
    channel, target = ("email", args.email) if args.email else ("webhook", args.webhook)
    with open_store(args.db) as store:
        sub = add_subscription(
            store,
            args.kind,
            args.query,
            channel,
            target,
            secret=args.secret,
            digest=args.digest,
            breaking_only=not args.any_story,
        )
    print(f"subscription {sub.id}: {sub.kind} {sub.query!r} -> {sub.channel} {sub.target}")
    if sub.channel == "webhook" and not args.secret:
        print(f"webhook secret (shown once): {sub.secret}")


def watch(args: argparse.Namespace) -> None:
    report = watch_feeds(args.db, args.feeds, args.interval, args.once, config=args.config, force=args.force)
    if report is None:
        return
    for feed in report.feeds:
        name = feed.url.rsplit("/", 1)[-1]
        if feed.status == "error":
            print(f"  {feed.status:<12} {name}: {feed.error}")
        elif feed.status == "fetched":
            print(
                f"  {feed.status:<12} {name}: {feed.entries} entries, {feed.ingested} new "
                f"({feed.duplicates} copies), {feed.pages} article pages fetched"
            )
        else:
            print(f"  {feed.status:<12} {name}")
    with open_store(args.db) as store:
        for story in breaking_stories(store):
            outlets = ", ".join(o.outlet for o in story.outlets)
            print(f"  breaking     {story.story_id} score {story.score:.2f}: {story.title} ({outlets})")
    alerts, delivery = report.alerts, report.alerts.delivery
    print(
        f"  alerts       {len(alerts.created)} recorded, {delivery.sent} sent, {delivery.retrying} to retry"
    )


def alerts(args: argparse.Namespace) -> None:
    with open_store(args.db) as store:
        for alert in list_alerts(store, status=args.status):
            print(
                f"  #{alert.id} {alert.status:<7} {alert.type:<8} {alert.subscription_id} {alert.story_id} "
                f"attempts={alert.attempts} key={alert.idempotency_key[:12]}…"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("subscribe")
    p.add_argument("kind", choices=["keywords", "entities", "outlets", "story"])
    p.add_argument("query")
    p.add_argument("--email")
    p.add_argument("--webhook")
    p.add_argument("--secret")
    p.add_argument("--digest", default="none", choices=["none", "hourly", "daily"])
    p.add_argument("--any-story", action="store_true")
    p.set_defaults(run=subscribe)
    p = commands.add_parser("watch")
    p.add_argument("feeds", nargs="*")
    p.add_argument("--config")
    p.add_argument("--interval", type=float)
    p.add_argument("--once", action="store_true")
    p.add_argument("--force", action="store_true")
    p.set_defaults(run=watch)
    p = commands.add_parser("alerts")
    p.add_argument("--status", choices=["pending", "sent", "failed"])
    p.set_defaults(run=alerts)
    args = parser.parse_args()
    try:
        args.run(args)
    except NewsfoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
