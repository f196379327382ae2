"""The RSS/Atom reader, from files and from URLs through a fake fetcher (never the network)."""

from __future__ import annotations

import hashlib
import urllib.error
from datetime import UTC, datetime

import pytest

import newsfold.readers.feed as feed
from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import input_size, read_inputs
from newsfold.readers.feed import parse_feed, read_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Example &amp; Times</title><link>https://example.com/</link>
  <item>
    <title>A &lt;b&gt;bold&lt;/b&gt;
      title</title>
    <link>https://example.com/a</link>
    <guid>https://example.com/a</guid>
    <pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate>
    <author>jane@example.com (Jane Doe)</author>
    <category>Politics</category>
    <description>&lt;p&gt;Summary only.&lt;/p&gt;</description>
    <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[
      <p>First   paragraph of
      the story.</p><p>Second<br/>line.</p><script>evil()</script>]]></content:encoded>
  </item>
  <item>
    <title>No body here</title>
    <link>https://example.com/b</link>
  </item>
  <item>
    <title>Short guid</title>
    <guid isPermaLink="false">story-42</guid>
    <description>Plain words, &lt;i&gt;some&lt;/i&gt; markup.</description>
  </item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Wire</title>
  <entry>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <title>Atom entry</title>
    <link href="https://wire.example/1"/>
    <updated>2024-03-05T10:00:00Z</updated>
    <summary>The summary.</summary>
    <content type="html">&lt;p&gt;The full content.&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>https://wire.example/2</id>
    <title>Plain text entry</title>
    <published>2024-03-04T09:00:00-05:00</published>
    <updated>2024-03-06T09:00:00Z</updated>
    <content type="text">Line one &lt;not a tag&gt;.</content>
  </entry>
