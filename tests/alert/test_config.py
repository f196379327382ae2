"""The watch config file: feeds, sections, environment overrides, errors, and the documented settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold.alert.config import FeedSpec, WatchConfig, load_config, settings_table
from newsfold.errors import ConfigError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "alerts.md"

FULL = """
[[feeds]]
url = "https://gazette.example/rss"
source = "Lowmere Gazette"

[[feeds]]
url = "https://wire.example/atom.xml"

[watch]
interval = 120
timeout = 5.5
max_bytes = 2_000_000

[breaking]
min_outlets = 2
window_hours = 3

[smtp]
host = "smtp.example.org"
port = 465
from = "News <news@example.org>"
starttls = "always"

[delivery]
max_attempts = 3
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "watch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_config_file(tmp_path):
    config = load_config(write(tmp_path, FULL), env={})
    assert config.feeds == [
        FeedSpec("https://gazette.example/rss", "Lowmere Gazette"),
        FeedSpec("https://wire.example/atom.xml"),
    ]
    assert (config.watch.interval, config.watch.timeout, config.watch.max_bytes) == (120, 5.5, 2_000_000)
    assert config.watch.page_min_chars == 400  # default kept
    assert (config.breaking.min_outlets, config.breaking.window_hours) == (2, 3)
    assert (config.smtp.host, config.smtp.port, config.smtp.sender, config.smtp.starttls) == (
        "smtp.example.org",
        465,
        "News <news@example.org>",
        "always",
    )
    assert config.delivery.max_attempts == 3


def test_the_environment_overrides_smtp_and_alone_gives_the_password(tmp_path):
    env = {"NEWSFOLD_SMTP_HOST": "relay.internal", "NEWSFOLD_SMTP_PASSWORD": "pw"}
    config = load_config(write(tmp_path, FULL), env=env)
    assert (config.smtp.host, config.smtp.port, config.smtp.password) == ("relay.internal", 465, "pw")
    assert load_config(None, env=env).smtp.host == "relay.internal"
    assert load_config(None, env={}) == WatchConfig()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[watch]\ninterval = 'often'\n", "interval"),
        ("[watch]\nintervall = 60\n", "unknown key"),
        ("[alerts]\n", "unknown section"),
        ("[smtp]\npassword = 'in a file'\n", "unknown key"),
        ("[smtp]\nstarttls = 'sometimes'\n", "starttls"),
        ("[breaking]\nmin_outlets = 0\n", "min_outlets"),
        ("[watch]\ntimeout = 0\n", "timeout"),
        ("[watch]\npage_retry_hours = -1\n", "page_retry_hours"),
        ("[delivery]\nconcurrency = 0\n", "concurrency"),
        ("[[feeds]]\nurl = 'file:///etc/passwd'\n", "http"),
        ("[[feeds]]\nsource = 'No URL'\n", "needs a url"),
        ("[[feeds]]\nurl = 'https://a.example/'\ntitle = 'x'\n", "unknown key"),
        ("feeds = 3\n", "list"),
        ("[watch\n", "TOML"),
    ],
)
def test_config_errors_name_the_problem(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text), env={})


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.toml")


def test_every_setting_has_help_and_is_documented():
    docs = DOCS.read_text(encoding="utf-8")
    for section, key, _default, help_text in settings_table():
        assert help_text, f"{section}.{key} has no help"
        assert f"`{key}`" in docs, f"docs/alerts.md does not document [{section}] {key}"
