"""Story clustering when every article arrives on one day: does the shipped model lean on dates?

    python bench/dense_stream.py [--data DIR]

In the labelled dev sets, events lie weeks or years apart (BASIL) or carry few dates (ECB+), so dates
could do work that a live stream will not let them do: there, every open story is recent. This benchmark
re-dates every article to one day, one second apart in arrival order, and streams it through the shipped
model, next to the same stream with the input's own dates (the baseline, same run). Prints BCubed F1 for
BASIL, ECB+ and both files together; exits 0 without data.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsfold.cluster import default_model
from newsfold.cluster_train import prepare, replay_score

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
STREAMS = (("basil-dev",), ("ecbplus-dev",), ("basil-dev", "ecbplus-dev"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the dev JSONL files")
    args = parser.parse_args(argv)
    if not all((args.data / f"{name}.jsonl").exists() for name in STREAMS[-1]):
        print(f"no dev files in {args.data}: nothing to measure")
        return 0
    model = default_model()
    print("| stream | F1, input dates | F1, all on one day | ratio |")
    print("|---|---|---|---|")
    for names in STREAMS:
        paths = [args.data / f"{name}.jsonl" for name in names]
        dated = replay_score(prepare(paths), model)["bcubed_f1"]
        items = prepare(paths)
        day = datetime(2024, 5, 1, tzinfo=UTC)
        for k, item in enumerate(items):
            item.article.published = day + timedelta(seconds=k)
            item.article.metadata.pop("published_from", None)
        dense = replay_score(items, model)["bcubed_f1"]
        print(f"| {' + '.join(names)} | {dated:.3f} | {dense:.3f} | {dense / dated:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
