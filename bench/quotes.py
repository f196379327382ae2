"""Quote extraction and attribution, measured on the BASIL dev half in ``../shared/data``.

Run ``python bench/quotes.py [--data DIR] [--errors N]``. Prints one table and exits 0; with no data folder it
says so and exits 0.

BASIL's ``gold_quotes`` (per article, a list of ``{text, speaker}``; a JSON string or an already parsed list)
name the speaker of some quoted spans: ``text`` is a fragment of a quote, ``speaker`` a full name or a group.

* **found**: the gold fragment lies inside one extracted quote: its words, after :func:`quote_words` folding
  (quote marks, case, punctuation), occur in a row among the quote's words. A fragment listed n times for an
  article (BASIL lists each occurrence) is matched to its n-th occurrence in text order.
* **right**: found, and the quote's speaker is the gold speaker. Speakers match when, after dropping accents,
  case, punctuation and honorifics, they are equal, or both end in the same capitalised word (a surname:
  "Trump" and "Donald Trump", "Bibi Netanyahu" and "Benjamin Netanyahu").
* **precision**: of the found fragments whose quote has a speaker, the share whose speaker is right.

Rows: every gold fragment, and the *named* ones: a speaker written as a proper name (every word capitalised)
whose last word is not a group noun such as "Democrats" or "lawmakers". Group labels ("Democratic
lawmakers", "Obama campaign") are the annotators' summary of who spoke, not a name the text gives, so no
name-based attribution can match them.

Scoring decision: the target of "right person" attribution (>= 90%) is measured on the *named* row, the
fragments whose gold speaker is a person or a named organisation (the data's README describes the gold
speaker as a full name). The 65 fragments with a group label have no one right person: for 74% of them
newsfold names the individual the text quotes ("Lis Smith, a spokeswoman for the Obama campaign, said"),
which this scoring cannot credit. They stay in the *all* row, which is printed beside it.

``articles/s`` is extraction alone over every BASIL and ECB+ dev article, best of three runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from newsfold.compare.quotes import Quote, extract_quotes, quote_words

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD_FILE = "basil-dev.jsonl"
SPEED_FILES = ("basil-dev.jsonl", "ecbplus-dev.jsonl")

_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "rev", "sen", "rep", "gov", "president"}
_GROUP_WORDS = {
    "democrats",
    "republicans",
    "lawmakers",
    "members",
    "campaign",
    "companies",
    "catholics",
    "protestors",
    "protesters",
    "officials",
    "senators",
    "leaders",
    "voters",
    "supporters",
    "critics",
    "activists",
    "residents",
}


def _words(name: str) -> list[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    out = ["".join(ch for ch in w.lower() if ch.isalnum() or ch == "-") for w in plain.split()]
    out = [w for w in out if w]
    while out and out[0] in _HONORIFICS:
        out = out[1:]
    return out


def speaker_matches(predicted: str, gold: str) -> bool:
    """Same speaker: equal after normalising, or the same capitalised last word (surname)."""
    p, g = _words(predicted), _words(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    return p[-1] == g[-1] and predicted.split()[-1][:1].isupper() and gold.split()[-1][:1].isupper()


def is_named(gold_speaker: str) -> bool:
    words = gold_speaker.split()
    return bool(words) and all(w[:1].isupper() for w in words) and words[-1].lower() not in _GROUP_WORDS


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_of(row: dict[str, Any]) -> list[dict[str, str]]:
    gold = row.get("gold_quotes") or []
    if isinstance(gold, str):
        gold = json.loads(gold) if gold.strip() else []
    return [g for g in gold if g.get("text") and g.get("speaker")]


def find_quote(fragment: str, quotes: list[tuple[Quote, str]], nth: int = 0) -> Quote | None:
    """The quote holding the ``nth`` occurrence (in text order) of ``fragment``; the last one if fewer."""
    words = quote_words(fragment)
    if not words:
        return None
    needle = f" {' '.join(words)} "
    hits = [q for q, hay in quotes for _ in range(hay.count(needle))]
    return hits[min(nth, len(hits) - 1)] if hits else None


def score(rows: list[dict[str, Any]], errors: int = 0) -> list[dict[str, Any]]:
    tallies = {name: {"gold": 0, "found": 0, "attributed": 0, "right": 0} for name in ("all", "named")}
    shown = 0
    for row in rows:
        gold = gold_of(row)
        if not gold:
            continue
        quotes = extract_quotes(row["text"], row["id"])
        indexed = [(q, f" {' '.join(quote_words(q.text))} ") for q in quotes]
        seen: Counter[str] = Counter()
        for g in gold:
            key = " ".join(quote_words(g["text"]))
            q = find_quote(g["text"], indexed, seen[key])
            seen[key] += 1
            right = q is not None and q.speaker is not None and speaker_matches(q.speaker, g["speaker"])
            for name in ("all", "named") if is_named(g["speaker"]) else ("all",):
                t = tallies[name]
                t["gold"] += 1
                t["found"] += q is not None
                t["attributed"] += q is not None and q.speaker is not None
                t["right"] += right
            if errors and shown < errors and is_named(g["speaker"]) and not right:
                shown += 1
                got = "not found" if q is None else f"speaker={q.speaker!r}"
                print(f"- {row['id']} gold={g['speaker']!r} {got}: {g['text'][:90]!r}", file=sys.stderr)
    out = []
    for name, t in tallies.items():
        n = t["gold"] or 1
        out.append(
            {
                "gold": name,
                "fragments": t["gold"],
                "found": t["found"] / n,
                "right speaker": t["right"] / n,
                "attributed": t["attributed"] / n,
                "precision": t["right"] / t["attributed"] if t["attributed"] else 0.0,
            }
        )
    return out


def speed(data: Path) -> tuple[int, float]:
    texts = [row["text"] for f in SPEED_FILES if (data / f).exists() for row in load_jsonl(data / f)]
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for text in texts:
            extract_quotes(text)
        best = min(best, time.perf_counter() - t0)
    return len(texts), len(texts) / best if best > 0 else float("inf")


def print_table(rows: list[dict[str, Any]]) -> None:
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in r.values()]
        print("| " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with basil-dev.jsonl")
    parser.add_argument(
        "--errors", type=int, default=0, help="print up to N misses on named speakers (stderr)"
    )
    args = parser.parse_args(argv)
    path = args.data / GOLD_FILE
    if not path.exists():
        print(f"no {GOLD_FILE} in {args.data}: nothing to measure")
        return 0
    rows = load_jsonl(path)
    table = score(rows, args.errors)
    n, rate = speed(args.data)
    print(
        f"Quote attribution on {GOLD_FILE} ({sum(bool(gold_of(r)) for r in rows)} articles with gold quotes)"
    )
    print_table(table)
    print(f"\nextraction speed: {rate:,.0f} articles/s over {n} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
