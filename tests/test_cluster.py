"""The streaming clusterer: stable ids, same-event joins, two events of one topic kept apart, aging, replay,
copies; and the shipped pair model and the dateline reader it leans on.

The event reports below were written for these tests (fictional places and people, not taken from any data
set): two earthquakes in one country, years apart, each reported by three outlets in their own words.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsfold.article import Article
from newsfold.clean import clean
from newsfold.cluster import (
    FEATURES,
    ClusterSettings,
    PairModel,
    StoryClusterer,
    default_model,
    features,
    story_id_for,
)
from newsfold.dates import find_text_date
from newsfold.errors import ConfigError

SEEDS_DIR = Path(__file__).resolve().parents[1] / "examples" / "seeds"

# Two events of one topic: an earthquake in the Marlow Valley in 2019 and one at Northgate Ridge in 2023.
QUAKES: dict[str, list[str]] = {
    "marlow-1": [
        "Marlow Valley earthquake kills 12",
        "A magnitude 5.8 earthquake struck the Marlow Valley early on Sunday, killing at least 12 people and "
        "flattening dozens of farmhouses around the town of Essenby, officials said.",
        "Governor Anne Petrakis declared a state of emergency across Dunmore province and sent 300 soldiers to "
        "help rescue teams search the rubble.",
        "The quake hit at 4.12am at a depth of 9 kilometres, according to the national seismology institute, "
        "and was felt as far away as the capital.",
        "The 2019 tremor is the strongest to hit the valley since 1987.",
    ],
    "marlow-2": [
        "Rescuers dig through rubble after Marlow Valley quake",
        "Rescue teams in the Marlow Valley worked through the night after Sunday's 5.8-magnitude quake left 12 "
        "people dead and more than 80 injured in and around Essenby.",
        "Anne Petrakis, the governor of Dunmore province, said 300 troops had joined the search and that "
        "field hospitals were being set up next to the Essenby stadium.",
        "Many of the old stone farmhouses in the valley collapsed, trapping families as they slept.",
    ],
    "marlow-3": [
        "Essenby mourns as death toll from valley earthquake reaches 12",
        "Hundreds gathered in Essenby on Monday to mourn the 12 people killed when a 5.8 magnitude earthquake "
        "shook the Marlow Valley before dawn on Sunday.",
        "Governor Petrakis promised money to rebuild the farmhouses destroyed in Dunmore province and said "
        "the 300 soldiers sent to the valley would stay for as long as they were needed.",
        "Seismologists recorded more than 40 aftershocks in the 24 hours after the 2019 quake.",
    ],
    "northgate-1": [
        "Strong earthquake hits Northgate Ridge, 40 dead",
        "A magnitude 6.4 earthquake struck Northgate Ridge on Thursday afternoon, killing at least 40 people "
        "and bringing down apartment blocks in the mining town of Callow Bay.",
        "Mayor Tomas Reyes said emergency crews were still pulling survivors from two collapsed buildings on "
        "Harbour Street and appealed for blood donors.",
        "The 2023 quake struck at a depth of 15 kilometres and was followed by a 5.1 aftershock.",
    ],
    "northgate-2": [
        "Callow Bay counts the cost of Northgate Ridge quake",
        "The death toll from Thursday's 6.4 magnitude earthquake at Northgate Ridge rose to 40 as rescuers "
        "searched the ruins of apartment blocks in Callow Bay.",
        "Tomas Reyes, the town's mayor, said the two buildings that fell on Harbour Street had been due for "
        "inspection, and promised an inquiry.",
        "Miners from the nearby pits joined the rescue with their own lifting gear.",
    ],
    "northgate-3": [
        "Mining town grieves after deadly quake",
        "Callow Bay held a vigil on Friday for the 40 people killed when the 6.4-magnitude Northgate Ridge "
        "earthquake brought down apartment blocks on Harbour Street.",
        "Mayor Reyes said engineers would check every building in the town before families could return, and "
        "that the 5.1 aftershock had damaged the old mine offices.",
        "The 2023 disaster is the deadliest in the region's history.",
    ],
}


def quake(name: str, published: datetime | None = None) -> Article:
    title, *body = QUAKES[name]
    return Article(
        id=name, text="\n\n".join(body), title=title, published=published, clean_text="\n\n".join(body)
    )


def prepared(article: Article) -> Article:
    clean(article)
    return article


def assign_all(clusterer: StoryClusterer, articles: list[Article]) -> dict[str, str]:
    return {a.id: clusterer.assign(a) for a in articles}


@pytest.fixture
def background(make_article: Callable[..., Article]) -> list[Article]:
    """Four unrelated hand-written reports, so document frequencies are not learned from one topic alone."""
    return [prepared(make_article(name)) for name in ("bridge", "strike", "ferry", "fire")]


# --- story ids ------------------------------------------------------------------------------------------
def test_story_ids_are_derived_from_the_first_article_and_never_change(make_article, background):
    clusterer = StoryClusterer()
    first = prepared(make_article("bridge", article_id="bridge-a"))
    story = clusterer.assign(first)
    assert story == story_id_for("bridge-a") == first.story_id
    later = [prepared(make_article(n)) for n in ("strike", "bridge-other", "ferry", "fire")]
    ids = assign_all(clusterer, later)
    assert ids["bridge-other"] == story  # another outlet's report of the bridge vote joins it
    assert len({ids["strike"], ids["ferry"], ids["fire"], story}) == 4
    for article in later:
        assert ids[article.id] in (story, story_id_for(article.id))
    assert clusterer.stories[story].size == 2
    assert first.story_id == story


# --- same event, different events -----------------------------------------------------------------------
def test_the_two_seed_articles_form_one_story():
    articles = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        articles.append(prepared(Article(id=path.stem, text=path.read_text(encoding="utf-8"))))
    assert len(articles) == 2
    clusterer = StoryClusterer()
    ids = assign_all(clusterer, articles)
    assert len(set(ids.values())) == 1


@pytest.mark.parametrize("dated", [False, True])
def test_two_events_of_one_topic_stay_two_stories(background, dated):
    clusterer = StoryClusterer()
    assign_all(clusterer, background)
    when = {
        "marlow": datetime(2019, 5, 12, tzinfo=UTC),
        "northgate": datetime(2023, 9, 7, tzinfo=UTC),
    }
    # Interleaved, as a feed mixing old and new reports would deliver them.
    order = ["marlow-1", "northgate-1", "marlow-2", "northgate-2", "marlow-3", "northgate-3"]
    articles = [quake(n, when[n.split("-")[0]] if dated else None) for n in order]
    ids = assign_all(clusterer, articles)
    marlow = {ids[n] for n in order if n.startswith("marlow")}
    northgate = {ids[n] for n in order if n.startswith("northgate")}
    assert len(marlow) == 1 and len(northgate) == 1
    assert marlow != northgate


def test_unrelated_reports_do_not_join(background):
    clusterer = StoryClusterer()
    ids = assign_all(clusterer, background)
    assert len(set(ids.values())) == len(background)


# --- aging ----------------------------------------------------------------------------------------------
def test_stories_age_out_by_publication_time(make_article):
    settings = ClusterSettings(window_days=7, expire_every=1)
    clusterer = StoryClusterer(settings)
    t0 = datetime(2024, 3, 5, tzinfo=UTC)
    bridge = clusterer.assign(prepared(make_article("bridge", published=t0)))
    clusterer.assign(prepared(make_article("strike", published=t0 + timedelta(days=10))))
    assert bridge in clusterer.stories
    clusterer.assign(prepared(make_article("ferry", published=t0 + timedelta(days=20))))
    assert bridge not in clusterer.stories
    # Gone from the candidate set: the same event reported again now starts a story of its own.
    late = prepared(make_article("bridge-other", published=t0 + timedelta(days=21)))
    assert clusterer.assign(late) == story_id_for("bridge-other")


def test_undated_stories_age_out_by_arrivals(make_article):
    settings = ClusterSettings(window_articles=2, expire_every=1)
    clusterer = StoryClusterer(settings)

    def undated(name: str) -> Article:
        article = prepared(make_article(name))
        article.published = None
        return article

    bridge = clusterer.assign(undated("bridge"))
    for name in ("strike", "ferry"):
        clusterer.assign(undated(name))
    assert bridge in clusterer.stories
    clusterer.assign(undated("fire"))
    assert bridge not in clusterer.stories
    assert clusterer.open_stories == 3
    assert clusterer.assign(undated("bridge-other")) == story_id_for("bridge-other")


def test_same_event_joins_when_the_story_is_still_open(make_article):
    clusterer = StoryClusterer()
    bridge = clusterer.assign(prepared(make_article("bridge")))
    assert clusterer.assign(prepared(make_article("bridge-other"))) == bridge


# --- replay ---------------------------------------------------------------------------------------------
def test_replay_rebuilds_equivalent_state(make_article, background):
    stream = [
        *background,
        *(quake(n) for n in ("marlow-1", "northgate-1", "marlow-2")),
        prepared(make_article("bridge-other")),
        *(quake(n) for n in ("northgate-2", "marlow-3", "northgate-3")),
    ]
    settings = ClusterSettings(expire_every=1, window_articles=6)  # aging happens during the run too
    whole = StoryClusterer(settings)
    expected = assign_all(whole, copy.deepcopy(stream))

    for cut in (3, 7, 10):
        first = StoryClusterer(settings)
        head = copy.deepcopy(stream[:cut])
        assign_all(first, head)
        restarted = StoryClusterer(settings)
        for article in head:  # what the pipeline does with the articles in the store
            restarted.replay(article)
        assert restarted.open_stories == first.open_stories
        assert restarted.stories.keys() == first.stories.keys()
        rest = assign_all(restarted, copy.deepcopy(stream[cut:]))
        assert {a.id: a.story_id for a in head} | rest == expected


def test_replay_ignores_articles_without_a_story(make_article):
    clusterer = StoryClusterer()
    clusterer.replay(prepared(make_article("bridge")))
    assert clusterer.open_stories == 0 and clusterer.docs == 0


# --- copies ---------------------------------------------------------------------------------------------
def test_a_copy_joins_its_originals_story(make_article, background):
    clusterer = StoryClusterer()
    ids = assign_all(clusterer, background)
    # A copy joins its original's story even where its own words would put it elsewhere (here a "copy" with
    # the fire report's words, as a scraper's page with the wrong body would be).
    copied = prepared(make_article("fire", article_id="fire-copy"))
    assert clusterer.assign(copied, copy_of_story=ids["ferry"]) == ids["ferry"]
    assert clusterer.stories[ids["ferry"]].size == 2


def test_a_copy_reopens_its_originals_closed_story(make_article, background):
    clusterer = StoryClusterer(ClusterSettings(window_articles=1, expire_every=1))
    for article in background:
        article.published = None  # undated stories age by arrivals
    ids = assign_all(clusterer, background)
    assert ids["bridge"] not in clusterer.stories
    copied = prepared(make_article("bridge", article_id="bridge-copy"))
    copied.published = None
    assert clusterer.assign(copied, copy_of_story=ids["bridge"]) == ids["bridge"]
    assert ids["bridge"] in clusterer.stories


# --- features, model, datelines -------------------------------------------------------------------------
def test_features_kinds_and_tokenised_figures():
    article = Article(
        id="x",
        text="",
        title="Quake of 4. 6 hits U. S. coast",
        clean_text="A quake of magnitude 4. 6 struck near Santa Rosa, the U. S. Geological Survey said. "
        "About 650, 000 people felt it.",
    )
    counts = features(article, ClusterSettings())
    assert counts["f:4.6"] == 2 + 1 + 1  # title twice, lead once, body once
    assert counts["f:650000"] == 2
    assert counts["n:santa rosa"] == 2
    assert counts["w:quake"] > 0 and "w:the" not in counts
    assert all(k[:2] in ("w:", "n:", "f:") for k in counts)


def test_a_count_with_a_thousands_separator_does_not_date_an_article():
    article = Article(
        id="y",
        text="",
        clean_text="The flood of 2008 destroyed 2,010 homes and 3,500 barns; 12,000 people left. "
        "A 2,000-strong crew arrived.",
    )
    counts = features(article, ClusterSettings())
    assert counts["f:2008"] and counts["f:2,010"] and counts["f:3500"] and counts["f:12000"]
    assert "f:2010" not in counts and "f:2000" not in counts
    assert StoryClusterer()._observe(article).year == 2008  # the year it mentions, not the count of homes


def test_shipped_model_matches_the_features():
    model = default_model()
    assert len(model.rank_weights) == len(FEATURES)
    assert model.join_trees and all(max(t.feature) < len(FEATURES) for t in model.join_trees)
    data = model.to_json()
    assert PairModel.from_json(json.loads(json.dumps(data))) == model
    data["features"] = data["features"][:-1]
    with pytest.raises(ConfigError):
        PairModel.from_json(data)


def test_the_joiner_evaluates_its_trees_together_as_each_alone():
    import math
    import random

    model = default_model()
    rng = random.Random(0)
    for _ in range(300):
        x = [rng.choice((0.0, 1.0, rng.random(), 3 * rng.random())) for _ in FEATURES]
        walked = model.join_bias + sum(tree(x) for tree in model.join_trees)
        assert model.join(x) == pytest.approx(1.0 / (1.0 + math.exp(-walked)), abs=1e-12)


def test_settings_are_one_frozen_default():
    settings = ClusterSettings()
    with pytest.raises(AttributeError):
        settings.join = 0.1  # type: ignore[misc]
    assert StoryClusterer().settings == settings
    assert json.loads(StoryClusterer().settings_json()) == settings.to_dict()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The zone a dateline names counts: 10:27 Pacific daylight time is 17:27 UTC.
        ("Headline here\n(10: 27 am PDT, Jun 11th 2012)\nBody text follows.", datetime(2012, 6, 11, 17, 27)),
        ("Fire at the docks\nPublished March 5, 2024 10:32 AM EST\nMore.", datetime(2024, 3, 5, 15, 32)),
        # A generic zone follows daylight saving time: ET is EDT (UTC-4) in June, EST (UTC-5) in January.
        ("Talks resume\nJune 11, 2012 at 12:36 PM ET\nMore.", datetime(2012, 6, 11, 16, 36)),
        ("Talks resume\nJanuary 11, 2012 at 12:36 PM ET\nMore.", datetime(2012, 1, 11, 17, 36)),
        ("Vote count\nUpdated 2 July 2019 14:00 BST\nMore.", datetime(2019, 7, 2, 13, 0)),
        ("Vote count\n2024-03-05T10:00:00+02:00\nMore.", datetime(2024, 3, 5, 8, 0)),
        # A name no one can place leaves the time as printed.
        ("Vote count\nMarch 5, 2024 10:32 AM XYZ\nMore.", datetime(2024, 3, 5, 10, 32)),
        ("Report: talks collapse\nDecember 15th, 2008, 7: 35 am\nMore.", datetime(2008, 12, 15, 7, 35)),
        (
            "18 September 2013 Last updated at 13: 59 GMT\nMicrosoft releases fix",
            datetime(2013, 9, 18, 13, 59),
        ),
    ],
)
def test_find_text_date_reads_a_dateline(text, expected):
    assert find_text_date(text) == expected.replace(tzinfo=UTC)


def test_find_text_date_ignores_dates_inside_sentences():
    text = (
        "Harbour mayor resigns\n"
        "She was first elected in September 2010 and re-elected in May 2014 by a wide margin.\n"
        "Her deputy said on Tuesday that he would stand in until a new vote."
    )
    assert find_text_date(text) is None


# --- training ---------------------------------------------------------------------------------------------
def test_cross_validation_scores_each_data_set_and_the_mixed_stream(background):
    from newsfold.cluster_train import Labelled, cross_validate

    quakes = [
        Labelled(prepared(quake(name)), f"a:{name.split('-')[0]}", f"a:{name.split('-')[0]}", "a")
        for name in ("marlow-1", "northgate-1", "marlow-2", "northgate-2", "marlow-3", "northgate-3")
    ]
    again = [dataclasses.replace(a, id=a.id + "-again") for a in background[:2]]  # same stories, later
    stories = [f"b:{a.id.removesuffix('-again')}" for a in background + again]
    others = [Labelled(a, story, story, "b") for a, story in zip(background + again, stories, strict=True)]
    logged: list[str] = []
    result = cross_validate(quakes + others, folds=2, log=logged.append)
    assert set(result["cross_dataset"]) == {"a -> b", "b -> a"}
    assert set(result["kfold"]) == {"a", "b", "all"}
    assert result["kfold"]["a"]["group"] == "story"
    mixed = result["kfold"]["all"]
    assert len(mixed["per_fold"]) == 2 and all(0.0 < f <= 1.0 for f in mixed["per_fold"])
    assert any(line.startswith("all files streamed together") for line in logged)


def test_training_without_any_same_story_pair_is_a_clear_error(background):
    from newsfold.cluster_train import Labelled, fit, teacher_rows

    rows = teacher_rows([Labelled(a, a.id, a.id, "b") for a in background])  # every story has one article
    with pytest.raises(ValueError, match="no pair of both kinds"):
        fit(rows)


def test_training_on_a_file_without_gold_stories_names_the_line(tmp_path, capsys):
    from newsfold.cluster_train import main as train_main

    path = tmp_path / "unlabelled.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "The council met on Tuesday."}) + "\n", encoding="utf-8")
    assert train_main([str(path), "--no-cv"]) == 1
    assert f"{path}:1: missing 'gold_story'" in capsys.readouterr().err
