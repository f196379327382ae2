"""The HTML reader and the extraction it shares with the WARC reader."""

from __future__ import annotations

from datetime import UTC, datetime

from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import read_inputs
from newsfold.readers.html import extract_article, read_html


def test_page_text_and_metadata(tmp_path, build):
    paragraphs = [build.paragraph(i) for i in range(1, 4)]
    data = build.page(
        "Bridge vote passes",
        paragraphs,
        date="2024-03-05T08:30:00+00:00",
        sitename="The Example Times",
        canonical="https://www.example.com/news/bridge",
    )
    path = build.write(tmp_path, "bridge-page.html", data)
    (article,) = read_html(path)
    assert isinstance(article, Article)
    assert article.id == "bridge-page"
    assert article.origin == str(path)
    assert article.title == "Bridge vote passes"
    assert article.source == "The Example Times"
    assert article.url == "https://www.example.com/news/bridge"
    assert article.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)  # the time of day is kept
    # Every paragraph survives, each on its own line, with a blank line between blocks.
    body_lines = article.text.split("\n\n")
    for text in paragraphs:
        assert text in body_lines
    assert "<p>" not in article.text


def test_hostname_is_the_source_without_a_site_name(tmp_path, build):
    path = build.write(tmp_path, "p.html", build.page(canonical="https://www.news.example/a"))
    (article,) = read_html(path)
    assert article.source == "news.example"


def test_declared_charset_is_honoured(tmp_path, build):
    words = [f"Le caf\u00e9 cr\u00e8me co\u00fbte cher {build.paragraph(i)}" for i in range(3)]
    path = build.write(tmp_path, "fr.html", build.page("Caf\u00e9", words, charset="windows-1252"))
    assert "\u00e9".encode("windows-1252") in path.read_bytes()
    (article,) = read_html(path)
    assert "Le caf\u00e9 cr\u00e8me co\u00fbte cher" in article.text


def test_page_without_main_text_is_an_error(tmp_path, build):
    empty_page = "<html><head><title>Nothing</title></head><body></body></html>"
    path = build.write(tmp_path, "empty.html", empty_page)
    (error,) = read_html(path)
    assert isinstance(error, InputError)
    assert error.where == str(path)
    assert "no main text" in error.message


def test_source_override(tmp_path, build):
    path = build.write(tmp_path, "p.html", build.page(sitename="The Example Times"))
    (article,) = read_inputs([path], source="Wire")
    assert article.source == "Wire"


def test_given_url_wins_and_fallback_date_fills_a_gap(build):
    undated = build.page(canonical="https://example.com/canonical")
    dated = build.page(date="2023-01-02")
    fallback = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    first = extract_article(
        undated, article_id="a", origin="o", url="https://example.com/crawled", fallback_date=fallback
    )
    second = extract_article(dated, article_id="b", origin="o", fallback_date=fallback)
    assert first.url == "https://example.com/crawled"
    assert first.published == fallback
    assert second.published == datetime(2023, 1, 2, tzinfo=UTC)


def test_a_page_with_a_few_stray_words_is_no_article(build):
    front = (
        b"<html><head><title>Coastal Herald</title></head><body><nav><a href='/'>Home</a> "
        b"<a href='/news'>News</a></nav><main><h2><a href='/ferry'>Ferry suspended</a></h2></main></body></html>"
    )
    result = extract_article(front, article_id="front", origin="front.html")
    assert isinstance(result, InputError) and "no article text" in result.message


def test_a_line_break_inside_a_paragraph_does_not_split_it(build):
    first = build.paragraph(1).replace(" council ", " council<br>", 1)
    data = build.page("Bridge vote passes", [first, build.paragraph(2)])
    article = extract_article(data, article_id="a", origin="o")
    before, after = build.paragraph(1).split(" council ", 1)
    # The break stays a line break inside its paragraph; paragraphs are still split by a blank line.
    assert f"{before} council\n{after}" in article.text.split("\n\n")
    assert build.paragraph(2) in article.text.split("\n\n")


