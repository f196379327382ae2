"""Sentence splitting and cross-article sentence alignment, on the two seed reports and hand-made pairs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfold.compare.sentences import align, sentence_spans, split_sentences


def shared_with(alignment, fragment: str) -> list[str]:
    """Article ids of the shared fact one of whose variants contains ``fragment`` (empty if none)."""
    for fact in alignment.shared:
        if any(fragment in variant for variant in fact.variants.values()):
            return fact.article_ids
    return []


# --- splitting ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith went to Washington. He arrived on Sept. 9 with Mrs. Jones.",
            ["Mr. Smith went to Washington.", "He arrived on Sept. 9 with Mrs. Jones."],
        ),
        (
            "The U.S. Army said it had left. The U.K. agreed.",
            ["The U.S. Army said it had left.", "The U.K. agreed."],
        ),
        (
            "Officials in the U.S. The president disagreed.",
            ["Officials in the U.S.", "The president disagreed."],
        ),
        ("J. K. Rowling wrote it. She was paid.", ["J. K. Rowling wrote it.", "She was paid."]),
        (
            "Among the candidates are Reps. Stephen Lynch and Ed Markey. Others called for Ariz. Gov. Jan "
            "Brewer to act. She lives in Calif. The move was new.",
            [
                "Among the candidates are Reps. Stephen Lynch and Ed Markey.",
                "Others called for Ariz. Gov. Jan Brewer to act.",
                "She lives in Calif.",
                "The move was new.",
            ],
        ),
        (
            "He said: “We depend on them. They are brave.” Then he left.",
            ["He said: “We depend on them.", "They are brave.”", "Then he left."],
        ),
        ("“Why?” he asked. Nobody knew.", ["“Why?” he asked.", "Nobody knew."]),
        (
            "It cost $1.5m, or 3.5 per cent. No. 10 said so.",
            ["It cost $1.5m, or 3.5 per cent.", "No. 10 said so."],
        ),
        (
            "Guns, knives etc. were seized. Police said so.",
            ["Guns, knives etc. were seized.", "Police said so."],
        ),
        (
            "Police patrolled on Saturday night.The officer appeared in court.",
            ["Police patrolled on Saturday night.", "The officer appeared in court."],
        ),
        (
            "Breaking: bridge approved\n\nThe council voted on Tuesday.",
            ["Breaking: bridge approved", "The council voted on Tuesday."],
        ),
        ("The council voted\non Tuesday to approve it.", ["The council voted\non Tuesday to approve it."]),
        ("", []),
        ("  \n\n ", []),
    ],
)
def test_split_sentences_handles_news_abbreviations_quotes_and_lines(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_on_a_seed_keeps_the_quote_with_its_sentence(story: list[tuple[str, str]]) -> None:
    sentences = split_sentences(story[0][1])
    assert "“They mustn’t fear ending up in the dock for carrying out their duties." in sentences
    assert (
        "“That’s why I have launched a review to ensure they have the confidence to do their jobs while protecting us all.”"
        in sentences
    )
    # "Sir Mark Rowley" and "etc.”" do not end sentences early.
    assert any(
        s.startswith("The Met Police officer appeared") and s.endswith("murder charge.") for s in sentences
    )


_PIECES = st.sampled_from(
    ["Mr.", "Mrs", "U.S.", "Sept.", "J.", "etc.", "said", "the", "officer", "Police", "12", "3,000", "$1.5m",
     ".", "!", "?", "“", "”", "\"", ":", ",", "\n", "\n\n", " ", "Hello.", "night.The", "(PA)", "No."]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_sentences_are_ordered_exact_substrings_that_cover_every_word(text: str) -> None:
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == split_sentences(text)
    last = 0
    for start, end in spans:
        assert last <= start < end
        assert text[start:end] == text[start:end].strip()
        last = end
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(i in covered for i, ch in enumerate(text) if ch.isalnum())


# --- alignment on the seeds --------------------------------------------------------------------------------


def test_only_002_reports_the_ministry_of_defence_support(story: list[tuple[str, str]]) -> None:
    alignment = align(story)
    assert any("Military Aid to the Civil Authorities (MACA)" in s for s in alignment.unique["002"])
    assert not any("MACA" in s or "Ministry of Defence" in s for s in alignment.unique["000"])
    assert not any("Ministry of Defence" in fact.text for fact in alignment.shared)


def test_only_000_reports_the_3000_officers_and_neighbouring_forces(story: list[tuple[str, str]]) -> None:
    alignment = align(story)
    unique_000 = alignment.unique["000"]
    assert "The Met has more than 3,000 firearms officers across a number of units." in unique_000
    assert any("armed officers from neighbouring forces" in s for s in unique_000)
    assert not any("3,000" in s or "neighbouring forces" in s for s in alignment.unique["002"])


@pytest.mark.parametrize(
    "fragment",
    [
        "We depend on our brave firearms officers to protect us",
        "In the interest of public safety they have to make split-second decisions",
        "They mustn’t fear ending up in the dock for carrying out their duties.",
        "Officers risking their lives to keep us safe have my full backing",
    ],
)
def test_the_home_secretary_statement_is_shared(story: list[tuple[str, str]], fragment: str) -> None:
    alignment = align(story)
    assert shared_with(alignment, fragment) == ["000", "002"]
    assert not any(fragment in s for sents in alignment.unique.values() for s in sents)


def test_shared_and_unique_are_consistent(story: list[tuple[str, str]]) -> None:
    alignment = align(story)
    texts = dict(story)
    shared_variants = {v for fact in alignment.shared for v in fact.variants.values()}
    for fact in alignment.shared:
        assert len(set(fact.article_ids)) >= 2
        assert fact.text in fact.variants.values()
        for article_id, variant in fact.variants.items():
            assert variant in texts[article_id]
    for article_id, sentences in alignment.unique.items():
        assert len(sentences) == len(set(sentences))
        for sentence in sentences:
            assert sentence in texts[article_id]
            assert len(sentence.split()) >= 5
            assert sentence not in shared_variants


def test_the_same_figure_in_other_words_is_not_unique(story: list[tuple[str, str]]) -> None:
    # "at least 100 firearms officers ... handed in their firearm passes" (000) and "More than 100 officers
    # have reportedly handed in permits" (002) report the same thing: neither is unique to its outlet.
    alignment = align(story)
    assert not any("100" in s for sents in alignment.unique.values() for s in sents)


def test_a_repeated_paragraph_counts_once() -> None:
    repeated = "The council approved the new bridge across the river on Tuesday evening."
    other = "Residents queued for hours to speak against the plan at the town hall."
    alignment = align(
        [("a", f"{repeated}\n\n{other}\n\n{repeated}"), ("b", "Nothing about this at all here.")]
    )
    assert alignment.unique["a"] == [repeated, other]
    assert alignment.shared == []


def test_a_sentence_repeated_inside_one_article_is_not_shared_with_itself(
    story: list[tuple[str, str]],
) -> None:
    # 002 carries "The officer accused of his murder, named only as NX121 ..." twice, in two wordings.
    alignment = align([story[1]])
    assert alignment.shared == []
    assert sum("named only as NX121" in s for s in alignment.unique["002"]) == 1


def test_empty_input() -> None:
    alignment = align([])
    assert alignment.shared == [] and alignment.unique == {}
    assert align([("a", ""), ("b", "   ")]).unique == {"a": [], "b": []}


# --- precision on hand-labelled pairs ----------------------------------------------------------------------

PARAPHRASES = [
    (
        "Reacting to the reports, the Home Secretary posted on X on Sunday: “We depend on our brave firearms "
        "officers to protect us from the most dangerous and violent in society.",
        "The Home Secretary said: “We depend on our brave firearms officers to protect us from the most "
        "dangerous and violent in society.",
    ),
    (
        "On Saturday night, armed officers from neighbouring forces stepped up to help patrol the capital.",
        "Armed officers from neighbouring forces helped patrol the capital on Saturday night.",
    ),
    (
        "Chris Kaba, 24, was shot dead by police in Streatham Hill in September 2022.",
        "Police shot dead Chris Kaba, 24, in Streatham Hill in September 2022.",
    ),
    (
        "The Ministry of Defence has agreed to provide the Met with counter-terrorism support.",
        "The Met will be given counter-terrorism support after the Ministry of Defence agreed to a request.",
    ),
    (
        "Twelve people were killed when a bus crashed on the A1 near Newark on Monday morning.",
        "A bus crash on the A1 near Newark on Monday morning killed twelve people, police said.",
    ),
]

# Related sentences that do not say the same thing: a false "shared" here is the error that matters most.
DIFFERENT = [
    ("Twelve people were killed in the attack, police said.", "Twelve people were injured in the attack, police said."),
    ("At least 100 officers have handed in their firearm passes.", "At least 300 officers have handed in their firearm passes."),
    ("Police have charged a man with murder over the shooting.", "Police have not charged anyone with murder over the shooting."),
    ("Suella Braverman has ordered a review of armed policing.", "Sadiq Khan has ordered a review of armed policing."),
    ("Scotland Yard requested military support for counter-terrorism duties.", "Scotland Yard rejected military support for counter-terrorism duties."),
    ("Shares in the company rose 5% on Tuesday.", "Shares in the company fell 5% on Tuesday."),
    ("The officer was charged with murder.", "The officer was cleared of murder."),
    ("The man was arrested on Monday and charged with murder.", "The man was released on bail on Monday."),
    ("The officer appeared at Westminster Magistrates’ Court on Thursday.", "The officer will appear at the Old Bailey on Thursday."),
    ("A Met Police officer appeared in court on Thursday.", "A Met Police spokesman said officers were worried."),
    (
        "“They mustn’t fear ending up in the dock for carrying out their duties.",
        "Home Secretary Suella Braverman has ordered a review of the situation and controversially insisted "
        "that officers “mustn’t fear ending up in the dock for carrying out their duties”.",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b"), PARAPHRASES)
def test_paraphrases_are_shared(a: str, b: str) -> None:
    alignment = align([("x", a), ("y", b)])
    assert [fact.article_ids for fact in alignment.shared] == [["x", "y"]]
    assert alignment.shared[0].text in (a, b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_related_but_different_sentences_are_not_shared(a: str, b: str) -> None:
    assert align([("x", a), ("y", b)]).shared == []


@pytest.mark.parametrize(("a", "b"), DIFFERENT[:2])
def test_different_sentences_stay_apart_inside_a_real_story(
    story: list[tuple[str, str]], a: str, b: str
) -> None:
    # The IDF of a whole story differs from that of a pair; the guards must hold there too.
    alignment = align([*story, ("x", a), ("y", b)])
    assert not any({"x", "y"} <= set(fact.article_ids) for fact in alignment.shared)


def test_a_summary_opens_with_the_news_not_with_a_quotation() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    quote = "“It's not as if he just didn't get what he wanted,” Mulvaney said on Sunday."
    texts = {
        "a": f"{quote} The president declared a national emergency on Friday to pay for the border wall.",
        "b": f"The budget chief defended the decision in television interviews. {quote}",
    }
    articles = [Article(id=k, text=v, clean_text=v) for k, v in texts.items()]
    comparison = compare_story(Story("s-1", "Emergency", list(texts), [], None, None), articles)
    assert [s.text for s in comparison.shared] == [quote]  # the one sentence both carry is a quotation
    assert comparison.summary[0].startswith("The president declared a national emergency")
    assert quote in comparison.summary  # still there, after the news


def test_a_summary_reads_first_the_sentences_that_stand_alone() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    texts = {
        "a": "He went on to say the dam had been inspected in the spring and found sound. "
        "The Harwick dam above Lowmere gave way early on Sunday, flooding 400 homes in the lower town.",
        "b": "Engineers said the spillway crack had been reported on Friday, two days before the collapse.",
    }
    articles = [Article(id=k, text=v, clean_text=v) for k, v in texts.items()]
    comparison = compare_story(Story("s-1", "Dam", list(texts), [], None, None), articles)
    assert comparison.summary[0].startswith("The Harwick dam above Lowmere gave way")
    assert comparison.summary.index(next(s for s in comparison.summary if s.startswith("He went on"))) > 0


def test_a_summary_puts_the_rest_of_a_quotation_last_and_leaves_out_the_headline() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    texts = {
        "a": "Governor signs the long-awaited flood defence bill into law\n\n"
        "“We waited too long for this. Now arrives the hour of action,” the governor said at the signing. "
        "The governor signed a bill on Friday that pays for new flood defences along the river.",
        "b": "The state will spend $40 million on flood walls under a bill the governor signed on Friday.",
    }
    articles = [
        Article(
            id=k, text=v, clean_text=v, title="Governor signs the long-awaited flood defence bill into law"
        )
        for k, v in texts.items()
    ]
    comparison = compare_story(Story("s-1", "Flood", list(texts), [], None, None), articles)
    assert "Governor signs the long-awaited flood defence bill into law" not in comparison.summary
    rest = next(s for s in comparison.summary if s.startswith("Now arrives the hour of action"))
    assert comparison.summary.index(rest) == len(comparison.summary) - 1  # somebody's words, after the news
    assert comparison.summary[0].startswith("The governor signed a bill on Friday")


def test_a_headline_repeated_as_the_first_line_is_no_fact() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    titles = {"a": "Storm closes the coast road for a second day", "b": "Ferry to the island cancelled again"}
    bodies = {
        "a": "The coast road stayed shut on Tuesday after waves broke over the sea wall, the council said.",
        "b": "The ferry to the island was cancelled for a second day on Tuesday as the storm went on.",
    }
    articles = [
        Article(id=k, text="", clean_text=f"{titles[k]}\n\n{bodies[k]}", title=titles[k]) for k in titles
    ]
    comparison = compare_story(Story("s-1", "Storm", list(titles), [], None, None), articles)
    facts = [*comparison.summary, *(s for sents in comparison.unique.values() for s in sents)]
    assert not any(title in fact for title in titles.values() for fact in facts)
    assert bodies["a"] in comparison.unique["a"] and bodies["b"] in comparison.unique["b"]


def test_a_lead_in_ending_in_a_colon_is_no_fact() -> None:
    text = "Fox tweeted his own recollection of the meeting in response:\n\nThe talks ended without a deal."
    alignment = align([("a", text), ("b", "Officials in both countries said the border would stay open.")])
    assert alignment.unique["a"] == ["The talks ended without a deal."]


def test_a_point_reported_with_other_figures_is_shown_in_each_outlets_words() -> None:
    a = "The council will spend $40 million on new flood walls along the river, the mayor said on Monday."
    b = "The mayor said on Monday that new flood walls along the river would cost the council $45 million."
    other = "Schools in the valley stayed closed for a third day as the water rose."
    alignment = align([("x", f"{a}\n\n{other}"), ("y", b)])
    assert not alignment.shared  # the figures differ: not the same sentence
    [related] = alignment.related
    assert related.article_ids == ["x", "y"] and related.variants == {"x": a, "y": b}
    assert alignment.unique == {"x": [other], "y": []}


def test_the_same_number_of_other_things_makes_no_point_in_common() -> None:
    a = "Engineers at the Harwick dam had watched a crack in its spillway since Friday after three days of rain."
    b = "The number of people killed since the Harwick dam gave way on Friday has risen to three, police said."
    alignment = align([("x", a), ("y", b)])
    assert not alignment.shared and not alignment.related
    assert alignment.unique == {"x": [a], "y": [b]}


def test_a_summary_does_not_say_the_same_thing_twice() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    shared = "Vincent Jackson was arrested early on Friday on suspicion of drunk driving, police said."
    texts = {
        "a": f"{shared} Police said Jackson was arrested early Friday on suspicion of drunk driving in San "
        "Diego. He was released on bail later that morning. The team said it was aware of the arrest.",
        "b": f"{shared} The receiver missed practice on Friday afternoon.",
    }
    articles = [Article(id=k, text=v, clean_text=v) for k, v in texts.items()]
    summary = compare_story(Story("s-1", "Arrest", list(texts), [], None, None), articles).summary
    assert summary[0] == shared and not any(s.startswith("Police said Jackson was arrested") for s in summary)
    assert "He was released on bail later that morning." in summary


def test_a_summary_opens_with_the_news_in_the_leads_not_with_shared_background() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    background = "Pirates have become increasingly brazen in the waters off the coast in recent years."
    news = "The navy said on Friday that it had arrested 23 pirates after a gun battle at sea."
    texts = {
        "a": f"{news} Two sailors were hurt. A third ship escaped. {background}",
        "b": f"Sailors exchanged fire with the pirates for an hour. The crew were safe. The ship sailed on. {background}",
    }
    articles = [Article(id=k, text=v, clean_text=v) for k, v in texts.items()]
    summary = compare_story(Story("s-1", "Pirates", list(texts), [], None, None), articles).summary
    assert summary[0] == news and summary.index(background) > 0
