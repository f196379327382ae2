"""REST routes for live news: breaking stories, subscriptions, the alert outbox, watched feeds.

Thin: each handler calls one function of :mod:`newsfold.alert` or :mod:`newsfold.watch`.

Subscriptions and alerts name subscribers' e-mail addresses and webhook URLs (which often carry a secret):
when the server has a token, reading them needs it, as writing does.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from newsfold.alert import (
    add_subscription,
    breaking_stories,
    list_alerts,
    list_subscriptions,
    remove_subscription,
)
from newsfold.errors import ConfigError
from newsfold.watch import list_feeds
from newsfold.web.api import _errors, _is_json, echo, read_json, require_token
from newsfold.web.errors import ApiError
from newsfold.web.params import get_service, subscription_or_404
from newsfold.web.schemas import NewSubscription
from newsfold.web.service import Service

__all__ = ["router"]

router = APIRouter(prefix="/api", responses=_errors(422, 500))
ServiceDep = Annotated[Service, Depends(get_service)]
#: Routes whose answers name subscribers' targets: open without a token, guarded by it when there is one.
GUARDED = [Depends(require_token)]

_REQUIRED = ("kind", "query", "channel", "target")
_OPTIONAL_TEXT = ("secret", "digest")


def _subscription_args(value: Any) -> dict[str, Any]:
    """The arguments of ``add_subscription`` from a posted object; ``ConfigError`` says what is wrong.

    Only types and presence are checked here: the values are checked by ``add_subscription``, so the API,
    the UI form and the command line refuse the same subscriptions with the same reasons.
    """
    if not isinstance(value, dict):
        raise ConfigError("expected a subscription: a JSON object with kind, query, channel and target")
    missing = [name for name in _REQUIRED if value.get(name) is None]
    if missing:
        raise ConfigError(f"missing: {', '.join(missing)}")
    for name in (*_REQUIRED, *_OPTIONAL_TEXT):
        if value.get(name) is not None and not isinstance(value[name], str):
            raise ConfigError(f"{name} must be a string")
    breaking_only = value.get("breaking_only", True)
    if not isinstance(breaking_only, bool):
        raise ConfigError("breaking_only must be true or false")
    return {
        **{name: value[name] for name in _REQUIRED},
        "secret": value.get("secret"),
        "digest": value.get("digest") or "none",
        "breaking_only": breaking_only,
    }


def _echo(value: Any) -> dict[str, Any] | None:
    """What the client sent, for an error's details (never the secret)."""
    if not isinstance(value, dict):
        return None
    return {
        name: echo(value[name]) if isinstance(value[name], str) else value[name]
        for name in (*_REQUIRED, "digest", "breaking_only")
        if name in value
    }


@router.get("/breaking", summary="Breaking stories now, highest score first")
def get_breaking(
    service: ServiceDep, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> list[dict[str, Any]]:
    return [b.to_dict() for b in breaking_stories(service.store, limit=limit, settings=service.breaking)]


@router.get(
    "/subscriptions",
    dependencies=GUARDED,
    responses=_errors(401),
    summary="Every subscription (webhook secrets left out); needs the token when the server has one",
)
def get_subscriptions(service: ServiceDep) -> list[dict[str, Any]]:
    return [s.to_dict() for s in list_subscriptions(service.store)]


@router.post(
    "/subscriptions",
    status_code=201,
    dependencies=[Depends(require_token)],
    responses=_errors(400, 401, 413, 415),
    summary="Subscribe; answers with the subscription and, once, its webhook secret",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": NewSubscription.model_json_schema()}},
        }
    },
)
async def post_subscription(request: Request, service: ServiceDep) -> dict[str, Any]:
    """Read and check the body as ``POST /api/articles`` does: the token first (nothing is read without
    it), then the media type (415) and the JSON (400 ``invalid_json``); any invalid or missing field is a
    400 ``invalid_subscription``, the reason in the message."""
    if not _is_json(request.headers.get("content-type", "")):
        raise ApiError(
            415, "unsupported_media_type", "send the subscription as JSON: Content-Type: application/json"
        )
    value = read_json(await request.body())  # the size limit applies while the body streams in
    try:
        sub = await run_in_threadpool(add_subscription, service.store, **_subscription_args(value))
    except ConfigError as exc:
        raise ApiError(400, "invalid_subscription", str(exc), _echo(value)) from exc
    return sub.to_dict(include_secret=True)


@router.get(
    "/subscriptions/{subscription_id}",
    dependencies=GUARDED,
    responses=_errors(401, 404),
    summary="One subscription; needs the token when the server has one",
)
def get_one_subscription(subscription_id: str, service: ServiceDep) -> dict[str, Any]:
    return subscription_or_404(service, subscription_id).to_dict()


@router.delete(
    "/subscriptions/{subscription_id}",
    dependencies=[Depends(require_token)],
    responses=_errors(401, 404),
    summary="Unsubscribe (pending alerts of the subscription are dropped)",
)
def delete_subscription(subscription_id: str, service: ServiceDep) -> dict[str, Any]:
    subscription_or_404(service, subscription_id)
    remove_subscription(service.store, subscription_id)
    return {"deleted": subscription_id}


@router.get(
    "/alerts",
    dependencies=GUARDED,
    responses=_errors(401),
    summary="The alert outbox, newest first; needs the token when the server has one",
)
def get_alerts(
    service: ServiceDep,
    status: Annotated[Literal["pending", "sent", "failed"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    return [a.to_dict() for a in list_alerts(service.store, status=status, limit=limit)]


@router.get("/feeds", summary="Watched feeds and their polling state")
def get_feeds(service: ServiceDep) -> list[dict[str, Any]]:
    return [f.to_dict() for f in list_feeds(service.store)]
