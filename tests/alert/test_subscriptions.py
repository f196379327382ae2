"""Subscriptions: management, matching by keywords/entities/outlets, followed stories, digests."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from servers import DEMO_NOW

from newsfold.alert.deliver import idempotency_key
from newsfold.alert.outbox import list_alerts
from newsfold.alert.subscriptions import (
    add_subscription,
    changes_since,
    decide,
    get_subscription,
    list_subscriptions,
    load_view,
    matches,
    remove_subscription,
)
from newsfold.alert.tables import alerts
from newsfold.article import Article
from newsfold.errors import ConfigError

EMAIL = "reader@example.org"
HOOK = "http://127.0.0.1:9/hook"


# --- management --------------------------------------------------------------------------------------------
def test_add_list_get_and_remove(store):
    email = add_subscription(store, "keywords", " dam ", "email", EMAIL)
    hook = add_subscription(store, "Outlets", "Northern Wire", "WEBHOOK", HOOK, digest="hourly")
    assert email.id.startswith("sub-") and email.id != hook.id
    assert (email.kind, email.query, email.secret, email.digest, email.breaking_only) == (
        "keywords",
        "dam",
        None,
        "none",
        True,
    )
    # A webhook without a secret gets a random one, shown once (to_dict hides it unless asked).
    assert hook.kind == "outlets" and hook.channel == "webhook" and len(hook.secret) == 64
    assert "secret" not in hook.to_dict()
    assert hook.to_dict(include_secret=True)["secret"] == hook.secret
    assert [s.id for s in list_subscriptions(store)] == [email.id, hook.id]
    assert get_subscription(store, hook.id).secret == hook.secret
    assert remove_subscription(store, email.id)
    assert not remove_subscription(store, email.id)
    assert get_subscription(store, email.id) is None
    assert [s.id for s in list_subscriptions(store)] == [hook.id]


def test_given_webhook_secret_is_kept(store):
    assert add_subscription(store, "keywords", "dam", "webhook", HOOK, secret="s3cret").secret == "s3cret"


def test_a_secret_must_mean_something(store):
    with pytest.raises(ConfigError, match="blank"):
        add_subscription(store, "keywords", "dam", "webhook", HOOK, secret="   ")
    with pytest.raises(ConfigError, match="email subscription has none"):
        add_subscription(store, "keywords", "dam", "email", EMAIL, secret="abc")
    assert list_subscriptions(store) == []
    for target in ("http://127.0.0.1:8080/hook", "http://[::1]:9000/hook", "https://bücher.example/hook"):
        assert add_subscription(store, "keywords", "dam", "webhook", target).target == target


@pytest.mark.parametrize(
    ("kind", "query", "channel", "target", "digest", "message"),
    [
        ("topics", "dam", "email", EMAIL, "none", "kind"),
        ("keywords", "dam", "sms", EMAIL, "none", "channel"),
        ("keywords", "dam", "email", "not-an-address", "none", "email address"),
        ("keywords", "dam", "webhook", "ftp://example.org/hook", "none", "http"),
        ("keywords", "dam", "email", EMAIL, "weekly", "digest"),
        ("keywords", " , ", "email", EMAIL, "none", "query"),
        ("story", "s-000000000000", "email", EMAIL, "none", "no story"),
        ("keywords", "dam " * 200, "email", EMAIL, "none", "query too long"),  # the CLI's limit too
        # Addresses no delivery could ever reach: refused now, not retried until given up.
        ("keywords", "dam", "webhook", "https://exa mple.org/hook", "none", "http"),
        ("keywords", "dam", "webhook", "https://example.org:99999/hook", "none", "http"),
        ("keywords", "dam", "webhook", "https://<img src=x>/hook", "none", "http"),
        ("keywords", "dam", "email", "x" * 65 + "@example.org", "none", "email address"),
        ("keywords", "dam\ud800", "email", EMAIL, "none", "lone surrogate"),
    ],
)
def test_invalid_subscriptions_are_refused(store, kind, query, channel, target, digest, message):
    with pytest.raises(ConfigError, match=message):
        add_subscription(store, kind, query, channel, target, digest=digest)
    assert list_subscriptions(store) == []


def test_removing_a_subscription_removes_its_pending_alerts(store, ingest_demo):
    ingest_demo()
    sub = add_subscription(store, "keywords", "dam", "email", EMAIL)
    view = load_view(store, store.get_article("gazette-harwick-dam").story_id, now=DEMO_NOW)
    assert decide(store, sub, view, DEMO_NOW) is not None
    remove_subscription(store, sub.id)
    assert list_alerts(store) == []


# --- matching ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "query", "expected"),
    [
        ("keywords", "dam", True),
        ("keywords", "DAM lowmere", True),  # every word of an alternative, any case
        ("keywords", "dam library", False),
        ("keywords", "library, spillway", True),  # any alternative
        ("keywords", '"dam burst"', False),  # a phrase, not two words
        ("keywords", '"harwick reservoir dam"', True),
        ("keywords", "spill*", True),  # "spillway"
        ("keywords", "spill", False),  # a word is a whole word
        ("keywords", "da", False),
        ("entities", "Helen Brooke", True),
        ("entities", "brooke", True),
        ("entities", "Priya Natarajan", False),
        ("entities", "Nobody Here, Northdale Water", True),
        (
            "entities",
            "Harwick Reservoir Dam",
            True,
        ),  # written "Harwick Reservoir dam": a name however capitalised
        ("entities", "Dam Collapsed", False),  # only ever in lower case ("the dam collapsed"): no name
        ("outlets", "Northern Wire", True),
        ("outlets", "northern   wire", True),
        ("outlets", "valley radio news", True),  # a copy still means the outlet carries the story
        ("outlets", "127.0.0.1", True),  # a host
        ("outlets", "The Times", False),
    ],
)
def test_matching(store, ingest_demo, kind, query, expected):
    dam = ingest_demo()
    sub = add_subscription(store, kind, query, "email", EMAIL)
    assert matches(sub, load_view(store, dam, now=DEMO_NOW)) is expected


def test_a_followed_story_matches_only_itself(store, ingest_demo):
    dam = ingest_demo()
    library = store.get_article("gazette-library").story_id
    sub = add_subscription(store, "story", dam, "email", EMAIL)
    assert matches(sub, load_view(store, dam))
    assert not matches(sub, load_view(store, library))


# --- deciding ----------------------------------------------------------------------------------------------
def test_breaking_only_waits_for_the_story_to_break_then_alerts_once(store, ingest_demo):
    dam = ingest_demo("gazette-harwick-dam", "wire-harwick-collapse")
    sub = add_subscription(store, "keywords", "dam", "email", EMAIL)
    assert decide(store, sub, load_view(store, dam, now=DEMO_NOW), DEMO_NOW) is None  # two outlets
    ingest_demo("courier-harwick-explainer")
    view = load_view(store, dam, now=DEMO_NOW)
    alert_id = decide(store, sub, view, DEMO_NOW)
    assert alert_id is not None
    # Deciding again (a restart, another process, a later article) records nothing new.
    assert decide(store, sub, view, DEMO_NOW) is None
    ingest_demo("valley-dam-collapse")
    assert decide(store, sub, load_view(store, dam, now=DEMO_NOW), DEMO_NOW + timedelta(minutes=5)) is None
    [alert] = list_alerts(store)
    assert alert.id == alert_id
    assert alert.idempotency_key == idempotency_key(sub.id, dam, 0)
    payload = alert.payload
    assert payload["type"] == "breaking"
    assert payload["idempotency_key"] == alert.idempotency_key
    assert payload["subscription"] == {"id": sub.id, "kind": "keywords", "query": "dam"}
    assert payload["story"]["id"] == dam
    assert payload["story"]["outlets"] == ["Lowmere Gazette", "Northern Wire", "The Daily Courier"]
    assert payload["story"]["summary"]
    assert payload["breaking"]["outlet_count"] == 3 and payload["breaking"]["score"] > 0
    assert payload["breaking"]["window_hours"] == 6


def test_without_breaking_only_a_matching_story_alerts_at_once(store, ingest_demo):
    ingest_demo("gazette-library")
    library = store.get_article("gazette-library").story_id
    sub = add_subscription(store, "keywords", "library", "email", EMAIL, breaking_only=False)
    assert decide(store, sub, load_view(store, library, now=DEMO_NOW), DEMO_NOW) is not None
    [alert] = list_alerts(store)
    assert alert.type == "story"


def test_a_non_matching_story_never_alerts(store, ingest_demo):
    dam = ingest_demo()
    sub = add_subscription(store, "keywords", "chess", "email", EMAIL, breaking_only=False)
    assert decide(store, sub, load_view(store, dam, now=DEMO_NOW), DEMO_NOW) is None


def update_article() -> Article:
    """The Gazette's later report: a third death, new details, nothing else."""
    return Article(
        id="gazette-update",
        source="Lowmere Gazette",
        title="Harwick dam: death toll rises to three",
        published=DEMO_NOW,
        text="Three people have now died after the Harwick Reservoir dam collapsed above Lowmere, Northdale Fire "
        "and Rescue Service said on Sunday evening.\n\nRescue crews searching the flooded cottages on Mill Lane "
        "found the body of a man in his seventies.\n\nMayor Helen Brooke said the whole town was in mourning.",
    )


