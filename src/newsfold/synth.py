"""Seeded evaluation data made from real articles: injected junk lines and labelled copies.

Two generators, both driven by an explicit :class:`random.Random` (or a seed) so that a run can be
repeated exactly:

* :func:`wrap_in_junk` puts lines of page furniture and scraper spam around and between the paragraphs
  of an article (navigation and sign-up prompts at the top, captions and ads in between, source
  footers, tags and promotions at the bottom) and returns the lines it added with their kind, so a
  cleaner can be scored line by line (``newsfold eval cleaning --junk``).
* :func:`make_copies` makes labelled copies of articles (exact, whitespace-changed, a paragraph
  dropped, wrapped in junk, trimmed, syndicated wire copy) and returns them together with the
  originals, so copy detection can be scored on recall and false links (``newsfold eval duplicates``).

The junk library, :data:`JUNK_KINDS`, is written from general knowledge of what news pages and
scraper sites carry; its names, outlets, brands and addresses are made up and slot-filled at random,
so the same line rarely appears twice.
"""

from __future__ import annotations

import random
import re
import string
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from newsfold.article import Article

__all__ = [
    "COPY_KINDS",
    "JUNK_KINDS",
    "LabelledCopy",
    "Site",
    "make_copies",
    "make_site",
    "render_junk",
    "split_paragraphs",
    "wrap_in_junk",
    "wrap_in_site_junk",
]

JunkGenerator = Callable[[random.Random], str]

# --------------------------------------------------------------------------------------------------
# Slot values
# --------------------------------------------------------------------------------------------------

# fmt: off
_FIRST = (
    "Jane", "John", "Maria", "Ahmed", "Priya", "Wei", "Olga", "Kwame", "Sofia", "Lucas", "Aisha", "Tom",
    "Emma", "Raj", "Fatima", "Liam", "Yuki", "Carlos", "Amara", "Daniel", "Hannah", "Mohammed", "Elena",
    "Sam", "Grace", "Ibrahim", "Nina", "Oliver", "Zoe", "Marco", "Leila", "Ben", "Sara", "Kenji", "Anna",
    "David", "Chloe", "Tariq", "Isabel", "Peter", "Rosa", "Femi", "Laura", "Ivan", "Mei", "James", "Alice",
    "Omar", "Ruth", "Felix", "Niamh", "Diego", "Ingrid", "Kofi", "Lena", "Arjun", "Beatriz",
)
_LAST = (
    "Smith", "Okafor", "Garcia", "Patel", "Nguyen", "Kowalski", "Müller", "Rossi", "Haddad", "Kim",
    "Johnson", "Mensah", "Silva", "O'Brien", "Cohen", "Tanaka", "Hernández", "Ali", "Dubois", "Andersen",
    "Brown", "Ivanova", "Khan", "Lopez", "Murphy", "Novak", "Osei", "Park", "Quinn", "Reyes", "Schmidt",
    "Taylor", "Usman", "Varga", "Walsh", "Yilmaz", "Zhang", "Evans", "Fischer", "Gupta", "Hughes",
    "Jensen", "Lindqvist", "Moreau", "Nakamura", "Petrov", "Russo", "Sato", "Thompson", "Wright",
    "Adeyemi", "Bianchi", "Castillo", "Dlamini", "Eriksen", "Fonseca", "Gallagher", "Horvath",
)
_CITIES = (
    "London", "Paris", "Berlin", "Madrid", "Rome", "Lagos", "Nairobi", "Mumbai", "Delhi", "Tokyo", "Seoul",
    "Sydney", "Toronto", "Chicago", "Houston", "Manchester", "Glasgow", "Dublin", "Cape Town", "Cairo",
    "Istanbul", "Warsaw", "Lisbon", "Athens", "Mexico City", "São Paulo", "Buenos Aires", "Jakarta",
    "Manila", "Singapore", "Kyiv", "Brussels", "Vienna", "Stockholm", "Oslo", "Auckland", "Vancouver",
    "Denver", "Atlanta", "Phoenix", "Leeds", "Bristol", "Cardiff", "Belfast", "Edinburgh", "Accra",
    "Karachi", "Hanoi", "Lima", "Bogotá", "Montreal", "Perth", "Marseille", "Munich", "Naples", "Porto",
)
_COUNTRIES = (
    "Britain", "France", "Germany", "Spain", "Italy", "Nigeria", "Kenya", "India", "Japan", "South Korea",
    "Australia", "Canada", "the US", "Ireland", "South Africa", "Egypt", "Turkey", "Poland", "Portugal",
    "Greece", "Mexico", "Brazil", "Argentina", "Indonesia", "the Philippines", "Ukraine", "Belgium",
)
_TOWNS = (
    "Riverside", "Northfield", "Eastbrook", "Westmoor", "Harbourside", "Lakeside", "Kingsbridge",
    "Millbrook", "Ashford", "Fairview", "Oakdale", "Brookhaven", "Stonebridge", "Clearwater", "Redhill",
    "Pinecrest", "Maple Valley", "Highfield", "Coastal", "Metro", "Capital", "Valley", "Midland",
    "Southern", "Northern", "Greenford", "Elmwood", "Bayview", "Silverton", "Copperfield", "Hillcrest",
)
_PAPERS = (
    "Courier", "Herald", "Gazette", "Post", "Chronicle", "Tribune", "Ledger", "Observer", "Times",
    "Journal", "Sentinel", "Examiner", "Express", "Standard", "Record", "Star", "Echo", "Bulletin",
    "Dispatch", "Register", "Advertiser", "Leader", "News", "Review", "Argus", "Enquirer", "Monitor",
    "Press", "Citizen", "Mercury",
)
_SITE_HEAD = (
    "News", "Trend", "Daily", "Buzz", "Viral", "World", "Global", "Quick", "Hot", "Top", "Live", "Now",
    "Info", "Media", "Feed", "Pulse", "Headline", "Update", "Fresh", "Insight", "Latest", "Prime",
)
_SITE_TAIL = (
    "Hub", "Wire", "Today", "Now", "Zone", "Point", "Bytes", "Desk", "Feed", "Central", "Spot", "Flash",
    "Beat", "Times", "Post", "Daily", "Report", "Watch", "Line", "Xpress", "Digest", "Mag", "24", "365",
)
_TLDS = (
    ".com", ".com", ".com", ".net", ".org", ".co", ".info", ".news", ".online", ".xyz", ".co.uk", ".io",
    ".site", ".live", ".press", ".today", ".com.au", ".in", ".ng", ".ca",
)
_SHORTENERS = (
    "bit.ly", "tinyurl.com", "t.co", "ow.ly", "cutt.ly", "rb.gy", "is.gd", "shorturl.at", "tiny.cc",
)
_AGENCIES = (
    "AP", "Reuters", "AFP", "Getty Images", "EPA", "Shutterstock", "Bloomberg", "PA", "Alamy", "Xinhua",
    "dpa", "Anadolu", "NurPhoto", "SOPA Images", "Sipa", "Pool", "ZUMA Press", "iStock", "Supplied",
    "Handout", "EPA-EFE", "AAP", "Kyodo", "Bloomberg via Getty Images",
)
_WIRES = ("Reuters", "AP", "AFP", "PA", "Bloomberg", "dpa", "ANSA", "EFE", "Kyodo", "AAP")
_SECTIONS = (
    "News", "World", "UK", "US", "Politics", "Business", "Money", "Sport", "Football", "Tech", "Science",
    "Health", "Climate", "Environment", "Culture", "Entertainment", "Opinion", "Lifestyle", "Travel",
    "Food", "Property", "Education", "Crime", "Local", "Weather", "Video", "Podcasts", "Puzzles",
    "Obituaries", "Motoring", "Fashion", "Books", "Music", "Film", "TV & Radio", "Markets", "Economy",
)
_TOPICS = (
    "Politics", "Economy", "Climate change", "Health", "Education", "Crime", "Courts", "Housing",
    "Transport", "Energy", "Technology", "Artificial intelligence", "Elections", "Immigration", "Football",
    "Cricket", "Tennis", "Weather", "Inflation", "Interest rates", "Stock markets", "Space", "Science",
    "Wildlife", "Music", "Film", "Television", "Celebrity", "Travel", "Food and drink", "Property",
    "Personal finance", "Cybersecurity", "Social media", "Diplomacy", "Public health", "Schools",
    "Universities", "Farming", "Local news", "Business", "Jobs", "Pensions", "Tax", "Retail", "Aviation",
    "Rail", "Royal family", "Floods", "Wildfires", "Mental health", "Parliament",
)
_ROLES = (
    "senior reporter", "political correspondent", "business editor", "staff writer", "contributing writer",
    "freelance journalist", "health correspondent", "data reporter", "chief political correspondent",
    "video producer", "news editor", "sports writer", "consumer affairs reporter",
    "environment correspondent", "technology reporter", "court reporter",
)
_EMOJI = (
    "🔥", "🚀", "💰", "👉", "✅", "⚡", "🎁", "💥", "📢", "⭐", "🎉", "💯", "🤑",
    "👇", "➡️", "🔔", "📲", "🆓", "❗", "💸",
    "🏆", "🎯", "🤯", "😱", "📈",
)
_COINS = (
    "Bitcoin", "BTC", "ETH", "Ethereum", "Solana", "SOL", "XRP", "Dogecoin", "USDT", "BNB",
    "this new meme coin", "AI tokens", "altcoins",
)
_PRODUCTS = (
    "wireless earbuds", "air fryer", "robot vacuum", "smartwatch", "espresso machine", "running shoes",
    "4K TV", "standing desk", "electric toothbrush", "phone case", "mattress", "winter coat",
    "gaming chair", "e-bike", "power bank", "noise-cancelling headphones", "laptop", "hair dryer",
    "skincare set", "garden furniture",
)
_SKILLS = (
    "Python", "data science", "digital marketing", "copywriting", "Excel", "forex trading",
    "graphic design", "UX design", "cloud computing", "day trading", "AI prompt engineering",
    "dropshipping", "video editing", "ethical hacking", "public speaking", "bookkeeping", "SEO",
)
_SPORTS = (
    "the Champions League", "the World Cup", "the NBA Finals", "F1", "the Super Bowl", "Wimbledon",
    "the Premier League", "the Olympics", "the Ashes", "the Six Nations", "the Tour de France", "UFC",
)
_CSS_CLASSES = (
    "article-body", "ad-slot", "related-posts", "sidebar-widget", "newsletter-signup", "social-share",
    "inline-ad", "paywall-overlay", "story-image", "entry-content", "promo-box", "recirc-module",
    "author-bio", "comments-area", "sticky-footer", "ad-wrapper mid-article", "embed-container",
)
_NEWSLETTER_WORDS = (
    "Morning", "Evening", "Weekend", "Daily", "First Thing", "Inside", "Week in Review", "Five-Minute",
    "Lunchtime", "Headlines", "Front Page", "Breaking", "Catch-up",
)
_NEWSLETTER_NOUNS = (
    "Briefing", "Brief", "Digest", "Dispatch", "Edition", "Roundup", "Wrap", "Report", "Update",
)
_FREQ = ("daily", "weekly", "free", "twice-weekly", "free daily", "free weekly")
_WHEN = ("morning", "weekday", "Friday", "Sunday", "evening", "weekday morning", "week")
_EDITIONS = ("UK", "US", "International", "Australia", "India", "Europe", "Africa", "Asia")
_TIMEZONES = ("ET", "GMT", "BST", "CET", "UTC", "IST", "AEST", "EDT", "PT", "CEST", "WAT", "EAT")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CMS = ("WordPress", "NewsPress", "Arc", "Ghost", "Drupal", "PressBoard", "StoryEngine")

