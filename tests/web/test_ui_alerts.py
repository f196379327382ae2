"""The live-news pages of the web UI: breaking stories by score, and subscriptions managed with plain forms.

Forms are posted as a browser posts them (URL-encoded, ``Accept: text/html``); the subscriptions they make
or delete are checked through ``/api/subscriptions``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsfold.alert import get_subscription
from newsfold.web.schemas import MAX_QUERY_CHARS
from newsfold.web.ui import mask_target

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
EMAIL = {"kind": "keywords", "query": "dam lowmere", "channel": "email", "target": "reader@example.org"}
WEBHOOK = {
    "kind": "entities",
    "query": "Helen Brooke",
    "channel": "webhook",
    "target": "https://hooks.example/newsfold",
}


def ago(now: datetime, minutes: float) -> str:
    return (now - timedelta(minutes=minutes)).isoformat()


def landslide(now: datetime) -> list[dict[str, Any]]:
    """Three outlets' own reports of one landslide, published 40, 25 and 10 minutes ago (written here)."""
    return [
        {
            "id": "slide-valley",
            "source": "Valley Courier",
            "title": "Landslide cuts Glenmoor railway line",
            "published": ago(now, 40),
            "text": "A landslide buried the Glenmoor mountain railway line on Thursday morning, trapping a "
            "passenger train with 86 people on board in the Ardle valley, the rail operator said.\n\n"
            "Rescue teams reached the train shortly after noon and began leading passengers along the track "
            "to the village of Kinross Bridge.\n\n"
            "Highland Rail said nobody had been seriously hurt but the line would stay closed for at least a "
            "week while engineers cleared the debris.",
        },
        {
            "id": "slide-herald",
            "source": "Northern Herald",
            "title": "Train trapped by landslide in Ardle valley",
            "published": ago(now, 25),
            "text": "A passenger train carrying 86 people was trapped when a landslide buried the Glenmoor "
            "mountain railway in the Ardle valley on Thursday.\n\n"
            "Rescue teams walked the passengers along the track to Kinross Bridge, where the village hall "
            "was opened to give them shelter.\n\n"
            "Highland Rail said the line would be closed for at least a week and that buses would replace "
            "trains.",
        },
        {
            "id": "slide-radio",
            "source": "Radio Ardle",
            "title": "Glenmoor line closed after landslide",
            "published": ago(now, 10),
            "text": "The Glenmoor mountain railway is closed after a landslide buried the line in the Ardle "
            "valley on Thursday, trapping a train with 86 passengers.\n\n"
            "All the passengers were led to safety in Kinross Bridge by rescue teams, and none was seriously "
            "hurt, Highland Rail said.\n\n"
            "Engineers expect the clear-up to take at least a week.",
        },
    ]


def warehouse_fire(now: datetime) -> list[dict[str, Any]]:
    """Three outlets' reports of another event, published five to four hours ago: breaking, lower score."""
    return [
        {
            "id": "fire-gazette",
            "source": "Port Gazette",
            "title": "Warehouse fire at Saltmarsh docks",
            "published": ago(now, 300),
            "text": "A fire destroyed a timber warehouse at Saltmarsh docks overnight, sending black smoke "
            "across the harbour and forcing the closure of the coast road.\n\n"
            "Forty firefighters with eight engines fought the blaze, which started just after 2am, the "
            "county fire service said.\n\n"
            "Nobody was injured. The cause of the fire is being investigated.",
        },
        {
            "id": "fire-echo",
            "source": "Coast Echo",
            "title": "Blaze destroys Saltmarsh timber warehouse",
            "published": ago(now, 270),
            "text": "Eight fire engines and forty firefighters were sent to Saltmarsh docks overnight after a "
            "blaze broke out in a timber warehouse.\n\n"
            "Smoke drifted across the harbour and the coast road was closed until the morning, the county "
            "fire service said.\n\n"
            "No injuries were reported and investigators are looking into the cause of the fire.",
        },
        {
            "id": "fire-fm",
            "source": "Harbour FM",
            "title": "Saltmarsh docks fire: coast road reopens",
            "published": ago(now, 240),
            "text": "The coast road has reopened after a fire destroyed a timber warehouse at Saltmarsh docks "
            "overnight.\n\n"
            "The county fire service said forty firefighters had tackled the blaze, and that nobody was "
            "injured.\n\n"
            "The cause of the fire is being investigated.",
        },
    ]