def test_a_followed_story_alerts_with_what_is_new_since_the_last_alert(store, ingest_demo):
    dam = ingest_demo("gazette-harwick-dam", "wire-harwick-collapse")
    sub = add_subscription(store, "story", dam, "webhook", HOOK)
    assert sub.last_alert_state["revision"] == 0
    # Nothing new yet: following starts from what the story says now.
    assert decide(store, sub, load_view(store, dam), DEMO_NOW) is None

    ingest_demo("courier-harwick-explainer")
    first = decide(store, sub, load_view(store, dam), DEMO_NOW)
    assert first is not None
    new = list_alerts(store)[0].payload["new"]
    assert new["outlets"] == ["The Daily Courier"]
    assert any("independent panel of engineers" in fact for fact in new["facts"])
    assert not any(fact.startswith("Lowmere flood: what we know") for fact in new["facts"])  # a headline
    assert get_subscription(store, sub.id).last_alert_state["revision"] == 1

    # A copy adds nothing: no alert, and the state stays at revision 1.
    ingest_demo("valley-dam-collapse")
    assert decide(store, sub, load_view(store, dam), DEMO_NOW) is None

    ingest_demo.pipeline.process(update_article())
    # A restarted process reads the state from the store and sees the same news once.
    reloaded = get_subscription(store, sub.id)
    second = decide(store, reloaded, load_view(store, dam), DEMO_NOW)
    assert second is not None
    assert decide(store, get_subscription(store, sub.id), load_view(store, dam), DEMO_NOW) is None
    latest = list_alerts(store)[0]
    assert latest.revision == 2 and latest.type == "update"
    assert latest.idempotency_key == idempotency_key(sub.id, dam, 2)
    new = latest.payload["new"]
    assert new["outlets"] == []  # the Gazette reported before
    assert any("body of a man in his seventies" in fact for fact in new["facts"])
    assert {"what": "people (kill)", "before": ["2"], "after": ["2", "3"]} in new["figures"]


