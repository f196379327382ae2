"""The REST API over a store holding the seeds: read stories and articles, filter, page, ingest."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import newsfold
from newsfold.readers.jsonl import parse_line

SEED_000 = "000_3bbf104ab086ed80"
SEED_002 = "002_80ae66bd9b1465fe"


def post(client: TestClient, body: Any, **headers: str) -> Any:
    return client.post("/api/articles", json=body, headers=headers)


def ingest_reports(client: TestClient, records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    response = post(client, list(records.values()))
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == 0
    return response.json()


# --- reading ---------------------------------------------------------------------------------------------
def test_story_list_shows_the_seeds_story(client: TestClient) -> None:
    body = client.get("/api/stories").json()
    assert body["total"] == 1 and body["limit"] == 20 and body["offset"] == 0 and body["next"] is None
    (story,) = body["items"]
    assert story["id"].startswith("s-")
    assert story["title"].startswith("Suella Braverman has backed armed officers")
    assert story["article_count"] == 2
    assert story["sources"] == ["The Independent"]
    assert story["first_seen"] <= story["last_seen"]


def test_story_has_its_comparison_and_article_summaries(client: TestClient, seed_story_id: str) -> None:
    story = client.get(f"/api/stories/{seed_story_id}").json()
    assert story["article_ids"] == [SEED_000, SEED_002]
    # The export contract's comparison fields, at the top level as in `newsfold export stories`.
    for key in ("headline", "summary", "timeline", "shared", "unique", "quotes", "figures", "entities"):
        assert key in story
    assert set(story["unique"]) == {SEED_000, SEED_002}
    assert any(q["speaker"] == "Suella Braverman" for q in story["quotes"])
    assert any(e["name"] == "Suella Braverman" for e in story["entities"])
    assert len(story["shared"]) >= 5
    summaries = {a["id"]: a for a in story["articles"]}
    assert summaries[SEED_000]["source"] == "The Independent"
    assert summaries[SEED_000]["removed"] == 4 and summaries[SEED_000]["words"] > 100


def test_story_without_comparison_leaves_its_fields_out(client: TestClient, seed_story_id: str) -> None:
    story = client.get(f"/api/stories/{seed_story_id}", params={"compare": "false"}).json()
    assert "quotes" not in story and "shared" not in story
    assert story["article_ids"] == [SEED_000, SEED_002] and len(story["articles"]) == 2


def test_article_has_clean_text_removed_lines_and_links(client: TestClient, seed_story_id: str) -> None:
    article = client.get(f"/api/articles/{SEED_002}").json()
    assert article["story_id"] == seed_story_id
    assert article["duplicate_of"] is None and article["copies"] == []
    assert "Source link" not in article["text"]
    assert {"text": "Source link", "reason": "source-footer"} in article["removed"]
    assert [r["reason"] for r in article["removed"]] == ["source-footer", "promo-spam"]
    assert article["metadata"] == {}


def test_get_routes_answer_head_with_the_same_headers_and_no_body(
    client: TestClient, seed_story_id: str
) -> None:
    for path in (
        "/api/stories",
        f"/api/stories/{seed_story_id}",
        f"/api/articles/{SEED_002}",
        "/api/breaking",
    ):
        got, head = client.get(path), client.head(path)
        assert (head.status_code, got.status_code) == (200, 200), path
        assert head.headers["content-type"] == got.headers["content-type"] == "application/json"
        assert head.headers["content-length"] == got.headers["content-length"] and head.content == b""
    assert client.head("/api/stories/s-000000000000").status_code == 404
    assert client.head("/api/articles").status_code == 405  # POST only


def test_a_posted_copy_links_both_ways(client: TestClient, seed_text: Callable[[str], str]) -> None:
    result = post(
        client, {"id": "copy-of-000", "source": "Scraper Daily", "text": seed_text(SEED_000)}
    ).json()
    (item,) = result["results"]
    assert item["status"] == "duplicate" and item["duplicate_of"] == SEED_000
    assert result["duplicates"] == 1 and result["ingested"] == 1
    original = client.get(f"/api/articles/{SEED_000}").json()
    assert [c["id"] for c in original["copies"]] == ["copy-of-000"]
    assert original["copies"][0]["source"] == "Scraper Daily"
    assert client.get("/api/articles/copy-of-000").json()["duplicate_of"] == SEED_000


def test_article_ids_with_slashes_and_spaces_are_reachable(client: TestClient) -> None:
    post(
        client, {"id": "feeds/bbc/1 2", "text": "A single line of reporting about a ferry that ran aground."}
    )
    assert client.get("/api/articles/feeds%2Fbbc%2F1%202").json()["id"] == "feeds/bbc/1 2"
    assert client.get("/api/articles/feeds/bbc/1 2").json()["id"] == "feeds/bbc/1 2"


# --- pagination and filters -------------------------------------------------------------------------------
def test_pages_walk_every_story_once_newest_first(client: TestClient, report_records: dict) -> None:
    ingest_reports(client, report_records)
    total = client.get("/api/stories").json()["total"]
    assert total >= 5  # the seeds' story, and the reports' events (the bridge twice over or not)
    seen: list[dict] = []
    url: str | None = "/api/stories?limit=2"
    while url:
        body = client.get(url).json()
        assert body["total"] == total and len(body["items"]) <= 2
        seen.extend(body["items"])
        url = body["next"]
    assert len(seen) == total == len({s["id"] for s in seen})
    last_seen = [s["last_seen"] for s in seen]
    assert last_seen == sorted(last_seen, reverse=True)
    assert client.get("/api/stories", params={"offset": total}).json()["items"] == []


def test_limit_and_offset_bounds(client: TestClient) -> None:
    assert client.get("/api/stories", params={"limit": 200}).status_code == 200
    # An offset past any store's size would overflow SQLite's integers: a 422, not a 500.
    too_far = {"offset": 2**63}
    for params in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "ten"}, too_far):
        response = client.get("/api/stories", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "validation_error"
        assert response.json()["error"]["details"][0]["loc"][0] == "query"


def story_ids(client: TestClient, **params: str) -> set[str]:
    response = client.get("/api/stories", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return {s["id"] for s in response.json()["items"]}


def test_filters(client: TestClient, report_records: dict, seed_story_id: str) -> None:
    results = ingest_reports(client, report_records)["results"]
    story_of = {r["id"]: r["story_id"] for r in results}
    ferry, fire = story_of["report-ferry"], story_of["report-fire"]
    # q: every word, in a story title or an article's title or clean text, case-insensitively
    assert story_ids(client, q="ferry") == {ferry}
    assert story_ids(client, q="KELLSAY lifeboat") == {ferry}
    assert story_ids(client, q="kellsay wildfire") == set()
    assert story_ids(client, q='"Morven Star"') == {ferry}
    assert story_ids(client, q='"Star Morven"') == set()
    assert story_ids(client, q="Braverman") == {seed_story_id}
    assert story_ids(client, q="100%") == set()  # LIKE wildcards are matched literally
    # entity: a name mentioned in an article
    assert story_ids(client, entity="Eleni Vlachou") == {fire}
    assert story_ids(client, entity="suella braverman") == {seed_story_id}
    # outlet: an article's source
    assert story_ids(client, outlet="island times") == {ferry}
    assert story_ids(client, outlet="The Independent") == {seed_story_id}
    assert story_ids(client, outlet="Nobody") == set()
    # time window: stories whose [first_seen, last_seen] overlaps [since, until]
    bridge = story_of["report-bridge"]
    spanning = {bridge} if story_of["report-bridge-other"] == bridge else set()  # 09:00 to 13:00
    window = story_ids(client, since="2024-03-05T11:00:00Z", until="2024-03-05T12:00:00Z")
    assert window == {ferry, fire} | spanning
    assert story_ids(client, until="2024-03-05T09:30:00+00:00") == {bridge}
    assert story_ids(client, since="2024-03-05T11:30", until="2024-03-05T12:30") == {fire} | spanning
    assert story_ids(client, since="2024-03-05T12:30+01:00", until="2024-03-05T12:30Z") == {fire} | spanning
    assert seed_story_id in story_ids(client, since="2025-01-01")  # seeds have no date: seen when ingested
    assert seed_story_id not in story_ids(client, until="2025-01-01")
    # together
    assert story_ids(client, q="rescue", outlet="Island Times", since="2024-03-05") == {ferry}
    assert client.get("/api/stories", params={"q": "ferry"}).json()["total"] == 1


def test_bad_dates_are_named(client: TestClient) -> None:
    response = client.get("/api/stories", params={"since": "yesterday", "until": "soon"})
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [d["loc"] for d in details] == [["query", "since"], ["query", "until"]]
    assert "not an ISO 8601 date" in details[0]["msg"]
    # Valid ISO 8601 that falls outside the years a datetime holds once in UTC.
    response = client.get("/api/stories", params={"since": "9999-12-31T23:59:59-14:00"})
    assert response.status_code == 422 and "out of range" in response.json()["error"]["details"][0]["msg"]
    assert client.get("/", params={"until": "0001-01-01T00:00:00+14:00"}).status_code == 422


# --- ingest ----------------------------------------------------------------------------------------------
def test_post_one_article(client: TestClient, report_records: dict) -> None:
    record = report_records["ferry"]
    response = post(client, record)
    assert response.status_code == 200
    body = response.json()
    assert body["ingested"] == 1 and body["new_stories"] == 1 and body["errors"] == 0
    (item,) = body["results"]
    assert item["index"] == 0 and item["id"] == "report-ferry" and item["status"] == "stored"
    assert item["new_story"] is True and item["duplicate_of"] is None and item["error"] is None
    story = client.get(f"/api/stories/{item['story_id']}", params={"compare": "false"}).json()
    assert story["article_ids"] == ["report-ferry"] and story["sources"] == ["Island Times"]
    article = client.get("/api/articles/report-ferry").json()
    assert article["metadata"] == {"section": "local"}  # other fields kept as metadata
    assert article["published"] == "2024-03-05T11:00:00+00:00"
    # Posting it again stores nothing: ingest is idempotent.
    (again,) = post(client, record).json()["results"]
    assert again["status"] == "skipped" and again["reason"] == "already stored"


def test_post_a_batch_joins_stories(client: TestClient, report_records: dict) -> None:
    batch = [report_records["bridge"], report_records["strike"], report_records["bridge-other"]]
    body = post(client, batch).json()
    assert [r["index"] for r in body["results"]] == [0, 1, 2]
    bridge, strike, other = body["results"]
    assert bridge["new_story"] and strike["new_story"]
    assert bridge["story_id"] != strike["story_id"]
    # Another outlet's report of the bridge vote joins the bridge story.
    assert other["story_id"] == bridge["story_id"] and other["new_story"] is False
    assert body["ingested"] == 3 and body["new_stories"] == 2


def test_invalid_records_are_named_and_the_rest_go_in(client: TestClient, report_records: dict) -> None:
    batch = [
        {"id": "no-text"},
        report_records["fire"],
        "just a string",
        {"id": "bad-date", "text": "Some text.", "published": "last Tuesday"},
        {"id": ["a"], "text": "Some text."},
        # Valid ISO 8601, but before year 1 once in UTC.
        {"id": "too-early", "text": "Some text.", "published": "0001-01-01T00:00:00+01:00"},
    ]
    response = post(client, batch)
    assert response.status_code == 200
    body = response.json()
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["error", "stored", "error", "error", "error", "error"]
    assert body["errors"] == 5 and body["ingested"] == 1
    for index, item in enumerate(body["results"]):
        assert item["index"] == index
        if item["status"] == "error":
            assert item["error"]["code"] == "invalid_record"
    messages = [r["error"]["message"] for r in body["results"] if r["error"]]
    # The JSONL reader's own messages, for the same records on a line of a file.
    expected = [
        parse_line(json.dumps(record).encode(), where="x").message
        for record in (batch[0], batch[2], batch[3], batch[4], batch[5])
    ]
    assert messages == expected
    assert messages[0] == "missing 'text'" and messages[1] == "expected a JSON object, got a string"
    assert "date out of range in UTC" in messages[4]
    assert [r["id"] for r in body["results"]] == [
        "no-text",
        "report-fire",
        None,
        "bad-date",
        None,
        "too-early",
    ]
    assert client.get("/api/articles/report-fire").status_code == 200


def test_nan_and_lone_surrogates_are_refused_per_record(client: TestClient) -> None:
    raw = '[{"id": "n", "text": "Some text.", "score": NaN}, {"id": "s", "text": "bad \\ud800 half"}]'
    response = client.post("/api/articles", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 200
    errors = [r["error"]["message"] for r in response.json()["results"]]
    assert errors == [
        "invalid JSON: NaN is not allowed",
        "invalid JSON: a \\u escape makes a lone surrogate, which is not Unicode",
    ]


def test_a_lone_surrogate_in_an_id_is_named_escaped_and_the_rest_go_in(client: TestClient) -> None:
    raw = (
        '[{"id": "before", "text": "A platypus was seen in Hobart on Sunday, rangers said."},'
        ' {"id": "s\\udfff", "text": "x"}]'
    )
    response = client.post("/api/articles", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 200
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["stored", "error"]
    assert body["results"][1]["id"] == "s\\udfff"  # named as the client wrote it
    assert body["errors"] == 1 and body["ingested"] == 1


def test_an_id_stored_with_another_text_is_an_error(client: TestClient, report_records: dict) -> None:
    record = report_records["ferry"]
    assert post(client, record).json()["ingested"] == 1
    body = post(client, {**record, "text": "A different text under the same id, from another source."}).json()
    (item,) = body["results"]
    assert item["status"] == "error" and body["errors"] == 1 and body["skipped"] == 0
    assert item["error"]["message"].endswith("id 'report-ferry' already stored with another text")
    assert client.get("/api/articles/report-ferry").json()["text"] == record["text"]  # nothing lost


def test_typographic_quotes_search_a_phrase(client: TestClient, report_records: dict) -> None:
    post(client, [report_records["bridge"], report_records["strike"]])
    straight = client.get("/api/stories", params={"q": '"' + "bridge" + '"'}).json()
    curly = client.get("/api/stories", params={"q": "\u201cbridge\u201d"}).json()
    assert straight["total"] >= 1 and curly == straight


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{", 400, "invalid_json"),
        (b"\xff\xfe{}", 400, "invalid_json"),
        (b"[]", 422, "validation_error"),
        (b'"text"', 422, "validation_error"),
        (b"42", 422, "validation_error"),
    ],
)
def test_bodies_that_are_not_articles(client: TestClient, body: bytes, status: int, code: str) -> None:
    response = client.post("/api/articles", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_post_needs_json(client: TestClient) -> None:
    for headers in (
        {},
        {"content-type": "text/plain"},
        {"content-type": "application/x-www-form-urlencoded"},
    ):
        response = client.post("/api/articles", content=b'{"text": "x"}', headers=headers)
        assert response.status_code == 415, headers
        assert response.json()["error"]["code"] == "unsupported_media_type"
    ok = client.post(
        "/api/articles",
        content=b'{"id": "j", "text": "A line of reporting."}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert ok.status_code == 200


def test_too_large_by_content_length_and_by_counted_bytes(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_body_bytes=1000)
    big = {"id": "big", "text": "word " * 400}
    response = post(client, big)
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "payload_too_large",
        "message": "request body larger than 1000 bytes",
        "details": {"max_body_bytes": 1000},
    }
    # No Content-Length (chunked): the bytes are counted as they arrive.
    chunks = iter([b'{"id": "big", "text": "', b"word " * 150, b"word " * 150, b'"}'])
    response = client.post("/api/articles", content=chunks, headers={"content-type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    # A small body still goes in, and nothing of the refused ones was stored.
    assert post(client, {"id": "small", "text": "A short line of reporting."}).status_code == 200
    assert client.get("/api/articles/big").status_code == 404


def test_a_lying_content_length_is_refused(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_body_bytes=1000)
    response = client.post(
        "/api/articles", content=b"{}", headers={"content-type": "application/json", "content-length": "x"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_write_token(make_client: Callable[..., TestClient], report_records: dict) -> None:
    client = make_client(token="s3cret")
    record = report_records["ferry"]
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "s3cret"},
        {"Authorization": "Basic s3cret"},
    ):
        response = post(client, record, **headers)
        assert response.status_code == 401, headers
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/articles/report-ferry").status_code == 404
    # Reads stay open.
    assert client.get("/api/stories").status_code == 200
    response = post(client, record, Authorization="Bearer s3cret")
    assert response.status_code == 200 and response.json()["ingested"] == 1


def test_token_from_the_environment(seeded_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfold.web import create_app

    monkeypatch.setenv("NEWSFOLD_TOKEN", "from-env")
    with TestClient(create_app(seeded_db)) as client:
        assert post(client, {"text": "A line of reporting."}).status_code == 401
        assert (
            post(client, {"text": "A line of reporting."}, Authorization="Bearer from-env").status_code == 200
        )
    with TestClient(create_app(seeded_db, token="given")) as client:  # an explicit token wins
        assert post(client, {"text": "A line."}, Authorization="Bearer from-env").status_code == 401
    monkeypatch.setenv("NEWSFOLD_TOKEN", "from-a-file\n")  # the newline a file ends in is no part of it
    with TestClient(create_app(seeded_db)) as client:
        assert post(client, {"text": "A line."}, Authorization="Bearer from-a-file").status_code == 200


@pytest.mark.parametrize("blank", ["", "  ", "\n"])
def test_a_blank_token_is_refused_rather_than_opening_the_server(
    seeded_db: str, monkeypatch: pytest.MonkeyPatch, blank: str
) -> None:
    from newsfold.errors import ConfigError
    from newsfold.web import create_app

    monkeypatch.setenv("NEWSFOLD_TOKEN", blank)
    with pytest.raises(ConfigError, match="NEWSFOLD_TOKEN is set but blank"):
        create_app(seeded_db)


def test_the_server_learns_what_the_cli_ingested_meanwhile(
    client: TestClient, seeded_db: str, report_records: dict, tmp_path: Path
) -> None:
    post(client, report_records["fire"])  # the app's pipeline now exists and has replayed the store
    feed = tmp_path / "cli.jsonl"
    feed.write_text(json.dumps(report_records["ferry"]) + "\n", encoding="utf-8")
    with newsfold.open_store(seeded_db) as store:  # another process: the CLI
        assert newsfold.ingest(store, [feed]).ingested == 1
    # A scraped copy of the CLI's article: the server knows the original, so it marks the copy.
    scraped = dict(report_records["ferry"], id="scraped-ferry", source="Copycat", url=None)
    scraped["text"] = "Share on Facebook Share on Twitter\n\n" + scraped["text"]
    (item,) = post(client, scraped).json()["results"]
    assert item["status"] == "duplicate" and item["duplicate_of"] == "report-ferry"
    cli_story = client.get("/api/articles/report-ferry").json()["story_id"]
    assert item["story_id"] == cli_story


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/articles",
        "/api/breaking",
        "/api/subscriptions",
        "/api/subscriptions/{subscription_id}",
        "/api/alerts",
        "/api/feeds",
    }
    post_op = spec["paths"]["/api/articles"]["post"]
    assert "oneOf" in post_op["requestBody"]["content"]["application/json"]["schema"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("422", "500"):
                ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorResponse"), (method, path, status)
    assert "HTTPValidationError" not in json.dumps(spec)  # FastAPI's own error shape is not ours


def test_the_openapi_document_declares_the_token_where_it_is_needed(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["components"]["securitySchemes"]["writeToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["writeToken"]["description"],
    }
    needs = {(m, p) for p, ops in spec["paths"].items() for m, op in ops.items() if op.get("security")}
    assert ("post", "/api/articles") in needs and ("get", "/api/subscriptions") in needs
    assert ("get", "/api/stories") not in needs  # reads of stories are open


def test_the_api_docs_page_needs_no_internet(client: TestClient) -> None:
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "https://" not in docs.text  # no CDN: Swagger UI comes from here
    for asset in re.findall(r'(?:src|href)="(/api/docs/static/[^"]+)"', docs.text):
        assert client.get(asset).status_code == 200, asset
    assert "/api/docs/static/swagger-ui-bundle.js" in docs.text


def test_concurrent_posts_go_through_one_writer(client: TestClient, report_records: dict) -> None:
    from concurrent.futures import ThreadPoolExecutor

    records = list(report_records.values())
    with ThreadPoolExecutor(max_workers=len(records)) as pool:
        responses = list(pool.map(lambda record: post(client, record), records))
    assert all(r.status_code == 200 for r in responses)
    items = [r.json()["results"][0] for r in responses]
    assert [i["status"] for i in items] == ["stored"] * len(records)
    stories = client.get("/api/stories", params={"limit": 200}).json()
    assert sum(s["article_count"] for s in stories["items"]) == 2 + len(records)
    # Exactly one result started each story the reports are in.
    assert sum(i["new_story"] for i in items) == len({i["story_id"] for i in items})
