"""Figures across the articles of one story: which numbers agree, which conflict.

:func:`extract_figures` finds each number in an article with what it counts: digits ("3,000"), words
("twelve", "a dozen", "hundreds"), money ("£1.5m", "$1,000"), percentages, ages ("24-year-old", "Kaba, 24,"),
durations ("48 hours") and dates and years (kept, but never compared as counts). Each figure carries its
qualifier ("at least", "more than", "about", ...), the head noun it counts ("firearms officers" ->
"officer"), and the verb it goes with ("handed in" -> "hand"), read from spaCy's parse when the English model
is installed (see :func:`newsfold.compare.entities.spacy_pipeline`) and from simple heuristics otherwise.
It also carries whose figure it is (proper names of the verb's subject and of the counted thing's
possessor), the times and periods its clause is set in ("in 2002", "last year", "this season") and what
its verb acts on when the figure stands beside the object ("hosted the ceremony five times"). Ordinals
("the 14th Amendment"), clock times ("7 p. m.") and designators ("USB 3.0", "Route 66") are not figures.

:func:`compare_figures` groups the figures of all articles about the same thing and flags a conflict. A
qualifier makes a figure an interval ("at least 100" = [100, inf), "about 100" = [90, 110]); two reports
agree when their intervals meet. A false conflict is worse than a missed one, so a conflict needs the same
kind, the same counted thing, the same verb and no contradicting subject, names, times or object, values
within ten times of each other, and no figure of one article may agree with any figure of the other; and
no article of the story may use the same words for values that disagree (two players' "had 13 points" and
"had 5 points"), since the words then name several quantities. A light verb ("had", "gets") says what is
counted only with a subject. Groups that are no conflict are split into runs of values that agree, so a
row of agreeing reports never lumps a total with a part.

Reads ``(article_id, clean_text)``; returns :class:`Figure` and :class:`FigureGroup` lists.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
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
# "am", "p.m." and tokenised "a. m." after a clock time.
_CLOCK = r"(?:am|pm|[ap]\.\s?m\b\.?)(?!\w)"
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
    rf"(?:(?P<digits>{_DIGITS})(?!(?:st|nd|rd|th|s)\b)"  # "the 14th Amendment", "the 1990s": no counts
    rf"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion)\b|(?P<abbr>m|bn|k)\b)?"
    rf"|(?P<vague>{_VAGUE_RE})\b|(?P<words>\b(?:{_WORD_NUMBER}))\b)"
    rf"(?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b)?"
    rf"(?P<yo>\s?-\s?year\s?-\s?olds?\b)?"  # "24-year-old", tokenised "24 - year - old"
    rf"(?P<curword>\s+(?:dollars|pounds|euros)\b)?"
    rf"(?![\w-]*\d)(?!:\d)(?!\s?{_CLOCK})",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{4}})\b"
)
_TIME = re.compile(rf"\b\d{{1,2}}(?:[:.]\d{{2}})?\s?{_CLOCK}|\b\d{{1,2}}:\d{{2}}\b", re.IGNORECASE)
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
    "the a an their his her its our your this these those per "
    # Pronouns count nothing of their own: "18 of them".
    "them us you it him me they we he she i".split()
)
# Nouns that "one" (or "a") goes with in idioms, counting nothing: "one way to fix it", "one problem is".
_IDIOM_ONE = frozenset(
    "way thing problem reason step time point question issue example side hand moment word another day".split()
)
_AUX = frozenset(
    "were was are is be been being have has had will would could can may might must should shall do does did "
    "not also now already reportedly allegedly since then still just all each reportedly".split()
)
_PLURAL_IRREGULAR = {"people": "people", "persons": "people", "men": "man", "women": "woman", "children": "child",
                     "police": "police", "staff": "staff", "personnel": "personnel", "troops": "troop",
                     "lives": "life", "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
                     "sheep": "sheep", "deer": "deer", "fish": "fish", "cattle": "cattle"}  # fmt: skip
# Subjects that name nobody: "It has 16 ports" says nothing of which device.
_PRONOUNS = frozenset("i you he she it we they who which there one".split())
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

    ``names`` are the proper names of whose figure it is (the subject of its verb, the possessor of what it
    counts: "EDS shares ... to close at $24" -> ``("eds",)``); ``times`` the times and periods its clause is
    set in ("in 2002", "last year", "this season": ``("2002",)``); ``target`` what its verb acts on when
    that is not the counted thing ("hosted the ceremony five times" -> "ceremony"). Figures of different
    names, times or targets are different quantities, whatever their values.
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
    names: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    target: str | None = None

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


@dataclass(slots=True)
class _Context:
    """What the words around a count say about it."""

    counts: str | None = None  # the counted noun's lemma
    verb: str | None = None
    subject: str | None = None  # the verb's own subject, a common noun or a name
    modifiers: tuple[str, ...] = ()  # of the counted noun: "firearms" officers
    names: tuple[str, ...] = ()  # see Figure.names
    times: tuple[str, ...] = ()  # see Figure.times
    target: str | None = None  # see Figure.target


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
    if currency.lower() == "pounds" and _WEIGHT.search(text, max(0, match.start() - 40), match.end() + 20):
        return make("count", None)  # "weighs 6.6 pounds (3 kg)": a weight, counted in pounds
    if currency:
        return make("money", _CURRENCIES[currency.lower()])
    if match.group("pct"):
        return make("percent", "%")
    if match.group("yo"):
        # "the 24-year-old Chris Kaba": two or more capitalised words after it name the person.
        name = re.match(r"\s+((?:[A-Z][\w’'-]+\s+)+[A-Z][\w’'-]+)", text[match.end() : match.end() + 60])
        return make("age", "age", name.group(1).split()[-1].lower() if name else None)
    digits = match.group("digits") or ""
    if digits and _designates(text, match):
        return None
    if re.fullmatch(r"\d{4}", digits) and 1800 <= value <= 2100 and not qualifier:
        after_preposition = _YEAR_BEFORE.search(text[max(0, match.start() - 12) : match.start()])
        if after_preposition or _heuristic_head(text, match.end()) is None:
            return make("year", "year")  # "in 2019"; "2000 officers" stays a count
    return make("count", None)


_NAME_BEFORE = re.compile(
    r"(?:(?<=[a-z,;:] )|(?<=[a-z,;:] [“\"‘']))(?P<name>[A-Z][\w’'-]*) $|\b(?P<acronym>[A-Z]{2,}) $"
)
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _designates(text: str, match: re.Match[str]) -> bool:
    """Whether a number names a thing rather than counting it: "USB 3.0", "Route 66", "the Curve 8900".

    A number right after a name (a capitalised word inside a sentence, or an acronym) is a version, model or
    route, unless it is a whole number followed by the plural noun it counts ("in Gaza 40 people died").
    Headlines capitalise every word, so there nothing can be read from capitals.
    """
    before = _NAME_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if before is None or (before.group("name") or before.group("acronym")).lower() in _CALENDAR:
        return False
    start = max(text.rfind("\n", 0, match.start()), text.rfind(". ", 0, match.start())) + 1
    end = min(i for i in (text.find("\n", match.end()), text.find(". ", match.end()), len(text)) if i >= 0)
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text[start:end]) if len(w) > 3]
    if len(words) >= 4 and all(w[0].isupper() for w in words):
        return False  # a headline's "Quake in Iran Kills 10"
    digits = match.group("digits")
    whole = "." not in digits
    return not (whole and _heuristic_head(text, match.end()) is not None)


_WEIGHT = re.compile(
    r"\b(?:weigh\w*|heav(?:y|ier|iest)|light(?:er|est)?)\b|\bpounds\s*\(\s*[\d.]+\s*(?:kg|kilo)",
    re.IGNORECASE,
)


def _counting_one(text: str, match: re.Match[str]) -> bool:
    """Whether "one" counts something ("one officer") rather than being a pronoun ("no one", "one of")."""
    before = text[max(0, match.start() - 12) : match.start()].lower().split()
    if before and before[-1] in {"no", "the", "every", "any", "each", "this", "that", "which"}:
        return False
    after = re.match(r"\s+([a-z]+)", text[match.end() : match.end() + 20])
    return bool(after and after.group(1) not in _NP_STOP and after.group(1) not in _IDIOM_ONE)


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


# Where a clause ends, for the heuristics: what follows "; " or " and " is another statement, with its own
# subject and times.
_CLAUSE_BREAK = re.compile(
    r"[;:—–]|\s-\s|,?\s(?:and|but|while|whereas|when|although|though)\s|,\s(?:who|which)\s", re.IGNORECASE
)
_TIME_NOUNS = "year|season|month|week|decade|century|spring|summer|autumn|winter|term|quarter"
_FULL_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Times that set a figure apart, besides dates and years: "a decade ago", "in February", and the period a
# figure is counted over: "last year", "this season", "in his first three seasons", "during a 15-2 run".
_PERIOD_WORDS = (
    r"first|second|third|fourth|fifth|final|last|past|previous|next|opening|rookie|entire|whole|regular|"
    r"major-league|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
)
_RELATIVE_TIME = re.compile(
    rf"\b[\w-]+\s+(?P<ago>{_TIME_NOUNS})s?\s+ago\b"
    rf"|\b(?i:in|since|until|till|by|during|from|early|late|mid|last|next|through)\s+(?P<month>{_FULL_MONTHS})\b"
    r"(?![\s.]*\d)"
    rf"|\b(?P<period>(?i:this|that|his|her|their|its|the|each|every|last|next|previous|past)\s+"
    rf"(?:(?i:{_PERIOD_WORDS})\s+){{0,3}}(?i:{_TIME_NOUNS}|game|half|career)s?)\b"
    r"|\b(?i:during)\s+(?P<during>[^,.;:()]{1,60}?)(?=\s+(?i:as|when|while|in|on|at|of|and|but)\b|[,.;:()]|$)"
)
_TITLES = frozenset("mr mrs ms miss dr sir dame rev sen rep gov president st".split())


def _time_key(raw: _Raw) -> str:
    """A date's or year's key: "2002", a month ("feb 2002"), a day's date marked "day " ("day feb 2002")."""
    if raw.kind == "year":
        return raw.text
    month = re.search(rf"{_MONTHS}", raw.text)
    year = re.search(r"\d{4}", raw.text)
    day = re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", raw.text)
    key = " ".join(
        x for x in ((month.group()[:3].lower() if month else ""), year.group() if year else "") if x
    )
    return f"day {key}" if day else key


