"""Cleaning quality on L3S-GN1 page text: newsfold beside keep-everything and trafilatura, in one run.

    python bench/cleaning.py [--data ../shared/data]

newsfold cleans ``page_text`` (the page's text blocks, one a line); trafilatura extracts from the page's
``html``. Both are scored by token characters against ``gold_main_text``; newsfold also by line labels.
The shipped line model was trained on these pages, so its score is in-sample; the 5-fold cross-validated
score of the model retrained without each fold is printed beside it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from baselines import DEFAULT_DATA, cleaning_baselines, print_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    path = args.data / "l3s-gn1-dev.jsonl"
    if not path.exists():
        print(f"No dev data at {args.data}; nothing to measure.")
        return 0
    from newsfold.clean.train import cross_validate, read_l3s
    from newsfold.evaluate import eval_cleaning

    rows = cleaning_baselines(args.data)
    ours = eval_cleaning(path, html=True)
    rows.append(
        {
            "method": "newsfold (shipped model, in-sample)",
            "metric": "line-chars",
            "p": ours["line_p"],
            "r": ours["line_r"],
            "f1": ours["line_f1"],
        }
    )
    rows.append(
        {
            "method": "newsfold (shipped model, in-sample)",
            "metric": "token-chars",
            "p": ours["token_p"],
            "r": ours["token_r"],
            "f1": ours["token_f1"],
        }
    )
    rows.append(
        {
            "method": "newsfold on HTML (reader + cleaner)",
            "metric": "token-chars",
            "p": ours["html_p"],
            "r": ours["html_r"],
            "f1": ours["html_f1"],
        }
    )
    p, r, f1 = cross_validate(list(read_l3s(path)))
    rows.append(
        {"method": "newsfold line model alone, 5-fold CV", "metric": "line-chars", "p": p, "r": r, "f1": f1}
    )
    print_table("Cleaning: l3s-gn1-dev.jsonl", rows, ["method", "metric", "p", "r", "f1"])
    best_other = max(row["f1"] for row in rows if row["method"].startswith("trafilatura"))
    print(f"newsfold token-chars F1 / best trafilatura F1 = {ours['token_f1'] / best_other:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
