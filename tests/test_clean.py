"""The cleaner: golden output on the seeds, line-partition properties, and the reason-coded rules."""

from __future__ import annotations

import textwrap
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.article import Article, Removed
from newsfold.clean import REASONS, Cleaned, clean, clean_text, split_units
from newsfold.clean.rules import _TRIGGERS, _triggered, rule_reason

SEED_000 = "000_3bbf104ab086ed80"
SEED_002 = "002_80ae66bd9b1465fe"
SEEDS = [SEED_000, SEED_002]


def non_blank_lines(text: str) -> list[str]:
    """The non-blank lines of the input, newline style folded, otherwise untouched."""
    return [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def unit_lines(cleaned: Cleaned) -> list[str]:
    """The non-blank lines of the units the cleaner judged (a unit is a line, or a paragraph of lines)."""
    return [line for unit in cleaned.lines for line in unit.split("\n") if line.strip()]


def interleave(cleaned: Cleaned) -> list[str]:
    """Kept and removed units merged back by the per-unit decisions."""
    kept, removed = iter(cleaned.kept), iter(cleaned.removed)
    return [next(kept) if reason is None else next(removed).text for reason in cleaned.reasons]


def has_blank_line(text: str) -> bool:
    return any(
        not line.strip(" \t") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:-1]
    )


# --- golden output on the seeds -------------------------------------------------------------------------
@pytest.mark.parametrize("stem", SEEDS)
def test_seed_matches_golden(stem, seed_text, golden):
    expected = golden(stem)
    cleaned = clean_text(seed_text(stem))
    assert cleaned.kept == expected["kept"]
    assert [[r.reason, r.text] for r in cleaned.removed] == expected["removed"]
    assert cleaned.separator == expected["separator"]
    assert cleaned.text == expected["separator"].join(expected["kept"])


@pytest.mark.parametrize("stem", SEEDS)
def test_golden_file_partitions_the_seed(stem, seed_text, golden):
    # The golden file itself must account for every non-blank line of the seed, once.
    expected = golden(stem)
    lines = non_blank_lines(seed_text(stem))
    labelled = set(expected["kept"]) | {line for _, line in expected["removed"]}
    assert len(expected["kept"]) + len(expected["removed"]) == len(lines)
    assert labelled == set(lines)


def test_seed_000_loses_signup_template_and_captions_only(seed_text):
    cleaned = clean_text(seed_text(SEED_000))
    assert [(r.reason, r.text[:40]) for r in cleaned.removed] == [
        ("newsletter", "For free real time breaking news alerts "),
        ("template", "Breaking News email {{ #verifyErrors }} "),
        ("caption", "Chris Kaba is remembered by his family a"),
        ("caption", "Chris Kaba was shot and killed in south "),
    ]
    kept = cleaned.text
    assert "sign up" not in kept.lower()
    assert "{{" not in kept and "}}" not in kept
    assert "(Getty Images)" not in kept and "(PA Media)" not in kept
    # Reporting, including every quote, survives verbatim.
    for sentence in [
        "Suella Braverman has backed armed officers who handed in their guns",
        "According to the BBC, at least 100 firearms officers have since handed in their firearm passes",
        "“They mustn’t fear ending up in the dock for carrying out their duties.",
        "“That’s why I have launched a review to ensure they have the confidence to do their jobs while "
        "protecting us all.”",
        "“Our priority is to keep the public safe.",
        "The Met has more than 3,000 firearms officers across a number of units.",
        "armed officers from neighbouring forces stepped up to help patrol the capital on Saturday night.",
    ]:
        assert sentence in kept


def test_seed_002_loses_footer_and_crypto_advert_only(seed_text):
    cleaned = clean_text(seed_text(SEED_002))
    assert [(r.reason, r.text[:30]) for r in cleaned.removed] == [
        ("source-footer", "Source link"),
        ("promo-spam", "Join the exciting world of cry"),
    ]
    kept = cleaned.text
    assert "ByBit" not in kept and "Source link" not in kept
    assert kept.startswith("The officer accused of his murder, named only as NX121")
    assert kept.endswith("appeared at Westminster Magistrates’ Court and the Old Bailey on Thursday.")
    # Odd spacing inside a kept line (here a no-break space and a space) is the outlet's, and stays.
    assert any(
        line.startswith("Senior officers, including\u00a0 Scotland Yard chief") for line in cleaned.kept
    )


@pytest.mark.parametrize("stem", SEEDS)
def test_clean_fills_article_fields(stem, seed_text):
    article = Article(id=stem, text=seed_text(stem))
    returned = clean(article)
    cleaned = clean_text(seed_text(stem))
    assert returned is article
    assert article.clean_text == cleaned.text
    assert article.removed == cleaned.removed
    assert all(isinstance(r, Removed) for r in article.removed)
    assert article.text == seed_text(stem)


# --- partition properties --------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", SEEDS)
def test_seed_lines_partition_in_order(stem, seed_text):
    text = seed_text(stem)
    cleaned = clean_text(text)
    assert cleaned.lines == non_blank_lines(text)
    assert interleave(cleaned) == non_blank_lines(text)


