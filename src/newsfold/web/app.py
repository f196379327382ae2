"""Assemble the server: the API under ``/api``, the UI at ``/``, one store, one error shape, a size limit."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfold import __version__
from newsfold.alert.breaking import BreakingSettings
from newsfold.errors import ConfigError
from newsfold.store import open_store
from newsfold.web import alerts_api, api, ui
from newsfold.web.errors import BodyLimit, install_error_handlers
from newsfold.web.service import Service

__all__ = ["DEFAULT_MAX_BODY_BYTES", "TOKEN_ENV", "create_app"]

DEFAULT_MAX_BODY_BYTES = 5_000_000
TOKEN_ENV = "NEWSFOLD_TOKEN"

DESCRIPTION = """\
Stories that newsfold built from many outlets' articles: list and search them, read one with its
cross-source comparison, read an article with what the cleaner removed, and ingest articles through the
same pipeline as `newsfold ingest`.

Every error has one shape: `{"error": {"code": "...", "message": "...", "details": ...}}`.
"""


def create_app(
    db: str | None = None,
    *,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    breaking: BreakingSettings | None = None,
) -> FastAPI:
    """The web app over the store at ``db`` (path or URL; ``None``: ``$NEWSFOLD_DB``, else ./newsfold.db).

    ``token`` (else ``$NEWSFOLD_TOKEN``) is the write token POST requests must carry; none means open.
    ``breaking``: the rule of breaking stories the pages and ``/api/breaking`` list by (a watch config's).
    """
    token = _write_token(token)
    service = Service(
        open_store(db), breaking=breaking
    )  # opened now, so a bad --db fails at startup, not on first request

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(
        title="newsfold",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by api_docs below, with Swagger UI's files from this server
        redoc_url=None,
        lifespan=lifespan,
        # No guessing at a slash: Starlette's redirect sent /articles to /articles/, itself a 404, with an
        # absolute Location built from the Host header; a wrong path is a plain 404.
        redirect_slashes=False,
    )
    app.state.service = service
    app.state.token = token
    app.state.max_body_bytes = max_body_bytes
    install_error_handlers(app, html=ui.render_error)
    app.include_router(api.router)
    app.include_router(alerts_api.router)
    app.include_router(ui.router)
    _serve_api_docs(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)  # added last: runs first
    return app


def _write_token(token: str | None) -> str | None:
    """The write token: ``token``, else ``$NEWSFOLD_TOKEN``, without surrounding whitespace (a token read from
    a file ends in a newline). One set but blank is refused: ``NEWSFOLD_TOKEN=$UNSET_VAR`` would otherwise
    open the server to writes without a word."""
    given, name = (token, "the write token") if token is not None else (os.environ.get(TOKEN_ENV), TOKEN_ENV)
    if given is None:
        return None
    if not given.strip():
        raise ConfigError(f"{name} is set but blank: give the token, or unset it to serve without one")
    return given.strip()


class HeadAsGet:
    """Answer ``HEAD`` wherever ``GET`` is answered (pages and API alike): the same status and headers, no
    body. Link checkers and uptime monitors ask with ``HEAD``; FastAPI's GET routes alone would say 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def _serve_api_docs(app: FastAPI) -> None:
    """Swagger UI at ``/api/docs``, its script and style from the ``fastapi-offline`` package (Swagger UI 5,
    which reads OpenAPI 3.1) rather than a CDN, so the page works on a machine without internet access."""
    from pathlib import Path

    import fastapi_offline
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles

    static = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/api/docs/static", StaticFiles(directory=str(static)), name="swagger-ui")

    @app.get("/api/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="newsfold API",
            swagger_js_url="/api/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/api/docs/static/swagger-ui.css",
            swagger_favicon_url="/api/docs/static/favicon.png",
        )
