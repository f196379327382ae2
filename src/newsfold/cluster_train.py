"""Train and cross-validate the clusterer's pair model on labelled streams (JSONL with ``gold_story``).

Teacher forcing: the labelled articles are streamed in the pipeline's arrival order and prepared the way the
pipeline prepares them (cleaned, dated from datelines, copies marked); each article is compared with its
candidate stories exactly as :class:`~newsfold.cluster.StoryClusterer` would, giving one row of
``FEATURES`` per candidate, labelled 1 if the candidate is the article's gold story; then the article is
added to its gold story, so every later comparison sees correct stories. A logistic regression over all rows
is the ranker; bagged gradient-boosted trees over each article's top row are the joiner.

Cross-validation replays the whole stream with a model that never saw the held-out part: across data sets
(train on one file, test on another) and k-fold over groups (a file's ``topic`` field where it has one, so
both events of a topic are held out together, else the gold story).

    python -m newsfold.cluster_train ../shared/data/basil-dev.jsonl ../shared/data/ecbplus-dev.jsonl \\
        [--out src/newsfold/data/cluster-model.json] [--folds 4] [--no-cv]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfold.article import Article
from newsfold.cluster import COSINE_MODEL, FEATURES, ClusterSettings, PairModel, StoryClusterer
from newsfold.dedup import CopyIndex
from newsfold.errors import NewsfoldError
from newsfold.evaluate import read_labelled, stream_order
from newsfold.metrics import adjusted_rand, bcubed
from newsfold.pipeline import prepare as prepare_article
from newsfold.trees import Tree, export_boosted

__all__ = ["Labelled", "Rows", "prepare", "teacher_rows", "fit", "replay_score", "cross_validate", "main"]

REGULARISATION = 1.0  # sklearn's C, for the ranker
# The joiner: BAGS boosted ensembles, each fit on a bootstrap sample of the top rows, averaged (bagging, to
# steady a model that learns from a few dozen hard rows); each is shallow (4 leaves a tree, 50 rounds).
BAGS = 10
BOOSTING = {
    "max_iter": 50,
    "learning_rate": 0.1,
    "max_leaf_nodes": 4,
    "min_samples_leaf": 10,
    "early_stopping": False,
}


@dataclass(slots=True)
class Labelled:
    """A prepared article in arrival order, its gold story and its cross-validation group."""

    article: Article
    gold: str
    group: str  # the topic where the file has one (both events of a topic held out together), else the story
    dataset: str


def prepare(paths: Sequence[Path]) -> list[Labelled]:
    """Labelled articles in the pipeline's arrival order, through the pipeline's stages before clustering."""
    items: list[Labelled] = []
    for path in paths:
        dataset = Path(path).name.removesuffix(".jsonl")
        for article, row in read_labelled([Path(path)], required=("gold_story",)):
            group = row.get("topic")
            group = f"{dataset}:{group}" if group is not None else f"{dataset}:{row['gold_story']}"
            items.append(Labelled(article, f"{dataset}:{row['gold_story']}", group, dataset))
    order = stream_order([item.article for item in items])
    copies = CopyIndex()
    hashes: dict[str, str] = {}
    prepared = []
    for i in order:
        item = items[i]
        article = item.article
        _, done = prepare_article(article)  # the pipeline's own per-article stages
        if not article.clean_text.strip():
            continue
        digest = done.fingerprint.digest
        if digest in hashes:
            article.duplicate_of = copies.source(hashes[digest])
            copies.remember(article, done.fingerprint)
        else:
            match = copies.match(article, done.fingerprint)
            article.duplicate_of = match.original_id if match else None
            hashes[digest] = article.id
        prepared.append(item)
    return prepared


@dataclass(slots=True)
class Rows:
    """Teacher-forced pair-feature rows: every candidate (for the ranker) and each top candidate (joiner)."""

    every: list[list[float]]
    every_labels: list[int]
    top: list[list[float]]
    top_labels: list[int]


def teacher_rows(items: Sequence[Labelled], settings: ClusterSettings | None = None) -> Rows:
    """Pair-feature rows and labels from a teacher-forced replay of ``items``."""
    clusterer = StoryClusterer(settings, model=COSINE_MODEL)  # decides nothing here
    rows = Rows([], [], [], [])
    for item in items:
        doc = clusterer._observe(item.article)
        candidates = clusterer._candidates(doc)
        for sid, x in candidates:
            rows.every.append(x)
            rows.every_labels.append(int(sid == item.gold))
        if candidates:
            # The first candidate has the highest cosine; on the dev streams the ranker picks the same one
            # for all 661 articles that have candidates.
            rows.top.append(candidates[0][1])
            rows.top_labels.append(int(candidates[0][0] == item.gold))
        clusterer._add(item.gold, doc)
    return rows


def _logistic(rows: Sequence[Sequence[float]], labels: Sequence[int]) -> tuple[tuple[float, ...], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(rows, labels)
    return tuple(round(float(w), 6) for w in model.coef_[0]), round(float(model.intercept_[0]), 6)


def _boosted(rows: Sequence[Sequence[float]], labels: Sequence[int]) -> tuple[tuple[Tree, ...], float]:
    """The joiner: ``BAGS`` gradient-boosted ensembles (sklearn), each fit on a bootstrap sample of the rows
    (seeded), their log-odds averaged, exported to :class:`~newsfold.trees.Tree` records
    (:func:`~newsfold.trees.export_boosted`)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = np.asarray(rows, dtype=float), np.asarray(labels)
    rng = np.random.default_rng(0)
    trees: list[Tree] = []
    bias = 0.0
    for _ in range(BAGS):
        sample = rng.choice(len(y), size=len(y), replace=True)
        while len(set(y[sample])) < 2:  # a bootstrap sample of one class only: draw again
            sample = rng.choice(len(y), size=len(y), replace=True)
        model = HistGradientBoostingClassifier(random_state=0, **BOOSTING).fit(x[sample], y[sample])
        bagged, baseline = export_boosted(model, x, scale=1 / BAGS)
        trees.extend(bagged)
        bias += baseline
    return tuple(trees), bias


