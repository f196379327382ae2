"""The server-rendered UI: story list, story with its comparison, article with removed lines; escaping."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from newsfold.web.ui import article_lines

SEED_000 = "000_3bbf104ab086ed80"
SEED_002 = "002_80ae66bd9b1465fe"
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# One tag alone is kept as text by the readers (two make markup, which they strip): the pages must escape it.
LONE = "<script>alert(1)"
LONE_ESCAPED = "&lt;script&gt;alert(1)"

#: Two reports of one blast that disagree on the death toll, written for these tests.
BLAST = [
    {
        "id": "blast-north",
        "source": "North Herald",
        "title": "Blast at chemical plant",
        "published": "2024-05-01T10:00:00Z",
        "text": "An explosion at the Harwick chemical plant on Monday killed 12 workers, officials said.\n\n"
        "The blast tore through the main storage building shortly after 9am.\n\n"
        "Fire crews from three counties fought the flames for most of the day.\n\n"
        "The plant's owner, Dorman Chemicals, said it was cooperating with investigators.",
    },
    {
        "id": "blast-south",
        "source": "South Gazette",
        "title": "Chemical plant explosion",
        "published": "2024-05-01T11:00:00Z",
        "text": "An explosion at the Harwick chemical plant on Monday killed 15 workers, officials said.\n\n"
        "The blast tore through the main storage building shortly after 9am.\n\n"
        "Dorman Chemicals said it was cooperating with investigators.\n\n"
        "Local residents were told to keep their windows closed.",
    },
]


def page(client: TestClient, path: str, **params: Any) -> str:
    response = client.get(path, params=params or None, headers={"accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def text_of(markup: str) -> str:
    """Visible text, tags dropped and entities decoded, whitespace folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_story_list(client: TestClient, seed_story_id: str) -> None:
    markup = page(client, "/")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in markup
    assert f'href="/stories/{seed_story_id}"' in markup
    visible = text_of(markup)
    assert "Suella Braverman has backed armed officers" in visible
    assert "The Independent" in visible and "2 articles" in visible
    assert "first seen" in visible and "last seen" in visible
    assert '<input type="search" name="q"' in markup


def test_search_box_filters_the_list(client: TestClient, seed_story_id: str) -> None:
    assert seed_story_id in page(client, "/", q="Braverman")
    empty = page(client, "/", q="volcano")
    assert seed_story_id not in empty and "No stories match" in text_of(empty)
    assert 'value="volcano"' in empty  # the query stays in the box
    assert seed_story_id in page(client, "/", outlet="The Independent")
    assert seed_story_id in page(client, "/", entity="Chris Kaba")


def test_list_pages(client: TestClient, report_records: dict[str, dict[str, Any]]) -> None:
    client.post("/api/articles", json=[report_records[name] for name in ("strike", "ferry", "fire")])
    first = page(client, "/", limit=2)
    assert 'rel="next"' in first and 'rel="prev"' not in first
    older = re.search(r'href="([^"]+)" rel="next"', first)
    assert older
    second = page(client, html.unescape(older.group(1)))
    assert 'rel="prev"' in second
    assert set(re.findall(r'href="/stories/([^"]+)"', first)).isdisjoint(
        re.findall(r'href="/stories/([^"]+)"', second)
    )
    # Past the last story: the store is not empty, the page says how to get back.
    beyond = page(client, "/", limit=2, offset=1000)
    assert "No stories this far down the list" in beyond and "ingest some articles" not in beyond
    newer = re.search(r'href="([^"]+)" rel="prev"', beyond)
    assert newer and "offset=" in newer.group(1) and "offset=998" not in newer.group(1)


def test_story_page_shows_the_comparison(client: TestClient, seed_story_id: str) -> None:
    markup = page(client, f"/stories/{seed_story_id}")
    visible = text_of(markup)
    for heading in ("Summary", "Reported by several outlets", "What each outlet adds", "Quotes", "Timeline"):
        assert heading in visible, heading
    # A point both outlets report in their own words: each wording under its outlet.
    assert "Reported differently" in visible and "Scotland Yard chief Sir Mark Rowley" in visible
    assert "Who and where" in visible and "Suella Braverman" in visible
    # What each outlet adds: one column per compared article, side by side.
    columns = re.findall(r'<div class="col">\s*<h3>(.*?)</h3>', markup, re.S)
    assert len(columns) == 2
    assert SEED_000 in columns[0] + columns[1] and SEED_002 in columns[0] + columns[1]
    assert "The Independent" in text_of(columns[0] + columns[1])
    # Quotes with their speakers.
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", markup, re.S)
    assert any("Suella Braverman" in q and "brave firearms officers" in html.unescape(q) for q in quotes)
    # Links to each article.
    assert f'href="/articles/{SEED_000}"' in markup and f'href="/articles/{SEED_002}"' in markup


def test_disagreeing_figures_are_highlighted(client: TestClient) -> None:
    results = client.post("/api/articles", json=BLAST).json()["results"]
    story_id = results[0]["story_id"]
    assert results[1]["story_id"] == story_id
    figures = client.get(f"/api/stories/{story_id}").json()["figures"]
    conflicts = [f for f in figures if f["conflict"]]
    assert conflicts, "the two reports disagree on the death toll (12 or 15 workers)"
    markup = page(client, f"/stories/{story_id}")
    rows = re.findall(r'<tr class="conflict">(.*?)</tr>', markup, re.S)
    assert len(rows) == len(conflicts)
    assert "disagree" in rows[0] and "12" in rows[0] and "15" in rows[0]


