"""Boosted trees shared by the clusterer's joiner and the cleaner's line model: export from sklearn, the
numpy evaluation of many trees at once, and the line model's file format."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newsfold.clean.features import FEATURE_NAMES
from newsfold.clean.model import LineModel, default_model
from newsfold.errors import ConfigError
from newsfold.trees import Forest, Tree, export_boosted


@pytest.fixture(scope="module")
def fitted() -> tuple[object, np.ndarray]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 5))
    # An interaction no single feature shows: the label needs two features at once.
    y = (x[:, 0] > 0) & (x[:, 1] + 0.5 * x[:, 2] > 0)
    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=8, max_depth=3, random_state=0)
    return model.fit(x, y), x


def test_exported_trees_give_sklearns_decision_function_row_by_row_and_together(fitted):
    model, x = fitted
    trees, bias = export_boosted(model, x)
    assert len(trees) == 30 and all(tree.depth() <= 3 for tree in trees)
    forest = Forest(trees)
    expected = model.decision_function(x)
    assert np.allclose(bias + forest.rows(x), expected, atol=1e-9)
    for row, want in zip(x[:50], expected[:50], strict=True):
        assert bias + sum(tree(row) for tree in trees) == pytest.approx(want, abs=1e-9)
        assert bias + forest(list(row)) == pytest.approx(want, abs=1e-9)
    assert forest.rows(np.zeros((0, 5))).shape == (0,)


def test_scaled_export_averages_ensembles(fitted):
    model, x = fitted
    trees, bias = export_boosted(model, x, scale=0.25)
    assert np.allclose(bias + Forest(trees).rows(x), model.decision_function(x) / 4, atol=1e-9)


def test_export_refuses_trees_that_disagree_with_sklearn(fitted, monkeypatch):
    model, x = fitted
    monkeypatch.setattr(Forest, "rows", lambda self, rows: np.zeros(len(rows)))
    with pytest.raises(RuntimeError, match="disagree"):
        export_boosted(model, x)


def test_tree_json_round_trip():
    tree = Tree((0, -1, -1), (0.5, 0.0, 0.0), (1, 0, 0), (2, 0, 0), (0.0, -1.0, 2.0))
    again = Tree.from_json(json.loads(json.dumps(tree.to_json())))
    assert again == tree
    assert (again([0.2]), again([0.9])) == (-1.0, 2.0)


def test_shipped_line_model_round_trips_and_scores_every_line():
    model = default_model()
    assert model is not None and model.trees
    again = LineModel.from_json(json.loads(json.dumps(model.to_json())))
    rng = np.random.default_rng(1)
    features = rng.normal(size=(40, len(FEATURE_NAMES)))
    probability = again.content_probability(features)
    assert probability.shape == (40,) and ((probability > 0) & (probability < 1)).all()
    assert np.array_equal(probability, model.content_probability(features))
    assert again.content_probability(np.zeros((0, len(FEATURE_NAMES)))).shape == (0,)


def test_a_model_file_of_the_older_logistic_format_asks_for_retraining():
    data = {
        "features": FEATURE_NAMES,
        "mean": [0.0] * len(FEATURE_NAMES),
        "scale": [1.0] * len(FEATURE_NAMES),
        "coef": [0.0] * len(FEATURE_NAMES),
        "intercept": 0.0,
        "threshold": 0.5,
    }
    with pytest.raises(ConfigError, match="newsfold train-cleaner"):
        LineModel.from_json(data)
