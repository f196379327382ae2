#!/usr/bin/env bash
# The alerts demo: four local outlets report a dam collapse; one email and one webhook arrive, and a restart
# of the watcher sends no duplicate.
#
#   examples/alerts-demo/demo.sh        (KEEP=1 keeps the work folder: store, received mail and webhooks)
#
# 1. prepare.py copies feeds/ and pages/ into a work folder, re-dated so the story is breaking now;
#    `python -m http.server` serves them on 127.0.0.1 (with Last-Modified, so a second poll gets 304).
# 2. receivers.py runs an SMTP server (aiosmtpd) and a webhook receiver that checks the HMAC signature.
# 3. Two subscriptions: keywords "dam" by email, the entity "Helen Brooke" by webhook.
# 4. `newsfold watch --once` polls the feeds, ingests, finds the breaking story and sends the alerts; the
#    second run is a restart on the same store (forced to poll again: every feed answers 304).
# 5. Exactly one email and one webhook must have arrived; the script fails otherwise.
# Only 127.0.0.1 is used. Needs the project's .venv (./scripts/setup) or $PYTHON with newsfold installed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/newsfold-alerts-demo.XXXXXX")"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for_port() {
  "$PY" - "$1" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(f"nothing listens on port {sys.argv[1]}")
PY
}

# The demo's mail server is aiosmtpd, which the test extra installs (./scripts/setup installs it).
"$PY" -c 'import aiosmtpd' 2>/dev/null || {
  echo "the demo needs aiosmtpd for its mail server: pip install -e '.[test]' (or ./scripts/setup)" >&2
  exit 1
}

FEED_PORT="$(free_port)"
SMTP_PORT="$(free_port)"
HOOK_PORT="$(free_port)"
SECRET="demo-webhook-secret"

"$PY" "$HERE/prepare.py" --out "$WORK/site" --port "$FEED_PORT"
"$PY" -m http.server "$FEED_PORT" --bind 127.0.0.1 --directory "$WORK/site" >"$WORK/http.log" 2>&1 &
PIDS+=($!)
"$PY" "$HERE/receivers.py" --smtp-port "$SMTP_PORT" --webhook-port "$HOOK_PORT" --secret "$SECRET" \
  --out "$WORK/received" >"$WORK/receivers.log" 2>&1 &
PIDS+=($!)
for port in "$FEED_PORT" "$SMTP_PORT" "$HOOK_PORT"; do wait_for_port "$port"; done

export NEWSFOLD_DB="$WORK/news.db"
export NEWSFOLD_SMTP_HOST=127.0.0.1 NEWSFOLD_SMTP_PORT="$SMTP_PORT" NEWSFOLD_SMTP_FROM="alerts@newsfold.example"
unset NEWSFOLD_SMTP_USER NEWSFOLD_SMTP_PASSWORD NEWSFOLD_SMTP_STARTTLS

NEWSFOLD="$(dirname "$PY")/newsfold"
[ -x "$NEWSFOLD" ] || NEWSFOLD="$(command -v newsfold)"
nf() { "$NEWSFOLD" "$@"; }

FEEDS=()
for name in lowmere-gazette northern-wire daily-courier valley-radio; do
  FEEDS+=("http://127.0.0.1:$FEED_PORT/feeds/$name.xml")
done

echo "== subscriptions"
nf subscribe keywords "dam" --email reader@example.org
nf subscribe entities "Helen Brooke" --webhook "http://127.0.0.1:$HOOK_PORT/hook" --secret "$SECRET"
echo
echo "== newsfold watch --once (first run)"
nf watch --once "${FEEDS[@]}"
echo
echo "== newsfold watch --once --force (a restart on the same store)"
nf watch --once --force "${FEEDS[@]}"
echo
echo "== alerts in the outbox"
nf alerts
echo

"$PY" - "$WORK/received" <<'PY'
import email, email.policy, json, sys
from pathlib import Path

out = Path(sys.argv[1])
mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sorted((out / "mail").glob("*.eml"))]
hooks = [json.loads(p.read_text()) for p in sorted((out / "webhooks").glob("*.json"))]
print(f"== received: {len(mails)} email(s), {len(hooks)} webhook(s)")
for m in mails:
    print(f"  email to {m['To']}: {m['Subject']}  (Message-ID {m['Message-ID'][:20]}...)")
for h in hooks:
    story = (h["body"] or {}).get("story", {})
    print(f"  webhook {h['event']}: {story.get('title')}  (signature valid: {h['signature_valid']})")
ok = (
    len(mails) == 1
    and len({m["Message-ID"] for m in mails}) == 1
    and len(hooks) == 1
    and all(h["signature_valid"] for h in hooks)
)
print("OK: exactly one email and one webhook, no duplicate after the restart" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