_JUNKY_WORDS = [
    "sign up",
    "you",
    "your",
    "free",
    "bonus",
    "(Getty Images)",
    "{{",
    "}}",
    "©",
    "Share",
    "|",
    "Source link",
    "https://example.com/x",
    "the",
    "council",
    "said.",
    "“",
    "”",
    "By",
    "Jane",
    "Advertisement",
    "12:30",
    "March",
    "Follow us",
    "cookies",
    "newsletter",
    "casino",
    "Read more",
]
_newline = st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n \n", "\n\t\n"])
_line = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=80),
    st.lists(st.sampled_from(_JUNKY_WORDS), max_size=25).map(" ".join),
)
_page = st.one_of(
    st.text(),
    st.lists(st.tuples(_line, _newline), max_size=25).map(lambda parts: "".join(a + b for a, b in parts)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_clean_text_partitions_any_text(text):
    cleaned = clean_text(text)
    # Every non-blank input line is in exactly one unit, unchanged and in order; kept + removed are the units.
    assert unit_lines(cleaned) == non_blank_lines(text)
    assert interleave(cleaned) == cleaned.lines
    assert len(cleaned.kept) + len(cleaned.removed) == len(cleaned.lines)
    assert all(reason is None or reason in REASONS for reason in cleaned.reasons)
    assert cleaned.text == cleaned.separator.join(cleaned.kept)
    assert all(unit.strip() and unit == unit.strip("\n") for unit in cleaned.lines)
    if not has_blank_line(text):
        # Without blank lines there are no paragraphs: each unit is one line.
        assert cleaned.lines == non_blank_lines(text)
        assert cleaned.separator == "\n"


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_rule_reason_never_raises_and_names_a_known_reason(line):
    reason = rule_reason(line)
    assert reason is None or reason in REASONS


@settings(max_examples=100, deadline=None)
@given(_page)
def test_clean_text_without_model_uses_rules_only(text):
    cleaned = clean_text(text, model=None)
    for unit, reason in zip(cleaned.lines, cleaned.reasons, strict=True):
        # A rule's reason always stands; a unit no rule names is kept, unless it follows a scraper's footer,
        # a comments heading, or a related-links heading (as one of its links).
        ruled = rule_reason(" ".join(unit.split()))
        assert reason == (ruled or reason)
        assert reason in (ruled, "after-footer", "comments", "related")


def test_empty_and_blank_text():
    for text in ["", "   ", "\n\n\n", "\r\n \t\r\n"]:
        cleaned = clean_text(text)
        assert cleaned.lines == [] and cleaned.kept == [] and cleaned.removed == []
        assert cleaned.text == ""


def test_crlf_and_lf_give_the_same_decisions(reports):
    lf = "\n\n".join(reports["ferry"])
    crlf = lf.replace("\n", "\r\n")
    assert clean_text(crlf).lines == clean_text(lf).lines
    assert clean_text(crlf).reasons == clean_text(lf).reasons
    assert clean_text(crlf).separator == "\n\n"


def test_separator_follows_the_input(reports):
    assert clean_text("\n".join(reports["fire"])).separator == "\n"
    assert clean_text("\n".join(reports["fire"])).text == "\n".join(reports["fire"])
    assert clean_text("\n\n".join(reports["fire"])).text == "\n\n".join(reports["fire"])


def test_hard_wrapped_paragraphs_are_judged_and_kept_whole(reports):
    paragraphs = [textwrap.fill(p, width=60) for p in reports["bridge"]]
    assert all("\n" in p for p in paragraphs)
    text = "\n\n".join([paragraphs[0], "Advertisement", *paragraphs[1:]])
    cleaned = clean_text(text)
    assert cleaned.kept == paragraphs
    assert [(r.reason, r.text) for r in cleaned.removed] == [("advertisement", "Advertisement")]
    assert cleaned.text == "\n\n".join(paragraphs)


def test_a_junk_line_under_a_paragraph_is_removed_alone(reports):
    # A scraper's page with blank lines between paragraphs, where its junk shares a paragraph with the
    # article's text (no blank line between them), as a <br> would write it.
    paragraphs = reports["bridge"]
    text = "\n\n".join(
        [
            paragraphs[0],
            paragraphs[1] + "\nSign up for our free daily newsletter",
            *paragraphs[2:-1],
            paragraphs[-1] + "\nShare this article\nFollow us on Twitter",
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.kept == paragraphs
    assert [r.text for r in cleaned.removed] == [
        "Sign up for our free daily newsletter",
        "Share this article",
        "Follow us on Twitter",
    ]
    assert cleaned.text == "\n\n".join(paragraphs)


def test_a_junk_line_under_a_hard_wrapped_paragraph_is_removed_alone(reports):
    # Wrapped lines fill the width; the paragraph's short last line ends it, so what follows in the same
    # block is a unit of its own, and goes without the paragraph.
    paragraphs = [textwrap.fill(p, width=70) for p in reports["bridge"]]
    assert all(len(p.split("\n")[-1]) < 0.6 * 70 for p in paragraphs[1:3])
    text = "\n\n".join(
        [
            paragraphs[0],
            paragraphs[1] + "\nSign up for our newsletter",
            paragraphs[2] + "\nShare this article",
            *paragraphs[3:],
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.kept == paragraphs
    assert [r.text for r in cleaned.removed] == ["Sign up for our newsletter", "Share this article"]


def test_a_headline_over_its_teaser_is_not_a_hard_wrapped_paragraph(reports):
    # Two lines of near-equal length, the first without a sentence ending, look wrapped; but the second
    # starts a new sentence, as a teaser under its headline does, where wrapped text goes on in lower case.
    teasers = [
        "Tesla shares slide after weak delivery figures\nShares of the carmaker fell 6 percent on Tuesday.",
        "Heatwave grips southern Spain and Portugal\nTemperatures topped 44C in Seville on Monday.",
    ]
    units, separator = split_units("\n\n".join([*reports["bridge"], "More from our network", *teasers]))
    assert separator == "\n\n"
    assert units[-4:] == [line for teaser in teasers for line in teaser.split("\n")]
    wrapped = [textwrap.fill(p, width=60) for p in reports["bridge"]]
    assert split_units("\n\n".join(wrapped))[0] == wrapped


def test_one_blank_line_after_a_title_does_not_merge_the_body(reports):
    # A common plain-text shape: headline, blank line, then one paragraph per line.
    body = (
        reports["bridge"][:4]
        + ["Advertisement", "Share on Facebook Share on Twitter"]
        + reports["bridge"][4:]
    )
    body.append('<div class="ad-slot">{{ ad.render }}</div>')
    text = "Bridge approved after four-hour meeting\n\n" + "\n".join(body)
    kept = clean_text(text).text
    for paragraph in reports["bridge"]:
        assert paragraph in kept
    for junk_line in ("Advertisement", "Share on Facebook", "{{ ad.render }}"):
        assert junk_line not in kept


@pytest.mark.parametrize("name", ["bridge", "strike", "ferry", "fire", "bridge-other"])
def test_plain_reports_are_kept_whole(name, reports):
    cleaned = clean_text("\n\n".join(reports[name]))
    assert cleaned.removed == []
    assert cleaned.kept == reports[name]


def test_single_reporting_sentence_is_kept():
    # One short line is unlike the pages the model learned from; the rules alone decide it.
    assert clean_text("The council approved the budget on Tuesday.").kept == [
        "The council approved the budget on Tuesday."
    ]


# --- the end-of-article footer ---------------------------------------------------------------------------
def test_text_after_a_late_footer_is_the_scrapers(reports):
    addition = "Scientists say the discovery could change how we understand the early universe, experts said."
    lines = reports["bridge"] + ["Source link", addition]
    cleaned = clean_text("\n\n".join(lines))
    assert cleaned.kept == reports["bridge"]
    assert [(r.reason, r.text) for r in cleaned.removed] == [
        ("source-footer", "Source link"),
        ("after-footer", addition),
    ]


def test_an_early_footer_does_not_remove_the_article(reports):
    lines = ["Source link"] + reports["bridge"]
    cleaned = clean_text("\n\n".join(lines))
    assert cleaned.kept == reports["bridge"]
    assert [r.reason for r in cleaned.removed] == ["source-footer"]


# --- rules on generic junk (not from the seeds) ----------------------------------------------------------
JUNK_LINES = [
    ("Already a subscriber? Log in", "paywall"),
    ("You have reached your limit of free articles this month.", "paywall"),
    ("To continue reading, please log in or register", "paywall"),
    ("This article is for subscribers only.", "paywall"),
    (
        "We use cookies to give you the best experience on our website. By continuing to browse, you agree to "
        "our use of cookies.",
        "cookie",
    ),
    ("This site uses cookies. Accept all cookies", "cookie"),
    ("Share this article: Facebook | Twitter | WhatsApp | Email", "share"),
    ("Share on Facebook Share on Twitter", "share"),
    ("Facebook Twitter Email Print", "share"),
    (
        "The post Council approves new bridge over the Avon appeared first on Riverside Gazette.",
        "source-footer",
    ),
    ("This article originally appeared on Riverside Gazette.", "source-footer"),
    ("Follow us on Telegram", "social"),
    ("Join our Telegram channel for breaking news as it happens", "social"),
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    (
        "Protect your privacy online: get 70% off NordShield VPN today at www.nordshield.example/deal",
        "promo-spam",
    ),
    (
        "Don't let your ISP spy on you. Download SafeTunnel VPN now and get 3 months free with code NEWS at "
        "https://safetunnel.example",
        "promo-spam",
    ),
    (
        "Play at Lucky Star Casino and claim your 100% deposit bonus today: https://luckystar.example",
        "promo-spam",
    ),
    pytest.param(
        "Claim your 200% welcome bonus and 50 free spins at Royal Flush Casino today, just sign up at "
        "https://royalflush.example/bonus and start winning!",
        "promo-spam",
    ),
    pytest.param(
        "Get 100 free spins at Royal Casino when you sign up today: https://royal-casino.example/promo",
        "promo-spam",
    ),
    ("Sign up to our daily newsletter to get the top stories sent straight to your inbox.", "newsletter"),
    ("Enter your email address to subscribe to our free newsletter.", "newsletter"),
    ("© 2024 Riverside Gazette. All rights reserved.", "legal"),
    ("Read more: Council budget row deepens", "related"),
    ("Home | News | Sport | Weather | Business", "navigation"),
    ("By Jane Smith, Political Correspondent", "byline"),
    ("Photo: John Smith/Reuters", "caption"),
    ('<div class="ad-slot"></div>', "template"),
]


@pytest.mark.parametrize(("line", "reason"), JUNK_LINES)
def test_rule_names_generic_junk(line, reason):
    assert rule_reason(line) == reason


@pytest.mark.parametrize(("line", "reason"), JUNK_LINES)
def test_junk_inside_an_article_is_removed_with_its_reason(line, reason, reports):
    # Put the junk line between reporting paragraphs (before the middle, so no footer cascade applies).
    body = reports["strike"]
    lines = body[:2] + [line] + body[2:]
    cleaned = clean_text("\n\n".join(lines))
    assert [(r.reason, r.text) for r in cleaned.removed] == [(reason, line)]
    assert cleaned.kept == body


REPORTING = [
    "Netflix said subscribers only rose by 2% in the quarter.",
    "Subscribers only pay half.",
    "The service will be free for subscribers, the company said.",
    "The museum offers unlimited access to its archive to researchers.",
    "She decided to become a member of the party in 1998.",
    "Customers can start a free trial of the service from Monday.",
    "Customers must sign up by Friday, the council said.",
    "The company's profits rose 5% in the quarter.",
    "He said he would subscribe to the plan.",
    "Shares in the company fell 3% after the announcement.",
    "Advertisement revenue at the broadcaster fell by a fifth last year, it said.",
    "The casino reported record profits for the year, its chief executive said.",
    "Voters can register online until midnight on Friday, the electoral commission said.",
    "Police urged anyone with information to follow the advice and share it with detectives.",
    "In other news, the council voted to approve the bridge on Tuesday.",
    "Officials said you could claim a refund by post.",
    "The post office on the high street will close in May, the company said.",
    "The bank said it would offer customers a 2% cashback reward on card spending from June.",
    "By Friday, the river had burst its banks in three places.",
    "The Bybit exchange said hackers stole $1.5bn in crypto, according to a statement.",
    pytest.param(
        "The minister said: “If you sign up for the scheme, you will get a free boiler.”",
    ),
]


def test_a_whole_article_in_one_unit_is_never_an_advert(reports):
    # A page whose text came out as one unit (a page laid out in a table) can carry an advert inside it;
    # a spam rule must not take the whole article with it.
    advert = "Sign up now and claim your 20% bonus with our referral code at https://example.com/bonus"
    assert rule_reason(advert) == "promo-spam"
    article = " ".join([*reports["bridge"], advert])
    assert len(article.split()) > 120
    assert rule_reason(article) is None


@pytest.mark.parametrize("sentence", REPORTING)
def test_reporting_that_mentions_junk_words_has_no_rule(sentence):
    assert rule_reason(sentence) is None


@pytest.mark.parametrize("sentence", REPORTING)
def test_reporting_that_mentions_junk_words_is_kept_in_an_article(sentence, reports):
    body = reports["ferry"]
    lines = body[:3] + [sentence] + body[3:]
    cleaned = clean_text("\n\n".join(lines))
    assert cleaned.kept == lines
    assert cleaned.removed == []


# --- cost --------------------------------------------------------------------------------------------------
def test_a_long_unbroken_token_is_cleaned_in_linear_time():
    # An inlined image (data: URI) in scraped text is one 30,000-character "word".
    blob = "data:image/png;base64," + "iVBORw0KGgo" * 2700
    text = "The council met on Tuesday.\n\n" + blob + "\n\nThe vote passed by 31 votes to 12."
    clean_text("warm up the model")
    started = time.perf_counter()
    cleaned = clean_text(text)
    elapsed = time.perf_counter() - started
    assert cleaned.lines[1] == blob
    assert elapsed < 0.5, f"clean_text took {elapsed:.2f}s on a 30 kB token"


def test_cleaner_submodules_import_by_dotted_name():
    import newsfold.clean.rules as rules_module

    assert rules_module.rule_reason is rule_reason


def test_line_features_see_the_register_of_advertising():
    from newsfold.clean.features import FEATURE_NAMES, line_features

    lines = [
        "🚀 Get 50% off today only: plans from $9.99! Sign up now!!",
        "The council said repairs would cost about 4 percent of the £2m budget.",
        "The council met on Tuesday and voted to rebuild the bridge over the river.",
        "The crowd chanted “Build it! Build it!” as the vote was read out.",
    ]
    column = {name: FEATURE_NAMES.index(name) for name in ("money", "percent", "pictographs", "exclaims")}
    ad, report, plain, chant = line_features(lines)
    # An advert shouts at the reader; a report quotes the shouting.
    assert chant[column["exclaims"]] == 0.0
    assert [ad[column[n]] for n in ("money", "percent", "pictographs", "exclaims")] == [1.0, 1.0, 1.0, 3.0]
    assert [report[column[n]] for n in ("money", "percent", "pictographs", "exclaims")] == [
        1.0,
        1.0,
        0.0,
        0.0,
    ]
    assert [plain[column[n]] for n in ("money", "percent", "pictographs", "exclaims")] == [0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "line",
    [
        "Prices rose 4 PER CENT in May, and 3.5 per cent in June.",
        "Inflation hit ٣% in the east (Arabic-Indic digit).",
        "Costs were $ 5 each, or 7 dollars, or ٥ euros.",
        "YOU'LL love it. You're next, yours truly.",
        "A plain line about a bridge, with no figure at all.",
        "Percentages: centre, central, decent, 100 %",
    ],
)
def test_register_features_equal_their_regexes(line):
    # The money, percent and second-person features skip their regex where it cannot match; the values
    # must be what the regex alone gives.
    from newsfold.clean import features
    from newsfold.clean.features import FEATURE_NAMES, line_features

    row = line_features([line])[0]
    for name, pattern in (
        ("money", features._MONEY),
        ("percent", features._PERCENT),
        ("second_person", features._YOU),
    ):
        assert row[FEATURE_NAMES.index(name)] == (1.0 if pattern.search(line) else 0.0), name


def test_cohesion_tells_an_articles_lines_from_injected_ones():
    from newsfold.clean.features import FEATURE_NAMES, cohesion, line_features

    lines = [
        "Flooding closed the Harwick bridge on Tuesday as the river rose two metres overnight.",
        "Download the Highfield Echo app for iOS and Android",
        "Engineers said the bridge would stay closed until the river falls.",
        "Got it!",
        "Residents near the river were told to move their cars to higher ground.",
    ]
    scores = cohesion(lines)
    assert scores[1] == 0.0 and scores[3] == 0.0  # shares no content word with the page
    assert min(scores[0], scores[2], scores[4]) > 0.1
    column = FEATURE_NAMES.index("cohesion")
    assert list(line_features(lines)[:, column]) == scores
    # Against the page's main block only (lines 2-4 here): the first line's words count only where the
    # block has them, and a block line does not count its own words.
    block = cohesion(lines, block=(2, 5))
    assert block[0] == pytest.approx(3 / 9) and block[1] == 0.0  # bridge, closed, river
    assert block[2] == pytest.approx(1 / 7)  # river, in line 4
    # A block of one line has no other line: the whole page stands in (a short brief keeps its one
    # paragraph's cohesion with its headline).
    assert cohesion(lines, block=(2, 3)) == scores == cohesion(lines, block=(0, 0))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("CORRECTION: This article originally said the bill passed 7-2.", "correction"),
        ("This post has been revised to reflect the following correction:", "correction"),
        ("An earlier version of this article misstated the date of the vote.", "correction"),
        # An update is news, and corrections officers are people.
        ("UPDATE: Police have named the victim as a 34-year-old man from the town.", None),
        ("Corrections officers at the prison went on strike on Monday over pay.", None),
        ("The governor said the figures would be corrected to reflect the new census.", None),
    ],
)
def test_a_correction_notice_is_about_the_article_not_the_news(line, reason):
    assert rule_reason(line) == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Updated 10:32 AM EST, Tue March 5, 2024", "byline"),
        ("Published: 12 March 2024, 10:34 GMT", "byline"),
        ("Posted by Jane Doe", "byline"),
        # After "Updated:" a report of what happened since is news.
        ("Updated: the senator said on Monday that he would run for president again.", None),
    ],
)
def test_a_timestamp_line_is_a_byline_but_an_update_is_news(line, reason):
    assert rule_reason(line) == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("| Starting | 30,000 | 32,000 |", None),  # a table of figures is data
        ("| Labour | 35% | 41% |", None),
        ("Home | News | Sport | Weather", "navigation"),
        ("Prev | 1 | 2 | 3 | Next", "navigation"),  # page numbers count up: navigation
    ],
)
def test_a_row_of_figures_is_data_not_a_menu(line, reason):
    assert rule_reason(line) == reason


