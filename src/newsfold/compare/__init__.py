"""Compare the sources of a story: shared and unique facts, quotes and speakers, figures, who and where.

Reads the clean text of a story's articles; a copy (``duplicate_of`` set) is shown in the timeline but not
compared, since it would make every sentence of its original look "shared". Each part lives in its own
module: :mod:`.sentences` (alignment), :mod:`.quotes`, :mod:`.figures`, :mod:`.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsfold.article import Article, Story
from newsfold.compare.entities import EntityGroup, extract_entities, merge_entities
from newsfold.compare.figures import FigureGroup, compare_figures, figures_of
from newsfold.compare.quotes import QuoteGroup, extract_quotes, group_quotes, is_title, quote_words
from newsfold.compare.sentences import SharedFact, align, content_words, split_sentences

__all__ = ["Comparison", "compare_story"]

SUMMARY_SENTENCES = 3
#: Sentences of an article's opening that count as its lead.
LEAD_SENTENCES = 3


@dataclass(slots=True)
class Comparison:
    """What a story's outlets report in common, what each adds, who they quote, and where they disagree."""

    story_id: str
    headline: str
    summary: list[str]
    timeline: list[dict[str, Any]]
    shared: list[SharedFact] = field(default_factory=list)
    unique: dict[str, list[str]] = field(default_factory=dict)
    related: list[SharedFact] = field(default_factory=list)
    quotes: list[QuoteGroup] = field(default_factory=list)
    figures: list[FigureGroup] = field(default_factory=list)
    entities: list[EntityGroup] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The comparison fields of ``newsfold export stories`` (see README)."""
        return {
            "headline": self.headline,
            "summary": self.summary,
            "timeline": self.timeline,
            "shared": [{"text": s.text, "article_ids": list(s.article_ids)} for s in self.shared],
            "unique": {aid: list(sentences) for aid, sentences in self.unique.items()},
            "related": [
                {"text": r.text, "article_ids": list(r.article_ids), "variants": dict(r.variants)}
                for r in self.related
            ],
            "quotes": [
                {"text": q.text, "speaker": q.speaker, "article_ids": list(q.article_ids)}
                for q in self.quotes
            ],
            "figures": [
                {
                    "text": f.text,
                    "value": f.value,
                    "counts": f.counts,
                    "article_ids": list(f.article_ids),
                    "conflict": f.conflict,
                    "variants": sorted({v.text for v in f.variants}),
                }
                for f in self.figures
            ],
            "entities": [
                {"name": e.name, "type": e.type, "article_ids": list(e.article_ids)} for e in self.entities
            ],
        }


def _body(article: Article) -> str:
    """The clean text to compare: without a first line that repeats the headline (pages and feeds often
    carry it in the text), which is no fact of the story."""
    text = article.clean_text
    if article.title:
        first, _, rest = text.lstrip().partition("\n")
        if _folded(first) == _folded(article.title):
            return rest.lstrip("\n")
    return text


def _summary(shared: list[SharedFact], bodies: Sequence[str], titles: set[str]) -> list[str]:
    # Extractive. News puts the event in its first sentences (the lead), so: what most outlets agree on in
    # their leads first, then the first article's lead, then the other shared facts (background several
    # outlets repeat). A sentence that is somebody's words (it opens with a quotation, or starts inside one
    # that an earlier sentence opened) is not the news: it comes only when nothing else is left. A headline
    # is not a sentence of the story.
    leads = {sentence for body in bodies for sentence in split_sentences(body)[:LEAD_SENTENCES]}
    by_support = sorted(shared, key=lambda s: -len(s.article_ids))
    in_leads = [s.text for s in by_support if leads.intersection(s.variants.values()) or s.text in leads]
    first_lead = (
        [s for s in split_sentences(bodies[0])[:LEAD_SENTENCES] if len(s.split()) >= 6] if bodies else []
    )
    rest = [s.text for s in by_support]
    candidates = [c for c in dict.fromkeys([*in_leads, *first_lead, *rest]) if _folded(c) not in titles]
    chosen: list[str] = []
    # Then a sentence that leans on the one before it ("He went on, ...", "But it ...") is read only after
    # those that stand alone: a summary's sentences are read without their neighbours.
    for sentence in sorted(candidates, key=lambda c: (_quoted(c), _leans_back(c))):  # stable otherwise
        words = content_words(sentence)
        # A sentence that mostly repeats one already chosen (a shared fact and the lead saying it again)
        # adds nothing.
        if any(_repeats(words, content_words(c)) for c in chosen):
            continue
        chosen.append(sentence)
        if len(chosen) == SUMMARY_SENTENCES:
            break
    return chosen


_LEANS_BACK = frozenset(
    "he she they it this these those his her their its but and however also meanwhile still yet so then "
    "instead nevertheless moreover furthermore".split()
)


def _leans_back(sentence: str) -> bool:
    """Whether a sentence opens with a word that points back to the sentence before it (a pronoun, "But")."""
    first = re.match(r"[\W_]*([A-Za-z]+)", sentence)
    return bool(first and first.group(1).lower() in _LEANS_BACK)


def _repeats(words: frozenset[str], other: frozenset[str]) -> bool:
    return bool(words) and len(words & other) >= 0.6 * min(len(words), len(other))


def _folded(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!?:;")


# A closing quote mark: ” or », a straight double one right after a word or a stop, or a single one (also an
# apostrophe: "senators' votes", "don’t") only right after a stop: 'he said,' she wrote.
_CLOSING = re.compile(r"[”»]|(?<=[\w.,!?])\"(?=[\s,.;:!?]|$)|(?<=[.,!?])['’](?=[\s]|$)")
_OPENING = re.compile(r"[“‘«„]|(?<![\w])[\"'](?=\w)")


def _quoted(sentence: str) -> bool:
    """Whether a sentence is somebody's words: it opens with a quotation mark, or closes one before it opens
    any (the rest of a quotation that began in the sentence before: 'Now is the hour," he said.')."""
    text = sentence.lstrip()
    if text[:1] in "\"“‘«'„":
        return True
    closing, opening = _CLOSING.search(text), _OPENING.search(text)
    return closing is not None and (opening is None or closing.start() < opening.start())


def _statement(group: QuoteGroup) -> bool:
    """Whether quoted words are somebody's statement: a scare-quoted term ("the “wall”", "“easy money”") is
    one or two words that nobody is said to have said."""
    if all(is_title(q) for q in group.quotes):
        return False  # a show's or a policy's name in quote marks: NBC's “Meet the Press”
    return any(q.speaker for q in group.quotes) or len(quote_words(group.text)) >= 3


def _without_pieces(groups: list[QuoteGroup]) -> list[QuoteGroup]:
    """The quotes without those that are a few words of a longer quote listed too (“beyond politics” beside
    the whole sentence it comes from): the longer one already shows them, with its speaker."""
    texts = [f" {' '.join(quote_words(g.text))} " for g in groups]
    kept = []
    for i, group in enumerate(groups):
        words = texts[i]
        piece = len(words.split()) <= 6 and any(
            j != i and len(other) > len(words) and words in other for j, other in enumerate(texts)
        )
        if not piece:
            kept.append(group)
    return kept


def compare_story(story: Story, articles: Sequence[Article]) -> Comparison:
    """Compare the articles of ``story`` (in arrival order)."""
    originals = [a for a in articles if not a.duplicate_of]
    pairs = [(a.id, _body(a)) for a in originals]
    alignment = align(pairs) if len(pairs) > 1 else None
    shared = alignment.shared if alignment else []
    unique = alignment.unique if alignment else {}
    related = alignment.related if alignment else []
    quotes = group_quotes(
        [q for aid, text in pairs for q in extract_quotes(text, aid)], [t for _, t in pairs]
    )
    figures = compare_figures(figures_of(pairs))
    entities = merge_entities({aid: extract_entities(text) for aid, text in pairs})
    timeline = sorted(
        (
            {
                "article_id": a.id,
                "source": a.source,
                "published": a.published.isoformat() if a.published else None,
                "duplicate_of": a.duplicate_of,
            }
            for a in articles
        ),
        key=lambda row: (row["published"] is None, row["published"] or ""),
    )
    return Comparison(
        story_id=story.id,
        headline=story.title,
        summary=_summary(
            shared, [text for _, text in pairs], {_folded(a.title) for a in originals if a.title}
        ),
        timeline=timeline,
        shared=shared,
        unique=unique,
        related=related,
        quotes=_without_pieces([q for q in quotes if _statement(q)]),
        figures=[f for f in figures if len(f.article_ids) > 1 or f.conflict],
        entities=entities,
    )
