"""The demo's receivers: an SMTP server that keeps every email, a webhook receiver that checks signatures.

Both listen on 127.0.0.1 and write what they get into OUT: ``mail/NNN.eml`` for each email as received and
``webhooks/NNN.json`` for each webhook (its idempotency key, whether the HMAC-SHA256 signature was right,
its event and body). They keep repeats too; ``demo.sh`` counts distinct Message-IDs and keys, as a receiver
that drops repeats would. Runs until interrupted.

    python receivers.py --smtp-port 8025 --webhook-port 8026 --secret SECRET --out OUT
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
        self.count += 1
        (self.folder / f"{self.count:03d}.eml").write_bytes(envelope.content)
        return "250 OK"


def webhook_server(port: int, secret: str, folder: Path) -> ThreadingHTTPServer:
    count = 0
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            nonlocal count
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            # Signed: the attempt's timestamp, a dot, the body (docs/alerts.md).
            signed = self.headers.get("X-Newsfold-Timestamp", "").encode() + b"." + body
            expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
            valid = hmac.compare_digest(expected, self.headers.get("X-Newsfold-Signature", ""))
            record = {
                "key": self.headers.get("X-Newsfold-Idempotency-Key"),
                "event": self.headers.get("X-Newsfold-Event"),
                "timestamp": self.headers.get("X-Newsfold-Timestamp"),
                "signature_valid": valid,
                "body": json.loads(body) if valid else None,
            }
            with lock:
                count += 1
                (folder / f"{count:03d}.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
            self.send_response(204 if valid else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--webhook-port", type=int, required=True)
    parser.add_argument("--secret", required=True, help="the webhook subscription's HMAC secret")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    (args.out / "mail").mkdir(parents=True, exist_ok=True)
    (args.out / "webhooks").mkdir(parents=True, exist_ok=True)

    smtp = Controller(Mailbox(args.out / "mail"), hostname="127.0.0.1", port=args.smtp_port)
    smtp.start()
    hooks = webhook_server(args.webhook_port, args.secret, args.out / "webhooks")
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(
        f"SMTP on 127.0.0.1:{args.smtp_port}, webhooks on http://127.0.0.1:{args.webhook_port}/hook",
        flush=True,
    )
    stop.wait()
    hooks.shutdown()
    smtp.stop()


if __name__ == "__main__":
    main()
