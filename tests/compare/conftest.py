"""The two seed reports of the Chris Kaba story, as the comparison stages see them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

# Lines of the seed files that are not reporting, removed by hand: the newsletter prompt and template residue
# at the top of 000, its two photo captions, and the "Source link" line and crypto advert at the end of 002.
JUNK = {
    "000_3bbf104ab086ed80": (
        "For free real time breaking news alerts",
        "Breaking News email {{",
        "Chris Kaba is remembered by his family",
        "Chris Kaba was shot and killed in south London in 2022 (INQUEST/PA)",
    ),
    "002_80ae66bd9b1465fe": ("Source link", "Join the exciting world of cryptocurrency"),
}


@pytest.fixture
def story(seed_text: Callable[[str], str]) -> list[tuple[str, str]]:
    """The two seed reports as ``(article_id, clean_text)`` ("000", "002"), junk lines removed."""
    out = []
    for stem, junk in JUNK.items():
        lines = seed_text(stem).split("\n")
        kept = [line for line in lines if not line.startswith(junk)]
        assert len(lines) - len(kept) == len(junk)
        out.append((stem[:3], "\n".join(kept).strip()))
    return out
