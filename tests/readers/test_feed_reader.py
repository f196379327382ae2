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
    assert [e.text for e in entries] == ["Body text of the first report."]
    assert isinstance(cut, InputError) and cut.where == "cut.xml"
    assert "feed cut short" in cut.message and "1 complete entry was read" in cut.message


# --- a feed cut short --------------------------------------------------------------------------------------
CUT_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
  <title>Valley Tribune</title><link>https://valley.example/</link>
  <item>
    <title>Bakery wins award</title><guid isPermaLink="false">vt-1</guid>
    <description>The oldest bakery has won the regional award for its sourdough.</description>
  </item>
  <item>
    <title>Flood defences raised</title><guid isPermaLink="false">vt-2</guid>
    <description>Flood walls will be raised.</description>
    <content:encoded><![CDATA[<p>The river authority will raise flood walls along the Arle.</p>
      <p>Work will begin in June.</p>]]></content:encoded>
  </item>
</channel></rss>
"""


def _cut_before(marker: str) -> bytes:
    """``CUT_FEED`` as a download interrupted just before the last occurrence of ``marker``."""
    return CUT_FEED[: CUT_FEED.rindex(marker)].encode()


@pytest.mark.parametrize(
    "marker",
    [
        "Work will begin",  # in the second entry's content, an unclosed CDATA section
        "be raised.</description>",  # in its description, before any content
        "em>\n</channel>",  # in its closing tag: "</it"
        "\n    <title>Flood",  # just after its opening tag
    ],
)
def test_the_entry_a_feed_is_cut_in_is_left_out(marker):
    *articles, cut = parse_feed(_cut_before(marker), name="cut.xml")
    # Stored, the incomplete entry would hold its id, and the whole entry read later could never replace it.
    assert [article.id for article in articles] == ["vt-1"]
    assert isinstance(cut, InputError) and cut.where == "cut.xml"
    assert "feed cut short" in cut.message
    assert "in entry 2, which is left out; 1 complete entry was read" in cut.message


@pytest.mark.parametrize(
    ("marker", "ids", "said"),
    [
        ("\n  <item>\n    <title>Flood", ["vt-1"], "after entry 1; 1 complete entry was read"),
        ("\n</channel>", ["vt-1", "vt-2"], "after entry 2; 2 complete entries were read"),
    ],
)
def test_a_feed_cut_between_entries_keeps_them_all(marker, ids, said):
    *articles, cut = parse_feed(_cut_before(marker), name="cut.xml")
    assert [article.id for article in articles] == ids
    assert cut.message.startswith("feed cut short (") and cut.message.endswith(said)


def test_an_entry_cut_in_its_content_is_read_whole_from_the_complete_feed():
    # The audit's case: the only entry, cut in its content:encoded, once stored its one-line description.
    data = CUT_FEED[: CUT_FEED.index("  <item>")] + CUT_FEED[CUT_FEED.rindex("  <item>") :]
    (cut,) = parse_feed(data[: data.index("Work will begin")].encode(), name="cut.xml")
    assert isinstance(cut, InputError)
    assert "in entry 1, which is left out; 0 complete entries were read" in cut.message
    (article,) = parse_feed(data.encode(), name="whole.xml")
    assert article.id == "vt-2"
    assert (
        article.text
        == "The river authority will raise flood walls along the Arle.\n\nWork will begin in June."
    )


def test_a_cut_feed_in_a_multibyte_encoding_keeps_its_whole_entries():
    # Expat cannot read Shift_JIS itself: the check for where the cut fell must decode it first.
    entry = "<item><guid>j-{n}</guid><description>東京の記事 {n} です。</description></item>"
    document = '<?xml version="1.0" encoding="shift_jis"?><rss version="2.0"><channel><title>東京</title>'
    document += entry.format(n=1) + entry.format(n=2)
    articles = list(parse_feed(document.encode("shift_jis"), name="jp.xml"))
    assert [getattr(article, "id", None) for article in articles] == ["j-1", "j-2", None]
    assert "after entry 2; 2 complete entries were read" in articles[-1].message


@pytest.mark.parametrize("document", [CUT_FEED, ATOM], ids=["rss", "atom"])
def test_wherever_a_feed_is_cut_every_article_read_is_a_whole_entry(document):
    data = document.encode()
    whole = [result for result in parse_feed(data, name="f.xml") if isinstance(result, Article)]
    assert len(whole) == 2
    for end in range(len(data)):
        articles = [result for result in parse_feed(data[:end], name="f.xml") if isinstance(result, Article)]
        assert articles == whole[: len(articles)], f"cut after {data[max(0, end - 30) : end]!r}"


# --- relative links ----------------------------------------------------------------------------------------
RELATIVE = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Valley Tribune</title><link>{channel}</link>
  <item><guid>rooted</guid><link>/news/flood</link><description>Flood.</description></item>
  <item><guid>pathed</guid><link>news/bakery</link><description>Bakery.</description></item>
  <item><guid>absolute</guid><link>https://other.example/x</link><description>X.</description></item>
  <item><link>/news/no-guid</link><description>No guid.</description></item>
</channel></rss>
"""