# Headline and caption parts.
_HL_SUBJECTS = (
    "Ministers", "Central bank", "City council", "Police", "Scientists", "Health chiefs", "Union leaders",
    "Energy firms", "Tech giant", "Opposition", "Teachers", "Doctors", "Airline", "Regulator", "Residents",
    "Campaigners", "Mayor", "Top court", "Farmers", "Retailers", "Carmaker", "Landlords", "Investors",
    "Fans", "Manager", "Star striker", "Pop star", "Veteran actor", "Water company", "Universities",
    "Hospital bosses", "Rail operator", "Prime minister", "President",
)
_HL_VERBS = (
    "warns of", "pledges action on", "faces backlash over", "unveils plan for", "calls for inquiry into",
    "rules out", "delays decision on", "braces for", "slashes forecast for", "denies claims over",
    "sounds alarm on", "launches review of", "vows to tackle", "admits failures over",
    "hits back at critics over", "set to announce", "under fire over", "split over", "U-turn on",
    "cashes in on", "sued over", "praised for response to",
)
_PLURAL_VERBS = {
    "warns": "warn", "pledges": "pledge", "faces": "face", "unveils": "unveil", "calls": "call",
    "rules": "rule", "delays": "delay", "braces": "brace", "slashes": "slash", "denies": "deny",
    "sounds": "sound", "launches": "launch", "vows": "vow", "admits": "admit", "hits": "hit",
    "cashes": "cash",
}
_HL_OBJECTS = (
    "rising rents", "rail strikes", "heatwave", "water shortages", "school closures", "fuel prices",
    "new tax rules", "data breach", "flood defences", "hospital waiting lists", "border checks",
    "interest rates", "power cuts", "transfer window", "AI safety", "drought", "bird flu", "wildfires",
    "pension changes", "potholes", "childcare costs", "sewage spills", "ticket prices", "bus cuts",
    "energy bills", "phone bans in schools", "housing targets", "knife crime", "speed limits",
    "plastic waste", "night-time flights", "mortgage rates",
)
_HL_EVENTS = (
    "fire", "flood", "strike", "crash", "storm", "outage", "protest", "election", "trial", "heatwave",
    "landslide", "cyber attack", "bridge collapse", "gas leak", "train derailment", "earthquake",
)
_HL_QUOTES = (
    "We were not warned", "It's a disaster", "This changes everything", "Nobody is listening",
    "We will not back down", "I had no choice", "It felt like the end of the world", "Enough is enough",
    "We're running out of time", "I'd do it again", "It's heartbreaking",
)
_HL_PEOPLE_DO = (
    "opens up about", "reveals", "speaks out on", "breaks silence on", "responds to rumours of",
    "confirms", "hints at",
)
_HL_PEOPLE_WHAT = (
    "health battle", "new album", "shock exit", "retirement plans", "family tragedy", "career comeback",
    "secret wedding", "book deal", "years of abuse", "split",
)
_HL_MONEY = ("pension", "mortgage", "energy bills", "savings", "commute", "rent", "holiday plans", "tax bill")
_HL_RECAPS = ("player ratings", "match report", "as it happened", "five talking points", "highlights")
_SCENE_PEOPLE = (
    "Protesters", "Firefighters", "Supporters", "Rescue workers", "Commuters", "Shoppers", "Delegates",
    "Police officers", "Volunteers", "Students", "Fans", "Farmers", "Residents", "Voters", "Soldiers",
    "Tourists", "Journalists", "Medical staff", "Children", "Mourners", "Workers", "A woman", "A man",
    "A police officer", "A firefighter", "A child", "An aerial view shows people",
)
_SCENE_ACTS = (
    "gather outside", "march past", "wait outside", "clear debris near", "queue outside",
    "hold placards near", "walk past", "celebrate outside", "inspect damage near", "arrive at",
    "stand guard outside", "lay flowers outside", "take shelter near", "watch the sunset over",
)
_SCENE_PLACES = (
    "parliament", "a polling station", "city hall", "a flooded street", "the central station",
    "a hospital", "the stadium", "the harbour", "a market", "the courthouse", "the embassy", "a school",
    "the airport", "a burned-out building", "the headquarters of the company",
)
_CURRENCIES = ("$", "£", "€")

# Promo brand parts, by industry (invented combinations).
_BRANDS = {
    "crypto": (
        ("Bit", "Hash", "Block", "Crypto", "Satoshi", "Token", "Chain", "Luna", "Moon", "Alpha"),
        ("Vault", "Nova", "Swap", "Pro", "X", "Peak", "Flux", "Dex", "Yield", "Trade"),
    ),
    "casino": (
        ("Lucky", "Royal", "Golden", "Spin", "Jackpot", "Vegas", "Ace", "Mega", "Star", "Red", "Wild"),
        ("Spins", "Casino", "Bet", "Palace", "Slots", "Win", "Play", "Stake", "Reels", "Odds"),
    ),
    "vpn": (
        ("Shield", "Secure", "Stealth", "Ghost", "Tunnel", "Safe", "Hidden", "Iron", "Cloak", "Zen"),
        ("VPN", " VPN", "Net VPN", "Guard", "Surf", "Line VPN"),
    ),
    "supplement": (
        ("Keto", "Vita", "Slim", "Neuro", "Pure", "Gluco", "Flexi", "Prime", "Nutri", "Zen", "Lumi"),
        ("Burn", "Max", "Boost", "Fit", "Life", "Genix", "Tone", "Biotic", "Lean", "Focus", "Vital"),
    ),
    "dating": (
        ("Heart", "Spark", "Flirt", "Date", "Cupid", "Amor", "Soul", "Love", "Meet", "Sweet"),
        ("Mingle", "Link", "Finder", "Hub", "Connect", "Me", "Mate", "Nest", "Singles", "Match"),
    ),
    "hosting": (
        ("Host", "Cloud", "Web", "Site", "Byte", "Server", "Rocket", "Blue", "Hyper", "Nimbus"),
        ("Nest", "Port", "Forge", "Stack", "Dock", "Harbor", "Lane", "Ly", "Spark", "Grid"),
    ),
    "loan": (
        ("Quick", "Cash", "Easy", "Rapid", "Fast", "Sun", "Simple", "Money", "Flex", "Bright"),
        ("Loan", "Lend", "Cash", "Funds", "Credit", "Advance", "Loans Direct", "Pay Now"),
    ),
    "shop": (
        ("Deal", "Trend", "Style", "Mega", "Super", "Urban", "Happy", "Smart", "Value", "Bargain"),
        ("Mart", "Shop", "Store", "Basket", "Outlet", "Cart", "Bazaar", "Box", "Deals", "Direct"),
    ),
    "course": (
        ("Skill", "Learn", "Master", "Edu", "Course", "Brain", "Career", "Tech", "Bright", "Next"),
        ("Academy", "Hub", "Class", "Camp", "U", "Lab", "Path", "School", "Mentor", "Pro"),
    ),
    "ad": (
        ("Ad", "Promo", "Click", "Revenue", "Native", "Media", "Reach", "Boost"),
        ("Sphere", "Flow", "Nest", "Grid", "Serve", "Loop", "Lift", "Wave"),
    ),
}
# fmt: on


def _brand(kind: str) -> Callable[[random.Random], str]:
    heads, tails = _BRANDS[kind]

    def make(rng: random.Random) -> str:
        name = rng.choice(heads) + rng.choice(tails)
        roll = rng.random()
        if roll < 0.15:
            return name + rng.choice((".com", ".io", ".net", ".co"))
        if roll < 0.25:
            return name.upper()
        return name

    return make


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _slug(text: str, words: int = 8) -> str:
    ascii_text = text.encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", ascii_text)[:words]
    return "-".join(parts) or "story"


def _outlet(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return f"The {rng.choice(_TOWNS)} {rng.choice(_PAPERS)}"
    if roll < 0.55:
        return f"{rng.choice(_TOWNS)} {rng.choice(_PAPERS)}"
    if roll < 0.8:
        return rng.choice(_SITE_HEAD) + rng.choice(_SITE_TAIL)
    if roll < 0.9:
        return (
            f"{rng.choice(_SITE_HEAD)} {rng.choice(_SITE_TAIL)} {rng.choice(('Online', 'Media', 'Network'))}"
        )
    return (rng.choice(_SITE_HEAD) + rng.choice(_SITE_TAIL)).lower() + rng.choice(_TLDS)


def _domain(rng: random.Random) -> str:
    if rng.random() < 0.5:
        base = re.sub(r"^the ", "", _outlet(rng).lower())
        base = re.sub(r"\.[a-z.]+$", "", base)
    else:
        base = (rng.choice(_SITE_HEAD) + rng.choice(_SITE_TAIL)).lower()
    base = re.sub(r"[^a-z0-9]+", rng.choice(("", "", "-")), base).strip("-")
    return base + rng.choice(_TLDS)


def _alnum(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(size))


def _url(rng: random.Random) -> str:
    host = ("www." if rng.random() < 0.5 else "") + _domain(rng)
    roll = rng.random()
    if roll < 0.3:
        path = f"{_slug(rng.choice(_SECTIONS))}/{_slug(_headline(rng))}-{rng.randint(1000, 999999)}"
    elif roll < 0.55:
        day = _random_date(rng)
        path = f"{day.year}/{day.month:02d}/{day.day:02d}/{_slug(_headline(rng))}/"
    elif roll < 0.7:
        path = f"?p={rng.randint(100, 99999)}"
    elif roll < 0.85:
        path = f"article/{_alnum(rng, 10).lower()}"
    else:
        path = f"go/{rng.choice(('offer', 'promo', 'deal', 'ref', 'signup'))}?ref={_alnum(rng, 6)}"
    return f"https://{host}/{path}"


def _short_url(rng: random.Random) -> str:
    prefix = rng.choice(("", "", "https://"))
    return f"{prefix}{rng.choice(_SHORTENERS)}/{_alnum(rng, rng.randint(5, 8))}"


def _code(rng: random.Random) -> str:
    if rng.random() < 0.6:
        words = ("SAVE", "NEWS", "WELCOME", "VIP", "BONUS", "FREE", "READER", "SPRING", "SUMMER", "FLASH")
        words += ("EXTRA", "GET", "LUCKY", "START", "DEAL", "WIN", "MEGA", "HELLO")
        return rng.choice(words) + str(rng.randint(5, 99))
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.randint(5, 8)))


