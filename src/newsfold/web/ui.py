"""The web UI: server-rendered pages for the story list, a story with its comparison, an article, the
breaking stories, and the subscriptions (listed, added and deleted with plain HTML forms).

Jinja2 with autoescaping on for every template, so article text can never become markup; a strict Content
Security Policy (no scripts at all) backs that up. No JavaScript, one small inline stylesheet: a page is
one request, light enough for a slow phone.

Forms post same-origin, URL-encoded: a post whose ``Origin`` (else ``Referer``) names another host is
refused (403), and when the server has a write token the form must carry it (field ``token``, or
``Authorization: Bearer``). A browser cannot send that token with a plain link, so when there is one the
subscription pages show each target masked (``r***@example.org``, ``https://hooks.example/…``): e-mail
addresses and webhook URLs, which often carry a secret, are only read in full through the API, with the token.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlsplit

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from newsfold import __version__
from newsfold.alert import (
    CHANNELS,
    DIGESTS,
    KINDS,
    Subscription,
    add_subscription,
    breaking_stories,
    list_subscriptions,
    remove_subscription,
)
from newsfold.alert.subscriptions import MAX_QUERY_CHARS
from newsfold.article import Article, parse_published
from newsfold.clean import REASONS, split_units
from newsfold.errors import ConfigError
from newsfold.web.errors import ApiError, _wants_html
from newsfold.web.params import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Page,
    get_service,
    page,
    story_filter,
    subscription_or_404,
)
from newsfold.web.queries import StoryFilter
from newsfold.web.service import Service

__all__ = ["article_lines", "mask_target", "render_error", "router", "templates"]

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


def _moment(value: datetime | str | None) -> Markup:
    """A ``<time>`` element for a date, or plain "date unknown": an empty ``datetime`` is invalid HTML."""
    moment = parse_published(value) if isinstance(value, str) else value
    if moment is None:
        return Markup("date unknown")
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), _when(moment))


def _href(url: str | None) -> str | None:
    """A link target only for web addresses: ``javascript:`` and other schemes stay plain text."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def _field(value: object) -> str:
    """A metadata value as the API shows it: text as is, anything else (a list, an object) as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=_when, moment=_moment, href=_href, q=lambda value: quote(str(value), safe=""), field=_field
    )
    env.globals.update(
        version=__version__,
        reasons=REASONS,
        kinds=KINDS,
        channels=CHANNELS,
        digests=DIGESTS,
        max_query_chars=MAX_QUERY_CHARS,
    )
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


@router.get("/", response_class=HTMLResponse)
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
        first=_page_link(request, 0),
        newer=_page_link(request, min(p.offset, total) - p.limit) if p.offset > 0 else None,
        older=_page_link(request, p.offset + p.limit) if p.offset + len(found) < total else None,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
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


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, service: ServiceDep) -> Response:
    view = service.article(article_id)
    if view is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}", {"article_id": article_id})
    # The page links the article's story by its title (the API gives the id alone, so it reads no story).
    story = service.store.get_story(view.article.story_id) if view.article.story_id else None
    return render(
        request,
        "article.html",
        article=view.article,
        story_title=story.title if story else None,
        copies=view.copies,
        lines=article_lines(view.article),
    )


# --- live news: breaking stories and subscriptions -----------------------------------------------------------
#: The fields of the subscription form (``token`` only matters when the server has a write token).
FORM_FIELDS = ("kind", "query", "channel", "target", "digest", "any_story")
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_FIELDS = 20
_DEFAULT_PORTS = {"http": 80, "https": 443}


@router.get("/breaking", response_class=HTMLResponse)
def breaking_page(
    request: Request,
    service: ServiceDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    return render(
        request,
        "breaking.html",
        found=breaking_stories(service.store, limit=limit, settings=service.breaking),
        limit=limit,
    )


def mask_target(channel: str, target: str) -> str:
    """A subscription's target with what may be private hidden: the first letter of an e-mail address's
    local part and its domain (``r***@example.org``); a webhook URL's scheme, host and port only
    (``https://hooks.example/…``: its user, password, path and query often hold a secret)."""
    if channel == "email":
        local, at, domain = target.rpartition("@")
        return f"{local[:1]}***@{domain}" if at and local and domain else "***"
    try:
        parts = urlsplit(target)
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number
        return "…"
    if not host or not parts.scheme:
        return "…"
    host = f"[{host}]" if ":" in host else host  # IPv6
    return f"{parts.scheme}://{host}{f':{port}' if port else ''}/…"


def _shown(request: Request, sub: Subscription) -> Subscription:
    """The subscription as a page may show it: its target masked when the server has a token."""
    if not request.app.state.token:
        return sub
    return replace(sub, target=mask_target(sub.channel, sub.target), secret=None)


def _blank_form() -> dict[str, str]:
    return dict.fromkeys(FORM_FIELDS, "") | {"kind": KINDS[0], "channel": CHANNELS[0], "digest": DIGESTS[0]}


def _subscriptions_page(
    request: Request,
    service: Service,
    status_code: int = 200,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    created: Subscription | None = None,
) -> HTMLResponse:
    return render(
        request,
        "subscriptions.html",
        status_code,
        subscriptions=[_shown(request, sub) for sub in list_subscriptions(service.store)],
        form=form or _blank_form(),
        error=error,
        created=created,
        needs_token=bool(request.app.state.token),
    )


@router.get("/subscriptions", response_class=HTMLResponse)
def subscriptions_page(request: Request, service: ServiceDep) -> Response:
    return _subscriptions_page(request, service)


@router.get("/subscriptions/{subscription_id}", response_class=HTMLResponse)
def subscription_page(request: Request, subscription_id: str, service: ServiceDep) -> Response:
    sub = _shown(request, subscription_or_404(service, subscription_id))
    return render(
        request, "subscription.html", sub=sub, confirm=False, needs_token=bool(request.app.state.token)
    )


@router.get("/subscriptions/{subscription_id}/delete", response_class=HTMLResponse)
def confirm_delete_page(request: Request, subscription_id: str, service: ServiceDep) -> Response:
    """Asks to confirm (and, when the server has a write token, for the token) before deleting."""
    sub = _shown(request, subscription_or_404(service, subscription_id))
    return render(
        request, "subscription.html", sub=sub, confirm=True, needs_token=bool(request.app.state.token)
    )


def _same_origin(request: Request) -> None:
    """Refuse a form post sent from another site: its ``Origin`` (else ``Referer``), when present, must
    name this server's host and port (the ``Host`` the request came to)."""
    header = "origin" if "origin" in request.headers else "referer"
    value = request.headers.get(header)
    if value is None:  # neither sent (not a browser, or a privacy setting): the token still applies
        return
    here = request.url
    try:
        there = urlsplit(value)
        default = _DEFAULT_PORTS.get(there.scheme.lower())
        same = (
            there.hostname is not None
            and there.hostname == (here.hostname or "").lower()
            and (there.port or default) == (here.port or default)
        )
    except ValueError:  # a port that is not a number
        same = False
    if not same:
        raise ApiError(
            403,
            "forbidden",
            f"cross-origin form post refused: the {header.title()} header ({value!r}) is not this server "
            f"({here.netloc})",
            {header: value, "host": here.netloc},
        )


async def _read_form(request: Request) -> dict[str, str] | None:
    """The URL-encoded form of the request (first value of each field); ``None``: another media type."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != FORM_MEDIA_TYPE:
        return None
    body = await request.body()  # the server's size limit applies while it streams in
    try:
        fields = parse_qs(
            body.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=MAX_FORM_FIELDS
        )
    except UnicodeDecodeError:
        raise ApiError(400, "bad_request", "form is not UTF-8") from None
    except ValueError as exc:
        raise ApiError(400, "bad_request", f"malformed form: {exc}") from None
    return {name: values[0] for name, values in fields.items()}


def _check_token(request: Request, form: dict[str, str] | None) -> None:
    """When the server has a write token, the form's ``token`` field (or a Bearer header) must be it."""
    token: str | None = request.app.state.token
    if not token:
        return
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    given = (form or {}).get("token", "").strip() or (bearer.strip() if scheme.lower() == "bearer" else "")
    challenge = {"WWW-Authenticate": "Bearer"}
    if not given:
        raise ApiError(
            401, "unauthorized", "this server needs a write token: fill in the token field", None, challenge
        )
    if not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "unauthorized", "invalid write token", None, challenge)


