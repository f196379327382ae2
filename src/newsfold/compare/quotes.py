"""Direct quotes in news text, who said them, and the same quote across outlets.

Reads an article's clean text; returns :class:`Quote` records (text, speaker, character offsets) and, over the
articles of a story, :class:`QuoteGroup` records: one per statement, with the articles that carry it.

Extraction (:func:`extract_quotes`) is rules only, no model: several hundred articles a second.

* Quote marks: curly ``“ ”``, straight ``"``, low ``„``, guillemets, the ``\u0060\u0060 ... ''`` pairs of
  tokenised corpora, and curly single ``‘ ’`` outside double quotes when they clearly quote (not an apostrophe
  or a plural possessive). Straight marks pair by alternation, so tokenised text such as
  ``" We appreciate ... , " the judge said`` works, and its spacing is tidied in ``Quote.text``.
* A quote left open at the end of a paragraph continues when the next paragraph opens with a quote mark (the
  news convention for long statements); one short paragraph without quote marks in between (a photo caption
  the cleaner missed) is stepped over.
* ``partial`` marks a quote woven into the reporter's sentence: it starts mid-sentence or in lower case, as in
  officers “mustn't fear ending up in the dock”. A short title-case quote inside a sentence (NBC's “Today”
  show, a “Tent City”) is a name, not speech: it is kept, never attributed, and never passes a speaker on.

Attribution is precision first: a wrong speaker is worse than ``None``. In order of trust:

1. After the quote: ``“...,” said X`` / ``“...,” X said`` (also with appositives and party tags: ``X, a
   spokesman for Y, said``, ``Rep. X, R-N.Y., said``), ``according to X``.
2. Before the quote, in its sentence: ``X said: “...”``, ``X told PA: “...”``, ``X posted on X on Sunday:
   “...”``, ``X insisted that officers “...”``, ``X called it “...”``, ``X ..., saying “...”`` (the subjects of
   the sentence's clauses), ``said X, who added that “...”``; a paragraph that is only a quote after one
   ending in a colon (``X tweeted:``). When the subjects found do not all resolve to one speaker (``A said B
   called it “...”``), the speaker is ``None``. Passives and negations do not attribute.
3. A quote with no attribution of its own takes the speaker of the previous quote in its paragraph if its own
   sentence names nobody, or of the previous paragraph's last quote when the paragraph is nothing but the
   quote and the previous one ended with that quote's attribution.

Speakers are resolved and normalised within the article:

* Names lose titles, occupations and honorifics and take the fullest form the article uses (a quoted nickname
  left out: 'William "Mo" Cowan' is William Cowan; a title-cased headline, whose runs swallow verbs, gives
  no full forms): "Mrs Braverman"
  and "Home Secretary Suella Braverman" are both "Suella Braverman". A surname two people share ("Bill
  Clinton", "Hillary Clinton") is left as written. A lone capitalised word the article also writes in lower
  case ("Police", "Authorities") is not a name.
* Organisations speaking through a spokesperson are named as the attribution writes them, less articles and
  the role noun: "A Met Police spokesman" and "a spokesperson for Google" give "Met Police" and "Google";
  "the Met" is expanded to "Met Police" when that is the one longer organisation name it starts. A
  spokesperson of a person ("Reid's rep", "her spokesman") or of nobody named ("a Western diplomat") gives
  ``None``. "The spokesperson" resolves to the organisation whose spokesperson was last quoted or mentioned
  in the last few paragraphs, unless another organisation's spokesperson is as near; "the company", "the
  ministry" and the like to the one organisation in the same and the previous paragraph.
* ``he``/``she`` resolve to the one person in reach: speakers and clause subjects of the previous paragraph,
  and people named earlier in the same paragraph (an object can block but is never the answer). With
  several, the speaker quoted last wins only when nobody else was named after them; otherwise ``None``. A
  pronoun whose own sentence names exactly one person, as its subject, resolves to that person; in a relative
  clause ("at Trump, whom he called ...") the pronoun is never the relative pronoun's antecedent. Gender is
  used only when an honorific gives it. ``they`` is never resolved.
* A title ("the Home Secretary", "the senator", "the House speaker") resolves to the one person the article
  gives that title; when it gives it to nobody, to the person whose full name opens the article's first
  paragraph, if that person has no other title. Capitalised adjectives in the role ("the Republican
  senator") are ignored, and a "former" title only matches a "former" role.

:func:`group_quotes` groups the quotes of a story: two quotes are the same statement when, after folding
quote marks, case, punctuation and whitespace, one contains the other (the shorter at least four words long),
or their word 5-grams have a Jaccard similarity of at least 0.5 or a containment of at least 0.8. Shorter
quotes group only with an identical one. Groups are transitive (union-find). The group's speaker is the one
most articles give, counting name forms of one person together ("Braverman", "Suella Braverman"); a tie gives
``None``.

Measured on the BASIL dev half with ``bench/quotes.py``. A spaCy NER filter on the names found was tried and
not kept: same BASIL figures, 21 of 1,742 speakers changed over all dev articles (mostly right ones lost), and
about a hundred times slower.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Quote",
    "QuoteGroup",
    "extract_quotes",
    "is_title",
    "group_quotes",
    "quote_words",
    "same_speaker",
]


@dataclass(slots=True, frozen=True)
class Quote:
    """One direct quote: its words, who said them (or ``None``), and where it sits in the article's text.

    ``start``/``end`` bound the quoted words in the text ``extract_quotes`` was given, outer quote marks
    excluded; a quote over several paragraphs spans them all. ``text`` is those words with the paragraph
    breaks and continuation marks removed and whitespace (and tokenised spacing) tidied.
    """

    text: str
    speaker: str | None
    article_id: str
    start: int
    end: int
    partial: bool = False


@dataclass(slots=True)
class QuoteGroup:
    """One statement as carried by one or more articles of a story."""

    text: str
    speaker: str | None
    article_ids: list[str]
    quotes: list[Quote] = field(default_factory=list)


# --- word lists --------------------------------------------------------------------------------------------

_SAY_VERBS = frozenset(
    """said says say told tells added adds asked asks explained explains stated states wrote writes tweeted
    tweets posted posts declared declares insisted insists argued argues claimed claims warned warns noted notes
    continued continues recalled recalls replied replies responded responds answered answers acknowledged
    acknowledges admitted admits conceded concedes announced announces confirmed confirms stressed stresses
    emphasised emphasized emphasises emphasizes urged urges remarked remarks quipped quips joked jokes shouted
    shouts yelled yells countered counters retorted retorts reiterated reiterates observed observes predicted
    predicts suggested suggests pledged pledges promised promises vowed vows boasted boasts complained
    complains lamented laments charged charges alleged alleges testified testifies maintained maintains
    contended contends concluded concludes cautioned cautions wondered wonders mused muses cried exclaimed
    pleaded pleads begged whispered asserted asserts""".split()
)
# Verbs that put a partial quote in their subject's mouth ("X called it “a disgrace”"), only used before a
# quote in the same sentence.
_STANCE_VERBS = frozenset(
    """called calls described describes accused accuses blamed blames praised praises criticised criticized
    criticises criticizes slammed slams blasted blasts labeled labelled labels branded brands dubbed dubs
    hailed hails decried decries denounced denounces condemned condemns dismissed dismisses derided derides
    mocked mocks attacked attacks demanded demands questioned questions termed terms characterised
    characterized affirmed affirms""".split()
)
# Participles whose subject is the subject of the main clause ("He accused Obama ..., saying “...”").
_PARTICIPLES = frozenset(
    """saying adding telling writing noting arguing warning insisting claiming declaring explaining calling
    describing accusing asking stressing tweeting stating urging""".split()
)
_AUX = frozenset(
    """has have had will would could should may might must also later then again previously once earlier
    recently since did does do just already still repeatedly reportedly himself herself themselves itself
    even""".split()
)
_NEGATION = frozenset("not never n't".split())
_PRONOUNS = frozenset("he she they".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_PARTICLES = frozenset("de van von der den da del della di du la le bin al ter".split())  # inside names
_CONNECTORS = frozenset("of for de van von der den da del della di du la le bin al ter and".split())
# Words that open a sentence and are capitalised for that reason only.
_STOP_CAPS = frozenset(
    """the a an but and or so as when if in on at after before while meanwhile however then also still yet now
    earlier later asked speaking according this that these those his her their its our my your it he she
    they we i you there here what who why how where which many some most other another one both all even
    several few various numerous
    only just like unlike since because although though despite during for from to with without by of over
    under through than not no yes instead indeed reacting responding writing appearing interviewed told last
    next first new fellow controversial veteran embattled outspoken longtime top senior leading prominent
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
_HONORIFICS = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "mx": "",
    "dr": "",
    "sir": "m",
    "dame": "f",
    "lord": "m",
    "lady": "f",
    "prof": "",
    "rev": "",
    "reverend": "",
    "fr": "m",
    "father": "m",
    "sister": "f",
    "brother": "m",
}
# Office titles; abbreviations are expanded so that "Sen. X" and "the senator" meet.
_TITLE_ABBREV = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "pres": "president",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "capt": "captain",
    "cmdr": "commander",
    "adm": "admiral",
    "sgt": "sergeant",
    "insp": "inspector",
    "supt": "superintendent",
    "det": "detective",
    "atty": "attorney",
    "cllr": "councillor",
    "congressman": "representative",
    "congresswoman": "representative",
    "congressmember": "representative",
}
_TITLES = frozenset(
    """president vice prime minister secretary chancellor senator representative delegate governor lieutenant
    mayor sheriff judge justice attorney general counsel speaker leader whip chairman chairwoman chair
    chairperson commissioner superintendent inspector detective constable sergeant officer chief director
    ambassador king queen prince princess pope bishop archbishop cardinal rabbi imam pastor colonel major
    captain admiral commander professor doctor host anchor correspondent candidate nominee coach premier
    councillor mp mep baroness baron earl duke duchess former acting deputy assistant majority minority
    presidential president-elect first spokesman spokeswoman spokesperson""".split()
) | frozenset(_TITLE_ABBREV)
_TITLE_HEADS = _TITLES - frozenset("former acting deputy assistant majority minority vice first".split())
# Occupations that stand before a name ("Actor Leonardo DiCaprio", "General Manager A.J. Smith"); unlike
# titles they are never a role on their own.
_JOB_WORDS = frozenset(
    """manager executive founder owner actor actress singer rapper author writer producer filmmaker player
    star lawyer agent analyst economist scientist researcher expert strategist consultant adviser advisor aide
    official activist attorney""".split()
)
# Role nouns through which an organisation speaks.
_SPOKES = frozenset(
    """spokesman spokeswoman spokesperson spokespeople spokesmen spokeswomen representative rep reps
    publicist""".split()
)
# Nouns that name an organisation ("the company said"); with a name before them they form one
# ("the Obama campaign said").
_ORG_NOUNS = frozenset(
    """company ministry department force agency campaign party government administration committee group
    organisation organization firm office council union board commission authority authorities police
    court army military team club charity network""".split()
)
_ORG_WORDS = frozenset(
    """ministry department dept office police agency party council committee commission court university college
    school association union corporation corp inc ltd llc plc company co group campaign service services force
    forces army navy administration government parliament congress senate house assembly bank fund foundation
    institute center centre trust board bureau network news times post press journal magazine tribune
    guardian telegraph church hospital authority authorities federation organisation organization coalition
    alliance league club society team media yard commons lords cabinet""".split()
)
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday god republican republicans democrat democrats democratic
    conservative conservatives liberal liberals labour tory tories american americans british english french
    german european christian catholic muslim jewish""".split()
)
_ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof sen rep gov gen lt col capt cmdr adm sgt insp supt det atty cllr rev fr st jr sr
    inc co corp ltd no vs jan feb mar apr jun jul aug sep sept oct nov dec mt ft hon pres""".split()
)
_PREPOSITIONS = frozenset(
    """of to by with from for against about at on in into onto than like via over under behind between among
    toward towards upon within without across through per versus amid amidst""".split()
)
# Before a subject: the NP opens its clause.
_CLAUSE_OPENERS = frozenset(
    """and but as while when that because though although so after before since if where whereas then yet
    also""".split()
)

