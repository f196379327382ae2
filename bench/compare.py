"""What the story comparison shows, on the gold stories of the dev sets in ``../shared/data``.

Run ``python bench/compare.py [--data DIR]``. Each gold story (BASIL: one event from three outlets; ECB+: one
event of a topic) is cleaned by the pipeline's own stages and compared with :func:`newsfold.compare.
compare_story`, so the figures measure the comparison alone, not the clustering. Prints one table and exits 0;
with no data folder it says so and exits 0.

* **sentences shown**: of the articles' sentences of 6+ words, the share the comparison shows somewhere:
  as a shared fact, a point reported differently (``related``) or an outlet's own (``unique``). The rest is
  left out because another outlet has a close sentence that is neither the same nor related enough.
* **related**: sentences shown only as a point reported differently.
* **quotes with a speaker**: of the quotes listed, the share with a speaker.
* **figure conflicts**: figure rows flagged as disagreeing (a false conflict misleads more than a missed
  one; on the dev stories the flagged ones were checked by hand, see the closing notes).
* **ms per story**: comparison time, spaCy included.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MIN_WORDS = 6


def gold_stories(path: Path) -> dict[str, list]:
    """The articles of one labelled JSONL file, cleaned as the pipeline cleans them, by gold story."""
    from newsfold.article import Article
    from newsfold.pipeline import prepare

    stories: dict[str, list] = defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            article = Article(
                id=row["id"], text=row["text"], source=row.get("source"), title=row.get("title")
            )
            prepare(article)
            stories[row["gold_story"]].append(article)
    return {key: articles for key, articles in stories.items() if len(articles) > 1}


def measure(stories: dict[str, list]) -> dict[str, float]:
    from newsfold.article import Story
    from newsfold.compare import compare_story
    from newsfold.compare.sentences import split_sentences

    sentences = shown = related_only = quotes = with_speaker = conflicts = 0
    start = time.perf_counter()
    for key, articles in stories.items():
        comparison = compare_story(Story(key, key, [a.id for a in articles], [], None, None), articles)
        seen: set[str] = set()
        for fact in comparison.shared:
            seen.update(fact.variants.values())
            seen.add(fact.text)
        related = {text for fact in comparison.related for text in fact.variants.values()}
        for texts in comparison.unique.values():
            seen.update(texts)
        for article in articles:
            for sentence in split_sentences(article.clean_text):
                if len(sentence.split()) >= MIN_WORDS:
                    sentences += 1
                    shown += sentence in seen or sentence in related
                    related_only += sentence in related and sentence not in seen
        quotes += len(comparison.quotes)
        with_speaker += sum(1 for q in comparison.quotes if q.speaker)
        conflicts += sum(1 for f in comparison.figures if f.conflict)
    elapsed = time.perf_counter() - start
    return {
        "stories": len(stories),
        "sentences shown": shown / max(1, sentences),
        "related": related_only / max(1, sentences),
        "quotes with a speaker": with_speaker / max(1, quotes),
        "figure conflicts": conflicts,
        "ms per story": 1000 * elapsed / max(1, len(stories)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    files = [args.data / "basil-dev.jsonl", args.data / "ecbplus-dev.jsonl"]
    if not all(path.exists() for path in files):
        print(f"No dev data at {args.data}; nothing to measure.")
        return 0
    rows = {path.name.removesuffix(".jsonl"): measure(gold_stories(path)) for path in files}
    names = list(next(iter(rows.values())))
    print(f"{'measure':24}" + "".join(f"{name:>14}" for name in rows))
    for name in names:
        cells = []
        for values in rows.values():
            value = values[name]
            cells.append(f"{value:14.1%}" if isinstance(value, float) and value <= 1 else f"{value:14.0f}")
        print(f"{name:24}" + "".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