class _LongIsFurniture:
    """A line model that mistakes every unit of 30+ words for furniture."""

    threshold = 0.5

    def content_probability(self, features):
        import numpy as np

        from newsfold.clean.features import FEATURE_NAMES

        words = np.expm1(features[:, FEATURE_NAMES.index("log_words")])
        return np.where(words >= 30, 0.1, 0.9)


def test_the_model_never_removes_the_bulk_of_a_pages_prose(reports):
    menu = ["Home | News | Sport", "Blogs:", "Anna Berg", "Related News", "- Ferry fares to rise", "Search"]
    whole = " ".join(reports["bridge"])  # an article given as one unit (a table layout, no paragraphs)
    page = clean_text("\n".join([*menu[:3], whole, *menu[3:]]), model=_LongIsFurniture())
    assert page.reasons[3] is None and whole in page.text
    # In a page of many paragraphs none is the bulk of the prose: the model's word stands.
    text = [*reports["bridge"], *reports["strike"]]
    pairs = [f"{a} {b}" for a, b in zip(text[::2], text[1::2], strict=False)]  # 7 paragraphs of 45+ words
    paragraphs = clean_text("\n\n".join([*menu, *pairs]), model=_LongIsFurniture())
    long = [i for i, line in enumerate(paragraphs.lines) if len(line.split()) >= 30]
    assert long and all(paragraphs.reasons[i] == "boilerplate" for i in long)