# --- text helpers ------------------------------------------------------------------------------------------

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "`": "'"})
_WORD_RE = re.compile(r"\w+(?:'\w+)*")


def quote_words(text: str) -> list[str]:
    """The words of a quote after folding quote marks and case: what :func:`group_quotes` compares."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).lower().replace("''", " ")
    return _WORD_RE.findall(folded)


def _tidy(text: str) -> str:
    """Collapse whitespace and undo tokenised spacing ("word , word" -> "word, word")."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{])\s+", r"\1", text)
    text = re.sub(r"(\w)\s+(['’](?:s|re|ve|ll|d|m|t)\b|n['’]t\b)", r"\1\2", text)
    return text.strip(" ,;:")


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# --- tokens ------------------------------------------------------------------------------------------------

# A word (with inner apostrophes, hyphens and dotted abbreviations such as "U.S." or "D-N.Y."), a number, or
# one punctuation character.
_TOKEN_RE = re.compile(r"[^\W\d_](?:[\w’'\-]|\.(?=[^\W\d_]))*\.?|\d[\w,.:\-]*\w|\d|[^\w\s]")


class _Tok:
    """One token with its offsets; ``low`` drops case and a trailing full stop."""

    __slots__ = ("text", "start", "end", "low", "is_word", "is_cap")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.low = text.lower().rstrip(".")
        self.is_word = text[0].isalpha()
        self.is_cap = text[0].isupper()


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[_Tok]:
    """Tokens of ``text[start:end]`` with absolute offsets; a sentence-final full stop is its own token."""
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        if len(word) > 1 and word.endswith(".") and word[0].isalpha():
            core = word[:-1]
            low = core.lower()
            # A party tag's full stop ends nothing inside "(D-Calif.)" or before ", said"; at "D-Phoenix. “We"
            # it ends the sentence.
            party = _PARTY_TAG.match(core) and text[m.end() : m.end() + 1] in (")", ",")
            if not (low in _ABBREVIATIONS or len(core) == 1 or "." in core or party):
                out.append(_Tok(core, m.start(), m.end() - 1))
                out.append(_Tok(".", m.end() - 1, m.end()))
                continue
        out.append(_Tok(word, m.start(), m.end()))
    return out


def _nicknamed(toks: list[_Tok], runs: list[tuple[int, int]]) -> Iterator[tuple[int, int, list[str]]]:
    """Capitalised runs with their words; a quoted nickname joins the runs around it and is left out:
    'William "Mo" Cowan' is William Cowan."""
    k = 0
    while k < len(runs):
        i, j = runs[k]
        words = [t.text for t in toks[i:j]]
        if k + 2 < len(runs):
            (a, b), (c, d) = runs[k + 1], runs[k + 2]
            marks = [t.text for t in (toks[a - 1], toks[b])] if a >= 1 and b < len(toks) else []
            if a == j + 1 and c == b + 1 and len(marks) == 2 and all(m in ('"', "“", "”") for m in marks):
                yield i, d, words + [t.text for t in toks[c:d]]
                k += 3
                continue
        yield i, j, words
        k += 1


def _title_cased(toks: list[_Tok]) -> bool:
    """Whether a paragraph is a title-cased headline: its small words capitalised too ("Of", "To", "For")."""
    words = [t for t in toks if t.is_word]
    small = [t for t in words[1:] if t.low in _SMALL_WORDS]
    return (
        len(words) >= 4 and len(small) >= 1 and all(t.is_cap for t in words) and all(t.is_cap for t in small)
    )


def _is_boundary(toks: list[_Tok], i: int) -> bool:
    """Whether token ``i`` ends a sentence: . ! ? followed by a capitalised word or nothing."""
    if toks[i].text not in ".!?":
        return False
    return i + 1 >= len(toks) or toks[i + 1].is_cap or not toks[i + 1].is_word


# --- names -------------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Name:
    """A parsed capitalised run: a person or organisation name, or only a title ("the Home Secretary")."""

    words: tuple[str, ...]
    kind: str  # "person", "org" or "title"
    title: tuple[str, ...] = ()
    gender: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _clean_word(w: str) -> str:
    w = re.sub(r"['’]s?$", "", w) if re.search(r"\w['’]s?$", w) and not re.search(r"^\w['’]\w", w) else w
    return w.rstrip(".") if not (len(w) == 2 and w.endswith(".")) else w


def _is_head(word: str) -> bool:
    """A title that names an office on its own: "secretary", "secretary-general" (not "former", "deputy")."""
    return word in _TITLE_HEADS or ("-" in word and word.rsplit("-", 1)[-1] in _TITLE_HEADS)


def _norm_title(words: Iterable[str]) -> tuple[str, ...]:
    out = []
    for w in words:
        low = w.lower().rstrip(".")
        out.append(_TITLE_ABBREV.get(low, low))
    return tuple(out)


def _parse_run(words: Sequence[str]) -> _Name | None:
    """Split a capitalised run into title and name, and tell a person from an organisation."""
    return _parse_run_cached(tuple(words))


