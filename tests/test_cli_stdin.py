"""``-`` reads stdin in ``newsfold clean`` and ``newsfold ingest`` exactly as a file without extension is read
(format from the content, non-UTF-8 refused), and names it ``<stdin>``."""

from __future__ import annotations

import json

import pytest
from test_cli import flat, run

from newsfold.store import open_store

pytestmark = pytest.mark.usefixtures("no_db_env")


def page_html(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{title}</title></head>\n<body><nav>Home | News "
        f"| Sport</nav><article><h1>{title}</h1>{body}</article><footer>Copyright 2024 Example</footer></body></html>"
    )


def test_clean_reads_stdin_as_it_reads_a_file(tmp_path, reports):
    page = tmp_path / "page.html"
    page.write_text(page_html("Wildfire forces evacuation", reports["fire"]), encoding="utf-8")
    by_path = run("clean", "--explain", str(page))
    assert by_path.exit_code == 0
    assert all(f"{paragraph}\n" in by_path.stdout for paragraph in reports["fire"])
    piped = run("clean", "--explain", "-", input=page.read_bytes())
    assert piped.exit_code == 0
    assert piped.stdout == by_path.stdout  # every paragraph kept, no markup
    assert "<" not in piped.stdout + piped.stderr
    # Bytes that are not UTF-8 are refused as in a file without extension (stdin has no name to go by).
    latin = "Caf\xe9 au lait for the council, the mayor said on Tuesday.\n".encode("latin-1")
    nameless = tmp_path / "latin"
    nameless.write_bytes(latin)
    from_file = run("clean", str(nameless))
    piped = run("clean", "-", input=latin)
    assert piped.exit_code == from_file.exit_code == 1
    assert piped.stdout == "" and "\ufffd" not in piped.stderr
    assert "UTF-8" in piped.stderr
    assert flat(piped.stderr) == flat(from_file.stderr).replace(str(nameless), "<stdin>")


def test_ingest_reads_stdin_named_stdin(db_path):
    rows = [
        {
            "id": "wire-1",
            "source": "Avon Echo",
            "text": "Riverside council voted on Tuesday to approve a road bridge.",
        },
        {
            "id": "wire-2",
            "source": "Island Times",
            "text": "A passenger ferry ran aground off Kellsay on Saturday.",
        },
    ]
    lines = "".join(json.dumps(row) + "\n" for row in rows)
    result = run("ingest", "-", "--db", str(db_path), input=lines + '{"id": "broken", "text": oops}\n')
    assert result.exit_code == 1  # the broken line, named as stdin's
    shown = flat(result.stderr)
    assert "skipped <stdin>:3: invalid JSON" in shown
    assert "ingested 2 articles" in shown and "skipped -" not in shown
    with open_store(db_path) as store:
        assert [(a.id, a.origin) for a in store.iter_articles()] == [
            ("wire-1", "<stdin>:1"),
            ("wire-2", "<stdin>:2"),
        ]
    # Plain text on stdin is one article named after stdin, as a text file is named after its file.
    text = "\n\n".join(
        [
            "Firefighters were called to a warehouse blaze on Friday night, the fire service said.",
            "Advertisement",
        ]
    )
    result = run("ingest", "-", "--db", str(db_path), input=text)
    assert result.exit_code == 0, result.stderr
    with open_store(db_path) as store:
        article = store.get_article("stdin")
        assert article.origin == "<stdin>"
        assert article.clean_text.startswith("Firefighters were called")
        assert [(r.text, r.reason) for r in article.removed] == [("Advertisement", "advertisement")]