def test_the_list_after_a_related_links_heading_is_its_links(reports):
    links = ["- Ferry fares to rise in spring", "- New school opens in Carlow", "• Council budget approved"]
    body = reports["bridge"]
    text = "\n".join([*body[:3], "Related stories", *links, *body[3:]])
    rules_only = clean_text(text, model=None)
    assert [rules_only.reasons[rules_only.lines.index(link)] for link in links] == ["related"] * 3
    assert all(p in rules_only.text for p in body)  # the run of links ends where the report resumes
    listed = clean_text("\n".join([*body[:3], *links, *body[3:]]), model=None)  # no heading, no links
    assert all(link in listed.text for link in links)
    with_model = clean_text(text)
    assert not any(link in with_model.text for link in links) and all(p in with_model.text for p in body)


def test_a_unit_without_a_letter_or_a_digit_is_markup_residue(reports):
    for residue in ("| |", "----------", "* * *", "•"):
        assert rule_reason(residue) == "template"
    assert rule_reason("| 31 | 12 |") is None  # a row of figures is data
    page = clean_text("\n\n".join([*reports["bridge"][:2], "| | |", *reports["bridge"][2:]]))
    assert page.removed == [Removed("| | |", "template")]


def test_every_trigger_word_triggers_its_rules_wherever_it_stands():
    for reason, words in _TRIGGERS.items():
        for word in words:
            assert reason in _triggered(f"xx {word} yy"), (reason, word)
            assert reason in _triggered(f"{word}"), (reason, word)
    assert _triggered("the council met on tuesday and voted") == set()
    # Overlapping words are all found: "subscribe" holds the newsletter's and the paywall's "subscri".
    assert {"newsletter", "paywall"} <= _triggered("please subscribe now")