def _price(rng: random.Random) -> str:
    currency = rng.choice(_CURRENCIES)
    whole = rng.choice((0, 1, 2, 4, 5, 7, 9, 12, 14, 19, 24, 29, 39, 49, 59, 79, 99, 149))
    cents = rng.choice(("99", "95", "49", "00", "50", ""))
    if whole == 0 and not cents:
        cents = "99"
    return f"{currency}{whole}.{cents}" if cents else f"{currency}{whole}"


def _price_big(rng: random.Random) -> str:
    amount = rng.choice((500, 750, 1000, 1500, 2000, 2500, 3000, 5000, 7500, 10000, 25000, 50000))
    return f"{rng.choice(_CURRENCIES)}{amount:,}"


def _random_date(rng: random.Random) -> date:
    start = date(2018, 1, 1).toordinal()
    return date.fromordinal(rng.randint(start, date(2025, 12, 31).toordinal()))


def _date(rng: random.Random) -> str:
    day = _random_date(rng)
    month = _MONTHS[day.month - 1]
    style = rng.randrange(7)
    if style == 0:
        return f"{day.day} {month} {day.year}"
    if style == 1:
        return f"{month} {day.day}, {day.year}"
    if style == 2:
        return f"{month[:3]} {day.day}, {day.year}"
    if style == 3:
        return day.isoformat()
    if style == 4:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if style == 5:
        return f"{_WEEKDAYS[day.weekday()]} {day.day} {month} {day.year}"
    return f"{_WEEKDAYS[day.weekday()][:3]}, {month[:3]} {day.day}, {day.year}"


def _time(rng: random.Random) -> str:
    hour, minute = rng.randrange(24), rng.randrange(60)
    style = rng.randrange(4)
    if style == 0:
        return f"{hour:02d}:{minute:02d}"
    if style == 1:
        return f"{hour % 12 or 12}:{minute:02d} {'a.m.' if hour < 12 else 'p.m.'}"
    if style == 2:
        return f"{hour % 12 or 12}:{minute:02d}{'am' if hour < 12 else 'pm'}"
    return f"{hour:02d}.{minute:02d}"


def _handle(rng: random.Random) -> str:
    return "@" + _handle_plain(rng)


