"""Boosted regression trees: trained with scikit-learn, shipped as JSON, evaluated with numpy.

Two models use them: the clusterer's joiner (:mod:`newsfold.cluster`) and the cleaner's line model
(:mod:`newsfold.clean.model`). Training fits sklearn's ``HistGradientBoostingClassifier`` and exports its
trees to :class:`Tree` records (:func:`export_boosted`); run time needs no sklearn model, only the node
arrays, so a model file does not depend on the sklearn version that wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Tree", "Forest", "export_boosted"]


@dataclass(slots=True, frozen=True)
class Tree:
    """One regression tree: parallel node arrays, ``feature`` is -1 at a leaf; go left when
    ``x[feature] <= threshold``."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def __call__(self, x: Sequence[float]) -> float:
        node = 0
        feature = self.feature
        while (f := feature[node]) >= 0:
            node = self.left[node] if x[f] <= self.threshold[node] else self.right[node]
        return self.value[node]

    def depth(self, node: int = 0) -> int:
        if self.feature[node] < 0:
            return 0
        return 1 + max(self.depth(self.left[node]), self.depth(self.right[node]))

    def to_json(self) -> dict:
        return {name: list(getattr(self, name)) for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, data: dict) -> Tree:
        return cls(
            tuple(int(v) for v in data["feature"]),
            tuple(float(v) for v in data["threshold"]),
            tuple(int(v) for v in data["left"]),
            tuple(int(v) for v in data["right"]),
            tuple(float(v) for v in data["value"]),
        )


class Forest:
    """Trees as padded node arrays (raveled, children as flat indices), evaluated together with numpy: one
    step down every tree at once, as many steps as the deepest tree has levels (a leaf points to itself).
    For hundreds of small trees this is several times faster than walking each :class:`Tree`."""

    __slots__ = ("feature", "threshold", "left", "right", "value", "depth", "roots")

    def __init__(self, trees: Sequence[Tree]) -> None:
        width = max(len(t.feature) for t in trees)
        shape = (len(trees), width)
        feature = np.zeros(shape, dtype=np.intp)
        threshold = np.zeros(shape)
        left = np.zeros(shape, dtype=np.intp)
        right = np.zeros(shape, dtype=np.intp)
        value = np.zeros(shape)
        self.depth = 0
        for i, tree in enumerate(trees):
            for node, f in enumerate(tree.feature):
                leaf = f < 0
                feature[i, node] = 0 if leaf else f
                threshold[i, node] = np.inf if leaf else tree.threshold[node]
                # Children as flat indices into the raveled arrays.
                left[i, node] = i * width + (node if leaf else tree.left[node])
                right[i, node] = i * width + (node if leaf else tree.right[node])
                value[i, node] = tree.value[node]
            self.depth = max(self.depth, tree.depth())
        self.feature, self.threshold = feature.ravel(), threshold.ravel()
        self.left, self.right, self.value = left.ravel(), right.ravel(), value.ravel()
        self.roots = np.arange(len(trees), dtype=np.intp) * width

    def __call__(self, x: Sequence[float]) -> float:
        """The sum of the trees' values for one row."""
        return float(self.rows(np.asarray(x, dtype=float)[None, :])[0])

    def rows(self, x: np.ndarray) -> np.ndarray:
        """The sum of the trees' values for each row of the 2-D array ``x``."""
        n, width = x.shape
        if n == 0:
            return np.zeros(0)
        flat = np.ascontiguousarray(x, dtype=float).ravel()
        offsets = (np.arange(n, dtype=np.intp) * width)[:, None]
        node = np.broadcast_to(self.roots, (n, len(self.roots)))
        for _ in range(self.depth):
            go_left = flat[offsets + self.feature[node]] <= self.threshold[node]
            node = np.where(go_left, self.left[node], self.right[node])
        return self.value[node].sum(axis=1)


def export_boosted(model: Any, x: np.ndarray, scale: float = 1.0) -> tuple[list[Tree], float]:
    """The trees and baseline log-odds of a fitted ``HistGradientBoostingClassifier``, each value times
    ``scale`` (``1 / k`` to average k ensembles).

    sklearn keeps a fitted ensemble's trees in private attributes (``_predictors``, ``_baseline_prediction``);
    only training reads them, and the export is checked against sklearn's own decision function on the rows
    ``x``, so a change in sklearn fails at training, loudly, and never at run time.
    """
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            Tree(
                tuple(int(f) for f in np.where(leaf, -1, nodes["feature_idx"])),
                tuple(float(t) for t in nodes["num_threshold"]),
                tuple(int(v) for v in nodes["left"]),
                tuple(int(v) for v in nodes["right"]),
                tuple(float(v) * scale for v in nodes["value"]),
            )
        )
    bias = float(np.ravel(model._baseline_prediction)[0]) * scale
    ours = bias + Forest(trees).rows(np.asarray(x, dtype=float))
    if not np.allclose(ours, model.decision_function(x) * scale, atol=1e-9):
        raise RuntimeError("exported trees disagree with sklearn's decision function")
    return trees, bias