def _times_in(
    text: str, raws: Sequence[_Raw], spans: Iterable[tuple[int, int]], own: _Raw
) -> tuple[str, ...]:
    """The times stated in these character spans of ``text`` (a clause), other than the figure ``own``:
    dates, years, relative times and periods, each as a key that another report of the time would share."""
    out: set[str] = set()
    spans = list(spans)
    for raw in raws:
        if raw.kind in ("date", "year") and any(s <= raw.start < e for s, e in spans):
            out.add(_time_key(raw))
    for start, end in spans:
        for match in _RELATIVE_TIME.finditer(text, start, end):
            if match.start() < own.end and own.start < match.end():
                continue  # "for his 15 years at the plant" is the figure itself
            if match.group("ago"):
                out.add("ago " + match.group("ago").lower())
            elif match.group("month"):
                out.add(match.group("month")[:3].lower())
            elif match.group("period"):
                out.add(" ".join(match.group("period").lower().split()).rstrip("s"))
            else:
                out.add("during " + match.group("during").lower().split()[-1])
    return tuple(sorted(out))


def _name_key(word: str) -> str | None:
    """A proper name's key ("H-P" ~ "HP"), or None for titles and days ("Mr", "Tuesday")."""
    key = re.sub(r"\W", "", word.lower().replace("’s", "").replace("'s", ""))
    return key if key and key not in _TITLES and key not in _CALENDAR else None


