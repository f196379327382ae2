"""Reason-coded rules: patterns of page furniture and injected spam that name *why* a line is junk.

Each rule looks at one line alone and answers a reason code or ``None``. The rules describe kinds of junk
(sign-up prompts, template residue, photo credits, share bars, promotional calls to action), not the wording
of any one site, so they carry over to pages they have never seen. What no rule names is left to the learned
line model in :mod:`newsfold.clean.model`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import ahocorasick

__all__ = ["REASONS", "rule_reason", "is_footer_marker"]

#: Every reason code the cleaner can give, with what it means (shown by ``newsfold clean --explain``).
REASONS: dict[str, str] = {
    "template": "template or markup residue ({{ }}, {% %}, HTML tags, script code)",
    "newsletter": "newsletter or e-mail sign-up prompt",
    "paywall": "subscription or log-in prompt about reading the article (a paywall)",
    "cookie": "cookie or consent notice",
    "share": "share / print / comment bar",
    "social": "follow-us or join-our-channel prompt",
    "caption": "photo or video caption with a credit",
    "related": "related or recommended links",
    "navigation": "menu, breadcrumb or other navigation text",
    "advertisement": "advertisement label or sponsored notice",
    "source-footer": "scraper footer such as 'Source link' or 'appeared first on'",
    "legal": "copyright, rights or disclaimer line",
    "promo-spam": "promotional call to action (bonuses, offers, referral links)",
    "self-promo": "the outlet promoting itself to the reader: its app, its latest news, its editorial standards",
    "byline": "byline, dateline, timestamp, reading time or tag list",
    "correction": "correction notice about an earlier version of the article",
    "note": "note about the article itself: how it was produced, edited or syndicated, an editor's note, the author's bio",
    "comments": "reader comments section",
    "boilerplate": "page furniture found by the learned line model",
    "after-footer": "text after the end-of-article footer",
    "repeated": "a line that articles of several other stories also carried (site template, scraper spam)",
    "copy-addition": "a short line a copy adds to the article it copies (a scraper's or syndicator's addition)",
}

_I = re.IGNORECASE


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


# --- template and markup residue -------------------------------------------------------------------------
_TEMPLATE = re.compile(
    r"\{\{[^{}]{0,300}\}\}|\{%[^%]{0,300}%\}|<%[^%]{0,300}%>|\$\{[a-z_.]+\}|</?(?:div|span|p|a|img|script|iframe|br|strong|em)\b[^>]*>"
    r"|\b(?:function\s*\(|var\s+\w+\s*=|document\.(?:write|getElementById)|window\.\w+|googletag\.|"
    r"adsbygoogle|\.push\(\{)",
    _I,
)
_HTML_ENTITY_RUN = re.compile(r"(?:&[a-z]+;|&#\d+;){2,}", _I)

# --- prompts addressed to the reader ---------------------------------------------------------------------
_NEWSLETTER = _rx(
    r"\b(?:sign(?:ing)?[ -]?up|subscribe|subscription|newsletters?|e-?mail alerts?|to your inbox|"
    r"e-?mail address|enter (?:a |your )?(?:valid )?e-?mail|daily briefing|unsubscribe|"
    r"(?:in|to|straight to) your inbox)\b|^\W*i(?:'d| would) like to receive\b"
)
_ADDRESSED = _rx(
    r"\b(?:you|your|our|us|please)\b|(?:^|[.!?]\s+)\W*(?:sign up|subscribe|get|enter|join|register)\b|"
    r"^\W*i(?:'d| would) like to receive\b"
)
# Reported speech quotes someone addressing *their* audience: "the minister said: “if you sign up ...”".
_REPORTED = _rx(
    r"\b(?:said|says|told|added|according to)\b.{0,40}[\"“]|[\"”],?\s+(?:\w+\s+){0,3}(?:said|says)\b"
)
# A paywall speaks of access to the article being read: who may read it, how to go on reading.
_PAYWALL = _rx(
    r"\b(?:for subscribers only|subscribers only\W*$|subscriber exclusive|(?:already|become) a (?:subscriber|member)|"
    r"(?:log|sign) ?in (?:to|or (?:register|subscribe) to) (?:continue|read|keep reading|access)|"
    r"to (?:continue|keep) reading|continue reading (?:with|your|for)|(?:limit|number) of free (?:articles|stories)|"
    r"free (?:articles|stories) (?:left|remaining)|unlimited (?:digital )?access|(?:start|begin) (?:your|a) free trial|"
    r"unlock (?:this|the|full) (?:article|story)|create a (?:free )?account to|register (?:for free|now) to (?:read|continue)|"
    r"(?:read|see) the (?:rest|full) (?:of this|article|story) (?:with|by)|already have an account|"
    r"subscribe (?:now |today )?to (?:read|continue|keep reading|access|unlock)|"
    r"(?:reserved|available|exclusive) (?:for|to) (?:our |paying )?(?:subscribers|members))\b"
)
_NEWSLETTER_CONTEXT = _rx(
    r"\b(?:newsletters?|inbox|e-?mails?|alerts?|privacy (?:notice|policy)|offers|updates|"
    r"free|sign up|subscribe|please enter|thanks? (?:you )?for signing)\b"
)
_COOKIE = _rx(
    r"\b(?:we use cookies|this (?:web)?site uses cookies|cookie (?:policy|settings|preferences|consent)|"
    r"accept (?:all )?cookies|manage (?:your )?consent|by continuing to (?:use|browse)|"
    r"(?:due to|because of|based on) your (?:privacy|cookie|consent) (?:preferences|settings|choices))\b"
)
_SHARE = _rx(
    r"^(?:share(?: this)?(?: (?:article|story|post|page))?(?: on| via| to)?|tweet|pin(?: it)?|e-?mail(?: this)?|"
    r"print(?: this)?(?: (?:article|story|page))?|copy link|comments?|save|facebook|twitter|whatsapp|"
    r"linkedin|reddit|messenger|telegram|x|email|share|flipboard|like(?: this)?)(?:[\s|/·•,:]+(?:share(?: on)?|tweet|pin|"
    r"e-?mail|print|copy link|comments?|save|facebook|twitter|whatsapp|linkedin|reddit|messenger|telegram|"
    r"x|flipboard))*\W*$"
)
# A blog platform's buttons: "Click to share on WhatsApp (Opens in new window)", "Click to print".
_SHARE_BUTTON = _rx(
    r"^\W*(?:(?:click|tap) (?:here )?to (?:share|e-?mail|print|tweet|pin|save|post)\b|link copied\b|"
    r"gift (?:this )?(?:article|story|link)\W*$|republish (?:this|our) (?:article|story)\W*$)"
)
# "Share or comment on this article:", "Print or email this story": actions on the article, joined.
_SHARE_PHRASE = _rx(
    r"^\W*(?:share|comment|print|e-?mail|save|send)(?:\s*(?:,|or|and|/|&)\s*(?:share|comment|print|e-?mail|save|send))+"
    r"(?: (?:on|via|to))?(?: (?:this|the) (?:article|story|post|page))?\W*$"
)
_SOCIAL = _rx(
    r"\b(?:follow us|follow me on (?:twitter|x|linkedin|instagram|facebook|tiktok|threads|bluesky|mastodon)|like us on|join (?:us|our) (?:on )?(?:telegram|whatsapp|discord|facebook|channel|"
    r"community|group)|find us on|connect with us|our (?:telegram|whatsapp|discord) (?:channel|group))\b"
)
_RELATED = _rx(
    r"^(?:related(?: (?:articles?|stories|news|content|coverage|links|topics|posts?|reading))?|"
    r"read (?:more|also|next|this|the full (?:story|article))|see also|also read|more (?:from|on|about|in|stories)\b.*|"
    r"recommended(?: for you)?|you (?:may|might) (?:also )?(?:like|be interested)|most (?:popular|read|viewed|shared)|"
    r"trending(?: now)?|top stories|latest (?:news|stories)|editor'?s picks|don'?t miss|watch(?: next| more)?|"
    r"more like this|in (?:other|related) news|popular (?:now|stories)|click (?:here )?for more\b.*)\b"
)
# A link marked as paid: "Best VPN deals this month (sponsored)", "Ten stocks to buy now | Promoted".
_SPONSORED_LINK = _rx(r"^[^.!?]{1,100}[(\[|]\s*(?:sponsored|advertisement|ad|promoted)\s*[)\]]?\W*$")
_ADVERT_LABEL = (
    r"(?:advertisement|advertising|sponsored(?: content| post| by .*)?|promoted(?: content| stories)?|"
    r"paid (?:content|post|partnership)|ad|ads by \w+|story continues(?: below(?: (?:this |the )?(?:advertisement|ad|advert))?)?|skip ad|ad feedback|"
    r"continue reading (?:below|the main story)|(?:the )?(?:article|story|content) continues (?:below|after (?:the |this )?"
    r"(?:advertisement|ad|advert))|scroll (?:down )?(?:to continue|for more)(?: with (?:the )?content| reading| content)?|"
    r"why this ad\??|ad-?free (?:reading|browsing|experience)\b.*)"
)
# One label or several joined: "Advertisement - scroll for more content".
_ADVERT = _rx(r"^\W*" + _ADVERT_LABEL + r"(?:\s*[-–—:|·]\s*" + _ADVERT_LABEL + r")*\W*$")
# Paid prose, labelled as such in front ("Partner content: When Riverton's oldest bakery ..."), and betting
# odds with their gambling notice ("Odds via SkyPeak Bet ... 18+ begambleaware.org").
_ADVERTORIAL = _rx(
    r"^\W*(?:sponsored(?: content| post)?|sponsored by [^:.]{1,60}|partner content|paid (?:content|post|partnership)|"
    r"advertorial|promoted(?: content)?|brand(?:ed)? content|in (?:paid )?partnership with [^:.]{1,60})\s*[:|—–]\s*\S"
    r"|\bbegambleaware\b|\bgambleaware\b|\bgamble responsibly\b|\bodds (?:via|courtesy of|provided by|supplied by)\b"
)
_SOURCE_FOOTER = _rx(
    r"^\W*(?:source(?: link)?|original(?: source| article)?|via|read (?:the )?original(?: article)?|"
    r"(?:this (?:article|story|post) )?(?:was )?originally (?:published|appeared) (?:first )?(?:on|at|in)\b.*|"
    r"the post .+ appeared first on .+|.+ appeared first on .+|continue reading(?: on .+)?|"
    r"click here to read (?:more|the full).*|view (?:the )?original (?:content|article|post|story|release)\b.*)\W*$"
)
_LEGAL = _rx(
    r"(?:©|\(c\)\s*(?:19|20)\d\d|\bcopyright\b.*\b(?:19|20)\d\d|\ball rights reserved\b|"
    r"\bmay not be (?:published|broadcast|rewritten|redistributed)\b|\bterms (?:of|and) (?:use|service|conditions)\b|"
    r"\bprivacy policy\b|^\W*disclaimer\b|\b(?:affiliate|advertising|sponsorship) disclosure\b|"
    r"\b(?:we|may|might|could) (?:earn|receive|get) (?:a )?(?:small )?(?:commission|compensation|share of sales)\b|"
    r"\b(?:this|the|our) (?:article|story|material|content|post|page)s? (?:may|must) not be (?:reproduced|republished|"
    r"copied|reprinted)\b.{0,40}\bwithout (?:the )?(?:prior |express )?(?:written )?permission\b|\bcopyright\b.{0,60}\bunless otherwise (?:stated|noted)\b|"
    # The disclaimer of an opinion page: the views expressed here, or by our contributors, are their own.
    r"\b(?:views|opinions)(?: and (?:views|opinions))? expressed(?: (?:here|herein|in this (?:article|column|piece|"
    r"post|story|blog)|(?:by|of) (?:the |our |\w+ ){0,3}(?:authors?|writers?|contributors?|columnists?|bloggers?))\b|"
    r"\b.{0,40}\b(?:are|is) (?:solely )?(?:the |those of the )?(?:authors?'?s?|writers?'?s?|contributors?'?s?|their|"
    r"his|her|my)(?: own)?\b))"
)
_COMMENTS = _rx(
    r"^\W*(?:\d+\s+comments?|comments?(?: \(\d+\))?|post (?:a )?comment|add (?:a )?comment|leave a (?:comment|reply)|"
    r"(?:log|sign) in to (?:comment|reply)|view (?:all )?comments|show comments|join the (?:conversation|discussion)|"
    r"comments? (?:are|have been) (?:closed|disabled)|(?:jump|skip|go) to (?:the )?comments)\W*$|"
    # A comment widget's placeholder: "Please enable JavaScript to view the comments powered by Disqus."
    r"\b(?:enable javascript to (?:view|see|load|read) (?:the )?comments|comments powered by)\b"
)

# --- captions: a short description that ends in a credit ---------------------------------------------------
_CREDIT_WORDS = (
    r"(?:getty(?: images)?|ap(?: photo)?|pa(?: media| wire)?|reuters|afp|epa|shutterstock|alamy|"
    r"bloomberg|xinhua|photo|picture|image|credit|file|handout|supplied|courtesy|video|youtube|twitter|"
    r"instagram|facebook|x\.com|screenshot|press association|inquest|efe|anadolu|sipa|rex|"
    r"nurphoto|sopa|pool|staff|archive|unsplash|pexels|pixabay|wikimedia(?: commons)?|flickr|istock(?:photo)?)"
)
_CAPTION_TAIL = re.compile(r"\((?:[^()]*\b" + _CREDIT_WORDS + r"\b[^()]*)\)(?:\s*\([^()]*\))*\s*$", _I)
_CAPTION_HEAD = re.compile(
    r"^(?:photo|picture|image|pictured|video|watch|gallery|file photo|caption|above|top|main image|alt text|"
    r"image description)(?:\s*[:|]|\s+[–—-]\s)"
    # A gallery's counter: "Photo 5 of 14: ...", "Image 3/12".
    r"|^\W*(?:photo|picture|image|slide)s? \d+ ?(?:of|/) ?\d+\b",
    _I,
)
_CAPTION_CREDIT = re.compile(r"\b(?:photo(?:graph)?|image|picture)\s*(?:credit)?\s*[:/]\s*\S", _I)
# A credit as "who/agency" or "agency/who", a few words a side: "Jane Doe/Unsplash", "AFP/Getty Images".
_CREDIT_SLASH = re.compile(r"^\W*(?:[^\s/.!?]+ ?){1,4}/ ?(?:[^\s/.!?]+ ?){1,4}\W*$")
_CREDIT_AGENCY = re.compile(
    r"\b(?:getty(?: images)?|ap|pa(?: media| wire)?|reuters|afp|epa|shutterstock|alamy|bloomberg|xinhua|"
    r"anadolu|sipa|rex|nurphoto|sopa|efe|unsplash|pexels|pixabay|wikimedia(?: commons)?|flickr|istock(?:photo)?)\b",
    _I,
)
# A credit alone, without a sentence: "Photo by Jane Doe on Unsplash", "Featured image via Wikimedia Commons".
_CREDIT_LABEL = re.compile(
    r"^\W*(?:(?:featured|header|top|lead|cover|main) )?(?:photo(?:graph)?|image|picture|illustration)s?"
    r"(?: credit)?\s+(?:by|via|from|courtesy(?: of)?)\s+\S",
    _I,
)

# --- bylines, datelines, tags ---------------------------------------------------------------------------
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_BYLINE = re.compile(
    r"^(?:(?i:by)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4}(?:\s*(?:,|and|&|\||-)\s*[^.!?]{0,60})?|"
    r"(?i:(?:(?:posted|published|updated|last updated|created|modified|editor|written by|(?:additional |further )?"
    r"reporting by|edited by|author)\b|contact (?:the )?(?:author|reporter|writer)\s*(?::|at\b|via\b|on\b))"
    r"\s*(?:on|at|by)?\s*:?.*|(?:tags?|keywords?|topics?)\s*:.*|filed under\b.*))$"
)
# Who else reported: "Associated Press writer Jane Doe contributed to this report.", "Walter Gibbs contributed
# reporting."; "The company contributed $5 million to the fund" is news.
_CONTRIBUTED = _rx(
    r"\bcontributed (?:reporting|research|to this (?:report|story|article))\b[^.!?,;]{0,40}\.?\W*$"
)
_STAMP = re.compile(r"(?i:posted|published|updated|last updated|created|modified)\b")
_DATE_ONLY = re.compile(
    r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?(?:"
    + _MONTH
    + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s*(?:\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+"
    + _MONTH
    + r",?\s*(?:\d{4})?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"(?:[\s,;@-]*(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|GMT[+-]?\d*|UTC)?)?"
    r"(?:[\s,;|-]*(?:page|p\.)\s*\w+)?\W*$",
    _I,
)
_READING_TIME = re.compile(
    r"^\W*(?:(?:estimated )?reading time\W*(?:about |approx\.? )?\d+\s*(?:min(?:ute)?s?|m)\.?|"
    r"(?:about |approx\.? )?\d+(?:\s*[-–]\s*\d+)?\s*(?:min(?:ute)?s?|m)\.?\s+(?:read|to read))\W*$",
    _I,
)
# Who supplied the text: "News provided by Acme Inc.", "SOURCE Acme Inc." (a press release's wire),
# "Source: Reuters"; a few words, no sentence.
_CREDIT_LINE = re.compile(
    r"^\W*(?i:(?:(?:news|content|story|article|text) )?(?:provided|supplied|distributed|brought to you) by)"
    r"\s+\S[^.!?]*\.?$|^\W*(?:SOURCE|Source)\s*[:\-–—]?\s+[A-Z0-9][^.!?]*\.?\W*$"
)
_TIME_ONLY = re.compile(r"^\W*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|GMT[+-]?\d*|UTC)?\W*$", _I)
_TIME_AGO = re.compile(r"^\W*(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\W*$", _I)

# --- navigation ------------------------------------------------------------------------------------------
_NAV_SEPARATORS = re.compile(r"\s(?:\||·|•|»|›|>|/|::)\s")
_NAV_MARKS = "|·•»›>/:"  # one of them is in every separator
# A unit that is only a web or e-mail address: a contact or a link, not a sentence.
_BARE_ADDRESS = re.compile(r"^\W*(?:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\W*$", _I)
_FIGURE_CELL = re.compile(r"[$€£¥]?[-+]?\d[\d,.]*\s*(?:%|per ?cent|[kmb]n?|million|billion)?", _I)
_BREADCRUMB = re.compile(r"^(?:home|news|index)\s*(?:>|»|›|/|\|)", _I)
_NAV_WORDS = _rx(
    r"^\W*(?:home(?:page)?|menu|search|log ?in|log ?out|sign ?in|register|my account|contact us|about us|"
    r"site ?map|skip to (?:main )?content|back to top|next|previous|prev|more|close|open|toggle navigation|"
    r"main menu|subscribe|go|submit|loading\W*|back|top|help|faq|rss|feeds?|archives?|site services|"
    r"jobs|careers|advertise(?: with us)?|e-?edition|mobile|apps?|weather|video|photos|podcasts?|"
    r"newsletters?|sections?|topics|sport|sports|business|opinion|lifestyle|entertainment|tech(?:nology)?|"
    # The page's tools: an audio player, text size, error reports.
    r"listen to (?:this|the) (?:article|story)(?:\W+\d+(?::\d{2})?\s*(?:min(?:ute)?s?)?)?|(?:font|text) size\b.*|"
    r"report an? (?:error|typo|mistake|problem)|suggest a correction|(?:hide|show|toggle) caption|"
    r"enlarge (?:this )?(?:image|photo|picture)|previous(?: \w+)?\W+next(?: \w+)?|"
    r"\d{1,2}:\d{2}(?::\d{2})?\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)\W*$"
)

# --- promotional spam: calls to action about money, offers or sign-ups addressed to the reader ------------
_PROMO_CTA = _rx(
    r"\b(?:sign up|register|join|download|claim|grab|get (?:started|your|up to|a \$?\d)|buy|shop|order|try|"
    r"click (?:here|below|the link)|tap (?:here|the link)|don'?t miss|act now|start (?:trading|earning|now|your)|"
    r"use (?:our |the )?(?:code|link|referral)|visit (?:our|the) (?:website|site|store)|learn more|"
    r"check (?:it|them) out|limited (?:time|offer)|hurry|subscribe now|apply now|book now|order now)\b"
)
_PROMO_COMMERCE = _rx(
    r"(?:\bbonus(?:es)?\b|\breferral\b|\baffiliate\b|\bpromo(?:tion(?:al)?)?(?: code)?\b|\bcoupon\b|\bdiscount\b|"
    r"\b\d+\s?% off\b|\bfree (?:trial|spins?|shipping|bets?|gift)\b|\brewards?\b|\bcashback\b|\bprofits?\b|"
    r"\bearn (?:money|up to|\$)|\bcasino\b|\bbetting\b|\bsportsbook\b|\bcrypto(?:currency|currencies)?\b|"
    r"\btrading (?:platform|tools|account)\b|\bforex\b|\bvpn\b|\bgiveaway\b|\bdeals?\b|\bsale\b|\bbest price\b|"
    r"\bwholesale\b|\bcheap\b|\bsubscription plan\b|\bpremium (?:plan|membership|access)\b|\bonly \$\d)"
)
_SECOND_PERSON = _rx(r"\b(?:you|your|you'?re|you'?ll|yourself)\b")
_URL = _rx(r"(?:https?://|www\.)\S+|\b\S+\.(?:com|net|org|io|co|ly)/\S*")


def _words(line: str) -> int:
    return len(line.split())


#: How a sentence ends; a unit without one of these at its end is a label (a heading, a link, a menu entry).
SENTENCE_END = (".", "!", "?", '"', "”")


def is_label(line: str, max_words: int) -> bool:
    """Whether ``line`` has at most ``max_words`` words and no sentence ending."""
    stripped = line.rstrip()
    return _words(stripped) <= max_words and not stripped.endswith(SENTENCE_END)


def _template(line: str) -> bool:
    return bool(_TEMPLATE.search(line) or _HTML_ENTITY_RUN.search(line))


_SAYS = _rx(r"\b(?:said|says|told|announced|reported|according to)\b")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def _paywall(line: str) -> bool:
    # "Subscribers only rose 2%, the company said" is news about subscriptions; a prompt is addressed to the
    # reader ("your", "please", an imperative) or is a label of a few words.
    if not _PAYWALL.search(line) or _SAYS.search(line):
        return False
    # A few short prompts in a row ("This article is reserved for subscribers. Already a subscriber? Log in.")
    # are labels too.
    short = all(_words(part) <= 8 for part in _SENTENCES.split(line) if part.strip())
    return short or bool(_ADDRESSED.search(line))


_SIGN_UP_LABEL = _rx(r"^\W*sign up(?: here| now| today| for free)?\W*$")


def _newsletter(line: str) -> bool:
    if _SIGN_UP_LABEL.match(line):
        return True
    # A sign-up phrase alone can be news ("voters must sign up by Friday"); a prompt has a second cue too.
    # A sign-up phrase alone can be news ("customers can sign up for alerts"); a prompt is addressed to the
    # reader and has a second cue.
    found = _NEWSLETTER.search(line)
    if not found or _words(line) > 120 or not _ADDRESSED.search(line) or _REPORTED.search(line):
        return False
    hits = {m.group(0).lower() for m in _NEWSLETTER_CONTEXT.finditer(line)} - {found.group(0).lower()}
    return len(hits) >= 1


def _caption(line: str) -> bool:
    tail = _CAPTION_TAIL.search(line)
    if tail and not line.rstrip().endswith((".", '"', "”")):
        # A caption describes the picture before its credit; "LONDON (AP)" is a dateline, not a caption.
        head = line[: tail.start()].strip()
        if _words(head) >= 4 and not head.isupper():
            return True
    if _CAPTION_HEAD.match(line):
        return True
    if "/" in line and _CREDIT_SLASH.match(line) and _CREDIT_AGENCY.search(line):
        return True
    # Every credit label names a photo, an image or a picture; the search is slow and rarely matches.
    lower = line.lower()
    return (
        _words(line) <= 30
        and ("photo" in lower or "image" in lower or "picture" in lower or "illustration" in lower)
        and (bool(_CAPTION_CREDIT.search(line)) or (is_label(line, 12) and bool(_CREDIT_LABEL.match(line))))
    )


def _promo(line: str) -> bool:
    commerce = len(_PROMO_COMMERCE.findall(line))
    if not commerce:
        return False
    cta = len(_PROMO_CTA.findall(line))
    you = len(_SECOND_PERSON.findall(line))
    url = bool(_URL.search(line))
    # Reporting talks *about* offers; spam talks *to* the reader: it needs a call to action or a link
    # together with commercial vocabulary, addressed to "you".
    score = min(cta, 2) + min(commerce, 3) + (1 if you else 0) + (1 if url else 0)
    return (cta >= 1 and commerce >= 1 and (you >= 1 or url) and score >= 4) or (commerce >= 2 and url)


def _share(line: str) -> bool:
    stripped = line.strip()
    return _words(stripped) <= 12 and bool(
        _SHARE.match(stripped) or _SHARE_PHRASE.match(stripped) or _SHARE_BUTTON.match(stripped)
    )


def _navigation(line: str) -> bool:
    stripped = line.strip()
    if _BREADCRUMB.match(stripped) or _NAV_WORDS.match(stripped) or _BARE_ADDRESS.match(stripped):
        return True
    if not any(mark in stripped for mark in _NAV_MARKS):
        return False
    separators = len(_NAV_SEPARATORS.findall(stripped))
    # Menus are lists of short labels joined by separators, without sentence punctuation. Labels are words:
    # a row whose cells are mostly figures ("| Starting | 30,000 | 32,000 |") is a table of data.
    return (
        separators >= 2
        and _words(stripped) / (separators + 1) <= 4
        and not stripped.endswith((".", "?", "!"))
        and not _figure_row(stripped)
    )


def _figure_row(line: str) -> bool:
    cells = [cell.strip(" |") for cell in _NAV_SEPARATORS.split(f" {line} ") if cell.strip(" |")]
    figures = [cell for cell in cells if _FIGURE_CELL.fullmatch(cell)]
    if len(cells) < 2 or len(figures) * 2 < len(cells):
        return False
    # "1 | 2 | 3 | Next": page numbers, counting up by one, are navigation.
    numbers = [int(cell) for cell in figures if cell.isdigit()]
    counting = len(numbers) == len(figures) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    return not counting


def _keyword_list(line: str) -> bool:
    """A line of search keywords: lower case throughout (no sentence, no name capitalised), four or more
    comma-separated phrases of a few words, no sentence ending ("hallam moore results, hallam and moore
    share price, department store profit 2025, uk retail news today")."""
    stripped = line.strip()
    if stripped.count(",") < 3 or stripped != stripped.lower() or stripped.endswith((".", "!", "?", ":")):
        return False
    phrases = [p.strip() for p in stripped.split(",")]
    return all(p and len(p.split()) <= 6 and any(c.isalpha() for c in p) for p in phrases)


def _byline(line: str) -> bool:
    stripped = line.strip()
    if _words(stripped) > 25:
        return False
    if any(p.match(stripped) for p in (_DATE_ONLY, _TIME_ONLY, _TIME_AGO, _READING_TIME)):
        return True
    if _words(stripped) <= 8 and _CREDIT_LINE.match(stripped):
        return True
    stamp = _STAMP.match(stripped)
    if stamp:
        # "Updated 10:32 AM EST", "Posted by Jane Doe": a time or a few words. "UPDATE: Police have named
        # the victim" or "Updated: the senator said on Monday that he would run" is news, and stays.
        rest = stripped[stamp.end() :]
        return bool(re.search(r"\d", rest)) or _words(rest) <= 6
    return bool(_BYLINE.match(stripped) or _CONTRIBUTED.search(stripped))


# The disclaimer of advice: information only, not investment advice. "The filing was for information purposes
# only, the company said" reports.
_NOT_ADVICE = _rx(
    r"\b(?:this|the|our|all|such) (?:article|content|information|material|post|site|website|page|analysis)s?\b[^.]{0,60}"
    r"\b(?:not (?:intended (?:as|to be) |to be (?:taken|construed) as |constitute )?(?:financial|investment|legal|medical|"
    r"professional|trading|tax) advice|for (?:general )?information(?:al)?(?: purposes)? only|should not be relied)|"
    r"^\W*(?:content|information) (?:is )?provided\b[^.]{0,40}\bonly\b|\b(?:always )?do your own research\b"
)


# An affiliate disclosure in other words than "commission": "we may receive a fee", "at no extra cost to you".
_FEE = _rx(
    r"\bwe (?:may )?(?:earn|receive|get) (?:a )?(?:small )?fee\b|\bmay (?:earn|receive|get) a small fee\b|"
    r"\bat no (?:extra|additional) cost to you\b"
)


def _legal(line: str) -> bool:
    stripped = line.strip()
    lower = stripped.lower()
    return (
        bool(_LEGAL.search(stripped))
        or (("fee" in lower or "cost to you" in lower) and bool(_FEE.search(stripped)))
        or (bool(_NOT_ADVICE.search(stripped)) and not _SAYS.search(stripped))
    )


_ADVERTORIAL_WORDS = ("sponsor", "partner", "paid ", "advertorial", "promoted", "brand", "gamble", "odds ")


def _advertorial(line: str) -> bool:
    # The advertisement rules have no trigger words (their labels are too varied); this one's regular
    # expression searches the whole line, so a substring test goes first.
    lower = line.lower()
    return any(word in lower for word in _ADVERTORIAL_WORDS) and bool(_ADVERTORIAL.search(line))


def _advert(line: str) -> bool:
    stripped = line.strip()
    return (_words(stripped) <= 8 and bool(_ADVERT.search(stripped))) or bool(_SPONSORED_LINK.match(stripped))


def _related(line: str) -> bool:
    # "Read more: ..." heads a list of links; "In other news, the council voted ..." is a sentence.
    stripped = line.strip()
    return bool(_RELATED.match(stripped)) and (_words(stripped) <= 6 or is_label(stripped, 20))


def _has(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda line: bool(pattern.search(line.strip()))


_ANY_LENGTH = 1 << 30

# --- notices about the article itself ----------------------------------------------------------------------
# A correction speaks of an earlier version of the article, not of the news. An update ("UPDATE: police
# have named the victim") is news and stays.
_CORRECTION = _rx(
    r"^\W*corrections?\b\s*[:.—–-]|\b(?:this|the|an earlier|a previous|an? (?:earlier|previous) version of "
    r"this) (?:article|story|post|report|version)\b.{0,40}\b(?:has been|was|were|is being) (?:corrected|revised|"
    r"amended|updated) to\b|\b(?:an earlier|a previous) version of this (?:article|story|post|report)\b"
)


def _correction(line: str) -> bool:
    return bool(_CORRECTION.search(line))


# A note about the article itself: how it was made, edited or syndicated, or who wrote it. "This story was
# produced by the agency, which said ..." reports; a note names how the text came about and says nothing.
_NOTE = _rx(
    r"^\W*(?:editor'?s|publisher'?s|author'?s) note\b|^\W*about the (?:authors?|writers?|reporters?|contributors?)\b"
    r"|^\W*the (?:authors?|writers?) (?:(?:is|are) (?:a|an|the)|teaches|works)\b"
    r"|^\W*(?:(?:this )?summary )?(?:generated|written|created) (?:by|with|using) (?:ai|artificial intelligence)\W*$"
    r"|\bthis (?:article|story|post|piece|content)\b[^.]{0,60}?\b(?:is|was|were|has|have)(?: not)?(?: been)?"
    r"(?: (?:partly|partially|fully|automatically|originally|independently))? (?:generated|written|created|"
    r"produced|edited|translated|summari[sz]ed|published|auto-generated|compiled|curated|reviewed)\b"
    r"[^.]{0,80}?(?:\bai\b|artificial intelligence|\bautomat|\bfeed\b|\bwire\b|syndicat|\bstaff\b|"
    r"\beditor|\bsponsor|\bpartner)"
)
# Part of a series, edited for length: notes on how the text came about (after a substring test: _note).
_SERIES_OR_EDIT = _rx(
    r"^\W*this (?:story|article|piece|interview|coverage|content) (?:is|was) (?:part|one) of\b"
    r"[^.]{0,80}\b(?:series|project|coverage|collaboration|partnership|initiative|investigation)\b"
    r"|^\W*this (?:interview|conversation|transcript|q&a|exchange) (?:has been|was|is) (?:lightly )?(?:edited|condensed)"
)
# A machine's work, labelled or owned up to: a summary ("... shares fell. This summary was generated by AI"),
# whatever it reports, or a scraper's note of where it took the text ("Content retrieved from example.net
# via NewsHarvester"; found anywhere, so it does not end the article as a source footer would).
_MACHINE_NOTE = _rx(
    r"^\W*(?:✨|🤖)?\W*(?:ai[- ]generated summary|ai summary|(?:quick )?summary \(ai\))\b"
    r"|\bthis summary (?:was|is|has been) (?:\w+ )?(?:generated|written|created|produced) (?:by|with|using) "
    r"(?:an? )?(?:ai|artificial intelligence)\b"
    r"|^\W*(?:this )?(?:content|article|story|post|text) (?:was )?(?:automatically |auto-)?(?:retrieved|scraped|"
    r"aggregated|fetched|imported|collected) (?:automatically )?(?:from|via)\b"
)


# The outlet promoting itself: its app ("Download The Mint News App", "Get it on Google Play") or the rest of
# its news ("Catch all the latest news and updates on ..."). Addressed to the reader: an imperative opening
# or "you", "our"; "Police urged residents to download the county's alert app" is news.
_APP = _rx(
    r"\b(?:download|get|install|try)\s+(?:the|our)\b(?:\s+\S+){0,4}?\s+apps?\b|"
    r"\b(?:available|download(?: it)?|get it) (?:on|from) (?:the )?(?:app store|google play|play store)\b|"
    r"\b(?:with|on|in|via) our (?:free |new |\S+ )?apps?\b"
)
_OWN_NEWS = _rx(
    r"^\W*(?:catch|get|read|find|stay (?:up to date|updated|informed)(?: with)?)\b.{0,50}\b(?:latest|breaking|top)"
    r"\s+(?:news|updates|headlines|stories)\b|"
    r"^\W*for (?:the latest|more) (?:news|updates|stories|coverage|headlines|videos?)\b.{0,60}\b(?:head|go|visit|"
    r"follow|download|subscribe|tune in|check out|sign up)\b"
)
# A trust badge: the outlet vouching for its own standards ("Strict editorial policy that focuses on accuracy",
# "Editorial Process for X is centered on ... our team"). A label, or addressed to the reader; "The paper's
# editorial standards came under fire after it published the photos." is news.
_STANDARDS = _rx(
    r"\b(?:editorial (?:policy|policies|process|standards|guidelines|integrity|independence)|"
    r"(?:our|the highest) (?:editorial |journalistic )?standards|trust principles|"
    r"fact[- ]check(?:ing)? (?:policy|process|standards))\b"
)
# The outlet asking the reader for something: news tips ("Have a news tip? Email us at ..."), money ("Our
# journalism needs your support. Please donate today."), a place in their search results ("Add us as a
# preferred source on Google"). "Police asked anyone with a tip to call" and "the donation supported local
# journalism, she said" report.
_ASKS = _rx(
    r"^\W*(?:have|got) (?:a|any) (?:\w+ ){0,2}?(?:tips?|story|story idea)\b[^.!]{0,30}\?|"
    r"\b(?:support|fund|donate to|contribute to) (?:our|independent|quality|local|trusted|public[- ]interest) "
    r"(?:journalism|reporting|newsroom)\b|\bplease (?:donate|make a (?:donation|contribution))\b|"
    r"\b(?:add|make|set) (?:us|\S+(?: \S+){0,3}) (?:as )?(?:a |your )?preferred source\b"
)
# An opening imperative: the outlet telling the reader to get its app, read its news, or give to it.
_IMPERATIVE_OPENING = _rx(
    r"^\W*(?:download|get|install|try|catch|read|find|stay|click|tap|scan|support|donate|help|add|make|set|"
    r"send|email|e-mail|contact)\b"
)


def _self_promo(line: str) -> bool:
    if _SAYS.search(line):
        return False
    if _OWN_NEWS.search(line) or (
        _ASKS.search(line) and (_ADDRESSED.search(line) or _IMPERATIVE_OPENING.search(line))
    ):
        return True
    if _STANDARDS.search(line) and (
        bool(_ADDRESSED.search(line)) or (_words(line) <= 15 and not line.rstrip().endswith((".", '"', "”")))
    ):
        return True
    return bool(_APP.search(line)) and bool(_IMPERATIVE_OPENING.search(line) or _ADDRESSED.search(line))


_MACHINE_WORDS = ("summary", "retrieved", "scraped", "aggregated", "fetched", "imported", "collected")


def _note(line: str) -> bool:
    if _NOTE.search(line) and not _SAYS.search(line):
        return True
    lower = line.lower()
    if ("part of" in lower or "one of" in lower or "edited" in lower or "condensed" in lower) and (
        _SERIES_OR_EDIT.search(line) and not _SAYS.search(line)
    ):
        return True
    return any(word in lower for word in _MACHINE_WORDS) and bool(_MACHINE_NOTE.search(line))


# Literal words one of which every match of a rule contains: a substring test in C is far cheaper than
# the rule's regular expressions, and most lines of an article trigger no rule at all.
_TRIGGERS = {
    "template": (
        "{",
        "<",
        "$",
        "&",
        "function",
        "var ",
        "document.",
        "window.",
        "googletag",
        "adsbygoogle",
        "push(",
    ),
    "cookie": ("cookie", "consent", "by continuing", "your privacy"),
    "correction": ("correct", "version of this"),
    "self-promo": (
        "app ",
        "app.",
        "app,",
        "app!",
        "apps",
        "google play",
        "play store",
        "latest",
        "breaking",
        "top ",
        "for more",
        "editorial",
        "standards",
        "trust principles",
        "fact-check",
        "fact check",
        "tip",
        "story?",
        "news?",
        "journalism",
        "reporting",
        "newsroom",
        "donat",
        "contribution",
        "preferred source",
    ),
    "note": (
        "note",
        "generated",
        "ai ",
        "artificial intelligence",
        "about the",
        "author",
        "writer",
        "this article",
        "this story",
        "this post",
        "this piece",
        "this content",
        "this interview",
        "this conversation",
        "this transcript",
        "this q&a",
        "this exchange",
        "summary",
        "retrieved from",
        "retrieved via",
        "scraped from",
        "scraped via",
        "aggregated from",
        "fetched from",
        "imported from",
        "collected from",
    ),
    "newsletter": ("sign", "subscri", "newsletter", "alert", "inbox", "mail", "briefing", "like to receive"),
    "paywall": (
        "subscri",
        "member",
        "log",
        "sign",
        "reading",
        "free",
        "access",
        "unlock",
        "account",
        "register",
        "rest",
        "full",
    ),
    "promo-spam": (
        "bonus",
        "referral",
        "affiliate",
        "promo",
        "coupon",
        "discount",
        "% off",
        "free ",
        "reward",
        "cashback",
        "profit",
        "earn ",
        "casino",
        "betting",
        "sportsbook",
        "crypto",
        "trading ",
        "forex",
        "vpn",
        "giveaway",
        "deal",
        "sale",
        "best price",
        "wholesale",
        "cheap",
        "subscription plan",
        "premium ",
        "only $",
    ),
    "social": ("follow", "like us", "join", "find us", "connect with", "telegram", "whatsapp", "discord"),
    "legal": (
        "©",
        "(c)",
        "copyright",
        "rights reserved",
        "may not be",
        "terms ",
        "privacy policy",
        "disclaimer",
        "expressed",
        "disclosure",
        "commission",
        "compensation",
        "share of sales",
        " fee ",
        " fee.",
        " fee,",
        "no extra cost",
        "no additional cost",
        "permission",
        "information",
        "advice",
        "relied",
        "research",
    ),
}

# (reason, longest line in words the rule applies to, test). Order matters: the most specific reason wins.
_RULES: list[tuple[str, int, Callable[[str], bool]]] = [
    ("template", _ANY_LENGTH, _template),
    ("cookie", 80, _has(_COOKIE)),
    ("promo-spam", 120, _promo),  # a whole article in one unit is no advert, whatever it mentions
    ("newsletter", 120, _newsletter),
    ("paywall", 25, _paywall),
    ("self-promo", 60, _self_promo),
    ("note", 60, _note),
    ("byline", 25, _byline),
    ("byline", 60, _keyword_list),
    ("correction", 60, _correction),
    ("source-footer", 25, _has(_SOURCE_FOOTER)),
    ("advertisement", 15, _advert),
    ("advertisement", 150, _advertorial),
    ("share", 12, _share),
    ("social", 30, _has(_SOCIAL)),
    ("comments", 10, _has(_COMMENTS)),
    ("related", 20, _related),
    ("caption", 60, _caption),
    ("legal", 40, _legal),
    ("navigation", _ANY_LENGTH, _navigation),
]
_PLAN = [(reason, max_words, reason in _TRIGGERS, test) for reason, max_words, test in _RULES]


def _automaton() -> ahocorasick.Automaton:
    """Every trigger word, each giving the reasons it triggers: one pass over a line finds them all
    (Aho-Corasick: 0.05 ms an article against 0.4 ms for a substring test per word, bench/clean_speed.py)."""
    reasons: dict[str, set[str]] = {}
    for reason, words in _TRIGGERS.items():
        for word in words:
            reasons.setdefault(word, set()).add(reason)
    automaton = ahocorasick.Automaton()
    for word, triggered in reasons.items():
        automaton.add_word(word, frozenset(triggered))
    automaton.make_automaton()
    return automaton


_TRIGGER_AUTOMATON = _automaton()


def _triggered(lower: str) -> set[str]:
    """The reasons whose trigger words the lower-cased line contains."""
    found: set[str] = set()
    for _, reasons in _TRIGGER_AUTOMATON.iter(lower):
        found |= reasons
    return found


def rule_reason(line: str) -> str | None:
    """The reason code of the first rule that matches ``line``, or ``None``."""
    if not any(map(str.isalnum, line)):
        # Not a letter nor a digit: an empty table row ("| |"), a rule ("----------"), markup's separators.
        return "template"
    words = _words(line)
    found = _triggered(line.lower() + " ")  # a trigger word may end the line: "Download our app"
    for reason, max_words, gated, test in _PLAN:
        if words > max_words or (gated and reason not in found):
            continue
        if test(line):
            return reason
    return None


def is_footer_marker(reason: str | None) -> bool:
    """Whether a line with this reason ends the article (what follows is the scraper's, not the outlet's)."""
    return reason == "source-footer"