def test_relative_links_in_a_feed_file_resolve_against_the_channel_link(tmp_path, build):
    path = build.write(tmp_path, "valley.rss", RELATIVE.format(channel="https://valley.example/section/"))
    articles = list(read_feed(path))
    assert [article.url for article in articles] == [
        "https://valley.example/news/flood",
        "https://valley.example/section/news/bakery",
        "https://other.example/x",
        "https://valley.example/news/no-guid",
    ]
    assert articles[0].origin == f"{path} entry 1 (https://valley.example/news/flood)"
    # An entry without a guid keeps the id of its link as written, whichever base resolved it.
    assert articles[3].id == "f-" + hashlib.sha1(b"/news/no-guid").hexdigest()[:16]


def test_relative_links_in_a_feed_url_resolve_against_the_url(monkeypatch):
    monkeypatch.setattr(
        feed, "fetch_url", lambda url: RELATIVE.format(channel="https://valley.example/").encode()
    )
    articles = list(read_inputs(["http://127.0.0.1:8799/feeds/served.xml"]))
    assert [article.url for article in articles] == [
        "http://127.0.0.1:8799/news/flood",
        "http://127.0.0.1:8799/feeds/news/bakery",
        "https://other.example/x",
        "http://127.0.0.1:8799/news/no-guid",
    ]


