"""What cleaning costs per article, stage by stage, on articles resampled from the dev sets.

    python bench/clean_speed.py [--articles 800] [--data ../shared/data]

Stages: the reason-coded rules, the line features, the line model, and ``clean_text`` as a whole. The
baseline measured in the same run is the rules' trigger-word scan done as one substring test per trigger
word (what ``newsfold.clean.rules`` did before its Aho-Corasick automaton); both scans must find the same
reasons on every line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ingest_rate import DEFAULT_DATA, make_articles


def per_article(function, items, articles: int) -> float:
    """Milliseconds per article that ``function`` takes over ``items``."""
    start = time.perf_counter()
    for item in items:
        function(item)
    return (time.perf_counter() - start) / articles * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=800)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not (args.data / "basil-dev.jsonl").exists():
        print(f"No dev data at {args.data}; nothing to measure.")
        return 0
    from newsfold.clean import clean_text, rules, split_units
    from newsfold.clean.features import line_features
    from newsfold.clean.model import default_model

    texts = [row["text"] for row in make_articles(args.data, args.articles, seed=1)]
    pages = [[" ".join(unit.split()) for unit in split_units(text)[0]] for text in texts]
    lines = [line.lower() for page in pages for line in page]
    n = len(texts)

    def substring_scan(lower: str) -> set[str]:
        return {reason for reason, words in rules._TRIGGERS.items() if any(w in lower for w in words)}

    if any(rules._triggered(line) != substring_scan(line) for line in lines):
        print("the two trigger scans disagree")
        return 1
    model = default_model()
    features = [line_features(page) for page in pages]
    rows = [
        ("trigger scan, one substring test per word (baseline)", per_article(substring_scan, lines, n)),
        ("trigger scan, Aho-Corasick automaton", per_article(rules._triggered, lines, n)),
        (
            "rules (all, with the automaton)",
            per_article(lambda p: [rules.rule_reason(x) for x in p], pages, n),
        ),
        ("line features", per_article(line_features, pages, n)),
        ("line model (boosted trees)", per_article(model.content_probability, features, n)),
        ("clean_text, whole", per_article(clean_text, texts, n)),
    ]
    print(f"{n} articles, {len(lines) / n:.1f} lines each")
    print(f"{'stage':56} {'ms/article':>10}")
    for name, ms in rows:
        print(f"{name:56} {ms:10.3f}")
    print(f"automaton vs substring tests: {rows[0][1] / rows[1][1]:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