def _handle_plain(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return re.sub(r"[^A-Za-z0-9]", "", _outlet(rng).replace("The ", ""))[:15]
    if roll < 0.7:
        return (rng.choice(_FIRST) + rng.choice(("_", "", ".")) + rng.choice(_LAST)).replace("'", "")[:15]
    return (rng.choice(_SITE_HEAD) + rng.choice(_SITE_TAIL)).lower() + rng.choice(("", "news", "_official"))


def _title_case(text: str) -> str:
    small = {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "vs", "with", "by"}
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word.lower() in small:
            out.append(word.lower())
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def _agree(subject: str, verb: str) -> str:
    """``verb`` (third person singular) made to agree with a plural ``subject``: ``warns`` -> ``warn``."""
    if not subject.endswith("s") or subject.endswith(("ss", "us")):
        return verb
    first, _, rest = verb.partition(" ")
    plural = _PLURAL_VERBS.get(first, first)
    return f"{plural} {rest}" if rest else plural


def _headline(rng: random.Random) -> str:
    subj, obj = rng.choice(_HL_SUBJECTS), rng.choice(_HL_OBJECTS)
    singular_verb = rng.choice(_HL_VERBS)
    verb = _agree(subj, singular_verb)
    city, event = rng.choice(_CITIES), rng.choice(_HL_EVENTS)
    form = rng.randrange(15)
    if form == 0:
        text = f"{subj} {verb} {obj}"
    elif form == 1:
        text = f"{subj} {verb} {obj} in {city}"
    elif form == 2:
        text = f"What we know about the {event} in {city}"
    elif form == 3:
        text = f"{rng.randint(3, 12)} things to know about {rng.choice(_TOPICS).lower()}"
    elif form == 4:
        text = f"Live: {city} {event} – latest updates"
    elif form == 5:
        opinion = rng.choice(
            (
                "The truth about {x} nobody wants to hear",
                "It's time we talked honestly about {x}",
                "Why {x} should worry all of us",
                "We ignored {x} for too long",
            )
        )
        text = "Opinion: " + opinion.replace("{x}", obj)
    elif form == 6:
        text = f"Watch: {_scene(rng)}"
    elif form == 7:
        text = f"'{rng.choice(_HL_QUOTES)}': {subj.lower()} on {obj}"
    elif form == 8:
        text = f"{rng.randint(2, 40)} injured after {event} in {city}"
    elif form == 9:
        text = f"{_name(rng)} {rng.choice(_HL_PEOPLE_DO)} {rng.choice(_HL_PEOPLE_WHAT)}"
    elif form == 10:
        text = f"How {obj} could affect your {rng.choice(_HL_MONEY)}"
    elif form == 11:
        text = f"{_team(rng)} {rng.randint(0, 4)}-{rng.randint(0, 4)} {_team(rng)}: {rng.choice(_HL_RECAPS)}"
    elif form == 12:
        text = (
            f"{rng.choice(_COUNTRIES).replace('the ', 'The ', 1)} {singular_verb} {obj} as {event} fears grow"
        )
    elif form == 13:
        superlative = rng.choice(("cheapest", "best", "worst", "safest", "busiest"))
        text = f"Revealed: the {superlative} places to live in {city}"
    else:
        text = f"{subj} {verb} {obj} after {event}"
    text = text[:1].upper() + text[1:]
    return _title_case(text) if rng.random() < 0.3 else text


def _scene(rng: random.Random, when: bool = True) -> str:
    who, act, place = rng.choice(_SCENE_PEOPLE), rng.choice(_SCENE_ACTS), rng.choice(_SCENE_PLACES)
    if who.startswith(("A ", "An ")) and "people" not in who:
        first, _, rest = act.partition(" ")
        act = first + ("es" if first.endswith(("ch", "sh", "s", "x")) else "s") + " " + rest
    scene = f"{who} {act} {place} in {rng.choice(_CITIES)}"
    if when:
        scene += rng.choice(
            (
                f" on {rng.choice(_WEEKDAYS)}",
                f" on {_date(rng)}",
                "",
                f" earlier this {rng.choice(('week', 'month'))}",
            )
        )
    return scene


def _team(rng: random.Random) -> str:
    return f"{rng.choice(_TOWNS)} {rng.choice(('FC', 'United', 'City', 'Rovers', 'Athletic', 'Town'))}"


def _topics(rng: random.Random) -> str:
    picked = rng.sample(_TOPICS, rng.randint(3, 6))
    sep = rng.choice((", ", ", ", " · ", " | ", " / "))
    if rng.random() < 0.3:
        picked = [t.lower() for t in picked]
    return sep.join(picked)


def _tagword(rng: random.Random) -> str:
    word = rng.choice(
        _TOPICS + _CITIES + ("BreakingNews", "News", "Update", "LatestNews", "Viral", "MustRead")
    )
    word = "".join(part[:1].upper() + part[1:] for part in re.split(r"[\s-]+", word))
    return word if rng.random() < 0.7 else word.lower()


def _phone(rng: random.Random) -> str:
    return rng.choice(("+44 7", "+1 ", "+234 8", "+91 9", "+61 4")) + "".join(
        rng.choice(string.digits) for _ in range(9)
    )


def _newsletter_name(rng: random.Random) -> str:
    return (
        f"{rng.choice(('The ', 'The ', ''))}{rng.choice(_NEWSLETTER_WORDS)} {rng.choice(_NEWSLETTER_NOUNS)}"
    )


def _year_span(rng: random.Random) -> str:
    first = rng.randint(1995, 2020)
    return f"{first}-{rng.randint(max(first + 1, 2021), 2025)}"


def _duration(rng: random.Random) -> str:
    return f"{rng.randint(0, 12)}:{rng.randrange(60):02d}"


_SLOTS: dict[str, Callable[[random.Random], str]] = {
    "name": _name,
    "name_upper": lambda rng: _name(rng).upper(),
    "first": lambda rng: rng.choice(_FIRST),
    "first_l": lambda rng: rng.choice(_FIRST).lower(),
    "last_l": lambda rng: rng.choice(_LAST).lower().replace("'", ""),
    "outlet": _outlet,
    "domain": _domain,
    "url": _url,
    "short_url": _short_url,
    "agency": lambda rng: rng.choice(_AGENCIES),
    "wire": lambda rng: rng.choice(_WIRES),
    "city": lambda rng: rng.choice(_CITIES),
    "country": lambda rng: rng.choice(_COUNTRIES),
    "section": lambda rng: rng.choice(_SECTIONS),
    "topic": lambda rng: rng.choice(_TOPICS),
    "topic_l": lambda rng: rng.choice(_TOPICS).lower(),
    "topics": _topics,
    "tagword": _tagword,
    "headline": _headline,
    "scene": _scene,
    "scene_bare": lambda rng: _scene(rng, when=False),
    "role": lambda rng: rng.choice(_ROLES),
    "n": lambda rng: str(rng.randint(2, 12)),
    "digit": lambda rng: str(rng.randint(0, 9)),
    "num": lambda rng: str(rng.randint(1000, 999999)),
    "count": lambda rng: str(
        rng.choice((rng.randint(3, 99), rng.randint(100, 999), rng.randint(1000, 9999)))
    ),
    "sharecount": lambda rng: rng.choice(
        (str(rng.randint(0, 999)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}k")
    ),
    "bignum": lambda rng: f"{rng.randint(5, 950) * 100:,}",
    "pct": lambda rng: f"{rng.randrange(10, 95, 5)}%",
    "apr": lambda rng: f"{rng.randint(9, 49)}.{rng.randint(0, 9)}",
    "price": _price,
    "price_big": _price_big,
    "code": _code,
    "year": lambda rng: str(rng.randint(2018, 2025)),
    "year_span": _year_span,
    "date": _date,
    "time": _time,
    "tz": lambda rng: rng.choice(_TIMEZONES),
    "weekday": lambda rng: rng.choice(_WEEKDAYS),
    "mins": lambda rng: str(rng.randint(2, 14)),
    "duration": _duration,
    "gallery": lambda rng: (lambda total: f"{rng.randint(1, total)} of {total}")(rng.randint(3, 40)),
    "handle": _handle,
    "handle_plain": _handle_plain,
    "emoji": lambda rng: rng.choice(_EMOJI),
    "coin": lambda rng: rng.choice(_COINS),
    "product": lambda rng: rng.choice(_PRODUCTS),
    "skill": lambda rng: rng.choice(_SKILLS),
    "sport": lambda rng: rng.choice(_SPORTS),
    "team": _team,
    "phone": _phone,
    "alnum": lambda rng: _alnum(rng, rng.randint(6, 10)),
    "hex": lambda rng: "".join(rng.choice("0123456789abcdef") for _ in range(12)),
    "cls": lambda rng: rng.choice(_CSS_CLASSES),
    "width": lambda rng: str(rng.choice((300, 480, 560, 640, 728, 800, 970, 1024, 1200))),
    "nl_name": _newsletter_name,
    "freq": lambda rng: rng.choice(_FREQ),
    "when": lambda rng: rng.choice(_WHEN),
    "edition": lambda rng: rng.choice(_EDITIONS),
    "cms": lambda rng: rng.choice(_CMS),
    "vendors": lambda rng: str(rng.randint(12, 1400)),
    "regno": lambda rng: str(rng.randint(1000000, 9999999)),
    "brand_crypto": _brand("crypto"),
    "brand_casino": _brand("casino"),
    "brand_vpn": _brand("vpn"),
    "brand_supp": _brand("supplement"),
    "brand_dating": _brand("dating"),
    "brand_host": _brand("hosting"),
    "brand_loan": _brand("loan"),
    "brand_shop": _brand("shop"),
    "brand_course": _brand("course"),
    "brand_ad": _brand("ad"),
}

# ``{slot}`` or ``{slot2}`` (a second, different value); braces in template residue such as ``{{ x }}``,
# ``${x}``, ``%{x}`` or ``{ display: none; }`` are left alone.
_SLOT = re.compile(r"(?<![{$%])\{([a-z][a-z_]*?)([0-9]?)\}(?!\})")


def render_junk(pattern: str, rng: random.Random) -> str:
    """Fill the ``{slot}`` fields of a junk template; a repeated field gets the same value."""
    values: dict[str, str] = {}
    used: dict[str, set[str]] = {}

    def fill(match: re.Match[str]) -> str:
        key = match.group(0)
        if key not in values:
            base = match.group(1)
            make = _SLOTS[base]
            taken = used.setdefault(base, set())
            value = make(rng)
            for _ in range(8):
                if value not in taken:
                    break
                value = make(rng)
            taken.add(value)
            values[key] = value
        return values[key]

    return _SLOT.sub(fill, pattern).replace("the The ", "the ").replace("The The ", "The ")


class _Template:
    """A junk generator from a template string with ``{slot}`` fields."""

    __slots__ = ("pattern",)

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __call__(self, rng: random.Random) -> str:
        return render_junk(self.pattern, rng)

    def __repr__(self) -> str:
        return f"_Template({self.pattern!r})"


# --------------------------------------------------------------------------------------------------
# Junk templates, by kind
# --------------------------------------------------------------------------------------------------

_NEWSLETTER = (
    "Sign up for our {freq} newsletter to get the latest {topic_l} news straight to your inbox.",
    "Get the {outlet} {when} briefing delivered to your inbox.",
    "Enter your email address",
    "Enter your email to subscribe",
    "Your email address",
    "SIGN UP FOR OUR NEWSLETTER",
    "Subscribe to our newsletter",
    "Newsletter",
    "Sign up",
    "Sign me up",
    "By signing up, you agree to our Terms of Use and acknowledge our Privacy Policy.",
    "By entering your email you consent to receive marketing from {outlet}. You can unsubscribe at any time.",
    "Thanks for subscribing! Please check your inbox to confirm.",
    "Don't miss a thing — get {topic_l} headlines from {outlet} every {when}.",
    "Want more stories like this? Sign up for {nl_name}, our {freq} email.",
    "{emoji} Join {bignum}+ readers who get our {freq} newsletter.",
    "Please enter a valid email address",
    "Oops! Something went wrong, please try again.",
    "{nl_name}: the {n} stories you need, every {when}.",
    "Sign up to receive {outlet}'s {topic_l} newsletter",
    "Never miss a story: subscribe to {nl_name}",
    "You're subscribed! We'll send {nl_name} to your inbox every {when}.",
    "Get our free {topic_l} newsletter — {mins} minutes, {freq}, no spam.",
    "I'd like to receive offers, events and updates from {outlet} and its partners.",
    "Start your day with {nl_name}. Sign up here.",
    "Like this story? Get more like it in your inbox — sign up for {nl_name}.",
    "Stay informed. Sign up for the {outlet} newsletter.",
    "Subscribe for free → {url}",
    "We'll never share your email address. Unsubscribe at any time.",
    "Sign up for breaking news alerts from {outlet}",
    "The best of {outlet}, in your inbox every {when}",
    "Get {topic} updates by email",
)
_COOKIE = (
    (
        "We use cookies to improve your experience on our site. By continuing to browse, you agree to "
        "our use of cookies."
    ),
    (
        "This website uses cookies to personalise content and ads, provide social media features and "
        "analyse our traffic."
    ),
    "Accept all cookies",
    "Accept All | Reject All | Manage Preferences",
    "Cookie settings",
    "Cookie Policy",
    "We value your privacy",
    (
        "We and our {vendors} partners store and access information on your device, such as cookies, "
        "and process personal data for personalised ads and content, ad and content measurement and "
        "audience insights."
    ),
    "By clicking “Accept”, you consent to the use of ALL the cookies.",
    'By clicking "Accept all", you agree to the storing of cookies on your device.',
    "Your privacy choices",
    "Manage consent",
    "I agree",
    "I Accept",
    "Got it!",
    "Allow all · Necessary only · Customise",
    "This site uses cookies. Learn more in our cookie policy.",
    "We use cookies and similar technologies to recognise your repeat visits and preferences. Learn more",
    "Do not sell or share my personal information",
    (
        "You can change your cookie choices at any time by clicking 'Privacy settings' at the bottom of "
        "the page."
    ),
    "Strictly necessary cookies are always on.",
    "Cookies help us deliver our services. By using {domain} you agree to our use of cookies. OK",
    "Consent | Legitimate interest | Vendors ({vendors})",
    "{outlet} and our partners use cookies. Manage your choices here.",
    "We care about your privacy 🍪",
    "🍪 This site uses cookies to give you the best experience. Accept | Decline",
    "Privacy Preference Center",
    "Save and close",
    "Reject non-essential cookies",
    "Your consent settings have been saved.",
)
_SHARE = (
    "Share this article",
    "Share",
    "SHARE",
    "Share on Facebook",
    "Share on X",
    "Share on WhatsApp",
    "Share via Email",
    "Copy link",
    "Link copied to clipboard",
    "Facebook Twitter LinkedIn Email Print",
    "Share {sharecount} Tweet {n} Pin {n2}",
    "Share this: Facebook · X · WhatsApp · Email",
    "Share this story, choose your platform!",
    "Tweet this",
    "Email this article to a friend",
    "Print this page",
    "Save for later",
    "Save article",
    "Gift this article",
    "{sharecount} shares",
    "Click to share on Facebook (Opens in new window)",
    "Click to email a link to a friend (Opens in new window)",
    "Share this with Facebook Messenger X Email",
    "Share full article",
    "Share to WhatsApp Share to Telegram Share to Reddit",
    "Like this article? Share it with your friends! {emoji}",
    "Share article: {url}",
    "Bookmark",
)
_SOCIAL = (
    "Follow us on Telegram for breaking news: t.me/{handle_plain}",
    "{emoji} Join our WhatsApp channel for the latest updates: whatsapp.com/channel/{alnum}",
    "Join our Discord server: discord.gg/{alnum}",
    "Follow {outlet} on X: {handle}",
    "Follow us on X (formerly Twitter) {handle}",
    "Like {outlet} on Facebook: facebook.com/{handle_plain}",
    "Follow us on Instagram {handle} for more",
    "Subscribe to our YouTube channel for more videos: youtube.com/@{handle_plain}",
    "Follow {name} on X {handle}",
    "Stay connected: Facebook | X | Instagram | TikTok | Telegram",
    "Get the latest news on WhatsApp — click here to join",
    "Follow us on Google News {emoji}",
    "Add {outlet} as a preferred source on Google",
    "🔔 Turn on notifications so you never miss a story",
    "Join {bignum}+ members in our Telegram group 👉 t.me/{handle_plain}",
    "Find us on Threads and Bluesky: {handle}",
    "Follow our coverage on TikTok {handle}",
    "Connect with us on LinkedIn",
    "For more {topic_l} news, follow us on Facebook, X and Instagram.",
    "Have a story tip? Message us on WhatsApp at {phone}",
    "📣 Our Telegram channel is live! Join now: t.me/{handle_plain}",
    "Follow @{handle_plain} on all platforms",
    "Join the {outlet} community on Discord and chat with {bignum} readers",
    "Never miss an update — follow {outlet} on WhatsApp",
    "Follow us: facebook.com/{handle_plain} | x.com/{handle_plain} | instagram.com/{handle_plain}",
    "Watch more on our YouTube channel ▶️",
    "Like and follow for more {topic_l} updates {emoji}",
    "Join us on Telegram: {short_url}",
)
_CAPTION = (
    "(Photo: {name}/{agency})",
    "Image credit: {name}/{agency}",
    "Image credit: {agency}",
    "FILE - {scene_bare}, {date}. (AP Photo/{name}, File)",
    "FILE PHOTO: {scene_bare}, {date}. {wire}/{name}/File Photo",
    "Credit: {wire}",
    "Credit: {name}/{agency}",
    "📷 {name} / {agency}",
    "📸 {agency}",
    "{scene}. Photograph: {name}/{agency}",
    "{scene} ({agency})",
    "{scene}. (Photo by {name}/{agency} via Getty Images)",
    "Photo by {name} on Unsplash",
    "{scene}. Picture: {agency}",
    "Image: {name}",
    "[Photo: {agency}]",
    "Pictured: {scene}",
    "{scene} | Photo credit: {name}",
    "{scene}. Credit: {name} for {outlet}",
    "Video: {headline} ({duration})",
    "WATCH: {scene}",
    "Watch the video above",
    "▶ Play video {duration}",
    "{scene}. Image: {agency}",
    "Photo: {agency}",
    "{scene} (Image: {name})",
    "Photo courtesy of {name}",
    "Supplied: {name}",
    "{scene} [{agency}]",
    "Image source, {agency}",
    "Image caption, {scene}",
    "{gallery} | {scene}",
    "Open gallery: {n} photos",
    "View {count} images",
    "{scene}. (Photo: {agency})",
    "{scene} — {name}/{agency}",
    "Photograph: {agency}",
    "Media: {agency}",
    "Image: {agency}/{name}",
)
_RELATED_SINGLE = (
    "Read more: {headline}",
    "READ MORE: {headline}",
    "Related: {headline}",
    "ALSO READ | {headline}",
    "Also read: {headline}",
    "See also: {headline}",
    "Recommended: {headline}",
    "Don't miss: {headline}",
    "MORE: {headline}",
    "Read next: {headline}",
    "→ {headline}",
    "Read our full coverage of {topic_l}",
    "Related: {headline} ({mins} min read)",
    "Latest: {headline}",
    "RELATED STORY: {headline}",
    "[Read more: {headline}]",
    "Click here to read: {headline}",
    "You might also like: {headline}",
    "MUST READ: {headline} {emoji}",
)
_RELATED_HEADERS = (
    "Related",
    "Related articles",
    "Related stories",
    "Related Posts",
    "You may also like",
    "More from {outlet}",
    "Recommended for you",
    "Recommended",
    "Most read",
    "MOST POPULAR",
    "Trending now",
    "Trending",
    "What to read next",
    "More on this story",
    "Top stories",
    "Editor's picks",
    "In other news",
    "Read more",
    "More in {section}",
    "Popular now",
    "More stories",
    "Don't miss",
    "Latest news",
)
_NAVIGATION = (
    "Home > {section} > {section2}",
    "Home / {section} / {section2}",
    "Home » {section} » {headline}",
    "You are here: Home › {section}",
    "Home › {section} › {section2} › {topic}",
    "Skip to main content",
    "Skip to content",
    "Skip to navigation",
    "Menu",
    "☰ Menu",
    "Search",
    "Search {outlet}",
    "Sign in",
    "Log in | Register",
    "Back to top",
    "Back to top ↑",
    "Toggle navigation",
    "Previous article",
    "Next article",
    "Next story →",
    "« Previous post",
    "Next post »",
    "Sections",
    "Open menu Close menu",
    "Subscribe Sign in Menu Search",
    "Edition: {edition}",
    "{edition} edition",
    "Jump to: {section}",
    "Back to {section}",
    "Go to homepage",
    "Home",
    "Latest",
    "{section} | {section2} | {section3} | {section4} | {section5}",
    "Home | {section} | {section2} | {section3} | Contact",
    "{weekday}, {date}",
    "More ▾",
    "All sections",
)
_AD = (
    "ADVERTISEMENT",
    "Advertisement",
    "- Advertisement -",
    "Advertisement - scroll to continue",
    "Sponsored",
    "SPONSORED",
    "Sponsored content",
    "Sponsored by {brand_shop}",
    "Story continues below",
    "Story continues below advertisement",
    "Article continues below this ad",
    "Continue reading below",
    "AD",
    "Ad",
    "Promoted",
    "Promoted stories",
    "Paid content",
    "Partner content",
    "Presented by {brand_host}",
    "Scroll to continue with content",
    "Ad Feedback",
    "Report this ad",
    "Advertise with us",
    "CONTENT CONTINUES AFTER AD",
    "Article continues after advertisement",
    "Remove ads",
    "Ads by {brand_ad}",
    "Why this ad?",
    "Sponsored links by {brand_ad}",
    "- ADVERTISEMENT -",
    "Advertisement · Scroll to continue",
    "Paid Post",
    "In partnership with {brand_course}",
    "Promoted content by {brand_ad}",
    "Advertisement feature",
    "The article continues below",
    "Ad-free reading is available for subscribers.",
)
_SOURCE = (
    "Source link",
    "Source: {outlet}",
    "Source : {domain}",
    "Source - {outlet}",
    "The post {headline} appeared first on {outlet}.",
    "The post {headline} appeared first on {domain}.",
    "Read the original article on {outlet}.",
    "Read the original article at {url}",
    "Originally published at {domain}",
    "Originally published on {outlet} on {date}",
    "This article originally appeared on {outlet}.",
    "This story was originally published by {outlet} and is republished here with permission.",
    "Continue reading the full story on {domain}",
    "Read the full story at {url}",
    "via {outlet}",
    "Via: {domain}",
    "Original source: {url}",
    "Read more at {domain}",
    "Sourced from {outlet}",
    "[Source: {outlet}]",
    "Article source: {url}",
    "This content was automatically imported from {outlet}. Read more at {url}",
    "This post was first published on {domain}",
    "Click here to read the full article.",
    "Continue reading...",
    "Republished with permission from {outlet}.",
    "This article is republished from {outlet} under a Creative Commons license.",
    "Syndicated from {domain}",
    "Story source: {outlet}, {date}",
    "Feed: {outlet} – {section}",
    "Go to Source",
    "Read full article »",
    "Link to the original: {url}",
)
_COPYRIGHT = (
    "© {year} {outlet}. All rights reserved.",
    "Copyright © {year} {outlet}",
    (
        "Copyright {year} {outlet}. All Rights Reserved. This material may not be published, broadcast, "
        "rewritten or redistributed."
    ),
    "(c) {year} {outlet} Ltd",
    "© {outlet} {year}",
    "© {year_span} {outlet} Media Group. All rights reserved.",
    "All content copyright {outlet} unless otherwise stated.",
    "Reproduction in whole or in part without written permission is prohibited.",
    (
        "Disclaimer: The views and opinions expressed in this article are those of the author and do "
        "not necessarily reflect the official position of {outlet}."
    ),
    "Disclaimer: This article is for informational purposes only and does not constitute financial advice.",
    "The information provided here is not investment advice. Always do your own research.",
    "{outlet} may receive compensation for some links to products and services on this website.",
    "Terms of Use | Privacy Policy | Cookie Policy | Contact Us",
    "Terms & Conditions · Privacy · Accessibility · Sitemap",
    "About us | Contact | Advertise | Careers | Corrections",
    "This article may not be reproduced without permission.",
    "All rights reserved. Registered in England and Wales No. {regno}.",
    "{outlet} is not responsible for the content of external sites.",
    "Our journalism follows strict editorial standards. Report an error.",
    "Corrections: If you spot an error, email corrections@{domain}",
    "Powered by {cms}",
    "Proudly powered by {cms} | Theme by {brand_host}",
    "Copyright © {year} {domain} | All Rights Reserved",
    "©{year} {outlet}, a division of {outlet2}",
    "No part of this publication may be reproduced without the prior written consent of {outlet}.",
    "Views expressed are the author's own.",
    "Content is provided for general information only and should not be relied upon as professional advice.",
    "We are committed to accuracy. See our corrections policy.",
    "All trademarks are the property of their respective owners.",
    "Copyright infringement notice: report to dmca@{domain}",
)
_PROMO = (
    # crypto
    (
        "🚀 Trade {coin} with 0% fees on {brand_crypto} — sign up with code {code} and get a {price_big} "
        "bonus 👉 {url}"
    ),
    "Claim your free {coin} airdrop now! Limited spots: {short_url}",
    "{brand_crypto} is giving away {bignum} USDT to new users. Register before {date}: {url}",
    "Want to earn {pct} APY on your crypto? Click here to start staking with {brand_crypto}.",
    "Best crypto exchange {year}: {brand_crypto} (use referral code {code} for {pct} off trading fees)",
    "💰 {name} turned {price} into {price_big} with this trading bot. See how ➜ {url}",
    "{emoji} {coin} to the moon? Get {pct} bonus on your first deposit at {brand_crypto}",
    # casino and betting
    (
        "🎰 {brand_casino}: {pct} deposit match up to {price_big} + {count} free spins! Use code {code}. "
        "18+ T&Cs apply."
    ),
    "Bet {price} get {price_big} in free bets at {brand_casino} — click here to claim",
    "Best odds on {team} vs {team2} tonight at {brand_casino} ⚽ {url}",
    "Play now at {brand_casino} — no wagering requirements! {short_url}",
    "New customers only. Min deposit {price}. Please gamble responsibly. 18+",
    "🏆 Free {sport} predictions + {pct} boosted odds at {brand_casino}. Join now: {url}",
    # VPN
    "🔒 Protect your privacy online — get {brand_vpn} for just {price}/month ({pct} off) {url}",
    "Watch {sport} from anywhere with {brand_vpn}. Click here to get {n} months free.",
    "{brand_vpn} deal: {pct} OFF + {n} extra months with code {code}",
    "Public Wi-Fi isn't safe. {brand_vpn} encrypts everything — try it risk-free for 30 days.",
    # supplements
    "Doctors stunned: this {n}-second morning ritual melts belly fat 👉 {url}",
    "{brand_supp} — the natural way to boost energy and focus. Order today and save {pct}!",
    "Try {brand_supp} risk-free: {count}-day money-back guarantee. Only {price} per bottle.",
    "Buy {n} bottles, get {n2} FREE — {brand_supp} official site: {url}",
    "😱 {city} mum loses {n} stone without dieting — the secret is {brand_supp}",
    # dating
    "💕 Meet singles in {city} tonight — join {brand_dating} free: {url}",
    "{n} women near you want to chat. Click here ➡ {short_url}",
    "Looking for love? {brand_dating} matched {bignum} couples last year. Sign up free!",
    "Over 40 and single? Try {brand_dating} — first month {price}",
    # hosting
    "Launch your website today with {brand_host} — hosting from {price}/mo + free domain. Use code {code}",
    "{pct} off all {brand_host} plans this week only: {url}",
    "Need a fast WordPress host? Try {brand_host} (affiliate link)",
    # loans
    "Need cash fast? Get up to {price_big} today with {brand_loan}. Bad credit OK. Apply now: {url}",
    "💸 Instant loans approved in {n} minutes — {brand_loan} {short_url}",
    "Compare {count} lenders in {n} seconds with {brand_loan}. Representative APR {apr}%.",
    "Struggling with debt? {brand_loan} can help. Call {phone} today.",
    # e-commerce
    "🔥 Flash sale: up to {pct} off at {brand_shop}! Use code {code} at checkout {url}",
    "Shop the look: {product} now {price} (was {price2}) at {brand_shop}",
    "Free shipping on orders over {price} at {brand_shop} — today only!",
    "Deal of the day: this bestselling {product} is {pct} off right now {emoji}",
    "This article contains affiliate links. We may earn a commission if you buy through them.",
    (
        "We independently review everything we recommend. When you buy through our links, we may earn a "
        "commission."
    ),
    "Black Friday {year}: the best {product} deals at {brand_shop} → {short_url}",
    # courses
    "Master {skill} in {n} weeks — enrol with {brand_course} today and save {pct} 🎓 {url}",
    "Free webinar: How I make {price_big}/month with {skill}. Register here: {short_url}",
    "Get certified in {skill}: {count}+ hours of video, lifetime access, only {price}",
    "{brand_course}: learn {skill} from industry experts. First lesson free! Code: {code}",
    # generic
    "👉 CLICK HERE to claim your reward",
    "Congratulations! You've been selected to win a {product}. Claim now: {short_url}",
    "{emoji}{emoji2} LIMITED OFFER {emoji}{emoji2} {pct} OFF with code {code} → {url}",
    "Earn {price_big} a month working from home. Click here to find out how.",
)
_BYLINE = (
    "By {name}",
    "By {name} and {name2}",
    "BY {name_upper}",
    "{name} | {outlet}",
    "{name}, {role}",
    "Written by {name}",
    "Words by {name}",
    "Published {date} at {time}",
    "Published: {date}",
    "Updated {date}, {time}",
    "Updated: {time} {tz}, {date}",
    "Last modified on {date} {time} {tz}",
    "Posted {n} hours ago",
    "{n} minutes ago",
    "{mins} min read",
    "{date} · {mins} min read",
    "{name} · {date}",
    "{date} | {time}",
    "{name} is a {role} at {outlet}.",
    "About the author: {name} covers {topic_l} for {outlet}.",
    "Contact the author: {first_l}.{last_l}@{domain}",
    "Reading time: {mins} minutes",
    "First published on {date}",
    "Listen to this article",
    "Listen to this article · {duration} min",
    "{name}, {role} | Published {date}",
    "Last updated: {date}",
    "By {name}, {outlet}",
    "Author: {name}",
    "{time} {tz} {date}",
    "Fact checked by {name}",
    "Reviewed by {name}, {role}",
    "More from {name}",
    "{name} @{handle_plain}",
)
_TAGS = (
    "Tags: {topics}",
    "Topics: {topics}",
    "Filed under: {topics}",
    "Categories: {section}, {section2}",
    "More on: {topics}",
    "Related topics",
    "Tagged {topics}",
    "{section} · {topic} · {topic2}",
    "Explore more on these topics: {topics}",
    "Posted in {section} | Tagged {topics}",
    "In this article: {topics}",
    "Follow topics: {topic} + {topic2} +",
    "TAGS",
    "Topics",
    "Category: {section}",
    "Posted in: {section}",
    "Published in {section}",
    "Related Topics: {topics}",
    "#{tagword} #{tagword2} #{tagword3}",
    "Keywords: {topics}",
)
_COMMENTS = (
    "Comments",
    "{count} comments",
    "View comments ({count})",
    "Leave a comment",
    "Leave a Reply Cancel reply",
    "Your email address will not be published. Required fields are marked *",
    "Join the conversation",
    "Show comments",
    "Be the first to comment",
    "Comments are closed.",
    "Log in to comment",
    "Sort by: Newest | Oldest | Most liked",
    "Reply · Report · {n} likes",
    "Please read our community guidelines before posting.",
    "Comments on this article are now closed",
    "Have your say",
    "What do you think? Let us know in the comments below.",
    "Post comment",
    "Load more comments",
    "Comment as a guest",
    "Name * Email * Website",
    "Save my name, email, and website in this browser for the next time I comment.",
    "{first_l}{n} · {n2}h ago",
    "Notify me of follow-up comments by email.",
    "This comment has been removed by a moderator.",
    "Please enable JavaScript to view the comments.",
    "Add a comment…",
    "Show {n} more replies",
    "Most popular comments",
    "Comment count: {count}",
    "Reply",
    "Report abuse",
    "Upvote {n} Downvote",
)
_APP = (
    "Download the {outlet} app for iOS and Android",
    "Get the {outlet} app",
    "Read this story in the {outlet} app",
    "Open in app",
    "Continue in app",
    "Available on the App Store and Google Play",
    "📱 Get breaking news alerts on your phone: download our free app",
    "Scan the QR code to download our app",
    "Download our app for the latest {topic_l} news: {url}",
    "Never miss a story — turn on push notifications in the {outlet} app.",
    "Get the best of {outlet} on your phone. Download now",
    "Listen to this article in the {outlet} app",
    "Try the app — it's free",
    "Get it on Google Play",
    "Download on the App Store",
    "Install {outlet} for a faster experience",
    "Better experience in the app: Open",
    "Get the {outlet} app for live scores, news and alerts {emoji}",
    "Our app is rated 4.{digit} stars by {bignum} readers. Download it today.",
    "Read offline in the app",
    "📲 Download the app: {short_url}",
    "Switch to the app for a faster, ad-light experience",
)
_PAYWALL = (
    "Subscribe to continue reading",
    "You have {n} free articles left this month",
    "You have {n} free articles remaining",
    "This article is for subscribers only",
    "Already a subscriber? Log in",
    "Already have an account? Sign in",
    "Unlock unlimited access for just {price}/month",
    "Get {n} months for {price}",
    "Support independent journalism. Subscribe today.",
    "You've reached your limit of free articles.",
    "Register for free to continue reading",
    "Become a member",
    "Cancel anytime.",
    "Subscriber exclusive",
    "Premium",
    "This content is available to subscribers only. Subscribe now for {price} a week.",
    "Try {n} weeks for {price}",
    "Continue reading with a free trial",
    "Subscribe now and save {pct}",
    "Want to read more? Create a free account.",
    "Your support helps us keep {outlet} independent. Contribute from as little as {price}.",
    "To continue reading this story, log in or subscribe.",
    "Limited time offer: {pct} off your first year",
    "Exclusive to {outlet}+ members",
    "Sign in to read the full article",
    "This is your last free article.",
    "Unlimited digital access from {price} per month. Cancel anytime.",
    "Subscribe for {price} — less than a coffee a week ☕",
    "Only subscribers can read the rest of this article.",
    "Create an account or log in to keep reading",
    "Get full access to {outlet} for {price}",
)
_TEMPLATE = (
    "{{ article.headline }}",
    "{{ author.name }} | {{ published_at | date }}",
    "{% if user.is_subscriber %}",
    "{% endif %}",
    "{% include 'partials/related.html' %}",
    "{{#if isLoggedIn}}{{/if}}",
    "{{ #errors }} {{ message }} {{ /errors }}",
    "{{^user}} Please log in {{/user}}",
    '<div class="{cls}" id="ad-{n}"></div>',
    '<div class="{cls}">',
    "</div>",
    '<script async src="https://{domain}/js/widget.js"></script>',
    "<!-- {cls} -->",
    "<!-- wp:paragraph -->",
    "<!-- /wp:paragraph -->",
    '[caption id="attachment_{num}" align="aligncenter" width="{width}"]',
    "[/caption]",
    "[embed]{url}[/embed]",
    "[related_posts]",
    '[ad_slot id="{n}"]',
    "googletag.cmd.push(function() { googletag.display('div-gpt-ad-{num}-0'); });",
    "(adsbygoogle = window.adsbygoogle || []).push({});",
    "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}",
    "document.getElementById('{cls}').style.display = 'none';",
    "${article_title}",
    "%%AUTHOR_NAME%%",
    "[[ARTICLE_BODY]]",
    "undefined",
    "null",
    "NaN",
    "[object Object]",
    "Loading...",
    "Loading comments...",
    "Error: failed to load widget",
    "JavaScript is disabled in your browser. Please enable JavaScript to continue.",
    "<p>&nbsp;</p>",
    "&nbsp;",
    "<br />",
    '<img src="https://cdn.{domain}/images/{hex}.jpg" alt="" />',
    '{"@context":"https://schema.org","@type":"NewsArticle"}',
    '<iframe src="https://www.youtube.com/embed/{alnum}" width="{width}" height="315"></iframe>',
    '<span class="{cls}"></span>',
    "@media (max-width: 768px) { .ad-slot { display: none; } }",
    "if (typeof window !== 'undefined') { initPaywall(); }",
    "var ad_slot_{n} = 'top-banner';",
    "{{ post.excerpt | truncate: 140 }}",
    "<% if (showAd) { %> <% } %>",
    '__NEXT_DATA__ = {"props":{"pageProps":{}}}',
)
_SEO = (
    "#breaking #news #{tagword} #{tagword2} #{tagword3}",
    "{topic_l} news, {topic_l} latest news, {topic_l} today, {topic_l} live updates, {topic_l} {year}",
    "Keywords: {topic_l}, {topic_l2}, latest news, breaking news, {city} news",
    "best {product} {year}, cheap {product}, buy {product} online, {product} deals, {product} review",
    "trending news today latest news breaking news headlines world news",
    "{city} news today | {city} latest news | {city} breaking news",
    "#{tagword} #{tagword2} #{tagword3} #viral #trending #fyp",
    "news today, today news, latest news, news headlines, breaking news today",
    "Search terms: {topics}",
    "People also search for: {topic_l} news, {topic_l} update, {topic_l} latest",
    "{headline} | {topic} News | {outlet}",
    "Trending: #{tagword} #{tagword2} #{tagword3}",
    "latest {topic_l} news {city} {year} update live today",
    "{topic_l} {topic_l2} {city} {country} news {year} latest breaking update today headlines",
    "#{tagword} #{tagword2}",
    "{headline} - {outlet} - {topic} - {city} - {year}",
    "{topic} news {year} | {topic} latest | {topic} today | {topic} live",
    "how to {skill} free {skill} course {skill} tutorial {skill} {year}",
    "{emoji} #{tagword} #{tagword2} #{tagword3} #{tagword4} #{tagword5}",
    "news, breaking news, {topic_l}, {topic_l2}, {topic_l3}, {city}, {country}, today",
)


def _block(header_patterns: Sequence[str], item: Callable[[random.Random], str]) -> JunkGenerator:
    """A generator of a block: a header line and a few item lines, joined by newlines."""

    def make(rng: random.Random) -> str:
        bullet = rng.choice(("", "", "• ", "- ", "» ", "→ ", "#"))
        suffix = rng.choice(("", "", "", " ({n} hours ago)", " – {mins} min read", " | {section}"))
        lines = [render_junk(rng.choice(header_patterns), rng)] if rng.random() < 0.85 else []
        for i in range(rng.randint(2, 5)):
            prefix = f"{i + 1}. " if bullet == "#" else bullet
            lines.append(prefix + item(rng) + render_junk(suffix, rng))
        return "\n".join(lines)

    make.__name__ = f"block_{getattr(item, '__name__', 'item')}"
    return make


def _nav_menu(rng: random.Random) -> str:
    """A menu: section names one to a line, sometimes with Home, Search or Sign in around them."""
    items = rng.sample(_SECTIONS, rng.randint(4, 9))
    if rng.random() < 0.5:
        items.insert(0, "Home")
    if rng.random() < 0.3:
        items.append(rng.choice(("Search", "Sign in", "Subscribe", "More", "Newsletters")))
    if rng.random() < 0.2:
        items = [item.upper() for item in items]
    return "\n".join(items)


def _share_bar(rng: random.Random) -> str:
    networks = ["Facebook", "X", "Twitter", "LinkedIn", "WhatsApp", "Email", "Reddit", "Telegram"]
    networks += ["Pinterest", "Print", "Copy Link", "Messenger", "Flipboard", "Threads"]
    items = rng.sample(networks, rng.randint(3, 6))
    if rng.random() < 0.5:
        items.insert(0, rng.choice(("Share", "Share this:", "SHARE", "Share article")))
    return "\n".join(items)


def _comment_block(rng: random.Random) -> str:
    lines = [render_junk(rng.choice(_COMMENTS), rng) for _ in range(rng.randint(2, 4))]
    return "\n".join(dict.fromkeys(lines))


def _templates(patterns: Iterable[str]) -> list[JunkGenerator]:
    return [_Template(p) for p in patterns]


JUNK_KINDS: dict[str, list[JunkGenerator]] = {
    "newsletter": _templates(_NEWSLETTER),
    "cookie": _templates(_COOKIE),
    "share": [*_templates(_SHARE), _share_bar],
    "social": _templates(_SOCIAL),
    "caption": _templates(_CAPTION),
    "related": [*_templates(_RELATED_SINGLE), *[_block(_RELATED_HEADERS, _headline)] * 6],
    "navigation": [*_templates(_NAVIGATION), *[_nav_menu] * 4],
    "ad": _templates(_AD),
    "source": _templates(_SOURCE),
    "copyright": _templates(_COPYRIGHT),
    "promo": _templates(_PROMO),
    "byline": _templates(_BYLINE),
    "tags": _templates(_TAGS),
    "comments": [*_templates(_COMMENTS), *[_comment_block] * 3],
    "app": _templates(_APP),
    "paywall": _templates(_PAYWALL),
    "template": _templates(_TEMPLATE),
    "seo": _templates(_SEO),
}
"""Junk kind -> generators. A generator takes a ``random.Random`` and returns one junk line, or for
blocks (related links, menus, share bars, comment furniture) several lines joined by ``\\n``."""

# Where each kind tends to go, as relative weights; kinds not listed get a small weight.
_POSITION_WEIGHTS: dict[str, dict[str, float]] = {
    "top": {
        "navigation": 4,
        "cookie": 2.5,
        "newsletter": 1.5,
        "byline": 2.5,
        "ad": 1,
        "social": 0.6,
        "app": 1,
        "paywall": 0.5,
        "template": 0.6,
        "share": 1.2,
        "seo": 0.3,
        "caption": 0.8,
    },
    "middle": {
        "caption": 3,
        "ad": 3,
        "related": 2.5,
        "newsletter": 1,
        "social": 1,
        "promo": 1.5,
        "app": 0.6,
        "paywall": 0.8,
        "template": 0.8,
        "share": 0.5,
        "seo": 0.3,
    },
    "bottom": {
        "source": 3.5,
        "copyright": 2,
        "related": 2,
        "tags": 2,
        "comments": 1.5,
        "share": 1.5,
        "promo": 1.8,
        "social": 1.2,
        "seo": 1,
        "newsletter": 1,
        "paywall": 0.6,
        "app": 0.6,
        "template": 0.5,
        "ad": 1,
        "byline": 0.6,
    },
}
_DEFAULT_WEIGHT = 0.15

# --------------------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _split(text: str) -> tuple[list[str], str]:
    stripped = text.strip()
    if not stripped:
        return [], "\n\n"
    if "\n" in stripped and not _BLANK_LINE.search(stripped):
        return [line.strip() for line in stripped.split("\n") if line.strip()], "\n"
    return [p.strip() for p in _BLANK_LINE.split(stripped) if p.strip()], "\n\n"


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``: blocks between blank lines, or its lines when it has no blank lines."""
    return _split(text)[0]


# --------------------------------------------------------------------------------------------------
# Junk insertion
# --------------------------------------------------------------------------------------------------


def _count(rng: random.Random, expected: float) -> int:
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def _draw(rng: random.Random, position: str, kinds: Sequence[str]) -> tuple[list[str], str]:
    weights = _POSITION_WEIGHTS[position]
    kind = rng.choices(kinds, weights=[weights.get(k, _DEFAULT_WEIGHT) for k in kinds])[0]
    raw = rng.choice(JUNK_KINDS[kind])(rng)
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    return [line for line in lines if line], kind


def _pool(kinds: Iterable[str] | None) -> list[str]:
    pool = list(JUNK_KINDS) if kinds is None else list(dict.fromkeys(kinds))
    unknown = [k for k in pool if k not in JUNK_KINDS]
    if unknown or not pool:
        raise ValueError(f"unknown or no junk kinds: {unknown or pool}")
    return pool


def wrap_in_junk(
    text: str, rng: random.Random, *, density: float = 0.3, kinds: Iterable[str] | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """Insert junk lines into ``text`` as paragraphs of their own; return the text and ``(line, kind)`` added.

    The article's paragraphs (see :func:`split_paragraphs`) stay unchanged and in order. Each junk line
    becomes a paragraph, separated like the input's (blank lines, or single newlines for a text whose
    paragraphs are its lines). Junk goes at the top (navigation, cookie and sign-up prompts, bylines),
    between paragraphs (captions, ads, related links, promotions) and at the bottom (source footers,
    copyright, tags, comments, share bars, spam). ``density`` is the expected number of junk items per
    gap between paragraphs; the top gets ``3 * density`` and the bottom ``4 * density`` on average,
    and at least one item is added when ``density > 0``. An item can be a block of several lines (a
    related-links list, a menu). ``kinds`` limits the kinds drawn (default: all of :data:`JUNK_KINDS`).
    The returned list is in the order the lines appear in the text.
    """
    if density < 0:
        raise ValueError(f"density must be >= 0, got {density}")
    pool = _pool(kinds)
    if density == 0:
        return text, []
    paragraphs, sep = _split(text)

    top_n = _count(rng, 3 * density)
    gap_n = [_count(rng, density) for _ in range(max(len(paragraphs) - 1, 0))]
    bottom_n = _count(rng, 4 * density)
    if top_n + sum(gap_n) + bottom_n == 0:
        bottom_n = 1

    out: list[str] = []
    added: list[tuple[str, str]] = []

    def put(position: str, items: int) -> None:
        for _ in range(items):
            lines, kind = _draw(rng, position, pool)
            out.extend(lines)
            added.extend((line, kind) for line in lines)

    put("top", top_n)
    for i, paragraph in enumerate(paragraphs):
        out.append(paragraph)
        if i < len(gap_n):
            put("middle", gap_n[i])
    put("bottom", bottom_n)
    return sep.join(out), added


@dataclass(slots=True, frozen=True)
class Site:
    """A site's own junk: the items every page of the site carries above and below the article."""

    top: tuple[tuple[tuple[str, ...], str], ...]  # (lines of one item, kind)
    bottom: tuple[tuple[tuple[str, ...], str], ...]


def make_site(rng: random.Random, *, density: float = 0.3, kinds: Iterable[str] | None = None) -> Site:
    """A site's fixed junk, drawn like :func:`wrap_in_junk`'s top and bottom (at least one item each)."""
    pool = _pool(kinds)

    def items(position: str, expected: float) -> tuple[tuple[tuple[str, ...], str], ...]:
        drawn = (_draw(rng, position, pool) for _ in range(max(1, _count(rng, expected))))
        return tuple((tuple(lines), kind) for lines, kind in drawn)

    return Site(items("top", 3 * density), items("bottom", 4 * density))


def wrap_in_site_junk(
    text: str,
    site: Site,
    rng: random.Random,
    *,
    density: float = 0.15,
    kinds: Iterable[str] | None = None,
) -> tuple[str, list[tuple[str, str]]]:
    """A page of ``site``: the site's fixed junk above and below ``text``, and fresh junk in it.

    The fresh junk is :func:`wrap_in_junk` at ``density``: the related links, captions and adverts that
    differ from page to page. Returns the text and ``(line, kind)`` added, in text order.
    """
    body, added = wrap_in_junk(text, rng, density=density, kinds=kinds)
    sep = _split(text)[1]
    top = [(line, kind) for lines, kind in site.top for line in lines]
    bottom = [(line, kind) for lines, kind in site.bottom for line in lines]
    page = sep.join([*(line for line, _ in top), body, *(line for line, _ in bottom)])
    return page, [*top, *added, *bottom]


# --------------------------------------------------------------------------------------------------
# Labelled copies
# --------------------------------------------------------------------------------------------------

# The copies that hold (nearly) all of their original; a teaser holds its first paragraphs alone.
NEAR_COPY_KINDS = ("exact", "whitespace", "dropped-paragraph", "junk-wrapped", "trimmed", "syndicated")
COPY_KINDS = (*NEAR_COPY_KINDS, "teaser")
_NEEDS_TWO_PARAGRAPHS = frozenset({"dropped-paragraph", "trimmed"})
_NEEDS_THREE_PARAGRAPHS = frozenset({"teaser"})
TEASER_MIN_WORDS = 40


@dataclass(slots=True)
class LabelledCopy:
    """One article of the evaluation stream: an original (``original_id`` None, kind ``"original"``) or a copy
    of the article ``original_id`` made in the way ``kind`` (one of :data:`COPY_KINDS`)."""

    article: Article
    original_id: str | None
    kind: str


_STRAIGHT = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


def _curly(text: str) -> str:
    text = re.sub(r'(^|[\s(\[{—–-])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[{—–-])'", "\\1‘", text)
    return text.replace("'", "’")


def _whitespace_variant(text: str, rng: random.Random) -> str:
    """Same words, other whitespace and quote marks: curly<->straight, double spaces, hard line wraps."""
    paragraphs, sep = _split(text)
    if any(q in text for q in "“”‘’„"):
        paragraphs = [p.translate(_STRAIGHT) for p in paragraphs]
    elif any(q in text for q in "\"'") and rng.random() < 0.8:
        paragraphs = [_curly(p) for p in paragraphs]
    if sep == "\n\n" and rng.random() < 0.6:
        width = rng.randint(60, 80)
        paragraphs = [
            textwrap.fill(p, width=width, break_long_words=False, break_on_hyphens=False) for p in paragraphs
        ]
    double = rng.uniform(0.05, 0.3)
    spaced = []
    for p in paragraphs:
        lines = []
        for line in p.split("\n"):
            words = line.split(" ")
            line = "".join(
                w + (("  " if rng.random() < double else " ") if i < len(words) - 1 else "")
                for i, w in enumerate(words)
            )
            if rng.random() < 0.1:
                line += " "
            lines.append(line)
        spaced.append("\n".join(lines))
    joiner = sep if sep == "\n" else rng.choice(("\n\n", "\n\n", "\n\n\n", "\n \n"))
    result = joiner.join(spaced)
    if result == text:
        result = result.replace(" ", "  ", 1) if " " in result else result + "\n"
    return result


_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]{1,30}(?:,\s*[^()\n]{1,40}?)?\s*\([A-Za-z .&-]{1,30}\)\s*[-—–]+\s*"
    r"|[A-Z][A-Z.'’ -]{2,30}\s+[—–-]{1,2}\s+)"
)
# fmt: off
_DATELINE_CITIES = (
    "LONDON", "WASHINGTON", "NEW YORK", "PARIS", "BERLIN", "BRUSSELS", "TOKYO", "BEIJING", "NEW DELHI",
    "NAIROBI", "JOHANNESBURG", "SYDNEY", "TORONTO", "MEXICO CITY", "SAO PAULO", "MADRID", "ROME", "GENEVA",
    "KYIV", "ISTANBUL", "CAIRO", "SEOUL", "SINGAPORE", "FRANKFURT", "LOS ANGELES", "CHICAGO",
)
# fmt: on
_WIRE_SERVICES = (
    ("Reuters", "Reuters"),
    ("AP", "The Associated Press"),
    ("AFP", "AFP"),
    ("dpa", "dpa"),
    ("PA", "PA Media"),
    ("Bloomberg", "Bloomberg"),
    ("Kyodo", "Kyodo News"),
    ("AAP", "AAP"),
)
_WIRE_BYLINES = (
    "By {name}",
    "By {name}, {wire}",
    "By {name} and {name2} | {wire}",
    "{name}, {wire}",
    "BY {name_upper}",
    "By {name} | {wire} | {date}",
)
_WIRE_TAILS = (
    "Reporting by {name}; Editing by {name2}",
    "(Reporting by {name} in {city}; Additional reporting by {name2}; Editing by {name3})",
    "Reporting by {name} and {name2}; Writing by {name3}; Editing by {name4}",
    "{wire} writer {name} in {city} contributed to this report.",
    "{name} contributed reporting from {city}.",
    "— With files from {wire}",
    "Additional reporting by {wire}",
    "(Writing by {name}; Editing by {name2})",
    "Distributed by {wire}",
    "© {year} {wire}",
)