def test_a_relative_xml_base_resolves_against_the_feed_url():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/">
      <title>Blog</title><entry><id>b-1</id><link href="post-1"/><content>Body.</content></entry></feed>"""
    (article,) = feed.read_feed_url("https://blog.example/feeds/atom.xml", fetch=lambda url: atom)
    assert article.url == "https://blog.example/blog/post-1"


@pytest.mark.parametrize("channel", ["", "/relative/", "not a url", "ftp://files.example/"])
def test_links_stay_as_written_without_an_absolute_base(channel):
    articles = list(parse_feed(RELATIVE.format(channel=channel).encode(), name="valley.rss"))
    assert [article.url for article in articles] == [
        "/news/flood",
        "news/bakery",
        "https://other.example/x",
        "/news/no-guid",
    ]


# --- not a feed at all -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "what"),
    [
        (
            b"<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>One<br>two</p></body></html>",
            "an HTML page",
        ),
        (b"\n<HTML lang=en><body><p>Shouting page</p>", "an HTML page"),
        (
            b'<?xml version="1.0"?>\n<!-- served -->\n'
            b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
            b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Well-formed</p></body></html>',
            "an HTML page",
        ),
        (b'\xef\xbb\xbf{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n', "JSON"),
        (b'  [{"id": "a"}]', "JSON"),
    ],
)
def test_a_url_that_serves_no_feed_says_what_it_serves(monkeypatch, body, what):
    monkeypatch.setattr(feed, "fetch_url", lambda url: body)
    (error,) = read_inputs(["https://news.example/page"])
    assert isinstance(error, InputError) and error.where == "https://news.example/page"
    assert error.message.startswith(
        f"not an RSS or Atom feed (the URL serves {what}); newsfold reads feed URLs"
    )


def test_a_feed_file_that_is_an_html_page_says_so(tmp_path, build):
    path = build.write(tmp_path, "page.xml", build.page())
    (error,) = read_inputs([path])
    assert isinstance(error, InputError)
    assert error.message == "not an RSS or Atom feed (the file is an HTML page)"


def _serial_feed(site: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{site}</title><link>https://{site}/</link>'
        f'<item><guid isPermaLink="false">1</guid><title>T</title><description>{text}</description></item>'
        "</channel></rss>"
    ).encode()


def test_serial_guids_of_two_feeds_are_two_articles():
    one = _serial_feed("g-news.example", "The G report on the flood, with its own details of the damage.")
    two = _serial_feed("h-news.example", "The H report on a different event entirely, on another day.")
    (a,) = parse_feed(one, name="g.xml")
    (b,) = parse_feed(two, name="h.xml")
    (again,) = parse_feed(one, name="copy-of-g.xml")
    assert a.id != b.id and a.id.startswith("f-")
    assert again.id == a.id  # the same feed read again, from any path: the same id


def test_a_corrected_entry_under_its_guid_is_skipped_not_refused(tmp_path, build):
    import newsfold

    def feed(text: str) -> str:
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title><item>'
            f'<title>Dam</title><guid isPermaLink="false">gz-1</guid><description>{text}</description>'
            "</item></channel></rss>"
        )

    first = build.write(
        tmp_path, "v1.xml", feed("The dam above Lowmere gave way on Sunday, flooding 400 homes.")
    )
    second = build.write(
        tmp_path, "v2.xml", feed("The dam above Lowmere gave way on Sunday, flooding 450 homes.")
    )
    with newsfold.open_store(tmp_path / "news.db") as store:
        assert newsfold.ingest(store, [first]).ingested == 1
        report = newsfold.ingest(store, [second])
        # The README's promise: a stored entry is not read again; a correction is no error either.
        assert report.errors == [] and report.skip_reasons == {"already stored": 1}
        assert "400 homes" in store.get_article("gz-1").text


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [
        ("2024.07.03", datetime(2024, 7, 3, tzinfo=UTC)),
        ("1720036800", datetime(2024, 7, 3, 20, 0, tzinfo=UTC)),  # a Unix time
        ("3 July 2024 22:00 CEST", datetime(2024, 7, 3, 20, 0, tzinfo=UTC)),
        ("Wed, 03 Jul 2024 22:00:00 PDT", datetime(2024, 7, 4, 5, 0, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 +0100", datetime(2024, 3, 5, 9, 0, tzinfo=UTC)),
        ("07/03/2024 10:00 PM", None),  # July 3 or March 7: no date beats a wrong one
    ],
)
def test_entry_dates_are_read_as_jsonl_dates_are(pub_date, expected):
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Dates</title><item><title>T</title>'
        f"<guid>d-1</guid><pubDate>{pub_date}</pubDate><description>Some words of the entry.</description>"
        "</item></channel></rss>"
    )
    [entry] = parse_feed(rss.encode(), name="dates.xml")
    assert entry.published == expected


def test_an_entry_without_a_link_has_no_url_made_of_its_guid():
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>G</title><link>https://gazette.example/</link>'
        "<item><title>T</title><guid>hg-2024-0005</guid><description>Words of the entry here.</description></item>"
        "</channel></rss>"
    )
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        "<entry><id>tag:atomnews.example,2024:3</id><title>T</title><updated>2024-03-05T10:00:00Z</updated>"
        '<content type="text">Words of the entry here.</content></entry></feed>'
    )
    [from_rss] = parse_feed(rss.encode(), name="g.xml")
    [from_atom] = parse_feed(atom.encode(), name="a.xml")
    assert from_rss.url is None and from_atom.url is None
