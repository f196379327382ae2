"""Baselines newsfold is compared against, measured on the dev data in ``../shared/data``.

Run ``python bench/baselines.py [--data DIR] [--only cleaning|clustering]``; import
:func:`cleaning_baselines` and :func:`clustering_baselines` from later bench scripts to print newsfold
beside the same figures measured in the same run.

Cleaning (L3S-GN1): keep-everything scored line by line (``char_f1_lines``) and as free text
(``token_char_overlap``), and trafilatura on the raw HTML scored as free text.
Clustering (BASIL, ECB+): TF-IDF + average-link agglomerative clustering, and single-pass TF-IDF in date
order. Both thresholds are chosen on the data they are scored on, so these are oracle-tuned (optimistic)
baselines.
"""

from __future__ import annotations

import argparse
import ast
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from newsfold.metrics import adjusted_rand, bcubed, char_f1_lines, prf, token_char_overlap

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = [
    "AGGLOMERATIVE_GRID",
    "DEFAULT_DATA",
    "SINGLE_PASS_GRID",
    "agglomerative_labels",
    "cleaning_baselines",
    "clustering_baselines",
    "load_jsonl",
    "print_table",
    "single_pass_labels",
]

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CLEANING_FILE = "l3s-gn1-dev.jsonl"
CLUSTERING_FILES = ("basil-dev.jsonl", "ecbplus-dev.jsonl")
CONTENT_LABELS = frozenset({"headline", "full-text"})

# Agglomerative cuts at a cosine *distance*; single-pass joins at a cosine *similarity*.
AGGLOMERATIVE_GRID = tuple(round(0.30 + 0.05 * i, 2) for i in range(14))  # 0.30 .. 0.95
SINGLE_PASS_GRID = tuple(round(0.05 + 0.05 * i, 2) for i in range(19))  # 0.05 .. 0.95


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSONL file, in file order."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- cleaning --------------------------------------------------------------------------------------------


def _segments(record: dict[str, Any]) -> list[dict[str, Any]]:
    segments = record["segments"]
    return ast.literal_eval(segments) if isinstance(segments, str) else segments


def _score(
    method: str, metric: str, triples: Sequence[tuple[int, int, int]], seconds: float
) -> dict[str, Any]:
    tp, kept, relevant = (sum(t[i] for t in triples) for i in range(3))
    p, r, f1 = prf(tp, kept, relevant)
    return {
        "task": "cleaning",
        "dataset": "l3s-gn1-dev",
        "method": method,
        "metric": metric,
        "p": p,
        "r": r,
        "f1": f1,
        "mean_page_f1": float(np.mean([prf(*t)[2] for t in triples])) if triples else 0.0,
        "pages": len(triples),
        "seconds": seconds,
    }


def cleaning_baselines(data_dir: Path | str = DEFAULT_DATA) -> list[dict[str, Any]]:
    """Keep-everything and trafilatura on L3S-GN1 dev: pooled (micro) P/R/F1 and mean per-page F1.

    ``metric`` is ``line-chars`` (segments kept whole, counted by ``len``) or ``token-chars`` (whitespace
    tokens against ``gold_main_text``, see ``token_char_overlap``). Each row also has ``seconds``.
    """
    import trafilatura

    records = load_jsonl(Path(data_dir) / CLEANING_FILE)
    rows: list[dict[str, Any]] = []

    start = time.perf_counter()
    line_triples = []
    for record in records:
        segments = _segments(record)
        lines = [s["text"] for s in segments]
        is_content = [s["label_name"] in CONTENT_LABELS for s in segments]
        line_triples.append(char_f1_lines(lines, is_content, [True] * len(lines)))
    rows.append(_score("keep everything", "line-chars", line_triples, time.perf_counter() - start))

    start = time.perf_counter()
    token_triples = [token_char_overlap(r["page_text"], r["gold_main_text"]) for r in records]
    rows.append(_score("keep everything", "token-chars", token_triples, time.perf_counter() - start))

    # trafilatura logs a warning for every page it finds nothing in; the score already counts those.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    variants: list[tuple[str, Callable[[str], str | None]]] = [
        ("trafilatura (default)", lambda html: trafilatura.extract(html, favor_precision=False)),
        ("trafilatura (favor_recall)", lambda html: trafilatura.extract(html, favor_recall=True)),
    ]
    for name, extract in variants:
        start = time.perf_counter()
        triples = [token_char_overlap(extract(r["html"]) or "", r["gold_main_text"]) for r in records]
        rows.append(_score(name, "token-chars", triples, time.perf_counter() - start))
    return rows