@functools.lru_cache(maxsize=65536)
def _parse_run_cached(run: tuple[str, ...]) -> _Name | None:
    words = [w for w in run if w]
    # "A." is an initial, not the article; "New" begins "New York", "New Jersey", not just a sentence.
    while words and words[0].lower() in _STOP_CAPS and not (words[0] == "New" and len(words) > 1):
        words = words[1:]
    if not words:
        return None
    words = [*words[:-1], _clean_word(words[-1])]
    while len(words) > 1 and words[-1].lower().rstrip(".") in _SUFFIXES:  # "George T. Conway III"
        words = words[:-1]
    lows = [w.lower().rstrip(".") for w in words]
    # "Secretary-General", "Brigadier-General": a hyphenated title counts as its last part.
    lows = [lw.rsplit("-", 1)[-1] if "-" in lw and lw.rsplit("-", 1)[-1] in _TITLES else lw for lw in lows]
    # "Representatives Brad Sherman of California and Al Green": a plural title before the first name.
    lows = [lw[:-1] if lw.endswith("s") and lw[:-1] in _TITLES else lw for lw in lows]
    # The last title word splits title from name: "Arizona Sheriff Joe Arpaio", "House Speaker Nancy Pelosi".
    cut = -1
    for i, low in enumerate(lows):
        if low in _TITLES or low in _HONORIFICS or (low in _JOB_WORDS and i < len(lows) - 1):
            cut = i
    title = list(words[: cut + 1])
    name = list(words[cut + 1 :])
    while cut >= 0 and len(name) > 2 and name[0].lower() in _CONNECTORS:  # "Secretary of State Mike Pompeo"
        n = 3 if name[1].lower() == "the" else 2  # "Secretary of the Interior Ken Salazar"
        title += name[:n]
        name = name[n:]
        # The office may run to more words ("Director of National Intelligence James Clapper", "Secretary of
        # Homeland Security Kirstjen Nielsen"): the name is the last two words, or three with an initial.
        keep = 3 if len(name) >= 3 and re.fullmatch(r"[A-Z]\.?", name[-2]) else 2
        if len(name) > keep and not any(w.lower() in _CONNECTORS for w in name):
            title += name[:-keep]
            name = name[-keep:]
    if cut >= 0:  # "Justice Ginsburg of the U.S. Supreme Court": a titled person's "of" phrase is their post
        for i, w in enumerate(name):
            if i > 0 and w.lower() in _CONNECTORS and w.lower() not in _PARTICLES:
                name = name[:i]
                break
    name_lows = [w.lower().rstrip(".") for w in name]
    acronym = len(words) == 1 and words[0].isupper() and len(words[0]) > 1
    if acronym or (any(low in _ORG_WORDS for low in name_lows) or (not name and cut < 0)):
        if any(low in _ORG_WORDS for low in lows) or acronym:
            return _Name(tuple(words), "org")
    gender = ""
    for low in lows[: cut + 1]:
        gender = _HONORIFICS.get(low, gender) or gender
    if not name and len(lows) > 1 and lows[-1] in _SPOKES and lows[-2] not in _TITLES:
        return _Name(tuple(words[:-1]), "org")  # "Met Police Spokesman"
    if not name:
        heads = [w for w in _norm_title(title) if _is_head(w)]
        if not heads:
            return None
        return _Name((), "title", _norm_title(title))
    # "Mitch McConnell of Kentucky": a person's "of" phrase is where they are from.
    for i, w in enumerate(name):
        if w.lower() in _CONNECTORS and w.lower() not in _PARTICLES:
            name = name[:i]
            break
    if not name or len(name) > 4:
        return None
    if any(w.lower().rstrip(".") in _NOT_NAMES for w in name):
        return None
    if any(not (w[0].isupper() or w.lower() in _CONNECTORS) for w in name):
        return None
    title_words = tuple(w for w in _norm_title(title) if w not in _HONORIFICS)
    return _Name(tuple(name), "person", title_words, gender)


@functools.lru_cache(maxsize=65536)
def _name_key(word: str) -> str:
    return _strip_accents(word).lower().rstrip(".").replace("’", "'")


def is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    """Whether ``short`` occurs in ``long`` in order, with gaps allowed."""
    it = iter(long)
    return all(any(s == w for w in it) for s in short)


# --- quote marks -------------------------------------------------------------------------------------------

_OPENERS = {"“", "„", "«", "``"}
_CLOSERS = {"”", "»", "''"}
_MARK_RE = re.compile(r"``|''|[“”„«»\"]")
_SINGLE_RE = re.compile(r"[‘’]")


@dataclass(slots=True)
class _Span:
    """A quote being assembled: content segments, one per paragraph it covers."""

    segments: list[tuple[int, int]]  # (start, end) of content, per paragraph
    paras: list[int]
    open_mark: int  # offset of the opening mark
    after: int = -1  # offset just past the closing mark; -1 while open or when never closed
    closed: bool = False


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _starts_with_opener(text: str, para: tuple[int, int]) -> int:
    """Length of the quote mark that opens the paragraph, or 0."""
    s, e = para
    m = _MARK_RE.match(text, s, e)
    if not m or m.group() in _CLOSERS and m.group() != "”":
        return 0
    return len(m.group())


def _find_spans(text: str, paras: list[tuple[int, int]]) -> list[_Span]:
    spans: list[_Span] = []
    cur: _Span | None = None
    pi = 0
    while pi < len(paras):
        ps, pe = paras[pi]
        pos = ps
        if cur is not None:  # this paragraph continues a quote: its opening mark is not a new quote
            pos = ps + _starts_with_opener(text, paras[pi])
            cur.segments.append((pos, pe))
            cur.paras.append(pi)
        for m in _MARK_RE.finditer(text, pos, pe):
            mark, at = m.group(), m.start()
            prev = text[at - 1] if at > ps else " "
            nxt = text[m.end()] if m.end() < pe else " "
            if cur is None:
                if not text[m.end() : pe].strip():
                    continue  # a stray mark at the end of a paragraph opens nothing
                if mark in _OPENERS or mark == '"' or (mark == "”" and prev.isspace() and nxt.isalnum()):
                    cur = _Span([(m.end(), pe)], [pi], at)
                continue
            seg_start = cur.segments[-1][0]
            empty = not text[seg_start:at].strip()
            if mark in _OPENERS and not empty and len(cur.segments) == 1:
                # A new opening mark inside an open quote: the first one was never closed.
                cur.segments[-1] = (seg_start, at)
                spans.append(cur)
                cur = _Span([(m.end(), pe)], [pi], at)
            elif empty and len(cur.segments) == 1:
                # `""We ...` or `“ “`: the real opening mark is this one.
                cur.segments[-1] = (m.end(), pe)
                cur.open_mark = at
            else:
                cur.segments[-1] = (seg_start, at)
                cur.after = m.end()
                cur.closed = True
                spans.append(cur)
                cur = None
        if cur is not None:
            nxt_pi = pi + 1
            if nxt_pi < len(paras) and _starts_with_opener(text, paras[nxt_pi]):
                pi = nxt_pi
                continue
            if (
                nxt_pi + 1 < len(paras)
                and not _MARK_RE.search(text, *paras[nxt_pi])
                and len(text[slice(*paras[nxt_pi])].split()) <= 30
                and _starts_with_opener(text, paras[nxt_pi + 1])
            ):
                pi = nxt_pi + 1  # step over a caption between two paragraphs of one quote
                continue
            spans.append(cur)  # never closed: ends with its paragraph
            cur = None
        pi += 1
    return [s for s in spans if any(text[a:b].strip(" ,.;:-—–'’") for a, b in s.segments)]


