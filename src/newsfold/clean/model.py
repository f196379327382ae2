"""The learned line model: logistic regression over :mod:`newsfold.clean.features`, weights shipped as JSON.

Besides layout features it carries a lexicon: each common word's log-odds of appearing in boilerplate
rather than in reporting ("subscribe", "comments", "click" versus "said", "police"), learned from the
same labelled lines; a line's mean and maximum word score are two of its features.

Trained by ``newsfold train-cleaner`` on pages whose every block is labelled content or boilerplate
(L3S-GN1). A logistic regression scored within 0.01 F1 of gradient boosting in 5-fold cross-validation on
those pages (docs/cleaning.md), and its weights are a small, version-proof JSON file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from newsfold.clean.features import FEATURE_NAMES
from newsfold.errors import ConfigError

__all__ = ["LineModel", "default_model", "MODEL_FILE"]

MODEL_FILE = "cleaner-model.json"


@dataclass(slots=True, frozen=True)
class LineModel:
    """Standardise, then a linear score; ``content_probability`` is the chance a line is article content."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    meta: dict
    lexicon: dict[str, float]

    def content_probability(self, features: np.ndarray) -> np.ndarray:
        if features.shape[0] == 0:
            return np.zeros(0)
        z = (features - self.mean) / self.scale @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {
            "features": FEATURE_NAMES,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "meta": self.meta,
            "lexicon": self.lexicon,
        }

    @classmethod
    def from_json(cls, data: dict) -> LineModel:
        if data.get("features") != FEATURE_NAMES:
            raise ConfigError(
                "cleaner model was trained on other features: retrain with `newsfold train-cleaner`"
            )
        return cls(
            mean=np.asarray(data["mean"], dtype=float),
            scale=np.asarray(data["scale"], dtype=float),
            coef=np.asarray(data["coef"], dtype=float),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            meta=dict(data.get("meta", {})),
            lexicon={str(k): float(v) for k, v in data.get("lexicon", {}).items()},
        )

    @classmethod
    def load(cls, path: Path) -> LineModel:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_model() -> LineModel | None:
    """The model shipped with newsfold, or ``None`` if it is absent (then only the rules clean)."""
    resource = resources.files("newsfold") / "data" / MODEL_FILE
    if not resource.is_file():
        return None
    return LineModel.from_json(json.loads(resource.read_text(encoding="utf-8")))
