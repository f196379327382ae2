"""Train the line model on labelled pages and report its cross-validated character F1."""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsfold.clean.features import line_features
from newsfold.clean.model import LineModel
from newsfold.errors import InputError, NewsfoldError
from newsfold.metrics import prf
from newsfold.trees import export_boosted

__all__ = [
    "LabelledPage",
    "read_l3s",
    "read_l3s_rows",
    "augment",
    "junk_pages",
    "train_line_model",
    "cross_validate",
]

CONTENT_LABELS = frozenset({"headline", "full-text"})


@dataclass(slots=True)
class LabelledPage:
    lines: list[str]
    is_content: list[bool]


def read_l3s_rows(
    path: Path, *, required: Sequence[str] = (), on_error: Callable[[InputError], None] | None = None
) -> Iterator[dict[str, Any]]:
    """The records of an L3S-GN1 style JSONL file, each with ``segments``: a list of ``{label_name, text}``
    in page order (a string holding such a list is read too), and the ``required`` string fields.

    A line that is not such a record is an :class:`~newsfold.errors.InputError` naming the file and line:
    passed to ``on_error`` and skipped, or raised without ``on_error``. A file without a single usable
    page is an error either way.
    """
    from newsfold.readers.jsonl import decode_record

    found = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            row = decode_record(raw, where=where)
            if not isinstance(row, InputError):
                problem = _l3s_problem(row, required)
                if problem is None:
                    found += 1
                    yield row
                    continue
                row = InputError(where, problem)
            if on_error is None:
                raise row
            on_error(row)
    if not found:
        raise NewsfoldError(f"no usable labelled page in {path}")


def _l3s_problem(row: dict[str, Any], required: Sequence[str]) -> str | None:
    """What makes ``row`` unusable as a labelled page, if anything; a ``segments`` string becomes its list."""
    segments = row.get("segments")
    if isinstance(segments, str):
        try:
            segments = ast.literal_eval(segments)
        except (ValueError, SyntaxError):
            return "'segments' is a string that does not hold a list of blocks"
    if not isinstance(segments, list) or not all(
        isinstance(s, dict) and isinstance(s.get("text"), str) and isinstance(s.get("label_name"), str)
        for s in segments
    ):
        return "missing 'segments': a list of {label_name, text} blocks in page order"
    for name in required:
        if not isinstance(row.get(name), str):
            return f"missing '{name}'"
    row["segments"] = segments
    return None


def read_l3s(path: Path) -> Iterator[LabelledPage]:
    """Pages of an L3S-GN1 style JSONL file, lines labelled content (headline, full text) or not."""
    for row in read_l3s_rows(path):
        kept = [s for s in row["segments"] if s["text"].strip()]
        yield LabelledPage([s["text"] for s in kept], [s["label_name"] in CONTENT_LABELS for s in kept])


_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘']?[A-Z])")


def _split_sentences(page: LabelledPage) -> LabelledPage:
    lines: list[str] = []
    labels: list[bool] = []
    for line, content in zip(page.lines, page.is_content, strict=True):
        parts = _SENTENCE_BREAK.split(line) if content else [line]
        lines.extend(parts)
        labels.extend([content] * len(parts))
    return LabelledPage(lines, labels)


def augment(pages: list[LabelledPage], seed: int = 0) -> list[LabelledPage]:
    """The pages plus two views the pages imply, so the model also meets text already stripped of furniture.

    Articles reach newsfold in many shapes: whole pages, extracted bodies, one sentence a line. For each page
    add (a) its content alone, as an extractor or a feed would give it, and (b) the page with its content
    split one sentence a line; a random half of (a) is split too. The labels are the page's own.
    """
    rng = random.Random(seed)
    out = list(pages)
    for page in pages:
        content = [line for line, c in zip(page.lines, page.is_content, strict=True) if c]
        if content:
            body = LabelledPage(content, [True] * len(content))
            out.append(_split_sentences(body) if rng.random() < 0.5 else body)
        out.append(_split_sentences(page))
    return out


