"""docs/api.md keeps up with the app: every route, every error code and the limits are documented."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsfold.web.app import DEFAULT_MAX_BODY_BYTES
from newsfold.web.errors import CODES
from newsfold.web.params import DEFAULT_LIMIT, MAX_LIMIT

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_routes(text: str) -> set[str]:
    return set(re.findall(r"\b(GET|POST|PUT|PATCH|DELETE) (/\S*)", text.replace("`", " ")))


def test_every_route_is_documented(app: FastAPI, client: TestClient) -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = {f"{method} {path}" for method, path in documented_routes(text)}
    spec = client.get("/api/openapi.json").json()
    routes = {f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops}
    routes |= {"GET /", "GET /stories/{id}", "GET /articles/{id}"}  # the UI, not in the OpenAPI description
    normalised = {re.sub(r"\{[^}]+\}", "{id}", route) for route in routes}
    assert normalised <= documented, normalised - documented


def test_every_error_code_and_limit_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for status, code in CODES.items():
        assert f"| {status} | `{code}` |" in text, code
    for code in ("invalid_json", "invalid_record", "processing_error"):
        assert f"`{code}`" in text
    assert f"{DEFAULT_MAX_BODY_BYTES:,}" in text
    assert f"`limit` 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})" in text
    assert "img/story.png" in text and (DOC.parent / "img" / "story.png").is_file()
