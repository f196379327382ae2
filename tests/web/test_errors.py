"""One error shape on every route: wrong method, unknown id, bad input, crash; enumerated from the app.

A route added later without a bad-input case here fails ``test_every_route_with_input_has_a_bad_input_case``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Route

from newsfold.web.service import Service

UNKNOWN = "no-such-id"


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error envelope, as JSON, with ``status`` (and ``code`` when given)."""
    assert response.status_code == status, (response.request.method, response.request.url, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["code"], str) and re.fullmatch(r"[a-z_]+", error["code"])
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code
    return error


def _flatten(candidates: Iterable[BaseRoute]) -> Iterator[Route]:
    for route in candidates:
        if isinstance(route, Route):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI >= 0.12x keeps included routers whole
            yield from _flatten(route.original_router.routes)
        elif hasattr(route, "routes"):
            yield from _flatten(route.routes)


def routes(app: FastAPI) -> list[Route]:
    """Every route of the app, whatever way this FastAPI version keeps included routers."""
    found = list(_flatten(app.routes))
    assert {r.path for r in found} >= {"/api/stories", "/api/articles", "/", "/api/openapi.json"}
    return found


def concrete(path: str, value: str = UNKNOWN) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def query_params(route: Route) -> set[str]:
    if not isinstance(route, APIRoute):
        return set()
    names: set[str] = set()
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        names.update(p.name for p in dependant.query_params)
        stack.extend(dependant.dependencies)
    return names