def _heuristic_context(text: str, raw: _Raw, raws: Sequence[_Raw], sentence: tuple[int, int]) -> _Context:
    """What the words around a count say, read without a parse."""
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
    # The clause around the figure, and the words of it before the figure (or before its verb).
    breaks = list(_CLAUSE_BREAK.finditer(text, sentence[0], sentence[1]))
    start = max([m.end() for m in breaks if m.end() <= raw.start], default=sentence[0])
    end = min([m.start() for m in breaks if m.start() >= raw.end], default=sentence[1])
    subject_end = raw.start
    if verb is None:
        before = list(re.finditer(r"[A-Za-z][\w’'-]*", text[max(0, raw.start - 60) : raw.start]))[-3:]
        for k in range(len(before) - 1, -1, -1):
            low = before[k].group().lower()
            if low in {"the", "a", "an", "by", "to"}:
                continue
            if _looks_verb(before[k].group()):
                verb = _verb_key(before[k].group())
                subject_end = max(0, raw.start - 60) + before[k].start()
                # The word before the verb is its subject, if it is not a function word: "The Met has".
                if k > 0 and before[k - 1].group().lower() not in _NP_STOP | _PRONOUNS:
                    subject = before[k - 1].group().lower().replace("’", "'").split("'")[0]
            break
    if counts is None and raw.kind == "count" and verb is None:
        # "12 people killed" is handled above; "12 killed" has the verb right after the number.
        nxt = words[0][0] if words else ""
        if nxt and _looks_verb(nxt):
            verb = _verb_key(nxt)
    names: set[str] = set()
    for match in reversed(list(re.finditer(r"[A-Za-z][\w’'-]*|[^\w\s]", text[start:subject_end]))[-4:]):
        word = match.group()
        if not word[0].isalpha() or word.lower() in _NP_STOP:
            break
        if word.lower() in _PRONOUNS:
            break
        # A capitalised first word is a name only if the text never writes it in lower case ("Police").
        first = start + match.start() == sentence[0]
        if word[0].isupper() and not (first and re.search(rf"\b{re.escape(word.lower())}\b", text)):
            key = _name_key(word)
            if key:
                names.add(key)
    times = _times_in(text, raws, [(start, end)], raw)
    return _Context(counts, verb, subject, modifiers, tuple(sorted(names)), times)