def test_reader_comments_run_from_their_heading_to_the_end_of_the_page():
    article = [
        "The city council voted 7-2 on Tuesday to approve a new bridge over the River Avon, ending a decade-long dispute.",
        "The $40 million project will replace the 1930s span, which engineers closed to heavy vehicles last year.",
        '"This is a day many residents thought would never come," Mayor Linda Carr said after the vote.',
        "Construction is expected to begin next spring and take about two years.",
    ]
    thread = [
        "32 Comments",
        "John D. · 2 hours ago",
        "This is ridiculous. The council should have done this ten years ago and saved us all the money.",
        "Reply · Like · 5",
        "Mike_T · 45 minutes ago",
        "Who is paying for this? Not me, I hope. Taxes are already too high in this town.",
    ]
    cleaned = clean_text("\n".join(article + thread))
    assert cleaned.kept == article
    assert {r.reason for r in cleaned.removed if "ridiculous" in r.text or "paying" in r.text} == {"comments"}
    # A comment count near the top (beside the byline), or amid the article's paragraphs, is no comments
    # section: the article after it stays.
    top = clean_text("\n".join(["12 comments", *article]))
    assert top.kept == article
    amid = clean_text("\n".join([*article[:3], "12 comments", *article[3:]]))
    assert amid.kept == article


def test_the_headlines_after_a_related_heading_are_its_links():
    article = [
        "Ireland's regulator fined Meta a record 1.2 billion euros for moving European users' data to the US.",
        "Meta said it would appeal the ruling, calling the fine unjustified and unnecessary.",
        "The decision follows a 2020 ruling by the EU's top court that struck down a data-sharing pact.",
    ]
    # Headlines on the story's own topic, which the line model alone keeps as content.
    links = [
        "EU lawmakers back new rules on artificial intelligence",
        "Meta shares fall after regulator's record fine",
    ]
    cleaned = clean_text("\n".join([*article[:2], "You might also like:", *links, *article[2:]]))
    # The links go with their heading; the paragraph after them, a sentence, ends the list and stays.
    assert cleaned.kept == article
    assert [r.text for r in cleaned.removed] == ["You might also like:", *links]
    assert {r.reason for r in cleaned.removed} <= {"related", "boilerplate", "navigation"}


