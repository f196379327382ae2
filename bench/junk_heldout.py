"""How the cleaner does on junk unlike any it learned from: train on half the junk kinds, test on the other half.

    python bench/junk_heldout.py [--data DIR] [--seed N]

The cleaner's line model learns from L3S-GN1 pages and from their content wrapped in generated junk
(``newsfold.synth.JUNK_KINDS``: 18 kinds such as newsletter prompts, cookie notices, promotions). Here the
kinds are split in two halves (sorted by name, alternating). The model is trained with the junk of one half
only (``train_line_model(..., junk_kinds=half)``), then scored on BASIL and ECB+ dev articles wrapped in junk
of the *other* half only (``eval_junk(..., kinds=other, model=...)``), and the same the other way round. The
rules are the same in every run.

It prints content precision, recall and F1 (characters of the articles' own lines kept) and the share of junk
lines removed, for each half, their mean, and the shipped model on all kinds (in-sample) beside it.

A second table does the same with the articles as pages of ``--sites`` sites (20 by default), each with its
own fixed junk above and below the article plus fresh junk inside, cleaned as a stream with the memory of
lines that recur across stories (``eval_junk(..., sites=N)``). Each row gives the pipeline's stream cleaning
and, from the same run, the same pages cleaned one by one (the baseline). Takes about 20 s. Exits 0 without
data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsfold.clean.train import train_line_model
from newsfold.evaluate import eval_junk
from newsfold.synth import JUNK_KINDS

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ARTICLES = ("basil-dev.jsonl", "ecbplus-dev.jsonl")
PAGES = "l3s-gn1-dev.jsonl"


def halves() -> tuple[list[str], list[str]]:
    kinds = sorted(JUNK_KINDS)
    return kinds[0::2], kinds[1::2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the junk wrapped around the test articles"
    )
    parser.add_argument("--sites", type=int, default=20, help="sites of the second table")
    args = parser.parse_args(argv)
    files = [args.data / name for name in ARTICLES]
    if not all(f.exists() for f in files) or not (args.data / PAGES).exists():
        print(f"No dev data in {args.data}; nothing to measure.")
        return 0
    rows = []
    streams = []
    first, second = halves()
    for trained, tested in ((first, second), (second, first)):
        model = train_line_model(args.data / PAGES, junk_kinds=trained)
        result = eval_junk(files, seed=args.seed, kinds=tested, model=model)
        rows.append((f"trained on {', '.join(trained)}", f"tested on {', '.join(tested)}", result))
        streams.append(eval_junk(files, seed=args.seed, kinds=tested, model=model, sites=args.sites))
    shipped = eval_junk(files, seed=args.seed)
    print(f"{'run':6} {'content P':>9} {'R':>6} {'F1':>6} {'junk removed':>12}  junk kinds tested")
    for i, (trained, tested, r) in enumerate(rows, 1):
        print(
            f"half {i} {r['content_p']:9.3f} {r['content_r']:6.3f} {r['content_f1']:6.3f}"
            f" {r['junk_removed']:12.3f}  {tested[len('tested on ') :]}"
        )
        kinds = ", ".join(f"{k} {v['removed']}/{v['lines']}" for k, v in r["by_kind"].items())
        print(f"       ({trained}) {kinds}")
    mean_f1 = sum(r["content_f1"] for *_, r in rows) / len(rows)
    mean_junk = sum(r["junk_removed"] for *_, r in rows) / len(rows)
    print(f"{'mean':6} {'':>9} {'':>6} {mean_f1:6.3f} {mean_junk:12.3f}  held-out kinds")
    print(
        f"{'ship':6} {shipped['content_p']:9.3f} {shipped['content_r']:6.3f} {shipped['content_f1']:6.3f}"
        f" {shipped['junk_removed']:12.3f}  all kinds, shipped model (in-sample)"
    )
    print(
        f"\nPages of {args.sites} sites, held-out kinds, cleaned as a stream (repeated lines) or one by one:"
    )
    print(
        f"{'run':6} {'stream F1':>9} {'junk removed':>12} {'alone F1':>9} {'junk removed':>12} {'ratio':>6}"
    )
    for i, r in enumerate(streams, 1):
        alone = r["alone"]
        print(
            f"half {i} {r['content_f1']:9.3f} {r['junk_removed']:12.3f} {alone['content_f1']:9.3f}"
            f" {alone['junk_removed']:12.3f} {r['junk_removed'] / alone['junk_removed']:6.3f}"
        )
    mean = [
        sum(x) / len(streams)
        for x in zip(
            *(
                (r["content_f1"], r["junk_removed"], r["alone"]["content_f1"], r["alone"]["junk_removed"])
                for r in streams
            ),
            strict=True,
        )
    ]
    print(
        f"{'mean':6} {mean[0]:9.3f} {mean[1]:12.3f} {mean[2]:9.3f} {mean[3]:12.3f} {mean[1] / mean[3]:6.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