# Dependencies that start another clause: its subject and times are its own.
_CLAUSE_DEPS = frozenset(
    {"conj", "ccomp", "advcl", "relcl", "parataxis", "csubj", "csubjpass", "xcomp", "pcomp"}
)
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _governor(tok: Any) -> Any | None:
    """The verb a clause hangs on ("killing three" -> "opened"), through prepositions ("with ... tuning")."""
    for _ in range(3):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def _finite(verb: Any) -> bool:
    return verb.tag_ in _FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in verb.children
    )


def _has_subject(verb: Any) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _clause_tokens(verb: Any) -> list[Any]:
    """The verb and what hangs on it, without the clauses that hang on it."""
    out = [verb]
    for child in verb.children:
        # A participle hung on the verb is a clause too, whatever its label: "..., compared with 55.3 million".
        if child.dep_ not in _CLAUSE_DEPS and child.pos_ != "VERB":
            out.extend(child.subtree)
    return out


def _subject_token(verb: Any, anchor: Any) -> Any | None:
    """Who the verb is about: its subject, or the subject it shares ("X became ... and had 5 points"), or the
    noun a relative clause describes ("VanDeest, who had 13 points"); None when that is the figure itself."""
    tok = verb
    for _ in range(4):
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            if subjects[0].i == anchor.i:
                return None
            if subjects[0].tag_ in ("WP", "WDT", "WP$") and tok.dep_ == "relcl":
                return tok.head
            return subjects[0]
        if tok.dep_ == "relcl":
            return tok.head
        if tok.dep_ not in _CLAUSE_DEPS:
            return None
        governor = _governor(tok)
        if governor is None:
            return None
        tok = governor
    return None


def _proper_names(tok: Any) -> set[str]:
    """Proper names in a noun phrase's head, compounds, possessors and appositions ("HP's shares")."""
    out: set[str] = set()
    todo = [tok]
    while todo:
        current = todo.pop()
        if current.pos_ == "PROPN" and (key := _name_key(current.text)):
            out.add(key)
        todo.extend(c for c in current.children if c.dep_ in ("compound", "poss", "appos", "nmod", "flat"))
    return out


