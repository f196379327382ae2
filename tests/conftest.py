"""Shared fixtures: the seed articles, a few hand-written reports of distinct events, and small stores.

The reports are written for these tests (not taken from any dataset): four unrelated events, plus a second
outlet's own report of the bridge vote, so tests can tell copies, same-event reports and other events apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsfold.article import Article
from newsfold.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "examples" / "seeds"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SEED_000 = "000_3bbf104ab086ed80"
SEED_002 = "002_80ae66bd9b1465fe"

#: When the hand-written reports were "published"; each report is an hour after the previous one.
T0 = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)

REPORTS: dict[str, list[str]] = {
    "bridge": [
        "Riverside council voted on Tuesday to approve a £42m road bridge across the River Avon, ending three "
        "years of debate over how to ease traffic in the town centre.",
        "Councillors backed the plan by 31 votes to 12 after a four-hour meeting at the town hall, where dozens "
        "of residents queued to speak for and against the scheme.",
        "Council leader Margaret Ellison said the bridge would cut journey times for thousands of commuters and "
        "take heavy lorries away from the historic market square.",
        "“This is the biggest investment in the town’s roads for a generation, and it will be built on time and "
        "on budget,” she told the meeting.",
        "Opponents, led by the Avon Meadows Preservation Society, argued that the crossing would destroy water "
        "meadows that flood every winter and are home to rare birds.",
        "The society’s chair, Peter Hollins, said the group would consider a legal challenge and accused the "
        "council of ignoring more than 4,000 written objections.",
        "Construction is expected to begin next spring and take about two years, with the Department for "
        "Transport paying roughly two thirds of the cost.",
        "A public inquiry in 2022 found that the bridge was the least damaging of five options, though it "
        "recommended extra flood defences along the eastern bank.",
    ],
    "strike": [
        "Nurses at St Aldhelm's Hospital in Carlisford walked out on Monday morning in the first strike at the "
        "hospital in its 90-year history, in a dispute over staffing levels.",
        "About 600 members of the Royal College of Nursing formed picket lines outside the main entrance from "
        "7am, while managers cancelled 140 planned operations.",
        "The union says wards are routinely left with one nurse for every twelve patients at night, and that "
        "the trust has failed to fill 230 vacant posts.",
        "Ward sister Angela Okafor said staff had not taken the decision lightly. “We are striking because we "
        "are frightened for our patients,” she said.",
        "The hospital trust's chief executive, Dr Simon Whitlow, said emergency care and cancer treatment would "
        "continue as normal during the 48-hour stoppage.",
        "He said the trust had recruited 85 nurses from overseas since January and that staffing would improve "
        "by the autumn, but accepted the wards were under strain.",
        "Talks between the two sides broke down last Thursday after the union rejected an offer of a one-off "
        "payment of £750 for each nurse.",
    ],
    "ferry": [
        "A passenger ferry carrying 212 people ran aground off the island of Kellsay during a storm on Saturday "
        "night, the coastguard said.",
        "Lifeboat crews from Portnahaven and Oban spent more than six hours taking passengers off the MV Morven "
        "Star in winds gusting at up to 70 knots.",
        "Eleven people were taken to hospital with minor injuries and one crew member was treated for "
        "hypothermia, according to the Scottish Ambulance Service.",
        "The vessel's operator, Hebridean Link, said the ship had lost power in one engine shortly before it "
        "drifted onto rocks near the harbour entrance.",
        "Captain Ruaridh MacLeod of the coastguard said the rescue had been carried out in some of the worst "
        "conditions his teams had seen in years.",
        "The Marine Accident Investigation Branch has sent inspectors to the island and the ferry route to the "
        "mainland has been suspended until further notice.",
    ],
    "fire": [
        "More than 3,000 residents of the Greek town of Lefkochori were ordered to leave their homes on "
        "Wednesday as a wildfire driven by strong winds swept down from the hills.",
        "Firefighters backed by nine water-dropping aircraft battled the flames through the afternoon, while "
        "police closed the coastal highway to all traffic.",
        "The civil protection minister, Eleni Vlachou, said the fire had burned about 1,800 hectares of pine "
        "forest and farmland since it broke out on Tuesday night.",
        "Hotels along the nearby beaches were evacuated as a precaution, and tourists were taken to the port of "
        "Kymi by coach and coastguard boats.",
        "Temperatures in the region have exceeded 40C for more than a week, and meteorologists warned that the "
        "risk of further fires would stay very high until the weekend.",
    ],
    # Another outlet's own report of the bridge vote: same event, same facts and names, different wording.
    "bridge-other": [
        "Plans for a new road crossing over the River Avon in Riverside have been given the green light after "
        "a marathon council meeting on Tuesday night.",
        "The £42m bridge was approved by 31 votes to 12, despite fierce opposition from campaigners who say it "
        "will wreck an area of protected water meadows.",
        "Supporters say the crossing will finally relieve the congestion that has choked the town centre for "
        "decades and stop lorries rumbling past the market square.",
        "Margaret Ellison, who leads the council, told councillors it was “the biggest investment in the town’s "
        "roads for a generation”.",
        "But Peter Hollins, who chairs the Avon Meadows Preservation Society, said campaigners had been treated "
        "with contempt and were now taking legal advice.",
        "Work on the bridge is due to start next spring, with most of the money coming from central government.",
    ],
}
OUTLETS = {
    "bridge": "Avon Echo",
    "strike": "Cumbria News",
    "ferry": "Island Times",
    "fire": "Athens Daily",
    "bridge-other": "Western Post",
}

#: Generic page furniture and injected spam, written for these tests; each line with the reason it deserves.
JUNK = {
    "newsletter": "Sign up to our daily newsletter to get the top stories sent straight to your inbox.",
    "share": "Share on Facebook Share on Twitter",
    "advertisement": "Advertisement",
    "source-footer": "The post Council approves new bridge over the Avon appeared first on Riverside Gazette.",
    "promo-spam": "Don't let your ISP spy on you. Download SafeTunnel VPN now and get 3 months free with code "
    "NEWS at https://safetunnel.example",
}


@pytest.fixture
def no_db_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``$NEWSFOLD_DB`` from the developer's shell leaks into a test."""
    monkeypatch.delenv("NEWSFOLD_DB", raising=False)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture
def seed_text() -> Callable[[str], str]:
    """The raw text of a seed by its stem."""

    def read(stem: str) -> str:
        return (SEEDS_DIR / f"{stem}.txt").read_text(encoding="utf-8")

    return read


@pytest.fixture
def golden() -> Callable[[str], dict[str, Any]]:
    """The golden cleaning result of a seed by its stem."""

    def load(stem: str) -> dict[str, Any]:
        return json.loads((GOLDEN_DIR / f"clean_{stem}.json").read_text(encoding="utf-8"))

    return load


@pytest.fixture
def reports() -> dict[str, list[str]]:
    """Paragraphs of the hand-written reports, by name (a fresh copy per test)."""
    return {name: list(paragraphs) for name, paragraphs in REPORTS.items()}


@pytest.fixture
def junk() -> dict[str, str]:
    return dict(JUNK)


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """Build a fresh :class:`Article` from a report name (or explicit paragraphs)."""
    order = list(REPORTS)

    def make(
        name: str,
        *,
        article_id: str | None = None,
        paragraphs: list[str] | None = None,
        source: str | None = None,
        published: datetime | None = None,
        title: str | None = None,
    ) -> Article:
        body = paragraphs if paragraphs is not None else REPORTS[name]
        when = published if published is not None else T0 + timedelta(hours=order.index(name))
        return Article(
            id=article_id or name,
            text="\n\n".join(body),
            source=source if source is not None else OUTLETS.get(name),
            title=title,
            published=when,
            origin=f"test:{article_id or name}",
        )

    return make


@pytest.fixture
def db_path(tmp_path: Path, no_db_env: None) -> Path:
    return tmp_path / "news.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh SQLite store in a temporary folder (WAL, like production)."""
    with open_store(db_path) as opened:
        yield opened


@pytest.fixture
def memory_store(no_db_env: None) -> Iterator[Store]:
    """A fresh in-memory SQLite store, for tests that never reopen it."""
    with open_store("sqlite://") as opened:
        yield opened


# --- PostgreSQL --------------------------------------------------------------------------------------------
PG_URL_VAR = "NEWSFOLD_TEST_PG_URL"
HOW_TO_START = 'run `eval "$(./scripts/ci-services)"` as root to start one'


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The URL of the test PostgreSQL server; skips every PostgreSQL test, saying why, when there is none."""
    import os

    import sqlalchemy as sa

    from newsfold.store import engine_url, shown_url

    url = os.environ.get(PG_URL_VAR)
    if not url:
        pytest.skip(f"{PG_URL_VAR} is not set, so there is no PostgreSQL to test against; {HOW_TO_START}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("the psycopg driver is not installed: pip install -e '.[postgres]'")
    engine = sa.create_engine(engine_url(url), connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        pytest.skip(f"the PostgreSQL at {shown_url(url)} ({PG_URL_VAR}) cannot be reached: {reason}")
    finally:
        engine.dispose()
    return url
