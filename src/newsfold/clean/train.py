"""Train the line model on labelled pages and report its cross-validated character F1."""

from __future__ import annotations

import ast
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsfold.clean.features import line_features
from newsfold.clean.model import LineModel
from newsfold.metrics import prf

__all__ = ["LabelledPage", "read_l3s", "augment", "train_line_model", "cross_validate"]

CONTENT_LABELS = frozenset({"headline", "full-text"})


@dataclass(slots=True)
class LabelledPage:
    lines: list[str]
    is_content: list[bool]


def read_l3s(path: Path) -> Iterator[LabelledPage]:
    """Pages of an L3S-GN1 style JSONL file: ``segments`` of ``{label_name, text}`` in page order."""
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            row = json.loads(raw)
            segments = row["segments"]
            if isinstance(segments, str):
                segments = ast.literal_eval(segments)
            kept = [s for s in segments if s["text"].strip()]
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


def _design(pages: list[LabelledPage]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    feats = [line_features(p.lines) for p in pages]
    x = np.vstack(feats)
    y = np.concatenate([np.array(p.is_content, dtype=bool) for p in pages])
    groups = np.concatenate([np.full(len(p.lines), i) for i, p in enumerate(pages)])
    lengths = np.concatenate([np.array([len(line) for line in p.lines]) for p in pages])
    return x, y, groups, lengths


def _fit(x: np.ndarray, y: np.ndarray, threshold: float, meta: dict) -> LineModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=5000)
    lr.fit((x - mean) / scale, y)
    return LineModel(mean, scale, lr.coef_[0], float(lr.intercept_[0]), threshold, meta)


def cross_validate(
    pages: list[LabelledPage], folds: int = 5, threshold: float = 0.5
) -> tuple[float, float, float]:
    """Pooled character precision, recall and F1 of the model alone, by page-grouped k-fold."""
    from sklearn.model_selection import GroupKFold

    x, y, groups, lengths = _design(pages)
    prob = np.zeros(len(y))
    for train, test in GroupKFold(folds).split(x, y, groups):
        train_pages = augment([pages[i] for i in sorted(set(groups[train].tolist()))])
        tx, ty, _, _ = _design(train_pages)
        prob[test] = _fit(tx, ty, threshold, {}).content_probability(x[test])
    keep = prob >= threshold
    return prf(int((lengths * (keep & y)).sum()), int((lengths * keep).sum()), int((lengths * y).sum()))


def train_line_model(path: Path, threshold: float = 0.5) -> LineModel:
    """Fit the model on every page of ``path``."""
    pages = list(read_l3s(path))
    x, y, _, _ = _design(augment(pages))
    return _fit(x, y, threshold, {"trained_on": Path(path).name, "pages": len(pages), "lines": int(len(y))})
