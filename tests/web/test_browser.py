"""The web UI in a real browser: Playwright drives Debian's chromium against uvicorn on a free local port.

Open the story list, search, open the seeds' story, check the comparison is visible, take a screenshot.
Skips, saying why, only when no chromium (or Playwright) can be found. The screenshot goes to the test's
temporary folder; with ``NEWSFOLD_UPDATE_SCREENSHOTS=1`` it also replaces docs/img/story.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import newsfold
from newsfold.web import create_app

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
DOCS_SCREENSHOT = ROOT / "docs" / "img" / "story.png"
CHROMIUM_ENV = "NEWSFOLD_CHROMIUM"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """Debian's chromium, else one named by $NEWSFOLD_CHROMIUM or found on PATH."""
    candidates = [
        os.environ.get(CHROMIUM_ENV),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'"
    )
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            f"no chromium found (looked at ${CHROMIUM_ENV}, /usr/bin/chromium and PATH): "
            "apt-get install chromium, or run ./scripts/ci-services as root"
        )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """uvicorn serving a store with the seeds, in a thread, on a port the OS picked; yields its base URL."""
    import uvicorn

    db = tmp_path_factory.mktemp("browser") / "news.db"
    with newsfold.open_store(db) as store:
        assert newsfold.ingest(store, [SEEDS]).ingested == 2
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(str(db), token="browser-test")
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=15)
        sock.close()


def test_find_a_story_and_see_its_comparison(browser: Any, server: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 1250}, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        # The story list.
        page.goto(f"{server}/")
        assert page.title() == "Stories · newsfold"
        story_link = page.locator("ul.stories a.title").first
        assert story_link.inner_text().startswith("Suella Braverman has backed armed officers")
        assert "The Independent" in page.locator("ul.stories li").first.inner_text()

        # Search: nothing for an unrelated word, the story for a word in it.
        search = page.get_by_role("searchbox", name="Search stories")
        search.fill("volcano")
        search.press("Enter")
        page.wait_for_url("**/?q=volcano")
        assert page.get_by_text("No stories match").is_visible()
        search = page.get_by_role("searchbox", name="Search stories")
        search.fill("Braverman")
        search.press("Enter")
        page.wait_for_url("**/?q=Braverman")
        assert page.locator("ul.stories li").count() == 1

        # The seeds' story, with its comparison.
        page.locator("ul.stories a.title").first.click()
        page.wait_for_url("**/stories/s-*")
        assert page.locator("h1").inner_text().startswith("Suella Braverman has backed armed officers")
        for heading in (
            "Summary",
            "Reported by several outlets",
            "What each outlet adds",
            "Quotes",
            "Timeline",
        ):
            assert page.get_by_role("heading", name=heading).first.is_visible(), heading
        quote = page.locator("#quotes blockquote", has_text="brave firearms officers").first
        assert quote.is_visible() and "Suella Braverman" in quote.inner_text()
        assert page.locator("#entities").get_by_text("Suella Braverman").first.is_visible()

        # What each outlet adds: two columns, side by side.
        columns = page.locator("#adds .col")
        assert columns.count() == 2
        first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
        assert (
            first and second and first["y"] == second["y"] and second["x"] > first["x"] + first["width"] - 1
        )
        assert "Kaba died after he was shot" in columns.nth(0).inner_text() + columns.nth(1).inner_text()

        shot = tmp_path / "story.png"
        page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size < 1_500_000
        if os.environ.get("NEWSFOLD_UPDATE_SCREENSHOTS") == "1":
            DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, DOCS_SCREENSHOT)

        # An article: removed lines struck through, with their reasons.
        page.locator("#articles a.title").first.click()
        page.wait_for_url("**/articles/*")
        struck = page.locator("p.removed del")
        assert struck.count() >= 1 and struck.first.is_visible()
        assert page.locator("p.removed .reason").first.inner_text() in newsfold.clean.REASONS
        assert errors == []  # no blocked resource, no script error
    finally:
        context.close()


def test_a_phone_sees_the_outlets_side_by_side(browser: Any, server: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    try:
        page.goto(f"{server}/?q=Braverman")
        page.locator("ul.stories a.title").first.click()
        page.wait_for_url("**/stories/s-*")
        # No sideways scrolling of the page itself: only the columns' strip scrolls.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        columns = page.locator("#adds .col")
        first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
        assert first and second and first["y"] == second["y"]
    finally:
        context.close()


def test_the_api_docs_list_the_operations_offline(browser: Any, server: str) -> None:
    # Swagger UI must read the OpenAPI version FastAPI writes (3.1), from files served here, not a CDN.
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{server}/api/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        assert page.locator(".opblock-summary-path", has_text="/api/stories").first.is_visible()
        assert page.locator(".errors-wrapper").count() == 0
        assert "Unable to render this definition" not in page.content()
        assert errors == []
        assert all(url.startswith(server) for url in requests), requests
    finally:
        context.close()
