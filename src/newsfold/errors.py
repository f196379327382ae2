"""The exception hierarchy of newsfold.

Every error newsfold raises on purpose is a :class:`NewsfoldError`, so callers can catch one type.
"""

from __future__ import annotations

__all__ = [
    "NewsfoldError",
    "InputError",
    "StoreError",
    "ConfigError",
    "MissingDependencyError",
]


class NewsfoldError(Exception):
    """Base class of every error newsfold raises on purpose."""


class InputError(NewsfoldError):
    """One input record could not be read; names where it came from.

    ``where`` is a human-readable location such as ``feed.xml`` or ``data.jsonl:17``.
    """

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Errors travel back from the cleaning worker processes, pickled; rebuild from both arguments.
        return type(self), (self.where, self.message)


class StoreError(NewsfoldError):
    """The store could not be opened, migrated or written."""


class ConfigError(NewsfoldError):
    """A setting or command-line option has an invalid value."""


class MissingDependencyError(NewsfoldError):
    """An optional dependency is not installed; the message says which extra to install."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f"{package} is not installed: pip install 'newsfold[{extra}]'")
        self.package = package
        self.extra = extra

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return type(self), (self.package, self.extra)
