"""Subscriptions: who wants which stories, through which channel, and what they were last told.

A subscription has a *kind* and a *query*:

* ``keywords``: comma-separated alternatives; an alternative matches when all its words occur in the
  story's titles or text (``"dam burst"`` in quotes is a phrase, ``flood*`` a prefix, case is ignored);
* ``entities``: comma-separated names; one matches a person, organisation or place the story names
  (``Brooke`` matches "Helen Brooke"); a name of several words also matches where the text writes it with
  a capital first letter, however the rest is capitalised (``Indian Navy`` matches "the Indian navy");
* ``outlets``: comma-separated outlet names or web hosts; one matches when that outlet carries the story;
* ``story``: a story id to follow; every alert says what is new since the previous one.

Keyword, entity and outlet subscriptions alert once per story, when a matching story is breaking (or, with
``breaking_only`` off, as soon as it matches). A followed story alerts whenever it gains new outlets, new
facts (shared or unique sentences not seen before, paraphrases of a known sentence excepted) or changed
figures; what was seen is kept in ``last_alert_state``, updated in the transaction that records the alert.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from newsfold.alert.breaking import BreakingSettings, BreakingStatus, assess, load_article_times, outlet_key
from newsfold.alert.deliver import record_alert
from newsfold.alert.tables import alerts, ensure_tables, iso, subscriptions
from newsfold.article import Article, Story
from newsfold.errors import ConfigError
from newsfold.readers import host_of
from newsfold.store import Store

__all__ = [
    "CHANNELS",
    "DIGESTS",
    "KINDS",
    "StoryView",
    "Subscription",
    "add_subscription",
    "changes_since",
    "decide",
    "get_subscription",
    "list_subscriptions",
    "load_view",
    "matches",
    "remove_subscription",
    "snapshot",
]

KINDS = ("keywords", "entities", "outlets", "story")
CHANNELS = ("email", "webhook")
DIGESTS = ("none", "hourly", "daily")
# Figures of these kinds say when, not how many: they are not followed for changes.
_UNFOLLOWED_FIGURES = frozenset({"date", "year", "duration"})
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
# A host name of letters (any script: an IDN), digits, dashes and dots; or an IPv4 address.
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.?)+", re.UNICODE)
_SURROGATE = re.compile("[\ud800-\udfff]")
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»", '"'))  # typographic quotes quote as straight ones do
_QUERY_TOKEN = re.compile(r'"([^"]*)"|([^\s,"]+)|(,)')
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Subscription:
    """One subscriber's interest and channel."""

    id: str
    kind: str
    query: str
    channel: str
    target: str
    secret: str | None = field(default=None, repr=False)
    digest: str = "none"
    breaking_only: bool = True
    created_at: str = ""
    last_alert_state: dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def from_row(cls, row: Any) -> Subscription:
        # The table's columns are this record's fields, one for one.
        return cls(**{**row._mapping, "breaking_only": bool(row.breaking_only)})

    def to_dict(self, *, include_secret: bool = False) -> dict[str, Any]:
        """The public JSON shape; the webhook secret only when asked (it is shown once, at creation)."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "query": self.query,
            "channel": self.channel,
            "target": self.target,
            "digest": self.digest,
            "breaking_only": self.breaking_only,
            "created_at": self.created_at,
            "revision": (self.last_alert_state or {}).get("revision") if self.kind == "story" else None,
        }
        if include_secret and self.channel == "webhook":
            data["secret"] = self.secret
        return data


# --- management --------------------------------------------------------------------------------------------
#: Longest subscription query, in characters (once trimmed): every alert pass matches every query.
MAX_QUERY_CHARS = 500


def add_subscription(
    store: Store,
    kind: str,
    query: str,
    channel: str,
    target: str,
    *,
    secret: str | None = None,
    digest: str = "none",
    breaking_only: bool = True,
    now: datetime | None = None,
) -> Subscription:
    """Create a subscription; a webhook without ``secret`` gets a random one (returned here, once).

    Following a story starts from what it says now: the first alert reports what is new after this.
    Raises ``ConfigError`` for an invalid kind, query, channel, target or digest.
    """
    ensure_tables(store)
    kind, channel, digest, query = (
        kind.strip().lower(),
        channel.strip().lower(),
        digest.strip().lower(),
        query.strip(),
    )
    _validate(kind, query, channel, target, digest, secret)
    if channel == "webhook":
        secret = secret or secrets.token_hex(32)
    else:
        secret = None
    state: dict[str, Any] | None = None
    if kind == "story":
        view = load_view(store, query, now=now)
        if view is None:
            raise ConfigError(f"no story {query!r} in this store")
        state = dict(snapshot(view), revision=0)
    sub = Subscription(
        id="sub-" + secrets.token_hex(5),
        kind=kind,
        query=query,
        channel=channel,
        target=target.strip(),
        secret=secret,
        digest=digest,
        breaking_only=breaking_only,
        created_at=iso(now or datetime.now(UTC)),
        last_alert_state=state,
    )
    with store.transaction() as conn:
        conn.execute(subscriptions.insert().values(**asdict(sub)))
    return sub


def _validate(
    kind: str, query: str, channel: str, target: str, digest: str, secret: str | None = None
) -> None:
    fields = (("kind", kind), ("query", query), ("channel", channel), ("target", target), ("secret", secret))
    for name, value in fields:
        found = _SURROGATE.search(value) if value is not None else None
        if found:
            raise ConfigError(
                f"the {name} holds a lone surrogate (\\u{ord(found.group()):04x}), which is not Unicode"
            )
    if len(query) > MAX_QUERY_CHARS:
        raise ConfigError(f"query too long: {len(query):,} characters, at most {MAX_QUERY_CHARS}")
    if kind not in KINDS:
        raise ConfigError(f"subscription kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if channel not in CHANNELS:
        raise ConfigError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    if digest not in DIGESTS:
        raise ConfigError(f"digest must be one of {', '.join(DIGESTS)}, not {digest!r}")
    if kind != "story" and not _alternatives(query):
        raise ConfigError(f"a {kind} subscription needs a query")
    if kind == "story" and not query:
        raise ConfigError("a story subscription needs a story id")
    target = target.strip()
    if channel == "email":
        local, _, domain = target.rpartition("@")
        # RFC 5321's limits: a mail server refuses longer ones, so the alerts could never be delivered.
        if not _EMAIL.fullmatch(target) or len(local) > 64 or len(domain) > 255:
            raise ConfigError(f"not an email address: {target!r}")
        if secret is not None:
            raise ConfigError("a secret signs webhook deliveries; an email subscription has none")
    if channel == "webhook":
        _check_webhook_url(target)
        if secret is not None and not secret.strip():
            raise ConfigError("a webhook secret cannot be blank")


def _check_webhook_url(target: str) -> None:
    """An http(s) URL a request can be sent to: a host of letters, digits, dots and dashes (or an IP
    address in brackets), a port in range, no spaces."""
    error = ConfigError(f"a webhook needs an http(s) URL, not {target!r}")
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in target):
        raise error
    try:
        port = parts.port  # ValueError when out of range or not a number
        host = parts.hostname or ""
    except ValueError:
        raise error from None
    if port == 0 or not (_HOST.fullmatch(host) or _bracketed_ip(parts.netloc, host)):
        raise error


def _bracketed_ip(netloc: str, host: str) -> bool:
    if f"[{host}]" not in netloc:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def get_subscription(store: Store, subscription_id: str) -> Subscription | None:
    ensure_tables(store)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(subscriptions).where(subscriptions.c.id == subscription_id)).first()
    return Subscription.from_row(row) if row else None


def list_subscriptions(store: Store) -> list[Subscription]:
    """Every subscription, oldest first."""
    ensure_tables(store)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(subscriptions).order_by(subscriptions.c.created_at, subscriptions.c.id))
        return [Subscription.from_row(row) for row in rows]


def remove_subscription(store: Store, subscription_id: str) -> bool:
    """Delete a subscription and its alerts (pending ones are never sent); ``False`` if there was none."""
    ensure_tables(store)
    with store.transaction() as conn:
        conn.execute(alerts.delete().where(alerts.c.subscription_id == subscription_id))
        result = conn.execute(subscriptions.delete().where(subscriptions.c.id == subscription_id))
    return result.rowcount > 0


# --- queries -----------------------------------------------------------------------------------------------
@dataclass(slots=True, frozen=True)
class _Term:
    words: tuple[str, ...]
    prefix: bool = False


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _alternatives(query: str) -> list[list[_Term]]:
    """A query's comma-separated alternatives, each a list of terms (quoted phrases kept whole)."""
    groups: list[list[_Term]] = [[]]
    for phrase, word, comma in _QUERY_TOKEN.findall(query.translate(_QUOTES)):
        if comma:
            groups.append([])
            continue
        raw = phrase or word
        prefix = raw.endswith("*")
        words = tuple(_words(raw))
        if words:
            groups[-1].append(_Term(words, prefix))
    return [group for group in groups if group]