def fit(rows: Rows, meta: dict | None = None) -> PairModel:
    """The ranker (logistic regression over every candidate row) and the joiner (boosted trees, top rows)."""
    if len(set(rows.every_labels)) < 2 or len(set(rows.top_labels)) < 2:
        raise ValueError(
            "the labelled articles give no pair of both kinds (an article and a story it does or does not "
            "belong to): training needs stories of two or more articles and more than one story"
        )
    rank_weights, rank_bias = _logistic(rows.every, rows.every_labels)
    trees, join_bias = _boosted(rows.top, rows.top_labels)
    return PairModel(rank_weights, rank_bias, (), join_bias, meta or {}, trees)


def replay_score(
    items: Sequence[Labelled], model: PairModel, settings: ClusterSettings | None = None
) -> dict[str, Any]:
    """Stream ``items`` through a clusterer with ``model`` (copies join their original's story); scores."""
    clusterer = StoryClusterer(settings, model=model)
    pred: dict[str, str] = {}
    start = time.perf_counter()
    for item in items:
        article = item.article
        copy_story = pred.get(article.duplicate_of) if article.duplicate_of else None
        pred[article.id] = clusterer.assign(article, copy_of_story=copy_story)
    elapsed = time.perf_counter() - start
    gold = {item.article.id: item.gold for item in items}
    p, r, f1 = bcubed(gold, pred)
    return {
        "articles": len(items),
        "bcubed_p": round(p, 4),
        "bcubed_r": round(r, 4),
        "bcubed_f1": round(f1, 4),
        "ari": round(adjusted_rand(gold, pred), 4),
        "ms_per_article": round(1000 * elapsed / max(1, len(items)), 3),
    }


def _train(items: Sequence[Labelled], settings: ClusterSettings | None) -> PairModel:
    return fit(teacher_rows(items, settings))


