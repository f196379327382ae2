"""Evaluation on labelled data: cleaning (character F1), story clustering (BCubed, ARI), copy detection.

Each function takes a labelled file, runs newsfold the way a user would (the full pipeline into a fresh
store) and returns figures as a plain dict, so the CLI, the benchmarks and the CI quality gate share them.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsfold.article import Article
from newsfold.clean import clean_text, split_units
from newsfold.clean.model import LineModel, default_model
from newsfold.errors import InputError, NewsfoldError
from newsfold.metrics import adjusted_rand, bcubed, prf, token_char_overlap
from newsfold.pipeline import Pipeline
from newsfold.store import open_store

__all__ = [
    "eval_cleaning",
    "eval_clustering",
    "eval_duplicates",
    "eval_junk",
    "read_labelled",
    "stream_order",
]

Progress = Callable[[int, int], None]
OnError = Callable[[InputError], None]


def read_labelled(
    paths: Sequence[Path], *, required: Sequence[str] = (), on_error: OnError | None = None
) -> list[tuple[Article, dict[str, Any]]]:
    """Articles of labelled JSONL files (newsfold's JSONL input plus gold fields), each with its gold fields
    (every field that is not an article field, such as ``gold_story`` and ``topic``).

    A line that is not a valid article, or lacks one of the ``required`` gold fields, is an
    :class:`~newsfold.errors.InputError` naming the file and line: passed to ``on_error`` and skipped, or
    raised without ``on_error``. Files without a single usable record are an error either way.
    """
    from newsfold.readers.jsonl import read_jsonl

    rows: list[tuple[Article, dict[str, Any]]] = []
    for path in paths:
        for result in read_jsonl(Path(path)):
            if isinstance(result, Article):
                missing = [f"'{name}'" for name in required if result.metadata.get(name) in (None, "")]
                if not missing:
                    rows.append((result, result.metadata))
                    continue
                result = InputError(result.origin or result.id, f"missing {' and '.join(missing)}")
            if on_error is None:
                raise result
            on_error(result)
    if not rows:
        raise NewsfoldError(f"no usable labelled record in {', '.join(str(p) for p in paths)}")
    return rows


def stream_order(articles: Sequence[Article]) -> list[int]:
    """Arrival order for a replayed stream: publication order where dates are known, file order otherwise."""
    dated = sorted((i for i, a in enumerate(articles) if a.published), key=lambda i: articles[i].published)
    undated = [i for i, a in enumerate(articles) if not a.published]
    return dated + undated


def _fresh_pipeline(workdir: str) -> Pipeline:
    return Pipeline(open_store(Path(workdir) / "eval.db"))


def _run_stream(articles: list[Article], progress: Progress | None) -> tuple[dict[str, Any], float]:
    with tempfile.TemporaryDirectory() as workdir:
        pipeline = _fresh_pipeline(workdir)
        order = stream_order(articles)
        start = time.perf_counter()
        outcomes = {}
        for done, i in enumerate(order, 1):
            outcomes[articles[i].id] = pipeline.process(articles[i])
            if progress:
                progress(done, len(order))
        elapsed = time.perf_counter() - start
        pipeline.store.close()
    return outcomes, elapsed


def eval_clustering(
    paths: Sequence[Path], progress: Progress | None = None, on_error: OnError | None = None
) -> dict[str, Any]:
    """Stream labelled articles (``gold_story``) through a fresh pipeline; BCubed P/R/F1, ARI, articles/s.

    Records that cannot be read go to ``on_error`` (see :func:`read_labelled`) and are left out."""
    rows = read_labelled(paths, required=("gold_story",), on_error=on_error)
    articles = [a for a, _ in rows]
    gold = {a.id: row["gold_story"] for a, row in rows}
    outcomes, elapsed = _run_stream(articles, progress)
    pred = {aid: (o.story_id or f"skipped:{aid}") for aid, o in outcomes.items()}
    p, r, f1 = bcubed(gold, pred)
    return {
        "files": [Path(p).name for p in paths],
        "articles": len(articles),
        "gold_stories": len(set(gold.values())),
        "stories": len(set(pred.values())),
        "bcubed_p": p,
        "bcubed_r": r,
        "bcubed_f1": f1,
        "ari": adjusted_rand(gold, pred),
        "seconds": elapsed,
        "articles_per_s": len(articles) / elapsed if elapsed else float("inf"),
    }


def eval_cleaning(
    path: Path, progress: Progress | None = None, on_error: OnError | None = None, *, html: bool = False
) -> dict[str, Any]:
    """Character P/R/F1 of newsfold's cleaner on L3S-GN1 ``page_text`` (lines labelled by their segments).

    Two scores: by line labels (exact), and by token characters against ``gold_main_text`` (the measure
    that also scores extractors working on HTML, such as trafilatura). With ``html``, also ``html_p``,
    ``html_r`` and ``html_f1``: the token-character scores of each page's ``html`` read as ``newsfold
    ingest`` reads a page (the HTML reader, then the cleaner); a page it finds no article in keeps nothing.
    """
    from newsfold.clean.train import read_l3s_rows
    from newsfold.readers.html import extract_article

    content = {"headline", "full-text"}
    line_tp = line_kept = line_rel = 0
    tok_tp = tok_kept = tok_rel = 0
    html_counts = [0, 0, 0]
    pages = list(
        read_l3s_rows(
            path, required=("gold_main_text", "html") if html else ("gold_main_text",), on_error=on_error
        )
    )
    start = time.perf_counter()
    for done, page in enumerate(pages, 1):
        segments = [s for s in page["segments"] if s["text"].strip()]
        # One block a line, as page_text has them.
        cleaned = clean_text("\n".join(" ".join(s["text"].split()) for s in segments))
        # clean_text keeps the non-blank lines in order, so they pair with the segments one to one.
        for segment, reason in zip(segments, cleaned.reasons, strict=True):
            size = len(segment["text"])
            is_content = segment["label_name"] in content
            line_rel += size * is_content
            if reason is None:
                line_kept += size
                line_tp += size * is_content
        tp, kept, rel = token_char_overlap(cleaned.text, page["gold_main_text"])
        tok_tp, tok_kept, tok_rel = tok_tp + tp, tok_kept + kept, tok_rel + rel
        if html:
            article = extract_article(page["html"], article_id=str(done), origin=f"{path}:{done}")
            text = article.text if isinstance(article, Article) else ""
            kept_text = clean_text(text).text if text.strip() else ""
            for i, count in enumerate(token_char_overlap(kept_text, page["gold_main_text"])):
                html_counts[i] += count
        if progress:
            progress(done, len(pages))
    elapsed = time.perf_counter() - start
    lp, lr, lf = prf(line_tp, line_kept, line_rel)
    tp_, tr_, tf_ = prf(tok_tp, tok_kept, tok_rel)
    result = {
        "file": Path(path).name,
        "pages": len(pages),
        "line_p": lp,
        "line_r": lr,
        "line_f1": lf,
        "token_p": tp_,
        "token_r": tr_,
        "token_f1": tf_,
    }
    if html:
        result["html_p"], result["html_r"], result["html_f1"] = prf(*html_counts)
    result["pages_per_s"] = len(pages) / elapsed if elapsed else float("inf")
    return result


# Copy kinds that add lines of their own (junk, a dateline, a credit) to the original's text.
_ADDING_KINDS = frozenset({"junk-wrapped", "trimmed", "syndicated", "teaser"})


def eval_duplicates(
    paths: Sequence[Path], seed: int = 0, progress: Progress | None = None, on_error: OnError | None = None
) -> dict[str, Any]:
    """Generate labelled copies of the articles in ``paths`` (see :mod:`newsfold.synth`) and score copy detection.

    A copy is found when it is linked to its original, or to the article its original itself copies (the
    dev sets hold real wire copies, and a copy of a copy points to the earliest). A false link joins two
    articles of different gold stories (or, without gold stories, any link an original makes), or a copy to
    an article outside its original's family and story. Links between two originals of one gold story are real
    copies in the data; they are counted apart (``copies_within_data``), and so are copies linked to another
    article of their original's gold story than their original's family (``copies_linked_in_story``: the
    data's wire copy holds the same paragraphs, as a teaser of a wire lead copies every outlet that ran it).

    For the copies that add lines of their own (junk-wrapped, trimmed, syndicated, teaser): ``added_removed`` is the
    share of those lines the pipeline removed, and ``own_chars_lost`` the share of the characters of the
    original's lines that it removed from the copies.
    """
    from newsfold.synth import NEAR_COPY_KINDS, make_copies

    rows = read_labelled(paths, on_error=on_error)
    gold = {a.id: row.get("gold_story") for a, row in rows}
    labelled = make_copies([a for a, _ in rows], rng_seed=seed)
    truth = {c.article.id: c.original_id for c in labelled}
    kinds = {c.article.id: c.kind for c in labelled}
    outcomes, elapsed = _run_stream([c.article for c in labelled], progress)
    link = {aid: o.duplicate_of for aid, o in outcomes.items()}

    def root(aid: str) -> str:
        # Follow copy links to the first article of a family: the original everything else copies.
        seen = {aid}
        while link.get(aid) and link[aid] not in seen:
            aid = link[aid]
            seen.add(aid)
        return aid

    def story_of(aid: str) -> object:
        return gold.get(truth.get(aid) or aid)

    found, false_links, data_copies, in_story = [], [], [], []
    by_kind: dict[str, list[int]] = {}
    for aid, target in link.items():
        original = truth.get(aid)
        if original is not None:
            hit = target is not None and root(target) == root(original)
            found += [aid] if hit else []
            tally = by_kind.setdefault(kinds[aid], [0, 0])
            tally[0] += hit
            tally[1] += 1
            if target is not None and not hit:
                # Another report of the original's story that carries the same paragraphs (wire copy in
                # the data: a teaser of a wire lead copies every outlet that ran it) is not a false link.
                same_story = story_of(original) is not None and story_of(target) == story_of(original)
                (in_story if same_story else false_links).append(aid)
        elif target is not None:
            same_story = story_of(aid) is not None and story_of(aid) == story_of(target)
            (data_copies if same_story else false_links).append(aid)
    copies = sum(1 for o in truth.values() if o is not None)
    # What the copies added (junk, datelines, credits): the lines not in their original, and how many the
    # cleaning removed; and the characters of the original's own lines that the copies lost.
    originals = {c.article.id: c.article for c in labelled if c.original_id is None}
    added = added_removed = own_chars = own_lost = 0
    for c in labelled:
        original = originals.get(c.original_id or "")
        if original is None or c.kind not in _ADDING_KINDS:
            continue
        theirs = {" ".join(u.split()) for u in split_units(original.text)[0]}
        removed = {" ".join(r.text.split()) for r in c.article.removed}
        for unit in (" ".join(u.split()) for u in split_units(c.article.text)[0]):
            if unit in theirs:
                own_chars += len(unit)
                own_lost += len(unit) if unit in removed else 0
            else:
                added += 1
                added_removed += unit in removed
    return {
        "articles": len(labelled),
        "copies": copies,
        "found": len(found),
        "recall": len(found) / copies if copies else 1.0,
        # The copies that hold (nearly) all of their original, apart from the teasers, which hold a part.
        "near_copy_recall": _share_found(by_kind, NEAR_COPY_KINDS),
        "teaser_recall": _share_found(by_kind, ("teaser",)),
        "false_links": len(false_links),
        "false_link_ids": false_links[:20],
        "copies_within_data": len(data_copies),
        "copies_linked_in_story": len(in_story),
        "by_kind": {k: {"found": v[0], "copies": v[1]} for k, v in sorted(by_kind.items())},
        "added_lines": added,
        "added_removed": added_removed / added if added else 1.0,
        "own_chars_lost": own_lost / own_chars if own_chars else 0.0,
        "seconds": elapsed,
        "articles_per_s": len(labelled) / elapsed if elapsed else float("inf"),
    }


def _share_found(by_kind: dict[str, list[int]], kinds: Sequence[str]) -> float:
    found = sum(by_kind.get(k, [0, 0])[0] for k in kinds)
    total = sum(by_kind.get(k, [0, 0])[1] for k in kinds)
    return found / total if total else 1.0


class _JunkTally:
    """Characters of the article's own lines kept, and junk lines removed, overall and per kind."""

    def __init__(self) -> None:
        self.tp = self.kept = self.relevant = 0
        self.junk_total = self.junk_removed = 0
        self.by_kind: dict[str, list[int]] = {}

    def add(self, lines: Sequence[str], reasons: Sequence[str | None], junk_lines: dict[str, str]) -> None:
        for line, reason in zip(lines, reasons, strict=True):
            # A unit may be a block of several lines (a related-links list): junk if all its lines are.
            parts = [junk_lines.get(part) for part in line.split("\n") if part.strip()]
            kind = parts[0] if parts and all(parts) else None
            if kind is None:
                self.relevant += len(line)
                if reason is None:
                    self.tp += len(line)
                    self.kept += len(line)
            else:
                hit = self.by_kind.setdefault(kind, [0, 0])
                hit[1] += 1
                self.junk_total += 1
                if reason is None:
                    self.kept += len(line)
                else:
                    hit[0] += 1
                    self.junk_removed += 1

    def scores(self) -> dict[str, Any]:
        p, r, f1 = prf(self.tp, self.kept, self.relevant)
        return {
            "content_p": p,
            "content_r": r,
            "content_f1": f1,
            "junk_lines": self.junk_total,
            "junk_removed": self.junk_removed / self.junk_total if self.junk_total else 1.0,
            "by_kind": {k: {"removed": v[0], "lines": v[1]} for k, v in sorted(self.by_kind.items())},
        }


def eval_junk(
    paths: Sequence[Path],
    seed: int = 0,
    progress: Progress | None = None,
    *,
    kinds: Sequence[str] | None = None,
    model: LineModel | None = None,
    sites: int = 0,
    on_error: OnError | None = None,
) -> dict[str, Any]:
    """Wrap real articles in generated junk (:mod:`newsfold.synth`) and score the cleaner.

    Content is every line of the article as given; junk is every inserted line. Character precision, recall
    and F1 of content kept, plus the share of junk lines removed, overall and per kind of junk. ``kinds``
    limits the junk to those kinds (default: all); ``model`` replaces the shipped line model.

    With ``sites = 0`` every article gets junk of its own (:func:`~newsfold.synth.wrap_in_junk`) and is
    cleaned alone. With ``sites > 0`` the articles are pages of that many sites, each with its own fixed
    junk above and below the article plus fresh junk inside (:func:`~newsfold.synth.wrap_in_site_junk`),
    and they are cleaned as a stream in arrival order, as the pipeline cleans them: with the memory of lines
    that recur across stories (:mod:`newsfold.clean.repeats`), told each article's labelled story. The
    result then also gives the scores of the same pages cleaned alone (``alone``), from the same run.
    """
    if sites < 0:
        raise ValueError(f"sites must be >= 0, got {sites}")
    import random

    from newsfold.clean.repeats import LineMemory, line_keys
    from newsfold.synth import make_site, wrap_in_junk, wrap_in_site_junk

    rng = random.Random(seed)
    line_model = model or default_model()
    labelled = read_labelled(paths, on_error=on_error)
    order = stream_order([a for a, _ in labelled]) if sites else range(len(labelled))
    site_of = [make_site(rng, kinds=kinds) for _ in range(sites)]
    memory = LineMemory()
    tally, alone = _JunkTally(), _JunkTally()
    start = time.perf_counter()
    for done, i in enumerate(order, 1):
        article, row = labelled[i]
        if sites:
            wrapped, inserted = wrap_in_site_junk(article.text, rng.choice(site_of), rng, kinds=kinds)
        else:
            wrapped, inserted = wrap_in_junk(article.text, rng, kinds=kinds)
        junk_lines = {}
        for text, kind in inserted:
            for line in text.split("\n"):
                if line.strip():
                    junk_lines[line] = kind
        cleaned = clean_text(wrapped, model=line_model)
        if sites:
            alone.add(cleaned.lines, cleaned.reasons, junk_lines)  # before the memory marks it
            keys = line_keys(wrapped)
            memory.mark(cleaned, keys)
            memory.remember(keys, str(row.get("gold_story", article.id)))
        tally.add(cleaned.lines, cleaned.reasons, junk_lines)
        if progress:
            progress(done, len(labelled))
    elapsed = time.perf_counter() - start
    result = {
        "files": [Path(x).name for x in paths],
        "articles": len(labelled),
        "sites": sites,
        **tally.scores(),
        "articles_per_s": len(labelled) / elapsed if elapsed else float("inf"),
    }
    if sites:
        result["alone"] = alone.scores()
    return result
