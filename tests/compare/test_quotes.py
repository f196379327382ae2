"""Quote extraction, attribution and grouping: the seed articles, and small hand-written reports."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.compare.quotes import Quote, extract_quotes, group_quotes, quote_words, same_speaker

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
# Lines the cleaner removes from the seeds before this stage: a newsletter prompt, a template, photo captions
# and an advert.
JUNK = (
    "For free real time",
    "Breaking News email",
    "Chris Kaba is remembered",
    "Chris Kaba was shot",
    "Source link",
)
JUNK += ("Join the exciting world",)


def seed(prefix: str, clean: bool = True) -> str:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    if not clean:
        return text
    return "\n\n".join(p for p in text.split("\n\n") if p.strip() and not p.strip().startswith(JUNK))


def find(quotes: list[Quote], words: str) -> Quote:
    """The quote that contains ``words``."""
    needle = f" {' '.join(quote_words(words))} "
    hits = [q for q in quotes if needle in f" {' '.join(quote_words(q.text))} "]
    assert hits, f"no quote contains {words!r}: {[q.text for q in quotes]}"
    return hits[0]


def speakers(text: str) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in extract_quotes(text)]


# --- the seeds ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_quotes() -> dict[str, list[Quote]]:
    return {"000": extract_quotes(seed("000"), "000"), "002": extract_quotes(seed("002"), "002")}


def test_braverman_statement_is_one_group_in_both_articles(seed_quotes: dict[str, list[Quote]]) -> None:
    groups = group_quotes(seed_quotes["000"] + seed_quotes["002"])
    statement = [
        g for g in groups if "we depend on our brave firearms officers" in " ".join(quote_words(g.text))
    ]
    assert len(statement) == 1
    group = statement[0]
    assert group.article_ids == ["000", "002"]
    assert group.speaker == "Suella Braverman"
    # Each article attributes it on its own: 000 through "the Home Secretary" after naming her in the lead,
    # 002 through "Home Secretary Suella Braverman".
    for article in ("000", "002"):
        assert (
            find(seed_quotes[article], "We depend on our brave firearms officers").speaker
            == "Suella Braverman"
        )
    # 000 carries the whole statement over three paragraphs; it is the group's text.
    assert "That’s why I have launched a review" in group.text
    assert "\n" not in group.text and "“" not in group.text


def test_met_spokesman_quotes_go_to_the_met(seed_quotes: dict[str, list[Quote]]) -> None:
    q000 = seed_quotes["000"]
    # "A Met Police spokesman said:" ... "The spokesperson added:" ... and a closing quote paragraph.
    for words in (
        "Many are worried",
        "A number of officers have taken",
        "The Met has a significant",
        "Our priority",
    ):
        assert find(q000, words).speaker == "Met Police"
    # "A Met Police spokesman told PA news agency:" over three paragraphs.
    met = find(seed_quotes["002"], "The Ministry of Defence has agreed")
    assert met.speaker == "Met Police"
    assert "Armed forces personnel will not be used" in met.text


def test_ministry_of_defence_quote(seed_quotes: dict[str, list[Quote]]) -> None:
    mod = find(seed_quotes["002"], "We have accepted a Military Aid")
    assert mod.speaker == "Ministry of Defence"
    assert not mod.partial


def test_seed_partial_quote_and_surname_normalisation(seed_quotes: dict[str, list[Quote]]) -> None:
    q002 = seed_quotes["002"]
    mustnt = find(q002, "mustn’t fear ending up in the dock")
    assert mustnt.partial and mustnt.speaker == "Suella Braverman"
    # "Mrs Braverman said she had ordered a review to ensure armed officers “have the confidence ...”"
    assert find(q002, "have the confidence to do their job").speaker == "Suella Braverman"
    # No outlet's words are put in anybody's mouth: the Met's support is the reporter's sentence.
    assert find(q002, "fully understand the genuinely held concerns").speaker is None


def test_quote_over_a_caption_the_cleaner_missed() -> None:
    quotes = extract_quotes(seed("000", clean=False), "000")
    many = find(quotes, "Many are worried")
    assert "That number has increased over the past 48 hours" in many.text
    assert "Chris Kaba was shot" not in many.text
    assert many.speaker == "Met Police"


def test_offsets_point_into_the_text(seed_quotes: dict[str, list[Quote]]) -> None:
    text = seed("002")
    for q in seed_quotes["002"]:
        span = text[q.start : q.end]
        assert quote_words(q.text)[:3] == quote_words(span)[:3]
        assert quote_words(q.text)[-2:] == quote_words(span)[-2:]


# --- marks and paragraphs ----------------------------------------------------------------------------------


def test_multi_paragraph_quote_inherits_its_speaker() -> None:
    text = (
        "The mayor, Anne Hollis, spoke after the vote.\n\n"
        "Ms Hollis said: “This bridge has been twenty years in the making.\n\n"
        "“It will carry ten thousand cars a day.\n\n"
        "“And it will be finished on time.”\n\n"
        "“We will see,” said councillor Tom Reed."
    )
    quotes = extract_quotes(text, "a")
    assert [q.speaker for q in quotes] == ["Anne Hollis", "Tom Reed"]
    first = quotes[0]
    assert first.text == (
        "This bridge has been twenty years in the making. It will carry ten thousand cars a day. "
        "And it will be finished on time."
    )
    assert text[first.start : first.end].startswith("This bridge") and text[first.start : first.end].endswith(
        "time."
    )


def test_closed_quote_then_new_paragraph_is_a_new_quote() -> None:
    text = "“We won,” said Ana Ruiz.\n\n“The count starts now,” said Tom Reed."
    assert speakers(text) == [("Ana Ruiz", "We won"), ("Tom Reed", "The count starts now")]


def test_curly_and_straight_marks_agree() -> None:
    curly = "“The plan is dead,” said Ana Ruiz. “We start again on Monday.”"
    straight = curly.replace("“", '"').replace("”", '"')
    assert (
        speakers(curly)
        == speakers(straight)
        == [
            ("Ana Ruiz", "The plan is dead"),
            ("Ana Ruiz", "We start again on Monday."),
        ]
    )


def test_single_curly_quotes_only_when_they_quote() -> None:
    quotes = extract_quotes("The officers’ union called the ruling ‘a disgrace’ on Monday. It’s their view.")
    assert [q.text for q in quotes] == ["a disgrace"]
    # Quotes inside a double-quoted quote are part of it, not quotes of their own.
    nested = extract_quotes("“He called it ‘a farce’,” said Ana Ruiz.")
    assert [(q.text, q.speaker) for q in nested] == [("He called it ‘a farce’", "Ana Ruiz")]


def test_tokenised_spacing() -> None:
    text = (
        'Judge Maria Lopez spoke to the court .\n" We appreciate your patience , " the judge said .\n'
        "\"Her friends and family are supportive of her decision , ''a friend of the actress said ."
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We appreciate your patience", "Maria Lopez"),
        ("Her friends and family are supportive of her decision", None),
    ]


def test_partial_quotes() -> None:
    text = "Ana Ruiz insisted that officers “mustn’t fear the dock” and called the plan “a farce”."
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker, q.partial) for q in quotes] == [
        ("mustn’t fear the dock", "Ana Ruiz", True),
        ("a farce", "Ana Ruiz", True),
    ]
    full = extract_quotes("Ana Ruiz said: “We will appeal.”")[0]
    assert not full.partial


# --- attribution -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "“We will appeal,” said Ana Ruiz.",
        "“We will appeal,” Ana Ruiz said.",
        "“We will appeal,” Ana Ruiz, the party’s lawyer, said on Monday.",
        "Ana Ruiz said: “We will appeal.”",
        "Ana Ruiz told reporters on Monday: “We will appeal.”",
        "Ana Ruiz posted on X on Sunday: “We will appeal.”",
        "“We will appeal,” according to Ana Ruiz.",
        '"We will appeal," Ana Ruiz said.',
        "“We will appeal,” Rep. Ana Ruiz (D-Calif.) said.",
        "“We will appeal,” said Sen. Ana Ruiz, R-N.Y.",
        'Sen. Ana Ruiz, R-Ky., said "we will appeal."',
        "Representatives Ana Ruiz of Ohio and Al Green of Texas filed it.\n\n“We will appeal,” Ms. Ruiz said.",
        # A description first, then the name set off by commas.
        "The party’s lawyer, Ana Ruiz, responded: “We will appeal.”",
        "One of the lawyers, Ana Ruiz, said: “We will appeal.”",
        # A noun of speech in an opening phrase is no verb with a subject of its own.
        "Amid calls for a retrial, Ana Ruiz added: “We will appeal.”",
    ],
)
def test_attribution_patterns(text: str) -> None:
    assert [(q.speaker, quote_words(q.text)) for q in extract_quotes(text)] == [
        ("Ana Ruiz", ["we", "will", "appeal"])
    ]


def test_two_quotes_of_one_sentence_with_two_verbs_share_its_subject() -> None:
    text = "Ana Ruiz called the ruling “a travesty” and vowed that “we will appeal it to the end.”"
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Ana Ruiz"]
    text = "Ana Ruiz said on Monday, “The ruling is wrong,” and predicted, “We will win on appeal.”"
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Ana Ruiz"]


@pytest.mark.parametrize(
    ("office", "name"),
    [
        ("Director of National Intelligence", "James Clapper"),
        ("Secretary of Homeland Security", "Kirstjen Nielsen"),
        ("Secretary of State", "Mike Pompeo"),
        ("Speaker of the House", "Paul D. Ryan"),
    ],
)
def test_an_office_of_several_words_is_no_part_of_the_name(office: str, name: str) -> None:
    assert [q.speaker for q in extract_quotes(f"{office} {name} said: “We will act.”")] == [name]


def test_words_quoted_from_someones_comment_are_theirs() -> None:
    text = "Tom Bell dismissed Ana Ruiz's comment that the council is under a “reign of terror” by the mayor."
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz"]
    # A verb of speech after the comment: the words are the subject's reply.
    text = "Tom Bell rejected Ana Ruiz's claim, saying it was “total nonsense.”"
    assert [q.speaker for q in extract_quotes(text)] == ["Tom Bell"]


def test_the_second_half_of_a_split_quote_is_its_first_halfs() -> None:
    text = "“It had been my intention to file,” said Ana Ruiz on the floor on Tuesday, “however, we waited.”"
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Ana Ruiz"]
    # A new sentence, or another speaker named: not the first half's.
    assert [
        q.speaker for q in extract_quotes("“We tried,” Ana Ruiz said. “and we failed,” an official said.")
    ] == [
        "Ana Ruiz",
        None,
    ]


def test_a_party_tag_can_end_the_sentence_before_the_next_quote() -> None:
    text = '"We warned them," said Sen. Ana Ruiz, D-Phoenix. "We said this would happen."'
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Ana Ruiz"]


def test_titles_honorifics_and_fullest_name() -> None:
    text = (
        "Home Secretary Suella Braverman ordered a review on Sunday.\n\n"
        "Mrs Braverman said: “Officers need our support.”\n\n"
        "The Home Secretary added: “They have it.”\n\n"
        "“We are reviewing the rules,” Braverman said."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Suella Braverman"] * 3


def test_organisation_spokespeople() -> None:
    text = (
        "A Met Police spokesman said: “Officers are on patrol.”\n\n"
        "The spokesperson added: “We are monitoring the situation.”\n\n"
        "“Our priority is safety,” a spokesperson for Google said.\n\n"
        "The Ministry of Defence said: “We have accepted the request.”"
    )
    assert [q.speaker for q in extract_quotes(text)] == [
        "Met Police",
        "Met Police",
        "Google",
        "Ministry of Defence",
    ]


def test_pronoun_resolves_to_the_one_person_in_reach() -> None:
    text = "Ana Ruiz led the protest on Monday.\n\n“We will be back,” she said."
    assert speakers(text) == [("Ana Ruiz", "We will be back")]


def test_a_noun_of_speech_after_the_quote_is_not_its_attribution() -> None:
    # "claims" after "a woman's" is a noun: the attribution is "what he called", before the quote.
    text = (
        "Roy Moore spoke in Gadsden.\n\n"
        'Moore lashed out at what he called "the media lapdogs" after the paper reported on a woman\'s claims.'
    )
    assert speakers(text) == [("Roy Moore", "the media lapdogs")]


def test_pronoun_in_a_relative_clause_is_not_its_antecedent() -> None:
    text = (
        "Michael Bloomberg spoke on Wednesday. Donald Trump had spoken on Monday.\n\n"
        'Bloomberg threw several jabs at Trump, whom he called a "dangerous demagogue."'
    )
    assert speakers(text) == [("Michael Bloomberg", "dangerous demagogue.")]


def test_coordinated_partial_quotes_share_their_speaker() -> None:
    text = 'Ana Ruiz called the plan a "farce" and a "disgrace."'
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Ana Ruiz"]


def test_names_in_a_title_cased_headline_and_quoted_nicknames() -> None:
    text = (
        "Governor Names Former Aide To Replace John Kerry\n\n"
        'Gov. Deval Patrick appointed William "Mo" Cowan to the seat vacated by John Kerry.\n\n'
        "Cowan said Patrick offered him the job, and he accepted.\n\n"
        'He said there would be "no daylight" between him and Kerry on policy. Asked about the budget, he '
        'said the "best-case scenario" was a deal.'
    )
    # Not "To Replace John Kerry" (a headline's run), and Kerry, named after a preposition, is no subject.
    assert [q.speaker for q in extract_quotes(text) if q.text != "Mo"] == ["William Cowan"] * 2


def test_pronoun_with_two_candidates_gives_none() -> None:
    text = "Ana Ruiz and Tom Reed met on Monday.\n\n“We agreed on nothing,” she said."
    assert speakers(text) == [(None, "We agreed on nothing")]
    alternating = (
        "“Yes,” said Ana Ruiz. “No,” said Tom Reed.\n\nTom Reed and Ana Ruiz then left.\n\n“Maybe,” he said."
    )
    assert [q.speaker for q in extract_quotes(alternating)] == ["Ana Ruiz", "Tom Reed", None]


def test_a_pronoun_takes_the_subject_over_the_object_and_a_known_gender() -> None:
    # Two men in reach: the one who acted in the pronoun's paragraph, not the one acted upon.
    text = "Tom Reed praised John Hart in a statement on Wednesday. “I know him well,” he said."
    assert speakers(text) == [("Tom Reed", "I know him well")]
    # One man among the people named, known to be one by his honorific: he.
    text = "But Ms. Ana Ruiz, who has attacked Mr. Tom Reed, has clearly got under his skin. “I don’t know her,” he said."
    assert speakers(text) == [("Tom Reed", "I don’t know her")]
    # Only acted upon, of unknown gender, or the subject of another paragraph: nobody.
    assert speakers("Police arrested John Hart on Friday. “We found it,” he said.") == [(None, "We found it")]
    text = (
        "Tom Reed said: “I am here.”\n\nAna Ruiz asked Tom Reed: “Is it true?”\n\n"
        "The remarks prompted Ruiz to ask Reed about the files. He nodded, saying, “It is all true.”"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Tom Reed", "Ana Ruiz", None]


def test_ambiguous_attribution_gives_none_not_a_guess() -> None:
    # Two people say things in one sentence: whose words is the quote?
    assert speakers("Ana Ruiz said Tom Reed called the plan “a farce”.") == [(None, "a farce")]
    # An unnamed person with a capitalised description.
    assert speakers("“Power rests with the president,” said a Western diplomat.")[0][0] is None
    # Somebody's spokesperson is not that person.
    assert speakers("Ana Ruiz left early. “She is tired,” her spokesman said.")[0][0] is None
    # A title nobody in the article holds, and no name opens the article.
    assert speakers("The vote was close.\n\n“It is over,” the minister said.")[0][0] is None
    # A quote after somebody new is introduced does not inherit the previous speaker.
    text = "“We won,” said Ana Ruiz. Tom Reed disagreed: “The count is not over.”"
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", None]


def test_unattributed_quote_inherits_within_the_paragraph() -> None:
    text = "“What is this? A circus?” Ana Ruiz said, drawing laughter. “It is not a show.”"
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Ana Ruiz"]


def test_shared_surname_is_not_expanded() -> None:
    text = "Bill Clinton and Hillary Clinton arrived together.\n\n“It is a good day,” said Mr Clinton."
    assert speakers(text) == [("Clinton", "It is a good day")]


# --- grouping ----------------------------------------------------------------------------------------------


def q(text: str, speaker: str | None, article: str) -> Quote:
    return Quote(text, speaker, article, 0, len(text))


def test_group_by_containment_and_overlap() -> None:
    longest = (
        "We depend on our brave firearms officers to protect us from the most violent people in our society"
    )
    groups = group_quotes(
        [
            q(
                "We depend on our brave firearms officers to protect us from the most dangerous.",
                "Suella Braverman",
                "b",
            ),
            q("our brave firearms officers to protect us", None, "a"),  # contained
            q(longest, None, "c"),  # 5-gram overlap
            q("Something else entirely was said by someone.", "Tom Reed", "a"),
        ]
    )
    assert [(g.article_ids, g.speaker) for g in groups] == [
        (["a", "b", "c"], "Suella Braverman"),
        (["a"], "Tom Reed"),
    ]
    assert groups[0].text == longest
    assert len(groups[0].quotes) == 3


def test_group_speaker_majority_tie_and_name_forms() -> None:
    base = "the decision impacts on them and on their colleagues"
    majority = group_quotes(
        [q(base, "Braverman", "a"), q(base, "Suella Braverman", "b"), q(base, "Met Police", "c")]
    )
    assert majority[0].speaker == "Suella Braverman"
    tie = group_quotes([q(base, "Met Police", "a"), q(base, "Scotland Yard", "b")])
    assert tie[0].speaker is None
    # Several quotes from one article count once.
    once = group_quotes(
        [q(base, "Met Police", "a"), q(base, "Met Police", "a"), q(base, "Scotland Yard", "b")]
    )
    assert once[0].speaker is None and once[0].article_ids == ["a", "b"]


def test_short_quotes_group_only_when_identical() -> None:
    groups = group_quotes(
        [q("phony", "Rick Santorum", "a"), q("“Phony,”", None, "b"), q("a phony theology", None, "c")]
    )
    assert [g.article_ids for g in groups] == [["a", "b"], ["c"]]


def test_same_speaker() -> None:
    assert same_speaker("Braverman", "Suella Braverman")
    assert same_speaker("Mrs Braverman", "Suella Braverman")
    assert not same_speaker("Bill Clinton", "Hillary Clinton")
    assert not same_speaker("Obama campaign", "Romney campaign")


# --- robustness --------------------------------------------------------------------------------------------


PIECES = [*"ab A.,:\n“”\"‘’'`", " said ", " Ana Ruiz ", " he ", "\n\n", "the spokesman "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_any_text_gives_well_formed_quotes(text: str) -> None:
    for quote in extract_quotes(text, "x"):
        assert 0 <= quote.start <= quote.end <= len(text)
        assert quote.text.strip() and quote.article_id == "x"
    group_quotes(extract_quotes(text, "x") + extract_quotes(text, "y"))


def test_fast_enough() -> None:
    texts = [seed("000", clean=False), seed("002", clean=False)] * 50
    t0 = time.perf_counter()
    for text in texts:
        extract_quotes(text)
    assert len(texts) / (time.perf_counter() - t0) > 100


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # Woven into a sentence that names its speaker: "according to" names who reported it.
        (
            "Trump asserted that he had “the absolute right to declare an emergency,” according to CNN.",
            "Trump",
        ),
        # With nobody named before it, "according to" gives the speaker.
        ("The plan is “dead on arrival,” according to Senator John Doe.", "John Doe"),
        ("“We will not back down,” according to Mayor Jane Smith.", "Jane Smith"),
    ],
)
def test_according_to_names_the_speaker_only_when_the_sentence_names_none(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(text, "a")] == [speaker]


def test_a_storys_quotes_leave_out_scare_quoted_terms() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    texts = {
        "a": "The president wants money for the “wall” on the border. "
        "“We will build it one way or the other,” the president said.",
        "b": "The plan was billed as “easy money” for contractors. Mayor Jane Smith said it was “a disgrace”.",
    }
    articles = [Article(id=k, text=v, clean_text=v) for k, v in texts.items()]
    story = Story("s-1", "Wall", list(texts), [], None, None)
    quoted = [g.text for g in compare_story(story, articles).quotes]
    assert "We will build it one way or the other" in quoted and "a disgrace" in quoted  # said by someone
    assert "wall" not in quoted and "easy money" not in quoted  # terms nobody is said to have said


def test_a_storys_speakers_take_the_fullest_name_the_story_gives_them() -> None:
    quotes = [
        *extract_quotes("“We're going to confront the crisis on our border,” Trump said.", "fox"),
        *extract_quotes("“We will do it one way or the other,” said President Donald Trump.", "nyt"),
        *extract_quotes("“It was a deal,” Clinton said.", "fox"),
        *extract_quotes("“No,” said Bill Clinton. “Yes,” said Hillary Clinton.", "nyt"),
    ]
    speakers = [g.speaker for g in group_quotes(quotes)]
    # One Trump in the story: his short name is his full one. Two Clintons: "Clinton" stays as written.
    assert speakers == ["Donald Trump", "Donald Trump", "Clinton", "Bill Clinton", "Hillary Clinton"]


def test_a_short_name_keeps_its_form_when_the_story_names_another_of_that_surname() -> None:
    texts = {
        "nyt": "Near the dugout, the president's daughter Ivanka Trump said, “We are praying for Steve.”",
        "hpo": "President Donald Trump and first lady Melania Trump were briefed.\n\n"
        "Trump said that he was “deeply saddened” by the news.",
    }
    quotes = [q for aid, text in texts.items() for q in extract_quotes(text, aid)]
    assert [g.speaker for g in group_quotes(quotes)] == [
        "Ivanka Trump",
        "Ivanka Trump",
    ]  # no texts: as before
    speakers = [g.speaker for g in group_quotes(quotes, list(texts.values()))]
    assert speakers == ["Ivanka Trump", "Trump"]  # the story names Donald and Melania Trump too


def test_a_titled_surname_is_not_taken_for_an_untitled_full_name() -> None:
    text = (
        "Near the dugout, the president's daughter Ivanka Trump greeted the players.\n\n"
        "When a video message from President Trump played on the big screen, the crowd cheered. "
        "“You are showing the world that we will not be intimidated,” Mr. Trump said."
    )
    [quote] = extract_quotes(text, "nyt")
    assert quote.speaker == "Trump"


def test_a_shows_name_in_quote_marks_is_not_listed_as_a_quote() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    texts = {
        "a": "The senator spoke on NBC's “Meet the Press.” “We will not back down,” she said.",
        "b": "Appearing on “Meet the Press,” the senator said the party would hold firm on the budget.",
    }
    articles = [Article(id=k, text=v, clean_text=v) for k, v in texts.items()]
    comparison = compare_story(Story("s-1", "Budget", list(texts), [], None, None), articles)
    shown = [g.text for g in comparison.quotes]
    assert not any("Meet the Press" in text for text in shown)
    assert any("We will not back down" in text for text in shown)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # A description set off by commas between the name and the verb.
        (
            "“I sure don’t,” Rep. Mike Doyle, D-Pa., manager of the party's baseball team, told reporters.",
            "Mike Doyle",
        ),
        ("“We will rebuild,” Mayor Jane Smith, who took office in May, said on Tuesday.", "Jane Smith"),
        # "and" inside an organisation's name, before its spokesman's.
        (
            "“She will not answer,” Oversight and Government Reform Committee spokesman Ali Ahmad said.",
            "Ali Ahmad",
        ),
        # Two people, or no person: nobody in particular.
        ("“We lost,” Smith and Jones said.", None),
        ("“We will rebuild,” the city, which was flooded, said.", None),
    ],
)
def test_speakers_named_before_a_description_or_inside_an_organisation(
    text: str, speaker: str | None
) -> None:
    [quote] = extract_quotes(text, "a")
    assert quote.speaker == speaker


def test_a_few_words_of_a_longer_quote_are_not_listed_again() -> None:
    from newsfold.article import Article, Story
    from newsfold.compare import compare_story

    whole = "This is beyond politics, and we will not stop until the job is done"
    texts = {
        "a": f"“{whole},” Pelosi said on Tuesday.",
        "b": "Pelosi said the matter was “beyond politics” and vowed to keep going.",
    }
    articles = [Article(id=k, text=v, clean_text=v) for k, v in texts.items()]
    quotes = compare_story(Story("s-1", "Pelosi", list(texts), [], None, None), articles).quotes
    assert [q.text for q in quotes] == [whole]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The New York Times said: “The deal is done.”", "New York Times"),  # not "York Times"
        ("“We will win,” New Jersey Gov. Chris Christie said.", "Chris Christie"),
    ],
)
def test_new_begins_a_name(text: str, speaker: str) -> None:
    [quote] = extract_quotes(text, "a")
    assert quote.speaker == speaker
