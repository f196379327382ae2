"""Real local servers for the alert and watch tests: feeds over HTTP, an SMTP server, a webhook receiver.

Everything listens on 127.0.0.1 on a free port; nothing reaches outside the machine. Imported by
``tests/alert/conftest.py`` and ``tests/test_watch.py``, which expose the fixtures at the bottom.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import hmac
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "alerts-demo"
DEMO_FEEDS = ("lowmere-gazette.xml", "northern-wire.xml", "daily-courier.xml", "valley-radio.xml")
#: Just after the demo feeds' dam reports (their pubDates are 06:10 to 06:50 that morning).
DEMO_NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


# --- feeds ------------------------------------------------------------------------------------------------
class FeedServer:
    """Serves the files of ``root`` with ETag and Last-Modified (answering 304), plus broken paths.

    ``/slow/<file>`` sleeps ``slow_seconds`` before answering; ``/huge.xml`` streams ``huge_bytes`` of an
    endless feed without a Content-Length; ``/status/<code>`` answers with that status (503 with
    ``Retry-After: 7200``). Every request is recorded with its headers.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.slow_seconds = 3.0
        self.huge_bytes = 30 * 1024 * 1024
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.port = free_port()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                outer.requests.append((self.path, dict(self.headers.items())))
                path = self.path.split("?")[0]
                try:
                    if path.startswith("/status/"):
                        code = int(path.rsplit("/", 1)[1])
                        self.send_response(code)
                        if code == 503:
                            self.send_header("Retry-After", "7200")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    elif path == "/huge.xml":
                        self._huge()
                    elif path.startswith("/slow/"):
                        time.sleep(outer.slow_seconds)
                        self._file(path.removeprefix("/slow"))
                    else:
                        self._file(path)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on purpose (size cap, timeout)

            def _file(self, path: str) -> None:
                file = (outer.root / path.lstrip("/")).resolve()
                if not file.is_file() or outer.root.resolve() not in file.parents:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = file.read_bytes()
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                modified = int(file.stat().st_mtime)
                since = self.headers.get("If-Modified-Since")
                if self.headers.get("If-None-Match") == etag or (
                    since and "If-None-Match" not in self.headers and _not_after(since, modified)
                ):
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                kind = "text/html" if file.suffix == ".html" else "application/rss+xml"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", formatdate(modified, usegmt=True))
                self.end_headers()
                self.wfile.write(body)

            def _huge(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                item = b"<item><title>spam</title><description>" + b"x" * 4000 + b"</description></item>\n"
                self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>\n')
                sent = 0
                while sent < outer.huge_bytes:
                    self.wfile.write(item * 16)
                    sent += len(item) * 16

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = _serve(self.server)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def hits(self, path: str) -> list[dict[str, str]]:
        """The headers of every request for ``path``."""
        return [headers for p, headers in self.requests if p == "/" + path.lstrip("/")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _not_after(header: str, modified: int) -> bool:
    try:
        return int(parsedate_to_datetime(header).timestamp()) >= modified
    except (TypeError, ValueError):
        return False


def demo_site(target: Path, port: int) -> Path:
    """Copy the demo feeds and pages into ``target``, pointing their links at ``port``."""
    shutil.copytree(DEMO / "pages", target / "pages")
    (target / "feeds").mkdir(parents=True)
    for name in DEMO_FEEDS:
        text = (DEMO / "feeds" / name).read_text(encoding="utf-8")
        (target / "feeds" / name).write_text(
            text.replace("127.0.0.1:8765", f"127.0.0.1:{port}"), encoding="utf-8"
        )
    return target


def down_url() -> str:
    """A URL nobody listens on: connection refused."""
    return f"http://127.0.0.1:{free_port()}/feed.xml"


# --- email ------------------------------------------------------------------------------------------------
@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


class _Collector:
    def __init__(self) -> None:
        self.messages: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1; with ``tls`` it offers STARTTLS and requires a login after it."""

    def __init__(self, *, tls: tuple[Path, Path] | None = None, login: tuple[str, str] | None = None) -> None:
        self.collector = _Collector()
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            kwargs.update(tls_context=context, require_starttls=True)
        if login is not None:
            user, password = login

            def authenticate(
                server: Any, session: Any, envelope: Any, mechanism: str, data: Any
            ) -> AuthResult:
                ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
                    user.encode(),
                    password.encode(),
                )
                return AuthResult(success=ok, handled=False)

            kwargs.update(authenticator=authenticate, auth_require_tls=tls is not None)
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    @property
    def messages(self) -> list[Received]:
        return self.collector.messages

    def unique(self) -> dict[str, Received]:
        """Messages by Message-ID, as a receiver that drops repeats keeps them."""
        return {m.message["Message-ID"]: m for m in self.messages}

    def close(self) -> None:
        self.controller.stop()


def self_signed_cert(folder: Path) -> tuple[Path, Path] | None:
    """A certificate for 127.0.0.1 made with the openssl command, or ``None`` without one."""
    if shutil.which("openssl") is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


# --- webhooks ---------------------------------------------------------------------------------------------
@dataclass
class Hook:
    headers: dict[str, str]
    body: bytes
    valid: bool

    @property
    def key(self) -> str:
        return self.headers["X-Newsfold-Idempotency-Key"]

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """Receives webhooks on 127.0.0.1, checks their HMAC signature, and fails the first ``fail_next``."""

    secret: str = "test-secret"
    fail_next: int = 0
    status_on_failure: int = 500
    received: list[Hook] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.port = free_port()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                signed = self.headers.get("X-Newsfold-Timestamp", "").encode() + b"." + body
                expected = "sha256=" + hmac.new(outer.secret.encode(), signed, hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(expected, self.headers.get("X-Newsfold-Signature", ""))
                outer.received.append(Hook(dict(self.headers.items()), body, valid))
                if outer.fail_next > 0:
                    outer.fail_next -= 1
                    status = outer.status_on_failure
                else:
                    status = 204 if valid else 401
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = _serve(self.server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def unique(self) -> dict[str, Hook]:
        """Accepted deliveries by idempotency key, as a receiver that dedupes keeps them."""
        return {h.key: h for h in self.received if h.valid}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- fixtures ---------------------------------------------------------------------------------------------
@pytest.fixture
def feed_server(tmp_path: Path) -> Iterator[FeedServer]:
    root = tmp_path / "site"
    root.mkdir()
    server = FeedServer(root)
    yield server
    server.close()


@pytest.fixture
def site(feed_server: FeedServer) -> FeedServer:
    """The alerts demo's feeds and pages, served with ETag and Last-Modified."""
    demo_site(feed_server.root, feed_server.port)
    return feed_server


def demo_urls(server: FeedServer) -> list[str]:
    """The demo feeds' URLs on ``server``."""
    return [server.url(f"feeds/{name}") for name in DEMO_FEEDS]


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@contextlib.contextmanager
def waiting_for(predicate: Any, timeout: float = 5.0) -> Iterator[None]:
    """Run the block, then wait until ``predicate()`` holds (servers run in other threads)."""
    yield
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.01)
