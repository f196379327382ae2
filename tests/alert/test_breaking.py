"""Breaking detection: the rule (N distinct outlets in a window, copies excluded) and the score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from servers import DEMO_NOW

from newsfold.alert.breaking import (
    ArticleTime,
    BreakingSettings,
    assess,
    breaking_stories,
    outlet_key,
    story_status,
)
from newsfold.errors import ConfigError

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


def at(minutes_ago: float) -> datetime:
    return NOW - timedelta(minutes=minutes_ago)


def times(*items: tuple[str | None, float] | tuple[str | None, float, bool]) -> list[ArticleTime]:
    return [
        ArticleTime(f"a{i}", item[0], at(item[1]), len(item) > 2 and bool(item[2]))
        for i, item in enumerate(items)
    ]


def test_three_distinct_outlets_within_the_window_make_a_story_breaking():
    status = assess("s", times(("Avon Echo", 50), ("Western Post", 30), ("Wire", 10)), NOW)
    assert status.breaking
    assert [o.outlet for o in status.outlets] == ["Avon Echo", "Western Post", "Wire"]
    assert status.span == timedelta(minutes=40)


def test_two_outlets_are_not_enough_by_default_but_are_with_min_outlets_2():
    items = times(("Avon Echo", 50), ("Western Post", 30))
    assert not assess("s", items, NOW).breaking
    assert assess("s", items, NOW, BreakingSettings(min_outlets=2)).breaking


def test_copies_do_not_count_as_outlets():
    # Two sites republishing the wire story word for word are one report, not three.
    items = times(("Wire", 50), ("Site A", 40, True), ("Site B", 30, True))
    status = assess("s", items, NOW)
    assert not status.breaking
    assert [o.outlet for o in status.outlets] == ["Wire"]


def test_one_outlet_with_many_articles_counts_once_at_its_first_report():
    status = assess("s", times(("Wire", 300), ("wire", 20), ("WIRE", 10)), NOW)
    assert status.outlet_count == 1
    assert status.outlets[0].at == at(300)


def test_reports_older_than_the_window_do_not_count():
    items = times(("Avon Echo", 7 * 60), ("Western Post", 30), ("Wire", 10))
    assert not assess("s", items, NOW).breaking
    assert assess("s", items, NOW, BreakingSettings(window_hours=8)).breaking


def test_outlet_falls_back_to_the_url_host_and_unknown_outlets_do_not_count():
    assert outlet_key("  The  Wire ", "https://x.org/a") == "The Wire"
    assert outlet_key(None, "https://www.echo.example/news/1") == "echo.example"
    assert outlet_key("", None) is None
    status = assess("s", times((None, 30), ("echo.example", 20)), NOW)
    assert status.outlet_count == 1


def test_a_report_dated_in_the_future_counts_as_now():
    status = assess("s", [ArticleTime("a", "Wire", NOW + timedelta(hours=5))], NOW)
    assert status.outlets[0].at == NOW


def test_score_rewards_more_outlets_fresher_reports_and_faster_spread():
    fresh = assess("s", times(("A", 10), ("B", 10), ("C", 10)), NOW).score
    more = assess("s", times(("A", 10), ("B", 10), ("C", 10), ("D", 10)), NOW).score
    older = assess("s", times(("A", 190), ("B", 190), ("C", 190)), NOW).score
    slower = assess("s", times(("A", 190), ("B", 100), ("C", 10)), NOW).score
    assert more > fresh > older
    assert fresh > slower
    # The documented formula: all three at once (span 0, factor 2), each 10 minutes old, half-life 3 hours.
    assert fresh == pytest.approx(2 * 3 * 2 ** (-10 / 180), abs=1e-3)


def test_settings_are_validated():
    with pytest.raises(ConfigError):
        BreakingSettings(min_outlets=0)
    with pytest.raises(ConfigError):
        BreakingSettings(window_hours=0)
    with pytest.raises(ConfigError):
        BreakingSettings(half_life_hours=-1)
    assert BreakingSettings(window_hours=4).to_dict()["half_life_hours"] == 2


def test_breaking_stories_in_a_store_sorted_by_score(store, ingest_demo):
    dam = ingest_demo()
    found = breaking_stories(store, now=DEMO_NOW)
    assert [s.story_id for s in found] == [dam]
    [status] = found
    # The Valley Radio article is a copy of the Northern Wire one: three outlets, not four.
    assert [o.outlet for o in status.outlets] == ["Lowmere Gazette", "Northern Wire", "The Daily Courier"]
    assert status.title
    assert status.to_dict()["outlet_count"] == 3
    # The other demo stories (one outlet each, a day or two earlier) are listed, not breaking, when asked.
    wide = BreakingSettings(window_hours=48)
    quiet = breaking_stories(store, now=DEMO_NOW, settings=wide, include_quiet=True)
    assert quiet[0].story_id == dam and len(quiet) == 5
    assert all(not s.breaking for s in quiet[1:])
    # A day later the story is no longer breaking.
    assert breaking_stories(store, now=DEMO_NOW + timedelta(days=1)) == []
    assert not story_status(store, dam, now=DEMO_NOW + timedelta(days=1)).breaking
    assert story_status(store, dam, now=DEMO_NOW).breaking
