"""The alerts demo: its feeds re-dated for serving, and (with NEWSFOLD_TEST_DEMO=1) the whole demo.sh."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from servers import DEMO, DEMO_FEEDS

from newsfold.article import Article
from newsfold.readers.feed import parse_feed


def load_prepare():
    spec = importlib.util.spec_from_file_location("alerts_demo_prepare", DEMO / "prepare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_prepare_redates_the_feeds_and_points_them_at_the_port(tmp_path):
    now = datetime(2030, 1, 2, 12, 0, tzinfo=UTC)
    site = load_prepare().prepare(tmp_path / "site", 43210, minutes_ago=5, now=now)
    assert (site / "pages" / "daily-courier" / "harwick-dam.html").is_file()
    dates = {}
    for name in DEMO_FEEDS:
        data = (site / "feeds" / name).read_bytes()
        assert b"127.0.0.1:8765" not in data and b"127.0.0.1:43210" in data
        for article in parse_feed(data, name=name):
            assert isinstance(article, Article)
            dates[article.id] = article.published
    assert dates["valley-dam-collapse"] == now - timedelta(minutes=5)
    assert dates["gazette-harwick-dam"] == now - timedelta(minutes=45)
    assert all(d < now for d in dates.values())


def test_the_demo_feeds_are_dated_before_their_anchor():
    latest = load_prepare().LATEST
    for name in DEMO_FEEDS:
        text = (DEMO / "feeds" / name).read_text(encoding="utf-8")
        for chunk in text.split("<pubDate>")[1:]:
            assert parsedate_to_datetime(chunk.split("</pubDate>")[0]) <= latest


@pytest.mark.skipif(
    not os.environ.get("NEWSFOLD_TEST_DEMO"), reason="slow (about 20 s): set NEWSFOLD_TEST_DEMO=1"
)
def test_demo_script_delivers_one_email_and_one_webhook():
    result = subprocess.run([str(DEMO / "demo.sh")], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: exactly one email and one webhook" in result.stdout
