"""HTML in text fields: fragments made plain, markup told from prose that merely uses angle brackets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfold.readers.markup import html_to_text, plain_line, plain_text


def test_html_to_text_keeps_paragraphs():
    fragment = (
        "<p>First   para\n continues.</p><p>Second<br/>line &amp; more.</p>tail"
        "<ul><li>one</li><li>two</li></ul><!-- hidden --><script>track()</script><h2>Head</h2>"
    )
    expected = "First para continues.\n\nSecond\nline & more.\n\ntail\n\none\n\ntwo\n\nHead"
    assert html_to_text(fragment) == expected


def test_html_to_text_of_plain_or_empty_input():
    assert html_to_text("just words") == "just words"
    assert html_to_text("  ") == ""
    assert html_to_text("<p></p><div> </div>") == ""


@given(st.text())
def test_html_to_text_never_raises_and_is_tidy(fragment):
    text = html_to_text(fragment)
    assert text == text.strip()
    assert "\n\n\n" not in text


def test_paragraph_markup_is_read_as_html():
    text = (
        "<p>The mayor said on <b>Tuesday</b> that\nthe bridge would reopen.</p>\n<p>Work cost &pound;14m.</p>"
    )
    assert plain_text(text) == "The mayor said on Tuesday that the bridge would reopen.\n\nWork cost £14m."


def test_inline_markup_only_keeps_the_texts_own_lines():
    text = (
        'Engineers found <a href="/x">cracks</a> in 2023.\n\nThe council <em>voted</em> 7-2.\nIt met at noon.'
    )
    assert plain_text(text) == "Engineers found cracks in 2023.\n\nThe council voted 7-2.\nIt met at noon."


def test_scripts_and_styles_go_with_their_content():
    text = "<div>Floods closed the road.</div><script>track('x')</script><style>p{color:red}</style>"
    assert plain_text(text) == "Floods closed the road."


def test_prose_with_angle_brackets_or_one_tag_is_left_alone():
    for text in (
        "Turnout rose to 5 < 6 and then > 7 in the second round.",
        "Authors mark bold text with the <b> tag, the guide says.",
        "Replies <like this one> and <that one> were deleted.",  # not HTML elements
        "An email from <jane@example.com> was read out in court.",
    ):
        assert plain_text(text) == text


def test_entities_alone_are_decoded():
    assert plain_text("AT&amp;T said it&#8217;s &quot;fine&quot;.") == 'AT&T said it\u2019s "fine".'
    assert plain_text("Barnes & Noble and AT&T; fine.") == "Barnes & Noble and AT&T; fine."


def test_plain_line_makes_one_line_or_none():
    assert plain_line("<b>Bridge</b>\n<i>reopens</i> &amp; more") == "Bridge reopens & more"
    assert plain_line("<p></p><br>") is None
    assert plain_line(None) is None


@given(st.text())
def test_plain_text_never_raises(text):
    assert isinstance(plain_text(text), str)