def _spacy_context(doc: Any, offset: int, raw: _Raw, text: str, raws: Sequence[_Raw]) -> _Context | None:
    """What the dependency parse says about a count, or None if the count is not aligned with its tokens.

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
    # "A 6.1-magnitude quake", "a 12-year sentence": joined by a hyphen, the word after the number is the unit
    # measured, not a modifier of the thing counted.
    measure = noun is not None and re.fullmatch(r"\s?-\s?", doc.text[number.idx + len(number) : noun.idx])
    while (
        not measure and noun is not None and noun.dep_ == "compound" and noun.head.pos_ in ("NOUN", "PROPN")
    ):
        noun = noun.head  # "100 firearms officers": the parser may hang the number on "firearms"
    if noun is None:
        nxt = number.nbor(1) if number.i + 1 < len(doc) else None
        if nxt is not None and nxt.text.lower() == "of":  # "100 of the officers"
            pobj = [c for c in nxt.children if c.dep_ == "pobj" and c.pos_ != "PRON"]  # not "18 of them"
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
    verb_token = None
    tok = anchor
    hops = 0
    while tok.head.i != tok.i and hops < 4:
        if tok.dep_ in ("prep", "pobj") and hops > 1:
            break
        tok = tok.head
        hops += 1
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.lower_ == "dead"):
            verb_token = tok
            verb = _verb_key(tok.text) if tok.text.lower() in _VERB_FORMS else _verb_key(tok.lemma_)
            if verb == "be":
                verb = None  # "there were 12 officers" says nothing about what the 12 did
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != anchor.i]
            if subjects and subjects[0].pos_ in ("PROPN", "NOUN"):
                subject = subjects[0].lower_.replace("’", "'").split("'")[0]
            break
    # Whose figure it is: the proper names of the verb's subject and of what the figure counts.
    names: set[str] = set()
    if noun is not None:
        for child in noun.children:
            if child.dep_ in ("poss", "compound") and child.i != number.i:
                names |= _proper_names(child)
    clause = list(anchor.subtree)
    target = None
    if verb_token is not None:
        who = _subject_token(verb_token, anchor)
        if who is not None:
            names |= _proper_names(who)
        # A figure beside the verb's object rather than its subject or object ("hosted the Tonys three
        # times", "bought Compaq for $19 billion") is a figure of that object.
        objects = [c for c in verb_token.children if c.dep_ == "dobj" and anchor not in list(c.subtree)]
        beside = anchor.head.i != verb_token.i or anchor.dep_ not in ("nsubj", "nsubjpass", "dobj")
        if beside and objects and objects[0].pos_ in ("NOUN", "PROPN"):
            target = _lemma_noun(objects[0].lemma_ if objects[0].pos_ == "NOUN" else objects[0].text)
        # What is said before the first of coordinated verbs is said of them all: "During the run, he
        # scored 5 points and blocked two shots".
        first = verb_token
        for _ in range(4):
            if first.dep_ != "conj" or first.head.i == first.i:
                break
            first = first.head
        if first is not verb_token:
            for child in first.children:
                if child.i < first.i and (
                    child.dep_ in ("prep", "npadvmod", "advmod")
                    or (child.dep_ == "advcl" and not _has_subject(child))
                ):
                    clause.extend(child.subtree)
        # A clause without a tense of its own ("..., killing three") is set in the time of the one it hangs on.
        current = verb_token
        for _ in range(3):
            clause.extend(_clause_tokens(current))
            if _finite(current) or current.dep_ not in _CLAUSE_DEPS:
                break
            governor = _governor(current)
            if governor is None:
                break
            current = governor
    indices = sorted({t.i for t in clause})
    spans: list[tuple[int, int]] = []
    for i in indices:
        start, end = offset + doc[i].idx, offset + doc[i].idx + len(doc[i].text)
        if spans and i - 1 in indices and start - spans[-1][1] <= 2:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    times = _times_in(text, raws, spans, raw)
    return _Context(counts, verb, subject, modifiers, tuple(sorted(names)), times, target)


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


# A figure under a negation ("none of the $5.7 billion", "not 12", "never hit 26") is not what its verb did.
_NEGATED = re.compile(
    r"\b(?:none|neither|nothing|no part)\s+of\s+(?:the\s+|its\s+|their\s+)?$|\b(?:not|never)\s+(?:[a-z]+\s+)?$",
    re.I,
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
        names: tuple[str, ...] = (raw.subject,) if raw.subject else ()
        times: tuple[str, ...] = ()
        target = None
        if raw.kind in _PARSED_KINDS:
            sentence = _span_of(spans, raw.start) or (0, len(text))
            parsed = parses.get(sentence)
            context = _spacy_context(parsed[1], parsed[0], raw, text, raws) if parsed else None
            if context is None:
                context = _heuristic_context(text, raw, raws, sentence)
            verb, modifiers, names, times = context.verb, context.modifiers, context.names, context.times
            target = context.target
            subject = subject or context.subject
            if raw.kind == "count":
                counts = context.counts
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
                names=names,
                times=times,
                target=target,
            )
        )
    return figures


# --- comparison --------------------------------------------------------------------------------------------


# Verbs that say little about what their number measures: "had 13 points", "$1,499 gets you", "has 60% more".
_LIGHT_VERBS = frozenset({"have", "get", "give", "make", "take", "go", "come", "do", "put"})


def _complete(figure: Figure) -> bool:
    """Whether a figure says enough about what it measures to conflict with another: a verb, and for a light
    verb also whose figure it is (a subject or a name)."""
    if figure.kind == "age":
        return figure.subject is not None
    if figure.verb in _LIGHT_VERBS:
        return bool(figure.subject or figure.names)
    return figure.verb is not None


def _agree(a: Figure, b: Figure) -> bool:
    return _intersect(interval(a), interval(b))


#: Two reports of one quantity that differ by more than this factor are more likely two quantities (a total
#: and a part: "$8 billion" and "$200 million" of it) than a contradiction.
MAX_CONFLICT_RATIO = 10.0


def _same_time(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two figures' times allow them to be one quantity.

    A year, a month or a relative time ("in 2002", "in February", "last year") sets a figure in another
    period than a figure without one; a day's date does not, since it is usually the day of the story's own
    event, which another report may simply not date.
    """
    if set(a) == set(b):
        return True
    if not a or not b:
        return all(t.startswith("day ") for t in a or b)
    return False


