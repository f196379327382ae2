"""Lines that recur across stories (newsfold.clean.repeats) and how the pipeline drops them."""

from __future__ import annotations

import pytest

from newsfold.clean import Cleaned
from newsfold.clean.repeats import COPY_ADDITION, LineMemory, RepeatGuard, line_key, overlap
from newsfold.pipeline import Pipeline

pytestmark = pytest.mark.usefixtures("no_db_env")

FOOTER = "Avon Echo | Local news"


def cleaned(*lines: str, sure: float = 0.6) -> Cleaned:
    return Cleaned(list(lines), [None] * len(lines), "\n\n", [sure] * len(lines))


def mark(memory: LineMemory, page: Cleaned) -> bool:
    return memory.mark(page, keys(*page.lines))


def keys(*lines: str) -> list[int]:
    return [line_key(line) for line in lines]


def test_keys_fold_case_whitespace_and_digits_only():
    assert line_key("Share 131  Tweet 3") == line_key("share 55 tweet 2") == line_key("SHARE 5 TWEET 3")
    assert line_key("Link copied!") == line_key("link copied")
    assert line_key("Link copied") != line_key("Link copies")


def test_a_line_of_three_other_stories_is_dropped_but_not_of_one():
    memory = LineMemory(spread=3)
    for story in ("s-a", "s-b"):
        memory.remember(keys("Sign in to react", f"Reporting of {story}"), story)
    page = cleaned("Sign in to react", "The council voted on Tuesday.")
    assert not mark(memory, page)  # two stories are not enough
    memory.remember(keys("Sign in to react"), "s-c")
    assert mark(memory, page)
    assert page.reasons == ["repeated", None]

    same_story = LineMemory(spread=3)
    for _ in range(5):  # wire copies and other outlets' reports of one event share lines: one story
        same_story.remember(keys("“We will appeal,” she said."), "s-a")
    assert not mark(same_story, cleaned("“We will appeal,” she said.", "More."))


def test_prose_the_model_is_sure_of_stays_and_an_article_is_never_emptied():
    memory = LineMemory(spread=2, guard=RepeatGuard(keep_above=0.95))
    for story in ("s-a", "s-b"):
        memory.remember(keys("Police appealed for witnesses.", "Menu"), story)
    sure = cleaned("Police appealed for witnesses.", "Other news.", sure=0.99)
    assert not mark(memory, sure)
    long = " ".join(["The council has argued for years that the bridge needs repair."] * 4)  # 44 words
    for story in ("s-a", "s-b"):
        memory.remember(keys(long), story)
    assert not mark(memory, cleaned(long, "Other news."))
    only_repeats = cleaned("Menu", "Police appealed for witnesses.")
    assert not mark(memory, only_repeats)
    assert only_repeats.reasons == [None, None]


def test_a_long_paragraph_a_copy_adds_about_something_else_loses_its_protections():
    guard = RepeatGuard()
    off_topic = (
        "Nothing on this website is investment advice, and the publisher does not recommend that any coin,"
        " token or share be bought, sold or held by readers, who should do their own research before they"
        " trade."
    )  # 35 words, none of them the article's
    local = (
        "The county said the old bridge would stay closed to heavy lorries until engineers had finished their"
        " survey of its arches, which the council expects by the end of the month."
    )  # 31 words, about the bridge
    original = (
        "The council voted on Tuesday to rebuild the old bridge.\nEngineers found cracks in its arches."
    )
    page = cleaned(off_topic, local, "The council voted on Tuesday to rebuild the old bridge.", sure=0.99)
    shared = overlap(page.lines, original)
    assert shared[0] == 0.0 and shared[1] > 0.3 and shared[2] == 1.0
    assert guard.mark(page, [True, True, False], COPY_ADDITION, shared)
    assert page.reasons == [COPY_ADDITION, None, None]  # the copy's own paragraph on the topic stays

    # Repeated across stories, the same paragraph keeps its protections: a roundup's items are reporting.
    roundup = cleaned(off_topic, local, "The council voted on Tuesday to rebuild the old bridge.", sure=0.99)
    assert not guard.mark(roundup, [True, True, False])
    short = cleaned("Menu and more", "The council voted on Tuesday.", sure=0.99)
    assert not guard.mark(short, [True, False], COPY_ADDITION, [0.0, 1.0])  # a few words say too little
    with pytest.raises(ValueError):
        guard.mark(short, [True, False], COPY_ADDITION, [0.0])


