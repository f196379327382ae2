"""The evaluation gate: newsfold's quality on the labelled dev sets must not fall below the floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfold.evaluate import eval_cleaning, eval_clustering, eval_duplicates, eval_junk

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not (DATA / "basil-dev.jsonl").exists(), reason=f"no dev data at {DATA}")


def test_cleaning_l3s_page_text_and_html():
    figures = eval_cleaning(DATA / "l3s-gn1-dev.jsonl", html=True)
    assert figures["line_f1"] >= FLOORS["cleaning_l3s_line_f1"]
    assert figures["html_f1"] >= FLOORS["cleaning_l3s_html_f1"]


def test_cleaning_junk_wrapped_articles():
    figures = eval_junk([DATA / "basil-dev.jsonl", DATA / "ecbplus-dev.jsonl"])
    assert figures["content_f1"] >= FLOORS["cleaning_junk_content_f1"]
    assert figures["junk_removed"] >= FLOORS["cleaning_junk_removed"]


def test_cleaning_site_pages_as_a_stream_removes_more_junk_and_keeps_the_content():
    figures = eval_junk([DATA / "basil-dev.jsonl", DATA / "ecbplus-dev.jsonl"], sites=20)
    assert figures["content_f1"] >= FLOORS["cleaning_sites_content_f1"]
    assert figures["junk_removed"] >= FLOORS["cleaning_sites_junk_removed"]
    assert figures["content_r"] >= figures["alone"]["content_r"] - 0.001  # repeats cost no reporting


@pytest.mark.parametrize(
    ("files", "floor"),
    [
        (["basil-dev.jsonl"], "clustering_basil_f1"),
        (["ecbplus-dev.jsonl"], "clustering_ecbplus_f1"),
        (["basil-dev.jsonl", "ecbplus-dev.jsonl"], "clustering_both_f1"),
    ],
)
def test_story_clustering(files, floor):
    assert eval_clustering([DATA / f for f in files])["bcubed_f1"] >= FLOORS[floor]


def test_copy_detection():
    figures = eval_duplicates([DATA / "basil-dev.jsonl", DATA / "ecbplus-dev.jsonl"])
    assert figures["near_copy_recall"] >= FLOORS["duplicates_recall"]
    assert figures["teaser_recall"] >= FLOORS["duplicates_teaser_recall"]
    assert figures["false_links"] <= FLOORS["duplicates_false_links"]
    # What scrapers and syndicators add to a copy goes; the original's own text stays.
    assert figures["added_removed"] >= FLOORS["duplicates_added_removed"]
    assert figures["own_chars_lost"] <= FLOORS["duplicates_own_chars_lost_max"]


def test_no_basil_article_is_a_copy_of_another_outlet():
    from newsfold.evaluate import read_labelled
    from newsfold.pipeline import Pipeline
    from newsfold.store import open_store

    rows = read_labelled([DATA / "basil-dev.jsonl"])
    with open_store("sqlite://") as store:
        pipeline = Pipeline(store)
        outcomes = [pipeline.process(a) for a, _ in rows]
    assert [o.article_id for o in outcomes if o.duplicate_of] == []