def _term_pattern(term: _Term) -> re.Pattern[str]:
    body = " ".join(re.escape(w) for w in term.words)
    return re.compile(r"(?<!\S)" + body + (r"\S*" if term.prefix else r"(?!\S)"))


# --- stories as matching sees them ----------------------------------------------------------------------
class StoryView:
    """One story with its articles and breaking status; the comparison is computed when first needed."""

    def __init__(
        self, story: Story, articles: list[Article], status: BreakingStatus, settings: BreakingSettings
    ) -> None:
        self.story = story
        self.articles = articles
        self.status = status
        self.settings = settings
        self._comparison: Any = None
        self._text: str | None = None

    @property
    def originals(self) -> list[Article]:
        return [a for a in self.articles if not a.duplicate_of]

    @property
    def comparison(self) -> Any:
        if self._comparison is None:
            from newsfold.compare import compare_story

            self._comparison = compare_story(self.story, self.articles)
        return self._comparison

    @property
    def texts(self) -> list[str]:
        """The story's title, then each original article's title and clean text, as written."""
        return [self.story.title or ""] + [f"{a.title or ''}\n{a.clean_text}" for a in self.originals]

    @property
    def text(self) -> str:
        """Titles and texts as space-separated folded words, for keyword matching."""
        if self._text is None:
            self._text = " " + " ".join(_words(" ".join(self.texts))) + " "
        return self._text

    def outlets(self, *, copies: bool = False) -> list[str]:
        """Distinct outlets in arrival order; copies' outlets only when asked."""
        found: dict[str, str] = {}
        for article in self.articles if copies else self.originals:
            name = outlet_key(article.source, article.url)
            if name:
                found.setdefault(name.casefold(), name)
        return list(found.values())

    def payload(self) -> dict[str, Any]:
        """The story part of an alert."""
        story = self.story
        return {
            "id": story.id,
            "title": story.title,
            "outlets": self.outlets(),
            "article_count": len(self.articles),
            "first_seen": story.first_seen.isoformat() if story.first_seen else None,
            "last_seen": story.last_seen.isoformat() if story.last_seen else None,
            "summary": list(self.comparison.summary),
            "articles": [
                {
                    "id": a.id,
                    "source": a.source,
                    "title": a.title,
                    "url": a.url,
                    "published": a.published.isoformat() if a.published else None,
                    "duplicate_of": a.duplicate_of,
                }
                for a in self.articles
            ],
        }

    def breaking_payload(self) -> dict[str, Any]:
        data = self.status.to_dict()
        data.pop("story_id", None)
        data.pop("title", None)
        data.update(window_hours=self.settings.window_hours, min_outlets=self.settings.min_outlets)
        return data


