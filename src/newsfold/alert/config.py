"""The watch configuration: feeds to poll and the settings of watching, breaking detection and delivery.

A TOML file (docs/alerts.md)::

    [[feeds]]
    url = "https://example.org/rss"
    source = "Example News"        # optional: the outlet name, else the feed's title

    [watch]
    interval = 300

    [breaking]
    min_outlets = 3
    window_hours = 6

    [smtp]
    host = "smtp.example.org"      # the password only ever comes from NEWSFOLD_SMTP_PASSWORD

Each section maps onto a settings dataclass whose fields carry their help text, so the CLI, the API and the
docs describe one set of settings (:func:`settings_table`). Unknown keys are errors: a typo must not
silently fall back to a default. ``NEWSFOLD_SMTP_*`` variables override ``[smtp]``.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsfold.alert.breaking import BreakingSettings
from newsfold.alert.deliver import DeliverySettings, SmtpSettings
from newsfold.errors import ConfigError

__all__ = ["FeedSpec", "WatchConfig", "WatchSettings", "load_config", "settings_table"]


@dataclass(slots=True, frozen=True)
class FeedSpec:
    """One feed to watch."""

    url: str
    source: str | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"a feed needs an http(s) URL, not {self.url!r}")


@dataclass(slots=True, frozen=True)
class WatchSettings:
    """How feeds are polled (``[watch]``)."""

    interval: float = field(default=300.0, metadata={"help": "seconds between two polls of one feed"})
    timeout: float = field(
        default=20.0, metadata={"help": "seconds one feed or page download may take in all"}
    )
    max_bytes: int = field(
        default=10 * 1024 * 1024, metadata={"help": "largest feed or page accepted; larger ones are cut off"}
    )
    page_min_chars: int = field(
        default=400, metadata={"help": "entries with less text than this get their article page fetched"}
    )
    page_retry_hours: float = field(
        default=6.0,
        metadata={
            "help": "an entry dated this recently whose article page fails waits for the next poll, "
            "not stored; older or undated ones are stored with the feed's text"
        },
    )
    backoff_seconds: float = field(default=60.0, metadata={"help": "wait after a feed's first failure"})
    max_backoff_seconds: float = field(default=6 * 3600.0, metadata={"help": "longest wait after failures"})
    concurrency: int = field(default=4, metadata={"help": "feeds and pages downloaded at once"})

    def __post_init__(self) -> None:
        for name in ("interval", "timeout", "backoff_seconds", "max_backoff_seconds"):
            if getattr(self, name) < 0 or (name != "interval" and getattr(self, name) == 0):
                raise ConfigError(f"watch.{name} must be positive, not {getattr(self, name)}")
        if self.max_bytes < 1024:
            raise ConfigError(f"watch.max_bytes must be at least 1024, not {self.max_bytes}")
        if self.concurrency < 1:
            raise ConfigError(f"watch.concurrency must be at least 1, not {self.concurrency}")
        if self.page_retry_hours < 0:
            raise ConfigError(f"watch.page_retry_hours must be 0 or more, not {self.page_retry_hours}")


@dataclass(slots=True)
class WatchConfig:
    """Everything ``newsfold watch`` needs besides the store."""

    feeds: list[FeedSpec] = field(default_factory=list)
    watch: WatchSettings = field(default_factory=WatchSettings)
    breaking: BreakingSettings = field(default_factory=BreakingSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WatchConfig:
        """Defaults, with SMTP from the environment."""
        return cls(smtp=SmtpSettings.from_env(env))


_SECTIONS: dict[str, type] = {
    "watch": WatchSettings,
    "breaking": BreakingSettings,
    "smtp": SmtpSettings,
    "delivery": DeliverySettings,
}
# Keys a file may not set: secrets belong in the environment, objects are not TOML.
_FILE_FORBIDDEN = {"smtp": {"password", "ssl_context"}}
# The file says "from", the dataclass "sender" (``from`` is a Python keyword).
_RENAMED = {"smtp": {"from": "sender"}}


def load_config(path: str | os.PathLike[str] | None, *, env: Mapping[str, str] | None = None) -> WatchConfig:
    """Read a watch config file; ``None`` gives the defaults. SMTP settings from the environment win."""
    if path is None:
        return WatchConfig.from_env(env)
    where = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {where}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
    unknown = set(data) - set(_SECTIONS) - {"feeds"}
    if unknown:
        raise ConfigError(f"{where}: unknown section(s) {', '.join(sorted(unknown))}")
    config = WatchConfig(feeds=_feeds(data.get("feeds", []), where))
    for name, cls in _SECTIONS.items():
        section = data.get(name, {})
        if not isinstance(section, dict):
            raise ConfigError(f"{where}: [{name}] must be a table")
        setattr(config, name, _section(name, cls, section, where))
    config.smtp = SmtpSettings.from_env(env, base=config.smtp)
    return config


def _feeds(items: Any, where: str) -> list[FeedSpec]:
    if not isinstance(items, list):
        raise ConfigError(f"{where}: feeds must be a list of [[feeds]] tables")
    found = []
    for number, item in enumerate(items, 1):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            raise ConfigError(f"{where}: feed {number} needs a url")
        extra = set(item) - {"url", "source"}
        if extra:
            raise ConfigError(f"{where}: feed {number}: unknown key(s) {', '.join(sorted(extra))}")
        found.append(FeedSpec(item["url"].strip(), (item.get("source") or "").strip() or None))
    return found


def _section(name: str, cls: type, values: dict[str, Any], where: str) -> Any:
    renamed = {_RENAMED.get(name, {}).get(k, k): v for k, v in values.items()}
    allowed = {f.name for f in dataclasses.fields(cls)} - _FILE_FORBIDDEN.get(name, set())
    unknown = set(renamed) - allowed
    if unknown:
        raise ConfigError(f"{where}: [{name}] unknown key(s) {', '.join(sorted(unknown))}")
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    for key, value in renamed.items():
        if not _same_type(defaults[key], value):
            shown = {v: k for k, v in _RENAMED.get(name, {}).items()}.get(key, key)
            raise ConfigError(
                f"{where}: [{name}] {shown} = {value!r} is not a {type(defaults[key]).__name__}"
            )
    try:
        return cls(**renamed)
    except TypeError as exc:
        raise ConfigError(f"{where}: [{name}] {exc}") from exc


def _same_type(default: Any, value: Any) -> bool:
    if default is None or isinstance(default, str):
        return isinstance(value, str) or (default is None and isinstance(value, int | float))
    if isinstance(value, bool):
        return isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def settings_table() -> list[tuple[str, str, Any, str]]:
    """Every configurable setting as (section, key, default, help), for the CLI, the API and the docs."""
    rows = []
    for name, cls in _SECTIONS.items():
        renamed = {v: k for k, v in _RENAMED.get(name, {}).items()}
        for f in dataclasses.fields(cls):
            if f.name == "ssl_context":
                continue
            rows.append((name, renamed.get(f.name, f.name), f.default, f.metadata.get("help", "")))
    return rows
