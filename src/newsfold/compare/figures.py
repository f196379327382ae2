"""Figures across the articles of one story: which numbers agree, which conflict.

:func:`extract_figures` finds each number in an article with what it counts: digits ("3,000"), words
("twelve", "a dozen", "hundreds"), money ("£1.5m", "$1,000"), percentages, ages ("24-year-old", "Kaba, 24,"),
durations ("48 hours") and dates and years (kept, but never compared as counts). Each figure carries its
qualifier ("at least", "more than", "about", ...), the head noun it counts ("firearms officers" ->
"officer"), and the verb it goes with ("handed in" -> "hand"), read from spaCy's parse when the English model
is installed (see :func:`newsfold.compare.entities.spacy_pipeline`) and from simple heuristics otherwise.

:func:`compare_figures` groups the figures of all articles about the same thing and flags a conflict. A
qualifier makes a figure an interval ("at least 100" = [100, inf), "about 100" = [90, 110]); two reports
agree when their intervals meet. A false conflict is worse than a missed one, so a conflict needs the same
kind, the same counted thing, the same verb and no contradicting subject, and no figure of one article may
agree with any figure of the other.

Reads ``(article_id, clean_text)``; returns :class:`Figure` and :class:`FigureGroup` lists.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from newsfold.cluster import detokenise
from newsfold.compare.entities import spacy_pipeline
from newsfold.compare.sentences import sentence_spans

__all__ = [
    "COMPARED_KINDS",
    "Figure",
    "FigureGroup",
    "compare_figures",
    "extract_figures",
    "figures_of",
    "interval",
]

Backend = Literal["auto", "spacy", "heuristic"]
COMPARED_KINDS: tuple[str, ...] = ("count", "money", "percent", "age", "duration")

# --- lexicon -----------------------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "m": 1_000_000, "bn": 1_000_000_000, "k": 1_000}  # fmt: skip
# Vague amounts as (value, low, high): "hundreds of officers" is at least 100 and fewer than 1,000.
_VAGUE = {
    "a dozen": (12, 12, 12), "dozens": (24, 13, 200), "scores": (40, 20, 200), "hundreds": (100, 100, 1_000),
    "thousands": (1_000, 1_000, 1_000_000), "tens of thousands": (10_000, 10_000, 100_000),
    "hundreds of thousands": (100_000, 100_000, 1_000_000), "millions": (1_000_000, 1_000_000, math.inf),
}  # fmt: skip
_CURRENCIES = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "dollars": "USD", "pounds": "GBP",
               "euros": "EUR"}  # fmt: skip
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DURATIONS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}

# Qualifier -> interval shape; ``v`` is the stated value.
_QUALIFIERS: dict[str, str] = {
    "at least": "min", "no fewer than": "min", "no less than": "min", "a minimum of": "min",
    "more than": "above", "over": "above", "above": "above", "in excess of": "above", "upwards of": "above",
    "well over": "above", "just over": "above", "exceeding": "above",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "approx": "about", "circa": "about",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
    "up to": "max", "as many as": "max", "at most": "max", "no more than": "max", "a maximum of": "max",
    "fewer than": "below", "less than": "below", "under": "below", "below": "below",
    "exactly": "exact", "precisely": "exact", "only": "exact", "just": "exact",
}  # fmt: skip
_QUAL_RE = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))

_NUM_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_WORD_NUMBER = (
    rf"(?:{_NUM_WORD})(?:[-\s](?:{_NUM_WORD}))?(?:\s+(?:hundred|thousand|million|billion)"
    rf"(?:\s+(?:and\s+)?(?:{_NUM_WORD})(?:[-\s](?:{_NUM_WORD}))?)?)*"
    r"|a\s+(?:hundred|thousand|million)"
)
_VAGUE_RE = "|".join(sorted((re.escape(v).replace(r"\ ", r"\s+") for v in _VAGUE), key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w$£€.,/:-])(?:(?P<qual>{_QUAL_RE})\s+)?"
    rf"(?P<cur>US\$|[$£€])?\s?"
    rf"(?:(?P<digits>{_DIGITS})(?:\s*(?P<scale>hundred|thousand|million|billion|trillion)\b|(?P<abbr>m|bn|k)\b)?"
    rf"|(?P<vague>{_VAGUE_RE})\b|(?P<words>\b(?:{_WORD_NUMBER}))\b)"
    rf"(?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b)?"
    rf"(?P<yo>-year-old\b|-year-olds\b)?"
    rf"(?P<curword>\s+(?:dollars|pounds|euros)\b)?"
    r"(?![\w-]*\d)(?!:\d)(?!\s?(?:am|pm|a\.m\.|p\.m\.)\b)",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{4}})\b"
)
_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b", re.IGNORECASE)
_AGE_APPOS = re.compile(r"\b[A-Z][\w’'-]+,\s(?P<age>\d{1,3})(?=[,.;)]|\s+(?:and|who|was|is|had|has)\b)")
_AGED = re.compile(r"\baged\s(?P<age>\d{1,3})\b")
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|until|till|by|of|from|before|after|during|early|late|mid|summer|spring|autumn|winter|"
    r"year|between|and|to)\s+$",
    re.IGNORECASE,
)

# Words that end the noun phrase after a number, or that sit between it and its verb.
_NP_STOP = frozenset(
    "of in on at by for from with to into across over under after before during since as than and or but "
    "that which who whom whose were was are is be been being have has had will would could can may might "
    "must should shall do does did not also now already reportedly allegedly since then still just each "
    "the a an their his her its our your this these those per".split()
)
_AUX = frozenset(
    "were was are is be been being have has had will would could can may might must should shall do does did "
    "not also now already reportedly allegedly since then still just all each reportedly".split()
)
_PLURAL_IRREGULAR = {"people": "people", "persons": "people", "men": "man", "women": "woman", "children": "child",
                     "police": "police", "staff": "staff", "personnel": "personnel", "troops": "troop",
                     "lives": "life", "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
                     "sheep": "sheep", "deer": "deer", "fish": "fish", "cattle": "cattle"}  # fmt: skip
_NOT_NOUNS = frozenset("is was has does this thus us its his as yes always perhaps".split())
# Verbs normalised so synonyms compare: "died"/"killed"/"dead" are one outcome, "hurt"/"wounded" another.
_VERB_FORMS = {
    "has": "have", "have": "have", "had": "have", "having": "have",
    "is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "be": "be", "being": "be",
    "left": "leave", "took": "take", "taken": "take", "gave": "give", "given": "give", "made": "make",
    "held": "hold", "brought": "bring", "sent": "send", "saw": "see", "seen": "see", "put": "put",
    "told": "tell", "said": "say", "went": "go", "gone": "go", "paid": "pay", "lost": "lose", "won": "win",
    "fled": "flee", "hit": "hit", "shot": "shoot", "stood": "stand", "caught": "catch", "fell": "fall",
    "rose": "rise", "risen": "rise", "grew": "grow", "grown": "grow", "sold": "sell", "bought": "buy",
    "died": "kill", "die": "kill", "dies": "kill", "dying": "kill", "dead": "kill", "killed": "kill",
    "kill": "kill", "kills": "kill", "killing": "kill", "deaths": "kill", "death": "kill",
    "injured": "injure", "injure": "injure", "injures": "injure", "wounded": "injure", "hurt": "injure",
    "stolen": "steal", "broken": "break", "chosen": "choose", "driven": "drive", "written": "write",
    "beaten": "beat", "spoken": "speak", "hidden": "hide", "frozen": "freeze", "eaten": "eat",
    "fallen": "fall", "shaken": "shake", "forgotten": "forget", "sworn": "swear",
}  # fmt: skip
_IRREGULAR_VERBS = frozenset(_VERB_FORMS) - {
    "is",
    "are",
    "was",
    "were",
    "been",
    "be",
    "being",
    "death",
    "deaths",
}
# A number these verbs take with no noun ("the blast killed 12") counts people.
_PEOPLE_VERBS = frozenset({"kill", "injure", "arrest", "rescu", "evacuat", "detain", "hospitalis", "treat"})


def _lemma_noun(word: str) -> str:
    low = word.lower().strip("’'")
    if low in _PLURAL_IRREGULAR:
        return _PLURAL_IRREGULAR[low]
    if len(low) > 4 and low.endswith("ies"):
        return low[:-3] + "y"
    if len(low) > 4 and low.endswith(("ches", "shes", "sses", "xes")):
        return low[:-2]
    if len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return low[:-1]
    return low


def _verb_key(word: str) -> str:
    """A crude but consistent verb stem: "handed", "handing", "hands" -> "hand"."""
    low = word.lower()
    if low in _VERB_FORMS:
        return _VERB_FORMS[low]
    for suffix in ("ing", "ed", "es", "s"):
        if len(low) > len(suffix) + 2 and low.endswith(suffix):
            low = low[: -len(suffix)]
            break
    if low.endswith("e"):
        low = low[:-1]
    if len(low) > 3 and low[-1] == low[-2] and low[-1] not in "aeiouls":
        low = low[:-1]
    return _VERB_FORMS.get(low, low)


def _looks_plural(word: str) -> bool:
    low = word.lower()
    if low in _PLURAL_IRREGULAR:
        return True
    return (
        len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")) and low not in _NOT_NOUNS
    )


def _looks_verb(word: str) -> bool:
    low = word.lower()
    return low in _IRREGULAR_VERBS or (len(low) > 4 and low.endswith("ed"))


# --- records -----------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Figure:
    """One number in one article, with what it counts and how it was hedged.

    ``kind`` is one of count, money, percent, age, duration, date, year. ``unit_or_counts`` is the counted
    thing's head lemma for counts ("officer"), the currency for money ("GBP"), "%" for percentages, "age",
    the time unit for durations ("hour"), and "date"/"year". Dates and years are never compared.
    """

    text: str
    value: float
    unit_or_counts: str
    qualifier: str | None
    article_id: str
    sentence: str
    kind: str = "count"
    verb: str | None = None
    subject: str | None = None
    modifiers: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "value": self.value,
            "unit_or_counts": self.unit_or_counts,
            "qualifier": self.qualifier,
            "article_id": self.article_id,
            "sentence": self.sentence,
            "kind": self.kind,
            "verb": self.verb,
            "subject": self.subject,
        }


@dataclass(slots=True)
class FigureGroup:
    """Figures of one or more articles about the same thing; ``conflict`` when two articles disagree."""

    text: str
    value: float
    counts: str
    article_ids: list[str]
    conflict: bool
    variants: list[Figure] = field(default_factory=list)
    kind: str = "count"
    verb: str | None = None

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "value": self.value,
            "counts": self.counts,
            "kind": self.kind,
            "verb": self.verb,
            "article_ids": list(self.article_ids),
            "conflict": self.conflict,
            "variants": [v.to_dict() for v in self.variants],
        }


# What the words around a count say: (counted noun, verb, subject, modifiers of the noun).
_Context = tuple[str | None, str | None, str | None, tuple[str, ...]]
# An interval: (low, low_included, high, high_included).
Interval = tuple[float, bool, float, bool]


def interval(figure: Figure) -> Interval:
    """The values a figure allows, from its qualifier ("more than 100" -> (100, inf), open at 100)."""
    if figure.low is not None and figure.high is not None:
        return (figure.low, True, figure.high, figure.high != math.inf)
    v = figure.value
    shape = _QUALIFIERS.get((figure.qualifier or "").lower(), "exact")
    if shape == "min":
        return (v, True, math.inf, False)
    if shape == "above":
        return (v, False, math.inf, False)
    if shape == "about":
        return (v * 0.9, True, v * 1.1, True)
    if shape == "nearly":
        return (v * 0.85, True, v, True)
    if shape == "max":
        return (0.0, True, v, True)
    if shape == "below":
        return (0.0, True, v, False)
    if figure.qualifier is None and v >= 1_000 and v % 100 == 0:
        return (v * 0.95, True, v * 1.05, True)  # a round "3,000" is a rounded figure
    return (v, True, v, True)


def _intersect(a: Interval, b: Interval) -> bool:
    lo, lo_in = max((a[0], a[1]), (b[0], b[1]), key=lambda x: (x[0], not x[1]))
    hi, hi_in = min((a[2], a[3]), (b[2], b[3]), key=lambda x: (x[0], x[1]))
    return lo < hi or (lo == hi and lo_in and hi_in)


# --- extraction --------------------------------------------------------------------------------------------


def _words_value(text: str) -> float | None:
    words = re.split(r"[\s-]+", text.lower())
    if words and words[0] == "a":
        words[0] = "one"
    total, current = 0, 0
    for word in words:
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            return None
    return float(total + current)


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    text: str
    value: float
    qualifier: str | None
    kind: str
    unit: str | None = None
    subject: str | None = None
    low: float | None = None
    high: float | None = None
    number_start: int = 0
    number_end: int = 0


def _raw_figures(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _DATE.finditer(text):
        year = re.search(r"\d{4}", match.group())
        day = re.search(r"\b\d{1,2}\b", match.group())
        value = float(year.group()) if year else float(day.group()) if day else 0.0
        out.append(_Raw(match.start(), match.end(), match.group(), value, None, "date", "date"))
        taken.append((match.start(), match.end()))
    for match in _TIME.finditer(text):
        taken.append((match.start(), match.end()))
    for pattern in (_AGE_APPOS, _AGED):
        for match in pattern.finditer(text):
            s, e = match.span("age")
            value = float(match.group("age"))
            if free(s, e) and 0 < value < 120:
                subject = None
                if pattern is _AGE_APPOS:
                    subject = match.group().split(",")[0].lower().replace("’", "'").split("'")[0]
                else:
                    name = re.search(
                        r"([A-Z][\w’'-]+),?\s+$", text[max(0, match.start() - 40) : match.start()]
                    )
                    subject = name.group(1).lower() if name else None
                out.append(
                    _Raw(s, e, match.group("age"), value, None, "age", "age", subject, None, None, s, e)
                )
                taken.append((s, e))
    for match in _FIGURE.finditer(text):
        if not free(match.start(), match.end()):
            continue
        raw = _classify(text, match)
        if raw is not None:
            out.append(raw)
            taken.append((match.start(), match.end()))
    out.sort(key=lambda r: r.start)
    return out


def _classify(text: str, match: re.Match[str]) -> _Raw | None:
    """Value, qualifier and kind of one match of :data:`_FIGURE`; ``None`` when it is no figure after all."""
    number_start = next(match.start(g) for g in ("digits", "vague", "words") if match.group(g))
    number_end = max(match.end(g) for g in ("digits", "scale", "abbr", "vague", "words") if match.group(g))
    low = high = None
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
        if match.group("abbr") and not match.group("cur"):
            return None  # "5m" without a currency is a distance; leave it
        scale = match.group("scale") or match.group("abbr")
        if scale:
            value *= _SCALES[scale.lower()]
    elif match.group("vague"):
        value, low, high = (float(x) for x in _VAGUE[" ".join(match.group("vague").lower().split())])
    else:
        words = match.group("words")
        parsed = _words_value(words)
        if parsed is None or (words.lower() == "one" and not _counting_one(text, match)):
            return None
        value = parsed
    qualifier = match.group("qual").lower() if match.group("qual") else None
    shown = match.group().strip()

    def make(kind: str, unit: str | None, subject: str | None = None) -> _Raw:
        span = (match.start(), match.end())
        return _Raw(*span, shown, value, qualifier, kind, unit, subject, low, high, number_start, number_end)

    currency = match.group("cur") or (match.group("curword") or "").strip()
    if currency:
        return make("money", _CURRENCIES[currency.lower()])
    if match.group("pct"):
        return make("percent", "%")
    if match.group("yo"):
        # "the 24-year-old Chris Kaba": two or more capitalised words after it name the person.
        name = re.match(r"\s+((?:[A-Z][\w’'-]+\s+)+[A-Z][\w’'-]+)", text[match.end() : match.end() + 60])
        return make("age", "age", name.group(1).split()[-1].lower() if name else None)
    digits = match.group("digits") or ""
    if re.fullmatch(r"\d{4}", digits) and 1800 <= value <= 2100 and not qualifier:
        after_preposition = _YEAR_BEFORE.search(text[max(0, match.start() - 12) : match.start()])
        if after_preposition or _heuristic_head(text, match.end()) is None:
            return make("year", "year")  # "in 2019"; "2000 officers" stays a count
    return make("count", None)


def _counting_one(text: str, match: re.Match[str]) -> bool:
    """Whether "one" counts something ("one officer") rather than being a pronoun ("no one", "one of")."""
    before = text[max(0, match.start() - 12) : match.start()].lower().split()
    if before and before[-1] in {"no", "the", "every", "any", "each", "this", "that", "which"}:
        return False
    after = re.match(r"\s+([a-z]+)", text[match.end() : match.end() + 20])
    return bool(after and after.group(1) not in _NP_STOP and after.group(1) not in {"another", "day"})


def _following_words(text: str, pos: int, limit: int = 5) -> list[tuple[str, int, int]]:
    out = []
    for match in re.finditer(r"[A-Za-z][\w’'-]*|[^\w\s]", text[pos : pos + 80]):
        out.append((match.group(), pos + match.start(), pos + match.end()))
        if len(out) >= limit:
            break
    return out


def _heuristic_head(
    text: str, pos: int, *, singular: bool = False
) -> tuple[str, int, tuple[str, ...]] | None:
    """The counted noun after ``pos`` (the last plural of the noun phrase), its end and its modifiers."""
    skip = re.match(r"\s+of\s+(?:(?:the|their|his|her|its|our|those|these)\s+)?", text[pos : pos + 40])
    if skip:  # "100 of the officers"
        pos += skip.end()
    words = _following_words(text, pos, limit=5)
    phrase: list[tuple[str, int]] = []
    for k, (word, _, end) in enumerate(words):
        low = word.lower()
        if not word[0].isalpha() or low in _NP_STOP:
            break
        if _looks_verb(word):
            nxt = words[k + 1][0] if k + 1 < len(words) else ""
            # "officers handed", "12 killed in": a verb; "armed officers": a modifier.
            if any(_looks_plural(w) for w, _ in phrase) or not nxt[:1].isalpha() or nxt.lower() in _NP_STOP:
                break
        phrase.append((word, end))
    plurals = [k for k, (word, _) in enumerate(phrase) if _looks_plural(word)]
    if plurals:
        k = plurals[-1]
    elif singular and phrase:
        k = 0
    else:
        return None
    word, end = phrase[k]
    return word, end, tuple(sorted(_lemma_noun(w) for w, _ in phrase[:k]))


def _heuristic_context(text: str, raw: _Raw) -> _Context:
    """(counted noun lemma, verb key, subject, modifiers) read from the words around a count."""
    head = _heuristic_head(text, raw.number_end, singular=raw.value == 1)
    counts = _lemma_noun(head[0]) if head else None
    modifiers = head[2] if head else ()
    after = head[1] if head else raw.number_end
    verb = subject = None
    words = _following_words(text, after, limit=5)
    for word, _, _ in words:
        low = word.lower()
        if low in _AUX:
            continue
        if word[0].isalpha() and _looks_verb(word):
            verb = _verb_key(word)
        break
    if verb is None:
        before = re.findall(r"[A-Za-z][\w’'-]*", text[max(0, raw.start - 60) : raw.start])[-3:]
        for k in range(len(before) - 1, -1, -1):
            low = before[k].lower()
            if low in {"the", "a", "an", "by", "to"}:
                continue
            if _looks_verb(before[k]):
                verb = _verb_key(before[k])
                # The word before the verb is its subject, if it is not a function word: "The Met has".
                if k > 0 and before[k - 1].lower() not in _NP_STOP:
                    subject = before[k - 1].lower().replace("’", "'").split("'")[0]
            break
    if counts is None and raw.kind == "count" and verb is None:
        # "12 people killed" is handled above; "12 killed" has the verb right after the number.
        nxt = words[0][0] if words else ""
        if nxt and _looks_verb(nxt):
            verb = _verb_key(nxt)
    return counts, verb, subject, modifiers


def _spacy_context(doc: Any, offset: int, raw: _Raw) -> _Context | None:
    """(counted noun lemma, verb lemma, subject, modifiers) from the dependency parse, or None if unaligned.

    ``doc`` is the parse of the text from ``offset`` on (one sentence).
    """
    span = doc.char_span(raw.number_start - offset, raw.number_end - offset, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    number = span[-1]
    noun = None
    tok = number
    for _ in range(3):  # "3,000" -> "officers", through "more than" and compounds
        if tok.dep_ in ("nummod", "quantmod", "compound", "amod", "advmod") and tok.head.i != tok.i:
            tok = tok.head
            if tok.pos_ in ("NOUN", "PROPN"):
                noun = tok
                break
        else:
            break
    while noun is not None and noun.dep_ == "compound" and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head  # "100 firearms officers": the parser may hang the number on "firearms"
    if noun is None:
        nxt = number.nbor(1) if number.i + 1 < len(doc) else None
        if nxt is not None and nxt.text.lower() == "of":  # "100 of the officers"
            pobj = [c for c in nxt.children if c.dep_ == "pobj"]
            noun = pobj[0] if pobj else None
    counts = _lemma_noun(noun.lemma_ if noun.pos_ == "NOUN" else noun.text) if noun is not None else None
    modifiers: tuple[str, ...] = ()
    if noun is not None:
        modifiers = tuple(
            sorted(
                _lemma_noun(c.text)
                for c in noun.children
                if c.dep_ in ("compound", "amod") and c.i < noun.i and c.i > number.i and c.pos_ != "NUM"
            )
        )
    anchor = noun if noun is not None else number
    verb = subject = None
    tok = anchor
    hops = 0
    while tok.head.i != tok.i and hops < 4:
        if tok.dep_ in ("prep", "pobj") and hops > 1:
            break
        tok = tok.head
        hops += 1
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.lower_ == "dead"):
            verb = _verb_key(tok.text) if tok.text.lower() in _VERB_FORMS else _verb_key(tok.lemma_)
            if verb == "be":
                verb = None  # "there were 12 officers" says nothing about what the 12 did
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != anchor.i]
            if subjects and subjects[0].pos_ in ("PROPN", "NOUN"):
                subject = subjects[0].lower_.replace("’", "'").split("'")[0]
            break
    return counts, verb, subject, modifiers


# Kinds whose counted noun and verb are read from the words around them (ages and dates need neither).
_PARSED_KINDS = frozenset({"count", "money", "percent"})


def _span_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    for start, end in spans:
        if start <= pos < end:
            return start, end
    return None


def _sentence_of(spans: list[tuple[int, int]], text: str, pos: int) -> str:
    span = _span_of(spans, pos)
    return text[span[0] : span[1]] if span else ""


def _parse_sentences(
    text: str, spans: list[tuple[int, int]], raws: list[_Raw], backend: Backend
) -> dict[tuple[int, int], tuple[int, Any]]:
    """spaCy parses of just the sentences that hold a count, keyed by sentence span: (offset, doc)."""
    nlp = None if backend == "heuristic" else spacy_pipeline()
    if nlp is None:
        return {}
    wanted = sorted(
        {span for raw in raws if raw.kind in _PARSED_KINDS if (span := _span_of(spans, raw.start))}
    )
    disable = [p for p in nlp.pipe_names if p == "ner"]
    docs = nlp.pipe((text[s:e] for s, e in wanted), disable=disable)
    return {span: (span[0], doc) for span, doc in zip(wanted, docs, strict=True)}


# A figure under a negation ("none of the $5.7 billion", "not 12") is not what its verb did.
_NEGATED = re.compile(
    r"\b(?:none|neither|nothing|no part)\s+of\s+(?:the\s+|its\s+|their\s+)?$|\bnot\s+$", re.I
)


def extract_figures(text: str, article_id: str = "", *, backend: Backend = "auto") -> list[Figure]:
    """Every figure in ``text`` with what it counts, its qualifier and its verb; in order of appearance.

    Figures a tokeniser split ("5. 9", "$1, 799") are read whole; offsets and sentences are those of the text
    joined back (:func:`newsfold.cluster.detokenise`).
    """
    text = detokenise(text)
    raws = _raw_figures(text)
    if not raws:
        return []
    spans = sentence_spans(text)
    parses = _parse_sentences(text, spans, raws, backend)
    figures: list[Figure] = []
    for raw in raws:
        counts, verb, subject, modifiers = raw.unit, None, raw.subject, ()
        if raw.kind in _PARSED_KINDS:
            parsed = parses.get(_span_of(spans, raw.start))
            context = _spacy_context(parsed[1], parsed[0], raw) if parsed else None
            head, verb, subj, modifiers = context if context is not None else _heuristic_context(text, raw)
            subject = subject or subj
            if raw.kind == "count":
                counts = head
        if _NEGATED.search(text, max(0, raw.start - 24), raw.start):
            verb = None  # "included none of the $5.7 billion": the figure is what the verb did not do
        kind = raw.kind
        if kind == "count" and counts in _DURATIONS:
            kind = "duration"
        if kind == "count" and counts is None and verb in _PEOPLE_VERBS:
            counts = "people"  # "the blast killed 12"
        figures.append(
            Figure(
                text=raw.text,
                value=raw.value,
                unit_or_counts=counts or "",
                qualifier=raw.qualifier,
                article_id=str(article_id),
                sentence=_sentence_of(spans, text, raw.start),
                kind=kind,
                verb=verb,
                subject=subject,
                modifiers=modifiers,
                start=raw.start,
                end=raw.end,
                low=raw.low,
                high=raw.high,
            )
        )
    return figures


# --- comparison --------------------------------------------------------------------------------------------


def _complete(figure: Figure) -> bool:
    """Whether a figure says enough about what it measures to conflict with another."""
    if figure.kind == "age":
        return figure.subject is not None
    return figure.verb is not None


def _agree(a: Figure, b: Figure) -> bool:
    return _intersect(interval(a), interval(b))


#: Two reports of one quantity that differ by more than this factor are more likely two quantities (a total
#: and a part: "$8 billion" and "$200 million" of it) than a contradiction.
MAX_CONFLICT_RATIO = 10.0


def _conflict(members: list[Figure]) -> bool:
    """Two articles conflict when no figure of one agrees with any figure of the other.

    At least one pair must also count exactly the same thing, modifiers and all ("3,000 firearms officers"
    and "34,000 officers" group together but do not contradict each other), and be within
    ``MAX_CONFLICT_RATIO`` of each other. A group in which one article itself gives values that disagree
    mixes different quantities (a package's "$1.4 billion" and its "$600 million" from one fund), so it
    cannot show that two articles contradict each other.
    """
    by_article: dict[str, list[Figure]] = defaultdict(list)
    for figure in members:
        by_article[figure.article_id].append(figure)
    for own in by_article.values():
        if any(not _agree(x, y) for i, x in enumerate(own) for y in own[i + 1 :]):
            return False
    ids = list(by_article)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            pairs = [(x, y) for x in by_article[a] for y in by_article[b]]
            witness = any(x.modifiers == y.modifiers and _comparable(x, y) for x, y in pairs)
            if witness and not any(_agree(x, y) for x, y in pairs):
                return True
    return False


def _comparable(a: Figure, b: Figure) -> bool:
    """Whether two values are close enough to be reports of one quantity (within ``MAX_CONFLICT_RATIO``)."""
    low, high = sorted((abs(a.value), abs(b.value)))
    return low == 0 or high / low <= MAX_CONFLICT_RATIO


def _context_groups(figures: list[Figure]) -> list[tuple[list[Figure], bool]]:
    """Split figures of one (kind, counts) by verb, then by subject where subjects are known.

    Each group comes with whether it may conflict: groups of figures that do not say what they measure
    (no verb, or an age of nobody named) only ever agree.
    """
    complete = [f for f in figures if _complete(f)]
    loose = [f for f in figures if not _complete(f)]
    groups: list[list[Figure]] = []
    by_verb: dict[str | None, list[Figure]] = defaultdict(list)
    for figure in complete:
        by_verb[figure.verb if figure.kind != "age" else None].append(figure)
    for members in by_verb.values():
        named: dict[str, list[Figure]] = defaultdict(list)
        unnamed: list[Figure] = []
        for figure in members:
            (named[figure.subject] if figure.subject else unnamed).append(figure)
        if len(named) == 1:
            only = next(iter(named.values()))
            only.extend(unnamed)
            groups.append(only)
        else:
            groups.extend(named.values())
            if unnamed:
                groups.append(unnamed)
    # A figure that does not say enough joins the one group it agrees with, or else others like it.
    strays: list[Figure] = []
    for figure in loose:
        fits = [g for g in groups if all(_agree(figure, m) for m in g)]
        if len(fits) == 1:
            fits[0].append(figure)
        else:
            strays.append(figure)
    stray_groups: list[list[Figure]] = []
    for figure in strays:
        for group in stray_groups:
            if all(_agree(figure, m) for m in group):
                group.append(figure)
                break
        else:
            stray_groups.append([figure])
    return [(g, True) for g in groups] + [(g, False) for g in stray_groups]


def compare_figures(figures: Iterable[Figure]) -> list[FigureGroup]:
    """Group figures about the same thing across articles; flag groups whose articles disagree."""
    keyed: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    figures = list(figures)
    order = {aid: k for k, aid in enumerate(dict.fromkeys(f.article_id for f in figures))}
    for figure in figures:
        if figure.kind in COMPARED_KINDS and figure.unit_or_counts:
            keyed[(figure.kind, figure.unit_or_counts)].append(figure)
    out: list[FigureGroup] = []
    for (kind, counts), members in keyed.items():
        for group, can_conflict in _context_groups(members):
            strict = [f for f in group if _complete(f)]
            ids = sorted({f.article_id for f in group}, key=order.__getitem__)
            conflict = can_conflict and len({f.article_id for f in strict}) > 1 and _conflict(strict)
            values = Counter(f.value for f in group)
            value = values.most_common(1)[0][0]
            shown = next(f for f in group if f.value == value)
            verbs = [f.verb for f in group if f.verb]
            out.append(
                FigureGroup(
                    text=shown.text,
                    value=value,
                    counts=counts,
                    article_ids=ids,
                    conflict=conflict,
                    variants=sorted(group, key=lambda f: (ids.index(f.article_id), f.start)),
                    kind=kind,
                    verb=verbs[0] if verbs else None,
                )
            )
    out.sort(key=lambda g: (-len(g.article_ids), not g.conflict, g.kind, g.counts, g.value))
    return out


def figures_of(articles: Sequence[tuple[str, str]], *, backend: Backend = "auto") -> list[Figure]:
    """All figures of ``(article_id, clean_text)`` pairs, article by article."""
    return [f for aid, text in articles for f in extract_figures(text, aid, backend=backend)]