def test_marking_again_with_newer_knowledge_corrects_a_workers_marks():
    # A worker marked with what the memory knew when the article left; the pipeline marks again on return.
    memory = LineMemory(spread=1)
    memory.remember(keys("Sign in to react"), "s-a")
    page = cleaned("Old menu", "Sign in to react", "The council voted on Tuesday.")
    assert RepeatGuard().mark(page, [True, False, False])  # stale: "Old menu" has since gone
    assert page.reasons == ["repeated", None, None]
    assert mark(memory, page)
    assert page.reasons == [None, "repeated", None]
    assert not mark(memory, page)  # nothing new: no second pass needed


def test_memory_is_bounded_and_forgets_the_oldest_line():
    memory = LineMemory(spread=1, capacity=3)
    for i in range(3):
        memory.remember(keys(f"line {chr(97 + i)}"), "s")
    memory.remember(keys("line a"), "s")  # seen again: young again
    memory.remember(keys("line d"), "s")
    assert len(memory) == 3
    assert memory.flags(keys("line a", "line b", "line c", "line d")) == [
        True,
        False,
        True,
        True,
    ]


def with_footer(make_article, name: str):
    article = make_article(name)
    paragraphs = article.text.split("\n\n")
    article.text = "\n\n".join([*paragraphs[:2], FOOTER, *paragraphs[2:]])
    return article


def test_pipeline_drops_a_line_three_stories_carried_and_remembers_it_after_a_restart(store, make_article):
    pipeline = Pipeline(store)
    pipeline.run([with_footer(make_article, name) for name in ("bridge", "strike", "ferry")], workers=1)
    stories = {store.get_article(name).story_id for name in ("bridge", "strike", "ferry")}
    assert len(stories) == 3
    for name in ("bridge", "strike", "ferry"):  # nobody had carried it before: kept
        assert FOOTER in store.get_article(name).clean_text

    restarted = Pipeline(store)  # the memory is rebuilt from the store
    restarted.run([with_footer(make_article, "fire")], workers=1)
    fire = store.get_article("fire")
    assert FOOTER not in fire.clean_text
    assert [r.reason for r in fire.removed if r.text == FOOTER] == ["repeated"]
    assert fire.clean_text.strip()


def test_a_near_copy_loses_the_short_lines_it_adds_and_keeps_the_original_text(store, make_article):
    original = make_article("bridge")
    paragraphs = original.text.split("\n\n")
    local = (
        "The Avon Echo asked the county how long the detour would last, and a spokesman said the road would"
        " stay closed to heavy lorries until the engineers had finished their survey of the old arches."
    )
    copy = make_article("bridge", article_id="bridge-scraped")
    copy.text = "\n\n".join([*paragraphs, local, FOOTER])
    Pipeline(store).run([original, copy], workers=1)
    stored = store.get_article("bridge-scraped")
    assert stored.duplicate_of == "bridge"
    assert [r.reason for r in stored.removed if r.text == FOOTER] == ["copy-addition"]
    assert local in stored.clean_text  # a paragraph of its own is not furniture
    assert all(p in stored.clean_text for p in paragraphs)


def test_a_near_copy_loses_the_long_paragraphs_it_adds_about_something_else(store, make_article):
    original = make_article("bridge")
    paragraphs = original.text.split("\n\n")
    elsewhere = make_article("strike").text.split("\n\n")[:2]  # another story's paragraphs as padding
    advert = (
        "Thinking about a new mattress this winter? Our sleep team tested forty models from eleven makers,"
        " and readers save a quarter on every one of them when they order through the links on this page"
        " before the first of January."
    )
    copy = make_article("bridge", article_id="bridge-scraped")
    copy.text = "\n\n".join([*paragraphs[:4], advert, *paragraphs[4:], *elsewhere])
    Pipeline(store).run([original, copy], workers=1)
    stored = store.get_article("bridge-scraped")
    assert stored.duplicate_of == "bridge"
    assert [r.reason for r in stored.removed if r.text in (advert, *elsewhere)] == ["copy-addition"] * 3
    assert all(p in stored.clean_text for p in paragraphs)


def test_keys_fold_quote_marks_as_copies_swap_them():
    assert line_key("“We will appeal,” she said — twice.") == line_key('"We will appeal," she said - twice.')


def test_a_copy_split_at_other_places_loses_only_what_it_adds(store, make_article):
    original = make_article("bridge")
    paragraphs = original.text.split("\n\n")
    # The copy breaks every paragraph after each sentence: its lines are not the original's lines,
    # but their words run on in the original's text.
    split = [part for p in paragraphs for part in p.replace(". ", ".\n\n").split("\n\n")]
    copy = make_article("bridge", article_id="bridge-split")
    copy.text = "\n\n".join([*split, FOOTER])
    Pipeline(store).run([original, copy], workers=1)
    stored = store.get_article("bridge-split")
    assert stored.duplicate_of == "bridge"
    assert [r.text for r in stored.removed if r.reason == "copy-addition"] == [FOOTER]
    assert all(part in stored.clean_text for part in split)
