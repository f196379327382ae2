"""newsfold's web face: a REST API under ``/api`` and a server-rendered UI at ``/``, in one process.

::

    from newsfold.web import create_app, serve
    serve("news.db", host="127.0.0.1", port=8000)   # what ``newsfold serve`` runs

FastAPI and uvicorn are imported here, not by ``import newsfold``: the CLI and library stay light.
"""

from __future__ import annotations

from newsfold.alert.breaking import BreakingSettings
from newsfold.web.app import DEFAULT_MAX_BODY_BYTES, TOKEN_ENV, create_app

__all__ = ["DEFAULT_MAX_BODY_BYTES", "TOKEN_ENV", "create_app", "serve"]


def serve(
    db: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    log_level: str = "info",
    breaking: BreakingSettings | None = None,
) -> None:
    """Serve the API and the UI over the store at ``db`` with uvicorn until interrupted.

    One process, one worker: the app holds the only writing pipeline, so more workers would mean more
    writers with diverging in-memory indexes.
    """
    import uvicorn

    app = create_app(db, token=token, max_body_bytes=max_body_bytes, breaking=breaking)
    uvicorn.run(app, host=host, port=port, workers=1, log_level=log_level, proxy_headers=False)
