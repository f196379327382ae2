"""Searching stories: case folds every letter (SQLite as PostgreSQL); query terms and phrases."""

from __future__ import annotations

from newsfold.article import Article
from newsfold.pipeline import Pipeline
from newsfold.web.params import StoryFilter
from newsfold.web.queries import find_stories


def test_search_and_entity_filters_fold_accented_capitals(store):
    text = (
        "Café owners in Zürich said on Monday that the new rent rules would close a dozen shops in the old "
        "town. Ärger über die Mieten grows, the owners' association said."
    )
    Pipeline(store).run([Article(id="zh", text=text, title="Café crème à Zürich", source="Tages-Post")])
    for q in ("zürich", "ZÜRICH", "CAFÉ", "ärger"):
        total, _ = find_stories(store.engine, StoryFilter(q=q), limit=10, offset=0)
        assert total == 1, q
    total, _ = find_stories(store.engine, StoryFilter(entity="ZÜRICH"), limit=10, offset=0)
    assert total == 1


def test_search_terms_read_an_unclosed_phrase_and_ignore_a_lone_quote():
    from newsfold.web.queries import search_terms

    assert search_terms('"flood warning" dam') == ["flood warning", "dam"]
    assert search_terms('"flood warning') == ["flood warning"]  # the closing quote forgotten
    assert search_terms('"') == [] and search_terms('a "" b') == ["a", "b"]