def test_a_hard_wrapped_press_release_is_read_as_paragraphs(build):
    import textwrap

    from newsfold.clean import clean_text

    release = [
        "The county council approved on Tuesday a plan to rebuild the old river bridge, which has been closed"
        " to heavy lorries since inspectors found cracks in two of its supports last spring, and the work is"
        " expected to take eighteen months.",
        "Engineers will replace the deck and strengthen the arches while a temporary footbridge keeps the two"
        " banks connected for people walking to the market, the school and the railway station.",
    ]
    # A press release as some sites publish it: every line of the wrapped text in a block of its own.
    lines = [line for text in release for line in textwrap.wrap(text, 70)]
    article = extract_article(build.page("Bridge plan approved", lines), article_id="a", origin="o")
    paragraphs = article.text.split("\n\n")
    assert [" ".join(p.split()) for p in paragraphs if "bridge" in p or "Engineers" in p] == release
    cleaned = clean_text(article.text)
    assert " ".join(cleaned.text.split()).endswith(" ".join(release))  # all of it kept


def test_headings_and_short_blocks_are_not_joined_to_the_paragraphs_they_precede(build):
    blocks = ["What happens next", build.paragraph(1), "the council said in a statement", build.paragraph(2)]
    article = extract_article(build.page("Bridge vote passes", blocks), article_id="a", origin="o")
    assert article.text.split("\n\n")[-4:] == blocks


def test_a_page_laid_out_in_a_table_is_read_as_paragraphs_and_a_table_of_data_stays(build):
    first, second, third = (build.paragraph(i) for i in (1, 2, 3))
    page = f"""<html><head><title>Bridge vote passes</title></head><body><nav>Home | News</nav>
    <table><tr><td><p>{first}</p><p>{second}</p>Printer-friendly version</td></tr></table>
    <p>{third}</p>
    <table><tr><td>Votes for</td><td>31</td></tr><tr><td>Votes against</td><td>12</td></tr></table>
    </body></html>"""
    article = extract_article(page, article_id="a", origin="o")
    # Without the unwrapping, the first table is one line: "| Paragraph 1: ... Paragraph 2: ... |".
    assert article.text.split("\n\n") == [
        first,
        second,
        "Printer-friendly version",
        third,
        "| Votes for | 31 |",
        "| Votes against | 12 |",
    ]


def test_the_declared_publication_time_beats_a_day_in_the_address(build):
    # WordPress and Arc pages carry the day in their address; the page's own timestamp has the time, and
    # 23:30 in New York is the next day in UTC.
    page = build.page(
        "Council passes transit budget",
        date="2024-03-12T23:30:00-05:00",
        canonical="https://ledger.example/2024/03/12/council-transit-budget/",
    )
    article = extract_article(page, article_id="a", origin="a.html")
    assert article.published == datetime(2024, 3, 13, 4, 30, tzinfo=UTC)
    ld = page.replace(
        b'<meta property="article:published_time" content="2024-03-12T23:30:00-05:00">',
        b'<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-07-18T14:02:11Z"}</script>',
    )
    assert extract_article(ld, article_id="b", origin="b.html").published == datetime(
        2024, 7, 18, 14, 2, 11, tzinfo=UTC
    )


def test_an_undeclared_western_page_reads_as_a_browser_reads_it(build):
    words = "La poeta María Muñoz, de 82 años, recibió el jueves el premio nacional de poesía por su libro."
    page = (
        "<html><head><title>Señora Muñoz gana el premio</title></head><body><article>"
        + f"<p>{words}</p>" * 3
        + "</article></body></html>"
    ).encode("latin-1")
    article = extract_article(page, article_id="es", origin="es.html")
    assert "María Muñoz, de 82 años" in article.text


def test_a_japanese_page_is_an_article_though_it_has_few_spaces(build):
    sentence = "東京都は十二日、大雨による被害を受けた地域への支援策を発表した。"
    page = (
        "<html><head><title>大雨の支援策</title></head><body><article>"
        + f"<p>{sentence}</p>" * 4
        + "</article></body></html>"
    ).encode()
    article = extract_article(page, article_id="ja", origin="ja.html")
    assert isinstance(article, Article) and sentence in article.text


def test_a_table_of_one_cell_is_a_line_of_the_page(build):
    body = "".join(f"<p>{build.paragraph(n)}</p>" for n in (1, 2, 3))
    page = (
        "<html><head><title>School vote</title></head><body>"
        '<table width="100%"><tr><td><a href="/">HOME</a> | <a href="/local">LOCAL</a></td></tr></table>'
        f"<div>{body}</div></body></html>"
    ).encode()
    article = extract_article(page, article_id="t", origin="t.html")
    lines = article.text.split("\n\n")
    assert "HOME | LOCAL" in lines  # a line the cleaner knows as a menu, not an escaped table row
    assert not any("\\|" in line for line in lines)