def page(client: TestClient, path: str, **params: Any) -> str:
    response = client.get(path, params=params or None, headers=HTML)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def text_of(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def post_form(client: TestClient, path: str, data: dict[str, str] | None = None, **headers: str) -> Any:
    return client.post(path, data=data or {}, headers=HTML | headers, follow_redirects=False)


def api_subscriptions(client: TestClient) -> list[dict[str, Any]]:
    # The token some tests give the server: the API lists subscriptions only with it then.
    response = client.get("/api/subscriptions", headers={"authorization": "Bearer t0ken"})
    assert response.status_code == 200
    return response.json()


def ingest(client: TestClient, records: list[dict[str, Any]]) -> str:
    results = client.post("/api/articles", json=records).json()["results"]
    assert [r["status"] for r in results] == ["stored"] * len(records), results
    (story_id,) = {r["story_id"] for r in results}
    return story_id


# --- pages -----------------------------------------------------------------------------------------------
def test_pages_render_light_and_script_free(client: TestClient) -> None:
    client.post("/subscriptions", data=EMAIL)
    (sub,) = api_subscriptions(client)
    for path in (
        "/breaking",
        "/subscriptions",
        f"/subscriptions/{sub['id']}",
        f"/subscriptions/{sub['id']}/delete",
    ):
        response = client.get(path, headers=HTML)
        assert response.status_code == 200, (path, response.text)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "form-action 'self'" in csp and "script-src" not in csp
        markup = response.text
        assert "<script" not in markup and 'rel="stylesheet"' not in markup and " src=" not in markup
        assert len(markup.encode()) < 40_000
        head = client.head(path)
        assert head.status_code == 200 and head.headers["content-type"].startswith("text/html")


def test_header_links_to_breaking_and_subscriptions(client: TestClient) -> None:
    for path in ("/", "/breaking", "/subscriptions"):
        markup = page(client, path)
        assert '<a href="/breaking"' in markup and '<a href="/subscriptions"' in markup
    assert '<a href="/breaking" aria-current="page">' in page(client, "/breaking")
    assert '<a href="/subscriptions" aria-current="page">' in page(client, "/subscriptions")
    # Error pages keep the header too.
    missing = client.get("/nothing", headers=HTML)
    assert missing.status_code == 404 and '<a href="/breaking"' in missing.text


def test_breaking_page_lists_breaking_stories_by_score(client: TestClient) -> None:
    assert "No story is breaking now" in text_of(page(client, "/breaking"))
    now = datetime.now(UTC)
    slide = ingest(client, landslide(now))
    fire = ingest(client, warehouse_fire(now))
    assert slide != fire
    found = {b["story_id"]: b for b in client.get("/api/breaking").json()}
    assert set(found) == {slide, fire}
    assert found[slide]["score"] > found[fire]["score"]  # fresher and quicker to spread

    markup = page(client, "/breaking")
    items = re.findall(r"<li>(.*?)</li>", markup, re.S)
    assert [re.search(r'href="/stories/([^"]+)"', item).group(1) for item in items] == [slide, fire]  # type: ignore[union-attr]
    first = text_of(items[0])
    assert "Landslide cuts Glenmoor railway line" in first
    assert f"score {found[slide]['score']:.2f}" in first
    assert "3 outlets" in first
    for outlet in ("Valley Courier", "Northern Herald", "Radio Ardle"):
        assert outlet in first
    first_at = datetime.fromisoformat(found[slide]["outlets"][0]["at"]).strftime("%Y-%m-%d %H:%M UTC")
    last_at = datetime.fromisoformat(found[slide]["outlets"][-1]["at"]).strftime("%Y-%m-%d %H:%M UTC")
    assert f"first report {first_at}" in first and f"last report {last_at}" in first
    assert 'href="/articles/slide-valley"' in items[0]
    # limit, as in the API.
    only = page(client, "/breaking", limit=1)
    assert f'href="/stories/{slide}"' in only and f'href="/stories/{fire}"' not in only


# --- subscribing and unsubscribing ---------------------------------------------------------------------------
def test_add_and_delete_with_the_forms(client: TestClient) -> None:
    form = page(client, "/subscriptions")
    assert "No subscriptions yet" in text_of(form)
    for field in ('<select name="kind">', 'name="query"', '<select name="channel">', 'name="target"'):
        assert field in form
    assert '<select name="digest">' in form and 'type="checkbox" name="any_story"' in form
    assert 'name="token"' not in form  # the server has no write token

    response = post_form(client, "/subscriptions", EMAIL | {"digest": "daily", "any_story": "on"})
    assert response.status_code == 303 and response.headers["location"] == "/subscriptions"
    (sub,) = api_subscriptions(client)
    assert {k: sub[k] for k in ("kind", "query", "channel", "target", "digest", "breaking_only")} == {
        **EMAIL,
        "digest": "daily",
        "breaking_only": False,
    }
    listed = page(client, "/subscriptions")
    assert f'href="/subscriptions/{sub["id"]}"' in listed
    visible = text_of(listed)
    assert "keywords : dam lowmere" in visible and "reader@example.org" in visible
    assert "daily digest" in visible and "any matching story" in visible
    assert f'action="/subscriptions/{sub["id"]}/delete"' in listed

    one = text_of(page(client, f"/subscriptions/{sub['id']}"))
    assert sub["id"] in one and "reader@example.org" in one
    assert f"Delete subscription {sub['id']}?" in text_of(page(client, f"/subscriptions/{sub['id']}/delete"))

    response = post_form(client, f"/subscriptions/{sub['id']}/delete")
    assert response.status_code == 303 and response.headers["location"] == "/subscriptions"
    assert api_subscriptions(client) == []
    assert client.get(f"/subscriptions/{sub['id']}", headers=HTML).status_code == 404
    # Following the redirect as a browser does lands on the list.
    followed = client.post("/subscriptions", data=EMAIL, headers=HTML)
    assert followed.status_code == 200 and "dam lowmere" in followed.text


def test_a_followed_story_links_to_it(client: TestClient, seed_story_id: str) -> None:
    response = post_form(client, "/subscriptions", {**EMAIL, "kind": "story", "query": seed_story_id})
    assert response.status_code == 303
    (sub,) = api_subscriptions(client)
    assert sub["kind"] == "story" and sub["query"] == seed_story_id
    assert f'href="/stories/{seed_story_id}"' in page(client, f"/subscriptions/{sub['id']}")


def test_a_followed_story_alerts_on_every_update_not_only_breaking(
    client: TestClient, seed_story_id: str
) -> None:
    assert (
        post_form(client, "/subscriptions", {**EMAIL, "kind": "story", "query": seed_story_id}).status_code
        == 303
    )
    assert post_form(client, "/subscriptions", {**EMAIL, "query": "flood"}).status_code == 303
    follow, keywords = api_subscriptions(client)
    one = text_of(page(client, f"/subscriptions/{follow['id']}"))
    assert "every update of the story" in one and "breaking stories only" not in one
    assert "every update of the story" in text_of(page(client, f"/subscriptions/{follow['id']}/delete"))
    items = re.findall(r"<li>(.*?)</li>", page(client, "/subscriptions"), re.S)
    assert len(items) == 2
    assert "every update of the story" in text_of(items[0]) and "breaking" not in text_of(items[0])
    assert "breaking stories only" in text_of(items[1]) and keywords["id"] in items[1]


def test_the_webhook_secret_is_shown_once(client: TestClient) -> None:
    response = post_form(client, "/subscriptions", WEBHOOK)
    assert response.status_code == 201 and response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    (sub,) = api_subscriptions(client)
    assert "secret" not in sub
    assert response.headers["location"] == f"/subscriptions/{sub['id']}"
    stored = get_subscription(client.app.state.service.store, sub["id"])  # type: ignore[attr-defined]
    assert stored is not None and stored.secret and re.fullmatch(r"[0-9a-f]{64}", stored.secret)
    assert f"<code>{stored.secret}</code>" in response.text
    assert "shown only this once" in text_of(response.text)
    for path in ("/subscriptions", f"/subscriptions/{sub['id']}"):
        assert stored.secret not in page(client, path)


# --- write token ---------------------------------------------------------------------------------------------
def test_a_write_token_is_required_when_set(make_client: Callable[..., TestClient]) -> None:
    client = make_client(token="t0ken")
    form = page(client, "/subscriptions")
    assert '<input type="password" name="token"' in form

    for given, message in (({}, "fill in the token field"), ({"token": "wrong"}, "invalid write token")):
        response = post_form(client, "/subscriptions", EMAIL | given)
        assert response.status_code == 401 and response.headers["content-type"].startswith("text/html")
        assert "unauthorized" in response.text and message in response.text
    as_json = client.post("/subscriptions", data=EMAIL)
    assert as_json.status_code == 401 and as_json.json()["error"]["code"] == "unauthorized"
    assert api_subscriptions(client) == []

    assert post_form(client, "/subscriptions", EMAIL | {"token": "t0ken"}).status_code == 303
    # A Bearer header, as the API takes it, works too.
    bearer = post_form(client, "/subscriptions", {**EMAIL, "query": "flood"}, authorization="Bearer t0ken")
    assert bearer.status_code == 303
    first, second = api_subscriptions(client)

    # With a token, the list's delete buttons lead to a confirmation page that asks for it.
    listed = page(client, "/subscriptions")
    assert f'<form class="inline" method="get" action="/subscriptions/{first["id"]}/delete">' in listed
    confirm = page(client, f"/subscriptions/{first['id']}/delete")
    assert f'method="post" action="/subscriptions/{first["id"]}/delete"' in confirm
    assert 'name="token"' in confirm
    assert post_form(client, f"/subscriptions/{first['id']}/delete").status_code == 401
    assert post_form(client, f"/subscriptions/{first['id']}/delete", {"token": "nope"}).status_code == 401
    assert len(api_subscriptions(client)) == 2
    assert post_form(client, f"/subscriptions/{first['id']}/delete", {"token": "t0ken"}).status_code == 303
    assert [s["id"] for s in api_subscriptions(client)] == [second["id"]]


SECRET_HOOK = "https://hook-user:hook-pass@hooks.example:8443/newsfold/s3cr3t-path?key=s3cr3t-key"
HIDDEN = ("reader@example.org", "hook-user", "hook-pass", "s3cr3t", "/newsfold")


def test_with_a_token_the_pages_mask_the_targets(make_client: Callable[..., TestClient]) -> None:
    client = make_client(token="t0ken")
    assert post_form(client, "/subscriptions", EMAIL | {"token": "t0ken"}).status_code == 303
    created = post_form(client, "/subscriptions", WEBHOOK | {"target": SECRET_HOOK, "token": "t0ken"})
    assert created.status_code == 201
    email, hook = api_subscriptions(client)  # the API, with the token, has them in full
    assert (email["target"], hook["target"]) == (EMAIL["target"], SECRET_HOOK)
    invalid = post_form(client, "/subscriptions", {**EMAIL, "digest": "weekly", "token": "t0ken"})
    assert invalid.status_code == 400

    pages = {
        "list": page(client, "/subscriptions"),
        "email": page(client, f"/subscriptions/{email['id']}"),
        "hook": page(client, f"/subscriptions/{hook['id']}"),
        "confirm": page(client, f"/subscriptions/{hook['id']}/delete"),
        # The pages answering a post list the others' subscriptions masked too.
        "created": created.text,
        "invalid": re.sub(r'<form class="sub".*?</form>', "", invalid.text, flags=re.S),  # the form echoes
    }
    for name, markup in pages.items():
        for secret in HIDDEN:
            assert secret not in markup, (name, secret)
    for name in ("list", "created", "invalid"):
        visible = text_of(pages[name])
        assert "r***@example.org" in visible and "https://hooks.example:8443/…" in visible, name
        assert "Targets are masked" in visible, name
    assert "email to r***@example.org" in text_of(pages["email"])
    assert "webhook to https://hooks.example:8443/…" in text_of(pages["hook"])
    assert "https://hooks.example:8443/…" in text_of(pages["confirm"])


def test_without_a_token_the_pages_show_the_targets(client: TestClient) -> None:
    assert post_form(client, "/subscriptions", WEBHOOK | {"target": SECRET_HOOK}).status_code == 201
    (hook,) = api_subscriptions(client)
    for path in ("/subscriptions", f"/subscriptions/{hook['id']}"):
        visible = text_of(page(client, path))
        assert SECRET_HOOK in visible and "masked" not in visible, path


@pytest.mark.parametrize(
    ("channel", "target", "shown"),
    [
        ("email", "reader@example.org", "r***@example.org"),
        ("email", "a@b.example", "a***@b.example"),
        ("email", "odd@local@example.org", "o***@example.org"),
        ("email", "no-at-sign", "***"),
        ("webhook", SECRET_HOOK, "https://hooks.example:8443/…"),
        ("webhook", "http://Hooks.Example/path?token=1", "http://hooks.example/…"),
        ("webhook", "https://[2001:db8::1]:9000/x", "https://[2001:db8::1]:9000/…"),
        ("webhook", "https://hooks.example:port/x", "…"),
        ("webhook", "not a url", "…"),
    ],
)
def test_mask_target(channel: str, target: str, shown: str) -> None:
    assert mask_target(channel, target) == shown


# --- bad input -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"query": ""}, "fill in: query"),
        ({"query": "", "target": ""}, "fill in: query, target"),
        ({"target": "not an address"}, "not an email address: 'not an address'"),
        ({"channel": "webhook", "target": "ftp://hooks.example"}, "a webhook needs an http(s) URL"),
        ({"kind": "moods"}, "subscription kind must be one of"),
        ({"digest": "weekly"}, "digest must be one of"),
        ({"kind": "story", "query": "s-nope"}, "no story 's-nope'"),
    ],
)
def test_invalid_input_shows_the_form_again_with_the_error(
    client: TestClient, fields: dict[str, str], message: str
) -> None:
    sent = EMAIL | fields
    response = post_form(client, "/subscriptions", sent)
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    error = re.search(r'<p class="error" role="alert">(.*?)</p>', response.text, re.S)
    assert error and message in text_of(error.group(1))
    # What was typed stays in the form.
    if sent["target"]:
        assert f'name="target" value="{html.escape(sent["target"])}"' in response.text
    if sent["kind"] in ("keywords", "story"):
        assert f"<option selected>{sent['kind']}</option>" in response.text
    assert api_subscriptions(client) == []
    # A client that does not ask for HTML gets the one error shape.
    as_json = client.post("/subscriptions", data=sent)
    assert as_json.status_code == 400
    assert as_json.json()["error"]["code"] == "invalid_subscription"
    assert message in as_json.json()["error"]["message"]


