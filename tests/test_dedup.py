"""Copy detection: word folding and hashing, shingles and the LSH copy index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsfold.article import Article
from newsfold.clean import clean_text
from newsfold.dedup import MIN_CONTAINMENT, CopyIndex, content_hash, shingle_hashes, word_hashes

DAY = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)


def cleaned(article_id: str, paragraphs: list[str], published: datetime | None = None) -> Article:
    """An article as the index sees it: after cleaning."""
    text = "\n\n".join(paragraphs)
    return Article(id=article_id, text=text, clean_text=text, published=published)


# --- words and hashes --------------------------------------------------------------------------------------
def same_words(a: str, b: str) -> bool:
    return word_hashes(a).tolist() == word_hashes(b).tolist()


def test_words_fold_quotes_whitespace_and_case():
    assert same_words("“It’s  DONE”\tnow,\n\nshe said.", "it's done now she said")
    assert word_hashes("“It’s  DONE”\tnow,\n\nshe said.").size == 5
    assert same_words("‘Split–second’ decisions", "'split-second' DECISIONS")
    assert same_words("‘Split–second’ decisions", "split second decisions")
    assert same_words("«Bonjour»   „Hallo“…", "bonjour hallo")
    assert same_words("a\u00a0b\u2009c", "a b c")  # no-break and thin spaces


def test_words_fold_compatibility_forms():
    # NFKC: full-width letters and the "ﬁ" ligature are the plain letters.
    assert same_words("ＮＸ１２１ ﬁrearms", "nx121 firearms")


def test_words_keep_letters_of_other_scripts_and_drop_apostrophes():
    assert word_hashes("Zürich, São Paulo and Αθήνα").size == 5
    assert not same_words("Zürich", "Zurich")
    assert word_hashes("the officers' 'guns' didn't").size == 4
    assert same_words("didn’t", "didnt")
    assert not same_words("didn't", "didn t")


def test_a_word_hashes_the_same_wherever_it_stands():
    hashes = word_hashes("bridge over the river, then the bridge again; a bridge")
    assert hashes[0] == hashes[6] == hashes[9]
    assert len(set(hashes.tolist())) == 7
    assert word_hashes("bridges")[0] != hashes[0]


def test_long_texts_hash_their_words_as_short_ones_do():
    # Longer than the first power tables (64 KiB): they grow, and a word keeps its hash everywhere.
    hashes = word_hashes("bridge council " * 20_000)
    assert hashes.size == 40_000
    assert set(hashes[0::2].tolist()) == {int(word_hashes("bridge")[0])}
    assert set(hashes[1::2].tolist()) == {int(word_hashes("council")[0])}


def test_words_of_nothing():
    assert word_hashes("").size == 0
    assert word_hashes(" \n\t— “ ” ").size == 0


def test_content_hash_is_equal_for_trivial_edits_only():
    base = "The Met has more than 3,000 firearms officers, a spokesman said."
    assert content_hash(base) == content_hash(
        "THE MET has more than  3,000 firearms officers, a spokesman said"
    )
    assert content_hash("“They mustn’t fear it”") == content_hash('"They mustn\'t fear it"')
    assert content_hash(base) != content_hash(base.replace("3,000", "2,000"))
    assert content_hash("the bridge opened") != content_hash("bridge the opened")
    assert len(content_hash(base)) == 40


def test_shingles_are_five_word_runs():
    grams = shingle_hashes(word_hashes("a b c d e f g"))
    assert grams.size == 3
    assert grams[1] == shingle_hashes(word_hashes("b c d e f"))[0]
    assert grams[0] != grams[1]
    assert shingle_hashes(word_hashes("a b c")).size == 1
    assert shingle_hashes(word_hashes("")).size == 0
    assert shingle_hashes(word_hashes("a b c d"), size=2).size == 3


# --- the copy index ----------------------------------------------------------------------------------------
def test_copy_with_a_dropped_paragraph_is_found(reports):
    index = CopyIndex()
    body = reports["bridge"]
    assert index.match(cleaned("original", body, DAY)) is None
    found = index.match(cleaned("copy", body[:4] + body[5:], DAY + timedelta(hours=2)))
    assert found is not None
    assert found.original_id == "original"
    # Every shingle of the shorter text was in the original, except the few across the cut.
    assert MIN_CONTAINMENT <= found.containment < 1.0


def test_copy_with_changed_quote_marks_is_found(reports):
    index = CopyIndex()
    body = reports["bridge"]
    straight = [p.replace("“", '"').replace("”", '"').replace("’", "'") for p in body]
    assert straight != body
    index.match(cleaned("original", body, DAY))
    found = index.match(cleaned("straight", straight, DAY))
    assert found is not None
    assert (found.original_id, found.containment) == ("original", 1.0)


def test_copy_in_other_case_and_spacing_is_found(reports):
    index = CopyIndex()
    body = reports["strike"]
    index.match(cleaned("original", body, DAY))
    shouting = ["  ".join(p.upper().split()) for p in body]
    found = index.match(cleaned("shouting", shouting, DAY))
    assert found is not None and found.original_id == "original"


def test_the_earliest_published_copy_is_the_original(reports):
    index = CopyIndex()
    body = reports["ferry"]
    assert index.match(cleaned("wire-late", body, DAY + timedelta(days=2))) is None
    assert index.match(cleaned("wire-early", body, DAY)).original_id == "wire-late"  # the only one known
    assert index.match(cleaned("wire-mid", body, DAY + timedelta(days=1))).original_id == "wire-early"
    assert index.match(cleaned("wire-last", body, DAY + timedelta(days=3))).original_id == "wire-early"


def test_dated_copies_rank_before_undated_then_earliest_indexed(reports):
    index = CopyIndex()
    body = reports["fire"]
    index.match(cleaned("undated-1", body))
    index.match(cleaned("undated-2", body))
    assert index.match(cleaned("probe-1", body)).original_id == "undated-1"
    index.match(cleaned("dated", body, DAY + timedelta(days=30)))
    assert index.match(cleaned("probe-2", body)).original_id == "dated"


def test_a_copy_of_a_copy_names_the_original_that_lsh_did_not_offer(reports):
    index = CopyIndex()
    body = reports["ferry"]
    assert index.match(cleaned("original", body, DAY)) is None
    assert index.match(cleaned("scraped", body, DAY + timedelta(days=1))).original_id == "original"
    # LSH is probabilistic: a later copy may be offered the scraped copy alone.
    only = [key for key, entry in index._entries.items() if entry.article_id == "scraped"]

    class Missing:
        """The real LSH, except that a query finds only the scraped copy."""

        def __init__(self, lsh):
            self.lsh = lsh

        def query(self, minhash):
            return only

        def insert(self, key, minhash):
            self.lsh.insert(key, minhash)

    index._lsh = Missing(index._lsh)
    assert index.match(cleaned("again", body, DAY + timedelta(days=2))).original_id == "original"


def test_a_copy_of_a_copy_keeps_it_where_the_original_is_not_in_it(reports):
    index = CopyIndex()
    assert index.match(cleaned("short", reports["ferry"], DAY)) is None
    # A later article that holds the first whole and adds as much again (a roundup) copies it...
    roundup = reports["ferry"] + reports["fire"]
    assert index.match(cleaned("roundup", roundup, DAY + timedelta(days=1))).original_id == "short"
    # ...and what copies only the roundup's other half copies the roundup, not the first article.
    assert index.match(cleaned("fire", reports["fire"], DAY + timedelta(days=2))).original_id == "roundup"


def test_same_event_written_differently_is_not_a_copy(reports):
    index = CopyIndex()
    assert index.match(cleaned("bridge", reports["bridge"], DAY)) is None
    assert index.match(cleaned("bridge-other", reports["bridge-other"], DAY)) is None
    assert len(index) == 2


def test_the_two_seeds_are_not_copies(seed_text):
    index = CopyIndex()
    a = seed_text("000_3bbf104ab086ed80")
    b = seed_text("002_80ae66bd9b1465fe")
    # They share whole quoted sentences of the Home Secretary, but each outlet wrote its own report.
    assert "Officers risking their lives to keep us safe have my full backing" in a
    assert "Officers risking their lives to keep us safe have my full backing" in b
    assert index.match(Article(id="a", text=a, clean_text=clean_text(a).text)) is None
    assert index.match(Article(id="b", text=b, clean_text=clean_text(b).text)) is None


def test_unrelated_articles_are_not_copies(reports):
    index = CopyIndex()
    for name in ("bridge", "strike", "ferry", "fire"):
        assert index.match(cleaned(name, reports[name], DAY)) is None
    assert len(index) == 4


def test_a_teaser_of_a_long_report_is_found_by_its_opening(reports):
    # An aggregator's first paragraph of a report and a link: about a tenth of the original's shingles, far
    # too few for LSH to offer the pair, but the same opening.
    index = CopyIndex()
    body = reports["bridge"] + reports["bridge"][::-1]  # a long report: 16 paragraphs
    assert index.match(cleaned("original", body, DAY)) is None
    found = index.match(cleaned("teaser", body[:1], DAY + timedelta(hours=3)))
    assert found is not None and (found.original_id, found.containment) == ("original", 1.0)
    # A report that only starts like it, and then tells another story, is not a copy.
    other = body[:1] + reports["strike"] + reports["ferry"]
    assert index.match(cleaned("same-start", other, DAY + timedelta(hours=4))) is None


def test_a_full_report_is_not_a_copy_of_its_earlier_brief(reports):
    # A two-paragraph brief, then the full report that grows out of it: the report holds the whole brief,
    # but it is the brief expanded, and must not be hidden as its copy.
    index = CopyIndex()
    body = reports["bridge"] + reports["strike"]
    assert index.match(cleaned("brief", body[:2], DAY)) is None
    assert index.match(cleaned("full", body, DAY + timedelta(hours=1))) is None


def test_openings_age_out_with_their_articles(reports):
    index = CopyIndex(capacity=2)
    body = reports["bridge"] + reports["bridge"][::-1]
    index.match(cleaned("long", body, DAY))
    index.match(cleaned("strike", reports["strike"], DAY))
    index.match(cleaned("ferry", reports["ferry"], DAY))  # "long" leaves the index
    assert index.match(cleaned("teaser", body[:1], DAY)) is None
    assert all(postings for postings in index._openings.values())
    assert {key for postings in index._openings.values() for key in postings} <= set(index._entries)


def test_short_texts_are_neither_matched_nor_indexed():
    index = CopyIndex()
    short = "Council approves the bridge by 31 votes to 12 on Tuesday."  # 11 words: 7 shingles
    assert index.match(cleaned("a", [short])) is None
    assert index.match(cleaned("b", [short])) is None
    assert len(index) == 0


def test_remember_indexes_without_matching(reports):
    index = CopyIndex()
    index.remember(cleaned("stored", reports["bridge"], DAY))
    index.remember(cleaned("stored-copy", reports["bridge"], DAY))  # no match reported, just indexed
    assert len(index) == 2
    assert (
        index.match(cleaned("new-copy", reports["bridge"], DAY + timedelta(days=1))).original_id == "stored"
    )


def test_the_oldest_entries_age_out(reports):
    index = CopyIndex(capacity=2)
    index.match(cleaned("bridge", reports["bridge"], DAY))
    index.match(cleaned("strike", reports["strike"], DAY))
    index.match(cleaned("ferry", reports["ferry"], DAY))
    assert len(index) == 2
    assert index.match(cleaned("bridge-again", reports["bridge"], DAY)) is None  # "bridge" was forgotten
    assert index.match(cleaned("ferry-again", reports["ferry"], DAY)).original_id == "ferry"


@pytest.mark.parametrize("threshold", [0.6, 0.95])
def test_min_containment_is_honoured(reports, threshold):
    index = CopyIndex(min_containment=threshold)
    body = reports["bridge"]
    index.match(cleaned("original", body, DAY))
    # Six paragraphs of the original and two of another report: about three quarters of it is copied.
    mixed = index.match(cleaned("mixed", body[:6] + reports["ferry"][:2], DAY))
    if threshold == 0.95:
        assert mixed is None
    else:
        assert mixed is not None and 0.7 <= mixed.containment < 0.8
    # An excerpt lies wholly inside the original (containment is over the smaller text).
    excerpt = CopyIndex(min_containment=threshold)
    excerpt.match(cleaned("original", body, DAY))
    found = excerpt.match(cleaned("excerpt", body[:6], DAY))
    assert found is not None and found.containment == 1.0