def _dateline(rng: random.Random, wire: str) -> str:
    city = rng.choice(_DATELINE_CITIES)
    dash = rng.choice(("-", "—", "–"))
    style = rng.randrange(4)
    if style == 0:
        return f"{city} ({wire}) {dash} "
    if style == 1:
        day = _random_date(rng)
        return f"{city}, {_MONTHS[day.month - 1][:3]} {day.day} ({wire}) {dash} "
    if style == 2:
        return f"{city}, {rng.choice(_COUNTRIES).replace('the ', '')} ({wire}) {dash} "
    return f"{city} {dash} "


def _syndicated_variant(text: str, rng: random.Random) -> str:
    """Wire copy: a (different) dateline on the first paragraph, maybe a byline above, a credit tail below."""
    paragraphs, sep = _split(text)
    short, long = rng.choice(_WIRE_SERVICES)
    dateline, byline, tail = rng.random() < 0.75, rng.random() < 0.4, rng.random() < 0.7
    first = paragraphs[0]
    existing = _DATELINE.match(first)
    if existing or not (byline or tail):
        dateline = True
    if dateline:
        body = first[existing.end() :] if existing else first
        new = _dateline(rng, short)
        while existing and new == existing.group(0):
            new = _dateline(rng, short)
        paragraphs[0] = new + body
    if byline:
        paragraphs.insert(0, render_junk(rng.choice(_WIRE_BYLINES).replace("{wire}", long), rng))
    if tail:
        paragraphs.append(render_junk(rng.choice(_WIRE_TAILS).replace("{wire}", long), rng))
    return sep.join(paragraphs)


