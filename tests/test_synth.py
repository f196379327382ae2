"""newsfold.synth: seeded junk insertion and labelled copies for evaluation."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from newsfold.article import Article
from newsfold.synth import (
    COPY_KINDS,
    JUNK_KINDS,
    NEAR_COPY_KINDS,
    LabelledCopy,
    make_copies,
    render_junk,
    split_paragraphs,
    wrap_in_junk,
)

PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new bridge across the river after months of debate.",
    "Supporters said the crossing would cut commuting times by half, while opponents warned about costs.",
    '"We have waited long enough," said the mayor, who called the decision "a turning point" for the town.',
    "Construction is due to begin next spring and should take about two years, officials said on Tuesday.",
    "The project will be paid for by a mix of regional funds and a new toll on heavy goods vehicles.",
]
TEXT = "\n\n".join(PARAGRAPHS)
WHEN = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def article(i: int, paragraphs: list[str] | None = None, published: datetime | None = WHEN) -> Article:
    paras = (
        paragraphs
        if paragraphs is not None
        else [f"Story {i}, part {j}: {p}" for j, p in enumerate(PARAGRAPHS)]
    )
    return Article(
        id=f"a{i}",
        text="\n\n".join(paras),
        source="The Original Times",
        url=f"https://original.example/{i}",
        title=f"Bridge vote {i}",
        published=published,
    )


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(item == other for other in it) for item in needle)


def words(text: str) -> list[str]:
    """Words with quote marks and whitespace folded, as a copy detector would see them."""
    folded = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    return folded.split()


# ---------------------------------------------------------------------------------------------- junk


def test_library_is_broad() -> None:
    assert len(JUNK_KINDS) >= 14
    for kind, generators in JUNK_KINDS.items():
        assert len(generators) >= 15, kind


def test_every_generator_renders_clean_lines() -> None:
    rng = random.Random(7)
    for kind, generators in JUNK_KINDS.items():
        for generator in generators:
            for _ in range(10):
                out = generator(rng)
                lines = out.split("\n")
                assert all(line.strip() for line in lines), (kind, generator, out)
                if kind != "template":  # template residue keeps braces on purpose
                    assert not re.search(r"(?<!\{)\{[a-z_]+\d?\}", out), (kind, generator, out)


def test_junk_lines_vary() -> None:
    rng = random.Random(3)
    for kind, generators in JUNK_KINDS.items():
        lines = [rng.choice(generators)(rng) for _ in range(300)]
        assert len(set(lines)) >= 25, kind


def test_render_junk_repeats_a_slot_and_distinguishes_numbered_slots() -> None:
    rng = random.Random(1)
    for _ in range(50):
        a, b, c = render_junk("{section}|{section}|{section2}", rng).split("|")
        assert a == b != c


def test_wrap_is_deterministic() -> None:
    assert wrap_in_junk(TEXT, random.Random(42)) == wrap_in_junk(TEXT, random.Random(42))
    outputs = {wrap_in_junk(TEXT, random.Random(seed))[0] for seed in range(10)}
    assert len(outputs) == 10


@pytest.mark.parametrize("density", [0.05, 0.3, 1.0, 2.5])
def test_wrap_keeps_paragraphs_unchanged_and_in_order(density: float) -> None:
    for seed in range(40):
        out, added = wrap_in_junk(TEXT, random.Random(seed), density=density)
        paragraphs = split_paragraphs(out)
        assert added
        assert len(paragraphs) == len(PARAGRAPHS) + len(added)
        junk = {line for line, _ in added}
        assert [p for p in paragraphs if p not in junk] == PARAGRAPHS
        # The reported lines are in text order and each is a whole paragraph (a line of its own).
        assert [p for p in paragraphs if p in junk] == [line for line, _ in added]
        assert "\n\n".join(paragraphs) == out


def test_wrap_puts_junk_at_top_middle_and_bottom() -> None:
    places: Counter[str] = Counter()
    for seed in range(200):
        out, added = wrap_in_junk(TEXT, random.Random(seed))
        paragraphs = split_paragraphs(out)
        first, last = paragraphs.index(PARAGRAPHS[0]), paragraphs.index(PARAGRAPHS[-1])
        places["top"] += first > 0
        places["bottom"] += last < len(paragraphs) - 1
        places["middle"] += last - first > len(PARAGRAPHS) - 1
    assert all(places[p] > 40 for p in ("top", "middle", "bottom")), places


def test_every_kind_appears_over_a_few_hundred_draws() -> None:
    seen: Counter[str] = Counter()
    for seed in range(300):
        _, added = wrap_in_junk(TEXT, random.Random(seed), density=0.4)
        seen.update(kind for _, kind in added)
    assert set(seen) == set(JUNK_KINDS), set(JUNK_KINDS) - set(seen)


def test_wrap_density_zero_and_kinds_filter() -> None:
    assert wrap_in_junk(TEXT, random.Random(0), density=0) == (TEXT, [])
    _, added = wrap_in_junk(TEXT, random.Random(0), density=2, kinds=["promo", "caption"])
    assert {kind for _, kind in added} <= {"promo", "caption"}
    with pytest.raises(ValueError):
        wrap_in_junk(TEXT, random.Random(0), kinds=["no-such-kind"])
    with pytest.raises(ValueError):
        wrap_in_junk(TEXT, random.Random(0), density=-1)


def test_wrap_density_scales_the_amount_of_junk() -> None:
    def total(density: float) -> int:
        return sum(len(wrap_in_junk(TEXT, random.Random(s), density=density)[1]) for s in range(100))

    assert total(0.1) < total(0.3) < total(1.0)


def test_wrap_follows_single_newline_paragraphs() -> None:
    text = "\n".join(PARAGRAPHS)
    out, added = wrap_in_junk(text, random.Random(5), density=1)
    assert "\n\n" not in out
    junk = {line for line, _ in added}
    assert [line for line in out.split("\n") if line not in junk] == PARAGRAPHS


# -------------------------------------------------------------------------------------------- copies


def test_make_copies_is_deterministic() -> None:
    def snapshot(seed: int) -> list[tuple]:
        return [
            (c.kind, c.original_id, c.article.id, c.article.text, c.article.source, c.article.published)
            for c in make_copies([article(i) for i in range(12)], rng_seed=seed)
        ]

    assert snapshot(3) == snapshot(3)
    assert snapshot(3) != snapshot(4)


def test_originals_included_and_copies_labelled() -> None:
    originals = [article(i) for i in range(14)]
    labelled = make_copies(originals, rng_seed=0)
    assert all(isinstance(c, LabelledCopy) for c in labelled)
    assert len(labelled) == 28
    kept = [c for c in labelled if c.original_id is None]
    assert [c.article.id for c in kept] == [a.id for a in originals]
    assert all(
        c.kind == "original" and c.article.text == a.text for c, a in zip(kept, originals, strict=True)
    )
    copies = [c for c in labelled if c.original_id is not None]
    assert [c.article.id for c in copies] == [f"copy-{n}" for n in range(1, 15)]
    # Each copy comes after its original, so a stream in list order sees the original first.
    position = {c.article.id: i for i, c in enumerate(labelled)}
    assert all(position[c.original_id] < position[c.article.id] for c in copies)
    # Fourteen copies over seven kinds, dealt from a shuffled deck: every kind twice.
    assert Counter(c.kind for c in copies) == dict.fromkeys(COPY_KINDS, 2)
    by_id = {a.id: a for a in originals}
    for c in copies:
        original = by_id[c.original_id]
        assert c.article.source and c.article.source != original.source
        assert c.article.url and c.article.url != original.url
        assert c.article.title == original.title
        assert timedelta(minutes=30) <= c.article.published - original.published <= timedelta(hours=8)


def test_copies_per_article_and_distinct_kinds() -> None:
    labelled = make_copies([article(i) for i in range(5)], rng_seed=2, copies_per_article=4)
    assert len(labelled) == 5 * 5
    per_original: dict[str, list[LabelledCopy]] = {}
    for c in labelled:
        if c.original_id:
            per_original.setdefault(c.original_id, []).append(c)
    for copies in per_original.values():
        assert len(copies) == 4
        assert len({c.kind for c in copies}) == 4
        assert len({c.article.source for c in copies}) == 4
    assert len({c.article.id for c in labelled}) == len(labelled)


def test_inputs_are_not_changed_and_originals_are_fresh() -> None:
    original = article(1)
    original.clean_text = "cleaned"
    original.duplicate_of = "x"
    labelled = make_copies([original], rng_seed=0)
    assert original.clean_text == "cleaned" and original.duplicate_of == "x"
    fresh = labelled[0].article
    assert fresh is not original
    assert fresh.clean_text == "" and fresh.duplicate_of is None and fresh.text == original.text


def copies_of_kind(kind: str, count: int = 60) -> list[tuple[Article, Article]]:
    originals = {a.id: a for a in (article(i) for i in range(count))}
    labelled = make_copies(list(originals.values()), rng_seed=11)
    pairs = [(originals[c.original_id], c.article) for c in labelled if c.kind == kind]
    assert len(pairs) >= 5
    return pairs


def test_exact_copies() -> None:
    for original, copy in copies_of_kind("exact"):
        assert copy.text == original.text and copy.id != original.id


def test_whitespace_copies_change_only_spacing_and_quotes() -> None:
    changes: Counter[str] = Counter()
    for original, copy in copies_of_kind("whitespace"):
        assert copy.text != original.text
        assert words(copy.text) == words(original.text)
        assert len(split_paragraphs(copy.text)) == len(split_paragraphs(original.text))
        changes["double"] += "  " in copy.text
        changes["curly"] += "“" in copy.text
        changes["wrapped"] += any("\n" in p for p in split_paragraphs(copy.text))
    assert all(changes[c] > 0 for c in ("double", "curly", "wrapped")), changes


def test_whitespace_copies_straighten_curly_quotes() -> None:
    curly = ["“Done,” she said.", "It’s over, he said, and the ‘deal’ stands."]
    labelled = make_copies([article(i, curly) for i in range(30)], rng_seed=0)
    copies = [c.article for c in labelled if c.kind == "whitespace"]
    assert copies
    for copy in copies:
        assert not set("“”‘’") & set(copy.text)
        assert words(copy.text) == words("\n\n".join(curly))


def test_dropped_paragraph_copies() -> None:
    for original, copy in copies_of_kind("dropped-paragraph"):
        before, after = split_paragraphs(original.text), split_paragraphs(copy.text)
        assert len(after) == len(before) - 1
        assert is_subsequence(after, before)


def test_junk_wrapped_copies() -> None:
    for original, copy in copies_of_kind("junk-wrapped"):
        before, after = split_paragraphs(original.text), split_paragraphs(copy.text)
        assert len(after) > len(before)
        assert is_subsequence(before, after)


def test_trimmed_copies() -> None:
    cut: Counter[str] = Counter()
    for original, copy in copies_of_kind("trimmed"):
        before, after = split_paragraphs(original.text), split_paragraphs(copy.text)
        if is_subsequence(before[1:], after) and before[0] not in after:
            cut["first"] += 1
        elif is_subsequence(before[:-1], after) and before[-1] not in after:
            cut["last"] += 1
        else:
            pytest.fail(f"neither first nor last paragraph cut: {copy.text!r}")
        assert len(after) > len(before) - 1  # junk was added
    assert cut["first"] and cut["last"], cut


def test_syndicated_copies() -> None:
    for original, copy in copies_of_kind("syndicated"):
        before, after = split_paragraphs(original.text), split_paragraphs(copy.text)
        assert copy.text != original.text
        assert is_subsequence(before[1:], after)
        assert any(p.endswith(before[0]) for p in after)  # first paragraph kept, perhaps behind a dateline
        assert len(after) - len(before) in (0, 1, 2)  # a byline and/or a credit tail


def test_teaser_copies_hold_the_first_paragraphs_and_a_link_back() -> None:
    for original, copy in copies_of_kind("teaser"):
        before, after = split_paragraphs(original.text), split_paragraphs(copy.text)
        kept = [p for p in before if p in after]
        assert kept and kept == before[: len(kept)] and len(kept) < len(before)
        assert is_subsequence(kept, after)
        assert len(after) > len(kept)  # the link back, and maybe junk


def test_copies_of_chosen_kinds_only() -> None:
    labelled = make_copies([article(i) for i in range(20)], rng_seed=0, kinds=NEAR_COPY_KINDS)
    assert {c.kind for c in labelled if c.original_id} == set(NEAR_COPY_KINDS)
    assert "teaser" in COPY_KINDS and "teaser" not in NEAR_COPY_KINDS


def test_syndicated_copy_replaces_an_existing_dateline() -> None:
    paragraphs = ["LONDON (Reuters) - The bank raised rates on Thursday.", "Markets fell after the news."]
    labelled = make_copies([article(i, paragraphs) for i in range(40)], rng_seed=0)
    for c in labelled:
        if c.kind == "syndicated":
            assert "LONDON (Reuters) - The bank" not in c.article.text
            assert "The bank raised rates on Thursday." in c.article.text


def test_short_and_empty_articles() -> None:
    single = [article(i, ["Only one paragraph in this story, but long enough to copy."]) for i in range(30)]
    labelled = make_copies([*single, article(99, [])], rng_seed=0)
    kinds = {c.kind for c in labelled if c.original_id}
    assert kinds and not kinds & {"dropped-paragraph", "trimmed", "teaser"}
    assert [c.kind for c in labelled if c.article.id == "a99"] == ["original"]
    assert not [c for c in labelled if c.original_id == "a99"]


def test_undated_originals_give_undated_copies() -> None:
    labelled = make_copies([article(i, published=None) for i in range(6)], rng_seed=0)
    assert all(c.article.published is None for c in labelled)