#: A request with bad input for every route that takes input: (method, path, request kwargs, status, code).
BAD_INPUT: dict[str, list[tuple[str, str, dict[str, Any], int, str]]] = {
    "/api/stories": [
        ("GET", "/api/stories", {"params": {"limit": 0}}, 422, "validation_error"),
        ("GET", "/api/stories", {"params": {"since": "someday"}}, 422, "validation_error"),
    ],
    "/api/stories/{story_id}": [
        ("GET", "/api/stories/{story}", {"params": {"compare": "maybe"}}, 422, "validation_error"),
    ],
    "/api/articles": [
        (
            "POST",
            "/api/articles",
            {"content": b"{", "headers": {"content-type": "application/json"}},
            400,
            "invalid_json",
        ),
        (
            "POST",
            "/api/articles",
            {"content": b"{}", "headers": {"content-type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        ("POST", "/api/articles", {"json": []}, 422, "validation_error"),
        ("POST", "/api/articles", {"json": {"text": "x" * 6_000_000}}, 413, "payload_too_large"),
        (  # a number of more digits than Python converts
            "POST",
            "/api/articles",
            {
                "content": b'{"id": ' + b"9" * 5000 + b', "text": "x"}',
                "headers": {"content-type": "application/json"},
            },
            400,
            "invalid_json",
        ),
    ],
    "/api/breaking": [
        ("GET", "/api/breaking", {"params": {"limit": 0}}, 422, "validation_error"),
    ],
    "/api/subscriptions": [
        (
            "POST",
            "/api/subscriptions",
            {"json": {"kind": "moods", "query": "x"}},
            400,
            "invalid_subscription",
        ),
        (
            "POST",
            "/api/subscriptions",
            {"content": b"{", "headers": {"content-type": "application/json"}},
            400,
            "invalid_json",
        ),
        (
            "POST",
            "/api/subscriptions",
            {"data": {"kind": "keywords", "query": "dam"}},
            415,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/api/subscriptions",
            {"json": {"kind": "keywords", "query": "dam", "channel": "email", "target": "not an address"}},
            400,
            "invalid_subscription",
        ),
        *(
            (
                "POST",
                "/api/subscriptions",
                {
                    "content": json.dumps(
                        {"kind": "keywords", "query": "dam", "channel": channel, "target": target}
                    )
                    .replace("SURROGATE", "\\ud800")
                    .encode(),
                    "headers": {"content-type": "application/json"},
                },
                400,
                "invalid_subscription",
            )
            for channel, target in (
                ("webhook", "https://exa mple.org/hook"),
                ("webhook", "https://example.org:99999/hook"),
                ("webhook", "https://<img src=x onerror=alert(1)>/"),
                ("webhook", "https://example.org/SURROGATE"),
                ("email", "SURROGATE@example.org"),
                ("email", "x" * 65 + "@example.org"),
            )
        ),
    ],
    "/api/alerts": [
        ("GET", "/api/alerts", {"params": {"status": "lost"}}, 422, "validation_error"),
    ],
    "/breaking": [
        ("GET", "/breaking", {"params": {"limit": 0}}, 422, "validation_error"),
    ],
    "/subscriptions": [
        (
            "POST",
            "/subscriptions",
            {"data": {"kind": "keywords", "query": "", "channel": "email", "target": "reader@example.org"}},
            400,
            "invalid_subscription",
        ),
        (
            "POST",
            "/subscriptions",
            {"data": {"kind": "keywords", "query": "dam", "channel": "email", "target": "not an address"}},
            400,
            "invalid_subscription",
        ),
        (
            "POST",
            "/subscriptions",
            {
                "json": {
                    "kind": "keywords",
                    "query": "dam",
                    "channel": "email",
                    "target": "reader@example.org",
                }
            },
            415,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/subscriptions",
            {
                "data": {
                    "kind": "keywords",
                    "query": "dam",
                    "channel": "email",
                    "target": "reader@example.org",
                },
                "headers": {"origin": "https://evil.example"},
            },
            403,
            "forbidden",
        ),
    ],
    "/subscriptions/{subscription_id}/delete": [
        ("POST", "/subscriptions/no-such-id/delete", {}, 404, "not_found"),
        (
            "POST",
            "/subscriptions/no-such-id/delete",
            {"content": b"x", "headers": {"content-type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/subscriptions/no-such-id/delete",
            {"headers": {"origin": "https://evil.example"}},
            403,
            "forbidden",
        ),
    ],
    "/": [
        ("GET", "/", {"params": {"until": "never"}}, 422, "validation_error"),
        ("GET", "/", {"params": {"limit": 1000}}, 422, "validation_error"),
    ],
}


def test_every_route_with_input_has_a_bad_input_case(app: FastAPI) -> None:
    for route in routes(app):
        takes_input = query_params(route) or (route.methods or set()) & {"POST", "PUT", "PATCH"}
        if takes_input:
            assert route.path in BAD_INPUT, f"add a bad-input case for {route.path} to BAD_INPUT"


def test_bad_input_on_every_route(client: TestClient, seed_story_id: str) -> None:
    for cases in BAD_INPUT.values():
        for method, path, kwargs, status, code in cases:
            response = client.request(method, path.replace("{story}", seed_story_id), **kwargs)
            assert_error(response, status, code)


def test_wrong_method_on_every_route(client: TestClient, app: FastAPI) -> None:
    allowed: dict[str, set[str]] = {}
    for route in routes(app):  # one path can have a route per method
        allowed.setdefault(route.path, set()).update(route.methods or set())
    for path, methods in allowed.items():
        for method in {"DELETE", "PATCH", "PUT", "POST", "GET"} - methods:
            response = client.request(method, concrete(path))
            error = assert_error(response, 405, "method_not_allowed")
            assert method in error["message"]
            # What is allowed instead: every route's methods at the path, and HEAD wherever GET is.
            expected = methods | ({"HEAD"} if "GET" in methods else set())
            assert set(response.headers["allow"].split(", ")) == expected, path


def test_unknown_id_on_every_route_with_one(client: TestClient, app: FastAPI) -> None:
    with_ids = [r for r in routes(app) if "{" in r.path]
    assert len(with_ids) >= 4  # a story and an article, in the API and in the UI
    for route in with_ids:
        error = assert_error(client.get(concrete(route.path)), 404, "not_found")
        assert UNKNOWN in error["message"] and error["details"]


def test_unknown_paths(client: TestClient) -> None:
    for path in ("/api/nothing", "/nothing", "/api/stories/s-1/more", "/static/x.css"):
        assert_error(client.get(path), 404, "not_found")
    # A stray slash is a plain 404, not a redirect (to another 404, built from the Host header).
    for path in ("/api/stories/", "/articles", "/subscriptions/"):
        response = client.get(path, follow_redirects=False)
        assert_error(response, 404, "not_found")
        assert "location" not in response.headers


def test_unauthorized_on_every_writing_route(make_client: Callable[..., TestClient], app: FastAPI) -> None:
    client = make_client(token="t0ken")
    writing = [r for r in routes(app) if (r.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}]
    assert writing
    for route in writing:
        for method in sorted((route.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            response = client.request(method, concrete(route.path), json={"text": "x"})
            assert_error(response, 401, "unauthorized")


#: API reads that name subscribers' e-mail addresses or webhook URLs: they need the token when there is one.
GUARDED_READS = ("/api/subscriptions", "/api/alerts")


def test_unauthorized_on_every_read_of_subscribers(
    make_client: Callable[..., TestClient], app: FastAPI
) -> None:
    client = make_client(token="t0ken")
    guarded = [r for r in routes(app) if r.path.startswith(GUARDED_READS) and "GET" in (r.methods or set())]
    assert {r.path for r in guarded} >= {"/api/subscriptions", "/api/subscriptions/{subscription_id}"}
    for route in guarded:
        assert_error(client.get(concrete(route.path)), 401, "unauthorized")


def test_a_crash_is_an_error_too(seeded_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfold.web import create_app

    def boom(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Service, "stories", boom)
    with TestClient(create_app(seeded_db), raise_server_exceptions=False) as client:
        for path in ("/api/stories", "/"):
            error = assert_error(client.get(path), 500, "internal_error")
            assert "secret" not in error["message"]
        page = client.get("/", headers={"accept": "text/html"})
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "secret" not in page.text


def test_ui_pages_answer_browsers_with_an_html_error_page(client: TestClient) -> None:
    html = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for path in ("/stories/s-000000000000", f"/articles/{UNKNOWN}", "/nothing"):
        response = client.get(path, headers=html)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "not found" in response.text
    response = client.get("/", params={"limit": 0}, headers=html)
    assert response.status_code == 422 and "limit" in response.text
    # The API answers JSON whatever the client accepts.
    assert_error(client.get("/api/stories/nothing", headers=html), 404, "not_found")