def _new_outlet(rng: random.Random, avoid: set[str | None]) -> str:
    outlet = _outlet(rng)
    while outlet in avoid:
        outlet = _outlet(rng)
    return outlet


def _outlet_domain(outlet: str, rng: random.Random) -> str:
    """A web address for a named outlet: ``The Riverside Post`` -> ``www.riversidepost.com``."""
    lowered = re.sub(r"^the ", "", outlet.lower())
    tld = re.search(r"(\.[a-z]{2,7})+$", lowered)
    host = re.sub(r"[^a-z0-9]+", "", lowered[: tld.start()] if tld else lowered) or "news"
    return f"www.{host}{tld.group(0) if tld else rng.choice(_TLDS)}"


def _fresh(article: Article) -> Article:
    return replace(
        article, metadata=dict(article.metadata), clean_text="", removed=[], duplicate_of=None, story_id=None
    )


def _transform(kind: str, text: str, rng: random.Random) -> str:
    if kind == "exact":
        return text
    if kind == "whitespace":
        return _whitespace_variant(text, rng)
    paragraphs, sep = _split(text)
    if kind == "dropped-paragraph":
        del paragraphs[rng.randrange(len(paragraphs))]
        return sep.join(paragraphs)
    if kind == "junk-wrapped":
        return wrap_in_junk(text, rng, density=rng.uniform(0.15, 0.6))[0]
    if kind == "trimmed":
        del paragraphs[0 if rng.random() < 0.5 else -1]
        return wrap_in_junk(sep.join(paragraphs), rng, density=rng.uniform(0.15, 0.5))[0]
    if kind == "syndicated":
        return _syndicated_variant(text, rng)
    if kind == "teaser":
        return _teaser(paragraphs, sep, rng)
    raise ValueError(f"unknown copy kind: {kind}")