def test_a_list_inside_the_article_is_the_articles():
    text = "\n".join(
        [
            "Lawmakers on Thursday passed a sweeping climate bill that will reshape how the country produces energy.",
            "The vote was 51-50, with the vice president breaking the tie after a night of debate on amendments.",
            "What we know",
            "- A $370 billion package of tax credits for clean energy",
            "- A 15% minimum tax on large corporations",
            "- New fees on methane leaks from oil and gas wells",
            "The bill now goes to the president, who is expected to sign it into law next week at the White House.",
            "Related stories",
            "- Fact check: Will the bill lower inflation?",
            "- Read the full text of the bill",
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.kept == text.split("\n")[:7]
    # A list after a related heading is its links, whatever follows it.
    assert [r.text for r in cleaned.removed] == text.split("\n")[7:]


def test_a_live_blogs_timed_entries_are_reporting():
    entries = [
        "10:32 a.m. — The Senate gavels in.",
        '10:45 a.m. — Senator Maria Lopez says the bill "finally meets the moment."',
    ]
    text = "\n".join(
        [
            "What's in the new climate bill",
            "Lawmakers on Thursday passed a sweeping climate bill that will reshape how the country produces and uses energy.",
            "Key points:",
            "- A $370 billion package of tax credits for clean energy",
            "- A 15% minimum tax on large corporations",
            "The bill now goes to the president, who is expected to sign it next week.",
            "Q: When do the credits start?",
            "A: Most start on January 1.",
            "Live updates",
            *entries,
            "Related",
            "- Fact check: Will the bill lower inflation?",
            "- Read the full text of the bill",
        ]
    )
    cleaned = clean_text(text)
    # Short and timed, the line model alone takes them for furniture.
    assert all(entry in cleaned.kept for entry in entries)
    # A time alone is a timestamp, and goes.
    assert rule_reason("10:47 a.m.") == "byline"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # Paid links and affiliate disclosures.
        ("Best VPN deals this month (sponsored)", "advertisement"),
        ("Ten stocks that could make you rich in 2025 | Promoted", "advertisement"),
        ("Affiliate disclosure: We may earn a commission when you buy through links on our site.", "legal"),
        ("Sponsored by the city, the festival returns this weekend with ten bands and a parade.", None),
        ("The broker said it would earn a commission of 2% on the sale of the building.", None),
        # A press release's wire furniture and a bare contact.
        ("News provided by Acme Robotics Inc.", "byline"),
        ("SOURCE Acme Robotics Inc.", "byline"),
        ("Source: Reuters", "byline"),
        ("press@acmerobotics.example", "navigation"),
        ("https://www.example.com/news/2024/03/12/story.html", "navigation"),
        (
            "View original content to download multimedia: https://www.prnewswire.example/a.html",
            "source-footer",
        ),
        # Sentences stay.
        ("Source of the leak remains unknown", None),
        ("The money was provided by three banks that declined to comment on the deal.", None),
        ("Write to press@acmerobotics.example for the full list of sponsors.", None),
        # The outlet promoting its app, its news or its standards.
        ("Download The Mint News App to get Daily Market Updates.", "self-promo"),
        ("Get the Daily Globe app: it's free on the App Store and Google Play", "self-promo"),
        ("Catch all the Latest News, Breaking News, Events and Top 10 updates on Live Mint.", "self-promo"),
        ("Stay up to date with the latest news from your area.", "self-promo"),
        ("For the latest news, weather, sports, and streaming video, head to KTLA.", "self-promo"),
        ("For more than a decade, officials have tried to visit the site without success.", None),
        ("Strict editorial policy that focuses on accuracy, relevance, and impartiality", "self-promo"),
        ("The highest standards in reporting and publishing", "self-promo"),
        (
            "Editorial Process for the site is centered on accurate content. Our team reviews each page.",
            "self-promo",
        ),
        ("The paper's editorial standards came under fire after it published the photos.", None),
        ('"Our editorial standards are high," the editor said.', None),
        # News about apps and about the news stays.
        ("Police urged residents to download the county's alert app before the storm arrived.", None),
        ("Millions downloaded the app in its first week, the company said on Tuesday.", None),
        ("Get the latest figures from the census, the minister told lawmakers.", None),
        ("The app will be available on Google Play from March, according to the developer.", None),
        # Notes about the article itself, reading times.
        ("About the author: John Smith is a freelance writer who covers markets.", "note"),
        ("The writer is a former ambassador to the United Nations.", "note"),
        ("Editor's note: This story contains descriptions of violence.", "note"),
        ("This article was generated with the help of AI and reviewed by our editorial team.", "note"),
        (
            "(Except for the headline, this story has not been edited by our staff and is published from a "
            "syndicated feed.)",
            "note",
        ),
        ("The views expressed here are the author's own and do not reflect those of this site.", "legal"),
        ("Opinions expressed by Forbes contributors are their own.", "legal"),
        ("The views expressed by the minister do not reflect government policy, a spokesman said.", None),
        ("3 min read", "byline"),
        ("Reading time: 4 minutes", "byline"),
        # Reporting about writers, articles and their production stays.
        ("The author is expected to attend the trial in Paris next week, her lawyer said.", None),
        ("The writer was arrested in Moscow in March and has been held since.", None),
        ("The agency said this report was produced by its staff in Geneva with partners.", None),
        ("This story was produced by the agency, which said 2 million people had fled.", None),
        ("The match lasted 90 minutes before the referee stopped it.", None),
        ("90 minutes", None),
        # Disclaimers, consent boxes and advert markers of other wordings.
        (
            "Content is provided for general information only and should not be relied upon as advice.",
            "legal",
        ),
        ("The information provided here is not investment advice. Always do your own research.", "legal"),
        ("example.co may receive compensation for some links to products on this website.", "legal"),
        ("This article may not be reproduced without permission.", "legal"),
        ("Views expressed are the author's own.", "legal"),
        ("Stay informed. Sign up for the Kingsbridge Courier newsletter.", "newsletter"),
        ("I'd like to receive offers, events and updates from the Courier and its partners.", "newsletter"),
        ("Article continues after advertisement", "advertisement"),
        ("Scroll to continue with content", "advertisement"),
        ("Regulators warned that the app's tips were not investment advice and urged caution.", None),
        ("The documents may not be used without permission from the court, the judge ruled.", None),
        ("Voters can sign up to vote by mail until Friday. Officials expect record turnout.", None),
        ("Residents said they would like to receive more warning before the next flood.", None),
        # Joined actions on the article are a share bar.
        ("Share or comment on this article:", "share"),
        ("Print or email this story", "share"),
        ("Share and save", "share"),
        ("Share the news with your neighbours, the mayor urged.", None),
        ("Comment or share", "share"),
    ],
)
def test_kinds_of_junk_unlike_the_seeds_go_and_the_news_like_them_stays(line, reason):
    assert rule_reason(line) == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # A blog platform's share buttons and comment widget.
        ("Click to share on WhatsApp (Opens in new window)", "share"),
        ("Click to email a link to a friend (Opens in new window)", "share"),
        ("Click to print (Opens in new window)", "share"),
        ("Please enable JavaScript to view the comments powered by Disqus.", "comments"),
        # Content withheld by the reader's consent choices.
        (
            "This content is not available due to your privacy preferences. Update your settings here.",
            "cookie",
        ),
        ("Advertisement - scroll for more content", "advertisement"),
        # The page's tools.
        ("Listen to this article", "navigation"),
        ("Listen to this article · 4 min", "navigation"),
        ("Font size: A A A", "navigation"),
        ("00:00 / 03:12", "navigation"),
        ("Report an error", "navigation"),
        # Credits and contacts.
        ("Additional reporting by Mary Major in London", "byline"),
        ("Contact the author: jsmith@example.com", "byline"),
        ("Contact the author of the letter was never made, police said.", None),
        ("Reporting from Kyiv, the agency said the strike hit a power station.", None),
        # The outlet asking the reader for tips, money or a place in their search results.
        ("Have a news tip? Email us at tips@example.com", "self-promo"),
        ("Got a story? Contact our newsroom on 0800 123 456", "self-promo"),
        ("Our journalism needs your support. Please donate today.", "self-promo"),
        ("Support independent journalism from as little as £1", "self-promo"),
        ("Want more stories like this? Add us as a preferred source on Google.", "self-promo"),
        ("Police asked anyone with a tip to call the hotline.", None),
        ("Got any information? Call Crimestoppers on 0800 555 111.", None),
        ("The donation supported local journalism, she said.", None),
        ("Support for local journalism has fallen, the survey found.", None),
        ("Have you seen this man? Police want to talk to him.", None),
        ("Got a confidential news tip? We want to hear from you.", "self-promo"),
        ("Stay on top of the news with our free app.", "self-promo"),
        ("Have a tip? Call Crime Stoppers at 555-1234.", None),
        ("Have any information? Please contact police on 101.", None),
        ("We launched our app in May, the chief executive said.", None),
        # Who else reported, and picture credits without a caption.
        ("Associated Press writer Jane Doe in Chicago contributed to this report.", "byline"),
        ("Walter Gibbs contributed reporting.", "byline"),
        ("The company contributed $5 million to the fund.", None),
        ("She contributed to the report on climate, officials said.", None),
        ("Photo by Jane Doe on Unsplash", "caption"),
        ("Featured image via Wikimedia Commons", "caption"),
        ("Photo by photo, the exhibition traces her life.", None),
        ("Jane Doe/Unsplash", "caption"),
        ("AFP/Getty Images", "caption"),
        ("Reuters/Ipsos poll shows Biden ahead", None),
        ("Like this:", "share"),
        ("Like this, the plan would fail, he said.", None),
        # Players, galleries, buttons and prompts of a few words.
        ("Story continues below this ad", "advertisement"),
        ("Skip Ad", "advertisement"),
        ("Hide caption", "navigation"),
        ("Enlarge this image", "navigation"),
        ("Previous Next", "navigation"),
        ("<< Previous Page Next Page >>", "navigation"),
        ("Previous attempts failed, and the next one is due in May.", None),
        ("Link copied!", "share"),
        ("Gift Article", "share"),
        ("Jump to comments", "comments"),
        ("Sign up here.", "newsletter"),
        ("Already have an account? Sign in", "paywall"),
        ("Generated by AI", "note"),
        ("The summary was written by AI researchers at the lab.", None),
        ("Follow me on Twitter or LinkedIn. Check out my website.", "social"),
        ("Click here for more football headlines!", "related"),
    ],
)
def test_page_tools_credits_and_appeals_go_and_the_news_like_them_stays(line, reason):
    assert rule_reason(line) == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # Paid prose labelled in front, and betting odds with their gambling notice.
        (
            "Partner content: When the town's oldest bakery needed a new van, it turned to a local lender.",
            "advertisement",
        ),
        (
            "Sponsored by Harbourline Home Loans: Refinancing could save the average household hundreds.",
            "advertisement",
        ),
        (
            "Title winner: Bath 6/4, Leicester 7/4. Odds via SkyPeak Bet, correct at publishing. 18+ begambleaware.org",
            "advertisement",
        ),
        ("Sponsored by the city, the festival drew 20,000 people on Saturday.", None),
        ("The bookmaker said the odds of a Bath title had shortened after the win.", None),
        # Notes on how the text came about: a series, an edit, a machine's summary, a scraper's retrieval.
        ('This story is part of "Main Street at a Crossroads," our series on small-town economies.', "note"),
        ("This interview has been edited for length and clarity.", "note"),
        ("🤖 AI Summary: A video of a driver swerving off a drawbridge went viral.", "note"),
        (
            "The firm reported lower profit. Shares fell. This summary was generated by AI and reviewed by our editors.",
            "note",
        ),
        ("Content retrieved from example.net via NewsHarvester Pro, automated archive copy.", "note"),
        ("The deal is part of a series of acquisitions by the group this year.", None),
        ("This series of strikes is part of a wider campaign by the union, officials said.", None),
        ("The company launched an AI summary feature for its email app on Tuesday.", None),
        ("Data retrieved from the satellite showed the ice had thinned.", None),
        ("The interview was edited and broadcast on Sunday night.", None),
        # Paywalls, affiliate disclosures, players and galleries in other words.
        ("Subscribe to read the rest of this article.", "paywall"),
        ("This article is reserved for subscribers. Already a subscriber? Log in.", "paywall"),
        ("The service is available to subscribers in 40 countries, the company said.", None),
        ("If you buy through them, the site may earn a small fee at no extra cost to you.", "legal"),
        ("We may receive a fee when you click.", "legal"),
        ("The agency may receive a fee of $2 million for the work, officials said.", None),
        ("Listen to this article · 5:42 min", "navigation"),
        (
            "Photo 5 of 14: Runners at dawn on the red dirt road. Credit: Sarah Waiswa for The Running Review",
            "caption",
        ),
        ("Alt text: woman running on a red dirt road at sunrise", "caption"),
        ("Photo agencies said 5 of 14 photographers were hurt in the clashes.", None),
        ("Image 3 of the report shows the damage to the dam.", None),
        # A line of search keywords: lower case, comma-separated phrases, no sentence.
        (
            "hallam moore results, hallam and moore share price, store profit 2025, uk retail news today",
            "byline",
        ),
        ("The stalls sold apples, pears, plums, cherries and grapes.", None),
        ("apples, pears, plums, cherries and grapes were on sale.", None),
    ],
)
def test_furniture_in_other_words_goes_and_the_news_like_it_stays(line, reason):
    assert rule_reason(line) == reason


