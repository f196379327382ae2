"""Fixtures for the web layer: a store holding the two seeds, an app over it, and JSON article records."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

import newsfold
from newsfold.store import engine_url
from newsfold.web import create_app

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
SEED_000 = "000_3bbf104ab086ed80"
SEED_002 = "002_80ae66bd9b1465fe"

PG_URL_VAR = "NEWSFOLD_TEST_PG_URL"
HOW_TO_START = 'run `eval "$(./scripts/ci-services)"` as root to start one'

#: The hand-written reports of tests/conftest.py as posted JSON: outlet and publication time of each.
REPORT_META = {
    "bridge": ("Avon Echo", "2024-03-05T09:00:00Z"),
    "strike": ("Cumbria News", "2024-03-05T10:00:00Z"),
    "ferry": ("Island Times", "2024-03-05T11:00:00Z"),
    "fire": ("Athens Daily", "2024-03-05T12:00:00Z"),
    "bridge-other": ("Western Post", "2024-03-05T13:00:00Z"),
}


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store with the two seeds ingested, built once; tests get their own copy."""
    path = tmp_path_factory.mktemp("seeded") / "news.db"
    with newsfold.open_store(path) as store:
        report = newsfold.ingest(store, [SEEDS])
    assert report.ingested == 2 and not report.errors
    return path


@pytest.fixture
def pg_seeded(pg_server: str) -> Iterator[str]:
    """A store of its own (a fresh schema) on the test PostgreSQL, holding the seeds; dropped afterwards."""
    name = f"newsfold_web_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(engine_url(pg_server))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    url = (
        sa.make_url(pg_server)
        .update_query_dict({"options": f"-csearch_path={name}"})
        .render_as_string(hide_password=False)
    )
    try:
        with newsfold.open_store(url) as store:
            assert newsfold.ingest(store, [SEEDS]).ingested == 2
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded_db(
    request: pytest.FixtureRequest,
    seeded_template: Path,
    tmp_path: Path,
    no_db_env: None,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """The store (a path or URL) every web test runs on: SQLite, then PostgreSQL when there is one."""
    monkeypatch.delenv("NEWSFOLD_TOKEN", raising=False)
    if request.param == "postgresql":
        return request.getfixturevalue("pg_seeded")
    path = tmp_path / "news.db"
    shutil.copyfile(seeded_template, path)
    return str(path)


@pytest.fixture
def make_client(seeded_db: str) -> Iterator[Callable[..., TestClient]]:
    """Build a client over the seeded store with other app settings (token, size limit)."""
    opened: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        client = TestClient(create_app(seeded_db, **settings))
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def app(client: TestClient) -> FastAPI:
    return client.app  # type: ignore[return-value]


@pytest.fixture
def seed_story_id(client: TestClient) -> str:
    items = client.get("/api/stories").json()["items"]
    (story,) = [
        s
        for s in items
        if SEED_000 in client.get(f"/api/stories/{s['id']}?compare=false").json()["article_ids"]
    ]
    return story["id"]


@pytest.fixture
def report_records(reports: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """One JSON record per hand-written report, as a client would post it."""
    return {
        name: {
            "id": f"report-{name}",
            "source": REPORT_META[name][0],
            "published": REPORT_META[name][1],
            "title": paragraphs[0].split(",")[0],
            "url": f"https://news.example/{name}",
            "text": "\n\n".join(paragraphs),
            "section": "local",
        }
        for name, paragraphs in reports.items()
    }