def test_article_page_strikes_through_removed_lines_with_reasons(client: TestClient) -> None:
    markup = page(client, f"/articles/{SEED_000}")
    removed = client.get(f"/api/articles/{SEED_000}").json()["removed"]
    struck = re.findall(
        r'<p class="removed"><del>(.*?)</del> <span class="reason" title="[^"]*">([a-z-]+)</span>',
        markup,
        re.S,
    )
    assert [(html.unescape(t), r) for t, r in struck] == [(r["text"], r["reason"]) for r in removed]
    assert "newsletter" in [r for _, r in struck] and "caption" in [r for _, r in struck]
    # Kept lines are shown as they are, and in their original order with the removed ones.
    visible = text_of(markup)
    assert "Kaba died after he was shot in the head" in visible
    body = visible[visible.index("Sign up to our free") :]  # the header links the story by its title
    order = [
        body.index(s) for s in ("Sign up to our free", "Suella Braverman has", "Kaba died", "(Getty Images)")
    ]
    assert order == sorted(order)


def test_article_lines_follow_the_original_order(client: TestClient) -> None:
    app = client.app
    article = app.state.service.article(SEED_002).article  # type: ignore[attr-defined]
    lines = article_lines(article)
    assert lines is not None
    assert [reason for _, reason in lines if reason] == ["source-footer", "promo-spam"]
    assert [text for text, reason in lines if reason is None] == article.clean_text.split("\n\n")
    article.clean_text = "text that is not in the original"
    assert article_lines(article) is None  # the page falls back to showing clean and removed text apart


def test_copies_link_both_ways_on_article_pages(client: TestClient, seed_text: Any) -> None:
    client.post("/api/articles", json={"id": "copy", "source": "Scraper", "text": seed_text(SEED_002)})
    assert 'copy of <a href="/articles/002_80ae66bd9b1465fe">' in page(client, "/articles/copy")
    assert 'href="/articles/copy"' in page(client, f"/articles/{SEED_002}")


def test_article_text_is_escaped_everywhere(client: TestClient) -> None:
    record = {
        "id": "xss-1",
        "source": f"Evil {SCRIPT} Times",
        "url": "javascript:alert(1)",
        "title": f"Breaking {LONE} news",
        "text": f"The council said {LONE} on Tuesday that the new bridge over the river would open next year.\n\n"
        "Turnout was 5 < 6 & 7 > 2, the clerk said.\n\n"
        "Councillors voted for the plan by a large majority after a long meeting at the town hall.",
        "note": SCRIPT,
    }
    (item,) = client.post("/api/articles", json=record).json()["results"]
    assert item["status"] == "stored"
    story_id = item["story_id"]
    pages = {
        "list": page(client, "/"),
        "search": page(client, "/", q="<script>"),
        "story": page(client, f"/stories/{story_id}"),
        "article": page(client, "/articles/xss-1"),
        "error": client.get(f"/stories/{SCRIPT}", headers={"accept": "text/html"}).text,
    }
    for name, markup in pages.items():
        assert "<script" not in markup.lower(), name
        assert ESCAPED in markup or LONE_ESCAPED in markup, name
    assert (
        f"Breaking {LONE_ESCAPED} news" in pages["list"] and f"Breaking {LONE_ESCAPED} news" in pages["story"]
    )
    assert f"The council said {LONE_ESCAPED} on Tuesday" in pages["article"]
    # A javascript: URL is shown as text, never made a link.
    assert 'href="javascript' not in pages["article"].lower()
    assert "javascript:alert(1)" in pages["article"]


def test_nested_metadata_shows_as_json_and_stays_escaped(client: TestClient) -> None:
    record = {
        "id": "meta-1",
        "text": "Councillors voted for the plan by a large majority after a long meeting at the town hall.",
        "meta": {"a": [1, 2, {"b": None}], "tag": SCRIPT},
        "desk": "metro",
    }
    assert client.post("/api/articles", json=record).json()["results"][0]["status"] == "stored"
    markup = page(client, "/articles/meta-1")
    cells = [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", markup, re.S)]
    assert '{"a": [1, 2, {"b": null}], "tag": "' + SCRIPT + '"}' in cells  # as the API gives it
    assert "metro" in cells  # text as it is, not quoted
    assert "<script" not in markup.lower()


def test_pages_forbid_scripts_and_stay_light(client: TestClient, seed_story_id: str) -> None:
    for path in ("/", f"/stories/{seed_story_id}", f"/articles/{SEED_000}"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        markup = response.text
        # One request a page: no script, no stylesheet, no image to fetch (the favicon is an empty data: URL).
        assert "<script" not in markup and 'rel="stylesheet"' not in markup and " src=" not in markup
        assert '<link rel="icon" href="data:,">' in markup
        assert len(markup.encode()) < 40_000
        gzipped = client.get(path, headers={"accept-encoding": "gzip"})
        assert gzipped.headers["content-encoding"] == "gzip"


def test_pages_answer_head_requests(client: TestClient, seed_story_id: str) -> None:
    for path in ("/", f"/stories/{seed_story_id}", f"/articles/{SEED_000}"):
        response = client.head(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")


def test_an_undated_article_has_no_empty_time_element(client: TestClient) -> None:
    record = {"id": "undated-1", "text": "The council met on Tuesday to approve the bridge across the river."}
    (item,) = client.post("/api/articles", json=record).json()["results"]
    assert item["status"] == "stored"
    for markup in (page(client, "/articles/undated-1"), page(client, f"/stories/{item['story_id']}")):
        assert 'datetime=""' not in markup and "date unknown" in markup


def test_an_article_page_links_its_story_by_title(client: TestClient, seed_story_id: str) -> None:
    story = client.get(f"/api/stories/{seed_story_id}", params={"compare": "false"}).json()
    markup = page(client, f"/articles/{story['article_ids'][0]}")
    assert f'href="/stories/{seed_story_id}">{html.escape(story["title"])}</a>' in markup