def junk_pages(
    pages: list[LabelledPage], kinds: list[str] | None = None, seed: int = 1
) -> list[LabelledPage]:
    """Each page's content wrapped in generated junk (:mod:`newsfold.synth`), junk lines labelled boilerplate.

    Teaches the model the junk scrapers inject, which news pages of 2007 (L3S-GN1) do not show.
    """
    from newsfold.synth import wrap_in_junk

    rng = random.Random(seed)
    out = []
    for page in pages:
        content = [line for line, c in zip(page.lines, page.is_content, strict=True) if c]
        if not content:
            continue
        body = _split_sentences(LabelledPage(content, [True] * len(content))) if rng.random() < 0.3 else None
        text = "\n\n".join(body.lines if body else content)
        wrapped, inserted = wrap_in_junk(text, rng, density=rng.uniform(0.1, 0.6), kinds=kinds)
        junk = {line for block, _ in inserted for line in block.split("\n")}
        lines = [line for line in wrapped.split("\n") if line.strip()]
        out.append(LabelledPage(lines, [line not in junk for line in lines]))
    return out


def _design(pages: list[LabelledPage]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    feats = [line_features(p.lines) for p in pages]
    x = np.vstack(feats)
    y = np.concatenate([np.array(p.is_content, dtype=bool) for p in pages])
    groups = np.concatenate([np.full(len(p.lines), i) for i, p in enumerate(pages)])
    lengths = np.concatenate([np.array([len(line) for line in p.lines]) for p in pages])
    return x, y, groups, lengths


# The line model's trees: 100 rounds of 16-leaf trees at most 4 deep (a shallow tree is cheap to walk for
# every line of every article). On junk of kinds held out of training, 0.89 of the lines were removed, against
# 0.88 for 8-leaf trees 3 deep, 0.89 for 200 rounds at learning rate 0.1 or unbounded depth, and 0.83 for a
# logistic regression (docs/cleaning.md).
BOOSTING = {
    "max_iter": 100,
    "learning_rate": 0.2,
    "max_leaf_nodes": 16,
    "max_depth": 4,
    "min_samples_leaf": 20,
    "early_stopping": False,
}


def _fit(x: np.ndarray, y: np.ndarray, threshold: float, meta: dict) -> LineModel:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(random_state=0, **BOOSTING).fit(x, y)
    trees, bias = export_boosted(model, x[:: max(1, len(x) // 5000)])  # checked on a spread sample
    return LineModel(tuple(trees), bias, threshold, meta)


def cross_validate(
    pages: list[LabelledPage], folds: int = 5, threshold: float = 0.5, junk_kinds: list[str] | None = None
) -> tuple[float, float, float]:
    """Pooled character precision, recall and F1 of the model alone, by page-grouped k-fold."""
    from sklearn.model_selection import GroupKFold

    _, y, groups, lengths = _design(pages)
    prob = np.zeros(len(y))
    for train, test in GroupKFold(folds).split(y, y, groups):
        fold = [pages[i] for i in sorted(set(groups[train].tolist()))]
        train_pages = augment(fold) + junk_pages(fold, junk_kinds)
        tx, ty, _, _ = _design(train_pages)
        held_out = [pages[i] for i in sorted(set(groups[test].tolist()))]
        hx, _, _, _ = _design(held_out)
        prob[test] = _fit(tx, ty, threshold, {}).content_probability(hx)
    keep = prob >= threshold
    return prf(int((lengths * (keep & y)).sum()), int((lengths * keep).sum()), int((lengths * y).sum()))


def train_line_model(path: Path, threshold: float = 0.5, junk_kinds: list[str] | None = None) -> LineModel:
    """Fit the model on every page of ``path``, its augmented views, and its content wrapped in generated junk."""
    pages = list(read_l3s(path))
    train_pages = augment(pages) + junk_pages(pages, junk_kinds)
    x, y, _, _ = _design(train_pages)
    meta = {
        "trained_on": Path(path).name,
        "pages": len(pages),
        "lines": int(len(y)),
        "junk_kinds": junk_kinds,
    }
    return _fit(x, y, threshold, meta)