@router.post("/subscriptions", response_class=HTMLResponse)
async def post_subscription(request: Request, service: ServiceDep) -> Response:
    """Subscribe from the form. Email: 303 to the list. Webhook: the list is answered directly (201), with
    the generated secret shown this once (never put in a URL, never cached)."""
    _same_origin(request)
    form = await _read_form(request)
    _check_token(request, form)
    if form is None:
        raise ApiError(415, "unsupported_media_type", f"send the form as {FORM_MEDIA_TYPE}")
    values = {name: form.get(name, "").strip() for name in FORM_FIELDS}
    missing = [name for name in ("kind", "query", "channel", "target") if not values[name]]
    try:
        if missing:
            raise ConfigError(f"fill in: {', '.join(missing)}")
        sub = await run_in_threadpool(
            add_subscription,
            service.store,
            values["kind"],
            values["query"],
            values["channel"],
            values["target"],
            digest=values["digest"] or "none",
            breaking_only=not values["any_story"],
        )
    except ConfigError as exc:
        if not _wants_html(request):
            raise ApiError(400, "invalid_subscription", str(exc), values) from exc
        return await run_in_threadpool(
            _subscriptions_page, request, service, 400, form=values, error=str(exc)
        )
    if sub.secret is None:
        return RedirectResponse("/subscriptions", status_code=303)
    response = await run_in_threadpool(_subscriptions_page, request, service, 201, created=sub)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Location"] = f"/subscriptions/{quote(sub.id, safe='')}"
    return response


@router.post("/subscriptions/{subscription_id}/delete", response_class=HTMLResponse)
async def post_delete_subscription(request: Request, subscription_id: str, service: ServiceDep) -> Response:
    """Unsubscribe (its pending alerts are dropped), then 303 back to the list."""
    _same_origin(request)
    form = await _read_form(request)
    _check_token(request, form)
    if form is None and request.headers.get("content-type"):  # a body of another kind; none at all is fine
        raise ApiError(415, "unsupported_media_type", f"send the form as {FORM_MEDIA_TYPE}")
    await run_in_threadpool(subscription_or_404, service, subscription_id)
    await run_in_threadpool(remove_subscription, service.store, subscription_id)
    return RedirectResponse("/subscriptions", status_code=303)
