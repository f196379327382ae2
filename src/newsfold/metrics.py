"""Quality measures for the stages newsfold is judged on: clustering (BCubed, ARI) and cleaning (char P/R/F1).

Pure functions over plain data, so the tests, the CI quality gates and the bench scripts score the same way.
The cleaning measures return raw character counts ``(tp, kept, relevant)`` rather than ratios, so callers can
pool them over many pages (micro average) before calling :func:`prf`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

__all__ = ["adjusted_rand", "bcubed", "char_f1_lines", "prf", "token_char_overlap"]


# An item absent from a prediction gets the label (_MISSING, item): unique, so each one is a singleton.
_MISSING = object()


def _aligned(
    gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]
) -> tuple[list[Hashable], list[Hashable]]:
    # Scoring is over the items in gold only; a predicted item the gold does not know cannot be judged.
    items = list(gold)
    return [gold[i] for i in items], [pred[i] if i in pred else (_MISSING, i) for i in items]


def bcubed(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """Item-averaged BCubed precision, recall and F1 of ``pred`` against ``gold`` (item id -> cluster label).

    Items missing from ``pred`` count as singletons; items only in ``pred`` are ignored. F1 is the harmonic
    mean of the averaged precision and recall (Amigó et al., 2009).
    """
    if not gold:
        raise ValueError("bcubed: gold is empty")
    g_labels, p_labels = _aligned(gold, pred)
    pair_counts = Counter(zip(g_labels, p_labels, strict=True))
    g_sizes = Counter(g_labels)
    p_sizes = Counter(p_labels)
    # An item in cell (g, p) has precision n_gp / |p| and recall n_gp / |g|; the cell holds n_gp such items.
    p_sum = sum(n * n / p_sizes[p] for (_, p), n in pair_counts.items())
    r_sum = sum(n * n / g_sizes[g] for (g, _), n in pair_counts.items())
    n_items = len(g_labels)
    precision, recall = p_sum / n_items, r_sum / n_items
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def adjusted_rand(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> float:
    """Adjusted Rand index of ``pred`` against ``gold``, over gold's items; missing items are singletons."""
    from sklearn.metrics import adjusted_rand_score

    if not gold:
        raise ValueError("adjusted_rand: gold is empty")
    g_labels, p_labels = _aligned(gold, pred)
    # sklearn sorts labels, which fails on mixed types; integer codes keep any hashable label usable.
    return float(adjusted_rand_score(_codes(g_labels), _codes(p_labels)))


def _codes(labels: list[Hashable]) -> list[int]:
    index: dict[Hashable, int] = {}
    return [index.setdefault(label, len(index)) for label in labels]


def char_f1_lines(
    lines: Sequence[str], is_content: Sequence[bool], kept: Sequence[bool]
) -> tuple[int, int, int]:
    """Character counts ``(kept_content_chars, kept_chars, content_chars)`` of line-level keep/drop.

    A line weighs ``len(line)`` characters; pass the triple (or sums of triples over pages) to :func:`prf`.
    """
    if not len(lines) == len(is_content) == len(kept):
        raise ValueError(
            "char_f1_lines: lengths differ "
            f"(lines={len(lines)}, is_content={len(is_content)}, kept={len(kept)})"
        )
    tp = kept_chars = content_chars = 0
    for line, content, keep in zip(lines, is_content, kept, strict=True):
        n = len(line)
        if keep:
            kept_chars += n
            if content:
                tp += n
        if content:
            content_chars += n
    return tp, kept_chars, content_chars


def token_char_overlap(extracted: str, gold: str) -> tuple[int, int, int]:
    """Character counts ``(tp, kept, relevant)`` for free text: whitespace-token multisets weighted by length.

    ``tp`` sums ``min(count_extracted, count_gold) * len(token)`` over tokens; ``kept`` and ``relevant`` are
    the total token characters of ``extracted`` and ``gold``. Order is ignored, so text need not map to lines.
    """
    ext = Counter(extracted.split())
    ref = Counter(gold.split())
    tp = sum(min(n, ref[tok]) * len(tok) for tok, n in ext.items() if tok in ref)
    kept = sum(n * len(tok) for tok, n in ext.items())
    relevant = sum(n * len(tok) for tok, n in ref.items())
    return tp, kept, relevant


def prf(tp: int, kept: int, relevant: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; an empty denominator scores 1.0 (nothing kept, or to find)."""
    precision = tp / kept if kept else 1.0
    recall = tp / relevant if relevant else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