def cross_validate(
    items: Sequence[Labelled],
    settings: ClusterSettings | None = None,
    folds: int = 4,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Held-out figures: train on each data set and test on each other one; k-fold over groups per data set.

    In the k-fold, the training part is the other folds of that data set plus all other data sets, which is
    how the shipped model (trained on everything) relates to news it has not seen. With several data sets,
    a last k-fold (``kfold["all"]``) holds out a share of each and streams the held-out parts together.
    """
    by_set: dict[str, list[Labelled]] = {}
    for item in items:
        by_set.setdefault(item.dataset, []).append(item)
    result: dict[str, Any] = {"cross_dataset": {}, "kfold": {}}
    for train_name, train_items in by_set.items():
        model = _train(train_items, settings)
        for test_name, test_items in by_set.items():
            if test_name != train_name:
                score = replay_score(test_items, model, settings)
                result["cross_dataset"][f"{train_name} -> {test_name}"] = score
                log(f"train {train_name} -> test {test_name}: {score}")
    # Fold k holds out the groups whose place in their data set's sorted groups is k modulo ``folds``.
    fold_of = {
        group: i % folds
        for set_items in by_set.values()
        for i, group in enumerate(sorted({item.group for item in set_items}))
    }

    def kfold(name: str, pool: Sequence[Labelled], always_train: Sequence[Labelled]) -> dict[str, Any]:
        scores = []
        for k in range(folds):
            train_items = [*always_train, *(item for item in pool if fold_of[item.group] != k)]
            test_items = [item for item in pool if fold_of[item.group] == k]
            scores.append(replay_score(test_items, _train(train_items, settings), settings))
            log(f"{name} fold {k + 1}/{folds}: {scores[-1]}")
        total = sum(s["articles"] for s in scores)
        return {
            "folds": folds,
            "bcubed_f1_mean": round(sum(s["bcubed_f1"] for s in scores) / folds, 4),
            "bcubed_f1_weighted": round(sum(s["bcubed_f1"] * s["articles"] for s in scores) / total, 4),
            "per_fold": [s["bcubed_f1"] for s in scores],
        }

    for name, set_items in by_set.items():
        others = [item for item in items if item.dataset != name]
        result["kfold"][name] = {
            **kfold(name, set_items, others),
            "group": "topic" if any(item.group != item.gold for item in set_items) else "story",
        }
        log(f"{name} {folds}-fold: {result['kfold'][name]}")
    if len(by_set) > 1:
        # The data sets streamed together: fold k holds out the k-th share of every data set's groups.
        result["kfold"]["all"] = kfold("all files streamed together", items, ())
        log(f"all files streamed together, {folds}-fold: {result['kfold']['all']}")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="labelled JSONL files (gold_story)")
    parser.add_argument("--out", type=Path, help="where to write the model JSON (default: print only)")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    args = parser.parse_args(argv)

    settings = ClusterSettings()
    try:
        items = prepare(args.files)
    except NewsfoldError as exc:  # a file that is not labelled data: say where, without a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    cv = {} if args.no_cv else cross_validate(items, settings, args.folds)
    rows = teacher_rows(items, settings)
    meta = {
        "trained_on": [f.name for f in args.files],
        "rows": len(rows.every),
        "positives": sum(rows.every_labels),
        "top_rows": len(rows.top),
        "top_positives": sum(rows.top_labels),
        "regularisation_C": REGULARISATION,
        "join_boosting": BOOSTING,
        "join_bags": BAGS,
        "settings": settings.to_dict(),
        "cross_validation": cv,
    }
    model = fit(rows, meta)
    print("rank:", json.dumps(dict(zip(FEATURES, model.rank_weights, strict=True))), model.rank_bias)
    print("join:", len(model.join_trees), "trees, bias", model.join_bias)
    for path in args.files:
        subset = [item for item in items if item.dataset == path.name.removesuffix(".jsonl")]
        print(f"in-sample {path.name}: {replay_score(subset, model, settings)}")
    if args.out:
        args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
