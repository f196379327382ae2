"""The live-news routes: subscriptions managed over the API, breaking stories, outbox and feeds."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_subscription_lifecycle_over_the_api(make_client: Callable[..., TestClient]) -> None:
    client = make_client(token="t0ken")
    auth = {"Authorization": "Bearer t0ken"}
    body = {
        "kind": "keywords",
        "query": "firearms",
        "channel": "webhook",
        "target": "http://127.0.0.1:9/hook",
    }

    created = client.post("/api/subscriptions", json=body, headers=auth)
    assert created.status_code == 201
    sub = created.json()
    assert sub["kind"] == "keywords" and sub["query"] == "firearms" and sub["channel"] == "webhook"
    assert sub["secret"]  # shown once, on creation

    listed = client.get("/api/subscriptions").json()
    assert [s["id"] for s in listed] == [sub["id"]]
    assert "secret" not in listed[0] or not listed[0]["secret"]
    assert client.get(f"/api/subscriptions/{sub['id']}").json()["target"] == body["target"]

    assert client.delete(f"/api/subscriptions/{sub['id']}").status_code == 401  # writing needs the token
    assert client.delete(f"/api/subscriptions/{sub['id']}", headers=auth).json() == {"deleted": sub["id"]}
    assert client.get("/api/subscriptions").json() == []
    assert client.get(f"/api/subscriptions/{sub['id']}").status_code == 404


def test_breaking_alerts_and_feeds_answer_lists(client: TestClient) -> None:
    # Two outlets in the seeds' story: below the default rule of three distinct outlets, so not breaking.
    assert client.get("/api/breaking").json() == []
    assert client.get("/api/alerts").json() == []
    assert client.get("/api/feeds").json() == []
