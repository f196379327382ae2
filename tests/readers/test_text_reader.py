"""The plain-text reader: one article per file, header block and headline heuristics, exact text kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsfold.article import Article
from newsfold.errors import InputError
from newsfold.readers import read_inputs
from newsfold.readers.text import parse_text, read_text

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def read_one(path: Path, **kwargs) -> Article | InputError:
    (result,) = list(read_text(path, **kwargs))
    return result


def test_reads_the_real_seed_files():
    results = list(read_inputs([SEEDS]))
    assert [result.id for result in results] == ["000_3bbf104ab086ed80", "002_80ae66bd9b1465fe"]
    for article in results:
        path = SEEDS / f"{article.id}.txt"
        assert isinstance(article, Article)
        # The cleaner works line by line on the file as it was: nothing is cleaned or re-wrapped here.
        assert article.text == path.read_text(encoding="utf-8")
        assert article.origin == str(path)
        assert article.clean_text == ""
    first, second = results
    assert first.text.startswith("For free real time breaking news alerts")
    assert "Suella Braverman has backed armed officers" in first.text
    assert second.text.startswith("The officer accused of his murder")
    # Both seeds open with a long sentence, which is no headline.
    assert first.title is None and second.title is None


def test_header_block_fills_fields_and_leaves_the_text(tmp_path, build):
    path = build.write(
        tmp_path,
        "story.txt",
        "Title: Bridge vote passes\n"
        "Outlet: The Example Times\n"
        "Date: 2024-03-05T10:00:00+01:00\n"
        "URL: https://www.example.com/bridge\n"
        "Author: Jane Doe\n"
        "\n"
        "The council voted on Tuesday.\n\nWork starts in spring.\n",
    )
    article = read_one(path)
    assert article.id == "story"
    assert article.title == "Bridge vote passes"
    assert article.source == "The Example Times"
    assert article.url == "https://www.example.com/bridge"
    assert article.published == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert article.metadata == {"author": "Jane Doe"}
    assert article.text == "The council voted on Tuesday.\n\nWork starts in spring.\n"


def test_url_host_is_the_outlet_when_none_is_named(tmp_path, build):
    path = build.write(tmp_path, "a.txt", "URL: https://www.example.co.uk/x\n\nBody text here.\n")
    assert read_one(path).source == "example.co.uk"


def test_rfc_2822_header_dates_are_read(tmp_path, build):
    path = build.write(tmp_path, "a.txt", "Published: Tue, 05 Mar 2024 10:00:00 -0500\n\nBody.\n")
    assert read_one(path).published == datetime(2024, 3, 5, 15, 0, tzinfo=UTC)


def test_bad_header_date_names_its_line(tmp_path, build):
    path = build.write(tmp_path, "a.txt", "Title: T\nDate: last Tuesday\n\nBody.\n")
    error = read_one(path)
    assert isinstance(error, InputError)
    assert error.where == f"{path}:2"
    assert "last Tuesday" in error.message


def test_key_value_lines_without_a_known_field_stay_text(tmp_path, build):
    content = "Update: the vote was delayed\n\nMore text follows.\n"
    path = build.write(tmp_path, "a.txt", content)
    article = read_one(path)
    assert article.text == content
    assert article.metadata == {}
    assert article.published is None


def test_header_must_end_with_a_blank_line(tmp_path, build):
    content = "Title: Not a header\nbecause this line is prose.\n\nMore.\n"
    article = read_one(build.write(tmp_path, "a.txt", content))
    assert article.text == content
    assert article.title is None


def test_short_first_line_before_a_blank_line_is_the_title(tmp_path, build):
    content = "\nBridge vote passes after long debate\n\nThe council voted on Tuesday.\n"
    article = read_one(build.write(tmp_path, "a.txt", content))
    assert article.title == "Bridge vote passes after long debate"
    assert article.text == content


def test_first_lines_that_read_as_prose_are_not_titles(tmp_path, build):
    sentence = "The council voted on Tuesday.\n\nMore.\n"
    long_line = " ".join(["word"] * 21) + "\n\nMore.\n"
    no_blank = "Bridge vote passes\nThe council voted on Tuesday.\n"
    alone = "Bridge vote passes\n\n"
    quoted = "\u201cWe will build it,\u201d she said.\u201d\n\nMore.\n"
    for index, content in enumerate([sentence, long_line, no_blank, alone, quoted]):
        article = read_one(build.write(tmp_path, f"{index}.txt", content))
        assert article.title is None, content


def test_bom_is_stripped_and_crlf_kept(tmp_path, build):
    path = build.write(tmp_path, "a.txt", b"\xef\xbb\xbfHeadline here\r\n\r\nBody line.\r\n")
    article = read_one(path)
    assert article.text == "Headline here\r\n\r\nBody line.\r\n"
    assert article.title == "Headline here"


def test_undecodable_bytes_name_the_line(tmp_path, build):
    path = build.write(tmp_path, "bad.txt", b"line one\nline two\nbad \xff byte\nline four\n")
    error = read_one(path)
    assert isinstance(error, InputError)
    assert error.where == f"{path}:3"
    assert "UTF-8" in error.message


def test_empty_and_header_only_files_are_errors():
    empty = parse_text(b" \n\n", name="e.txt", article_id="e")
    header_only = parse_text(b"Title: Only a title\n\n", name="h.txt", article_id="h")
    assert isinstance(empty, InputError) and empty.message == "empty file"
    assert isinstance(header_only, InputError) and header_only.where == "h.txt"


def test_source_override_beats_the_header(tmp_path, build):
    path = build.write(tmp_path, "a.txt", "Source: Daily Planet\n\nBody.\n")
    assert read_one(path, source="Wire").source == "Wire"


def test_on_bytes_reports_the_file_size(tmp_path, build):
    path = build.write(tmp_path, "a.txt", "Some text.\n")
    seen: list[int] = []
    read_one(path, on_bytes=seen.append)
    assert seen == [path.stat().st_size]


def test_a_text_file_of_html_paragraphs_is_made_plain(tmp_path, build):
    body = "Title: Bridge &amp; road\n\n<p>The bridge reopened on <b>Tuesday</b>.</p>\n<p>Traffic returned.</p>\n"
    (article,) = read_inputs([build.write(tmp_path, "bridge.txt", body)])
    assert article.title == "Bridge & road"
    assert article.text == "The bridge reopened on Tuesday.\n\nTraffic returned."


def test_a_written_header_date_is_read(tmp_path, build):
    body = "Title: Tram fares\nDate: March 5, 2024 2:30 PM EST\n\nFares will rise by ten pence in May.\n"
    (article,) = read_inputs([build.write(tmp_path, "fares.txt", body)])
    assert article.published == datetime(2024, 3, 5, 19, 30, tzinfo=UTC)


def test_markdown_marks_go_and_the_words_stay(tmp_path, build):
    body = (
        "# Tram fares to rise\n\nFares in **Kessel** rise by *10 per cent*, the [transport authority]"
        "(https://ta.example) said; see config_file_name for _details_.\n"
    )
    (article,) = read_inputs([build.write(tmp_path, "fares.md", body)])
    assert article.text == (
        "Tram fares to rise\n\nFares in Kessel rise by 10 per cent, the transport authority said; "
        "see config_file_name for details.\n"
    )


def test_markdown_block_quote_marks_go_and_the_quote_stays(tmp_path):
    from newsfold.readers.text import read_text

    path = tmp_path / "story.md"
    path.write_text(
        "# Ferry service suspended\n\nThe ferry between the islands stopped on Monday after a storm.\n\n"
        "> We will resume as soon as it is safe, the operator said.\n> > Nested words stay too.\n",
        encoding="utf-8",
    )
    [article] = read_text(path)
    assert "We will resume as soon as it is safe, the operator said." in article.text.split("\n")
    assert ">" not in article.text
