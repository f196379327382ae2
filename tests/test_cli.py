"""The ``newsfold`` command: ingest, stories, story, export, clean, with --db and $NEWSFOLD_DB.

Most tests drive the click command in-process; a few run the installed script in a subprocess, where the
output is a pipe and the terminal width is the 80-column default, as when the output goes to a log file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.clean import REASONS
from newsfold.cli import main
from newsfold.pipeline import Pipeline, ingest
from newsfold.store import open_store

pytestmark = pytest.mark.usefixtures("no_db_env")

SEED_000 = "000_3bbf104ab086ed80"
SEED_002 = "002_80ae66bd9b1465fe"
SCRIPT = Path(sys.executable).with_name("newsfold")


def flat(text: str) -> str:
    """Whitespace folded, so a console's line wrapping does not matter."""
    return " ".join(text.split())


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def run_script(
    *args: str, env_db: Path | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run the installed ``newsfold`` with pipes for every stream and no terminal size from the environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "FORCE_COLOR", "NEWSFOLD_DB"}}
    if env_db is not None:
        env["NEWSFOLD_DB"] = str(env_db)
    return subprocess.run(
        [str(SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def seeded_db(db_path: Path, seeds_dir: Path) -> Path:
    result = run("ingest", str(seeds_dir), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    return db_path


def dated_jsonl(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {
            "id": "bridge-1",
            "source": "Avon Echo",
            "title": "Bridge approved",
            "published": "2024-03-05T09:00:00Z",
            "text": "Riverside council voted on Tuesday to approve a £42m road bridge across the River Avon, "
            "ending three years of debate.\n\nCouncillors backed the plan by 31 votes to 12 after a four-hour "
            "meeting at the town hall.",
        },
        {
            "id": "bridge-2",
            "source": "Western Post",
            "title": "Avon bridge gets green light",
            "published": "2024-03-06T20:30:00+02:00",
            "text": "The £42m Riverside bridge over the River Avon was approved by 31 votes to 12 on Tuesday, "
            "despite opposition from campaigners.\n\nCouncil leader Margaret Ellison said the bridge would "
            "cut journey times.",
        },
    ]
    path = folder / "feed.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


# --- ingest ------------------------------------------------------------------------------------------------
def test_ingest_seeds_prints_a_summary_and_exits_0(db_path, seeds_dir):
    result = run("ingest", str(seeds_dir), "--db", str(db_path))
    assert result.exit_code == 0
    summary = flat(result.stderr)
    assert "ingested 2 articles (0 duplicates, 1 new story; 1 story in store), skipped 0" in summary
    assert result.stdout == ""
    with open_store(db_path) as store:
        assert store.count_articles() == 2 and store.count_stories() == 1


def test_ingest_again_reports_skips_and_exits_0(seeded_db, seeds_dir):
    result = run("ingest", str(seeds_dir), "--db", str(seeded_db))
    assert result.exit_code == 0
    assert "ingested 0 articles" in flat(result.stderr)
    assert "skipped 2 (already stored: 2)" in flat(result.stderr)


def test_ingest_with_a_bad_jsonl_line_exits_1_names_it_and_keeps_the_rest(tmp_path, monkeypatch, db_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "feed.jsonl").write_text(
        json.dumps(
            {"id": "ok-1", "text": "The council voted on Tuesday to approve the budget, the mayor said."}
        )
        + '\n{"id": "broken", "text": oops}\n'
        + json.dumps({"id": "ok-2", "text": "Firefighters were called to a warehouse blaze on Friday night."})
        + "\n",
        encoding="utf-8",
    )
    result = run("ingest", "in", "--db", str(db_path))
    assert result.exit_code == 1
    errors = flat(result.stderr)
    assert "in/feed.jsonl:2" in errors
    assert "invalid JSON" in errors
    assert "ingested 2 articles" in errors
    with open_store(db_path) as store:
        assert [a.id for a in store.iter_articles()] == ["ok-1", "ok-2"]


def test_ingest_of_only_missing_inputs_names_them_and_creates_no_store(tmp_path, db_path):
    for quiet in ([], ["--quiet"]):
        result = run(
            "ingest", *quiet, str(tmp_path / "nowhere"), str(tmp_path / "nothere"), "--db", str(db_path)
        )
        assert result.exit_code == 1
        shown = flat(result.stderr)
        for name in ("nowhere", "nothere"):
            assert f"skipped {tmp_path / name}: no such file or folder" in shown
        assert "nothing ingested and no store created" in shown
        assert not db_path.exists()


def test_ingest_of_a_missing_input_among_others_names_it_and_stores_the_rest(tmp_path, db_path, seeds_dir):
    result = run("ingest", str(tmp_path / "nowhere"), str(seeds_dir), "--db", str(db_path))
    assert result.exit_code == 1
    assert f"skipped {tmp_path / 'nowhere'}: no such file or folder" in flat(result.stderr)
    with open_store(db_path) as store:
        assert store.count_articles() == 2


def test_ingest_into_an_unopenable_store_is_a_clear_error(tmp_path, seeds_dir):
    result = run("ingest", str(seeds_dir), "--db", str(tmp_path / "no" / "folder" / "x.db"))
    assert result.exit_code == 1
    assert flat(result.stderr).startswith("error: cannot open store")
    assert "Traceback" not in result.output


def test_ingest_source_option_names_the_outlet(db_path, seeds_dir):
    run("ingest", str(seeds_dir / f"{SEED_002}.txt"), "--db", str(db_path), "--source", "Scraper Daily")
    with open_store(db_path) as store:
        assert store.get_article(SEED_002).source == "Scraper Daily"


# --- stories and story -------------------------------------------------------------------------------------
def test_stories_lists_the_story(seeded_db):
    result = run("stories", "--db", str(seeded_db))
    assert result.exit_code == 0
    with open_store(seeded_db) as store:
        [story] = list(store.iter_stories())
    assert story.id in result.stdout
    assert "1 story" in result.stdout and "1 stories" not in result.stdout
    assert "Suella Braverman" in result.stdout


def test_stories_json_is_one_story_per_line_newest_first(db_path, make_article):
    two_stories(db_path, make_article)
    lines = run("stories", "--json", "--db", str(db_path), "-n", "5").stdout.splitlines()
    with open_store(db_path) as store:
        expected = [story.to_dict() for story in store.iter_stories()]
    assert [json.loads(line) for line in lines] == json.loads(json.dumps(expected))
    assert len(run("stories", "--json", "--db", str(db_path), "-n", "1").stdout.splitlines()) == 1


def two_stories(db_path: Path, make_article) -> None:
    with open_store(db_path) as store:
        Pipeline(store).run([make_article("bridge"), make_article("fire")])
        assert store.count_stories() == 2


def test_stories_limit_shows_the_newest_and_says_how_many_there_are(db_path, make_article):
    two_stories(db_path, make_article)
    result = run("stories", "--db", str(db_path), "-n", "1")
    assert result.exit_code == 0
    with open_store(db_path) as store:
        newest, oldest = list(store.iter_stories())
    assert newest.id in result.stdout and oldest.id not in result.stdout
    assert "newest 1 of 2 stories" in result.stdout
    assert "newest" not in run("stories", "--db", str(db_path), "-n", "2").stdout


@pytest.mark.parametrize("command", ["stories", "breaking"])
@pytest.mark.parametrize("limit", ["0", "-1"])
def test_listing_limits_must_be_positive(db_path, make_article, command, limit):
    two_stories(db_path, make_article)
    result = run(command, "--db", str(db_path), "-n", limit)
    assert result.exit_code == 2  # a usage error, before anything is listed
    assert result.stdout == ""
    assert f"Invalid value for '--limit' / '-n': {limit} is not in the range x>=1" in flat(result.stderr)


def test_story_of_one_article_from_an_unknown_outlet(db_path, make_article):
    article = make_article("fire", article_id="lone")
    article.source = None
    with open_store(db_path) as store:
        Pipeline(store).run([article])
        story_id = store.get_article("lone").story_id
    shown = flat(run("story", story_id, "--db", str(db_path)).stdout)
    assert "1 article from an unknown outlet" in shown
    assert "1 articles" not in shown


def test_story_shows_articles_and_removed_lines(seeded_db):
    with open_store(seeded_db) as store:
        [story] = list(store.iter_stories())
    result = run("story", story.id, "--db", str(seeded_db))
    assert result.exit_code == 0
    shown = flat(result.stdout)
    assert SEED_000 in shown and SEED_002 in shown
    assert "2 articles from The Independent" in shown
    for reason in ("[newsletter]", "[template]", "[caption]", "[source-footer]", "[promo-spam]"):
        assert reason in shown
    hidden = flat(run("story", story.id, "--db", str(seeded_db), "--no-removed").stdout)
    assert "[newsletter]" not in hidden and SEED_000 in hidden


def test_story_shows_copies(db_path, make_article):
    with open_store(db_path) as store:
        Pipeline(store).run([make_article("bridge"), make_article("bridge", article_id="bridge-wire")])
        story_id = store.get_article("bridge").story_id
    shown = flat(run("story", story_id, "--db", str(db_path)).stdout)
    assert "bridge-wire" in shown and "copy of bridge" in shown


def test_unknown_story_is_a_clear_error(seeded_db):
    result = run("story", "NOPE", "--db", str(seeded_db))
    assert result.exit_code == 1
    assert "no story 'NOPE'" in flat(result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.output


# --- export ------------------------------------------------------------------------------------------------
def test_export_articles_is_the_public_jsonl(seeded_db, golden):
    result = run("export", "articles", "--db", str(seeded_db))
    assert result.exit_code == 0
    rows = jsonl(result.stdout)
    assert [row["id"] for row in rows] == [SEED_000, SEED_002]
    with open_store(seeded_db) as store:
        [story] = list(store.iter_stories())
    for row in rows:
        assert {"id", "source", "title", "published", "story_id", "duplicate_of", "text", "removed"} <= set(
            row
        )
        expected = golden(row["id"])
        assert row["text"] == expected["separator"].join(expected["kept"])
        assert row["removed"] == [{"text": line, "reason": reason} for reason, line in expected["removed"]]
        assert row["story_id"] == story.id
        assert row["duplicate_of"] is None
        assert row["published"] is None  # the seeds carry no date
        assert row["title"] is None  # nor a headline line
    assert rows[0]["source"] == "The Independent" and rows[1]["source"] is None


def test_export_articles_dates_are_utc_iso(tmp_path, db_path):
    feed = dated_jsonl(tmp_path / "in")
    assert run("ingest", str(feed), "--db", str(db_path)).exit_code == 0
    rows = jsonl(run("export", "articles", "--db", str(db_path)).stdout)
    assert [(r["id"], r["published"], r["title"]) for r in rows] == [
        ("bridge-1", "2024-03-05T09:00:00+00:00", "Bridge approved"),
        ("bridge-2", "2024-03-06T18:30:00+00:00", "Avon bridge gets green light"),
    ]


def test_export_stories(tmp_path, db_path):
    feed = dated_jsonl(tmp_path / "in")
    run("ingest", str(feed), "--db", str(db_path))
    [story] = jsonl(run("export", "stories", "--db", str(db_path)).stdout)
    assert story["article_ids"] == ["bridge-1", "bridge-2"]
    assert story["title"] == "Bridge approved"
    assert story["first_seen"] == "2024-03-05T09:00:00+00:00"
    assert story["last_seen"] == "2024-03-06T18:30:00+00:00"
    assert story["id"].startswith("s-")


def test_export_to_a_file(seeded_db, tmp_path):
    out = tmp_path / "stories.jsonl"
    result = run("export", "stories", "--db", str(seeded_db), "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    [story] = jsonl(out.read_text(encoding="utf-8"))
    assert sorted(story["article_ids"]) == [SEED_000, SEED_002]


# --- --db and $NEWSFOLD_DB ---------------------------------------------------------------------------------
def test_newsfold_db_env_var_and_db_option(tmp_path, seeds_dir):
    env_db, other_db = tmp_path / "env.db", tmp_path / "other.db"
    env = {"NEWSFOLD_DB": str(env_db)}
    assert run("ingest", str(seeds_dir), env=env).exit_code == 0
    assert env_db.is_file()
    assert len(jsonl(run("export", "articles", env=env).stdout)) == 2
    # --db wins over the environment.
    assert jsonl(run("export", "articles", "--db", str(other_db), env=env).stdout) == []


def test_default_store_is_newsfold_db_in_the_working_folder(tmp_path, monkeypatch, seeds_dir):
    monkeypatch.chdir(tmp_path)
    assert run("ingest", str(seeds_dir)).exit_code == 0
    assert (tmp_path / "newsfold.db").is_file()
    assert len(jsonl(run("export", "articles").stdout)) == 2


# --- clean -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", [SEED_000, SEED_002])
def test_clean_file_prints_kept_lines_unchanged_and_in_order(stem, seeds_dir, golden):
    result = run("clean", str(seeds_dir / f"{stem}.txt"))
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if line] == golden(stem)["kept"]
    assert result.stdout == "".join(f"{line}\n\n" for line in golden(stem)["kept"])
    assert result.stderr == ""


def test_clean_reads_stdin(seed_text, golden):
    result = run("clean", "-", input=seed_text(SEED_000))
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if line] == golden(SEED_000)["kept"]
    assert run("clean", input=seed_text(SEED_000)).stdout == result.stdout


def test_clean_keeps_single_line_breaks(reports):
    text = "\n".join(["Advertisement", *reports["fire"]])
    result = run("clean", "-", input=text)
    assert result.stdout.splitlines() == reports["fire"]


def test_clean_prints_hard_wrapped_paragraphs_unchanged(reports):
    paragraphs = [textwrap.fill(p, width=60) for p in reports["strike"]]
    text = "\n\n".join([paragraphs[0], "Advertisement", *paragraphs[1:]])
    result = run("clean", "-", input=text)
    assert result.stdout == "".join(f"{p}\n\n" for p in paragraphs)


@pytest.mark.parametrize("stem", [SEED_000, SEED_002])
def test_clean_explain_prints_removed_lines_with_reasons_on_stderr(stem, seeds_dir, golden):
    expected = golden(stem)
    result = run("clean", "--explain", str(seeds_dir / f"{stem}.txt"))
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if line] == expected["kept"]
    explained = flat(result.stderr)
    for reason, line in expected["removed"]:
        assert f"- [{reason}] {flat(line)}" in explained
        assert line not in result.stdout
    total = len(expected["kept"]) + len(expected["removed"])
    assert f"{len(expected['removed'])} of {total} lines removed" in explained


def test_clean_explain_marks_every_line_of_a_removed_paragraph(reports, junk):
    paragraphs = [textwrap.fill(p, width=60) for p in reports["strike"]]
    newsletter = textwrap.fill(junk["newsletter"], width=40)
    assert newsletter.count("\n") >= 2  # the junk paragraph is hard-wrapped over several lines
    result = run("clean", "--explain", "-", input="\n\n".join([paragraphs[0], newsletter, *paragraphs[1:]]))
    assert result.stdout == "".join(f"{p}\n\n" for p in paragraphs)
    explained = result.stderr.splitlines()
    for line in newsletter.splitlines():
        assert f"- [newsletter] {line}" in explained
    # The paragraph is one block to the cleaner; the count is of the lines printed, as the marks are.
    junk_lines = newsletter.count("\n") + 1
    total = junk_lines + sum(p.count("\n") + 1 for p in paragraphs)
    assert f"{junk_lines} of {total} lines removed" in result.stderr


def jsonl_of(folder: Path, texts: dict[str, list[str]], name: str = "feed.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    rows = [{"id": key, "text": "\n\n".join(paragraphs)} for key, paragraphs in texts.items()]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_clean_heads_each_article_when_it_cleans_several(tmp_path, reports, junk):
    fire, ferry = reports["fire"][:2], reports["ferry"][:2]
    feed = jsonl_of(tmp_path, {"fire-1": [fire[0], junk["advertisement"], fire[1]], "ferry-1": ferry})
    result = run("clean", "--explain", str(feed))
    assert result.exit_code == 0
    assert result.stdout == (
        f"==> fire-1 ({feed}:1) <==\n{fire[0]}\n\n{fire[1]}\n\n"
        f"==> ferry-1 ({feed}:2) <==\n{ferry[0]}\n\n{ferry[1]}\n\n"
    )
    explained = flat(result.stderr)
    assert "- [advertisement] Advertisement 1 of 3 lines removed from fire-1" in explained
    assert "0 of 2 lines removed from ferry-1" in explained
    # The same from stdin, named as stdin's lines.
    piped = run("clean", "-", input=feed.read_text(encoding="utf-8"))
    assert piped.stdout == result.stdout.replace(str(feed), "<stdin>")


def test_clean_of_one_article_prints_only_its_kept_lines(tmp_path, reports):
    fire = reports["fire"][:2]
    one = jsonl_of(tmp_path, {"fire-1": fire})
    assert run("clean", str(one)).stdout == f"{fire[0]}\n\n{fire[1]}\n\n"
    # One article and a record that cannot be read: one article cleaned, still no heading.
    one.write_text(one.read_text(encoding="utf-8") + '{"id": "broken", "text": oops}\n', encoding="utf-8")
    result = run("clean", str(one))
    assert result.exit_code == 1
    assert result.stdout == f"{fire[0]}\n\n{fire[1]}\n\n"
    assert f"skipped {one}:2: invalid JSON" in flat(result.stderr)


def test_reasons_lists_every_code():
    result = run("reasons")
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    assert codes == list(REASONS)


# --- the installed script ----------------------------------------------------------------------------------
def test_installed_script_ingests_and_exports(tmp_path, seeds_dir):
    db = tmp_path / "script.db"
    done = run_script("ingest", str(seeds_dir), env_db=db)
    assert done.returncode == 0, done.stderr
    assert "ingested 2 articles" in flat(done.stderr)
    exported = run_script("export", "stories", env_db=db)
    [story] = jsonl(exported.stdout)
    assert sorted(story["article_ids"]) == [SEED_000, SEED_002]


def test_explain_output_keeps_each_removed_line_whole_when_piped(seeds_dir, golden):
    done = run_script("clean", "--explain", str(seeds_dir / f"{SEED_002}.txt"))
    lines = done.stderr.splitlines()
    for reason, line in golden(SEED_002)["removed"]:
        assert f"- [{reason}] {line}" in lines


def test_ingest_error_names_a_long_path_on_one_line_when_piped(tmp_path):
    folder = tmp_path / ("a_rather_long_folder_name_for_the_feeds_" * 2)
    folder.mkdir()
    feed = folder / "feed.jsonl"
    feed.write_text('{"id": "x", "text": oops}\n', encoding="utf-8")
    assert len(f"{feed}:1") > 80
    done = run_script("ingest", str(feed), "--db", str(tmp_path / "x.db"))
    assert done.returncode == 1
    assert any(f"{feed}:1" in line for line in done.stderr.splitlines())


def test_stories_shows_first_and_last_seen_when_piped(tmp_path):
    db = tmp_path / "dated.db"
    with open_store(db) as store:
        report = ingest(store, [dated_jsonl(tmp_path / "in")])
        assert report.ingested == 2 and store.count_stories() == 1
    done = run_script("stories", "--db", str(db))
    assert done.returncode == 0
    assert "2024-03-05 09:00" in done.stdout
    assert "2024-03-06 18:30" in done.stdout


def test_serve_answers_the_api_and_the_ui(seeded_db):
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    newsfold = Path(sys.executable).with_name("newsfold")
    server = subprocess.Popen(
        [str(newsfold), "serve", "--db", str(seeded_db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories", timeout=2) as response:
                    stories = json.load(response)
                break
            except OSError:
                assert server.poll() is None, "newsfold serve exited"
                assert time.monotonic() < deadline, "newsfold serve did not answer within 30 s"
                time.sleep(0.2)
        assert stories["total"] == 1
        [story] = stories["items"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/stories/{story['id']}", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert "What each outlet adds" in page and "Suella Braverman" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_ingest_names_a_page_with_no_article_left(tmp_path, db_path):
    page = tmp_path / "menu.html"
    # Enough words for a page's main text, every line of it junk to the cleaner.
    page.write_text(
        "<html><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article>"
        "<p>Sign up to our daily newsletter to get the top stories sent straight to your inbox.</p>"
        "<p>Share on Facebook Share on Twitter</p><p>Advertisement</p></article>"
        "<footer>Copyright 2024</footer></body></html>",
        encoding="utf-8",
    )
    result = run("ingest", str(page), "--db", str(db_path))
    assert result.exit_code == 0
    assert f"skipped {page}: no text left after cleaning" in flat(result.stderr)
    assert "ingested 0 articles (0 duplicates, 0 new stories; 0 stories in store)" in flat(result.stderr)


@pytest.mark.parametrize(
    "command",
    [
        ["stories"],
        ["story", "s-123"],
        ["export", "articles"],
        ["breaking"],
        ["alerts"],
        ["feeds"],
        ["subscriptions"],
    ],
)
def test_reading_commands_do_not_create_a_store_at_a_mistyped_path(tmp_path, command):
    typo = tmp_path / "newsfodl.db"
    result = run(*command, "--db", str(typo))
    assert result.exit_code == 1
    assert f"no store at {typo}" in flat(result.stderr)
    assert not typo.exists()


def test_empty_listings_say_so_on_stderr_and_keep_stdout_empty(seeded_db):
    for command, message in (
        (["breaking"], "no breaking stories now"),
        (["alerts"], "no alerts"),
        (["feeds"], "no feeds watched"),
        (["subscriptions"], "no subscriptions"),
    ):
        result = run(*command, "--db", str(seeded_db))
        assert result.exit_code == 0 and result.stdout == "" and message in result.stderr
    assert run("breaking", "--json", "--db", str(seeded_db)).stdout == ""  # JSON Lines: no line, no story


def test_listings_of_an_empty_store_say_so_on_stderr(db_path):
    with open_store(db_path):
        pass  # a store with nothing in it
    for command, message in (
        (["stories"], "no stories"),
        (["breaking"], "no breaking stories now"),
        (["alerts"], "no alerts"),
        (["feeds"], "no feeds watched"),
        (["subscriptions"], "no subscriptions"),
    ):
        result = run(*command, "--db", str(db_path))
        assert result.exit_code == 0 and result.stdout == "" and message in result.stderr, command


def test_clean_reads_files_as_ingest_does(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><nav>Home | News</nav><article><p>The council voted on Tuesday to rebuild the bridge "
        "over the river, the mayor said after the meeting.</p><p>Work starts in May and will take a year, "
        "officials told reporters.</p></article><footer>Copyright 2024 Example</footer></body></html>",
        encoding="utf-8",
    )
    result = run("clean", str(page))
    assert result.exit_code == 0
    assert result.stdout.split("\n\n")[0].startswith("The council voted on Tuesday")
    assert "<" not in result.stdout and "Home | News" not in result.stdout
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 au lait for the council.\n".encode("latin-1"))
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    for path, message in ((latin, "not valid UTF-8"), (binary, "binary file")):
        result = run("clean", str(path))
        assert result.exit_code == 1 and result.stdout == ""
        assert f"{path}" in flat(result.stderr) and message in result.stderr


def test_watch_once_exits_1_when_a_feed_cannot_be_polled(db_path):
    result = run("watch", "--once", "--db", str(db_path), "http://127.0.0.1:1/feed.xml")
    assert result.exit_code == 1
    assert "http://127.0.0.1:1/feed.xml" in result.stdout and "1 feed could not be polled" in flat(
        result.stderr
    )


def test_ingest_dask_without_the_extra_says_how_to_install_it(tmp_path, monkeypatch, seeds_dir):
    # ``import distributed`` fails as it does where the extra is not installed.
    monkeypatch.setitem(sys.modules, "distributed", None)
    db = tmp_path / "none.db"
    result = run("ingest", "--db", str(db), "--dask", "tcp://127.0.0.1:8786", str(seeds_dir))
    assert result.exit_code == 1
    assert "pip install 'newsfold[dask]'" in flat(result.stderr)
    assert not db.exists()


def test_ingest_workers_sets_the_worker_processes(tmp_path, monkeypatch, reports):
    import newsfold.pipeline as pipeline_module

    started = []
    real_pool = pipeline_module.ProcessPoolExecutor

    def pool(*args, **kwargs):
        started.append(kwargs["max_workers"])
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(pipeline_module, "ProcessPoolExecutor", pool)
    names = sorted(reports)
    rows = [
        {"id": f"a{i:03d}", "text": "\n\n".join([*reports[names[i % len(names)]][:3], f"Line number {i}."])}
        for i in range(pipeline_module.PARALLEL_AFTER + 20)
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    one = run("ingest", "--db", str(tmp_path / "one.db"), "--workers", "1", str(feed))
    assert one.exit_code == 0 and started == []  # everything in this process
    three = run("ingest", "--db", str(tmp_path / "three.db"), "--workers", "3", str(feed))
    assert three.exit_code == 0 and started == [3]
    with open_store(tmp_path / "one.db") as a, open_store(tmp_path / "three.db") as b:
        assert [(x.id, x.story_id, x.clean_text) for x in a.iter_articles()] == [
            (x.id, x.story_id, x.clean_text) for x in b.iter_articles()
        ]
    both = run("ingest", "--db", str(tmp_path / "no.db"), "--workers", "2", "--dask", "local", str(feed))
    assert both.exit_code == 1 and "exclude each other" in both.stderr
    assert not (tmp_path / "no.db").exists()


def test_breaking_follows_the_rule_of_a_watch_config(tmp_path, reports):
    from datetime import UTC, datetime, timedelta

    recent = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
    rows = [
        {"id": "b1", "source": "Avon Echo", "published": recent, "text": "\n\n".join(reports["bridge"])},
        {
            "id": "b2",
            "source": "Western Post",
            "published": recent,
            "text": "\n\n".join(reports["bridge-other"]),
        },
    ]
    data = tmp_path / "two.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "news.db"
    assert run("ingest", "--db", str(db), str(data)).exit_code == 0
    # Two outlets are not breaking by the default rule (three) ...
    assert "no breaking stories now" in run("breaking", "--db", str(db)).stderr
    # ... and are by a config's [breaking] rule of two, as watch decides its alerts.
    config = tmp_path / "watch.toml"
    config.write_text("[breaking]\nmin_outlets = 2\n", encoding="utf-8")
    listed = run("breaking", "--db", str(db), "--config", str(config))
    assert listed.exit_code == 0 and "Avon Echo, Western Post" in flat(listed.stdout)
    bad = tmp_path / "bad.toml"
    bad.write_text("[breaking]\nmin_outlets = 0\n", encoding="utf-8")
    refused = run("breaking", "--db", str(db), "--config", str(bad))
    assert refused.exit_code == 1 and "min_outlets must be at least 1" in flat(refused.stderr)


def test_ctrl_c_in_a_parallel_ingest_stops_at_once_and_the_same_command_continues(tmp_path, reports):
    import signal
    import sqlite3
    import time

    paragraphs = [p for body in reports.values() for p in body]
    data = tmp_path / "many.jsonl"
    with data.open("w", encoding="utf-8") as f:
        for n in range(3000):
            text = (
                "\n\n".join(paragraphs[(n + k) % len(paragraphs)] for k in range(6))
                + f"\n\nItem {n} of the day."
            )
            f.write(json.dumps({"id": f"a{n}", "text": text}) + "\n")
    db = tmp_path / "news.db"
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "FORCE_COLOR", "NEWSFOLD_DB"}}
    command = [str(SCRIPT), "ingest", "--db", str(db), "--workers", "2", str(data)]
    # Like a terminal's Ctrl-C: SIGINT to the whole process group, the cleaning workers included.
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
        text=True,
    )
    stored, deadline = 0, time.monotonic() + 60
    while stored < 300 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                stored = conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.Error:
            pass
    assert proc.poll() is None, "the ingest ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    try:
        _, stderr = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the interrupted ingest did not stop")
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    # Every worker ended with it; the same command then stores the rest, each article once.
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", str(data)], capture_output=True, text=True).stdout.split()
    assert left == []
    again = run_script("ingest", "--db", str(db), str(data))
    assert again.returncode == 0, again.stderr
    with open_store(db) as store:
        assert store.count_articles() == 3000


def test_ctrl_c_in_any_command_exits_130(seeded_db, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("newsfold.cli._open", interrupted)
    result = run("stories", "--db", str(seeded_db))
    assert result.exit_code == 130 and "interrupted" in result.stderr and "Aborted" not in result.stderr