</feed>
"""


def test_rss_entries_become_articles(tmp_path, build):
    path = build.write(tmp_path, "news.rss", RSS)
    first, no_text, short_guid = read_feed(path)
    assert isinstance(first, Article)
    assert first.id == "f-" + hashlib.sha1(b"https://example.com/a").hexdigest()[:16]
    assert first.title == "A bold title"
    assert first.url == "https://example.com/a"
    assert first.source == "Example & Times"
    assert first.published == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    # Full content wins over the summary, and its markup becomes paragraphs.
    assert first.text == "First paragraph of the story.\n\nSecond\nline."
    assert first.metadata == {"author": "jane@example.com (Jane Doe)", "tags": ["Politics"]}
    assert first.origin == f"{path} entry 1 (https://example.com/a)"

    assert isinstance(no_text, InputError)
    assert no_text.where == f"{path} entry 2 (https://example.com/b)"

    assert short_guid.id == "story-42"
    assert short_guid.text == "Plain words, some markup."
    assert short_guid.url is None
    assert short_guid.origin == f"{path} entry 3"


def test_atom_entries(tmp_path, build):
    path = build.write(tmp_path, "wire.atom", ATOM)
    html_entry, text_entry = read_feed(path)
    assert html_entry.id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert html_entry.text == "The full content."
    assert html_entry.url == "https://wire.example/1"
    assert html_entry.published == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert html_entry.source == "Atom Wire"
    # Published beats updated; plain-text content is not parsed as markup.
    assert text_entry.published == datetime(2024, 3, 4, 14, 0, tzinfo=UTC)
    assert text_entry.text == "Line one <not a tag>."
    assert text_entry.id == "f-" + hashlib.sha1(b"https://wire.example/2").hexdigest()[:16]


def test_feed_without_title_uses_the_link_host():
    data = b'<rss version="2.0"><channel><item><link>https://www.host.example/x</link>'
    data += b"<description>Body.</description></item></channel></rss>"
    (article,) = parse_feed(data, name="f.xml")
    assert article.source == "host.example"


def test_malformed_feed_is_one_error_naming_the_file(tmp_path, build):
    path = build.write(tmp_path, "broken.xml", "<rss version='2.0'><channel><title>T</title></chan")
    (error,) = read_inputs([path])
    assert isinstance(error, InputError)
    assert error.where == str(path)
    assert "malformed feed" in error.message


def test_xml_that_is_not_a_feed(tmp_path, build):
    path = build.write(tmp_path, "data.xml", "<?xml version='1.0'?><catalog><book>x</book></catalog>")
    (error,) = read_inputs([path])
    assert isinstance(error, InputError)
    assert "not an RSS or Atom feed" in error.message


def test_sloppy_feed_with_entries_is_still_read():
    # An undefined entity makes feedparser flag the feed as bozo, but the entries are fine.
    data = b'<rss version="2.0"><channel><title>T &nbsp; T</title><item><title>x</title>'
    data += b"<description>Body text.</description></item></channel></rss>"
    (article,) = parse_feed(data, name="f.xml")
    assert article.text == "Body text."


def test_garbled_encoding_declaration_is_an_error_not_a_crash():
    # feedparser itself raises UnicodeDecodeError on this; the reader must turn it into a report.
    data = b'<?xml version="1.0" encoding="\xcftf-8"?><rss version="2.0"><channel></channel></rss>'
    (error,) = parse_feed(data, name="odd.xml")
    assert isinstance(error, InputError)
    assert error.where == "odd.xml"


def test_source_override(tmp_path, build):
    path = build.write(tmp_path, "news.rss", RSS)
    results = list(read_inputs([path], source="Wire"))
    assert {result.source for result in results if isinstance(result, Article)} == {"Wire"}


def test_url_inputs_are_fetched_through_the_injectable_fetcher(monkeypatch):
    requested: list[str] = []

    def fake_fetch(url: str) -> bytes:
        requested.append(url)
        return ATOM.encode()

    monkeypatch.setattr(feed, "fetch_url", fake_fetch)
    url = "https://wire.example/feed.atom"
    seen: list[int] = []
    results = list(read_inputs([url], on_bytes=seen.append))
    assert requested == [url]
    assert [article.title for article in results] == ["Atom entry", "Plain text entry"]
    assert results[0].origin == f"{url} entry 1 (https://wire.example/1)"
    # A URL's size is unknown up front, so it adds nothing to the progress total either.
    assert input_size([url]) == 0 and sum(seen) == 0


def test_failed_fetch_is_one_error_naming_the_url(monkeypatch):
    def failing_fetch(url: str) -> bytes:
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr(feed, "fetch_url", failing_fetch)
    (error,) = read_inputs(["http://down.example/rss"])
    assert isinstance(error, InputError)
    assert error.where == "http://down.example/rss"
    assert "connection refused" in error.message


def test_fetch_url_sends_a_user_agent_and_a_timeout(monkeypatch):
    calls: list[tuple[object, float]] = []

    class FakeResponse:
        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return False

        def read(self, limit: int) -> bytes:
            return b"<rss/>"

    def fake_urlopen(request, timeout):
        calls.append((request, timeout))
        return FakeResponse()

    monkeypatch.setattr(feed.urllib.request, "urlopen", fake_urlopen)
    assert feed.fetch_url("https://example.com/rss") == b"<rss/>"
    ((request, timeout),) = calls
    assert request.full_url == "https://example.com/rss"
    assert request.get_header("User-agent") == feed.USER_AGENT
    assert timeout == pytest.approx(feed.FETCH_TIMEOUT)


def test_a_feed_cut_short_keeps_its_entries_and_says_it_was_cut():
    data = b'<rss version="2.0"><channel><title>T</title><item><title>x</title>'
    data += b"<description>Body text of the first report.</description></item><item><title>y</title><descr"
    *entries, cut = parse_feed(data, name="cut.xml")
    assert any(isinstance(e, Article) and e.text == "Body text of the first report." for e in entries)
    assert isinstance(cut, InputError) and cut.where == "cut.xml"
    assert "feed cut short" in cut.message