def load_view(
    store: Store, story_id: str, *, now: datetime | None = None, settings: BreakingSettings | None = None
) -> StoryView | None:
    """A story as matching sees it, or ``None`` if the store has no such story."""
    settings = settings or BreakingSettings()
    story = store.get_story(story_id)
    if story is None:
        return None
    members = list(store.iter_articles(story_id=story_id))
    with store.engine.connect() as conn:
        times = load_article_times(conn, [story_id])[story_id]
    status = assess(story_id, times, now or datetime.now(UTC), settings)
    status.title = story.title
    return StoryView(story, members, status, settings)


# --- matching ----------------------------------------------------------------------------------------------
def matches(sub: Subscription, view: StoryView) -> bool:
    """Whether a story is what ``sub`` asks for (the breaking condition is checked by :func:`decide`)."""
    if sub.kind == "story":
        return view.story.id == sub.query
    if sub.kind == "keywords":
        text = view.text
        return any(all(_term_pattern(t).search(text) for t in group) for group in _alternatives(sub.query))
    if sub.kind == "outlets":
        return _matches_outlets(sub.query, view)
    if sub.kind == "entities":
        return _matches_entities(sub.query, view)
    return False


def _outlet_norm(name: str) -> str:
    return " ".join(name.casefold().split()).removeprefix("www.")