def _same_quantity(a: Figure, b: Figure) -> bool:
    """Whether nothing around two figures says they measure different things: whose, of what and when."""
    if a.names and b.names and not set(a.names) & set(b.names):
        return False  # "EDS shares ... closed at $24" and "HP shares ... closed at $46"
    if a.target and b.target and a.target != b.target:
        return False  # "hosted the Tonys three times" and "hosted the ceremony five times"
    return _same_time(a.times, b.times)


def _comparable(a: Figure, b: Figure) -> bool:
    """Whether two values are close enough to be reports of one quantity (within ``MAX_CONFLICT_RATIO``)."""
    low, high = sorted((abs(a.value), abs(b.value)))
    return low == 0 or high / low <= MAX_CONFLICT_RATIO


def _words_key(figure: Figure) -> tuple[str, str, str | None]:
    """What a figure is a value of, as far as its words tell: (kind, counted thing, verb; or person for ages)."""
    return figure.kind, figure.unit_or_counts, figure.subject if figure.kind == "age" else figure.verb


def _several_values(figures: Iterable[Figure]) -> set[tuple[str, str, str | None]]:
    """The words (:func:`_words_key`) that some article uses for values that disagree with each other.

    An article that says "had 13 points" of one player and "had 5 points" of another, or "$1.4 billion" and
    "$600 million" for what a package "includes", shows that in this story those words stand for several
    quantities; two other articles' values for them may then be of different ones, so none conflict.
    """
    by_article: dict[tuple[str, tuple[str, str, str | None]], list[Figure]] = defaultdict(list)
    for figure in figures:
        if _complete(figure):
            by_article[(figure.article_id, _words_key(figure))].append(figure)
    return {
        key
        for (_, key), own in by_article.items()
        if any(not _agree(x, y) for i, x in enumerate(own) for y in own[i + 1 :])
    }


