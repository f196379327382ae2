"""Hand-computed cases for newsfold.metrics."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfold.metrics import adjusted_rand, bcubed, char_f1_lines, prf, token_char_overlap

# Gold: a a a | b b | c (6 items, 3 stories).
GOLD = {"1": "a", "2": "a", "3": "a", "4": "b", "5": "b", "6": "c"}


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r)


def test_bcubed_perfect_clustering_with_other_label_names() -> None:
    pred = {"1": 10, "2": 10, "3": 10, "4": 20, "5": 20, "6": 30}
    assert bcubed(GOLD, pred) == pytest.approx((1.0, 1.0, 1.0))
    assert adjusted_rand(GOLD, pred) == pytest.approx(1.0)


def test_bcubed_all_in_one_cluster() -> None:
    pred = dict.fromkeys(GOLD, "x")
    # Precision of an item is |its story| / 6: (3*3 + 2*2 + 1*1) / 36 = 14/36; recall is 1.
    p = 14 / 36
    assert bcubed(GOLD, pred) == pytest.approx((p, 1.0, f1(p, 1.0)))
    assert adjusted_rand(GOLD, pred) == pytest.approx(0.0)


def test_bcubed_all_singletons() -> None:
    pred = {k: k for k in GOLD}
    # Recall of an item is 1 / |its story|: (3*(1/3) + 2*(1/2) + 1) / 6 = 3/6 = number of stories / items.
    r = 3 / 6
    assert bcubed(GOLD, pred) == pytest.approx((1.0, r, f1(1.0, r)))
    assert adjusted_rand(GOLD, pred) == pytest.approx(0.0)


def test_missing_predictions_are_singletons_and_extra_items_ignored() -> None:
    singletons = {k: k for k in GOLD}
    assert bcubed(GOLD, {}) == pytest.approx(bcubed(GOLD, singletons))
    assert adjusted_rand(GOLD, {}) == pytest.approx(adjusted_rand(GOLD, singletons))
    # Two missing items must not be merged with each other, nor with an extra item of the prediction.
    pred = {"1": "a", "2": "a", "3": "a", "4": "b", "99": "b"}
    p, r, _ = bcubed(GOLD, pred)
    assert p == pytest.approx(1.0)
    assert r == pytest.approx((3 * 1 + 1 / 2 + 1 / 2 + 1) / 6)


def test_bcubed_textbook_example() -> None:
    # Manning, Raghavan & Schuetze, Introduction to IR, fig. 16.4: 17 items, classes x (8), o (5), d (4);
    # clusters {5x 1o}, {1x 4o 1d}, {2x 3d}. Purity 0.71 and Rand index 0.68 in the book.
    clusters = [("x" * 5 + "o"), ("x" + "o" * 4 + "d"), ("xx" + "ddd")]
    gold, pred = {}, {}
    for c, members in enumerate(clusters):
        for j, label in enumerate(members):
            gold[f"{c}-{j}"] = label
            pred[f"{c}-{j}"] = c
    # Precision: cluster 1: 5*5/6 + 1/6; cluster 2: 1/6 + 4*4/6 + 1/6; cluster 3: 2*2/5 + 3*3/5.
    p = (Fraction(26, 6) + Fraction(18, 6) + Fraction(13, 5)) / 17
    # Recall: class x: (25 + 1 + 4)/8; class o: (1 + 16)/5; class d: (1 + 9)/4.
    r = (Fraction(30, 8) + Fraction(17, 5) + Fraction(10, 4)) / 17
    assert p == Fraction(149, 255)
    assert r == Fraction(193, 340)
    assert bcubed(gold, pred) == pytest.approx((float(p), float(r), f1(float(p), float(r))))
    # Pairs: 20 same-class pairs together, 40 pairs in a cluster, 44 pairs in a class, 136 in all:
    # ARI = (20 - 40*44/136) / ((40 + 44)/2 - 40*44/136) = 60/247.
    assert adjusted_rand(gold, pred) == pytest.approx(60 / 247)


def test_mixed_label_types_do_not_break_ari() -> None:
    pred = {"1": 1, "2": 1, "3": "1", "4": None, "5": None, "6": (1, 2)}
    assert adjusted_rand(GOLD, pred) == pytest.approx(adjusted_rand(GOLD, {**pred, "3": 7, "6": 8}))


def test_empty_gold_is_an_error() -> None:
    with pytest.raises(ValueError):
        bcubed({}, {})
    with pytest.raises(ValueError):
        adjusted_rand({}, {})


def test_char_f1_lines() -> None:
    lines = ["Headline", "Menu | Home", "Body text here.", "(c) 2024"]
    is_content = [True, False, True, False]
    kept = [True, True, False, False]
    # kept content: 8; kept: 8 + 11 = 19; content: 8 + 15 = 23.
    assert char_f1_lines(lines, is_content, kept) == (8, 19, 23)
    p, r, f = prf(8, 19, 23)
    assert (p, r) == pytest.approx((8 / 19, 8 / 23))
    assert f == pytest.approx(2 * 8 / (19 + 23))


def test_char_f1_lines_keep_everything_and_nothing() -> None:
    lines = ["abc", "de", "f"]
    is_content = [True, False, True]
    assert char_f1_lines(lines, is_content, [True] * 3) == (4, 6, 4)
    assert prf(4, 6, 4) == pytest.approx((4 / 6, 1.0, 0.8))
    assert char_f1_lines(lines, is_content, [False] * 3) == (0, 0, 4)
    assert prf(0, 0, 4) == (1.0, 0.0, 0.0)


def test_char_f1_lines_length_mismatch() -> None:
    with pytest.raises(ValueError):
        char_f1_lines(["a", "b"], [True], [True, False])


def test_prf_empty_denominators() -> None:
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert prf(0, 5, 0) == (0.0, 1.0, 0.0)


def test_token_char_overlap_multiset() -> None:
    # Extracted: the(3) x2, cat(3), sat(3), menu(4) = 16 chars.
    # Gold: the(3), cat(3), sat(3), down(4) = 13 chars.
    # Common: min(2, 1)*3 + 3 + 3 = 9.
    assert token_char_overlap("the cat the\nsat  menu", "the cat sat down") == (9, 16, 13)


def test_token_char_overlap_edge_cases() -> None:
    assert token_char_overlap("", "a bc") == (0, 0, 3)
    assert token_char_overlap("a bc", "") == (0, 3, 0)
    assert token_char_overlap("same text", "text same") == (8, 8, 8)
    assert prf(*token_char_overlap("same text", "text same")) == (1.0, 1.0, 1.0)


def _naive_bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float]:
    full = {k: pred.get(k, ("missing", k)) for k in gold}
    ps, rs = [], []
    for i in gold:
        same_pred = [j for j in gold if full[j] == full[i]]
        same_gold = [j for j in gold if gold[j] == gold[i]]
        both = [j for j in same_pred if gold[j] == gold[i]]
        ps.append(len(both) / len(same_pred))
        rs.append(len(both) / len(same_gold))
    return sum(ps) / len(ps), sum(rs) / len(rs)


@given(
    st.dictionaries(st.text("abcdefgh", min_size=1, max_size=2), st.sampled_from("xyz"), min_size=1),
    st.dictionaries(st.text("abcdefgh", min_size=1, max_size=2), st.sampled_from("pqrs")),
)
def test_bcubed_matches_the_per_item_definition(gold: dict[str, str], pred: dict[str, str]) -> None:
    p, r, f = bcubed(gold, pred)
    assert (p, r) == pytest.approx(_naive_bcubed(gold, pred))
    assert 0.0 < p <= 1.0 and 0.0 < r <= 1.0 and min(p, r) - 1e-12 <= f <= max(p, r) + 1e-12
