"""The REST API under ``/api``: list and read stories and articles, ingest articles.

Handlers only translate HTTP to :class:`~newsfold.web.service.Service` calls and back; the JSON shapes are
declared in :mod:`newsfold.web.schemas`.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from newsfold.article import Article, Story
from newsfold.web.errors import ApiError
from newsfold.web.params import Page, get_service, page, story_filter
from newsfold.web.queries import StoryFilter
from newsfold.web.schemas import (
    ARTICLE_INPUT_SCHEMA,
    ArticleDetail,
    ErrorResponse,
    IngestResponse,
    StoryDetail,
    StoryList,
)
from newsfold.web.service import Service, records_to_articles

__all__ = ["router"]


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {"model": ErrorResponse, "description": "Error (the one error shape)."} for status in statuses
    }


# 422 on every route: FastAPI would otherwise document its own validation error shape, which we replace.
router = APIRouter(prefix="/api", responses=_errors(422, 500))
ServiceDep = Annotated[Service, Depends(get_service)]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def story_summary(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "sources": story.sources,
        "article_count": len(story.article_ids),
        "first_seen": _iso(story.first_seen),
        "last_seen": _iso(story.last_seen),
    }


def article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "published": _iso(article.published),
        "duplicate_of": article.duplicate_of,
        "words": len(article.clean_text.split()),
        "removed": len(article.removed),
    }


@router.get("/stories", response_model=StoryList, summary="List stories, newest first")
def list_stories(
    request: Request,
    service: ServiceDep,
    f: Annotated[StoryFilter, Depends(story_filter)],
    p: Annotated[Page, Depends(page)],
) -> dict[str, Any]:
    total, found = service.stories(f, limit=p.limit, offset=p.offset)
    more = p.offset + len(found) < total
    following = request.url.include_query_params(offset=p.offset + p.limit) if more else None
    return {
        "items": [story_summary(s) for s in found],
        "total": total,
        "limit": p.limit,
        "offset": p.offset,
        "next": f"{following.path}?{following.query}" if following else None,
    }


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    response_model_exclude_unset=True,
    responses=_errors(404),
    summary="One story with its cross-source comparison",
)
def get_story(
    story_id: str,
    service: ServiceDep,
    compare: Annotated[bool, Query(description="Include the comparison (slower the first time).")] = True,
) -> StoryDetail:
    view = service.story(story_id, compare=compare)
    if view is None:
        raise ApiError(404, "not_found", f"no story {story_id!r}", {"story_id": story_id})
    row = view.story.to_dict()
    if view.comparison is not None:
        row.update(view.comparison)
    row["articles"] = [article_summary(a) for a in view.members]
    return StoryDetail.model_validate(row)


@router.get(
    "/articles/{article_id:path}",
    response_model=ArticleDetail,
    responses=_errors(404),
    summary="One article: clean text, removed lines with reasons, copy links",
)
def get_article(article_id: str, service: ServiceDep) -> dict[str, Any]:
    view = service.article(article_id)
    if view is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}", {"article_id": article_id})
    row = view.article.to_dict()
    row["copies"] = [
        {"id": c.id, "source": c.source, "title": c.title, "published": _iso(c.published)}
        for c in view.copies
    ]
    return row


#: Declares the bearer token in the OpenAPI document (routes that need it list it under ``security``);
#: ``require_token`` reads the header itself, to answer in newsfold's error shape.
_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="writeToken",
    description="NEWSFOLD_TOKEN, when the server has one: writes, and reading subscriptions and alerts.",
)


def require_token(
    request: Request, _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)] = None
) -> None:
    """When the server has a write token, the request must carry it as ``Authorization: Bearer``."""
    token: str | None = request.app.state.token
    if not token:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(
            401,
            "unauthorized",
            "this server needs a write token: Authorization: Bearer <token>",
            None,
            challenge,
        )
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "unauthorized", "invalid write token", None, challenge)


def _given_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return echo(str(value)) if isinstance(value, str | int) and not isinstance(value, bool) else None


def echo(value: str) -> str:
    """``value`` as it can be written back in a response: a lone surrogate (which a JSON ``\\u`` escape can
    make, and UTF-8 cannot carry) as its escape."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def read_json(body: bytes) -> Any:
    """A posted JSON value; 400 ``invalid_json`` when the body is not UTF-8 or not JSON (every POST route)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "invalid_json", f"request body is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiError(
            400, "invalid_json", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise ApiError(400, "invalid_json", f"invalid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "invalid JSON: nested too deeply") from None


def _decode(body: bytes) -> list[Any]:
    """The posted records: one JSON object, or a non-empty list of them."""
    value = read_json(body)
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        if not value:
            raise ApiError(422, "validation_error", "an empty list: nothing to ingest")
        return value
    raise ApiError(422, "validation_error", "expected an article object or a list of article objects")


@router.post(
    "/articles",
    response_model=IngestResponse,
    dependencies=[Depends(require_token)],
    responses=_errors(400, 401, 413, 415),
    summary="Ingest one article or a list of them",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": ARTICLE_INPUT_SCHEMA}}}
    },
)
async def post_articles(request: Request, service: ServiceDep) -> dict[str, Any]:
    """Run the records through the same pipeline as ``newsfold ingest``.

    Answers 200 with one result per record, in order: a record that is invalid or fails gets
    ``status: "error"`` naming its ``index``, and the others still go in.
    """
    if not _is_json(request.headers.get("content-type", "")):
        raise ApiError(415, "unsupported_media_type", "send articles as JSON: Content-Type: application/json")
    items = _decode(await request.body())  # the size limit applies while the body streams in
    records = records_to_articles(items)
    results = await run_in_threadpool(service.ingest, records)
    for result in results:
        if result.id is None:  # refused before it became an article: name it as the client did
            result.id = _given_id(items[result.index])
    return {
        "results": [r.to_dict() for r in results],
        "ingested": sum(r.status in ("stored", "duplicate") for r in results),
        "duplicates": sum(r.status == "duplicate" for r in results),
        "new_stories": sum(r.new_story for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
        "errors": sum(r.status == "error" for r in results),
    }