def test_a_new_wording_of_a_point_reported_before_is_news(store, ingest_demo):
    # The comparison files the new report's figure with the earlier ones (a point reported differently: 450
    # homes, not 400); it is still what the update says that the story did not.
    dam = ingest_demo("gazette-harwick-dam", "wire-harwick-collapse")
    sub = add_subscription(store, "story", dam, "webhook", HOOK)
    lead = "About 450 homes were flooded near the River Lowe"
    ingest_demo.pipeline.process(
        Article(
            id="metro-homes",
            source="Metro Daily",
            title="More homes flooded",
            published=DEMO_NOW,
            text=f"{lead}, some up to the first floor, Northdale Fire and Rescue Service said on Sunday.\n\n"
            "The town's schools stay closed.",
        )
    )
    view = load_view(store, dam)
    assert any(v.startswith(lead) for f in view.comparison.related for v in f.variants.values())
    assert decide(store, sub, view, DEMO_NOW) is not None
    new = list_alerts(store)[0].payload["new"]
    assert any(fact.startswith(lead) for fact in new["facts"]), new["facts"]


def test_changes_since_an_empty_state_reports_everything(store, ingest_demo):
    dam = ingest_demo("gazette-harwick-dam", "wire-harwick-collapse")
    new = changes_since({}, load_view(store, dam))
    assert new["outlets"] == ["Lowmere Gazette", "Northern Wire"]
    assert new["facts"] and new["figures"] == []


def test_digest_alerts_wait_for_the_end_of_their_period(store, ingest_demo):
    dam = ingest_demo()
    hourly = add_subscription(store, "keywords", "dam", "email", EMAIL, digest="hourly")
    daily = add_subscription(store, "keywords", "lowmere", "email", EMAIL, digest="daily")
    now = DEMO_NOW + timedelta(minutes=20)
    view = load_view(store, dam, now=now)
    decide(store, hourly, view, now)
    decide(store, daily, view, now)
    with store.engine.connect() as conn:
        rows = {r.subscription_id: r for r in conn.execute(sa.select(alerts))}
    assert rows[hourly.id].next_attempt_at.startswith("2026-11-22T08:00:00")
    assert rows[hourly.id].digest_key == f"{hourly.id}|2026-11-22T08:00:00.000000+00:00"
    assert rows[daily.id].next_attempt_at.startswith("2026-11-23T00:00:00")


def test_a_missing_story_is_named_without_the_stores_address(store):
    # The store's URL may hold a database password; the message reaches API clients and web pages.
    with pytest.raises(ConfigError) as refused:
        add_subscription(store, "story", "s-000000000000", "email", EMAIL)
    assert "no story 's-000000000000'" in str(refused.value) and store.url not in str(refused.value)
