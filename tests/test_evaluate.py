"""Evaluation helpers: the junk evaluation can be limited to some junk kinds and run with another line model."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from newsfold.clean.model import default_model
from newsfold.evaluate import eval_junk

PARAGRAPHS = [
    "The city council voted on Tuesday to rebuild the old river bridge, which closed last spring after "
    "inspectors found cracks in two of its supports.",
    "Work will start in March and is expected to take eighteen months, the council's transport chief said, "
    "adding that a temporary footbridge would open within weeks.",
    "Residents who had campaigned for the repair welcomed the decision but said the delay had cost local "
    "shops a great deal of trade over the summer.",
]


def write_articles(path: Path, n: int = 12) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            text = "\n\n".join(PARAGRAPHS[i % 3 :] + PARAGRAPHS[: i % 3])
            handle.write(json.dumps({"id": f"a{i}", "text": text, "gold_story": "s"}) + "\n")
    return path


def test_junk_is_limited_to_the_kinds_asked_for(tmp_path):
    files = [write_articles(tmp_path / "articles.jsonl")]
    figures = eval_junk(files, kinds=["cookie", "share"])
    assert figures["junk_lines"] > 0
    assert set(figures["by_kind"]) <= {"cookie", "share"}
    assert set(eval_junk(files)["by_kind"]) - {"cookie", "share"}


def test_the_model_given_is_the_one_that_cleans(tmp_path):
    files = [write_articles(tmp_path / "articles.jsonl")]
    shipped = eval_junk(files, seed=3, kinds=["navigation", "related", "tags"])
    # A model that finds every line to be content leaves the junk no rule names.
    keeps_all = replace(default_model(), threshold=0.0)
    lenient = eval_junk(files, seed=3, kinds=["navigation", "related", "tags"], model=keeps_all)
    assert lenient["junk_lines"] == shipped["junk_lines"]
    assert lenient["junk_removed"] < shipped["junk_removed"]


def test_site_pages_cleaned_as_a_stream_lose_junk_the_model_keeps(tmp_path):
    # Articles of several stories on two sites: each site's fixed junk recurs across stories, so the stream
    # removes junk that a model keeping every line leaves when it cleans page by page.
    path = tmp_path / "articles.jsonl"
    towns = ["Avonmouth", "Bexley", "Carlow", "Dunmore", "Elstree", "Fenwick", "Galway", "Hexham"]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(24):
            town = towns[i % 8]
            # Every paragraph names its town: reporting of one story is not repeated in another.
            own = [
                p.replace("city", town)
                .replace("river", f"{town} river")
                .replace("Work will", f"Work in {town} will")
                .replace("Residents", f"{town} residents")
                for p in PARAGRAPHS
            ]
            text = "\n\n".join(own[i % 3 :] + own[: i % 3])
            handle.write(json.dumps({"id": f"a{i}", "text": text, "gold_story": town}) + "\n")
    keeps_all = replace(default_model(), threshold=0.0)
    figures = eval_junk([path], seed=1, sites=2, model=keeps_all)
    assert figures["sites"] == 2
    assert figures["junk_removed"] > figures["alone"]["junk_removed"]
    assert figures["content_r"] == figures["alone"]["content_r"]


def test_a_negative_number_of_sites_is_refused(tmp_path):
    with pytest.raises(ValueError, match="sites"):
        eval_junk([write_articles(tmp_path / "articles.jsonl")], sites=-1)


def test_eval_junk_with_sites_prints_the_one_by_one_baseline(tmp_path):
    from click.testing import CliRunner

    from newsfold.cli import main

    path = write_articles(tmp_path / "articles.jsonl")
    result = CliRunner().invoke(main, ["eval", "junk", str(path), "--sites", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.count("junk_removed") == 2  # the stream, then the same pages one by one
    alone = CliRunner().invoke(main, ["eval", "junk", str(path)])
    assert alone.exit_code == 0 and alone.output.count("junk_removed") == 1


def test_eval_names_unreadable_records_leaves_them_out_and_exits_1(tmp_path):
    from click.testing import CliRunner

    from newsfold.cli import main

    path = write_articles(tmp_path / "articles.jsonl", n=6)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "x", "text": "a control \x01 character"}\n')  # line 7
        handle.write(json.dumps({"id": "nogold", "text": PARAGRAPHS[0]}) + "\n")  # line 8
    result = CliRunner().invoke(main, ["eval", "clustering", str(path), "--json"])
    assert result.exit_code == 1
    assert f"{path}:7: invalid JSON: Invalid control character at column" in " ".join(result.stderr.split())
    assert f"{path}:8: missing 'gold_story'" in " ".join(result.stderr.split())
    figures = json.loads(result.stdout)
    assert (figures["articles"], figures["skipped"]) == (6, 2)
    # Copy detection needs no gold story: only the broken line is left out.
    dup = CliRunner().invoke(main, ["eval", "duplicates", str(path), "--json"])
    assert dup.exit_code == 1 and json.loads(dup.stdout)["skipped"] == 1


def test_eval_and_training_on_the_wrong_kind_of_file_are_clear_errors(tmp_path):
    from click.testing import CliRunner

    from newsfold.cli import main

    articles = write_articles(tmp_path / "articles.jsonl", n=2)
    for command in (
        ["eval", "cleaning", str(articles)],
        ["train-cleaner", str(articles), "-o", str(tmp_path / "m.json")],
    ):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1
        assert isinstance(result.exception, SystemExit), result.exception  # no traceback
        assert f"{articles}:1: missing 'segments'" in " ".join(result.stderr.split())
    nothing = tmp_path / "gold-less.jsonl"
    nothing.write_text(json.dumps({"id": "a", "text": PARAGRAPHS[0]}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "clustering", str(nothing)])
    assert result.exit_code == 1 and "no usable labelled record" in result.stderr
    assert not (tmp_path / "m.json").exists()


def test_eval_cleaning_reads_the_pages_html_as_ingest_does(tmp_path):
    from click.testing import CliRunner

    from newsfold.cli import main

    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 3)
    page = {
        "segments": [{"label_name": "full-text", "text": p} for p in PARAGRAPHS * 3]
        + [{"label_name": "not-content", "text": "Home | News | Sport"}],
        "gold_main_text": "\n".join(PARAGRAPHS * 3),
        "html": f"<html><head><title>Bridge</title></head><body><nav>Home | News | Sport</nav>{body}</body></html>",
    }
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "cleaning", str(path), "--html", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["html_r"] > 0.9 and figures["line_f1"] > 0.9
    plain = json.loads(CliRunner().invoke(main, ["eval", "cleaning", str(path), "--json"]).stdout)
    assert "html_f1" not in plain
