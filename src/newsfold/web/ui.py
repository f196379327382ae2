"""The web UI: server-rendered pages for the story list, a story with its comparison, and an article.

Jinja2 with autoescaping on for every template, so article text can never become markup; a strict Content
Security Policy (no scripts at all) backs that up. No JavaScript, one small inline stylesheet: a page is
one request, light enough for a slow phone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from newsfold import __version__
from newsfold.article import Article, parse_published
from newsfold.clean import REASONS, split_units
from newsfold.web.errors import ApiError
from newsfold.web.params import Page, get_service, page, story_filter
from newsfold.web.queries import StoryFilter
from newsfold.web.service import Service

__all__ = ["article_lines", "render_error", "router", "templates"]

TEMPLATES = Path(__file__).with_name("templates")

#: Scripts are never needed: refuse them all, so even an escaping bug could not run one.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _when(value: datetime | str | None) -> str:
    moment = parse_published(value) if isinstance(value, str) else value
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "date unknown"


def _iso(value: datetime | str | None) -> str:
    moment = parse_published(value) if isinstance(value, str) else value
    return moment.isoformat() if moment else ""


def _href(url: str | None) -> str | None:
    """A link target only for web addresses: ``javascript:`` and other schemes stay plain text."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=_when, iso=_iso, href=_href, q=lambda value: quote(str(value), safe=""))
    env.globals.update(version=__version__, reasons=REASONS)
    return env


templates = Jinja2Templates(env=_env())
router = APIRouter(include_in_schema=False)
ServiceDep = Annotated[Service, Depends(get_service)]


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("filters", StoryFilter())
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def render_error(request: Request, status: int, code: str, message: str) -> Response:
    """The error page of the UI: the same code and message the API would give."""
    return render(request, "error.html", status, status=status, code=code, message=message)


def _page_link(request: Request, offset: int) -> str:
    url = request.url.include_query_params(offset=max(0, offset))
    return f"{url.path}?{url.query}"


def article_lines(article: Article) -> list[tuple[str, str | None]] | None:
    """The article's lines in their original order, each with its removal reason (``None``: kept).

    Rebuilt from the stored text, clean text and removed lines; ``None`` if they do not line up (the page
    then shows the clean text and the removed lines apart).
    """
    units, separator = split_units(article.text)
    kept = article.clean_text.split(separator) if article.clean_text else []
    removed = article.removed
    k = r = 0
    lines: list[tuple[str, str | None]] = []
    for unit in units:
        if k < len(kept) and unit == kept[k]:
            lines.append((unit, None))
            k += 1
        elif r < len(removed) and unit == removed[r].text:
            lines.append((unit, removed[r].reason))
            r += 1
        else:
            return None
    return lines if k == len(kept) and r == len(removed) else None


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def story_list(
    request: Request,
    service: ServiceDep,
    f: Annotated[StoryFilter, Depends(story_filter)],
    p: Annotated[Page, Depends(page)],
) -> Response:
    total, found = service.stories(f, limit=p.limit, offset=p.offset)
    return render(
        request,
        "stories.html",
        stories=found,
        total=total,
        filters=f,
        page=p,
        newer=_page_link(request, p.offset - p.limit) if p.offset > 0 else None,
        older=_page_link(request, p.offset + p.limit) if p.offset + len(found) < total else None,
    )


@router.api_route("/stories/{story_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def story_page(request: Request, story_id: str, service: ServiceDep) -> Response:
    view = service.story(story_id)
    if view is None:
        raise ApiError(404, "not_found", f"no story {story_id!r}", {"story_id": story_id})
    comparison = view.comparison or {}
    entities: dict[str, list[dict[str, Any]]] = {}
    for entity in comparison.get("entities", []):
        entities.setdefault(entity["type"], []).append(entity)
    return render(
        request,
        "story.html",
        story=view.story,
        members={a.id: a for a in view.members},
        articles=view.members,
        c=comparison,
        entities=entities,
    )


@router.api_route("/articles/{article_id:path}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def article_page(request: Request, article_id: str, service: ServiceDep) -> Response:
    view = service.article(article_id)
    if view is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}", {"article_id": article_id})
    return render(
        request,
        "article.html",
        article=view.article,
        copies=view.copies,
        lines=article_lines(view.article),
    )