def _conflict(members: list[Figure]) -> bool:
    """Two articles conflict when no figure of one agrees with any figure of the other.

    At least one pair must also count exactly the same thing, modifiers and all ("3,000 firearms officers"
    and "34,000 officers" group together but do not contradict each other), be of the same names, target and
    times (:func:`_same_quantity`), and be within ``MAX_CONFLICT_RATIO`` of each other.
    """
    by_article: dict[str, list[Figure]] = defaultdict(list)
    for figure in members:
        by_article[figure.article_id].append(figure)
    ids = list(by_article)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            pairs = [(x, y) for x in by_article[a] for y in by_article[b]]
            witness = any(
                x.modifiers == y.modifiers and _comparable(x, y) and _same_quantity(x, y) for x, y in pairs
            )
            if witness and not any(_agree(x, y) for x, y in pairs):
                return True
    return False


def _split(
    members: list[Figure], key: Callable[[Figure], Any], fits: Callable[[Any, Any], bool]
) -> list[list[Figure]]:
    """Split figures into groups by ``key`` (None: unknown); the unknown ones join the only group they fit.

    ``key(figure)`` says what a figure is about; ``fits(a, b)`` whether two keys can be about one thing.
    """
    groups: list[list[Figure]] = []
    unknown: list[Figure] = []
    for figure in members:
        k = key(figure)
        if k is None:
            unknown.append(figure)
            continue
        for group in groups:
            if all(fits(k, key(m)) for m in group):
                group.append(figure)
                break
        else:
            groups.append([figure])
    if len(groups) == 1:
        groups[0].extend(unknown)
    elif unknown:
        groups.append(unknown)
    return groups


def _by_magnitude(group: list[Figure]) -> list[list[Figure]]:
    """Split a group where its values are more than ``MAX_CONFLICT_RATIO`` apart: different quantities."""
    bands: list[list[Figure]] = []
    for figure in sorted(group, key=lambda f: abs(f.value)):
        if bands and abs(figure.value) <= MAX_CONFLICT_RATIO * max(abs(bands[-1][0].value), 1e-9):
            bands[-1].append(figure)
        else:
            bands.append([figure])
    return bands


def _context_groups(figures: list[Figure]) -> list[tuple[list[Figure], bool]]:
    """Split figures of one (kind, counts) by verb, then by subject, times, target and names where they are
    known, then by magnitude.

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
        for named in _split(members, lambda f: f.subject, lambda a, b: a == b):
            for timed in _split(named, lambda f: f.times or None, _same_time):
                for targeted in _split(timed, lambda f: f.target, lambda a, b: a == b):
                    groups.extend(
                        _split(targeted, lambda f: f.names or None, lambda a, b: bool(set(a) & set(b)))
                    )
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
    return [(band, True) for g in groups for band in _by_magnitude(g)] + [
        (band, False) for g in stray_groups for band in _by_magnitude(g)
    ]


def _agreeing(group: list[Figure]) -> list[list[Figure]]:
    """``group`` split into runs of figures that all agree with each other, smallest values first."""
    out: list[list[Figure]] = []
    for figure in sorted(group, key=lambda f: (f.value, f.article_id, f.start)):
        for run in out:
            if all(_agree(figure, m) for m in run):
                run.append(figure)
                break
        else:
            out.append([figure])
    return out


def compare_figures(figures: Iterable[Figure]) -> list[FigureGroup]:
    """Group figures about the same thing across articles; flag groups whose articles disagree."""
    keyed: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    figures = list(figures)
    order = {aid: k for k, aid in enumerate(dict.fromkeys(f.article_id for f in figures))}
    for figure in figures:
        if figure.kind in COMPARED_KINDS and figure.unit_or_counts:
            keyed[(figure.kind, figure.unit_or_counts)].append(figure)
    several = _several_values(f for members in keyed.values() for f in members)
    out: list[FigureGroup] = []
    for (kind, counts), members in keyed.items():
        shown_groups: list[tuple[list[Figure], bool]] = []
        for group, can_conflict in _context_groups(members):
            strict = [f for f in group if _complete(f)]
            conflict = (
                can_conflict
                and len({f.article_id for f in strict}) > 1
                and not any(_words_key(f) in several for f in strict)
                and _conflict(strict)
            )
            # A group that is no conflict is shown as figures that agree: values that do not, stand apart.
            shown_groups.extend([(group, True)] if conflict else [(g, False) for g in _agreeing(group)])
        for group, conflict in shown_groups:
            ids = sorted({f.article_id for f in group}, key=order.__getitem__)
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
