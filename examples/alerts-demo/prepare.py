"""Copy the demo's feeds and pages into a folder to serve, re-dated to now and linked to the chosen port.

The feeds are dated on the morning of 22 November 2026. A story is breaking only while its reports are
recent, so the copies are shifted in time: the latest dam report becomes a few minutes old, and the other
reports keep their distance from it.

    python prepare.py --out SITE_DIR --port 8765 [--minutes-ago 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The pubDate of the latest dam report in the feeds (Valley Radio's copy).
LATEST = datetime(2026, 11, 22, 6, 50, tzinfo=UTC)
PUBDATE = re.compile(r"<pubDate>([^<]+)</pubDate>")


def prepare(out: Path, port: int, minutes_ago: float = 5, now: datetime | None = None) -> Path:
    shift = (now or datetime.now(UTC)) - timedelta(minutes=minutes_ago) - LATEST
    if (out / "pages").exists():
        shutil.rmtree(out / "pages")
    shutil.copytree(HERE / "pages", out / "pages")
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    for feed in sorted((HERE / "feeds").glob("*.xml")):
        text = feed.read_text(encoding="utf-8").replace("127.0.0.1:8765", f"127.0.0.1:{port}")
        text = PUBDATE.sub(
            lambda m: f"<pubDate>{format_datetime(parsedate_to_datetime(m.group(1)) + shift)}</pubDate>", text
        )
        (out / "feeds" / feed.name).write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the site into")
    parser.add_argument("--port", type=int, default=8765, help="port the site will be served on")
    parser.add_argument("--minutes-ago", type=float, default=5, help="age of the latest dam report")
    args = parser.parse_args()
    prepare(args.out, args.port, args.minutes_ago)


if __name__ == "__main__":
    main()