def test_a_scrapers_note_in_the_middle_does_not_end_the_article():
    paragraphs = [
        "A federal appeals court on Tuesday upheld most of the state's voter ID law but struck down a drop-box limit.",
        "The panel ruled 2-1 that the state could require a copy of a driver's license with absentee applications.",
        "Content retrieved from example.net via NewsHarvester Pro, automated archive copy.",
        "The ruling sends the case back to the district judge in Atlanta, who had upheld the entire law in 2024.",
        "County election directors said they had already begun planning for additional drop boxes.",
    ]
    kept = clean_text("\n\n".join(paragraphs)).kept
    assert kept == paragraphs[:2] + paragraphs[3:]


def test_results_after_a_colon_lead_in_are_the_articles():
    results = [
        "Saturday's results:",
        "Chelsea 1-2 Arsenal",
        "Liverpool 3-0 Everton",
        "Manchester City 1-1 Tottenham",
    ]
    text = "\n".join(
        [
            "Arsenal go top after late winner at Chelsea",
            "Arsenal moved top of the Premier League on Saturday after Bukayo Saka's late goal secured a 2-1 win.",
            "Chelsea had led through Cole Palmer's penalty before Martin Odegaard equalised early in the second half.",
            *results,
            'Arsenal manager Mikel Arteta said his side had "shown real character" after going behind.',
            "The Gunners host Brighton next weekend.",
        ]
    )
    kept = clean_text(text).kept
    assert all(line in kept for line in results)


