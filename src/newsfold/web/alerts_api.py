"""REST routes for live news: breaking stories, subscriptions, the alert outbox, watched feeds.

Thin: each handler calls one function of :mod:`newsfold.alert` or :mod:`newsfold.watch`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from newsfold.alert import (
    add_subscription,
    breaking_stories,
    list_alerts,
    list_subscriptions,
    remove_subscription,
)
from newsfold.errors import ConfigError
from newsfold.watch import list_feeds
from newsfold.web.api import _errors, require_token
from newsfold.web.errors import ApiError
from newsfold.web.params import get_service, subscription_or_404
from newsfold.web.service import Service

__all__ = ["router"]

router = APIRouter(prefix="/api", responses=_errors(422, 500))
ServiceDep = Annotated[Service, Depends(get_service)]


class NewSubscription(BaseModel):
    """A subscription as ``POST /api/subscriptions`` takes it (the same fields as ``newsfold subscribe``)."""

    kind: Literal["keywords", "entities", "outlets", "story"]
    query: str = Field(min_length=1, description="Words, entity names, outlets, or the followed story's id.")
    channel: Literal["email", "webhook"]
    target: str = Field(min_length=1, description="E-mail address or webhook URL.")
    secret: str | None = Field(default=None, description="Webhook HMAC secret; generated when omitted.")
    digest: Literal["none", "hourly", "daily"] = "none"
    breaking_only: bool = True


@router.get("/breaking", summary="Breaking stories now, highest score first")
def get_breaking(
    service: ServiceDep, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> list[dict[str, Any]]:
    return [b.to_dict() for b in breaking_stories(service.store, limit=limit)]


@router.get("/subscriptions", summary="Every subscription (webhook secrets left out)")
def get_subscriptions(service: ServiceDep) -> list[dict[str, Any]]:
    return [s.to_dict() for s in list_subscriptions(service.store)]


@router.post(
    "/subscriptions",
    status_code=201,
    dependencies=[Depends(require_token)],
    responses=_errors(400, 401),
    summary="Subscribe; answers with the subscription and, once, its webhook secret",
)
async def post_subscription(body: NewSubscription, service: ServiceDep) -> dict[str, Any]:
    try:
        sub = await run_in_threadpool(
            add_subscription,
            service.store,
            body.kind,
            body.query,
            body.channel,
            body.target,
            secret=body.secret,
            digest=body.digest,
            breaking_only=body.breaking_only,
        )
    except ConfigError as exc:
        raise ApiError(400, "invalid_subscription", str(exc), body.model_dump(exclude={"secret"})) from exc
    return sub.to_dict(include_secret=True)


@router.get("/subscriptions/{subscription_id}", responses=_errors(404), summary="One subscription")
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


@router.get("/alerts", summary="The alert outbox, newest first")
def get_alerts(
    service: ServiceDep,
    status: Annotated[Literal["pending", "sent", "failed"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    return [a.to_dict() for a in list_alerts(service.store, status=status, limit=limit)]


@router.get("/feeds", summary="Watched feeds and their polling state")
def get_feeds(service: ServiceDep) -> list[dict[str, Any]]:
    return [f.to_dict() for f in list_feeds(service.store)]