# --- clustering ------------------------------------------------------------------------------------------


def _tfidf(records: Sequence[dict[str, Any]]) -> csr_matrix:
    # Rows come out L2-normalised, so X @ X.T is the cosine similarity matrix.
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in records]
    return TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)


def agglomerative_labels(distances: np.ndarray, threshold: float) -> list[int]:
    """Average-link clusters from a precomputed distance matrix, merging while distance < ``threshold``."""
    from sklearn.cluster import AgglomerativeClustering

    if len(distances) < 2:
        return list(range(len(distances)))
    model = AgglomerativeClustering(
        metric="precomputed", linkage="average", distance_threshold=threshold, n_clusters=None
    )
    return model.fit_predict(distances).tolist()


def single_pass_labels(similarities: np.ndarray, order: Sequence[int], threshold: float) -> list[int]:
    """Single-pass clustering: in ``order``, join the most similar centroid if cosine >= ``threshold``.

    ``similarities`` is the Gram matrix of the (L2-normalised) document vectors; a centroid is the mean of its
    members, so its cosine to document j is sum_m G[m, j] / ||sum_m x_m||, all read off the Gram matrix.
    """
    n = len(similarities)
    labels = [-1] * n
    dots = np.zeros((0, n))  # dots[c, j] = <sum of cluster c's vectors, x_j>
    sq_norms: list[float] = []  # ||sum of cluster c's vectors||^2
    for j in order:
        best, best_sim = -1, -np.inf
        if sq_norms:
            norms = np.sqrt(np.maximum(np.asarray(sq_norms), 1e-300))
            sims = dots[:, j] / norms
            best = int(np.argmax(sims))
            best_sim = float(sims[best])
        if best >= 0 and best_sim >= threshold:
            sq_norms[best] += 2 * dots[best, j] + similarities[j, j]
            dots[best] += similarities[j]
        else:
            best = len(sq_norms)
            sq_norms.append(float(similarities[j, j]))
            dots = np.vstack([dots, similarities[j]])
        labels[j] = best
    return labels


def _date_order(records: Sequence[dict[str, Any]]) -> list[int]:
    # Dated articles first, by date; undated last; ties keep file order (sorted is stable).
    return sorted(
        range(len(records)),
        key=lambda i: (records[i].get("published") is None, records[i].get("published") or ""),
    )


def _best(
    gold: dict[str, Any], ids: Sequence[str], grid: Iterable[float], run: Callable[[float], list[int]]
) -> tuple[float, tuple[float, float, float]]:
    best_t, best_score = 0.0, (-1.0, -1.0, -1.0)
    for t in grid:
        score = bcubed(gold, dict(zip(ids, run(t), strict=True)))
        if score[2] > best_score[2]:  # ties keep the lower threshold
            best_t, best_score = t, score
    return best_t, best_score


