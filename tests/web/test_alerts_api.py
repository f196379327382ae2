"""The live-news routes: subscriptions managed over the API, breaking stories, outbox and feeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsfold.web.schemas import MAX_QUERY_CHARS

AUTH = {"Authorization": "Bearer t0ken"}
EMAIL = {"kind": "keywords", "query": "dam lowmere", "channel": "email", "target": "reader@example.org"}
#: Targets of subscriptions on a server with a token, as a subscriber might give them (secrets in the URL).
SECRET_HOOK = "https://hook-user:hook-pass@hooks.example:8443/newsfold/s3cr3t-path?key=s3cr3t-key"


def test_subscription_lifecycle_over_the_api(make_client: Callable[..., TestClient]) -> None:
    client = make_client(token="t0ken")
    body = {
        "kind": "keywords",
        "query": "firearms",
        "channel": "webhook",
        "target": "http://127.0.0.1:9/hook",
    }

    created = client.post("/api/subscriptions", json=body, headers=AUTH)
    assert created.status_code == 201
    sub = created.json()
    assert sub["kind"] == "keywords" and sub["query"] == "firearms" and sub["channel"] == "webhook"
    assert sub["secret"]  # shown once, on creation

    listed = client.get("/api/subscriptions", headers=AUTH).json()
    assert [s["id"] for s in listed] == [sub["id"]]
    assert "secret" not in listed[0] or not listed[0]["secret"]
    assert client.get(f"/api/subscriptions/{sub['id']}", headers=AUTH).json()["target"] == body["target"]

    assert client.delete(f"/api/subscriptions/{sub['id']}").status_code == 401  # writing needs the token
    assert client.delete(f"/api/subscriptions/{sub['id']}", headers=AUTH).json() == {"deleted": sub["id"]}
    assert client.get("/api/subscriptions", headers=AUTH).json() == []
    assert client.get(f"/api/subscriptions/{sub['id']}", headers=AUTH).status_code == 404


def test_breaking_alerts_and_feeds_answer_lists(client: TestClient) -> None:
    # Two outlets in the seeds' story: below the default rule of three distinct outlets, so not breaking.
    assert client.get("/api/breaking").json() == []
    assert client.get("/api/alerts").json() == []
    assert client.get("/api/feeds").json() == []


def test_breaking_follows_the_rule_the_server_was_given(make_client: Callable[..., TestClient]) -> None:
    from newsfold.alert.breaking import BreakingSettings

    # `serve --watch CONFIG` hands the config's [breaking] rule over: one outlet then makes the seeds' story.
    client = make_client(breaking=BreakingSettings(min_outlets=1, window_hours=24 * 365 * 10))
    [story] = client.get("/api/breaking").json()
    assert story["outlet_count"] >= 1
    assert "Suella Braverman" in client.get("/breaking").text


# --- who may read subscribers' targets ------------------------------------------------------------------------
def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401, (response.request.url, response.text)
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"
    assert "example.org" not in response.text and "s3cr3t" not in response.text


def test_with_a_token_reading_subscriptions_and_alerts_needs_it(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(token="t0ken")
    hook = {**EMAIL, "channel": "webhook", "target": SECRET_HOOK}
    ids = [client.post("/api/subscriptions", json=b, headers=AUTH).json()["id"] for b in (EMAIL, hook)]
    guarded = [
        "/api/subscriptions",
        f"/api/subscriptions/{ids[0]}",
        "/api/alerts",
        "/api/alerts?status=failed",
    ]
    for path in guarded:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dDBrZW4="}):
            assert_unauthorized(client.get(path, headers=headers))
        assert client.get(path, headers=AUTH).status_code == 200, path
    # Nothing is told before the token is checked: not whether a subscription exists, nor a bad parameter.
    assert_unauthorized(client.get("/api/subscriptions/sub-nope"))
    assert_unauthorized(client.get("/api/alerts", params={"status": "lost"}))
    assert client.get("/api/subscriptions/sub-nope", headers=AUTH).status_code == 404
    # With the token, the API shows the targets in full.
    listed = client.get("/api/subscriptions", headers=AUTH).json()
    assert {s["target"] for s in listed} == {EMAIL["target"], SECRET_HOOK}
    # Stories, breaking stories and feeds stay open.
    for path in ("/api/stories", "/api/breaking", "/api/feeds"):
        assert client.get(path).status_code == 200, path


def test_without_a_token_subscriptions_and_alerts_stay_open(client: TestClient) -> None:
    sub = client.post("/api/subscriptions", json=EMAIL).json()
    assert client.get("/api/subscriptions").json()[0]["target"] == EMAIL["target"]
    assert client.get(f"/api/subscriptions/{sub['id']}").json()["target"] == EMAIL["target"]
    assert client.get("/api/alerts").status_code == 200


# --- POST /api/subscriptions: the error contract of docs/api.md -------------------------------------------------
def post_raw(
    client: TestClient, content: bytes, content_type: str = "application/json", **headers: str
) -> Any:
    return client.post(
        "/api/subscriptions", content=content, headers={"content-type": content_type} | headers
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "missing: kind, query, channel, target"),
        ({"kind": "keywords", "query": "dam"}, "missing: channel, target"),
        (EMAIL | {"query": None}, "missing: query"),
        (EMAIL | {"kind": "moods"}, "subscription kind must be one of"),
        (EMAIL | {"channel": "pigeon"}, "channel must be one of"),
        (EMAIL | {"digest": "weekly"}, "digest must be one of"),
        (EMAIL | {"query": ""}, "a keywords subscription needs a query"),
        (EMAIL | {"target": "not an address"}, "not an email address"),
        (EMAIL | {"channel": "webhook", "target": "ftp://hooks.example"}, "a webhook needs an http(s) URL"),
        (EMAIL | {"kind": "story", "query": "s-nope"}, "no story 's-nope'"),
        (EMAIL | {"query": 42}, "query must be a string"),
        (EMAIL | {"secret": ["x"]}, "secret must be a string"),
        (EMAIL | {"breaking_only": "no"}, "breaking_only must be true or false"),
        ([EMAIL], "expected a subscription: a JSON object"),
        ("keywords", "expected a subscription: a JSON object"),
    ],
)
def test_invalid_subscriptions_are_400_invalid_subscription(
    client: TestClient, body: Any, message: str
) -> None:
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_subscription" and message in error["message"]
    assert client.get("/api/subscriptions").json() == []


def test_an_invalid_subscription_names_what_was_sent_but_never_the_secret(client: TestClient) -> None:
    body = EMAIL | {"channel": "webhook", "target": "ftp://hooks.example", "secret": "hush"}
    error = client.post("/api/subscriptions", json=body).json()["error"]
    assert error["details"] == {k: v for k, v in body.items() if k != "secret"}
    assert "hush" not in json.dumps(error)


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"{", "application/json", 400, "invalid_json"),
        (b"\xff\xfe{}", "application/json", 400, "invalid_json"),
        (b"[" * 100_000, "application/json", 400, "invalid_json"),
        (json.dumps(EMAIL).encode(), "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b"kind=keywords&query=dam", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (json.dumps(EMAIL).encode(), "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_bodies_are_read_as_post_api_articles_reads_them(
    client: TestClient, content: bytes, content_type: str, status: int, code: str
) -> None:
    response = post_raw(client, content, content_type)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    articles = client.post("/api/articles", content=content, headers={"content-type": content_type})
    assert articles.status_code == status and articles.json()["error"]["code"] == code
    assert client.get("/api/subscriptions").json() == []


def test_json_media_types_are_taken(client: TestClient) -> None:
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = post_raw(client, json.dumps(EMAIL).encode(), content_type)
        assert response.status_code == 201, (content_type, response.text)
    no_type = client.post("/api/subscriptions", content=json.dumps(EMAIL).encode())
    assert no_type.status_code == 415


def test_the_token_is_checked_before_the_body_is_read(make_client: Callable[..., TestClient]) -> None:
    client = make_client(token="t0ken")
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        for content, content_type in (
            (b"{", "application/json"),
            (b"kind=moods", "application/x-www-form-urlencoded"),
            (json.dumps({"kind": "moods"}).encode(), "application/json"),
            (json.dumps(EMAIL | {"query": "x" * 10_000}).encode(), "application/json"),
            (json.dumps(EMAIL).encode(), "application/json"),
        ):
            assert_unauthorized(post_raw(client, content, content_type, **headers))
    assert client.get("/api/subscriptions", headers=AUTH).json() == []
    assert post_raw(client, b"{", **AUTH).json()["error"]["code"] == "invalid_json"


def test_queries_have_a_length_limit(client: TestClient) -> None:
    response = client.post("/api/subscriptions", json=EMAIL | {"query": "flood " * 20_000})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_subscription"
    assert error["message"] == f"query too long: 119,999 characters, at most {MAX_QUERY_CHARS}"
    just = "x" * MAX_QUERY_CHARS
    over = client.post("/api/subscriptions", json=EMAIL | {"query": just + "y"})
    assert over.status_code == 400 and over.json()["error"]["code"] == "invalid_subscription"
    assert client.get("/api/subscriptions").json() == []
    # The limit counts the query as it is stored, trimmed.
    ok = client.post("/api/subscriptions", json=EMAIL | {"query": f"  {just}  "})
    assert ok.status_code == 201 and ok.json()["query"] == just


def test_a_valid_subscription_keeps_its_defaults(client: TestClient) -> None:
    created = client.post("/api/subscriptions", json=EMAIL | {"ignored": "extra fields are ignored"})
    assert created.status_code == 201
    sub = created.json()
    assert sub["digest"] == "none" and sub["breaking_only"] is True and "secret" not in sub
    hook = client.post(
        "/api/subscriptions",
        json=EMAIL
        | {
            "channel": "webhook",
            "target": "https://hooks.example/x",
            "digest": "hourly",
            "breaking_only": False,
        },
    ).json()
    assert hook["digest"] == "hourly" and hook["breaking_only"] is False and len(hook["secret"]) == 64


def test_openapi_describes_the_subscription_body_and_the_token(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    post = paths["/api/subscriptions"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"kind", "query", "channel", "target"}
    assert schema["properties"]["query"]["maxLength"] == MAX_QUERY_CHARS
    assert {"400", "401", "413", "415"} <= set(post["responses"])
    for path in ("/api/subscriptions", "/api/subscriptions/{subscription_id}", "/api/alerts"):
        assert "401" in paths[path]["get"]["responses"], path
