"""One error shape for every error the server answers: ``{"error": {"code", "message", "details"}}``.

FastAPI's own handlers (``{"detail": ...}``) are replaced, so a client parses one shape whatever went wrong:
an unknown route or id, a wrong method, a bad parameter, a body too large, a missing token, a crash. Pages
of the web UI get the same code and message as an HTML page when the browser asks for HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "ApiError",
    "BodyLimit",
    "BodyTooLarge",
    "error_body",
    "install_error_handlers",
]

log = logging.getLogger("newsfold.web")

#: The ``code`` of an error by HTTP status, when the raiser gives none more precise.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    500: "internal_error",
}

#: Renders an error as an HTML page for the web UI; set by the UI module, absent means JSON everywhere.
HtmlRenderer = Callable[[Request, int, str, str], Response]


class ApiError(HTTPException):
    """An error with a stable machine-readable ``code`` and a message meant for people."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code
        self.message = message
        self.details = details


class BodyTooLarge(ApiError):
    """The request body is larger than the server accepts (counted as it streams in)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            "payload_too_large",
            f"request body larger than {limit} bytes",
            {"max_body_bytes": limit},
        )


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "error"


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only the JSON-safe parts: pydantic's ``ctx`` may hold exception objects, ``input`` echoes the request.
    return [
        {
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": err.get("msg", ""),
            "type": err.get("type"),
        }
        for err in exc.errors()
    ]


def install_error_handlers(app: Any, html: HtmlRenderer | None = None) -> None:
    """Route every error of ``app`` through the one envelope (HTML for UI pages when ``html`` is given)."""

    def respond(
        request: Request,
        status: int,
        code: str,
        message: str,
        details: Any,
        headers: dict[str, str] | None = None,
    ) -> Response:
        if html is not None and _wants_html(request):
            try:
                response = html(request, status, code, message)
            except Exception:  # an error page must never fail: fall back to the JSON shape
                log.exception("cannot render the error page for %s", request.url.path)
            else:
                response.headers.update(headers or {})
                return response
        return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)

    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        if isinstance(exc, ApiError):
            return respond(request, status, exc.code, exc.message, exc.details, exc.headers)
        if status == 404:
            message = f"nothing at {request.url.path}"
        elif status == 405:
            # Starlette names the methods of the first route that matched the path; a path can have
            # several (GET and POST /api/subscriptions are two routes), and every GET answers HEAD too.
            allowed = _allowed_methods(request) or (exc.headers or {}).get("Allow", "")
            headers = {**(exc.headers or {}), "Allow": allowed} if allowed else exc.headers
            message = f"method {request.method} not allowed on {request.url.path}" + (
                f"; allowed: {allowed}" if allowed else ""
            )
            return respond(request, status, CODES[405], message, None, headers)
        else:
            message = exc.detail if isinstance(exc.detail, str) else _phrase(status)
        details = None if isinstance(exc.detail, str) else exc.detail
        return respond(
            request,
            status,
            CODES.get(status, _phrase(status).replace(" ", "_")),
            message,
            details,
            exc.headers,
        )

    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = _validation_details(exc)
        where = "; ".join(f"{'.'.join(d['loc'])}: {d['msg']}" for d in details[:3])
        return respond(request, 422, "validation_error", f"invalid request: {where}", details)

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return respond(request, 500, "internal_error", "internal server error", None)

    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_crash)


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> str:
    """The methods the routes at the request's path take (HEAD wherever GET is), as an ``Allow`` value:
    each method is tried against the app's routes as the router would (routes can be nested routers)."""
    routes = [r for r in getattr(request.app, "routes", ()) if isinstance(r, BaseRoute)]
    allowed = [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]
    if "GET" in allowed:
        allowed.insert(1, "HEAD")
    return ", ".join(allowed)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    is_api = path == "/api" or path.startswith("/api/")
    return not is_api and "text/html" in request.headers.get("accept", "")


class BodyLimit:
    """Refuse request bodies over ``max_bytes``: by ``Content-Length`` up front, and by counting the bytes
    that actually arrive (a chunked body has no length, and a client may lie about it)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared == -1:
            await _send_error(send, 400, "bad_request", "invalid Content-Length header", None)
            return
        if declared is not None and declared > self.max_bytes:
            error = BodyTooLarge(self.max_bytes)
            await _send_error(send, 413, error.code, error.message, error.details)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:
            # Normally the app's handler already answered; this covers a body read outside a route.
            if started:
                raise
            await _send_error(send, 413, exc.code, exc.message, exc.details)


def _content_length(scope: Scope) -> int | None:
    """The declared body length; ``None`` when absent, ``-1`` when not a number."""
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return -1
            return length if length >= 0 else -1
    return None


async def _send_error(send: Send, status: int, code: str, message: str, details: Any) -> None:
    response = JSONResponse(error_body(code, message, details), status_code=status)
    # The body was not read: tell the client the connection will not be reused mid-upload.
    response.headers["Connection"] = "close"
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - a JSONResponse never reads the request
    return {"type": "http.disconnect"}