def _matches_outlets(query: str, view: StoryView) -> bool:
    wanted = {_outlet_norm(name) for name in query.split(",") if name.strip()}
    have = {_outlet_norm(name) for name in view.outlets(copies=True)}
    have |= {host for a in view.articles if (host := host_of(a.url))}
    return bool(wanted & have)


def _matches_entities(query: str, view: StoryView) -> bool:
    wanted = [_words(name) for name in query.split(",") if _words(name)]
    names: list[set[str]] = []
    for group in view.comparison.entities:
        names.append(set(_words(group.name)))
        names.extend(set(_words(alias)) for alias in group.aliases)
    if any(set(want) <= have for want in wanted for have in names):
        return True
    # Outlets capitalise names differently ("the Indian navy", "Indian Navy"), and the comparison's names
    # are runs of capitalised words: a name of several words also matches where the text writes it whole
    # with a capital first letter.
    several = [want for want in wanted if len(want) > 1]
    texts = view.texts if several else []
    return any(_named_in(want, texts) for want in several)


def _named_in(words: list[str], texts: list[str]) -> bool:
    pattern = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)
    return any(m.group(0)[:1].isupper() for text in texts for m in pattern.finditer(text))


# --- followed stories --------------------------------------------------------------------------------------
def _fingerprint(sentence: str) -> str:
    return hashlib.sha1(" ".join(_words(sentence)).encode()).hexdigest()[:16]


def _fact_groups(view: StoryView) -> list[tuple[str, set[str]]]:
    """Each fact as (display text, fingerprints of every wording of it)."""
    comparison = view.comparison
    groups = [
        (fact.text, {_fingerprint(fact.text)} | {_fingerprint(v) for v in fact.variants.values()})
        for fact in comparison.shared
    ]
    for sentences in comparison.unique.values():
        groups.extend((sentence, {_fingerprint(sentence)}) for sentence in sentences)
    # A point outlets report in different words or figures: each wording is news of its own ("the number
    # killed has risen to three" beside "three were taken to hospital").
    for fact in comparison.related:
        groups.extend((variant, {_fingerprint(variant)}) for variant in fact.variants.values())
    # A page's headline often opens its text; a new headline is not a new fact.
    titles = {_fingerprint(a.title) for a in view.articles if a.title}
    return [(text, prints) for text, prints in groups if not prints <= titles]


def _figures(view: StoryView) -> dict[str, dict[str, Any]]:
    from newsfold.compare.figures import compare_figures, figures_of

    pairs = [(a.id, a.clean_text) for a in view.originals]
    found: dict[str, dict[str, Any]] = {}
    for group in compare_figures(figures_of(pairs)):
        if group.kind in _UNFOLLOWED_FIGURES:
            continue
        key = f"{group.kind}|{group.counts}|{group.verb or ''}"
        entry = found.setdefault(
            key, {"what": f"{group.counts} ({group.verb})" if group.verb else group.counts, "values": set()}
        )
        entry["values"].update(f"{v.value:g}" for v in group.variants)
    return {key: {"what": e["what"], "values": sorted(e["values"])} for key, e in sorted(found.items())}