def _teaser(paragraphs: list[str], sep: str, rng: random.Random) -> str:
    """An aggregator's teaser: the first paragraphs, about 15-40% of the words (at least 40 words, as a
    teaser gives the reader something, and never all paragraphs), a link back to the source under them,
    and some junk around."""
    words = [len(p.split()) for p in paragraphs]
    budget = max(rng.uniform(0.15, 0.4) * sum(words), TEASER_MIN_WORDS)
    keep = 1
    while keep < len(paragraphs) - 1 and (
        sum(words[:keep]) < TEASER_MIN_WORDS or sum(words[: keep + 1]) <= budget
    ):
        keep += 1
    text = sep.join([*paragraphs[:keep], render_junk(rng.choice(_SOURCE), rng)])
    return wrap_in_junk(text, rng, density=rng.uniform(0.1, 0.3))[0]


def make_copies(
    articles: Sequence[Article],
    rng_seed: int = 0,
    copies_per_article: int = 1,
    kinds: Sequence[str] = COPY_KINDS,
) -> list[LabelledCopy]:
    """The articles (``original_id`` None, kind ``"original"``), each followed by its copies.

    Copy kinds (``kinds``, default :data:`COPY_KINDS`) are dealt from a shuffled deck so they come out
    balanced, and an article gets distinct kinds while it can: ``"exact"`` same text; ``"whitespace"``
    quote marks swapped straight<->curly, double spaces, hard line wraps; ``"dropped-paragraph"`` one
    paragraph removed; ``"junk-wrapped"`` :func:`wrap_in_junk`; ``"trimmed"`` first or last paragraph cut,
    then junk; ``"syndicated"`` wire copy with a new or replaced dateline, maybe a byline, and a credit
    tail; ``"teaser"`` the first paragraphs (15-40% of the words, at least 40), a link back to the source and some
    junk. The two paragraph-cutting kinds are only used on articles with two paragraphs or more, the
    teaser on articles with three or more; articles with no text get no copies. Copies have ids ``copy-<n>``, another outlet as ``source`` and a URL there,
    the original's title, and, when the original has a date, a ``published`` 30 minutes to 8 hours
    later. Originals are returned as fresh copies (derived fields cleared); the inputs are not changed.
    Deterministic for a given ``rng_seed`` and input.
    """
    if copies_per_article < 0:
        raise ValueError(f"copies_per_article must be >= 0, got {copies_per_article}")
    rng = random.Random(rng_seed)
    taken_ids = {a.id for a in articles}
    deck: list[str] = []
    next_number = 0
    result: list[LabelledCopy] = []
    for original in articles:
        result.append(LabelledCopy(_fresh(original), None, "original"))
        paragraphs = split_paragraphs(original.text)
        if not paragraphs:
            continue
        allowed = [
            k
            for k in kinds
            if (len(paragraphs) > 1 or k not in _NEEDS_TWO_PARAGRAPHS)
            and (len(paragraphs) > 2 or k not in _NEEDS_THREE_PARAGRAPHS)
        ]
        used_kinds: list[str] = []
        outlets: set[str | None] = {original.source}
        for _ in range(copies_per_article):
            if not deck:
                deck = list(kinds)
                rng.shuffle(deck)
            fits = [k for k in deck if k in allowed]
            fresh = [k for k in fits if k not in used_kinds]
            if fresh or fits:
                kind = (fresh or fits)[0]
                deck.remove(kind)
            else:
                kind = rng.choice(allowed)
            used_kinds.append(kind)
            next_number += 1
            while f"copy-{next_number}" in taken_ids:
                next_number += 1
            outlet = _new_outlet(rng, outlets)
            outlets.add(outlet)
            slug = _slug(original.title or original.text)
            published = None
            if original.published is not None:
                published = original.published + timedelta(minutes=rng.randint(30, 8 * 60))
            copy = Article(
                id=f"copy-{next_number}",
                text=_transform(kind, original.text, rng),
                source=outlet,
                url=f"https://{_outlet_domain(outlet, rng)}/{slug}-{rng.randint(100, 99999)}",
                title=original.title,
                published=published,
                origin=f"synth:{kind}",
            )
            result.append(LabelledCopy(copy, original.id, kind))
    return result
