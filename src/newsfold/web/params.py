"""Request parameters shared by the API and the UI: story filters, pagination and subscription lookups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError

from newsfold.alert import Subscription, get_subscription
from newsfold.article import parse_published
from newsfold.web.errors import ApiError
from newsfold.web.queries import StoryFilter
from newsfold.web.service import Service

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "Page",
    "get_service",
    "page",
    "story_filter",
    "subscription_or_404",
]

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
#: Past this, an offset could not be a page of any store (and overflows SQLite's 64-bit integers).
MAX_OFFSET = 1_000_000_000


@dataclass(slots=True, frozen=True)
class Page:
    limit: int
    offset: int


def get_service(request: Request) -> Service:
    return request.app.state.service


def subscription_or_404(service: Service, subscription_id: str) -> Subscription:
    """The stored subscription, or the 404 error both the API and the UI answer with."""
    sub = get_subscription(service.store, subscription_id)
    if sub is None:
        raise ApiError(
            404, "not_found", f"no subscription {subscription_id!r}", {"subscription_id": subscription_id}
        )
    return sub


def page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Stories per page.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Stories to skip (newest first).")] = 0,
) -> Page:
    return Page(limit, offset)


def story_filter(
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description='Text query: every word (or "quoted phrase") must appear, case-insensitively, in the '
            "story title or in one of its articles' titles or clean text.",
        ),
    ] = None,
    entity: Annotated[
        str | None,
        Query(
            max_length=200,
            description="A name mentioned in one of the story's articles (case-insensitive substring of the "
            "clean text or title, e.g. Suella Braverman).",
        ),
    ] = None,
    outlet: Annotated[
        str | None,
        Query(max_length=200, description="An outlet (article source) of the story, case-insensitive."),
    ] = None,
    since: Annotated[
        str | None,
        Query(
            description="ISO 8601 date or datetime (UTC when no offset): stories last seen at or after it."
        ),
    ] = None,
    until: Annotated[
        str | None,
        Query(description="ISO 8601 date or datetime: stories first seen at or before it."),
    ] = None,
) -> StoryFilter:
    errors: list[dict[str, Any]] = []
    start, end = _when("since", since, errors), _when("until", until, errors)
    if errors:
        raise RequestValidationError(errors)
    return StoryFilter(q=q or None, entity=entity or None, outlet=outlet or None, since=start, until=end)


def _when(name: str, value: str | None, errors: list[dict[str, Any]]) -> datetime | None:
    # The same parser as the JSONL reader's ``published``: one notion of a valid date everywhere.
    try:
        return parse_published(value)
    except ValueError as exc:
        errors.append({"type": "value_error", "loc": ("query", name), "msg": str(exc), "input": value})
        return None