def snapshot(view: StoryView) -> dict[str, Any]:
    """What a followed story says now: its outlets, fact fingerprints, figures and original articles."""
    facts = set().union(*(prints for _, prints in _fact_groups(view))) if view.originals else set()
    return {
        "outlets": view.outlets(),
        "facts": sorted(facts),
        "figures": _figures(view),
        "article_ids": [a.id for a in view.originals],
    }


def changes_since(state: dict[str, Any], view: StoryView) -> dict[str, Any]:
    """What is new in ``view`` since ``state``: outlets, facts and changed figures (empty lists if nothing)."""
    known_outlets = {o.casefold() for o in state.get("outlets", [])}
    seen = set(state.get("facts", []))
    old_figures = state.get("figures", {})
    new_outlets = [o for o in view.outlets() if o.casefold() not in known_outlets]
    new_facts = [text for text, prints in _fact_groups(view) if not prints & seen]
    changed = []
    for key, figure in _figures(view).items():
        before = old_figures.get(key)
        if before is None:
            continue  # a figure of a new fact, which the facts already report
        added = sorted(set(figure["values"]) - set(before["values"]))
        if added:
            changed.append({"what": figure["what"], "before": before["values"], "after": figure["values"]})
    return {"outlets": new_outlets, "facts": new_facts, "figures": changed}


# --- decisions ---------------------------------------------------------------------------------------------
def decide(store: Store, sub: Subscription, view: StoryView, now: datetime) -> int | None:
    """Decide whether ``sub`` gets an alert about ``view``; if so, record it in the outbox and return its id.

    The alert row and, for a followed story, the subscription's new state are written in one transaction.
    Deciding again (a restart, another process) finds the same idempotency key and records nothing.
    """
    if not matches(sub, view):
        return None
    if sub.kind == "story":
        return _decide_update(store, sub, view, now)
    if sub.breaking_only and not view.status.breaking:
        return None
    payload = _payload(sub, view, "breaking" if view.status.breaking else "story", revision=0)
    try:
        with store.transaction() as conn:
            return record_alert(
                conn,
                subscription_id=sub.id,
                digest=sub.digest,
                story_id=view.story.id,
                revision=0,
                payload=payload,
                now=now,
            )
    except sa.exc.IntegrityError:
        return None  # another process recorded this very alert a moment ago


def _decide_update(store: Store, sub: Subscription, view: StoryView, now: datetime) -> int | None:
    state = sub.last_alert_state or {"revision": 0}
    if {a.id for a in view.originals} <= set(state.get("article_ids", [])):
        return None  # nothing but copies since the last look
    new = changes_since(state, view)
    revision = int(state.get("revision", 0))
    next_state = dict(snapshot(view), revision=revision)
    found = any(new.values())
    if found:
        next_state["revision"] = revision + 1
    try:
        with store.transaction() as conn:
            current = conn.execute(
                sa.select(subscriptions.c.last_alert_state).where(subscriptions.c.id == sub.id)
            ).scalar()
            if current is not None and int(current.get("revision", 0)) != revision:
                return None  # another process decided from a newer state
            alert_id = None
            if found:
                payload = _payload(sub, view, "update", revision=revision + 1, new=new)
                alert_id = record_alert(
                    conn,
                    subscription_id=sub.id,
                    digest=sub.digest,
                    story_id=view.story.id,
                    revision=revision + 1,
                    payload=payload,
                    now=now,
                )
            conn.execute(
                subscriptions.update().where(subscriptions.c.id == sub.id).values(last_alert_state=next_state)
            )
    except sa.exc.IntegrityError:
        return None
    sub.last_alert_state = next_state
    return alert_id


def _payload(
    sub: Subscription, view: StoryView, kind: str, *, revision: int, new: dict[str, Any] | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": kind,
        "revision": revision,
        "subscription": {"id": sub.id, "kind": sub.kind, "query": sub.query},
        "story": view.payload(),
        "breaking": view.breaking_payload(),
    }
    if new is not None:
        payload["new"] = new
    return payload