def clustering_baselines(path_or_paths: Path | str | Sequence[Path | str]) -> list[dict[str, Any]]:
    """TF-IDF agglomerative and single-pass baselines on one or more JSONL files pooled together.

    Each row: method, best threshold on its grid, BCubed p/r/f1, ari, clusters, and ``seconds`` for one run at
    that threshold (TF-IDF included). IDF is fitted on the whole set, also for single-pass.
    """
    from sklearn.metrics.pairwise import cosine_distances

    paths = (
        [Path(path_or_paths)] if isinstance(path_or_paths, str | Path) else [Path(p) for p in path_or_paths]
    )
    records = [r for p in paths for r in load_jsonl(p)]
    ids = [r["id"] for r in records]
    gold = {r["id"]: r["gold_story"] for r in records}
    dataset = "+".join(p.name.removesuffix(".jsonl") for p in paths)

    vectors = _tfidf(records)
    # metric="cosine" in AgglomerativeClustering needs a dense matrix and recomputes distances on every fit;
    # precomputed cosine distances give the same clusters (checked) and are computed once for the grid.
    distances = cosine_distances(vectors)
    similarities = (vectors @ vectors.T).toarray()
    order = _date_order(records)

    def timed_agglomerative(t: float) -> list[int]:
        vec = _tfidf(records)
        return agglomerative_labels(cosine_distances(vec), t)

    def timed_single_pass(t: float) -> list[int]:
        vec = _tfidf(records)
        return single_pass_labels((vec @ vec.T).toarray(), _date_order(records), t)

    methods: list[tuple[str, Sequence[float], Callable[[float], list[int]], Callable[[float], list[int]]]] = [
        (
            "tfidf agglomerative",
            AGGLOMERATIVE_GRID,
            lambda t: agglomerative_labels(distances, t),
            timed_agglomerative,
        ),
        (
            "tfidf single-pass",
            SINGLE_PASS_GRID,
            lambda t: single_pass_labels(similarities, order, t),
            timed_single_pass,
        ),
    ]
    rows: list[dict[str, Any]] = []
    for name, grid, run, timed in methods:
        threshold, _ = _best(gold, ids, grid, run)
        start = time.perf_counter()
        labels = timed(threshold)
        seconds = time.perf_counter() - start
        pred = dict(zip(ids, labels, strict=True))
        p, r, f1 = bcubed(gold, pred)
        rows.append(
            {
                "task": "clustering",
                "dataset": dataset,
                "method": name,
                "threshold": threshold,
                "p": p,
                "r": r,
                "f1": f1,
                "ari": adjusted_rand(gold, pred),
                "items": len(ids),
                "gold_clusters": len(set(gold.values())),
                "clusters": len(set(labels)),
                "seconds": seconds,
            }
        )
    return rows


# --- output ----------------------------------------------------------------------------------------------


def print_table(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Print rows as a rich table; floats with 3 decimals."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in columns:
        table.add_column(col, justify="left" if col in {"dataset", "method", "metric"} else "right")
    for row in rows:
        cells = []
        for col in columns:
            value = row.get(col, "")
            cells.append(f"{value:.3f}" if isinstance(value, float) else str(value))
        table.add_row(*cells)
    console = Console()
    if not console.is_terminal:  # piped output defaults to 80 columns, which folds every cell
        console.width = 160
    console.print(table)


CLEANING_COLUMNS = ("method", "metric", "p", "r", "f1", "mean_page_f1", "pages", "seconds")
CLUSTERING_COLUMNS = (
    "dataset", "method", "threshold", "p", "r", "f1", "ari", "clusters", "gold_clusters", "seconds",
)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"dev data folder (default {DEFAULT_DATA})"
    )
    parser.add_argument("--only", choices=("cleaning", "clustering"), help="run one task only")
    args = parser.parse_args(argv)

    data: Path = args.data
    if not data.is_dir():
        print(f"No dev data at {data}; nothing to measure (pass --data DIR).")
        return 0
    if args.only in (None, "cleaning"):
        if (data / CLEANING_FILE).is_file():
            print_table(f"Cleaning baselines: {CLEANING_FILE}", cleaning_baselines(data), CLEANING_COLUMNS)
        else:
            print(f"{CLEANING_FILE} not in {data}; cleaning skipped.")
    if args.only in (None, "clustering"):
        present = [data / f for f in CLUSTERING_FILES if (data / f).is_file()]
        if not present:
            print(f"None of {', '.join(CLUSTERING_FILES)} in {data}; clustering skipped.")
        sets = [[p] for p in present] + ([present] if len(present) > 1 else [])
        rows = [row for paths in sets for row in clustering_baselines(paths)]
        if rows:
            print_table(
                "Clustering baselines (threshold: agglomerative cosine distance <, single-pass cosine >=;"
                " tuned on the same data)",
                rows,
                CLUSTERING_COLUMNS,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