def test_results_then_a_table_without_outer_pipes_and_furniture_after_them_are_the_articles():
    results = [
        "Saturday's results:",
        "Bath 38-17 Exeter",
        "Harlequins 24-22 Leicester",
        "Northampton 31-31 Sale",
    ]
    table = [
        "Standings after round 14:",
        "Pos | Team | P | W | Pts",
        "1 | Bath | 14 | 11 | 54",
        "2 | Leicester | 14 | 11 | 52",
        "3 | Bristol | 14 | 9 | 46",
    ]
    text = "\n".join(
        [
            "Bath go top as Leicester slip up",
            "Bath moved to the top of the Premiership on Sunday after a bonus-point 38-17 win at home to Exeter.",
            "Finn Russell kicked 13 points and set up two of Bath's five tries in front of a full house.",
            *results,
            *table,
            "🏉 Grab your final tickets NOW before they're gone!!! 🎟️",
            "The top four qualify for the play-off semi-finals in June, and Bath host Leicester on Friday night.",
        ]
    )
    kept = clean_text(text).kept
    assert all(line in kept for line in results + table), [
        line for line in results + table if line not in kept
    ]
    # A menu of pipes with no lead-in and no figures stays a menu.
    assert rule_reason("Home | Sport | Rugby Union | Premiership") == "navigation"


def test_a_list_followed_by_a_short_quoted_sentence_is_the_articles():
    items = ["- Services will resume on Wednesday at the earliest", "- Refunds are available online"]
    text = "\n\n".join(
        [
            "The island ferry service was suspended on Sunday after one of its vessels struck the harbour wall in fog.",
            "No passengers were hurt, but the bow of the ship was damaged. Inspectors were due on Monday.",
            *items,
            "“Safety comes first,” a spokesperson said.",
        ]
    )
    kept = clean_text(text).kept
    assert all(item in kept for item in items), kept


def test_a_table_after_a_colon_lead_in_and_the_sentence_after_it_are_the_articles():
    text = "\n".join(
        [
            "Stocks rally as inflation cools",
            "U.S. stocks rose on Wednesday after data showed inflation slowed more than expected in October.",
            "At the close:",
            "| Index | Close | Change |",
            "| Dow Jones | 34,828 | +1.4% |",
            "| S&P 500 | 4,495 | +1.9% |",
            "Treasury yields fell sharply, with the 10-year yield dropping to 4.45%.",
        ]
    )
    assert clean_text(text).kept == text.split("\n")
    # Without the article's prose before it, a row of labels is a menu.
    assert rule_reason("| Index | Close | Change |") == "navigation"