def test_the_form_limits_the_query_length(client: TestClient) -> None:
    assert f'name="query" value="" maxlength="{MAX_QUERY_CHARS}" required' in page(client, "/subscriptions")
    too_long = "x" * (MAX_QUERY_CHARS + 1)
    response = post_form(client, "/subscriptions", {**EMAIL, "query": too_long})
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    error = re.search(r'<p class="error" role="alert">(.*?)</p>', response.text, re.S)
    message = f"query too long: {MAX_QUERY_CHARS + 1} characters, at most {MAX_QUERY_CHARS}"
    assert error and message in text_of(error.group(1))
    as_json = client.post("/subscriptions", data={**EMAIL, "query": "flood " * 20_000})
    assert as_json.status_code == 400 and as_json.json()["error"]["code"] == "invalid_subscription"
    assert "query too long: 119,999 characters" in as_json.json()["error"]["message"]
    assert api_subscriptions(client) == []
    assert post_form(client, "/subscriptions", {**EMAIL, "query": "x" * MAX_QUERY_CHARS}).status_code == 303


def test_only_url_encoded_forms_are_taken(client: TestClient) -> None:
    response = client.post("/subscriptions", json=EMAIL)
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_media_type"
    not_utf8 = client.post(
        "/subscriptions",
        content=b"kind=keywords&query=%ff",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert not_utf8.status_code == 400 and not_utf8.json()["error"]["code"] == "bad_request"
    assert api_subscriptions(client) == []


def test_unknown_subscriptions_are_404(client: TestClient) -> None:
    for path in ("/subscriptions/sub-nope", "/subscriptions/sub-nope/delete"):
        response = client.get(path, headers=HTML)
        assert response.status_code == 404 and "sub-nope" in response.text
    response = post_form(client, "/subscriptions/sub-nope/delete")
    assert response.status_code == 404 and "not found" in response.text


# --- escaping and cross-site requests ------------------------------------------------------------------------
def test_queries_and_targets_are_escaped(client: TestClient) -> None:
    hostile = {
        **WEBHOOK,
        "kind": "keywords",
        "query": f"dam {SCRIPT}",
        "target": f"https://hooks.example/{SCRIPT}",
    }
    assert post_form(client, "/subscriptions", hostile).status_code == 201
    (sub,) = api_subscriptions(client)
    assert sub["query"] == hostile["query"] and sub["target"] == hostile["target"]
    invalid = post_form(client, "/subscriptions", {**EMAIL, "query": SCRIPT, "target": SCRIPT})
    assert invalid.status_code == 400
    pages = {
        "list": page(client, "/subscriptions"),
        "one": page(client, f"/subscriptions/{sub['id']}"),
        "confirm": page(client, f"/subscriptions/{sub['id']}/delete"),
        "invalid": invalid.text,
        "unknown": client.get(f"/subscriptions/{SCRIPT}", headers=HTML).text,
    }
    for name, markup in pages.items():
        assert "<script" not in markup.lower(), name
        assert ESCAPED in markup, name
    assert f"https://hooks.example/{ESCAPED}" in pages["list"]
    assert f'name="query" value="{ESCAPED}"' in pages["invalid"]
    assert 'href="https://hooks.example' not in pages["list"]  # a target is shown, never linked


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"origin": "http://testserver:8080"},
        {"referer": "https://evil.example/page"},
        {"origin": "https://evil.example", "referer": "http://testserver/subscriptions"},
    ],
)
def test_cross_origin_posts_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    response = post_form(client, "/subscriptions", EMAIL, **headers)
    assert response.status_code == 403 and response.headers["content-type"].startswith("text/html")
    assert "forbidden" in response.text and "cross-origin" in response.text
    as_json = client.post("/subscriptions", data=EMAIL, headers=headers)
    assert as_json.status_code == 403 and as_json.json()["error"]["code"] == "forbidden"
    assert api_subscriptions(client) == []

    assert post_form(client, "/subscriptions", EMAIL).status_code == 303
    (sub,) = api_subscriptions(client)
    assert post_form(client, f"/subscriptions/{sub['id']}/delete", **headers).status_code == 403
    assert len(api_subscriptions(client)) == 1


def test_same_origin_posts_are_taken(client: TestClient) -> None:
    same = {"origin": "http://testserver", "referer": "http://testserver/subscriptions"}
    assert post_form(client, "/subscriptions", EMAIL, **same).status_code == 303
    assert (
        post_form(
            client, "/subscriptions", {**EMAIL, "query": "flood"}, referer="http://TESTSERVER/x"
        ).status_code
        == 303
    )
    first, _ = api_subscriptions(client)
    assert (
        post_form(client, f"/subscriptions/{first['id']}/delete", origin="http://testserver:80").status_code
        == 303
    )
    assert len(api_subscriptions(client)) == 1