def _single_spans(text: str, paras: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[_Span]:
    """Curly single quotes used as quote marks, outside double-quoted text, within one paragraph."""
    spans = []
    for pi, (ps, pe) in enumerate(paras):
        pos = ps
        while True:
            m = re.compile("‘").search(text, pos, pe)
            if not m:
                break
            at = m.start()
            pos = m.end()
            if any(a <= at < b for a, b in taken):
                continue
            prev = text[at - 1] if at > ps else " "
            nxt = text[at + 1] if at + 1 < pe else " "
            if not (prev.isspace() or prev in "([—–") or not nxt.isalnum():
                continue
            close = None
            for c in _SINGLE_RE.finditer(text, at + 1, pe):
                if c.group() == "‘":
                    break
                after = text[c.end()] if c.end() < pe else " "
                before = text[c.start() - 1]
                if after.isalnum() or before.isspace():
                    continue  # an apostrophe inside a word
                if before in "sS" and after == " " and c.end() + 1 < pe and text[c.end() + 1].islower():
                    continue  # a plural possessive: "officers’ duties"
                close = c
                break
            if close is None:
                continue
            spans.append(_Span([(at + 1, close.start())], [pi], at, close.end(), True))
            pos = close.end()
    return spans


# --- attribution -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _NP:
    """A speaker phrase found next to a quote."""

    kind: str  # "name", "pronoun", "spokes", "orgrole", "title"
    name: _Name | None = None
    word: str = ""
    definite: bool = False
    pos: int = 0


@dataclass(slots=True)
class _Speaker:
    name: str
    kind: str  # "person" or "org"
    pos: int
    para: int
    spokes: bool = False


class _Article:
    """Everything attribution needs to know about one article."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paras = _paragraphs(text)
        self.ptoks = [_tokens(text, ps, pe) for ps, pe in self.paras]
        self.lower = set(re.findall(r"\b[a-z][a-z\-]+\b", text))
        spans = _find_spans(text, self.paras)
        taken = [(s.open_mark, s.after if s.after > 0 else s.segments[-1][1]) for s in spans]
        spans += _single_spans(text, self.paras, taken)
        spans.sort(key=lambda s: s.open_mark)
        self.spans = spans
        # Quoted ranges (marks included), to keep names inside quotes out of the candidates.
        self.quoted: list[tuple[int, int]] = []
        for s in spans:
            for i, (a, b) in enumerate(s.segments):
                lo = s.open_mark if i == 0 else a
                hi = s.after if (i == len(s.segments) - 1 and s.after > 0) else b
                self.quoted.append((lo, hi))
        self.quoted.sort()
        self.persons: dict[str, list[tuple[str, ...]]] = defaultdict(list)  # surname key -> full names
        self.orgs: list[tuple[str, ...]] = []
        self.titles: list[tuple[tuple[str, ...], tuple[str, ...]]] = []  # (title words, person name)
        self.gender: dict[str, str] = {}
        self.mentions: list[tuple[int, int, _Name, bool]] = []  # (pos, para, name, subject?) outside quotes
        self.speakers: list[_Speaker] = []
        self._index_names()
        self.lead = self._lead_person()
        self.spokes = self._spokes_mentions()
        # People the article shows acting: named as the subject of a clause, or with a title or honorific.
        self.actors = {
            self.canonical_person(n.words) for _, _, n, subj in self.mentions if n.kind == "person" and subj
        }

    # -- the name index

    def _para_of(self, pos: int) -> int:
        lo, hi = 0, len(self.paras) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.paras[mid][0] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _in_quote(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.quoted)

    def _runs(self, toks: list[_Tok]) -> Iterable[tuple[int, int]]:
        """Index ranges [i, j) of capitalised runs (connectors allowed between capitalised words)."""
        i, n = 0, len(toks)
        while i < n:
            if not (toks[i].is_word and toks[i].is_cap):
                i += 1
                continue
            j = i + 1
            while j < n:
                t = toks[j]
                if t.is_word and t.is_cap and toks[j - 1].text != "." and not toks[j - 1].text.endswith("'s"):
                    j += 1
                elif (
                    t.low in _CONNECTORS
                    and t.low != "and"
                    and j + 1 < n
                    and toks[j + 1].is_word
                    and toks[j + 1].is_cap
                ):
                    j += 2
                elif t.low == "of" and j + 2 < n and toks[j + 1].text == "the" and toks[j + 2].is_cap:
                    j += 3  # "Secretary of the Interior"
                else:
                    break
            yield i, j
            i = j

    def _index_names(self) -> None:
        for pi, toks in enumerate(self.ptoks):
            # In a title-cased headline every word is capitalised, so runs swallow verbs and function words
            # ("... Chief Of Staff To Replace John Kerry"): its runs give no full name forms.
            headline = _title_cased(toks)
            for i, j, words in _nicknamed(toks, list(self._runs(toks))):
                name = _parse_run(words)
                if name is None:
                    continue
                pos = toks[i].start
                inside = self._in_quote(pos)
                if name.kind == "person":
                    key = _name_key(name.words[-1])
                    if len(name.words) >= 2 and name.words not in self.persons[key] and not headline:
                        self.persons[key].append(name.words)
                    if name.gender:
                        self.gender.setdefault(key, name.gender)
                    if name.title and not inside:
                        self.titles.append((name.title, name.words))
                elif name.kind == "org" and name.words not in self.orgs:
                    self.orgs.append(name.words)
                if not inside and name.kind in ("person", "org"):
                    self.mentions.append((pos, pi, name, self._subject_position(toks, i, j)))
        # A lone capitalised word is a person only if it is somebody's surname or came with a title
        # ("Christianity", "Hawaii" are not candidates for "he").
        self.mentions = [
            m
            for m in self.mentions
            if m[2].kind != "person"
            or len(m[2].words) > 1
            or m[2].title
            or m[2].gender
            or (self.persons.get(_name_key(m[2].words[0])) and not self._common_word(m[2]))
        ]

    def _spokes_mentions(self) -> list[tuple[int, int, str]]:
        """Organisations named with a spokesperson in the narrative: "A Microsoft spokesperson said that ..."."""
        out = []
        for pi, toks in enumerate(self.ptoks):
            for k, t in enumerate(toks):
                if not t.is_word or t.is_cap or t.low not in _SPOKES or t.low.startswith("rep"):
                    continue
                if self._in_quote(t.start):
                    continue
                name = None
                if k > 0 and toks[k - 1].is_cap and toks[k - 1].is_word:
                    j = _run_back(toks, k - 1)
                    name = _parse_run([x.text for x in toks[j:k]])
                elif k + 2 < len(toks) and toks[k + 1].low in ("for", "of") and toks[k + 2].is_cap:
                    name = _parse_run([x.text for x in toks[k + 2 : _run_fwd(toks, k + 2)]])
                if name is None or name.kind == "title":
                    continue
                if name.kind == "person" and not self._looks_like_org(name):
                    continue
                out.append((t.start, pi, self.canonical_org(name.words)))
        return out

    @staticmethod
    def _subject_position(toks: list[_Tok], i: int, j: int) -> bool:
        """Whether the run toks[i:j] opens a clause and is followed by its verb (not an object or possessive)."""
        if toks[j - 1].text.endswith(("'s", "’s")):
            return False
        if i > 0:
            prev = toks[i - 1]
            if prev.is_word and (prev.low not in _CLAUSE_OPENERS or prev.low == "that"):
                return False  # an object, or the subject of a reported clause ("argued that Trump was")
            if not prev.is_word and prev.text not in ",;:—–-(" and not _is_boundary(toks, i - 1):
                return False
        if j >= len(toks):
            return False
        nxt = toks[j]
        if nxt.is_word and not nxt.is_cap and nxt.low in _PREPOSITIONS:
            # "Trump on Friday lamented ..." is a subject; "... between him and Kerry on policy." is not.
            for t in toks[j + 1 : j + 6]:
                if not t.is_word:
                    return False
                if not t.is_cap and t.low not in _PREPOSITIONS and _looks_like_verb(t):
                    return True
            return False
        return (nxt.is_word and not nxt.is_cap) or nxt.text in ",("

    def _lead_person(self) -> str | None:
        """The person whose full name opens the article's first real paragraph as its subject.

        "Suella Braverman has backed ...", "Republican presidential candidate Rick Perry pledges ...".
        """
        for toks in self.ptoks:
            if sum(t.is_word for t in toks) < 12:
                continue
            for k, t in enumerate(toks[:8]):  # a dateline: "HARTFORD, Conn. — ..."
                if t.text in "—–":
                    toks = toks[k + 1 :]
                    break
            for i, j in self._runs(toks):
                if i > 6 or any(not t.is_word for t in toks[:i]):
                    return None
                name = _parse_run([t.text for t in toks[i:j]])
                if name is None or name.kind != "person" or len(name.words) < 2:
                    continue
                if j < len(toks) and toks[j].is_word and not toks[j].is_cap:
                    return self.canonical_person(name.words)
                return None
            return None
        return None

    def _common_word(self, name: _Name) -> bool:
        """A lone capitalised word the article also writes in lower case ("Authorities", "Police", "Several")."""
        return (
            len(name.words) == 1
            and not name.title
            and not name.gender
            and name.words[0].lower() in self.lower
        )

    def canonical_person(self, words: Sequence[str]) -> str:
        """The fullest form of a person's name used in the article, when that is unambiguous."""
        keys = [_name_key(w) for w in words]
        full = [f for f in self.persons.get(keys[-1], []) if is_subsequence(keys, [_name_key(w) for w in f])]
        if not full and len(keys) == 1:  # "Doug said", of Doug McDermott, when another McDermott is about
            full = [f for fs in self.persons.values() for f in fs if _name_key(f[0]) == keys[0]]
            if len({tuple(_name_key(w) for w in f) for f in full}) != 1:
                full = []
        if full:
            longest = max(full, key=len)
            lkeys = [_name_key(w) for w in longest]
            if all(is_subsequence([_name_key(w) for w in f], lkeys) for f in full) and not self._titled_other(
                lkeys
            ):
                return " ".join(longest)
        return " ".join(words)

    def _titled_other(self, full: Sequence[str]) -> bool:
        """Whether the surname of ``full`` (name keys) also comes with a title that ``full`` never has: with
        "Ivanka Trump" and "President Trump" in one article, "Mr. Trump" may be either, so it stays short."""
        alone = {title for title, name in self.titles if len(name) == 1 and _name_key(name[0]) == full[-1]}
        own = {title for title, name in self.titles if [_name_key(w) for w in name] == list(full)}
        return not alone <= own

    def canonical_org(self, words: Sequence[str]) -> str:
        """An organisation as written; a form that starts a longer organisation name is expanded to it."""
        keys = [_name_key(w) for w in words]
        longer = [
            o for o in self.orgs if len(o) > len(words) and [_name_key(w) for w in o[: len(keys)]] == keys
        ]
        if longer and all(o == longer[0] for o in longer):
            return " ".join(longer[0])
        return " ".join(words)

    def entity(self, name: _Name) -> tuple[str, str] | None:
        if name.kind == "person":
            if self._common_word(name):
                return None
            return self.canonical_person(name.words), "person"
        if name.kind == "org":
            if len(name.words) == 1 and name.words[0].lower() in _ORG_WORDS:
                return None  # "Police", "Authorities": not a name
            return self.canonical_org(name.words), "org"
        return None

    # -- resolving phrases to speakers

    def resolve(self, np: _NP, pos: int, para: int) -> tuple[str, str, bool] | None:
        """(speaker, kind, via spokesperson) for a speaker phrase at ``pos``, or ``None`` when not safe."""
        if np.kind == "name" and np.name is not None:
            if np.name.kind == "title":
                who = self._title_holder(np.name.title)
                return (who, "person", False) if who else None
            ent = self.entity(np.name)
            return (ent[0], ent[1], False) if ent else None
        if np.kind == "spokes":
            if np.name is not None:
                if np.name.kind == "org":
                    ent = self.entity(np.name)
                    return (ent[0], "org", True) if ent else None
                if np.name.kind == "title":
                    return None
                # A spokesperson of a named person (or of something we cannot tell) is not that person.
                if np.name.kind == "person" and not self._looks_like_org(np.name):
                    return None
                return " ".join(np.name.words), "org", True
            if not np.definite:
                return None
            # The organisation whose spokesperson was last quoted or mentioned, unless another one was
            # mentioned as near.
            seen = [(s.pos, s.para, s.name) for s in self.speakers if s.spokes and s.pos < pos]
            seen += [m for m in self.spokes if m[0] < pos]
            seen = [m for m in seen if para - m[1] <= 4]
            if not seen:
                return None
            last = max(seen)
            near = {m[2] for m in seen if m[1] >= last[1] - 1}
            if len(near) == 1:
                return last[2], "org", True
            return None
        if np.kind == "orgrole":
            if not np.definite:
                return None
            lo = self.paras[max(para - 1, 0)][0]
            cands = {s.name for s in self.speakers if s.kind == "org" and lo <= s.pos < pos}
            cands |= {
                self.canonical_org(n.words)
                for p, _, n, _ in self.mentions
                if n.kind == "org" and lo <= p < pos
            }
            if len(cands) == 1:
                return cands.pop(), "org", False
            return None
        if np.kind == "title" and np.name is not None:
            who = self._title_holder(np.name.title)
            return (who, "person", False) if who else None
        if np.kind == "pronoun" and np.word in ("he", "she"):
            return self._pronoun(np.word, pos, para)
        return None

    def _looks_like_org(self, name: _Name) -> bool:
        """A one-word run nobody in the article carries as a surname ("a Google spokesperson")."""
        if len(name.words) != 1:
            return False
        return not self.persons.get(_name_key(name.words[0])) and _name_key(name.words[0]) not in self.gender

    def _title_holder(self, role: tuple[str, ...]) -> str | None:
        role = tuple(w for w in role if w not in _HONORIFICS)
        heads = [w for w in role if _is_head(w)]
        if not heads:
            return None
        need = {w for w in role if w in _TITLES or _is_head(w)}
        holders = set()
        for title, words in self.titles:
            tset = set(title)
            if title and title[-1] == heads[-1] and need <= tset and ("former" in tset) == ("former" in need):
                holders.add(self.canonical_person(words))
        if len(holders) == 1:
            return holders.pop()
        if not holders and self.lead and "former" not in need:
            lead_titles = {t[-1] for t, w in self.titles if self.canonical_person(w) == self.lead and t}
            if not lead_titles or heads[-1] in lead_titles:
                return self.lead
        return None

    def _pronoun(self, word: str, pos: int, para: int) -> tuple[str, str, bool] | None:
        """he/she: the one person in reach, or the speaker just quoted when nobody was named since."""
        lo = self.paras[max(para - 1, 0)][0]
        same = self.paras[para][0]
        want = "m" if word == "he" else "f"
        spoke = {s.name for s in self.speakers}
        # (position, person, is a speaker, can be the answer): speakers and subjects can be the answer;
        # people named in the same paragraph in other roles only compete. A name never seen acting
        # ("Puerto Rico") does not compete.
        items: list[tuple[int, str, bool, bool]] = []
        for s in self.speakers:
            if s.kind == "person" and lo <= s.pos < pos:
                items.append((s.pos, s.name, True, True))
        for p, _, n, subject in self.mentions:
            if n.kind != "person" or not lo <= p < pos:
                continue
            name = self.canonical_person(n.words)
            if subject or (p >= same and (n.title or n.gender or name in self.actors or name in spoke)):
                items.append((p, name, False, subject))
        # The subject of the pronoun's own sentence, when nobody else is named in it ("Moore lashed out at
        # what he called ...").
        toks = _tokens(self.text, same, pos)
        bounds = [t.end for i, t in enumerate(toks) if _is_boundary(toks, i)]
        sent_start = max(bounds, default=same)
        in_sentence = [m for m in self.mentions if m[2].kind == "person" and sent_start <= m[0] < pos]
        # In "at Trump, whom he called ..." the pronoun cannot be the relative pronoun's antecedent.
        if len(toks) >= 3 and toks[-1].low in ("who", "whom") and toks[-2].text == "," and toks[-3].is_cap:
            antecedent = toks[-3].start
            excluded = {
                self.canonical_person(m[2].words)
                for m in in_sentence
                if m[0] <= antecedent < m[0] + len(" ".join(m[2].words))
            }
            in_sentence = [m for m in in_sentence if self.canonical_person(m[2].words) not in excluded]
            items = [it for it in items if it[1] not in excluded]
        if len(in_sentence) == 1 and in_sentence[0][3]:
            name = self.canonical_person(in_sentence[0][2].words)
            if self.gender.get(_name_key(name.split()[-1]), want) == want:
                return name, "person", False
        items = [it for it in items if self.gender.get(_name_key(it[1].split()[-1]), want) == want]
        if not items:
            return None
        names = {it[1] for it in items}
        if len(names) == 1:
            name = names.pop()
            # The one person in reach who acted (a subject, a speaker); or the one of the pronoun's gender
            # when that gender is known, from an honorific or an earlier pronoun ("... attacked Mr. Trump,
            # has gotten under his skin. “...,” he said").
            if any(it[3] for it in items) or self.gender.get(_name_key(name.split()[-1])) == want:
                return name, "person", False
            return None
        # Several people in reach: the speaker quoted last, if nobody else was named after them.
        items.sort(key=lambda it: it[0])
        last_name = items[-1][1]
        speaker_at = [it[0] for it in items if it[2] and it[1] == last_name]
        if speaker_at and all(it[1] == last_name for it in items if it[0] >= min(speaker_at)):
            return last_name, "person", False
        # Else the one of them who acted in the pronoun's own paragraph, over those only acted upon: a
        # pronoun takes the subject before the object ("Frank praised Cowan in a statement. “...,” he said").
        actors = {it[1] for it in items if it[3] and it[0] >= same}
        if len(actors) == 1:
            return actors.pop(), "person", False
        return None


# --- speaker phrases ---------------------------------------------------------------------------------------


def _run_back(toks: list[_Tok], i: int) -> int:
    """Start index of the capitalised run that ends at token ``i``."""
    j = i
    while j - 1 >= 0:
        t = toks[j - 1]
        if t.is_word and t.is_cap and not t.text.endswith(("'s", "’s")):
            j -= 1
        elif (
            t.low in _CONNECTORS
            and t.low != "and"
            and j - 2 >= 0
            and toks[j - 2].is_word
            and toks[j - 2].is_cap
        ):
            j -= 2
        elif t.text == "the" and j - 3 >= 0 and toks[j - 2].low == "of" and toks[j - 3].is_cap:
            j -= 3
        else:
            break
    return j


def _run_fwd(toks: list[_Tok], i: int) -> int:
    j = i
    while j < len(toks):
        t = toks[j]
        if t.is_word and t.is_cap:
            j += 1
            if t.text.endswith(("'s", "’s")):
                break
        elif t.low in _CONNECTORS and t.low != "and" and j + 1 < len(toks) and toks[j + 1].is_cap and j > i:
            j += 2
        elif (
            t.low == "of" and j + 2 < len(toks) and toks[j + 1].text == "the" and toks[j + 2].is_cap and j > i
        ):
            j += 3
        else:
            break
    return j


def _np_before(toks: list[_Tok], k: int, lo: int = 0) -> tuple[_NP, int] | None:
    """The subject phrase that ends right before token ``k`` (a verb); with the index where it starts."""
    i = k - 1
    while (
        i >= lo
        and toks[i].is_word
        and not toks[i].is_cap
        and (toks[i].low in _AUX or toks[i].low.endswith("ly"))
    ):
        if toks[i].low in _NEGATION:
            return None
        i -= 1
    if i >= lo and toks[i].low in _NEGATION:
        return None
    if i >= lo and toks[i].text == ")":
        j = i - 1
        while j >= lo and toks[j].text != "(" and i - j < 15:
            j -= 1
        if j < lo or toks[j].text != "(":
            return None
        i = j - 1
    for _ in range(2):  # "Rep. Peter King, R-N.Y., who opposes the project, said"
        if not (i >= lo and toks[i].text == ","):
            break
        j = i - 1
        while j >= lo and toks[j].text not in ",;:.!?—–" and i - j < 20:
            j -= 1
        if j < lo or toks[j].text != "," or j == i - 1:
            return None
        if any(t.low in _SAY_VERBS for t in toks[j + 1 : i]):
            return None
        inner = toks[j + 1 : i]
        if (
            inner
            and all(t.is_word and t.is_cap for t in inner)
            and j - 1 >= lo
            and toks[j - 1].is_word
            and not toks[j - 1].is_cap
        ):
            # A description, then the name set off by commas: "Alabama's governor, Kay Ivey, responded",
            # "one of the women, Maureen Maloney, said". The name is the speaker.
            name = _parse_run([t.text for t in inner])
            if name is not None and name.kind == "person" and (len(name.words) >= 2 or name.title):
                return _NP("name", name=name, pos=inner[0].start), j + 1
        i = j - 1
    if i < lo or not toks[i].is_word or _PARTY_TAG.match(toks[i].text):
        return None
    t = toks[i]
    if t.low in _PRONOUNS:
        return _NP("pronoun", word=t.low, pos=t.start), i
    if t.is_cap:
        j = max(_run_back(toks, i), lo)
        words = [x.text for x in toks[j : i + 1]]
        name = _parse_run(words)
        if name is None:
            return None
        # "a spokesperson for Google"
        if j - 2 >= lo and toks[j - 1].low in ("for", "of") and toks[j - 2].low in _SPOKES:
            d = j - 3
            return _NP(
                "spokes", name=name, definite=d >= lo and toks[d].low == "the", pos=toks[j - 2].start
            ), j - 2
        det = toks[j - 1].low if j - 1 >= lo else ""
        start = j - 1 if det in ("the", "a", "an") else j
        return _NP("name", name=name, definite=det == "the", pos=toks[j].start), start
    low = t.low
    if low in _SPOKES or low in _ORG_NOUNS or low in _TITLE_HEADS:
        j = i
        while j - 1 >= lo and toks[j - 1].is_word and toks[j - 1].low not in ("the", "a", "an") and i - j < 5:
            if not toks[j - 1].is_cap and (
                toks[j - 1].low in _SAY_VERBS or toks[j - 1].low in _CLAUSE_OPENERS
            ):
                break
            j -= 1
        det = toks[j - 1].low if j - 1 >= lo and toks[j - 1].is_word else ""
        start = j - 1 if det in ("the", "a", "an") else j
        mods = toks[j:i]
        if mods and mods[0].low in _POSSESSIVE_DETS:
            return None  # "His team", "her spokesman": nobody named
        caps = [m.text for m in mods if m.is_cap]
        if any(m.text.endswith(("'s", "’s")) for m in mods):
            return None  # "Reid's rep", "the actress's rep": somebody's spokesperson
        if low in _SPOKES:
            name = _parse_run(caps) if caps and len(caps) == len(mods) else None
            if caps and name is None:
                return None
            return _NP("spokes", name=name, definite=det == "the", pos=toks[start].start), start
        if low in _TITLE_HEADS:
            title = tuple(m.low for m in mods if m.low in _TITLES) + (_TITLE_ABBREV.get(low, low),)
            return _NP(
                "title", name=_Name((), "title", title), definite=det == "the", pos=toks[start].start
            ), start
        if caps and len(caps) == len(mods):
            org = _Name((*caps, low), "org")
            return _NP("name", name=org, definite=det == "the", pos=toks[start].start), start
        if not mods:
            return _NP("orgrole", word=low, definite=det == "the", pos=toks[start].start), start
    return None


def _np_after(toks: list[_Tok], k: int) -> _NP | None:
    """The speaker phrase that follows a verb at token ``k``: "said Gov. Perry", "said the spokesperson"."""
    i = k + 1
    if i >= len(toks) or not toks[i].is_word:
        return None
    if toks[i].low in _PRONOUNS:
        return _NP("pronoun", word=toks[i].low, pos=toks[i].start)
    det = ""
    if toks[i].low in ("the", "a", "an"):
        det = toks[i].low
        i += 1
    if i >= len(toks) or not toks[i].is_word:
        return None
    # "said councillor Tom Reed": lowercase descriptors before a name.
    m = i
    while (
        m < len(toks)
        and m - i < 3
        and toks[m].is_word
        and not toks[m].is_cap
        and toks[m].low not in _STOP_LOWER
    ):
        m += 1
    if m > i and m < len(toks) and toks[m].is_word and toks[m].is_cap and toks[m - 1].low not in _SPOKES:
        i = m
    # "said Oscar producer Laurence Mark", "said Anchorage businessman and blogger Andrew Halcro": a name
    # after its description; "said a Western diplomat": a description only.
    while i < len(toks) and toks[i].is_word and toks[i].is_cap:
        j = _run_fwd(toks, i)
        m = j
        while (
            m < len(toks)
            and m - j < 4
            and toks[m].is_word
            and not toks[m].is_cap
            and toks[m].low not in _STOP_LOWER
        ):
            m += 1
        if m == j or m >= len(toks) or not (toks[m].is_word and toks[m].is_cap):
            break
        i = m
    if toks[i].is_cap:
        j = _run_fwd(toks, i)
        name = _parse_run([t.text for t in toks[i:j]])
        if name is None:
            return None
        if j < len(toks) and toks[j].low in _SPOKES:
            return _NP("spokes", name=name, definite=det == "the", pos=toks[i].start)
        if j < len(toks) and toks[j].is_word and not toks[j].is_cap and toks[j].low not in _STOP_LOWER:
            if toks[j].low not in _ORG_NOUNS:
                return None  # "a Western diplomat": the capitalised word describes somebody unnamed
        if j < len(toks) and toks[j].low in _ORG_NOUNS and toks[j].is_word and not toks[j].is_cap:
            return _NP("name", name=_Name((*name.words, toks[j].low), "org"), pos=toks[i].start)
        if name.kind == "title" and j < len(toks) and toks[j].is_word and not toks[j].is_cap:
            return None
        return _NP("name", name=name, definite=det == "the", pos=toks[i].start)
    low = toks[i].low
    if low in _SPOKES:
        if i + 2 < len(toks) and toks[i + 1].low in ("for", "of") and toks[i + 2].is_cap:
            j = _run_fwd(toks, i + 2)
            name = _parse_run([t.text for t in toks[i + 2 : j]])
            if name is None:
                return None
            return _NP("spokes", name=name, definite=det == "the", pos=toks[i].start)
        return _NP("spokes", definite=det == "the", pos=toks[i].start)
    if low in _TITLE_HEADS and det == "the":
        return _NP(
            "title", name=_Name((), "title", (_TITLE_ABBREV.get(low, low),)), definite=True, pos=toks[i].start
        )
    if low in _ORG_NOUNS and det == "the":
        return _NP("orgrole", word=low, definite=True, pos=toks[i].start)
    return None


# Lowercase words that may follow a speaker's name ("said Trump in an interview", "said Smith, who ...").
_STOP_LOWER = (
    _PREPOSITIONS | _CLAUSE_OPENERS | _SAY_VERBS | _AUX | frozenset("who whose whom which and or".split())
)
_PARTY_TAG = re.compile(r"^[RDI]-[A-Z]")  # "R-N.Y.", "D-Calif."
_POSSESSIVE_DETS = frozenset("his her their its our my your".split())
_IRREGULAR_PAST = frozenset(
    """took went made gave told wrote said came got put ran left held kept spoke sent struck stood led met won
    lost hit saw knew thought felt sat began brought bought caught fought taught sought became did was were
    has had is are""".split()
)


def _looks_like_verb(t: _Tok) -> bool:
    """A finite verb, judged without a tagger: an auxiliary, a known past form, or an -ed/-s ending."""
    low = t.low
    return (
        low in _AUX
        or low in _SAY_VERBS
        or low in _STANCE_VERBS
        or low in _IRREGULAR_PAST
        or bool(re.search(r"[^su]s$|ed$", low))
    )


_FRONTED = frozenset(
    "asked when while after before if although though because as since once speaking".split()
)


def _clause_subjects(toks: list[_Tok]) -> list[_NP]:
    """Subjects of the clauses in a stretch of one sentence: phrases that open a clause and meet a verb.

    A fronted clause ("Asked whether he ..., Mr. Santorum did not back down") does not count.
    """
    first = 0
    if toks and toks[0].low in _FRONTED:
        first = next((i + 1 for i, t in enumerate(toks) if t.text == ","), len(toks))
    out: list[_NP] = []
    for k in range(first + 1, len(toks)):
        t = toks[k]
        if not t.is_word or t.is_cap or t.low in _PRONOUNS or t.low in _CONNECTORS:
            continue
        got = _np_before(toks, k, first)
        if got is None:
            continue
        np, start = got
        if np.kind == "name" and np.name is not None and np.name.kind == "title" and not np.definite:
            continue
        if not _looks_like_verb(t):
            continue
        if start > first:
            prev = toks[start - 1]
            opens = prev.text in ",;:—–-(" or _is_boundary(toks, start - 1)
            if not (opens or prev.low in _CLAUSE_OPENERS or prev.low == "whether"):
                # After a fronted phrase ("In Wednesday's speech the senator also took ..."), but not after a
                # preposition or a verb of speech.
                if not prev.is_word or prev.low in _PREPOSITIONS or prev.low in _SAY_VERBS | _STANCE_VERBS:
                    continue
        if not any(o.pos == np.pos for o in out):
            out.append(np)
    return out


# --- extraction --------------------------------------------------------------------------------------------


def _sentence_toks_before(toks: list[_Tok]) -> list[_Tok]:
    for i in range(len(toks) - 1, -1, -1):
        if _is_boundary(toks, i):
            return toks[i + 1 :]
    return toks


def _sentence_toks_after(toks: list[_Tok]) -> list[_Tok]:
    for i in range(len(toks)):
        if _is_boundary(toks, i):
            return toks[:i]
    return toks


def _determines_noun(t: _Tok) -> bool:
    """Whether ``t`` makes the next word a noun: an article, a possessive determiner or a possessive."""
    return t.low in ("a", "an", "the") or t.low in _POSSESSIVE_DETS or t.text.endswith(("'s", "’s"))


def _after_quote(toks: list[_Tok]) -> tuple[list[_Tok], int]:
    """The tokens of the quote's sentence after it, and where its words start (past ", — :")."""
    toks = _sentence_toks_after(toks)
    i = 0
    while i < len(toks) and toks[i].text in ",—–―-:":
        i += 1
    return toks, i


def _according_to(toks: list[_Tok], i: int) -> bool:
    """Whether ``toks`` say "according to" at ``i``."""
    return i + 1 < len(toks) and toks[i].low == "according" and toks[i + 1].low == "to"


def _attribution_after(toks: list[_Tok], ends_clause: bool) -> tuple[_NP | None, bool]:
    """Speaker phrase after a quote: (phrase, whether an attribution was there at all).

    ``ends_clause``: the quote ends with punctuation, so what follows may be its attribution even after a
    descriptor ("the 33-year-old actress's rep Jack Ketsoyan told ..."); otherwise (a title such as the
    "Today" show host ...) the speaker phrase must follow the quote directly.
    """
    toks, i = _after_quote(toks)
    if i > 0 and toks[0].text in "—–―-" and not ends_clause:
        return None, False  # “colorful language” ― the congresswoman vowed ...: an aside, not the attribution
    ends_clause = ends_clause or (i > 0 and toks[0].text == ",")
    if i >= len(toks):
        return None, False
    if _according_to(toks, i):
        return _np_after(toks, i + 1), True
    if toks[i].low in _SAY_VERBS:
        return _np_after(toks, i), True
    # "X said", "X, a spokesman for Y, said", "the 33-year-old actress's rep Jack Ketsoyan told ..."
    for k in range(i, min(len(toks), i + 25)):
        t = toks[k]
        if t.is_word and not t.is_cap and t.low in _SAY_VERBS:
            if k > i and _determines_noun(toks[k - 1]):
                continue  # "a woman's claims", "his remarks": a noun, not a verb of speech
            if k > i and toks[k - 1].low in ("and", "but"):
                return None, False  # “...” and vowed that ...: the sentence's subject goes on, named before
            appositive = _named_before_appositive(toks, i, k)
            if appositive is not None:
                return appositive, True
            found = _np_before(toks, k, i)
            if found is None:
                return None, True
            np, start = found
            between = toks[i:start]
            if any(
                not b.is_word
                or (b.low in _CLAUSE_OPENERS and not (i + n + 1 < start and _inside_name(toks, i + n)))
                or b.low in _PREPOSITIONS
                or (b.low.endswith("ing") and not b.is_cap)
                for n, b in enumerate(between)
            ):
                return None, False
            if len(between) > 6 or (between and not ends_clause):
                return None, False
            return np, True
        if t.text in ":;" or (t.is_word and not t.is_cap and t.low in _STANCE_VERBS | _PARTICIPLES):
            break
    return None, False


def _inside_name(toks: list[_Tok], n: int) -> bool:
    """Whether "and" at ``n`` joins capitalised words of one name ("Oversight and Government Reform
    Committee spokesman Ali Ahmad said") rather than two clauses."""
    return (
        toks[n].low == "and"
        and 0 < n < len(toks) - 1
        and toks[n - 1].is_word
        and toks[n - 1].is_cap
        and toks[n + 1].is_word
        and toks[n + 1].is_cap
    )


def _named_before_appositive(toks: list[_Tok], i: int, k: int) -> _NP | None:
    """The person named at ``i`` when a comma-set description lies between the name and the verb of speech
    at ``k``: "Rep. Mike Doyle, D-Pa., manager of the team, told reporters"."""
    if k - 1 <= i or toks[k - 1].text != ",":
        return None
    comma = next((c for c in range(i, k) if toks[c].text == ","), k)
    if comma == i or comma >= k - 1 or k - comma > 20:
        return None
    if not all(t.is_word and t.is_cap for t in toks[i:comma]):
        return None
    if any(t.text in _OPENERS or t.text in _CLOSERS or t.low in _SAY_VERBS for t in toks[comma:k]):
        return None
    np = _np_after(toks, i - 1)
    if np is None or np.kind != "name" or np.name is None or np.name.kind != "person":
        return None
    return np


def _attribution_before(toks: list[_Tok]) -> tuple[list[_NP], bool]:
    """Subjects of speech verbs in the sentence before a quote.

    Returns the phrases, and whether the verb has no subject of its own because it continues the sentence of
    the previous quote ("... and called the plan “a farce”").
    """
    sent = _sentence_toks_before(toks)
    found: list[_NP] = []
    elliptical = False
    for k, t in enumerate(sent):
        if not t.is_word or t.is_cap:
            continue
        low = t.low
        if low in _PARTICIPLES and k > 0:
            got = _np_before(sent, k) if sent[k - 1].is_word else None
            if got is not None and got[1] > 0 and sent[got[1] - 1].low == "with":
                found.append(got[0])  # "with the EU warning Israel ..."
            else:
                found.extend(_clause_subjects(sent[:k]))
            continue
        if low not in _SAY_VERBS and low not in _STANCE_VERBS:
            continue
        if k > 0 and sent[k - 1].low in ("was", "were", "been", "being", "be", "is", "are"):
            continue  # passive: "was described as"
        if k > 2 and sent[k - 1].low == "who" and sent[k - 2].text == ",":
            got = _np_before(sent, k - 2)  # "said Bloomberg, who added that “...”"
            if got is not None and got[0].kind == "name":
                found.append(got[0])
            continue
        if k > 0 and sent[k - 1].low in ("to", "who", "whom", "which", "that"):
            continue  # "asked to ...", "who called ..." -- the subject is elsewhere
        got = _np_before(sent, k)
        if got is None:
            j = k - 1
            while j >= 0 and sent[j].is_word and (sent[j].low in _AUX or sent[j].low.endswith("ly")):
                j -= 1
            if j >= 0 and sent[j].low == "and":  # "X has ordered a review and insisted that ..."
                subjects = _clause_subjects(sent[:j])
                found.extend(subjects)
                if not subjects and not any(t.is_word and (t.is_cap or t.low in _PRONOUNS) for t in sent[:j]):
                    elliptical = True  # “...” and called the plan “...”: the previous quote's speaker
            continue
        np, start = got
        if start > 0:
            prev = sent[start - 1]
            if prev.is_word and prev.low in _PREPOSITIONS:
                continue  # an object ("by Obama said") rather than a subject
        found.append(np)
    # A lone capitalised function word opening the sentence is no name: "Amid calls for him to quit, Moore
    # added" (a noun of speech after a preposition), "Several hours earlier, an official said".
    found = [np for np in found if not _function_word(np)]
    # "Boehner dismissed David Axelrod's comment that Republicans live under a “reign of terror”": the
    # quoted words are the owner's of the comment, unless a verb of speech follows it ("..., saying").
    owner = _owner_of_words(sent)
    if owner is not None:
        return [owner], False
    return found, elliptical


_SPEECH_NOUNS = frozenset(
    """comment comments remark remarks statement claim claims words description assertion warning tweet post
    suggestion accusation characterization characterisation""".split()
)


def _owner_of_words(sent: list[_Tok]) -> _NP | None:
    """The person whose comment, remark or claim the sentence names last before the quote, when no verb of
    speech comes after it."""
    for k in range(len(sent) - 2, -1, -1):
        t, noun = sent[k], sent[k + 1]
        if t.is_cap and t.text.endswith(("'s", "’s")) and noun.low in _SPEECH_NOUNS:
            if any(x.low in _SAY_VERBS or x.low in _PARTICIPLES for x in sent[k + 2 :]):
                return None
            j = _run_back(sent, k)
            words = [x.text for x in sent[j:k]] + [t.text[:-2]]
            name = _parse_run(words)
            if name is None or name.kind != "person":
                return None
            return _NP("name", name=name, pos=sent[j].start)
    return None


def _function_word(np: _NP) -> bool:
    return (
        np.kind == "name"
        and np.name is not None
        and len(np.name.words) == 1
        and np.name.words[0].lower() in _PREPOSITIONS | _STOP_CAPS
    )


@dataclass(slots=True)
class _Done:
    """A quote already attributed, as later quotes of the same or the next paragraph see it."""

    end: int
    speaker: str | None
    own: bool  # it had an attribution of its own (resolved or not)
    weak: bool  # a title or scare quote ("Today" show): skipped when a later quote inherits


def extract_quotes(text: str, article_id: str = "") -> list[Quote]:
    """The direct quotes in ``text``, in order, each with its speaker when the attribution is safe."""
    art = _Article(text)
    quotes: list[Quote] = []
    done: dict[int, list[_Done]] = defaultdict(list)  # paragraph -> its quotes so far
    for span in art.spans:
        first_para, last_para = span.paras[0], span.paras[-1]
        ps, pe = art.paras[first_para]
        # The narrative before the quote (back to the previous quote in the paragraph) and after it (up to
        # the next quote in its last paragraph).
        lo = done[first_para][-1].end if done[first_para] else ps
        before = _tokens(text, lo, span.open_mark)
        if not before and first_para > 0 and text[: art.paras[first_para - 1][1]].endswith(":"):
            # "President Trump went further, tweeting:" and the quote as the next paragraph.
            prev_lo = done[first_para - 1][-1].end if done[first_para - 1] else art.paras[first_para - 1][0]
            before = _tokens(text, prev_lo, art.paras[first_para - 1][1])
        lpe = art.paras[last_para][1]
        after_toks: list[_Tok] = []
        if span.closed:
            nxt = min((s.open_mark for s in art.spans if span.after <= s.open_mark < lpe), default=lpe)
            after_toks = _tokens(text, span.after, nxt)
        quote = _make_quote(text, span, article_id, before)
        end_pos = span.after if span.closed else span.segments[-1][1]
        if quote is None:
            continue
        if is_title(quote):  # kept, but a show's or a policy's name is nobody's words
            done[last_para].append(_Done(end_pos, None, False, True))
            quotes.append(quote)
            continue
        resolved: tuple[str, str, bool] | None = None
        own = False
        ends_clause = bool(re.search(r"[,.!?…]\s*$", text[span.segments[-1][0] : span.segments[-1][1]]))
        np, had = _attribution_after(after_toks, ends_clause) if after_toks else (None, False)
        if (
            had
            and quote.partial
            and _according_to(*_after_quote(after_toks))
            and _attribution_before(before)[0]
        ):
            # 'Trump asserted that he had “the absolute right ...,” according to CNN': the quote is woven
            # into a sentence that names its speaker; "according to" names who reported it.
            had, np = False, None
        if had:
            own = True
            if np is not None:
                resolved = art.resolve(np, np.pos, last_para)
        else:
            nps, elliptical = _attribution_before(before)
            if elliptical and done[first_para]:
                speaker = next((d.speaker for d in reversed(done[first_para]) if not d.weak), None)
                resolved = (speaker, _kind_of(art, speaker), False) if speaker else None
                own = True
            elif nps:
                own = True
                results = {art.resolve(n, n.pos, first_para) for n in nps}
                names = {r[0] for r in results if r is not None}
                if len(names) == 1 and None not in results:
                    resolved = next(r for r in results if r is not None)
        speaker = resolved[0] if resolved else None
        if not own:
            speaker = _inherit(art, span, first_para, before, done)
            if speaker is None and quote.text[:1].islower():
                speaker = _split_quote_speaker(before, done[first_para])
        if speaker is not None:
            kind = resolved[1] if resolved else _kind_of(art, speaker)
            spokes = resolved[2] if resolved else any(s.name == speaker and s.spokes for s in art.speakers)
            at = max(span.open_mark, np.pos if (had and np is not None) else 0)
            art.speakers.append(_Speaker(speaker, kind, at, last_para, spokes))
        weak = speaker is None and (quote.partial or len(quote.text.split()) <= 3)
        done[last_para].append(_Done(end_pos, speaker, own, weak))
        quotes.append(dataclasses.replace(quote, speaker=speaker))
    return quotes


def _split_quote_speaker(before: list[_Tok], earlier: list[_Done]) -> str | None:
    """The speaker of a quote's second half: '“It had been my intention,” said Reid on the floor, “however,
    ...”'. It opens in lower case, after the first half's attribution in the same sentence."""
    if not earlier or earlier[-1].speaker is None or not earlier[-1].own:
        return None
    if any(_is_boundary(before, i) for i in range(len(before))):
        return None  # another sentence began since the first half
    if not any(t.low in _SAY_VERBS for t in before) or not before or before[-1].text != ",":
        return None
    return earlier[-1].speaker


def _kind_of(art: _Article, speaker: str) -> str:
    for s in reversed(art.speakers):
        if s.name == speaker:
            return s.kind
    return "person"


def _bare(toks: list[_Tok]) -> bool:
    """Whether narrative names nobody: no name, pronoun or noun phrase ("and added", ", before adding").

    An article right before the quote is the quote's own ("and a “bomb-thrower”"): the quote is the noun.
    """
    last = len(toks) - 1
    for i, t in enumerate(toks):
        if not t.is_word:
            continue
        if t.is_cap and t.low not in _STOP_CAPS:
            return False
        if i == last and t.low in ("the", "a", "an"):
            continue
        if t.low in _PRONOUNS or t.low in ("the", "a", "an", "his", "her", "their", "its", "i", "we"):
            return False
    return True


def _inherit(
    art: _Article, span: _Span, para: int, before: list[_Tok], done: dict[int, list[_Done]]
) -> str | None:
    """Speaker of an unattributed quote: the previous quote's in the paragraph, or the previous paragraph's.

    Only when the sentence the quote sits in introduces nobody else.
    """
    if done[para]:
        if not _bare(_sentence_toks_before(before)):
            return None
        for d in reversed(done[para]):
            if d.speaker is not None:
                return d.speaker
            if not d.weak:
                return None
        return None
    # A paragraph that is nothing but this quote continues the previous paragraph's last quote's speaker.
    ps, _ = art.paras[para]
    if span.open_mark != ps:
        return None
    end = span.after if span.closed else span.segments[-1][1]
    if art.text[end : art.paras[span.paras[-1]][1]].strip(" .,;:—–-"):
        return None
    prev = done.get(para - 1)
    if not prev or prev[-1].speaker is None:
        return None
    tail = _tokens(art.text, prev[-1].end, art.paras[para - 1][1])
    if len(_sentence_toks_after(tail)) + 1 < len(tail):
        return None  # the previous paragraph goes on past its quote's attribution
    return prev[-1].speaker


_SMALL_WORDS = frozenset("of the and a an in on for to at by with from de la".split())


def _make_quote(text: str, span: _Span, article_id: str, before: list[_Tok]) -> Quote | None:
    """The quote record without a speaker; ``None`` for an empty quote."""
    body = _tidy(" ".join(text[a:b] for a, b in span.segments))
    if not re.search(r"\w", body):
        return None
    start, end = span.segments[0][0], span.segments[-1][1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    first = next((c for c in body if c.isalnum()), "")
    prev = before[-1] if before else None
    mid_sentence = prev is not None and prev.is_word and not text[prev.end : span.open_mark].strip()
    return Quote(body, None, article_id, start, end, first.islower() or mid_sentence)


def is_title(quote: Quote) -> bool:
    """A name in quote marks inside a sentence: the “Today” show, a “Tent City”, NBC's “Face the Nation”."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", quote.text)
    if not quote.partial or not words or len(words) > 6 or re.search(r"[?!]", quote.text):
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words) and words[0][0].isupper()


# --- grouping ----------------------------------------------------------------------------------------------


def _speaker_words(name: str) -> list[str]:
    return [_name_key(w) for w in name.split() if _name_key(w) not in _HONORIFICS]


def same_speaker(a: str, b: str) -> bool:
    """Whether two speaker names can be the same: equal, or one's words inside the other's with the same surname."""
    wa, wb = _speaker_words(a), _speaker_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    if wa[-1] != wb[-1] or not a.split()[-1][:1].isupper():
        return False
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return is_subsequence(short, long)


def _shingles(words: list[str], n: int = 5) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _contains(long: list[str], short: list[str]) -> bool:
    return f" {' '.join(short)} " in f" {' '.join(long)} "


def _same_statement(a: list[str], b: list[str], sa: set, sb: set) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short == long:
        return True
    if len(short) >= 4 and _contains(long, short):
        return True
    if sa and sb:
        inter = len(sa & sb)
        if inter == 0:
            return False
        if inter / len(sa | sb) >= 0.5 or inter / min(len(sa), len(sb)) >= 0.8:
            return True
    return False


_MAX_POSTING = 200


def group_quotes(quotes: Sequence[Quote], texts: Sequence[str] = ()) -> list[QuoteGroup]:
    """Group the same statement across articles; groups come in order of their first quote.

    ``texts`` are the story's article texts: they tell when a short speaker name may take a fuller form.
    """
    words = [quote_words(q.text) for q in quotes]
    shingles = [_shingles(w) for w in words]
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Candidate pairs share a word trigram (or are identical short quotes).
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    exact: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, w in enumerate(words):
        if not w:
            continue
        exact[tuple(w)].append(i)
        for g in {tuple(w[k : k + 3]) for k in range(len(w) - 2)}:
            index[g].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in (*exact.values(), *index.values()):
        if len(members) > _MAX_POSTING:
            continue  # a trigram this common ("i think that") says nothing; rarer ones find the real pairs
        for x in range(1, len(members)):
            for y in range(x):
                pairs.add((members[y], members[x]))
    for i, j in sorted(pairs):
        if find(i) != find(j) and _same_statement(words[i], words[j], shingles[i], shingles[j]):
            parent[find(j)] = find(i)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        if words[i]:
            clusters[find(i)].append(i)
    groups = []
    for members in sorted(clusters.values(), key=min):
        qs = [quotes[i] for i in members]
        text = max(qs, key=lambda q: len(q.text)).text
        groups.append(QuoteGroup(text, _agreed_speaker(qs), sorted({q.article_id for q in qs}), qs))
    fullest = _fullest_names([g.speaker for g in groups if g.speaker], texts)
    for group in groups:
        if group.speaker:
            group.speaker = fullest[group.speaker]
    return groups


def _fullest_names(names: Sequence[str], texts: Sequence[str] = ()) -> dict[str, str]:
    """Each speaker name as the story's fullest form of it: "Trump" is "Donald Trump" when every longer name
    of the story it can be comes to that one. With two ("Bill Clinton", "Hillary Clinton"), it stays as
    written; and so it does when the story's ``texts`` name another person of that surname who never speaks
    ("Ivanka Trump" speaks, "Melania Trump" is only mentioned: "Trump" stays "Trump")."""
    out: dict[str, str] = {}
    # Longest first, so every longer form is resolved before a shorter one looks at it.
    for name in sorted(set(names), key=lambda n: -len(n.split())):
        fuller = {out[m] for m in out if len(m.split()) > len(name.split()) and same_speaker(name, m)}
        out[name] = fuller.pop() if len(fuller) == 1 else name
        if out[name] != name and _others_named(out[name], texts):
            out[name] = name
    return out


def _others_named(full: str, texts: Sequence[str]) -> bool:
    """Whether ``texts`` name someone else of ``full``'s surname: a given name other than ``full``'s before
    it ("Melania Trump" against "Ivanka Trump"; titles and honorifics, "President Trump", do not count)."""
    words = full.split()
    surname, given = words[-1], {_name_key(w) for w in words[:-1]}
    before = re.compile(rf"\b([A-Z][\w'’-]*)\.?\s+(?:[A-Z]\.\s+)?{re.escape(surname)}\b")
    for text in texts:
        for match in before.finditer(text):
            word = _name_key(match.group(1))
            if word in given or word in _STOP_CAPS or word in _HONORIFICS or word in _ABBREVIATIONS:
                continue
            if word in _TITLES or word in _JOB_WORDS or word in _NOT_NAMES or word in _ORG_WORDS:
                continue
            return True
    return False


def _agreed_speaker(quotes: Sequence[Quote]) -> str | None:
    """The speaker most articles give (compatible name forms count together); ``None`` on a tie."""
    clusters: list[list[Quote]] = []
    for q in quotes:
        if not q.speaker:
            continue
        for c in clusters:
            if same_speaker(c[0].speaker or "", q.speaker):
                c.append(q)
                break
        else:
            clusters.append([q])
    if not clusters:
        return None
    support = Counter()
    for n, c in enumerate(clusters):
        support[n] = len({q.article_id for q in c})
    ranked = support.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    best = clusters[ranked[0][0]]
    names = Counter(q.speaker for q in best if q.speaker)
    return max(names, key=lambda s: (len(s.split()), names[s], s))
